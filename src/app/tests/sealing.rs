//! Each part's seal, checked from the window; a sealed entry corrected by an addendum.

use super::*;

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
