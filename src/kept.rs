//! `PerPage`: a value made from each page, kept between builds of one process (`radpress
//! serve`) and made again only for pages whose key changed. Page summaries, social snippets and
//! search records use it.

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::content::Page;

pub struct PerPage<V> {
    /// Page path → (the key the value was made for, the value).
    entries: std::sync::Mutex<FxHashMap<String, (u64, V)>>,
}

impl<V> Default for PerPage<V> {
    fn default() -> Self {
        PerPage {
            entries: std::sync::Mutex::default(),
        }
    }
}

impl<V: Clone + Send + Sync> PerPage<V> {
    /// Per page, in order, its value: the kept one when `key` of the page is the one it was made
    /// for, else `make` of the page (in parallel). Pages that are gone are forgotten. The kept
    /// values are updated in place: a save in serve changes one or two of 10,000.
    pub fn all(
        &self,
        pages: &[Page],
        key: impl Fn(&Page) -> u64 + Sync,
        make: impl Fn(&Page) -> V + Sync,
    ) -> Vec<V> {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        let kept = &*entries;
        // Each value, and its key when it was made now.
        let built: Vec<(V, Option<u64>)> = pages
            .par_iter()
            .map(|page| {
                let k = key(page);
                match kept.get(&page.path) {
                    Some((kept, v)) if *kept == k => (v.clone(), None),
                    _ => (make(page), Some(k)),
                }
            })
            .collect();
        let mut made = 0;
        for (page, (v, k)) in pages.iter().zip(&built) {
            if let Some(k) = k {
                entries.insert(page.path.clone(), (*k, v.clone()));
                made += 1;
            }
        }
        if made > 0 || entries.len() != pages.len() {
            let present: rustc_hash::FxHashSet<&str> =
                pages.iter().map(|p| p.path.as_str()).collect();
            entries.retain(|path, _| present.contains(path.as_str()));
        }
        built.into_iter().map(|(v, _)| v).collect()
    }
}
