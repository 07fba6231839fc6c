//! Forces the recording (and its audio-only copy) to disk at a fixed interval, so a power loss costs at most that
//! interval. (A killed process loses nothing written: the file sink is unbuffered, so every
//! buffer is in the kernel's page cache as soon as the muxer emits it.)
//!
//! Measured alternative: filesink's `o-sync` makes each of the ~150 writes a second wait for
//! the disk; one `fdatasync` per interval gives the same bound for far less I/O.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

pub use crate::paths::sync_folder;

pub struct Syncer {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
    paths: Vec<PathBuf>,
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
        let thread = {
            let stop = stop.clone();
            let paths = paths.to_vec();
            std::thread::Builder::new()
                .name("recording-sync".to_owned())
                .spawn(move || {
                    let mut synced_folder = false;
                    while !stop.load(Ordering::Relaxed) {
                        // Woken early by `finish`: stop is not delayed by up to an interval.
                        std::thread::park_timeout(interval);
                        if stop.load(Ordering::Relaxed) {
                            break;
                        }
                        paths.iter().for_each(|path| sync(path));
                        if !synced_folder && paths.iter().all(|path| path.exists()) {
                            if let Some(folder) = paths.first().and_then(|p| p.parent()) {
                                sync_folder(folder);
                            }
                            synced_folder = true;
                        }
                    }
                })
                .ok()
        };
        Self {
            stop,
            thread,
            paths: paths.to_vec(),
        }
    }

    /// Stops the periodic sync and makes the whole file durable once more.
    pub fn finish(mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            thread.thread().unpark();
            let _ = thread.join();
        }
        self.paths.iter().for_each(|path| sync(path));
        if let Some(folder) = self.paths.first().and_then(|p| p.parent()) {
            sync_folder(folder);
        }
    }
}
