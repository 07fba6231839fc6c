//! The real window under Xvfb: it opens, draws, stays up, and a screenshot is kept for people
//! to look at (`$CARGO_TARGET_TMPDIR/window-*.png`).

mod common;

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::*;

struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_display() -> u32 {
    (90..140)
        .find(|n| !Path::new(&format!("/tmp/.X11-unix/X{n}")).exists())
        .expect("a free X display number")
}

/// Distinct colours in a screenshot of the display, and the PNG saved beside it.
fn screenshot(display: u32, png: &Path) -> usize {
    let grab = |format: &[&str], target: &str| {
        Command::new("ffmpeg")
            .args([
                "-v",
                "error",
                "-y",
                "-f",
                "x11grab",
                "-video_size",
                "1024x640",
                "-i",
            ])
            .arg(format!(":{display}"))
            .args(["-frames:v", "1"])
            .args(format)
            .arg(target)
            .output()
            .expect("ffmpeg runs")
    };
    let _ = grab(&[], png.to_str().expect("UTF-8"));
    let raw = grab(&["-f", "rawvideo", "-pix_fmt", "rgb24"], "-");
    let mut colours: Vec<[u8; 3]> = raw
        .stdout
        .chunks_exact(3)
        .map(|p| [p[0], p[1], p[2]])
        .collect();
    colours.sort_unstable();
    colours.dedup();
    colours.len()
}

#[test]
fn the_window_opens_and_draws_in_each_language() {
    let xvfb_present = Command::new("Xvfb").arg("-help").output().is_ok();
    assert!(xvfb_present, "Xvfb is installed (make test installs it)");
    for language in ["kk_KZ.UTF-8", "ru_RU.UTF-8", "en_US.UTF-8"] {
        let display = free_display();
        let _xvfb = Killed(
            Command::new("Xvfb")
                .arg(format!(":{display}"))
                .args(["-screen", "0", "1024x640x24", "-nolisten", "tcp"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("Xvfb starts"),
        );
        let socket = format!("/tmp/.X11-unix/X{display}");
        let deadline = Instant::now() + Duration::from_secs(10);
        while !Path::new(&socket).exists() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(50));
        }
        let data = tempfile::tempdir().expect("temporary folder");
        let mut window = Killed(
            hattama()
                .env("LANG", language)
                .env("DISPLAY", format!(":{display}"))
                .env_remove("WAYLAND_DISPLAY")
                .arg("--data")
                .arg(data.path())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("hattama starts"),
        );
        let png = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("window-{language}.png"));
        let deadline = Instant::now() + Duration::from_secs(30);
        let mut colours = 0;
        while Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(500));
            colours = screenshot(display, &png);
            if colours > 20 {
                break;
            }
        }
        assert!(
            window.0.try_wait().expect("status").is_none(),
            "{language}: the window is still open"
        );
        assert!(
            colours > 20,
            "{language}: the window drew text ({colours} colours), see {}",
            png.display()
        );
        assert!(
            data.path().join("hattama.sqlite3").exists(),
            "{language}: start-up opened the store"
        );
    }
}
