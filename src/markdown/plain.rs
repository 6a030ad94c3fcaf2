//! Plain text of the prose (for search and word counts) and byte-offset-to-line mapping.

/// Builds the plain text, keeping blocks apart by a blank line and table cells by a space.
#[derive(Debug, Default)]
pub(super) struct PlainText {
    text: String,
    pending: Gap,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
enum Gap {
    #[default]
    None,
    Space,
    Block,
}

impl PlainText {
    pub(super) fn push(&mut self, mut s: &str) {
        // Text around a skipped image or footnote mark would otherwise leave a double space.
        if self.pending == Gap::None && self.text.ends_with(' ') {
            s = s.trim_start_matches(' ');
        }
        if s.is_empty() {
            return;
        }
        if !self.text.is_empty() {
            match self.pending {
                Gap::Block => self.text.push_str("\n\n"),
                Gap::Space if !self.text.ends_with(char::is_whitespace) => self.text.push(' '),
                _ => {}
            }
        }
        self.pending = Gap::None;
        self.text.push_str(s);
    }

    /// The next text starts a new block.
    pub(super) fn block(&mut self) {
        self.pending = Gap::Block;
    }

    /// The next text is a new table cell in the same row.
    pub(super) fn cell(&mut self) {
        if self.pending == Gap::None {
            self.pending = Gap::Space;
        }
    }

    pub(super) fn finish(self) -> String {
        self.text
    }
}

/// Where each line of a source starts, so offsets become lines by binary search.
#[derive(Debug)]
pub(super) struct Lines<'a> {
    src: &'a str,
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    pub(super) fn new(src: &'a str) -> Self {
        let mut starts = Vec::with_capacity(src.len() / 40 + 1);
        starts.push(0);
        starts.extend(src.match_indices('\n').map(|(i, _)| i + 1));
        Lines { src, starts }
    }

    /// 1-based line and column (in characters) of a byte offset into the source.
    pub(super) fn position(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.src.len());
        let line = self.starts.partition_point(|&start| start <= offset);
        let start = self.starts.get(line.wrapping_sub(1)).copied().unwrap_or(0);
        let column = self
            .src
            .get(start..offset)
            .map_or(1, |before| before.chars().count() + 1);
        (line.max(1), column)
    }
}
