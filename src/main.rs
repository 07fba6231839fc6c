//! `hattama`: opens the window, or runs a headless command.

mod app;
#[cfg(feature = "testkit")]
mod bench;
mod cli;
mod screen;
mod widget;

use std::process::ExitCode;

use hattama::problem::render;

fn main() -> ExitCode {
    let launched = std::time::Instant::now();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("HATTAMA_LOG").unwrap_or_else(|_| {
                tracing_subscriber::EnvFilter::new("warn,wgpu_hal=error,wgpu_core=error,naga=error")
            }),
        )
        .with_writer(std::io::stderr)
        .init();
    // Help texts follow the system language; the configured one applies once it is read.
    hattama::i18n::select("");
    let mut cli = cli::parse();
    match cli.command.take() {
        Some(command) => cli::run(cli, command),
        None => {
            let (paths, config) = match cli::open(&cli) {
                Ok(opened) => opened,
                Err(error) => {
                    eprintln!("{}", render(&error));
                    return ExitCode::FAILURE;
                }
            };
            match app::run(paths, config, (cli.session, cli.review.clone()), launched) {
                Ok(()) => ExitCode::SUCCESS,
                Err(error) => {
                    eprintln!("{error}");
                    ExitCode::FAILURE
                }
            }
        }
    }
}
