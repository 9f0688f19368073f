//! Web Mercator as web maps and walkers draw it: one latitude clamp, the forward and inverse
//! projection in normalised units (0‥1, y down), the world's size at a zoom, and the XYZ tile
//! grid. Every room that projects (index, render, basemap, export, tour) takes it from here.

use std::fmt;

use geo::{Coord, coord};

/// Walkers' tile size: at zoom 0 the world is one 256-point tile.
pub const TILE_SIZE: f64 = 256.0;

/// Web Mercator's latitude limit (the square world's edge).
pub const MAX_LAT: f64 = 85.051_128_779_806_59;

/// The deepest tile zoom a package may hold.
pub const MAX_TILE_ZOOM: u8 = 24;

/// Longitude/latitude (degrees) → normalised Web Mercator, x and y in 0‥1, y down.
pub fn mercator(lon: f64, lat: f64) -> [f64; 2] {
    let lat = lat.clamp(-MAX_LAT, MAX_LAT);
    let x = (lon + 180.0) / 360.0;
    let y = (1.0 - lat.to_radians().tan().asinh() / std::f64::consts::PI) / 2.0;
    [x, y]
}

/// Normalised Web Mercator → longitude/latitude (degrees).
pub fn inverse_mercator([x, y]: [f64; 2]) -> Coord {
    let lon = x * 360.0 - 180.0;
    let lat = ((1.0 - 2.0 * y) * std::f64::consts::PI)
        .sinh()
        .atan()
        .to_degrees();
    coord! { x: lon, y: lat }
}

/// The world's width in points at a zoom level.
pub fn world_size(zoom: f64) -> f64 {
    TILE_SIZE * 2f64.powf(zoom)
}

/// How many tiles the grid has across at zoom `z`.
pub fn tiles_across(z: u8) -> f64 {
    f64::from(1u32 << z.min(31))
}

/// A tile's place in the XYZ grid (row 0 at the top, as web maps number them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TileKey {
    pub z: u8,
    pub x: u32,
    pub y: u32,
}

impl TileKey {
    pub fn new(z: u8, x: u32, y: u32) -> Self {
        Self { z, x, y }
    }

    /// Whether the key names a tile of the world's grid.
    pub fn is_valid(self) -> bool {
        self.z <= MAX_TILE_ZOOM && self.x < (1u32 << self.z) && self.y < (1u32 << self.z)
    }

    /// The tile `levels` zooms up that contains this one.
    pub fn ancestor(self, levels: u8) -> Self {
        let levels = levels.min(self.z);
        Self {
            z: self.z - levels,
            x: self.x >> levels,
            y: self.y >> levels,
        }
    }

    /// The row as TMS numbers it (row 0 at the bottom), which MBTiles uses.
    pub fn tms_row(self) -> u32 {
        (1u32 << self.z) - 1 - self.y
    }
}

impl fmt::Display for TileKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}/{}", self.z, self.x, self.y)
    }
}

/// The tile at zoom `z` that holds a longitude/latitude.
pub fn key_at(lon: f64, lat: f64, z: u8) -> TileKey {
    let n = tiles_across(z);
    let [x, y] = mercator(lon, lat);
    let last = n - 1.0;
    TileKey::new(
        z,
        (x * n).floor().clamp(0.0, last) as u32,
        (y * n).floor().clamp(0.0, last) as u32,
    )
}

/// The longitude/latitude of a tile grid's corner (x, y at zoom z; y from the top).
pub fn tile_corner(z: u8, x: u32, y: u32) -> (f64, f64) {
    let n = tiles_across(z);
    let c = inverse_mercator([f64::from(x) / n, f64::from(y) / n]);
    (c.x, c.y)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Checked against the OSM wiki's formula with asinh(tan φ): 106.586 E, 29.566 N (朝天门)
    /// at zoom 12.
    #[test]
    fn a_place_falls_in_the_tile_web_maps_give_it() {
        assert_eq!(key_at(106.586, 29.566, 12), TileKey::new(12, 3260, 1695));
        assert_eq!(key_at(-180.0, 85.2, 3), TileKey::new(3, 0, 0));
        assert_eq!(key_at(180.0, -90.0, 3), TileKey::new(3, 7, 7));
        assert_eq!(tile_corner(0, 0, 0).0, -180.0);
        assert!((tile_corner(0, 0, 0).1 - MAX_LAT).abs() < 1e-9);
        assert_eq!(tile_corner(1, 1, 1), (0.0, 0.0));
    }

    #[test]
    fn the_inverse_undoes_the_projection() {
        for (lon, lat) in [(106.5, 29.5), (-70.0, -33.4), (0.0, 0.0), (179.9, 84.0)] {
            let back = inverse_mercator(mercator(lon, lat));
            assert!((back.x - lon).abs() < 1e-9 && (back.y - lat).abs() < 1e-9);
        }
    }
}
