//! The recorder's state machine.
//!
//! ```text
//!  Idle ──► Starting ──► Recording ──► Stopping ──► Stopped
//!              │             │            │
//!              └─────────────┴────────────┴──────► Failed
//! ```
//! `Stopping` is left only when end-of-stream comes back on the bus (or by failing):
//! a part is finished when its file is, not when stop was asked.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    Idle,
    Starting,
    Recording,
    Stopping,
    Stopped,
    Failed,
}

impl State {
    /// Whether `self → next` is a transition the machine allows.
    pub fn may_become(self, next: State) -> bool {
        use State::*;
        matches!(
            (self, next),
            (Idle, Starting)
                | (Starting, Recording)
                | (Starting | Recording, Stopping)
                | (Stopping, Stopped)
                | (Starting | Recording | Stopping, Failed)
        )
    }

    pub fn is_final(self) -> bool {
        matches!(self, State::Stopped | State::Failed)
    }
}

#[cfg(test)]
mod tests {
    use super::State::*;

    #[test]
    fn the_normal_path_is_allowed() {
        for (from, to) in [
            (Idle, Starting),
            (Starting, Recording),
            (Recording, Stopping),
            (Stopping, Stopped),
        ] {
            assert!(from.may_become(to), "{from:?} → {to:?}");
        }
    }

    #[test]
    fn shortcuts_and_backward_steps_are_refused() {
        for (from, to) in [
            (Idle, Recording),
            (Recording, Stopped),
            (Stopped, Recording),
            (Failed, Recording),
            (Stopped, Failed),
            (Recording, Starting),
        ] {
            assert!(!from.may_become(to), "{from:?} → {to:?}");
        }
    }

    #[test]
    fn anything_running_may_fail() {
        for from in [Starting, Recording, Stopping] {
            assert!(from.may_become(Failed));
        }
        assert!(Stopped.is_final() && Failed.is_final() && !Stopping.is_final());
    }
}
