//! Sealing: every session part is signed so that anyone can check it with stock tools
//! (`minisign`, `sha256sum`), without Hattama.
//!
//! This first piece holds the court's signing key and minisign's formats.

pub mod keys;
pub mod minisig;

use std::path::PathBuf;
use std::sync::Arc;

pub use keys::Keys;
pub use minisig::PublicKey;

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
    #[error("not a minisign {what}: {reason}")]
    Malformed { what: &'static str, reason: String },
    #[error("signed by key {found}, not by a trusted key ({trusted})")]
    UnknownKey { found: String, trusted: String },
    #[error("the signature does not match the signed file")]
    BadSignature,
    #[error("the trusted comment was changed after signing")]
    BadTrustedComment,
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
        }
    }
}
