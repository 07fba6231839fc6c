//! Uploading a sealed part to the court's recording server (rules 20, 26) through
//! object_store: a local or mounted folder (`file:///srv/hattama`) or an S3-compatible
//! server (`s3://bucket/prefix`). Each file is sent under `<prefix>/<part folder>/<name>`,
//! hashed as it is read and checked against the seal before it leaves (a damaged local copy
//! is never uploaded as whole), then read back from the server and hashed again.
//!
//! An interrupted upload resumes where it stopped. While a part is under way, a journal in
//! the data folder's `uploads/` names the files already checked on the server and, for a
//! large file going up to S3 in 8 MiB pieces, the multipart upload and the pieces it
//! already holds: the next attempt sends only what is missing (the pieces already sent are
//! read again locally, to hash the whole file, not sent again). Without a journal, a file
//! already on the server with the sealed SHA-256 is not sent again either.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use object_store::aws::AmazonS3Builder;
use object_store::multipart::MultipartStore;
use object_store::path::Path as ObjectPath;
use object_store::{ObjectStore, ObjectStoreExt};
use sha2::{Digest, Sha256};

use super::Sent;
use crate::config::Delivery;
use crate::digest::hex;
pub use crate::seal::outbox::UploadPayload;

mod error;
mod put;

pub use error::{RemoteError, TargetError};

use put::{Failure, put_file, put_in_pieces, remote_sha256};

/// Files at least this large go up in pieces.
const MULTIPART_FROM: u64 = 16 << 20;
/// The size of a piece (S3 wants at least 5 MiB but for the last).
const CHUNK: usize = 8 << 20;
/// Pieces in flight at once.
const IN_FLIGHT: usize = 2;

/// Where parts go: the court's recording server, the archive, or the regional replica.
#[derive(Debug, Clone, Copy)]
pub struct Target<'a> {
    /// The configuration's name for it (`server`, `archive`, `replica`), for messages.
    pub name: &'a str,
    pub url: &'a str,
    pub endpoint: &'a str,
    pub access_key: &'a str,
    pub secret_key: &'a str,
    pub region: &'a str,
}

impl Delivery {
    pub fn server_target(&self) -> Target<'_> {
        Target {
            name: "server",
            url: &self.server,
            endpoint: &self.server_endpoint,
            access_key: &self.server_access_key,
            secret_key: &self.server_secret_key,
            region: &self.server_region,
        }
    }

    /// The recording server of a session of `instance` (rule 26): the regional court's for
    /// cassation, the Supreme Court's for supervision when configured, else the court's own.
    pub fn server_for(&self, instance: &str) -> Target<'_> {
        let (name, other) = match instance {
            "cassation" => ("cassation server", &self.cassation),
            "supervisory" => ("supervisory server", &self.supervisory),
            _ => return self.server_target(),
        };
        if other.server.is_empty() {
            return self.server_target();
        }
        let region = if other.region.is_empty() {
            &self.server_region
        } else {
            &other.region
        };
        Target {
            name,
            url: &other.server,
            endpoint: &other.endpoint,
            access_key: &other.access_key,
            secret_key: &other.secret_key,
            region,
        }
    }

    /// A target by its name in the configuration: `server`, `cassation`, `supervisory`,
    /// `archive` or `replica`; `None` for any other name or one not configured.
    pub fn target_named(&self, name: &str) -> Option<Target<'_>> {
        let target = match name {
            "server" => self.server_target(),
            "cassation" | "supervisory" => {
                let target = self.server_for(name);
                if target.url == self.server {
                    return None;
                }
                target
            }
            "archive" => self.archive_target(),
            "replica" => self.replica_target(),
            _ => return None,
        };
        (!target.url.is_empty()).then_some(target)
    }

    pub fn archive_target(&self) -> Target<'_> {
        Target {
            name: "archive",
            url: &self.archive,
            endpoint: &self.archive_endpoint,
            access_key: &self.archive_access_key,
            secret_key: &self.archive_secret_key,
            region: &self.server_region,
        }
    }

    pub fn replica_target(&self) -> Target<'_> {
        Target {
            name: "replica",
            url: &self.replica,
            endpoint: &self.replica_endpoint,
            access_key: &self.replica_access_key,
            secret_key: &self.replica_secret_key,
            region: &self.server_region,
        }
    }
}

/// An opened target: its store, the prefix under it, and (for S3) the store's own
/// multipart calls, which let a large upload resume across attempts.
pub struct Remote {
    pub store: Arc<dyn ObjectStore>,
    pub pieces: Option<Arc<dyn MultipartStore>>,
    /// Presigned addresses of objects (an S3 server), for reads with plain HTTP.
    pub signer: Option<Arc<dyn object_store::signer::Signer>>,
    pub prefix: ObjectPath,
}

/// How long a target has to answer whether it is there.
const ANSWER_WITHIN: std::time::Duration = std::time::Duration::from_secs(15);

/// Opens the target.
pub fn open(target: Target<'_>) -> Result<Remote, TargetError> {
    let address = |reason: String| TargetError::Address {
        url: target.url.to_owned(),
        reason,
    };
    let url = url::Url::parse(target.url).map_err(|error| address(error.to_string()))?;
    let mut options: Vec<(&str, String)> = Vec::new();
    if !target.endpoint.is_empty() {
        options.push(("aws_endpoint", target.endpoint.to_owned()));
        options.push((
            "aws_allow_http",
            target.endpoint.starts_with("http://").to_string(),
        ));
    }
    if !target.access_key.is_empty() {
        options.push(("aws_access_key_id", target.access_key.to_owned()));
        options.push(("aws_secret_access_key", target.secret_key.to_owned()));
    }
    options.push(("aws_region", target.region.to_owned()));
    match url.scheme() {
        "file" => {
            // A folder that is not there is a configuration error, not a reason to make it.
            let folder = url
                .to_file_path()
                .map_err(|()| address("not a folder".to_owned()))?;
            if !folder.is_dir() {
                return Err(TargetError::NoFolder(folder));
            }
            let (store, prefix) = object_store::parse_url_opts(&url, options)
                .map_err(|error| address(error.to_string()))?;
            Ok(Remote {
                store: Arc::from(store),
                pieces: None,
                signer: None,
                prefix,
            })
        }
        "s3" => {
            let (_, prefix) = object_store::ObjectStoreScheme::parse(&url)
                .map_err(|error| address(error.to_string()))?;
            let mut builder = AmazonS3Builder::new().with_url(target.url);
            for (key, value) in options {
                let key = key
                    .parse()
                    .map_err(|error| address(format!("{key}: {error}")))?;
                builder = builder.with_config(key, value);
            }
            let s3 = Arc::new(
                builder
                    .build()
                    .map_err(|error| address(error.to_string()))?,
            );
            Ok(Remote {
                store: s3.clone(),
                pieces: Some(s3.clone()),
                signer: Some(s3),
                prefix,
            })
        }
        other => Err(TargetError::Scheme {
            url: target.url.to_owned(),
            scheme: other.to_owned(),
        }),
    }
}

/// Whether the target answers: its prefix can be listed (a folder that is there, a bucket
/// the key may read).
pub fn reachable(target: Target<'_>) -> Result<(), TargetError> {
    let remote = open(target)?;
    let runtime = runtime()?;
    runtime.block_on(async {
        let listed = tokio::time::timeout(
            ANSWER_WITHIN,
            remote.store.list_with_delimiter(Some(&remote.prefix)),
        )
        .await;
        match listed {
            Ok(Ok(_)) => Ok(()),
            Ok(Err(error)) => Err(TargetError::Store(Arc::new(error))),
            Err(_) => Err(TargetError::Silent {
                url: target.url.to_owned(),
                seconds: ANSWER_WITHIN.as_secs(),
            }),
        }
    })
}

/// The target opened and a runtime to call it from, or how the attempt ends: a target that
/// cannot be opened is refused for a person (its address), a runtime that cannot start is
/// tried again.
pub(super) fn opened(target: Target<'_>) -> Result<(Remote, tokio::runtime::Runtime), Sent> {
    let remote = open(target).map_err(|error| Sent::Refused(error.to_string()))?;
    let runtime = runtime().map_err(|error| Sent::Retry {
        error: error.to_string(),
        after: None,
    })?;
    Ok((remote, runtime))
}

/// A runtime on this thread for object_store's calls.
pub(super) fn runtime() -> Result<tokio::runtime::Runtime, TargetError> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|error| TargetError::Runtime(Arc::new(error)))
}

/// `<prefix>/<folder>/<name>`, either of the last two possibly empty.
pub(crate) fn object_path(
    prefix: &ObjectPath,
    folder: &str,
    name: &str,
) -> Result<ObjectPath, RemoteError> {
    let mut text = prefix.as_ref().to_owned();
    for piece in [folder, name].into_iter().filter(|piece| !piece.is_empty()) {
        if !text.is_empty() {
            text.push('/');
        }
        text.push_str(piece);
    }
    ObjectPath::parse(&text).map_err(RemoteError::path)
}

/// What an interrupted upload of one part leaves for the next attempt.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
struct Journal {
    /// Files checked on the server: name → what the server said of it then.
    checked: BTreeMap<String, Checked>,
    /// The large file that was going up in pieces.
    open: Option<OpenUpload>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
struct Checked {
    size: u64,
    e_tag: Option<String>,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct OpenUpload {
    name: String,
    sealed: String,
    id: String,
    /// The server's ids of the pieces it holds, in order.
    pieces: Vec<String>,
}

/// The journal of one part's upload to one target, kept on disk after every step.
struct Progress {
    file: PathBuf,
    journal: Journal,
}

impl Progress {
    fn load(uploads: &Path, target: Target<'_>, folder: &str) -> Self {
        let key = hex(&Sha256::digest(format!("{}\n{folder}", target.url)));
        let file = uploads.join(format!("{}.json", &key[..32]));
        let journal = std::fs::read(&file)
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default();
        Self { file, journal }
    }

    fn save(&self) {
        let written = crate::paths::create_folder_all(self.file.parent().unwrap_or(Path::new(".")))
            .and_then(|()| {
                crate::paths::write_atomically(
                    &self.file,
                    &serde_json::to_vec(&self.journal).unwrap_or_default(),
                )
            });
        if let Err(error) = written {
            // Losing the journal costs only a resend.
            tracing::warn!("{}: {error}", self.file.display());
        }
    }

    fn finished(self) {
        let _ = std::fs::remove_file(&self.file);
    }
}

/// Uploads one part; `sessions` is the local sessions folder, `uploads` where journals of
/// uploads under way are kept.
pub fn upload(
    payload: &UploadPayload,
    sessions: &Path,
    uploads: &Path,
    target: Target<'_>,
) -> Sent {
    let (remote, runtime) = match opened(target) {
        Ok(opened) => opened,
        Err(sent) => return sent,
    };
    let mut progress = Progress::load(uploads, target, &payload.folder);
    let folder = sessions.join(&payload.folder);
    let sent = runtime.block_on(async {
        for (name, sealed) in &payload.files {
            let path = object_path(&remote.prefix, payload.remote_folder(), name)
                .map_err(|error| Failure::Local(error.to_string()))?;
            if already_there(&remote, &path, name, sealed, &progress).await {
                continue;
            }
            let file = folder.join(name);
            let size = std::fs::metadata(&file)
                .map_err(|error| Failure::Local(format!("{}: {error}", file.display())))?
                .len();
            match &remote.pieces {
                Some(pieces) if size >= MULTIPART_FROM => {
                    put_in_pieces(pieces.as_ref(), &path, &file, name, sealed, &mut progress)
                        .await?
                }
                _ => put_file(remote.store.as_ref(), &path, &file, size, sealed).await?,
            }
            let there = remote_sha256(remote.store.as_ref(), &path)
                .await
                .map_err(Failure::Remote)?;
            if there != *sealed {
                return Err(Failure::Remote(format!(
                    "{path}: the server holds SHA-256 {there}, not {sealed}"
                )));
            }
            if let Ok(meta) = remote.store.head(&path).await {
                progress.journal.checked.insert(
                    name.clone(),
                    Checked {
                        size: meta.size,
                        e_tag: meta.e_tag,
                    },
                );
                progress.save();
            }
        }
        Ok(())
    });
    match sent {
        Ok(()) => {
            progress.finished();
            Sent::Delivered(format!(
                "{}/{}",
                target.url.trim_end_matches('/'),
                payload.remote_folder()
            ))
        }
        Err(Failure::Local(error)) => Sent::Refused(error),
        Err(Failure::Remote(error)) => Sent::Retry { error, after: None },
        Err(Failure::NoBucket(error)) => Sent::Refused(format!(
            "{error}. Make the bucket on the server, or correct `{}` in [delivery]",
            target.name
        )),
        Err(Failure::KeyRefused(error)) => Sent::Refused(format!(
            "{error}. Check `{name}_access_key` and `{name}_secret_key` in [delivery]",
            name = target.name
        )),
    }
}

/// Whether `path` already holds the sealed file: checked during this upload and unchanged
/// since (by size and entity tag, without reading it again), or read back and hashed.
async fn already_there(
    remote: &Remote,
    path: &ObjectPath,
    name: &str,
    sealed: &str,
    progress: &Progress,
) -> bool {
    if let Some(checked) = progress.journal.checked.get(name)
        && let Ok(meta) = remote.store.head(path).await
        && *checked
            == (Checked {
                size: meta.size,
                e_tag: meta.e_tag,
            })
    {
        return true;
    }
    remote_sha256(remote.store.as_ref(), path)
        .await
        .is_ok_and(|there| there == sealed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{Said, loader_for};

    fn target(url: &str) -> Target<'_> {
        Target {
            name: "server",
            url,
            endpoint: "",
            access_key: "",
            secret_key: "",
            region: "",
        }
    }

    /// A target that is not there is told apart by kind, and the check keeps it as data.
    #[test]
    fn a_target_that_is_not_there_is_named_by_kind() {
        let missing = reachable(target("file:///no/such/folder"));
        assert!(
            matches!(&missing, Err(TargetError::NoFolder(folder)) if folder == Path::new("/no/such/folder")),
            "{missing:?}"
        );
        let said = Said::from(missing.expect_err("missing"));
        assert_eq!(
            said.text_in(&loader_for("kk")),
            "Мұндай қалта жоқ: /no/such/folder"
        );
        let ftp = reachable(target("ftp://court/recordings"));
        assert!(
            matches!(&ftp, Err(TargetError::Scheme { scheme, .. }) if scheme == "ftp"),
            "{ftp:?}"
        );
        let folder = tempfile::tempdir().expect("a folder");
        let url = url::Url::from_directory_path(folder.path()).expect("a file URL");
        assert!(reachable(target(url.as_str())).is_ok());
    }
}
