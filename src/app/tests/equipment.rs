//! The daily equipment check: the secretary told until it is made, the guided check listening to each microphone.

use super::*;

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
    assert!(
        spoken[1].detail.text().contains("-99"),
        "{}",
        spoken[1].detail
    );
    // Its automatic step: both network microphones give sound (the silent one too).
    assert!(kept.steps.iter().any(|s| s.what == "microphone"
        && s.subject == "Судья"
        && s.state == hattama::check::StepState::Passed));
}
