//! The cameras and microphones checked: each camera watched for a live picture (not frozen,
//! not black), each microphone and the remote input listened to, and the guided check's
//! recording played back to the person who spoke.

use std::time::{Duration, Instant};

use gstreamer as gst;
use gstreamer::prelude::*;
use gstreamer_app as gst_app;

use crate::config::Config;
use crate::i18n::Said;
use crate::recorder::InputKind;
use crate::recorder::devices::{self, DeviceKind};
use crate::recorder::pipeline::launch_source;
use crate::{said, tr};

use super::{Step, WATCH};

/// Why an input could not be watched, listened to, or played back.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InputError {
    /// GStreamer's own words: an element missing, a device that would not start.
    #[error("{0}")]
    Media(String),
    /// The guided step found no real microphone to listen to.
    #[error("{}", tr!("check-no-microphone"))]
    NoMicrophone,
    /// What was heard did not finish playing back in time.
    #[error("{}", tr!("check-playback-timeout"))]
    PlaybackTimeout,
}

impl InputError {
    fn media(error: impl std::fmt::Display) -> Self {
        InputError::Media(error.to_string())
    }
}

/// Kept in a check's step as data: translated where it is shown.
impl From<InputError> for Said {
    fn from(error: InputError) -> Self {
        match error {
            InputError::Media(words) => Said::Text(words),
            InputError::NoMicrophone => said!("check-no-microphone"),
            InputError::PlaybackTimeout => said!("check-playback-timeout"),
        }
    }
}

/// The cameras and microphones the recording uses (the configured ones, or all found).
pub(super) fn steps(config: &Config) -> Vec<Step> {
    let found = match devices::list() {
        Ok(found) => found,
        Err(error) => {
            return vec![Step::new("camera", "", Err(error.to_string().into()))];
        }
    };
    let remote = config.recording.remote_audio.trim();
    let mut steps = Vec::new();
    for (kind, what, wanted) in [
        (DeviceKind::Camera, "camera", &config.recording.cameras),
        (
            DeviceKind::Microphone,
            "microphone",
            &config.recording.microphones,
        ),
    ] {
        let present: Vec<_> = found
            .iter()
            .filter(|d| d.kind == kind && d.name != remote)
            .collect();
        for name in wanted {
            if !present.iter().any(|d| &d.name == name) {
                steps.push(Step::new(
                    what,
                    name,
                    Err(said!("check-device-missing", name = name.clone())),
                ));
            }
        }
        let chosen: Vec<_> = present
            .into_iter()
            .filter(|d| d.is_wanted(wanted))
            .collect();
        let network: Vec<_> = config
            .recording
            .network_inputs
            .iter()
            .filter(|input| input.kind == what)
            .collect();
        if chosen.is_empty() && wanted.is_empty() && network.is_empty() {
            steps.push(Step::new(
                what,
                "",
                Err(match kind {
                    DeviceKind::Camera => said!("check-no-camera"),
                    DeviceKind::Microphone => said!("check-no-microphone"),
                }),
            ));
        }
        let input_kind = match kind {
            DeviceKind::Camera => InputKind::Camera,
            DeviceKind::Microphone => InputKind::Microphone,
        };
        for device in chosen {
            let source = device.device.create_element(None);
            let result = watched(source.map_err(InputError::media), input_kind);
            steps.push(Step::new(what, &device.name, result));
        }
        for input in network {
            let source = launch_source(&input.pipeline, input_kind, "check");
            let result = watched(source.map_err(InputError::media), input_kind);
            steps.push(Step::new(what, &input.name, result));
        }
    }
    let network_remote = config
        .recording
        .network_inputs
        .iter()
        .find(|input| input.kind == "remote");
    if let Some(input) = network_remote.filter(|_| remote.is_empty()) {
        let source = launch_source(&input.pipeline, InputKind::Remote, "check");
        let result = watched(source.map_err(InputError::media), InputKind::Remote);
        steps.push(Step::new("remote-audio", &input.name, result));
    } else if remote.is_empty() {
        steps.push(Step::skipped(
            "remote-audio",
            "",
            said!("check-remote-not-configured"),
        ));
    } else {
        let result = match found
            .iter()
            .find(|d| d.kind == DeviceKind::Microphone && d.name == remote)
        {
            None => Err(said!("check-device-missing", name = remote.to_owned())),
            Some(device) => watched(
                device
                    .device
                    .create_element(None)
                    .map_err(InputError::media),
                InputKind::Remote,
            ),
        };
        steps.push(Step::new("remote-audio", remote, result));
    }
    steps
}

/// A camera's or a sound input's step: its source watched for `WATCH`, and the verdict.
pub(super) fn watched(
    source: Result<gst::Element, InputError>,
    kind: InputKind,
) -> Result<Said, Said> {
    let source = source?;
    match kind {
        InputKind::Camera => watch_picture(source, WATCH)?.verdict(),
        InputKind::Microphone | InputKind::Remote => watch_sound(source, WATCH)?.verdict(),
    }
}

/// What a camera gave while it was watched.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Picture {
    pub frames: usize,
    /// The brightest pixel seen (0–255): a black picture stays below 40 (video black is 16).
    pub brightness: f64,
    /// The largest mean difference between the first frame and a later one (0–255): a
    /// live camera's frames always differ a little (the sensor's noise), a frozen one's not.
    pub motion: f64,
}

impl Picture {
    pub fn verdict(self) -> Result<Said, Said> {
        if self.frames == 0 {
            Err(said!("check-no-picture"))
        } else if self.brightness < 40.0 {
            Err(said!("check-picture-black"))
        } else if self.frames > 1 && self.motion < 0.01 {
            Err(said!("check-picture-frozen"))
        } else {
            Ok(said!("check-picture-live", frames = self.frames as i64))
        }
    }
}

/// Watches a video source for `how_long`: its frames, small and grey, compared.
pub fn watch_picture(source: gst::Element, how_long: Duration) -> Result<Picture, InputError> {
    let (pipeline, sink) = watch_pipeline(
        source,
        &["videoconvert", "videoscale"],
        gst::Caps::builder("video/x-raw")
            .field("format", "GRAY8")
            .field("width", 160)
            .field("height", 90)
            .build(),
    )?;
    let mut first: Option<Vec<u8>> = None;
    let (mut frames, mut brightness, mut motion) = (0, 0.0f64, 0.0f64);
    pull_for(&pipeline, &sink, how_long, |pixels| {
        frames += 1;
        let brightest = pixels.iter().copied().max().unwrap_or(0);
        brightness = brightness.max(f64::from(brightest));
        match &first {
            None => first = Some(pixels.to_vec()),
            Some(first) => {
                let difference = first
                    .iter()
                    .zip(pixels)
                    .map(|(a, b)| f64::from(a.abs_diff(*b)))
                    .sum::<f64>()
                    / pixels.len().max(1) as f64;
                motion = motion.max(difference);
            }
        }
    });
    Ok(Picture {
        frames,
        brightness,
        motion,
    })
}

/// What a microphone gave while it was watched.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sound {
    /// Seconds of sound that arrived.
    pub seconds: f64,
    /// The loudest sample, in dBFS.
    pub peak_db: f64,
}

impl Sound {
    pub fn verdict(self) -> Result<Said, Said> {
        if self.seconds < 0.5 {
            Err(said!("check-no-sound"))
        } else if self.peak_db < DIGITAL_SILENCE_DB {
            // A live microphone always hears something (the room, its own noise, far above
            // this); nothing at all is a muted or dead input delivering zeros.
            Err(said!(
                "check-sound-silent",
                peak = format!("{:.0}", self.peak_db.max(-120.0))
            ))
        } else {
            Ok(said!(
                "check-sound",
                peak = format!("{:.0}", self.peak_db.max(-99.0))
            ))
        }
    }
}

/// The rate sound is listened to at (mono, 32-bit float).
const LISTEN_RATE: i32 = 16_000;

/// Listens to an audio source for `how_long`.
pub fn watch_sound(source: gst::Element, how_long: Duration) -> Result<Sound, InputError> {
    capture(source, how_long).map(|samples| sound_of(&samples))
}

/// Every sample an audio source gives in `how_long`.
pub(super) fn capture(source: gst::Element, how_long: Duration) -> Result<Vec<f32>, InputError> {
    let (pipeline, sink) = watch_pipeline(
        source,
        &["audioconvert", "audioresample"],
        gst::Caps::builder("audio/x-raw")
            .field("format", "F32LE")
            .field("channels", 1)
            .field("rate", LISTEN_RATE)
            .build(),
    )?;
    let mut samples = Vec::new();
    pull_for(&pipeline, &sink, how_long, |bytes| {
        samples.extend(
            bytes
                .chunks_exact(4)
                .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]])),
        );
    });
    Ok(samples)
}

fn sound_of(samples: &[f32]) -> Sound {
    let peak = samples.iter().fold(0.0f32, |peak, s| peak.max(s.abs()));
    Sound {
        seconds: samples.len() as f64 / f64::from(LISTEN_RATE),
        peak_db: 20.0 * f64::from(peak.max(1e-6)).log10(),
    }
}

/// Below this peak an input delivers zeros, not a room.
pub const DIGITAL_SILENCE_DB: f64 = -90.0;

/// Loud enough to be someone speaking into the microphone (a quiet room stays far below).
pub const SPOKEN_DB: f64 = -40.0;
/// How long the person speaks into each microphone in the guided step.
pub const SPEAK_FOR: Duration = Duration::from_secs(4);

/// The microphones and the video-conference input the recording uses, for the guided
/// steps (someone speaks into each and hears it back): real inputs only.
pub fn sound_inputs(config: &Config) -> Vec<crate::recorder::Input> {
    let found = devices::list().unwrap_or_default();
    let present = |name: &String| found.iter().any(|device| &device.name == name);
    // A configured device that is missing is the automatic step's failure; the ones
    // present are still spoken into.
    // (Every device is chosen here, then only the named ones kept: naming none present must
    // not turn into "every microphone found".)
    let wanted = &config.recording.microphones;
    let mut recording = config.recording.clone();
    recording.cameras.clear();
    recording.microphones.clear();
    recording.demo_when_no_devices = true;
    if !present(&recording.remote_audio) {
        recording.remote_audio.clear();
    }
    crate::recorder::inputs::choose(&recording, &found, false)
        .map(|selection| selection.inputs)
        .unwrap_or_default()
        .into_iter()
        .filter(|input| !input.is_demo() && input.kind != InputKind::Camera)
        .filter(|input| {
            input.kind != InputKind::Microphone
                || matches!(input.source, crate::recorder::inputs::Source::Launch(_))
                || wanted.is_empty()
                || wanted.contains(&input.name)
        })
        .collect()
}

/// What was heard while someone spoke into an input, kept to be played back.
#[derive(Debug, Clone, PartialEq)]
pub struct Heard {
    pub sound: Sound,
    pub(super) samples: Vec<f32>,
}

/// Listens to `input` for `how_long` while someone speaks into it.
pub fn listen(input: &crate::recorder::Input, how_long: Duration) -> Result<Heard, InputError> {
    let source = source_element(input)?;
    let samples = capture(source, how_long)?;
    Ok(Heard {
        sound: sound_of(&samples),
        samples,
    })
}

/// A fresh source element for `input`.
pub fn source_element(input: &crate::recorder::Input) -> Result<gst::Element, InputError> {
    use crate::recorder::inputs::Source;
    match &input.source {
        Source::Device(device) => device.create_element(None).map_err(InputError::media),
        Source::Launch(description) => {
            launch_source(description, input.kind, "check").map_err(InputError::media)
        }
        Source::Demo => Err(InputError::NoMicrophone),
    }
}

/// Plays what was heard on the default output, and returns when it has been played.
pub fn play_back(heard: &Heard) -> Result<(), InputError> {
    gst::init().map_err(InputError::media)?;
    let pipeline = gst::parse::launch(&format!(
        "appsrc name=heard format=time caps=audio/x-raw,format=F32LE,channels=1,rate={LISTEN_RATE},layout=interleaved \
         ! audioconvert ! audioresample ! autoaudiosink"
    ))
    .map_err(InputError::media)?
    .downcast::<gst::Pipeline>()
    .map_err(|_| InputError::media("not a pipeline"))?;
    let source = pipeline
        .by_name("heard")
        .and_then(|e| e.downcast::<gst_app::AppSrc>().ok())
        .ok_or_else(|| InputError::media("no appsrc"))?;
    let bytes: Vec<u8> = heard.samples.iter().flat_map(|s| s.to_le_bytes()).collect();
    let mut buffer = gst::Buffer::from_mut_slice(bytes);
    if let Some(buffer) = buffer.get_mut() {
        buffer.set_pts(gst::ClockTime::ZERO);
    }
    pipeline
        .set_state(gst::State::Playing)
        .map_err(InputError::media)?;
    let pushed = source
        .push_buffer(buffer)
        .map_err(InputError::media)
        .and_then(|_| source.end_of_stream().map_err(InputError::media));
    let wait = Duration::from_secs_f64(heard.sound.seconds) + Duration::from_secs(5);
    let ended = pushed.and_then(|_| {
        let bus = pipeline.bus().ok_or_else(|| InputError::media("no bus"))?;
        match bus.timed_pop_filtered(
            gst::ClockTime::from_mseconds(wait.as_millis() as u64),
            &[gst::MessageType::Eos, gst::MessageType::Error],
        ) {
            Some(message) => match message.view() {
                gst::MessageView::Error(error) => Err(InputError::media(error.error())),
                _ => Ok(()),
            },
            None => Err(InputError::PlaybackTimeout),
        }
    });
    let _ = pipeline.set_state(gst::State::Null);
    ended
}

/// The guided step of one input: spoken into loudly enough, and heard back by the person.
pub fn spoken_step(name: &str, heard: &Heard, heard_back: bool) -> Step {
    let peak = format!("{:.0}", heard.sound.peak_db.max(-99.0));
    let result = if heard.sound.peak_db < SPOKEN_DB {
        Err(said!("check-not-spoken", peak = peak))
    } else if !heard_back {
        Err(said!("check-not-heard-back", peak = peak))
    } else {
        Ok(said!("check-spoken", peak = peak))
    };
    Step::new("spoken", name, result)
}

/// Gives `each` buffer's bytes for `how_long` (or until the source ends), then stops.
fn pull_for(
    pipeline: &gst::Pipeline,
    sink: &gst_app::AppSink,
    how_long: Duration,
    mut each: impl FnMut(&[u8]),
) {
    let deadline = Instant::now() + how_long;
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        let wait = gst::ClockTime::from_mseconds(left.as_millis() as u64);
        let Some(sample) = sink.try_pull_sample(wait) else {
            break;
        };
        if let Some(map) = sample.buffer().and_then(|b| b.map_readable().ok()) {
            each(map.as_slice());
        }
    }
    let _ = pipeline.set_state(gst::State::Null);
}

/// `source ! converters ! caps ! appsink`, playing.
fn watch_pipeline(
    source: gst::Element,
    converters: &[&str],
    caps: gst::Caps,
) -> Result<(gst::Pipeline, gst_app::AppSink), InputError> {
    gst::init().map_err(InputError::media)?;
    let pipeline = gst::Pipeline::new();
    let mut chain = vec![source];
    for factory in converters {
        chain.push(
            gst::ElementFactory::make(factory)
                .build()
                .map_err(|e| InputError::Media(format!("{factory}: {e}")))?,
        );
    }
    let sink = gst_app::AppSink::builder()
        .caps(&caps)
        .max_buffers(4)
        .drop(true)
        .sync(false)
        .build();
    chain.push(sink.clone().upcast());
    pipeline.add_many(&chain).map_err(InputError::media)?;
    gst::Element::link_many(&chain).map_err(InputError::media)?;
    pipeline
        .set_state(gst::State::Playing)
        .map_err(InputError::media)?;
    Ok((pipeline, sink))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::loader_for;

    /// A guided step's failure is kept as data: the step reads in the language of whoever
    /// opens the check later, and GStreamer's own words stay as they came.
    #[test]
    fn a_failed_guided_step_is_kept_as_data() {
        let step = Step::failed("spoken", "Судья", InputError::NoMicrophone.into());
        assert_eq!(step.detail.text_in(&loader_for("kk")), "Микрофон табылмады");
        assert_eq!(step.detail.text_in(&loader_for("ru")), "Микрофон не найден");
        let kept = serde_json::to_value(Said::from(InputError::PlaybackTimeout)).expect("data");
        assert_eq!(kept["id"], "check-playback-timeout", "{kept}");
        let words = Said::from(InputError::media("no element \"pulsesrc\""));
        assert_eq!(words.text_in(&loader_for("kk")), "no element \"pulsesrc\"");
    }
}
