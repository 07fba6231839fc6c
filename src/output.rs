//! Where a path a person chose may be written: never over a record.
//!
//! Every command and dialog that writes where it is told (a disc image, a clip, a printable
//! page, an exported key, a check report) asks here first. A path inside the data folder is
//! refused whole (the database, the recordings, the keys live there); an existing file is
//! never replaced, except a disc image Hattama itself made, and then only when asked to
//! (`--force`). The write itself is [`write_new`]: the file appears whole under its name or
//! not at all, and a file that appears there meanwhile is not replaced either.

use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::problem::Problem;
use crate::tr;

/// What is about to be written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    /// A case disc image (`.iso`): an older image Hattama made may be replaced on request.
    DiscImage,
    /// Any other file: a page, a key, a report.
    File,
    /// A new folder (a clip).
    Folder,
}

#[derive(Debug, Clone, thiserror::Error)]
pub enum OutputError {
    #[error("{path} is inside the data folder {data}: nothing is written there but by Hattama")]
    InsideData { path: PathBuf, data: PathBuf },
    #[error("{path} already exists and is not a disc image Hattama made: it is not replaced")]
    NotOurs { path: PathBuf },
    #[error("{path} is a disc image Hattama made: it is replaced only with --force")]
    OursWithoutForce { path: PathBuf },
    #[error("{path} already exists: it is not replaced")]
    Exists { path: PathBuf },
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: Arc<std::io::Error>,
    },
}

impl OutputError {
    fn io(path: &Path, source: std::io::Error) -> Self {
        OutputError::Io {
            path: path.to_owned(),
            source: Arc::new(source),
        }
    }

    pub fn path(&self) -> &Path {
        match self {
            OutputError::InsideData { path, .. }
            | OutputError::NotOurs { path }
            | OutputError::OursWithoutForce { path }
            | OutputError::Exists { path }
            | OutputError::Io { path, .. } => path,
        }
    }
}

impl Problem for OutputError {
    fn title(&self) -> String {
        let path = self.path().display().to_string();
        match self {
            OutputError::InsideData { .. } => tr!("output-inside-data", path = path),
            OutputError::NotOurs { .. } | OutputError::Exists { .. } => {
                tr!("output-exists", path = path)
            }
            OutputError::OursWithoutForce { .. } => tr!("output-ours", path = path),
            OutputError::Io { .. } => tr!("output-failed", path = path),
        }
    }

    fn help(&self) -> String {
        match self {
            OutputError::InsideData { .. } => tr!("output-inside-data-help"),
            OutputError::NotOurs { .. } | OutputError::Exists { .. } => tr!("output-exists-help"),
            OutputError::OursWithoutForce { .. } => tr!("output-ours-help"),
            OutputError::Io { .. } => tr!("output-failed-help"),
        }
    }
}

/// Whether `path` may be written as `output`, `data` being the data folder. `force` lets a
/// disc image Hattama made be replaced (and nothing else).
pub fn may_write(path: &Path, data: &Path, output: Output, force: bool) -> Result<(), OutputError> {
    if inside(path, data) {
        return Err(OutputError::InsideData {
            path: path.to_owned(),
            data: data.to_owned(),
        });
    }
    let meta = match std::fs::symlink_metadata(path) {
        Ok(meta) => meta,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(error) => return Err(OutputError::io(path, error)),
    };
    if output != Output::DiscImage || !meta.is_file() {
        return Err(match output {
            Output::DiscImage => OutputError::NotOurs {
                path: path.to_owned(),
            },
            _ => OutputError::Exists {
                path: path.to_owned(),
            },
        });
    }
    match (made_by_hattama(path), force) {
        (true, true) => Ok(()),
        (true, false) => Err(OutputError::OursWithoutForce {
            path: path.to_owned(),
        }),
        (false, _) => Err(OutputError::NotOurs {
            path: path.to_owned(),
        }),
    }
}

/// Whether `path`, once its links and `..` are resolved as far as it exists, lies in `data`.
pub fn inside(path: &Path, data: &Path) -> bool {
    let resolved = resolve(path);
    let data = resolve(data);
    resolved.starts_with(&data)
}

/// `path` made absolute with its existing part resolved (links, `..`), the rest appended.
fn resolve(path: &Path) -> PathBuf {
    let absolute = if path.is_absolute() {
        path.to_owned()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(real) = existing.canonicalize() {
            return rest.iter().rev().fold(real, |path, name| path.join(name));
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_owned());
                existing = parent;
            }
            _ => return absolute,
        }
    }
}

/// Whether the file is an ISO 9660 image whose application id is Hattama's (a regular file,
/// never read through a link: a FIFO there is not waited on).
pub fn made_by_hattama(path: &Path) -> bool {
    // The primary volume descriptor is sector 16; its application id is at byte 574.
    const DESCRIPTOR: u64 = 16 * 2048;
    let mut bytes = [0u8; 574 + 8];
    let read = crate::digest::open_regular(path).is_ok_and(|mut file| {
        file.seek(SeekFrom::Start(DESCRIPTOR)).is_ok() && file.read_exact(&mut bytes).is_ok()
    });
    read && bytes[0] == 1 && &bytes[1..6] == b"CD001" && &bytes[574..] == b"HATTAMA "
}

/// Writes `bytes` at `path`, which must not exist: through a temporary file beside it, on
/// disk before the name appears, and never over a file that appeared meanwhile.
pub fn write_new(path: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    let folder = crate::paths::folder_of(path);
    let mut temporary = tempfile::Builder::new()
        .prefix(".hattama-")
        .tempfile_in(folder)
        .map_err(|error| OutputError::io(path, error))?;
    temporary
        .write_all(bytes)
        .and_then(|()| temporary.as_file().sync_all())
        .map_err(|error| OutputError::io(path, error))?;
    rename_new(temporary.path(), path)?;
    // The name now belongs to the new file; the guard must not remove it.
    let _ = temporary.into_temp_path().keep();
    crate::paths::sync_folder(folder);
    Ok(())
}

/// Writes a file a person chose the place of (a page, a key, a report): refused inside the
/// data folder and over anything that exists.
pub fn write_chosen(path: &Path, data: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    may_write(path, data, Output::File, false)?;
    write_new(path, bytes)
}

/// Gives `from` the name `to`: never over anything there, except, when `replace_own_image`,
/// a disc image Hattama made.
pub fn rename_image(from: &Path, to: &Path, replace_own_image: bool) -> Result<(), OutputError> {
    if !replace_own_image || std::fs::symlink_metadata(to).is_err() {
        return rename_new(from, to);
    }
    if !made_by_hattama(to) {
        return Err(OutputError::NotOurs {
            path: to.to_owned(),
        });
    }
    std::fs::rename(from, to).map_err(|error| OutputError::io(to, error))
}

/// Renames `from` to `to` only if nothing is at `to` (Linux's `RENAME_NOREPLACE`).
pub fn rename_new(from: &Path, to: &Path) -> Result<(), OutputError> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    match renameat_with(CWD, from, CWD, to, RenameFlags::NOREPLACE) {
        Ok(()) => Ok(()),
        Err(rustix::io::Errno::EXIST) => Err(OutputError::Exists {
            path: to.to_owned(),
        }),
        Err(error) => Err(OutputError::io(to, error.into())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_inside_the_data_folder_and_nothing_existing_is_written() {
        let folder = tempfile::tempdir().expect("folder");
        let data = folder.path().join("data");
        std::fs::create_dir_all(data.join("sessions")).expect("data");
        let database = data.join("hattama.sqlite3");
        std::fs::write(&database, b"SQLite format 3\0").expect("database");
        for path in [
            database.clone(),
            data.join("sessions/new.iso"),
            data.join("sessions/../../data/x.iso"),
        ] {
            assert!(matches!(
                may_write(&path, &data, Output::DiscImage, true),
                Err(OutputError::InsideData { .. })
            ));
        }
        // Through a link to the data folder too.
        let link = folder.path().join("link");
        std::os::unix::fs::symlink(&data, &link).expect("link");
        assert!(matches!(
            may_write(&link.join("x.html"), &data, Output::File, false),
            Err(OutputError::InsideData { .. })
        ));
        let recording = folder.path().join("recording-001.mkv");
        std::fs::write(&recording, b"\x1aE\xdf\xa3").expect("recording");
        assert!(matches!(
            may_write(&recording, &data, Output::DiscImage, true),
            Err(OutputError::NotOurs { .. })
        ));
        assert!(matches!(
            may_write(&recording, &data, Output::File, false),
            Err(OutputError::Exists { .. })
        ));
        assert!(matches!(
            may_write(folder.path(), &data, Output::DiscImage, true),
            Err(OutputError::NotOurs { .. })
        ));
        let new = folder.path().join("case.iso");
        may_write(&new, &data, Output::DiscImage, false).expect("a new file may be written");
        write_new(&new, b"image").expect("written");
        assert!(matches!(
            write_new(&new, b"again"),
            Err(OutputError::Exists { .. })
        ));
        assert_eq!(std::fs::read(&new).expect("read"), b"image");
        let left: Vec<_> = std::fs::read_dir(folder.path())
            .expect("listed")
            .map(|e| e.expect("entry").file_name())
            .filter(|n| n.to_string_lossy().starts_with(".hattama-"))
            .collect();
        assert!(left.is_empty(), "temporary files left: {left:?}");
    }

    #[test]
    fn only_a_hattama_image_is_replaced_and_only_when_asked() {
        let folder = tempfile::tempdir().expect("folder");
        let data = folder.path().join("data");
        let image = folder.path().join("case.iso");
        let mut bytes = vec![0u8; 17 * 2048];
        bytes[16 * 2048] = 1;
        bytes[16 * 2048 + 1..16 * 2048 + 6].copy_from_slice(b"CD001");
        bytes[16 * 2048 + 574..16 * 2048 + 582].copy_from_slice(b"HATTAMA ");
        std::fs::write(&image, &bytes).expect("image");
        assert!(made_by_hattama(&image));
        assert!(matches!(
            may_write(&image, &data, Output::DiscImage, false),
            Err(OutputError::OursWithoutForce { .. })
        ));
        may_write(&image, &data, Output::DiscImage, true).expect("replaced when forced");
        assert!(matches!(
            may_write(&image, &data, Output::File, true),
            Err(OutputError::Exists { .. })
        ));
    }
}
