//! GeoJSON (RFC 7946) to features, holding against anything: the root may be a
//! FeatureCollection, a Feature or a bare geometry, or a sequence of them (RFC 8142 text
//! sequences, or one per line); ids may be strings or numbers; a `null` geometry is an
//! unlocated feature; extra position dimensions and foreign members are ignored. A feature
//! whose geometry or properties cannot be read costs only itself: it is reported with its
//! index, id, line and what is wrong, and the others load. Positions are checked before any
//! conversion (the `geojson` crate indexes `[1]` of a one-number position and panics).

use std::fmt;

use geo::{
    Coord, Geometry, GeometryCollection, LineString, MultiLineString, MultiPoint, MultiPolygon,
    Point, Polygon,
};
use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, SeqAccess, Visitor};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use super::problems::{Problems, json_error};

/// One feature as read: where it was, its id, its properties and its geometry (`None`: an
/// unlocated feature, listed but not drawn).
#[derive(Debug, Clone, PartialEq)]
pub struct RawFeature {
    /// Its position among the file's features (0-based).
    pub index: usize,
    /// The line it starts on.
    pub line: usize,
    pub id: Option<String>,
    pub properties: Map<String, Value>,
    pub geometry: Option<Geometry>,
}

impl RawFeature {
    pub fn property(&self, key: &str) -> Option<&Value> {
        self.properties.get(key)
    }

    /// A property that is text.
    pub fn text(&self, key: &str) -> Option<&str> {
        self.property(key)?.as_str()
    }

    /// The feature's id: the member `id`, else the property `id` (text or a number).
    pub fn id(&self) -> Option<String> {
        self.id
            .clone()
            .or_else(|| self.property("id").and_then(id_text))
    }
}

/// A file's features, and the problems of those that could not be read.
#[derive(Debug, Default)]
pub struct Document {
    pub features: Vec<RawFeature>,
    pub problems: Problems,
    /// What was left out of features that loaded (rings too short to enclose anything).
    pub notes: Problems,
}

/// How deep geometry collections may nest.
const MAX_COLLECTION_DEPTH: usize = 8;

/// Any GeoJSON object: every member is optional, and what it is follows from `type`.
#[derive(Deserialize)]
struct Object<'a> {
    #[serde(rename = "type", default)]
    kind: Option<String>,
    #[serde(borrow, default)]
    features: Option<Vec<&'a RawValue>>,
    #[serde(borrow, default)]
    geometry: Option<&'a RawValue>,
    #[serde(default)]
    properties: Option<Map<String, Value>>,
    #[serde(default)]
    id: Option<Value>,
    #[serde(borrow, default)]
    coordinates: Option<&'a RawValue>,
    #[serde(borrow, default)]
    geometries: Option<Vec<&'a RawValue>>,
    #[serde(default)]
    crs: Option<Value>,
}

/// Reads a GeoJSON text (a byte-order mark is allowed). A file that is not JSON, not GeoJSON,
/// or in projected coordinates is an error; a feature that cannot be read is a problem.
pub fn parse(text: &str) -> Result<Document, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err("the file is empty".into());
    }
    let mut reader = Reader {
        text,
        document: Document::default(),
        lines: None,
    };
    if text.contains('\u{1e}') {
        // RFC 8142: each record starts with a record separator.
        for record in text.split('\u{1e}').filter(|r| !r.trim().is_empty()) {
            reader.record(record);
        }
    } else {
        match serde_json::from_str::<&RawValue>(text) {
            Ok(value) => reader.root(value)?,
            Err(error) if error.to_string().starts_with("trailing characters") => {
                // One object per line (newline-delimited GeoJSON).
                for line in text.lines().filter(|l| !l.trim().is_empty()) {
                    reader.record(line);
                }
            }
            Err(error) => return Err(json_error(&error, text, 0)),
        }
    }
    Ok(reader.document)
}

struct Reader<'t> {
    text: &'t str,
    document: Document,
    /// Where each line starts, found when a line number is first needed.
    lines: Option<Vec<usize>>,
}

impl<'t> Reader<'t> {
    /// Where `part` (a slice of the text) starts in the text.
    fn offset(&self, part: &str) -> usize {
        (part.as_ptr() as usize).saturating_sub(self.text.as_ptr() as usize)
    }

    fn line_of(&mut self, offset: usize) -> usize {
        let text = self.text;
        let lines = self.lines.get_or_insert_with(|| {
            std::iter::once(0)
                .chain(text.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        });
        lines.partition_point(|&start| start <= offset)
    }

    /// One record of a sequence: a bad one is a problem, the others still load.
    fn record(&mut self, record: &'t str) {
        let index = self.document.features.len() + self.document.problems.feature_count();
        match serde_json::from_str::<&RawValue>(record.trim_end()) {
            Ok(value) => {
                if let Err(message) = self.root(value) {
                    let line = self.line_of(self.offset(record));
                    self.document.problems.feature(
                        index,
                        None,
                        line,
                        "a record is not GeoJSON",
                        message,
                    );
                }
            }
            Err(error) => {
                let offset = self.offset(record);
                let line = self.line_of(offset);
                let message = json_error(&error, self.text, offset);
                self.document.problems.feature(
                    index,
                    None,
                    line,
                    "a record is not valid JSON",
                    message,
                );
            }
        }
    }

    /// A root object: a collection, a feature or a geometry.
    fn root(&mut self, value: &'t RawValue) -> Result<(), String> {
        let offset = self.offset(value.get());
        let object: Object<'t> = serde_json::from_str(value.get())
            .map_err(|error| not_geojson(&error, self.text, offset))?;
        check_crs(object.crs.as_ref())?;
        match object.kind.as_deref() {
            Some("FeatureCollection") => {
                let features = object
                    .features
                    .ok_or("the FeatureCollection has no `features` array")?;
                for raw in features {
                    self.feature(raw);
                }
                Ok(())
            }
            Some("Feature") => {
                self.feature(value);
                Ok(())
            }
            Some(kind) if GEOMETRY_TYPES.contains(&kind) => {
                self.feature(value);
                Ok(())
            }
            Some(other) => Err(format!(
                "the type is `{}`; GeoJSON has FeatureCollection, Feature and the geometry types",
                super::problems::shorten(other, 40)
            )),
            None => Err("the object has no `type`: it is JSON, but not GeoJSON".into()),
        }
    }

    /// One feature (or a bare geometry standing for one).
    fn feature(&mut self, raw: &'t RawValue) {
        let index = self.document.features.len() + self.document.problems.feature_count();
        let offset = self.offset(raw.get());
        let line = self.line_of(offset);
        let object: Object<'t> = match serde_json::from_str(raw.get()) {
            Ok(object) => object,
            Err(error) => {
                let message = json_error(&error, self.text, offset);
                let kind = kind_of_json_error(&error);
                self.document
                    .problems
                    .feature(index, None, line, kind, message);
                return;
            }
        };
        let id = object.id.as_ref().and_then(id_text);
        let mut dropped = 0;
        let geometry = match object.kind.as_deref() {
            Some("Feature") => match object.geometry {
                Some(raw) => self.geometry_value(raw, 0, &mut dropped),
                None => Ok(None),
            },
            Some(kind) if GEOMETRY_TYPES.contains(&kind) => {
                self.geometry_object(&object, 0, &mut dropped)
            }
            Some(other) => Err(Problem::new(
                "a feature has an unknown type",
                format!("its type is `{}`", super::problems::shorten(other, 40)),
            )),
            None => Err(Problem::new(
                "a feature has no type",
                "it has no `type` member".to_string(),
            )),
        };
        let id_for_problem = id
            .clone()
            .or_else(|| object.properties.as_ref()?.get("id").and_then(id_text));
        if dropped > 0 && geometry.is_ok() {
            self.document.notes.feature(
                index,
                id_for_problem.clone(),
                line,
                "rings of fewer than four positions were left out",
                format!("{dropped} in this feature"),
            );
        }
        match geometry {
            Ok(geometry) => self.document.features.push(RawFeature {
                index,
                line,
                id,
                properties: object.properties.unwrap_or_default(),
                geometry,
            }),
            Err(problem) => self.document.problems.feature(
                index,
                id_for_problem,
                line,
                problem.kind,
                problem.detail,
            ),
        }
    }

    fn geometry_value(
        &self,
        raw: &'t RawValue,
        depth: usize,
        dropped: &mut usize,
    ) -> Result<Option<Geometry>, Problem> {
        let offset = self.offset(raw.get());
        let object: Object<'t> = serde_json::from_str(raw.get())
            .map_err(|error| json_problem(&error, self.text, offset))?;
        self.geometry_object(&object, depth, dropped)
    }

    /// A geometry object: its coordinates read, checked and converted.
    fn geometry_object(
        &self,
        object: &Object<'t>,
        depth: usize,
        dropped: &mut usize,
    ) -> Result<Option<Geometry>, Problem> {
        let kind = object.kind.as_deref().unwrap_or_default();
        if kind == "GeometryCollection" {
            if depth >= MAX_COLLECTION_DEPTH {
                return Err(Problem::new(
                    "geometry collections nest too deeply",
                    format!("more than {MAX_COLLECTION_DEPTH} levels"),
                ));
            }
            let mut parts = Vec::new();
            for raw in object.geometries.iter().flatten() {
                parts.extend(self.geometry_value(raw, depth + 1, dropped)?);
            }
            return Ok((!parts.is_empty())
                .then(|| Geometry::GeometryCollection(GeometryCollection::new_from(parts))));
        }
        if !GEOMETRY_TYPES.contains(&kind) {
            return Err(Problem::new(
                "a geometry has an unknown type",
                format!("its type is `{}`", super::problems::shorten(kind, 40)),
            ));
        }
        let Some(coordinates) = object.coordinates else {
            return Err(Problem::new(
                "a geometry has no coordinates",
                format!("the {kind} has no `coordinates` member"),
            ));
        };
        let offset = self.offset(coordinates.get());
        let read = |error: serde_json::Error| json_problem(&error, self.text, offset);
        let json = coordinates.get();
        let geometry = match kind {
            "Point" => Some(Geometry::Point(Point(
                serde_json::from_str::<Position>(json)
                    .map_err(read)?
                    .checked()?,
            ))),
            "MultiPoint" => {
                let points = positions(serde_json::from_str(json).map_err(read)?)?;
                (!points.is_empty()).then(|| {
                    Geometry::MultiPoint(MultiPoint::new(points.into_iter().map(Point).collect()))
                })
            }
            "LineString" => {
                line(serde_json::from_str(json).map_err(read)?)?.map(Geometry::LineString)
            }
            "MultiLineString" => {
                let lines: Vec<Vec<Position>> = serde_json::from_str(json).map_err(read)?;
                let mut kept = Vec::new();
                for part in lines {
                    kept.extend(line(part)?);
                }
                (!kept.is_empty()).then(|| Geometry::MultiLineString(MultiLineString::new(kept)))
            }
            "Polygon" => {
                polygon(serde_json::from_str(json).map_err(read)?, dropped)?.map(Geometry::Polygon)
            }
            _ => {
                let parts: Vec<Vec<Vec<Position>>> = serde_json::from_str(json).map_err(read)?;
                let mut kept = Vec::new();
                for part in parts {
                    kept.extend(polygon(part, dropped)?);
                }
                (!kept.is_empty()).then(|| Geometry::MultiPolygon(MultiPolygon::new(kept)))
            }
        };
        Ok(geometry)
    }
}

const GEOMETRY_TYPES: [&str; 7] = [
    "Point",
    "MultiPoint",
    "LineString",
    "MultiLineString",
    "Polygon",
    "MultiPolygon",
    "GeometryCollection",
];

/// What is wrong with one feature: a kind (for grouping) and the particulars.
#[derive(Debug)]
struct Problem {
    kind: &'static str,
    detail: String,
}

impl Problem {
    fn new(kind: &'static str, detail: String) -> Self {
        Self { kind, detail }
    }
}

/// A position as written: two numbers or more (the third and later are ignored).
struct Position([f64; 2]);

impl Position {
    /// The position as a longitude/latitude, if it is one.
    fn checked(self) -> Result<Coord, Problem> {
        let [x, y] = self.0;
        if (-180.0..=180.0).contains(&x) && (-90.0..=90.0).contains(&y) {
            Ok(Coord { x, y })
        } else {
            Err(Problem::new(
                "a position is not a longitude/latitude",
                format!(
                    "[{x}, {y}] is outside longitude −180‥180 / latitude −90‥90; coordinates in metres (a projected system) must be converted to WGS-84 degrees"
                ),
            ))
        }
    }
}

impl<'de> Deserialize<'de> for Position {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct PositionVisitor;
        impl<'de> Visitor<'de> for PositionVisitor {
            type Value = Position;
            fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
                formatter.write_str("a position [longitude, latitude]")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Position, A::Error> {
                let x: Option<Number> = seq.next_element()?;
                let y: Option<Number> = seq.next_element()?;
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                match (x, y) {
                    (Some(x), Some(y)) => Ok(Position([x.0, y.0])),
                    _ => Err(de::Error::custom(SHORT_POSITION)),
                }
            }
        }
        deserializer.deserialize_seq(PositionVisitor)
    }
}

const SHORT_POSITION: &str = "a position has fewer than two numbers";

/// A coordinate: a JSON number.
struct Number(f64);

impl<'de> Deserialize<'de> for Number {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct NumberVisitor;
        impl<'de> Visitor<'de> for NumberVisitor {
            type Value = Number;
            fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
                formatter.write_str("a number")
            }
            fn visit_f64<E>(self, v: f64) -> Result<Number, E> {
                Ok(Number(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Number, E> {
                Ok(Number(v as f64))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Number, E> {
                Ok(Number(v as f64))
            }
        }
        deserializer.deserialize_f64(NumberVisitor)
    }
}

fn positions(written: Vec<Position>) -> Result<Vec<Coord>, Problem> {
    written.into_iter().map(Position::checked).collect()
}

/// A line: none if empty, a problem if it has one position.
fn line(written: Vec<Position>) -> Result<Option<LineString>, Problem> {
    match written.len() {
        0 => Ok(None),
        1 => Err(Problem::new(
            "a line has a single position",
            "a LineString needs two positions or more".into(),
        )),
        _ => Ok(Some(LineString::new(positions(written)?))),
    }
}

/// A polygon: none if it has no rings, or its outer ring encloses nothing; a problem if a
/// ring does not end where it starts. A ring of fewer than four positions encloses nothing and
/// is left out (counted in `dropped`). Winding, self-crossings and touching holes are accepted:
/// they are drawn as written.
fn polygon(rings: Vec<Vec<Position>>, dropped: &mut usize) -> Result<Option<Polygon>, Problem> {
    let mut kept = Vec::with_capacity(rings.len());
    for (number, ring) in rings.into_iter().enumerate() {
        let coords = positions(ring)?;
        if coords.len() < 4 {
            *dropped += usize::from(!coords.is_empty());
            if number == 0 {
                return Ok(None);
            }
            continue;
        }
        if coords.first() != coords.last() {
            return Err(Problem::new(
                "a ring does not end where it starts",
                format!("ring {number} is not closed"),
            ));
        }
        kept.push(LineString::new(coords));
    }
    let mut rings = kept.into_iter();
    Ok(rings
        .next()
        .map(|exterior| Polygon::new(exterior, rings.collect())))
}

/// An id as text: a string as is, a number written out; anything else is no id.
fn id_text(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        _ => None,
    }
}

/// A JSON error inside a feature: its kind, and where (and what, when the kind does not say).
fn json_problem(error: &serde_json::Error, text: &str, offset: usize) -> Problem {
    let kind = kind_of_json_error(error);
    let detail = json_error(error, text, offset);
    let detail = match detail.strip_suffix(kind) {
        Some(position) => position.trim_end_matches(": ").to_string(),
        None => detail,
    };
    Problem::new(kind, detail)
}

/// The kind of a JSON error inside a feature, for grouping.
fn kind_of_json_error(error: &serde_json::Error) -> &'static str {
    let text = error.to_string();
    if text.starts_with(SHORT_POSITION) {
        SHORT_POSITION
    } else if text.contains("expected a number") {
        "a coordinate is not a number"
    } else if text.contains("number out of range") {
        "a coordinate is too large a number"
    } else if text.contains("recursion limit") {
        "arrays nest too deeply"
    } else if text.contains("expected a sequence") || text.contains("expected a position") {
        "coordinates are not nested as the geometry type says"
    } else if text.contains("expected a map") || text.contains("invalid type") {
        "a member has the wrong kind of value"
    } else {
        "a feature is not valid JSON"
    }
}

/// The file-level message for a root object that cannot be read.
fn not_geojson(error: &serde_json::Error, text: &str, offset: usize) -> String {
    json_error(error, text, offset)
}

/// A legacy `crs` member: longitude/latitude names pass; a projected system refuses the file.
fn check_crs(crs: Option<&Value>) -> Result<(), String> {
    let Some(name) = crs
        .and_then(|crs| crs.get("properties"))
        .and_then(|properties| properties.get("name"))
        .and_then(Value::as_str)
    else {
        return Ok(());
    };
    let upper = name.to_ascii_uppercase();
    let geographic = [
        "CRS84",
        "CRS:84",
        "EPSG::4326",
        "EPSG:4326",
        "EPSG::4490",
        "EPSG:4490",
    ];
    if geographic.iter().any(|g| upper.ends_with(g)) {
        return Ok(());
    }
    Err(format!(
        "its `crs` is {}, not longitude/latitude: the coordinates look like metres, and GeoJSON wants WGS-84 longitude/latitude in degrees. Convert it first (QGIS: Export → Save Features As…, CRS EPSG:4326)",
        super::problems::shorten(name, 60)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> RawFeature {
        let document = parse(text).expect("reads");
        assert!(document.problems.is_empty(), "{:?}", document.problems);
        assert_eq!(document.features.len(), 1);
        document.features.into_iter().next().expect("a feature")
    }

    #[test]
    fn a_single_feature_or_a_bare_geometry_is_a_document() {
        let feature = one(
            r#"{"type":"Feature","id":5001,"properties":{"name":"甲"},"geometry":{"type":"Point","coordinates":[106.3,29.5,300]}}"#,
        );
        assert_eq!(feature.id(), Some("5001".into()));
        assert_eq!(
            feature.geometry,
            Some(Geometry::Point(Point::new(106.3, 29.5)))
        );
        let bare = one(r#"{"type":"LineString","coordinates":[[106,29],[107,30]]}"#);
        assert!(matches!(bare.geometry, Some(Geometry::LineString(_))));
    }

    #[test]
    fn a_null_geometry_is_an_unlocated_feature() {
        let feature = one(r#"{"type":"Feature","properties":{"id":"x"},"geometry":null}"#);
        assert_eq!((feature.id(), feature.geometry), (Some("x".into()), None));
    }

    #[test]
    fn a_short_position_costs_only_its_feature() {
        let text = r#"{"type":"FeatureCollection","features":[
            {"type":"Feature","id":"bad","properties":{},"geometry":{"type":"LineString","coordinates":[[106.3],[107,30]]}},
            {"type":"Feature","id":"good","properties":{},"geometry":{"type":"Point","coordinates":[106,29]}}]}"#;
        let document = parse(text).expect("reads");
        assert_eq!(document.features.len(), 1);
        assert_eq!(document.features[0].id(), Some("good".into()));
        let problems = document.problems.lines("f.geojson");
        assert_eq!(problems.len(), 1);
        // The line and column of the position with one number: `[106.3]` ends at column 111.
        assert_eq!(
            problems[0],
            "feature 0 (id bad, line 2): a position has fewer than two numbers — line 2, column 111"
        );
    }

    #[test]
    fn empty_parts_are_dropped_and_the_good_part_kept() {
        let feature = one(
            r#"{"type":"MultiPolygon","coordinates":[[],[[[106,29],[107,29],[107,30],[106,29]]]]}"#,
        );
        let Some(Geometry::MultiPolygon(parts)) = feature.geometry else {
            panic!("a multipolygon")
        };
        assert_eq!(parts.0.len(), 1);
    }

    #[test]
    fn sequences_read_record_by_record() {
        let lines = "{\"type\":\"Point\",\"coordinates\":[106,29]}\n{not json}\n{\"type\":\"Point\",\"coordinates\":[107,30]}\n";
        let document = parse(lines).expect("reads");
        assert_eq!(document.features.len(), 2);
        assert_eq!(document.problems.feature_count(), 1);
        let records = "\u{1e}{\"type\":\"Point\",\"coordinates\":[106,29]}\n\u{1e}{\"type\":\"Point\",\"coordinates\":[107,30]}\n";
        assert_eq!(parse(records).expect("reads").features.len(), 2);
    }

    #[test]
    fn positions_off_the_globe_and_projected_files_are_refused_with_the_reason() {
        let document =
            parse(r#"{"type":"Point","coordinates":[11877000.5,3440000.1]}"#).expect("reads");
        assert!(document.features.is_empty());
        assert!(document.problems.lines("f").join("").contains("metres"));
        let error = parse(r#"{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::3857"}},"features":[]}"#)
            .expect_err("projected");
        assert!(
            error.contains("EPSG::3857") && error.contains("longitude/latitude"),
            "{error}"
        );
        assert!(parse(r#"{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:OGC:1.3:CRS84"}},"features":[]}"#).is_ok());
    }

    #[test]
    fn not_geojson_says_what_it_is() {
        assert!(parse("").expect_err("empty").contains("empty"));
        assert!(parse("[1, 2]").expect_err("array").contains("line 1"));
        assert!(
            parse("{\"a\": 1}")
                .expect_err("no type")
                .contains("no `type`")
        );
        let error = parse("{\"type\": \"FeatureCollection\", \"features\": [").expect_err("cut");
        assert!(
            error.contains("line 1") && !error.contains("Deserialize"),
            "{error}"
        );
    }
}
