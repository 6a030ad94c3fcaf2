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
    /// for, else `make` of the page (in parallel). Pages that are gone are forgotten.
    pub fn all(
        &self,
        pages: &[Page],
        key: impl Fn(&Page) -> u64 + Sync,
        make: impl Fn(&Page) -> V + Sync,
    ) -> Vec<V> {
        let previous = std::mem::take(&mut *self.entries.lock().unwrap_or_else(|e| e.into_inner()));
        let built: Vec<(u64, V)> = pages
            .par_iter()
            .map(|page| {
                let k = key(page);
                match previous.get(&page.path) {
                    Some((kept, v)) if *kept == k => (k, v.clone()),
                    _ => (k, make(page)),
                }
            })
            .collect();
        let next = pages
            .iter()
            .zip(&built)
            .map(|(p, kv)| (p.path.clone(), kv.clone()))
            .collect();
        *self.entries.lock().unwrap_or_else(|e| e.into_inner()) = next;
        built.into_iter().map(|(_, v)| v).collect()
    }
}
