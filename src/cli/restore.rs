//! `hattama restore`: a session's parts brought back from the court server.

use std::process::ExitCode;

use hattama::config::Config;
use hattama::paths::Paths;
use hattama::problem::Problem;
use hattama::store::Store;
use hattama::tr;

use super::{fail, print_json};

/// `hattama restore --session ID`: every part of the session whose local copy does not
/// verify is brought back from the replica, if the replica's copy verifies. `--case NUMBER`:
/// every part of the case the replica holds, found by its listing (no database needed).
pub(super) fn run(
    paths: &Paths,
    config: &Config,
    (session, case, court): (Option<i64>, Option<String>, Option<String>),
    json: bool,
) -> ExitCode {
    if config.delivery.replica.is_empty() {
        eprintln!("{}", tr!("replicate-not-configured"));
        return ExitCode::FAILURE;
    }
    let target = config.delivery.replica_target();
    // Each part as (its folder here, its folder on the replica).
    let found: Result<Vec<(String, String)>, Box<dyn Problem>> = match (session, case) {
        (Some(session), _) => Store::open(&paths.database())
            .and_then(|store| Ok((store.parts_of(session)?, store.session(session)?)))
            .map(|(parts, case)| {
                parts
                    .iter()
                    .filter(|p| p.sealed_at.is_some())
                    .map(|part| {
                        let folder = part.folder.to_string_lossy().replace('\\', "/");
                        let on_server = hattama::delivery::server_folder(
                            &case.court,
                            &case.case_number,
                            &folder,
                        );
                        (folder, on_server)
                    })
                    .collect()
            })
            .map_err(|error| Box::new(error) as Box<dyn Problem>),
        (None, case) => {
            let court = court.unwrap_or_else(|| config.court.name.clone());
            hattama::delivery::replica::parts_of_case(target, &court, &case.unwrap_or_default())
                .map(|parts| {
                    parts
                        .into_iter()
                        .map(|on_server| {
                            // `<court>/<case>/<session>/<part>` here is `<session>/<part>`.
                            let mut names = on_server.rsplit('/');
                            let (part, session) = (names.next(), names.next());
                            let local = format!(
                                "{}/{}",
                                session.unwrap_or_default(),
                                part.unwrap_or_default()
                            );
                            (local, on_server)
                        })
                        .collect()
                })
                .map_err(|error| Box::new(error) as Box<dyn Problem>)
        }
    };
    let parts = match found {
        Ok(parts) => parts,
        Err(error) => return fail(error.as_ref()),
    };
    let trusted = hattama::seal::trusted_keys(paths);
    let mut results = Vec::new();
    let mut all_whole = true;
    for (folder, on_server) in parts {
        let result =
            hattama::delivery::replica::restore(paths, target, &trusted, &folder, &on_server);
        match &result {
            Ok(restored) if !json => println!(
                "{}",
                if restored.already_whole {
                    tr!("restore-whole", folder = folder.clone())
                } else {
                    tr!(
                        "restore-done",
                        folder = folder.clone(),
                        files = restored.files
                    )
                }
            ),
            Err(error) => {
                all_whole = false;
                if !json {
                    eprintln!("{}: {folder}: {error}", tr!("error-label"));
                }
            }
            Ok(_) => {}
        }
        results.push(serde_json::json!({
            "folder": folder,
            "restored": result.as_ref().ok(),
            "error": result.as_ref().err().map(ToString::to_string),
        }));
    }
    if json {
        print_json(&serde_json::json!(results));
    }
    if all_whole {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
