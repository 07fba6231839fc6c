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

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use fuser::{
    Errno, FileAttr, FileHandle, FileType, Filesystem, FopenFlags, Generation, INodeNo, LockOwner,
    OpenFlags, ReplyAttr, ReplyData, ReplyDirectory, ReplyEntry, ReplyOpen, Request,
};
use object_store::path::Path as ObjectPath;
use object_store::{ObjectStore, ObjectStoreExt};
use sha2::{Digest, Sha256};

use crate::delivery::upload::{Target, object_path};
use crate::lock::Locked;
use crate::seal::part::{CHUNKS, ChunkList, MANIFEST, Manifest};
use crate::seal::verify::MANIFEST_LIMIT;
use crate::tr;

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
    .map_err(|message| StreamError::Server {
        url: target.url.to_owned(),
        message,
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
        let remote = crate::delivery::upload::open(target).map_err(server)?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .map_err(|e| server(e.to_string()))?;
        let case_folder = crate::delivery::case_prefix(court, case);
        let base = object_path(&remote.prefix, &case_folder, "").map_err(server)?;
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

/// How a file's bytes are held to its seal.
#[derive(Debug, Clone)]
enum Check {
    /// Not known yet (the seal's lists are read at open).
    Pending,
    /// Each chunk against the seal's chunk list.
    Chunks {
        chunk_bytes: u64,
        sha256: Arc<Vec<String>>,
    },
    /// Read whole, against the SHA-256 the manifest lists.
    Whole { sha256: String },
    /// The seal's own files (manifest, signatures, sums): read whole, as they are; the seal
    /// check decides whether they hold.
    Seal,
    /// Not something that can be served: why.
    Refused(String),
}

#[derive(Debug)]
enum Kind {
    Folder(BTreeMap<String, u64>),
    File {
        object: String,
        size: u64,
        check: Check,
    },
}

#[derive(Debug)]
struct Node {
    parent: u64,
    /// `<session>/<part>/<name>` under the case.
    relative: String,
    hidden: bool,
    kind: Kind,
}

/// The case's part folders as the server lists them; inode N is `nodes[N - 1]`.
#[derive(Debug)]
struct Tree {
    nodes: Vec<Node>,
    /// The part folders (those holding a manifest), `<session>/<part>`.
    parts: Vec<String>,
}

const ROOT: u64 = 1;

impl Tree {
    fn of(objects: &[(String, u64)], base: &ObjectPath) -> Tree {
        let base = format!("{}/", base.as_ref());
        let relative: Vec<(&str, &str, u64)> = objects
            .iter()
            .filter_map(|(object, size)| {
                let relative = object.strip_prefix(&base)?;
                Some((relative, object.as_str(), *size))
            })
            .collect();
        let parts: Vec<String> = relative
            .iter()
            .filter_map(|(relative, _, _)| relative.strip_suffix(&format!("/{MANIFEST}")))
            .filter(|part| !part.is_empty() && !part.split('/').any(|piece| piece == "events"))
            .map(str::to_owned)
            .collect();
        let mut tree = Tree {
            nodes: vec![Node {
                parent: ROOT,
                relative: String::new(),
                hidden: false,
                kind: Kind::Folder(BTreeMap::new()),
            }],
            parts,
        };
        for (relative, object, size) in relative {
            // Only what lies directly in a part folder: the case's events are not shown.
            let Some((folder, name)) = relative.rsplit_once('/') else {
                continue;
            };
            if !tree.parts.iter().any(|part| part == folder) {
                continue;
            }
            let parent = tree.folder(folder);
            tree.add(
                parent,
                name,
                relative,
                Kind::File {
                    object: object.to_owned(),
                    size,
                    check: Check::Pending,
                },
            );
        }
        tree
    }

    fn node(&self, ino: u64) -> Option<&Node> {
        let node = self.nodes.get(usize::try_from(ino).ok()?.checked_sub(1)?)?;
        (!node.hidden).then_some(node)
    }

    fn add(&mut self, parent: u64, name: &str, relative: &str, kind: Kind) -> u64 {
        self.nodes.push(Node {
            parent,
            relative: relative.to_owned(),
            hidden: false,
            kind,
        });
        let ino = self.nodes.len() as u64;
        if let Kind::Folder(children) = &mut self.nodes[parent as usize - 1].kind {
            children.insert(name.to_owned(), ino);
        }
        ino
    }

    /// The folder at `relative`, made with its parents when new.
    fn folder(&mut self, relative: &str) -> u64 {
        let mut at = ROOT;
        let mut path = String::new();
        for piece in relative.split('/') {
            if !path.is_empty() {
                path.push('/');
            }
            path.push_str(piece);
            let existing = match &self.nodes[at as usize - 1].kind {
                Kind::Folder(children) => children.get(piece).copied(),
                Kind::File { .. } => None,
            };
            at = match existing {
                Some(ino) => ino,
                None => self.add(at, piece, &path, Kind::Folder(BTreeMap::new())),
            };
        }
        at
    }

    fn find(&self, relative: &str) -> Option<u64> {
        self.nodes
            .iter()
            .position(|node| node.relative == relative)
            .map(|index| index as u64 + 1)
    }

    fn hide(&mut self, part: &str) {
        let inside = format!("{part}/");
        for node in &mut self.nodes {
            if node.relative == part || node.relative.starts_with(&inside) {
                node.hidden = true;
            }
        }
    }
}

/// What has been read, by (inode, chunk); a whole file is chunk `u64::MAX`.
#[derive(Default)]
struct Cache {
    slots: HashMap<(u64, u64), Slot>,
    order: VecDeque<(u64, u64)>,
}

enum Slot {
    Loading,
    Ready(bytes::Bytes),
}

const WHOLE: u64 = u64::MAX;

struct Shared {
    store: Arc<dyn ObjectStore>,
    /// On an S3 server, stretches are read from presigned addresses with an HTTP range:
    /// a server may answer a range with 200 and the stretch (rclone's does), which
    /// object_store refuses; here the stretch's length is what counts.
    signer: Option<Arc<dyn object_store::signer::Signer>>,
    http: reqwest::Client,
    runtime: tokio::runtime::Runtime,
    tree: Mutex<Tree>,
    cache: Mutex<Cache>,
    ready: Condvar,
    mismatches: Mutex<Vec<Mismatch>>,
    fetched: AtomicU64,
    /// The last chunk read of each file, to tell reading in order from a jump.
    last_read: Mutex<HashMap<u64, u64>>,
    /// Per file whose chunk differed from its seal: the byte from which it reads no further
    /// (what comes before, checked, still reads), and why.
    refused_from: Mutex<HashMap<u64, (u64, String)>>,
}

impl Shared {
    fn tree(&self) -> std::sync::MutexGuard<'_, Tree> {
        self.tree.locked()
    }

    fn cache(&self) -> std::sync::MutexGuard<'_, Cache> {
        self.cache.locked()
    }

    /// Reads each part's manifest and chunk list and sets how each of its files is
    /// checked; returns the parts that cannot be shown, and why.
    fn learn_seals(&self) -> Vec<(String, String)> {
        let parts = self.tree().parts.clone();
        let mut refused = Vec::new();
        for part in parts {
            if let Err(why) = self.learn_seal(&part) {
                refused.push((part, why));
            }
        }
        refused
    }

    fn learn_seal(&self, part: &str) -> Result<(), String> {
        let ino_of = |name: &str| {
            self.tree()
                .find(&format!("{part}/{name}"))
                .ok_or_else(|| format!("{name}: missing"))
        };
        let manifest_ino = ino_of(MANIFEST)?;
        self.set_check(manifest_ino, Check::Seal);
        let bytes = self.whole(manifest_ino).map_err(|_| self.why(MANIFEST))?;
        let manifest: Manifest = serde_json::from_slice(&bytes)
            .map_err(|error| format!("{MANIFEST}: is not a valid manifest: {error}"))?;
        for name in manifest.seal_files() {
            if let Ok(ino) = ino_of(name) {
                self.set_check(ino, Check::Seal);
            }
        }
        let listed = |name: &str| manifest.files.iter().find(|file| file.name == name);
        // The chunk list, itself held to the manifest, when the seal has one.
        let chunks = match (listed(CHUNKS), ino_of(CHUNKS)) {
            (Some(entry), Ok(ino)) => {
                self.set_check(
                    ino,
                    Check::Whole {
                        sha256: entry.sha256.clone(),
                    },
                );
                let bytes = self.whole(ino).map_err(|_| self.why(CHUNKS))?;
                Some(ChunkList::parse(&bytes)?)
            }
            _ => None,
        };
        for file in &manifest.files {
            let Ok(ino) = ino_of(&file.name) else {
                continue;
            };
            let chunked = chunks.as_ref().and_then(|list| {
                list.of(file).map(|sha256| Check::Chunks {
                    chunk_bytes: list.chunk_bytes,
                    sha256: Arc::new(sha256.to_vec()),
                })
            });
            let check = match chunked {
                _ if file.name == CHUNKS => continue,
                Some(check) => check,
                None if file.size <= WHOLE_LIMIT => Check::Whole {
                    sha256: file.sha256.clone(),
                },
                None => {
                    return Err(format!(
                        "{}: sealed without a chunk list, so it can only be checked whole: \
                        restore the part (`hattama restore`) to review it",
                        file.name
                    ));
                }
            };
            self.set_check(ino, check);
        }
        // Anything else in the folder is not part of the record: shown, never read.
        let mut tree = self.tree();
        for node in &mut tree.nodes {
            if let Kind::File { check, .. } = &mut node.kind
                && matches!(check, Check::Pending)
                && node.relative.starts_with(&format!("{part}/"))
            {
                *check = Check::Refused("a file the seal does not list".to_owned());
            }
        }
        Ok(())
    }

    fn set_check(&self, ino: u64, to: Check) {
        if let Some(Node {
            kind: Kind::File { check, .. },
            ..
        }) = self.tree().nodes.get_mut(ino as usize - 1)
        {
            *check = to;
        }
    }

    /// The last mismatch about `name`, or that it could not be read.
    fn why(&self, name: &str) -> String {
        self.mismatches
            .locked()
            .iter()
            .rev()
            .find(|mismatch| mismatch.file.ends_with(name))
            .map_or_else(|| format!("{name}: cannot be read"), ToString::to_string)
    }

    fn file(&self, ino: u64) -> Result<(String, String, u64, Check), Errno> {
        match self.tree().node(ino) {
            Some(Node {
                relative,
                kind:
                    Kind::File {
                        object,
                        size,
                        check,
                    },
                ..
            }) => Ok((relative.clone(), object.clone(), *size, check.clone())),
            Some(_) => Err(Errno::EISDIR),
            None => Err(Errno::ENOENT),
        }
    }

    fn mismatch(&self, file: &str, offset: u64, what: String) -> Errno {
        tracing::error!("{file} at byte {offset}: {what}");
        self.mismatches.locked().push(Mismatch {
            file: file.to_owned(),
            offset,
            what,
        });
        Errno::EIO
    }

    /// `size` bytes of file `ino` from `offset`, every one checked.
    fn read(self: &Arc<Self>, ino: u64, offset: u64, size: u64) -> Result<Vec<u8>, Errno> {
        let (relative, _, length, check) = self.file(ino)?;
        let end = (offset + size).min(length);
        if offset >= end {
            return Ok(Vec::new());
        }
        match check {
            Check::Chunks { chunk_bytes, .. } => {
                let refused = self.refused_from.locked().get(&ino).cloned();
                if let Some((from, why)) = refused
                    && end > from
                {
                    return Err(self.mismatch(&relative, offset.max(from), why));
                }
                let (first, last) = (offset / chunk_bytes, (end - 1) / chunk_bytes);
                let chunks = length.div_ceil(chunk_bytes);
                let in_order = {
                    let mut reads = self.last_read.locked();
                    let before = reads.insert(ino, last);
                    before.is_some_and(|before| first == before || first == before + 1)
                };
                let ahead = if in_order { AHEAD } else { 0 };
                for ahead in last + 1..(last + 1 + ahead).min(chunks) {
                    if self.cache().slots.contains_key(&(ino, ahead)) {
                        continue;
                    }
                    let shared = self.clone();
                    self.runtime.spawn_blocking(move || {
                        let _ = shared.chunk(ino, ahead);
                    });
                }
                let mut bytes = Vec::with_capacity((end - offset) as usize);
                for index in first..=last {
                    let chunk = self.chunk(ino, index)?;
                    let from = offset.max(index * chunk_bytes) - index * chunk_bytes;
                    let to = end.min((index + 1) * chunk_bytes) - index * chunk_bytes;
                    bytes.extend_from_slice(&chunk[from as usize..to as usize]);
                }
                Ok(bytes)
            }
            Check::Whole { .. } | Check::Seal => {
                let whole = self.whole(ino)?;
                Ok(whole[offset as usize..end.min(whole.len() as u64) as usize].to_vec())
            }
            Check::Refused(why) => Err(self.mismatch(&relative, offset, why)),
            Check::Pending => Err(Errno::EIO),
        }
    }

    fn whole(&self, ino: u64) -> Result<bytes::Bytes, Errno> {
        self.kept_or_fetched((ino, WHOLE), || {
            let (relative, object, size, check) = self.file(ino)?;
            if size > MANIFEST_LIMIT.max(WHOLE_LIMIT) {
                return Err(self.mismatch(&relative, 0, format!("{size} bytes: too large")));
            }
            let bytes = self.fetch(&relative, &object, None)?;
            if let Check::Whole { sha256 } = check {
                let found = crate::digest::hex(&Sha256::digest(&bytes));
                if found != sha256 {
                    return Err(self.mismatch(
                        &relative,
                        0,
                        format!("SHA-256 {found} differs from the sealed {sha256}"),
                    ));
                }
            }
            Ok(bytes)
        })
    }

    fn chunk(&self, ino: u64, index: u64) -> Result<bytes::Bytes, Errno> {
        self.kept_or_fetched((ino, index), || {
            let (relative, object, size, check) = self.file(ino)?;
            let Check::Chunks {
                chunk_bytes,
                sha256,
            } = check
            else {
                return Err(Errno::EIO);
            };
            let start = index * chunk_bytes;
            let range = start..(start + chunk_bytes).min(size);
            // A range that is the whole file is asked as the file: some servers (rclone's)
            // answer such a range with the whole object, not a partial answer.
            let range = (range != (0..size)).then_some(range);
            let bytes = self.fetch(&relative, &object, range)?;
            let found = crate::digest::hex(&Sha256::digest(&bytes));
            let sealed = sha256.get(index as usize).map_or("", String::as_str);
            if found != sealed {
                // The file reads no further from here: what follows cannot be trusted to be
                // this one. What came before was checked and still reads.
                self.refused_from
                    .locked()
                    .entry(ino)
                    .and_modify(|(from, _)| *from = (*from).min(start))
                    .or_insert((start, format!("differs from its seal at byte {start}")));
                return Err(self.mismatch(
                    &relative,
                    start,
                    format!(
                        "chunk {} of {}: SHA-256 {found} differs from the sealed {sealed}",
                        index + 1,
                        sha256.len()
                    ),
                ));
            }
            Ok(bytes)
        })
    }

    /// One reading per key at a time: a second asker waits for the first's result.
    fn kept_or_fetched(
        &self,
        key: (u64, u64),
        fetch: impl FnOnce() -> Result<bytes::Bytes, Errno>,
    ) -> Result<bytes::Bytes, Errno> {
        {
            let mut cache = self.cache();
            loop {
                match cache.slots.get(&key) {
                    Some(Slot::Ready(bytes)) => return Ok(bytes.clone()),
                    Some(Slot::Loading) => {
                        cache = self
                            .ready
                            .wait(cache)
                            .unwrap_or_else(PoisonError::into_inner);
                    }
                    None => {
                        cache.slots.insert(key, Slot::Loading);
                        break;
                    }
                }
            }
        }
        let result = fetch();
        let mut cache = self.cache();
        match &result {
            Ok(bytes) => {
                cache.slots.insert(key, Slot::Ready(bytes.clone()));
                cache.order.push_back(key);
                while cache.order.len() > KEPT_CHUNKS {
                    if let Some(oldest) = cache.order.pop_front() {
                        cache.slots.remove(&oldest);
                    }
                }
            }
            Err(_) => {
                cache.slots.remove(&key);
            }
        }
        self.ready.notify_all();
        result
    }

    /// `range` of the object at `path`, by a presigned GET with an HTTP range.
    async fn ranged(
        &self,
        signer: &dyn object_store::signer::Signer,
        path: &ObjectPath,
        range: std::ops::Range<u64>,
    ) -> Result<bytes::Bytes, String> {
        let url = signer
            .signed_url(
                object_store::signer::Method::GET,
                path,
                Duration::from_secs(300),
            )
            .await
            .map_err(|e| e.to_string())?;
        let response = self
            .http
            .get(url)
            .header(
                reqwest::header::RANGE,
                format!("bytes={}-{}", range.start, range.end - 1),
            )
            .send()
            .await
            .map_err(|e| e.to_string())?;
        let status = response.status();
        if !status.is_success() {
            return Err(format!("{path}: the server answered {status}"));
        }
        response.bytes().await.map_err(|e| e.to_string())
    }

    fn fetch(
        &self,
        relative: &str,
        object: &str,
        range: Option<std::ops::Range<u64>>,
    ) -> Result<bytes::Bytes, Errno> {
        let path = ObjectPath::parse(object).map_err(|_| Errno::EIO)?;
        let asked = range.clone();
        let got = self.runtime.block_on(async {
            match (range, &self.signer) {
                (Some(range), Some(signer)) => self.ranged(signer.as_ref(), &path, range).await,
                (Some(range), None) => self
                    .store
                    .get_range(&path, range)
                    .await
                    .map_err(|e| e.to_string()),
                (None, _) => match self.store.get(&path).await {
                    Ok(result) => result.bytes().await.map_err(|e| e.to_string()),
                    Err(error) => Err(error.to_string()),
                },
            }
        });
        match got {
            Ok(bytes) => {
                self.fetched
                    .fetch_add(bytes.len() as u64, Ordering::Relaxed);
                if let Some(asked) = asked
                    && bytes.len() as u64 != asked.end - asked.start
                {
                    return Err(self.mismatch(
                        relative,
                        asked.start,
                        format!(
                            "the server gave {} bytes for {}",
                            bytes.len(),
                            asked.end - asked.start
                        ),
                    ));
                }
                Ok(bytes)
            }
            Err(error) => {
                tracing::warn!("{object}: {error}");
                Err(Errno::EIO)
            }
        }
    }
}

/// The FUSE face: a read-only tree of the case's part folders.
struct StreamFs {
    shared: Arc<Shared>,
}

impl StreamFs {
    fn attr(&self, ino: u64) -> Result<FileAttr, Errno> {
        let tree = self.shared.tree();
        let node = tree.node(ino).ok_or(Errno::ENOENT)?;
        let (kind, size, perm) = match &node.kind {
            Kind::Folder(_) => (FileType::Directory, 0, 0o555),
            Kind::File { size, .. } => (FileType::RegularFile, *size, 0o444),
        };
        let at = SystemTime::UNIX_EPOCH;
        Ok(FileAttr {
            ino: INodeNo(ino),
            size,
            blocks: size.div_ceil(512),
            atime: at,
            mtime: at,
            ctime: at,
            crtime: at,
            kind,
            perm,
            nlink: if kind == FileType::Directory { 2 } else { 1 },
            uid: rustix::process::getuid().as_raw(),
            gid: rustix::process::getgid().as_raw(),
            rdev: 0,
            blksize: 1 << 16,
            flags: 0,
        })
    }
}

impl Filesystem for StreamFs {
    fn lookup(&self, _req: &Request, parent: INodeNo, name: &OsStr, reply: ReplyEntry) {
        let child = {
            let tree = self.shared.tree();
            match tree.node(parent.0).map(|node| &node.kind) {
                Some(Kind::Folder(children)) => {
                    name.to_str().and_then(|n| children.get(n).copied())
                }
                _ => None,
            }
        };
        match child.ok_or(Errno::ENOENT).and_then(|ino| self.attr(ino)) {
            Ok(attr) => reply.entry(&TTL, &attr, Generation(0)),
            Err(error) => reply.error(error),
        }
    }

    fn getattr(&self, _req: &Request, ino: INodeNo, _fh: Option<FileHandle>, reply: ReplyAttr) {
        match self.attr(ino.0) {
            Ok(attr) => reply.attr(&TTL, &attr),
            Err(error) => reply.error(error),
        }
    }

    fn open(&self, _req: &Request, ino: INodeNo, _flags: OpenFlags, reply: ReplyOpen) {
        match self.shared.file(ino.0) {
            // What was checked once stays checked: the kernel may keep it between opens.
            Ok(_) => reply.opened(FileHandle(0), FopenFlags::FOPEN_KEEP_CACHE),
            Err(error) => reply.error(error),
        }
    }

    fn read(
        &self,
        _req: &Request,
        ino: INodeNo,
        _fh: FileHandle,
        offset: u64,
        size: u32,
        _flags: OpenFlags,
        _lock_owner: Option<LockOwner>,
        reply: ReplyData,
    ) {
        match self.shared.read(ino.0, offset, u64::from(size)) {
            Ok(bytes) => reply.data(&bytes),
            Err(error) => reply.error(error),
        }
    }

    fn flush(
        &self,
        _req: &Request,
        _ino: INodeNo,
        _fh: FileHandle,
        _lock_owner: LockOwner,
        reply: fuser::ReplyEmpty,
    ) {
        // Nothing is ever written: closing a file has nothing to finish.
        reply.ok();
    }

    fn opendir(&self, _req: &Request, ino: INodeNo, _flags: OpenFlags, reply: ReplyOpen) {
        match self.shared.tree().node(ino.0).map(|node| &node.kind) {
            Some(Kind::Folder(_)) => reply.opened(FileHandle(0), FopenFlags::empty()),
            Some(_) => reply.error(Errno::ENOTDIR),
            None => reply.error(Errno::ENOENT),
        }
    }

    fn readdir(
        &self,
        _req: &Request,
        ino: INodeNo,
        _fh: FileHandle,
        offset: u64,
        mut reply: ReplyDirectory,
    ) {
        let tree = self.shared.tree();
        let Some(node) = tree.node(ino.0) else {
            return reply.error(Errno::ENOENT);
        };
        let Kind::Folder(children) = &node.kind else {
            return reply.error(Errno::ENOTDIR);
        };
        let dots = [
            (".".to_owned(), ino.0, FileType::Directory),
            ("..".to_owned(), node.parent, FileType::Directory),
        ];
        let entries = children.iter().filter_map(|(name, child)| {
            let kind = match &tree.node(*child)?.kind {
                Kind::Folder(_) => FileType::Directory,
                Kind::File { .. } => FileType::RegularFile,
            };
            Some((name.clone(), *child, kind))
        });
        for (at, (name, child, kind)) in dots
            .into_iter()
            .chain(entries)
            .enumerate()
            .skip(offset as usize)
        {
            if reply.add(INodeNo(child), at as u64 + 1, kind, &name) {
                break;
            }
        }
        reply.ok();
    }
}
