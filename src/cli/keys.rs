//! `hattama keys`: the court's chain of trust, for its administrator. The court's root key
//! (made once, kept offline) certifies each courtroom key and revokes it; an authority's key
//! signs the trust list of the courts' root keys. Every file is minisign-checkable.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::{DateTime, SecondsFormat, Utc};
use clap::Subcommand;
use hattama::paths::Paths;
use hattama::seal::minisig::PublicKey;
use hattama::seal::trust::{self, Certificate, Revocations, Revoked, TrustList, TrustedCourt};
use hattama::seal::{Keys, parse_keys};
use hattama::tr;

use super::print_json;

#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// Makes a root key (the court's, or an authority's) in a new folder.
    InitCourt {
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Certifies a courtroom key with the court's root key.
    Certify {
        #[arg(long, value_name = "DIR")]
        root: PathBuf,
        #[arg(long, value_name = "FILE")]
        public: PathBuf,
        #[arg(long)]
        court: String,
        #[arg(long)]
        hall: String,
        #[arg(long, default_value = "first")]
        instance: String,
        #[arg(long, value_name = "TIME")]
        from: Option<String>,
        #[arg(long, value_name = "TIME")]
        until: String,
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Revokes a courtroom key from a time on, in the court's signed revocations.
    Revoke {
        #[arg(long, value_name = "DIR")]
        root: PathBuf,
        #[arg(long = "key-id")]
        key_id: String,
        #[arg(long, value_name = "TIME")]
        from: Option<String>,
        #[arg(long)]
        reason: String,
        #[arg(long)]
        json: bool,
    },
    /// Signs the trust list of the courts' root keys with an authority's root key.
    TrustList {
        #[arg(long, value_name = "DIR")]
        authority: PathBuf,
        /// `NAME=FILE`: a court and its root key's `.pub` file.
        #[arg(long = "court", value_name = "NAME=FILE")]
        courts: Vec<String>,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// This workstation's courtroom key, its certificate and its state.
    Show {
        #[arg(long)]
        json: bool,
    },
    /// Replaces this workstation's courtroom key (lost trust, a new workstation's policy):
    /// the old public key stays trusted here, the new one needs its certificate.
    Rotate {
        #[arg(long)]
        json: bool,
    },
}

pub fn run(command: KeysCommand, paths: &Paths, config: &hattama::config::Config) -> ExitCode {
    let (json, result) = match command {
        KeysCommand::InitCourt { out, json } => (json, init(&out)),
        KeysCommand::Certify {
            root,
            public,
            court,
            hall,
            instance,
            from,
            until,
            out,
            json,
        } => (
            json,
            certify(
                &root,
                &public,
                (court, hall, instance),
                (from.as_deref(), &until),
                &out,
            ),
        ),
        KeysCommand::Revoke {
            root,
            key_id,
            from,
            reason,
            json,
        } => (json, revoke(&root, &key_id, from.as_deref(), &reason)),
        KeysCommand::TrustList {
            authority,
            courts,
            out,
            json,
        } => (json, trust_list(&authority, &courts, &out)),
        KeysCommand::Show { json } => (json, show(paths, config)),
        KeysCommand::Rotate { json } => (json, rotate(paths)),
    };
    match result {
        Ok(done) if json => {
            print_json(&done);
            ExitCode::SUCCESS
        }
        Ok(done) => {
            println!("{}", done["said"].as_str().unwrap_or_default());
            ExitCode::SUCCESS
        }
        Err(why) => {
            eprintln!("{}: {why}", tr!("error-label"));
            ExitCode::FAILURE
        }
    }
}

/// Why a `keys` command did nothing.
#[derive(Debug, thiserror::Error)]
enum KeysError {
    #[error("{0:?} is neither a date (2027-12-31) nor a time (RFC 3339)")]
    NotATime(String),
    #[error("{0:?}: give a court as NAME=FILE")]
    NotACourt(String),
    #[error("{}: no public key", .0.display())]
    NoPublicKey(PathBuf),
    #[error("{}: {source}", .path.display())]
    File {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Seal(#[from] hattama::seal::SealError),
    #[error(transparent)]
    Trust(#[from] trust::TrustError),
    #[error(transparent)]
    Output(#[from] hattama::output::OutputError),
}

/// An I/O error on `path`, named with it.
fn on(path: &Path) -> impl FnOnce(std::io::Error) -> KeysError + '_ {
    move |source| KeysError::File {
        path: path.to_owned(),
        source,
    }
}

fn now() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// A time as given: RFC 3339, or a date (its start; for `until`, its end).
fn time(text: &str, end_of_day: bool) -> Result<String, KeysError> {
    if let Ok(at) = text.parse::<DateTime<Utc>>() {
        return Ok(at.to_rfc3339_opts(SecondsFormat::Secs, true));
    }
    let date = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| KeysError::NotATime(text.to_owned()))?;
    let clock = if end_of_day {
        chrono::NaiveTime::from_hms_opt(23, 59, 59)
    } else {
        chrono::NaiveTime::from_hms_opt(0, 0, 0)
    }
    .expect("a valid time");
    Ok(date
        .and_time(clock)
        .and_utc()
        .to_rfc3339_opts(SecondsFormat::Secs, true))
}

fn root_keys(folder: &Path) -> Result<Keys, KeysError> {
    Ok(Keys::load_secret(&folder.join(trust::ROOT_SECRET))?)
}

fn write_new(path: &Path, bytes: &[u8]) -> Result<(), KeysError> {
    Ok(hattama::output::write_new(path, bytes)?)
}

fn init(out: &Path) -> Result<serde_json::Value, KeysError> {
    hattama::paths::create_folder_all(out).map_err(on(out))?;
    let keys = Keys::generate()?;
    let (secret, public) = (out.join(trust::ROOT_SECRET), out.join(trust::ROOT_PUBLIC));
    keys.write_pair(&secret, &public)?;
    Ok(serde_json::json!({
        "key_id": keys.id_hex(),
        "secret": secret,
        "public": public,
        "said": tr!("keys-root-made", id = keys.id_hex(), public = public.display().to_string(),
            secret = secret.display().to_string()),
    }))
}

fn certify(
    root: &Path,
    public: &Path,
    (court, hall, instance): (String, String, String),
    (from, until): (Option<&str>, &str),
    out: &Path,
) -> Result<serde_json::Value, KeysError> {
    let root_keys = root_keys(root)?;
    let text = std::fs::read_to_string(public).map_err(on(public))?;
    let key = PublicKey::parse(&text)?;
    let certificate = Certificate {
        format: trust::CERTIFICATE_FORMAT.to_owned(),
        key_id: key.id_hex(),
        public_key: key.base64(),
        court,
        hall,
        instance,
        valid_from: from.map_or_else(|| Ok(now()), |from| time(from, false))?,
        valid_until: time(until, true)?,
        issued_at: now(),
        root_key_id: root_keys.id_hex(),
    };
    let (json, signature) = trust::sign_json(&certificate, &root_keys, "key certificate");
    hattama::paths::create_folder_all(out).map_err(on(out))?;
    let path = out.join(trust::CERTIFICATE);
    write_new(&path, json.as_bytes())?;
    write_new(&trust::signature_of(&path), signature.as_bytes())?;
    Ok(serde_json::json!({
        "certificate": certificate,
        "file": path,
        "said": tr!("keys-certified", id = certificate.key_id.clone(),
            court = certificate.court.clone(), hall = certificate.hall.clone(),
            until = certificate.valid_until.clone(), file = path.display().to_string()),
    }))
}

fn revoke(
    root: &Path,
    key_id: &str,
    from: Option<&str>,
    reason: &str,
) -> Result<serde_json::Value, KeysError> {
    let root_keys = root_keys(root)?;
    let path = root.join(trust::REVOCATIONS);
    let mut revocations = if path.exists() {
        trust::read_signed::<Revocations>(&path, &[root_keys.public()])?
    } else {
        Revocations {
            format: trust::REVOCATIONS_FORMAT.to_owned(),
            root_key_id: root_keys.id_hex(),
            issued_at: now(),
            revoked: Vec::new(),
        }
    };
    let from = from.map_or_else(|| Ok(now()), |from| time(from, false))?;
    revocations
        .revoked
        .retain(|revoked| revoked.key_id != key_id);
    revocations.revoked.push(Revoked {
        key_id: key_id.to_owned(),
        from: from.clone(),
        reason: reason.to_owned(),
    });
    revocations.issued_at = now();
    let (json, signature) = trust::sign_json(&revocations, &root_keys, "revocations");
    hattama::paths::write_atomically(&path, json.as_bytes())
        .and_then(|()| {
            hattama::paths::write_atomically(&trust::signature_of(&path), signature.as_bytes())
        })
        .map_err(on(&path))?;
    Ok(serde_json::json!({
        "revocations": revocations,
        "file": path,
        "said": tr!("keys-revoked", id = key_id.to_owned(), from = from,
            file = path.display().to_string()),
    }))
}

fn trust_list(
    authority: &Path,
    courts: &[String],
    out: &Path,
) -> Result<serde_json::Value, KeysError> {
    let authority = root_keys(authority)?;
    let courts = courts
        .iter()
        .map(|pair| {
            let (court, file) = pair
                .split_once('=')
                .ok_or_else(|| KeysError::NotACourt(pair.to_owned()))?;
            let file = Path::new(file);
            let text = std::fs::read_to_string(file).map_err(on(file))?;
            let key = parse_keys(&text)
                .into_iter()
                .next()
                .ok_or_else(|| KeysError::NoPublicKey(file.to_owned()))?;
            Ok(TrustedCourt {
                court: court.to_owned(),
                root_key: key.base64(),
            })
        })
        .collect::<Result<Vec<_>, KeysError>>()?;
    let list = TrustList {
        format: trust::TRUST_LIST_FORMAT.to_owned(),
        issued_at: now(),
        courts,
    };
    let (json, signature) = trust::sign_json(&list, &authority, "trust list");
    write_new(out, json.as_bytes())?;
    write_new(&trust::signature_of(out), signature.as_bytes())?;
    Ok(serde_json::json!({
        "trust_list": list,
        "file": out,
        "said": tr!("keys-trust-list", count = list.courts.len(), file = out.display().to_string()),
    }))
}

/// The key that seals here (the signing service's, when it signs for this data folder),
/// with its certificate.
fn show(paths: &Paths, config: &hattama::config::Config) -> Result<serde_json::Value, KeysError> {
    let sealer = match hattama::seal::service_socket(paths, &config.signing) {
        Some(socket) => hattama::seal::Sealer::service(&socket),
        None => Keys::load(&paths.keys()).map(|keys| {
            let installed = trust::KeyCertificate::installed(&paths.keys(), &keys);
            let mut sealer = hattama::seal::Sealer::of_keys(keys);
            sealer.certificate = installed;
            sealer
        }),
    }?;
    let certificate = sealer
        .certificate
        .as_ref()
        .and_then(|installed| installed.certificate());
    let id = sealer.id_hex();
    let state = match &certificate {
        None => "not-certified",
        Some(certificate)
            if certificate
                .valid_until
                .parse::<DateTime<Utc>>()
                .is_ok_and(|until| until < Utc::now()) =>
        {
            "expired"
        }
        Some(_) => "certified",
    };
    let said = match &certificate {
        None => tr!("keys-show-uncertified", id = id.clone()),
        Some(certificate) => tr!(
            "keys-show-certified",
            id = id.clone(),
            court = certificate.court.clone(),
            hall = certificate.hall.clone(),
            until = certificate.valid_until.clone(),
            state = state
        ),
    };
    Ok(serde_json::json!({
        "key_id": id,
        "certificate": certificate,
        "state": state,
        "said": said,
    }))
}

fn rotate(paths: &Paths) -> Result<serde_json::Value, KeysError> {
    let old = Keys::load(&paths.keys())?;
    let new = Keys::replace(&paths.keys())?;
    Ok(serde_json::json!({
        "old_key_id": old.id_hex(),
        "key_id": new.id_hex(),
        "public": Keys::public_file(&paths.keys()),
        "said": tr!("keys-rotated", old = old.id_hex(), new = new.id_hex(),
            public = Keys::public_file(&paths.keys()).display().to_string()),
    }))
}
