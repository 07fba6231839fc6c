//! Uploading a sealed part to the court's recording server (rules 20, 26) through
//! object_store: a local or mounted folder (`file:///srv/hattama`) or an S3-compatible
//! server (`s3://bucket/prefix`). Each file is sent under `<prefix>/<part folder>/<name>`,
//! in parts for large files, hashed as it is read and checked against the seal before it
//! leaves (a damaged local copy is never uploaded as whole), then read back from the server
//! and hashed again. A file already on the server with the sealed SHA-256 is not sent again,
//! so an interrupted upload resumes with the files still missing.

use std::io::Read;
use std::path::Path;

use object_store::path::Path as ObjectPath;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload, WriteMultipart};
use sha2::{Digest, Sha256};

use super::Sent;
use crate::config::Delivery;
use crate::digest::hex;

/// Files at least this large go up in parts.
const MULTIPART_FROM: u64 = 16 << 20;
const CHUNK: usize = 8 << 20;

/// What an upload row carries: the part's folder (relative to the sessions folder) and the
/// SHA-256 its seal gives each file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct UploadPayload {
    pub folder: String,
    pub files: Vec<(String, String)>,
}

/// Where parts go: the court's recording server, or the regional replica.
#[derive(Debug, Clone, Copy)]
pub struct Target<'a> {
    pub url: &'a str,
    pub endpoint: &'a str,
    pub access_key: &'a str,
    pub secret_key: &'a str,
    pub region: &'a str,
}

impl Delivery {
    pub fn server_target(&self) -> Target<'_> {
        Target {
            url: &self.server,
            endpoint: &self.server_endpoint,
            access_key: &self.server_access_key,
            secret_key: &self.server_secret_key,
            region: &self.server_region,
        }
    }

    pub fn archive_target(&self) -> Target<'_> {
        Target {
            url: &self.archive,
            endpoint: &self.archive_endpoint,
            access_key: &self.archive_access_key,
            secret_key: &self.archive_secret_key,
            region: &self.server_region,
        }
    }

    pub fn replica_target(&self) -> Target<'_> {
        Target {
            url: &self.replica,
            endpoint: &self.replica_endpoint,
            access_key: &self.replica_access_key,
            secret_key: &self.replica_secret_key,
            region: &self.server_region,
        }
    }
}

/// The target's store and the prefix under it.
pub fn open(target: Target<'_>) -> Result<(Box<dyn ObjectStore>, ObjectPath), String> {
    let url = url::Url::parse(target.url).map_err(|error| format!("{}: {error}", target.url))?;
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
    if url.scheme() == "file" {
        // A folder that is not there is a configuration error, not a reason to create it.
        let folder = url
            .to_file_path()
            .map_err(|()| format!("{}: not a folder", target.url))?;
        if !folder.is_dir() {
            return Err(format!("{}: no such folder", folder.display()));
        }
    }
    object_store::parse_url_opts(&url, options).map_err(|error| error.to_string())
}

fn object_path(prefix: &ObjectPath, folder: &str, name: &str) -> Result<ObjectPath, String> {
    let mut text = prefix.as_ref().to_owned();
    for piece in [folder, name] {
        if !text.is_empty() {
            text.push('/');
        }
        text.push_str(piece);
    }
    ObjectPath::parse(&text).map_err(|error| error.to_string())
}

/// Uploads one part; `sessions` is the local sessions folder.
pub fn upload(payload: &UploadPayload, sessions: &Path, target: Target<'_>) -> Sent {
    let (store, prefix) = match open(target) {
        Ok(opened) => opened,
        Err(error) => return Sent::Refused(format!("{}: {error}", target.url)),
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            return Sent::Retry {
                error: error.to_string(),
                after: None,
            };
        }
    };
    let folder = sessions.join(&payload.folder);
    runtime.block_on(async {
        for (name, sealed) in &payload.files {
            let path = match object_path(&prefix, &payload.folder, name) {
                Ok(path) => path,
                Err(error) => return Sent::Refused(error),
            };
            // Already there whole (an earlier, interrupted upload): not sent again.
            if let Ok(there) = remote_sha256(store.as_ref(), &path).await
                && there == *sealed
            {
                continue;
            }
            match put_file(store.as_ref(), &path, &folder.join(name), sealed).await {
                Ok(()) => {}
                Err(Failure::Local(error)) => return Sent::Refused(error),
                Err(Failure::Remote(error)) => {
                    return Sent::Retry { error, after: None };
                }
            }
            match remote_sha256(store.as_ref(), &path).await {
                Ok(there) if there == *sealed => {}
                Ok(there) => {
                    return Sent::Retry {
                        error: format!("{path}: the server holds SHA-256 {there}, not {sealed}"),
                        after: None,
                    };
                }
                Err(error) => return Sent::Retry { error, after: None },
            }
        }
        Sent::Delivered(format!(
            "{}/{}",
            target.url.trim_end_matches('/'),
            payload.folder
        ))
    })
}

enum Failure {
    /// The local file is not what was sealed (or cannot be read): a person must look.
    Local(String),
    /// The server or the network: try again.
    Remote(String),
}

async fn put_file(
    store: &dyn ObjectStore,
    path: &ObjectPath,
    file: &Path,
    sealed: &str,
) -> Result<(), Failure> {
    let local = |error: std::io::Error| Failure::Local(format!("{}: {error}", file.display()));
    let remote = |error: object_store::Error| Failure::Remote(format!("{path}: {error}"));
    let size = std::fs::metadata(file).map_err(local)?.len();
    let mut reader = std::fs::File::open(file).map_err(local)?;
    let mut hasher = Sha256::new();
    let mut chunk = vec![0u8; CHUNK];
    if size < MULTIPART_FROM {
        let mut bytes = Vec::with_capacity(size as usize);
        reader.read_to_end(&mut bytes).map_err(local)?;
        hasher.update(&bytes);
        check(&hasher, sealed, file)?;
        store
            .put(path, PutPayload::from(bytes))
            .await
            .map_err(remote)?;
        return Ok(());
    }
    let upload = store.put_multipart(path).await.map_err(remote)?;
    let mut writer = WriteMultipart::new_with_chunk_size(upload, CHUNK);
    loop {
        let read = reader.read(&mut chunk).map_err(local)?;
        if read == 0 {
            break;
        }
        hasher.update(&chunk[..read]);
        writer.wait_for_capacity(2).await.map_err(remote)?;
        writer.write(&chunk[..read]);
    }
    // Checked before the upload completes: a damaged copy is abandoned, never whole there.
    if let Err(failure) = check(&hasher, sealed, file) {
        let _ = writer.abort().await;
        return Err(failure);
    }
    writer.finish().await.map_err(remote)?;
    Ok(())
}

fn check(hasher: &Sha256, sealed: &str, file: &Path) -> Result<(), Failure> {
    let found = hex(&hasher.clone().finalize());
    if found == sealed {
        Ok(())
    } else {
        Err(Failure::Local(format!(
            "{}: SHA-256 {found} differs from the sealed {sealed}: not uploaded",
            file.display()
        )))
    }
}

/// SHA-256 of what the server holds at `path`, read back in full.
async fn remote_sha256(store: &dyn ObjectStore, path: &ObjectPath) -> Result<String, String> {
    use futures_util::StreamExt;
    let got = store
        .get(path)
        .await
        .map_err(|error| format!("{path}: {error}"))?;
    let mut stream = got.into_stream();
    let mut hasher = Sha256::new();
    while let Some(bytes) = stream.next().await {
        hasher.update(&bytes.map_err(|error| format!("{path}: {error}"))?);
    }
    Ok(hex(&hasher.finalize()))
}
