//! The command line's words: every command and argument, with help in the user's language
//! (`cli-<command>-<argument>` in the Fluent files).

use std::path::PathBuf;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use hattama::i18n::LOADER;
use hattama::tr;

#[cfg(feature = "testkit")]
use super::testkit;
use super::{accept, cases, keys};

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
        chunks: bool,
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
