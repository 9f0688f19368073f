//! MBTiles (an SQLite file): the flat `tiles` table or the normalized `map` + `images` schema,
//! rows in TMS order (row 0 at the bottom), `metadata` with or without its `json` row.

use std::path::Path;
use std::sync::Mutex;

use rusqlite::{Connection, OpenFlags, OptionalExtension, params};

use super::{
    Bounds, ErrorKind, MAX_TILE_BYTES, MAX_ZOOM, PackageInfo, PackageKind, TileFormat, TileKey,
    TileSource, file_name, gunzip_if_needed,
};

pub struct MbTilesFile {
    connection: Mutex<Connection>,
    query: &'static str,
    /// Rows numbered from the top (a few writers do so and say `scheme: xyz`).
    xyz_rows: bool,
    info: PackageInfo,
}

const FLAT: &str =
    "SELECT tile_data FROM tiles WHERE zoom_level = ?1 AND tile_column = ?2 AND tile_row = ?3";
const NORMALIZED: &str = "SELECT images.tile_data FROM map JOIN images ON images.tile_id = \
     map.tile_id WHERE map.zoom_level = ?1 AND map.tile_column = ?2 AND map.tile_row = ?3";

fn sql_error(error: rusqlite::Error) -> ErrorKind {
    match error.sqlite_error_code() {
        Some(rusqlite::ErrorCode::NotADatabase) => {
            ErrorKind::Corrupt("not a readable SQLite database".into())
        }
        Some(rusqlite::ErrorCode::DatabaseCorrupt) => {
            ErrorKind::Corrupt("the SQLite database is damaged (truncated?)".into())
        }
        _ => ErrorKind::Corrupt(error.to_string()),
    }
}

impl MbTilesFile {
    pub fn open(path: &Path) -> Result<Self, ErrorKind> {
        let connection = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(sql_error)?;
        let tables: Vec<String> = connection
            .prepare("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")
            .and_then(|mut statement| {
                statement
                    .query_map([], |row| row.get::<_, String>(0))?
                    .collect()
            })
            .map_err(sql_error)?;
        let has = |name: &str| tables.iter().any(|t| t.eq_ignore_ascii_case(name));
        let query = if has("tiles") {
            FLAT
        } else if has("map") && has("images") {
            NORMALIZED
        } else {
            let found = if tables.is_empty() {
                "it has no tables".to_string()
            } else {
                format!("it has {}", tables.join(", "))
            };
            return Err(ErrorKind::NotAnSqliteTileSet(found));
        };
        let metadata = read_metadata(&connection, has("metadata"))?;
        let get = |key: &str| {
            metadata
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(key))
                .map(|(_, v)| v.clone())
        };
        let table = if query == FLAT { "tiles" } else { "map" };
        let (min_tile_zoom, max_tile_zoom): (Option<i64>, Option<i64>) = connection
            .query_row(
                &format!("SELECT MIN(zoom_level), MAX(zoom_level) FROM {table}"),
                [],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .map_err(sql_error)?;
        let (Some(min_tile_zoom), Some(max_tile_zoom)) = (min_tile_zoom, max_tile_zoom) else {
            return Err(ErrorKind::NoTiles);
        };
        let zoom = |text: Option<String>, fallback: i64| {
            text.and_then(|t| t.trim().parse::<i64>().ok())
                .unwrap_or(fallback)
                .clamp(0, i64::from(MAX_ZOOM)) as u8
        };
        let min_zoom = zoom(get("minzoom"), min_tile_zoom);
        let max_zoom = zoom(get("maxzoom"), max_tile_zoom).max(min_zoom);
        let xyz_rows = get("scheme").is_some_and(|s| s.trim().eq_ignore_ascii_case("xyz"));
        let name = get("name")
            .filter(|n| !n.trim().is_empty())
            .unwrap_or_else(|| file_name(path));
        let attribution = get("attribution").unwrap_or_default();
        let (datum, datum_guessed) = super::datum_of(
            get("datum").or_else(|| get("crs")),
            &[&name, &attribution, &get("description").unwrap_or_default()],
        );
        let vector_layers = get("json")
            .and_then(|json| serde_json::from_str::<serde_json::Value>(&json).ok())
            .and_then(|json| {
                let layers = json.get("vector_layers")?.as_array()?.clone();
                Some(
                    layers
                        .iter()
                        .filter_map(|l| l.get("id")?.as_str().map(str::to_string))
                        .collect(),
                )
            })
            .unwrap_or_default();
        let mut file = Self {
            connection: Mutex::new(connection),
            query,
            xyz_rows,
            info: PackageInfo {
                kind: PackageKind::MbTiles,
                name,
                attribution,
                format: TileFormat::Other(String::new()),
                min_zoom,
                max_zoom,
                bounds: None,
                tile_size: 256,
                datum,
                datum_guessed,
                vector_layers,
            },
        };
        file.info.bounds = get("bounds")
            .and_then(|b| Bounds::parse(&b))
            .or_else(|| file.bounds_of_tiles(table, 10.clamp(min_tile_zoom, max_tile_zoom)));
        file.info.format = match get("format") {
            Some(format) => TileFormat::from_name(&format),
            None => file.sniff_format(table)?,
        };
        file.info.tile_size =
            super::raster::probe_tile_size(&file, file.info.bounds, min_zoom, max_zoom);
        Ok(file)
    }

    /// The bounds of the tiles at zoom `z`, for a package whose metadata has none (zoom 10 or
    /// the nearest the package has: fine enough to zoom to, few enough rows to read at once).
    fn bounds_of_tiles(&self, table: &str, z: i64) -> Option<Bounds> {
        let connection = self.connection.lock().ok()?;
        let (min_x, max_x, min_row, max_row): (i64, i64, i64, i64) = connection
            .query_row(
                &format!(
                    "SELECT MIN(tile_column), MAX(tile_column), MIN(tile_row), MAX(tile_row) \
                     FROM {table} WHERE zoom_level = ?1"
                ),
                params![z],
                |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)),
            )
            .ok()?;
        let z = u8::try_from(z).ok().filter(|z| *z <= MAX_ZOOM)?;
        let last = (1i64 << z) - 1;
        let row_to_y = |row: i64| if self.xyz_rows { row } else { last - row };
        let (top, bottom) = (
            row_to_y(max_row).min(row_to_y(min_row)),
            row_to_y(max_row).max(row_to_y(min_row)),
        );
        let fits = |v: i64| (0..=last).contains(&v);
        if ![min_x, max_x, top, bottom].into_iter().all(fits) {
            return None;
        }
        Bounds::of_tiles(z, min_x as u32, top as u32, max_x as u32, bottom as u32)
    }

    /// The format of the first tile, for a package whose metadata does not say.
    fn sniff_format(&self, table: &str) -> Result<TileFormat, ErrorKind> {
        let column = if table == "tiles" {
            "tile_data FROM tiles"
        } else {
            "tile_data FROM images"
        };
        let connection = self
            .connection
            .lock()
            .map_err(|_| ErrorKind::Corrupt("the package's lock is poisoned".into()))?;
        let bytes: Option<Vec<u8>> = connection
            .query_row(&format!("SELECT {column} LIMIT 1"), [], |row| row.get(0))
            .optional()
            .map_err(sql_error)?;
        let bytes = gunzip_if_needed(bytes.unwrap_or_default(), MAX_TILE_BYTES)
            .map_err(ErrorKind::Corrupt)?;
        Ok(TileFormat::sniff(&bytes))
    }
}

/// The metadata's rows, with a `json` row's keys added to them when they are missing.
fn read_metadata(
    connection: &Connection,
    exists: bool,
) -> Result<Vec<(String, String)>, ErrorKind> {
    if !exists {
        return Ok(Vec::new());
    }
    let rows: Vec<(String, String)> = connection
        .prepare("SELECT name, value FROM metadata")
        .and_then(|mut statement| {
            statement
                .query_map([], |row| {
                    let value = match row.get_ref(1)? {
                        rusqlite::types::ValueRef::Text(t) => {
                            String::from_utf8_lossy(t).into_owned()
                        }
                        rusqlite::types::ValueRef::Integer(i) => i.to_string(),
                        rusqlite::types::ValueRef::Real(r) => r.to_string(),
                        _ => String::new(),
                    };
                    Ok((row.get::<_, String>(0).unwrap_or_default(), value))
                })?
                .collect()
        })
        .map_err(sql_error)?;
    Ok(rows)
}

impl TileSource for MbTilesFile {
    fn info(&self) -> &PackageInfo {
        &self.info
    }

    fn tile(&self, key: TileKey) -> Result<Option<Vec<u8>>, ErrorKind> {
        let row = if self.xyz_rows { key.y } else { key.tms_row() };
        sqlite_tile(&self.connection, self.query, key, row)
    }
}

/// Tile `key` (its row `row` as the table numbers them) from an SQLite tile table by `query`
/// (`… WHERE zoom_level = ?1 AND tile_column = ?2 AND tile_row = ?3`): too large a blob
/// refused, a gzipped one unpacked. MBTiles and a GeoPackage's tiles read through it.
pub(super) fn sqlite_tile(
    connection: &std::sync::Mutex<Connection>,
    query: &str,
    key: TileKey,
    row: u32,
) -> Result<Option<Vec<u8>>, ErrorKind> {
    let bytes: Option<Vec<u8>> = {
        let connection = connection
            .lock()
            .map_err(|_| ErrorKind::Corrupt("the package's lock is poisoned".into()))?;
        let mut statement = connection.prepare_cached(query).map_err(sql_error)?;
        statement
            .query_row(params![key.z, key.x, row], |row| row.get(0))
            .optional()
            .map_err(|e| ErrorKind::BadTile {
                tile: key,
                why: sql_error(e).to_string_en(),
            })?
    };
    match bytes {
        None => Ok(None),
        Some(bytes) if bytes.len() > MAX_TILE_BYTES => Err(ErrorKind::BadTile {
            tile: key,
            why: format!("{} MB, too large for a tile", bytes.len() / 1_048_576),
        }),
        Some(bytes) => gunzip_if_needed(bytes, MAX_TILE_BYTES)
            .map(Some)
            .map_err(|why| ErrorKind::BadTile { tile: key, why }),
    }
}

impl ErrorKind {
    /// The reason alone, in English (for a tile's error that wraps a file's).
    fn to_string_en(&self) -> String {
        match self {
            ErrorKind::Corrupt(why) => why.clone(),
            other => format!("{other:?}"),
        }
    }
}
