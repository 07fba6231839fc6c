//! A microphone unplugged while it records, on a real sound server (PulseAudio, private to
//! the test): the server moves the recording stream to another microphone without a word.
//! Hattama notices the move at once, records silence in its place (never the other
//! microphone), says so as an incident, and takes the microphone back when it is plugged in
//! again, in the same part.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use chrono::Utc;
use common::*;

/// A PulseAudio server of its own, in a temporary folder; ended with the test.
struct SoundServer {
    server: Child,
    tones: Vec<Child>,
    address: String,
    _folder: tempfile::TempDir,
}

impl SoundServer {
    fn start() -> SoundServer {
        let folder = tempfile::tempdir().expect("temporary folder");
        let socket = folder.path().join("native");
        let server = Command::new("pulseaudio")
            .args([
                "-n",
                "--daemonize=no",
                "--exit-idle-time=-1",
                "--use-pid-file=no",
            ])
            .arg(format!(
                "--load=module-native-protocol-unix auth-anonymous=1 socket={}",
                socket.display()
            ))
            .arg("--load=module-null-sink sink_name=out")
            .env("HOME", folder.path())
            .env("XDG_RUNTIME_DIR", folder.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("pulseaudio runs (make test installs it)");
        let address = format!("unix:{}", socket.display());
        let sound = SoundServer {
            server,
            tones: Vec::new(),
            address,
            _folder: folder,
        };
        let deadline = Instant::now() + Duration::from_secs(10);
        while !sound.pactl(&["info"]).status.success() {
            assert!(Instant::now() < deadline, "the sound server answers");
            std::thread::sleep(Duration::from_millis(100));
        }
        sound
    }

    fn pactl(&self, args: &[&str]) -> std::process::Output {
        Command::new("pactl")
            .args(args)
            .env("PULSE_SERVER", &self.address)
            .output()
            .expect("pactl runs")
    }

    fn load(&self, args: &[&str]) {
        let loaded = self.pactl(&[&["load-module"], args].concat());
        assert!(loaded.status.success(), "{}", text(&loaded.stderr));
    }

    /// A sound card `card` hearing a tone of `frequency` Hz: a null sink the tone is played
    /// into. Its monitor ("Monitor of …") is offered as a source too, which is not a
    /// microphone and must not be recorded unless named.
    fn card(&mut self, card: &str, frequency: u32) {
        self.load(&[
            "module-null-sink",
            &format!("sink_name={card}"),
            &format!("sink_properties=device.description={card}"),
        ]);
        let tone = Command::new("gst-launch-1.0")
            .args([
                "-q",
                "audiotestsrc",
                "is-live=true",
                &format!("freq={frequency}"),
                "!",
                "pulsesink",
                &format!("device={card}"),
            ])
            .env("PULSE_SERVER", &self.address)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("gst-launch-1.0 runs");
        self.tones.push(tone);
        // Playing once the server has one stream per tone.
        let deadline = Instant::now() + Duration::from_secs(10);
        while text(&self.pactl(&["list", "short", "sink-inputs"]).stdout)
            .lines()
            .count()
            < self.tones.len()
        {
            assert!(Instant::now() < deadline, "the tone plays into {card}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Plugs in microphone `name`, hearing what `card` hears: a source of its own.
    fn plug(&self, card: &str, name: &str) {
        self.load(&[
            "module-remap-source",
            &format!("master={card}.monitor"),
            &format!("source_name={name}"),
            &format!("source_properties=device.description={name}"),
        ]);
    }

    /// Unplugs microphone `name`: its source goes away.
    fn unplug(&self, name: &str) {
        let modules = text(&self.pactl(&["list", "short", "modules"]).stdout);
        let module = modules
            .lines()
            .find(|line| line.contains(&format!("source_name={name}")))
            .and_then(|line| line.split_whitespace().next())
            .unwrap_or_else(|| panic!("{name} is plugged in: {modules}"))
            .to_owned();
        let unloaded = self.pactl(&["unload-module", &module]);
        assert!(unloaded.status.success(), "{}", text(&unloaded.stderr));
    }
}

impl Drop for SoundServer {
    fn drop(&mut self) {
        for child in self.tones.iter_mut().chain([&mut self.server]) {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// The loudness (dBFS) of each half second of audio stream `index`, decoded whole (seeking
/// into the file can land past what is asked).
fn loudness(file: &Path, index: usize) -> Vec<f64> {
    let output = Command::new("ffmpeg")
        .args(["-v", "error", "-i"])
        .arg(file)
        .args(["-map", &format!("0:a:{index}"), "-ac", "1", "-ar", "8000"])
        .args(["-f", "s16le", "-"])
        .output()
        .expect("ffmpeg runs");
    let samples: Vec<f64> = output
        .stdout
        .chunks_exact(2)
        .map(|pair| f64::from(i16::from_le_bytes([pair[0], pair[1]])) / 32768.0)
        .collect();
    samples
        .chunks(4000)
        .map(|window| {
            let power = window.iter().map(|s| s * s).sum::<f64>() / window.len() as f64;
            10.0 * (power + 1e-12).log10()
        })
        .collect()
}

/// The audio stream (0 is the mix) holding input `name`'s track, and its input id.
fn track_of(report: &serde_json::Value, name: &str) -> (usize, String) {
    let inputs = report["inputs"].as_array().expect("inputs");
    let id = inputs
        .iter()
        .find(|input| input["name"] == name)
        .and_then(|input| input["id"].as_str())
        .unwrap_or_else(|| panic!("{name} recorded: {inputs:?}"))
        .to_owned();
    let tracks = report["tracks"].as_array().expect("tracks");
    let at = tracks
        .iter()
        .position(|track| track["id"] == id.as_str())
        .unwrap_or_else(|| panic!("a track of {id}: {tracks:?}"));
    (at - 1, id)
}

#[test]
fn an_unplugged_microphone_is_never_replaced_by_another_and_comes_back() {
    let _turn = one_recording_at_a_time();
    let mut sound = SoundServer::start();
    sound.card("bench", 440);
    sound.card("table", 880);
    sound.plug("bench", "Judge");
    // The other microphone the server would move the judge's stream to.
    sound.plug("table", "Witness");
    let folder = tempfile::tempdir().expect("temporary folder");
    let data = folder.path().join("data");
    let config = folder.path().join("config.toml");
    // Every microphone found, as a fresh installation records.
    std::fs::write(&config, "[recording]\nprofile = \"480p25\"\n").expect("config");
    let recording = record_with(&config, &data, 16, "2-77/2026")
        .env("PULSE_SERVER", &sound.address)
        .spawn()
        .expect("hattama record starts");
    let began = wait_until_recording(&data);
    std::thread::sleep(Duration::from_secs(4));
    sound.unplug("Judge");
    let unplugged = Utc::now();
    std::thread::sleep(Duration::from_secs(4));
    sound.plug("bench", "Judge");
    let plugged = Utc::now();
    let output = recording.wait_with_output().expect("hattama record ends");
    let stderr = text(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(report["state"], "finished", "{report}");
    // The two microphones, not the cards' monitors.
    let inputs = report["inputs"].to_string();
    assert!(
        !inputs.contains("Monitor of"),
        "no monitor recorded: {inputs}"
    );
    let (judge, judge_id) = track_of(&report, "Judge");
    let (witness, _) = track_of(&report, "Witness");

    // One incident: the judge's microphone moved, noticed at once; over when it is back.
    let incidents = report["incidents"].as_array().expect("incidents");
    assert_eq!(incidents.len(), 1, "{incidents:?}");
    let incident = &incidents[0];
    assert_eq!(incident["input"], judge_id.as_str());
    assert!(
        incident["details"]
            .as_str()
            .is_some_and(|d| d.contains("moved")),
        "{incident}"
    );
    let time = |field: &str| {
        chrono::DateTime::parse_from_rfc3339(incident[field].as_str().expect("a time"))
            .expect("RFC 3339")
            .with_timezone(&Utc)
    };
    let noticed = (time("started_at") - unplugged).num_milliseconds();
    assert!(
        (-500..1500).contains(&noticed),
        "noticed {noticed} ms after"
    );
    let back = (time("ended_at") - plugged).num_milliseconds();
    assert!(
        (0..6500).contains(&back),
        "back {back} ms after plugging in"
    );

    // The judge's track: the tone, then silence (never the other microphone), then the
    // tone again; the part verifies.
    let part = PathBuf::from(report["part"].as_str().expect("part"));
    let file = first_recording(&part);
    let halves = loudness(&file, judge);
    let at = |wall: chrono::DateTime<Utc>| {
        ((wall - began).num_milliseconds() as f64 / 500.0).round() as usize
    };
    let (out_from, out_to) = (at(time("started_at")) + 1, at(time("ended_at")) - 1);
    assert!(
        out_to > out_from + 4,
        "out for seconds: {out_from}..{out_to}"
    );
    let shown = format!("{halves:.0?}, out {out_from}..{out_to}");
    assert!(
        halves[2..out_from - 2].iter().all(|db| *db > -20.0),
        "heard before: {shown}"
    );
    assert!(
        halves[out_from..out_to].iter().all(|db| *db < -80.0),
        "silence while unplugged, not the other microphone: {shown}"
    );
    let end = halves.len() - 1;
    assert!(
        halves[end - 4..end].iter().all(|db| *db > -20.0),
        "heard again: {shown}"
    );
    let witness = loudness(&file, witness);
    assert!(
        witness[2..end - 1].iter().all(|db| *db > -20.0),
        "the witness heard throughout: {witness:.0?}"
    );
    let duration = container_duration(&file).expect("a duration");
    assert!((15.5..17.5).contains(&duration), "{duration} s for 16");
    let (ok, json) = verify(&data, &part, &[]);
    assert!(ok, "{:?}", failed(&json));
}
