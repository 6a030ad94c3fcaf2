//! The radpress command: parse arguments, call the library, print the outcome, set the exit code.

mod cli;

use std::io::IsTerminal;
use std::process::ExitCode;
use std::time::Instant;

use clap::Parser;

use radpress::{BuildOptions, Error, Publish};

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    let started = Instant::now();
    let result = match cli.command {
        cli::Command::Build {
            output,
            drafts,
            future,
        } => radpress::build(&BuildOptions {
            root: cli.root.clone(),
            output,
            publish: Publish { drafts, future },
        })
        .map(|r| {
            println!(
                "Built {} pages ({} files: {} written, {} unchanged, {} removed) into {} in {} ms",
                r.pages,
                r.files,
                r.written,
                r.unchanged,
                r.removed,
                r.output.display(),
                started.elapsed().as_millis()
            );
        }),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => report(&e),
    }
}

fn report(e: &Error) -> ExitCode {
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let (red, reset) = if color {
        ("\x1b[31m", "\x1b[0m")
    } else {
        ("", "")
    };
    match e {
        Error::Site(diags) => {
            for d in diags {
                eprintln!("{d}\n");
            }
            let n = diags.len();
            eprintln!(
                "{red}Build failed: {n} problem{} found; nothing was written.{reset}",
                if n == 1 { "" } else { "s" }
            );
            ExitCode::from(1)
        }
        Error::Usage(msg) => {
            eprintln!("{red}error:{reset} {msg}");
            ExitCode::from(2)
        }
        Error::Io { .. } => {
            eprintln!("{red}error:{reset} {e}");
            ExitCode::from(1)
        }
    }
}
