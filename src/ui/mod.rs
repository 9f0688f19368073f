//! The desktop window (eframe). The only module that knows egui's app machinery.

pub mod app;
pub mod camera;
pub mod export_dialog;
pub mod fonts;
pub mod map_view;
pub mod panels;
pub mod presenter;
pub mod state;
pub mod tours;

use std::process::ExitCode;

use crate::geodata::{self, DataSource};

pub use app::AtlasApp;

/// Opens the window on the data in `source`; returns when the window closes.
pub fn run(source: DataSource) -> ExitCode {
    let loaded = geodata::load(&source);
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
    let describe = source.describe();
    let result = eframe::run_native(
        "chengyu-atlas",
        options,
        Box::new(move |cc| {
            Ok(Box::new(AtlasApp::new(
                &cc.egui_ctx,
                loaded,
                describe,
                state::default_path(),
            )))
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
