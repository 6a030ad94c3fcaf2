//! site.toml: raw serde structs that only deserialize, and the validated `Config` built from them.
//!
//! Every raw struct denies unknown keys, and `Config::parse` destructures every raw field, so a
//! new key cannot be silently ignored.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Diagnostic, Error, Result, did_you_mean, offset_to_line_col};

pub const CONFIG_FILE: &str = "site.toml";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: String,
    base_url: String,
    language: Option<String>,
    description: Option<String>,
    theme: Option<String>,
    paginate_by: Option<usize>,
    default_hashtags: Option<Vec<String>>,
    default_image: Option<String>,
    default_image_alt: Option<String>,
    brand: Option<RawBrand>,
    social: Option<RawSocial>,
    practice: Option<crate::practice::RawPractice>,
    reading_grade_target: Option<f64>,
    review_interval_months: Option<u32>,
    trusted_html: Option<bool>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawBrand {
    name: Option<String>,
    tagline: Option<String>,
    logo: Option<String>,
    logo_alt: Option<String>,
    colors: Option<RawColors>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawColors {
    primary: Option<String>,
    accent: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawSocial {
    x: Option<String>,
    bluesky: Option<String>,
    mastodon: Option<String>,
    threads: Option<String>,
    linkedin: Option<String>,
    mastodon_limit: Option<usize>,
    hashtags: Option<std::collections::BTreeMap<String, String>>,
    hashtag_caps: Option<RawHashtagCaps>,
}

/// `[social.hashtag_caps]`: signed and spanned, so a negative number is our error (with a fix)
/// rather than serde's, at the line of the value.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawHashtagCaps {
    x: Option<toml::Spanned<i64>>,
    bluesky: Option<toml::Spanned<i64>>,
    mastodon: Option<toml::Spanned<i64>>,
    threads: Option<toml::Spanned<i64>>,
    linkedin: Option<toml::Spanned<i64>>,
}

/// The validated site configuration.
#[derive(Debug, Clone, Serialize)]
pub struct Config {
    pub title: String,
    /// Without a trailing slash: `https://example.org` or `https://example.org/sub`.
    pub base_url: String,
    pub language: String,
    pub description: String,
    pub theme: String,
    pub paginate_by: usize,
    /// Without the leading `#`.
    pub default_hashtags: Vec<String>,
    /// Site-relative path of the image used for og:image when a page has none.
    pub default_image: Option<String>,
    pub default_image_alt: String,
    pub brand: Brand,
    pub social: SocialAccounts,
    /// The practice or department profile, when site.toml has `[practice]`.
    pub practice: Option<crate::practice::Practice>,
    /// Highest acceptable reading grade of a patient-education page (a page's own
    /// `reading_grade_target` wins). Default 8, the NIH's "8th grade or below".
    pub reading_grade_target: f64,
    /// An education page whose `last_reviewed` is older than this is due for review. Default 12.
    pub review_interval_months: u32,
    /// Pages may hold any raw HTML, scripts and event handlers included (default false: they
    /// are refused, see `markdown::raw_html`). Only for a site whose every author is trusted.
    pub trusted_html: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Brand {
    pub name: String,
    pub tagline: String,
    /// Site-relative path of the logo (SVG or PNG under static/).
    pub logo: Option<String>,
    pub logo_alt: String,
    pub colors: Colors,
}

/// The brand palette as `#rrggbb`; the theme derives its light and dark shades from these.
#[derive(Debug, Clone, Serialize)]
pub struct Colors {
    pub primary: String,
    pub accent: String,
}

/// The site's own accounts, shown in the footer and used by share links.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SocialAccounts {
    /// Handle without `@`.
    pub x: Option<String>,
    /// Handle such as `radiology.example.org`.
    pub bluesky: Option<String>,
    /// `@user@instance` as written, and its parts.
    pub mastodon: Option<String>,
    pub mastodon_instance: Option<String>,
    pub mastodon_user: Option<String>,
    pub threads: Option<String>,
    /// A LinkedIn profile or company page URL.
    pub linkedin: Option<String>,
    /// The Mastodon instance's post limit (`[social] mastodon_limit`, default 500).
    pub mastodon_limit: usize,
    /// Vocabulary code (modality, system, body region) → hashtag without `#`: the built-in
    /// mapping with `[social.hashtags]` over it (an empty value switches a code off).
    pub hashtag_map: std::collections::BTreeMap<String, String>,
    /// At most this many hashtags per post on each network (`[social.hashtag_caps]`).
    pub hashtag_caps: crate::social::HashtagCaps,
}

/// The error for a folder without site.toml: a usage error (exit 2), since the command was run
/// in the wrong place.
pub fn no_site(root: &Path) -> Error {
    Error::Usage(format!(
        "no {CONFIG_FILE} in {}: run radpress from the site's folder, pass --root DIR, or create a site with `radpress init DIR`",
        root.display()
    ))
}

impl Config {
    /// Read and validate `site.toml` in `root`.
    pub fn from_root(root: &Path) -> Result<Config> {
        let path = root.join(CONFIG_FILE);
        if std::fs::symlink_metadata(&path).is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound)
        {
            // No site here: the command was run in the wrong place (a usage error, exit 2).
            return Err(no_site(root));
        }
        // Only a regular file under the size limit, not a link; invalid UTF-8 names its line.
        let text = crate::content::load::read_text(&path, Path::new(CONFIG_FILE))?;
        Config::parse(&text).map_err(|d| Error::Site(vec![d]))
    }

    /// Parse and validate the text of site.toml.
    pub fn parse(text: &str) -> std::result::Result<Config, Diagnostic> {
        if let Some(d) = crate::content::frontmatter::control_character(
            Path::new(CONFIG_FILE),
            text,
            Some((text, 1)),
        ) {
            return Err(d);
        }
        let raw: RawConfig =
            toml::from_str(text).map_err(|e| toml_diagnostic(CONFIG_FILE, text, &e, 1))?;
        let RawConfig {
            title,
            base_url,
            language,
            description,
            theme,
            paginate_by,
            default_hashtags,
            default_image,
            default_image_alt,
            brand,
            social,
            practice,
            reading_grade_target,
            review_interval_months,
            trusted_html,
        } = raw;
        let bad = |needle: &str, msg: String, fix: &str| {
            Diagnostic::new(CONFIG_FILE, msg)
                .locate(text, needle, 1)
                .fix(fix.to_string())
        };

        let base_url = base_url.trim().trim_end_matches('/').to_string();
        if !(base_url.starts_with("https://") || base_url.starts_with("http://"))
            || base_url.contains(char::is_whitespace)
        {
            return Err(bad(
                "base_url",
                format!("base_url `{base_url}` is not an http(s) URL"),
                "write the address the site will live at, e.g. base_url = \"https://radiology.example.org\"",
            ));
        }
        // A theme is a folder name under themes/, never a path: `../../x` would publish the
        // static files of any folder on the machine.
        if let Some(name) = &theme
            && (name.is_empty()
                || name.starts_with('.')
                || !name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'))
        {
            return Err(bad(
                "theme",
                format!(
                    "theme `{name}` is not a theme name: a theme is the name of a folder in themes/, not a path"
                ),
                "write just the folder's name, e.g. theme = \"default\" for themes/default/ (letters, digits, - and _)",
            ));
        }
        let paginate_by = paginate_by.unwrap_or(10);
        if paginate_by == 0 {
            return Err(bad(
                "paginate_by",
                "paginate_by must be at least 1".into(),
                "use a number such as 10",
            ));
        }
        let reading_grade_target = reading_grade_target.unwrap_or(8.0);
        if !(1.0..=20.0).contains(&reading_grade_target) {
            return Err(bad(
                "reading_grade_target",
                format!(
                    "reading_grade_target {reading_grade_target} is not a school grade from 1 to 20"
                ),
                "use a grade such as 8 (the NIH's target for patient materials) or 6 (the AMA's)",
            ));
        }
        let review_interval_months = review_interval_months.unwrap_or(12);
        if review_interval_months == 0 {
            return Err(bad(
                "review_interval_months",
                "review_interval_months must be at least 1".into(),
                "use a number of months such as 12",
            ));
        }
        let mut hashtags = Vec::new();
        for tag in default_hashtags.unwrap_or_default() {
            let clean = tag.trim_start_matches('#').to_string();
            if clean.is_empty() || !clean.chars().all(|c| c.is_alphanumeric() || c == '_') {
                return Err(bad(
                    &tag,
                    format!("default hashtag `{tag}` is not a valid hashtag"),
                    "use letters, digits and underscores only, e.g. \"FOAMrad\"",
                ));
            }
            hashtags.push(clean);
        }

        let RawBrand {
            name,
            tagline,
            logo,
            logo_alt,
            colors,
        } = brand.unwrap_or_default();
        let RawColors { primary, accent } = colors.unwrap_or_default();
        let check_color =
            |value: Option<String>, default: &str| -> std::result::Result<String, Diagnostic> {
                match value {
                    None => Ok(default.to_string()),
                    Some(v) => parse_hex_color(&v).ok_or_else(|| {
                        bad(
                            &format!("\"{v}\""),
                            format!("`{v}` is not a colour"),
                            "write colours as hex, e.g. \"#0b5394\"",
                        )
                    }),
                }
            };
        let colors = Colors {
            primary: check_color(primary, "#0b4f8a")?,
            accent: check_color(accent, "#0e7c74")?,
        };
        let brand_name = name.unwrap_or_else(|| title.clone());
        let brand = Brand {
            logo_alt: logo_alt.unwrap_or_else(|| brand_name.clone()),
            name: brand_name,
            tagline: tagline.unwrap_or_default(),
            logo: logo.map(|l| l.trim_start_matches('/').to_string()),
            colors,
        };

        let RawSocial {
            x,
            bluesky,
            mastodon,
            threads,
            linkedin,
            mastodon_limit,
            hashtags: hashtag_overrides,
            hashtag_caps,
        } = social.unwrap_or_default();
        let hashtag_caps = hashtag_caps_of(hashtag_caps.unwrap_or_default(), text)?;
        let mastodon_limit = mastodon_limit.unwrap_or(500);
        if mastodon_limit < 100 {
            return Err(bad(
                "mastodon_limit",
                format!("mastodon_limit {mastodon_limit} is too small for a post"),
                "use your instance's limit (500 on most instances)",
            ));
        }
        let mut hashtag_map = crate::social::hashtags::default_mapping();
        for (code, tag) in hashtag_overrides.unwrap_or_default() {
            let clean = tag.trim().trim_start_matches('#').to_string();
            if clean.is_empty() {
                hashtag_map.remove(&code);
                continue;
            }
            if !crate::social::hashtags::is_valid(&clean) {
                return Err(bad(
                    &tag,
                    format!("hashtag `{tag}` for `{code}` is not a valid hashtag"),
                    "use letters, digits and underscores, with at least one letter, e.g. \"NeuroRad\"",
                ));
            }
            hashtag_map.insert(code, clean);
        }
        let (mastodon_user, mastodon_instance) = match &mastodon {
            None => (None, None),
            Some(handle) => {
                let parts: Vec<&str> = handle.trim_start_matches('@').split('@').collect();
                match parts.as_slice() {
                    [user, instance] if !user.is_empty() && instance.contains('.') => {
                        (Some(user.to_string()), Some(instance.to_string()))
                    }
                    _ => {
                        return Err(bad(
                            handle,
                            format!("mastodon account `{handle}` needs the instance too"),
                            "write it as \"@user@instance.social\"",
                        ));
                    }
                }
            }
        };
        let social = SocialAccounts {
            x: x.map(|h| h.trim_start_matches('@').to_string()),
            bluesky: bluesky.map(|h| h.trim_start_matches('@').to_string()),
            mastodon,
            mastodon_instance,
            mastodon_user,
            threads: threads.map(|h| h.trim_start_matches('@').to_string()),
            linkedin,
            mastodon_limit,
            hashtag_map,
            hashtag_caps,
        };

        let practice = match practice {
            None => None,
            Some(raw) => Some(crate::practice::validate(
                raw,
                &title,
                &crate::base_path(&base_url),
                &|needle, msg, fix| bad(needle, msg, fix),
            )?),
        };

        Ok(Config {
            practice,
            title,
            base_url,
            language: language.unwrap_or_else(|| "en".into()),
            description: description.unwrap_or_default(),
            theme: theme.unwrap_or_else(|| "default".into()),
            paginate_by,
            default_hashtags: hashtags,
            default_image: default_image.map(|p| p.trim_start_matches('/').to_string()),
            default_image_alt: default_image_alt.unwrap_or_default(),
            brand,
            social,
            reading_grade_target,
            review_interval_months,
            trusted_html: trusted_html.unwrap_or(false),
        })
    }

    /// The absolute URL of a site path such as `/cases/x/`.
    pub fn permalink(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path)
    }
}

/// `[social.hashtag_caps]` over the defaults; a cap outside 0..=`HashtagCaps::MAX` is an error
/// at its line.
fn hashtag_caps_of(
    raw: RawHashtagCaps,
    text: &str,
) -> std::result::Result<crate::social::HashtagCaps, Diagnostic> {
    let RawHashtagCaps {
        x,
        bluesky,
        mastodon,
        threads,
        linkedin,
    } = raw;
    let defaults = crate::social::HashtagCaps::default();
    let max = crate::social::HashtagCaps::MAX;
    let cap = |name: &str, value: Option<toml::Spanned<i64>>, default: usize| {
        let Some(value) = value else {
            return Ok(default);
        };
        match usize::try_from(*value.get_ref()) {
            Ok(n) if n <= max => Ok(n),
            _ => {
                let (line, col) = offset_to_line_col(text, value.span().start);
                Err(Diagnostic::new(
                    CONFIG_FILE,
                    format!(
                        "hashtag cap `{name} = {}` is not a number of hashtags from 0 to {max}",
                        value.get_ref()
                    ),
                )
                .at(line, col)
                .with_source(text)
                .fix(format!(
                    "use 0 (no hashtags on {name}) up to {max}, e.g. {name} = {default} (the default)"
                )))
            }
        }
    };
    Ok(crate::social::HashtagCaps {
        x: cap("x", x, defaults.x)?,
        bluesky: cap("bluesky", bluesky, defaults.bluesky)?,
        mastodon: cap("mastodon", mastodon, defaults.mastodon)?,
        threads: cap("threads", threads, defaults.threads)?,
        linkedin: cap("linkedin", linkedin, defaults.linkedin)?,
    })
}

fn parse_hex_color(v: &str) -> Option<String> {
    let hex = v.strip_prefix('#')?;
    let ok = matches!(hex.len(), 3 | 6) && hex.chars().all(|c| c.is_ascii_hexdigit());
    if !ok {
        return None;
    }
    let full = if hex.len() == 3 {
        hex.chars().flat_map(|c| [c, c]).collect()
    } else {
        hex.to_string()
    };
    Some(format!("#{}", full.to_ascii_lowercase()))
}

/// Turn a TOML error into a diagnostic with file:line:col, the offending line, and a fix.
/// `first_line` is the file line of the first line of `text` (front matter starts below `+++`).
pub(crate) fn toml_diagnostic(
    file: impl Into<std::path::PathBuf>,
    text: &str,
    err: &toml::de::Error,
    first_line: usize,
) -> Diagnostic {
    let message = err.message().trim().to_string();
    let (line, col) = err
        .span()
        .map(|s| offset_to_line_col(text, s.start))
        .unwrap_or((1, 1));
    let mut d = Diagnostic::new(file, String::new()).at(line + first_line - 1, col);
    d.source_line = text.lines().nth(line - 1).map(|l| l.trim_end().to_string());
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let key = rest.split('`').next().unwrap_or_default();
        let expected: Vec<&str> = rest.split('`').skip(2).step_by(2).collect();
        d.message = format!("unknown key `{key}`");
        let mut fix = match did_you_mean(key, expected.iter().copied()) {
            Some(close) => format!("did you mean `{close}`?"),
            None => "remove it or check its spelling".to_string(),
        };
        if !expected.is_empty() {
            fix.push_str(&format!(" Keys allowed here: {}", expected.join(", ")));
        }
        d.fix = Some(fix);
    } else if let Some(rest) = message.strip_prefix("missing field `") {
        let key = rest.split('`').next().unwrap_or_default();
        d.message = format!("missing required key `{key}`");
        d.fix = Some(format!("add `{key} = ...`"));
    } else {
        d.message = format!("invalid TOML: {message}");
        d.fix = Some(
            "check the quoting and the `key = value` form; strings need double quotes, lists [\"a\", \"b\"]"
                .into(),
        );
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = "title = \"Demo\"\nbase_url = \"https://example.org/\"\n";

    #[test]
    fn minimal_config_gets_defaults() {
        let c = Config::parse(MINIMAL).unwrap();
        assert_eq!(c.base_url, "https://example.org");
        assert_eq!(c.paginate_by, 10);
        assert_eq!(c.brand.name, "Demo");
        assert_eq!(c.permalink("/cases/"), "https://example.org/cases/");
    }

    #[test]
    fn unknown_key_names_line_and_suggests() {
        let text = format!("{MINIMAL}paginate = 5\n");
        let d = Config::parse(&text).unwrap_err();
        assert_eq!(d.line, Some(3));
        assert_eq!(d.message, "unknown key `paginate`");
        assert!(d.fix.unwrap().contains("did you mean `paginate_by`?"));
    }

    #[test]
    fn unknown_key_in_table_is_found() {
        let text = format!("{MINIMAL}[brand]\nname = \"X\"\ncolours = {{}}\n");
        let d = Config::parse(&text).unwrap_err();
        assert_eq!(d.line, Some(5));
        assert!(d.fix.unwrap().contains("`colors`"));
    }

    #[test]
    fn bad_colour_and_mastodon_are_errors() {
        let text = format!("{MINIMAL}[brand.colors]\nprimary = \"blue\"\n");
        let d = Config::parse(&text).unwrap_err();
        assert_eq!(d.line, Some(4));
        let text = format!("{MINIMAL}[social]\nmastodon = \"@someone\"\n");
        assert!(
            Config::parse(&text)
                .unwrap_err()
                .message
                .contains("instance")
        );
        let text = format!("{MINIMAL}[social]\nmastodon = \"@rad@med.social\"\n");
        let c = Config::parse(&text).unwrap();
        assert_eq!(c.social.mastodon_instance.as_deref(), Some("med.social"));
    }

    #[test]
    fn readability_keys_have_defaults_and_limits() {
        let c = Config::parse(MINIMAL).unwrap();
        assert_eq!(c.reading_grade_target, 8.0);
        assert_eq!(c.review_interval_months, 12);
        let text = format!("{MINIMAL}reading_grade_target = 6\nreview_interval_months = 24\n");
        let c = Config::parse(&text).unwrap();
        assert_eq!(c.reading_grade_target, 6.0);
        assert_eq!(c.review_interval_months, 24);
        let d = Config::parse(&format!("{MINIMAL}reading_grade_target = 25\n")).unwrap_err();
        assert_eq!(d.line, Some(3));
        assert!(d.message.contains("1 to 20"), "{}", d.message);
        let d = Config::parse(&format!("{MINIMAL}review_interval_months = 0\n")).unwrap_err();
        assert_eq!(d.line, Some(3));
    }

    #[test]
    fn hashtag_caps_default_and_are_set_per_network() {
        let c = Config::parse(MINIMAL).unwrap();
        assert_eq!(c.social.hashtag_caps, crate::social::HashtagCaps::default());
        assert_eq!(c.social.hashtag_caps.of(crate::social::Network::X), 2);
        assert_eq!(c.social.hashtag_caps.of(crate::social::Network::Threads), 1);
        let text = format!("{MINIMAL}[social.hashtag_caps]\nx = 0\nlinkedin = 10\n");
        let caps = Config::parse(&text).unwrap().social.hashtag_caps;
        assert_eq!((caps.x, caps.linkedin, caps.bluesky), (0, 10, 3));
    }

    #[test]
    fn absurd_hashtag_cap_is_an_error_at_its_line() {
        let text = format!("{MINIMAL}[social]\nhashtag_caps = {{ bluesky = 1000 }}\n");
        let d = Config::parse(&text).unwrap_err();
        assert_eq!(d.line, Some(4));
        assert!(d.message.contains("`bluesky = 1000`"), "{}", d.message);
        assert!(d.fix.unwrap().contains("bluesky = 3"));
        let text = format!("{MINIMAL}[social.hashtag_caps]\nx = \"two\"\n");
        assert_eq!(Config::parse(&text).unwrap_err().line, Some(4));
    }

    #[test]
    fn syntax_error_has_line_and_column() {
        let d = Config::parse("title = \"Demo\nbase_url = 1\n").unwrap_err();
        assert_eq!(d.line, Some(1));
        assert!(d.message.starts_with("invalid TOML"));
    }
}
