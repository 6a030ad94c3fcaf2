//! Command-line arguments (clap structs only).

use std::path::PathBuf;

use clap::{Parser, Subcommand};

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
    },
}
