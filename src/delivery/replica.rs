//! The regional replica (rule 24): every sealed part is copied there (queued by
//! `queue_replication`, sent by the delivery worker like any upload, so it resumes after an
//! interruption and records what was copied and when), and a part whose local copy is missing
//! or damaged is brought back from it (`restore`), accepted only if its signature and every
//! hash verify.

use std::path::{Path, PathBuf};

use object_store::ObjectStoreExt;

use super::upload::{RemoteError, Target, open};
use super::{REPLICA, upload_row};
use crate::paths::Paths;
use crate::seal::part::{MANIFEST, Manifest, SIGNATURE, SUMS};
use crate::seal::verify::{Report, verify_part, verify_part_unhashed};
use crate::store::{Store, StoreError};

/// Queues a copy on the replica of every sealed part whose seal verifies; returns how many
/// copies are newly queued (a part copied before, with the same seal, is not queued again).
pub fn queue_replication(
    store: &mut Store,
    paths: &Paths,
    trusted: &crate::seal::Trust,
    delivery: &crate::config::Delivery,
) -> Result<usize, StoreError> {
    let mut queued = 0;
    for session in store.sessions()? {
        for part in store.parts_of(session.id)? {
            // A demo recording is no court record: copied only as a trial (`send_demo`).
            if part.sealed_at.is_none() || (part.demo && !delivery.send_demo) {
                continue;
            }
            let folder = paths.sessions().join(&part.folder);
            // Only what the seal vouches for goes to the replica.
            if !verify_part_unhashed(&folder, trusted).ok() {
                tracing::warn!(
                    "{}: its seal does not verify; not replicated",
                    folder.display()
                );
                continue;
            }
            let read = |name: &str| std::fs::read_to_string(folder.join(name)).ok();
            let (Some(manifest_json), Some(signature), Some(sums)) =
                (read(MANIFEST), read(SIGNATURE), read(SUMS))
            else {
                continue;
            };
            let Ok(manifest) = serde_json::from_str::<Manifest>(&manifest_json) else {
                continue;
            };
            let row = upload_row(
                REPLICA,
                &part.folder.to_string_lossy().replace('\\', "/"),
                &manifest,
                [&manifest_json, &signature, &sums],
                std::fs::read(folder.join(crate::seal::cms::CMS_SIGNATURE))
                    .ok()
                    .as_deref(),
            );
            queued += store.queue_outbox(part.id, &[row])?;
        }
    }
    Ok(queued)
}

/// What restoring a part did.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Restored {
    pub folder: PathBuf,
    /// The local copy was whole: nothing was done.
    pub already_whole: bool,
    /// Where the damaged local copy was kept, if there was one.
    pub kept_as: Option<PathBuf>,
    pub files: usize,
}

/// Why a part could not be brought back from the replica (the local copy is untouched).
#[derive(Debug, Clone, thiserror::Error)]
#[error(transparent)]
pub struct RestoreError(#[from] pub RemoteError);

impl crate::problem::Problem for RestoreError {
    fn title(&self) -> String {
        crate::tr!("restore-failed-title")
    }

    fn help(&self) -> String {
        crate::tr!("restore-failed-help")
    }
}

/// Brings part `folder` (relative to the sessions folder) back from the replica when its
/// local copy does not verify: from `on_server` there (see [`super::server_folder`]), or
/// from `folder` itself where parts were copied before servers were laid out by court and
/// case. The replica's copy is downloaded beside it and verified in full first; only then
/// is the local copy moved aside (never deleted) and replaced.
pub fn restore(
    paths: &Paths,
    target: Target<'_>,
    trusted: &crate::seal::Trust,
    folder: &str,
    on_server: &str,
) -> Result<Restored, RestoreError> {
    restore_from(paths, target, trusted, folder, on_server).map_err(RestoreError)
}

fn restore_from(
    paths: &Paths,
    target: Target<'_>,
    trusted: &crate::seal::Trust,
    folder: &str,
    on_server: &str,
) -> Result<Restored, RemoteError> {
    let local = paths.sessions().join(folder);
    if local.is_dir() && verify_part(&local, trusted).ok() {
        return Ok(Restored {
            folder: local,
            already_whole: true,
            kept_as: None,
            files: 0,
        });
    }
    let set_aside = paths.set_aside().join(folder);
    let incoming = set_aside.with_extension("restoring");
    if let Some(parent) = set_aside.parent() {
        crate::paths::create_folder_all(parent).map_err(RemoteError::local(parent))?;
    }
    let _ = std::fs::remove_dir_all(&incoming);
    let files = download(target, on_server, &incoming).or_else(|first| {
        let _ = std::fs::remove_dir_all(&incoming);
        download(target, folder, &incoming).map_err(|_| first)
    })?;
    let report: Report = verify_part(&incoming, trusted);
    if !report.ok() {
        let _ = std::fs::remove_dir_all(&incoming);
        let failure = report
            .failures()
            .next()
            .map(|c| format!("{}: {}", c.subject, c.detail))
            .unwrap_or_else(|| "nothing sealed there".to_owned());
        return Err(RemoteError::ReplicaDoesNotVerify(failure));
    }
    let kept_as = if local.exists() {
        let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
        // Two restores in one second keep both damaged copies.
        let aside = (1..)
            .map(|n| match n {
                1 => set_aside.with_extension(format!("damaged-{stamp}")),
                n => set_aside.with_extension(format!("damaged-{stamp}-{n}")),
            })
            .find(|path| std::fs::symlink_metadata(path).is_err())
            .expect("a free name");
        std::fs::rename(&local, &aside).map_err(RemoteError::local(&local))?;
        if let Some(parent) = aside.parent() {
            crate::paths::sync_folder(parent);
        }
        Some(aside)
    } else {
        None
    };
    if let Some(parent) = local.parent() {
        crate::paths::create_folder_all(parent).map_err(RemoteError::local(parent))?;
    }
    std::fs::rename(&incoming, &local).map_err(RemoteError::local(&local))?;
    if let Some(parent) = local.parent() {
        crate::paths::sync_folder(parent);
    }
    Ok(Restored {
        folder: local,
        already_whole: false,
        kept_as,
        files,
    })
}

/// Every sealed part of case `case_number` of `court` on `target` (its folders holding a
/// `manifest.json`, under the case's prefix alone), as `<court>/<case>/<session>/<part>`.
pub fn parts_of_case(
    target: Target<'_>,
    court: &str,
    case_number: &str,
) -> Result<Vec<String>, RestoreError> {
    use futures_util::StreamExt;
    let listed = || -> Result<Vec<String>, RemoteError> {
        let remote = open(target)?;
        let case = super::case_prefix(court, case_number);
        let base = super::upload::object_path(&remote.prefix, &case, "")?;
        let prefix = remote.prefix.as_ref().to_owned();
        super::upload::runtime()?.block_on(async {
            let mut parts = std::collections::BTreeSet::new();
            let mut listed = remote.store.list(Some(&base));
            while let Some(meta) = listed.next().await {
                let meta = meta.map_err(RemoteError::store(&base))?;
                let path = meta.location.as_ref();
                let relative = path.strip_prefix(prefix.as_str()).unwrap_or(path);
                let relative = relative.trim_start_matches('/');
                if let Some(folder) = relative.strip_suffix(&format!("/{MANIFEST}")) {
                    parts.insert(folder.to_owned());
                }
            }
            Ok(parts.into_iter().collect())
        })
    };
    let parts = listed().map_err(RestoreError)?;
    if parts.is_empty() {
        return Err(RestoreError(RemoteError::NoParts {
            url: target.url.to_owned(),
            case_number: case_number.to_owned(),
            court: court.to_owned(),
        }));
    }
    Ok(parts)
}

/// Downloads every object under `<prefix>/<folder>/` into `into`, streamed to disk (a
/// recording file is never held whole in memory).
pub(super) fn download(
    target: Target<'_>,
    folder: &str,
    into: &Path,
) -> Result<usize, RemoteError> {
    use futures_util::StreamExt;
    use std::io::Write;
    let remote = open(target)?;
    let runtime = super::upload::runtime()?;
    runtime.block_on(async {
        let base = if remote.prefix.as_ref().is_empty() {
            folder.to_owned()
        } else {
            format!("{}/{folder}", remote.prefix.as_ref())
        };
        let base = object_store::path::Path::parse(&base).map_err(RemoteError::path)?;
        crate::paths::create_folder_all(into).map_err(RemoteError::local(into))?;
        let mut listed = remote.store.list(Some(&base));
        let mut count = 0;
        while let Some(meta) = listed.next().await {
            let meta = meta.map_err(RemoteError::store(&base))?;
            let Some(name) = meta.location.filename() else {
                continue;
            };
            let remote_error = |e| RemoteError::store(&meta.location)(e);
            let path = into.join(name);
            let local_error = |e| RemoteError::local(&path)(e);
            let mut stream = remote
                .store
                .get(&meta.location)
                .await
                .map_err(remote_error)?
                .into_stream();
            let mut file = std::fs::File::create(&path).map_err(local_error)?;
            while let Some(bytes) = stream.next().await {
                file.write_all(&bytes.map_err(remote_error)?)
                    .map_err(local_error)?;
            }
            file.sync_all().map_err(local_error)?;
            count += 1;
        }
        if count == 0 {
            return Err(RemoteError::NothingThere(base.to_string()));
        }
        crate::paths::sync_folder(into);
        Ok(count)
    })
}
