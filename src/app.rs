//! The window's root: opens the store, finishes interrupted parts, and switches between
//! the screens. Only this module knows every screen.

use std::hash::Hash;
use std::time::Instant;

use iced::widget::{center, column, container, text};
use std::path::PathBuf;

use iced::{Element, Fill, Subscription, Task, event, window};

use hattama::config::Config;
use hattama::config::Role;
use hattama::paths::Paths;
use hattama::recording::{Controller, Update};
use hattama::review::stream::{StreamError, Streamed};
use hattama::store::StoreError;
use hattama::tr;

use crate::screen::session::{self, Hotkey};
use crate::screen::settings::{self, Mode};
use crate::screen::{Database, blocking, cases, disc, new_session, review, sessions};
use crate::widget::{self, Shown};

mod keys;
mod screens;
mod start;

pub use keys::hotkey;
pub use start::{Startup, StartupError, run};
use start::{prepare, start};

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
                    widget::problem(shown, |pressed| match pressed {
                        widget::Panel::CopyDetails => Message::CopyDetails,
                        widget::Panel::Dismiss => Message::Exit,
                    }),
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

#[cfg(test)]
mod tests;
