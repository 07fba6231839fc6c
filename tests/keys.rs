//! The court's chain of trust through the binary: a root key certifies the courtroom key, an
//! authority's trust list names the court's root, revocations cut later seals off; checked by
//! `hattama verify` on a computer holding only the trust list, and by minisign alone.

mod common;

use std::path::Path;
use std::process::Command;

use common::*;

const COURT: &str = "Астана қаласының №2 аудандық соты";

fn keys(args: &[&str], data: &Path) -> serde_json::Value {
    let output = hattama()
        .arg("--data")
        .arg(data)
        .arg("keys")
        .args(args)
        .arg("--json")
        .output()
        .expect("hattama keys runs");
    assert!(
        output.status.success(),
        "keys {}: {}",
        args.join(" "),
        text(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("JSON")
}

fn path(path: &Path) -> &str {
    path.to_str().expect("UTF-8")
}

fn minisign_holds(folder: &Path, file: &str, key: &[&str]) -> bool {
    Command::new("minisign")
        .args(["-Vm", file])
        .args(key)
        .current_dir(folder)
        .output()
        .expect("minisign runs")
        .status
        .success()
}

/// The detail of the chain's check in a `verify --json` report, if there is one.
fn chain(report: &serde_json::Value) -> Option<(bool, String)> {
    report["parts"][0]["checks"]
        .as_array()?
        .iter()
        .find(|check| check["subject"] == "key-certificate.json (chain)")
        .map(|check| {
            (
                check["ok"].as_bool().unwrap_or(false),
                check["detail"].as_str().unwrap_or_default().to_owned(),
            )
        })
}

#[test]
fn a_certified_courtroom_key_is_trusted_through_the_list_and_a_revoked_one_only_before() {
    let work = tempfile::tempdir().expect("temporary folder");
    let (root, authority) = (
        work.path().join("court-root"),
        work.path().join("authority"),
    );
    let data = work.path().join("workstation");
    let root_id = keys(&["init-court", "--out", path(&root)], &data)["key_id"]
        .as_str()
        .expect("an id")
        .to_owned();
    keys(&["init-court", "--out", path(&authority)], &data);
    let refused = hattama()
        .args(["keys", "init-court", "--out"])
        .arg(&root)
        .output()
        .expect("runs");
    assert!(!refused.status.success(), "a root key is never replaced");

    // The workstation's first part: sealed by its key, not yet certified.
    let config = court_config_file(work.path(), "");
    let early = record_demo_part(&data, "2-30/2026", 2, Some(&config));
    assert_eq!(keys(&["show"], &data)["state"], "not-certified");

    // The administrator certifies the courtroom key; the certificate is installed beside it.
    let issued = work.path().join("issued");
    let certified = keys(
        &[
            "certify",
            "--root",
            path(&root),
            "--public",
            path(&data.join("keys/hattama.pub")),
            "--court",
            COURT,
            "--hall",
            "5",
            "--until",
            "2030-12-31",
            "--out",
            path(&issued),
        ],
        &data,
    );
    let key_id = certified["certificate"]["key_id"]
        .as_str()
        .expect("key id")
        .to_owned();
    for name in ["key-certificate.json", "key-certificate.json.minisig"] {
        std::fs::copy(issued.join(name), data.join("keys").join(name)).expect("installed");
    }
    assert!(
        minisign_holds(
            &issued,
            "key-certificate.json",
            &["-p", path(&root.join("court-root.pub"))]
        ),
        "minisign checks the certificate with the court's root key"
    );
    assert_eq!(keys(&["show"], &data)["state"], "certified");
    let sealed = record_demo_part(&data, "2-30/2026", 2, Some(&config));
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(sealed.join("manifest.json")).expect("manifest"))
            .expect("JSON");
    assert!(
        manifest["files"]
            .as_array()
            .expect("files")
            .iter()
            .any(|file| file["name"] == "key-certificate.json"),
        "the seal lists its certificate: {manifest}"
    );
    // A case all of whose parts the certified key sealed.
    record_demo_part(&data, "2-31/2026", 2, Some(&config));
    let public_key = certified["certificate"]["public_key"]
        .as_str()
        .expect("key");
    assert!(minisign_holds(
        &sealed,
        "manifest.json",
        &["-P", public_key]
    ));

    // The authority's trust list names the court's root key.
    let list = work.path().join("trust-list.json");
    keys(
        &[
            "trust-list",
            "--authority",
            path(&authority),
            "--court",
            &format!("{COURT}={}", path(&root.join("court-root.pub"))),
            "--out",
            path(&list),
        ],
        &data,
    );
    assert!(minisign_holds(
        work.path(),
        "trust-list.json",
        &["-p", path(&authority.join("court-root.pub"))]
    ));

    // A higher court's computer, holding only the trust list and the authority's key.
    let elsewhere = work.path().join("higher-court");
    let list_args = |extra: &[&str]| -> Vec<String> {
        let mut args = vec![
            "--trust-list".to_owned(),
            path(&list).to_owned(),
            "--authority".to_owned(),
            path(&authority.join("court-root.pub")).to_owned(),
        ];
        args.extend(extra.iter().map(|s| (*s).to_owned()));
        args
    };
    let verify_there = |part: &Path, extra: &[&str]| {
        let args = list_args(extra);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        verify(&elsewhere, part, &args)
    };
    let (ok, report) = verify_there(&sealed, &[]);
    assert!(ok, "{report}");
    let (_, said) = chain(&report).expect("the chain is checked");
    assert!(
        said.contains(COURT) && said.contains("hall 5") && said.contains(&root_id),
        "verify says which court and hall sealed it: {said}"
    );
    let (ok, report) = verify_there(&early, &[]);
    assert!(!ok, "a seal by an uncertified key is refused: {report}");
    assert!(
        failed(&report)
            .iter()
            .any(|line| line.contains("trusted key")),
        "{report}"
    );

    // Revoked from now: the seal made before still holds, the one after fails, named.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let from = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let later = record_demo_part(&data, "2-30/2026", 2, Some(&config));
    keys(
        &[
            "revoke",
            "--root",
            path(&root),
            "--key-id",
            &key_id,
            "--from",
            &from,
            "--reason",
            "workstation replaced",
        ],
        &data,
    );
    let revocations = root.join("revocations.json");
    assert!(minisign_holds(
        &root,
        "revocations.json",
        &["-p", path(&root.join("court-root.pub"))]
    ));
    let with_revocations = ["--revocations", path(&revocations)];
    let (ok, report) = verify_there(&sealed, &with_revocations);
    assert!(ok, "sealed before the revocation: {report}");
    let (ok, report) = verify_there(&later, &with_revocations);
    let (chain_ok, said) = chain(&report).expect("the chain is checked");
    assert!(!ok && !chain_ok, "{report}");
    assert!(
        said.contains("revoked") && said.contains("workstation replaced"),
        "{said}"
    );

    // The case disc, made where the trust list is installed, carries the court's root key
    // and its README.txt says how to follow the chain with minisign.
    let installed = data.join("keys");
    std::fs::copy(&list, installed.join("trust-list.json")).expect("list installed");
    std::fs::copy(
        work.path().join("trust-list.json.minisig"),
        installed.join("trust-list.json.minisig"),
    )
    .expect("signature installed");
    std::fs::create_dir_all(installed.join("authorities")).expect("folder");
    std::fs::copy(
        authority.join("court-root.pub"),
        installed.join("authorities/authority.pub"),
    )
    .expect("authority installed");
    let build_disc = |case: &str, name: &str| {
        let image = work.path().join(name);
        let built = disc_build_case(&data, case, &image, &["--config", path(&config)]);
        assert!(built.status.success(), "{}", text(&built.stderr));
        image
    };
    let image = build_disc("2-30/2026", "case.iso");
    let unpacked = work.path().join("unpacked");
    let extracted = Command::new("xorriso")
        .args(["-osirrox", "on", "-indev"])
        .arg(&image)
        .args(["-extract", "/"])
        .arg(&unpacked)
        .output()
        .expect("xorriso runs");
    assert!(extracted.status.success());
    // A disc of certified parts alone verifies on the computer holding only the trust list:
    // its inventory is signed by the certified key, whose certificate it carries.
    let certified_disc = build_disc("2-31/2026", "certified.iso");
    let (ok, report) = verify_there(&certified_disc, &[]);
    assert!(
        ok,
        "the image verifies offline with the trust list alone: {report}"
    );
    let readme = std::fs::read_to_string(unpacked.join("README.txt")).expect("README.txt");
    assert!(
        readme.contains(&format!("keys/court-root-{root_id}.pub")),
        "{readme}"
    );
    assert!(
        unpacked
            .join(format!("keys/court-root-{root_id}.pub"))
            .exists()
    );

    // The key replaced by the administrator: the new one is not certified until certified.
    let rotated = keys(&["rotate"], &data);
    assert_ne!(rotated["key_id"], key_id.as_str());
    assert_eq!(keys(&["show"], &data)["state"], "not-certified");
    let (ok, report) = verify(&data, &sealed, &[]);
    assert!(ok, "what the old key sealed still verifies here: {report}");

    // A forged certificate (another hall written in) is refused and named.
    let forged = std::fs::read_to_string(sealed.join("key-certificate.json"))
        .expect("certificate")
        .replace("\"hall\": \"5\"", "\"hall\": \"7\"");
    std::fs::write(sealed.join("key-certificate.json"), forged).expect("forged");
    let (ok, report) = verify_there(&sealed, &[]);
    let (chain_ok, said) = chain(&report).expect("the chain is checked");
    assert!(!ok && !chain_ok, "{report}");
    assert!(
        said.contains("not signed by a court on the trust list"),
        "{said}"
    );
}
