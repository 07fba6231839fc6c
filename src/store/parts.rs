//! Sessions and their parts: the rows a recording lives by.

use std::path::PathBuf;

use chrono::Utc;
use rusqlite::{OptionalExtension, Row};

use super::{Store, StoreError, timestamp};
use crate::paths::file_name_part;
use crate::session::{Category, Participant};

/// What is known when a session opens.
#[derive(Debug, Clone, Default)]
pub struct NewSession {
    pub case_number: String,
    pub court: String,
    pub hall: String,
    /// `first`, `appellate`, `cassation` or `supervisory`.
    pub instance: String,
    pub category: Category,
    pub judge: String,
    pub operator_name: String,
    pub operator_role: String,
    pub participants: Vec<Participant>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartState {
    Starting,
    Recording,
    Stopping,
    Finished,
    Recovered,
    Failed,
}

impl PartState {
    pub fn code(self) -> &'static str {
        match self {
            PartState::Starting => "starting",
            PartState::Recording => "recording",
            PartState::Stopping => "stopping",
            PartState::Finished => "finished",
            PartState::Recovered => "recovered",
            PartState::Failed => "failed",
        }
    }

    fn from_code(code: &str) -> Option<Self> {
        [
            PartState::Starting,
            PartState::Recording,
            PartState::Stopping,
            PartState::Finished,
            PartState::Recovered,
            PartState::Failed,
        ]
        .into_iter()
        .find(|state| state.code() == code)
    }

    /// A part in one of these states was being recorded when its process ended.
    pub fn is_unfinished(self) -> bool {
        matches!(
            self,
            PartState::Starting | PartState::Recording | PartState::Stopping
        )
    }
}

/// One continuous recording of a session.
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    pub id: i64,
    pub session_id: i64,
    pub case_number: String,
    pub number: i64,
    /// Relative to the sessions folder (`Paths::sessions`).
    pub folder: PathBuf,
    pub state: PartState,
    pub profile: String,
    pub demo: bool,
    pub first_media_ns: Option<i64>,
    pub first_media_wall: Option<String>,
    pub ended_at: Option<String>,
    pub duration_ms: Option<i64>,
    pub recovered: bool,
    pub error: Option<String>,
    pub sealed_at: Option<String>,
    /// Why its seal could not be written, until it is.
    pub seal_error: Option<String>,
}

impl Part {
    /// The wall time of its first media timestamp, once it recorded.
    pub fn first_media_at(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        self.first_media_wall.as_deref()?.parse().ok()
    }
}

const PART_COLUMNS: &str = "p.id, p.session_id, c.number, p.number, p.folder, p.state, p.profile,
     p.demo, p.first_media_ns, p.first_media_wall, p.ended_at, p.duration_ms, p.recovered, p.error,
     p.sealed_at, p.seal_error
     FROM session_parts p JOIN sessions s ON s.id = p.session_id JOIN cases c ON c.id = s.case_id";

fn part_from_row(row: &Row<'_>) -> rusqlite::Result<Part> {
    let state: String = row.get(5)?;
    Ok(Part {
        id: row.get(0)?,
        session_id: row.get(1)?,
        case_number: row.get(2)?,
        number: row.get(3)?,
        folder: PathBuf::from(row.get::<_, String>(4)?),
        state: super::parse_code(5, &state, PartState::from_code)?,
        profile: row.get(6)?,
        demo: row.get(7)?,
        first_media_ns: row.get(8)?,
        first_media_wall: row.get(9)?,
        ended_at: row.get(10)?,
        duration_ms: row.get(11)?,
        recovered: row.get(12)?,
        error: row.get(13)?,
        sealed_at: row.get(14)?,
        seal_error: row.get(15)?,
    })
}

impl Store {
    /// Opens a session of a case (creating the case on first use). Returns the session id.
    pub fn open_session(&mut self, new: &NewSession) -> Result<i64, StoreError> {
        let now = Utc::now();
        let tx = self.begin()?;
        tx.execute(
            "INSERT INTO cases (number, category, created_at) VALUES (?1, ?2, ?3)
             ON CONFLICT (number) DO UPDATE SET category = excluded.category",
            (&new.case_number, new.category.code(), timestamp(now)),
        )?;
        let case_id: i64 = tx.query_row(
            "SELECT id FROM cases WHERE number = ?1",
            [&new.case_number],
            |row| row.get(0),
        )?;
        tx.execute(
            "INSERT INTO sessions (case_id, court, hall, instance, judge, operator_name,
                 operator_role, remote_participation, folder, opened_at, uid)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, '', ?9, lower(hex(randomblob(16))))",
            (
                case_id,
                &new.court,
                &new.hall,
                &new.instance,
                &new.judge,
                &new.operator_name,
                &new.operator_role,
                new.participants.iter().any(|p| p.remote),
                timestamp(now),
            ),
        )?;
        let session_id = tx.last_insert_rowid();
        let uid: String = tx.query_row(
            "SELECT uid FROM sessions WHERE id = ?1",
            [session_id],
            |row| row.get(0),
        )?;
        let folder = crate::session::folder_name(
            &now.format("%Y-%m-%d").to_string(),
            &file_name_part(&new.case_number),
            session_id,
            &uid,
        );
        tx.execute(
            "UPDATE sessions SET folder = ?1 WHERE id = ?2",
            (&folder, session_id),
        )?;
        for (position, person) in new.participants.iter().enumerate() {
            tx.execute(
                "INSERT INTO participants (session_id, position, name, role, remote, location)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                (
                    session_id,
                    position as i64,
                    person.name.trim(),
                    person.role.code(),
                    person.remote,
                    person.location.trim(),
                ),
            )?;
        }
        super::audit_in(
            &tx,
            &new.operator_name,
            "session-opened",
            "session",
            session_id,
            &serde_json::json!({ "case": new.case_number }),
        )?;
        tx.commit()?;
        Ok(session_id)
    }

    /// Registers the session's next part, in state `starting`, before any file exists:
    /// a crash from here on leaves a row that recovery finds.
    pub fn begin_part(
        &mut self,
        session_id: i64,
        profile: &str,
        inputs: &serde_json::Value,
        demo: bool,
    ) -> Result<Part, StoreError> {
        let tx = self.begin()?;
        let (session_folder, number, state): (String, i64, String) = tx
            .query_row(
                "SELECT s.folder, COALESCE(MAX(p.number), 0) + 1, s.state
                 FROM sessions s LEFT JOIN session_parts p ON p.session_id = s.id
                 WHERE s.id = ?1 GROUP BY s.id",
                [session_id],
                |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
            )
            .optional()?
            .ok_or(StoreError::NoSuchSession(session_id))?;
        if state != "open" {
            return Err(StoreError::SessionClosed(session_id));
        }
        let folder = format!("{session_folder}/part-{number:02}");
        tx.execute(
            "INSERT INTO session_parts (session_id, number, folder, state, profile, inputs, demo,
                 created_at)
             VALUES (?1, ?2, ?3, 'starting', ?4, ?5, ?6, ?7)",
            (
                session_id,
                number,
                &folder,
                profile,
                inputs.to_string(),
                demo,
                timestamp(Utc::now()),
            ),
        )?;
        let id = tx.last_insert_rowid();
        tx.commit()?;
        self.part(id)
    }

    pub fn part(&self, id: i64) -> Result<Part, StoreError> {
        self.conn
            .query_row(
                &format!("SELECT {PART_COLUMNS} WHERE p.id = ?1"),
                [id],
                part_from_row,
            )
            .optional()?
            .ok_or(StoreError::NoSuchPart(id))
    }

    /// A session's parts, in order.
    pub fn parts_of(&self, session_id: i64) -> Result<Vec<Part>, StoreError> {
        let mut statement = self.conn.prepare(&format!(
            "SELECT {PART_COLUMNS} WHERE p.session_id = ?1 ORDER BY p.number"
        ))?;
        let parts = statement
            .query_map([session_id], part_from_row)?
            .collect::<Result<_, _>>()?;
        Ok(parts)
    }

    /// Parts whose recording process ended without finishing them.
    pub fn unfinished_parts(&self) -> Result<Vec<Part>, StoreError> {
        let mut statement = self.conn.prepare(&format!(
            "SELECT {PART_COLUMNS}
             WHERE p.state IN ('starting', 'recording', 'stopping') ORDER BY p.id"
        ))?;
        let parts = statement
            .query_map([], part_from_row)?
            .collect::<Result<_, _>>()?;
        Ok(parts)
    }

    /// Parts that ended (finished or recovered) and were never sealed: a power cut came
    /// between the end and the seal, or the seal failed.
    pub fn unsealed_parts(&self) -> Result<Vec<Part>, StoreError> {
        let mut statement = self.conn.prepare(&format!(
            "SELECT {PART_COLUMNS}
             WHERE p.state IN ('finished', 'recovered') AND p.sealed_at IS NULL ORDER BY p.id"
        ))?;
        let parts = statement
            .query_map([], part_from_row)?
            .collect::<Result<_, _>>()?;
        Ok(parts)
    }

    /// The first media timestamp is known: the part is recording.
    pub fn part_recording(
        &self,
        id: i64,
        first_media_ns: i64,
        first_media_wall: &str,
    ) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE session_parts SET state = 'recording', first_media_ns = ?2,
                 first_media_wall = ?3 WHERE id = ?1",
            (id, first_media_ns, first_media_wall),
        )?;
        Ok(())
    }

    /// How many parts this data folder has sealed.
    pub fn sealed_count(&self) -> Result<i64, StoreError> {
        Ok(self.conn.query_row(
            "SELECT COUNT(*) FROM session_parts WHERE sealed_at IS NOT NULL",
            [],
            |row| row.get(0),
        )?)
    }

    /// The part's seal is written (`at`, RFC 3339), and what it sends to other systems is
    /// queued in the same transaction: a seal is never recorded without its deliveries, nor
    /// a delivery without its seal. A row whose key is queued already is not queued again.
    /// Uploads of the part's earlier seal not yet made are closed as superseded: its files
    /// are not the ones sealed any more, so they could never go, and the new seal's upload
    /// takes them all.
    pub fn part_sealed(
        &mut self,
        id: i64,
        at: &str,
        outbox: &[super::NewOutbox],
    ) -> Result<(), StoreError> {
        let tx = self.begin()?;
        tx.execute(
            "UPDATE session_parts SET sealed_at = ?2, seal_error = NULL WHERE id = ?1",
            (id, at),
        )?;
        tx.execute(
            "UPDATE outbox SET state = 'delivered', delivered_at = ?2,
                 receipt = 'superseded by the part''s newer seal', next_attempt_at = NULL
             WHERE part_id = ?1 AND kind = 'upload' AND state IN ('pending', 'retrying', 'failed')",
            (id, super::timestamp(chrono::Utc::now())),
        )?;
        for row in outbox {
            super::outbox::enqueue(&tx, Some(id), row)?;
        }
        tx.commit()?;
        self.ring();
        Ok(())
    }

    /// Queues rows for part `id` outside a seal (a copy to the replica); a key already
    /// queued is not queued again. Returns how many rows are new.
    pub fn queue_outbox(
        &mut self,
        id: i64,
        outbox: &[super::NewOutbox],
    ) -> Result<usize, StoreError> {
        let tx = self.begin()?;
        let before: i64 = tx.query_row("SELECT COUNT(*) FROM outbox", [], |row| row.get(0))?;
        for row in outbox {
            super::outbox::enqueue(&tx, Some(id), row)?;
        }
        let after: i64 = tx.query_row("SELECT COUNT(*) FROM outbox", [], |row| row.get(0))?;
        tx.commit()?;
        self.ring();
        Ok((after - before) as usize)
    }

    /// The part's seal could not be written, and why.
    pub fn part_seal_failed(&self, id: i64, error: &str) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE session_parts SET seal_error = ?2 WHERE id = ?1",
            (id, error),
        )?;
        Ok(())
    }

    pub fn part_stopping(&self, id: i64) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE session_parts SET state = 'stopping' WHERE id = ?1",
            [id],
        )?;
        Ok(())
    }

    /// The part has ended: `finished` cleanly, `recovered` after an interruption, or
    /// `failed` (its file, whatever it holds, is kept).
    pub fn part_ended(
        &self,
        id: i64,
        state: PartState,
        duration_ms: Option<i64>,
        error: Option<&str>,
    ) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE session_parts SET state = ?2, duration_ms = COALESCE(?3, duration_ms),
                 ended_at = ?4, error = ?5, recovered = recovered OR ?6 WHERE id = ?1",
            (
                id,
                state.code(),
                duration_ms,
                timestamp(Utc::now()),
                error,
                state == PartState::Recovered,
            ),
        )?;
        Ok(())
    }
}

impl Store {
    /// The name of whoever operates the recording of a session.
    pub fn session_operator(&self, session_id: i64) -> Result<String, StoreError> {
        Ok(self.conn.query_row(
            "SELECT operator_name FROM sessions WHERE id = ?1",
            [session_id],
            |row| row.get(0),
        )?)
    }
}
