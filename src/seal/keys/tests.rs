//! The key and signatures, checked by the real `minisign`.

use std::process::Command;

use super::*;
use crate::seal::minisig::verify;

fn minisign_verifies(folder: &Path, file: &Path, public: &PublicKey) -> (bool, String) {
    let output = Command::new("minisign")
        .arg("-Vm")
        .arg(file)
        .arg("-P")
        .arg(public.base64())
        .current_dir(folder)
        .output()
        .expect("minisign runs (make test installs it)");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned()
            + &String::from_utf8_lossy(&output.stderr),
    )
}

#[test]
fn a_key_is_made_once_kept_private_and_read_back() {
    let folder = tempfile::tempdir().expect("temporary folder");
    let keys = Keys::load_or_create(folder.path()).expect("made");
    let mode = fs::metadata(folder.path().join(SECRET_FILE))
        .expect("secret")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600, "only its owner reads the secret");
    let again = Keys::load_or_create(folder.path()).expect("read back");
    assert_eq!(again.public(), keys.public(), "the same key, not a new one");
    let file = fs::read_to_string(Keys::public_file(folder.path())).expect("public");
    assert_eq!(PublicKey::parse(&file).expect("parses"), keys.public());
    assert!(!format!("{keys:?}").contains(&STANDARD.encode(keys.signing.as_bytes())));

    fs::set_permissions(
        folder.path().join(SECRET_FILE),
        fs::Permissions::from_mode(0o644),
    )
    .expect("loosened");
    Keys::load(folder.path()).expect("still read");
    let mode = fs::metadata(folder.path().join(SECRET_FILE))
        .expect("secret")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600, "tightened again");
}

#[test]
fn minisign_verifies_what_hattama_signs_and_refuses_a_changed_file() {
    let folder = tempfile::tempdir().expect("temporary folder");
    let keys = Keys::load_or_create(&folder.path().join("keys")).expect("made");
    let manifest = folder.path().join("manifest.json");
    fs::write(&manifest, "{\"case\": \"2-1234/2026\"}\n").expect("written");
    let comment = "Астана қаласының №2 аудандық соты, зал 5, іс 2-1234/2026, отырыс 7";
    let signature = keys.sign(
        &fs::read(&manifest).expect("read"),
        "signed by Hattama",
        comment,
    );
    fs::write(folder.path().join("manifest.json.minisig"), &signature).expect("written");

    let (ok, said) = minisign_verifies(folder.path(), &manifest, &keys.public());
    assert!(ok, "minisign: {said}");
    assert!(
        said.contains(comment),
        "the trusted comment is shown: {said}"
    );
    assert_eq!(
        verify(
            &[keys.public()],
            &fs::read(&manifest).expect("read"),
            &signature
        )
        .expect("Hattama agrees"),
        comment
    );

    fs::write(&manifest, "{\"case\": \"2-1235/2026\"}\n").expect("changed");
    let (ok, _) = minisign_verifies(folder.path(), &manifest, &keys.public());
    assert!(!ok, "minisign refuses a changed file");
    assert!(matches!(
        verify(
            &[keys.public()],
            &fs::read(&manifest).expect("read"),
            &signature
        ),
        Err(SealError::BadSignature)
    ));
}

#[test]
fn a_changed_comment_another_key_or_garbage_is_refused() {
    let folder = tempfile::tempdir().expect("temporary folder");
    let keys = Keys::load_or_create(&folder.path().join("a")).expect("made");
    let other = Keys::load_or_create(&folder.path().join("b")).expect("made");
    let message = b"manifest";
    let signature = keys.sign(message, "u", "court A, hall 1");
    let changed = signature.replace("court A, hall 1", "court B, hall 1");
    assert!(matches!(
        verify(&[keys.public()], message, &changed),
        Err(SealError::BadTrustedComment)
    ));
    let Err(SealError::UnknownKey { found, trusted }) =
        verify(&[other.public()], message, &signature)
    else {
        panic!("another court's key is not trusted");
    };
    assert_eq!(found, keys.id_hex());
    assert_eq!(trusted, other.id_hex());
    assert!(
        verify(&[other.public(), keys.public()], message, &signature).is_ok(),
        "an older key in the trust list still verifies"
    );
    for garbage in [
        "",
        "untrusted comment: x\n",
        "a\nb\nc\nd\n",
        "untrusted comment: x\nAAAA\ntrusted comment: y\nAAAA\n",
    ] {
        assert!(
            matches!(
                verify(&[keys.public()], message, garbage),
                Err(SealError::Malformed { .. })
            ),
            "{garbage:?}"
        );
    }
    assert!(PublicKey::parse("RWQ=").is_err());
    fs::write(folder.path().join("a").join(SECRET_FILE), "garbage").expect("damaged");
    assert!(matches!(
        Keys::load(&folder.path().join("a")),
        Err(SealError::KeyDamaged { .. })
    ));
}

#[test]
fn a_replaced_key_stays_trusted_for_what_it_sealed() {
    let data = tempfile::tempdir().expect("temporary folder");
    let paths = crate::paths::Paths::new(None, Some(data.path().to_owned()));
    let old = Keys::load_or_create(&paths.keys()).expect("made");
    let sealed_before = old.sign(b"manifest of 2025", "u", "old");
    let new = Keys::replace(&paths.keys()).expect("replaced");
    assert_ne!(new.id_hex(), old.id_hex());
    assert_eq!(
        Keys::load(&paths.keys()).expect("read").id_hex(),
        new.id_hex()
    );
    let trusted = crate::seal::trusted_keys(&paths);
    assert_eq!(trusted.len(), 2, "the new key and the retired one");
    assert!(verify(&trusted, b"manifest of 2025", &sealed_before).is_ok());
    let sealed_after = new.sign(b"manifest of 2026", "u", "new");
    assert!(verify(&trusted, b"manifest of 2026", &sealed_after).is_ok());
    let retired: Vec<_> = fs::read_dir(paths.keys().join("trusted"))
        .expect("trusted")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(
        retired.len(),
        1,
        "only the public half is kept: {retired:?}"
    );
}
