//! Protocol entries: written at once, corrected with an audit trail until sealed.

use chrono::Utc;
use rusqlite::{OptionalExtension, Row};

use super::{Store, StoreError, audit_in, parse_code, parse_time, timestamp};
use crate::protocol::{Entry, EntryKind, NewEntry};

const ENTRY_COLUMNS: &str = "e.id, e.session_id, e.seq, e.part_id, p.number, e.offset_ms,
     e.wall_time, e.kind, e.speaker_id, e.text,
     EXISTS (SELECT 1 FROM audit_log a WHERE a.entity = 'protocol_entry'
             AND a.entity_id = e.id AND a.action = 'entry-corrected'),
     e.hash IS NOT NULL, e.prev_hash, e.hash, e.corrects_id
     FROM protocol_entries e LEFT JOIN session_parts p ON p.id = e.part_id";

fn entry_from_row(row: &Row<'_>) -> rusqlite::Result<Entry> {
    let kind: String = row.get(7)?;
    Ok(Entry {
        id: row.get(0)?,
        session_id: row.get(1)?,
        seq: row.get(2)?,
        part_id: row.get(3)?,
        part_number: row.get(4)?,
        offset_ms: row.get(5)?,
        wall_time: parse_time(6, &row.get::<_, String>(6)?)?,
        kind: parse_code(7, &kind, EntryKind::from_code)?,
        speaker_id: row.get(8)?,
        text: row.get(9)?,
        corrected: row.get(10)?,
        prev_hash: row.get(12)?,
        hash: row.get(13)?,
        corrects_id: row.get(14)?,
        sealed: row.get(11)?,
    })
}

/// Inserts `new` at the end of its session's sequence; returns its id.
fn insert_entry(tx: &rusqlite::Connection, new: &NewEntry) -> Result<i64, StoreError> {
    let now = timestamp(Utc::now());
    tx.execute(
        "INSERT INTO protocol_entries (session_id, part_id, seq, offset_ms, wall_time, kind,
             speaker_id, text, created_at, updated_at)
         VALUES (?1, ?2,
             (SELECT COALESCE(MAX(seq), 0) + 1 FROM protocol_entries WHERE session_id = ?1),
             ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
        (
            new.session_id,
            new.stamp.part_id(),
            new.stamp.offset_ms(),
            timestamp(new.stamp.wall_time),
            new.kind.code(),
            new.speaker_id,
            new.text.trim(),
            &now,
        ),
    )?;
    Ok(tx.last_insert_rowid())
}

impl Store {
    /// Writes an entry and commits it before returning: once this returns, a crash or a
    /// power loss does not lose it.
    pub fn add_entry(&mut self, new: &NewEntry) -> Result<Entry, StoreError> {
        let tx = self.begin()?;
        let open: Option<bool> = tx
            .query_row(
                "SELECT state = 'open' FROM sessions WHERE id = ?1",
                [new.session_id],
                |row| row.get(0),
            )
            .optional()?;
        match open {
            None => return Err(StoreError::NoSuchSession(new.session_id)),
            Some(false) => return Err(StoreError::SessionClosed(new.session_id)),
            Some(true) => {}
        }
        let id = insert_entry(&tx, new)?;
        tx.commit()?;
        self.entry(id)
    }

    pub fn entry(&self, id: i64) -> Result<Entry, StoreError> {
        self.conn
            .query_row(
                &format!("SELECT {ENTRY_COLUMNS} WHERE e.id = ?1"),
                [id],
                entry_from_row,
            )
            .optional()?
            .ok_or(StoreError::NoSuchEntry(id))
    }

    /// A session's protocol in the order things happened.
    pub fn entries(&self, session_id: i64) -> Result<Vec<Entry>, StoreError> {
        let mut statement = self.conn.prepare(&format!(
            "SELECT {ENTRY_COLUMNS} WHERE e.session_id = ?1 ORDER BY e.wall_time, e.seq"
        ))?;
        let entries = statement
            .query_map([session_id], entry_from_row)?
            .collect::<Result<_, _>>()?;
        Ok(entries)
    }

    /// Corrects a sealed entry the only way left: an addendum, a new entry that names the
    /// one it corrects. It may follow the session's closing; it is chained at the next seal.
    pub fn add_addendum(
        &mut self,
        corrects: i64,
        new: &NewEntry,
        actor: &str,
    ) -> Result<Entry, StoreError> {
        let tx = self.begin()?;
        let session_id: i64 = tx
            .query_row(
                "SELECT session_id FROM protocol_entries WHERE id = ?1",
                [corrects],
                |row| row.get(0),
            )
            .optional()?
            .ok_or(StoreError::NoSuchEntry(corrects))?;
        let now = timestamp(Utc::now());
        tx.execute(
            "INSERT INTO protocol_entries (session_id, part_id, seq, offset_ms, wall_time, kind,
                 speaker_id, text, corrects_id, created_at, updated_at)
             VALUES (?1, ?2,
                 (SELECT COALESCE(MAX(seq), 0) + 1 FROM protocol_entries WHERE session_id = ?1),
                 ?3, ?4, 'addendum', ?5, ?6, ?7, ?8, ?8)",
            (
                session_id,
                new.stamp.part_id(),
                new.stamp.offset_ms(),
                timestamp(new.stamp.wall_time),
                new.speaker_id,
                new.text.trim(),
                corrects,
                &now,
            ),
        )?;
        let id = tx.last_insert_rowid();
        audit_in(
            &tx,
            actor,
            "entry-addendum",
            "protocol_entry",
            corrects,
            &serde_json::json!({ "addendum": id, "text": new.text.trim() }),
        )?;
        tx.commit()?;
        self.entry(id)
    }

    /// Attaches an entry Hattama writes for the session whatever its state (a technical
    /// act, rule 29, drawn up after the session closed): chained at the next seal.
    pub fn attach_entry(&mut self, new: &NewEntry, actor: &str) -> Result<Entry, StoreError> {
        let tx = self.begin()?;
        let id = insert_attached(&tx, new, actor, None)?;
        tx.commit()?;
        self.entry(id)
    }

    /// The technical act of incident `incident_id` (`act`, JSON) and its protocol entry,
    /// in one transaction: attached once, with its entry, or not at all. `None` when the
    /// incident has its act already (nothing is written then).
    pub fn attach_act(
        &mut self,
        incident_id: i64,
        act: &str,
        new: &NewEntry,
        actor: &str,
    ) -> Result<Option<Entry>, StoreError> {
        let tx = self.begin()?;
        let set = tx.execute(
            "UPDATE incidents SET technical_act = ?2 WHERE id = ?1 AND technical_act IS NULL",
            rusqlite::params![incident_id, act],
        )?;
        if set != 1 {
            return Ok(None);
        }
        let id = insert_attached(&tx, new, actor, Some(incident_id))?;
        tx.commit()?;
        self.entry(id).map(Some)
    }

    /// Fixes the hash chain on entries not yet in it (`links` of entry id, previous hash,
    /// hash, in chain order): from then on they are sealed. Refuses to chain an entry that
    /// is already chained or was changed in the meantime (its `updated_at`).
    pub fn chain_entries(&mut self, links: &[(i64, String, String)]) -> Result<(), StoreError> {
        let tx = self.begin()?;
        for (id, prev_hash, hash) in links {
            let changed = tx.execute(
                "UPDATE protocol_entries SET prev_hash = ?2, hash = ?3
                 WHERE id = ?1 AND hash IS NULL",
                (id, prev_hash, hash),
            )?;
            if changed != 1 {
                return Err(StoreError::EntrySealed(*id));
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Corrects an entry's text and speaker. The previous version goes to the audit log
    /// with who corrected it and when; an entry of a sealed part cannot be corrected.
    pub fn correct_entry(
        &mut self,
        id: i64,
        text: &str,
        speaker_id: Option<i64>,
        actor: &str,
    ) -> Result<Entry, StoreError> {
        let tx = self.begin()?;
        let before = tx
            .query_row(
                &format!("SELECT {ENTRY_COLUMNS} WHERE e.id = ?1"),
                [id],
                entry_from_row,
            )
            .optional()?
            .ok_or(StoreError::NoSuchEntry(id))?;
        if before.sealed {
            return Err(StoreError::EntrySealed(id));
        }
        let text = text.trim();
        if text == before.text && speaker_id == before.speaker_id {
            return Ok(before);
        }
        tx.execute(
            "UPDATE protocol_entries SET text = ?2, speaker_id = ?3, updated_at = ?4
             WHERE id = ?1",
            (id, text, speaker_id, timestamp(Utc::now())),
        )?;
        audit_in(
            &tx,
            actor,
            "entry-corrected",
            "protocol_entry",
            id,
            &serde_json::json!({
                "before": { "text": before.text, "speaker_id": before.speaker_id },
                "after": { "text": text, "speaker_id": speaker_id },
            }),
        )?;
        tx.commit()?;
        self.entry(id)
    }

    /// Who changed an entry, when, and from what to what (oldest first).
    pub fn corrections(&self, entry_id: i64) -> Result<Vec<Correction>, StoreError> {
        let mut statement = self.conn.prepare(
            "SELECT at, actor, details FROM audit_log
             WHERE entity = 'protocol_entry' AND entity_id = ?1 AND action = 'entry-corrected'
             ORDER BY id",
        )?;
        let rows = statement.query_map([entry_id], |row| {
            let details: String = row.get(2)?;
            let details: serde_json::Value = serde_json::from_str(&details).unwrap_or_default();
            Ok(Correction {
                at: parse_time(0, &row.get::<_, String>(0)?)?,
                actor: row.get(1)?,
                before: details["before"]["text"].as_str().unwrap_or("").to_owned(),
                after: details["after"]["text"].as_str().unwrap_or("").to_owned(),
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

/// One correction of an entry, from the audit log.
#[derive(Debug, Clone, PartialEq)]
pub struct Correction {
    pub at: chrono::DateTime<Utc>,
    pub actor: String,
    pub before: String,
    pub after: String,
}

/// An attached entry and its line in the audit log, inside the caller's transaction.
fn insert_attached(
    tx: &rusqlite::Connection,
    new: &NewEntry,
    actor: &str,
    incident: Option<i64>,
) -> Result<i64, StoreError> {
    let id = insert_entry(tx, new)?;
    audit_in(
        tx,
        actor,
        "entry-attached",
        "protocol_entry",
        id,
        &serde_json::json!({ "kind": new.kind.code(), "incident": incident }),
    )?;
    Ok(id)
}
