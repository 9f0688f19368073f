//! Workspaces (工作区): the file last opened or saved (what Save writes), and the path window
//! shown where no file dialog can open (a path, and what to do with it: open or save a
//! workspace, import or export corrections). Opening one is the window's: it makes the saved
//! state the window (`app/workspace.rs`).

use std::path::PathBuf;

use crate::model::Lang;
use crate::ui::action::{Action, WorkspaceAction};

use super::{Ctx, Feature};

/// The workspace's state in the window: the file last opened or saved (what Save writes),
/// and the path field shown when no file dialog can open.
#[derive(Default)]
pub struct Workspace {
    pub path: String,
    /// No native dialog could open: the path window is shown.
    pub no_dialog: bool,
    /// The workspace file last opened or saved.
    pub current: Option<PathBuf>,
}

impl Feature for Workspace {
    fn windows(&mut self, egui: &egui::Context, ctx: &Ctx<'_>) -> Vec<Action> {
        self.path_window(egui, ctx.lang)
            .map(Action::Workspace)
            .into_iter()
            .collect()
    }
}

impl Workspace {
    /// The path window, for desktops without a file dialog: a path, and what to do with it.
    fn path_window(&mut self, ctx: &egui::Context, lang: Lang) -> Option<WorkspaceAction> {
        if !self.no_dialog {
            return None;
        }
        let mut asked = None;
        let mut open = true;
        egui::Window::new(lang.pick("工作区与校正文件", "Workspace and corrections file"))
            .id(egui::Id::unique("workspace-path-window"))
            .open(&mut open)
            .collapsible(false)
            .resizable(false)
            .default_width(420.0)
            // Where a dialog opens: in the middle, over the map, not over the panes.
            .anchor(egui::Align2::CENTER_TOP, egui::vec2(0.0, 96.0))
            .show(ctx, |ui| {
                ui.add(
                    egui::TextEdit::singleline(&mut self.path)
                        .hint_text(lang.pick("文件路径（.toml）", "path to a file (.toml)"))
                        .desired_width(ui.available_width()),
                );
                ui.horizontal_wrapped(|ui| {
                    let path = PathBuf::from(self.path.trim());
                    let typed = !self.path.trim().is_empty();
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
                        if ui.add_enabled(typed, egui::Button::new(label)).clicked() {
                            asked = Some(action);
                        }
                    }
                });
                crate::ui::panels::no_dialog_notice(ui, lang);
            });
        if !open {
            self.no_dialog = false;
        }
        asked
    }
}
