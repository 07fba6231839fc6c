//! The courtroom's signing service through the binary: `hattama signer` holds the one key,
//! every data folder of the workstation seals with it, every signature is logged with who
//! asked; down, the seal waits and is made when it is back; its key gone, nothing is sealed
//! and no new key is made. (That a secretary's user cannot read the key, with two real
//! logins, is proved through the installed package: packaging/test-deb.sh.)

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use common::*;
use sha2::{Digest, Sha256};

fn manifest(part: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(part.join("manifest.json")).expect("manifest"))
        .expect("JSON")
}

fn minisign_verifies(part: &Path, public: &Path) -> bool {
    common::minisign_verifies(&part.join("manifest.json"), public)
}

fn part_of(report: &serde_json::Value) -> PathBuf {
    PathBuf::from(report["part"].as_str().expect("the part's folder"))
}

#[test]
fn two_data_folders_seal_with_the_one_key_the_service_holds_and_each_signature_is_logged() {
    let work = tempfile::tempdir().expect("temporary folder");
    let service = SigningService::start(work.path(), None);
    let config = service.client_config(work.path());
    let (first, second) = (work.path().join("first"), work.path().join("second"));
    let parts: Vec<PathBuf> = [&first, &second]
        .iter()
        .map(|data| {
            let report = record_demo_report(data, &config, 2);
            assert!(report["seal_error"].is_null(), "sealed: {report}");
            part_of(&report)
        })
        .collect();

    let public = std::fs::read_to_string(service.public_key()).expect("the service's key");
    let id = public
        .split_whitespace()
        .nth(5)
        .expect("the key id in the .pub file's comment");
    for (part, data) in parts.iter().zip([&first, &second]) {
        assert_eq!(manifest(part)["key_id"], id, "{}", part.display());
        assert!(
            minisign_verifies(part, &service.public_key()),
            "minisign alone checks {} against the service's key",
            part.display()
        );
        let (ok, report) = verify(data, part, &["--config", config.to_str().expect("UTF-8")]);
        assert!(ok, "{:?}", failed(&report));
        assert!(
            !data.join("keys/hattama.key").exists(),
            "no key of its own in {}",
            data.display()
        );
    }

    let log = service.log();
    let seals: Vec<_> = log
        .iter()
        .filter(|entry| {
            entry["what"]
                .as_str()
                .is_some_and(|w| w.starts_with("seal of"))
        })
        .collect();
    assert_eq!(seals.len(), 2, "{log:?}");
    // Who asked, as the kernel says: the user these tests run as (who made the folder).
    let uid = std::os::unix::fs::MetadataExt::uid(&std::fs::metadata(work.path()).expect("uid"));
    for (entry, part) in seals.iter().zip(&parts) {
        assert!(
            entry["what"]
                .as_str()
                .is_some_and(|what| what.ends_with(&part.display().to_string())),
            "{entry}"
        );
        assert_eq!(entry["uid"].as_u64(), Some(u64::from(uid)), "{entry}");
        assert!(
            entry["who"].as_str().is_some_and(|who| !who.is_empty()),
            "{entry}"
        );
        assert_eq!(entry["key"], id);
        let sha = hattama::digest::hex(&Sha256::digest(
            std::fs::read(part.join("manifest.json")).expect("manifest"),
        ));
        assert_eq!(
            entry["sha256"],
            sha.as_str(),
            "the log names what was signed"
        );
    }

    // The case disc's inventory is signed by the same key, and logged.
    let out = work.path().join("disc.iso");
    let built = hattama()
        .arg("--config")
        .arg(&config)
        .arg("--data")
        .arg(&first)
        .args(["disc", "build", "--case", "DEMO", "--out"])
        .arg(&out)
        .output()
        .expect("hattama runs");
    assert!(built.status.success(), "{}", text(&built.stderr));
    assert!(
        service.log().iter().any(|entry| entry["what"]
            .as_str()
            .is_some_and(|what| what.starts_with("inventory of case DEMO"))),
        "{:?}",
        service.log()
    );
}

#[test]
fn with_the_service_down_the_part_waits_and_is_sealed_as_soon_as_it_is_back() {
    let work = tempfile::tempdir().expect("temporary folder");
    let mut service = SigningService::start(work.path(), None);
    let config = service.client_config(work.path());
    let data = work.path().join("data");
    service.stop();

    let report = record_demo_report(&data, &config, 2);
    let error = report["seal_error"].as_str().unwrap_or_default();
    assert!(error.contains("signing service"), "{report}");
    let part = part_of(&report);
    assert!(
        !part.join("manifest.json.minisig").exists(),
        "never sealed with another key"
    );
    assert!(!data.join("keys/hattama.key").exists(), "no ad-hoc key");
    let step = check_step(&data, &config, "key");
    assert_eq!(step["state"], "failed", "{step}");
    assert!(
        step["subject"]
            .as_str()
            .is_some_and(|s| s.ends_with("signer.sock")),
        "{step}"
    );

    // Back: the window's retry seals it on its next pass.
    service.restart();
    let paths = hattama::paths::Paths::new(Some(config.clone()), Some(data.clone()));
    let _retry = hattama::seal::retry_failed(paths.clone()).expect("the retry runs");
    let store = hattama::store::Store::open(&paths.database()).expect("database");
    let deadline = Instant::now() + Duration::from_secs(30);
    while !store.unsealed_parts().expect("parts").is_empty() {
        assert!(
            Instant::now() < deadline,
            "not sealed once the service was back"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(minisign_verifies(&part, &service.public_key()));
    let (ok, report) = verify(&data, &part, &["--config", config.to_str().expect("UTF-8")]);
    assert!(ok, "{:?}", failed(&report));
    assert_eq!(check_step(&data, &config, "key")["state"], "passed");
}

#[test]
fn a_lost_courtroom_key_is_a_fault_and_never_a_new_key() {
    let work = tempfile::tempdir().expect("temporary folder");
    let mut service = SigningService::start(work.path(), None);
    let config = service.client_config(work.path());
    let data = work.path().join("data");
    let report = record_demo_report(&data, &config, 1);
    assert!(report["seal_error"].is_null(), "{report}");

    let key = service.folder.join("keys/hattama.key");
    std::fs::remove_file(&key).expect("the key is lost");
    // Even started again, the service makes no new key: it has signed with the lost one.
    service.stop();
    service.restart();
    let step = check_step(&data, &config, "key");
    assert_eq!(step["state"], "failed", "{step}");
    assert!(
        step["detail"].as_str().is_some_and(|d| d.contains("gone")),
        "{step}"
    );
    let report = record_demo_report(&data, &config, 1);
    assert!(
        report["seal_error"]
            .as_str()
            .is_some_and(|error| error.contains("gone")),
        "{report}"
    );
    assert!(!key.exists(), "no new key was made");
}

#[test]
fn the_service_signs_a_document_only_at_the_time_it_says() {
    let work = tempfile::tempdir().expect("temporary folder");
    let service = SigningService::start(work.path(), None);
    let client = hattama::seal::service::Client::connect(&service.socket).expect("it answers");
    let dated = |at: chrono::DateTime<chrono::Utc>| {
        serde_json::json!({"format": "hattama-seal/1", "sealed_at": at.to_rfc3339()}).to_string()
    };
    let now = dated(chrono::Utc::now());
    client
        .sign("seal of now", now.as_bytes(), "u", "t", false)
        .expect("a manifest of now is signed");
    // A login cannot get a seal dated before a revocation, nor one made up after the fact.
    for off in [chrono::TimeDelta::days(-30), chrono::TimeDelta::hours(2)] {
        let message = dated(chrono::Utc::now() + off);
        let refused = client.sign("seal of another time", message.as_bytes(), "u", "t", false);
        assert!(
            refused
                .as_ref()
                .is_err_and(|error| error.to_string().contains("only at the time it says")),
            "{off}: {refused:?}"
        );
    }
    let logged: Vec<_> = service
        .log()
        .into_iter()
        .map(|e| e["what"].clone())
        .collect();
    assert_eq!(logged, ["seal of now"], "only what was signed is logged");
}

#[test]
fn a_path_that_is_not_a_socket_is_never_removed_to_make_one() {
    let work = tempfile::tempdir().expect("temporary folder");
    let record = work.path().join("hattama.sqlite3");
    std::fs::write(&record, b"a record").expect("record");
    let fifo = work.path().join("fifo");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .expect("mkfifo")
            .success(),
        "mkfifo"
    );
    for path in [&record, &fifo] {
        let output = hattama()
            .arg("signer")
            .arg("--folder")
            .arg(work.path().join("signer"))
            .arg("--socket")
            .arg(path)
            .output()
            .expect("hattama runs");
        assert!(!output.status.success(), "{}", path.display());
        let said = text(&output.stderr);
        assert!(
            said.contains(&path.display().to_string()) && said.contains("not a socket"),
            "{said}"
        );
    }
    assert_eq!(std::fs::read(&record).expect("still there"), b"a record");
    assert!(fifo.exists(), "the FIFO is left as it is");
}
