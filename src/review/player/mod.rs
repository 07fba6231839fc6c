//! Playing one part back: its recording files read as one (`splitmuxsrc`, whose timestamps
//! run on from file to file as the recorder wrote them), the picture decoded into frames for
//! the window, the chosen audio track (the mix, one microphone, the remote participant) to the
//! default output through `scaletempo`, so 0.5×–2× keeps the voices' pitch.
//!
//! Positions are the part's media time in milliseconds, the same clock the protocol's
//! `offset_ms` counts in. Seeks are accurate: the first frame after one is the frame at the
//! target (the decoder starts at the keyframe before it and drops what comes earlier).

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use gstreamer as gst;
use gstreamer::prelude::*;

use crate::lock::Locked;
use crate::problem::Problem;
use crate::tr;

mod graph;

pub use graph::tracks_of;
use graph::{link_audio, link_video, titled_tracks};

/// Frames waiting for the window beyond this many are dropped (the window lags; the next
/// frame replaces them).
const MAX_QUEUED_FRAMES: usize = 2;
/// The picture is scaled down to at most this width for the window.
const MAX_WIDTH: i32 = 960;

/// The speeds a reviewer can choose.
pub const SPEEDS: [f64; 7] = [0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0];

/// A picture at a moment of the part.
#[derive(Debug, Clone)]
pub struct Frame {
    pub at_ms: i64,
    pub width: u32,
    pub height: u32,
    /// Tightly packed RGBA rows.
    pub rgba: Vec<u8>,
}

/// What the player tells the window.
#[derive(Debug, Clone)]
pub enum Event {
    Frame(Frame),
    /// The part played to its end.
    Ended,
    Failed(PlayerError),
}

/// An audio track of the recording: index among the audio streams, and its title.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Track {
    pub index: usize,
    pub title: String,
}

#[derive(Debug, Clone, thiserror::Error)]
pub enum PlayerError {
    #[error("{folder}: no recording files")]
    NoRecording { folder: PathBuf },
    #[error("{0}")]
    Pipeline(String),
}

impl Problem for PlayerError {
    fn title(&self) -> String {
        match self {
            PlayerError::NoRecording { .. } => tr!("player-no-recording"),
            PlayerError::Pipeline(_) => tr!("player-failed"),
        }
    }

    fn help(&self) -> String {
        tr!("player-failed-help")
    }
}

struct Shared {
    events: async_channel::Sender<Event>,
    /// The audio pads of the selector, by track index.
    selector_pads: Mutex<Vec<Option<gst::Pad>>>,
    chosen: Mutex<usize>,
}

/// What a player is made of, loaded ahead by [`preload`].
const PLAYER_ELEMENTS: [&str; 13] = [
    "filesrc",
    "matroskademux",
    "splitmuxsrc",
    "decodebin",
    "avdec_h264",
    "avdec_aac",
    "videoconvert",
    "videoscale",
    "appsink",
    "input-selector",
    "scaletempo",
    "volume",
    "autoaudiosink",
];

/// Loads GStreamer and the player's plugins (the decoders' library above all) so the first
/// part opened shows its frame without waiting for them: the window calls it once its first
/// screen is drawn. Each is loaded once per process; a missing one is left for the open to
/// name.
pub fn preload() {
    if gst::init().is_err() {
        return;
    }
    for name in PLAYER_ELEMENTS {
        if let Some(factory) = gst::ElementFactory::find(name) {
            let _ = factory.load();
        }
    }
}

/// Pipelines tried for one open when they stall before their first frame.
const OPEN_ATTEMPTS: u32 = 3;

/// How an attempt to open a part ended without a player.
enum Opening {
    /// An element said what is wrong (a damaged file, a missing plugin): final.
    Failed(PlayerError),
    /// Nothing said, nothing came: worth a new pipeline.
    Stalled(PlayerError),
}

/// One part, ready to play.
pub struct Player {
    pipeline: gst::Pipeline,
    selector: gst::Element,
    volume: gst::Element,
    shared: Arc<Shared>,
    events: async_channel::Receiver<Event>,
    rate: f64,
    playing: bool,
    pub tracks: Vec<Track>,
    pub folder: PathBuf,
    /// How many pipelines the open took: 1, unless one stalled before its first frame.
    pub attempts: u32,
}

impl Player {
    /// Opens the part in `folder`, paused on its first frame.
    pub fn open(folder: &Path) -> Result<Player, PlayerError> {
        let files = crate::seal::part::recordings_of(folder);
        if files.is_empty() {
            return Err(PlayerError::NoRecording {
                folder: folder.to_owned(),
            });
        }
        gst::init().map_err(|e| PlayerError::Pipeline(e.to_string()))?;
        // Now and then (about once in a hundred opens on a loaded 2-core machine) a branch
        // linked as splitmuxsrc adds its pads never gets data: the source pad's task is paused
        // and the pipeline waits for ever, with no error. Such a stall, and only that, is
        // tried again with a new pipeline; a damaged file still fails at once.
        let mut attempt = 1;
        loop {
            match Self::open_once(folder, &files) {
                Err(Opening::Stalled(error)) if attempt < OPEN_ATTEMPTS => {
                    tracing::warn!("{error}; opening again ({attempt} of {OPEN_ATTEMPTS})");
                    attempt += 1;
                }
                Err(Opening::Stalled(error) | Opening::Failed(error)) => return Err(error),
                Ok(mut player) => {
                    player.attempts = attempt;
                    return Ok(player);
                }
            }
        }
    }

    fn open_once(folder: &Path, files: &[PathBuf]) -> Result<Player, Opening> {
        let failed =
            |e: &dyn std::fmt::Display| Opening::Failed(PlayerError::Pipeline(e.to_string()));
        let make = |factory: &str| {
            gst::ElementFactory::make(factory)
                .build()
                .map_err(|e| Opening::Failed(PlayerError::Pipeline(format!("{factory}: {e}"))))
        };
        let pipeline = gst::Pipeline::new();
        let source =
            super::playing_source(files).map_err(|e| Opening::Failed(PlayerError::Pipeline(e)))?;
        let selector = make("input-selector")?;
        let tempo = make("scaletempo")?;
        let convert = make("audioconvert")?;
        let resample = make("audioresample")?;
        let volume = make("volume")?;
        let speaker = make("autoaudiosink")?;
        pipeline
            .add_many([
                &source, &selector, &tempo, &convert, &resample, &volume, &speaker,
            ])
            .map_err(|e| failed(&e))?;
        gst::Element::link_many([&selector, &tempo, &convert, &resample, &volume, &speaker])
            .map_err(|e| failed(&e))?;

        let (sender, events) = async_channel::unbounded();
        let shared = Arc::new(Shared {
            events: sender,
            selector_pads: Mutex::new(Vec::new()),
            chosen: Mutex::new(0),
        });
        let weak_pipeline = pipeline.downgrade();
        let weak_selector = selector.downgrade();
        let for_pads = Arc::downgrade(&shared);
        source.connect_pad_added(move |_, pad| {
            let (Some(pipeline), Some(selector), Some(shared)) = (
                weak_pipeline.upgrade(),
                weak_selector.upgrade(),
                for_pads.upgrade(),
            ) else {
                return;
            };
            let name = pad.name();
            let linked = if name.starts_with("video") {
                link_video(&pipeline, pad, &shared)
            } else if let Some(index) = name
                .strip_prefix("audio_")
                .and_then(|n| n.parse::<usize>().ok())
            {
                link_audio(&pipeline, pad, &selector, index, &shared)
            } else {
                Ok(())
            };
            if let Err(error) = linked {
                let _ = shared
                    .events
                    .try_send(Event::Failed(PlayerError::Pipeline(error)));
            }
        });
        let bus = pipeline.bus().expect("a pipeline has a bus");
        let for_bus = Arc::downgrade(&shared);
        bus.set_sync_handler(move |_, message| {
            if let Some(shared) = for_bus.upgrade() {
                match message.view() {
                    gst::MessageView::Eos(_) => {
                        let _ = shared.events.try_send(Event::Ended);
                    }
                    gst::MessageView::Error(error) => {
                        let _ =
                            shared
                                .events
                                .try_send(Event::Failed(PlayerError::Pipeline(format!(
                                    "{}: {}",
                                    error.error(),
                                    error.debug().unwrap_or_default()
                                ))));
                    }
                    _ => {}
                }
            }
            gst::BusSyncReply::Drop
        });
        let player = Player {
            pipeline,
            selector,
            volume,
            shared,
            events,
            rate: 1.0,
            playing: false,
            tracks: Vec::new(),
            folder: folder.to_owned(),
            attempts: 1,
        };
        player
            .pipeline
            .set_state(gst::State::Paused)
            .map_err(|e| failed(&e))?;
        // Prerolled: the first frame is there, seeks and queries answer.
        let (done, state, _) = player.pipeline.state(gst::ClockTime::from_seconds(10));
        if done.is_err() || state != gst::State::Paused {
            let said = player.events.try_recv().ok().and_then(|event| match event {
                Event::Failed(error) => Some(error),
                _ => None,
            });
            let opening = match said {
                Some(error) => Opening::Failed(error),
                None => {
                    // The graph as it stalled, for a report upstream (written only when
                    // GST_DEBUG_DUMP_DOT_DIR names a folder).
                    player.pipeline.debug_to_dot_file_with_ts(
                        gst::DebugGraphDetails::all(),
                        "hattama-player-stalled",
                    );
                    // Which sinks never got their first buffer: where to look next time.
                    let waiting: Vec<String> = player
                        .pipeline
                        .iterate_sinks()
                        .into_iter()
                        .flatten()
                        .filter(|sink| sink.state(gst::ClockTime::ZERO).1 != gst::State::Paused)
                        .map(|sink| sink.name().to_string())
                        .collect();
                    Opening::Stalled(PlayerError::Pipeline(format!(
                        "{}: does not open (still waiting: {})",
                        folder.display(),
                        waiting.join(", ")
                    )))
                }
            };
            let _ = player.pipeline.set_state(gst::State::Null);
            return Err(opening);
        }
        // The titles came with the streams; a file that lost them is asked directly.
        let mut player = player;
        player.tracks = titled_tracks(&source).unwrap_or_else(|| tracks_of(&files[0]));
        Ok(player)
    }

    /// What the player says, for the window to read.
    pub fn events(&self) -> async_channel::Receiver<Event> {
        self.events.clone()
    }

    pub fn play(&mut self) {
        let _ = self.pipeline.set_state(gst::State::Playing);
        self.playing = true;
    }

    pub fn pause(&mut self) {
        let _ = self.pipeline.set_state(gst::State::Paused);
        self.playing = false;
    }

    pub fn is_playing(&self) -> bool {
        self.playing
    }

    /// Where playback is now.
    pub fn position_ms(&self) -> Option<i64> {
        self.pipeline
            .query_position::<gst::ClockTime>()
            .map(|t| t.mseconds() as i64)
    }

    pub fn duration_ms(&self) -> Option<i64> {
        self.pipeline
            .query_duration::<gst::ClockTime>()
            .map(|t| t.mseconds() as i64)
    }

    /// Goes to `at_ms` exactly (at the current speed). It returns at once: the frame there
    /// comes as an event.
    pub fn seek(&mut self, at_ms: i64) -> Result<(), PlayerError> {
        let end = self.duration_ms().unwrap_or(i64::MAX);
        let at = gst::ClockTime::from_mseconds(at_ms.clamp(0, end.max(0)) as u64);
        self.pipeline
            .seek(
                self.rate,
                gst::SeekFlags::FLUSH | gst::SeekFlags::ACCURATE,
                gst::SeekType::Set,
                at,
                gst::SeekType::None,
                gst::ClockTime::NONE,
            )
            .map_err(|e| PlayerError::Pipeline(format!("seek to {at}: {e}")))?;
        Ok(())
    }

    /// Waits (up to `limit`) until a seek or a change of state has finished: for callers
    /// off the window (tests, benchmarks); the window follows the frames instead.
    pub fn settle(&self, limit: Duration) {
        let _ = self
            .pipeline
            .state(gst::ClockTime::from_mseconds(limit.as_millis() as u64));
    }

    /// Moves by `delta_ms` from where playback is.
    pub fn skip(&mut self, delta_ms: i64) -> Result<(), PlayerError> {
        let from = self.position_ms().unwrap_or(0);
        self.seek((from + delta_ms).max(0))
    }

    pub fn rate(&self) -> f64 {
        self.rate
    }

    /// Plays at `rate` (0.5–2), the voices' pitch kept.
    pub fn set_rate(&mut self, rate: f64) -> Result<(), PlayerError> {
        self.rate = rate.clamp(0.5, 2.0);
        let at = self.position_ms().unwrap_or(0);
        self.seek(at)
    }

    /// Volume, 0 (silent) to 1 (as recorded) and up to 2.
    pub fn set_volume(&mut self, volume: f64) {
        self.volume.set_property("volume", volume.clamp(0.0, 2.0));
    }

    /// Hears audio track `index` (0: the mix).
    pub fn choose_track(&mut self, index: usize) {
        *self.shared.chosen.locked() = index;
        let pads = self.shared.selector_pads.locked();
        if let Some(Some(pad)) = pads.get(index) {
            self.selector.set_property("active-pad", pad);
        }
    }

    pub fn chosen_track(&self) -> usize {
        *self.shared.chosen.locked()
    }
}

impl Drop for Player {
    fn drop(&mut self) {
        let _ = self.pipeline.set_state(gst::State::Null);
    }
}

impl std::fmt::Debug for Player {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Player")
            .field("folder", &self.folder)
            .finish()
    }
}

/// Waits up to `limit` for the next frame (for tests and benchmarks, off the window).
pub fn next_frame(events: &async_channel::Receiver<Event>, limit: Duration) -> Option<Frame> {
    let deadline = std::time::Instant::now() + limit;
    while std::time::Instant::now() < deadline {
        match events.try_recv() {
            Ok(Event::Frame(frame)) => return Some(frame),
            Ok(_) => {}
            Err(_) => std::thread::sleep(Duration::from_millis(2)),
        }
    }
    None
}
