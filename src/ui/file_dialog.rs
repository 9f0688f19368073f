//! Native file dialogs, where the desktop offers one. rfd talks to the XDG desktop portal,
//! which not every desktop (nor Xvfb) runs: when no dialog can open, the caller's path field
//! is the way in.

use std::path::PathBuf;

use crate::model::Lang;

/// What a native dialog gave back.
#[derive(Debug, Clone, PartialEq)]
pub enum Picked {
    Path(PathBuf),
    /// No dialog could open (no desktop portal): the path field is the way.
    NoDialog,
    Cancelled,
}

/// Runs a dialog. One that comes back at once with nothing did not open at all: no person
/// cancels a file dialog within 0.4 s.
pub fn ask(dialog: impl FnOnce() -> Option<PathBuf>) -> Picked {
    let asked = std::time::Instant::now();
    match dialog() {
        Some(path) => Picked::Path(path),
        None if asked.elapsed() < std::time::Duration::from_millis(400) => Picked::NoDialog,
        None => Picked::Cancelled,
    }
}

/// Asks the user for a basemap package (a file; a tile folder is typed or dropped).
pub fn pick_basemap(lang: Lang) -> Option<PathBuf> {
    rfd::FileDialog::new()
        .set_title(lang.pick("打开底图", "Open basemap"))
        .add_filter(
            lang.pick(
                "底图包（PMTiles、MBTiles）",
                "Basemap packages (PMTiles, MBTiles)",
            ),
            &["pmtiles", "mbtiles"],
        )
        .set_directory(documents_dir())
        .pick_file()
}

/// Asks the user for a data file to add as a layer.
pub fn pick_layer(lang: Lang) -> Option<PathBuf> {
    rfd::FileDialog::new()
        .set_title(lang.pick("添加图层", "Add layer"))
        .add_filter(
            lang.pick("图层（GeoJSON、CSV、KML）", "Layers (GeoJSON, CSV, KML)"),
            &[
                "geojson", "json", "geojsonl", "ndjson", "csv", "tsv", "txt", "kml", "kmz",
            ],
        )
        .set_directory(documents_dir())
        .pick_file()
}

/// Asks the user for a workspace to open.
pub fn pick_workspace(lang: Lang) -> Option<PathBuf> {
    rfd::FileDialog::new()
        .set_title(lang.pick("打开工作区", "Open workspace"))
        .add_filter(
            lang.pick("工作区（.toml）", "Workspaces (.toml)"),
            &["toml"],
        )
        .set_directory(documents_dir())
        .pick_file()
}

/// Asks the user where to save a workspace.
pub fn save_workspace(lang: Lang) -> Option<PathBuf> {
    rfd::FileDialog::new()
        .set_title(lang.pick("保存工作区", "Save workspace"))
        .add_filter(
            lang.pick("工作区（.toml）", "Workspaces (.toml)"),
            &["toml"],
        )
        .set_directory(documents_dir())
        .set_file_name("workspace.toml")
        .save_file()
}

/// Asks the user where to save a TOML file named `name` by default.
pub fn save_toml(lang: Lang, name: &str) -> Option<PathBuf> {
    rfd::FileDialog::new()
        .add_filter(lang.pick("TOML 文件", "TOML files"), &["toml"])
        .set_directory(documents_dir())
        .set_file_name(name)
        .save_file()
}

fn documents_dir() -> PathBuf {
    std::env::var_os("XDG_DOCUMENTS_DIR")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join("Documents")))
        .unwrap_or_else(|| PathBuf::from("."))
}
