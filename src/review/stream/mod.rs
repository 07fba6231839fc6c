//! Reviewing a case straight from the court server, on a judge's desk: nothing downloaded
//! whole, every byte checked before it is played.
//!
//! ```text
//!  court server  <prefix>/<court>/<case>/<session>/<part>/recording-001.mkv …
//!        │  range reads of 1 MiB (object_store), the next ones fetched ahead
//!        ▼
//!  each chunk held to the SHA-256 the seal lists for it (chunks.json, itself listed in the
//!  signed manifest); a mismatch is named and the file reads no further
//!        │
//!        ▼
//!  a read-only folder (FUSE) under the data folder:  <session>/<part>/…  as on a disc
//!        │
//!        ▼
//!  the review as of a disc: seals checked (signature, chain, sizes) without reading the
//!  recordings; the player (splitmuxsrc) reading the recordings as they are needed
//! ```
//!
//! The folder is mounted for as long as the `Streamed` lives. A part whose seal does not
//! hold is not shown (it is named in `refused`); a file in a part folder the seal does not
//! list is shown (so the seal check names it) but reads nothing.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use object_store::ObjectStore;
use object_store::path::Path as ObjectPath;

use crate::delivery::upload::{Target, object_path};
use crate::lock::Locked;
use crate::tr;

mod fs;
mod shared;
mod tree;

use fs::StreamFs;
use shared::{Cache, Shared};
use tree::Tree;

/// Chunks read ahead of the last one asked for while a file is read in order (playback), so
/// it never waits for the network; a jump (opening, a seek) reads only what it asks, so the
/// bandwidth goes to the bytes wanted now.
const AHEAD: u64 = 4;
/// Chunks kept in memory (the kernel keeps what it read too).
const KEPT_CHUNKS: usize = 96;
/// A file with no chunk list is read whole before a byte of it is used; beyond this size
/// it is not streamed (parts sealed before chunk lists: restore them to review them).
const WHOLE_LIMIT: u64 = 64 << 20;
/// Names and sizes never change on the server: the kernel may keep them a while.
const TTL: Duration = Duration::from_secs(60);

/// Why a case cannot be streamed.
#[derive(Debug, Clone, thiserror::Error)]
pub enum StreamError {
    #[error("{url}: {message}")]
    Server { url: String, message: String },
    #[error("{url}: no sealed part of case {case} of {court} there")]
    NoParts {
        url: String,
        court: String,
        case: String,
    },
    #[error("{folder}: cannot show the case's parts here: {message}")]
    Mount { folder: PathBuf, message: String },
    #[error("no part of case {case} could be shown: {why}")]
    AllRefused { case: String, why: String },
    #[error("{0}")]
    Unreadable(String),
    /// Found while playing: playback stops there.
    #[error("{0}")]
    Changed(Mismatch),
}

impl crate::problem::Problem for StreamError {
    fn title(&self) -> String {
        match self {
            StreamError::Server { .. } => tr!("stream-server"),
            StreamError::NoParts { case, .. } => tr!("stream-no-parts", case = case.clone()),
            StreamError::Mount { .. } => tr!("stream-mount"),
            StreamError::AllRefused { case, .. } => tr!("stream-refused", case = case.clone()),
            StreamError::Unreadable(_) => tr!("stream-unreadable"),
            StreamError::Changed(mismatch) => {
                tr!("stream-changed", file = mismatch.file.clone())
            }
        }
    }

    fn help(&self) -> String {
        match self {
            StreamError::Server { .. } | StreamError::NoParts { .. } => {
                tr!("stream-server-help")
            }
            StreamError::Mount { .. } => tr!("stream-mount-help"),
            StreamError::AllRefused { .. }
            | StreamError::Changed(_)
            | StreamError::Unreadable(_) => {
                tr!("stream-changed-help")
            }
        }
    }
}

/// A stretch of a file on the server that is not what its seal says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    /// `<session>/<part>/<file>`, under the case.
    pub file: String,
    pub offset: u64,
    pub what: String,
}

impl std::fmt::Display for Mismatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} at byte {}: {}", self.file, self.offset, self.what)
    }
}

/// A case's parts shown from the server in `folder`, for as long as this lives.
pub struct Streamed {
    folder: PathBuf,
    session: Option<fuser::BackgroundSession>,
    shared: Arc<Shared>,
    /// The parts shown, as `<session>/<part>` under the case.
    pub parts: Vec<String>,
    /// The parts not shown, and why (their seal does not hold, or they cannot be streamed).
    pub refused: Vec<(String, String)>,
    /// Where the case lies: `<server url>/<court>/<case>`.
    pub source: String,
}

impl std::fmt::Debug for Streamed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Streamed")
            .field("folder", &self.folder)
            .field("source", &self.source)
            .finish()
    }
}

/// The configuration's server named `server`, or that there is none of that name.
pub fn server_target<'a>(
    config: &'a crate::config::Config,
    server: &str,
) -> Result<Target<'a>, StreamError> {
    config
        .delivery
        .target_named(server)
        .ok_or_else(|| StreamError::Server {
            url: server.to_owned(),
            message: tr!("mirror-unknown-target", name = server.to_owned()),
        })
}

/// Case `case` of `court` opened from the server named `server` of `config` for review:
/// what the judge's desk does when a case is chosen.
pub fn open_case(
    paths: &crate::paths::Paths,
    config: &crate::config::Config,
    server: &str,
    case: &str,
) -> Result<(Arc<Streamed>, Vec<super::Review>), StreamError> {
    let target = server_target(config, server)?;
    let trusted = crate::seal::trusted_keys(paths);
    let streamed = Streamed::open(
        target,
        &config.court.name,
        case,
        &trusted,
        &paths.data.join("streams"),
    )?;
    let reviews = streamed
        .reviews(&paths.data.join("review"))
        .map_err(|error| StreamError::Unreadable(error.to_string()))?;
    Ok((Arc::new(streamed), reviews))
}

/// The court's cases as the judge's desk lists them, from the server named `server`.
pub fn list_cases(
    paths: &crate::paths::Paths,
    config: &crate::config::Config,
    server: &str,
) -> Result<crate::delivery::cases::Listed, StreamError> {
    let target = server_target(config, server)?;
    let trusted = crate::seal::trusted_keys(paths);
    crate::delivery::cases::list(
        target,
        &config.court.name,
        &trusted,
        &paths.data.join("court-list"),
        None,
    )
    .map_err(|error| StreamError::Server {
        url: target.url.to_owned(),
        message: error.to_string(),
    })
}

impl Streamed {
    /// Shows case `case` of `court` from `target` under `mounts` (a folder of this
    /// computer's own), each part's seal checked against `trusted` before it is shown.
    pub fn open(
        target: Target<'_>,
        court: &str,
        case: &str,
        trusted: &crate::seal::Trust,
        mounts: &Path,
    ) -> Result<Streamed, StreamError> {
        let server = |message: String| StreamError::Server {
            url: target.url.to_owned(),
            message,
        };
        let remote =
            crate::delivery::upload::open(target).map_err(|error| server(error.to_string()))?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .map_err(|e| server(e.to_string()))?;
        let case_folder = crate::delivery::case_prefix(court, case);
        let base = object_path(&remote.prefix, &case_folder, "")
            .map_err(|error| server(error.to_string()))?;
        let began = std::time::Instant::now();
        let mut phases = Vec::new();
        let objects = runtime
            .block_on(list(remote.store.as_ref(), &base))
            .map_err(server)?;
        let tree = Tree::of(&objects, &base);
        if tree.parts.is_empty() {
            return Err(StreamError::NoParts {
                url: target.url.to_owned(),
                court: court.to_owned(),
                case: case.to_owned(),
            });
        }
        let shared = Arc::new(Shared {
            store: remote.store.clone(),
            signer: remote.signer.clone(),
            http: reqwest::Client::new(),
            runtime,
            tree: Mutex::new(tree),
            cache: Mutex::new(Cache::default()),
            ready: Condvar::new(),
            mismatches: Mutex::new(Vec::new()),
            fetched: AtomicU64::new(0),
            last_read: Mutex::new(HashMap::new()),
            refused_from: Mutex::new(HashMap::new()),
        });
        // The seals' lists first: which files are checked how.
        phases.push(("listed", began.elapsed()));
        let mut refused = shared.learn_seals();
        phases.push(("seals read", began.elapsed()));
        let folder = mount_folder(mounts)?;
        let mut config = fuser::Config::default();
        config.mount_options = vec![
            fuser::MountOption::FSName("hattama-stream".to_owned()),
            fuser::MountOption::RO,
            fuser::MountOption::NoExec,
        ];
        config.n_threads = Some(2);
        let session = fuser::spawn_mount(
            StreamFs {
                shared: shared.clone(),
            },
            &folder,
            &config,
        )
        .map_err(|error| StreamError::Mount {
            folder: folder.clone(),
            message: error.to_string(),
        })?;
        let mut streamed = Streamed {
            folder,
            session: Some(session),
            shared,
            parts: Vec::new(),
            refused: Vec::new(),
            source: format!("{}/{case_folder}", target.url.trim_end_matches('/')),
        };
        // Each part's seal as verify checks it (signature, the key's certificate, the
        // court's signature, sizes, unlisted files, the protocol), without the recordings.
        phases.push(("mounted", began.elapsed()));
        let parts = streamed.shared.tree().parts.clone();
        for part in parts {
            if refused.iter().any(|(name, _)| *name == part) {
                continue;
            }
            let report =
                crate::seal::verify::verify_part_unhashed(&streamed.folder.join(&part), trusted);
            match report.failures().next() {
                None if report.ok() => streamed.parts.push(part),
                failure => {
                    let why = failure.map_or_else(
                        || "its seal does not hold".to_owned(),
                        |check| format!("{}: {}", check.subject, check.detail),
                    );
                    refused.push((part, why));
                }
            }
        }
        {
            let mut tree = streamed.shared.tree();
            for (part, _) in &refused {
                tree.hide(part);
            }
        }
        refused.sort();
        streamed.refused = refused;
        if streamed.parts.is_empty() {
            let why = streamed
                .refused
                .iter()
                .map(|(part, why)| format!("{part}: {why}"))
                .collect::<Vec<_>>()
                .join("; ");
            return Err(StreamError::AllRefused {
                case: case.to_owned(),
                why,
            });
        }
        phases.push(("seals checked", began.elapsed()));
        tracing::info!(
            "case {case} from {}: {}",
            streamed.source,
            phases
                .iter()
                .map(|(what, at)| format!("{what} at {} ms", at.as_millis()))
                .collect::<Vec<_>>()
                .join(", ")
        );
        Ok(streamed)
    }

    /// The folder the case's parts are shown in.
    pub fn folder(&self) -> &Path {
        &self.folder
    }

    /// What was found not to be as sealed while reading, first first.
    pub fn mismatches(&self) -> Vec<Mismatch> {
        self.shared.mismatches.locked().clone()
    }

    /// The case's sessions as a review shows them, read from the server.
    pub fn reviews(&self, unpack: &Path) -> Result<Vec<super::Review>, super::ReviewError> {
        let mut reviews = super::Review::open(&self.folder, unpack)?;
        for review in &mut reviews {
            review.source = super::Source::Server(self.source.clone());
        }
        Ok(reviews)
    }

    /// What the player failing means when a file was found not as sealed: the first such.
    pub fn changed(&self) -> Option<StreamError> {
        self.mismatches()
            .into_iter()
            .next()
            .map(StreamError::Changed)
    }

    /// Bytes read from the server so far.
    pub fn fetched_bytes(&self) -> u64 {
        self.shared.fetched.load(Ordering::Relaxed)
    }
}

impl Drop for Streamed {
    fn drop(&mut self) {
        if let Some(session) = self.session.take()
            && let Err(error) = session.umount_and_join()
        {
            // Something still holds a file open: detached now, gone when it lets go.
            tracing::warn!("unmounting {}: {error}", self.folder.display());
            lazy_unmount(&self.folder);
        }
        let _ = std::fs::remove_dir(&self.folder);
    }
}

/// A new empty folder under `mounts` for this mount; folders left mounted by a process
/// that has ended (a crash) are unmounted and removed first.
fn mount_folder(mounts: &Path) -> Result<PathBuf, StreamError> {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    let failed = |folder: &Path, error: std::io::Error| StreamError::Mount {
        folder: folder.to_owned(),
        message: error.to_string(),
    };
    crate::paths::create_folder_all(mounts).map_err(|e| failed(mounts, e))?;
    if let Ok(entries) = std::fs::read_dir(mounts) {
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let pid = name.split('-').next().unwrap_or_default();
            if Path::new("/proc").join(pid).exists() {
                continue;
            }
            lazy_unmount(&entry.path());
            let _ = std::fs::remove_dir(entry.path());
        }
    }
    let folder = mounts.join(format!(
        "{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir(&folder).map_err(|e| failed(&folder, e))?;
    Ok(folder)
}

/// Detaches the mount at `folder` (it goes when nothing holds it), as its user may.
fn lazy_unmount(folder: &Path) {
    for unmount in ["fusermount3", "fusermount"] {
        let done = std::process::Command::new(unmount)
            .args(["-u", "-z"])
            .arg(folder)
            .stderr(std::process::Stdio::null())
            .status();
        if done.is_ok_and(|status| status.success()) {
            return;
        }
    }
}

/// Every object under `base`, with its size.
async fn list(store: &dyn ObjectStore, base: &ObjectPath) -> Result<Vec<(String, u64)>, String> {
    use futures_util::StreamExt;
    let mut found = Vec::new();
    let mut listed = store.list(Some(base));
    while let Some(meta) = listed.next().await {
        let meta = meta.map_err(|e| format!("{base}: {e}"))?;
        found.push((meta.location.as_ref().to_owned(), meta.size));
    }
    Ok(found)
}
