//! The [`View`]: what the window shows and what an export renders, without egui, in Web
//! Mercator as walkers draws it (zoom `z` shows the world `256·2^z` points wide; see
//! [`crate::coordinates::mercator`]).

use geo::{Coord, Rect, coord};

use crate::coordinates::datum::Datum;

pub use crate::coordinates::mercator::{TILE_SIZE, inverse_mercator, mercator, world_size};

/// A map view: where its centre is, how far it is zoomed, how big it is in points.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct View {
    /// Longitude/latitude at the centre of the viewport.
    pub center: [f64; 2],
    pub zoom: f64,
    /// Width and height of the viewport in points.
    pub size: [f32; 2],
    /// The datum the map is drawn in: the atlas's data is WGS-84 and is shifted into it
    /// (GCJ-02 under a GCJ-02 basemap). Positions in and out of a view are always WGS-84.
    #[serde(default)]
    pub datum: Datum,
}

/// Zoom limits of the app: the whole corridor region to street level.
pub const MIN_ZOOM: f64 = 4.0;
pub const MAX_ZOOM: f64 = 18.0;

impl View {
    pub fn new(center: Coord, zoom: f64, size: [f32; 2]) -> Self {
        Self {
            center: [center.x, center.y],
            zoom: zoom.clamp(MIN_ZOOM, MAX_ZOOM),
            size,
            datum: Datum::Wgs84,
        }
    }

    /// The same view drawn in `datum`.
    pub fn in_datum(self, datum: Datum) -> Self {
        Self { datum, ..self }
    }

    pub fn center(&self) -> Coord {
        coord! { x: self.center[0], y: self.center[1] }
    }

    fn center_mercator(&self) -> [f64; 2] {
        let (lon, lat) = self.datum.from_wgs84(self.center[0], self.center[1]);
        mercator(lon, lat)
    }

    /// The centre as the view's datum has it (where walkers and the tiles have it).
    pub fn display_center(&self) -> Coord {
        let (lon, lat) = self.datum.from_wgs84(self.center[0], self.center[1]);
        coord! { x: lon, y: lat }
    }

    /// WGS-84 lon/lat → point in the viewport (origin top-left).
    pub fn project(&self, lonlat: Coord) -> [f32; 2] {
        let (lon, lat) = self.datum.from_wgs84(lonlat.x, lonlat.y);
        self.project_mercator(mercator(lon, lat))
    }

    /// Lon/lat in the view's own datum (a basemap tile's corner) → point in the viewport.
    pub fn project_display(&self, lonlat: Coord) -> [f32; 2] {
        self.project_mercator(mercator(lonlat.x, lonlat.y))
    }

    pub fn project_mercator(&self, [x, y]: [f64; 2]) -> [f32; 2] {
        let [cx, cy] = self.center_mercator();
        let scale = world_size(self.zoom);
        [
            ((x - cx) * scale + f64::from(self.size[0]) / 2.0) as f32,
            ((y - cy) * scale + f64::from(self.size[1]) / 2.0) as f32,
        ]
    }

    /// The viewport's corners in unit Web Mercator (x east, y south, 0‥1 across the world),
    /// in the view's own datum: `[left, top, right, bottom]`.
    pub fn mercator_bounds(&self) -> [f64; 4] {
        let [cx, cy] = self.center_mercator();
        let scale = world_size(self.zoom);
        let (half_w, half_h) = (
            f64::from(self.size[0]) / 2.0 / scale,
            f64::from(self.size[1]) / 2.0 / scale,
        );
        [cx - half_w, cy - half_h, cx + half_w, cy + half_h]
    }

    /// Point in the viewport → WGS-84 lon/lat.
    pub fn unproject(&self, at: [f32; 2]) -> Coord {
        let display = self.unproject_display(at);
        let (lon, lat) = self.datum.to_wgs84(display.x, display.y);
        coord! { x: lon, y: lat }
    }

    /// Point in the viewport → lon/lat in the view's own datum.
    pub fn unproject_display(&self, [px, py]: [f32; 2]) -> Coord {
        let [cx, cy] = self.center_mercator();
        let scale = world_size(self.zoom);
        inverse_mercator([
            cx + (f64::from(px) - f64::from(self.size[0]) / 2.0) / scale,
            cy + (f64::from(py) - f64::from(self.size[1]) / 2.0) / scale,
        ])
    }

    /// The WGS-84 lon/lat rectangle the viewport shows.
    pub fn bounds(&self) -> Rect {
        let top_left = self.unproject([0.0, 0.0]);
        let bottom_right = self.unproject(self.size);
        let bounds = Rect::new(top_left, bottom_right);
        if self.datum.is_wgs84() {
            return bounds;
        }
        // Shifted, the edges are not quite parallels and meridians: a little to spare.
        let spare = 0.01;
        Rect::new(
            coord! { x: bounds.min().x - spare, y: bounds.min().y - spare },
            coord! { x: bounds.max().x + spare, y: bounds.max().y + spare },
        )
    }

    /// The view that shows `bounds` whole, centred, with `padding` points to spare on each side.
    pub fn fit(bounds: Rect, size: [f32; 2], padding: f32) -> Self {
        let [x0, y1] = mercator(bounds.min().x, bounds.min().y);
        let [x1, y0] = mercator(bounds.max().x, bounds.max().y);
        let width = f64::from((size[0] - 2.0 * padding).max(1.0));
        let height = f64::from((size[1] - 2.0 * padding).max(1.0));
        let zoom_x = (width / ((x1 - x0).max(1e-12) * TILE_SIZE)).log2();
        let zoom_y = (height / ((y1 - y0).max(1e-12) * TILE_SIZE)).log2();
        let center = inverse_mercator([(x0 + x1) / 2.0, (y0 + y1) / 2.0]);
        Self::new(center, zoom_x.min(zoom_y), size)
    }

    /// The tiles of zoom `z` the view shows (in its own datum: a package's grid), centre
    /// first.
    pub fn tile_keys(&self, z: u8) -> Vec<crate::basemap::TileKey> {
        let n = crate::coordinates::mercator::tiles_across(z);
        let corner = |at: [f32; 2]| {
            let c = self.unproject_display(at);
            mercator(c.x, c.y)
        };
        let ([x0, y0], [x1, y1]) = (corner([0.0, 0.0]), corner(self.size));
        let span = |a: f64, b: f64| {
            let last = n - 1.0;
            (
                (a * n).floor().clamp(0.0, last) as u32,
                (b * n).floor().clamp(0.0, last) as u32,
            )
        };
        let ((tx0, tx1), (ty0, ty1)) = (span(x0, x1), span(y0, y1));
        let mut keys: Vec<crate::basemap::TileKey> = (ty0..=ty1)
            .flat_map(|y| (tx0..=tx1).map(move |x| crate::basemap::TileKey::new(z, x, y)))
            .collect();
        let (mx, my) = (f64::from(tx0 + tx1) / 2.0, f64::from(ty0 + ty1) / 2.0);
        let distance =
            |k: &crate::basemap::TileKey| (f64::from(k.x) - mx).hypot(f64::from(k.y) - my);
        keys.sort_by(|a, b| distance(a).total_cmp(&distance(b)));
        keys
    }

    /// Ground metres per point at the centre of the view.
    pub fn metres_per_point(&self) -> f64 {
        const EARTH_CIRCUMFERENCE_M: f64 = 40_075_016.686;
        EARTH_CIRCUMFERENCE_M * self.center[1].to_radians().cos() / world_size(self.zoom)
    }
}

/// Maps local world coordinates (f32, relative to an origin in normalised Mercator) to the
/// viewport: `screen = local · scale + offset`. Cached geometry is stored in local coordinates
/// so that one copy serves every pan and zoom.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScreenTransform {
    pub scale: f32,
    pub offset: [f32; 2],
}

impl ScreenTransform {
    pub fn new(view: &View, origin: [f64; 2]) -> Self {
        let [cx, cy] = view.center_mercator();
        let scale = world_size(view.zoom);
        Self {
            scale: scale as f32,
            offset: [
                ((origin[0] - cx) * scale + f64::from(view.size[0]) / 2.0) as f32,
                ((origin[1] - cy) * scale + f64::from(view.size[1]) / 2.0) as f32,
            ],
        }
    }

    #[inline]
    pub fn apply(&self, [x, y]: [f32; 2]) -> [f32; 2] {
        [
            x * self.scale + self.offset[0],
            y * self.scale + self.offset[1],
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The window draws through walkers' projector and our scene through `View`: they must
    /// put every point in the same place, or overlays would drift from the map.
    #[test]
    fn view_projects_like_walkers() {
        let mut memory = walkers::MapMemory::default();
        memory.set_zoom(9.3).expect("zoom");
        let center = walkers::lon_lat(106.3, 29.6);
        memory.center_at(center);
        let rect = egui::Rect::from_min_size(egui::pos2(0.0, 0.0), egui::vec2(1200.0, 800.0));
        let projector =
            walkers::Projector::new(rect, &walkers::MercatorProjection, &memory, center);
        let view = View::new(coord! { x: 106.3, y: 29.6 }, 9.3, [1200.0, 800.0]);
        for (lon, lat) in [
            (106.3, 29.6),
            (104.06, 30.66),
            (108.4, 30.8),
            (106.586, 29.566),
        ] {
            let theirs = projector.project(walkers::lon_lat(lon, lat));
            let ours = view.project(coord! { x: lon, y: lat });
            assert!(
                (theirs.x - ours[0]).abs() < 0.01 && (theirs.y - ours[1]).abs() < 0.01,
                "walkers {theirs:?}, ours {ours:?}"
            );
        }
    }

    #[test]
    fn unproject_inverts_project() {
        let view = View::new(coord! { x: 106.3, y: 29.6 }, 11.0, [800.0, 600.0]);
        let point = coord! { x: 106.41, y: 29.52 };
        let back = view.unproject(view.project(point));
        assert!((back.x - point.x).abs() < 1e-5 && (back.y - point.y).abs() < 1e-5);
    }

    #[test]
    fn fit_shows_the_whole_rectangle() {
        let bounds = Rect::new(coord! { x: 101.9, y: 27.6 }, coord! { x: 109.2, y: 32.6 });
        let view = View::fit(bounds, [1920.0, 1080.0], 20.0);
        for corner in [bounds.min(), bounds.max()] {
            let [x, y] = view.project(corner);
            assert!(
                (19.0..=1901.0).contains(&x) && (19.0..=1061.0).contains(&y),
                "{x},{y}"
            );
        }
        // And it is tight in one direction: no zooming out further than needed.
        let [x0, y0] = view.project(coord! { x: bounds.min().x, y: bounds.max().y });
        let [x1, y1] = view.project(coord! { x: bounds.max().x, y: bounds.min().y });
        assert!((x1 - x0 - 1880.0).abs() < 1.0 || (y1 - y0 - 1040.0).abs() < 1.0);
    }

    #[test]
    fn the_screen_transform_agrees_with_the_view() {
        let view = View::new(coord! { x: 106.3, y: 29.6 }, 12.5, [1000.0, 700.0]);
        let origin = mercator(105.5, 30.0);
        let transform = ScreenTransform::new(&view, origin);
        let point = mercator(106.35, 29.58);
        let local = [(point[0] - origin[0]) as f32, (point[1] - origin[1]) as f32];
        let via_transform = transform.apply(local);
        let direct = view.project_mercator(point);
        assert!((via_transform[0] - direct[0]).abs() < 0.5);
        assert!((via_transform[1] - direct[1]).abs() < 0.5);
    }
}
