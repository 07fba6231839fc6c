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
    for _ in 0..2 {
        record_demo_part(data, CASE, 3, None);
    }
}

fn disc_build(data: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    disc_build_case(data, CASE, out, extra)
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

/// The volume label in the image's Joliet descriptor (the one whose escape sequence is
/// `%/@`, `%/C` or `%/E`), as Windows reads it: UCS-2, 16 characters at most.
fn joliet_label(image: &Path) -> String {
    let bytes = std::fs::read(image).expect("the image");
    (16..32)
        .map(|sector| &bytes[sector * 2048..(sector + 1) * 2048])
        .take_while(|descriptor| descriptor[0] != 255)
        .find(|d| d[0] == 2 && &d[1..6] == b"CD001" && d[88..90] == *b"%/")
        .map(|d| {
            let units: Vec<u16> = d[40..72]
                .chunks_exact(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]))
                .collect();
            String::from_utf16_lossy(&units).trim_end().to_owned()
        })
        .expect("a Joliet descriptor")
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
            .is_some_and(|l| l.ends_with("_2_IS_2026_Q") && l.len() == 4 + 12)
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
    assert_eq!(expected.len(), 16, "two parts of eight files");
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

#[test]
fn a_case_larger_than_a_disc_makes_a_set_each_checkable_alone() {
    let work = tempfile::tempdir().expect("temporary folder");
    let data = work.path().join("data");
    // A long part in five files of 2 s, then a short one.
    let config = segment_config(work.path(), 2);
    for seconds in [9, 3] {
        record_demo_part(&data, CASE, seconds, Some(&config));
    }
    // Discs that hold about 450 kB of recordings: the long part cannot go on one.
    let capacity = (4 << 20) + 450_000;
    let out = work.path().join("set.iso");
    let output = disc_build(
        &data,
        &out,
        &["--capacity", &capacity.to_string(), "--json"],
    );
    assert!(output.status.success(), "{}", text(&output.stderr));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let images = report["images"].as_array().expect("images");
    assert!(images.len() >= 2, "a set: {report}");
    let mut recordings_on_discs = Vec::new();
    let mut joliet_labels = std::collections::BTreeSet::new();
    for (index, image) in images.iter().enumerate() {
        let path = PathBuf::from(image["path"].as_str().expect("path"));
        // What Windows shows: the Joliet label, 16 characters, different on each disc.
        let joliet = joliet_label(&path);
        assert!(
            joliet.contains(&format!("_{}OF{}", index + 1, images.len())),
            "{joliet}"
        );
        assert!(joliet_labels.insert(joliet.clone()), "{joliet} twice");
        assert!(
            path.to_string_lossy()
                .ends_with(&format!("set-{}of{}.iso", index + 1, images.len())),
            "{}",
            path.display()
        );
        assert!(image["size"].as_u64().expect("size") <= capacity);
        let (ok, json) = verify(&data, &path, &[]);
        assert!(ok, "disc {} checks alone: {:#?}", index + 1, failed(&json));
        assert!(
            json["disc"]["checks"]
                .as_array()
                .expect("disc checks")
                .iter()
                .any(|c| c["subject"] == "case inventory"
                    && c["detail"]
                        .as_str()
                        .is_some_and(|d| d.contains("entered in the case inventory"))),
            "{json:#}"
        );
        // On each disc, the stock tools check what it holds.
        let extracted = work.path().join(format!("disc{}", index + 1));
        checked(
            Command::new("7z")
                .arg("x")
                .arg(format!("-o{}", extracted.display()))
                .arg(&path),
        );
        for manifest in tree(&extracted)
            .keys()
            .filter(|p| p.ends_with("manifest.json"))
        {
            let part = extracted.join(manifest).parent().expect("part").to_owned();
            checked(
                Command::new("sha256sum")
                    .args(["-c", "--ignore-missing", "SHA256SUMS"])
                    .current_dir(&part),
            );
            recordings_on_discs.extend(recording_files(&part).into_iter().map(|f| {
                format!(
                    "{}/{}",
                    part.parent()
                        .and_then(|s| s.file_name())
                        .expect("session")
                        .to_string_lossy(),
                    f.file_name().expect("name").to_string_lossy()
                )
            }));
        }
    }
    recordings_on_discs.sort();
    let before = recordings_on_discs.len();
    recordings_on_discs.dedup();
    assert_eq!(
        before,
        recordings_on_discs.len(),
        "each recording file on one disc only"
    );
    let mut recorded: Vec<String> = std::fs::read_dir(data.join("sessions"))
        .expect("sessions")
        .flat_map(|session| {
            let session = session.expect("entry").path();
            let name = session
                .file_name()
                .expect("name")
                .to_string_lossy()
                .into_owned();
            recording_files(&session.join("part-01"))
                .into_iter()
                .map(move |f| format!("{name}/{}", f.file_name().expect("name").to_string_lossy()))
        })
        .collect();
    recorded.sort();
    assert!(recorded.len() >= 6, "{recorded:?}");
    assert_eq!(
        recordings_on_discs, recorded,
        "every recording file is on the set"
    );
}

#[test]
fn burned_discs_are_read_back_and_compared_and_bad_images_get_clear_verdicts() {
    let work = tempfile::tempdir().expect("temporary folder");
    let data = work.path().join("data");
    two_sessions(&data);
    let image = work.path().join("case.iso");
    let built = disc_build(&data, &image, &[]);
    assert!(built.status.success(), "{}", text(&built.stderr));

    // Burn to xorriso's stdio pseudo-drive: the same code path as a drive.
    let burned = work.path().join("burned.bin");
    let drive = format!("stdio:{}", burned.display());
    let output = hattama()
        .arg("--data")
        .arg(&data)
        .args(["disc", "burn"])
        .arg(&image)
        .args(["--drive", &drive, "--json"])
        .output()
        .expect("runs");
    assert!(output.status.success(), "{}", text(&output.stderr));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(report["read_back"]["result"], "match", "{report}");
    assert!(report["inventory_id"].is_i64(), "recorded: {report}");
    let store = database(&data);
    let (burned_to, result): (String, String) = store
        .query_row(
            "SELECT burned_to, burn_result FROM case_discs WHERE id = ?1",
            [report["inventory_id"].as_i64().expect("id")],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .expect("the inventory entry");
    assert_eq!(
        (burned_to.as_str(), result.as_str()),
        (drive.as_str(), "match")
    );

    // One flipped byte on the disc is found, and where.
    let mut bytes = std::fs::read(&burned).expect("burned");
    bytes[300_000] ^= 0x01;
    std::fs::write(&burned, &bytes).expect("changed");
    let read_back = hattama::disc::burn::read_back(&image, &drive).expect("read back");
    assert_eq!(
        read_back,
        hattama::disc::burn::ReadBack::Differs {
            image_sha256: match hattama::disc::burn::read_back(
                &image,
                &format!("stdio:{}", image.display())
            )
            .expect("same")
            {
                hattama::disc::burn::ReadBack::Match { sha256, .. } => sha256,
                other => panic!("an image matches itself: {other:?}"),
            },
            disc_sha256: match &read_back {
                hattama::disc::burn::ReadBack::Differs { disc_sha256, .. } => disc_sha256.clone(),
                other => panic!("{other:?}"),
            },
            first_difference: 300_000,
        }
    );
    assert_eq!(read_back.summary(), "differs from byte 300000 (sector 146)");

    // A truncated image, a damaged one, and one of another case: clear verdicts.
    let original = std::fs::read(&image).expect("image");
    let truncated = work.path().join("truncated.iso");
    std::fs::write(&truncated, &original[..original.len() / 2]).expect("written");
    let output = hattama()
        .arg("--data")
        .arg(&data)
        .arg("verify")
        .arg(&truncated)
        .output()
        .expect("runs");
    assert!(!output.status.success());
    assert!(
        text(&output.stderr).contains("is not a readable disc image"),
        "{}",
        text(&output.stderr)
    );

    let damaged = work.path().join("damaged.iso");
    let mut bytes = original.clone();
    let inventory_at = bytes
        .windows(b"\"case_number\"".len())
        .position(|w| w == b"\"case_number\"")
        .expect("the inventory is in the image");
    bytes[inventory_at + 20] ^= 0x01;
    std::fs::write(&damaged, &bytes).expect("written");
    let (ok, json) = verify(&data, &damaged, &[]);
    assert!(!ok);
    let found = failed(&json);
    assert!(
        found
            .iter()
            .any(|f| f.starts_with("INVENTORY.json.minisig: ")),
        "a changed inventory breaks its signature: {found:#?}"
    );

    // Another case's disc, checked where this case's inventory is kept: not its entry.
    let other_data = work.path().join("other");
    std::fs::create_dir_all(other_data.join("keys")).expect("keys folder");
    for key in ["hattama.key", "hattama.pub"] {
        std::fs::copy(
            data.join("keys").join(key),
            other_data.join("keys").join(key),
        )
        .expect("key");
    }
    record_demo_part(&other_data, CASE, 2, None);
    let foreign = work.path().join("foreign.iso");
    let built = disc_build(&other_data, &foreign, &[]);
    assert!(built.status.success(), "{}", text(&built.stderr));
    let (ok, json) = verify(&data, &foreign, &[]);
    assert!(
        !ok,
        "same case number, but not the disc this inventory lists"
    );
    let found = failed(&json);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0].starts_with("case inventory: not the disc the case inventory lists"),
        "{}",
        found[0]
    );
}

#[test]
fn a_cancelled_build_leaves_nothing_under_the_image_name() {
    let work = tempfile::tempdir().expect("temporary folder");
    let data = work.path().join("data");
    two_sessions(&data);
    let paths = hattama::paths::Paths::new(None, Some(data.clone()));
    let store = hattama::store::Store::open(&paths.database()).expect("database");
    let (plans, _) =
        hattama::disc::plan(&store, &paths, CASE, hattama::disc::Media::Cd).expect("planned");
    let keys = hattama::seal::Keys::load(&paths.keys()).expect("the court's key");
    let sealer = hattama::seal::Sealer::of_keys(keys);
    let trusted = hattama::seal::trusted_keys(&paths);
    let maker = hattama::disc::image::Maker {
        sealer: &sealer,
        trusted: &trusted,
        court: "",
        made_by: "",
        replace_own_image: false,
    };
    let out = work.path().join("case.iso");
    let cancel = std::sync::atomic::AtomicBool::new(false);
    // Cancelled as soon as anything is reported, as a person pressing Cancel.
    let progress = |_| cancel.store(true, std::sync::atomic::Ordering::Relaxed);
    let result = hattama::disc::image::build(&plans[0], &maker, &out, &progress, &cancel);
    assert!(
        matches!(result, Err(hattama::disc::DiscError::Cancelled)),
        "{result:?}"
    );
    assert!(!out.exists());
    assert!(!hattama::disc::image::partial(&out).exists());
}
