//! What a seal lists and how it is read back: the manifest (every file's name, size and
//! SHA-256), the chunk list, the names of the seal's files, and reading them whole but
//! bounded, never through a link, as verify, the review and the disc check do.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::digest::{Unreadable, read_bounded};
use crate::paths::PartFiles;

pub const MANIFEST: &str = "manifest.json";
pub const SIGNATURE: &str = "manifest.json.minisig";
pub const SUMS: &str = "SHA256SUMS";

impl Manifest {
    /// The seal's own files beside the ones it lists: the manifest, its signature and
    /// `SHA256SUMS`, and the court's CMS signature when the manifest says the court's
    /// certificate signed. Any other file in the folder is not part of the record.
    pub fn seal_files(&self) -> Vec<&'static str> {
        let mut names = vec![MANIFEST, SIGNATURE, SUMS];
        if self.court_certificate.is_some() {
            names.push(super::cms::CMS_SIGNATURE);
        }
        names
    }
}
/// The SHA-256 of every chunk of every file the seal lists (itself listed, so the
/// signature covers it): what lets a judge's desk check each stretch of a recording as it
/// streams from the server (`review::stream`).
pub const CHUNKS: &str = "chunks.json";
pub const CHUNKS_FORMAT: &str = "hattama-chunks/1";

/// `chunks.json`: for each listed file, the SHA-256 of each `chunk_bytes` stretch in order
/// (the last covers what is left), lower-case hex as `sha256sum` prints.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChunkList {
    pub format: String,
    pub chunk_bytes: u64,
    pub files: Vec<FileChunks>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileChunks {
    pub name: String,
    pub sha256: Vec<String>,
}

impl ChunkList {
    /// A chunk list from the bytes of `chunks.json` (held to the manifest by the caller):
    /// one of the format this version reads.
    pub fn parse(bytes: &[u8]) -> Result<ChunkList, SealFileError> {
        let list: ChunkList = serde_json::from_slice(bytes)
            .map_err(|error| SealFileError::NotChunkList(error.to_string()))?;
        if list.format != CHUNKS_FORMAT || list.chunk_bytes == 0 {
            return Err(SealFileError::ChunkListFormat);
        }
        Ok(list)
    }

    /// The SHA-256 of each stretch of `file`, when the list has exactly as many as its sealed
    /// size makes.
    pub fn of(&self, file: &FileEntry) -> Option<&[String]> {
        let listed = self.files.iter().find(|listed| listed.name == file.name)?;
        let expected = file.size.div_ceil(self.chunk_bytes);
        (listed.sha256.len() as u64 == expected).then_some(&listed.sha256[..])
    }
}

pub const PROTOCOL_TEXT: &str = "protocol.txt";
pub const PROTOCOL_JSON: &str = "protocol.json";
pub const FORMAT: &str = "hattama-seal/1";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileEntry {
    pub name: String,
    pub size: u64,
    pub sha256: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    /// Which part of which session of which case.
    #[serde(flatten)]
    pub identity: crate::session::PartIdentity,
    pub first_media_wall: Option<String>,
    pub ended_at: Option<String>,
    pub duration_ms: Option<i64>,
    /// The part was interrupted (crash, power loss) and made whole by recovery.
    pub recovered: bool,
    pub demo: bool,
    pub sealed_at: String,
    pub key_id: String,
    pub protocol_head: String,
    pub files: Vec<FileEntry>,
    /// For a clip of a part (rule 3): which stretch of it, and the part's seal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clip: Option<Clip>,
    /// Who signed beside the Ed25519 key (the court's certificate's subject), when
    /// `manifest.json.p7s` accompanies the seal: a seal that says so and lacks it fails.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub court_certificate: Option<String>,
}

/// A fragment of a part, copied without re-encoding for a party who asks for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Clip {
    /// What was asked for, in the part's media time.
    pub from_ms: i64,
    pub to_ms: i64,
    /// Where the copy really starts: the keyframe at or before `from_ms`.
    pub starts_ms: i64,
    /// SHA-256 of the part's `manifest.json`: the seal the clip was cut under.
    pub part_manifest_sha256: String,
}

/// The most a manifest may weigh: far beyond any real one (a part of 999 recording files
/// lists them in ~150 KB), small enough to read whole.
pub const MANIFEST_LIMIT: u64 = 16 << 20;
/// A minisign signature is four short lines.
pub const SIGNATURE_LIMIT: u64 = 64 << 10;

/// Why a seal's own file (its manifest, its chunk list) does not read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SealFileError {
    #[error(transparent)]
    Unreadable(#[from] Unreadable),
    #[error("is not a valid manifest: {0}")]
    NotManifest(String),
    #[error("{CHUNKS}: {0}")]
    NotChunkList(String),
    #[error("{CHUNKS}: a format this version does not read")]
    ChunkListFormat,
}

/// The part's manifest, parsed, and its bytes as signed.
pub fn read_manifest(folder: &Path) -> Result<(Manifest, Vec<u8>), SealFileError> {
    let bytes = read_bytes(&folder.join(MANIFEST), MANIFEST_LIMIT)?;
    let manifest = serde_json::from_slice(&bytes)
        .map_err(|error| SealFileError::NotManifest(error.to_string()))?;
    Ok((manifest, bytes))
}

/// A file verify reads whole: a regular file (never through a link) of at most `limit`
/// bytes.
pub fn read_bytes(path: &Path, limit: u64) -> Result<Vec<u8>, Unreadable> {
    read_bounded(path, limit)
}

/// The recording files of a sealed part, as its seal lists them, in recording order: what
/// the player plays and a clip is cut from (a file the seal does not list is never played).
pub fn sealed_recordings(folder: &Path, manifest: &Manifest) -> Vec<PathBuf> {
    let mut names: Vec<&str> = manifest
        .files
        .iter()
        .map(|file| file.name.as_str())
        .filter(|name| PartFiles::is_recording(name))
        .collect();
    names.sort_by_key(|name| (name.len(), *name));
    names.into_iter().map(|name| folder.join(name)).collect()
}

/// The recording files of the part in `folder`: those its seal lists when it is sealed,
/// else those the recorder wrote (a part still recording, or not sealed yet).
pub fn recordings_of(folder: &Path) -> Vec<PathBuf> {
    if std::fs::symlink_metadata(folder.join(MANIFEST)).is_err() {
        return PartFiles(folder).recordings();
    }
    // A manifest that cannot be read lists nothing to play.
    read_manifest(folder)
        .map(|(manifest, _)| sealed_recordings(folder, &manifest))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A manifest as seals have always written it reads, and writes back byte for byte: the
    /// part's identity travels flattened, its keys where they always stood.
    #[test]
    fn a_manifest_reads_and_writes_back_unchanged() {
        let written = r#"{"format":"hattama-seal/1","court":"Астана қаласының № 2 аудандық соты","hall":"5","instance":"first","case_number":"2-31/2026","session_id":3,"session_uid":"3fa85f6457174562b3fc2c963f66afa6","part":2,"first_media_wall":"2026-11-26T05:00:00.000Z","ended_at":null,"duration_ms":61000,"recovered":false,"demo":true,"sealed_at":"2026-11-26T05:01:02.000Z","key_id":"0123456789abcdef","protocol_head":"ab","files":[{"name":"recording.mkv","size":12,"sha256":"cd"}]}"#;
        let manifest: Manifest = serde_json::from_str(written).expect("a manifest");
        assert_eq!(manifest.identity.case_number, "2-31/2026");
        assert_eq!(manifest.identity.part, 2);
        assert_eq!(
            serde_json::to_string(&manifest).expect("serializes"),
            written
        );
        // Seals made before sessions had an identity across the court have none.
        let older = written.replace(r#""session_uid":"3fa85f6457174562b3fc2c963f66afa6","#, "");
        let manifest: Manifest = serde_json::from_str(&older).expect("an older manifest");
        assert_eq!(manifest.identity.session_uid, "");
        assert_eq!(serde_json::to_string(&manifest).expect("serializes"), older);
    }
}
