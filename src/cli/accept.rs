//! `hattama accept`: the archivist's desk on the command line.

use std::path::PathBuf;
use std::process::ExitCode;

use hattama::config::Config;
use hattama::delivery::events;
use hattama::disc::accept;
use hattama::paths::Paths;
use hattama::tr;

use super::print_json;

/// What the archivist asked.
#[derive(Debug, clap::Args)]
pub struct Asked {
    #[arg(long, value_name = "NUMBER")]
    pub case: String,
    #[arg(long, value_name = "NAME")]
    pub court: Option<String>,
    #[arg(long, value_name = "NAME")]
    pub by: Option<String>,
    #[arg(long, value_name = "NAME", default_value = "server")]
    pub server: String,
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
    #[arg(long)]
    pub json: bool,
    #[arg(value_name = "DISC")]
    pub discs: Vec<PathBuf>,
}

pub fn run(paths: &Paths, config: &Config, asked: Asked) -> ExitCode {
    let target = match super::named_target(config, &asked.server) {
        Ok(target) => target,
        Err(code) => return code,
    };
    let court = asked.court.unwrap_or_else(|| config.court.name.clone());
    let by = asked.by.unwrap_or_else(|| config.operator.name.clone());
    let trusted = hattama::seal::trusted_keys(paths);
    let record = match events::case_events(target, &court, &asked.case, &trusted) {
        Ok(record) => record,
        Err(error) => {
            eprintln!("{}: {error}", tr!("error-label"));
            return ExitCode::FAILURE;
        }
    };
    for (name, why) in record.refused() {
        eprintln!(
            "{}",
            tr!("accept-event-refused", name = name, why = why.to_string())
        );
    }
    if let Some(html) = &asked.html
        && let Err(error) =
            hattama::output::write_chosen(html, &paths.data, accept::page(&record).as_bytes())
    {
        return super::fail(&error);
    }
    if asked.discs.is_empty() {
        // The inventory alone: what the events list, nothing accepted.
        if !asked.json {
            for disc in accept::listed_discs(&record) {
                println!(
                    "{}",
                    tr!(
                        "accept-listed",
                        label = disc.label,
                        disc = disc.disc,
                        of = disc.of,
                        made = disc.made_at,
                        by = disc.made_by
                    )
                );
            }
        } else {
            print_json(&serde_json::to_value(&record).unwrap_or_default());
        }
        return ExitCode::SUCCESS;
    }
    let acceptance = match accept::check(record, &asked.discs, &trusted, &by) {
        Ok(acceptance) => acceptance,
        Err(error) => {
            eprintln!("{}: {error}", tr!("error-label"));
            return ExitCode::FAILURE;
        }
    };
    let recorded = hattama::seal::Sealer::open(paths, config)
        .map_err(|error| error.to_string())
        .and_then(|sealer| {
            events::record(&acceptance.event, &sealer, target).map_err(|error| error.to_string())
        });
    if asked.json {
        let mut value = serde_json::to_value(&acceptance).unwrap_or_default();
        value["recorded"] = match &recorded {
            Ok(at) => serde_json::json!(at),
            Err(error) => serde_json::json!({ "error": error }),
        };
        print_json(&value);
    } else {
        for line in acceptance.lines() {
            println!("{line}");
        }
        if let Ok(at) = &recorded {
            println!("{}", tr!("accept-recorded", at = at.clone()));
        }
    }
    if let Err(error) = &recorded {
        eprintln!("{}", tr!("accept-not-recorded", why = error.clone()));
        return ExitCode::FAILURE;
    }
    if acceptance.complete() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
