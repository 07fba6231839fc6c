//! Starting the window: the renderer chosen, the data folder opened and interrupted parts
//! recovered before the first screen, and what can wait (leftover seals, GStreamer, the
//! player's plugins) prepared beside it.

use std::time::Instant;

use std::path::PathBuf;

use hattama::config::Config;
use hattama::part;
use hattama::paths::Paths;
use hattama::problem::Problem;
use hattama::recorder::{self, RecorderError};
use hattama::store::{Store, StoreError};

use crate::screen::Database;

use super::App;

/// `open`: the session to show at start, and what to review at start (a disc, an image, a
/// folder).
pub fn run(
    paths: Paths,
    config: Config,
    open: (Option<i64>, Option<PathBuf>),
    launched: Instant,
) -> iced::Result {
    choose_renderer();
    iced::application(
        move || {
            let (mut app, task) = App::new(paths.clone(), config.clone(), launched);
            (app.open_at_start, app.review_at_start) = open.clone();
            (app, task)
        },
        App::update,
        App::view,
    )
    .title(App::title)
    .subscription(App::subscription)
    .window(window_settings())
    .run()
}

/// Without a GPU (no DRM render node) wgpu would draw through a software Vulkan or GL driver,
/// which here took about 200 ms to start and draws no faster, where iced's own CPU renderer
/// (tiny-skia) drew the first screen in under 50 ms (BENCHMARKS.md, the secretary's waits).
/// iced chooses by `ICED_BACKEND` alone, read from the environment, which this program does
/// not change in itself: it starts itself again with it set (a few ms), unless the user set
/// it. Returns only when that is not done or not possible (then the default is used).
fn choose_renderer() {
    use std::os::unix::process::CommandExt;
    let gpu = std::fs::read_dir("/dev/dri").is_ok_and(|nodes| {
        nodes
            .flatten()
            .any(|node| node.file_name().to_string_lossy().starts_with("renderD"))
    });
    if gpu || std::env::var_os("ICED_BACKEND").is_some() {
        return;
    }
    let Ok(program) = std::env::current_exe() else {
        return;
    };
    let error = std::process::Command::new(program)
        .args(std::env::args_os().skip(1))
        .env("ICED_BACKEND", "tiny-skia")
        .exec();
    tracing::warn!("cannot start again with the CPU renderer: {error}");
}

/// The desktop entry's id (`kz.hattama.Hattama.desktop`), so the desktop shows the window
/// under the menu's name and icon.
pub const APPLICATION_ID: &str = "kz.hattama.Hattama";

fn window_settings() -> iced::window::Settings {
    // Rendered from assets/icons/hattama.svg (`make icons`).
    let icon = iced::window::icon::from_file_data(
        include_bytes!("../../assets/icons/hattama-64.png"),
        None,
    )
    .ok();
    iced::window::Settings {
        size: iced::Size::new(1280.0, 800.0),
        icon,
        exit_on_close_request: false,
        platform_specific: iced::window::settings::PlatformSpecific {
            application_id: APPLICATION_ID.to_owned(),
            ..Default::default()
        },
        ..Default::default()
    }
}

/// What start-up found.
#[derive(Debug, Clone)]
pub struct Startup {
    pub(super) database: Database,
    pub(super) recovered: usize,
    /// Sends the outbox while the window is open.
    pub(super) delivery: std::sync::Arc<hattama::delivery::Worker>,
    /// Seals what waited for the signing service, as soon as it signs.
    pub(super) seal_retry: std::sync::Arc<Option<hattama::periodic::Periodic>>,
}

#[derive(Debug, Clone, thiserror::Error)]
pub enum StartupError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Recorder(#[from] RecorderError),
}

impl StartupError {
    pub(super) fn problem(&self) -> &dyn Problem {
        match self {
            StartupError::Store(error) => error,
            StartupError::Recorder(error) => error,
        }
    }
}

/// Blocking start-up work the first screen waits for, run off the UI thread: the database,
/// and the parts an interruption left made whole (so the screen can say so).
pub(super) fn start(paths: &Paths, config: &Config) -> Result<Startup, StartupError> {
    let mut store = Store::open(&paths.database())?;
    let recovered = part::recover(&mut store, paths, config)?.len();
    Ok(Startup {
        database: Database::spawn(store),
        recovered,
        delivery: std::sync::Arc::new(hattama::delivery::Worker::spawn(paths.clone())),
        seal_retry: std::sync::Arc::new(hattama::seal::retry_failed(paths.clone())),
    })
}

/// What the first screen does not wait for, run once it is shown: the parts that ended
/// unsealed are sealed, and GStreamer and its plugins load so the first Record starts at
/// once (a Record pressed before loads them itself), and the first review opens at once.
pub(super) fn prepare(paths: &Paths, config: &Config) -> Result<(), StartupError> {
    let mut store = Store::open(&paths.database())?;
    hattama::seal::seal_pending(&mut store, paths, config);
    recorder::init()?;
    hattama::review::player::preload();
    Ok(())
}
