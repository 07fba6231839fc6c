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

use sha2::{Digest as _, Sha256};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileDigest {
    pub size: u64,
    /// Lower-case hex, as `sha256sum` prints it.
    pub sha256: String,
}

/// Reads the whole file, in large blocks.
pub fn sha256_file(path: &Path) -> std::io::Result<FileDigest> {
    let mut file = std::fs::File::open(path)?;
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

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

enum Kept {
    /// Another thread is reading the file now.
    Hashing,
    Done {
        stamp: (u64, SystemTime),
        digest: FileDigest,
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

/// The file's digest, taken now or kept from an earlier call while the file is unchanged.
/// A call for a file another thread is hashing waits for that result instead of reading
/// the file a second time.
pub fn sha256_kept(path: &Path) -> std::io::Result<FileDigest> {
    let keeper = &*KEEPER;
    {
        let mut kept = keeper.kept.lock().expect("digest lock");
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
    let read = || -> std::io::Result<(Option<(u64, SystemTime)>, FileDigest)> {
        let before = stamp(path)?;
        let digest = sha256_file(path)?;
        // A file that changed while it was read is not kept.
        Ok(((stamp(path)? == before).then_some(before), digest))
    };
    let result = read();
    let mut kept = keeper.kept.lock().expect("digest lock");
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
        let first = sha256_kept(&path).expect("digest");
        assert_eq!(
            first.sha256,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(first.size, 3);
        // Same size, new content and time: read again, never the stale digest.
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(&path, b"abd").expect("rewritten");
        let second = sha256_kept(&path).expect("digest");
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
                .map(|_| scope.spawn(|| sha256_kept(&path).expect("digest")))
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
        assert_eq!(sha256_kept(&path).expect("digest").size, 1);
    }
}
