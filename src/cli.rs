//! Command-line arguments (clap structs only).

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

#[derive(Parser, Debug)]
#[command(
    name = "radpress",
    version,
    about = "Static sites for radiology practices: cases, patient education, profiles"
)]
pub struct Cli {
    /// The site's folder (holding site.toml); default: the current folder.
    #[arg(long, global = true, default_value = ".")]
    pub root: PathBuf,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Build the site into the output folder.
    Build {
        /// Where to write the site (relative to the site's folder).
        #[arg(long, short, default_value = "public")]
        output: PathBuf,
        /// Include pages marked draft = true.
        #[arg(long)]
        drafts: bool,
        /// Include pages dated in the future.
        #[arg(long)]
        future: bool,
        /// Build even when nothing changed since the last build (by default such a build only
        /// checks the dates and sizes of the site's files and stops).
        #[arg(long)]
        force: bool,
    },
    /// Preview the site while writing: build into memory, serve it, rebuild and reload on save.
    Serve {
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Address to listen on. Anything but loopback exposes drafts to the network.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Leave drafts out (they are shown, labelled, by default).
        #[arg(long)]
        no_drafts: bool,
        /// Also answer requests for this host name (the preview answers only `localhost`,
        /// `*.localhost` and IP addresses, so that no other web site can read it through DNS
        /// rebinding). May be given more than once.
        #[arg(long = "allow-host", value_name = "NAME")]
        allow_host: Vec<String>,
    },
    /// Run every check (content, links, readability, ...) without writing anything.
    Check {
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        /// Check drafts too.
        #[arg(long)]
        drafts: bool,
    },
    /// Create a new site in DIR.
    Init {
        dir: PathBuf,
        #[arg(long, value_enum, default_value = "department")]
        starter: Starter,
    },
    /// Render one page's share card (1200×630 PNG) for a quick look.
    Card {
        /// The page: its content file (content/cases/x/index.md) or site path (/cases/x/,
        /// /modality/mri/, /search/).
        page: String,
        /// Where to write the PNG.
        #[arg(long, short, default_value = "card.png")]
        output: PathBuf,
        /// Also write the card's SVG source (the rendered card.svg template) to this file.
        #[arg(long)]
        svg: Option<PathBuf>,
        /// Allow draft and future pages.
        #[arg(long)]
        drafts: bool,
    },
    /// Print a page's ready-to-paste social posts, counted as each network counts.
    Social {
        /// The page: its content file (content/cases/x.md or the bundle folder) or site path
        /// (/cases/x/).
        page: String,
        /// Only this network.
        #[arg(long, value_enum)]
        network: Option<SocialNetwork>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
        /// Split the case into a numbered thread (1/n), every post within the limit.
        #[arg(long)]
        thread: bool,
        /// Allow draft and future pages.
        #[arg(long)]
        drafts: bool,
    },
    /// Create a new page with every field of its kind, in the right folder.
    New {
        #[arg(value_enum)]
        kind: NewKind,
        /// The page's title; the file name is made from it.
        title: String,
    },
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Starter {
    /// A physician's personal site: profile first.
    Physician,
    /// A department or practice: services, patient education, several radiologists.
    Department,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum NewKind {
    Case,
    Education,
    Post,
    Person,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum SocialNetwork {
    X,
    Bluesky,
    Mastodon,
    Threads,
    Linkedin,
}
