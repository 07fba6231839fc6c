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
    pub notified_at: Option<String>,
    /// The technical act drawn up for it (rule 29), as JSON, once there is one.
    pub technical_act: Option<String>,
    /// What people call the input (as its part stored it), or its id.
    pub input_name: String,
}

const COLUMNS: &str = "id, session_id, part_id, kind, input, started_at, ended_at, details,
     notified_at, technical_act,
     COALESCE((SELECT json_extract(i.value, '$.name')
               FROM session_parts p, json_each(p.inputs) i
               WHERE p.id = incidents.part_id AND json_extract(i.value, '$.id') = incidents.input),
              input)";

fn incident_of(row: &rusqlite::Row<'_>) -> rusqlite::Result<Incident> {
    Ok(Incident {
        id: row.get(0)?,
        session_id: row.get(1)?,
        part_id: row.get(2)?,
        kind: row.get(3)?,
        input: row.get(4)?,
        started_at: row.get(5)?,
        ended_at: row.get(6)?,
        details: row.get(7)?,
        notified_at: row.get(8)?,
        technical_act: row.get(9)?,
        input_name: row.get(10)?,
    })
}

impl Incident {
    /// When it began (stored in RFC 3339).
    pub fn started(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        self.started_at.parse().ok()
    }

    /// When it ended, once it has.
    pub fn ended(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        self.ended_at.as_deref()?.parse().ok()
    }
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

    /// Records an incident that began at `began` and goes on; returns its id.
    pub fn begin_incident(
        &self,
        new: &NewIncident<'_>,
        began: chrono::DateTime<chrono::Utc>,
    ) -> Result<i64, StoreError> {
        self.conn.execute(
            "INSERT INTO incidents (session_id, part_id, kind, input, started_at, details)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            rusqlite::params![
                new.session_id,
                new.part_id,
                new.kind,
                new.input,
                super::timestamp(began),
                new.details
            ],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    /// Ends the part's open incident of `kind` on `input`.
    pub fn end_incident(
        &self,
        part_id: i64,
        kind: &str,
        input: &str,
        ended: chrono::DateTime<chrono::Utc>,
    ) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE incidents SET ended_at = ?4
             WHERE part_id = ?1 AND kind = ?2 AND input = ?3 AND ended_at IS NULL",
            rusqlite::params![part_id, kind, input, super::timestamp(ended)],
        )?;
        Ok(())
    }

    /// Ends every incident of the part still open (its recording is over).
    pub fn end_open_incidents(
        &self,
        part_id: i64,
        ended: chrono::DateTime<chrono::Utc>,
    ) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE incidents SET ended_at = ?2 WHERE part_id = ?1 AND ended_at IS NULL",
            rusqlite::params![part_id, super::timestamp(ended)],
        )?;
        Ok(())
    }

    pub fn incident(&self, id: i64) -> Result<Incident, StoreError> {
        Ok(self.conn.query_row(
            &format!("SELECT {COLUMNS} FROM incidents WHERE id = ?1"),
            [id],
            incident_of,
        )?)
    }

    /// The incidents `filter` (an SQL condition on `incidents` with its `parameters`)
    /// takes, oldest first.
    fn incidents_where(
        &self,
        filter: &str,
        parameters: impl rusqlite::Params,
    ) -> Result<Vec<Incident>, StoreError> {
        let mut statement = self.conn.prepare(&format!(
            "SELECT {COLUMNS} FROM incidents WHERE {filter} ORDER BY started_at, id"
        ))?;
        let rows = statement.query_map(parameters, incident_of)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// A session's incidents, oldest first.
    pub fn incidents_of(&self, session_id: i64) -> Result<Vec<Incident>, StoreError> {
        self.incidents_where("session_id = ?1", [session_id])
    }

    /// Notes when the people to tell were told (the notifications were queued).
    pub fn incident_notified(&self, id: i64) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE incidents SET notified_at = ?2 WHERE id = ?1 AND notified_at IS NULL",
            rusqlite::params![id, super::timestamp(chrono::Utc::now())],
        )?;
        Ok(())
    }

    /// Every incident, oldest first.
    pub fn all_incidents(&self) -> Result<Vec<Incident>, StoreError> {
        self.incidents_where("TRUE", [])
    }

    /// The incidents without their technical act yet (rule 29), oldest first.
    pub fn incidents_without_act(&self) -> Result<Vec<Incident>, StoreError> {
        self.incidents_where("technical_act IS NULL", [])
    }

    /// The incidents going on now (not ended).
    pub fn open_incidents(&self) -> Result<Vec<Incident>, StoreError> {
        self.incidents_where("ended_at IS NULL", [])
    }

    /// The latest incident, if there was one.
    pub fn last_incident(&self) -> Result<Option<Incident>, StoreError> {
        Ok(self
            .conn
            .query_row(
                &format!(
                    "SELECT {COLUMNS} FROM incidents ORDER BY started_at DESC, id DESC LIMIT 1"
                ),
                [],
                incident_of,
            )
            .optional()?)
    }
}
