#!/usr/bin/env python3
"""Live-preview latency: the time from a file write to the reload message reaching a connected
client, and the server's memory across many edits.

    bench/serve.py [--posts N] [--edits K] [--gap SECONDS] [--browser]

Measures the demo site at the repository root, then (with --posts N, default 10000) a synthetic
site made by ../shared/bench/gen_site.py on tmpfs. Each edit rewrites one post with a changed
sentence and waits for the `reload` server-sent event. Prints median, 95th percentile and worst
latency, and the server's resident memory after the first and the last edit.

With --browser, the reader's side instead: the post's page open in headless Chromium (Debian's
`chromium`, driven by bench/serve-browser.mjs through playwright-core from `npm ci`), and the
time from the save to the reloaded page's first contentful paint.
"""

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
GEN = os.path.join(REPO, "..", "shared", "bench", "gen_site.py")
BINARY = os.path.join(REPO, "target", "release", "radpress")


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


class Events:
    def __init__(self, addr):
        host, port = addr.split(":")
        self.sock = socket.create_connection((host, int(port)))
        self.sock.sendall(b"GET /__radpress/events HTTP/1.1\r\nHost: localhost\r\n\r\n")
        self.buf = b""

    def wait(self, name, timeout=60):
        deadline = time.monotonic() + timeout
        current = None
        while time.monotonic() < deadline:
            while b"\n" in self.buf:
                line, self.buf = self.buf.split(b"\n", 1)
                line = line.strip().decode("utf-8", "replace")
                if line.startswith("event: "):
                    current = line[7:]
                elif line.startswith("data: ") and current == name:
                    return time.monotonic()
            self.sock.settimeout(max(0.01, deadline - time.monotonic()))
            chunk = self.sock.recv(65536)
            if not chunk:
                raise RuntimeError("event stream closed")
            self.buf += chunk
        raise RuntimeError(f"no {name} event within {timeout} s")


def spread(latencies):
    """Median, 95th percentile and worst of latencies (ms)."""
    latencies = sorted(latencies)
    p95 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.95))]
    return statistics.median(latencies), p95, latencies[-1]


def page_path(post):
    return f"/posts/{os.path.splitext(os.path.basename(post))[0]}/"


def in_browser(addr, post, edits, gap):
    """Save-to-paint latencies (ms) in Chromium, from bench/serve-browser.mjs."""
    run = subprocess.run(["node", os.path.join(HERE, "serve-browser.mjs"), f"http://{addr}", post,
                          page_path(post), str(edits), str(gap)],
                         cwd=REPO, capture_output=True, text=True, check=False)
    if run.returncode != 0:
        raise RuntimeError(f"serve-browser.mjs failed:\n{run.stderr}")
    result = json.loads(run.stdout.strip().splitlines()[-1])
    return result["latencies_ms"], result["timing"]


def measure(root, post, edits, label, gap, browser=False):
    proc = subprocess.Popen([BINARY, "--root", root, "serve", "--port", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        addr = None
        start = time.monotonic()
        for line in proc.stdout:
            if line.startswith("Serving at http://"):
                addr = line.split("http://", 1)[1].split("/", 1)[0]
                break
        first_build = time.monotonic() - start
        events = Events(addr)
        events.wait("ok")
        if browser:
            latencies, timing = in_browser(addr, post, edits, gap)
            median, p95, worst = spread(latencies)
            print(f"{label:<28} first build+listen {first_build:6.2f} s   save→{timing} in Chromium "
                  f"median {median:6.1f} ms  p95 {p95:6.1f} ms  max {worst:6.1f} ms")
            return
        original = open(post, encoding="utf-8").read()
        latencies = []
        rss = []
        for i in range(edits):
            text = original.replace("\n\n", f"\n\nEdit number {i} of the benchmark.\n\n", 1)
            t0 = time.monotonic()
            with open(post, "w", encoding="utf-8") as f:
                f.write(text)
            t1 = events.wait("reload")
            latencies.append((t1 - t0) * 1000)
            time.sleep(gap)
            # After the pause: the outputs serve finishes after the reload are done.
            rss.append(rss_kib(proc.pid))
        with open(post, "w", encoding="utf-8") as f:
            f.write(original)
        median, p95, worst = spread(latencies)
        print(f"{label:<28} first build+listen {first_build:6.2f} s   edit→reload median "
              f"{median:6.1f} ms  p95 {p95:6.1f} ms  max {worst:6.1f} ms   "
              "resident memory after edit " + ", ".join(
                  f"{k}: {rss[k - 1] / 1024:.0f} MiB" for k in sorted({1, 2, 10, edits // 2, edits})
                  if 0 < k <= edits))
    finally:
        proc.kill()
        proc.wait()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--posts", type=int, default=10000)
    ap.add_argument("--edits", type=int, default=100)
    ap.add_argument("--gap", type=float, default=1.0,
                    help="seconds between a reload and the next save (an author saves every few "
                         "seconds; serve finishes cards, social.json and search after the reload, "
                         "and a save that comes sooner waits for that)")
    ap.add_argument("--browser", action="store_true",
                    help="time the save to the reloaded page's first paint in headless Chromium")
    a = ap.parse_args()
    subprocess.run(["cargo", "build", "--release", "--quiet", "--manifest-path",
                    os.path.join(REPO, "Cargo.toml")], check=True)
    print(f"(debounce 30 ms included; {a.edits} edits each, {a.gap} s after each reload)")
    demo_post = os.path.join(REPO, "content", "posts", sorted(os.listdir(os.path.join(REPO, "content", "posts")))[-1])
    if not os.environ.get("SKIP_DEMO"):
        measure(REPO, demo_post, a.edits, "demo site", a.gap, a.browser)
    if a.posts:
        site = f"/dev/shm/radpress-serve-bench-{a.posts}"
        if not os.path.exists(os.path.join(site, "site.toml")):
            subprocess.run([sys.executable, GEN, site, str(a.posts), "radpress", "--force"],
                           check=True, stdout=subprocess.DEVNULL)
        posts = os.path.join(site, "content", "posts")
        post = os.path.join(posts, sorted(os.listdir(posts))[len(os.listdir(posts)) // 2])
        measure(site, post, a.edits, f"{a.posts:,}-post site", a.gap, a.browser)


if __name__ == "__main__":
    main()
