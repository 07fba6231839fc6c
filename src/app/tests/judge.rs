//! The judge's review: a session played from an entry; a copied folder reviewed from the list.

use super::*;

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
    ui.send(Message::Review(Review::Panel(
        crate::widget::Panel::Dismiss,
    )));
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
