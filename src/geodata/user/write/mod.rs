//! A user's layer written out, as a sketch is saved and as "导出数据… / Export data…" and
//! `chengyu-atlas convert` hand a layer on: GeoJSON (RFC 7946: longitude/latitude to 7
//! decimals, a centimetre; exteriors anticlockwise and holes clockwise; the colours as the
//! simplestyle properties uMap, GitHub and geojson.io read; one feature a line, as GDAL writes
//! it), KML/KMZ, CSV (UTF-8 with a BOM so that Excel opens it, or GBK), Excel (`xlsx.rs`) and
//! GeoPackage (`geopackage.rs`). Coordinates are WGS-84, or GCJ-02/BD-09 when asked for apps
//! that expect them (said in a `datum` column). Files are written whole or not at all.

mod geopackage;
mod rtree;
mod xlsx;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use geo::orient::{Direction, Orient};
use serde_json::{Map, Value, json};

use crate::coordinates::datum::Datum;
use crate::model::user::{UserFormat, UserLayer, is_number};
use crate::model::{Feature, Features, Shape};

/// A format a layer is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataFormat {
    GeoJson,
    Kml,
    Kmz,
    Csv,
    Xlsx,
    GeoPackage,
}

impl DataFormat {
    pub const ALL: [DataFormat; 6] = [
        DataFormat::GeoJson,
        DataFormat::GeoPackage,
        DataFormat::Xlsx,
        DataFormat::Csv,
        DataFormat::Kml,
        DataFormat::Kmz,
    ];

    /// By the extension of `path`.
    pub fn of(path: &Path) -> Option<Self> {
        let extension = path.extension()?.to_string_lossy().to_ascii_lowercase();
        Some(match extension.as_str() {
            "geojson" | "json" => DataFormat::GeoJson,
            "kml" => DataFormat::Kml,
            "kmz" => DataFormat::Kmz,
            "csv" => DataFormat::Csv,
            "xlsx" => DataFormat::Xlsx,
            "gpkg" => DataFormat::GeoPackage,
            _ => return None,
        })
    }

    pub fn extension(self) -> &'static str {
        match self {
            DataFormat::GeoJson => "geojson",
            DataFormat::Kml => "kml",
            DataFormat::Kmz => "kmz",
            DataFormat::Csv => "csv",
            DataFormat::Xlsx => "xlsx",
            DataFormat::GeoPackage => "gpkg",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            DataFormat::GeoJson => "GeoJSON",
            DataFormat::Kml => "KML",
            DataFormat::Kmz => "KMZ",
            DataFormat::Csv => "CSV",
            DataFormat::Xlsx => "Excel (.xlsx)",
            DataFormat::GeoPackage => "GeoPackage",
        }
    }

    /// What the written file is read back as.
    pub fn user_format(self) -> UserFormat {
        match self {
            DataFormat::GeoJson => UserFormat::GeoJson,
            DataFormat::Kml | DataFormat::Kmz => UserFormat::Kml,
            DataFormat::Csv => UserFormat::Csv,
            DataFormat::Xlsx => UserFormat::Excel,
            DataFormat::GeoPackage => UserFormat::GeoPackage,
        }
    }

    /// The extensions written, for a refusal.
    pub fn extensions() -> String {
        Self::ALL
            .iter()
            .map(|f| format!(".{}", f.extension()))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// A text table's encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TextEncoding {
    /// UTF-8 with a byte-order mark, which Excel needs to read the Chinese right.
    #[default]
    Utf8Bom,
    /// GBK, for older Chinese software.
    Gbk,
}

/// How a layer is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DataOptions {
    /// The datum of the coordinates written (the layer is held in WGS-84).
    pub datum: Datum,
    /// A CSV's encoding.
    pub encoding: TextEncoding,
}

/// The file name that says a datum other than WGS-84: `firms.csv` → `firms-gcj02.csv` (a
/// name that already says it is kept).
pub fn named_for_datum(path: &Path, datum: Datum) -> PathBuf {
    if datum.is_wgs84() {
        return path.to_path_buf();
    }
    let key = datum.key();
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    if stem.to_ascii_lowercase().contains(key) {
        return path.to_path_buf();
    }
    let name = match path.extension() {
        Some(extension) => format!("{stem}-{key}.{}", extension.to_string_lossy()),
        None => format!("{stem}-{key}"),
    };
    path.with_file_name(name)
}

/// Writes `features` of `layer` to `path` in the format its extension names, whole or not at
/// all. Returns how many features were written.
pub fn write_data(
    path: &Path,
    layer: &UserLayer,
    features: &Features,
    options: &DataOptions,
) -> Result<usize, String> {
    let format = DataFormat::of(path).ok_or_else(|| {
        format!(
            "{}: the atlas writes {}",
            path.display(),
            DataFormat::extensions()
        )
    })?;
    let converted;
    let (layer, features) = if options.datum.is_wgs84() {
        (layer, features)
    } else {
        converted = in_datum(layer, features, options.datum);
        (&converted.0, &converted.1)
    };
    let failed = |why: String| format!("{}: {why}", path.display());
    let bytes = match format {
        DataFormat::GeoJson => geojson_text(layer, features).into_bytes(),
        DataFormat::Kml => kml_text(layer, features).into_bytes(),
        DataFormat::Kmz => kmz(&kml_text(layer, features)).map_err(failed)?,
        DataFormat::Csv => {
            let text = csv_text(layer, features).map_err(failed)?;
            encode(&text, options.encoding).map_err(failed)?
        }
        DataFormat::Xlsx => xlsx::workbook(&Table::new(layer, features)).map_err(failed)?,
        DataFormat::GeoPackage => {
            geopackage::write(path, layer, features).map_err(failed)?;
            return Ok(features.len());
        }
    };
    crate::atomic_file::write(path, &bytes).map_err(|error| failed(error.to_string()))?;
    Ok(features.len())
}

/// The layer and its features in `datum`, with a `datum` field that says it.
fn in_datum(layer: &UserLayer, features: &Features, datum: Datum) -> (UserLayer, Features) {
    use geo::MapCoords;
    let mut layer = layer.clone();
    let column = layer.fields.len();
    let name = if layer.fields.iter().any(|f| f.eq_ignore_ascii_case("datum")) {
        "coordinate_datum"
    } else {
        "datum"
    };
    layer.fields.push(name.into());
    let convert = |c: geo::Coord| {
        let (x, y) = datum.from_wgs84(c.x, c.y);
        geo::coord! { x: x, y: y }
    };
    let features = features
        .iter()
        .map(|feature| {
            let mut feature = feature.into_owned();
            feature.shape = match &feature.shape {
                Shape::Point(p) => Shape::Point(p.map_coords(convert)),
                Shape::Lines(l) => Shape::Lines(l.map_coords(convert)),
                Shape::Area(a) => Shape::Area(a.map_coords(convert)),
            };
            if let crate::model::FeatureKind::User(user) = &mut feature.kind {
                user.values.resize(column);
                user.values.push(datum.name());
            }
            feature
        })
        .collect();
    (layer, features)
}

/// A CSV's text in `encoding`: UTF-8 after a BOM, or GBK (a character GBK lacks is named).
fn encode(text: &str, encoding: TextEncoding) -> Result<Vec<u8>, String> {
    match encoding {
        TextEncoding::Utf8Bom => {
            let mut bytes = Vec::with_capacity(text.len() + 3);
            bytes.extend_from_slice("\u{feff}".as_bytes());
            bytes.extend_from_slice(text.as_bytes());
            Ok(bytes)
        }
        TextEncoding::Gbk => {
            let (bytes, _, unmappable) = encoding_rs::GBK.encode(text);
            if unmappable {
                let missing: String = text
                    .chars()
                    .filter(|c| {
                        let mut buffer = [0u8; 4];
                        encoding_rs::GBK.encode(c.encode_utf8(&mut buffer)).2
                    })
                    .take(5)
                    .collect();
                return Err(format!(
                    "GBK has no code for “{missing}”: write it as UTF-8"
                ));
            }
            Ok(bytes.into_owned())
        }
    }
}

/// A layer as a table, for the CSV and Excel writers: the fields, then `lon` and `lat` when
/// every feature is a point, else `WKT`; a cell is a number where the whole field is numbers.
/// Points whose fields have coordinate columns (经度/纬度, lon/lat…) are written in them, so
/// that the table holds one position, in the datum written.
pub struct Table<'a> {
    pub name: String,
    pub headings: Vec<String>,
    layer: &'a UserLayer,
    features: &'a Features,
    numeric: Vec<bool>,
    points: bool,
    /// The fields that hold the points' longitude and latitude.
    in_fields: Option<(usize, usize)>,
}

/// A cell of a [`Table`]: its text, and its value when it is a number.
pub enum Cell {
    Number(f64),
    Text(String),
}

impl<'a> Table<'a> {
    pub fn new(layer: &'a UserLayer, features: &'a Features) -> Self {
        let points = features
            .iter()
            .all(|feature| matches!(feature.shape, Shape::Point(_)));
        let in_fields = points
            .then(|| super::csv::coordinate_columns(&layer.fields))
            .flatten();
        let mut headings = layer.fields.clone();
        if points && in_fields.is_none() {
            headings.extend(["lon".to_string(), "lat".to_string()]);
        } else if !points {
            headings.push("WKT".into());
        }
        Self {
            name: layer.name.clone(),
            headings,
            numeric: layer.numeric_fields(features),
            layer,
            features,
            points,
            in_fields,
        }
    }

    /// Each feature's cells, as the headings.
    pub fn rows(&self) -> impl Iterator<Item = Vec<Cell>> + '_ {
        let width = self.layer.fields.len();
        self.features.iter().map(move |feature| {
            let values = feature.user().map(|u| &u.values);
            let mut cells: Vec<Cell> = (0..width)
                .map(|i| {
                    let value = values.and_then(|v| v.get(i)).unwrap_or_default();
                    match value.parse::<f64>() {
                        Ok(n) if self.numeric[i] && is_number(value) => Cell::Number(n),
                        _ => Cell::Text(value.to_string()),
                    }
                })
                .collect();
            let round = |v: f64| (v * 1e7).round() / 1e7;
            match (&feature.shape, self.points) {
                (Shape::Point(point), true) if let Some((lon, lat)) = self.in_fields => {
                    cells[lon] = Cell::Number(round(point.x()));
                    cells[lat] = Cell::Number(round(point.y()));
                }
                (Shape::Point(point), true) => {
                    cells.push(Cell::Number(round(point.x())));
                    cells.push(Cell::Number(round(point.y())));
                }
                (Shape::Point(_) | Shape::Lines(_), _) => {
                    cells.push(Cell::Text(wkt(&feature.shape)))
                }
                (Shape::Area(area), _) => {
                    let oriented: geo::MultiPolygon =
                        area.iter().map(|p| p.orient(Direction::Default)).collect();
                    cells.push(Cell::Text(wkt(&Shape::Area(oriented))));
                }
            }
            cells
        })
    }
}

/// A shape as well-known text, written as the `wkt` crate writes it (`MULTIPOLYGON(((x y,…)))`)
/// but with each number as its shortest exact decimal through ryu: the coordinates of 100 000
/// polygons took a fifth of writing them as a workbook through Rust's own formatting.
fn wkt(shape: &Shape) -> String {
    fn coordinates(out: &mut String, points: impl Iterator<Item = geo::Coord>) {
        joined(points, out, LIST, |c, out| {
            super::excel::write_number(out, c.x);
            out.push(' ');
            super::excel::write_number(out, c.y);
        });
    }
    fn rings(polygon: &geo::Polygon) -> impl Iterator<Item = &geo::LineString> {
        std::iter::once(polygon.exterior()).chain(polygon.interiors())
    }
    let mut out = String::new();
    match shape {
        Shape::Point(point) => {
            out.push_str("POINT");
            coordinates(&mut out, std::iter::once(point.0));
        }
        Shape::Lines(lines) if lines.0.is_empty() => out.push_str("MULTILINESTRING EMPTY"),
        Shape::Lines(lines) => {
            out.push_str("MULTILINESTRING");
            joined(&lines.0, &mut out, LIST, |line, out| {
                coordinates(out, line.coords().copied())
            });
        }
        Shape::Area(area) if area.0.is_empty() => out.push_str("MULTIPOLYGON EMPTY"),
        Shape::Area(area) => {
            out.push_str("MULTIPOLYGON");
            joined(&area.0, &mut out, LIST, |polygon, out| {
                joined(rings(polygon), out, LIST, |ring, out| {
                    coordinates(out, ring.coords().copied())
                });
            });
        }
    }
    out
}

/// The layer as the file `path` names by its extension, and the format that is: KML for
/// `.kml`, a KMZ (its `doc.kml` zipped, as Google Earth writes one) for `.kmz`, a table for
/// `.csv` (lon/lat for points, else WKT), else GeoJSON. A sketch is saved this way.
pub fn layer_file(
    path: &std::path::Path,
    layer: &UserLayer,
    features: &Features,
) -> Result<(Vec<u8>, UserFormat), String> {
    let extension = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    Ok(match extension.as_deref() {
        Some("kml") => (kml_text(layer, features).into_bytes(), UserFormat::Kml),
        Some("kmz") => (kmz(&kml_text(layer, features))?, UserFormat::Kml),
        Some("csv") => (csv_text(layer, features)?.into_bytes(), UserFormat::Csv),
        _ => (
            geojson_text(layer, features).into_bytes(),
            UserFormat::GeoJson,
        ),
    })
}

/// `doc.kml` in a zip.
fn kmz(kml: &str) -> Result<Vec<u8>, String> {
    use std::io::Write as _;
    let mut out = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("doc.kml", options)
        .and_then(|()| zip.write_all(kml.as_bytes()).map_err(Into::into))
        .and_then(|()| zip.finish().map(|_| ()))
        .map_err(|error| format!("KMZ: {error}"))?;
    Ok(out.into_inner())
}

/// The layer's GeoJSON text.
pub fn geojson_text(layer: &UserLayer, features: &Features) -> String {
    let mut out = String::with_capacity(features.len() * 256);
    out.push_str("{\"type\": \"FeatureCollection\", \"features\": [\n");
    // A field of numbers is written as numbers (a file read and saved keeps its types).
    let numeric = layer.numeric_fields(features);
    for (index, feature) in features.iter().enumerate() {
        // The properties through serde_json (their text escaped as JSON wants); the
        // geometry written straight out (most of the bytes, and no allocation a position).
        let properties = Value::Object(properties(layer, &feature, index, &numeric));
        out.push_str("{\"type\":\"Feature\",");
        // An id other than the feature's place in the file (which a reader gives it anyway)
        // is written, so that a tour or a link naming the feature finds it again.
        if feature.id != (index + 1).to_string() {
            let _ = write!(out, "\"id\":{},", Value::String(feature.id.clone()));
        }
        let _ = write!(out, "\"properties\":{properties},\"geometry\":");
        geometry(&feature.shape, &mut out);
        out.push('}');
        if index + 1 < features.len() {
            out.push(',');
        }
        out.push('\n');
    }
    out.push_str("]}\n");
    out
}

/// The simplestyle properties the writer fills from the feature's colour.
const SIMPLESTYLE: [&str; 5] = [
    "marker-color",
    "stroke",
    "stroke-width",
    "fill",
    "fill-opacity",
];

fn properties(
    layer: &UserLayer,
    feature: &Feature,
    index: usize,
    numeric: &[bool],
) -> Map<String, Value> {
    let mut properties = Map::new();
    if let Some(user) = feature.user() {
        for ((field, value), number) in layer.fields.iter().zip(&user.values).zip(numeric) {
            // An empty style of its own is no style: the layer's is written below.
            if value.trim().is_empty() && SIMPLESTYLE.contains(&field.as_str()) {
                continue;
            }
            let value = match (number, value.trim()) {
                (true, "") => Value::Null,
                (true, text) => serde_json::from_str(text).unwrap_or(Value::String(text.into())),
                (false, _) => Value::String(value.to_string()),
            };
            properties.insert(field.clone(), value);
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

/// A coordinate to 7 decimals (a centimetre), written as JSON writes a number.
fn number(v: f64, out: &mut String) {
    let rounded = (v * 1e7).round() / 1e7;
    if rounded.is_finite() {
        let _ = write!(out, "{rounded}");
    } else {
        out.push_str("null");
    }
}

fn position(c: geo::Coord, out: &mut String) {
    out.push('[');
    number(c.x, out);
    out.push(',');
    number(c.y, out);
    out.push(']');
}

fn line(line: &geo::LineString, out: &mut String) {
    joined(line.coords(), out, ARRAY, |c, out| position(*c, out));
}

fn polygon(polygon: &geo::Polygon, out: &mut String) {
    let polygon = polygon.orient(Direction::Default);
    let rings = std::iter::once(polygon.exterior()).chain(polygon.interiors());
    joined(rings, out, ARRAY, line);
}

/// A JSON array's brackets, and a WKT list's.
const ARRAY: [char; 2] = ['[', ']'];
const LIST: [char; 2] = ['(', ')'];

/// Items written by `part`, separated by commas, between `brackets`: GeoJSON's arrays of
/// positions, rings and parts, and WKT's lists.
fn joined<T>(
    items: impl IntoIterator<Item = T>,
    out: &mut String,
    [open, close]: [char; 2],
    mut part: impl FnMut(T, &mut String),
) {
    out.push(open);
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        part(item, out);
    }
    out.push(close);
}

fn geometry(shape: &Shape, out: &mut String) {
    match shape {
        Shape::Point(point) => {
            out.push_str("{\"type\":\"Point\",\"coordinates\":");
            position(point.0, out);
        }
        Shape::Lines(lines) if lines.0.len() == 1 => {
            out.push_str("{\"type\":\"LineString\",\"coordinates\":");
            line(&lines.0[0], out);
        }
        Shape::Lines(lines) => {
            out.push_str("{\"type\":\"MultiLineString\",\"coordinates\":");
            joined(&lines.0, out, ARRAY, line);
        }
        Shape::Area(area) if area.0.len() == 1 => {
            out.push_str("{\"type\":\"Polygon\",\"coordinates\":");
            polygon(&area.0[0], out);
        }
        Shape::Area(area) => {
            out.push_str("{\"type\":\"MultiPolygon\",\"coordinates\":");
            joined(&area.0, out, ARRAY, polygon);
        }
    }
    out.push('}');
}

/// The layer as KML 2.2, which Google Earth and 奥维 open: each feature a Placemark with its
/// name, description and the layer's other fields as ExtendedData, its colour as a shared
/// `Style` (KML writes colours aabbggrr), polygons' exteriors anticlockwise.
pub fn kml_text(layer: &UserLayer, features: &Features) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<kml xmlns=\"http://www.opengis.net/kml/2.2\">\n<Document>\n",
    );
    let _ = writeln!(out, "<name>{}</name>", escape(&layer.name));
    let mut colours: Vec<[u8; 3]> = (0..features.len()).map(|i| layer.color_of(i)).collect();
    colours.sort_unstable();
    colours.dedup();
    let width = layer.style.line_width;
    let fill = (layer.style.fill_opacity.clamp(0.0, 1.0) * 255.0).round() as u8;
    for [r, g, b] in &colours {
        let _ = writeln!(
            out,
            "<Style id=\"c{r:02x}{g:02x}{b:02x}\"><IconStyle><color>ff{b:02x}{g:02x}{r:02x}</color></IconStyle><LineStyle><color>ff{b:02x}{g:02x}{r:02x}</color><width>{width}</width></LineStyle><PolyStyle><color>{fill:02x}{b:02x}{g:02x}{r:02x}</color></PolyStyle></Style>"
        );
    }
    let field = |feature: &Feature, name: &str| -> String {
        layer.value(feature, name).unwrap_or_default().to_string()
    };
    for (index, feature) in features.iter().enumerate() {
        let [r, g, b] = layer.color_of(index);
        out.push_str("<Placemark>");
        let name = match layer.name_field.and_then(|i| layer.fields.get(i)) {
            Some(name_field) => field(&feature, name_field),
            None => feature.name.zh.clone(),
        };
        let _ = write!(out, "<name>{}</name>", escape(&name));
        let description = field(&feature, "description");
        if !description.is_empty() {
            let _ = write!(out, "<description>{}</description>", escape(&description));
        }
        let _ = write!(out, "<styleUrl>#c{r:02x}{g:02x}{b:02x}</styleUrl>");
        let others: Vec<&String> = layer
            .fields
            .iter()
            .enumerate()
            .filter(|(i, f)| Some(*i) != layer.name_field && f.as_str() != "description")
            .map(|(_, f)| f)
            .collect();
        if !others.is_empty() {
            out.push_str("<ExtendedData>");
            for name in others {
                let _ = write!(
                    out,
                    "<Data name=\"{}\"><value>{}</value></Data>",
                    escape(name),
                    escape(&field(&feature, name))
                );
            }
            out.push_str("</ExtendedData>");
        }
        kml_geometry(&feature.shape, &mut out);
        out.push_str("</Placemark>\n");
    }
    out.push_str("</Document>\n</kml>\n");
    out
}

/// Text for XML: the five characters XML reserves, escaped.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

fn kml_coordinates(coords: impl Iterator<Item = geo::Coord>, out: &mut String) {
    out.push_str("<coordinates>");
    let round = |v: f64| (v * 1e7).round() / 1e7;
    for (i, c) in coords.enumerate() {
        let space = if i == 0 { "" } else { " " };
        let _ = write!(out, "{space}{},{}", round(c.x), round(c.y));
    }
    out.push_str("</coordinates>");
}

fn kml_geometry(shape: &Shape, out: &mut String) {
    let parts = match shape {
        Shape::Point(_) => 1,
        Shape::Lines(lines) => lines.0.len(),
        Shape::Area(area) => area.0.len(),
    };
    if parts > 1 {
        out.push_str("<MultiGeometry>");
    }
    match shape {
        Shape::Point(point) => {
            out.push_str("<Point>");
            kml_coordinates(std::iter::once(point.0), out);
            out.push_str("</Point>");
        }
        Shape::Lines(lines) => {
            for line in lines {
                out.push_str("<LineString>");
                kml_coordinates(line.coords().copied(), out);
                out.push_str("</LineString>");
            }
        }
        Shape::Area(area) => {
            for polygon in area {
                let polygon = polygon.orient(Direction::Default);
                out.push_str("<Polygon><outerBoundaryIs><LinearRing>");
                kml_coordinates(polygon.exterior().coords().copied(), out);
                out.push_str("</LinearRing></outerBoundaryIs>");
                for hole in polygon.interiors() {
                    out.push_str("<innerBoundaryIs><LinearRing>");
                    kml_coordinates(hole.coords().copied(), out);
                    out.push_str("</LinearRing></innerBoundaryIs>");
                }
                out.push_str("</Polygon>");
            }
        }
    }
    if parts > 1 {
        out.push_str("</MultiGeometry>");
    }
}

/// The layer as a table (CSV, as spreadsheet programs and GDAL read it): its fields, then
/// `lon` and `lat` when every feature is a point, else a `WKT` column with each shape.
pub fn csv_text(layer: &UserLayer, features: &Features) -> Result<String, String> {
    let table = Table::new(layer, features);
    let mut writer = csv::Writer::from_writer(Vec::with_capacity(features.len() * 64));
    writer
        .write_record(&table.headings)
        .map_err(|e| e.to_string())?;
    let mut record = Vec::new();
    for cells in table.rows() {
        record.clear();
        record.extend(cells.into_iter().map(|cell| match cell {
            Cell::Number(n) => n.to_string(),
            Cell::Text(text) => text,
        }));
        writer.write_record(&record).map_err(|e| e.to_string())?;
    }
    let bytes = writer.into_inner().map_err(|e| e.to_string())?;
    String::from_utf8(bytes).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::polygon;

    #[test]
    fn well_known_text_is_written_as_the_wkt_crate_writes_it() {
        use wkt::ToWkt;
        let area = geo::MultiPolygon(vec![polygon!(
            exterior: [(x: 106.0, y: 29.5), (x: 106.330_000_1, y: 29.5), (x: 106.2, y: 29.812_581_373_011_213), (x: 106.0, y: 29.5)],
            interiors: [[(x: 106.1, y: 29.6), (x: 106.15, y: 29.6), (x: 106.12, y: 29.62), (x: 106.1, y: 29.6)]],
        )]);
        let lines = geo::MultiLineString(vec![
            geo::LineString::from(vec![(-0.000_001, 1e-7), (180.0, -90.0)]),
            geo::LineString::from(vec![(103.5, 28.123_456_789_012_34), (1e20, 3.0)]),
        ]);
        let point = geo::Point::new(104.065_735, 30.659_462);
        assert_eq!(wkt(&Shape::Area(area.clone())), area.wkt_string());
        assert_eq!(wkt(&Shape::Lines(lines.clone())), lines.wkt_string());
        assert_eq!(wkt(&Shape::Point(point)), point.wkt_string());
        let empty = geo::MultiPolygon::<f64>(vec![]);
        assert_eq!(wkt(&Shape::Area(empty.clone())), empty.wkt_string());
        let no_lines = geo::MultiLineString::<f64>(vec![]);
        assert_eq!(wkt(&Shape::Lines(no_lines.clone())), no_lines.wkt_string());
    }

    /// What is written reads back through the atlas's own reader as the same shapes, names
    /// and style properties.
    #[test]
    fn a_sketch_written_reads_back_the_same() {
        let mut layer = super::super::sketch_layer("草图", 0);
        let square = polygon![(x: 106.3, y: 29.5), (x: 106.3, y: 29.6), (x: 106.4, y: 29.6), (x: 106.4, y: 29.5)];
        let features = vec![
            super::super::drawn_feature(
                &layer,
                "地标 1",
                Shape::Point(geo::Point::new(106.31234567, 29.6)),
            ),
            super::super::drawn_feature(
                &layer,
                "路径 2",
                Shape::Lines(geo::MultiLineString::new(vec![geo::LineString::from(
                    vec![(106.3, 29.5), (106.35, 29.55)],
                )])),
            ),
            super::super::drawn_feature(
                &layer,
                "多边形 3",
                Shape::Area(geo::MultiPolygon::new(vec![square])),
            ),
        ];
        let written = Features::from(features.clone());
        layer.set_geometry_kind(&written);
        let text = geojson_text(&layer, &written);
        let dir = std::env::temp_dir().join(format!("chengyu-sketch-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let path = dir.join("sketch.geojson");
        std::fs::write(&path, &text).expect("write");
        let read = super::super::load(&path, &Default::default()).expect("reads back");
        assert_eq!(read.features.len(), 3);
        assert_eq!(
            read.features.get(0).expect("a feature").shape,
            Shape::Point(geo::Point::new(106.3123457, 29.6))
        );
        assert_eq!(
            read.features.get(1).expect("a feature").shape,
            features[1].shape
        );
        let Shape::Area(area) = &read.features.get(2).expect("a feature").shape else {
            panic!("an area")
        };
        assert!(
            geo::Winding::is_ccw(area.0[0].exterior()),
            "RFC 7946: anticlockwise"
        );
        let names: Vec<String> = read.features.iter().map(|f| f.name.zh.clone()).collect();
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
        // As a table (a WKT column: not only points), through the atlas's CSV reader.
        let table = dir.join("sketch.csv");
        std::fs::write(&table, csv_text(&layer, &written).expect("CSV")).expect("write");
        let read = super::super::load(&table, &Default::default()).expect("CSV reads back");
        let names: Vec<String> = read.features.iter().map(|f| f.name.zh.clone()).collect();
        assert_eq!(names, ["地标 1", "路径 2", "多边形 3"]);
        assert_eq!(
            read.features.get(1).expect("a feature").shape,
            features[1].shape
        );
        // Points alone: lon and lat columns, as a spreadsheet wants them.
        let points = csv_text(&layer, &Features::from(features[..1].to_vec())).expect("CSV");
        assert!(
            points.starts_with("name,description,lon,lat\n地标 1,,106.3123457,29.6\n"),
            "{points}"
        );
        // And as KML, through the atlas's KML reader: the same shapes and names.
        let kml = dir.join("sketch.kml");
        std::fs::write(&kml, kml_text(&layer, &written)).expect("write");
        let read = super::super::load(&kml, &Default::default()).expect("KML reads back");
        let names: Vec<String> = read.features.iter().map(|f| f.name.zh.clone()).collect();
        assert_eq!(names, ["地标 1", "路径 2", "多边形 3"]);
        assert_eq!(
            read.features.get(1).expect("a feature").shape,
            features[1].shape
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
