//! The whole app at 1920×1080, driven frame by frame as eframe drives it (layout, the scene,
//! tessellation), without a GPU and without an accessibility tree (eframe builds one only
//! when a screen reader asks; egui_kittest always does, which would be measured too). Shared
//! by the benchmarks that time window frames.

use std::time::{Duration, Instant};

use chengyu_atlas::geodata::{self, DataSource};
use chengyu_atlas::ui::AtlasApp;

pub struct Window {
    ctx: egui::Context,
    frame: eframe::Frame,
    app: AtlasApp,
    time: f64,
    /// When the last frame asked to be drawn again (eframe waits that long, or for input).
    repaint_after: Duration,
    /// Set when another thread asks for a frame at once (eframe's window wakes then).
    woken: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl Window {
    /// The app on the built-in data, given to `then` (basemaps, layers) before its first
    /// frames (fonts installed, the map laid out).
    pub fn new(then: impl FnOnce(&egui::Context, AtlasApp) -> AtlasApp) -> Self {
        let loaded = geodata::load(&DataSource::Embedded);
        let ctx = egui::Context::default();
        let woken = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let wake = std::sync::Arc::clone(&woken);
        ctx.set_request_repaint_callback(move |info| {
            if info.delay.is_zero() {
                wake.store(true, std::sync::atomic::Ordering::Release);
            }
        });
        let app = then(
            &ctx,
            AtlasApp::new(&ctx, loaded, "built-in data".into(), None),
        );
        let mut window = Self {
            ctx,
            frame: eframe::Frame::_new_kittest(),
            app,
            time: 0.0,
            repaint_after: Duration::ZERO,
            woken,
        };
        // Layers read in the background are in before anything is measured.
        while window.app.layers_loading() > 0 {
            std::thread::sleep(Duration::from_millis(20));
            window.step(Vec::new());
        }
        for _ in 0..3 {
            window.step(Vec::new());
        }
        window
    }

    /// One frame with these input events; its CPU time.
    pub fn step(&mut self, events: Vec<egui::Event>) -> Duration {
        use eframe::App as _;
        self.time += 1.0 / 60.0;
        let input = egui::RawInput {
            screen_rect: Some(egui::Rect::from_min_size(
                egui::Pos2::ZERO,
                egui::vec2(1920.0, 1080.0),
            )),
            time: Some(self.time),
            predicted_dt: 1.0 / 60.0,
            events,
            ..Default::default()
        };
        let started = Instant::now();
        let (app, frame) = (&mut self.app, &mut self.frame);
        // As eframe runs a frame: the background work picked up (`logic`), then the window.
        let output = self.ctx.run_ui(input, |ui| {
            app.logic(ui.ctx(), frame);
            app.ui(ui, frame)
        });
        self.repaint_after = output
            .viewport_output
            .get(&egui::ViewportId::ROOT)
            .map_or(Duration::MAX, |viewport| viewport.repaint_delay);
        let primitives = self.ctx.tessellate(output.shapes, output.pixels_per_point);
        std::hint::black_box(primitives.len());
        started.elapsed()
    }

    /// Frames as eframe runs them with no input, until `done`: each when the last asked to
    /// be drawn again (a window waiting for a file read in the background is drawn every
    /// 50 ms, not back to back), or at once when another thread asks. The longest frame's
    /// time.
    pub fn run_until(&mut self, mut done: impl FnMut(&AtlasApp) -> bool) -> Duration {
        let mut longest = Duration::ZERO;
        loop {
            // A wake during the frame counts, as eframe's does.
            self.woken
                .store(false, std::sync::atomic::Ordering::Release);
            longest = longest.max(self.step(Vec::new()));
            if done(&self.app) {
                return longest;
            }
            // A frame that asked for none would wait for input: there is none here.
            let wait = self.repaint_after.min(Duration::from_millis(100));
            let asleep = Instant::now();
            while asleep.elapsed() < wait && !self.woken.load(std::sync::atomic::Ordering::Acquire)
            {
                std::thread::sleep(Duration::from_micros(500));
            }
        }
    }

    pub fn state(&self) -> &AtlasApp {
        &self.app
    }

    pub fn state_mut(&mut self) -> &mut AtlasApp {
        &mut self.app
    }
}
