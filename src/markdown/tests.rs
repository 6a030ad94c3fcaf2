//! Tests for Markdown rendering: each asserts the HTML, TOC, text or problems actually produced.

use std::sync::OnceLock;

use super::*;

/// Loading syntaxes is the slow part; the tests share one instance as a build does.
fn md() -> &'static Markdown {
    static MD: OnceLock<Markdown> = OnceLock::new();
    MD.get_or_init(Markdown::new)
}

const SITE: &str = "https://site.org";

fn opts(id_prefix: &str) -> RenderOptions<'_> {
    RenderOptions {
        first_line: 1,
        base_url: SITE,
        id_prefix,
        trusted_html: false,
    }
}

fn render(src: &str) -> Rendered {
    md().render(src, &opts(""))
        .expect("renders without problems")
}

fn titles(toc: &[TocEntry]) -> Vec<String> {
    toc.iter().map(|e| e.title.clone()).collect()
}

#[test]
fn headings_get_unique_prefixed_slug_ids() {
    let r = md()
        .render(
            "## Hello World\n\n## Hello World\n\n## Hello World\n",
            &opts("p-"),
        )
        .unwrap();
    let ids: Vec<&str> = r.toc.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, ["p-hello-world", "p-hello-world-1", "p-hello-world-2"]);
    assert!(r.html.contains("<h2 id=\"p-hello-world-2\">"), "{}", r.html);
}

#[test]
fn explicit_heading_id_wins() {
    let r = render("## Findings {#results}\n\n## Results\n");
    assert!(
        r.html.contains("<h2 id=\"results\">Findings "),
        "{}",
        r.html
    );
    assert_eq!(r.toc[0].id, "results");
    assert_eq!(r.toc[0].title, "Findings");
    // The generated slug steps aside for the author's id.
    assert_eq!(r.toc[1].id, "results-1");
}

#[test]
fn heading_has_anchor_kept_out_of_toc_and_text() {
    let r = render("## X-ray `views`\n");
    assert_eq!(
        r.html.trim(),
        "<h2 id=\"x-ray-views\">X-ray <code>views</code> <a class=\"anchor\" href=\"#x-ray-views\" \
         aria-label=\"Link to this section\">#</a></h2>"
    );
    assert_eq!(r.toc[0].title, "X-ray views");
    assert_eq!(r.text, "X-ray views");
}

#[test]
fn toc_nests_by_level_and_orphans_go_top_level() {
    let r = render("### Orphan\n\n# A\n\n## B\n\n### C\n\n## D\n\n# E\n");
    assert_eq!(titles(&r.toc), ["Orphan", "A", "E"]);
    let a = &r.toc[1];
    assert_eq!(a.level, 1);
    assert_eq!(titles(&a.children), ["B", "D"]);
    assert_eq!(titles(&a.children[0].children), ["C"]);
    assert!(a.children[1].children.is_empty());
    assert!(r.toc[0].children.is_empty());
}

#[test]
fn footnote_ids_are_prefixed_and_link_both_ways() {
    let r = md()
        .render(
            "Seen on CT[^1].\n\n[^1]: Contrast enhanced.\n",
            &opts("study-2-"),
        )
        .unwrap();
    let h = &r.html;
    assert!(
        h.contains("<a href=\"#fn-study-2-1\" id=\"fnref-study-2-1\">1</a>"),
        "{h}"
    );
    assert!(
        h.contains("<div class=\"footnote-definition\" id=\"fn-study-2-1\">"),
        "{h}"
    );
    assert!(h.contains("href=\"#fnref-study-2-1\""), "{h}");
    assert!(!h.contains("id=\"1\""), "{h}");
}

#[test]
fn footnote_ids_never_collide_with_heading_ids() {
    let r = render("## Fn 1\n\nText[^1] and again[^1].\n\n[^1]: Note.\n");
    assert_eq!(r.toc[0].id, "fn-1-1");
    assert_eq!(r.html.matches("id=\"fn-1\"").count(), 1, "{}", r.html);
    // A note cited twice gets one back-reference target, not two equal ids.
    assert_eq!(r.html.matches("id=\"fnref-1\"").count(), 1, "{}", r.html);
    assert_eq!(r.html.matches("href=\"#fn-1\"").count(), 2, "{}", r.html);
}

#[test]
fn fenced_python_is_highlighted_with_hl_classes() {
    let r = render("```python\ndef f(x):\n    return x\n```\n");
    assert!(
        r.html
            .starts_with("<pre class=\"code\" data-lang=\"python\"><code>"),
        "{}",
        r.html
    );
    assert!(r.html.contains("<span class=\"hl-"), "{}", r.html);
    assert!(r.html.contains("hl-python"), "{}", r.html);
    assert!(r.html.trim_end().ends_with("</code></pre>"), "{}", r.html);
}

#[test]
fn common_language_tokens_are_found() {
    for lang in ["py", "js", "rust", "bash", "json", "html", "css", "sql"] {
        let r = render(&format!("```{lang}\nx = 1\n```\n"));
        assert!(
            r.html.contains(&format!("data-lang=\"{lang}\"")),
            "{lang}: {}",
            r.html
        );
        assert!(
            r.html.contains("class=\"hl-"),
            "{lang} not highlighted: {}",
            r.html
        );
    }
}

#[test]
fn unknown_or_missing_language_is_plain_escaped_code() {
    let r = render("```klingon {.x}\n<b>qapla'</b>\n```\n");
    assert_eq!(
        r.html.trim_end(),
        "<pre class=\"code\" data-lang=\"klingon\"><code>&lt;b&gt;qapla&#39;&lt;/b&gt;\n</code></pre>"
    );
    let r = render("```\na < b\n```\n\n    indented & code\n");
    assert!(
        r.html
            .contains("<pre class=\"code\"><code>a &lt; b\n</code></pre>"),
        "{}",
        r.html
    );
    assert!(
        r.html
            .contains("<pre class=\"code\"><code>indented &amp; code\n</code></pre>"),
        "{}",
        r.html
    );
    assert!(!r.html.contains("hl-"), "{}", r.html);
    assert!(!r.html.contains("data-lang"), "{}", r.html);
}

#[test]
fn highlight_css_has_light_default_and_nested_dark_theme() {
    let css = Markdown::highlight_css();
    let (light, dark) = css
        .split_once("@media (prefers-color-scheme: dark) {")
        .expect("dark media query");
    assert!(light.contains(".hl-comment"), "{light}");
    assert!(light.contains("pre.code {"), "{light}");
    assert!(dark.contains(".hl-comment"), "{dark}");
    // Every dark rule must sit inside the media query: depth returns to 0 only at the very end.
    let mut depth = 1i32;
    let body = dark.trim_end();
    for (i, c) in body.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            _ => {}
        }
        assert!(
            depth > 0 || i == body.len() - 1,
            "rule escapes the media query at byte {i}"
        );
    }
    assert_eq!(depth, 0);
    assert_ne!(light.matches(".hl-").count(), 0);
}

#[test]
fn lone_image_becomes_figure_with_caption() {
    let r = render("![Axial CT of the chest](ct.png \"Axial CT, lung window\")\n");
    assert_eq!(
        r.html.trim_end(),
        "<figure><img src=\"ct.png\" alt=\"Axial CT of the chest\" loading=\"lazy\" decoding=\"async\">\
         <figcaption>Axial CT, lung window</figcaption></figure>"
    );
    let r = render("![Knee MRI](knee.png)\n");
    assert!(
        r.html.starts_with("<figure><img src=\"knee.png\""),
        "{}",
        r.html
    );
    assert!(!r.html.contains("figcaption"), "{}", r.html);
    assert!(!r.html.contains("<p>"), "{}", r.html);
}

#[test]
fn inline_image_stays_img_in_paragraph() {
    let r = render("See ![arrow](arrow.svg) here.\n");
    assert_eq!(
        r.html.trim_end(),
        "<p>See <img src=\"arrow.svg\" alt=\"arrow\" loading=\"lazy\" decoding=\"async\"> here.</p>"
    );
    assert_eq!(
        r.images,
        [ImageRef {
            src: "arrow.svg".into(),
            alt: "arrow".into(),
            line: 1
        }]
    );
}

#[test]
fn missing_alt_text_is_a_problem_at_the_file_line() {
    let src = "Intro.\n\nText ![](x.png)\n\n![ ](y.png)\n";
    let o = RenderOptions {
        first_line: 10,
        base_url: SITE,
        id_prefix: "",
        trusted_html: false,
    };
    let problems = md().render(src, &o).unwrap_err();
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert_eq!(problems[0].line, 12);
    assert_eq!(problems[0].column, 6);
    assert_eq!(problems[0].message, "image `x.png` has no alt text");
    assert!(
        problems[0].fix.contains("![Axial CT showing ...](x.png)"),
        "{}",
        problems[0].fix
    );
    assert_eq!((problems[1].line, problems[1].column), (14, 1));
}

#[test]
fn only_external_links_get_noopener() {
    let src = "[a](https://radiopaedia.org/x) [b](https://site.org/cases/) [c](/about/)\n\
               [d](https://site.org.evil.com/) [e](http://x.org) [f](#top) <https://auto.org>\n";
    let r = render(src);
    let h = &r.html;
    assert!(
        h.contains("<a href=\"https://radiopaedia.org/x\" rel=\"noopener\">a</a>"),
        "{h}"
    );
    assert!(
        h.contains("<a href=\"https://site.org/cases/\">b</a>"),
        "{h}"
    );
    assert!(h.contains("<a href=\"/about/\">c</a>"), "{h}");
    assert!(
        h.contains("<a href=\"https://site.org.evil.com/\" rel=\"noopener\">d</a>"),
        "{h}"
    );
    assert!(
        h.contains("<a href=\"http://x.org\" rel=\"noopener\">e</a>"),
        "{h}"
    );
    assert!(h.contains("<a href=\"#top\">f</a>"), "{h}");
    assert!(
        h.contains("<a href=\"https://auto.org\" rel=\"noopener\">"),
        "{h}"
    );
    assert_eq!(h.matches("noopener").count(), 4, "{h}");
}

#[test]
fn links_and_images_are_recorded_with_file_lines() {
    let src = "First [one](/a/).\n\nSecond\nline [two](https://x.org).\n\n![Chest film](cxr.png)\n";
    let o = RenderOptions {
        first_line: 5,
        base_url: SITE,
        id_prefix: "",
        trusted_html: false,
    };
    let r = md().render(src, &o).unwrap();
    assert_eq!(
        r.links,
        [
            LinkRef {
                url: "/a/".into(),
                line: 5
            },
            LinkRef {
                url: "https://x.org".into(),
                line: 8
            }
        ]
    );
    assert_eq!(
        r.images,
        [ImageRef {
            src: "cxr.png".into(),
            alt: "Chest film".into(),
            line: 10
        }]
    );
}

#[test]
fn summary_is_text_before_more_marker() {
    let r = render("# Case\n\nFirst part.\n\nSecond part.\n\n<!-- more -->\n\nHidden part.\n");
    assert!(
        r.summary_html.contains("<p>First part.</p>"),
        "{}",
        r.summary_html
    );
    assert!(
        r.summary_html.contains("<p>Second part.</p>"),
        "{}",
        r.summary_html
    );
    assert!(!r.summary_html.contains("Hidden"), "{}", r.summary_html);
    assert!(r.html.contains("<p>Hidden part.</p>"), "{}", r.html);
}

#[test]
fn summary_without_marker_is_first_real_paragraph() {
    let r = render("# Case\n\n![Axial CT](ct.png)\n\n> quoted\n\nThe *first* words.\n\nLater.\n");
    assert_eq!(r.summary_html, "<p>The <em>first</em> words.</p>");
    assert_eq!(render("# Only a heading\n").summary_html, "");
}

#[test]
fn text_is_prose_without_code_or_html() {
    let src = "# Title\n\nUse `kVp` [wisely](/x/).\n\n```python\nsecret_code()\n```\n\n<div>raw html</div>\n\n\
               - one\n- two\n\n| Dose | Unit |\n|---|---|\n| 2 | mSv |\n";
    let r = render(src);
    assert_eq!(
        r.text,
        "Title\n\nUse kVp wisely.\n\none\n\ntwo\n\nDose Unit\n\n2 mSv"
    );
    assert!(!r.text.contains("secret_code"));
    assert_eq!(r.word_count, 10);
    // The prose for readability also leaves the table out, and keeps blocks apart.
    assert_eq!(r.prose, "Title\n\nUse kVp wisely.\n\none\n\ntwo");
}

#[test]
fn prose_resumes_after_a_table() {
    let r = render("Before it.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nAfter it.\n");
    assert_eq!(r.text, "Before it.\n\na b\n\n1 2\n\nAfter it.");
    assert_eq!(r.prose, "Before it.\n\nAfter it.");
}

#[test]
fn word_count_counts_whitespace_separated_words() {
    let r = render("Three small words.\n\nAnd *four more* here.\n");
    assert_eq!(r.word_count, 7);
    assert_eq!(render("").word_count, 0);
}

#[test]
fn tables_task_lists_and_strikethrough() {
    let r = render("| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] done\n- [ ] todo\n\n~~old~~ new\n");
    let h = &r.html;
    assert!(h.contains("<div class=\"table-wrap\">\n<table>"), "{h}");
    assert!(h.contains("</table>\n</div>"), "{h}");
    assert!(
        h.contains("<input disabled=\"\" type=\"checkbox\" checked=\"\"/>"),
        "{h}"
    );
    assert!(
        h.contains("<input disabled=\"\" type=\"checkbox\"/>"),
        "{h}"
    );
    assert!(h.contains("<del>old</del> new"), "{h}");
}

#[test]
fn no_smart_punctuation() {
    let r = render("\"CT\" -- it's fine...\n");
    assert!(r.html.contains("\"CT\" -- it's fine..."), "{}", r.html);
}

#[test]
fn odd_inputs_do_not_panic() {
    let odd = [
        "",
        "\n\n\n",
        "```python\nunclosed(\n",
        "```\n",
        "- a\n  - b\n    - c\n      1. d\n         > e\n- f",
        "+++\ntitle = \"x\"\n+++\n",
        "---\ntitle: x\n---\n",
        "# \n\n## {#}\n\n###### ######",
        "[^]: x\n\n[^x]\n\n[^y]: undefined ref above\n",
        "![](",
        "[a](<>) ![b]()",
        "<!-- more -->",
        "> <!-- more -->\n\n<!-- more -->\n\n<!-- more -->",
        "| a |\n|---|\n| ![](x) |",
        "Ünïcödé ![ñ](ü.png \"ß\") `∑`\r\n\r\n## Ünï\r\n",
        "```rust\nfn main() { let s = \"unterminated; }\n",
        "<div>\n\n*unclosed html\n",
        "[x]: /a\n\n[x] [y][x] ![z][x]",
    ];
    for src in odd {
        let _ = md().render(src, &opts("o-"));
    }
    let r = render("```python\nunclosed(\n");
    assert!(r.html.contains("data-lang=\"python\""), "{}", r.html);
}

#[test]
fn markdown_can_be_shared_across_threads() {
    fn shared<T: Send + Sync>() {}
    shared::<Markdown>();
}

#[test]
fn line_positions_count_characters() {
    let lines = plain::Lines::new("ab\nçé x\n");
    assert_eq!(lines.position(0), (1, 1));
    assert_eq!(lines.position(3), (2, 1));
    assert_eq!(lines.position("ab\nçé ".len()), (2, 4));
    assert_eq!(lines.position(999), (3, 1));
}

#[test]
fn repeated_blocks_render_the_same_and_cache_keys_on_language() {
    let py = render("```python\nx = [1]\n```\n");
    assert_eq!(py.html, render("```python\nx = [1]\n```\n").html);
    let js = render("```js\nx = [1]\n```\n");
    assert!(py.html.contains("hl-python"), "{}", py.html);
    assert!(js.html.contains("hl-js"), "{}", js.html);
    assert!(!js.html.contains("hl-python"), "{}", js.html);
}
