// Site search in headless Chromium, end to end, against a built site served on loopback.
//
//   node tests/browser/search.mjs <built-site-dir> <query> <expected-first-path> <quiz-diagnosis> <quiz-path>
//
// 1. On the home page, types <query> into the header's search box and presses Enter (keyboard
//    only): the search page opens with ?q=, and the first result links to <expected-first-path>.
// 2. The result count is announced in the live status; every result has a title, a kind badge and
//    an excerpt with the matched words marked.
// 3. Chooses a modality in the filter (by keyboard): the list changes, and every result left shows
//    that modality.
// 4. Searches for a quiz case's diagnosis: no result is that quiz page.
// 5. No request goes to any host other than the local server.
// Prints `ok: ...` lines; exits 0 when all pass, 1 on a failure, 2 on bad usage.
// Run by tests/search.rs (which builds the demo site first).

import { launchChromium } from './chromium.mjs';
import { serve } from './serve.mjs';

const STEP_MS = 20_000;

const [root, query, expectedFirst, diagnosis, quizPath] = process.argv.slice(2);
if (!root || !query || !expectedFirst || !diagnosis || !quizPath) {
  console.error('usage: node tests/browser/search.mjs <built-site-dir> <query> <expected-first-path> <quiz-diagnosis> <quiz-path>');
  process.exit(2);
}
const timer = setTimeout(() => {
  console.error('search.mjs: gave up after 120 s');
  process.exit(1);
}, 120_000);

function check(condition, message) {
  if (!condition) throw new Error(message);
  console.log(`ok: ${message}`);
}

/** The result list as shown: [{ path, title, kind, chips, marks }]. */
async function results(page) {
  return page.$$eval('#search-results .search-result', (items) =>
    items.map((li) => {
      const a = li.querySelector('a.search-result__link');
      return {
        path: new URL(a.href).pathname,
        title: a.textContent.trim(),
        kind: li.querySelector('.badge')?.textContent.trim() || '',
        chips: [...li.querySelectorAll('.search-result__chip')].map((c) => c.textContent.trim()),
        marks: li.querySelectorAll('.search-result__excerpt mark').length,
      };
    }),
  );
}

/** Waits until the live status has been updated after the last action. */
async function settled(page, previousStatus) {
  await page.waitForFunction(
    (prev) => {
      const root = document.getElementById('search');
      const status = document.getElementById('search-status').textContent;
      return root.getAttribute('aria-busy') !== 'true' && status !== '' && status !== prev;
    },
    previousStatus,
  );
  return page.textContent('#search-status');
}

const server = await serve(root);
const origin = `http://127.0.0.1:${server.address().port}`;
const browser = await launchChromium();
let failed = false;
try {
  const context = await browser.newContext();
  const foreign = [];
  context.on('request', (req) => {
    const url = new URL(req.url());
    if (url.origin !== origin && url.protocol !== 'data:' && url.protocol !== 'blob:') foreign.push(req.url());
  });
  const page = await context.newPage();
  page.setDefaultTimeout(STEP_MS);
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));

  // 1. The header's box, by keyboard: focus it, type, Enter.
  await page.goto(`${origin}/`);
  const box = page.getByRole('search', { name: 'Site' }).getByRole('searchbox', { name: 'Search the site' });
  await box.focus();
  await page.keyboard.type(query);
  await page.keyboard.press('Enter');
  await page.waitForURL((u) => u.pathname === '/search/' && u.searchParams.get('q') === query);
  check(true, `Enter in the header's search box opens /search/?q=${query}`);
  const firstStatus = await settled(page, '');
  check(/\d+ results? for “/.test(firstStatus), `the live status announces the count: "${firstStatus}"`);
  check((await page.getAttribute('#search-status', 'aria-live')) === 'polite', 'the status is a polite live region');
  check((await page.inputValue('#search-q')) === query, 'the search page reads ?q= into its box');
  let list = await results(page);
  check(list.length > 0 && list[0].path === expectedFirst, `the first result is ${expectedFirst} (got ${list.map((r) => r.path).join(', ')})`);
  check(list.every((r) => r.title && r.kind), 'every result has a title and a kind badge');
  check(list[0].marks > 0, 'the first excerpt marks the matched words');

  // 2. A modality filter, chosen by keyboard, changes the list.
  await page.fill('#search-q', '');
  await page.fill('#search-q', 'scan');
  let status = await settled(page, firstStatus);
  const before = await results(page);
  const options = await page.$$eval('#search-filter-modality option', (os) => os.map((o) => o.value).filter(Boolean));
  check(options.length > 1, `the modality filter offers ${options.join(', ')}`);
  let changed = null;
  for (const modality of options) {
    await page.focus('#search-filter-modality');
    await page.selectOption('#search-filter-modality', modality);
    status = await settled(page, status);
    const after = await results(page);
    const same = after.length === before.length && after.every((r, i) => r.path === before[i].path);
    if (!same && after.length > 0) {
      changed = { modality, after, status };
      break;
    }
  }
  check(changed !== null, `a modality filter changes the list for "scan" (${before.length} results before)`);
  check(changed.after.every((r) => r.chips.some((c) => c.includes(changed.modality))), `every result left shows the modality ${changed.modality}`);
  check(changed.status.includes('filtered by'), `the status says the list is filtered: "${changed.status}"`);
  check(new URL(page.url()).searchParams.get('modality') === changed.modality, 'the address keeps the filter');
  await page.selectOption('#search-filter-modality', '');

  // 3. A quiz case's diagnosis does not find the quiz.
  await page.fill('#search-q', diagnosis);
  status = await settled(page, await page.textContent('#search-status'));
  list = await results(page);
  check(!list.some((r) => r.path === quizPath), `searching the diagnosis "${diagnosis}" does not find ${quizPath} (${status})`);
  for (const word of diagnosis.split(/\W+/).filter((w) => w.length > 5)) {
    await page.fill('#search-q', word);
    status = await settled(page, status).catch(() => page.textContent('#search-status'));
    list = await results(page);
    check(!list.some((r) => r.path === quizPath), `nor does "${word}"`);
  }

  check(foreign.length === 0, `no request to another host (${foreign.join(', ') || 'none'})`);
  check(errors.length === 0, `no script errors (${errors.join('; ') || 'none'})`);
} catch (e) {
  failed = true;
  console.error(`FAILED: ${e.message}`);
} finally {
  await browser.close();
  server.closeAllConnections?.();
  await new Promise((resolve) => server.close(resolve));
  clearTimeout(timer);
}
process.exit(failed ? 1 : 0);
