//! Where the map looks: walkers' map memory (centre and zoom), the map's place on screen once
//! laid out, the pointer's position, a fit waiting for the map's size, and the scene last drawn.

use egui::vec2;
use walkers::{MapMemory, lon_lat};

use crate::geodata::datum::Datum;
use crate::model::{Atlas, FeatureRef, Lang, Shape};
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
}

impl Camera {
    /// The map's current view, once the map has been laid out.
    pub fn view(&self) -> Option<View> {
        let size = self.map_rect?.size();
        Some(View::new(self.center()?, self.memory.zoom(), [size.x, size.y]).in_datum(self.datum))
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
            self.go(&View::fit(bounds, size, FIT_PADDING));
        }
    }

    /// Shows a longitude/latitude rectangle whole (a basemap package's extent).
    pub fn fit_rect(&mut self, bounds: geo::Rect) {
        if let Some(size) = self.size() {
            self.go(&View::fit(bounds, size, FIT_PADDING));
        }
    }

    /// Moves the map to show a feature: areas whole, points at street scale.
    pub fn fly_to(&mut self, atlas: &Atlas, feature: FeatureRef) {
        let (Some(found), Some(size)) = (atlas.feature(feature), self.size()) else {
            return;
        };
        let Some(bounds) = found.shape.bounding_rect() else {
            return;
        };
        let view = match found.shape {
            Shape::Point(point) => View::new(point.0, self.memory.zoom().max(POINT_MIN_ZOOM), size),
            _ => View::fit(bounds, size, FLY_PADDING),
        };
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
            self.go(&View {
                zoom: view.zoom.min(INDUSTRY_MAX_ZOOM),
                ..view
            });
        }
    }
}
