//! Builds the recording pipeline for a set of inputs and a profile.
//!
//! ```text
//!  input-camera-N (bin) ─► tee ─┬─► queue ─► compositor ─► videoconvert ─► encoder ─► parser ─┐
//!                               └─► queue (leaky) ─► videorate ─► videoscale ─► appsink        │
//!                                    (preview, RGBA, a few frames a second)                   │
//!  input-microphone-N / input-remote (bin: source ─► convert ─► level) ─► tee                  ├─► the recording's files
//!        ├─► queue ─► audiomixer (one pad: the input's own track) ─► encoder ─► parser ──────┤   (files.rs: matroskamux ─►
//!        └─► queue ─► audiomixer "mix" ─► tee ─► encoder ─► parser (first audio track) ──────┘    filesink, unbuffered, one
//!                                                                        file at a time; a sync thread fsyncs it)
//!                                              └─► opusenc ─► oggmux ─► filesink (audio.opus: the archive's
//!                                                                      audio-only copy, rule 25)
//! ```
//!
//! Isolating a failing input. Every input is a bin of its own whose only way into the rest
//! of the graph is a ghost pad feeding an aggregator (the compositor, a track's audiomixer,
//! the mix). Aggregators in a live pipeline keep producing output on time when one sink pad
//! is starved, so nothing downstream (encoders, muxer, file) waits for a dead input. To
//! isolate an input, its bin is set to NULL and removed, and a stand-in bin (a black or
//! silent live test source of the same caps) is linked to the same aggregator pads: the
//! file's tracks stay continuous and every other input goes on. That is why even a single
//! camera goes through the compositor and every track through its own audiomixer.

use std::path::Path;

use gstreamer as gst;
use gstreamer::prelude::*;
use gstreamer_app as gst_app;

use super::RecorderError;
use super::inputs::{Input, InputKind, Source};
use super::profile::Profile;
use crate::tr;

/// A track of the output file, in file order after the video.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Track {
    /// `video`, `mix`, or the input id whose audio it carries.
    pub id: String,
    pub title: String,
}

pub struct Built {
    pub pipeline: gst::Pipeline,
    /// Every track's stream, ready for the recording's files (video first, then the mix and
    /// each sound input): where first timestamps are taken.
    pub streams: Vec<gst::Pad>,
    /// Per camera: its input id and preview sink.
    pub previews: Vec<(String, gst_app::AppSink)>,
    /// The video track, then the mix, then one track per audio input.
    pub tracks: Vec<Track>,
}

/// Speech in Opus: clear at 32 kbit/s, about 14 MB an hour.
const ARCHIVE_OPUS_BITRATE: i32 = 32_000;

/// The suffix of every `level` element's name; the prefix is its input id.
pub const LEVEL_SUFFIX: &str = "-level";
/// The prefix of every input bin's name; the rest is its input id.
pub const INPUT_BIN_PREFIX: &str = "input-";

/// The name of input `id`'s bin.
pub fn bin_name(id: &str) -> String {
    format!("{INPUT_BIN_PREFIX}{id}")
}

/// The name of input `id`'s source element (inside its bin).
pub fn source_name(id: &str) -> String {
    format!("{id}-source")
}

pub(super) fn make(factory: &str, name: &str) -> Result<gst::Element, RecorderError> {
    gst::ElementFactory::make(factory)
        .name(name)
        .build()
        .map_err(|_| RecorderError::missing_element(factory))
}

fn fragment(description: &str, name: &str) -> Result<gst::Element, RecorderError> {
    let bin = gst::parse::bin_from_description(description, true).map_err(|error| {
        RecorderError::Build {
            what: format!("`{description}`"),
            message: error.to_string(),
        }
    })?;
    bin.set_property("name", name);
    Ok(bin.upcast())
}

fn link(chain: &[&gst::Element]) -> Result<(), RecorderError> {
    gst::Element::link_many(chain.iter().copied()).map_err(|error| RecorderError::Build {
        what: chain
            .iter()
            .map(|element| element.name().to_string())
            .collect::<Vec<_>>()
            .join(" ! "),
        message: error.to_string(),
    })
}

fn build_error(what: &str) -> impl Fn(gst::glib::BoolError) -> RecorderError + '_ {
    move |error| RecorderError::Build {
        what: what.to_owned(),
        message: error.to_string(),
    }
}

fn caps_filter(name: &str, caps: gst::Caps) -> Result<gst::Element, RecorderError> {
    let filter = make("capsfilter", name)?;
    filter.set_property("caps", caps);
    Ok(filter)
}

/// The raw video every camera delivers and the compositor produces: already the encoder's
/// format, so no stage converts pixels at full size.
fn video_caps(profile: &Profile) -> gst::Caps {
    gst::Caps::builder("video/x-raw")
        .field("format", profile.video.format.as_str())
        .field("width", profile.video.width as i32)
        .field("height", profile.video.height as i32)
        .field(
            "framerate",
            gst::Fraction::new(profile.video.framerate as i32, 1),
        )
        .build()
}

fn audio_caps(profile: &Profile) -> gst::Caps {
    gst::Caps::builder("audio/x-raw")
        .field("rate", profile.audio.rate as i32)
        .field("channels", profile.audio.channels as i32)
        .build()
}

/// An input's bin, ending in a ghost pad `src` with raw video or audio of the profile.
pub(super) fn input_bin(input: &Input, profile: &Profile) -> Result<gst::Bin, RecorderError> {
    let id = &input.id;
    let bin = gst::Bin::builder().name(bin_name(id)).build();
    let source = match &input.source {
        Source::Demo => match input.kind {
            InputKind::Camera => {
                let source = make("videotestsrc", &source_name(id))?;
                source.set_property("is-live", true);
                source.set_property_from_str("pattern", "ball");
                source
            }
            InputKind::Microphone | InputKind::Remote => {
                let source = make("audiotestsrc", &source_name(id))?;
                source.set_property("is-live", true);
                if input.kind == InputKind::Microphone {
                    source.set_property_from_str("wave", "ticks");
                } else {
                    source.set_property_from_str("wave", "sine");
                    source.set_property("freq", 330.0f64);
                    source.set_property("volume", 0.2f64);
                }
                source
            }
        },
        Source::Device(device) => device
            .create_element(Some(&source_name(id)))
            .map_err(build_error(&input.name))?,
        Source::Launch(description) => launch_source(description, input.kind, id)?,
    };
    let mut chain = vec![source];
    if input.kind == InputKind::Camera {
        if !input.is_demo() {
            chain.push(make("videoconvert", &format!("{id}-convert"))?);
            chain.push(make("videoscale", &format!("{id}-scale"))?);
            chain.push(make("videorate", &format!("{id}-rate"))?);
        }
        chain.push(caps_filter(&format!("{id}-caps"), video_caps(profile))?);
        if input.is_demo() {
            // The wall clock burned in, and the word saying this is not a real camera.
            let overlay = make("clockoverlay", &format!("{id}-clock"))?;
            overlay.set_property("text", tr!("demo-overlay"));
            overlay.set_property("time-format", "%Y-%m-%d %H:%M:%S");
            overlay.set_property_from_str("valignment", "bottom");
            overlay.set_property_from_str("halignment", "left");
            overlay.set_property("font-desc", "Sans 24");
            chain.push(overlay);
        }
    } else {
        chain.push(make("audioconvert", &format!("{id}-convert"))?);
        chain.push(make("audioresample", &format!("{id}-resample"))?);
        chain.push(caps_filter(&format!("{id}-caps"), audio_caps(profile))?);
        let level = make("level", &format!("{id}{LEVEL_SUFFIX}"))?;
        level.set_property("interval", 100_000_000u64);
        level.set_property("post-messages", true);
        chain.push(level);
    }
    let refs: Vec<&gst::Element> = chain.iter().collect();
    bin.add_many(refs.iter().copied())
        .map_err(build_error(&input.name))?;
    link(&refs)?;
    let last = chain.last().expect("a chain has a source");
    let pad = last
        .static_pad("src")
        .expect("the last element has a src pad");
    let ghost = gst::GhostPad::builder_with_target(&pad)
        .map_err(build_error(&input.name))?
        .name("src")
        .build();
    bin.add_pad(&ghost).map_err(build_error(&input.name))?;
    Ok(bin)
}

/// A source given as a pipeline description. It ends in a converter so that a description
/// ending in `decodebin` (whose pad appears only once it has decoded something) still has a
/// pad to link now.
pub fn launch_source(
    description: &str,
    kind: InputKind,
    id: &str,
) -> Result<gst::Element, RecorderError> {
    let convert = match kind {
        InputKind::Camera => "videoconvert",
        InputKind::Microphone | InputKind::Remote => "audioconvert",
    };
    fragment(&format!("{description} ! {convert}"), &source_name(id))
}

/// Names a track (Matroska's track name) by sending a stream tag before its first buffer.
fn name_track(pad: &gst::Pad, title: &str) {
    let mut tags = gst::TagList::new();
    tags.get_mut()
        .expect("a new tag list is writable")
        .add::<gst::tags::Title>(&title, gst::TagMergeMode::Replace);
    tags.get_mut()
        .expect("a new tag list is writable")
        .set_scope(gst::TagScope::Stream);
    pad.add_probe(gst::PadProbeType::BUFFER, move |pad, _| {
        pad.push_event(gst::event::Tag::new(tags.clone()));
        gst::PadProbeReturn::Remove
    });
}

fn pad_of(element: &gst::Element, name: &str) -> gst::Pad {
    element
        .static_pad(name)
        .unwrap_or_else(|| panic!("{} has a static {name} pad", element.name()))
}

/// A camera's preview: a few RGBA frames a second, scaled down, dropped rather than queued.
fn preview_branch(
    pipeline: &gst::Pipeline,
    tee: &gst::Element,
    id: &str,
    profile: &Profile,
) -> Result<gst_app::AppSink, RecorderError> {
    let queue = make("queue", &format!("{id}-preview-queue"))?;
    queue.set_property_from_str("leaky", "downstream");
    queue.set_property("max-size-buffers", 1u32);
    let rate = make("videorate", &format!("{id}-preview-rate"))?;
    rate.set_property("drop-only", true);
    rate.set_property("max-rate", profile.preview.framerate as i32);
    let scale = make("videoscale", &format!("{id}-preview-scale"))?;
    scale.set_property("add-borders", true);
    let convert = make("videoconvert", &format!("{id}-preview-convert"))?;
    let caps = caps_filter(
        &format!("{id}-preview-caps"),
        gst::Caps::builder("video/x-raw")
            .field("format", "RGBA")
            .field("width", profile.preview.width as i32)
            .field("height", profile.preview.height as i32)
            .field("pixel-aspect-ratio", gst::Fraction::new(1, 1))
            .build(),
    )?;
    let appsink = gst_app::AppSink::builder()
        .name(format!("{id}-preview"))
        .max_buffers(1)
        .drop(true)
        .sync(false)
        .build();
    let chain = [&queue, &rate, &scale, &convert, &caps, appsink.upcast_ref()];
    pipeline.add_many(chain).map_err(build_error("preview"))?;
    link(&[
        tee,
        &queue,
        &rate,
        &scale,
        &convert,
        &caps,
        appsink.upcast_ref(),
    ])?;
    Ok(appsink)
}

/// Where the recording's files close and the next one opens: at the first keyframe past
/// either limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Segments {
    pub max_time: std::time::Duration,
    pub max_bytes: u64,
}

/// Builds the whole pipeline up to the streams the recording's files take (`Built::streams`)
/// and the audio copy written into `folder`, with preview frames when someone shows them.
/// Nothing runs until it is set to PLAYING.
pub fn build(
    inputs: &[Input],
    profile: &Profile,
    folder: &Path,
    with_previews: bool,
) -> Result<Built, RecorderError> {
    let pipeline = gst::Pipeline::builder().name("recorder").build();
    // The system's monotonic clock, never an input's: a sound card's clock (pulsesrc offers
    // one, and a pipeline takes a source's) stops while its stream is moved or its device
    // unplugged, and with it every input's timing and the recording itself.
    pipeline.use_clock(Some(&gst::SystemClock::obtain()));
    let add = |elements: &[&gst::Element]| {
        pipeline
            .add_many(elements.iter().copied())
            .map_err(build_error("pipeline"))
    };
    let archive = crate::paths::PartFiles(folder).audio();

    let cameras: Vec<&Input> = inputs
        .iter()
        .filter(|i| i.kind == InputKind::Camera)
        .collect();
    let sounds: Vec<&Input> = inputs
        .iter()
        .filter(|i| i.kind != InputKind::Camera)
        .collect();
    if cameras.is_empty() || sounds.is_empty() {
        return Err(RecorderError::NoInputs);
    }

    // Streams in file order: video, the mix, then each sound input.
    let mut tracks = vec![
        Track {
            id: "video".to_owned(),
            title: tr!("track-video"),
        },
        Track {
            id: "mix".to_owned(),
            title: tr!("track-mix"),
        },
    ];

    // Video: cameras → compositor → encoder → mux.
    let compositor = make("compositor", "compositor")?;
    // Before a camera's first frame (a slow start, a loaded machine) the compositor draws its
    // background into the recording: black, as a picture with no signal is, not a checker.
    compositor.set_property_from_str("background", "black");
    let composed = caps_filter("composed-caps", video_caps(profile))?;
    let convert = make("videoconvert", "video-convert")?;
    let format = caps_filter(
        "video-format",
        gst::Caps::builder("video/x-raw")
            .field("format", profile.video.format.as_str())
            .build(),
    )?;
    let encoder = fragment(&profile.video.encoder, "video-encoder")?;
    let parser = make(&profile.video.parser, "video-parser")?;
    let queue = make("queue", "video-mux-queue")?;
    let chain = [
        &compositor,
        &composed,
        &convert,
        &format,
        &encoder,
        &parser,
        &queue,
    ];
    add(&chain)?;
    link(&chain)?;
    let mut streams = vec![pad_of(&queue, "src")];
    name_track(&pad_of(&parser, "src"), &tracks[0].title);

    let columns = (cameras.len() as f64).sqrt().ceil() as u32;
    let rows = (cameras.len() as u32).div_ceil(columns);
    let (cell_width, cell_height) = (profile.video.width / columns, profile.video.height / rows);
    let mut previews = Vec::new();
    for (index, camera) in cameras.iter().enumerate() {
        let id = &camera.id;
        let bin = input_bin(camera, profile)?;
        let to_compositor = make("queue", &format!("{id}-queue"))?;
        pipeline.add(&bin).map_err(build_error(&camera.name))?;
        add(&[&to_compositor])?;
        if with_previews {
            let tee = make("tee", &format!("{id}-tee"))?;
            add(&[&tee])?;
            link(&[bin.upcast_ref(), &tee, &to_compositor])?;
            previews.push((id.clone(), preview_branch(&pipeline, &tee, id, profile)?));
        } else {
            link(&[bin.upcast_ref(), &to_compositor])?;
        }
        let compositor_pad =
            compositor
                .request_pad_simple("sink_%u")
                .ok_or_else(|| RecorderError::Build {
                    what: "compositor".to_owned(),
                    message: "no pad".to_owned(),
                })?;
        let (column, row) = (index as u32 % columns, index as u32 / columns);
        compositor_pad.set_property("xpos", (column * cell_width) as i32);
        compositor_pad.set_property("ypos", (row * cell_height) as i32);
        compositor_pad.set_property("width", cell_width as i32);
        compositor_pad.set_property("height", cell_height as i32);
        pad_of(&to_compositor, "src")
            .link(&compositor_pad)
            .map_err(|e| build_error(&camera.name)(gst::glib::bool_error!("{e:?}")))?;
    }

    // Audio: each input → its own track, and into the mix (the first audio track).
    let audio_encoder_chain = |name: &str, title: &str| {
        let mixer = make("audiomixer", &format!("{name}-mixer"))?;
        let caps = caps_filter(&format!("{name}-mixer-caps"), audio_caps(profile))?;
        add(&[&mixer, &caps])?;
        link(&[&mixer, &caps])?;
        // The mix is also written alone, as Opus in Ogg (a format that stays playable up to
        // its last page when cut short), while it is recorded.
        let caps = if name == "mix" {
            let tee = make("tee", "mix-tee")?;
            let queue = make("queue", "archive-queue")?;
            let convert = make("audioconvert", "archive-convert")?;
            let resample = make("audioresample", "archive-resample")?;
            let encoder = make("opusenc", "archive-encoder")?;
            encoder.set_property("bitrate", ARCHIVE_OPUS_BITRATE);
            let ogg = make("oggmux", "archive-mux")?;
            let file = make("filesink", "archive-file")?;
            file.set_property("location", archive.to_string_lossy().to_string());
            file.set_property_from_str("buffer-mode", "unbuffered");
            add(&[&tee, &queue, &convert, &resample, &encoder, &ogg, &file])?;
            link(&[
                &caps, &tee, &queue, &convert, &resample, &encoder, &ogg, &file,
            ])?;
            tee
        } else {
            caps
        };
        let convert = make("audioconvert", &format!("{name}-encode-convert"))?;
        let encoder = fragment(&profile.audio.encoder, &format!("{name}-encoder"))?;
        let parser = make(&profile.audio.parser, &format!("{name}-parser"))?;
        let queue = make("queue", &format!("{name}-mux-queue"))?;
        add(&[&convert, &encoder, &parser, &queue])?;
        link(&[&caps, &convert, &encoder, &parser, &queue])?;
        name_track(&pad_of(&parser, "src"), title);
        Ok::<_, RecorderError>((mixer, pad_of(&queue, "src")))
    };
    let (mix, mix_stream) = audio_encoder_chain("mix", &tracks[1].title)?;
    streams.push(mix_stream);
    for sound in &sounds {
        let id = &sound.id;
        let bin = input_bin(sound, profile)?;
        let tee = make("tee", &format!("{id}-tee"))?;
        let to_track = make("queue", &format!("{id}-track-queue"))?;
        let to_mix = make("queue", &format!("{id}-mix-queue"))?;
        pipeline.add(&bin).map_err(build_error(&sound.name))?;
        add(&[&tee, &to_track, &to_mix])?;
        let (track_mixer, stream) = audio_encoder_chain(id, &sound.name)?;
        streams.push(stream);
        link(&[bin.upcast_ref(), &tee, &to_track, &track_mixer])?;
        link(&[&tee, &to_mix, &mix])?;
        tracks.push(Track {
            id: id.clone(),
            title: sound.name.clone(),
        });
    }

    Ok(Built {
        pipeline,
        streams,
        previews,
        tracks,
    })
}
