//! Recording through the real binary with real GStreamer pipelines; ffprobe checks the files.

mod common;

use std::process::Command;
use std::time::Duration;

use common::*;

#[test]
fn ten_seconds_of_demo_inputs_make_a_complete_file() {
    let _turn = one_recording_at_a_time();
    let data = tempfile::tempdir().expect("temporary folder");
    let data_arg = data.path().to_str().expect("UTF-8 path");
    let output = run(&[
        "record",
        "--demo",
        "--for",
        "10",
        "--json",
        "--case",
        "2-1234/2026",
        "--data",
        data_arg,
    ]);
    assert!(
        output.status.success(),
        "record succeeds: {}",
        text(&output.stderr)
    );
    assert!(
        text(&output.stderr).contains("Recording demo inputs"),
        "demo inputs are announced, never silent: {}",
        text(&output.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON report");
    assert_eq!(report["state"], "finished");
    assert_eq!(report["case"], "2-1234/2026");
    // A live recording drops a frame rather than fall behind: one in these 250 was seen once
    // on the 2-core CI machine under load (stop 16); more than that is a fault.
    assert!(
        report["dropped_frames"].as_u64().is_some_and(|n| n <= 1),
        "no dropped frames but a rare one: {report}"
    );
    assert!(
        report["inputs"]
            .as_array()
            .expect("inputs")
            .iter()
            .all(|i| i["demo"] == true)
    );
    let recordings = report["recordings"].as_array().expect("recording files");
    assert_eq!(
        recordings.len(),
        1,
        "ten seconds fit the first file: {report}"
    );
    let file = std::path::PathBuf::from(recordings[0].as_str().expect("recording path"));
    assert!(file.ends_with("recording-001.mkv"), "{}", file.display());
    assert!(
        file.starts_with(data.path()),
        "the part lives in the data folder"
    );

    let streams = ffprobe_json(
        &file,
        &[
            "-show_entries",
            "stream=index,codec_type,codec_name:stream_tags",
        ],
    );
    let streams = streams["streams"].as_array().expect("streams");
    let kinds: Vec<(&str, &str)> = streams
        .iter()
        .map(|s| {
            (
                s["codec_type"].as_str().unwrap_or(""),
                s["codec_name"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        [
            ("video", "h264"),
            ("audio", "aac"),
            ("audio", "aac"),
            ("audio", "aac")
        ],
        "H.264 video, then the mix, the microphone and the remote input"
    );
    let video = ffprobe_json(
        &file,
        &[
            "-select_streams",
            "v:0",
            "-show_entries",
            "stream=pix_fmt,profile",
        ],
    );
    assert_eq!(
        video["streams"][0]["pix_fmt"], "yuv420p",
        "4:2:0 plays in every player"
    );
    assert_eq!(video["streams"][0]["profile"], "High");
    let title = |index: usize| {
        let tags = &streams[index]["tags"];
        // GStreamer 1.22's matroskamux stores stream titles as serialized strings.
        let raw = tags["title"]
            .as_str()
            .or(tags["TITLE"].as_str())
            .unwrap_or("");
        raw.trim_matches('"').replace("\\ ", " ")
    };
    assert_eq!(
        title(1),
        "Mix of all inputs",
        "the mix is the first audio track"
    );
    assert_eq!(title(3), "Demo remote participant");

    let duration = container_duration(&file).expect("a finished file has a duration");
    assert!(
        (9.5..=10.5).contains(&duration),
        "duration {duration} is 10 s ± 0.5 s"
    );
    let timestamps = video_timestamps(&file);
    let expected = duration * 25.0;
    assert!(
        (timestamps.len() as f64 - expected).abs() <= 3.0,
        "{} video frames for {duration} s at 25 fps",
        timestamps.len()
    );
    let largest_gap = timestamps
        .windows(2)
        .map(|pair| pair[1] - pair[0])
        .fold(0.0, f64::max);
    assert!(
        largest_gap < 0.061 || (largest_gap < 0.101 && report["dropped_frames"] == 1),
        "no frame missing (but the one counted): largest gap {largest_gap} s"
    );

    let (state, recovered) = part_state(data.path());
    assert_eq!((state.as_str(), recovered), ("finished", false));
}

/// On a busy machine the camera's first frame can reach the compositor after the recording's
/// first frame is due; what the recording shows there must be black, as a picture without
/// signal is, not the compositor's grey test checkerboard (seen in CI as the review's first
/// frame before the compositor's background was set).
#[test]
fn a_recording_started_on_a_busy_machine_begins_black_not_with_a_test_pattern() {
    let _turn = one_recording_at_a_time();
    let data = tempfile::tempdir().expect("temporary folder");
    let busy = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
    let spinners: Vec<_> = (0..4)
        .map(|_| {
            let busy = busy.clone();
            std::thread::spawn(move || {
                let mut n = 0u64;
                while busy.load(std::sync::atomic::Ordering::Relaxed) {
                    n = std::hint::black_box(n.wrapping_mul(31).wrapping_add(7));
                }
            })
        })
        .collect();
    let output = run(&[
        "record",
        "--demo",
        "--for",
        "3",
        "--json",
        "--data",
        data.path().to_str().expect("UTF-8"),
    ]);
    busy.store(false, std::sync::atomic::Ordering::Relaxed);
    spinners
        .into_iter()
        .for_each(|s| s.join().expect("spinner"));
    assert!(output.status.success(), "{}", text(&output.stderr));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON report");
    let file = report["recordings"][0].as_str().expect("a recording file");
    // The first frame shrunk to 8 grey pixels: the demo camera's black with a small ball, or
    // black background; the checkerboard averages to grey (121).
    let first = Command::new("ffmpeg")
        .args(["-v", "error", "-i", file, "-frames:v", "1"])
        .args(["-vf", "scale=8:1,format=gray", "-f", "rawvideo", "-"])
        .output()
        .expect("ffmpeg runs");
    assert_eq!(first.stdout.len(), 8, "{}", text(&first.stderr));
    assert!(
        first.stdout.iter().all(|&luma| luma < 60),
        "the first frame is dark, not a grey pattern: {:?}",
        first.stdout
    );
}

#[test]
fn kill_nine_keeps_everything_but_the_last_second_and_recover_finishes_it() {
    let _turn = one_recording_at_a_time();
    for round in 0..3u64 {
        let data = tempfile::tempdir().expect("temporary folder");
        // Round 1 closes a file every 2 s: the crash cuts the last of several.
        let config = segment_config(data.path(), if round == 1 { 2 } else { 1800 });
        let config = config.to_str().expect("UTF-8");
        let mut child = spawn_record(data.path(), &["--for", "60", "--config", config]);
        let folder = wait_for_folder(&mut child);
        let first_media_wall = wait_until_recording(data.path());
        let wait = if round == 1 {
            random_between(4.5, 6.0, round)
        } else {
            random_between(1.0, 6.0, round)
        };
        std::thread::sleep(Duration::from_secs_f64(wait));
        child.kill().expect("kill -9");
        let killed_at = chrono::Utc::now();
        child.wait().expect("reaped");
        let recorded_for = (killed_at - first_media_wall).num_milliseconds() as f64 / 1000.0;

        let timestamps = part_video_timestamps(&folder);
        let last = timestamps.iter().copied().fold(0.0, f64::max);
        assert!(
            last >= recorded_for - 1.0,
            "round {round}: killed {recorded_for:.2} s in, the file plays to {last:.2} s"
        );
        assert_eq!(
            part_state(data.path()).0,
            "recording",
            "the crash left the part open"
        );

        let output = run(&[
            "recover",
            "--json",
            "--data",
            data.path().to_str().expect("UTF-8"),
        ]);
        assert!(
            output.status.success(),
            "recover succeeds: {}",
            text(&output.stderr)
        );
        let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
        assert_eq!(report[0]["state"], "recovered", "{report}");
        assert_eq!(part_state(data.path()), ("recovered".to_owned(), true));
        let interrupted: Option<String> = database(data.path())
            .query_row(
                "SELECT started_at FROM incidents WHERE kind = 'recording-interrupted'",
                [],
                |row| row.get(0),
            )
            .ok();
        let interrupted = interrupted.expect("the interruption is an incident (rule 27)");
        let at = chrono::DateTime::parse_from_rfc3339(&interrupted).expect("a time");
        let since = (chrono::Utc::now() - at.with_timezone(&chrono::Utc)).num_seconds();
        assert!((0..60).contains(&since), "at the last write: {since} s ago");
        let files = recording_files(&folder);
        if round == 1 {
            assert!(files.len() >= 2, "round 1 wrote several files: {files:?}");
        }
        for file in &files {
            assert!(
                container_duration(file).is_some(),
                "round {round}: {} has a duration",
                file.display()
            );
        }
        let after = part_video_timestamps(&folder);
        let kept = after.iter().copied().fold(0.0, f64::max);
        assert!(
            kept >= recorded_for - 1.0,
            "round {round}: the repaired recording keeps {kept:.2} of {recorded_for:.2} s"
        );
        assert!(after.len() >= timestamps.len(), "recovery kept every frame");
        let again = run(&[
            "recover",
            "--json",
            "--data",
            data.path().to_str().expect("UTF-8"),
        ]);
        assert_eq!(
            text(&again.stdout).trim(),
            "[]",
            "a recovered part is not recovered twice"
        );
    }
}

#[test]
fn sigterm_and_ctrl_c_stop_cleanly_through_end_of_stream() {
    let _turn = one_recording_at_a_time();
    for signal_name in ["TERM", "INT"] {
        let data = tempfile::tempdir().expect("temporary folder");
        let mut child = spawn_record(data.path(), &[]);
        let folder = wait_for_folder(&mut child);
        wait_until_recording(data.path());
        std::thread::sleep(Duration::from_secs(2));
        signal(&child, signal_name);
        let output = child.wait_with_output().expect("it exits");
        assert!(
            output.status.success(),
            "SIG{signal_name}: exit status {:?}",
            output.status
        );
        let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
        assert_eq!(report["state"], "finished", "SIG{signal_name}");
        let duration = container_duration(&first_recording(&folder))
            .expect("a cleanly stopped file has its duration written");
        assert!(duration >= 1.8, "SIG{signal_name}: {duration} s recorded");
        assert_eq!(part_state(data.path()), ("finished".to_owned(), false));
    }
}

#[test]
fn a_full_disk_is_reported_and_nothing_recorded_is_lost() {
    require_root("it mounts a small tmpfs");
    let _turn = one_recording_at_a_time();
    let disk = SmallDisk::mount("8m", "");
    let data = disk.path.join("data");
    // Leave room for the database and a few seconds of recording.
    let filler = disk.path.join("filler");
    let status = std::process::Command::new("fallocate")
        .args(["-l", "7200k"])
        .arg(&filler)
        .status()
        .expect("fallocate runs");
    assert!(status.success());
    // The guard that stops a part cleanly before the disk fills is off here: this is the
    // write that fails anyway (another program filled the disk faster than it looks).
    let config = disk.path.join("config.toml");
    std::fs::write(&config, "[recording]\nstop_free_mb = 0\n").expect("config");
    let output = hattama()
        .args(["record", "--demo", "--for", "60", "--json", "--config"])
        .arg(&config)
        .arg("--data")
        .arg(&data)
        .output()
        .expect("hattama runs");
    let stderr = text(&output.stderr);
    assert!(!output.status.success(), "a full disk is a failure");
    assert!(stderr.contains("The disk is full"), "clear error: {stderr}");
    let folder = std::fs::read_dir(data.join("sessions"))
        .expect("sessions")
        .next()
        .expect("a session")
        .expect("entry")
        .path()
        .join("part-01");
    let file = first_recording(&folder);
    let written = video_timestamps(&file);
    assert!(
        written.len() > 10,
        "what was written still plays: {} frames",
        written.len()
    );

    std::fs::remove_file(&filler).expect("free the space");
    let output = hattama()
        .args(["recover", "--json", "--data"])
        .arg(&data)
        .output()
        .expect("hattama runs");
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap_or_default();
    let state = part_state(&data).0;
    assert!(
        state == "recovered" || report == serde_json::json!([]),
        "after space is freed the part is recovered (or was already): {state} {report}"
    );
    assert_eq!(state, "recovered");
    // Rule 27: the failed write is an incident: kept when it happened if the database could
    // take it, else when the part was recovered.
    let incidents: i64 = database(&data)
        .query_row(
            "SELECT COUNT(*) FROM incidents
             WHERE kind IN ('write-error', 'recording-interrupted') AND ended_at IS NOT NULL",
            [],
            |row| row.get(0),
        )
        .expect("incidents");
    assert!(incidents >= 1, "the failed write is an incident");
    let after = video_timestamps(&file);
    assert!(after.len() >= written.len(), "recovery kept every frame");
    assert!(container_duration(&file).is_some());
}

#[test]
fn a_disk_filling_up_stops_the_part_cleanly_sealed_with_an_incident() {
    require_root("it mounts a small tmpfs to fill (recording.stop_free_mb is its threshold)");
    let _turn = one_recording_at_a_time();
    let disk = SmallDisk::mount("40m", "");
    let data = disk.path.join("data");
    let config = disk.path.join("config.toml");
    // Stop when less than 39 MiB of the 40 is free: some seconds of demo recording in.
    std::fs::write(&config, "[recording]\nstop_free_mb = 39\n").expect("config");
    let began = std::time::Instant::now();
    let output = hattama()
        .args(["record", "--demo", "--for", "120", "--json", "--config"])
        .arg(&config)
        .arg("--data")
        .arg(&data)
        .output()
        .expect("hattama runs");
    let took = began.elapsed();
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(
        took < Duration::from_secs(60),
        "stopped by itself, after {took:?}"
    );
    assert!(
        text(&output.stderr).contains("nearly full"),
        "said: {}",
        text(&output.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(report["state"], "finished", "a clean stop: {report:#}");
    assert!(
        report["stopped_for"]
            .as_str()
            .is_some_and(|why| why.contains("disk nearly full")),
        "{report:#}"
    );
    assert!(report["seal_error"].is_null(), "sealed: {report:#}");
    let part = std::path::PathBuf::from(report["part"].as_str().expect("part"));
    let (ok, checked) = verify(&data, &part, &[]);
    assert!(ok, "{checked:#}");
    let duration = container_duration(&recording_files(&part)[0]).expect("a whole file");
    assert!(duration > 2.0, "{duration} s kept");
    let incidents: Vec<(String, String)> = database(&data)
        .prepare("SELECT kind, details FROM incidents")
        .expect("query")
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
        .expect("rows")
        .collect::<Result<_, _>>()
        .expect("incidents");
    assert_eq!(incidents.len(), 1, "{incidents:?}");
    assert_eq!(incidents[0].0, "disk-nearly-full");
}

#[test]
fn without_devices_demo_inputs_are_recorded_and_said_so() {
    let devices = run(&["devices", "--json"]);
    if text(&devices.stdout).trim() != "[]" {
        eprintln!("skipped: this machine has capture devices");
        return;
    }
    let _turn = one_recording_at_a_time();
    let data = tempfile::tempdir().expect("temporary folder");
    let output = run(&[
        "record",
        "--for",
        "2",
        "--json",
        "--data",
        data.path().to_str().expect("UTF-8"),
    ]);
    let stderr = text(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stderr.contains("No camera found: recording a demo picture instead."),
        "{stderr}"
    );
    assert!(stderr.contains("No microphone found"), "{stderr}");
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let kinds: Vec<&str> = report["inputs"]
        .as_array()
        .expect("inputs")
        .iter()
        .map(|input| input["kind"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        kinds,
        ["camera", "microphone"],
        "no remote input unless configured"
    );
}

#[test]
fn recover_leaves_a_part_that_is_still_recording_alone() {
    let _turn = one_recording_at_a_time();
    let data = tempfile::tempdir().expect("temporary folder");
    let mut child = spawn_record(data.path(), &[]);
    let folder = wait_for_folder(&mut child);
    wait_until_recording(data.path());
    let output = run(&[
        "recover",
        "--json",
        "--data",
        data.path().to_str().expect("UTF-8"),
    ]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert_eq!(
        text(&output.stdout).trim(),
        "[]",
        "the live part is not touched"
    );
    assert_eq!(part_state(data.path()).0, "recording");
    std::thread::sleep(Duration::from_secs(1));
    signal(&child, "TERM");
    let output = child.wait_with_output().expect("it exits");
    assert!(output.status.success());
    assert_eq!(part_state(data.path()), ("finished".to_owned(), false));
    assert!(container_duration(&first_recording(&folder)).is_some());
}

#[test]
fn a_long_part_is_written_as_files_that_each_play_and_join_without_a_gap() {
    let _turn = one_recording_at_a_time();
    let data = tempfile::tempdir().expect("temporary folder");
    let config = segment_config(data.path(), 3);
    let output = run(&[
        "record",
        "--demo",
        "--for",
        "9",
        "--json",
        "--config",
        config.to_str().expect("UTF-8"),
        "--data",
        data.path().to_str().expect("UTF-8"),
    ]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let folder = std::path::PathBuf::from(report["part"].as_str().expect("part folder"));
    let files = recording_files(&folder);
    assert!(
        (3..=4).contains(&files.len()),
        "9 s in files of at most 3 s: {files:?}"
    );
    let mut previous_end: Option<f64> = None;
    let mut frames = 0;
    for file in &files {
        let duration = container_duration(file).expect("each file is complete");
        // Cut at the first keyframe from 3 s (the encoder is asked for one there).
        assert!(duration <= 3.3, "{}: {duration} s", file.display());
        let timestamps = video_timestamps(file);
        frames += timestamps.len();
        let (first, last) = (timestamps[0], *timestamps.last().expect("frames"));
        if let Some(end) = previous_end {
            // Timestamps run on: each file shows the part's own recording time.
            assert!(
                (first - end - 0.04).abs() < 0.005,
                "{} starts at {first}, the file before ended at {end}",
                file.display()
            );
        }
        previous_end = Some(last);
    }
    let total = report["duration_s"].as_f64().expect("duration");
    assert!(
        (frames as f64 - total * 25.0).abs() <= 3.0,
        "{frames} frames in all files for {total} s at 25 fps"
    );
    // Each closed file was hashed while the part went on; the seal lists them all.
    let manifest: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(folder.join("manifest.json")).expect("manifest"),
    )
    .expect("JSON");
    let sealed: Vec<&str> = manifest["files"]
        .as_array()
        .expect("files")
        .iter()
        .filter_map(|f| f["name"].as_str())
        .filter(|name| name.starts_with("recording-"))
        .collect();
    let names: Vec<String> = files
        .iter()
        .map(|f| f.file_name().expect("name").to_string_lossy().into_owned())
        .collect();
    assert_eq!(sealed, names);
    let sums = std::process::Command::new("sha256sum")
        .args(["-c", "SHA256SUMS"])
        .current_dir(&folder)
        .output()
        .expect("sha256sum runs");
    assert!(sums.status.success(), "{}", text(&sums.stdout));
}
