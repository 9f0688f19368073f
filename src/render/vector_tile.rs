//! Vector basemap tiles (MVT) made ready to draw: each feature styled by the package's schema
//! (OpenMapTiles or Protomaps, the two in use), grouped by style, triangulated and kept in the
//! scene's own local coordinates, so that the window and the exports draw them with the same
//! painters as the atlas's layers. Done once per tile, off the UI thread.

use std::collections::BTreeMap;
use std::sync::Arc;

use geo::{LineString, Polygon, TriangulateEarcut};

use super::geometry::Prepared;
use super::style::{self, LineStyle, Rgba};
use crate::basemap::TileKey;
use crate::basemap::mvt::{self, Feature, GeomKind};

/// Which names the package's layers and classes follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Schema {
    /// OpenMapTiles (MapTiler, OpenMapTiles' own, tilemaker's default).
    OpenMapTiles,
    /// Protomaps' basemap layers.
    Protomaps,
}

impl Schema {
    /// The schema a package's layer names say; OpenMapTiles when they say neither.
    pub fn of_layers(layers: &[String]) -> Schema {
        let has = |name: &str| layers.iter().any(|l| l == name);
        if has("roads") || has("earth") || has("places") {
            Schema::Protomaps
        } else {
            Schema::OpenMapTiles
        }
    }
}

/// How a group of features is painted: filled, or stroked with a width that grows with zoom.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Paint {
    Fill(Rgba),
    Line {
        /// Width in points at zoom 14.
        width: f32,
        color: Rgba,
        dash: Option<(f32, f32)>,
        /// Not drawn below this zoom.
        min_zoom: f32,
    },
}

impl Paint {
    /// The stroke at `zoom`, if the line is drawn there.
    pub fn line_at(&self, zoom: f64) -> Option<LineStyle> {
        let Paint::Line {
            width,
            color,
            dash,
            min_zoom,
        } = *self
        else {
            return None;
        };
        if zoom < f64::from(min_zoom) {
            return None;
        }
        let grown = width * 2f32.powf(((zoom - 14.0) * 0.45) as f32);
        Some(LineStyle {
            width: grown.clamp(0.4, width * 2.5),
            color,
            dash,
        })
    }
}

/// Features of one style in one tile.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// Draw order across all tiles: fills, then casings, then roads, minor first.
    pub order: u16,
    pub paint: Paint,
    pub geometry: Arc<Prepared>,
}

/// A name the tile offers: in Chinese and English, at a point (normalised Mercator).
#[derive(Debug, Clone, PartialEq)]
pub struct TileLabel {
    pub zh: String,
    pub en: String,
    pub at: [f64; 2],
    /// Lower is placed first (city 1, town 2, … road names 6).
    pub rank: u8,
    pub water: bool,
    /// A road's name runs along the road (as QGIS's "parallel" placement): radians clockwise
    /// on screen, kept upright (within ±90°); 0 for points.
    pub angle: f32,
}

/// A decoded, styled, triangulated tile.
#[derive(Debug, Clone, PartialEq)]
pub struct VectorTile {
    pub key: TileKey,
    pub groups: Vec<Group>,
    pub labels: Vec<TileLabel>,
}

impl VectorTile {
    /// Bytes held, roughly (for the tile cache's bound).
    pub fn byte_size(&self) -> usize {
        self.groups
            .iter()
            .map(|g| g.geometry.vertices.len() * 8 + g.geometry.triangles.len() * 4 + 64)
            .sum::<usize>()
            + self.labels.len() * 96
    }
}

const RAILWAY: Paint = Paint::Line {
    width: 1.1,
    color: style::TILE_RAILWAY,
    dash: Some((6.0, 3.0)),
    min_zoom: 9.0,
};

/// The paints of one feature under the schema (a road gets a casing and a fill).
fn paints(schema: Schema, layer: &str, feature: &Feature, zoom: u8) -> Vec<(u16, Paint)> {
    let class = feature
        .text("class")
        .or_else(|| feature.text("kind"))
        .unwrap_or("");
    let fill = |order: u16, color: Rgba| vec![(order, Paint::Fill(color))];
    let polygon = feature.kind == GeomKind::Polygon;
    let line = feature.kind == GeomKind::Line;
    match (schema, layer) {
        (_, "water") if polygon => fill(30, style::TILE_WATER),
        (_, "waterway") if line => vec![(
            31,
            Paint::Line {
                width: if class == "river" { 1.6 } else { 0.8 },
                color: style::TILE_WATER,
                dash: None,
                min_zoom: 8.0,
            },
        )],
        (_, "landcover" | "park" | "natural") if polygon => match class {
            "wood" | "forest" => fill(12, style::TILE_WOOD),
            "grass" | "park" | "farmland" | "meadow" | "scrub" => fill(11, style::TILE_GRASS),
            _ => Vec::new(),
        },
        (_, "landuse") if polygon => match class {
            "residential" | "suburb" | "neighbourhood" => fill(5, style::TILE_RESIDENTIAL),
            "industrial" | "commercial" | "retail" | "railway" => fill(6, style::TILE_INDUSTRIAL),
            "park" | "cemetery" | "wood" | "forest" | "grass" => fill(11, style::TILE_GRASS),
            _ => Vec::new(),
        },
        (_, "building" | "buildings") if polygon && zoom >= 13 => fill(40, style::TILE_BUILDING),
        (_, "transportation" | "roads") if line => {
            if matches!(class, "rail" | "transit") {
                return vec![(90, RAILWAY)];
            }
            if matches!(class, "path" | "track" | "footway") {
                return vec![(
                    55,
                    Paint::Line {
                        width: 0.7,
                        color: style::TILE_PATH,
                        dash: Some((3.0, 2.0)),
                        min_zoom: 15.0,
                    },
                )];
            }
            let Some((width, color, casing, min_zoom, rank)) = style::tile_road(class) else {
                return Vec::new();
            };
            vec![
                (
                    60 + rank,
                    Paint::Line {
                        width: width + 1.4,
                        color: casing,
                        dash: None,
                        min_zoom,
                    },
                ),
                (
                    70 + rank,
                    Paint::Line {
                        width,
                        color,
                        dash: None,
                        min_zoom,
                    },
                ),
            ]
        }
        (Schema::Protomaps, "transit") if line => vec![(90, RAILWAY)],
        _ => Vec::new(),
    }
}

/// The name a feature offers, if it is one the style labels.
fn label(
    schema: Schema,
    layer: &str,
    feature: &Feature,
    key: TileKey,
    extent: u32,
) -> Option<TileLabel> {
    let rank = match (schema, layer) {
        (_, "place" | "places") => match feature
            .text("class")
            .or_else(|| feature.text("kind"))
            .unwrap_or("")
        {
            "country" | "state" | "region" => return None,
            "city" => 1,
            "town" | "locality" => 2,
            "village" | "suburb" => 3,
            _ => 4,
        },
        (_, "water_name") => 5,
        (_, "transportation_name") => 6,
        (Schema::Protomaps, "roads") if feature.kind == GeomKind::Line => 6,
        _ => return None,
    };
    let name = feature.text("name").unwrap_or("");
    let zh = feature
        .text("name:zh")
        .or_else(|| feature.text("name_zh"))
        .filter(|n| !n.is_empty())
        .unwrap_or(name);
    let en = feature
        .text("name:en")
        .or_else(|| feature.text("name_en"))
        .filter(|n| !n.is_empty())
        .unwrap_or(name);
    if zh.is_empty() && en.is_empty() {
        return None;
    }
    // A point where it is; a line at its middle vertex, along the line there.
    let path = feature.paths.iter().max_by_key(|p| p.len())?;
    let middle = path.len() / 2;
    let at = path[middle];
    let angle = match feature.kind {
        GeomKind::Line if path.len() >= 2 => {
            let (a, b) = (
                path[middle.saturating_sub(1)],
                path[(middle + 1).min(path.len() - 1)],
            );
            upright((b[1] - a[1]) as f32, (b[0] - a[0]) as f32)
        }
        _ => 0.0,
    };
    if at[0] < 0 || at[1] < 0 || at[0] >= extent as i32 || at[1] >= extent as i32 {
        return None; // in the tile's buffer: the neighbour names it
    }
    Some(TileLabel {
        zh: zh.to_string(),
        en: en.to_string(),
        at: to_mercator(key, extent, at),
        rank,
        water: layer == "water_name",
        angle,
    })
}

/// The direction of `(dx, dy)` (screen axes: y down) in radians clockwise, turned half a turn
/// where the text would read upside down.
fn upright(dy: f32, dx: f32) -> f32 {
    use std::f32::consts::{FRAC_PI_2, PI};
    let angle = dy.atan2(dx);
    if angle > FRAC_PI_2 {
        angle - PI
    } else if angle <= -FRAC_PI_2 {
        angle + PI
    } else {
        angle
    }
}

fn to_mercator(key: TileKey, extent: u32, [x, y]: [i32; 2]) -> [f64; 2] {
    let n = f64::from(1u32 << key.z.min(31));
    let e = f64::from(extent);
    [
        (f64::from(key.x) + f64::from(x) / e) / n,
        (f64::from(key.y) + f64::from(y) / e) / n,
    ]
}

/// Decodes, styles and triangulates a tile; `origin` is the scene's local origin.
pub fn prepare_tile(
    key: TileKey,
    bytes: &[u8],
    schema: Schema,
    origin: [f64; 2],
) -> Result<VectorTile, String> {
    let layers = mvt::decode(bytes)?;
    let mut groups: BTreeMap<(u16, PaintKey), (Paint, Prepared)> = BTreeMap::new();
    let mut labels = Vec::new();
    for layer in &layers {
        for feature in &layer.features {
            if let Some(found) = label(schema, &layer.name, feature, key, layer.extent) {
                labels.push(found);
            }
            for (order, paint) in paints(schema, &layer.name, feature, key.z) {
                let (_, prepared) = groups
                    .entry((order, PaintKey::of(&paint)))
                    .or_insert_with(|| (paint, Prepared::default()));
                add_feature(prepared, feature, key, layer.extent, origin);
            }
        }
    }
    Ok(VectorTile {
        key,
        groups: groups
            .into_iter()
            .filter(|(_, (_, prepared))| !prepared.is_empty())
            .map(|((order, _), (paint, geometry))| Group {
                order,
                paint,
                geometry: Arc::new(geometry),
            })
            .collect(),
        labels,
    })
}

/// Paints told apart for grouping (colours and widths as bits: `f32` is not `Ord`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct PaintKey([u8; 4], u32, bool);

impl PaintKey {
    fn of(paint: &Paint) -> Self {
        match paint {
            Paint::Fill(color) => PaintKey(color.0, 0, false),
            Paint::Line { width, color, .. } => PaintKey(color.0, width.to_bits(), true),
        }
    }
}

fn add_feature(
    prepared: &mut Prepared,
    feature: &Feature,
    key: TileKey,
    extent: u32,
    origin: [f64; 2],
) {
    let local = |p: [i32; 2]| {
        let [x, y] = to_mercator(key, extent, p);
        [(x - origin[0]) as f32, (y - origin[1]) as f32]
    };
    match feature.kind {
        GeomKind::Point => {}
        GeomKind::Line => {
            for path in &feature.paths {
                let start = prepared.vertices.len() as u32;
                prepared.vertices.extend(path.iter().map(|&p| local(p)));
                prepared.paths.push(start..prepared.vertices.len() as u32);
            }
        }
        GeomKind::Polygon => {
            prepared.closed = true;
            for polygon in polygons(&feature.paths) {
                let geo_polygon = Polygon::new(
                    ring(polygon[0]),
                    polygon[1..].iter().map(|r| ring(r)).collect(),
                );
                let triangulation = geo_polygon.earcut_triangles_raw();
                let base = prepared.vertices.len() as u32;
                for r in &polygon {
                    let start = prepared.vertices.len() as u32;
                    // Without the closing point, as earcut numbers them.
                    prepared
                        .vertices
                        .extend(r[..r.len() - 1].iter().map(|&p| local(p)));
                    prepared.paths.push(start..prepared.vertices.len() as u32);
                }
                let count = prepared.vertices.len() as u32 - base;
                prepared.triangles.extend(
                    triangulation
                        .triangle_indices
                        .iter()
                        .map(|&i| base + i as u32)
                        .filter(|&i| i < base + count),
                );
                // Keep whole triangles only, should earcut and our numbering ever disagree.
                let whole = prepared.triangles.len() / 3 * 3;
                prepared.triangles.truncate(whole);
            }
        }
    }
}

fn ring(path: &[[i32; 2]]) -> LineString {
    path.iter()
        .map(|p| geo::coord! { x: f64::from(p[0]), y: f64::from(p[1]) })
        .collect()
}

fn signed_area(path: &[[i32; 2]]) -> f64 {
    path.windows(2)
        .map(|w| f64::from(w[0][0]) * f64::from(w[1][1]) - f64::from(w[1][0]) * f64::from(w[0][1]))
        .sum::<f64>()
        / 2.0
}

/// Rings into polygons: a ring turning as the first one does starts a polygon, one turning
/// the other way is a hole in the polygon before it.
fn polygons(rings: &[Vec<[i32; 2]>]) -> Vec<Vec<&[[i32; 2]]>> {
    let mut out: Vec<Vec<&[[i32; 2]]>> = Vec::new();
    let Some(first) = rings.first() else {
        return out;
    };
    let outer_sign = signed_area(first).signum();
    for r in rings {
        let area = signed_area(r);
        if area == 0.0 {
            continue;
        }
        if area.signum() == outer_sign || out.is_empty() {
            out.push(vec![r.as_slice()]);
        } else if let Some(last) = out.last_mut() {
            last.push(r.as_slice());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ring_turning_the_other_way_is_a_hole() {
        let outer = vec![[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]];
        let hole = vec![[2, 2], [2, 8], [8, 8], [8, 2], [2, 2]];
        let second = vec![[20, 20], [30, 20], [30, 30], [20, 30], [20, 20]];
        let rings = [outer, hole, second];
        let grouped = polygons(&rings);
        assert_eq!(grouped.len(), 2);
        assert_eq!(grouped[0].len(), 2);
    }

    /// A road's name runs along the road at its middle, never upside down; a place's name is
    /// level.
    #[test]
    fn road_names_run_along_the_road_and_read_upright() {
        use crate::basemap::mvt::{Feature, Value};
        let key = TileKey {
            z: 14,
            x: 13_000,
            y: 6_800,
        };
        let road = |path: Vec<[i32; 2]>| Feature {
            kind: GeomKind::Line,
            properties: vec![("name".into(), Value::Text("解放碑路".into()))],
            paths: vec![path],
        };
        let angle_of = |feature: &Feature, layer: &str| {
            label(Schema::OpenMapTiles, layer, feature, key, 4096)
                .expect("named")
                .angle
                .to_degrees()
        };
        // Down to the right at 45° on screen, whichever way the road was digitised.
        let down_right = vec![[100, 100], [200, 200], [300, 300]];
        let mut up_left = down_right.clone();
        up_left.reverse();
        for path in [down_right, up_left] {
            let angle = angle_of(&road(path), "transportation_name");
            assert!((angle - 45.0).abs() < 0.01, "{angle}");
        }
        // A road running straight up or down is set along it, read from the bottom up or
        // the top down: ±90°, whichever way its points run.
        for path in [
            vec![[500, 900], [500, 100], [500, 50]],
            vec![[500, 50], [500, 100], [500, 900]],
        ] {
            let vertical = angle_of(&road(path), "transportation_name");
            assert!((vertical.abs() - 90.0).abs() < 0.01, "{vertical}");
        }
        let place = Feature {
            kind: GeomKind::Point,
            properties: vec![
                ("name".into(), Value::Text("磁器口".into())),
                ("class".into(), Value::Text("village".into())),
            ],
            paths: vec![vec![[400, 400]]],
        };
        assert_eq!(angle_of(&place, "place"), 0.0);
    }

    #[test]
    fn roads_grow_with_zoom_and_minor_ones_wait() {
        let paint = Paint::Line {
            width: 1.2,
            color: Rgba::rgb(255, 255, 255),
            dash: None,
            min_zoom: 13.0,
        };
        assert!(paint.line_at(12.0).is_none());
        let (Some(a), Some(b)) = (paint.line_at(14.0), paint.line_at(16.0)) else {
            panic!("drawn at 14 and 16");
        };
        assert!(b.width > a.width);
    }
}
