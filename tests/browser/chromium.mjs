// How the browser tests and bench/serve-browser.mjs start Chromium: Debian's `chromium` (or
// $CHROMIUM), headless, through playwright-core, with the flags that keep it off the network and
// away from any profile but a fresh one.

import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** Launches headless Chromium; `options` go to playwright's `launch` (e.g. `timeout`). */
export function launchChromium(options = {}) {
  const { chromium } = require('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS, ...options });
}
