//! An organisation's tile server (martin, GeoServer, a 天地图 mirror on the intranet) by its
//! XYZ URL template: `https://tiles.example/{z}/{x}/{y}.png` (`{-y}` for TMS rows). Contacted
//! only when the user adds one; every tile fetched is kept in a cache folder with a size cap
//! (oldest dropped first), so that a laptop that leaves the office keeps what it has seen.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use super::{
    ErrorKind, MAX_TILE_BYTES, MAX_ZOOM, PackageInfo, PackageKind, TileFormat, TileKey, TileSource,
    gunzip_if_needed,
};

pub use crate::http::{CACHE_CAP_BYTES, CACHE_CAP_VARIABLE, cache_cap};
use crate::http::{agent, keep_under};

/// Whether `text` is a tile server's URL template rather than a file.
pub fn is_url(text: &str) -> bool {
    let lower = text.trim_start().to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

struct DiskCache {
    dir: PathBuf,
    cap: u64,
    used: AtomicU64,
    /// One pruning at a time.
    pruning: Mutex<()>,
}

impl DiskCache {
    fn open(dir: PathBuf, cap: u64) -> Self {
        let used = crate::http::folder_size(&dir);
        Self {
            dir,
            cap,
            used: AtomicU64::new(used),
            pruning: Mutex::new(()),
        }
    }

    fn path(&self, key: TileKey) -> PathBuf {
        self.dir
            .join(key.z.to_string())
            .join(key.x.to_string())
            .join(key.y.to_string())
    }

    fn get(&self, key: TileKey) -> Option<Vec<u8>> {
        std::fs::read(self.path(key)).ok()
    }

    /// Keeps a tile (whole or not at all), then drops the oldest tiles if over the cap.
    fn put(&self, key: TileKey, bytes: &[u8]) {
        let path = self.path(key);
        let Some(folder) = path.parent() else {
            return;
        };
        if std::fs::create_dir_all(folder).is_err() {
            return;
        }
        if crate::atomic_file::write(&path, bytes).is_err() {
            return;
        }
        let used = self.used.fetch_add(bytes.len() as u64, Ordering::Relaxed) + bytes.len() as u64;
        if used > self.cap {
            self.prune();
        }
    }

    fn prune(&self) {
        let Ok(_one) = self.pruning.try_lock() else {
            return;
        };
        self.used
            .store(keep_under(&self.dir, self.cap), Ordering::Relaxed);
    }
}

pub struct ServerTiles {
    template: String,
    agent: ureq::Agent,
    cache: Option<DiskCache>,
    info: PackageInfo,
}

impl ServerTiles {
    /// A server by its template; nothing is fetched until a tile is asked for. Tiles are
    /// cached in `cache` (a folder for this template is made inside it), up to `cap` bytes.
    pub fn open(template: &str, cache: Option<&Path>, cap: u64) -> Result<Self, ErrorKind> {
        let template = template.trim().to_string();
        let has = |part: &str| template.contains(part);
        let xyz = has("{z}") && has("{x}") && (has("{y}") || has("{-y}"));
        if !(xyz || has(super::ogc::BBOX)) {
            return Err(ErrorKind::Unreadable(
                "a tile server is given by a URL template with {z}, {x} and {y} (or {-y} for TMS rows), e.g. https://tiles.example/{z}/{x}/{y}.png, by a WMS GetMap template with BBOX={bbox-epsg-3857}, or by a WMS GetCapabilities address with &LAYERS=NAME".into(),
            ));
        }
        let path_part = template.split(['?', '#']).next().unwrap_or(&template);
        // A WMS says its format in FORMAT=image/…; a tile server in its extension.
        let wms_format = template
            .to_ascii_lowercase()
            .split(['?', '&'])
            .find_map(|p| p.strip_prefix("format=image/").map(str::to_string));
        let extension = wms_format
            .as_deref()
            .unwrap_or_else(|| path_part.rsplit_once('.').map_or("png", |(_, ext)| ext));
        let format = match TileFormat::from_name(extension) {
            TileFormat::Other(_) => TileFormat::Png,
            known => known,
        };
        let host = template
            .split("://")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .unwrap_or("tile server")
            .to_string();
        // A WMS or WMTS reopened from its template (its capabilities not asked again) is
        // still named by its service and layer.
        let host = match super::ogc::service_and_layer(&template) {
            Some(service) => format!("{host} · {service}"),
            None => host,
        };
        let cache = cache.map(|dir| {
            let folder = dir
                .join("tiles")
                .join(format!("{:08x}", crc32fast::hash(template.as_bytes())));
            DiskCache::open(folder, cap)
        });
        let (datum, datum_guessed) = super::guess_datum(&[&template])
            .map_or((super::Datum::Wgs84, false), |datum| (datum, true));
        Ok(Self {
            agent: agent(),
            cache,
            info: PackageInfo {
                kind: PackageKind::Server,
                name: host.clone(),
                attribution: host,
                format,
                min_zoom: 0,
                max_zoom: 18.min(MAX_ZOOM),
                bounds: None,
                tile_size: 256,
                datum,
                datum_guessed,
                vector_layers: Vec::new(),
            },
            template,
        })
    }

    /// Named as the service calls itself (a WMS's title and its layers'), for the panel and
    /// an export's footer.
    pub fn titled(mut self, title: &str) -> Self {
        self.info.name = title.to_string();
        self.info.attribution = format!("{title} ({})", self.info.attribution);
        self
    }

    /// The zooms the service has tiles for (a WMTS's tile matrices).
    pub fn with_zooms(mut self, min: u8, max: u8) -> Self {
        self.info.min_zoom = min;
        self.info.max_zoom = max.min(MAX_ZOOM);
        self
    }

    fn url(&self, key: TileKey) -> String {
        self.template
            .replace(super::ogc::BBOX, &super::ogc::bbox_of(key.z, key.x, key.y))
            .replace("{z}", &key.z.to_string())
            .replace("{x}", &key.x.to_string())
            .replace("{-y}", &key.tms_row().to_string())
            .replace("{y}", &key.y.to_string())
    }
}

impl TileSource for ServerTiles {
    fn info(&self) -> &PackageInfo {
        &self.info
    }

    fn tile(&self, key: TileKey) -> Result<Option<Vec<u8>>, ErrorKind> {
        if let Some(bytes) = self.cache.as_ref().and_then(|c| c.get(key)) {
            return Ok(Some(bytes));
        }
        let bad = |why: String| ErrorKind::BadTile { tile: key, why };
        let mut response = self
            .agent
            .get(&self.url(key))
            .call()
            .map_err(|e| bad(format!("the server cannot be reached ({e})")))?;
        let status = response.status().as_u16();
        match status {
            200 => {}
            204 | 404 => return Ok(None),
            other => return Err(bad(format!("the server answered HTTP {other}"))),
        }
        // A WMS says what went wrong in XML (or a portal's login page in HTML) with HTTP 200.
        let kind = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_ascii_lowercase();
        if kind.starts_with("text/") || kind.contains("xml") || kind.contains("json") {
            let text = response
                .body_mut()
                .with_config()
                .limit(64 * 1024)
                .read_to_string()
                .unwrap_or_default();
            let said: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
            let said: String = said.chars().take(200).collect();
            return Err(bad(format!(
                "the server answered {kind}, not an image: {said}"
            )));
        }
        let bytes = response
            .body_mut()
            .with_config()
            .limit(MAX_TILE_BYTES as u64)
            .read_to_vec()
            .map_err(|e| bad(format!("the tile did not arrive whole ({e})")))?;
        let bytes = gunzip_if_needed(bytes, MAX_TILE_BYTES).map_err(bad)?;
        if let Some(cache) = &self.cache {
            cache.put(key, &bytes);
        }
        Ok(Some(bytes))
    }
}
