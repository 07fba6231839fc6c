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

pub mod image;

use std::path::PathBuf;
use std::sync::Arc;

use serde::Serialize;

use crate::paths::Paths;
use crate::problem::Problem;
use crate::store::{Part, Store, StoreError};
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
        }
    }
}

/// One sealed part, as it goes on a disc.
#[derive(Debug, Clone, Serialize)]
pub struct PartOnDisc {
    pub session_id: i64,
    pub part: i64,
    /// The part's folder in the data folder.
    #[serde(skip)]
    pub source: PathBuf,
    /// Its path on the disc (`<date>_<case>_s<id>/part-NN`), the same as under `sessions/`.
    pub path: String,
    /// Bytes of its files.
    pub bytes: u64,
}

/// One image of a set.
#[derive(Debug, Clone, Serialize)]
pub struct DiscPlan {
    pub case_number: String,
    /// 1-based, of `of`.
    pub number: usize,
    pub of: usize,
    pub media: Media,
    pub label: String,
    pub parts: Vec<PartOnDisc>,
}

impl DiscPlan {
    pub fn sessions(&self) -> Vec<i64> {
        let mut sessions: Vec<i64> = self.parts.iter().map(|p| p.session_id).collect();
        sessions.dedup();
        sessions
    }
}

/// What goes on a disc besides the parts: an allowance for the README, inventory, keys and
/// the file system itself, so a planned disc never overflows. (The exact size of every
/// image is taken from the writer's own layout before writing.)
const OVERHEAD: u64 = 4 << 20;

/// The case's sealed parts, in session and part order, with a set of discs for `media`:
/// as many whole parts on each disc as fit. Parts that are not sealed are returned apart,
/// with the reason, so they are said, never silently left off.
pub fn plan(
    store: &Store,
    paths: &Paths,
    case_number: &str,
    media: Media,
) -> Result<(Vec<DiscPlan>, Vec<Part>), DiscError> {
    let mut sealed = Vec::new();
    let mut unsealed = Vec::new();
    let mut sessions: Vec<_> = store
        .sessions()?
        .into_iter()
        .filter(|session| session.case_number == case_number)
        .collect();
    sessions.sort_by_key(|session| (session.opened_at, session.id));
    for session in &sessions {
        for part in store.parts_of(session.id)? {
            if part.sealed_at.is_none() {
                unsealed.push(part);
                continue;
            }
            let source = paths.sessions().join(&part.folder);
            let bytes = folder_bytes(&source)?;
            sealed.push(PartOnDisc {
                session_id: session.id,
                part: part.number,
                path: part.folder.to_string_lossy().replace('\\', "/"),
                source,
                bytes,
            });
        }
    }
    if sealed.is_empty() {
        return Err(DiscError::NothingSealed(case_number.to_owned()));
    }
    let room = media.capacity() - OVERHEAD;
    let mut discs: Vec<Vec<PartOnDisc>> = vec![Vec::new()];
    let mut used = 0;
    for part in sealed {
        if part.bytes > room {
            return Err(DiscError::PartTooLarge {
                session: part.session_id,
                part: part.part,
                size: part.bytes,
                media: media.code(),
            });
        }
        if used + part.bytes > room {
            discs.push(Vec::new());
            used = 0;
        }
        used += part.bytes;
        discs.last_mut().expect("a disc").push(part);
    }
    let of = discs.len();
    let plans = discs
        .into_iter()
        .enumerate()
        .map(|(index, parts)| DiscPlan {
            case_number: case_number.to_owned(),
            number: index + 1,
            of,
            media,
            label: volume_label(case_number, index + 1, of),
            parts,
        })
        .collect();
    Ok((plans, unsealed))
}

/// The bytes of the files a sealed part's folder holds (the lock file is not copied).
fn folder_bytes(folder: &std::path::Path) -> Result<u64, DiscError> {
    Ok(part_files(folder)?.iter().map(|(_, size)| size).sum())
}

/// The files of a sealed part that go on a disc, by name, with their sizes, in name order.
pub fn part_files(folder: &std::path::Path) -> Result<Vec<(String, u64)>, DiscError> {
    let read = |source: std::io::Error| DiscError::Read {
        path: folder.to_owned(),
        source: Arc::new(source),
    };
    let mut files = Vec::new();
    for entry in std::fs::read_dir(folder).map_err(read)? {
        let entry = entry.map_err(read)?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let meta = entry.metadata().map_err(read)?;
        if !meta.is_file() || name == crate::paths::PartFiles::LOCK || name.ends_with(".tmp") {
            continue;
        }
        files.push((name, meta.len()));
    }
    files.sort();
    Ok(files)
}

/// The volume label: `CASE_` and the case number in ISO 9660's letters (A–Z, 0–9, `_`;
/// Kazakh and Russian letters transliterated), with `_2OF3` for a disc of a set; at most
/// 32 characters.
pub fn volume_label(case_number: &str, number: usize, of: usize) -> String {
    let suffix = if of > 1 {
        format!("_{number}OF{of}")
    } else {
        String::new()
    };
    let mut body = String::new();
    for c in case_number.chars() {
        match transliterate(c) {
            Some(latin) => body.push_str(&latin),
            None if !body.ends_with('_') => body.push('_'),
            None => {}
        }
    }
    let body = body.trim_matches('_');
    let room = 32 - "CASE_".len() - suffix.len();
    let body: String = body.chars().take(room).collect();
    format!("CASE_{}{suffix}", body.trim_end_matches('_'))
}

/// One character in ISO 9660 d-characters (empty for the hard and soft signs); `None` for a
/// separator.
fn transliterate(c: char) -> Option<String> {
    if c.is_ascii_alphanumeric() {
        return Some(c.to_ascii_uppercase().to_string());
    }
    let lower = c.to_lowercase().next().unwrap_or(c);
    let latin = match lower {
        'а' | 'ә' => "A",
        'б' => "B",
        'в' => "V",
        'г' | 'ғ' => "G",
        'д' => "D",
        'е' | 'ё' | 'э' => "E",
        'ж' => "ZH",
        'з' => "Z",
        'и' | 'й' | 'і' => "I",
        'к' => "K",
        'қ' => "Q",
        'л' => "L",
        'м' => "M",
        'н' | 'ң' => "N",
        'о' | 'ө' => "O",
        'п' => "P",
        'р' => "R",
        'с' => "S",
        'т' => "T",
        'у' | 'ұ' | 'ү' => "U",
        'ф' => "F",
        'х' | 'һ' => "H",
        'ц' => "TS",
        'ч' => "CH",
        'ш' => "SH",
        'щ' => "SHCH",
        'ы' => "Y",
        'ю' => "YU",
        'я' => "YA",
        'ъ' | 'ь' => "",
        _ => return None,
    };
    Some(latin.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_iso_9660_letters_from_the_case_number() {
        assert_eq!(volume_label("2-1234/2026", 1, 1), "CASE_2_1234_2026");
        assert_eq!(volume_label("2-1234/2026", 2, 3), "CASE_2_1234_2026_2OF3");
        assert_eq!(volume_label("Іс № 7-қ/2026", 1, 1), "CASE_IS_7_Q_2026");
        let long = volume_label("2-123456789012345678901234567890", 10, 12);
        assert_eq!(long.len(), 32, "{long}");
        assert!(long.ends_with("_10OF12"));
        assert!(
            long.chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        );
    }

    #[test]
    fn media_capacities_are_the_blanks_sold() {
        assert_eq!(Media::Cd.capacity(), 736_966_656);
        assert_eq!(Media::Dvd.capacity(), 4_700_372_992);
        assert_eq!(Media::from_code("dvd-dl"), Some(Media::DvdDl));
        assert_eq!(Media::from_code("floppy"), None);
    }
}
