// Accessibility check of built pages: axe-core in headless Chromium, WCAG 2.2 A and AA.
//
//   node tests/browser/axe.mjs <built-site-dir> <path> [<path> ...]
//
// Serves <built-site-dir> on 127.0.0.1 (ephemeral port), opens each path in Debian's Chromium
// (/usr/bin/chromium, or $CHROMIUM) through playwright-core, in the light and the dark colour
// scheme, and, where the page has closed <details> (a quiz's reveal), once more with them open.
// Prints a JSON summary; exits 0 when axe finds no violation, 1 when it finds any (listed by
// rule, impact, help, target selectors and page), 2 when the check itself could not run.
// Run by tests/accessibility.rs; scripts/test.sh installs Chromium and the npm packages.

import { createRequire } from 'node:module';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';

import { CHROMIUM, launchChromium } from './chromium.mjs';
import { serve } from './serve.mjs';

const require = createRequire(import.meta.url);

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];
const SCHEMES = ['light', 'dark'];
const LAUNCH_TIMEOUT_MS = 60_000;
const PAGE_TIMEOUT_MS = 30_000;
const AXE_TIMEOUT_MS = 60_000;
// The whole run, whatever happens: a hung browser must not hang the test suite.
const TOTAL_TIMEOUT_MS = 300_000;

function usage(message) {
  console.error(`axe.mjs: ${message}`);
  console.error('usage: node tests/browser/axe.mjs <built-site-dir> <path> [<path> ...]');
  process.exit(2);
}

function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Runs axe on the page as it is now: its violations, trimmed for the report, and how many
 * elements of each rule axe left for a person to review. */
async function runAxe(page, axeSource) {
  const hasAxe = await page.evaluate(() => typeof window.axe !== 'undefined');
  if (!hasAxe) await page.addScriptTag({ content: axeSource });
  const result = await withTimeout(
    page.evaluate(
      (values) =>
        window.axe.run(document, {
          runOnly: { type: 'tag', values },
          resultTypes: ['violations', 'incomplete'],
        }),
      TAGS,
    ),
    AXE_TIMEOUT_MS,
    'axe.run',
  );
  // What axe could not decide (text over an image, say): reported for a person to look at,
  // not a failure.
  const needsReview = {};
  for (const r of result.incomplete) needsReview[r.id] = r.nodes.length;
  const violations = result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    helpUrl: v.helpUrl,
    nodes: v.nodes.map((n) => ({
      target: n.target.map((t) => (Array.isArray(t) ? t.join(' >>> ') : t)),
      summary: n.failureSummary,
    })),
  }));
  return { violations, needsReview };
}

async function main() {
  const [dirArg, ...paths] = process.argv.slice(2);
  if (!dirArg) usage('missing <built-site-dir>');
  if (paths.length === 0) usage('missing <path>');
  for (const p of paths) if (!p.startsWith('/')) usage(`a path starts with "/": ${p}`);
  const root = path.resolve(dirArg);
  if (!(await stat(root).catch(() => null))?.isDirectory()) usage(`not a folder: ${root}`);

  let axeSource;
  try {
    require.resolve('playwright-core');
    axeSource = await readFile(require.resolve('axe-core'), 'utf8');
  } catch (e) {
    console.error(`axe.mjs: ${e.message}`);
    console.error('run scripts/test.sh, which installs Chromium and the npm packages');
    process.exit(2);
  }
  if (!(await stat(CHROMIUM).catch(() => null))) {
    console.error(`axe.mjs: no Chromium at ${CHROMIUM}`);
    console.error('run scripts/test.sh, which installs Chromium and the npm packages');
    process.exit(2);
  }

  const server = await serve(root);
  const origin = `http://127.0.0.1:${server.address().port}`;
  let browser;
  const runs = [];
  const violations = [];
  const failures = [];
  const started = Date.now();
  try {
    browser = await launchChromium({ timeout: LAUNCH_TIMEOUT_MS });
    const context = await browser.newContext();
    context.setDefaultTimeout(PAGE_TIMEOUT_MS);
    context.setDefaultNavigationTimeout(PAGE_TIMEOUT_MS);
    // Only the site itself: the machine's network is closed and the pages must not need it.
    await context.route('**/*', (route) =>
      route.request().url().startsWith(origin + '/') || route.request().url().startsWith('data:')
        ? route.continue()
        : route.abort('blockedbyclient'),
    );
    for (const urlPath of paths) {
      for (const colorScheme of SCHEMES) {
        const page = await context.newPage();
        const missing = [];
        page.on('response', (r) => {
          if (r.status() >= 400) missing.push(`${r.status()} ${new URL(r.url()).pathname}`);
        });
        try {
          await page.emulateMedia({ colorScheme });
          const response = await page.goto(origin + urlPath, { waitUntil: 'load' });
          if (!response || response.status() !== 200) {
            failures.push(`${urlPath}: HTTP ${response ? response.status() : 'no response'}`);
            continue;
          }
          const states = ['as loaded'];
          const closedDetails = await page.locator('details:not([open])').count();
          if (closedDetails > 0) states.push('details open');
          for (const state of states) {
            if (state === 'details open') {
              await page.evaluate(() => {
                for (const d of document.querySelectorAll('details')) d.open = true;
              });
            }
            const found = await runAxe(page, axeSource);
            const where = { page: urlPath, colorScheme, state };
            runs.push({
              ...where,
              violations: found.violations.length,
              needsReview: found.needsReview,
            });
            for (const v of found.violations) violations.push({ ...where, ...v });
          }
          if (missing.length) failures.push(`${urlPath}: failed requests: ${missing.join(', ')}`);
        } finally {
          await page.close().catch(() => {});
        }
      }
    }
  } finally {
    if (browser) await browser.close().catch(() => {});
    server.closeAllConnections?.();
    await new Promise((resolve) => server.close(resolve));
  }

  const summary = {
    axe: require('axe-core/package.json').version,
    tags: TAGS,
    seconds: Math.round((Date.now() - started) / 100) / 10,
    runs,
    violations: violations.length,
    failures,
  };
  console.log(JSON.stringify(summary, null, 2));

  if (violations.length > 0) {
    console.log(`\n${violations.length} accessibility violation(s):`);
    for (const v of violations) {
      console.log(`\n- ${v.id} (${v.impact}): ${v.help}`);
      console.log(`  page: ${v.page} [${v.colorScheme}, ${v.state}]`);
      console.log(`  see: ${v.helpUrl}`);
      for (const n of v.nodes) {
        console.log(`  target: ${n.target.join(' ')}`);
        if (n.summary) console.log('    ' + n.summary.split('\n').join('\n    '));
      }
    }
  }
  if (failures.length > 0) {
    console.log('\nthe pages could not be checked as asked:');
    for (const f of failures) console.log(`- ${f}`);
  }
  if (violations.length > 0) return 1;
  if (failures.length > 0) return 2;
  return 0;
}

const deadline = setTimeout(() => {
  console.error(`axe.mjs: gave up after ${TOTAL_TIMEOUT_MS / 1000} s`);
  process.exit(2);
}, TOTAL_TIMEOUT_MS);
deadline.unref();

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    console.error(`axe.mjs: ${e.stack || e}`);
    process.exitCode = 2;
  },
);
