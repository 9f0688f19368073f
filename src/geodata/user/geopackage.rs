//! A GeoPackage's feature tables as layers (the OGC format QGIS saves by default: an SQLite
//! file): the tables listed from `gpkg_contents` and `gpkg_geometry_columns`, each geometry's
//! GeoPackage header read here (magic, flags, SRS, envelope) and its WKB by georust's reader
//! (2D, Z, M and ZM; empty geometries said), every SRS of `gpkg_spatial_ref_sys` reprojected as
//! a Shapefile's .prj is (CGCS2000 and its Gauss–Krüger zones, UTM, Web Mercator; Beijing 1954
//! and Xi'an 1980 refused by name). A layer is a file's table: `FILE.gpkg#TABLE`; the file
//! alone is each of its feature tables.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};

use super::projection::Projection;
use super::{Read, name_field};
use crate::geodata::DataError;
use crate::geodata::fault::{Fault, same};
use crate::geodata::read::Problems;
use crate::model::Text;

/// What separates a GeoPackage's path from the table a layer reads.
pub const TABLE_MARK: char = '#';

/// A feature table a GeoPackage lists.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub name: String,
    /// Its `identifier` in gpkg_contents, else its name.
    pub title: String,
    pub geometry_column: String,
    pub geometry_type: String,
    pub srs_id: i64,
}

/// The file and the table of a layer's path (`FILE.gpkg#TABLE`; the table `None` for the file
/// alone).
pub fn split(path: &Path) -> (PathBuf, Option<String>) {
    let text = path.to_string_lossy();
    if let Some((file, table)) = text.rsplit_once(TABLE_MARK)
        && file.to_ascii_lowercase().ends_with(".gpkg")
        && !table.is_empty()
    {
        return (PathBuf::from(file), Some(table.to_string()));
    }
    (path.to_path_buf(), None)
}

/// The layer's path of `table` in `file`.
pub fn table_path(file: &Path, table: &str) -> PathBuf {
    PathBuf::from(format!("{}{TABLE_MARK}{table}", file.display()))
}

/// Whether `path` is a GeoPackage or one of its tables (by its extension).
pub fn is_geopackage(path: &Path) -> bool {
    split(path)
        .0
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("gpkg"))
}

fn open(file: &Path, origin: &str) -> Result<Connection, DataError> {
    if !file.exists() {
        return Err(DataError::new(origin, crate::geodata::Problem::FileMissing));
    }
    let connection = Connection::open_with_flags(
        file,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| not_geopackage(origin, &e.to_string()))?;
    // The file is read, never changed (a GeoPackage another program holds stays whole).
    let _ = connection.pragma_update(None, "query_only", true);
    Ok(connection)
}

fn not_geopackage(origin: &str, why: &str) -> DataError {
    DataError::new(
        origin,
        Text::new(
            format!("不是可读取的 GeoPackage：{why}"),
            format!("is not a GeoPackage the atlas can read: {why}"),
        ),
    )
}

/// The feature tables of the GeoPackage at `file`, in gpkg_contents' order.
pub fn tables(file: &Path) -> Result<Vec<Table>, DataError> {
    let origin = file.display().to_string();
    let connection = open(file, &origin)?;
    let mut statement = connection
        .prepare(
            "SELECT c.table_name, COALESCE(NULLIF(c.identifier, ''), c.table_name), \
             g.column_name, g.geometry_type_name, g.srs_id \
             FROM gpkg_contents c JOIN gpkg_geometry_columns g ON g.table_name = c.table_name \
             WHERE c.data_type = 'features' ORDER BY c.rowid",
        )
        .map_err(|e| not_geopackage(&origin, &e.to_string()))?;
    let rows = statement
        .query_map([], |row| {
            Ok(Table {
                name: row.get(0)?,
                title: row.get(1)?,
                geometry_column: row.get(2)?,
                geometry_type: row.get(3)?,
                srs_id: row.get(4)?,
            })
        })
        .map_err(|e| not_geopackage(&origin, &e.to_string()))?;
    rows.collect::<Result<Vec<_>, _>>()
        .map_err(|e| not_geopackage(&origin, &e.to_string()))
}

/// What a GeoPackage holds, from its `gpkg_contents`: how many feature tables and how many
/// tile tables. `None` when `file` is not a GeoPackage (not SQLite, or no gpkg_contents).
pub fn contents(file: &Path) -> Option<(usize, usize)> {
    let mut magic = [0u8; 16];
    let mut handle = std::fs::File::open(file).ok()?;
    std::io::Read::read_exact(&mut handle, &mut magic).ok()?;
    if &magic != b"SQLite format 3\0" {
        return None;
    }
    let connection = open(file, "").ok()?;
    connection
        .query_row(
            "SELECT COALESCE(SUM(data_type = 'features'), 0), COALESCE(SUM(data_type = 'tiles'), 0) \
             FROM gpkg_contents",
            [],
            |row| Ok((row.get::<_, i64>(0)? as usize, row.get::<_, i64>(1)? as usize)),
        )
        .ok()
}

/// Reads table `table` of the GeoPackage at `file` (its first feature table when `None`).
/// A table of more features than this (in lon/lat, with its R-tree) is read for the view,
/// not whole: a million polygons would hold gigabytes.
pub const VIEW_READ_ABOVE: u64 = 500_000;

/// A layer read from a GeoPackage's table: its features, the table's name, and the box it
/// was read within when it is read for the view (`None`: whole).
pub(super) type TableRead = (Read, String, Option<geo::Rect>);

pub(super) fn read(
    file: &Path,
    table: Option<&str>,
    origin: &str,
    extent: Option<geo::Rect>,
) -> Result<TableRead, DataError> {
    read_with(file, table, origin, extent, VIEW_READ_ABOVE)
}

/// As [`read`], a table of more than `view_read_above` features read for the view.
fn read_with(
    file: &Path,
    table: Option<&str>,
    origin: &str,
    extent: Option<geo::Rect>,
    view_read_above: u64,
) -> Result<TableRead, DataError> {
    let listed = tables(file)?;
    let chosen = match table {
        Some(name) => listed.iter().find(|t| t.name == name).ok_or_else(|| {
            let names: Vec<&str> = listed.iter().map(|t| t.name.as_str()).collect();
            DataError::new(
                origin,
                Text::new(
                    format!("没有要素表“{name}”（有：{}）", names.join("、")),
                    format!(
                        "has no feature table “{name}” (it has: {})",
                        names.join(", ")
                    ),
                ),
            )
        })?,
        None => listed.first().ok_or_else(|| {
            let text = if contents(file).is_some_and(|(_, tiles)| tiles > 0) {
                Text::new(
                    "没有要素表，只有瓦片：请作为底图打开（底图 → 打开底图包…）",
                    "has no feature table, only tiles: open it as a basemap (Basemap → Open package…)",
                )
            } else {
                Text::new("没有要素表", "has no feature table")
            };
            DataError::new(origin, text)
        })?,
    };
    let connection = open(file, origin)?;
    let fail = |why: String| not_geopackage(origin, &why);
    let definition: Option<String> = connection
        .query_row(
            "SELECT definition FROM gpkg_spatial_ref_sys WHERE srs_id = ?1",
            [chosen.srs_id],
            |row| row.get(0),
        )
        .ok();
    let projection = match (chosen.srs_id, definition.as_deref()) {
        // GeoPackage's own: undefined Cartesian (-1) and geographic (0) systems, WGS-84.
        (4326 | 0 | -1, _) => Projection::Geographic,
        (_, Some(wkt)) if wkt.trim() != "undefined" => {
            Projection::from_prj(wkt).map_err(|p| DataError::new(origin, p))?
        }
        (srs, _) => {
            return Err(DataError::new(
                origin,
                Text::new(
                    format!("其坐标系 {srs} 在 gpkg_spatial_ref_sys 中没有定义"),
                    format!("its SRS {srs} is not defined in gpkg_spatial_ref_sys"),
                ),
            ));
        }
    };
    // The table's columns but its geometry, by name; the primary key gives the ids.
    let mut columns: Vec<String> = Vec::new();
    let mut key: Option<String> = None;
    {
        let mut info = connection
            .prepare(&format!("PRAGMA table_info({})", quoted(&chosen.name)))
            .map_err(|e| fail(e.to_string()))?;
        let rows = info
            .query_map([], |row| {
                Ok((row.get::<_, String>(1)?, row.get::<_, i64>(5)?))
            })
            .map_err(|e| fail(e.to_string()))?;
        for row in rows {
            let (name, pk) = row.map_err(|e| fail(e.to_string()))?;
            if name == chosen.geometry_column {
                continue;
            }
            if pk == 1 && key.is_none() {
                key = Some(name);
            } else {
                columns.push(name);
            }
        }
    }
    if columns.is_empty() && key.is_none() {
        return Err(fail(format!(
            "the table “{}” is listed but missing",
            chosen.name
        )));
    }
    let mut sql = format!(
        "SELECT {}, {}",
        quoted(&chosen.geometry_column),
        key.as_deref().map_or("NULL".to_string(), quoted)
    );
    for column in &columns {
        sql.push_str(&format!(", {}", quoted(column)));
    }
    sql.push_str(&format!(" FROM {}", quoted(&chosen.name)));
    // Too big to hold, in lon/lat, with an R-tree: only what lies within the view's box.
    let indexed = matches!(projection, Projection::Geographic)
        .then(|| rtree_of(&connection, &chosen.name, &chosen.geometry_column))
        .flatten();
    let total = indexed
        .as_ref()
        .and_then(|_| feature_count(&connection, &chosen.name));
    let within = match (indexed, total) {
        (Some(rtree), Some(total)) if total > view_read_above => {
            let within = extent.unwrap_or_else(super::region);
            // A box holding the whole table (as gpkg_contents says) is read without asking
            // the R-tree, whose answer of a million ids costs seconds.
            let whole = contents_extent(&connection, &chosen.name).is_some_and(|extent| {
                within.min().x <= extent.min().x
                    && within.min().y <= extent.min().y
                    && within.max().x >= extent.max().x
                    && within.max().y >= extent.max().y
            });
            if !whole {
                let id = key.as_deref().map_or("rowid".to_string(), quoted);
                sql.push_str(&format!(
                    " WHERE {id} IN (SELECT id FROM {} WHERE minx <= ?1 AND maxx >= ?2 AND miny <= ?3 AND maxy >= ?4)",
                    quoted(&rtree)
                ));
            }
            Some((within, total, whole))
        }
        _ => None,
    };
    let mut statement = connection.prepare(&sql).map_err(|e| fail(e.to_string()))?;
    let mut query = match within {
        Some((within, _, false)) => statement.query(rusqlite::params![
            within.max().x,
            within.min().x,
            within.max().y,
            within.min().y
        ]),
        _ => statement.query([]),
    }
    .map_err(|e| fail(e.to_string()))?;
    let mut rows = super::RowSink::new(columns.len());
    let mut problems = Problems::default();
    let mut unlocated = 0usize;
    let mut index = 0usize;
    while let Some(row) = query.next().map_err(|e| fail(e.to_string()))? {
        let id = text_of(row.get_ref(1).ok()).unwrap_or_else(|| (index + 1).to_string());
        let values: Vec<String> = (0..columns.len())
            .map(|i| text_of(row.get_ref(i + 2).ok()).unwrap_or_default())
            .collect();
        let blob = match row.get_ref(0) {
            Ok(rusqlite::types::ValueRef::Blob(blob)) => Some(blob),
            _ => None,
        };
        match blob.map(geometry_of) {
            None | Some(Ok(None)) => unlocated += 1,
            Some(Ok(Some(geometry))) => {
                if let Some(why) = blob.and_then(|b| envelope_mismatch(b, &geometry)) {
                    let id = Some(id.clone());
                    problems.feature(index, id, 0, Fault::EnvelopeMismatch, same(why));
                }
                match reproject(geometry, &projection) {
                    Ok(geometry) => rows.push(id, &values, geometry),
                    Err(why) => problems.feature(
                        index,
                        Some(id),
                        0,
                        Fault::GeometryUnreadable,
                        same(why.en),
                    ),
                }
            }
            Some(Err(why)) => {
                problems.feature(index, Some(id), 0, Fault::GeometryUnreadable, same(why))
            }
        }
        index += 1;
    }
    let mut notes = vec![Text::new(
        format!(
            "GeoPackage 要素表 {}（{} 列，{}）",
            chosen.name, chosen.geometry_column, chosen.geometry_type
        ),
        format!(
            "GeoPackage feature table {} (column {}, {})",
            chosen.name, chosen.geometry_column, chosen.geometry_type
        ),
    )];
    if let Some((within, total, _)) = within {
        let (total, read) = (
            crate::geodata::read::problems::thousands(total as usize),
            crate::geodata::read::problems::thousands(index),
        );
        let [w, s, e, n] = [
            within.min().x,
            within.min().y,
            within.max().x,
            within.max().y,
        ];
        notes.push(Text::new(
            format!("表有 {total} 个要素，按视图经其 R-tree 读入范围 {w:.2},{s:.2} – {e:.2},{n:.2} 内的 {read} 个（随视图重读）"),
            format!("the table has {total} features: the {read} within {w:.2},{s:.2} – {e:.2},{n:.2} read through its R-tree, for the view (read again as it moves)"),
        ));
    }
    if let Some(name) = projection.name() {
        notes.push(Text::new(
            format!("已从 {name} 转换为 WGS-84"),
            format!("reprojected from {name} to WGS-84"),
        ));
    }
    if unlocated > 0 {
        let count = crate::geodata::read::problems::thousands(unlocated);
        notes.push(Text::new(
            format!("{count} 个要素几何为空，未绘制"),
            format!("{count} features with a NULL or empty geometry are not drawn"),
        ));
    }
    let system = match (&projection, definition.as_deref()) {
        (Projection::Projected { name, .. }, _) => name.clone(),
        (Projection::Geographic, Some(wkt)) if wkt.trim() != "undefined" => {
            super::projection::geographic_name(wkt).into()
        }
        (Projection::Geographic, _) => "WGS-84".into(),
    };
    let name_field = name_field(&columns);
    let (rows, table) = rows.finish();
    Ok((
        Read {
            system: Some(system),
            name_field,
            fields: columns,
            rows,
            table,
            datum: None,
            notes,
            altered: unlocated > 0,
            problems: crate::geodata::grouped_errors(origin, &problems),
        },
        chosen.name.clone(),
        within.map(|(within, ..)| within),
    ))
}

/// The R-tree of a table's geometry column, when the GeoPackage has one (registered as the
/// `gpkg_rtree_index` extension, and there).
fn rtree_of(connection: &Connection, table: &str, column: &str) -> Option<String> {
    let name = format!("rtree_{table}_{column}");
    let registered = connection
        .query_row(
            "SELECT 1 FROM gpkg_extensions WHERE lower(table_name) = lower(?1) \
             AND lower(column_name) = lower(?2) AND extension_name = 'gpkg_rtree_index'",
            [table, column],
            |_| Ok(()),
        )
        .is_ok();
    let present = connection
        .query_row(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1",
            [&name],
            |_| Ok(()),
        )
        .is_ok();
    (registered && present).then_some(name)
}

/// The box around a table's features as `gpkg_contents` says it (GDAL and the atlas write it).
fn contents_extent(connection: &Connection, table: &str) -> Option<geo::Rect> {
    let [x0, y0, x1, y1]: [Option<f64>; 4] = connection
        .query_row(
            "SELECT min_x, min_y, max_x, max_y FROM gpkg_contents WHERE lower(table_name) = lower(?1)",
            [table],
            |row| Ok([row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?]),
        )
        .ok()?;
    Some(geo::Rect::new(
        geo::coord! { x: x0?, y: y0? },
        geo::coord! { x: x1?, y: y1? },
    ))
}

/// How many features a table holds: as GDAL's `gpkg_ogr_contents` says, else counted.
fn feature_count(connection: &Connection, table: &str) -> Option<u64> {
    let said: Option<i64> = connection
        .query_row(
            "SELECT feature_count FROM gpkg_ogr_contents WHERE lower(table_name) = lower(?1)",
            [table],
            |row| row.get(0),
        )
        .ok()
        .flatten();
    let count = match said {
        Some(count) => count,
        None => connection
            .query_row(
                &format!("SELECT count(*) FROM {}", quoted(table)),
                [],
                |row| row.get(0),
            )
            .ok()?,
    };
    u64::try_from(count).ok()
}

/// A cell as text: numbers as SQLite prints them, text as it is, NULL and blobs as nothing.
fn text_of(value: Option<rusqlite::types::ValueRef<'_>>) -> Option<String> {
    use rusqlite::types::ValueRef;
    match value? {
        ValueRef::Null | ValueRef::Blob(_) => None,
        ValueRef::Integer(i) => Some(i.to_string()),
        ValueRef::Real(r) => Some(r.to_string()),
        ValueRef::Text(t) => Some(String::from_utf8_lossy(t).into_owned()),
    }
}

/// A geometry from a GeoPackage blob: the "GP" header (its version, flags, SRS and envelope
/// of 0, 4, 6, 6 or 8 numbers), then WKB. `None` for an empty geometry.
pub fn geometry_of(blob: &[u8]) -> Result<Option<geo::Geometry>, String> {
    if blob.len() < 8 || &blob[..2] != b"GP" {
        return Err("not a GeoPackage geometry (no “GP” header)".into());
    }
    let flags = blob[3];
    if flags & 0b0010_0000 != 0 {
        return Err("an extended GeoPackage geometry, which the atlas does not read".into());
    }
    let envelope = match (flags >> 1) & 0b111 {
        0 => 0,
        1 => 32,
        2 | 3 => 48,
        4 => 64,
        other => return Err(format!("an envelope of unknown kind ({other})")),
    };
    let start = 8 + envelope;
    let Some(wkb) = blob.get(start..) else {
        return Err("the geometry is cut short within its envelope".into());
    };
    if flags & 0b0001_0000 != 0 || wkb.is_empty() {
        return Ok(None);
    }
    super::wkb_geometry(wkb)
}

/// Why the envelope in a blob's header does not hold its geometry (a writer's bug, or an
/// edit that left the header behind), if it does not: readers that trust it (an R-tree filled
/// from it) would miss the feature.
fn envelope_mismatch(blob: &[u8], geometry: &geo::Geometry) -> Option<String> {
    use geo::BoundingRect as _;
    if (blob.get(3)? >> 1) & 0b111 == 0 {
        return None;
    }
    let number = |at: usize| -> Option<f64> {
        let bytes: [u8; 8] = blob.get(at..at + 8)?.try_into().ok()?;
        Some(if blob[3] & 1 == 1 {
            f64::from_le_bytes(bytes)
        } else {
            f64::from_be_bytes(bytes)
        })
    };
    let (min_x, max_x, min_y, max_y) = (number(8)?, number(16)?, number(24)?, number(32)?);
    let rect = geometry.bounding_rect()?;
    let slack = 1e-9 * (1.0 + rect.width().abs().max(rect.height().abs()));
    let holds = rect.min().x >= min_x - slack
        && rect.max().x <= max_x + slack
        && rect.min().y >= min_y - slack
        && rect.max().y <= max_y + slack;
    (!holds).then(|| {
        format!(
            "[{min_x}, {max_x}, {min_y}, {max_y}] against [{}, {}, {}, {}]",
            rect.min().x,
            rect.max().x,
            rect.min().y,
            rect.max().y
        )
    })
}

fn reproject(geometry: geo::Geometry, projection: &Projection) -> Result<geo::Geometry, Text> {
    use geo::MapCoords as _;
    match projection {
        Projection::Geographic => Ok(geometry),
        Projection::Projected { .. } => geometry.try_map_coords(|c| projection.to_wgs84(c)),
    }
}

fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_is_named_after_the_files_path() {
        let path = table_path(Path::new("/data/规划.gpkg"), "parcels");
        assert_eq!(
            split(&path),
            (
                PathBuf::from("/data/规划.gpkg"),
                Some("parcels".to_string())
            )
        );
        assert_eq!(split(Path::new("/data/a#b.geojson")).1, None);
        assert!(is_geopackage(&path));
    }

    #[test]
    fn a_table_too_big_to_hold_is_read_for_the_view_through_its_r_tree() {
        use crate::model::Shape;
        let dir = std::env::temp_dir().join(format!("chengyu-gpkg-view-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let path = dir.join("sites.gpkg");
        // 60 × 50 points a tenth of a degree apart over 100–106°E, 27–32°N.
        let layer = crate::geodata::user::sketch_layer("sites", 0);
        let features: crate::model::Features = (0..3000)
            .map(|i| {
                let at = geo::Point::new(
                    100.0 + f64::from(i % 60) * 0.1,
                    27.0 + f64::from(i / 60) * 0.1,
                );
                crate::geodata::user::drawn_feature(&layer, &format!("site {i}"), Shape::Point(at))
            })
            .collect();
        let options = crate::geodata::user::write::DataOptions::default();
        crate::geodata::user::write::write_data(&path, &layer, &features, &options)
            .expect("written");
        let view = geo::Rect::new(
            geo::coord! { x: 101.05, y: 28.05 },
            geo::coord! { x: 101.55, y: 28.35 },
        );
        let (read, _, within) =
            read_with(&path, None, "sites.gpkg", Some(view), 1000).expect("read for the view");
        assert_eq!(within, Some(view));
        // Five columns (101.1 … 101.5) of three rows (28.1 … 28.3).
        assert_eq!(read.all_rows().len(), 15);
        assert!(read.all_rows().iter().all(|row| match row.shape {
            Shape::Point(p) => p.x() > 101.0 && p.x() < 101.6 && p.y() > 28.0 && p.y() < 28.4,
            _ => false,
        }));
        assert!(
            read.notes
                .iter()
                .any(|n| n.en.contains("3,000 features") || n.en.contains("3 000 features")),
            "{:?}",
            read.notes
        );
        // Below the threshold, or without a view's box given, whole or within the region.
        let (whole, _, within) =
            read_with(&path, None, "sites.gpkg", Some(view), 5000).expect("whole");
        assert_eq!((whole.all_rows().len(), within), (3000, None));
        let (region, _, within) = read_with(&path, None, "sites.gpkg", None, 1000).expect("region");
        assert!(within.is_some());
        assert_eq!(
            region.all_rows().len(),
            3000,
            "all of them lie in the atlas's region"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_header_with_an_envelope_or_an_empty_flag_is_read() {
        // POINT(1 2), little-endian WKB.
        let mut wkb = vec![1u8, 1, 0, 0, 0];
        wkb.extend(1.0f64.to_le_bytes());
        wkb.extend(2.0f64.to_le_bytes());
        let mut plain = b"GP\x00\x01".to_vec();
        plain.extend(4326i32.to_le_bytes());
        plain.extend(&wkb);
        assert_eq!(
            geometry_of(&plain),
            Ok(Some(geo::Geometry::Point(geo::Point::new(1.0, 2.0))))
        );
        // An xy envelope (flag 1 << 1): 32 bytes to skip.
        let mut enveloped = b"GP\x00\x03".to_vec();
        enveloped.extend(4326i32.to_le_bytes());
        enveloped.extend([0u8; 32]);
        enveloped.extend(&wkb);
        assert_eq!(geometry_of(&enveloped), geometry_of(&plain));
        let mut empty = b"GP\x00\x11".to_vec();
        empty.extend(4326i32.to_le_bytes());
        assert_eq!(geometry_of(&empty), Ok(None));
        assert!(geometry_of(b"XX\x00\x01\x00\x00\x00\x00").is_err());
        // An envelope that says more bytes than there are.
        let mut cut = b"GP\x00\x09".to_vec();
        cut.extend(4326i32.to_le_bytes());
        cut.extend([0u8; 10]);
        assert!(geometry_of(&cut).is_err());
    }
}
