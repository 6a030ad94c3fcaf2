//! Heading and footnote ids that stay unique within a fragment, and the nested table of contents.

use std::collections::HashSet;

use super::TocEntry;

/// Ids already handed out in one fragment.
#[derive(Debug, Default)]
pub(super) struct Ids {
    used: HashSet<String>,
    /// Per base, the number its next repeat tries first: 40,000 headings with one title must
    /// not each count up from 1 (that took 76 s).
    next: std::collections::HashMap<String, usize>,
}

impl Ids {
    /// `base`, or `base-1`, `base-2`, … if taken.
    pub(super) fn unique(&mut self, base: String) -> String {
        if !self.used.contains(&base) {
            self.used.insert(base.clone());
            return base;
        }
        let mut n = self.next.get(&base).copied().unwrap_or(1);
        loop {
            let candidate = format!("{base}-{n}");
            n += 1;
            if !self.used.contains(&candidate) {
                self.used.insert(candidate.clone());
                self.next.insert(base, n);
                return candidate;
            }
        }
    }

    /// An id the author chose: used as written, even if it repeats.
    pub(super) fn claim(&mut self, id: &str) {
        self.used.insert(id.to_owned());
    }
}

/// Nests headings in document order: each goes under the closest earlier heading of a higher
/// level; one with no such heading is a top-level entry.
pub(super) fn nest(flat: Vec<TocEntry>) -> Vec<TocEntry> {
    let mut roots = Vec::new();
    for entry in flat {
        insert(&mut roots, entry);
    }
    roots
}

fn insert(siblings: &mut Vec<TocEntry>, entry: TocEntry) {
    match siblings.last_mut() {
        Some(last) if last.level < entry.level => insert(&mut last.children, entry),
        _ => siblings.push(entry),
    }
}
