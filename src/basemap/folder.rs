//! A folder of tiles, `z/x/y.png|jpg|jpeg|webp|pbf|mvt`: rows from the top (XYZ) unless the
//! folder says TMS (gdal2tiles' `tilemapresource.xml`, or `"scheme": "tms"` in a
//! `metadata.json` as mb-util writes it).

use std::path::{Path, PathBuf};

use super::{
    Bounds, ErrorKind, MAX_TILE_BYTES, MAX_ZOOM, PackageInfo, PackageKind, TileFormat, TileKey,
    TileSource, file_name, gunzip_if_needed,
};

pub struct FolderTiles {
    root: PathBuf,
    extension: String,
    tms: bool,
    info: PackageInfo,
}

const EXTENSIONS: [&str; 6] = ["png", "jpg", "jpeg", "webp", "pbf", "mvt"];

/// Subfolders or files named by a number (`12`, or `1695.png` with `.png` cut off).
fn numbered(dir: &Path, extension: Option<&str>) -> Vec<(u32, PathBuf)> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<(u32, PathBuf)> = entries
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            let stem = match extension {
                Some(ext) => name.strip_suffix(&format!(".{ext}"))?.to_string(),
                None => name,
            };
            Some((stem.parse::<u32>().ok()?, entry.path()))
        })
        .collect();
    found.sort();
    found
}

impl FolderTiles {
    pub fn open(root: &Path) -> Result<Self, ErrorKind> {
        let zooms: Vec<(u32, PathBuf)> = numbered(root, None)
            .into_iter()
            .filter(|(z, path)| *z <= u32::from(MAX_ZOOM) && path.is_dir())
            .collect();
        let (Some((min_zoom, _)), Some((max_zoom, _))) = (zooms.first(), zooms.last()) else {
            return Err(ErrorKind::NotAPackage);
        };
        let (min_zoom, max_zoom) = (*min_zoom as u8, *max_zoom as u8);
        // The extension of the first tile found, looking in a few columns of each zoom.
        let extension = zooms
            .iter()
            .flat_map(|(_, zoom_dir)| numbered(zoom_dir, None).into_iter().take(4))
            .find_map(|(_, column)| {
                let entries = std::fs::read_dir(column).ok()?;
                entries.flatten().find_map(|entry| {
                    let name = entry.file_name().to_string_lossy().to_lowercase();
                    let (stem, ext) = name.rsplit_once('.')?;
                    (stem.parse::<u32>().is_ok() && EXTENSIONS.contains(&ext))
                        .then(|| ext.to_string())
                })
            })
            .ok_or_else(|| {
                ErrorKind::UnsupportedFormat(
                    "none (the folders hold no z/x/y.png, .jpg, .webp or .pbf files)".into(),
                )
            })?;
        let metadata: serde_json::Value = std::fs::read_to_string(root.join("metadata.json"))
            .ok()
            .and_then(|text| serde_json::from_str(&text).ok())
            .unwrap_or_default();
        let text = |key: &str| super::json_text(&metadata, key);
        let tms = root.join("tilemapresource.xml").is_file()
            || text("scheme").is_some_and(|s| s.eq_ignore_ascii_case("tms"));
        let name = text("name").unwrap_or_else(|| file_name(root));
        let attribution = text("attribution").unwrap_or_default();
        let (datum, datum_guessed) = super::datum_of(
            text("datum"),
            &[&name, &attribution, &root.display().to_string()],
        );
        let mut folder = Self {
            root: root.to_path_buf(),
            extension: extension.clone(),
            tms,
            info: PackageInfo {
                kind: PackageKind::Folder,
                name,
                attribution,
                format: TileFormat::from_name(&extension),
                min_zoom,
                max_zoom,
                bounds: None,
                tile_size: 256,
                datum,
                datum_guessed,
                vector_layers: Vec::new(),
            },
        };
        folder.info.bounds = text("bounds")
            .and_then(|b| Bounds::parse(&b))
            .or_else(|| folder.bounds_at(10.clamp(min_zoom, max_zoom), &zooms));
        folder.info.tile_size =
            super::raster::probe_tile_size(&folder, folder.info.bounds, min_zoom, max_zoom);
        Ok(folder)
    }

    /// The bounds of the tiles at zoom `z`.
    fn bounds_at(&self, z: u8, zooms: &[(u32, PathBuf)]) -> Option<Bounds> {
        let (_, zoom_dir) = zooms.iter().find(|(zoom, _)| *zoom == u32::from(z))?;
        let columns = numbered(zoom_dir, None);
        let (min_x, max_x) = (columns.first()?.0, columns.last()?.0);
        let rows: Vec<u32> = columns
            .iter()
            .flat_map(|(_, column)| numbered(column, Some(&self.extension)))
            .map(|(row, _)| self.row_to_y(z, row))
            .collect();
        let (top, bottom) = (*rows.iter().min()?, *rows.iter().max()?);
        let last = (1u32 << z) - 1;
        (max_x <= last && bottom <= last)
            .then(|| Bounds::of_tiles(z, min_x, top, max_x, bottom))
            .flatten()
    }

    fn row_to_y(&self, z: u8, row: u32) -> u32 {
        if self.tms {
            ((1u32 << z) - 1).saturating_sub(row)
        } else {
            row
        }
    }
}

impl TileSource for FolderTiles {
    fn info(&self) -> &PackageInfo {
        &self.info
    }

    fn tile(&self, key: TileKey) -> Result<Option<Vec<u8>>, ErrorKind> {
        let row = self.row_to_y(key.z, key.y);
        let path = self
            .root
            .join(key.z.to_string())
            .join(key.x.to_string())
            .join(format!("{row}.{}", self.extension));
        let metadata = match std::fs::metadata(&path) {
            Ok(metadata) => metadata,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => {
                return Err(ErrorKind::BadTile {
                    tile: key,
                    why: e.to_string(),
                });
            }
        };
        if !metadata.is_file() || metadata.len() > MAX_TILE_BYTES as u64 {
            return Err(ErrorKind::BadTile {
                tile: key,
                why: format!("{} is not a tile file of a sensible size", path.display()),
            });
        }
        let bytes = std::fs::read(&path).map_err(|e| ErrorKind::BadTile {
            tile: key,
            why: e.to_string(),
        })?;
        gunzip_if_needed(bytes, MAX_TILE_BYTES)
            .map(Some)
            .map_err(|why| ErrorKind::BadTile { tile: key, why })
    }
}
