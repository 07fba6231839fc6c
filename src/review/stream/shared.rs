//! Reading a file of the folder: chunks fetched from the server (and the next ones ahead),
//! each held to its SHA-256 before a byte of it is given out, kept a while for the next read.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::Duration;

use fuser::Errno;
use object_store::path::Path as ObjectPath;
use object_store::{ObjectStore, ObjectStoreExt};
use sha2::{Digest, Sha256};

use crate::lock::Locked;
use crate::seal::part::{CHUNKS, ChunkList, MANIFEST, Manifest};
use crate::seal::verify::MANIFEST_LIMIT;

use super::tree::{Check, Kind, Node, Tree};
use super::{AHEAD, KEPT_CHUNKS, Mismatch, WHOLE_LIMIT};

/// What has been read, by (inode, chunk); a whole file is chunk `u64::MAX`.
#[derive(Default)]
pub(super) struct Cache {
    pub(super) slots: HashMap<(u64, u64), Slot>,
    pub(super) order: VecDeque<(u64, u64)>,
}

pub(super) enum Slot {
    Loading,
    Ready(bytes::Bytes),
}

const WHOLE: u64 = u64::MAX;

pub(super) struct Shared {
    pub(super) store: Arc<dyn ObjectStore>,
    /// On an S3 server, stretches are read from presigned addresses with an HTTP range:
    /// a server may answer a range with 200 and the stretch (rclone's does), which
    /// object_store refuses; here the stretch's length is what counts.
    pub(super) signer: Option<Arc<dyn object_store::signer::Signer>>,
    pub(super) http: reqwest::Client,
    pub(super) runtime: tokio::runtime::Runtime,
    pub(super) tree: Mutex<Tree>,
    pub(super) cache: Mutex<Cache>,
    pub(super) ready: Condvar,
    pub(super) mismatches: Mutex<Vec<Mismatch>>,
    pub(super) fetched: AtomicU64,
    /// The last chunk read of each file, to tell reading in order from a jump.
    pub(super) last_read: Mutex<HashMap<u64, u64>>,
    /// Per file whose chunk differed from its seal: the byte from which it reads no further
    /// (what comes before, checked, still reads), and why.
    pub(super) refused_from: Mutex<HashMap<u64, (u64, String)>>,
}

impl Shared {
    pub(super) fn tree(&self) -> std::sync::MutexGuard<'_, Tree> {
        self.tree.locked()
    }

    pub(super) fn cache(&self) -> std::sync::MutexGuard<'_, Cache> {
        self.cache.locked()
    }

    /// Reads each part's manifest and chunk list and sets how each of its files is
    /// checked; returns the parts that cannot be shown, and why.
    pub(super) fn learn_seals(&self) -> Vec<(String, String)> {
        let parts = self.tree().parts.clone();
        let mut refused = Vec::new();
        for part in parts {
            if let Err(why) = self.learn_seal(&part) {
                refused.push((part, why));
            }
        }
        refused
    }

    fn learn_seal(&self, part: &str) -> Result<(), String> {
        let ino_of = |name: &str| {
            self.tree()
                .find(&format!("{part}/{name}"))
                .ok_or_else(|| format!("{name}: missing"))
        };
        let manifest_ino = ino_of(MANIFEST)?;
        self.set_check(manifest_ino, Check::Seal);
        let bytes = self.whole(manifest_ino).map_err(|_| self.why(MANIFEST))?;
        let manifest: Manifest = serde_json::from_slice(&bytes)
            .map_err(|error| format!("{MANIFEST}: is not a valid manifest: {error}"))?;
        for name in manifest.seal_files() {
            if let Ok(ino) = ino_of(name) {
                self.set_check(ino, Check::Seal);
            }
        }
        let listed = |name: &str| manifest.files.iter().find(|file| file.name == name);
        // The chunk list, itself held to the manifest, when the seal has one.
        let chunks = match (listed(CHUNKS), ino_of(CHUNKS)) {
            (Some(entry), Ok(ino)) => {
                self.set_check(
                    ino,
                    Check::Whole {
                        sha256: entry.sha256.clone(),
                    },
                );
                let bytes = self.whole(ino).map_err(|_| self.why(CHUNKS))?;
                Some(ChunkList::parse(&bytes).map_err(|error| error.to_string())?)
            }
            _ => None,
        };
        for file in &manifest.files {
            let Ok(ino) = ino_of(&file.name) else {
                continue;
            };
            let chunked = chunks.as_ref().and_then(|list| {
                list.of(file).map(|sha256| Check::Chunks {
                    chunk_bytes: list.chunk_bytes,
                    sha256: Arc::new(sha256.to_vec()),
                })
            });
            let check = match chunked {
                _ if file.name == CHUNKS => continue,
                Some(check) => check,
                None if file.size <= WHOLE_LIMIT => Check::Whole {
                    sha256: file.sha256.clone(),
                },
                None => {
                    return Err(format!(
                        "{}: sealed without a chunk list, so it can only be checked whole: \
                        restore the part (`hattama restore`) to review it",
                        file.name
                    ));
                }
            };
            self.set_check(ino, check);
        }
        // Anything else in the folder is not part of the record: shown, never read.
        let mut tree = self.tree();
        for node in &mut tree.nodes {
            if let Kind::File { check, .. } = &mut node.kind
                && matches!(check, Check::Pending)
                && node.relative.starts_with(&format!("{part}/"))
            {
                *check = Check::Refused("a file the seal does not list".to_owned());
            }
        }
        Ok(())
    }

    fn set_check(&self, ino: u64, to: Check) {
        if let Some(Node {
            kind: Kind::File { check, .. },
            ..
        }) = self.tree().nodes.get_mut(ino as usize - 1)
        {
            *check = to;
        }
    }

    /// The last mismatch about `name`, or that it could not be read.
    pub(super) fn why(&self, name: &str) -> String {
        self.mismatches
            .locked()
            .iter()
            .rev()
            .find(|mismatch| mismatch.file.ends_with(name))
            .map_or_else(|| format!("{name}: cannot be read"), ToString::to_string)
    }

    pub(super) fn file(&self, ino: u64) -> Result<(String, String, u64, Check), Errno> {
        match self.tree().node(ino) {
            Some(Node {
                relative,
                kind:
                    Kind::File {
                        object,
                        size,
                        check,
                    },
                ..
            }) => Ok((relative.clone(), object.clone(), *size, check.clone())),
            Some(_) => Err(Errno::EISDIR),
            None => Err(Errno::ENOENT),
        }
    }

    pub(super) fn mismatch(&self, file: &str, offset: u64, what: String) -> Errno {
        tracing::error!("{file} at byte {offset}: {what}");
        self.mismatches.locked().push(Mismatch {
            file: file.to_owned(),
            offset,
            what,
        });
        Errno::EIO
    }

    /// `size` bytes of file `ino` from `offset`, every one checked.
    pub(super) fn read(
        self: &Arc<Self>,
        ino: u64,
        offset: u64,
        size: u64,
    ) -> Result<Vec<u8>, Errno> {
        let (relative, _, length, check) = self.file(ino)?;
        let end = (offset + size).min(length);
        if offset >= end {
            return Ok(Vec::new());
        }
        match check {
            Check::Chunks { chunk_bytes, .. } => {
                let refused = self.refused_from.locked().get(&ino).cloned();
                if let Some((from, why)) = refused
                    && end > from
                {
                    return Err(self.mismatch(&relative, offset.max(from), why));
                }
                let (first, last) = (offset / chunk_bytes, (end - 1) / chunk_bytes);
                let chunks = length.div_ceil(chunk_bytes);
                let in_order = {
                    let mut reads = self.last_read.locked();
                    let before = reads.insert(ino, last);
                    before.is_some_and(|before| first == before || first == before + 1)
                };
                let ahead = if in_order { AHEAD } else { 0 };
                for ahead in last + 1..(last + 1 + ahead).min(chunks) {
                    if self.cache().slots.contains_key(&(ino, ahead)) {
                        continue;
                    }
                    let shared = self.clone();
                    self.runtime.spawn_blocking(move || {
                        let _ = shared.chunk(ino, ahead);
                    });
                }
                let mut bytes = Vec::with_capacity((end - offset) as usize);
                for index in first..=last {
                    let chunk = self.chunk(ino, index)?;
                    let from = offset.max(index * chunk_bytes) - index * chunk_bytes;
                    let to = end.min((index + 1) * chunk_bytes) - index * chunk_bytes;
                    bytes.extend_from_slice(&chunk[from as usize..to as usize]);
                }
                Ok(bytes)
            }
            Check::Whole { .. } | Check::Seal => {
                let whole = self.whole(ino)?;
                Ok(whole[offset as usize..end.min(whole.len() as u64) as usize].to_vec())
            }
            Check::Refused(why) => Err(self.mismatch(&relative, offset, why)),
            Check::Pending => Err(Errno::EIO),
        }
    }

    pub(super) fn whole(&self, ino: u64) -> Result<bytes::Bytes, Errno> {
        self.kept_or_fetched((ino, WHOLE), || {
            let (relative, object, size, check) = self.file(ino)?;
            if size > MANIFEST_LIMIT.max(WHOLE_LIMIT) {
                return Err(self.mismatch(&relative, 0, format!("{size} bytes: too large")));
            }
            let bytes = self.fetch(&relative, &object, None)?;
            if let Check::Whole { sha256 } = check {
                let found = crate::digest::hex(&Sha256::digest(&bytes));
                if found != sha256 {
                    return Err(self.mismatch(
                        &relative,
                        0,
                        format!("SHA-256 {found} differs from the sealed {sha256}"),
                    ));
                }
            }
            Ok(bytes)
        })
    }

    pub(super) fn chunk(&self, ino: u64, index: u64) -> Result<bytes::Bytes, Errno> {
        self.kept_or_fetched((ino, index), || {
            let (relative, object, size, check) = self.file(ino)?;
            let Check::Chunks {
                chunk_bytes,
                sha256,
            } = check
            else {
                return Err(Errno::EIO);
            };
            let start = index * chunk_bytes;
            let range = start..(start + chunk_bytes).min(size);
            // A range that is the whole file is asked as the file: some servers (rclone's)
            // answer such a range with the whole object, not a partial answer.
            let range = (range != (0..size)).then_some(range);
            let bytes = self.fetch(&relative, &object, range)?;
            let found = crate::digest::hex(&Sha256::digest(&bytes));
            let sealed = sha256.get(index as usize).map_or("", String::as_str);
            if found != sealed {
                // The file reads no further from here: what follows cannot be trusted to be
                // this one. What came before was checked and still reads.
                self.refused_from
                    .locked()
                    .entry(ino)
                    .and_modify(|(from, _)| *from = (*from).min(start))
                    .or_insert((start, format!("differs from its seal at byte {start}")));
                return Err(self.mismatch(
                    &relative,
                    start,
                    format!(
                        "chunk {} of {}: SHA-256 {found} differs from the sealed {sealed}",
                        index + 1,
                        sha256.len()
                    ),
                ));
            }
            Ok(bytes)
        })
    }

    /// One reading per key at a time: a second asker waits for the first's result.
    fn kept_or_fetched(
        &self,
        key: (u64, u64),
        fetch: impl FnOnce() -> Result<bytes::Bytes, Errno>,
    ) -> Result<bytes::Bytes, Errno> {
        {
            let mut cache = self.cache();
            loop {
                match cache.slots.get(&key) {
                    Some(Slot::Ready(bytes)) => return Ok(bytes.clone()),
                    Some(Slot::Loading) => {
                        cache = self
                            .ready
                            .wait(cache)
                            .unwrap_or_else(PoisonError::into_inner);
                    }
                    None => {
                        cache.slots.insert(key, Slot::Loading);
                        break;
                    }
                }
            }
        }
        let result = fetch();
        let mut cache = self.cache();
        match &result {
            Ok(bytes) => {
                cache.slots.insert(key, Slot::Ready(bytes.clone()));
                cache.order.push_back(key);
                while cache.order.len() > KEPT_CHUNKS {
                    if let Some(oldest) = cache.order.pop_front() {
                        cache.slots.remove(&oldest);
                    }
                }
            }
            Err(_) => {
                cache.slots.remove(&key);
            }
        }
        self.ready.notify_all();
        result
    }

    /// `range` of the object at `path`, by a presigned GET with an HTTP range.
    async fn ranged(
        &self,
        signer: &dyn object_store::signer::Signer,
        path: &ObjectPath,
        range: std::ops::Range<u64>,
    ) -> Result<bytes::Bytes, String> {
        let url = signer
            .signed_url(
                object_store::signer::Method::GET,
                path,
                Duration::from_secs(300),
            )
            .await
            .map_err(|e| e.to_string())?;
        let response = self
            .http
            .get(url)
            .header(
                reqwest::header::RANGE,
                format!("bytes={}-{}", range.start, range.end - 1),
            )
            .send()
            .await
            .map_err(|e| e.to_string())?;
        let status = response.status();
        if !status.is_success() {
            return Err(format!("{path}: the server answered {status}"));
        }
        response.bytes().await.map_err(|e| e.to_string())
    }

    pub(super) fn fetch(
        &self,
        relative: &str,
        object: &str,
        range: Option<std::ops::Range<u64>>,
    ) -> Result<bytes::Bytes, Errno> {
        let path = ObjectPath::parse(object).map_err(|_| Errno::EIO)?;
        let asked = range.clone();
        let got = self.runtime.block_on(async {
            match (range, &self.signer) {
                (Some(range), Some(signer)) => self.ranged(signer.as_ref(), &path, range).await,
                (Some(range), None) => self
                    .store
                    .get_range(&path, range)
                    .await
                    .map_err(|e| e.to_string()),
                (None, _) => match self.store.get(&path).await {
                    Ok(result) => result.bytes().await.map_err(|e| e.to_string()),
                    Err(error) => Err(error.to_string()),
                },
            }
        });
        match got {
            Ok(bytes) => {
                self.fetched
                    .fetch_add(bytes.len() as u64, Ordering::Relaxed);
                if let Some(asked) = asked
                    && bytes.len() as u64 != asked.end - asked.start
                {
                    return Err(self.mismatch(
                        relative,
                        asked.start,
                        format!(
                            "the server gave {} bytes for {}",
                            bytes.len(),
                            asked.end - asked.start
                        ),
                    ));
                }
                Ok(bytes)
            }
            Err(error) => {
                tracing::warn!("{object}: {error}");
                Err(Errno::EIO)
            }
        }
    }
}
