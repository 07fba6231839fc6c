//! The review: the protocol beside real recordings played by real GStreamer pipelines, read
//! from the database and from a disc image alike, and clips checked by stock tools.

mod common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use common::*;
use hattama::paths::Paths;
use hattama::protocol::{EntryKind, NewEntry, Stamp};
use hattama::review::player::{Event, Player, next_frame};
use hattama::review::{Query, Review};
use hattama::store::Store;

const CASE: &str = "3-Қ/2026";
/// One frame at 25 fps.
const FRAME_MS: i64 = 40;

/// A sealed demo part of 10 s in three recording files (cut every 4 s), with entries at
/// 1.0 s, 4.5 s (a recess) and 8.2 s; sealed again with them.
fn part_with_entries(work: &Path) -> (PathBuf, PathBuf) {
    let data = work.join("data");
    let config = segment_config(work, 4);
    let part = record_demo_part(&data, CASE, 10, Some(&config));
    let paths = Paths::new(None, Some(data.clone()));
    let mut store = Store::open(&paths.database()).expect("the database");
    let row = store
        .parts_of(store.sessions().expect("sessions")[0].id)
        .expect("parts")[0]
        .clone();
    let first = row
        .first_media_wall
        .as_deref()
        .and_then(|t| t.parse::<chrono::DateTime<chrono::Utc>>().ok())
        .expect("a first media time");
    for (at, kind, text) in [
        (1000, EntryKind::Note, "Судья открыл заседание"),
        (4500, EntryKind::Recess, "Перерыв"),
        (8200, EntryKind::Note, "Свидетель Ахметов дал показания"),
    ] {
        let wall = first + chrono::Duration::milliseconds(at);
        store
            .add_entry(&NewEntry {
                session_id: row.session_id,
                stamp: Stamp::at(wall, Some((row.id, first))),
                kind,
                speaker_id: None,
                text: text.to_owned(),
            })
            .expect("an entry");
    }
    hattama::seal::seal_now(
        &mut store,
        &paths,
        row.id,
        &hattama::config::Config::default(),
    )
    .expect("sealed again");
    (data, part)
}

fn frame_after(player: &Player) -> hattama::review::player::Frame {
    next_frame(&player.events(), Duration::from_secs(5)).expect("a frame")
}

#[test]
fn seeks_land_on_the_frame_asked_for_across_recording_files_and_playback_runs() {
    let work = tempfile::tempdir().expect("temporary folder");
    let (_, part) = part_with_entries(work.path());
    assert_eq!(
        recording_files(&part).len(),
        3,
        "three files to play as one"
    );
    let mut player = Player::open(&part).expect("the part opens");
    let titles: Vec<&str> = player.tracks.iter().map(|t| t.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "Mix of all inputs",
            "Demo microphone",
            "Demo remote participant"
        ]
    );
    let duration = player.duration_ms().expect("a duration");
    assert!((9_500..=10_500).contains(&duration), "{duration} ms");
    let first = frame_after(&player);
    assert!(
        first.at_ms < FRAME_MS,
        "paused on the first frame: {}",
        first.at_ms
    );
    assert_eq!(
        (first.width, first.height),
        (960, 540),
        "scaled for the window"
    );

    // Accurate seeks, in each file, paused: the frame shown is the frame at the target.
    for target in [6_520, 1_000, 9_000, 4_130] {
        while player.events().try_recv().is_ok() {}
        player.seek(target).expect("seek");
        player.settle(Duration::from_secs(5));
        let frame = frame_after(&player);
        assert!(
            (frame.at_ms - target).abs() < FRAME_MS,
            "asked {target}, shown {}",
            frame.at_ms
        );
        assert_eq!(
            player.position_ms().map(|p| (p - target).abs() < FRAME_MS),
            Some(true)
        );
    }

    // Played, it moves on; at 2× it moves twice as fast; to the end it says so.
    player.seek(1_000).expect("seek");
    player.settle(Duration::from_secs(5));
    player.play();
    std::thread::sleep(Duration::from_millis(1_000));
    let moved = player.position_ms().expect("position") - 1_000;
    assert!((600..=1_400).contains(&moved), "moved {moved} ms in 1 s");
    player.set_rate(2.0).expect("2×");
    player.settle(Duration::from_secs(5));
    let from = player.position_ms().expect("position");
    std::thread::sleep(Duration::from_millis(1_000));
    let moved = player.position_ms().expect("position") - from;
    assert!(
        (1_400..=2_600).contains(&moved),
        "moved {moved} ms in 1 s at 2×"
    );
    player.choose_track(2);
    assert_eq!(player.chosen_track(), 2);
    player.set_volume(0.5);
    let events = player.events();
    let deadline = std::time::Instant::now() + Duration::from_secs(15);
    let ended = loop {
        match events.try_recv() {
            Ok(Event::Ended) => break true,
            Ok(Event::Failed(error)) => panic!("{error}"),
            _ if std::time::Instant::now() > deadline => break false,
            _ => std::thread::sleep(Duration::from_millis(10)),
        }
    };
    assert!(ended, "the end is said");
}

#[test]
fn a_part_without_recordings_or_a_damaged_one_says_so() {
    let work = tempfile::tempdir().expect("temporary folder");
    let empty = work.path().join("part-01");
    std::fs::create_dir_all(&empty).expect("folder");
    let error = Player::open(&empty).expect_err("nothing to play");
    assert!(error.to_string().contains("no recording files"), "{error}");
    std::fs::write(empty.join("recording-001.mkv"), b"not a recording at all").expect("junk");
    let error = Player::open(&empty).expect_err("junk does not play");
    assert!(!error.to_string().is_empty());
}

#[test]
fn a_disc_image_shows_the_same_protocol_as_the_database() {
    let work = tempfile::tempdir().expect("temporary folder");
    let (data, part) = part_with_entries(work.path());
    let paths = Paths::new(None, Some(data.clone()));
    let store = Store::open(&paths.database()).expect("the database");
    let session = store.sessions().expect("sessions")[0].id;
    let zone = hattama::config::Config::default().court.time_zone();
    let from_database = Review::from_store(&store, &paths, session, zone).expect("a review");
    assert_eq!(from_database.document.entries.len(), 3);

    // The part's folder alone, and the disc image alone: the same protocol and parts.
    let from_folder = Review::open(&part, &work.path().join("unpacked")).expect("the folder");
    assert_eq!(from_folder.len(), 1);
    assert_eq!(from_folder[0].document, from_database.document);
    let image = work.path().join("case.iso");
    let output = disc_build_case(&data, CASE, &image, &[]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let unpack = work.path().join("unpacked");
    let from_disc = Review::open(&image, &unpack).expect("the image");
    assert_eq!(from_disc.len(), 1);
    assert_eq!(from_disc[0].document, from_database.document);
    assert_eq!(from_disc[0].parts.len(), 1);
    assert_eq!(
        from_disc[0].parts[0].duration_ms,
        from_database.parts[0].duration_ms
    );
    assert!(from_disc[0].parts[0].folder.starts_with(&unpack));
    // It plays from there.
    let player = Player::open(&from_disc[0].parts[0].folder).expect("plays from the disc");
    assert!(player.duration_ms().is_some());

    // Following playback and searching.
    let review = &from_disc[0];
    assert_eq!(review.entry_at(1, 500), None);
    assert_eq!(review.entry_at(1, 5_000), Some(1));
    assert_eq!(review.entry_at(1, 9_999), Some(2));
    let query = Query {
        text: "ахметов".to_owned(),
        ..Query::default()
    };
    let matched: Vec<_> = review
        .marks(1, &query)
        .into_iter()
        .filter(|m| m.kind == hattama::review::MarkKind::Match)
        .collect();
    assert_eq!(matched.len(), 1);
    assert_eq!(matched[0].entry, Some(2));

    // A second image (a copy) opened after it: only one image's files are kept unpacked.
    drop(player);
    let copy = work.path().join("copy.iso");
    std::fs::copy(&image, &copy).expect("a copy");
    Review::open(&copy, &unpack).expect("the copy");
    let kept = std::fs::read_dir(&unpack).expect("unpacked").count();
    assert_eq!(kept, 1, "the first image's files are gone");

    // A damaged image or a folder with nothing sealed: said, nothing else.
    let junk = work.path().join("junk.iso");
    std::fs::write(&junk, vec![7u8; 100_000]).expect("junk");
    let error = Review::open(&junk, &unpack).expect_err("not an image");
    assert!(error.to_string().contains("junk.iso"), "{error}");
    let error = Review::open(work.path().join("unpacked/nothing").as_path(), &unpack)
        .expect_err("nothing there");
    assert!(error.to_string().contains("no sealed parts"), "{error}");
    // A copy whose protocol is damaged: named, not shown as if it were the protocol.
    let copy = work.path().join("copy");
    std::fs::create_dir_all(&copy).expect("a copy");
    for name in ["manifest.json", "protocol.json"] {
        std::fs::copy(part.join(name), copy.join(name)).expect("copied");
    }
    std::fs::write(copy.join("protocol.json"), b"{ not json").expect("damaged");
    let error = Review::open(&copy, &unpack).expect_err("a damaged protocol");
    assert!(error.to_string().contains("protocol.json"), "{error}");
}

fn into<'a>(folder: &'a Path, data: &'a Path) -> hattama::review::clip::Into<'a> {
    hattama::review::clip::Into { folder, data }
}

#[test]
fn a_clip_is_cut_without_re_encoding_and_checks_like_a_part() {
    let work = tempfile::tempdir().expect("temporary folder");
    let (data, part) = part_with_entries(work.path());
    let paths = Paths::new(None, Some(data.clone()));
    let keys = hattama::seal::Sealer::of_keys(
        hattama::seal::Keys::load(&paths.keys()).expect("the court's key"),
    );
    let zone = hattama::config::Config::default().court.time_zone();
    let clips = work.path().join("clips");
    std::fs::create_dir_all(&clips).expect("clips");
    let exported =
        hattama::review::clip::export(&part, (5_000, 8_500), into(&clips, &data), &keys, zone)
            .expect("a clip");
    let clip = exported.manifest.clip.clone().expect("a clip's manifest");
    assert!(
        clip.starts_ms <= 5_000 && clip.starts_ms > 2_000,
        "{clip:?}"
    );
    let (ok, report) = verify(&data, &exported.folder, &[]);
    assert!(ok, "{report:#}");
    let key = data.join("keys/hattama.pub");
    let signed = std::process::Command::new("minisign")
        .args(["-Vm", "manifest.json", "-p"])
        .arg(&key)
        .current_dir(&exported.folder)
        .output()
        .expect("minisign runs");
    assert!(signed.status.success(), "{}", text(&signed.stderr));
    let file = exported.folder.join("clip.mkv");
    let duration = container_duration(&file).expect("a duration");
    let expected = (8_500 - clip.starts_ms) as f64 / 1000.0;
    assert!(
        (duration - expected).abs() < 0.3,
        "{duration} s, expected {expected} s"
    );
    let streams = ffprobe_json(&file, &["-show_streams"]);
    assert_eq!(
        streams["streams"].as_array().map(Vec::len),
        Some(4),
        "every track"
    );
    assert_eq!(
        streams["streams"][0]["codec_name"], "h264",
        "not re-encoded"
    );

    // A changed byte in the clip: verify finds it.
    let mut bytes = std::fs::read(&file).expect("read");
    let middle = bytes.len() / 2;
    bytes[middle] ^= 1;
    std::fs::write(&file, bytes).expect("changed");
    let (ok, _) = verify(&data, &exported.folder, &[]);
    assert!(!ok, "a changed clip does not verify");

    // Bad ranges: refused, nothing left.
    for (from, to) in [(5_000, 4_000), (-1, 2_000), (20_000, 30_000)] {
        let error =
            hattama::review::clip::export(&part, (from, to), into(&clips, &data), &keys, zone)
                .expect_err("refused");
        assert!(matches!(
            error,
            hattama::review::clip::ClipError::Range { .. }
        ));
    }
    let left: Vec<_> = std::fs::read_dir(&clips).expect("clips").collect();
    assert_eq!(left.len(), 1, "only the good clip");
}
