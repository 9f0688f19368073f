//! What the window remembers between runs (view, layers, language, reduced motion): read at
//! start, written when it changed every few seconds and on exit.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use super::AtlasApp;
use crate::ui::state::{self, SavedState, SavedView};

/// How often the state is checked for changes.
const SAVE_INTERVAL: Duration = Duration::from_secs(2);

pub(super) struct Persistence {
    /// Where the state is kept (`None`: nowhere, or it could not be written).
    path: Option<PathBuf>,
    /// The state as last read or written.
    pub(super) saved: SavedState,
    last_check: Instant,
    /// Messages for the user: saved state ignored, state not saved, …
    pub(super) notices: Vec<String>,
}

impl Persistence {
    /// Reads the state at `path`; a state that cannot be read is said so and ignored.
    pub(super) fn open(path: Option<PathBuf>) -> Self {
        let (saved, notice) = match &path {
            Some(path) => state::load(path),
            None => (SavedState::default(), None),
        };
        if let Some(notice) = &notice {
            eprintln!("chengyu-atlas: {notice}");
        }
        Self {
            path,
            saved,
            last_check: Instant::now(),
            notices: notice.into_iter().collect(),
        }
    }
}

impl AtlasApp {
    pub(super) fn current_state(&self) -> SavedState {
        SavedState {
            view: self.camera.center().map(|center| SavedView {
                center: [center.x, center.y],
                zoom: self.camera.memory.zoom(),
            }),
            layers: self.settings.layers.clone(),
            lang: self.settings.lang,
            reduced_motion: self.dialogs.tours.reduced_motion,
            basemaps: self.basemaps.list.saved(),
            user_layers: self.saved_layers(),
            coords: self.settings.coords,
            bookmarks: self.settings.bookmarks.clone(),
            export: Some(self.dialogs.export.saved()),
            panel_hidden: self.settings.panel_hidden,
        }
    }

    /// Writes the state now if it changed (it is also written every two seconds and on exit).
    pub fn save_now(&mut self) {
        let Some(path) = self.persist.path.clone() else {
            return;
        };
        let current = self.current_state();
        if current == self.persist.saved {
            return;
        }
        match state::save(&path, &current) {
            Ok(()) => self.persist.saved = current,
            Err(error) => {
                let notice = format!("Could not save the view: {error}");
                eprintln!("chengyu-atlas: {notice}");
                self.persist.notices.push(notice);
                self.persist.path = None; // say it once, not every two seconds
            }
        }
    }

    pub(super) fn save_every_few_seconds(&mut self) {
        if self.persist.last_check.elapsed() >= SAVE_INTERVAL {
            self.persist.last_check = Instant::now();
            self.save_now();
        }
    }
}
