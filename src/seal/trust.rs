//! The chain a court stands on, in minisign's format so stock tools check every link:
//!
//! - the court's root key (kept offline by its administrator) certifies each courtroom key:
//!   `key-certificate.json` + `.minisig` (`minisign -Vm key-certificate.json -p
//!   court-root.pub`), carried by every seal that key makes;
//! - a trust list names the root keys of the courts, signed by an authority (the Judicial
//!   Administration): `trust-list.json` + `.minisig`;
//! - each court revokes its courtroom keys in `revocations.json` + `.minisig`, signed by its
//!   root: seals made before a key's revocation time still hold, later ones fail.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize, de::DeserializeOwned};

use super::manifest::{MANIFEST_LIMIT, SIGNATURE_LIMIT, read_bytes};
use super::minisig::{self, PublicKey};
use super::{Keys, SealError};

pub const CERTIFICATE: &str = "key-certificate.json";
pub const CERTIFICATE_SIGNATURE: &str = "key-certificate.json.minisig";
pub const ROOT_SECRET: &str = "court-root.key";
pub const ROOT_PUBLIC: &str = "court-root.pub";
pub const TRUST_LIST: &str = "trust-list.json";
pub const REVOCATIONS: &str = "revocations.json";

/// A courtroom key, certified by its court's root key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Certificate {
    pub format: String,
    pub key_id: String,
    /// The key, as `minisign -P` takes it.
    pub public_key: String,
    pub court: String,
    pub hall: String,
    pub instance: String,
    pub valid_from: String,
    pub valid_until: String,
    pub issued_at: String,
    pub root_key_id: String,
}

pub const CERTIFICATE_FORMAT: &str = "hattama-key-certificate/1";
pub const TRUST_LIST_FORMAT: &str = "hattama-trust-list/1";
pub const REVOCATIONS_FORMAT: &str = "hattama-revocations/1";

/// The courts whose root keys an authority vouches for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrustList {
    pub format: String,
    pub issued_at: String,
    pub courts: Vec<TrustedCourt>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrustedCourt {
    pub court: String,
    /// The court's root key, as `minisign -P` takes it.
    pub root_key: String,
}

/// A court's revoked courtroom keys.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Revocations {
    pub format: String,
    pub root_key_id: String,
    pub issued_at: String,
    pub revoked: Vec<Revoked>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Revoked {
    pub key_id: String,
    /// Seals made from this time on fail.
    pub from: String,
    pub reason: String,
}

/// A court root key the trust list vouches for, with the revocations it signed.
#[derive(Debug, Clone)]
pub struct TrustedRoot {
    pub court: String,
    pub key: PublicKey,
    pub revoked: Vec<Revoked>,
}

/// A courtroom key's certificate as installed beside the key (`<keys>/key-certificate.json`
/// and its signature), copied into every part that key seals.
#[derive(Debug, Clone)]
pub struct KeyCertificate {
    pub json: Vec<u8>,
    pub signature: Vec<u8>,
}

impl KeyCertificate {
    /// The certificate installed in the keys folder `folder` for `keys`, if any.
    pub fn installed(folder: &Path, keys: &Keys) -> Option<Self> {
        let json = read_bytes(&folder.join(CERTIFICATE), MANIFEST_LIMIT).ok()?;
        let signature = read_bytes(&folder.join(CERTIFICATE_SIGNATURE), SIGNATURE_LIMIT).ok()?;
        let certificate: Certificate = serde_json::from_slice(&json).ok()?;
        (certificate.key_id == keys.id_hex()).then_some(Self { json, signature })
    }

    pub fn certificate(&self) -> Option<Certificate> {
        serde_json::from_slice(&self.json).ok()
    }
}

/// `value` as signed JSON: its text and its minisign signature by `keys`.
pub fn sign_json<T: Serialize>(value: &T, keys: &Keys, what: &str) -> (String, String) {
    let json = serde_json::to_string_pretty(value).expect("it serializes") + "\n";
    let signature = keys.sign(
        json.as_bytes(),
        &format!("Hattama {what} (minisign)"),
        &format!("{what}, signed by key {}", keys.id_hex()),
    );
    (json, signature)
}

/// The file's signature name: `<file>.minisig`.
pub fn signature_of(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_owned();
    name.push(".minisig");
    path.with_file_name(name)
}

/// Why a trust list, a revocation list or a courtroom key's certificate does not hold.
#[derive(Debug, Clone, thiserror::Error)]
pub enum TrustError {
    #[error("{}: {why}", .path.display())]
    Unreadable {
        path: PathBuf,
        why: crate::digest::Unreadable,
    },
    #[error("{}: the signature is not text", .0.display())]
    SignatureNotText(PathBuf),
    /// Not signed by a key it must be signed by, or not minisign's.
    #[error("{}: {source}", .path.display())]
    Signature { path: PathBuf, source: SealError },
    #[error("{}: {reason}", .path.display())]
    NotJson { path: PathBuf, reason: String },
    #[error("not a trust list ({0})")]
    NotTrustList(String),
    #[error("{0}")]
    Key(SealError),
    #[error("{0:?} is not a time (RFC 3339)")]
    NotATime(String),
    #[error("the courtroom key's certificate is not signed by a court on the trust list: {0}")]
    Uncertified(Box<TrustError>),
    #[error("certifies key {certified}, and the seal was made by key {sealed_by}")]
    OtherKey {
        certified: String,
        sealed_by: String,
    },
    #[error("its court's root key is not on the trust list")]
    UnknownRoot,
    #[error("the key was certified for {from} – {until}, and the seal was made {sealed_at}")]
    OutsideValidity {
        from: String,
        until: String,
        sealed_at: String,
    },
    #[error(
        "key {} of {}, hall {} was revoked from {} ({}), and the seal was made {sealed_at}",
        .certificate.key_id, .certificate.court, .certificate.hall, .revocation.from,
        .revocation.reason
    )]
    Revoked {
        certificate: Box<Certificate>,
        revocation: Box<Revoked>,
        sealed_at: String,
    },
}

/// A signed JSON file, checked against `keys`: its value.
pub fn read_signed<T: DeserializeOwned>(path: &Path, keys: &[PublicKey]) -> Result<T, TrustError> {
    let unreadable = |path: &Path| {
        let path = path.to_owned();
        move |why| TrustError::Unreadable { path, why }
    };
    let bytes = read_bytes(path, MANIFEST_LIMIT).map_err(unreadable(path))?;
    let signature_path = signature_of(path);
    let signature =
        read_bytes(&signature_path, SIGNATURE_LIMIT).map_err(unreadable(&signature_path))?;
    let signature = String::from_utf8(signature)
        .map_err(|_| TrustError::SignatureNotText(signature_path.clone()))?;
    minisig::verify(keys, &bytes, &signature).map_err(|source| TrustError::Signature {
        path: path.to_owned(),
        source,
    })?;
    serde_json::from_slice(&bytes).map_err(|error| TrustError::NotJson {
        path: path.to_owned(),
        reason: error.to_string(),
    })
}

fn time(text: &str) -> Result<DateTime<Utc>, TrustError> {
    text.parse::<DateTime<Utc>>()
        .map_err(|_| TrustError::NotATime(text.to_owned()))
}

/// The root keys on the trust list `list` (signed by one of `authorities`), each with the
/// revocations in `revocation_files` its court signed (others are refused).
pub fn load_roots(
    list: &Path,
    authorities: &[PublicKey],
    revocation_files: &[PathBuf],
) -> Result<Vec<TrustedRoot>, TrustError> {
    let list: TrustList = read_signed(list, authorities)?;
    if list.format != TRUST_LIST_FORMAT {
        return Err(TrustError::NotTrustList(list.format));
    }
    let mut roots = list
        .courts
        .into_iter()
        .map(|court| {
            let key = PublicKey::parse(&court.root_key).map_err(TrustError::Key)?;
            Ok(TrustedRoot {
                court: court.court,
                key,
                revoked: Vec::new(),
            })
        })
        .collect::<Result<Vec<_>, TrustError>>()?;
    for file in revocation_files {
        let keys: Vec<PublicKey> = roots.iter().map(|root| root.key.clone()).collect();
        let revocations: Revocations = read_signed(file, &keys)?;
        if let Some(root) = roots
            .iter_mut()
            .find(|root| root.key.id_hex() == revocations.root_key_id)
        {
            root.revoked.extend(revocations.revoked);
        }
    }
    Ok(roots)
}

/// The certificate in a part `folder` for the key `signer` that signed its manifest at
/// `sealed_at`: certified by a root on the trust list, valid then, and not revoked then.
/// Returns the certified key and who it is (court, hall).
pub fn check_certificate(
    folder: &Path,
    signer: [u8; 8],
    sealed_at: &str,
    roots: &[TrustedRoot],
) -> Result<(PublicKey, String), TrustError> {
    let path = folder.join(CERTIFICATE);
    let root_keys: Vec<PublicKey> = roots.iter().map(|root| root.key.clone()).collect();
    let certificate: Certificate =
        read_signed(&path, &root_keys).map_err(|why| TrustError::Uncertified(Box::new(why)))?;
    let key = PublicKey::parse(&certificate.public_key).map_err(TrustError::Key)?;
    if key.id != signer || certificate.key_id != key.id_hex() {
        return Err(TrustError::OtherKey {
            certified: certificate.key_id,
            sealed_by: minisig::key_id_hex(&signer),
        });
    }
    let root = roots
        .iter()
        .find(|root| root.key.id_hex() == certificate.root_key_id)
        .ok_or(TrustError::UnknownRoot)?;
    let at = time(sealed_at)?;
    if at < time(&certificate.valid_from)? || at > time(&certificate.valid_until)? {
        return Err(TrustError::OutsideValidity {
            from: certificate.valid_from,
            until: certificate.valid_until,
            sealed_at: sealed_at.to_owned(),
        });
    }
    if let Some(revoked) = root
        .revoked
        .iter()
        .find(|revoked| revoked.key_id == certificate.key_id)
        && at >= time(&revoked.from)?
    {
        return Err(TrustError::Revoked {
            certificate: Box::new(certificate),
            revocation: Box::new(revoked.clone()),
            sealed_at: sealed_at.to_owned(),
        });
    }
    Ok((
        key,
        format!(
            "courtroom key {} of {}, hall {} ({} instance), certified by {} (root key {}) for {} – {}",
            certificate.key_id,
            certificate.court,
            certificate.hall,
            certificate.instance,
            root.court,
            certificate.root_key_id,
            certificate.valid_from,
            certificate.valid_until
        ),
    ))
}
