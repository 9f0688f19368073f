//! A layer as a GeoPackage (OGC 12-128, version 1.2, which every GDAL since 2.0 reads): one feature table in EPSG:4326 named
//! after the layer, its fields typed (INTEGER or REAL where every value is one, else TEXT),
//! each geometry as the GeoPackage binary header (its envelope, but for points) and
//! little-endian WKB, and the R-tree spatial index extension with the triggers that keep it
//! in step, as GDAL writes one. Built in a temporary file beside the target and renamed over
//! it when whole.

use std::path::Path;

use rusqlite::{Connection, params};

use crate::model::user::{UserLayer, is_number};
use crate::model::{Features, Shape};

/// WGS 84 as GDAL writes it into gpkg_spatial_ref_sys.
const WGS84_WKT: &str = r#"GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]"#;

/// The file's header: `GPKG` as the application id, version 1.4.0.
const APPLICATION_ID: i32 = 0x4750_4B47;
const USER_VERSION: i32 = 10200;

pub fn write(path: &Path, layer: &UserLayer, features: &Features) -> Result<(), String> {
    crate::atomic_file::write_by_path(path, |temp| {
        let mut connection = Connection::open(temp).map_err(|e| e.to_string())?;
        fill(&mut connection, layer, features)?;
        connection.close().map_err(|(_, e)| e.to_string())
    })
}

/// A name SQLite takes as is, in double quotes.
fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// The table's name: the layer's, as a plain identifier where it can be (QGIS shows it).
fn table_name(layer: &UserLayer) -> String {
    let name: String = layer
        .name
        .trim()
        .chars()
        .map(|c| {
            if c.is_whitespace() || "\"'.#".contains(c) {
                '_'
            } else {
                c
            }
        })
        .collect();
    if name.is_empty() || name.to_ascii_lowercase().starts_with("gpkg_") {
        format!("layer_{name}")
    } else {
        name
    }
}

/// The column for each field: unique (any case), never `fid` or `geom`.
fn column_names(fields: &[String]) -> Vec<String> {
    let mut taken: Vec<String> = vec!["fid".into(), "geom".into()];
    fields
        .iter()
        .map(|field| {
            let base = if field.trim().is_empty() {
                "field"
            } else {
                field.trim()
            };
            let mut name = base.to_string();
            let mut n = 2;
            while taken.iter().any(|t| t.eq_ignore_ascii_case(&name)) {
                name = format!("{base}_{n}");
                n += 1;
            }
            taken.push(name.clone());
            name
        })
        .collect()
}

#[derive(Clone, Copy, PartialEq)]
enum Affinity {
    Integer,
    Real,
    Text,
}

fn affinities(layer: &UserLayer, features: &Features) -> Vec<Affinity> {
    let numeric = layer.numeric_fields(features);
    (0..layer.fields.len())
        .map(|i| {
            if !numeric[i] {
                return Affinity::Text;
            }
            let integers = match features.numbers(i) {
                Some(numbers) => numbers.integers,
                None => (0..features.len()).all(|index| {
                    let value = features.value(index, i).unwrap_or_default();
                    let value = value.trim();
                    value.is_empty() || value.parse::<i64>().is_ok()
                }),
            };
            if integers {
                Affinity::Integer
            } else {
                Affinity::Real
            }
        })
        .collect()
}

fn geometry_type(features: &Features) -> &'static str {
    let kind = |shape: &Shape| match shape {
        Shape::Point(_) => "POINT",
        Shape::Lines(_) => "MULTILINESTRING",
        Shape::Area(_) => "MULTIPOLYGON",
    };
    match features.shapes().next().map(|s| kind(&s)) {
        Some(first) if features.shapes().all(|s| kind(&s) == first) => first,
        Some(_) => "GEOMETRY",
        None => "POINT",
    }
}

/// The GeoPackage binary of a shape: `GP`, version 0, the flags (little-endian, the envelope
/// `[minx, maxx, miny, maxy]` but for a point), SRS 4326, then its WKB; and its envelope.
fn geometry_blob(shape: &Shape) -> Result<(Vec<u8>, geo::Rect), String> {
    use geo::BoundingRect;
    let rect = match shape {
        Shape::Point(p) => geo::Rect::new(p.0, p.0),
        Shape::Lines(l) => l.bounding_rect().ok_or("an empty line")?,
        Shape::Area(a) => a.bounding_rect().ok_or("an empty area")?,
    };
    let point = matches!(shape, Shape::Point(_));
    let mut blob = Vec::with_capacity(64);
    blob.extend_from_slice(b"GP");
    blob.push(0);
    blob.push(if point { 0b0000_0001 } else { 0b0000_0011 });
    blob.extend_from_slice(&4326i32.to_le_bytes());
    if !point {
        for v in [rect.min().x, rect.max().x, rect.min().y, rect.max().y] {
            blob.extend_from_slice(&v.to_le_bytes());
        }
    }
    let options = wkb::writer::WriteOptions {
        endianness: wkb::Endianness::LittleEndian,
    };
    let written = match shape {
        Shape::Point(p) => wkb::writer::write_geometry(&mut blob, p, &options),
        Shape::Lines(l) => wkb::writer::write_geometry(&mut blob, l, &options),
        Shape::Area(a) => {
            // RFC 7946's winding, as GDAL writes a GeoPackage's rings.
            use geo::orient::{Direction, Orient};
            let oriented: geo::MultiPolygon =
                a.iter().map(|p| p.orient(Direction::Default)).collect();
            wkb::writer::write_geometry(&mut blob, &oriented, &options)
        }
    };
    written.map_err(|e| e.to_string())?;
    Ok((blob, rect))
}

fn fill(connection: &mut Connection, layer: &UserLayer, features: &Features) -> Result<(), String> {
    let sql = |e: rusqlite::Error| e.to_string();
    connection
        .pragma_update(None, "application_id", APPLICATION_ID)
        .map_err(sql)?;
    connection
        .pragma_update(None, "user_version", USER_VERSION)
        .map_err(sql)?;
    // One transaction, no journal: the file is new and renamed into place only when whole.
    connection
        .pragma_update(None, "journal_mode", "OFF")
        .map_err(sql)?;
    connection
        .pragma_update(None, "synchronous", "OFF")
        .map_err(sql)?;
    // The file is ours alone while written: no locks taken again and again, and a page
    // cache of 128 MiB so that the table and its R-tree are not read back from the file.
    connection
        .pragma_update(None, "locking_mode", "EXCLUSIVE")
        .map_err(sql)?;
    connection
        .pragma_update(None, "cache_size", -131_072)
        .map_err(sql)?;
    let table = table_name(layer);
    let columns = column_names(&layer.fields);
    let affinities = affinities(layer, features);
    let kind = geometry_type(features);
    let transaction = connection.transaction().map_err(sql)?;
    transaction
        .execute_batch(
            "CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, \
             organization TEXT NOT NULL, organization_coordsys_id INTEGER NOT NULL, \
             definition TEXT NOT NULL, description TEXT);
             CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, \
             identifier TEXT UNIQUE, description TEXT DEFAULT '', \
             last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')), \
             min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER, \
             CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
             CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL, \
             geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL, \
             CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name), \
             CONSTRAINT uk_gc_table_name UNIQUE (table_name), \
             CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name), \
             CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
             CREATE TABLE gpkg_extensions (table_name TEXT, column_name TEXT, extension_name TEXT NOT NULL, \
             definition TEXT NOT NULL, scope TEXT NOT NULL, \
             CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name));",
        )
        .map_err(sql)?;
    {
        let mut srs = transaction
            .prepare("INSERT INTO gpkg_spatial_ref_sys VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
            .map_err(sql)?;
        srs.execute(params![
            "Undefined cartesian SRS",
            -1,
            "NONE",
            -1,
            "undefined",
            "undefined cartesian coordinate reference system"
        ])
        .map_err(sql)?;
        srs.execute(params![
            "Undefined geographic SRS",
            0,
            "NONE",
            0,
            "undefined",
            "undefined geographic coordinate reference system"
        ])
        .map_err(sql)?;
        srs.execute(params![
            "WGS 84 geodetic",
            4326,
            "EPSG",
            4326,
            WGS84_WKT,
            "longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid"
        ])
        .map_err(sql)?;
    }
    let definitions: Vec<String> = columns
        .iter()
        .zip(&affinities)
        .map(|(name, affinity)| {
            let kind = match affinity {
                Affinity::Integer => "INTEGER",
                Affinity::Real => "REAL",
                Affinity::Text => "TEXT",
            };
            format!("{} {kind}", quoted(name))
        })
        .collect();
    let q = quoted(&table);
    let extra = if definitions.is_empty() {
        String::new()
    } else {
        format!(", {}", definitions.join(", "))
    };
    transaction
        .execute_batch(&format!(
            "CREATE TABLE {q} (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, geom {kind}{extra});"
        ))
        .map_err(sql)?;
    let mut bounds: Option<geo::Rect> = None;
    let rtree = quoted(&format!("rtree_{table}_geom"));
    transaction
        .execute_batch(&format!(
            "CREATE VIRTUAL TABLE {rtree} USING rtree(id, minx, maxx, miny, maxy);"
        ))
        .map_err(sql)?;
    {
        let placeholders: String = (2..=columns.len() + 2).map(|i| format!(", ?{i}")).collect();
        let names: String = columns.iter().map(|c| format!(", {}", quoted(c))).collect();
        let mut insert = transaction
            .prepare(&format!(
                "INSERT INTO {q} (fid, geom{names}) VALUES (?1{placeholders})"
            ))
            .map_err(sql)?;
        let mut envelopes = super::rtree::Entries::with_capacity(features.len());
        for (index, feature) in features.iter().enumerate() {
            let (blob, rect) = geometry_blob(&feature.shape)
                .map_err(|why| format!("feature {}: {why}", index + 1))?;
            bounds = Some(match bounds {
                None => rect,
                Some(b) => geo::Rect::new(
                    geo::coord! { x: b.min().x.min(rect.min().x), y: b.min().y.min(rect.min().y) },
                    geo::coord! { x: b.max().x.max(rect.max().x), y: b.max().y.max(rect.max().y) },
                ),
            });
            let values = feature.user().map(|u| &u.values);
            let mut row: Vec<rusqlite::types::Value> = Vec::with_capacity(columns.len() + 2);
            row.push(rusqlite::types::Value::Integer(index as i64 + 1));
            row.push(rusqlite::types::Value::Blob(blob));
            for (i, affinity) in affinities.iter().enumerate() {
                let value = values.and_then(|v| v.get(i)).unwrap_or_default();
                row.push(match affinity {
                    _ if value.trim().is_empty() => rusqlite::types::Value::Null,
                    Affinity::Integer => value.trim().parse::<i64>().map_or_else(
                        |_| rusqlite::types::Value::Text(value.into()),
                        rusqlite::types::Value::Integer,
                    ),
                    Affinity::Real if is_number(value.trim()) => {
                        value.trim().parse::<f64>().map_or_else(
                            |_| rusqlite::types::Value::Text(value.into()),
                            rusqlite::types::Value::Real,
                        )
                    }
                    _ => rusqlite::types::Value::Text(value.into()),
                });
            }
            insert
                .execute(rusqlite::params_from_iter(row))
                .map_err(sql)?;
            envelopes.push(index as i64 + 1, &rect);
        }
        drop(insert);
        // The R-tree packed from the envelopes at hand and written whole.
        super::rtree::fill(&transaction, &format!("rtree_{table}_geom"), envelopes).map_err(sql)?;
    }
    let (min_x, min_y, max_x, max_y) = bounds.map_or((None, None, None, None), |b| {
        (
            Some(b.min().x),
            Some(b.min().y),
            Some(b.max().x),
            Some(b.max().y),
        )
    });
    transaction
        .execute(
            "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, min_x, min_y, max_x, max_y, srs_id) \
             VALUES (?1, 'features', ?1, ?2, ?3, ?4, ?5, ?6, 4326)",
            params![table, "Chengyu Atlas", min_x, min_y, max_x, max_y],
        )
        .map_err(sql)?;
    transaction
        .execute(
            "INSERT INTO gpkg_geometry_columns VALUES (?1, 'geom', ?2, 4326, 0, 0)",
            params![table, kind],
        )
        .map_err(sql)?;
    spatial_index(&transaction, &table).map_err(sql)?;
    transaction.commit().map_err(sql)
}

/// The R-tree extension (GeoPackage's `gpkg_rtree_index`): the index filled from the table
/// and the triggers of the standard that keep it in step with later edits (QGIS edits a
/// GeoPackage in place).
fn spatial_index(connection: &Connection, table: &str) -> rusqlite::Result<()> {
    let t = quoted(table);
    let rtree_name = format!("rtree_{table}_geom");
    let r = quoted(&rtree_name);
    let trigger = |suffix: &str| quoted(&format!("{rtree_name}_{suffix}"));
    connection.execute(
        "INSERT INTO gpkg_extensions VALUES (?1, 'geom', 'gpkg_rtree_index', \
         'http://www.geopackage.org/spec120/#extension_rtree', 'write-only')",
        params![table],
    )?;
    let (insert, update1, update2, update3, update4, delete) = (
        trigger("insert"),
        trigger("update1"),
        trigger("update2"),
        trigger("update3"),
        trigger("update4"),
        trigger("delete"),
    );
    connection.execute_batch(&format!(
        "CREATE TRIGGER {insert} AFTER INSERT ON {t} WHEN (new.geom NOT NULL AND NOT ST_IsEmpty(NEW.geom)) \
         BEGIN INSERT OR REPLACE INTO {r} VALUES (NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)); END;
         CREATE TRIGGER {update1} AFTER UPDATE OF geom ON {t} WHEN OLD.fid = NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom)) \
         BEGIN INSERT OR REPLACE INTO {r} VALUES (NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)); END;
         CREATE TRIGGER {update2} AFTER UPDATE OF geom ON {t} WHEN OLD.fid = NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom)) \
         BEGIN DELETE FROM {r} WHERE id = OLD.fid; END;
         CREATE TRIGGER {update3} AFTER UPDATE ON {t} WHEN OLD.fid != NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom)) \
         BEGIN DELETE FROM {r} WHERE id = OLD.fid; INSERT OR REPLACE INTO {r} VALUES (NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)); END;
         CREATE TRIGGER {update4} AFTER UPDATE ON {t} WHEN OLD.fid != NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom)) \
         BEGIN DELETE FROM {r} WHERE id IN (OLD.fid, NEW.fid); END;
         CREATE TRIGGER {delete} AFTER DELETE ON {t} WHEN old.geom NOT NULL \
         BEGIN DELETE FROM {r} WHERE id = OLD.fid; END;"
    ))
}
