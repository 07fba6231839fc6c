use std::path::Path;

use super::*;
use crate::protocol::{EntryKind, NewEntry, Stamp};
use crate::session::{Category, Participant, Role};

fn sha256_of(path: &Path) -> Vec<u8> {
    // The file's exact bytes: enough to prove it was not touched.
    std::fs::read(path).expect("readable")
}

fn demo_session() -> NewSession {
    NewSession {
        case_number: "2-1234/2026".to_owned(),
        court: "Астана қалалық соты".to_owned(),
        hall: "3".to_owned(),
        instance: "first".to_owned(),
        ..NewSession::default()
    }
}

#[test]
fn a_new_database_has_the_latest_schema_and_every_table() {
    let folder = tempfile::tempdir().expect("temporary folder");
    let store = Store::open(&folder.path().join("sub/db.sqlite3")).expect("opens");
    assert_eq!(store.schema_version().expect("version"), schema::LATEST);
    for table in [
        "cases",
        "sessions",
        "participants",
        "session_parts",
        "protocol_entries",
        "incidents",
        "equipment_checks",
        "outbox",
        "audit_log",
    ] {
        let count: i64 = store
            .conn
            .query_row(
                "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?1",
                [table],
                |row| row.get(0),
            )
            .expect("query");
        assert_eq!(count, 1, "table {table} exists");
    }
    let journal: String = store
        .conn
        .pragma_query_value(None, "journal_mode", |row| row.get(0))
        .expect("journal mode");
    assert_eq!(journal, "wal");
    let foreign_keys: bool = store
        .conn
        .pragma_query_value(None, "foreign_keys", |row| row.get(0))
        .expect("foreign keys");
    assert!(foreign_keys);
}

#[test]
fn an_old_schema_is_upgraded_and_keeps_its_data() {
    let folder = tempfile::tempdir().expect("temporary folder");
    let path = folder.path().join("old.sqlite3");
    {
        let conn = Connection::open(&path).expect("fixture database");
        conn.execute_batch(include_str!("../../tests/fixtures/schema-v1.sql"))
            .expect("fixture loads");
    }
    let store = Store::open(&path).expect("upgrades");
    assert_eq!(store.schema_version().expect("version"), schema::LATEST);
    let part = store.part(1).expect("the old part is still there");
    assert_eq!(part.case_number, "2-1234/2026");
    assert_eq!(part.state, PartState::Finished);
    assert_eq!(part.duration_ms, Some(3_600_000));
    store
        .conn
        .execute(
            "INSERT INTO protocol_entries (session_id, part_id, seq, offset_ms, wall_time, text,
                 created_at, updated_at)
             VALUES (1, 1, 1, 1000, 'w', 'Сот отырысы ашылды', 'c', 'u')",
            [],
        )
        .expect("the new tables work with the old rows");
}

#[test]
fn a_corrupt_database_is_reported_and_left_untouched() {
    let folder = tempfile::tempdir().expect("temporary folder");
    let path = folder.path().join("hattama.sqlite3");
    let garbage: Vec<u8> = (0..8192u32).map(|i| (i * 7 + 3) as u8).collect();
    std::fs::write(&path, &garbage).expect("write garbage");
    let error = Store::open(&path)
        .err()
        .expect("a corrupt file does not open");
    assert!(matches!(error, StoreError::Open { .. }), "{error:?}");
    assert!(error.title().contains("hattama.sqlite3"));
    assert_eq!(sha256_of(&path), garbage, "the file is unchanged");
    let names: Vec<_> = std::fs::read_dir(folder.path())
        .expect("list")
        .map(|entry| entry.expect("entry").file_name())
        .collect();
    assert_eq!(names.len(), 1, "nothing created beside it: {names:?}");
}

#[test]
fn a_newer_database_is_refused_and_left_untouched() {
    let folder = tempfile::tempdir().expect("temporary folder");
    let path = folder.path().join("hattama.sqlite3");
    {
        let conn = Connection::open(&path).expect("create");
        conn.execute_batch("CREATE TABLE future (x); PRAGMA user_version = 99;")
            .expect("future schema");
    }
    let before = sha256_of(&path);
    let error = Store::open(&path).err().expect("refused");
    assert!(
        matches!(error, StoreError::TooNew { found: 99, known, .. } if known == schema::LATEST),
        "{error:?}"
    );
    assert_eq!(sha256_of(&path), before);
}

#[test]
fn a_part_goes_from_starting_to_finished() {
    let folder = tempfile::tempdir().expect("temporary folder");
    let mut store = Store::open(&folder.path().join("db.sqlite3")).expect("opens");
    let session = store.open_session(&demo_session()).expect("session");
    let first = store
        .begin_part(session, "720p25", &serde_json::json!([]), true)
        .expect("part 1");
    let second = store
        .begin_part(session, "720p25", &serde_json::json!([]), true)
        .expect("part 2");
    assert_eq!((first.number, second.number), (1, 2));
    assert!(first.folder.ends_with("part-01"));
    assert!(
        first.folder.to_string_lossy().contains("2-1234-2026_s"),
        "{:?}",
        first.folder
    );
    assert_eq!(store.unfinished_parts().expect("list").len(), 2);

    store
        .part_recording(first.id, 80_000_000, "2026-11-24T10:00:00.080Z")
        .expect("recording");
    store
        .part_ended(first.id, PartState::Finished, Some(10_000), None)
        .expect("finished");
    let first = store.part(first.id).expect("reread");
    assert_eq!(first.state, PartState::Finished);
    assert_eq!(first.first_media_ns, Some(80_000_000));
    assert!(!first.recovered);

    store
        .part_ended(second.id, PartState::Recovered, Some(5_000), None)
        .expect("recovered");
    assert!(store.part(second.id).expect("reread").recovered);
    assert!(store.unfinished_parts().expect("list").is_empty());
    assert!(matches!(store.part(999), Err(StoreError::NoSuchPart(999))));
}

#[test]
fn the_same_case_number_reuses_the_case() {
    let folder = tempfile::tempdir().expect("temporary folder");
    let mut store = Store::open(&folder.path().join("db.sqlite3")).expect("opens");
    store.open_session(&demo_session()).expect("first");
    store.open_session(&demo_session()).expect("second");
    let cases: i64 = store
        .conn
        .query_row("SELECT COUNT(*) FROM cases", [], |row| row.get(0))
        .expect("count");
    assert_eq!(cases, 1);
}

fn session_with_people() -> NewSession {
    NewSession {
        category: Category::Criminal,
        judge: "Серікбаев Н.".to_owned(),
        operator_name: "Айгерім".to_owned(),
        participants: vec![
            Participant::new("Әлихан Бөкейханов", Role::Accused),
            Participant::new("Петров П.", Role::Prosecutor),
            Participant::new("Серік Ахметов", Role::Witness).remote("Қарағанды облыстық соты"),
        ],
        ..demo_session()
    }
}

fn note(session_id: i64, text: &str, stamp: Stamp) -> NewEntry {
    NewEntry {
        session_id,
        stamp,
        kind: EntryKind::Note,
        speaker_id: None,
        text: text.to_owned(),
    }
}

#[test]
fn a_session_keeps_its_people_category_and_remote_participation() {
    let folder = tempfile::tempdir().expect("temporary folder");
    let mut store = Store::open(&folder.path().join("db.sqlite3")).expect("opens");
    let id = store.open_session(&session_with_people()).expect("opened");
    let session = store.session(id).expect("read back");
    assert_eq!(session.category, Category::Criminal);
    assert_eq!(session.judge, "Серікбаев Н.");
    assert_eq!(session.participants.len(), 3);
    assert_eq!(session.participants[2].location, "Қарағанды облыстық соты");
    assert!(session.has_remote_participants());
    assert!(session.is_open());
    let remote: bool = store
        .conn
        .query_row(
            "SELECT remote_participation FROM sessions WHERE id = ?1",
            [id],
            |r| r.get(0),
        )
        .expect("column");
    assert!(remote);
    let listed = store.sessions().expect("list");
    assert_eq!(listed, vec![session]);
    assert!(listed[0].matches("бөкей"));
    assert!(matches!(
        store.session(99),
        Err(StoreError::NoSuchSession(99))
    ));
}

#[test]
fn entries_are_numbered_ordered_and_corrections_are_audited() {
    let folder = tempfile::tempdir().expect("temporary folder");
    let mut store = Store::open(&folder.path().join("db.sqlite3")).expect("opens");
    let session = store.open_session(&session_with_people()).expect("opened");
    let part = store
        .begin_part(session, "480p25", &serde_json::json!([]), true)
        .expect("part");
    let first_media: chrono::DateTime<Utc> = "2026-11-24T05:00:00Z".parse().expect("time");
    let at = |ms: i64| {
        Stamp::at(
            first_media + chrono::Duration::milliseconds(ms),
            Some((part.id, first_media)),
        )
    };
    // Written in the order Enter was pressed; typed in another order.
    let later = store
        .add_entry(&note(session, "second", at(9_000)))
        .expect("entry");
    let earlier = store
        .add_entry(&note(session, "first", at(4_000)))
        .expect("entry");
    assert_eq!((later.seq, earlier.seq), (1, 2));
    let texts: Vec<_> = store
        .entries(session)
        .expect("entries")
        .into_iter()
        .map(|e| (e.text, e.offset_ms, e.part_number))
        .collect();
    assert_eq!(
        texts,
        [
            ("first".to_owned(), Some(4_000), Some(1)),
            ("second".to_owned(), Some(9_000), Some(1))
        ]
    );

    let corrected = store
        .correct_entry(earlier.id, "first, corrected", Some(1), "Айгерім")
        .expect("corrected");
    assert!(corrected.corrected);
    assert_eq!(corrected.speaker_id, Some(1));
    let history = store.corrections(earlier.id).expect("history");
    assert_eq!(history.len(), 1);
    assert_eq!(
        (
            history[0].actor.as_str(),
            history[0].before.as_str(),
            history[0].after.as_str()
        ),
        ("Айгерім", "first", "first, corrected")
    );
    // The same text again is not a correction.
    store
        .correct_entry(earlier.id, "first, corrected ", Some(1), "Айгерім")
        .expect("unchanged");
    assert_eq!(store.corrections(earlier.id).expect("history").len(), 1);

    // Chained at a seal: sealed, and it cannot be chained twice.
    let link = (later.id, "0".repeat(64), "a".repeat(64));
    store
        .chain_entries(std::slice::from_ref(&link))
        .expect("chained");
    assert!(store.entry(later.id).expect("entry").sealed);
    assert!(!store.entry(earlier.id).expect("entry").sealed);
    assert!(matches!(
        store.chain_entries(&[link]),
        Err(StoreError::EntrySealed(id)) if id == later.id
    ));
    assert!(matches!(
        store.correct_entry(later.id, "changed", None, "x"),
        Err(StoreError::EntrySealed(id)) if id == later.id
    ));
    assert_eq!(store.entry(later.id).expect("entry").text, "second");
}

#[test]
fn a_closed_session_takes_no_parts_and_no_entries() {
    let folder = tempfile::tempdir().expect("temporary folder");
    let mut store = Store::open(&folder.path().join("db.sqlite3")).expect("opens");
    let session = store.open_session(&session_with_people()).expect("opened");
    let outside = store
        .add_entry(&note(
            session,
            "before recording",
            Stamp::at(Utc::now(), None),
        ))
        .expect("an entry outside a recording");
    assert_eq!((outside.part_id, outside.offset_ms), (None, None));
    store.close_session(session, "Айгерім").expect("closed");
    store
        .close_session(session, "Айгерім")
        .expect("closing twice is harmless");
    assert!(!store.session(session).expect("session").is_open());
    assert!(matches!(
        store.begin_part(session, "480p25", &serde_json::json!([]), true),
        Err(StoreError::SessionClosed(_))
    ));
    assert!(matches!(
        store.add_entry(&note(session, "late", Stamp::at(Utc::now(), None))),
        Err(StoreError::SessionClosed(_))
    ));
    let closings: i64 = store
        .conn
        .query_row(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'session-closed'",
            [],
            |r| r.get(0),
        )
        .expect("count");
    assert_eq!(closings, 1);
}

#[test]
fn entries_are_written_while_another_connection_writes_the_parts() {
    // The window writes entries on one connection while the recording thread updates its
    // part on another: neither may fail with "database is locked".
    let folder = tempfile::tempdir().expect("temporary folder");
    let path = folder.path().join("db.sqlite3");
    let mut store = Store::open(&path).expect("opens");
    let session = store.open_session(&demo_session()).expect("session");
    let part = store
        .begin_part(session, "720p25", &serde_json::json!([]), true)
        .expect("part");
    let recorder = {
        let path = path.clone();
        std::thread::spawn(move || {
            let other = Store::open(&path).expect("second connection");
            for n in 0..300 {
                other
                    .part_recording(part.id, n, "2026-11-24T10:00:00.080Z")
                    .expect("the part's row is written");
            }
        })
    };
    for n in 0..300 {
        store
            .add_entry(&NewEntry {
                session_id: session,
                stamp: Stamp::at(chrono::Utc::now(), None),
                kind: EntryKind::Note,
                speaker_id: None,
                text: format!("entry {n}"),
            })
            .expect("the entry is written");
    }
    recorder.join().expect("no failure on the other connection");
    assert_eq!(store.entries(session).expect("entries").len(), 300);
}

#[test]
fn processes_opening_a_new_database_at_once_all_get_it() {
    // The window, the delivery worker and a recording may all start on a fresh data folder.
    for _ in 0..10 {
        let folder = tempfile::tempdir().expect("temporary folder");
        let path = folder.path().join("hattama.sqlite3");
        let opened: Vec<_> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..4)
                .map(|_| scope.spawn(|| Store::open(&path).map(|store| store.schema_version())))
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("joined"))
                .collect()
        });
        for result in opened {
            let version = result.expect("opened").expect("version");
            assert_eq!(version, super::schema::LATEST);
        }
    }
}
