//! Sealing, checked by `hattama verify` and by the stock tools: `minisign -V` and
//! `sha256sum -c` on the same folder; then every kind of tampering, each named precisely.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;
use hattama::protocol::{EntryKind, NewEntry, Stamp};

struct Recorded {
    _data: tempfile::TempDir,
    data: PathBuf,
    part: PathBuf,
}

fn record_and_seal() -> Recorded {
    let _turn = one_recording_at_a_time();
    let data = tempfile::tempdir().expect("temporary folder");
    let output = hattama()
        .args([
            "record",
            "--demo",
            "--for",
            "2",
            "--json",
            "--case",
            "2-1234/2026",
            "--data",
        ])
        .arg(data.path())
        .output()
        .expect("records");
    assert!(output.status.success(), "{}", text(&output.stderr));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert!(json["seal_error"].is_null(), "{json}");
    let part = PathBuf::from(json["part"].as_str().expect("part folder"));
    assert!(part.join("manifest.json.minisig").is_file());
    // Three entries, written the way the window writes them, then the part sealed again
    // (sealing is safe to repeat) so the chain has links to break.
    let part_id = json["part_id"].as_i64().expect("part id");
    let session_id = json["session_id"].as_i64().expect("session id");
    let paths = hattama::paths::Paths::new(None, Some(data.path().to_owned()));
    let mut store = hattama::store::Store::open(&paths.database()).expect("store");
    for (kind, words) in [
        (
            EntryKind::SessionOpened,
            "Төрағалық етуші сот отырысын ашты.",
        ),
        (EntryKind::Note, "Истец поддержал исковые требования."),
        (EntryKind::Recess, "Үзіліс жарияланды."),
    ] {
        store
            .add_entry(&NewEntry {
                session_id,
                stamp: Stamp::at(chrono::Utc::now(), None),
                kind,
                speaker_id: None,
                text: words.to_owned(),
            })
            .expect("entry");
    }
    let mut config = hattama::config::Config::default();
    config.court.utc_offset = "+05:00".to_owned();
    hattama::seal::seal_now(&mut store, &paths, part_id, &config).expect("sealed again");
    Recorded {
        data: data.path().to_owned(),
        _data: data,
        part,
    }
}

fn public_key(data: &Path) -> String {
    let file = std::fs::read_to_string(data.join("keys/hattama.pub")).expect("public key");
    file.lines().nth(1).expect("key line").to_owned()
}

fn copy_folder(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("folder");
    for entry in std::fs::read_dir(from).expect("read") {
        let entry = entry.expect("entry");
        std::fs::copy(entry.path(), to.join(entry.file_name())).expect("copied");
    }
}

fn flip_byte(file: &Path, at: usize) {
    let mut bytes = std::fs::read(file).expect("read");
    let at = at.min(bytes.len() - 1);
    bytes[at] ^= 0x20;
    std::fs::write(file, bytes).expect("written");
}

#[test]
fn a_sealed_part_verifies_with_hattama_minisign_and_sha256sum() {
    let recorded = record_and_seal();
    let (ok, json) = verify(&recorded.data, &recorded.part, &[]);
    assert!(ok, "{json:#}");
    assert!(failed(&json).is_empty());
    let signed = json["parts"][0]["signed"]
        .as_str()
        .expect("trusted comment");
    assert!(signed.contains("case: 2-1234/2026"), "{signed}");

    let minisign = Command::new("minisign")
        .args(["-Vm", "manifest.json", "-P", &public_key(&recorded.data)])
        .current_dir(&recorded.part)
        .output()
        .expect("minisign runs");
    assert!(
        minisign.status.success(),
        "minisign: {}",
        text(&minisign.stderr)
    );
    assert!(text(&minisign.stdout).contains("case: 2-1234/2026"));

    let sums = Command::new("sha256sum")
        .args(["-c", "SHA256SUMS"])
        .current_dir(&recorded.part)
        .output()
        .expect("sha256sum runs");
    assert!(sums.status.success(), "sha256sum: {}", text(&sums.stdout));
    let listed = text(&sums.stdout);
    for file in [
        "recording-001.mkv",
        "protocol.txt",
        "protocol.json",
        "manifest.json",
    ] {
        assert!(listed.contains(&format!("{file}: OK")), "{listed}");
    }

    // The archive's audio-only copy (rule 25): the mix in Opus, as long as the recording.
    let audio = ffprobe_json(
        &recorded.part.join("audio.opus"),
        &["-show_entries", "stream=codec_name:format=duration"],
    );
    assert_eq!(audio["streams"][0]["codec_name"], "opus", "{audio}");
    let audio_seconds: f64 = audio["format"]["duration"]
        .as_str()
        .and_then(|d| d.parse().ok())
        .expect("a duration");
    let video_seconds =
        container_duration(&recorded.part.join("recording-001.mkv")).expect("duration");
    assert!(
        (audio_seconds - video_seconds).abs() < 0.5,
        "audio copy {audio_seconds} s, recording {video_seconds} s"
    );

    // A folder of many parts: the data folder's sessions.
    let (ok, json) = verify(&recorded.data, &recorded.data.join("sessions"), &[]);
    assert!(
        ok && json["parts"].as_array().map(Vec::len) == Some(1),
        "{json:#}"
    );
}

#[test]
fn every_tampering_is_found_and_only_it_is_named() {
    let recorded = record_and_seal();
    let work = tempfile::tempdir().expect("temporary folder");
    let mut case = 0;
    let mut tampered = |what: &str, tamper: &dyn Fn(&Path), expected: &[&str]| {
        case += 1;
        let folder = work.path().join(format!("case{case}"));
        copy_folder(&recorded.part, &folder);
        tamper(&folder);
        let (ok, json) = verify(&recorded.data, &folder, &[]);
        assert!(!ok, "{what}: not verified");
        let failures = failed(&json);
        assert_eq!(
            failures.len(),
            expected.len(),
            "{what}: exactly the expected failures, got {failures:#?}"
        );
        for (failure, subject) in failures.iter().zip(expected) {
            assert!(
                failure.starts_with(subject),
                "{what}: {failure} names {subject}"
            );
        }
    };
    tampered(
        "one byte of the media",
        &|f| flip_byte(&f.join("recording-001.mkv"), 100_000),
        &["recording-001.mkv: SHA-256"],
    );
    tampered(
        "a recording file removed",
        &|f| std::fs::remove_file(f.join("recording-001.mkv")).expect("removed"),
        &["recording-001.mkv: missing"],
    );
    tampered(
        "a recording file added",
        &|f| {
            std::fs::copy(f.join("recording-001.mkv"), f.join("recording-002.mkv"))
                .expect("copied");
        },
        &["recording-002.mkv: a file the seal does not list"],
    );
    tampered(
        "one byte of the protocol text",
        &|f| flip_byte(&f.join("protocol.txt"), 10),
        &["protocol.txt: ", "protocol.txt (text): line 1"],
    );
    tampered(
        "one byte of the manifest",
        &|f| {
            let manifest = std::fs::read_to_string(f.join("manifest.json")).expect("read");
            std::fs::write(
                f.join("manifest.json"),
                manifest.replace("2-1234/2026", "2-1234/2025"),
            )
            .expect("written");
        },
        &["manifest.json.minisig: the signature does not match"],
    );
    tampered(
        "the signature",
        &|f| {
            let signature = std::fs::read_to_string(f.join("manifest.json.minisig")).expect("read");
            let mut lines: Vec<String> = signature.lines().map(str::to_owned).collect();
            lines[1] = lines[1].chars().rev().collect();
            std::fs::write(f.join("manifest.json.minisig"), lines.join("\n")).expect("written");
        },
        &["manifest.json.minisig"],
    );
    tampered(
        "the protocol's words, in both files",
        &|f| {
            for file in ["protocol.txt", "protocol.json"] {
                let text = std::fs::read_to_string(f.join(file)).expect("read");
                let changed = text.replacen("поддержал", "отказался от", 1);
                assert_ne!(changed, text);
                std::fs::write(f.join(file), changed).expect("written");
            }
        },
        &[
            "protocol.txt: ",
            "protocol.json: ",
            "protocol.json (chain): entry 2 was changed",
        ],
    );
    let entries_edit = |edit: fn(&mut Vec<serde_json::Value>)| {
        move |f: &Path| {
            let path = f.join("protocol.json");
            let mut json: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(&path).expect("read")).expect("JSON");
            edit(json["entries"].as_array_mut().expect("entries"));
            std::fs::write(&path, serde_json::to_string_pretty(&json).expect("JSON"))
                .expect("written");
        }
    };
    tampered(
        "an entry dropped",
        &entries_edit(|entries| {
            entries.remove(1);
        }),
        &[
            "protocol.json: ",
            "protocol.json (chain): entry 2 is missing",
        ],
    );
    tampered(
        "two entries swapped",
        &entries_edit(|entries| entries.swap(0, 1)),
        &[
            "protocol.json: ",
            "protocol.json (chain): entry 2 does not follow",
        ],
    );
}

#[test]
fn another_courts_key_and_bad_inputs_are_refused_clearly() {
    let recorded = record_and_seal();
    let other = tempfile::tempdir().expect("temporary folder");
    let keys = hattama::seal::Keys::load_or_create(other.path()).expect("another court's key");
    let trust = other.path().join("trust.pub");
    std::fs::write(&trust, keys.public().to_file()).expect("trust list");
    let (ok, json) = verify(
        &recorded.data,
        &recorded.part,
        &["--trust", trust.to_str().expect("UTF-8")],
    );
    assert!(!ok);
    let failures = failed(&json);
    assert_eq!(failures.len(), 1, "{failures:#?}");
    assert!(
        failures[0].contains("not by a trusted key"),
        "{}",
        failures[0]
    );

    let work = tempfile::tempdir().expect("temporary folder");
    let folder = work.path().join("part");
    copy_folder(&recorded.part, &folder);
    std::fs::write(
        folder.join("manifest.json"),
        "{\"format\": \"hattama-seal/1\", \"cou",
    )
    .expect("truncated");
    let (ok, json) = verify(&recorded.data, &folder, &[]);
    assert!(!ok);
    assert!(
        failed(&json)[0].starts_with("manifest.json: is not a valid manifest"),
        "{json:#}"
    );

    copy_folder(&recorded.part, &folder);
    let manifest = std::fs::read_to_string(folder.join("manifest.json")).expect("read");
    std::fs::write(
        folder.join("manifest.json"),
        manifest.replace("\"protocol.txt\"", "\"../protocol.txt\""),
    )
    .expect("escaping name");
    std::fs::remove_file(folder.join("protocol.json")).expect("removed");
    std::fs::create_dir(folder.join("protocol.json")).expect("a directory in its place");
    let (ok, json) = verify(&recorded.data, &folder, &[]);
    assert!(!ok);
    let failures = failed(&json).join("\n");
    assert!(
        failures.contains("../protocol.txt: the name leaves the folder"),
        "{failures}"
    );
    assert!(
        failures.contains("protocol.json: not a regular file"),
        "{failures}"
    );

    let (ok, json) = verify(
        &recorded.data,
        work.path().join("nothing-here").as_path(),
        &[],
    );
    assert!(!ok && json["parts"].as_array().is_some_and(Vec::is_empty));
}

#[test]
fn a_part_killed_while_recording_is_recovered_sealed_as_recovered_and_verifies() {
    let data = tempfile::tempdir().expect("temporary folder");
    let part = {
        let _turn = one_recording_at_a_time();
        let mut child = spawn_record(data.path(), &[]);
        let part = wait_for_folder(&mut child);
        wait_until_recording(data.path());
        std::thread::sleep(std::time::Duration::from_secs(2));
        child.kill().expect("kill -9");
        let _ = child.wait();
        part
    };
    assert!(
        !part.join("manifest.json").exists(),
        "nothing was sealed by the killed process"
    );
    let output = hattama()
        .arg("--data")
        .arg(data.path())
        .args(["recover", "--json"])
        .output()
        .expect("recover runs");
    assert!(output.status.success(), "{}", text(&output.stderr));
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(part.join("manifest.json")).expect("sealed"))
            .expect("JSON");
    assert_eq!(manifest["recovered"], true);
    let (ok, json) = verify(data.path(), &part, &[]);
    assert!(ok, "{json:#}");
}

#[test]
fn a_disc_image_of_sealed_parts_verifies_and_a_changed_byte_inside_it_is_named() {
    let recorded = record_and_seal();
    let work = tempfile::tempdir().expect("temporary folder");
    let image = work.path().join("case.iso");
    let made = Command::new("xorriso")
        .args(["-as", "mkisofs", "-quiet", "-J", "-R", "-o"])
        .arg(&image)
        .arg(recorded.data.join("sessions"))
        .output()
        .expect("xorriso runs");
    assert!(made.status.success(), "{}", text(&made.stderr));
    let (ok, json) = verify(&recorded.data, &image, &[]);
    assert!(ok, "{json:#}");
    let folder = json["parts"][0]["folder"].as_str().expect("folder");
    assert!(
        folder.starts_with(image.to_str().expect("UTF-8")),
        "named inside the image: {folder}"
    );

    // One byte of the recording, changed inside the image.
    let mut bytes = std::fs::read(&image).expect("image");
    let recording = std::fs::read(recorded.part.join("recording-001.mkv")).expect("recording");
    let probe = &recording[50_000..50_064];
    let at = bytes
        .windows(probe.len())
        .position(|w| w == probe)
        .expect("the recording's bytes are in the image");
    bytes[at] ^= 0x01;
    std::fs::write(&image, bytes).expect("changed");
    let (ok, json) = verify(&recorded.data, &image, &[]);
    assert!(!ok);
    let failures = failed(&json);
    assert_eq!(failures.len(), 1, "{failures:#?}");
    assert!(
        failures[0].starts_with("recording-001.mkv: SHA-256"),
        "{}",
        failures[0]
    );

    // Not an image at all: a clear error, no crash.
    std::fs::write(work.path().join("garbage.iso"), vec![0x55u8; 100_000]).expect("garbage");
    let output = hattama()
        .arg("--data")
        .arg(&recorded.data)
        .arg("verify")
        .arg(work.path().join("garbage.iso"))
        .output()
        .expect("verify runs");
    assert!(!output.status.success());
    assert!(
        text(&output.stderr).contains("is not a readable disc image"),
        "{}",
        text(&output.stderr)
    );
}

/// What stock `minisign -S` signs (pre-hashed "ED" by default, whole "Ed" with `-l`), such as
/// a trust list or a key certificate a court signed with minisign itself, verifies here; a
/// changed file does not.
#[test]
fn signatures_made_by_stock_minisign_verify_in_both_its_forms() {
    let work = tempfile::tempdir().expect("temporary folder");
    let folder = work.path();
    let minisign = |args: &[&str]| {
        let output = Command::new("minisign")
            .args(args)
            .current_dir(folder)
            .output()
            .expect("minisign runs");
        assert!(
            output.status.success(),
            "minisign {args:?}: {}",
            text(&output.stderr)
        );
    };
    minisign(&["-G", "-W", "-p", "court.pub", "-s", "court.sec"]);
    std::fs::write(folder.join("list.json"), "{\"courts\": []}\n").expect("file");
    minisign(&[
        "-S",
        "-s",
        "court.sec",
        "-m",
        "list.json",
        "-x",
        "hashed.minisig",
    ]);
    minisign(&[
        "-S",
        "-l",
        "-s",
        "court.sec",
        "-m",
        "list.json",
        "-x",
        "whole.minisig",
    ]);
    let public = hattama::seal::PublicKey::parse(
        &std::fs::read_to_string(folder.join("court.pub")).expect("public key"),
    )
    .expect("minisign's public key");
    let message = std::fs::read(folder.join("list.json")).expect("file");
    for (name, algorithm) in [("hashed.minisig", "ED"), ("whole.minisig", "Ed")] {
        let signature = std::fs::read_to_string(folder.join(name)).expect("signature");
        let line = signature.lines().nth(1).expect("the signature line");
        let bytes = base64::Engine::decode(&base64::engine::general_purpose::STANDARD, line)
            .expect("base64");
        assert_eq!(&bytes[..2], algorithm.as_bytes(), "{name}");
        hattama::seal::minisig::verify(std::slice::from_ref(&public), &message, &signature)
            .unwrap_or_else(|error| panic!("{name}: {error}"));
        let changed = hattama::seal::minisig::verify(
            std::slice::from_ref(&public),
            b"{\"courts\": [1]}\n",
            &signature,
        );
        assert!(
            matches!(changed, Err(hattama::seal::SealError::BadSignature)),
            "{name}: {changed:?}"
        );
    }
}

/// A seal whose chunk list says other bytes than its files — which only the holder of the
/// courtroom key can sign, and which the judge's stream would trust stretch by stretch —
/// passes the whole-file checks; `verify --chunks` holds every MiB to the list and names
/// the file and the byte where they part. An honest seal passes it.
#[test]
fn a_chunk_list_that_says_other_bytes_is_found_by_verify_chunks() {
    let recorded = record_and_seal();
    let (data, part) = (&recorded.data, &recorded.part);
    let (ok, json) = verify(data, part, &["--chunks"]);
    assert!(ok, "an honest seal holds every MiB: {:?}", failed(&json));
    let lines: Vec<&str> = json["parts"][0]["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .filter_map(|check| check["subject"].as_str())
        .filter(|subject| subject.ends_with("(chunks)"))
        .collect();
    assert!(
        lines.contains(&"recording-001.mkv (chunks)"),
        "each file's MiBs are a line: {lines:?}"
    );

    // The courtroom key's holder seals a list whose first MiB of the recording is another's.
    let chunks_path = part.join("chunks.json");
    let mut chunks: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&chunks_path).expect("chunks.json")).expect("JSON");
    let listed = chunks["files"]
        .as_array_mut()
        .expect("files")
        .iter_mut()
        .find(|file| file["name"] == "recording-001.mkv")
        .expect("the recording is listed");
    listed["sha256"][0] = serde_json::json!("0".repeat(64));
    let forged = serde_json::to_vec(&chunks).expect("JSON");
    std::fs::write(&chunks_path, &forged).expect("written");
    let manifest_path = part.join("manifest.json");
    let mut manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&manifest_path).expect("manifest")).expect("JSON");
    for file in manifest["files"].as_array_mut().expect("files") {
        if file["name"] == "chunks.json" {
            file["size"] = serde_json::json!(forged.len());
            file["sha256"] = serde_json::json!(sha256_hex(&forged));
        }
    }
    let manifest_json = serde_json::to_string(&manifest).expect("JSON");
    std::fs::write(&manifest_path, &manifest_json).expect("written");
    let mut sums = String::new();
    for file in manifest["files"].as_array().expect("files") {
        sums.push_str(&format!(
            "{}  {}\n",
            file["sha256"].as_str().expect("hash"),
            file["name"].as_str().expect("name")
        ));
    }
    sums.push_str(&format!(
        "{}  manifest.json\n",
        sha256_hex(manifest_json.as_bytes())
    ));
    std::fs::write(part.join("SHA256SUMS"), sums).expect("written");
    let signature_path = part.join("manifest.json.minisig");
    let old = std::fs::read_to_string(&signature_path).expect("signature");
    let trusted = old
        .lines()
        .find_map(|line| line.strip_prefix("trusted comment: "))
        .expect("a trusted comment");
    let keys = hattama::seal::Keys::load(&data.join("keys")).expect("the courtroom key");
    let signature = keys.sign(manifest_json.as_bytes(), "Hattama seal (minisign)", trusted);
    std::fs::write(&signature_path, signature).expect("re-signed");

    let (ok, json) = verify(data, part, &[]);
    assert!(
        ok,
        "every whole file and the signature still hold: {:?}",
        failed(&json)
    );
    let (ok, json) = verify(data, part, &["--chunks"]);
    let failures = failed(&json);
    assert!(!ok, "--chunks finds it");
    assert_eq!(failures.len(), 1, "{failures:?}");
    assert!(
        failures[0].starts_with("recording-001.mkv (chunks): the MiB at byte 0 differs"),
        "{failures:?}"
    );
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// A chunk list (and a manifest) naming a file outside the part's folder: `--chunks` refuses
/// the name as the file checks do, and reads nothing there.
#[test]
fn verify_chunks_never_reads_outside_the_part() {
    let recorded = record_and_seal();
    let (data, part) = (&recorded.data, &recorded.part);
    let outside = part.parent().expect("the session's folder").join("escape");
    std::fs::write(&outside, b"x").expect("a file beside the part");
    let name = "../escape";
    let hash = sha256_hex(b"x");
    let chunks_path = part.join("chunks.json");
    let mut chunks: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&chunks_path).expect("chunks.json")).expect("JSON");
    chunks["files"]
        .as_array_mut()
        .expect("files")
        .push(serde_json::json!({ "name": name, "sha256": [hash] }));
    let chunks = serde_json::to_vec(&chunks).expect("JSON");
    std::fs::write(&chunks_path, &chunks).expect("written");
    let manifest_path = part.join("manifest.json");
    let mut manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&manifest_path).expect("manifest")).expect("JSON");
    let files = manifest["files"].as_array_mut().expect("files");
    for file in files.iter_mut() {
        if file["name"] == "chunks.json" {
            file["size"] = serde_json::json!(chunks.len());
            file["sha256"] = serde_json::json!(sha256_hex(&chunks));
        }
    }
    files.push(serde_json::json!({ "name": name, "size": 1, "sha256": hash }));
    std::fs::write(&manifest_path, serde_json::to_vec(&manifest).expect("JSON")).expect("written");

    let (ok, json) = verify(data, part, &["--chunks"]);
    assert!(!ok);
    let failures = failed(&json);
    assert!(
        failures
            .iter()
            .any(|line| line == "../escape (chunks): the name leaves the folder: refused"),
        "{failures:?}"
    );
    assert!(
        !failures
            .iter()
            .any(|line| line.starts_with("../escape (chunks): every MiB")),
        "{failures:?}"
    );
}
