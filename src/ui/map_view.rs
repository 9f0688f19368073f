//! The map in the middle of the window: walkers handles pan and zoom, the scene is drawn with
//! the egui painter, the feature under the pointer lights up with a small card, and a click
//! answers what was hit. Presenting: the primary button is the laser pointer (pan with the
//! right or middle button), and clicks, hover cards and zoom buttons are off.

use egui::{RichText, Ui, vec2};
use walkers::lon_lat;

use super::basemap::{BasemapLayer, LayerTiles};
use super::camera::Camera;
use super::map_edit;
use super::navigation;
use super::panels::details;
use crate::coordinates::datum::Datum;
use crate::coordinates::{AngleFormat, CoordStyle};
use crate::measure::{MeasureKind, Measurement};
use crate::model::edit::Grip;
use crate::model::{Atlas, FeatureRef, Lang};
use crate::render::projection::MIN_ZOOM;
use crate::render::{SceneBuilder, SceneOptions, View, egui_painter};
use crate::ui::features::drawing::DrawTool;
use map_edit::MapEdit;

/// Points within this many screen points of a platform or hub hit it.
const HIT_TOLERANCE_POINTS: f64 = 7.0;

/// What the user did on the map this frame.
#[derive(Debug, Clone, PartialEq)]
pub enum MapAction {
    /// A click: the topmost feature under it, or nothing (which clears the selection).
    Clicked(Option<FeatureRef>),
    /// A double-click (which zooms in): the click before it should not have selected.
    DoubleClicked,
    /// The marker of the platform being corrected was dragged to here (WGS-84).
    Moved(geo::Coord),
    /// Measuring: a point placed here (WGS-84).
    Measured(geo::Coord),
    /// Measuring: start measuring this.
    Measure(MeasureKind),
    /// Drawing: a double-click finishes the shape.
    Finish,
    /// Editing the selected feature: a drag, a vertex chosen.
    Edit(MapEdit),
    /// The right-click menu's choice.
    Menu(MenuAction),
    /// A click on a cluster of markers: the features it stands for, to choose from.
    Cluster {
        at: geo::Coord,
        members: Vec<FeatureRef>,
    },
    /// The map's Back and Forward buttons.
    Back,
    Forward,
    /// Show or hide the side panel (more room for the map on a small screen).
    TogglePanel,
    /// The toolbar's drawing menu: take up a tool (or put it away).
    Draw(DrawTool),
    /// The snapping tolerance set, in points.
    SnapPoints(f32),
}

/// What the right-click menu asks for (copying is done in the menu itself).
#[derive(Debug, Clone, PartialEq)]
pub enum MenuAction {
    /// "What is here": every feature under the place, listed.
    WhatIsHere {
        at: geo::Coord,
        hits: Vec<FeatureRef>,
    },
    /// Start measuring a distance from this place.
    MeasureFrom(geo::Coord),
    CenterHere(geo::Coord),
    Select(FeatureRef),
    ZoomTo(FeatureRef),
    /// Positions are copied in this style from now on.
    CoordStyle(CoordStyle),
    /// Copy this text (a position, a name) to the clipboard.
    Copy(String),
}

/// What the map is for this frame.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum MapMode<'a> {
    /// Hover cards, clicks select, the primary button pans.
    Explore,
    /// A tour on show: the primary button is the laser pointer; no clicks or cards.
    Present,
    /// A platform's position is being corrected: its marker (at this WGS-84 position) is
    /// dragged with the primary button; clicks select nothing.
    Correct(geo::Coord),
    /// Measuring: clicks place points; no cards.
    Measure(&'a Measurement),
    /// As exploring, with the selected feature's vertices to drag (a layer open for edits).
    Edit(super::map_edit::EditView<'a>),
}

/// Where the right-click menu was opened, and what is there (kept while it is open).
#[derive(Debug, Clone, PartialEq)]
struct MenuPlace {
    at: geo::Coord,
    hits: Vec<FeatureRef>,
}

/// The hover card's widest line, in points.
const HOVER_CARD_WIDTH: f32 = 260.0;

/// A press this close (points) to the marker being corrected drags it instead of the map.
const GRAB_POINTS: f32 = 12.0;

/// The map's place on the window's first frame, which no one sees: eframe keeps the window
/// hidden until it has painted a frame (no white flash), and under X11 the frame shown is the
/// next one. So the first frame lays out the map and fills its background only, and the map is
/// drawn once, in the frame that is seen — a whole frame sooner on a software renderer.
pub fn unseen_first_frame(ui: &mut Ui, atlas: &Atlas, camera: &mut Camera) {
    let rect = ui.available_rect_before_wrap();
    camera.map_rect = Some(rect);
    camera.settle(atlas);
    ui.painter().rect_filled(
        rect,
        0.0,
        egui_painter::color32(crate::render::style::BACKGROUND),
    );
    ui.ctx().request_repaint();
}

/// What the map needs besides the data: how positions are written (the right-click menu
/// copies them so), and whether Back and Forward have somewhere to go.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct MapChrome {
    pub coords: CoordStyle,
    pub can_go_back: bool,
    pub can_go_forward: bool,
    /// Whether the side panel is shown (its toggle is the toolbar's first button).
    pub panel_shown: bool,
    /// Whether a drawing tool is in hand (the shape being drawn is shown as a measurement,
    /// but the measuring buttons are not on).
    pub drawing: bool,
    /// The drawing tool in hand, for the toolbar's drawing menu.
    pub tool: Option<DrawTool>,
    /// How near (points) a vertex must come to a vertex or an edge to land on it (0: off).
    pub snap_points: f32,
}

/// Draws the map with `options` and handles the pointer.
#[allow(clippy::too_many_arguments)] // the parts of the window the map borrows, each once
pub fn show(
    ui: &mut Ui,
    atlas: &Atlas,
    builder: &mut SceneBuilder,
    camera: &mut Camera,
    basemaps: &mut [BasemapLayer],
    mut options: SceneOptions,
    mode: MapMode,
    chrome: MapChrome,
) -> Vec<MapAction> {
    let presenting = mode == MapMode::Present;
    let (measuring, moving) = match mode {
        MapMode::Measure(measurement) => (Some(measurement), None),
        MapMode::Correct(at) => (None, Some(at)),
        _ => (None, None),
    };
    camera.map_rect = Some(ui.available_rect_before_wrap());
    camera.settle(atlas);
    let default_center = data_center(atlas, camera.datum);
    let lang = options.lang;
    let mut cursor = None;
    let mut actions = Vec::new();
    let mut last_scene = None;
    let grab_id = egui::Id::unique("map-grabbed-marker");
    let mut grabbed = ui
        .ctx()
        .data(|d| d.get_temp::<bool>(grab_id))
        .unwrap_or(false);
    let near_marker = near_moved_marker(ui, camera, moving);
    let editing = match mode {
        MapMode::Edit(edit) => Some(edit),
        _ => None,
    };
    let edit_grip = editing.and_then(|edit| pressed_grip(ui, camera, &edit));
    // The primary button pans, unless it points (presenting), drags a marker or edits.
    let primary_taken = presenting
        || (moving.is_some() && (near_marker || grabbed))
        || edit_grip.is_some()
        || editing.is_some_and(|edit| edit.dragging.is_some());
    let datum = camera.datum;
    // The land goes beneath the basemap tiles: its place is kept before walkers paints them.
    let underlay = ui.painter().add(egui::Shape::Noop);
    let map = walkers::Map::new(None, &mut camera.memory, default_center);
    options.basemap_below = basemaps.iter().any(BasemapLayer::shown);
    let (map, mut vectors) = with_basemaps(map, basemaps);
    let frame_number = ui.ctx().cumulative_pass_nr();
    let mut zoom_asked = None;
    // Zooming is the camera's (half a level a notch, animated, about the pointer): walkers
    // only pans.
    let response = map
        .zoom_gesture(false)
        .zoom_with_ctrl(false)
        .drag_pan_buttons(pan_buttons(primary_taken))
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
            // Drawing: the vertex lands on the nearest vertex or edge of what is shown within
            // a few pixels (Shift held: where the pointer is), and a ring marks where.
            let lands_vertex = chrome.drawing || editing.is_some_and(|e| e.places_a_vertex());
            let snapped =
                (lands_vertex && chrome.snap_points > 0.0 && !ui.input(|i| i.modifiers.shift))
                    .then(|| {
                        let tolerance_m = f64::from(chrome.snap_points) * view.metres_per_point();
                        let layers = &options.layers;
                        builder.index().snap(atlas, cursor?, tolerance_m, |layer| {
                            let setting = layers.get(layer);
                            setting.visible && setting.opacity > 0.0
                        })
                    })
                    .flatten();
            if snapped.is_some() {
                cursor = snapped;
            }
            let stack = under_pointer(ui, response, atlas, builder, &view, cursor);
            let quiet = presenting || measuring.is_some();
            if !quiet {
                options.highlight.hovered = stack.first().copied();
            }
            actions.extend(click(response, mode, cursor, &stack));
            options.vector_tiles = vector_tiles(&mut vectors, &view, frame_number);
            let scene = builder.build(atlas, &view, &options);
            paint(ui, response, &scene, underlay);
            // A click on a cluster lists what it stands for instead of opening one of them.
            if let (Some(pointer), Some(at)) = (response.hover_pos(), cursor)
                && let Some(last @ MapAction::Clicked(_)) = actions.last_mut()
                && let Some(members) = cluster_under(&scene, atlas, pointer - rect.min)
            {
                *last = MapAction::Cluster { at, members };
            }
            last_scene = Some(scene);
            if let Some(at) = moving {
                let grab = MarkerGrab {
                    at,
                    near: near_marker,
                    cursor,
                };
                actions.extend(drag_marker(ui, response, &view, grab, &mut grabbed));
            }
            if let Some(measurement) = measuring {
                draw_measurement(ui, rect, &view, measurement, cursor, lang);
            }
            if let Some(edit) = &editing {
                let asked = map_edit::handle(ui, response, edit, edit_grip, &view, cursor);
                // A click on a vertex chooses it: the selection stays.
                if asked
                    .iter()
                    .any(|a| matches!(a, MapEdit::ChooseVertex(Some(_))))
                {
                    actions.retain(|a| {
                        !matches!(a, MapAction::Clicked(_) | MapAction::Cluster { .. })
                    });
                }
                actions.extend(asked.into_iter().map(MapAction::Edit));
                map_edit::draw(ui, rect, &view, edit);
            }
            if let Some(at) = snapped {
                let [x, y] = view.project(at);
                ui.painter().circle_stroke(
                    rect.min + vec2(x, y),
                    7.0,
                    egui::Stroke::new(2.0, egui::Color32::from_rgb(0xf5, 0x00, 0xf5)),
                );
            }
            if presenting {
                return;
            }
            let place = cursor.map(|at| MenuPlace { at, hits: stack });
            let (asked, zoom) =
                overlays(ui, response, atlas, place, quiet, chrome, measuring, lang);
            actions.extend(asked);
            zoom_asked = zoom;
        });
    let response = response.response;
    camera.cursor = cursor;
    camera.last_scene = last_scene;
    ui.ctx().data_mut(|d| d.insert_temp(grab_id, grabbed));
    let double_click_zooms = !presenting && measuring.is_none();
    zoom(ui, camera, &response, double_click_zooms, zoom_asked);
    settle_camera(ui, camera, default_center);
    actions
}

/// The middle button pans, and the primary one unless it is taken (pointing, dragging a
/// marker): then the secondary one does.
fn pan_buttons(primary_taken: bool) -> egui::DragPanButtons {
    egui::DragPanButtons::MIDDLE
        | if primary_taken {
            egui::DragPanButtons::SECONDARY
        } else {
            egui::DragPanButtons::PRIMARY
        }
}

/// The basemap packages shown, under the scene, the base first: walkers draws the raster
/// tiles; the vector ones are handed back for the scene to draw.
fn with_basemaps<'a, 'b, 'c>(
    mut map: walkers::Map<'a, 'b, 'c>,
    basemaps: &'b mut [BasemapLayer],
) -> (
    walkers::Map<'a, 'b, 'c>,
    Vec<(&'b mut crate::ui::basemap::VectorTiles, f32)>,
) {
    let mut vectors = Vec::new();
    for layer in basemaps.iter_mut().filter(|l| l.shown()) {
        let opacity = layer.opacity;
        match &mut layer.tiles {
            LayerTiles::Raster(tiles) => map = map.with_layer(tiles, opacity),
            LayerTiles::Vector(tiles) => vectors.push((tiles, opacity)),
        }
    }
    (map, vectors)
}

/// The middle of the data, in the datum the map is drawn in (where a map no one has moved
/// is centred).
fn data_center(atlas: &Atlas, datum: crate::coordinates::datum::Datum) -> walkers::Position {
    atlas.bounds().map_or(lon_lat(106.0, 30.0), |b| {
        let (lon, lat) = datum.from_wgs84(b.center().x, b.center().y);
        lon_lat(lon, lat)
    })
}

/// The vector basemaps' tiles for `view`, each with its package's opacity.
fn vector_tiles(
    packages: &mut [(&mut crate::ui::basemap::VectorTiles, f32)],
    view: &View,
    frame: u64,
) -> crate::render::TileSet {
    crate::render::TileSet(
        packages
            .iter_mut()
            .flat_map(|(tiles, opacity)| {
                let opacity = *opacity;
                tiles
                    .for_view(view, frame)
                    .into_iter()
                    .map(move |tile| (tile, opacity))
            })
            .collect(),
    )
}

/// Over the map, unless presenting: the hover card (not while `quiet`), the right-click menu
/// at `place`, the zoom and tool buttons; what they asked for, and a zoom asked by a button.
#[allow(clippy::too_many_arguments)]
fn overlays(
    ui: &mut Ui,
    response: &egui::Response,
    atlas: &Atlas,
    place: Option<MenuPlace>,
    quiet: bool,
    chrome: MapChrome,
    measuring: Option<&Measurement>,
    lang: Lang,
) -> (Vec<MapAction>, Option<f64>) {
    let rect = response.rect;
    if !quiet && let Some(place) = &place {
        show_hover_card(ui, response, atlas, &place.hits, lang);
    }
    let mut actions = right_click_menu(ui, response, atlas, place, chrome.coords, lang);
    let (zoom, zoom_rect) = zoom_buttons(ui, rect);
    let (tools, tools_rect) = tool_buttons(ui, rect, chrome, measuring, lang);
    actions.extend(tools);
    // Where the buttons are, for the next frame's pointer (see `under_pointer`).
    let chrome_id = response.id.with("chrome");
    ui.data_mut(|d| d.insert_temp(chrome_id, vec![zoom_rect, tools_rect]));
    (actions, zoom)
}

/// The camera after a frame: its animation stepped, its zoom kept within what the data and
/// basemap can show, and centred on the data until the user moves it.
fn settle_camera(ui: &Ui, camera: &mut Camera, default_center: walkers::Position) {
    let dt = f64::from(ui.input(|i| i.stable_dt));
    if camera.animate(dt) {
        ui.ctx().request_repaint();
    }
    let zoom = camera.memory.zoom();
    let ceiling = camera.zoom_ceiling();
    if !(MIN_ZOOM..=ceiling).contains(&zoom) {
        let _ = camera.memory.set_zoom(zoom.clamp(MIN_ZOOM, ceiling));
    }
    if camera.memory.detached().is_none() {
        camera.memory.center_at(default_center);
    }
}

/// What is under the pointer, topmost first: points within a few pixels, then areas. Over the
/// map's own buttons the pointer is on a button, not on what lies under it (no hover card
/// beneath the toolbar).
fn under_pointer(
    ui: &Ui,
    response: &egui::Response,
    atlas: &Atlas,
    builder: &SceneBuilder,
    view: &View,
    cursor: Option<geo::Coord>,
) -> Vec<FeatureRef> {
    let tolerance_m = HIT_TOLERANCE_POINTS * view.metres_per_point();
    let chrome_id = response.id.with("chrome");
    let buttons: Vec<egui::Rect> = ui.data(|d| d.get_temp(chrome_id)).unwrap_or_default();
    let on_chrome = response
        .hover_pos()
        .is_some_and(|pos| buttons.iter().any(|r| r.contains(pos)));
    cursor
        .filter(|_| !on_chrome)
        .map(|at| builder.index().hits(atlas, at, tolerance_m))
        .unwrap_or_default()
}

/// What a click or a double-click on the map asks for, in this mode.
fn click(
    response: &egui::Response,
    mode: MapMode,
    cursor: Option<geo::Coord>,
    stack: &[FeatureRef],
) -> Option<MapAction> {
    let presenting = mode == MapMode::Present;
    let measuring = matches!(mode, MapMode::Measure(_));
    if response.double_clicked() && !presenting {
        return Some(if measuring {
            MapAction::Finish
        } else {
            MapAction::DoubleClicked
        });
    }
    if !response.clicked() {
        return None;
    }
    match (mode, cursor) {
        (MapMode::Measure(_), Some(at)) => Some(MapAction::Measured(at)),
        (MapMode::Explore | MapMode::Edit(_), _) => {
            Some(MapAction::Clicked(stack.first().copied()))
        }
        _ => None,
    }
}

/// Paints the scene, its lines from the tessellations kept in the map's memory from frame to
/// frame, the land at `underlay` (beneath the basemap's tiles).
fn paint(
    ui: &Ui,
    response: &egui::Response,
    scene: &crate::render::Scene,
    underlay: egui::layers::ShapeIdx,
) {
    let strokes_id = response.id.with("strokes");
    let mut strokes: egui_painter::StrokeCache = ui
        .data_mut(|d| d.remove_temp(strokes_id))
        .unwrap_or_default();
    egui_painter::paint_around(
        scene,
        ui.painter(),
        response.rect.min,
        underlay,
        &mut strokes,
    );
    ui.data_mut(|d| d.insert_temp(strokes_id, strokes));
}

/// What of the feature being edited the primary button was pressed on, if it is down.
fn pressed_grip(ui: &Ui, camera: &Camera, edit: &map_edit::EditView) -> Option<Grip> {
    let press = ui.input(|i| i.pointer.press_origin())?;
    let rect = camera.map_rect?;
    map_edit::grip_at(edit, &camera.view()?, rect.min, press)
}

/// Whether the press (or the pointer) is on the marker of the platform being corrected.
fn near_moved_marker(ui: &Ui, camera: &Camera, moving: Option<geo::Coord>) -> bool {
    let marker_at = moving.and_then(|at| camera.screen_position(at));
    // Where the press began (a drag is told only once the pointer has moved away from it).
    let pointer = ui.input(|i| i.pointer.press_origin().or(i.pointer.hover_pos()));
    marker_at
        .zip(pointer)
        .is_some_and(|(marker, pointer)| marker.distance(pointer) < GRAB_POINTS)
}

/// The marker of a platform being corrected: where the form has it, whether the pointer is on
/// it, where the pointer is on the map.
struct MarkerGrab {
    at: geo::Coord,
    near: bool,
    cursor: Option<geo::Coord>,
}

/// Correcting a platform: a drag that starts on its marker moves the marker, not the map; the
/// marker is a ring the user can take hold of.
fn drag_marker(
    ui: &Ui,
    response: &egui::Response,
    view: &View,
    grab: MarkerGrab,
    grabbed: &mut bool,
) -> Option<MapAction> {
    let mut moved = None;
    if grab.near && ui.input(|i| i.pointer.primary_down()) {
        *grabbed = true;
    }
    if *grabbed
        && response.dragged_by(egui::PointerButton::Primary)
        && let Some(to) = grab.cursor
    {
        moved = Some(MapAction::Moved(to));
    }
    if !ui.input(|i| i.pointer.primary_down()) {
        *grabbed = false;
    }
    let [x, y] = view.project(grab.at);
    ui.painter().circle_stroke(
        response.rect.min + vec2(x, y),
        8.0,
        egui::Stroke::new(2.5, egui::Color32::from_rgb(0x00, 0x7a, 0xff)),
    );
    moved
}

/// The card beside the pointer: what is under it (never while dragging or with the menu open).
fn show_hover_card(
    ui: &Ui,
    response: &egui::Response,
    atlas: &Atlas,
    stack: &[FeatureRef],
    lang: Lang,
) {
    let Some(&top) = stack.first() else {
        return;
    };
    if !response.hovered() || response.dragged() || response.context_menu_opened() {
        return;
    }
    let Some(pointer) = response.hover_pos() else {
        return;
    };
    // Beside the pointer and inside the map (never under a panel), at a width that wraps names
    // between words.
    egui::Area::new(egui::Id::unique("map-hover-card"))
        .order(egui::Order::Tooltip)
        .interactable(false)
        .fixed_pos(pointer + vec2(16.0, 18.0))
        .constrain_to(response.rect)
        .show(ui.ctx(), |ui| {
            egui::Frame::popup(ui.style()).show(ui, |ui| {
                ui.set_max_width(HOVER_CARD_WIDTH);
                hover_card(ui, atlas, stack, top, lang);
            });
        });
}

/// The right-click menu: what was under the pointer when it opened (`place`, on the click).
fn right_click_menu(
    ui: &Ui,
    response: &egui::Response,
    atlas: &Atlas,
    place: Option<MenuPlace>,
    coords: CoordStyle,
    lang: Lang,
) -> Vec<MapAction> {
    let place_id = egui::Id::unique("map-menu-place");
    if response.secondary_clicked()
        && let Some(place) = place
    {
        ui.ctx().data_mut(|d| d.insert_temp(place_id, place));
    }
    let mut actions = Vec::new();
    response.context_menu(|ui| {
        let place = ui.ctx().data(|d| d.get_temp::<MenuPlace>(place_id));
        if let Some(place) = place {
            actions.extend(context_menu(ui, atlas, &place, coords, lang));
        }
    });
    actions
}

/// Zoom: the wheel and a double-click about the pointer, the buttons about the centre, a
/// pinch at once.
fn zoom(
    ui: &Ui,
    camera: &mut Camera,
    response: &egui::Response,
    double_click_zooms: bool,
    buttons: Option<f64>,
) {
    if let Some(anchor) = response.hover_pos() {
        let input = ui.input(navigation::zoom_input);
        if input.notches != 0.0 {
            camera.zoom_by(input.notches * navigation::ZOOM_PER_NOTCH, anchor);
        }
        if (input.pinch - 1.0).abs() > 1e-4 && input.pinch > 0.0 {
            camera.zoom_goal = None;
            let zoom = camera.memory.zoom() + input.pinch.log2();
            camera.zoom_about(anchor, zoom);
        }
        if response.double_clicked() && double_click_zooms {
            camera.zoom_by(1.0, anchor);
        }
    }
    if let Some(levels) = buttons {
        camera.zoom_by(levels, response.rect.center());
    }
}

/// The features of the cluster marker under `pointer` (viewport points), if there is one.
fn cluster_under(
    scene: &crate::render::Scene,
    atlas: &Atlas,
    pointer: egui::Vec2,
) -> Option<Vec<FeatureRef>> {
    // The one whose centre is nearest the pointer; the atlas's own clusters say what they
    // stand for, a user's big layer's are found again around the marker.
    let distance = |at: &[f32; 2]| (at[0] - pointer.x).hypot(at[1] - pointer.y);
    let (feature, at) = scene
        .items
        .iter()
        .filter_map(|item| match item {
            crate::render::Item::Marker {
                feature,
                at,
                style,
                count,
            } if *count > 1 && distance(at) <= style.radius + 2.0 => Some((*feature, *at)),
            _ => None,
        })
        .min_by(|a, b| distance(&a.1).total_cmp(&distance(&b.1)))?;
    let members = scene
        .clusters
        .iter()
        .find(|cluster| cluster.at == at)
        .map(|cluster| cluster.members.clone())
        .unwrap_or_else(|| crate::render::cluster_members(atlas, &scene.view, feature.layer, at));
    (members.len() > 1).then_some(members)
}

/// The line or polygon being measured, the leg to the pointer, and what it measures so far.
fn draw_measurement(
    ui: &Ui,
    rect: egui::Rect,
    view: &View,
    measurement: &Measurement,
    cursor: Option<geo::Coord>,
    lang: Lang,
) {
    let painter = ui.painter();
    let colour = egui::Color32::from_rgb(0xd9, 0x3a, 0x00);
    let to_screen = |at: geo::Coord| {
        let [x, y] = view.project(at);
        rect.min + vec2(x, y)
    };
    let mut points: Vec<egui::Pos2> = measurement.points.iter().map(|&p| to_screen(p)).collect();
    let placed = points.len();
    if let Some(at) = cursor {
        points.push(to_screen(at));
    }
    if measurement.kind == MeasureKind::Area && points.len() > 2 {
        points.push(points[0]);
    }
    let stroke = egui::Stroke::new(2.5, colour);
    painter.add(egui::Shape::line(points.clone(), stroke));
    for point in points.iter().take(placed) {
        painter.circle(*point, 4.0, egui::Color32::WHITE, stroke);
    }
    if placed == 0 {
        return;
    }
    let text = measurement.summary(cursor, lang);
    let at = cursor.map_or(points[placed - 1], to_screen) + vec2(14.0, -14.0);
    let galley = painter.layout_no_wrap(text, egui::FontId::proportional(14.0), colour);
    let frame = egui::Rect::from_min_size(at, galley.size()).expand(4.0);
    painter.rect_filled(frame, 3.0, egui::Color32::from_white_alpha(230));
    painter.galley(at, galley, colour);
}

/// The right-click menu at `place`: copy the position, what is here, measure, centre; on a
/// feature also select, zoom to and copy its name.
fn context_menu(
    ui: &mut Ui,
    atlas: &Atlas,
    place: &MenuPlace,
    style: CoordStyle,
    lang: Lang,
) -> Vec<MapAction> {
    let mut actions = Vec::new();
    let at = place.at;
    if ui
        .button(format!(
            "{} {}",
            lang.pick("复制坐标", "Copy"),
            style.format(at)
        ))
        .clicked()
    {
        actions.push(MapAction::Menu(MenuAction::Copy(style.format_plain(at))));
        ui.close();
    }
    ui.menu_button(
        lang.pick("复制坐标为…", "Copy coordinates as…"),
        |ui| {
            for datum in Datum::ALL {
                for angles in [AngleFormat::Decimal, AngleFormat::Dms] {
                    let choice = CoordStyle { datum, angles };
                    let text = choice.format(at);
                    if ui.selectable_label(choice == style, &text).clicked() {
                        let copied = match angles {
                            AngleFormat::Decimal => choice.format_plain(at),
                            AngleFormat::Dms => text,
                        };
                        actions.push(MapAction::Menu(MenuAction::Copy(copied)));
                        actions.push(MapAction::Menu(MenuAction::CoordStyle(choice)));
                        ui.close();
                    }
                }
                ui.separator();
            }
        },
    );
    ui.separator();
    let hits = place.hits.len();
    if ui
        .add_enabled(
            hits > 0,
            egui::Button::new(format!(
                "{} ({hits})",
                lang.pick("此处有什么", "What is here")
            )),
        )
        .clicked()
    {
        actions.push(MapAction::Menu(MenuAction::WhatIsHere {
            at,
            hits: place.hits.clone(),
        }));
        ui.close();
    }
    if ui
        .button(lang.pick("从此处测距", "Measure from here"))
        .clicked()
    {
        actions.push(MapAction::Menu(MenuAction::MeasureFrom(at)));
        ui.close();
    }
    if ui.button(lang.pick("以此为中心", "Centre here")).clicked() {
        actions.push(MapAction::Menu(MenuAction::CenterHere(at)));
        ui.close();
    }
    if let Some(&top) = place.hits.first()
        && let Some(feature) = atlas.feature(top)
    {
        ui.separator();
        let name = feature.name.get(lang).to_string();
        ui.label(
            RichText::new(crate::geodata::read::shorten(&name, 40))
                .strong()
                .size(12.0),
        );
        if ui.button(lang.pick("选择", "Select")).clicked() {
            actions.push(MapAction::Menu(MenuAction::Select(top)));
            ui.close();
        }
        if ui
            .button(lang.pick("缩放至此要素", "Zoom to feature"))
            .clicked()
        {
            actions.push(MapAction::Menu(MenuAction::ZoomTo(top)));
            ui.close();
        }
        if ui.button(lang.pick("复制名称", "Copy name")).clicked() {
            actions.push(MapAction::Menu(MenuAction::Copy(name)));
            ui.close();
        }
    }
    actions
}

/// Back, Forward and the measuring tools in the map's top-left corner.
/// The toolbar's drawing menu, beside measuring: the tools (the one in hand marked), and the
/// snapping tolerance in points.
fn drawing_menu(ui: &mut Ui, chrome: MapChrome, lang: Lang) -> Vec<MapAction> {
    let mut actions = Vec::new();
    let title = match chrome.tool {
        Some(tool) => tool.title(lang).to_string(),
        None => lang.pick("绘制…", "Draw…").to_string(),
    };
    ui.menu_button(title, |ui| {
        for tool in DrawTool::ALL {
            let on = chrome.tool == Some(tool);
            let key = ui
                .ctx()
                .format_shortcut(&crate::ui::commands::draw_key(tool));
            let button = egui::Button::selectable(on, tool.title(lang)).shortcut_text(key);
            if ui.add(button).clicked() {
                actions.push(MapAction::Draw(tool));
                ui.close();
            }
        }
        ui.separator();
        let mut points = chrome.snap_points;
        let slider = egui::Slider::new(&mut points, 0.0..=30.0)
            .step_by(1.0)
            .suffix(lang.pick(" 像素", " px"))
            .text(lang.pick("吸附容差", "Snapping"));
        if ui
            .add(slider)
            .on_hover_text(lang.pick(
                "顶点落在此距离内的区域、边界或可见图层的顶点和边上；0 为不吸附；按住 Shift 暂不吸附",
                "A vertex lands on a vertex or edge of the zones, boundaries and visible layers within this distance; 0 turns snapping off; Shift held turns it off for a click",
            ))
            .changed()
        {
            actions.push(MapAction::SnapPoints(points));
        }
    });
    actions
}

fn tool_buttons(
    ui: &mut Ui,
    rect: egui::Rect,
    chrome: MapChrome,
    measuring: Option<&Measurement>,
    lang: Lang,
) -> (Vec<MapAction>, egui::Rect) {
    let mut actions = Vec::new();
    let area = egui::Rect::from_min_size(rect.left_top() + vec2(12.0, 12.0), vec2(460.0, 32.0));
    let plate = ui.scope_builder(egui::UiBuilder::new().max_rect(area), |ui| {
        // On a plate of its own: legible over any map.
        egui::Frame::popup(ui.style())
            .inner_margin(4.0)
            .show(ui, |ui| ui.horizontal(|ui| {
            let panel = ui
                .selectable_label(chrome.panel_shown, "≡")
                .on_hover_text(lang.pick("显示或隐藏侧栏", "Show or hide the side panel"));
            if panel.clicked() {
                actions.push(MapAction::TogglePanel);
            }
            let back = ui
                .add_enabled(chrome.can_go_back, egui::Button::new("←"))
                .on_hover_text(lang.pick("后退（Alt+←）", "Back (Alt+←)"));
            if back.clicked() {
                actions.push(MapAction::Back);
            }
            let forward = ui
                .add_enabled(chrome.can_go_forward, egui::Button::new("→"))
                .on_hover_text(lang.pick("前进（Alt+→）", "Forward (Alt+→)"));
            if forward.clicked() {
                actions.push(MapAction::Forward);
            }
            for (kind, label, hint) in [
                (
                    MeasureKind::Distance,
                    lang.pick("测距", "Measure distance"),
                    lang.pick(
                        "单击放置点，Backspace 撤销一点，Esc 结束",
                        "Click to place points, Backspace removes the last, Esc ends",
                    ),
                ),
                (
                    MeasureKind::Area,
                    lang.pick("测面积", "Measure area"),
                    lang.pick(
                        "单击放置多边形顶点，Backspace 撤销一点，Esc 结束",
                        "Click to place the polygon's corners, Backspace removes the last, Esc ends",
                    ),
                ),
            ] {
                let on = !chrome.drawing && measuring.is_some_and(|m| m.kind == kind);
                if ui.selectable_label(on, label).on_hover_text(hint).clicked() {
                    actions.push(MapAction::Measure(kind));
                }
            }
            actions.extend(drawing_menu(ui, chrome, lang));
        }))
        .response
        .rect
    });
    (actions, plate.inner)
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

/// The zoom buttons (+ and −) in the map's top-right corner, for those without a wheel (a
/// level each), and where they are.
fn zoom_buttons(ui: &mut Ui, rect: egui::Rect) -> (Option<f64>, egui::Rect) {
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
    (delta, area)
}
