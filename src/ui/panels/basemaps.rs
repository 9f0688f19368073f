//! The basemap panel: the packages the user added, top first as they are drawn (the first
//! added is the base, later ones overlays): visibility, opacity, order, remove, zoom to the
//! package; its kind, format, zooms, datum and attribution; the tiles it could not read; and
//! "Open basemap…" with a path field beside the native dialog (which needs a desktop portal
//! that not every desktop runs). The built-in basemap stays below them all.

use std::path::PathBuf;

use egui::{RichText, Ui};

use super::notice;

use crate::basemap::{Bounds, PackageInfo};
use crate::model::Lang;
use crate::ui::basemap::{BasemapLayer, Basemaps};

/// What the user asked of the basemap panel that reaches beyond it.
#[derive(Debug, Clone, PartialEq)]
pub enum BasemapAction {
    /// Show the package's whole extent.
    ZoomTo(Bounds),
    /// Open a package (from the path field or the file dialog).
    Open(PathBuf),
    /// Ask the native file dialog for a package.
    Browse,
}

/// The region the atlas is about, to tell a package that misses it.
pub const REGION: Bounds = Bounds {
    west: 97.0,
    south: 26.0,
    east: 110.5,
    north: 34.5,
};

/// The panel's own state: the path being typed.
#[derive(Default)]
pub struct BasemapPanel {
    /// "Open basemap…", its path field.
    pub file: super::FileField,
    /// Open the section on the next frame (a package was just added).
    pub reveal: bool,
}

enum Edit {
    Up(usize),
    Down(usize),
    Remove(usize),
}

impl BasemapPanel {
    pub fn show(&mut self, ui: &mut Ui, basemaps: &mut Basemaps, lang: Lang) -> Vec<BasemapAction> {
        let mut asked = Vec::new();
        let text = super::FileFieldText {
            button: lang.pick("打开底图…", "Open basemap…"),
            hover: lang.pick(
                "PMTiles、MBTiles 或 z/x/y 瓦片文件夹；也可拖放到地图上；“路径…”可输入瓦片服务 URL",
                "PMTiles, MBTiles or a z/x/y tile folder; or drop one on the map; Path… takes a tile server's URL too",
            ),
            hint: lang.pick(
                "底图文件路径，或瓦片服务 URL（…/{z}/{x}/{y}.png）",
                "path to a package, or a tile server URL (…/{z}/{x}/{y}.png)",
            ),
            open: lang.pick("打开", "Open"),
        };
        match self.file.show(ui, &text, lang, |_| {}) {
            Some(super::FileAsk::Browse) => asked.push(BasemapAction::Browse),
            Some(super::FileAsk::Open(path)) => asked.push(BasemapAction::Open(path)),
            None => {}
        }
        let count = basemaps.layers.len();
        let mut edit = None;
        for index in (0..count).rev() {
            let layer = &mut basemaps.layers[index];
            ui.push_id(("basemap", index), |ui| {
                if let Some(action) = layer_row(ui, layer, index, count, lang, &mut edit) {
                    asked.push(action);
                }
            });
        }
        match edit {
            Some(Edit::Up(i)) if i + 1 < count => basemaps.layers.swap(i, i + 1),
            Some(Edit::Down(i)) if i > 0 => basemaps.layers.swap(i, i - 1),
            Some(Edit::Remove(i)) => {
                basemaps.layers.remove(i);
            }
            _ => {}
        }
        for problem in &basemaps.problems {
            notice(ui, problem.text(lang), true);
        }
        if basemaps.layers.is_empty() {
            ui.label(
                RichText::new(lang.pick(
                    "当前为内置底图（边界、河流、地名）",
                    "Showing the built-in basemap (boundaries, rivers, place names)",
                ))
                .small()
                .weak(),
            );
        }
        asked
    }
}

fn layer_row(
    ui: &mut Ui,
    layer: &mut BasemapLayer,
    index: usize,
    count: usize,
    lang: Lang,
    edit: &mut Option<Edit>,
) -> Option<BasemapAction> {
    let mut asked = None;
    let info = layer.tiles.package().info().clone();
    let path = layer.path().display().to_string();
    ui.checkbox(
        &mut layer.visible,
        RichText::new(crate::geodata::read::shorten(&info.name, 40)).strong(),
    )
    .on_hover_text(path);
    ui.horizontal(|ui| {
        ui.add(
            egui::Slider::new(&mut layer.opacity, 0.0..=1.0)
                .show_value(true)
                .custom_formatter(|v, _| format!("{:.0}%", v * 100.0))
                .text(lang.pick("不透明度", "opacity")),
        );
    });
    ui.horizontal(|ui| {
        if ui
            .add_enabled(index + 1 < count, egui::Button::new("↑").small())
            .on_hover_text(lang.pick("上移", "Move up"))
            .clicked()
        {
            *edit = Some(Edit::Up(index));
        }
        if ui
            .add_enabled(index > 0, egui::Button::new("↓").small())
            .on_hover_text(lang.pick("下移", "Move down"))
            .clicked()
        {
            *edit = Some(Edit::Down(index));
        }
        if let Some(bounds) = info.bounds
            && ui
                .small_button(lang.pick("缩放至底图", "Zoom to package"))
                .clicked()
        {
            asked = Some(BasemapAction::ZoomTo(bounds));
        }
        if ui.small_button(lang.pick("移除", "Remove")).clicked() {
            *edit = Some(Edit::Remove(index));
        }
    });
    datum_choice(ui, layer, info.datum_guessed, lang);
    ui.label(RichText::new(describe(&info, lang)).small().weak());
    if !info.attribution.trim().is_empty() {
        ui.label(
            RichText::new(format!(
                "{} {}",
                lang.pick("来源：", "Source:"),
                crate::basemap::plain_text(&info.attribution)
            ))
            .small()
            .weak(),
        );
    }
    if info.bounds.is_some_and(|b| !b.intersects(&REGION)) {
        notice(
            ui,
            lang.pick(
                "此底图不覆盖成渝地区：可“缩放至底图”查看",
                "This package does not cover the Chengdu–Chongqing region: use “Zoom to package”",
            ),
            false,
        );
    }
    let errors = layer.tiles.errors();
    if let Some(first) = &errors.first {
        notice(
            ui,
            format!(
                "{} {} — {}",
                errors.count,
                lang.pick("个瓦片无法读取", "tiles could not be read"),
                first.text(lang)
            ),
            true,
        );
    }
    ui.add_space(4.0);
    asked
}

/// The datum a package's tiles are in (WGS-84 or GCJ-02), and whether it was guessed.
fn datum_choice(ui: &mut Ui, layer: &mut BasemapLayer, guessed: bool, lang: Lang) {
    ui.horizontal(|ui| {
        use crate::coordinates::datum::Datum;
        let package = layer.tiles.package_mut();
        let mut datum = package.datum();
        egui::ComboBox::from_label(RichText::new(lang.pick("坐标系", "datum")).small())
            .selected_text(datum.name())
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut datum, Datum::Wgs84, "WGS-84 / CGCS2000");
                ui.selectable_value(
                    &mut datum,
                    Datum::Gcj02,
                    lang.pick("GCJ-02（高德、谷歌中国）", "GCJ-02 (Amap, Google China)"),
                );
            });
        if datum != package.datum() {
            package.set_datum(datum);
        }
        if guessed && !package.datum_chosen() {
            ui.label(
                RichText::new(lang.pick("（据名称推断）", "(guessed from its name)"))
                    .small()
                    .weak(),
            );
        }
    });
}

/// "MBTiles · PNG 256 px · zoom 8–12".
pub fn describe(info: &PackageInfo, lang: Lang) -> String {
    let size = if info.format.is_raster() {
        format!(" {} px", info.tile_size)
    } else {
        String::new()
    };
    format!(
        "{} · {}{size} · {} {}–{}",
        info.kind.name(),
        info.format.name(),
        lang.pick("级别", "zoom"),
        info.min_zoom,
        info.max_zoom,
    )
}
