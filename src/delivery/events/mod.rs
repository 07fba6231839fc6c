//! A case's record on the court server beside its recordings: append-only, signed event
//! objects for everything that is not a recording — a part uploaded, a disc made, a disc
//! handed to the archivist, a case accepted, a technical act.
//!
//! ```text
//!  <prefix>/<court>/<case>/<session>/<part>/…                  the parts, as sealed
//!  <prefix>/<court>/<case>/events/<time>-<kind>-<hash>.json     one event
//!  <prefix>/<court>/<case>/events/<time>-<kind>-<hash>.json.minisig
//! ```
//!
//! An event is named by its own SHA-256 and signed by the courtroom key (through the
//! signing service where there is one); its signature goes up first, so an event found is
//! always found signed. No object is ever rewritten: a name already there holding other
//! bytes is refused, so two workstations can never overwrite each other, and a case's state
//! is what its events say ([`CaseRecord`]), read by anyone with access to the server and
//! the court's public keys, without a secretary's database.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::SERVER;
use crate::digest::hex;
use crate::store::NewOutbox;

mod read;
mod send;

pub(super) use read::fetch_checked;
pub use read::{CaseRecord, Read, case_events, copy};
pub use send::{RecordError, record, send, sign};

/// The event's format, in every event.
pub const FORMAT: &str = "hattama-event/1";
/// The outbox kind of an event waiting to go up.
pub const EVENT: &str = "event";
/// The folder of a case's events, under the case's prefix.
pub const FOLDER: &str = "events";
/// An event is a few hundred bytes; a disc's holds its parts' names. 1 MiB is far beyond any.
const EVENT_LIMIT: u64 = 1 << 20;

/// One fact of a case, as it goes on the server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub format: String,
    pub court: String,
    pub case_number: String,
    /// The courtroom it happened in (empty at the archivist's desk).
    #[serde(default)]
    pub hall: String,
    /// Who: the secretary, the archivist.
    pub by: String,
    /// When (RFC 3339, UTC).
    pub at: String,
    #[serde(flatten)]
    pub what: What,
}

/// What happened.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum What {
    PartUploaded(PartUploaded),
    DiscMade(DiscMade),
    DiscHanded(DiscHanded),
    CaseAccepted(CaseAccepted),
    TechnicalAct(ActDrawnUp),
}

impl What {
    pub fn kind(&self) -> &'static str {
        match self {
            What::PartUploaded(_) => "part-uploaded",
            What::DiscMade(_) => "disc-made",
            What::DiscHanded(_) => "disc-handed",
            What::CaseAccepted(_) => "case-accepted",
            What::TechnicalAct(_) => "technical-act",
        }
    }
}

/// A sealed part is on the server, whole (every file read back and hashed there).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartUploaded {
    pub session_uid: String,
    /// The session's number on its workstation, as the protocol shows it.
    pub session_id: i64,
    pub part: i64,
    pub instance: String,
    /// The part's folder on the server, relative to its prefix.
    pub folder: String,
    /// SHA-256 of its `manifest.json`: the seal it went up under.
    pub manifest_sha256: String,
    pub duration_ms: Option<i64>,
    pub bytes: u64,
    /// What the judge's list searches by: the presiding judge, the participants' names, the
    /// category and when the session opened.
    pub judge: String,
    pub participants: Vec<String>,
    pub category: String,
    pub opened: String,
}

/// A case disc's image was made and entered in the case inventory.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DiscMade {
    pub label: String,
    pub disc: usize,
    pub of: usize,
    pub media: String,
    /// SHA-256 of the disc's `INVENTORY.json`: which disc this is, whatever its copy.
    pub contents_sha256: String,
    pub parts: Vec<String>,
    pub size: u64,
}

/// A disc went from the secretary to the archivist.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DiscHanded {
    pub label: String,
    pub disc: usize,
    pub of: usize,
    pub contents_sha256: String,
    pub to: String,
}

/// The archivist accepted the case's discs (rules 21, 22).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseAccepted {
    /// The discs checked and found whole.
    pub discs: Vec<DiscSeen>,
    /// The discs the events list and the archivist did not get whole: missing, or failing
    /// their check (with why).
    pub missing: Vec<DiscMissing>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DiscSeen {
    pub label: String,
    pub disc: usize,
    pub of: usize,
    pub contents_sha256: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DiscMissing {
    pub label: String,
    pub disc: usize,
    pub of: usize,
    pub contents_sha256: String,
    pub why: String,
}

/// A technical act was drawn up (rule 29).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActDrawnUp {
    pub session_uid: String,
    pub act: crate::incident::act::TechnicalAct,
}

impl Event {
    /// An event of `court` and `case_number` happening now.
    pub fn now(court: &str, case_number: &str, hall: &str, by: &str, what: What) -> Event {
        Event {
            format: FORMAT.to_owned(),
            court: court.to_owned(),
            case_number: case_number.to_owned(),
            hall: hall.to_owned(),
            by: by.to_owned(),
            at: crate::store::timestamp(chrono::Utc::now()),
            what,
        }
    }

    /// Its bytes as signed and stored.
    pub fn json(&self) -> String {
        serde_json::to_string_pretty(self).expect("an event serializes")
    }

    /// Its object's name under the target's prefix.
    pub fn name(&self) -> String {
        let at: String = self
            .at
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect();
        format!(
            "{}/{FOLDER}/{at}-{}-{}.json",
            super::case_prefix(&self.court, &self.case_number),
            self.what.kind(),
            &self.digest()[..16]
        )
    }

    /// SHA-256 of its bytes as signed (hex): what names it and keys its outbox row.
    pub fn digest(&self) -> String {
        hex(&Sha256::digest(self.json().as_bytes()))
    }

    /// Its name in the court's feed, `<court>/events/<day sent>/<sent>-<kind>-<hash>.json`:
    /// the same signed bytes, named by when they were sent (`sent`, RFC 3339, UTC) so a desk
    /// that follows the feed (the judge's list) lists only the days since it last looked and
    /// reads only what arrived since, whatever time the event itself gives (a workstation
    /// offline for a day sends yesterday's events today).
    pub fn feed_name(&self, sent: &str) -> String {
        let day = sent.get(..10).unwrap_or_default();
        let sent: String = sent.chars().filter(char::is_ascii_alphanumeric).collect();
        format!(
            "{}/{FOLDER}/{day}/{sent}-{}-{}.json",
            crate::paths::file_name_part(&self.court),
            self.what.kind(),
            &self.digest()[..16]
        )
    }

    /// The outbox row that puts it on the recording server of `instance` (the court's own
    /// when empty), signed when it is sent.
    pub fn row(&self, instance: &str) -> NewOutbox {
        NewOutbox {
            kind: EVENT.to_owned(),
            target: SERVER.to_owned(),
            idempotency_key: format!("event-{}", &self.digest()[..32]),
            payload: serde_json::to_string(&Queued {
                instance: instance.to_owned(),
                event: self.clone(),
            })
            .expect("an event serializes"),
        }
    }
}

/// The event saying the part an upload row carried is on the server (whole: every file was
/// read back and hashed there), with its instance; from the part's sealed manifest and
/// protocol. `None` for a part whose seal cannot be read here any more.
pub fn part_uploaded(paths: &crate::paths::Paths, payload: &str) -> Option<(Event, String)> {
    use crate::seal::part::PROTOCOL_JSON;
    let payload: super::upload::UploadPayload = serde_json::from_str(payload).ok()?;
    let folder = paths.sessions().join(&payload.folder);
    let (manifest, bytes) = crate::seal::verify::read_manifest(&folder).ok()?;
    let protocol: Option<crate::seal::document::Document> =
        std::fs::read(folder.join(PROTOCOL_JSON))
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok());
    let protocol = protocol.as_ref();
    let text = |pick: fn(&crate::seal::document::Document) -> &str| {
        protocol.map(pick).unwrap_or_default().to_owned()
    };
    let what = What::PartUploaded(PartUploaded {
        session_uid: manifest.identity.session_uid.clone(),
        session_id: manifest.identity.session_id,
        part: manifest.identity.part,
        instance: manifest.identity.instance.clone(),
        folder: payload.remote_folder().to_owned(),
        manifest_sha256: hex(&Sha256::digest(&bytes)),
        duration_ms: manifest.duration_ms,
        bytes: manifest.files.iter().map(|file| file.size).sum(),
        judge: text(|p| &p.judge),
        participants: protocol
            .map(|p| p.participants.iter().map(|p| p.name.clone()).collect())
            .unwrap_or_default(),
        category: text(|p| &p.category),
        opened: text(|p| &p.opened),
    });
    let event = Event::now(
        &manifest.identity.court,
        &manifest.identity.case_number,
        &manifest.identity.hall,
        &text(|p| &p.secretary),
        what,
    );
    Some((event, payload.instance))
}

/// An event row's payload.
#[derive(Debug, Serialize, Deserialize)]
struct Queued {
    #[serde(default)]
    instance: String,
    event: Event,
}
