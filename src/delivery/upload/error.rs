//! Why a server was not reached, read or written: typed, and said in the words the operator
//! and the court's administrator have always read.

use std::path::PathBuf;
use std::sync::Arc;

use crate::seal::SealError;
use crate::seal::manifest::SealFileError;

/// Why a target cannot be opened or does not answer.
#[derive(Debug, Clone, thiserror::Error)]
pub enum TargetError {
    /// Its address or an option the address makes is not one the store takes.
    #[error("{url}: {reason}")]
    Address { url: String, reason: String },
    #[error("{url}: {scheme}:// is not supported (file:// or s3://)")]
    Scheme { url: String, scheme: String },
    /// A folder target that is not there: a configuration error, never made here.
    #[error("{}: no such folder", .0.display())]
    NoFolder(PathBuf),
    #[error("{url}: no answer in {seconds} s")]
    Silent { url: String, seconds: u64 },
    /// The store's own answer (a refused key, a missing bucket, a connection refused).
    #[error("{0}")]
    Store(Arc<object_store::Error>),
    #[error("cannot start the network runtime: {0}")]
    Runtime(Arc<std::io::Error>),
}

/// Kept in a check's step as data: a missing folder and a silent server are said in the
/// language of whoever reads the check; a server's own words stay as they came.
impl From<TargetError> for crate::i18n::Said {
    fn from(error: TargetError) -> Self {
        match error {
            TargetError::NoFolder(folder) => {
                crate::said!("check-no-folder", path = folder.display().to_string())
            }
            TargetError::Silent { seconds, .. } => {
                crate::said!("check-no-answer", seconds = seconds)
            }
            other => crate::i18n::Said::Text(other.to_string()),
        }
    }
}

/// Why something on a server (or its local copy) was not read, copied or put.
#[derive(Debug, Clone, thiserror::Error)]
pub enum RemoteError {
    #[error(transparent)]
    Target(#[from] TargetError),
    /// An object's name the store does not take.
    #[error("{0}")]
    Path(String),
    /// The store's answer about `at` (an object or a listing).
    #[error("{at}: {source}")]
    Store {
        at: String,
        source: Arc<object_store::Error>,
    },
    /// A file or folder here.
    #[error("{}: {source}", .path.display())]
    Local {
        path: PathBuf,
        source: Arc<std::io::Error>,
    },
    /// The copy of a feed kept here.
    #[error("{}: {source}", .path.display())]
    Database {
        path: PathBuf,
        source: Arc<rusqlite::Error>,
    },
    #[error("{path}: {size} bytes: no event is that large")]
    TooLarge { path: String, size: u64 },
    #[error("{0}: not text")]
    NotText(String),
    #[error("no signature beside it")]
    Unsigned,
    #[error("its signature: {0}")]
    Signature(SealError),
    #[error("not an event: {0}")]
    NotAnEvent(String),
    #[error(
        "an event of case {found_case} of {found_court}, found under case {case_number} of {court}"
    )]
    Elsewhere {
        found_case: String,
        found_court: String,
        case_number: String,
        court: String,
    },
    #[error("{MANIFEST}: {0}", MANIFEST = crate::seal::part::MANIFEST)]
    Manifest(SealFileError),
    /// A part whose seal does not verify where it was read.
    #[error("its seal does not verify on {url} ({failure})")]
    DoesNotVerify { url: String, failure: String },
    #[error("the replica's copy does not verify ({0}): not restored")]
    ReplicaDoesNotVerify(String),
    #[error("{0}: nothing there on the replica")]
    NothingThere(String),
    #[error("{url}: no sealed part of case {case_number} of {court} there")]
    NoParts {
        url: String,
        case_number: String,
        court: String,
    },
    #[error("{0}: not configured")]
    NotConfigured(String),
    /// What the server said when it was put (the upload's own words).
    #[error("{0}")]
    NotPut(String),
    #[error("{0}: not copied")]
    NotCopied(Box<RemoteError>),
}

impl RemoteError {
    pub(crate) fn path(error: object_store::path::Error) -> Self {
        RemoteError::Path(error.to_string())
    }

    /// The store's answer about `at`.
    pub(crate) fn store(at: impl std::fmt::Display) -> impl FnOnce(object_store::Error) -> Self {
        let at = at.to_string();
        move |source| RemoteError::Store {
            at,
            source: Arc::new(source),
        }
    }

    /// The copy of a feed kept here.
    pub(crate) fn database(path: &std::path::Path) -> impl FnOnce(rusqlite::Error) -> Self + '_ {
        move |source| RemoteError::Database {
            path: path.to_owned(),
            source: Arc::new(source),
        }
    }

    /// A file or folder here.
    pub(crate) fn local(path: &std::path::Path) -> impl FnOnce(std::io::Error) -> Self + '_ {
        move |source| RemoteError::Local {
            path: path.to_owned(),
            source: Arc::new(source),
        }
    }
}
