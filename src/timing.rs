//! Phase timings for finding where a build's time goes: set `RADPRESS_TIMINGS=1` and every
//! phase prints its wall time to standard error, with the process's resident memory after it
//! (Linux; the peak so far, then the current size) (`bench/build.sh` and issue-style profiling
//! use it; it costs nothing when unset).

use std::sync::OnceLock;
use std::time::Instant;

fn enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("RADPRESS_TIMINGS").is_some_and(|v| v != "0"))
}

/// Run `f`, printing how long it took as phase `name` when timings are on.
pub fn phase<T>(name: &str, f: impl FnOnce() -> T) -> T {
    if !enabled() {
        return f();
    }
    let started = Instant::now();
    let result = f();
    eprintln!(
        "radpress timing: {name:<16} {:>8.1} ms{}",
        started.elapsed().as_secs_f64() * 1000.0,
        memory()
    );
    result
}

/// `, peak … MiB, now … MiB` from /proc/self/status, or nothing where that is not there.
fn memory() -> String {
    let Ok(status) = std::fs::read_to_string("/proc/self/status") else {
        return String::new();
    };
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            .map(|kib| kib / 1024)
    };
    match (field("VmHWM:"), field("VmRSS:")) {
        (Some(peak), Some(now)) => format!(", peak {peak:>5} MiB, now {now:>5} MiB"),
        _ => String::new(),
    }
}
