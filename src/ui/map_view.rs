//! The map in the middle of the window: walkers handles pan and zoom, the scene is drawn with
//! the egui painter, the feature under the pointer lights up with a small card, and a click
//! answers what was hit. Presenting: the primary button is the laser pointer (pan with the
//! right or middle button), and clicks, hover cards and zoom buttons are off.

use egui::{RichText, Ui, vec2};
use walkers::lon_lat;

use super::basemap::{BasemapLayer, LayerTiles};
use super::camera::Camera;
use super::panels::details;
use crate::model::{Atlas, FeatureRef, Lang};
use crate::render::projection::{MAX_ZOOM, MIN_ZOOM};
use crate::render::{SceneBuilder, SceneOptions, View, egui_painter};

/// Points within this many screen points of a platform or hub hit it.
const HIT_TOLERANCE_POINTS: f64 = 7.0;

/// What the user did on the map this frame.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum MapAction {
    /// A click: the topmost feature under it, or nothing (which clears the selection).
    Clicked(Option<FeatureRef>),
    /// The marker of the platform being corrected was dragged to here (WGS-84).
    Moved(geo::Coord),
}

/// What the map is for this frame.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum MapMode {
    /// Hover cards, clicks select, the primary button pans.
    Explore,
    /// A tour on show: the primary button is the laser pointer; no clicks or cards.
    Present,
    /// A platform's position is being corrected: its marker (at this WGS-84 position) is
    /// dragged with the primary button; clicks select nothing.
    Correct(geo::Coord),
}

/// A press this close (points) to the marker being corrected drags it instead of the map.
const GRAB_POINTS: f32 = 12.0;

/// The map's place on the window's first frame, which no one sees: eframe keeps the window
/// hidden until it has painted a frame (no white flash), and under X11 the frame shown is the
/// next one. So the first frame lays out the map and fills its background only, and the map is
/// drawn once, in the frame that is seen — a whole frame sooner on a software renderer.
pub fn unseen_first_frame(ui: &mut Ui, atlas: &Atlas, camera: &mut Camera) {
    let rect = ui.available_rect_before_wrap();
    camera.map_rect = Some(rect);
    if let Some(fit) = camera.pending_fit.take() {
        camera.fit(fit, atlas);
    }
    ui.painter().rect_filled(
        rect,
        0.0,
        egui_painter::color32(crate::render::style::BACKGROUND),
    );
    ui.ctx().request_repaint();
}

/// Draws the map with `options` and handles the pointer.
pub fn show(
    ui: &mut Ui,
    atlas: &Atlas,
    builder: &mut SceneBuilder,
    camera: &mut Camera,
    basemaps: &mut [BasemapLayer],
    mut options: SceneOptions,
    mode: MapMode,
) -> Option<MapAction> {
    let presenting = mode == MapMode::Present;
    let moving = match mode {
        MapMode::Correct(at) => Some(at),
        _ => None,
    };
    camera.map_rect = Some(ui.available_rect_before_wrap());
    if let Some(fit) = camera.pending_fit.take() {
        camera.fit(fit, atlas);
    }
    let default_center = atlas.bounds().map_or(lon_lat(106.0, 30.0), |b| {
        let (lon, lat) = camera.datum.from_wgs84(b.center().x, b.center().y);
        lon_lat(lon, lat)
    });
    let lang = options.lang;
    let mut cursor = None;
    let mut action = None;
    let mut last_scene = None;
    // Correcting a platform: a drag that starts on its marker moves the marker, not the map.
    let grab_id = egui::Id::unique("map-grabbed-marker");
    let mut grabbed = ui
        .ctx()
        .data(|d| d.get_temp::<bool>(grab_id))
        .unwrap_or(false);
    let marker_at = moving.and_then(|at| camera.screen_position(at));
    // Where the press began (a drag is told only once the pointer has moved away from it).
    let pointer = ui.input(|i| i.pointer.press_origin().or(i.pointer.hover_pos()));
    let near_marker = marker_at
        .zip(pointer)
        .is_some_and(|(marker, pointer)| marker.distance(pointer) < GRAB_POINTS);
    let pan_buttons = if presenting || (moving.is_some() && (near_marker || grabbed)) {
        egui::DragPanButtons::SECONDARY | egui::DragPanButtons::MIDDLE
    } else {
        egui::DragPanButtons::PRIMARY
    };
    let datum = camera.datum;
    // The land goes beneath the basemap tiles: its place is kept before walkers paints them.
    let underlay = ui.painter().add(egui::Shape::Noop);
    let mut map = walkers::Map::new(None, &mut camera.memory, default_center);
    // Basemap packages under the scene, the base first: walkers draws the raster tiles, the
    // scene the vector ones.
    let mut vectors = Vec::new();
    options.basemap_below = basemaps.iter().any(BasemapLayer::shown);
    for layer in basemaps.iter_mut().filter(|l| l.shown()) {
        let opacity = layer.opacity;
        match &mut layer.tiles {
            LayerTiles::Raster(tiles) => map = map.with_layer(tiles, opacity),
            LayerTiles::Vector(tiles) => vectors.push((tiles, opacity)),
        }
    }
    let frame_number = ui.ctx().cumulative_pass_nr();
    let zoom_delta = map
        .zoom_with_ctrl(false)
        .drag_pan_buttons(pan_buttons)
        .double_click_to_zoom(!presenting)
        .show(ui, |ui, response, projector, _memory| {
            let rect = response.rect;
            // Walkers works in the datum the map is drawn in; the atlas in WGS-84.
            let wgs84 = |p: walkers::Position| {
                let (lon, lat) = datum.to_wgs84(p.x(), p.y());
                geo::coord! { x: lon, y: lat }
            };
            let center = wgs84(projector.unproject(rect.center().to_vec2()));
            let view =
                View::new(center, projector.zoom(), [rect.width(), rect.height()]).in_datum(datum);
            cursor = response
                .hover_pos()
                .map(|pos| wgs84(projector.unproject(pos.to_vec2())));
            // What is under the pointer: points within a few pixels, then areas.
            let tolerance_m = HIT_TOLERANCE_POINTS * view.metres_per_point();
            let stack = cursor
                .map(|at| builder.index().hits(at, tolerance_m))
                .unwrap_or_default();
            if !presenting {
                options.highlight.hovered = stack.first().copied();
                if response.clicked() {
                    action = Some(MapAction::Clicked(stack.first().copied()));
                }
            }
            options.vector_tiles = crate::render::TileSet(
                vectors
                    .iter_mut()
                    .flat_map(|(tiles, opacity)| {
                        let opacity = *opacity;
                        tiles
                            .for_view(&view, frame_number)
                            .into_iter()
                            .map(move |tile| (tile, opacity))
                    })
                    .collect(),
            );
            let scene = builder.build(atlas, &view, &options);
            egui_painter::paint_around(&scene, ui.painter(), rect.min, underlay);
            last_scene = Some(scene);
            if let Some(at) = moving {
                if near_marker && ui.input(|i| i.pointer.primary_down()) {
                    grabbed = true;
                }
                if grabbed
                    && response.dragged_by(egui::PointerButton::Primary)
                    && let Some(to) = cursor
                {
                    action = Some(MapAction::Moved(to));
                }
                if !ui.input(|i| i.pointer.primary_down()) {
                    grabbed = false;
                }
                // Where the form has it: a ring the user can take hold of.
                let [x, y] = view.project(at);
                ui.painter().circle_stroke(
                    rect.min + vec2(x, y),
                    8.0,
                    egui::Stroke::new(2.5, egui::Color32::from_rgb(0x00, 0x7a, 0xff)),
                );
            }
            if presenting {
                return None;
            }
            if let Some(&top) = stack.first()
                && response.hovered()
                && !response.dragged()
            {
                let response = response.clone();
                response.on_hover_ui_at_pointer(|ui| hover_card(ui, atlas, &stack, top, lang));
            }
            zoom_buttons(ui, rect)
        })
        .inner;
    camera.cursor = cursor;
    camera.last_scene = last_scene;
    ui.ctx().data_mut(|d| d.insert_temp(grab_id, grabbed));
    match zoom_delta {
        Some(delta) if delta > 0.0 => {
            let _ = camera.memory.zoom_in();
        }
        Some(_) => {
            let _ = camera.memory.zoom_out();
        }
        None => {}
    }
    // Keep the zoom within what the data can show.
    let zoom = camera.memory.zoom();
    if !(MIN_ZOOM..=MAX_ZOOM).contains(&zoom) {
        let _ = camera.memory.set_zoom(zoom.clamp(MIN_ZOOM, MAX_ZOOM));
    }
    if camera.memory.detached().is_none() {
        camera.memory.center_at(default_center);
    }
    action
}

/// The small card that follows the pointer: what is under it, and how much more.
fn hover_card(ui: &mut Ui, atlas: &Atlas, stack: &[FeatureRef], top: FeatureRef, lang: Lang) {
    let Some(feature) = atlas.feature(top) else {
        return;
    };
    ui.label(RichText::new(crate::geodata::read::shorten(feature.name.get(lang), 80)).strong());
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
        for (label, step) in [("+", 1.0), ("−", -1.0)] {
            if ui
                .add_sized(
                    [32.0, 32.0],
                    egui::Button::new(RichText::new(label).size(18.0)),
                )
                .clicked()
            {
                delta = Some(step);
            }
        }
    });
    delta
}
