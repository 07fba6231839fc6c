//! Burning an image with xorriso (a subprocess, as the stock tool burns it), then reading the
//! disc back and comparing it with the image: SHA-256 over the image's length (a disc holds
//! the image and padding after it).
//!
//! Drives are xorriso's addresses: `/dev/sr0` for an optical drive, or `stdio:/path/file`,
//! xorriso's pseudo-drive writing into a file the same way (the tests burn to one).

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::DiscError;
use crate::digest::hex;

/// An optical drive xorriso found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Drive {
    /// What xorriso and Hattama take as `--drive`: `/dev/sr0`.
    pub address: String,
    /// Vendor and model, as the drive reports them.
    pub name: String,
}

fn xorriso_missing(error: std::io::Error) -> DiscError {
    DiscError::Burn(format!(
        "cannot run xorriso (Debian package xorriso): {error}"
    ))
}

/// The optical drives on this computer (`xorriso -devices`); none is an empty list.
pub fn drives() -> Result<Vec<Drive>, DiscError> {
    let output = Command::new("xorriso")
        .arg("-devices")
        .output()
        .map_err(xorriso_missing)?;
    let text = String::from_utf8_lossy(&output.stdout).into_owned()
        + &String::from_utf8_lossy(&output.stderr);
    Ok(parse_devices(&text))
}

/// Lines such as `0  -dev '/dev/sr0' rwrw-- :  'HL-DT-ST' 'DVDRAM GH24NSD1'`.
fn parse_devices(text: &str) -> Vec<Drive> {
    text.lines()
        .filter_map(|line| {
            let rest = line.split_once("-dev '")?.1;
            let (address, rest) = rest.split_once('\'')?;
            let name = rest
                .split_once(':')
                .map(|(_, names)| {
                    names
                        .split('\'')
                        .map(str::trim)
                        .filter(|part| !part.is_empty())
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .unwrap_or_default();
            Some(Drive {
                address: address.to_owned(),
                name,
            })
        })
        .collect()
}

/// `done` and `total` megabytes from a line such as
/// `xorriso : UPDATE :  123 of  143 MB written (fifo  0%) [buf  50%]`.
fn parse_progress(line: &str) -> Option<(u64, u64)> {
    let rest = line.split_once("UPDATE :")?.1;
    let (done, rest) = rest.split_once(" of ")?;
    let total = rest.trim_start().split_once(" MB written")?.0;
    Some((done.trim().parse().ok()?, total.trim().parse().ok()?))
}

/// Burns `image` to `drive`, calling `progress(done_mb, total_mb)` as xorriso reports it.
/// Setting `cancel` stops xorriso (a real disc is then unusable; a pseudo-drive file is
/// removed).
pub fn burn(
    image: &Path,
    drive: &str,
    progress: &(dyn Fn(u64, u64) + Sync),
    cancel: &AtomicBool,
) -> Result<(), DiscError> {
    let mut child = Command::new("xorriso")
        .args(["-as", "cdrecord", "-v", &format!("dev={drive}")])
        .arg(image)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(xorriso_missing)?;
    // xorriso says its progress on stderr and its closing report on stdout, both read on
    // their own threads while this one watches for cancel.
    let stdout = child.stdout.take().expect("piped");
    let stderr = child.stderr.take().expect("piped");
    let (status, report, said) = std::thread::scope(|scope| {
        let report = scope.spawn(move || {
            let mut text = String::new();
            let _ = BufReader::new(stdout).read_to_string(&mut text);
            text
        });
        let said = scope.spawn(move || {
            let mut said = Vec::new();
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some((done, total)) = parse_progress(&line) {
                    progress(done, total);
                }
                said.push(line);
            }
            said
        });
        let status = loop {
            if cancel.load(Ordering::Relaxed) {
                let _ = child.kill();
            }
            match child.try_wait() {
                Ok(Some(status)) => break Ok(status),
                Ok(None) => std::thread::sleep(std::time::Duration::from_millis(100)),
                Err(error) => break Err(error),
            }
        };
        (
            status,
            report.join().unwrap_or_default(),
            said.join().unwrap_or_default(),
        )
    });
    let status = status.map_err(xorriso_missing)?;
    if cancel.load(Ordering::Relaxed) {
        if let Some(file) = drive.strip_prefix("stdio:") {
            let _ = std::fs::remove_file(file);
        }
        return Err(DiscError::Cancelled);
    }
    let completed = report.contains("completed successfully")
        || said
            .iter()
            .any(|line| line.contains("completed successfully"));
    if !status.success() || !completed {
        let reason = said
            .iter()
            .map(String::as_str)
            .chain(report.lines())
            .rfind(|line| line.contains("FAILURE") || line.contains("SORRY"))
            .map(str::to_owned)
            .unwrap_or_else(|| format!("xorriso ended with {status}"));
        return Err(DiscError::Burn(reason));
    }
    Ok(())
}

/// What reading a burned disc back found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "result", rename_all = "kebab-case")]
pub enum ReadBack {
    /// The disc holds the image, byte for byte.
    Match { sha256: String, bytes: u64 },
    /// It does not: where the first difference is.
    Differs {
        image_sha256: String,
        disc_sha256: String,
        first_difference: u64,
    },
}

/// How the case inventory records a disc read back the same as its image.
pub const MATCHED: &str = "match";

impl ReadBack {
    pub fn matches(&self) -> bool {
        matches!(self, ReadBack::Match { .. })
    }

    /// How the case inventory records it.
    pub fn summary(&self) -> String {
        match self {
            ReadBack::Match { .. } => MATCHED.to_owned(),
            ReadBack::Differs {
                first_difference, ..
            } => format!(
                "differs from byte {first_difference} (sector {})",
                first_difference / 2048
            ),
        }
    }
}

/// The file or device a drive address reads from.
fn readable(drive: &str) -> PathBuf {
    PathBuf::from(drive.strip_prefix("stdio:").unwrap_or(drive))
}

/// Reads the disc in `drive` back over the image's length and compares.
pub fn read_back(image: &Path, drive: &str) -> Result<ReadBack, DiscError> {
    let length = std::fs::metadata(image)
        .map_err(|error| read_failed(image, error))?
        .len();
    let disc = readable(drive);
    let mut from_image = std::fs::File::open(image).map_err(|error| read_failed(image, error))?;
    let mut from_disc = std::fs::File::open(&disc).map_err(|error| read_failed(&disc, error))?;
    let (mut image_hash, mut disc_hash) = (Sha256::new(), Sha256::new());
    let (mut a, mut b) = (vec![0u8; 1 << 20], vec![0u8; 1 << 20]);
    let mut offset = 0u64;
    let mut first_difference = None;
    while offset < length {
        let want = ((length - offset) as usize).min(a.len());
        from_image
            .read_exact(&mut a[..want])
            .map_err(|error| read_failed(image, error))?;
        let got = read_up_to(&mut from_disc, &mut b[..want]).map_err(|e| read_failed(&disc, e))?;
        image_hash.update(&a[..want]);
        disc_hash.update(&b[..got]);
        if first_difference.is_none() {
            let differs = (0..want).find(|&i| i >= got || a[i] != b[i]);
            first_difference = differs.map(|i| offset + i as u64);
        }
        offset += want as u64;
        if got < want {
            // The disc ends before the image does.
            first_difference.get_or_insert(offset - (want - got) as u64);
            break;
        }
    }
    let image_sha256 = hex(&image_hash.finalize());
    let disc_sha256 = hex(&disc_hash.finalize());
    Ok(match first_difference {
        None => ReadBack::Match {
            sha256: image_sha256,
            bytes: length,
        },
        Some(first_difference) => ReadBack::Differs {
            image_sha256,
            disc_sha256,
            first_difference,
        },
    })
}

/// The SHA-256 of the `INVENTORY.json` inside an image (its contents hash in the case
/// inventory), read with xorriso; `None` for an image that is not a Hattama case disc.
pub fn contents_of(image: &Path) -> Option<String> {
    let folder = tempfile::tempdir().ok()?;
    let target = folder.path().join(super::image::INVENTORY);
    let status = Command::new("xorriso")
        .args(["-osirrox", "on", "-indev"])
        .arg(image)
        .arg("-extract")
        .arg(format!("/{}", super::image::INVENTORY))
        .arg(&target)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .ok()?;
    let bytes = status
        .success()
        .then(|| std::fs::read(&target).ok())
        .flatten()?;
    Some(hex(&Sha256::digest(&bytes)))
}

fn read_up_to(file: &mut std::fs::File, buffer: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buffer.len() {
        match file.read(&mut buffer[filled..])? {
            0 => break,
            n => filled += n,
        }
    }
    Ok(filled)
}

fn read_failed(path: &Path, error: std::io::Error) -> DiscError {
    DiscError::Read {
        path: path.to_owned(),
        source: Arc::new(error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drives_and_progress_are_read_from_xorriso() {
        let listed = "Beginning to scan for devices ...\n\
            0  -dev '/dev/sr0' rwrw-- :  'HL-DT-ST' 'DVDRAM GH24NSD1'\n\
            1  -dev '/dev/sr1' rwrw-- :  'ASUS    ' 'BW-16D1HT'\n";
        assert_eq!(
            parse_devices(listed),
            [
                Drive {
                    address: "/dev/sr0".into(),
                    name: "HL-DT-ST DVDRAM GH24NSD1".into()
                },
                Drive {
                    address: "/dev/sr1".into(),
                    name: "ASUS BW-16D1HT".into()
                }
            ]
        );
        assert!(parse_devices("xorriso : SORRY : No drives found").is_empty());
        assert_eq!(
            parse_progress("xorriso : UPDATE :  123 of  143 MB written (fifo  0%) [buf  50%]"),
            Some((123, 143))
        );
        assert_eq!(parse_progress("Beginning to write data track."), None);
    }
}
