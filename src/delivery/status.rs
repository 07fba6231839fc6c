//! The hall's status (rule 4) for the courts' internal portal: court, hall, whether the
//! recording system works, is degraded or is down, whether it records now, the last
//! equipment check and the last incident. Queued in the outbox on every change and at least
//! every `status_every_s` (a newer status supersedes one not yet sent), and delivered to a
//! file (rewritten whole) or POSTed to an `http(s)://` address. The format is
//! `docs/hall-status.md`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::config::Config;
use crate::digest::hex;
use crate::store::StepState;
use crate::store::{NewOutbox, Store, StoreError};

pub const STATUS: &str = "status";
pub const FORMAT: &str = "hattama-hall-status/1";

/// Steps whose failure stops the hall from recording properly.
const ESSENTIAL: [&str; 4] = ["camera", "microphone", "disk", "key"];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LastCheck {
    pub at: String,
    pub by: String,
    pub passed: bool,
    /// What failed: `camera: <device>`, `server`, ….
    pub failed: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recording {
    pub case_number: String,
    pub session_id: i64,
    pub part: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LastIncident {
    pub kind: String,
    pub input: String,
    pub started_at: String,
    pub ended_at: Option<String>,
    pub details: String,
}

/// What the hall's status says (without the time it was published).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HallStatus {
    pub format: String,
    pub court: String,
    pub hall: String,
    /// `works`, `degraded` or `down`.
    pub system: String,
    /// Why it is not `works`.
    pub reasons: Vec<String>,
    /// What is being recorded now, if anything.
    pub recording: Option<Recording>,
    pub last_check: Option<LastCheck>,
    pub last_incident: Option<LastIncident>,
}

/// As published: the status and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Published {
    #[serde(flatten)]
    pub status: HallStatus,
    pub published_at: String,
}

/// The hall's status now, from the database.
pub fn current(
    store: &Store,
    config: &Config,
    now: DateTime<Utc>,
) -> Result<HallStatus, StoreError> {
    let zone = config.court.time_zone();
    let today = now.with_timezone(&zone).date_naive();
    let check = store.last_check()?;
    let mut reasons = Vec::new();
    let mut down = false;
    match &check {
        None => reasons.push("no equipment check has been made".to_owned()),
        Some(check) => {
            if check.at().map(|at| at.with_timezone(&zone).date_naive()) != Some(today) {
                reasons.push("today's equipment check has not been made".to_owned());
            }
            for step in check.failed() {
                down |= ESSENTIAL.contains(&step.what.as_str());
                reasons.push(format!("{}: {}", step_name(step), step.detail));
            }
        }
    }
    // An input lost or silent right now (rule 27).
    for incident in store.open_incidents()? {
        reasons.push(format!(
            "incident now: {} {} since {} ({})",
            incident.kind, incident.input_name, incident.started_at, incident.details
        ));
    }
    // Read every second by the worker: counted by the database, not by reading each row.
    let refused = store.outbox_failed_count()?;
    if refused > 0 {
        reasons.push(format!(
            "{refused} deliveries refused, waiting for a person"
        ));
    }
    let recording = store.unfinished_parts()?.pop().map(|part| Recording {
        case_number: part.case_number,
        session_id: part.session_id,
        part: part.number,
    });
    let system = if down {
        "down"
    } else if reasons.is_empty() {
        "works"
    } else {
        "degraded"
    };
    Ok(HallStatus {
        format: FORMAT.to_owned(),
        court: config.court.name.clone(),
        hall: config.court.hall.clone(),
        system: system.to_owned(),
        reasons,
        recording,
        last_check: check.map(|check| LastCheck {
            failed: check.failed().map(step_name).collect(),
            at: check.at,
            by: check.by_name,
            passed: check.passed,
        }),
        last_incident: store.last_incident()?.map(|i| LastIncident {
            kind: i.kind,
            input: i.input,
            started_at: i.started_at,
            ended_at: i.ended_at,
            details: i.details,
        }),
    })
}

fn step_name(step: &crate::store::Step) -> String {
    debug_assert!(step.state == StepState::Failed);
    if step.subject.is_empty() {
        step.what.clone()
    } else {
        format!("{}: {}", step.what, step.subject)
    }
}

/// Queues the status when it changed since the last one queued, or when that one is older
/// than `status_every_s`; returns whether it did.
pub fn publish_if_due(
    store: &mut Store,
    config: &Config,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    if config.delivery.status_target.trim().is_empty() {
        return Ok(false);
    }
    let status = current(store, config, now)?;
    if let Some(last) = store.outbox_latest(STATUS)?
        && let Ok(published) = serde_json::from_str::<Published>(&last.payload)
    {
        let age = published
            .published_at
            .parse::<DateTime<Utc>>()
            .map(|at| now - at)
            .unwrap_or_default();
        let every = chrono::Duration::seconds(config.delivery.status_every_s as i64);
        if published.status == status && age < every {
            return Ok(false);
        }
    }
    let published = Published {
        status,
        published_at: crate::store::timestamp(now),
    };
    let payload = serde_json::to_string(&published).expect("a status serializes");
    let key = format!("status-{}", &hex(&Sha256::digest(payload.as_bytes()))[..32]);
    store.queue_latest(&NewOutbox {
        kind: STATUS.to_owned(),
        target: STATUS.to_owned(),
        idempotency_key: key,
        payload,
    })?;
    Ok(true)
}
