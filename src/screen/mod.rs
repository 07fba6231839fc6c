//! The screens. Each holds its state, `Message`, `Action`, `update` and `view`; only the
//! root (`crate::app`) switches between them.

pub mod cases;
pub mod disc;
pub mod new_session;
pub mod review;
pub mod session;
pub mod sessions;
pub mod settings;

use std::sync::mpsc;

use chrono::{DateTime, FixedOffset, Utc};
use iced::Task;
use iced::futures::channel::oneshot;

use hattama::store::{Store, StoreError};
use hattama::tr;

/// Translations are global: tests that read the window's words take turns.
#[cfg(test)]
pub static WORDS: std::sync::Mutex<()> = std::sync::Mutex::new(());

type Job = Box<dyn FnOnce(&mut Store) + Send>;

/// The database, owned by one thread that runs requests in the order they are made: an
/// entry typed before the session is closed is written before it is closed.
#[derive(Clone)]
pub struct Database {
    jobs: mpsc::Sender<Job>,
}

impl std::fmt::Debug for Database {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Database")
    }
}

impl Database {
    /// Moves `store` to a thread of its own.
    pub fn spawn(mut store: Store) -> Self {
        let (jobs, inbox) = mpsc::channel::<Job>();
        std::thread::Builder::new()
            .name("database".to_owned())
            .spawn(move || {
                for job in inbox {
                    job(&mut store);
                }
            })
            .expect("a thread can be started");
        Self { jobs }
    }

    /// Runs `work` on the database thread; the window keeps drawing meanwhile.
    pub fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut Store) -> Result<T, StoreError> + Send + 'static,
    ) -> Task<Result<T, StoreError>> {
        Task::future(self.request(work))
    }

    /// The same as a future, for callers outside the window (benchmarks, tests).
    pub fn request<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut Store) -> Result<T, StoreError> + Send + 'static,
    ) -> impl Future<Output = Result<T, StoreError>> + Send + 'static {
        let (reply, answer) = oneshot::channel();
        let _ = self.jobs.send(Box::new(move |store: &mut Store| {
            let _ = reply.send(work(store));
        }));
        async move { answer.await.unwrap_or(Err(StoreError::Unavailable)) }
    }
}

/// Runs blocking `work` on a thread of its own.
pub fn blocking<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Task<Option<T>> {
    let (reply, answer) = oneshot::channel();
    std::thread::spawn(move || {
        let _ = reply.send(work());
    });
    Task::future(async move { answer.await.ok() })
}

/// What checking a folder (one part, many, a disc) found.
#[derive(Debug, Clone, PartialEq)]
pub struct Checked {
    pub path: std::path::PathBuf,
    pub parts: usize,
    pub failed: usize,
    /// The first failure, as `hattama verify` names it.
    pub first_failure: Option<String>,
}

impl Checked {
    pub fn ok(&self) -> bool {
        self.parts > 0 && self.failed == 0
    }

    /// One line for the window.
    pub fn summary(&self) -> String {
        let path = self.path.display().to_string();
        match (self.parts, &self.first_failure) {
            (0, Some(reason)) => tr!("seal-check-failed", what = reason.clone()),
            (0, None) => tr!("seal-check-none", path = path),
            (count, None) => tr!("seal-check-folder-ok", path = path, count = count),
            (count, Some(what)) => tr!(
                "seal-check-folder-failed",
                path = path,
                failed = self.failed,
                count = count,
                what = what.clone()
            ),
        }
    }
}

/// "Checking…" while a check runs, then its verdict in green or red; nothing before.
pub fn checked_line<'a, M: 'a>(checking: bool, checked: Option<&Checked>) -> iced::Element<'a, M> {
    use iced::widget::text;
    match (checking, checked) {
        (true, _) => text(tr!("seal-checking")).into(),
        (false, Some(checked)) => text(checked.summary())
            .style(if checked.ok() {
                text::success
            } else {
                text::danger
            })
            .into(),
        (false, None) => iced::widget::space::horizontal().height(0).into(),
    }
}

/// Verifies every sealed part at or below `path` against this computer's trusted keys, and
/// a case disc's inventory against the case inventory, off the window's thread.
pub fn check(path: std::path::PathBuf, paths: &hattama::paths::Paths) -> Task<Option<Checked>> {
    let paths = paths.clone();
    let database = paths.database();
    blocking(move || {
        // Off the window's thread: it reads the trust files and may ask the signing service.
        let trusted = hattama::seal::trusted_keys(&paths);
        // A reader of its own: SQLite lets it read while the window's connection writes.
        let cases = hattama::disc::check::CaseInventory::open(&database);
        let checked = match hattama::disc::check::check_path(&path, &trusted, &cases) {
            Ok(checked) => checked,
            Err(reason) => {
                return Checked {
                    parts: 0,
                    failed: 1,
                    first_failure: Some(reason.to_string()),
                    path,
                };
            }
        };
        let disc_failed = checked.disc.as_ref().is_some_and(|disc| !disc.ok());
        Checked {
            parts: checked.parts.len(),
            failed: checked.parts.iter().filter(|r| !r.ok()).count() + usize::from(disc_failed),
            first_failure: checked
                .disc
                .iter()
                .chain(&checked.parts)
                .flat_map(|r| r.failures())
                .next()
                .map(|c| format!("{}: {}", c.subject, c.detail)),
            path,
        }
    })
}

/// A moment in the court's time zone, in the language's format.
pub fn date_time(time: DateTime<Utc>, zone: FixedOffset) -> String {
    time.with_timezone(&zone)
        .format(&tr!("date-time-format"))
        .to_string()
}

pub fn time_of_day(time: DateTime<Utc>, zone: FixedOffset) -> String {
    time.with_timezone(&zone)
        .format(&tr!("time-format"))
        .to_string()
}
