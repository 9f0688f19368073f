//! The desktop window (eframe). The only module that knows egui's app machinery.

pub mod action;
pub mod app;
pub mod basemap;
pub mod camera;
pub mod commands;
pub mod dock;
pub mod features;
pub mod file_dialog;
pub mod fonts;
pub mod map_edit;
pub mod map_view;
pub mod messages;
pub mod navigation;
pub mod panels;
pub mod presenter;
pub mod screens;
pub mod startup;

// The saved document is below the window (the command line reads it too); the window's code
// names it where it always did.
pub use crate::document::{state, workspace};

use std::process::ExitCode;

use crate::geodata::{self, DataSource, Loaded};
use crate::render::SceneBuilder;

pub use app::AtlasApp;

/// The window's inner size on a first start, where the screen has room for it (see
/// `AtlasApp`'s window fitting).
pub const WINDOW_SIZE: [f32; 2] = [1400.0, 900.0];

/// Opens the window on the data in `source`, over the basemap packages `basemaps` and with the
/// user's layers `layers` (each else the ones remembered); returns when the window closes.
pub fn run(
    source: DataSource,
    basemaps: Vec<std::path::PathBuf>,
    layers: Vec<crate::geodata::user::LayerSpec>,
    workspace: Option<std::path::PathBuf>,
) -> ExitCode {
    let timing = startup::StartupTiming::from_env();
    let describe = source.describe();
    let saved = crate::paths::state_file()
        .map(|path| state::peek(&path))
        .unwrap_or_default();
    let lang = saved.lang;
    // A size written by hand or by a broken file is not a window.
    let window = saved.window.filter(|w| {
        w.size
            .iter()
            .all(|v| v.is_finite() && (200.0..=20_000.0).contains(v))
    });
    // The data loads and its index is built while the window and the GPU start: neither waits
    // for the other.
    let loading = std::thread::spawn(move || -> (Loaded, SceneBuilder) {
        let loaded = geodata::load(&source);
        let builder = SceneBuilder::new(&loaded.atlas);
        timing.mark("data loaded");
        (loaded, builder)
    });
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title(app::window_title(lang))
            .with_app_id("chengyu-atlas")
            .with_inner_size(window.map_or(WINDOW_SIZE, |w| w.size))
            .with_maximized(window.is_some_and(|w| w.maximized))
            .with_min_inner_size([720.0, 480.0])
            .with_icon(window_icon()),
        // The bundled font covers everything the atlas shows; system fonts would only make the
        // window look different from machine to machine (and hide a missing bundled glyph).
        system_font_fallback: false,
        ..Default::default()
    };
    let result = eframe::run_native(
        "chengyu-atlas",
        options,
        Box::new(move |cc| {
            timing.mark("window and GPU ready");
            let (loaded, builder) = loading
                .join()
                .map_err(|_| "the data could not be loaded (the loader stopped)".to_string())?;
            let app = AtlasApp::with_builder(
                &cc.egui_ctx,
                loaded,
                builder,
                describe,
                crate::paths::state_file(),
            );
            // A workspace replaces what the last run showed; --basemap and --layer are put on
            // top of either.
            let app = match &workspace {
                Some(path) => app.with_workspace(&cc.egui_ctx, path),
                None if layers.is_empty() => app.with_saved_layers(),
                None => app,
            }
            .with_basemap_files(&cc.egui_ctx, &basemaps)
            .with_layer_files(&layers)
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

/// The application's icon (the package installs the same one for the desktop's menu).
pub fn window_icon() -> egui::IconData {
    const PNG: &[u8] = include_bytes!("../../assets/icons/hicolor/128x128/apps/chengyu-atlas.png");
    match image::load_from_memory_with_format(PNG, image::ImageFormat::Png) {
        Ok(picture) => {
            let picture = picture.into_rgba8();
            egui::IconData {
                width: picture.width(),
                height: picture.height(),
                rgba: picture.into_raw(),
            }
        }
        // Bundled, so this cannot happen unless the build is broken: the window opens anyway.
        Err(error) => {
            eprintln!("chengyu-atlas: the window icon could not be read: {error}");
            egui::IconData::default()
        }
    }
}

#[cfg(test)]
mod tests {
    /// The window's icon is the drawn one: square, opaque where the map sheet is, clear in
    /// the rounded corners.
    #[test]
    fn the_window_icon_is_the_drawn_icon() {
        let icon = super::window_icon();
        assert_eq!((icon.width, icon.height), (128, 128));
        let alpha = |x: u32, y: u32| icon.rgba[((y * icon.width + x) * 4 + 3) as usize];
        assert_eq!(alpha(64, 64), 255);
        assert_eq!(alpha(0, 0), 0);
    }
}
