//! The pipeline rewired around a lost input: its bin taken out and a stand-in (black picture,
//! silence) put in its place so the recording goes on, the device tried again in a new bin
//! and put back when it delivers.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Weak};
use std::time::Instant;

use gstreamer as gst;
use gstreamer::prelude::*;

use crate::recorder::clock::clock_now;
use crate::recorder::devices::{self, DeviceKind};
use crate::recorder::inputs::{Input, InputKind, Source};
use crate::recorder::pipeline::{self, bin_name};
use crate::recorder::profile::Profile;
use crate::tr;

use super::{INPUT_BACK, INPUT_ENDED, Stopping};

pub(super) fn stand_in_name(id: &str) -> String {
    format!("stand-in-{id}")
}

/// Sets `element` to NULL and takes it out of the pipeline.
pub(super) fn take_out(pipeline: &gst::Pipeline, element: &gst::Element) {
    let _ = element.set_state(gst::State::Null);
    if let Some(pad) = element.static_pad("src")
        && let Some(peer) = pad.peer()
    {
        let _ = pad.unlink(&peer);
    }
    let _ = pipeline.remove(element);
}

/// Puts the noting probe on an input bin's way out.
pub(super) fn watch(
    bin: &gst::Element,
    last_buffer: &Arc<AtomicU64>,
    epoch: Instant,
    stopping: &Stopping,
    id: &str,
) -> Option<()> {
    let pad = bin.static_pad("src")?;
    let noted = Arc::downgrade(last_buffer);
    let stopping = stopping.clone();
    let id = id.to_owned();
    let bin = bin.downgrade();
    pad.add_probe(
        gst::PadProbeType::BUFFER | gst::PadProbeType::EVENT_DOWNSTREAM,
        move |_, info| probe(info, &noted, epoch, stopping.as_ref(), &bin, &id),
    );
    Some(())
}

/// A device input as it is present now, found again by its name: a camera plugged back in
/// may come back as another `/dev/videoN`. Not present: nothing to try yet.
fn present_again(input: &Input) -> Result<Input, String> {
    let Source::Device(_) = &input.source else {
        return Ok(input.clone());
    };
    let kind = match input.kind {
        InputKind::Camera => DeviceKind::Camera,
        InputKind::Microphone | InputKind::Remote => DeviceKind::Microphone,
    };
    let device = devices::list()
        .map_err(|error| error.to_string())?
        .into_iter()
        .find(|device| device.kind == kind && device.name == input.name)
        .ok_or("not present")?;
    Ok(Input {
        source: Source::Device(device.device),
        ..input.clone()
    })
}

/// Makes a lost input's bin anew, beside its stand-in, unlinked: its first buffer puts it
/// in the stand-in's place.
pub(super) fn try_again(
    pipeline: &gst::Pipeline,
    input: &Input,
    profile: &Profile,
    epoch: Instant,
    stopping: &Stopping,
    last_buffer: &Arc<AtomicU64>,
) -> Result<gst::Bin, String> {
    let input = &present_again(input)?;
    let bin = pipeline::input_bin(input, profile).map_err(|error| error.to_string())?;
    let pad = bin.static_pad("src").ok_or("no src pad")?;
    let swapped = AtomicBool::new(false);
    let weak = pipeline.downgrade();
    let id = input.id.clone();
    let stopping_now = stopping.clone();
    pad.add_probe(gst::PadProbeType::BUFFER, move |pad, info| {
        if swapped.load(Ordering::Relaxed) {
            return gst::PadProbeReturn::Ok;
        }
        let (Some(pipeline), Some(gst::PadProbeData::Buffer(_))) = (weak.upgrade(), &info.data)
        else {
            return gst::PadProbeReturn::Drop;
        };
        if stopping_now() {
            return gst::PadProbeReturn::Drop;
        }
        match take_place(&pipeline, pad, &id) {
            Ok(()) => {
                swapped.store(true, Ordering::Relaxed);
                if let Some(bin) = pad.parent_element() {
                    let structure = gst::Structure::builder(INPUT_BACK)
                        .field("input", id.as_str())
                        .build();
                    let _ = bin.post_message(
                        gst::message::Application::builder(structure)
                            .src(&bin)
                            .build(),
                    );
                }
            }
            Err(error) => tracing::warn!("{id}: could not take the stand-in's place: {error}"),
        }
        // This buffer went out before the new link's stream events: the next one follows
        // them.
        gst::PadProbeReturn::Drop
    });
    watch(bin.upcast_ref(), last_buffer, epoch, stopping, &input.id).ok_or("no src pad")?;
    // Its time starts now: a live source paces itself by its running time, and one that
    // counts from zero (a test source, many network ones) would otherwise first push
    // everything since the part began. The pad's offset puts its time in the part's.
    let (now, base) = clock_now(pipeline).ok_or("the pipeline has no clock")?;
    pipeline.add(&bin).map_err(|error| error.to_string())?;
    bin.set_start_time(gst::ClockTime::NONE);
    bin.set_base_time(gst::ClockTime::from_nseconds(now));
    pad.set_offset(now.saturating_sub(base) as i64);
    if let Err(error) = bin.sync_state_with_parent() {
        take_out(pipeline, bin.upcast_ref());
        return Err(error.to_string());
    }
    Ok(bin)
}

/// From the new bin's streaming thread, at its first buffer: the stand-in's pad is
/// silenced and unlinked, the new bin's linked where it was.
fn take_place(pipeline: &gst::Pipeline, pad: &gst::Pad, id: &str) -> Result<(), String> {
    let stand_in = pipeline.by_name(&stand_in_name(id)).ok_or("no stand-in")?;
    let out = stand_in
        .static_pad("src")
        .ok_or("the stand-in has no pad")?;
    let peer = out.peer().ok_or("the stand-in is not linked")?;
    let silenced = out
        .add_probe(gst::PadProbeType::DATA_DOWNSTREAM, |_, _| {
            gst::PadProbeReturn::Drop
        })
        .ok_or("the stand-in could not be silenced")?;
    out.unlink(&peer).map_err(|error| error.to_string())?;
    if let Err(error) = pad.link(&peer) {
        let _ = out.link(&peer);
        out.remove_probe(silenced);
        return Err(format!("{error:?}"));
    }
    Ok(())
}

pub(super) fn probe(
    info: &mut gst::PadProbeInfo,
    noted: &Weak<AtomicU64>,
    epoch: Instant,
    stopping: &dyn Fn() -> bool,
    bin: &gst::glib::WeakRef<gst::Element>,
    id: &str,
) -> gst::PadProbeReturn {
    match &info.data {
        Some(gst::PadProbeData::Buffer(_)) => {
            let Some(noted) = noted.upgrade() else {
                return gst::PadProbeReturn::Remove;
            };
            noted.store(
                (epoch.elapsed().as_nanos() as u64).max(1),
                Ordering::Relaxed,
            );
            gst::PadProbeReturn::Ok
        }
        Some(gst::PadProbeData::Event(event))
            if event.type_() == gst::EventType::Eos && !stopping() =>
        {
            if let Some(bin) = bin.upgrade() {
                let structure = gst::Structure::builder(INPUT_ENDED)
                    .field("input", id)
                    .build();
                let _ = bin.post_message(
                    gst::message::Application::builder(structure)
                        .src(&bin)
                        .build(),
                );
            }
            // Taken here and dropped: the input's end goes no further.
            info.data.take();
            gst::PadProbeReturn::Handled
        }
        _ => gst::PadProbeReturn::Ok,
    }
}

/// What an application message says of an input.
pub(in crate::recorder) enum InputNews {
    /// Its source ended by itself.
    Ended(String),
    /// Lost before, it has taken its stand-in's place.
    Back(String),
}

pub(in crate::recorder) fn input_news(message: &gst::message::Application) -> Option<InputNews> {
    let structure = message.structure()?;
    let input = || structure.get::<String>("input").ok();
    match structure.name().as_str() {
        INPUT_ENDED => input().map(InputNews::Ended),
        INPUT_BACK => input().map(InputNews::Back),
        _ => None,
    }
}

/// Takes the input's bin out and links a live stand-in of the same caps where it was: a
/// black picture saying what is missing since when, or silence.
pub(super) fn replace_with_stand_in(pipeline: &gst::Pipeline, input: &Input) -> Result<(), String> {
    let bin = pipeline.by_name(&bin_name(&input.id)).ok_or("no bin")?;
    let pad = bin.static_pad("src").ok_or("no src pad")?;
    let caps = pad.current_caps().ok_or("its caps are not known")?;
    let peer = pad.peer().ok_or("not linked")?;
    take_out(pipeline, &bin);

    let running = clock_now(pipeline).map_or(0, |(now, base)| now.saturating_sub(base));
    let description = match input.kind {
        InputKind::Camera => {
            "videotestsrc is-live=true pattern=black name=source ! capsfilter name=caps ! textoverlay name=text valignment=center halignment=center font-desc=\"Sans 28\""
        }
        InputKind::Microphone | InputKind::Remote => {
            "audiotestsrc is-live=true wave=silence name=source ! capsfilter name=caps"
        }
    };
    // Only its way out is ghosted (a text overlay's text pad left unlinked would wait for
    // text forever).
    let stand_in =
        gst::parse::bin_from_description(description, false).map_err(|e| e.to_string())?;
    stand_in.set_property("name", stand_in_name(&input.id));
    let last = stand_in
        .by_name(if input.kind == InputKind::Camera {
            "text"
        } else {
            "caps"
        })
        .and_then(|last| last.static_pad("src"))
        .ok_or("the stand-in has no way out")?;
    let ghost = gst::GhostPad::builder_with_target(&last)
        .map_err(|e| e.to_string())?
        .name("src")
        .build();
    stand_in.add_pad(&ghost).map_err(|e| e.to_string())?;
    let child = |name: &str| stand_in.by_name(name).ok_or(format!("no {name}"));
    child("source")?.set_property("timestamp-offset", running as i64);
    child("caps")?.set_property("caps", &caps);
    if input.kind == InputKind::Camera {
        let since = chrono::Local::now().format("%H:%M:%S").to_string();
        child("text")?.set_property(
            "text",
            tr!(
                "input-lost-overlay",
                name = input.name.clone(),
                since = since
            ),
        );
    }
    pipeline.add(&stand_in).map_err(|e| e.to_string())?;
    let src = stand_in
        .static_pad("src")
        .ok_or("the stand-in has no pad")?;
    src.link(&peer).map_err(|e| format!("{e:?}"))?;
    stand_in
        .sync_state_with_parent()
        .map_err(|e| e.to_string())?;
    Ok(())
}
