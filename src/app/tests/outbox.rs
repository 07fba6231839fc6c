//! ҚР СО БААТЖ's answer for each part, a refusal sent again; a damaged part brought back from the replica.

use super::*;

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
