//! The site: every published page with its sections, taxonomies, authors, neighbours and related
//! cases, assembled once and then only read by the checks and the output generators.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use crate::config::Config;
use crate::content::{Asset, Content, Kind, Page, Section};

/// A taxonomy such as modality, with its terms and the pages under each.
#[derive(Debug)]
pub struct Taxonomy {
    /// URL folder and template name: "tags", "modality", "regions", "systems".
    pub name: &'static str,
    pub title: &'static str,
    pub terms: Vec<TaxonomyTerm>,
}

#[derive(Debug)]
pub struct TaxonomyTerm {
    pub label: String,
    pub slug: String,
    /// Indexes into `Site::pages`, newest first.
    pub pages: Vec<usize>,
}

#[derive(Debug)]
pub struct SectionPages {
    pub section: Section,
    /// Indexes into `Site::pages`, in listing order.
    pub pages: Vec<usize>,
}

/// Switches that decide what is published.
#[derive(Debug, Clone, Copy, Default)]
pub struct Publish {
    pub drafts: bool,
    pub future: bool,
}

/// The loaded, rendered site: one immutable value.
#[derive(Debug)]
pub struct Site {
    pub root: PathBuf,
    pub config: Config,
    /// The path part of base_url ("" or "/sub").
    pub base_path: String,
    pub publish: Publish,
    /// Published pages, newest first (undated pages after dated ones, by title).
    pub pages: Vec<Page>,
    pub sections: Vec<SectionPages>,
    pub taxonomies: Vec<Taxonomy>,
    /// Person slug → index of their page.
    pub people: BTreeMap<String, usize>,
    /// Person slug → indexes of the pages they wrote, newest first.
    pub authored: HashMap<String, Vec<usize>>,
    /// Per page: previous (older) and next (newer) page in its section.
    pub neighbours: Vec<(Option<usize>, Option<usize>)>,
    /// Per page: related cases (same modality or region).
    pub related: Vec<Vec<usize>>,
    /// Cases and posts, newest first: what the home page lists.
    pub home_listing: Vec<usize>,
    pub assets: Vec<Asset>,
    /// The date of the first future-dated page left out: the site changes then.
    pub next_publication: Option<jiff::Timestamp>,
}

/// The taxonomies, in the order they are shown.
pub const TAXONOMIES: [(&str, &str); 4] = [
    ("modality", "Modality"),
    ("regions", "Body region"),
    ("systems", "System"),
    ("tags", "Tags"),
];

/// How many related cases a case shows.
const RELATED_LIMIT: usize = 4;

impl Site {
    /// Assemble the site from loaded content. `now` decides which pages are in the future.
    pub fn assemble(
        root: PathBuf,
        config: Config,
        base_path: String,
        content: Content,
        publish: Publish,
        now: jiff::Timestamp,
    ) -> Site {
        let Content {
            pages,
            sections,
            assets,
            layout: _,
        } = content;
        let pages: Vec<Page> = pages
            .into_iter()
            .filter(|p| publish.drafts || !p.draft)
            .collect();
        let next_publication = pages
            .iter()
            .filter_map(|p| p.date.as_ref().map(|d| d.timestamp))
            .filter(|&t| !publish.future && t > now)
            .min();
        let pages: Vec<Page> = pages
            .into_iter()
            .filter(|p| publish.future || p.date.as_ref().is_none_or(|d| d.timestamp <= now))
            .collect();
        // Sort an index, then move each page once: pages are large and a sort moves them often.
        let mut order: Vec<usize> = (0..pages.len()).collect();
        order.sort_by(|&a, &b| {
            let (a, b) = (&pages[a], &pages[b]);
            let by_date = match (&a.date, &b.date) {
                (Some(x), Some(y)) => y.timestamp.cmp(&x.timestamp),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            };
            by_date
                .then_with(|| a.title.cmp(&b.title))
                .then_with(|| a.path.cmp(&b.path))
        });
        let mut slots: Vec<Option<Page>> = pages.into_iter().map(Some).collect();
        let pages: Vec<Page> = order.into_iter().filter_map(|i| slots[i].take()).collect();

        let sections = sections
            .into_iter()
            .map(|section| {
                let mut members: Vec<usize> = (0..pages.len())
                    .filter(|&i| pages[i].section == section.name)
                    .collect();
                // People and patient education are read by name, not by date.
                if matches!(section.name.as_str(), "people" | "education") {
                    members.sort_by(|&a, &b| pages[a].title.cmp(&pages[b].title));
                }
                SectionPages {
                    section,
                    pages: members,
                }
            })
            .collect::<Vec<_>>();

        let mut neighbours = vec![(None, None); pages.len()];
        for s in &sections {
            let dated: Vec<usize> = s
                .pages
                .iter()
                .copied()
                .filter(|&i| pages[i].date.is_some())
                .collect();
            for (k, &i) in dated.iter().enumerate() {
                let newer = k.checked_sub(1).map(|j| dated[j]);
                let older = dated.get(k + 1).copied();
                neighbours[i] = (older, newer);
            }
        }

        let mut people = BTreeMap::new();
        for (i, p) in pages.iter().enumerate() {
            if p.kind == Kind::Person {
                people.insert(p.slug.clone(), i);
            }
        }
        let mut authored: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, p) in pages.iter().enumerate() {
            for a in &p.authors {
                authored.entry(a.clone()).or_default().push(i);
            }
        }

        let taxonomies = TAXONOMIES
            .iter()
            .map(|&(name, title)| Taxonomy {
                name,
                title,
                terms: collect_terms(&pages, name),
            })
            .collect();

        let related = related_cases(&pages);
        let home_listing = (0..pages.len())
            .filter(|&i| matches!(pages[i].kind, Kind::Case | Kind::Post))
            .collect();

        Site {
            root,
            config,
            base_path,
            publish,
            pages,
            sections,
            taxonomies,
            people,
            authored,
            neighbours,
            related,
            home_listing,
            assets,
            next_publication,
        }
    }

    pub fn section(&self, name: &str) -> Option<&SectionPages> {
        self.sections.iter().find(|s| s.section.name == name)
    }

    pub fn person(&self, slug: &str) -> Option<&Page> {
        self.people.get(slug).map(|&i| &self.pages[i])
    }
}

/// The terms a page is listed under in one taxonomy: (label, slug).
pub fn page_terms<'a>(page: &'a Page, taxonomy: &str) -> Vec<(&'a str, &'a str)> {
    let terms: Vec<&crate::content::Term> = match taxonomy {
        "tags" => page.tags.iter().collect(),
        "modality" => match (&page.case, &page.education) {
            (Some(c), _) => c.modalities.iter().collect(),
            (_, Some(e)) => e.modalities.iter().collect(),
            _ => Vec::new(),
        },
        "regions" => page.case.iter().flat_map(|c| &c.body_regions).collect(),
        "systems" => page.case.iter().flat_map(|c| &c.systems).collect(),
        _ => Vec::new(),
    };
    let mut out: Vec<(&str, &str)> = Vec::new();
    for t in terms {
        if !out.iter().any(|(_, s)| *s == t.slug) {
            out.push((t.label.as_str(), t.slug.as_str()));
        }
    }
    out
}

fn collect_terms(pages: &[Page], taxonomy: &str) -> Vec<TaxonomyTerm> {
    let mut by_slug: rustc_hash::FxHashMap<&str, TaxonomyTerm> = Default::default();
    for (i, page) in pages.iter().enumerate() {
        if page.kind == Kind::Person {
            continue;
        }
        for (label, slug) in page_terms(page, taxonomy) {
            by_slug
                .entry(slug)
                .or_insert_with(|| TaxonomyTerm {
                    label: label.to_string(),
                    slug: slug.to_string(),
                    pages: Vec::new(),
                })
                .pages
                .push(i);
        }
    }
    let mut terms: Vec<TaxonomyTerm> = by_slug
        .into_values()
        .filter(|t| !t.slug.is_empty())
        .collect();
    terms.sort_unstable_by(|a, b| a.slug.cmp(&b.slug));
    terms
}

/// For every page, the cases sharing a modality or a body region with it (a shared region counts
/// twice), most shared first, then newest; none for pages that are not cases.
///
/// A teaching file holds thousands of cases, so this does not compare every case with every
/// other: each case walks, in page order (newest first), only the cases listed under its own
/// modalities and regions, and stops once it holds `RELATED_LIMIT` cases that share everything
/// it could share.
fn related_cases(pages: &[Page]) -> Vec<Vec<usize>> {
    let terms: Vec<Option<CaseTerms>> = pages
        .iter()
        .map(|p| {
            let case = p.case.as_ref()?;
            Some((
                distinct(&case.modalities).collect(),
                distinct(&case.body_regions).collect(),
            ))
        })
        .collect();
    related_by_terms(&terms)
}

/// A case's modality and body-region slugs, each once.
type CaseTerms<'a> = (Vec<&'a str>, Vec<&'a str>);

fn related_by_terms(cases: &[Option<CaseTerms>]) -> Vec<Vec<usize>> {
    let mut by_modality: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut by_region: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, (modalities, regions)) in cases
        .iter()
        .enumerate()
        .filter_map(|(i, c)| Some((i, c.as_ref()?)))
    {
        for &slug in modalities {
            by_modality.entry(slug).or_default().push(i);
        }
        for &slug in regions {
            by_region.entry(slug).or_default().push(i);
        }
    }
    cases
        .iter()
        .enumerate()
        .map(|(i, case)| {
            let Some((modalities, regions)) = case else {
                return Vec::new();
            };
            // Each posting list with its weight and a cursor; the lists are sorted by page index.
            let mut lists: Vec<(&[usize], usize, usize)> = Vec::new();
            lists.extend(modalities.iter().map(|s| (&by_modality[s][..], 1, 0)));
            lists.extend(regions.iter().map(|s| (&by_region[s][..], 2, 0)));
            let best_possible: usize = lists.iter().map(|l| l.1).sum();
            // (score, index), best first; a later index only enters with a higher score.
            let mut best: Vec<(usize, usize)> = Vec::with_capacity(RELATED_LIMIT + 1);
            while let Some(j) = lists
                .iter()
                .filter_map(|(l, _, at)| l.get(*at))
                .min()
                .copied()
            {
                let mut score = 0;
                for (list, weight, at) in &mut lists {
                    if list.get(*at) == Some(&j) {
                        score += *weight;
                        *at += 1;
                    }
                }
                if j == i {
                    continue;
                }
                if best.len() < RELATED_LIMIT || best.last().is_some_and(|&(s, _)| s < score) {
                    let at = best.partition_point(|&(s, _)| s >= score);
                    best.insert(at, (score, j));
                    best.truncate(RELATED_LIMIT);
                }
                if best.len() == RELATED_LIMIT && best.iter().all(|&(s, _)| s == best_possible) {
                    break;
                }
            }
            best.into_iter().map(|(_, j)| j).collect()
        })
        .collect()
}

/// The slugs of `terms`, each once.
fn distinct(terms: &[crate::content::Term]) -> impl Iterator<Item = &str> {
    terms
        .iter()
        .enumerate()
        .filter(|(k, t)| !terms[..*k].iter().any(|u| u.slug == t.slug))
        .map(|(_, t)| t.slug.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The definition, comparing every case with every other.
    fn related_naive(cases: &[Option<CaseTerms>]) -> Vec<Vec<usize>> {
        cases
            .iter()
            .enumerate()
            .map(|(i, case)| {
                let Some((m, r)) = case else {
                    return Vec::new();
                };
                let mut scored: Vec<(usize, usize)> = cases
                    .iter()
                    .enumerate()
                    .filter(|(j, _)| *j != i)
                    .filter_map(|(j, other)| {
                        let (om, or) = other.as_ref()?;
                        let score = m.iter().filter(|s| om.contains(s)).count()
                            + 2 * r.iter().filter(|s| or.contains(s)).count();
                        (score > 0).then_some((score, j))
                    })
                    .collect();
                scored.sort_by_key(|&(score, _)| std::cmp::Reverse(score));
                scored
                    .into_iter()
                    .take(RELATED_LIMIT)
                    .map(|(_, j)| j)
                    .collect()
            })
            .collect()
    }

    #[test]
    fn related_cases_match_comparing_every_pair() {
        let modalities = ["ct", "mr", "us", "xr", "nm"];
        let regions = [
            "head", "chest", "abdomen", "knee", "spine", "pelvis", "neck",
        ];
        let mut seed: u64 = 42;
        let mut next = |n: usize| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as usize % n
        };
        let cases: Vec<Option<CaseTerms>> = (0..400)
            .map(|_| {
                if next(5) == 0 {
                    return None;
                }
                let mut m: Vec<&str> = (0..next(3)).map(|_| modalities[next(5)]).collect();
                let mut r: Vec<&str> = (0..next(3)).map(|_| regions[next(7)]).collect();
                m.dedup();
                r.dedup();
                m.sort();
                m.dedup();
                r.sort();
                r.dedup();
                Some((m, r))
            })
            .collect();
        assert_eq!(related_by_terms(&cases), related_naive(&cases));
    }
}
