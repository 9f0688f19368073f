//! The process as a whole: when it started (for the start-up timings the first-frame benchmark
//! reads), and the variable that asks for them.

use std::sync::OnceLock;
use std::time::Instant;

/// Set to 1, it makes the app print its start-up timings.
pub const TIMING_VARIABLE: &str = "CHENGYU_ATLAS_TIMING";

/// When the program started (the first call of [`started`], made first thing in `main`).
pub fn started() -> Instant {
    static STARTED: OnceLock<Instant> = OnceLock::new();
    *STARTED.get_or_init(Instant::now)
}
