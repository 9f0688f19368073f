//! Raster tiles: PNG, JPEG or WebP bytes to RGBA pixels, told apart by their first bytes (a
//! package's stated format is often wrong for some tiles), with the size checked.

use super::{Bounds, TileSource};

/// A decoded tile, unpremultiplied RGBA, row by row from the top.
#[derive(Debug, Clone, PartialEq)]
pub struct RasterTile {
    pub width: u32,
    pub height: u32,
    pub rgba: Vec<u8>,
}

/// Raster tiles larger than this on a side are refused (512 px is the largest in use).
pub const MAX_TILE_PIXELS: u32 = 1024;

/// What the bytes are, from their first bytes.
pub fn sniff(bytes: &[u8]) -> Option<image::ImageFormat> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(image::ImageFormat::Png)
    } else if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
        Some(image::ImageFormat::Jpeg)
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some(image::ImageFormat::WebP)
    } else {
        None
    }
}

/// Decodes a raster tile; the error says what is wrong in plain words.
pub fn decode(bytes: &[u8]) -> Result<RasterTile, String> {
    decode_within(bytes, MAX_TILE_PIXELS)
}

/// Decodes an image at most `most` pixels across and down (a WMS's GetMap for a page's
/// block, bigger than a tile).
pub fn decode_within(bytes: &[u8], most: u32) -> Result<RasterTile, String> {
    let Some(format) = sniff(bytes) else {
        return Err(if bytes.is_empty() {
            "the tile is empty".into()
        } else {
            "not a PNG, JPEG or WebP image".into()
        });
    };
    let mut reader = image::ImageReader::with_format(std::io::Cursor::new(bytes), format);
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(most);
    limits.max_image_height = Some(most);
    limits.max_alloc = Some((u64::from(most) * u64::from(most) * 4).max(64 * 1024 * 1024));
    reader.limits(limits);
    let image = reader
        .decode()
        .map_err(|e| format!("broken {format:?} image ({e})"))?;
    let rgba = image.into_rgba8();
    Ok(RasterTile {
        width: rgba.width(),
        height: rgba.height(),
        rgba: rgba.into_raw(),
    })
}

/// The pixel size of a raster package's tiles, from one tile near its centre (256 when no
/// tile can be read: the common size, and walkers' own).
pub fn probe_tile_size(
    source: &dyn TileSource,
    bounds: Option<Bounds>,
    min_zoom: u8,
    max_zoom: u8,
) -> u32 {
    if !source.info().format.is_raster() {
        return 256;
    }
    let (lon, lat) = bounds.map_or((0.0, 0.0), |b| {
        ((b.west + b.east) / 2.0, (b.south + b.north) / 2.0)
    });
    for z in min_zoom..=max_zoom.min(min_zoom.saturating_add(4)) {
        let key = key_at(lon, lat, z);
        let Ok(Some(bytes)) = source.tile(key) else {
            continue;
        };
        let Some(format) = sniff(&bytes) else {
            continue;
        };
        let reader = image::ImageReader::with_format(std::io::Cursor::new(&bytes[..]), format);
        if let Ok((width, _)) = reader.into_dimensions()
            && [128, 256, 512, 1024].contains(&width)
        {
            return width;
        }
    }
    256
}

pub use crate::coordinates::mercator::key_at;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_images_are_named() {
        assert_eq!(decode(b""), Err("the tile is empty".into()));
        assert!(decode(b"<html>").is_err_and(|e| e.contains("not a PNG")));
        assert!(decode(b"\x89PNG\r\n\x1a\nbroken").is_err_and(|e| e.contains("broken Png")));
    }
}
