//! A table (CSV, TSV, semicolon- or bar-separated) as a layer of points, or of any geometry
//! when a column holds WKT. The delimiter is sniffed; the coordinate columns are found by name
//! (lon/lng/longitude/x/经度, lat/latitude/y/纬度) or chosen by the user; columns whose values
//! look exchanged (latitudes where longitudes should be) are swapped and said. A row whose
//! coordinates are missing, not numbers or out of range is reported by its line; the others
//! load.

use crate::geodata::Problem;
use geo::Geometry;
use wkt::TryFromWkt;

use super::{Read, Row, datum_named, name_field, row};
use crate::geodata::DataError;
use crate::geodata::fault::{Fault, nothing, same};
use crate::geodata::read::Problems;
use crate::model::Shape;
use crate::model::Text;
use crate::model::table::PointTable;
use crate::model::user::Values;

pub use crate::model::user::CsvOptions;

/// What a table's first rows say: its delimiter, header, the columns found for coordinates
/// and whether they look exchanged; and a few rows for a preview.
#[derive(Debug, Clone, PartialEq)]
pub struct CsvColumns {
    pub delimiter: u8,
    pub headers: Vec<String>,
    pub lon: Option<usize>,
    pub lat: Option<usize>,
    pub wkt: Option<usize>,
    /// The longitude column holds latitudes and the other way round (in most sampled rows).
    pub swapped: bool,
    pub sample: Vec<Vec<String>>,
    /// A workbook's sheets, in its order (empty for a text table).
    pub sheets: Vec<String>,
    /// The sheet read, for a workbook.
    pub sheet: Option<String>,
    /// The header's row in the file, from 1 (a sheet's title rows above it skipped).
    pub header_row: usize,
}

/// Rows looked at to sniff the delimiter and the columns.
const SAMPLE_ROWS: usize = 50;

/// Reads the header and the first rows; the columns as chosen in `options` or detected.
pub fn sniff_columns(text: &str, options: &CsvOptions) -> Result<CsvColumns, Problem> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(Problem::TableEmpty);
    }
    let delimiter = sniff_delimiter(text);
    let mut reader = reader(text, delimiter);
    let headers: Vec<String> = reader
        .headers()
        .map_err(|error| Problem::HeaderUnreadable {
            error: error.to_string(),
        })?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let sample: Vec<Vec<String>> = reader
        .records()
        .take(SAMPLE_ROWS)
        .filter_map(Result::ok)
        .map(|record| record.iter().map(str::to_string).collect())
        .collect();
    columns_of(delimiter, headers, sample, options)
}

/// The coordinate columns of a table (a CSV's or a sheet's) found from its header and first
/// rows, or as chosen in `options`.
pub(super) fn columns_of(
    delimiter: u8,
    headers: Vec<String>,
    sample: Vec<Vec<String>>,
    options: &CsvOptions,
) -> Result<CsvColumns, Problem> {
    let chosen = |name: &Option<String>| -> Result<Option<usize>, Problem> {
        match name {
            None => Ok(None),
            Some(name) => headers
                .iter()
                .position(|h| h == name)
                .map(Some)
                .ok_or_else(|| Problem::NoSuchColumn { name: name.clone() }),
        }
    };
    let mut lon = chosen(&options.lon)?.or_else(|| find_column(&headers, &LON_NAMES, &["经度"]));
    let mut lat = chosen(&options.lat)?.or_else(|| find_column(&headers, &LAT_NAMES, &["纬度"]));
    if lon == lat {
        lat = None;
    }
    let wkt = chosen(&options.wkt)?.or_else(|| {
        (lon.is_none() || lat.is_none())
            .then(|| wkt_column(&headers, &sample))
            .flatten()
    });
    if wkt.is_some() && (options.lon.is_none() || options.lat.is_none()) {
        lon = lon.filter(|_| options.lon.is_some());
        lat = lat.filter(|_| options.lat.is_some());
    }
    let swapped = match (lon, lat) {
        (Some(lon), Some(lat)) => look_swapped(&sample, lon, lat),
        _ => false,
    };
    Ok(CsvColumns {
        delimiter,
        headers,
        lon,
        lat,
        wkt,
        swapped,
        sample,
        sheets: Vec::new(),
        sheet: None,
        header_row: 1,
    })
}

/// The longitude and latitude columns a table's header names, if it names both.
pub(crate) fn coordinate_columns(headers: &[String]) -> Option<(usize, usize)> {
    let lon = find_column(headers, &LON_NAMES, &["经度"])?;
    let lat = find_column(headers, &LAT_NAMES, &["纬度"])?;
    (lon != lat).then_some((lon, lat))
}

const LON_NAMES: [&str; 9] = [
    "lon",
    "lng",
    "long",
    "longitude",
    "x",
    "point_x",
    "xcoord",
    "lon_wgs84",
    "经度",
];
const LAT_NAMES: [&str; 8] = [
    "lat",
    "latitude",
    "y",
    "point_y",
    "ycoord",
    "lat_wgs84",
    "纬度",
    "维度",
];

/// A column named as one of `names` (any case), else one with a word from them (lng_gcj02,
/// gcj_lng) or containing a Chinese term (百度经度).
fn find_column(headers: &[String], names: &[&str], terms: &[&str]) -> Option<usize> {
    let lower: Vec<String> = headers.iter().map(|h| h.to_lowercase()).collect();
    if let Some(found) = lower.iter().position(|h| names.contains(&h.as_str())) {
        return Some(found);
    }
    let words = ["lon", "lng", "longitude", "lat", "latitude"];
    lower.iter().position(|header| {
        header
            .split(|c: char| !c.is_ascii_alphanumeric())
            .any(|word| words.contains(&word) && names.contains(&word))
            || terms.iter().any(|term| header.contains(term))
    })
}

fn wkt_column(headers: &[String], sample: &[Vec<String>]) -> Option<usize> {
    const NAMES: [&str; 6] = ["wkt", "geometry", "geom", "the_geom", "shape", "几何"];
    let by_name = headers
        .iter()
        .position(|h| NAMES.contains(&h.to_lowercase().as_str()));
    by_name.or_else(|| {
        let first = sample.first()?;
        first.iter().position(|value| looks_like_wkt(value))
    })
}

fn looks_like_wkt(value: &str) -> bool {
    let upper = value.trim_start().to_ascii_uppercase();
    [
        "POINT",
        "LINESTRING",
        "POLYGON",
        "MULTIPOINT",
        "MULTILINESTRING",
        "MULTIPOLYGON",
        "GEOMETRYCOLLECTION",
    ]
    .iter()
    .any(|kind| upper.starts_with(kind))
}

/// Whether most sampled rows have a latitude in the longitude column and a longitude in the
/// latitude column: an impossible latitude (past ±90°), or, in this region, values that fit
/// the other way round only (longitudes 95–115°E, latitudes 20–36°N).
fn look_swapped(sample: &[Vec<String>], lon: usize, lat: usize) -> bool {
    let mut swapped = 0;
    let mut counted = 0;
    for row in sample {
        let (Some(x), Some(y)) = (number(row.get(lon)), number(row.get(lat))) else {
            continue;
        };
        counted += 1;
        let impossible = y.abs() > 90.0 && x.abs() <= 90.0;
        let regional = (20.0..=36.0).contains(&x) && (95.0..=115.0).contains(&y);
        if impossible || regional {
            swapped += 1;
        }
    }
    counted > 0 && swapped * 2 > counted
}

fn number(value: Option<&String>) -> Option<f64> {
    parse_number(value?).ok()
}

/// A coordinate as written: a decimal number, perhaps with a degree sign.
fn parse_number(text: &str) -> Result<f64, ()> {
    let text = text.trim().trim_end_matches('°').trim();
    text.parse::<f64>().ok().filter(|v| v.is_finite()).ok_or(())
}

/// The delimiter that splits the first lines into the same number of fields, the most fields.
fn sniff_delimiter(text: &str) -> u8 {
    let head: String = text.lines().take(20).collect::<Vec<_>>().join("\n");
    let mut best = (b',', 1usize);
    for delimiter in [b',', b'\t', b';', b'|'] {
        let mut reader = ::csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(head.as_bytes());
        let counts: Vec<usize> = reader
            .records()
            .filter_map(Result::ok)
            .map(|r| r.len())
            .collect();
        let Some(&first) = counts.first() else {
            continue;
        };
        let consistent = counts.iter().filter(|&&c| c == first).count() * 10 >= counts.len() * 9;
        if consistent && first > best.1 {
            best = (delimiter, first);
        }
    }
    best.0
}

fn reader(text: &str, delimiter: u8) -> ::csv::Reader<&[u8]> {
    ::csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(true)
        .flexible(true)
        .from_reader(text.as_bytes())
}

/// Records read before the rest are counted from their length.
const ESTIMATE_AFTER: usize = 1024;

pub(super) fn read(
    text: &str,
    origin: &str,
    options: &CsvOptions,
    progress: Option<&super::Progress>,
) -> Result<Read, DataError> {
    let columns = sniff_columns(text, options).map_err(|p| DataError::new(origin, p))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let records = reader(text, columns.delimiter);
    let total = text.len() as u64;
    read_records(records, total, &columns, options, origin, progress)?.ok_or_else(|| {
        let error = "not UTF-8".to_string();
        DataError::new(origin, Problem::CannotRead { error })
    })
}

/// The bytes of a file's head in which its delimiter and columns are found when it is read
/// as it streams.
const HEAD_BYTES: u64 = 256 * 1024;

/// A UTF-8 CSV read as it streams from its file, never held whole (a 50 MB table is not kept
/// beside its rows); `None` when it is not plainly UTF-8 (UTF-16, GBK, a byte that is not
/// UTF-8 anywhere in it): then it is read whole, decoded as [`read`] does.
pub(super) fn read_streamed(
    path: &std::path::Path,
    origin: &str,
    options: &CsvOptions,
    progress: Option<&super::Progress>,
) -> Option<Result<Read, DataError>> {
    use std::io::{BufRead as _, Read as _, Seek as _};
    let failed = |problem: Problem| Some(Err(DataError::new(origin, problem)));
    let mut file = match crate::geodata::read::open_checked(path) {
        Ok(file) => file,
        Err(problem) => return failed(problem),
    };
    let total = file.metadata().map_or(0, |m| m.len());
    let mut head = Vec::new();
    (&mut file).take(HEAD_BYTES).read_to_end(&mut head).ok()?;
    // Whole lines only (a newline is never inside a UTF-8 character).
    if head.len() as u64 == HEAD_BYTES {
        let end = head.iter().rposition(|&b| b == b'\n')?;
        head.truncate(end + 1);
    }
    let bom = head.starts_with(b"\xEF\xBB\xBF");
    let decoded = crate::geodata::read::decode::decode(head).ok()?;
    if decoded.encoding.is_some() {
        return None;
    }
    let columns = match sniff_columns(&decoded.text, options) {
        Ok(columns) => columns,
        Err(problem) => return failed(problem),
    };
    drop(decoded);
    file.rewind().ok()?;
    let mut file = std::io::BufReader::with_capacity(1 << 20, file);
    if bom {
        file.consume(3);
    }
    let records = ::csv::ReaderBuilder::new()
        .delimiter(columns.delimiter)
        .has_headers(true)
        .flexible(true)
        .from_reader(file);
    read_records(records, total, &columns, options, origin, progress).transpose()
}

/// A table's records read into features (rows, or a table of points) with the columns
/// found; `None` when a record is not UTF-8.
fn read_records<R: std::io::Read>(
    mut reader: ::csv::Reader<R>,
    total: u64,
    columns: &CsvColumns,
    options: &CsvOptions,
    origin: &str,
    progress: Option<&super::Progress>,
) -> Result<Option<Read>, DataError> {
    let mut table = TableRows::new(columns, options, origin)?;
    for (index, record) in reader.byte_records().enumerate() {
        if let Some(progress) = progress
            && index % 4096 == 0
        {
            if progress.is_cancelled() {
                return Err(DataError::new(origin, super::cancelled()));
            }
            let done = record
                .as_ref()
                .ok()
                .and_then(|r| r.position())
                .map_or(0, |p| p.byte());
            progress.set(done, total);
        }
        let record = match record {
            Ok(record) => record,
            Err(error) => {
                let line = error.position().map_or(index + 2, |p| p.line() as usize);
                table.problem(index, line, Fault::RowUnreadable, same(error.to_string()));
                continue;
            }
        };
        let Ok(fields) = record
            .iter()
            .map(std::str::from_utf8)
            .collect::<Result<Vec<&str>, _>>()
        else {
            return Ok(None);
        };
        let line = record.position().map_or(index + 2, |p| p.line() as usize);
        if index == ESTIMATE_AFTER
            && let Some(at) = record.position()
        {
            // The rows to come, judged by the first ones' length: the layer's rows are held
            // once, not doubled by a growing vector's copies (a million features are 200 MB).
            let per_row = at.byte().max(1) as f64 / (index + 1) as f64;
            table.expect((total as f64 / per_row * 1.02) as usize + 64);
        }
        table.push(index, line, fields, |_| None);
    }
    let mut read = table.finish(origin);
    if columns.delimiter != b',' {
        let (zh, en) = match columns.delimiter {
            b'\t' => ("字段以制表符分隔", "fields separated by tabs"),
            b';' => ("字段以分号分隔", "fields separated by semicolons"),
            _ => ("字段以竖线分隔", "fields separated by bars"),
        };
        read.notes.push(Text::new(zh, en));
    }
    Ok(Some(read))
}

/// The rows of a table (a CSV's records, a sheet's rows) made features by the columns found:
/// a point from the longitude and latitude columns, or the geometry of the WKT column.
pub(super) struct TableRows {
    headers: Vec<String>,
    lon: Option<usize>,
    lat: Option<usize>,
    wkt: Option<usize>,
    id_column: Option<usize>,
    notes: Vec<Text>,
    altered: bool,
    problems: Problems,
    rows: Vec<Row>,
    /// The points of a table with coordinate columns, kept as columns (see [`PointTable`]);
    /// `None` for a WKT column, or after a column grew past what a table holds.
    table: Option<PointTable>,
}

impl TableRows {
    /// Decides the coordinate columns (the user's swap, else the values') and says them.
    pub(super) fn new(
        columns: &CsvColumns,
        options: &CsvOptions,
        origin: &str,
    ) -> Result<Self, DataError> {
        let mut notes = Vec::new();
        // Exchanged by their values, not by the user's word.
        let altered = columns.wkt.is_none() && options.swap.is_none() && columns.swapped;
        let (lon, lat) = match (columns.lon, columns.lat, columns.wkt) {
            (_, _, Some(wkt)) => {
                let column = &columns.headers[wkt];
                notes.push(Text::new(
                    format!("几何取自列 `{column}`（WKT）"),
                    format!("geometry from column `{column}` (WKT)"),
                ));
                (None, None)
            }
            (Some(lon), Some(lat), None) => {
                let swap = options.swap.unwrap_or(columns.swapped);
                let (lon, lat) = if swap { (lat, lon) } else { (lon, lat) };
                let (lon_name, lat_name) = (&columns.headers[lon], &columns.headers[lat]);
                notes.push(super::notes::coordinate_columns(lon_name, lat_name, swap));
                (Some(lon), Some(lat))
            }
            _ => {
                return Err(DataError::new(
                    origin,
                    Problem::NoCoordinateColumns {
                        columns: columns.headers.clone(),
                    },
                ));
            }
        };
        let id_column = columns
            .headers
            .iter()
            .position(|h| matches!(h.to_lowercase().as_str(), "id" | "fid" | "编号" | "序号"));
        Ok(Self {
            headers: columns.headers.clone(),
            lon,
            lat,
            wkt: columns.wkt,
            id_column,
            notes,
            altered,
            problems: Problems::for_rows(),
            rows: Vec::new(),
            table: (lon.is_some() && lat.is_some())
                .then(|| PointTable::new(columns.headers.len(), id_column)),
        })
    }

    /// About `rows` rows are to come: room is made for them at once (at most Excel's
    /// 1 048 576 more than there are, so that a wrong guess costs little).
    pub(super) fn expect(&mut self, rows: usize) {
        match &mut self.table {
            Some(table) => table.reserve(rows.min(1 << 20).saturating_sub(table.len())),
            None => self
                .rows
                .reserve_exact(rows.min(1 << 20).saturating_sub(self.rows.len())),
        }
    }

    pub(super) fn problem(&mut self, index: usize, line: usize, fault: Fault, detail: Text) {
        self.problems.feature(index, None, line, fault, detail);
    }

    /// Row `index` (at `line` of the file): a feature, or a problem said with `cell`'s name for
    /// a column (a sheet's `B17`) where it has one. A blank row is passed over.
    pub(super) fn push<F: AsRef<str> + Into<String>>(
        &mut self,
        index: usize,
        line: usize,
        record: Vec<F>,
        cell: impl Fn(usize) -> Option<String>,
    ) {
        let field = |i: usize| record.get(i).map(AsRef::as_ref);
        if record.iter().all(|f| f.as_ref().trim().is_empty()) {
            return;
        }
        let geometry = match (self.lon, self.lat, self.wkt) {
            (Some(lon), Some(lat), _) => point(field(lon), field(lat)),
            (_, _, Some(wkt)) => wkt_geometry(field(wkt).unwrap_or("")),
            _ => unreachable!("columns checked when made"),
        };
        let geometry = match geometry {
            Ok(geometry) => geometry,
            Err((kind, detail)) => {
                // Where the coordinates are: the cells of the columns read (the empty ones,
                // when they are missing).
                let missing = kind == Fault::CoordinatesMissing;
                let cells: Vec<String> = [self.wkt, self.lon, self.lat]
                    .into_iter()
                    .flatten()
                    .filter(|&c| !missing || field(c).is_none_or(|v| v.trim().is_empty()))
                    .filter_map(&cell)
                    .collect();
                let detail = if cells.is_empty() {
                    detail
                } else {
                    let at = cells.join(", ");
                    let joined = |words: &str| {
                        if words.is_empty() {
                            at.clone()
                        } else {
                            format!("{at}: {words}")
                        }
                    };
                    Text::new(joined(&detail.zh), joined(&detail.en))
                };
                self.problem(index, line, kind, detail);
                return;
            }
        };
        let width = self.headers.len();
        if let (Some(table), Shape::Point(point)) = (&mut self.table, &geometry) {
            let cells: Vec<&str> = (0..width).map(|i| field(i).unwrap_or_default()).collect();
            if table.push(line, *point, &cells) {
                return;
            }
            // A column past what a table holds: its rows so far, and the rest, as features.
            self.rows = table.rows();
            self.table = None;
        }
        // Packed straight from the record's fields (the row as long as the header).
        let values: Values = (0..width).map(|i| field(i).unwrap_or_default()).collect();
        let id = self
            .id_column
            .and_then(|c| values.get(c))
            .filter(|id| !id.is_empty())
            .map_or_else(|| format!("row {line}"), str::to_string);
        self.rows.push(row(id, values, geometry));
    }

    /// The layer read: its fields, features, the datum a column's name says, notes, problems.
    pub(super) fn finish(self, origin: &str) -> Read {
        let mut notes = self.notes;
        let datum = self
            .lon
            .and_then(|c| datum_named(&self.headers[c]))
            .or_else(|| self.wkt.and_then(|c| datum_named(&self.headers[c])));
        if let (Some(datum), Some(lon)) = (datum, self.lon) {
            let column = &self.headers[lon];
            notes.push(Text::new(
                format!("坐标系为 {}（列 `{column}` 如此标明）", datum.name()),
                format!(
                    "coordinates in {} (the column `{column}` says so)",
                    datum.name()
                ),
            ));
        }
        let problems = crate::geodata::grouped_errors(origin, &self.problems);
        Read {
            system: None,
            name_field: name_field(&self.headers),
            fields: self.headers,
            rows: self.rows,
            table: self.table,
            datum,
            notes,
            altered: self.altered,
            problems,
        }
    }
}

type RowProblem = (Fault, Text);

fn point(lon: Option<&str>, lat: Option<&str>) -> Result<Shape, RowProblem> {
    let (lon, lat) = match (lon.map(str::trim), lat.map(str::trim)) {
        (Some(lon), Some(lat)) if !lon.is_empty() && !lat.is_empty() => (lon, lat),
        _ => return Err((Fault::CoordinatesMissing, nothing())),
    };
    let (Ok(x), Ok(y)) = (parse_number(lon), parse_number(lat)) else {
        return Err((
            Fault::CoordinatesNotNumbers,
            same(format!("`{}`, `{}`", shorten(lon), shorten(lat))),
        ));
    };
    if !(-180.0..=180.0).contains(&x) || !(-90.0..=90.0).contains(&y) {
        return Err((Fault::CoordinatesOutOfRange, same(format!("{x}, {y}"))));
    }
    Ok(Shape::Point(geo::Point::new(x, y)))
}

fn wkt_geometry(text: &str) -> Result<Shape, RowProblem> {
    if text.trim().is_empty() {
        return Err((Fault::GeometryMissing, nothing()));
    }
    let geometry = Geometry::<f64>::try_from_wkt_str(text.trim()).map_err(|error| {
        let said = format!("{}: {error}", shorten(text));
        (Fault::GeometryNotWkt, same(said))
    })?;
    let in_range = geo::BoundingRect::bounding_rect(&geometry).is_none_or(|r| {
        r.min().x >= -180.0 && r.max().x <= 180.0 && r.min().y >= -90.0 && r.max().y <= 90.0
    });
    if !in_range {
        return Err((Fault::CoordinatesOutOfRange, same(shorten(text))));
    }
    // A collection of several kinds keeps its first kind here: a row is one feature.
    super::shapes(geometry)
        .into_iter()
        .next()
        .ok_or((Fault::GeometryEmpty, nothing()))
}

fn shorten(text: &str) -> String {
    crate::geodata::read::shorten(text, 40)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_text(text: &str) -> Read {
        read(text, "t.csv", &CsvOptions::default(), None).expect("reads")
    }

    /// What a read says, to compare two readings of one file.
    fn said(read: &Result<Read, DataError>) -> String {
        match read {
            Ok(read) => format!(
                "{:?}\n{:?}\n{:?}\n{:?}\n{:?}",
                read.fields,
                read.all_rows(),
                read.notes,
                read.problems
                    .iter()
                    .map(|p| (&p.problem, &p.details))
                    .collect::<Vec<_>>(),
                (read.name_field, read.datum, read.altered),
            ),
            Err(error) => format!("refused: {} {:?}", error.problem, error.details),
        }
    }

    #[test]
    fn a_streamed_table_reads_as_its_whole_text_does_and_the_rest_is_read_whole() {
        let dir = std::env::temp_dir().join(format!("chengyu-csv-stream-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files: Vec<(String, Vec<u8>)> = [
            "tests/fuzz/user-layers/unbalanced-quotes--table.csv",
            "tests/fuzz/user-layers/swapped--table.csv",
            "tests/fuzz/user-layers/many-columns--table.csv",
            "tests/data/user/platforms-ogr.csv",
            "tests/data/user/districts-ogr-wkt.csv",
            "tests/data/user/sample-enterprises-gcj02-gbk.csv",
        ]
        .iter()
        .map(|path| {
            (
                path.to_string(),
                std::fs::read(root.join(path)).expect(path),
            )
        })
        .collect();
        // Longer than the head the columns are found in, a three-byte character across its
        // end, a bad row, an empty id, a CRLF file with a BOM, tabs.
        let mut long = String::from("编号,名称,经度,纬度\n");
        let mut row = 0;
        while long.len() < 3 * HEAD_BYTES as usize {
            let id = if row % 997 == 0 {
                String::new()
            } else {
                format!("E{row}")
            };
            let lon = if row == 5000 {
                "东经".to_string()
            } else {
                format!("{:.6}", 106.0 + row as f64 * 1e-6)
            };
            long.push_str(&format!("{id},企业{row}甲乙丙,{lon},29.{row:06}\n"));
            row += 1;
        }
        files.push(("long.csv".into(), long.clone().into_bytes()));
        let crlf = format!("\u{feff}{}", long.replace('\n', "\r\n"));
        files.push(("crlf-bom.csv".into(), crlf.into_bytes()));
        files.push(("tabs.csv".into(), long.replace(',', "\t").into_bytes()));
        // Not UTF-8 past the head: read whole (as GBK), as before.
        let mut late_gbk = long.clone().into_bytes();
        late_gbk.extend_from_slice(b"E9,\xc6\xf3\xd2\xb5,106.5,29.5\n");
        files.push(("late-gbk.csv".into(), late_gbk));
        files.push(("empty.csv".into(), Vec::new()));
        for (name, bytes) in files {
            let path = dir.join(name.replace('/', "_"));
            std::fs::write(&path, &bytes).expect("write");
            let options = CsvOptions::default();
            let whole = crate::geodata::read::decode::decode(bytes)
                .map_err(|problem| DataError::new("t.csv", problem))
                .and_then(|decoded| read(&decoded.text, "t.csv", &options, None));
            let streamed = read_streamed(&path, "t.csv", &options, None);
            let plain_utf8 = !name.contains("gbk");
            assert_eq!(streamed.is_some(), plain_utf8, "{name}: streamed or not");
            if let Some(streamed) = streamed {
                assert_eq!(said(&streamed), said(&whole), "{name}");
            }
        }
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn columns_are_found_by_their_names_in_english_and_chinese() {
        let columns = sniff_columns("名称,经度,纬度\n甲,106.3,29.6\n", &CsvOptions::default())
            .expect("reads");
        assert_eq!((columns.lon, columns.lat), (Some(1), Some(2)));
        let columns = sniff_columns(
            "id;Name;LNG_GCJ02;LAT_GCJ02\n1;a;106.3;29.6\n",
            &CsvOptions::default(),
        )
        .expect("reads");
        assert_eq!(columns.delimiter, b';');
        assert_eq!((columns.lon, columns.lat), (Some(2), Some(3)));
        let columns = sniff_columns("x\ty\tplatform\n106.3\t29.6\tp\n", &CsvOptions::default())
            .expect("reads");
        assert_eq!(columns.delimiter, b'\t');
        assert_eq!((columns.lon, columns.lat), (Some(0), Some(1)));
    }

    #[test]
    fn the_datum_a_column_names_is_taken() {
        let read = read_text("name,lng_gcj02,lat_gcj02\na,106.3,29.6\n");
        assert_eq!(read.datum, Some(crate::coordinates::datum::Datum::Gcj02));
        let read = read_text("名称,百度经度,百度纬度\n甲,106.3,29.6\n");
        assert_eq!(read.datum, Some(crate::coordinates::datum::Datum::Bd09));
        assert_eq!(read.name_field, Some(0));
    }

    #[test]
    fn exchanged_columns_are_swapped_and_said() {
        let text = "name,lon,lat\na,29.6,106.3\nb,29.7,106.4\n";
        let read = read_text(text);
        let Shape::Point(point) = read.all_rows()[0].shape else {
            panic!("a point")
        };
        assert_eq!((point.x(), point.y()), (106.3, 29.6));
        assert!(read.notes.iter().any(|n| n.en.contains("other way round")));
        // The user may say no: then the "latitudes" past 90° are refused, row by row.
        let options = CsvOptions {
            swap: Some(false),
            ..CsvOptions::default()
        };
        let kept = super::read(text, "t.csv", &options, None).expect("reads");
        assert!(kept.all_rows().is_empty());
        assert!(
            kept.problems[0]
                .problem
                .contains("2 rows: coordinates out of range"),
            "{:?}",
            kept.problems
        );
    }

    #[test]
    fn bad_rows_are_named_by_line_and_the_others_load() {
        let text =
            "name,lon,lat\na,106.3,29.6\nb,,29.6\nc,east,north\nd,106.5,95\n\ne,106.6,29.7\n";
        let read = read_text(text);
        assert_eq!(read.all_rows().len(), 2);
        let said: Vec<String> = read.problems.iter().map(|p| p.problem.clone()).collect();
        assert!(
            said.iter()
                .any(|p| p.contains("row 3") && p.contains("missing")),
            "{said:?}"
        );
        assert!(
            said.iter()
                .any(|p| p.contains("row 4") && p.contains("not numbers")),
            "{said:?}"
        );
        assert!(
            said.iter()
                .any(|p| p.contains("row 5") && p.contains("out of range")),
            "{said:?}"
        );
    }

    #[test]
    fn a_wkt_column_gives_any_geometry() {
        let text = "name,wkt\nline,\"LINESTRING (106 29, 107 30)\"\narea,\"POLYGON ((106 29, 107 29, 107 30, 106 29))\"\nbad,\"POLYGON ((106\"\n";
        let read = read_text(text);
        assert_eq!(read.all_rows().len(), 2);
        assert!(matches!(read.all_rows()[0].shape, Shape::Lines(_)));
        assert!(matches!(read.all_rows()[1].shape, Shape::Area(_)));
        assert!(
            read.problems[0].problem.contains("not WKT"),
            "{:?}",
            read.problems
        );
    }

    #[test]
    fn a_cancelled_read_stops_and_progress_is_told() {
        let mut text = String::from("name,lon,lat\n");
        for n in 0..10_000 {
            text.push_str(&format!("p{n},106.{n:04},29.5\n"));
        }
        let progress = super::super::Progress::default();
        let read = read(&text, "t.csv", &CsvOptions::default(), Some(&progress)).expect("reads");
        assert_eq!(read.all_rows().len(), 10_000);
        assert!(
            progress.fraction().is_some_and(|f| f > 0.5),
            "{:?}",
            progress.fraction()
        );
        progress.cancel();
        let error = read_cancelled(&text, &progress);
        assert_eq!(error.problem, super::super::CANCELLED);
    }

    fn read_cancelled(text: &str, progress: &super::super::Progress) -> DataError {
        read(text, "t.csv", &CsvOptions::default(), Some(progress)).expect_err("cancelled")
    }

    #[test]
    fn a_table_without_coordinates_is_refused_naming_its_columns() {
        let error =
            read("name,city\na,b\n", "t.csv", &CsvOptions::default(), None).expect_err("refused");
        assert!(error.problem.contains("`city`"), "{}", error.problem);
    }
}
