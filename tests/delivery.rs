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
        format!("[delivery]\nretry_base_ms = 50\ntimeout_ms = 1000\n{settings}\n"),
    )
    .expect("config written");
    path
}

/// Records a sealed demo part of a new session, with the delivery configuration.
fn sealed_part(data: &Path, config: &Path, case: &str) -> PathBuf {
    let _turn = one_recording_at_a_time();
    let output = run(&[
        "record",
        "--demo",
        "--for",
        "2",
        "--case",
        case,
        "--json",
        "--config",
        config.to_str().expect("UTF-8"),
        "--data",
        data.to_str().expect("UTF-8"),
    ]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    PathBuf::from(report["part"].as_str().expect("part"))
}

fn deliver_once(data: &Path, config: &Path) -> serde_json::Value {
    deliver_once_with(data, config, &[])
}

fn deliver_once_with(data: &Path, config: &Path, extra: &[&str]) -> serde_json::Value {
    let output = hattama()
        .args(["deliver", "--once", "--json", "--config"])
        .arg(config)
        .args(extra)
        .arg("--data")
        .arg(data)
        .output()
        .expect("deliver runs");
    assert!(output.status.success(), "{}", text(&output.stderr));
    serde_json::from_slice(&output.stdout).expect("JSON")
}

fn states(report: &serde_json::Value) -> Vec<String> {
    report["outbox"]
        .as_array()
        .expect("outbox")
        .iter()
        .map(|row| row["state"].as_str().unwrap_or("").to_owned())
        .collect()
}

/// A free port on 127.0.0.1, nobody listening on it yet.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("a port")
        .local_addr()
        .expect("address")
        .port()
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
        report["outbox"][0]["last_error"]
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
    let db = database(&data);
    db.execute("UPDATE outbox SET state = 'pending'", [])
        .expect("rows reset");
    let report = deliver_once(&data, &config);
    assert_eq!(states(&report), ["delivered", "delivered"]);
    assert_eq!(receiver.received().len(), 2);
    assert_eq!(
        receiver.log().iter().filter(|s| s.status == 409).count(),
        2,
        "both refused as duplicates"
    );
    let receipts: Vec<String> = report["outbox"]
        .as_array()
        .expect("rows")
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
    let error = report["outbox"][0]["last_error"].as_str().expect("error");
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
    assert_eq!(report["pass"]["not_configured"], 1);

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
    assert!(report["outbox"][0]["next_attempt_at"].is_string());

    // A drop folder: the protocol written whole, beside its payload.
    let drop = work.path().join("drop");
    let by_files = delivery_config(
        work.path(),
        &format!("baatzh_drop_folder = \"{}\"", drop.display()),
    );
    db.execute("UPDATE outbox SET state = 'pending'", [])
        .expect("reset");
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
