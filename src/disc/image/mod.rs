//! Writes one planned disc as an ISO 9660 image with hadris-iso: every part checked against
//! its seal first (a damaged recording is never copied as if whole), then the tree laid
//! out, its exact size checked against the media, and the image written under
//! `<name>.partial`, renamed to its name only when complete and on disk.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use chrono::Utc;
use hadris_fs::{Content, Node, Tree};
use hadris_iso::{IsoId, IsoLevel, IsoOptions, NameCase};
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::{DiscError, DiscPlan};
use crate::digest::hex;

mod sealed;
mod write;

use sealed::check_parts;
use write::{Held, write_image};

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
