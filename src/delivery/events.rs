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

use futures_util::StreamExt;
use object_store::{ObjectStoreExt, PutPayload};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::upload::{Remote, Target, object_path, open, opened, runtime};
use super::{SERVER, Sent};
use crate::digest::hex;
use crate::store::NewOutbox;

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

/// Signs `event`: its JSON and a minisign signature whose trusted comment is the event's
/// name, so signing it again (a retry) gives the same bytes (Ed25519 is deterministic).
pub fn sign(
    event: &Event,
    sealer: &crate::seal::Sealer,
) -> Result<(String, String), crate::seal::SealError> {
    let json = event.json();
    let name = event.name();
    let signature = sealer.sign(
        &format!("event {name}"),
        json.as_bytes(),
        "signature from the court's key",
        &format!("hattama-event {name}"),
    )?;
    Ok((json, signature))
}

/// Signs `event` with `sealer` and puts it on `target` now (the archivist's desk, which
/// has no outbox); what the server said.
pub fn record(
    event: &Event,
    sealer: &crate::seal::Sealer,
    target: Target<'_>,
) -> Result<String, String> {
    let signed = sign(event, sealer).map_err(|error| error.to_string())?;
    match put_both(target, event, &signed) {
        Sent::Delivered(receipt) => Ok(receipt),
        Sent::Retry { error, .. } | Sent::Refused(error) => Err(error),
        Sent::NotConfigured => Err(format!("{}: not configured", target.name)),
    }
}

/// One attempt at an event row: signed with the courtroom's key as the configuration says,
/// put on the server of its instance.
pub fn send(
    row: &crate::store::OutboxRow,
    paths: &crate::paths::Paths,
    config: &crate::config::Delivery,
) -> Sent {
    let queued: Queued = match serde_json::from_str(&row.payload) {
        Ok(queued) => queued,
        Err(error) => return Sent::Refused(format!("a damaged event row: {error}")),
    };
    let target = config.server_for(&queued.instance);
    if target.url.is_empty() {
        return Sent::NotConfigured;
    }
    let loaded = crate::config::Config::load_for(paths, false).unwrap_or_default();
    let signed =
        crate::seal::Sealer::open(paths, &loaded).and_then(|sealer| sign(&queued.event, &sealer));
    match signed {
        Ok(signed) => put_both(target, &queued.event, &signed),
        Err(error) => Sent::Retry {
            error: format!("the event is not signed yet: {error}"),
            after: None,
        },
    }
}

/// Puts the event under its case, then in the court's feed.
fn put_both(target: Target<'_>, event: &Event, signed: &(String, String)) -> Sent {
    match put(target, &event.name(), signed) {
        Sent::Delivered(receipt) => {
            let sent = crate::store::timestamp(chrono::Utc::now());
            match put(target, &event.feed_name(&sent), signed) {
                Sent::Delivered(_) => Sent::Delivered(receipt),
                other => other,
            }
        }
        other => other,
    }
}

/// Puts the signature, then the event; a name already there is left as it is when it holds
/// the same bytes and refused when it holds others.
fn put(target: Target<'_>, name: &str, (json, signature): &(String, String)) -> Sent {
    let (remote, runtime) = match opened(target) {
        Ok(opened) => opened,
        Err(sent) => return sent,
    };
    let signature_name = format!("{name}.minisig");
    runtime.block_on(async {
        for (name, bytes) in [(&signature_name, signature), (&name.to_owned(), json)] {
            let path = match object_path(&remote.prefix, "", name) {
                Ok(path) => path,
                Err(error) => return Sent::Refused(error),
            };
            match remote.store.get(&path).await {
                Ok(there) => match there.bytes().await {
                    Ok(there) if there.as_ref() == bytes.as_bytes() => continue,
                    Ok(_) => {
                        return Sent::Refused(format!(
                            "{path}: the server holds other bytes under this name; an event \
                             is never rewritten"
                        ));
                    }
                    Err(error) => {
                        return Sent::Retry {
                            error: format!("{path}: {error}"),
                            after: None,
                        };
                    }
                },
                Err(object_store::Error::NotFound { .. }) => {}
                Err(error) => {
                    return Sent::Retry {
                        error: format!("{path}: {error}"),
                        after: None,
                    };
                }
            }
            if let Err(error) = remote
                .store
                .put(&path, PutPayload::from(bytes.clone().into_bytes()))
                .await
            {
                return Sent::Retry {
                    error: format!("{path}: {error}"),
                    after: None,
                };
            }
        }
        Sent::Delivered(format!("{}/{name}", target.url.trim_end_matches('/')))
    })
}

/// Copies the event at `name` (relative to the prefix) from one server to another, checked
/// against its signature by a key `trusted` holds before it is put.
pub fn copy(
    from: Target<'_>,
    to: Target<'_>,
    trusted: &crate::seal::Trust,
    name: &str,
) -> Result<(), String> {
    let remote = open(from)?;
    let fetched = runtime()?.block_on(async {
        let text =
            |bytes: Vec<u8>| String::from_utf8(bytes).map_err(|_| format!("{name}: not text"));
        let json = text(fetch(&remote, name).await?)?;
        let signature = text(fetch(&remote, &format!("{name}.minisig")).await?)?;
        Ok::<_, String>((json, signature))
    })?;
    crate::seal::minisig::verify(trusted, fetched.0.as_bytes(), &fetched.1)
        .map_err(|error| format!("its signature: {error}: not copied"))?;
    match put(to, name, &fetched) {
        Sent::Delivered(_) => Ok(()),
        Sent::Retry { error, .. } | Sent::Refused(error) => Err(error),
        Sent::NotConfigured => Err(format!("{}: not configured", to.name)),
    }
}

/// One event object as read from the server: the event, or why it is not taken for one.
#[derive(Debug, Clone, Serialize)]
pub struct Read {
    pub name: String,
    pub event: Result<Event, String>,
    /// Who signed it, as its signature's trusted key says.
    pub signed: Option<String>,
}

/// Every event of a case on `target`, each checked: signed by a key `trusted` holds, of the
/// court and case whose folder it is in. Events in time order.
pub fn case_events(
    target: Target<'_>,
    court: &str,
    case_number: &str,
    trusted: &crate::seal::Trust,
) -> Result<CaseRecord, String> {
    let remote = open(target)?;
    runtime()?.block_on(read_case(&remote, court, case_number, trusted))
}

/// [`case_events`] on an opened target.
pub async fn read_case(
    remote: &Remote,
    court: &str,
    case_number: &str,
    trusted: &crate::seal::Trust,
) -> Result<CaseRecord, String> {
    let folder = format!("{}/{FOLDER}", super::case_prefix(court, case_number));
    let base = object_path(&remote.prefix, &folder, "").map_err(|e| e.to_string())?;
    let mut names = std::collections::BTreeSet::new();
    let mut listed = remote.store.list(Some(&base));
    while let Some(meta) = listed.next().await {
        let meta = meta.map_err(|e| format!("{base}: {e}"))?;
        names.insert(meta.location.to_string());
    }
    let events: Vec<String> = names
        .iter()
        .filter(|name| name.ends_with(".json"))
        .cloned()
        .collect();
    let mut read: Vec<Read> = futures_util::stream::iter(events)
        .map(|name| {
            let signed = names.contains(&format!("{name}.minisig"));
            read_one(remote, name, signed, court, case_number, trusted)
        })
        .buffer_unordered(16)
        .collect()
        .await;
    read.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(CaseRecord {
        court: court.to_owned(),
        case_number: case_number.to_owned(),
        events: read,
    })
}

async fn read_one(
    remote: &Remote,
    name: String,
    signed: bool,
    court: &str,
    case_number: &str,
    trusted: &crate::seal::Trust,
) -> Read {
    let checked = async {
        if !signed {
            return Err("no signature beside it".to_owned());
        }
        let (event, comment) = fetch_checked(remote, &name, trusted).await?;
        if event.court != court || event.case_number != case_number {
            return Err(format!(
                "an event of case {} of {}, found under case {case_number} of {court}",
                event.case_number, event.court
            ));
        }
        Ok((event, comment))
    };
    match checked.await {
        Ok((event, comment)) => Read {
            name,
            event: Ok(event),
            signed: Some(comment),
        },
        Err(why) => Read {
            name,
            event: Err(why),
            signed: None,
        },
    }
}

/// The event at `name` (its whole name in the store) with its signature's trusted comment,
/// when a key `trusted` holds signed it.
pub(super) async fn fetch_checked(
    remote: &Remote,
    name: &str,
    trusted: &crate::seal::Trust,
) -> Result<(Event, String), String> {
    let bytes = fetch_whole(remote, name).await?;
    let signature = fetch_whole(remote, &format!("{name}.minisig")).await?;
    let signature =
        String::from_utf8(signature).map_err(|_| "its signature is not text".to_owned())?;
    let comment = crate::seal::minisig::verify(trusted, &bytes, &signature)
        .map_err(|error| format!("its signature: {error}"))?;
    let event: Event =
        serde_json::from_slice(&bytes).map_err(|error| format!("not an event: {error}"))?;
    Ok((event, comment))
}

/// An event object's bytes, `name` relative to the prefix.
async fn fetch(remote: &Remote, name: &str) -> Result<Vec<u8>, String> {
    let path = object_path(&remote.prefix, "", name)?;
    fetch_whole(remote, path.as_ref()).await
}

/// An event object's bytes, `path` its whole name in the store; refused when it is larger
/// than any event.
async fn fetch_whole(remote: &Remote, path: &str) -> Result<Vec<u8>, String> {
    let path = object_store::path::Path::parse(path).map_err(|e| e.to_string())?;
    let got = remote
        .store
        .get(&path)
        .await
        .map_err(|e| format!("{path}: {e}"))?;
    if got.meta.size > EVENT_LIMIT {
        return Err(format!(
            "{path}: {} bytes: no event is that large",
            got.meta.size
        ));
    }
    got.bytes()
        .await
        .map(|bytes| bytes.to_vec())
        .map_err(|e| format!("{path}: {e}"))
}

/// A case as its events on the server say it stands.
#[derive(Debug, Clone, Serialize)]
pub struct CaseRecord {
    pub court: String,
    pub case_number: String,
    pub events: Vec<Read>,
}

impl CaseRecord {
    /// The events that are whole and signed, in time order.
    pub fn events(&self) -> impl Iterator<Item = &Event> {
        self.events
            .iter()
            .filter_map(|read| read.event.as_ref().ok())
    }

    /// The events not taken for one (unsigned, forged, misplaced), with why.
    pub fn refused(&self) -> impl Iterator<Item = (&str, &str)> {
        self.events.iter().filter_map(|read| match &read.event {
            Err(why) => Some((read.name.as_str(), why.as_str())),
            Ok(_) => None,
        })
    }

    /// Every disc made for the case, once each (by contents), in the order made.
    pub fn discs(&self) -> Vec<(&Event, &DiscMade)> {
        self.each(
            |what| match what {
                What::DiscMade(disc) => Some(disc),
                _ => None,
            },
            |disc| disc.contents_sha256.clone(),
        )
    }

    /// Every part on the server, once each (by folder).
    pub fn parts(&self) -> Vec<(&Event, &PartUploaded)> {
        self.each(
            |what| match what {
                What::PartUploaded(part) => Some(part),
                _ => None,
            },
            |part| part.folder.clone(),
        )
    }

    /// The latest hand-over of the disc whose contents hash is `contents`.
    pub fn handed(&self, contents: &str) -> Option<(&Event, &DiscHanded)> {
        self.events()
            .filter_map(|event| match &event.what {
                What::DiscHanded(handed) if handed.contents_sha256 == contents => {
                    Some((event, handed))
                }
                _ => None,
            })
            .last()
    }

    /// The events `pick` takes, the first of each `key` (a fact told twice counts once).
    fn each<'a, T>(
        &'a self,
        pick: impl Fn(&'a What) -> Option<&'a T>,
        key: impl Fn(&T) -> String,
    ) -> Vec<(&'a Event, &'a T)> {
        let mut seen = std::collections::BTreeSet::new();
        self.events()
            .filter_map(|event| Some((event, pick(&event.what)?)))
            .filter(|(_, found)| seen.insert(key(found)))
            .collect()
    }

    /// The latest acceptance, if the archivist accepted the case.
    pub fn accepted(&self) -> Option<(&Event, &CaseAccepted)> {
        self.events()
            .filter_map(|event| match &event.what {
                What::CaseAccepted(accepted) => Some((event, accepted)),
                _ => None,
            })
            .last()
    }
}
