//! `hattama bench-entries`: how long Enter takes to make an entry durable while a part
//! records. The entry goes the way the window sends it: to the database thread, written
//! and committed (`synchronous=FULL`), and the answer back.

use std::time::{Duration, Instant};

use chrono::Utc;

use hattama::config::Config;
use hattama::part;
use hattama::paths::Paths;
use hattama::problem::Problem;
use hattama::protocol::{EntryKind, NewEntry, Stamp};
use hattama::recording::{Controller, Update};
use hattama::store::Store;

use crate::screen::Database;

pub fn entries(
    paths: &Paths,
    config: &Config,
    count: usize,
    every: Duration,
) -> Result<serde_json::Value, Box<dyn Problem>> {
    let mut store = Store::open(&paths.database()).map_err(boxed)?;
    part::recover(&store, paths).map_err(boxed)?;
    let session =
        part::open_session(&mut store, config, "bench-entries", "bench").map_err(boxed)?;
    let database = Database::spawn(store);
    let (controller, updates, _thread) = Controller::spawn(paths.clone());
    let mut config = config.clone();
    config.recording.demo_when_no_devices = true;
    controller.start(session, &config);
    let (part_id, first_media) = loop {
        match updates.recv_blocking() {
            Ok(Update::Recording { part_id, timing }) => break (part_id, timing.first_media_wall),
            Ok(Update::Failed(error)) => return Err(Box::new(error)),
            Ok(_) => {}
            Err(_) => return Err(Box::new(hattama::store::StoreError::Unavailable)),
        }
    };
    // The window reads updates all the time; so does this.
    let reader = std::thread::spawn(move || {
        while let Ok(update) = updates.recv_blocking() {
            if let Update::Ended(ended) = update {
                return Some(ended);
            }
        }
        None
    });
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .map_err(|error| {
            boxed(hattama::recorder::RecorderError::Start {
                message: error.to_string(),
            })
        })?;
    // The encoder and the recording's own disk syncs reach their steady state first.
    std::thread::sleep(Duration::from_secs(3));
    let mut took = Vec::with_capacity(count);
    for n in 0..count {
        let entry = NewEntry {
            session_id: session,
            stamp: Stamp::at(Utc::now(), Some((part_id, first_media))),
            kind: EntryKind::Note,
            speaker_id: None,
            text: format!("Entry {n}: the witness answered the prosecutor's question."),
        };
        let pressed = Instant::now();
        runtime
            .block_on(database.request(move |store| store.add_entry(&entry)))
            .map_err(boxed)?;
        took.push(pressed.elapsed());
        std::thread::sleep(every.saturating_sub(pressed.elapsed()));
    }
    controller.stop();
    let ended = reader.join().ok().flatten();
    took.sort_unstable();
    let at = |share: f64| {
        let index = ((took.len() as f64 * share).ceil() as usize).clamp(1, took.len()) - 1;
        millis(took[index])
    };
    Ok(serde_json::json!({
        "count": count,
        "every_ms": every.as_millis() as u64,
        "p50_ms": at(0.50),
        "p99_ms": at(0.99),
        "max_ms": took.last().map(|d| millis(*d)),
        "part_state": ended.map(|e| e.state),
    }))
}

fn millis(duration: Duration) -> f64 {
    (duration.as_secs_f64() * 1e6).round() / 1e3
}

fn boxed<E: Problem + 'static>(error: E) -> Box<dyn Problem> {
    Box::new(error)
}
