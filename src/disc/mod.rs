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

/// One sealed part, or the piece of it one disc of a set holds.
#[derive(Debug, Clone, Serialize)]
pub struct PartOnDisc {
    pub session_id: i64,
    pub part: i64,
    /// The part's folder in the data folder.
    #[serde(skip)]
    pub source: PathBuf,
    /// Its path on the disc (`<date>_<case>_s<id>/part-NN`), the same as under `sessions/`.
    pub path: String,
    /// The files of the part on this disc, with their sizes: all of them, or for a part
    /// longer than a disc its seal, protocol and audio copy with some of its recording files.
    pub files: Vec<(String, u64)>,
    /// Recording files of the part on other discs of the set: name and disc number.
    pub elsewhere: Vec<(String, usize)>,
}

impl PartOnDisc {
    /// Bytes of its files on this disc.
    pub fn bytes(&self) -> u64 {
        self.files.iter().map(|(_, size)| size).sum()
    }
}

/// One image of a set.
#[derive(Debug, Clone, Serialize)]
pub struct DiscPlan {
    pub case_number: String,
    /// 1-based, of `of`.
    pub number: usize,
    pub of: usize,
    pub media: Media,
    /// Bytes the image may take: the media's capacity unless told otherwise.
    pub capacity: u64,
    pub label: String,
    pub parts: Vec<PartOnDisc>,
}

impl DiscPlan {
    pub fn sessions(&self) -> Vec<i64> {
        let mut sessions: Vec<i64> = self.parts.iter().map(|p| p.session_id).collect();
        sessions.dedup();
        sessions
    }

    /// Bytes of the parts' files on this disc.
    pub fn bytes(&self) -> u64 {
        self.parts.iter().map(PartOnDisc::bytes).sum()
    }
}

/// What goes on a disc besides the parts: an allowance for the README, inventory, keys and
/// the file system itself, so a planned disc never overflows. (The exact size of every
/// image is taken from the writer's own layout before writing.)
const OVERHEAD: u64 = 4 << 20;

/// The case's sealed parts, in session and part order, planned onto a set of discs for
/// `media`: as many whole parts on each disc as fit; a part larger than a disc is spread
/// over several by its recording files (each closed at a keyframe and playable alone), every
/// one of those discs carrying the part's seal, protocol and audio copy. Parts that are not
/// sealed are returned apart, so they are said, never silently left off.
pub fn plan(
    store: &Store,
    paths: &Paths,
    case_number: &str,
    media: Media,
) -> Result<(Vec<DiscPlan>, Vec<Part>), DiscError> {
    plan_for(store, paths, case_number, media, media.capacity())
}

/// `plan` for discs of `capacity` bytes (a blank smaller than its kind's usual, or a test).
pub fn plan_for(
    store: &Store,
    paths: &Paths,
    case_number: &str,
    media: Media,
    capacity: u64,
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
            sealed.push(PartOnDisc {
                session_id: session.id,
                part: part.number,
                path: part.folder.to_string_lossy().replace('\\', "/"),
                files: part_files(&source, session, &part)?,
                source,
                elsewhere: Vec::new(),
            });
        }
    }
    if sealed.is_empty() {
        return Err(DiscError::NothingSealed(case_number.to_owned()));
    }
    let discs = pack(sealed, capacity.saturating_sub(OVERHEAD), media)?;
    let of = discs.len();
    let plans = discs
        .into_iter()
        .enumerate()
        .map(|(index, parts)| DiscPlan {
            case_number: case_number.to_owned(),
            number: index + 1,
            of,
            media,
            capacity,
            label: volume_label(case_number, index + 1, of),
            parts,
        })
        .collect();
    Ok((plans, unsealed))
}

/// Packs parts onto discs of `room` bytes each, in order.
fn pack(
    parts: Vec<PartOnDisc>,
    room: u64,
    media: Media,
) -> Result<Vec<Vec<PartOnDisc>>, DiscError> {
    let mut discs: Vec<Vec<PartOnDisc>> = vec![Vec::new()];
    let used = |disc: &Vec<PartOnDisc>| disc.iter().map(PartOnDisc::bytes).sum::<u64>();
    for part in parts {
        let bytes = part.bytes();
        if bytes <= room {
            if used(discs.last().expect("a disc")) + bytes > room {
                discs.push(Vec::new());
            }
            discs.last_mut().expect("a disc").push(part);
            continue;
        }
        // Longer than a disc: the seal goes with every piece, the recording files are spread.
        let (recordings, seal): (Vec<_>, Vec<_>) = part
            .files
            .iter()
            .cloned()
            .partition(|(name, _)| crate::paths::PartFiles::is_recording(name));
        let seal_bytes: u64 = seal.iter().map(|(_, size)| size).sum();
        let too_large = |size: u64| DiscError::PartTooLarge {
            session: part.session_id,
            part: part.part,
            size,
            media: media.code(),
        };
        let first_piece = discs.len();
        let new_piece = || PartOnDisc {
            files: seal.clone(),
            elsewhere: Vec::new(),
            ..part.clone()
        };
        let mut piece = new_piece();
        let mut holds_recording = false;
        for (name, size) in recordings {
            if seal_bytes + size > room {
                return Err(too_large(size));
            }
            if used(discs.last().expect("a disc")) + piece.bytes() + size > room {
                if holds_recording {
                    let full = std::mem::replace(&mut piece, new_piece());
                    discs.last_mut().expect("a disc").push(full);
                }
                discs.push(Vec::new());
            }
            piece.files.push((name, size));
            holds_recording = true;
        }
        discs.last_mut().expect("a disc").push(piece);
        // Each piece names the recording files the others hold.
        let holders: Vec<(String, usize)> = (first_piece.saturating_sub(1)..discs.len())
            .flat_map(|index| {
                discs[index]
                    .iter()
                    .filter(|p| p.session_id == part.session_id && p.part == part.part)
                    .flat_map(move |p| {
                        p.files
                            .iter()
                            .filter(|(n, _)| crate::paths::PartFiles::is_recording(n))
                            .map(move |(n, _)| (n.clone(), index + 1))
                    })
                    .collect::<Vec<_>>()
            })
            .collect();
        let first = first_piece.saturating_sub(1);
        for (index, disc) in discs.iter_mut().enumerate().skip(first) {
            let number = index + 1;
            for piece in disc
                .iter_mut()
                .filter(|p| p.session_id == part.session_id && p.part == part.part)
            {
                piece.elsewhere = holders
                    .iter()
                    .filter(|(_, disc)| *disc != number)
                    .cloned()
                    .collect();
            }
        }
    }
    Ok(discs)
}

/// The files of a sealed part that go on a disc, by name, with their sizes, in name order:
/// exactly those its seal lists, and the seal. A part whose seal is of another case,
/// session, part, court or hall than the database says is refused, and so is a folder
/// holding anything the seal does not list (each named).
pub fn part_files(
    folder: &std::path::Path,
    session: &crate::session::Session,
    part: &Part,
) -> Result<Vec<(String, u64)>, DiscError> {
    use crate::seal::part::MANIFEST;
    let damaged = |failure: String| DiscError::Damaged {
        folder: folder.to_owned(),
        failure,
    };
    let (manifest, _) = crate::seal::verify::read_manifest(folder)
        .map_err(|reason| damaged(format!("{MANIFEST}: {reason}")))?;
    let sealed = (
        manifest.identity.case_number.as_str(),
        manifest.identity.session_id,
        manifest.identity.part,
        manifest.identity.court.as_str(),
        manifest.identity.hall.as_str(),
    );
    let kept = (
        session.case_number.as_str(),
        session.id,
        part.number,
        session.court.as_str(),
        session.hall.as_str(),
    );
    if sealed != kept {
        let say = |(case, session, part, court, hall): (&str, i64, i64, &str, &str)| {
            format!("case {case}, session {session}, part {part} ({court}, hall {hall})")
        };
        return Err(damaged(format!(
            "the seal is of {}; the database has {} here",
            say(sealed),
            say(kept)
        )));
    }
    let unlisted = crate::seal::verify::unlisted(folder, &manifest);
    if !unlisted.is_empty() {
        let names: Vec<String> = unlisted
            .iter()
            .map(|(name, what)| format!("{name} ({what})"))
            .collect();
        return Err(damaged(format!(
            "holds what its seal does not list: {}",
            names.join(", ")
        )));
    }
    let mut files: Vec<(String, u64)> = manifest
        .files
        .iter()
        .map(|file| (file.name.clone(), file.size))
        .collect();
    for name in manifest.seal_files() {
        let meta =
            std::fs::symlink_metadata(folder.join(name)).map_err(|source| DiscError::Read {
                path: folder.join(name),
                source: Arc::new(source),
            })?;
        files.push((name.to_owned(), meta.len()));
    }
    files.sort();
    Ok(files)
}

/// The volume label, at most 32 characters of ISO 9660's letters (A–Z, 0–9, `_`): a tag of
/// four hex digits from the exact case number, `_2OF3` for a disc of a set, then the case
/// number with Kazakh and Russian letters transliterated — `9A1C_2OF3_2_5678_2026_A`.
///
/// Windows shows the Joliet label, which keeps 16 characters: the tag and the disc's number
/// come first, so each disc of a set, and cases whose numbers differ only past the 16th
/// character or in a letter transliterated alike (`ә` and `а`), get labels that differ there.
pub fn volume_label(case_number: &str, number: usize, of: usize) -> String {
    use sha2::{Digest, Sha256};
    let tag = crate::digest::hex(&Sha256::digest(case_number.trim().as_bytes()))[..4]
        .to_ascii_uppercase();
    let set = if of > 1 {
        format!("_{number}OF{of}")
    } else {
        String::new()
    };
    let head = format!("{tag}{set}_");
    let mut body = String::new();
    for c in case_number.chars() {
        match transliterate(c) {
            Some(latin) => body.push_str(&latin),
            None if !body.ends_with('_') => body.push('_'),
            None => {}
        }
    }
    let body = body.trim_matches('_');
    let body: String = body.chars().take(32 - head.len()).collect();
    format!("{head}{}", body.trim_end_matches('_'))
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
        let tag = |case: &str| volume_label(case, 1, 1)[..4].to_owned();
        assert_eq!(
            volume_label("2-1234/2026", 1, 1),
            format!("{}_2_1234_2026", tag("2-1234/2026"))
        );
        assert_eq!(
            volume_label("2-1234/2026", 2, 3),
            format!("{}_2OF3_2_1234_2026", tag("2-1234/2026"))
        );
        assert!(volume_label("Іс № 7-қ/2026", 1, 1).ends_with("_IS_7_Q_2026"));
        let long = volume_label("2-123456789012345678901234567890", 10, 12);
        assert_eq!(long.len(), 32, "{long}");
        assert!(long[4..].starts_with("_10OF12_"), "{long}");
        assert!(
            long.chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        );
    }

    #[test]
    fn the_16_characters_joliet_keeps_differ_for_every_disc_and_case() {
        let joliet = |case: &str, number, of| -> String {
            volume_label(case, number, of).chars().take(16).collect()
        };
        let mut seen = std::collections::BTreeSet::new();
        for case in [
            "2-5678/2026",
            "2-5678/2026-ә",
            "2-5678/2026-а",
            "2-5678/2026-1",
        ] {
            for (number, of) in [(1, 1), (1, 3), (2, 3), (3, 3)] {
                let label = joliet(case, number, of);
                assert!(
                    seen.insert(label.clone()),
                    "{case} {number}/{of}: {label} twice"
                );
            }
        }
    }

    fn part(session_id: i64, files: &[(&str, u64)]) -> PartOnDisc {
        PartOnDisc {
            session_id,
            part: 1,
            source: PathBuf::new(),
            path: format!("s{session_id}/part-01"),
            files: files.iter().map(|(n, s)| (n.to_string(), *s)).collect(),
            elsewhere: Vec::new(),
        }
    }

    fn names(disc: &[PartOnDisc]) -> Vec<String> {
        disc.iter()
            .flat_map(|p| {
                p.files
                    .iter()
                    .map(move |(n, _)| format!("s{}/{n}", p.session_id))
            })
            .collect()
    }

    #[test]
    fn whole_parts_fill_discs_in_order_and_a_long_part_is_spread_with_its_seal() {
        let seal = [("manifest.json", 10), ("audio.opus", 40)];
        let short = |id| part(id, &[seal[0], seal[1], ("recording-001.mkv", 300)]);
        let long = part(
            3,
            &[
                seal[0],
                seal[1],
                ("recording-001.mkv", 450),
                ("recording-002.mkv", 450),
                ("recording-003.mkv", 100),
            ],
        );
        let discs =
            pack(vec![short(1), short(2), long, short(4)], 1000, Media::Cd).expect("packed");
        assert_eq!(
            discs.iter().map(|d| names(d)).collect::<Vec<_>>(),
            [
                // Two short parts, then the long part's first file with its seal.
                vec![
                    "s1/manifest.json",
                    "s1/audio.opus",
                    "s1/recording-001.mkv",
                    "s2/manifest.json",
                    "s2/audio.opus",
                    "s2/recording-001.mkv",
                ],
                vec![
                    "s3/manifest.json",
                    "s3/audio.opus",
                    "s3/recording-001.mkv",
                    "s3/recording-002.mkv",
                ],
                vec![
                    "s3/manifest.json",
                    "s3/audio.opus",
                    "s3/recording-003.mkv",
                    "s4/manifest.json",
                    "s4/audio.opus",
                    "s4/recording-001.mkv",
                ],
            ]
        );
        assert!(
            discs
                .iter()
                .all(|d| d.iter().map(PartOnDisc::bytes).sum::<u64>() <= 1000)
        );
        let pieces: Vec<&PartOnDisc> = discs
            .iter()
            .flatten()
            .filter(|p| p.session_id == 3)
            .collect();
        assert_eq!(pieces[0].elsewhere, [("recording-003.mkv".to_owned(), 3)]);
        assert_eq!(
            pieces[1].elsewhere,
            [
                ("recording-001.mkv".to_owned(), 2),
                ("recording-002.mkv".to_owned(), 2)
            ]
        );
    }

    #[test]
    fn a_recording_file_larger_than_a_disc_is_refused() {
        let too_big = part(1, &[("manifest.json", 10), ("recording-001.mkv", 995)]);
        assert!(matches!(
            pack(vec![too_big], 1000, Media::Cd),
            Err(DiscError::PartTooLarge { session: 1, .. })
        ));
    }

    #[test]
    fn media_capacities_are_the_blanks_sold() {
        assert_eq!(Media::Cd.capacity(), 736_970_752);
        assert_eq!(Media::Dvd.capacity(), 4_700_372_992);
        assert_eq!(Media::from_code("dvd-dl"), Some(Media::DvdDl));
        assert_eq!(Media::from_code("floppy"), None);
    }
}
