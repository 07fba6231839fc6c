//! The engine with real demo pipelines.

use super::*;
use crate::config;
use crate::protocol::IncidentKind;
use crate::recorder::inputs::choose;

fn demo_recording(folder: &Path) -> (Recorder, async_channel::Receiver<Event>) {
    demo_recording_in_files(
        folder,
        crate::recorder::Segments::of(&config::Recording::default()),
    )
}

fn demo_recording_in_files(
    folder: &Path,
    segments: Segments,
) -> (Recorder, async_channel::Receiver<Event>) {
    demo_recording_with(
        folder,
        segments,
        crate::recorder::Limits::of(&config::Recording::default()),
    )
}

fn demo_recording_with(
    folder: &Path,
    segments: Segments,
    limits: Limits,
) -> (Recorder, async_channel::Receiver<Event>) {
    let selection = choose(&config::Recording::default(), &[], true).expect("demo inputs");
    let profile = Profile::find("480p25", Path::new("/nonexistent")).expect("profile");
    Recorder::start(
        &selection.inputs,
        &profile,
        folder,
        Options {
            sync_interval: Duration::from_millis(200),
            previews: true,
            segments,
            stop_below: 0,
            warn_below: 0,
            limits,
        },
    )
    .expect("the recording starts")
}

fn drain(events: &async_channel::Receiver<Event>) -> Vec<Event> {
    std::iter::from_fn(|| events.try_recv().ok()).collect()
}

#[test]
fn a_recording_reports_states_levels_previews_and_media_time() {
    let folder = tempfile::tempdir().expect("temporary folder");
    let started_at = Utc::now();
    let (recorder, events) = demo_recording(folder.path());
    // A reader that keeps up, as the window does (a lagging one gets no previews).
    let reader = std::thread::spawn(move || {
        std::iter::from_fn(|| events.recv_blocking().ok().map(|e| (Utc::now(), e)))
            .collect::<Vec<_>>()
    });
    std::thread::sleep(Duration::from_secs(3));
    let position = recorder.media_time().expect("media time once recording");
    let asked_at = Utc::now();
    assert!(
        (2.0..3.5).contains(&position.as_secs_f64()),
        "media time {position:?} follows the clock"
    );
    recorder.stop();
    let summary = recorder.wait();
    assert_eq!(summary.state, State::Stopped);
    assert!(summary.error.is_none());
    let stamped = reader.join().expect("the reader collected every event");
    let events: Vec<Event> = stamped.iter().map(|(_, e)| e.clone()).collect();

    let states: Vec<State> = events
        .iter()
        .filter_map(|e| match e {
            Event::State(s) => Some(*s),
            _ => None,
        })
        .collect();
    assert_eq!(
        states,
        [
            State::Starting,
            State::Recording,
            State::Stopping,
            State::Stopped
        ]
    );
    // The first media's wall time lies between asking to start and hearing it started
    // (starting may take seconds on a busy machine), and agrees with the media time.
    let (heard_at, timing) = stamped
        .iter()
        .find_map(|(at, e)| match e {
            Event::Started(timing) => Some((*at, *timing)),
            _ => None,
        })
        .expect("the timeline is reported");
    assert!(
        started_at <= timing.first_media_wall && timing.first_media_wall <= heard_at,
        "first media at {}, asked at {started_at}, heard at {heard_at}",
        timing.first_media_wall
    );
    let disagreement =
        (asked_at - timing.first_media_wall).num_milliseconds() - position.as_millis() as i64;
    assert!(
        disagreement.abs() < 200,
        "wall clock and media time differ by {disagreement} ms"
    );

    for input in ["microphone-1", "remote"] {
        let levels: Vec<&Levels> = events
            .iter()
            .filter_map(|e| match e {
                Event::Levels(levels) if levels.input == input => Some(levels),
                _ => None,
            })
            .collect();
        assert!(
            // About ten a second; frequent events are dropped, not queued, when the reader
            // lags (a busy machine), so only the upper bound is firm.
            (5..=40).contains(&levels.len()),
            "{input}: about ten level reports a second, got {}",
            levels.len()
        );
        assert!(
            levels
                .iter()
                .all(|l| l.peak_db.len() == 1 && l.rms_db.len() == 1)
        );
        assert!(
            levels.iter().any(|l| l.peak_db[0] > -40.0),
            "{input}: the demo sound is heard"
        );
    }
    let frames: Vec<&Frame> = events
        .iter()
        .filter_map(|e| match e {
            Event::Preview(frame) => Some(frame),
            _ => None,
        })
        .collect();
    assert!(
        frames.len() >= 3,
        "a few preview frames a second: {}",
        frames.len()
    );
    let frame = frames[0];
    assert_eq!(
        (frame.input.as_str(), frame.width, frame.height),
        ("camera-1", 320, 180)
    );
    assert_eq!(frame.rgba.len(), 320 * 180 * 4);
    let times: Vec<Duration> = events
        .iter()
        .filter_map(|e| match e {
            Event::MediaTime(t) => Some(*t),
            _ => None,
        })
        .collect();
    assert!(
        times.len() >= 5,
        "media time about ten times a second (some may be dropped): {}",
        times.len()
    );
    assert!(
        times.windows(2).all(|w| w[0] <= w[1]),
        "media time never goes back"
    );
    assert!(matches!(events.last(), Some(Event::Finished(_))));
}

fn wait_recording(recorder: &Recorder) {
    while recorder.state() != State::Recording {
        assert!(!recorder.state().is_final(), "the recording starts");
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn incidents_in(events: &[Event]) -> Vec<Incident> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::Incident(incident) => Some(incident.clone()),
            _ => None,
        })
        .collect()
}

/// The demo microphone's source fails, as a device whose cable is pulled does.
fn pull_the_cable(recorder: &Recorder) {
    let source = recorder
        .pipeline
        .by_name("microphone-1-source")
        .expect("the microphone's source");
    gst::element_error!(source, gst::ResourceError::Read, ("the cable was pulled"));
}

#[test]
fn a_failing_input_is_an_incident_and_the_recording_goes_on() {
    let folder = tempfile::tempdir().expect("temporary folder");
    let (recorder, events) = demo_recording(folder.path());
    wait_recording(&recorder);
    std::thread::sleep(Duration::from_secs(1));
    pull_the_cable(&recorder);
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!(recorder.state(), State::Recording, "the others record on");
    assert!(
        recorder.pipeline.by_name("stand-in-microphone-1").is_some(),
        "a stand-in records in its place"
    );
    recorder.stop();
    let summary = recorder.wait();
    assert_eq!(summary.state, State::Stopped);
    assert!(summary.error.is_none(), "{:?}", summary.error);
    assert!(summary.duration > Duration::from_millis(2500));
    let incidents = incidents_in(&drain(&events));
    assert_eq!(
        incidents.len(),
        2,
        "begun, then ended with the part: {incidents:?}"
    );
    assert_eq!(incidents[0].input, "microphone-1");
    assert_eq!(incidents[0].kind, IncidentKind::InputError);
    assert!(
        incidents[0].details.contains("cable"),
        "{}",
        incidents[0].details
    );
    assert!(incidents[0].ended.is_none());
    assert!(incidents[1].ended.is_some() && !incidents[1].came_back);
    let written = std::fs::metadata(folder.path().join("recording-001.mkv")).expect("file");
    assert!(written.len() > 10_000, "what was recorded is on disk");
}

/// A microphone whose source fails is tried again a second later; its new bin takes the
/// stand-in's place and the microphone is heard again in the same part.
#[test]
fn a_lost_input_is_tried_again_and_records_again_in_the_same_part() {
    let folder = tempfile::tempdir().expect("temporary folder");
    let limits = Limits {
        retry_every: Some(Duration::from_secs(1)),
        ..crate::recorder::Limits::of(&config::Recording::default())
    };
    let (recorder, events) = demo_recording_with(
        folder.path(),
        crate::recorder::Segments::of(&config::Recording::default()),
        limits,
    );
    wait_recording(&recorder);
    std::thread::sleep(Duration::from_secs(1));
    pull_the_cable(&recorder);
    let mut seen = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(10);
    while !incidents_in(&seen).iter().any(|i| i.came_back) {
        assert!(
            Instant::now() < deadline,
            "back within 10 s: {:?}",
            incidents_in(&seen)
        );
        if let Ok(event) = events.recv_blocking() {
            seen.push(event);
        }
    }
    let back_at = seen.len();
    assert!(
        recorder.pipeline.by_name("stand-in-microphone-1").is_none(),
        "the stand-in is gone"
    );
    assert!(recorder.pipeline.by_name("input-microphone-1").is_some());
    std::thread::sleep(Duration::from_secs(2));
    recorder.stop();
    let summary = recorder.wait();
    seen.extend(drain(&events));
    assert_eq!(summary.state, State::Stopped, "{:?}", summary.error);
    let incidents = incidents_in(&seen);
    assert_eq!(incidents.len(), 2, "begun, then back: {incidents:?}");
    assert_eq!(incidents[0].kind, IncidentKind::InputError);
    let back = &incidents[1];
    assert!(back.came_back && back.ended.is_some(), "{back:?}");
    let lasted = (back.ended.expect("ended") - back.began).num_milliseconds();
    assert!((500..5000).contains(&lasted), "lost for {lasted} ms");
    // Its ticks are measured again after it came back.
    let heard = seen[back_at..].iter().any(|event| {
        matches!(event, Event::Levels(levels)
            if levels.input == "microphone-1" && levels.peak_db.iter().any(|p| *p > -40.0))
    });
    assert!(heard, "the microphone is heard again");
}

/// An input whose end-of-stream does not come and that then fails while the part stops:
/// its track ends there and the part still ends cleanly (it used to fail the part).
#[test]
fn an_input_failing_while_the_part_stops_does_not_fail_the_part() {
    let folder = tempfile::tempdir().expect("temporary folder");
    let (recorder, events) = demo_recording(folder.path());
    wait_recording(&recorder);
    std::thread::sleep(Duration::from_secs(1));
    let bin = recorder
        .pipeline
        .by_name("input-microphone-1")
        .expect("the microphone's bin");
    bin.static_pad("src").expect("its way out").add_probe(
        gst::PadProbeType::EVENT_DOWNSTREAM,
        |_, info| match &info.data {
            Some(gst::PadProbeData::Event(event)) if event.type_() == gst::EventType::Eos => {
                info.data.take();
                gst::PadProbeReturn::Handled
            }
            _ => gst::PadProbeReturn::Ok,
        },
    );
    recorder.stop();
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(
        recorder.state(),
        State::Stopping,
        "waits for the microphone"
    );
    pull_the_cable(&recorder);
    let summary = recorder.wait();
    assert_eq!(summary.state, State::Stopped, "{:?}", summary.error);
    let incidents = incidents_in(&drain(&events));
    assert_eq!(incidents.len(), 2, "{incidents:?}");
    assert_eq!(incidents[0].kind, IncidentKind::InputError);
    assert!(
        PartFiles(folder.path())
            .recordings()
            .iter()
            .all(|file| { std::fs::metadata(file).is_ok_and(|m| m.len() > 10_000) })
    );
}

#[test]
fn a_stop_around_a_cut_ends_cleanly_and_leaves_no_empty_file() {
    // Files of 2 s: the cut is placed at about 1 s and made at 2 s. Stop before it is
    // placed, while it waits, just as it is made, and after.
    for stop_after in [0.5, 1.5, 1.97, 2.03, 2.6] {
        let folder = tempfile::tempdir().expect("temporary folder");
        let segments = Segments {
            max_time: Duration::from_secs(2),
            max_bytes: u64::MAX,
        };
        let (recorder, events) = demo_recording_in_files(folder.path(), segments);
        while recorder.state() != State::Recording {
            assert!(!recorder.state().is_final(), "the recording starts");
            std::thread::sleep(Duration::from_millis(5));
        }
        std::thread::sleep(Duration::from_secs_f64(stop_after));
        recorder.stop();
        let summary = recorder.wait();
        drop(events);
        assert_eq!(
            summary.state,
            State::Stopped,
            "stopped after {stop_after} s"
        );
        let files = PartFiles(folder.path()).recordings();
        assert!(!files.is_empty());
        for file in &files {
            let size = std::fs::metadata(file).expect("file").len();
            assert!(
                size > 1000,
                "stopped after {stop_after} s: {} holds {size} bytes",
                file.display()
            );
        }
        let expected = match stop_after {
            t if t < 1.0 => 1..=1,
            t if t > 2.5 => 2..=2,
            _ => 1..=2,
        };
        assert!(
            expected.contains(&files.len()),
            "stopped after {stop_after} s: {files:?}"
        );
    }
}
