//! A session part from start to sealed-ready: the database row, the folder, the recorder,
//! and recovery of parts whose process ended before they were finished.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;

use crate::config::Config;
use crate::incident;
use crate::paths::{PartFiles, Paths};
use crate::problem::Problem;
use crate::recorder::{
    self, Event, IncidentKind, Profile, Recorder, RecorderError, Selection, State, Summary,
};
use crate::store::{NewSession, Part, PartState, Store, StoreError, timestamp};
use crate::tr;

#[derive(Debug, Clone, thiserror::Error)]
pub enum PartError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Recorder(#[from] RecorderError),
    #[error("cannot create {path}: {source}")]
    Folder {
        path: PathBuf,
        #[source]
        source: Arc<std::io::Error>,
    },
}

impl Problem for PartError {
    fn title(&self) -> String {
        match self {
            PartError::Store(error) => error.title(),
            PartError::Recorder(error) => error.title(),
            PartError::Folder { path, .. } => {
                tr!("part-folder-failed", path = path.display().to_string())
            }
        }
    }

    fn help(&self) -> String {
        match self {
            PartError::Store(error) => error.help(),
            PartError::Recorder(error) => error.help(),
            PartError::Folder { .. } => tr!("data-folder-help"),
        }
    }
}

/// Opens a session of `case_number` in the configured court and hall, recorded by
/// `operator_name` before `judge`.
pub fn open_session(
    store: &mut Store,
    config: &Config,
    case_number: &str,
    (operator_name, judge): (&str, &str),
) -> Result<i64, StoreError> {
    store.open_session(&NewSession {
        case_number: case_number.to_owned(),
        judge: judge.trim().to_owned(),
        court: config.court.name.clone(),
        hall: config.court.hall.clone(),
        instance: config.court.instance.code().to_owned(),
        operator_name: operator_name.to_owned(),
        operator_role: operator_role(config).to_owned(),
        ..NewSession::default()
    })
}

/// Who operates the recording: the secretary in first and appellate instance (rules 6,
/// 14), the service organisation's employee in cassation and supervisory (rules 11, 12).
pub fn operator_role(config: &Config) -> &'static str {
    use crate::config::Instance::*;
    match config.court.instance {
        First | Appellate => "secretary",
        Cassation | Supervisory => "service-organisation",
    }
}

/// A part being recorded.
pub struct ActivePart {
    pub part: Part,
    /// The part's folder (absolute).
    pub folder: PathBuf,
    pub recorder: Recorder,
    pub selection: Selection,
    /// Who is told of incidents, in which court and hall.
    config: Config,
    /// Held while recording, so recovery never touches this part.
    _lock: File,
}

/// How a part ended.
#[derive(Debug, Clone, Serialize)]
pub struct Ended {
    pub part_id: i64,
    pub folder: PathBuf,
    pub state: &'static str,
    pub summary: Summary,
    #[serde(skip)]
    pub error: Option<RecorderError>,
}

fn lock(folder: &Path) -> Result<File, PartError> {
    let path = PartFiles(folder).lock();
    let folder_error = |source: std::io::Error| PartError::Folder {
        path: folder.to_owned(),
        source: Arc::new(source),
    };
    crate::paths::create_folder_all(folder).map_err(folder_error)?;
    let file = File::create(&path).map_err(folder_error)?;
    file.try_lock().map_err(|error| {
        folder_error(std::io::Error::new(
            std::io::ErrorKind::WouldBlock,
            error.to_string(),
        ))
    })?;
    Ok(file)
}

/// Starts the next part of `session_id`: its row first (so a crash from here on is found
/// by recovery), then its folder and lock, then the recorder.
pub fn begin(
    store: &mut Store,
    paths: &Paths,
    config: &Config,
    session_id: i64,
    selection: Selection,
    profile: &Profile,
    previews: bool,
) -> Result<(ActivePart, async_channel::Receiver<Event>), PartError> {
    let inputs: Vec<_> = selection.inputs.iter().map(|input| input.info()).collect();
    let demo = inputs.iter().any(|input| input.demo);
    let part = store.begin_part(
        session_id,
        &profile.name,
        &serde_json::to_value(&inputs).unwrap_or_default(),
        demo,
    )?;
    store.set_part_operator(part.id, &config.operator.name)?;
    let folder = paths.sessions().join(&part.folder);
    let started = lock(&folder).and_then(|lock| {
        let options = recorder::Options {
            sync_interval: Duration::from_millis(config.recording.sync_interval_ms),
            previews,
            segments: recorder::Segments::of(&config.recording),
            stop_below: config.recording.stop_free_mb << 20,
            warn_below: profile.bytes_per_hour(selection.inputs.len() as u64)
                * config.recording.warn_free_minutes
                / 60,
            limits: recorder::Limits::of(&config.recording),
        };
        Recorder::start(&selection.inputs, profile, &folder, options)
            .map(|started| (lock, started))
            .map_err(PartError::from)
    });
    match started {
        Ok((lock, (recorder, events))) => {
            // Who started it: this workstation's secretary now, else the session's.
            let actor = Some(config.operator.name.trim().to_owned())
                .filter(|name| !name.is_empty())
                .or_else(|| operator_name(store, session_id));
            store.audit(
                actor.as_deref().unwrap_or(""),
                "part-started",
                "session_part",
                part.id,
                &serde_json::json!({ "inputs": inputs, "profile": profile.name }),
            )?;
            Ok((
                ActivePart {
                    part,
                    folder,
                    recorder,
                    selection,
                    config: config.clone(),
                    _lock: lock,
                },
                events,
            ))
        }
        Err(error) => {
            store.part_ended(part.id, PartState::Failed, None, Some(&error.to_string()))?;
            Err(error)
        }
    }
}

fn operator_name(store: &Store, session_id: i64) -> Option<String> {
    store.session_operator(session_id).ok()
}

impl ActivePart {
    fn incident_context(&self) -> incident::Context<'_> {
        incident::Context {
            config: &self.config,
            part: &self.part,
            first_media_wall: self.recorder.timing().map(|t| t.first_media_wall),
        }
    }

    /// Stores what the part needs from an event: its timeline once known, its incidents
    /// (kept, in the protocol, told).
    pub fn record_event(&self, store: &mut Store, event: &Event) -> Result<(), StoreError> {
        match event {
            Event::Started(timing) => store.part_recording(
                self.part.id,
                timing.first_media_ns as i64,
                &timestamp(timing.first_media_wall),
            ),
            Event::Incident(happened) => {
                let context = self.incident_context();
                let (kind, input, name) = (happened.kind.code(), &happened.input, &happened.name);
                match happened.ended {
                    None => incident::began(
                        store,
                        &context,
                        kind,
                        input,
                        name,
                        happened.began,
                        &happened.details,
                    )
                    .map(|_| ()),
                    Some(at) => {
                        incident::ended(store, &context, kind, input, name, at, happened.came_back)
                    }
                }
            }
            _ => Ok(()),
        }
    }

    pub fn stop(&self, store: &Store) -> Result<(), StoreError> {
        if !self.recorder.state().is_final() {
            store.part_stopping(self.part.id)?;
        }
        self.recorder.stop();
        Ok(())
    }

    /// Waits for the recorder to end and records how the part ended. A part that failed
    /// while recording is repaired at once, keeping everything written.
    pub fn finish(self, store: &mut Store) -> Result<Ended, StoreError> {
        let timing = self.recorder.timing();
        if let Some(timing) = timing {
            store.part_recording(
                self.part.id,
                timing.first_media_ns as i64,
                &timestamp(timing.first_media_wall),
            )?;
        }
        let ActivePart {
            part,
            folder,
            recorder,
            config,
            _lock,
            ..
        } = self;
        let summary = recorder.wait();
        let context = incident::Context {
            config: &config,
            part: &part,
            first_media_wall: timing.map(|t| t.first_media_wall),
        };
        // Rule 27: a stop for the disk, or a write that failed, is an incident of the part.
        let failed_write = match &summary.error {
            Some(RecorderError::Write { message, .. }) => Some(message.clone()),
            _ => None,
        };
        // Kept before the part's end is; a database that cannot take them (the disk is
        // full) does not keep the part from being ended and repaired: said in the log.
        let mut incidents = || -> Result<(), StoreError> {
            for (kind, details) in [
                (IncidentKind::DiskNearlyFull, summary.stopped_for.clone()),
                (IncidentKind::WriteError, failed_write.clone()),
            ] {
                if let Some(details) = details {
                    let (kind, now) = (kind.code(), chrono::Utc::now());
                    incident::began(store, &context, kind, "", "", now, &details)?;
                    incident::ended(store, &context, kind, "", "", now, false)?;
                }
            }
            store.end_open_incidents(part.id, chrono::Utc::now())
        };
        if let Err(error) = incidents() {
            tracing::error!("the part's incidents could not be kept: {error}");
        }
        let error = summary.error.clone();
        let duration_ms = Some(summary.duration.as_millis() as i64);
        let state = if summary.state == State::Stopped {
            store.part_ended(part.id, PartState::Finished, duration_ms, None)?;
            PartState::Finished
        } else {
            let failure = error.as_ref().map(ToString::to_string);
            match recorder::repair::repair(&folder) {
                Ok(duration) => {
                    let duration_ms = Some(duration.as_millis() as i64);
                    store.part_ended(
                        part.id,
                        PartState::Recovered,
                        duration_ms,
                        failure.as_deref(),
                    )?;
                    PartState::Recovered
                }
                Err(repair_error) => {
                    let text = format!("{}; {repair_error}", failure.unwrap_or_default());
                    store.part_ended(part.id, PartState::Failed, duration_ms, Some(&text))?;
                    PartState::Failed
                }
            }
        };
        store.audit(
            "",
            "part-ended",
            "session_part",
            part.id,
            &serde_json::json!({ "state": state.code(), "duration_ms": duration_ms }),
        )?;
        Ok(Ended {
            part_id: part.id,
            folder,
            state: state.code(),
            summary,
            error,
        })
    }
}

/// What recovery did with one interrupted part.
#[derive(Debug, Clone, Serialize)]
pub struct Recovered {
    pub part_id: i64,
    pub case_number: String,
    pub folder: PathBuf,
    /// `recovered`, or `failed` when nothing readable could be kept (the file stays).
    pub state: &'static str,
    pub duration_ms: Option<i64>,
    pub error: Option<String>,
}

/// Finishes every part whose recording process ended without finishing it: the file is
/// made whole and the part marked recovered. Parts still being recorded (their lock is
/// held by a live process) are left alone.
pub fn recover(
    store: &mut Store,
    paths: &Paths,
    config: &Config,
) -> Result<Vec<Recovered>, StoreError> {
    let mut recovered = Vec::new();
    for part in store.unfinished_parts()? {
        let folder = paths.sessions().join(&part.folder);
        let lock_file = PartFiles(&folder).lock();
        if let Ok(file) = File::options().write(true).open(&lock_file)
            && file.try_lock().is_err()
        {
            continue;
        }
        let (state, duration_ms, error) = match recorder::repair::repair(&folder) {
            Ok(duration) => (
                PartState::Recovered,
                Some(duration.as_millis() as i64),
                None,
            ),
            Err(error) => (PartState::Failed, None, Some(error.to_string())),
        };
        // Rule 27: the recording stopped without being finished (a crash, a power loss, a
        // disk that filled): an incident from the last write on, kept now it is known,
        // written into the protocol where the recording stopped, and told. The part's end
        // and its incident are one transaction: a power cut leaves the part unfinished,
        // recovered again at the next start, never recovered without its incident.
        let last_write = PartFiles(&folder)
            .recordings()
            .iter()
            .filter_map(|file| std::fs::metadata(file).and_then(|m| m.modified()).ok())
            .max()
            .map(chrono::DateTime::<chrono::Utc>::from)
            .unwrap_or_else(chrono::Utc::now);
        let kind = IncidentKind::RecordingInterrupted.code();
        let details = part.error.clone().unwrap_or_default();
        let context = incident::Context {
            config,
            part: &part,
            first_media_wall: part.first_media_at(),
        };
        store.all_or_nothing(|store| {
            store.part_ended(part.id, state, duration_ms, error.as_deref())?;
            incident::began(store, &context, kind, "", "", last_write, &details)?;
            store.end_incident(part.id, kind, "", last_write)?;
            store.audit(
                "",
                "part-recovered",
                "session_part",
                part.id,
                &serde_json::json!({ "state": state.code(), "error": error }),
            )
        })?;
        recovered.push(Recovered {
            part_id: part.id,
            case_number: part.case_number,
            folder,
            state: state.code(),
            duration_ms,
            error,
        });
    }
    Ok(recovered)
}
