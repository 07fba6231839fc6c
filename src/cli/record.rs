//! `hattama record`: a part recorded from the terminal, its incidents said as they happen,
//! stopped by Ctrl+C or SIGTERM through end-of-stream.

use std::io::IsTerminal;
use std::process::ExitCode;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use hattama::config::Config;
use hattama::paths::Paths;
use hattama::problem::render;
use hattama::recorder::{self, Event, Profile, devices};
use hattama::store::Store;
use hattama::{part, tr};

use super::{fail, print_json, report_recovered, stop_signal};

/// An incident as the terminal says it: loud, with the local time.
fn incident_line(incident: &recorder::Incident) -> String {
    let at = |time: chrono::DateTime<chrono::Utc>| {
        time.with_timezone(&chrono::Local)
            .format("%H:%M:%S")
            .to_string()
    };
    let what = hattama::incident::what_here(incident.kind.code(), &incident.name);
    match incident.ended {
        None => tr!(
            "incident-began-line",
            what = what,
            at = at(incident.began),
            details = incident.details.clone()
        ),
        Some(ended) => tr!("incident-ended-line", what = what, at = at(ended)),
    }
}

fn format_elapsed(elapsed: Duration) -> String {
    let seconds = elapsed.as_secs();
    format!(
        "{:02}:{:02}:{:02}",
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60
    )
}

pub(super) fn run(
    paths: &Paths,
    config: &Config,
    (demo, seconds): (Option<(usize, usize)>, Option<f64>),
    (case, judge, continued): (Option<String>, String, Option<i64>),
    profile: Option<String>,
    json: bool,
) -> ExitCode {
    let stop = stop_signal();
    let mut store = match Store::open(&paths.database()) {
        Ok(store) => store,
        Err(error) => return fail(&error),
    };
    match part::recover(&mut store, paths, config) {
        Ok(recovered) => {
            if !recovered.is_empty() {
                report_recovered(&recovered);
            }
            hattama::seal::seal_pending(&mut store, paths, config);
        }
        Err(error) => return fail(&error),
    }
    let profile_name = profile.unwrap_or_else(|| config.recording.profile.clone());
    let prepared = Profile::find(&profile_name, &paths.profiles()).and_then(|profile| {
        let selection = match demo {
            Some((cameras, microphones)) => recorder::inputs::demo_inputs(cameras, microphones),
            None => recorder::inputs::choose(&config.recording, &devices::list()?, false)?,
        };
        Ok((profile, selection))
    });
    let (profile, selection) = match prepared {
        Ok(prepared) => prepared,
        Err(error) => return fail(&error),
    };
    for reason in &selection.demo_reasons {
        eprintln!("{}", reason.message());
    }
    let case_number = case.unwrap_or_else(|| if demo.is_some() { "DEMO" } else { "—" }.to_owned());
    let opened = match continued {
        Some(id) => match store.session(id) {
            Ok(session) if session.closed_at.is_some() => {
                eprintln!(
                    "{}: {}",
                    tr!("error-label"),
                    tr!("record-session-closed", session = id)
                );
                return ExitCode::FAILURE;
            }
            Ok(session) => Ok(session.id),
            Err(error) => Err(error),
        },
        None => part::open_session(&mut store, config, &case_number, ("", &judge)),
    };
    let session = match opened {
        Ok(session) => session,
        Err(error) => return fail(&error),
    };
    let (active, events) =
        // Nobody looks at previews on a terminal: they are not made.
        match part::begin(&mut store, paths, config, session, selection, &profile, false) {
            Ok(started) => started,
            Err(error) => return fail(&error),
        };
    eprintln!(
        "{}",
        tr!(
            "record-started",
            folder = active.folder.display().to_string()
        )
    );
    let deadline = seconds.map(Duration::from_secs_f64);
    let progress = std::io::stderr().is_terminal() && !json;
    let mut began: Option<Instant> = None;
    let mut last_shown = 0;
    let mut stopping = false;
    let mut stop_asked: Option<Instant> = None;
    loop {
        while let Ok(event) = events.try_recv() {
            if let Err(error) = active.record_event(&mut store, &event) {
                eprintln!("{}", render(&error));
            }
            match &event {
                Event::Started(_) => began = Some(Instant::now()),
                Event::Error(error) => eprintln!("{}", render(error)),
                Event::Incident(incident) => eprintln!("{}", incident_line(incident)),
                _ => {}
            }
        }
        let state = active.recorder.state();
        if state.is_final() {
            break;
        }
        let elapsed = began.map(|began| began.elapsed()).unwrap_or_default();
        let time_up = deadline.is_some_and(|deadline| began.is_some() && elapsed >= deadline);
        if !stopping && (time_up || stop.load(Ordering::SeqCst)) {
            stopping = true;
            stop_asked = Some(Instant::now());
            if let Err(error) = active.stop(&store) {
                eprintln!("{}", render(&error));
            }
        }
        if progress && elapsed.as_secs() != last_shown {
            last_shown = elapsed.as_secs();
            eprint!("\r{} {}", tr!("record-elapsed"), format_elapsed(elapsed));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    if progress {
        eprintln!();
    }
    let inputs: Vec<_> = active.selection.inputs.iter().map(|i| i.info()).collect();
    let part_id = active.part.id;
    let ended = match active.finish(&mut store) {
        Ok(ended) => ended,
        Err(error) => return fail(&error),
    };
    // Signed the moment it ends (rule 20): the failure to seal is said, the recording kept.
    let sealed = hattama::seal::seal_now(&mut store, paths, part_id, config);
    let stop_to_sealed = stop_asked.map(|asked| asked.elapsed().as_secs_f64() * 1000.0);
    if let Err(error) = &sealed {
        eprintln!("{}", render(error));
    }
    let part = match store.part(part_id) {
        Ok(part) => part,
        Err(error) => return fail(&error),
    };
    if json {
        // The part's incidents (rule 27), as kept.
        let incidents: Vec<_> = store
            .incidents_of(part.session_id)
            .unwrap_or_default()
            .into_iter()
            .filter(|incident| incident.part_id == Some(part.id))
            .collect();
        print_json(&serde_json::json!({
            "part": ended.folder,
            "incidents": incidents,
            "recordings": hattama::paths::PartFiles(&ended.folder).recordings(),
            "part_id": part.id,
            "session_id": part.session_id,
            "case": part.case_number,
            "state": ended.state,
            "duration_s": ended.summary.duration.as_secs_f64(),
            "first_media_ns": part.first_media_ns,
            "first_media_wall": part.first_media_wall,
            "video_frames": ended.summary.video_frames,
            "dropped_frames": ended.summary.dropped_frames,
            "tracks": ended.summary.tracks,
            "inputs": inputs,
            "profile": profile.name,
            "error": ended.error.as_ref().map(ToString::to_string),
            "sealed": sealed.as_ref().ok().map(|s| s.folder.join(hattama::seal::part::MANIFEST)),
            "key_id": sealed.as_ref().ok().map(|s| s.manifest.key_id.clone()),
            "stop_to_sealed_ms": stop_to_sealed,
            "seal_error": sealed.as_ref().err().map(ToString::to_string),
            "stopped_for": ended.summary.stopped_for,
        }));
    } else {
        println!("{}", ended.folder.display());
    }
    if let Some(why) = &ended.summary.stopped_for {
        eprintln!("{}", tr!("disk-stopped", why = why.clone()));
    }
    match &ended.error {
        Some(error) => fail(error),
        None => ExitCode::SUCCESS,
    }
}
