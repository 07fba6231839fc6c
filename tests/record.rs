//! Recording through the real binary with real GStreamer pipelines; ffprobe checks the files.

mod common;

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
    assert_eq!(report["dropped_frames"], 0, "no dropped frames: {report}");
    assert!(
        report["inputs"]
            .as_array()
            .expect("inputs")
            .iter()
            .all(|i| i["demo"] == true)
    );
    let file = std::path::PathBuf::from(report["recording"].as_str().expect("recording path"));
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
        largest_gap < 0.061,
        "no frame missing: largest gap {largest_gap} s"
    );

    let (state, recovered) = part_state(data.path());
    assert_eq!((state.as_str(), recovered), ("finished", false));
}

#[test]
fn kill_nine_keeps_everything_but_the_last_second_and_recover_finishes_it() {
    let _turn = one_recording_at_a_time();
    for round in 0..3u64 {
        let data = tempfile::tempdir().expect("temporary folder");
        let mut child = spawn_record(data.path(), &["--for", "60"]);
        let folder = wait_for_folder(&mut child);
        let first_media_wall = wait_until_recording(data.path());
        let wait = random_between(1.0, 6.0, round);
        std::thread::sleep(Duration::from_secs_f64(wait));
        child.kill().expect("kill -9");
        let killed_at = chrono::Utc::now();
        child.wait().expect("reaped");
        let recorded_for = (killed_at - first_media_wall).num_milliseconds() as f64 / 1000.0;

        let file = folder.join("recording.mkv");
        let timestamps = video_timestamps(&file);
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
        let duration = container_duration(&file).expect("the repaired file has a duration");
        assert!(
            duration >= recorded_for - 1.0,
            "round {round}: the repaired file keeps {duration:.2} of {recorded_for:.2} s"
        );
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
        let duration = container_duration(&folder.join("recording.mkv"))
            .expect("a cleanly stopped file has its duration written");
        assert!(duration >= 1.8, "SIG{signal_name}: {duration} s recorded");
        assert_eq!(part_state(data.path()), ("finished".to_owned(), false));
    }
}

#[test]
fn a_full_disk_is_reported_and_nothing_recorded_is_lost() {
    if !is_root() {
        eprintln!("skipped: mounting a small tmpfs needs root (make test runs as root)");
        return;
    }
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
    let output = hattama()
        .args(["record", "--demo", "--for", "60", "--json", "--data"])
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
    let file = folder.join("recording.mkv");
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
    let after = video_timestamps(&file);
    assert!(after.len() >= written.len(), "recovery kept every frame");
    assert!(container_duration(&file).is_some());
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
    assert!(container_duration(&folder.join("recording.mkv")).is_some());
}
