//! The case disc, checked by independent readers: xorriso lists it, 7-Zip extracts it, and
//! in the extracted tree sha256sum, minisign and ffprobe agree with what Hattama sealed.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;

const CASE: &str = "2-Іс/2026 Қ";

/// Two sessions of one case with a Kazakh case number, each a sealed demo part.
fn two_sessions(data: &Path) {
    let _turn = one_recording_at_a_time();
    for _ in 0..2 {
        let output = run(&[
            "record",
            "--demo",
            "--for",
            "3",
            "--case",
            CASE,
            "--data",
            data.to_str().expect("UTF-8"),
        ]);
        assert!(output.status.success(), "{}", text(&output.stderr));
    }
}

fn disc_build(data: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    hattama()
        .args(["--data"])
        .arg(data)
        .args(["disc", "build", "--case", CASE, "--out"])
        .arg(out)
        .args(extra)
        .output()
        .expect("hattama runs")
}

/// Every regular file under `root`, by its path relative to `root`, with its bytes.
fn tree(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![root.to_owned()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).expect("folder") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let relative = path.strip_prefix(root).expect("inside").to_string_lossy();
                files.insert(relative.into_owned(), std::fs::read(&path).expect("read"));
            }
        }
    }
    files
}

fn checked(command: &mut Command) -> String {
    let output = command.output().expect("the tool runs");
    assert!(
        output.status.success(),
        "{command:?}: {}{}",
        text(&output.stdout),
        text(&output.stderr)
    );
    text(&output.stdout)
}

#[test]
fn a_case_disc_lists_extracts_and_checks_with_stock_tools() {
    let work = tempfile::tempdir().expect("temporary folder");
    let data = work.path().join("data");
    two_sessions(&data);
    let image = work.path().join("Іс 2.iso");
    let output = disc_build(&data, &image, &["--media", "cd", "--json"]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let built = &report["images"][0];
    assert_eq!(built["of"], 1);
    assert_eq!(built["sessions"].as_array().map(Vec::len), Some(2));
    assert_eq!(
        std::fs::metadata(&image).expect("image").len(),
        built["size"].as_u64().expect("size"),
        "the planned size is the image's size"
    );
    assert!(
        built["label"]
            .as_str()
            .is_some_and(|l| l.starts_with("CASE_2_IS_2026_Q"))
    );
    assert!(
        !image.with_file_name("Іс 2.iso.partial").exists(),
        "no temporary left"
    );

    // xorriso lists every file of both parts with its Cyrillic name.
    let listed = checked(
        Command::new("xorriso")
            .args(["-indev"])
            .arg(&image)
            .args(["-find", "/", "-type", "f"]),
    );
    let sessions = data.join("sessions");
    let mut expected = Vec::new();
    for session in std::fs::read_dir(&sessions).expect("sessions") {
        let session = session.expect("entry").path();
        let part = session.join("part-01");
        for file in std::fs::read_dir(&part).expect("part") {
            let name = file
                .expect("entry")
                .file_name()
                .to_string_lossy()
                .into_owned();
            if name != "part.lock" {
                let session_name = session.file_name().expect("name").to_string_lossy();
                expected.push(format!("/{session_name}/part-01/{name}"));
            }
        }
    }
    assert_eq!(expected.len(), 14, "two parts of seven files");
    for path in &expected {
        assert!(path.contains("Іс"), "{path}");
        assert!(listed.contains(&format!("'{path}'")), "{path} in {listed}");
    }

    // 7-Zip (reading Joliet) and xorriso (Rock Ridge) extract the same tree.
    let by_7zip = work.path().join("7zip");
    checked(
        Command::new("7z")
            .arg("x")
            .arg(format!("-o{}", by_7zip.display()))
            .arg(&image),
    );
    let by_xorriso = work.path().join("xorriso");
    checked(
        Command::new("xorriso")
            .args(["-osirrox", "on", "-indev"])
            .arg(&image)
            .args(["-extract", "/"])
            .arg(&by_xorriso),
    );
    let extracted = tree(&by_7zip);
    assert_eq!(extracted, tree(&by_xorriso), "7-Zip and xorriso agree");
    for path in &expected {
        let original = sessions.join(path.trim_start_matches('/'));
        assert_eq!(
            extracted.get(path.trim_start_matches('/')),
            Some(&std::fs::read(&original).expect("original")),
            "{path} is copied byte for byte"
        );
    }

    // In the extracted tree, the stock tools check each part and the inventory.
    let key = extracted
        .keys()
        .find(|p| p.starts_with("keys/") && p.ends_with(".pub"))
        .expect("the court's public key is on the disc")
        .clone();
    let key = by_7zip.join(key);
    for part in expected
        .iter()
        .filter(|p| p.ends_with("/manifest.json"))
        .map(|p| {
            by_7zip
                .join(p.trim_start_matches('/'))
                .parent()
                .expect("part")
                .to_owned()
        })
    {
        checked(
            Command::new("sha256sum")
                .args(["-c", "SHA256SUMS"])
                .current_dir(&part),
        );
        checked(
            Command::new("minisign")
                .args(["-Vm", "manifest.json", "-p"])
                .arg(&key)
                .current_dir(&part),
        );
        let recordings: Vec<PathBuf> = recording_files(&part);
        assert!(!recordings.is_empty());
        for recording in recordings {
            assert!(container_duration(&recording).is_some(), "ffprobe opens it");
        }
    }
    let signed = checked(
        Command::new("minisign")
            .args(["-Vm", "INVENTORY.json", "-p"])
            .arg(&key)
            .current_dir(&by_7zip),
    );
    assert!(signed.contains("disc: 1 of 1"), "{signed}");
    let inventory: serde_json::Value =
        serde_json::from_slice(&extracted["INVENTORY.json"]).expect("inventory");
    let files = inventory["files"].as_array().expect("files");
    assert_eq!(
        files.len(),
        extracted.len() - 2,
        "every file but the inventory and its signature is listed"
    );
    for file in files {
        let path = file["path"].as_str().expect("path");
        let bytes = &extracted[path];
        assert_eq!(file["size"].as_u64(), Some(bytes.len() as u64), "{path}");
        let sum = checked(Command::new("sha256sum").arg(by_7zip.join(path)));
        assert!(
            sum.starts_with(file["sha256"].as_str().expect("sha256")),
            "{path}"
        );
    }
    let readme = String::from_utf8(extracted["README.txt"].clone()).expect("UTF-8");
    for words in [
        "ІС ДИСКІСІ",
        "ДИСК ДЕЛА",
        "CASE DISC",
        "sha256sum -c SHA256SUMS",
    ] {
        assert!(readme.contains(words), "{words} in the README");
    }

    // And Hattama's own check of the image.
    let verified = hattama()
        .arg("--data")
        .arg(&data)
        .arg("verify")
        .arg(&image)
        .output()
        .expect("verify runs");
    assert!(verified.status.success(), "{}", text(&verified.stdout));
}

#[test]
fn a_damaged_recording_or_an_unknown_case_makes_no_image() {
    let work = tempfile::tempdir().expect("temporary folder");
    let data = work.path().join("data");
    two_sessions(&data);
    let image = work.path().join("case.iso");

    let unknown = hattama()
        .arg("--data")
        .arg(&data)
        .args(["disc", "build", "--case", "no-such-case", "--out"])
        .arg(&image)
        .output()
        .expect("runs");
    assert!(!unknown.status.success());
    assert!(
        text(&unknown.stderr).contains("has no sealed recording"),
        "{}",
        text(&unknown.stderr)
    );

    let bad_media = disc_build(&data, &image, &["--media", "floppy"]);
    assert!(!bad_media.status.success());
    assert!(text(&bad_media.stderr).contains("cd | dvd | dvd-dl | bd"));

    // A folder that cannot be written: a clear error.
    let nowhere = Path::new("/proc/hattama-test/case.iso");
    let unwritable = disc_build(&data, nowhere, &[]);
    assert!(!unwritable.status.success());
    assert!(
        text(&unwritable.stderr).contains("cannot be written"),
        "{}",
        text(&unwritable.stderr)
    );

    // One byte of a recording changed after sealing: refused, naming the part.
    let recording = std::fs::read_dir(data.join("sessions"))
        .expect("sessions")
        .map(|e| e.expect("entry").path().join("part-01/recording-001.mkv"))
        .next()
        .expect("a recording");
    let mut bytes = std::fs::read(&recording).expect("read");
    let middle = bytes.len() / 2;
    bytes[middle] ^= 1;
    std::fs::write(&recording, bytes).expect("written");
    let damaged = disc_build(&data, &image, &[]);
    assert!(!damaged.status.success());
    let stderr = text(&damaged.stderr);
    assert!(stderr.contains("does not match its seal"), "{stderr}");
    assert!(stderr.contains("recording-001.mkv"), "{stderr}");

    let left: Vec<_> = std::fs::read_dir(work.path())
        .expect("work")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left, ["data"], "no image and no temporary left: {left:?}");
}
