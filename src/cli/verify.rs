//! `hattama verify PATH`: every sealed part at or below a path, checked as a court would.

use std::path::PathBuf;
use std::process::ExitCode;

use hattama::paths::Paths;
use hattama::tr;

use super::print_json;

/// Checks every sealed part at or below `path`; exits 0 only when all holds.
pub(super) fn run(
    paths: &Paths,
    path: &std::path::Path,
    (trust, centres): (Option<PathBuf>, Vec<PathBuf>),
    (trust_list, authorities, revocations): (Option<PathBuf>, Vec<PathBuf>, Vec<PathBuf>),
    (chunks, json): (bool, bool),
) -> ExitCode {
    let mut trusted = match trust {
        Some(file) => match std::fs::read_to_string(&file) {
            Ok(text) => hattama::seal::Trust::of_keys(hattama::seal::parse_keys(&text)),
            Err(error) => {
                eprintln!("{}: {}: {error}", tr!("error-label"), file.display());
                return ExitCode::FAILURE;
            }
        },
        None => hattama::seal::trusted_keys(paths),
    };
    // Certifying centres named here are the only ones trusted for the CMS signature.
    if !centres.is_empty() {
        trusted.centres = centres;
    }
    // A trust list named here: the courts' root keys it lists, from its authority's key.
    if let Some(list) = trust_list {
        let authorities: Vec<_> = authorities
            .iter()
            .filter_map(|file| std::fs::read_to_string(file).ok())
            .flat_map(|text| hattama::seal::parse_keys(&text))
            .collect();
        match hattama::seal::trust::load_roots(&list, &authorities, &revocations) {
            Ok(roots) => trusted.roots = roots,
            Err(why) => {
                eprintln!("{}: {why}", tr!("error-label"));
                return ExitCode::FAILURE;
            }
        }
    }
    // A disc image is read with xorriso; its parts are named as they are inside it. The case
    // inventory is consulted when this computer keeps one.
    let cases = hattama::disc::check::CaseInventory::open(&paths.database());
    let depth = if chunks {
        hattama::seal::verify::Depth::Chunks
    } else {
        hattama::seal::verify::Depth::Files
    };
    let checked = match hattama::disc::check::check_path_at(path, &trusted, &cases, depth) {
        Ok(checked) => checked,
        Err(reason) => {
            eprintln!("{}: {reason}", tr!("error-label"));
            return ExitCode::FAILURE;
        }
    };
    let all_hold = checked.ok();
    let reports = &checked.parts;
    if json {
        print_json(&serde_json::json!({ "ok": all_hold, "parts": reports, "disc": checked.disc }));
    } else {
        if reports.is_empty() {
            println!(
                "{}",
                tr!("verify-nothing", path = path.display().to_string())
            );
        }
        for report in checked.disc.iter().chain(reports) {
            println!("{}", report.folder.display());
            for check in &report.checks {
                let mark = if check.ok { "OK    " } else { "FAILED" };
                println!("  {mark} {}: {}", check.subject, check.detail);
            }
        }
        if all_hold {
            println!("{}", tr!("verify-ok", count = reports.len()));
        } else if !reports.is_empty() {
            let failed = reports.iter().filter(|r| !r.ok()).count()
                + usize::from(checked.disc.as_ref().is_some_and(|d| !d.ok()));
            println!("{}", tr!("verify-failed", count = failed));
        }
    }
    if all_hold {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
