//! The case disc (rules 8, 18, 21, 22): one CD/DVD/BD-ready ISO 9660 image (level 3, Joliet
//! and Rock Ridge) of a case's sealed session parts, with a README in the three languages,
//! the court's public keys and a signed inventory of every file on it, so a disc plays in
//! any player and checks with `sha256sum -c` and `minisign` alone.
//!
//! ```text
//!  README.txt                       kk, ru, en: what is on the disc, how to play and check it
//!  INVENTORY.json (+ .minisig)      case, disc n of N, every file with size and SHA-256
//!  keys/<key id>.pub                the court's public keys
//!  <date>_<case>_s<id>/part-NN/     each sealed part as sealed: recording-*.mkv, audio.opus,
//!                                   protocol.txt/.json, manifest.json(.minisig), SHA256SUMS
//! ```
//!
//! Planning first (`plan`): which parts go on which disc, and each image's exact size from
//! the same layout the writer uses, before anything is written. Then `image::build` writes
//! one image, with progress and cancel, under a temporary name renamed only when whole.

pub mod accept;
pub mod burn;
pub mod check;
pub mod image;
pub mod inventory;

mod planning;

pub use planning::{DiscPlan, PartOnDisc, part_files, plan, plan_for, volume_label};

/// Enters a built image in its case's inventory and, in the same transaction, queues the
/// signed event saying so for the court server (where the archivist's desk reads it).
/// `place` is the court and the courtroom.
pub fn record(
    store: &mut Store,
    built: &image::Built,
    case_number: &str,
    (court, hall): (&str, &str),
    made_by: &str,
) -> Result<i64, StoreError> {
    let event = crate::delivery::events::Event::now(
        court,
        case_number,
        hall,
        made_by,
        crate::delivery::events::What::DiscMade(crate::delivery::events::DiscMade {
            label: built.label.clone(),
            disc: built.number,
            of: built.of,
            media: built.media.clone(),
            contents_sha256: built.contents_sha256.clone(),
            parts: built.parts.clone(),
            size: built.size,
        }),
    );
    store.all_or_nothing(|store| {
        let id = store.record_disc(&crate::store::NewDisc {
            case_number,
            label: &built.label,
            disc: built.number,
            of: built.of,
            media: &built.media,
            sessions: &built.sessions,
            parts: &built.parts,
            contents_sha256: &built.contents_sha256,
            image: &built.path.to_string_lossy(),
            size: built.size,
            made_by,
        })?;
        store.queue(None, &[event.row("")])?;
        Ok(id)
    })
}

/// Hands every disc of `case_number`'s inventory over to `to` (the archivist): a signed
/// event for each is queued for the court server, all in one transaction. `place` is the
/// court and the courtroom, `by` and `to` who hands and who takes. The discs handed.
pub fn hand_over(
    store: &mut Store,
    case_number: &str,
    (court, hall): (&str, &str),
    (by, to): (&str, &str),
) -> Result<Vec<crate::store::CaseDisc>, StoreError> {
    use crate::delivery::events::{DiscHanded, Event, What};
    let discs = store.discs_of(case_number)?;
    let rows: Vec<_> = discs
        .iter()
        .map(|disc| {
            Event::now(
                court,
                case_number,
                hall,
                by,
                What::DiscHanded(DiscHanded {
                    label: disc.label.clone(),
                    disc: disc.disc as usize,
                    of: disc.of as usize,
                    contents_sha256: disc.contents_sha256.clone(),
                    to: to.trim().to_owned(),
                }),
            )
            .row("")
        })
        .collect();
    store.queue(None, &rows)?;
    Ok(discs)
}

use std::path::PathBuf;
use std::sync::Arc;

use serde::Serialize;

use crate::problem::Problem;
use crate::store::{Store, StoreError};
use crate::tr;

/// Recordable media, with the capacity of their most common blank (in 2048-byte sectors).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Media {
    /// CD-R 80 min, "700 MB".
    Cd,
    /// DVD±R single layer, "4.7 GB" (DVD+R, the smaller of the two).
    Dvd,
    /// DVD+R DL, "8.5 GB".
    DvdDl,
    /// BD-R single layer, "25 GB".
    Bd,
}

impl Media {
    pub const ALL: [Media; 4] = [Media::Cd, Media::Dvd, Media::DvdDl, Media::Bd];

    pub fn sectors(self) -> u64 {
        match self {
            Media::Cd => 359_849,
            Media::Dvd => 2_295_104,
            Media::DvdDl => 4_173_824,
            Media::Bd => 12_219_392,
        }
    }

    pub fn capacity(self) -> u64 {
        self.sectors() * 2048
    }

    pub fn code(self) -> &'static str {
        match self {
            Media::Cd => "cd",
            Media::Dvd => "dvd",
            Media::DvdDl => "dvd-dl",
            Media::Bd => "bd",
        }
    }

    pub fn from_code(code: &str) -> Option<Media> {
        Media::ALL.into_iter().find(|media| media.code() == code)
    }

    /// How people name it: "CD-R 700 MB".
    pub fn label(self) -> String {
        match self {
            Media::Cd => tr!("disc-media-cd"),
            Media::Dvd => tr!("disc-media-dvd"),
            Media::DvdDl => tr!("disc-media-dvd-dl"),
            Media::Bd => tr!("disc-media-bd"),
        }
    }
}

#[derive(Debug, Clone, thiserror::Error)]
pub enum DiscError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("no sealed recording of case {0}")]
    NothingSealed(String),
    #[error("part {part} of session {session} ({size} bytes) is larger than a {media}")]
    PartTooLarge {
        session: i64,
        part: i64,
        size: u64,
        media: &'static str,
    },
    #[error("{folder}: {failure}")]
    Damaged { folder: PathBuf, failure: String },
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: Arc<std::io::Error>,
    },
    #[error("cannot lay out the image: {0}")]
    Layout(String),
    #[error("cannot write {path}: {message}")]
    Write { path: PathBuf, message: String },
    #[error("cancelled")]
    Cancelled,
    #[error("{0}")]
    Burn(String),
    #[error(transparent)]
    Output(#[from] crate::output::OutputError),
    #[error(transparent)]
    Seal(#[from] crate::seal::SealError),
}

impl Problem for DiscError {
    fn title(&self) -> String {
        match self {
            DiscError::Store(error) => error.title(),
            DiscError::NothingSealed(case) => tr!("disc-nothing-sealed", case = case.clone()),
            DiscError::PartTooLarge { media, .. } => tr!(
                "disc-part-too-large",
                media = Media::from_code(media).map_or(media.to_string(), Media::label)
            ),
            DiscError::Damaged { folder, .. } => {
                tr!("disc-damaged", folder = folder.display().to_string())
            }
            DiscError::Read { path, .. } => {
                tr!("disc-read-failed", path = path.display().to_string())
            }
            DiscError::Layout(_) => tr!("disc-layout-failed"),
            DiscError::Write { path, .. } => {
                tr!("disc-write-failed", path = path.display().to_string())
            }
            DiscError::Cancelled => tr!("disc-cancelled"),
            DiscError::Burn(_) => tr!("disc-burn-failed"),
            DiscError::Output(error) => error.title(),
            DiscError::Seal(error) => error.title(),
        }
    }

    fn help(&self) -> String {
        match self {
            DiscError::Store(error) => error.help(),
            DiscError::NothingSealed(_) => tr!("disc-nothing-sealed-help"),
            DiscError::PartTooLarge { .. } => tr!("disc-part-too-large-help"),
            DiscError::Damaged { .. } => tr!("disc-damaged-help"),
            DiscError::Read { .. } | DiscError::Layout(_) => tr!("data-folder-help"),
            DiscError::Write { .. } => tr!("disc-write-help"),
            DiscError::Cancelled => tr!("disc-cancelled-help"),
            DiscError::Burn(_) => tr!("disc-burn-failed-help"),
            DiscError::Output(error) => error.help(),
            DiscError::Seal(error) => error.help(),
        }
    }
}

#[cfg(test)]
mod tests;
