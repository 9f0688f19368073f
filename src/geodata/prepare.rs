//! The preparation tool: turns the upstream files in `geodata/sources/` into the layers the app
//! ships (`geodata/basemap/*.geojson`, `geodata/zones.geojson`). Re-runnable and deterministic:
//! `chengyu-atlas prepare-geodata` rewrites the same bytes from the same sources.
//!
//! What it does, in order: converts the echarts boundaries from GCJ-02 to WGS-84; renames units
//! renamed since the data was made; adds English names; dissolves provinces, Sichuan prefectures
//! and the economic circle from their member units; derives the science-city zones from the
//! hand-drawn outlines in `sources/approximations.geojson`, clipped to their administrative
//! districts; chains the river segments and ranks them by length.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use geo::orient::Direction;
use geo::{
    Area, BooleanOps, Centroid, Contains, Coord, Geometry, InteriorPoint, LineString, MapCoords,
    MultiLineString, MultiPolygon, Orient, Point, Polygon, unary_union,
};
use serde_json::{Map, Value, json};

use super::datum::gcj02_to_wgs84;
use super::geojson_io::{self, as_multilinestring, as_multipolygon, string_property};
use super::names::english;
use super::{DataError, files};
use crate::atomic_file;
use crate::model::measure::area_km2;

/// Units renamed after the echarts data was made: (old name, new name, new adcode).
const RENAMED: &[(&str, &str, &str)] = &[
    ("梁平县", "梁平区", "500155"),
    ("武隆县", "武隆区", "500156"),
];

/// The Chongqing members of the economic circle (planning outline, October 2021).
pub const CORRIDOR_CHONGQING: [&str; 27] = [
    "渝中区",
    "大渡口区",
    "江北区",
    "沙坪坝区",
    "九龙坡区",
    "南岸区",
    "北碚区",
    "渝北区",
    "巴南区",
    "万州区",
    "涪陵区",
    "綦江区",
    "大足区",
    "黔江区",
    "长寿区",
    "江津区",
    "合川区",
    "永川区",
    "南川区",
    "璧山区",
    "铜梁区",
    "潼南区",
    "荣昌区",
    "梁平区",
    "丰都县",
    "垫江县",
    "忠县",
];

/// Chongqing units of which the outline includes only "parts" (部分地区), without saying which.
pub const CORRIDOR_PARTIAL: [&str; 2] = ["开州区", "云阳县"];

/// The Sichuan cities in the economic circle, all their counties except those listed after.
pub const CORRIDOR_SICHUAN_CITIES: [&str; 15] = [
    "成都市",
    "自贡市",
    "泸州市",
    "德阳市",
    "绵阳市",
    "遂宁市",
    "内江市",
    "乐山市",
    "南充市",
    "眉山市",
    "宜宾市",
    "广安市",
    "达州市",
    "雅安市",
    "资阳市",
];
pub const CORRIDOR_SICHUAN_EXCLUDED: [&str; 5] =
    ["平武县", "北川羌族自治县", "万源市", "天全县", "宝兴县"];

/// The five science-city districts: (zone id, zone name, English name, administrative district).
pub const SCIENCE_CITY_DISTRICTS: [(&str, &str, &str, &str); 5] = [
    ("shapingba", "沙坪坝片区", "Shapingba Area", "沙坪坝区"),
    ("jiulongpo", "九龙坡片区", "Jiulongpo Area", "九龙坡区"),
    ("beibei", "北碚片区", "Beibei Area", "北碚区"),
    ("jiangjin", "江津片区", "Jiangjin Area", "江津区"),
    ("bishan", "璧山片区", "Bishan Area", "璧山区"),
];

/// The core zone's towns lie in these two districts.
pub const CORE_DISTRICTS: [&str; 2] = ["沙坪坝区", "九龙坡区"];

/// Holes smaller than this in a dissolved outline are gaps between the Sichuan and Chongqing
/// source files, not enclaves.
const SLIVER_KM2: f64 = 30.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Membership {
    Member,
    Partial,
    Outside,
}

impl Membership {
    fn key(self) -> &'static str {
        match self {
            Membership::Member => "member",
            Membership::Partial => "partial",
            Membership::Outside => "outside",
        }
    }
}

#[derive(Debug, Clone)]
struct Unit {
    adcode: String,
    name_zh: String,
    name_en: String,
    label_en: String,
    province_zh: String,
    prefecture_zh: Option<String>,
    shape: MultiPolygon,
    label_point: Point,
    corridor: Membership,
}

fn to_wgs84(shape: &MultiPolygon) -> MultiPolygon {
    shape.map_coords(|c| {
        let (x, y) = gcj02_to_wgs84(c.x, c.y);
        Coord { x, y }
    })
}

/// Rings smaller than this (in square degrees, about 100 m²) are artefacts of re-noding: the
/// hair-thin slivers left where a source ring doubles back on itself.
const MIN_RING_DEG2: f64 = 1e-8;

/// Output precision: 1e-6° (about 0.1 m).
const GRID: f64 = 1e6;

fn snap(value: f64) -> f64 {
    (value * GRID).round() / GRID
}

/// Snaps a ring to the output grid and removes what snapping leaves degenerate: repeated
/// points, spikes (A, B, A) and rings too small to be real. `None` if nothing is left.
fn clean_ring(ring: &LineString) -> Option<LineString> {
    let mut points: Vec<Coord> = Vec::with_capacity(ring.0.len());
    for c in &ring.0 {
        let c = Coord {
            x: snap(c.x),
            y: snap(c.y),
        };
        if points.last() == Some(&c) {
            continue;
        }
        // A spike: the ring goes to a point and straight back.
        if points.len() >= 2 && points[points.len() - 2] == c {
            points.pop();
            continue;
        }
        points.push(c);
    }
    // The closing point can form a spike with the first segment as well.
    while points.len() >= 4 && points[1] == points[points.len() - 2] {
        points.pop();
        points.remove(0);
    }
    let ring = LineString::new(points);
    let area = Polygon::new(ring.clone(), vec![]).unsigned_area();
    (ring.0.len() >= 4 && area >= MIN_RING_DEG2).then_some(ring)
}

/// Cleans every ring of every part (see [`clean_ring`]); parts whose exterior vanishes go.
/// Rings that touch themselves after snapping are split at the touching point (OGC wants a
/// pinched exterior as two parts, or as an exterior and a hole that touches it).
fn clean(shape: MultiPolygon) -> MultiPolygon {
    let mut exteriors: Vec<LineString> = Vec::new();
    let mut holes: Vec<LineString> = Vec::new();
    for polygon in shape {
        let Some(exterior) = clean_ring(polygon.exterior()) else {
            continue;
        };
        let orientation = signed_area(&exterior).signum();
        for ring in split_pinches(exterior) {
            if signed_area(&ring) * orientation >= 0.0 {
                exteriors.push(ring);
            } else {
                holes.push(ring);
            }
        }
        for hole in polygon.interiors().iter().filter_map(clean_ring) {
            holes.extend(split_pinches(hole));
        }
    }
    let mut polygons: Vec<(LineString, Vec<LineString>)> = exteriors
        .into_iter()
        .map(|ring| (ring, Vec::new()))
        .collect();
    // Each hole goes to the smallest exterior that contains it.
    for hole in holes {
        let Some(inside) = hole_probe(&hole) else {
            continue;
        };
        let owner = polygons
            .iter_mut()
            .filter(|(exterior, _)| Polygon::new(exterior.clone(), vec![]).contains(&inside))
            .min_by(|a, b| signed_area(&a.0).abs().total_cmp(&signed_area(&b.0).abs()));
        if let Some((_, owned)) = owner {
            owned.push(hole);
        }
    }
    polygons
        .into_iter()
        .map(|(exterior, interiors)| Polygon::new(exterior, interiors))
        .collect::<Vec<_>>()
        .into()
}

fn signed_area(ring: &LineString) -> f64 {
    Polygon::new(ring.clone(), vec![]).signed_area()
}

/// A point strictly inside a hole, to find which exterior holds it.
fn hole_probe(hole: &LineString) -> Option<Point> {
    Polygon::new(hole.clone(), vec![]).interior_point()
}

/// Splits a closed ring at every vertex it visits twice (and at every vertex that lies on
/// one of its other edges), giving simple loops.
fn split_pinches(ring: LineString) -> Vec<LineString> {
    let mut points: Vec<Coord> = ring.0;
    points.pop(); // the closing point
    node_touching_vertices(&mut points);
    let mut seen = std::collections::HashSet::with_capacity(points.len());
    if points
        .iter()
        .all(|p| seen.insert((p.x.to_bits(), p.y.to_bits())))
    {
        let first = points[0];
        points.push(first);
        return vec![LineString::new(points)];
    }
    let mut loops = Vec::new();
    let mut stack: Vec<Coord> = Vec::new();
    for p in points {
        if let Some(start) = stack.iter().position(|q| *q == p) {
            let mut piece: Vec<Coord> = stack.split_off(start);
            piece.push(p);
            if piece.len() >= 4 {
                loops.push(LineString::new(piece));
            }
        }
        stack.push(p);
    }
    if stack.len() >= 3 {
        let first = stack[0];
        stack.push(first);
        loops.push(LineString::new(stack));
    }
    loops
}

/// Inserts into each edge every vertex of the ring that lies on it, so that every place where
/// the ring touches itself becomes a repeated vertex. Vertices are bucketed on a grid so that
/// each edge only looks at its neighbourhood.
fn node_touching_vertices(points: &mut Vec<Coord>) {
    const CELL: f64 = 0.01;
    let cell = |c: Coord| ((c.x / CELL).floor() as i64, (c.y / CELL).floor() as i64);
    let mut buckets: HashMap<(i64, i64), Vec<Coord>> = HashMap::new();
    for p in points.iter() {
        buckets.entry(cell(*p)).or_default().push(*p);
    }
    let mut noded = Vec::with_capacity(points.len());
    let n = points.len();
    for index in 0..n {
        let (a, b) = (points[index], points[(index + 1) % n]);
        noded.push(a);
        let (lo, hi) = (
            cell(Coord {
                x: a.x.min(b.x),
                y: a.y.min(b.y),
            }),
            cell(Coord {
                x: a.x.max(b.x),
                y: a.y.max(b.y),
            }),
        );
        let mut on_edge: Vec<Coord> = Vec::new();
        for cx in lo.0..=hi.0 {
            for cy in lo.1..=hi.1 {
                let Some(bucket) = buckets.get(&(cx, cy)) else {
                    continue;
                };
                on_edge.extend(
                    bucket
                        .iter()
                        .filter(|p| **p != a && **p != b && on_segment(**p, a, b)),
                );
            }
        }
        on_edge.sort_by(|p, q| {
            let d = |c: &Coord| (c.x - a.x).hypot(c.y - a.y);
            d(p).total_cmp(&d(q))
        });
        on_edge.dedup();
        noded.extend(on_edge);
    }
    *points = noded;
}

/// Where one unit has a vertex on a neighbour's edge (a T-junction: the neighbour goes straight
/// past it), the vertex is inserted into the neighbour's edge too, so that shared boundaries
/// have identical vertices on both sides: dissolves close without slivers, and boundary arcs
/// are found. Collinear in the source grid, such vertices lie within `TOLERANCE` of the edge
/// after the datum conversion and snapping.
fn node_shared_edges(units: &mut [Unit]) {
    const TOLERANCE: f64 = 2e-6;
    const CELL: f64 = 0.01;
    let cell = |c: Coord| ((c.x / CELL).floor() as i64, (c.y / CELL).floor() as i64);
    let mut buckets: HashMap<(i64, i64), Vec<Coord>> = HashMap::new();
    for unit in units.iter() {
        for polygon in &unit.shape {
            for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
                for c in ring.coords() {
                    buckets.entry(cell(*c)).or_default().push(*c);
                }
            }
        }
    }
    for bucket in buckets.values_mut() {
        bucket.sort_by(|a, b| {
            (a.x, a.y)
                .partial_cmp(&(b.x, b.y))
                .unwrap_or(std::cmp::Ordering::Equal)
        });
        bucket.dedup();
    }
    let node_ring = |ring: &LineString| -> LineString {
        let mut out: Vec<Coord> = Vec::with_capacity(ring.0.len());
        for line in ring.lines() {
            let (a, b) = (line.start, line.end);
            out.push(a);
            let (dx, dy) = (b.x - a.x, b.y - a.y);
            let length2 = dx * dx + dy * dy;
            if length2 == 0.0 {
                continue;
            }
            let lo = cell(Coord {
                x: a.x.min(b.x) - TOLERANCE,
                y: a.y.min(b.y) - TOLERANCE,
            });
            let hi = cell(Coord {
                x: a.x.max(b.x) + TOLERANCE,
                y: a.y.max(b.y) + TOLERANCE,
            });
            let mut inserted: Vec<(f64, Coord)> = Vec::new();
            for cx in lo.0..=hi.0 {
                for cy in lo.1..=hi.1 {
                    let Some(bucket) = buckets.get(&(cx, cy)) else {
                        continue;
                    };
                    for p in bucket {
                        let t = ((p.x - a.x) * dx + (p.y - a.y) * dy) / length2;
                        if t <= 1e-9 || t >= 1.0 - 1e-9 {
                            continue;
                        }
                        let (fx, fy) = (a.x + t * dx, a.y + t * dy);
                        if (p.x - fx).hypot(p.y - fy) <= TOLERANCE {
                            inserted.push((t, *p));
                        }
                    }
                }
            }
            inserted.sort_by(|x, y| x.0.total_cmp(&y.0));
            out.extend(inserted.into_iter().map(|(_, p)| p));
        }
        if let Some(first) = out.first().copied() {
            out.push(first);
        }
        LineString::new(out)
    };
    for unit in units.iter_mut() {
        let polygons: Vec<Polygon> = unit
            .shape
            .iter()
            .map(|polygon| {
                Polygon::new(
                    node_ring(polygon.exterior()),
                    polygon.interiors().iter().map(node_ring).collect(),
                )
            })
            .collect();
        unit.shape = clean(MultiPolygon::new(polygons)).orient(Direction::Default);
    }
}

fn on_segment(p: Coord, a: Coord, b: Coord) -> bool {
    let cross = (b.x - a.x) * (p.y - a.y) - (b.y - a.y) * (p.x - a.x);
    let within =
        p.x >= a.x.min(b.x) && p.x <= a.x.max(b.x) && p.y >= a.y.min(b.y) && p.y <= a.y.max(b.y);
    within && cross.abs() <= 1e-14
}

/// Some source rings touch or cross themselves, or repeat points; re-noding each polygon with
/// the even-odd rule gives a valid shape with the same area, exteriors counter-clockwise.
fn make_valid(shape: &MultiPolygon) -> MultiPolygon {
    let empty = MultiPolygon::<f64>::new(vec![]);
    let parts: Vec<MultiPolygon> = clean(shape.clone())
        .iter()
        .map(|polygon| polygon.union(&empty))
        .collect();
    clean(dissolve(parts.iter()))
}

fn point_to_wgs84(point: Point) -> Point {
    let (x, y) = gcj02_to_wgs84(point.x(), point.y());
    Point::new(x, y)
}

fn label_point(feature: &geojson::Feature) -> Option<Point> {
    let values = feature.property("label_point")?.as_array()?;
    Some(Point::new(
        values.first()?.as_f64()?,
        values.get(1)?.as_f64()?,
    ))
}

fn renamed(name: &str, adcode: &str) -> (String, String) {
    RENAMED
        .iter()
        .find(|(old, _, _)| *old == name)
        .map(|(_, new, code)| ((*new).to_string(), (*code).to_string()))
        .unwrap_or_else(|| (name.to_string(), adcode.to_string()))
}

fn read_units(path: &Path, province_zh: &str) -> Result<Vec<Unit>, DataError> {
    let origin = path.display().to_string();
    let collection = geojson_io::read_collection(path)?;
    let mut units = Vec::new();
    for (index, feature) in collection.features.iter().enumerate() {
        let problem = |what: &str| DataError::new(&origin, format!("feature {index}: {what}"));
        let name = string_property(feature, "name").ok_or_else(|| problem("no name"))?;
        let adcode = string_property(feature, "adcode").ok_or_else(|| problem("no adcode"))?;
        let shape = geojson_io::geometry(feature)
            .and_then(as_multipolygon)
            .ok_or_else(|| problem("not a polygon"))?;
        let label = label_point(feature).ok_or_else(|| problem("no label_point"))?;
        let (name_zh, adcode) = renamed(name, adcode);
        let (name_en, label_en) = english(&name_zh, false);
        let prefecture_zh = string_property(feature, "prefecture").map(str::to_string);
        let corridor = membership(&name_zh, prefecture_zh.as_deref());
        units.push(Unit {
            adcode,
            name_zh,
            name_en,
            label_en,
            province_zh: province_zh.to_string(),
            prefecture_zh,
            shape: make_valid(&to_wgs84(&shape)),
            label_point: point_to_wgs84(label),
            corridor,
        });
    }
    Ok(units)
}

fn membership(name_zh: &str, prefecture_zh: Option<&str>) -> Membership {
    match prefecture_zh {
        None if CORRIDOR_CHONGQING.contains(&name_zh) => Membership::Member,
        None if CORRIDOR_PARTIAL.contains(&name_zh) => Membership::Partial,
        None => Membership::Outside,
        Some(city)
            if CORRIDOR_SICHUAN_CITIES.contains(&city)
                && !CORRIDOR_SICHUAN_EXCLUDED.contains(&name_zh) =>
        {
            Membership::Member
        }
        Some(_) => Membership::Outside,
    }
}

/// Dissolves neighbouring units into one outline. Holes under `SLIVER_KM2` are gaps between
/// units in the sources (neither Sichuan nor Chongqing has an enclave that small), so they go.
fn dissolve_units<'a>(shapes: impl IntoIterator<Item = &'a MultiPolygon>) -> MultiPolygon {
    let shape = dissolve(shapes);
    shape
        .into_iter()
        .map(|polygon| {
            let (exterior, interiors) = polygon.into_inner();
            let kept = interiors
                .into_iter()
                .filter(|ring| {
                    area_km2(&MultiPolygon::new(vec![Polygon::new(ring.clone(), vec![])]))
                        >= SLIVER_KM2
                })
                .collect();
            Polygon::new(exterior, kept)
        })
        .collect::<Vec<_>>()
        .into()
}

fn dissolve<'a>(shapes: impl IntoIterator<Item = &'a MultiPolygon>) -> MultiPolygon {
    let polygons: Vec<&Polygon> = shapes.into_iter().flat_map(|shape| shape.iter()).collect();
    clean(unary_union(polygons)).orient(Direction::Default)
}

/// Removes holes and islands smaller than `SLIVER_KM2` (gaps and overlaps between source files);
/// returns the cleaned shape and how many slivers went.
fn without_slivers(shape: MultiPolygon) -> (MultiPolygon, usize) {
    let is_sliver = |ring: &LineString| {
        area_km2(&MultiPolygon::new(vec![Polygon::new(ring.clone(), vec![])])) < SLIVER_KM2
    };
    let mut removed = 0;
    let mut polygons = Vec::new();
    for polygon in shape {
        if is_sliver(polygon.exterior()) {
            removed += 1;
            continue;
        }
        let (exterior, interiors) = polygon.into_inner();
        let before = interiors.len();
        let kept: Vec<LineString> = interiors
            .into_iter()
            .filter(|ring| !is_sliver(ring))
            .collect();
        removed += before - kept.len();
        polygons.push(Polygon::new(exterior, kept));
    }
    (MultiPolygon::new(polygons), removed)
}

fn interior_label(shape: &MultiPolygon) -> Point {
    // The interior point of the largest part: the centroid can fall outside a crescent.
    shape
        .iter()
        .max_by(|a, b| a.unsigned_area().total_cmp(&b.unsigned_area()))
        .and_then(|largest| largest.interior_point())
        .or_else(|| shape.centroid())
        .unwrap_or_else(|| Point::new(0.0, 0.0))
}

fn props(entries: &[(&str, Value)]) -> Map<String, Value> {
    entries
        .iter()
        .map(|(key, value)| ((*key).to_string(), value.clone()))
        .collect()
}

/// A feature to write: its properties and geometry.
type OutFeature = (Map<String, Value>, Geometry);

/// What the tool wrote, for the terminal.
pub struct Report {
    pub lines: Vec<String>,
}

pub fn run(sources: &Path, out: &Path) -> Result<Report, DataError> {
    let mut lines = Vec::new();
    let mut chongqing = read_units(&sources.join("chongqing-districts.geojson"), "重庆市")?;
    let mut sichuan = read_units(&sources.join("sichuan-counties.geojson"), "四川省")?;
    node_shared_edges(&mut chongqing);
    node_shared_edges(&mut sichuan);
    let units: Vec<&Unit> = chongqing.iter().chain(&sichuan).collect();

    let provinces = provinces(sources, &chongqing, &sichuan)?;
    let prefectures = prefectures(sources, &sichuan)?;
    let (zones, zone_lines) = zones(sources, &chongqing, &units)?;
    lines.extend(zone_lines);
    let places = places(sources, &provinces, &prefectures, &units)?;
    let rivers = rivers(sources)?;
    let boundaries = boundaries(&units);

    let counties: Vec<OutFeature> = units
        .iter()
        .map(|unit| {
            (
                props(&[
                    ("id", json!(unit.adcode)),
                    ("name_zh", json!(unit.name_zh)),
                    ("name_en", json!(unit.name_en)),
                    ("label_en", json!(unit.label_en)),
                    ("province", json!(unit.province_zh)),
                    ("prefecture", json!(unit.prefecture_zh)),
                    ("corridor", json!(unit.corridor.key())),
                ]),
                Geometry::MultiPolygon(unit.shape.clone()),
            )
        })
        .collect();

    let outputs = [
        (files::PROVINCES, &provinces.features),
        (files::PREFECTURES, &prefectures.features),
        (files::COUNTIES, &counties),
        (files::RIVERS, &rivers),
        (files::BOUNDARIES, &boundaries),
        (files::PLACES, &places),
        (files::ZONES, &zones),
    ];
    for (name, features) in outputs {
        let path = out.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|error| {
                DataError::new(&parent.display().to_string(), error.to_string())
            })?;
        }
        atomic_file::write(&path, geojson_io::collection_text(features).as_bytes())
            .map_err(|error| DataError::new(&path.display().to_string(), error.to_string()))?;
        lines.push(format!("wrote {name}: {} features", features.len()));
    }
    Ok(Report { lines })
}

struct Built {
    features: Vec<OutFeature>,
    /// (name_zh, label point) for the place layer.
    labels: Vec<(String, String, Point)>,
}

fn provinces(sources: &Path, chongqing: &[Unit], sichuan: &[Unit]) -> Result<Built, DataError> {
    let path = sources.join("china-provinces-nearby.geojson");
    let origin = path.display().to_string();
    let collection = geojson_io::read_collection(&path)?;
    let mut features = Vec::new();
    let mut labels = Vec::new();
    for feature in &collection.features {
        let name = string_property(feature, "name")
            .ok_or_else(|| DataError::new(&origin, "a province has no name"))?;
        let adcode = string_property(feature, "adcode").unwrap_or_default();
        let (shape, rank, role) = match name {
            // The two provinces of the atlas are dissolved from their units, so that their
            // outlines meet the county boundaries exactly.
            "四川" => (dissolve_units(sichuan.iter().map(|u| &u.shape)), 1, "focus"),
            "重庆" => (
                dissolve_units(chongqing.iter().map(|u| &u.shape)),
                1,
                "focus",
            ),
            _ => {
                let shape = geojson_io::geometry(feature)
                    .and_then(as_multipolygon)
                    .ok_or_else(|| DataError::new(&origin, format!("{name}: not a polygon")))?;
                (make_valid(&to_wgs84(&shape)), 2, "context")
            }
        };
        let name_en = english(name, true).0;
        labels.push((name.to_string(), name_en.clone(), interior_label(&shape)));
        features.push((
            props(&[
                ("id", json!(adcode)),
                ("name_zh", json!(name)),
                ("name_en", json!(name_en)),
                ("rank", json!(rank)),
                ("role", json!(role)),
            ]),
            Geometry::MultiPolygon(shape),
        ));
    }
    Ok(Built { features, labels })
}

fn prefectures(sources: &Path, sichuan: &[Unit]) -> Result<Built, DataError> {
    // Label points (the city seats) come from the prefecture file; outlines are dissolved from
    // the counties so that the two layers agree.
    let path = sources.join("sichuan-prefectures.geojson");
    let collection = geojson_io::read_collection(&path)?;
    let seats: HashMap<&str, (String, Point)> = collection
        .features
        .iter()
        .filter_map(|feature| {
            Some((
                string_property(feature, "name")?,
                (
                    string_property(feature, "adcode")?.to_string(),
                    point_to_wgs84(label_point(feature)?),
                ),
            ))
        })
        .collect();
    let mut groups: BTreeMap<&str, Vec<&MultiPolygon>> = BTreeMap::new();
    for unit in sichuan {
        if let Some(prefecture) = &unit.prefecture_zh {
            groups.entry(prefecture).or_default().push(&unit.shape);
        }
    }
    let mut features = Vec::new();
    let mut labels = Vec::new();
    for (name, shapes) in groups {
        let (adcode, seat) = seats.get(name).cloned().ok_or_else(|| {
            DataError::new(
                &path.display().to_string(),
                format!("no prefecture named {name}"),
            )
        })?;
        let (name_en, label_en) = english(name, true);
        labels.push((name.to_string(), label_en, seat));
        features.push((
            props(&[
                ("id", json!(adcode)),
                ("name_zh", json!(name)),
                ("name_en", json!(name_en)),
                ("province", json!("四川省")),
            ]),
            Geometry::MultiPolygon(dissolve_units(shapes)),
        ));
    }
    Ok(Built { features, labels })
}

fn places(
    _sources: &Path,
    provinces: &Built,
    prefectures: &Built,
    units: &[&Unit],
) -> Result<Vec<OutFeature>, DataError> {
    let mut features = Vec::new();
    let mut place = |id: String, name_zh: &str, name_en: &str, class: &str, rank: u8, at: Point| {
        features.push((
            props(&[
                ("id", json!(id)),
                ("name_zh", json!(name_zh)),
                ("name_en", json!(name_en)),
                ("class", json!(class)),
                ("rank", json!(rank)),
            ]),
            Geometry::Point(at),
        ));
    };
    for (name_zh, name_en, at) in &provinces.labels {
        place(
            format!("province-{name_en}"),
            name_zh,
            name_en,
            "province",
            1,
            *at,
        );
    }
    if let Some(yuzhong) = units.iter().find(|unit| unit.name_zh == "渝中区") {
        place(
            "city-chongqing".into(),
            "重庆",
            "Chongqing",
            "city",
            1,
            yuzhong.label_point,
        );
    }
    for (name_zh, label_en, at) in &prefectures.labels {
        let rank = if name_zh == "成都市" { 1 } else { 2 };
        let short_zh = name_zh.strip_suffix('市').unwrap_or(name_zh);
        place(
            format!("city-{label_en}"),
            short_zh,
            label_en,
            "city",
            rank,
            *at,
        );
    }
    for unit in units {
        place(
            format!("county-{}", unit.adcode),
            &unit.name_zh,
            &unit.label_en,
            "county",
            3,
            unit.label_point,
        );
    }
    Ok(features)
}

/// The boundary lines between units, each drawn once: shared edges of neighbouring units are
/// one arc, split wherever the neighbour changes. `rank` is the most important boundary the arc
/// is part of: 1 where a province ends (no neighbour in the data), 2 between prefectures, 3
/// between counties. Simplifying arcs (not rings) keeps neighbours' lines identical at every
/// zoom, and drawing each once keeps the map light.
fn boundaries(units: &[&Unit]) -> Vec<OutFeature> {
    type Key = (u64, u64);
    let key = |c: &Coord| (c.x.to_bits(), c.y.to_bits());
    let segment_key = |a: &Coord, b: &Coord| {
        let (ka, kb) = (key(a), key(b));
        if ka <= kb { (ka, kb) } else { (kb, ka) }
    };
    let mut owners: HashMap<(Key, Key), Vec<usize>> = HashMap::new();
    for (index, unit) in units.iter().enumerate() {
        for polygon in &unit.shape {
            for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
                for line in ring.lines() {
                    owners
                        .entry(segment_key(&line.start, &line.end))
                        .or_default()
                        .push(index);
                }
            }
        }
    }
    let rank = |a: usize, b: Option<usize>| match b {
        None => 1,
        Some(b) if units[a].province_zh != units[b].province_zh => 1,
        Some(b) if units[a].prefecture_zh != units[b].prefecture_zh => 2,
        Some(_) => 3,
    };
    let mut features = Vec::new();
    let mut emit = |arc: Vec<Coord>, unit: usize, matched: Option<usize>| {
        if arc.len() < 2 || matched.is_some_and(|other| other < unit) {
            return; // the neighbour with the lower index emits a shared arc
        }
        // An edge without an exact twin is a province border only if no other unit of the
        // same province lies beside it; otherwise the two sources simply disagree there.
        let beside = matched.or_else(|| unit_beside(units, unit, &arc));
        features.push((
            props(&[
                ("rank", json!(rank(unit, beside))),
                ("left", json!(units[unit].adcode)),
                (
                    "right",
                    json!(beside.map(|other| units[other].adcode.clone())),
                ),
            ]),
            Geometry::LineString(LineString::new(arc)),
        ));
    };
    for (index, unit) in units.iter().enumerate() {
        for polygon in &unit.shape {
            for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
                let points = &ring.0;
                let segments = points.len() - 1;
                let neighbour = |i: usize| {
                    let at = &owners[&segment_key(&points[i], &points[i + 1])];
                    match at.as_slice() {
                        [a, b] if *a == index => Some(*b),
                        [a, b] if *b == index => Some(*a),
                        _ => None,
                    }
                };
                // Start where the neighbour changes, so that no arc wraps around the start.
                let start = (0..segments)
                    .find(|&i| neighbour(i) != neighbour((i + segments - 1) % segments))
                    .unwrap_or(0);
                let mut arc: Vec<Coord> = vec![points[start]];
                let mut current = neighbour(start);
                for step in 0..segments {
                    let i = (start + step) % segments;
                    let next = neighbour(i);
                    if next != current {
                        emit(std::mem::take(&mut arc), index, current);
                        arc.push(points[i]);
                        current = next;
                    }
                    arc.push(points[i + 1]);
                }
                emit(arc, index, current);
            }
        }
    }
    features
}

/// Another unit of the same province within `BESIDE_DEGREES` of the arc's middle, if any.
fn unit_beside(units: &[&Unit], unit: usize, arc: &[Coord]) -> Option<usize> {
    use geo::{BoundingRect, Distance, Euclidean};
    const BESIDE_DEGREES: f64 = 0.003; // about 300 m
    let middle = if arc.len() % 2 == 1 {
        arc[arc.len() / 2]
    } else {
        let (a, b) = (arc[arc.len() / 2 - 1], arc[arc.len() / 2]);
        Coord {
            x: (a.x + b.x) / 2.0,
            y: (a.y + b.y) / 2.0,
        }
    };
    let point = Point::from(middle);
    units
        .iter()
        .enumerate()
        .filter(|(other, candidate)| {
            *other != unit && candidate.province_zh == units[unit].province_zh
        })
        .filter(|(_, candidate)| {
            candidate.shape.bounding_rect().is_some_and(|r| {
                middle.x >= r.min().x - BESIDE_DEGREES
                    && middle.x <= r.max().x + BESIDE_DEGREES
                    && middle.y >= r.min().y - BESIDE_DEGREES
                    && middle.y <= r.max().y + BESIDE_DEGREES
            })
        })
        .map(|(other, candidate)| (other, Euclidean.distance(&point, &candidate.shape)))
        .filter(|(_, distance)| *distance <= BESIDE_DEGREES)
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(other, _)| other)
}

/// Joins river segments that meet end to end where only two meet (the source cuts rivers at
/// whole degrees), then ranks the chains: 1 for long rivers, 2 for the rest.
fn rivers(sources: &Path) -> Result<Vec<OutFeature>, DataError> {
    let path = sources.join("rivers.geojson");
    let collection = geojson_io::read_collection(&path)?;
    let mut segments: Vec<Vec<Coord>> = collection
        .features
        .iter()
        .filter_map(|feature| geojson_io::geometry(feature).and_then(as_multilinestring))
        .flat_map(|lines| lines.0.into_iter().map(|line| line.0))
        .collect();

    type Key = (i64, i64);
    let key = |c: &Coord| ((c.x * 1e6).round() as i64, (c.y * 1e6).round() as i64);
    let mut chained = true;
    while chained {
        chained = false;
        let mut ends: HashMap<Key, Vec<usize>> = HashMap::new();
        for (index, segment) in segments.iter().enumerate() {
            if let (Some(first), Some(last)) = (segment.first(), segment.last()) {
                ends.entry(key(first)).or_default().push(index);
                ends.entry(key(last)).or_default().push(index);
            }
        }
        let joint = ends
            .values()
            .find(|at| at.len() == 2 && at[0] != at[1])
            .map(|at| (at[0], at[1]));
        if let Some((a, b)) = joint {
            let (a, b) = (a.min(b), a.max(b));
            let second = segments.remove(b);
            let first = &mut segments[a];
            let joined = join(std::mem::take(first), second, key);
            *first = joined;
            chained = true;
        }
    }

    let mut features: Vec<OutFeature> = segments
        .into_iter()
        .filter(|segment| segment.len() >= 2)
        .map(|segment| {
            let line = LineString::new(segment);
            let km = geo::Geodesic.length(&line) / 1000.0;
            let rank = if km >= 250.0 { 1 } else { 2 };
            (
                props(&[("rank", json!(rank)), ("length_km", json!(km.round()))]),
                Geometry::MultiLineString(MultiLineString::new(vec![line])),
            )
        })
        .collect();
    features.sort_by(|a, b| {
        let length = |f: &OutFeature| f.0["length_km"].as_f64().unwrap_or(0.0);
        length(b).total_cmp(&length(a))
    });
    Ok(features)
}

/// Joins two polylines that share an end point, whichever ends those are.
fn join(mut a: Vec<Coord>, mut b: Vec<Coord>, key: impl Fn(&Coord) -> (i64, i64)) -> Vec<Coord> {
    let (a_first, a_last) = (key(&a[0]), key(&a[a.len() - 1]));
    let (b_first, b_last) = (key(&b[0]), key(&b[b.len() - 1]));
    if a_last == b_first {
    } else if a_last == b_last {
        b.reverse();
    } else if a_first == b_last {
        std::mem::swap(&mut a, &mut b);
    } else if a_first == b_first {
        a.reverse();
    }
    a.extend(b.into_iter().skip(1));
    a
}

use geo::line_measures::Length as _;

fn approximation(sources: &Path, id: &str) -> Result<(MultiPolygon, String, String), DataError> {
    let path = sources.join("approximations.geojson");
    let origin = path.display().to_string();
    let collection = geojson_io::read_collection(&path)?;
    let feature = collection
        .features
        .iter()
        .find(|feature| string_property(feature, "id") == Some(id))
        .ok_or_else(|| DataError::new(&origin, format!("no outline with id {id}")))?;
    let shape = geojson_io::geometry(feature)
        .and_then(as_multipolygon)
        .ok_or_else(|| DataError::new(&origin, format!("{id}: not a polygon")))?;
    let note_zh = string_property(feature, "note_zh")
        .unwrap_or_default()
        .to_string();
    let note_en = string_property(feature, "note_en")
        .unwrap_or_default()
        .to_string();
    Ok((shape.orient(Direction::Default), note_zh, note_en))
}

fn zones(
    sources: &Path,
    chongqing: &[Unit],
    units: &[&Unit],
) -> Result<(Vec<OutFeature>, Vec<String>), DataError> {
    let mut lines = Vec::new();
    let mut features = Vec::new();
    let district = |name: &str| {
        chongqing
            .iter()
            .find(|unit| unit.name_zh == name)
            .map(|unit| &unit.shape)
            .ok_or_else(|| DataError::new("chongqing-districts.geojson", format!("no {name}")))
    };

    // The economic circle.
    let members: Vec<&&Unit> = units
        .iter()
        .filter(|unit| unit.corridor == Membership::Member)
        .collect();
    let (corridor, slivers) = without_slivers(dissolve(members.iter().map(|u| &u.shape)));
    let corridor_km2 = area_km2(&corridor);
    let sum_km2: f64 = members.iter().map(|u| area_km2(&u.shape)).sum();
    lines.push(format!(
        "corridor members: sum of unit areas {sum_km2:.0} km²"
    ));
    lines.push(format!(
        "corridor: {} member units, {corridor_km2:.0} km², {slivers} slivers under {SLIVER_KM2} km² removed",
        members.len()
    ));
    features.push((
        props(&[
            ("id", json!("corridor")),
            ("name_zh", json!("成渝地区双城经济圈")),
            ("name_en", json!("Chengdu–Chongqing Economic Circle")),
            ("label_zh", json!("成渝地区双城经济圈")),
            ("label_en", json!("Chengdu–Chongqing Economic Circle")),
            ("kind", json!("corridor")),
            ("parent", Value::Null),
            ("boundary", json!("administrative")),
            ("source", json!("成渝地区双城经济圈建设规划纲要 (2021-10)")),
            ("members", json!(members.iter().map(|u| u.name_zh.clone()).collect::<Vec<_>>())),
            ("partial_members", json!(CORRIDOR_PARTIAL)),
            ("note_zh", json!(format!(
                "由 {} 个成员区县的行政界线合并而成（重庆 27 个区县，四川 15 市中除平武、北川、万源、天全、宝兴外的 {} 个区县）。开州、云阳仅部分地区属于经济圈，纲要未界定范围，故不计入本面，另以“部分纳入”图层表示。川渝两套源数据交界处小于 {SLIVER_KM2} km² 的缝隙已去除。",
                members.len(), members.len() - 27
            ))),
            ("note_en", json!(format!(
                "Dissolved from the administrative boundaries of its {} member units (27 in Chongqing; {} counties of the 15 Sichuan cities, without Pingwu, Beichuan, Wanyuan, Tianquan and Baoxing). Only unspecified parts of Kaizhou and Yunyang belong to the circle; the outline does not say which, so they are left out of this outline and drawn as a separate 'partly included' zone. Gaps under {SLIVER_KM2} km² between the Sichuan and Chongqing source files were removed.",
                members.len(), members.len() - 27
            ))),
        ]),
        Geometry::MultiPolygon(corridor),
    ));

    let partial_units: Vec<&&Unit> = units
        .iter()
        .filter(|unit| unit.corridor == Membership::Partial)
        .collect();
    let partial = dissolve_units(partial_units.iter().map(|u| &u.shape));
    lines.push(format!("corridor-partial: {:.0} km²", area_km2(&partial)));
    features.push((
        props(&[
            ("id", json!("corridor-partial")),
            ("name_zh", json!("开州、云阳（部分纳入）")),
            ("name_en", json!("Kaizhou and Yunyang (partly included)")),
            ("label_zh", json!("开州、云阳（部分）")),
            ("label_en", json!("Kaizhou, Yunyang (part)")),
            ("kind", json!("corridor-partial")),
            ("parent", json!("corridor")),
            ("boundary", json!("approximate")),
            ("members", json!(CORRIDOR_PARTIAL)),
            ("source", json!("成渝地区双城经济圈建设规划纲要 (2021-10)")),
            ("note_zh", json!("纲要仅称“开州、云阳的部分地区”，未公布具体范围；此处绘出两区县全境，仅表示其部分地区属于经济圈。")),
            ("note_en", json!("The outline names only 'parts of Kaizhou and Yunyang' and publishes no boundary; the whole of both units is drawn, meaning only that some part of each belongs to the circle.")),
        ]),
        Geometry::MultiPolygon(partial),
    ));

    // The science city, its core and its five districts.
    let (outline, science_note_zh, science_note_en) =
        approximation(sources, "science-city-outline")?;
    let (core_outline, core_note_zh, core_note_en) = approximation(sources, "core-outline")?;
    let core_land = dissolve_units(
        CORE_DISTRICTS
            .iter()
            .map(|name| district(name))
            .collect::<Result<Vec<_>, _>>()?,
    );
    // The core is inside the science city by definition, so its outline is clipped to both.
    let core = clean(core_outline.intersection(&core_land).intersection(&outline))
        .orient(Direction::Default);
    let mut parts = Vec::new();
    for (id, name_zh, name_en, admin) in SCIENCE_CITY_DISTRICTS {
        let inside = outline.intersection(district(admin)?);
        let part = clean(inside.difference(&core)).orient(Direction::Default);
        parts.push((id, name_zh, name_en, admin, inside, part));
    }
    let science_city = dissolve_units(parts.iter().map(|p| &p.4));
    let science_km2 = area_km2(&science_city);
    let core_km2 = area_km2(&core);
    lines.push(format!(
        "science-city: {science_km2:.0} km² (published 1 198)"
    ));
    lines.push(format!("core: {core_km2:.0} km² (published 313)"));

    features.push((
        props(&[
            ("id", json!("science-city")),
            ("name_zh", json!("西部（重庆）科学城")),
            ("name_en", json!("Western (Chongqing) Science City")),
            ("kind", json!("science-city")),
            ("parent", json!("corridor")),
            ("boundary", json!("approximate")),
            ("published_area_km2", json!(1198)),
            ("launched", json!("2020-09-11")),
            ("note_zh", json!(science_note_zh)),
            ("note_en", json!(science_note_en)),
        ]),
        Geometry::MultiPolygon(science_city),
    ));
    features.push((
        props(&[
            ("id", json!("core")),
            ("name_zh", json!("核心区（重庆高新区直管园）")),
            (
                "name_en",
                json!("Core zone (Chongqing High-tech Zone, directly administered area)"),
            ),
            ("label_zh", json!("核心区")),
            ("label_en", json!("Core zone")),
            ("kind", json!("core")),
            ("parent", json!("science-city")),
            ("boundary", json!("approximate")),
            ("published_area_km2", json!(313)),
            (
                "towns",
                json!([
                    "曾家镇",
                    "虎溪街道",
                    "西永街道",
                    "含谷镇",
                    "金凤镇",
                    "白市驿镇",
                    "巴福镇",
                    "石板镇"
                ]),
            ),
            ("note_zh", json!(core_note_zh)),
            ("note_en", json!(core_note_en)),
        ]),
        Geometry::MultiPolygon(core),
    ));
    for (id, name_zh, name_en, admin, _, part) in parts {
        let km2 = area_km2(&part);
        lines.push(format!(
            "{id}: {km2:.0} km² (science-city part of {admin}, outside the core)"
        ));
        features.push((
            props(&[
                ("id", json!(id)),
                ("name_zh", json!(name_zh)),
                ("name_en", json!(name_en)),
                ("kind", json!("district")),
                ("parent", json!("science-city")),
                ("admin_district", json!(admin)),
                ("boundary", json!("approximate")),
                ("note_zh", json!(format!("科学城近似范围与{admin}行政界线的交集，扣除核心区。{science_note_zh}"))),
                ("note_en", json!(format!("The approximate science-city outline clipped to {admin}'s administrative boundary, minus the core zone. {science_note_en}"))),
            ]),
            Geometry::MultiPolygon(part),
        ));
    }
    // The other innovation areas: points, hand-placed in sources/hubs.geojson.
    let hubs_path = sources.join("hubs.geojson");
    let hubs_origin = hubs_path.display().to_string();
    for hub in geojson_io::read_collection(&hubs_path)?.features {
        let id = string_property(&hub, "id")
            .ok_or_else(|| DataError::new(&hubs_origin, "a hub has no id"))?
            .to_string();
        let point = geojson_io::geometry(&hub)
            .and_then(geojson_io::as_point)
            .ok_or_else(|| DataError::new(&hubs_origin, format!("{id}: not a point")))?;
        let mut properties = hub.properties.clone().unwrap_or_default();
        properties.insert("kind".into(), json!("hub"));
        properties.insert("parent".into(), json!("corridor"));
        properties.insert("boundary".into(), json!("approximate"));
        features.push((properties, Geometry::Point(point)));
    }
    Ok((features, lines))
}
