#!/usr/bin/env bash
# Share-card benchmark: a full build of the generated N-post site (default 1000) with an empty
# card cache (cold: every card rendered) and again with nothing changed (warm: every card from
# .radpress-cache/cards/), output on tmpfs. Prints wall and CPU time of each build, the card
# count, milliseconds per card (wall and CPU, from cold minus warm) and card sizes.
#
#   bench/cards.sh [N]
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
gen="$here/../shared/bench/gen_site.py"
work=${BENCH_DIR:-/dev/shm/radpress-cards-bench}
n=${1:-1000}

cargo build --release --quiet --manifest-path "$here/Cargo.toml"
radpress="$here/target/release/radpress"
site="$work/site-$n"
[ -f "$site/site.toml" ] || python3 "$gen" "$site" "$n" radpress >/dev/null

# Runs a build; prints "wall_s cpu_s".
timed() {
  /usr/bin/time -f '%e %U %S' -o "$work/time" "$radpress" --root "$site" build --force --output "$work/out" >"$work/log"
  awk '{printf "%.3f %.3f\n", $1, $2 + $3}' "$work/time"
}

rm -rf "$site/.radpress-cache" "$work/out"
read -r cold_wall cold_cpu < <(timed)
cold_log=$(cat "$work/log")
rm -rf "$work/out"
read -r warm_wall warm_cpu < <(timed)
warm_log=$(cat "$work/log")
cards=$(find "$site/.radpress-cache/cards" -name '*.png' | wc -l)
echo "cold: $cold_log"
echo "warm: $warm_log"
awk -v n="$n" -v c="$cards" -v cw="$cold_wall" -v cc="$cold_cpu" -v ww="$warm_wall" -v wc="$warm_cpu" 'BEGIN {
  printf "%d posts, %d cards (%d cores)\n", n, c, '"$(nproc)"'
  printf "cold build: %.2f s wall, %.2f s CPU\n", cw, cc
  printf "warm build: %.2f s wall, %.2f s CPU\n", ww, wc
  printf "per card:   %.1f ms wall, %.1f ms CPU\n", (cw - ww) * 1000 / c, (cc - wc) * 1000 / c
}'
find "$site/.radpress-cache/cards" -name '*.png' -printf '%s\n' | sort -n |
  awk '{ s[NR] = $1; t += $1 } END { printf "card size:  median %.0f KB, max %.0f KB, mean %.0f KB\n", s[int((NR + 1) / 2)] / 1024, s[NR] / 1024, t / NR / 1024 }'
