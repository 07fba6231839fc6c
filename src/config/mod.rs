//! The configuration: one TOML file, every key with a default.
//!
//! Older files keep loading (`#[serde(default)]` everywhere); a wrong value is an error that
//! names the key and the file.

use chrono::FixedOffset;
use serde::{Deserialize, Serialize};

use crate::tr;

mod delivery;
mod layers;
mod recording;
#[cfg(test)]
mod tests;
mod validate;

pub use delivery::Delivery;
pub use layers::{ConfigError, SYSTEM_FILE};
pub use recording::{NetworkInput, Recording};

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
