//! A user's layer written as GeoJSON (RFC 7946): WGS-84 longitude/latitude to 7 decimals (a
//! centimetre), exteriors anticlockwise and holes clockwise, the layer's fields as properties,
//! and its colours as the simplestyle properties that uMap, GitHub and geojson.io read
//! (`marker-color`; `stroke`, `stroke-width`; `fill`, `fill-opacity`). One feature a line, as
//! GDAL writes it, so that a diff shows what changed.

use std::fmt::Write as _;

use geo::orient::{Direction, Orient};
use serde_json::{Map, Value, json};

use crate::model::user::UserLayer;
use crate::model::{Feature, Shape};

/// The layer's GeoJSON text.
pub fn geojson_text(layer: &UserLayer, features: &[Feature]) -> String {
    let mut out = String::from("{\"type\": \"FeatureCollection\", \"features\": [\n");
    for (index, feature) in features.iter().enumerate() {
        let value = json!({
            "type": "Feature",
            "properties": properties(layer, feature, index),
            "geometry": geometry(&feature.shape),
        });
        let comma = if index + 1 < features.len() { "," } else { "" };
        let _ = writeln!(out, "{value}{comma}");
    }
    out.push_str("]}\n");
    out
}

fn properties(layer: &UserLayer, feature: &Feature, index: usize) -> Map<String, Value> {
    let mut properties = Map::new();
    if let Some(user) = feature.user() {
        for (field, value) in layer.fields.iter().zip(&user.values) {
            properties.insert(field.clone(), Value::String(value.clone()));
        }
    }
    let [r, g, b] = layer.color_of(index);
    let colour = format!("#{r:02x}{g:02x}{b:02x}");
    let width = f64::from(layer.style.line_width);
    match feature.shape {
        Shape::Point(_) => {
            properties.insert("marker-color".into(), json!(colour));
        }
        Shape::Lines(_) => {
            properties.insert("stroke".into(), json!(colour));
            properties.insert("stroke-width".into(), json!(width));
        }
        Shape::Area(_) => {
            properties.insert("stroke".into(), json!(colour));
            properties.insert("stroke-width".into(), json!(width));
            properties.insert("fill".into(), json!(colour));
            let opacity = f64::from(layer.style.fill_opacity.clamp(0.0, 1.0));
            properties.insert(
                "fill-opacity".into(),
                json!((opacity * 100.0).round() / 100.0),
            );
        }
    }
    properties
}

fn position(c: geo::Coord) -> Value {
    let round = |v: f64| (v * 1e7).round() / 1e7;
    json!([round(c.x), round(c.y)])
}

fn line(line: &geo::LineString) -> Value {
    Value::Array(line.coords().map(|c| position(*c)).collect())
}

fn polygon(polygon: &geo::Polygon) -> Value {
    let polygon = polygon.orient(Direction::Default);
    Value::Array(
        std::iter::once(polygon.exterior())
            .chain(polygon.interiors())
            .map(line)
            .collect(),
    )
}

fn geometry(shape: &Shape) -> Value {
    match shape {
        Shape::Point(point) => json!({"type": "Point", "coordinates": position(point.0)}),
        Shape::Lines(lines) if lines.0.len() == 1 => {
            json!({"type": "LineString", "coordinates": line(&lines.0[0])})
        }
        Shape::Lines(lines) => json!({
            "type": "MultiLineString",
            "coordinates": lines.iter().map(line).collect::<Vec<_>>(),
        }),
        Shape::Area(area) if area.0.len() == 1 => {
            json!({"type": "Polygon", "coordinates": polygon(&area.0[0])})
        }
        Shape::Area(area) => json!({
            "type": "MultiPolygon",
            "coordinates": area.iter().map(polygon).collect::<Vec<_>>(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::polygon;

    /// What is written reads back through the atlas's own reader as the same shapes, names
    /// and style properties.
    #[test]
    fn a_sketch_written_reads_back_the_same() {
        let mut layer = super::super::sketch_layer("草图", 0);
        let square = polygon![(x: 106.3, y: 29.5), (x: 106.3, y: 29.6), (x: 106.4, y: 29.6), (x: 106.4, y: 29.5)];
        let features = vec![
            super::super::drawn_feature(
                "地标 1",
                Shape::Point(geo::Point::new(106.31234567, 29.6)),
            ),
            super::super::drawn_feature(
                "路径 2",
                Shape::Lines(geo::MultiLineString::new(vec![geo::LineString::from(
                    vec![(106.3, 29.5), (106.35, 29.55)],
                )])),
            ),
            super::super::drawn_feature(
                "多边形 3",
                Shape::Area(geo::MultiPolygon::new(vec![square])),
            ),
        ];
        layer.set_geometry_kind(&features);
        let text = geojson_text(&layer, &features);
        let dir = std::env::temp_dir().join(format!("chengyu-sketch-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let path = dir.join("sketch.geojson");
        std::fs::write(&path, &text).expect("write");
        let read = super::super::load(&path, &Default::default()).expect("reads back");
        assert_eq!(read.features.len(), 3);
        assert_eq!(
            read.features[0].shape,
            Shape::Point(geo::Point::new(106.3123457, 29.6))
        );
        assert_eq!(read.features[1].shape, features[1].shape);
        let Shape::Area(area) = &read.features[2].shape else {
            panic!("an area")
        };
        assert!(
            geo::Winding::is_ccw(area.0[0].exterior()),
            "RFC 7946: anticlockwise"
        );
        let names: Vec<&str> = read.features.iter().map(|f| f.name.zh.as_str()).collect();
        assert_eq!(names, ["地标 1", "路径 2", "多边形 3"]);
        for field in [
            "marker-color",
            "stroke",
            "stroke-width",
            "fill",
            "fill-opacity",
        ] {
            assert!(
                read.info.fields.iter().any(|f| f == field),
                "{field}: {:?}",
                read.info.fields
            );
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
