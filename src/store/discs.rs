//! The case inventory of discs: every image made (volume label, disc n of N, the sessions it
//! holds, its contents hash, when and by whom) and whether it was burned and read back.

use serde::Serialize;

use super::{Store, StoreError, timestamp};

/// One image or disc in a case's inventory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaseDisc {
    pub id: i64,
    pub case_number: String,
    pub label: String,
    pub disc: i64,
    pub of: i64,
    pub media: String,
    pub sessions: Vec<i64>,
    pub parts: Vec<String>,
    pub contents_sha256: String,
    pub image: String,
    pub size: i64,
    pub made_at: String,
    pub made_by: String,
    pub burned_at: Option<String>,
    pub burned_to: Option<String>,
    pub burn_result: Option<String>,
}

/// What a new inventory entry says (the rest is filled in by the store).
#[derive(Debug, Clone)]
pub struct NewDisc<'a> {
    pub case_number: &'a str,
    pub label: &'a str,
    pub disc: usize,
    pub of: usize,
    pub media: &'a str,
    pub sessions: &'a [i64],
    pub parts: &'a [String],
    pub contents_sha256: &'a str,
    pub image: &'a str,
    pub size: u64,
    pub made_by: &'a str,
}

const DISC_COLUMNS: &str = "d.id, c.number, d.label, d.disc, d.of, d.media, d.sessions, d.parts,
     d.contents_sha256, d.image, d.size, d.made_at, d.made_by, d.burned_at, d.burned_to,
     d.burn_result FROM case_discs d JOIN cases c ON c.id = d.case_id";

fn disc_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<CaseDisc> {
    let sessions: String = row.get(6)?;
    let parts: String = row.get(7)?;
    Ok(CaseDisc {
        id: row.get(0)?,
        case_number: row.get(1)?,
        label: row.get(2)?,
        disc: row.get(3)?,
        of: row.get(4)?,
        media: row.get(5)?,
        sessions: serde_json::from_str(&sessions).unwrap_or_default(),
        parts: serde_json::from_str(&parts).unwrap_or_default(),
        contents_sha256: row.get(8)?,
        image: row.get(9)?,
        size: row.get(10)?,
        made_at: row.get(11)?,
        made_by: row.get(12)?,
        burned_at: row.get(13)?,
        burned_to: row.get(14)?,
        burn_result: row.get(15)?,
    })
}

impl Store {
    /// Enters an image in its case's inventory; returns its id.
    pub fn record_disc(&mut self, new: &NewDisc<'_>) -> Result<i64, StoreError> {
        let tx = self.begin()?;
        let case_id: i64 = tx.query_row(
            "SELECT id FROM cases WHERE number = ?1",
            [new.case_number],
            |row| row.get(0),
        )?;
        tx.execute(
            "INSERT INTO case_discs (case_id, label, disc, of, media, sessions, parts,
                 contents_sha256, image, size, made_at, made_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            rusqlite::params![
                case_id,
                new.label,
                new.disc as i64,
                new.of as i64,
                new.media,
                serde_json::to_string(new.sessions).expect("ids serialize"),
                serde_json::to_string(new.parts).expect("paths serialize"),
                new.contents_sha256,
                new.image,
                new.size as i64,
                timestamp(chrono::Utc::now()),
                new.made_by,
            ],
        )?;
        let id = tx.last_insert_rowid();
        tx.commit()?;
        self.audit(
            new.made_by,
            "disc-made",
            "case_disc",
            id,
            &serde_json::json!({ "label": new.label, "contents_sha256": new.contents_sha256 }),
        )?;
        Ok(id)
    }

    /// The case's inventory, in the order the discs were made.
    pub fn discs_of(&self, case_number: &str) -> Result<Vec<CaseDisc>, StoreError> {
        let mut statement = self.conn.prepare(&format!(
            "SELECT {DISC_COLUMNS} WHERE c.number = ?1 ORDER BY d.id"
        ))?;
        let rows = statement.query_map([case_number], disc_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The inventory entries of a disc's contents (its INVENTORY.json's SHA-256).
    pub fn discs_by_contents(&self, contents_sha256: &str) -> Result<Vec<CaseDisc>, StoreError> {
        let mut statement = self.conn.prepare(&format!(
            "SELECT {DISC_COLUMNS} WHERE d.contents_sha256 = ?1 ORDER BY d.id"
        ))?;
        let rows = statement.query_map([contents_sha256], disc_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// A disc burned from entry `id` and read back: `result` is `match` or what differed.
    pub fn disc_burned(
        &self,
        id: i64,
        drive: &str,
        result: &str,
        actor: &str,
    ) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE case_discs SET burned_at = ?2, burned_to = ?3, burn_result = ?4 WHERE id = ?1",
            (id, timestamp(chrono::Utc::now()), drive, result),
        )?;
        self.audit(
            actor,
            "disc-burned",
            "case_disc",
            id,
            &serde_json::json!({ "drive": drive, "result": result }),
        )?;
        Ok(())
    }
}
