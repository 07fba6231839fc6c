//! Encoding profiles: data, not code. Built-in profiles live in `assets/profiles/`; a user
//! adds more as TOML files in `<data folder>/profiles/`.

use std::path::Path;

use serde::Deserialize;

use super::RecorderError;

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    pub name: String,
    pub video: VideoProfile,
    pub audio: AudioProfile,
    pub preview: PreviewProfile,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VideoProfile {
    pub width: u32,
    pub height: u32,
    pub framerate: u32,
    /// The raw format the encoder is given (`I420`: 4:2:0, plays everywhere).
    pub format: String,
    /// A gst-launch fragment taking raw video and giving H.264.
    pub encoder: String,
    pub parser: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AudioProfile {
    pub rate: u32,
    pub channels: u32,
    /// A gst-launch fragment taking raw audio and giving compressed audio.
    pub encoder: String,
    pub parser: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PreviewProfile {
    pub width: u32,
    pub height: u32,
    pub framerate: u32,
}

const BUILT_IN: [&str; 3] = [
    include_str!("../../assets/profiles/720p25.toml"),
    include_str!("../../assets/profiles/1080p25.toml"),
    include_str!("../../assets/profiles/480p25.toml"),
];

impl Profile {
    fn parse(text: &str, origin: &str) -> Result<Self, RecorderError> {
        let profile: Profile =
            toml::from_str(text).map_err(|error| RecorderError::ProfileInvalid {
                origin: origin.to_owned(),
                message: error.to_string(),
            })?;
        let video = &profile.video;
        if video.width == 0 || video.height == 0 || video.framerate == 0 {
            return Err(RecorderError::ProfileInvalid {
                origin: origin.to_owned(),
                message: "video width, height and framerate must be above zero".to_owned(),
            });
        }
        if profile.audio.rate == 0 || profile.audio.channels == 0 {
            return Err(RecorderError::ProfileInvalid {
                origin: origin.to_owned(),
                message: "audio rate and channels must be above zero".to_owned(),
            });
        }
        Ok(profile)
    }

    /// Every profile: built-in ones, then the user's (a user file may replace a built-in
    /// one by using its name).
    pub fn all(user_folder: &Path) -> Result<Vec<Profile>, RecorderError> {
        let mut profiles = BUILT_IN
            .iter()
            .map(|text| Profile::parse(text, "built-in"))
            .collect::<Result<Vec<_>, _>>()?;
        let Ok(entries) = std::fs::read_dir(user_folder) else {
            return Ok(profiles);
        };
        let mut paths: Vec<_> = entries
            .filter_map(|entry| entry.ok().map(|entry| entry.path()))
            .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
            .collect();
        paths.sort();
        for path in paths {
            let origin = path.display().to_string();
            let text =
                std::fs::read_to_string(&path).map_err(|error| RecorderError::ProfileInvalid {
                    origin: origin.clone(),
                    message: error.to_string(),
                })?;
            let profile = Profile::parse(&text, &origin)?;
            profiles.retain(|known| known.name != profile.name);
            profiles.push(profile);
        }
        Ok(profiles)
    }

    /// About how many bytes an hour of recording takes: the video and `audio_tracks` audio
    /// tracks at their encoders' bitrates (x264's in kbit/s, the audio encoder's in bit/s),
    /// and the audio-only copy; 3 Mbit/s of video when the encoder names no bitrate.
    pub fn bytes_per_hour(&self, audio_tracks: u64) -> u64 {
        let bitrate = |fragment: &str| {
            fragment
                .split_whitespace()
                .find_map(|part| part.strip_prefix("bitrate="))
                .and_then(|value| value.parse::<u64>().ok())
        };
        let video = bitrate(&self.video.encoder).map_or(3_000_000, |kbit| kbit * 1000);
        let audio = bitrate(&self.audio.encoder).unwrap_or(96_000);
        (video + audio * (audio_tracks + 1)) / 8 * 3600
    }

    pub fn find(name: &str, user_folder: &Path) -> Result<Profile, RecorderError> {
        let profiles = Profile::all(user_folder)?;
        let names = profiles.iter().map(|p| p.name.clone()).collect::<Vec<_>>();
        profiles
            .into_iter()
            .find(|profile| profile.name == name)
            .ok_or_else(|| RecorderError::NoSuchProfile {
                name: name.to_owned(),
                known: names.join(", "),
            })
    }
}

#[cfg(test)]
mod tests {
    use gstreamer as gst;
    use gstreamer::prelude::*;

    use super::*;

    #[test]
    fn built_in_profiles_parse_and_default_is_720p25() {
        let profiles = Profile::all(Path::new("/nonexistent")).expect("built-ins parse");
        let names: Vec<_> = profiles.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["720p25", "1080p25", "480p25"]);
        let default = Profile::find("720p25", Path::new("/nonexistent")).expect("default");
        assert_eq!((default.video.width, default.video.height), (1280, 720));
        assert_eq!(default.video.framerate, 25);
    }

    #[test]
    fn a_user_profile_is_found_and_a_bad_one_is_named() {
        let folder = tempfile::tempdir().expect("temporary folder");
        let mut text = BUILT_IN[0].replace("\"720p25\"", "\"hall-3\"");
        text = text.replace("width = 1280", "width = 1024");
        std::fs::write(folder.path().join("hall-3.toml"), &text).expect("write");
        let profile = Profile::find("hall-3", folder.path()).expect("user profile");
        assert_eq!(profile.video.width, 1024);

        std::fs::write(folder.path().join("broken.toml"), "name = 3").expect("write");
        let error = Profile::all(folder.path()).expect_err("broken profile");
        assert!(error.to_string().contains("broken.toml"), "{error}");
        assert!(matches!(
            Profile::find("none", Path::new("/nonexistent")),
            Err(RecorderError::NoSuchProfile { .. })
        ));
    }

    /// Each profile's encoders link and run between a test source and a fake sink.
    #[test]
    fn every_profile_links_in_a_pipeline() {
        gst::init().expect("GStreamer initialises");
        for profile in Profile::all(Path::new("/nonexistent")).expect("profiles") {
            let video = &profile.video;
            let audio = &profile.audio;
            let description = format!(
                "videotestsrc num-buffers=10 ! video/x-raw,width={},height={},framerate={}/1 \
                 ! videoconvert ! video/x-raw,format={} ! {} ! {} ! matroskamux name=mux \
                 ! fakesink \
                 audiotestsrc num-buffers=10 ! audio/x-raw,rate={},channels={} ! audioconvert \
                 ! {} ! {} ! mux.",
                video.width,
                video.height,
                video.framerate,
                video.format,
                video.encoder,
                video.parser,
                audio.rate,
                audio.channels,
                audio.encoder,
                audio.parser
            );
            let pipeline = gst::parse::launch(&description)
                .unwrap_or_else(|e| panic!("profile {} builds: {e}", profile.name));
            pipeline.set_state(gst::State::Playing).expect("plays");
            let bus = pipeline.bus().expect("bus");
            let message = bus
                .timed_pop_filtered(
                    gst::ClockTime::from_seconds(30),
                    &[gst::MessageType::Eos, gst::MessageType::Error],
                )
                .expect("finishes in time");
            assert!(
                matches!(message.view(), gst::MessageView::Eos(_)),
                "profile {} runs to the end: {message:?}",
                profile.name
            );
            pipeline.set_state(gst::State::Null).expect("stops");
        }
    }
}
