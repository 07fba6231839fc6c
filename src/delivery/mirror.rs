//! Rule 23 as the court server runs it: every sealed part on the court's recording server
//! that the regional server does not hold yet is copied there, server to server, with no
//! workstation's database. Each part is checked on the way: brought to a working folder and
//! verified in full (its signature by a trusted key, every file's SHA-256), then uploaded
//! as the seal gives it (each file hashed as it is read, read back from the regional server
//! and hashed again, the seal's own files last). A part whose copy was interrupted has no
//! manifest there yet and is copied again at the next run (a large file resumes where it
//! stopped, as every upload does).

use std::collections::BTreeMap;
use std::path::Path;

use futures_util::StreamExt;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::upload::{RemoteError, Target, UploadPayload, open, runtime, upload};
use crate::seal::part::{MANIFEST, Manifest};

/// What a run did.
#[derive(Debug, Default, Serialize)]
pub struct Mirrored {
    /// Sealed parts found on the source.
    pub parts: usize,
    /// Part folders copied in this run.
    pub copied: Vec<String>,
    /// Parts the destination already held whole.
    pub already: usize,
    /// Parts not copied, with why (a seal that does not verify, a server that failed), and
    /// events not copied (a signature no trusted key made).
    pub refused: Vec<(String, String)>,
    /// Case events copied in this run (each checked against its signature first).
    pub events: usize,
}

/// Copies every sealed part on `from` missing on `to`; `work` holds one part at a time
/// while it is checked (and the journals of uploads under way).
pub fn mirror(
    from: Target<'_>,
    to: Target<'_>,
    trusted: &crate::seal::Trust,
    work: &Path,
) -> Result<Mirrored, RemoteError> {
    let runtime = runtime()?;
    let on_source = runtime.block_on(list_folders(from))?;
    let on_destination = runtime.block_on(list_folders(to))?;
    let parts = |folders: &Folders| -> Folders {
        folders
            .iter()
            .filter(|(_, files)| files.contains_key(MANIFEST))
            .map(|(folder, files)| (folder.clone(), files.clone()))
            .collect()
    };
    let (source_parts, destination_parts) = (parts(&on_source), parts(&on_destination));
    let mut mirrored = Mirrored {
        parts: source_parts.len(),
        ..Mirrored::default()
    };
    crate::paths::create_folder_all(work).map_err(RemoteError::local(work))?;
    copy_events(
        from,
        to,
        trusted,
        (&on_source, &on_destination),
        &mut mirrored,
    );
    let on_destination = destination_parts;
    for (folder, files) in &source_parts {
        let whole = on_destination.get(folder).is_some_and(|there| {
            files
                .iter()
                .all(|(name, size)| there.get(name) == Some(size))
        });
        if whole {
            mirrored.already += 1;
            continue;
        }
        match copy_part(from, to, trusted, work, folder) {
            Ok(()) => mirrored.copied.push(folder.clone()),
            Err(why) => {
                tracing::error!("{folder}: {why}");
                mirrored.refused.push((folder.clone(), why.to_string()));
            }
        }
    }
    Ok(mirrored)
}

/// Folders by their path relative to a target's prefix, each with its files' names and sizes.
type Folders = BTreeMap<String, BTreeMap<String, u64>>;

/// Every case's events on `from` that `to` lacks, copied: each checked against its
/// signature by a key the server trusts first (one that fails is named and not copied), its
/// signature put before it, as every event goes up.
fn copy_events(
    from: Target<'_>,
    to: Target<'_>,
    trusted: &crate::seal::Trust,
    (on_source, on_destination): (&Folders, &Folders),
    mirrored: &mut Mirrored,
) {
    // A case's events (`<court>/<case>/events`) and the court's feed
    // (`<court>/events/<day>`).
    let is_events = |folder: &str| folder.split('/').any(|name| name == super::events::FOLDER);
    for (folder, files) in on_source.iter().filter(|(folder, _)| is_events(folder)) {
        let there = on_destination.get(folder);
        for (name, size) in files.iter().filter(|(name, _)| name.ends_with(".json")) {
            let signature = format!("{name}.minisig");
            let whole = there.is_some_and(|there| {
                there.get(name) == Some(size) && there.contains_key(&signature)
            });
            if whole {
                continue;
            }
            let path = format!("{folder}/{name}");
            match super::events::copy(from, to, trusted, &path) {
                Ok(()) => mirrored.events += 1,
                Err(why) => {
                    tracing::error!("{path}: {why}");
                    mirrored.refused.push((path, why.to_string()));
                }
            }
        }
    }
}

/// Every folder under the target's prefix, relative to the prefix, with its files' names
/// and sizes.
async fn list_folders(target: Target<'_>) -> Result<Folders, RemoteError> {
    let remote = open(target)?;
    let prefix = remote.prefix.as_ref().to_owned();
    let mut folders: Folders = BTreeMap::new();
    let mut listed = remote.store.list(Some(&remote.prefix));
    while let Some(meta) = listed.next().await {
        let meta = meta.map_err(RemoteError::store(target.url))?;
        let path = meta.location.as_ref();
        let relative = path
            .strip_prefix(prefix.as_str())
            .unwrap_or(path)
            .trim_start_matches('/');
        if let Some((folder, name)) = relative.rsplit_once('/') {
            folders
                .entry(folder.to_owned())
                .or_default()
                .insert(name.to_owned(), meta.size);
        }
    }
    Ok(folders)
}

/// One part: brought here, verified, uploaded and checked there.
fn copy_part(
    from: Target<'_>,
    to: Target<'_>,
    trusted: &crate::seal::Trust,
    work: &Path,
    folder: &str,
) -> Result<(), RemoteError> {
    let checking = tempfile::Builder::new()
        .prefix("mirror-")
        .tempdir_in(work)
        .map_err(RemoteError::local(work))?;
    let local = checking.path().join(folder);
    super::replica::download(from, folder, &local)?;
    let report = crate::seal::verify_part(&local, trusted);
    if !report.ok() {
        let failure = report
            .failures()
            .next()
            .map(|check| format!("{}: {}", check.subject, check.detail))
            .unwrap_or_default();
        return Err(RemoteError::NotCopied(Box::new(
            RemoteError::DoesNotVerify {
                url: from.url.to_owned(),
                failure,
            },
        )));
    }
    let manifest: Manifest = crate::seal::verify::read_manifest(&local)
        .map(|(manifest, _)| manifest)
        .map_err(RemoteError::Manifest)?;
    let mut files: Vec<(String, String)> = manifest
        .files
        .iter()
        .map(|file| (file.name.clone(), file.sha256.clone()))
        .collect();
    // The seal's own files last: a part is there once its manifest is.
    for name in manifest.seal_files().into_iter().rev() {
        let bytes = std::fs::read(local.join(name)).map_err(RemoteError::local(Path::new(name)))?;
        files.push((name.to_owned(), crate::digest::hex(&Sha256::digest(&bytes))));
    }
    let payload = UploadPayload {
        folder: folder.to_owned(),
        files,
        demo: manifest.demo,
        instance: manifest.identity.instance.clone(),
        remote: String::new(),
    };
    upload(&payload, checking.path(), &work.join("uploads"), to)
        .into_result(to)
        .map(|_| ())
}
