//! An input failing while recording: shown in red, its technical act attached.

use super::*;

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
