//! The configuration: one TOML file, every key with a default.
//!
//! Older files keep loading (`#[serde(default)]` everywhere); a wrong value is an error that
//! names the key and the file.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::FixedOffset;
use serde::{Deserialize, Serialize};

use crate::problem::Problem;
use crate::tr;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Interface language.
    pub language: Language,
    pub court: Court,
    /// Who works at this workstation.
    pub operator: Operator,
    pub recording: Recording,
    pub delivery: Delivery,
    pub signing: Signing,
    pub workstation: Workstation,
}

/// The courtroom workstation as its secretaries share it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct Workstation {
    /// The workstation's one data folder, shared by the secretaries of the courtroom (the
    /// group `hattama`; the package makes `/var/lib/hattama` so): a session one begins,
    /// another continues after a shift change. Empty: each login's own folder. `--data`
    /// always wins.
    pub data: String,
    /// Whose desk this is: a courtroom's (records), a judge's (reviews the court's cases
    /// from the court server) or the archivist's (accepts the cases' discs).
    pub role: Role,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    #[default]
    Secretary,
    Judge,
    Archivist,
}

/// The court's own X.509 signature of every seal, beside the Ed25519 one: CMS SignedData of
/// the manifest (`manifest.json.p7s`), made with the court's certificate and key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct Signing {
    /// The court's certificate and key as the certifying centre issues them (PKCS#12);
    /// empty: seals carry no CMS signature.
    pub pkcs12: String,
    /// A file holding the PKCS#12 file's password (readable only by whoever seals).
    pub pkcs12_password_file: String,
    /// Who signs: empty, the courtroom's signing service when it is installed (and the data
    /// folder is the login's own); `here`, the key in the data folder; a path, the signing
    /// service listening at that socket.
    pub service: String,
}

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
    fn validate_addresses(&self) -> Result<(), (&'static str, String)> {
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

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct Operator {
    /// The secretary's (or the service organisation employee's) name, proposed for every
    /// new session.
    pub name: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    /// The system's preferred language when it is one of Hattama's, else English.
    #[default]
    System,
    Kk,
    Ru,
    En,
}

impl Language {
    pub fn code(self) -> &'static str {
        match self {
            Language::System => "",
            Language::Kk => "kk",
            Language::Ru => "ru",
            Language::En => "en",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Court {
    pub name: String,
    pub hall: String,
    pub instance: Instance,
    /// The court's time zone as an offset from UTC (`+05:00`: all of Kazakhstan since
    /// March 2024). Times are stored in UTC and shown in this zone.
    pub utc_offset: String,
}

impl Default for Court {
    fn default() -> Self {
        Self {
            name: String::new(),
            hall: String::new(),
            instance: Instance::default(),
            utc_offset: "+05:00".to_owned(),
        }
    }
}

impl Court {
    /// The court's time zone (`validate` has checked the configured offset).
    pub fn time_zone(&self) -> FixedOffset {
        parse_offset(&self.utc_offset).unwrap_or(FixedOffset::east_opt(5 * 3600).expect("+05:00"))
    }

    /// Whether the first-start set-up has been done.
    pub fn is_set_up(&self) -> bool {
        !self.name.trim().is_empty() && !self.hall.trim().is_empty()
    }
}

/// `+05:00`, `-03:30`, `+06`.
pub fn parse_offset(text: &str) -> Option<FixedOffset> {
    let text = text.trim();
    let (sign, rest) = match text.as_bytes().first()? {
        b'+' => (1, &text[1..]),
        b'-' => (-1, &text[1..]),
        _ => return None,
    };
    let (hours, minutes) = rest.split_once(':').unwrap_or((rest, "0"));
    let (hours, minutes): (i32, i32) = (hours.parse().ok()?, minutes.parse().ok()?);
    if !(0..=14).contains(&hours) || !(0..60).contains(&minutes) {
        return None;
    }
    FixedOffset::east_opt(sign * (hours * 3600 + minutes * 60))
}

/// The recording server of an instance other than the court's own (rule 26): the same forms
/// as `delivery.server`, its S3 address, keys and region (the court server's when empty).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct InstanceServer {
    pub server: String,
    pub endpoint: String,
    pub access_key: String,
    pub secret_key: String,
    pub region: String,
}

/// The court's instance decides who operates the recording (rules 6, 11, 14) and where
/// sealed recordings are stored (rule 26).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Instance {
    #[default]
    First,
    Appellate,
    Cassation,
    Supervisory,
}

impl Instance {
    pub fn code(self) -> &'static str {
        match self {
            Instance::First => "first",
            Instance::Appellate => "appellate",
            Instance::Cassation => "cassation",
            Instance::Supervisory => "supervisory",
        }
    }

    pub const ALL: [Instance; 4] = [
        Instance::First,
        Instance::Appellate,
        Instance::Cassation,
        Instance::Supervisory,
    ];

    pub fn label(self) -> String {
        match self {
            Instance::First => tr!("instance-first"),
            Instance::Appellate => tr!("instance-appellate"),
            Instance::Cassation => tr!("instance-cassation"),
            Instance::Supervisory => tr!("instance-supervisory"),
        }
    }
}

impl std::fmt::Display for Instance {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.label())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Recording {
    /// Name of the encoding profile (built in: `720p25`, `1080p25`, `480p25`).
    pub profile: String,
    /// Cameras by the name `hattama devices` shows; empty means every camera found.
    pub cameras: Vec<String>,
    /// Microphones by name; empty means every microphone found.
    pub microphones: Vec<String>,
    /// The video-conference sound (rule 15) by name; empty means none.
    pub remote_audio: String,
    /// Record demo inputs, reported as such, when no camera or microphone is found.
    pub demo_when_no_devices: bool,
    /// How often the recording is forced to disk, in milliseconds: the most a power loss
    /// can take.
    pub sync_interval_ms: u64,
    /// Below this much free disk (MB) the part is stopped cleanly and sealed, before a
    /// write can fail (rule 27: an incident is recorded).
    pub stop_free_mb: u64,
    /// Below room for this many minutes of recording the secretary is warned.
    pub warn_free_minutes: u64,
    /// The recording is written as a sequence of files, each closed at the first keyframe
    /// past this many seconds or `segment_megabytes`, and hashed as soon as it is closed:
    /// that keeps stop → signed under a second however long the part.
    pub segment_seconds: u64,
    pub segment_megabytes: u64,
    /// Inputs reached through a GStreamer pipeline description rather than a local device:
    /// an IP camera's RTSP stream, a network microphone over RTP (recorded beside the
    /// devices, never replaced by demo inputs).
    pub network_inputs: Vec<NetworkInput>,
    /// An input that delivers nothing for this many seconds while recording is an
    /// incident (rule 27); the other inputs go on recording.
    pub stall_after_s: u64,
    /// A microphone whose loudest sound stays below `silence_dbfs` for this many seconds
    /// is an incident (an unplugged microphone, a muted channel). 0: not watched.
    pub microphone_silent_s: u64,
    pub silence_dbfs: f64,
    /// A lost input (a camera unplugged, a network stream gone) is tried again this often
    /// while the part records, and records again as soon as it delivers. 0: it stays
    /// replaced by its stand-in until the part ends.
    pub reconnect_every_s: u64,
}

/// An input given by a GStreamer pipeline description ending in raw or decodable media.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NetworkInput {
    /// `camera`, `microphone` or `remote` (the video-conference sound, rule 15).
    pub kind: String,
    /// What people see: "Camera above the bench".
    pub name: String,
    /// e.g. `rtspsrc location=rtsp://10.0.3.21/stream1 latency=200 ! decodebin`.
    pub pipeline: String,
}

impl Default for Recording {
    fn default() -> Self {
        Self {
            profile: "720p25".to_owned(),
            cameras: Vec::new(),
            microphones: Vec::new(),
            remote_audio: String::new(),
            demo_when_no_devices: true,
            sync_interval_ms: 500,
            stop_free_mb: 200,
            warn_free_minutes: 60,
            segment_seconds: 30 * 60,
            segment_megabytes: 512,
            network_inputs: Vec::new(),
            stall_after_s: 3,
            microphone_silent_s: 600,
            silence_dbfs: -65.0,
            reconnect_every_s: 5,
        }
    }
}

#[derive(Debug, Clone, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: Arc<std::io::Error>,
    },
    #[error("{path}: key `{key}`: {message}")]
    Invalid {
        path: PathBuf,
        key: String,
        message: String,
    },
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        #[source]
        source: Arc<std::io::Error>,
    },
}

impl Problem for ConfigError {
    fn title(&self) -> String {
        match self {
            ConfigError::Read { path, .. } => {
                tr!("config-read-failed", path = path.display().to_string())
            }
            ConfigError::Invalid { path, key, .. } => tr!(
                "config-invalid",
                path = path.display().to_string(),
                key = key.clone()
            ),
            ConfigError::Write { path, .. } => {
                tr!("config-write-failed", path = path.display().to_string())
            }
        }
    }

    fn help(&self) -> String {
        match self {
            ConfigError::Read { .. } | ConfigError::Write { .. } => tr!("config-io-help"),
            ConfigError::Invalid { .. } => tr!("config-invalid-help"),
        }
    }
}

/// The court's configuration for every user of the machine, installed (commented) by the
/// package; a user's own file overrides it key by key.
pub use crate::paths::SYSTEM_FILE;

/// `over`'s keys replace `base`'s, tables merged key by key.
fn merge(base: &mut toml::Table, over: toml::Table) {
    for (key, value) in over {
        match (base.get_mut(&key), value) {
            (Some(toml::Value::Table(base)), toml::Value::Table(over)) => merge(base, over),
            (_, value) => {
                base.insert(key, value);
            }
        }
    }
}

/// What `config` sets differently from `base`, tables compared key by key.
fn difference(config: toml::Table, base: &toml::Table) -> toml::Table {
    config
        .into_iter()
        .filter_map(|(key, value)| match (value, base.get(&key)) {
            (toml::Value::Table(table), Some(toml::Value::Table(base))) => {
                let table = difference(table, base);
                (!table.is_empty()).then_some((key, toml::Value::Table(table)))
            }
            (value, Some(base)) if &value == base => None,
            (value, _) => Some((key, value)),
        })
        .collect()
}

impl Config {
    /// The configuration of `paths`: the court's file (`/etc/hattama/config.toml`, when
    /// there is one and no file was named) under the user's own. Each file is checked alone
    /// first, so a wrong value names the file it is in.
    pub fn load_for(paths: &crate::paths::Paths, named: bool) -> Result<Self, ConfigError> {
        let Some(system) = paths.system_config.as_deref() else {
            return Self::load(&paths.config_file, named);
        };
        let court = Self::read(system, false)?;
        let own = Self::read(&paths.config_file, named)?;
        let (court, own) = match (court, own) {
            (None, None) => return Ok(Self::default()),
            (Some(court), None) => return Self::parse(&court, system),
            (None, Some(own)) => return Self::parse(&own, &paths.config_file),
            (Some(court), Some(own)) => (court, own),
        };
        Self::parse(&court, system)?;
        Self::parse(&own, &paths.config_file)?;
        let table = |text: &str, path: &Path| {
            text.parse::<toml::Table>()
                .map_err(|error| ConfigError::Invalid {
                    path: path.to_owned(),
                    key: String::new(),
                    message: error.to_string(),
                })
        };
        let mut merged = table(&court, system)?;
        merge(&mut merged, table(&own, &paths.config_file)?);
        Self::parse(&merged.to_string(), &paths.config_file)
    }

    /// The court's file alone (the defaults when there is none): what a user's own file is
    /// written against.
    pub fn court_layer(paths: &crate::paths::Paths) -> Self {
        paths
            .system_config
            .as_deref()
            .and_then(|system| Self::load(system, false).ok())
            .unwrap_or_default()
    }

    /// The text of `path`; `None` when it is missing and need not exist.
    fn read(path: &Path, must_exist: bool) -> Result<Option<String>, ConfigError> {
        match std::fs::read_to_string(path) {
            Ok(text) => Ok(Some(text)),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound && !must_exist => Ok(None),
            Err(error) => Err(ConfigError::Read {
                path: path.to_owned(),
                source: Arc::new(error),
            }),
        }
    }

    /// Reads the configuration. A missing file gives the defaults unless `must_exist`
    /// (the user named the file with `--config`).
    pub fn load(path: &Path, must_exist: bool) -> Result<Self, ConfigError> {
        match Self::read(path, must_exist)? {
            Some(text) => Self::parse(&text, path),
            None => Ok(Self::default()),
        }
    }

    pub fn parse(text: &str, path: &Path) -> Result<Self, ConfigError> {
        let invalid = |key: String, message: String| ConfigError::Invalid {
            path: path.to_owned(),
            key,
            message,
        };
        let deserializer = toml::Deserializer::parse(text)
            .map_err(|error| invalid(String::new(), error.to_string()))?;
        let config: Config = serde_path_to_error::deserialize(deserializer).map_err(|error| {
            let key = error.path().to_string();
            let key = if key == "." { String::new() } else { key };
            invalid(key, error.into_inner().to_string().trim().to_owned())
        })?;
        config
            .validate()
            .map_err(|(key, message)| invalid(key.to_owned(), message))?;
        Ok(config)
    }

    fn validate(&self) -> Result<(), (&'static str, String)> {
        self.delivery.validate_addresses()?;
        let at = &self.delivery.replicate_at;
        if chrono::NaiveTime::parse_from_str(at, "%H:%M").is_err() {
            return Err((
                "delivery.replicate_at",
                format!("{at:?} is not a time of day as HH:MM"),
            ));
        }
        let known = crate::protocol::IncidentKind::ALL.map(|kind| kind.code());
        if let Some(kind) =
            (self.delivery.notify_kinds.iter()).find(|k| !known.contains(&k.as_str()))
        {
            return Err((
                "delivery.notify_kinds",
                format!("{kind:?} is not an incident kind ({})", known.join(", ")),
            ));
        }
        let every = self.delivery.status_every_s;
        if !(10..=3600).contains(&every) {
            return Err((
                "delivery.status_every_s",
                format!("{every} is outside 10..=3600"),
            ));
        }
        let delivery = &self.delivery;
        for (key, list) in [
            ("delivery.head_of_office", &delivery.head_of_office),
            (
                "delivery.regional_coordinator",
                &delivery.regional_coordinator,
            ),
            ("delivery.court_office_head", &delivery.court_office_head),
        ] {
            if let Some(address) = list.iter().find(|a| a.parse::<lettre::Address>().is_err()) {
                return Err((key, format!("{address:?} is not an e-mail address")));
            }
        }
        let mailing = delivery.head_of_office.len()
            + delivery.regional_coordinator.len()
            + delivery.court_office_head.len();
        if mailing > 0 && !delivery.smtp_server.is_empty() {
            if delivery.mail_from.parse::<lettre::Address>().is_err() {
                return Err((
                    "delivery.mail_from",
                    format!("{:?} is not an e-mail address", delivery.mail_from),
                ));
            }
            if let Err(error) = lettre::SmtpTransport::from_url(&delivery.smtp_server) {
                return Err(("delivery.smtp_server", error.to_string()));
            }
        }
        let stall = self.recording.stall_after_s;
        if !(1..=600).contains(&stall) {
            return Err((
                "recording.stall_after_s",
                format!("{stall} is outside 1..=600"),
            ));
        }
        let every = self.recording.reconnect_every_s;
        if every > 3600 {
            return Err((
                "recording.reconnect_every_s",
                format!("{every} is over 3600 (0 turns it off)"),
            ));
        }
        let floor = self.recording.silence_dbfs;
        if !(-120.0..=0.0).contains(&floor) {
            return Err((
                "recording.silence_dbfs",
                format!("{floor} is outside -120..=0"),
            ));
        }
        for input in &self.recording.network_inputs {
            if !["camera", "microphone", "remote"].contains(&input.kind.as_str()) {
                return Err((
                    "recording.network_inputs.kind",
                    format!("{:?} is not camera, microphone or remote", input.kind),
                ));
            }
            if input.name.trim().is_empty() || input.pipeline.trim().is_empty() {
                return Err((
                    "recording.network_inputs",
                    "every network input needs a name and a pipeline".to_owned(),
                ));
            }
        }
        let seconds = self.recording.segment_seconds;
        if !(2..=4 * 3600).contains(&seconds) {
            return Err((
                "recording.segment_seconds",
                format!("{seconds} is outside 2..=14400"),
            ));
        }
        let megabytes = self.recording.segment_megabytes;
        if !(1..=4096).contains(&megabytes) {
            return Err((
                "recording.segment_megabytes",
                format!("{megabytes} is outside 1..=4096"),
            ));
        }
        let interval = self.recording.sync_interval_ms;
        if !(50..=10_000).contains(&interval) {
            return Err((
                "recording.sync_interval_ms",
                format!("{interval} is outside 50..=10000"),
            ));
        }
        if parse_offset(&self.court.utc_offset).is_none() {
            return Err((
                "court.utc_offset",
                format!("{:?} is not an offset like +05:00", self.court.utc_offset),
            ));
        }
        if self.recording.profile.trim().is_empty() {
            return Err(("recording.profile", "must name a profile".to_owned()));
        }
        Ok(())
    }

    /// Writes the configuration atomically (a temporary file renamed over the old one).
    pub fn save(&self, path: &Path) -> Result<(), ConfigError> {
        self.save_over(path, None)
    }

    /// Writes what differs from `base` (the court's file): the court's later changes to
    /// the rest still reach this user.
    pub fn save_over(&self, path: &Path, base: Option<&Config>) -> Result<(), ConfigError> {
        let write_error = |error: std::io::Error| ConfigError::Write {
            path: path.to_owned(),
            source: Arc::new(error),
        };
        let table = |config: &Config| {
            toml::Table::try_from(config).map_err(|error| write_error(std::io::Error::other(error)))
        };
        let own = match base {
            Some(base) => difference(table(self)?, &table(base)?),
            None => table(self)?,
        };
        let text = toml::to_string_pretty(&own)
            .map_err(|error| write_error(std::io::Error::other(error)))?;
        if let Some(parent) = path.parent() {
            crate::paths::create_folder_all(parent).map_err(write_error)?;
        }
        crate::paths::write_private(path, text.as_bytes()).map_err(write_error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::parse(text, Path::new("/etc/hattama.toml"))
    }

    #[test]
    fn every_address_key_is_checked_at_load_and_secrets_never_go_in_clear() {
        for (text, key) in [
            ("baatzh_url = \"not a url at all\"", "delivery.baatzh_url"),
            (
                "baatzh_url = \"http://baatzh.sud.kz/api\"",
                "delivery.baatzh_url",
            ),
            ("baatzh_url = \"ftp://127.0.0.1/x\"", "delivery.baatzh_url"),
            ("server = \"/srv/hattama\"", "delivery.server"),
            ("server = \"https://s3.sud.kz\"", "delivery.server"),
            ("replica = \"s3://\"", "delivery.replica"),
            (
                "server_endpoint = \"http://10.0.0.5:9000\"",
                "delivery.server_endpoint",
            ),
            (
                "archive_endpoint = \"s3.sud.kz\"",
                "delivery.archive_endpoint",
            ),
            (
                "status_target = \"http://portal.sud.kz/status\"",
                "delivery.status_target",
            ),
            (
                "notify_webhook = \"chat.sud.kz/hook\"",
                "delivery.notify_webhook",
            ),
            (
                "smtp_server = \"smtp://mail.sud.kz:25\"\nsmtp_password = \"x\"",
                "delivery.smtp_server",
            ),
            (
                "[delivery.cassation]\nserver = \"/srv/regional\"",
                "delivery.cassation.server",
            ),
            (
                "[delivery.supervisory]\nserver = \"s3://x/y\"\nendpoint = \"http://10.1.1.1\"",
                "delivery.supervisory.endpoint",
            ),
        ] {
            match parse(&format!("[delivery]\n{text}\n")) {
                Err(ConfigError::Invalid { key: named, .. }) => assert_eq!(named, key, "{text}"),
                other => panic!("{text}: {other:?}"),
            }
        }
        for text in [
            "baatzh_url = \"https://baatzh.sud.kz/api\"",
            "baatzh_url = \"http://127.0.0.1:8089/protocols\"",
            "baatzh_url = \"http://[::1]:8089/protocols\"",
            "server = \"file:///srv/hattama\"",
            "server = \"s3://court/записи\"\nserver_endpoint = \"http://127.0.0.1:9000\"",
            "status_target = \"/run/hattama/status.json\"",
            "smtp_server = \"smtp://mail.sud.kz:587?tls=required\"\nsmtp_password = \"x\"",
            "smtp_server = \"smtps://mail.sud.kz\"\nsmtp_password = \"x\"",
            "smtp_server = \"smtp://mail.sud.kz:25\"",
        ] {
            parse(&format!("[delivery]\n{text}\n")).unwrap_or_else(|e| panic!("{text}: {e}"));
        }
    }

    #[test]
    fn an_empty_file_gives_the_defaults() {
        assert_eq!(parse("").expect("empty is valid"), Config::default());
    }

    #[test]
    fn a_partial_file_keeps_other_defaults() {
        let config = parse("[court]\nhall = \"3\"\ninstance = \"cassation\"\n").expect("valid");
        assert_eq!(config.court.hall, "3");
        assert_eq!(config.court.instance, Instance::Cassation);
        assert_eq!(config.recording.profile, "720p25");
    }

    #[test]
    fn a_wrong_value_names_key_and_file() {
        let error = parse("[court]\ninstance = \"supreme\"\n").expect_err("bad instance");
        let ConfigError::Invalid { key, path, message } = &error else {
            panic!("expected Invalid, got {error:?}")
        };
        assert_eq!(key, "court.instance");
        assert_eq!(path, Path::new("/etc/hattama.toml"));
        assert!(message.contains("supreme"), "{message}");
        assert!(error.to_string().contains("court.instance"));
    }

    #[test]
    fn a_wrong_type_and_an_unknown_key_and_a_range_are_errors() {
        let key = |text: &str| match parse(text) {
            Err(ConfigError::Invalid { key, .. }) => key,
            other => panic!("expected Invalid for {text:?}, got {other:?}"),
        };
        assert_eq!(key("[recording]\ncameras = \"one\"\n"), "recording.cameras");
        assert_eq!(key("[recording]\ncamera = []\n"), "recording.camera");
        assert_eq!(
            key("[recording]\nsync_interval_ms = 5\n"),
            "recording.sync_interval_ms"
        );
        assert_eq!(
            key("[recording]\nsegment_seconds = 1\n"),
            "recording.segment_seconds"
        );
        assert_eq!(
            key("[recording]\nsegment_megabytes = 0\n"),
            "recording.segment_megabytes"
        );
        assert_eq!(
            key("[delivery]\nreplicate_at = \"25:00\"\n"),
            "delivery.replicate_at"
        );
        assert_eq!(key("language = \"de\"\n"), "language");
        assert_eq!(
            key("[court]\nutc_offset = \"Almaty\"\n"),
            "court.utc_offset"
        );
        assert_eq!(
            key("[court]\nutc_offset = \"+25:00\"\n"),
            "court.utc_offset"
        );
        assert_eq!(
            key("[recording]\nreconnect_every_s = 86400\n"),
            "recording.reconnect_every_s"
        );
        assert_eq!(
            key("[delivery]\nnotify_kinds = [\"microphone-quiet\"]\n"),
            "delivery.notify_kinds"
        );
    }

    #[test]
    fn the_court_time_zone_is_kazakhstan_unless_configured() {
        assert_eq!(
            Config::default().court.time_zone().local_minus_utc(),
            5 * 3600
        );
        let config = parse("[court]\nutc_offset = \"-03:30\"\n").expect("valid");
        assert_eq!(
            config.court.time_zone().local_minus_utc(),
            -(3 * 3600 + 1800)
        );
    }

    #[test]
    fn broken_syntax_is_an_error() {
        assert!(matches!(
            parse("[court\n"),
            Err(ConfigError::Invalid { .. })
        ));
    }

    #[test]
    fn save_then_load_round_trips() {
        let folder = tempfile::tempdir().expect("temporary folder");
        let path = folder.path().join("sub/config.toml");
        let mut config = Config::default();
        config.court.name = "Алматы қалалық соты".to_owned();
        config.language = Language::Kk;
        config.save(&path).expect("saved");
        assert_eq!(Config::load(&path, true).expect("loaded"), config);
    }

    fn layered(folder: &Path, court: Option<&str>, own: Option<&str>) -> crate::paths::Paths {
        let (system, user) = (folder.join("etc.toml"), folder.join("own.toml"));
        if let Some(text) = court {
            std::fs::write(&system, text).expect("court's file");
        }
        if let Some(text) = own {
            std::fs::write(&user, text).expect("own file");
        }
        crate::paths::Paths {
            config_file: user,
            system_config: Some(system),
            data: folder.to_owned(),
            shared: false,
        }
    }

    #[test]
    fn the_users_file_overrides_the_courts_key_by_key() {
        let folder = tempfile::tempdir().expect("folder");
        let court = "[court]\nname = \"Есіл аудандық соты\"\nhall = \"3\"\n[delivery]\nserver = \"s3://court/halls\"\n";
        let paths = layered(folder.path(), Some(court), Some("[court]\nhall = \"5\"\n"));
        let config = Config::load_for(&paths, false).expect("both read");
        assert_eq!(config.court.name, "Есіл аудандық соты", "the court's");
        assert_eq!(config.court.hall, "5", "the user's");
        assert_eq!(config.delivery.server, "s3://court/halls");
        // Either alone, or neither.
        let only_court = layered(&folder.path().join("a"), None, None);
        std::fs::create_dir_all(&only_court.data).expect("folder");
        assert_eq!(
            Config::load_for(&only_court, false).expect("defaults"),
            Config::default()
        );
        std::fs::remove_file(&paths.config_file).expect("remove own");
        assert_eq!(
            Config::load_for(&paths, false).expect("court's").court.hall,
            "3"
        );
    }

    #[test]
    fn a_wrong_value_names_the_file_it_is_in() {
        let folder = tempfile::tempdir().expect("folder");
        let paths = layered(
            folder.path(),
            Some("[delivery]\nstatus_every_s = 1\n"),
            Some("[court]\nhall = \"5\"\n"),
        );
        match Config::load_for(&paths, false) {
            Err(ConfigError::Invalid { path, key, .. }) => {
                assert_eq!(path, paths.system_config.clone().expect("system"));
                assert_eq!(key, "delivery.status_every_s");
            }
            other => panic!("the court's file is named: {other:?}"),
        }
        std::fs::write(paths.system_config.as_ref().expect("system"), "[court]\n").expect("mend");
        std::fs::write(&paths.config_file, "language = 7\n").expect("break own");
        match Config::load_for(&paths, false) {
            Err(ConfigError::Invalid { path, .. }) => assert_eq!(path, paths.config_file),
            other => panic!("the user's file is named: {other:?}"),
        }
    }

    #[test]
    fn the_window_writes_only_what_differs_from_the_courts_file() {
        let folder = tempfile::tempdir().expect("folder");
        let court =
            "[court]\nname = \"Есіл аудандық соты\"\n[delivery]\nserver = \"s3://court/halls\"\n";
        let paths = layered(folder.path(), Some(court), None);
        let mut config = Config::load_for(&paths, false).expect("court's");
        config.court.hall = "7".to_owned();
        config
            .save_over(&paths.config_file, Some(&Config::court_layer(&paths)))
            .expect("saved");
        let own = std::fs::read_to_string(&paths.config_file).expect("own file");
        let own: toml::Table = own.parse().expect("TOML");
        assert_eq!(own.len(), 1, "only [court]: {own}");
        assert_eq!(own["court"].as_table().map(|t| t.len()), Some(1), "{own}");
        // The court later moves its server: the user follows.
        std::fs::write(
            paths.system_config.as_ref().expect("system"),
            court.replace("s3://court/halls", "s3://court/new"),
        )
        .expect("court's change");
        let config = Config::load_for(&paths, false).expect("both");
        assert_eq!(
            (config.court.hall.as_str(), config.delivery.server.as_str()),
            ("7", "s3://court/new")
        );
    }

    /// The court's file the package installs: as shipped (every key commented) the
    /// defaults; with every key uncommented still valid, so it documents real keys only.
    #[test]
    fn the_packaged_configuration_documents_real_keys_with_their_defaults() {
        let shipped = include_str!("../packaging/config.toml");
        assert_eq!(parse(shipped).expect("as shipped"), Config::default());
        let uncommented: String = shipped
            .lines()
            .map(|line| match line.strip_prefix("# ") {
                Some(rest)
                    if rest.starts_with('[')
                        || rest.split_once(" = ").is_some_and(|(key, _)| {
                            key.chars().all(|c| c.is_ascii_lowercase() || c == '_')
                        }) =>
                {
                    rest
                }
                _ => "",
            })
            .collect::<Vec<_>>()
            .join("\n");
        let config = parse(&uncommented).unwrap_or_else(|e| panic!("{e:?}\n{uncommented}"));
        assert_eq!(config.court.hall, "3");
        assert_eq!(config.recording.network_inputs.len(), 1);
        let mut defaults = Config::default();
        (defaults.court, defaults.recording.network_inputs) = (
            config.court.clone(),
            config.recording.network_inputs.clone(),
        );
        assert_eq!(config, defaults, "every other value shown is the default");
    }

    #[test]
    fn a_missing_file_is_an_error_only_when_named() {
        let missing = Path::new("/nonexistent/hattama.toml");
        assert_eq!(
            Config::load(missing, false).expect("defaults"),
            Config::default()
        );
        assert!(matches!(
            Config::load(missing, true),
            Err(ConfigError::Read { .. })
        ));
    }
}
