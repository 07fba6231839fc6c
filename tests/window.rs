//! The real window under Xvfb: it opens and draws in each language, and the secretary's
//! recording screen records with its indicator lit. Screenshots are kept for people to
//! look at (`$CARGO_TARGET_TMPDIR/window-*.png`; with `HATTAMA_SCREENSHOTS=folder` they
//! are also copied there: `make screenshots` renews the README's).

mod common;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::*;
use hattama::config::{Config, Language};
use hattama::session::{Category, Participant, Role};
use hattama::store::{NewSession, Store};

const WIDTH: u32 = 1280;
const HEIGHT: u32 = 800;
/// The recording indicator's red (`screen::session::view::RED`).
const RECORDING_RED: [u8; 3] = [199, 20, 20];

struct Killed(Child);

impl Drop for Killed {
    /// SIGTERM first, so an X server removes its lock and socket (and the window ends as
    /// it does when closed); SIGKILL only if it does not end within a few seconds.
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.0.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(3);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.0.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Whether display `number` is free: no lock, or the lock of a server that is gone (whose
/// leftovers are removed, so the new server's socket is the one waited for).
fn display_free(number: u32) -> bool {
    let lock = format!("/tmp/.X{number}-lock");
    let Ok(pid) = std::fs::read_to_string(&lock) else {
        return !Path::new(&format!("/tmp/.X11-unix/X{number}")).exists();
    };
    if Path::new(&format!("/proc/{}", pid.trim())).exists() {
        return false;
    }
    let _ = std::fs::remove_file(&lock);
    let _ = std::fs::remove_file(format!("/tmp/.X11-unix/X{number}"));
    true
}

/// An X server of its own.
struct Display {
    number: u32,
    _server: Killed,
}

impl Display {
    fn start() -> Self {
        let xvfb_present = Command::new("Xvfb").arg("-help").output().is_ok();
        assert!(xvfb_present, "Xvfb is installed (make test installs it)");
        let number = (90..190)
            .find(|n| display_free(*n))
            .expect("a free X display number");
        let server = Killed(
            Command::new("Xvfb")
                .arg(format!(":{number}"))
                .args([
                    "-screen",
                    "0",
                    &format!("{WIDTH}x{HEIGHT}x24"),
                    "-nolisten",
                    "tcp",
                ])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("Xvfb starts"),
        );
        let socket = format!("/tmp/.X11-unix/X{number}");
        let deadline = Instant::now() + Duration::from_secs(10);
        while !Path::new(&socket).exists() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(50));
        }
        Self {
            number,
            _server: server,
        }
    }

    fn name(&self) -> String {
        format!(":{}", self.number)
    }

    fn launch(&self, language: &str, data: &Path, args: &[&str]) -> Killed {
        Killed(
            hattama()
                .env("LANG", language)
                .env("DISPLAY", self.name())
                .env_remove("WAYLAND_DISPLAY")
                .arg("--data")
                .arg(data)
                .args(args)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("hattama starts"),
        )
    }

    /// The screen's pixels (RGB), also saved as `png`.
    fn screenshot(&self, png: &Path) -> Vec<[u8; 3]> {
        let grab = |format: &[&str], target: &str| {
            Command::new("ffmpeg")
                .args(["-v", "error", "-y", "-f", "x11grab", "-video_size"])
                .arg(format!("{WIDTH}x{HEIGHT}"))
                .arg("-i")
                .arg(self.name())
                .args(["-frames:v", "1"])
                .args(format)
                .arg(target)
                .output()
                .expect("ffmpeg runs")
        };
        let _ = grab(&[], png.to_str().expect("UTF-8"));
        let raw = grab(&["-f", "rawvideo", "-pix_fmt", "rgb24"], "-");
        raw.stdout
            .chunks_exact(3)
            .map(|p| [p[0], p[1], p[2]])
            .collect()
    }

    /// Screenshots until `done` says the picture is right, or a minute has passed (a
    /// software-rendered window on a busy two-core machine can take long to first draw).
    fn wait_for_picture(
        &self,
        png: &Path,
        done: impl Fn(&[[u8; 3]]) -> bool,
    ) -> (bool, Vec<[u8; 3]>) {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            std::thread::sleep(Duration::from_millis(500));
            let pixels = self.screenshot(png);
            if done(&pixels) {
                return (true, pixels);
            }
            if Instant::now() > deadline {
                return (false, pixels);
            }
        }
    }

    /// Screenshots until two in a row are the same (the window has finished drawing), or a
    /// minute has passed; returns the last.
    fn wait_until_still(&self, png: &Path) -> Vec<[u8; 3]> {
        let previous = std::cell::RefCell::new(self.screenshot(png));
        let (still, pixels) = self.wait_for_picture(png, |pixels| {
            let same = pixels == previous.borrow().as_slice();
            *previous.borrow_mut() = pixels.to_vec();
            same
        });
        assert!(
            still,
            "the window kept changing for a minute, see {}",
            png.display()
        );
        pixels
    }

    /// Key presses sent to Hattama's window.
    fn keys(&self, keys: &[&str]) {
        // Hattama's is the only window on this display (a title in Cyrillic does not
        // match xdotool's patterns reliably, so any name will do).
        let status = Command::new("timeout")
            .args([
                "20",
                "xdotool",
                "search",
                "--sync",
                "--onlyvisible",
                "--name",
                ".",
            ])
            .args(["windowfocus", "--sync"])
            .env("DISPLAY", self.name())
            .status()
            .expect("xdotool runs (make test installs it)");
        assert!(status.success(), "the window is found");
        for key in keys {
            let status = Command::new("xdotool")
                .env("DISPLAY", self.name())
                .args(["key", "--delay", "100", key])
                .status()
                .expect("xdotool runs");
            assert!(status.success());
            std::thread::sleep(Duration::from_millis(300));
        }
    }
}

fn distinct_colours(pixels: &[[u8; 3]]) -> usize {
    let mut colours = pixels.to_vec();
    colours.sort_unstable();
    colours.dedup();
    colours.len()
}

fn share_of(pixels: &[[u8; 3]], colour: [u8; 3]) -> f64 {
    let near = |p: &[u8; 3]| p.iter().zip(colour).all(|(a, b)| a.abs_diff(b) <= 6);
    pixels.iter().filter(|p| near(p)).count() as f64 / pixels.len().max(1) as f64
}

fn keep(png: &Path) {
    if let Some(folder) = std::env::var_os("HATTAMA_SCREENSHOTS") {
        let folder = PathBuf::from(folder);
        std::fs::create_dir_all(&folder).expect("screenshot folder");
        std::fs::copy(png, folder.join(png.file_name().expect("name"))).expect("copied");
    }
}

fn shot(name: &str) -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("window-{name}.png"))
}

#[test]
fn the_window_opens_and_draws_in_each_language() {
    // Windows draw in software: one test's windows at a time.
    let _turn = one_recording_at_a_time();
    let display = Display::start();
    for language in ["kk_KZ.UTF-8", "ru_RU.UTF-8", "en_US.UTF-8"] {
        let data = tempfile::tempdir().expect("temporary folder");
        let mut window = display.launch(language, data.path(), &[]);
        let png = shot(&format!("setup-{language}"));
        let (drawn, pixels) = display.wait_for_picture(&png, |p| distinct_colours(p) > 20);
        assert!(
            window.0.try_wait().expect("status").is_none(),
            "{language}: the window is still open"
        );
        assert!(
            drawn,
            "{language}: the window drew text ({} colours), see {}",
            distinct_colours(&pixels),
            png.display()
        );
        assert!(
            data.path().join("hattama.sqlite3").exists(),
            "{language}: start-up opened the store"
        );
    }
}

/// A court set up in `language`, with today's sessions; the id of the one to record.
fn courtroom(folder: &Path, language: Language) -> (PathBuf, i64) {
    let mut config = Config {
        language,
        ..Config::default()
    };
    config.court.name = match language {
        Language::Kk => "Астана қаласының №2 аудандық соты",
        _ => "Районный суд №2 города Астаны",
    }
    .to_owned();
    config.court.hall = "5".to_owned();
    config.operator.name = "Айгүл Серікова".to_owned();
    let config_file = folder.join("config.toml");
    config.save(&config_file).expect("config written");
    let mut store = Store::open(&folder.join("hattama.sqlite3")).expect("store");
    let session = |number: &str, category, judge: &str, people: Vec<Participant>| NewSession {
        case_number: number.to_owned(),
        court: config.court.name.clone(),
        hall: "5".to_owned(),
        instance: "first".to_owned(),
        category,
        judge: judge.to_owned(),
        operator_name: "Айгүл Серікова".to_owned(),
        operator_role: "secretary".to_owned(),
        participants: people,
    };
    store
        .open_session(&session(
            "7199-26-00-2/1520",
            Category::Civil,
            "Мұқанов Е.Б.",
            vec![
                Participant::new("Жақсылықов Арман", Role::Plaintiff),
                Participant::new("ТОО «Астана Құрылыс»", Role::Defendant),
            ],
        ))
        .expect("session");
    store
        .open_session(&session(
            "7199-26-00-1/88",
            Category::Criminal,
            "Омарова Д.С.",
            vec![
                Participant::new("Петров Сергей", Role::Accused),
                Participant::new("Алиева Гүлнар", Role::Prosecutor),
            ],
        ))
        .expect("session");
    let recorded = store
        .open_session(&session(
            "7199-26-00-2/1544",
            Category::Civil,
            "Мұқанов Е.Б.",
            vec![
                Participant::new("Иванова Мария", Role::Plaintiff),
                Participant::new("Сейітов Болат", Role::Defendant),
                Participant::new("Ахметов Серік", Role::Witness).remote("Қарағанды облыстық соты"),
            ],
        ))
        .expect("session");
    (config_file, recorded)
}

#[test]
fn the_sessions_list_and_the_recording_screen_in_kazakh_and_russian() {
    let _turn = one_recording_at_a_time();
    let display = Display::start();
    for (code, language) in [("kk", Language::Kk), ("ru", Language::Ru)] {
        let data = tempfile::tempdir().expect("temporary folder");
        let (config, session) = courtroom(data.path(), language);
        let config = config.to_str().expect("UTF-8");

        let list = shot(&format!("sessions-{code}"));
        {
            let _window = display.launch("en_US.UTF-8", data.path(), &["--config", config]);
            let (drawn, pixels) = display.wait_for_picture(&list, |p| distinct_colours(p) > 20);
            assert!(
                drawn,
                "{code}: the list drew ({} colours)",
                distinct_colours(&pixels)
            );
            // The list filled in before it is kept.
            display.wait_until_still(&list);
            keep(&list);
        }

        let recording = shot(&format!("recording-{code}"));
        let id = session.to_string();
        let mut window = display.launch(
            "en_US.UTF-8",
            data.path(),
            &["--config", config, "--session", &id],
        );
        let (drawn, _) = display.wait_for_picture(&recording, |p| distinct_colours(p) > 20);
        assert!(drawn, "{code}: the session screen drew");
        assert!(
            share_of(&display.screenshot(&recording), RECORDING_RED) < 0.001,
            "{code}: not red before recording"
        );
        // Ctrl+R records; F1, F2, F3 (the remote witness's identity), F4: ready-made entries.
        display.keys(&["ctrl+r"]);
        let (red, pixels) =
            display.wait_for_picture(&recording, |p| share_of(p, RECORDING_RED) > 0.02);
        assert!(
            red,
            "{code}: the recording indicator is lit ({:.3} of the screen red), see {}",
            share_of(&pixels, RECORDING_RED),
            recording.display()
        );
        display.keys(&["F1", "F2", "F3", "F4"]);
        // The four entries are written before anything is judged.
        let store = Store::open(&data.path().join("hattama.sqlite3")).expect("store");
        let deadline = Instant::now() + Duration::from_secs(20);
        while store.entries(session).expect("entries").len() < 4 && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(50));
        }
        let pixels = display.screenshot(&recording);
        assert!(
            share_of(&pixels, RECORDING_RED) > 0.02,
            "{code}: still recording"
        );
        assert!(
            window.0.try_wait().expect("status").is_none(),
            "{code}: still open"
        );
        keep(&recording);

        let entries = store.entries(session).expect("entries");
        assert_eq!(entries.len(), 4, "{code}: the keys wrote four entries");
        assert!(
            entries.iter().all(|e| e.offset_ms.is_some()),
            "{code}: all in the recording"
        );
        assert!(
            entries[2].text.contains("Ахметов Серік"),
            "{}",
            entries[2].text
        );
    }
}

#[test]
fn a_part_folder_is_reviewed_in_the_window_and_plays() {
    let data = tempfile::tempdir().expect("temporary folder");
    let (config, _) = courtroom(data.path(), Language::Ru);
    let part = record_demo_part(data.path(), "7199-26-00-2/1600", 6, Some(&config));
    let _turn = one_recording_at_a_time();
    let display = Display::start();
    let png = shot("review-ru");
    let mut window = display.launch(
        "en_US.UTF-8",
        data.path(),
        &[
            "--config",
            config.to_str().expect("UTF-8"),
            "--review",
            part.to_str().expect("UTF-8"),
        ],
    );
    // The first frame of the demo camera: black, with its ball and burned-in clock, a
    // large part of the window.
    const BLACK: [u8; 3] = [0, 0, 0];
    let (drawn, paused) = display.wait_for_picture(&png, |p| share_of(p, BLACK) > 0.2);
    assert!(
        drawn,
        "the review shows the recording's first frame ({:.2} of the window black), see {}",
        share_of(&paused, BLACK),
        png.display()
    );
    let paused = display.wait_until_still(&png);
    display.keys(&["space"]);
    // Playing: the picture moves (the ball, the clock); waited for, a minute at most.
    let (_, playing) = display.wait_for_picture(&png, |p| {
        paused.iter().zip(p).filter(|(a, b)| a != b).count() > 1_000
    });
    assert!(
        share_of(&playing, BLACK) > 0.2,
        "the picture stays in view while playing ({:.2} black), see {}",
        share_of(&playing, BLACK),
        png.display()
    );
    let changed = paused.iter().zip(&playing).filter(|(a, b)| a != b).count();
    assert!(
        changed > 1_000,
        "Space plays: the picture moves ({changed} pixels changed), see {}",
        png.display()
    );
    keep(&png);
    assert!(window.0.try_wait().expect("status").is_none(), "still open");
}
