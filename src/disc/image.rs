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
use crate::seal::minisig::PublicKey;
use crate::seal::part::Manifest;
use crate::seal::{Keys, verify};

pub const README: &str = "README.txt";
pub const INVENTORY: &str = "INVENTORY.json";
pub const INVENTORY_SIGNATURE: &str = "INVENTORY.json.minisig";
pub const KEYS: &str = "keys";

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

/// Who makes the disc and with what: the court's key signs the inventory.
pub struct Maker<'a> {
    pub keys: &'a Keys,
    pub trusted: &'a [PublicKey],
    pub court: &'a str,
    pub made_by: &'a str,
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
            let source = part.source.join(&name);
            let content = hadris_fs::host::file(&source).map_err(|error| DiscError::Read {
                path: source.clone(),
                source: Arc::new(std::io::Error::other(error.to_string())),
            })?;
            tree.insert(&path, Node::file(content))
                .map_err(layout_error)?;
            let sha256 = match files.get(&path) {
                Some(sha256) => sha256.clone(),
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
    for key in maker.trusted {
        let name = format!("{KEYS}/{}.pub", key.id_hex());
        if !key_files.contains(&name) {
            add_bytes(&mut tree, name.clone(), key.to_file().into_bytes())?;
            key_files.push(name);
        }
    }
    let readme = readme(plan, maker, &key_files);
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
    let signature = maker.keys.sign(
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
    );
    let contents_sha256 = hex(&Sha256::digest(inventory_json.as_bytes()));
    tree.insert(INVENTORY, Node::file(Content::bytes(inventory_json)))
        .map_err(layout_error)?;
    tree.insert(
        INVENTORY_SIGNATURE,
        Node::file(Content::bytes(signature.into_bytes())),
    )
    .map_err(layout_error)?;

    let options = iso_options(&plan.label);
    let size = hadris_iso::plan(&tree, &options)
        .map_err(layout_error)?
        .size();
    if size > plan.capacity {
        return Err(DiscError::Layout(format!(
            "the image takes {size} bytes, more than the {} bytes of the disc",
            plan.capacity
        )));
    }
    write_image(&tree, &options, out, size, progress, cancel)?;
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

/// Verifies every part before anything is copied; returns the sealed SHA-256 of each file
/// by its disc path.
fn check_parts(
    plan: &DiscPlan,
    trusted: &[PublicKey],
    progress: &dyn Fn(Progress),
    cancel: &AtomicBool,
) -> Result<std::collections::HashMap<String, String>, DiscError> {
    let total = plan.bytes();
    let began = Instant::now();
    let mut done = 0;
    let mut sealed = std::collections::HashMap::new();
    for part in &plan.parts {
        if cancel.load(Ordering::Relaxed) {
            return Err(DiscError::Cancelled);
        }
        let report = verify::verify_part(&part.source, trusted);
        if let Some(failure) = report.failures().next() {
            return Err(DiscError::Damaged {
                folder: part.source.clone(),
                failure: format!("{}: {}", failure.subject, failure.detail),
            });
        }
        let manifest: Manifest = std::fs::read(part.source.join(crate::seal::part::MANIFEST))
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .ok_or_else(|| DiscError::Damaged {
                folder: part.source.clone(),
                failure: "manifest.json cannot be read".to_owned(),
            })?;
        for file in manifest.files {
            sealed.insert(format!("{}/{}", part.path, file.name), file.sha256);
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

fn write_image(
    tree: &Tree,
    options: &IsoOptions,
    out: &Path,
    size: u64,
    progress: &dyn Fn(Progress),
    cancel: &AtomicBool,
) -> Result<(), DiscError> {
    let temporary = partial(out);
    let failed = |message: String| DiscError::Write {
        path: out.to_owned(),
        message,
    };
    let result = (|| {
        let file = std::fs::File::options()
            .read(true)
            .write(true)
            .create(true)
            .truncate(true)
            .open(&temporary)
            .map_err(|error| failed(error.to_string()))?;
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
        let watched = Watched {
            inner: device,
            written: &written,
            cancel,
            report: &report_progress,
            reported: 0,
        };
        hadris_iso::sync::write(watched, tree, options).map_err(|error| {
            if cancel.load(Ordering::Relaxed) {
                DiscError::Cancelled
            } else {
                failed(error.to_string())
            }
        })?;
        report_progress(size);
        let file = std::fs::File::open(&temporary).map_err(|error| failed(error.to_string()))?;
        file.sync_all().map_err(|error| failed(error.to_string()))?;
        std::fs::rename(&temporary, out).map_err(|error| failed(error.to_string()))?;
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

/// The image file, counting what is written and refusing to go on once cancelled.
struct Watched<'a> {
    inner: FileDevice,
    written: &'a AtomicU64,
    cancel: &'a AtomicBool,
    report: &'a dyn Fn(u64),
    reported: u64,
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
fn readme(plan: &DiscPlan, maker: &Maker<'_>, key_files: &[String]) -> String {
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
        text.push_str("\n\n");
    }
    text
}
