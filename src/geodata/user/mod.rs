//! The user's own data files as layers: GeoJSON (through the hardened reader), CSV/TSV
//! tables with coordinate or WKT columns, KML/KMZ, and Shapefiles (reprojected from their
//! .prj). Each is read whole or refused with a reason; a bad
//! row or feature costs only itself and is reported; every position is converted from the
//! layer's datum to WGS-84 as it is read, so that the rest of the atlas sees WGS-84 only.

mod archive;
mod csv;
pub mod excel;
mod geojson;
pub mod geopackage;
mod kml;
pub mod notes;
pub mod postgis;
mod projection;
pub mod service;
mod shapefile;
pub mod write;

use std::path::Path;

use geo::{Geometry, MapCoords, MultiLineString, MultiPolygon, Point};

pub use self::csv::{CsvColumns, CsvOptions, sniff_columns};
pub use self::kml::MAX_DEPTH_XML;
use super::DataError;
use crate::coordinates::Datum;
use crate::model::table::PointTable;
use crate::model::user::{UserFeature, UserFormat, UserLayer, UserStyle, Values};
use crate::model::{Feature, FeatureKind, Features, Shape, Text};

/// A user's file, read: the layer's description, its features (WGS-84) and what was wrong.
#[derive(Debug, Clone)]
pub struct LoadedLayer {
    pub info: UserLayer,
    pub features: Features,
    /// Rows or features that could not be read (the others loaded), grouped by kind.
    pub problems: Vec<DataError>,
}

/// How to read a user's file: its datum (`None`: as the file says, else WGS-84) and, for a
/// table, which columns hold the coordinates (`None`: detected); and, for a load in the
/// background, where to say how far it got and to hear that it is cancelled.
#[derive(Debug, Clone, Default)]
pub struct LayerOptions {
    pub datum: Option<Datum>,
    pub csv: CsvOptions,
    pub progress: Option<std::sync::Arc<Progress>>,
    /// For a database or service layer: read only the features within this box (WGS-84), as
    /// QGIS reads a view's extent; `None`: the whole table.
    pub extent: Option<geo::Rect>,
    /// For a service layer: the folder its last read is kept in, for when the service cannot
    /// be reached (`None`: the atlas's cache folder).
    pub cache: Option<std::path::PathBuf>,
}

/// How far a load in the background is (bytes of text read of all), and whether the user
/// cancelled it. Readers that cannot tell how far they are leave `done` at 0.
#[derive(Debug, Default)]
pub struct Progress {
    done: std::sync::atomic::AtomicU64,
    total: std::sync::atomic::AtomicU64,
    cancelled: std::sync::atomic::AtomicBool,
}

impl Progress {
    pub fn set(&self, done: u64, total: u64) {
        use std::sync::atomic::Ordering::Relaxed;
        self.done.store(done, Relaxed);
        self.total.store(total, Relaxed);
    }

    /// The share done (0‥1), when the reader can tell.
    pub fn fraction(&self) -> Option<f32> {
        use std::sync::atomic::Ordering::Relaxed;
        let total = self.total.load(Relaxed);
        (total > 0).then(|| (self.done.load(Relaxed) as f64 / total as f64).min(1.0) as f32)
    }

    pub fn cancel(&self) {
        self.cancelled
            .store(true, std::sync::atomic::Ordering::Relaxed);
    }

    pub fn is_cancelled(&self) -> bool {
        self.cancelled.load(std::sync::atomic::Ordering::Relaxed)
    }
}

/// What a cancelled load says.
pub const CANCELLED: &str = "loading was cancelled";

/// [`CANCELLED`] in both languages (the window does not show it: the user asked for it).
pub fn cancelled() -> crate::model::Text {
    crate::model::Text::new("已取消载入", CANCELLED)
}

/// A user's file to add as a layer: where, in which datum (`None`: as the file says), and in
/// which style (`None`: the next colour of the palette).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LayerSpec {
    pub path: std::path::PathBuf,
    pub datum: Option<Datum>,
    pub style: Option<UserStyle>,
    /// For a table: the coordinate columns and the swap the user confirmed.
    pub csv: CsvOptions,
    /// For a database layer: the box (WGS-84) to read; `None`: the whole table.
    pub extent: Option<geo::Rect>,
}

impl LayerSpec {
    /// A database address is kept without its password (remembered for the session).
    pub fn new(path: impl Into<std::path::PathBuf>, datum: Option<Datum>) -> Self {
        Self {
            path: without_password(path.into()),
            datum,
            style: None,
            csv: CsvOptions::default(),
            extent: None,
        }
    }
}

/// `path` as the atlas keeps it: a database address as a URI without a password (a password
/// it held is remembered for the session); a file's path as it is.
pub fn without_password(path: std::path::PathBuf) -> std::path::PathBuf {
    let Some(text) = path.to_str().filter(|t| postgis::is_address(t)) else {
        return path;
    };
    match postgis::Address::parse(text) {
        Ok(address) => {
            if let Some(password) = address.own_password() {
                postgis::remember_password(&address, password);
            }
            std::path::PathBuf::from(address.to_uri())
        }
        // Said when it is read.
        Err(_) => path,
    }
}

/// Reads a user's file and adds it to the atlas on top of the other layers; returns its id and
/// what was wrong with rows or features that did not load. The error says why the file could
/// not be added at all; the atlas is then unchanged.
pub fn add_to(
    atlas: &mut crate::model::Atlas,
    spec: &LayerSpec,
) -> Result<(crate::model::LayerId, Vec<DataError>), DataError> {
    let options = LayerOptions {
        datum: spec.datum,
        csv: spec.csv.clone(),
        extent: spec.extent,
        ..LayerOptions::default()
    };
    insert(atlas, spec, load(&spec.path, &options)?)
}

/// Adds a layer read (by [`load`], perhaps in the background) to the atlas on top, in the
/// spec's style; refused when it has no feature with a position.
pub fn insert(
    atlas: &mut crate::model::Atlas,
    spec: &LayerSpec,
    loaded: LoadedLayer,
) -> Result<(crate::model::LayerId, Vec<DataError>), DataError> {
    if loaded.features.is_empty() {
        let mut why = crate::model::Text::new("没有带位置的要素", "has no feature with a position");
        if let Some(first) = loaded.problems.first() {
            why.zh
                .push_str(&format!("：{}", first.problem_in(crate::model::Lang::Zh)));
            why.en
                .push_str(&format!(": {}", first.problem_in(crate::model::Lang::En)));
        }
        return Err(DataError::new(&spec.path.display().to_string(), why));
    }
    let mut info = loaded.info;
    info.csv = spec.csv.clone();
    let category = spec.style.as_ref().and_then(|s| s.category_field.clone());
    // A new layer with names is labelled by them, as Google Earth shows a KML's placemarks.
    let named_by = info.name_field.and_then(|i| info.fields.get(i)).cloned();
    info.style = spec.style.clone().unwrap_or_else(|| UserStyle {
        label_field: named_by,
        ..UserStyle::nth(atlas.user_layers().count())
    });
    let id = atlas.add_user_layer(info, loaded.features);
    atlas.categorise(id, category);
    Ok((id, loaded.problems))
}

/// The head of a table, for its preview: the columns found (or chosen in `options`) and the
/// first rows. Only the first 256 kB are read, so that a big file previews at once.
pub fn preview_table(path: &Path, options: &CsvOptions) -> Result<CsvColumns, DataError> {
    use std::io::Read as _;
    if format_of(path) == Some(UserFormat::Excel) {
        return excel::preview(path, options);
    }
    let origin = path.display().to_string();
    let fail = |problem: crate::geodata::Problem| DataError::new(&origin, problem);
    let cannot = |error: std::io::Error| crate::geodata::Problem::CannotRead {
        error: error.to_string(),
    };
    let file = std::fs::File::open(path).map_err(|error| {
        fail(match error.kind() {
            std::io::ErrorKind::NotFound => crate::geodata::Problem::FileMissing,
            _ => cannot(error),
        })
    })?;
    let mut head = Vec::new();
    file.take(256 * 1024)
        .read_to_end(&mut head)
        .map_err(|error| fail(cannot(error)))?;
    // Whole lines only: a character cut at the end would make GBK look like something else.
    if head.len() == 256 * 1024
        && let Some(end) = head.iter().rposition(|&b| b == b'\n')
    {
        head.truncate(end + 1);
    }
    let decoded = super::read::decode::decode(head).map_err(fail)?;
    sniff_columns(&decoded.text, options).map_err(|problem| DataError::new(&origin, problem))
}

/// What the panel calls a file or table being read: its file name, or a database table's
/// `schema.table`.
pub fn short_name(path: &Path) -> String {
    if let Some(address) = path
        .to_str()
        .filter(|t| postgis::is_address(t))
        .and_then(|t| postgis::Address::parse(t).ok())
    {
        return address.table_name();
    }
    if let Some(address) = path
        .to_str()
        .filter(|t| service::is_address(t))
        .and_then(|t| service::Address::parse(t).ok())
    {
        return address.short_name();
    }
    if let (_, Some(table)) = geopackage::split(path) {
        return table;
    }
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Whether `path` is a server's address — a PostGIS table's or a feature service's — rather
/// than a file: read within the view, refreshed, retried.
pub fn is_remote_address(path: &Path) -> bool {
    postgis::is_address_path(path) || path.to_str().is_some_and(service::is_address)
}

/// The format a file is read as, from its extension (a database address: PostGIS).
pub fn format_of(path: &Path) -> Option<UserFormat> {
    if postgis::is_address_path(path) {
        return Some(UserFormat::PostGis);
    }
    if let Some(text) = path.to_str().filter(|t| service::is_address(t)) {
        return Some(match service::Address::parse(text).map(|a| a.protocol) {
            Ok(service::Protocol::Wfs) => UserFormat::Wfs,
            _ => UserFormat::OgcApi,
        });
    }
    match super::kinds::file_type(&geopackage::split(path).0)?.kind {
        super::FileKind::Layer(format) => Some(format),
        _ => None,
    }
}

/// What a layer read for the view (a database's, a big GeoPackage table) reads when no view
/// is given: the atlas's region.
pub fn region() -> geo::Rect {
    geo::Rect::new(
        geo::coord! { x: 97.0, y: 26.0 },
        geo::coord! { x: 112.0, y: 35.0 },
    )
}

/// The layers a spec stands for: a GeoPackage given without a table is each of its feature
/// tables (as QGIS adds a GeoPackage's layers); anything else, itself.
pub fn expand(spec: &LayerSpec) -> Vec<LayerSpec> {
    if format_of(&spec.path) != Some(UserFormat::GeoPackage)
        || geopackage::split(&spec.path).1.is_some()
    {
        return vec![spec.clone()];
    }
    match geopackage::tables(&spec.path) {
        Ok(tables) if tables.len() > 1 => tables
            .iter()
            .map(|table| LayerSpec {
                path: geopackage::table_path(&spec.path, &table.name),
                ..spec.clone()
            })
            .collect(),
        // One table, or an error said when it is read.
        _ => vec![spec.clone()],
    }
}

/// Reads a user's file as a layer. The error names the file and says why it could not be
/// read at all.
pub fn load(path: &Path, options: &LayerOptions) -> Result<LoadedLayer, DataError> {
    let origin = path.display().to_string();
    let format = format_of(path).ok_or_else(|| {
        let extensions = super::kinds::extensions_of(super::FileKind::is_layer);
        DataError::new(
            &origin,
            crate::model::Text::new(
                format!(
                    "不是本图集能读取的图层（{}：.{}）",
                    super::kinds::layer_format_names(),
                    extensions.join("、.")
                ),
                format!(
                    "is not a layer the atlas reads ({}: .{})",
                    super::kinds::layer_format_names(),
                    extensions.join(", .")
                ),
            ),
        )
    })?;
    let mut name = None;
    let mut offline = None;
    let mut by_view = None;
    let mut read = if format == UserFormat::Shapefile {
        self::shapefile::read(path, &origin, super::read::MAX_FILE_BYTES)?
    } else if format == UserFormat::PostGis {
        let address =
            postgis::Address::parse(&origin).map_err(|problem| DataError::new(&origin, problem))?;
        name = Some(address.table_name());
        postgis::read(&address, &origin, options)?
    } else if format == UserFormat::Excel {
        excel::read(path, &origin, &options.csv, options.progress.as_deref())?
    } else if format == UserFormat::GeoPackage {
        let (file, table) = geopackage::split(path);
        let (read, table, within) =
            geopackage::read(&file, table.as_deref(), &origin, options.extent)?;
        name = Some(table);
        by_view = within;
        read
    } else if matches!(format, UserFormat::OgcApi | UserFormat::Wfs) {
        let address =
            service::Address::parse(&origin).map_err(|problem| DataError::new(&origin, problem))?;
        name = Some(address.short_name());
        let cache = options.cache.clone().or_else(crate::paths::cache_dir);
        let read = service::read(&address, &origin, options, cache.as_deref())?;
        offline = read.offline;
        read.read
    } else {
        read_text_layer(path, &origin, format, options)?
    };
    let datum = options.datum.or(read.datum).unwrap_or_default();
    let name = name.unwrap_or_else(|| {
        path.file_stem()
            .map(|stem| stem.to_string_lossy().into_owned())
            .unwrap_or_else(|| origin.clone())
    });
    let mut info = UserLayer::new(name, path.to_path_buf(), format, datum);
    info.fields = std::mem::take(&mut read.fields);
    info.name_field = read.name_field;
    info.system = read.system.take();
    info.notes = std::mem::take(&mut read.notes);
    info.altered = read.altered;
    info.style = UserStyle::default();
    let features: Features = match read.table.take() {
        Some(mut table) => {
            if !datum.is_wgs84() {
                table.convert(|x, y| datum.to_wgs84(x, y));
            }
            table.set_name_column(info.name_field);
            table.into()
        }
        None => std::mem::take(&mut read.rows)
            .into_iter()
            .map(|row| feature(row, info.name_field, datum))
            .collect(),
    };
    info.set_geometry_kind(&features);
    info.by_view = by_view.is_some();
    if info.is_remote() {
        info.read_within = by_view.or(options.extent);
        info.read_at = Some(std::time::Instant::now());
        info.stale = offline;
    }
    Ok(LoadedLayer {
        info,
        features,
        problems: read.problems,
    })
}

/// A layer from a text file: GeoJSON, a table or KML (a KMZ unpacked first).
fn read_text_layer(
    path: &Path,
    origin: &str,
    format: UserFormat,
    options: &LayerOptions,
) -> Result<Read, DataError> {
    let kmz = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("kmz"));
    if format == UserFormat::GeoJson
        && let Some(read) = geojson::read_streamed(path, origin)
    {
        return read;
    }
    if format == UserFormat::Csv
        && let Some(read) =
            csv::read_streamed(path, origin, &options.csv, options.progress.as_deref())
    {
        return read;
    }
    let (text, encoding) = if kmz {
        let bytes =
            super::read::read_bytes(path).map_err(|problem| DataError::new(origin, problem))?;
        let kml = kml::unpack_kmz(&bytes, super::read::MAX_FILE_BYTES)
            .map_err(|problem| DataError::new(origin, problem))?;
        let decoded =
            super::read::decode::decode(kml).map_err(|problem| DataError::new(origin, problem))?;
        (decoded.text, decoded.encoding)
    } else {
        super::read::read_text(path).map_err(|problem| DataError::new(origin, problem))?
    };
    let mut read = match format {
        UserFormat::GeoJson => geojson::read(text, origin)?,
        UserFormat::Csv => {
            self::csv::read(&text, origin, &options.csv, options.progress.as_deref())?
        }
        UserFormat::Kml => kml::read(&text, origin)?,
        // Read from its parts' bytes or a database by `load`, never as one text.
        UserFormat::Shapefile
        | UserFormat::PostGis
        | UserFormat::OgcApi
        | UserFormat::Wfs
        | UserFormat::Excel
        | UserFormat::GeoPackage => {
            return Err(DataError::new(
                origin,
                crate::model::Text::new("Shapefile 不是文本文件", "a Shapefile is not a text file"),
            ));
        }
    };
    if let Some(encoding) = encoding {
        read.notes.insert(
            0,
            crate::model::Text::new(
                format!("按 {encoding} 编码读取"),
                format!("read as {encoding}"),
            ),
        );
    }
    Ok(read)
}

/// What a format's reader hands back: fields, rows (with geometry in the file's datum), the
/// field that names the features, the datum the file says it is in, notes and problems.
#[derive(Debug)]
struct Read {
    fields: Vec<String>,
    rows: Vec<Row>,
    /// A table's points kept as columns (the rows then are none), in the file's datum.
    table: Option<PointTable>,
    name_field: Option<usize>,
    datum: Option<Datum>,
    /// The coordinate system the file names, where it names one (a Shapefile's .prj).
    system: Option<String>,
    notes: Vec<crate::model::Text>,
    /// Whether the reader changed or left out some of the data (exchanged columns, features
    /// without a position, links not followed): a note says what.
    altered: bool,
    problems: Vec<DataError>,
}

#[cfg(test)]
impl Read {
    /// Its rows, whether kept as rows or as a table's columns.
    fn all_rows(&self) -> Vec<Row> {
        match &self.table {
            Some(table) => table.rows(),
            None => self.rows.clone(),
        }
    }
}

/// One feature as read: its id, its field values and its geometry (in the file's datum), not
/// yet named. A [`Feature`] already, so that a million rows become features where they lie
/// (see [`feature`]), never held twice.
type Row = Feature;

/// A row of `id`, `values` and `geometry`.
fn row(id: String, values: Values, geometry: Shape) -> Row {
    Feature {
        id,
        name: Text::default(),
        label: Text::default(),
        label_point: None,
        rank: 4,
        kind: FeatureKind::User(UserFeature { values }),
        shape: geometry,
    }
}

/// A row's values, to fill in.
fn values_mut(row: &mut Row) -> Option<&mut Values> {
    match &mut row.kind {
        FeatureKind::User(user) => Some(&mut user.values),
        _ => None,
    }
}

/// A geometry from its WKB (2D, Z, M or ZM; Z and M dropped), as PostGIS sends it and a
/// GeoPackage stores it after its header; `None` when it is empty.
pub(crate) fn wkb_geometry(bytes: &[u8]) -> Result<Option<geo::Geometry>, String> {
    use geo::CoordsIter as _;
    use geo_traits::to_geo::ToGeoGeometry as _;
    if let Some(geometry) = crate::geodata::read::wkb::flat(bytes) {
        return Ok(Some(geometry).filter(|g| g.coords_count() > 0));
    }
    let read = wkb::reader::read_wkb(bytes).map_err(|error| error.to_string())?;
    Ok(read.try_to_geometry().filter(|g| g.coords_count() > 0))
}

/// The fields of a sketch layer, drawn in the window.
pub const SKETCH_FIELDS: [&str; 2] = ["name", "description"];

/// A sketch layer, empty, to draw into: its features have [`SKETCH_FIELDS`], named by the
/// first, in the `number`th colour of the user's layers.
pub fn sketch_layer(title: &str, number: usize) -> UserLayer {
    let mut info = UserLayer::new(
        title.to_string(),
        std::path::PathBuf::from(format!("{title}.geojson")),
        UserFormat::GeoJson,
        Datum::Wgs84,
    );
    info.fields = SKETCH_FIELDS.iter().map(|f| f.to_string()).collect();
    info.name_field = Some(0);
    info.style = UserStyle {
        label_field: Some(SKETCH_FIELDS[0].to_string()),
        ..UserStyle::nth(number)
    };
    info.drawn = true;
    info.sketch = true;
    info.editable = true;
    info
}

/// A shape drawn in the window, as a feature of `layer` named `name` (in its name field,
/// where it has one; its other fields empty).
pub fn drawn_feature(layer: &UserLayer, name: &str, shape: Shape) -> Feature {
    let mut values = vec![String::new(); layer.fields.len()];
    if let Some(slot) = layer.name_field.and_then(|field| values.get_mut(field)) {
        *slot = name.to_string();
    }
    let row = row(name.to_string(), Values::new(&values), shape);
    feature(row, layer.name_field, Datum::Wgs84)
}

/// A feature of `layer` as an edit journal kept it: its id, its values (one a field of the
/// layer) and its shape, in WGS-84.
pub fn restored_feature(layer: &UserLayer, id: &str, values: Vec<String>, shape: Shape) -> Feature {
    let row = row(id.to_string(), Values::new(&values), shape);
    feature(row, layer.name_field, Datum::Wgs84)
}

/// A drawn feature made a note: 16-point text, near-black, on a white halo (its layer has the
/// note's fields: see [`crate::model::user::NOTE_SIZE`]).
pub fn make_note(layer: &UserLayer, feature: &mut Feature) {
    use crate::model::user::{NOTE_COLOR, NOTE_HALO, NOTE_SIZE};
    let FeatureKind::User(user) = &mut feature.kind else {
        return;
    };
    user.values.resize(layer.fields.len());
    for (field, value) in [
        (NOTE_SIZE, "16"),
        (NOTE_COLOR, "#1b1b1f"),
        (NOTE_HALO, "#ffffff"),
    ] {
        if let Some(column) = layer.field_index(field) {
            user.values.set(column, value);
        }
    }
}

/// A drawn feature made a placemark: in the layer's colour (its own from then on, to change
/// in its form) and its symbol.
pub fn make_placemark(layer: &UserLayer, feature: &mut Feature) {
    use crate::model::user::{MARKER_COLOR, MARKER_SYMBOL};
    let FeatureKind::User(user) = &mut feature.kind else {
        return;
    };
    user.values.resize(layer.fields.len());
    let [r, g, b] = layer.style.color;
    for (field, value) in [
        (MARKER_COLOR, format!("#{r:02x}{g:02x}{b:02x}")),
        (MARKER_SYMBOL, layer.style.symbol.name().to_string()),
    ] {
        if let Some(column) = layer.field_index(field) {
            user.values.set(column, &value);
        }
    }
}

/// `feature` with a new shape (edited in the window): its label placed anew.
pub fn reshaped(feature: &Feature, shape: Shape) -> Feature {
    Feature {
        label_point: label_point_of(&shape),
        shape,
        ..feature.clone()
    }
}

/// `feature` with new field values (its form saved): named anew from the name field.
pub fn with_values(feature: &Feature, values: Vec<String>, name_field: Option<usize>) -> Feature {
    let row = row(
        feature.id.clone(),
        Values::new(&values),
        feature.shape.clone(),
    );
    self::feature(row, name_field, Datum::Wgs84)
}

fn label_point_of(shape: &Shape) -> Option<geo::Point> {
    match shape {
        Shape::Area(area) => area_label_point(area),
        Shape::Lines(lines) => line_label_point(lines),
        Shape::Point(point) => Some(*point),
    }
}

/// A row made a feature: named from its name field (else its id), its shape in WGS-84, its
/// label placed. By value, same type: `rows.into_iter().map(…).collect()` reuses the rows'
/// own memory.
fn feature(mut row: Row, name_field: Option<usize>, datum: Datum) -> Feature {
    let name = name_field
        .and_then(|field| row.user().and_then(|user| user.values.get(field)))
        .filter(|name| !name.trim().is_empty())
        .map_or_else(|| row.id.clone(), str::to_string);
    row.shape = to_wgs84(
        std::mem::replace(&mut row.shape, Shape::Point(Point::new(0.0, 0.0))),
        datum,
    );
    row.label_point = label_point_of(&row.shape);
    // Named once: its English and its label read as its name (see `Text::get`,
    // `Feature::label_text`), so a million rows hold one copy each, not four.
    row.name = Text::new(name, String::new());
    row.label = Text::default();
    row
}

fn to_wgs84(shape: Shape, datum: Datum) -> Shape {
    if datum.is_wgs84() {
        return shape;
    }
    let convert = |c: geo::Coord| {
        let (x, y) = datum.to_wgs84(c.x, c.y);
        geo::coord! { x: x, y: y }
    };
    match shape {
        Shape::Area(area) => Shape::Area(area.map_coords(convert)),
        Shape::Lines(lines) => Shape::Lines(lines.map_coords(convert)),
        Shape::Point(point) => Shape::Point(point.map_coords(convert)),
    }
}

/// The centre of the largest part (by its box): cheap for a file of 100 000 parcels; a label
/// of a ring-shaped area may fall in its hole.
fn area_label_point(area: &MultiPolygon) -> Option<Point> {
    use geo::{BoundingRect, Centroid};
    let box_area = |p: &geo::Polygon| p.bounding_rect().map_or(0.0, |r| r.width() * r.height());
    area.iter()
        .max_by(|a, b| box_area(a).total_cmp(&box_area(b)))
        .and_then(|largest| largest.centroid())
}

fn line_label_point(lines: &MultiLineString) -> Option<Point> {
    let longest = lines.iter().max_by_key(|line| line.0.len())?;
    longest.0.get(longest.0.len() / 2).map(|c| Point::from(*c))
}

/// Adds a feature's rows to `rows`: one a shape of `geometry` (see [`shapes`]), each with
/// the id and the values (moved into the last).
/// The rows a reader finds, kept as a table of points while every one is a point (a
/// GeoPackage's or a GeoJSON's million sites as columns, see [`PointTable`]); at the first
/// that is not, those so far and the rest as features.
struct RowSink {
    rows: Vec<Row>,
    table: Option<PointTable>,
}

impl RowSink {
    fn new(width: usize) -> Self {
        Self {
            rows: Vec::new(),
            table: Some(PointTable::identified(width)),
        }
    }

    fn push(&mut self, id: String, values: &[String], geometry: Geometry) {
        if let (Some(table), Geometry::Point(point)) = (&mut self.table, &geometry) {
            let cells: Vec<&str> = values.iter().map(String::as_str).collect();
            if table.push_identified(&id, *point, &cells) {
                return;
            }
        }
        if let Some(table) = self.table.take() {
            self.rows = table.rows();
        }
        push_rows(&mut self.rows, id, values, geometry);
    }

    /// The rows, or the table they were kept in.
    fn finish(self) -> (Vec<Row>, Option<PointTable>) {
        match self.table {
            Some(table) if !table.is_empty() => (self.rows, Some(table)),
            _ => (self.rows, None),
        }
    }
}

fn push_rows(rows: &mut Vec<Row>, id: String, values: &[String], geometry: Geometry) {
    let values = Values::new(values);
    for shape in shapes(geometry) {
        rows.push(row(id.clone(), values.clone(), shape));
    }
}

/// A geometry as the shapes a feature can have: points one by one, all lines as one, all
/// polygons as one. `None` for an empty geometry.
fn shapes(geometry: Geometry) -> Vec<Shape> {
    let mut points = Vec::new();
    let mut lines = Vec::new();
    let mut polygons = Vec::new();
    collect(geometry, &mut points, &mut lines, &mut polygons);
    // Kept as long as the layer: a lone polygon in a vector of four is 150 bytes a feature.
    polygons.shrink_to_fit();
    lines.shrink_to_fit();
    let mut shapes: Vec<Shape> = Vec::new();
    if !polygons.is_empty() {
        shapes.push(Shape::Area(MultiPolygon::new(polygons)));
    }
    if !lines.is_empty() {
        shapes.push(Shape::Lines(MultiLineString::new(lines)));
    }
    shapes.extend(points.into_iter().map(Shape::Point));
    shapes
}

fn collect(
    geometry: Geometry,
    points: &mut Vec<Point>,
    lines: &mut Vec<geo::LineString>,
    polygons: &mut Vec<geo::Polygon>,
) {
    match geometry {
        Geometry::Point(point) => points.push(point),
        Geometry::MultiPoint(multi) => points.extend(multi),
        Geometry::Line(line) => lines.push(line.into()),
        Geometry::LineString(line) => lines.push(line),
        Geometry::MultiLineString(multi) => lines.extend(multi),
        Geometry::Polygon(polygon) => polygons.push(polygon),
        Geometry::MultiPolygon(multi) => polygons.extend(multi),
        Geometry::Rect(rect) => polygons.push(rect.to_polygon()),
        Geometry::Triangle(triangle) => polygons.push(triangle.to_polygon()),
        Geometry::GeometryCollection(collection) => {
            for geometry in collection {
                collect(geometry, points, lines, polygons);
            }
        }
    }
}

/// The field that most likely names the features: a column called name/名称/…, else none.
fn name_field(fields: &[String]) -> Option<usize> {
    const NAMES: [&str; 14] = [
        "name",
        "名称",
        "name_zh",
        "name:zh",
        "名字",
        "单位名称",
        "企业名称",
        "项目名称",
        "title",
        "标题",
        "label",
        "名",
        "nom",
        "name_en",
    ];
    NAMES.iter().find_map(|wanted| {
        fields
            .iter()
            .position(|field| field.trim().eq_ignore_ascii_case(wanted))
    })
}

/// The datum a field name or a file's metadata mentions (lng_gcj02, 百度经度, …).
fn datum_named(text: &str) -> Option<Datum> {
    let lower = text.to_lowercase();
    if lower.contains("gcj") || text.contains("高德") || text.contains("火星") {
        Some(Datum::Gcj02)
    } else if lower.contains("bd09") || lower.contains("baidu") || text.contains("百度") {
        Some(Datum::Bd09)
    } else if lower.contains("wgs") || lower.contains("cgcs") {
        Some(Datum::Wgs84)
    } else {
        None
    }
}

#[cfg(test)]
mod row_sink_tests {
    use super::*;

    fn pushed(geometries: &[Geometry]) -> (Vec<Row>, Option<PointTable>) {
        let mut sink = RowSink::new(2);
        for (i, geometry) in geometries.iter().enumerate() {
            let values = [format!("name {i}"), format!("{i}.50")];
            sink.push(format!("f{i}"), &values, geometry.clone());
        }
        sink.finish()
    }

    fn as_rows(geometries: &[Geometry]) -> Vec<Row> {
        let mut rows = Vec::new();
        for (i, geometry) in geometries.iter().enumerate() {
            let values = [format!("name {i}"), format!("{i}.50")];
            push_rows(&mut rows, format!("f{i}"), &values, geometry.clone());
        }
        rows
    }

    /// Points are kept as a table and read back as the rows they stand for; a line among them
    /// turns the table into rows, those before it first, in order.
    #[test]
    fn points_are_kept_as_a_table_until_a_shape_that_is_not_one() {
        let point = |x: f64| Geometry::Point(geo::Point::new(106.0 + x, 29.5));
        let points: Vec<Geometry> = (0..4).map(|i| point(f64::from(i) * 0.1)).collect();
        let (rows, table) = pushed(&points);
        let table = table.expect("a table");
        assert!(rows.is_empty());
        let made: Vec<Row> = table.rows();
        let expected: Vec<Row> = as_rows(&points)
            .into_iter()
            .map(|mut row| {
                row.name = Text::new(row.id.clone(), String::new());
                row.label_point = match row.shape {
                    Shape::Point(p) => Some(p),
                    _ => None,
                };
                row
            })
            .collect();
        assert_eq!(made, expected);
        let mut mixed = points.clone();
        let line = geo::LineString::from(vec![(106.0, 29.0), (106.1, 29.1)]);
        mixed.insert(2, Geometry::LineString(line));
        let (rows, table) = pushed(&mixed);
        assert!(table.is_none());
        let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, ["f0", "f1", "f2", "f3", "f4"]);
        assert!(matches!(rows[2].shape, Shape::Lines(_)));
        assert_eq!(
            rows[1].user().expect("values").values,
            Values::new(&["name 1", "1.50"])
        );
    }
}
