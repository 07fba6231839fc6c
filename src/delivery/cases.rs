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
use serde::{Deserialize, Serialize};

use super::events::{Event, FOLDER, PartUploaded, What};
use super::upload::{Target, object_path, open, runtime};

/// How far before the last event seen the feed is listed again.
const CLOCK_MARGIN: chrono::TimeDelta = chrono::TimeDelta::minutes(10);

/// What the desk has read of one court's feed.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Cache {
    /// The latest feed name seen.
    last: String,
    /// Every part-uploaded event read, by its feed name's hash (the same event sent twice
    /// counts once).
    events: BTreeMap<String, Event>,
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

/// The court's cases from `target`'s feed, with what `cache_folder` kept from before.
pub fn list(
    target: Target<'_>,
    court: &str,
    trusted: &crate::seal::Trust,
    cache_folder: &Path,
) -> Result<Listed, String> {
    let cache_path = cache_file(cache_folder, target, court);
    let mut cache: Cache = std::fs::read(&cache_path)
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or_default();
    let remote = open(target)?;
    let feed = format!("{}/{FOLDER}", crate::paths::file_name_part(court));
    let from = since(&cache.last);
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
    let (read, refused) = runtime()?.block_on(async {
        let mut names = BTreeSet::new();
        for prefix in &prefixes {
            let mut listed = remote.store.list(Some(prefix));
            while let Some(meta) = listed.next().await {
                let meta = meta.map_err(|e| format!("{prefix}: {e}"))?;
                names.insert(meta.location.to_string());
            }
        }
        let new: Vec<String> = names
            .iter()
            .filter(|name| name.contains("-part-uploaded-") && name.ends_with(".json"))
            .filter(|name| *name > &offset.to_string())
            .filter(|name| !cache.events.contains_key(&hash_of(name)))
            .filter(|name| names.contains(&format!("{name}.minisig")))
            .cloned()
            .collect();
        let mut refused = Vec::new();
        let fetched: Vec<(String, Result<Event, String>)> = futures_util::stream::iter(new)
            .map(|name| async {
                let event = super::events::fetch_checked(&remote, &name, trusted).await;
                (name, event.map(|(event, _)| event))
            })
            .buffer_unordered(16)
            .collect()
            .await;
        let read = fetched.len();
        for (name, event) in fetched {
            let relative = name
                .strip_prefix(remote.prefix.as_ref())
                .unwrap_or(&name)
                .trim_start_matches('/')
                .to_owned();
            if relative > cache.last {
                cache.last.clone_from(&relative);
            }
            match event {
                Ok(event) if event.court == court => {
                    cache.events.insert(hash_of(&name), event);
                }
                Ok(event) => refused.push((name, format!("an event of {}", event.court))),
                Err(why) => refused.push((name, why)),
            }
        }
        Ok::<_, String>((read, refused))
    })?;
    if read > 0 {
        let folder = crate::paths::folder_of(&cache_path);
        crate::paths::create_folder_all(folder)
            .and_then(|()| {
                crate::paths::write_atomically(
                    &cache_path,
                    &serde_json::to_vec(&cache).expect("the cache serializes"),
                )
            })
            .map_err(|e| format!("{}: {e}", cache_path.display()))?;
    }
    Ok(Listed {
        court: court.to_owned(),
        cases: cases(cache.events.values()),
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
    folder.join(format!("{}.json", &key[..16]))
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
