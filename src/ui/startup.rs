//! How long the window takes to show the map, stage by stage, for the first-frame benchmark:
//! with `CHENGYU_ATLAS_TIMING=1` the app prints, on stderr, the milliseconds since the program
//! started at which the data was loaded, the window and GPU were ready, the map was drawn, that
//! frame was handed to the GPU, and the next one too (what a frame costs without first-time
//! work). When the map is on screen is seen from outside, by the benchmark.

pub use crate::process::{TIMING_VARIABLE, started};

/// Stage times, printed only when asked for.
#[derive(Debug, Clone, Copy, Default)]
pub struct StartupTiming {
    enabled: bool,
    frames: u32,
    /// The frame in which the map was first drawn.
    drawn_in: Option<u32>,
}

impl StartupTiming {
    pub fn from_env() -> Self {
        Self {
            enabled: std::env::var_os(TIMING_VARIABLE).is_some_and(|v| v == "1"),
            ..Self::default()
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
        if self.enabled && self.drawn_in.is_none() {
            self.drawn_in = Some(self.frames);
            self.mark("map drawn");
        }
    }

    /// Called at the start of each frame: the frame that drew the map was handed to the GPU
    /// once the next begins, and the one after that shows what a frame costs without
    /// first-time work. Returns whether another frame must be asked for to see it.
    pub fn frame(&mut self) -> bool {
        if !self.enabled {
            return false;
        }
        self.frames += 1;
        if self.frames <= 4 {
            self.mark(&format!("frame {} starts", self.frames));
        }
        match self.drawn_in.map(|drawn| self.frames - drawn) {
            Some(1) => {
                self.mark("map presented");
                true
            }
            Some(2) => {
                self.mark("next frame presented");
                false
            }
            Some(_) => false,
            None => true,
        }
    }
}
