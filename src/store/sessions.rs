//! Reading sessions with their people, and closing them.

use std::collections::HashMap;

use chrono::Utc;
use rusqlite::{OptionalExtension, Row};

use super::{Store, StoreError, audit_in, parse_code, parse_time, timestamp};
use crate::session::{Category, Participant, Role, SealState, Session};

const SESSION_COLUMNS: &str = "s.id, c.number, c.category, s.court, s.hall, s.instance, s.judge,
     s.operator_name, s.operator_role, s.opened_at, s.closed_at, s.folder,
     (SELECT COUNT(*) FROM session_parts p WHERE p.session_id = s.id),
     (SELECT COUNT(*) FROM session_parts p WHERE p.session_id = s.id
         AND p.sealed_at IS NOT NULL),
     (SELECT COUNT(*) FROM session_parts p WHERE p.session_id = s.id AND p.recovered),
     (SELECT COUNT(*) FROM session_parts p WHERE p.session_id = s.id
         AND p.state IN ('finished', 'recovered') AND p.sealed_at IS NULL),
     (SELECT p.seal_error FROM session_parts p WHERE p.session_id = s.id
         AND p.seal_error IS NOT NULL ORDER BY p.number DESC LIMIT 1),
     s.uid
     FROM sessions s JOIN cases c ON c.id = s.case_id";

fn session_from_row(row: &Row<'_>) -> rusqlite::Result<Session> {
    let category: String = row.get(2)?;
    let closed_at: Option<String> = row.get(10)?;
    Ok(Session {
        id: row.get(0)?,
        case_number: row.get(1)?,
        // Cases created before categories were asked for count as civil.
        category: Category::from_code(&category).unwrap_or(Category::Civil),
        court: row.get(3)?,
        hall: row.get(4)?,
        instance: row.get(5)?,
        judge: row.get(6)?,
        operator_name: row.get(7)?,
        operator_role: row.get(8)?,
        opened_at: parse_time(9, &row.get::<_, String>(9)?)?,
        closed_at: closed_at.map(|text| parse_time(10, &text)).transpose()?,
        folder: row.get(11)?,
        parts: row.get(12)?,
        seal: SealState {
            sealed: row.get(13)?,
            recovered: row.get(14)?,
            unsealed: row.get(15)?,
            error: row.get(16)?,
        },
        participants: Vec::new(),
        uid: row.get(17)?,
    })
}

fn participant_from_row(row: &Row<'_>) -> rusqlite::Result<(i64, Participant)> {
    let role: String = row.get(3)?;
    Ok((
        row.get(0)?,
        Participant {
            id: row.get(1)?,
            name: row.get(2)?,
            role: parse_code(3, &role, Role::from_code)?,
            remote: row.get(4)?,
            location: row.get(5)?,
        },
    ))
}

/// The session's secretaries: the one who opened it, then each other one who recorded a
/// part of it (a shift change), in order, once each: "Айгүл Серікова, Дана Омарова".
fn with_shifts(session: &mut Session, recorded_by: Vec<String>) {
    let mut names: Vec<String> = Vec::new();
    for name in std::iter::once(session.operator_name.clone()).chain(recorded_by) {
        if !name.trim().is_empty() && !names.contains(&name) {
            names.push(name);
        }
    }
    session.operator_name = names.join(", ");
}

impl Store {
    /// Every session, newest first, with its participants.
    pub fn sessions(&self) -> Result<Vec<Session>, StoreError> {
        let mut statement = self.conn.prepare(&format!(
            "SELECT {SESSION_COLUMNS} ORDER BY s.opened_at DESC"
        ))?;
        let mut sessions: Vec<Session> = statement
            .query_map([], session_from_row)?
            .collect::<Result<_, _>>()?;
        let mut people: HashMap<i64, Vec<Participant>> = HashMap::new();
        let mut statement = self.conn.prepare(
            "SELECT session_id, id, name, role, remote, location FROM participants
             ORDER BY session_id, position, id",
        )?;
        for row in statement.query_map([], participant_from_row)? {
            let (session_id, participant) = row?;
            people.entry(session_id).or_default().push(participant);
        }
        for session in &mut sessions {
            session.participants = people.remove(&session.id).unwrap_or_default();
        }
        let mut statement = self.conn.prepare(
            "SELECT session_id, operator_name FROM session_parts WHERE operator_name != ''
             ORDER BY session_id, number",
        )?;
        let mut recorded_by: HashMap<i64, Vec<String>> = HashMap::new();
        for row in statement.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))? {
            let (session_id, name) = row?;
            recorded_by.entry(session_id).or_default().push(name);
        }
        for session in &mut sessions {
            with_shifts(session, recorded_by.remove(&session.id).unwrap_or_default());
        }
        Ok(sessions)
    }

    pub fn session(&self, id: i64) -> Result<Session, StoreError> {
        let mut session = self
            .conn
            .query_row(
                &format!("SELECT {SESSION_COLUMNS} WHERE s.id = ?1"),
                [id],
                session_from_row,
            )
            .optional()?
            .ok_or(StoreError::NoSuchSession(id))?;
        let mut statement = self.conn.prepare(
            "SELECT session_id, id, name, role, remote, location FROM participants
             WHERE session_id = ?1 ORDER BY position, id",
        )?;
        session.participants = statement
            .query_map([id], participant_from_row)?
            .map(|row| row.map(|(_, participant)| participant))
            .collect::<Result<_, _>>()?;
        let mut statement = self.conn.prepare(
            "SELECT operator_name FROM session_parts WHERE session_id = ?1
                 AND operator_name != '' ORDER BY number",
        )?;
        let recorded_by = statement
            .query_map([id], |row| row.get(0))?
            .collect::<Result<_, _>>()?;
        with_shifts(&mut session, recorded_by);
        Ok(session)
    }

    /// Says who recorded part `part_id` (the secretary at the workstation then).
    pub fn set_part_operator(&self, part_id: i64, name: &str) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE session_parts SET operator_name = ?2 WHERE id = ?1",
            (part_id, name.trim()),
        )?;
        Ok(())
    }

    /// Closes the session: no part can follow. Closing twice is harmless.
    pub fn close_session(&mut self, id: i64, actor: &str) -> Result<(), StoreError> {
        let tx = self.begin()?;
        let changed = tx.execute(
            "UPDATE sessions SET state = 'closed', closed_at = ?2
             WHERE id = ?1 AND state = 'open'",
            (id, timestamp(Utc::now())),
        )?;
        if changed == 1 {
            audit_in(
                &tx,
                actor,
                "session-closed",
                "session",
                id,
                &serde_json::json!({}),
            )?;
        }
        tx.commit()?;
        Ok(())
    }
}
