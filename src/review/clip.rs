//! A clip of a part for a party who asks for a copy of a fragment (rule 3): the stretch
//! copied from the recording without re-encoding (so it starts at the keyframe at or before
//! the asked start), with the session's sealed protocol beside it and a manifest of its own,
//! signed with the court's key and naming the part's seal it was cut under. `hattama verify`,
//! `sha256sum -c` and `minisign -V` check it as they check a whole part.

use std::path::{Path, PathBuf};
use std::time::Duration;

use gstreamer as gst;
use gstreamer::prelude::*;
use sha2::{Digest, Sha256};

use crate::lock::Locked;
use crate::output::Output;
use crate::problem::Problem;
use crate::seal::Sealer;
use crate::seal::part::{
    Clip, MANIFEST, Manifest, PROTOCOL_JSON, PROTOCOL_TEXT, file_entry, sign_folder,
};
use crate::seal::verify::MANIFEST_LIMIT;
use crate::tr;

/// The clip's recording inside its folder.
pub const CLIP_FILE: &str = "clip.mkv";

#[derive(Debug, thiserror::Error)]
pub enum ClipError {
    #[error("{from_ms}–{to_ms} ms: the clip must end after it starts, within the part")]
    Range { from_ms: i64, to_ms: i64 },
    #[error("{path}: {message}")]
    Source { path: PathBuf, message: String },
    #[error("{0}")]
    Remux(String),
    #[error("{path}: {message}")]
    Write { path: PathBuf, message: String },
    #[error(transparent)]
    Seal(#[from] crate::seal::SealError),
    #[error(transparent)]
    Output(#[from] crate::output::OutputError),
}

impl Problem for ClipError {
    fn title(&self) -> String {
        match self {
            ClipError::Range { .. } => tr!("clip-range"),
            ClipError::Seal(error) => error.title(),
            ClipError::Output(error) => error.title(),
            _ => tr!("clip-failed"),
        }
    }

    fn help(&self) -> String {
        match self {
            ClipError::Range { .. } => tr!("clip-range-help"),
            ClipError::Seal(error) => error.help(),
            ClipError::Output(error) => error.help(),
            _ => tr!("clip-failed-help"),
        }
    }
}

/// What exporting a clip wrote.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Exported {
    pub folder: PathBuf,
    pub manifest: Manifest,
}

/// Where a clip goes: a folder a person chose, which must lie outside the data folder.
#[derive(Debug, Clone, Copy)]
pub struct Into<'a> {
    pub folder: &'a Path,
    pub data: &'a Path,
}

/// Cuts `from_ms`–`to_ms` of the sealed part in `part` into a new folder under `into`,
/// signs it with `sealer`. The folder is written under a temporary name and takes its own
/// only when whole; a folder of that name already there is never replaced.
pub fn export(
    part: &Path,
    (from_ms, to_ms): (i64, i64),
    into: Into<'_>,
    sealer: &Sealer,
    zone: chrono::FixedOffset,
) -> Result<Exported, ClipError> {
    let source_error = |path: &Path, message: String| ClipError::Source {
        path: path.to_owned(),
        message,
    };
    let (source, manifest_bytes) = crate::seal::verify::read_manifest(part)
        .map_err(|reason| source_error(&part.join(MANIFEST), reason.to_string()))?;
    let length = source.duration_ms.unwrap_or(i64::MAX);
    if from_ms < 0 || to_ms <= from_ms || from_ms >= length {
        return Err(ClipError::Range { from_ms, to_ms });
    }
    let to_ms = to_ms.min(length);
    let name = format!(
        "{}_s{}_part-{:02}_{}-{}",
        crate::paths::file_name_part(&source.identity.case_number),
        source.identity.session_id,
        source.identity.part,
        stamp(from_ms),
        stamp(to_ms)
    );
    let folder = into.folder.join(&name);
    crate::output::may_write(&folder, into.data, Output::Folder, false)?;
    let write_error = |path: &Path, e: std::io::Error| ClipError::Write {
        path: path.to_owned(),
        message: e.to_string(),
    };
    let partial = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".partial")
        .tempdir_in(into.folder)
        .map_err(|e| write_error(into.folder, e))?;
    let recordings = crate::seal::part::sealed_recordings(part, &source);
    let partial_path = partial.path().to_owned();
    let written = (|| -> Result<Manifest, ClipError> {
        let partial = partial_path.as_path();
        let starts_ms = remux(&recordings, from_ms, to_ms, &partial.join(CLIP_FILE))?;
        // Every file on disk before the folder takes its name (the seal's files are written
        // the same way): a power cut never leaves a clip under its name half written.
        let clip = partial.join(CLIP_FILE);
        std::fs::File::open(&clip)
            .and_then(|file| file.sync_all())
            .map_err(|e| write_error(&clip, e))?;
        for name in [PROTOCOL_TEXT, PROTOCOL_JSON] {
            let bytes = crate::seal::verify::read_bytes(&part.join(name), MANIFEST_LIMIT)
                .map_err(|reason| source_error(&part.join(name), reason.to_string()))?;
            crate::paths::write_atomically(&partial.join(name), &bytes)
                .map_err(|e| write_error(&partial.join(name), e))?;
        }
        let files = [CLIP_FILE, PROTOCOL_TEXT, PROTOCOL_JSON]
            .iter()
            .map(|name| file_entry(&partial.join(name)))
            .collect::<Result<Vec<_>, _>>()?;
        let manifest = Manifest {
            sealed_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            key_id: sealer.id_hex(),
            duration_ms: Some(to_ms - starts_ms),
            files,
            clip: Some(Clip {
                from_ms,
                to_ms,
                starts_ms,
                part_manifest_sha256: crate::digest::hex(&Sha256::digest(&manifest_bytes)),
            }),
            // A clip is signed with the Ed25519 key alone.
            court_certificate: None,
            ..source.clone()
        };
        sign_folder(partial, &manifest, sealer, zone)?;
        Ok(manifest)
    })();
    // On failure the temporary folder goes with its guard.
    let manifest = written?;
    crate::output::rename_new(partial.path(), &folder)?;
    let _ = partial.keep();
    crate::paths::sync_folder(into.folder);
    Ok(Exported { folder, manifest })
}

/// `HHMMSS` of a media time, for the folder's name.
fn stamp(ms: i64) -> String {
    let seconds = ms / 1000;
    format!(
        "{:02}{:02}{:02}",
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60
    )
}

/// Copies `from_ms`–`to_ms` of the part's recording into `out` without re-encoding; returns
/// where the copy starts (the keyframe at or before `from_ms`), in the part's media time.
///
/// Every stream of the recording is held at its first buffer until the seek is made, so the
/// muxer sees nothing from before it.
fn remux(recordings: &[PathBuf], from_ms: i64, to_ms: i64, out: &Path) -> Result<i64, ClipError> {
    let failed = |message: String| ClipError::Remux(message);
    gst::init().map_err(|e| failed(e.to_string()))?;
    let make = |factory: &str| {
        gst::ElementFactory::make(factory)
            .build()
            .map_err(|e| failed(format!("{factory}: {e}")))
    };
    let pipeline = gst::Pipeline::new();
    let source = super::recording_source(recordings).map_err(failed)?;
    let first = recordings.first().cloned().unwrap_or_default();
    let mux = make("matroskamux")?;
    let sink = make("filesink")?;
    sink.set_property("location", out.to_string_lossy().as_ref());
    pipeline
        .add_many([&source, &mux, &sink])
        .map_err(|e| failed(e.to_string()))?;
    mux.link(&sink).map_err(|e| failed(e.to_string()))?;
    let held = std::sync::Arc::new(std::sync::Mutex::new(
        Vec::<(gst::Pad, gst::PadProbeId)>::new(),
    ));
    let starts = std::sync::Arc::new(std::sync::Mutex::new(None::<i64>));
    let (weak_pipeline, weak_mux) = (pipeline.downgrade(), mux.downgrade());
    let (for_pads, for_start) = (held.clone(), starts.clone());
    source.connect_pad_added(move |_, pad| {
        let (Some(pipeline), Some(mux)) = (weak_pipeline.upgrade(), weak_mux.upgrade()) else {
            return;
        };
        let video = pad.name().starts_with("video");
        let Ok(queue) = gst::ElementFactory::make("queue").build() else {
            return;
        };
        let _ = pipeline.add(&queue);
        let template = if video { "video_%u" } else { "audio_%u" };
        let linked = mux
            .request_pad_simple(template)
            .map(|mux_pad| queue.static_pad("src").map(|src| src.link(&mux_pad)));
        if !matches!(linked, Some(Some(Ok(_)))) {
            return;
        }
        let _ = queue.sync_state_with_parent();
        if let Some(id) = pad.add_probe(
            gst::PadProbeType::BLOCK | gst::PadProbeType::BUFFER,
            |_, _| gst::PadProbeReturn::Ok,
        ) {
            for_pads.locked().push((pad.clone(), id));
        }
        if video {
            // Where the copy starts: the first video buffer after the seek.
            let starts = for_start.clone();
            pad.add_probe(gst::PadProbeType::BUFFER, move |pad, info| {
                let mut starts = starts.locked();
                if starts.is_none()
                    && let Some(buffer) = info.buffer()
                    && let Some(pts) = buffer.pts()
                    && let Some(event) = pad.sticky_event::<gst::event::Segment>(0)
                    && let Some(segment) = event.segment().downcast_ref::<gst::ClockTime>()
                    && let Some(time) = segment.to_stream_time(pts)
                {
                    *starts = Some(time.mseconds() as i64);
                }
                gst::PadProbeReturn::Ok
            });
        }
        if let Some(sink) = queue.static_pad("sink") {
            let _ = pad.link(&sink);
        }
    });
    let all_pads = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let no_more = all_pads.clone();
    source.connect_no_more_pads(move |_| no_more.store(true, std::sync::atomic::Ordering::SeqCst));
    let bus = pipeline.bus().expect("a pipeline has a bus");
    let run = (|| {
        pipeline
            .set_state(gst::State::Paused)
            .map_err(|e| failed(format!("{}: {e}", first.display())))?;
        // Every stream has come and is held at its first buffer.
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(message) = bus.timed_pop_filtered(
                gst::ClockTime::from_mseconds(20),
                &[gst::MessageType::Error],
            ) && let gst::MessageView::Error(error) = message.view()
            {
                return Err(failed(error.error().to_string()));
            }
            if all_pads.load(std::sync::atomic::Ordering::SeqCst)
                && held.locked().len() == source.num_src_pads() as usize
            {
                break;
            }
            if std::time::Instant::now() > deadline {
                return Err(failed(format!(
                    "{}: the recording does not open",
                    first.display()
                )));
            }
        }
        source
            .seek(
                1.0,
                gst::SeekFlags::FLUSH | gst::SeekFlags::KEY_UNIT | gst::SeekFlags::SNAP_BEFORE,
                gst::SeekType::Set,
                gst::ClockTime::from_mseconds(from_ms as u64),
                gst::SeekType::Set,
                gst::ClockTime::from_mseconds(to_ms as u64),
            )
            .map_err(|e| failed(format!("seek: {e}")))?;
        // What was held before the seek is flushed away: the start is the first after it.
        *starts.locked() = None;
        for (pad, id) in held.locked().drain(..) {
            pad.remove_probe(id);
        }
        pipeline
            .set_state(gst::State::Playing)
            .map_err(|e| failed(e.to_string()))?;
        match bus.timed_pop_filtered(
            gst::ClockTime::from_seconds(600),
            &[gst::MessageType::Eos, gst::MessageType::Error],
        ) {
            Some(message) => match message.view() {
                gst::MessageView::Eos(_) => Ok(()),
                gst::MessageView::Error(error) => Err(failed(format!(
                    "{}: {}",
                    error.error(),
                    error.debug().unwrap_or_default()
                ))),
                _ => Ok(()),
            },
            None => Err(failed("the copy did not finish in 10 minutes".to_owned())),
        }
    })();
    let _ = pipeline.set_state(gst::State::Null);
    run?;
    let starts = starts.locked().unwrap_or(from_ms);
    let file = std::fs::File::open(out).map_err(|e| ClipError::Write {
        path: out.to_owned(),
        message: e.to_string(),
    })?;
    file.sync_all().map_err(|e| ClipError::Write {
        path: out.to_owned(),
        message: e.to_string(),
    })?;
    Ok(starts)
}
