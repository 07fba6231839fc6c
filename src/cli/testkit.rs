//! Tools for the tests and `make bench`, never in the shipped binary: they are built only with
//! the feature `testkit` (`make test` and `make bench` turn it on; `make deb` does not).
//! The reference receiver stands in for ҚР СО БААТЖ; the benchmarks write and seal parts.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::Ordering;
use std::time::Duration;

use clap::Subcommand;
use hattama::config::Config;
use hattama::paths::Paths;
use hattama::tr;

use super::{fail, print_json, stop_signal};

#[derive(Debug, Subcommand)]
pub enum Testkit {
    /// The reference receiver of short protocols (docs/baatzh.md), for tests and trials.
    #[command(hide = true)]
    Receiver {
        #[arg(long, default_value = "127.0.0.1:8089")]
        listen: String,
        #[arg(long, value_name = "DIR")]
        store: PathBuf,
        #[arg(long)]
        token: Option<String>,
    },
    /// Measures stop → signed for a part of the given length (`make bench`).
    #[command(hide = true)]
    BenchSeal {
        #[arg(long, default_value_t = 1)]
        minutes: u64,
    },
    /// Measures opening a part → first frame, and seeking → the frame there (`make bench`).
    #[command(hide = true)]
    BenchReview {
        #[arg(long, value_name = "DIR")]
        part: PathBuf,
        #[arg(long, default_value_t = 30)]
        seeks: usize,
        /// Then opens the part this many times more, each to its first frame, counting the
        /// opens that stalled.
        #[arg(long, default_value_t = 0)]
        opens: usize,
    },
    /// Measures the judge's review of a long part streamed from the court server (`make bench`).
    #[command(hide = true)]
    BenchStream {
        /// A folder of recording files (`*.mkv`) the last part recorded here is given.
        #[arg(long, value_name = "DIR")]
        long: PathBuf,
        /// The court server's prefix, as the folder its S3 server serves.
        #[arg(long, value_name = "DIR")]
        root: PathBuf,
        #[arg(long, default_value_t = 30)]
        seeks: usize,
    },
    /// Writes a court's store at scale: synthetic parts and their signed events (`make bench`).
    #[command(hide = true)]
    BenchCourt {
        #[arg(long, default_value_t = 10_000)]
        parts: usize,
        #[arg(long, value_name = "DIR")]
        root: PathBuf,
    },
    /// Measures Enter → entry durable while a demo recording runs (`make bench`).
    #[command(hide = true)]
    BenchEntries {
        #[arg(long, default_value_t = 1000)]
        count: usize,
        #[arg(long = "every", value_name = "MS", default_value_t = 10)]
        interval_ms: u64,
        /// Prints `entry N ID` the moment the store has taken each entry (power-cut tests:
        /// what was said taken must survive a cut).
        #[arg(long)]
        say: bool,
    },
}

pub fn run(tool: Testkit, data: Option<&Path>, paths: &Paths, config: &Config) -> ExitCode {
    if matches!(
        tool,
        Testkit::BenchSeal { .. }
            | Testkit::BenchEntries { .. }
            | Testkit::BenchCourt { .. }
            | Testkit::BenchStream { .. }
    ) && let Err(why) = bench_folder(data)
    {
        eprintln!("{}: {why}", tr!("error-label"));
        return ExitCode::FAILURE;
    }
    let report = match tool {
        Testkit::Receiver {
            listen,
            store,
            token,
        } => return receiver(&listen, &store, token),
        Testkit::BenchSeal { minutes } => crate::bench::seal(paths, config, minutes),
        Testkit::BenchCourt { parts, root } => crate::bench::court(paths, config, &root, parts),
        Testkit::BenchStream { long, root, seeks } => {
            crate::bench::stream(paths, config, &long, &root, seeks)
        }
        Testkit::BenchReview { part, seeks, opens } => {
            crate::bench::review(&part, seeks, opens).map_err(|problem| Box::new(problem) as _)
        }
        Testkit::BenchEntries {
            count,
            interval_ms,
            say,
        } => crate::bench::entries(
            paths,
            config,
            count,
            Duration::from_millis(interval_ms),
            say,
        ),
    };
    match report {
        Ok(report) => {
            print_json(&report);
            ExitCode::SUCCESS
        }
        Err(problem) => fail(problem.as_ref()),
    }
}

/// The marker of a data folder a benchmark made: its parts and key are a benchmark's.
const BENCH_MARKER: &str = ".hattama-bench";

/// Benchmarks write recordings and seal them: only ever in a data folder of their own (named
/// with `--data`, new or made by a benchmark), never a court's, whose key and outbox they
/// would use.
fn bench_folder(data: Option<&Path>) -> Result<(), String> {
    let Some(data) = data else {
        return Err(tr!("bench-needs-own-data"));
    };
    let marker = data.join(BENCH_MARKER);
    let empty = std::fs::read_dir(data).map_or(true, |mut entries| entries.next().is_none());
    if !empty && !marker.is_file() {
        return Err(tr!(
            "bench-refuses-data",
            folder = data.display().to_string()
        ));
    }
    hattama::paths::create_folder_all(data)
        .and_then(|()| std::fs::write(&marker, b"made by a Hattama benchmark\n"))
        .map_err(|error| format!("{}: {error}", data.display()))
}

fn receiver(listen: &str, store: &Path, token: Option<String>) -> ExitCode {
    let receiver = match hattama::delivery::receiver::Receiver::start(listen, store, token) {
        Ok(receiver) => receiver,
        Err(error) => {
            eprintln!("{}: {listen}: {error}", tr!("error-label"));
            return ExitCode::FAILURE;
        }
    };
    println!("{}", receiver.url());
    let stop = stop_signal();
    while !stop.load(Ordering::SeqCst) {
        std::thread::sleep(Duration::from_millis(100));
    }
    receiver.stop();
    ExitCode::SUCCESS
}
