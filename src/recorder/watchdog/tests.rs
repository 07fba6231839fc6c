use super::*;
use crate::recorder::inputs::Source;

/// A watched microphone whose last buffer passed `data_ago` and last sound `sound_ago`.
fn watchdog(data_ago: Duration, sound_ago: Duration) -> Watchdog {
    let now = Instant::now();
    let epoch = now
        .checked_sub(Duration::from_secs(60))
        .expect("a minute ago");
    let last = (now - data_ago).duration_since(epoch).as_nanos() as u64;
    Watchdog {
        epoch,
        limits: Limits {
            stall_after: Duration::from_secs(3),
            silent_after: Some(Duration::from_secs(3)),
            silence_db: -65.0,
            retry_every: None,
        },
        inputs: vec![Watched {
            input: Input {
                id: "microphone-2".to_owned(),
                kind: InputKind::Microphone,
                name: "Свидетель".to_owned(),
                source: Source::Demo,
            },
            last_buffer: Arc::new(AtomicU64::new(last)),
            last_sound: now - sound_ago,
            stopped: None,
            silent: None,
            lost: None,
        }],
        profile: Profile::find("480p25", std::path::Path::new("/nonexistent")).expect("profile"),
        stopping: Arc::new(|| false),
    }
}

fn kinds(incidents: &[Incident]) -> Vec<IncidentKind> {
    incidents.iter().map(|i| i.kind).collect()
}

/// A network microphone gone: its last level (every 100 ms) is older than its last
/// buffer, so for a moment it looks silent before it is stalled. It is one incident, the
/// stall (seen in CI as an extra microphone-silent beside input-stopped).
#[test]
fn a_microphone_whose_data_stopped_is_stalled_not_silent() {
    let s = Duration::from_secs_f64;
    let mut dog = watchdog(s(2.9), s(3.0));
    assert_eq!(kinds(&dog.tick()), [], "no data for 2.9 s: neither yet");
    let mut dog = watchdog(s(3.1), s(3.2));
    assert_eq!(kinds(&dog.tick()), [IncidentKind::InputStopped]);
    assert_eq!(kinds(&dog.tick()), [], "and only that");
    // Data flowing, below the floor for 3 s: silent.
    let mut dog = watchdog(s(0.02), s(3.1));
    assert_eq!(kinds(&dog.tick()), [IncidentKind::MicrophoneSilent]);
}

/// A silent microphone that then fails: its silence ends there and the failure begins
/// (the silence used to be dropped and left open until the part ended).
#[test]
fn a_silent_microphone_that_fails_ends_its_silence() {
    crate::recorder::init().expect("GStreamer");
    let s = Duration::from_secs_f64;
    let mut dog = watchdog(s(0.02), s(3.1));
    assert_eq!(kinds(&dog.tick()), [IncidentKind::MicrophoneSilent]);
    let pipeline = gst::Pipeline::new();
    let changes = dog.lose(
        &pipeline,
        "microphone-2",
        IncidentKind::InputError,
        "the cable was pulled".to_owned(),
    );
    assert_eq!(
        kinds(&changes),
        [IncidentKind::MicrophoneSilent, IncidentKind::InputError]
    );
    assert!(changes[0].ended.is_some() && !changes[0].came_back);
    assert!(changes[1].ended.is_none());
    assert!(dog.is_lost("microphone-2"));
    let again = dog.lose(
        &pipeline,
        "microphone-2",
        IncidentKind::InputError,
        String::new(),
    );
    assert!(again.is_empty(), "the same loss: {again:?}");
    assert_eq!(kinds(&dog.end_all()), [IncidentKind::InputError]);
}
