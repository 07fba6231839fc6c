//! The window driven as a secretary would, without a display: clicks and typing through
//! `iced_test`, the keys through the same function the window uses, a real demo
//! recording, and the database checked afterwards.

use std::time::{Duration, Instant};

use iced::keyboard::{Location, Modifiers, key};
use iced_test::Simulator;
use iced_test::futures::futures::{StreamExt, executor};
use iced_test::runtime::{Action, task::into_stream};

use hattama::protocol::EntryKind;
use hattama::session::Role;
use hattama::store::PartState;

use super::*;
use crate::screen::WORDS;
use crate::screen::new_session::{self as form, Person};

mod desk;

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

#[test]
fn first_start_session_recording_protocol_recess_resume_close() {
    let _words = WORDS.lock().unwrap_or_else(|e| e.into_inner());
    let mut ui = Harness::new(Config::default());

    // First start: the set-up.
    assert!(
        matches!(ui.app.screen, Screen::Settings(_)),
        "set-up comes first"
    );
    ui.type_into("court-name", "Астана қаласының №2 аудандық соты");
    ui.type_into("court-hall", "5");
    ui.type_into("operator-name", "Айгүл Серікова");
    ui.picture("setup");
    ui.click(tr!("setup-save"));
    assert!(
        matches!(ui.app.screen, Screen::Sessions(_)),
        "then the sessions"
    );
    let saved = Config::load(&ui.folder.path().join("config.toml"), true).expect("saved config");
    assert_eq!(saved.court.name, "Астана қаласының №2 аудандық соты");
    assert_eq!(saved.operator.name, "Айгүл Серікова");
    assert!(ui.shows(&tr!("sessions-empty")));

    // A session with a plaintiff and a witness heard by video-conference.
    ui.click(tr!("sessions-new"));
    ui.type_into("case-number", "2-1234/2026");
    ui.type_into("judge", "Нұрлан Омаров");
    ui.type_into("participant-0", "Иванов Иван");
    ui.click(tr!("participant-add"));
    ui.type_into("participant-1", "Серік Ахметов");
    ui.send(Message::NewSession(form::Message::Person(
        1,
        Person::Role(Role::Witness),
    )));
    ui.send(Message::NewSession(form::Message::Person(
        1,
        Person::Remote(true),
    )));
    ui.click(tr!("new-session-create"));
    assert!(
        ui.shows(&tr!("new-session-missing-location", name = "Серік Ахметов")),
        "a remote participant needs a location"
    );
    ui.type_into("location-1", "Қарағанды облыстық соты");
    ui.click(tr!("new-session-create"));
    let session_id = ui.session().session.id;
    assert_eq!(ui.session().session.participants.len(), 2);
    assert_eq!(ui.session().session.operator_name, "Айгүл Серікова");

    // Record (demo inputs: this machine has no camera).
    ui.click(tr!("record-button"));
    ui.wait_for(
        "the first part to record",
        phase_is(session::Phase::Recording),
    );
    assert!(ui.shows(&tr!("indicator-recording")));
    ui.wait_for(
        "a preview and a level",
        |app| matches!(&app.screen, Screen::Session(s) if s.has_preview_and_levels()),
    );

    // Typed: stamped when typing began, not at Enter.
    ui.type_into(session::DRAFT, "Истец поддержал исковые требования");
    std::thread::sleep(Duration::from_millis(1500));
    let enter_pressed = chrono::Utc::now();
    ui.press_enter_in_draft();
    // Ready-made, by key; Ctrl+2 picks the remote witness for the identity entry.
    ui.function_key(1);
    ui.function_key(2);
    ui.press(Key::Character("2".into()), Modifiers::CTRL);
    ui.function_key(3);
    ui.function_key(7);

    // Recess ends the part; the session stays open.
    ui.function_key(9);
    ui.wait_for("the recess", phase_is(session::Phase::Idle));
    assert!(ui.shows(&tr!("indicator-recess")));
    assert!(ui.session().session.is_open());

    // Resume starts the second part and writes "resumed" when it records.
    ui.function_key(10);
    ui.wait_for("the second part", phase_is(session::Phase::Recording));
    ui.wait_for(
        "the resumed entry",
        |app| matches!(&app.screen, Screen::Session(s) if s.has_entry(EntryKind::Resumed)),
    );
    ui.type_into(session::DRAFT, "Свидетель Ахметов дал показания");
    ui.press_enter_in_draft();

    // Stop asks first; closing writes the last entry and closes the session.
    ui.click(tr!("stop-button"));
    assert!(ui.shows(&tr!("confirm-stop-title")));
    assert_eq!(
        ui.session().phase(),
        session::Phase::Recording,
        "nothing stops before the answer"
    );
    ui.click(tr!("confirm-stop-close"));
    ui.wait_for("the session to close", |app| {
        matches!(&app.screen, Screen::Session(s) if s.phase() == session::Phase::Idle && !s.session.is_open())
    });
    assert!(ui.shows(&tr!("indicator-closed")));

    // What the database holds.
    let store = ui.store();
    let parts = store.parts_of(session_id).expect("parts");
    assert_eq!(parts.len(), 2);
    assert!(
        parts.iter().all(|p| p.state == PartState::Finished),
        "{parts:?}"
    );
    let entries = store.entries(session_id).expect("entries");
    let kinds: Vec<EntryKind> = entries.iter().map(|e| e.kind).collect();
    assert_eq!(ui.session().problem(), None);
    assert_eq!(
        kinds,
        [
            EntryKind::Note,
            EntryKind::SessionOpened,
            EntryKind::Attendance,
            EntryKind::RemoteIdentity,
            EntryKind::WitnessQuestioned,
            EntryKind::Recess,
            EntryKind::Resumed,
            EntryKind::Note,
            EntryKind::SessionClosed,
        ]
    );
    let typed = &entries[0];
    assert!(
        (enter_pressed - typed.wall_time).num_milliseconds() >= 1400,
        "the typed entry is stamped when typing began ({} before Enter)",
        (enter_pressed - typed.wall_time).num_milliseconds()
    );
    let identity = &entries[3];
    assert!(identity.text.contains("Серік Ахметов"), "{}", identity.text);
    assert!(
        identity.text.contains("Қарағанды облыстық соты"),
        "{}",
        identity.text
    );
    let witness = store.session(session_id).expect("session").participants[1].id;
    assert_eq!(identity.speaker_id, Some(witness));
    let places: Vec<(i64, i64)> = entries
        .iter()
        .map(|e| {
            (
                e.part_number.expect("recorded"),
                e.offset_ms.expect("offset"),
            )
        })
        .collect();
    assert!(
        places.windows(2).all(|w| w[0] <= w[1]),
        "media offsets increase: {places:?}"
    );
    assert_eq!(places.first().map(|p| p.0), Some(1));
    assert_eq!(places.last().map(|p| p.0), Some(2));
    assert!(places[4].1 > places[0].1, "{places:?}");

    // Each part was sealed when it ended; the last seal holds the whole protocol.
    let paths = Paths::new(None, Some(ui.folder.path().to_owned()));
    let trusted = hattama::seal::trusted_keys(&paths);
    assert_eq!(
        trusted.len(),
        1,
        "the court's key was made at the first seal"
    );
    for part in &parts {
        let report = hattama::seal::verify_part(&paths.sessions().join(&part.folder), &trusted);
        assert!(report.ok(), "{report:#?}");
    }
    let last: hattama::seal::document::Document = serde_json::from_str(
        &std::fs::read_to_string(
            paths
                .sessions()
                .join(&parts[1].folder)
                .join("protocol.json"),
        )
        .expect("protocol"),
    )
    .expect("JSON");
    assert_eq!(
        last.entries.len(),
        entries.len(),
        "the closing entry is chained too"
    );
    assert!(
        entries.iter().all(|e| e.sealed),
        "nothing can be corrected in place now"
    );
}

#[test]
fn an_entry_is_corrected_in_place_and_the_audit_log_keeps_who_and_what() {
    let _words = WORDS.lock().unwrap_or_else(|e| e.into_inner());
    let mut ui = Harness::set_up();
    open_session(&mut ui, "3-77/2026");
    ui.type_into(session::DRAFT, "Ответчик не явился");
    ui.press_enter_in_draft();
    ui.click(tr!("entry-correct"));
    ui.send(Message::Session(session::Message::Editing(
        "Ответчик не явился, извещён надлежащим образом".to_owned(),
    )));
    ui.click(tr!("entry-save"));
    assert!(ui.shows(&tr!("entry-corrected")));
    let store = ui.store();
    let entries = store.entries(ui.session().session.id).expect("entries");
    assert_eq!(
        entries[0].text,
        "Ответчик не явился, извещён надлежащим образом"
    );
    assert_eq!(entries[0].offset_ms, None, "written before any recording");
    let corrections = store.corrections(entries[0].id).expect("audit");
    assert_eq!(corrections.len(), 1);
    assert_eq!(corrections[0].actor, "Айгүл Серікова");
    assert_eq!(corrections[0].before, "Ответчик не явился");
}

#[test]
fn nothing_records_without_a_session() {
    let _words = WORDS.lock().unwrap_or_else(|e| e.into_inner());
    let mut ui = Harness::set_up();
    assert!(matches!(ui.app.screen, Screen::Sessions(_)));
    assert!(
        !ui.shows(&tr!("record-button")),
        "the list has no Record button"
    );
    ui.send(Message::Session(session::Message::Record));
    ui.function_key(1);
    ui.function_key(10);
    std::thread::sleep(Duration::from_millis(500));
    assert!(
        ui.app.updates().try_recv().is_err(),
        "the recorder was not asked"
    );
    assert!(ui.store().unfinished_parts().expect("parts").is_empty());
    assert!(!ui.app.is_recording());
}

#[test]
fn closing_the_window_while_recording_asks_then_finishes_the_part_before_exiting() {
    let _words = WORDS.lock().unwrap_or_else(|e| e.into_inner());
    let mut ui = Harness::recording("1-5/2026");

    ui.send(Message::CloseRequested);
    assert!(
        ui.shows(&tr!("confirm-exit-title")),
        "closing asks while recording"
    );
    assert!(!ui.exited);
    ui.click(tr!("confirm-continue"));
    assert!(!ui.shows(&tr!("confirm-exit-title")));
    assert_eq!(ui.session().phase(), session::Phase::Recording);

    ui.send(Message::CloseRequested);
    ui.click(tr!("confirm-exit-yes"));
    assert!(!ui.exited, "not before the part is finished");
    ui.wait_for("the part to finish", |app| !app.is_recording());
    assert!(ui.exited, "then the program exits");
    let store = ui.store();
    let parts = store.parts_of(ui.session().session.id).expect("parts");
    assert_eq!(parts.len(), 1);
    assert_eq!(
        parts[0].state,
        PartState::Finished,
        "finished by end-of-stream"
    );
    assert!(
        parts[0].sealed_at.is_some(),
        "and sealed before the program ended"
    );
    assert!(
        ui.session().session.is_open(),
        "the session can be resumed later"
    );
}

#[test]
fn closing_the_window_when_not_recording_exits_at_once() {
    let _words = WORDS.lock().unwrap_or_else(|e| e.into_inner());
    let mut ui = Harness::set_up();
    ui.send(Message::CloseRequested);
    assert!(ui.exited);
}

#[test]
fn the_language_switches_at_once_in_settings_and_back_restores_it() {
    let _words = WORDS.lock().unwrap_or_else(|e| e.into_inner());
    let mut ui = Harness::set_up();
    ui.click(tr!("sessions-settings"));
    ui.send(Message::Settings(settings::Message::Language(
        hattama::config::Language::Kk,
    )));
    assert!(ui.shows(&tr!("settings-title")));
    assert_eq!(tr!("record-button"), "Жазу", "Kazakh at once");
    ui.click(tr!("settings-back"));
    assert_eq!(tr!("record-button"), "Record");
    ui.click(tr!("sessions-settings"));
    ui.type_into("utc-offset", "x");
    ui.click(tr!("settings-save"));
    assert!(
        ui.shows(&tr!("settings-offset-invalid")),
        "a wrong time zone is refused"
    );
}

#[test]
fn a_corrupt_database_shows_its_error_in_the_window() {
    let _words = WORDS.lock().unwrap_or_else(|e| e.into_inner());
    hattama::i18n::select("en");
    let folder = tempfile::tempdir().expect("temporary folder");
    std::fs::write(folder.path().join("hattama.sqlite3"), vec![7u8; 4096]).expect("garbage");
    let paths = Paths::new(None, Some(folder.path().to_owned()));
    let (app, task) = App::new(paths.clone(), Config::default(), Instant::now());
    let mut ui = Harness {
        app,
        folder,
        exited: false,
    };
    ui.run(task);
    assert!(matches!(ui.app.screen, Screen::Failed(_)));
    assert!(ui.shows(&tr!(
        "database-open-failed",
        path = paths.database().display().to_string()
    )));
    let garbage = std::fs::read(paths.database()).expect("still there");
    assert_eq!(garbage, vec![7u8; 4096], "the file is kept as it was");
}

/// Creates a session with no participants and opens it.
pub fn open_session(ui: &mut Harness, case_number: &str) {
    ui.click(tr!("sessions-new"));
    ui.type_into("case-number", case_number);
    ui.type_into("judge", "Нұрлан Омаров");
    ui.click(tr!("new-session-create"));
    assert_eq!(ui.session().session.case_number, case_number);
}

#[test]
fn settings_are_saved_and_the_next_session_uses_them() {
    let _words = WORDS.lock().unwrap_or_else(|e| e.into_inner());
    let mut ui = Harness::set_up();
    ui.click(tr!("sessions-settings"));
    let settings = ui.settings();
    let found = settings.found().expect("devices and profiles were listed");
    assert!(
        ["720p25", "1080p25", "480p25"]
            .iter()
            .all(|p| found.profiles.iter().any(|f| f == p)),
        "the built-in profiles are offered: {:?}",
        found.profiles
    );
    ui.send(Message::Settings(settings::Message::Operator(
        "Дана Жұмабаева".to_owned(),
    )));
    ui.send(Message::Settings(settings::Message::Profile(
        "480p25".to_owned(),
    )));
    ui.click(tr!("settings-save"));
    assert!(matches!(ui.app.screen, Screen::Sessions(_)));
    let saved = Config::load(&ui.folder.path().join("config.toml"), true).expect("saved");
    assert_eq!(saved.operator.name, "Дана Жұмабаева");
    assert_eq!(saved.recording.profile, "480p25");

    ui.click(tr!("sessions-new"));
    assert!(ui.shows("Дана Жұмабаева"), "the secretary is proposed");
    ui.type_into("case-number", "2-5/2026");
    ui.type_into("judge", "Нұрлан Омаров");
    ui.click(tr!("new-session-create"));
    ui.click(tr!("record-button"));
    ui.wait_for("recording", phase_is(session::Phase::Recording));
    ui.function_key(9);
    ui.wait_for("the recess", phase_is(session::Phase::Idle));
    let parts = ui.store().parts_of(ui.session().session.id).expect("parts");
    assert_eq!(parts[0].profile, "480p25", "the new profile records");
}

#[test]
fn the_list_shows_today_first_and_the_search_finds_case_numbers_and_names() {
    let _words = WORDS.lock().unwrap_or_else(|e| e.into_inner());
    let mut ui = Harness::set_up();
    open_session(&mut ui, "2-100/2026");
    ui.click(format!("← {}", tr!("back-to-sessions")));
    ui.click(tr!("sessions-new"));
    ui.type_into("case-number", "1-7/2026");
    ui.type_into("judge", "Омарова");
    ui.type_into("participant-0", "Жақсылықов Арман");
    ui.click(tr!("new-session-create"));
    ui.click(format!("← {}", tr!("back-to-sessions")));

    assert!(ui.shows(&tr!("sessions-today")));
    assert!(ui.shows("2-100/2026") && ui.shows("1-7/2026"));
    ui.type_into("sessions-search", "жақсы");
    assert!(ui.shows("1-7/2026"), "a name, in any case");
    assert!(!ui.shows("2-100/2026"));
    ui.send(Message::Sessions(sessions::Message::Search(
        "2-100".to_owned(),
    )));
    assert!(
        ui.shows("2-100/2026") && !ui.shows("1-7/2026"),
        "a case number"
    );
    ui.send(Message::Sessions(sessions::Message::Search(
        "нет такого".to_owned(),
    )));
    assert!(ui.shows(&tr!("sessions-none-found", query = "нет такого")));
    ui.send(Message::Sessions(sessions::Message::Search(String::new())));
    ui.click("1-7/2026".to_owned());
    assert_eq!(
        ui.session().session.case_number,
        "1-7/2026",
        "a click opens it"
    );
}

#[test]
fn each_part_shows_its_seal_and_check_finds_a_changed_byte() {
    let _words = WORDS.lock().unwrap_or_else(|e| e.into_inner());
    let mut ui = Harness::recording("2-300/2026");
    ui.function_key(9);
    ui.wait_for("the recess", phase_is(session::Phase::Idle));
    assert!(
        ui.shows(&tr!("seal-state-sealed")),
        "the part is sealed at once"
    );

    ui.click(tr!("seal-check"));
    let part = ui.store().parts_of(ui.session().session.id).expect("parts")[0].clone();
    assert_eq!(ui.session().check_of(part.id).map(|c| c.ok()), Some(true));
    assert!(ui.shows(&tr!("seal-check-ok")));

    let paths = Paths::new(None, Some(ui.folder.path().to_owned()));
    let recording = paths
        .sessions()
        .join(&part.folder)
        .join("recording-001.mkv");
    let mut bytes = std::fs::read(&recording).expect("recording");
    let middle = bytes.len() / 2;
    bytes[middle] ^= 1;
    std::fs::write(&recording, bytes).expect("changed");
    ui.click(tr!("seal-check"));
    let names_the_recording = |checked: &crate::screen::Checked| {
        !checked.ok()
            && checked
                .first_failure
                .as_deref()
                .is_some_and(|f| f.starts_with("recording-001.mkv"))
    };
    let checked = ui.session().check_of(part.id).expect("checked");
    assert!(names_the_recording(checked), "{checked:?}");

    // The list shows the seal; checking the whole folder finds the changed part.
    ui.click(format!("← {}", tr!("back-to-sessions")));
    assert!(ui.shows(&tr!("seal-state-sealed")));
    fn check(ui: &mut Harness, path: std::path::PathBuf) -> crate::screen::Checked {
        ui.send(Message::Sessions(sessions::Message::Picked(Some(path))));
        let Screen::Sessions(list) = &ui.app.screen else {
            panic!("the list");
        };
        list.checked().expect("checked").clone()
    }
    let checked = check(&mut ui, paths.sessions());
    assert_eq!((checked.parts, checked.failed), (1, 1));
    assert!(names_the_recording(&checked), "{checked:?}");

    // A disc image of the same: read with xorriso, the same finding.
    let image = ui.folder.path().join("case.iso");
    let made = std::process::Command::new("xorriso")
        .args(["-as", "mkisofs", "-quiet", "-J", "-R", "-o"])
        .arg(&image)
        .arg(paths.sessions())
        .output()
        .expect("xorriso runs");
    assert!(made.status.success());
    let checked = check(&mut ui, image);
    assert_eq!((checked.parts, checked.failed), (1, 1));
    assert!(names_the_recording(&checked), "{checked:?}");
    assert!(ui.shows(&checked.summary()));
}

#[test]
fn settings_show_the_key_and_its_certificate_export_it_and_never_replace_it() {
    let _words = WORDS.lock().unwrap_or_else(|e| e.into_inner());
    let mut ui = Harness::set_up();
    ui.click(tr!("sessions-settings"));
    let settings = ui.settings();
    let first = settings.key().expect("the key is made and shown").clone();
    assert!(ui.shows(&tr!("seal-key-label", id = first.id.clone())));
    assert!(ui.shows(&first.public));

    // Inside the data folder: refused, with the reason shown.
    let inside = ui.folder.path().join("court.pub");
    ui.send(Message::Settings(settings::Message::ExportTo(Some(
        inside.clone(),
    ))));
    assert!(!inside.exists());
    assert!(ui.shows(&tr!(
        "output-inside-data",
        path = inside.display().to_string()
    )));
    ui.send(Message::Settings(settings::Message::Dismiss));
    let elsewhere = outside();
    let exported = elsewhere.path().join("court.pub");
    ui.send(Message::Settings(settings::Message::ExportTo(Some(
        exported.clone(),
    ))));
    let file = std::fs::read_to_string(&exported).expect("exported");
    assert_eq!(
        hattama::seal::PublicKey::parse(&file)
            .expect("a key")
            .base64(),
        first.public
    );

    // The key is the court's administrator's to replace (`hattama keys rotate`), never
    // Settings': Settings says whether the court's root key certified it.
    assert!(ui.shows(&tr!("settings-key-uncertified")));
    assert_eq!(first.certified, None);
}

#[test]
fn a_sealed_entry_is_corrected_by_an_addendum_that_is_chained_and_signed_at_once() {
    let _words = WORDS.lock().unwrap_or_else(|e| e.into_inner());
    let mut ui = Harness::recording("2-400/2026");
    ui.type_into(session::DRAFT, "Свидетель Петров явился");
    ui.press_enter_in_draft();
    // Closing seals the part: the entry can no longer be changed in place.
    ui.click(tr!("stop-button"));
    ui.click(tr!("confirm-stop-close"));
    ui.wait_for("the session to close", |app| {
        matches!(&app.screen, Screen::Session(s) if !s.is_recording() && !s.session.is_open())
    });
    assert!(!ui.shows(&tr!("entry-correct")));
    ui.click(tr!("entry-addendum"));
    ui.send(Message::Session(session::Message::Editing(
        "Свидетель Петров не явился; явился свидетель Сидоров".to_owned(),
    )));
    ui.click(tr!("entry-save"));

    let store = ui.store();
    let session_id = ui.session().session.id;
    let entries = store.entries(session_id).expect("entries");
    let original = entries
        .iter()
        .find(|e| e.kind == EntryKind::Note)
        .expect("typed");
    assert_eq!(
        original.text, "Свидетель Петров явился",
        "the sealed entry is unchanged"
    );
    let addendum = entries
        .iter()
        .find(|e| e.kind == EntryKind::Addendum)
        .expect("the addendum");
    assert_eq!(addendum.corrects_id, Some(original.id));
    assert!(addendum.sealed, "chained at once");
    assert!(ui.shows(&format!(
        "↳ {}: {}",
        EntryKind::Addendum.label(),
        addendum.text
    )));

    let paths = Paths::new(None, Some(ui.folder.path().to_owned()));
    let part = &store.parts_of(session_id).expect("parts")[0];
    let folder = paths.sessions().join(&part.folder);
    let report = hattama::seal::verify_part(&folder, &hattama::seal::trusted_keys(&paths));
    assert!(report.ok(), "{report:#?}");
    let text = std::fs::read_to_string(folder.join("protocol.txt")).expect("protocol");
    assert!(
        text.contains(&format!("(→ {}) ", original.seq)) && text.contains("Сидоров"),
        "{text}"
    );
}

#[test]
fn a_case_disc_is_made_checked_burned_and_entered_in_the_inventory_from_the_window() {
    let _words = WORDS.lock().unwrap_or_else(|e| e.into_inner());
    let mut ui = Harness::recording("2-Іс/2026");
    ui.function_key(9);
    ui.wait_for("the recess", phase_is(session::Phase::Idle));
    ui.click(tr!("session-disc-copy"));
    let disc = |ui: &Harness| match &ui.app.screen {
        Screen::Disc(screen) => screen.plans().map(<[_]>::to_vec),
        _ => panic!("the disc copy is not shown"),
    };
    let plans = disc(&ui).expect("planned at once");
    assert_eq!(plans.len(), 1, "one part fits a DVD");
    assert!(ui.shows(&tr!(
        "disc-planned",
        disc = 1,
        of = 1,
        label = plans[0].label.clone(),
        megabytes = format!("{:.1}", plans[0].bytes() as f64 / 1e6),
        parts = 1
    )));

    // A CD is planned anew.
    ui.send(Message::Disc(crate::screen::disc::Message::Media(
        crate::screen::disc::MediaChoice(hattama::disc::Media::Cd),
    )));
    assert_eq!(
        disc(&ui).expect("planned")[0].media,
        hattama::disc::Media::Cd
    );

    let images = ui.folder.path().join("images");
    if let Screen::Disc(screen) = &mut ui.app.screen {
        screen.set_folder(images.clone());
    }
    ui.click(tr!("disc-build", count = 1));
    let Screen::Disc(screen) = &ui.app.screen else {
        panic!("still the disc copy");
    };
    assert_eq!(screen.built().len(), 1, "the image is made");
    let image = screen.built()[0].path.clone();
    assert!(image.starts_with(&images) && image.exists());
    assert_eq!(screen.inventory().len(), 1, "and entered in the inventory");
    assert!(ui.shows(&tr!("disc-images-ready", count = 1)));
    let entry = &ui.store().discs_of("2-Іс/2026").expect("inventory")[0];
    assert_eq!(entry.made_by, "Айгүл Серікова");

    // Checked, then burned to the pseudo-drive and read back.
    ui.click(tr!("seal-check"));
    let Screen::Disc(_) = &ui.app.screen else {
        panic!("still the disc copy");
    };
    assert!(ui.shows(&tr!(
        "seal-check-folder-ok",
        path = image.display().to_string(),
        count = 1
    )));
    let burned = ui.folder.path().join("burned.bin");
    let drive = format!("stdio:{}", burned.display());
    ui.send(Message::Disc(crate::screen::disc::Message::Drive(
        drive.clone(),
    )));
    ui.click(tr!("disc-burn"));
    let entry = &ui.store().discs_of("2-Іс/2026").expect("inventory")[0];
    assert_eq!(entry.burn_result.as_deref(), Some("match"));
    assert_eq!(entry.burned_to.as_deref(), Some(drive.as_str()));
    let line = crate::screen::disc::inventory_line(entry, court_config().court.time_zone());
    assert!(
        line.contains(&tr!("disc-inventory-burned-match")) && !line.contains(&entry.made_at),
        "in words and the court's time: {line}"
    );
    assert!(ui.shows(&line), "the inventory shows the burn: {line}");
    ui.picture("disc");
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

#[test]
fn each_part_shows_how_its_protocol_stands_with_baatzh_and_a_refusal_can_be_sent_again() {
    let _words = WORDS.lock().unwrap_or_else(|e| e.into_inner());
    let mut ui = Harness::recording("2-400/2026");
    ui.function_key(9);
    ui.wait_for("the recess", phase_is(session::Phase::Idle));
    let part = ui.store().parts_of(ui.session().session.id).expect("parts")[0].clone();
    ui.send(Message::Session(session::Message::RefreshDeliveries));
    let queued = ui
        .session()
        .delivery_of(part.id, "baatzh")
        .expect("queued with the seal")
        .clone();
    assert_eq!(queued.kind, "protocol");
    assert!(ui.shows(&tr!("outbox-pending", target = tr!("target-baatzh"))));
    assert!(
        ui.session().delivery_of(part.id, "server").is_some(),
        "the upload to the court server is queued with it"
    );

    // Delivered into a drop folder (as the worker does), then shown with its time.
    let drop = ui.folder.path().join("drop");
    let delivery = hattama::config::Delivery {
        baatzh_drop_folder: drop.display().to_string(),
        ..hattama::config::Delivery::default()
    };
    let paths = Paths::new(None, Some(ui.folder.path().to_owned()));
    let pass = deliver_now(&ui, &paths, &delivery);
    assert_eq!(pass.delivered, 1);
    ui.send(Message::Session(session::Message::RefreshDeliveries));
    let row = ui
        .session()
        .delivery_of(part.id, "baatzh")
        .expect("the row")
        .clone();
    assert_eq!(row.state, hattama::store::OutboxState::Delivered);
    let at = crate::screen::time_of_day(
        row.delivered_at
            .as_deref()
            .and_then(|t| t.parse().ok())
            .expect("a time"),
        Config::default().court.time_zone(),
    );
    assert!(ui.shows(&tr!("delivery-delivered", at = at)));

    // Refused for good: said, and "Send again" queues it anew.
    ui.store()
        .outbox_failed(row.id, "HTTP 401: wrong token")
        .expect("failed");
    ui.send(Message::Session(session::Message::RefreshDeliveries));
    assert!(ui.shows(&tr!(
        "outbox-failed",
        target = tr!("target-baatzh"),
        error = "HTTP 401: wrong token"
    )));
    ui.click(tr!("delivery-retry"));
    assert_eq!(
        ui.session()
            .delivery_of(part.id, "baatzh")
            .expect("the row")
            .state,
        hattama::store::OutboxState::Pending
    );
}

#[test]
fn a_damaged_part_is_brought_back_from_the_replica_from_its_session() {
    let _words = WORDS.lock().unwrap_or_else(|e| e.into_inner());
    let replica = tempfile::tempdir().expect("the replica's folder");
    let mut config = court_config();
    config.delivery.replica = format!("file://{}", replica.path().display());
    let mut ui = Harness::new(config.clone());
    open_session(&mut ui, "2-401/2026");
    ui.click(tr!("record-button"));
    ui.wait_for("recording", phase_is(session::Phase::Recording));
    ui.function_key(9);
    ui.wait_for("the recess", phase_is(session::Phase::Idle));
    let part = ui.store().parts_of(ui.session().session.id).expect("parts")[0].clone();
    assert!(part.sealed_at.is_some(), "sealed at the recess");

    // Replicated, as the worker does each day.
    let paths = Paths::new(None, Some(ui.folder.path().to_owned()));
    let trusted = hattama::seal::trusted_keys(&paths);
    let queued = hattama::delivery::replica::queue_replication(
        &mut ui.store(),
        &paths,
        &trusted,
        &config.delivery,
    )
    .expect("queued");
    assert_eq!(queued, 1);
    let pass = deliver_now(&ui, &paths, &config.delivery);
    assert!(pass.delivered >= 1, "{pass:?}");

    // Damaged here: the check says so and offers the replica's copy.
    let recording = paths
        .sessions()
        .join(&part.folder)
        .join("recording-001.mkv");
    let original = std::fs::read(&recording).expect("read");
    let mut bytes = original.clone();
    bytes[300] ^= 1;
    std::fs::write(&recording, &bytes).expect("damaged");
    ui.click(tr!("seal-check"));
    assert!(!ui.shows(&tr!("seal-check-ok")));
    ui.click(tr!("restore-from-replica"));
    assert_eq!(
        std::fs::read(&recording).expect("read"),
        original,
        "whole again"
    );
    assert!(
        ui.shows(&tr!("seal-check-ok")),
        "checked again after the restore"
    );
    let (manifest, _) =
        hattama::seal::verify::read_manifest(&paths.sessions().join(&part.folder)).expect("sealed");
    let on_replica = replica.path().join(hattama::delivery::server_folder(
        &manifest.identity.court,
        &manifest.identity.case_number,
        part.folder.to_string_lossy().as_ref(),
    ));
    let files = std::fs::read_dir(&on_replica).expect("replica").count();
    let folder = paths.sessions().join(&part.folder).display().to_string();
    assert!(ui.shows(&tr!("restore-done", folder = folder, files = files)));

    // The replica itself damaged and the part lost here: refused, said, nothing changed.
    std::fs::write(on_replica.join("recording-001.mkv"), &bytes).expect("replica damaged");
    std::fs::write(&recording, &bytes).expect("damaged again");
    ui.click(tr!("seal-check"));
    ui.click(tr!("restore-from-replica"));
    assert!(ui.shows(&tr!("restore-failed-title")));
    assert_eq!(
        std::fs::read(&recording).expect("read"),
        bytes,
        "left as it was"
    );
}

#[test]
fn the_judge_reviews_a_session_an_entry_clicked_plays_from_there() {
    let _words = WORDS.lock().unwrap_or_else(|e| e.into_inner());
    let mut ui = Harness::recording("2-402/2026");
    ui.type_into(session::DRAFT, "Судья открыл заседание");
    ui.press_enter_in_draft();
    std::thread::sleep(Duration::from_millis(1_500));
    ui.type_into(session::DRAFT, "Свидетель Ахметов дал показания");
    ui.press_enter_in_draft();
    std::thread::sleep(Duration::from_millis(1_000));
    ui.function_key(9);
    ui.wait_for("the recess", phase_is(session::Phase::Idle));

    ui.click(tr!("session-review"));
    let entries = ui.review().review().document.entries.clone();
    let witness = entries
        .iter()
        .position(|e| e.text == "Свидетель Ахметов дал показания")
        .expect("the entry");
    let offset = entries[witness].offset_ms.expect("recorded");
    assert!(offset >= 1_000, "{offset}");
    assert!(ui.review().player().is_some(), "the first part is open");
    assert!(ui.shows(&tr!(
        "review-part-seal",
        number = 1,
        state = tr!("review-seal-verified")
    )));

    // An entry clicked: played from there, highlighted.
    ui.click("Свидетель Ахметов дал показания".to_owned());
    assert_eq!(ui.review().position_ms(), offset);
    assert_eq!(ui.review().current(), Some(witness));
    let player = ui.review().player().expect("the player");
    player.settle(Duration::from_secs(5));
    let at = player.position_ms().expect("a position");
    assert!(
        (at - offset).abs() < 40,
        "the player is at {at}, the entry at {offset}"
    );
    // The frame there, as the window's subscription would bring it.
    let events = player.events();
    if let Some(frame) = hattama::review::player::next_frame(&events, Duration::from_secs(5)) {
        ui.send(Message::Review(crate::screen::review::Message::Player(
            hattama::review::player::Event::Frame(frame),
        )));
    }
    ui.picture("review");

    // The search narrows the list, and the count says so.
    ui.type_into(crate::screen::review::SEARCH, "ахметов");
    assert_eq!(ui.review().shown(), vec![witness]);
    assert!(ui.shows(&tr!(
        "review-found",
        shown = 1,
        all = (entries.len() as i64)
    )));
    assert!(!ui.shows("Судья открыл заседание"));
    ui.click(tr!("review-clear"));
    assert!(ui.shows("Судья открыл заседание"));

    // Keys: ← goes back 10 s (not before the start), Space plays and pauses, ↑ and Enter
    // play the entry above.
    ui.review_key(Key::Named(Named::ArrowLeft), Modifiers::empty());
    assert_eq!(ui.review().position_ms(), 0);
    ui.review_key(Key::Named(Named::Space), Modifiers::empty());
    assert!(ui.review().player().is_some_and(|p| p.is_playing()));
    ui.review_key(Key::Character("k".into()), Modifiers::empty());
    assert!(ui.review().player().is_some_and(|p| !p.is_playing()));
    ui.send(Message::Review(crate::screen::review::Message::Entry(
        witness,
    )));
    ui.review_key(Key::Named(Named::ArrowUp), Modifiers::empty());
    ui.review_key(Key::Named(Named::Enter), Modifiers::empty());
    let above = entries[..witness]
        .iter()
        .rposition(|e| e.corrects.is_none())
        .expect("an entry above");
    assert_eq!(ui.review().current(), Some(above));
    assert_eq!(
        ui.review().position_ms(),
        entries[above].offset_ms.expect("recorded")
    );

    // A clip of the first two seconds, signed; a range the wrong way round is refused.
    use crate::screen::review::Message as Review;
    ui.send(Message::Review(Review::ClipFrom("0:00:02".to_owned())));
    ui.send(Message::Review(Review::ClipTo("0:00:01".to_owned())));
    ui.send(Message::Review(Review::ExportClip));
    assert!(ui.shows(&tr!("clip-range")));
    ui.send(Message::Review(Review::Dismiss));
    ui.send(Message::Review(Review::ClipFrom("0:00:00".to_owned())));
    ui.send(Message::Review(Review::ClipTo("0:00:02".to_owned())));
    let elsewhere = outside();
    let clips = elsewhere.path().join("clips");
    std::fs::create_dir_all(&clips).expect("a folder for clips");
    ui.send(Message::Review(Review::ClipFolder(Some(clips.clone()))));
    let made: Vec<_> = std::fs::read_dir(&clips)
        .expect("clips")
        .map(|e| e.expect("entry").path())
        .collect();
    assert_eq!(made.len(), 1, "{made:?}");
    assert!(made[0].join("clip.mkv").is_file());
    assert!(ui.shows(&tr!(
        "review-clip-done",
        folder = made[0].display().to_string()
    )));

    // The secretary writes an addendum to the chosen entry: the session's screen, with it begun.
    ui.send(Message::Review(Review::Entry(witness)));
    ui.click(tr!("review-write-addendum"));
    let id = ui
        .store()
        .entries(ui.session().session.id)
        .expect("entries")
        .iter()
        .find(|e| e.seq == entries[witness].seq)
        .map(|e| e.id);
    assert_eq!(ui.session().editing(), id, "the addendum is begun");

    ui.click(tr!("session-review"));
    ui.review_key(Key::Named(Named::Escape), Modifiers::empty());
    assert!(matches!(ui.app.screen, Screen::Sessions(_)));
}

#[test]
fn a_copied_folder_is_reviewed_from_the_list_and_a_folder_without_seals_is_said() {
    let _words = WORDS.lock().unwrap_or_else(|e| e.into_inner());
    let mut ui = Harness::recording("2-403/2026");
    ui.type_into(session::DRAFT, "Стороны дали объяснения");
    ui.press_enter_in_draft();
    ui.function_key(9);
    ui.wait_for("the recess", phase_is(session::Phase::Idle));
    let part = ui.store().parts_of(ui.session().session.id).expect("parts")[0].clone();
    let folder = ui.folder.path().join("sessions").join(&part.folder);
    ui.send(Message::Session(session::Message::Back));

    // A folder with nothing sealed in it: said on the list, nothing else happens.
    let empty = ui.folder.path().join("empty");
    std::fs::create_dir_all(&empty).expect("a folder");
    ui.send(Message::Sessions(sessions::Message::ReviewPicked(Some(
        empty.clone(),
    ))));
    assert!(matches!(ui.app.screen, Screen::Sessions(_)));
    assert!(ui.shows(&tr!(
        "review-nothing-sealed",
        path = empty.display().to_string()
    )));

    // The part's folder, as copied from a disc: its protocol, read without the database.
    ui.send(Message::Sessions(sessions::Message::ReviewPicked(Some(
        folder.clone(),
    ))));
    let review = ui.review().review().clone();
    assert_eq!(
        review.source,
        hattama::review::Source::Folder(folder.clone())
    );
    assert!(
        review
            .document
            .entries
            .iter()
            .any(|e| e.text == "Стороны дали объяснения")
    );
    assert!(ui.shows(&tr!(
        "review-source-folder",
        path = folder.display().to_string()
    )));
    assert!(ui.shows("Стороны дали объяснения"));
    // Keys for the sound: the next track, and the volume.
    ui.review_key(Key::Character("t".into()), Modifiers::empty());
    assert_eq!(ui.review().player().map(|p| p.chosen_track()), Some(1));
    ui.review_key(Key::Character("-".into()), Modifiers::empty());
    assert!((ui.review().volume() - 0.9).abs() < 1e-9);

    // A copy whose sound no longer matches its seal: said in view, and it still plays.
    ui.send(Message::Review(crate::screen::review::Message::Back));
    let audio = folder.join("audio.opus");
    let mut bytes = std::fs::read(&audio).expect("read");
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    std::fs::write(&audio, bytes).expect("damaged");
    ui.send(Message::Sessions(sessions::Message::ReviewPicked(Some(
        folder.clone(),
    ))));
    assert!(ui.review().player().is_some(), "it still plays");
    let Some(hattama::review::SealState::Failed(what)) = ui.review().seal_of(1) else {
        panic!("the check fails: {:?}", ui.review().seal_of(1));
    };
    assert!(what.contains("audio.opus"), "{what}");
    assert!(ui.shows(&tr!(
        "review-part-seal",
        number = 1,
        state = tr!("review-seal-failed", what = what.clone())
    )));
}

#[test]
fn until_today_s_equipment_check_is_made_the_secretary_is_told_and_its_faults_are_named() {
    let _words = WORDS.lock().unwrap_or_else(|e| e.into_inner());
    let mut ui = Harness::set_up();
    open_session(&mut ui, "2-404/2026");
    assert!(ui.shows(&tr!("check-not-done-today")));
    // Recording is not held back by it.
    ui.click(tr!("record-button"));
    ui.wait_for("recording", phase_is(session::Phase::Recording));
    ui.function_key(9);
    ui.wait_for("the recess", phase_is(session::Phase::Idle));
    let session_id = ui.session().session.id;
    ui.send(Message::Session(session::Message::Back));

    // Made from the list; a machine without a camera says so.
    let cameras = hattama::recorder::devices::list()
        .expect("devices")
        .iter()
        .filter(|d| d.kind == hattama::recorder::devices::DeviceKind::Camera)
        .count();
    ui.click(tr!("check-run"));
    if ui.shows(&tr!("check-guided-finish")) {
        // A machine with microphones: their guided steps are left for the test below.
        ui.click(tr!("check-guided-finish"));
    }
    let kept = ui.store().last_check().expect("read").expect("kept");
    assert_eq!(kept.by_name, "Айгүл Серікова");
    assert_eq!(kept.role, "head-of-office");
    // Here (CI) there is none and it says so; on a machine with cameras each is judged.
    if cameras == 0 {
        assert!(ui.shows(&format!(
            "✖ {}: {}",
            tr!("check-camera"),
            tr!("check-no-camera")
        )));
    } else {
        let judged = kept
            .steps
            .iter()
            .filter(|step| step.what == "camera" && !step.subject.is_empty())
            .count();
        assert_eq!(judged, cameras, "{:?}", kept.steps);
    }
    // Saved as a page to print (the path is what the dialog would answer).
    let elsewhere = outside();
    let page = elsewhere.path().join("check.html");
    ui.send(Message::Sessions(sessions::Message::CheckPageTo(Some(
        page.clone(),
    ))));
    assert!(
        std::fs::read_to_string(&page)
            .expect("the page")
            .contains("Айгүл Серікова")
    );
    assert!(ui.shows(&tr!("check-page-saved", path = page.display().to_string())));
    let failed: Vec<String> = kept.failed().map(|s| s.label()).collect();
    let count = failed.len() as i64;
    assert!(ui.shows(&if failed.is_empty() {
        tr!("check-passed")
    } else {
        tr!("check-failed", count = count)
    }));

    // The secretary's screen no longer asks for the check; it names today's faults, if any.
    let session = ui.store().session(session_id).expect("the session");
    ui.send(Message::Found(Ok(Box::new(session))));
    assert!(!ui.shows(&tr!("check-not-done-today")));
    let faults = tr!(
        "check-today-failed",
        count = count,
        what = failed.join(", ")
    );
    assert_eq!(ui.shows(&faults), !failed.is_empty());
}

fn network_microphone(name: &str, pipeline: &str) -> hattama::config::NetworkInput {
    hattama::config::NetworkInput {
        kind: "microphone".to_owned(),
        name: name.to_owned(),
        pipeline: pipeline.to_owned(),
    }
}

#[test]
fn the_guided_check_listens_to_each_microphone_plays_it_back_and_keeps_the_answer() {
    let _words = WORDS.lock().unwrap_or_else(|e| e.into_inner());
    let mut config = court_config();
    config.recording.network_inputs = vec![
        network_microphone("Судья", "audiotestsrc is-live=true wave=sine volume=0.5"),
        network_microphone("Куәгер", "audiotestsrc is-live=true wave=silence"),
    ];
    let mut ui = Harness::new(config);
    ui.click(tr!("check-run"));
    if ui.store().last_check().expect("read").is_some() {
        panic!("the check waits for its guided steps");
    }
    assert!(ui.shows(&tr!("check-guided-title", done = 1, total = 2)));
    ui.click(tr!("check-guided-listen"));
    let guided = ui.sessions().guided().expect("guided").clone();
    let heard = guided.heard.expect("heard and played back");
    assert!(
        (-8.0..=-4.0).contains(&heard.sound.peak_db),
        "a sine at half scale peaks at about -6 dBFS: {}",
        heard.sound.peak_db
    );
    ui.click(tr!("check-guided-yes"));
    assert!(ui.shows(&tr!("check-guided-title", done = 2, total = 2)));
    // The witness's microphone gives nothing however hard one speaks: it fails even if
    // the person says they heard something.
    ui.click(tr!("check-guided-listen"));
    ui.click(tr!("check-guided-yes"));
    let kept = ui.store().last_check().expect("read").expect("kept");
    let spoken: Vec<_> = kept.steps.iter().filter(|s| s.what == "spoken").collect();
    assert_eq!(spoken.len(), 2);
    assert_eq!(spoken[0].subject, "Судья");
    assert_eq!(spoken[0].state, hattama::check::StepState::Passed);
    assert_eq!(spoken[1].subject, "Куәгер");
    assert_eq!(spoken[1].state, hattama::check::StepState::Failed);
    assert!(spoken[1].detail.contains("-99"), "{}", spoken[1].detail);
    // Its automatic step: both network microphones give sound (the silent one too).
    assert!(kept.steps.iter().any(|s| s.what == "microphone"
        && s.subject == "Судья"
        && s.state == hattama::check::StepState::Passed));
}

#[test]
fn an_input_failing_while_recording_is_shown_in_red_and_its_technical_act_is_attached() {
    let _words = WORDS.lock().unwrap_or_else(|e| e.into_inner());
    let mut config = court_config();
    config.recording.profile = "480p25".to_owned();
    config.recording.network_inputs = vec![network_microphone(
        "Куәгер",
        "audiotestsrc is-live=true ! identity error-after=120",
    )];
    let mut ui = Harness::new(config);
    open_session(&mut ui, "2-505/2026");
    ui.click(tr!("record-button"));
    ui.wait_for("recording", phase_is(session::Phase::Recording));
    ui.wait_for(
        "the incident",
        |app| matches!(&app.screen, Screen::Session(s) if !s.incidents().is_empty()),
    );
    assert!(ui.shows(&tr!("incidents-title", count = 1)));
    let incident = ui.session().incidents()[0].clone();
    assert_eq!(incident.kind, "input-error");
    assert_eq!(incident.input_name, "Куәгер");
    assert!(incident.ended_at.is_none());
    // In the protocol at once, where it happened.
    assert!(
        ui.session()
            .entries()
            .iter()
            .any(|e| e.kind == hattama::protocol::EntryKind::Incident && e.offset_ms.is_some())
    );
    ui.function_key(9);
    ui.wait_for("the recess", phase_is(session::Phase::Idle));
    let incident = ui.session().incidents()[0].clone();
    assert!(incident.ended_at.is_some(), "ended with the part");
    let session_id = ui.session().session.id;

    // The sessions list says the act is awaited, and by when (rule 29: one working day);
    // the incident's line there opens its session.
    ui.click(format!("← {}", tr!("back-to-sessions")));
    assert!(ui.shows(&tr!("acts-awaiting", count = 1)));
    let zone = ui.app.config.court.time_zone();
    let awaiting =
        hattama::act::list(&ui.store(), false, zone, chrono::Utc::now()).expect("listed");
    let line = awaiting[0].line(zone);
    let started = chrono::DateTime::parse_from_rfc3339(&incident.started_at)
        .expect("a time")
        .with_timezone(&chrono::Utc);
    let due = hattama::act::due(started, zone).with_timezone(&zone);
    assert!(
        line.contains(&due.format("%Y-%m-%d %H:%M").to_string()),
        "{line}"
    );
    ui.click(line);
    assert_eq!(ui.session().session.id, session_id, "its session opened");

    ui.click(tr!("act-draw-up"));
    ui.send(Message::Session(session::Message::ActCause(
        "Кабель үзілген / обрыв кабеля".to_owned(),
    )));
    ui.send(Message::Session(session::Message::ActConfirmedBy(
        "Б. Оспанов".to_owned(),
    )));
    ui.click(tr!("act-save"));
    assert!(ui.shows(&tr!("act-drawn-up", number = incident.id)));
    let stored = ui.store().incident(incident.id).expect("the incident");
    assert!(stored.technical_act.expect("kept").contains("Б. Оспанов"));
    let part = ui
        .store()
        .parts_of(ui.session().session.id)
        .expect("parts")
        .remove(0);
    let folder = ui.folder.path().join("sessions").join(&part.folder);
    let manifest = std::fs::read_to_string(folder.join("manifest.json")).expect("sealed");
    assert!(
        manifest.contains(&format!("technical-act-{}.html", incident.id)),
        "the act is signed with the part"
    );
    let protocol = std::fs::read_to_string(folder.join("protocol.txt")).expect("protocol");
    assert!(protocol.contains("обрыв кабеля"), "{protocol}");
    ui.click(format!("← {}", tr!("back-to-sessions")));
    assert!(
        !ui.shows(&tr!("acts-awaiting", count = 1)),
        "no act is awaited any more"
    );
    ui.send(Message::Sessions(sessions::Message::Open(session_id)));
    // Its page saved where the secretary chooses (the dialog's answer).
    let elsewhere = outside();
    let page = elsewhere.path().join("act.html");
    ui.send(Message::Session(session::Message::ActPageTo(
        incident.id,
        Some(page.clone()),
    )));
    assert!(
        std::fs::read_to_string(&page)
            .expect("the page")
            .contains("Б. Оспанов")
    );
}
