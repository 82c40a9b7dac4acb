//! Opt-in stage timings: with `FACTBRIEF_TIMINGS=1` in the environment, each stage's wall time
//! is reported on standard error when the run ends. Standard output and every brief are never
//! touched, so output stays deterministic; without the variable nothing is measured.

use std::sync::Mutex;
use std::time::{Duration, Instant};

static STAGES: Mutex<Vec<(&'static str, Duration)>> = Mutex::new(Vec::new());

/// True when `FACTBRIEF_TIMINGS` is set to anything but `0` or empty.
pub fn enabled() -> bool {
    static ON: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *ON.get_or_init(|| std::env::var("FACTBRIEF_TIMINGS").is_ok_and(|v| !v.is_empty() && v != "0"))
}

/// Runs `f`, adding its wall time to the stage `name` when timings are on.
pub fn stage<T>(name: &'static str, f: impl FnOnce() -> T) -> T {
    if !enabled() {
        return f();
    }
    let start = Instant::now();
    let out = f();
    record(name, start.elapsed());
    out
}

/// Adds `took` to the stage `name`.
pub fn record(name: &'static str, took: Duration) {
    let mut stages = STAGES.lock().unwrap_or_else(|e| e.into_inner());
    match stages.iter_mut().find(|(n, _)| *n == name) {
        Some((_, d)) => *d += took,
        None => stages.push((name, took)),
    }
}

/// Prints the stages in the order they were first seen, then clears them.
pub fn report() {
    if !enabled() {
        return;
    }
    let mut stages = STAGES.lock().unwrap_or_else(|e| e.into_inner());
    for (name, d) in stages.iter() {
        eprintln!("timing {name:<24} {:>9.1} ms", d.as_secs_f64() * 1000.0);
    }
    stages.clear();
}
