//! The court's signing key: made at first start, kept in the data folder readable by its
//! owner alone (mode 0600), its public half beside it in minisign's `.pub` format.

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use ed25519_dalek::SigningKey;

use super::SealError;
use super::minisig::{self, PublicKey};

const SECRET_FILE: &str = "hattama.key";
const PUBLIC_FILE: &str = "hattama.pub";

pub struct Keys {
    signing: SigningKey,
    id: [u8; 8],
}

impl std::fmt::Debug for Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the secret.
        write!(f, "Keys({})", minisig::key_id_hex(&self.id))
    }
}

impl Keys {
    /// The key in `folder`, made there first if there is none.
    pub fn load_or_create(folder: &Path) -> Result<Self, SealError> {
        let secret = folder.join(SECRET_FILE);
        if secret.exists() {
            let keys = Self::load(folder)?;
            // A power cut between the two files of a new key leaves the secret alone (it is
            // written first): its public half is made again before anything is signed.
            if !folder.join(PUBLIC_FILE).exists() {
                write_new(
                    &folder.join(PUBLIC_FILE),
                    keys.public().to_file().as_bytes(),
                    0o644,
                )?;
            }
            return Ok(keys);
        }
        let keys = Self::generate()?;
        keys.write(folder)?;
        Ok(keys)
    }

    /// A new key, from the system's random numbers.
    pub fn generate() -> Result<Self, SealError> {
        let mut seed = [0u8; 32];
        let mut id = [0u8; 8];
        getrandom::fill(&mut seed).map_err(|error| SealError::Random(error.to_string()))?;
        getrandom::fill(&mut id).map_err(|error| SealError::Random(error.to_string()))?;
        Ok(Self {
            signing: SigningKey::from_bytes(&seed),
            id,
        })
    }

    /// Retires the key in `folder` and makes a new one. The old public key goes to
    /// `trusted/` so recordings it sealed keep verifying; the old secret is removed.
    pub fn replace(folder: &Path) -> Result<Self, SealError> {
        let old = Self::load(folder)?;
        let trusted = folder.join("trusted");
        let io = |path: &Path| {
            let path = path.to_owned();
            move |source| SealError::KeyFile {
                path,
                source: Arc::new(source),
            }
        };
        crate::paths::create_folder_all(&trusted).map_err(io(&trusted))?;
        let retired = trusted.join(format!("{}.pub", old.id_hex()));
        if !retired.exists() {
            write_new(&retired, old.public().to_file().as_bytes(), 0o644)?;
        }
        for file in [SECRET_FILE, PUBLIC_FILE] {
            let path = folder.join(file);
            fs::remove_file(&path).map_err(io(&path))?;
        }
        Self::load_or_create(folder)
    }

    pub fn load(folder: &Path) -> Result<Self, SealError> {
        Self::load_secret(&folder.join(SECRET_FILE))
    }

    /// The key in the secret key file `path` (made by [`Keys::write_pair`] or as the
    /// court's key).
    pub fn load_secret(path: &Path) -> Result<Self, SealError> {
        let path = path.to_owned();
        let io = |source| SealError::KeyFile {
            path: path.clone(),
            source: Arc::new(source),
        };
        let text = fs::read_to_string(&path).map_err(io)?;
        // Someone may have copied the file with looser permissions: only its owner reads it.
        let mode = fs::metadata(&path).map_err(io)?.permissions().mode();
        if mode & 0o077 != 0 {
            fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).map_err(io)?;
        }
        let (id, seed) = minisig::key_line(&text).map_err(|reason| SealError::KeyDamaged {
            path: path.clone(),
            reason,
        })?;
        Ok(Self {
            signing: SigningKey::from_bytes(&seed),
            id,
        })
    }

    fn write(&self, folder: &Path) -> Result<(), SealError> {
        self.write_pair(&folder.join(SECRET_FILE), &folder.join(PUBLIC_FILE))
    }

    /// Writes the secret (0600) and then the public half (minisign's `.pub`), each new.
    pub fn write_pair(&self, secret_path: &Path, public_path: &Path) -> Result<(), SealError> {
        let mut secret = Vec::with_capacity(42);
        secret.extend_from_slice(b"Ed");
        secret.extend_from_slice(&self.id);
        secret.extend_from_slice(self.signing.as_bytes());
        let secret = format!(
            "untrusted comment: Hattama signing key {} (secret: never copy it elsewhere)\n{}\n",
            self.id_hex(),
            STANDARD.encode(secret)
        );
        write_new(secret_path, secret.as_bytes(), 0o600)?;
        write_new(public_path, self.public().to_file().as_bytes(), 0o644)
    }

    pub fn public(&self) -> PublicKey {
        PublicKey {
            id: self.id,
            key: self.signing.verifying_key(),
        }
    }

    pub fn id_hex(&self) -> String {
        minisig::key_id_hex(&self.id)
    }

    /// The secret key file's path in `folder`.
    pub fn secret_file(folder: &Path) -> PathBuf {
        folder.join(SECRET_FILE)
    }

    /// The public key file's path in `folder`.
    pub fn public_file(folder: &Path) -> PathBuf {
        folder.join(PUBLIC_FILE)
    }

    /// A minisign signature of `message`.
    pub fn sign(&self, message: &[u8], untrusted_comment: &str, trusted_comment: &str) -> String {
        minisig::sign(
            &self.signing,
            &self.id,
            message,
            untrusted_comment,
            trusted_comment,
        )
    }
}

/// Writes a file that did not exist, with `mode` from its first byte, and syncs it.
fn write_new(path: &Path, bytes: &[u8], mode: u32) -> Result<(), SealError> {
    let io = |source| SealError::KeyFile {
        path: path.to_owned(),
        source: Arc::new(source),
    };
    if let Some(parent) = path.parent() {
        crate::paths::create_folder_all(parent).map_err(io)?;
    }
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(mode)
        .open(path)
        .map_err(io)?;
    file.write_all(bytes).map_err(io)?;
    file.sync_all().map_err(io)?;
    // The key's name is on the disk before anything is signed with it: a power cut must
    // not leave seals made with a key that is gone.
    std::fs::File::open(crate::paths::folder_of(path))
        .and_then(|folder| folder.sync_all())
        .map_err(io)
}

#[cfg(test)]
mod tests;
