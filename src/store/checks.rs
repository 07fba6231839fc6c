//! The daily equipment checks (rules 7, 11, 17), kept: who made each, when, and every step.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{Store, StoreError, timestamp};
use crate::i18n::Said;
use crate::tr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StepState {
    Passed,
    Failed,
    Skipped,
}

/// One step of the check: what was checked, how it went, and why. Kept as data (`Said`); shown,
/// and serialized for people and scripts, in the language in use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    /// `camera`, `microphone`, `remote-audio`, `disk`, `key`, `server`, `baatzh`, `replica`.
    pub what: String,
    /// The device or the address concerned, if any.
    pub subject: String,
    pub state: StepState,
    /// Why it passed, failed or was skipped. Checks kept before it was data hold the text
    /// as it was shown then.
    #[serde(serialize_with = "shown")]
    pub detail: Said,
}

fn shown<S: serde::Serializer>(detail: &Said, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&detail.text())
}

/// A step as it is kept: its detail as data.
#[derive(Serialize)]
struct Kept<'a> {
    what: &'a str,
    subject: &'a str,
    state: StepState,
    detail: &'a Said,
}

impl Step {
    pub(crate) fn new(what: &str, subject: &str, result: Result<Said, Said>) -> Self {
        let (state, detail) = match result {
            Ok(detail) => (StepState::Passed, detail),
            Err(detail) => (StepState::Failed, detail),
        };
        Step {
            what: what.to_owned(),
            subject: subject.to_owned(),
            state,
            detail,
        }
    }

    pub fn failed(what: &str, subject: &str, why: Said) -> Self {
        Self::new(what, subject, Err(why))
    }

    pub fn skipped(what: &str, subject: &str, why: Said) -> Self {
        Step {
            what: what.to_owned(),
            subject: subject.to_owned(),
            state: StepState::Skipped,
            detail: why,
        }
    }

    /// What the step checked, as people name it.
    pub fn label(&self) -> String {
        let what = match self.what.as_str() {
            "camera" => tr!("check-camera"),
            "microphone" => tr!("check-microphone"),
            "remote-audio" => tr!("check-remote-audio"),
            "spoken" => tr!("check-spoken-into"),
            "disk" => tr!("check-disk"),
            "key" => tr!("check-key"),
            "server" => tr!("target-server"),
            "baatzh" => tr!("target-baatzh"),
            "archive" => tr!("target-archive"),
            "webhook" => tr!("check-webhook"),
            "mail" => tr!("check-mail"),
            "status" => tr!("check-status-target"),
            "secrets" => tr!("check-secrets"),
            "certificate" => tr!("check-certificate"),
            "record" => tr!("check-record"),
            _ => tr!("target-replica"),
        };
        if self.subject.is_empty() {
            what
        } else {
            format!("{what}: {}", self.subject)
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EquipmentCheck {
    pub id: i64,
    pub at: String,
    pub by_name: String,
    pub role: String,
    pub court: String,
    pub hall: String,
    /// No step failed.
    pub passed: bool,
    pub steps: Vec<Step>,
}

impl EquipmentCheck {
    pub fn at(&self) -> Option<DateTime<Utc>> {
        self.at.parse().ok()
    }

    pub fn failed(&self) -> impl Iterator<Item = &Step> {
        self.steps.iter().filter(|s| s.state == StepState::Failed)
    }
}

/// A kept check. Steps that no longer read (a damaged row) are said as one failed step, and
/// the check does not count as passed: never shown as a check with nothing in it.
fn check_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<EquipmentCheck> {
    let steps: String = row.get(7)?;
    let (passed, steps) = match serde_json::from_str(&steps) {
        Ok(steps) => (row.get(6)?, steps),
        Err(error) => (
            false,
            vec![Step::failed(
                "record",
                "",
                crate::said!("check-kept-unreadable", reason = error.to_string()),
            )],
        ),
    };
    Ok(EquipmentCheck {
        id: row.get(0)?,
        at: row.get(1)?,
        by_name: row.get(2)?,
        role: row.get(3)?,
        court: row.get(4)?,
        hall: row.get(5)?,
        passed,
        steps,
    })
}

const CHECK_COLUMNS: &str =
    "id, checked_at, checked_by, role, court, hall, ok, details FROM equipment_checks";

impl Store {
    /// Keeps a check made now; returns it as kept.
    pub fn record_check(
        &mut self,
        by_name: &str,
        role: &str,
        court: &str,
        hall: &str,
        steps: &[Step],
    ) -> Result<EquipmentCheck, StoreError> {
        let passed = !steps.iter().any(|s| s.state == StepState::Failed);
        let kept: Vec<Kept<'_>> = steps
            .iter()
            .map(|step| Kept {
                what: &step.what,
                subject: &step.subject,
                state: step.state,
                detail: &step.detail,
            })
            .collect();
        let json = serde_json::to_string(&kept).expect("steps serialize");
        self.conn.execute(
            "INSERT INTO equipment_checks (checked_at, checked_by, role, court, hall, ok, details)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            rusqlite::params![
                timestamp(Utc::now()),
                by_name,
                role,
                court,
                hall,
                passed,
                json
            ],
        )?;
        let id = self.conn.last_insert_rowid();
        Ok(self.conn.query_row(
            &format!("SELECT {CHECK_COLUMNS} WHERE id = ?1"),
            [id],
            check_row,
        )?)
    }

    /// The latest check, if any was made.
    pub fn last_check(&self) -> Result<Option<EquipmentCheck>, StoreError> {
        let mut statement = self.conn.prepare(&format!(
            "SELECT {CHECK_COLUMNS} ORDER BY checked_at DESC, id DESC LIMIT 1"
        ))?;
        let mut rows = statement.query_map([], check_row)?;
        Ok(rows.next().transpose()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::loader_for;
    use crate::said;

    /// A check kept by a secretary working in Russian reads in Kazakh for the next one: its
    /// steps are kept as messages and values, not as the sentences shown then. A check kept
    /// before that (its details as sentences) reads as it was written.
    #[test]
    fn a_check_kept_in_one_language_reads_in_another() {
        let folder = tempfile::tempdir().expect("a folder");
        let mut store = Store::open(&folder.path().join("hattama.sqlite3")).expect("a store");
        let steps = [
            Step::new(
                "camera",
                "Камера",
                Ok(said!("check-picture-live", frames = 50)),
            ),
            Step::new(
                "server",
                "s3://court",
                Err("connection refused".to_owned().into()),
            ),
        ];
        store
            .record_check("Айгүл", "head-of-office", "Сот", "5", &steps)
            .expect("kept");
        let kept = store.last_check().expect("read").expect("a check");
        let camera = &kept.steps[0].detail;
        assert_eq!(
            camera.text_in(&loader_for("ru")),
            "Живое изображение (кадров: 50)"
        );
        assert_eq!(camera.text_in(&loader_for("kk")), "Тірі бейне (50 кадр)");
        assert_eq!(
            kept.steps[1].detail.text_in(&loader_for("kk")),
            "connection refused"
        );
        let stored: String = store
            .conn
            .query_row("SELECT details FROM equipment_checks", [], |row| row.get(0))
            .expect("the row");
        assert!(stored.contains(r#""id":"check-picture-live""#), "{stored}");
        assert!(
            !stored.contains("Живое"),
            "kept as data, not as Russian: {stored}"
        );

        // Shown, and serialized for people and scripts, as text.
        let shown = serde_json::to_value(&kept.steps[0]).expect("serializes");
        assert!(shown["detail"].is_string(), "{shown}");

        // A check kept as sentences before.
        store
            .conn
            .execute(
                "UPDATE equipment_checks SET details = ?1",
                [r#"[{"what":"disk","subject":"","state":"passed","detail":"Свободно 120 ГБ"}]"#],
            )
            .expect("an older row");
        let older = store.last_check().expect("read").expect("a check");
        assert_eq!(
            older.steps[0].detail.text_in(&loader_for("kk")),
            "Свободно 120 ГБ"
        );
    }

    /// A kept check whose steps no longer read (a damaged row) is said, and is not a pass:
    /// never a check with nothing in it. The row itself is left as it is.
    #[test]
    fn a_damaged_check_is_said_not_shown_empty() {
        let folder = tempfile::tempdir().expect("a folder");
        let mut store = Store::open(&folder.path().join("hattama.sqlite3")).expect("a store");
        let steps = [Step::new("disk", "", Ok("120 GB free".to_owned().into()))];
        store
            .record_check("Айгүл", "secretary", "Сот", "5", &steps)
            .expect("kept");
        store
            .conn
            .execute(
                "UPDATE equipment_checks SET details = ?1",
                [r#"[{"what":"disk","subj"#],
            )
            .expect("a damaged row");
        let kept = store.last_check().expect("read").expect("a check");
        assert!(!kept.passed, "a check that does not read is not a pass");
        assert_eq!(kept.failed().count(), 1);
        let step = &kept.steps[0];
        assert_eq!(step.what, "record");
        let said = step.detail.text_in(&loader_for("en"));
        assert!(
            said.contains("cannot be read") && said.contains("EOF"),
            "{said}"
        );
        assert!(step.label() != tr!("target-replica"), "named as itself");
        let stored: String = store
            .conn
            .query_row("SELECT details FROM equipment_checks", [], |row| row.get(0))
            .expect("the row");
        assert_eq!(
            stored, r#"[{"what":"disk","subj"#,
            "the row is left as it is"
        );
    }
}
