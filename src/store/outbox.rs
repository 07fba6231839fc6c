//! The outbox: everything bound for another system, queued with the change that causes it
//! and delivered by a worker that may run in another process (`hattama deliver`). Each
//! row has an idempotency key the receiver uses to refuse a second copy.

use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;

use super::{Store, StoreError, timestamp};

/// A row to queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOutbox {
    /// What it is: `protocol` (the short protocol for ҚР СО БААТЖ).
    pub kind: String,
    /// Where it goes: `baatzh`.
    pub target: String,
    pub idempotency_key: String,
    /// What the sender needs, as JSON.
    pub payload: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum OutboxState {
    Pending,
    Retrying,
    Delivered,
    /// Refused for good: a person must look (and may retry).
    Failed,
}

impl OutboxState {
    pub fn code(self) -> &'static str {
        match self {
            OutboxState::Pending => "pending",
            OutboxState::Retrying => "retrying",
            OutboxState::Delivered => "delivered",
            OutboxState::Failed => "failed",
        }
    }

    fn parse(code: &str) -> OutboxState {
        match code {
            "retrying" => OutboxState::Retrying,
            "delivered" => OutboxState::Delivered,
            "failed" => OutboxState::Failed,
            _ => OutboxState::Pending,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OutboxRow {
    pub id: i64,
    pub part_id: Option<i64>,
    pub kind: String,
    pub target: String,
    pub idempotency_key: String,
    pub payload: String,
    pub state: OutboxState,
    pub attempts: i64,
    pub next_attempt_at: Option<String>,
    pub last_error: Option<String>,
    pub created_at: String,
    pub delivered_at: Option<String>,
    pub receipt: Option<String>,
}

const COLUMNS: &str = "id, part_id, kind, target, idempotency_key, payload, state, attempts,
     next_attempt_at, last_error, created_at, delivered_at, receipt FROM outbox";

fn row(row: &rusqlite::Row<'_>) -> rusqlite::Result<OutboxRow> {
    let state: String = row.get(6)?;
    Ok(OutboxRow {
        id: row.get(0)?,
        part_id: row.get(1)?,
        kind: row.get(2)?,
        target: row.get(3)?,
        idempotency_key: row.get(4)?,
        payload: row.get(5)?,
        state: OutboxState::parse(&state),
        attempts: row.get(7)?,
        next_attempt_at: row.get(8)?,
        last_error: row.get(9)?,
        created_at: row.get(10)?,
        delivered_at: row.get(11)?,
        receipt: row.get(12)?,
    })
}

/// Queues `new` on `conn` (inside the caller's transaction).
pub(super) fn enqueue(
    conn: &Connection,
    part_id: Option<i64>,
    new: &NewOutbox,
) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO outbox (kind, target, idempotency_key, payload, created_at, part_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (idempotency_key) DO NOTHING",
        rusqlite::params![
            new.kind,
            new.target,
            new.idempotency_key,
            new.payload,
            timestamp(chrono::Utc::now()),
            part_id
        ],
    )?;
    Ok(())
}

impl Store {
    /// Rows to send now: pending, or retrying and due, oldest first.
    pub fn outbox_due(
        &self,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<Vec<OutboxRow>, StoreError> {
        let mut statement = self.conn.prepare(&format!(
            "SELECT {COLUMNS} WHERE state = 'pending'
                OR (state = 'retrying' AND (next_attempt_at IS NULL OR next_attempt_at <= ?1))
             ORDER BY id"
        ))?;
        let rows = statement.query_map([timestamp(now)], row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// When the next retrying row is due, if any.
    pub fn outbox_next_due(&self) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT MIN(next_attempt_at) FROM outbox WHERE state = 'retrying'",
                [],
                |row| row.get(0),
            )
            .optional()?
            .flatten())
    }

    /// Every row, or those of one part, newest last.
    pub fn outbox(&self, part_id: Option<i64>) -> Result<Vec<OutboxRow>, StoreError> {
        let mut statement = self.conn.prepare(&format!(
            "SELECT {COLUMNS} WHERE ?1 IS NULL OR part_id = ?1 ORDER BY id"
        ))?;
        let rows = statement.query_map([part_id], row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Queues `rows` (a row whose key was queued before is left as it is: never sent twice).
    pub fn queue(&mut self, part_id: Option<i64>, rows: &[NewOutbox]) -> Result<(), StoreError> {
        let tx = self.begin()?;
        for row in rows {
            enqueue(&tx, part_id, row)?;
        }
        tx.commit()?;
        self.ring();
        Ok(())
    }

    /// Queues a row of `kind` that replaces the ones before it not yet sent (the hall's
    /// status: only the latest matters); those are closed as superseded.
    pub fn queue_latest(&mut self, row: &NewOutbox) -> Result<(), StoreError> {
        let tx = self.begin()?;
        tx.execute(
            "UPDATE outbox SET state = 'delivered', delivered_at = ?2,
                 receipt = 'superseded by a newer one', next_attempt_at = NULL
             WHERE kind = ?1 AND state IN ('pending', 'retrying')",
            (&row.kind, timestamp(chrono::Utc::now())),
        )?;
        enqueue(&tx, None, row)?;
        tx.commit()?;
        self.ring();
        Ok(())
    }

    /// How many rows were refused for good and wait for a person.
    pub fn outbox_failed_count(&self) -> Result<usize, StoreError> {
        let count: i64 = self.conn.query_row(
            "SELECT COUNT(*) FROM outbox WHERE state = 'failed'",
            [],
            |row| row.get(0),
        )?;
        Ok(count as usize)
    }

    /// The newest row of `kind`, whatever its state.
    pub fn outbox_latest(&self, kind: &str) -> Result<Option<OutboxRow>, StoreError> {
        Ok(self
            .conn
            .query_row(
                &format!("SELECT {COLUMNS} WHERE kind = ?1 ORDER BY id DESC LIMIT 1"),
                [kind],
                row,
            )
            .optional()?)
    }

    pub fn outbox_delivered(&self, id: i64, receipt: &str) -> Result<(), StoreError> {
        self.outbox_delivered_then(id, receipt, None)
    }

    /// Row `id` delivered and, in the same transaction, `then` queued for the same part (the
    /// event saying a part is on the server goes with the upload's end, or neither does).
    pub fn outbox_delivered_then(
        &self,
        id: i64,
        receipt: &str,
        then: Option<&NewOutbox>,
    ) -> Result<(), StoreError> {
        let tx = self.conn.unchecked_transaction()?;
        tx.execute(
            "UPDATE outbox SET state = 'delivered', attempts = attempts + 1, delivered_at = ?2,
                 receipt = ?3, last_error = NULL, next_attempt_at = NULL WHERE id = ?1",
            (id, timestamp(chrono::Utc::now()), receipt),
        )?;
        if let Some(row) = then {
            let part_id: Option<i64> =
                tx.query_row("SELECT part_id FROM outbox WHERE id = ?1", [id], |row| {
                    row.get(0)
                })?;
            enqueue(&tx, part_id, row)?;
        }
        tx.commit()?;
        self.ring();
        Ok(())
    }

    pub fn outbox_retry(
        &self,
        id: i64,
        next_attempt_at: chrono::DateTime<chrono::Utc>,
        error: &str,
    ) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE outbox SET state = 'retrying', attempts = attempts + 1, next_attempt_at = ?2,
                 last_error = ?3 WHERE id = ?1",
            (id, timestamp(next_attempt_at), error),
        )?;
        Ok(())
    }

    pub fn outbox_failed(&self, id: i64, error: &str) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE outbox SET state = 'failed', attempts = attempts + 1, last_error = ?2,
                 next_attempt_at = NULL WHERE id = ?1",
            (id, error),
        )?;
        Ok(())
    }

    /// A person's "try again" on a failed (or waiting) row: it is sent at the next pass.
    pub fn outbox_retry_now(&self, id: i64, actor: &str) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE outbox SET state = 'pending', next_attempt_at = NULL
             WHERE id = ?1 AND state != 'delivered'",
            [id],
        )?;
        self.audit(actor, "outbox-retry", "outbox", id, &serde_json::json!({}))
    }
}
