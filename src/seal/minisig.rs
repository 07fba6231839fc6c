//! minisign's public key and signature formats (<https://jedisct1.github.io/minisign/>),
//! written and read here so that `minisign -V` checks what Hattama signs.
//!
//! ```text
//! public key:  untrusted comment: …            signature:  untrusted comment: …
//!              base64("Ed" ‖ key id ‖ pk)                  base64("Ed" ‖ key id ‖ sig(file))
//!                                                          trusted comment: …
//!                                                          base64(sig(sig(file) ‖ trusted comment))
//! ```
//! The key id is 8 bytes, shown as the little-endian number in upper-case hex. Hattama signs
//! files whole ("Ed": manifests are small); it verifies both that and the pre-hashed "ED"
//! (the signature of the file's BLAKE2b-512), which `minisign -S` makes by default, so a
//! court root's certificate or a trust list signed with stock minisign verifies too.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};

use super::SealError;

const ALGORITHM: &[u8; 2] = b"Ed";

/// A key id as minisign prints it.
pub fn key_id_hex(id: &[u8; 8]) -> String {
    format!("{:016X}", u64::from_le_bytes(*id))
}

/// A public key: its id and the Ed25519 key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicKey {
    pub id: [u8; 8],
    pub key: VerifyingKey,
}

impl PublicKey {
    /// The key id as minisign prints it.
    pub fn id_hex(&self) -> String {
        key_id_hex(&self.id)
    }

    /// The base64 line `minisign -P` takes.
    pub fn base64(&self) -> String {
        let mut bytes = Vec::with_capacity(42);
        bytes.extend_from_slice(ALGORITHM);
        bytes.extend_from_slice(&self.id);
        bytes.extend_from_slice(self.key.as_bytes());
        STANDARD.encode(bytes)
    }

    /// The `.pub` file.
    pub fn to_file(&self) -> String {
        format!(
            "untrusted comment: minisign public key {}\n{}\n",
            self.id_hex(),
            self.base64()
        )
    }

    /// A `.pub` file, or its base64 line alone.
    pub fn parse(text: &str) -> Result<Self, SealError> {
        let malformed = |reason: String| SealError::Malformed {
            what: "public key",
            reason,
        };
        let (id, key) = key_line(text).map_err(malformed)?;
        let key = VerifyingKey::from_bytes(&key).map_err(|error| malformed(error.to_string()))?;
        Ok(Self { id, key })
    }
}

/// The key id and the 32 key bytes of a key file (public or secret: both are one base64
/// line of "Ed", the id and the key, after an optional untrusted comment).
pub(super) fn key_line(text: &str) -> Result<([u8; 8], [u8; 32]), String> {
    let line = text
        .lines()
        .map(str::trim)
        .find(|line| !line.is_empty() && !line.starts_with("untrusted comment:"))
        .ok_or("no key line")?;
    let bytes = STANDARD.decode(line).map_err(|error| error.to_string())?;
    if bytes.len() != 42 || &bytes[..2] != ALGORITHM {
        return Err("not an Ed25519 key of 42 bytes".to_owned());
    }
    let id = bytes[2..10].try_into().expect("8 bytes");
    let key = bytes[10..].try_into().expect("32 bytes");
    Ok((id, key))
}

/// Signs `message` in minisign's format. Comments are single lines.
pub fn sign(
    key: &SigningKey,
    id: &[u8; 8],
    message: &[u8],
    untrusted_comment: &str,
    trusted_comment: &str,
) -> String {
    let one_line = |text: &str| text.replace(['\r', '\n'], " ");
    let trusted_comment = one_line(trusted_comment);
    let signature = key.sign(message).to_bytes();
    let mut global = signature.to_vec();
    global.extend_from_slice(trusted_comment.as_bytes());
    let global = key.sign(&global).to_bytes();
    let mut line = Vec::with_capacity(74);
    line.extend_from_slice(ALGORITHM);
    line.extend_from_slice(id);
    line.extend_from_slice(&signature);
    format!(
        "untrusted comment: {}\n{}\ntrusted comment: {}\n{}\n",
        one_line(untrusted_comment),
        STANDARD.encode(line),
        trusted_comment,
        STANDARD.encode(global)
    )
}

/// The id of the key that made a signature file, if it is one.
pub fn signer_id(minisig: &str) -> Option<[u8; 8]> {
    let line = minisig.lines().nth(1)?;
    let bytes = STANDARD.decode(line.trim()).ok()?;
    (bytes.len() == 74).then(|| bytes[2..10].try_into().expect("8 bytes"))
}

/// Checks a signature of `message` against the trusted keys; returns the trusted comment.
pub fn verify(trusted: &[PublicKey], message: &[u8], minisig: &str) -> Result<String, SealError> {
    let malformed = |reason: &str| SealError::Malformed {
        what: "signature",
        reason: reason.to_owned(),
    };
    let lines: Vec<&str> = minisig.lines().collect();
    let [untrusted, signature, trusted_comment, global, ..] = lines.as_slice() else {
        return Err(malformed("fewer than four lines"));
    };
    if !untrusted.starts_with("untrusted comment:") {
        return Err(malformed("the first line is not an untrusted comment"));
    }
    let comment = trusted_comment
        .strip_prefix("trusted comment: ")
        .ok_or_else(|| malformed("the third line is not a trusted comment"))?;
    let decode = |line: &str, length: usize| -> Result<Vec<u8>, SealError> {
        let bytes = STANDARD
            .decode(line.trim())
            .map_err(|error| malformed(&error.to_string()))?;
        if bytes.len() == length {
            Ok(bytes)
        } else {
            Err(malformed(&format!(
                "{} bytes where {length} belong",
                bytes.len()
            )))
        }
    };
    let signature_line = decode(signature, 74)?;
    let hashed;
    let signed_message = match &signature_line[..2] {
        b"Ed" => message,
        b"ED" => {
            hashed = <blake2::Blake2b512 as blake2::Digest>::digest(message);
            hashed.as_slice()
        }
        _ => return Err(malformed("not a minisign Ed25519 signature (Ed or ED)")),
    };
    let id: [u8; 8] = signature_line[2..10].try_into().expect("8 bytes");
    let key = trusted
        .iter()
        .find(|key| key.id == id)
        .ok_or_else(|| SealError::UnknownKey {
            found: key_id_hex(&id),
            trusted: trusted
                .iter()
                .map(PublicKey::id_hex)
                .collect::<Vec<_>>()
                .join(", "),
        })?;
    let raw: [u8; 64] = signature_line[10..].try_into().expect("64 bytes");
    key.key
        .verify(signed_message, &Signature::from_bytes(&raw))
        .map_err(|_| SealError::BadSignature)?;
    let global: [u8; 64] = decode(global, 64)?.try_into().expect("64 bytes");
    let mut signed = raw.to_vec();
    signed.extend_from_slice(comment.as_bytes());
    key.key
        .verify(&signed, &Signature::from_bytes(&global))
        .map_err(|_| SealError::BadTrustedComment)?;
    Ok(comment.to_owned())
}
