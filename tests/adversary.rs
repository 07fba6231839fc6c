//! The record against a careless user and an attacker, through the real binary: no output
//! path replaces a record, no file the seal does not list passes or travels, no part of
//! another case passes for this one, no link or FIFO hangs the verifier, and every failure
//! names what failed.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use common::*;

const CASE: &str = "2-5678/2026";

fn sha256(path: &Path) -> String {
    hattama::digest::sha256_file(path).expect("hashed").sha256
}

/// Runs `command`, killing it if it has not ended within `limit` (a verifier that hangs on a
/// FIFO fails the test instead of hanging it).
fn within(mut command: Command, limit: Duration) -> Output {
    let mut child = command
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("runs");
    let deadline = Instant::now() + limit;
    loop {
        if child.try_wait().expect("waits").is_some() {
            return child.wait_with_output().expect("output");
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{command:?} did not end within {limit:?}");
        }
        std::thread::yield_now();
        std::thread::park_timeout(Duration::from_millis(20));
    }
}

fn verify_within(data: &Path, path: &Path) -> (bool, serde_json::Value) {
    let mut command = hattama();
    command
        .arg("--data")
        .arg(data)
        .arg("verify")
        .arg(path)
        .arg("--json");
    let output = within(command, Duration::from_secs(20));
    let json = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|_| panic!("JSON: {} {}", text(&output.stdout), text(&output.stderr)));
    (output.status.success(), json)
}

fn failures_naming(json: &serde_json::Value, name: &str) -> Vec<String> {
    failed(json)
        .into_iter()
        .filter(|line| line.contains(name))
        .collect()
}

#[test]
fn no_output_path_replaces_a_record_or_anything_in_the_data_folder() {
    let work = tempfile::tempdir().expect("temporary folder");
    let data = work.path().join("data");
    let part = record_demo_part(&data, CASE, 2, None);
    let recording = part.join("recording-001.mkv");
    let database = data.join("hattama.sqlite3");
    let before = (sha256(&recording), sha256(&database));

    // Over a sealed recording, over the court's database, and over a copy of a recording
    // outside the data folder (a USB stick): refused, each named, untouched.
    let copy = work.path().join("recording-001.mkv");
    std::fs::copy(&recording, &copy).expect("a copy");
    for (target, says) in [
        (&recording, "inside Hattama's data folder"),
        (&database, "inside Hattama's data folder"),
        (&copy, "already exists"),
    ] {
        for force in [&[][..], &["--force"][..]] {
            let output = disc_build_case(&data, CASE, target, force);
            let stderr = text(&output.stderr);
            assert!(!output.status.success(), "{target:?} {force:?}: {stderr}");
            assert!(stderr.contains(says), "{stderr}");
            assert!(
                stderr.contains(&target.display().to_string()),
                "names it: {stderr}"
            );
        }
    }
    let inside = data.join("copy.iso");
    let output = disc_build_case(&data, CASE, &inside, &[]);
    assert!(!output.status.success());
    assert!(!inside.exists(), "nothing written inside the data folder");
    assert_eq!((sha256(&recording), sha256(&database)), before);
    assert_eq!(sha256(&copy), before.0);
    let (ok, report) = verify(&data, &part, &[]);
    assert!(ok, "the part still verifies: {report:#}");

    // A file that is not a disc image: never replaced, even with --force.
    let letter = work.path().join("letter.iso");
    std::fs::write(&letter, "Құрметті судья …").expect("a file");
    let output = disc_build_case(&data, CASE, &letter, &["--force"]);
    assert!(!output.status.success());
    assert!(text(&output.stderr).contains("not a disc image Hattama made"));
    assert_eq!(
        std::fs::read_to_string(&letter).expect("read"),
        "Құрметті судья …"
    );

    // A new name: written. The same name again: refused without --force, replaced with it.
    let image = work.path().join("case.iso");
    let first = disc_build_case(&data, CASE, &image, &[]);
    assert!(first.status.success(), "{}", text(&first.stderr));
    let made = sha256(&image);
    let again = disc_build_case(&data, CASE, &image, &[]);
    assert!(!again.status.success());
    assert!(
        text(&again.stderr).contains("disc image Hattama made earlier"),
        "{}",
        text(&again.stderr)
    );
    assert_eq!(sha256(&image), made, "untouched when refused");
    let forced = disc_build_case(&data, CASE, &image, &["--force"]);
    assert!(forced.status.success(), "{}", text(&forced.stderr));
    let (ok, report) = verify(&data, &image, &[]);
    assert!(ok, "{report:#}");

    // Pages and reports: never over a file, never into the data folder.
    for args in [
        vec!["disc", "inventory", "--case", CASE, "--html"],
        vec!["check", "--html"],
    ] {
        for target in [&letter, &database] {
            let output = hattama()
                .arg("--data")
                .arg(&data)
                .args(&args)
                .arg(target)
                .output()
                .expect("runs");
            assert!(!output.status.success(), "{args:?} {target:?}");
            let stderr = text(&output.stderr);
            assert!(stderr.contains(&target.display().to_string()), "{stderr}");
        }
    }
    // The database was written to by Hattama meanwhile (the discs, the checks), never
    // replaced: it is whole.
    let integrity: String = common::database(&data)
        .query_row("PRAGMA integrity_check", [], |row| row.get(0))
        .expect("a database");
    assert_eq!(integrity, "ok");
    assert_eq!(
        std::fs::read_to_string(&letter).expect("read"),
        "Құрметті судья …"
    );
    let page = work.path().join("inventory.html");
    let output = hattama()
        .arg("--data")
        .arg(&data)
        .args(["disc", "inventory", "--case", CASE, "--html"])
        .arg(&page)
        .output()
        .expect("runs");
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(
        std::fs::read_to_string(&page)
            .expect("a page")
            .contains("<html")
    );
}

#[test]
fn a_disc_checked_where_the_database_cannot_be_read_says_so_and_fails() {
    let work = tempfile::tempdir().expect("temporary folder");
    let data = work.path().join("data");
    record_demo_part(&data, CASE, 2, None);
    let image = work.path().join("case.iso");
    let built = disc_build_case(&data, CASE, &image, &[]);
    assert!(built.status.success(), "{}", text(&built.stderr));
    let (ok, _) = verify(&data, &image, &[]);
    assert!(ok);

    // A database from a newer Hattama, then a damaged one.
    let database = data.join("hattama.sqlite3");
    rusqlite::Connection::open(&database)
        .expect("opens")
        .pragma_update(None, "user_version", 999)
        .expect("newer");
    let (ok, report) = verify(&data, &image, &[]);
    assert!(!ok, "{report:#}");
    let said = failures_naming(&report, "case inventory");
    assert!(
        said.iter().any(|line| line.contains("cannot be read")
            && line.contains("signatures and hashes were checked")),
        "{said:?}"
    );
    std::fs::write(&database, vec![0x5a; 8192]).expect("damaged");
    let (ok, report) = verify(&data, &image, &[]);
    assert!(!ok);
    assert_eq!(
        failures_naming(&report, "case inventory").len(),
        1,
        "{report:#}"
    );
}

#[test]
fn a_file_the_seal_does_not_list_fails_verify_stays_off_the_disc_and_is_never_played() {
    let work = tempfile::tempdir().expect("temporary folder");
    let data = work.path().join("data");
    let part = record_demo_part(&data, CASE, 2, None);
    let sealed_recordings = hattama::seal::part::recordings_of(&part);
    assert_eq!(sealed_recordings, [part.join("recording-001.mkv")]);

    // A CMS signature file too: this seal names no court certificate.
    for extra in [
        "recording-1.mkv",
        "recording-002.mkv",
        "notes.txt",
        "manifest.json.p7s",
    ] {
        std::fs::copy(part.join("recording-001.mkv"), part.join(extra)).expect("planted");
        let (ok, report) = verify(&data, &part, &[]);
        assert!(!ok, "{extra} passed: {report:#}");
        let named = failures_naming(&report, extra);
        assert_eq!(named.len(), 1, "{report:#}");
        assert!(named[0].contains("the seal does not list"), "{named:?}");

        let image = work.path().join(format!("{extra}.iso"));
        let output = disc_build_case(&data, CASE, &image, &[]);
        assert!(!output.status.success(), "{extra} went onto a disc");
        assert!(
            text(&output.stderr).contains(extra),
            "{}",
            text(&output.stderr)
        );
        assert!(!image.exists());
        // The player and clips take what the seal lists, not what is in the folder.
        assert_eq!(hattama::seal::part::recordings_of(&part), sealed_recordings);
        std::fs::remove_file(part.join(extra)).expect("removed");
    }
    // A folder and a link are named too.
    std::fs::create_dir(part.join("more")).expect("a folder");
    std::os::unix::fs::symlink("recording-001.mkv", part.join("recording-003.mkv"))
        .expect("a link");
    let (ok, report) = verify(&data, &part, &[]);
    assert!(!ok);
    assert!(
        failures_naming(&report, "more")
            .iter()
            .any(|l| l.contains("a folder"))
    );
    assert!(
        failures_naming(&report, "recording-003.mkv")
            .iter()
            .any(|l| l.contains("a link"))
    );
}

/// `cp -a from to`.
fn copy_folder(from: &Path, to: &Path) {
    let copied = Command::new("cp")
        .arg("-a")
        .arg(from)
        .arg(to)
        .status()
        .expect("cp");
    assert!(copied.success());
}

/// The image's files, extracted by xorriso into `into`.
fn extract(image: &Path, into: &Path) {
    let extracted = Command::new("xorriso")
        .args(["-osirrox", "on", "-indev"])
        .arg(image)
        .args(["-extract", "/"])
        .arg(into)
        .output()
        .expect("xorriso runs");
    assert!(extracted.status.success());
}

/// Records a part of `case` into `data`; returns its folder.
fn part_of(data: &Path, case: &str) -> PathBuf {
    record_demo_part(data, case, 2, None)
}

#[test]
fn a_part_of_another_case_put_in_this_case_folder_is_refused() {
    let work = tempfile::tempdir().expect("temporary folder");
    let data = work.path().join("data");
    let ours = part_of(&data, CASE);
    let theirs = part_of(&data, "2-9999/2026");
    // Case B's part takes the place of case A's.
    let aside = work.path().join("ours-aside");
    std::fs::rename(&ours, &aside).expect("moved aside");
    copy_folder(&theirs, &ours);

    let image = work.path().join("case.iso");
    let output = disc_build_case(&data, CASE, &image, &[]);
    assert!(
        !output.status.success(),
        "a foreign part went onto the disc"
    );
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("the seal is of case 2-9999/2026"),
        "{stderr}"
    );
    assert!(!image.exists());

    let (ok, report) = verify(&data, &ours, &[]);
    assert!(!ok, "{report:#}");
    let named = failures_naming(&report, "folder");
    assert!(
        named
            .iter()
            .any(|l| l.contains("the seal is of case 2-9999/2026")),
        "{report:#}"
    );

    // Back in place, the disc is made; a copy of it with the foreign part swapped in fails.
    std::fs::remove_dir_all(&ours).expect("removed");
    std::fs::rename(&aside, &ours).expect("back");
    let built = disc_build_case(&data, CASE, &image, &[]);
    assert!(built.status.success(), "{}", text(&built.stderr));
    let copy = work.path().join("disc");
    extract(&image, &copy);
    let inside = copy.join(ours.strip_prefix(data.join("sessions")).expect("inside"));
    let made_writable = Command::new("chmod")
        .args(["-R", "u+w"])
        .arg(&copy)
        .status()
        .expect("chmod");
    assert!(made_writable.success());
    std::fs::remove_dir_all(&inside).expect("removed");
    copy_folder(&theirs, &inside);
    let (ok, report) = verify(&data, &copy, &[]);
    assert!(!ok);
    assert!(
        failures_naming(&report, "case: ")
            .iter()
            .any(|l| l.contains("sealed for case 2-9999/2026, on the disc of case 2-5678/2026")),
        "{report:#}"
    );
}

#[test]
fn links_fifos_and_endless_files_are_refused_never_followed_or_waited_on() {
    let work = tempfile::tempdir().expect("temporary folder");
    let data = work.path().join("data");
    let part = part_of(&data, CASE);
    let fifo = work.path().join("fifo");
    let made = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(made.success());

    for (name, target) in [
        ("protocol.json", fifo.as_path()),
        ("manifest.json.minisig", Path::new("/dev/zero")),
        ("SHA256SUMS", Path::new("/dev/zero")),
        ("manifest.json", fifo.as_path()),
    ] {
        let file = part.join(name);
        let kept = work.path().join("kept");
        std::fs::rename(&file, &kept).expect("set aside");
        std::os::unix::fs::symlink(target, &file).expect("a link");
        let (ok, report) = verify_within(&data, &part);
        assert!(!ok, "{name}: {report:#}");
        let named = failures_naming(&report, name);
        assert!(
            named.iter().any(|line| line.contains("a link, not a file")),
            "{name}: {report:#}"
        );
        std::fs::remove_file(&file).expect("link removed");
        std::fs::rename(&kept, &file).expect("back");
    }
    // A FIFO itself (not a link) in the place of a sealed file.
    let sums = part.join("SHA256SUMS");
    std::fs::remove_file(&sums).expect("removed");
    let made = Command::new("mkfifo").arg(&sums).status().expect("mkfifo");
    assert!(made.success());
    let (ok, report) = verify_within(&data, &part);
    assert!(!ok);
    assert!(
        failures_naming(&report, "SHA256SUMS")
            .iter()
            .any(|line| line.contains("not a regular file")),
        "{report:#}"
    );
}

#[test]
fn a_garbage_signature_and_a_dropped_entry_are_said_as_such() {
    let work = tempfile::tempdir().expect("temporary folder");
    let data = work.path().join("data");
    let part = part_of(&data, CASE);
    // Two entries, then the part sealed again, so the chain has links.
    let paths = hattama::paths::Paths::new(None, Some(data.clone()));
    let mut store = hattama::store::Store::open(&paths.database()).expect("store");
    let row = store.parts_of(1).expect("parts").remove(0);
    for words in ["Сот отырысы ашылды.", "Истец поддержал исковые требования."]
    {
        store
            .add_entry(&hattama::protocol::NewEntry {
                session_id: row.session_id,
                stamp: hattama::protocol::Stamp::at(chrono::Utc::now(), None),
                kind: hattama::protocol::EntryKind::Note,
                speaker_id: None,
                text: words.to_owned(),
            })
            .expect("an entry");
    }
    hattama::seal::seal_now(
        &mut store,
        &paths,
        row.id,
        &hattama::config::Config::default(),
    )
    .expect("sealed again");
    let signature = part.join("manifest.json.minisig");
    let kept = std::fs::read(&signature).expect("read");
    std::fs::write(&signature, [0xff_u8, 0xfe, 0x00, 0x81, 0x9c].repeat(40)).expect("garbage");
    let (ok, report) = verify(&data, &part, &[]);
    assert!(!ok);
    let said = failures_naming(&report, "manifest.json.minisig");
    assert!(
        said.iter()
            .any(|l| l.contains("the signature file is not a minisign signature")),
        "{said:?}"
    );
    std::fs::write(&signature, kept).expect("restored");

    // Entry 1 taken out of the sealed protocol: named as missing.
    let protocol = part.join("protocol.json");
    let mut document: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&protocol).expect("read")).expect("JSON");
    let entries = document["entries"].as_array_mut().expect("entries");
    assert_eq!(entries.len(), 2, "the part has its entries");
    entries.remove(0);
    std::fs::write(
        &protocol,
        serde_json::to_vec_pretty(&document).expect("JSON"),
    )
    .expect("written");
    let (ok, report) = verify(&data, &part, &[]);
    assert!(!ok);
    let said = failures_naming(&report, "chain");
    assert!(
        said.iter().any(|l| l.contains("entry 1 is missing")),
        "{report:#}"
    );
}

#[test]
fn a_demo_recording_is_sent_nowhere_unless_asked_and_then_marked_demo() {
    let work = tempfile::tempdir().expect("temporary folder");
    let drop = work.path().join("drop");
    let replica = work.path().join("replica");
    for folder in [&drop, &replica] {
        std::fs::create_dir_all(folder).expect("a folder");
    }
    let config = |send_demo: bool, name: &str| {
        let path = work.path().join(name);
        std::fs::write(
            &path,
            format!(
                "[delivery]\nbaatzh_drop_folder = \"{}\"\nreplica = \"file://{}\"\n\
                 send_demo = {send_demo}\n",
                drop.display(),
                replica.display()
            ),
        )
        .expect("config");
        path
    };
    let replicate = |data: &Path, config: &Path| -> serde_json::Value {
        let output = hattama()
            .args(["replicate", "--json", "--config"])
            .arg(config)
            .arg("--data")
            .arg(data)
            .output()
            .expect("replicate runs");
        assert!(output.status.success(), "{}", text(&output.stderr));
        serde_json::from_slice(&output.stdout).expect("JSON")
    };
    let (quiet, trial) = (config(false, "quiet.toml"), config(true, "trial.toml"));
    let data = work.path().join("data");
    record_demo_part(&data, CASE, 2, Some(&quiet));
    let report = deliver_once_with(&data, &quiet, &[]);
    assert_eq!(report["outbox"], serde_json::json!([]), "{report:#}");
    let dropped = || std::fs::read_dir(&drop).expect("drop").count();
    assert_eq!(dropped(), 0, "nothing sent");
    assert_eq!(replicate(&data, &quiet)["queued"], 0, "nothing replicated");

    let other = work.path().join("other");
    record_demo_part(&other, CASE, 2, Some(&trial));
    let report = deliver_once_with(&other, &trial, &[]);
    assert!(dropped() > 0, "{report:#}");
    assert_eq!(replicate(&other, &trial)["queued"], 1, "copied as a trial");
    let payload = std::fs::read_dir(&drop)
        .expect("drop")
        .map(|e| e.expect("entry").path())
        .find(|path| path.extension().is_some_and(|e| e == "json"))
        .expect("a payload");
    let payload: serde_json::Value =
        serde_json::from_slice(&std::fs::read(payload).expect("read")).expect("JSON");
    assert_eq!(payload["demo"], true, "{payload:#}");
}

#[test]
fn a_fifo_or_a_link_where_an_image_or_a_review_expects_a_file_is_refused_not_waited_on() {
    let work = tempfile::tempdir().expect("temporary folder");
    let data = work.path().join("data");
    let part = part_of(&data, CASE);

    let recording = sha256(&part.join("recording-001.mkv"));
    // --out a FIFO, or a link (outside the data folder) to the sealed recording: refused,
    // even with --force, and neither is opened.
    let fifo = work.path().join("case.iso");
    let made = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(made.success());
    let link = work.path().join("link.iso");
    std::os::unix::fs::symlink(part.join("recording-001.mkv"), &link).expect("a link");
    for target in [&fifo, &link] {
        let mut command = hattama();
        command
            .arg("--data")
            .arg(&data)
            .args(["disc", "build", "--case", CASE, "--force", "--out"])
            .arg(target);
        let output = within(command, Duration::from_secs(60));
        assert!(!output.status.success(), "{target:?}");
        assert!(
            text(&output.stderr).contains(&target.display().to_string()),
            "{}",
            text(&output.stderr)
        );
    }
    assert_eq!(sha256(&part.join("recording-001.mkv")), recording);
    let (ok, report) = verify(&data, &part, &[]);
    assert!(ok, "the part is untouched: {report:#}");

    // A build cut short (a power cut) leaves its temporary file: named, never reused.
    let image = work.path().join("set.iso");
    let partial = hattama::disc::image::partial(&image);
    std::fs::write(&partial, b"half an image").expect("a partial image");
    let output = disc_build_case(&data, CASE, &image, &[]);
    assert!(!output.status.success());
    assert!(
        text(&output.stderr).contains(&partial.display().to_string()),
        "{}",
        text(&output.stderr)
    );
    assert_eq!(std::fs::read(&partial).expect("kept"), b"half an image");
    assert!(!image.exists());

    // The judge opens a copy whose manifest, or protocol, is a link to a FIFO: said at once.
    for name in ["manifest.json", "protocol.json"] {
        let copy = work.path().join(format!("copy-{name}"));
        copy_folder(&part, &copy);
        std::fs::remove_file(copy.join(name)).expect("removed");
        std::os::unix::fs::symlink(&fifo, copy.join(name)).expect("a link to a FIFO");
        let (sender, answer) = std::sync::mpsc::channel();
        let unpack = work.path().join("unpack");
        std::thread::spawn(move || {
            let _ = sender.send(hattama::review::Review::open(&copy, &unpack).is_err());
        });
        let refused = answer
            .recv_timeout(Duration::from_secs(20))
            .unwrap_or_else(|_| panic!("the review waited on a FIFO for {name}"));
        assert!(refused, "{name}: a review opened");
    }
}

#[test]
fn a_value_that_is_not_an_address_is_named_with_its_key_and_file() {
    let work = tempfile::tempdir().expect("temporary folder");
    let config = work.path().join("config.toml");
    std::fs::write(&config, "[delivery]\nbaatzh_url = \"not a url at all\"\n").expect("config");
    let output = hattama()
        .args(["deliver", "--once", "--config"])
        .arg(&config)
        .arg("--data")
        .arg(work.path().join("data"))
        .output()
        .expect("runs");
    assert!(!output.status.success());
    let said = text(&output.stderr);
    assert!(said.contains("delivery.baatzh_url"), "{said}");
    assert!(said.contains(&config.display().to_string()), "{said}");
    assert!(
        !work.path().join("data").exists(),
        "nothing made before the error"
    );
}

#[test]
fn two_workstations_recording_one_case_never_share_a_folder_a_key_or_a_receipt() {
    let work = tempfile::tempdir().expect("temporary folder");
    let received = work.path().join("received");
    let receiver = hattama::delivery::receiver::Receiver::start("127.0.0.1:0", &received, None)
        .expect("the receiver");
    let config = court_config_file(work.path(), &format!("baatzh_url = \"{}\"", receiver.url()));
    // Each workstation's first session of the case, the same day: session 1 on both.
    let parts: Vec<PathBuf> = ["hall-3", "hall-5"]
        .iter()
        .map(|hall| record_demo_part(&work.path().join(hall), CASE, 2, Some(&config)))
        .collect();
    let names: Vec<String> = parts
        .iter()
        .map(|part| {
            let session = part.parent().expect("session").file_name().expect("name");
            session.to_string_lossy().into_owned()
        })
        .collect();
    assert!(names.iter().all(|name| name.contains("_s1-")), "{names:?}");
    assert_ne!(
        names[0], names[1],
        "one session folder name for two workstations"
    );
    let uids: Vec<String> = parts
        .iter()
        .map(|part| {
            let manifest: serde_json::Value =
                serde_json::from_slice(&std::fs::read(part.join("manifest.json")).expect("read"))
                    .expect("JSON");
            manifest["session_uid"]
                .as_str()
                .expect("session_uid")
                .to_owned()
        })
        .collect();
    assert_eq!(uids[0].len(), 32);
    assert_ne!(uids[0], uids[1]);
    for hall in ["hall-3", "hall-5"] {
        deliver_once_with(&work.path().join(hall), &config, &[]);
    }
    assert_eq!(
        receiver.received().len(),
        2,
        "both protocols kept: neither taken for the other's duplicate"
    );
    for ((part, name), hall) in parts.iter().zip(&names).zip(["hall-3", "hall-5"]) {
        let (ok, report) = verify(&work.path().join(hall), part, &[]);
        assert!(ok, "{name}: {report:#}");
    }
}
