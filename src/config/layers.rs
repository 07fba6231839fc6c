//! The configuration's files: the court's under the user's own, each read and checked alone,
//! merged key by key; what the window writes is what differs from the court's.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::problem::Problem;
use crate::tr;

use super::Config;

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
