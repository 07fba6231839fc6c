//! The judge's desk: the court's cases from the court server, a case reviewed straight from
//! it, and a recording changed on the server named when it plays.

use super::*;
use crate::screen::cases;
use crate::screen::review::Message as Review;

#[test]
fn the_judge_reviews_a_case_from_the_court_server_and_a_changed_recording_is_named() {
    let _words = WORDS.lock().unwrap_or_else(|e| e.into_inner());
    let server = tempfile::tempdir().expect("the court server's folder");
    let mut config = court_config();
    config.delivery.server = format!("file://{}", server.path().display());

    // A courtroom records the case, with an entry, and delivers it to the court server.
    let case = "2-515/2026";
    let mut secretary = Harness::new(config.clone());
    open_session(&mut secretary, case);
    secretary.click(tr!("record-button"));
    secretary.wait_for("recording", phase_is(session::Phase::Recording));
    std::thread::sleep(Duration::from_millis(1_200));
    secretary.type_into(session::DRAFT, "Свидетель Ахметов дал показания");
    secretary.press_enter_in_draft();
    std::thread::sleep(Duration::from_millis(800));
    secretary.function_key(9);
    secretary.wait_for("the recess", phase_is(session::Phase::Idle));
    let paths = Paths::new(None, Some(secretary.folder.path().to_owned()));
    for _ in 0..3 {
        deliver_now(&secretary, &paths, &config.delivery);
    }

    // The judge's desk: another computer, the hall's key trusted, no recording.
    let desk = tempfile::tempdir().expect("the judge's data folder");
    let trusted = desk.path().join("keys/trusted");
    std::fs::create_dir_all(&trusted).expect("folder");
    std::fs::copy(paths.keys().join("hattama.pub"), trusted.join("hall-5.pub")).expect("key");
    let mut judge_config = config.clone();
    judge_config.workstation.role = hattama::config::Role::Judge;
    judge_config.operator.name = "Ерлан Ахметов".to_owned();
    let mut judge = Harness::in_folder(judge_config, desk);
    assert!(
        matches!(judge.app.screen, Screen::Cases(_)),
        "the desk opens on the cases"
    );
    assert!(judge.shows(case), "the case is listed");
    judge.type_into("cases-search", "нет-такого");
    assert!(!judge.shows(case));
    judge.type_into("cases-search", "");
    judge.send(Message::Cases(cases::Message::Search("2-515".to_owned())));
    assert!(judge.shows(case));
    judge.picture("cases");

    // Reviewed from the server: the seal checked without reading the recordings, an entry
    // clicked plays from there.
    judge.click(tr!("cases-review"));
    assert!(
        judge.review().streamed(),
        "{}",
        "the review is the server's"
    );
    assert!(judge.shows(&tr!(
        "review-part-seal",
        number = 1,
        state = tr!("review-seal-streaming")
    )));
    let entries = judge.review().review().document.entries.clone();
    let witness = entries
        .iter()
        .position(|e| e.text == "Свидетель Ахметов дал показания")
        .expect("the entry");
    let offset = entries[witness].offset_ms.expect("recorded");
    judge.click("Свидетель Ахметов дал показания".to_owned());
    assert_eq!(judge.review().current(), Some(witness));
    let player = judge.review().player().expect("the player");
    player.settle(Duration::from_secs(5));
    let at = player.position_ms().expect("a position");
    assert!(
        (at - offset).abs() < 40,
        "the player is at {at}, the entry at {offset}"
    );
    judge.send(Message::Review(Review::Back));
    assert!(
        matches!(judge.app.screen, Screen::Cases(_)),
        "back to the cases"
    );

    // A recording changed on the server: opening it stops on the first changed chunk, named.
    let recording = walk(server.path())
        .into_iter()
        .find(|path| path.ends_with("recording-001.mkv"))
        .expect("the recording on the server");
    let mut bytes = std::fs::read(&recording).expect("read");
    bytes[200] ^= 1;
    std::fs::write(&recording, &bytes).expect("changed");
    judge.click(tr!("cases-review"));
    assert!(judge.review().player().is_none(), "nothing plays");
    let file = walk(server.path())
        .into_iter()
        .find(|path| path.ends_with("recording-001.mkv"))
        .and_then(|path| {
            let part = path.parent()?;
            let session = part.parent()?;
            Some(format!(
                "{}/{}/recording-001.mkv",
                session.file_name()?.to_string_lossy(),
                part.file_name()?.to_string_lossy()
            ))
        })
        .expect("its name under the case");
    assert!(judge.shows(&tr!("stream-changed", file = file)), "named");
}

fn walk(folder: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(folder).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(walk(&path));
        } else {
            found.push(path);
        }
    }
    found
}
