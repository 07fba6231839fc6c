//! Cameras and microphones, as GStreamer's device monitor finds them.

use gstreamer as gst;
use gstreamer::prelude::*;
use serde::Serialize;

use super::RecorderError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DeviceKind {
    Camera,
    Microphone,
}

/// A capture device found on this machine.
#[derive(Debug, Clone)]
pub struct Device {
    pub kind: DeviceKind,
    /// The name shown to people and used in the configuration.
    pub name: String,
    /// What a sound card plays, offered as a source ("Monitor of …"): not a microphone in
    /// the hall, so never recorded unless named (the video-conference computer's sound may
    /// be one, as `remote_audio`).
    pub monitor: bool,
    pub device: gst::Device,
}

impl Device {
    /// Whether the configuration's list `wanted` (names; empty: every camera or microphone
    /// found) takes this device. A monitor is taken only by name.
    pub fn is_wanted(&self, wanted: &[String]) -> bool {
        if wanted.is_empty() {
            !self.monitor
        } else {
            wanted.contains(&self.name)
        }
    }
}

/// Every camera and microphone present now.
pub fn list() -> Result<Vec<Device>, RecorderError> {
    super::init()?;
    let monitor = gst::DeviceMonitor::new();
    monitor.add_filter(Some("Video/Source"), None);
    monitor.add_filter(Some("Audio/Source"), None);
    if monitor.start().is_err() {
        // No provider could start (no sound server, no /dev/video*): nothing is present.
        return Ok(Vec::new());
    }
    let devices = monitor
        .devices()
        .into_iter()
        .filter_map(|device| {
            let class = device.device_class();
            let kind = if class.contains("Video/Source") {
                DeviceKind::Camera
            } else if class.contains("Audio/Source") {
                DeviceKind::Microphone
            } else {
                return None;
            };
            let monitor = device
                .properties()
                .and_then(|properties| properties.get::<String>("device.class").ok())
                .is_some_and(|class| class == "monitor");
            Some(Device {
                kind,
                name: device.display_name().to_string(),
                monitor,
                device,
            })
        })
        .collect();
    monitor.stop();
    Ok(devices)
}
