//! Incidents: an input that stopped, a microphone silent too long, a disk nearly full, a
//! write error (rules 27–29); each with when it began and ended and the input concerned.

use rusqlite::OptionalExtension;
use serde::Serialize;

use super::{Store, StoreError};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Incident {
    pub id: i64,
    pub session_id: Option<i64>,
    pub part_id: Option<i64>,
    pub kind: String,
    pub input: String,
    pub started_at: String,
    pub ended_at: Option<String>,
    pub details: String,
}

/// An incident to record.
#[derive(Debug, Clone)]
pub struct NewIncident<'a> {
    pub session_id: i64,
    pub part_id: i64,
    /// `disk-nearly-full`, `input-stopped`, `microphone-silent`, `write-error`.
    pub kind: &'a str,
    /// The input concerned (`camera-1`), or empty.
    pub input: &'a str,
    pub details: &'a str,
}

impl Store {
    /// Records an incident that began and ended now; returns its id.
    pub fn record_incident(&self, new: &NewIncident<'_>) -> Result<i64, StoreError> {
        let now = super::timestamp(chrono::Utc::now());
        self.conn.execute(
            "INSERT INTO incidents (session_id, part_id, kind, input, started_at, ended_at, details)
             VALUES (?1, ?2, ?3, ?4, ?5, ?5, ?6)",
            rusqlite::params![
                new.session_id,
                new.part_id,
                new.kind,
                new.input,
                now,
                new.details
            ],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    /// The latest incident, if there was one.
    pub fn last_incident(&self) -> Result<Option<Incident>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT id, session_id, part_id, kind, input, started_at, ended_at, details
                 FROM incidents ORDER BY started_at DESC, id DESC LIMIT 1",
                [],
                |row| {
                    Ok(Incident {
                        id: row.get(0)?,
                        session_id: row.get(1)?,
                        part_id: row.get(2)?,
                        kind: row.get(3)?,
                        input: row.get(4)?,
                        started_at: row.get(5)?,
                        ended_at: row.get(6)?,
                        details: row.get(7)?,
                    })
                },
            )
            .optional()?)
    }
}
