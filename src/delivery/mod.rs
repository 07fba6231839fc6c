//! Delivery to other systems (rules 9, 19): the short protocol to ҚР СО БААТЖ, over HTTPS
//! or into a drop folder. What is to be sent is an outbox row queued with the seal that
//! causes it (`crate::seal::outbox`); `deliver_due` sends what is due and records each outcome:
//! delivered (with the receiver's receipt), retrying (next attempt at, last error) with
//! exponential backoff and jitter that honours `Retry-After`, or failed when the receiver
//! refuses it for good, for a person to look at. The contract a receiver implements is in
//! `docs/baatzh.md`; `receiver` is a reference receiver tests run for real.

pub mod cases;
pub mod events;
pub mod mirror;
pub mod notify;
pub mod receiver;
pub mod replica;
pub mod status;
pub mod upload;

use std::path::Path;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::config::Delivery;
use crate::paths::Paths;
pub use crate::seal::outbox::{
    ARCHIVE, BAATZH, PROTOCOL, ProtocolPayload, REPLICA, SERVER, UPLOAD, case_prefix, outbox_rows,
    server_folder, upload_row,
};
use crate::store::{OutboxRow, Store, StoreError};

/// The header carrying the idempotency key.
pub const IDEMPOTENCY_HEADER: &str = "Idempotency-Key";
/// The longest wait between attempts.
const MAX_BACKOFF: Duration = Duration::from_secs(3600);

/// How one attempt ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sent {
    /// Received (or received before: the key was known). The receiver's receipt.
    Delivered(String),
    /// Not now: try again, not before `after` when the receiver said so.
    Retry {
        error: String,
        after: Option<Duration>,
    },
    /// Refused for good: a person must look.
    Refused(String),
    /// Nowhere to send it: the target is not configured. Left pending.
    NotConfigured,
}

impl Sent {
    /// What was put and the server's receipt, or why not, for a put made while a person
    /// waits (not from the outbox, which tries again).
    pub(crate) fn into_result(
        self,
        target: upload::Target<'_>,
    ) -> Result<String, upload::RemoteError> {
        match self {
            Self::Delivered(receipt) => Ok(receipt),
            Self::Retry { error, .. } | Self::Refused(error) => {
                Err(upload::RemoteError::NotPut(error))
            }
            Self::NotConfigured => Err(upload::RemoteError::NotConfigured(target.name.to_owned())),
        }
    }
}

/// The wait before attempt `attempts + 1`: `base` doubled per failure, at most an hour,
/// spread by `jitter` (0..1) over ±25 % so many workstations do not retry together.
pub fn backoff(attempts: u32, base: Duration, jitter: f64) -> Duration {
    let doubled = base.saturating_mul(1u32 << attempts.min(20));
    let wait = doubled.min(MAX_BACKOFF);
    wait.mul_f64(0.75 + 0.5 * jitter.clamp(0.0, 1.0))
}

/// Jitter from the system's random source (a constant when it has none).
fn jitter() -> f64 {
    let mut bytes = [0u8; 4];
    match getrandom::fill(&mut bytes) {
        Ok(()) => f64::from(u32::from_le_bytes(bytes)) / f64::from(u32::MAX),
        Err(_) => 0.5,
    }
}

/// What a pass over the outbox did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Pass {
    pub delivered: usize,
    pub retrying: usize,
    pub failed: usize,
    pub not_configured: usize,
    /// Another process (the window, `hattama deliver`, the hall-status timer) was delivering
    /// from the same data folder: this pass sent nothing.
    pub busy: bool,
}

/// Whether this process may deliver from a data folder now (see [`exclusive`]).
#[derive(Debug)]
pub enum Turn {
    /// Ours while the lock file is open.
    Held(std::fs::File),
    /// The lock file could not be made or locked: delivered from without one.
    Unlocked,
    /// Another process is delivering from the folder.
    Busy,
}

/// The right to deliver from `paths`' data folder: two processes would send the same rows
/// and write the same upload journals.
pub fn exclusive(paths: &Paths) -> Turn {
    let opened = crate::paths::create_folder_all(&paths.data).and_then(|()| {
        std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(paths.data.join("delivery.lock"))
    });
    let file = match opened {
        Ok(file) => file,
        Err(error) => {
            tracing::warn!("delivery lock: {error}");
            return Turn::Unlocked;
        }
    };
    match rustix::fs::flock(&file, rustix::fs::FlockOperation::NonBlockingLockExclusive) {
        Ok(()) => Turn::Held(file),
        Err(rustix::io::Errno::WOULDBLOCK) => Turn::Busy,
        Err(error) => {
            tracing::warn!("delivery lock: {error}");
            Turn::Unlocked
        }
    }
}

/// Sends every due row once and records how each attempt ended; nothing when another
/// process is delivering from the same data folder.
pub fn deliver_due(
    store: &Store,
    paths: &Paths,
    config: &Delivery,
    now: DateTime<Utc>,
) -> Result<Pass, StoreError> {
    let mut pass = Pass::default();
    let _turn = match exclusive(paths) {
        Turn::Busy => {
            pass.busy = true;
            return Ok(pass);
        }
        turn => turn,
    };
    for row in store.outbox_due(now)? {
        match send(&row, paths, config) {
            Sent::Delivered(receipt) => {
                let then = (row.kind == UPLOAD && row.target == SERVER)
                    .then(|| events::part_uploaded(paths, &row.payload))
                    .flatten()
                    .map(|(event, instance)| event.row(&instance));
                store.outbox_delivered_then(row.id, &receipt, then.as_ref())?;
                pass.delivered += 1;
            }
            Sent::Retry { error, after } => {
                let base = Duration::from_millis(config.retry_base_ms);
                let wait =
                    backoff(row.attempts as u32, base, jitter()).max(after.unwrap_or_default());
                let next = Utc::now() + chrono::Duration::from_std(wait).unwrap_or_default();
                tracing::warn!("{} {}: {error}; next attempt at {next}", row.kind, row.id);
                store.outbox_retry(row.id, next, &error)?;
                pass.retrying += 1;
            }
            Sent::Refused(error) => {
                tracing::error!("{} {} refused: {error}", row.kind, row.id);
                store.outbox_failed(row.id, &error)?;
                pass.failed += 1;
            }
            Sent::NotConfigured => pass.not_configured += 1,
        }
    }
    Ok(pass)
}

/// The delivery worker inside the window's process: a thread of its own, with its own
/// database connection, sending what is queued the moment it is (the outbox's bell, `wake`)
/// and what falls due about every second, with the
/// configuration as it is on disk at each pass (Settings may change it). Stops when dropped.
#[derive(Debug)]
pub struct Worker {
    _job: Option<crate::periodic::Periodic>,
}

impl Worker {
    pub fn spawn(paths: Paths) -> Worker {
        let mut store = match Store::open(&paths.database()) {
            Ok(store) => store,
            Err(error) => {
                tracing::error!("delivery: {error}");
                return Worker { _job: None };
            }
        };
        let mut replicated_on = None;
        let bell = crate::wake::Bell::bind(&paths.data);
        let every = Duration::from_secs(1);
        let job = crate::periodic::Periodic::spawn_with_bell("delivery", every, bell, move || {
            let store = &mut store;
            let loaded = crate::config::Config::load_for(&paths, false).unwrap_or_default();
            let config = loaded.delivery.clone();
            // The day's copy to the replica, once the configured time has come.
            let now = Utc::now().with_timezone(&loaded.court.time_zone());
            let due = chrono::NaiveTime::parse_from_str(&config.replicate_at, "%H:%M")
                .is_ok_and(|at| now.time() >= at);
            if !config.replica.is_empty() && due && replicated_on != Some(now.date_naive()) {
                let trusted = crate::seal::trusted_keys(&paths);
                match replica::queue_replication(store, &paths, &trusted, &config) {
                    Ok(queued) => {
                        tracing::info!("replica: {queued} parts queued");
                        replicated_on = Some(now.date_naive());
                    }
                    Err(error) => tracing::error!("replica: {error}"),
                }
            }
            if let Err(error) = status::publish_if_due(store, &loaded, Utc::now()) {
                tracing::error!("hall status: {error}");
            }
            if let Err(error) = deliver_due(store, &paths, &config, Utc::now()) {
                tracing::error!("delivery: {error}");
            }
        });
        Worker { _job: Some(job) }
    }
}

/// One attempt at one row.
pub fn send(row: &OutboxRow, paths: &Paths, config: &Delivery) -> Sent {
    match (row.kind.as_str(), row.target.as_str()) {
        (UPLOAD, REPLICA) if config.replica.is_empty() => Sent::NotConfigured,
        (UPLOAD, ARCHIVE) if config.archive.is_empty() => Sent::NotConfigured,
        (UPLOAD, SERVER | REPLICA | ARCHIVE) => {
            match serde_json::from_str::<upload::UploadPayload>(&row.payload) {
                Ok(payload) => {
                    let target = match row.target.as_str() {
                        SERVER => config.server_for(&payload.instance),
                        ARCHIVE => config.archive_target(),
                        _ => config.replica_target(),
                    };
                    if target.url.is_empty() {
                        return Sent::NotConfigured;
                    }
                    upload::upload(&payload, &paths.sessions(), &paths.uploads(), target)
                }
                Err(error) => Sent::Refused(format!("a damaged upload row: {error}")),
            }
        }
        (PROTOCOL, BAATZH) => {
            if !config.baatzh_url.is_empty() {
                post(row, &config.baatzh_url, &config.baatzh_token, config)
            } else if !config.baatzh_drop_folder.is_empty() {
                drop_into(row, Path::new(&config.baatzh_drop_folder))
            } else {
                Sent::NotConfigured
            }
        }
        (status::STATUS, status::STATUS) => {
            let target = config.status_target.trim();
            if target.is_empty() {
                Sent::NotConfigured
            } else if target.starts_with("http://") || target.starts_with("https://") {
                post(row, target, "", config)
            } else {
                match crate::paths::write_atomically(Path::new(target), row.payload.as_bytes()) {
                    Ok(()) => Sent::Delivered(target.to_owned()),
                    Err(error) => Sent::Retry {
                        error: format!("{target}: {error}"),
                        after: None,
                    },
                }
            }
        }
        (notify::NOTIFY, _) => notify::send(row, config),
        (events::EVENT, SERVER) => events::send(row, paths, config),
        (kind, target) => Sent::Refused(format!("unknown outbox row {kind} → {target}")),
    }
}

/// `Retry-After` as seconds or an HTTP date.
fn retry_after(value: &str) -> Option<Duration> {
    if let Ok(seconds) = value.trim().parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = DateTime::parse_from_rfc2822(value.trim()).ok()?;
    (at.with_timezone(&Utc) - Utc::now()).to_std().ok()
}

#[derive(Deserialize)]
struct Answer {
    #[serde(default)]
    receipt: String,
    #[serde(default)]
    error: String,
}

/// A client whose attempts take at most `timeout_ms` (connecting at most 10 s of it).
fn http_client(timeout_ms: u64) -> reqwest::Result<reqwest::blocking::Client> {
    reqwest::blocking::Client::builder()
        .timeout(Duration::from_millis(timeout_ms))
        .connect_timeout(Duration::from_millis(timeout_ms.min(10_000)))
        .build()
}

/// How a receiver answered the daily check's probe.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Probed {
    /// It answered as a receiver that would take a delivery does.
    Ready(u16),
    /// It refused the token (401, 403).
    Refused(u16),
    /// Nothing receives at that address (404, 410).
    NotThere(u16),
    /// It is in trouble (5xx).
    Failing(u16),
    /// No answer.
    Unreachable(String),
}

/// Asks a receiver whether it would take a delivery, without delivering anything: a POST of
/// an empty object with the token and no idempotency key (`post`: ҚР СО БААТЖ, which by
/// its contract refuses it with 400 after the token is checked), or a GET (a webhook, a
/// status portal).
pub fn probe(url: &str, token: &str, post: bool, timeout_ms: u64) -> Probed {
    let client = match http_client(timeout_ms) {
        Ok(client) => client,
        Err(error) => return Probed::Unreachable(error.to_string()),
    };
    let mut request = if post {
        client
            .post(url)
            .header("Content-Type", "application/json; charset=utf-8")
            .body("{}")
    } else {
        client.get(url)
    };
    if !token.is_empty() {
        request = request.bearer_auth(token);
    }
    match request.send() {
        Err(error) => Probed::Unreachable(describe(&error)),
        Ok(answer) => match answer.status().as_u16() {
            status @ (401 | 403) => Probed::Refused(status),
            status @ (404 | 410) => Probed::NotThere(status),
            status @ 500.. => Probed::Failing(status),
            status => Probed::Ready(status),
        },
    }
}

/// POSTs the row's payload to `url` (with `token`, if any) as the contract says.
fn post(row: &OutboxRow, url: &str, token: &str, config: &Delivery) -> Sent {
    let client = match http_client(config.timeout_ms) {
        Ok(client) => client,
        Err(error) => return Sent::Refused(format!("no HTTP client: {error}")),
    };
    let mut request = client
        .post(url)
        .header(IDEMPOTENCY_HEADER, &row.idempotency_key)
        .header("Content-Type", "application/json; charset=utf-8")
        .body(row.payload.clone());
    if !token.is_empty() {
        request = request.bearer_auth(token);
    }
    let response = match request.send() {
        Ok(response) => response,
        Err(error) => {
            return Sent::Retry {
                error: describe(&error),
                after: None,
            };
        }
    };
    let status = response.status();
    let after = response
        .headers()
        .get("Retry-After")
        .and_then(|v| v.to_str().ok())
        .and_then(retry_after);
    let body = match response.text() {
        Ok(body) => body,
        Err(error) => {
            return Sent::Retry {
                error: describe(&error),
                after,
            };
        }
    };
    let answer: Option<Answer> = serde_json::from_str(&body).ok();
    let said = answer
        .as_ref()
        .map(|a| a.error.clone())
        .filter(|e| !e.is_empty())
        .unwrap_or_else(|| body.chars().take(200).collect());
    match status.as_u16() {
        // Received now, or received before under the same key.
        200 | 201 | 202 | 409 => Sent::Delivered(
            answer
                .map(|a| a.receipt)
                .filter(|r| !r.is_empty())
                .unwrap_or_else(|| format!("HTTP {status}")),
        ),
        408 | 425 | 429 | 500..=599 => Sent::Retry {
            error: format!("HTTP {status}: {said}"),
            after,
        },
        _ => Sent::Refused(format!("HTTP {status}: {said}")),
    }
}

/// A network error in one line, with its causes.
fn describe(error: &reqwest::Error) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// Writes the payload into the drop folder as `<key>.json` (and the protocol alone as
/// `<key>.txt`), each whole or not at all; a key already there is delivered already.
fn drop_into(row: &OutboxRow, folder: &Path) -> Sent {
    let json = folder.join(format!("{}.json", row.idempotency_key));
    if json.exists() {
        return Sent::Delivered(json.display().to_string());
    }
    let text = serde_json::from_str::<ProtocolPayload>(&row.payload)
        .map(|payload| payload.protocol_text)
        .unwrap_or_default();
    let written = crate::paths::create_folder_all(folder)
        .and_then(|()| {
            crate::paths::write_atomically(
                &folder.join(format!("{}.txt", row.idempotency_key)),
                text.as_bytes(),
            )
        })
        .and_then(|()| crate::paths::write_atomically(&json, row.payload.as_bytes()));
    match written {
        Ok(()) => Sent::Delivered(json.display().to_string()),
        Err(error) => Sent::Retry {
            error: format!("{}: {error}", folder.display()),
            after: None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_double_up_to_an_hour_with_jitter() {
        let base = Duration::from_secs(5);
        assert_eq!(backoff(0, base, 0.5), Duration::from_secs(5));
        assert_eq!(backoff(3, base, 0.5), Duration::from_secs(40));
        assert_eq!(backoff(30, base, 0.5), Duration::from_secs(3600));
        assert_eq!(backoff(1, base, 0.0), Duration::from_millis(7500));
        assert_eq!(backoff(1, base, 1.0), Duration::from_millis(12500));
    }

    #[test]
    fn retry_after_is_seconds_or_a_date() {
        assert_eq!(retry_after("7"), Some(Duration::from_secs(7)));
        let soon = (Utc::now() + chrono::Duration::seconds(30)).to_rfc2822();
        let after = retry_after(&soon).expect("a date");
        assert!((28..=30).contains(&after.as_secs()), "{after:?}");
        assert_eq!(retry_after("soon"), None);
    }

    #[test]
    fn a_session_goes_to_its_instances_server_or_else_to_the_courts() {
        let mut delivery = crate::config::Delivery {
            server: "s3://court/recordings".to_owned(),
            ..Default::default()
        };
        for instance in ["first", "appellate", "cassation", "supervisory", ""] {
            assert_eq!(delivery.server_for(instance).url, "s3://court/recordings");
        }
        delivery.cassation.server = "s3://region/recordings".to_owned();
        delivery.supervisory.server = "file:///mnt/supreme".to_owned();
        delivery.supervisory.region = "kz-1".to_owned();
        assert_eq!(delivery.server_for("first").url, "s3://court/recordings");
        assert_eq!(
            delivery.server_for("appellate").url,
            "s3://court/recordings"
        );
        let cassation = delivery.server_for("cassation");
        assert_eq!(
            (cassation.url, cassation.region),
            ("s3://region/recordings", "us-east-1")
        );
        let supervisory = delivery.server_for("supervisory");
        assert_eq!(
            (supervisory.url, supervisory.region),
            ("file:///mnt/supreme", "kz-1")
        );
    }
}
