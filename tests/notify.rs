//! Telling people of an incident (rules 27, 28) and its technical act (rule 29), for real:
//! an input fails during `hattama record`, `hattama deliver` posts to a webhook receiver
//! and e-mails through an SMTP server (Python's aiosmtpd, from Debian) on 127.0.0.1, each
//! exactly once even though the mail server was down at first; then the act is drawn up,
//! attached to the protocol and sealed, and the part still verifies.

mod common;

use std::path::Path;
use std::process::{Child, Command, Stdio};

use common::*;
use hattama::delivery::notify::Notice;
use hattama::delivery::receiver::Receiver;

/// aiosmtpd keeping every message it accepts in the maildir `folder`.
fn smtp_server(port: u16, folder: &Path) -> Child {
    let child = Command::new("/usr/bin/python3")
        .args(["-m", "aiosmtpd", "-n", "-l"])
        .arg(format!("127.0.0.1:{port}"))
        .args(["-c", "aiosmtpd.handlers.Mailbox"])
        .arg(folder)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("python3 -m aiosmtpd runs (make test installs python3-aiosmtpd)");
    wait_for_port(port, "aiosmtpd");
    child
}

/// The messages in a maildir.
fn mails(folder: &Path) -> Vec<String> {
    let mut found: Vec<String> = ["new", "cur"]
        .iter()
        .flat_map(|sub| std::fs::read_dir(folder.join(sub)).into_iter().flatten())
        .flatten()
        .map(|entry| std::fs::read_to_string(entry.path()).expect("a message"))
        .collect();
    found.sort();
    found
}

/// A message's subject and text as Python's e-mail parser reads them.
fn decoded(message: &str) -> (String, String) {
    use std::io::Write;
    let mut python = Command::new("/usr/bin/python3")
        .args([
            "-c",
            "import email, email.policy, sys\n\
             m = email.message_from_string(sys.stdin.read(), policy=email.policy.default)\n\
             print(m['subject']); print(m.get_content())",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3 runs");
    python
        .stdin
        .take()
        .expect("stdin")
        .write_all(message.as_bytes())
        .expect("written");
    let output = python.wait_with_output().expect("python3 ends");
    let text = text(&output.stdout);
    let (subject, body) = text.split_once('\n').unwrap_or((&text, ""));
    (subject.to_owned(), body.to_owned())
}

/// Each notification row: its target, state and last error.
fn notify_rows(data: &Path) -> Vec<(String, String, String)> {
    let db = database(data);
    let mut statement = db
        .prepare(
            "SELECT target, state, COALESCE(last_error, '') FROM outbox WHERE kind = 'notify'
             ORDER BY id",
        )
        .expect("query");
    statement
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
        .expect("rows")
        .collect::<Result<_, _>>()
        .expect("notify rows")
}

#[test]
fn an_incident_is_told_once_to_the_webhook_and_each_recipient_and_its_act_is_sealed() {
    let folder = tempfile::tempdir().expect("temporary folder");
    let data = folder.path().join("data");
    let received = folder.path().join("received");
    let maildir = folder.path().join("maildir");
    std::fs::create_dir_all(&received).expect("folder");
    let receiver = Receiver::start("127.0.0.1:0", &received, None).expect("receiver");
    let smtp_port = free_port();
    let config = court_config_file(
        folder.path(),
        &format!(
            "notify_webhook = \"http://{}/incidents\"\n\
             smtp_server = \"smtp://127.0.0.1:{smtp_port}\"\n\
             mail_from = \"hattama-zal-5@sud.kz\"\n\
             head_of_office = [\"kense@sud.kz\"]\n\
             court_office_head = [\"apparat@sud.kz\"]\n\
             regional_coordinator = [\"oblast@sud.kz\"]\n\
             retry_base_ms = 100\n\
             timeout_ms = 5000\n\
             [recording]\nprofile = \"480p25\"\n\
             [[recording.network_inputs]]\nkind = \"microphone\"\nname = \"Куәгер\"\n\
             pipeline = \"audiotestsrc is-live=true ! identity error-after=130\"\n",
            receiver.address()
        ),
    );
    {
        let _turn = one_recording_at_a_time();
        let output = hattama()
            .args([
                "record",
                "--for",
                "6",
                "--json",
                "--case",
                "2-44/2026",
                "--config",
            ])
            .arg(&config)
            .arg("--data")
            .arg(&data)
            .output()
            .expect("hattama record runs");
        assert!(output.status.success(), "{}", text(&output.stderr));
    }
    let rows = notify_rows(&data);
    assert_eq!(rows.len(), 4, "the webhook and three people: {rows:?}");

    // The mail server is down: the webhook is told, the e-mails wait.
    deliver_once_with(&data, &config, &[]);
    let rows = notify_rows(&data);
    assert!(
        rows.iter()
            .all(|(target, state, _)| (target == "webhook") == (state == "delivered")),
        "{rows:?}"
    );
    let log = receiver.log();
    assert_eq!(log.iter().filter(|seen| seen.status == 201).count(), 1);
    let notice: Notice = serde_json::from_slice(
        &std::fs::read(received.join("incident.json")).expect("the notice is kept"),
    )
    .expect("a notice");
    assert_eq!(notice.format, "hattama-incident/1");
    assert_eq!(notice.kind, "input-error");
    assert_eq!(notice.input_name, "Куәгер");
    assert_eq!(notice.identity.case_number, "2-44/2026");
    let started = chrono::DateTime::parse_from_rfc3339(&notice.started_at).expect("time");
    let due = chrono::DateTime::parse_from_rfc3339(&notice.report_due).expect("time");
    assert_eq!(due - started, chrono::Duration::hours(1), "rule 28's hour");
    assert!(notice.text.contains("Департамент"), "{}", notice.text);

    // The mail server is up; the waiting rows are due again and go, once each.
    let mut smtp = smtp_server(smtp_port, &maildir);
    database(&data)
        .execute(
            "UPDATE outbox SET next_attempt_at = NULL WHERE kind = 'notify' AND state = 'retrying'",
            [],
        )
        .expect("due now");
    deliver_once_with(&data, &config, &[]);
    deliver_once_with(&data, &config, &[]);
    let _ = smtp.kill();
    let _ = smtp.wait();
    let rows = notify_rows(&data);
    assert!(
        rows.iter().all(|(_, state, _)| state == "delivered"),
        "{rows:?}"
    );
    let messages = mails(&maildir);
    assert_eq!(messages.len(), 3, "one e-mail per person");
    for address in ["kense@sud.kz", "apparat@sud.kz", "oblast@sud.kz"] {
        assert_eq!(
            messages
                .iter()
                .filter(|m| m.contains(&format!("To: {address}")))
                .count(),
            1,
            "{address} told once"
        );
    }
    // Read back by Python's e-mail parser: subject and text in Kazakh and Russian.
    let coordinator = messages
        .iter()
        .find(|m| m.contains("To: oblast@sud.kz"))
        .map(|m| decoded(m))
        .expect("the coordinator's");
    assert!(coordinator.0.starts_with("Хаттама: "), "{}", coordinator.0);
    assert!(coordinator.0.contains("Куәгер"), "{}", coordinator.0);
    assert!(
        coordinator.1.contains("Департаменттің үйлестірушісіне"),
        "{}",
        coordinator.1
    );
    assert!(
        coordinator.1.contains("координатору Департамента"),
        "{}",
        coordinator.1
    );
    let head = messages
        .iter()
        .find(|m| m.contains("To: kense@sud.kz"))
        .expect("the head of office's");
    assert!(head.contains("From: hattama-zal-5@sud.kz"));
    let head = decoded(head);
    assert!(head.1.contains("2-44/2026"), "{}", head.1);
    assert!(
        !head.1.contains("Департамент"),
        "the deadline is the coordinator's: {}",
        head.1
    );
    assert_eq!(
        receiver
            .log()
            .iter()
            .filter(|seen| seen.status == 201)
            .count(),
        1,
        "the webhook was not told twice"
    );

    // The technical act (rule 29): attached to the protocol, the part sealed anew.
    let mut store = hattama::store::Store::open(&data.join("hattama.sqlite3")).expect("store");
    let incident = store.last_incident().expect("read").expect("the incident");
    let paths = hattama::paths::Paths::new(None, Some(data.clone()));
    let zone = chrono::FixedOffset::east_opt(5 * 3600).expect("+05:00");
    let refused = hattama::act::draw_up(&mut store, &paths, incident.id, " ", "x", "y", zone);
    assert!(matches!(refused, Err(hattama::act::ActError::Incomplete)));
    let drawn = hattama::act::draw_up(
        &mut store,
        &paths,
        incident.id,
        "Микрофон кабелі үзілген / обрыв кабеля микрофона",
        "Б. Оспанов, облыстық соттың үйлестірушісі",
        "Айгүл Серікова",
        zone,
    )
    .expect("drawn up");
    let prepared = drawn
        .reseal
        .expect("the session has a part")
        .expect("prepared");
    let part_id = prepared.part_id();
    let keys = hattama::seal::Keys::load_or_create(&paths.keys()).expect("keys");
    let sealed = prepared
        .write(&hattama::seal::Sealer::of_keys(keys))
        .expect("sealed anew");
    store
        .part_sealed(
            part_id,
            &sealed.manifest.sealed_at,
            &hattama::delivery::outbox_rows(&sealed, &hattama::config::Delivery::default()),
        )
        .expect("recorded");
    assert!(
        sealed.protocol_text.contains("ТЕХНИКАЛЫҚ АКТ"),
        "{}",
        sealed.protocol_text
    );
    assert!(sealed.protocol_text.contains("ТЕХНИЧЕСКИЙ АКТ"));
    assert!(sealed.protocol_text.contains("обрыв кабеля"));
    let page_name = format!("technical-act-{}.html", incident.id);
    let page = sealed.folder.join(&page_name);
    assert!(
        sealed.manifest.files.iter().any(|f| f.name == page_name),
        "the act's page is signed with the part"
    );
    let html = std::fs::read_to_string(&page).expect("the page");
    assert!(
        html.contains("Б. Оспанов") && html.contains("Куәгер"),
        "{html}"
    );
    let again = hattama::act::draw_up(&mut store, &paths, incident.id, "a", "b", "c", zone);
    assert!(matches!(
        again,
        Err(hattama::act::ActError::AlreadyDrawnUp(_))
    ));
    let (ok, json) = verify(&data, &sealed.folder, &[]);
    assert!(ok, "the part verifies with its act: {:?}", failed(&json));
    let sums = Command::new("sha256sum")
        .args(["-c", "SHA256SUMS"])
        .current_dir(&sealed.folder)
        .output()
        .expect("sha256sum runs");
    assert!(sums.status.success(), "{}", text(&sums.stdout));
}

/// A recording process killed mid-part (a crash, a power cut): when the part is recovered
/// the interruption is an incident, written into the protocol where the recording stopped,
/// and told like any other, once.
#[test]
fn a_recording_killed_mid_part_is_told_when_it_is_recovered() {
    let folder = tempfile::tempdir().expect("temporary folder");
    let data = folder.path().join("data");
    let received = folder.path().join("received");
    std::fs::create_dir_all(&received).expect("folder");
    let receiver = Receiver::start("127.0.0.1:0", &received, None).expect("receiver");
    let config = court_config_file(
        folder.path(),
        &format!(
            "notify_webhook = \"http://{}/incidents\"\n[recording]\nprofile = \"480p25\"\n",
            receiver.address()
        ),
    );
    let config = config.to_str().expect("UTF-8");
    {
        let _turn = one_recording_at_a_time();
        let mut child = spawn_record(&data, &["--for", "60", "--config", config]);
        wait_for_folder(&mut child);
        wait_until_recording(&data);
        std::thread::sleep(std::time::Duration::from_secs(2));
        child.kill().expect("kill -9");
        child.wait().expect("reaped");
    }
    assert!(
        notify_rows(&data).is_empty(),
        "nothing told before it is known"
    );
    let data_arg = data.to_str().expect("UTF-8");
    let output = run(&["recover", "--json", "--config", config, "--data", data_arg]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let rows = notify_rows(&data);
    assert_eq!(rows.len(), 1, "the webhook: {rows:?}");
    let again = run(&["recover", "--json", "--config", config, "--data", data_arg]);
    assert!(again.status.success(), "{}", text(&again.stderr));
    assert_eq!(notify_rows(&data).len(), 1, "recovered once, told once");

    deliver_once_with(&data, Path::new(config), &[]);
    let notice: Notice = serde_json::from_slice(
        &std::fs::read(received.join("incident.json")).expect("the notice is kept"),
    )
    .expect("a notice");
    assert_eq!(notice.kind, "recording-interrupted");
    let db = database(&data);
    let case: String = db
        .query_row("SELECT number FROM cases", [], |row| row.get(0))
        .expect("the session");
    assert_eq!(notice.identity.case_number, case);
    let (entry, offset): (String, Option<i64>) = db
        .query_row(
            "SELECT text, offset_ms FROM protocol_entries WHERE kind = 'incident'",
            [],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .expect("the protocol says where the recording stopped");
    assert!(!entry.contains("()"), "{entry}");
    let offset = offset.expect("at a moment of the recording");
    assert!((1000..6000).contains(&offset), "{offset} ms in");
}

/// Rule 29 from the terminal: the incidents awaiting their act are listed with the working
/// day they are due by; an act is drawn up with `hattama incidents act`, attached and sealed;
/// an incomplete one, a second one and an unknown incident are refused with a reason.
#[test]
fn incidents_awaiting_an_act_are_listed_and_the_act_is_drawn_up_from_the_terminal() {
    let folder = tempfile::tempdir().expect("temporary folder");
    let data = folder.path().join("data");
    let server = folder.path().join("server");
    std::fs::create_dir_all(&server).expect("the court server's folder");
    let config = court_config_file(
        folder.path(),
        &format!("server = \"file://{}\"\n", server.display()),
    );
    let mut text_of_config = std::fs::read_to_string(&config).expect("config");
    text_of_config.push_str(
        "[recording]\nprofile = \"480p25\"\n\
         [[recording.network_inputs]]\nkind = \"microphone\"\nname = \"Куәгер\"\n\
         pipeline = \"audiotestsrc is-live=true ! identity error-after=130\"\n",
    );
    std::fs::write(&config, text_of_config).expect("config");
    let (config, data_arg) = (
        config.to_str().expect("UTF-8"),
        data.to_str().expect("UTF-8"),
    );
    {
        let _turn = one_recording_at_a_time();
        let output = hattama()
            .args(["record", "--for", "5", "--case", "2-45/2026"])
            .args(["--config", config, "--data", data_arg])
            .output()
            .expect("hattama record runs");
        assert!(output.status.success(), "{}", text(&output.stderr));
    }
    let incidents = |extra: &[&str]| {
        let output = hattama()
            .args(["incidents", "--config", config, "--data", data_arg])
            .args(extra)
            .output()
            .expect("hattama incidents runs");
        (
            output.status.success(),
            text(&output.stdout),
            text(&output.stderr),
        )
    };
    let listed = |extra: &[&str]| -> Vec<serde_json::Value> {
        let (ok, out, err) = incidents(extra);
        assert!(ok, "{err}");
        serde_json::from_str(&out).unwrap_or_else(|_| panic!("JSON: {out}"))
    };

    let waiting = listed(&["list", "--json"]);
    assert_eq!(waiting.len(), 1, "{waiting:?}");
    let incident = &waiting[0];
    let id = incident["id"].as_i64().expect("an id");
    assert_eq!(incident["kind"], "input-error");
    assert_eq!(incident["case_number"], "2-45/2026");
    assert_eq!(incident["act"]["state"], "due", "{incident}");
    let started =
        chrono::DateTime::parse_from_rfc3339(incident["started_at"].as_str().expect("a time"))
            .expect("RFC 3339")
            .with_timezone(&chrono::Utc);
    let astana = chrono::FixedOffset::east_opt(5 * 3600).expect("+05:00");
    assert_eq!(
        incident["act"]["due"],
        hattama::store::timestamp(hattama::act::due(started, astana)),
        "one working day"
    );
    let (ok, out, _) = incidents(&["list"]);
    assert!(
        ok && out.contains(&format!("№{id}")) && out.contains("2-45/2026"),
        "{out}"
    );

    let id_arg = id.to_string();
    let (ok, _, err) = incidents(&["act", &id_arg, "--cause", " ", "--confirmed-by", "x"]);
    assert!(!ok, "an act without its cause is refused");
    assert!(err.contains("cause"), "{err}");
    let (ok, _, err) = incidents(&["act", "999", "--cause", "a", "--confirmed-by", "b"]);
    assert!(
        !ok && err.contains("999"),
        "an unknown incident is named: {err}"
    );

    let (ok, out, err) = incidents(&[
        "act",
        &id_arg,
        "--cause",
        "Микрофон кабелі үзілген / обрыв кабеля",
        "--confirmed-by",
        "Б. Оспанов",
        "--json",
    ]);
    assert!(ok, "{err}");
    let drawn: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(
        drawn["act"]["drawn_up_by"], "Айгүл Серікова",
        "the operator"
    );
    let sealed = std::path::PathBuf::from(drawn["sealed"].as_str().expect("sealed anew"));
    let (verified, json) = verify(&data, &sealed, &[]);
    assert!(verified, "{:?}", failed(&json));
    let manifest = std::fs::read_to_string(sealed.join("manifest.json")).expect("manifest");
    assert!(
        manifest.contains(&format!("technical-act-{id}.html")),
        "{manifest}"
    );

    assert!(
        listed(&["list", "--json"]).is_empty(),
        "nothing awaits an act"
    );
    let all = listed(&["list", "--all", "--json"]);
    assert_eq!(all.len(), 1);
    assert_eq!(all[0]["act"]["state"], "drawn-up");
    let (ok, _, err) = incidents(&["act", &id_arg, "--cause", "a", "--confirmed-by", "b"]);
    assert!(
        !ok && err.contains("already"),
        "a second act is refused: {err}"
    );

    // The act goes to the court server as the case's signed event.
    for _ in 0..2 {
        deliver_once_with(&data, std::path::Path::new(config), &[]);
    }
    let events = server
        .join(hattama::delivery::case_prefix(
            "Астана қаласының №2 аудандық соты",
            "2-45/2026",
        ))
        .join("events");
    let act = std::fs::read_dir(&events)
        .expect("the case's events")
        .map(|entry| entry.expect("entry").path())
        .find(|path| {
            let name = path.to_string_lossy();
            name.contains("technical-act") && name.ends_with(".json")
        })
        .expect("the technical act's event");
    let event: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&act).expect("read")).expect("JSON");
    assert_eq!(event["act"]["confirmed_by"], "Б. Оспанов", "{event:#}");
    assert!(minisign_verifies(&act, &data.join("keys/hattama.pub")));
}
