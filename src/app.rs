//! The window's root: opens the store, finishes interrupted parts, and switches between
//! the screens. Only this module knows every screen.

use std::hash::Hash;
use std::time::Instant;

use iced::keyboard::{self, Key, key::Named};
use iced::widget::{center, column, container, text};
use std::path::PathBuf;

use iced::{Element, Event, Fill, Subscription, Task, event, window};

use hattama::config::Config;
use hattama::config::Role;
use hattama::paths::Paths;
use hattama::problem::Problem;
use hattama::recorder::{self, RecorderError};
use hattama::recording::{Controller, Update};
use hattama::review::stream::{StreamError, Streamed};
use hattama::store::{Store, StoreError};
use hattama::{part, tr};

use crate::screen::session::{self, Hotkey};
use crate::screen::settings::{self, Mode};
use crate::screen::{Database, blocking, cases, disc, new_session, review, sessions};
use crate::widget::{self, Shown};

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
    let icon =
        iced::window::icon::from_file_data(include_bytes!("../assets/icons/hattama-64.png"), None)
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
    database: Database,
    recovered: usize,
    /// Sends the outbox while the window is open.
    delivery: std::sync::Arc<hattama::delivery::Worker>,
    /// Seals what waited for the signing service, as soon as it signs.
    seal_retry: std::sync::Arc<Option<hattama::periodic::Periodic>>,
}

#[derive(Debug, Clone, thiserror::Error)]
pub enum StartupError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Recorder(#[from] RecorderError),
}

impl StartupError {
    fn problem(&self) -> &dyn Problem {
        match self {
            StartupError::Store(error) => error,
            StartupError::Recorder(error) => error,
        }
    }
}

pub enum Screen {
    Loading,
    Failed(Shown),
    Settings(Box<settings::Settings>),
    Sessions(Box<sessions::Sessions>),
    NewSession(Box<new_session::NewSession>),
    Session(Box<session::Screen>),
    Disc(Box<disc::DiscCopy>),
    Review(Box<review::ReviewScreen>),
    /// The court's cases on the court server (the judge's and the archivist's desk).
    Cases(Box<cases::Cases>),
}

pub struct App {
    paths: Paths,
    config: Config,
    launched: Instant,
    pub screen: Screen,
    database: Option<Database>,
    controller: Controller,
    updates: Updates,
    recovered: usize,
    confirm_exit: bool,
    exiting: bool,
    /// The session to show once the database is open (`--session`).
    open_at_start: Option<i64>,
    /// What to review once the database is open (`--review`).
    review_at_start: Option<PathBuf>,
    /// The entry (by sequence) to begin an addendum to when the session opens.
    correct_at_open: Option<i64>,
    delivery: Option<std::sync::Arc<hattama::delivery::Worker>>,
    seal_retry: Option<std::sync::Arc<Option<hattama::periodic::Periodic>>>,
    /// When the first screen was drawn, after launch.
    first_drawn: Option<std::time::Duration>,
}

/// The recording thread's updates, as a subscription's identity.
#[derive(Clone)]
pub struct Updates(pub async_channel::Receiver<Update>);

impl Hash for Updates {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        // One recording thread for the whole program.
        "recording-updates".hash(state);
    }
}

#[derive(Debug, Clone)]
pub enum Message {
    Started(Option<Result<Startup, StartupError>>),
    /// The start-up work after the first screen is done.
    Prepared(Option<Result<(), StartupError>>),
    /// A frame was drawn (watched only until the first screen's).
    Drawn,
    Found(Result<Box<hattama::session::Session>, StoreError>),
    Settings(settings::Message),
    Sessions(sessions::Message),
    NewSession(new_session::Message),
    Session(session::Message),
    Disc(disc::Message),
    Review(review::Message),
    /// What opening a review read (from the database or from a disc, an image, a folder).
    ReviewRead(
        Option<Result<Vec<hattama::review::Review>, std::sync::Arc<hattama::review::ReviewError>>>,
    ),
    Cases(cases::Message),
    /// A case opened from the court server for review.
    CaseOpened(Option<Result<Opened, std::sync::Arc<StreamError>>>),
    Recording(Update),
    Hotkey(Hotkey),
    Ctrl(bool),
    CloseRequested,
    ConfirmExit(bool),
    CopyDetails,
    Exit,
}

/// A case shown from the court server and its sessions.
pub type Opened = (std::sync::Arc<Streamed>, Vec<hattama::review::Review>);

/// Blocking start-up work the first screen waits for, run off the UI thread: the database,
/// and the parts an interruption left made whole (so the screen can say so).
fn start(paths: &Paths, config: &Config) -> Result<Startup, StartupError> {
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
fn prepare(paths: &Paths, config: &Config) -> Result<(), StartupError> {
    let mut store = Store::open(&paths.database())?;
    hattama::seal::seal_pending(&mut store, paths, config);
    recorder::init()?;
    hattama::review::player::preload();
    Ok(())
}

impl App {
    pub fn new(paths: Paths, config: Config, launched: Instant) -> (Self, Task<Message>) {
        let (controller, updates, _thread) = Controller::spawn(paths.clone());
        let task = {
            let (paths, config) = (paths.clone(), config.clone());
            blocking(move || start(&paths, &config)).map(Message::Started)
        };
        let app = Self {
            paths,
            config,
            launched,
            screen: Screen::Loading,
            database: None,
            controller,
            updates: Updates(updates),
            recovered: 0,
            confirm_exit: false,
            exiting: false,
            open_at_start: None,
            review_at_start: None,
            correct_at_open: None,
            delivery: None,
            seal_retry: None,
            first_drawn: None,
        };
        (app, task)
    }

    fn title(&self) -> String {
        match &self.screen {
            Screen::Session(screen) => {
                format!("{} — {}", screen.session.case_number, tr!("app-name"))
            }
            Screen::Review(screen) => {
                format!(
                    "{} — {}",
                    screen.review().document.case_number,
                    tr!("app-name")
                )
            }
            _ => tr!("app-name"),
        }
    }

    /// The recording thread's updates, for tests that drive the window without a runtime.
    #[cfg(test)]
    pub fn updates(&self) -> async_channel::Receiver<Update> {
        self.updates.0.clone()
    }

    /// The screen start-up opens on: what was asked on the command line, else the desk's.
    fn first_screen(&mut self) -> Task<Message> {
        if let Some(path) = self.review_at_start.take() {
            let sessions = self.show_sessions();
            Task::batch([sessions, self.review_path(path)])
        } else if let (Some(id), Some(database)) = (self.open_at_start, &self.database) {
            database
                .run(move |store| store.session(id).map(Box::new))
                .map(Message::Found)
        } else if self.config.court.is_set_up() && self.config.workstation.role != Role::Secretary {
            self.show_cases()
        } else if self.config.court.is_set_up() {
            self.show_sessions()
        } else {
            self.show_settings(Mode::Setup)
        }
    }

    pub fn update(&mut self, message: Message) -> Task<Message> {
        match message {
            Message::Started(Some(Ok(startup))) => {
                self.recovered = startup.recovered;
                self.database = Some(startup.database);
                self.delivery = Some(startup.delivery);
                self.seal_retry = Some(startup.seal_retry);
                let prepare = {
                    let (paths, config) = (self.paths.clone(), self.config.clone());
                    blocking(move || prepare(&paths, &config)).map(Message::Prepared)
                };
                Task::batch([self.first_screen(), prepare])
            }
            Message::Started(Some(Err(error))) | Message::Prepared(Some(Err(error))) => {
                self.screen = Screen::Failed(Shown::of(error.problem()));
                Task::none()
            }
            Message::Started(None) | Message::Prepared(None) => Task::none(),
            Message::Prepared(Some(Ok(()))) => {
                tracing::info!(
                    target: "hattama::ready",
                    "ready to record {} ms after launch",
                    self.launched.elapsed().as_millis()
                );
                Task::none()
            }
            Message::Drawn => {
                if self.first_drawn.is_none() && !matches!(self.screen, Screen::Loading) {
                    let after = self.launched.elapsed();
                    tracing::info!(
                        target: "hattama::ready",
                        "first screen drawn {} ms after launch",
                        after.as_millis()
                    );
                    self.first_drawn = Some(after);
                }
                Task::none()
            }
            Message::Found(Ok(session)) => self.open(*session),
            Message::Found(Err(error)) => {
                self.screen = Screen::Failed(Shown::of(&error));
                Task::none()
            }
            Message::Settings(message) => self.settings(message),
            Message::Sessions(message) => self.sessions(message),
            Message::NewSession(message) => self.new_session(message),
            Message::Session(message) => match &mut self.screen {
                Screen::Session(screen) => {
                    let action = screen.update(message);
                    self.session_action(action)
                }
                _ => Task::none(),
            },
            Message::Disc(message) => {
                let Screen::Disc(screen) = &mut self.screen else {
                    return Task::none();
                };
                match screen.update(message) {
                    disc::Action::None => Task::none(),
                    disc::Action::Run(task) => task.map(Message::Disc),
                    disc::Action::Back => self.show_sessions(),
                }
            }
            Message::Review(message) => {
                let Screen::Review(screen) = &mut self.screen else {
                    return Task::none();
                };
                match screen.update(message) {
                    review::Action::None => Task::none(),
                    review::Action::Run(task) => task.map(Message::Review),
                    review::Action::Back if screen.streamed() => self.show_cases(),
                    review::Action::Back => self.show_sessions(),
                    review::Action::Addendum { session_id, seq } => {
                        let Some(database) = &self.database else {
                            return Task::none();
                        };
                        self.correct_at_open = Some(seq);
                        database
                            .run(move |store| store.session(session_id).map(Box::new))
                            .map(Message::Found)
                    }
                }
            }
            Message::ReviewRead(Some(Ok(reviews))) if !reviews.is_empty() => {
                let (screen, task) = review::ReviewScreen::new(
                    reviews,
                    None,
                    self.paths.clone(),
                    self.config.clone(),
                );
                self.screen = Screen::Review(Box::new(screen));
                task.map(Message::Review)
            }
            Message::ReviewRead(Some(Err(error))) => {
                match &mut self.screen {
                    Screen::Sessions(screen) => screen.show(error.as_ref()),
                    Screen::Session(screen) => screen.show(error.as_ref()),
                    _ => {}
                }
                Task::none()
            }
            Message::ReviewRead(_) => Task::none(),
            Message::Cases(message) => {
                let Screen::Cases(screen) = &mut self.screen else {
                    return Task::none();
                };
                match screen.update(message) {
                    cases::Action::None => Task::none(),
                    cases::Action::Run(task) => task.map(Message::Cases),
                    cases::Action::Back => self.show_sessions(),
                    cases::Action::Review(case) => {
                        let (paths, config) = (self.paths.clone(), self.config.clone());
                        blocking(move || {
                            hattama::review::stream::open_case(
                                &paths,
                                &config,
                                cases::SERVER,
                                &case,
                            )
                            .map_err(std::sync::Arc::new)
                        })
                        .map(Message::CaseOpened)
                    }
                }
            }
            Message::CaseOpened(Some(Ok((stream, reviews)))) if !reviews.is_empty() => {
                let (screen, task) = review::ReviewScreen::new(
                    reviews,
                    Some(stream),
                    self.paths.clone(),
                    self.config.clone(),
                );
                self.screen = Screen::Review(Box::new(screen));
                task.map(Message::Review)
            }
            Message::CaseOpened(Some(Err(error))) => {
                if let Screen::Cases(screen) = &mut self.screen {
                    screen.show(error.as_ref());
                }
                Task::none()
            }
            Message::CaseOpened(_) => Task::none(),
            Message::Recording(update) => match &mut self.screen {
                Screen::Session(screen) => {
                    let action = screen.recording(update);
                    self.session_action(action)
                }
                _ => Task::none(),
            },
            Message::Hotkey(key) => match &mut self.screen {
                Screen::Session(screen) if !self.confirm_exit => {
                    let action = screen.hotkey(key);
                    self.session_action(action)
                }
                _ => {
                    if key == Hotkey::Escape {
                        self.confirm_exit = false;
                    }
                    Task::none()
                }
            },
            Message::Ctrl(held) => {
                if let Screen::Session(screen) = &mut self.screen {
                    screen.ctrl(held);
                }
                Task::none()
            }
            Message::CloseRequested => {
                if self.is_recording() {
                    self.confirm_exit = true;
                    Task::none()
                } else {
                    self.exit()
                }
            }
            Message::ConfirmExit(false) => {
                self.confirm_exit = false;
                Task::none()
            }
            Message::ConfirmExit(true) => {
                self.confirm_exit = false;
                if let Screen::Session(screen) = &mut self.screen
                    && screen.is_recording()
                {
                    self.exiting = true;
                    screen.stop_for_exit();
                    Task::none()
                } else {
                    self.exit()
                }
            }
            Message::CopyDetails => match &self.screen {
                Screen::Failed(shown) => iced::clipboard::write(shown.details.clone()),
                _ => Task::none(),
            },
            Message::Exit => iced::exit(),
        }
    }

    pub fn is_recording(&self) -> bool {
        matches!(&self.screen, Screen::Session(screen) if screen.is_recording())
    }

    /// Exits once every write asked of the database has been made.
    fn exit(&mut self) -> Task<Message> {
        self.exiting = true;
        match &self.database {
            Some(database) => database.run(|_| Ok(())).map(|_| Message::Exit),
            None => iced::exit(),
        }
    }

    fn show_sessions(&mut self) -> Task<Message> {
        let Some(database) = &self.database else {
            return Task::none();
        };
        let (screen, task) = sessions::Sessions::new(database, self.config.court.time_zone());
        self.screen = Screen::Sessions(Box::new(screen));
        task.map(Message::Sessions)
    }

    fn show_cases(&mut self) -> Task<Message> {
        let (screen, task) = cases::Cases::new(self.paths.clone(), self.config.clone());
        self.screen = Screen::Cases(Box::new(screen));
        task.map(Message::Cases)
    }

    /// Reads what a disc, a disc image or a folder holds, for the review.
    fn review_path(&self, path: PathBuf) -> Task<Message> {
        let unpack = self.paths.data.join("review");
        blocking(move || hattama::review::Review::open(&path, &unpack).map_err(std::sync::Arc::new))
            .map(Message::ReviewRead)
    }

    fn show_settings(&mut self, mode: Mode) -> Task<Message> {
        let (screen, task) = settings::Settings::new(mode, self.paths.clone(), self.config.clone());
        self.screen = Screen::Settings(Box::new(screen));
        task.map(Message::Settings)
    }

    fn settings(&mut self, message: settings::Message) -> Task<Message> {
        let Screen::Settings(screen) = &mut self.screen else {
            return Task::none();
        };
        match screen.update(message) {
            settings::Action::None => Task::none(),
            settings::Action::Run(task) => task.map(Message::Settings),
            settings::Action::Saved(config) => {
                self.config = *config;
                self.show_sessions()
            }
            settings::Action::Back => self.show_sessions(),
        }
    }

    fn sessions(&mut self, message: sessions::Message) -> Task<Message> {
        let Screen::Sessions(screen) = &mut self.screen else {
            return Task::none();
        };
        match screen.update(message, &self.config, &self.paths) {
            sessions::Action::None => Task::none(),
            sessions::Action::Run(task) => task.map(Message::Sessions),
            sessions::Action::Open(session) => self.open(*session),
            sessions::Action::Review(path) => self.review_path(path),
            sessions::Action::New => {
                self.screen =
                    Screen::NewSession(Box::new(new_session::NewSession::new(&self.config)));
                iced::widget::operation::focus("case-number")
            }
            sessions::Action::Settings => self.show_settings(Mode::Settings),
            sessions::Action::Cases => self.show_cases(),
        }
    }

    fn new_session(&mut self, message: new_session::Message) -> Task<Message> {
        let (Screen::NewSession(screen), Some(database)) = (&mut self.screen, &self.database)
        else {
            return Task::none();
        };
        match screen.update(message, &self.config, database) {
            new_session::Action::None => Task::none(),
            new_session::Action::Run(task) => task.map(Message::NewSession),
            new_session::Action::Opened(session) => self.open(*session),
            new_session::Action::Cancel => self.show_sessions(),
        }
    }

    fn open(&mut self, session: hattama::session::Session) -> Task<Message> {
        let Some(database) = &self.database else {
            return Task::none();
        };
        let (mut screen, task) = session::Screen::new(
            session,
            database.clone(),
            self.controller.clone(),
            self.config.clone(),
            self.paths.clone(),
        );
        if let Some(seq) = self.correct_at_open.take() {
            screen.correct_when_loaded(seq);
        }
        self.screen = Screen::Session(Box::new(screen));
        Task::batch([
            task.map(Message::Session),
            iced::widget::operation::focus(session::DRAFT),
        ])
    }

    fn session_action(&mut self, action: session::Action) -> Task<Message> {
        match action {
            session::Action::None => Task::none(),
            session::Action::Run(task) => task.map(Message::Session),
            session::Action::Back => self.show_sessions(),
            session::Action::DiscCopy(case_number) => {
                let Some(database) = &self.database else {
                    return Task::none();
                };
                let (screen, task) = disc::DiscCopy::new(
                    case_number,
                    database.clone(),
                    self.paths.clone(),
                    self.config.clone(),
                );
                self.screen = Screen::Disc(Box::new(screen));
                task.map(Message::Disc)
            }
            session::Action::Review(id) => {
                let Some(database) = &self.database else {
                    return Task::none();
                };
                let (paths, zone) = (self.paths.clone(), self.config.court.time_zone());
                database
                    .run(move |store| hattama::review::Review::from_store(store, &paths, id, zone))
                    .map(|read| {
                        Message::ReviewRead(Some(
                            read.map(|review| vec![review])
                                .map_err(|e| std::sync::Arc::new(e.into())),
                        ))
                    })
            }
            session::Action::Stopped(task) => {
                let task = task.map(Message::Session);
                if self.exiting {
                    // The part's seal is written before the program ends.
                    task.chain(self.exit())
                } else {
                    task
                }
            }
        }
    }

    pub fn view(&self) -> Element<'_, Message> {
        let screen: Element<'_, Message> = match &self.screen {
            Screen::Loading => center(text(tr!("starting"))).into(),
            Screen::Failed(shown) => container(
                column![
                    text(tr!("app-name")).size(32),
                    text(tr!(
                        "data-folder",
                        path = self.paths.data.display().to_string()
                    ))
                    .size(14),
                    widget::problem(shown, Message::CopyDetails, Message::Exit),
                ]
                .spacing(16),
            )
            .padding(24)
            .width(Fill)
            .into(),
            Screen::Settings(screen) => screen.view().map(Message::Settings),
            Screen::Sessions(screen) => screen.view(&self.config).map(Message::Sessions),
            Screen::NewSession(screen) => screen.view().map(Message::NewSession),
            Screen::Session(screen) => screen.view().map(Message::Session),
            Screen::Disc(screen) => screen.view().map(Message::Disc),
            Screen::Cases(screen) => screen.view().map(Message::Cases),
            Screen::Review(screen) => screen.view().map(Message::Review),
        };
        if self.exiting && self.is_recording() {
            widget::modal(screen, tr!("exiting"), String::new(), Vec::new())
        } else if self.confirm_exit {
            widget::modal(
                screen,
                tr!("confirm-exit-title"),
                tr!("confirm-exit-body"),
                vec![
                    (tr!("confirm-continue"), Message::ConfirmExit(false), true),
                    (tr!("confirm-exit-yes"), Message::ConfirmExit(true), false),
                ],
            )
        } else {
            screen
        }
    }

    fn subscription(&self) -> Subscription<Message> {
        Subscription::batch([
            Subscription::run_with(self.updates.clone(), |updates| updates.0.clone())
                .map(Message::Recording),
            event::listen_with(hotkey),
            window::close_requests().map(|_| Message::CloseRequested),
            if self.first_drawn.is_none() {
                window::frames().map(|_| Message::Drawn)
            } else {
                Subscription::none()
            },
            // The delivery worker changes the outbox on its own thread: the session shows it.
            match &self.screen {
                Screen::Session(_) => iced::time::every(std::time::Duration::from_secs(2))
                    .map(|_| Message::Session(session::Message::RefreshDeliveries)),
                Screen::Review(screen) => Subscription::batch([
                    screen.subscription().map(Message::Review),
                    event::listen_with(review::key)
                        .map(|key| Message::Review(review::Message::Key(key))),
                ]),
                _ => Subscription::none(),
            },
        ])
    }
}

/// F1–F12, Ctrl+digit, Ctrl+R and Escape, wherever the focus is.
pub fn hotkey(event: Event, _status: event::Status, _window: window::Id) -> Option<Message> {
    let Event::Keyboard(event) = event else {
        return None;
    };
    match event {
        keyboard::Event::ModifiersChanged(modifiers) => Some(Message::Ctrl(modifiers.control())),
        keyboard::Event::KeyPressed {
            key,
            physical_key,
            modifiers,
            ..
        } => {
            if let Key::Named(named) = &key {
                if *named == Named::Escape {
                    return Some(Message::Hotkey(Hotkey::Escape));
                }
                return function_number(*named).map(|n| Message::Hotkey(Hotkey::Function(n)));
            }
            if modifiers.control() && !modifiers.alt() {
                let latin = key.to_latin(physical_key)?;
                if latin == 'r' {
                    return Some(Message::Hotkey(Hotkey::Record));
                }
                let digit = latin.to_digit(10)?;
                return Some(Message::Hotkey(Hotkey::Speaker(digit as usize)));
            }
            None
        }
        _ => None,
    }
}

fn function_number(key: Named) -> Option<usize> {
    use Named::*;
    [F1, F2, F3, F4, F5, F6, F7, F8, F9, F10, F11, F12]
        .iter()
        .position(|f| *f == key)
        .map(|index| index + 1)
}

#[cfg(test)]
mod tests;
