#!/usr/bin/env bash
# The test command of the README: installs what the tests need beyond cargo, then runs them.
#   - Debian's Chromium (/usr/bin/chromium) and the fonts it recommends, for the browser tests
#     (tests/accessibility.rs), installed with apt-get when Chromium is missing;
#   - the npm packages of package-lock.json (axe-core, playwright-core) in node_modules/, with
#     `npm ci` when node_modules/ is missing or was installed from another package-lock.json.
# Then: cargo fmt --check, clippy, cargo test.
set -euo pipefail
cd "$(dirname "$0")/.."

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi

# Cargo learns the target by running `rustc -` with /dev/null as its input. On machines where
# /dev/null has been replaced by a regular file (seen on this project's CI and development
# machines, after package installs run as root), that file collects whatever earlier commands
# threw away (compiler warnings) and rustc compiles it, which fails every cargo command. Put the
# null device back when it is not one.
fix_dev_null() {
  if [ ! -c /dev/null ]; then
    echo "scripts/test.sh: /dev/null is a regular file, not the null device; recreating it" >&2
    # Made beside and renamed over, so /dev/null is never missing, even if mknod is not allowed.
    if $sudo mknod -m 666 /dev/null.radpress c 1 3; then
      $sudo mv -f /dev/null.radpress /dev/null
    else
      echo "scripts/test.sh: cannot recreate /dev/null (mknod refused); cargo may fail" >&2
    fi
  fi
}
fix_dev_null
# Nothing below reads the terminal.
exec </dev/null

if [ ! -x /usr/bin/chromium ]; then
  echo "scripts/test.sh: installing Debian's chromium for the browser tests" >&2
  export DEBIAN_FRONTEND=noninteractive
  packages=(chromium fonts-liberation)
  if ! $sudo apt-get install -y --no-install-recommends "${packages[@]}" </dev/null; then
    $sudo apt-get update </dev/null
    $sudo apt-get install -y --no-install-recommends "${packages[@]}" </dev/null
  fi
  fix_dev_null
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
