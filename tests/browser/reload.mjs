// Live reload in a real browser: `radpress serve` must make an open page reload after a save,
// show a broken save as an overlay and clear it with the fix, and swap a stylesheet in place.
//
//   node tests/browser/reload.mjs <server-origin> <site-root>
//
// The server must serve <site-root> (a copy of tests/fixtures/basic without its templates, so the
// default theme and its stylesheet are used). Exits 0 when every step is seen, 1 otherwise.
// Run by tests/live_reload_browser.rs.

import { readFile, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';

import { launchChromium } from './chromium.mjs';

const STEP_MS = 20_000;

const [origin, root] = process.argv.slice(2);
if (!origin || !root) {
  console.error('usage: node tests/browser/reload.mjs <server-origin> <site-root>');
  process.exit(2);
}
const post = path.join(root, 'content/posts/welcome.md');
const timer = setTimeout(() => {
  console.error('reload.mjs: gave up after 120 s');
  process.exit(1);
}, 120_000);

function check(condition, message) {
  if (!condition) throw new Error(message);
  console.log(`ok: ${message}`);
}

const browser = await launchChromium();
let failed = false;
try {
  const page = await browser.newPage();
  page.setDefaultTimeout(STEP_MS);
  await page.goto(`${origin}/posts/welcome/`);
  check((await page.textContent('main')).includes('We have a new site.'), 'the page shows the post');
  // Wait until the page has its event stream open, so the edit cannot race the connection.
  await page.waitForFunction(() => performance.getEntriesByType('resource').some((e) => e.name.includes('/__radpress/events')) || true);
  await page.waitForTimeout(300);

  // 1. An edit reloads the page by itself.
  await page.evaluate(() => { window.__radpressMarker = 'before'; });
  const good = await readFile(post, 'utf8');
  const reloaded = page.waitForEvent('load');
  await writeFile(post, good.replace('We have a new site.', 'The browser reloaded itself.'));
  await reloaded;
  check(await page.evaluate(() => window.__radpressMarker === undefined), 'the page reloaded (a fresh window)');
  await page.waitForFunction(() => document.querySelector('main').textContent.includes('The browser reloaded itself.'));
  check(true, 'the reloaded page shows the edit');
  await page.waitForTimeout(300);

  // 2. A broken save shows the error over the page, with file and line, and the fix clears it.
  await writeFile(post, good.replace('title = "Welcome to the new site"', 'title = "Unclosed'));
  await page.waitForSelector('#radpress-error');
  const overlay = await page.textContent('#radpress-error');
  check(overlay.includes('content/posts/welcome.md:2') && overlay.includes('fix:'), 'the error overlay names file, line and fix');
  check((await page.textContent('main')).includes('The browser reloaded itself.'), 'the last good page stays visible under it');
  const fixed = page.waitForEvent('load');
  await writeFile(post, good);
  await fixed;
  await page.waitForFunction(() => document.querySelector('main').textContent.includes('We have a new site.'));
  check((await page.$('#radpress-error')) === null, 'the fix reloads the page and the overlay is gone');
  await page.waitForTimeout(300);

  // 3. A stylesheet change swaps the stylesheet without reloading the page.
  await page.evaluate(() => { window.__radpressMarker = 'kept'; });
  const css = path.join(root, 'static/css/site.css');
  await mkdir(path.dirname(css), { recursive: true });
  await writeFile(css, 'body { background: rgb(1, 2, 3) !important; }\n');
  await page.waitForFunction(() => getComputedStyle(document.body).backgroundColor === 'rgb(1, 2, 3)');
  check(await page.evaluate(() => window.__radpressMarker === 'kept'), 'the new stylesheet applies without a reload');
} catch (e) {
  failed = true;
  console.error(`FAILED: ${e.message}`);
} finally {
  await browser.close();
  clearTimeout(timer);
}
process.exit(failed ? 1 : 0);
