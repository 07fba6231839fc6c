//! Settings: the language, the court's details, the key and its certificate; a corrupt database.

use super::*;

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
    ui.send(Message::Settings(settings::Message::Panel(
        crate::widget::Panel::Dismiss,
    )));
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
