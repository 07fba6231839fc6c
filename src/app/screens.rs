//! Going from screen to screen: the list, the cases, a review, the settings, a new session,\n//! a session opened, and what a session screen asks of the window.

use std::path::PathBuf;

use iced::Task;

use crate::screen::session::{self};
use crate::screen::settings::{self, Mode};
use crate::screen::{blocking, cases, disc, new_session, sessions};

use super::{App, Message, Screen};

impl App {
    pub(super) fn show_sessions(&mut self) -> Task<Message> {
        let Some(database) = &self.database else {
            return Task::none();
        };
        let (screen, task) = sessions::Sessions::new(database, self.config.court.time_zone());
        self.screen = Screen::Sessions(Box::new(screen));
        task.map(Message::Sessions)
    }

    pub(super) fn show_cases(&mut self) -> Task<Message> {
        let (screen, task) = cases::Cases::new(self.paths.clone(), self.config.clone());
        self.screen = Screen::Cases(Box::new(screen));
        task.map(Message::Cases)
    }

    /// Reads what a disc, a disc image or a folder holds, for the review.
    pub(super) fn review_path(&self, path: PathBuf) -> Task<Message> {
        let unpack = self.paths.data.join("review");
        blocking(move || hattama::review::Review::open(&path, &unpack).map_err(std::sync::Arc::new))
            .map(Message::ReviewRead)
    }

    pub(super) fn show_settings(&mut self, mode: Mode) -> Task<Message> {
        let (screen, task) = settings::Settings::new(mode, self.paths.clone(), self.config.clone());
        self.screen = Screen::Settings(Box::new(screen));
        task.map(Message::Settings)
    }

    pub(super) fn settings(&mut self, message: settings::Message) -> Task<Message> {
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

    pub(super) fn sessions(&mut self, message: sessions::Message) -> Task<Message> {
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

    pub(super) fn new_session(&mut self, message: new_session::Message) -> Task<Message> {
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

    pub(super) fn open(&mut self, session: hattama::session::Session) -> Task<Message> {
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

    pub(super) fn session_action(&mut self, action: session::Action) -> Task<Message> {
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
}
