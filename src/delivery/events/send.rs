//! An event sent: signed by the courtroom key (through the signing service where there is
//! one), its signature put first and then its JSON, under a name no other bytes may hold.

use object_store::{ObjectStoreExt, PutPayload};

use crate::delivery::Sent;
use crate::delivery::upload::{Target, object_path, opened};

use super::{Event, Queued};

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
) -> Result<String, RecordError> {
    let signed = sign(event, sealer)?;
    Ok(put_both(target, event, &signed).into_result(target)?)
}

/// Why an event was not recorded on the server.
#[derive(Debug, Clone, thiserror::Error)]
pub enum RecordError {
    #[error(transparent)]
    Sign(#[from] crate::seal::SealError),
    #[error(transparent)]
    Put(#[from] crate::delivery::upload::RemoteError),
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
pub(super) fn put(target: Target<'_>, name: &str, (json, signature): &(String, String)) -> Sent {
    let (remote, runtime) = match opened(target) {
        Ok(opened) => opened,
        Err(sent) => return sent,
    };
    let signature_name = format!("{name}.minisig");
    runtime.block_on(async {
        for (name, bytes) in [(&signature_name, signature), (&name.to_owned(), json)] {
            let path = match object_path(&remote.prefix, "", name) {
                Ok(path) => path,
                Err(error) => return Sent::Refused(error.to_string()),
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
