//! The secretary's screen: one session, its recording part after part, and the short
//! protocol written while it records.
//!
//! ```text
//!   Idle ──Record──► Starting ──► Recording ──Recess / Stop──► Stopping ──Ended──► Idle
//!                                                                 (Close: the session closes)
//! ```
//! There is no pause (rule 5): a recess ends the part, resume starts the next one.

mod panels;
mod protocol;
mod recording;
mod update;
mod view;

pub use view::DRAFT;

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use chrono::{DateTime, Utc};
use iced::Task;
use iced::widget::image;

use hattama::config::Config;
use hattama::delivery::replica::{RestoreError, Restored};
use hattama::paths::Paths;
use hattama::protocol::{Entry, EntryKind};
use hattama::recorder::InputInfo;
use hattama::recording::Controller;
use hattama::seal::SealError;
use hattama::session::{Participant, Session};
use hattama::store::{OutboxRow, Part, StoreError};
use hattama::tr;

use super::{Checked, Database};
use crate::widget::{self, Shown};

/// The bottom of the level meters.
const SILENCE_DB: f64 = -60.0;
/// How fast a held peak falls: levels come ten times a second, so 15 dB a second.
const FALL_DB_PER_UPDATE: f64 = 1.5;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Idle,
    Starting,
    Recording,
    Stopping,
}

/// What happens when the part being stopped has ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AfterStop {
    /// A recess, or the window closing: the session stays open.
    Nothing,
    Close,
}

/// The part being recorded.
#[derive(Debug, Clone)]
struct Live {
    part_id: i64,
    number: i64,
    elapsed: Duration,
}

/// The session as it stands after a part ended or it closed.
#[derive(Debug, Clone)]
pub struct Finished {
    session: Session,
    parts: Vec<Part>,
    entries: Vec<Entry>,
}

/// An entry being corrected: in place until it is sealed, by an addendum after.
#[derive(Debug, Clone, PartialEq)]
struct Editing {
    id: i64,
    text: String,
    addendum: bool,
}

/// The technical act's form: for which incident, the cause and who confirmed it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ActForm {
    pub incident_id: i64,
    pub cause: String,
    pub confirmed_by: String,
}

/// Keys the screen answers wherever the focus is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hotkey {
    /// F1–F12: the ready-made entries.
    Function(usize),
    /// Ctrl+1…9 picks that participant as the speaker, Ctrl+0 none.
    Speaker(usize),
    /// Ctrl+R: record, or resume after a recess. Stopping is never one key.
    Record,
    Escape,
}

pub struct Screen {
    pub session: Session,
    entries: Vec<Entry>,
    /// The session's parts as stored, with their seals, and what checking each found.
    parts: Vec<Part>,
    checks: HashMap<i64, Option<Checked>>,
    /// The part being brought back from the replica.
    restoring: Option<i64>,
    /// The entry (by sequence) to begin an addendum to once the entries are read.
    correct_when_loaded: Option<i64>,
    /// The latest daily equipment check (rule 7): `None` until read.
    last_check: Option<Option<hattama::store::EquipmentCheck>>,
    /// What the session's parts sent to other systems (protocols to ҚР СО БААТЖ), as the
    /// outbox says now.
    deliveries: Vec<OutboxRow>,
    /// The session's incidents (rules 27–29), newest last.
    incidents: Vec<hattama::store::Incident>,
    /// The technical act being drawn up (rule 29).
    act: Option<ActForm>,
    database: Database,
    controller: Controller,
    config: Config,
    paths: Paths,
    phase: Phase,
    live: Option<Live>,
    inputs: Vec<InputInfo>,
    demo: bool,
    previews: BTreeMap<String, image::Handle>,
    /// Each input's meter reading in dBFS: the loudest channel's peak, held and falling
    /// slowly so that short sounds can be seen.
    levels: BTreeMap<String, f64>,
    /// Wall time of each part's first media timestamp: where offsets count from.
    first_media: HashMap<i64, DateTime<Utc>>,
    draft: String,
    /// When the draft's first character was typed, and the part recording then.
    draft_started: Option<(DateTime<Utc>, Option<i64>)>,
    speaker: Option<i64>,
    editing: Option<Editing>,
    confirm_stop: bool,
    after_stop: AfterStop,
    /// Write "resumed" as soon as the next part records.
    resume_entry: bool,
    ctrl_held: bool,
    notice: Option<String>,
    problem: Option<Shown>,
}

#[derive(Debug, Clone)]
pub enum Message {
    Loaded(Result<(Vec<Entry>, Vec<Part>), StoreError>),
    Incidents(Result<(Vec<hattama::store::Incident>, Vec<Entry>), StoreError>),
    /// Draw up the technical act of an incident (rule 29).
    DrawUpAct(i64),
    ActCause(String),
    ActConfirmedBy(String),
    SaveAct,
    CancelAct,
    ActDrawnUp(Result<hattama::act::TechnicalAct, hattama::act::ActError>),
    /// Save an act's printable page where the secretary chooses.
    SaveActPage(i64),
    ActPageTo(i64, Option<std::path::PathBuf>),
    /// Check a part's seal with the verifier.
    Check(i64),
    Checked(i64, Option<Checked>),
    Record,
    Stop,
    Recess,
    CloseSession,
    ConfirmClose,
    ConfirmRecess,
    ConfirmContinue,
    Draft(String),
    Submit,
    Template(EntryKind),
    Added(Result<Entry, StoreError>, Option<String>),
    Speaker(Option<i64>),
    Correct(i64),
    Editing(String),
    SaveCorrection,
    CancelCorrection,
    Corrected(Result<Entry, StoreError>),
    /// An addendum is written and chained (its seal follows).
    AddendumAdded(Result<Entry, StoreError>),
    /// A seal is written (the parts as they now stand), or why it failed.
    SealWritten(Result<(Vec<Part>, Option<SealError>), StoreError>),
    /// A part has ended or the session closed: stored, entries chained (the seal follows).
    Finished(Result<Box<Finished>, StoreError>),
    /// The outbox rows of the session's parts, read again.
    Deliveries(Result<Vec<OutboxRow>, StoreError>),
    /// Time to read them again (the worker delivers on its own thread).
    RefreshDeliveries,
    /// A person's "send again" on a refused delivery.
    RetryDelivery(i64),
    /// The latest daily equipment check, read.
    LastCheck(Result<Option<hattama::store::EquipmentCheck>, StoreError>),
    /// Bring a damaged or missing part back from the regional replica.
    Restore(i64),
    Restored(i64, Option<Result<Restored, RestoreError>>),
    Back,
    /// The case's disc copy.
    DiscCopy,
    /// The session's protocol beside its recording.
    Review,
    /// The problem panel's buttons.
    Panel(widget::Panel),
    /// Put the notice away.
    DismissNotice,
}

pub enum Action {
    None,
    Run(Task<Message>),
    Back,
    DiscCopy(String),
    Review(i64),
    /// A part has ended (or failed to start): nothing records now.
    Stopped(Task<Message>),
}

impl Screen {
    pub fn new(
        session: Session,
        database: Database,
        controller: Controller,
        config: Config,
        paths: Paths,
    ) -> (Self, Task<Message>) {
        let id = session.id;
        let load = database
            .run(move |store| Ok((store.entries(id)?, store.parts_of(id)?)))
            .map(Message::Loaded);
        let screen = Self {
            session,
            entries: Vec::new(),
            parts: Vec::new(),
            checks: HashMap::new(),
            restoring: None,
            correct_when_loaded: None,
            last_check: None,
            deliveries: Vec::new(),
            incidents: Vec::new(),
            act: None,
            database,
            controller,
            config,
            paths,
            phase: Phase::Idle,
            live: None,
            inputs: Vec::new(),
            demo: false,
            previews: BTreeMap::new(),
            levels: BTreeMap::new(),
            first_media: HashMap::new(),
            draft: String::new(),
            draft_started: None,
            speaker: None,
            editing: None,
            confirm_stop: false,
            after_stop: AfterStop::Nothing,
            resume_entry: false,
            ctrl_held: false,
            notice: None,
            problem: None,
        };
        let deliveries = screen.load_deliveries();
        let check = screen
            .database
            .run(|store| store.last_check())
            .map(Message::LastCheck);
        let incidents = screen.load_incidents();
        (screen, Task::batch([load, deliveries, check, incidents]))
    }

    /// The session's incidents, and its entries (an incident writes one).
    fn load_incidents(&self) -> Task<Message> {
        let id = self.session.id;
        self.database
            .run(move |store| Ok((store.incidents_of(id)?, store.entries(id)?)))
            .map(Message::Incidents)
    }

    /// The outbox rows of this session's parts.
    fn load_deliveries(&self) -> Task<Message> {
        let id = self.session.id;
        self.database
            .run(move |store| {
                let parts = store.parts_of(id)?;
                let mut rows = Vec::new();
                for part in parts {
                    rows.extend(store.outbox(Some(part.id))?);
                }
                Ok(rows)
            })
            .map(Message::Deliveries)
    }

    /// The latest outbox row of a part bound for `target` (`baatzh`, `server`, `archive`,
    /// `replica`).
    pub fn delivery_of(&self, part_id: i64, target: &str) -> Option<&OutboxRow> {
        self.deliveries
            .iter()
            .filter(|row| row.part_id == Some(part_id) && row.target == target)
            .max_by_key(|row| row.id)
    }

    #[cfg(test)]
    pub fn phase(&self) -> Phase {
        self.phase
    }

    /// Begins an addendum (or a correction, if not sealed yet) to entry `seq` once the
    /// session's entries are read: the review sends the secretary here to write one.
    pub fn correct_when_loaded(&mut self, seq: i64) {
        self.correct_when_loaded = Some(seq);
    }

    /// The entry being corrected, if one is.
    #[cfg(test)]
    pub fn editing(&self) -> Option<i64> {
        self.editing.as_ref().map(|e| e.id)
    }

    /// What to say of today's equipment check, if anything: not made yet, or failed.
    pub fn check_warning(&self) -> Option<String> {
        let last = self.last_check.as_ref()?;
        let zone = self.config.court.time_zone();
        let today = Utc::now().with_timezone(&zone).date_naive();
        match last {
            Some(check)
                if check
                    .at()
                    .is_some_and(|at| at.with_timezone(&zone).date_naive() == today) =>
            {
                (!check.passed).then(|| {
                    tr!(
                        "check-today-failed",
                        count = (check.failed().count() as i64),
                        what = check
                            .failed()
                            .map(|s| s.label())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                })
            }
            _ => Some(tr!("check-not-done-today")),
        }
    }

    /// Whether parts can be brought back from a replica (one is configured).
    pub fn can_restore(&self) -> bool {
        !self.config.delivery.replica.is_empty()
    }

    /// Whether a part is being recorded or finished: the screen cannot be left.
    pub fn is_recording(&self) -> bool {
        self.phase != Phase::Idle
    }

    #[cfg(test)]
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    #[cfg(test)]
    pub fn incidents(&self) -> &[hattama::store::Incident] {
        &self.incidents
    }

    #[cfg(test)]
    pub fn check_of(&self, part_id: i64) -> Option<&Checked> {
        self.checks.get(&part_id).and_then(Option::as_ref)
    }

    #[cfg(test)]
    pub fn problem(&self) -> Option<&Shown> {
        self.problem.as_ref()
    }

    #[cfg(test)]
    pub fn has_preview_and_levels(&self) -> bool {
        !self.previews.is_empty() && !self.levels.is_empty()
    }

    #[cfg(test)]
    pub fn has_entry(&self, kind: EntryKind) -> bool {
        self.entries.iter().any(|e| e.kind == kind)
    }

    fn participant(&self, id: i64) -> Option<&Participant> {
        self.session.participants.iter().find(|p| p.id == id)
    }

    pub fn show(&mut self, problem: &dyn hattama::problem::Problem) {
        self.problem = Some(Shown::of(problem));
    }
}

/// Both tasks' work (the database thread runs them in this order).
fn chain(first: Action, second: Action) -> Action {
    match (first, second) {
        (Action::Run(a), Action::Run(b)) => Action::Run(Task::batch([a, b])),
        (Action::None, other) | (other, _) => other,
    }
}

#[cfg(test)]
mod tests;
