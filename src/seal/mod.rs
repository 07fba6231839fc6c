//! Sealing: every session part is signed so that anyone can check it with stock tools
//! (`minisign`, `sha256sum`), without Hattama.
//!
//! A part folder, once sealed, holds the recording, `protocol.txt` and `protocol.json`
//! (the protocol so far, as a hash chain), `manifest.json` (every file's size and SHA-256),
//! `SHA256SUMS` (for `sha256sum -c`) and `manifest.json.minisig` (for `minisign -V`).

pub mod cms;
pub mod document;
pub mod keys;
pub mod manifest;
pub mod minisig;
pub mod outbox;
pub mod part;
pub mod service;
pub mod trust;
pub mod verify;

use std::path::PathBuf;
use std::sync::Arc;

pub use keys::Keys;
pub use minisig::PublicKey;
pub use part::Sealed;
pub use verify::{Report, find_parts, verify_part};

use crate::config::Config;
use crate::paths::Paths;
use crate::store::Store;

/// Seals a part that has just ended with the court's key (made at the first seal), in the
/// court's time zone, queuing its deliveries as `config` says.
pub fn seal_now(
    store: &mut Store,
    paths: &Paths,
    part_id: i64,
    config: &Config,
) -> Result<Sealed, SealError> {
    let prepared = part::prepare(store, paths, part_id, config.court.time_zone());
    seal_prepared(store, paths, part_id, prepared, config)
}

/// Writes the seal of part `part_id` prepared by [`part::prepare`] with the court's key and
/// records it, or its failure.
pub fn seal_prepared(
    store: &mut Store,
    paths: &Paths,
    part_id: i64,
    prepared: Result<part::Prepared, SealError>,
    config: &Config,
) -> Result<Sealed, SealError> {
    let sealed = prepared.and_then(|prepared| {
        let sealed = prepared.write(&Sealer::open(paths, config)?)?;
        let outbox = outbox::outbox_rows(&sealed, &config.delivery);
        store.part_sealed(part_id, &sealed.manifest.sealed_at, &outbox)?;
        Ok(sealed)
    });
    if let Err(error) = &sealed {
        // Said where the session is listed; the next seal of the session tries again.
        let _ = store.part_seal_failed(part_id, &error.to_string());
    }
    sealed
}

/// Seals every part that ended and is not sealed: what recovery has just made whole, and
/// any part a power cut (or a failed seal) left unsealed. A part whose lock a live process
/// holds is left to it. A part whose seal fails is named in the log and tried again at the
/// next start.
pub fn seal_pending(
    store: &mut Store,
    paths: &Paths,
    config: &Config,
) -> Vec<Result<Sealed, SealError>> {
    seal_unsealed(store, paths, config, |_| true)
}

/// The unsealed parts `chosen` picks, each sealed while its lock is held here (`held` lives
/// until the part's seal is written).
fn seal_unsealed(
    store: &mut Store,
    paths: &Paths,
    config: &Config,
    chosen: impl Fn(&crate::store::Part) -> bool,
) -> Vec<Result<Sealed, SealError>> {
    let parts = match store.unsealed_parts() {
        Ok(parts) => parts,
        Err(error) => return vec![Err(error.into())],
    };
    parts
        .iter()
        .filter(|part| chosen(part))
        .filter_map(|part| {
            let lock = crate::paths::PartFiles(&paths.sessions().join(&part.folder)).lock();
            let held = std::fs::File::options().write(true).open(lock);
            if let Ok(file) = &held
                && file.try_lock().is_err()
            {
                return None;
            }
            Some(seal_now(store, paths, part.id, config))
        })
        .inspect(|result| {
            if let Err(error) = result {
                tracing::error!("cannot seal a part that ended: {error}");
            }
        })
        .collect()
}

/// Seals, every quarter minute, the parts whose seal failed (the signing service was down,
/// the court's certificate did not sign) as soon as it signs again: a thread of the
/// window's process with its own database connection, the configuration as it is on disk
/// at each pass. Stops when dropped.
pub fn retry_failed(paths: Paths) -> Option<crate::periodic::Periodic> {
    let mut store = Store::open(&paths.database())
        .inspect_err(|error| tracing::error!("seal retry: {error}"))
        .ok()?;
    Some(crate::periodic::Periodic::spawn(
        "seal-retry",
        std::time::Duration::from_secs(15),
        move || {
            let config = Config::load_for(&paths, false).unwrap_or_default();
            let waited = seal_unsealed(&mut store, &paths, &config, |part| {
                part.seal_error.is_some()
            });
            for sealed in waited.into_iter().flatten() {
                tracing::info!("sealed after waiting: {}", sealed.folder.display());
            }
        },
    ))
}

/// What signs a seal: the courtroom key (with its certificate, when the court's root key
/// certified it), and the court's X.509 certificate when one is configured; held here, or
/// by the courtroom's signing service.
#[derive(Debug)]
pub struct Sealer {
    signer: Signer,
    pub certificate: Option<trust::KeyCertificate>,
}

#[derive(Debug)]
enum Signer {
    Here {
        keys: Keys,
        court: Option<cms::CourtCertificate>,
    },
    Service(service::Client),
}

impl Sealer {
    /// What seals for `paths` as `config` says: the courtroom's signing service when one is
    /// configured, or installed and the data folder is the login's own; else the key in the
    /// data folder (made there at the first seal).
    pub fn open(paths: &Paths, config: &Config) -> Result<Self, SealError> {
        match service_socket(paths, &config.signing) {
            Some(socket) => Self::service(&socket),
            None => Self::load(&paths.keys(), &config.signing),
        }
    }

    /// The signing service listening at `socket`.
    pub fn service(socket: &std::path::Path) -> Result<Self, SealError> {
        let client = service::Client::connect(socket)?;
        Ok(Self {
            certificate: client.certificate.clone(),
            signer: Signer::Service(client),
        })
    }

    /// The key in the keys folder `keys` (made there at the first seal) and what `signing`
    /// configures.
    pub fn load(
        keys: &std::path::Path,
        signing: &crate::config::Signing,
    ) -> Result<Self, SealError> {
        let court = cms::CourtCertificate::load(signing)?;
        let key = Keys::load_or_create(keys)?;
        Ok(Self {
            certificate: trust::KeyCertificate::installed(keys, &key),
            signer: Signer::Here { keys: key, court },
        })
    }

    /// The key alone.
    pub fn of_keys(keys: Keys) -> Self {
        Self {
            signer: Signer::Here { keys, court: None },
            certificate: None,
        }
    }

    pub fn public(&self) -> PublicKey {
        match &self.signer {
            Signer::Here { keys, .. } => keys.public(),
            Signer::Service(client) => client.public.clone(),
        }
    }

    pub fn id_hex(&self) -> String {
        self.public().id_hex()
    }

    /// The court's certificate in words, when it signs too.
    pub fn court(&self) -> Option<String> {
        match &self.signer {
            Signer::Here { court, .. } => court.as_ref().map(cms::CourtCertificate::describe),
            Signer::Service(client) => client.court.clone(),
        }
    }

    /// A minisign signature of `message`; `what` names it in the service's log.
    pub fn sign(
        &self,
        what: &str,
        message: &[u8],
        untrusted: &str,
        trusted: &str,
    ) -> Result<String, SealError> {
        match &self.signer {
            Signer::Here { keys, .. } => Ok(keys.sign(message, untrusted, trusted)),
            Signer::Service(client) => Ok(client.sign(what, message, untrusted, trusted, false)?.0),
        }
    }

    /// A minisign signature of `message` and, when the court's certificate is configured,
    /// its CMS signature (DER).
    pub fn sign_with_court(
        &self,
        what: &str,
        message: &[u8],
        untrusted: &str,
        trusted: &str,
    ) -> Result<(String, Option<Vec<u8>>), SealError> {
        match &self.signer {
            Signer::Here { keys, court } => Ok((
                keys.sign(message, untrusted, trusted),
                court
                    .as_ref()
                    .map(|court| court.sign(message))
                    .transpose()?,
            )),
            Signer::Service(client) => {
                client.sign(what, message, untrusted, trusted, client.court.is_some())
            }
        }
    }
}

/// The signing service's socket for `paths`: the configured one; with none configured, the
/// installed service's when the data folder is the login's own (a `--data` folder signs
/// with its own key, as tests and trials do).
pub fn service_socket(paths: &Paths, signing: &crate::config::Signing) -> Option<PathBuf> {
    match signing.service.trim() {
        "here" => None,
        "" => {
            let own = paths.shared || Paths::new(None, None).data == paths.data;
            (own && std::path::Path::new(service::UNIT).exists())
                .then(|| PathBuf::from(service::SOCKET))
        }
        socket => Some(PathBuf::from(socket)),
    }
}

/// What a verifier trusts: public keys for the Ed25519 seal, and the certifying centres'
/// certificates (PEM files) the court's CMS signature is checked against.
#[derive(Debug, Clone, Default)]
pub struct Trust {
    pub keys: Vec<PublicKey>,
    pub centres: Vec<PathBuf>,
    /// The courts' root keys on a trust list: a seal whose key they certified is trusted.
    pub roots: Vec<trust::TrustedRoot>,
}

impl Trust {
    /// Keys alone (a trust list given on the command line).
    pub fn of_keys(keys: Vec<PublicKey>) -> Self {
        Self {
            keys,
            centres: Vec::new(),
            roots: Vec::new(),
        }
    }
}

impl std::ops::Deref for Trust {
    type Target = [PublicKey];

    fn deref(&self) -> &[PublicKey] {
        &self.keys
    }
}

/// The system's certifying centres (the package's folder, filled by the court's
/// administrator).
pub const SYSTEM_CENTRES: &str = "/etc/hattama/certifying-centres";

/// What this computer trusts: this court's own key and every `.pub` file in
/// `<keys>/trusted/` (older keys of this court, other courts); the certifying centres' PEM
/// files in `<keys>/certifying-centres/` and in /etc/hattama/certifying-centres/.
pub fn trusted_keys(paths: &Paths) -> Trust {
    let sorted = |folder: PathBuf| {
        let mut found: Vec<PathBuf> = std::fs::read_dir(folder)
            .map(|read| read.filter_map(Result::ok).map(|e| e.path()).collect())
            .unwrap_or_default();
        found.sort();
        found
    };
    let mut keys = Vec::new();
    let mut files = vec![Keys::public_file(&paths.keys())];
    files.extend(sorted(paths.keys().join("trusted")));
    // The courtroom's signing service seals here: its key (said by the service, and read
    // from its folder when the service is down) and the keys it had before.
    let signing = Config::load_for(paths, false).unwrap_or_default().signing;
    if let Some(socket) = service_socket(paths, &signing) {
        let service = PathBuf::from(service::FOLDER).join("keys");
        files.push(Keys::public_file(&service));
        files.extend(sorted(service.join("trusted")));
        if let Ok(client) = service::Client::connect(&socket) {
            keys.push(client.public);
        }
    }
    for file in files {
        if let Ok(text) = std::fs::read_to_string(&file) {
            keys.extend(parse_keys(&text));
        }
    }
    let mut centres = sorted(paths.keys().join("certifying-centres"));
    centres.extend(sorted(PathBuf::from(SYSTEM_CENTRES)));
    centres.retain(|path| path.extension().is_some_and(|e| e == "pem" || e == "crt"));
    // The trust list and the courts' revocations: the data folder's, else the system's.
    let mut roots = Vec::new();
    for folder in [paths.keys(), PathBuf::from(SYSTEM_FOLDER)] {
        let list = folder.join(trust::TRUST_LIST);
        if !list.exists() {
            continue;
        }
        let authorities: Vec<PublicKey> = sorted(folder.join("authorities"))
            .iter()
            .filter_map(|file| std::fs::read_to_string(file).ok())
            .flat_map(|text| parse_keys(&text))
            .collect();
        let revocations: Vec<PathBuf> = sorted(folder.join("revocations"))
            .into_iter()
            .filter(|path| path.extension().is_some_and(|e| e == "json"))
            .collect();
        match trust::load_roots(&list, &authorities, &revocations) {
            Ok(found) => roots = found,
            Err(why) => tracing::error!("the trust list is not trusted: {why}"),
        }
        break;
    }
    Trust {
        keys,
        centres,
        roots,
    }
}

/// The court's system folder: the trust list, authorities and revocations, certifying centres.
pub const SYSTEM_FOLDER: &str = "/etc/hattama";

/// Every public key in a trust list: `.pub` files one after another, or base64 lines.
pub fn parse_keys(text: &str) -> Vec<PublicKey> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with("untrusted comment:"))
        .filter_map(|line| PublicKey::parse(line).ok())
        .collect()
}

use crate::problem::Problem;
use crate::tr;

#[derive(Debug, Clone, thiserror::Error)]
pub enum SealError {
    #[error("cannot read or write the key {path}: {source}")]
    KeyFile {
        path: PathBuf,
        #[source]
        source: Arc<std::io::Error>,
    },
    #[error("the key file {path} is damaged: {reason}")]
    KeyDamaged { path: PathBuf, reason: String },
    #[error("the system could not provide random bytes for a new key: {0}")]
    Random(String),
    #[error("the {what} file is not a minisign {what}: {reason}")]
    Malformed { what: &'static str, reason: String },
    #[error("signed by key {found}, not by a trusted key ({trusted})")]
    UnknownKey { found: String, trusted: String },
    #[error("the signature does not match the signed file")]
    BadSignature,
    #[error("the trusted comment was changed after signing")]
    BadTrustedComment,
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    #[error("the court's certificate {path} cannot sign: {reason}")]
    Cms { path: PathBuf, reason: String },
    #[error("the signing service at {socket} does not sign: {reason}")]
    Service { socket: PathBuf, reason: String },
    #[error("cannot write or read {path}: {source}")]
    Write {
        path: PathBuf,
        #[source]
        source: Arc<std::io::Error>,
    },
}

impl Problem for SealError {
    fn title(&self) -> String {
        match self {
            SealError::KeyFile { path, .. } | SealError::KeyDamaged { path, .. } => {
                tr!("seal-key-failed", path = path.display().to_string())
            }
            SealError::Random(_) => tr!("seal-random-failed"),
            SealError::Malformed { .. } => tr!("seal-malformed"),
            SealError::UnknownKey { .. } => tr!("seal-unknown-key"),
            SealError::BadSignature | SealError::BadTrustedComment => tr!("seal-bad-signature"),
            SealError::Store(error) => error.title(),
            SealError::Write { path, .. } => {
                tr!("seal-write-failed", path = path.display().to_string())
            }
            SealError::Cms { .. } => tr!("seal-cms-failed"),
            SealError::Service { .. } => tr!("seal-service-failed"),
        }
    }

    fn help(&self) -> String {
        match self {
            SealError::KeyFile { .. } | SealError::KeyDamaged { .. } | SealError::Random(_) => {
                tr!("seal-key-help")
            }
            SealError::Malformed { .. }
            | SealError::UnknownKey { .. }
            | SealError::BadSignature
            | SealError::BadTrustedComment => tr!("seal-verify-help"),
            SealError::Store(error) => error.help(),
            SealError::Write { .. } => tr!("data-folder-help"),
            SealError::Cms { .. } => tr!("seal-cms-help"),
            SealError::Service { .. } => tr!("seal-service-help"),
        }
    }
}
