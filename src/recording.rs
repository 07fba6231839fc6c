//! A session's recording, part after part, on a thread of its own.
//!
//! The window sends commands (start a part, stop it) and reads updates; everything that
//! blocks (devices, the database, starting and finishing the pipeline) happens here, so
//! the window never waits. One part records at a time.

use std::thread::JoinHandle;
use std::time::Duration;

use crate::config::Config;
use crate::part::{self, ActivePart, Ended, PartError};
use crate::paths::Paths;
use crate::recorder::{
    self, DemoReason, Event, Frame, InputInfo, Levels, Profile, RecorderError, State, Timing,
    devices,
};
use crate::store::{Part, Store};

/// What the recording thread reports.
#[derive(Debug, Clone)]
pub enum Update {
    /// A part is registered and its recorder is starting.
    Starting {
        part: Part,
        inputs: Vec<InputInfo>,
        demo_reasons: Vec<DemoReason>,
    },
    /// Every track has data: the part's timeline is fixed.
    Recording {
        part_id: i64,
        timing: Timing,
    },
    State(State),
    Levels(Levels),
    Preview(Frame),
    MediaTime(Duration),
    /// The disk is running short: bytes left (the part stops by itself when nearly full).
    DiskLow(u64),
    /// An input stopped, failed or fell silent, or came back (kept and told by then).
    Incident(recorder::Incident),
    /// Something went wrong while recording; the part ends and keeps what it has.
    Error(RecorderError),
    /// The part has ended and is stored as finished, recovered or failed.
    Ended(Ended),
    /// A part could not start, or its end could not be stored.
    Failed(PartError),
}

impl Update {
    /// Updates that arrive many times a second and can be dropped when the reader lags.
    fn is_frequent(&self) -> bool {
        matches!(
            self,
            Update::Levels(_) | Update::Preview(_) | Update::MediaTime(_)
        )
    }
}

enum Command {
    Start {
        session_id: i64,
        config: Box<Config>,
    },
    Stop,
    Started(Timing),
    Incident(recorder::Incident),
    Finished,
}

/// Sends commands to the recording thread.
#[derive(Debug, Clone)]
pub struct Controller {
    commands: async_channel::Sender<Command>,
}

impl std::fmt::Debug for Command {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Command::Start { .. } => "Start",
            Command::Stop => "Stop",
            Command::Started(_) => "Started",
            Command::Incident(_) => "Incident",
            Command::Finished => "Finished",
        })
    }
}

/// How many frequent updates may wait for the reader before newer ones are dropped.
const BACKLOG: usize = 64;

impl Controller {
    /// Starts the recording thread. It opens its own connection to the database.
    pub fn spawn(paths: Paths) -> (Controller, async_channel::Receiver<Update>, JoinHandle<()>) {
        let (commands, inbox) = async_channel::unbounded();
        let (updates, outbox) = async_channel::unbounded();
        let controller = Controller {
            commands: commands.clone(),
        };
        let thread = std::thread::Builder::new()
            .name("recording".to_owned())
            .spawn(move || Worker::new(paths, commands, updates).run(inbox))
            .expect("a thread can be started");
        (controller, outbox, thread)
    }

    /// Starts the next part of `session_id` with the devices and profile of `config`.
    pub fn start(&self, session_id: i64, config: &Config) {
        let _ = self.commands.try_send(Command::Start {
            session_id,
            config: Box::new(config.clone()),
        });
    }

    /// Stops the part being recorded (by end-of-stream: everything captured is written).
    pub fn stop(&self) {
        let _ = self.commands.try_send(Command::Stop);
    }
}

struct Worker {
    paths: Paths,
    store: Option<Store>,
    active: Option<ActivePart>,
    commands: async_channel::Sender<Command>,
    updates: async_channel::Sender<Update>,
}

impl Worker {
    fn new(
        paths: Paths,
        commands: async_channel::Sender<Command>,
        updates: async_channel::Sender<Update>,
    ) -> Self {
        Self {
            paths,
            store: None,
            active: None,
            commands,
            updates,
        }
    }

    fn run(mut self, inbox: async_channel::Receiver<Command>) {
        while let Ok(command) = inbox.recv_blocking() {
            match command {
                Command::Start { session_id, config } => {
                    if self.active.is_none()
                        && let Err(error) = self.start(session_id, &config)
                    {
                        self.send(Update::Failed(error));
                    }
                }
                Command::Stop => {
                    if let (Some(active), Some(store)) = (&self.active, &self.store)
                        && let Err(error) = active.stop(store)
                    {
                        // The recorder was told to stop all the same.
                        self.send(Update::Failed(error.into()));
                    }
                }
                Command::Started(timing) => self.record(Event::Started(timing)),
                Command::Incident(incident) => {
                    self.record(Event::Incident(incident.clone()));
                    // Said on screen once it is kept (and told).
                    self.send(Update::Incident(incident));
                }
                Command::Finished => self.finish(),
            }
        }
    }

    fn record(&mut self, event: Event) {
        if let (Some(active), Some(store)) = (&self.active, &mut self.store)
            && let Err(error) = active.record_event(store, &event)
        {
            self.send(Update::Failed(error.into()));
        }
    }

    fn store(&mut self) -> Result<&mut Store, PartError> {
        if self.store.is_none() {
            self.store = Some(Store::open(&self.paths.database())?);
        }
        Ok(self.store.as_mut().expect("opened above"))
    }

    fn start(&mut self, session_id: i64, config: &Config) -> Result<(), PartError> {
        let found = devices::list()?;
        let selection = recorder::inputs::choose(&config.recording, &found, false)?;
        let profile = Profile::find(&config.recording.profile, &self.paths.profiles())?;
        let paths = self.paths.clone();
        let store = self.store()?;
        let (active, events) =
            part::begin(store, &paths, config, session_id, selection, &profile, true)?;
        self.send(Update::Starting {
            part: active.part.clone(),
            inputs: active.selection.inputs.iter().map(|i| i.info()).collect(),
            demo_reasons: active.selection.demo_reasons.clone(),
        });
        let part_id = active.part.id;
        self.active = Some(active);
        let (commands, updates) = (self.commands.clone(), self.updates.clone());
        std::thread::Builder::new()
            .name("recording-events".to_owned())
            .spawn(move || forward(events, part_id, &commands, &updates))
            .map_err(|error| {
                PartError::Recorder(RecorderError::Start {
                    message: error.to_string(),
                })
            })?;
        Ok(())
    }

    fn finish(&mut self) {
        let (Some(active), Some(store)) = (self.active.take(), &mut self.store) else {
            return;
        };
        match active.finish(store) {
            Ok(ended) => self.send(Update::Ended(ended)),
            Err(error) => self.send(Update::Failed(error.into())),
        }
    }

    fn send(&self, update: Update) {
        send(&self.updates, update);
    }
}

fn send(updates: &async_channel::Sender<Update>, update: Update) {
    if update.is_frequent() && updates.len() >= BACKLOG {
        return;
    }
    let _ = updates.try_send(update);
}

/// Passes the recorder's events on, and tells the worker when the part's timeline is
/// fixed and when the recorder has finished.
fn forward(
    events: async_channel::Receiver<Event>,
    part_id: i64,
    commands: &async_channel::Sender<Command>,
    updates: &async_channel::Sender<Update>,
) {
    while let Ok(event) = events.recv_blocking() {
        let update = match event {
            Event::Started(timing) => {
                let _ = commands.try_send(Command::Started(timing));
                Update::Recording { part_id, timing }
            }
            Event::Finished(_) => {
                let _ = commands.try_send(Command::Finished);
                continue;
            }
            Event::State(state) => Update::State(state),
            Event::Levels(levels) => Update::Levels(levels),
            Event::Preview(frame) => Update::Preview(frame),
            Event::MediaTime(time) => Update::MediaTime(time),
            Event::DiskLow(free) => Update::DiskLow(free),
            Event::Incident(incident) => {
                let _ = commands.try_send(Command::Incident(incident));
                continue;
            }
            Event::Error(error) => Update::Error(error),
        };
        send(updates, update);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::PartState;

    fn wait_for(
        updates: &async_channel::Receiver<Update>,
        what: impl Fn(&Update) -> bool,
    ) -> Update {
        let deadline = std::time::Instant::now() + Duration::from_secs(30);
        loop {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            assert!(!left.is_zero(), "timed out waiting for an update");
            match updates.recv_blocking() {
                Ok(update) if what(&update) => return update,
                Ok(Update::Failed(error)) => panic!("failed: {error}"),
                Ok(_) => {}
                Err(_) => panic!("the recording thread ended"),
            }
        }
    }

    #[test]
    fn two_parts_of_a_session_recorded_one_after_the_other() {
        let folder = tempfile::tempdir().expect("temporary folder");
        let paths = Paths::new(None, Some(folder.path().to_owned()));
        let mut config = Config::default();
        config.recording.profile = "480p25".to_owned();
        let session = {
            let mut store = Store::open(&paths.database()).expect("store");
            part::open_session(&mut store, &config, "2-77/2026", ("Айгерім", "")).expect("session")
        };
        let (controller, updates, _thread) = Controller::spawn(paths.clone());
        for number in 1..=2 {
            controller.start(session, &config);
            let Update::Starting { part, inputs, .. } =
                wait_for(&updates, |u| matches!(u, Update::Starting { .. }))
            else {
                unreachable!()
            };
            assert_eq!(part.number, number);
            assert!(
                inputs.iter().all(|i| i.demo),
                "no devices here: demo inputs"
            );
            // A second start while recording is ignored.
            controller.start(session, &config);
            wait_for(&updates, |u| matches!(u, Update::Recording { .. }));
            std::thread::sleep(Duration::from_millis(1500));
            controller.stop();
            let Update::Ended(ended) = wait_for(&updates, |u| matches!(u, Update::Ended(_))) else {
                unreachable!()
            };
            assert_eq!(ended.state, "finished");
            assert!(ended.summary.duration >= Duration::from_secs(1));
        }
        let store = Store::open(&paths.database()).expect("store");
        let parts = store.parts_of(session).expect("parts");
        assert_eq!(parts.len(), 2);
        assert!(parts.iter().all(|p| p.state == PartState::Finished));
        assert!(parts.iter().all(|p| p.first_media_wall.is_some()));
    }

    #[test]
    fn a_closed_session_cannot_start_a_part() {
        let folder = tempfile::tempdir().expect("temporary folder");
        let paths = Paths::new(None, Some(folder.path().to_owned()));
        let config = Config::default();
        let session = {
            let mut store = Store::open(&paths.database()).expect("store");
            let id =
                part::open_session(&mut store, &config, "2-78/2026", ("", "")).expect("session");
            store.close_session(id, "").expect("closed");
            id
        };
        let (controller, updates, _thread) = Controller::spawn(paths);
        controller.start(session, &config);
        match updates.recv_blocking() {
            Ok(Update::Failed(PartError::Store(crate::store::StoreError::SessionClosed(id)))) => {
                assert_eq!(id, session)
            }
            other => panic!("expected a refusal, got {other:?}"),
        }
    }
}
