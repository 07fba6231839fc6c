//! The player's graph: the video chain to frames the window shows, the audio chain with one
//! sound track chosen, and the tracks a recording carries by their titles.

use std::path::Path;
use std::sync::Arc;

use gstreamer as gst;
use gstreamer::prelude::*;
use gstreamer_app as gst_app;
use gstreamer_pbutils::prelude::DiscovererStreamInfoExt;

use crate::lock::Locked;
use crate::tr;

use super::{Event, Frame, MAX_QUEUED_FRAMES, MAX_WIDTH, Shared, Track};

fn add_chain(pipeline: &gst::Pipeline, factories: &[&str]) -> Result<Vec<gst::Element>, String> {
    let elements = factories
        .iter()
        .map(|factory| {
            gst::ElementFactory::make(factory)
                .build()
                .map_err(|e| format!("{factory}: {e}"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    pipeline.add_many(&elements).map_err(|e| e.to_string())?;
    gst::Element::link_many(&elements).map_err(|e| e.to_string())?;
    Ok(elements)
}

/// Decodes the recording's picture into RGBA frames for the window.
pub(super) fn link_video(
    pipeline: &gst::Pipeline,
    pad: &gst::Pad,
    shared: &Arc<Shared>,
) -> Result<(), String> {
    // decodebin's pad comes later: the chain is linked up to it, and on from it once it is.
    let mut chain = add_chain(pipeline, &["queue", "decodebin"])?;
    chain.extend(add_chain(
        pipeline,
        &["videoconvert", "videoscale", "appsink"],
    )?);
    let (queue, decode, convert, sink) = (&chain[0], &chain[1], &chain[2], &chain[4]);
    let convert_sink = convert.static_pad("sink").expect("videoconvert has a sink");
    decode.connect_pad_added(move |_, pad| {
        if !convert_sink.is_linked() {
            let _ = pad.link(&convert_sink);
        }
    });
    let sink = sink
        .clone()
        .dynamic_cast::<gst_app::AppSink>()
        .map_err(|_| "appsink".to_owned())?;
    sink.set_caps(Some(
        &gst::Caps::builder("video/x-raw")
            .field("format", "RGBA")
            .field("width", gst::IntRange::new(16, MAX_WIDTH))
            .field("pixel-aspect-ratio", gst::Fraction::new(1, 1))
            .build(),
    ));
    sink.set_max_buffers(1);
    sink.set_drop(true);
    forward_frames(&sink, shared);
    start_linked(&chain, pad, queue, "video")
}

/// Starts `chain` with the playing pipeline, then feeds it from the source's `pad` through
/// its first element, `queue` (`what` names the branch in an error).
fn start_linked(
    chain: &[gst::Element],
    pad: &gst::Pad,
    queue: &gst::Element,
    what: &str,
) -> Result<(), String> {
    for element in chain {
        element
            .sync_state_with_parent()
            .map_err(|e| e.to_string())?;
    }
    pad.link(&queue.static_pad("sink").expect("queue has a sink"))
        .map_err(|e| format!("{what}: {e:?}"))?;
    Ok(())
}

fn forward_frames(sink: &gst_app::AppSink, shared: &Arc<Shared>) {
    let send = |shared: &std::sync::Weak<Shared>, sample: gst::Sample| {
        let Some(shared) = shared.upgrade() else {
            return Err(gst::FlowError::Flushing);
        };
        if shared.events.len() >= MAX_QUEUED_FRAMES {
            return Ok(gst::FlowSuccess::Ok);
        }
        let at_ms = sample
            .buffer()
            .and_then(|buffer| buffer.pts())
            .and_then(|pts| {
                sample
                    .segment()
                    .and_then(|segment| segment.downcast_ref::<gst::ClockTime>())
                    .and_then(|segment| segment.to_stream_time(pts))
            })
            .map_or(0, |t| t.mseconds() as i64);
        if let Some((width, height, rgba)) = crate::recorder::engine::rgba_of(&sample) {
            let _ = shared.events.try_send(Event::Frame(Frame {
                at_ms,
                width,
                height,
                rgba,
            }));
        }
        Ok(gst::FlowSuccess::Ok)
    };
    let (for_samples, for_preroll) = (Arc::downgrade(shared), Arc::downgrade(shared));
    sink.set_callbacks(
        gst_app::AppSinkCallbacks::builder()
            .new_sample(move |sink| {
                let sample = sink.pull_sample().map_err(|_| gst::FlowError::Eos)?;
                send(&for_samples, sample)
            })
            .new_preroll(move |sink| {
                let sample = sink.pull_preroll().map_err(|_| gst::FlowError::Eos)?;
                send(&for_preroll, sample)
            })
            .build(),
    );
}

/// Decodes audio track `index` into the selector (the chosen one is heard).
pub(super) fn link_audio(
    pipeline: &gst::Pipeline,
    pad: &gst::Pad,
    selector: &gst::Element,
    index: usize,
    shared: &Arc<Shared>,
) -> Result<(), String> {
    let mut chain = add_chain(pipeline, &["queue", "decodebin"])?;
    chain.extend(add_chain(pipeline, &["audioconvert"])?);
    let (queue, decode, convert) = (&chain[0], &chain[1], &chain[2]);
    let convert_sink = convert.static_pad("sink").expect("audioconvert has a sink");
    decode.connect_pad_added(move |_, pad| {
        if !convert_sink.is_linked() {
            let _ = pad.link(&convert_sink);
        }
    });
    let selector_pad = selector
        .request_pad_simple("sink_%u")
        .ok_or("the audio selector")?;
    convert
        .static_pad("src")
        .expect("audioconvert has a source")
        .link(&selector_pad)
        .map_err(|e| format!("audio {index}: {e:?}"))?;
    {
        let mut pads = shared.selector_pads.locked();
        if pads.len() <= index {
            pads.resize(index + 1, None);
        }
        pads[index] = Some(selector_pad.clone());
    }
    if *shared.chosen.locked() == index {
        selector.set_property("active-pad", &selector_pad);
    }
    start_linked(&chain, pad, queue, &format!("audio {index}"))
}

/// The audio tracks as the source gives them, with the titles their tags carry; `None`
/// when one has no title.
pub(super) fn titled_tracks(source: &gst::Element) -> Option<Vec<Track>> {
    let mut tracks = Vec::new();
    for pad in source.src_pads() {
        let Some(index) = pad
            .name()
            .strip_prefix("audio_")
            .and_then(|n| n.parse::<usize>().ok())
        else {
            continue;
        };
        let title = (0..8)
            .map_while(|at| pad.sticky_event::<gst::event::Tag>(at))
            .find_map(|tag| {
                tag.tag()
                    .get::<gst::tags::Title>()
                    .map(|t| t.get().to_owned())
            })?;
        tracks.push(Track { index, title });
    }
    tracks.sort_by_key(|t| t.index);
    (!tracks.is_empty()).then_some(tracks)
}

/// The audio tracks of a recording file, titled as the recorder titled them.
pub fn tracks_of(file: &Path) -> Vec<Track> {
    let discovered = gst::glib::filename_to_uri(file, None).ok().and_then(|uri| {
        gstreamer_pbutils::Discoverer::new(gst::ClockTime::from_seconds(5))
            .ok()?
            .discover_uri(&uri)
            .ok()
    });
    let Some(info) = discovered else {
        return Vec::new();
    };
    info.audio_streams()
        .iter()
        .enumerate()
        .map(|(index, stream)| Track {
            index,
            title: stream
                .tags()
                .and_then(|tags| tags.get::<gst::tags::Title>().map(|t| t.get().to_owned()))
                .unwrap_or_else(|| {
                    let number = index as i64 + 1;
                    tr!("player-track", number = number)
                }),
        })
        .collect()
}
