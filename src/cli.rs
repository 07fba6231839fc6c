//! The command line: the same binary runs the window and every headless job.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use hattama::config::Config;
use hattama::i18n::LOADER;
use hattama::paths::Paths;
use hattama::problem::{Problem, render};
use hattama::recorder::{self, Event, Profile, devices};
use hattama::store::Store;
use hattama::{part, tr};

#[derive(Debug, Parser)]
#[command(name = "hattama", version)]
pub struct Cli {
    /// The configuration file (default: the user's config folder).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// The data folder: database, recordings, keys (default: the user's data folder).
    #[arg(long, global = true, value_name = "DIR")]
    pub data: Option<PathBuf>,
    /// Opens this session's screen at start (its number in `hattama record --json`).
    #[arg(long, value_name = "ID")]
    pub session: Option<i64>,
    /// Opens the review of a disc, a disc image or a folder at start.
    #[arg(long, value_name = "PATH")]
    pub review: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    Record {
        #[arg(long)]
        demo: bool,
        #[arg(long, value_name = "N", requires = "demo", default_value_t = 1,
              value_parser = clap::value_parser!(u8).range(1..=9))]
        cameras: u8,
        #[arg(long, value_name = "N", requires = "demo", default_value_t = 1,
              value_parser = clap::value_parser!(u8).range(1..=16))]
        microphones: u8,
        #[arg(long = "for", value_name = "SECONDS")]
        seconds: Option<f64>,
        #[arg(long, value_name = "NUMBER")]
        case: Option<String>,
        #[arg(long, value_name = "NAME", conflicts_with = "session")]
        judge: Option<String>,
        /// Records the next part of this open session (a shift change) instead of a new one.
        #[arg(long, value_name = "ID", conflicts_with = "case")]
        session: Option<i64>,
        #[arg(long, value_name = "NAME")]
        profile: Option<String>,
        #[arg(long)]
        json: bool,
    },
    Devices {
        #[arg(long)]
        json: bool,
    },
    Recover {
        #[arg(long)]
        json: bool,
    },
    Verify {
        path: PathBuf,
        #[arg(long, value_name = "FILE")]
        trust: Option<PathBuf>,
        #[arg(long = "ca", value_name = "FILE")]
        centres: Vec<PathBuf>,
        #[arg(long = "trust-list", value_name = "FILE")]
        trust_list: Option<PathBuf>,
        #[arg(long = "authority", value_name = "FILE")]
        authorities: Vec<PathBuf>,
        #[arg(long = "revocations", value_name = "FILE")]
        revocations: Vec<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// The daily equipment check.
    Check {
        #[arg(long, value_name = "NAME")]
        by: Option<String>,
        #[arg(long, value_name = "FILE")]
        html: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// The case disc.
    Disc {
        #[command(subcommand)]
        command: DiscCommand,
    },
    /// The court's chain of trust: root key, certificates, revocations, trust list.
    Keys {
        #[command(subcommand)]
        command: keys::KeysCommand,
    },
    /// Incidents and their technical acts.
    Incidents {
        #[command(subcommand)]
        command: IncidentsCommand,
    },
    Deliver {
        #[arg(long)]
        once: bool,
        /// Send again the rows refused for good (after the cause is fixed), then go on.
        #[arg(long)]
        retry_failed: bool,
        #[arg(long)]
        json: bool,
    },
    Replicate {
        #[arg(long, value_name = "NAME", requires = "to")]
        from: Option<String>,
        #[arg(long, value_name = "NAME", requires = "from")]
        to: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// The archivist's desk: a case's discs checked against what the court server's events
    /// say was made, the acceptance recorded there as a signed event.
    Accept(accept::Asked),
    /// The judge's list: the court's cases from the court server's events, searchable.
    Cases(cases::Asked),
    Restore {
        #[arg(long, value_name = "ID", required_unless_present = "case")]
        session: Option<i64>,
        /// Every part of this case the regional server holds, for a workstation that lost
        /// its database (by the server's listing, not this computer's).
        #[arg(long, value_name = "NUMBER", conflicts_with = "session")]
        case: Option<String>,
        #[arg(long, value_name = "NAME", requires = "case")]
        court: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// The courtroom's signing service (run by systemd as the user hattama-signer).
    Signer {
        #[arg(long, value_name = "DIR")]
        folder: Option<PathBuf>,
        #[arg(long, value_name = "FILE")]
        socket: Option<PathBuf>,
    },
    /// Writes the manual pages into a folder (`make deb`).
    #[command(hide = true)]
    ManPages {
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    /// The test tools (`receiver`, `bench-*`), in a build with the feature `testkit` only.
    #[cfg(feature = "testkit")]
    #[command(flatten)]
    Testkit(testkit::Testkit),
}

#[derive(Debug, Subcommand)]
pub enum IncidentsCommand {
    List {
        #[arg(long)]
        all: bool,
        #[arg(long)]
        json: bool,
    },
    Act {
        id: i64,
        #[arg(long, value_name = "TEXT")]
        cause: String,
        #[arg(long, value_name = "NAME")]
        confirmed_by: String,
        #[arg(long, value_name = "NAME")]
        by: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum DiscCommand {
    Inventory {
        #[arg(long, value_name = "NUMBER")]
        case: String,
        #[arg(long, value_name = "FILE.html")]
        html: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Hands the case's discs over to the archivist: a signed event for each goes to the
    /// court server.
    HandOver {
        #[arg(long, value_name = "NUMBER")]
        case: String,
        #[arg(long, value_name = "NAME")]
        to: String,
        #[arg(long)]
        json: bool,
    },
    Drives {
        #[arg(long)]
        json: bool,
    },
    Burn {
        image: PathBuf,
        #[arg(long, value_name = "DEVICE")]
        drive: Option<String>,
        #[arg(long)]
        json: bool,
    },
    Build {
        #[arg(long, value_name = "NUMBER")]
        case: String,
        #[arg(long, value_name = "FILE.iso")]
        out: PathBuf,
        #[arg(long, value_name = "cd|dvd|dvd-dl|bd", default_value = "dvd")]
        media: String,
        /// Bytes a disc holds, instead of the media's usual capacity.
        #[arg(long, value_name = "BYTES", hide = true)]
        capacity: Option<u64>,
        #[arg(long)]
        force: bool,
        #[arg(long)]
        json: bool,
    },
}

/// The message id holding the help of a subcommand (`cli-record`) or of one of its
/// arguments (`cli-record-for`); global arguments are `cli--data`.
fn help_id(command: &str, argument: Option<&str>) -> String {
    match argument {
        Some(argument) => format!("cli-{command}-{argument}"),
        None => format!("cli-{command}"),
    }
}

/// The clap command with every help text taken from the translations.
pub fn command() -> clap::Command {
    let localize_args = |command: clap::Command, name: &str| {
        let ids: Vec<_> = command
            .get_arguments()
            .filter(|arg| !arg.is_global_set() || name.is_empty())
            .map(|arg| arg.get_id().to_string())
            .filter(|id| id != "help" && id != "version")
            .collect();
        ids.into_iter().fold(command, |command, id| {
            let text = LOADER.get(&help_id(name, Some(&id)));
            command.mut_arg(id.as_str(), |arg| arg.help(text))
        })
    };
    // Subcommands at any depth: `cli-disc`, `cli-disc-build`, `cli-disc-build-case`.
    fn localize(
        command: clap::Command,
        name: &str,
        localize_args: &dyn Fn(clap::Command, &str) -> clap::Command,
    ) -> clap::Command {
        let command = localize_args(command, name);
        let names: Vec<String> = command
            .get_subcommands()
            .map(|sub| sub.get_name().to_owned())
            .collect();
        names.into_iter().fold(command, |command, sub| {
            let id = if name.is_empty() {
                sub.clone()
            } else {
                format!("{name}-{sub}")
            };
            command.mut_subcommand(&sub, |command| {
                localize(command, &id, localize_args).about(LOADER.get(&help_id(&id, None)))
            })
        })
    }
    localize(Cli::command(), "", &localize_args).about(tr!("cli-about"))
}

pub fn parse() -> Cli {
    let matches = command().get_matches();
    Cli::from_arg_matches(&matches).unwrap_or_else(|error| error.exit())
}

mod accept;
mod cases;
mod disc;
mod incidents;
mod keys;
#[cfg(feature = "testkit")]
mod testkit;

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
            json,
        } => verify_command(
            &paths,
            &path,
            (trust, centres),
            (trust_list, authorities, revocations),
            json,
        ),
        Command::Check { by, html, json } => check_command(&paths, &config, (by, html), json),
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
        } => record_command(
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
        } => deliver_command(&paths, &config, (once, retry_failed), json),
        Command::Replicate {
            from: Some(from),
            to: Some(to),
            json,
        } => mirror_command(&paths, &config, (&from, &to), json),
        Command::Replicate { json, .. } => replicate_command(&paths, &config, json),
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
        } => restore_command(&paths, &config, (session, case, court), json),
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

/// Checks every sealed part at or below `path`; exits 0 only when all holds.
fn verify_command(
    paths: &Paths,
    path: &std::path::Path,
    (trust, centres): (Option<PathBuf>, Vec<PathBuf>),
    (trust_list, authorities, revocations): (Option<PathBuf>, Vec<PathBuf>, Vec<PathBuf>),
    json: bool,
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
    let checked = match hattama::disc::check::check_path(path, &trusted, &cases) {
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

/// `hattama deliver`: sends what the outbox holds, now and (without `--once`) whenever a
/// row falls due, until Ctrl+C or SIGTERM.
fn deliver_command(
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

/// `replicate --from NAME --to NAME`: server to server (rule 23 on the court server).
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

fn mirror_command(
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
fn replicate_command(paths: &Paths, config: &Config, json: bool) -> ExitCode {
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

/// `hattama check`: the daily equipment check's automatic steps, kept; fails when a step
/// fails.
fn check_command(
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

/// `hattama restore --session ID`: every part of the session whose local copy does not
/// verify is brought back from the replica, if the replica's copy verifies. `--case NUMBER`:
/// every part of the case the replica holds, found by its listing (no database needed).
fn restore_command(
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

/// An incident as the terminal says it: loud, with the local time.
fn incident_line(incident: &recorder::Incident) -> String {
    let at = |time: chrono::DateTime<chrono::Utc>| {
        time.with_timezone(&chrono::Local)
            .format("%H:%M:%S")
            .to_string()
    };
    let what = hattama::incident::what_here(incident.kind.code(), &incident.name);
    match incident.ended {
        None => tr!(
            "incident-began-line",
            what = what,
            at = at(incident.began),
            details = incident.details.clone()
        ),
        Some(ended) => tr!("incident-ended-line", what = what, at = at(ended)),
    }
}

fn format_elapsed(elapsed: Duration) -> String {
    let seconds = elapsed.as_secs();
    format!(
        "{:02}:{:02}:{:02}",
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60
    )
}

fn record_command(
    paths: &Paths,
    config: &Config,
    (demo, seconds): (Option<(usize, usize)>, Option<f64>),
    (case, judge, continued): (Option<String>, String, Option<i64>),
    profile: Option<String>,
    json: bool,
) -> ExitCode {
    let stop = stop_signal();
    let mut store = match Store::open(&paths.database()) {
        Ok(store) => store,
        Err(error) => return fail(&error),
    };
    match part::recover(&mut store, paths, config) {
        Ok(recovered) => {
            if !recovered.is_empty() {
                report_recovered(&recovered);
            }
            hattama::seal::seal_pending(&mut store, paths, config);
        }
        Err(error) => return fail(&error),
    }
    let profile_name = profile.unwrap_or_else(|| config.recording.profile.clone());
    let prepared = Profile::find(&profile_name, &paths.profiles()).and_then(|profile| {
        let selection = match demo {
            Some((cameras, microphones)) => recorder::inputs::demo_inputs(cameras, microphones),
            None => recorder::inputs::choose(&config.recording, &devices::list()?, false)?,
        };
        Ok((profile, selection))
    });
    let (profile, selection) = match prepared {
        Ok(prepared) => prepared,
        Err(error) => return fail(&error),
    };
    for reason in &selection.demo_reasons {
        eprintln!("{}", reason.message());
    }
    let case_number = case.unwrap_or_else(|| if demo.is_some() { "DEMO" } else { "—" }.to_owned());
    let opened = match continued {
        Some(id) => match store.session(id) {
            Ok(session) if session.closed_at.is_some() => {
                eprintln!(
                    "{}: {}",
                    tr!("error-label"),
                    tr!("record-session-closed", session = id)
                );
                return ExitCode::FAILURE;
            }
            Ok(session) => Ok(session.id),
            Err(error) => Err(error),
        },
        None => part::open_session(&mut store, config, &case_number, ("", &judge)),
    };
    let session = match opened {
        Ok(session) => session,
        Err(error) => return fail(&error),
    };
    let (active, events) =
        // Nobody looks at previews on a terminal: they are not made.
        match part::begin(&mut store, paths, config, session, selection, &profile, false) {
            Ok(started) => started,
            Err(error) => return fail(&error),
        };
    eprintln!(
        "{}",
        tr!(
            "record-started",
            folder = active.folder.display().to_string()
        )
    );
    let deadline = seconds.map(Duration::from_secs_f64);
    let progress = std::io::stderr().is_terminal() && !json;
    let mut began: Option<Instant> = None;
    let mut last_shown = 0;
    let mut stopping = false;
    let mut stop_asked: Option<Instant> = None;
    loop {
        while let Ok(event) = events.try_recv() {
            if let Err(error) = active.record_event(&mut store, &event) {
                eprintln!("{}", render(&error));
            }
            match &event {
                Event::Started(_) => began = Some(Instant::now()),
                Event::Error(error) => eprintln!("{}", render(error)),
                Event::Incident(incident) => eprintln!("{}", incident_line(incident)),
                _ => {}
            }
        }
        let state = active.recorder.state();
        if state.is_final() {
            break;
        }
        let elapsed = began.map(|began| began.elapsed()).unwrap_or_default();
        let time_up = deadline.is_some_and(|deadline| began.is_some() && elapsed >= deadline);
        if !stopping && (time_up || stop.load(Ordering::SeqCst)) {
            stopping = true;
            stop_asked = Some(Instant::now());
            if let Err(error) = active.stop(&store) {
                eprintln!("{}", render(&error));
            }
        }
        if progress && elapsed.as_secs() != last_shown {
            last_shown = elapsed.as_secs();
            eprint!("\r{} {}", tr!("record-elapsed"), format_elapsed(elapsed));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    if progress {
        eprintln!();
    }
    let inputs: Vec<_> = active.selection.inputs.iter().map(|i| i.info()).collect();
    let part_id = active.part.id;
    let ended = match active.finish(&mut store) {
        Ok(ended) => ended,
        Err(error) => return fail(&error),
    };
    // Signed the moment it ends (rule 20): the failure to seal is said, the recording kept.
    let sealed = hattama::seal::seal_now(&mut store, paths, part_id, config);
    let stop_to_sealed = stop_asked.map(|asked| asked.elapsed().as_secs_f64() * 1000.0);
    if let Err(error) = &sealed {
        eprintln!("{}", render(error));
    }
    let part = match store.part(part_id) {
        Ok(part) => part,
        Err(error) => return fail(&error),
    };
    if json {
        // The part's incidents (rule 27), as kept.
        let incidents: Vec<_> = store
            .incidents_of(part.session_id)
            .unwrap_or_default()
            .into_iter()
            .filter(|incident| incident.part_id == Some(part.id))
            .collect();
        print_json(&serde_json::json!({
            "part": ended.folder,
            "incidents": incidents,
            "recordings": hattama::paths::PartFiles(&ended.folder).recordings(),
            "part_id": part.id,
            "session_id": part.session_id,
            "case": part.case_number,
            "state": ended.state,
            "duration_s": ended.summary.duration.as_secs_f64(),
            "first_media_ns": part.first_media_ns,
            "first_media_wall": part.first_media_wall,
            "video_frames": ended.summary.video_frames,
            "dropped_frames": ended.summary.dropped_frames,
            "tracks": ended.summary.tracks,
            "inputs": inputs,
            "profile": profile.name,
            "error": ended.error.as_ref().map(ToString::to_string),
            "sealed": sealed.as_ref().ok().map(|s| s.folder.join(hattama::seal::part::MANIFEST)),
            "key_id": sealed.as_ref().ok().map(|s| s.manifest.key_id.clone()),
            "stop_to_sealed_ms": stop_to_sealed,
            "seal_error": sealed.as_ref().err().map(ToString::to_string),
            "stopped_for": ended.summary.stopped_for,
        }));
    } else {
        println!("{}", ended.folder.display());
    }
    if let Some(why) = &ended.summary.stopped_for {
        eprintln!("{}", tr!("disk-stopped", why = why.clone()));
    }
    match &ended.error {
        Some(error) => fail(error),
        None => ExitCode::SUCCESS,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_command_and_argument_has_translated_help() {
        // Subcommands at any depth (`disc build --case` is `cli-disc-build-case`).
        fn collect(command: &clap::Command, name: &str, ids: &mut Vec<String>) {
            for arg in command
                .get_arguments()
                .filter(|arg| name.is_empty() || !arg.is_global_set())
            {
                let id = arg.get_id().as_str();
                if id != "help" && id != "version" {
                    ids.push(help_id(name, Some(id)));
                }
            }
            for sub in command.get_subcommands() {
                let id = if name.is_empty() {
                    sub.get_name().to_owned()
                } else {
                    format!("{name}-{}", sub.get_name())
                };
                ids.push(help_id(&id, None));
                collect(sub, &id, ids);
            }
        }
        let mut ids = vec![];
        collect(&Cli::command(), "", &mut ids);
        assert!(ids.contains(&"cli-disc-build-case".to_owned()));
        for code in hattama::i18n::LANGUAGES {
            let loader = hattama::i18n::loader_for(code);
            for id in &ids {
                assert!(
                    loader.has_attr(id, "") || loader.has(id),
                    "missing translation {id} in {code}"
                );
            }
        }
        command().debug_assert();
    }
}
