//! Planning a case's set of discs: which parts (or pieces of a long part) go on which disc, and
//! each image's exact size from the same layout the writer uses, before anything is written;
//! the discs' volume labels.

use std::path::PathBuf;
use std::sync::Arc;

use serde::Serialize;

use crate::paths::Paths;
use crate::store::{Part, Store};

use super::{DiscError, Media};

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
pub(super) fn pack(
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
