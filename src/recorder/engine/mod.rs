//! A running recording: the pipeline, its bus watcher and the state machine.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use gstreamer as gst;
use gstreamer::prelude::*;
use serde::Serialize;

use super::durability::Syncer;
use super::files::Files;
use super::inputs::Input;
use super::pipeline::{self, Segments, Track};
use super::profile::Profile;
use super::state::State;
use super::watchdog::{Incident, Limits, Watchdog};
use super::{RecorderError, init};
use crate::lock::Locked;
use crate::paths::PartFiles;

mod watch;

pub(crate) use watch::rgba_of;
use watch::{
    DiskGuard, Guards, first_error, forward_previews, media_time, watch_bus, watch_mux_pads,
};

/// How long stop may take before the part is given up as unfinished (then repaired).
const STOP_TIMEOUT: Duration = Duration::from_secs(15);
/// How long the inputs may take to deliver their first data before the start is given up.
const START_TIMEOUT: Duration = Duration::from_secs(20);
/// How often media time is reported.
const TICK: Duration = Duration::from_millis(100);
/// Preview frames are dropped rather than queued when the reader lags this far behind.
const MAX_QUEUED_EVENTS: usize = 16;

/// Where the part's media timeline starts, in file time and in wall-clock time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Timing {
    /// The first media timestamp in the file, in nanoseconds.
    pub first_media_ns: u64,
    /// The UTC time that timestamp was captured at.
    pub first_media_wall: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct Frame {
    pub input: String,
    pub width: u32,
    pub height: u32,
    /// Tightly packed RGBA rows.
    pub rgba: Vec<u8>,
}

/// Audio levels of one input, per channel, in dBFS.
#[derive(Debug, Clone, PartialEq)]
pub struct Levels {
    pub input: String,
    pub peak_db: Vec<f64>,
    pub rms_db: Vec<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub state: State,
    /// From the first media timestamp to the end of the last buffer written.
    pub duration: Duration,
    pub video_frames: u64,
    /// Frames missing from the video track's timeline (gaps in its timestamps).
    pub dropped_frames: u64,
    pub tracks: Vec<Track>,
    /// Why the recorder stopped by itself (the disk nearly full), if it did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stopped_for: Option<String>,
    #[serde(skip)]
    pub error: Option<RecorderError>,
}

#[derive(Debug, Clone)]
pub enum Event {
    State(State),
    /// All tracks have data: the part's timeline is fixed.
    Started(Timing),
    Levels(Levels),
    Preview(Frame),
    /// The current position in the recording, from its first media timestamp.
    MediaTime(Duration),
    /// The disk is running short: bytes left.
    DiskLow(u64),
    /// An input stopped, failed or fell silent (`ended` empty), or that is over.
    Incident(Incident),
    Error(RecorderError),
    Finished(Summary),
}

#[derive(Default)]
struct Counters {
    first_pts: Mutex<Vec<Option<u64>>>,
    timing: Mutex<Option<Timing>>,
    last_end: AtomicU64,
    video_frames: AtomicU64,
    dropped_frames: AtomicU64,
    last_video_pts: AtomicU64,
}

struct Shared {
    state: Mutex<State>,
    stop_asked: Mutex<Option<Instant>>,
    counters: Counters,
    events: async_channel::Sender<Event>,
    summary: Mutex<Option<Summary>>,
    stopped_for: Mutex<Option<String>>,
}

impl Shared {
    /// Moves the state machine; a transition it does not allow is ignored and logged.
    fn become_(&self, next: State) -> bool {
        let mut state = self.state.locked();
        if !state.may_become(next) {
            tracing::debug!("recorder: ignored {:?} → {next:?}", *state);
            return false;
        }
        *state = next;
        drop(state);
        let _ = self.events.try_send(Event::State(next));
        true
    }

    fn state(&self) -> State {
        *self.state.locked()
    }
}

/// How a recording runs.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// How often the file is forced to disk: the most a power loss can take.
    pub sync_interval: Duration,
    /// Whether preview frames are made (only a window shows them).
    pub previews: bool,
    /// When the recording's current file is closed and the next one opened.
    pub segments: Segments,
    /// Free disk (bytes) below which the part is stopped cleanly, and below which the
    /// secretary is warned.
    pub stop_below: u64,
    pub warn_below: u64,
    /// When an input counts as stopped or silent.
    pub limits: Limits,
}

/// A recording in progress. Dropping it stops the recording cleanly.
pub struct Recorder {
    pipeline: gst::Pipeline,
    shared: Arc<Shared>,
    watcher: Option<JoinHandle<()>>,
    folder: PathBuf,
}

impl Recorder {
    /// Builds the pipeline for `inputs`, writing into `folder`, and starts it. The state is
    /// `Starting` until every track has data, then `Recording`.
    pub fn start(
        inputs: &[Input],
        profile: &Profile,
        folder: &Path,
        options: Options,
    ) -> Result<(Recorder, async_channel::Receiver<Event>), RecorderError> {
        init()?;
        let built = pipeline::build(inputs, profile, folder, options.previews)?;
        let files = Files::start(
            &built.pipeline,
            folder,
            built.streams.clone(),
            options.segments,
        )?;
        let (sender, receiver) = async_channel::unbounded();
        let shared = Arc::new(Shared {
            state: Mutex::new(State::Idle),
            stop_asked: Mutex::new(None),
            counters: Counters {
                first_pts: Mutex::new(vec![None; built.streams.len()]),
                ..Counters::default()
            },
            events: sender,
            summary: Mutex::new(None),
            stopped_for: Mutex::new(None),
        });
        let frame_ns = 1_000_000_000 / u64::from(profile.video.framerate);
        watch_mux_pads(&built, &shared, frame_ns);
        let watchdog = {
            let shared = Arc::downgrade(&shared);
            Watchdog::attach(
                &built.pipeline,
                inputs,
                profile,
                options.limits,
                move || {
                    shared
                        .upgrade()
                        .is_none_or(|shared| shared.stop_asked.locked().is_some())
                },
            )
        };
        for (input, sink) in &built.previews {
            forward_previews(input.clone(), sink, &shared);
        }
        shared.become_(State::Starting);
        let pipeline = built.pipeline;
        if let Err(error) = pipeline.set_state(gst::State::Playing) {
            let message = first_error(&pipeline).unwrap_or_else(|| error.to_string());
            let _ = pipeline.set_state(gst::State::Null);
            return Err(RecorderError::Start { message });
        }
        let syncer = Syncer::start(
            &[files.current(), PartFiles(folder).audio()],
            options.sync_interval,
        );
        let disk = DiskGuard {
            folder: folder.to_owned(),
            stop_below: options.stop_below,
            warn_below: options.warn_below,
            warned: false,
            last: Instant::now(),
        };
        let watcher = {
            let pipeline = pipeline.clone();
            let shared = shared.clone();
            let tracks = built.tracks;
            std::thread::Builder::new()
                .name("recorder-bus".to_owned())
                .spawn(move || {
                    let guards = Guards {
                        files: &files,
                        disk,
                        watchdog,
                    };
                    watch_bus(&pipeline, &shared, syncer, tracks, guards)
                })
                .map_err(|error| RecorderError::Start {
                    message: error.to_string(),
                })?
        };
        Ok((
            Recorder {
                pipeline,
                shared,
                watcher: Some(watcher),
                folder: folder.to_owned(),
            },
            receiver,
        ))
    }

    pub fn state(&self) -> State {
        self.shared.state()
    }

    /// The part's folder, where the recording's files and the audio copy are written.
    pub fn folder(&self) -> &Path {
        &self.folder
    }

    pub fn timing(&self) -> Option<Timing> {
        *self.shared.counters.timing.locked()
    }

    /// The position now, counted from the part's first media timestamp: what a protocol
    /// entry typed at this moment is stamped with.
    pub fn media_time(&self) -> Option<Duration> {
        media_time(&self.pipeline, &self.shared)
    }

    /// Asks the recording to finish: sends end-of-stream. The state is `Stopping` until
    /// end-of-stream has gone through the muxer into the file.
    pub fn stop(&self) {
        ask_stop(&self.shared, &self.pipeline);
    }

    /// Waits for the recording to end (after `stop`, or a failure) and returns its summary.
    pub fn wait(mut self) -> Summary {
        self.join()
    }

    fn join(&mut self) -> Summary {
        if let Some(watcher) = self.watcher.take() {
            let _ = watcher.join();
        }
        self.shared
            .summary
            .locked()
            .clone()
            .unwrap_or_else(|| Summary {
                state: State::Failed,
                duration: Duration::ZERO,
                video_frames: 0,
                dropped_frames: 0,
                tracks: Vec::new(),
                stopped_for: None,
                error: Some(RecorderError::Start {
                    message: "the bus watcher ended without a summary".to_owned(),
                }),
            })
    }
}

impl Drop for Recorder {
    fn drop(&mut self) {
        if self.watcher.is_some() {
            self.stop();
            self.join();
        }
    }
}

/// Ends the recording through end-of-stream, once.
fn ask_stop(shared: &Shared, pipeline: &gst::Pipeline) {
    if shared.become_(State::Stopping) {
        *shared.stop_asked.locked() = Some(Instant::now());
        pipeline.send_event(gst::event::Eos::new());
    }
}

#[cfg(test)]
mod tests;
