//! What a seal queues, in the same transaction as the seal itself (rules 9, 19, 20, 25): the
//! short protocol for ҚР СО БААТЖ, the part for the court's recording server and its sound
//! for СҚЭМ, each an outbox row that `crate::delivery` sends. The shapes here are the
//! contract with the receivers (`docs/baatzh.md`); delivery only carries them.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::part::Sealed;
use crate::digest::hex;
use crate::store::NewOutbox;

/// The outbox kind and target of a short protocol for ҚР СО БААТЖ.
pub const PROTOCOL: &str = "protocol";
pub const BAATZH: &str = "baatzh";
/// The outbox kind and target of a sealed part for the court's recording server.
pub const UPLOAD: &str = "upload";
pub const SERVER: &str = "server";
/// The target of a part's copy on the regional replica (rule 24).
pub const REPLICA: &str = "replica";
/// The target of a part's audio-only copy in СҚЭМ, the electronic archive (rule 25).
pub const ARCHIVE: &str = "archive";
/// What ҚР СО БААТЖ receives for one sealed part: the short protocol exactly as
/// `protocol.txt`, what it belongs to, and the seal that proves it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProtocolPayload {
    pub format: String,
    /// Which part of which session of which case.
    #[serde(flatten)]
    pub identity: crate::session::PartIdentity,
    pub first_media_wall: Option<String>,
    pub ended_at: Option<String>,
    pub sealed_at: String,
    pub recovered: bool,
    pub key_id: String,
    /// SHA-256 of `protocol_text`'s UTF-8 bytes.
    pub protocol_sha256: String,
    pub protocol_text: String,
    /// `manifest.json` (it lists `protocol.txt` with its SHA-256) and its minisign signature.
    pub manifest: String,
    pub signature: String,
    /// A demo recording (test inputs), sent only where `send_demo` is set: never a court
    /// record.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub demo: bool,
}

/// The outbox rows a seal queues: the protocol for ҚР СО БААТЖ. Its key names the part and
/// this version of its protocol, so the same seal is never sent twice and a protocol sealed
/// again with an addendum is sent as a new version.
///
/// A demo recording (test inputs, `demo: true` in its manifest) is not a court record: it
/// is sent nowhere unless `[delivery] send_demo` says so, and then marked `demo` in every
/// payload.
pub fn outbox_rows(sealed: &Sealed, delivery: &crate::config::Delivery) -> Vec<NewOutbox> {
    let manifest = &sealed.manifest;
    if manifest.demo && !delivery.send_demo {
        return Vec::new();
    }
    let protocol_sha256 = hex(&Sha256::digest(sealed.protocol_text.as_bytes()));
    let payload = ProtocolPayload {
        format: "hattama-protocol/1".to_owned(),
        identity: manifest.identity.clone(),
        first_media_wall: manifest.first_media_wall.clone(),
        ended_at: manifest.ended_at.clone(),
        sealed_at: manifest.sealed_at.clone(),
        recovered: manifest.recovered,
        key_id: manifest.key_id.clone(),
        protocol_sha256: protocol_sha256.clone(),
        protocol_text: sealed.protocol_text.clone(),
        manifest: sealed.manifest_json.clone(),
        signature: sealed.signature.clone(),
        demo: manifest.demo,
    };
    // The session's identity, the hall and the sealing key make the key unique court-wide:
    // two workstations recording the same case in the same minute number their sessions
    // alike.
    let identity = format!(
        "{}\n{}\n{}\n{}\n{}\n{}\n{}\n{protocol_sha256}",
        manifest.identity.court,
        manifest.identity.hall,
        manifest.key_id,
        manifest.identity.case_number,
        manifest.identity.session_id,
        manifest.identity.session_uid,
        manifest.identity.part
    );
    let key = format!(
        "protocol-{}-{}-{}",
        manifest.identity.session_id,
        manifest.identity.part,
        &hex(&Sha256::digest(identity.as_bytes()))[..32]
    );
    let protocol = NewOutbox {
        kind: PROTOCOL.to_owned(),
        target: BAATZH.to_owned(),
        idempotency_key: key,
        payload: serde_json::to_string(&payload).expect("a payload serializes"),
    };
    let folder = sealed
        .folder
        .parent()
        .and_then(|session| session.file_name())
        .map(|session| {
            format!(
                "{}/{}",
                session.to_string_lossy(),
                sealed
                    .folder
                    .file_name()
                    .unwrap_or_default()
                    .to_string_lossy()
            )
        })
        .unwrap_or_default();
    let upload = upload_row(
        SERVER,
        &folder,
        manifest,
        [&sealed.manifest_json, &sealed.signature, &sealed.sums],
        sealed.cms.as_deref(),
    );
    // СҚЭМ keeps the sound alone, with the seal that vouches for it.
    let mut archive = upload_row(
        ARCHIVE,
        &folder,
        manifest,
        [&sealed.manifest_json, &sealed.signature, &sealed.sums],
        sealed.cms.as_deref(),
    );
    if let Ok(mut payload) = serde_json::from_str::<UploadPayload>(&archive.payload) {
        payload.files.retain(|(name, _)| {
            [
                crate::paths::PartFiles::AUDIO,
                super::part::MANIFEST,
                super::part::SIGNATURE,
                super::part::SUMS,
                super::cms::CMS_SIGNATURE,
            ]
            .contains(&name.as_str())
        });
        archive.payload = serde_json::to_string(&payload).expect("a payload serializes");
    }
    vec![protocol, upload, archive]
}

/// Where a part is kept on a server, relative to its prefix: `<court>/<case>/<session
/// folder>/<part>`, the court and case written as file names are (`Алматы-қ-Медеу`,
/// `2-1234-2026`). A case's parts and events sit under one prefix, so listing a case reads
/// that case alone, however large the court's store grows.
pub fn server_folder(court: &str, case_number: &str, folder: &str) -> String {
    format!("{}/{folder}", case_prefix(court, case_number))
}

/// A case's folder on a server: `<court>/<case>`.
pub fn case_prefix(court: &str, case_number: &str) -> String {
    format!(
        "{}/{}",
        crate::paths::file_name_part(court),
        crate::paths::file_name_part(case_number)
    )
}

/// A part's copy to `target` (the server or the replica): every file with the SHA-256 its
/// seal gives it, and the seal's own files (`manifest.json`, its signature, `SHA256SUMS`,
/// given as their texts).
pub fn upload_row(
    target: &str,
    folder: &str,
    manifest: &super::part::Manifest,
    [manifest_json, signature, sums]: [&str; 3],
    cms: Option<&[u8]>,
) -> NewOutbox {
    let sha = |text: &str| hex(&Sha256::digest(text.as_bytes()));
    let mut files: Vec<(String, String)> = manifest
        .files
        .iter()
        .map(|file| (file.name.clone(), file.sha256.clone()))
        .collect();
    files.push((super::part::MANIFEST.to_owned(), sha(manifest_json)));
    files.push((super::part::SIGNATURE.to_owned(), sha(signature)));
    files.push((super::part::SUMS.to_owned(), sha(sums)));
    if let Some(cms) = cms {
        files.push((
            super::cms::CMS_SIGNATURE.to_owned(),
            hex(&Sha256::digest(cms)),
        ));
    }
    let kind = if target == SERVER { "upload" } else { target };
    NewOutbox {
        kind: UPLOAD.to_owned(),
        target: target.to_owned(),
        idempotency_key: format!(
            "{kind}-{}-{}-{}",
            manifest.identity.session_id,
            manifest.identity.part,
            &sha(manifest_json)[..32]
        ),
        payload: serde_json::to_string(&UploadPayload {
            folder: folder.to_owned(),
            files,
            demo: manifest.demo,
            instance: manifest.identity.instance.clone(),
            remote: server_folder(
                &manifest.identity.court,
                &manifest.identity.case_number,
                folder,
            ),
        })
        .expect("a payload serializes"),
    }
}

/// What an upload row carries: the part's folder (relative to the sessions folder) and the
/// SHA-256 its seal gives each file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct UploadPayload {
    pub folder: String,
    pub files: Vec<(String, String)>,
    /// A demo recording, sent only where `send_demo` is set.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub demo: bool,
    /// The session's instance: which recording server takes it (rule 26).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub instance: String,
    /// Where on the target the part is kept (`<court>/<case>/<session>/<part>`, see
    /// [`server_folder`]); the local folder when empty (rows queued before servers
    /// were laid out by court and case).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub remote: String,
}

impl UploadPayload {
    /// The part's folder on the target, relative to its prefix.
    pub fn remote_folder(&self) -> &str {
        if self.remote.is_empty() {
            &self.folder
        } else {
            &self.remote
        }
    }
}
