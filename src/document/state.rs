//! What the app remembers between runs: view, layers, language. Kept in a small JSON file,
//! written atomically; a file that cannot be read is ignored with a message.

use std::path::{Path, PathBuf};

use crate::export::{Elements, Format, Paper};
use crate::geodata::kept::{self, KeptAside};
use crate::model::{Lang, Text};
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
    /// The monitor a tour's audience view goes on (its name), where the user chose one: the
    /// window's own, like its size.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub projector: Option<String>,
    /// The drawing tools' snapping tolerance in points, where the user set one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub snap_points: Option<f32>,
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

/// The saved state as far as it can be read, touching nothing: for what is needed before
/// the window opens (its size, its title's language). The window then [`load`]s it.
pub fn peek(path: &Path) -> SavedState {
    std::fs::metadata(path)
        .ok()
        .filter(|metadata| metadata.is_file() && metadata.len() <= 1_000_000)
        .and_then(|_| std::fs::read_to_string(path).ok())
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default()
}

/// The saved state as read, and what to say of it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Loaded {
    pub state: SavedState,
    /// Why some or all of it was ignored, in both languages.
    pub notice: Option<Text>,
    /// Where an unreadable file was kept (moved aside, so that the next save starts afresh).
    pub kept: Option<KeptAside>,
}

/// Reads the saved state. A missing file is a first run; a broken one is ignored and said so,
/// and moved aside to `state.json.bad-DATE` first, so that the next save does not overwrite
/// what the user may want back.
pub fn load(path: &Path) -> Loaded {
    // Only a regular file: a pipe would never end, a huge file is not a state.
    match std::fs::metadata(path) {
        Ok(metadata) if !metadata.is_file() || metadata.len() > 1_000_000 => {
            return Loaded {
                notice: Some(ignored(
                    path,
                    Text::new("不是小的普通文件", "it is not a small regular file"),
                )),
                ..Loaded::default()
            };
        }
        _ => {}
    }
    let unreadable = |why: Text| {
        let kept = kept::move_aside(path, kept::Role::State, why.clone());
        Loaded {
            notice: Some(match &kept {
                Some(kept) => kept.message(),
                None => ignored(path, why),
            }),
            kept,
            ..Loaded::default()
        }
    };
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Loaded::default(),
        // Not text (random bytes): kept aside as well.
        Err(error) if error.kind() == std::io::ErrorKind::InvalidData => {
            return unreadable(Text::new("不是文本（不是 UTF-8）", "not text (not UTF-8)"));
        }
        Err(error) => return unreadable(Text::new(error.to_string(), error.to_string())),
    };
    match serde_json::from_str::<SavedState>(&text) {
        Ok(state) => match state.view {
            Some(view) if !view_is_sane(&view) => Loaded {
                state: SavedState {
                    view: None,
                    ..state
                },
                notice: Some(ignored(
                    path,
                    Text::new("保存的视图超出范围", "the saved view is out of range"),
                )),
                kept: None,
            },
            _ => Loaded {
                state,
                ..Loaded::default()
            },
        },
        Err(error) => unreadable(crate::geodata::read::problems::json_error(&error, &text, 0)),
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

fn ignored(path: &Path, why: Text) -> Text {
    Text::new(
        format!(
            "保存的状态 {} 未采用（{}），以默认视图启动",
            path.display(),
            why.zh
        ),
        format!(
            "Saved state {} was ignored ({}); starting with the default view.",
            path.display(),
            why.en
        ),
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
            snap_points: Some(6.0),
            ..SavedState::default()
        };
        state.layers.get_mut(LayerId::Rivers).visible = false;
        save(&path, &state).expect("save");
        assert_eq!(
            load(&path),
            Loaded {
                state,
                ..Loaded::default()
            }
        );
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
        let Loaded {
            state,
            notice,
            kept,
        } = load(&path);
        assert_eq!(state, SavedState::default());
        assert!(
            notice
                .as_ref()
                .is_some_and(|m| m.en.contains("cannot be read")
                    && m.en.contains("state.json.bad-")
                    && m.zh.contains("state.json.bad-")),
            "{notice:?}"
        );
        assert!(kept.is_some_and(|k| k.role == kept::Role::State));
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
        let loaded = load(&path);
        assert!(loaded.notice.is_some_and(|m| m.en.contains("kept as")));
        assert!(loaded.kept.is_some());
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
        let loaded = load(&path);
        assert_eq!(loaded.state.view, None);
        assert_eq!(loaded.state.lang, Lang::En);
        assert!(loaded.notice.is_some());
        assert!(loaded.kept.is_none(), "a sane file is not moved");
    }

    #[test]
    fn a_missing_file_is_a_quiet_first_run() {
        assert_eq!(
            load(Path::new("/nonexistent/chengyu/state.json")),
            Loaded::default()
        );
    }
}
