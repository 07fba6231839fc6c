//! The workstation itself: room on the disk for a day, the court's key signing and verifying
//! (here or through the signing service), the court's certificate, and secrets kept closed.

use std::path::Path;

use crate::config::Config;
use crate::i18n::Said;
use crate::paths::Paths;
use crate::said;

use super::{DAY_HOURS, Step};

/// Free space for a working day of recording at the configured profile.
pub(super) fn disk(paths: &Paths, config: &Config) -> Step {
    let profile = crate::recorder::Profile::find(&config.recording.profile, &paths.profiles());
    let per_hour = profile.map_or(1_500_000_000, |p| p.bytes_per_hour(3));
    let needed = per_hour * DAY_HOURS;
    let result = crate::paths::free_bytes(&paths.data).map(|free| (free, free >= needed));
    let gb = |bytes: u64| format!("{:.1}", bytes as f64 / 1e9);
    Step::new(
        "disk",
        &paths.data.display().to_string(),
        match result {
            Ok((free, true)) => Ok(said!(
                "check-disk-enough",
                free = gb(free),
                needed = gb(needed)
            )),
            Ok((free, false)) => Err(said!(
                "check-disk-short",
                free = gb(free),
                needed = gb(needed)
            )),
            Err(error) => Err(error.to_string().into()),
        },
    )
}

/// The court's key signs, and the signature verifies against the keys it trusts. A key
/// that sealed parts here and is gone is a fault, never replaced by a new one; a data folder
/// that has sealed nothing yet gets its key now, as its first seal would make it.
pub(super) fn key(paths: &Paths) -> Step {
    let file = crate::seal::Keys::secret_file(&paths.keys());
    if std::fs::symlink_metadata(&file).is_err() && paths.database().exists() {
        let sealed = crate::store::Store::open(&paths.database())
            .and_then(|store| store.sealed_count())
            .unwrap_or(0);
        if sealed > 0 {
            return Step::failed(
                "key",
                &file.display().to_string(),
                said!("check-key-lost", count = sealed),
            );
        }
    }
    if readable_by_others(&file, 0o077) {
        return Step::failed(
            "key",
            &file.display().to_string(),
            said!("check-file-open", path = file.display().to_string()),
        );
    }
    let result = crate::seal::Keys::load_or_create(&paths.keys())
        .map_err(|e| e.to_string())
        .and_then(|keys| {
            let message = format!("hattama daily check {}", chrono::Utc::now().to_rfc3339());
            let signature = keys.sign(message.as_bytes(), "daily check", "daily check");
            let trusted = crate::seal::trusted_keys(paths);
            crate::seal::minisig::verify(&trusted, message.as_bytes(), &signature)
                .map(|_| said!("check-key-ok", id = keys.id_hex()))
                .map_err(|e| e.to_string())
        });
    Step::new("key", "", result.map_err(Said::from))
}

/// The courtroom's signing service answers, signs with its key (and the court's
/// certificate when it has one), and the signature verifies. Down, or its key lost, it is
/// an equipment fault: seals wait for it.
pub(super) fn service(socket: &Path) -> Step {
    let result = crate::seal::Sealer::service(socket)
        .and_then(|sealer| {
            let message = format!("hattama daily check {}", chrono::Utc::now().to_rfc3339());
            let (signature, _) = sealer.sign_with_court(
                "daily check",
                message.as_bytes(),
                "daily check",
                "daily check",
            )?;
            crate::seal::minisig::verify(&[sealer.public()], message.as_bytes(), &signature)?;
            let certified = sealer.certificate.as_ref().and_then(|c| c.certificate());
            Ok(said!(
                "check-service-ok",
                id = sealer.id_hex(),
                certified = certified.map_or_else(
                    || said!("check-service-uncertified"),
                    |c| said!(
                        "check-service-certified",
                        court = c.court,
                        hall = c.hall,
                        until = c.valid_until
                    )
                ),
                court = sealer
                    .court()
                    .map(|who| format!("; {who}"))
                    .unwrap_or_default()
            ))
        })
        .map_err(|error| error.to_string());
    Step::new(
        "key",
        &socket.display().to_string(),
        result.map_err(Said::from),
    )
}

/// The court's certificate (when configured) opens with its password, is valid today and
/// signs; how many days it has left is said, so it is renewed before the seals wait for it.
/// Its password file is readable by no one but the users it is for.
pub(super) fn certificate(signing: &crate::config::Signing) -> Option<Step> {
    if signing.pkcs12.is_empty() {
        return None;
    }
    let password = Path::new(&signing.pkcs12_password_file);
    if !signing.pkcs12_password_file.is_empty() && readable_by_others(password, 0o004) {
        return Some(Step::failed(
            "certificate",
            &signing.pkcs12,
            said!("check-file-open", path = password.display().to_string()),
        ));
    }
    let result = crate::seal::cms::CourtCertificate::load(signing)
        .map_err(|error| error.to_string())
        .and_then(|court| {
            let court = court.ok_or_else(String::new)?;
            court
                .sign(b"hattama daily check")
                .map_err(|error| error.to_string())?;
            Ok(said!(
                "check-certificate-ok",
                who = court.describe(),
                days = court.days_left()
            ))
        });
    Some(Step::new(
        "certificate",
        &signing.pkcs12,
        result.map_err(Said::from),
    ))
}

/// Whether `path` grants any of `bits` (of its mode) to users other than its owner.
fn readable_by_others(path: &Path, bits: u32) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|meta| meta.permissions().mode() & bits != 0)
}

/// The files holding the court's secrets (tokens, S3 keys, the mail password) are not
/// readable by every user of the computer: the court's file at most by its group
/// (`root:hattama 0640`), a user's own by that user alone (0600).
pub(super) fn secrets(paths: &Paths) -> Step {
    let holds_secrets = |path: &Path| {
        std::fs::read_to_string(path).is_ok_and(|text| {
            text.parse::<toml::Table>().is_ok_and(|table| {
                table
                    .get("delivery")
                    .and_then(|d| d.as_table())
                    .is_some_and(|delivery| {
                        delivery.iter().any(|(key, value)| {
                            (key.ends_with("_token")
                                || key.ends_with("_secret_key")
                                || key.ends_with("_password"))
                                && value.as_str().is_some_and(|v| !v.is_empty())
                        })
                    })
            })
        })
    };
    let files = [
        (paths.system_config.clone(), 0o007),
        (Some(paths.config_file.clone()), 0o077),
    ];
    let open: Vec<String> = files
        .into_iter()
        .filter_map(|(path, bits)| path.map(|path| (path, bits)))
        .filter(|(path, bits)| holds_secrets(path) && readable_by_others(path, *bits))
        .map(|(path, _)| path.display().to_string())
        .collect();
    match open.first() {
        Some(path) => Step::failed(
            "secrets",
            path,
            said!("check-secrets-open", path = path.clone()),
        ),
        None => Step::new("secrets", "", Ok(said!("check-secrets-closed"))),
    }
}
