//! Bad inputs through the real binary: each gets a clear error and nothing is lost.

mod common;

use common::*;

#[test]
fn a_corrupt_database_is_a_clear_error_and_stays_untouched() {
    let data = tempfile::tempdir().expect("temporary folder");
    let database = data.path().join("hattama.sqlite3");
    let garbage: Vec<u8> = (0..64 * 1024u32).map(|i| (i % 251) as u8).collect();
    std::fs::write(&database, &garbage).expect("write garbage");
    let data_arg = data.path().to_str().expect("UTF-8");
    for args in [
        vec!["record", "--demo", "--for", "1", "--data", data_arg],
        vec!["recover", "--data", data_arg],
    ] {
        let output = run(&args);
        let stderr = text(&output.stderr);
        assert!(!output.status.success(), "{args:?} fails");
        assert!(
            stderr.contains("Cannot open the database") && stderr.contains("hattama.sqlite3"),
            "{args:?}: {stderr}"
        );
        assert!(
            stderr.contains("left exactly as it is"),
            "says what to do: {stderr}"
        );
    }
    assert_eq!(
        std::fs::read(&database).expect("still there"),
        garbage,
        "byte for byte"
    );
    assert_eq!(
        files_in(data.path()),
        ["hattama.sqlite3"],
        "nothing written beside it"
    );
}

#[test]
fn a_database_from_a_newer_hattama_is_refused_and_stays_untouched() {
    let data = tempfile::tempdir().expect("temporary folder");
    let database = data.path().join("hattama.sqlite3");
    rusqlite::Connection::open(&database)
        .expect("create")
        .execute_batch("CREATE TABLE t (x); PRAGMA user_version = 42;")
        .expect("future schema");
    let before = std::fs::read(&database).expect("read");
    let output = run(&["recover", "--data", data.path().to_str().expect("UTF-8")]);
    assert!(!output.status.success());
    assert!(
        text(&output.stderr).contains("newer Hattama (schema 42"),
        "{}",
        text(&output.stderr)
    );
    assert_eq!(std::fs::read(&database).expect("read"), before);
}

#[test]
fn a_bad_config_names_the_key_and_the_file_and_stays_untouched() {
    let folder = tempfile::tempdir().expect("temporary folder");
    let config = folder.path().join("config.toml");
    let content = "[court]\nname = \"Астана\"\ninstance = \"supreme\"\n";
    std::fs::write(&config, content).expect("write config");
    let output = run(&[
        "record",
        "--demo",
        "--for",
        "1",
        "--config",
        config.to_str().expect("UTF-8"),
        "--data",
        folder.path().join("data").to_str().expect("UTF-8"),
    ]);
    let stderr = text(&output.stderr);
    assert!(!output.status.success());
    assert!(stderr.contains("court.instance"), "names the key: {stderr}");
    assert!(
        stderr.contains(config.to_str().expect("UTF-8")),
        "names the file: {stderr}"
    );
    assert!(stderr.contains("supreme"), "shows the value: {stderr}");
    assert_eq!(std::fs::read_to_string(&config).expect("read"), content);
    assert!(
        !folder.path().join("data").exists(),
        "nothing recorded on a bad config"
    );

    let missing = folder.path().join("missing.toml");
    let output = run(&["devices", "--config", missing.to_str().expect("UTF-8")]);
    assert!(!output.status.success(), "a named config file must exist");
    assert!(text(&output.stderr).contains("Cannot read the configuration file"));
}

#[test]
fn a_data_folder_that_cannot_be_created_is_a_clear_error() {
    let folder = tempfile::tempdir().expect("temporary folder");
    let file = folder.path().join("a-file");
    std::fs::write(&file, "not a folder").expect("write");
    let output = run(&[
        "record",
        "--demo",
        "--for",
        "1",
        "--data",
        file.join("data").to_str().expect("UTF-8"),
    ]);
    let stderr = text(&output.stderr);
    assert!(!output.status.success());
    assert!(stderr.contains("Cannot create the data folder"), "{stderr}");
    assert!(stderr.contains("--data"), "says what to do: {stderr}");
}

#[test]
fn a_read_only_disk_is_a_clear_error() {
    require_root("it mounts a read-only tmpfs");
    let disk = SmallDisk::mount("4m", "");
    let data = disk.path.join("data");
    std::fs::create_dir(&data).expect("data folder");
    disk.remount("ro");
    let output = hattama()
        .args(["record", "--demo", "--for", "1", "--data"])
        .arg(&data)
        .output()
        .expect("hattama runs");
    let stderr = text(&output.stderr);
    assert!(
        !output.status.success(),
        "recording on a read-only disk fails"
    );
    assert!(
        stderr.contains("Cannot write to the data folder"),
        "{stderr}"
    );
    assert!(
        stderr.contains("Read-only file system"),
        "the system's reason: {stderr}"
    );
    assert!(stderr.contains("--data"), "says what to do: {stderr}");
}

#[test]
fn devices_lists_what_is_present_as_json() {
    let output = run(&["devices", "--json"]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let list: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    for device in list.as_array().expect("a list") {
        assert!(["camera", "microphone"].contains(&device["kind"].as_str().unwrap_or("")));
        assert!(!device["name"].as_str().unwrap_or("").is_empty());
    }
}

#[test]
fn help_speaks_the_system_language() {
    let kazakh = hattama()
        .env("LANG", "kk_KZ.UTF-8")
        .args(["record", "--help"])
        .output()
        .expect("runs");
    assert!(
        text(&kazakh.stdout).contains("демо кірістерді жазу"),
        "{}",
        text(&kazakh.stdout)
    );
    let russian = hattama()
        .env("LANG", "ru_RU.UTF-8")
        .args(["--help"])
        .output()
        .expect("runs");
    assert!(text(&russian.stdout).contains("Запись судебного заседания"));
}

#[test]
fn a_missing_device_is_a_clear_error() {
    let folder = tempfile::tempdir().expect("temporary folder");
    let config = folder.path().join("config.toml");
    let data = folder.path().join("data");
    let record = |config_text: &str| {
        std::fs::write(&config, config_text).expect("write config");
        let output = hattama()
            .args(["record", "--for", "1", "--config"])
            .arg(&config)
            .arg("--data")
            .arg(&data)
            .output()
            .expect("hattama runs");
        assert!(!output.status.success(), "{config_text}");
        text(&output.stderr)
    };
    let stderr = record("[recording]\ncameras = [\"Hall 3 PTZ camera\"]\n");
    assert!(
        stderr.contains("“Hall 3 PTZ camera” is not connected"),
        "{stderr}"
    );
    let stderr = record("[recording]\nremote_audio = \"VC line-in\"\n");
    assert!(stderr.contains("“VC line-in” is not connected"), "{stderr}");
    let devices = run(&["devices", "--json"]);
    if text(&devices.stdout).trim() == "[]" {
        let stderr = record("[recording]\ndemo_when_no_devices = false\n");
        assert!(
            stderr.contains("No camera or microphone is available"),
            "{stderr}"
        );
    }
}
