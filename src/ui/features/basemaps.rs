//! The basemaps pane: the packages the user added, top first as they are drawn (the first
//! added is the base, later ones overlays): visibility, opacity, order, remove, zoom to the
//! package; its kind, format, zooms, datum and attribution; the tiles it could not read; and
//! "Open basemap…" with a path field beside the native dialog (which needs a desktop portal
//! that not every desktop runs). The built-in basemap stays below them all.

use egui::{RichText, Ui};

use super::{Ctx, Feature};
use crate::basemap::ogc::Offered;
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
    /// A WMS or WMTS whose layers are listed for the user to choose from.
    pub choosing: Option<Choosing>,
}

/// A service's layers, being listed (on a thread) or listed, and the style chosen for each.
pub struct Choosing {
    /// Its capabilities address.
    pub url: String,
    listing: Option<std::thread::JoinHandle<Result<Vec<Offered>, String>>>,
    pub offered: Result<Vec<Offered>, String>,
    styles: std::collections::HashMap<String, String>,
}

impl Choosing {
    /// Starts listing the layers of the service at `url`.
    fn start(url: String) -> Self {
        let asked = url.clone();
        let listing = std::thread::Builder::new()
            .name("service-layers".into())
            .spawn(move || crate::basemap::ogc::offered(&asked))
            .ok();
        Self {
            url,
            listing,
            offered: Ok(Vec::new()),
            styles: Default::default(),
        }
    }

    /// Whether the layers are still being listed.
    pub fn is_listing(&self) -> bool {
        self.listing.is_some()
    }
}

impl Feature for BasemapPanel {
    fn pane(&mut self, ui: &mut Ui, ctx: &Ctx<'_>) -> Vec<Action> {
        self.show(ui, ctx.basemaps, ctx.lang)
            .into_iter()
            .map(Action::Basemap)
            .collect()
    }

    fn poll(&mut self, egui: &egui::Context, _ctx: &Ctx<'_>) -> Vec<Action> {
        if let Some(choosing) = &mut self.choosing
            && let Some(handle) = &choosing.listing
        {
            if handle.is_finished() {
                if let Some(handle) = choosing.listing.take() {
                    choosing.offered = handle
                        .join()
                        .unwrap_or_else(|_| Err("listing stopped unexpectedly".into()));
                }
                egui.request_repaint();
            } else {
                egui.request_repaint_after(std::time::Duration::from_millis(50));
            }
        }
        Vec::new()
    }
}

/// A service's layers as a grid: name, title, style, and Add (or why it cannot be drawn).
fn choosing_grid(ui: &mut Ui, choosing: &mut Choosing, lang: Lang) -> (Vec<BasemapAction>, bool) {
    let mut asked = Vec::new();
    let mut close = false;
    ui.horizontal(|ui| {
        ui.label(RichText::new(lang.pick("服务的图层", "The service's layers")).strong());
        if ui.small_button(lang.pick("关闭", "Close")).clicked() {
            close = true;
        }
    });
    if choosing.is_listing() {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label(lang.pick("正在读取服务能力文档…", "Reading the capabilities…"));
        });
        return (asked, close);
    }
    let offered = match &choosing.offered {
        Ok(offered) => offered,
        Err(why) => {
            notice(ui, why, true);
            return (asked, close);
        }
    };
    egui::Grid::new("service-layers")
        .striped(true)
        .num_columns(4)
        .show(ui, |ui| {
            for layer in offered {
                ui.push_id(&layer.name, |ui| {
                    ui.label(&layer.title).on_hover_text(&layer.name);
                    let style = choosing
                        .styles
                        .entry(layer.name.clone())
                        .or_insert_with(|| layer.styles.first().cloned().unwrap_or_default());
                    if layer.styles.len() > 1 {
                        egui::ComboBox::from_id_salt("style")
                            .selected_text(style.as_str())
                            .show_ui(ui, |ui| {
                                for s in &layer.styles {
                                    ui.selectable_value(style, s.clone(), s);
                                }
                            });
                    } else {
                        ui.label(RichText::new(style.as_str()).weak());
                    }
                    let add = ui
                        .add_enabled(
                            layer.refused.is_none(),
                            egui::Button::new(lang.pick("添加", "Add")),
                        )
                        .on_disabled_hover_text(layer.refused.clone().unwrap_or_default());
                    if add.clicked() {
                        asked.push(BasemapAction::Open(std::path::PathBuf::from(
                            crate::basemap::ogc::with_layer(
                                &choosing.url,
                                &layer.name,
                                Some(style.as_str()),
                            ),
                        )));
                    }
                    match &layer.refused {
                        Some(why) => ui.label(RichText::new(why).small().weak()),
                        None => ui.label(""),
                    };
                });
                ui.end_row();
            }
        });
    (asked, close)
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
        if let Some(choosing) = &mut self.choosing {
            let (chosen, close) = choosing_grid(ui, choosing, lang);
            asked.extend(chosen);
            if close {
                self.choosing = None;
            }
            ui.separator();
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
                // A WMS or WMTS named without a layer: its layers are listed to choose from.
                if let Some(url) = path.to_str().filter(|url| {
                    crate::basemap::ogc::is_service_url(url)
                        && !crate::basemap::ogc::names_layer(url)
                }) {
                    self.choosing = Some(Choosing::start(url.to_string()));
                    self.file.path.clear();
                    self.reveal = true;
                    return None;
                }
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
