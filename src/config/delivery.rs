//! `[delivery]`: where what Hattama produces goes, and the addresses checked as they load.

use serde::{Deserialize, Serialize};

use super::InstanceServer;

/// Where what Hattama produces goes (rules 9, 19, 20, 24, 25, 26).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Delivery {
    /// ҚР СО БААТЖ's endpoint for short protocols (HTTPS; `http://` only for a local test
    /// receiver). Empty: not sent over the network.
    pub baatzh_url: String,
    /// The court's token for it (sent as `Authorization: Bearer …`).
    pub baatzh_token: String,
    /// Where a court that integrates by files takes the protocols: each is written into
    /// this folder whole, never half. Empty: none.
    pub baatzh_drop_folder: String,
    /// The first wait before sending again, in milliseconds; it doubles with each failure
    /// (with jitter) up to an hour.
    pub retry_base_ms: u64,
    /// How long one attempt may take, in milliseconds.
    pub timeout_ms: u64,
    /// The recording server every sealed part is uploaded to (rule 20), the one for the
    /// court's instance (rule 26: the court's own, the regional court's for cassation, the
    /// Supreme Court's for supervisory): `file:///srv/hattama` (a local or mounted folder) or
    /// `s3://bucket/prefix` (S3-compatible). Empty: none.
    pub server: String,
    /// For S3: the server's address (`https://s3.court.kz`), keys and region.
    pub server_endpoint: String,
    pub server_access_key: String,
    pub server_secret_key: String,
    pub server_region: String,
    /// Rule 26: the sessions of cassation go to the regional court's recording server, those
    /// of supervision to the Supreme Court's (`[delivery.cassation]`, `[delivery.supervisory]`);
    /// an instance with none configured goes to `server`.
    pub cassation: InstanceServer,
    pub supervisory: InstanceServer,
    /// СҚЭМ, the electronic archive (rule 25): each part's audio-only copy goes there with
    /// its manifest and signature. The same forms as `server`. Empty: none.
    pub archive: String,
    pub archive_endpoint: String,
    pub archive_access_key: String,
    pub archive_secret_key: String,
    /// The regional court's replica every sealed part is copied to each day (rule 24), and
    /// restored from: the same forms as `server`. Empty: none.
    pub replica: String,
    pub replica_endpoint: String,
    pub replica_access_key: String,
    pub replica_secret_key: String,
    /// When the window queues the day's copy to the replica, in the court's time (`HH:MM`).
    pub replicate_at: String,
    /// Where the hall's status (rule 4) is published for the courts' internal portal: a file
    /// path (rewritten whole) or an `http(s)://` URL (POSTed). Empty: not published.
    pub status_target: String,
    /// The status is published on every change and at least this often, in seconds.
    pub status_every_s: u64,
    /// Incidents (rules 27, 28) are POSTed as JSON to this `http(s)://` address (the
    /// courts' portal, a chat bridge). Empty: none.
    pub notify_webhook: String,
    /// The mail server incidents are e-mailed through: `smtp://host:25` (STARTTLS when the
    /// server offers it), `smtp://host:587?tls=required`, `smtps://host:465`. Empty: none.
    pub smtp_server: String,
    pub smtp_user: String,
    pub smtp_password: String,
    /// The sender's address (`hattama-zal-3@sud.kz`).
    pub mail_from: String,
    /// Told at once of every incident (rule 27).
    pub head_of_office: Vec<String>,
    /// Told at once, with the hour left to report the cause to the Department's
    /// coordinator (rule 28).
    pub regional_coordinator: Vec<String>,
    /// The head of the court's office (rule 27).
    pub court_office_head: Vec<String>,
    /// The kinds of incident told (all by default); the others are still kept, written
    /// into the protocol, shown and in the hall's status. A court may leave out
    /// `microphone-silent`, a witness's microphone quiet through a long pause.
    pub notify_kinds: Vec<String>,
    /// Demo recordings (test inputs) are sent nowhere unless this is set (a trial of the
    /// servers); they are then marked `demo` in every payload.
    pub send_demo: bool,
}

/// What an address key may hold.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Address {
    /// `http(s)://` (a receiver, an endpoint, a webhook).
    Web,
    /// `file:///folder` or `s3://bucket/prefix` (a server, the archive, the replica).
    Store,
    /// A file path, or `http(s)://` (the hall's status).
    PathOrWeb,
    /// `smtp://` or `smtps://`.
    Mail,
}

/// Whether `host` is this computer (127.0.0.0/8, ::1, localhost): the one place a secret
/// may travel without TLS.
fn is_loopback(host: &url::Host<&str>) -> bool {
    match host {
        url::Host::Ipv4(address) => address.is_loopback(),
        url::Host::Ipv6(address) => address.is_loopback(),
        url::Host::Domain(name) => name.eq_ignore_ascii_case("localhost"),
    }
}

impl Delivery {
    /// Every address key parsed and its scheme checked, at load: a wrong one is named with
    /// its key, not retried for ever. Plain `http://` (and `smtp://` with a password and
    /// without `tls=required`) only to this computer: a token, S3 keys or a password never
    /// cross a network in clear.
    pub(super) fn validate_addresses(&self) -> Result<(), (&'static str, String)> {
        let keys: [(&'static str, &str, Address); 9] = [
            ("delivery.baatzh_url", &self.baatzh_url, Address::Web),
            ("delivery.server", &self.server, Address::Store),
            (
                "delivery.server_endpoint",
                &self.server_endpoint,
                Address::Web,
            ),
            ("delivery.archive", &self.archive, Address::Store),
            (
                "delivery.archive_endpoint",
                &self.archive_endpoint,
                Address::Web,
            ),
            ("delivery.replica", &self.replica, Address::Store),
            (
                "delivery.replica_endpoint",
                &self.replica_endpoint,
                Address::Web,
            ),
            (
                "delivery.status_target",
                &self.status_target,
                Address::PathOrWeb,
            ),
            (
                "delivery.notify_webhook",
                &self.notify_webhook,
                Address::Web,
            ),
        ];
        for (key, value, kind) in keys {
            check_address(value, kind, false).map_err(|message| (key, message))?;
        }
        for (keys, server) in [
            (
                ["delivery.cassation.server", "delivery.cassation.endpoint"],
                &self.cassation,
            ),
            (
                [
                    "delivery.supervisory.server",
                    "delivery.supervisory.endpoint",
                ],
                &self.supervisory,
            ),
        ] {
            check_address(&server.server, Address::Store, false)
                .map_err(|message| (keys[0], message))?;
            check_address(&server.endpoint, Address::Web, false)
                .map_err(|message| (keys[1], message))?;
        }
        let password = !self.smtp_password.is_empty();
        check_address(&self.smtp_server, Address::Mail, password)
            .map_err(|message| ("delivery.smtp_server", message))
    }
}

/// One address key's value against what it may hold (empty: not used).
fn check_address(value: &str, kind: Address, with_password: bool) -> Result<(), String> {
    let value = value.trim();
    if value.is_empty() || (kind == Address::PathOrWeb && !value.contains("://")) {
        return Ok(());
    }
    let url =
        url::Url::parse(value).map_err(|error| format!("{value:?} is not an address: {error}"))?;
    let schemes: &[&str] = match kind {
        Address::Web | Address::PathOrWeb => &["https", "http"],
        Address::Store => &["file", "s3"],
        Address::Mail => &["smtps", "smtp"],
    };
    if !schemes.contains(&url.scheme()) {
        return Err(format!(
            "{value:?}: {}:// is not taken here ({})",
            url.scheme(),
            schemes
                .iter()
                .map(|s| format!("{s}://"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    let local = url.host().is_some_and(|host| is_loopback(&host));
    match url.scheme() {
        "http" if !local => Err(format!(
            "{value:?}: plain http:// only to this computer (127.0.0.1, ::1); use https://"
        )),
        "smtp"
            if with_password
                && !local
                && !url
                    .query_pairs()
                    .any(|(k, v)| k == "tls" && v == "required") =>
        {
            Err(format!(
                "{value:?}: a password is sent only over TLS: smtps://, or smtp://…?tls=required"
            ))
        }
        "http" | "https" | "smtp" | "smtps" if url.host().is_none() => {
            Err(format!("{value:?} names no host"))
        }
        "s3" if url.host_str().is_none_or(str::is_empty) => {
            Err(format!("{value:?} names no bucket (s3://bucket/prefix)"))
        }
        _ => Ok(()),
    }
}

impl Default for Delivery {
    fn default() -> Self {
        Self {
            baatzh_url: String::new(),
            baatzh_token: String::new(),
            baatzh_drop_folder: String::new(),
            retry_base_ms: 5_000,
            timeout_ms: 30_000,
            server: String::new(),
            server_endpoint: String::new(),
            server_access_key: String::new(),
            server_secret_key: String::new(),
            server_region: "us-east-1".to_owned(),
            cassation: InstanceServer::default(),
            supervisory: InstanceServer::default(),
            archive: String::new(),
            archive_endpoint: String::new(),
            archive_access_key: String::new(),
            archive_secret_key: String::new(),
            replica: String::new(),
            replica_endpoint: String::new(),
            replica_access_key: String::new(),
            replica_secret_key: String::new(),
            replicate_at: "02:00".to_owned(),
            status_target: String::new(),
            status_every_s: 300,
            notify_webhook: String::new(),
            smtp_server: String::new(),
            smtp_user: String::new(),
            smtp_password: String::new(),
            mail_from: String::new(),
            head_of_office: Vec::new(),
            regional_coordinator: Vec::new(),
            court_office_head: Vec::new(),
            notify_kinds: crate::protocol::IncidentKind::ALL
                .iter()
                .map(|kind| kind.code().to_owned())
                .collect(),
            send_demo: false,
        }
    }
}
