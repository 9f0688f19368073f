//! The menu bar as a desktop GIS has it — 文件 File, 视图 View, 图层 Layer, 工具 Tools, 演示
//! Present, 帮助 Help — each item with its shortcut, and the shortcuts themselves (one table,
//! so that a key and the menu that shows it cannot drift apart).

use egui::{KeyboardShortcut, Ui};

use super::workspace::WorkspaceAction;
use super::{Action, AtlasApp};
use crate::measure::MeasureKind;
use crate::model::Lang;
use crate::ui::action::BasemapAction;
use crate::ui::action::EditAction;
use crate::ui::action::TourAction;
use crate::ui::camera::Fit;
use crate::ui::commands::{
    ADD_LAYER, BACK, COMMANDS, DELETE, EXPORT, FIT_CIRCLE, FORWARD, HELP, MEASURE_AREA,
    MEASURE_DISTANCE, OPEN_WORKSPACE, PRESENT, QUIT, REDO, REHEARSE, SAVE_WORKSPACE,
    SAVE_WORKSPACE_AS, UNDO,
};
use crate::ui::dock::Pane;
use crate::ui::features::Feature;
use crate::ui::features::drawing::DrawTool;
use crate::ui::panels::user_layers::UserLayerAction;

impl AtlasApp {
    /// The commands whose keys were pressed this frame (asked after the panels are drawn, so
    /// that a text field with the keyboard has had them first).
    pub(super) fn shortcuts(&mut self, ctx: &egui::Context) -> Vec<Action> {
        let typing = ctx.egui_wants_keyboard_input();
        ctx.input_mut(|input| {
            COMMANDS
                .iter()
                .filter(|command| command.while_typing || !typing)
                .filter(|command| input.consume_shortcut(&command.shortcut))
                .map(|command| (command.action)())
                .collect()
        })
    }

    /// The bar at the top: the menus, and the search box on the right, in view whatever the
    /// panes show; what was chosen.
    pub(super) fn top_bar(&mut self, ui: &mut Ui) -> Vec<Action> {
        let lang = self.settings.lang;
        let mut asked = Vec::new();
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button(lang.pick("文件", "File"), |ui| {
                asked.extend(self.file_menu(ui, lang));
            });
            ui.menu_button(lang.pick("编辑", "Edit"), |ui| {
                asked.extend(self.edit_menu(ui, lang));
            });
            ui.menu_button(lang.pick("视图", "View"), |ui| {
                asked.extend(self.view_menu(ui, lang));
            });
            ui.menu_button(lang.pick("图层", "Layer"), |ui| {
                asked.extend(self.layer_menu(ui, lang));
            });
            ui.menu_button(lang.pick("工具", "Tools"), |ui| {
                asked.extend(self.tools_menu(ui, lang));
            });
            ui.menu_button(lang.pick("演示", "Present"), |ui| {
                asked.extend(self.present_menu(ui, lang));
            });
            ui.menu_button(lang.pick("帮助", "Help"), |ui| {
                if item(ui, lang.pick("按键与鼠标", "Keys and mouse"), Some(HELP)) {
                    asked.push(Action::ToggleHelp);
                }
                if item(
                    ui,
                    lang.pick("关于成渝科创地图", "About Chengyu Atlas"),
                    None,
                ) {
                    asked.push(Action::About);
                }
            });
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                asked.extend(self.with_features(|features, cx| features.search.bar(ui, cx)));
            });
        });
        asked
    }

    fn file_menu(&mut self, ui: &mut Ui, lang: Lang) -> Vec<Action> {
        let mut asked = Vec::new();
        let mut push = |chosen: bool, action: Action| {
            if chosen {
                asked.push(action);
            }
        };
        push(
            item(
                ui,
                lang.pick("打开工作区…", "Open workspace…"),
                Some(OPEN_WORKSPACE),
            ),
            Action::Workspace(WorkspaceAction::BrowseOpen),
        );
        push(
            item(
                ui,
                lang.pick("保存工作区", "Save workspace"),
                Some(SAVE_WORKSPACE),
            ),
            Action::Workspace(WorkspaceAction::SaveAgain),
        );
        push(
            item(
                ui,
                lang.pick("工作区另存为…", "Save workspace as…"),
                Some(SAVE_WORKSPACE_AS),
            ),
            Action::Workspace(WorkspaceAction::BrowseSave),
        );
        ui.separator();
        push(
            item(ui, lang.pick("添加图层…", "Add layer…"), Some(ADD_LAYER)),
            Action::UserLayer(UserLayerAction::Browse),
        );
        push(
            item(
                ui,
                lang.pick("添加数据库图层…", "Add database layer…"),
                None,
            ),
            Action::UserLayer(UserLayerAction::OpenDatabase(None)),
        );
        push(
            item(
                ui,
                lang.pick("添加要素服务图层…", "Add feature service layer…"),
                None,
            ),
            Action::UserLayer(UserLayerAction::OpenService),
        );
        push(
            item(ui, lang.pick("打开底图…", "Open basemap…"), None),
            Action::Basemap(BasemapAction::Browse),
        );
        let sketch = self.sketch().is_some();
        push(
            ui.add_enabled(
                sketch,
                button(
                    ui,
                    lang.pick("保存草图（GeoJSON、KML）…", "Save sketch (GeoJSON, KML)…"),
                    None,
                ),
            )
            .clicked(),
            Action::SaveSketch,
        );
        ui.separator();
        push(
            item(ui, lang.pick("导出地图…", "Export map…"), Some(EXPORT)),
            Action::OpenExport,
        );
        ui.separator();
        push(
            item(ui, lang.pick("团队共享校正…", "Team corrections…"), None),
            Action::Correction(crate::ui::action::CorrectionAction::OpenTeam),
        );
        if let Some((said, failed)) = self.features.corrections.team.said(lang) {
            let text = egui::RichText::new(said).small();
            ui.label(if failed {
                text.color(ui.visuals().warn_fg_color)
            } else {
                text.weak()
            });
        }
        push(
            item(ui, lang.pick("导入平台校正…", "Import corrections…"), None),
            Action::Workspace(WorkspaceAction::BrowseImportCorrections),
        );
        push(
            item(ui, lang.pick("导出平台校正…", "Export corrections…"), None),
            Action::Workspace(WorkspaceAction::BrowseExportCorrections),
        );
        ui.separator();
        push(
            item(ui, lang.pick("退出", "Quit"), Some(QUIT)),
            Action::Quit,
        );
        asked
    }

    fn view_menu(&mut self, ui: &mut Ui, lang: Lang) -> Vec<Action> {
        let mut asked = Vec::new();
        for fit in Fit::ALL {
            let shortcut = (fit == Fit::Corridor).then_some(FIT_CIRCLE);
            if item(ui, fit.label(lang), shortcut) {
                asked.push(Action::Fit(fit));
            }
        }
        ui.separator();
        let back = self.camera.history.can_go_back();
        let forward = self.camera.history.can_go_forward();
        if ui
            .add_enabled(back, button(ui, lang.pick("后退", "Back"), Some(BACK)))
            .clicked()
        {
            asked.push(Action::Back);
        }
        if ui
            .add_enabled(
                forward,
                button(ui, lang.pick("前进", "Forward"), Some(FORWARD)),
            )
            .clicked()
        {
            asked.push(Action::Forward);
        }
        ui.separator();
        ui.menu_button(lang.pick("面板", "Panels"), |ui| {
            for pane in Pane::ALL {
                let mut open = self.settings.dock.is_open(pane);
                if ui.checkbox(&mut open, pane.menu_title(lang)).clicked() {
                    asked.push(Action::Pane(pane, open));
                }
            }
            ui.separator();
            if ui
                .button(lang.pick("恢复默认布局", "Reset layout"))
                .clicked()
            {
                asked.push(Action::ResetPanes);
            }
        });
        let mut shown = !self.settings.panel_hidden;
        if ui
            .checkbox(&mut shown, lang.pick("侧栏 (≡)", "Side panel (≡)"))
            .clicked()
        {
            asked.push(Action::TogglePanel);
        }
        ui.separator();
        ui.menu_button(lang.pick("语言 Language", "Language 语言"), |ui| {
            for (choice, name) in [(Lang::Zh, "中文"), (Lang::En, "English")] {
                if ui.radio(lang == choice, name).clicked() {
                    asked.push(Action::Lang(choice));
                }
            }
        });
        asked
    }

    fn layer_menu(&mut self, ui: &mut Ui, lang: Lang) -> Vec<Action> {
        let mut asked = Vec::new();
        if item(ui, lang.pick("添加图层…", "Add layer…"), Some(ADD_LAYER)) {
            asked.push(Action::UserLayer(UserLayerAction::Browse));
        }
        if item(
            ui,
            lang.pick("添加数据库图层…", "Add database layer…"),
            None,
        ) {
            asked.push(Action::UserLayer(UserLayerAction::OpenDatabase(None)));
        }
        if item(
            ui,
            lang.pick("添加要素服务图层…", "Add feature service layer…"),
            None,
        ) {
            asked.push(Action::UserLayer(UserLayerAction::OpenService));
        }
        if item(ui, lang.pick("打开底图…", "Open basemap…"), None) {
            asked.push(Action::Basemap(BasemapAction::Browse));
        }
        ui.separator();
        let layers: Vec<_> = self
            .data
            .atlas
            .user_layers()
            .map(|(id, layer)| (id, layer.name.clone()))
            .collect();
        ui.add_enabled_ui(!layers.is_empty(), |ui| {
            ui.menu_button(lang.pick("属性表", "Attribute table"), |ui| {
                for (id, name) in &layers {
                    if ui.button(name).clicked() {
                        asked.push(Action::UserLayer(UserLayerAction::OpenTable(*id)));
                    }
                }
            });
            ui.menu_button(lang.pick("导出数据", "Export data"), |ui| {
                for (id, name) in &layers {
                    if ui.button(format!("{name}…")).clicked() {
                        asked.push(Action::UserLayer(UserLayerAction::ExportData(*id)));
                    }
                }
            });
        });
        if !self.data.problems.is_empty()
            && item(ui, lang.pick("数据问题…", "Data problems…"), None)
        {
            asked.push(Action::ShowProblems);
        }
        asked
    }

    fn tools_menu(&mut self, ui: &mut Ui, lang: Lang) -> Vec<Action> {
        let mut asked = Vec::new();
        let measuring = self.features.measuring.kind();
        for (kind, label, shortcut) in [
            (
                MeasureKind::Distance,
                lang.pick("测距", "Measure distance"),
                MEASURE_DISTANCE,
            ),
            (
                MeasureKind::Area,
                lang.pick("测面积", "Measure area"),
                MEASURE_AREA,
            ),
        ] {
            if tool_item(ui, label, shortcut, measuring == Some(kind)) {
                asked.push(Action::Measure(Some(kind)));
            }
        }
        ui.separator();
        let drawing = self.features.drawing.tool;
        for tool in DrawTool::ALL {
            let (label, shortcut) = (tool.title(lang), crate::ui::commands::draw_key(tool));
            if tool_item(ui, label, shortcut, drawing == Some(tool)) {
                asked.push(Action::Draw(Some(tool)));
            }
        }
        asked
    }

    /// Undo and Redo, each naming its step ("撤销 移动顶点"), as an editor's Edit menu does;
    /// Delete and the attribute form for the selected feature of a layer open for edits.
    fn edit_menu(&mut self, ui: &mut Ui, lang: Lang) -> Vec<Action> {
        let mut asked = Vec::new();
        let history = &self.features.editing.history;
        let named = |verb: &str, step: Option<&crate::model::Text>| match step {
            Some(step) => format!("{verb} {}", step.get(lang)),
            None => verb.to_string(),
        };
        let undo = named(lang.pick("撤销", "Undo"), history.to_undo());
        let redo = named(lang.pick("重做", "Redo"), history.to_redo());
        let (can_undo, can_redo) = (history.to_undo().is_some(), history.to_redo().is_some());
        if ui
            .add_enabled(can_undo, button(ui, &undo, Some(UNDO)))
            .clicked()
        {
            asked.push(Action::Undo);
        }
        if ui
            .add_enabled(can_redo, button(ui, &redo, Some(REDO)))
            .clicked()
        {
            asked.push(Action::Redo);
        }
        ui.separator();
        let selected = self.selection.selected.filter(|f| self.editable(*f));
        if ui
            .add_enabled(
                selected.is_some(),
                button(ui, lang.pick("编辑属性…", "Edit attributes…"), None),
            )
            .clicked()
            && let Some(feature) = selected
        {
            asked.push(Action::Edit(EditAction::Attributes(feature)));
        }
        let deletes = match self.features.editing.vertex {
            Some(_) => lang.pick("删除顶点", "Delete vertex"),
            None => lang.pick("删除要素", "Delete feature"),
        };
        if ui
            .add_enabled(selected.is_some(), button(ui, deletes, Some(DELETE)))
            .clicked()
        {
            asked.push(Action::Edit(EditAction::Delete));
        }
        asked
    }

    fn present_menu(&mut self, ui: &mut Ui, lang: Lang) -> Vec<Action> {
        let mut asked = Vec::new();
        let shelf = &mut self.features.tours;
        if ui
            .add_enabled(
                shelf.chosen().is_some(),
                button(ui, lang.pick("开始演示", "Present"), Some(PRESENT)),
            )
            .clicked()
        {
            asked.push(Action::Tour(TourAction::Present));
        }
        if ui
            .add_enabled(
                shelf.chosen().is_some(),
                button(
                    ui,
                    lang.pick("排练（演示者视图）", "Rehearse (presenter view)"),
                    Some(REHEARSE),
                ),
            )
            .clicked()
        {
            asked.push(Action::Tour(TourAction::Rehearse));
        }
        ui.separator();
        for (index, tour) in shelf.tours.iter().enumerate() {
            if ui
                .radio(shelf.chosen == index, tour.title.get(lang))
                .clicked()
            {
                shelf.chosen = index;
            }
        }
        ui.separator();
        ui.checkbox(
            &mut shelf.reduced_motion,
            lang.pick("减少动画", "Reduce motion"),
        );
        if item(ui, lang.pick("编辑导览…", "Edit tours…"), None) {
            asked.push(Action::Pane(Pane::Tours, true));
        }
        if ui
            .add_enabled(
                shelf.chosen().is_some(),
                egui::Button::new(lang.pick("导出讲义 PDF…", "Handout PDF…")),
            )
            .clicked()
        {
            asked.push(Action::Tour(TourAction::Handout));
        }
        if ui
            .add_enabled(
                shelf.chosen().is_some() && !shelf.video_running(),
                egui::Button::new(lang.pick("导出视频…", "Export video…")),
            )
            .clicked()
        {
            // Its progress bar and Cancel are in the tours pane: shown.
            asked.push(Action::Pane(Pane::Tours, true));
            asked.push(Action::Tour(TourAction::Video));
        }
        asked
    }
}

/// A menu button with its shortcut written on its right.
fn button<'a>(ui: &Ui, label: &'a str, shortcut: Option<KeyboardShortcut>) -> egui::Button<'a> {
    let button = egui::Button::new(label);
    match shortcut {
        Some(shortcut) => button.shortcut_text(ui.ctx().format_shortcut(&shortcut)),
        None => button,
    }
}

/// A tool's menu item, shown selected while the tool is in hand (the bundled font has no
/// check mark); whether it was chosen.
fn tool_item(ui: &mut Ui, label: &str, shortcut: KeyboardShortcut, on: bool) -> bool {
    ui.add(button(ui, label, Some(shortcut)).selected(on))
        .clicked()
}

/// A menu item; whether it was chosen.
fn item(ui: &mut Ui, label: &str, shortcut: Option<KeyboardShortcut>) -> bool {
    ui.add(button(ui, label, shortcut)).clicked()
}
