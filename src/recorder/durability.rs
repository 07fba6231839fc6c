//! Forces the recording (and its audio-only copy) to disk at a fixed interval, so a power loss costs at most that
//! interval. (A killed process loses nothing written: the file sink is unbuffered, so every
//! buffer is in the kernel's page cache as soon as the muxer emits it.)
//!
//! Measured alternative: filesink's `o-sync` makes each of the ~150 writes a second wait for
//! the disk; one `fdatasync` per interval gives the same bound for far less I/O.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use crate::lock::Locked;
pub use crate::paths::sync_folder;

pub struct Syncer {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
    files: Arc<Files>,
}

/// The files synced, and whether their folder entries are known durable.
struct Files {
    paths: Mutex<Vec<PathBuf>>,
    folder_synced: AtomicBool,
}

impl Files {
    fn sync(&self) {
        let paths = self.paths.locked().clone();
        paths.iter().for_each(|path| sync(path));
        if !self.folder_synced.load(Ordering::Relaxed) && paths.iter().all(|path| path.exists()) {
            if let Some(folder) = paths.first().and_then(|p| p.parent()) {
                sync_folder(folder);
            }
            self.folder_synced.store(true, Ordering::Relaxed);
        }
    }
}

fn sync(path: &Path) {
    match File::open(path) {
        Ok(file) => {
            if let Err(error) = file.sync_data() {
                tracing::error!("cannot sync {}: {error}", path.display());
            }
        }
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
        Err(error) => tracing::error!("cannot open {} to sync: {error}", path.display()),
    }
}

impl Syncer {
    /// Syncs every file of `paths` (all in one folder) each `interval`.
    pub fn start(paths: &[PathBuf], interval: Duration) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let files = Arc::new(Files {
            paths: Mutex::new(paths.to_vec()),
            folder_synced: AtomicBool::new(false),
        });
        let thread = {
            let stop = stop.clone();
            let files = files.clone();
            std::thread::Builder::new()
                .name("recording-sync".to_owned())
                .spawn(move || {
                    while !stop.load(Ordering::Relaxed) {
                        // Woken early by `finish`: stop is not delayed by up to an interval.
                        std::thread::park_timeout(interval);
                        if stop.load(Ordering::Relaxed) {
                            break;
                        }
                        files.sync();
                    }
                })
                .ok()
        };
        Self {
            stop,
            thread,
            files,
        }
    }

    /// Syncs `path` from now on instead of `replaced` (the recording's next file): the
    /// new file's folder entry is made durable at the next sync.
    pub fn replace(&self, replaced: &Path, path: &Path) {
        let mut paths = self.files.paths.locked();
        match paths.iter_mut().find(|p| p.as_path() == replaced) {
            Some(slot) => *slot = path.to_owned(),
            None => paths.push(path.to_owned()),
        }
        self.files.folder_synced.store(false, Ordering::Relaxed);
    }

    /// Stops the periodic sync and makes the whole file durable once more.
    pub fn finish(mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            thread.thread().unpark();
            let _ = thread.join();
        }
        let paths = self.files.paths.locked().clone();
        paths.iter().for_each(|path| sync(path));
        if let Some(folder) = paths.first().and_then(|p| p.parent()) {
            sync_folder(folder);
        }
    }
}

/// Makes a closed file durable (data and folder entry).
pub fn sync_closed(path: &Path) {
    sync(path);
    if let Some(folder) = path.parent() {
        sync_folder(folder);
    }
}
