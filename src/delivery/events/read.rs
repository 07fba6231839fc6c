//! A case's events read back from a server, each held to its signature by a trusted key, and
//! what they say together (`CaseRecord`); an event copied from one server to another.

use futures_util::StreamExt;
use object_store::ObjectStoreExt;
use serde::Serialize;

use crate::delivery::upload::{Remote, RemoteError, Target, object_path, open, runtime};

use super::send::put;
use super::{CaseAccepted, DiscHanded, DiscMade, EVENT_LIMIT, Event, FOLDER, PartUploaded, What};

/// Copies the event at `name` (relative to the prefix) from one server to another, checked
/// against its signature by a key `trusted` holds before it is put.
pub fn copy(
    from: Target<'_>,
    to: Target<'_>,
    trusted: &crate::seal::Trust,
    name: &str,
) -> Result<(), RemoteError> {
    let remote = open(from)?;
    let fetched = runtime()?.block_on(async {
        let text = |bytes: Vec<u8>| {
            String::from_utf8(bytes).map_err(|_| RemoteError::NotText(name.to_owned()))
        };
        let json = text(fetch(&remote, name).await?)?;
        let signature = text(fetch(&remote, &format!("{name}.minisig")).await?)?;
        Ok::<_, RemoteError>((json, signature))
    })?;
    crate::seal::minisig::verify(trusted, fetched.0.as_bytes(), &fetched.1)
        .map_err(|error| RemoteError::NotCopied(Box::new(RemoteError::Signature(error))))?;
    put(to, name, &fetched).into_result(to).map(|_| ())
}

/// One event object as read from the server: the event, or why it is not taken for one.
#[derive(Debug, Clone, Serialize)]
pub struct Read {
    pub name: String,
    #[serde(serialize_with = "crate::problem::in_words")]
    pub event: Result<Event, RemoteError>,
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
) -> Result<CaseRecord, RemoteError> {
    let remote = open(target)?;
    runtime()?.block_on(read_case(&remote, court, case_number, trusted))
}

/// [`case_events`] on an opened target.
pub async fn read_case(
    remote: &Remote,
    court: &str,
    case_number: &str,
    trusted: &crate::seal::Trust,
) -> Result<CaseRecord, RemoteError> {
    let folder = format!(
        "{}/{FOLDER}",
        crate::delivery::case_prefix(court, case_number)
    );
    let base = object_path(&remote.prefix, &folder, "")?;
    let mut names = std::collections::BTreeSet::new();
    let mut listed = remote.store.list(Some(&base));
    while let Some(meta) = listed.next().await {
        let meta = meta.map_err(RemoteError::store(&base))?;
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
            return Err(RemoteError::Unsigned);
        }
        let (event, comment) = fetch_checked(remote, &name, trusted).await?;
        if event.court != court || event.case_number != case_number {
            return Err(RemoteError::Elsewhere {
                found_case: event.case_number,
                found_court: event.court,
                case_number: case_number.to_owned(),
                court: court.to_owned(),
            });
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
pub(in crate::delivery) async fn fetch_checked(
    remote: &Remote,
    name: &str,
    trusted: &crate::seal::Trust,
) -> Result<(Event, String), RemoteError> {
    let bytes = fetch_whole(remote, name).await?;
    let signature = fetch_whole(remote, &format!("{name}.minisig")).await?;
    let signature = String::from_utf8(signature)
        .map_err(|_| RemoteError::NotText("its signature".to_owned()))?;
    let comment = crate::seal::minisig::verify(trusted, &bytes, &signature)
        .map_err(RemoteError::Signature)?;
    let event: Event = serde_json::from_slice(&bytes)
        .map_err(|error| RemoteError::NotAnEvent(error.to_string()))?;
    Ok((event, comment))
}

/// An event object's bytes, `name` relative to the prefix.
async fn fetch(remote: &Remote, name: &str) -> Result<Vec<u8>, RemoteError> {
    let path = object_path(&remote.prefix, "", name)?;
    fetch_whole(remote, path.as_ref()).await
}

/// An event object's bytes, `path` its whole name in the store; refused when it is larger
/// than any event.
async fn fetch_whole(remote: &Remote, path: &str) -> Result<Vec<u8>, RemoteError> {
    let path = object_store::path::Path::parse(path).map_err(RemoteError::path)?;
    let got = remote
        .store
        .get(&path)
        .await
        .map_err(RemoteError::store(&path))?;
    if got.meta.size > EVENT_LIMIT {
        return Err(RemoteError::TooLarge {
            path: path.to_string(),
            size: got.meta.size,
        });
    }
    got.bytes()
        .await
        .map(|bytes| bytes.to_vec())
        .map_err(RemoteError::store(&path))
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
    pub fn refused(&self) -> impl Iterator<Item = (&str, &RemoteError)> {
        self.events.iter().filter_map(|read| match &read.event {
            Err(why) => Some((read.name.as_str(), why)),
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
    pub(super) fn each<'a, T>(
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
