//! The recording's files: one Matroska file open at a time, closed at a keyframe once it
//! reaches a length or size limit while the next one goes on, so a closed file can be
//! hashed while the part records and the seal at stop reads only the last file.
//!
//! ```text
//!  stream pads (video, mix, each input: the queues' src pads)
//!      │  (a probe on each moves its pad from file N to file N+1 at the cut)
//!      ▼
//!  file bin N:   matroskamux ─► filesink recording-00N.mkv    (EOS, then removed)
//!  file bin N+1: matroskamux ─► filesink recording-00N+1.mkv
//! ```
//!
//! Why not splitmuxsink: it holds a whole group of pictures in memory before writing it
//! (to decide which file it belongs in), so a crash lost up to two seconds instead of a
//! fraction of one. Here every buffer goes to a file as soon as it comes; the cut is
//! chosen a second ahead (the encoder is asked for a keyframe at that time), every audio
//! stream moves at its first buffer at or after the cut and the video at its first
//! keyframe at or after it. Timestamps run on from one file to the next.
//!
//! A file's filesink is not counted among the pipeline's sinks: its end-of-stream is seen
//! by a probe and posted as an application message (`hattama-file-closed`), so a closed
//! file never holds up or ends the pipeline and the bus thread knows when each file is
//! complete.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use gstreamer as gst;
use gstreamer::prelude::*;

use super::RecorderError;
use super::pipeline::{Segments, make};
use crate::lock::Locked;
use crate::paths::PartFiles;

/// The bus message a file bin posts when its file is complete.
pub const FILE_CLOSED: &str = "hattama-file-closed";
/// How far ahead of now a cut is placed: every stream's buffers for that time are still
/// to come, and the encoder has time to make the keyframe.
const LEAD: Duration = Duration::from_secs(1);

/// One file being written: its muxer and sink in a bin, with a ghost sink pad per stream.
struct FileBin {
    bin: gst::Bin,
    pads: Vec<gst::Pad>,
    path: PathBuf,
    bytes: Arc<AtomicU64>,
}

/// The muxer pad templates of the streams, video first.
fn templates(streams: usize) -> Vec<&'static str> {
    std::iter::once("video_%u")
        .chain(std::iter::repeat_n("audio_%u", streams.saturating_sub(1)))
        .collect()
}

fn file_bin(path: &Path, number: u32, streams: usize) -> Result<FileBin, RecorderError> {
    let failed = |error: gst::glib::BoolError| RecorderError::Build {
        what: path.display().to_string(),
        message: error.to_string(),
    };
    let bin = gst::Bin::builder()
        .name(format!("recording-file-{number}"))
        .build();
    let mux = make("matroskamux", &format!("mux-{number}"))?;
    mux.set_property(
        "writing-app",
        format!("Hattama {}", env!("CARGO_PKG_VERSION")),
    );
    let sink = make("filesink", &format!("file-{number}"))?;
    sink.set_property("location", path.to_string_lossy().to_string());
    // Every buffer reaches the kernel at once: a killed process loses nothing written.
    sink.set_property_from_str("buffer-mode", "unbuffered");
    sink.set_property("async", false);
    // Not one of the pipeline's sinks: its end is this module's business (see above).
    sink.unset_element_flags(gst::ElementFlags::SINK);
    bin.add_many([&mux, &sink]).map_err(failed)?;
    mux.link(&sink).map_err(failed)?;
    let mut pads = Vec::new();
    for (index, template) in templates(streams).into_iter().enumerate() {
        let target = mux
            .request_pad_simple(template)
            .ok_or_else(|| RecorderError::Build {
                what: format!("matroskamux {template}"),
                message: "no pad".to_owned(),
            })?;
        let ghost = gst::GhostPad::builder_with_target(&target)
            .map_err(failed)?
            .name(format!("sink_{index}"))
            .build();
        bin.add_pad(&ghost).map_err(failed)?;
        pads.push(ghost.upcast());
    }
    let bytes = Arc::new(AtomicU64::new(0));
    let sink_pad = sink.static_pad("sink").expect("filesink has a sink pad");
    {
        let bytes = bytes.clone();
        let location = path.to_string_lossy().to_string();
        sink_pad.add_probe(
            gst::PadProbeType::BUFFER | gst::PadProbeType::EVENT_DOWNSTREAM,
            move |pad, info| match &info.data {
                Some(gst::PadProbeData::Buffer(buffer)) => {
                    bytes.fetch_add(buffer.size() as u64, Ordering::Relaxed);
                    gst::PadProbeReturn::Ok
                }
                Some(gst::PadProbeData::Event(event)) if event.type_() == gst::EventType::Eos => {
                    // Everything the muxer wrote (its final index and header too) is in
                    // the file: say so on the bus. (The sink's own EOS message does not
                    // count for the pipeline: it is not one of its sinks.)
                    if let Some(element) = pad.parent_element() {
                        let structure = gst::Structure::builder(FILE_CLOSED)
                            .field("location", &location)
                            .build();
                        let _ = element.post_message(
                            gst::message::Application::builder(structure)
                                .src(&element)
                                .build(),
                        );
                    }
                    gst::PadProbeReturn::Ok
                }
                _ => gst::PadProbeReturn::Ok,
            },
        );
    }
    Ok(FileBin {
        bin,
        pads,
        path: path.to_owned(),
        bytes,
    })
}

/// A cut waiting for its streams: the next file, when, and which streams have moved.
struct Cut {
    at: u64,
    next: FileBin,
    moved: Vec<bool>,
}

struct State {
    current: FileBin,
    number: u32,
    /// Running time the current file starts at (its cut, or the part's start).
    started: Option<u64>,
    cut: Option<Cut>,
    /// Files cut off and not yet closed.
    closing: Vec<FileBin>,
    /// A next file the recording ended before reaching: removed by `finish`.
    abandoned: Option<FileBin>,
}

/// The recording's files and the cuts between them.
pub struct Files {
    folder: PathBuf,
    streams: Vec<gst::Pad>,
    limits: Segments,
    state: Mutex<State>,
}

/// What the bus thread does after a file closed.
pub enum Closed {
    /// A file cut off earlier: it is complete, its bin gone from the pipeline.
    Earlier(PathBuf),
    /// The file open at the end of the recording.
    Last,
}

impl Files {
    /// Adds the first file's bin to `pipeline` and links every stream pad (video first) to
    /// it.
    pub fn start(
        pipeline: &gst::Pipeline,
        folder: &Path,
        streams: Vec<gst::Pad>,
        limits: Segments,
    ) -> Result<Arc<Files>, RecorderError> {
        let first = file_bin(&PartFiles(folder).recording(1), 1, streams.len())?;
        pipeline
            .add(&first.bin)
            .map_err(|error| RecorderError::Build {
                what: "recording file".to_owned(),
                message: error.to_string(),
            })?;
        for (stream, pad) in streams.iter().zip(&first.pads) {
            stream.link(pad).map_err(|error| RecorderError::Build {
                what: format!("{} → recording file", stream.name()),
                message: format!("{error:?}"),
            })?;
        }
        let files = Arc::new(Files {
            folder: folder.to_owned(),
            streams,
            limits,
            state: Mutex::new(State {
                current: first,
                number: 1,
                started: None,
                cut: None,
                closing: Vec::new(),
                abandoned: None,
            }),
        });
        for (index, stream) in files.streams.iter().enumerate() {
            let weak = Arc::downgrade(&files);
            stream.add_probe(
                gst::PadProbeType::BUFFER | gst::PadProbeType::EVENT_DOWNSTREAM,
                move |pad, info| {
                    if let Some(files) = weak.upgrade() {
                        files.on_stream_data(index, pad, info);
                    }
                    gst::PadProbeReturn::Ok
                },
            );
        }
        Ok(files)
    }

    /// The file being written now.
    pub fn current(&self) -> PathBuf {
        self.lock().current.path.clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.locked()
    }

    /// Called about ten times a second with the running time now: places a cut a second
    /// ahead once the current file is about to reach a limit. Returns the next file when a
    /// cut was placed.
    pub fn tick(&self, pipeline: &gst::Pipeline, now: u64) -> Option<PathBuf> {
        let number = {
            let state = self.lock();
            if state.cut.is_some() || state.abandoned.is_some() {
                return None;
            }
            let started = state.started?;
            let lead = LEAD.as_nanos() as u64;
            let elapsed = now.saturating_sub(started);
            let bytes = state.current.bytes.load(Ordering::Relaxed);
            // What the next second will add, at the rate so far.
            let ahead = (u128::from(bytes) * u128::from(lead))
                .checked_div(u128::from(elapsed))
                .unwrap_or(0) as u64;
            let max_time = self.limits.max_time.as_nanos() as u64;
            if elapsed + lead < max_time && bytes + ahead < self.limits.max_bytes {
                return None;
            }
            state.number + 1
        };
        // Opened outside the lock: the streams never wait for a file to open.
        let path = PartFiles(&self.folder).recording(number);
        let next = match self.add_file(pipeline, &path, number) {
            Ok(next) => next,
            Err(error) => {
                // The current file goes on; the cut is tried again at the next tick.
                tracing::error!("cannot open the next recording file: {error}");
                return None;
            }
        };
        let at = now + LEAD.as_nanos() as u64;
        self.lock().cut = Some(Cut {
            at,
            next,
            moved: vec![false; self.streams.len()],
        });
        let keyframe = gstreamer_video::UpstreamForceKeyUnitEvent::builder()
            .running_time(gst::ClockTime::from_nseconds(at))
            .all_headers(true)
            .build();
        self.streams[0].send_event(keyframe);
        tracing::info!("next recording file {} from {at} ns", path.display());
        Some(path)
    }

    fn add_file(
        &self,
        pipeline: &gst::Pipeline,
        path: &Path,
        number: u32,
    ) -> Result<FileBin, RecorderError> {
        let file = file_bin(path, number, self.streams.len())?;
        let failed = |message: String| RecorderError::Build {
            what: path.display().to_string(),
            message,
        };
        pipeline
            .add(&file.bin)
            .map_err(|error| failed(error.to_string()))?;
        if let Err(error) = file.bin.sync_state_with_parent() {
            let _ = pipeline.remove(&file.bin);
            let _ = file.bin.set_state(gst::State::Null);
            return Err(failed(error.to_string()));
        }
        Ok(file)
    }

    /// Each stream's buffers and events, before they reach a file: notes where the first
    /// file starts, and moves the stream to the next file at the cut.
    fn on_stream_data(&self, index: usize, pad: &gst::Pad, info: &gst::PadProbeInfo) {
        let (at_cut, is_eos) = match &info.data {
            Some(gst::PadProbeData::Buffer(buffer)) => {
                let Some(time) = super::clock::running_time(pad, buffer.pts()) else {
                    return;
                };
                let keyframe = !buffer.flags().contains(gst::BufferFlags::DELTA_UNIT);
                let mut state = self.lock();
                if state.started.is_none() {
                    state.started = Some(time);
                }
                let at_cut = state.cut.as_ref().is_some_and(|cut| {
                    !cut.moved[index] && time >= cut.at && (index != 0 || keyframe)
                });
                (at_cut, false)
            }
            Some(gst::PadProbeData::Event(event)) if event.type_() == gst::EventType::Eos => {
                (true, true)
            }
            _ => return,
        };
        if !at_cut {
            return;
        }
        let mut state = self.lock();
        let Some(cut) = state.cut.as_mut() else {
            return;
        };
        if cut.moved[index] {
            return;
        }
        if is_eos && !cut.moved.iter().any(|moved| *moved) {
            // The recording ends before any stream reached the cut: the next file is not
            // needed. Its bin (no data, an empty file) is removed by `finish`.
            let cut = state.cut.take().expect("a cut");
            state.abandoned = Some(cut.next);
            return;
        }
        cut.moved[index] = true;
        let old = pad.peer();
        if let Some(old) = &old {
            let _ = pad.unlink(old);
        }
        if let Err(error) = pad.link(&cut.next.pads[index]) {
            tracing::error!("cannot move {} to the next file: {error:?}", pad.name());
        }
        let complete = cut.moved.iter().all(|moved| *moved);
        if complete {
            let cut = state.cut.take().expect("a cut");
            let previous = std::mem::replace(&mut state.current, cut.next);
            state.closing.push(previous);
            state.number += 1;
            state.started = Some(cut.at);
        }
        drop(state);
        // The previous file's muxer finishes once every one of its streams has ended.
        if let Some(old) = old {
            old.send_event(gst::event::Eos::new());
        }
    }

    /// Called on the bus thread for each `hattama-file-closed`: a file cut off earlier has
    /// its bin removed from the pipeline (off the streaming threads).
    pub fn closed(&self, pipeline: &gst::Pipeline, location: &Path) -> Closed {
        let mut state = self.lock();
        let Some(index) = state.closing.iter().position(|f| f.path == location) else {
            return Closed::Last;
        };
        let file = state.closing.remove(index);
        drop(state);
        let _ = file.bin.set_state(gst::State::Null);
        let _ = pipeline.remove(&file.bin);
        Closed::Earlier(file.path)
    }

    /// Whether every file but the current one is closed.
    pub fn none_closing(&self) -> bool {
        self.lock().closing.is_empty()
    }

    /// After the pipeline stopped: removes a next file the recording never reached, so
    /// only files holding media are left to seal.
    pub fn finish(&self, pipeline: &gst::Pipeline) {
        let abandoned = {
            let mut state = self.lock();
            state
                .abandoned
                .take()
                .or(state.cut.take().map(|cut| cut.next))
        };
        if let Some(file) = abandoned {
            let _ = file.bin.set_state(gst::State::Null);
            let _ = pipeline.remove(&file.bin);
            if std::fs::metadata(&file.path).is_ok_and(|meta| meta.len() == 0) {
                let _ = std::fs::remove_file(&file.path);
            }
        }
    }
}
