//! A GeoPackage's tiles (its `tiles` table in gpkg_contents) as a basemap, where its tile
//! matrix set is Web Mercator's GoogleMapsCompatible grid — what `gdal_translate -of GPKG
//! -co TILING_SCHEME=GoogleMapsCompatible` writes: EPSG:3857, the world's bounds, 2^z tiles of
//! 256 pixels across at zoom z, rows from the top. Any other grid is refused by name.

use std::path::Path;
use std::sync::Mutex;

use rusqlite::{Connection, OpenFlags, OptionalExtension, params};

use super::{
    Bounds, ErrorKind, MAX_ZOOM, PackageInfo, PackageKind, TileFormat, TileKey, TileSource,
    file_name,
};

pub struct GpkgTiles {
    connection: Mutex<Connection>,
    /// `SELECT tile_data FROM "table" WHERE …`, the table's name quoted.
    query: String,
    /// Its zoom levels: the GeoPackage's own numbers are the grid's zooms.
    info: PackageInfo,
}

/// Half the width of Web Mercator's world, in metres.
const HALF: f64 = 20_037_508.342_789_244;

/// Whether the SQLite file at `path` holds GeoPackage tiles (its gpkg_contents lists a
/// `tiles` table).
pub fn has_tiles(path: &Path) -> bool {
    let Ok(connection) = open(path) else {
        return false;
    };
    connection
        .query_row(
            "SELECT COUNT(*) FROM gpkg_contents WHERE data_type = 'tiles'",
            [],
            |row| row.get::<_, i64>(0),
        )
        .is_ok_and(|n| n > 0)
}

fn open(path: &Path) -> Result<Connection, ErrorKind> {
    Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| ErrorKind::Corrupt(e.to_string()))
}

fn sql_error(error: rusqlite::Error) -> ErrorKind {
    ErrorKind::Corrupt(error.to_string())
}

impl GpkgTiles {
    /// Its first tiles table, checked to be GoogleMapsCompatible.
    pub fn open(path: &Path) -> Result<Self, ErrorKind> {
        let connection = open(path)?;
        let (table, title, description, srs_id): (String, String, String, i64) = connection
            .query_row(
                "SELECT c.table_name, COALESCE(c.identifier, ''), COALESCE(c.description, ''), \
                 s.srs_id FROM gpkg_contents c JOIN gpkg_tile_matrix_set s \
                 ON s.table_name = c.table_name WHERE c.data_type = 'tiles' ORDER BY c.rowid",
                [],
                |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)),
            )
            .optional()
            .map_err(sql_error)?
            .ok_or(ErrorKind::NoTiles)?;
        let (min_x, min_y, max_x, max_y): (f64, f64, f64, f64) = connection
            .query_row(
                "SELECT min_x, min_y, max_x, max_y FROM gpkg_tile_matrix_set WHERE table_name = ?1",
                params![table],
                |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)),
            )
            .map_err(sql_error)?;
        let world = [min_x, min_y, max_x, max_y]
            .iter()
            .zip([-HALF, -HALF, HALF, HALF])
            .all(|(a, b)| (a - b).abs() < 1.0);
        let (organization, code): (String, i64) = connection
            .query_row(
                "SELECT organization, organization_coordsys_id FROM gpkg_spatial_ref_sys \
                 WHERE srs_id = ?1",
                params![srs_id],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .unwrap_or((String::new(), srs_id));
        let mercator = organization.eq_ignore_ascii_case("EPSG") && matches!(code, 3857 | 900913);
        if !mercator || !world {
            return Err(ErrorKind::NotWebMercator(format!(
                "its tile matrix set is in {organization}:{code}{}, not Web Mercator's GoogleMapsCompatible grid (gdal_translate -of GPKG -co TILING_SCHEME=GoogleMapsCompatible makes one)",
                if world { "" } else { " over part of the world" }
            )));
        }
        // Each matrix: 2^z tiles of 256 pixels across.
        let matrices: Vec<(i64, i64, i64, i64, i64)> = connection
            .prepare(
                "SELECT zoom_level, matrix_width, matrix_height, tile_width, tile_height \
                 FROM gpkg_tile_matrix WHERE table_name = ?1 ORDER BY zoom_level",
            )
            .and_then(|mut statement| {
                statement
                    .query_map(params![table], |row| {
                        Ok((
                            row.get(0)?,
                            row.get(1)?,
                            row.get(2)?,
                            row.get(3)?,
                            row.get(4)?,
                        ))
                    })?
                    .collect()
            })
            .map_err(sql_error)?;
        for &(z, width, height, tile_width, tile_height) in &matrices {
            let across = 1i64.checked_shl(z.clamp(0, 62) as u32).unwrap_or(0);
            if width != across || height != across || tile_width != 256 || tile_height != 256 {
                return Err(ErrorKind::NotWebMercator(format!(
                    "its zoom {z} is {width}×{height} tiles of {tile_width}×{tile_height} pixels, not Web Mercator's {across}×{across} of 256"
                )));
            }
        }
        let quoted = format!("\"{}\"", table.replace('"', "\"\""));
        let (min_zoom, max_zoom): (Option<i64>, Option<i64>) = connection
            .query_row(
                &format!("SELECT MIN(zoom_level), MAX(zoom_level) FROM {quoted}"),
                [],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .map_err(sql_error)?;
        let (Some(min_zoom), Some(max_zoom)) = (min_zoom, max_zoom) else {
            return Err(ErrorKind::NoTiles);
        };
        let zoom = |z: i64| z.clamp(0, i64::from(MAX_ZOOM)) as u8;
        let bounds = connection
            .query_row(
                "SELECT min_x, min_y, max_x, max_y FROM gpkg_contents WHERE table_name = ?1",
                params![table],
                |row| {
                    Ok((
                        row.get::<_, Option<f64>>(0)?,
                        row.get::<_, Option<f64>>(1)?,
                        row.get::<_, Option<f64>>(2)?,
                        row.get::<_, Option<f64>>(3)?,
                    ))
                },
            )
            .ok()
            .and_then(|(a, b, c, d)| Some(mercator_bounds(a?, b?, c?, d?)));
        let name = if title.trim().is_empty() {
            file_name(path)
        } else {
            title
        };
        let (datum, datum_guessed) = super::datum_of(None, &[&name, &description]);
        let mut tiles = Self {
            connection: Mutex::new(connection),
            query: format!(
                "SELECT tile_data FROM {quoted} WHERE zoom_level = ?1 AND tile_column = ?2 AND tile_row = ?3"
            ),
            info: PackageInfo {
                kind: PackageKind::GeoPackage,
                name,
                attribution: description,
                format: TileFormat::Other(String::new()),
                min_zoom: zoom(min_zoom),
                max_zoom: zoom(max_zoom),
                bounds,
                tile_size: 256,
                datum,
                datum_guessed,
                vector_layers: Vec::new(),
            },
        };
        tiles.info.format = tiles.sniff_format(&quoted)?;
        Ok(tiles)
    }

    fn sniff_format(&self, quoted: &str) -> Result<TileFormat, ErrorKind> {
        let connection = self
            .connection
            .lock()
            .map_err(|_| ErrorKind::Corrupt("the package's lock is poisoned".into()))?;
        let bytes: Option<Vec<u8>> = connection
            .query_row(
                &format!("SELECT tile_data FROM {quoted} LIMIT 1"),
                [],
                |row| row.get(0),
            )
            .optional()
            .map_err(sql_error)?;
        Ok(TileFormat::sniff(&bytes.unwrap_or_default()))
    }
}

/// A Web Mercator box in metres as lon/lat bounds.
fn mercator_bounds(min_x: f64, min_y: f64, max_x: f64, max_y: f64) -> Bounds {
    use crate::coordinates::mercator::inverse_mercator;
    // Metres to the normalised square (0‥1, y down) the atlas's Mercator works in.
    let normalised = |x: f64, y: f64| [(x / HALF + 1.0) / 2.0, (1.0 - y / HALF) / 2.0];
    let south_west = inverse_mercator(normalised(min_x, min_y));
    let north_east = inverse_mercator(normalised(max_x, max_y));
    Bounds {
        west: south_west.x,
        south: south_west.y,
        east: north_east.x,
        north: north_east.y,
    }
}

impl TileSource for GpkgTiles {
    fn info(&self) -> &PackageInfo {
        &self.info
    }

    /// The grid numbers rows from the top, as the atlas does.
    fn tile(&self, key: TileKey) -> Result<Option<Vec<u8>>, ErrorKind> {
        super::mbtiles::sqlite_tile(&self.connection, &self.query, key, key.y)
    }
}
