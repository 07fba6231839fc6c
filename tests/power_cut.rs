//! Power cuts, for real: Hattama runs on `cutfs` (tools/cutfs), a filesystem that keeps every
//! write in memory until it is synced and, when the power is cut, forgets what was not —
//! data not synced, names in folders not synced — as a disk's page cache is lost. Each
//! scenario cuts at seeded random moments (the seed is printed; `HATTAMA_CUT_SEED` repeats
//! it), restarts Hattama as the next start would, and holds it to its promises. `make test`
//! runs a few cuts of each; `make crash` many, writing the figures into BENCHMARKS.md.

mod common;
#[path = "common/cutfs.rs"]
mod cutfs;

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::*;
use cutfs::{CutDisk, Seeded, integrity, report, rounds};

/// The promise of the recording: at most the sync interval of the default configuration,
/// plus one group of pictures of the default profile (720p25, key-int-max=50).
const SYNC_INTERVAL_S: f64 = 0.5;
const GOP_S: f64 = 2.0;

#[test]
fn the_disk_forgets_what_was_not_synced_and_keeps_what_was() {
    use std::io::Write;
    let disk = CutDisk::mount();
    let kept = disk.path.join("kept.txt");
    let mut file = std::fs::File::create(&kept).expect("created");
    file.write_all(b"synced").expect("written");
    file.sync_all().expect("synced");
    std::fs::File::open(&disk.path)
        .and_then(|folder| folder.sync_all())
        .expect("folder synced");
    file.write_all(b", and then more").expect("written");
    drop(file);
    std::fs::write(disk.path.join("lost.txt"), b"never synced").expect("written");
    std::fs::create_dir(disk.path.join("lost folder")).expect("made");

    let answer = disk.cut();
    assert!(
        std::fs::read_dir(&disk.path).is_err(),
        "a cut disk answers nothing until the power is back"
    );
    disk.thaw();
    assert!(answer.contains("files=2"), "{answer}");
    assert_eq!(std::fs::read(&kept).expect("kept"), b"synced");
    assert!(
        !disk.path.join("lost.txt").exists(),
        "unsynced name forgotten"
    );
    assert!(!disk.path.join("lost folder").exists());

    // Armed: the cut comes before the 3rd change from now, whatever writes it.
    disk.cut_after(3);
    let mut file = std::fs::File::create(disk.path.join("second.txt")).expect("change 1");
    file.write_all(b"a").expect("change 2");
    assert!(file.write_all(b"b").is_err(), "change 3 meets a dead disk");
    assert!(disk.frozen());
    disk.thaw();
    assert!(!disk.path.join("second.txt").exists());
}

/// Runs `command` on the disk with the power cut before its `n`th change: once the cut
/// has come, whatever still runs is killed (a dead machine); when it ended first, the power
/// is cut then. Returns its output and whether the cut came while it ran.
fn run_until_cut(disk: &CutDisk, command: &mut Command, n: u64) -> (Output, bool) {
    disk.cut_after(n);
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("hattama starts");
    let read = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = pipe.read_to_end(&mut bytes);
            bytes
        })
    };
    let stdout = read(Box::new(child.stdout.take().expect("piped")));
    let stderr = read(Box::new(child.stderr.take().expect("piped")));
    let deadline = Instant::now() + Duration::from_secs(120);
    let status = loop {
        if let Some(status) = child.try_wait().expect("waits") {
            break status;
        }
        if disk.frozen() {
            child.kill().expect("kill -9");
            break child.wait().expect("reaped");
        }
        assert!(Instant::now() < deadline, "hattama neither ended nor wrote");
        std::thread::sleep(Duration::from_millis(10));
    };
    let during = disk.frozen();
    if !during {
        disk.cut();
    }
    disk.thaw();
    let output = Output {
        status,
        stdout: stdout.join().expect("stdout read"),
        stderr: stderr.join().expect("stderr read"),
    };
    (output, during)
}

/// Runs `work` in this process with the power cut before its `n`th change (or, when it
/// ends first, then): its result, and whether the cut came while it ran.
fn within_cut<T>(disk: &CutDisk, n: u64, work: impl FnOnce() -> T) -> (T, bool) {
    disk.cut_after(n);
    let result = work();
    let during = disk.frozen();
    if !during {
        disk.cut();
    }
    disk.thaw();
    (result, during)
}

/// The changes `command` makes on the disk when nothing cuts it; it must succeed.
fn changes_of(disk: &CutDisk, command: &mut Command) -> u64 {
    let before = disk.changes();
    let output = command.output().expect("hattama runs");
    assert!(output.status.success(), "{}", text(&output.stderr));
    disk.changes() - before
}

/// Where to cut a run of `total` changes: `short` seeded random points in `make test`,
/// every one of them (and once after the last) in the long run.
fn cut_points(total: u64, short: usize, what: &str) -> Vec<u64> {
    if rounds(0, 1) == 1 {
        return (1..=total + 1).collect();
    }
    let mut random = Seeded::from_environment(what);
    (0..short).map(|_| random.between(1, total + 1)).collect()
}

fn hattama_on(data: &Path, config: &Path) -> Command {
    let mut command = hattama();
    command.arg("--config").arg(config).arg("--data").arg(data);
    command
}

/// The next start: parts left by the cut are recovered and sealed.
fn next_start(data: &Path, config: &Path) -> serde_json::Value {
    let output = hattama_on(data, config)
        .args(["recover", "--json"])
        .output()
        .expect("recover runs");
    assert!(
        output.status.success(),
        "the next start recovers: {}",
        text(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("JSON")
}

fn assert_integrity(data: &Path, when: &str) {
    let answer = integrity(data);
    assert!(
        answer.starts_with("ok"),
        "{when}: integrity_check: {answer}"
    );
}

/// Every part of the data folder: (folder, state, sealed).
fn parts(data: &Path) -> Vec<(PathBuf, String, bool)> {
    let connection = database(data);
    let mut statement = connection
        .prepare("SELECT folder, state, sealed_at IS NOT NULL FROM session_parts ORDER BY id")
        .expect("query");
    statement
        .query_map([], |row| {
            Ok((
                data.join("sessions").join(row.get::<_, String>(0)?),
                row.get(1)?,
                row.get(2)?,
            ))
        })
        .expect("rows")
        .collect::<Result<_, _>>()
        .expect("read")
}

fn plain_config(folder: &Path) -> PathBuf {
    court_config_file(folder, "")
}

#[test]
fn a_cut_recording_loses_at_most_the_sync_interval_and_one_gop() {
    let disk = CutDisk::mount();
    let work = tempfile::tempdir().expect("temporary folder");
    let config = plain_config(work.path());
    // Every other round closes a file every 2 s: the cut finds files closed and a new one.
    let segmented = work.path().join("segmented.toml");
    let text = std::fs::read_to_string(&config).expect("config");
    std::fs::write(&segmented, text + "[recording]\nsegment_seconds = 2\n").expect("written");
    let mut random = Seeded::from_environment("recording cuts");
    let cuts = rounds(3, 20);
    let mut losses = Vec::new();
    for round in 0..cuts {
        let data = disk.path.join(format!("round-{round}"));
        let config = if round.is_multiple_of(2) {
            &config
        } else {
            &segmented
        };
        let turn = one_recording_at_a_time();
        let mut child = hattama_on(&data, config)
            .args(["record", "--demo", "--json", "--for", "300", "--case"])
            .arg(format!("2-{round}/2026"))
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("hattama record starts");
        let folder = wait_for_folder(&mut child);
        let first_media_wall = wait_until_recording(&data);
        std::thread::sleep(Duration::from_secs_f64(random.real(0.5, 8.0)));
        let cut_at = chrono::Utc::now();
        disk.cut();
        child.kill().expect("kill -9");
        child.wait().expect("reaped");
        disk.thaw();
        drop(turn);
        let recorded_for = (cut_at - first_media_wall).num_milliseconds() as f64 / 1000.0;
        assert_integrity(&data, &format!("round {round}"));

        let recovered = next_start(&data, config);
        assert_eq!(
            recovered[0]["state"], "recovered",
            "round {round}: {recovered}"
        );
        let (verified, report) = verify(&data, &folder, &[]);
        assert!(
            verified,
            "round {round}: the recovered part verifies: {report}"
        );
        let kept = part_video_timestamps(&folder)
            .into_iter()
            .fold(0.0, f64::max);
        let lost = (recorded_for - kept).max(0.0);
        eprintln!("round {round}: cut {recorded_for:.2} s in, {kept:.2} s kept, {lost:.2} s lost");
        assert!(
            lost <= SYNC_INTERVAL_S + GOP_S,
            "round {round}: cut {recorded_for:.2} s in, the recording keeps {kept:.2} s"
        );
        losses.push(lost);
    }
    // A part stopped as usual: once `record` has said it is sealed, a cut takes nothing.
    let data = disk.path.join("stopped");
    let folder = record_demo_part(&data, "2-99/2026", 2, Some(&config));
    disk.cut();
    disk.thaw();
    assert_integrity(&data, "after a part was stopped and sealed");
    let (verified, checks) = verify(&data, &folder, &[]);
    assert!(
        verified,
        "a part sealed before the cut verifies after it: {checks}"
    );
    assert!(parts(&data).iter().all(|(_, _, sealed)| *sealed));

    let worst = losses.iter().copied().fold(0.0, f64::max);
    report(
        "recording",
        serde_json::json!({
            "cuts": cuts,
            "worst_loss_s": worst,
            "median_loss_s": median(&mut losses),
            "limit_s": SYNC_INTERVAL_S + GOP_S,
            "seed": random.seed,
        }),
    );
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(0.0)
}

#[test]
fn every_entry_whose_enter_returned_survives_a_cut_in_order_and_chained() {
    let disk = CutDisk::mount();
    let work = tempfile::tempdir().expect("temporary folder");
    let config = plain_config(work.path());
    let mut random = Seeded::from_environment("entry cuts");
    let cuts = rounds(2, 10);
    let mut taken_in_all = 0;
    for round in 0..cuts {
        let data = disk.path.join(format!("round-{round}"));
        let turn = one_recording_at_a_time();
        // The window's path for Enter (the store's add_entry through the database thread),
        // at 10 entries a second while a demo part records.
        let mut child = hattama_on(&data, &config)
            .args([
                "bench-entries",
                "--count",
                "100000",
                "--every",
                "100",
                "--say",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("bench-entries starts");
        let (said, heard) = std::sync::mpsc::channel();
        let stdout = child.stdout.take().expect("piped");
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let mut words = line.split_whitespace().skip(1);
                let n: u64 = words.next().and_then(|n| n.parse().ok()).expect("entry N");
                let id: i64 = words.next().and_then(|id| id.parse().ok()).expect("ID");
                if said.send((n, id)).is_err() {
                    return;
                }
            }
        });
        let first = heard
            .recv_timeout(Duration::from_secs(60))
            .expect("the first entry is taken");
        std::thread::sleep(Duration::from_secs_f64(random.real(0.2, 5.0)));
        disk.cut();
        child.kill().expect("kill -9");
        child.wait().expect("reaped");
        reader.join().expect("reader");
        disk.thaw();
        drop(turn);
        let taken: Vec<(u64, i64)> = std::iter::once(first).chain(heard.try_iter()).collect();
        taken_in_all += taken.len();
        assert_integrity(&data, &format!("round {round}"));

        let kept: Vec<i64> = database(&data)
            .prepare("SELECT id FROM protocol_entries ORDER BY seq")
            .expect("query")
            .query_map([], |row| row.get(0))
            .expect("rows")
            .collect::<Result<_, _>>()
            .expect("read");
        let ids: Vec<i64> = taken.iter().map(|&(_, id)| id).collect();
        assert_eq!(
            kept[..ids.len().min(kept.len())],
            ids[..],
            "round {round}: every entry taken is kept, in order"
        );
        // The next start seals the part with the protocol so far: the chain verifies, and
        // holds every entry taken, in order.
        next_start(&data, &config);
        let (folder, state, sealed) = parts(&data).pop().expect("the part");
        assert!(
            sealed,
            "round {round}: {state} part sealed at the next start"
        );
        let (verified, report) = verify(&data, &folder, &[]);
        assert!(verified, "round {round}: {report}");
        let protocol = std::fs::read_to_string(folder.join("protocol.txt")).expect("protocol");
        let mut from = 0;
        for (n, _) in &taken {
            let at = protocol[from..]
                .find(&format!("Entry {n}:"))
                .unwrap_or_else(|| panic!("round {round}: entry {n} is in the sealed protocol"));
            from += at;
        }
    }
    report(
        "entries",
        serde_json::json!({
            "cuts": cuts,
            "entries_taken": taken_in_all,
            "entries_lost": 0,
            "seed": random.seed,
        }),
    );
}

/// A data folder on the disk with one part whose recording was killed: unsealed.
fn killed_recording(disk: &CutDisk, name: &str, config: &Path) -> (PathBuf, PathBuf) {
    let data = disk.path.join(name);
    let _turn = one_recording_at_a_time();
    let mut child = hattama_on(&data, config)
        .args([
            "record", "--demo", "--json", "--for", "60", "--case", "2-5/2026",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("hattama record starts");
    let folder = wait_for_folder(&mut child);
    wait_until_recording(&data);
    std::thread::sleep(Duration::from_secs(2));
    child.kill().expect("kill -9");
    child.wait().expect("reaped");
    disk.sync();
    (data, folder)
}

#[test]
fn a_cut_seal_is_whole_or_made_at_the_next_start() {
    let disk = CutDisk::mount();
    let work = tempfile::tempdir().expect("temporary folder");
    // Each seal queues a protocol for ҚР СО БААТЖ: the outbox row is part of the seal.
    let config = court_config_file(work.path(), "baatzh_url = \"http://127.0.0.1:9/protocols\"");
    let (data, folder) = killed_recording(&disk, "seal", &config);
    disk.snapshot("unsealed");
    let total = changes_of(
        &disk,
        hattama_on(&data, &config).args(["recover", "--json"]),
    );
    let points = cut_points(total, 6, "seal cuts");
    let cuts = points.len();
    let (mut cut_while_sealing, mut half_written, mut sealed_later) = (0, 0, 0);
    for (round, &n) in points.iter().enumerate() {
        disk.restore("unsealed");
        let (output, during) = run_until_cut(
            &disk,
            hattama_on(&data, &config).args(["recover", "--json"]),
            n,
        );
        cut_while_sealing += usize::from(during);
        assert_integrity(
            &data,
            &format!("round {round}, cut before change {n} of {total}"),
        );
        let (_, state, sealed) = parts(&data).pop().expect("the part");
        assert!(
            during || !output.status.success() || sealed,
            "round {round}: recover said it was done: the seal survives the cut"
        );
        if sealed {
            let (verified, report) = verify(&data, &folder, &[]);
            half_written += usize::from(!verified);
            assert!(
                verified,
                "round {round}: cut before change {n} of {total}: a part recorded as sealed \
                 verifies: {report}"
            );
        } else {
            sealed_later += 1;
            next_start(&data, &config);
            let (_, state_now, sealed) = parts(&data).pop().expect("the part");
            assert!(
                sealed,
                "round {round}: cut before change {n} of {total} left it {state}; the next \
                 start seals it (now {state_now})"
            );
            let (verified, report) = verify(&data, &folder, &[]);
            assert!(verified, "round {round}: {report}");
        }
        let queued: i64 = database(&data)
            .query_row(
                "SELECT COUNT(*) FROM outbox WHERE kind = 'protocol'",
                [],
                |row| row.get(0),
            )
            .expect("outbox");
        assert_eq!(queued, 1, "round {round}: the protocol is queued once");
        let interrupted: i64 = database(&data)
            .query_row(
                "SELECT COUNT(*) FROM incidents WHERE kind = 'recording-interrupted'",
                [],
                |row| row.get(0),
            )
            .expect("incidents");
        assert_eq!(
            interrupted, 1,
            "round {round}: cut before change {n} of {total}: the interruption is one incident"
        );
    }
    report(
        "sealing",
        serde_json::json!({
            "cuts": cuts,
            "changes_per_seal": total,
            "cut_while_sealing": cut_while_sealing,
            "sealed_at_next_start": sealed_later,
            "seals_half_written": half_written,
        }),
    );
}

#[test]
fn a_cut_delivery_reaches_the_receiver_and_the_server_exactly_once() {
    let disk = CutDisk::mount();
    let work = tempfile::tempdir().expect("temporary folder");
    let s3_root = work.path().join("s3");
    // rclone serves the buckets it finds at its start: one, a prefix in it per round.
    std::fs::create_dir_all(s3_root.join("court")).expect("bucket");
    let s3 = S3::start(&s3_root, free_port());
    // A receiver per round (and a bucket, or a drop folder on the cut disk), all fresh.
    let config_for = |round: usize, url: &str| {
        let bucket = format!("court/round-{round}");
        let target = if round.is_multiple_of(2) {
            format!("baatzh_url = \"{url}\"\nbaatzh_token = \"t0ken\"")
        } else {
            let drop = disk.path.join(format!("drop-{round}"));
            format!("baatzh_drop_folder = \"{}\"", drop.display())
        };
        let folder = work.path().join(format!("config-{round}"));
        std::fs::create_dir_all(&folder).expect("folder");
        court_config_file(
            &folder,
            &format!(
                "retry_base_ms = 20\ntimeout_ms = 2000\n{target}\nserver = \"s3://{bucket}\"\n\
                 server_endpoint = \"{}\"\nserver_access_key = \"hattama\"\n\
                 server_secret_key = \"court-secret\"",
                s3.endpoint
            ),
        )
    };
    // Two sealed parts with their deliveries queued, each round from the same state.
    let queued_config = config_for(0, "http://127.0.0.1:9/protocols");
    let data = disk.path.join("deliver");
    let parts_sealed: Vec<PathBuf> = ["2-7/2026", "2-8/2026"]
        .iter()
        .map(|case| record_demo_part(&data, case, 2, Some(&queued_config)))
        .collect();
    disk.sync();
    disk.snapshot("queued");
    let total = {
        let store = work.path().join("measure");
        let receiver = hattama::delivery::receiver::Receiver::start(
            "127.0.0.1:0",
            &store,
            Some("t0ken".to_owned()),
        )
        .expect("receiver");
        let config = config_for(0, &receiver.url());
        changes_of(
            &disk,
            hattama_on(&data, &config).args(["deliver", "--once", "--json"]),
        )
    };
    let points = cut_points(total, 4, "delivery cuts");
    let cuts = points.len();
    let (mut resent, mut cut_while_sending) = (0, 0);
    for (round, &n) in points.iter().enumerate() {
        disk.restore("queued");
        let store = work.path().join(format!("received-{round}"));
        let receiver = hattama::delivery::receiver::Receiver::start(
            "127.0.0.1:0",
            &store,
            Some("t0ken".to_owned()),
        )
        .expect("receiver");
        let config = config_for(round, &receiver.url());
        let (_, during) = run_until_cut(
            &disk,
            hattama_on(&data, &config).args(["deliver", "--once", "--json"]),
            n,
        );
        cut_while_sending += usize::from(during);
        assert_integrity(&data, &format!("round {round}"));
        // Restarted, it sends what is left until nothing is.
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let report = deliver_once_with(&data, &config, &[]);
            let rows = report["outbox"].as_array().expect("outbox");
            // The protocols and the court server's copies (the archive is not configured).
            if rows
                .iter()
                .filter(|row| row["target"] != "archive")
                .all(|row| row["state"] == "delivered")
            {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "round {round}: still not sent: {report}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        let texts: Vec<String> = parts_sealed
            .iter()
            .map(|part| std::fs::read_to_string(part.join("protocol.txt")).expect("protocol"))
            .collect();
        let mut stored: Vec<String> = if round.is_multiple_of(2) {
            let log = receiver.log();
            let taken = log.iter().filter(|seen| seen.status == 201).count();
            resent += log.iter().filter(|seen| seen.status == 409).count();
            assert_eq!(
                taken, 2,
                "round {round}: each protocol stored once: {log:?}"
            );
            receiver.received().into_values().collect()
        } else {
            let drop = disk.path.join(format!("drop-{round}"));
            let names = files_in(&drop);
            let texts: Vec<&String> = names.iter().filter(|n| n.ends_with(".txt")).collect();
            assert_eq!(
                texts.len(),
                2,
                "round {round}: each protocol once: {names:?}"
            );
            for name in names.iter().filter(|n| n.ends_with(".json")) {
                serde_json::from_slice::<serde_json::Value>(
                    &std::fs::read(drop.join(name)).expect("payload"),
                )
                .unwrap_or_else(|e| panic!("round {round}: {name} is whole: {e}"));
            }
            texts
                .iter()
                .map(|name| std::fs::read_to_string(drop.join(name)).expect("text"))
                .collect()
        };
        stored.sort();
        let mut sent = texts.clone();
        sent.sort();
        assert_eq!(stored, sent, "round {round}: the protocols arrived whole");
        // The court server holds each part's files exactly as sealed.
        for part in &parts_sealed {
            let relative = common::on_server(part);
            let uploaded = s3_root.join(format!("court/round-{round}")).join(relative);
            for name in [
                "manifest.json",
                "manifest.json.minisig",
                "recording-001.mkv",
            ] {
                assert_eq!(
                    std::fs::read(uploaded.join(name)).ok(),
                    std::fs::read(part.join(name)).ok(),
                    "round {round}: {name} on the server as sealed"
                );
            }
        }
    }
    report(
        "delivery",
        serde_json::json!({
            "cuts": cuts,
            "changes_per_pass": total,
            "cut_while_sending": cut_while_sending,
            "resent_after_a_cut_answered_as_duplicates": resent,
            "stored_twice": 0,
            "lost": 0,
        }),
    );
}

#[test]
fn a_cut_disc_image_or_settings_file_is_the_old_or_the_new_never_half() {
    let disk = CutDisk::mount();
    let work = tempfile::tempdir().expect("temporary folder");
    let config = plain_config(work.path());
    let data = disk.path.join("disc");
    record_demo_part(&data, "2-9/2026", 2, Some(&config));
    let out = disk.path.join("discs");
    std::fs::create_dir(&out).expect("folder");
    disk.sync();
    disk.snapshot("sealed");
    let image = out.join("case.iso");
    let build = |command: &mut Command| {
        command
            .args(["disc", "build", "--case", "2-9/2026", "--out"])
            .arg(&image);
    };
    let total = {
        let mut command = hattama_on(&data, &config);
        build(&mut command);
        changes_of(&disk, &mut command)
    };
    let points = cut_points(total, 4, "disc cuts");
    let cuts = points.len();
    let mut images_kept = 0;
    for (round, &n) in points.iter().enumerate() {
        disk.restore("sealed");
        let mut command = hattama_on(&data, &config);
        build(&mut command);
        let (output, during) = run_until_cut(&disk, &mut command, n);
        assert_integrity(&data, &format!("round {round}"));
        assert!(
            during || !output.status.success() || image.exists(),
            "round {round}: disc build said it was done: the image survives the cut"
        );
        if image.exists() {
            images_kept += 1;
            let (verified, report) = verify(&data, &image, &[]);
            assert!(
                verified,
                "round {round}: cut before change {n} of {total}: the image under its name \
                 is whole: {report}"
            );
        } else {
            // The secretary builds it again: nothing the cut left stands in the way.
            let mut command = hattama_on(&data, &config);
            build(&mut command);
            let output = command.output().expect("runs");
            assert!(
                output.status.success(),
                "round {round}: built again after the cut: {}",
                text(&output.stderr)
            );
            assert!(verify(&data, &image, &[]).0);
        }
    }

    // The settings file: the old one or the new one, whenever the power goes.
    let settings = disk.path.join("settings").join("config.toml");
    let mut old = hattama::config::Config::default();
    old.operator.name = "Айгүл Серікова".to_owned();
    old.save(&settings).expect("saved");
    disk.sync();
    disk.snapshot("settings");
    let mut new = old.clone();
    new.operator.name = "Дана Әбенова".to_owned();
    let before = disk.changes();
    new.save(&settings).expect("saved");
    let save_changes = disk.changes() - before;
    // The two files as they are written, saved where no power is cut.
    let (old_text, new_text) = {
        let (old_copy, new_copy) = (work.path().join("old.toml"), work.path().join("new.toml"));
        old.save(&old_copy).expect("saved");
        new.save(&new_copy).expect("saved");
        (std::fs::read(old_copy).ok(), std::fs::read(new_copy).ok())
    };
    for n in 1..=save_changes + 1 {
        disk.restore("settings");
        let (saved, during) = within_cut(&disk, n, || new.save(&settings).is_ok());
        let found = std::fs::read(&settings).ok();
        assert!(
            during || !saved || found == new_text,
            "cut after the save said it was done: the new settings survive"
        );
        assert!(
            found == old_text || found == new_text,
            "cut before change {n} of {save_changes}: the settings are the old or the new: \
             {:?}",
            found.as_deref().map(String::from_utf8_lossy)
        );
    }
    report(
        "disc_and_settings",
        serde_json::json!({
            "disc_cuts": cuts,
            "changes_per_image": total,
            "images_kept_whole": images_kept,
            "settings_cuts": save_changes + 1,
            "images_half_written": 0,
            "settings_half_written": 0,
        }),
    );
}

#[test]
fn a_cut_clip_export_leaves_the_whole_clip_or_none() {
    let disk = CutDisk::mount();
    let work = tempfile::tempdir().expect("temporary folder");
    let config = plain_config(work.path());
    let data = disk.path.join("clip");
    let part = record_demo_part(&data, "2-11/2026", 3, Some(&config));
    let clips = disk.path.join("clips");
    std::fs::create_dir(&clips).expect("folder");
    disk.sync();
    disk.snapshot("sealed");
    let keys = hattama::seal::Sealer::of_keys(
        hattama::seal::Keys::load(&data.join("keys")).expect("the court's key"),
    );
    let zone = hattama::config::Config::default().court.time_zone();
    let export = || {
        let into = hattama::review::clip::Into {
            folder: &clips,
            data: &data,
        };
        hattama::review::clip::export(&part, (500, 2_500), into, &keys, zone)
    };
    let before = disk.changes();
    export().expect("a clip");
    let total = disk.changes() - before;
    let points = cut_points(total, 4, "clip cuts");
    let mut kept = 0;
    for &n in &points {
        disk.restore("sealed");
        let (done, during) = within_cut(&disk, n, || export().is_ok());
        // Hidden `.…partial` folders a cut leaves are the export's own, never a clip.
        let named: Vec<String> = files_in(&clips)
            .into_iter()
            .filter(|name| !name.starts_with('.'))
            .collect();
        assert!(
            during || !done || named.len() == 1,
            "cut after the export said it was done: the clip survives: {named:?}"
        );
        for name in &named {
            kept += 1;
            let (verified, report) = verify(&data, &clips.join(name), &[]);
            assert!(
                verified,
                "cut before change {n} of {total}: a clip under its name is whole: {report}"
            );
        }
    }
    report(
        "clip",
        serde_json::json!({
            "cuts": points.len(),
            "changes_per_clip": total,
            "clips_kept_whole": kept,
            "clips_half_written": 0,
        }),
    );
}
