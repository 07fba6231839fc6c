//! `hattama bench-entries`: how long Enter takes to make an entry durable while a part
//! records. The entry goes the way the window sends it: to the database thread, written
//! and committed (`synchronous=FULL`), and the answer back.

use std::time::{Duration, Instant};

use chrono::Utc;

use hattama::config::Config;
use hattama::part;
use hattama::paths::Paths;
use hattama::problem::Problem;
use hattama::protocol::{EntryKind, NewEntry, Stamp};
use hattama::recording::{Controller, Update};
use hattama::store::Store;

use crate::screen::Database;

pub fn entries(
    paths: &Paths,
    config: &Config,
    count: usize,
    every: Duration,
    say: bool,
) -> Result<serde_json::Value, Box<dyn Problem>> {
    let mut store = Store::open(&paths.database()).map_err(boxed)?;
    part::recover(&mut store, paths, config).map_err(boxed)?;
    let session =
        part::open_session(&mut store, config, "bench-entries", ("bench", "")).map_err(boxed)?;
    let database = Database::spawn(store);
    let (controller, updates, _thread) = Controller::spawn(paths.clone());
    let mut config = config.clone();
    config.recording.demo_when_no_devices = true;
    controller.start(session, &config);
    let (part_id, first_media) = loop {
        match updates.recv_blocking() {
            Ok(Update::Recording { part_id, timing }) => break (part_id, timing.first_media_wall),
            Ok(Update::Failed(error)) => return Err(Box::new(error)),
            Ok(_) => {}
            Err(_) => return Err(Box::new(hattama::store::StoreError::Unavailable)),
        }
    };
    // The window reads updates all the time; so does this.
    let reader = std::thread::spawn(move || {
        while let Ok(update) = updates.recv_blocking() {
            if let Update::Ended(ended) = update {
                return Some(ended);
            }
        }
        None
    });
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .map_err(|error| {
            boxed(hattama::recorder::RecorderError::Start {
                message: error.to_string(),
            })
        })?;
    // The encoder and the recording's own disk syncs reach their steady state first.
    std::thread::sleep(Duration::from_secs(3));
    let mut took = Vec::with_capacity(count);
    for n in 0..count {
        let entry = NewEntry {
            session_id: session,
            stamp: Stamp::at(Utc::now(), Some((part_id, first_media))),
            kind: EntryKind::Note,
            speaker_id: None,
            text: format!("Entry {n}: the witness answered the prosecutor's question."),
        };
        let pressed = Instant::now();
        let taken = runtime
            .block_on(database.request(move |store| store.add_entry(&entry)))
            .map_err(boxed)?;
        took.push(pressed.elapsed());
        if say {
            use std::io::Write;
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "entry {n} {}", taken.id).and_then(|()| out.flush());
        }
        std::thread::sleep(every.saturating_sub(pressed.elapsed()));
    }
    controller.stop();
    let ended = reader.join().ok().flatten();
    took.sort_unstable();
    let at = |share: f64| {
        let index = ((took.len() as f64 * share).ceil() as usize).clamp(1, took.len()) - 1;
        millis(took[index])
    };
    Ok(serde_json::json!({
        "count": count,
        "every_ms": every.as_millis() as u64,
        "p50_ms": at(0.50),
        "p99_ms": at(0.99),
        "max_ms": took.last().map(|d| millis(*d)),
        "part_state": ended.map(|e| e.state),
    }))
}

fn millis(duration: Duration) -> f64 {
    (duration.as_secs_f64() * 1e6).round() / 1e3
}

fn boxed<E: Problem + 'static>(error: E) -> Box<dyn Problem> {
    Box::new(error)
}

/// `hattama bench-seal`: stop → signed for a part of `minutes`, its recording written the
/// way the recorder writes (1 MiB blocks, synced) at 720p25's 2.8 Mbit/s with all tracks,
/// closed into files at the configured limits, each closed file hashed meanwhile as the
/// recorder does.
pub fn seal(
    paths: &Paths,
    config: &Config,
    minutes: u64,
) -> Result<serde_json::Value, Box<dyn Problem>> {
    use std::io::Write;
    const BYTES_PER_SECOND: u64 = 2_800_000 / 8;
    let mut store = Store::open(&paths.database()).map_err(boxed)?;
    let session =
        part::open_session(&mut store, config, "bench-seal", ("bench", "")).map_err(boxed)?;
    let part = store
        .begin_part(session, "720p25", &serde_json::json!([]), true)
        .map_err(boxed)?;
    let folder = paths.sessions().join(&part.folder);
    let files = hattama::paths::PartFiles(&folder);
    let bytes = minutes * 60 * BYTES_PER_SECOND;
    let limits = hattama::recorder::Segments::of(&config.recording);
    let per_file = limits
        .max_bytes
        .min(limits.max_time.as_secs() * BYTES_PER_SECOND);
    let mut recordings = Vec::new();
    let mut hashing = Vec::new();
    let mut write = || -> std::io::Result<()> {
        std::fs::create_dir_all(&folder)?;
        // Incompressible, like encoded video.
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        let mut block = vec![0u8; 1 << 20];
        let mut left = bytes;
        while left > 0 {
            let path = files.recording(recordings.len() as u32 + 1);
            let mut file = std::fs::File::create(&path)?;
            let mut in_file = left.min(per_file);
            left -= in_file;
            while in_file > 0 {
                for chunk in block.chunks_exact_mut(8) {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    chunk.copy_from_slice(&state.to_le_bytes());
                }
                let n = in_file.min(block.len() as u64) as usize;
                file.write_all(&block[..n])?;
                in_file -= n as u64;
            }
            file.sync_all()?;
            if left > 0 {
                let closed = path.clone();
                hashing.push(std::thread::spawn(move || hattama::digest::keep(&closed)));
            }
            recordings.push(path);
        }
        Ok(())
    };
    write().map_err(|error| {
        boxed(hattama::recorder::RecorderError::Write {
            message: error.to_string(),
            disk_full: false,
        })
    })?;
    // Stop comes after the earlier files were hashed, as it does after a long recording.
    hashing.into_iter().for_each(|thread| {
        let _ = thread.join();
    });
    store
        .part_ended(
            part.id,
            hattama::store::PartState::Finished,
            Some((minutes * 60_000) as i64),
            None,
        )
        .map_err(boxed)?;
    let stopped = Instant::now();
    let sealed = hattama::seal::seal_now(&mut store, paths, part.id, config).map_err(boxed)?;
    let took = stopped.elapsed();
    Ok(serde_json::json!({
        "minutes": minutes,
        "bytes": bytes,
        "seal_ms": millis(took),
        "folder": sealed.folder,
        "recordings": recordings,
    }))
}

/// `hattama bench-review`: opening part `folder` → its first frame shown, and a click on an
/// entry (an accurate seek) → the frame at that moment, for `seeks` moments spread over the
/// part (the same ones every run).
pub fn review(
    folder: &std::path::Path,
    seeks: usize,
    opens: usize,
) -> Result<serde_json::Value, hattama::review::player::PlayerError> {
    use hattama::review::player::{Event, Player, PlayerError, next_frame, preload};
    // As the window does once its first screen is drawn, long before a part is opened.
    preload();
    let began = Instant::now();
    let mut player = Player::open(folder)?;
    let events = player.events();
    next_frame(&events, Duration::from_secs(10))
        .ok_or_else(|| PlayerError::Pipeline("no first frame".to_owned()))?;
    let open_ms = millis(began.elapsed());
    let length = player.duration_ms().unwrap_or(0).max(1_000);
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let mut times = Vec::new();
    let mut targets = Vec::new();
    for _ in 0..seeks {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let target = (state % (length as u64 - 500)) as i64;
        targets.push(target);
        while events.try_recv().is_ok() {}
        let asked = Instant::now();
        player.seek(target)?;
        let deadline = asked + Duration::from_secs(10);
        loop {
            match events.try_recv() {
                Ok(Event::Frame(frame)) if (frame.at_ms - target).abs() < 40 => break,
                Ok(Event::Failed(error)) => return Err(error),
                Ok(_) => {}
                Err(_) if Instant::now() > deadline => {
                    return Err(PlayerError::Pipeline(format!("no frame at {target} ms")));
                }
                Err(_) => std::thread::sleep(Duration::from_micros(500)),
            }
        }
        times.push(millis(asked.elapsed()));
    }
    drop(player);
    // Opens again and again, each to its first frame: a stalled pipeline is counted (the
    // player tried another), and the time is the whole open a reviewer waits.
    let (mut stalled, mut open_times) = (0, Vec::new());
    for _ in 0..opens {
        let began = Instant::now();
        let player = Player::open(folder)?;
        next_frame(&player.events(), Duration::from_secs(10))
            .ok_or_else(|| PlayerError::Pipeline("no first frame".to_owned()))?;
        open_times.push(millis(began.elapsed()));
        stalled += player.attempts - 1;
    }
    open_times.sort_by(f64::total_cmp);
    times.sort_by(f64::total_cmp);
    let at = |times: &[f64], q: f64| {
        times
            .get(((times.len() as f64 - 1.0) * q).round() as usize)
            .copied()
            .unwrap_or(0.0)
    };
    Ok(serde_json::json!({
        "duration_ms": length,
        "open_to_first_frame_ms": open_ms,
        "opens": opens,
        "opens_stalled": stalled,
        "open_median_ms": at(&open_times, 0.5),
        "open_max_ms": at(&open_times, 1.0),
        "seeks": times.len(),
        "seek_to_frame_median_ms": at(&times, 0.5),
        "seek_to_frame_p95_ms": at(&times, 0.95),
        "seek_to_frame_max_ms": at(&times, 1.0),
        "targets_ms": targets,
    }))
}

/// `hattama bench-court`: a court's store at scale for `make bench` — `parts` synthetic
/// parts (small files) under `root` (a bucket's folder standing for a server's prefix), five
/// to a case, laid out as Hattama lays them out, each with its part-uploaded event under its
/// case and in the court's feed, signed with this data folder's key as a courtroom signs.
pub fn court(
    paths: &Paths,
    config: &Config,
    root: &std::path::Path,
    parts: usize,
) -> Result<serde_json::Value, Box<dyn Problem>> {
    use hattama::delivery::events::{self, Event, PartUploaded, What};
    let sealer = hattama::seal::Sealer::load(&paths.keys(), &config.signing).map_err(boxed)?;
    let court = &config.court.name;
    let write = |relative: &str, bytes: &[u8]| -> Result<(), Box<dyn Problem>> {
        let path = root.join(relative);
        let folder = hattama::paths::folder_of(&path);
        std::fs::create_dir_all(folder)
            .and_then(|()| std::fs::write(&path, bytes))
            .map_err(|error| {
                Box::new(hattama::part::PartError::Folder {
                    path: path.clone(),
                    source: std::sync::Arc::new(error),
                }) as Box<dyn Problem>
            })
    };
    let started = Instant::now();
    for index in 0..parts {
        let case = format!("2-{}/2026", 1000 + index / 5);
        let session = format!(
            "2026-11-{:02}_{}_s{}-{index:08x}",
            index % 28 + 1,
            hattama::paths::file_name_part(&case),
            index / 5
        );
        let folder = hattama::delivery::server_folder(court, &case, &format!("{session}/part-01"));
        for (name, size) in [
            ("recording-001.mkv", 2048),
            ("audio.opus", 512),
            ("protocol.txt", 300),
            ("protocol.json", 900),
            ("manifest.json", 1200),
            ("manifest.json.minisig", 300),
            ("SHA256SUMS", 400),
        ] {
            write(&format!("{folder}/{name}"), &vec![b'x'; size])?;
        }
        let at = format!("2026-11-{:02}T10:{:02}:00Z", index % 28 + 1, index % 60);
        let event = Event {
            format: events::FORMAT.to_owned(),
            court: court.clone(),
            case_number: case.clone(),
            hall: format!("{}", index % 20 + 1),
            by: "bench".to_owned(),
            at: at.clone(),
            what: What::PartUploaded(PartUploaded {
                session_uid: format!("{index:032x}"),
                session_id: (index / 5) as i64,
                part: 1,
                instance: "first".to_owned(),
                folder: folder.clone(),
                manifest_sha256: "0".repeat(64),
                duration_ms: Some(3_600_000),
                bytes: 5560,
                judge: format!("Судья {}", index % 40),
                participants: vec![format!("Қатысушы {index}")],
                category: "civil".to_owned(),
                opened: format!("2026-11-{:02} 10:00", index % 28 + 1),
            }),
        };
        let (json, signature) = events::sign(&event, &sealer).map_err(boxed)?;
        for name in [event.name(), event.feed_name(&at)] {
            write(&name, json.as_bytes())?;
            write(&format!("{name}.minisig"), signature.as_bytes())?;
        }
    }
    Ok(serde_json::json!({
        "parts": parts,
        "key": sealer.id_hex(),
        "seconds": started.elapsed().as_secs_f64(),
    }))
}

/// `hattama bench-stream`: the judge's desk reviewing a long part from the court server.
/// The last part recorded in this data folder is given the recording files of `long` (hard
/// links) and sealed again; its folder is put on the server under `root` (the server's
/// prefix as a folder, hard links); then the case is opened from the server named `server`
/// (mounted, every seal checked) and the part played: open → first frame, and `seeks`
/// accurate seeks each to its frame, as `bench-review` measures a local part.
pub fn stream(
    paths: &Paths,
    config: &Config,
    long: &std::path::Path,
    root: &std::path::Path,
    seeks: usize,
) -> Result<serde_json::Value, Box<dyn Problem>> {
    use hattama::review::stream::Streamed;
    let failed = |path: &std::path::Path, error: std::io::Error| {
        Box::new(hattama::part::PartError::Folder {
            path: path.to_owned(),
            source: std::sync::Arc::new(error),
        }) as Box<dyn Problem>
    };
    let link = |from: &std::path::Path, to: &std::path::Path| {
        let _ = std::fs::remove_file(to);
        std::fs::hard_link(from, to)
            .or_else(|_| std::fs::copy(from, to).map(|_| ()))
            .map_err(|error| failed(to, error))
    };
    let mut store = Store::open(&paths.database()).map_err(boxed)?;
    let session = store.sessions().map_err(boxed)?.remove(0);
    let part = store
        .parts_of(session.id)
        .map_err(boxed)?
        .pop()
        .ok_or_else(|| boxed(hattama::store::StoreError::NoSuchSession(session.id)))?;
    let folder = paths.sessions().join(&part.folder);
    for old in hattama::paths::PartFiles(&folder).recordings() {
        std::fs::remove_file(&old).map_err(|error| failed(&old, error))?;
    }
    let mut files: Vec<_> = std::fs::read_dir(long)
        .map_err(|error| failed(long, error))?
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|e| e == "mkv"))
        .collect();
    files.sort();
    for (index, file) in files.iter().enumerate() {
        link(
            file,
            &hattama::paths::PartFiles(&folder).recording(index as u32 + 1),
        )?;
    }
    let began = Instant::now();
    hattama::seal::seal_now(&mut store, paths, part.id, config).map_err(boxed)?;
    let seal_ms = millis(began.elapsed());
    let on_server = root.join(hattama::delivery::server_folder(
        &session.court,
        &session.case_number,
        &part.folder.to_string_lossy(),
    ));
    std::fs::create_dir_all(&on_server).map_err(|error| failed(&on_server, error))?;
    for entry in std::fs::read_dir(&folder)
        .map_err(|error| failed(&folder, error))?
        .flatten()
    {
        if entry.path().is_file() {
            link(&entry.path(), &on_server.join(entry.file_name()))?;
        }
    }
    let target = hattama::review::stream::server_target(config, "server").map_err(boxed)?;
    let trusted = hattama::seal::trusted_keys(paths);
    let open = || {
        let began = Instant::now();
        Streamed::open(
            target,
            &session.court,
            &session.case_number,
            &trusted,
            &paths.data.join("streams"),
        )
        .map(|streamed| (streamed, millis(began.elapsed())))
        .map_err(boxed)
    };
    // The first look after the upload also waits for the test server (rclone computes each
    // new object's MD5 for its listing, where MinIO keeps it from the upload): said apart.
    let (first, first_open_ms) = open()?;
    drop(first);
    let (streamed, open_case_ms) = open()?;
    let mounted = streamed.folder().join(&part.folder);
    let mut played = review(&mounted, seeks, 0).map_err(boxed)?;
    played["open_case_ms"] = serde_json::json!(open_case_ms);
    played["first_open_case_ms"] = serde_json::json!(first_open_ms);
    played["click_to_first_frame_ms"] =
        serde_json::json!(open_case_ms + played["open_to_first_frame_ms"].as_f64().unwrap_or(0.0));
    played["fetched_bytes"] = serde_json::json!(streamed.fetched_bytes());
    played["part_bytes"] = serde_json::json!(
        files
            .iter()
            .filter_map(|file| std::fs::metadata(file).ok())
            .map(|meta| meta.len())
            .sum::<u64>()
    );
    played["seal_ms"] = serde_json::json!(seal_ms);
    played["mismatches"] = serde_json::json!(streamed.mismatches().len());
    Ok(played)
}
