// Live preview as a reader sees it: the time from saving a post to the edited page painted in
// headless Chromium, through `radpress serve`'s reload.
//
//   node bench/serve-browser.mjs <server-origin> <post-file> <page-path> <edits> <gap-seconds>
//
// Opens <page-path>, then <edits> times: saves <post-file> with one new sentence, waits for the
// page to reload and show it, and takes the time from just before the save to the reloaded page's
// first contentful paint (Chromium's paint timing; the page's DOMContentLoaded when there is
// none). Both clocks are this machine's wall clock. Prints one JSON line:
// {"latencies_ms": [...], "timing": "first-contentful-paint" | "domcontentloaded"}.
// Run by bench/serve.py --browser.

import { readFile, writeFile } from 'node:fs/promises';

import { launchChromium } from '../tests/browser/chromium.mjs';

const [origin, post, pagePath, edits, gap] = process.argv.slice(2);
if (!origin || !post || !pagePath || !edits || !gap) {
  console.error('usage: node bench/serve-browser.mjs <server-origin> <post-file> <page-path> <edits> <gap-seconds>');
  process.exit(2);
}

const original = await readFile(post, 'utf8');
const browser = await launchChromium();
const latencies = [];
let timing = 'first-contentful-paint';
try {
  const page = await browser.newPage();
  page.setDefaultTimeout(30_000);
  await page.goto(`${origin}${pagePath}`);
  // Let the page open its event stream before the first save.
  await page.waitForTimeout(1000);
  for (let i = 0; i < Number(edits); i++) {
    const sentence = `Browser edit ${i} of the benchmark.`;
    const loaded = page.waitForEvent('load');
    const saved = performance.timeOrigin + performance.now();
    await writeFile(post, original.replace('\n\n', `\n\n${sentence}\n\n`));
    await loaded;
    await page.waitForFunction((s) => document.querySelector('main')?.textContent.includes(s), sentence);
    // The first paint is recorded a frame after load: wait for it rather than read too early.
    const shown = await page.evaluate(async () => {
      for (let tries = 0; tries < 50; tries++) {
        const paint = performance.getEntriesByName('first-contentful-paint')[0];
        if (paint) return { at: performance.timeOrigin + paint.startTime, paint: true };
        await new Promise((r) => setTimeout(r, 20));
      }
      const nav = performance.getEntriesByType('navigation')[0];
      return { at: performance.timeOrigin + nav.domContentLoadedEventEnd, paint: false };
    });
    if (!shown.paint) timing = 'domcontentloaded';
    latencies.push(shown.at - saved);
    await page.waitForTimeout(Number(gap) * 1000);
  }
} finally {
  await writeFile(post, original);
  await browser.close();
}
console.log(JSON.stringify({ latencies_ms: latencies, timing }));
