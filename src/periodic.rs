//! A job the window's process runs on a thread of its own, again and again, until it is
//! dropped: the delivery worker, the retry of seals that waited for the signing service.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

pub struct Periodic {
    name: &'static str,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Periodic {
    /// Runs `pass` at once and then every `every` (sooner when woken), until dropped.
    pub fn spawn(name: &'static str, every: Duration, pass: impl FnMut() + Send + 'static) -> Self {
        Self::spawn_waiting(name, pass, move |_| std::thread::park_timeout(every))
    }

    /// As `spawn`, and at once whenever `bell` rings (the outbox's bell: a row queued).
    pub fn spawn_with_bell(
        name: &'static str,
        every: Duration,
        bell: crate::wake::Bell,
        pass: impl FnMut() + Send + 'static,
    ) -> Self {
        Self::spawn_waiting(name, pass, move |stop| wait(&bell, every, stop))
    }

    /// Runs `pass`, then `wait`, again and again on a thread of its own until dropped.
    fn spawn_waiting(
        name: &'static str,
        mut pass: impl FnMut() + Send + 'static,
        wait: impl Fn(&AtomicBool) + Send + 'static,
    ) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let stop = stop.clone();
            std::thread::Builder::new()
                .name(name.to_owned())
                .spawn(move || {
                    while !stop.load(Ordering::Relaxed) {
                        pass();
                        wait(&stop);
                    }
                })
                .ok()
        };
        Self { name, stop, thread }
    }
}

/// Waits `every`, or less: until `bell` rings or `stop` is set (looked at every 100 ms).
pub fn wait(bell: &crate::wake::Bell, every: Duration, stop: &AtomicBool) {
    let until = std::time::Instant::now() + every;
    while !stop.load(Ordering::Relaxed) {
        let left = until.saturating_duration_since(std::time::Instant::now());
        if left.is_zero() || bell.wait(left.min(Duration::from_millis(100))) {
            return;
        }
    }
}

impl std::fmt::Debug for Periodic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Periodic({})", self.name)
    }
}

impl Drop for Periodic {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            thread.thread().unpark();
            let _ = thread.join();
        }
    }
}
