//! Basemap packages in the window: each is walkers' [`Tiles`] over a [`Package`], its tiles
//! decoded on worker threads ([`TileLoader`]) and uploaded as textures, kept in a cache bounded
//! in bytes. While a tile loads, the nearest lower zoom already loaded stands in; beyond the
//! package's deepest zoom its tiles are over-zoomed.

use crate::document::SavedBasemap;
use std::path::Path;
use std::sync::Arc;

use egui::{ColorImage, Context, Rect, TextureHandle, TextureOptions, pos2};
use lru::LruCache;
use walkers::sources::Attribution;
use walkers::{TileId, TilePiece, Tiles};

use crate::basemap::loader::{Loaded, TileLoader};
use crate::basemap::{Package, PackageError, SubTile, TileKey, raster};
use crate::model::Lang;
use crate::render::View;
use crate::render::vector_tile::{Schema, VectorTile, prepare_tile};

/// Decoded tiles kept per package, in bytes of texture (about 1 000 tiles of 256 px).
pub const CACHE_BYTES: usize = 256 * 1024 * 1024;

/// How many zoom levels up a loaded tile may stand in for one still loading.
const STAND_IN_LEVELS: u8 = 8;

/// What the cache holds for a tile.
enum Slot<T> {
    Loading,
    Ready(T),
    /// The package has no tile here (or it could not be read: counted in the errors).
    Empty,
}

/// How much a cached tile weighs, for the cache's bound.
trait Weight {
    fn weight(&self) -> usize;
}

impl Weight for TextureHandle {
    fn weight(&self) -> usize {
        self.byte_size()
    }
}

impl Weight for Arc<VectorTile> {
    fn weight(&self) -> usize {
        self.byte_size()
    }
}

impl<T: Weight> Slot<T> {
    fn weight(&self) -> usize {
        match self {
            Slot::Ready(tile) => tile.weight(),
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

/// One package's tiles as loaded for the window, raster or vector alike: asked of a
/// [`TileLoader`], kept least-recently-used first and bounded in bytes, with the lower zoom
/// that stands in for a tile still loading.
struct TileCache<T> {
    entries: LruCache<TileKey, Slot<T>>,
    bytes: usize,
    errors: TileErrors,
}

impl<T: Weight + Clone> TileCache<T> {
    fn new() -> Self {
        Self {
            entries: LruCache::unbounded(),
            bytes: 0,
            errors: TileErrors::default(),
        }
    }

    fn put(&mut self, key: TileKey, slot: Slot<T>) {
        self.bytes += slot.weight();
        if let Some(old) = self.entries.put(key, slot) {
            self.bytes -= old.weight();
        }
    }

    /// Takes in what the workers have finished (`ready` turns it into what is kept), then
    /// drops the least recently used tiles beyond the bound.
    fn take<U: Send + 'static>(
        &mut self,
        loader: &TileLoader<U>,
        mut ready: impl FnMut(TileKey, U) -> T,
    ) {
        let finished: Vec<(TileKey, Loaded<U>)> = loader.poll().collect();
        for (key, loaded) in finished {
            let slot = match loaded {
                Loaded::Ready(value) => Slot::Ready(ready(key, value)),
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
                    // Asked again when it is next wanted.
                    if let Some(old) = self.entries.pop(&key) {
                        self.bytes -= old.weight();
                    }
                    continue;
                }
            };
            self.put(key, slot);
        }
        while self.bytes > CACHE_BYTES {
            match self.entries.pop_lru() {
                Some((_, old)) => self.bytes -= old.weight(),
                None => break,
            }
        }
    }

    /// Asks for `key` if it is not loaded yet (and keeps it wanted while it loads).
    fn want<U: Send + 'static>(&mut self, key: TileKey, loader: &TileLoader<U>) {
        match self.entries.get(&key) {
            Some(Slot::Ready(_) | Slot::Empty) => {}
            Some(Slot::Loading) => loader.ask(key),
            None => {
                self.put(key, Slot::Loading);
                loader.ask(key);
            }
        }
    }

    /// The tile itself if loaded, else the nearest ancestor loaded (down to `min_zoom`),
    /// with how many zooms up it is.
    fn stand_in(&mut self, key: TileKey, min_zoom: u8) -> Option<(T, u8)> {
        (0..=STAND_IN_LEVELS.min(key.z.saturating_sub(min_zoom))).find_map(|levels| {
            match self.entries.get(&key.ancestor(levels)) {
                Some(Slot::Ready(tile)) => Some((tile.clone(), levels)),
                _ => None,
            }
        })
    }
}

/// One raster package as walkers' tile source.
pub struct PackageTiles {
    package: Package,
    ctx: Context,
    loader: TileLoader<ColorImage>,
    cache: TileCache<TextureHandle>,
    frame: u64,
}

/// The workers that load a package's tiles: two for a file (decoding is the work: one a
/// core), six for a server (waiting on the network is: as browsers ask one host).
pub fn loader_threads(package: &Package) -> usize {
    if package.info().kind == crate::basemap::PackageKind::Server {
        6
    } else {
        2
    }
}

impl PackageTiles {
    pub fn new(package: Package, ctx: &Context) -> Self {
        let repaint = ctx.clone();
        let loader = TileLoader::new(
            package.clone(),
            loader_threads(&package),
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
            cache: TileCache::new(),
            frame: u64::MAX,
        }
    }

    pub fn package(&self) -> &Package {
        &self.package
    }

    pub fn errors(&self) -> &TileErrors {
        &self.cache.errors
    }

    /// Tiles asked for and not yet loaded.
    pub fn loading(&self) -> usize {
        self.loader.pending()
    }

    /// Bytes of texture held.
    pub fn cache_bytes(&self) -> usize {
        self.cache.bytes
    }

    /// Takes in what the workers have finished, once per frame (walkers asks tile by tile).
    fn begin_frame(&mut self) {
        let frame = self.ctx.cumulative_pass_nr();
        if frame == self.frame {
            return;
        }
        self.frame = frame;
        self.loader.next_frame(frame);
        let ctx = &self.ctx;
        self.cache.take(&self.loader, |key, image| {
            ctx.load_texture(format!("basemap {key}"), image, TextureOptions::LINEAR)
        });
    }
}

impl Tiles for PackageTiles {
    fn at(&mut self, tile_id: TileId) -> Option<TilePiece> {
        self.begin_frame();
        let wanted = TileKey::new(tile_id.zoom, tile_id.x, tile_id.y);
        let min_zoom = self.package.info().min_zoom;
        let source = self.package.source_key(wanted);
        if !wanted.is_valid() || source.z < min_zoom {
            return None;
        }
        self.cache.want(source, &self.loader);
        let (texture, levels) = self.cache.stand_in(source, min_zoom)?;
        let part = SubTile::of(wanted, wanted.z - (source.z - levels));
        let uv = Rect::from_min_max(
            pos2(part.min[0], part.min[1]),
            pos2(part.max[0], part.max[1]),
        );
        Some(TilePiece::new(walkers::Tile::Raster(texture), uv))
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
/// geometry.
pub struct VectorTiles {
    package: Package,
    loader: TileLoader<Arc<VectorTile>>,
    cache: TileCache<Arc<VectorTile>>,
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
            loader_threads(&package),
            move |key, bytes| prepare_tile(key, bytes, schema, origin).map(Arc::new),
            move || repaint.request_repaint(),
        );
        Self {
            package,
            loader,
            cache: TileCache::new(),
        }
    }

    /// The tiles to draw `view` with now: those loaded, and for those still loading the
    /// nearest lower zoom loaded. `frame` tells frames apart (see [`TileLoader`]).
    pub fn for_view(&mut self, view: &View, frame: u64) -> Vec<Arc<VectorTile>> {
        self.loader.next_frame(frame);
        self.cache.take(&self.loader, |_, tile| tile);
        let info = self.package.info();
        let min_zoom = info.min_zoom;
        let mut shown: Vec<Arc<VectorTile>> = Vec::new();
        for key in view
            .tile_keys(info.tile_zoom(view.zoom))
            .into_iter()
            .take(MAX_VECTOR_TILES)
        {
            self.cache.want(key, &self.loader);
            if let Some((tile, _)) = self.cache.stand_in(key, min_zoom)
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
            LayerTiles::Vector(tiles) => &tiles.cache.errors,
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

    /// Whether the layer is drawn at all.
    pub fn shown(&self) -> bool {
        self.visible && self.opacity > 0.0
    }
}

/// A service being opened on its own thread.
type Opening = std::thread::JoinHandle<Result<Package, PackageError>>;

/// The basemaps the user added, bottom first (the first is the base, the others overlays
/// such as an annotation layer), and what went wrong opening the others.
#[derive(Default)]
pub struct Basemaps {
    pub layers: Vec<BasemapLayer>,
    /// Packages that could not be opened (moved, broken), said in the basemap panel.
    pub problems: Vec<PackageError>,
    /// The scene's local origin, for vector tiles.
    origin: [f64; 2],
    /// Services being asked for their capabilities (a WMS added by its GetCapabilities
    /// address), on threads of their own: the window never waits on the network.
    opening: Vec<(std::path::PathBuf, Opening)>,
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
        let path = crate::basemap::where_is(path);
        let path = path.as_path();
        if self.layers.iter().any(|l| l.path() == path) {
            return true;
        }
        if path
            .to_str()
            .is_some_and(crate::basemap::ogc::is_service_url)
        {
            let asked = path.to_path_buf();
            let opening = std::thread::Builder::new()
                .name("wms-capabilities".into())
                .spawn(move || Package::open(&asked));
            if let Ok(handle) = opening {
                self.opening.push((path.to_path_buf(), handle));
                return true;
            }
        }
        self.put(ctx, path, Package::open(path))
    }

    /// Whether a service is being asked for its capabilities.
    pub fn is_opening(&self) -> bool {
        !self.opening.is_empty()
    }

    /// Puts the services that answered since the last frame on top (or says why not).
    pub fn poll_opening(&mut self, ctx: &Context) {
        if self.opening.is_empty() {
            return;
        }
        ctx.request_repaint_after(std::time::Duration::from_millis(50));
        let mut index = 0;
        while index < self.opening.len() {
            if !self.opening[index].1.is_finished() {
                index += 1;
                continue;
            }
            let (path, handle) = self.opening.remove(index);
            let opened = handle.join().unwrap_or_else(|_| {
                Err(PackageError::new(
                    &path,
                    crate::basemap::ErrorKind::Unreadable("opening stopped unexpectedly".into()),
                ))
            });
            self.put(ctx, &path, opened);
        }
    }

    /// Puts an opened package on top, or keeps why it could not open.
    fn put(&mut self, ctx: &Context, path: &Path, opened: Result<Package, PackageError>) -> bool {
        match opened {
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

    /// The datum the map is drawn in: that of the base (see [`crate::basemap::base_datum`]).
    pub fn datum(&self) -> crate::coordinates::datum::Datum {
        crate::basemap::base_datum(
            self.layers
                .iter()
                .filter(|l| l.shown())
                .map(|l| l.tiles.package()),
        )
    }

    /// The deepest map zoom any shown basemap has tiles for (a 512-pixel tile serves the map
    /// one zoom deeper than its own), and whether that basemap is vector.
    pub fn deepest_zoom(&self) -> Option<(u8, bool)> {
        self.layers
            .iter()
            .filter(|l| l.shown())
            .map(|l| {
                let info = l.tiles.package().info();
                let offset = (info.tile_size / 256).max(1).ilog2() as u8;
                let vector = matches!(l.tiles, LayerTiles::Vector(_));
                (info.max_zoom.saturating_add(offset), vector)
            })
            .max()
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
            .filter(|l| l.shown())
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
