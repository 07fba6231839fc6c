//! `hattama check`: the daily equipment check's automatic steps from the terminal.

use std::path::PathBuf;
use std::process::ExitCode;

use hattama::config::Config;
use hattama::paths::Paths;
use hattama::store::Store;
use hattama::tr;

use super::{fail, print_json};

/// `hattama check`: the daily equipment check's automatic steps, kept; fails when a step
/// fails.
pub(super) fn run(
    paths: &Paths,
    config: &Config,
    (by, html): (Option<String>, Option<PathBuf>),
    json: bool,
) -> ExitCode {
    // A report that could not be written is said before the check is made and kept.
    if let Some(html) = &html
        && let Err(error) =
            hattama::output::may_write(html, &paths.data, hattama::output::Output::File, false)
    {
        return fail(&error);
    }
    let mut store = match Store::open(&paths.database()) {
        Ok(store) => store,
        Err(error) => return fail(&error),
    };
    let steps = hattama::check::automatic(paths, config);
    let by = by.unwrap_or_else(|| config.operator.name.clone());
    let role = hattama::check::role_of(config.court.instance);
    let kept = match store.record_check(&by, role, &config.court.name, &config.court.hall, &steps) {
        Ok(kept) => kept,
        Err(error) => return fail(&error),
    };
    if let Some(html) = &html {
        let page = hattama::check::page(&kept, config.court.time_zone());
        if let Err(error) = hattama::output::write_chosen(html, &paths.data, page.as_bytes()) {
            return fail(&error);
        }
    }
    if json {
        print_json(&serde_json::json!(kept));
    } else {
        println!(
            "{}",
            tr!(
                "check-heading",
                by = by.clone(),
                role = hattama::check::role_label(role)
            )
        );
        for step in &kept.steps {
            let mark = match step.state {
                hattama::check::StepState::Passed => "✔",
                hattama::check::StepState::Failed => "✖",
                hattama::check::StepState::Skipped => "–",
            };
            println!("{mark} {}: {}", step.label(), step.detail);
        }
        println!(
            "{}",
            if kept.passed {
                tr!("check-passed")
            } else {
                tr!("check-failed", count = (kept.failed().count() as i64))
            }
        );
    }
    if kept.passed {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
