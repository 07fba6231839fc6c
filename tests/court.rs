//! The court as a system (issue 21): two courtrooms record one case onto the court's
//! recording server (`rclone serve s3` on 127.0.0.1); what is not a recording goes there as
//! signed event objects; the archivist, on a third computer with no secretary's database,
//! accepts the case's discs from those events.

mod common;

use std::path::{Path, PathBuf};

use common::*;

const COURT: &str = "Алматы қаласы Медеу аудандық соты";
const CASE: &str = "2-77/2026";
const JUDGE: &str = "Ерлан Ахметов";

/// A computer of the court: its data folder and configuration (hall `hall`, `person`),
/// sending to the court server at `port`.
struct Desk {
    data: PathBuf,
    config: PathBuf,
}

impl Desk {
    fn new(work: &Path, name: &str, hall: &str, person: &str, port: u16) -> Desk {
        let folder = work.join(name);
        std::fs::create_dir_all(&folder).expect("folder");
        let config = folder.join("config.toml");
        std::fs::write(
            &config,
            format!(
                "[court]\nname = \"{COURT}\"\nhall = \"{hall}\"\n[operator]\nname = \"{person}\"\n\
                 [delivery]\nsend_demo = true\nretry_base_ms = 20\n\
                 server = \"s3://court/записи\"\nserver_endpoint = \"http://127.0.0.1:{port}\"\n\
                 server_access_key = \"hattama\"\nserver_secret_key = \"court-secret\"\n"
            ),
        )
        .expect("config");
        Desk {
            data: folder.join("data"),
            config,
        }
    }

    fn run(&self, args: &[&str]) -> std::process::Output {
        hattama()
            .args(args)
            .arg("--config")
            .arg(&self.config)
            .arg("--data")
            .arg(&self.data)
            .output()
            .expect("hattama runs")
    }

    /// Delivers until nothing for the court server waits (an upload's event is queued as
    /// the upload ends).
    fn deliver_all(&self) {
        for _ in 0..5 {
            let report = deliver_once_with(&self.data, &self.config, &[]);
            let waiting: Vec<_> = report["outbox"]
                .as_array()
                .expect("rows")
                .iter()
                .filter(|row| row["target"] == "server" && row["state"] != "delivered")
                .collect();
            if waiting.is_empty() {
                return;
            }
        }
        panic!(
            "the court server's rows are not all delivered in five passes: {:#}",
            deliver_once_with(&self.data, &self.config, &[])
        );
    }

    /// Writes a protocol entry `at_ms` into the desk's last part and seals it again, as the
    /// secretary's entry during the recording would have been.
    fn write_entry(&self, text: &str, at_ms: i64) {
        use hattama::protocol::{EntryKind, NewEntry, Stamp};
        let paths = hattama::paths::Paths::new(Some(self.config.clone()), Some(self.data.clone()));
        let config = hattama::config::Config::load(&self.config, true).expect("the configuration");
        let mut store = hattama::store::Store::open(&paths.database()).expect("the database");
        let session = store.sessions().expect("sessions")[0].id;
        let part = store
            .parts_of(session)
            .expect("parts")
            .pop()
            .expect("a part");
        let first = part
            .first_media_wall
            .as_deref()
            .and_then(|t| t.parse::<chrono::DateTime<chrono::Utc>>().ok())
            .expect("a first media time");
        let wall = first + chrono::Duration::milliseconds(at_ms);
        store
            .add_entry(&NewEntry {
                session_id: session,
                stamp: Stamp::at(wall, Some((part.id, first))),
                kind: EntryKind::Note,
                speaker_id: None,
                text: text.to_owned(),
            })
            .expect("an entry");
        hattama::seal::seal_now(&mut store, &paths, part.id, &config).expect("sealed again");
    }

    fn public_key(&self) -> PathBuf {
        self.data.join("keys/hattama.pub")
    }

    /// Trusts `other`'s key (as the court's administrator installs the halls' keys).
    fn trust(&self, other: &Desk, name: &str) {
        let trusted = self.data.join("keys/trusted");
        std::fs::create_dir_all(&trusted).expect("folder");
        std::fs::copy(other.public_key(), trusted.join(format!("{name}.pub"))).expect("copied");
    }
}

/// Every file under `folder`, at any depth.
fn walk(folder: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(folder).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(walk(&path));
        } else {
            found.push(path);
        }
    }
    found
}

/// The event objects under the case's folder on the server, by name.
fn events_on_server(root: &Path) -> Vec<PathBuf> {
    let case = root
        .join("court/записи")
        .join(hattama::delivery::case_prefix(COURT, CASE))
        .join("events");
    let mut found: Vec<PathBuf> = std::fs::read_dir(&case)
        .map(|entries| entries.map(|e| e.expect("entry").path()).collect())
        .unwrap_or_default();
    found.sort();
    found
}

#[test]
fn the_archivist_accepts_a_case_recorded_in_two_courtrooms_from_the_court_servers_events() {
    let work = tempfile::tempdir().expect("temporary folder");
    let (port, root) = (free_port(), work.path().join("s3"));
    std::fs::create_dir_all(root.join("court")).expect("the bucket");
    let s3 = S3::start(&root, port);
    let first = Desk::new(work.path(), "courtroom-1", "1", "Айгүл Серікова", port);
    let second = Desk::new(work.path(), "courtroom-2", "2", "Дана Омарова", port);
    let archivist = Desk::new(work.path(), "archive", "", "Бекзат Нұрланов", port);

    // Both courtrooms record the case; each makes its disc; everything goes up.
    let mut discs = Vec::new();
    // The second records long enough for its file to span two chunks of the seal's list, so
    // the judge's desk reads it in ranges.
    for (desk, name, seconds) in [(&first, "first", "2"), (&second, "second", "22")] {
        let _turn = one_recording_at_a_time();
        let recorded = desk.run(&[
            "record", "--demo", "--for", seconds, "--case", CASE, "--judge", JUDGE, "--json",
        ]);
        assert!(recorded.status.success(), "{}", text(&recorded.stderr));
        desk.write_entry(&format!("{name}: the court hears the witness"), 1_000);
        let out = work.path().join(format!("{name}.iso"));
        let built = desk.run(&[
            "disc",
            "build",
            "--case",
            CASE,
            "--out",
            out.to_str().expect("UTF-8"),
        ]);
        assert!(built.status.success(), "{}", text(&built.stderr));
        discs.push(out);
        let nobody = desk.run(&["disc", "hand-over", "--case", CASE, "--to", " "]);
        assert!(!nobody.status.success() && text(&nobody.stderr).contains("--to"));
        let handed = desk.run(&[
            "disc",
            "hand-over",
            "--case",
            CASE,
            "--to",
            "Бекзат Нұрланов",
        ]);
        assert!(handed.status.success(), "{}", text(&handed.stderr));
        desk.deliver_all();
        archivist.trust(desk, name);
    }

    // The server holds, per case, signed events: two parts uploaded, two discs made.
    let events = events_on_server(&root);
    let json: Vec<&PathBuf> = events
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    let kinds = |kind: &str| {
        json.iter()
            .filter(|p| p.to_string_lossy().contains(kind))
            .count()
    };
    assert_eq!(
        (
            kinds("part-uploaded"),
            kinds("disc-made"),
            kinds("disc-handed")
        ),
        (2, 2, 2),
        "{events:#?}"
    );
    for event in &json {
        let signature = PathBuf::from(format!("{}.minisig", event.display()));
        let signed_by_one = [&first, &second]
            .iter()
            .any(|desk| minisign_verifies(event, &desk.public_key()));
        assert!(
            signature.exists() && signed_by_one,
            "{} signed",
            event.display()
        );
    }
    let uploaded: serde_json::Value =
        serde_json::from_slice(&std::fs::read(json[0]).expect("event")).expect("JSON");
    assert_eq!(uploaded["court"], COURT);
    assert_eq!(uploaded["case_number"], CASE);

    // The judge's desk lists the court's cases from the server: the case, both sessions,
    // its judge; found by the judge's name and by date, not by a name it does not hold.
    let judge = Desk::new(work.path(), "judge", "", JUDGE, port);
    judge.trust(&first, "first");
    judge.trust(&second, "second");
    let cases = |search: &str| {
        let listed = judge.run(&["cases", "--court", COURT, "--search", search, "--json"]);
        assert!(listed.status.success(), "{}", text(&listed.stderr));
        serde_json::from_slice::<serde_json::Value>(&listed.stdout).expect("JSON")
    };
    let listed = cases("ахметов");
    let found = listed["cases"].as_array().expect("cases");
    assert_eq!(found.len(), 1, "{listed:#}");
    assert_eq!(found[0]["case_number"], CASE);
    assert_eq!(found[0]["sessions"].as_object().expect("sessions").len(), 2);
    assert_eq!(found[0]["judges"], serde_json::json!([JUDGE]));
    assert_eq!(listed["read"], 2, "both parts' events read the first time");
    // The day the sessions opened, in the court's time zone, as the protocol gives it.
    let day = found[0]["first"].as_str().expect("opened")[..10].to_owned();
    assert!(day.starts_with("20") && day.len() == 10, "{day}");
    let again = cases(&day);
    assert_eq!(
        again["cases"].as_array().map(Vec::len),
        Some(1),
        "{again:#}"
    );
    assert_eq!(
        again["read"], 0,
        "nothing new: read from the desk's own copy"
    );
    assert_eq!(cases("Петров")["cases"], serde_json::json!([]));
    // A session recorded later: only its event is read.
    {
        let _turn = one_recording_at_a_time();
        let recorded = second.run(&["record", "--demo", "--for", "1", "--case", CASE]);
        assert!(recorded.status.success(), "{}", text(&recorded.stderr));
    }
    second.deliver_all();
    let later = cases(CASE);
    assert_eq!(later["read"], 1, "{later:#}");
    assert_eq!(
        later["cases"][0]["sessions"].as_object().map(|s| s.len()),
        Some(3)
    );
    let human = judge.run(&["cases", "--court", COURT]);
    assert!(text(&human.stdout).contains(CASE) && text(&human.stdout).contains(JUDGE));

    // The judge opens the case from the server: nothing downloaded whole; both courtrooms'
    // sessions play, each entry's moment shows its frame and is the entry the protocol
    // marks there.
    let target = hattama::delivery::upload::Target {
        name: "server",
        url: "s3://court/записи",
        endpoint: &format!("http://127.0.0.1:{port}"),
        access_key: "hattama",
        secret_key: "court-secret",
        region: "us-east-1",
    };
    let judge_paths =
        hattama::paths::Paths::new(Some(judge.config.clone()), Some(judge.data.clone()));
    let trusted = hattama::seal::trusted_keys(&judge_paths);
    let mounts = judge.data.join("streams");
    {
        let streamed =
            hattama::review::stream::Streamed::open(target, COURT, CASE, &trusted, &mounts)
                .expect("the case streams from the server");
        assert_eq!(streamed.parts.len(), 3, "{:?}", streamed.refused);
        assert!(streamed.refused.is_empty(), "{:?}", streamed.refused);
        let reviews = hattama::review::Review::open(streamed.folder(), &judge.data.join("review"))
            .expect("the case reads as a disc does");
        assert_eq!(
            reviews.len(),
            3,
            "both courtrooms' sessions and the later one"
        );
        let mut played = Vec::new();
        for review in &reviews {
            let part = &review.parts[0];
            let report = hattama::seal::verify::verify_part_unhashed(&part.folder, &trusted);
            assert!(report.ok(), "{report:?}");
            let Some((index, entry)) = review
                .document
                .entries
                .iter()
                .enumerate()
                .find(|(_, link)| link.offset_ms.is_some())
            else {
                continue;
            };
            let at = entry.offset_ms.expect("an offset");
            let mut player = hattama::review::player::Player::open(&part.folder)
                .expect("the part opens from the server");
            let events = player.events();
            hattama::review::player::next_frame(&events, std::time::Duration::from_secs(10))
                .expect("a first frame");
            player.seek(at).expect("a seek");
            let frame = loop {
                let frame = hattama::review::player::next_frame(
                    &events,
                    std::time::Duration::from_secs(10),
                )
                .expect("a frame after the seek");
                if (frame.at_ms - at).abs() < 60 {
                    break frame;
                }
            };
            assert_eq!(review.entry_at(part.number, frame.at_ms), Some(index));
            played.push(entry.text.clone());
        }
        played.sort();
        assert_eq!(
            played,
            [
                "first: the court hears the witness",
                "second: the court hears the witness"
            ]
        );
        let whole: u64 = walk(&root.join("court/записи"))
            .iter()
            .filter_map(|path| std::fs::metadata(path).ok())
            .map(|meta| meta.len())
            .sum();
        assert!(
            streamed.mismatches().is_empty(),
            "{:?}",
            streamed.mismatches()
        );
        assert!(
            streamed.fetched_bytes() < whole,
            "{} of {whole}",
            streamed.fetched_bytes()
        );
    }
    assert!(
        nothing_in(&mounts),
        "unmounted and removed when the review closes"
    );

    // A recording changed on the server (one byte of its second MiB, same size): the seal
    // still holds by its signature; its first MiB reads (a range of the object, checked),
    // the chunk that differs stops the file and is named.
    let recording = walk(&root.join("court/записи"))
        .into_iter()
        .find(|path| {
            path.to_string_lossy().ends_with("recording-001.mkv")
                && std::fs::metadata(path).is_ok_and(|meta| meta.len() > 1 << 20)
        })
        .expect("a recording of more than one chunk on the server");
    let mut bytes = std::fs::read(&recording).expect("the recording");
    let middle = (1 << 20) + 100;
    bytes[middle] ^= 0x55;
    std::fs::write(&recording, &bytes).expect("changed on the server");
    {
        let streamed =
            hattama::review::stream::Streamed::open(target, COURT, CASE, &trusted, &mounts)
                .expect("the case streams from the server");
        let reviews = hattama::review::Review::open(streamed.folder(), &judge.data.join("review"))
            .expect("the case reads");
        let changed = reviews
            .iter()
            .flat_map(|review| &review.parts)
            .find(|part| {
                recording.starts_with(
                    part.folder
                        .strip_prefix(streamed.folder())
                        .map(|p| {
                            root.join("court/записи")
                                .join(hattama::delivery::case_prefix(COURT, CASE))
                                .join(p)
                        })
                        .unwrap_or_default(),
                )
            })
            .expect("the changed part is shown");
        let path = changed.folder.join("recording-001.mkv");
        let mut first_chunk = vec![0u8; 1 << 20];
        std::io::Read::read_exact(
            &mut std::fs::File::open(&path).expect("opens"),
            &mut first_chunk,
        )
        .expect("the first MiB is as sealed and reads");
        assert_eq!(first_chunk, bytes[..1 << 20]);
        let read = std::fs::read(&path);
        assert!(read.is_err(), "a changed file does not read through");
        let mismatches = streamed.mismatches();
        assert!(
            mismatches
                .iter()
                .any(|m| m.file.ends_with("recording-001.mkv")
                    && m.what.contains("differs from the sealed")),
            "{mismatches:?}"
        );
        assert_eq!(mismatches[0].offset, 1 << 20, "{mismatches:?}");
    }

    // A file put into a sealed part's folder on the server: that part is not shown, the file
    // is named; the others still are. A server address that is not one is said, not mounted.
    let added = recording.with_file_name("recording-009.mkv");
    let relative = added
        .strip_prefix(root.join("court"))
        .expect("under the bucket")
        .to_string_lossy()
        .into_owned();
    s3.put("court", &relative, b"not part of the record");
    {
        let streamed =
            hattama::review::stream::Streamed::open(target, COURT, CASE, &trusted, &mounts)
                .expect("the other parts still stream");
        assert_eq!(streamed.parts.len(), 2, "{:?}", streamed.refused);
        assert_eq!(streamed.refused.len(), 1, "{:?}", streamed.refused);
        assert!(
            streamed.refused[0].1.contains("recording-009.mkv"),
            "{:?}",
            streamed.refused
        );
    }
    let nowhere = hattama::delivery::upload::Target {
        url: "not a url",
        ..target
    };
    let error = hattama::review::stream::Streamed::open(nowhere, COURT, CASE, &trusted, &mounts)
        .expect_err("no server there");
    assert!(error.to_string().contains("not a url"), "{error}");
    assert!(nothing_in(&mounts), "nothing left mounted");

    // The archivist lists the case's discs from the server, and prints the inventory page.
    let page = work.path().join("inventory.html");
    let listed = archivist.run(&[
        "accept",
        "--case",
        CASE,
        "--court",
        COURT,
        "--html",
        page.to_str().expect("UTF-8"),
    ]);
    assert!(listed.status.success(), "{}", text(&listed.stderr));
    assert_eq!(
        text(&listed.stdout).lines().count(),
        2,
        "{}",
        text(&listed.stdout)
    );
    let html = std::fs::read_to_string(&page).expect("the page");
    assert!(
        html.contains(CASE) && html.contains("Айгүл Серікова") && html.contains("Дана Омарова"),
        "{html}"
    );

    // Given one disc: it checks whole, the other is named missing, and the acceptance saying
    // so is recorded on the server, signed by the archivist's key.
    let accepted = archivist.run(&[
        "accept",
        "--case",
        CASE,
        "--court",
        COURT,
        "--json",
        discs[0].to_str().expect("UTF-8"),
    ]);
    assert!(
        !accepted.status.success(),
        "a missing disc fails the acceptance"
    );
    let report: serde_json::Value = serde_json::from_slice(&accepted.stdout).expect("JSON");
    let event = &report["event"];
    assert_eq!(event["kind"], "case-accepted", "{report:#}");
    assert_eq!(event["by"], "Бекзат Нұрланов");
    assert_eq!(
        event["discs"].as_array().expect("discs").len(),
        1,
        "{report:#}"
    );
    let missing = event["missing"].as_array().expect("missing");
    assert_eq!(missing.len(), 1, "{report:#}");
    assert!(
        missing[0]["why"]
            .as_str()
            .expect("why")
            .contains("not among the discs given; handed over to Бекзат Нұрланов by Дана Омарова"),
        "{report:#}"
    );
    let recorded = events_on_server(&root)
        .into_iter()
        .find(|p| {
            p.to_string_lossy().contains("case-accepted")
                && p.extension().is_some_and(|e| e == "json")
        })
        .expect("the acceptance is on the server");
    assert!(
        minisign_verifies(&recorded, &archivist.public_key()),
        "signed by the archivist"
    );

    // A forged event put straight onto the server (no signature a trusted key made) is
    // named and not taken for a disc of the case.
    let forged = serde_json::json!({
        "format": "hattama-event/1", "court": COURT, "case_number": CASE, "hall": "1",
        "by": "someone", "at": "2026-12-04T10:00:00Z", "kind": "disc-made",
        "label": "FORGED", "disc": 1, "of": 1, "media": "cd",
        "contents_sha256": "00", "parts": [], "size": 1
    });
    let name = format!(
        "записи/{}/events/20261204T100000Z-disc-made-forged.json",
        hattama::delivery::case_prefix(COURT, CASE)
    );
    s3.put("court", &name, forged.to_string().as_bytes());
    s3.put(
        "court",
        &format!("{name}.minisig"),
        std::fs::read_to_string(format!("{}.minisig", json[0].display()))
            .expect("a signature")
            .as_bytes(),
    );

    // Given both discs: whole, nothing missing; the forged one refused by name.
    let both = archivist.run(&[
        "accept",
        "--case",
        CASE,
        "--court",
        COURT,
        discs[0].to_str().expect("UTF-8"),
        discs[1].to_str().expect("UTF-8"),
    ]);
    let (out, err) = (text(&both.stdout), text(&both.stderr));
    assert!(both.status.success(), "{out}{err}");
    assert!(out.contains("2 disc(s) whole, 0 missing"), "{out}");
    assert!(
        err.contains("disc-made-forged.json") && err.contains("signature"),
        "{err}"
    );
    assert!(!out.contains("FORGED"), "{out}");
}

#[test]
fn a_session_begun_in_the_workstations_folder_is_continued_by_the_next_shift() {
    use std::os::unix::fs::PermissionsExt;
    let work = tempfile::tempdir().expect("temporary folder");
    let shared = work.path().join("courtroom");
    // Each secretary's configuration names her; both name the workstation's folder.
    let config_of = |secretary: &str| {
        let config = work.path().join(format!("{secretary}.toml"));
        std::fs::write(
            &config,
            format!(
                "[court]\nname = \"{COURT}\"\nhall = \"3\"\n[operator]\nname = \"{secretary}\"\n\
                 [workstation]\ndata = \"{}\"\n",
                shared.display()
            ),
        )
        .expect("config");
        config
    };
    let (morning_config, afternoon_config) =
        (config_of("Айгүл Серікова"), config_of("Дана Омарова"));
    let config = morning_config.clone();
    // No --data: the workstation's folder.
    let record = |config: &Path, extra: &[&str]| {
        let _turn = one_recording_at_a_time();
        let output = hattama()
            .args(["record", "--demo", "--for", "2", "--json", "--config"])
            .arg(config)
            .args(extra)
            .output()
            .expect("hattama runs");
        assert!(output.status.success(), "{}", text(&output.stderr));
        serde_json::from_slice::<serde_json::Value>(&output.stdout).expect("JSON")
    };
    let morning = record(&morning_config, &["--case", CASE]);
    let part = PathBuf::from(morning["part"].as_str().expect("part"));
    assert!(
        part.starts_with(shared.join("sessions")),
        "{}",
        part.display()
    );
    let session = morning["session_id"].to_string();
    let afternoon = record(&afternoon_config, &["--session", &session]);
    assert_eq!(afternoon["session_id"], morning["session_id"]);
    let second = PathBuf::from(afternoon["part"].as_str().expect("part"));
    assert_eq!(second.parent(), part.parent(), "the same session's folder");
    assert!(second.ends_with("part-02"), "{}", second.display());
    // The protocol names who recorded: the morning's part her, the afternoon's both.
    let protocol =
        |part: &Path| std::fs::read_to_string(part.join("protocol.txt")).expect("protocol");
    assert!(
        protocol(&part).contains("Айгүл Серікова") && !protocol(&part).contains("Дана Омарова"),
        "{}",
        protocol(&part)
    );
    assert!(
        protocol(&second).contains("Айгүл Серікова, Дана Омарова"),
        "{}",
        protocol(&second)
    );
    // What one secretary made, the next one (the folder's group) may write.
    for made in [shared.join("hattama.sqlite3"), part.join("part.lock")] {
        let mode = std::fs::metadata(&made).expect("made").permissions().mode() & 0o777;
        assert_eq!(mode & 0o060, 0o060, "{} is {mode:o}", made.display());
        assert_eq!(
            mode & 0o007,
            0,
            "{} is {mode:o}: nobody else's",
            made.display()
        );
    }
    // A session that is not there: said, nothing recorded.
    let output = hattama()
        .args([
            "record",
            "--demo",
            "--for",
            "1",
            "--session",
            "999",
            "--config",
        ])
        .arg(&config)
        .output()
        .expect("hattama runs");
    assert!(!output.status.success());
    assert!(
        text(&output.stderr).contains("999"),
        "{}",
        text(&output.stderr)
    );
}

/// The folder holds nothing (what a review mounted there is gone).
fn nothing_in(folder: &Path) -> bool {
    std::fs::read_dir(folder)
        .expect("the mounts folder")
        .next()
        .is_none()
}
