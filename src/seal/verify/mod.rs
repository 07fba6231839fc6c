//! Checking a sealed part with nothing but its folder and the trusted public keys: every
//! file's hash, the signature, the chain, and the protocol text against the chain.

use std::fs;
use std::path::{Component, Path, PathBuf};

use serde::Serialize;

use super::Trust;
use super::part::{MANIFEST, SIGNATURE, SUMS, file_entry};
use crate::digest::Unreadable;
use crate::lock::Locked;

mod checks;
mod chunks;

pub use super::manifest::{MANIFEST_LIMIT, SIGNATURE_LIMIT, read_bytes, read_manifest};
use checks::{
    check_cms, check_name, check_protocol, check_seal_signature, check_sums, read_text, sums_limit,
};
pub use checks::{check_signature, unlisted};

/// One thing checked.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Check {
    /// The file (or `protocol.json#entry-N`) checked.
    pub subject: String,
    pub ok: bool,
    /// What holds, or precisely what does not.
    pub detail: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub folder: PathBuf,
    pub checks: Vec<Check>,
    /// The signature's trusted comment, when it verified.
    pub signed: Option<String>,
}

impl Report {
    pub fn ok(&self) -> bool {
        !self.checks.is_empty() && self.checks.iter().all(|c| c.ok)
    }

    pub fn failures(&self) -> impl Iterator<Item = &Check> {
        self.checks.iter().filter(|c| !c.ok)
    }

    pub(crate) fn check(
        &mut self,
        subject: impl Into<String>,
        result: Result<String, String>,
    ) -> bool {
        let ok = result.is_ok();
        self.checks.push(Check {
            subject: subject.into(),
            ok,
            detail: result.unwrap_or_else(|e| e),
        });
        ok
    }
}

/// Why a disc image's files could not be read.
#[derive(Debug, Clone, thiserror::Error)]
pub enum ImageError {
    #[error("cannot make a temporary folder: {0}")]
    Folder(std::sync::Arc<std::io::Error>),
    #[error("cannot run xorriso (Debian package xorriso): {0}")]
    NoXorriso(std::sync::Arc<std::io::Error>),
    /// Not ISO 9660, or damaged: xorriso's last word on it.
    #[error("{} is not a readable disc image: {said}", .image.display())]
    Unreadable { image: PathBuf, said: String },
}

/// A disc image's files, extracted by `xorriso` (the tool that burns the discs) into a
/// temporary folder that is removed when the returned guard is dropped.
pub fn extract_image(image: &Path) -> Result<tempfile::TempDir, ImageError> {
    let folder = tempfile::Builder::new()
        .prefix("hattama-verify-")
        .tempdir()
        .map_err(|error| ImageError::Folder(std::sync::Arc::new(error)))?;
    extract_image_into(image, folder.path())?;
    Ok(folder)
}

/// A disc image's files, extracted by `xorriso` into `folder` (which must exist).
pub fn extract_image_into(image: &Path, folder: &Path) -> Result<(), ImageError> {
    let output = std::process::Command::new("xorriso")
        .args(["-abort_on", "FAILURE", "-osirrox", "on", "-indev"])
        .arg(image)
        .args(["-extract", "/"])
        .arg(folder)
        .output()
        .map_err(|error| ImageError::NoXorriso(std::sync::Arc::new(error)))?;
    let said = String::from_utf8_lossy(&output.stderr);
    // Anything that is not ISO 9660 is read by xorriso as a blank disc, with a warning.
    if !output.status.success() || said.contains("No ISO 9660 image") {
        let last = said
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("");
        return Err(ImageError::Unreadable {
            image: image.to_owned(),
            said: last.to_owned(),
        });
    }
    Ok(())
}

/// Verifies every sealed part in a folder (one part, many, a mounted disc) or a disc image;
/// the reports name the parts as they are inside `path`. An image that cannot be read is
/// an error; a folder with no sealed part gives no reports.
pub fn verify_path(path: &Path, trusted: &Trust) -> Result<Vec<Report>, ImageError> {
    let extracted = if path.is_file() {
        Some(extract_image(path)?)
    } else {
        None
    };
    let root = extracted.as_ref().map_or(path, |folder| folder.path());
    let parts = find_parts(root);
    // Every part's files hashed at once on every core, largest first.
    let (hashed, _) = hash_all(
        parts
            .iter()
            .flat_map(|folder| listed_files(folder))
            .collect(),
        Depth::Files,
    );
    Ok(parts
        .iter()
        .map(|folder| {
            let mut report = verify_part_with(folder, trusted, Contents::Hashed(&hashed));
            if let Ok(inside) = folder.strip_prefix(root) {
                report.folder = path.join(inside);
            }
            report
        })
        .collect())
}

/// Every sealed part folder at or below `path` (folders holding a manifest), in order.
pub fn find_parts(path: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![path.to_owned()];
    while let Some(folder) = stack.pop() {
        // Whatever is there under the manifest's name (a file, or a link that is then
        // refused) makes the folder a part: none is skipped in silence.
        if std::fs::symlink_metadata(folder.join(MANIFEST)).is_ok_and(|meta| !meta.is_dir()) {
            found.push(folder);
            continue;
        }
        if let Ok(read) = fs::read_dir(&folder) {
            let mut children: Vec<PathBuf> = read
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
                .map(|e| e.path())
                .collect();
            children.sort();
            stack.extend(children.into_iter().rev());
        }
    }
    found
}

/// Whether a name in a manifest stays inside the folder.
fn safe_name(name: &str) -> bool {
    let path = Path::new(name);
    !name.is_empty()
        && path.components().count() == 1
        && matches!(path.components().next(), Some(Component::Normal(_)))
}

/// How deep a verification reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Depth {
    /// Every file whole against the seal's SHA-256, and everything signed.
    #[default]
    Files,
    /// Also every MiB against the seal's chunk list, which the judge's stream and the disc
    /// image check stretch by stretch (`verify --chunks`): the files are read twice.
    Chunks,
}

pub fn verify_part(folder: &Path, trusted: &Trust) -> Report {
    verify_part_at(folder, trusted, Depth::Files)
}

/// [`verify_part`], as deep as `depth`.
pub fn verify_part_at(folder: &Path, trusted: &Trust, depth: Depth) -> Report {
    let (hashed, stretches) = hash_all(listed_files(folder), depth);
    let mut report = verify_part_with(folder, trusted, Contents::Hashed(&hashed));
    if depth == Depth::Chunks
        && let Ok((manifest, _)) = read_manifest(folder)
    {
        chunks::check_chunks(folder, &manifest, &stretches, &mut report);
    }
    report
}

/// `verify_part` without reading the listed files' contents (their sizes are checked): for a
/// caller that hashes them itself as it reads them anyway (the disc builder, while it copies
/// them into the image).
pub fn verify_part_unhashed(folder: &Path, trusted: &Trust) -> Report {
    verify_part_with(folder, trusted, Contents::Sizes)
}

/// `path`'s entry as hashed before, or hashed now.
fn hashed_or_now(contents: &Contents<'_>, path: &Path) -> Result<super::part::FileEntry, String> {
    match contents {
        Contents::Hashed(hashed) if hashed.contains_key(path) => hashed[path].clone(),
        _ => file_entry(path).map_err(|error| error.to_string()),
    }
}

/// What a verification reads of the listed files.
enum Contents<'a> {
    /// Their sizes only.
    Sizes,
    /// Their contents, hashed before (`hash_all`); a file not among them is hashed now.
    Hashed(&'a Hashed),
}

/// Files' SHA-256 by path, or why a file could not be read.
type Hashed = std::collections::HashMap<PathBuf, Result<super::part::FileEntry, String>>;

/// The files the manifest in `folder` lists that are regular files there, to be hashed.
fn listed_files(folder: &Path) -> Vec<(PathBuf, u64)> {
    let Ok((manifest, _)) = read_manifest(folder) else {
        return Vec::new();
    };
    manifest
        .files
        .iter()
        .filter(|file| safe_name(&file.name))
        .map(|file| folder.join(&file.name))
        .filter_map(|path| {
            let meta = fs::symlink_metadata(&path).ok()?;
            meta.is_file().then_some((path, meta.len()))
        })
        .collect()
}

/// Each file's digest with the SHA-256 of every MiB, when a verification reads that deep.
type Stretches = std::collections::HashMap<PathBuf, crate::digest::Chunked>;

/// Hashes `files` on every core, largest first (so the last to finish is a small one); as
/// deep as `depth`, in the same reading.
fn hash_all(mut files: Vec<(PathBuf, u64)>, depth: Depth) -> (Hashed, Stretches) {
    // By size, a path once (ties by path, so a path listed twice is adjacent).
    files.sort_by(|a, b| a.1.cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
    files.dedup_by(|a, b| a.0 == b.0);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let work = std::sync::Mutex::new(files);
    let done = std::sync::Mutex::new(Hashed::new());
    let stretches = std::sync::Mutex::new(Stretches::new());
    std::thread::scope(|scope| {
        for _ in 0..cores {
            scope.spawn(|| {
                loop {
                    let next = work.locked().pop();
                    let Some((path, _)) = next else { break };
                    let entry = match depth {
                        Depth::Files => file_entry(&path),
                        Depth::Chunks => match crate::digest::sha256_chunked(&path) {
                            Ok(chunked) => {
                                let entry = super::part::entry(&path, Ok(chunked.digest.clone()));
                                stretches.locked().insert(path.clone(), chunked);
                                entry
                            }
                            Err(error) => super::part::entry(&path, Err(error)),
                        },
                    };
                    done.locked()
                        .insert(path, entry.map_err(|error| error.to_string()));
                }
            });
        }
    });
    (
        done.into_inner().unwrap_or_else(|e| e.into_inner()),
        stretches.into_inner().unwrap_or_else(|e| e.into_inner()),
    )
}

fn verify_part_with(folder: &Path, trusted: &Trust, contents: Contents<'_>) -> Report {
    let mut report = Report {
        folder: folder.to_owned(),
        checks: Vec::new(),
        signed: None,
    };
    let (manifest, manifest_bytes) = match read_manifest(folder) {
        Ok(read) => read,
        Err(reason) => {
            report.check(MANIFEST, Err(reason.to_string()));
            return report;
        }
    };
    let signature = check_seal_signature(folder, &manifest, &manifest_bytes, trusted, &mut report);
    if let Ok(comment) = &signature {
        report.signed = Some(comment.clone());
    }
    report.check(
        SIGNATURE,
        signature.map(|comment| format!("signed: {comment}")),
    );
    check_cms(folder, &manifest, &manifest_bytes, trusted, &mut report);
    for file in &manifest.files {
        let result = if !safe_name(&file.name) {
            Err("the name leaves the folder: refused".to_owned())
        } else {
            let path = folder.join(&file.name);
            match fs::symlink_metadata(&path) {
                Err(_) => Err("missing".to_owned()),
                Ok(meta) if meta.is_symlink() => Err(Unreadable::Link.to_string()),
                Ok(meta) if !meta.is_file() => Err(Unreadable::NotRegular.to_string()),
                Ok(meta) if meta.len() != file.size => {
                    Err(format!("{} bytes, the seal says {}", meta.len(), file.size))
                }
                Ok(_) if matches!(contents, Contents::Sizes) => {
                    Ok(format!("{} bytes as sealed", file.size))
                }
                Ok(_) => match hashed_or_now(&contents, &path) {
                    Err(error) => Err(error),
                    Ok(found) if found.size != file.size => {
                        Err(format!("{} bytes, the seal says {}", found.size, file.size))
                    }
                    Ok(found) if found.sha256 != file.sha256 => Err(format!(
                        "SHA-256 {} differs from the sealed {}",
                        found.sha256, file.sha256
                    )),
                    Ok(_) => Ok(format!("{} bytes, SHA-256 as sealed", file.size)),
                },
            }
        };
        report.check(file.name.clone(), result);
    }
    // Anything in the folder the seal does not list (a recording added, a file left from
    // another part) would pass for part of the record: each is named.
    for (name, what) in unlisted(folder, &manifest) {
        report.check(name, Err(format!("{what} the seal does not list")));
    }
    check_name(folder, &manifest, &mut report);
    // The manifest's own line is checked only under a valid signature: a changed manifest
    // is the signature's failure, not also the list's.
    let signed = report.signed.is_some();
    let sums = read_text(&folder.join(SUMS), sums_limit(&manifest))
        .and_then(|text| check_sums(&text, &manifest, signed.then_some(&manifest_bytes[..])));
    report.check(SUMS, sums);
    check_protocol(folder, &manifest, &mut report);
    report
}
