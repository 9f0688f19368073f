//! PMTiles v3 through the `pmtiles` crate, over a memory map of the file opened once (walkers'
//! own source reopens the file for every tile). The crate's reader is async; its futures
//! complete at once over a memory map, so they are driven to completion on the calling thread.

use std::future::{Future, ready};
use std::path::Path;

use bytes::Bytes;
use pmtiles::{
    AsyncBackend, AsyncPmTilesReader, BackendResponse, Compression, HashMapCache, PmtError,
    PmtResult, TileCoord, TileType,
};

use super::{
    Bounds, ErrorKind, MAX_TILE_BYTES, MAX_ZOOM, PackageInfo, PackageKind, TileFormat, TileKey,
    TileSource, file_name, gunzip_if_needed,
};

/// The whole file, mapped.
struct MappedFile(Bytes);

impl AsyncBackend for MappedFile {
    fn read(
        &self,
        offset: u64,
        length: usize,
    ) -> impl Future<Output = PmtResult<BackendResponse>> + Send {
        let len = self.0.len();
        let response = usize::try_from(offset)
            .ok()
            .filter(|start| *start <= len)
            .map(|start| {
                let end = start.saturating_add(length).min(len);
                BackendResponse::new(self.0.slice(start..end))
            })
            .ok_or_else(|| {
                PmtError::Reading(std::io::Error::from(std::io::ErrorKind::UnexpectedEof))
            });
        ready(response)
    }
}

pub struct PmTilesFile {
    reader: AsyncPmTilesReader<MappedFile, HashMapCache>,
    info: PackageInfo,
}

impl PmTilesFile {
    pub fn open(path: &Path) -> Result<Self, ErrorKind> {
        let file = std::fs::File::open(path).map_err(|e| ErrorKind::Unreadable(e.to_string()))?;
        // SAFETY: the map is read only. If another program truncates the file while it is
        // open, reading a page past the new end faults; basemap packages are not written to
        // while they are in use, and the same holds for every program that maps them.
        let map = unsafe { memmap2::Mmap::map(&file) }
            .map_err(|e| ErrorKind::Unreadable(e.to_string()))?;
        let version = map.get(7).copied().unwrap_or(0);
        if version != 3 {
            return Err(ErrorKind::UnknownVersion(version));
        }
        check_sections(&map)?;
        let backend = MappedFile(Bytes::from_owner(map));
        let reader = futures::executor::block_on(AsyncPmTilesReader::try_from_cached_source(
            backend,
            HashMapCache::default(),
        ))
        .map_err(corrupt)?;
        let header = reader.get_header();
        let format = match header.tile_type {
            TileType::Png => TileFormat::Png,
            TileType::Jpeg => TileFormat::Jpeg,
            TileType::Webp => TileFormat::Webp,
            TileType::Mvt => TileFormat::Mvt,
            other => TileFormat::Other(format!("{other:?}")),
        };
        if !matches!(
            header.tile_compression,
            Compression::None | Compression::Gzip | Compression::Unknown
        ) {
            return Err(ErrorKind::UnsupportedFormat(format!(
                "{} ({:?})",
                format.name(),
                header.tile_compression
            )));
        }
        let metadata = futures::executor::block_on(reader.get_metadata())
            .ok()
            .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
            .unwrap_or_default();
        let text = |key: &str| super::json_text(&metadata, key);
        let name = text("name").unwrap_or_else(|| file_name(path));
        let attribution = text("attribution").unwrap_or_default();
        let (datum, datum_guessed) = super::datum_of(
            text("datum").or_else(|| text("crs")),
            &[&name, &attribution],
        );
        // Converted from MBTiles, the layers may still sit in a `json` text of their own.
        let nested: Option<serde_json::Value> = metadata
            .get("json")
            .and_then(|v| v.as_str())
            .and_then(|text| serde_json::from_str(text).ok());
        let vector_layers = metadata
            .get("vector_layers")
            .or_else(|| nested.as_ref()?.get("vector_layers"))
            .and_then(|v| v.as_array())
            .map(|layers| {
                layers
                    .iter()
                    .filter_map(|l| l.get("id")?.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        let min_zoom = header.min_zoom.min(MAX_ZOOM);
        let max_zoom = header.max_zoom.clamp(min_zoom, MAX_ZOOM);
        let bounds = Bounds::checked(
            header.min_longitude,
            header.min_latitude,
            header.max_longitude,
            header.max_latitude,
        );
        let mut file = Self {
            reader,
            info: PackageInfo {
                kind: PackageKind::PmTiles,
                name,
                attribution,
                format,
                min_zoom,
                max_zoom,
                bounds,
                tile_size: 256,
                datum,
                datum_guessed,
                vector_layers,
            },
        };
        file.info.tile_size = super::raster::probe_tile_size(&file, bounds, min_zoom, max_zoom);
        Ok(file)
    }
}

/// The header's sections (root directory, metadata, leaf directories, tile data) lie inside
/// the file: a truncated download is told at once, not tile by tile.
fn check_sections(file: &[u8]) -> Result<(), ErrorKind> {
    let field = |at: usize| {
        file.get(at..at + 8)
            .and_then(|b| b.try_into().ok())
            .map(u64::from_le_bytes)
    };
    let len = file.len() as u64;
    for (name, offset_at) in [
        ("root directory", 8),
        ("metadata", 24),
        ("leaf directories", 40),
        ("tile data", 56),
    ] {
        let (Some(offset), Some(length)) = (field(offset_at), field(offset_at + 8)) else {
            return Err(ErrorKind::Corrupt("the header is cut short".into()));
        };
        let end = offset.saturating_add(length);
        if length > 0 && end > len {
            return Err(ErrorKind::Corrupt(format!(
                "its {name} ends at byte {end} but the file has {len} bytes (truncated?)"
            )));
        }
    }
    Ok(())
}

fn corrupt(error: PmtError) -> ErrorKind {
    ErrorKind::Corrupt(match error {
        PmtError::InvalidMagicNumber => "the PMTiles header is wrong".into(),
        PmtError::InvalidHeader => "the header points outside the file".into(),
        PmtError::InvalidEntry => "a directory entry points outside the file".into(),
        PmtError::Reading(_) | PmtError::UnexpectedNumberOfBytesReturned(..) => {
            "a directory or tile lies past the end of the file (truncated?)".into()
        }
        other => other.to_string(),
    })
}

impl TileSource for PmTilesFile {
    fn info(&self) -> &PackageInfo {
        &self.info
    }

    fn tile(&self, key: TileKey) -> Result<Option<Vec<u8>>, ErrorKind> {
        let coord = TileCoord::new(key.z, key.x, key.y).map_err(|e| ErrorKind::BadTile {
            tile: key,
            why: e.to_string(),
        })?;
        let Some(bytes) =
            futures::executor::block_on(self.reader.get_tile(coord)).map_err(corrupt)?
        else {
            return Ok(None);
        };
        if bytes.len() > MAX_TILE_BYTES {
            return Err(ErrorKind::BadTile {
                tile: key,
                why: format!("{} MB, too large for a tile", bytes.len() / 1_048_576),
            });
        }
        gunzip_if_needed(bytes.to_vec(), MAX_TILE_BYTES)
            .map(Some)
            .map_err(|why| ErrorKind::BadTile { tile: key, why })
    }
}
