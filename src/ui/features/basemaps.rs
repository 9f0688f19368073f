//! The basemaps pane: the packages the user added, top first as they are drawn (the first
//! added is the base, later ones overlays): visibility, opacity, order, remove, zoom to the
//! package; its kind, format, zooms, datum and attribution; the tiles it could not read; and
//! "Open basemap…" with a path field beside the native dialog (which needs a desktop portal
//! that not every desktop runs). The built-in basemap stays below them all.

use egui::{RichText, Ui};

use super::{Ctx, Feature};
use crate::basemap::{Bounds, PackageInfo};
use crate::coordinates::datum::Datum;
use crate::model::Lang;
use crate::ui::action::{Action, BasemapAction};
use crate::ui::basemap::{BasemapLayer, Basemaps};
use crate::ui::panels::{FileAsk, FileField, FileFieldText, notice};

/// The region the atlas is about, to tell a package that misses it.
pub const REGION: Bounds = Bounds {
    west: 97.0,
    south: 26.0,
    east: 110.5,
    north: 34.5,
};

/// The pane's own state: the path being typed. The packages are the window's (the map, the
/// export and the workspace draw and keep them); the pane shows them and asks for changes.
#[derive(Default)]
pub struct BasemapPanel {
    /// "Open basemap…", its path field.
    pub file: FileField,
    /// Open the pane on the next frame (a package was just added).
    pub reveal: bool,
}

impl Feature for BasemapPanel {
    fn pane(&mut self, ui: &mut Ui, ctx: &Ctx<'_>) -> Vec<Action> {
        self.show(ui, ctx.basemaps, ctx.lang)
            .into_iter()
            .map(Action::Basemap)
            .collect()
    }
}

impl BasemapPanel {
    fn show(&mut self, ui: &mut Ui, basemaps: &Basemaps, lang: Lang) -> Vec<BasemapAction> {
        let mut asked = Vec::new();
        let text = FileFieldText {
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
            Some(FileAsk::Browse) => asked.push(BasemapAction::Browse),
            Some(FileAsk::Open(path)) => asked.push(BasemapAction::Open(path)),
            None => {}
        }
        let count = basemaps.layers.len();
        for (index, layer) in basemaps.layers.iter().enumerate().rev() {
            ui.push_id(("basemap", index), |ui| {
                asked.extend(layer_row(ui, layer, index, count, lang));
            });
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
    layer: &BasemapLayer,
    index: usize,
    count: usize,
    lang: Lang,
) -> Vec<BasemapAction> {
    let mut asked = Vec::new();
    let info = layer.tiles.package().info().clone();
    let path = layer.path().display().to_string();
    let mut visible = layer.visible;
    if ui
        .checkbox(
            &mut visible,
            RichText::new(crate::geodata::read::shorten(&info.name, 40)).strong(),
        )
        .on_hover_text(path)
        .changed()
    {
        asked.push(BasemapAction::Show(index, visible));
    }
    ui.horizontal(|ui| {
        let mut opacity = layer.opacity;
        if ui
            .add(
                egui::Slider::new(&mut opacity, 0.0..=1.0)
                    .show_value(true)
                    .custom_formatter(|v, _| format!("{:.0}%", v * 100.0))
                    .text(lang.pick("不透明度", "opacity")),
            )
            .changed()
        {
            asked.push(BasemapAction::Opacity(index, opacity));
        }
    });
    ui.horizontal(|ui| {
        if ui
            .add_enabled(index + 1 < count, egui::Button::new("↑").small())
            .on_hover_text(lang.pick("上移", "Move up"))
            .clicked()
        {
            asked.push(BasemapAction::Up(index));
        }
        if ui
            .add_enabled(index > 0, egui::Button::new("↓").small())
            .on_hover_text(lang.pick("下移", "Move down"))
            .clicked()
        {
            asked.push(BasemapAction::Down(index));
        }
        if let Some(bounds) = info.bounds
            && ui
                .small_button(lang.pick("缩放至底图", "Zoom to package"))
                .clicked()
        {
            asked.push(BasemapAction::ZoomTo(bounds));
        }
        if ui.small_button(lang.pick("移除", "Remove")).clicked() {
            asked.push(BasemapAction::Remove(index));
        }
    });
    asked.extend(
        datum_choice(ui, layer, info.datum_guessed, lang)
            .map(|datum| BasemapAction::Datum(index, datum)),
    );
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

/// The datum a package's tiles are in (WGS-84 or GCJ-02), and whether it was guessed; the
/// datum the user chose instead.
fn datum_choice(ui: &mut Ui, layer: &BasemapLayer, guessed: bool, lang: Lang) -> Option<Datum> {
    ui.horizontal(|ui| {
        let package = layer.tiles.package();
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
        if guessed && !package.datum_chosen() {
            ui.label(
                RichText::new(lang.pick("（据名称推断）", "(guessed from its name)"))
                    .small()
                    .weak(),
            );
        }
        (datum != package.datum()).then_some(datum)
    })
    .inner
}

impl BasemapPanel {
    /// Carries out what the user asked of the packages in `list` (the window's); what the
    /// window must do besides. Showing a package's extent is the window's own.
    pub fn apply(
        &mut self,
        action: BasemapAction,
        list: &mut Basemaps,
        egui: &egui::Context,
        lang: Lang,
    ) -> Option<Action> {
        let count = list.layers.len();
        match action {
            BasemapAction::ZoomTo(_) => return Some(Action::Basemap(action)),
            BasemapAction::Open(path) => {
                if list.add(egui, &path) {
                    self.file.path.clear();
                }
                // Shown either way: the package, or why it did not open.
                self.reveal = true;
            }
            BasemapAction::Browse => {
                use crate::ui::file_dialog::{Picked, ask, pick_basemap};
                match ask(|| pick_basemap(lang)) {
                    Picked::Path(path) => {
                        return self.apply(BasemapAction::Open(path), list, egui, lang);
                    }
                    Picked::NoDialog => {
                        self.file.no_dialog = true;
                        return Some(Action::Pane(crate::ui::dock::Pane::Basemaps, true));
                    }
                    Picked::Cancelled => {}
                }
            }
            BasemapAction::Show(index, visible) if index < count => {
                list.layers[index].visible = visible;
            }
            BasemapAction::Opacity(index, opacity) if index < count => {
                list.layers[index].opacity = opacity.clamp(0.0, 1.0);
            }
            BasemapAction::Up(index) if index + 1 < count => list.layers.swap(index, index + 1),
            BasemapAction::Down(index) if index > 0 && index < count => {
                list.layers.swap(index, index - 1);
            }
            BasemapAction::Remove(index) if index < count => {
                list.layers.remove(index);
            }
            BasemapAction::Datum(index, datum) if index < count => {
                list.layers[index].tiles.package_mut().set_datum(datum);
            }
            // A package no longer there (removed in the same frame): nothing to do.
            _ => {}
        }
        None
    }
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
