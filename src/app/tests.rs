//! The window driven as a secretary would, without a display: clicks and typing through
//! `iced_test`, the keys through the same function the window uses, a real demo
//! recording, and the database checked afterwards.

use std::time::{Duration, Instant};

use iced::Event;
use iced::keyboard::key::Named;
use iced::keyboard::{self, Key, Location, Modifiers, key};
use iced_test::Simulator;
use iced_test::futures::futures::{StreamExt, executor};
use iced_test::runtime::{Action, task::into_stream};

use hattama::protocol::EntryKind;
use hattama::session::Role;
use hattama::store::{PartState, Store};

use super::*;
use crate::screen::WORDS;
use crate::screen::new_session::{self as form, Person};

mod case_disc;
mod desk;
mod equipment;
mod incidents;
mod judge;
mod listing;
mod outbox;
mod sealing;
mod secretary;
mod setup;

pub struct Harness {
    pub app: App,
    pub folder: tempfile::TempDir,
    pub exited: bool,
}

/// A folder outside the harness's data folder, where a person saves pages, keys and clips
/// (nothing is saved inside the data folder).
fn outside() -> tempfile::TempDir {
    tempfile::tempdir().expect("a folder outside the data folder")
}

impl Harness {
    pub fn new(config: Config) -> Self {
        Self::in_folder(config, tempfile::tempdir().expect("temporary folder"))
    }

    /// The window over `folder` as its data folder (prepared before the window starts).
    pub fn in_folder(config: Config, folder: tempfile::TempDir) -> Self {
        hattama::i18n::select("en");
        let paths = Paths::new(
            Some(folder.path().join("config.toml")),
            Some(folder.path().to_owned()),
        );
        let (app, task) = App::new(paths, config, Instant::now());
        let mut harness = Self {
            app,
            folder,
            exited: false,
        };
        harness.run(task);
        harness
    }

    pub fn set_up() -> Self {
        Self::new(court_config())
    }

    /// Runs a task to its end, feeding what it outputs back to `update`.
    pub fn run(&mut self, task: Task<Message>) {
        let Some(stream) = into_stream(task) else {
            return;
        };
        for action in executor::block_on(stream.collect::<Vec<_>>()) {
            match action {
                Action::Output(message) => self.send(message),
                Action::Exit => self.exited = true,
                _ => {}
            }
        }
    }

    pub fn send(&mut self, message: Message) {
        let task = self.app.update(message);
        self.run(task);
    }

    /// Interacts with the window as drawn now; what it publishes goes to `update`.
    pub fn interact(&mut self, act: impl FnOnce(&mut Simulator<'_, Message>)) {
        let messages: Vec<Message> = {
            let mut ui =
                Simulator::with_size(iced::Settings::default(), (1280.0, 900.0), self.app.view());
            act(&mut ui);
            ui.into_messages().collect()
        };
        for message in messages {
            self.send(message);
        }
    }

    pub fn click(&mut self, words: String) {
        self.interact(|ui| {
            ui.click(words.as_str())
                .unwrap_or_else(|error| panic!("click {words:?}: {error}"));
        });
    }

    pub fn type_into(&mut self, id: &str, words: &str) {
        let id = iced::widget::Id::from(id.to_owned());
        self.interact(|ui| {
            ui.click(id.clone())
                .unwrap_or_else(|error| panic!("click {id:?}: {error}"));
            ui.typewrite(words);
        });
    }

    /// With `HATTAMA_SCREENSHOTS=folder` (`make screenshots`): the screen as drawn now, in
    /// Kazakh and in Russian (`window-<name>-kk.png`, `-ru.png`), for the README and the
    /// secretaries' guide. The caller holds `WORDS`, so no other test reads words meanwhile.
    pub fn picture(&mut self, name: &str) {
        let Some(folder) = std::env::var_os("HATTAMA_SCREENSHOTS") else {
            return;
        };
        for code in ["kk", "ru"] {
            hattama::i18n::select(code);
            let path = std::path::Path::new(&folder).join(format!("window-{name}-{code}.png"));
            let _ = std::fs::remove_file(
                path.with_file_name(format!("window-{name}-{code}-tiny-skia.png")),
            );
            let mut ui =
                Simulator::with_size(iced::Settings::default(), (1280.0, 800.0), self.app.view());
            let written = ui
                .snapshot(&iced::Theme::Light)
                .and_then(|snapshot| snapshot.matches_image(&path));
            assert!(written.is_ok_and(|new| new), "{} written", path.display());
            // iced_test names the file after its renderer too.
            let drawn = path.with_file_name(format!("window-{name}-{code}-tiny-skia.png"));
            std::fs::rename(&drawn, &path).expect("the picture renamed");
        }
        hattama::i18n::select("en");
    }

    pub fn shows(&mut self, words: &str) -> bool {
        let mut ui =
            Simulator::with_size(iced::Settings::default(), (1280.0, 900.0), self.app.view());
        ui.find(words).is_ok()
    }

    /// A key press as the window hears it.
    pub fn press(&mut self, key: Key, modifiers: Modifiers) {
        if let Some(message) = hotkey(
            key_event(key, modifiers),
            event::Status::Ignored,
            window::Id::unique(),
        ) {
            self.send(message);
        }
    }

    /// A key press on the review screen, no field having taken it.
    pub fn review_key(&mut self, key: Key, modifiers: Modifiers) {
        if let Some(key) = crate::screen::review::key(
            key_event(key, modifiers),
            event::Status::Ignored,
            window::Id::unique(),
        ) {
            self.send(Message::Review(crate::screen::review::Message::Key(key)));
        }
    }

    pub fn review(&self) -> &crate::screen::review::ReviewScreen {
        match &self.app.screen {
            Screen::Review(screen) => screen,
            _ => panic!("the review is not shown"),
        }
    }

    pub fn function_key(&mut self, number: usize) {
        use Named::*;
        let key = [F1, F2, F3, F4, F5, F6, F7, F8, F9, F10, F11, F12][number - 1];
        self.press(Key::Named(key), Modifiers::empty());
    }

    /// Feeds the recording thread's updates to the window until `done`.
    pub fn wait_for(&mut self, what: &str, done: impl Fn(&App) -> bool) {
        let updates = self.app.updates();
        let deadline = Instant::now() + Duration::from_secs(60);
        while !done(&self.app) {
            assert!(Instant::now() < deadline, "timed out waiting for {what}");
            match updates.try_recv() {
                Ok(update) => self.send(Message::Recording(update)),
                Err(_) => std::thread::sleep(Duration::from_millis(10)),
            }
        }
    }

    pub fn sessions(&self) -> &sessions::Sessions {
        match &self.app.screen {
            Screen::Sessions(screen) => screen,
            _ => panic!("the sessions list is not shown"),
        }
    }

    pub fn session(&self) -> &session::Screen {
        match &self.app.screen {
            Screen::Session(screen) => screen,
            _ => panic!("the session screen is not shown"),
        }
    }

    /// A court set up, a session opened, its first part recording.
    pub fn recording(case_number: &str) -> Self {
        let mut ui = Self::set_up();
        open_session(&mut ui, case_number);
        ui.click(tr!("record-button"));
        ui.wait_for("recording", phase_is(session::Phase::Recording));
        ui
    }

    /// Enter in the protocol's field, as the secretary presses it.
    pub fn press_enter_in_draft(&mut self) {
        self.interact(|ui| {
            let _ = ui.click(iced::widget::Id::from(session::DRAFT));
            ui.tap_key(Named::Enter);
        });
    }

    pub fn settings(&self) -> &settings::Settings {
        match &self.app.screen {
            Screen::Settings(screen) => screen,
            _ => panic!("Settings is not shown"),
        }
    }

    pub fn store(&self) -> Store {
        Store::open(&self.folder.path().join("hattama.sqlite3")).expect("the database opens")
    }
}

fn key_event(key: Key, modifiers: Modifiers) -> Event {
    Event::Keyboard(keyboard::Event::KeyPressed {
        modified_key: key.clone(),
        physical_key: key::Physical::Unidentified(key::NativeCode::Unidentified),
        key,
        location: Location::Standard,
        modifiers,
        text: None,
        repeat: false,
    })
}

/// A court, its hall and its secretary set up.
pub fn court_config() -> Config {
    let mut config = Config::default();
    config.court.name = "Астана қаласының №2 аудандық соты".to_owned();
    config.court.hall = "5".to_owned();
    config.operator.name = "Айгүл Серікова".to_owned();
    // Its recordings are demo parts; their deliveries are tried as a trial of the servers.
    config.delivery.send_demo = true;
    config
}

pub fn phase_is(phase: session::Phase) -> impl Fn(&App) -> bool {
    move |app| matches!(&app.screen, Screen::Session(s) if s.phase() == phase)
}

/// Creates a session with no participants and opens it.
pub fn open_session(ui: &mut Harness, case_number: &str) {
    ui.click(tr!("sessions-new"));
    ui.type_into("case-number", case_number);
    ui.type_into("judge", "Нұрлан Омаров");
    ui.click(tr!("new-session-create"));
    assert_eq!(ui.session().session.case_number, case_number);
}

/// A pass over the outbox as the worker makes one; the window's own worker may be in the
/// middle of its pass (it holds the data folder's delivery lock for it), so wait for the turn.
pub fn deliver_now(
    ui: &Harness,
    paths: &Paths,
    delivery: &hattama::config::Delivery,
) -> hattama::delivery::Pass {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let pass = hattama::delivery::deliver_due(&ui.store(), paths, delivery, chrono::Utc::now())
            .expect("a pass");
        if !pass.busy || Instant::now() > deadline {
            return pass;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

pub fn network_microphone(name: &str, pipeline: &str) -> hattama::config::NetworkInput {
    hattama::config::NetworkInput {
        kind: "microphone".to_owned(),
        name: name.to_owned(),
        pipeline: pipeline.to_owned(),
    }
}
