//! GeoJSON the preparation tool reads (its sources) and writes (the committed layers), and
//! geometry helpers.

use std::path::Path;

use geo::{Geometry, MultiLineString, MultiPolygon, Point};
use serde_json::{Map, Value, json};

use super::DataError;
use super::read::{self, Document};

/// Reads a GeoJSON file whose every feature must be readable (the preparation tool's own
/// sources): a feature that cannot be read is an error, not a skipped feature.
pub fn read_collection(path: &Path) -> Result<Document, DataError> {
    let origin = path.display().to_string();
    let (text, _) = read::read_text(path).map_err(|problem| DataError::new(&origin, problem))?;
    let document = read::parse(&text).map_err(|problem| DataError::new(&origin, problem))?;
    match document.problems.grouped().into_iter().next() {
        Some((problem, _)) => Err(DataError::new(&origin, problem)),
        None => Ok(document),
    }
}

pub fn as_multipolygon(geometry: Geometry) -> Option<MultiPolygon> {
    match geometry {
        Geometry::Polygon(polygon) => Some(MultiPolygon::new(vec![polygon])),
        Geometry::MultiPolygon(multi) => Some(multi),
        _ => None,
    }
}

pub fn as_multilinestring(geometry: Geometry) -> Option<MultiLineString> {
    match geometry {
        Geometry::LineString(line) => Some(MultiLineString::new(vec![line])),
        Geometry::MultiLineString(multi) => Some(multi),
        _ => None,
    }
}

pub fn as_point(geometry: Geometry) -> Option<Point> {
    match geometry {
        Geometry::Point(point) => Some(point),
        _ => None,
    }
}

/// A ring or line as GeoJSON positions, written as prepared: the preparation snaps areas to
/// its 1e-6° grid (about 0.1 m) before they get here.
fn ring_json(ring: &geo::LineString) -> Value {
    Value::Array(ring.coords().map(|c| json!([c.x, c.y])).collect())
}

fn polygon_json(polygon: &geo::Polygon) -> Value {
    Value::Array(
        std::iter::once(polygon.exterior())
            .chain(polygon.interiors())
            .map(ring_json)
            .collect(),
    )
}

pub fn geometry_json(geometry: &Geometry) -> Value {
    match geometry {
        Geometry::Point(point) => {
            json!({"type": "Point", "coordinates": [point.x(), point.y()]})
        }
        Geometry::LineString(line) => json!({"type": "LineString", "coordinates": ring_json(line)}),
        Geometry::MultiLineString(lines) => json!({
            "type": "MultiLineString",
            "coordinates": lines.iter().map(ring_json).collect::<Vec<_>>()
        }),
        Geometry::Polygon(polygon) => {
            json!({"type": "Polygon", "coordinates": polygon_json(polygon)})
        }
        Geometry::MultiPolygon(multi) if multi.0.len() == 1 => {
            json!({"type": "Polygon", "coordinates": polygon_json(&multi.0[0])})
        }
        Geometry::MultiPolygon(multi) => json!({
            "type": "MultiPolygon",
            "coordinates": multi.iter().map(polygon_json).collect::<Vec<_>>()
        }),
        other => {
            json!({"type": "GeometryCollection", "geometries": [], "unsupported": format!("{other:?}")})
        }
    }
}

/// A FeatureCollection as text: one feature per line, so that diffs of the data stay readable.
pub fn collection_text(features: &[(Map<String, Value>, Geometry)]) -> String {
    let mut out = String::from("{\"type\":\"FeatureCollection\",\"features\":[\n");
    for (index, (properties, geometry)) in features.iter().enumerate() {
        let feature = json!({
            "type": "Feature",
            "properties": properties,
            "geometry": geometry_json(geometry),
        });
        out.push_str(&feature.to_string());
        if index + 1 < features.len() {
            out.push(',');
        }
        out.push('\n');
    }
    out.push_str("]}\n");
    out
}
