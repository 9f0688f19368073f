//! How long the window takes to show the map, stage by stage, for the first-frame benchmark:
//! with `CHENGYU_ATLAS_TIMING=1` the app prints, on stderr, the milliseconds since the program
//! started at which the window and GPU were ready, the data was loaded, the first frame was
//! drawn and the first frame was on screen.

use std::sync::OnceLock;
use std::time::Instant;

/// When the program started (the first call of [`started`], made first thing in `main`).
pub fn started() -> Instant {
    static STARTED: OnceLock<Instant> = OnceLock::new();
    *STARTED.get_or_init(Instant::now)
}

/// The marker the benchmark waits for.
pub const ON_SCREEN: &str = "first frame on screen";

/// Stage times, printed only when asked for.
#[derive(Debug, Clone, Copy, Default)]
pub struct StartupTiming {
    enabled: bool,
    frames: u32,
    drawn: bool,
}

impl StartupTiming {
    pub fn from_env() -> Self {
        Self {
            enabled: std::env::var_os("CHENGYU_ATLAS_TIMING").is_some_and(|v| v == "1"),
            frames: 0,
            drawn: false,
        }
    }

    pub fn enabled(&self) -> bool {
        self.enabled
    }

    /// Prints that `stage` was reached now.
    pub fn mark(&self, stage: &str) {
        if self.enabled {
            let ms = started().elapsed().as_secs_f64() * 1e3;
            eprintln!("chengyu-atlas timing: {stage} at {ms:.0} ms");
        }
    }

    /// Called after a frame that drew the map: the first time, says so.
    pub fn drawn(&mut self) {
        if !self.drawn {
            self.drawn = true;
            self.mark("first frame drawn");
        }
    }

    /// Called at the start of each frame, after the map of the frame before was drawn: the
    /// first frame is on screen once the second begins. Returns whether another frame must be
    /// asked for to see it.
    pub fn frame(&mut self) -> bool {
        if !self.enabled || self.frames > 1 {
            return false;
        }
        self.frames += 1;
        if self.frames == 2 {
            self.mark(ON_SCREEN);
        }
        self.frames == 1
    }
}
