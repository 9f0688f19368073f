//! What the app remembers between runs: view, layers, language. Kept in a small JSON file,
//! written atomically; a file that cannot be read is ignored with a message.

use std::path::{Path, PathBuf};

use crate::export::{Elements, Format, Paper};
use crate::model::Lang;
use crate::render::LayerSettings;
use crate::render::projection::{MAX_ZOOM, MIN_ZOOM};

#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SavedView {
    /// Longitude, latitude of the centre.
    pub center: [f64; 2],
    pub zoom: f64,
}

#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct SavedState {
    pub view: Option<SavedView>,
    pub layers: LayerSettings,
    pub lang: Lang,
    /// Tours cross-fade between stops instead of flying.
    pub reduced_motion: bool,
    /// The basemap packages under the map, bottom first.
    pub basemaps: Vec<SavedBasemap>,
    /// The user's own layers, bottom first.
    pub user_layers: Vec<SavedUserLayer>,
    /// How positions are copied: datum and angle format.
    pub coords: crate::coordinates::CoordStyle,
    /// Named views, in the user's order.
    pub bookmarks: Vec<Bookmark>,
    /// The export dialog's settings.
    pub export: Option<SavedExport>,
    /// The side panel is hidden.
    pub panel_hidden: bool,
    /// How the side's panes are arranged, and which are closed: the window's own, kept as the
    /// window wrote it (never part of a workspace).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dock: Option<serde_json::Value>,
    /// The window's size when last closed (likewise the window's own).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub window: Option<SavedWindow>,
}

/// The window as the user left it.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SavedWindow {
    /// Inner size in points.
    pub size: [f32; 2],
    pub maximized: bool,
}

/// A user's layer as remembered: its file, datum, style, visibility and opacity.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SavedUserLayer {
    pub path: PathBuf,
    #[serde(default)]
    pub datum: Option<crate::coordinates::datum::Datum>,
    #[serde(default)]
    pub style: crate::model::user::UserStyle,
    #[serde(default = "yes")]
    pub visible: bool,
    #[serde(default = "one")]
    pub opacity: f32,
    /// For a table: the coordinate columns and swap confirmed in its preview.
    #[serde(default, skip_serializing_if = "is_default")]
    pub csv: crate::geodata::user::CsvOptions,
}

fn is_default(options: &crate::geodata::user::CsvOptions) -> bool {
    *options == crate::geodata::user::CsvOptions::default()
}

fn yes() -> bool {
    true
}

fn one() -> f32 {
    1.0
}

/// A basemap as the state file remembers it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SavedBasemap {
    pub path: PathBuf,
    #[serde(default = "yes")]
    pub visible: bool,
    #[serde(default = "one")]
    pub opacity: f32,
    /// The datum the user chose, when it is not the package's own.
    #[serde(default)]
    pub datum: Option<crate::coordinates::Datum>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ExtentChoice {
    CurrentView,
    Feature(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SizeChoice {
    CurrentView,
    FullHd,
    Uhd,
    Paper,
    Custom,
}

/// The export settings remembered between runs (the file name is made anew each time, with
/// the day's date, in the folder last written to).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SavedExport {
    pub extent: ExtentChoice,
    pub size: SizeChoice,
    pub paper: Paper,
    pub landscape: bool,
    pub dpi: u32,
    pub custom: [u32; 2],
    pub format: Format,
    #[serde(default)]
    pub elements: Elements,
    /// The folder of the last page written (or chosen).
    pub folder: Option<PathBuf>,
}

/// A named view the user keeps (saved with the state).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Bookmark {
    pub name: String,
    pub view: SavedView,
}

/// Reads the saved state. A missing file is a first run; a broken one is ignored and said so.
pub fn load(path: &Path) -> (SavedState, Option<String>) {
    // Only a regular file: a pipe would never end, a huge file is not a state.
    match std::fs::metadata(path) {
        Ok(metadata) if !metadata.is_file() || metadata.len() > 1_000_000 => {
            return (
                SavedState::default(),
                Some(ignored(path, "it is not a small regular file")),
            );
        }
        _ => {}
    }
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            return (SavedState::default(), None);
        }
        Err(error) => {
            // Not text (random bytes): kept aside as well.
            return (
                SavedState::default(),
                Some(ignored(path, &kept_aside(path, &error))),
            );
        }
    };
    match serde_json::from_str::<SavedState>(&text) {
        Ok(state) => match state.view {
            Some(view) if !view_is_sane(&view) => (
                SavedState {
                    view: None,
                    ..state
                },
                Some(ignored(path, "the saved view is out of range")),
            ),
            _ => (state, None),
        },
        Err(error) => (
            SavedState::default(),
            Some(ignored(path, &kept_aside(path, &error))),
        ),
    }
}

/// Moves an unreadable state file aside (`state.json.bad-DATE`), so that the next save does
/// not overwrite what the user may want back; why it was unreadable, and where it went.
fn kept_aside(path: &Path, error: &dyn std::fmt::Display) -> String {
    match crate::atomic_file::keep_aside(path) {
        Some(copy) => format!("{error}; kept as {}", copy.display()),
        None => error.to_string(),
    }
}

fn view_is_sane(view: &SavedView) -> bool {
    let [lon, lat] = view.center;
    lon.is_finite()
        && lat.is_finite()
        && (-180.0..=180.0).contains(&lon)
        && (-85.0..=85.0).contains(&lat)
        && (MIN_ZOOM..=MAX_ZOOM).contains(&view.zoom)
}

fn ignored(path: &Path, why: &str) -> String {
    format!(
        "Saved state {} was ignored ({why}); starting with the default view.",
        path.display()
    )
}

pub fn save(path: &Path, state: &SavedState) -> Result<(), String> {
    let text = serde_json::to_string_pretty(state).map_err(|error| error.to_string())?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|error| format!("{}: {error}", dir.display()))?;
    }
    crate::atomic_file::write(path, text.as_bytes())
        .map_err(|error| format!("{}: {error}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::LayerId;

    fn temp_file(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("chengyu-state-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        dir.join("state.json")
    }

    #[test]
    fn state_survives_a_round_trip() {
        let path = temp_file("round-trip");
        let mut state = SavedState {
            view: Some(SavedView {
                center: [106.3, 29.6],
                zoom: 10.5,
            }),
            lang: Lang::En,
            ..SavedState::default()
        };
        state.layers.get_mut(LayerId::Rivers).visible = false;
        save(&path, &state).expect("save");
        assert_eq!(load(&path), (state, None));
    }

    /// The state's `.bad-DATE` copies beside `path`, oldest first.
    fn kept_copies(path: &Path) -> Vec<PathBuf> {
        let mut copies: Vec<PathBuf> = std::fs::read_dir(path.parent().expect("folder"))
            .expect("folder")
            .filter_map(Result::ok)
            .map(|entry| entry.path())
            .filter(|p| p.to_string_lossy().contains("state.json.bad-"))
            .collect();
        copies.sort_by_key(|p| p.to_string_lossy().len());
        copies
    }

    #[test]
    fn a_corrupt_file_is_ignored_with_a_message_and_kept_aside() {
        let path = temp_file("corrupt");
        for copy in kept_copies(&path) {
            let _ = std::fs::remove_file(copy);
        }
        std::fs::write(&path, "{\"view\": {\"center\": [106.3").expect("write");
        let (state, message) = load(&path);
        assert_eq!(state, SavedState::default());
        assert!(
            message
                .as_ref()
                .is_some_and(|m| m.contains("ignored") && m.contains("state.json.bad-")),
            "{message:?}"
        );
        // The unreadable file is kept aside, whole, named by the date; a second one (random
        // bytes, not even text) goes beside it.
        let copies = kept_copies(&path);
        assert_eq!(copies.len(), 1);
        assert!(copies[0].to_string_lossy().ends_with(&crate::date::today()));
        assert_eq!(
            std::fs::read_to_string(&copies[0]).expect("kept"),
            "{\"view\": {\"center\": [106.3"
        );
        std::fs::write(&path, [0xff, 0xfe, 0x9c, 0x00, 0x13]).expect("write");
        let (_, message) = load(&path);
        assert!(message.is_some_and(|m| m.contains("kept as")));
        assert_eq!(kept_copies(&path).len(), 2);
        assert!(
            !path.exists(),
            "moved, not copied: the next save writes a fresh one"
        );
    }

    #[test]
    fn an_absurd_view_is_dropped_but_the_rest_kept() {
        let path = temp_file("absurd");
        std::fs::write(
            &path,
            r#"{"view": {"center": [106.3, 29.6], "zoom": 99}, "lang": "en"}"#,
        )
        .expect("write");
        let (state, message) = load(&path);
        assert_eq!(state.view, None);
        assert_eq!(state.lang, Lang::En);
        assert!(message.is_some());
    }

    #[test]
    fn a_missing_file_is_a_quiet_first_run() {
        assert_eq!(
            load(Path::new("/nonexistent/chengyu/state.json")),
            (SavedState::default(), None)
        );
    }
}
