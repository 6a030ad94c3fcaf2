//! Checks over the assembled site and its rendered files. Each check is a function returning
//! findings. Errors stop the build; warnings and notes are reported by `radpress check`.

pub mod links;
pub mod plain_language;
pub mod privacy;
pub mod readability;
pub mod starter;

use serde::Serialize;

use crate::error::Diagnostic;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Stops the build.
    Error,
    /// Reported, does not stop the build.
    Warning,
    /// A measurement worth showing (e.g. the reading grade of a page).
    Note,
}

/// One result of a check: the rule it comes from, how serious it is, and where.
#[derive(Debug, Clone)]
pub struct Finding {
    /// Short, stable rule name such as `reading-grade` or `jargon`.
    pub rule: &'static str,
    pub severity: Severity,
    pub diagnostic: Diagnostic,
}

impl Finding {
    pub fn new(rule: &'static str, severity: Severity, diagnostic: Diagnostic) -> Finding {
        Finding {
            rule,
            severity,
            diagnostic,
        }
    }
}

/// The JSON form of a finding (`radpress check --format json`).
#[derive(Serialize)]
pub struct FindingJson<'a> {
    pub file: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub rule: &'a str,
    pub severity: Severity,
    pub message: &'a str,
    pub fix: Option<&'a str>,
}

impl<'a> From<&'a Finding> for FindingJson<'a> {
    fn from(f: &'a Finding) -> Self {
        let d = &f.diagnostic;
        FindingJson {
            file: d.file.to_string_lossy().replace('\\', "/"),
            line: d.line,
            column: d.column,
            rule: f.rule,
            severity: f.severity,
            message: &d.message,
            fix: d.fix.as_deref(),
        }
    }
}
