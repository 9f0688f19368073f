//! The desktop window (eframe). The only module that knows egui's app machinery.

pub mod app;
pub mod camera;
pub mod export_dialog;
pub mod fonts;
pub mod map_view;
pub mod panels;
pub mod presenter;
pub mod startup;
pub mod state;
pub mod tours;

use std::process::ExitCode;

use crate::geodata::{self, DataSource, Loaded};
use crate::index::SpatialIndex;

pub use app::AtlasApp;

/// Opens the window on the data in `source`; returns when the window closes.
pub fn run(source: DataSource) -> ExitCode {
    let timing = startup::StartupTiming::from_env();
    let describe = source.describe();
    // The data loads and its index is built while the window and the GPU start: neither
    // waits for the other.
    let loading = std::thread::spawn(move || -> (Loaded, SpatialIndex) {
        let loaded = geodata::load(&source);
        let index = SpatialIndex::new(&loaded.atlas);
        timing.mark("data loaded");
        (loaded, index)
    });
    let lang = state::default_path()
        .map(|path| state::load(&path).0.lang)
        .unwrap_or_default();
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title(app::window_title(lang))
            .with_app_id("chengyu-atlas")
            .with_inner_size([1400.0, 900.0])
            .with_min_inner_size([720.0, 480.0]),
        ..Default::default()
    };
    let result = eframe::run_native(
        "chengyu-atlas",
        options,
        Box::new(move |cc| {
            timing.mark("window and GPU ready");
            let (loaded, index) = loading
                .join()
                .map_err(|_| "the data could not be loaded (the loader stopped)".to_string())?;
            let app =
                AtlasApp::with_index(&cc.egui_ctx, loaded, index, describe, state::default_path())
                    .with_timing(timing);
            timing.mark("app ready");
            Ok(Box::new(app))
        }),
    );
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("chengyu-atlas: cannot open the window: {error}");
            ExitCode::FAILURE
        }
    }
}
