#!/usr/bin/env bash
# The test command of the README: installs what the tests need beyond cargo, then runs them.
#   - Debian's Chromium (/usr/bin/chromium) and the fonts it recommends, for the browser tests
#     (tests/accessibility.rs), installed with apt-get when Chromium is missing;
#   - the npm packages of package-lock.json (axe-core, playwright-core) in node_modules/, with
#     `npm ci` when node_modules/ is missing or was installed from another package-lock.json.
# Then: cargo fmt --check, clippy, cargo test.
set -euo pipefail
cd "$(dirname "$0")/.."
# Nothing below reads the terminal. Cargo's first call to rustc ("rustc -", to learn the target)
# reads its standard input, so whatever the caller left there (CI hands over a file) would be
# compiled as Rust and fail the run before any test. /dev/null makes that input empty.
exec </dev/null

if [ ! -x /usr/bin/chromium ]; then
  echo "scripts/test.sh: installing Debian's chromium for the browser tests" >&2
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  packages=(chromium fonts-liberation)
  if ! $sudo apt-get install -y --no-install-recommends "${packages[@]}" </dev/null; then
    $sudo apt-get update </dev/null
    $sudo apt-get install -y --no-install-recommends "${packages[@]}" </dev/null
  fi
fi

command -v node >/dev/null || { echo "scripts/test.sh: Node.js (node, npm) is needed for the browser tests" >&2; exit 1; }
lock_hash="$(sha256sum package.json package-lock.json | sha256sum | cut -d' ' -f1)"
stamp=node_modules/.radpress-installed
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lock_hash" ]; then
  echo "scripts/test.sh: npm ci (axe-core, playwright-core)" >&2
  npm ci --no-audit --no-fund </dev/null
  echo "$lock_hash" >"$stamp"
fi

cargo fmt --check
cargo clippy --all-targets --quiet -- -D warnings
cargo test
