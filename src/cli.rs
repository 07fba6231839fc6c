//! The command line: the same binary runs the window and every headless job.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use hattama::config::Config;
use hattama::paths::Paths;
use hattama::problem::{Problem, render};
use hattama::recorder::devices;
use hattama::store::Store;
use hattama::{part, tr};

mod accept;
mod args;
mod cases;
mod check;
mod deliver;
mod disc;
mod incidents;
mod keys;
mod record;
mod restore;
#[cfg(feature = "testkit")]
mod testkit;
mod verify;

pub use args::{Cli, Command, DiscCommand, IncidentsCommand, command, parse};

/// `hattama man-pages --out DIR`: `hattama.1` and one page per command (`hattama-record.1`,
/// `hattama-disc-build.1`, …), in the language of the environment, for the package.
fn man_pages(out: &std::path::Path) -> ExitCode {
    let written = std::fs::create_dir_all(out)
        .and_then(|()| clap_mangen::generate_to(command().version(env!("CARGO_PKG_VERSION")), out));
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!(
                "{}",
                tr!(
                    "cli-man-pages-failed",
                    folder = out.display().to_string(),
                    error = error.to_string()
                )
            );
            ExitCode::FAILURE
        }
    }
}

fn fail(problem: &dyn Problem) -> ExitCode {
    eprintln!("{}", render(problem));
    ExitCode::FAILURE
}

/// Loads the configuration and switches to its language.
pub fn load_config(paths: &Paths, named: bool) -> Result<Config, hattama::config::ConfigError> {
    let config = Config::load_for(paths, named)?;
    hattama::i18n::select(config.language.code());
    Ok(config)
}

/// The paths and configuration the command line names: the workstation's shared data
/// folder when the configuration sets one and no `--data` is given.
pub fn open(cli: &Cli) -> Result<(Paths, Config), hattama::config::ConfigError> {
    let paths = Paths::new(cli.config.clone(), cli.data.clone());
    let config = load_config(&paths, cli.config.is_some())?;
    let paths = paths.on_workstation(&config.workstation.data, cli.data.is_some());
    Ok((paths, config))
}

pub fn run(cli: Cli, command: Command) -> ExitCode {
    if let Command::ManPages { out } = &command {
        return man_pages(out);
    }
    let (paths, config) = match open(&cli) {
        Ok(opened) => opened,
        Err(error) => return fail(&error),
    };
    match command {
        Command::Devices { json } => devices_command(json),
        Command::Recover { json } => recover_command(&paths, &config, json),
        Command::Verify {
            path,
            trust,
            centres,
            trust_list,
            authorities,
            revocations,
            chunks,
            json,
        } => verify::run(
            &paths,
            &path,
            (trust, centres),
            (trust_list, authorities, revocations),
            (chunks, json),
        ),
        Command::Check { by, html, json } => check::run(&paths, &config, (by, html), json),
        Command::Record {
            demo,
            cameras,
            microphones,
            seconds,
            case,
            judge,
            session,
            profile,
            json,
        } => record::run(
            &paths,
            &config,
            (
                demo.then_some((cameras.into(), microphones.into())),
                seconds,
            ),
            (case, judge.unwrap_or_default(), session),
            profile,
            json,
        ),
        Command::Disc {
            command:
                DiscCommand::Build {
                    case,
                    out,
                    media,
                    capacity,
                    force,
                    json,
                },
        } => disc::build(
            &paths,
            &config,
            (&case, &out, force),
            (&media, capacity),
            json,
        ),
        Command::Disc {
            command: DiscCommand::Drives { json },
        } => disc::drives(json),
        Command::Disc {
            command: DiscCommand::Inventory { case, html, json },
        } => disc::inventory(&paths, &config, &case, html, json),
        Command::Disc {
            command: DiscCommand::HandOver { case, to, json },
        } => disc::hand_over(&paths, &config, (&case, &to), json),
        Command::Disc {
            command: DiscCommand::Burn { image, drive, json },
        } => disc::burn(&paths, &config, &image, drive, json),
        Command::Deliver {
            once,
            retry_failed,
            json,
        } => deliver::deliver(&paths, &config, (once, retry_failed), json),
        Command::Replicate {
            from: Some(from),
            to: Some(to),
            json,
        } => deliver::mirror(&paths, &config, (&from, &to), json),
        Command::Replicate { json, .. } => deliver::replicate(&paths, &config, json),
        Command::Keys { command } => keys::run(command, &paths, &config),
        Command::Accept(asked) => accept::run(&paths, &config, asked),
        Command::Cases(asked) => cases::run(&paths, &config, asked),
        Command::Signer { folder, socket } => {
            let folder = folder.unwrap_or_else(|| PathBuf::from(hattama::seal::service::FOLDER));
            let socket = socket.unwrap_or_else(|| PathBuf::from(hattama::seal::service::SOCKET));
            match hattama::seal::service::serve(&folder, &socket, &config.signing) {
                Ok(()) => ExitCode::SUCCESS,
                Err(error) => fail(&error),
            }
        }
        Command::Incidents {
            command: IncidentsCommand::List { all, json },
        } => incidents::list(&paths, &config, all, json),
        Command::Incidents {
            command:
                IncidentsCommand::Act {
                    id,
                    cause,
                    confirmed_by,
                    by,
                    json,
                },
        } => {
            let args = incidents::ActArgs {
                id,
                cause,
                confirmed_by,
                by,
            };
            incidents::draw_up(&paths, &config, args, json)
        }
        Command::Restore {
            session,
            case,
            court,
            json,
        } => restore::run(&paths, &config, (session, case, court), json),
        Command::ManPages { .. } => unreachable!("written before the configuration is read"),
        #[cfg(feature = "testkit")]
        Command::Testkit(tool) => testkit::run(tool, cli.data.as_deref(), &paths, &config),
    }
}

fn print_json(value: &serde_json::Value) {
    println!(
        "{}",
        serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string())
    );
}

fn devices_command(json: bool) -> ExitCode {
    let found = match devices::list() {
        Ok(found) => found,
        Err(error) => return fail(&error),
    };
    if json {
        let list: Vec<_> = found
            .iter()
            .map(|device| {
                serde_json::json!({ "kind": device.kind, "name": device.name, "monitor": device.monitor })
            })
            .collect();
        print_json(&serde_json::json!(list));
    } else if found.is_empty() {
        println!("{}", tr!("devices-none"));
    } else {
        for device in &found {
            let kind = match device.kind {
                devices::DeviceKind::Camera => tr!("device-camera"),
                devices::DeviceKind::Microphone => tr!("device-microphone"),
            };
            println!("{kind}\t{}", device.name);
        }
    }
    ExitCode::SUCCESS
}

fn recover_command(paths: &Paths, config: &Config, json: bool) -> ExitCode {
    let mut store = match Store::open(&paths.database()) {
        Ok(store) => store,
        Err(error) => return fail(&error),
    };
    let recovered = match part::recover(&mut store, paths, config) {
        Ok(recovered) => recovered,
        Err(error) => return fail(&error),
    };
    hattama::seal::seal_pending(&mut store, paths, config);
    if json {
        print_json(&serde_json::json!(recovered));
    } else {
        report_recovered(&recovered);
    }
    if recovered.iter().any(|part| part.state == "failed") {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn report_recovered(recovered: &[part::Recovered]) {
    if recovered.is_empty() {
        eprintln!("{}", tr!("recover-nothing"));
    }
    for part in recovered {
        let folder = part.folder.display().to_string();
        if part.state == "recovered" {
            eprintln!(
                "{}",
                tr!(
                    "recover-done",
                    folder = folder,
                    seconds = format!("{:.1}", part.duration_ms.unwrap_or(0) as f64 / 1000.0)
                )
            );
        } else {
            eprintln!(
                "{}",
                tr!(
                    "recover-failed",
                    folder = folder,
                    error = part.error.clone().unwrap_or_default()
                )
            );
        }
    }
}

/// Set by Ctrl+C or SIGTERM; the recording then stops through end-of-stream.
fn stop_signal() -> Arc<AtomicBool> {
    let flag = Arc::new(AtomicBool::new(false));
    let handler_flag = flag.clone();
    if let Err(error) = ctrlc::set_handler(move || handler_flag.store(true, Ordering::SeqCst)) {
        tracing::warn!("cannot catch Ctrl+C / SIGTERM: {error}");
    }
    flag
}

/// The configured target `name` (server, cassation, supervisory, archive, replica), or the
/// exit code after saying it is none.
fn named_target<'a>(
    config: &'a Config,
    name: &str,
) -> Result<hattama::delivery::upload::Target<'a>, ExitCode> {
    config.delivery.target_named(name).ok_or_else(|| {
        eprintln!("{}", tr!("mirror-unknown-target", name = name.to_owned()));
        ExitCode::FAILURE
    })
}
