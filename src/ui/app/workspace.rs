//! Workspaces in the window: "Open workspace…" and "Save workspace as…" (native dialogs, with
//! a path field when none can open), and `--workspace FILE`. Opening one replaces the view,
//! the language, the layers' settings, the basemaps and the user's layers; files in it that
//! cannot be opened are said in their panels, the rest opens. What an action did is said in
//! the message bar.

use std::path::{Path, PathBuf};

use super::AtlasApp;
use crate::geodata::Problem;
use crate::geodata::kept;
use crate::ui::action::CorrectionAction;
use crate::ui::basemap::Basemaps;
use crate::ui::state::SavedState;
use crate::ui::workspace;

pub use crate::ui::action::WorkspaceAction;

/// Where a saved state comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum StateFrom {
    /// The state the last run left.
    Remembered,
    /// A workspace file opened.
    Workspace,
}

impl AtlasApp {
    /// Opens the workspace at `path` (for `--workspace`); a file that cannot be read as one is
    /// said in the window and on stderr, and the window opens as it was.
    pub fn with_workspace(mut self, ctx: &egui::Context, path: &Path) -> Self {
        self.open_workspace(ctx, path);
        self
    }

    pub fn open_workspace(&mut self, ctx: &egui::Context, path: &Path) -> bool {
        match workspace::open(path) {
            Ok(state) => {
                self.apply_state(ctx, &state, StateFrom::Workspace);
                self.features.workspace.current = Some(path.to_path_buf());
                self.messages.say(
                    format!(
                        "{}: {}",
                        self.lang().pick("已打开工作区", "Workspace opened"),
                        path.display()
                    ),
                    false,
                );
                true
            }
            Err(problem) => {
                eprintln!("chengyu-atlas: workspace {}: {problem}", path.display());
                // A damaged workspace (not text, broken TOML) is copied aside, whatever
                // the user does with the file next; one that is missing, another program's
                // or a newer atlas's is only said.
                let damaged = matches!(
                    problem,
                    Problem::CannotRead { .. } | Problem::WorkspaceUnreadable { .. }
                );
                let why = crate::model::Text::new(problem.chinese(), problem.english());
                match damaged
                    .then(|| kept::copy_aside(path, kept::Role::Workspace, why))
                    .flatten()
                {
                    Some(kept) => {
                        eprintln!("chengyu-atlas: {}", kept.message().en);
                        self.messages.kept_aside(kept);
                    }
                    None => {
                        let problem = problem.in_language(self.lang());
                        self.messages
                            .say(format!("{}: {problem}", path.display()), true);
                    }
                }
                false
            }
        }
    }

    /// Writes what the window shows as a workspace at `path`.
    pub fn save_workspace(&mut self, path: &Path) -> bool {
        self.save_sketch_beside(path);
        let state = self.current_state();
        let outcome = workspace::save(&state, path);
        let ok = outcome.is_ok();
        match outcome {
            Ok(()) => {
                self.features.workspace.current = Some(path.to_path_buf());
                self.messages.say(
                    format!(
                        "{}: {}",
                        self.lang().pick("工作区已保存", "Workspace saved"),
                        path.display()
                    ),
                    false,
                );
            }
            Err(problem) => {
                let problem = crate::ui::panels::shown(&problem);
                let cannot = self
                    .lang()
                    .pick("工作区无法保存", "the workspace cannot be saved");
                self.messages
                    .say(format!("{}: {cannot}: {problem}", path.display()), true);
            }
        }
        ok
    }

    /// A workspace names files: a sketch in none is written beside it first
    /// (`WORKSPACE-SKETCH.geojson`), so that the workspace holds what was drawn and a colleague
    /// opening the folder sees it. A failure is said; the workspace is saved without it.
    fn save_sketch_beside(&mut self, workspace: &Path) {
        let Some(id) = self.sketch().filter(|id| {
            self.data.atlas.user_layer(*id).is_some_and(|l| l.sketch)
                && self
                    .data
                    .atlas
                    .layer(*id)
                    .is_some_and(|l| !l.features.is_empty())
        }) else {
            return;
        };
        let name = self
            .data
            .atlas
            .user_layer(id)
            .map(|l| l.name.clone())
            .unwrap_or_default();
        let stem = workspace
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let folder = workspace.parent().unwrap_or(Path::new("."));
        let path = super::drawing::free_name(folder, &format!("{stem}-{name}"));
        let lang = self.lang();
        match self.save_layer_to(id, &path) {
            Ok(()) => self.messages.say(
                format!(
                    "{}: {}",
                    lang.pick("草图已随工作区保存", "The sketch is saved with the workspace"),
                    path.display()
                ),
                false,
            ),
            Err(error) => self.messages.say(
                format!(
                    "{} {error}",
                    lang.pick(
                        "草图未能随工作区保存（仍在图层中）：",
                        "The sketch could not be saved with the workspace (it is still in its layer):"
                    )
                ),
                true,
            ),
        }
    }

    /// Shows `state`, remembered from the last run or read from a workspace: its view,
    /// language, layers' settings, how positions are written, the export's settings, the
    /// basemaps and the user's layers; the window's own arrangement (panes, size) where the
    /// state has it (a workspace never does). The one place a saved state becomes the window.
    pub(super) fn apply_state(&mut self, ctx: &egui::Context, state: &SavedState, from: StateFrom) {
        self.select(None, false);
        match &state.view {
            Some(view) => self.camera.restore(view),
            None => self.camera.pending_fit = Some(crate::ui::camera::Fit::Corridor),
        }
        self.settings.lang = state.lang;
        self.settings.layers = state.layers.clone();
        self.settings.coords = state.coords;
        self.settings.panel_hidden = state.panel_hidden;
        // A tolerance from a file is taken only where the menu's slider could have set it.
        if let Some(points) = state.snap_points.filter(|p| (0.0..=30.0).contains(p)) {
            self.features.drawing.snap_set = Some(points);
        }
        if let Some(dock) = &state.dock {
            self.settings.dock = serde_json::from_value::<crate::ui::dock::Dock>(dock.clone())
                .map(crate::ui::dock::Dock::repaired)
                .unwrap_or_default();
        }
        if state.window.is_some() {
            self.settings.window = state.window;
        }
        if state.projector.is_some() {
            self.features.tours.projector = state.projector.clone();
        }
        self.features.tours.reduced_motion = state.reduced_motion;
        if let Some(export) = &state.export {
            let open = self.features.export.open;
            self.features.export = crate::ui::features::export::ExportDialog::restored(export);
            self.features.export.open = open;
        }
        let bookmarks = &mut self.features.bookmarks.list;
        match from {
            StateFrom::Remembered => *bookmarks = state.bookmarks.clone(),
            // A colleague's bookmarks join the user's own (which are the user's, not the
            // workspace's: they are never replaced).
            StateFrom::Workspace => {
                for bookmark in &state.bookmarks {
                    if !bookmarks.iter().any(|b| b.name == bookmark.name) {
                        bookmarks.push(bookmark.clone());
                    }
                }
            }
        }
        self.basemaps = Basemaps::open(ctx, &state.basemaps, self.data.builder.origin());
        let user: Vec<_> = self.data.atlas.user_layers().map(|(id, _)| id).collect();
        self.features.user_layers.clear();
        if !user.is_empty() {
            for id in user {
                self.data.atlas.remove_user_layer(id);
            }
            self.data_changed();
        }
        // The layers the last run showed are opened by `with_saved_layers`, unless files are
        // named on the command line; a workspace's always are.
        if from == StateFrom::Workspace {
            self.restore_layers(&state.user_layers);
        }
    }

    pub(super) fn workspace_action(&mut self, action: WorkspaceAction, ctx: &egui::Context) {
        let lang = self.settings.lang;
        match action {
            WorkspaceAction::Open(path) => {
                self.open_workspace(ctx, &path);
            }
            WorkspaceAction::Save(path) => {
                self.save_workspace(&with_extension(path));
            }
            WorkspaceAction::SaveAgain => match self.features.workspace.current.clone() {
                Some(path) => {
                    self.save_workspace(&path);
                }
                None => self.workspace_action(WorkspaceAction::BrowseSave, ctx),
            },
            WorkspaceAction::ExportCorrections(path) => {
                self.correct(CorrectionAction::Export(with_extension(path)));
            }
            WorkspaceAction::ImportCorrections(path) => {
                self.correct(CorrectionAction::Import(path));
            }
            browse => {
                use crate::ui::file_dialog::{self as dialog, Picked, ask};
                let (picked, then): (Picked, fn(PathBuf) -> WorkspaceAction) = match browse {
                    WorkspaceAction::BrowseOpen => {
                        (ask(|| dialog::pick_workspace(lang)), WorkspaceAction::Open)
                    }
                    WorkspaceAction::BrowseSave => {
                        (ask(|| dialog::save_workspace(lang)), WorkspaceAction::Save)
                    }
                    WorkspaceAction::BrowseExportCorrections => (
                        ask(|| dialog::save_toml(lang, "corrections.toml")),
                        WorkspaceAction::ExportCorrections,
                    ),
                    _ => (
                        ask(|| dialog::pick_workspace(lang)),
                        WorkspaceAction::ImportCorrections,
                    ),
                };
                match picked {
                    Picked::Path(path) => self.workspace_action(then(path), ctx),
                    Picked::NoDialog => self.features.workspace.no_dialog = true,
                    Picked::Cancelled => {}
                }
            }
        }
    }
}

/// A workspace file ends in .toml.
fn with_extension(path: PathBuf) -> PathBuf {
    if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("toml"))
    {
        path
    } else {
        let mut name = path.into_os_string();
        name.push(".toml");
        PathBuf::from(name)
    }
}
