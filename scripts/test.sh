#!/usr/bin/env bash
# The test command of the README: installs what the tests need beyond cargo, then runs them.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo fmt --check
cargo clippy --all-targets --quiet -- -D warnings
cargo test
