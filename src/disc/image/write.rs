//! Writing the image: hadris lays it out and writes it through `Watched`, which gives each
//! MiB of a sealed file to a worker that holds it to the seal's chunk, on every core, from the
//! very buffer written.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Instant;

use hadris_fs::Tree;
use hadris_iso::IsoOptions;
use hadris_storage::host::FileDevice;
use hadris_storage::sync::BlockDevice;
use hadris_storage::{BlockIndex, BlockSize};
use sha2::{Digest, Sha256};

use crate::digest::hex;
use crate::disc::DiscError;
use crate::lock::Locked;

use super::sealed::Stretches;
use super::{Phase, Progress, partial, seconds_left};

/// A sealed file as it goes into the image: where, and the SHA-256 it must have there.
pub(super) struct Held {
    pub(super) path: String,
    pub(super) folder: PathBuf,
    pub(super) sha256: String,
    pub(super) stretches: Option<Stretches>,
    pub(super) extents: Vec<hadris_fs::Extent>,
}

pub(super) fn write_image(
    tree: &Tree,
    options: &IsoOptions,
    (out, replace_own_image): (&Path, bool),
    size: u64,
    held: &[Held],
    progress: &dyn Fn(Progress),
    cancel: &AtomicBool,
) -> Result<(), DiscError> {
    let temporary = partial(out);
    let failed = |message: String| DiscError::Write {
        path: out.to_owned(),
        message,
    };
    // Never over a file of that name: one left by a build cut short is named, not reused.
    let file = std::fs::File::options()
        .read(true)
        .write(true)
        .create_new(true)
        .open(&temporary)
        .map_err(|error| match error.kind() {
            std::io::ErrorKind::AlreadyExists => crate::output::OutputError::Exists {
                path: temporary.clone(),
            }
            .into(),
            _ => failed(error.to_string()),
        })?;
    let result = (|| {
        let device = FileDevice::new(file).map_err(|error| failed(error.to_string()))?;
        let written = AtomicU64::new(0);
        let began = Instant::now();
        let report_progress = |done: u64| {
            progress(Progress {
                phase: Phase::Writing,
                done,
                total: size,
                seconds_left: seconds_left(began, done, size),
            })
        };
        // Files sealed with a chunk list: each stretch of the very bytes written is hashed by
        // one of `workers` threads and held to its sealed SHA-256, so the check runs on every
        // core. Files sealed before chunk lists: hashed whole, in order, on a thread of their
        // own. Nothing is read twice either way.
        let workers = std::thread::available_parallelism()
            .map_or(2, std::num::NonZero::get)
            .clamp(1, 4);
        let checks = Checks::new(held);
        let (stretches, to_check) = std::sync::mpsc::sync_channel::<Stretch>(workers * 2);
        let to_check = std::sync::Mutex::new(to_check);
        let digests = std::thread::scope(|scope| {
            let (chunks, hashed) = std::sync::mpsc::sync_channel::<(usize, Vec<u8>)>(16);
            let hasher = scope.spawn(move || {
                let mut hashers: Vec<Sha256> = held.iter().map(|_| Sha256::new()).collect();
                for (index, bytes) in hashed {
                    hashers[index].update(&bytes);
                }
                hashers
                    .into_iter()
                    .map(|h| hex(&h.finalize()))
                    .collect::<Vec<_>>()
            });
            for _ in 0..workers {
                scope.spawn(|| {
                    // Ends when the writer is done (the sender dropped) or a worker panicked.
                    while let Ok(Ok(stretch)) = to_check.lock().map(|next| next.recv()) {
                        checks.check(held, stretch);
                    }
                });
            }
            let mut watched = Watched {
                inner: device,
                written: &written,
                cancel,
                report: &report_progress,
                reported: 0,
                tracker: Tracker::new(held),
                held,
                chunks,
                stretches,
                pending: std::collections::HashMap::new(),
            };
            let written = hadris_iso::sync::write(&mut watched, tree, options);
            let fed = watched.tracker.complete();
            // With the senders gone, the hashers finish what they were given and end.
            drop(watched);
            let digests = hasher.join().unwrap_or_default();
            // Without every digest (the hasher failed), every whole file is read back instead.
            let fed = if digests.len() == held.len() {
                fed
            } else {
                vec![false; held.len()]
            };
            written.map(|_| (fed, digests))
        });
        let (fed, digests) = match digests {
            Ok(digests) => digests,
            Err(error) => {
                return Err(if cancel.load(Ordering::Relaxed) {
                    DiscError::Cancelled
                } else {
                    failed(error.to_string())
                });
            }
        };
        report_progress(size);
        let file = std::fs::File::open(&temporary).map_err(|error| failed(error.to_string()))?;
        for (index, file_held) in held.iter().enumerate() {
            let name = file_held.path.rsplit('/').next().unwrap_or(&file_held.path);
            let damaged = |failure: String| DiscError::Damaged {
                folder: file_held.folder.clone(),
                failure: format!("{name}: {failure}"),
            };
            let found = match &file_held.stretches {
                Some(_)
                    if fed[index]
                        && let Some(failure) = checks.failure(index) =>
                {
                    return Err(damaged(failure));
                }
                Some(stretches) if fed[index] && checks.passed(index) == stretches.sha256.len() => {
                    continue;
                }
                None if fed[index] => digests[index].clone(),
                // A file not written front to back (or in several extents) is read back.
                _ => hash_extents(&file, &file_held.extents)
                    .map_err(|error| failed(error.to_string()))?,
            };
            if found != file_held.sha256 {
                return Err(damaged(format!(
                    "SHA-256 {found} differs from the sealed {}",
                    file_held.sha256
                )));
            }
        }
        file.sync_all().map_err(|error| failed(error.to_string()))?;
        crate::output::rename_image(&temporary, out, replace_own_image)?;
        if let Some(folder) = out.parent() {
            crate::paths::sync_folder(folder);
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    result
}

/// A stretch of a held file as written into the image, to be held to its sealed SHA-256.
pub(super) struct Stretch {
    pub(super) index: usize,
    pub(super) number: usize,
    pub(super) bytes: Vec<u8>,
}

/// What the stretch workers found, per held file: how many stretches matched, and the first
/// that did not.
pub(super) struct Checks {
    pub(super) passed: Vec<AtomicU64>,
    pub(super) failed: Vec<std::sync::Mutex<Option<(usize, String)>>>,
}

impl Checks {
    pub(super) fn new(held: &[Held]) -> Self {
        Self {
            passed: held.iter().map(|_| AtomicU64::new(0)).collect(),
            failed: held.iter().map(|_| std::sync::Mutex::new(None)).collect(),
        }
    }

    pub(super) fn check(&self, held: &[Held], stretch: Stretch) {
        let Some(stretches) = &held[stretch.index].stretches else {
            return;
        };
        let found = hex(&Sha256::digest(&stretch.bytes));
        let sealed = stretches.sha256.get(stretch.number);
        if sealed == Some(&found) {
            self.passed[stretch.index].fetch_add(1, Ordering::Relaxed);
            return;
        }
        let failure = format!(
            "the bytes from {}: SHA-256 {found} differs from the sealed {}",
            stretch.number * stretches.bytes,
            sealed.map_or("(none)", String::as_str)
        );
        let mut first = self.failed[stretch.index].locked();
        if first
            .as_ref()
            .is_none_or(|(number, _)| stretch.number < *number)
        {
            *first = Some((stretch.number, failure));
        }
    }

    pub(super) fn passed(&self, index: usize) -> usize {
        self.passed[index].load(Ordering::Relaxed) as usize
    }

    pub(super) fn failure(&self, index: usize) -> Option<String> {
        self.failed[index]
            .locked()
            .as_ref()
            .map(|(_, failure)| failure.clone())
    }
}

/// SHA-256 of a file's extents, read from the image.
fn hash_extents(image: &std::fs::File, extents: &[hadris_fs::Extent]) -> std::io::Result<String> {
    use std::os::unix::fs::FileExt;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 1 << 20];
    for extent in extents {
        let mut at = extent.offset();
        while at < extent.end() {
            let want = ((extent.end() - at) as usize).min(buffer.len());
            image.read_exact_at(&mut buffer[..want], at)?;
            hasher.update(&buffer[..want]);
            at += want as u64;
        }
    }
    Ok(hex(&hasher.finalize()))
}

/// Which held file a written byte range belongs to, and whether each file's bytes came in
/// order from its start to its end (then its digest is the written bytes').
pub(super) struct Tracker {
    /// (start, end, held index), by start; only files of one extent.
    pub(super) ranges: Vec<(u64, u64, usize)>,
    /// Per held file: the next offset expected, or `None` once out of order.
    pub(super) next: Vec<Option<u64>>,
    pub(super) ends: Vec<u64>,
}

impl Tracker {
    pub(super) fn new(held: &[Held]) -> Self {
        let mut ranges: Vec<(u64, u64, usize)> = held
            .iter()
            .enumerate()
            .filter(|(_, h)| h.extents.len() == 1)
            .map(|(index, h)| (h.extents[0].offset(), h.extents[0].end(), index))
            .collect();
        ranges.sort();
        let next = held
            .iter()
            .map(|h| (h.extents.len() == 1).then(|| h.extents[0].offset()))
            .collect();
        let ends = held
            .iter()
            .map(|h| h.extents.first().map_or(0, hadris_fs::Extent::end))
            .collect();
        Self { ranges, next, ends }
    }

    /// The pieces of `[at, at + len)` that belong to held files: (index, from, to) within
    /// the buffer. A piece out of order marks its file as to be read back.
    pub(super) fn pieces(&mut self, at: u64, len: usize) -> Vec<(usize, usize, usize)> {
        let end = at + len as u64;
        let first = self
            .ranges
            .partition_point(|(_, range_end, _)| *range_end <= at);
        let mut pieces = Vec::new();
        for &(start, range_end, index) in self.ranges[first..].iter() {
            if start >= end {
                break;
            }
            let (from, to) = (start.max(at), range_end.min(end));
            match self.next[index] {
                Some(next) if next == from => {
                    self.next[index] = Some(to);
                    pieces.push((index, (from - at) as usize, (to - at) as usize));
                }
                _ => self.next[index] = None,
            }
        }
        pieces
    }

    /// Whether file `index`'s bytes have all been seen, in order.
    pub(super) fn done(&self, index: usize) -> bool {
        self.next[index] == Some(self.ends[index])
    }

    /// Whether each file's bytes were all seen, in order.
    pub(super) fn complete(&self) -> Vec<bool> {
        self.next
            .iter()
            .zip(&self.ends)
            .map(|(next, end)| *next == Some(*end))
            .collect()
    }
}

/// The image file, counting what is written and refusing to go on once cancelled.
pub(super) struct Watched<'a> {
    pub(super) inner: FileDevice,
    pub(super) written: &'a AtomicU64,
    pub(super) cancel: &'a AtomicBool,
    pub(super) report: &'a dyn Fn(u64),
    pub(super) reported: u64,
    pub(super) tracker: Tracker,
    pub(super) held: &'a [Held],
    /// Pieces of files sealed without a chunk list, for the whole-file hasher.
    pub(super) chunks: std::sync::mpsc::SyncSender<(usize, Vec<u8>)>,
    /// Whole stretches of files sealed with one, for the stretch workers.
    pub(super) stretches: std::sync::mpsc::SyncSender<Stretch>,
    /// Per file being written: the next stretch's number and its bytes so far.
    pub(super) pending: std::collections::HashMap<usize, (usize, Vec<u8>)>,
}

impl Watched<'_> {
    /// Adds `piece` (the next bytes of file `index`) to its stretch, sending each stretch
    /// once whole, and the last once the file's bytes are all written.
    pub(super) fn stretch(&mut self, index: usize, size: usize, mut piece: &[u8]) {
        let (number, buffer) = self
            .pending
            .entry(index)
            .or_insert_with(|| (0, Vec::with_capacity(size)));
        while !piece.is_empty() {
            let take = (size - buffer.len()).min(piece.len());
            buffer.extend_from_slice(&piece[..take]);
            piece = &piece[take..];
            if buffer.len() == size {
                let bytes = std::mem::replace(buffer, Vec::with_capacity(size));
                let _ = self.stretches.send(Stretch {
                    index,
                    number: *number,
                    bytes,
                });
                *number += 1;
            }
        }
        if self.tracker.done(index)
            && let Some((number, bytes)) = self.pending.remove(&index)
            && !bytes.is_empty()
        {
            let _ = self.stretches.send(Stretch {
                index,
                number,
                bytes,
            });
        }
    }
}

impl hadris_io::ErrorType for Watched<'_> {
    type Error = <FileDevice as hadris_io::ErrorType>::Error;
}

impl BlockDevice for Watched<'_> {
    fn block_size(&self) -> BlockSize {
        self.inner.block_size()
    }

    fn physical_block_size(&self) -> BlockSize {
        self.inner.physical_block_size()
    }

    fn block_count(&self) -> u64 {
        self.inner.block_count()
    }

    fn max_block_count(&self) -> u64 {
        self.inner.max_block_count()
    }

    fn writable(&self) -> bool {
        self.inner.writable()
    }

    fn read_blocks(
        &mut self,
        first: BlockIndex,
        buf: &mut [u8],
    ) -> Result<(), hadris_io::Error<Self::Error>> {
        self.inner.read_blocks(first, buf)
    }

    fn write_blocks(
        &mut self,
        first: BlockIndex,
        buf: &[u8],
    ) -> Result<(), hadris_io::Error<Self::Error>> {
        if self.cancel.load(Ordering::Relaxed) {
            return Err(hadris_io::Error::new(hadris_io::ErrorKind::Io, "cancelled"));
        }
        self.inner.write_blocks(first, buf)?;
        let at = first.get() * u64::from(self.inner.block_size().get());
        for (index, from, to) in self.tracker.pieces(at, buf.len()) {
            match self.held[index].stretches.as_ref().map(|s| s.bytes) {
                Some(size) => self.stretch(index, size, &buf[from..to]),
                None => {
                    let _ = self.chunks.send((index, buf[from..to].to_vec()));
                }
            }
        }
        let written =
            self.written.fetch_add(buf.len() as u64, Ordering::Relaxed) + buf.len() as u64;
        // About every 8 MiB.
        if written - self.reported >= 8 << 20 {
            self.reported = written;
            (self.report)(written);
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<(), hadris_io::Error<Self::Error>> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(super) fn held(offset: u64, len: u64) -> Held {
        Held {
            path: String::new(),
            folder: PathBuf::new(),
            sha256: String::new(),
            stretches: None,
            extents: vec![hadris_fs::Extent::new(offset, len)],
        }
    }

    #[test]
    fn written_blocks_are_given_to_the_files_they_hold_in_order() {
        let files = [held(4096, 6000), held(12288, 100), held(16384, 50)];
        let mut tracker = Tracker::new(&files);
        // A block before the files, then one holding the start of the first.
        assert!(tracker.pieces(0, 4096).is_empty());
        assert_eq!(tracker.pieces(4096, 4096), [(0, 0, 4096)]);
        // The rest of the first file and all of the second in one write.
        assert_eq!(tracker.pieces(8192, 8192), [(0, 0, 1904), (1, 4096, 4196)]);
        // The third written twice: the second time is out of order, so it is read back.
        assert_eq!(tracker.pieces(16384, 2048), [(2, 0, 50)]);
        assert!(tracker.pieces(16384, 2048).is_empty());
        assert_eq!(tracker.complete(), [true, true, false]);
    }
}
