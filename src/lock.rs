//! Locks that outlive a panic. A thread that panics while holding a `Mutex` poisons it, and
//! `lock().expect(…)` would then panic in every other thread that takes it: a GStreamer
//! callback gone wrong would take the recorder down with it. The data behind these locks
//! (counters, timings, the last frame, a report being filled) stays whole between two
//! statements, so the next holder takes it as it is.

use std::sync::{Mutex, MutexGuard, PoisonError};

pub trait Locked<T> {
    /// The lock, held; a lock poisoned by a thread's panic is taken all the same.
    fn locked(&self) -> MutexGuard<'_, T>;
}

impl<T> Locked<T> for Mutex<T> {
    fn locked(&self) -> MutexGuard<'_, T> {
        self.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn a_lock_poisoned_by_a_panic_is_taken_with_its_data() {
        let shared = Arc::new(Mutex::new(vec![1]));
        let held = Arc::clone(&shared);
        let panicked = std::thread::spawn(move || {
            let mut data = held.lock().expect("not poisoned yet");
            data.push(2);
            panic!("a callback went wrong");
        })
        .join();
        assert!(panicked.is_err());
        assert!(shared.is_poisoned());
        shared.locked().push(3);
        assert_eq!(*shared.locked(), [1, 2, 3]);
    }
}
