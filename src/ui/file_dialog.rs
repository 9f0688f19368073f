//! Native file dialogs, where the desktop offers one. rfd talks to the XDG desktop portal,
//! which not every desktop (nor Xvfb) runs: when no dialog can open, the caller's path field
//! is the way in.

use crate::geodata::FileKind;
use crate::geodata::kinds;
use std::path::PathBuf;

use crate::model::Lang;
use crate::paths::documents_dir;

/// What a native dialog gave back.
#[derive(Debug, Clone, PartialEq)]
pub enum Picked {
    Path(PathBuf),
    /// No dialog could open (no desktop portal): the path field is the way.
    NoDialog,
    Cancelled,
}

/// Runs a dialog. Without a session bus there is no portal to ask (Xvfb, a bare X session):
/// nothing is tried. One that comes back at once with nothing did not open at all: no person
/// cancels a file dialog within 0.4 s.
pub fn ask(dialog: impl FnOnce() -> Option<PathBuf>) -> Picked {
    if !session_bus() {
        return Picked::NoDialog;
    }
    let asked = std::time::Instant::now();
    match dialog() {
        Some(path) => Picked::Path(path),
        None if asked.elapsed() < std::time::Duration::from_millis(400) => Picked::NoDialog,
        None => Picked::Cancelled,
    }
}

/// Whether a desktop portal could answer: on Linux and the BSDs it is reached over the
/// session's D-Bus (named by DBUS_SESSION_BUS_ADDRESS, or the bus socket in XDG_RUNTIME_DIR).
/// Without one, a failed attempt can take longer than a quick cancel on a loaded machine and
/// would be taken for one.
fn session_bus() -> bool {
    if cfg!(any(target_os = "windows", target_os = "macos")) {
        return true;
    }
    std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some_and(|a| !a.is_empty())
        || std::env::var_os("XDG_RUNTIME_DIR")
            .is_some_and(|dir| std::path::Path::new(&dir).join("bus").exists())
}

/// Asks the user for a basemap package (a file; a tile folder is typed or dropped).
pub fn pick_basemap(lang: Lang) -> Option<PathBuf> {
    rfd::FileDialog::new()
        .set_title(lang.pick("打开底图", "Open basemap"))
        .add_filter(
            lang.pick(
                "底图包（PMTiles、MBTiles、GeoPackage 瓦片）",
                "Basemap packages (PMTiles, MBTiles, GeoPackage tiles)",
            ),
            // A GeoPackage is a basemap when it holds tiles (decided by its tables on opening).
            &[
                kinds::extensions_of(|kind| kind == FileKind::Basemap),
                vec!["gpkg"],
            ]
            .concat(),
        )
        .set_directory(documents_dir())
        .pick_file()
}

/// Asks the user for a data file to add as a layer.
pub fn pick_layer(lang: Lang) -> Option<PathBuf> {
    rfd::FileDialog::new()
        .set_title(lang.pick("添加图层", "Add layer"))
        .add_filter(
            format!(
                "{} ({})",
                lang.pick("图层", "Layers"),
                kinds::layer_format_names()
            ),
            &kinds::extensions_of(FileKind::is_layer),
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

/// Asks the user where to save a map page: `path`'s folder and name proposed, the filter of
/// its format.
pub fn save_export(lang: Lang, path: &std::path::Path) -> Option<PathBuf> {
    let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("png");
    let mut dialog = rfd::FileDialog::new()
        .set_title(lang.pick("导出地图到", "Export the map to"))
        .add_filter(extension.to_ascii_uppercase(), &[extension]);
    if let Some(folder) = path.parent().filter(|p| p.is_dir()) {
        dialog = dialog.set_directory(folder);
    }
    if let Some(name) = path.file_name().and_then(|n| n.to_str()) {
        dialog = dialog.set_file_name(name);
    }
    dialog.save_file()
}

/// Asks the user where to save a PDF named `name`, in the documents folder.
pub fn save_pdf(lang: Lang, name: &str) -> Option<PathBuf> {
    rfd::FileDialog::new()
        .set_title(lang.pick("保存讲义", "Save handout"))
        .add_filter("PDF", &["pdf"])
        .set_directory(documents_dir())
        .set_file_name(name)
        .save_file()
}

/// Asks the user where to save a tour's video named `name`, in the documents folder.
pub fn save_mp4(lang: Lang, name: &str) -> Option<PathBuf> {
    rfd::FileDialog::new()
        .set_title(lang.pick("导出视频", "Export video"))
        .add_filter(lang.pick("MP4 视频", "MP4 video"), &["mp4"])
        .set_directory(documents_dir())
        .set_file_name(name)
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

/// Asks where to save a sketch layer as GeoJSON, `name` proposed.
pub fn save_geojson(lang: Lang, name: &str) -> Option<PathBuf> {
    rfd::FileDialog::new()
        .set_title(lang.pick("保存草图", "Save sketch"))
        .add_filter("GeoJSON", &["geojson"])
        .add_filter("KML (Google Earth, 奥维)", &["kml"])
        .add_filter("KMZ", &["kmz"])
        .add_filter(lang.pick("表格（CSV）", "Table (CSV)"), &["csv"])
        .set_directory(documents_dir())
        .set_file_name(format!("{name}.geojson"))
        .save_file()
}
