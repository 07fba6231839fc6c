//! The technical act (rule 29): once the cause of an incident is confirmed (within one
//! working day), an act in Kazakh and Russian — court, hall, session, times, what failed,
//! the cause and who confirmed it — is drawn up and attached to the session's protocol.
//!
//! Attached means: an entry of kind `technical-act` at the incident's moment, carrying the
//! act's text (so the protocol export to ҚР СО БААТЖ, the disc and the review carry it),
//! and the printable page `technical-act-N.html` in the folder of the session's latest
//! part, which is sealed anew so that both are signed.

use chrono::{FixedOffset, Utc};

pub use crate::incident::act::{Listed, Standing, TechnicalAct, due, list};
use crate::paths::Paths;
use crate::protocol::{EntryKind, NewEntry, Stamp};
use crate::seal::part::Prepared;
use crate::store::{Store, StoreError, timestamp};

#[derive(Debug, Clone, thiserror::Error)]
pub enum ActError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the cause and who confirmed it are both needed")]
    Incomplete,
    #[error("incident {0} already has its technical act")]
    AlreadyDrawnUp(i64),
    #[error("there is no incident {0}")]
    NoSuchIncident(i64),
    #[error("cannot write {path}: {message}")]
    Write { path: String, message: String },
}

impl crate::problem::Problem for ActError {
    fn title(&self) -> String {
        match self {
            ActError::Store(error) => error.title(),
            ActError::Incomplete => crate::tr!("act-incomplete"),
            ActError::AlreadyDrawnUp(_) => crate::tr!("act-already"),
            ActError::NoSuchIncident(number) => crate::tr!("act-no-incident", number = number),
            ActError::Write { .. } => crate::tr!("act-write-failed"),
        }
    }

    fn help(&self) -> String {
        match self {
            ActError::Store(error) => error.help(),
            ActError::Incomplete => crate::tr!("act-incomplete-help"),
            ActError::AlreadyDrawnUp(_) => crate::tr!("act-already-help"),
            ActError::NoSuchIncident(_) => crate::tr!("act-no-incident-help"),
            ActError::Write { .. } => crate::tr!("data-folder-help"),
        }
    }
}

/// What drawing up an act did: the act, and the seal to write anew (the latest ended part
/// of the session, now holding the act), if the session has one.
pub struct DrawnUp {
    pub act: TechnicalAct,
    pub reseal: Option<Result<Prepared, crate::seal::SealError>>,
}

/// Draws up the act for incident `incident_id`: kept with the incident, entered in the
/// protocol (the session may be closed: it is an attachment, like an addendum), its page
/// written beside the latest part's protocol. The caller seals `reseal`.
pub fn draw_up(
    store: &mut Store,
    paths: &Paths,
    incident_id: i64,
    cause: &str,
    confirmed_by: &str,
    drawn_up_by: &str,
    zone: FixedOffset,
) -> Result<DrawnUp, ActError> {
    let (cause, confirmed_by) = (cause.trim(), confirmed_by.trim());
    if cause.is_empty() || confirmed_by.is_empty() {
        return Err(ActError::Incomplete);
    }
    let incident = match store.incident(incident_id) {
        Err(StoreError::Sql(error)) if matches!(*error, rusqlite::Error::QueryReturnedNoRows) => {
            return Err(ActError::NoSuchIncident(incident_id));
        }
        found => found?,
    };
    if incident.technical_act.is_some() {
        return Err(ActError::AlreadyDrawnUp(incident_id));
    }
    let session_id = incident.session_id.unwrap_or_default();
    let session = store.session(session_id)?;
    let part = incident.part_id.map(|id| store.part(id)).transpose()?;
    let act = TechnicalAct {
        incident_id,
        court: session.court.clone(),
        hall: session.hall.clone(),
        case_number: session.case_number.clone(),
        session_id,
        part: part.as_ref().map(|p| p.number),
        kind: incident.kind.clone(),
        input_name: incident.input_name.clone(),
        started_at: incident.started_at.clone(),
        ended_at: incident.ended_at.clone(),
        details: incident.details.clone(),
        cause: cause.to_owned(),
        confirmed_by: confirmed_by.to_owned(),
        drawn_up_by: drawn_up_by.trim().to_owned(),
        drawn_up_at: timestamp(Utc::now()),
    };
    // At the incident's moment in the recording.
    let started = incident.started().unwrap_or_else(Utc::now);
    let recording = part
        .as_ref()
        .and_then(|part| Some((part.id, part.first_media_at()?)));
    let entry = NewEntry {
        session_id,
        stamp: Stamp::at(started, recording),
        kind: EntryKind::TechnicalAct,
        speaker_id: None,
        text: act.text(zone),
    };
    let act_json = serde_json::to_string(&act).expect("an act serializes");
    // The signed event for the court server goes with the act, or neither does.
    let event = crate::delivery::events::Event::now(
        &act.court,
        &act.case_number,
        &act.hall,
        &act.drawn_up_by,
        crate::delivery::events::What::TechnicalAct(crate::delivery::events::ActDrawnUp {
            session_uid: session.uid.clone(),
            act: act.clone(),
        }),
    );
    let attached = store.all_or_nothing(|store| {
        let attached = store.attach_act(incident_id, &act_json, &entry, drawn_up_by)?;
        if attached.is_some() {
            store.queue(part.as_ref().map(|p| p.id), &[event.row(&session.instance)])?;
        }
        Ok::<_, StoreError>(attached)
    })?;
    if attached.is_none() {
        return Err(ActError::AlreadyDrawnUp(incident_id));
    }
    // The page goes beside the protocol of the part the seal is written for: the latest.
    let parts = store.parts_of(session_id)?;
    let last = parts.iter().rev().find(|p| !p.state.is_unfinished());
    if let Some(last) = last {
        let path = paths.sessions().join(&last.folder).join(act.file_name());
        crate::paths::write_atomically(&path, act.page(zone).as_bytes()).map_err(|error| {
            ActError::Write {
                path: path.display().to_string(),
                message: error.to_string(),
            }
        })?;
    }
    let reseal = last.map(|part| crate::seal::part::prepare(store, paths, part.id, zone));
    Ok(DrawnUp { act, reseal })
}
