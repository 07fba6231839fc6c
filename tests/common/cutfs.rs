//! The power-cut disk for tests: `cutfs` (tools/cutfs) mounted on a temporary folder, and
//! its switch. Only the tests built with the feature `testkit` have it.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Write};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use super::common::{require_root, text};

/// A mounted `cutfs`: unmounted when dropped.
pub struct CutDisk {
    pub path: PathBuf,
    control: PathBuf,
    child: Child,
    _folder: tempfile::TempDir,
}

impl CutDisk {
    pub fn mount() -> CutDisk {
        require_root("it mounts a FUSE filesystem");
        let folder = tempfile::tempdir().expect("temporary folder");
        let path = folder.path().join("disk");
        std::fs::create_dir(&path).expect("mount point");
        let control = folder.path().join("control");
        let mut child = Command::new(env!("CARGO_BIN_EXE_cutfs"))
            .arg(&path)
            .arg("--control")
            .arg(&control)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("cutfs starts");
        let mut ready = String::new();
        BufReader::new(child.stdout.take().expect("stdout is piped"))
            .read_line(&mut ready)
            .expect("cutfs answers");
        if ready.trim() != "ready" {
            let output = child.wait_with_output().expect("cutfs ended");
            panic!("cutfs did not mount: {}", text(&output.stderr));
        }
        CutDisk {
            path,
            control,
            child,
            _folder: folder,
        }
    }

    /// Sends one command and returns its answer, which must start with `ok`.
    pub fn ask(&self, command: &str) -> String {
        let mut stream = UnixStream::connect(&self.control).expect("cutfs's control socket");
        writeln!(stream, "{command}").expect("command sent");
        let mut answer = String::new();
        BufReader::new(stream)
            .read_line(&mut answer)
            .expect("cutfs answers");
        assert!(answer.starts_with("ok"), "cutfs {command}: {answer}");
        answer.trim().to_owned()
    }

    /// Cuts the power now: every write not synced is gone, every request fails until thawed.
    pub fn cut(&self) -> String {
        self.ask("cut")
    }

    /// Cuts the power before the `n`th change from now.
    pub fn cut_after(&self, n: u64) {
        self.ask(&format!("cut-after {n}"));
    }

    /// The power is back: the disk answers again (whatever ran before the cut is dead).
    pub fn thaw(&self) {
        self.ask("thaw");
    }

    /// Everything on the disk, as sync(1).
    pub fn sync(&self) {
        self.ask("sync");
    }

    pub fn snapshot(&self, name: &str) {
        self.ask(&format!("snapshot {name}"));
    }

    pub fn restore(&self, name: &str) {
        self.ask(&format!("restore {name}"));
    }

    fn status(&self, field: &str) -> String {
        let answer = self.ask("status");
        answer
            .split_whitespace()
            .find_map(|pair| pair.strip_prefix(&format!("{field}=")))
            .unwrap_or_else(|| panic!("cutfs status has {field}: {answer}"))
            .to_owned()
    }

    /// Changes (writes, syncs, names, sizes) made on the disk since it was mounted.
    pub fn changes(&self) -> u64 {
        self.status("changes").parse().expect("a number")
    }

    /// Whether the power is cut.
    pub fn frozen(&self) -> bool {
        self.status("frozen") == "1"
    }
}

impl Drop for CutDisk {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let _ = self.child.wait();
        if is_mounted(&self.path) {
            let _ = Command::new("umount").arg("-l").arg(&self.path).status();
        }
    }
}

fn is_mounted(path: &Path) -> bool {
    std::fs::read_to_string("/proc/self/mounts").is_ok_and(|mounts| {
        mounts
            .lines()
            .any(|line| line.contains(&*path.to_string_lossy()))
    })
}

/// A seeded pseudo-random sequence (SplitMix64): the seed is printed, and
/// `HATTAMA_CUT_SEED=<seed>` repeats a run's cuts.
pub struct Seeded {
    state: u64,
    /// The seed, for the figures.
    pub seed: u64,
}

impl Seeded {
    pub fn from_environment(what: &str) -> Seeded {
        let seed = std::env::var("HATTAMA_CUT_SEED")
            .ok()
            .and_then(|seed| seed.parse().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .expect("after 1970")
                    .as_nanos() as u64
            });
        eprintln!("{what}: seed {seed} (HATTAMA_CUT_SEED={seed} repeats these cuts)");
        Seeded { state: seed, seed }
    }

    pub fn next(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `low..=high`.
    pub fn between(&mut self, low: u64, high: u64) -> u64 {
        low + self.next() % (high - low + 1)
    }

    /// A number in `low..high`.
    pub fn real(&mut self, low: f64, high: f64) -> f64 {
        low + (high - low) * ((self.next() >> 11) as f64 / (1u64 << 53) as f64)
    }
}

/// How many cuts a scenario makes: `short` in `make test`, `long` with `HATTAMA_CUTS=long`
/// (`make crash`).
pub fn rounds(short: usize, long: usize) -> usize {
    match std::env::var("HATTAMA_CUTS").as_deref() {
        Ok("long") => long,
        _ => short,
    }
}

/// Writes a scenario's figures where `make crash` collects them (`HATTAMA_CUT_REPORT`).
pub fn report(scenario: &str, figures: serde_json::Value) {
    eprintln!("{scenario}: {figures}");
    if let Ok(folder) = std::env::var("HATTAMA_CUT_REPORT") {
        std::fs::create_dir_all(&folder).expect("report folder");
        std::fs::write(
            Path::new(&folder).join(format!("{scenario}.json")),
            serde_json::to_vec_pretty(&figures).expect("JSON"),
        )
        .expect("figures written");
    }
}

/// `PRAGMA integrity_check` of the data folder's database, as the next start would find it.
pub fn integrity(data: &Path) -> String {
    let database = data.join("hattama.sqlite3");
    if !database.exists() {
        return "ok (no database yet)".to_owned();
    }
    let connection = rusqlite::Connection::open(&database).expect("the database opens");
    connection
        .query_row("PRAGMA integrity_check", [], |row| row.get(0))
        .expect("integrity_check runs")
}
