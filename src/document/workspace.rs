//! A workspace: what the window shows — the view, the language, the atlas's layers, the
//! basemap packages and the user's own layers with their datums and styles — in one TOML file
//! that a colleague can open. Paths are written relative to the file, so that a folder holding
//! the workspace and its data can be copied or shared whole; a file in it that is missing or
//! broken is reported when it opens, and the rest opens.

use std::path::{Component, Path, PathBuf};

use super::state::SavedState;
use crate::geodata::Problem;

/// The workspace format's version, written in every file.
pub const VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
struct File {
    /// "chengyu-atlas workspace", so that the file says what it is.
    format: String,
    version: u32,
    #[serde(flatten)]
    state: SavedState,
}

const FORMAT: &str = "chengyu-atlas workspace";

/// The workspace's text: `state` with its paths relative to `dir` (the folder the file goes
/// in) where they are inside it or beside it.
pub fn to_toml(state: &SavedState, dir: &Path) -> Result<String, String> {
    let mut state = state.clone();
    // The window's own arrangement is not the team's.
    state.dock = None;
    state.window = None;
    state.projector = None;
    for basemap in &mut state.basemaps {
        basemap.path = relative(&basemap.path, dir);
    }
    for layer in &mut state.user_layers {
        layer.path = relative(&layer.path, dir);
    }
    let file = File {
        format: FORMAT.into(),
        version: VERSION,
        state,
    };
    toml::to_string_pretty(&file).map_err(|error| error.to_string())
}

/// A workspace read from `path`: its state with paths made absolute again. The error says
/// what is wrong with the file as a whole (it is not a workspace, its TOML is broken).
pub fn open(path: &Path) -> Result<SavedState, Problem> {
    let cannot = |error: std::io::Error| Problem::CannotRead {
        error: error.to_string(),
    };
    let metadata = std::fs::metadata(path).map_err(|error| match error.kind() {
        std::io::ErrorKind::NotFound => Problem::FileMissing,
        _ => cannot(error),
    })?;
    if !metadata.is_file() || metadata.len() > 10_000_000 {
        return Err(Problem::NotWorkspaceFile);
    }
    let text = std::fs::read_to_string(path).map_err(cannot)?;
    let file: File = crate::geodata::parse_toml(&path.display().to_string(), &text).map_err(
        |error: crate::geodata::DataError| Problem::WorkspaceUnreadable {
            error: error.problem_text(),
        },
    )?;
    if file.format != FORMAT {
        return Err(Problem::NotAtlasWorkspace {
            format: file.format,
        });
    }
    if file.version > VERSION {
        return Err(Problem::NewerWorkspace {
            version: file.version,
            reads: VERSION,
        });
    }
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut state = file.state;
    for basemap in &mut state.basemaps {
        basemap.path = absolute(&basemap.path, dir);
    }
    for layer in &mut state.user_layers {
        layer.path = absolute(&layer.path, dir);
    }
    Ok(state)
}

/// Writes the workspace whole or not at all.
pub fn save(state: &SavedState, path: &Path) -> Result<(), String> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let dir = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    let text = to_toml(state, &dir)?;
    crate::atomic_file::write(path, text.as_bytes()).map_err(|error| error.to_string())
}

/// A tile server's URL template is kept as it is.
fn is_url(path: &Path) -> bool {
    path.to_string_lossy().contains("://")
}

/// `path` relative to `dir`: `data/x.csv` inside it, `../x.csv` beside it; as it is when it
/// shares no folder with `dir` but the root (or is a URL).
fn relative(path: &Path, dir: &Path) -> PathBuf {
    if is_url(path) || !path.is_absolute() {
        return path.to_path_buf();
    }
    let path_parts: Vec<Component> = path.components().collect();
    let dir_parts: Vec<Component> = dir.components().collect();
    let common = path_parts
        .iter()
        .zip(&dir_parts)
        .take_while(|(a, b)| a == b)
        .count();
    // Sharing only the root: the absolute path says more than a chain of "..".
    if common <= 1 {
        return path.to_path_buf();
    }
    let mut out = PathBuf::new();
    for _ in common..dir_parts.len() {
        out.push("..");
    }
    for part in &path_parts[common..] {
        out.push(part.as_os_str());
    }
    out
}

fn absolute(path: &Path, dir: &Path) -> PathBuf {
    if is_url(path) || path.is_absolute() {
        path.to_path_buf()
    } else {
        dir.join(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_inside_and_beside_are_relative_the_rest_absolute() {
        let dir = Path::new("/home/a/project");
        assert_eq!(
            relative(Path::new("/home/a/project/data/x.csv"), dir),
            PathBuf::from("data/x.csv")
        );
        assert_eq!(
            relative(Path::new("/home/a/maps/s.mbtiles"), dir),
            PathBuf::from("../maps/s.mbtiles")
        );
        assert_eq!(
            relative(Path::new("/srv/x.pmtiles"), dir),
            PathBuf::from("/srv/x.pmtiles")
        );
        let url = Path::new("https://tiles.example/{z}/{x}/{y}.png");
        assert_eq!(relative(url, dir), url);
        assert_eq!(
            absolute(Path::new("../maps/s.mbtiles"), dir),
            PathBuf::from("/home/a/project/../maps/s.mbtiles")
        );
    }
}
