use std::path::Path;

use super::*;

fn parse(text: &str) -> Result<Config, ConfigError> {
    Config::parse(text, Path::new("/etc/hattama.toml"))
}

#[test]
fn every_address_key_is_checked_at_load_and_secrets_never_go_in_clear() {
    for (text, key) in [
        ("baatzh_url = \"not a url at all\"", "delivery.baatzh_url"),
        (
            "baatzh_url = \"http://baatzh.sud.kz/api\"",
            "delivery.baatzh_url",
        ),
        ("baatzh_url = \"ftp://127.0.0.1/x\"", "delivery.baatzh_url"),
        ("server = \"/srv/hattama\"", "delivery.server"),
        ("server = \"https://s3.sud.kz\"", "delivery.server"),
        ("replica = \"s3://\"", "delivery.replica"),
        (
            "server_endpoint = \"http://10.0.0.5:9000\"",
            "delivery.server_endpoint",
        ),
        (
            "archive_endpoint = \"s3.sud.kz\"",
            "delivery.archive_endpoint",
        ),
        (
            "status_target = \"http://portal.sud.kz/status\"",
            "delivery.status_target",
        ),
        (
            "notify_webhook = \"chat.sud.kz/hook\"",
            "delivery.notify_webhook",
        ),
        (
            "smtp_server = \"smtp://mail.sud.kz:25\"\nsmtp_password = \"x\"",
            "delivery.smtp_server",
        ),
        (
            "[delivery.cassation]\nserver = \"/srv/regional\"",
            "delivery.cassation.server",
        ),
        (
            "[delivery.supervisory]\nserver = \"s3://x/y\"\nendpoint = \"http://10.1.1.1\"",
            "delivery.supervisory.endpoint",
        ),
    ] {
        match parse(&format!("[delivery]\n{text}\n")) {
            Err(ConfigError::Invalid { key: named, .. }) => assert_eq!(named, key, "{text}"),
            other => panic!("{text}: {other:?}"),
        }
    }
    for text in [
        "baatzh_url = \"https://baatzh.sud.kz/api\"",
        "baatzh_url = \"http://127.0.0.1:8089/protocols\"",
        "baatzh_url = \"http://[::1]:8089/protocols\"",
        "server = \"file:///srv/hattama\"",
        "server = \"s3://court/записи\"\nserver_endpoint = \"http://127.0.0.1:9000\"",
        "status_target = \"/run/hattama/status.json\"",
        "smtp_server = \"smtp://mail.sud.kz:587?tls=required\"\nsmtp_password = \"x\"",
        "smtp_server = \"smtps://mail.sud.kz\"\nsmtp_password = \"x\"",
        "smtp_server = \"smtp://mail.sud.kz:25\"",
    ] {
        parse(&format!("[delivery]\n{text}\n")).unwrap_or_else(|e| panic!("{text}: {e}"));
    }
}

#[test]
fn an_empty_file_gives_the_defaults() {
    assert_eq!(parse("").expect("empty is valid"), Config::default());
}

#[test]
fn a_partial_file_keeps_other_defaults() {
    let config = parse("[court]\nhall = \"3\"\ninstance = \"cassation\"\n").expect("valid");
    assert_eq!(config.court.hall, "3");
    assert_eq!(config.court.instance, Instance::Cassation);
    assert_eq!(config.recording.profile, "720p25");
}

#[test]
fn a_wrong_value_names_key_and_file() {
    let error = parse("[court]\ninstance = \"supreme\"\n").expect_err("bad instance");
    let ConfigError::Invalid { key, path, message } = &error else {
        panic!("expected Invalid, got {error:?}")
    };
    assert_eq!(key, "court.instance");
    assert_eq!(path, Path::new("/etc/hattama.toml"));
    assert!(message.contains("supreme"), "{message}");
    assert!(error.to_string().contains("court.instance"));
}

#[test]
fn a_wrong_type_and_an_unknown_key_and_a_range_are_errors() {
    let key = |text: &str| match parse(text) {
        Err(ConfigError::Invalid { key, .. }) => key,
        other => panic!("expected Invalid for {text:?}, got {other:?}"),
    };
    assert_eq!(key("[recording]\ncameras = \"one\"\n"), "recording.cameras");
    assert_eq!(key("[recording]\ncamera = []\n"), "recording.camera");
    assert_eq!(
        key("[recording]\nsync_interval_ms = 5\n"),
        "recording.sync_interval_ms"
    );
    assert_eq!(
        key("[recording]\nsegment_seconds = 1\n"),
        "recording.segment_seconds"
    );
    assert_eq!(
        key("[recording]\nsegment_megabytes = 0\n"),
        "recording.segment_megabytes"
    );
    assert_eq!(
        key("[delivery]\nreplicate_at = \"25:00\"\n"),
        "delivery.replicate_at"
    );
    assert_eq!(key("language = \"de\"\n"), "language");
    assert_eq!(
        key("[court]\nutc_offset = \"Almaty\"\n"),
        "court.utc_offset"
    );
    assert_eq!(
        key("[court]\nutc_offset = \"+25:00\"\n"),
        "court.utc_offset"
    );
    assert_eq!(
        key("[recording]\nreconnect_every_s = 86400\n"),
        "recording.reconnect_every_s"
    );
    assert_eq!(
        key("[delivery]\nnotify_kinds = [\"microphone-quiet\"]\n"),
        "delivery.notify_kinds"
    );
}

#[test]
fn the_court_time_zone_is_kazakhstan_unless_configured() {
    assert_eq!(
        Config::default().court.time_zone().local_minus_utc(),
        5 * 3600
    );
    let config = parse("[court]\nutc_offset = \"-03:30\"\n").expect("valid");
    assert_eq!(
        config.court.time_zone().local_minus_utc(),
        -(3 * 3600 + 1800)
    );
}

#[test]
fn broken_syntax_is_an_error() {
    assert!(matches!(
        parse("[court\n"),
        Err(ConfigError::Invalid { .. })
    ));
}

#[test]
fn save_then_load_round_trips() {
    let folder = tempfile::tempdir().expect("temporary folder");
    let path = folder.path().join("sub/config.toml");
    let mut config = Config::default();
    config.court.name = "Алматы қалалық соты".to_owned();
    config.language = Language::Kk;
    config.save(&path).expect("saved");
    assert_eq!(Config::load(&path, true).expect("loaded"), config);
}

fn layered(folder: &Path, court: Option<&str>, own: Option<&str>) -> crate::paths::Paths {
    let (system, user) = (folder.join("etc.toml"), folder.join("own.toml"));
    if let Some(text) = court {
        std::fs::write(&system, text).expect("court's file");
    }
    if let Some(text) = own {
        std::fs::write(&user, text).expect("own file");
    }
    crate::paths::Paths {
        config_file: user,
        system_config: Some(system),
        data: folder.to_owned(),
        shared: false,
    }
}

#[test]
fn the_users_file_overrides_the_courts_key_by_key() {
    let folder = tempfile::tempdir().expect("folder");
    let court = "[court]\nname = \"Есіл аудандық соты\"\nhall = \"3\"\n[delivery]\nserver = \"s3://court/halls\"\n";
    let paths = layered(folder.path(), Some(court), Some("[court]\nhall = \"5\"\n"));
    let config = Config::load_for(&paths, false).expect("both read");
    assert_eq!(config.court.name, "Есіл аудандық соты", "the court's");
    assert_eq!(config.court.hall, "5", "the user's");
    assert_eq!(config.delivery.server, "s3://court/halls");
    // Either alone, or neither.
    let only_court = layered(&folder.path().join("a"), None, None);
    std::fs::create_dir_all(&only_court.data).expect("folder");
    assert_eq!(
        Config::load_for(&only_court, false).expect("defaults"),
        Config::default()
    );
    std::fs::remove_file(&paths.config_file).expect("remove own");
    assert_eq!(
        Config::load_for(&paths, false).expect("court's").court.hall,
        "3"
    );
}

#[test]
fn a_wrong_value_names_the_file_it_is_in() {
    let folder = tempfile::tempdir().expect("folder");
    let paths = layered(
        folder.path(),
        Some("[delivery]\nstatus_every_s = 1\n"),
        Some("[court]\nhall = \"5\"\n"),
    );
    match Config::load_for(&paths, false) {
        Err(ConfigError::Invalid { path, key, .. }) => {
            assert_eq!(path, paths.system_config.clone().expect("system"));
            assert_eq!(key, "delivery.status_every_s");
        }
        other => panic!("the court's file is named: {other:?}"),
    }
    std::fs::write(paths.system_config.as_ref().expect("system"), "[court]\n").expect("mend");
    std::fs::write(&paths.config_file, "language = 7\n").expect("break own");
    match Config::load_for(&paths, false) {
        Err(ConfigError::Invalid { path, .. }) => assert_eq!(path, paths.config_file),
        other => panic!("the user's file is named: {other:?}"),
    }
}

#[test]
fn the_window_writes_only_what_differs_from_the_courts_file() {
    let folder = tempfile::tempdir().expect("folder");
    let court =
        "[court]\nname = \"Есіл аудандық соты\"\n[delivery]\nserver = \"s3://court/halls\"\n";
    let paths = layered(folder.path(), Some(court), None);
    let mut config = Config::load_for(&paths, false).expect("court's");
    config.court.hall = "7".to_owned();
    config
        .save_over(&paths.config_file, Some(&Config::court_layer(&paths)))
        .expect("saved");
    let own = std::fs::read_to_string(&paths.config_file).expect("own file");
    let own: toml::Table = own.parse().expect("TOML");
    assert_eq!(own.len(), 1, "only [court]: {own}");
    assert_eq!(own["court"].as_table().map(|t| t.len()), Some(1), "{own}");
    // The court later moves its server: the user follows.
    std::fs::write(
        paths.system_config.as_ref().expect("system"),
        court.replace("s3://court/halls", "s3://court/new"),
    )
    .expect("court's change");
    let config = Config::load_for(&paths, false).expect("both");
    assert_eq!(
        (config.court.hall.as_str(), config.delivery.server.as_str()),
        ("7", "s3://court/new")
    );
}

/// The court's file the package installs: as shipped (every key commented) the
/// defaults; with every key uncommented still valid, so it documents real keys only.
#[test]
fn the_packaged_configuration_documents_real_keys_with_their_defaults() {
    let shipped = include_str!("../../packaging/config.toml");
    assert_eq!(parse(shipped).expect("as shipped"), Config::default());
    let uncommented: String = shipped
        .lines()
        .map(|line| match line.strip_prefix("# ") {
            Some(rest)
                if rest.starts_with('[')
                    || rest.split_once(" = ").is_some_and(|(key, _)| {
                        key.chars().all(|c| c.is_ascii_lowercase() || c == '_')
                    }) =>
            {
                rest
            }
            _ => "",
        })
        .collect::<Vec<_>>()
        .join("\n");
    let config = parse(&uncommented).unwrap_or_else(|e| panic!("{e:?}\n{uncommented}"));
    assert_eq!(config.court.hall, "3");
    assert_eq!(config.recording.network_inputs.len(), 1);
    let mut defaults = Config::default();
    (defaults.court, defaults.recording.network_inputs) = (
        config.court.clone(),
        config.recording.network_inputs.clone(),
    );
    assert_eq!(config, defaults, "every other value shown is the default");
}

#[test]
fn a_missing_file_is_an_error_only_when_named() {
    let missing = Path::new("/nonexistent/hattama.toml");
    assert_eq!(
        Config::load(missing, false).expect("defaults"),
        Config::default()
    );
    assert!(matches!(
        Config::load(missing, true),
        Err(ConfigError::Read { .. })
    ));
}
