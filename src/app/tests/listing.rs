//! The list of sessions: today first, the search.

use super::*;

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
