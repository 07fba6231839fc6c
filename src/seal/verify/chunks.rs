//! `verify --chunks`: every MiB of every file a seal's chunk list names, held to it. The
//! judge's stream and the disc image trust those hashes stretch by stretch; a list that
//! says other bytes than the files (which only the holder of a courtroom key could seal)
//! is found here, not first by a judge watching something else.

use std::path::Path;

use sha2::{Digest, Sha256};

use super::Report;
use crate::digest::{CHUNK_BYTES, Chunked, hex, sha256_chunked};
use crate::seal::manifest::{CHUNKS, ChunkList, Manifest, read_bytes};

/// The most a chunk list may weigh: 67 bytes a MiB lists 4 TB in 256 MiB.
const CHUNKS_LIMIT: u64 = 256 << 20;

/// One line for the chunk list, then one for each file it names.
/// `stretches` holds what was read of the files in the same pass as their whole hashes; a
/// file not among them is read now.
pub(super) fn check_chunks(
    folder: &Path,
    manifest: &Manifest,
    stretches: &super::Stretches,
    report: &mut Report,
) {
    let subject = format!("{CHUNKS} (every MiB)");
    let Some(sealed) = manifest.files.iter().find(|file| file.name == CHUNKS) else {
        report.check(
            subject,
            Ok("none in this seal (sealed before chunk lists were)".to_owned()),
        );
        return;
    };
    let list = read_bytes(&folder.join(CHUNKS), CHUNKS_LIMIT)
        .map_err(|why| why.to_string())
        .and_then(|bytes| {
            if hex(&Sha256::digest(&bytes)) != sealed.sha256 {
                return Err("not as sealed: its MiBs are not checked".to_owned());
            }
            ChunkList::parse(&bytes).map_err(|why| why.to_string())
        })
        .and_then(|list| {
            if list.chunk_bytes == CHUNK_BYTES as u64 {
                Ok(list)
            } else {
                Err(format!(
                    "stretches of {} bytes: this version checks stretches of {CHUNK_BYTES}",
                    list.chunk_bytes
                ))
            }
        });
    let list = match list {
        Ok(list) => list,
        Err(why) => {
            report.check(subject, Err(why));
            return;
        }
    };
    report.check(
        subject,
        Ok(format!("{} files, as sealed", list.files.len())),
    );
    for listed in &list.files {
        let result = match manifest.files.iter().find(|file| file.name == listed.name) {
            None => Err("in the chunk list, and not in the seal".to_owned()),
            // Read as the file checks read: never outside the part's folder.
            Some(file) if !super::safe_name(&file.name) => {
                Err("the name leaves the folder: refused".to_owned())
            }
            Some(file) if list.of(file).is_none() => Err(format!(
                "{} stretches listed, and its {} bytes make {}",
                listed.sha256.len(),
                file.size,
                file.size.div_ceil(list.chunk_bytes)
            )),
            Some(file) => match read(stretches, &folder.join(&file.name)) {
                Err(error) => Err(error.to_string()),
                Ok(found) if found.digest.sha256 != file.sha256 => {
                    Err("not as sealed: its MiBs are not checked".to_owned())
                }
                Ok(found) => match found
                    .chunks
                    .iter()
                    .zip(&listed.sha256)
                    .position(|(chunk, sealed)| hex(chunk) != *sealed)
                {
                    Some(at) => Err(format!(
                        "the MiB at byte {} differs from the sealed chunk list: what is streamed \
                         under this seal is not this file",
                        at as u64 * list.chunk_bytes
                    )),
                    None => Ok(format!(
                        "every MiB ({}) as the chunk list says",
                        found.chunks.len()
                    )),
                },
            },
        };
        report.check(format!("{} (chunks)", listed.name), result);
    }
}

/// A file's stretches as read before, or read now.
fn read(stretches: &super::Stretches, path: &Path) -> std::io::Result<Chunked> {
    match stretches.get(path) {
        Some(read) => Ok(read.clone()),
        None => sha256_chunked(path),
    }
}
