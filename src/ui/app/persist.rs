//! What the window remembers between runs (view, layers, language, reduced motion): read at
//! start, written when it changed every few seconds and on exit.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use super::AtlasApp;
use crate::geodata::kept::KeptAside;
use crate::model::Text;
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
    pub(super) notices: Vec<Text>,
    /// The state file, when it could not be read and was moved aside (for the banner).
    pub(super) kept: Option<KeptAside>,
    /// Whether the window's size was checked against the monitor (once it is known).
    window_checked: bool,
}

impl Persistence {
    /// Reads the state at `path`; a state that cannot be read is said so and ignored.
    pub(super) fn open(path: Option<PathBuf>) -> Self {
        let loaded = match &path {
            Some(path) => state::load(path),
            None => state::Loaded::default(),
        };
        if let Some(notice) = &loaded.notice {
            eprintln!("chengyu-atlas: {}", notice.en);
        }
        // A file kept aside is said by its banner; a view out of range in the panel.
        let notices = loaded.notice.filter(|_| loaded.kept.is_none());
        Self {
            path,
            saved: loaded.state,
            last_check: Instant::now(),
            notices: notices.into_iter().collect(),
            kept: loaded.kept,
            window_checked: false,
        }
    }
}

impl Persistence {
    /// A file kept beside the state (`None` when the state is kept nowhere).
    pub(super) fn beside(&self, name: &str) -> Option<PathBuf> {
        Some(self.path.as_ref()?.with_file_name(name))
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
            reduced_motion: self.features.tours.reduced_motion,
            basemaps: self.basemaps.saved(),
            user_layers: self.saved_layers(),
            coords: self.settings.coords,
            bookmarks: self.features.bookmarks.list.clone(),
            export: Some(self.features.export.saved()),
            panel_hidden: self.settings.panel_hidden,
            dock: serde_json::to_value(&self.settings.dock).ok(),
            window: self.settings.window,
            projector: self.features.tours.projector.clone(),
            snap_points: self.features.drawing.snap_set,
        }
    }

    /// Keeps the window on the screen and remembers its size. The window opens at the size
    /// last left (else [`crate::ui::WINDOW_SIZE`]); where that does not fit the monitor with
    /// room for a title bar and a task bar, the window is maximised, so that the window
    /// manager fits all of it — the status bar too — into the screen's work area, which only
    /// it knows.
    pub(super) fn fit_window(&mut self, ctx: &egui::Context) {
        let (monitor, inner, maximized) = ctx.input(|i| {
            let viewport = i.viewport();
            (
                viewport.monitor_size,
                viewport.inner_rect,
                viewport.maximized,
            )
        });
        if !self.persist.window_checked
            && let Some(monitor) = monitor
        {
            self.persist.window_checked = true;
            let wanted = self
                .settings
                .window
                .map_or(crate::ui::WINDOW_SIZE, |window| window.size);
            if !fits(wanted, monitor) {
                ctx.send_viewport_cmd(egui::ViewportCommand::Maximized(true));
            }
        }
        if let Some(inner) = inner {
            self.settings.window = Some(state::SavedWindow {
                size: [inner.width().round(), inner.height().round()],
                maximized: maximized.unwrap_or(false),
            });
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
                let notice = Text::new(
                    format!("无法保存视图：{error}"),
                    format!("Could not save the view: {error}"),
                );
                eprintln!("chengyu-atlas: {}", notice.en);
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

/// Room a window manager takes around a window and for its panels: a title bar and a task
/// bar, at most.
const DECORATION: egui::Vec2 = egui::vec2(40.0, 110.0);

/// Whether a window whose inside is `size` fits a monitor of `monitor` with its decoration.
fn fits(size: [f32; 2], monitor: egui::Vec2) -> bool {
    size[0] + DECORATION.x <= monitor.x && size[1] + DECORATION.y <= monitor.y
}
