//! The sealed files a disc carries, held to their seals before the image is made: each part's
//! manifest and chunk list read, each file's stretches listed for the workers to check.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use sha2::{Digest, Sha256};

use crate::digest::hex;
use crate::disc::{DiscError, DiscPlan};
use crate::seal::verify;

use super::{Phase, Progress, seconds_left};

/// A file as its part's seal lists it: what its copy is held to.
#[derive(Debug, Clone)]
pub(super) struct SealedFile {
    pub(super) sha256: String,
    /// The SHA-256 of each stretch of it, when the seal has a chunk list: then the copy is
    /// checked a stretch at a time on every core, instead of in one hash on one.
    pub(super) stretches: Option<Stretches>,
}

#[derive(Debug, Clone)]
pub(super) struct Stretches {
    pub(super) bytes: usize,
    pub(super) sha256: Arc<Vec<String>>,
}

/// Stretches larger than this are not buffered: such a file is checked whole.
const MAX_STRETCH: u64 = 16 << 20;

/// Checks every part's seal (signature, chain, protocol text, sizes) before anything is
/// copied; returns each file as sealed, by its disc path, which the copy is held to as it is
/// written.
pub(super) fn check_parts(
    plan: &DiscPlan,
    trusted: &crate::seal::Trust,
    progress: &dyn Fn(Progress),
    cancel: &AtomicBool,
) -> Result<std::collections::HashMap<String, SealedFile>, DiscError> {
    let total = plan.bytes();
    let began = Instant::now();
    let mut done = 0;
    let mut sealed = std::collections::HashMap::new();
    for part in &plan.parts {
        if cancel.load(Ordering::Relaxed) {
            return Err(DiscError::Cancelled);
        }
        let damaged = |failure: String| DiscError::Damaged {
            folder: part.source.clone(),
            failure,
        };
        // Signature, chain and protocol now; each file's SHA-256 while it is copied.
        let report = verify::verify_part_unhashed(&part.source, trusted);
        if let Some(failure) = report.failures().next() {
            return Err(damaged(format!("{}: {}", failure.subject, failure.detail)));
        }
        let (manifest, _) = verify::read_manifest(&part.source)
            .map_err(|reason| damaged(format!("{}: {reason}", crate::seal::part::MANIFEST)))?;
        let chunks = chunk_list(&part.source, &manifest).map_err(damaged)?;
        for file in &manifest.files {
            let stretches = chunks.as_ref().and_then(|list| {
                let sha256 = list.of(file).filter(|_| list.chunk_bytes <= MAX_STRETCH)?;
                Some(Stretches {
                    bytes: list.chunk_bytes as usize,
                    sha256: Arc::new(sha256.to_vec()),
                })
            });
            let path = format!("{}/{}", part.path, file.name);
            sealed.insert(
                path,
                SealedFile {
                    sha256: file.sha256.clone(),
                    stretches,
                },
            );
        }
        done += part.bytes();
        progress(Progress {
            phase: Phase::Checking,
            done,
            total,
            seconds_left: seconds_left(began, done, total),
        });
    }
    Ok(sealed)
}

/// The part's chunk list, held to its manifest, when its seal has one.
fn chunk_list(
    folder: &Path,
    manifest: &crate::seal::part::Manifest,
) -> Result<Option<crate::seal::part::ChunkList>, String> {
    use crate::seal::part::{CHUNKS, ChunkList};
    let Some(entry) = manifest.files.iter().find(|file| file.name == CHUNKS) else {
        return Ok(None);
    };
    let bytes = std::fs::read(folder.join(CHUNKS)).map_err(|error| format!("{CHUNKS}: {error}"))?;
    let found = hex(&Sha256::digest(&bytes));
    if found != entry.sha256 {
        return Err(format!(
            "{CHUNKS}: SHA-256 {found} differs from the sealed {}",
            entry.sha256
        ));
    }
    ChunkList::parse(&bytes)
        .map(Some)
        .map_err(|error| error.to_string())
}
