//! SHA-256 of files, and the digests of recording segments taken while the part goes on
//! recording: a segment is hashed the moment it is closed, so sealing at stop reads only
//! the last one, however long the part was.
//!
//! A kept digest is used only while the file's size and modification time are those it
//! was taken at; otherwise the file is read again. Verification never uses kept digests.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Condvar, LazyLock, Mutex};
use std::time::SystemTime;

use crate::lock::Locked;
use sha2::{Digest as _, Sha256};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileDigest {
    pub size: u64,
    /// Lower-case hex, as `sha256sum` prints it.
    pub sha256: String,
}

/// Why a file to be checked was not read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Unreadable {
    #[error("missing")]
    Missing,
    #[error("a link, not a file: not followed")]
    Link,
    #[error("not a regular file")]
    NotRegular,
    #[error("{size} bytes, more than the {limit} such a file may have")]
    TooLarge { size: u64, limit: u64 },
    #[error("cannot be read: {0}")]
    Io(String),
}

impl From<std::io::Error> for Unreadable {
    fn from(error: std::io::Error) -> Self {
        match (error.kind(), error.raw_os_error()) {
            (std::io::ErrorKind::NotFound, _) => Unreadable::Missing,
            (_, Some(code)) if code == rustix::io::Errno::LOOP.raw_os_error() => Unreadable::Link,
            _ => Unreadable::Io(error.to_string()),
        }
    }
}

/// Opens a file to be checked: never through a link (a link to a FIFO would hang the
/// reader, one to `/dev/zero` would never end), and only a regular file.
pub fn open_regular(path: &Path) -> Result<std::fs::File, Unreadable> {
    use rustix::fs::OFlags;
    use std::os::unix::fs::OpenOptionsExt;
    // Non-blocking, so that opening a FIFO returns at once (and is then refused).
    let flags = OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::NOCTTY;
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(flags.bits() as i32)
        .open(path)?;
    if !file.metadata()?.is_file() {
        return Err(Unreadable::NotRegular);
    }
    Ok(file)
}

/// A regular file read whole, if it has at most `limit` bytes.
pub fn read_bounded(path: &Path, limit: u64) -> Result<Vec<u8>, Unreadable> {
    let file = open_regular(path)?;
    let size = file.metadata()?.len();
    if size > limit {
        return Err(Unreadable::TooLarge { size, limit });
    }
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(Unreadable::TooLarge {
            size: bytes.len() as u64,
            limit,
        });
    }
    Ok(bytes)
}

/// `open_regular` for the hashing functions, whose callers take an I/O error.
fn open_to_hash(path: &Path) -> std::io::Result<std::fs::File> {
    open_regular(path).map_err(|error| match error {
        Unreadable::Missing => std::io::Error::from(std::io::ErrorKind::NotFound),
        other => std::io::Error::other(other.to_string()),
    })
}

/// Reads the whole file, in large blocks (a regular file only, never through a link).
pub fn sha256_file(path: &Path) -> std::io::Result<FileDigest> {
    let mut file = open_to_hash(path)?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 1 << 20];
    let mut size = 0u64;
    loop {
        let read = file.read(&mut buffer)?;
        if read == 0 {
            break;
        }
        hasher.update(&buffer[..read]);
        size += read as u64;
    }
    Ok(FileDigest {
        size,
        sha256: hex(&hasher.finalize()),
    })
}

/// How many bytes each hash of a file's chunk list covers (the last one covers the rest).
pub const CHUNK_BYTES: usize = 1 << 20;

/// A file's digest with the SHA-256 of each `CHUNK_BYTES` stretch of it: what the seal
/// lists in `chunks.json`, so a reader streaming the file from a server can check every
/// stretch before it uses a byte of it, without reading the whole file first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chunked {
    pub digest: FileDigest,
    pub chunks: Vec<[u8; 32]>,
}

/// Reads the whole file once: its SHA-256 on this thread, each chunk's on another, from the
/// same buffer, so the two take the time of one.
pub fn sha256_chunked(path: &Path) -> std::io::Result<Chunked> {
    let mut file = open_to_hash(path)?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; CHUNK_BYTES];
    let mut size = 0u64;
    let mut chunks = Vec::new();
    loop {
        // Each chunk is filled whole (a read may return less), so chunk N always covers
        // bytes N × CHUNK_BYTES onwards.
        let mut filled = 0;
        while filled < buffer.len() {
            match file.read(&mut buffer[filled..])? {
                0 => break,
                read => filled += read,
            }
        }
        if filled == 0 {
            break;
        }
        let stretch = &buffer[..filled];
        let chunk = std::thread::scope(|scope| {
            let chunk = scope.spawn(|| <[u8; 32]>::from(Sha256::digest(stretch)));
            hasher.update(stretch);
            chunk.join().expect("a hashing thread does not panic")
        });
        chunks.push(chunk);
        size += filled as u64;
        if filled < buffer.len() {
            break;
        }
    }
    Ok(Chunked {
        digest: FileDigest {
            size,
            sha256: hex(&hasher.finalize()),
        },
        chunks,
    })
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

enum Kept {
    /// Another thread is reading the file now.
    Hashing,
    Done {
        stamp: (u64, SystemTime),
        digest: Chunked,
    },
}

struct Keeper {
    kept: Mutex<HashMap<PathBuf, Kept>>,
    changed: Condvar,
}

static KEEPER: LazyLock<Keeper> = LazyLock::new(|| Keeper {
    kept: Mutex::new(HashMap::new()),
    changed: Condvar::new(),
});

fn stamp(path: &Path) -> std::io::Result<(u64, SystemTime)> {
    let meta = std::fs::metadata(path)?;
    Ok((meta.len(), meta.modified()?))
}

/// The file's digest and chunk list, taken now or kept from an earlier call while the file
/// is unchanged. A call for a file another thread is hashing waits for that result instead
/// of reading the file a second time.
pub fn sha256_kept(path: &Path) -> std::io::Result<Chunked> {
    let keeper = &*KEEPER;
    {
        let mut kept = keeper.kept.locked();
        loop {
            match kept.get(path) {
                Some(Kept::Hashing) => {
                    kept = keeper.changed.wait(kept).expect("digest lock");
                }
                Some(Kept::Done { stamp: was, digest }) if stamp(path).ok() == Some(*was) => {
                    return Ok(digest.clone());
                }
                _ => {
                    kept.insert(path.to_owned(), Kept::Hashing);
                    break;
                }
            }
        }
    }
    let read = || -> std::io::Result<(Option<(u64, SystemTime)>, Chunked)> {
        let before = stamp(path)?;
        let digest = sha256_chunked(path)?;
        // A file that changed while it was read is not kept.
        Ok(((stamp(path)? == before).then_some(before), digest))
    };
    let result = read();
    let mut kept = keeper.kept.locked();
    match &result {
        Ok((Some(stamp), digest)) => {
            let done = Kept::Done {
                stamp: *stamp,
                digest: digest.clone(),
            };
            kept.insert(path.to_owned(), done);
        }
        _ => {
            kept.remove(path);
        }
    }
    keeper.changed.notify_all();
    result.map(|(_, digest)| digest)
}

/// Takes and keeps the digest of a finished file, for a later `sha256_kept`.
pub fn keep(path: &Path) {
    if let Err(error) = sha256_kept(path) {
        tracing::warn!("cannot hash {}: {error}", path.display());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kept_digest_serves_until_the_file_changes() {
        let folder = tempfile::tempdir().expect("temporary folder");
        let path = folder.path().join("recording-001.mkv");
        std::fs::write(&path, b"abc").expect("written");
        keep(&path);
        let first = sha256_kept(&path).expect("digest").digest;
        assert_eq!(
            first.sha256,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(first.size, 3);
        // Same size, new content and time: read again, never the stale digest.
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(&path, b"abd").expect("rewritten");
        let second = sha256_kept(&path).expect("digest").digest;
        assert_eq!(second, sha256_file(&path).expect("digest"));
        assert_ne!(second.sha256, first.sha256);
    }

    #[test]
    fn concurrent_callers_share_one_reading() {
        let folder = tempfile::tempdir().expect("temporary folder");
        let path = folder.path().join("big.mkv");
        std::fs::write(&path, vec![7u8; 8 << 20]).expect("written");
        let results: Vec<_> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..4)
                .map(|_| scope.spawn(|| sha256_kept(&path).expect("digest").digest))
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("joined"))
                .collect()
        });
        let expected = sha256_file(&path).expect("digest");
        assert!(results.iter().all(|d| *d == expected));
    }

    #[test]
    fn a_missing_file_is_an_error_and_not_kept() {
        let folder = tempfile::tempdir().expect("temporary folder");
        let path = folder.path().join("gone.mkv");
        assert!(sha256_kept(&path).is_err());
        std::fs::write(&path, b"x").expect("written");
        assert_eq!(sha256_kept(&path).expect("digest").digest.size, 1);
    }

    #[test]
    fn chunks_cover_the_file_in_order_and_the_whole_hash_is_sha256sums() {
        let folder = tempfile::tempdir().expect("temporary folder");
        let path = folder.path().join("recording-001.mkv");
        let bytes: Vec<u8> = (0..CHUNK_BYTES * 2 + 5).map(|i| (i % 251) as u8).collect();
        std::fs::write(&path, &bytes).expect("written");
        let chunked = sha256_chunked(&path).expect("digest");
        assert_eq!(chunked.digest, sha256_file(&path).expect("digest"));
        let expected: Vec<[u8; 32]> = bytes
            .chunks(CHUNK_BYTES)
            .map(|chunk| Sha256::digest(chunk).into())
            .collect();
        assert_eq!(chunked.chunks, expected);
        assert_eq!(chunked.chunks.len(), 3);
        std::fs::write(&path, b"").expect("emptied");
        assert!(sha256_chunked(&path).expect("digest").chunks.is_empty());
    }
}
