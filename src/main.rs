//! The radpress command: parse arguments, call the library, print the outcome, set the exit code.

mod cli;

use std::io::IsTerminal;
use std::process::ExitCode;
use std::time::Instant;

use clap::Parser;

use radpress::checks::{Finding, FindingJson, Severity};
use radpress::{BuildOptions, Error, Publish, scaffold};

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    let started = Instant::now();
    let result = match cli.command {
        cli::Command::Build {
            output,
            drafts,
            future,
            force,
        } => radpress::build(&BuildOptions {
            root: cli.root.clone(),
            output,
            publish: Publish { drafts, future },
            force,
        })
        .map(|r| {
            if r.up_to_date {
                println!(
                    "Nothing changed since the last build: {} pages ({} files) in {} are current ({} ms; --force builds anyway)",
                    r.pages,
                    r.files,
                    r.output.display(),
                    started.elapsed().as_millis()
                );
                return ExitCode::SUCCESS;
            }
            println!(
                "Built {} pages ({} files: {} written, {} unchanged, {} removed; {} share cards rendered) into {} in {} ms",
                r.pages,
                r.files,
                r.written,
                r.unchanged,
                r.removed,
                r.cards_rendered,
                r.output.display(),
                started.elapsed().as_millis()
            );
            ExitCode::SUCCESS
        }),
        cli::Command::Serve {
            port,
            bind,
            no_drafts,
            allow_host,
        } => serve(cli.root.clone(), port, bind, !no_drafts, allow_host),
        cli::Command::Check { format, drafts } => radpress::check(
            &cli.root,
            Publish {
                drafts,
                future: true,
            },
        )
        .map(|findings| print_findings(&findings, format)),
        cli::Command::Init { dir, starter } => {
            let starter = match starter {
                cli::Starter::Physician => scaffold::Starter::Physician,
                cli::Starter::Department => scaffold::Starter::Department,
            };
            scaffold::init(&dir, starter).map(|files| {
                println!(
                    "Created a new site in {} ({} files). Next: cd {} && radpress build",
                    dir.display(),
                    files.len(),
                    dir.display()
                );
                ExitCode::SUCCESS
            })
        }
        cli::Command::Card {
            page,
            output,
            svg,
            drafts,
        } => card(&cli.root, &page, &output, svg.as_deref(), drafts, started),
        cli::Command::Social {
            page,
            network,
            json,
            thread,
            drafts,
        } => social(&cli.root, &page, network, json, thread, drafts),
        cli::Command::New { kind, title } => {
            let kind = match kind {
                cli::NewKind::Case => scaffold::NewKind::Case,
                cli::NewKind::Education => scaffold::NewKind::Education,
                cli::NewKind::Post => scaffold::NewKind::Post,
                cli::NewKind::Person => scaffold::NewKind::Person,
            };
            scaffold::new_page(&cli.root, kind, &title).map(|path| {
                println!("Created {}", path.display());
                ExitCode::SUCCESS
            })
        }
    };
    match result {
        Ok(code) => code,
        Err(e) => report(&e),
    }
}

fn social(
    root: &std::path::Path,
    page: &str,
    network: Option<cli::SocialNetwork>,
    json: bool,
    thread: bool,
    drafts: bool,
) -> radpress::Result<ExitCode> {
    use radpress::social::Network;
    let network = network.map(|n| match n {
        cli::SocialNetwork::X => Network::X,
        cli::SocialNetwork::Bluesky => Network::Bluesky,
        cli::SocialNetwork::Mastodon => Network::Mastodon,
        cli::SocialNetwork::Threads => Network::Threads,
        cli::SocialNetwork::Linkedin => Network::Linkedin,
    });
    let publish = Publish {
        drafts,
        future: drafts,
    };
    let posts = radpress::outputs::social::page_posts(root, page, publish, network, thread)?;
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&posts).expect("posts serialize")
        );
        return Ok(ExitCode::SUCCESS);
    }
    println!("{} ({})", posts.title, posts.url);
    for n in &posts.networks {
        for post in &n.posts {
            println!(
                "\n── {}: {} of {} ──\n{}",
                n.network.label(),
                post.length,
                post.limit,
                post.text
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn card(
    root: &std::path::Path,
    page: &str,
    output: &std::path::Path,
    svg: Option<&std::path::Path>,
    drafts: bool,
    started: Instant,
) -> radpress::Result<ExitCode> {
    let publish = Publish {
        drafts,
        future: drafts,
    };
    let (source, png) = radpress::outputs::cards::render_page_card(root, page, publish)?;
    std::fs::write(output, &png).map_err(|e| Error::io(output, e))?;
    if let Some(svg_path) = svg {
        std::fs::write(svg_path, &source.svg).map_err(|e| Error::io(svg_path, e))?;
    }
    println!(
        "Wrote the card of {} ({}) to {} ({} KB) in {} ms",
        source.origin,
        source.site_path,
        output.display(),
        png.len().div_ceil(1024),
        started.elapsed().as_millis()
    );
    Ok(ExitCode::SUCCESS)
}

fn serve(
    root: std::path::PathBuf,
    port: u16,
    bind: std::net::IpAddr,
    drafts: bool,
    allowed_hosts: Vec<String>,
) -> radpress::Result<ExitCode> {
    use radpress::serve::{ServeEvent, ServeOptions};
    if !bind.is_loopback() {
        eprintln!(
            "warning: listening on {bind}: anyone who can reach this machine can see the preview, drafts included"
        );
    }
    let opts = ServeOptions {
        root,
        bind,
        port,
        publish: Publish {
            drafts,
            future: true,
        },
        debounce: std::time::Duration::from_millis(30),
        allowed_hosts,
    };
    radpress::serve::serve(opts, |event| match event {
        ServeEvent::Listening(addr) => {
            println!("Serving at http://{addr}/ (Ctrl+C to stop); rebuilding on every save");
        }
        ServeEvent::Rebuilt {
            elapsed,
            rendered,
            reused,
            changed,
        } => {
            let what = match changed.as_slice() {
                [] => "Built".to_string(),
                [one] => format!("{} changed: rebuilt", one.display()),
                many => format!("{} files changed: rebuilt", many.len()),
            };
            println!(
                "{what} in {} ms ({rendered} pages rendered, {reused} reused)",
                elapsed.as_millis()
            );
        }
        ServeEvent::Failed { elapsed, message } => {
            eprintln!(
                "{message}\n\nBuild failed after {} ms; still serving the last good version, the error is shown in the browser.",
                elapsed.as_millis()
            );
        }
    })?;
    Ok(ExitCode::SUCCESS)
}

fn print_findings(findings: &[Finding], format: cli::Format) -> ExitCode {
    let errors = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    match format {
        cli::Format::Json => {
            let json: Vec<FindingJson> = findings.iter().map(FindingJson::from).collect();
            println!(
                "{}",
                serde_json::to_string_pretty(&json).unwrap_or_else(|_| "[]".into())
            );
        }
        cli::Format::Text => {
            for f in findings {
                let text = f.diagnostic.to_string();
                let label = match f.severity {
                    Severity::Error => format!("error[{}]", f.rule),
                    Severity::Warning => format!("warning[{}]", f.rule),
                    Severity::Note => format!("note[{}]", f.rule),
                };
                println!("{}\n", text.replacen("error:", &format!("{label}:"), 1));
            }
            let warnings = findings
                .iter()
                .filter(|f| f.severity == Severity::Warning)
                .count();
            println!("{errors} error(s), {warnings} warning(s).");
        }
    }
    if errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
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
        Error::Io { .. } | Error::Refused(_) => {
            eprintln!("{red}error:{reset} {e}");
            ExitCode::from(1)
        }
    }
}
