//! Every path Hattama uses, in one place.

use std::path::{Path, PathBuf};

use directories::ProjectDirs;

/// The court's configuration, beneath every user's own.
pub const SYSTEM_FILE: &str = "/etc/hattama/config.toml";

/// Where the configuration and the data live.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paths {
    /// The user's own configuration (the one the window writes).
    pub config_file: PathBuf,
    /// The court's configuration under it (`/etc/hattama/config.toml`), unless a file was
    /// named with `--config`.
    pub system_config: Option<PathBuf>,
    pub data: PathBuf,
    /// The data folder is the workstation's, shared by its secretaries (`[workstation]
    /// data`): what is made in it is the group's to read and write too.
    pub shared: bool,
}

impl Paths {
    /// The user's folders (`~/.config/hattama`, `~/.local/share/hattama` on Linux),
    /// with `config` and `data` overriding them when given.
    pub fn new(config: Option<PathBuf>, data: Option<PathBuf>) -> Self {
        let dirs = ProjectDirs::from("kz", "Hattama", "hattama");
        let system_config = config.is_none().then(|| PathBuf::from(SYSTEM_FILE));
        let config_file = config.unwrap_or_else(|| match &dirs {
            Some(dirs) => dirs.config_dir().join("config.toml"),
            None => PathBuf::from("hattama.toml"),
        });
        let data = data.unwrap_or_else(|| match &dirs {
            Some(dirs) => dirs.data_dir().to_path_buf(),
            None => PathBuf::from("hattama-data"),
        });
        Self {
            config_file,
            system_config,
            data,
            shared: false,
        }
    }

    /// These paths with the workstation's shared data folder `folder` (`[workstation]
    /// data`), unless a data folder was named. From here on, what this process makes is
    /// its group's too (umask 007): the folder's group (`hattama`, set-group-ID) is the
    /// courtroom's secretaries, and a file one of them made the next one must be able to
    /// write (the database, its journal, a part's lock).
    /// A data folder named with `--data` that is the workstation's (the court's units
    /// name it) is shared all the same.
    pub fn on_workstation(mut self, folder: &str, named: bool) -> Self {
        let folder = Path::new(folder.trim());
        if folder.as_os_str().is_empty() || (named && self.data != folder) {
            return self;
        }
        self.data = folder.to_owned();
        self.shared = true;
        rustix::process::umask(rustix::fs::Mode::from_bits_truncate(0o007));
        self
    }

    pub fn database(&self) -> PathBuf {
        self.data.join("hattama.sqlite3")
    }

    /// The folder holding one folder per session, each holding its parts.
    pub fn sessions(&self) -> PathBuf {
        self.data.join("sessions")
    }

    /// Journals of uploads under way, so an interrupted one resumes where it stopped.
    pub fn uploads(&self) -> PathBuf {
        self.data.join("uploads")
    }

    /// The court's signing key and the public keys it trusts.
    pub fn keys(&self) -> PathBuf {
        self.data.join("keys")
    }

    /// Where restore downloads a part before it takes its place, and keeps a damaged copy
    /// it replaced (`<session>/part-NN.damaged-<time>`): outside `sessions/`, so nothing
    /// here is ever taken for a part of the record.
    pub fn set_aside(&self) -> PathBuf {
        self.data.join("set-aside")
    }

    /// The user's own encoding profiles, beside the built-in ones.
    pub fn profiles(&self) -> PathBuf {
        self.data.join("profiles")
    }
}

/// The free space of a file system could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}: cannot read its free space: {source}", .path.display())]
pub struct NoFreeSpace {
    pub path: PathBuf,
    pub source: rustix::io::Errno,
}

/// Free bytes (for an unprivileged writer) where `path` is, or its nearest existing parent.
pub fn free_bytes(path: &Path) -> Result<u64, NoFreeSpace> {
    let existing = path
        .ancestors()
        .find(|p| p.exists())
        .unwrap_or(Path::new("/"));
    let stat = rustix::fs::statvfs(existing).map_err(|source| NoFreeSpace {
        path: existing.to_owned(),
        source,
    })?;
    Ok(stat.f_bavail.saturating_mul(stat.f_frsize))
}

/// The folder `path` is in (`.` for a bare file name).
pub fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(folder) if !folder.as_os_str().is_empty() => folder,
        _ => Path::new("."),
    }
}

/// Makes a new or renamed entry in `folder` durable.
pub fn sync_folder(folder: &Path) {
    if let Ok(folder) = std::fs::File::open(folder) {
        let _ = folder.sync_all();
    }
}

/// `create_dir_all` whose new folders survive a power cut: the folder holding each new one
/// is synced, so its name is on the disk before this returns (a name is durable only once
/// its folder is synced; `fsync` of the files inside does not make it so).
pub fn create_folder_all(path: &Path) -> std::io::Result<()> {
    let mut missing = Vec::new();
    let mut at = path;
    while !at.as_os_str().is_empty() && std::fs::symlink_metadata(at).is_err() {
        missing.push(at);
        match at.parent() {
            Some(parent) => at = parent,
            None => break,
        }
    }
    std::fs::create_dir_all(path)?;
    for folder in missing.iter().rev() {
        let holder = folder_of(folder);
        std::fs::File::open(holder)?.sync_all()?;
    }
    Ok(())
}

/// Replaces `path` with `bytes` all at once, on disk before it returns: a crash leaves the
/// old file or the new one, never half of one. The temporary file is `<name>.tmp` beside it,
/// so files that differ only in their extension never share one.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_atomically_mode(path, bytes, 0o666)
}

/// [`write_atomically`] for a file only its owner may read (0600: a user's configuration,
/// which may hold tokens and passwords), never readable by others for an instant.
pub fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_atomically_mode(path, bytes, 0o600)
}

fn write_atomically_mode(path: &Path, bytes: &[u8], mode: u32) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    let mut name = path.file_name().unwrap_or_default().to_owned();
    name.push(".tmp");
    let temporary = path.with_file_name(name);
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(mode)
        .open(&temporary)?;
    // A temporary left by an earlier try keeps its mode: set it whole.
    if mode != 0o666 {
        file.set_permissions(std::fs::Permissions::from_mode(mode))?;
    }
    file.write_all(bytes)?;
    file.sync_all()?;
    std::fs::rename(&temporary, path)?;
    if let Some(folder) = path.parent() {
        sync_folder(folder);
    }
    Ok(())
}

/// The files inside one session part's folder.
pub struct PartFiles<'a>(pub &'a Path);

impl PartFiles<'_> {
    /// The recording is a numbered sequence of Matroska files (`recording-001.mkv`, …),
    /// each closed at a size or length limit and playable alone; their timestamps run on
    /// from one file to the next, so each shows the part's own recording time.
    pub const RECORDING_PREFIX: &'static str = "recording-";
    pub const RECORDING_EXTENSION: &'static str = "mkv";
    /// The same pattern, as GStreamer's splitmuxsink takes it.
    pub const RECORDING_PATTERN: &'static str = "recording-%03d.mkv";
    pub const LOCK: &'static str = "part.lock";
    /// The mix alone, in Opus, for the electronic archive (rule 25).
    pub const AUDIO: &'static str = "audio.opus";

    /// Whether `name` is one of the recording's files.
    pub fn is_recording(name: &str) -> bool {
        name.strip_prefix(Self::RECORDING_PREFIX)
            .and_then(|rest| rest.strip_suffix(".mkv"))
            .is_some_and(|number| number.len() >= 3 && number.chars().all(|c| c.is_ascii_digit()))
    }

    /// The recording's file number `number` (from 1).
    pub fn recording(&self, number: u32) -> PathBuf {
        self.0.join(format!(
            "{}{number:03}.{}",
            Self::RECORDING_PREFIX,
            Self::RECORDING_EXTENSION
        ))
    }

    /// The recording's files present in the folder, in recording order.
    pub fn recordings(&self) -> Vec<PathBuf> {
        let mut found: Vec<PathBuf> = std::fs::read_dir(self.0)
            .into_iter()
            .flatten()
            .flatten()
            .filter(|entry| Self::is_recording(&entry.file_name().to_string_lossy()))
            .map(|entry| entry.path())
            .collect();
        // Zero-padded numbers sort as text, up to 999 files; past that, by length first.
        found.sort_by_key(|path| {
            let name = path.file_name().unwrap_or_default().to_string_lossy().len();
            (name, path.clone())
        });
        found
    }

    pub fn audio(&self) -> PathBuf {
        self.0.join(Self::AUDIO)
    }

    /// The technical acts attached to the session's protocol (rule 29), as printable pages.
    pub fn acts(&self) -> Vec<PathBuf> {
        let mut found: Vec<PathBuf> = std::fs::read_dir(self.0)
            .into_iter()
            .flatten()
            .flatten()
            .map(|entry| entry.path())
            .filter(|path| {
                path.file_name().is_some_and(|name| {
                    let name = name.to_string_lossy();
                    name.starts_with("technical-act-") && name.ends_with(".html")
                })
            })
            .collect();
        found.sort();
        found
    }

    /// Held (flock) by the process recording the part, so recovery never touches a live part.
    pub fn lock(&self) -> PathBuf {
        self.0.join(Self::LOCK)
    }

    /// Where a repaired copy of `recording` is written before it atomically replaces it.
    pub fn repairing(recording: &Path) -> PathBuf {
        recording.with_extension("repairing")
    }
}

/// A file or folder name made from free text (a case number such as `2-1234/2026`):
/// letters of any script, digits, `-` and `_` are kept, everything else becomes `-`.
pub fn file_name_part(text: &str) -> String {
    let mut cleaned = String::new();
    for c in text.trim().chars() {
        let c = if c.is_alphanumeric() || c == '_' {
            c
        } else {
            '-'
        };
        if !(c == '-' && cleaned.ends_with('-')) {
            cleaned.push(c);
        }
    }
    let cleaned = cleaned.trim_matches('-');
    if cleaned.is_empty() {
        "-".to_owned()
    } else {
        cleaned.chars().take(40).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_numbers_become_safe_names() {
        assert_eq!(file_name_part("2-1234/2026"), "2-1234-2026");
        assert_eq!(file_name_part(" Іс №7 "), "Іс-7");
        assert_eq!(file_name_part("../.."), "-");
    }

    #[test]
    fn recording_files_are_found_in_order() {
        let folder = tempfile::tempdir().expect("temporary folder");
        let files = PartFiles(folder.path());
        for name in [
            "recording-002.mkv",
            "recording-1000.mkv",
            "recording-001.mkv",
            "recording-001.repairing",
            "recording.mkv",
            "recording-01.mkv",
            "audio.opus",
        ] {
            std::fs::write(folder.path().join(name), b"").expect("written");
        }
        assert_eq!(
            files.recordings(),
            [
                files.recording(1),
                files.recording(2),
                files.recording(1000)
            ]
        );
    }

    #[test]
    fn overrides_win() {
        let paths = Paths::new(Some("/c/x.toml".into()), Some("/d".into()));
        assert_eq!(paths.config_file, PathBuf::from("/c/x.toml"));
        assert_eq!(paths.database(), PathBuf::from("/d/hattama.sqlite3"));
    }

    #[test]
    fn a_file_is_replaced_whole_and_no_temporary_is_left() {
        let folder = tempfile::tempdir().expect("temporary folder");
        let text = folder.path().join("protocol.txt");
        let json = folder.path().join("protocol.json");
        write_atomically(&text, b"old").expect("written");
        write_atomically(&text, "жаңа".as_bytes()).expect("replaced");
        write_atomically(&json, b"{}").expect("written");
        assert_eq!(std::fs::read_to_string(&text).expect("read"), "жаңа");
        assert_eq!(std::fs::read_to_string(&json).expect("read"), "{}");
        let mut names: Vec<_> = std::fs::read_dir(folder.path())
            .expect("listed")
            .map(|e| e.expect("entry").file_name())
            .collect();
        names.sort();
        assert_eq!(names, ["protocol.json", "protocol.txt"]);
    }
}
