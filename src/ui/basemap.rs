//! Basemap packages in the window: each is walkers' [`Tiles`] over a [`Package`], its tiles
//! decoded on worker threads ([`TileLoader`]) and uploaded as textures, kept in a cache bounded
//! in bytes. While a tile loads, the nearest lower zoom already loaded stands in; beyond the
//! package's deepest zoom its tiles are over-zoomed.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use egui::{ColorImage, Context, Rect, TextureHandle, TextureOptions, pos2};
use lru::LruCache;
use walkers::sources::Attribution;
use walkers::{TileId, TilePiece, Tiles};

use crate::basemap::loader::{Loaded, TileLoader};
use crate::basemap::{Package, PackageError, SubTile, TileKey, raster};
use crate::model::Lang;
use crate::render::View;
use crate::render::vector_tile::{self, Schema, VectorTile, prepare_tile};

/// Decoded tiles kept per package, in bytes of texture (about 1 000 tiles of 256 px).
pub const CACHE_BYTES: usize = 256 * 1024 * 1024;

/// How many zoom levels up a loaded tile may stand in for one still loading.
const STAND_IN_LEVELS: u8 = 8;

enum Slot {
    Loading,
    Ready(TextureHandle),
    /// The package has no tile here (or it could not be read: counted in the errors).
    Empty,
}

impl Slot {
    fn bytes(&self) -> usize {
        match self {
            Slot::Ready(texture) => texture.byte_size(),
            _ => 64,
        }
    }
}

/// Tiles that could not be read: how many, and the first one's message.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TileErrors {
    pub count: usize,
    pub first: Option<PackageError>,
}

/// One package as walkers' tile source.
pub struct PackageTiles {
    package: Package,
    ctx: Context,
    loader: TileLoader<ColorImage>,
    cache: LruCache<TileKey, Slot>,
    cache_bytes: usize,
    frame: u64,
    errors: TileErrors,
}

impl PackageTiles {
    pub fn new(package: Package, ctx: &Context) -> Self {
        let repaint = ctx.clone();
        let loader = TileLoader::new(
            package.clone(),
            2,
            |_, bytes| {
                let tile = raster::decode(bytes)?;
                Ok(ColorImage::from_rgba_unmultiplied(
                    [tile.width as usize, tile.height as usize],
                    &tile.rgba,
                ))
            },
            move || repaint.request_repaint(),
        );
        Self {
            package,
            ctx: ctx.clone(),
            loader,
            cache: LruCache::unbounded(),
            cache_bytes: 0,
            frame: u64::MAX,
            errors: TileErrors::default(),
        }
    }

    pub fn package(&self) -> &Package {
        &self.package
    }

    pub fn errors(&self) -> &TileErrors {
        &self.errors
    }

    /// Tiles asked for and not yet loaded.
    pub fn loading(&self) -> usize {
        self.loader.pending()
    }

    /// Bytes of texture held.
    pub fn cache_bytes(&self) -> usize {
        self.cache_bytes
    }

    /// Takes in what the workers have finished, once per frame.
    fn begin_frame(&mut self) {
        let frame = self.ctx.cumulative_pass_nr();
        if frame == self.frame {
            return;
        }
        self.frame = frame;
        self.loader.next_frame(frame);
        let finished: Vec<(TileKey, Loaded<ColorImage>)> = self.loader.poll().collect();
        for (key, loaded) in finished {
            let slot = match loaded {
                Loaded::Ready(image) => Slot::Ready(self.ctx.load_texture(
                    format!("basemap {key}"),
                    image,
                    TextureOptions::LINEAR,
                )),
                Loaded::Missing => Slot::Empty,
                Loaded::Failed(error) => {
                    self.errors.count += 1;
                    if self.errors.first.is_none() {
                        eprintln!("chengyu-atlas: {error}");
                        self.errors.first = Some(error);
                    }
                    Slot::Empty
                }
                Loaded::Dropped => {
                    self.forget(&key);
                    continue;
                }
            };
            self.put(key, slot);
        }
        while self.cache_bytes > CACHE_BYTES {
            match self.cache.pop_lru() {
                Some((_, slot)) => self.cache_bytes -= slot.bytes(),
                None => break,
            }
        }
    }

    fn put(&mut self, key: TileKey, slot: Slot) {
        self.cache_bytes += slot.bytes();
        if let Some(old) = self.cache.put(key, slot) {
            self.cache_bytes -= old.bytes();
        }
    }

    fn forget(&mut self, key: &TileKey) {
        if let Some(old) = self.cache.pop(key) {
            self.cache_bytes -= old.bytes();
        }
    }

    /// The texture drawn for `wanted` and the part of it to draw: its own tile, else the
    /// nearest ancestor loaded.
    fn piece(&mut self, wanted: TileKey) -> Option<TilePiece> {
        let min_zoom = self.package.info().min_zoom;
        let (source, _) = self.package.source_key(wanted);
        if source.z < min_zoom {
            return None;
        }
        if self.cache.get(&source).is_none() {
            self.put(source, Slot::Loading);
            self.loader.ask(source);
        } else if matches!(self.cache.peek(&source), Some(Slot::Loading)) {
            self.loader.ask(source);
        }
        for levels in 0..=STAND_IN_LEVELS.min(source.z - min_zoom) {
            let candidate = source.ancestor(levels);
            if let Some(Slot::Ready(texture)) = self.cache.get(&candidate) {
                let part = SubTile::of(wanted, wanted.z - candidate.z);
                let uv = Rect::from_min_max(
                    pos2(part.min[0], part.min[1]),
                    pos2(part.max[0], part.max[1]),
                );
                let tile = walkers::Tile::Raster(texture.clone());
                return Some(TilePiece::new(tile, uv));
            }
        }
        None
    }
}

impl Tiles for PackageTiles {
    fn at(&mut self, tile_id: TileId) -> Option<TilePiece> {
        self.begin_frame();
        let key = TileKey::new(tile_id.zoom, tile_id.x, tile_id.y);
        if !key.is_valid() {
            return None;
        }
        self.piece(key)
    }

    fn attribution(&self) -> Attribution {
        // Walkers wants static text; the atlas writes the attribution itself (status bar).
        Attribution {
            text: "",
            url: "",
            logo_light: None,
            logo_dark: None,
        }
    }

    fn tile_size(&self) -> u32 {
        self.package.info().tile_size
    }

    fn stats(&self) -> walkers::Stats {
        walkers::Stats {
            in_progress: self.loading(),
        }
    }
}

/// A vector package's tiles, decoded and styled on worker threads into the scene's own
/// geometry, kept in a cache bounded in bytes.
pub struct VectorTiles {
    package: Package,
    loader: TileLoader<Arc<VectorTile>>,
    cache: LruCache<TileKey, Option<Arc<VectorTile>>>,
    cache_bytes: usize,
    errors: TileErrors,
}

/// Vector tiles asked for in one frame, at most (a 4K screen at one zoom needs about 150).
const MAX_VECTOR_TILES: usize = 400;

impl VectorTiles {
    /// `origin` is the scene's local origin, which the tiles' geometry is kept relative to.
    pub fn new(package: Package, ctx: &Context, origin: [f64; 2]) -> Self {
        let schema = Schema::of_layers(&package.info().vector_layers);
        let repaint = ctx.clone();
        let loader = TileLoader::new(
            package.clone(),
            2,
            move |key, bytes| prepare_tile(key, bytes, schema, origin).map(Arc::new),
            move || repaint.request_repaint(),
        );
        Self {
            package,
            loader,
            cache: LruCache::unbounded(),
            cache_bytes: 0,
            errors: TileErrors::default(),
        }
    }

    /// The tiles to draw `view` with now: those loaded, and for those still loading the
    /// nearest lower zoom loaded. `frame` tells frames apart (see [`TileLoader`]).
    pub fn for_view(&mut self, view: &View, frame: u64) -> Vec<Arc<VectorTile>> {
        self.loader.next_frame(frame);
        let finished: Vec<_> = self.loader.poll().collect();
        for (key, loaded) in finished {
            let slot = match loaded {
                Loaded::Ready(tile) => Some(tile),
                Loaded::Missing => None,
                Loaded::Failed(error) => {
                    self.errors.count += 1;
                    if self.errors.first.is_none() {
                        eprintln!("chengyu-atlas: {error}");
                        self.errors.first = Some(error);
                    }
                    None
                }
                Loaded::Dropped => continue,
            };
            self.cache_bytes += slot.as_ref().map_or(64, |t| t.byte_size());
            if let Some(Some(old)) = self.cache.put(key, slot) {
                self.cache_bytes -= old.byte_size();
            }
        }
        while self.cache_bytes > CACHE_BYTES {
            match self.cache.pop_lru() {
                Some((_, old)) => self.cache_bytes -= old.map_or(64, |t| t.byte_size()),
                None => break,
            }
        }
        let info = self.package.info();
        let (min_zoom, max_zoom) = (info.min_zoom, info.max_zoom);
        let z = vector_tile::tile_zoom(view, min_zoom, max_zoom);
        let mut shown: Vec<Arc<VectorTile>> = Vec::new();
        for key in vector_tile::keys_for(view, z)
            .into_iter()
            .take(MAX_VECTOR_TILES)
        {
            if self.cache.get(&key).is_none() {
                self.loader.ask(key);
            }
            let stand_in = (0..=STAND_IN_LEVELS.min(key.z - min_zoom))
                .find_map(|levels| self.cache.peek(&key.ancestor(levels)).cloned().flatten());
            if let Some(tile) = stand_in
                && !shown.iter().any(|t| Arc::ptr_eq(t, &tile))
            {
                shown.push(tile);
            }
        }
        shown
    }
}

/// How a package's tiles reach the screen: raster ones through walkers, vector ones through
/// the scene.
pub enum LayerTiles {
    Raster(PackageTiles),
    Vector(VectorTiles),
}

impl LayerTiles {
    pub fn package(&self) -> &Package {
        match self {
            LayerTiles::Raster(tiles) => tiles.package(),
            LayerTiles::Vector(tiles) => &tiles.package,
        }
    }

    pub fn package_mut(&mut self) -> &mut Package {
        match self {
            LayerTiles::Raster(tiles) => &mut tiles.package,
            LayerTiles::Vector(tiles) => &mut tiles.package,
        }
    }

    pub fn errors(&self) -> &TileErrors {
        match self {
            LayerTiles::Raster(tiles) => tiles.errors(),
            LayerTiles::Vector(tiles) => &tiles.errors,
        }
    }
}

/// A basemap the user added: the package and its tiles, shown or not, how opaque.
pub struct BasemapLayer {
    pub tiles: LayerTiles,
    pub visible: bool,
    pub opacity: f32,
}

impl BasemapLayer {
    pub fn path(&self) -> &Path {
        &self.tiles.package().path
    }
}

/// The basemaps the user added, bottom first (the first is the base, the others overlays
/// such as an annotation layer), and what went wrong opening the others.
#[derive(Default)]
pub struct Basemaps {
    pub layers: Vec<BasemapLayer>,
    /// Packages that could not be opened (moved, broken), said in the basemap panel.
    pub problems: Vec<PackageError>,
    /// The scene's local origin, for vector tiles.
    origin: [f64; 2],
}

impl Basemaps {
    /// Opens packages, keeping their saved settings; what cannot be opened is reported.
    pub fn open(ctx: &Context, wanted: &[SavedBasemap], origin: [f64; 2]) -> Self {
        let mut basemaps = Self::empty(origin);
        for saved in wanted {
            basemaps.add(ctx, &saved.path);
            if let Some(layer) = basemaps
                .layers
                .last_mut()
                .filter(|l| l.path() == saved.path)
            {
                layer.visible = saved.visible;
                layer.opacity = saved.opacity.clamp(0.0, 1.0);
                if let Some(datum) = saved.datum {
                    layer.tiles.package_mut().set_datum(datum);
                }
            }
        }
        basemaps
    }

    /// No packages; vector tiles will be prepared relative to `origin`.
    pub fn empty(origin: [f64; 2]) -> Self {
        Self {
            origin,
            ..Self::default()
        }
    }

    /// Opens a package and puts it on top; false (with the problem kept) if it cannot open.
    pub fn add(&mut self, ctx: &Context, path: &Path) -> bool {
        // Remembered as an absolute path, so that it opens again from any working folder.
        let is_url = path.to_str().is_some_and(crate::basemap::server::is_url);
        let absolute = if is_url {
            path.to_path_buf()
        } else {
            std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
        };
        let path = absolute.as_path();
        if self.layers.iter().any(|l| l.path() == path) {
            return true;
        }
        match Package::open(path) {
            Ok(package) => {
                self.problems.retain(|p| p.path != path);
                let tiles = if package.info().format.is_raster() {
                    LayerTiles::Raster(PackageTiles::new(package, ctx))
                } else {
                    LayerTiles::Vector(VectorTiles::new(package, ctx, self.origin))
                };
                self.layers.push(BasemapLayer {
                    tiles,
                    visible: true,
                    opacity: 1.0,
                });
                true
            }
            Err(error) => {
                eprintln!("chengyu-atlas: {error}");
                self.problems.retain(|p| p.path != path);
                self.problems.push(error);
                false
            }
        }
    }

    /// Whether a basemap package is drawn under the atlas's layers.
    pub fn any_shown(&self) -> bool {
        self.layers.iter().any(|l| l.visible && l.opacity > 0.0)
    }

    /// The datum the map is drawn in: that of the lowest package shown (the base), else
    /// WGS-84.
    pub fn datum(&self) -> crate::geodata::datum::Datum {
        self.layers
            .iter()
            .find(|l| l.visible && l.opacity > 0.0)
            .map_or(crate::geodata::datum::Datum::Wgs84, |l| {
                l.tiles.package().datum()
            })
    }

    /// The attributions of the basemaps shown, for the status bar and the export footer.
    pub fn attributions(&self, lang: Lang) -> Vec<String> {
        self.layers
            .iter()
            .filter(|l| l.visible)
            .map(|l| {
                let info = l.tiles.package().info();
                if info.attribution.trim().is_empty() {
                    format!("{}: {}", lang.pick("底图", "basemap"), info.name)
                } else {
                    crate::basemap::plain_text(&info.attribution)
                }
            })
            .collect()
    }

    /// The basemaps shown, for an export or a handout.
    pub fn for_export(&self) -> Vec<crate::export::ExportBasemap> {
        self.layers
            .iter()
            .filter(|l| l.visible && l.opacity > 0.0)
            .map(|l| crate::export::ExportBasemap {
                package: l.tiles.package().clone(),
                opacity: l.opacity,
            })
            .collect()
    }

    /// What to remember.
    pub fn saved(&self) -> Vec<SavedBasemap> {
        self.layers
            .iter()
            .map(|l| SavedBasemap {
                path: l.path().to_path_buf(),
                visible: l.visible,
                opacity: l.opacity,
                datum: l
                    .tiles
                    .package()
                    .datum_chosen()
                    .then(|| l.tiles.package().datum()),
            })
            .collect()
    }
}

/// A basemap as the state file remembers it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SavedBasemap {
    pub path: PathBuf,
    #[serde(default = "yes")]
    pub visible: bool,
    #[serde(default = "one")]
    pub opacity: f32,
    /// The datum the user chose, when it is not the package's own.
    #[serde(default)]
    pub datum: Option<crate::geodata::datum::Datum>,
}

fn yes() -> bool {
    true
}

fn one() -> f32 {
    1.0
}
