//! The screen's state machine, fed the recording thread's updates directly.

use chrono::TimeZone;
use iced_test::futures::futures::executor;

use hattama::paths::Paths;
use hattama::recorder::{State, Timing};
use hattama::recording::Update;
use hattama::session::Role;
use hattama::store::{NewSession, Part, PartState, Store};

use super::*;

struct Fixture {
    _words: std::sync::MutexGuard<'static, ()>,
    screen: Screen,
    database: Database,
    _folder: tempfile::TempDir,
}

fn fixture(participants: Vec<Participant>) -> Fixture {
    let words = crate::screen::WORDS
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    hattama::i18n::select("en");
    let folder = tempfile::tempdir().expect("temporary folder");
    let paths = Paths::new(None, Some(folder.path().to_owned()));
    let mut store = Store::open(&paths.database()).expect("store");
    let id = store
        .open_session(&NewSession {
            case_number: "2-9/2026".to_owned(),
            instance: "first".to_owned(),
            judge: "Омаров".to_owned(),
            operator_name: "Секретарь".to_owned(),
            operator_role: "secretary".to_owned(),
            participants,
            ..NewSession::default()
        })
        .expect("session");
    let session = store.session(id).expect("session");
    let database = Database::spawn(store);
    // A controller whose thread is never asked to record: these tests drive the screen.
    let (controller, _updates, _thread) = Controller::spawn(paths.clone());
    let (screen, _load) = Screen::new(
        session,
        database.clone(),
        controller,
        Config::default(),
        paths,
    );
    Fixture {
        _words: words,
        screen,
        database,
        _folder: folder,
    }
}

fn part(id: i64, session_id: i64, number: i64) -> Part {
    Part {
        id,
        session_id,
        case_number: "2-9/2026".to_owned(),
        number,
        folder: "x".into(),
        state: PartState::Starting,
        profile: "720p25".to_owned(),
        demo: true,
        first_media_ns: None,
        first_media_wall: None,
        ended_at: None,
        duration_ms: None,
        recovered: false,
        error: None,
        sealed_at: None,
        seal_error: None,
    }
}

fn starting(screen: &mut Screen, part_id: i64) {
    let session_id = screen.session.id;
    let _ = screen.recording(Update::Starting {
        part: part(part_id, session_id, 1),
        inputs: Vec::new(),
        demo_reasons: Vec::new(),
    });
    let _ = screen.recording(Update::Recording {
        part_id,
        timing: Timing {
            first_media_ns: 0,
            first_media_wall: Utc::now(),
        },
    });
}

/// Runs a screen's task and hands back its messages.
fn outputs(action: Action) -> Vec<Message> {
    let task = match action {
        Action::Run(task) | Action::Stopped(task) => task,
        _ => return Vec::new(),
    };
    let Some(stream) = iced_test::runtime::task::into_stream(task) else {
        return Vec::new();
    };
    use iced_test::futures::futures::StreamExt;
    executor::block_on(stream.collect::<Vec<_>>())
        .into_iter()
        .filter_map(|action| match action {
            iced_test::runtime::Action::Output(message) => Some(message),
            _ => None,
        })
        .collect()
}

#[test]
fn stop_asks_and_continue_or_escape_keeps_recording() {
    let mut f = fixture(Vec::new());
    starting(&mut f.screen, 1);
    assert_eq!(f.screen.phase(), Phase::Recording);
    let _ = f.screen.update(Message::Stop);
    assert!(f.screen.confirm_stop);
    let _ = f.screen.update(Message::ConfirmContinue);
    assert!(!f.screen.confirm_stop);
    assert_eq!(f.screen.phase(), Phase::Recording);
    let _ = f.screen.update(Message::Stop);
    let _ = f.screen.hotkey(Hotkey::Escape);
    assert!(!f.screen.confirm_stop, "Escape answers Continue");
    let _ = f.screen.hotkey(Hotkey::Function(12));
    assert!(f.screen.confirm_stop, "F12 asks too");
}

#[test]
fn a_part_that_fails_to_start_leaves_the_screen_ready_with_the_problem_shown() {
    let mut f = fixture(Vec::new());
    let _ = f.screen.update(Message::Record);
    assert_eq!(f.screen.phase(), Phase::Starting);
    let action = f
        .screen
        .recording(Update::Failed(hattama::part::PartError::Recorder(
            hattama::recorder::RecorderError::NoInputs,
        )));
    assert!(matches!(action, Action::Stopped(_)));
    assert_eq!(f.screen.phase(), Phase::Idle);
    let problem = f.screen.problem.clone().expect("shown");
    assert_eq!(problem.title, tr!("no-devices"));
    assert!(!problem.help.is_empty() && !problem.details.is_empty());
}

#[test]
fn the_back_button_is_refused_while_recording() {
    let mut f = fixture(Vec::new());
    starting(&mut f.screen, 1);
    assert!(matches!(f.screen.update(Message::Back), Action::None));
    let _ = f.screen.recording(Update::State(State::Stopping));
    assert!(matches!(f.screen.update(Message::Back), Action::None));
}

#[test]
fn ctrl_digits_pick_speakers_and_are_not_typed() {
    let mut f = fixture(vec![
        Participant::new("Иванов", Role::Plaintiff),
        Participant::new("Петров", Role::Defendant),
    ]);
    let petrov = f.screen.session.participants[1].id;
    let _ = f.screen.hotkey(Hotkey::Speaker(2));
    assert_eq!(f.screen.speaker, Some(petrov));
    let _ = f.screen.update(Message::Draft("Возражает".to_owned()));
    f.screen.ctrl(true);
    let _ = f.screen.update(Message::Draft("Возражает1".to_owned()));
    assert_eq!(f.screen.draft, "Возражает", "Ctrl+1 is not text");
    f.screen.ctrl(false);
    let _ = f.screen.hotkey(Hotkey::Speaker(0));
    assert_eq!(f.screen.speaker, None);
    let _ = f.screen.hotkey(Hotkey::Speaker(9));
    assert_eq!(f.screen.speaker, None, "no ninth participant");
}

#[test]
fn the_remote_identity_entry_needs_someone_remote() {
    let mut f = fixture(vec![Participant::new("Иванов", Role::Plaintiff)]);
    let action = f.screen.hotkey(Hotkey::Function(3));
    assert!(matches!(action, Action::None), "nothing is written");
    assert_eq!(f.screen.notice, Some(tr!("no-remote-participant")));
    drop(f);

    let mut f = fixture(vec![
        Participant::new("A", Role::Witness).remote("Алматы"),
        Participant::new("B", Role::Expert).remote("Шымкент"),
    ]);
    assert!(matches!(f.screen.hotkey(Hotkey::Function(3)), Action::None));
    assert_eq!(f.screen.notice, Some(tr!("remote-pick-speaker")));
    let _ = f.screen.hotkey(Hotkey::Speaker(2));
    let messages = outputs(f.screen.hotkey(Hotkey::Function(3)));
    let Some(Message::Added(Ok(entry), _)) = messages.into_iter().next() else {
        panic!("the entry is written");
    };
    assert!(entry.text.contains("Шымкент"), "{}", entry.text);
}

#[test]
fn a_failed_write_gives_the_typed_text_back() {
    let mut f = fixture(Vec::new());
    let id = f.screen.session.id;
    executor::block_on(
        f.database
            .request(move |store| store.close_session(id, "test")),
    )
    .expect("closed behind the screen's back");
    let _ = f.screen.update(Message::Draft("Текст".to_owned()));
    let messages = outputs(f.screen.update(Message::Submit));
    assert!(f.screen.draft.is_empty());
    for message in messages {
        let _ = f.screen.update(message);
    }
    assert_eq!(
        f.screen.draft, "Текст",
        "the secretary's words are not lost"
    );
    assert_eq!(
        f.screen.problem.as_ref().map(|p| p.title.clone()),
        Some(tr!("session-closed-error"))
    );
}

#[test]
fn an_entry_belongs_to_the_part_recording_when_typing_began() {
    let mut f = fixture(Vec::new());
    let first = Utc
        .with_ymd_and_hms(2026, 11, 25, 5, 0, 0)
        .single()
        .expect("time");
    let session_id = f.screen.session.id;
    let _ = f.screen.recording(Update::Starting {
        part: part(41, session_id, 1),
        inputs: Vec::new(),
        demo_reasons: Vec::new(),
    });
    let typed = first - chrono::Duration::seconds(2);
    assert_eq!(
        f.screen.stamp(typed, Some(41)).part,
        None,
        "timeline not known yet"
    );
    let _ = f.screen.recording(Update::Recording {
        part_id: 41,
        timing: Timing {
            first_media_ns: 0,
            first_media_wall: first,
        },
    });
    assert_eq!(
        f.screen.stamp(typed, Some(41)).part,
        Some((41, 0)),
        "typing begun while starting belongs at the start"
    );
    let _ = f.screen.recording(Update::State(State::Stopping));
    let later = first + chrono::Duration::milliseconds(90_500);
    assert_eq!(f.screen.stamp(later, Some(41)).part, Some((41, 90_500)));
    assert_eq!(f.screen.stamp(later, None).part, None);
}

#[test]
fn a_short_sound_stays_on_the_meter_and_falls_slowly() {
    let mut f = fixture(Vec::new());
    let level = |peak: f64| {
        Update::Levels(hattama::recorder::Levels {
            input: "microphone-1".to_owned(),
            peak_db: vec![peak, f64::NEG_INFINITY],
            rms_db: vec![peak - 3.0, f64::NEG_INFINITY],
        })
    };
    let _ = f.screen.recording(level(-6.0));
    assert_eq!(f.screen.levels.get("microphone-1"), Some(&-6.0));
    for _ in 0..4 {
        let _ = f.screen.recording(level(f64::NEG_INFINITY));
    }
    assert_eq!(
        f.screen.levels.get("microphone-1"),
        Some(&-12.0),
        "held, falling"
    );
    for _ in 0..100 {
        let _ = f.screen.recording(level(f64::NEG_INFINITY));
    }
    let bottom = *f.screen.levels.get("microphone-1").expect("shown");
    assert_eq!(bottom, -60.0, "silence shows empty");
    let _ = f.screen.recording(level(-20.0));
    assert_eq!(
        f.screen.levels.get("microphone-1"),
        Some(&-20.0),
        "a new sound at once"
    );
}
