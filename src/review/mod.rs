//! Reviewing a session: its protocol beside its recording, for the judge, the secretary, or
//! a higher court holding a disc. A review is read from the database (a session of this
//! court) or from the part folders alone (a disc, a disc image, a copied folder): either way
//! it is the session's sealed `Document` and its parts, so both show the same protocol.

pub mod clip;
pub mod player;
pub mod stream;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::paths::Paths;
use crate::problem::Problem;
use crate::seal::document::{Document, Link};
use crate::seal::part::{MANIFEST, Manifest, PROTOCOL_JSON};
use crate::seal::verify::{MANIFEST_LIMIT, Report};
use crate::store::{Store, StoreError};
use crate::tr;

/// Where a review was read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Database,
    /// A folder (a disc, a copy) or a disc image, read without the database.
    Folder(PathBuf),
    /// The court server (`stream::Streamed`), where the case lies: read as it plays.
    Server(String),
}

/// One part of the session under review.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewPart {
    pub number: i64,
    /// Its folder on this machine.
    pub folder: PathBuf,
    pub duration_ms: Option<i64>,
    /// Interrupted (crash, power loss) and made whole by recovery.
    pub recovered: bool,
    pub sealed: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Review {
    pub document: Document,
    pub parts: Vec<ReviewPart>,
    pub source: Source,
}

/// How a part's seal stands, as the reviewer sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SealState {
    Checking,
    Verified,
    /// Verified; the recording was interrupted and recovered.
    Recovered,
    /// Not sealed (yet): nothing vouches for it.
    Unsealed,
    /// Read from the court server: the seal verified (signature, sizes, listed files)
    /// without reading the recordings, each of whose bytes is held to the seal as it plays.
    Streaming,
    /// What failed, first.
    Failed(String),
}

impl SealState {
    /// The state a part read from the server is shown in: its report is
    /// `verify_part_unhashed`'s.
    pub fn of_streamed(report: &Report, part: &ReviewPart) -> SealState {
        match SealState::of(report, part) {
            SealState::Verified | SealState::Recovered => SealState::Streaming,
            other => other,
        }
    }

    pub fn of(report: &Report, part: &ReviewPart) -> SealState {
        if !part.sealed {
            return SealState::Unsealed;
        }
        match report.failures().next() {
            Some(check) => SealState::Failed(format!("{}: {}", check.subject, check.detail)),
            None if report.ok() && part.recovered => SealState::Recovered,
            None if report.ok() => SealState::Verified,
            None => SealState::Failed(report.folder.display().to_string()),
        }
    }
}

/// What a mark on the seek bar stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkKind {
    Entry,
    /// A recess or a resumption.
    Recess,
    /// An interruption the recording was recovered from, or an addendum.
    Incident,
    /// An entry the search finds.
    Match,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mark {
    pub at_ms: i64,
    pub kind: MarkKind,
    /// The entry's index in the protocol, if an entry.
    pub entry: Option<usize>,
}

/// What the reviewer searches the protocol for; empty fields match everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    pub text: String,
    pub speaker: Option<String>,
    pub kind: Option<String>,
}

impl Query {
    pub fn is_empty(&self) -> bool {
        self.text.trim().is_empty() && self.speaker.is_none() && self.kind.is_none()
    }

    pub fn matches(&self, link: &Link) -> bool {
        let text = self.text.trim().to_lowercase();
        (text.is_empty()
            || link.text.to_lowercase().contains(&text)
            || link.kind_label.to_lowercase().contains(&text)
            || link
                .speaker
                .as_ref()
                .is_some_and(|s| s.to_lowercase().contains(&text)))
            && self
                .speaker
                .as_ref()
                .is_none_or(|speaker| link.speaker.as_ref() == Some(speaker))
            && self.kind.as_ref().is_none_or(|kind| link.kind == *kind)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ReviewError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{0}: no sealed parts found")]
    NothingSealed(PathBuf),
    #[error("{path}: {message}")]
    Read { path: PathBuf, message: String },
    #[error("{image}: {message}")]
    Image { image: PathBuf, message: String },
}

impl Problem for ReviewError {
    fn title(&self) -> String {
        match self {
            ReviewError::Store(error) => error.title(),
            ReviewError::NothingSealed(path) => {
                tr!("review-nothing-sealed", path = path.display().to_string())
            }
            ReviewError::Read { path, .. } => {
                tr!("review-unreadable", path = path.display().to_string())
            }
            ReviewError::Image { image, .. } => {
                tr!(
                    "review-image-unreadable",
                    path = image.display().to_string()
                )
            }
        }
    }

    fn help(&self) -> String {
        match self {
            ReviewError::Store(error) => error.help(),
            _ => tr!("review-open-help"),
        }
    }
}

impl Review {
    /// A session of this court, from the database: its protocol as it stands (entries
    /// written since the last seal included) and its parts.
    pub fn from_store(
        store: &Store,
        paths: &Paths,
        session_id: i64,
        zone: chrono::FixedOffset,
    ) -> Result<Review, StoreError> {
        let session = store.session(session_id)?;
        let entries = store.entries(session_id)?;
        let (document, _) = crate::seal::part::document(entries, &session, zone);
        let parts = store
            .parts_of(session_id)?
            .into_iter()
            .map(|part| ReviewPart {
                number: part.number,
                folder: paths.sessions().join(&part.folder),
                duration_ms: part.duration_ms,
                recovered: part.recovered,
                sealed: part.sealed_at.is_some(),
            })
            .collect();
        Ok(Review {
            document,
            parts,
            source: Source::Database,
        })
    }

    /// Every session found in `path` (a part or session folder, a disc, a copy holding many)
    /// from the part folders' manifests and sealed protocols alone. A disc image (`.iso`) is
    /// unpacked into `unpack` first (with xorriso) and read there.
    pub fn open(path: &Path, unpack: &Path) -> Result<Vec<Review>, ReviewError> {
        let folder = if path.is_file() {
            unpack_image(path, unpack)?
        } else {
            path.to_owned()
        };
        // Sessions by case and number, and by their court-wide identity where the seal has
        // one (two courtrooms each have a session 1); each part once (a disc set repeats a
        // seal).
        type Key = (String, i64, String);
        let mut sessions: BTreeMap<Key, BTreeMap<i64, (PathBuf, Manifest)>> = BTreeMap::new();
        for part_folder in crate::seal::verify::find_parts(&folder) {
            // Read as verify reads it: never through a link, a regular file, bounded.
            let manifest_path = part_folder.join(MANIFEST);
            let read = crate::seal::verify::read_bytes(&manifest_path, MANIFEST_LIMIT).map_err(
                |reason| ReviewError::Read {
                    path: manifest_path.clone(),
                    message: reason.to_string(),
                },
            )?;
            let Ok(manifest) = serde_json::from_slice::<Manifest>(&read) else {
                continue;
            };
            sessions
                .entry((
                    manifest.identity.case_number.clone(),
                    manifest.identity.session_id,
                    manifest.identity.session_uid.clone(),
                ))
                .or_default()
                .entry(manifest.identity.part)
                .or_insert((part_folder, manifest));
        }
        if sessions.is_empty() {
            return Err(ReviewError::NothingSealed(path.to_owned()));
        }
        let mut reviews = Vec::new();
        for parts in sessions.into_values() {
            // The latest seal holds the longest protocol (every seal holds all before it).
            let Some((latest, _)) = parts.values().max_by_key(|(_, m)| m.sealed_at.clone()) else {
                continue;
            };
            let protocol = latest.join(PROTOCOL_JSON);
            let document = crate::seal::verify::read_bytes(&protocol, MANIFEST_LIMIT)
                .map_err(|error| error.to_string())
                .and_then(|bytes| {
                    serde_json::from_slice::<Document>(&bytes).map_err(|e| e.to_string())
                })
                .map_err(|message| ReviewError::Read {
                    path: protocol.clone(),
                    message,
                })?;
            reviews.push(Review {
                document,
                parts: parts
                    .into_iter()
                    .map(|(number, (folder, manifest))| ReviewPart {
                        number,
                        folder,
                        duration_ms: manifest.duration_ms,
                        recovered: manifest.recovered,
                        sealed: true,
                    })
                    .collect(),
                source: Source::Folder(path.to_owned()),
            });
        }
        Ok(reviews)
    }

    pub fn part(&self, number: i64) -> Option<&ReviewPart> {
        self.parts.iter().find(|p| p.number == number)
    }

    /// The entry being played at `at_ms` of part `part`: the last one at or before it.
    pub fn entry_at(&self, part: i64, at_ms: i64) -> Option<usize> {
        self.document
            .entries
            .iter()
            .enumerate()
            .filter(|(_, link)| link.part == Some(part) && link.offset_ms.is_some())
            .take_while(|(_, link)| link.offset_ms.unwrap_or(0) <= at_ms)
            .last()
            .map(|(index, _)| index)
    }

    /// The marks on part `part`'s seek bar: entries, recesses, incidents, and what `query`
    /// finds (when it asks anything).
    pub fn marks(&self, part: i64, query: &Query) -> Vec<Mark> {
        let mut marks: Vec<Mark> = self
            .document
            .entries
            .iter()
            .enumerate()
            .filter(|(_, link)| link.part == Some(part))
            .filter_map(|(index, link)| {
                let kind = if !query.is_empty() && query.matches(link) {
                    MarkKind::Match
                } else if link.kind == "recess" || link.kind == "resumed" {
                    MarkKind::Recess
                } else if matches!(
                    link.kind.as_str(),
                    "addendum" | "incident" | "technical-act"
                ) {
                    MarkKind::Incident
                } else {
                    MarkKind::Entry
                };
                Some(Mark {
                    at_ms: link.offset_ms?,
                    kind,
                    entry: Some(index),
                })
            })
            .collect();
        if let Some(part) = self.part(part)
            && part.recovered
        {
            // Where the recording stopped before it was recovered: its end.
            marks.push(Mark {
                at_ms: part.duration_ms.unwrap_or(0),
                kind: MarkKind::Incident,
                entry: None,
            });
        }
        marks
    }

    /// The speakers named in the protocol, for the search's choice.
    pub fn speakers(&self) -> Vec<String> {
        let mut speakers: Vec<String> = self
            .document
            .entries
            .iter()
            .filter_map(|link| link.speaker.clone())
            .collect();
        speakers.sort();
        speakers.dedup();
        speakers
    }

    /// The entry kinds the protocol holds (code and label), for the search's choice.
    pub fn kinds(&self) -> Vec<(String, String)> {
        let mut kinds: Vec<(String, String)> = self
            .document
            .entries
            .iter()
            .map(|link| {
                let label = if link.kind_label.is_empty() {
                    tr!("kind-note")
                } else {
                    link.kind_label.clone()
                };
                (link.kind.clone(), label)
            })
            .collect();
        kinds.sort();
        kinds.dedup_by(|a, b| a.0 == b.0);
        kinds
    }

    /// The addenda written to entry `seq`, to show beside it.
    pub fn addenda_of(&self, seq: i64) -> impl Iterator<Item = &Link> {
        self.document
            .entries
            .iter()
            .filter(move |link| link.corrects == Some(seq))
    }
}

/// The source the player reads a part's recording from: its pads are named as the files'
/// tracks (`video_0`, `audio_0`…) and added as they are found. One file (a part shorter than
/// the recorder's cut) is read by `filesrc ! matroskademux`; several by [`recording_source`].
///
/// Why not `splitmuxsrc` always: under a parallel build it left 5 opens in 1500 of a one-file
/// part waiting for ever at preroll, posting nothing (three of its pads' tasks paused before
/// their first buffer as the part was activated), where the demuxer left none of the same
/// 1500, and opened twice as fast (docs/splitmuxsrc-stall.md). Parts of several files showed
/// no stall in 3600 opens; should one stall, the player opens it again.
pub(crate) fn playing_source(files: &[std::path::PathBuf]) -> Result<gstreamer::Element, String> {
    match files {
        [file] => single_file_source(file),
        _ => recording_source(files),
    }
}

/// A `splitmuxsrc` playing exactly `files`, in that order (never a pattern: a file put beside
/// them is not played): one element that takes seeks for every stream (a clip's copy seeks
/// it before it plays).
pub(crate) fn recording_source(files: &[std::path::PathBuf]) -> Result<gstreamer::Element, String> {
    use gstreamer::prelude::*;
    let source = gstreamer::ElementFactory::make("splitmuxsrc")
        .build()
        .map_err(|error| format!("splitmuxsrc: {error}"))?;
    let names: Vec<String> = files
        .iter()
        .map(|file| file.to_string_lossy().into_owned())
        .collect();
    source.connect("format-location", false, move |_| Some(names.to_value()));
    Ok(source)
}

/// `filesrc ! matroskademux` in a bin whose pads are the demuxer's, under the same names.
fn single_file_source(file: &std::path::Path) -> Result<gstreamer::Element, String> {
    use gstreamer::prelude::*;
    let make = |factory: &str| {
        gstreamer::ElementFactory::make(factory)
            .build()
            .map_err(|error| format!("{factory}: {error}"))
    };
    let (bin, read, demux) = (
        gstreamer::Bin::new(),
        make("filesrc")?,
        make("matroskademux")?,
    );
    read.set_property("location", file.to_string_lossy().to_string());
    bin.add_many([&read, &demux]).map_err(|e| e.to_string())?;
    read.link(&demux).map_err(|e| e.to_string())?;
    let weak = bin.downgrade();
    demux.connect_pad_added(move |_, pad| {
        let Some(bin) = weak.upgrade() else {
            return;
        };
        let exposed = gstreamer::GhostPad::builder_with_target(pad)
            .map(|ghost| ghost.name(pad.name()).build())
            .map_err(|e| e.to_string())
            .and_then(|ghost| {
                ghost.set_active(true).map_err(|e| e.to_string())?;
                bin.add_pad(&ghost).map_err(|e| e.to_string())
            });
        if let Err(error) = exposed {
            tracing::error!("{}: track {}: {error}", bin.name(), pad.name());
        }
    });
    let weak = bin.downgrade();
    demux.connect_no_more_pads(move |_| {
        if let Some(bin) = weak.upgrade() {
            bin.no_more_pads();
        }
    });
    Ok(bin.upcast())
}

/// Unpacks a disc image into a folder of its own under `unpack` (kept for the next time the
/// same image is opened, until another image is), as `hattama verify` extracts one, and
/// returns that folder.
fn unpack_image(image: &Path, unpack: &Path) -> Result<PathBuf, ReviewError> {
    use sha2::{Digest, Sha256};
    let failed = |message: String| ReviewError::Image {
        image: image.to_owned(),
        message,
    };
    let meta = std::fs::metadata(image).map_err(|e| failed(e.to_string()))?;
    let key = crate::digest::hex(&Sha256::digest(format!(
        "{}\n{}\n{:?}",
        image.display(),
        meta.len(),
        meta.modified().ok()
    )));
    let into = unpack.join(&key[..16]);
    // One image is reviewed at a time: the copies of others are removed, so the folder
    // holds at most one image's files, never a growing pile.
    if let Ok(entries) = std::fs::read_dir(unpack) {
        for entry in entries.flatten() {
            if entry.path() != into {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
    }
    if into.join(".whole").is_file() {
        return Ok(into);
    }
    let _ = std::fs::remove_dir_all(&into);
    std::fs::create_dir_all(&into).map_err(|e| failed(e.to_string()))?;
    if let Err(error) = crate::seal::verify::extract_image_into(image, &into) {
        let _ = std::fs::remove_dir_all(&into);
        return Err(failed(error.to_string()));
    }
    // Marks the unpacked copy as complete: an interrupted one is unpacked again.
    let _ = std::fs::write(into.join(".whole"), b"");
    Ok(into)
}
