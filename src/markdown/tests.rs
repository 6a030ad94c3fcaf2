//! Tests for Markdown rendering.

use super::*;

#[test]
fn scratch() {
    let md = Markdown::new();
    let src = "# Title\n\nIntro with [ext](https://x.org) and [in](https://site.org/a) and <me@x.org> and `code`[^n].\n\n## Sub {#custom}\n\n### Sub\n\n![Axial CT](a.png \"Cap\")\n\nInline ![x](b.png \"t\") img\n\n```python\ndef f(): pass\n```\n\n```wat\n<x>\n```\n\n| a | b |\n|---|---|\n| c | d |\n\n- [x] done\n- [ ] todo ~~old~~\n\n<!-- more -->\n\nAfter.\n\n[^n]: The note.\n";
    let r = md
        .render(
            src,
            &RenderOptions {
                first_line: 1,
                base_url: "https://site.org",
                id_prefix: "",
            },
        )
        .unwrap();
    println!(
        "{}\n---SUMMARY\n{}\n---TEXT\n{}\n{:#?}\n{:?}\n{:?}",
        r.html, r.summary_html, r.text, r.toc, r.links, r.images
    );
}
