//! Which inputs a part records: the configured devices, or demo inputs, never silently.

use gstreamer as gst;
use serde::Serialize;

use super::RecorderError;
use super::devices::{Device, DeviceKind};
use crate::config;
use crate::tr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum InputKind {
    Camera,
    Microphone,
    /// The video-conference sound (rule 15): only the remote participants' audio.
    Remote,
}

#[derive(Debug, Clone)]
pub enum Source {
    /// A generated picture or sound, labelled as demo everywhere it shows.
    Demo,
    Device(gst::Device),
    /// A GStreamer pipeline description (`recording.network_inputs`): an IP camera, a
    /// network microphone.
    Launch(String),
}

#[derive(Debug, Clone)]
pub struct Input {
    /// Stable within a part: `camera-1`, `microphone-2`, `remote`.
    pub id: String,
    pub kind: InputKind,
    /// What people see: the device's name, or a translated "Demo camera".
    pub name: String,
    pub source: Source,
}

impl InputKind {
    /// The word the configuration and the stored inputs use.
    pub fn code(self) -> &'static str {
        match self {
            InputKind::Camera => "camera",
            InputKind::Microphone => "microphone",
            InputKind::Remote => "remote",
        }
    }
}

impl Input {
    pub fn is_demo(&self) -> bool {
        matches!(self.source, Source::Demo)
    }

    pub fn info(&self) -> InputInfo {
        InputInfo {
            id: self.id.clone(),
            kind: self.kind,
            name: self.name.clone(),
            demo: self.is_demo(),
        }
    }
}

/// What is stored and printed about an input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InputInfo {
    pub id: String,
    pub kind: InputKind,
    pub name: String,
    pub demo: bool,
}

/// Why demo inputs are in use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DemoReason {
    Requested,
    NoCamera,
    NoMicrophone,
}

impl DemoReason {
    pub fn message(self) -> String {
        match self {
            DemoReason::Requested => tr!("demo-requested"),
            DemoReason::NoCamera => tr!("demo-no-camera"),
            DemoReason::NoMicrophone => tr!("demo-no-microphone"),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Selection {
    pub inputs: Vec<Input>,
    pub demo_reasons: Vec<DemoReason>,
}

fn demo(kind: InputKind, number: usize) -> Input {
    let (id, name) = match kind {
        InputKind::Camera => (format!("camera-{number}"), tr!("demo-camera")),
        InputKind::Microphone => (format!("microphone-{number}"), tr!("demo-microphone")),
        InputKind::Remote => ("remote".to_owned(), tr!("demo-remote")),
    };
    Input {
        id,
        kind,
        name,
        source: Source::Demo,
    }
}

/// Demo inputs asked for: `cameras` cameras, `microphones` microphones and the remote input
/// (`record --demo --cameras 2 --microphones 4`: what a hall's equipment would load).
pub fn demo_inputs(cameras: usize, microphones: usize) -> Selection {
    // Several of a kind are numbered, so their tracks and previews tell them apart.
    let numbered = |kind, count: usize| {
        (1..=count.max(1)).map(move |n| {
            let mut input = demo(kind, n);
            if count > 1 {
                input.name = format!("{} {n}", input.name);
            }
            input
        })
    };
    let cameras = numbered(InputKind::Camera, cameras);
    let microphones = numbered(InputKind::Microphone, microphones);
    Selection {
        inputs: cameras
            .chain(microphones)
            .chain([demo(InputKind::Remote, 1)])
            .collect(),
        demo_reasons: vec![DemoReason::Requested],
    }
}

/// Chooses the inputs: with `demo`, a demo camera, microphone and remote input; otherwise
/// the configured devices (all found when none is named), falling back to demo inputs
/// for a missing kind when the configuration allows it.
pub fn choose(
    config: &config::Recording,
    devices: &[Device],
    demo_requested: bool,
) -> Result<Selection, RecorderError> {
    if demo_requested {
        return Ok(demo_inputs(1, 1));
    }
    let mut inputs = Vec::new();
    let mut demo_reasons = Vec::new();
    let remote = config.remote_audio.trim();
    for (kind, wanted, reason) in [
        (DeviceKind::Camera, &config.cameras, DemoReason::NoCamera),
        (
            DeviceKind::Microphone,
            &config.microphones,
            DemoReason::NoMicrophone,
        ),
    ] {
        let input_kind = match kind {
            DeviceKind::Camera => InputKind::Camera,
            DeviceKind::Microphone => InputKind::Microphone,
        };
        let present: Vec<&Device> = devices
            .iter()
            .filter(|device| device.kind == kind && device.name != remote)
            .collect();
        let network: Vec<&config::NetworkInput> = config
            .network_inputs
            .iter()
            .filter(|input| input.kind == input_kind.code())
            .collect();
        let chosen: Vec<&Device> = if wanted.is_empty() {
            present
                .iter()
                .copied()
                .filter(|device| device.is_wanted(wanted))
                .collect()
        } else {
            wanted
                .iter()
                .map(|name| {
                    present
                        .iter()
                        .find(|device| &device.name == name)
                        .copied()
                        .ok_or_else(|| RecorderError::DeviceNotFound {
                            name: name.clone(),
                            available: names(&present),
                        })
                })
                .collect::<Result<_, _>>()?
        };
        if chosen.is_empty() && network.is_empty() {
            if !config.demo_when_no_devices {
                return Err(RecorderError::NoDevice { kind });
            }
            demo_reasons.push(reason);
            inputs.push(demo(input_kind, 1));
        }
        let sources = chosen
            .into_iter()
            .map(|device| (device.name.clone(), Source::Device(device.device.clone())))
            .chain(
                network
                    .into_iter()
                    .map(|input| (input.name.clone(), Source::Launch(input.pipeline.clone()))),
            );
        for (index, (name, source)) in sources.enumerate() {
            inputs.push(Input {
                id: format!("{}-{}", input_kind.code(), index + 1),
                kind: input_kind,
                name,
                source,
            });
        }
    }
    let network_remote = config
        .network_inputs
        .iter()
        .find(|input| input.kind == InputKind::Remote.code());
    if let Some(input) = network_remote.filter(|_| remote.is_empty()) {
        inputs.push(Input {
            id: "remote".to_owned(),
            kind: InputKind::Remote,
            name: input.name.clone(),
            source: Source::Launch(input.pipeline.clone()),
        });
    }
    if !remote.is_empty() {
        let device = devices
            .iter()
            .find(|device| device.kind == DeviceKind::Microphone && device.name == remote)
            .ok_or_else(|| RecorderError::DeviceNotFound {
                name: remote.to_owned(),
                available: names(&devices.iter().collect::<Vec<_>>()),
            })?;
        inputs.push(Input {
            id: "remote".to_owned(),
            kind: InputKind::Remote,
            name: device.name.clone(),
            source: Source::Device(device.device.clone()),
        });
    }
    Ok(Selection {
        inputs,
        demo_reasons,
    })
}

fn names(devices: &[&Device]) -> String {
    devices
        .iter()
        .map(|device| device.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_gives_camera_microphone_and_remote_marked_as_demo() {
        let selection = choose(&config::Recording::default(), &[], true).expect("demo");
        let kinds: Vec<_> = selection.inputs.iter().map(|i| i.kind).collect();
        assert_eq!(
            kinds,
            [InputKind::Camera, InputKind::Microphone, InputKind::Remote]
        );
        assert!(selection.inputs.iter().all(Input::is_demo));
        assert_eq!(selection.demo_reasons, [DemoReason::Requested]);
    }

    #[test]
    fn demo_inputs_are_counted_and_named_each_apart() {
        let selection = demo_inputs(2, 4);
        let ids: Vec<_> = selection.inputs.iter().map(|i| i.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "camera-1",
                "camera-2",
                "microphone-1",
                "microphone-2",
                "microphone-3",
                "microphone-4",
                "remote"
            ]
        );
        assert!(selection.inputs.iter().all(Input::is_demo));
        assert_eq!(
            selection.inputs[1].name,
            format!("{} 2", tr!("demo-camera"))
        );
        assert_eq!(demo_inputs(1, 1).inputs[0].name, tr!("demo-camera"));
    }

    #[test]
    fn no_devices_falls_back_to_demo_and_says_why() {
        let selection = choose(&config::Recording::default(), &[], false).expect("fallback");
        assert_eq!(
            selection.demo_reasons,
            [DemoReason::NoCamera, DemoReason::NoMicrophone]
        );
        assert!(selection.inputs.iter().all(Input::is_demo));
    }

    #[test]
    fn no_devices_without_fallback_is_an_error() {
        let config = config::Recording {
            demo_when_no_devices: false,
            ..config::Recording::default()
        };
        assert!(matches!(
            choose(&config, &[], false),
            Err(RecorderError::NoDevice {
                kind: DeviceKind::Camera
            })
        ));
    }

    #[test]
    fn a_named_device_that_is_absent_is_an_error() {
        let config = config::Recording {
            cameras: vec!["Logitech C920".to_owned()],
            ..config::Recording::default()
        };
        let error = choose(&config, &[], false).expect_err("absent camera");
        assert!(error.to_string().contains("Logitech C920"), "{error}");
        let config = config::Recording {
            remote_audio: "VC line-in".to_owned(),
            ..config::Recording::default()
        };
        assert!(matches!(
            choose(&config, &[], false),
            Err(RecorderError::DeviceNotFound { .. })
        ));
    }
}
