//! `cutfs`: a filesystem for power-cut tests (a test tool, built with the feature `testkit`).
//!
//! It holds everything in memory, twice: as the programs see it and as a disk would hold it.
//! Data reaches "the disk" only when its file is synced, a name only when its folder is synced;
//! a cut makes the disk's view the only one, as a power loss does to a real disk's page cache,
//! and every request then fails until the test thaws it (after killing what ran).
//!
//! ```text
//! cutfs MOUNTPOINT --control SOCKET
//! ```
//! prints `ready` once mounted, and answers one line per command line on SOCKET:
//! `cut` (now), `cut-after N` (before the Nth change from now), `thaw`, `sync` (all of it
//! on the disk, as sync(1)), `snapshot NAME`, `restore NAME`, `status`. SIGTERM unmounts.

mod fs;
mod tree;

use std::io::{BufRead, BufReader, Write};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::{Arc, Mutex, PoisonError};

use clap::Parser;

#[derive(Parser)]
#[command(about = "A filesystem that forgets every unsynced write when the power is cut")]
struct Args {
    mountpoint: PathBuf,
    #[arg(long, value_name = "SOCKET")]
    control: PathBuf,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let power = Arc::new(Mutex::new(fs::Power::new()));
    let listener = match UnixListener::bind(&args.control) {
        Ok(listener) => listener,
        Err(error) => {
            eprintln!("cutfs: {}: {error}", args.control.display());
            return ExitCode::FAILURE;
        }
    };
    let mut config = fuser::Config::default();
    config.mount_options = vec![
        fuser::MountOption::FSName("cutfs".to_owned()),
        fuser::MountOption::DefaultPermissions,
    ];
    let filesystem = fs::CutFs {
        power: power.clone(),
    };
    let session = match fuser::spawn_mount(filesystem, &args.mountpoint, &config) {
        Ok(session) => session,
        Err(error) => {
            eprintln!("cutfs: cannot mount {}: {error}", args.mountpoint.display());
            return ExitCode::FAILURE;
        }
    };
    let (stop, stopped) = std::sync::mpsc::channel();
    if let Err(error) = ctrlc::set_handler(move || {
        let _ = stop.send(());
    }) {
        eprintln!("cutfs: {error}");
    }
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let power = power.clone();
            std::thread::spawn(move || serve(stream, &power));
        }
    });
    println!("ready");
    let _ = std::io::stdout().flush();
    let _ = stopped.recv();
    let _ = std::fs::remove_file(&args.control);
    match session.umount_and_join() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("cutfs: unmount {}: {error}", args.mountpoint.display());
            ExitCode::FAILURE
        }
    }
}

fn serve(stream: UnixStream, power: &Mutex<fs::Power>) {
    let Ok(mut answers) = stream.try_clone() else {
        return;
    };
    for line in BufReader::new(stream).lines() {
        let Ok(line) = line else { return };
        let answer = command(line.trim(), power);
        if writeln!(answers, "{answer}").is_err() {
            return;
        }
    }
}

fn command(line: &str, power: &Mutex<fs::Power>) -> String {
    let mut power = power.lock().unwrap_or_else(PoisonError::into_inner);
    let (verb, argument) = line.split_once(' ').unwrap_or((line, ""));
    match verb {
        "cut" => {
            let forgotten = power.cut();
            format!(
                "ok files={} folders={} bytes={}",
                forgotten.files, forgotten.folders, forgotten.bytes
            )
        }
        "cut-after" => match argument.parse::<u64>() {
            Ok(n) if n > 0 => {
                power.cut_at = Some(power.changes + n);
                "ok".to_owned()
            }
            _ => format!("error: cut-after wants a number of changes above 0, not {argument:?}"),
        },
        "thaw" => {
            power.frozen = false;
            power.cut_at = None;
            "ok".to_owned()
        }
        "sync" => {
            power.tree.sync_all();
            "ok".to_owned()
        }
        "snapshot" if !argument.is_empty() => {
            power.snapshot(argument);
            "ok".to_owned()
        }
        "restore" if !argument.is_empty() => {
            if power.restore(argument) {
                "ok".to_owned()
            } else {
                format!("error: no snapshot {argument:?}")
            }
        }
        "status" => {
            let since = power
                .last_cut
                .and_then(|(at, _)| at.elapsed().ok())
                .map_or(String::from("never"), |since| since.as_millis().to_string());
            format!(
                "ok changes={} frozen={} last-cut-ms-ago={since}",
                power.changes,
                u8::from(power.frozen)
            )
        }
        _ => format!("error: unknown command {line:?}"),
    }
}
