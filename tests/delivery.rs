//! Delivery of short protocols to ҚР СО БААТЖ through the outbox, against the reference
//! receiver running for real on 127.0.0.1, through failures and restarts of Hattama.

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::*;
use hattama::delivery::receiver::{Mode, Receiver};

/// A configuration sending to `url` (or a drop folder), retrying fast for the test.
fn delivery_config(folder: &Path, settings: &str) -> PathBuf {
    let path = folder.join("delivery.toml");
    std::fs::write(
        &path,
        // The tests record demo parts: sent, as a trial of the servers is.
        format!(
            "[delivery]\nretry_base_ms = 50\ntimeout_ms = 1000\nsend_demo = true\n{settings}\n"
        ),
    )
    .expect("config written");
    path
}

/// Records a sealed demo part of a new session, with the delivery configuration.
fn sealed_part(data: &Path, config: &Path, case: &str) -> PathBuf {
    record_demo_part(data, case, 2, Some(config))
}

fn deliver_once(data: &Path, config: &Path) -> serde_json::Value {
    deliver_once_with(data, config, &[])
}

/// The states of the protocol rows (each seal also queues an upload, not configured here).
fn states(report: &serde_json::Value) -> Vec<String> {
    rows_of(report, "protocol")
        .iter()
        .map(|row| row["state"].as_str().unwrap_or("").to_owned())
        .collect()
}

fn rows_of<'a>(report: &'a serde_json::Value, kind: &str) -> Vec<&'a serde_json::Value> {
    report["outbox"]
        .as_array()
        .expect("outbox")
        .iter()
        .filter(|row| row["kind"] == kind)
        .collect()
}

/// Puts every outbox row of `kind` back to pending, due now, as if not sent yet.
fn send_again(data: &Path, kind: &str) {
    database(data)
        .execute(
            "UPDATE outbox SET state = 'pending', next_attempt_at = NULL WHERE kind = ?1",
            [kind],
        )
        .expect("rows put back");
}

#[test]
fn every_protocol_arrives_once_and_whole_through_failures_and_restarts() {
    let work = tempfile::tempdir().expect("temporary folder");
    let data = work.path().join("data");
    let port = free_port();
    let url = format!("http://127.0.0.1:{port}/protocols");
    let config = delivery_config(
        work.path(),
        &format!("baatzh_url = \"{url}\"\nbaatzh_token = \"t0ken\""),
    );
    let parts: Vec<PathBuf> = ["2-1/2026", "2-Іс/2026"]
        .iter()
        .map(|case| sealed_part(&data, &config, case))
        .collect();

    // The receiver is down: every row waits to be sent again, with the reason.
    let report = deliver_once(&data, &config);
    assert_eq!(states(&report), ["retrying", "retrying"], "{report:#}");
    assert!(
        rows_of(&report, "protocol")[0]["last_error"]
            .as_str()
            .is_some_and(|e| !e.is_empty()),
        "{report:#}"
    );

    // Up, but in trouble for a while: 500, 429 with Retry-After, a reset, a stall.
    let store = work.path().join("received");
    let receiver = Receiver::start(
        &format!("127.0.0.1:{port}"),
        &store,
        Some("t0ken".to_owned()),
    )
    .expect("the receiver starts");
    receiver.misbehave(Mode::Fail, 1);
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut troubles = [
        (Mode::Throttle(1), 1),
        (Mode::Reset, 1),
        (Mode::Stall(Duration::from_millis(1500)), 1),
    ]
    .into_iter();
    // Each pass is a new process: a restart of Hattama between any two attempts.
    loop {
        let report = deliver_once(&data, &config);
        if states(&report).iter().all(|s| s == "delivered") && receiver.misbehaving_for() == 0 {
            break;
        }
        assert!(Instant::now() < deadline, "not delivered: {report:#}");
        // The next trouble once the last one has been met.
        if receiver.misbehaving_for() == 0
            && let Some((mode, count)) = troubles.next()
        {
            receiver.misbehave(mode, count);
        }
        std::thread::sleep(Duration::from_millis(100));
    }

    // Exactly once each, byte for byte the sealed protocol.txt.
    let received = receiver.received();
    assert_eq!(received.len(), 2, "{:?}", received.keys());
    let mut texts: Vec<&String> = received.values().collect();
    texts.sort();
    let mut sealed: Vec<String> = parts
        .iter()
        .map(|part| std::fs::read_to_string(part.join("protocol.txt")).expect("protocol"))
        .collect();
    sealed.sort();
    assert_eq!(texts, sealed.iter().collect::<Vec<_>>());
    let log = receiver.log();
    for key in received.keys() {
        let accepted = log
            .iter()
            .filter(|s| &s.key == key && s.status == 201)
            .count();
        assert_eq!(accepted, 1, "{key} accepted once: {log:#?}");
    }
    for status in [500, 429, 0, 503] {
        assert!(
            log.iter().any(|s| s.status == status),
            "{status} was tried: {log:#?}"
        );
    }
    // Retry-After: 1 was honoured by the next attempt of the same protocol.
    let throttled = log.iter().position(|s| s.status == 429).expect("a 429");
    if let Some(next) = log[throttled + 1..]
        .iter()
        .find(|s| s.key == log[throttled].key)
    {
        assert!(
            next.at - log[throttled].at >= Duration::from_millis(950),
            "waited {:?} after Retry-After: 1",
            next.at - log[throttled].at
        );
    }

    // Marked delivered, then found undelivered (a crash between sending and recording):
    // sent again, the receiver knows the key, nothing is stored twice.
    send_again(&data, "protocol");
    let report = deliver_once(&data, &config);
    assert_eq!(states(&report), ["delivered", "delivered"]);
    assert_eq!(receiver.received().len(), 2);
    assert_eq!(
        receiver.log().iter().filter(|s| s.status == 409).count(),
        2,
        "both refused as duplicates"
    );
    let receipts: Vec<String> = rows_of(&report, "protocol")
        .iter()
        .map(|r| r["receipt"].as_str().unwrap_or("").to_owned())
        .collect();
    assert!(receipts.iter().all(|r| r.starts_with("R-")), "{receipts:?}");
}

#[test]
fn bad_configuration_is_said_clearly_and_a_drop_folder_gets_whole_files() {
    let work = tempfile::tempdir().expect("temporary folder");
    let data = work.path().join("data");
    let store = work.path().join("received");
    let receiver = Receiver::start("127.0.0.1:0", &store, Some("right".to_owned()))
        .expect("the receiver starts");
    let wrong_token = delivery_config(
        work.path(),
        &format!(
            "baatzh_url = \"{}\"\nbaatzh_token = \"wrong\"",
            receiver.url()
        ),
    );
    let part = sealed_part(&data, &wrong_token, "3-1/2026");

    // A wrong token is refused for good: failed, with the receiver's words, for a person.
    let report = deliver_once(&data, &wrong_token);
    assert_eq!(states(&report), ["failed"]);
    let error = rows_of(&report, "protocol")[0]["last_error"]
        .as_str()
        .expect("error");
    assert!(error.contains("401") && error.contains("token"), "{error}");
    assert!(receiver.received().is_empty());
    // Left alone by later passes, until a person sends it again with the cause fixed.
    assert_eq!(states(&deliver_once(&data, &wrong_token)), ["failed"]);
    let right_token = delivery_config(
        work.path(),
        &format!(
            "baatzh_url = \"{}\"\nbaatzh_token = \"right\"",
            receiver.url()
        ),
    );
    let report = deliver_once_with(&data, &right_token, &["--retry-failed"]);
    assert_eq!(states(&report), ["delivered"]);
    assert_eq!(receiver.received().len(), 1);

    // Nothing configured: it waits, untouched.
    let none = delivery_config(work.path(), "");
    let db = database(&data);
    db.execute("UPDATE outbox SET state = 'pending', attempts = 0", [])
        .expect("reset");
    let report = deliver_once(&data, &none);
    assert_eq!(states(&report), ["pending"]);
    assert_eq!(
        report["pass"]["not_configured"], 3,
        "the protocol, the upload and the archive copy wait"
    );

    // A host nobody answers on: retried, saying so.
    let unreachable = delivery_config(
        work.path(),
        &format!(
            "baatzh_url = \"http://127.0.0.1:{}/protocols\"",
            free_port()
        ),
    );
    let report = deliver_once(&data, &unreachable);
    assert_eq!(states(&report), ["retrying"]);
    assert!(rows_of(&report, "protocol")[0]["next_attempt_at"].is_string());

    // A drop folder: the protocol written whole, beside its payload.
    let drop = work.path().join("drop");
    let by_files = delivery_config(
        work.path(),
        &format!("baatzh_drop_folder = \"{}\"", drop.display()),
    );
    send_again(&data, "protocol");
    let report = deliver_once(&data, &by_files);
    assert_eq!(states(&report), ["delivered"]);
    let names: Vec<String> = std::fs::read_dir(&drop)
        .expect("drop folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(names.iter().all(|n| !n.ends_with(".tmp")));
    let text_file = names
        .iter()
        .find(|n| n.ends_with(".txt"))
        .expect("the text");
    assert_eq!(
        std::fs::read(drop.join(text_file)).expect("read"),
        std::fs::read(part.join("protocol.txt")).expect("sealed")
    );
}

/// A configuration sending to `which` (`server`, `replica`) on the S3 server at `port`,
/// `bucket_and_prefix` under `root` (the bucket's folder is made).
fn s3_config(work: &Path, which: &str, bucket_and_prefix: &str, port: u16, root: &Path) -> PathBuf {
    let bucket = bucket_and_prefix.split('/').next().expect("a bucket");
    std::fs::create_dir_all(root.join(bucket)).expect("the bucket");
    delivery_config(
        work,
        &format!(
            "{which} = \"s3://{bucket_and_prefix}\"\n{which}_endpoint = \"http://127.0.0.1:{port}\"\n\
             {which}_access_key = \"hattama\"\n{which}_secret_key = \"court-secret\""
        ),
    )
}

/// A part folder as `<session folder>/<part>`, as servers and discs name it.
fn relative_folder(part: &Path) -> String {
    common::on_server(part)
}

/// Every file of a part folder but its lock, by name, with its bytes.
fn part_files(folder: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(folder)
        .expect("folder")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.file_name().is_some_and(|n| n != "part.lock"))
        .map(|path| {
            (
                path.file_name()
                    .expect("name")
                    .to_string_lossy()
                    .into_owned(),
                std::fs::read(&path).expect("read"),
            )
        })
        .collect()
}

#[test]
fn sealed_parts_go_up_to_the_court_server_checked_and_resume_after_an_interruption() {
    let work = tempfile::tempdir().expect("temporary folder");
    let data = work.path().join("data");
    let (port, root) = (free_port(), work.path().join("s3"));
    let config = s3_config(work.path(), "server", "court/записи", port, &root);
    let part = sealed_part(&data, &config, "2-Іс/2026 Қ");
    let relative = relative_folder(&part);
    assert!(relative.contains("Іс"), "Cyrillic names: {relative}");

    // The server is down: retried, saying why.
    let report = deliver_once(&data, &config);
    let upload = rows_of(&report, "upload");
    assert_eq!(upload[0]["state"], "retrying", "{report:#}");

    // Up: everything goes, and the server holds exactly the sealed files.
    let s3 = S3::start(&root, port);
    assert!(s3.endpoint.ends_with(&port.to_string()));
    let deadline = Instant::now() + Duration::from_secs(60);
    while rows_of(&deliver_once(&data, &config), "upload")[0]["state"] != "delivered" {
        assert!(Instant::now() < deadline, "uploaded in time");
        std::thread::sleep(Duration::from_millis(100));
    }
    let on_server = root.join("court/записи").join(&relative);
    assert_eq!(part_files(&on_server), part_files(&part), "byte for byte");
    sums_check(&on_server);

    // Interrupted: a file lost on the server, another damaged there. Sent again, only the
    // missing and the damaged files go up; the server's copy is whole again.
    std::fs::remove_file(on_server.join("protocol.txt")).expect("lost");
    let recording = on_server.join("recording-001.mkv");
    let mut bytes = std::fs::read(&recording).expect("read");
    bytes[1000] ^= 1;
    std::fs::write(&recording, bytes).expect("damaged");
    let untouched = on_server.join("audio.opus");
    let before = std::fs::metadata(&untouched)
        .expect("there")
        .modified()
        .expect("time");
    send_again(&data, "upload");
    std::thread::sleep(Duration::from_millis(20));
    let report = deliver_once(&data, &config);
    assert_eq!(
        rows_of(&report, "upload")[0]["state"],
        "delivered",
        "{report:#}"
    );
    assert_eq!(part_files(&on_server), part_files(&part));
    assert_eq!(
        std::fs::metadata(&untouched)
            .expect("there")
            .modified()
            .expect("time"),
        before,
        "a file already whole on the server is not sent again"
    );
    drop(s3);

    // A damaged local copy is never uploaded as if whole: refused, for a person.
    let local = part.join("recording-001.mkv");
    let mut bytes = std::fs::read(&local).expect("read");
    bytes[2000] ^= 1;
    std::fs::write(&local, bytes).expect("damaged");
    let folder_target = work.path().join("server");
    std::fs::create_dir_all(&folder_target).expect("server folder");
    let to_folder = delivery_config(
        work.path(),
        &format!("server = \"file://{}\"", folder_target.display()),
    );
    send_again(&data, "upload");
    let report = deliver_once(&data, &to_folder);
    let row = rows_of(&report, "upload")[0];
    assert_eq!(row["state"], "failed", "{report:#}");
    assert!(
        row["last_error"].as_str().is_some_and(
            |e| e.contains("recording-001.mkv") && e.contains("differs from the sealed")
        ),
        "{row:#}"
    );
    assert!(
        !folder_target
            .join(&relative)
            .join("recording-001.mkv")
            .exists(),
        "not on the server"
    );

    // A server folder that is not there: a clear refusal.
    let missing = delivery_config(work.path(), "server = \"file:///no/such/folder\"");
    send_again(&data, "upload");
    let report = deliver_once(&data, &missing);
    let row = rows_of(&report, "upload")[0];
    assert_eq!(row["state"], "failed");
    assert!(
        row["last_error"]
            .as_str()
            .is_some_and(|e| e.contains("no such folder")),
        "{row:#}"
    );
}

#[test]
fn a_wrong_key_or_a_missing_bucket_is_said_clearly_and_sent_once_corrected() {
    let work = tempfile::tempdir().expect("temporary folder");
    let data = work.path().join("data");
    let (port, root) = (free_port(), work.path().join("s3"));
    let config = s3_config(work.path(), "server", "court", port, &root);
    let part = sealed_part(&data, &config, "7-Қ/2026");
    let _s3 = S3::start(&root, port);
    let attempt = |settings: &str| {
        let config = delivery_config(work.path(), settings);
        send_again(&data, "upload");
        let report = deliver_once(&data, &config);
        rows_of(&report, "upload")[0].clone()
    };
    let server = |bucket: &str, secret: &str| {
        format!(
            "server = \"s3://{bucket}\"\nserver_endpoint = \"http://127.0.0.1:{port}\"\n\
             server_access_key = \"hattama\"\nserver_secret_key = \"{secret}\""
        )
    };

    let row = attempt(&server("court", "not-the-secret"));
    assert_eq!(
        row["state"], "failed",
        "a wrong key needs a person: {row:#}"
    );
    let error = row["last_error"].as_str().expect("why");
    assert!(
        error.contains("refuses the key") && error.contains("server_secret_key"),
        "{error}"
    );

    let row = attempt(&server("нет-такого", "court-secret"));
    assert_eq!(row["state"], "failed", "{row:#}");
    let error = row["last_error"].as_str().expect("why");
    assert!(
        error.contains("no such bucket") && error.contains("Make the bucket"),
        "{error}"
    );

    // A scheme no server has: refused when the configuration is read, naming the key.
    let config = delivery_config(work.path(), "server = \"ftp://court\"");
    let refused = hattama()
        .args(["deliver", "--once", "--json", "--config"])
        .arg(&config)
        .arg("--data")
        .arg(&data)
        .output()
        .expect("deliver runs");
    assert!(!refused.status.success());
    let said = text(&refused.stderr);
    assert!(
        said.contains("delivery.server") && said.contains("ftp://"),
        "{said}"
    );

    // Nobody listening there: not a refusal, tried again later.
    let row = attempt(&server("court", "court-secret").replace(&port.to_string(), "9"));
    assert_eq!(row["state"], "retrying", "{row:#}");

    // Corrected: sent.
    let row = attempt(&server("court", "court-secret"));
    assert_eq!(row["state"], "delivered", "{row:#}");
    sums_check(&root.join("court").join(relative_folder(&part)));
}

fn run_with(config: &Path, data: &Path, args: &[&str]) -> std::process::Output {
    hattama()
        .args(args)
        .arg("--config")
        .arg(config)
        .arg("--data")
        .arg(data)
        .output()
        .expect("hattama runs")
}

/// The session id of a part, as its session folder's name ends (`…_s<ID>-<identity>`).
fn session_of(part: &Path) -> String {
    part.parent()
        .and_then(|s| s.file_name())
        .map(|s| {
            let name = s.to_string_lossy();
            let number = name.rsplit("_s").next().unwrap_or("");
            number.split('-').next().unwrap_or("").to_owned()
        })
        .expect("session id")
}

/// `sha256sum -c SHA256SUMS` in `folder`: the independent check of a copy.
fn sums_check(folder: &Path) {
    let sums = std::process::Command::new("sha256sum")
        .args(["-c", "--quiet", "SHA256SUMS"])
        .current_dir(folder)
        .output()
        .expect("sha256sum runs");
    assert!(
        sums.status.success(),
        "{}: {}{}",
        folder.display(),
        text(&sums.stdout),
        text(&sums.stderr)
    );
}

/// A part folder's files but its lock.
fn names_in(folder: &Path) -> Vec<String> {
    let mut names = files_in(folder);
    names.retain(|name| name != "part.lock");
    names
}

/// The upload journal `hattama` keeps in `data/uploads` while a part goes up, if any.
fn journal(data: &Path) -> Option<serde_json::Value> {
    let file = std::fs::read_dir(data.join("uploads"))
        .ok()?
        .map(|entry| entry.expect("entry").path())
        .find(|path| path.extension().is_some_and(|e| e == "json"))?;
    serde_json::from_slice(&std::fs::read(file).ok()?).ok()
}

#[test]
fn a_multi_gigabyte_part_goes_up_in_pieces_resumes_mid_file_and_comes_back_from_the_replica() {
    let work = tempfile::tempdir().expect("temporary folder");
    let data = work.path().join("data");
    let (port, root) = (free_port(), work.path().join("s3"));
    for bucket in ["court", "region"] {
        std::fs::create_dir_all(root.join(bucket)).expect("a bucket");
    }
    let keys = |which: &str| {
        format!(
            "{which}_endpoint = \"http://127.0.0.1:{port}\"\n{which}_access_key = \"hattama\"\n\
             {which}_secret_key = \"court-secret\"\n"
        )
    };
    let config = delivery_config(
        work.path(),
        &format!(
            "server = \"s3://court/записи/Алматы\"\n{}replica = \"s3://region/реплика\"\n{}",
            keys("server"),
            keys("replica")
        ),
    );
    // 100 minutes of 720p: 2.1 GB in five recording files of at most 512 MiB.
    let made = hattama()
        .args(["bench-seal", "--minutes", "100", "--config"])
        .arg(&config)
        .arg("--data")
        .arg(&data)
        .output()
        .expect("bench-seal runs");
    assert!(made.status.success(), "{}", text(&made.stderr));
    let made: serde_json::Value = serde_json::from_slice(&made.stdout).expect("JSON");
    assert!(made["bytes"].as_u64().expect("bytes") > 2_000_000_000);
    let part = data
        .join("sessions")
        .join(made["folder"].as_str().expect("folder"));
    let relative = relative_folder(&part);
    let _s3 = S3::start(&root, port);

    // The delivery worker is killed (kill -9) in the middle of the second recording file.
    let mut worker = hattama()
        .args(["deliver", "--config"])
        .arg(&config)
        .arg("--data")
        .arg(&data)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("deliver runs");
    let deadline = Instant::now() + Duration::from_secs(240);
    loop {
        assert!(Instant::now() < deadline, "the upload goes ahead");
        let pieces = journal(&data)
            .filter(|j| j["checked"].get("recording-001.mkv").is_some())
            .and_then(|j| j["open"]["pieces"].as_array().map(Vec::len));
        if pieces.is_some_and(|n| n >= 3) {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    worker.kill().expect("killed");
    worker.wait().expect("gone");
    let interrupted = journal(&data).expect("the journal survives");
    let open = &interrupted["open"];
    assert_eq!(open["name"], "recording-002.mkv", "{interrupted:#}");
    let on_server = root.join("court/записи/Алматы").join(&relative);
    let first = on_server.join("recording-001.mkv");
    let first_written = std::fs::metadata(&first)
        .expect("the first file is there")
        .modified()
        .expect("time");
    assert!(
        !on_server.join("recording-002.mkv").exists(),
        "the interrupted file is not on the server as if whole"
    );

    // Resumed: from the piece where it stopped, the first file not sent again.
    let resumed = hattama()
        .env("HATTAMA_LOG", "hattama=info")
        .args(["deliver", "--once", "--json", "--config"])
        .arg(&config)
        .arg("--data")
        .arg(&data)
        .output()
        .expect("deliver runs");
    assert!(resumed.status.success(), "{}", text(&resumed.stderr));
    let report: serde_json::Value = serde_json::from_slice(&resumed.stdout).expect("JSON");
    let upload = rows_of(&report, "upload")
        .into_iter()
        .find(|row| row["target"] == "server")
        .expect("the server row");
    assert_eq!(upload["state"], "delivered", "{report:#}");
    let log = text(&resumed.stderr);
    let held = open["pieces"].as_array().expect("pieces").len();
    assert!(
        log.contains("recording-002.mkv: resuming at byte")
            && log.contains(&format!("{held} pieces already on the server")),
        "{log}"
    );
    assert_eq!(
        std::fs::metadata(&first)
            .expect("there")
            .modified()
            .expect("time"),
        first_written,
        "a file already checked on the server is not sent again"
    );
    assert!(
        journal(&data).is_none(),
        "the journal goes once the part is up"
    );
    assert_eq!(names_in(&on_server), names_in(&part));
    sums_check(&on_server);

    // Replicated: the replica holds the part whole.
    let output = run_with(&config, &data, &["replicate", "--json"]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let on_replica = root.join("region/реплика").join(&relative);
    assert_eq!(names_in(&on_replica), names_in(&part));
    sums_check(&on_replica);

    // A recording file lost locally: brought back from the replica, and it verifies.
    std::fs::remove_file(part.join("recording-003.mkv")).expect("lost");
    let output = run_with(
        &config,
        &data,
        &["restore", "--session", &session_of(&part), "--json"],
    );
    assert!(
        output.status.success(),
        "{}{}",
        text(&output.stdout),
        text(&output.stderr)
    );
    sums_check(&part);
    let (ok, report) = verify(&data, &part, &[]);
    assert!(ok, "{report:#}");
}

#[test]
fn parts_are_replicated_and_a_damaged_one_is_restored_only_from_a_copy_that_verifies() {
    let work = tempfile::tempdir().expect("temporary folder");
    let data = work.path().join("data");
    let (port, root) = (free_port(), work.path().join("s3"));
    let config = s3_config(work.path(), "replica", "region/реплика", port, &root);
    let part = sealed_part(&data, &config, "5-Қ/2026");
    let s3 = S3::start(&root, port);

    let output = run_with(&config, &data, &["replicate", "--json"]);
    assert!(
        output.status.success(),
        "{}{}",
        text(&output.stdout),
        text(&output.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(report["queued"], 1);
    let relative = relative_folder(&part);
    let on_replica = root.join("region/реплика").join(&relative);
    assert_eq!(
        part_files(&on_replica),
        part_files(&part),
        "the replica holds the part"
    );
    // Again: nothing new to copy, what was copied is on record.
    let again = run_with(&config, &data, &["replicate", "--json"]);
    let again: serde_json::Value = serde_json::from_slice(&again.stdout).expect("JSON");
    assert_eq!(again["queued"], 0);
    assert!(again["replicas"][0]["delivered_at"].is_string());

    // The local recording damaged: restored from the replica, the damaged copy kept.
    let original = part_files(&part);
    let recording = part.join("recording-001.mkv");
    let mut bytes = std::fs::read(&recording).expect("read");
    bytes[500] ^= 1;
    std::fs::write(&recording, &bytes).expect("damaged");
    let session = session_of(&part);
    let output = run_with(
        &config,
        &data,
        &["restore", "--session", &session, "--json"],
    );
    assert!(
        output.status.success(),
        "{}{}",
        text(&output.stdout),
        text(&output.stderr)
    );
    assert_eq!(part_files(&part), original, "whole again");
    // Kept outside sessions/: what verify scans holds the record alone.
    let session_folder = part.parent().expect("session").file_name().expect("name");
    let kept: Vec<_> = std::fs::read_dir(data.join("set-aside").join(session_folder))
        .expect("the set-aside folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains("damaged"))
        .collect();
    assert_eq!(kept.len(), 1, "the damaged copy is kept: {kept:?}");
    let (ok, _) = verify(&data, &part, &[]);
    assert!(ok, "the restored part verifies");
    let (ok, report) = verify(&data, &data.join("sessions"), &[]);
    assert!(ok, "nothing set aside is scanned: {report:#}");

    // A copy made before servers were laid out by court and case sits at
    // `<session>/<part>`: found there too.
    let legacy = format!(
        "реплика/{}/{}",
        session_folder.to_string_lossy(),
        part.file_name().expect("part").to_string_lossy()
    );
    s3.move_prefix("region", &format!("реплика/{relative}"), &legacy);
    std::fs::remove_file(part.join("protocol.txt")).expect("lost again");
    let output = run_with(&config, &data, &["restore", "--session", &session]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert_eq!(
        part_files(&part),
        original,
        "whole again, from the old layout"
    );
    let kept = std::fs::read_dir(data.join("set-aside").join(session_folder))
        .expect("the set-aside folder")
        .filter(|e| {
            let name = e.as_ref().expect("entry").file_name();
            name.to_string_lossy().contains("damaged")
        })
        .count();
    assert_eq!(kept, 2, "both damaged copies kept, even within one second");
    s3.move_prefix("region", &legacy, &format!("реплика/{relative}"));

    // A workstation that lost its database (a new data folder, the court's key installed):
    // the case's parts come back by the replica's listing, verified.
    let fresh = work.path().join("replaced");
    std::fs::create_dir_all(fresh.join("keys/trusted")).expect("folder");
    std::fs::copy(
        data.join("keys/hattama.pub"),
        fresh.join("keys/trusted/court.pub"),
    )
    .expect("the court's key");
    // A stray object whose name only ends like a manifest is no part.
    s3.put(
        "region",
        &format!(
            "реплика/{}/notes-manifest.json",
            hattama::delivery::case_prefix("", "5-Қ/2026")
        ),
        b"{}",
    );
    let output = run_with(
        &config,
        &fresh,
        &["restore", "--case", "5-Қ/2026", "--json"],
    );
    assert!(
        output.status.success(),
        "{}{}",
        text(&output.stdout),
        text(&output.stderr)
    );
    let back = fresh
        .join("sessions")
        .join(session_folder)
        .join(part.file_name().expect("part"));
    assert_eq!(
        part_files(&back),
        original,
        "the case is back on the new workstation"
    );
    let (ok, _) = verify(&fresh, &back, &[]);
    assert!(ok, "and verifies there");
    let output = run_with(&config, &fresh, &["restore", "--case", "5-Қ/2027"]);
    assert!(!output.status.success());
    assert!(
        text(&output.stderr).contains("5-Қ/2027"),
        "{}",
        text(&output.stderr)
    );

    // Whole already: nothing done.
    let output = run_with(
        &config,
        &data,
        &["restore", "--session", &session, "--json"],
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(report[0]["restored"]["already_whole"], true);

    // A tampered replica is refused, and the local copy is left as it is.
    let on_replica_recording = on_replica.join("recording-001.mkv");
    let mut bytes = std::fs::read(&on_replica_recording).expect("read");
    bytes[700] ^= 1;
    std::fs::write(&on_replica_recording, &bytes).expect("tampered");
    std::fs::remove_file(part.join("protocol.txt")).expect("lost locally");
    let before = part_files(&part);
    let output = run_with(&config, &data, &["restore", "--session", &session]);
    assert!(!output.status.success());
    assert!(
        text(&output.stderr).contains("does not verify"),
        "{}",
        text(&output.stderr)
    );
    assert_eq!(part_files(&part), before, "nothing replaced");
    let incoming = data
        .join("set-aside")
        .join(session_folder)
        .join("part-01.restoring");
    assert!(
        !incoming.exists() && !part.with_extension("restoring").exists(),
        "the refused download is not left behind"
    );
}

#[test]
fn the_archive_gets_the_sound_alone_with_the_seal_that_vouches_for_it() {
    let work = tempfile::tempdir().expect("temporary folder");
    let data = work.path().join("data");
    let archive = work.path().join("СҚЭМ");
    std::fs::create_dir_all(&archive).expect("the archive's folder");
    let config = delivery_config(
        work.path(),
        &format!("archive = \"file://{}\"", archive.display()),
    );
    let part = sealed_part(&data, &config, "6-1/2026");
    let report = deliver_once(&data, &config);
    let row = report["outbox"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|row| row["target"] == "archive")
        .expect("the archive row");
    assert_eq!(row["state"], "delivered", "{report:#}");
    let there = archive.join(relative_folder(&part));
    let names: Vec<String> = part_files(&there).into_keys().collect();
    assert_eq!(
        names,
        [
            "SHA256SUMS",
            "audio.opus",
            "manifest.json",
            "manifest.json.minisig"
        ]
    );
    assert_eq!(
        std::fs::read(there.join("audio.opus")).expect("archived"),
        std::fs::read(part.join("audio.opus")).expect("sealed")
    );
    let sums = std::process::Command::new("sha256sum")
        .args(["-c", "--ignore-missing", "SHA256SUMS"])
        .current_dir(&there)
        .output()
        .expect("sha256sum runs");
    assert!(sums.status.success(), "{}", text(&sums.stdout));
    let key = data.join("keys/hattama.pub");
    let signed = std::process::Command::new("minisign")
        .args(["-Vm", "manifest.json", "-p"])
        .arg(&key)
        .current_dir(&there)
        .output()
        .expect("minisign runs");
    assert!(signed.status.success(), "{}", text(&signed.stderr));
}

/// Rule 26: a session of cassation is stored on the regional court's recording server, one of
/// the first instance on the court's own; each arrives whole, checked by `sha256sum -c`.
#[test]
fn each_session_goes_to_the_recording_server_of_its_instance() {
    let work = tempfile::tempdir().expect("temporary folder");
    let (court, regional) = (work.path().join("court"), work.path().join("regional"));
    let data = work.path().join("data");
    let parts: Vec<(PathBuf, &Path)> = [("first", &court), ("cassation", &regional)]
        .into_iter()
        .map(|(instance, server)| {
            let folder = work.path().join(instance);
            std::fs::create_dir_all(server).expect("server folder");
            std::fs::create_dir_all(&folder).expect("config folder");
            let config = delivery_config(
                &folder,
                &format!(
                    "server = \"file://{}\"\n[delivery.cassation]\nserver = \"file://{}\"\n\
                     [court]\ninstance = \"{instance}\"",
                    court.display(),
                    regional.display()
                ),
            );
            (sealed_part(&data, &config, "3-7/2026"), server.as_path())
        })
        .collect();
    let report = deliver_once(&data, &work.path().join("cassation/delivery.toml"));
    let uploads: Vec<_> = rows_of(&report, "upload")
        .into_iter()
        .filter(|row| row["target"] == "server")
        .collect();
    assert_eq!(uploads.len(), 2, "{report:#}");
    assert!(
        uploads.iter().all(|row| row["state"] == "delivered"),
        "{report:#}"
    );
    for (part, server) in &parts {
        let copy = server.join(relative_folder(part));
        assert_eq!(part_files(&copy), part_files(part), "{}", copy.display());
        sums_check(&copy);
        let other = if *server == court { &regional } else { &court };
        assert!(
            !other.join(relative_folder(part)).exists(),
            "{} is not on the other instance's server",
            part.display()
        );
    }
}

/// Rule 23 on the court server: `replicate --from server --to replica` copies, server to
/// server and with no workstation's database, every sealed part the regional server lacks,
/// each verified before it leaves and hashed again there; an interrupted copy is completed,
/// a part whose seal fails is named and not copied; a part lost on the court server comes
/// back from the regional one the same way (`--from replica --to server`).
#[test]
fn the_court_server_replicates_to_the_regional_one_checked_and_gets_a_lost_part_back() {
    let work = tempfile::tempdir().expect("temporary folder");
    let (court_port, court_root) = (free_port(), work.path().join("court-s3"));
    let (region_port, region_root) = (free_port(), work.path().join("region-s3"));
    for (root, bucket) in [(&court_root, "court"), (&region_root, "region")] {
        std::fs::create_dir_all(root.join(bucket)).expect("bucket");
    }
    let court_s3 = S3::start(&court_root, court_port);
    let region_s3 = S3::start(&region_root, region_port);
    let store = |which: &str, url: &str, port: u16| {
        format!(
            "{which} = \"{url}\"\n{which}_endpoint = \"http://127.0.0.1:{port}\"\n\
             {which}_access_key = \"hattama\"\n{which}_secret_key = \"court-secret\"\n"
        )
    };
    // The workstation seals two parts and sends them up to the court server.
    let workstation = work.path().join("workstation");
    std::fs::create_dir_all(&workstation).expect("folder");
    let sends = delivery_config(
        &workstation,
        &store("server", "s3://court/записи", court_port),
    );
    let data = workstation.join("data");
    let parts = [
        sealed_part(&data, &sends, "6-1/2026"),
        sealed_part(&data, &sends, "6-2/2026"),
    ];
    let sent = deliver_once(&data, &sends);
    let uploads: Vec<_> = rows_of(&sent, "upload")
        .into_iter()
        .filter(|row| row["target"] == "server")
        .collect();
    assert!(
        uploads.len() == 2 && uploads.iter().all(|row| row["state"] == "delivered"),
        "{sent:#}"
    );
    // Each upload's end queued its signed event; the next pass puts both up.
    let sent = deliver_once(&data, &sends);
    let events = rows_of(&sent, "event");
    assert!(
        events.len() == 2 && events.iter().all(|row| row["state"] == "delivered"),
        "{sent:#}"
    );
    // The court server: its own data folder, trusting the courtroom's key.
    let server = work.path().join("server");
    std::fs::create_dir_all(server.join("data/keys/trusted")).expect("folder");
    std::fs::copy(
        data.join("keys/hattama.pub"),
        server.join("data/keys/trusted/courtroom-5.pub"),
    )
    .expect("trusted key");
    let config = delivery_config(
        &server,
        &(store("server", "s3://court/записи", court_port)
            + &store("replica", "s3://region/копии", region_port)),
    );
    let replicate = |from: &str, to: &str| {
        let output = run_with(
            &config,
            &server.join("data"),
            &["replicate", "--from", from, "--to", to, "--json"],
        );
        let report: serde_json::Value = serde_json::from_slice(&output.stdout)
            .unwrap_or_else(|_| panic!("JSON: {}", text(&output.stderr)));
        (output.status.success(), report)
    };
    let on = |root: &Path, bucket: &str, part: &Path| root.join(bucket).join(relative_folder(part));

    let (ok, report) = replicate("server", "replica");
    assert!(ok, "{report:#}");
    assert_eq!(
        (
            report["parts"].as_u64(),
            report["copied"].as_array().map(Vec::len)
        ),
        (Some(2), Some(2))
    );
    for part in &parts {
        let copy = on(&region_root, "region/копии", part);
        assert_eq!(part_files(&copy), part_files(part), "{}", copy.display());
        sums_check(&copy);
        // The case's events go with its parts, signature and all.
        let events = copy
            .parent()
            .and_then(Path::parent)
            .expect("the case's folder")
            .join("events");
        let names: Vec<String> = std::fs::read_dir(&events)
            .expect("the case's events on the regional server")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        assert!(
            names.len() == 2 && names.iter().any(|n| n.ends_with(".json.minisig")),
            "{names:?}"
        );
    }
    // Each part's event under its case and in the court's feed.
    assert_eq!(report["events"], 4, "{report:#}");
    let (ok, report) = replicate("server", "replica");
    assert!(
        ok && report["already"] == 2
            && report["copied"] == serde_json::json!([])
            && report["events"] == 0,
        "{report:#}"
    );

    // Interrupted before its seal arrived: completed at the next run.
    let cut = on(&region_root, "region/копии", &parts[0]);
    let in_region = |part: &Path| format!("копии/{}", relative_folder(part));
    region_s3.delete(
        "region",
        &in_region(&parts[0]),
        &["manifest.json", "recording-001.mkv"],
    );
    let (ok, report) = replicate("server", "replica");
    assert!(
        ok && report["copied"].as_array().map(Vec::len) == Some(1),
        "{report:#}"
    );
    assert_eq!(part_files(&cut), part_files(&parts[0]));

    // Changed on the court server: named, not copied over the good copy.
    let bad = on(&court_root, "court/записи", &parts[1]);
    let good = on(&region_root, "region/копии", &parts[1]);
    region_s3.delete("region", &in_region(&parts[1]), &[]);
    let mut bytes = std::fs::read(bad.join("recording-001.mkv")).expect("read");
    bytes[3000] ^= 1;
    std::fs::write(bad.join("recording-001.mkv"), bytes).expect("forged");
    let (ok, report) = replicate("server", "replica");
    assert!(!ok, "a bad part fails the run: {report:#}");
    let refused = report["refused"].to_string();
    assert!(
        refused.contains(&relative_folder(&parts[1])) && refused.contains("recording-001.mkv"),
        "{report:#}"
    );
    assert!(!good.join("manifest.json").exists(), "not copied");

    // Lost on the court server: back from the regional one, verified there first.
    let lost = on(&court_root, "court/записи", &parts[0]);
    court_s3.delete(
        "court",
        &format!("записи/{}", relative_folder(&parts[0])),
        &[],
    );
    let (_, report) = replicate("replica", "server");
    assert!(
        report["copied"]
            .to_string()
            .contains(&relative_folder(&parts[0])),
        "{report:#}"
    );
    assert_eq!(part_files(&lost), part_files(&parts[0]));
    sums_check(&lost);
}

/// `replicate --from/--to` with a name that is no configured target: said, nothing done.
#[test]
fn replicating_from_or_to_what_is_not_configured_is_said_by_name() {
    let work = tempfile::tempdir().expect("temporary folder");
    let config = delivery_config(work.path(), "server = \"file:///srv\"");
    for (from, to, named) in [
        ("server", "replica", "replica"),
        ("https://s3.example", "server", "https://s3.example"),
    ] {
        let output = run_with(
            &config,
            &work.path().join("data"),
            &["replicate", "--from", from, "--to", to],
        );
        assert!(!output.status.success(), "{from} → {to}");
        let said = text(&output.stderr);
        assert!(said.contains(&format!("\"{named}\"")), "{said}");
    }
    assert!(!work.path().join("data/mirror").exists(), "nothing done");
}
