//! The recording engine: captures the inputs into one crash-tolerant file per part.
//!
//! It knows nothing of cases or databases: `crate::part` binds it to the store.

mod clock;
pub mod devices;
mod durability;
pub(crate) mod engine;
mod files;
pub mod inputs;
pub mod pipeline;
pub mod profile;
pub mod repair;
pub mod state;
pub mod watchdog;

use gstreamer as gst;

pub use crate::protocol::IncidentKind;
pub use engine::{Event, Frame, Levels, Options, Recorder, Summary, Timing};
pub use inputs::{DemoReason, Input, InputInfo, InputKind, Selection};
pub use pipeline::Segments;
pub use profile::Profile;
pub use state::State;
pub use watchdog::{Incident, Limits};

use crate::problem::Problem;
use crate::tr;

impl Limits {
    /// How the settings say the inputs are watched.
    pub fn of(settings: &crate::config::Recording) -> Self {
        let seconds = std::time::Duration::from_secs;
        Limits {
            stall_after: seconds(settings.stall_after_s),
            silent_after: (settings.microphone_silent_s > 0)
                .then(|| seconds(settings.microphone_silent_s)),
            silence_db: settings.silence_dbfs,
            retry_every: (settings.reconnect_every_s > 0)
                .then(|| seconds(settings.reconnect_every_s)),
        }
    }
}

impl Segments {
    /// Where the settings say the recording's files are cut.
    pub fn of(settings: &crate::config::Recording) -> Self {
        Segments {
            max_time: std::time::Duration::from_secs(settings.segment_seconds),
            max_bytes: settings.segment_megabytes * 1024 * 1024,
        }
    }
}

/// Elements the recorder needs, and the Debian package that brings each.
const REQUIRED: &[(&str, &str)] = &[
    ("videotestsrc", "gstreamer1.0-plugins-base"),
    ("audiotestsrc", "gstreamer1.0-plugins-base"),
    ("compositor", "gstreamer1.0-plugins-base"),
    ("audiomixer", "gstreamer1.0-plugins-base"),
    ("videoconvert", "gstreamer1.0-plugins-base"),
    ("videoscale", "gstreamer1.0-plugins-base"),
    ("videorate", "gstreamer1.0-plugins-base"),
    ("audioconvert", "gstreamer1.0-plugins-base"),
    ("audioresample", "gstreamer1.0-plugins-base"),
    ("clockoverlay", "gstreamer1.0-x"),
    ("textoverlay", "gstreamer1.0-x"),
    ("appsink", "gstreamer1.0-plugins-base"),
    ("level", "gstreamer1.0-plugins-good"),
    ("matroskamux", "gstreamer1.0-plugins-good"),
    ("matroskademux", "gstreamer1.0-plugins-good"),
    ("x264enc", "gstreamer1.0-plugins-ugly"),
    ("h264parse", "gstreamer1.0-plugins-bad"),
    ("avenc_aac", "gstreamer1.0-libav"),
    ("aacparse", "gstreamer1.0-plugins-good"),
    ("opusenc", "gstreamer1.0-plugins-base"),
    ("oggmux", "gstreamer1.0-plugins-base"),
];

/// Initialises GStreamer and checks that every element the recorder uses is installed.
pub fn init() -> Result<(), RecorderError> {
    gst::init().map_err(|error| RecorderError::Init(error.to_string()))?;
    for (element, _) in REQUIRED {
        if gst::ElementFactory::find(element).is_none() {
            return Err(RecorderError::missing_element(element));
        }
    }
    Ok(())
}

#[derive(Debug, Clone, thiserror::Error)]
pub enum RecorderError {
    #[error("GStreamer cannot start: {0}")]
    Init(String),
    #[error("the GStreamer element {element} is missing (Debian package {package})")]
    MissingElement { element: String, package: String },
    #[error("cannot build {what}: {message}")]
    Build { what: String, message: String },
    #[error("encoding profile {origin}: {message}")]
    ProfileInvalid { origin: String, message: String },
    #[error("no encoding profile named {name:?} (known: {known})")]
    NoSuchProfile { name: String, known: String },
    #[error("no device named {name:?} (present: {available})")]
    DeviceNotFound { name: String, available: String },
    #[error("no {kind:?} found and demo inputs are turned off")]
    NoDevice { kind: devices::DeviceKind },
    #[error("a recording needs at least one camera and one sound input")]
    NoInputs,
    #[error("the recording did not start: {message}")]
    Start { message: String },
    #[error("{}{message}\n{debug}", input.as_ref().map(|i| format!("input {i}: ")).unwrap_or_default())]
    Input {
        input: Option<String>,
        message: String,
        debug: String,
    },
    #[error("cannot write the recording: {message}")]
    Write { message: String, disk_full: bool },
    #[error("the recording did not finish within {0} seconds of stop")]
    StopTimeout(u64),
    #[error("{0}")]
    Repair(String),
}

impl RecorderError {
    pub fn missing_element(element: &str) -> Self {
        let package = REQUIRED
            .iter()
            .find(|(name, _)| *name == element)
            .map(|(_, package)| *package)
            .unwrap_or("gstreamer1.0-plugins-good");
        RecorderError::MissingElement {
            element: element.to_owned(),
            package: package.to_owned(),
        }
    }
}

impl Problem for RecorderError {
    fn title(&self) -> String {
        match self {
            RecorderError::Init(_) | RecorderError::MissingElement { .. } => {
                tr!("recorder-unavailable")
            }
            RecorderError::Build { .. } | RecorderError::Start { .. } => {
                tr!("recorder-start-failed")
            }
            RecorderError::ProfileInvalid { origin, .. } => {
                tr!("profile-invalid", origin = origin.clone())
            }
            RecorderError::NoSuchProfile { name, .. } => {
                tr!("profile-unknown", name = name.clone())
            }
            RecorderError::DeviceNotFound { name, .. } => {
                tr!("device-not-found", name = name.clone())
            }
            RecorderError::NoDevice { .. } | RecorderError::NoInputs => tr!("no-devices"),
            RecorderError::Input { input, .. } => match input {
                Some(input) => tr!("input-failed", input = input.clone()),
                None => tr!("recording-failed"),
            },
            RecorderError::Write {
                disk_full: true, ..
            } => tr!("disk-full"),
            RecorderError::Write { .. } => tr!("recording-write-failed"),
            RecorderError::StopTimeout(_) => tr!("stop-timeout"),
            RecorderError::Repair(_) => tr!("repair-failed"),
        }
    }

    fn help(&self) -> String {
        match self {
            RecorderError::MissingElement { package, .. } => {
                tr!("install-package-help", package = package.clone())
            }
            RecorderError::Init(_) | RecorderError::Build { .. } | RecorderError::Start { .. } => {
                tr!("recorder-start-help")
            }
            RecorderError::ProfileInvalid { .. } => tr!("profile-invalid-help"),
            RecorderError::NoSuchProfile { known, .. } => {
                tr!("profile-unknown-help", known = known.clone())
            }
            RecorderError::DeviceNotFound { available, .. } => {
                tr!("device-not-found-help", available = available.clone())
            }
            RecorderError::NoDevice { .. } | RecorderError::NoInputs => tr!("no-devices-help"),
            RecorderError::Input { .. } => tr!("input-failed-help"),
            RecorderError::Write {
                disk_full: true, ..
            } => tr!("disk-full-help"),
            RecorderError::Write { .. } => tr!("recording-write-failed-help"),
            RecorderError::StopTimeout(_) | RecorderError::Repair(_) => tr!("kept-help"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gst::prelude::*;

    /// The table names the Debian package that really holds each element (asked of dpkg, by
    /// the plugin's file), and the package depends on every one of them: a clean Debian 12
    /// install once lacked gstreamer1.0-x, whose pango plugin draws the demo clock.
    #[test]
    fn each_element_comes_from_the_package_named_and_the_deb_depends_on_it() {
        gst::init().expect("GStreamer");
        let manifest = include_str!("../../Cargo.toml");
        let depends = manifest
            .lines()
            .find_map(|line| line.strip_prefix("depends = "))
            .expect("[package.metadata.deb] depends");
        for (element, package) in REQUIRED {
            let plugin = gst::ElementFactory::find(element)
                .and_then(|factory| factory.plugin())
                .and_then(|plugin| plugin.filename())
                .unwrap_or_else(|| panic!("{element} is installed here"));
            // Debian 12 merges /lib into /usr/lib; dpkg knows the /usr path.
            let file = if plugin.starts_with("/usr") {
                plugin.clone()
            } else {
                std::path::Path::new("/usr").join(plugin.strip_prefix("/").unwrap_or(&plugin))
            };
            let owner = std::process::Command::new("dpkg")
                .arg("-S")
                .arg(&file)
                .output()
                .expect("dpkg runs");
            let owner = String::from_utf8_lossy(&owner.stdout);
            assert!(
                owner.starts_with(&format!("{package}:")),
                "{element} ({}) comes from {owner:?}, not {package}",
                file.display()
            );
            assert!(
                depends.contains(&format!(" {package},"))
                    || depends.contains(&format!(" {package}\"")),
                "the package depends on {package} (for {element}): {depends}"
            );
        }
    }
}
