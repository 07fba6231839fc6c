//! The secretary's screen: one session, its recording part after part, and the short
//! protocol written while it records.
//!
//! ```text
//!   Idle ──Record──► Starting ──► Recording ──Recess / Stop──► Stopping ──Ended──► Idle
//!                                                                 (Close: the session closes)
//! ```
//! There is no pause (rule 5): a recess ends the part, resume starts the next one.

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
use hattama::protocol::{Entry, EntryKind, NewEntry, Stamp};
use hattama::recorder::{InputInfo, State};
use hattama::recording::{Controller, Update};
use hattama::seal::SealError;
use hattama::seal::part::Prepared;
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
    CopyDetails,
    Dismiss,
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

    pub fn update(&mut self, message: Message) -> Action {
        match message {
            Message::Loaded(Ok((entries, parts))) => {
                self.entries = entries;
                self.parts = parts;
                if let Some(seq) = self.correct_when_loaded.take()
                    && let Some(id) = self.entries.iter().find(|e| e.seq == seq).map(|e| e.id)
                {
                    return self.update(Message::Correct(id));
                }
                // Their ends are stored when a part ends.
                return Action::Run(self.load_incidents());
            }
            Message::Check(part_id) => {
                if let Some(part) = self.parts.iter().find(|p| p.id == part_id) {
                    self.checks.insert(part_id, None);
                    let folder = self.paths.sessions().join(&part.folder);
                    return Action::Run(
                        crate::screen::check(folder, &self.paths)
                            .map(move |checked| Message::Checked(part_id, checked)),
                    );
                }
            }
            Message::Checked(part_id, checked) => {
                self.checks.insert(part_id, checked);
            }
            Message::LastCheck(Ok(check)) => self.last_check = Some(check),
            Message::LastCheck(Err(error)) => self.show(&error),
            Message::Restore(part_id) => {
                let Some(part) = self.parts.iter().find(|p| p.id == part_id) else {
                    return Action::None;
                };
                if self.restoring.is_some() || !self.can_restore() {
                    return Action::None;
                }
                self.restoring = Some(part_id);
                let (paths, delivery) = (self.paths.clone(), self.config.delivery.clone());
                let folder = part.folder.to_string_lossy().replace('\\', "/");
                let on_server = hattama::delivery::server_folder(
                    &self.session.court,
                    &self.session.case_number,
                    &folder,
                );
                return Action::Run(
                    super::blocking(move || {
                        let trusted = hattama::seal::trusted_keys(&paths);
                        hattama::delivery::replica::restore(
                            &paths,
                            delivery.replica_target(),
                            &trusted,
                            &folder,
                            &on_server,
                        )
                    })
                    .map(move |restored| Message::Restored(part_id, restored)),
                );
            }
            Message::Restored(part_id, restored) => {
                self.restoring = None;
                match restored {
                    Some(Ok(restored)) => {
                        let folder = restored.folder.display().to_string();
                        self.notice = Some(if restored.already_whole {
                            tr!("restore-whole", folder = folder)
                        } else {
                            tr!("restore-done", folder = folder, files = restored.files)
                        });
                        return self.update(Message::Check(part_id));
                    }
                    Some(Err(error)) => self.show(&error),
                    None => {}
                }
            }
            Message::Loaded(Err(error)) => self.show(&error),
            Message::Incidents(Ok((incidents, entries))) => {
                self.incidents = incidents;
                // What is being typed or corrected stays as it is; new entries are added.
                for entry in entries {
                    if !self.entries.iter().any(|e| e.id == entry.id) {
                        self.insert(entry);
                    }
                }
            }
            Message::Incidents(Err(error)) => self.show(&error),
            Message::DrawUpAct(incident_id) => {
                self.act = Some(ActForm {
                    incident_id,
                    ..ActForm::default()
                });
            }
            Message::ActCause(cause) => {
                if let Some(act) = &mut self.act {
                    act.cause = cause;
                }
            }
            Message::ActConfirmedBy(name) => {
                if let Some(act) = &mut self.act {
                    act.confirmed_by = name;
                }
            }
            Message::CancelAct => self.act = None,
            Message::SaveAct => return self.save_act(),
            Message::ActDrawnUp(Ok(act)) => {
                self.act = None;
                self.notice = Some(tr!("act-drawn-up", number = act.incident_id));
                return Action::Run(self.load_incidents());
            }
            Message::ActDrawnUp(Err(error)) => self.show(&error),
            Message::SaveActPage(incident_id) => {
                let dialog = rfd::AsyncFileDialog::new()
                    .set_title(tr!("act-save-page"))
                    .add_filter("HTML", &["html"])
                    .set_file_name(format!("technical-act-{incident_id}.html"))
                    .save_file();
                return Action::Run(Task::perform(dialog, move |picked| {
                    Message::ActPageTo(incident_id, picked.map(|h| h.path().to_owned()))
                }));
            }
            Message::ActPageTo(incident_id, Some(path)) => {
                let act = self
                    .incidents
                    .iter()
                    .find(|i| i.id == incident_id)
                    .and_then(|i| i.technical_act.as_deref())
                    .and_then(|json| serde_json::from_str::<hattama::act::TechnicalAct>(json).ok());
                if let Some(act) = act {
                    let page = act.page(self.config.court.time_zone());
                    match hattama::output::write_chosen(&path, &self.paths.data, page.as_bytes()) {
                        Ok(()) => {
                            self.notice =
                                Some(tr!("act-page-saved", path = path.display().to_string()))
                        }
                        Err(error) => self.problem = Some(Shown::of(&error)),
                    }
                }
            }
            Message::ActPageTo(_, None) => {}
            Message::Record => return self.record(),
            Message::Stop => {
                if matches!(self.phase, Phase::Starting | Phase::Recording) {
                    self.confirm_stop = true;
                }
            }
            Message::Recess => return self.recess(),
            Message::CloseSession => {
                if self.session.is_open() && self.phase != Phase::Stopping {
                    self.confirm_stop = true;
                }
            }
            Message::ConfirmClose => return self.close(),
            Message::ConfirmRecess => return self.recess(),
            Message::ConfirmContinue => self.confirm_stop = false,
            Message::Draft(text) => self.draft(text),
            Message::Submit => return self.submit(),
            Message::Template(kind) => return self.template(kind),
            Message::Added(Ok(entry), _) => self.insert(entry),
            Message::Added(Err(error), restore) => {
                if let Some(text) = restore.filter(|_| self.draft.is_empty()) {
                    self.draft = text;
                }
                self.show(&error);
            }
            Message::Speaker(speaker) => self.speaker = speaker,
            Message::Correct(id) => {
                if let Some(entry) = self.entries.iter().find(|e| e.id == id) {
                    self.editing = Some(Editing {
                        id,
                        text: entry.text.clone(),
                        addendum: entry.sealed,
                    });
                }
            }
            Message::Editing(text) => {
                if let Some(editing) = &mut self.editing {
                    editing.text = text;
                }
            }
            Message::AddendumAdded(Ok(entry)) => {
                self.editing = None;
                self.insert(entry);
                // What the seal chained is sealed now.
                let id = self.session.id;
                return Action::Run(
                    self.database
                        .run(move |store| Ok((store.entries(id)?, store.parts_of(id)?)))
                        .map(Message::Loaded),
                );
            }
            Message::AddendumAdded(Err(error)) => self.show(&error),
            Message::SaveCorrection => return self.save_correction(),
            Message::CancelCorrection => self.editing = None,
            Message::Corrected(Ok(entry)) => {
                self.editing = None;
                self.insert(entry);
            }
            Message::Corrected(Err(error)) => self.show(&error),
            Message::Finished(Ok(finished)) => {
                let Finished {
                    session,
                    parts,
                    entries,
                } = *finished;
                self.session = session;
                self.parts = parts;
                self.entries = entries;
            }
            Message::SealWritten(Ok((parts, failed))) => {
                self.parts = parts;
                if let Some(error) = failed {
                    self.show(&error);
                }
            }
            Message::SealWritten(Err(error)) => self.show(&error),
            Message::Finished(Err(error)) => self.show(&error),
            Message::Back => {
                if !self.is_recording() {
                    return Action::Back;
                }
            }
            Message::Deliveries(Ok(rows)) => self.deliveries = rows,
            Message::Deliveries(Err(error)) => self.show(&error),
            Message::RefreshDeliveries => return Action::Run(self.load_deliveries()),
            Message::RetryDelivery(id) => {
                let actor = self.config.operator.name.clone();
                let retried = self
                    .database
                    .run(move |store| store.outbox_retry_now(id, &actor))
                    .map(|result| match result {
                        Ok(()) => Message::RefreshDeliveries,
                        Err(error) => Message::Deliveries(Err(error)),
                    });
                return Action::Run(retried);
            }
            Message::Review => {
                if !self.is_recording() {
                    return Action::Review(self.session.id);
                }
            }
            Message::DiscCopy => {
                if !self.is_recording() {
                    return Action::DiscCopy(self.session.case_number.clone());
                }
            }
            Message::CopyDetails => return Action::Run(widget::copy_details(&self.problem)),
            Message::Dismiss => {
                self.problem = None;
                self.notice = None;
            }
        }
        Action::None
    }

    /// What the recording thread reports.
    pub fn recording(&mut self, update: Update) -> Action {
        match update {
            Update::Starting {
                part,
                inputs,
                demo_reasons,
            } => {
                self.phase = Phase::Starting;
                self.demo = inputs.iter().any(|input| input.demo);
                self.inputs = inputs;
                self.live = Some(Live {
                    part_id: part.id,
                    number: part.number,
                    elapsed: Duration::ZERO,
                });
                if !demo_reasons.is_empty() {
                    self.notice = Some(
                        demo_reasons
                            .iter()
                            .map(|reason| reason.message())
                            .collect::<Vec<_>>()
                            .join(" "),
                    );
                }
            }
            Update::Recording { part_id, timing } => {
                self.first_media.insert(part_id, timing.first_media_wall);
                if self.phase == Phase::Starting {
                    self.phase = Phase::Recording;
                }
                if std::mem::take(&mut self.resume_entry) {
                    return self.add(EntryKind::Resumed);
                }
            }
            Update::State(State::Stopping) => self.phase = Phase::Stopping,
            Update::State(_) => {}
            Update::Levels(levels) => {
                let loudest = levels.peak_db.iter().copied().fold(SILENCE_DB, f64::max);
                let shown = self.levels.entry(levels.input).or_insert(SILENCE_DB);
                *shown = loudest.max(*shown - FALL_DB_PER_UPDATE);
            }
            Update::Preview(frame) => {
                let handle = image::Handle::from_rgba(frame.width, frame.height, frame.rgba);
                self.previews.insert(frame.input, handle);
            }
            Update::MediaTime(time) => {
                if let Some(live) = &mut self.live {
                    live.elapsed = time;
                }
            }
            Update::DiskLow(free) => {
                let free = format!("{:.1}", free as f64 / 1e9);
                self.notice = Some(tr!("disk-low", free = free));
            }
            Update::Incident(_) => return Action::Run(self.load_incidents()),
            Update::Error(error) => self.show(&error),
            Update::Ended(ended) => {
                if let Some(error) = &ended.error {
                    self.show(error);
                }
                if let Some(why) = &ended.summary.stopped_for {
                    self.notice = Some(tr!("disk-stopped", why = why.clone()));
                }
                return self.stopped(Some(ended.part_id));
            }
            Update::Failed(error) => {
                self.show(&error);
                return self.stopped(None);
            }
        }
        Action::None
    }

    pub fn hotkey(&mut self, key: Hotkey) -> Action {
        match key {
            Hotkey::Function(number) => {
                if let Some(kind) = EntryKind::from_key(number) {
                    return self.template(kind);
                }
            }
            Hotkey::Record => return self.record(),
            Hotkey::Speaker(0) => self.speaker = None,
            Hotkey::Speaker(number) => {
                if let Some(person) = self.session.participants.get(number - 1) {
                    self.speaker = Some(person.id);
                }
            }
            Hotkey::Escape => {
                if self.confirm_stop {
                    self.confirm_stop = false;
                } else if self.editing.is_some() {
                    self.editing = None;
                }
            }
        }
        Action::None
    }

    /// The Ctrl key's state: while it is held, typed digits pick speakers, not text.
    pub fn ctrl(&mut self, held: bool) {
        self.ctrl_held = held;
    }

    /// Stops the part being recorded, leaving the session open (the window is closing).
    pub fn stop_for_exit(&mut self) {
        if self.is_recording() {
            self.after_stop = AfterStop::Nothing;
            self.controller.stop();
        }
    }

    fn record(&mut self) -> Action {
        if self.phase != Phase::Idle || !self.session.is_open() {
            return Action::None;
        }
        self.resume_entry = self.session.parts > 0 || !self.first_media.is_empty();
        self.phase = Phase::Starting;
        self.problem = None;
        self.controller.start(self.session.id, &self.config);
        Action::None
    }

    fn recess(&mut self) -> Action {
        self.confirm_stop = false;
        if !matches!(self.phase, Phase::Starting | Phase::Recording) {
            return Action::None;
        }
        let entry = self.add(EntryKind::Recess);
        self.after_stop = AfterStop::Nothing;
        self.controller.stop();
        entry
    }

    fn close(&mut self) -> Action {
        self.confirm_stop = false;
        if !self.session.is_open() {
            return Action::None;
        }
        let entry = self.add(EntryKind::SessionClosed);
        match self.phase {
            Phase::Idle => chain(entry, Action::Run(self.finish(None, true))),
            _ => {
                self.after_stop = AfterStop::Close;
                self.controller.stop();
                entry
            }
        }
    }

    /// After a part ends (`part`) or the session closes: the session closed first when
    /// asked, then the part sealed (the last one when closing between parts, so the closing
    /// entries join the chain), then the session read again. The database thread runs this
    /// after every entry written before it.
    fn finish(&self, part: Option<i64>, close: bool) -> Task<Message> {
        let (id, actor) = (self.session.id, self.config.operator.name.clone());
        let (paths, zone) = (self.paths.clone(), self.config.court.time_zone());
        let seal = self.sealer();
        self.database
            .run(move |store| {
                if close {
                    store.close_session(id, &actor)?;
                }
                let parts = store.parts_of(id)?;
                let last = parts.last().map(|p| p.id);
                let prepared = part
                    .or(last.filter(|_| close))
                    .map(|part| hattama::seal::part::prepare(store, &paths, part, zone));
                let finished = Finished {
                    session: store.session(id)?,
                    parts,
                    // Chained now: they say so.
                    entries: store.entries(id)?,
                };
                Ok((Box::new(finished), prepared))
            })
            .then(move |result| match result {
                Err(error) => Task::done(Message::Finished(Err(error))),
                Ok((finished, prepared)) => {
                    Task::done(Message::Finished(Ok(finished))).chain(seal(prepared))
                }
            })
    }

    /// Writes a prepared seal off the database's thread (hashing a long part takes a
    /// while; entries typed meanwhile are written at once), then records it.
    fn sealer(&self) -> impl Fn(Option<Result<Prepared, SealError>>) -> Task<Message> + 'static {
        let (database, paths, id) = (self.database.clone(), self.paths.clone(), self.session.id);
        let delivery = self.config.delivery.clone();
        let config = self.config.clone();
        move |prepared| {
            let Some(prepared) = prepared else {
                return Task::none();
            };
            let database = database.clone();
            let paths = paths.clone();
            let delivery = delivery.clone();
            let config = config.clone();
            let part_id = prepared.as_ref().map(Prepared::part_id).ok();
            crate::screen::blocking(move || {
                prepared.and_then(|prepared| {
                    prepared.write(&hattama::seal::Sealer::open(&paths, &config)?)
                })
            })
            .then(move |written| {
                let written = written.unwrap_or_else(|| {
                    Err(SealError::Random("the sealing thread stopped".to_owned()))
                });
                let delivery = delivery.clone();
                database
                    .run(move |store| {
                        if let Some(part_id) = part_id {
                            match &written {
                                Ok(sealed) => store.part_sealed(
                                    part_id,
                                    &sealed.manifest.sealed_at,
                                    &hattama::delivery::outbox_rows(sealed, &delivery),
                                )?,
                                Err(error) => {
                                    store.part_seal_failed(part_id, &error.to_string())?
                                }
                            }
                        }
                        Ok((store.parts_of(id)?, written.err()))
                    })
                    .map(Message::SealWritten)
            })
        }
    }

    fn stopped(&mut self, part: Option<i64>) -> Action {
        self.phase = Phase::Idle;
        self.live = None;
        self.previews.clear();
        self.levels.clear();
        self.resume_entry = false;
        let close = std::mem::replace(&mut self.after_stop, AfterStop::Nothing) == AfterStop::Close;
        Action::Stopped(self.finish(part, close))
    }

    fn draft(&mut self, text: String) {
        let typed_digit = text.len() == self.draft.len() + 1
            && text.starts_with(&self.draft)
            && text.ends_with(|c: char| c.is_ascii_digit());
        if self.ctrl_held && typed_digit {
            return;
        }
        if text.trim().is_empty() {
            self.draft_started = None;
        } else if self.draft_started.is_none() {
            self.draft_started = Some((Utc::now(), self.live.as_ref().map(|l| l.part_id)));
        }
        self.draft = text;
    }

    fn submit(&mut self) -> Action {
        let text = self.draft.trim().to_owned();
        if text.is_empty() {
            return Action::None;
        }
        let (started, part) = self
            .draft_started
            .take()
            .unwrap_or((Utc::now(), self.live.as_ref().map(|l| l.part_id)));
        self.draft.clear();
        self.add_with_speaker(EntryKind::Note, text, self.speaker, started, part)
    }

    fn template(&mut self, kind: EntryKind) -> Action {
        match kind {
            EntryKind::Recess if self.phase != Phase::Idle => return self.recess(),
            EntryKind::Resumed if self.phase == Phase::Idle && self.session.parts > 0 => {
                return self.record();
            }
            EntryKind::SessionClosed => {
                return self.update(Message::CloseSession);
            }
            _ => {}
        }
        let picked = self.speaker.and_then(|id| self.participant(id));
        let subject = match kind {
            EntryKind::RemoteIdentity => {
                let picked = picked.filter(|p| p.remote);
                match picked.or_else(|| kind.default_subject(&self.session.participants)) {
                    Some(person) => Some(person.clone()),
                    None => {
                        self.notice = Some(if self.session.has_remote_participants() {
                            tr!("remote-pick-speaker")
                        } else {
                            tr!("no-remote-participant")
                        });
                        return Action::None;
                    }
                }
            }
            _ => picked
                .or_else(|| kind.default_subject(&self.session.participants))
                .cloned(),
        };
        let text = kind.text(subject.as_ref());
        let speaker = subject.map(|p| p.id).or(self.speaker);
        let part = self.live.as_ref().map(|l| l.part_id);
        self.add_with_speaker(kind, text, speaker, Utc::now(), part)
    }

    /// Writes a ready-made entry that names no one, now.
    fn add(&mut self, kind: EntryKind) -> Action {
        let part = self.live.as_ref().map(|l| l.part_id);
        self.add_with_speaker(kind, kind.text(None), None, Utc::now(), part)
    }

    /// Writes an entry begun at `started` while `part` was recording.
    fn add_with_speaker(
        &mut self,
        kind: EntryKind,
        text: String,
        speaker_id: Option<i64>,
        started: DateTime<Utc>,
        part: Option<i64>,
    ) -> Action {
        self.notice = None;
        let entry = NewEntry {
            session_id: self.session.id,
            stamp: self.stamp(started, part),
            kind,
            speaker_id,
            text: text.clone(),
        };
        let restore = (kind == EntryKind::Note).then_some(text);
        Action::Run(
            self.database
                .run(move |store| store.add_entry(&entry))
                .map(move |result| Message::Added(result, restore.clone())),
        )
    }

    /// Where a moment falls in `part`, once that part's timeline is known.
    fn stamp(&self, at: DateTime<Utc>, part: Option<i64>) -> Stamp {
        let recording = part.and_then(|id| self.first_media.get(&id).map(|first| (id, *first)));
        Stamp::at(at, recording)
    }

    fn save_correction(&mut self) -> Action {
        let Some(Editing { id, text, addendum }) = self.editing.clone() else {
            return Action::None;
        };
        let Some(entry) = self.entries.iter().find(|e| e.id == id) else {
            return Action::None;
        };
        if text.trim().is_empty() {
            return Action::None;
        }
        let (speaker, actor) = (entry.speaker_id, self.config.operator.name.clone());
        if addendum {
            let new = NewEntry {
                session_id: self.session.id,
                stamp: self.stamp(Utc::now(), self.live.as_ref().map(|l| l.part_id)),
                kind: EntryKind::Addendum,
                speaker_id: speaker,
                text,
            };
            let (paths, zone) = (self.paths.clone(), self.config.court.time_zone());
            let seal = self.sealer();
            return Action::Run(
                self.database
                    .run(move |store| {
                        let entry = store.add_addendum(id, &new, &actor)?;
                        // Chained and signed at once: the latest ended part is sealed anew.
                        let parts = store.parts_of(new.session_id)?;
                        let last = parts.iter().rev().find(|p| !p.state.is_unfinished());
                        let prepared = last
                            .map(|part| hattama::seal::part::prepare(store, &paths, part.id, zone));
                        Ok((entry, prepared))
                    })
                    .then(move |result| match result {
                        Err(error) => Task::done(Message::AddendumAdded(Err(error))),
                        Ok((entry, prepared)) => {
                            Task::done(Message::AddendumAdded(Ok(entry))).chain(seal(prepared))
                        }
                    }),
            );
        }
        Action::Run(
            self.database
                .run(move |store| store.correct_entry(id, &text, speaker, &actor))
                .map(Message::Corrected),
        )
    }

    /// Draws up the act on the database thread, then seals the latest part anew with it.
    fn save_act(&mut self) -> Action {
        let Some(form) = self.act.clone() else {
            return Action::None;
        };
        let (paths, zone) = (self.paths.clone(), self.config.court.time_zone());
        let by = self.config.operator.name.clone();
        let seal = self.sealer();
        Action::Run(
            self.database
                .run(move |store| {
                    Ok(hattama::act::draw_up(
                        store,
                        &paths,
                        form.incident_id,
                        &form.cause,
                        &form.confirmed_by,
                        &by,
                        zone,
                    ))
                })
                .then(move |result| match result {
                    Err(error) => Task::done(Message::ActDrawnUp(Err(error.into()))),
                    Ok(Err(error)) => Task::done(Message::ActDrawnUp(Err(error))),
                    Ok(Ok(drawn)) => {
                        Task::done(Message::ActDrawnUp(Ok(drawn.act))).chain(seal(drawn.reseal))
                    }
                }),
        )
    }

    /// Puts a new or corrected entry in its place (by time, then by sequence).
    fn insert(&mut self, entry: Entry) {
        self.entries.retain(|e| e.id != entry.id);
        let at = self
            .entries
            .partition_point(|e| (e.wall_time, e.seq) <= (entry.wall_time, entry.seq));
        self.entries.insert(at, entry);
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
