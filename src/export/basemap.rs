//! Basemap packages on an exported page: the raster tiles at the zoom that suits the page's
//! pixels, resampled into one image of the map frame (no seams between tiles, one image for
//! the PDF), each package at its opacity, bottom first.

use std::sync::Arc;

use resvg::tiny_skia::{FilterQuality, Pixmap, PixmapPaint, Transform};

use crate::basemap::{Package, TileKey, raster};
use crate::render::View;
use crate::render::projection::{mercator, world_size};
use crate::render::scene::RasterImage;

/// A package on the page, and how opaque.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportBasemap {
    pub package: Package,
    pub opacity: f32,
}

/// The vector packages' tiles for the page, decoded here and now (an export waits for them).
pub fn vector_tiles(
    view: &View,
    basemaps: &[ExportBasemap],
    origin: [f64; 2],
) -> (crate::render::TileSet, Vec<String>) {
    use crate::render::vector_tile::{Schema, keys_for, prepare_tile, tile_zoom};
    let mut tiles = Vec::new();
    let mut problems = Vec::new();
    for basemap in basemaps.iter().filter(|b| b.opacity > 0.0) {
        let info = basemap.package.info();
        if info.format != crate::basemap::TileFormat::Mvt {
            continue;
        }
        let schema = Schema::of_layers(&info.vector_layers);
        let mut z = tile_zoom(view, info.min_zoom, info.max_zoom);
        let mut keys = keys_for(view, z);
        while keys.len() > 1024 && z > info.min_zoom {
            z -= 1;
            keys = keys_for(view, z);
        }
        let mut failed = 0;
        for key in keys {
            match basemap.package.tile(key) {
                Ok(Some(bytes)) => match prepare_tile(key, &bytes, schema, origin) {
                    Ok(tile) => tiles.push((Arc::new(tile), basemap.opacity.clamp(0.0, 1.0))),
                    Err(_) => failed += 1,
                },
                Ok(None) => {}
                Err(_) => failed += 1,
            }
        }
        if failed > 0 {
            problems.push(format!(
                "{}: {failed} vector tiles at zoom {z} could not be read and are left out",
                basemap.package.path.display()
            ));
        }
    }
    (crate::render::TileSet(tiles), problems)
}

/// More tiles than this per package are not read (a 20 000 px page needs about 6 000).
const MAX_TILES: usize = 8_000;

/// The map frame's basemap image, `width` × `height` pixels for `view`; what could not be
/// read is listed (the rest of the image is drawn).
pub fn mosaic(
    view: &View,
    width: u32,
    height: u32,
    basemaps: &[ExportBasemap],
) -> (Option<RasterImage>, Vec<String>) {
    let mut problems = Vec::new();
    let shown: Vec<&ExportBasemap> = basemaps
        .iter()
        .filter(|b| b.opacity > 0.0 && b.package.info().format.is_raster())
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

/// The zoom of a package's tiles whose pixels come closest to the page's.
pub fn tile_zoom(view: &View, pixels_per_point: f64, package: &Package) -> u8 {
    let info = package.info();
    let page_zoom = view.zoom + pixels_per_point.log2();
    let size_offset = (f64::from(info.tile_size) / 256.0).log2();
    (page_zoom - size_offset)
        .round()
        .clamp(f64::from(info.min_zoom), f64::from(info.max_zoom)) as u8
}

fn draw_package(
    canvas: &mut Pixmap,
    view: &View,
    pixels_per_point: f64,
    basemap: &ExportBasemap,
    problems: &mut Vec<String>,
) {
    let package = &basemap.package;
    let z = tile_zoom(view, pixels_per_point, package);
    let n = f64::from(1u32 << z);
    // The frame's corners in the package's grid (the view's datum is the package's).
    let corner = |at: [f32; 2]| {
        let c = view.unproject_display(at);
        mercator(c.x, c.y)
    };
    let [x0, y0] = corner([0.0, 0.0]);
    let [x1, y1] = corner(view.size);
    let last = n - 1.0;
    let (tx0, tx1) = (
        (x0 * n).floor().clamp(0.0, last),
        (x1 * n).floor().clamp(0.0, last),
    );
    let (ty0, ty1) = (
        (y0 * n).floor().clamp(0.0, last),
        (y1 * n).floor().clamp(0.0, last),
    );
    let count = (tx1 - tx0 + 1.0) * (ty1 - ty0 + 1.0);
    if count > MAX_TILES as f64 {
        problems.push(format!(
            "{}: {count} tiles at zoom {z} are too many for one page",
            package.path.display()
        ));
        return;
    }
    let centre = view.display_center();
    let [cx, cy] = mercator(centre.x, centre.y);
    let page_world = world_size(view.zoom) * pixels_per_point;
    let tile_pixels = page_world / n;
    let half = [
        f64::from(canvas.width()) / 2.0,
        f64::from(canvas.height()) / 2.0,
    ];
    let paint = PixmapPaint {
        opacity: basemap.opacity.clamp(0.0, 1.0),
        quality: FilterQuality::Bilinear,
        ..PixmapPaint::default()
    };
    let mut failed = 0usize;
    for ty in ty0 as u32..=ty1 as u32 {
        for tx in tx0 as u32..=tx1 as u32 {
            let key = TileKey::new(z, tx, ty);
            let tile = match package.tile(key) {
                Ok(Some(bytes)) => raster::decode(&bytes),
                Ok(None) => continue,
                Err(error) => Err(error.to_string()),
            };
            let Some(pixmap) = tile.ok().and_then(|t| to_pixmap(&t)) else {
                failed += 1;
                continue;
            };
            // The tile's top-left corner on the page, and its pixels' size there.
            let left = (f64::from(tx) / n - cx) * page_world + half[0];
            let top = (f64::from(ty) / n - cy) * page_world + half[1];
            let scale = tile_pixels / f64::from(pixmap.width());
            let transform = Transform::from_row(
                scale as f32,
                0.0,
                0.0,
                scale as f32,
                left as f32,
                top as f32,
            );
            canvas.draw_pixmap(0, 0, pixmap.as_ref(), &paint, transform, None);
        }
    }
    if failed > 0 {
        problems.push(format!(
            "{}: {failed} tiles at zoom {z} could not be read and are left blank",
            package.path.display()
        ));
    }
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
