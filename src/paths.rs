//! Where the atlas keeps things on the user's machine: the platform's own folders (XDG on
//! Linux and the BSDs, Known Folders on Windows, `~/Library` on macOS, through the `dirs`
//! crate), each with a `CHENGYU_ATLAS_*` override for scripts, tests and roaming profiles.
//!
//! [`PLACES`] is the one list of them: `--paths` prints it for this machine, and the man page
//! and README are generated from it.

use std::ffi::OsString;
use std::path::PathBuf;

/// The folder name under the platform's config and cache folders.
const APP: &str = "chengyu-atlas";

/// One thing the atlas keeps, where, and how to move it.
pub struct Place {
    /// What is kept there (English, for `--paths` and the man page).
    pub what: &'static str,
    /// The variable that moves it, if any.
    pub variable: Option<&'static str>,
    /// Where it is by default, in the XDG terms the man page uses.
    pub default: &'static str,
    /// Where it is on this machine, if the platform says.
    pub locate: fn() -> Option<PathBuf>,
}

/// Everything the atlas writes or reads of its own, in the order `--paths` prints it.
pub const PLACES: &[Place] = &[
    Place {
        what: "saved state (view, layers, basemaps, bookmarks, settings)",
        variable: Some("CHENGYU_ATLAS_STATE"),
        default: "$XDG_CONFIG_HOME/chengyu-atlas/state.json",
        locate: state_file,
    },
    Place {
        what: "corrections of platforms and outlines",
        variable: None,
        default: "corrections.toml beside the saved state",
        locate: corrections_file,
    },
    Place {
        what: "user's own tours",
        variable: Some("CHENGYU_ATLAS_TOURS"),
        default: "$XDG_CONFIG_HOME/chengyu-atlas/tours/",
        locate: tours_dir,
    },
    Place {
        what: "tiles fetched from a tile server",
        variable: Some("CHENGYU_ATLAS_CACHE"),
        default: "$XDG_CACHE_HOME/chengyu-atlas/",
        locate: cache_dir,
    },
    Place {
        what: "where exported images are proposed",
        variable: None,
        default: "the desktop's pictures folder (XDG_PICTURES_DIR)",
        locate: pictures,
    },
    Place {
        what: "where PDFs, handouts, workspaces and tours are proposed",
        variable: None,
        default: "the desktop's documents folder (XDG_DOCUMENTS_DIR)",
        locate: documents,
    },
];

/// A path from `variable` if it is set and not empty.
fn overridden(variable: &str) -> Option<PathBuf> {
    std::env::var_os(variable)
        .filter(|value: &OsString| !value.is_empty())
        .map(PathBuf::from)
}

/// The atlas's folder in the user's configuration: `$XDG_CONFIG_HOME/chengyu-atlas` on Linux,
/// `%APPDATA%\chengyu-atlas` on Windows, `~/Library/Application Support/chengyu-atlas` on macOS.
pub fn config_dir() -> Option<PathBuf> {
    Some(dirs::config_dir()?.join(APP))
}

/// The saved state: `$CHENGYU_ATLAS_STATE`, else `state.json` in [`config_dir`].
pub fn state_file() -> Option<PathBuf> {
    overridden("CHENGYU_ATLAS_STATE").or_else(|| Some(config_dir()?.join("state.json")))
}

/// The corrections the window saves: beside the state, so that one variable moves both.
pub fn corrections_file() -> Option<PathBuf> {
    Some(corrections_beside(&state_file()?))
}

/// The corrections file that goes with the state file `state`.
pub fn corrections_beside(state: &std::path::Path) -> PathBuf {
    state.with_file_name("corrections.toml")
}

/// The user's own tours: `$CHENGYU_ATLAS_TOURS`, else `tours/` in [`config_dir`].
pub fn tours_dir() -> Option<PathBuf> {
    overridden("CHENGYU_ATLAS_TOURS").or_else(|| Some(config_dir()?.join("tours")))
}

/// Tiles fetched from a tile server: `$CHENGYU_ATLAS_CACHE`, else the platform's cache folder
/// (`$XDG_CACHE_HOME`, `%LOCALAPPDATA%`, `~/Library/Caches`) with `chengyu-atlas` in it.
pub fn cache_dir() -> Option<PathBuf> {
    overridden("CHENGYU_ATLAS_CACHE").or_else(|| Some(dirs::cache_dir()?.join(APP)))
}

/// The user's pictures folder as the desktop names it (a Chinese desktop's `~/图片`).
pub fn pictures_dir() -> PathBuf {
    user_folder(dirs::picture_dir(), "Pictures")
}

/// The user's documents folder as the desktop names it (a Chinese desktop's `~/文档`).
pub fn documents_dir() -> PathBuf {
    user_folder(dirs::document_dir(), "Documents")
}

fn pictures() -> Option<PathBuf> {
    Some(pictures_dir())
}

fn documents() -> Option<PathBuf> {
    Some(documents_dir())
}

/// The desktop's folder if it exists, else `~/<fallback>` if that exists, else the home folder.
fn user_folder(named: Option<PathBuf>, fallback: &str) -> PathBuf {
    let home = dirs::home_dir();
    named
        .filter(|dir| dir.is_dir())
        .or_else(|| {
            home.as_ref()
                .map(|home| home.join(fallback))
                .filter(|dir| dir.is_dir())
        })
        .or(home)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// What `--paths` prints: each place on this machine, and what moves it.
pub fn report() -> String {
    let mut out = String::new();
    for place in PLACES {
        let here = (place.locate)()
            .map(|path| path.display().to_string())
            .unwrap_or_else(|| "(no home folder: not kept)".to_string());
        out.push_str(&format!("{}\n    {here}", place.what));
        if let Some(variable) = place.variable {
            out.push_str(&format!("    (moved by {variable})"));
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_desktop_folder_falls_back_to_one_that_exists() {
        let named = std::env::temp_dir().join("chengyu-atlas-no-such-folder-图片");
        let chosen = user_folder(Some(named.clone()), "no-such-fallback-either");
        assert_ne!(chosen, named);
        assert!(
            chosen.is_dir() || chosen == std::path::Path::new("."),
            "{chosen:?}"
        );
    }
}
