//! Stage timings for profiling builds (`PAMPHLET_TIMINGS=1`).

use std::time::Instant;

/// Stage timings, printed to stderr when `PAMPHLET_TIMINGS` is set (for profiling builds).
pub(crate) struct Timer {
    enabled: bool,
    last: Instant,
    stage: &'static str,
}

impl Timer {
    pub fn new() -> Timer {
        Timer {
            enabled: std::env::var_os("PAMPHLET_TIMINGS").is_some(),
            last: Instant::now(),
            stage: "config",
        }
    }

    /// Ends the current stage and starts the next.
    pub fn lap(&mut self, next: &'static str) {
        if self.enabled {
            say_err!(
                "timing: {:<10} {:>7.1} ms   peak memory so far {}",
                self.stage,
                self.last.elapsed().as_secs_f64() * 1000.0,
                peak_memory()
            );
        }
        self.stage = next;
        self.last = Instant::now();
    }
}

/// The process's peak resident memory, where the OS tells it (Linux).
fn peak_memory() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(|l| l[6..].trim().to_string())
        })
        .unwrap_or_default()
}
