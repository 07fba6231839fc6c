//! The case disc from the window: made, checked, burned, entered in the inventory.

use super::*;

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
