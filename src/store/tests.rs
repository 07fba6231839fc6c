use std::path::Path;

use super::*;

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
