//! Workspaces in the window: "Open workspace…" and "Save workspace as…" (native dialogs, with
//! a path field when none can open), and `--workspace FILE`. Opening one replaces the view,
//! the language, the layers' settings, the basemaps and the user's layers; files in it that
//! cannot be opened are said in their panels, the rest opens.

use std::path::{Path, PathBuf};

use super::AtlasApp;
use crate::ui::basemap::Basemaps;
use crate::ui::state::SavedState;
use crate::ui::workspace;

/// The workspace section's state: the path typed, whether no dialog can open, what was said.
#[derive(Default)]
pub struct WorkspacePanel {
    pub path: String,
    pub no_dialog: bool,
    /// The last outcome: a message, and whether it is a failure.
    pub said: Option<(String, bool)>,
}

/// What the user asked of the workspace section.
#[derive(Debug, Clone, PartialEq)]
pub enum WorkspaceAction {
    Open(PathBuf),
    Save(PathBuf),
    BrowseOpen,
    BrowseSave,
    /// Platform corrections, shared with a team.
    ExportCorrections(PathBuf),
    ImportCorrections(PathBuf),
    BrowseExportCorrections,
    BrowseImportCorrections,
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
                self.apply_state(ctx, &state);
                self.workspace.said = Some((
                    format!(
                        "{}: {}",
                        self.lang().pick("已打开", "opened"),
                        path.display()
                    ),
                    false,
                ));
                true
            }
            Err(problem) => {
                let message = format!("{}: {problem}", path.display());
                eprintln!("chengyu-atlas: workspace {message}");
                self.workspace.said = Some((message, true));
                false
            }
        }
    }

    /// Writes what the window shows as a workspace at `path`.
    pub fn save_workspace(&mut self, path: &Path) -> bool {
        let state = self.current_state();
        let outcome = workspace::save(&state, path);
        let ok = outcome.is_ok();
        self.workspace.said = Some(match outcome {
            Ok(()) => (
                format!(
                    "{}: {}",
                    self.lang().pick("已保存", "saved"),
                    path.display()
                ),
                false,
            ),
            Err(problem) => (format!("{}: {problem}", path.display()), true),
        });
        ok
    }

    /// Shows `state`: its view, language, layer settings, basemaps and user's layers.
    fn apply_state(&mut self, ctx: &egui::Context, state: &SavedState) {
        self.select(None, false);
        self.dialogs.table = None;
        if let Some(view) = &state.view {
            self.camera.restore(view);
        }
        self.settings.lang = state.lang;
        self.settings.layers = state.layers.clone();
        self.basemaps.list = Basemaps::open(ctx, &state.basemaps, self.data.builder.origin());
        let user: Vec<_> = self.data.atlas.user_layers().map(|(id, _)| id).collect();
        for id in user {
            self.data.atlas.remove_user_layer(id);
        }
        self.user_layers.loading.clear();
        self.user_layers.problems.clear();
        self.data_changed();
        self.restore_layers(&state.user_layers);
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
            WorkspaceAction::ExportCorrections(path) => {
                self.export_corrections(&with_extension(path));
            }
            WorkspaceAction::ImportCorrections(path) => {
                self.import_corrections(&path);
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
                    Picked::NoDialog => self.workspace.no_dialog = true,
                    Picked::Cancelled => {}
                }
            }
        }
    }

    /// The workspace section of the side panel.
    pub(super) fn workspace_section(&mut self, ui: &mut egui::Ui) -> Option<WorkspaceAction> {
        let lang = self.settings.lang;
        let panel = &mut self.workspace;
        let mut asked = None;
        ui.horizontal(|ui| {
            ui.label(lang.pick("工作区", "Workspace"));
            if ui
                .button(lang.pick("打开…", "Open…"))
                .on_hover_text(lang.pick(
                    "打开同事保存的工作区（.toml）",
                    "Open a workspace (.toml) a colleague saved",
                ))
                .clicked()
            {
                asked = Some(WorkspaceAction::BrowseOpen);
            }
            if ui
                .button(lang.pick("另存为…", "Save as…"))
                .on_hover_text(lang.pick(
                    "视图、图层、底图与样式存为一个文件，路径相对于该文件",
                    "The view, layers, basemaps and styles in one file, paths relative to it",
                ))
                .clicked()
            {
                asked = Some(WorkspaceAction::BrowseSave);
            }
        });
        ui.horizontal(|ui| {
            ui.label(lang.pick("平台校正", "Corrections"));
            if ui
                .button(lang.pick("导入…", "Import…"))
                .on_hover_text(lang.pick(
                    "合并同事的校正文件（同一平台取较新者）",
                    "Merge a colleague's corrections (the later one of a platform wins)",
                ))
                .clicked()
            {
                asked = Some(WorkspaceAction::BrowseImportCorrections);
            }
            if ui.button(lang.pick("导出…", "Export…")).clicked() {
                asked = Some(WorkspaceAction::BrowseExportCorrections);
            }
        });
        if panel.no_dialog {
            ui.horizontal(|ui| {
                ui.add(
                    egui::TextEdit::singleline(&mut panel.path)
                        .hint_text(lang.pick("文件路径（.toml）", "path to a file (.toml)"))
                        .desired_width(ui.available_width() - 12.0),
                );
            });
            ui.horizontal_wrapped(|ui| {
                let path = PathBuf::from(panel.path.trim());
                let typed = !panel.path.trim().is_empty();
                for (label, action) in [
                    (
                        lang.pick("打开工作区", "Open workspace"),
                        WorkspaceAction::Open(path.clone()),
                    ),
                    (
                        lang.pick("保存工作区", "Save workspace"),
                        WorkspaceAction::Save(path.clone()),
                    ),
                    (
                        lang.pick("导入校正", "Import corrections"),
                        WorkspaceAction::ImportCorrections(path.clone()),
                    ),
                    (
                        lang.pick("导出校正", "Export corrections"),
                        WorkspaceAction::ExportCorrections(path.clone()),
                    ),
                ] {
                    if ui.small_button(label).clicked() && typed {
                        asked = Some(action);
                    }
                }
            });
        }
        let said = self.workspace.said.iter().chain(&self.corrections.said);
        for (message, failed) in said {
            let message = crate::ui::panels::in_language(message, lang);
            crate::ui::panels::notice(ui, message, *failed);
        }
        asked
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
