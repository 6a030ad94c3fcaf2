#!/usr/bin/env bash
# Search benchmark on a synthetic site (../shared/bench/gen_site.py):
#
#   bench/search.sh [N]        (default: 10000 posts)
#
# Prints:
#   - the full build time (radpress build, release) and the Pagefind index build alone,
#   - the total index size (index, fragment and filter chunks, metadata) and file count,
#   - the bytes a browser downloads for the first query (headless Chromium, the search page,
#     `/search/?q=<word>` until the results show), split into Pagefind files and the rest,
#   - what `radpress serve` pays for a rebuild with no searchable change (index reused) and for
#     an edit of one post (the index is built again by Pagefind, which has no incremental API).
# The index numbers come from the ignored test `bench_search_index` in tests/search.rs.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
gen="$here/../shared/bench/gen_site.py"
work=${BENCH_DIR:-/dev/shm/radpress-bench}
n=${1:-10000}
query=${QUERY:-lesion}
gen_site="$work/site-$n"
site="$work/search-site-$n"
out="$work/out-search-$n"

mkdir -p "$work"
[ -f "$gen_site/site.toml" ] || python3 "$gen" "$gen_site" "$n" radpress --force >/dev/null
# The same site with its own copy of the default theme minus the share-card template, so the
# numbers are not swamped by rendering 10,000 PNG share cards (a separate output, benchmarked
# elsewhere).
if [ ! -f "$site/site.toml" ]; then
  rm -rf "$site"
  mkdir -p "$site/themes"
  cp -r "$gen_site/site.toml" "$gen_site/content" "$site/"
  [ -d "$gen_site/static" ] && cp -r "$gen_site/static" "$site/"
  cp -r "$here/themes/default" "$site/themes/default"
  rm -f "$site/themes/default/templates/card.svg"
fi
cargo build --release --quiet --manifest-path "$here/Cargo.toml"
radpress="$here/target/release/radpress"

rm -rf "$out"
start=$(date +%s.%N)
"$radpress" --root "$site" build --output "$out" >/dev/null
build_s=$(echo "$(date +%s.%N) - $start" | bc)
printf 'posts: %s\nfull build (release, cold): %.2f s\n' "$n" "$build_s"
printf 'pagefind folder on disk: %s in %s files\n' "$(du -sh "$out/pagefind" | cut -f1)" "$(find "$out/pagefind" -type f | wc -l)"

# The index build alone, the index size, and serve's rebuild costs.
RADPRESS_BENCH_SITE="$site" cargo test --release --quiet --manifest-path "$here/Cargo.toml" \
  --test search bench_search_index -- --ignored --nocapture 2>/dev/null | grep '^{' | python3 -c '
import json, sys
r = json.loads(sys.stdin.read())
print("records indexed: %d" % r["records"])
print("index build (pagefind, alone): %.2f s (cold in-memory render incl. index: %.2f s)" % (r["index_build_s"], r["cold_render_s"]))
print("index size: %.2f MB in %d files (with browser assets: %.2f MB)" % (r["index_bytes"] / 1e6, r["index_files"], r["pagefind_total_bytes"] / 1e6))
print("serve rebuild, nothing searchable changed: %.0f ms (index reused: %s)" % (r["rebuild_unchanged_s"] * 1000, r["rebuild_unchanged_index_reused"] > 0))
print("serve rebuild, one post edited: %.0f ms (pagefind builds so far: %d)" % (r["rebuild_edit_s"] * 1000, r["rebuild_edit_index_built"]))
'

# Bytes a browser downloads for the first query.
cd "$here"
node --input-type=module - "$out" "$query" <<'JS'
import { createRequire } from 'node:module';
import { serve } from './tests/browser/serve.mjs';
const require = createRequire(process.cwd() + '/');
const { chromium } = require('playwright-core');
const [root, query] = process.argv.slice(2);
const server = await serve(root);
const origin = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});
const page = await browser.newPage();
const sizes = [];
page.on('response', async (res) => {
  try { sizes.push({ url: res.url(), bytes: (await res.body()).length }); } catch { /* redirects */ }
});
await page.goto(`${origin}/search/?q=${encodeURIComponent(query)}`);
await page.waitForFunction(() => /result/i.test(document.getElementById('search-status').textContent), null, { timeout: 60000 });
await page.waitForTimeout(500);
const status = await page.textContent('#search-status');
const pf = sizes.filter((s) => s.url.includes('/pagefind/'));
const sum = (l) => l.reduce((a, s) => a + s.bytes, 0);
const wasm = pf.filter((s) => s.url.includes('wasm'));
const chunks = pf.filter((s) => /\/(index|fragment|filter)\//.test(s.url) || s.url.endsWith('.pf_meta'));
console.log(`first query "${query}": ${status}`);
console.log(`  pagefind downloads: ${(sum(pf) / 1024).toFixed(0)} KiB in ${pf.length} files ` +
  `(wasm ${(sum(wasm) / 1024).toFixed(0)} KiB; index/fragment/filter/meta chunks ${(sum(chunks) / 1024).toFixed(0)} KiB in ${chunks.length} files)`);
console.log(`  whole page incl. HTML, CSS, search.js: ${(sum(sizes) / 1024).toFixed(0)} KiB in ${sizes.length} files`);
await browser.close();
server.closeAllConnections?.();
server.close();
JS
