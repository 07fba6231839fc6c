//! The daily equipment check (rules 7, 11, 17): every camera gives a live picture (not
//! frozen, not black), every microphone and the remote-audio input give sound, the disk holds
//! a day of recording at the current profile, the court's key signs and verifies, and the
//! court server, ҚР СО БААТЖ and the replica answer. Each step passes, fails with its reason,
//! or is skipped with its reason. The check is made by the head of the office in first
//! instance and by the service organisation's employee elsewhere; its result is stored.

use std::path::Path;
use std::time::{Duration, Instant};

use gstreamer as gst;
use gstreamer::prelude::*;
use gstreamer_app as gst_app;

use crate::config::{Config, Instance};
use crate::paths::Paths;
use crate::recorder::InputKind;
use crate::recorder::devices::{self, DeviceKind};
use crate::recorder::pipeline::launch_source;
use crate::tr;

/// How long a camera or a microphone is watched.
const WATCH: Duration = Duration::from_secs(2);
/// A court's working day, the recording the disk must hold.
pub const DAY_HOURS: u64 = 9;

pub use crate::store::{Step, StepState};

/// Who makes the check, by the court's instance (rules 7, 11).
pub fn role_of(instance: Instance) -> &'static str {
    match instance {
        Instance::First => "head-of-office",
        _ => "service-organisation",
    }
}

pub fn role_label(role: &str) -> String {
    match role {
        "head-of-office" => tr!("check-role-head-of-office"),
        _ => tr!("check-role-service-organisation"),
    }
}

/// Every step a machine can make alone.
pub fn automatic(paths: &Paths, config: &Config) -> Vec<Step> {
    let mut steps = inputs(config);
    steps.push(disk(paths, config));
    match crate::seal::service_socket(paths, &config.signing) {
        Some(socket) => steps.push(service(&socket)),
        None => {
            steps.push(key(paths));
            steps.extend(certificate(&config.signing));
        }
    }
    steps.push(secrets(paths));
    steps.extend(servers(config));
    steps
}

/// The cameras and microphones the recording uses (the configured ones, or all found).
fn inputs(config: &Config) -> Vec<Step> {
    let found = match devices::list() {
        Ok(found) => found,
        Err(error) => {
            return vec![Step::new("camera", "", Err(error.to_string()))];
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
                    Err(tr!("check-device-missing", name = name.clone())),
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
                    DeviceKind::Camera => tr!("check-no-camera"),
                    DeviceKind::Microphone => tr!("check-no-microphone"),
                }),
            ));
        }
        let input_kind = match kind {
            DeviceKind::Camera => InputKind::Camera,
            DeviceKind::Microphone => InputKind::Microphone,
        };
        for device in chosen {
            let source = device.device.create_element(None);
            let result = watched(source.map_err(|e| e.to_string()), input_kind);
            steps.push(Step::new(what, &device.name, result));
        }
        for input in network {
            let source = launch_source(&input.pipeline, input_kind, "check");
            let result = watched(source.map_err(|e| e.to_string()), input_kind);
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
        let result = watched(source.map_err(|e| e.to_string()), InputKind::Remote);
        steps.push(Step::new("remote-audio", &input.name, result));
    } else if remote.is_empty() {
        steps.push(Step::skipped(
            "remote-audio",
            "",
            tr!("check-remote-not-configured"),
        ));
    } else {
        let result = match found
            .iter()
            .find(|d| d.kind == DeviceKind::Microphone && d.name == remote)
        {
            None => Err(tr!("check-device-missing", name = remote.to_owned())),
            Some(device) => watched(
                device
                    .device
                    .create_element(None)
                    .map_err(|e| e.to_string()),
                InputKind::Remote,
            ),
        };
        steps.push(Step::new("remote-audio", remote, result));
    }
    steps
}

/// A camera's or a sound input's step: its source watched for `WATCH`, and the verdict.
fn watched(source: Result<gst::Element, String>, kind: InputKind) -> Result<String, String> {
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
    pub fn verdict(self) -> Result<String, String> {
        if self.frames == 0 {
            Err(tr!("check-no-picture"))
        } else if self.brightness < 40.0 {
            Err(tr!("check-picture-black"))
        } else if self.frames > 1 && self.motion < 0.01 {
            Err(tr!("check-picture-frozen"))
        } else {
            Ok(tr!("check-picture-live", frames = (self.frames as i64)))
        }
    }
}

/// Watches a video source for `how_long`: its frames, small and grey, compared.
pub fn watch_picture(source: gst::Element, how_long: Duration) -> Result<Picture, String> {
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
    pub fn verdict(self) -> Result<String, String> {
        if self.seconds < 0.5 {
            Err(tr!("check-no-sound"))
        } else if self.peak_db < DIGITAL_SILENCE_DB {
            // A live microphone always hears something (the room, its own noise, far above
            // this); nothing at all is a muted or dead input delivering zeros.
            Err(tr!(
                "check-sound-silent",
                peak = (format!("{:.0}", self.peak_db.max(-120.0)))
            ))
        } else {
            Ok(tr!(
                "check-sound",
                peak = (format!("{:.0}", self.peak_db.max(-99.0)))
            ))
        }
    }
}

/// The rate sound is listened to at (mono, 32-bit float).
const LISTEN_RATE: i32 = 16_000;

/// Listens to an audio source for `how_long`.
pub fn watch_sound(source: gst::Element, how_long: Duration) -> Result<Sound, String> {
    capture(source, how_long).map(|samples| sound_of(&samples))
}

/// Every sample an audio source gives in `how_long`.
fn capture(source: gst::Element, how_long: Duration) -> Result<Vec<f32>, String> {
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
    samples: Vec<f32>,
}

/// Listens to `input` for `how_long` while someone speaks into it.
pub fn listen(input: &crate::recorder::Input, how_long: Duration) -> Result<Heard, String> {
    let source = source_element(input)?;
    let samples = capture(source, how_long)?;
    Ok(Heard {
        sound: sound_of(&samples),
        samples,
    })
}

/// A fresh source element for `input`.
pub fn source_element(input: &crate::recorder::Input) -> Result<gst::Element, String> {
    use crate::recorder::inputs::Source;
    match &input.source {
        Source::Device(device) => device.create_element(None).map_err(|e| e.to_string()),
        Source::Launch(description) => {
            launch_source(description, input.kind, "check").map_err(|e| e.to_string())
        }
        Source::Demo => Err(tr!("check-no-microphone")),
    }
}

/// Plays what was heard on the default output, and returns when it has been played.
pub fn play_back(heard: &Heard) -> Result<(), String> {
    gst::init().map_err(|e| e.to_string())?;
    let pipeline = gst::parse::launch(&format!(
        "appsrc name=heard format=time caps=audio/x-raw,format=F32LE,channels=1,rate={LISTEN_RATE},layout=interleaved \
         ! audioconvert ! audioresample ! autoaudiosink"
    ))
    .map_err(|e| e.to_string())?
    .downcast::<gst::Pipeline>()
    .map_err(|_| "not a pipeline".to_owned())?;
    let source = pipeline
        .by_name("heard")
        .and_then(|e| e.downcast::<gst_app::AppSrc>().ok())
        .ok_or("no appsrc")?;
    let bytes: Vec<u8> = heard.samples.iter().flat_map(|s| s.to_le_bytes()).collect();
    let mut buffer = gst::Buffer::from_mut_slice(bytes);
    if let Some(buffer) = buffer.get_mut() {
        buffer.set_pts(gst::ClockTime::ZERO);
    }
    pipeline
        .set_state(gst::State::Playing)
        .map_err(|e| e.to_string())?;
    let pushed = source
        .push_buffer(buffer)
        .map_err(|e| e.to_string())
        .and_then(|_| source.end_of_stream().map_err(|e| e.to_string()));
    let wait = Duration::from_secs_f64(heard.sound.seconds) + Duration::from_secs(5);
    let ended = pushed.and_then(|_| {
        let bus = pipeline.bus().ok_or("no bus")?;
        match bus.timed_pop_filtered(
            gst::ClockTime::from_mseconds(wait.as_millis() as u64),
            &[gst::MessageType::Eos, gst::MessageType::Error],
        ) {
            Some(message) => match message.view() {
                gst::MessageView::Error(error) => Err(error.error().to_string()),
                _ => Ok(()),
            },
            None => Err(tr!("check-playback-timeout")),
        }
    });
    let _ = pipeline.set_state(gst::State::Null);
    ended
}

/// The guided step of one input: spoken into loudly enough, and heard back by the person.
pub fn spoken_step(name: &str, heard: &Heard, heard_back: bool) -> Step {
    let peak = format!("{:.0}", heard.sound.peak_db.max(-99.0));
    let result = if heard.sound.peak_db < SPOKEN_DB {
        Err(tr!("check-not-spoken", peak = peak))
    } else if !heard_back {
        Err(tr!("check-not-heard-back", peak = peak))
    } else {
        Ok(tr!("check-spoken", peak = peak))
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
) -> Result<(gst::Pipeline, gst_app::AppSink), String> {
    gst::init().map_err(|e| e.to_string())?;
    let pipeline = gst::Pipeline::new();
    let mut chain = vec![source];
    for factory in converters {
        chain.push(
            gst::ElementFactory::make(factory)
                .build()
                .map_err(|e| format!("{factory}: {e}"))?,
        );
    }
    let sink = gst_app::AppSink::builder()
        .caps(&caps)
        .max_buffers(4)
        .drop(true)
        .sync(false)
        .build();
    chain.push(sink.clone().upcast());
    pipeline.add_many(&chain).map_err(|e| e.to_string())?;
    gst::Element::link_many(&chain).map_err(|e| e.to_string())?;
    pipeline
        .set_state(gst::State::Playing)
        .map_err(|e| format!("{e}"))?;
    Ok((pipeline, sink))
}

/// Free space for a working day of recording at the configured profile.
fn disk(paths: &Paths, config: &Config) -> Step {
    let profile = crate::recorder::Profile::find(&config.recording.profile, &paths.profiles());
    let per_hour = profile.map_or(1_500_000_000, |p| p.bytes_per_hour(3));
    let needed = per_hour * DAY_HOURS;
    let result = crate::paths::free_bytes(&paths.data).map(|free| (free, free >= needed));
    let gb = |bytes: u64| format!("{:.1}", bytes as f64 / 1e9);
    Step::new(
        "disk",
        &paths.data.display().to_string(),
        match result {
            Ok((free, true)) => Ok(tr!(
                "check-disk-enough",
                free = gb(free),
                needed = gb(needed)
            )),
            Ok((free, false)) => Err(tr!(
                "check-disk-short",
                free = gb(free),
                needed = gb(needed)
            )),
            Err(error) => Err(error),
        },
    )
}

/// The court's key signs, and the signature verifies against the keys it trusts. A key
/// that sealed parts here and is gone is a fault, never replaced by a new one; a data folder
/// that has sealed nothing yet gets its key now, as its first seal would make it.
fn key(paths: &Paths) -> Step {
    let file = crate::seal::Keys::secret_file(&paths.keys());
    if std::fs::symlink_metadata(&file).is_err() && paths.database().exists() {
        let sealed = crate::store::Store::open(&paths.database())
            .and_then(|store| store.sealed_count())
            .unwrap_or(0);
        if sealed > 0 {
            return Step::failed(
                "key",
                &file.display().to_string(),
                tr!("check-key-lost", count = sealed),
            );
        }
    }
    if readable_by_others(&file, 0o077) {
        return Step::failed(
            "key",
            &file.display().to_string(),
            tr!("check-file-open", path = file.display().to_string()),
        );
    }
    let result = crate::seal::Keys::load_or_create(&paths.keys())
        .map_err(|e| e.to_string())
        .and_then(|keys| {
            let message = format!("hattama daily check {}", chrono::Utc::now().to_rfc3339());
            let signature = keys.sign(message.as_bytes(), "daily check", "daily check");
            let trusted = crate::seal::trusted_keys(paths);
            crate::seal::minisig::verify(&trusted, message.as_bytes(), &signature)
                .map(|_| tr!("check-key-ok", id = keys.id_hex()))
                .map_err(|e| e.to_string())
        });
    Step::new("key", "", result)
}

/// The courtroom's signing service answers, signs with its key (and the court's
/// certificate when it has one), and the signature verifies. Down, or its key lost, it is
/// an equipment fault: seals wait for it.
fn service(socket: &Path) -> Step {
    let result = crate::seal::Sealer::service(socket)
        .and_then(|sealer| {
            let message = format!("hattama daily check {}", chrono::Utc::now().to_rfc3339());
            let (signature, _) = sealer.sign_with_court(
                "daily check",
                message.as_bytes(),
                "daily check",
                "daily check",
            )?;
            crate::seal::minisig::verify(&[sealer.public()], message.as_bytes(), &signature)?;
            let certified = sealer.certificate.as_ref().and_then(|c| c.certificate());
            Ok(tr!(
                "check-service-ok",
                id = sealer.id_hex(),
                certified = certified.map_or_else(
                    || tr!("check-service-uncertified"),
                    |c| tr!(
                        "check-service-certified",
                        court = c.court,
                        hall = c.hall,
                        until = c.valid_until
                    )
                ),
                court = sealer
                    .court()
                    .map(|who| format!("; {who}"))
                    .unwrap_or_default()
            ))
        })
        .map_err(|error| error.to_string());
    Step::new("key", &socket.display().to_string(), result)
}

/// The court's certificate (when configured) opens with its password, is valid today and
/// signs; how many days it has left is said, so it is renewed before the seals wait for it.
/// Its password file is readable by no one but the users it is for.
fn certificate(signing: &crate::config::Signing) -> Option<Step> {
    if signing.pkcs12.is_empty() {
        return None;
    }
    let password = Path::new(&signing.pkcs12_password_file);
    if !signing.pkcs12_password_file.is_empty() && readable_by_others(password, 0o004) {
        return Some(Step::failed(
            "certificate",
            &signing.pkcs12,
            tr!("check-file-open", path = password.display().to_string()),
        ));
    }
    let result = crate::seal::cms::CourtCertificate::load(signing)
        .map_err(|error| error.to_string())
        .and_then(|court| {
            let court = court.ok_or_else(String::new)?;
            court
                .sign(b"hattama daily check")
                .map_err(|error| error.to_string())?;
            Ok(tr!(
                "check-certificate-ok",
                who = court.describe(),
                days = court.days_left()
            ))
        });
    Some(Step::new("certificate", &signing.pkcs12, result))
}

/// Whether `path` grants any of `bits` (of its mode) to users other than its owner.
fn readable_by_others(path: &Path, bits: u32) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|meta| meta.permissions().mode() & bits != 0)
}

/// The files holding the court's secrets (tokens, S3 keys, the mail password) are not
/// readable by every user of the computer: the court's file at most by its group
/// (`root:hattama 0640`), a user's own by that user alone (0600).
fn secrets(paths: &Paths) -> Step {
    let holds_secrets = |path: &Path| {
        std::fs::read_to_string(path).is_ok_and(|text| {
            text.parse::<toml::Table>().is_ok_and(|table| {
                table
                    .get("delivery")
                    .and_then(|d| d.as_table())
                    .is_some_and(|delivery| {
                        delivery.iter().any(|(key, value)| {
                            (key.ends_with("_token")
                                || key.ends_with("_secret_key")
                                || key.ends_with("_password"))
                                && value.as_str().is_some_and(|v| !v.is_empty())
                        })
                    })
            })
        })
    };
    let files = [
        (paths.system_config.clone(), 0o007),
        (Some(paths.config_file.clone()), 0o077),
    ];
    let open: Vec<String> = files
        .into_iter()
        .filter_map(|(path, bits)| path.map(|path| (path, bits)))
        .filter(|(path, bits)| holds_secrets(path) && readable_by_others(path, *bits))
        .map(|(path, _)| path.display().to_string())
        .collect();
    match open.first() {
        Some(path) => Step::failed(
            "secrets",
            path,
            tr!("check-secrets-open", path = path.clone()),
        ),
        None => Step::new("secrets", "", Ok(tr!("check-secrets-closed"))),
    }
}

/// What a receiver's answer to the probe says, as a step's result.
fn probed(answer: crate::delivery::Probed) -> Result<String, String> {
    use crate::delivery::Probed;
    match answer {
        Probed::Ready(_) => Ok(tr!("check-reachable")),
        Probed::Refused(status) => Err(tr!("check-token-refused", status = status)),
        Probed::NotThere(status) => Err(tr!("check-not-there", status = status)),
        Probed::Failing(status) => Err(tr!("check-server-failing", status = status)),
        Probed::Unreachable(reason) => Err(reason),
    }
}

/// The court server, the archive, ҚР СО БААТЖ, the replica, the hall-status target, the
/// webhook and the mail server answer as they must to take a delivery (each skipped if not
/// configured): a wrong token, a wrong address or a server in trouble fails its step.
fn servers(config: &Config) -> Vec<Step> {
    let delivery = &config.delivery;
    let mut steps = Vec::new();
    let mut targets = vec![("server", delivery.server_target())];
    // The other instances' servers (rule 26), where configured.
    for (what, instance) in [
        ("server-cassation", "cassation"),
        ("server-supervisory", "supervisory"),
    ] {
        let target = delivery.server_for(instance);
        if target.url != delivery.server {
            targets.push((what, target));
        }
    }
    targets.extend([
        ("archive", delivery.archive_target()),
        ("replica", delivery.replica_target()),
    ]);
    for (what, target) in targets {
        if target.url.is_empty() {
            steps.push(Step::skipped(what, "", tr!("check-not-configured")));
            continue;
        }
        steps.push(Step::new(
            what,
            target.url,
            crate::delivery::upload::reachable(target).map(|()| tr!("check-reachable")),
        ));
    }
    if delivery.baatzh_url.is_empty() && delivery.baatzh_drop_folder.is_empty() {
        steps.push(Step::skipped("baatzh", "", tr!("check-not-configured")));
    } else if !delivery.baatzh_url.is_empty() {
        let answer = crate::delivery::probe(
            &delivery.baatzh_url,
            &delivery.baatzh_token,
            true,
            delivery.timeout_ms,
        );
        steps.push(Step::new("baatzh", &delivery.baatzh_url, probed(answer)));
    } else {
        let folder = Path::new(&delivery.baatzh_drop_folder);
        steps.push(Step::new(
            "baatzh",
            &delivery.baatzh_drop_folder,
            if folder.is_dir() {
                Ok(tr!("check-reachable"))
            } else {
                Err(tr!("check-folder-missing"))
            },
        ));
    }
    steps.push(status_target(delivery));
    let webhook = delivery.notify_webhook.trim();
    steps.push(if webhook.is_empty() {
        Step::skipped("webhook", "", tr!("check-not-configured"))
    } else {
        let answer = crate::delivery::probe(webhook, "", false, delivery.timeout_ms);
        Step::new("webhook", webhook, probed(answer))
    });
    steps.push(mail(delivery));
    steps
}

/// The hall's status goes to a folder that is there, or a portal that answers.
fn status_target(delivery: &crate::config::Delivery) -> Step {
    let target = delivery.status_target.trim();
    if target.is_empty() {
        return Step::skipped("status", "", tr!("check-not-configured"));
    }
    if target.contains("://") {
        let answer = crate::delivery::probe(target, "", false, delivery.timeout_ms);
        return Step::new("status", target, probed(answer));
    }
    let folder = crate::paths::folder_of(Path::new(target));
    Step::new(
        "status",
        target,
        if folder.is_dir() {
            Ok(tr!("check-reachable"))
        } else {
            Err(tr!("check-folder-missing"))
        },
    )
}

/// The mail server takes a connection (and the login, when one is configured).
fn mail(delivery: &crate::config::Delivery) -> Step {
    let server = delivery.smtp_server.trim();
    if server.is_empty() {
        return Step::skipped("mail", "", tr!("check-not-configured"));
    }
    let result = crate::delivery::notify::smtp_transport(delivery)
        .and_then(|transport| {
            transport
                .test_connection()
                .map_err(|error| error.to_string())
        })
        .and_then(|answered| {
            if answered {
                Ok(tr!("check-reachable"))
            } else {
                Err(tr!("check-mail-refused"))
            }
        });
    Step::new("mail", server, result)
}

/// A kept check as a printable page: who, their role, when, court and hall, each step.
pub fn page(check: &crate::store::EquipmentCheck, zone: chrono::FixedOffset) -> String {
    use crate::page::{escape, three};
    let at = check
        .at()
        .map(|at| at.with_timezone(&zone).format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_else(|| check.at.clone());
    let mut rows = String::new();
    for step in &check.steps {
        let state = match step.state {
            StepState::Passed => "✔",
            StepState::Failed => "✖",
            StepState::Skipped => "–",
        };
        rows.push_str(&format!(
            "<tr><td>{state}</td><td>{}</td><td>{}</td></tr>\n",
            escape(&step.label()),
            escape(&step.detail)
        ));
    }
    let title = three("check-page-title");
    let outcome = if check.passed {
        tr!("check-passed")
    } else {
        let count = check.failed().count() as i64;
        tr!("check-failed", count = count)
    };
    crate::page::html(
        &format!("{title}: {at}"),
        &format!(
            "<h1>{title}</h1>\n<p>{court}, {hall}</p>\n<p>{at} — {by} ({role})</p>\n\
             <table>\n<tr><th></th><th>{step}</th><th>{detail}</th></tr>\n{rows}</table>\n\
             <p><b>{outcome}</b></p>\n<p>{signature}: ______________________</p>\n",
            title = escape(&title),
            court = escape(&check.court),
            hall = escape(&tr!("check-page-hall", hall = check.hall.clone())),
            at = escape(&at),
            by = escape(&check.by_name),
            role = escape(&role_label(&check.role)),
            step = escape(&three("check-page-step")),
            detail = escape(&three("check-page-detail")),
            outcome = escape(&outcome),
            signature = escape(&three("check-page-signature")),
        ),
    )
}
