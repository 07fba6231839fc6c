//! The outbox's bell: whatever queues a row rings it the moment its transaction commits, and
//! the delivery worker (the window's, or `hattama deliver`) waiting on it sends at once
//! instead of at its next look, a second later. A Unix datagram socket in the data folder, so
//! a seal made by one process wakes the worker of another; looking every second stays as the
//! fallback (no worker bound, a bell that went unheard).

use std::os::unix::net::UnixDatagram;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The bell's name in the data folder.
pub const BELL: &str = "deliver.bell";

/// Rings the bell of the data folder `folder`: never waits, never fails (nobody listening
/// is the worker's loss of a second, not the caller's).
pub fn ring(folder: &Path) {
    if let Ok(socket) = UnixDatagram::unbound() {
        let _ = socket.set_nonblocking(true);
        let _ = socket.send_to(b"!", folder.join(BELL));
    }
}

/// The worker's end of the bell.
pub struct Bell {
    socket: Option<UnixDatagram>,
    path: PathBuf,
}

impl Bell {
    /// Listens at `folder`'s bell; another worker listening there already (alive) leaves
    /// this one looking every period only. A bell left by a process that ended is taken over.
    pub fn bind(folder: &Path) -> Bell {
        let path = folder.join(BELL);
        let socket = UnixDatagram::bind(&path).ok().or_else(|| {
            let probe = UnixDatagram::unbound().ok()?;
            let _ = probe.set_nonblocking(true);
            match probe.send_to(b"?", &path) {
                // Someone listens: theirs.
                Ok(_) => None,
                Err(error) if error.kind() == std::io::ErrorKind::ConnectionRefused => {
                    let _ = std::fs::remove_file(&path);
                    UnixDatagram::bind(&path).ok()
                }
                Err(_) => None,
            }
        });
        Bell { socket, path }
    }

    /// Whether this worker holds the bell (else it only looks every period).
    pub fn bound(&self) -> bool {
        self.socket.is_some()
    }

    /// Waits until the bell rings or `up_to` passes; says whether it rang. Rings that came
    /// together count as one.
    pub fn wait(&self, up_to: Duration) -> bool {
        let Some(socket) = &self.socket else {
            std::thread::sleep(up_to);
            return false;
        };
        let mut buffer = [0u8; 8];
        let _ = socket.set_nonblocking(false);
        let _ = socket.set_read_timeout(Some(up_to.max(Duration::from_millis(1))));
        let rang = socket.recv(&mut buffer).is_ok();
        let _ = socket.set_nonblocking(true);
        while socket.recv(&mut buffer).is_ok() {}
        rang
    }
}

impl Drop for Bell {
    fn drop(&mut self) {
        if self.socket.is_some() {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ring_wakes_the_worker_at_once_and_silence_waits_the_period() {
        let folder = tempfile::tempdir().expect("folder");
        let bell = Bell::bind(folder.path());
        assert!(bell.bound());
        let began = std::time::Instant::now();
        assert!(!bell.wait(Duration::from_millis(50)), "nobody rang");
        assert!(began.elapsed() >= Duration::from_millis(45));
        ring(folder.path());
        ring(folder.path());
        let began = std::time::Instant::now();
        assert!(bell.wait(Duration::from_secs(5)), "rang");
        assert!(began.elapsed() < Duration::from_secs(1));
        assert!(!bell.wait(Duration::from_millis(10)), "two rings were one");
        // A second worker on the same folder does not take the bell from the first.
        let second = Bell::bind(folder.path());
        assert!(!second.bound());
        drop(bell);
        drop(second);
        assert!(
            !folder.path().join(BELL).exists(),
            "removed with its worker"
        );
    }

    #[test]
    fn queuing_a_row_rings_the_data_folders_bell_once_committed() {
        let folder = tempfile::tempdir().expect("folder");
        let bell = Bell::bind(folder.path());
        let mut store =
            crate::store::Store::open(&folder.path().join("hattama.sqlite3")).expect("store");
        assert!(
            !bell.wait(Duration::from_millis(10)),
            "opening rings nothing"
        );
        let row = crate::store::NewOutbox {
            kind: "protocol".to_owned(),
            target: "baatzh".to_owned(),
            idempotency_key: "bell-1".to_owned(),
            payload: "{}".to_owned(),
        };
        store.queue(None, &[row]).expect("queued");
        assert!(bell.wait(Duration::from_secs(5)), "the worker is woken");
        assert_eq!(
            store.outbox(None).expect("rows").len(),
            1,
            "and finds the row"
        );
    }

    #[test]
    fn a_bell_left_by_an_ended_process_is_taken_over() {
        let folder = tempfile::tempdir().expect("folder");
        let left = UnixDatagram::bind(folder.path().join(BELL)).expect("bound");
        drop(left);
        let bell = Bell::bind(folder.path());
        assert!(bell.bound(), "the stale socket is replaced");
        ring(folder.path());
        assert!(bell.wait(Duration::from_secs(5)));
    }
}
