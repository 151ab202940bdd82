//! The `monkey` command line as a library, so a plugin crate can build its own `monkey`
//! binary with extra auditors linked in (see `examples/custom-auditor`).
//!
//! Exit codes: 0 done, 1 failed (store unavailable, conflict), 2 invalid input (nothing written).

mod cli;
mod commands;
mod config;
mod failure;
mod output;

pub use failure::Failure;

use clap::Parser;
use std::process::ExitCode;

/// Runs the command line in `std::env::args` and returns the exit code.
pub fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::from(1);
        }
    };
    match runtime.block_on(commands::run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("error: {failure}");
            ExitCode::from(failure.exit_code())
        }
    }
}
