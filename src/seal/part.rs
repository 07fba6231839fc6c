//! Sealing a part the moment it ends: the protocol so far, chained and rendered, every
//! file's SHA-256 in `manifest.json` and `SHA256SUMS`, and `manifest.json.minisig`.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use super::SealError;
use super::document::{Document, GENESIS, Labels, Link, Person, hex};
pub use super::manifest::{
    CHUNKS, CHUNKS_FORMAT, ChunkList, Clip, FORMAT, FileChunks, FileEntry, MANIFEST, Manifest,
    PROTOCOL_JSON, PROTOCOL_TEXT, SIGNATURE, SUMS, recordings_of, sealed_recordings,
};
use crate::config::Instance;
use crate::paths::{PartFiles, Paths};
use crate::protocol::EntryKind;
use crate::session::Session;
use crate::store::{Part, Store};
use crate::tr;

/// What sealing wrote.
#[derive(Debug, Clone)]
pub struct Sealed {
    pub folder: PathBuf,
    pub manifest: Manifest,
    /// `protocol.txt` as written.
    pub protocol_text: String,
    /// `manifest.json`, `manifest.json.minisig` and `SHA256SUMS` as written.
    pub manifest_json: String,
    pub signature: String,
    pub sums: String,
    /// `manifest.json.p7s`, when the court's certificate signed too.
    pub cms: Option<Vec<u8>>,
}

/// What sealing needs from the database, with the entries already chained: the rest
/// (rendering, hashing, signing) needs no database, so it can run off the database's
/// thread while entries go on being written.
#[derive(Debug, Clone)]
pub struct Prepared {
    part: Part,
    session: Session,
    folder: PathBuf,
    document: Document,
    zone: chrono::FixedOffset,
}

impl Prepared {
    pub fn part_id(&self) -> i64 {
        self.part.id
    }
}

/// Chains the session's entries and gathers what the seal of `part_id` states.
pub fn prepare(
    store: &mut Store,
    paths: &Paths,
    part_id: i64,
    zone: chrono::FixedOffset,
) -> Result<Prepared, SealError> {
    let part = store.part(part_id)?;
    let session = store.session(part.session_id)?;
    let folder = paths.sessions().join(&part.folder);
    let document = chain(store, &session, zone)?;
    Ok(Prepared {
        part,
        session,
        folder,
        document,
        zone,
    })
}

impl Prepared {
    /// Writes the protocol, hashes every file, writes the manifest, the sums and the
    /// signature. The caller records the seal in the database (`Store::part_sealed`).
    /// Writes the seal with `keys`, and with the court's certificate when one is configured
    /// (`manifest.json.p7s`).
    pub fn write(self, sealer: &super::Sealer) -> Result<Sealed, SealError> {
        let Prepared {
            part,
            session,
            folder,
            document,
            zone,
        } = self;
        let text = document.render();
        let json = serde_json::to_string_pretty(&document).expect("a document serializes");
        write(&folder.join(PROTOCOL_TEXT), text.as_bytes())?;
        write(&folder.join(PROTOCOL_JSON), json.as_bytes())?;
        let mut files = PartFiles(&folder).recordings();
        files.extend([
            PartFiles(&folder).audio(),
            folder.join(PROTOCOL_TEXT),
            folder.join(PROTOCOL_JSON),
        ]);
        files.extend(PartFiles(&folder).acts());
        // The courtroom key's certificate travels with every seal it makes, listed.
        if let Some(certificate) = &sealer.certificate {
            write(&folder.join(super::trust::CERTIFICATE), &certificate.json)?;
            write(
                &folder.join(super::trust::CERTIFICATE_SIGNATURE),
                &certificate.signature,
            )?;
            files.extend([
                folder.join(super::trust::CERTIFICATE),
                folder.join(super::trust::CERTIFICATE_SIGNATURE),
            ]);
        }
        let digests = files
            .iter()
            .filter(|path| path.exists())
            .map(|path| kept_file_entry(path))
            .collect::<Result<Vec<_>, _>>()?;
        let chunks = ChunkList {
            format: CHUNKS_FORMAT.to_owned(),
            chunk_bytes: crate::digest::CHUNK_BYTES as u64,
            files: digests
                .iter()
                .map(|(entry, chunks)| FileChunks {
                    name: entry.name.clone(),
                    sha256: chunks.iter().map(|chunk| hex(chunk)).collect(),
                })
                .collect(),
        };
        let chunks_json = serde_json::to_vec(&chunks).expect("a chunk list serializes");
        write(&folder.join(CHUNKS), &chunks_json)?;
        let mut files: Vec<FileEntry> = digests.into_iter().map(|(entry, _)| entry).collect();
        files.push(file_entry(&folder.join(CHUNKS))?);
        let manifest = Manifest {
            format: FORMAT.to_owned(),
            identity: crate::session::PartIdentity::of(&session, part.number),
            first_media_wall: part.first_media_wall.clone(),
            ended_at: part.ended_at.clone(),
            duration_ms: part.duration_ms,
            recovered: part.recovered,
            demo: part.demo,
            sealed_at: Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            key_id: sealer.id_hex(),
            protocol_head: document.head().to_owned(),
            files,
            clip: None,
            court_certificate: sealer.court(),
        };
        let Written {
            manifest_json,
            sums,
            signature,
            cms,
        } = sign_folder(&folder, &manifest, sealer, zone)?;
        Ok(Sealed {
            folder,
            manifest,
            protocol_text: text,
            manifest_json,
            signature,
            sums,
            cms,
        })
    }
}

/// A folder's seal as written: the manifest, the sums, the signature, and the court's CMS
/// signature when it signed too.
pub struct Written {
    pub manifest_json: String,
    pub sums: String,
    pub signature: String,
    pub cms: Option<Vec<u8>>,
}

/// Writes `manifest` into `folder` with its `SHA256SUMS` and its signature, and the court's
/// CMS signature when the manifest names the court's certificate; returns them as written.
/// The files it lists must be in the folder already.
pub fn sign_folder(
    folder: &Path,
    manifest: &Manifest,
    sealer: &super::Sealer,
    zone: chrono::FixedOffset,
) -> Result<Written, SealError> {
    let manifest_json =
        serde_json::to_string_pretty(manifest).expect("a manifest serializes") + "\n";
    write(&folder.join(MANIFEST), manifest_json.as_bytes())?;
    let mut sums = String::new();
    for file in &manifest.files {
        sums.push_str(&format!("{}  {}\n", file.sha256, file.name));
    }
    sums.push_str(&format!(
        "{}  {MANIFEST}\n",
        hex(&Sha256::digest(manifest_json.as_bytes()))
    ));
    write(&folder.join(SUMS), sums.as_bytes())?;
    let trusted = trusted_comment(manifest, zone);
    let what = format!("seal of {}", folder.display());
    let (untrusted, message) = ("Hattama seal (minisign)", manifest_json.as_bytes());
    let (signature, cms) = if manifest.court_certificate.is_some() {
        sealer.sign_with_court(&what, message, untrusted, &trusted)?
    } else {
        (sealer.sign(&what, message, untrusted, &trusted)?, None)
    };
    write(&folder.join(SIGNATURE), signature.as_bytes())?;
    let cms_path = folder.join(super::cms::CMS_SIGNATURE);
    match &cms {
        Some(cms) => write(&cms_path, cms)?,
        // One left by an earlier try of this seal signed another manifest.
        None => {
            let _ = std::fs::remove_file(&cms_path);
        }
    }
    Ok(Written {
        manifest_json,
        sums,
        signature,
        cms,
    })
}

/// Court, hall, case, session, part and time: what `minisign -V` shows as trusted.
fn trusted_comment(manifest: &Manifest, zone: chrono::FixedOffset) -> String {
    let sealed = manifest
        .sealed_at
        .parse::<DateTime<Utc>>()
        .map(|t| {
            t.with_timezone(&zone)
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
        })
        .unwrap_or_else(|_| manifest.sealed_at.clone());
    format!(
        "court: {} | hall: {} | case: {} | session: {} | part: {} | sealed: {} | key: {}",
        manifest.identity.court,
        manifest.identity.hall,
        manifest.identity.case_number,
        manifest.identity.session_id,
        manifest.identity.part,
        sealed,
        manifest.key_id
    )
}

/// The session's protocol as a chain: entries chained before keep their hashes, the rest
/// are chained now (and sealed in the database).
fn chain(
    store: &mut Store,
    session: &crate::session::Session,
    zone: chrono::FixedOffset,
) -> Result<Document, SealError> {
    let entries = store.entries(session.id)?;
    let (document, new_links) = document(entries, session, zone);
    store.chain_entries(&new_links)?;
    Ok(document)
}

/// The session's protocol as a document, and the links chained now for the first time
/// (entry id, previous hash, hash): what the database does not hold yet.
pub fn document(
    mut entries: Vec<crate::protocol::Entry>,
    session: &crate::session::Session,
    zone: chrono::FixedOffset,
) -> (Document, Vec<(i64, String, String)>) {
    entries.sort_by_key(|e| e.seq);
    let speaker = |id: Option<i64>| {
        id.and_then(|id| session.participants.iter().find(|p| p.id == id))
            .map(|p| format!("{} ({})", p.name, p.role.label()))
    };
    let mut links = Vec::new();
    let mut new_links = Vec::new();
    let mut prev = GENESIS.to_owned();
    for entry in &entries {
        let mut link = Link {
            seq: entry.seq,
            part: entry.part_number,
            offset_ms: entry.offset_ms,
            wall_time: entry
                .wall_time
                .to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            local_time: entry
                .wall_time
                .with_timezone(&zone)
                .format("%Y-%m-%d %H:%M:%S")
                .to_string(),
            kind: entry.kind.code().to_owned(),
            kind_label: if entry.kind == EntryKind::Note {
                String::new()
            } else {
                entry.kind.label()
            },
            speaker: speaker(entry.speaker_id),
            text: entry.text.clone(),
            corrects: entry
                .corrects_id
                .and_then(|id| entries.iter().find(|e| e.id == id))
                .map(|e| e.seq),
            prev_hash: prev.clone(),
            hash: String::new(),
        };
        match (&entry.hash, &entry.prev_hash) {
            // Chained at an earlier seal: kept as it was (the labels of that seal).
            (Some(hash), Some(stored_prev)) if *stored_prev == prev => link.hash = hash.clone(),
            _ => {
                link.hash = link.compute_hash();
                new_links.push((entry.id, prev.clone(), link.hash.clone()));
            }
        }
        prev = link.hash.clone();
        links.push(link);
    }
    let instance = [
        Instance::First,
        Instance::Appellate,
        Instance::Cassation,
        Instance::Supervisory,
    ]
    .into_iter()
    .find(|i| i.code() == session.instance)
    .map_or(session.instance.clone(), Instance::label);
    let document = Document {
        language: crate::i18n::current(),
        labels: labels(),
        court: session.court.clone(),
        hall: session.hall.clone(),
        instance,
        case_number: session.case_number.clone(),
        session_id: session.id,
        category: session.category.label(),
        judge: session.judge.clone(),
        secretary: session.operator_name.clone(),
        opened: session
            .opened_at
            .with_timezone(&zone)
            .format("%Y-%m-%d %H:%M")
            .to_string(),
        participants: session
            .participants
            .iter()
            .map(|p| Person {
                name: p.name.clone(),
                role: p.role.label(),
                remote: p.remote,
                location: p.location.clone(),
            })
            .collect(),
        entries: links,
    };
    (document, new_links)
}

fn labels() -> Labels {
    Labels {
        title: tr!("doc-title"),
        court: tr!("doc-court"),
        hall: tr!("doc-hall"),
        instance: tr!("doc-instance"),
        case: tr!("doc-case"),
        session: tr!("doc-session"),
        category: tr!("doc-category"),
        judge: tr!("doc-judge"),
        secretary: tr!("doc-secretary"),
        participants: tr!("doc-participants"),
        remote: tr!("doc-remote"),
        entries: tr!("doc-entries"),
        not_recorded: tr!("doc-not-recorded"),
        chain_head: tr!("doc-chain-head"),
    }
}

/// A file's name, size and SHA-256, read now.
pub fn file_entry(path: &Path) -> Result<FileEntry, SealError> {
    entry(path, crate::digest::sha256_file(path))
}

/// A file's name, size and SHA-256, kept from when the recorder closed it if it has not
/// changed since: what sealing uses, so stop → signed does not read the whole recording.
/// With the file's chunk list, for `chunks.json`.
fn kept_file_entry(path: &Path) -> Result<(FileEntry, Vec<[u8; 32]>), SealError> {
    let kept = crate::digest::sha256_kept(path);
    let chunks = kept
        .as_ref()
        .map(|kept| kept.chunks.clone())
        .unwrap_or_default();
    Ok((entry(path, kept.map(|kept| kept.digest))?, chunks))
}

pub(super) fn entry(
    path: &Path,
    digest: std::io::Result<crate::digest::FileDigest>,
) -> Result<FileEntry, SealError> {
    let digest = digest.map_err(|source| SealError::Write {
        path: path.to_owned(),
        source: Arc::new(source),
    })?;
    Ok(FileEntry {
        name: path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        size: digest.size,
        sha256: digest.sha256,
    })
}

/// Writes a seal file whole and on disk.
fn write(path: &Path, bytes: &[u8]) -> Result<(), SealError> {
    crate::paths::write_atomically(path, bytes).map_err(|source| SealError::Write {
        path: path.to_owned(),
        source: Arc::new(source),
    })
}
