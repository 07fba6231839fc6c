//! The courtroom's signing service: one sealing key for every login of a workstation, held
//! by a system user of its own (`hattama-signer`) that no secretary is. A secretary's
//! process never reads the key: it sends the bytes to sign over a Unix socket in /run and
//! gets the minisign signature (and the court's CMS signature) back. The service writes
//! every signature it makes to its log before answering: when, for whom (the kernel names
//! the asking user), what, the hash of what it signed.
//!
//! One request and one answer per line, JSON. The service reads its key, the key's
//! certificate and the court's certificate again for every request, so a certificate the
//! administrator installs is used from the next seal on.

use std::io::{BufRead, BufReader, Write};
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{Keys, PublicKey, SealError, trust};
use crate::config::Signing;
use crate::lock::Locked;

/// Where the installed service listens (systemd's `RuntimeDirectory=hattama-signer`).
pub const SOCKET: &str = "/run/hattama-signer/socket";
/// The installed service's own folder: its key in `keys/`, its log.
pub const FOLDER: &str = "/var/lib/hattama-signer";
/// The installed unit: where it is, Hattama seals through the service.
pub const UNIT: &str = "/usr/lib/systemd/system/hattama-signer.service";
/// The log of every signature, one JSON line each.
pub const LOG: &str = "signatures.log";

/// The most a request may hold (a manifest of a long part with many files is ~100 KB).
const REQUEST_LIMIT: u64 = 16 << 20;

#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "ask", rename_all = "kebab-case")]
enum Ask {
    /// The key, its certificate and the court's certificate.
    Hello,
    /// A minisign signature of `message` (base64), and the court's CMS signature of it when
    /// `court`.
    Sign {
        what: String,
        message: String,
        untrusted: String,
        trusted: String,
        court: bool,
    },
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "answer", rename_all = "kebab-case")]
enum Answer {
    Hello {
        /// The public key, as a `.pub` file.
        key: String,
        /// `key-certificate.json` and its signature, when installed.
        certificate: Option<(String, String)>,
        /// The court's certificate in words, when one is configured.
        court: Option<String>,
    },
    Signed {
        minisig: String,
        /// DER, base64.
        cms: Option<String>,
    },
    Refused {
        reason: String,
    },
}

/// What the service tells about itself: the key, its certificate, the court's certificate.
#[derive(Debug, Clone)]
pub struct Client {
    socket: PathBuf,
    pub public: PublicKey,
    pub certificate: Option<trust::KeyCertificate>,
    pub court: Option<String>,
}

impl Client {
    /// Asks the service at `socket` who it signs as.
    pub fn connect(socket: &Path) -> Result<Self, SealError> {
        match ask(socket, &Ask::Hello)? {
            Answer::Hello {
                key,
                certificate,
                court,
            } => Ok(Self {
                socket: socket.to_owned(),
                public: PublicKey::parse(&key)?,
                certificate: certificate.map(|(json, signature)| trust::KeyCertificate {
                    json: json.into_bytes(),
                    signature: signature.into_bytes(),
                }),
                court,
            }),
            other => Err(unexpected(socket, &other)),
        }
    }

    /// A minisign signature of `message` (and the court's CMS signature of it when
    /// `court`); `what` goes to the service's log.
    pub fn sign(
        &self,
        what: &str,
        message: &[u8],
        untrusted: &str,
        trusted: &str,
        court: bool,
    ) -> Result<(String, Option<Vec<u8>>), SealError> {
        let request = Ask::Sign {
            what: what.to_owned(),
            message: STANDARD.encode(message),
            untrusted: untrusted.to_owned(),
            trusted: trusted.to_owned(),
            court,
        };
        match ask(&self.socket, &request)? {
            Answer::Signed { minisig, cms } => {
                // Never trusted blindly: a signature by another key, or of other bytes, is
                // the service's fault, said as such.
                super::minisig::verify(std::slice::from_ref(&self.public), message, &minisig)
                    .map_err(|error| service_error(&self.socket, error.to_string()))?;
                let cms = cms
                    .map(|text| STANDARD.decode(text))
                    .transpose()
                    .map_err(|error| service_error(&self.socket, error.to_string()))?;
                if court && cms.is_none() {
                    return Err(service_error(
                        &self.socket,
                        "it has no court's certificate to sign with".to_owned(),
                    ));
                }
                Ok((minisig, cms))
            }
            other => Err(unexpected(&self.socket, &other)),
        }
    }
}

fn ask(socket: &Path, ask: &Ask) -> Result<Answer, SealError> {
    let io = |error: std::io::Error| service_error(socket, error.to_string());
    let mut stream = UnixStream::connect(socket).map_err(io)?;
    // A service that hangs is down, said within half a minute.
    let limit = Some(std::time::Duration::from_secs(30));
    stream.set_read_timeout(limit).map_err(io)?;
    stream.set_write_timeout(limit).map_err(io)?;
    let mut line = serde_json::to_string(ask).expect("a request serializes");
    line.push('\n');
    stream.write_all(line.as_bytes()).map_err(io)?;
    let mut answer = String::new();
    BufReader::new(std::io::Read::take(stream, REQUEST_LIMIT))
        .read_line(&mut answer)
        .map_err(io)?;
    match serde_json::from_str(&answer) {
        Ok(Answer::Refused { reason }) => Err(service_error(socket, reason)),
        Ok(answer) => Ok(answer),
        Err(error) => Err(service_error(
            socket,
            format!("an answer that is not the service's: {error}"),
        )),
    }
}

fn unexpected(socket: &Path, answer: &Answer) -> SealError {
    service_error(socket, format!("an answer out of turn: {answer:?}"))
}

fn service_error(socket: &Path, reason: String) -> SealError {
    SealError::Service {
        socket: socket.to_owned(),
        reason,
    }
}

/// The service: listens at `socket` (made readable and writable by the service's group,
/// the courtroom's secretaries) and signs with the key in `<folder>/keys`, made there at
/// the first start. Runs until the process is stopped.
pub fn serve(folder: &Path, socket: &Path, signing: &Signing) -> Result<(), SealError> {
    let keys = folder.join("keys");
    let io = |path: &Path| {
        let path = path.to_owned();
        move |source| SealError::Write {
            path,
            source: Arc::new(source),
        }
    };
    crate::paths::create_folder_all(&keys).map_err(io(&keys))?;
    // Its users may read the public key and its certificate (to verify what it sealed when
    // it is down), never list the folder; the secret key is the service's alone (0600).
    for (path, mode) in [(folder, 0o711), (&keys, 0o755)] {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).map_err(io(path))?;
    }
    // The key is made at the first start, never again: a key that signed here and is gone
    // is a fault the service says to everyone who asks, not a new key.
    if std::fs::symlink_metadata(Keys::secret_file(&keys)).is_err() && signed(folder) == 0 {
        let key = Keys::load_or_create(&keys)?;
        tracing::info!("a new courtroom key {}", key.id_hex());
    }
    // A socket left by a service that stopped is replaced; one that answers is not, and
    // anything else at that path (a file, a link, a FIFO) is never removed.
    if UnixStream::connect(socket).is_ok() {
        return Err(service_error(
            socket,
            "another signing service listens there".to_owned(),
        ));
    }
    match std::fs::symlink_metadata(socket) {
        Ok(meta) if std::os::unix::fs::FileTypeExt::is_socket(&meta.file_type()) => {
            std::fs::remove_file(socket).map_err(io(socket))?;
        }
        Ok(_) => {
            return Err(service_error(
                socket,
                "something that is not a socket is there; it is left as it is".to_owned(),
            ));
        }
        Err(_) => {}
    }
    let listener = UnixListener::bind(socket).map_err(io(socket))?;
    std::fs::set_permissions(socket, std::fs::Permissions::from_mode(0o660)).map_err(io(socket))?;
    tracing::info!("signing at {}", socket.display());
    let log = Arc::new(Mutex::new(()));
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        let (folder, signing, log) = (folder.to_owned(), signing.clone(), log.clone());
        std::thread::spawn(move || {
            if let Err(error) = answer(stream, &folder, &signing, &log) {
                tracing::warn!("a request ended early: {error}");
            }
        });
    }
    Ok(())
}

/// Answers every line of one connection.
fn answer(
    stream: UnixStream,
    folder: &Path,
    signing: &Signing,
    log: &Mutex<()>,
) -> std::io::Result<()> {
    let peer = rustix::net::sockopt::socket_peercred(&stream)?;
    let who = Asker {
        uid: peer.uid.as_raw(),
        pid: peer.pid.as_raw_nonzero().get(),
    };
    stream.set_read_timeout(Some(std::time::Duration::from_secs(60)))?;
    let mut writer = stream.try_clone()?;
    let mut reader = BufReader::new(std::io::Read::take(stream, REQUEST_LIMIT));
    let mut line = String::new();
    while reader.read_line(&mut line)? > 0 {
        let reply = match serde_json::from_str::<Ask>(&line) {
            Ok(ask) => reply(ask, folder, signing, &who, log),
            Err(error) => Answer::Refused {
                reason: format!("not a request: {error}"),
            },
        };
        let mut text = serde_json::to_string(&reply).expect("an answer serializes");
        text.push('\n');
        writer.write_all(text.as_bytes())?;
        line.clear();
    }
    Ok(())
}

/// Who asked, as the kernel says.
struct Asker {
    uid: u32,
    pid: i32,
}

fn reply(ask: Ask, folder: &Path, signing: &Signing, who: &Asker, log: &Mutex<()>) -> Answer {
    let sealer = match sealer(folder, signing) {
        Ok(sealer) => sealer,
        Err(reason) => return Answer::Refused { reason },
    };
    let super::Signer::Here { keys, court } = &sealer.signer else {
        unreachable!("the service signs here");
    };
    match ask {
        Ask::Hello => Answer::Hello {
            key: keys.public().to_file(),
            certificate: sealer.certificate.as_ref().map(|certificate| {
                (
                    String::from_utf8_lossy(&certificate.json).into_owned(),
                    String::from_utf8_lossy(&certificate.signature).into_owned(),
                )
            }),
            court: court.as_ref().map(super::cms::CourtCertificate::describe),
        },
        Ask::Sign {
            what,
            message,
            untrusted,
            trusted,
            court: with_court,
        } => {
            let Ok(message) = STANDARD.decode(message) else {
                return Answer::Refused {
                    reason: "the message is not base64".to_owned(),
                };
            };
            if let Err(reason) = dated_now(&message) {
                return Answer::Refused { reason };
            }
            let cms = match (with_court, court) {
                (false, _) => None,
                (true, Some(court)) => match court.sign(&message) {
                    Ok(cms) => Some(STANDARD.encode(cms)),
                    Err(error) => {
                        return Answer::Refused {
                            reason: error.to_string(),
                        };
                    }
                },
                (true, None) => {
                    return Answer::Refused {
                        reason: "no court's certificate is configured for the service".to_owned(),
                    };
                }
            };
            // Logged before it is given: no signature leaves the service unrecorded.
            let entry = serde_json::json!({
                "at": chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
                "who": user_name(who.uid),
                "uid": who.uid,
                "pid": who.pid,
                "what": what,
                "sha256": crate::digest::hex(&Sha256::digest(&message)),
                "key": keys.id_hex(),
                "court": cms.is_some(),
            });
            if let Err(error) = append(&folder.join(LOG), &entry.to_string(), log) {
                return Answer::Refused {
                    reason: format!("cannot write the signature log: {error}"),
                };
            }
            Answer::Signed {
                minisig: keys.sign(&message, &untrusted, &trusted),
                cms,
            }
        }
    }
}

/// How far the time a signed document gives itself may be from the service's clock.
const CLOCK_SLACK: chrono::TimeDelta = chrono::TimeDelta::minutes(5);

/// A manifest or an inventory is signed only at the time it says (`sealed_at`, `made_at`):
/// no login gets a seal dated before a revocation or after the fact. Other messages (the
/// daily check's) carry no time.
fn dated_now(message: &[u8]) -> Result<(), String> {
    let Ok(serde_json::Value::Object(document)) = serde_json::from_slice(message) else {
        return Ok(());
    };
    for field in ["sealed_at", "made_at"] {
        let Some(value) = document.get(field) else {
            continue;
        };
        let at = value
            .as_str()
            .and_then(|text| chrono::DateTime::parse_from_rfc3339(text).ok())
            .ok_or_else(|| format!("{field} is not a time: {value}"))?;
        let off = chrono::Utc::now().signed_duration_since(at).abs();
        if off > CLOCK_SLACK {
            return Err(format!(
                "{field} {value} is {} s from the service's clock: signed only at the time it says",
                off.num_seconds()
            ));
        }
    }
    Ok(())
}

/// The service's key, certificate and court's certificate as they are now.
fn sealer(folder: &Path, signing: &Signing) -> Result<super::Sealer, String> {
    let keys = folder.join("keys");
    if std::fs::symlink_metadata(Keys::secret_file(&keys)).is_err() {
        return Err(format!(
            "the courtroom key {} is gone; it made {} signatures here (see {})",
            Keys::secret_file(&keys).display(),
            signed(folder),
            folder.join(LOG).display()
        ));
    }
    super::Sealer::load(&keys, signing).map_err(|error| error.to_string())
}

/// How many signatures the log holds.
pub fn signed(folder: &Path) -> usize {
    std::fs::read(folder.join(LOG))
        .map(|bytes| bytes.iter().filter(|&&byte| byte == b'\n').count())
        .unwrap_or(0)
}

fn append(path: &Path, line: &str, log: &Mutex<()>) -> std::io::Result<()> {
    let _one_at_a_time = log.locked();
    let new = std::fs::symlink_metadata(path).is_err();
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .mode(0o640)
        .open(path)?;
    file.write_all(format!("{line}\n").as_bytes())?;
    file.sync_data()?;
    // A new log's name is on the disk before the first signature it records leaves.
    if new {
        crate::paths::sync_folder(crate::paths::folder_of(path));
    }
    Ok(())
}

/// The login name of `uid` (from the password file), else its number.
fn user_name(uid: u32) -> String {
    std::fs::read_to_string("/etc/passwd")
        .ok()
        .and_then(|passwd| {
            passwd.lines().find_map(|line| {
                let mut fields = line.split(':');
                let name = fields.next()?;
                (fields.nth(1)?.parse::<u32>().ok()? == uid).then(|| name.to_owned())
            })
        })
        .unwrap_or_else(|| format!("uid {uid}"))
}
