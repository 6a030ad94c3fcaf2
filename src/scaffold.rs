//! `radpress init` and `radpress new`: write a new site, or a new page with every field of its
//! kind filled with a placeholder and a comment.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Starter {
    Physician,
    Department,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewKind {
    Case,
    Education,
    Post,
    Person,
}

/// Write a new, buildable site into `dir` (which must not exist or be empty).
/// Returns the files written, relative to `dir`.
pub fn init(dir: &Path, starter: Starter) -> Result<Vec<PathBuf>> {
    let _ = (dir, starter);
    Err(Error::Usage("radpress init is not written yet".into()))
}

/// Write a new page of `kind` titled `title` into the site at `root`; returns its path.
pub fn new_page(root: &Path, kind: NewKind, title: &str) -> Result<PathBuf> {
    let _ = (root, kind, title);
    Err(Error::Usage("radpress new is not written yet".into()))
}
