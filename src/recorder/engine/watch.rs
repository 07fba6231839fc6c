//! Watching the running pipeline: its bus (errors, the end of stream, each input's levels),
//! the muxer's pads (the first media time, frames counted and dropped), the previews, and the
//! disk's room.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use chrono::Utc;
use gstreamer as gst;
use gstreamer::glib;
use gstreamer::prelude::*;
use gstreamer_app as gst_app;

use crate::lock::Locked;
use crate::protocol::IncidentKind;
use crate::recorder::RecorderError;
use crate::recorder::clock::{clock_now, running_time};
use crate::recorder::durability::{Syncer, sync_closed};
use crate::recorder::files::{Closed, FILE_CLOSED, Files};
use crate::recorder::pipeline::{self, INPUT_BIN_PREFIX, LEVEL_SUFFIX, Track};
use crate::recorder::state::State;
use crate::recorder::watchdog::{Incident, InputNews, Watchdog, input_news};

use super::{
    Counters, Event, Frame, Levels, MAX_QUEUED_EVENTS, START_TIMEOUT, STOP_TIMEOUT, Shared,
    Summary, TICK, Timing, ask_stop,
};

/// How often the free disk is looked at while recording.
const DISK_EVERY: Duration = Duration::from_secs(1);

/// Stops the part cleanly when the disk is nearly full (before a write fails), and warns
/// once when it runs short.
pub(super) struct DiskGuard {
    pub(super) folder: PathBuf,
    pub(super) stop_below: u64,
    pub(super) warn_below: u64,
    pub(super) warned: bool,
    pub(super) last: Instant,
}

impl DiskGuard {
    pub(super) fn tick(&mut self, shared: &Shared, pipeline: &gst::Pipeline) {
        if self.last.elapsed() < DISK_EVERY || shared.state() != State::Recording {
            return;
        }
        self.last = Instant::now();
        let Ok(free) = crate::paths::free_bytes(&self.folder) else {
            return;
        };
        if free < self.stop_below {
            tracing::warn!("{} bytes free: the part is stopped cleanly", free);
            *shared.stopped_for.locked() = Some(format!(
                "disk nearly full: {free} bytes free, less than {}",
                self.stop_below
            ));
            ask_stop(shared, pipeline);
        } else if free < self.warn_below && !self.warned {
            self.warned = true;
            let _ = shared.events.try_send(Event::DiskLow(free));
        }
    }
}

pub(super) fn media_time(pipeline: &gst::Pipeline, shared: &Shared) -> Option<Duration> {
    let timing = (*shared.counters.timing.locked())?;
    let (now, base) = clock_now(pipeline)?;
    Some(Duration::from_nanos(
        now.saturating_sub(base)
            .saturating_sub(timing.first_media_ns),
    ))
}

/// Takes each track's first timestamp (the part's timeline starts at the earliest), the
/// end of the last buffer, and the video frames and gaps.
pub(super) fn watch_mux_pads(built: &pipeline::Built, shared: &Arc<Shared>, frame_ns: u64) {
    for (index, pad) in built.streams.iter().enumerate() {
        let shared = Arc::downgrade(shared);
        let pipeline = built.pipeline.downgrade();
        pad.add_probe(gst::PadProbeType::BUFFER, move |pad, info| {
            let (Some(shared), Some(pipeline)) = (shared.upgrade(), pipeline.upgrade()) else {
                return gst::PadProbeReturn::Remove;
            };
            let Some(buffer) = info.buffer() else {
                return gst::PadProbeReturn::Ok;
            };
            let Some(pts) = running_time(pad, buffer.pts()) else {
                return gst::PadProbeReturn::Ok;
            };
            let end = pts + buffer.duration().map_or(0, |d| d.nseconds());
            shared.counters.last_end.fetch_max(end, Ordering::Relaxed);
            if index == 0 {
                count_frame(&shared.counters, pts, frame_ns);
            }
            note_first(&shared, &pipeline, index, pts);
            gst::PadProbeReturn::Ok
        });
    }
}

fn count_frame(counters: &Counters, pts: u64, frame_ns: u64) {
    let frames = counters.video_frames.fetch_add(1, Ordering::Relaxed);
    let last = counters.last_video_pts.swap(pts, Ordering::Relaxed);
    if frames > 0 && pts > last + frame_ns + frame_ns / 2 {
        let missing = (pts - last + frame_ns / 2) / frame_ns - 1;
        counters
            .dropped_frames
            .fetch_add(missing, Ordering::Relaxed);
    }
}

fn note_first(shared: &Shared, pipeline: &gst::Pipeline, index: usize, pts: u64) {
    let mut firsts = shared.counters.first_pts.locked();
    if firsts[index].is_some() {
        return;
    }
    firsts[index] = Some(pts);
    if firsts.iter().any(Option::is_none) {
        return;
    }
    let first = firsts.iter().flatten().copied().min().unwrap_or(pts);
    drop(firsts);
    let Some((now, base)) = clock_now(pipeline) else {
        return;
    };
    let wall_now = Utc::now();
    // The wall time of `first` is now minus how long ago, on the pipeline clock, it was.
    let ago_ns = now as i128 - (base as i128 + first as i128);
    let first_media_wall = wall_now - chrono::Duration::nanoseconds(ago_ns as i64);
    let timing = Timing {
        first_media_ns: first,
        first_media_wall,
    };
    *shared.counters.timing.locked() = Some(timing);
    let _ = shared.events.try_send(Event::Started(timing));
    shared.become_(State::Recording);
}

/// An RGBA sample's size and its rows, tightly packed.
pub(crate) fn rgba_of(sample: &gst::Sample) -> Option<(u32, u32, Vec<u8>)> {
    let (buffer, caps) = (sample.buffer()?, sample.caps()?);
    let info = gstreamer_video::VideoInfo::from_caps(caps).ok()?;
    let frame = gstreamer_video::VideoFrameRef::from_buffer_ref_readable(buffer, &info).ok()?;
    let (width, height) = (info.width(), info.height());
    let row = width as usize * 4;
    let stride = info.stride()[0] as usize;
    let data = frame.plane_data(0).ok()?;
    let mut rgba = Vec::with_capacity(row * height as usize);
    for line in data.chunks(stride).take(height as usize) {
        rgba.extend_from_slice(&line[..row.min(line.len())]);
    }
    Some((width, height, rgba))
}

pub(super) fn forward_previews(input: String, sink: &gst_app::AppSink, shared: &Arc<Shared>) {
    let shared = Arc::downgrade(shared);
    sink.set_callbacks(
        gst_app::AppSinkCallbacks::builder()
            .new_sample(move |sink| {
                let sample = sink.pull_sample().map_err(|_| gst::FlowError::Eos)?;
                let Some(shared) = shared.upgrade() else {
                    return Err(gst::FlowError::Flushing);
                };
                if shared.events.len() >= MAX_QUEUED_EVENTS {
                    return Ok(gst::FlowSuccess::Ok);
                }
                let Some((width, height, rgba)) = rgba_of(&sample) else {
                    return Ok(gst::FlowSuccess::Ok);
                };
                let _ = shared.events.try_send(Event::Preview(Frame {
                    input: input.clone(),
                    width,
                    height,
                    rgba,
                }));
                Ok(gst::FlowSuccess::Ok)
            })
            .build(),
    );
}

/// The input whose bin holds `object`, if any.
fn input_of(object: Option<&gst::Object>) -> Option<String> {
    let mut current = object.cloned();
    while let Some(object) = current {
        if let Some(id) = object.name().strip_prefix(INPUT_BIN_PREFIX) {
            return Some(id.to_owned());
        }
        current = object.parent();
    }
    None
}

fn error_of(message: &gst::message::Error) -> RecorderError {
    let error = message.error();
    let source = message.src();
    let from_file = source.is_some_and(|src| src.name() == "file");
    if from_file
        || error.matches(gst::ResourceError::NoSpaceLeft)
        || error.matches(gst::ResourceError::Write)
    {
        return RecorderError::Write {
            message: error.to_string(),
            disk_full: error.matches(gst::ResourceError::NoSpaceLeft),
        };
    }
    RecorderError::Input {
        input: input_of(source),
        message: error.to_string(),
        debug: message.debug().map(|d| d.to_string()).unwrap_or_default(),
    }
}

pub(super) fn first_error(pipeline: &gst::Pipeline) -> Option<String> {
    let bus = pipeline.bus()?;
    let message = bus.timed_pop_filtered(
        gst::ClockTime::from_mseconds(500),
        &[gst::MessageType::Error],
    )?;
    match message.view() {
        gst::MessageView::Error(error) => Some(error_of(error).to_string()),
        _ => None,
    }
}

fn levels_of(structure: &gst::StructureRef, input: String) -> Option<Levels> {
    let read = |field: &str| -> Option<Vec<f64>> {
        let array = structure.get::<glib::ValueArray>(field).ok()?;
        Some(
            array
                .iter()
                .filter_map(|value| value.get::<f64>().ok())
                .collect(),
        )
    };
    Some(Levels {
        input,
        peak_db: read("peak")?,
        rms_db: read("rms")?,
    })
}

/// Reports a failure and moves the machine to `Failed`.
pub(super) fn fail(shared: &Shared, failure: RecorderError) -> RecorderError {
    tracing::error!("recording failed: {failure}");
    let _ = shared.events.try_send(Event::Error(failure.clone()));
    shared.become_(State::Failed);
    failure
}

/// What the bus thread looks after besides the bus: the files, the disk, the inputs.
pub(super) struct Guards<'a> {
    pub(super) files: &'a Files,
    pub(super) disk: DiskGuard,
    pub(super) watchdog: Watchdog,
}

pub(super) fn report(shared: &Shared, incidents: impl IntoIterator<Item = Incident>) {
    for incident in incidents {
        let _ = shared.events.try_send(Event::Incident(incident));
    }
}

/// Watches the bus until the recording ends: end-of-stream has reached every sink and
/// the last recording file is complete.
pub(super) fn watch_bus(
    pipeline: &gst::Pipeline,
    shared: &Shared,
    syncer: Syncer,
    tracks: Vec<Track>,
    guards: Guards,
) {
    let Guards {
        files,
        mut disk,
        mut watchdog,
    } = guards;
    let mut current_file = files.current();
    let (mut ended, mut last_closed) = (false, false);
    let Some(bus) = pipeline.bus() else {
        return;
    };
    let mut error = None;
    let mut last_tick = Instant::now();
    let began = Instant::now();
    loop {
        if let Some(message) = bus.timed_pop(gst::ClockTime::from_mseconds(TICK.as_millis() as u64))
        {
            match message.view() {
                gst::MessageView::Eos(_) => ended = true,
                gst::MessageView::Application(message) => {
                    if let Some(news) = input_news(message) {
                        report(
                            shared,
                            match news {
                                InputNews::Ended(input) => watchdog.lose(
                                    pipeline,
                                    &input,
                                    IncidentKind::InputStopped,
                                    "the input's stream ended".to_owned(),
                                ),
                                InputNews::Back(input) => {
                                    watchdog.back(pipeline, &input).into_iter().collect()
                                }
                            },
                        );
                    } else if let Some(structure) = message.structure()
                        && structure.name() == FILE_CLOSED
                        && let Ok(location) = structure.get::<String>("location")
                    {
                        match files.closed(pipeline, Path::new(&location)) {
                            Closed::Earlier(path) => hash_closed(path),
                            Closed::Last => last_closed = true,
                        }
                    }
                }
                gst::MessageView::Error(message) => {
                    let failure = error_of(message);
                    // One input failing while recording is an incident, not the end; while
                    // the part stops, its track ends there and the part still ends cleanly.
                    if let RecorderError::Input {
                        input: Some(input),
                        message: text,
                        ..
                    } = &failure
                        && let state @ (State::Recording | State::Stopping) = shared.state()
                    {
                        if watchdog.is_lost(input) {
                            watchdog.try_failed(pipeline, input, message.src(), text);
                        } else if state == State::Recording {
                            let kind = IncidentKind::InputError;
                            report(shared, watchdog.lose(pipeline, input, kind, text.clone()));
                        } else {
                            report(
                                shared,
                                watchdog.lose_while_stopping(pipeline, input, text.clone()),
                            );
                        }
                        continue;
                    }
                    error = Some(fail(shared, failure));
                    break;
                }
                gst::MessageView::Warning(warning) => {
                    tracing::warn!("recorder: {} ({:?})", warning.error(), warning.debug());
                }
                gst::MessageView::Element(element) => {
                    let input = element
                        .src()
                        .and_then(|src| src.name().strip_suffix(LEVEL_SUFFIX).map(str::to_owned));
                    if let (Some(input), Some(structure)) = (input, element.structure())
                        && structure.name() == "level"
                        && let Some(levels) = levels_of(structure, input)
                    {
                        report(shared, watchdog.heard(&levels.input, &levels.peak_db));
                        let _ = shared.events.try_send(Event::Levels(levels));
                    }
                }
                _ => {}
            }
        }
        if ended && last_closed && files.none_closing() {
            shared.become_(State::Stopped);
            break;
        }
        if last_tick.elapsed() >= TICK {
            last_tick = Instant::now();
            if shared.state() == State::Recording
                && let Some((now, base)) = clock_now(pipeline)
            {
                files.tick(pipeline, now.saturating_sub(base));
            }
            let file = files.current();
            if file != current_file {
                syncer.replace(&current_file, &file);
                current_file = file;
            }
            if let Some(time) = media_time(pipeline, shared) {
                let _ = shared.events.try_send(Event::MediaTime(time));
            }
            disk.tick(shared, pipeline);
            if shared.state() == State::Recording {
                report(shared, watchdog.tick());
                for (input, now) in watchdog.moved(pipeline) {
                    let details = format!("the sound server moved it to {now}: its device is gone");
                    let kind = IncidentKind::InputStopped;
                    report(shared, watchdog.lose(pipeline, &input, kind, details));
                }
                watchdog.retry(pipeline);
            }
        }
        if shared.state() == State::Starting && began.elapsed() > START_TIMEOUT {
            let message = format!(
                "no data from every input within {} s",
                START_TIMEOUT.as_secs()
            );
            error = Some(fail(shared, RecorderError::Start { message }));
            break;
        }
        let asked = *shared.stop_asked.locked();
        if asked.is_some_and(|asked| asked.elapsed() > STOP_TIMEOUT) {
            error = Some(fail(
                shared,
                RecorderError::StopTimeout(STOP_TIMEOUT.as_secs()),
            ));
            break;
        }
    }
    let _ = pipeline.set_state(gst::State::Null);
    report(shared, watchdog.end_all());
    files.finish(pipeline);
    syncer.finish();
    let counters = &shared.counters;
    let first = counters.timing.locked().map(|t| t.first_media_ns);
    let summary = Summary {
        state: shared.state(),
        duration: Duration::from_nanos(first.map_or(0, |first| {
            counters
                .last_end
                .load(Ordering::Relaxed)
                .saturating_sub(first)
        })),
        video_frames: counters.video_frames.load(Ordering::Relaxed),
        dropped_frames: counters.dropped_frames.load(Ordering::Relaxed),
        tracks,
        stopped_for: shared.stopped_for.locked().clone(),
        error,
    };
    *shared.summary.locked() = Some(summary.clone());
    let _ = shared.events.try_send(Event::Finished(summary));
}

/// A file cut off earlier is made durable and hashed at once, off the bus thread, so the
/// seal at stop reads only the last file.
fn hash_closed(path: PathBuf) {
    tracing::info!("closed {}", path.display());
    let spawned = std::thread::Builder::new()
        .name("recording-hash".to_owned())
        .spawn(move || {
            sync_closed(&path);
            crate::digest::keep(&path);
        });
    if let Err(error) = spawned {
        tracing::warn!("cannot hash the closed file now: {error}");
    }
}
