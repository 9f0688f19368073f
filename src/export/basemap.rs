//! Basemap packages on an exported page: the raster tiles at the zoom that suits the page's
//! pixels, resampled into one image of the map frame (no seams between tiles, one image for
//! the PDF), each package at its opacity, bottom first.

use std::sync::Arc;

use resvg::tiny_skia::{FilterQuality, Pixmap, PixmapPaint, Transform};

use crate::basemap::{Package, raster};
use crate::render::View;
use crate::render::projection::world_size;
use crate::render::scene::RasterImage;

/// A package on the page, and how opaque.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportBasemap {
    pub package: Package,
    pub opacity: f32,
}

/// The vector packages' tiles for the page, decoded here and now (an export waits for them).
pub fn vector_tiles<'a>(
    view: &View,
    shown: impl Iterator<Item = &'a ExportBasemap>,
    origin: [f64; 2],
) -> (crate::render::TileSet, Vec<String>) {
    use crate::render::vector_tile::{Schema, prepare_tile};
    let mut tiles = Vec::new();
    let mut problems = Vec::new();
    for basemap in shown {
        let info = basemap.package.info();
        if info.format != crate::basemap::TileFormat::Mvt {
            continue;
        }
        let schema = Schema::of_layers(&info.vector_layers);
        let mut z = info.tile_zoom(view.zoom);
        let mut keys = view.tile_keys(z);
        while keys.len() > 1024 && z > info.min_zoom {
            z -= 1;
            keys = view.tile_keys(z);
        }
        let mut failed = Failed::default();
        for key in keys {
            match basemap.package.tile(key) {
                Ok(Some(bytes)) => match prepare_tile(key, &bytes, schema, origin) {
                    Ok(tile) => tiles.push((Arc::new(tile), basemap.opacity.clamp(0.0, 1.0))),
                    Err(error) => failed.add(key, error.to_string()),
                },
                Ok(None) => {}
                Err(error) => failed.add(key, error.to_string()),
            }
        }
        if let Some(said) = failed.said(&basemap.package.path, "vector tiles", z, "left out") {
            problems.push(said);
        }
    }
    (crate::render::TileSet(tiles), problems)
}

/// More tiles than this per package are not read (a 20 000 px page needs about 6 000).
const MAX_TILES: usize = 8_000;

/// The map frame's basemap image, `width` × `height` pixels for `view`; what could not be
/// read is listed (the rest of the image is drawn).
pub fn mosaic<'a>(
    view: &View,
    width: u32,
    height: u32,
    shown: impl Iterator<Item = &'a ExportBasemap>,
) -> (Option<RasterImage>, Vec<String>) {
    let mut problems = Vec::new();
    let shown: Vec<&ExportBasemap> = shown
        .filter(|b| b.package.info().format.is_raster())
        .collect();
    let Some(mut canvas) = (!shown.is_empty())
        .then(|| Pixmap::new(width.max(1), height.max(1)))
        .flatten()
    else {
        return (None, problems);
    };
    let pixels_per_point = f64::from(width) / f64::from(view.size[0].max(1.0));
    for basemap in shown {
        draw_package(&mut canvas, view, pixels_per_point, basemap, &mut problems);
    }
    let opaque = canvas.pixels().iter().all(|p| p.alpha() == 255);
    let encoded = if opaque {
        encode_jpeg(&canvas)
    } else {
        canvas.encode_png().ok().map(|png| (png, false))
    };
    match encoded {
        Some((bytes, jpeg)) => (
            Some(RasterImage {
                bytes: Arc::new(bytes),
                jpeg,
                width,
                height,
            }),
            problems,
        ),
        None => {
            problems.push("the basemap image could not be encoded".into());
            (None, problems)
        }
    }
}

fn draw_package(
    canvas: &mut Pixmap,
    view: &View,
    pixels_per_point: f64,
    basemap: &ExportBasemap,
    problems: &mut Vec<String>,
) {
    let package = &basemap.package;
    if let Some(template) = crate::basemap::ogc::getmap_template(&package.path) {
        draw_getmap(canvas, view, template, basemap, problems);
        return;
    }
    // The zoom whose tile pixels come closest to the page's.
    let z = package
        .info()
        .tile_zoom(view.zoom + pixels_per_point.log2());
    let n = crate::coordinates::mercator::tiles_across(z);
    let keys = view.tile_keys(z);
    if keys.len() > MAX_TILES {
        problems.push(format!(
            "{}: {} tiles at zoom {z} are too many for one page",
            package.path.display(),
            keys.len()
        ));
        return;
    }
    // A tile's width on the page, in pixels.
    let tile_pixels = world_size(view.zoom) * pixels_per_point / n;
    let paint = PixmapPaint {
        opacity: basemap.opacity.clamp(0.0, 1.0),
        quality: FilterQuality::Bilinear,
        ..PixmapPaint::default()
    };
    let mut failed = Failed::default();
    for key in keys {
        let tile = match package.tile(key) {
            Ok(Some(bytes)) => raster::decode(&bytes),
            Ok(None) => continue,
            Err(error) => Err(error.to_string()),
        };
        let pixmap = tile.and_then(|t| to_pixmap(&t).ok_or_else(|| "an empty image".to_string()));
        let pixmap = match pixmap {
            Ok(pixmap) => pixmap,
            Err(error) => {
                failed.add(key, error);
                continue;
            }
        };
        // The tile's top-left corner on the page (the view's datum is the package's).
        let [left, top] = view.project_mercator([f64::from(key.x) / n, f64::from(key.y) / n]);
        let ppp = pixels_per_point as f32;
        let scale = (tile_pixels / f64::from(pixmap.width())) as f32;
        let transform = Transform::from_row(scale, 0.0, 0.0, scale, left * ppp, top * ppp);
        canvas.draw_pixmap(0, 0, pixmap.as_ref(), &paint, transform, None);
    }
    if let Some(said) = failed.said(&package.path, "tiles", z, "left blank") {
        problems.push(said);
    }
}

/// A GetMap asks for this many pixels across at most (servers cap it: MapServer at 4 096 by
/// default, GeoServer by its settings); a bigger page is asked in blocks.
const GETMAP_BLOCK: u32 = 2_048;

/// A WMS drawn for the page as the service draws it at the page's resolution: one GetMap per
/// block of the frame (its labels and lines at print size, not tiles of the screen's scaled).
fn draw_getmap(
    canvas: &mut Pixmap,
    view: &View,
    template: &str,
    basemap: &ExportBasemap,
    problems: &mut Vec<String>,
) {
    const HALF: f64 = 20_037_508.342_789_244;
    let (width, height) = (canvas.width(), canvas.height());
    let [left, top, right, bottom] = view.mercator_bounds();
    let metres_x = |x: f64| (2.0 * x - 1.0) * HALF;
    let metres_y = |y: f64| (1.0 - 2.0 * y) * HALF;
    let paint = PixmapPaint {
        opacity: basemap.opacity.clamp(0.0, 1.0),
        quality: FilterQuality::Bilinear,
        ..PixmapPaint::default()
    };
    let mut failed: Vec<String> = Vec::new();
    let mut blocks = 0;
    for y0 in (0..height).step_by(GETMAP_BLOCK as usize) {
        for x0 in (0..width).step_by(GETMAP_BLOCK as usize) {
            blocks += 1;
            let (w, h) = (GETMAP_BLOCK.min(width - x0), GETMAP_BLOCK.min(height - y0));
            let at = |px: u32, total: u32, from: f64, to: f64| {
                from + (to - from) * f64::from(px) / f64::from(total)
            };
            let bbox = [
                metres_x(at(x0, width, left, right)),
                metres_y(at(y0 + h, height, top, bottom)),
                metres_x(at(x0 + w, width, left, right)),
                metres_y(at(y0, height, top, bottom)),
            ];
            let url = crate::basemap::ogc::getmap_url(template, bbox, w, h);
            let image = crate::basemap::ogc::get_map(&url)
                .and_then(|bytes| raster::decode_within(&bytes, GETMAP_BLOCK))
                .and_then(|t| to_pixmap(&t).ok_or_else(|| "an empty image".to_string()));
            match image {
                Ok(pixmap) => {
                    // Drawn over its block, whatever size the server sent.
                    let (sx, sy) = (
                        w as f32 / pixmap.width() as f32,
                        h as f32 / pixmap.height() as f32,
                    );
                    let transform = Transform::from_row(sx, 0.0, 0.0, sy, x0 as f32, y0 as f32);
                    canvas.draw_pixmap(0, 0, pixmap.as_ref(), &paint, transform, None);
                }
                Err(why) => failed.push(why),
            }
        }
    }
    if let Some(first) = failed.first() {
        problems.push(format!(
            "{}: {} of {blocks} GetMap images left blank (the first: {first})",
            basemap.package.info().name,
            failed.len()
        ));
    }
}

/// The tiles of a package that could not be read: how many, and the first with why.
#[derive(Default)]
struct Failed {
    count: usize,
    first: Option<(crate::basemap::TileKey, String)>,
}

impl Failed {
    fn add(&mut self, key: crate::basemap::TileKey, why: String) {
        self.count += 1;
        self.first.get_or_insert((key, why));
    }

    fn said(&self, path: &std::path::Path, what: &str, z: u8, outcome: &str) -> Option<String> {
        let (key, why) = self.first.as_ref()?;
        Some(tiles_failed(
            path,
            self.count,
            what,
            z,
            outcome,
            &key.to_string(),
            why,
        ))
    }
}

/// "PATH: 12 tiles at zoom 9 could not be read and are left blank (first: 9/418/212: …)".
pub fn tiles_failed(
    path: &std::path::Path,
    count: usize,
    what: &str,
    z: u8,
    outcome: &str,
    first: &str,
    why: &str,
) -> String {
    format!(
        "{}: {count} {what} at zoom {z} could not be read and are {outcome} (first: {first}: {why})",
        path.display()
    )
}

fn to_pixmap(tile: &raster::RasterTile) -> Option<Pixmap> {
    let mut pixmap = Pixmap::new(tile.width, tile.height)?;
    for (out, rgba) in pixmap
        .pixels_mut()
        .iter_mut()
        .zip(tile.rgba.chunks_exact(4))
    {
        *out =
            resvg::tiny_skia::ColorU8::from_rgba(rgba[0], rgba[1], rgba[2], rgba[3]).premultiply();
    }
    Some(pixmap)
}

/// An opaque mosaic as JPEG (a PDF embeds it as it is; far smaller than PNG for imagery).
fn encode_jpeg(canvas: &Pixmap) -> Option<(Vec<u8>, bool)> {
    let rgb: Vec<u8> = canvas
        .pixels()
        .iter()
        .flat_map(|p| [p.red(), p.green(), p.blue()])
        .collect();
    let mut out = Vec::new();
    let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90);
    image::ImageEncoder::write_image(
        encoder,
        &rgb,
        canvas.width(),
        canvas.height(),
        image::ExtendedColorType::Rgb8,
    )
    .ok()?;
    Some((out, true))
}
