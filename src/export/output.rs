//! From page SVG to file bytes: usvg parses it with the bundled font, then resvg rasterises
//! (PNG), usvg writes text as outlines (SVG), or svg2pdf builds a PDF with an embedded subset.

use std::path::Path;
use std::sync::{Arc, OnceLock};

use resvg::{tiny_skia, usvg};

use super::{ExportError, Format, Page};
use crate::text::{FONT_FAMILY, NOTO_SANS_SC};

/// The font database: only the bundled Noto Sans SC, never the system's fonts, so an export
/// looks the same on every machine.
pub fn fonts() -> Arc<usvg::fontdb::Database> {
    static FONTS: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            let mut database = usvg::fontdb::Database::new();
            database.load_font_data(NOTO_SANS_SC.to_vec());
            database.set_sans_serif_family(FONT_FAMILY);
            Arc::new(database)
        })
        .clone()
}

pub fn parse_svg(svg: &str) -> Result<usvg::Tree, ExportError> {
    let options = usvg::Options {
        font_family: FONT_FAMILY.to_string(),
        fontdb: fonts(),
        ..usvg::Options::default()
    };
    usvg::Tree::from_str(svg, &options).map_err(|error| ExportError::Render(error.to_string()))
}

/// The page's SVG source encoded as `format`.
pub fn encode(svg: &str, page: &Page, format: Format) -> Result<Vec<u8>, ExportError> {
    let tree = parse_svg(svg)?;
    match format {
        Format::Svg => {
            let options = usvg::WriteOptions {
                coordinates_precision: 3,
                transforms_precision: 5,
                ..usvg::WriteOptions::default()
            };
            Ok(tree.to_string(&options).into_bytes())
        }
        Format::Png => render_tree(&tree, page)?
            .encode_png()
            .map(|png| with_resolution(png, page.dpi))
            .map_err(|error| ExportError::Render(error.to_string())),
        Format::Pdf => svg2pdf::to_pdf(
            &tree,
            svg2pdf::ConversionOptions::default(),
            svg2pdf::PageOptions { dpi: page.dpi },
        )
        .map_err(|error| ExportError::Render(error.to_string())),
    }
}

/// The PNG with its resolution recorded (a `pHYs` chunk after `IHDR`), so that a 300 dpi A4
/// placed in a document comes out A4.
fn with_resolution(png: Vec<u8>, dpi: f32) -> Vec<u8> {
    // Signature (8 bytes), then IHDR: length 4 + type 4 + data 13 + CRC 4.
    const AFTER_IHDR: usize = 8 + 25;
    if png.len() < AFTER_IHDR || &png[12..16] != b"IHDR" {
        return png;
    }
    let per_metre = (f64::from(dpi) / 0.0254).round() as u32;
    let mut chunk = Vec::with_capacity(21);
    chunk.extend_from_slice(&9u32.to_be_bytes());
    chunk.extend_from_slice(b"pHYs");
    chunk.extend_from_slice(&per_metre.to_be_bytes());
    chunk.extend_from_slice(&per_metre.to_be_bytes());
    chunk.push(1); // unit: metre
    let crc = crc32fast::hash(&chunk[4..]);
    chunk.extend_from_slice(&crc.to_be_bytes());
    let mut out = Vec::with_capacity(png.len() + chunk.len());
    out.extend_from_slice(&png[..AFTER_IHDR]);
    out.extend_from_slice(&chunk);
    out.extend_from_slice(&png[AFTER_IHDR..]);
    out
}

/// The page as RGBA pixels (premultiplied), for previews and the clipboard; with `max_side`,
/// scaled down so that its longer side has at most that many pixels.
pub fn rasterise(
    svg: &str,
    page: &Page,
    max_side: Option<u32>,
) -> Result<tiny_skia::Pixmap, ExportError> {
    let tree = parse_svg(svg)?;
    let longest = page.width_px.max(page.height_px);
    match max_side {
        Some(side) if side < longest => {
            let scale = side as f32 / longest as f32;
            let (w, h) = (
                (page.width_px as f32 * scale).round().max(1.0) as u32,
                (page.height_px as f32 * scale).round().max(1.0) as u32,
            );
            let mut pixmap = tiny_skia::Pixmap::new(w, h).ok_or(ExportError::TooLarge {
                width: w,
                height: h,
            })?;
            resvg::render(
                &tree,
                tiny_skia::Transform::from_scale(scale, scale),
                &mut pixmap.as_mut(),
            );
            Ok(pixmap)
        }
        _ => render_tree(&tree, page),
    }
}

fn render_tree(tree: &usvg::Tree, page: &Page) -> Result<tiny_skia::Pixmap, ExportError> {
    let mut pixmap =
        tiny_skia::Pixmap::new(page.width_px, page.height_px).ok_or(ExportError::TooLarge {
            width: page.width_px,
            height: page.height_px,
        })?;
    resvg::render(tree, tiny_skia::Transform::identity(), &mut pixmap.as_mut());
    Ok(pixmap)
}

/// Whether a file could be created in the target folder, checked before rendering.
pub fn check_writable(path: &Path) -> Result<(), ExportError> {
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let fail = |reason: String| ExportError::Write {
        path: path.to_path_buf(),
        reason,
    };
    let metadata = std::fs::metadata(&folder).map_err(|error| {
        fail(format!(
            "the folder {} is not there ({error})",
            folder.display()
        ))
    })?;
    if !metadata.is_dir() {
        return Err(fail(format!("{} is not a folder", folder.display())));
    }
    // A nameless temporary file, gone when dropped: nothing to clean up, nothing to collide.
    tempfile::tempfile_in(&folder).map_err(|error| {
        fail(format!(
            "the folder {} is not writable ({error})",
            folder.display()
        ))
    })?;
    Ok(())
}

/// Whether a new file can be written at `path`: not there already (unless `force`), and its
/// folder writable; checked before anything is drawn.
pub fn check_new_file(path: &Path, force: bool) -> Result<(), ExportError> {
    if path.exists() && !force {
        return Err(ExportError::Exists(path.to_path_buf()));
    }
    check_writable(path)
}

/// Writes the file whole or not at all (a temporary file beside it, then a rename).
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<(), ExportError> {
    crate::atomic_file::write(path, bytes).map_err(|error| write_failed(path, &error))
}

/// A file that could not be written, a full disk said as such.
pub fn write_failed(path: &Path, error: &std::io::Error) -> ExportError {
    ExportError::Write {
        path: path.to_path_buf(),
        reason: match error.kind() {
            std::io::ErrorKind::StorageFull => "the disk is full".to_string(),
            _ => error.to_string(),
        },
    }
}
