//! `[recording]`: the profile, the inputs, where files are cut, how inputs are watched.

use serde::{Deserialize, Serialize};

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
