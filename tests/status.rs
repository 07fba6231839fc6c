//! The hall's status (rule 4): published to a file and to the reference receiver on
//! 127.0.0.1 on every change, superseded rather than queued up, with what the check found.

mod common;

use std::path::Path;

use common::*;
use hattama::delivery::receiver::Receiver;

/// `hattama check`: whether every step passed.
fn check(config: &Path, data: &Path) -> bool {
    hattama()
        .args(["check", "--config"])
        .arg(config)
        .arg("--data")
        .arg(data)
        .output()
        .expect("hattama check runs")
        .status
        .success()
}

fn statuses(report: &serde_json::Value) -> Vec<serde_json::Value> {
    report["outbox"]
        .as_array()
        .expect("rows")
        .iter()
        .filter(|row| row["kind"] == "status")
        .cloned()
        .collect()
}

fn read(path: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(path).expect("the status file")).expect("JSON")
}

#[test]
fn the_hall_status_is_written_on_every_change_and_says_what_the_check_found() {
    let work = tempfile::tempdir().expect("temporary folder");
    let data = work.path().join("data");
    let file = work.path().join("portal").join("зал-5.json");
    std::fs::create_dir_all(file.parent().expect("folder")).expect("portal folder");
    let config = court_config_file(
        work.path(),
        &format!("status_target = \"{}\"", file.display()),
    );

    // No check yet: degraded, and said why.
    let report = deliver_once_with(&data, &config, &[]);
    assert_eq!(statuses(&report).len(), 1);
    assert_eq!(statuses(&report)[0]["state"], "delivered");
    let status = read(&file);
    assert_eq!(status["format"], "hattama-hall-status/1");
    assert_eq!(status["court"], "Астана қаласының №2 аудандық соты");
    assert_eq!(status["hall"], "5");
    assert_eq!(status["system"], "degraded");
    assert_eq!(status["recording"], serde_json::Value::Null);
    assert_eq!(status["last_check"], serde_json::Value::Null);

    // Nothing changed: nothing new is published.
    let again = deliver_once_with(&data, &config, &[]);
    assert_eq!(statuses(&again).len(), 1, "unchanged, not published again");

    // The check finds no camera here: the hall is down, and the status says what failed.
    let cameras_here = check(&config, &data);
    let report = deliver_once_with(&data, &config, &[]);
    assert_eq!(statuses(&report).len(), 2, "a change is published");
    let status = read(&file);
    assert_eq!(status["last_check"]["by"], "Айгүл Серікова");
    if !cameras_here {
        assert_eq!(status["system"], "down", "{status:#}");
        assert!(
            status["last_check"]["failed"]
                .as_array()
                .is_some_and(|f| f.iter().any(|w| w == "camera")),
            "{status:#}"
        );
    }

    // An input lost while recording: said as a reason while it lasts, and as the last
    // incident after.
    let mut store = hattama::store::Store::open(&data.join("hattama.sqlite3")).expect("store");
    let session = store
        .open_session(&hattama::store::NewSession {
            case_number: "2-9/2026".to_owned(),
            instance: "first".to_owned(),
            ..hattama::store::NewSession::default()
        })
        .expect("session");
    let inputs = serde_json::json!([{ "id": "microphone-2", "name": "Куәгер" }]);
    let part = store
        .begin_part(session, "480p25", &inputs, false)
        .expect("part");
    let new = hattama::store::NewIncident {
        session_id: session,
        part_id: part.id,
        kind: "input-stopped",
        input: "microphone-2",
        details: "no data for 3 s",
    };
    store
        .begin_incident(&new, chrono::Utc::now())
        .expect("begun");
    deliver_once_with(&data, &config, &[]);
    let status = read(&file);
    assert_ne!(status["system"], "works");
    assert!(
        status["reasons"].as_array().is_some_and(|r| r
            .iter()
            .any(|w| w.as_str().is_some_and(|w| w.contains("Куәгер")))),
        "{status:#}"
    );
    store
        .end_incident(part.id, "input-stopped", "microphone-2", chrono::Utc::now())
        .expect("ended");
    deliver_once_with(&data, &config, &[]);
    let status = read(&file);
    assert!(
        !status["reasons"].to_string().contains("Куәгер"),
        "over: {status:#}"
    );
    assert_eq!(status["last_incident"]["input"], "microphone-2");
    assert!(status["last_incident"]["ended_at"].is_string());
}

#[test]
fn a_status_the_portal_could_not_take_is_superseded_and_the_latest_arrives_once() {
    let work = tempfile::tempdir().expect("temporary folder");
    let data = work.path().join("data");
    let port = free_port();
    let config = work.path().join("config.toml");
    std::fs::write(
        &config,
        format!(
            "[court]\nname = \"Суд\"\nhall = \"2\"\n\
             [delivery]\nstatus_target = \"http://127.0.0.1:{port}/status\"\n\
             retry_base_ms = 50\ntimeout_ms = 1000\n"
        ),
    )
    .expect("config");
    // The portal is down: retried.
    let report = deliver_once_with(&data, &config, &[]);
    assert_eq!(statuses(&report)[0]["state"], "retrying");

    // A change meanwhile (a check): the old status is superseded, not sent after it.
    check(&config, &data);
    let received = work.path().join("received");
    let receiver = Receiver::start(&format!("127.0.0.1:{port}"), &received, None)
        .expect("the reference receiver");
    let report = deliver_once_with(&data, &config, &[]);
    drop(receiver);
    let rows = statuses(&report);
    assert_eq!(rows.len(), 2, "{report:#}");
    assert_eq!(rows[0]["receipt"], "superseded by a newer one");
    assert_eq!(rows[1]["state"], "delivered", "{report:#}");
    let kept: Vec<_> = std::fs::read_dir(&received)
        .expect("received")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("status-"))
        .collect();
    assert_eq!(kept.len(), 1, "only the latest arrived, once: {kept:?}");
    let latest = read(&received.join("status.json"));
    assert!(latest["last_check"].is_object(), "{latest:#}");
}

/// The window, `hattama deliver` and the hall-status timer may all run for one data folder:
/// only one delivers at a time (they would send the same rows and write the same upload
/// journals); the others send nothing and say so, and what waits goes with the next pass.
#[test]
fn while_another_process_delivers_from_the_data_folder_a_second_sends_nothing() {
    let work = tempfile::tempdir().expect("temporary folder");
    let data = work.path().join("data");
    let file = work.path().join("зал-5.json");
    let config = court_config_file(
        work.path(),
        &format!("status_target = \"{}\"", file.display()),
    );
    let paths = hattama::paths::Paths::new(Some(config.clone()), Some(data.clone()));
    let held = hattama::delivery::exclusive(&paths);
    assert!(
        matches!(held, hattama::delivery::Turn::Held(_)),
        "nobody else delivers yet, and the lock file is made in the data folder: {held:?}"
    );
    assert!(
        matches!(
            hattama::delivery::exclusive(&paths),
            hattama::delivery::Turn::Busy
        ),
        "a second holder in this process is refused too"
    );

    let report = deliver_once_with(&data, &config, &[]);
    assert_eq!(report["pass"]["busy"], true, "{report}");
    assert_eq!(report["pass"]["delivered"], 0);
    assert!(!file.exists(), "nothing sent while another delivers");
    assert!(
        statuses(&report)
            .iter()
            .all(|row| row["state"] != "delivered"),
        "{report}"
    );

    drop(held);
    let report = deliver_once_with(&data, &config, &[]);
    assert_eq!(report["pass"]["busy"], false, "{report}");
    assert_eq!(read(&file)["hall"], "5", "sent once the other stopped");
}
