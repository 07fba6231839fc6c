//! The archivist's check of a disc (rule 22): an image, a mounted disc or a copied folder.
//! Every sealed part on it verifies; and when it is a Hattama case disc, its inventory is
//! signed by a trusted key, lists exactly the files on the disc (nothing missing, nothing
//! extra, each with its SHA-256), and matches the case inventory's entry when this
//! computer keeps that inventory. Without the inventory (a higher court) the signatures
//! alone are checked, and the report says so.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use sha2::{Digest, Sha256};

use super::image::{INVENTORY, INVENTORY_SIGNATURE, Inventory};
use crate::digest::hex;
use crate::seal::verify::{self, Depth, ImageError, Report};
use crate::store::Store;

/// What a disc check found.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Checked {
    pub parts: Vec<Report>,
    /// The disc's own checks (inventory, signature, contents, case inventory), for a
    /// Hattama case disc.
    pub disc: Option<Report>,
    /// SHA-256 of the disc's `INVENTORY.json`, which names the disc in a case's inventory.
    pub contents_sha256: Option<String>,
}

impl Checked {
    pub fn ok(&self) -> bool {
        !self.parts.is_empty()
            && self.parts.iter().all(Report::ok)
            && self.disc.as_ref().is_none_or(Report::ok)
    }
}

/// This computer's case inventory, as far as it can be read.
pub enum CaseInventory {
    /// No database here (a higher court, the archivist's own computer).
    NotKept,
    Kept(Store),
    /// There is a database and it cannot be read (damaged, or from a newer Hattama).
    Unreadable(String),
    /// The case's discs as its events on the court server list them (the archivist's desk).
    Listed(Vec<crate::store::CaseDisc>),
}

impl CaseInventory {
    /// The inventory in the database at `database`, which is never created here.
    pub fn open(database: &Path) -> CaseInventory {
        if std::fs::symlink_metadata(database).is_err() {
            return CaseInventory::NotKept;
        }
        match Store::open(database) {
            Ok(store) => CaseInventory::Kept(store),
            Err(error) => CaseInventory::Unreadable(format!("{}: {error}", database.display())),
        }
    }
}

/// Checks `path` (a part folder, a folder of many, a mounted or copied disc, or an image).
pub fn check_path(
    path: &Path,
    trusted: &crate::seal::Trust,
    cases: &CaseInventory,
) -> Result<Checked, ImageError> {
    check_path_at(path, trusted, cases, Depth::Files)
}

/// [`check_path`], each part as deep as `depth`.
pub fn check_path_at(
    path: &Path,
    trusted: &crate::seal::Trust,
    cases: &CaseInventory,
    depth: Depth,
) -> Result<Checked, ImageError> {
    let extracted = if path.is_file() {
        Some(verify::extract_image(path)?)
    } else {
        None
    };
    let root = extracted.as_ref().map_or(path, |folder| folder.path());
    let inventory = read_inventory(root);
    let mut parts: Vec<Report> = verify::find_parts(root)
        .iter()
        .map(|folder| {
            let mut report = verify::verify_part_at(folder, trusted, depth);
            if let Ok(inside) = folder.strip_prefix(root) {
                if let Some(Ok((inventory, _))) = &inventory {
                    held_elsewhere(&mut report, inside, inventory);
                    held_to_inventory(&mut report, folder, inside, inventory);
                }
                report.folder = path.join(inside);
            }
            report
        })
        .collect();
    parts.retain(|report| !report.checks.is_empty());
    let contents_sha256 = inventory
        .as_ref()
        .and_then(|read| read.as_ref().ok())
        .map(|(_, bytes)| hex(&Sha256::digest(bytes)));
    let disc = inventory.map(|inventory| {
        let mut report = Report {
            folder: path.to_owned(),
            checks: Vec::new(),
            signed: None,
        };
        match inventory {
            Err(reason) => {
                report.check(INVENTORY, Err(reason));
            }
            Ok((inventory, bytes)) => {
                check_inventory(root, &inventory, &bytes, trusted, cases, &mut report);
            }
        }
        report
    });
    Ok(Checked {
        parts,
        disc,
        contents_sha256,
    })
}

/// The disc's inventory and its bytes; `None` when there is none (not a Hattama case disc).
fn read_inventory(root: &Path) -> Option<Result<(Inventory, Vec<u8>), String>> {
    let path = root.join(INVENTORY);
    std::fs::symlink_metadata(&path).ok()?;
    Some(
        verify::read_bytes(&path, INVENTORY_LIMIT)
            .map_err(|error| error.to_string())
            .and_then(|bytes| {
                serde_json::from_slice(&bytes)
                    .map(|inventory| (inventory, bytes))
                    .map_err(|error| format!("is not a valid inventory: {error}"))
            }),
    )
}

/// An inventory lists every file of a disc in about 150 bytes: 64 MiB is far beyond any.
const INVENTORY_LIMIT: u64 = 64 << 20;

/// A recording file of a part spread over a set is not missing when the inventory says
/// another disc holds it.
fn held_elsewhere(report: &mut Report, inside: &Path, inventory: &Inventory) {
    let folder = inside.to_string_lossy().replace('\\', "/");
    for check in report.checks.iter_mut().filter(|c| !c.ok) {
        let path = format!("{folder}/{}", check.subject);
        if let Some(other) = inventory.elsewhere.iter().find(|e| e.path == path) {
            check.ok = true;
            check.detail = format!("on disc {} of {} of this set", other.disc, inventory.of);
        }
    }
}

/// A part on a case disc is of that case and court, and the inventory lists it where it is.
fn held_to_inventory(report: &mut Report, folder: &Path, inside: &Path, inventory: &Inventory) {
    let Ok((manifest, _)) = verify::read_manifest(folder) else {
        return;
    };
    let path = inside.to_string_lossy().replace('\\', "/");
    let result = if manifest.identity.case_number != inventory.case_number {
        Err(format!(
            "sealed for case {}, on the disc of case {}",
            manifest.identity.case_number, inventory.case_number
        ))
    } else if manifest.identity.court != inventory.court {
        Err(format!(
            "sealed by {}, on a disc of {}",
            manifest.identity.court, inventory.court
        ))
    } else if !inventory.parts.contains(&path) {
        Err(format!("{path}: a part the disc's inventory does not list"))
    } else {
        Ok(format!(
            "case {}, listed by the disc's inventory",
            manifest.identity.case_number
        ))
    };
    report.check("case", result);
}

/// The inventory's signature: with a trust list and the signing key's certificate on the
/// disc (`keys/key-certificate.json`), by the key a court on the list certified, valid when
/// the disc was made; otherwise by a key trusted here.
fn inventory_signature(
    root: &Path,
    bytes: &[u8],
    made_at: &str,
    trusted: &crate::seal::Trust,
) -> Result<String, String> {
    let path = root.join(INVENTORY_SIGNATURE);
    let keys = root.join(super::image::KEYS);
    let certified = std::fs::symlink_metadata(keys.join(crate::seal::trust::CERTIFICATE)).is_ok();
    if trusted.roots.is_empty() || !certified {
        return verify::check_signature(&path, bytes, trusted);
    }
    let text = String::from_utf8(
        verify::read_bytes(&path, verify::SIGNATURE_LIMIT).map_err(|error| error.to_string())?,
    )
    .map_err(|_| "the signature file is not text".to_owned())?;
    let signer = crate::seal::minisig::signer_id(&text)
        .ok_or_else(|| "the signature file is not a minisign signature".to_owned())?;
    let (key, said) = crate::seal::trust::check_certificate(&keys, signer, made_at, &trusted.roots)
        .map_err(|why| format!("the key that signed the inventory: {why}"))?;
    verify::check_signature(&path, bytes, &crate::seal::Trust::of_keys(vec![key]))
        .map(|comment| format!("{comment} — {said}"))
}

fn check_inventory(
    root: &Path,
    inventory: &Inventory,
    bytes: &[u8],
    trusted: &crate::seal::Trust,
    cases: &CaseInventory,
    report: &mut Report,
) {
    let signature = inventory_signature(root, bytes, &inventory.made_at, trusted);
    if let Ok(comment) = &signature {
        report.signed = Some(comment.clone());
    }
    report.check(
        INVENTORY_SIGNATURE,
        signature.map(|comment| format!("signed: {comment}")),
    );

    // Every file listed is there as listed. Files a part's seal lists are hashed by the
    // part's check; here their listed SHA-256 must be the sealed one.
    let sealed = sealed_hashes(root, inventory);
    let on_disc = files_under(root);
    for file in &inventory.files {
        let path = root.join(&file.path);
        let result = match on_disc.get(&file.path) {
            None => Err("missing".to_owned()),
            Some(size) if *size != file.size => {
                Err(format!("{size} bytes, the inventory says {}", file.size))
            }
            Some(_) => match sealed.get(&file.path) {
                Some(seal) if *seal == file.sha256 => Ok("as listed and sealed".to_owned()),
                Some(_) => Err("the inventory's SHA-256 is not the sealed one".to_owned()),
                None => match crate::digest::sha256_file(&path) {
                    Ok(found) if found.sha256 == file.sha256 => Ok("as listed".to_owned()),
                    Ok(found) => Err(format!(
                        "SHA-256 {} differs from the listed {}",
                        found.sha256, file.sha256
                    )),
                    Err(error) => Err(error.to_string()),
                },
            },
        };
        // Only what fails is reported one by one; what holds is counted below.
        if result.is_err() {
            report.check(file.path.clone(), result);
        }
    }
    let listed: BTreeSet<&str> = inventory.files.iter().map(|f| f.path.as_str()).collect();
    for extra in on_disc.keys().filter(|path| {
        !listed.contains(path.as_str()) && *path != INVENTORY && *path != INVENTORY_SIGNATURE
    }) {
        report.check(extra.clone(), Err("not in the disc's inventory".to_owned()));
    }
    report.check(
        INVENTORY,
        Ok(format!(
            "case {}, disc {} of {} ({}): {} files",
            inventory.case_number,
            inventory.disc,
            inventory.of,
            inventory.label,
            inventory.files.len()
        )),
    );

    let contents = hex(&Sha256::digest(bytes));
    let (by_contents, of_case, (source, entered)) = match cases {
        CaseInventory::Kept(store) => (
            store.discs_by_contents(&contents),
            store.discs_of(&inventory.case_number),
            ("the case inventory", "entered in the case inventory"),
        ),
        CaseInventory::Listed(discs) => {
            let listed = |keep: &dyn Fn(&crate::store::CaseDisc) -> bool| {
                Ok(discs.iter().filter(|d| keep(d)).cloned().collect())
            };
            (
                listed(&|d| d.contents_sha256 == contents),
                listed(&|d| d.case_number == inventory.case_number),
                (
                    "the case's events on the court server",
                    "listed by the case's events on the court server",
                ),
            )
        }
        CaseInventory::NotKept => {
            report.check(
                "case inventory",
                Ok("none on this computer: the signatures and hashes are checked".to_owned()),
            );
            return;
        }
        CaseInventory::Unreadable(reason) => {
            report.check(
                "case inventory",
                Err(format!(
                    "this computer's database cannot be read ({reason}): the disc's signatures \
                     and hashes were checked, its entry in the case inventory was not"
                )),
            );
            return;
        }
    };
    let entry = match by_contents {
        Ok(entries) => entries.into_iter().next(),
        Err(error) => {
            report.check("case inventory", Err(error.to_string()));
            return;
        }
    };
    let result = match entry {
        Some(entry) => Ok(format!(
            "{entered}: case {}, disc {} of {}, made {} by {}",
            entry.case_number, entry.disc, entry.of, entry.made_at, entry.made_by
        )),
        None => match of_case {
            Ok(entries) if !entries.is_empty() => Err(format!(
                "not the disc {source} lists: it lists {}",
                entries
                    .iter()
                    .map(|e| format!("{} (disc {} of {})", e.label, e.disc, e.of))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
            Ok(_) => Ok(format!(
                "case {} has no inventory on this computer: signatures and hashes checked",
                inventory.case_number
            )),
            Err(error) => Err(error.to_string()),
        },
    };
    report.check("case inventory", result);
}

/// The SHA-256 each part's manifest seals, by disc path.
fn sealed_hashes(root: &Path, inventory: &Inventory) -> BTreeMap<String, String> {
    let mut sealed = BTreeMap::new();
    for part in &inventory.parts {
        let Ok((manifest, _)) = verify::read_manifest(&root.join(part)) else {
            continue;
        };
        for file in manifest.files {
            sealed.insert(format!("{part}/{}", file.name), file.sha256);
        }
    }
    sealed
}

/// Every regular file under `root` by its `/`-separated path, with its size.
fn files_under(root: &Path) -> BTreeMap<String, u64> {
    let mut files = BTreeMap::new();
    let mut stack = vec![root.to_owned()];
    while let Some(folder) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            // Links are listed as what they are, never followed.
            let Ok(meta) = std::fs::symlink_metadata(&path) else {
                continue;
            };
            if meta.is_dir() {
                stack.push(path);
            } else if let Ok(inside) = path.strip_prefix(root) {
                files.insert(inside.to_string_lossy().replace('\\', "/"), meta.len());
            }
        }
    }
    files
}
