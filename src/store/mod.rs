//! The SQLite database: cases, sessions, parts, protocol, incidents, checks, outbox, audit.
//!
//! It never holds media. A database that cannot be opened, or was written by a newer
//! Hattama, is reported and left exactly as it is: court records are never deleted.

mod checks;
mod discs;
mod entries;
mod incidents;
mod outbox;
mod parts;
pub mod schema;
mod sessions;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::TransactionBehavior;
use rusqlite::{Connection, OpenFlags};

pub use checks::{EquipmentCheck, Step, StepState};
pub use discs::{CaseDisc, NewDisc};
pub use entries::Correction;
pub use incidents::{Incident, NewIncident};
pub use outbox::{NewOutbox, OutboxRow, OutboxState};
pub use parts::{NewSession, Part, PartState};

use crate::problem::Problem;
use crate::tr;

#[derive(Debug, Clone, thiserror::Error)]
pub enum StoreError {
    #[error("cannot create the data folder {path}: {source}")]
    DataFolder {
        path: PathBuf,
        #[source]
        source: Arc<std::io::Error>,
    },
    #[error("cannot write to the data folder {path}: {source}")]
    DataFolderReadOnly {
        path: PathBuf,
        #[source]
        source: Arc<std::io::Error>,
    },
    #[error("cannot open the database {path}: {source}")]
    Open {
        path: PathBuf,
        #[source]
        source: Arc<rusqlite::Error>,
    },
    #[error("the database {path} has schema version {found}; this Hattama knows up to {known}")]
    TooNew {
        path: PathBuf,
        found: u32,
        known: u32,
    },
    #[error("cannot upgrade the database {path} to schema version {version}: {source}")]
    Migration {
        path: PathBuf,
        version: u32,
        #[source]
        source: Arc<rusqlite::Error>,
    },
    #[error("database error: {0}")]
    Sql(#[source] Arc<rusqlite::Error>),
    #[error("no session part with id {0}")]
    NoSuchPart(i64),
    #[error("no session with id {0}")]
    NoSuchSession(i64),
    #[error("no protocol entry with id {0}")]
    NoSuchEntry(i64),
    #[error("the session {0} is closed")]
    SessionClosed(i64),
    #[error("protocol entry {0} belongs to a sealed part and cannot be changed")]
    EntrySealed(i64),
    /// The thread that owned the connection has stopped (it panicked).
    #[error("the database connection has stopped")]
    Unavailable,
}

impl From<rusqlite::Error> for StoreError {
    fn from(error: rusqlite::Error) -> Self {
        StoreError::Sql(Arc::new(error))
    }
}

impl Problem for StoreError {
    fn title(&self) -> String {
        match self {
            StoreError::DataFolder { path, .. } => {
                tr!("data-folder-failed", path = path.display().to_string())
            }
            StoreError::DataFolderReadOnly { path, .. } => {
                tr!("data-folder-read-only", path = path.display().to_string())
            }
            StoreError::Open { path, .. } => {
                tr!("database-open-failed", path = path.display().to_string())
            }
            StoreError::TooNew { path, found, known } => tr!(
                "database-too-new",
                path = path.display().to_string(),
                found = found,
                known = known
            ),
            StoreError::Migration { version, .. } => {
                tr!("database-migration-failed", version = version)
            }
            StoreError::Sql(_)
            | StoreError::NoSuchPart(_)
            | StoreError::NoSuchSession(_)
            | StoreError::NoSuchEntry(_)
            | StoreError::Unavailable => tr!("database-failed"),
            StoreError::SessionClosed(_) => tr!("session-closed-error"),
            StoreError::EntrySealed(_) => tr!("entry-sealed-error"),
        }
    }

    fn help(&self) -> String {
        match self {
            StoreError::DataFolder { .. } | StoreError::DataFolderReadOnly { .. } => {
                tr!("data-folder-help")
            }
            StoreError::Open { .. } => tr!("database-open-help"),
            StoreError::TooNew { .. } => tr!("database-too-new-help"),
            StoreError::Migration { .. }
            | StoreError::Sql(_)
            | StoreError::NoSuchPart(_)
            | StoreError::NoSuchSession(_)
            | StoreError::NoSuchEntry(_)
            | StoreError::Unavailable => tr!("database-failed-help"),
            StoreError::SessionClosed(_) => tr!("session-closed-error-help"),
            StoreError::EntrySealed(_) => tr!("entry-sealed-error-help"),
        }
    }
}

/// An open, up-to-date database.
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

impl Store {
    /// Tells the delivery worker something was queued: the data folder's bell (`wake`).
    fn ring(&self) {
        if let Some(folder) = self.path.parent() {
            crate::wake::ring(folder);
        }
    }

    /// Opens (creating if absent) the database and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        if let Some(folder) = path.parent() {
            crate::paths::create_folder_all(folder).map_err(|source| StoreError::DataFolder {
                path: folder.to_owned(),
                source: Arc::new(source),
            })?;
            check_writable(folder)?;
        }
        let open_error = |source: rusqlite::Error| StoreError::Open {
            path: path.to_owned(),
            source: Arc::new(source),
        };
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI;
        // SQLite makes a new database 0644 (less the umask), and its journal and WAL as the
        // database is: made here first as any file is (0666 less the umask), a workstation's
        // shared folder (umask 007) gets a database its group can write.
        if std::fs::symlink_metadata(path).is_err() {
            use std::os::unix::fs::OpenOptionsExt;
            let _ = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o666)
                .open(path);
        }
        let conn = Connection::open_with_flags(path, flags).map_err(open_error)?;
        // Another process (the delivery worker, a recording) may hold the database a moment,
        // even while creating it: wait for it rather than fail.
        conn.busy_timeout(std::time::Duration::from_secs(10))
            .map_err(open_error)?;
        // Reading the version reads the header: a file that is not a database fails here,
        // before anything is written to it.
        let found: u32 = conn
            .pragma_query_value(None, "user_version", |row| row.get(0))
            .map_err(open_error)?;
        if found > schema::LATEST {
            return Err(StoreError::TooNew {
                path: path.to_owned(),
                found,
                known: schema::LATEST,
            });
        }
        // Switching a new database to WAL takes it whole, and SQLite answers "busy" at once
        // (without waiting) when another process is doing the same: try again a while.
        let began = std::time::Instant::now();
        loop {
            match conn.pragma_update(None, "journal_mode", "WAL") {
                Err(rusqlite::Error::SqliteFailure(error, _))
                    if error.code == rusqlite::ErrorCode::DatabaseBusy
                        && began.elapsed() < std::time::Duration::from_secs(10) =>
                {
                    std::thread::sleep(std::time::Duration::from_millis(20));
                }
                other => break other.map_err(open_error)?,
            }
        }
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(open_error)?;
        conn.pragma_update(None, "foreign_keys", true)
            .map_err(open_error)?;
        let mut store = Store {
            conn,
            path: path.to_owned(),
        };
        store.migrate(found)?;
        Ok(store)
    }

    fn migrate(&mut self, from: u32) -> Result<(), StoreError> {
        for version in from + 1..=schema::LATEST {
            let migration_error = |source: rusqlite::Error| StoreError::Migration {
                path: self.path.clone(),
                version,
                source: Arc::new(source),
            };
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(migration_error)?;
            // Another process opening the same new database may have got here first.
            let now: u32 = tx
                .pragma_query_value(None, "user_version", |row| row.get(0))
                .map_err(migration_error)?;
            if now >= version {
                continue;
            }
            tx.execute_batch(schema::MIGRATIONS[version as usize - 1])
                .map_err(migration_error)?;
            tx.pragma_update(None, "user_version", version)
                .map_err(migration_error)?;
            tx.commit().map_err(migration_error)?;
            tracing::info!("database upgraded to schema version {version}");
        }
        Ok(())
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// One unit of writing: a transaction of its own, or, inside [`Store::all_or_nothing`],
    /// a savepoint of the caller's transaction.
    fn begin(&mut self) -> rusqlite::Result<Unit<'_>> {
        if self.conn.is_autocommit() {
            self.conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map(Unit::Own)
        } else {
            self.conn.savepoint().map(Unit::Inside)
        }
    }

    /// Runs `writes` as one transaction: a power cut or an error leaves all of them or
    /// none (the changes a recovery makes to a part, say, which the next start would
    /// otherwise find half made and never finish).
    pub fn all_or_nothing<T, E: From<StoreError>>(
        &mut self,
        writes: impl FnOnce(&mut Store) -> Result<T, E>,
    ) -> Result<T, E> {
        self.conn
            .execute_batch("BEGIN IMMEDIATE")
            .map_err(StoreError::from)?;
        match writes(self) {
            Ok(value) => {
                self.conn
                    .execute_batch("COMMIT")
                    .map_err(StoreError::from)?;
                Ok(value)
            }
            Err(error) => {
                let _ = self.conn.execute_batch("ROLLBACK");
                Err(error)
            }
        }
    }

    pub fn schema_version(&self) -> Result<u32, StoreError> {
        Ok(self
            .conn
            .pragma_query_value(None, "user_version", |row| row.get(0))?)
    }

    /// Records who did what, for the audit log.
    pub fn audit(
        &self,
        actor: &str,
        action: &str,
        entity: &str,
        entity_id: i64,
        details: &serde_json::Value,
    ) -> Result<(), StoreError> {
        audit_in(&self.conn, actor, action, entity, entity_id, details)
    }
}

/// A transaction, or a savepoint inside the caller's ([`Store::begin`]).
enum Unit<'a> {
    Own(rusqlite::Transaction<'a>),
    Inside(rusqlite::Savepoint<'a>),
}

impl std::ops::Deref for Unit<'_> {
    type Target = Connection;

    fn deref(&self) -> &Connection {
        match self {
            Unit::Own(transaction) => transaction,
            Unit::Inside(savepoint) => savepoint,
        }
    }
}

impl Unit<'_> {
    fn commit(self) -> rusqlite::Result<()> {
        match self {
            Unit::Own(transaction) => transaction.commit(),
            Unit::Inside(savepoint) => savepoint.commit(),
        }
    }
}

/// Writes an audit row on `conn` (a connection or a transaction, so the row lands with
/// the change it describes).
fn audit_in(
    conn: &Connection,
    actor: &str,
    action: &str,
    entity: &str,
    entity_id: i64,
    details: &serde_json::Value,
) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO audit_log (at, actor, action, entity, entity_id, details)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        (
            timestamp(Utc::now()),
            actor,
            action,
            entity,
            entity_id,
            details.to_string(),
        ),
    )?;
    Ok(())
}

/// Reads a stored timestamp (column `index` of a row).
fn parse_time(index: usize, text: &str) -> rusqlite::Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|time| time.with_timezone(&Utc))
        .map_err(|error| {
            rusqlite::Error::FromSqlConversionFailure(
                index,
                rusqlite::types::Type::Text,
                error.into(),
            )
        })
}

/// Reads a stored code (column `index`) into its enum.
fn parse_code<T>(
    index: usize,
    code: &str,
    from_code: fn(&str) -> Option<T>,
) -> rusqlite::Result<T> {
    from_code(code).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            index,
            rusqlite::types::Type::Text,
            format!("unknown code {code:?}").into(),
        )
    })
}

/// Recording into a folder that cannot be written would fail later and worse: find out now.
/// (A probe of its own name: processes starting together never remove each other's.)
fn check_writable(folder: &Path) -> Result<(), StoreError> {
    tempfile::Builder::new()
        .prefix(".hattama-write-check")
        .tempfile_in(folder)
        .and_then(|probe| probe.close())
        .map_err(|source| StoreError::DataFolderReadOnly {
            path: folder.to_owned(),
            source: Arc::new(source),
        })
}

/// How times are stored: UTC, RFC 3339, milliseconds.
pub fn timestamp(time: DateTime<Utc>) -> String {
    time.to_rfc3339_opts(SecondsFormat::Millis, true)
}

#[cfg(test)]
mod tests;
