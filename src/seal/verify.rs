//! Checking a sealed part with nothing but its folder and the trusted public keys: every
//! file's hash, the signature, the chain, and the protocol text against the chain.

use std::fs;
use std::path::{Component, Path, PathBuf};

use serde::Serialize;

use super::Trust;
use super::cms::CMS_SIGNATURE;
use super::document::{Break, Document};
use super::minisig::{self, PublicKey};
use super::part::{MANIFEST, Manifest, PROTOCOL_JSON, PROTOCOL_TEXT, SIGNATURE, SUMS, file_entry};
use crate::digest::Unreadable;
use crate::lock::Locked;

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

/// A disc image's files, extracted by `xorriso` (the tool that burns the discs) into a
/// temporary folder that is removed when the returned guard is dropped.
pub fn extract_image(image: &Path) -> Result<tempfile::TempDir, String> {
    let folder = tempfile::Builder::new()
        .prefix("hattama-verify-")
        .tempdir()
        .map_err(|error| format!("cannot make a temporary folder: {error}"))?;
    extract_image_into(image, folder.path())?;
    Ok(folder)
}

/// A disc image's files, extracted by `xorriso` into `folder` (which must exist).
pub fn extract_image_into(image: &Path, folder: &Path) -> Result<(), String> {
    let output = std::process::Command::new("xorriso")
        .args(["-abort_on", "FAILURE", "-osirrox", "on", "-indev"])
        .arg(image)
        .args(["-extract", "/"])
        .arg(folder)
        .output()
        .map_err(|error| format!("cannot run xorriso (Debian package xorriso): {error}"))?;
    let said = String::from_utf8_lossy(&output.stderr);
    // Anything that is not ISO 9660 is read by xorriso as a blank disc, with a warning.
    if !output.status.success() || said.contains("No ISO 9660 image") {
        let last = said
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("");
        return Err(format!(
            "{} is not a readable disc image: {last}",
            image.display()
        ));
    }
    Ok(())
}

/// Verifies every sealed part in a folder (one part, many, a mounted disc) or a disc image;
/// the reports name the parts as they are inside `path`. An image that cannot be read is
/// an error; a folder with no sealed part gives no reports.
pub fn verify_path(path: &Path, trusted: &Trust) -> Result<Vec<Report>, String> {
    let extracted = if path.is_file() {
        Some(extract_image(path)?)
    } else {
        None
    };
    let root = extracted.as_ref().map_or(path, |folder| folder.path());
    let parts = find_parts(root);
    // Every part's files hashed at once on every core, largest first.
    let hashed = hash_all(
        parts
            .iter()
            .flat_map(|folder| listed_files(folder))
            .collect(),
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

pub fn verify_part(folder: &Path, trusted: &Trust) -> Report {
    let hashed = hash_all(listed_files(folder));
    verify_part_with(folder, trusted, Contents::Hashed(&hashed))
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

/// Hashes `files` on every core, largest first (so the last to finish is a small one).
fn hash_all(mut files: Vec<(PathBuf, u64)>) -> Hashed {
    // By size, a path once (ties by path, so a path listed twice is adjacent).
    files.sort_by(|a, b| a.1.cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
    files.dedup_by(|a, b| a.0 == b.0);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let work = std::sync::Mutex::new(files);
    let done = std::sync::Mutex::new(Hashed::new());
    std::thread::scope(|scope| {
        for _ in 0..cores {
            scope.spawn(|| {
                loop {
                    let next = work.locked().pop();
                    let Some((path, _)) = next else { break };
                    let entry = file_entry(&path).map_err(|error| error.to_string());
                    done.locked().insert(path, entry);
                }
            });
        }
    });
    done.into_inner().unwrap_or_else(|e| e.into_inner())
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
            report.check(MANIFEST, Err(reason));
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

/// The court's CMS signature, when the part has one: checked against the certifying
/// centres trusted, at the seal's time; who signed is said.
fn check_cms(
    folder: &Path,
    manifest: &Manifest,
    manifest_bytes: &[u8],
    trusted: &Trust,
    report: &mut Report,
) {
    let path = folder.join(CMS_SIGNATURE);
    // One the manifest does not claim is a file the seal does not list, named as such.
    let Some(signer) = &manifest.court_certificate else {
        return;
    };
    if fs::symlink_metadata(&path).is_err() {
        report.check(
            CMS_SIGNATURE,
            Err(format!(
                "missing: the seal says the court's certificate signed it ({signer})"
            )),
        );
        return;
    }
    if trusted.centres.is_empty() {
        report.check(
            CMS_SIGNATURE,
            Ok(
                "present, not checked: no certifying centre's certificate is configured \
                (`--ca FILE`, or PEM files in the keys folder's certifying-centres/)"
                    .to_owned(),
            ),
        );
        return;
    }
    let at = manifest
        .sealed_at
        .parse::<chrono::DateTime<chrono::Utc>>()
        .unwrap_or_else(|_| chrono::Utc::now());
    let result = read_bytes(&path, SIGNATURE_LIMIT)
        .and_then(|p7s| super::cms::verify(&p7s, manifest_bytes, &trusted.centres, at))
        .map(|signer| format!("signed by the court's certificate: {signer}"));
    report.check(CMS_SIGNATURE, result);
}

/// `SHA256SUMS` holds one line per file the manifest lists and one for the manifest.
fn sums_limit(manifest: &Manifest) -> u64 {
    manifest
        .files
        .iter()
        .map(|file| file.name.len() as u64 + 67)
        .sum::<u64>()
        + 4096
}

/// The line that says whether the courtroom key's certificate holds.
const CHAIN: &str = "key-certificate.json (chain)";

/// The seal's minisign signature. With a trust list and a certificate in the part, the key
/// must be the one the certificate names, certified by a court on the list, valid and not
/// revoked at the seal's time; otherwise the keys trusted here decide (older seals, and
/// this computer's own).
fn check_seal_signature(
    folder: &Path,
    manifest: &Manifest,
    manifest_bytes: &[u8],
    trusted: &Trust,
    report: &mut Report,
) -> Result<String, String> {
    let path = folder.join(SIGNATURE);
    let certified = fs::symlink_metadata(folder.join(super::trust::CERTIFICATE)).is_ok();
    if !certified || trusted.roots.is_empty() {
        if certified {
            report.check(
                CHAIN,
                Ok(
                    "present, not checked: no trust list here (`--trust-list`, or the \
                    keys folder's trust-list.json)"
                        .to_owned(),
                ),
            );
        }
        return check_signature(&path, manifest_bytes, trusted);
    }
    let text = String::from_utf8(read_bytes(&path, SIGNATURE_LIMIT)?)
        .map_err(|_| "the signature file is not text".to_owned())?;
    let signer = minisig::signer_id(&text)
        .ok_or_else(|| "the signature file is not a minisign signature".to_owned())?;
    match super::trust::check_certificate(folder, signer, &manifest.sealed_at, &trusted.roots) {
        Ok((key, said)) => {
            report.check(CHAIN, Ok(said));
            check_signature(&path, manifest_bytes, &Trust::of_keys(vec![key]))
        }
        Err(why) => {
            report.check(CHAIN, Err(why));
            Err(format!(
                "made by key {}, which its certificate does not vouch for",
                minisig::key_id_hex(&signer)
            ))
        }
    }
}

/// Checks the minisign signature in `path` of `message`; returns its trusted comment.
pub fn check_signature(
    path: &Path,
    message: &[u8],
    trusted: &[PublicKey],
) -> Result<String, String> {
    let bytes = read_bytes(path, SIGNATURE_LIMIT)?;
    let text = String::from_utf8(bytes).map_err(|_| {
        crate::seal::SealError::Malformed {
            what: "signature",
            reason: "it is not text".to_owned(),
        }
        .to_string()
    })?;
    minisig::verify(trusted, message, &text).map_err(|error| error.to_string())
}

pub use super::manifest::{MANIFEST_LIMIT, SIGNATURE_LIMIT, read_bytes, read_manifest};

fn read_text(path: &Path, limit: u64) -> Result<String, String> {
    String::from_utf8(read_bytes(path, limit)?).map_err(|_| "is not text (UTF-8)".to_owned())
}

/// What is in a part folder besides the files its seal lists and the seal itself (and the
/// recorder's empty lock file), by name: "a file", "a folder", "a link".
pub fn unlisted(folder: &Path, manifest: &Manifest) -> Vec<(String, &'static str)> {
    let Ok(entries) = fs::read_dir(folder) else {
        return Vec::new();
    };
    let mut found: Vec<(String, &'static str)> = entries
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            let kind = entry.file_type().ok()?;
            let sealed = manifest.files.iter().any(|file| file.name == name)
                || manifest.seal_files().contains(&name.as_str());
            let lock = name == crate::paths::PartFiles::LOCK
                && kind.is_file()
                && entry.metadata().is_ok_and(|meta| meta.len() == 0);
            if sealed || lock {
                return None;
            }
            let what = if kind.is_symlink() {
                "a link"
            } else if kind.is_dir() {
                "a folder"
            } else {
                "a file"
            };
            Some((name, what))
        })
        .collect();
    found.sort();
    found
}

/// A part's folder says which part it is (`…_s<session>/part-NN`, a clip
/// `<case>_s<session>_part-NN_…`): what its seal says must be the same. A folder renamed
/// out of that form claims nothing and is not held to it.
fn check_name(folder: &Path, manifest: &Manifest, report: &mut Report) {
    let name = |path: &Path| {
        path.file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    let own = name(folder);
    let sealed = format!(
        "case {}, session {}, part {}",
        manifest.identity.case_number, manifest.identity.session_id, manifest.identity.part
    );
    let mut claims = Vec::new();
    if let Some(number) = own
        .strip_prefix("part-")
        .and_then(|n| n.parse::<i64>().ok())
    {
        claims.push((number == manifest.identity.part, format!("part {number}")));
        // `…_s<session>`, or `…_s<session>-<identity>` since sessions have one.
        if let Some(parent) = folder.parent().map(name)
            && let Some((before, session)) = parent.rsplit_once("_s")
            && let (number, uid) = session.split_once('-').unwrap_or((session, ""))
            && let Ok(number) = number.parse::<i64>()
        {
            let case = crate::paths::file_name_part(&manifest.identity.case_number);
            let same_uid = uid.is_empty()
                || (manifest.identity.session_uid.len() >= uid.len()
                    && manifest.identity.session_uid.starts_with(uid));
            claims.push((
                number == manifest.identity.session_id
                    && same_uid
                    && before.ends_with(&format!("_{case}")),
                format!("session {session} ({parent})"),
            ));
        }
    } else if manifest.clip.is_some() {
        let prefix = format!(
            "{}_s{}_part-{:02}_",
            crate::paths::file_name_part(&manifest.identity.case_number),
            manifest.identity.session_id,
            manifest.identity.part
        );
        if own.contains("_s") && own.contains("_part-") {
            claims.push((own.starts_with(&prefix), own.clone()));
        }
    }
    if claims.is_empty() {
        return;
    }
    let wrong: Vec<String> = claims
        .into_iter()
        .filter(|(holds, _)| !holds)
        .map(|(_, claim)| claim)
        .collect();
    report.check(
        "folder",
        if wrong.is_empty() {
            Ok(format!("{own}: {sealed}, as sealed"))
        } else {
            Err(format!(
                "the folder is named for {}, the seal is of {sealed}",
                wrong.join(", ")
            ))
        },
    );
}

fn check_sums(
    text: &str,
    manifest: &Manifest,
    manifest_bytes: Option<&[u8]>,
) -> Result<String, String> {
    use sha2::{Digest, Sha256};
    let mut expected: Vec<(String, String)> = manifest
        .files
        .iter()
        .map(|f| (f.name.clone(), f.sha256.clone()))
        .collect();
    if let Some(bytes) = manifest_bytes {
        expected.push((
            MANIFEST.to_owned(),
            super::document::hex(&Sha256::digest(bytes)),
        ));
    }
    let listed: Vec<(String, String)> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let (hash, name) = line.split_once("  ").unwrap_or((line, ""));
            (name.to_owned(), hash.to_owned())
        })
        .collect();
    for (name, hash) in &expected {
        match listed.iter().find(|(n, _)| n == name) {
            None => return Err(format!("does not list {name}")),
            Some((_, listed)) if listed != hash => {
                return Err(format!("lists {name} with another hash than the seal"));
            }
            Some(_) => {}
        }
    }
    Ok(format!("{} files, as sealed", expected.len()))
}

fn check_protocol(folder: &Path, manifest: &Manifest, report: &mut Report) {
    // Room above the sealed size, so a changed file is still read and the change named
    // precisely (which entry), while a file swollen past any protocol is not read at all.
    let limit = |name: &str| {
        manifest
            .files
            .iter()
            .find(|file| file.name == name)
            .map_or(MANIFEST_LIMIT, |file| {
                file.size.saturating_mul(4).saturating_add(1 << 20)
            })
    };
    let document: Document = match read_bytes(&folder.join(PROTOCOL_JSON), limit(PROTOCOL_JSON))
        .and_then(|bytes| serde_json::from_slice(&bytes).map_err(|e| format!("is not valid: {e}")))
    {
        Ok(document) => document,
        Err(reason) => {
            report.check(format!("{PROTOCOL_JSON} (chain)"), Err(reason));
            return;
        }
    };
    let chain = match document.check_chain() {
        Err(Break::Content { seq }) => Err(format!("entry {seq} was changed after sealing")),
        Err(Break::Order { seq }) => Err(format!(
            "entry {seq} does not follow the entry before it (an entry was moved or put in)"
        )),
        Err(Break::Missing { seq }) => Err(format!("entry {seq} is missing")),
        Ok(()) if document.head() != manifest.protocol_head => Err(format!(
            "the chain ends at entry {} ({}), the seal says {}: the last entries are missing",
            document.entries.last().map_or(0, |link| link.seq),
            document.head(),
            manifest.protocol_head
        )),
        Ok(()) => Ok(format!(
            "{} entries, chain head as sealed",
            document.entries.len()
        )),
    };
    // Text is checked against a chain that holds; against a broken one it says nothing.
    if !report.check(format!("{PROTOCOL_JSON} (chain)"), chain) {
        return;
    }
    let text = read_text(&folder.join(PROTOCOL_TEXT), limit(PROTOCOL_TEXT));
    let matches = match text {
        Err(reason) => Err(reason),
        Ok(text) => {
            let expected = document.render();
            match text.lines().zip(expected.lines()).position(|(a, b)| a != b) {
                Some(line) => Err(format!(
                    "line {} differs from the chained entries",
                    line + 1
                )),
                None if text.lines().count() != expected.lines().count() => {
                    Err("its length differs from the chained entries".to_owned())
                }
                None => Ok("matches the chained entries".to_owned()),
            }
        }
    };
    report.check(format!("{PROTOCOL_TEXT} (text)"), matches);
}
