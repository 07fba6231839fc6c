//! `hattama cases`: the judge's list of the court's cases, from the court server.

use std::process::ExitCode;

use hattama::config::Config;
use hattama::delivery::cases;
use hattama::paths::Paths;
use hattama::tr;

use super::print_json;

/// What the judge asked.
#[derive(Debug, clap::Args)]
pub struct Asked {
    #[arg(long, value_name = "TEXT")]
    pub search: Option<String>,
    #[arg(long, value_name = "NAME")]
    pub court: Option<String>,
    #[arg(long, value_name = "NAME", default_value = "server")]
    pub server: String,
    #[arg(long)]
    pub json: bool,
}

pub fn run(paths: &Paths, config: &Config, asked: Asked) -> ExitCode {
    let target = match super::named_target(config, &asked.server) {
        Ok(target) => target,
        Err(code) => return code,
    };
    let court = asked.court.unwrap_or_else(|| config.court.name.clone());
    let trusted = hattama::seal::trusted_keys(paths);
    let folder = paths.data.join("court-list");
    let listed = match cases::list(target, &court, &trusted, &folder, asked.search.as_deref()) {
        Ok(listed) => listed,
        Err(error) => {
            eprintln!("{}: {error}", tr!("error-label"));
            return ExitCode::FAILURE;
        }
    };
    for (name, why) in &listed.refused {
        eprintln!(
            "{}",
            tr!(
                "accept-event-refused",
                name = name.clone(),
                why = why.clone()
            )
        );
    }
    if asked.json {
        print_json(&serde_json::to_value(&listed).unwrap_or_default());
        return ExitCode::SUCCESS;
    }
    for case in &listed.cases {
        let joined = |set: &std::collections::BTreeSet<String>| {
            set.iter().cloned().collect::<Vec<_>>().join(", ")
        };
        println!(
            "{}",
            tr!(
                "cases-line",
                case = case.case_number.clone(),
                last = case.last.clone(),
                judges = joined(&case.judges),
                sessions = case.sessions.len(),
                parts = case.parts(),
                participants = joined(&case.participants)
            )
        );
    }
    if listed.cases.is_empty() {
        println!("{}", tr!("cases-none", court = court));
    }
    ExitCode::SUCCESS
}
