//! The saved document, below the window: what the window remembers between runs (the view,
//! the layers and their settings, the language, bookmarks, basemaps, the user's layers, the
//! export settings) and the workspace a team shares as TOML. The window reads and writes it,
//! and so does the command line (`export --workspace`), which never needs the window for it.

pub mod history;
pub mod journal;
pub mod state;
pub mod workspace;

pub use state::{
    Bookmark, SavedBasemap, SavedExport, SavedState, SavedUserLayer, SavedView, SavedWindow,
};
