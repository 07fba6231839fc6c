//! The secretary's day: a session from first start to close, recording, the protocol, a recess,
//! closing the window.

use super::*;

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
