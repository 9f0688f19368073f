//! Basemap packages: tiles from a PMTiles or MBTiles file or a folder of `z/x/y` images, opened
//! once and read from any thread. A package says what it holds ([`PackageInfo`]: format, zoom
//! range, bounds, tile size, attribution, datum) and hands out the bytes of one tile at a time,
//! decompressed. Decoding raster tiles is [`raster`]'s job; drawing them is the window's and the
//! export's.

mod folder;
mod gpkg;
pub mod loader;
mod mbtiles;
pub mod mvt;
pub mod ogc;
mod pmtiles;
pub mod raster;
pub mod server;

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::model::Lang;

pub use crate::coordinates::mercator::TileKey;

/// The deepest zoom a package may declare (tile numbers still fit in `u32` far beyond it).
pub const MAX_ZOOM: u8 = crate::coordinates::mercator::MAX_TILE_ZOOM;

/// What a tile's bytes are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TileFormat {
    Png,
    Jpeg,
    Webp,
    /// Mapbox Vector Tiles (protobuf).
    Mvt,
    /// A format the atlas cannot draw (AVIF, say), by its name.
    Other(String),
}

impl TileFormat {
    /// From a format name as MBTiles metadata and file extensions give it.
    pub fn from_name(name: &str) -> Self {
        match name.trim().to_ascii_lowercase().as_str() {
            "png" => TileFormat::Png,
            "jpg" | "jpeg" => TileFormat::Jpeg,
            "webp" => TileFormat::Webp,
            "pbf" | "mvt" => TileFormat::Mvt,
            other => TileFormat::Other(other.to_string()),
        }
    }

    /// By a tile's first bytes (a package whose metadata does not say): an image's magic, or
    /// a vector tile's first field (0x1a, its layers).
    pub fn sniff(bytes: &[u8]) -> Self {
        match raster::sniff(bytes) {
            Some(image::ImageFormat::Png) => TileFormat::Png,
            Some(image::ImageFormat::Jpeg) => TileFormat::Jpeg,
            Some(image::ImageFormat::WebP) => TileFormat::Webp,
            _ if bytes.first() == Some(&0x1a) => TileFormat::Mvt,
            _ => TileFormat::Other("unknown".into()),
        }
    }

    pub fn is_raster(&self) -> bool {
        matches!(self, TileFormat::Png | TileFormat::Jpeg | TileFormat::Webp)
    }

    pub fn name(&self) -> &str {
        match self {
            TileFormat::Png => "PNG",
            TileFormat::Jpeg => "JPEG",
            TileFormat::Webp => "WebP",
            TileFormat::Mvt => "MVT",
            TileFormat::Other(name) => name,
        }
    }
}

pub use crate::coordinates::datum::Datum;

/// The datum a map over `shown` packages (bottom first) is drawn in: the lowest one's, the
/// base (overlays such as an annotation layer follow it), else WGS-84.
pub fn base_datum<'a>(shown: impl IntoIterator<Item = &'a Package>) -> Datum {
    shown
        .into_iter()
        .next()
        .map_or(Datum::Wgs84, Package::datum)
}

/// A package's datum: what its metadata states (`datum` or `crs`), else a guess from its
/// texts; and whether it is a guess.
pub fn datum_of(stated: Option<String>, texts: &[&str]) -> (Datum, bool) {
    match stated {
        Some(datum) if datum.to_lowercase().contains("gcj") => (Datum::Gcj02, false),
        Some(_) => (Datum::Wgs84, false),
        None => guess_datum(texts).map_or((Datum::Wgs84, false), |datum| (datum, true)),
    }
}

/// Words in a package's name or attribution that say it was made from a GCJ-02 map.
pub fn guess_datum(texts: &[&str]) -> Option<Datum> {
    const GCJ_HINTS: [&str; 6] = ["amap", "gaode", "autonavi", "google.cn", "高德", "gcj"];
    let lower: Vec<String> = texts.iter().map(|t| t.to_lowercase()).collect();
    GCJ_HINTS
        .iter()
        .any(|hint| lower.iter().any(|text| text.contains(hint)))
        .then_some(Datum::Gcj02)
}
/// How the package is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PackageKind {
    PmTiles,
    MbTiles,
    /// A GeoPackage's tiles table.
    GeoPackage,
    Folder,
    /// An XYZ tile server, by its URL template.
    Server,
}

impl PackageKind {
    pub fn name(self) -> &'static str {
        match self {
            PackageKind::PmTiles => "PMTiles",
            PackageKind::MbTiles => "MBTiles",
            PackageKind::GeoPackage => "GeoPackage",
            PackageKind::Folder => "z/x/y folder",
            PackageKind::Server => "tile server",
        }
    }
}

/// Longitude/latitude bounds, west, south, east, north.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bounds {
    pub west: f64,
    pub south: f64,
    pub east: f64,
    pub north: f64,
}

impl Bounds {
    /// Bounds that make sense: finite, inside the world, west of east and south of north.
    pub fn checked(west: f64, south: f64, east: f64, north: f64) -> Option<Self> {
        let finite = [west, south, east, north].iter().all(|v| v.is_finite());
        (finite
            && (-180.0..=180.0).contains(&west)
            && (-180.0..=180.0).contains(&east)
            && (-90.0..=90.0).contains(&south)
            && (-90.0..=90.0).contains(&north)
            && west < east
            && south < north)
            .then_some(Self {
                west,
                south,
                east,
                north,
            })
    }

    /// From the `w,s,e,n` text MBTiles metadata holds.
    pub fn parse(text: &str) -> Option<Self> {
        let values: Vec<f64> = text
            .split(',')
            .map(|v| v.trim().parse::<f64>())
            .collect::<Result<_, _>>()
            .ok()?;
        match values[..] {
            [w, s, e, n] => Self::checked(w, s, e, n),
            _ => None,
        }
    }

    /// The bounds of the tiles `keys` cover.
    pub fn of_tiles(z: u8, min_x: u32, min_y: u32, max_x: u32, max_y: u32) -> Option<Self> {
        let (west, north) = tile_corner(z, min_x, min_y);
        let (east, south) = tile_corner(z, max_x + 1, max_y + 1);
        Self::checked(west, south, east, north)
    }

    pub fn intersects(&self, other: &Bounds) -> bool {
        self.west < other.east
            && other.west < self.east
            && self.south < other.north
            && other.south < self.north
    }

    pub fn to_rect(self) -> geo::Rect {
        geo::Rect::new(
            geo::coord! { x: self.west, y: self.south },
            geo::coord! { x: self.east, y: self.north },
        )
    }
}

pub use crate::coordinates::mercator::tile_corner;

/// What a package holds, from its header and metadata.
#[derive(Debug, Clone, PartialEq)]
pub struct PackageInfo {
    pub kind: PackageKind,
    /// The package's own name, else its file name.
    pub name: String,
    pub attribution: String,
    pub format: TileFormat,
    pub min_zoom: u8,
    pub max_zoom: u8,
    pub bounds: Option<Bounds>,
    /// Pixels across a raster tile (256 or 512); 256 for vector tiles.
    pub tile_size: u32,
    /// What the metadata says, else what the name or attribution suggests.
    pub datum: Datum,
    /// Whether `datum` is a guess from the name or attribution rather than the metadata.
    pub datum_guessed: bool,
    /// The vector layers' names (empty for raster).
    pub vector_layers: Vec<String>,
}

impl PackageInfo {
    /// The zoom of the package's tiles for a map at `zoom` (256-point tiles; a page at 2 pixels a
    /// point is one zoom more): 512 px tiles one zoom less, within the package's range. Walkers
    /// chooses the window's raster tiles the same way.
    pub fn tile_zoom(&self, zoom: f64) -> u8 {
        let size_offset = (f64::from(self.tile_size) / 256.0).log2();
        (zoom - size_offset)
            .round()
            .clamp(f64::from(self.min_zoom), f64::from(self.max_zoom)) as u8
    }
}

/// Why a package cannot be opened or a tile cannot be read: in plain words, naming the file.
#[derive(Debug, Clone, PartialEq)]
pub struct PackageError {
    pub path: PathBuf,
    pub what: ErrorKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ErrorKind {
    Missing,
    Unreadable(String),
    Empty,
    NotAPackage,
    UnknownVersion(u8),
    Corrupt(String),
    NoTiles,
    UnsupportedFormat(String),
    NotAnSqliteTileSet(String),
    /// Tiles in a grid other than Web Mercator's (a GeoPackage's tile matrix set): why.
    NotWebMercator(String),
    BadTile {
        tile: TileKey,
        why: String,
    },
}

impl PackageError {
    pub fn new(path: &Path, what: ErrorKind) -> Self {
        Self {
            path: path.to_path_buf(),
            what,
        }
    }

    /// The message in `lang`, starting with the file's name.
    pub fn text(&self, lang: Lang) -> String {
        let what = match &self.what {
            ErrorKind::Missing => lang.pick("文件不存在", "file is missing").to_string(),
            ErrorKind::Unreadable(why) => format!("{}: {why}", lang.pick("无法读取", "cannot read")),
            ErrorKind::Empty => lang.pick("文件为空（0 字节）", "the file is empty (0 bytes)").into(),
            ErrorKind::NotAPackage => lang
                .pick(
                    "不是底图包：应为 PMTiles（.pmtiles）、MBTiles（.mbtiles）或 z/x/y 瓦片文件夹",
                    "not a basemap package: expected PMTiles (.pmtiles), MBTiles (.mbtiles) or a z/x/y tile folder",
                )
                .into(),
            ErrorKind::UnknownVersion(version) => format!(
                "{} {version}{}",
                lang.pick("PMTiles 版本", "PMTiles version"),
                lang.pick("，本程序只读第 3 版", ": only version 3 can be read")
            ),
            ErrorKind::Corrupt(why) => {
                format!("{}: {why}", lang.pick("文件已损坏", "the file is damaged"))
            }
            ErrorKind::NoTiles => lang.pick("包中没有瓦片", "the package holds no tiles").into(),
            ErrorKind::UnsupportedFormat(format) => format!(
                "{} {format}{}",
                lang.pick("瓦片格式", "tiles in"),
                lang.pick(
                    " 无法显示（可显示 PNG、JPEG、WebP 与 MVT）",
                    " cannot be drawn (PNG, JPEG, WebP and MVT can)"
                )
            ),
            ErrorKind::NotAnSqliteTileSet(why) => format!(
                "{}: {why}",
                lang.pick(
                    "SQLite 文件中没有 MBTiles 的 tiles 与 metadata 表",
                    "an SQLite file without the MBTiles `tiles` and `metadata` tables"
                )
            ),
            ErrorKind::NotWebMercator(why) => format!(
                "{}: {why}",
                lang.pick(
                    "瓦片不在 Web 墨卡托网格上，无法作底图",
                    "its tiles are not on Web Mercator's grid and cannot be a basemap"
                )
            ),
            ErrorKind::BadTile { tile, why } => {
                format!("{} {tile}: {why}", lang.pick("瓦片", "tile"))
            }
        };
        format!("{}: {what}", self.path.display())
    }
}

impl fmt::Display for PackageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text(Lang::En))
    }
}

impl std::error::Error for PackageError {}

/// Where tiles come from: one per package, shared by the threads that decode its tiles.
pub trait TileSource: Send + Sync {
    fn info(&self) -> &PackageInfo;

    /// The bytes of the tile at `key` (decompressed), `None` where the package has none.
    fn tile(&self, key: TileKey) -> Result<Option<Vec<u8>>, ErrorKind>;
}

/// An opened package.
#[derive(Clone)]
pub struct Package {
    pub path: PathBuf,
    source: Arc<dyn TileSource>,
    /// The datum its tiles are drawn in: the metadata's (or the guess), unless the user said.
    datum: Datum,
}

impl fmt::Debug for Package {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Package")
            .field("path", &self.path)
            .field("info", self.info())
            .field("datum", &self.datum)
            .finish()
    }
}

/// Two packages are the same when they are the same file, drawn in the same datum.
impl PartialEq for Package {
    fn eq(&self, other: &Self) -> bool {
        self.path == other.path && self.datum == other.datum
    }
}

impl Package {
    /// Opens a package: a folder of tiles, or a file recognised by its first bytes (not its
    /// name), so a renamed file still opens and a wrong one is refused with a reason.
    pub fn open(path: &Path) -> Result<Self, PackageError> {
        let path = &where_is(path);
        if let Some(url) = path.to_str().filter(|p| server::is_url(p)) {
            return Self::open_server(
                url,
                crate::paths::cache_dir().as_deref(),
                server::cache_cap(),
            );
        }
        let error = |what| PackageError::new(path, what);
        let metadata = std::fs::metadata(path).map_err(|e| {
            error(match e.kind() {
                std::io::ErrorKind::NotFound => ErrorKind::Missing,
                _ => ErrorKind::Unreadable(e.to_string()),
            })
        })?;
        let source: Arc<dyn TileSource> = if metadata.is_dir() {
            Arc::new(folder::FolderTiles::open(path).map_err(error)?)
        } else if !metadata.is_file() {
            return Err(error(ErrorKind::Unreadable(
                "not a regular file (a pipe or a device)".into(),
            )));
        } else if metadata.len() == 0 {
            return Err(error(ErrorKind::Empty));
        } else {
            let magic = read_prefix(path, 16).map_err(|e| error(ErrorKind::Unreadable(e)))?;
            if magic.starts_with(b"PMTiles") {
                Arc::new(pmtiles::PmTilesFile::open(path).map_err(error)?)
            } else if magic.starts_with(b"SQLite format 3\0") && gpkg::has_tiles(path) {
                // Decided by its tables, not its name.
                Arc::new(gpkg::GpkgTiles::open(path).map_err(error)?)
            } else if magic.starts_with(b"SQLite format 3\0") {
                Arc::new(mbtiles::MbTilesFile::open(path).map_err(error)?)
            } else {
                return Err(error(ErrorKind::NotAPackage));
            }
        };
        let info = source.info();
        if !(info.format.is_raster() || info.format == TileFormat::Mvt) {
            return Err(error(ErrorKind::UnsupportedFormat(
                info.format.name().to_string(),
            )));
        }
        let datum = info.datum;
        Ok(Self {
            path: path.to_path_buf(),
            source,
            datum,
        })
    }

    /// A tile server by its URL template, its tiles cached under `cache` up to `cap` bytes.
    pub fn open_server(url: &str, cache: Option<&Path>, cap: u64) -> Result<Self, PackageError> {
        // A WMS or WMTS by its capabilities: the layer named is checked and made a tile
        // template, which is what is remembered (it opens again offline, from the cache).
        let service = ogc::resolve(url)
            .map_err(|why| PackageError::new(Path::new(url), ErrorKind::Unreadable(why)))?;
        let template = service.as_ref().map_or(url, |s| s.template.as_str());
        let path = PathBuf::from(template);
        let mut tiles = server::ServerTiles::open(template, cache, cap)
            .map_err(|what| PackageError::new(&path, what))?;
        if let Some(service) = &service {
            tiles = tiles.titled(&service.title);
            if let Some((min, max)) = service.zooms {
                tiles = tiles.with_zooms(min, max);
            }
        }
        let datum = tiles.info().datum;
        Ok(Self {
            path,
            source: Arc::new(tiles),
            datum,
        })
    }

    pub fn info(&self) -> &PackageInfo {
        self.source.info()
    }

    /// The datum the package's tiles are drawn in.
    pub fn datum(&self) -> Datum {
        self.datum
    }

    /// Whether the user chose the datum (rather than the metadata or the name).
    pub fn datum_chosen(&self) -> bool {
        self.datum != self.info().datum
    }

    /// The user says which datum the tiles are in (a cache of Amap tiles says nothing).
    pub fn set_datum(&mut self, datum: Datum) {
        self.datum = datum;
    }

    /// The bytes of one tile, decompressed; `None` where the package has none.
    pub fn tile(&self, key: TileKey) -> Result<Option<Vec<u8>>, PackageError> {
        if !key.is_valid() {
            return Ok(None);
        }
        self.source
            .tile(key)
            .map_err(|what| PackageError::new(&self.path, what))
    }

    /// The tile to draw for `key`: the package's own, or above its deepest zoom the ancestor
    /// at that zoom (over-zoomed; [`SubTile::of`] says which part of it `key` covers).
    pub fn source_key(&self, key: TileKey) -> TileKey {
        key.ancestor(key.z.saturating_sub(self.info().max_zoom))
    }
}

/// The part of a tile that a deeper tile covers, as fractions of its width and height.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SubTile {
    pub min: [f32; 2],
    pub max: [f32; 2],
}

impl SubTile {
    pub const WHOLE: SubTile = SubTile {
        min: [0.0, 0.0],
        max: [1.0, 1.0],
    };

    /// The part of `key`'s ancestor `levels` up that `key` covers.
    pub fn of(key: TileKey, levels: u8) -> Self {
        let levels = levels.min(key.z).min(31);
        let n = (1u32 << levels) as f32;
        let mask = (1u32 << levels) - 1;
        let (dx, dy) = ((key.x & mask) as f32, (key.y & mask) as f32);
        Self {
            min: [dx / n, dy / n],
            max: [(dx + 1.0) / n, (dy + 1.0) / n],
        }
    }
}

/// Where a package is, as it is remembered: a file's absolute path (so that it opens again
/// from any working folder), a tile server's URL as it is.
pub fn where_is(path: &Path) -> PathBuf {
    match path.to_str() {
        Some(text) if server::is_url(text) => path.to_path_buf(),
        _ => std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf()),
    }
}

/// A text member of a package's JSON metadata.
pub(crate) fn json_text(metadata: &serde_json::Value, key: &str) -> Option<String> {
    metadata.get(key)?.as_str().map(str::to_string)
}

/// An attribution as text: they often come as HTML links (`<a href=…>&copy; OSM</a>`).
pub fn plain_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&copy;", "©").replace("&amp;", "&")
}

/// The first `len` bytes of a file (fewer if it is shorter).
fn read_prefix(path: &Path, len: usize) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let mut file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let mut buffer = Vec::with_capacity(len);
    file.by_ref()
        .take(len as u64)
        .read_to_end(&mut buffer)
        .map_err(|e| e.to_string())?;
    Ok(buffer)
}

/// Undoes gzip where a tile or metadata is gzipped (vector tiles in MBTiles and PMTiles
/// usually are), at most `limit` bytes out so that a gzip bomb is refused.
pub(crate) fn gunzip_if_needed(bytes: Vec<u8>, limit: usize) -> Result<Vec<u8>, String> {
    use std::io::Read;
    if !bytes.starts_with(&[0x1f, 0x8b]) {
        return Ok(bytes);
    }
    let mut out = Vec::new();
    flate2::read::MultiGzDecoder::new(&bytes[..])
        .take(limit as u64 + 1)
        .read_to_end(&mut out)
        .map_err(|e| format!("broken gzip data ({e})"))?;
    if out.len() > limit {
        return Err(format!("unpacks to more than {} MB", limit / 1_048_576));
    }
    Ok(out)
}

/// The largest tile accepted, unpacked.
pub(crate) const MAX_TILE_BYTES: usize = 16 * 1024 * 1024;

/// The file's name without its folder, for a package without a name of its own.
pub(crate) fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attribution_links_become_text() {
        assert_eq!(
            plain_text(r#"<a href="https://osm.org">&copy; OpenStreetMap</a> contributors"#),
            "© OpenStreetMap contributors"
        );
    }

    #[test]
    fn tms_rows_count_from_the_bottom() {
        assert_eq!(TileKey::new(0, 0, 0).tms_row(), 0);
        assert_eq!(TileKey::new(3, 1, 0).tms_row(), 7);
        assert_eq!(TileKey::new(3, 1, 7).tms_row(), 0);
    }

    #[test]
    fn an_over_zoomed_tile_is_the_right_quarter_of_its_parent() {
        let key = TileKey::new(15, 26_085, 13_543);
        assert_eq!(key.ancestor(1), TileKey::new(14, 13_042, 6_771));
        let part = SubTile::of(key, 1);
        assert_eq!(part.min, [0.5, 0.5]);
        assert_eq!(part.max, [1.0, 1.0]);
        let part = SubTile::of(TileKey::new(16, 4, 3), 2);
        assert_eq!(part.min, [0.0, 0.75]);
    }

    #[test]
    fn gcj_packages_are_recognised_by_their_words() {
        assert_eq!(guess_datum(&["高德地图 影像"]), Some(Datum::Gcj02));
        assert_eq!(guess_datum(&["© AutoNavi"]), Some(Datum::Gcj02));
        assert_eq!(guess_datum(&["© OpenStreetMap contributors"]), None);
    }

    #[test]
    fn a_gzip_bomb_is_refused() {
        use std::io::Write;
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        encoder.write_all(&vec![0u8; 4096]).unwrap_or_default();
        let bytes = encoder.finish().unwrap_or_default();
        assert!(gunzip_if_needed(bytes.clone(), 1024).is_err());
        assert_eq!(gunzip_if_needed(bytes, 8192).map(|b| b.len()), Ok(4096));
    }
}
