//! The process as a whole: when it started (for the start-up timings the first-frame benchmark
//! reads), the variable that asks for them, and the priority of the threads that work behind
//! the window.

use std::sync::OnceLock;
use std::time::Instant;

/// Set to 1, it makes the app print its start-up timings.
pub const TIMING_VARIABLE: &str = "CHENGYU_ATLAS_TIMING";

/// When the program started (the first call of [`started`], made first thing in `main`).
pub fn started() -> Instant {
    static STARTED: OnceLock<Instant> = OnceLock::new();
    *STARTED.get_or_init(Instant::now)
}

/// Lowers the calling thread's priority (nice 10) so that the window's thread is served first
/// on a machine with fewer cores than busy threads: a layer streaming in and its pyramid being
/// built take the time the window leaves. Nothing happens where it cannot be done.
pub fn work_behind_the_window() {
    #[cfg(target_os = "linux")]
    // SAFETY: gettid and setpriority take and return plain integers; on Linux a thread id
    // given as PRIO_PROCESS names that thread alone.
    unsafe {
        let thread = libc::syscall(libc::SYS_gettid) as libc::id_t;
        libc::setpriority(libc::PRIO_PROCESS, thread, 10);
    }
}
