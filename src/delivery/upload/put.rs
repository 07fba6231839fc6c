//! One file sent: whole in one request, or in pieces (resumed from the journal), hashed as it
//! is read and held to the seal before it leaves; read back and hashed again; a failure named
//! by what it asks of whom.

use std::io::Read;
use std::path::Path;

use futures_util::StreamExt;
use futures_util::stream::FuturesOrdered;
use object_store::multipart::MultipartStore;
use object_store::path::Path as ObjectPath;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload, WriteMultipart};
use sha2::{Digest, Sha256};

use crate::digest::hex;

use super::{CHUNK, IN_FLIGHT, MULTIPART_FROM, OpenUpload, Progress};

/// Why an upload stopped, by what it asks of whom.
pub(super) enum Failure {
    /// The local file is not what was sealed (or cannot be read): a person must look.
    Local(String),
    /// The server refuses the key: a person must fix the settings.
    KeyRefused(String),
    /// The server has no such bucket: a person must make it, or fix the settings.
    NoBucket(String),
    /// The server or the network: try again.
    Remote(String),
}

impl Failure {
    /// A failed read, or a failed write of a piece or of a whole made of pieces (where "not
    /// found" is the server having forgotten the upload).
    pub(super) fn of(path: &ObjectPath, error: object_store::Error) -> Self {
        match error {
            object_store::Error::PermissionDenied { .. }
            | object_store::Error::Unauthenticated { .. } => {
                Failure::KeyRefused(format!("{path}: the server refuses the key ({error})"))
            }
            error => Failure::Remote(format!("{path}: {error}")),
        }
    }

    /// A failed write of a new object or the start of one in pieces: "not found" there can
    /// only be the bucket (S3's `NoSuchBucket`).
    fn of_new(path: &ObjectPath, error: object_store::Error) -> Self {
        match error {
            object_store::Error::NotFound { .. } => {
                Failure::NoBucket(format!("{path}: no such bucket on the server ({error})"))
            }
            error => Failure::of(path, error),
        }
    }
}

/// Sends a file in one request, or (to a folder) in pieces through the store's writer.
pub(super) async fn put_file(
    store: &dyn ObjectStore,
    path: &ObjectPath,
    file: &Path,
    size: u64,
    sealed: &str,
) -> Result<(), Failure> {
    let local = |error: std::io::Error| Failure::Local(format!("{}: {error}", file.display()));
    let remote = |error| Failure::of_new(path, error);
    let mut reader = std::fs::File::open(file).map_err(local)?;
    let mut hasher = Sha256::new();
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
    let mut chunk = vec![0u8; CHUNK];
    loop {
        let read = fill(&mut reader, &mut chunk).map_err(local)?;
        if read == 0 {
            break;
        }
        hasher.update(&chunk[..read]);
        writer.wait_for_capacity(IN_FLIGHT).await.map_err(remote)?;
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

/// Sends a large file to S3 in pieces, each recorded in the journal as the server takes
/// it, so an interrupted attempt is resumed by the next one from the first missing piece.
pub(super) async fn put_in_pieces(
    pieces: &dyn MultipartStore,
    path: &ObjectPath,
    file: &Path,
    name: &str,
    sealed: &str,
    progress: &mut Progress,
) -> Result<(), Failure> {
    let local = |error: std::io::Error| Failure::Local(format!("{}: {error}", file.display()));
    let resumed = progress
        .journal
        .open
        .take()
        .filter(|open| open.name == name && open.sealed == sealed);
    let mut open = match resumed {
        Some(open) => open,
        None => OpenUpload {
            name: name.to_owned(),
            sealed: sealed.to_owned(),
            id: pieces
                .create_multipart(path)
                .await
                .map_err(|error| Failure::of_new(path, error))?,
            pieces: Vec::new(),
        },
    };
    progress.journal.open = Some(open.clone());
    progress.save();
    let mut reader = std::fs::File::open(file).map_err(local)?;
    let mut hasher = Sha256::new();
    let mut chunk = vec![0u8; CHUNK];
    // What the server already holds is read here only to hash the whole file.
    for _ in 0..open.pieces.len() {
        let read = fill(&mut reader, &mut chunk).map_err(local)?;
        hasher.update(&chunk[..read]);
    }
    if !open.pieces.is_empty() {
        tracing::info!(
            "{path}: resuming at byte {}, {} pieces already on the server",
            open.pieces.len() * CHUNK,
            open.pieces.len()
        );
    }
    let id = open.id.clone();
    let mut sending = FuturesOrdered::new();
    let mut index = open.pieces.len();
    let mut forgotten = false;
    let outcome: Result<(), Failure> = async {
        loop {
            let read = fill(&mut reader, &mut chunk).map_err(local)?;
            if read > 0 {
                hasher.update(&chunk[..read]);
                let payload = PutPayload::from(chunk[..read].to_vec());
                sending.push_back(pieces.put_part(path, &id, index, payload));
                index += 1;
            }
            if sending.len() >= IN_FLIGHT || (read == 0 && !sending.is_empty()) {
                if let Some(sent) = sending.next().await {
                    let part = sent.map_err(|error| {
                        forgotten = matches!(error, object_store::Error::NotFound { .. });
                        Failure::of(path, error)
                    })?;
                    open.pieces.push(part.content_id);
                    progress.journal.open = Some(open.clone());
                    progress.save();
                }
            } else if read == 0 {
                return Ok(());
            }
        }
    }
    .await;
    drop(sending);
    if let Err(failure) = outcome {
        if forgotten {
            // The server forgot the upload (it restarted, or expired it): start afresh.
            progress.journal.open = None;
            progress.save();
        }
        return Err(failure);
    }
    // Checked before the upload completes: a damaged copy is abandoned, never whole there.
    if let Err(failure) = check(&hasher, sealed, file) {
        let _ = pieces.abort_multipart(path, &open.id).await;
        progress.journal.open = None;
        progress.save();
        return Err(failure);
    }
    let parts = open
        .pieces
        .iter()
        .map(|id| object_store::multipart::PartId {
            content_id: id.clone(),
        })
        .collect();
    let completed = pieces.complete_multipart(path, &open.id, parts).await;
    if !matches!(completed, Err(ref error) if !matches!(error, object_store::Error::NotFound { .. }))
    {
        // Completed, or forgotten by the server: either way nothing to resume.
        progress.journal.open = None;
        progress.save();
    }
    completed.map_err(|error| Failure::of(path, error))?;
    Ok(())
}

/// Reads until `buffer` is full or the file ends; how much was read.
pub(super) fn fill(reader: &mut impl Read, buffer: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buffer.len() {
        match reader.read(&mut buffer[filled..]) {
            Ok(0) => break,
            Ok(read) => filled += read,
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {}
            Err(error) => return Err(error),
        }
    }
    Ok(filled)
}

pub(super) fn check(hasher: &Sha256, sealed: &str, file: &Path) -> Result<(), Failure> {
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
pub(super) async fn remote_sha256(
    store: &dyn ObjectStore,
    path: &ObjectPath,
) -> Result<String, String> {
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
