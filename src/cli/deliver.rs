//! `hattama deliver`, `mirror` and `replicate`: the outbox sent now or as a service, a
//! court server mirrored, the day's parts copied to the regional replica.

use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use hattama::config::Config;
use hattama::paths::Paths;
use hattama::store::Store;
use hattama::tr;

use super::{fail, named_target, print_json, stop_signal};

/// `hattama deliver`: sends what the outbox holds, now and (without `--once`) whenever a
/// row falls due, until Ctrl+C or SIGTERM.
pub(super) fn deliver(
    paths: &Paths,
    config: &Config,
    (once, retry_failed): (bool, bool),
    json: bool,
) -> ExitCode {
    let mut store = match Store::open(&paths.database()) {
        Ok(store) => store,
        Err(error) => return fail(&error),
    };
    if retry_failed {
        let failed = store
            .outbox(None)
            .unwrap_or_default()
            .into_iter()
            .filter(|row| row.state == hattama::store::OutboxState::Failed);
        for row in failed {
            if let Err(error) = store.outbox_retry_now(row.id, &config.operator.name) {
                return fail(&error);
            }
        }
    }
    let stop = if once {
        Arc::new(AtomicBool::new(false))
    } else {
        stop_signal()
    };
    let bell = hattama::wake::Bell::bind(&paths.data);
    let mut first = true;
    loop {
        let pass = match deliver_pass(&mut store, paths, config) {
            Ok(pass) => pass,
            Err(error) => return fail(&error),
        };
        // A line for the first pass and for each that did something.
        let said = first || pass.delivered + pass.retrying + pass.failed > 0;
        first = false;
        if !said {
            // Nothing new to say.
        } else if pass.busy && !json {
            println!("{}", tr!("deliver-busy"));
        } else if json {
            let rows = store.outbox(None).unwrap_or_default();
            print_json(&serde_json::json!({ "pass": pass, "outbox": rows }));
        } else {
            println!(
                "{}",
                tr!(
                    "deliver-pass",
                    delivered = pass.delivered,
                    retrying = pass.retrying,
                    failed = pass.failed,
                    waiting = pass.not_configured
                )
            );
        }
        if once {
            return ExitCode::SUCCESS;
        }
        // What is queued is sent the moment it is (the outbox's bell); what falls due
        // later, within a second (the query is one indexed SELECT).
        hattama::periodic::wait(&bell, Duration::from_secs(1), &stop);
        if stop.load(Ordering::SeqCst) {
            return ExitCode::SUCCESS;
        }
    }
}

/// One pass over the outbox, now.
fn deliver_pass(
    store: &mut Store,
    paths: &Paths,
    config: &Config,
) -> Result<hattama::delivery::Pass, hattama::store::StoreError> {
    // The hall's status goes out with everything else (rule 4).
    hattama::delivery::status::publish_if_due(store, config, chrono::Utc::now())?;
    hattama::delivery::deliver_due(store, paths, &config.delivery, chrono::Utc::now())
}

/// `mirror --from NAME --to NAME`: server to server (rule 23 on the court server).
pub(super) fn mirror(
    paths: &Paths,
    config: &Config,
    (from, to): (&str, &str),
    json: bool,
) -> ExitCode {
    let named = |name: &str| named_target(config, name);
    let (from, to) = match (named(from), named(to)) {
        (Ok(from), Ok(to)) => (from, to),
        (Err(code), _) | (_, Err(code)) => return code,
    };
    let trusted = hattama::seal::trusted_keys(paths);
    let mirrored =
        match hattama::delivery::mirror::mirror(from, to, &trusted, &paths.data.join("mirror")) {
            Ok(mirrored) => mirrored,
            Err(error) => {
                eprintln!("{error}");
                return ExitCode::FAILURE;
            }
        };
    if json {
        print_json(&serde_json::to_value(&mirrored).unwrap_or_default());
    } else {
        println!(
            "{}",
            tr!(
                "mirror-done",
                parts = mirrored.parts,
                copied = mirrored.copied.len(),
                already = mirrored.already,
                from = from.url.to_owned(),
                to = to.url.to_owned()
            )
        );
        for (folder, why) in &mirrored.refused {
            eprintln!("{folder}: {why}");
        }
    }
    if mirrored.refused.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// `hattama replicate`: queues a copy on the replica of every sealed part not there yet and
/// sends what is due now (what cannot go now is retried by `hattama deliver` or the window).
pub(super) fn replicate(paths: &Paths, config: &Config, json: bool) -> ExitCode {
    if config.delivery.replica.is_empty() {
        eprintln!("{}", tr!("replicate-not-configured"));
        return ExitCode::FAILURE;
    }
    let mut store = match Store::open(&paths.database()) {
        Ok(store) => store,
        Err(error) => return fail(&error),
    };
    let trusted = hattama::seal::trusted_keys(paths);
    let queued = match hattama::delivery::replica::queue_replication(
        &mut store,
        paths,
        &trusted,
        &config.delivery,
    ) {
        Ok(queued) => queued,
        Err(error) => return fail(&error),
    };
    let pass = match deliver_pass(&mut store, paths, config) {
        Ok(pass) => pass,
        Err(error) => return fail(&error),
    };
    let replicas: Vec<_> = store
        .outbox(None)
        .unwrap_or_default()
        .into_iter()
        .filter(|row| row.target == hattama::delivery::REPLICA)
        .collect();
    let copied = replicas
        .iter()
        .filter(|row| row.state == hattama::store::OutboxState::Delivered)
        .count();
    if json {
        print_json(&serde_json::json!({ "queued": queued, "pass": pass, "replicas": replicas }));
    } else {
        println!(
            "{}",
            tr!(
                "replicate-done",
                queued = queued,
                copied = copied,
                total = replicas.len()
            )
        );
    }
    if replicas
        .iter()
        .all(|row| row.state == hattama::store::OutboxState::Delivered)
    {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
