//! Failures during a session (rules 27–29), made for real: a network microphone whose
//! sender is killed and started again, a camera whose stream ends, a microphone whose
//! pipeline errors, a network microphone over TCP whose server goes away for good. The
//! other inputs go on recording, a lost input that can be opened again records again in
//! the same part, every incident is kept with its times, written into the protocol, and
//! the part seals and verifies.

mod common;

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use chrono::{DateTime, Utc};
use common::*;

/// Sends a 300 Hz tone as raw audio over UDP to `port`, as a network microphone does.
fn udp_microphone(port: u16) -> Child {
    Command::new("gst-launch-1.0")
        .args([
            "-q",
            "audiotestsrc",
            "is-live=true",
            "wave=sine",
            "freq=300",
            "!",
            "audio/x-raw,format=S16LE,rate=48000,channels=1,layout=interleaved",
            "!",
            "udpsink",
            "host=127.0.0.1",
            &format!("port={port}"),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("gst-launch-1.0 runs")
}

/// Serves a 500 Hz tone as raw audio over TCP on `port`, as a network microphone does.
fn tcp_microphone(port: u16) -> Child {
    let child = Command::new("gst-launch-1.0")
        .args([
            "-q",
            "audiotestsrc",
            "is-live=true",
            "wave=sine",
            "freq=500",
            "!",
            "audio/x-raw,format=S16LE,rate=48000,channels=1,layout=interleaved",
            "!",
            "tcpserversink",
            "host=127.0.0.1",
            &format!("port={port}"),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("gst-launch-1.0 runs");
    let listening = (0..100).any(|_| {
        std::thread::sleep(Duration::from_millis(50));
        std::net::TcpStream::connect(("127.0.0.1", port)).is_ok()
    });
    assert!(listening, "the TCP microphone listens on {port}");
    child
}

fn tcp_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("a TCP port")
        .local_addr()
        .expect("address")
        .port()
}

fn udp_port() -> u16 {
    std::net::UdpSocket::bind("127.0.0.1:0")
        .expect("a UDP port")
        .local_addr()
        .expect("address")
        .port()
}

/// Mean volume (dB) of audio stream `index` between `from` and `to` seconds.
fn mean_volume(file: &std::path::Path, index: usize, from: f64, to: f64) -> f64 {
    let output = Command::new("ffmpeg")
        .args(["-hide_banner", "-nostats", "-ss", &from.to_string(), "-to"])
        .arg(to.to_string())
        .arg("-i")
        .arg(file)
        .args([
            "-map",
            &format!("0:a:{index}"),
            "-af",
            "volumedetect",
            "-f",
            "null",
            "-",
        ])
        .output()
        .expect("ffmpeg runs");
    let log = text(&output.stderr);
    log.lines()
        .find_map(|line| line.split("mean_volume: ").nth(1))
        .and_then(|rest| rest.trim_end_matches(" dB").trim().parse().ok())
        .unwrap_or_else(|| panic!("no volume for stream {index}: {log}"))
}

/// The share of mid-grey pixels in the right half of the picture at `at` seconds: camera 2's
/// snow there is mostly mid-grey, its black "no signal" stand-in almost none.
fn snow_on_the_right(file: &std::path::Path, at: f64) -> f64 {
    let output = Command::new("ffmpeg")
        .args(["-v", "error", "-ss", &at.to_string(), "-i"])
        .arg(file)
        .args([
            "-frames:v",
            "1",
            "-vf",
            "crop=iw/2:ih:iw/2:0,format=gray",
            "-f",
            "rawvideo",
            "-",
        ])
        .output()
        .expect("ffmpeg runs");
    let pixels = output.stdout;
    assert!(
        !pixels.is_empty(),
        "a frame at {at} s: {}",
        text(&output.stderr)
    );
    let grey = pixels.iter().filter(|p| (40..=215).contains(*p)).count();
    grey as f64 / pixels.len() as f64
}

struct Row {
    kind: String,
    input: String,
    started: DateTime<Utc>,
    ended: Option<DateTime<Utc>>,
    details: String,
}

fn incidents(data: &std::path::Path) -> Vec<Row> {
    let parse = |text: String| {
        DateTime::parse_from_rfc3339(&text)
            .expect("RFC 3339")
            .with_timezone(&Utc)
    };
    let db = database(data);
    let mut statement = db
        .prepare("SELECT kind, input, started_at, ended_at, details FROM incidents ORDER BY id")
        .expect("query");
    statement
        .query_map([], |row| {
            Ok(Row {
                kind: row.get(0)?,
                input: row.get(1)?,
                started: parse(row.get(2)?),
                ended: row.get::<_, Option<String>>(3)?.map(parse),
                details: row.get(4)?,
            })
        })
        .expect("rows")
        .collect::<Result<_, _>>()
        .expect("incidents")
}

#[test]
fn inputs_that_stall_end_or_fail_are_incidents_and_everything_else_keeps_recording() {
    let _turn = one_recording_at_a_time();
    let folder = tempfile::tempdir().expect("temporary folder");
    let data = folder.path().join("data");
    let port = udp_port();
    let tcp = tcp_port();
    let config = folder.path().join("config.toml");
    std::fs::write(
        &config,
        format!(
            r#"[recording]
profile = "480p25"
demo_when_no_devices = false
microphone_silent_s = 3
reconnect_every_s = 5
[[recording.network_inputs]]
kind = "camera"
name = "Зал"
pipeline = "videotestsrc is-live=true pattern=ball"
[[recording.network_inputs]]
kind = "camera"
name = "Камера 2"
pipeline = "videotestsrc is-live=true pattern=snow num-buffers=150"
[[recording.network_inputs]]
kind = "microphone"
name = "Судья"
pipeline = "audiotestsrc is-live=true wave=sine freq=440"
[[recording.network_inputs]]
kind = "microphone"
name = "Свидетель"
pipeline = "udpsrc port={port} caps=\"audio/x-raw,format=S16LE,rate=48000,channels=1,layout=interleaved\""
[[recording.network_inputs]]
kind = "microphone"
name = "Прокурор"
pipeline = "audiotestsrc is-live=true wave=sine freq=700 ! identity error-after=300"
[[recording.network_inputs]]
kind = "microphone"
name = "Адвокат"
pipeline = "audiotestsrc is-live=true wave=silence"
[[recording.network_inputs]]
kind = "microphone"
name = "Эксперт"
pipeline = "tcpclientsrc host=127.0.0.1 port={tcp} ! rawaudioparse use-sink-caps=false format=pcm pcm-format=s16le sample-rate=48000 num-channels=1"
"#
        ),
    )
    .expect("config");
    let mut sender = udp_microphone(port);
    let mut expert = tcp_microphone(tcp);
    let recording = record_with(&config, &data, 16, "2-31/2026")
        .spawn()
        .expect("hattama record starts");
    let began = wait_until_recording(&data);
    // 4 s in, the witness's network microphone goes away; 5 s later it is back. The
    // expert's goes away for good at the same time: every try to open it is refused.
    std::thread::sleep(Duration::from_secs(4));
    let _ = sender.kill();
    let _ = expert.kill();
    let _ = sender.wait();
    let _ = expert.wait();
    let lost_at = Utc::now();
    std::thread::sleep(Duration::from_secs(5));
    let mut sender = udp_microphone(port);
    let back_at = Utc::now();
    let output = {
        let output = recording.wait_with_output().expect("hattama record ends");
        let _ = sender.kill();
        let _ = sender.wait();
        output
    };
    let stderr = text(&output.stderr);
    assert!(output.status.success(), "the part goes on: {stderr}");
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(report["state"], "finished", "{report}");
    assert_eq!(
        report["incidents"].as_array().map(Vec::len),
        Some(5),
        "the report lists them: {report}"
    );
    assert!(stderr.contains("INCIDENT"), "said loudly: {stderr}");

    let rows = incidents(&data);
    let kinds = |rows: &[Row]| -> Vec<String> {
        rows.iter()
            .map(|r| format!("{} {} {}", r.input, r.kind, r.details))
            .collect()
    };
    let find = |input: &str| {
        rows.iter()
            .find(|row| row.input == input)
            .unwrap_or_else(|| panic!("an incident of {input}: {:?}", kinds(&rows)))
    };
    assert!(
        rows.iter()
            .all(|row| row.input != "camera-1" && row.input != "microphone-1"),
        "nothing wrong with the hall camera and the judge: {:?}",
        kinds(&rows)
    );
    // The witness: stopped within a second of the kill (its last packet), counted as
    // stopped once 3 s passed, and over when packets came again.
    let witness = find("microphone-2");
    assert_eq!(witness.kind, "input-stopped");
    let off = (witness.started - lost_at).num_milliseconds();
    assert!(
        (-1500..=500).contains(&off),
        "began at the last packet: {off} ms"
    );
    let ended = witness.ended.expect("the witness came back");
    let late = (ended - back_at).num_milliseconds();
    assert!(
        (0..=2500).contains(&late),
        "ended when packets came: {late} ms"
    );
    // Camera 2's stream ended after 150 frames (6 s); tried again 5 s later, it opens and
    // records again (another 150 frames, past the part's end).
    let camera = find("camera-2");
    assert_eq!(camera.kind, "input-stopped");
    let at = (camera.started - began).num_milliseconds();
    assert!(
        (4000..=9000).contains(&at),
        "camera 2 ended about 6 s in: {at} ms"
    );
    let out_for = (camera.ended.expect("camera 2 came back") - camera.started).num_milliseconds();
    assert!(
        (4000..=7500).contains(&out_for),
        "camera 2 was out about 5 s: {out_for} ms"
    );
    // The prosecutor's microphone failed (identity's error after 300 buffers, ~7 s); it
    // too is opened again and heard to the end.
    let prosecutor = find("microphone-3");
    assert_eq!(prosecutor.kind, "input-error");
    assert!(
        prosecutor.details.contains("iterations"),
        "{}",
        prosecutor.details
    );
    let failed_at = (prosecutor.started - began).num_milliseconds() as f64 / 1000.0;
    let prosecutor_out = (prosecutor.ended.expect("back") - prosecutor.started).num_milliseconds();
    assert!(
        (4000..=7500).contains(&prosecutor_out),
        "the prosecutor was out about 5 s: {prosecutor_out} ms"
    );
    // The expert's server went away with the witness's sender and never came back: out
    // from then to the part's end, every try refused.
    let expert = find("microphone-5");
    assert_eq!(expert.kind, "input-stopped");
    let off = (expert.started - lost_at).num_milliseconds();
    assert!((-1500..=1500).contains(&off), "ended at the kill: {off} ms");
    let to_end = (expert.ended.expect("closed with the part") - lost_at).num_milliseconds();
    assert!(to_end > 10_000, "out to the part's end: {to_end} ms");

    // In the protocol, where they happened.
    let db = database(&data);
    let entries: Vec<(String, Option<i64>)> = db
        .prepare(
            "SELECT text, offset_ms FROM protocol_entries WHERE kind = 'incident' ORDER BY seq",
        )
        .expect("query")
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
        .expect("rows")
        .collect::<Result<_, _>>()
        .expect("entries");
    assert_eq!(
        entries.len(),
        8,
        "five incidents and three returns: {entries:?}"
    );
    assert!(entries.iter().all(|(_, offset)| offset.is_some()));
    for back in ["Свидетель", "Камера 2", "Прокурор"] {
        assert!(
            entries
                .iter()
                .any(|(text, _)| text.contains(&format!("{back} delivers again"))),
            "{back} back: {entries:?}"
        );
    }

    // The file: every track runs to the end; the judge is heard to the end; the prosecutor's
    // track is silence (the stand-in) while the microphone was out and sound again after;
    // the expert's is silence from the kill to the end.
    let part = std::path::PathBuf::from(report["part"].as_str().expect("part"));
    let file = first_recording(&part);
    let duration = container_duration(&file).expect("a duration");
    assert!(duration > 15.0, "{duration}");
    let streams = ffprobe_json(&file, &["-show_streams"]);
    let streams = streams["streams"].as_array().expect("streams");
    assert_eq!(streams.len(), 7, "video, the mix and five microphones");
    let judge = mean_volume(&file, 1, duration - 3.0, duration);
    assert!(judge > -30.0, "the judge is heard to the end: {judge} dB");
    let witness_back = mean_volume(&file, 2, duration - 3.0, duration);
    assert!(
        witness_back > -40.0,
        "the witness is heard again: {witness_back} dB"
    );
    let out = mean_volume(&file, 3, failed_at + 1.0, failed_at + 3.0);
    assert!(out < -80.0, "silence while it was out: {out} dB");
    let prosecutor = mean_volume(&file, 3, duration - 2.0, duration);
    assert!(prosecutor > -40.0, "heard again: {prosecutor} dB");
    let expert_before = mean_volume(&file, 5, 1.0, 3.0);
    assert!(
        expert_before > -40.0,
        "the expert heard at first: {expert_before} dB"
    );
    let expert_after = mean_volume(&file, 5, duration - 3.0, duration);
    assert!(
        expert_after < -80.0,
        "silence after the expert's server went: {expert_after} dB"
    );
    let frames = video_timestamps(&file);
    assert!(
        frames.len() as f64 > duration * 25.0 * 0.95,
        "the picture went on: {} frames in {duration} s",
        frames.len()
    );
    // Camera 2 in its cell: snow, the black stand-in while it was out, snow again a second
    // before the last frame (the container's end is its longest stream's, and a loaded
    // machine's last frames may come up to the 5 % allowed above before it).
    let last_frame = frames.iter().copied().fold(0.0, f64::max);
    let camera_out = (camera.started - began).num_milliseconds() as f64 / 1000.0;
    for (at, snow) in [
        (2.0, true),
        (camera_out + 2.0, false),
        (last_frame - 1.0, true),
    ] {
        let share = snow_on_the_right(&file, at);
        assert_eq!(share > 0.5, snow, "camera 2 at {at} s: {share} mid-grey");
    }
    let (ok, json) = verify(&data, &part, &[]);
    assert!(ok, "the part verifies: {:?}", failed(&json));
    // The review, from the sealed folder alone, marks them on the seek bar.
    let reviews = hattama::review::Review::open(&part, &folder.path().join("unpack"))
        .expect("the folder reviews");
    let marks = reviews[0].marks(1, &hattama::review::Query::default());
    let incidents = marks
        .iter()
        .filter(|mark| mark.kind == hattama::review::MarkKind::Incident)
        .count();
    assert_eq!(incidents, 8, "{marks:?}");
}
