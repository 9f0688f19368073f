//! The user's own layers, above the atlas's in the layer list (top of the drawing order first):
//! "Add layer…" (the native dialog) with a path field and a datum beside it (for when no dialog
//! can open, or the file's datum is to be set); each layer with its symbol, visibility,
//! opacity, order, zoom to layer and remove; its style (colour, symbol and size, line width,
//! fill, categories by a field with their legend, labels from a field); what the reader noted
//! and what it could not read.

use std::path::PathBuf;
use std::sync::Arc;

use egui::{RichText, Ui};

use super::notice;
use crate::coordinates::datum::Datum;
use crate::geodata::DataError;
use crate::geodata::user::{
    CsvColumns, CsvOptions, LayerOptions, LayerSpec, LoadedLayer, Progress,
};
use crate::model::user::{PointSymbol, UserLayer, UserStyle};
use crate::model::{Atlas, Lang, LayerId};
use crate::render::layers::user_legend_symbol as layer_symbol;
use crate::render::{LayerSetting, LayerSettings};

/// What the user asked of the panel that reaches beyond it.
#[derive(Debug, Clone, PartialEq)]
pub enum UserLayerAction {
    /// Add a file as a layer, in this datum (`None`: as the file says, else WGS-84).
    Add(PathBuf, Option<Datum>),
    /// Ask the native file dialog for a file.
    Browse,
    Remove(LayerId),
    ZoomTo(LayerId),
    /// Draw the layer above the one over it (`true`) or below the one under it.
    Move(LayerId, bool),
    /// A new style (the categories follow its category field).
    Restyle(LayerId, UserStyle),
    /// Open the layer's attribute table.
    OpenTable(LayerId),
    /// Save the layer's edits: to its file (GeoJSON, KML, KMZ), else where the user says.
    Save(LayerId),
    /// Open the layer for edits, or close it to them.
    ToggleEditing(LayerId),
    /// Open "Add database layer…" (with an address filled in: a layer that asked for a
    /// password).
    OpenDatabase(Option<PathBuf>),
    /// "Add feature service layer…": the same dialog, for an OGC API – Features or WFS.
    OpenService,
    /// Read a database layer again, for the view.
    Refresh(LayerId),
    /// Try a database layer that could not be read again.
    Retry(PathBuf),
    /// Open "Export data…" for the layer.
    ExportData(LayerId),
}

/// A file read on its thread: the layer, and its features filed there for the map's index.
type Read = (LoadedLayer, Option<Arc<crate::index::LayerIndex>>);

/// A file being read in the background: what was asked, how far it is, and what to do with
/// it once read (zoom to it; the visibility and opacity it had last time).
pub struct PendingLayer {
    pub spec: LayerSpec,
    pub progress: Arc<Progress>,
    reading: Option<std::thread::JoinHandle<()>>,
    /// What the reader found, put here before it wakes the window.
    read: Arc<std::sync::Mutex<Option<Result<Read, DataError>>>>,
    pub zoom_to: bool,
    pub setting: Option<LayerSetting>,
    /// A database layer read again: the layer whose features it replaces.
    pub replaces: Option<LayerId>,
}

impl PendingLayer {
    /// Starts reading `spec`'s file on a thread of its own; `window`, when given, is woken
    /// when it is read (else the window finds it when it next looks, within 50 ms).
    pub fn start(
        spec: LayerSpec,
        zoom_to: bool,
        setting: Option<LayerSetting>,
        window: Option<egui::Context>,
    ) -> Self {
        let progress = Arc::new(Progress::default());
        let options = LayerOptions {
            datum: spec.datum,
            csv: spec.csv.clone(),
            progress: Some(progress.clone()),
            extent: spec.extent,
            cache: None,
        };
        let path = spec.path.clone();
        let read = Arc::new(std::sync::Mutex::new(None));
        let slot = Arc::clone(&read);
        let reading = std::thread::Builder::new()
            .name("layer-reader".into())
            .spawn(move || {
                crate::process::work_behind_the_window();
                let result = crate::geodata::user::load(&path, &options).map(|loaded| {
                    let filed = crate::index::SpatialIndex::file_user_layer(&loaded.features);
                    (loaded, filed)
                });
                if let Ok(mut slot) = slot.lock() {
                    *slot = Some(result);
                }
                if let Some(window) = window {
                    window.request_repaint();
                }
            })
            .ok();
        Self {
            spec,
            progress,
            reading,
            read,
            zoom_to,
            setting,
            replaces: None,
        }
    }

    pub fn is_finished(&self) -> bool {
        self.read.lock().is_ok_and(|read| read.is_some())
            || self.reading.as_ref().is_none_or(|r| r.is_finished())
    }

    /// The result, once finished: the layer read, or why not (a reader that stopped is said);
    /// and its features filed for the map's index where they were read (the window's thread
    /// then files nothing: 100 000 parcels took it 50 ms).
    pub fn finish(
        mut self,
    ) -> (
        Self,
        Result<LoadedLayer, DataError>,
        Option<Arc<crate::index::LayerIndex>>,
    ) {
        let origin = self.spec.path.display().to_string();
        // The reader has put its result and is ending (or it stopped): its end is waited for.
        let ended = self.reading.take().map(|r| r.join());
        let read = self.read.lock().ok().and_then(|mut read| read.take());
        match (ended, read) {
            (Some(Ok(())), Some(Ok((loaded, filed)))) => (self, Ok(loaded), filed),
            (Some(Ok(())), Some(Err(error))) => (self, Err(error), None),
            _ => {
                let stopped = crate::model::Text::new(
                    "读取意外中止，文件未添加",
                    "the reader stopped unexpectedly; the file was not added",
                );
                (self, Err(DataError::new(&origin, stopped)), None)
            }
        }
    }
}

/// The panel's own state: the path being typed and its datum, problems of files that did not
/// load.
#[derive(Default)]
pub struct UserLayerPanel {
    /// "Add layer…", its path field.
    pub file: super::FileField,
    pub datum: Option<Datum>,
    /// Files that could not be read at all, and what was wrong with rows of those that did.
    pub problems: Vec<DataError>,
    /// The layer whose style is being edited.
    pub styling: Option<LayerId>,
    /// Files being read in the background.
    pub loading: Vec<PendingLayer>,
    /// A table waiting for the user to confirm its columns.
    pub preview: Option<CsvPreview>,
    /// A table's head being read for its preview.
    pub previewing: Option<PendingPreview>,
}

/// A table's head being read for its preview on another thread: calamine reads an .xls or an
/// .ods whole (seconds for a big sheet), which the window's thread must not wait for.
pub struct PendingPreview {
    pub spec: LayerSpec,
    outcome: std::sync::mpsc::Receiver<Result<CsvColumns, DataError>>,
}

impl PendingPreview {
    /// Starts reading the head of `spec`'s table as `options` say (its sheet, its columns).
    pub fn start(spec: LayerSpec, options: CsvOptions) -> Self {
        let (send, outcome) = std::sync::mpsc::channel();
        let path = spec.path.clone();
        std::thread::spawn(move || {
            crate::process::work_behind_the_window();
            let _ = send.send(crate::geodata::user::preview_table(&path, &options));
        });
        Self { spec, outcome }
    }

    /// The head once read, or why it could not be.
    pub fn finished(&self) -> Option<Result<CsvColumns, DataError>> {
        use std::sync::mpsc::TryRecvError;
        match self.outcome.try_recv() {
            Ok(outcome) => Some(outcome),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(Err(DataError::new(
                &self.spec.path.display().to_string(),
                crate::geodata::Problem::CannotRead {
                    error: "the reader of the table's head stopped".into(),
                },
            ))),
        }
    }
}

impl UserLayerPanel {
    pub fn show(
        &mut self,
        ui: &mut Ui,
        atlas: &Atlas,
        settings: &mut LayerSettings,
        lang: Lang,
    ) -> Vec<UserLayerAction> {
        let mut asked = Vec::new();
        let hover = format!(
            "{}{}",
            crate::geodata::kinds::layer_format_names(),
            lang.pick(
                "（表格含经纬度列或 WKT 列）；也可拖放到地图上",
                " (a table with lon/lat or WKT columns); or drop one on the map",
            )
        );
        let text = super::FileFieldText {
            button: lang.pick("添加图层…", "Add layer…"),
            hover: &hover,
            hint: lang.pick("图层文件路径", "path to a layer file"),
            open: lang.pick("添加", "Add"),
        };
        let datum = &mut self.datum;
        match self
            .file
            .show(ui, &text, lang, |ui| datum_choice(ui, datum, lang))
        {
            Some(super::FileAsk::Browse) => asked.push(UserLayerAction::Browse),
            Some(super::FileAsk::Open(path)) => asked.push(UserLayerAction::Add(path, self.datum)),
            None => {}
        }
        for (button, hover, action) in [
            (
                lang.pick("添加数据库图层…", "Add database layer…"),
                lang.pick(
                    "PostGIS 数据库中的表或视图（postgresql://…、service=…）",
                    "A table or view of a PostGIS database (postgresql://…, service=…)",
                ),
                UserLayerAction::OpenDatabase(None),
            ),
            (
                lang.pick("添加要素服务图层…", "Add feature service layer…"),
                lang.pick(
                    "OGC API – Features 的集合或 WFS 2.0 的要素类型（https://…）",
                    "A collection of an OGC API – Features or a feature type of a WFS 2.0 (https://…)",
                ),
                UserLayerAction::OpenService,
            ),
        ] {
            if ui.button(button).on_hover_text(hover).clicked() {
                asked.push(action);
            }
        }
        if let Some(pending) = &self.previewing {
            ui.horizontal(|ui| {
                ui.spinner();
                let name = crate::geodata::user::short_name(&pending.spec.path);
                ui.label(format!(
                    "{} {name}",
                    lang.pick("正在读取表头", "Reading the head of")
                ));
            });
        }
        for pending in &self.loading {
            ui.horizontal(|ui| {
                let name = crate::geodata::user::short_name(&pending.spec.path);
                let bar = match pending.progress.fraction() {
                    Some(fraction) => egui::ProgressBar::new(fraction).show_percentage(),
                    None => egui::ProgressBar::new(0.0).animate(true),
                };
                ui.add(
                    bar.text(format!("{} {name}", lang.pick("正在读取", "Reading")))
                        .desired_width(ui.available_width() - 64.0),
                );
                if ui.small_button(lang.pick("取消", "Cancel")).clicked() {
                    pending.progress.cancel();
                }
            });
        }
        let layers: Vec<(LayerId, &UserLayer)> = atlas.user_layers().collect();
        let count = layers.len();
        for (position, &(id, layer)) in layers.iter().enumerate().rev() {
            ui.push_id(("user-layer", id), |ui| {
                let features = atlas.layer(id).map_or(0, |l| l.features.len());
                let bounds = (position + 1 < count, position > 0);
                asked.extend(self.layer_row(ui, id, layer, features, settings, bounds, lang));
            });
        }
        for problem in &self.problems {
            notice(ui, super::shown(&problem.in_language(lang)), true);
            if crate::geodata::user::is_remote_address(std::path::Path::new(&problem.origin)) {
                ui.horizontal(|ui| {
                    ui.add_space(28.0);
                    let path = PathBuf::from(&problem.origin);
                    if crate::geodata::user::postgis::needs_password(problem)
                        && ui
                            .small_button(lang.pick("输入密码…", "Enter password…"))
                            .clicked()
                    {
                        asked.push(UserLayerAction::OpenDatabase(Some(path.clone())));
                    }
                    if ui.small_button(lang.pick("重试", "Retry")).clicked() {
                        asked.push(UserLayerAction::Retry(path));
                    }
                });
            }
        }
        asked
    }

    #[allow(clippy::too_many_arguments)]
    fn layer_row(
        &mut self,
        ui: &mut Ui,
        id: LayerId,
        layer: &UserLayer,
        features: usize,
        settings: &mut LayerSettings,
        (can_raise, can_lower): (bool, bool),
        lang: Lang,
    ) -> Vec<UserLayerAction> {
        let mut asked = Vec::new();
        let setting = settings.get_mut(id);
        super::layer_row(
            ui,
            &layer_symbol(layer, None),
            &mut setting.visible,
            &mut setting.opacity,
            RichText::new(&layer.name).strong(),
            &layer.path.display().to_string(),
            lang,
        );
        // Wrapped: a row wider than the pane would widen everything aligned to its right.
        ui.horizontal_wrapped(|ui| {
            ui.add_space(28.0);
            if ui
                .add_enabled(can_raise, egui::Button::new("↑").small())
                .on_hover_text(lang.pick("上移", "Move up"))
                .clicked()
            {
                asked.push(UserLayerAction::Move(id, true));
            }
            if ui
                .add_enabled(can_lower, egui::Button::new("↓").small())
                .on_hover_text(lang.pick("下移", "Move down"))
                .clicked()
            {
                asked.push(UserLayerAction::Move(id, false));
            }
            if ui
                .small_button(lang.pick("缩放至图层", "Zoom to layer"))
                .clicked()
            {
                asked.push(UserLayerAction::ZoomTo(id));
            }
            if ui
                .small_button(lang.pick("属性表", "Table"))
                .on_hover_text(lang.pick("打开属性表", "Open the attribute table"))
                .clicked()
            {
                asked.push(UserLayerAction::OpenTable(id));
            }
            if ui
                .small_button(lang.pick("导出…", "Export…"))
                .on_hover_text(lang.pick(
                    "导出数据：GeoJSON、GeoPackage、Excel、CSV、KML",
                    "Export data: GeoJSON, GeoPackage, Excel, CSV, KML",
                ))
                .clicked()
            {
                asked.push(UserLayerAction::ExportData(id));
            }
            let styling = self.styling == Some(id);
            if ui
                .selectable_label(styling, lang.pick("样式", "Style"))
                .clicked()
            {
                self.styling = (!styling).then_some(id);
            }
            if layer.is_remote() {
                if ui
                    .small_button(lang.pick("刷新", "Refresh"))
                    .on_hover_text(lang.pick(
                        "从数据库或服务重新读取当前视图范围内的要素",
                        "Read the features within the view from the database or service again",
                    ))
                    .clicked()
                {
                    asked.push(UserLayerAction::Refresh(id));
                }
                let name = |minutes: Option<u32>| match minutes {
                    None => lang.pick("关", "off").to_string(),
                    Some(m) => format!("{}{m}{}", lang.pick("每 ", "every "), lang.pick(" 分钟", " min")),
                };
                let mut minutes = layer.style.refresh_minutes;
                // Inside the row's own id: two layers' boxes do not collide.
                egui::ComboBox::from_label(lang.pick("自动刷新", "Auto-refresh"))
                    .selected_text(name(minutes))
                    .width(96.0)
                    .show_ui(ui, |ui| {
                        for choice in [None, Some(1), Some(5), Some(15), Some(60)] {
                            ui.selectable_value(&mut minutes, choice, name(choice));
                        }
                    });
                if minutes != layer.style.refresh_minutes {
                    asked.push(UserLayerAction::Restyle(
                        id,
                        UserStyle {
                            refresh_minutes: minutes,
                            ..layer.style.clone()
                        },
                    ));
                }
            } else if ui
                .selectable_label(layer.editable, lang.pick("可编辑", "Editable"))
                .on_hover_text(lang.pick(
                    "开始或停止编辑：绘制进入此图层，选中的要素可移动、改顶点、改属性、删除",
                    "Start or stop editing: drawing goes into this layer; a selected feature can be moved, reshaped, edited and deleted",
                ))
                .clicked()
            {
                asked.push(UserLayerAction::ToggleEditing(id));
            }
            if layer.drawn
                && ui
                    .small_button(lang.pick("保存…", "Save…"))
                    .on_hover_text(
                        lang.pick("保存为 GeoJSON、KML 或 KMZ", "Save as GeoJSON, KML or KMZ"),
                    )
                    .clicked()
            {
                asked.push(UserLayerAction::Save(id));
            }
            if ui.small_button(lang.pick("移除", "Remove")).clicked() {
                asked.push(UserLayerAction::Remove(id));
            }
        });
        for category in &layer.categories {
            ui.horizontal(|ui| {
                ui.add_space(28.0);
                super::layers::swatch(ui, &layer_symbol(layer, Some(category.color)));
                let value = if category.color == crate::model::user::OTHER && layer.has_other() {
                    lang.pick("其他", "other").to_string()
                } else if category.value.is_empty() {
                    lang.pick("（空）", "(empty)").to_string()
                } else {
                    crate::geodata::read::shorten(&category.value, 30)
                };
                ui.label(RichText::new(format!("{value}  {}", category.count)).small());
            });
        }
        if self.styling == Some(id)
            && let Some(style) = style_editor(ui, layer, lang)
        {
            asked.push(UserLayerAction::Restyle(id, style));
        }
        let mut said = vec![format!(
            "{} · {} · {} {}",
            layer.format.name(),
            layer.system_name(),
            crate::geodata::read::problems::thousands(features),
            lang.pick("个要素", "features")
        )];
        said.extend(layer.notes.iter().map(|note| super::shown(note.get(lang))));
        ui.label(RichText::new(said.join(" · ")).small().weak());
        if let Some(why) = &layer.stale {
            ui.label(
                RichText::new(format!(
                    "{}{}",
                    lang.pick(
                        "显示的是上次读取的数据（已变灰）：",
                        "Showing the data last read (greyed): "
                    ),
                    why.get(lang)
                ))
                .small()
                .color(egui::Color32::from_rgb(0x9b, 0x1c, 0x1c)),
            );
        }
        if layer.drawn {
            // Edited here and not saved: said until it is (a copy is kept as it is edited,
            // and offered back after a crash).
            let said = if layer.sketch {
                lang.pick("未保存：尚未写入文件", "Unsaved: in no file yet")
            } else {
                lang.pick("有未保存的编辑", "Unsaved edits")
            };
            ui.label(
                RichText::new(said)
                    .small()
                    .color(egui::Color32::from_rgb(0x9b, 0x1c, 0x1c)),
            );
        }
        ui.add_space(4.0);
        asked
    }
}

/// The datum a file added from the panel is read in.
fn datum_choice(ui: &mut Ui, datum: &mut Option<Datum>, lang: Lang) {
    let name = |d: Option<Datum>| match d {
        None => lang.pick("自动", "auto").to_string(),
        Some(d) => d.name().to_string(),
    };
    egui::ComboBox::from_label(lang.pick("坐标系", "datum"))
        .selected_text(name(*datum))
        .width(88.0)
        .show_ui(ui, |ui| {
            ui.selectable_value(datum, None, name(None))
                .on_hover_text(lang.pick(
                    "按文件所写（如列名 lng_gcj02），否则 WGS-84",
                    "As the file says (e.g. a column lng_gcj02), else WGS-84",
                ));
            for candidate in Datum::ALL {
                ui.selectable_value(datum, Some(candidate), candidate.name());
            }
        });
}

/// The style editor: a changed style, when the user changed one.
fn style_editor(ui: &mut Ui, layer: &UserLayer, lang: Lang) -> Option<UserStyle> {
    let mut style = layer.style.clone();
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.horizontal(|ui| {
            ui.label(lang.pick("颜色", "Colour"));
            egui::color_picker::color_edit_button_srgb(ui, &mut style.color);
            egui::ComboBox::from_label(lang.pick("符号", "Symbol"))
                .selected_text(symbol_name(style.symbol, lang))
                .show_ui(ui, |ui| {
                    for symbol in [PointSymbol::Circle, PointSymbol::Diamond] {
                        ui.selectable_value(&mut style.symbol, symbol, symbol_name(symbol, lang));
                    }
                });
        });
        ui.add(
            egui::Slider::new(&mut style.point_radius, 1.5..=12.0)
                .text(lang.pick("点大小", "point size")),
        );
        ui.add(
            egui::Slider::new(&mut style.line_width, 0.5..=8.0)
                .text(lang.pick("线宽", "line width")),
        );
        ui.add(
            egui::Slider::new(&mut style.fill_opacity, 0.0..=1.0)
                .custom_formatter(|v, _| format!("{:.0}%", v * 100.0))
                .text(lang.pick("填充", "fill")),
        );
        field_choice(
            ui,
            "category-field",
            lang.pick("分类字段", "Categories by"),
            &layer.fields,
            &mut style.category_field,
            lang,
        );
        field_choice(
            ui,
            "label-field",
            lang.pick("标注字段", "Labels from"),
            &layer.fields,
            &mut style.label_field,
            lang,
        );
    });
    (style != layer.style).then_some(style)
}

fn field_choice(
    ui: &mut Ui,
    salt: &str,
    label: &str,
    fields: &[String],
    chosen: &mut Option<String>,
    lang: Lang,
) {
    let none = lang.pick("（无）", "(none)");
    egui::ComboBox::new(salt, label)
        .selected_text(chosen.as_deref().unwrap_or(none))
        .show_ui(ui, |ui| {
            ui.selectable_value(chosen, None, none);
            for field in fields {
                ui.selectable_value(chosen, Some(field.clone()), field);
            }
        });
}

fn symbol_name(symbol: PointSymbol, lang: Lang) -> &'static str {
    match symbol {
        PointSymbol::Circle => lang.pick("圆点", "circle"),
        PointSymbol::Diamond => lang.pick("菱形", "diamond"),
    }
}

/// A table about to be added: its first rows and the columns found, for the user to confirm
/// (or change) the coordinate columns, swap them when they look exchanged, and set the datum.
pub struct CsvPreview {
    pub spec: LayerSpec,
    pub columns: CsvColumns,
    /// Swap the columns (proposed when their values look exchanged).
    pub swap: bool,
    /// Why the sheet chosen cannot be read.
    problem: Option<String>,
    /// Another sheet's head being read: its name, and the reading.
    switching: Option<(Option<String>, PendingPreview)>,
}

/// Rows a preview shows.
const PREVIEW_ROWS: usize = 8;

impl CsvPreview {
    pub fn new(spec: LayerSpec, columns: CsvColumns) -> Self {
        Self {
            swap: columns.swapped,
            spec,
            columns,
            problem: None,
            switching: None,
        }
    }

    /// Whether another sheet's head is being read.
    pub fn reading(&self) -> bool {
        self.switching.is_some()
    }

    /// The layer to add as the user confirmed it.
    fn confirmed(&self) -> LayerSpec {
        let name = |i: Option<usize>| i.and_then(|i| self.columns.headers.get(i).cloned());
        let mut spec = self.spec.clone();
        spec.csv = CsvOptions {
            lon: name(self.columns.lon),
            lat: name(self.columns.lat),
            wkt: name(self.columns.wkt),
            swap: Some(self.swap),
            sheet: self.columns.sheet.clone(),
        };
        spec
    }

    /// Draws the preview; returns the confirmed layer on "Add", and `false` in `open` when the
    /// preview is done (added or cancelled).
    pub fn show(&mut self, ctx: &egui::Context, lang: Lang, open: &mut bool) -> Option<LayerSpec> {
        self.take_sheet_read();
        if self.reading() {
            ctx.request_repaint_after(std::time::Duration::from_millis(50));
        }
        let mut confirmed = None;
        let name = self
            .spec
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        egui::Window::new(format!("{} — {name}", lang.pick("表格预览", "Table preview")))
            .id(egui::Id::unique("csv-preview"))
            .collapsible(false)
            .default_width(560.0)
            .show(ctx, |ui| {
                if !self.columns.sheets.is_empty() {
                    self.sheet_choice(ui, lang);
                }
                let headers = self.columns.headers.clone();
                egui::ScrollArea::horizontal().show(ui, |ui| {
                    egui::Grid::new("csv-preview-rows").striped(true).show(ui, |ui| {
                        for header in &headers {
                            ui.label(RichText::new(crate::geodata::read::shorten(header, 20)).strong());
                        }
                        ui.end_row();
                        for row in self.columns.sample.iter().take(PREVIEW_ROWS) {
                            for cell in row.iter().take(headers.len()) {
                                ui.label(crate::geodata::read::shorten(cell, 24));
                            }
                            ui.end_row();
                        }
                    });
                });
                ui.separator();
                let use_wkt = self.columns.wkt.is_some();
                if use_wkt {
                    column_choice(ui, lang.pick("WKT 列", "WKT column"), &headers, &mut self.columns.wkt, lang);
                } else {
                    column_choice(ui, lang.pick("经度列", "Longitude column"), &headers, &mut self.columns.lon, lang);
                    column_choice(ui, lang.pick("纬度列", "Latitude column"), &headers, &mut self.columns.lat, lang);
                    ui.checkbox(&mut self.swap, lang.pick("对调经纬度", "Swap longitude and latitude"));
                    if self.columns.swapped {
                        notice(
                            ui,
                            lang.pick(
                                "这两列的数值看来与列名相反（纬度在经度列）：已建议对调",
                                "These columns' values look exchanged (latitudes in the longitude column): swapping is proposed",
                            ),
                            false,
                        );
                    }
                }
                datum_choice(ui, &mut self.spec.datum, lang);
                let ready = !self.reading() && if use_wkt {
                    self.columns.wkt.is_some()
                } else {
                    self.columns.lon.is_some()
                        && self.columns.lat.is_some()
                        && self.columns.lon != self.columns.lat
                };
                if !ready {
                    notice(
                        ui,
                        lang.pick("请选择坐标所在的列", "Choose the columns that hold the coordinates"),
                        true,
                    );
                }
                ui.horizontal(|ui| {
                    if ui
                        .add_enabled(ready, egui::Button::new(lang.pick("确认添加", "Add layer")))
                        .clicked()
                    {
                        confirmed = Some(self.confirmed());
                        *open = false;
                    }
                    if ui.button(lang.pick("取消", "Cancel")).clicked() {
                        *open = false;
                    }
                });
            });
        confirmed
    }
}

impl CsvPreview {
    /// Takes the head of the sheet chosen, once read (or says why it cannot be).
    fn take_sheet_read(&mut self) {
        let Some(outcome) = self
            .switching
            .as_ref()
            .and_then(|(_, reading)| reading.finished())
        else {
            return;
        };
        let Some((chosen, _)) = self.switching.take() else {
            return;
        };
        match outcome {
            Ok(columns) => {
                self.swap = columns.swapped;
                self.columns = columns;
                self.problem = None;
            }
            Err(error) => {
                // The sheet stays chosen, with why it cannot be added.
                self.columns.sheet = chosen;
                self.columns.headers.clear();
                self.columns.sample.clear();
                (self.columns.lon, self.columns.lat, self.columns.wkt) = (None, None, None);
                self.problem = Some(error.to_string());
            }
        }
    }

    /// A workbook's sheets: choosing another reads its head again (its header and columns)
    /// on another thread.
    fn sheet_choice(&mut self, ui: &mut Ui, lang: Lang) {
        // The sheet asked for, while its head is read.
        let mut chosen = match &self.switching {
            Some((sheet, _)) => sheet.clone(),
            None => self.columns.sheet.clone(),
        };
        ui.horizontal(|ui| {
            egui::ComboBox::from_label(lang.pick("工作表", "Sheet"))
                .selected_text(chosen.clone().unwrap_or_default())
                .show_ui(ui, |ui| {
                    for sheet in &self.columns.sheets {
                        ui.selectable_value(&mut chosen, Some(sheet.clone()), sheet);
                    }
                });
            ui.label(
                RichText::new(match lang {
                    Lang::Zh => format!("表头在第 {} 行", self.columns.header_row),
                    Lang::En => format!("header in row {}", self.columns.header_row),
                })
                .weak(),
            );
        });
        let asked = self
            .switching
            .as_ref()
            .map_or(&self.columns.sheet, |(sheet, _)| sheet);
        if chosen != *asked {
            let options = CsvOptions {
                sheet: chosen.clone(),
                ..CsvOptions::default()
            };
            let reading = PendingPreview::start(self.spec.clone(), options);
            self.switching = Some((chosen, reading));
        }
        if self.reading() {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(lang.pick("正在读取工作表…", "Reading the sheet…"));
            });
        }
        if let Some(problem) = &self.problem {
            notice(ui, problem, true);
        }
    }
}

fn column_choice(
    ui: &mut Ui,
    label: &str,
    headers: &[String],
    chosen: &mut Option<usize>,
    lang: Lang,
) {
    let none = lang.pick("（无）", "(none)").to_string();
    let shown = chosen
        .and_then(|i| headers.get(i).cloned())
        .unwrap_or(none.clone());
    egui::ComboBox::from_label(label)
        .selected_text(shown)
        .show_ui(ui, |ui| {
            ui.selectable_value(chosen, None, none);
            for (i, header) in headers.iter().enumerate() {
                ui.selectable_value(chosen, Some(i), header);
            }
        });
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicBool, Ordering};

    /// A file read in the background wakes the window at once (a frame asked for without
    /// delay), its result there for that frame; the window need not look again in 50 ms.
    #[test]
    fn a_file_read_wakes_the_window_with_its_layer_ready() {
        let window = egui::Context::default();
        let woken = Arc::new(AtomicBool::new(false));
        let wake = Arc::clone(&woken);
        window.set_request_repaint_callback(move |info| {
            if info.delay.is_zero() {
                wake.store(true, Ordering::Release);
            }
        });
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data/user/geometries.gpkg");
        let pending = PendingLayer::start(LayerSpec::new(path, None), false, None, Some(window));
        let started = std::time::Instant::now();
        while !woken.load(Ordering::Acquire) {
            assert!(started.elapsed().as_secs() < 60, "never woken");
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
        assert!(pending.is_finished(), "woken before its result was there");
        let (_, read, filed) = pending.finish();
        let layer = read.expect("read");
        assert!(!layer.features.is_empty());
        assert!(filed.is_some(), "filed where it was read");
    }
}
