//! Where the map looks: walkers' map memory (centre and zoom), the map's place on screen once
//! laid out, the pointer's position, a fit waiting for the map's size, and the scene last drawn.

use egui::vec2;
use walkers::{MapMemory, lon_lat};

use super::navigation::{ViewHistory, Visit, ZoomGoal, zoom_step};
use crate::coordinates::datum::Datum;
use crate::model::{Atlas, FeatureRef, Lang, Shape};
use crate::render::projection::{MAX_ZOOM, MIN_ZOOM, inverse_mercator, mercator, world_size};
use crate::render::{Scene, View};

/// Views the fit buttons and first start can show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fit {
    Corridor,
    ScienceCity,
    Core,
}

impl Fit {
    pub const ALL: [Fit; 3] = [Fit::Corridor, Fit::ScienceCity, Fit::Core];

    fn zone_id(self) -> &'static str {
        match self {
            Fit::Corridor => "corridor",
            Fit::ScienceCity => "science-city",
            Fit::Core => "core",
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Fit::Corridor => lang.pick("经济圈全图", "Fit circle"),
            Fit::ScienceCity => lang.pick("科学城", "Fit science city"),
            Fit::Core => lang.pick("核心区", "Fit core"),
        }
    }
}

/// Space kept around a zone fitted by a fit button, a flight to a feature, and the features
/// of a chosen industry, in points.
const FIT_PADDING: f32 = 24.0;
const FLY_PADDING: f32 = 40.0;
const INDUSTRY_PADDING: f32 = 60.0;

/// A chosen industry's features are shown no closer than this zoom.
const INDUSTRY_MAX_ZOOM: f64 = 13.0;

/// A point is shown at street scale, at least.
const POINT_MIN_ZOOM: f64 = 12.5;

#[derive(Default)]
pub struct Camera {
    pub memory: MapMemory,
    /// A fit waiting for the map's size to be known (first frame).
    pub pending_fit: Option<Fit>,
    /// Where the map is on screen, once laid out.
    pub map_rect: Option<egui::Rect>,
    /// The pointer's position on the map, in lon/lat.
    pub cursor: Option<geo::Coord>,
    /// The scene the map drew last frame (the export draws the same one).
    pub last_scene: Option<Scene>,
    /// The datum the map is drawn in (that of the basemap package underneath). Walkers'
    /// memory holds the centre in it; everything the camera gives out is WGS-84.
    pub datum: Datum,
    /// Whether a frame has laid the map out (see [`map_view::unseen_first_frame`]).
    ///
    /// [`map_view::unseen_first_frame`]: super::map_view::unseen_first_frame
    pub laid_out: bool,
    /// A zoom on its way (wheel notches, keys, double-click), about a point that stays put.
    pub zoom_goal: Option<ZoomGoal>,
    /// The closest zoom that still shows something meaningful (see [`zoom_limit`]).
    pub max_zoom: Option<f64>,
    /// The places left by jumps and selections, for Back and Forward.
    pub history: ViewHistory,
    /// What the window has selected, remembered with each place left (the window tells it:
    /// [`Camera::select`]).
    pub selected: Option<FeatureRef>,
    /// A flight to a feature waiting for the map's next layout: a selection opens the right
    /// panel, and the feature must fit the map beside it, not the map before it narrowed.
    pending_fly: Option<Flight>,
}

/// A flight waiting for the map's next layout.
#[derive(Debug, Clone, Copy)]
struct Flight {
    feature: FeatureRef,
    /// Whether the place left is a step for Back (not when the selection that asked for the
    /// flight was remembered already).
    remember: bool,
}

/// Without a basemap the built-in data (approximate outlines, platforms as points) says nothing
/// new closer than this zoom: the screen would be one flat colour.
pub const DATA_MAX_ZOOM: f64 = 15.0;

/// The closest zoom for a basemap whose deepest tiles are of `tile_zoom`: raster tiles stay
/// legible two levels over their own, vector tiles (drawn sharp) three.
pub fn zoom_limit(basemap_max: Option<(u8, bool)>) -> f64 {
    match basemap_max {
        None => DATA_MAX_ZOOM,
        Some((zoom, vector)) => {
            let over = if vector { 3.0 } else { 2.0 };
            (f64::from(zoom) + over).clamp(DATA_MAX_ZOOM, MAX_ZOOM)
        }
    }
}

impl Camera {
    /// The map's current view, once the map has been laid out.
    pub fn view(&self) -> Option<View> {
        let size = self.map_rect?.size();
        Some(View::new(self.center()?, self.memory.zoom(), [size.x, size.y]).in_datum(self.datum))
    }

    /// The view as it will be once laid out, guessed before then for a full-HD window (what a
    /// database layer restored at start reads): `None` until a place is known.
    pub fn expected_view(&self) -> Option<View> {
        self.view().or_else(|| {
            Some(
                View::new(self.center()?, self.memory.zoom(), [1920.0, 1080.0])
                    .in_datum(self.datum),
            )
        })
    }

    /// The centre of the map, WGS-84.
    pub fn center(&self) -> Option<geo::Coord> {
        let center = self.memory.detached()?;
        let (lon, lat) = self.datum.to_wgs84(center.x(), center.y());
        Some(geo::coord! { x: lon, y: lat })
    }

    /// Draws the map in `datum` from now on, keeping the same place in the middle.
    pub fn set_datum(&mut self, datum: Datum) {
        if datum == self.datum {
            return;
        }
        let center = self.center();
        self.datum = datum;
        if let Some(center) = center {
            let (lon, lat) = datum.from_wgs84(center.x, center.y);
            self.memory.center_at(lon_lat(lon, lat));
        }
    }

    /// The view the map was last drawn with (what the user sees), else the current one.
    pub fn shown_view(&self) -> Option<View> {
        self.last_scene
            .as_ref()
            .map(|s| s.view)
            .or_else(|| self.view())
    }

    /// Where a lon/lat position is on screen.
    pub fn screen_position(&self, lonlat: geo::Coord) -> Option<egui::Pos2> {
        let rect = self.map_rect?;
        let [x, y] = self.view()?.project(lonlat);
        Some(rect.min + vec2(x, y))
    }

    /// Moves the map to `view`'s centre and zoom.
    pub fn go(&mut self, view: &View) {
        let (lon, lat) = self.datum.from_wgs84(view.center[0], view.center[1]);
        self.memory.center_at(lon_lat(lon, lat));
        let _ = self.memory.set_zoom(view.zoom);
    }

    /// Shows a saved view (a workspace's, the last run's) as soon as the map is laid out:
    /// whatever fit or flight was waiting for the first frame gives way to it.
    pub fn restore(&mut self, view: &crate::ui::state::SavedView) {
        self.pending_fit = None;
        self.pending_fly = None;
        self.zoom_goal = None;
        let (lon, lat) = self.datum.from_wgs84(view.center[0], view.center[1]);
        self.memory.center_at(lon_lat(lon, lat));
        let _ = self.memory.set_zoom(view.zoom);
    }

    /// The closest zoom allowed now.
    pub fn zoom_ceiling(&self) -> f64 {
        self.max_zoom.unwrap_or(MAX_ZOOM)
    }

    /// Zooms to `zoom` (within the limits) keeping the place under `anchor` (a screen point)
    /// where it is.
    pub fn zoom_about(&mut self, anchor: egui::Pos2, zoom: f64) {
        let (Some(rect), Some(view)) = (self.map_rect, self.view()) else {
            return;
        };
        let zoom = zoom.clamp(MIN_ZOOM, self.zoom_ceiling());
        let at = anchor - rect.min;
        // In the datum walkers works in: the place under the anchor, then the centre that puts
        // it there at the new zoom.
        let fixed = view.unproject_display([at.x, at.y]);
        let [fx, fy] = mercator(fixed.x, fixed.y);
        let scale = world_size(zoom);
        let center = inverse_mercator([
            fx - (f64::from(at.x) - f64::from(rect.width()) / 2.0) / scale,
            fy - (f64::from(at.y) - f64::from(rect.height()) / 2.0) / scale,
        ]);
        self.memory.center_at(lon_lat(center.x, center.y));
        let _ = self.memory.set_zoom(zoom);
    }

    /// Starts (or extends) an animated zoom of `levels` about `anchor`.
    pub fn zoom_by(&mut self, levels: f64, anchor: egui::Pos2) {
        let from = self.zoom_goal.map_or(self.memory.zoom(), |goal| goal.zoom);
        let zoom = (from + levels).clamp(MIN_ZOOM, self.zoom_ceiling());
        self.zoom_goal = Some(ZoomGoal { zoom, anchor });
    }

    /// One frame of the zoom on its way; whether it goes on.
    pub fn animate(&mut self, dt: f64) -> bool {
        let Some(goal) = self.zoom_goal else {
            return false;
        };
        // The limits may have moved since (a basemap hidden): the goal stays within them, so
        // that the animation always lands.
        let goal_zoom = goal.zoom.clamp(MIN_ZOOM, self.zoom_ceiling());
        let zoom = zoom_step(self.memory.zoom(), goal_zoom, dt);
        self.zoom_about(goal.anchor, zoom);
        if zoom == goal_zoom || self.view().is_none() {
            self.zoom_goal = None;
        }
        self.zoom_goal.is_some()
    }

    /// Moves the content by `delta` points (an arrow key: the map slides the other way).
    pub fn pan_by(&mut self, delta: egui::Vec2) {
        let (Some(rect), Some(view)) = (self.map_rect, self.view()) else {
            return;
        };
        let center = rect.size() / 2.0 - delta;
        let to = view.unproject_display([center.x, center.y]);
        self.memory.center_at(lon_lat(to.x, to.y));
    }

    /// Remembers the place being left, before a jump.
    fn leave(&mut self) {
        self.remember();
        self.zoom_goal = None;
    }

    /// Remembers the place shown, with what is selected, for Back.
    fn remember(&mut self) {
        if let Some(view) = self.view() {
            self.history.leave(Visit {
                view,
                selected: self.selected,
            });
        }
    }

    /// A new selection: the place before it, with what was selected there, is a step for
    /// Back. With `fly` the map then flies to it, in the same step.
    pub fn select(&mut self, selected: Option<FeatureRef>, fly: bool) {
        let changed = selected != self.selected;
        if changed {
            self.remember();
            self.selected = selected;
        }
        if let (Some(feature), true) = (selected, fly) {
            self.pending_fly = Some(Flight {
                feature,
                remember: !changed,
            });
        }
    }

    /// Jumps to `center` (WGS-84) at `zoom`, remembering the view left for Back.
    pub fn jump_to(&mut self, center: geo::Coord, zoom: f64) {
        if let Some(view) = self.view() {
            self.leave();
            self.go(&View {
                center: [center.x, center.y],
                zoom,
                ..view
            });
        }
    }

    /// Back to the place before the last jump or selection: the selection to show there,
    /// if there was one.
    pub fn back(&mut self) -> Option<Option<FeatureRef>> {
        self.step(ViewHistory::back)
    }

    /// Forward to the place Back left: the selection to show there, if there was one.
    pub fn forward(&mut self) -> Option<Option<FeatureRef>> {
        self.step(ViewHistory::forward)
    }

    /// One step through the history (`step` takes the place shown and gives the one to show).
    fn step(
        &mut self,
        step: fn(&mut ViewHistory, Visit) -> Option<Visit>,
    ) -> Option<Option<FeatureRef>> {
        let current = Visit {
            view: self.view()?,
            selected: self.selected,
        };
        let visit = step(&mut self.history, current)?;
        self.zoom_goal = None;
        self.pending_fly = None;
        self.go(&visit.view);
        self.selected = visit.selected;
        Some(visit.selected)
    }

    fn size(&self) -> Option<[f32; 2]> {
        self.map_rect.map(|r| [r.width(), r.height()])
    }

    /// Shows a zone whole (on the first frame, once the map's size is known).
    pub fn fit(&mut self, fit: Fit, atlas: &Atlas) {
        let Some(size) = self.size() else {
            self.pending_fit = Some(fit);
            return;
        };
        if let Some(bounds) = atlas.bounds_of(fit.zone_id()).or_else(|| atlas.bounds()) {
            self.leave();
            self.go(&View::fit(bounds, size, FIT_PADDING));
        }
    }

    /// Shows a longitude/latitude rectangle whole (a basemap package's extent).
    pub fn fit_rect(&mut self, bounds: geo::Rect) {
        if let Some(size) = self.size() {
            self.leave();
            self.go(&View::fit(bounds, size, FIT_PADDING));
        }
    }

    /// Carries out the fit or flight waiting for the map's size (call once it is laid out).
    pub fn settle(&mut self, atlas: &Atlas) {
        if let Some(fit) = self.pending_fit.take() {
            self.fit(fit, atlas);
        }
        if let Some(flight) = self.pending_fly.take() {
            self.fly_now(atlas, flight);
        }
    }

    /// Moves the map to show a feature (areas whole, points at street scale) once the map is
    /// next laid out, beside the panels then open.
    pub fn fly_to(&mut self, feature: FeatureRef) {
        self.pending_fly = Some(Flight {
            feature,
            remember: true,
        });
    }

    /// Moves the map to show a feature now, in the map's present size.
    fn fly_now(&mut self, atlas: &Atlas, flight: Flight) {
        let (Some(found), Some(size)) = (atlas.feature(flight.feature), self.size()) else {
            return;
        };
        let Some(bounds) = found.shape.bounding_rect() else {
            return;
        };
        let view = match found.shape {
            Shape::Point(point) => View::new(point.0, self.memory.zoom().max(POINT_MIN_ZOOM), size),
            _ => View::fit(bounds, size, FLY_PADDING),
        };
        if flight.remember {
            self.leave();
        } else {
            self.zoom_goal = None;
        }
        self.go(&view);
    }

    /// Fits the map to a set of features (those with a chosen industry).
    pub fn fit_features(&mut self, atlas: &Atlas, features: &[FeatureRef]) {
        let Some(size) = self.size() else {
            return;
        };
        let bounds = features
            .iter()
            .filter_map(|f| atlas.feature(*f)?.shape.bounding_rect())
            .reduce(|a, b| {
                geo::Rect::new(
                    geo::coord! { x: a.min().x.min(b.min().x), y: a.min().y.min(b.min().y) },
                    geo::coord! { x: a.max().x.max(b.max().x), y: a.max().y.max(b.max().y) },
                )
            });
        if let Some(bounds) = bounds {
            let view = View::fit(bounds, size, INDUSTRY_PADDING);
            self.leave();
            self.go(&View {
                zoom: view.zoom.min(INDUSTRY_MAX_ZOOM),
                ..view
            });
        }
    }
}
