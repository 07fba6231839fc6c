//! Makes an interrupted recording whole. Of its files only the last can be cut off (each
//! earlier one was closed before the next was opened); that Matroska file, cut off by a
//! crash, has no duration, cues or final sizes. A remux (demux → mux, never re-encoding)
//! writes a complete file holding everything the old one had readable; it then replaces the
//! old one atomically.
//!
//! ```text
//!  filesrc ─► matroskademux ─┬─► queue ─► matroskamux ─► filesink (recording-NNN.repairing)
//!                            └─► queue ─┘   (one queue per track, in track order)
//! ```

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use gstreamer as gst;
use gstreamer::prelude::*;

use super::durability::sync_folder;
use super::pipeline::make;
use super::{RecorderError, init};
use crate::lock::Locked;
use crate::paths::PartFiles;

fn failed(message: impl std::fmt::Display) -> RecorderError {
    RecorderError::Repair(message.to_string())
}

/// Makes the part's recording complete: its last file is rewritten whole. An empty last
/// file (opened ahead of a cut the crash came before) is removed; a last file holding
/// nothing readable is set aside as `<name>.unreadable`, kept, and the file before it is
/// the last. Returns the media the
/// recording holds: the earlier files' durations and what the repaired file holds.
/// On failure every file is left exactly as it was.
pub fn repair(folder: &Path) -> Result<Duration, RecorderError> {
    init()?;
    let mut files = PartFiles(folder).recordings();
    let Some(mut last) = files.pop() else {
        return Err(failed(format!("{} holds no recording", folder.display())));
    };
    let repaired = loop {
        if std::fs::metadata(&last).is_ok_and(|meta| meta.len() == 0) && !files.is_empty() {
            // Opened for the next cut and never written: nothing to keep.
            std::fs::remove_file(&last)
                .map_err(|error| failed(format!("{}: {error}", last.display())))?;
            sync_folder(folder);
            last = files.pop().expect("not empty");
            continue;
        }
        match repair_file(&last) {
            Err(RecorderError::Repair(message)) if nothing_readable(&last) && !files.is_empty() => {
                let aside = last.with_extension("unreadable");
                tracing::warn!("{message}: set aside as {}", aside.display());
                std::fs::rename(&last, &aside)
                    .map_err(|error| failed(format!("{}: {error}", last.display())))?;
                sync_folder(folder);
                last = files.pop().expect("not empty");
            }
            other => break other?,
        }
    };
    files
        .iter()
        .map(|file| duration_of(file))
        .sum::<Result<Duration, _>>()
        .map(|earlier| earlier + repaired)
}

/// A file too short to hold one readable frame (the recording was cut as it opened).
fn nothing_readable(file: &Path) -> bool {
    std::fs::metadata(file).map_or(true, |meta| meta.len() < 64 * 1024)
}

/// The duration a complete recording file declares.
fn duration_of(file: &Path) -> Result<Duration, RecorderError> {
    let uri = gst::glib::filename_to_uri(file, None)
        .map_err(|error| failed(format!("{}: {error}", file.display())))?;
    let discoverer = gstreamer_pbutils::Discoverer::new(gst::ClockTime::from_seconds(30))
        .map_err(|error| failed(error.to_string()))?;
    let info = discoverer
        .discover_uri(&uri)
        .map_err(|error| failed(format!("{}: {error}", file.display())))?;
    info.duration()
        .map(|d| Duration::from_nanos(d.nseconds()))
        .ok_or_else(|| failed(format!("{} declares no duration", file.display())))
}

/// Rewrites one recording file as a complete file; returns the media it holds.
fn repair_file(original: &Path) -> Result<Duration, RecorderError> {
    let size = std::fs::metadata(original)
        .map_err(|error| failed(format!("{}: {error}", original.display())))?
        .len();
    if size == 0 {
        return Err(failed(format!("{} is empty", original.display())));
    }
    let repaired = PartFiles::repairing(original);
    let folder = original.parent().unwrap_or(Path::new("."));
    match remux(original, &repaired) {
        Ok(held) => {
            std::fs::File::open(&repaired)
                .and_then(|file| file.sync_all())
                .and_then(|()| std::fs::rename(&repaired, original))
                .map_err(|error| failed(format!("{}: {error}", repaired.display())))?;
            sync_folder(folder);
            Ok(held)
        }
        Err(error) => {
            let _ = std::fs::remove_file(&repaired);
            Err(error)
        }
    }
}

fn remux(input: &Path, output: &Path) -> Result<Duration, RecorderError> {
    let pipeline = gst::Pipeline::builder().name("repair").build();
    let source = make("filesrc", "source")?;
    source.set_property("location", input.to_string_lossy().to_string());
    let demux = make("matroskademux", "demux")?;
    let mux = make("matroskamux", "mux")?;
    mux.set_property(
        "writing-app",
        format!("Hattama {} (repaired)", env!("CARGO_PKG_VERSION")),
    );
    let sink = make("filesink", "sink")?;
    sink.set_property("location", output.to_string_lossy().to_string());
    pipeline
        .add_many([&source, &demux, &mux, &sink])
        .map_err(failed)?;
    source.link(&demux).map_err(failed)?;
    mux.link(&sink).map_err(failed)?;

    let first = Arc::new(AtomicU64::new(u64::MAX));
    let last = Arc::new(AtomicU64::new(0));
    let queues = Arc::new(std::sync::Mutex::new(Vec::<gst::Element>::new()));
    {
        let pipeline = pipeline.downgrade();
        let mux = mux.clone();
        let (first, last, queues) = (first.clone(), last.clone(), queues.clone());
        demux.connect_pad_added(move |_, pad| {
            let Some(pipeline) = pipeline.upgrade() else {
                return;
            };
            let is_video = pad.name().starts_with("video");
            let template = if is_video { "video_%u" } else { "audio_%u" };
            let Ok(queue) = gst::ElementFactory::make("queue").build() else {
                return;
            };
            let Some(mux_pad) = mux.request_pad_simple(template) else {
                return;
            };
            if pipeline.add(&queue).is_err() {
                return;
            }
            let _ = queue.sync_state_with_parent();
            let queue_sink = queue.static_pad("sink").expect("queue has a sink pad");
            let queue_src = queue.static_pad("src").expect("queue has a src pad");
            if pad.link(&queue_sink).is_err() || queue_src.link(&mux_pad).is_err() {
                tracing::warn!("repair: cannot link track {}", pad.name());
                return;
            }
            // The demuxer's segment starts at the file's first timestamp; from zero, the
            // muxer writes every timestamp as it was (a part's later files start late).
            pad.add_probe(gst::PadProbeType::EVENT_DOWNSTREAM, |_, info| {
                if let Some(gst::PadProbeData::Event(event)) = &info.data
                    && let gst::EventView::Segment(segment) = event.view()
                    && let Some(time) = segment.segment().downcast_ref::<gst::ClockTime>()
                    && time
                        .start()
                        .is_some_and(|start| start > gst::ClockTime::ZERO)
                {
                    let mut from_zero = time.clone();
                    from_zero.set_start(gst::ClockTime::ZERO);
                    from_zero.set_time(gst::ClockTime::ZERO);
                    from_zero.set_position(gst::ClockTime::ZERO);
                    info.data = Some(gst::PadProbeData::Event(
                        gst::event::Segment::builder(&from_zero)
                            .seqnum(event.seqnum())
                            .build(),
                    ));
                }
                gst::PadProbeReturn::Ok
            });
            let (first, last) = (first.clone(), last.clone());
            queue_src.add_probe(gst::PadProbeType::BUFFER, move |_, info| {
                if let Some(buffer) = info.buffer()
                    && let Some(pts) = buffer.pts()
                {
                    first.fetch_min(pts.nseconds(), Ordering::Relaxed);
                    let end = pts.nseconds() + buffer.duration().map_or(0, |d| d.nseconds());
                    last.fetch_max(end, Ordering::Relaxed);
                }
                gst::PadProbeReturn::Ok
            });
            queues.locked().push(queue);
        });
    }

    pipeline.set_state(gst::State::Playing).map_err(failed)?;
    let bus = pipeline.bus().expect("a pipeline has a bus");
    let mut ended_early = false;
    let outcome = loop {
        let Some(message) = bus.timed_pop(gst::ClockTime::from_seconds(60)) else {
            break Err(failed("the repair made no progress for 60 s"));
        };
        match message.view() {
            gst::MessageView::Eos(_) => break Ok(()),
            gst::MessageView::Error(error) => {
                let from_demux = error.src().is_some_and(|src| src.name() == "demux");
                let has_data = last.load(Ordering::Relaxed) > 0;
                if from_demux && has_data && !ended_early {
                    // The file's damaged tail: end every track where the readable data ends.
                    ended_early = true;
                    tracing::warn!("repair: {}; keeping what was readable", error.error());
                    for queue in queues.locked().iter() {
                        if let Some(pad) = queue.static_pad("sink") {
                            pad.send_event(gst::event::Eos::new());
                        }
                    }
                    continue;
                }
                if !from_demux || !ended_early {
                    break Err(failed(format!(
                        "{} ({})",
                        error.error(),
                        error.debug().map(|d| d.to_string()).unwrap_or_default()
                    )));
                }
            }
            _ => {}
        }
    };
    let _ = pipeline.set_state(gst::State::Null);
    outcome?;
    let (first, last) = (first.load(Ordering::Relaxed), last.load(Ordering::Relaxed));
    if first == u64::MAX {
        return Err(failed(format!(
            "{} holds no readable media",
            input.display()
        )));
    }
    Ok(Duration::from_nanos(last.saturating_sub(first)))
}
