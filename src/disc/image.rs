//! Writes one planned disc as an ISO 9660 image with hadris-iso: every part checked against
//! its seal first (a damaged recording is never copied as if whole), then the tree laid
//! out, its exact size checked against the media, and the image written under
//! `<name>.partial`, renamed to its name only when complete and on disk.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Instant;

use chrono::Utc;
use hadris_fs::{Content, Node, Tree};
use hadris_iso::{IsoId, IsoLevel, IsoOptions, NameCase};
use hadris_storage::host::FileDevice;
use hadris_storage::sync::BlockDevice;
use hadris_storage::{BlockIndex, BlockSize};
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::{DiscError, DiscPlan};
use crate::digest::hex;
use crate::lock::Locked;
use crate::seal::verify;

pub const README: &str = "README.txt";
pub const INVENTORY: &str = "INVENTORY.json";
pub const INVENTORY_SIGNATURE: &str = "INVENTORY.json.minisig";
pub const KEYS: &str = "keys";
/// The longest name Joliet (what Windows reads) keeps whole.
const JOLIET_NAME: usize = 64;

/// Where a build is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Phase {
    /// Every part's files against its seal.
    Checking,
    /// The image.
    Writing,
}

#[derive(Debug, Clone, Copy, Serialize)]
pub struct Progress {
    pub phase: Phase,
    pub done: u64,
    pub total: u64,
    /// Seconds left at the rate so far, once there is a rate.
    pub seconds_left: Option<f64>,
}

impl Progress {
    pub fn percent(&self) -> f64 {
        self.done as f64 * 100.0 / self.total.max(1) as f64
    }

    /// As people read it: `Writing the image: 45.0 % (1200.0 / 2700.0 MB, 12 s left)`.
    pub fn line(&self) -> String {
        let what = match self.phase {
            Phase::Checking => crate::tr!("disc-checking"),
            Phase::Writing => crate::tr!("disc-writing"),
        };
        let left = self
            .seconds_left
            .map(|s| format!(", {}", crate::tr!("disc-left", seconds = format!("{s:.0}"))))
            .unwrap_or_default();
        format!(
            "{what}: {:5.1} % ({:.1} / {:.1} MB{left})",
            self.percent(),
            self.done as f64 / 1e6,
            self.total as f64 / 1e6
        )
    }
}

/// A finished image.
#[derive(Debug, Clone, Serialize)]
pub struct Built {
    pub path: PathBuf,
    pub label: String,
    pub number: usize,
    pub of: usize,
    pub size: u64,
    /// SHA-256 of `INVENTORY.json`: the disc's contents, as the case inventory records it.
    pub contents_sha256: String,
    pub sessions: Vec<i64>,
    pub parts: Vec<String>,
    pub media: String,
    pub files: usize,
}

impl Built {
    /// One line for people: where it is, disc n of N, label, size.
    pub fn summary(&self) -> String {
        crate::tr!(
            "disc-built",
            path = self.path.display().to_string(),
            disc = self.number,
            of = self.of,
            label = self.label.clone(),
            size = self.size
        )
    }
}

/// Who makes the disc and with what: the court's key signs the inventory.
pub struct Maker<'a> {
    /// The courtroom key, and its certificate by the court's root key when installed: on
    /// the disc, so the inventory is trusted where only the trust list is.
    pub sealer: &'a crate::seal::Sealer,
    pub trusted: &'a crate::seal::Trust,
    pub court: &'a str,
    pub made_by: &'a str,
    /// Whether an image Hattama made earlier under the same name may be replaced; any other
    /// file there is never replaced.
    pub replace_own_image: bool,
}

/// The disc's list of everything on it, signed by the court's key.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct Inventory {
    pub format: String,
    pub case_number: String,
    pub court: String,
    pub label: String,
    pub disc: usize,
    pub of: usize,
    pub media: String,
    pub made_at: String,
    pub made_by: String,
    pub sessions: Vec<i64>,
    pub parts: Vec<String>,
    pub files: Vec<InventoryFile>,
    /// Recording files of parts spread over a set, held by other discs of it.
    #[serde(default)]
    pub elsewhere: Vec<Elsewhere>,
}

#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq, Eq)]
pub struct Elsewhere {
    pub path: String,
    pub disc: usize,
}

#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq, Eq)]
pub struct InventoryFile {
    pub path: String,
    pub size: u64,
    pub sha256: String,
}

fn layout_error(error: impl std::fmt::Display) -> DiscError {
    DiscError::Layout(error.to_string())
}

/// Builds the image of `plan` at `out`. `progress` is called now and then; setting `cancel`
/// stops the build, leaving nothing under `out` or its temporary name.
pub fn build(
    plan: &DiscPlan,
    maker: &Maker<'_>,
    out: &Path,
    progress: &dyn Fn(Progress),
    cancel: &AtomicBool,
) -> Result<Built, DiscError> {
    let files = check_parts(plan, maker.trusted, progress, cancel)?;
    let mut tree = Tree::new();
    let mut listed = Vec::new();
    for part in &plan.parts {
        for (name, size) in part.files.iter().cloned() {
            let path = format!("{}/{name}", part.path);
            if let Some(long) = path.split('/').find(|c| c.chars().count() > JOLIET_NAME) {
                // Joliet would cut it, and Windows would show another name than the seal's.
                return Err(DiscError::Layout(format!(
                    "{long}: longer than the {JOLIET_NAME} characters Joliet keeps"
                )));
            }
            let source = part.source.join(&name);
            let content = hadris_fs::host::file(&source).map_err(|error| DiscError::Read {
                path: source.clone(),
                source: Arc::new(std::io::Error::other(error.to_string())),
            })?;
            tree.insert(&path, Node::file(content))
                .map_err(layout_error)?;
            let sha256 = match files.get(&path) {
                Some(sealed) => sealed.sha256.clone(),
                None => {
                    crate::digest::sha256_file(&source)
                        .map_err(|error| DiscError::Read {
                            path: source.clone(),
                            source: Arc::new(error),
                        })?
                        .sha256
                }
            };
            listed.push(InventoryFile { path, size, sha256 });
        }
    }
    let mut add_bytes = |tree: &mut Tree, path: String, bytes: Vec<u8>| {
        listed.push(InventoryFile {
            path: path.clone(),
            size: bytes.len() as u64,
            sha256: hex(&Sha256::digest(&bytes)),
        });
        tree.insert(&path, Node::file(Content::bytes(bytes)))
            .map_err(layout_error)
    };
    let mut key_files = Vec::new();
    for key in maker.trusted.iter() {
        let name = format!("{KEYS}/{}.pub", key.id_hex());
        if !key_files.contains(&name) {
            add_bytes(&mut tree, name.clone(), key.to_file().into_bytes())?;
            key_files.push(name);
        }
    }
    if let Some(certificate) = &maker.sealer.certificate {
        for (name, bytes) in [
            (crate::seal::trust::CERTIFICATE, &certificate.json),
            (
                crate::seal::trust::CERTIFICATE_SIGNATURE,
                &certificate.signature,
            ),
        ] {
            add_bytes(&mut tree, format!("{KEYS}/{name}"), bytes.clone())?;
        }
    }
    // The courts' root keys on this computer's trust list: the chain's first link.
    let mut root_files = Vec::new();
    for root in &maker.trusted.roots {
        let name = format!("{KEYS}/court-root-{}.pub", root.key.id_hex());
        if !root_files.contains(&name) {
            add_bytes(&mut tree, name.clone(), root.key.to_file().into_bytes())?;
            root_files.push(name);
        }
    }
    let readme = readme(plan, maker, &key_files, &root_files);
    add_bytes(&mut tree, README.to_owned(), readme.into_bytes())?;
    listed.sort_by(|a, b| a.path.cmp(&b.path));
    let inventory = Inventory {
        format: "hattama-disc/1".to_owned(),
        case_number: plan.case_number.clone(),
        court: maker.court.to_owned(),
        label: plan.label.clone(),
        disc: plan.number,
        of: plan.of,
        media: plan.media.code().to_owned(),
        made_at: Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        made_by: maker.made_by.to_owned(),
        sessions: plan.sessions(),
        parts: plan.parts.iter().map(|p| p.path.clone()).collect(),
        files: listed,
        elsewhere: plan
            .parts
            .iter()
            .flat_map(|part| {
                part.elsewhere.iter().map(|(name, disc)| Elsewhere {
                    path: format!("{}/{name}", part.path),
                    disc: *disc,
                })
            })
            .collect(),
    };
    let inventory_json =
        serde_json::to_string_pretty(&inventory).expect("an inventory serializes") + "\n";
    let signature = maker.sealer.sign(
        &format!(
            "inventory of case {} disc {} of {}",
            inventory.case_number, inventory.disc, inventory.of
        ),
        inventory_json.as_bytes(),
        "Hattama case disc inventory (minisign)",
        &format!(
            "court: {} | case: {} | disc: {} of {} | label: {} | made: {}",
            inventory.court,
            inventory.case_number,
            inventory.disc,
            inventory.of,
            inventory.label,
            inventory.made_at
        ),
    )?;
    let contents_sha256 = hex(&Sha256::digest(inventory_json.as_bytes()));
    tree.insert(INVENTORY, Node::file(Content::bytes(inventory_json)))
        .map_err(layout_error)?;
    tree.insert(
        INVENTORY_SIGNATURE,
        Node::file(Content::bytes(signature.into_bytes())),
    )
    .map_err(layout_error)?;

    let options = iso_options(&plan.label);
    let layout = hadris_iso::plan(&tree, &options).map_err(layout_error)?;
    let size = layout.size();
    if size > plan.capacity {
        return Err(DiscError::Layout(format!(
            "the image takes {size} bytes, more than the {} bytes of the disc",
            plan.capacity
        )));
    }
    let held: Vec<Held> = files
        .iter()
        .filter_map(|(path, sealed)| {
            let part = plan
                .parts
                .iter()
                .find(|p| path.starts_with(&format!("{}/", p.path)))?;
            let extents = layout.extents(path)?.to_vec();
            Some(Held {
                path: path.clone(),
                folder: part.source.clone(),
                sha256: sealed.sha256.clone(),
                stretches: sealed.stretches.clone(),
                extents,
            })
        })
        .collect();
    let replace = maker.replace_own_image;
    write_image(
        &tree,
        &options,
        (out, replace),
        size,
        &held,
        progress,
        cancel,
    )?;
    Ok(Built {
        path: out.to_owned(),
        label: plan.label.clone(),
        number: plan.number,
        of: plan.of,
        size,
        contents_sha256,
        sessions: plan.sessions(),
        parts: inventory.parts.clone(),
        media: plan.media.code().to_owned(),
        files: inventory.files.len() + 2,
    })
}

/// ISO 9660 level 3 (names of up to 30 characters, files of any size), names keeping their
/// case; Joliet for Windows (Cyrillic names up to 64 characters) and Rock Ridge for
/// everything else (any name, modes).
pub fn iso_options(label: &str) -> IsoOptions {
    let now = Utc::now().timestamp();
    let time = hadris_fs::DateTime::from_unix_seconds(now).unwrap_or(hadris_fs::NoClock::TIME);
    IsoOptions::default()
        .with_level(IsoLevel::L3)
        .with_name_case(NameCase::Preserve)
        .with_id(IsoId::Volume, label)
        .with_id(IsoId::Publisher, "HATTAMA")
        .with_id(
            IsoId::Application,
            concat!("HATTAMA ", env!("CARGO_PKG_VERSION")),
        )
        .with_joliet()
        .with_rock_ridge()
        .with_time(time)
}

/// A file as its part's seal lists it: what its copy is held to.
#[derive(Debug, Clone)]
struct SealedFile {
    sha256: String,
    /// The SHA-256 of each stretch of it, when the seal has a chunk list: then the copy is
    /// checked a stretch at a time on every core, instead of in one hash on one.
    stretches: Option<Stretches>,
}

#[derive(Debug, Clone)]
struct Stretches {
    bytes: usize,
    sha256: Arc<Vec<String>>,
}

/// Stretches larger than this are not buffered: such a file is checked whole.
const MAX_STRETCH: u64 = 16 << 20;

/// Checks every part's seal (signature, chain, protocol text, sizes) before anything is
/// copied; returns each file as sealed, by its disc path, which the copy is held to as it is
/// written.
fn check_parts(
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
    ChunkList::parse(&bytes).map(Some)
}

fn seconds_left(began: Instant, done: u64, total: u64) -> Option<f64> {
    let elapsed = began.elapsed().as_secs_f64();
    (done > 0 && elapsed > 0.2).then(|| elapsed * (total - done.min(total)) as f64 / done as f64)
}

/// The temporary name an image is written under.
pub fn partial(out: &Path) -> PathBuf {
    let mut name = out.file_name().unwrap_or_default().to_owned();
    name.push(".partial");
    out.with_file_name(name)
}

/// A sealed file as it goes into the image: where, and the SHA-256 it must have there.
struct Held {
    path: String,
    folder: PathBuf,
    sha256: String,
    stretches: Option<Stretches>,
    extents: Vec<hadris_fs::Extent>,
}

fn write_image(
    tree: &Tree,
    options: &IsoOptions,
    (out, replace_own_image): (&Path, bool),
    size: u64,
    held: &[Held],
    progress: &dyn Fn(Progress),
    cancel: &AtomicBool,
) -> Result<(), DiscError> {
    let temporary = partial(out);
    let failed = |message: String| DiscError::Write {
        path: out.to_owned(),
        message,
    };
    // Never over a file of that name: one left by a build cut short is named, not reused.
    let file = std::fs::File::options()
        .read(true)
        .write(true)
        .create_new(true)
        .open(&temporary)
        .map_err(|error| match error.kind() {
            std::io::ErrorKind::AlreadyExists => crate::output::OutputError::Exists {
                path: temporary.clone(),
            }
            .into(),
            _ => failed(error.to_string()),
        })?;
    let result = (|| {
        let device = FileDevice::new(file).map_err(|error| failed(error.to_string()))?;
        let written = AtomicU64::new(0);
        let began = Instant::now();
        let report_progress = |done: u64| {
            progress(Progress {
                phase: Phase::Writing,
                done,
                total: size,
                seconds_left: seconds_left(began, done, size),
            })
        };
        // Files sealed with a chunk list: each stretch of the very bytes written is hashed by
        // one of `workers` threads and held to its sealed SHA-256, so the check runs on every
        // core. Files sealed before chunk lists: hashed whole, in order, on a thread of their
        // own. Nothing is read twice either way.
        let workers = std::thread::available_parallelism()
            .map_or(2, std::num::NonZero::get)
            .clamp(1, 4);
        let checks = Checks::new(held);
        let (stretches, to_check) = std::sync::mpsc::sync_channel::<Stretch>(workers * 2);
        let to_check = std::sync::Mutex::new(to_check);
        let digests = std::thread::scope(|scope| {
            let (chunks, hashed) = std::sync::mpsc::sync_channel::<(usize, Vec<u8>)>(16);
            let hasher = scope.spawn(move || {
                let mut hashers: Vec<Sha256> = held.iter().map(|_| Sha256::new()).collect();
                for (index, bytes) in hashed {
                    hashers[index].update(&bytes);
                }
                hashers
                    .into_iter()
                    .map(|h| hex(&h.finalize()))
                    .collect::<Vec<_>>()
            });
            for _ in 0..workers {
                scope.spawn(|| {
                    // Ends when the writer is done (the sender dropped) or a worker panicked.
                    while let Ok(Ok(stretch)) = to_check.lock().map(|next| next.recv()) {
                        checks.check(held, stretch);
                    }
                });
            }
            let mut watched = Watched {
                inner: device,
                written: &written,
                cancel,
                report: &report_progress,
                reported: 0,
                tracker: Tracker::new(held),
                held,
                chunks,
                stretches,
                pending: std::collections::HashMap::new(),
            };
            let written = hadris_iso::sync::write(&mut watched, tree, options);
            let fed = watched.tracker.complete();
            // With the senders gone, the hashers finish what they were given and end.
            drop(watched);
            let digests = hasher.join().unwrap_or_default();
            // Without every digest (the hasher failed), every whole file is read back instead.
            let fed = if digests.len() == held.len() {
                fed
            } else {
                vec![false; held.len()]
            };
            written.map(|_| (fed, digests))
        });
        let (fed, digests) = match digests {
            Ok(digests) => digests,
            Err(error) => {
                return Err(if cancel.load(Ordering::Relaxed) {
                    DiscError::Cancelled
                } else {
                    failed(error.to_string())
                });
            }
        };
        report_progress(size);
        let file = std::fs::File::open(&temporary).map_err(|error| failed(error.to_string()))?;
        for (index, file_held) in held.iter().enumerate() {
            let name = file_held.path.rsplit('/').next().unwrap_or(&file_held.path);
            let damaged = |failure: String| DiscError::Damaged {
                folder: file_held.folder.clone(),
                failure: format!("{name}: {failure}"),
            };
            let found = match &file_held.stretches {
                Some(_)
                    if fed[index]
                        && let Some(failure) = checks.failure(index) =>
                {
                    return Err(damaged(failure));
                }
                Some(stretches) if fed[index] && checks.passed(index) == stretches.sha256.len() => {
                    continue;
                }
                None if fed[index] => digests[index].clone(),
                // A file not written front to back (or in several extents) is read back.
                _ => hash_extents(&file, &file_held.extents)
                    .map_err(|error| failed(error.to_string()))?,
            };
            if found != file_held.sha256 {
                return Err(damaged(format!(
                    "SHA-256 {found} differs from the sealed {}",
                    file_held.sha256
                )));
            }
        }
        file.sync_all().map_err(|error| failed(error.to_string()))?;
        crate::output::rename_image(&temporary, out, replace_own_image)?;
        if let Some(folder) = out.parent() {
            crate::paths::sync_folder(folder);
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    result
}

/// A stretch of a held file as written into the image, to be held to its sealed SHA-256.
struct Stretch {
    index: usize,
    number: usize,
    bytes: Vec<u8>,
}

/// What the stretch workers found, per held file: how many stretches matched, and the first
/// that did not.
struct Checks {
    passed: Vec<AtomicU64>,
    failed: Vec<std::sync::Mutex<Option<(usize, String)>>>,
}

impl Checks {
    fn new(held: &[Held]) -> Self {
        Self {
            passed: held.iter().map(|_| AtomicU64::new(0)).collect(),
            failed: held.iter().map(|_| std::sync::Mutex::new(None)).collect(),
        }
    }

    fn check(&self, held: &[Held], stretch: Stretch) {
        let Some(stretches) = &held[stretch.index].stretches else {
            return;
        };
        let found = hex(&Sha256::digest(&stretch.bytes));
        let sealed = stretches.sha256.get(stretch.number);
        if sealed == Some(&found) {
            self.passed[stretch.index].fetch_add(1, Ordering::Relaxed);
            return;
        }
        let failure = format!(
            "the bytes from {}: SHA-256 {found} differs from the sealed {}",
            stretch.number * stretches.bytes,
            sealed.map_or("(none)", String::as_str)
        );
        let mut first = self.failed[stretch.index].locked();
        if first
            .as_ref()
            .is_none_or(|(number, _)| stretch.number < *number)
        {
            *first = Some((stretch.number, failure));
        }
    }

    fn passed(&self, index: usize) -> usize {
        self.passed[index].load(Ordering::Relaxed) as usize
    }

    fn failure(&self, index: usize) -> Option<String> {
        self.failed[index]
            .locked()
            .as_ref()
            .map(|(_, failure)| failure.clone())
    }
}

/// SHA-256 of a file's extents, read from the image.
fn hash_extents(image: &std::fs::File, extents: &[hadris_fs::Extent]) -> std::io::Result<String> {
    use std::os::unix::fs::FileExt;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 1 << 20];
    for extent in extents {
        let mut at = extent.offset();
        while at < extent.end() {
            let want = ((extent.end() - at) as usize).min(buffer.len());
            image.read_exact_at(&mut buffer[..want], at)?;
            hasher.update(&buffer[..want]);
            at += want as u64;
        }
    }
    Ok(hex(&hasher.finalize()))
}

/// Which held file a written byte range belongs to, and whether each file's bytes came in
/// order from its start to its end (then its digest is the written bytes').
struct Tracker {
    /// (start, end, held index), by start; only files of one extent.
    ranges: Vec<(u64, u64, usize)>,
    /// Per held file: the next offset expected, or `None` once out of order.
    next: Vec<Option<u64>>,
    ends: Vec<u64>,
}

impl Tracker {
    fn new(held: &[Held]) -> Self {
        let mut ranges: Vec<(u64, u64, usize)> = held
            .iter()
            .enumerate()
            .filter(|(_, h)| h.extents.len() == 1)
            .map(|(index, h)| (h.extents[0].offset(), h.extents[0].end(), index))
            .collect();
        ranges.sort();
        let next = held
            .iter()
            .map(|h| (h.extents.len() == 1).then(|| h.extents[0].offset()))
            .collect();
        let ends = held
            .iter()
            .map(|h| h.extents.first().map_or(0, hadris_fs::Extent::end))
            .collect();
        Self { ranges, next, ends }
    }

    /// The pieces of `[at, at + len)` that belong to held files: (index, from, to) within
    /// the buffer. A piece out of order marks its file as to be read back.
    fn pieces(&mut self, at: u64, len: usize) -> Vec<(usize, usize, usize)> {
        let end = at + len as u64;
        let first = self
            .ranges
            .partition_point(|(_, range_end, _)| *range_end <= at);
        let mut pieces = Vec::new();
        for &(start, range_end, index) in self.ranges[first..].iter() {
            if start >= end {
                break;
            }
            let (from, to) = (start.max(at), range_end.min(end));
            match self.next[index] {
                Some(next) if next == from => {
                    self.next[index] = Some(to);
                    pieces.push((index, (from - at) as usize, (to - at) as usize));
                }
                _ => self.next[index] = None,
            }
        }
        pieces
    }

    /// Whether file `index`'s bytes have all been seen, in order.
    fn done(&self, index: usize) -> bool {
        self.next[index] == Some(self.ends[index])
    }

    /// Whether each file's bytes were all seen, in order.
    fn complete(&self) -> Vec<bool> {
        self.next
            .iter()
            .zip(&self.ends)
            .map(|(next, end)| *next == Some(*end))
            .collect()
    }
}

/// The image file, counting what is written and refusing to go on once cancelled.
struct Watched<'a> {
    inner: FileDevice,
    written: &'a AtomicU64,
    cancel: &'a AtomicBool,
    report: &'a dyn Fn(u64),
    reported: u64,
    tracker: Tracker,
    held: &'a [Held],
    /// Pieces of files sealed without a chunk list, for the whole-file hasher.
    chunks: std::sync::mpsc::SyncSender<(usize, Vec<u8>)>,
    /// Whole stretches of files sealed with one, for the stretch workers.
    stretches: std::sync::mpsc::SyncSender<Stretch>,
    /// Per file being written: the next stretch's number and its bytes so far.
    pending: std::collections::HashMap<usize, (usize, Vec<u8>)>,
}

impl Watched<'_> {
    /// Adds `piece` (the next bytes of file `index`) to its stretch, sending each stretch
    /// once whole, and the last once the file's bytes are all written.
    fn stretch(&mut self, index: usize, size: usize, mut piece: &[u8]) {
        let (number, buffer) = self
            .pending
            .entry(index)
            .or_insert_with(|| (0, Vec::with_capacity(size)));
        while !piece.is_empty() {
            let take = (size - buffer.len()).min(piece.len());
            buffer.extend_from_slice(&piece[..take]);
            piece = &piece[take..];
            if buffer.len() == size {
                let bytes = std::mem::replace(buffer, Vec::with_capacity(size));
                let _ = self.stretches.send(Stretch {
                    index,
                    number: *number,
                    bytes,
                });
                *number += 1;
            }
        }
        if self.tracker.done(index)
            && let Some((number, bytes)) = self.pending.remove(&index)
            && !bytes.is_empty()
        {
            let _ = self.stretches.send(Stretch {
                index,
                number,
                bytes,
            });
        }
    }
}

impl hadris_io::ErrorType for Watched<'_> {
    type Error = <FileDevice as hadris_io::ErrorType>::Error;
}

impl BlockDevice for Watched<'_> {
    fn block_size(&self) -> BlockSize {
        self.inner.block_size()
    }

    fn physical_block_size(&self) -> BlockSize {
        self.inner.physical_block_size()
    }

    fn block_count(&self) -> u64 {
        self.inner.block_count()
    }

    fn max_block_count(&self) -> u64 {
        self.inner.max_block_count()
    }

    fn writable(&self) -> bool {
        self.inner.writable()
    }

    fn read_blocks(
        &mut self,
        first: BlockIndex,
        buf: &mut [u8],
    ) -> Result<(), hadris_io::Error<Self::Error>> {
        self.inner.read_blocks(first, buf)
    }

    fn write_blocks(
        &mut self,
        first: BlockIndex,
        buf: &[u8],
    ) -> Result<(), hadris_io::Error<Self::Error>> {
        if self.cancel.load(Ordering::Relaxed) {
            return Err(hadris_io::Error::new(hadris_io::ErrorKind::Io, "cancelled"));
        }
        self.inner.write_blocks(first, buf)?;
        let at = first.get() * u64::from(self.inner.block_size().get());
        for (index, from, to) in self.tracker.pieces(at, buf.len()) {
            match self.held[index].stretches.as_ref().map(|s| s.bytes) {
                Some(size) => self.stretch(index, size, &buf[from..to]),
                None => {
                    let _ = self.chunks.send((index, buf[from..to].to_vec()));
                }
            }
        }
        let written =
            self.written.fetch_add(buf.len() as u64, Ordering::Relaxed) + buf.len() as u64;
        // About every 8 MiB.
        if written - self.reported >= 8 << 20 {
            self.reported = written;
            (self.report)(written);
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<(), hadris_io::Error<Self::Error>> {
        self.inner.flush()
    }
}

/// The disc's README in Kazakh, Russian and English.
fn readme(
    plan: &DiscPlan,
    maker: &Maker<'_>,
    key_files: &[String],
    root_files: &[String],
) -> String {
    let parts: String = plan
        .parts
        .iter()
        .map(|part| format!("  {}/\n", part.path))
        .collect();
    let key = key_files.first().cloned().unwrap_or_default();
    let example = plan
        .parts
        .first()
        .map(|part| part.path.clone())
        .unwrap_or_default();
    let depth = example.split('/').count();
    let up = "../".repeat(depth);
    let mut text = String::new();
    for code in crate::i18n::LANGUAGES {
        let loader = crate::i18n::loader_for(code);
        text.push_str(&i18n_embed_fl::fl!(
            loader,
            "disc-readme",
            court = maker.court,
            case = plan.case_number.as_str(),
            disc = plan.number,
            of = plan.of,
            label = plan.label.as_str(),
            parts = parts.as_str(),
            example = example.as_str(),
            key = format!("{up}{key}"),
            sums = if plan.of > 1 {
                "sha256sum -c --ignore-missing SHA256SUMS"
            } else {
                "sha256sum -c SHA256SUMS"
            },
            inventory_key = key.as_str()
        ));
        if let Some(root) = root_files.first() {
            text.push('\n');
            text.push_str(&i18n_embed_fl::fl!(
                loader,
                "disc-readme-chain",
                root = format!("{up}{root}")
            ));
        }
        text.push_str("\n\n");
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn held(offset: u64, len: u64) -> Held {
        Held {
            path: String::new(),
            folder: PathBuf::new(),
            sha256: String::new(),
            stretches: None,
            extents: vec![hadris_fs::Extent::new(offset, len)],
        }
    }

    #[test]
    fn written_blocks_are_given_to_the_files_they_hold_in_order() {
        let files = [held(4096, 6000), held(12288, 100), held(16384, 50)];
        let mut tracker = Tracker::new(&files);
        // A block before the files, then one holding the start of the first.
        assert!(tracker.pieces(0, 4096).is_empty());
        assert_eq!(tracker.pieces(4096, 4096), [(0, 0, 4096)]);
        // The rest of the first file and all of the second in one write.
        assert_eq!(tracker.pieces(8192, 8192), [(0, 0, 1904), (1, 4096, 4196)]);
        // The third written twice: the second time is out of order, so it is read back.
        assert_eq!(tracker.pieces(16384, 2048), [(2, 0, 50)]);
        assert!(tracker.pieces(16384, 2048).is_empty());
        assert_eq!(tracker.complete(), [true, true, false]);
    }
}
