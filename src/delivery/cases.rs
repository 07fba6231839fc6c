//! The judge's list: the court's cases as the court server's feed of events tells them
//! (each part uploaded names its case, judge, participants, category and when its session
//! opened), searchable by any of them, on any computer with access to the server and the
//! halls' public keys, without a secretary's database.
//!
//! The desk keeps what it has read in its data folder (`court-list/`): each time it looks,
//! it lists only the feed's days (`<court>/events/<day>/`) from a little before the last
//! event it saw (ten minutes, for workstations whose clocks run behind) and reads only what
//! is new, so opening the list costs what arrived since, not what the court holds.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use futures_util::StreamExt;
use object_store::ObjectStore;
use serde::Serialize;

use super::events::{Event, FOLDER, PartUploaded, What};
use super::upload::{RemoteError, Target, object_path, open, runtime};

/// How far before the last event seen the feed is listed again.
const CLOCK_MARGIN: chrono::TimeDelta = chrono::TimeDelta::minutes(10);

/// What the desk has read of one court's feed: a small SQLite file in its data folder,
/// each part's event with the words it is found by, indexed by case, so a search reads the
/// cases it finds, not the court.
struct Copy {
    conn: rusqlite::Connection,
}

impl Copy {
    fn open(path: &Path) -> Result<Copy, RemoteError> {
        crate::paths::create_folder_all(crate::paths::folder_of(path))
            .map_err(RemoteError::local(path))?;
        let conn = rusqlite::Connection::open(path).map_err(RemoteError::database(path))?;
        conn.execute_batch(
            "PRAGMA journal_mode = WAL;
             CREATE TABLE IF NOT EXISTS feed (id INTEGER PRIMARY KEY CHECK (id = 1),
                 last TEXT NOT NULL);
             CREATE TABLE IF NOT EXISTS parts (hash TEXT PRIMARY KEY,
                 case_number TEXT NOT NULL, words TEXT NOT NULL, event TEXT NOT NULL);
             CREATE INDEX IF NOT EXISTS parts_by_case ON parts (case_number);",
        )
        .map_err(RemoteError::database(path))?;
        Ok(Copy { conn })
    }

    /// The latest feed name seen.
    fn last(&self) -> String {
        self.conn
            .query_row("SELECT last FROM feed WHERE id = 1", [], |row| row.get(0))
            .unwrap_or_default()
    }

    fn holds(&self, hash: &str) -> bool {
        self.conn
            .query_row("SELECT 1 FROM parts WHERE hash = ?1", [hash], |_| Ok(()))
            .is_ok()
    }

    /// Keeps `events` (by their feed name's hash) and the latest name seen, all at once.
    fn keep(&mut self, events: &[(String, Event)], last: &str) -> rusqlite::Result<()> {
        let tx = self.conn.transaction()?;
        for (hash, event) in events {
            let What::PartUploaded(part) = &event.what else {
                continue;
            };
            let words = [
                &event.case_number,
                &part.judge,
                &part.category,
                &part.opened,
                &event.hall,
            ]
            .into_iter()
            .chain(&part.participants)
            .map(|text| text.to_lowercase())
            .collect::<Vec<_>>()
            .join("\n");
            tx.execute(
                "INSERT OR IGNORE INTO parts (hash, case_number, words, event)
                 VALUES (?1, ?2, ?3, ?4)",
                (
                    hash,
                    &event.case_number,
                    words,
                    serde_json::to_string(event).expect("an event serializes"),
                ),
            )?;
        }
        tx.execute(
            "INSERT INTO feed (id, last) VALUES (1, ?1)
             ON CONFLICT (id) DO UPDATE SET last = excluded.last WHERE excluded.last > last",
            [last],
        )?;
        tx.commit()
    }

    /// The events of every case some part of which holds each word of `search` (all cases
    /// without one).
    fn events(&self, search: Option<&str>) -> rusqlite::Result<Vec<Event>> {
        let words: Vec<String> = search
            .unwrap_or_default()
            .split_whitespace()
            .map(|word| {
                let escaped = word
                    .to_lowercase()
                    .replace('\\', "\\\\")
                    .replace('%', "\\%")
                    .replace('_', "\\_");
                format!("%{escaped}%")
            })
            .collect();
        let mut sql = "SELECT event FROM parts WHERE 1".to_owned();
        for number in 1..=words.len() {
            sql.push_str(&format!(
                " AND case_number IN (SELECT case_number FROM parts
                   WHERE words LIKE ?{number} ESCAPE '\\')"
            ));
        }
        let mut statement = self.conn.prepare(&sql)?;
        let rows = statement.query_map(rusqlite::params_from_iter(&words), |row| {
            row.get::<_, String>(0)
        })?;
        let mut events = Vec::new();
        for row in rows {
            if let Ok(event) = serde_json::from_str(&row?) {
                events.push(event);
            }
        }
        Ok(events)
    }
}

/// One case as the list shows it.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Case {
    pub case_number: String,
    pub judges: BTreeSet<String>,
    pub participants: BTreeSet<String>,
    pub categories: BTreeSet<String>,
    pub halls: BTreeSet<String>,
    /// Its sessions (by identity), each with its parts on the server.
    pub sessions: BTreeMap<String, Vec<PartUploaded>>,
    /// When its first and latest sessions opened.
    pub first: String,
    pub last: String,
}

impl Case {
    /// Whether every word of `search` is in its number, a judge's or participant's name,
    /// its category or a session's date (case-insensitive).
    pub fn matches(&self, search: &str) -> bool {
        let haystack = [&self.case_number, &self.first, &self.last]
            .into_iter()
            .chain(&self.judges)
            .chain(&self.participants)
            .chain(&self.categories)
            .chain(self.sessions.values().flatten().map(|part| &part.opened))
            .map(|text| text.to_lowercase())
            .collect::<Vec<_>>()
            .join("\n");
        search
            .split_whitespace()
            .all(|word| haystack.contains(&word.to_lowercase()))
    }

    pub fn parts(&self) -> usize {
        self.sessions.values().map(Vec::len).sum()
    }
}

/// What a look at the list found.
#[derive(Debug, Serialize)]
pub struct Listed {
    pub court: String,
    /// The cases, latest session first.
    pub cases: Vec<Case>,
    /// Feed objects read this time.
    pub read: usize,
    /// Events not taken into account (a signature no trusted key made), with why.
    pub refused: Vec<(String, String)>,
}

/// The court's cases from `target`'s feed with every word of `search` (all without one),
/// with what `cache_folder` kept from before.
pub fn list(
    target: Target<'_>,
    court: &str,
    trusted: &crate::seal::Trust,
    cache_folder: &Path,
    search: Option<&str>,
) -> Result<Listed, RemoteError> {
    let copy_path = cache_file(cache_folder, target, court);
    let mut copy = Copy::open(&copy_path)?;
    let remote = open(target)?;
    let feed = format!("{}/{FOLDER}", crate::paths::file_name_part(court));
    let last = copy.last();
    let from = since(&last);
    // The days sent since (each its own folder), or the whole feed the first time and after
    // a month away.
    let (prefixes, offset) = match days(&from, chrono::Utc::now().date_naive()) {
        Some(days) => (
            days.iter()
                .map(|day| object_path(&remote.prefix, &feed, day))
                .collect::<Result<Vec<_>, _>>()?,
            object_path(&remote.prefix, &feed, &format!("{}/{from}", days[0]))?,
        ),
        None => {
            let base = object_path(&remote.prefix, &feed, "")?;
            (vec![base.clone()], base)
        }
    };
    let (fetched, newest) = runtime()?.block_on(async {
        let mut names = BTreeSet::new();
        for prefix in &prefixes {
            let mut listed = remote.store.list(Some(prefix));
            while let Some(meta) = listed.next().await {
                let meta = meta.map_err(RemoteError::store(prefix))?;
                names.insert(meta.location.to_string());
            }
        }
        let new: Vec<String> = names
            .iter()
            .filter(|name| name.contains("-part-uploaded-") && name.ends_with(".json"))
            .filter(|name| *name > &offset.to_string())
            .filter(|name| !copy.holds(&hash_of(name)))
            .filter(|name| names.contains(&format!("{name}.minisig")))
            .cloned()
            .collect();
        let newest = new.iter().max().cloned();
        let fetched: Vec<(String, Result<Event, RemoteError>)> = futures_util::stream::iter(new)
            .map(|name| async {
                let event = super::events::fetch_checked(&remote, &name, trusted).await;
                (name, event.map(|(event, _)| event))
            })
            .buffer_unordered(16)
            .collect()
            .await;
        Ok::<_, RemoteError>((fetched, newest))
    })?;
    let read = fetched.len();
    let mut refused = Vec::new();
    let mut kept = Vec::new();
    for (name, event) in fetched {
        match event {
            Ok(event) if event.court == court => kept.push((hash_of(&name), event)),
            Ok(event) => refused.push((name, format!("an event of {}", event.court))),
            Err(why) => refused.push((name, why.to_string())),
        }
    }
    if let Some(newest) = newest {
        let relative = newest
            .strip_prefix(remote.prefix.as_ref())
            .unwrap_or(&newest)
            .trim_start_matches('/')
            .to_owned();
        copy.keep(&kept, &relative.max(last))
            .map_err(RemoteError::database(&copy_path))?;
    }
    let events = copy
        .events(search)
        .map_err(RemoteError::database(&copy_path))?;
    let mut cases = cases(events.iter());
    if let Some(search) = search {
        cases.retain(|case| case.matches(search));
    }
    Ok(Listed {
        court: court.to_owned(),
        cases,
        read,
        refused,
    })
}

/// The time to list the feed from: ten minutes before the last name seen (whose file name
/// begins with the time it was sent, `20261204T153000…`).
fn since(last: &str) -> String {
    let Some(name) = last.rsplit('/').next() else {
        return String::new();
    };
    let stamp: String = name.chars().take_while(|c| *c != '-').collect();
    let Some(seconds) = stamp.get(..15) else {
        return String::new();
    };
    chrono::NaiveDateTime::parse_from_str(seconds, "%Y%m%dT%H%M%S")
        .map(|at| (at - CLOCK_MARGIN).format("%Y%m%dT%H%M%S").to_string())
        .unwrap_or_default()
}

/// The feed's day folders from the day of `from` (`20261204T152000`) to `today`, or `None`
/// for the whole feed: nothing seen yet, or more than a month ago.
fn days(from: &str, today: chrono::NaiveDate) -> Option<Vec<String>> {
    let day = chrono::NaiveDate::parse_from_str(from.get(..8)?, "%Y%m%d").ok()?;
    let (first, last) = (day.min(today), day.max(today));
    if (last - first).num_days() > 31 {
        return None;
    }
    Some(
        first
            .iter_days()
            .take_while(|day| *day <= last)
            .map(|day| day.format("%Y-%m-%d").to_string())
            .collect(),
    )
}

/// The hash at the end of a feed name (`…-<hash>.json`).
fn hash_of(name: &str) -> String {
    name.trim_end_matches(".json")
        .rsplit('-')
        .next()
        .unwrap_or(name)
        .to_owned()
}

/// Where the desk keeps what it read of `court`'s feed on `target`.
fn cache_file(folder: &Path, target: Target<'_>, court: &str) -> PathBuf {
    use sha2::{Digest, Sha256};
    let key = crate::digest::hex(&Sha256::digest(format!("{}\n{court}", target.url)));
    folder.join(format!("{}.sqlite3", &key[..16]))
}

/// Cases from their parts' events, latest first.
fn cases<'a>(events: impl Iterator<Item = &'a Event>) -> Vec<Case> {
    let mut cases: BTreeMap<String, Case> = BTreeMap::new();
    for event in events {
        let What::PartUploaded(part) = &event.what else {
            continue;
        };
        let case = cases
            .entry(event.case_number.clone())
            .or_insert_with(|| Case {
                case_number: event.case_number.clone(),
                ..Case::default()
            });
        let not_empty = |text: &String| !text.trim().is_empty();
        case.judges
            .extend(Some(part.judge.clone()).filter(not_empty));
        case.categories
            .extend(Some(part.category.clone()).filter(not_empty));
        case.halls
            .extend(Some(event.hall.clone()).filter(not_empty));
        case.participants
            .extend(part.participants.iter().filter(|p| not_empty(p)).cloned());
        let opened = if part.opened.is_empty() {
            &event.at
        } else {
            &part.opened
        };
        if case.first.is_empty() || *opened < case.first {
            case.first.clone_from(opened);
        }
        if *opened > case.last {
            case.last.clone_from(opened);
        }
        let parts = case.sessions.entry(part.session_uid.clone()).or_default();
        if !parts.iter().any(|p| p.folder == part.folder) {
            parts.push(part.clone());
            parts.sort_by_key(|p| p.part);
        }
    }
    let mut cases: Vec<Case> = cases.into_values().collect();
    cases.sort_by(|a, b| b.last.cmp(&a.last).then(a.case_number.cmp(&b.case_number)));
    cases
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uploaded(case: &str, judge: &str, participant: &str, folder: &str) -> Event {
        Event::now(
            "Медеу",
            case,
            "1",
            "secretary",
            What::PartUploaded(PartUploaded {
                session_uid: folder.to_owned(),
                session_id: 1,
                part: 1,
                instance: "first".to_owned(),
                folder: folder.to_owned(),
                manifest_sha256: String::new(),
                duration_ms: None,
                bytes: 0,
                judge: judge.to_owned(),
                participants: vec![participant.to_owned()],
                category: "civil".to_owned(),
                opened: "2026-12-04 10:00".to_owned(),
            }),
        )
    }

    /// Every word must be in the case, though each may be in another of its parts; the
    /// search knows no letter case (Cyrillic too) and takes `%` and `_` as themselves.
    #[test]
    fn the_desks_copy_finds_a_case_by_words_from_any_of_its_parts() {
        let folder = tempfile::tempdir().expect("folder");
        let mut copy = Copy::open(&folder.path().join("copy.sqlite3")).expect("copy");
        let events = [
            (
                "a",
                uploaded("2-1/2026", "Ерлан Ахметов", "Дана", "s1/part-01"),
            ),
            (
                "b",
                uploaded("2-1/2026", "Ерлан Ахметов", "Бекзат", "s2/part-01"),
            ),
            ("c", uploaded("2-2/2026", "Айгүл", "Дана 50%", "s3/part-01")),
        ]
        .map(|(hash, event)| (hash.to_owned(), event));
        copy.keep(&events, "Медеу/events/2026-12-04/20261204T100000Z-x")
            .expect("kept");
        let cases_of = |search: &str| {
            let mut found: Vec<String> = cases(copy.events(Some(search)).expect("read").iter())
                .into_iter()
                .filter(|case| case.matches(search))
                .map(|case| case.case_number)
                .collect();
            found.sort();
            found
        };
        assert_eq!(cases_of("АХМЕТОВ бекзат дана"), ["2-1/2026"]);
        assert_eq!(cases_of("дана"), ["2-1/2026", "2-2/2026"]);
        assert_eq!(cases_of("50%"), ["2-2/2026"]);
        assert!(cases_of("5_%").is_empty(), "% and _ are letters here");
        assert!(copy.holds("a") && !copy.holds("d"));
        assert_eq!(copy.last(), "Медеу/events/2026-12-04/20261204T100000Z-x");
        copy.keep(&[], "Медеу/events/2026-12-03/older")
            .expect("kept");
        assert_eq!(
            copy.last(),
            "Медеу/events/2026-12-04/20261204T100000Z-x",
            "never back"
        );
    }

    #[test]
    fn the_feed_is_listed_again_from_ten_minutes_before_the_last_event_seen() {
        assert_eq!(
            since("Медеу/events/20261204T153000123Z-part-uploaded-0123456789abcdef.json"),
            "20261204T152000"
        );
        assert_eq!(since(""), "");
        let day = |text: &str| chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("day");
        assert_eq!(
            days("20261130T235500", day("2026-12-02")),
            Some(vec![
                "2026-11-30".to_owned(),
                "2026-12-01".to_owned(),
                "2026-12-02".to_owned()
            ])
        );
        assert_eq!(days("", day("2026-12-02")), None, "the whole feed at first");
        assert_eq!(
            days("20260101T000000", day("2026-12-02")),
            None,
            "after a month"
        );
        assert_eq!(
            hash_of("a/events/2026-part-uploaded-0123abcd.json"),
            "0123abcd"
        );
    }
}
