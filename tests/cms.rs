//! The court's own X.509 signature of each seal (CMS, `manifest.json.p7s`), with a test PKI
//! made by the openssl command (root CA → intermediate → the court's certificate with its BIN),
//! checked by `openssl cms -verify` and by `hattama verify`.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;

const COURT: &str = "Астана қаласының №2 аудандық соты";
const BIN: &str = "BIN123456789012";

fn openssl(folder: &Path, args: &[&str]) {
    let output = Command::new("openssl")
        .args(args)
        .current_dir(folder)
        .output()
        .expect("openssl runs");
    assert!(
        output.status.success(),
        "openssl {}: {}",
        args.join(" "),
        text(&output.stderr)
    );
}

/// A new RSA key `name.key` and its certificate request `name.csr` for `subject`.
fn request(folder: &Path, name: &str, subject: &str) {
    openssl(
        folder,
        &[
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-utf8",
            "-keyout",
            &format!("{name}.key"),
            "-out",
            &format!("{name}.csr"),
            "-subj",
            subject,
        ],
    );
}

/// A certifying centre: a root and an intermediate under it, in `folder/<name>-*.pem`.
fn centre(folder: &Path, name: &str) {
    std::fs::write(
        folder.join("ca.ext"),
        "basicConstraints=critical,CA:true\nkeyUsage=critical,keyCertSign,cRLSign\n",
    )
    .expect("extensions");
    let subject = |cn: &str| format!("/C=KZ/O=Test certifying centre {name}/CN={cn}");
    openssl(
        folder,
        &[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "3650",
            "-keyout",
            &format!("{name}-root.key"),
            "-out",
            &format!("{name}-root.pem"),
            "-subj",
            &subject("Root CA"),
            "-addext",
            "basicConstraints=critical,CA:true",
            "-addext",
            "keyUsage=critical,keyCertSign,cRLSign",
        ],
    );
    request(
        folder,
        &format!("{name}-inter"),
        &subject("Intermediate CA"),
    );
    openssl(
        folder,
        &[
            "x509",
            "-req",
            "-in",
            &format!("{name}-inter.csr"),
            "-CA",
            &format!("{name}-root.pem"),
            "-CAkey",
            &format!("{name}-root.key"),
            "-CAcreateserial",
            "-days",
            "1825",
            "-extfile",
            "ca.ext",
            "-out",
            &format!("{name}-inter.pem"),
        ],
    );
}

/// The court's certificate `cert` issued by `centre`'s intermediate, valid `dates`
/// (`openssl ca` start and end dates) or for a year, and its PKCS#12 file `cert.p12` with the
/// password in `password.txt`.
fn court_certificate(folder: &Path, centre: &str, cert: &str, dates: Option<(&str, &str)>) {
    request(
        folder,
        cert,
        &format!("/C=KZ/O={COURT}/CN={COURT}/serialNumber={BIN}"),
    );
    std::fs::write(
        folder.join("court.ext"),
        "keyUsage=critical,digitalSignature,nonRepudiation\n",
    )
    .expect("extensions");
    match dates {
        None => openssl(
            folder,
            &[
                "x509",
                "-req",
                "-in",
                &format!("{cert}.csr"),
                "-CA",
                &format!("{centre}-inter.pem"),
                "-CAkey",
                &format!("{centre}-inter.key"),
                "-CAcreateserial",
                "-days",
                "365",
                "-extfile",
                "court.ext",
                "-out",
                &format!("{cert}.pem"),
            ],
        ),
        Some((start, end)) => {
            std::fs::write(
                folder.join("ca.cnf"),
                "[ca]\ndefault_ca = test\n[test]\ndatabase = index.txt\nnew_certs_dir = .\n\
                 serial = serial.txt\ndefault_md = sha256\npolicy = any\nunique_subject = no\n\
                 copy_extensions = none\nx509_extensions = court\n\
                 [any]\ncommonName = supplied\n\
                 [court]\nkeyUsage = critical,digitalSignature,nonRepudiation\n",
            )
            .expect("ca config");
            std::fs::write(folder.join("index.txt"), "").expect("index");
            std::fs::write(folder.join("serial.txt"), "1000\n").expect("serial");
            openssl(
                folder,
                &[
                    "ca",
                    "-batch",
                    "-notext",
                    "-utf8",
                    "-config",
                    "ca.cnf",
                    "-cert",
                    &format!("{centre}-inter.pem"),
                    "-keyfile",
                    &format!("{centre}-inter.key"),
                    "-in",
                    &format!("{cert}.csr"),
                    "-out",
                    &format!("{cert}.pem"),
                    "-startdate",
                    start,
                    "-enddate",
                    end,
                ],
            );
        }
    }
    std::fs::write(folder.join("password.txt"), "court-pass\n").expect("password");
    set_mode(&folder.join("password.txt"), 0o600);
    openssl(
        folder,
        &[
            "pkcs12",
            "-export",
            "-inkey",
            &format!("{cert}.key"),
            "-in",
            &format!("{cert}.pem"),
            "-certfile",
            &format!("{centre}-inter.pem"),
            "-out",
            &format!("{cert}.p12"),
            "-passout",
            "file:password.txt",
            "-name",
            "court",
        ],
    );
}

/// The daily check's step for the court's certificate: (passed, detail).
fn certificate_step(config: &Path, data: &Path) -> (bool, String) {
    let output = hattama()
        .args(["check", "--json", "--config"])
        .arg(config)
        .arg("--data")
        .arg(data)
        .output()
        .expect("hattama check runs");
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let step = report["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .find(|step| step["what"] == "certificate")
        .cloned()
        .unwrap_or_else(|| panic!("a certificate step: {report:#}"));
    (
        step["state"] == "passed",
        step["detail"].as_str().unwrap_or_default().to_owned(),
    )
}

fn config_arg(config: &Path) -> &str {
    config.to_str().expect("UTF-8")
}

fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
}

fn signing_config(folder: &Path, p12: &str) -> PathBuf {
    let config = court_config_file(folder, "");
    let text = std::fs::read_to_string(&config).expect("config");
    std::fs::write(
        &config,
        format!(
            "{text}[signing]\npkcs12 = \"{}\"\npkcs12_password_file = \"{}\"\n",
            folder.join(p12).display(),
            folder.join("password.txt").display()
        ),
    )
    .expect("config");
    config
}

/// `openssl cms -verify` of the part's CMS signature against `ca`: whether it holds.
fn openssl_verifies(part: &Path, ca: &Path) -> bool {
    Command::new("openssl")
        .args(["cms", "-verify", "-binary", "-inform", "DER", "-in"])
        .arg(part.join("manifest.json.p7s"))
        .arg("-content")
        .arg(part.join("manifest.json"))
        .arg("-CAfile")
        .arg(ca)
        .args(["-out", "/dev/null"])
        .output()
        .expect("openssl runs")
        .status
        .success()
}

/// The part's CMS signature holds for `openssl cms -verify` against `root`, and its manifest
/// names the court's certificate (with the court's BIN).
fn signed_by_the_court(part: &Path, root: &Path) {
    assert!(openssl_verifies(part, root), "openssl cms -verify holds");
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(part.join("manifest.json")).expect("manifest"))
            .expect("JSON");
    assert!(
        manifest["court_certificate"]
            .as_str()
            .is_some_and(|signer| signer.contains(BIN)),
        "the manifest says who signed: {manifest}"
    );
}

/// The detail of the CMS check in a `hattama verify --json` report.
fn cms_detail(report: &serde_json::Value) -> (bool, String) {
    let check = report["parts"][0]["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .find(|check| check["subject"] == "manifest.json.p7s")
        .unwrap_or_else(|| panic!("a CMS check: {report}"));
    (
        check["ok"].as_bool().expect("ok"),
        check["detail"].as_str().expect("detail").to_owned(),
    )
}

#[test]
fn the_courts_certificate_signs_each_seal_and_stock_openssl_checks_it() {
    let work = tempfile::tempdir().expect("temporary folder");
    let pki = work.path();
    centre(pki, "nuc");
    court_certificate(pki, "nuc", "court", None);
    let config = signing_config(pki, "court.p12");
    let data = work.path().join("data");
    let part = record_demo_part(&data, "2-20/2026", 2, Some(&config));
    let root = pki.join("nuc-root.pem");

    signed_by_the_court(&part, &root);
    let root_arg = root.to_str().expect("UTF-8");
    let (ok, report) = verify(&data, &part, &["--ca", root_arg]);
    assert!(ok, "{report}");
    let (_, detail) = cms_detail(&report);
    assert!(
        detail.contains(BIN) && detail.contains(COURT),
        "verify names the court and its BIN: {detail}"
    );
    // Without a certifying centre, the signature is there but not judged; said so.
    let (ok, report) = verify(&data, &part, &[]);
    assert!(ok, "{report}");
    assert!(cms_detail(&report).1.contains("not checked"), "{report}");

    // The case disc carries it: the image verifies, CMS included.
    let image = work.path().join("case.iso");
    let built = disc_build_case(
        &data,
        "2-20/2026",
        &image,
        &["--config", config_arg(&config)],
    );
    assert!(built.status.success(), "{}", text(&built.stderr));
    let (ok, report) = verify(&data, &image, &["--ca", root_arg]);
    assert!(ok, "{report}");
    assert!(cms_detail(&report).0);

    // Refused, and named: a signature by an expired certificate of the same centre…
    let original = std::fs::read(part.join("manifest.json.p7s")).expect("p7s");
    court_certificate(
        pki,
        "nuc",
        "expired",
        Some(("20200101000000Z", "20210101000000Z")),
    );
    let resign = |cert: &str, centre: &str| {
        openssl(
            pki,
            &[
                "cms",
                "-sign",
                "-binary",
                "-outform",
                "DER",
                "-in",
                part.join("manifest.json").to_str().expect("UTF-8"),
                "-signer",
                &format!("{cert}.pem"),
                "-inkey",
                &format!("{cert}.key"),
                "-certfile",
                &format!("{centre}-inter.pem"),
                "-out",
                part.join("manifest.json.p7s").to_str().expect("UTF-8"),
            ],
        );
    };
    resign("expired", "nuc");
    let (ok, report) = verify(&data, &part, &["--ca", root_arg]);
    let (cms_ok, detail) = cms_detail(&report);
    assert!(
        !ok && !cms_ok,
        "an expired certificate is refused: {report}"
    );
    assert!(detail.contains("expired"), "{detail}");

    // …a certificate from another certifying centre…
    centre(pki, "other");
    court_certificate(pki, "other", "stranger", None);
    resign("stranger", "other");
    let (ok, report) = verify(&data, &part, &["--ca", root_arg]);
    let (_, detail) = cms_detail(&report);
    assert!(!ok, "another centre's certificate is refused: {report}");
    assert!(
        detail.contains("not issued by a configured certifying centre"),
        "{detail}"
    );
    assert!(!openssl_verifies(&part, &root), "openssl refuses it too");

    // …a certificate of the right centre not valid until long after the seal…
    court_certificate(
        pki,
        "nuc",
        "future",
        Some(("20990101000000Z", "21000101000000Z")),
    );
    resign("future", "nuc");
    let (ok, report) = verify(&data, &part, &["--ca", root_arg]);
    let (_, detail) = cms_detail(&report);
    assert!(!ok, "a certificate not yet valid is refused: {report}");
    assert!(detail.contains("not yet valid"), "{detail}");

    // …a signature whose last byte (of the signature value) was changed…
    let mut forged = original.clone();
    let last = forged.len() - 1;
    forged[last] ^= 0x01;
    std::fs::write(part.join("manifest.json.p7s"), &forged).expect("forged");
    let (ok, report) = verify(&data, &part, &["--ca", root_arg]);
    let (_, detail) = cms_detail(&report);
    assert!(!ok, "a changed signature is refused: {report}");
    assert!(detail.contains("the signature does not hold"), "{detail}");
    assert!(!openssl_verifies(&part, &root), "openssl refuses it too");

    // …and a changed manifest.
    std::fs::write(part.join("manifest.json.p7s"), &original).expect("restored");
    assert!(verify(&data, &part, &["--ca", root_arg]).0);
    let mut manifest = std::fs::read(part.join("manifest.json")).expect("manifest");
    let at = manifest.len() - 3;
    manifest[at] = b' ';
    std::fs::write(part.join("manifest.json"), manifest).expect("changed");
    let (ok, report) = verify(&data, &part, &["--ca", root_arg]);
    let (_, detail) = cms_detail(&report);
    assert!(!ok, "{report}");
    assert!(detail.contains("does not match manifest.json"), "{detail}");
    assert!(!openssl_verifies(&part, &root));

    // A seal that says the court signed, without its signature, fails.
    std::fs::remove_file(part.join("manifest.json.p7s")).expect("removed");
    let (ok, report) = verify(&data, &part, &[]);
    assert!(!ok && cms_detail(&report).1.contains("missing"), "{report}");
}

#[test]
fn an_expired_court_certificate_leaves_the_part_unsealed_until_a_valid_one_signs() {
    let work = tempfile::tempdir().expect("temporary folder");
    let pki = work.path();
    centre(pki, "nuc");
    court_certificate(
        pki,
        "nuc",
        "expired",
        Some(("20200101000000Z", "20210101000000Z")),
    );
    let config = signing_config(pki, "expired.p12");
    let data = work.path().join("data");
    let output = {
        let _turn = one_recording_at_a_time();
        record_with(&config, &data, 2, "2-21/2026")
            .arg("--demo")
            .output()
            .expect("hattama record runs")
    };
    let said = text(&output.stderr);
    assert!(
        said.contains("expired"),
        "the secretary is told why it is not sealed: {said}"
    );
    let (passed, detail) = certificate_step(&config, &data);
    assert!(
        !passed && detail.contains("expired"),
        "the daily check says so: {detail}"
    );
    set_mode(&pki.join("password.txt"), 0o644);
    let (passed, detail) = certificate_step(&config, &data);
    assert!(
        !passed && detail.contains("password.txt"),
        "a password every user can read is a fault: {detail}"
    );
    set_mode(&pki.join("password.txt"), 0o600);
    let sealed: Option<String> = database(&data)
        .query_row("SELECT sealed_at FROM session_parts", [], |row| row.get(0))
        .expect("the part");
    assert_eq!(sealed, None, "never sealed without the court's signature");

    // A valid certificate: the next start seals it, with the court's signature.
    court_certificate(pki, "nuc", "court", None);
    let config = signing_config(pki, "court.p12");
    let output = hattama()
        .arg("--config")
        .arg(&config)
        .arg("--data")
        .arg(&data)
        .args(["recover", "--json"])
        .output()
        .expect("recover runs");
    assert!(output.status.success(), "{}", text(&output.stderr));
    let folder: String = database(&data)
        .query_row(
            "SELECT folder FROM session_parts WHERE sealed_at IS NOT NULL",
            [],
            |row| row.get(0),
        )
        .expect("sealed at the next start");
    let part = data.join("sessions").join(folder);
    assert!(openssl_verifies(&part, &pki.join("nuc-root.pem")));
    let (passed, detail) = certificate_step(&config, &data);
    assert!(
        passed
            && detail.contains(BIN)
            && (detail.contains("365 day") || detail.contains("364 day")),
        "the daily check names the certificate and its days left: {detail}"
    );
}

#[test]
fn the_signing_service_signs_with_the_courts_certificate_the_secretary_never_opens() {
    let work = tempfile::tempdir().expect("temporary folder");
    let pki = work.path();
    centre(pki, "nuc");
    court_certificate(pki, "nuc", "court", None);
    // The certificate and its password are the service's configuration, not the
    // secretary's: her configuration names the service alone.
    let service = SigningService::start(pki, Some(&signing_config(pki, "court.p12")));
    let config = service.client_config(pki);
    let data = work.path().join("data");
    let part = record_demo_part(&data, "2-21/2026", 2, Some(&config));

    signed_by_the_court(&part, &pki.join("nuc-root.pem"));
    let seal = service
        .log()
        .into_iter()
        .find(|entry| {
            entry["what"]
                .as_str()
                .is_some_and(|w| w.starts_with("seal of"))
        })
        .expect("the seal is logged");
    assert_eq!(seal["court"], true, "{seal}");
    let step = check_step(&data, &config, "key");
    assert_eq!(step["state"], "passed", "{step}");
    assert!(
        step["detail"].as_str().is_some_and(|d| d.contains(BIN)),
        "the check says whose certificate signs: {step}"
    );
}
