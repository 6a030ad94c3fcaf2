//! The site search: a Pagefind index built in-process from the site's pages (not from the output
//! folder), written under `/pagefind/` together with Pagefind's browser assets (which the crate
//! embeds), so search runs in the browser with no server and no request to another host.
//!
//! Each page that is not a draft becomes one custom record: its title, description and the text a
//! reader sees before any reveal. A quiz case's diagnosis, differential, teaching points, quiz
//! rationales and real title are never fed to the index, nor is its body (which sits inside the
//! reveal). Filters: kind, modality, body region, tag. The index is split into chunks by Pagefind,
//! so a first query downloads a small part of it.
//!
//! `SearchCache` keeps the files of the last index with a hash of every record: a rebuild in which
//! no record changed (most edits in `radpress serve` that only touch templates, or a page's
//! fields that are not searchable) reuses them without running Pagefind. The last index is also
//! kept on disk, in `.radpress-cache/search/<hash>.bin` at the site root, so that the next
//! `radpress build` with the same searchable text skips Pagefind too (a Pagefind run is most of
//! a full build's time). Pagefind is our patched copy (vendor/pagefind): it takes all records in
//! one call and fossicks and gzips them in parallel, writing the index upstream would.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use super::OutputFile;
use crate::content::Page;
use crate::error::{Error, Result};
use crate::site::Site;

/// Where the index and Pagefind's browser files go.
pub const BUNDLE_DIR: &str = "/pagefind/";
/// Where the last index is kept between builds, under the site root.
pub const CACHE_DIR: &str = ".radpress-cache/search";
/// First bytes of a kept index (its format's version).
const CACHE_MAGIC: &[u8] = b"radpress-search-1\n";

/// One page as Pagefind sees it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Record {
    /// Site path (`/cases/x/`); the search UI prefixes the site's base path.
    pub url: String,
    /// The searchable text.
    pub content: String,
    /// Shown with a result: title, kind, modality, region, image.
    pub meta: BTreeMap<String, String>,
    /// kind, modality, region, tag.
    pub filters: BTreeMap<String, Vec<String>>,
    /// date (YYYY-MM-DD), when the page has one.
    pub sort: BTreeMap<String, String>,
}

/// Files of an index, by path inside the bundle folder.
type IndexFiles = Vec<(String, Arc<[u8]>)>;

/// An index to build: the records of the newest content and their hash.
struct PendingIndex {
    hash: u64,
    language: String,
    records: Vec<Record>,
}

/// A page's record (None when it is not indexed) and the record's hash.
type KeptRecord = (Option<Arc<Record>>, u64);

/// The last index: a hash of its records and its files.
#[derive(Default)]
pub struct SearchCache {
    last: Mutex<Option<(u64, IndexFiles)>>,
    /// Per page, its record and the record's hash, kept while the page is unchanged.
    records: crate::kept::PerPage<KeptRecord>,
    /// Keep serving the last index when records change (set by `radpress serve`, where a full
    /// Pagefind run per save would hold up the reload: at 10,000 posts it takes many seconds).
    pub keep_stale: std::sync::atomic::AtomicBool,
    /// Set when the index served is older than the content.
    pub stale: std::sync::atomic::AtomicBool,
    /// The records of the newest content while a stale index is served: what `refresh` indexes.
    pending: Mutex<Option<PendingIndex>>,
    /// Set while a refresh runs (`radpress serve` runs one at a time, beside the rebuilds).
    pub refreshing: std::sync::atomic::AtomicBool,
    /// Times the index was built by Pagefind, and reused, since this cache was made.
    pub built: AtomicUsize,
    pub reused: AtomicUsize,
    /// The engine renders once (`radpress build`): records are hashed and dropped, not kept,
    /// and made again only if Pagefind must run.
    pub one_shot: bool,
}

/// The Pagefind language code of a site language (`en-GB` → `en`).
fn pagefind_language(language: &str) -> String {
    let primary = language.split(['-', '_']).next().unwrap_or("en").trim();
    if primary.is_empty() {
        "en".into()
    } else {
        primary.to_ascii_lowercase()
    }
}

fn push_text(content: &mut String, text: &str) {
    let text = text.trim();
    if !text.is_empty() {
        if !content.is_empty() {
            content.push_str("\n\n");
        }
        content.push_str(text);
    }
}

fn labels<'a>(terms: impl IntoIterator<Item = &'a crate::content::Term>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for t in terms {
        if !out.contains(&t.label) {
            out.push(t.label.clone());
        }
    }
    out
}

/// The record of one page, or None for a page that must not be indexed (a draft).
pub fn record(page: &Page) -> Option<Record> {
    if page.draft {
        return None;
    }
    let mut content = String::new();
    push_text(&mut content, &page.title);
    push_text(&mut content, &page.description);
    let mut modalities = Vec::new();
    let mut regions = Vec::new();
    let mut image = None;
    if let Some(case) = &page.case {
        // Only what is shown before the reveal: presentation and findings. The diagnosis,
        // differential, teaching points, quiz and real title are never indexed; a quiz case's
        // body is inside its reveal, so it is left out too.
        push_text(&mut content, &case.presentation);
        for study in &case.studies {
            push_text(&mut content, &study.findings_text);
        }
        if !case.is_quiz {
            push_text(&mut content, &page.text);
        }
        modalities = labels(&case.modalities);
        regions = labels(&case.body_regions);
        image = case
            .studies
            .iter()
            .flat_map(|s| s.images.iter())
            .next()
            .map(|im| im.url.clone());
    } else {
        if let Some(person) = &page.person {
            for part in [&person.role, &person.specialty, &person.credentials]
                .into_iter()
                .flatten()
            {
                push_text(&mut content, part);
            }
            push_text(&mut content, &person.subspecialties.join(", "));
            image = person.photo.clone();
        }
        if let Some(education) = &page.education {
            modalities = labels(&education.modalities);
            if let Some(procedure) = &education.procedure {
                push_text(&mut content, procedure);
            }
        }
        push_text(&mut content, &page.text);
    }
    let tags = labels(&page.tags);
    push_text(&mut content, &modalities.join(" "));
    push_text(&mut content, &regions.join(" "));
    push_text(&mut content, &tags.join(" "));

    let mut meta = BTreeMap::new();
    meta.insert("title".to_string(), page.title.clone());
    meta.insert("kind".to_string(), page.kind_label.to_string());
    if !modalities.is_empty() {
        meta.insert("modality".to_string(), modalities.join(", "));
    }
    if !regions.is_empty() {
        meta.insert("region".to_string(), regions.join(", "));
    }
    if let Some(image) = image {
        meta.insert("image".to_string(), image);
    }
    if let Some(d) = &page.date {
        meta.insert("date".to_string(), d.display.clone());
    }

    let mut filters = BTreeMap::new();
    filters.insert("kind".to_string(), vec![page.kind_label.to_string()]);
    for (name, values) in [("modality", modalities), ("region", regions), ("tag", tags)] {
        if !values.is_empty() {
            filters.insert(name.to_string(), values);
        }
    }
    let mut sort = BTreeMap::new();
    if let Some(d) = &page.date {
        sort.insert("date".to_string(), d.ymd.clone());
    }
    Some(Record {
        url: page.path.clone(),
        content,
        meta,
        filters,
        sort,
    })
}

/// The records of every page of the site that may be indexed, in site order.
pub fn records(site: &Site) -> Vec<Record> {
    use rayon::prelude::*;
    site.pages.par_iter().filter_map(record).collect()
}

/// A hash of one record (what decides whether the index must be built again).
fn hash_record(record: &Record) -> u64 {
    use std::hash::{Hash, Hasher};
    struct H(xxhash_rust::xxh3::Xxh3);
    impl Hasher for H {
        fn finish(&self) -> u64 {
            self.0.digest()
        }
        fn write(&mut self, bytes: &[u8]) {
            self.0.update(bytes);
        }
    }
    let mut h = H(xxhash_rust::xxh3::Xxh3::new());
    record.hash(&mut h);
    h.finish()
}

/// Per page, its record (None for a page that is not indexed) and the record's hash, reused
/// from the last build while the page is unchanged.
fn page_records(site: &Site, cache: &SearchCache) -> Vec<KeptRecord> {
    cache.records.all(
        &site.pages,
        |page| {
            let mut h = xxhash_rust::xxh3::Xxh3::with_seed(page.version);
            h.update(&[page.draft as u8]);
            h.digest()
        },
        |page| {
            let r = record(page).map(Arc::new);
            let rh = r.as_deref().map_or(0, hash_record);
            (r, rh)
        },
    )
}

/// A hash of the whole index's input: radpress's version, the language and the hash of every
/// record, in site order.
fn hash_records(language: &str, record_hashes: impl Iterator<Item = u64>) -> u64 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.update(env!("CARGO_PKG_VERSION").as_bytes());
    h.update(language.as_bytes());
    for rh in record_hashes {
        h.update(&rh.to_le_bytes());
    }
    h.digest()
}

fn pagefind_error(e: impl std::fmt::Display) -> Error {
    Error::Io {
        path: "pagefind".into(),
        source: std::io::Error::other(format!("building the search index: {e}")),
    }
}

/// Runs Pagefind over `records`: the index files and Pagefind's browser files, by path inside
/// the bundle folder (`pagefind.js`, `index/en_….pf_index`, …).
pub fn build_index(language: &str, records: Vec<Record>) -> Result<Vec<(String, Vec<u8>)>> {
    run_pagefind(language, records, Feed::Batch(PAGEFIND_BATCH))
}

/// How many records Pagefind fossicks at once before folding them into the index: enough to
/// keep both cores busy, few enough that their fossicked words stay a small part of a build's
/// memory.
const PAGEFIND_BATCH: usize = 1024;

/// How the records reach Pagefind.
#[derive(Clone, Copy)]
enum Feed {
    /// Through our Pagefind patches (vendor/pagefind/RADPRESS-PATCHES.md): fossicked in
    /// parallel a batch at a time, each batch folded into the index before the next. Upstream
    /// fossicks one record at a time under a lock, holds every fossicked page, then copies
    /// them all, so most of a run used one core and the whole site's words were held at once.
    Batch(usize),
    /// One `add_custom_record` per record and `get_files`, as upstream Pagefind offers: what
    /// `Batch` must match file for file.
    #[cfg(test)]
    OneByOne,
}

fn run_pagefind(
    language: &str,
    records: Vec<Record>,
    feed: Feed,
) -> Result<Vec<(String, Vec<u8>)>> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|source| Error::Io {
            path: "pagefind".into(),
            source,
        })?;
    let language = language.to_string();
    runtime.block_on(async move {
        let options = pagefind::options::PagefindServiceConfig::builder()
            .force_language(language.clone())
            .build();
        let index = pagefind::api::PagefindIndex::new(Some(options)).map_err(pagefind_error)?;
        // Moved, not copied: the records' text is a good part of a build's memory.
        let custom = |r: Record| {
            (
                r.url,
                r.content,
                language.clone(),
                Some(r.meta),
                Some(r.filters),
                Some(r.sort),
            )
        };
        let files = match feed {
            Feed::Batch(size) => {
                let batch = records.into_iter().map(custom).collect();
                index
                    .custom_records_into_files(batch, size)
                    .await
                    .map_err(pagefind_error)?
            }
            #[cfg(test)]
            Feed::OneByOne => {
                let mut index = index;
                for r in records {
                    let (url, content, language, meta, filters, sort) = custom(r);
                    index
                        .add_custom_record(url, content, language, meta, filters, sort)
                        .await
                        .map_err(pagefind_error)?;
                }
                index.get_files().await.map_err(pagefind_error)?
            }
        };
        let mut files: Vec<(String, Vec<u8>)> = files
            .into_iter()
            .map(|f| {
                let name = f
                    .filename
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/");
                (name, f.contents)
            })
            .collect();
        // Pagefind lists its filter files in hash-map order, which changes from run to run;
        // sorted by name, the same records always give the same list.
        files.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        Ok(files)
    })
}

/// The search index of the site under `/pagefind/`, reused from `cache` when no record changed.
pub fn search_index(site: &Site, cache: &SearchCache) -> Result<Vec<OutputFile>> {
    use rayon::prelude::*;
    let language = pagefind_language(&site.config.language);
    // Kept per page between builds of one process; a one-shot build only needs their hashes.
    let kept = (!cache.one_shot).then(|| page_records(site, cache));
    let hash = match &kept {
        Some(kept) => hash_records(
            &language,
            kept.iter().filter_map(|(r, rh)| r.is_some().then_some(*rh)),
        ),
        None => {
            let hashes: Vec<u64> = site
                .pages
                .par_iter()
                .filter_map(|page| record(page).map(|r| hash_record(&r)))
                .collect();
            hash_records(&language, hashes.into_iter())
        }
    };
    let records = || -> Vec<Record> {
        match &kept {
            Some(kept) => kept
                .iter()
                .filter_map(|(r, _)| r.as_deref().cloned())
                .collect(),
            None => records(site),
        }
    };
    let mut last = cache.last.lock().unwrap_or_else(|e| e.into_inner());
    let keep_stale = cache.keep_stale.load(Ordering::Relaxed);
    let files = match last.as_ref() {
        Some((h, files)) if *h == hash => {
            cache.reused.fetch_add(1, Ordering::Relaxed);
            files.clone()
        }
        Some((_, files)) if keep_stale => {
            cache.reused.fetch_add(1, Ordering::Relaxed);
            cache.stale.store(true, Ordering::Relaxed);
            let records = records();
            *cache.pending.lock().unwrap_or_else(|e| e.into_inner()) = Some(PendingIndex {
                hash,
                language: language.clone(),
                records,
            });
            files.clone()
        }
        _ => {
            let kept = site.root.join(CACHE_DIR).join(format!("{hash:016x}.bin"));
            let files = match read_kept(&kept) {
                Some(files) => {
                    cache.reused.fetch_add(1, Ordering::Relaxed);
                    files
                }
                None => {
                    let records = records();
                    let built: IndexFiles = build_index(&language, records)?
                        .into_iter()
                        .map(|(name, bytes)| (name, Arc::from(bytes)))
                        .collect();
                    cache.built.fetch_add(1, Ordering::Relaxed);
                    // The kept copy only saves time: a site root that cannot be written to
                    // still builds.
                    let _ = keep_on_disk(&kept, &built);
                    built
                }
            };
            *last = Some((hash, files.clone()));
            files
        }
    };
    Ok(files
        .into_iter()
        .map(|(name, bytes)| {
            OutputFile::bytes(format!("{BUNDLE_DIR}{name}"), bytes, "search index")
        })
        .collect())
}

/// Whether a stale index is waiting for `refresh`.
pub fn refresh_pending(cache: &SearchCache) -> bool {
    cache
        .pending
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .is_some()
}

/// Build the index of the newest records a stale index stands in for, and make it the cache's
/// last index: its output files, or None when nothing is pending.
pub fn refresh(cache: &SearchCache) -> Option<Result<Vec<OutputFile>>> {
    let pending = cache
        .pending
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .take()?;
    let built: IndexFiles = match build_index(&pending.language, pending.records) {
        Ok(files) => files
            .into_iter()
            .map(|(name, bytes)| (name, Arc::from(bytes)))
            .collect(),
        Err(e) => return Some(Err(e)),
    };
    cache.built.fetch_add(1, Ordering::Relaxed);
    let still_newest = cache
        .pending
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .is_none();
    if still_newest {
        cache.stale.store(false, Ordering::Relaxed);
    }
    *cache.last.lock().unwrap_or_else(|e| e.into_inner()) = Some((pending.hash, built.clone()));
    Some(Ok(built
        .into_iter()
        .map(|(name, bytes)| {
            OutputFile::bytes(format!("{BUNDLE_DIR}{name}"), bytes, "search index")
        })
        .collect()))
}

/// The index kept at `path` by an earlier build, if it is there and whole.
fn read_kept(path: &std::path::Path) -> Option<IndexFiles> {
    let bytes = std::fs::read(path).ok()?;
    let mut rest = bytes.strip_prefix(CACHE_MAGIC)?;
    let mut take = |n: usize| -> Option<&[u8]> {
        let (head, tail) = (rest.get(..n)?, rest.get(n..)?);
        rest = tail;
        Some(head)
    };
    let count = u64::from_le_bytes(take(8)?.try_into().ok()?);
    let mut files = Vec::new();
    for _ in 0..count {
        let name_len = u64::from_le_bytes(take(8)?.try_into().ok()?) as usize;
        let name = String::from_utf8(take(name_len)?.to_vec()).ok()?;
        let len = u64::from_le_bytes(take(8)?.try_into().ok()?) as usize;
        files.push((name, Arc::from(take(len)?)));
    }
    rest.is_empty().then_some(files)
}

/// Keep `files` at `path` for the next build, and remove indexes kept for other text.
fn keep_on_disk(path: &std::path::Path, files: &IndexFiles) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(std::path::Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut bytes = CACHE_MAGIC.to_vec();
    bytes.extend((files.len() as u64).to_le_bytes());
    for (name, data) in files {
        bytes.extend((name.len() as u64).to_le_bytes());
        bytes.extend(name.as_bytes());
        bytes.extend((data.len() as u64).to_le_bytes());
        bytes.extend(data.iter());
    }
    // Written beside and renamed: a concurrent build never reads half an index.
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    if let Err(e) = std::fs::write(&tmp, &bytes).and_then(|()| std::fs::rename(&tmp, path)) {
        // A full disk must not keep a half-written index that keeps it full.
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    // The site root: `<root>/.radpress-cache/search/<hash>.bin`.
    let root = dir.parent().and_then(std::path::Path::parent);
    let Some(_prune) = root.and_then(crate::cache::may_prune) else {
        return Ok(());
    };
    for entry in std::fs::read_dir(dir)?.flatten() {
        let other = entry.path();
        let ours = entry
            .file_name()
            .to_str()
            .is_some_and(crate::cache::is_entry_name);
        if other != path && ours && other.extension().is_some_and(|e| e == "bin") {
            let _ = std::fs::remove_file(other);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_codes_are_primary_subtags() {
        assert_eq!(pagefind_language("en-GB"), "en");
        assert_eq!(pagefind_language("DE"), "de");
        assert_eq!(pagefind_language(""), "en");
    }

    #[test]
    fn records_are_turned_into_a_chunked_index_with_browser_files() {
        let record = Record {
            url: "/education/contrast/".into(),
            content: "Contrast allergy: what to tell us before your scan".into(),
            meta: BTreeMap::from([("title".to_string(), "Contrast dye".to_string())]),
            filters: BTreeMap::from([("kind".to_string(), vec!["Patient education".to_string()])]),
            sort: BTreeMap::new(),
        };
        let files = build_index("en", vec![record]).unwrap();
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        for expected in ["pagefind.js", "pagefind-entry.json", "wasm.en.pagefind"] {
            assert!(names.contains(&expected), "{expected} in {names:?}");
        }
        assert!(names.iter().any(|n| n.starts_with("index/")), "{names:?}");
        assert!(
            names.iter().any(|n| n.starts_with("fragment/")),
            "{names:?}"
        );
    }

    /// Records that exercise what the index holds: words with diacritic variants, meta fields
    /// first seen late (and sorting before the others), filters, sorts, a record without words
    /// and a later record with an earlier one's URL.
    fn test_records() -> Vec<Record> {
        let words = [
            "contrast",
            "gadolinium",
            "MRI",
            "knee",
            "meniscus",
            "tear",
            "résumé",
            "T2-weighted",
            "CT",
            "abdomen",
            "appendicitis",
            "lesion",
            "nodule",
            "follow-up",
            "biopsy",
        ];
        let mut records: Vec<Record> = (0..60)
            .map(|i| {
                let content = (0..40)
                    .map(|j| words[(i * 7 + j * 3) % words.len()])
                    .collect::<Vec<_>>()
                    .join(" ");
                let modality = ["CT", "MRI", "Ultrasound"][i % 3].to_string();
                Record {
                    url: format!("/cases/case-{i}/"),
                    content,
                    meta: BTreeMap::from([
                        (
                            "title".to_string(),
                            format!("Case {i}: {}", words[i % words.len()]),
                        ),
                        ("modality".to_string(), modality.clone()),
                    ])
                    .into_iter()
                    // Fields first seen in a later batch, and sorting before the others
                    .chain((i % 5 == 4).then(|| ("image".to_string(), format!("/img/{i}.png"))))
                    .chain((i > 40).then(|| ("author".to_string(), "Dr Lee".to_string())))
                    .collect(),
                    filters: BTreeMap::from([
                        ("kind".to_string(), vec!["Case".to_string()]),
                        ("modality".to_string(), vec![modality]),
                    ]),
                    sort: BTreeMap::from([(
                        "date".to_string(),
                        format!("2025-01-{:02}", i % 28 + 1),
                    )]),
                }
            })
            .collect();
        // A page without words is left out, its own meta field with it
        records[13].content.clear();
        records[13]
            .meta
            .insert("aaa-only-here".to_string(), "Unindexed".to_string());
        // A later record with an earlier one's URL takes its place
        let mut again = records[3].clone();
        again.content = "pneumothorax apical pleural line".to_string();
        records.push(again);
        records
    }

    /// The batches give upstream Pagefind's own index: the names listed were written by
    /// unpatched Pagefind for these records, and Pagefind names each index file by a hash of
    /// its contents.
    #[test]
    fn the_batch_index_is_upstream_pagefinds() {
        let upstream: Vec<&str> = include_str!("search-upstream-index.txt")
            .lines()
            .filter(|l| !l.starts_with('#'))
            .collect();
        let is_index = |name: &str| {
            ["filter/", "index/", "fragment/", "pagefind.en_"]
                .iter()
                .any(|p| name.starts_with(p))
        };
        for size in [7, 1024] {
            let files = run_pagefind("en", test_records(), Feed::Batch(size)).unwrap();
            let names: Vec<&str> = files
                .iter()
                .map(|(n, _)| n.as_str())
                .filter(|n| is_index(n))
                .collect();
            assert_eq!(names, upstream, "batches of {size}");
        }
    }

    /// Our Pagefind patches change how the work is done, never the index: the batch path writes
    /// the files that one `add_custom_record` per record writes, byte for byte.
    #[test]
    fn the_batch_index_is_the_one_record_at_a_time_index() {
        let records = test_records();
        let one_by_one = run_pagefind("en", records.clone(), Feed::OneByOne).unwrap();
        assert!(one_by_one.iter().any(|(n, _)| n.starts_with("fragment/")));
        for size in [1, 7, 1024] {
            let batch = run_pagefind("en", records.clone(), Feed::Batch(size)).unwrap();
            assert_eq!(batch.len(), one_by_one.len(), "batches of {size}");
            for (a, b) in batch.iter().zip(&one_by_one) {
                assert_eq!(a.0, b.0, "batches of {size}");
                assert!(a.1 == b.1, "{} differs in batches of {size}", a.0);
            }
        }
    }

    #[test]
    fn a_kept_index_reads_back_whole_and_a_damaged_one_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let _held = crate::cache::open(dir.path()).unwrap();
        let path = dir.path().join(CACHE_DIR).join("00000000000000aa.bin");
        let files: IndexFiles = vec![
            ("pagefind.js".into(), Arc::from(&b"js"[..])),
            ("index/en_1.pf_index".into(), Arc::from(&[0u8, 1, 2][..])),
        ];
        keep_on_disk(&path, &files).unwrap();
        assert_eq!(read_kept(&path), Some(files.clone()));
        // A newer index replaces the older one.
        let newer = dir.path().join(CACHE_DIR).join("00000000000000bb.bin");
        keep_on_disk(&newer, &files).unwrap();
        assert!(!path.exists() && newer.exists());
        let bytes = std::fs::read(&newer).unwrap();
        std::fs::write(&newer, &bytes[..bytes.len() - 1]).unwrap();
        assert_eq!(read_kept(&newer), None, "a cut file is not an index");
        std::fs::write(&newer, b"something else").unwrap();
        assert_eq!(read_kept(&newer), None);
    }
}
