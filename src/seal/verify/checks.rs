//! Each check of a part's seal: its signatures (Ed25519 with the key's chain, the court's
//! CMS), the files' names, `SHA256SUMS`, and the protocol's chain against `protocol.txt`.

use std::fs;
use std::path::Path;

use crate::seal::Trust;
use crate::seal::cms::CMS_SIGNATURE;
use crate::seal::document::{Break, Document};
use crate::seal::manifest::{MANIFEST_LIMIT, SIGNATURE_LIMIT, read_bytes};
use crate::seal::minisig::{self, PublicKey};
use crate::seal::part::{MANIFEST, Manifest, PROTOCOL_JSON, PROTOCOL_TEXT, SIGNATURE};

use super::Report;

/// The court's CMS signature, when the part has one: checked against the certifying
/// centres trusted, at the seal's time; who signed is said.
pub(super) fn check_cms(
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
        .map_err(|error| error.to_string())
        .and_then(|p7s| {
            crate::seal::cms::verify(&p7s, manifest_bytes, &trusted.centres, at)
                .map_err(|refusal| refusal.to_string())
        })
        .map(|signer| format!("signed by the court's certificate: {signer}"));
    report.check(CMS_SIGNATURE, result);
}

/// `SHA256SUMS` holds one line per file the manifest lists and one for the manifest.
pub(super) fn sums_limit(manifest: &Manifest) -> u64 {
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
pub(super) fn check_seal_signature(
    folder: &Path,
    manifest: &Manifest,
    manifest_bytes: &[u8],
    trusted: &Trust,
    report: &mut Report,
) -> Result<String, String> {
    let path = folder.join(SIGNATURE);
    let certified = fs::symlink_metadata(folder.join(crate::seal::trust::CERTIFICATE)).is_ok();
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
    let text =
        String::from_utf8(read_bytes(&path, SIGNATURE_LIMIT).map_err(|error| error.to_string())?)
            .map_err(|_| "the signature file is not text".to_owned())?;
    let signer = minisig::signer_id(&text)
        .ok_or_else(|| "the signature file is not a minisign signature".to_owned())?;
    match crate::seal::trust::check_certificate(folder, signer, &manifest.sealed_at, &trusted.roots)
    {
        Ok((key, said)) => {
            report.check(CHAIN, Ok(said));
            check_signature(&path, manifest_bytes, &Trust::of_keys(vec![key]))
        }
        Err(why) => {
            report.check(CHAIN, Err(why.to_string()));
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
    let bytes = read_bytes(path, SIGNATURE_LIMIT).map_err(|error| error.to_string())?;
    let text = String::from_utf8(bytes).map_err(|_| {
        crate::seal::SealError::Malformed {
            what: "signature",
            reason: "it is not text".to_owned(),
        }
        .to_string()
    })?;
    minisig::verify(trusted, message, &text).map_err(|error| error.to_string())
}

pub(super) fn read_text(path: &Path, limit: u64) -> Result<String, String> {
    String::from_utf8(read_bytes(path, limit).map_err(|error| error.to_string())?)
        .map_err(|_| "is not text (UTF-8)".to_owned())
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
pub(super) fn check_name(folder: &Path, manifest: &Manifest, report: &mut Report) {
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

pub(super) fn check_sums(
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
            crate::seal::document::hex(&Sha256::digest(bytes)),
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

pub(super) fn check_protocol(folder: &Path, manifest: &Manifest, report: &mut Report) {
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
        .map_err(|error| error.to_string())
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
