//! Map snapshots: a finished page (title, map, legend, scale bar, north arrow, overview inset,
//! date, sources) as SVG, PNG (resvg) or PDF (svg2pdf). The map is the window's own scene,
//! painted by the SVG painter; text is set in the bundled Noto Sans SC, so Chinese renders on a
//! machine without CJK fonts (PNG: rasterised; SVG: outlines; PDF: an embedded subset).

mod basemap;
pub mod handout;
mod layout;
mod output;
pub mod video;

use std::path::{Path, PathBuf};

pub use basemap::{ExportBasemap, tiles_failed, vector_tiles};
pub use layout::{Composition, Elements, Page, compose_screen, legend_swatch, map_scene};
pub use output::{
    check_new_file, check_writable, encode, fonts, parse_svg, rasterise, write_failed, write_file,
};

use crate::model::{Atlas, Lang};
pub use crate::render::{Extent, ExtentError};
use crate::render::{Highlight, LayerSettings, SceneBuilder, cooperation_links};

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Paper {
    A4,
    A3,
}

impl Paper {
    /// Portrait width and height in millimetres.
    pub fn millimetres(self) -> (f64, f64) {
        match self {
            Paper::A4 => (210.0, 297.0),
            Paper::A3 => (297.0, 420.0),
        }
    }
}

/// How big the output is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum PageSize {
    Pixels {
        width: u32,
        height: u32,
    },
    Paper {
        paper: Paper,
        landscape: bool,
        dpi: u32,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Png,
    Svg,
    Pdf,
}

impl Format {
    /// The format a file name asks for, by its extension.
    pub fn from_path(path: &Path) -> Option<Format> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "png" => Some(Format::Png),
            "svg" => Some(Format::Svg),
            "pdf" => Some(Format::Pdf),
            _ => None,
        }
    }
}

/// Everything an export needs to know.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportRequest {
    pub extent: Extent,
    pub size: PageSize,
    pub lang: Lang,
    /// `None`: a title from the extent ("西部（重庆）科学城").
    pub title: Option<String>,
    pub subtitle: Option<String>,
    /// Text under the map (a tour stop's caption), wrapped to the page.
    pub caption: Option<String>,
    /// Speaker notes under the caption (a handout printed for the presenter), labelled.
    pub notes: Option<String>,
    pub layers: LayerSettings,
    /// What the map highlights, as in the window: the selected feature (and, for a zone, its
    /// cooperation arrows) and the features with a chosen industry. Hover is never exported.
    pub highlight: Highlight,
    pub elements: Elements,
    /// Basemap packages under the map, bottom first (the window's, or `--basemap`). The map
    /// is drawn in the datum of the lowest raster package shown.
    pub basemaps: Vec<ExportBasemap>,
}

impl ExportRequest {
    pub fn new(extent: Extent, size: PageSize) -> Self {
        Self {
            extent,
            size,
            lang: Lang::Zh,
            title: None,
            subtitle: None,
            caption: None,
            notes: None,
            layers: LayerSettings::default(),
            highlight: Highlight::default(),
            elements: Elements::default(),
            basemaps: Vec::new(),
        }
    }

    /// The datum the map is drawn in: that of the base package.
    pub fn datum(&self) -> crate::coordinates::datum::Datum {
        crate::basemap::base_datum(self.shown_basemaps().map(|b| &b.package))
    }

    /// The basemap packages drawn (opacity above nothing), bottom first.
    pub fn shown_basemaps(&self) -> impl Iterator<Item = &ExportBasemap> {
        self.basemaps.iter().filter(|b| b.opacity > 0.0)
    }
}

/// Largest output: sides up to 20 000 px and 60 megapixels (an A3 at 300 dpi is 17).
pub const MAX_SIDE_PX: u32 = 20_000;
pub const MAX_PIXELS: u64 = 60_000_000;

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Extent(#[from] ExtentError),
    #[error("{width} × {height} px is too large: at most {MAX_SIDE_PX} px a side and {} megapixels", MAX_PIXELS / 1_000_000)]
    TooLarge { width: u32, height: u32 },
    #[error("{width} × {height} px is too small to hold a map")]
    TooSmall { width: u32, height: u32 },
    #[error("cannot tell the format of {0}: use .png, .svg or .pdf")]
    UnknownFormat(PathBuf),
    #[error("{0} exists; use --force (or confirm) to replace it")]
    Exists(PathBuf),
    #[error("cannot write {path}: {reason}")]
    Write { path: PathBuf, reason: String },
    #[error("cannot render the page: {0}")]
    Render(String),
    #[error("cancelled: nothing was written")]
    Cancelled,
}

/// The highlight of a selected feature, as the window shows it: the feature outlined and, for
/// a zone, its cooperation arrows.
pub fn selecting(atlas: &Atlas, id: &str, lang: Lang) -> Result<Highlight, ExportError> {
    let (feature, _) = atlas
        .find(id)
        .ok_or_else(|| ExtentError::UnknownFeature(id.to_string()))?;
    Ok(Highlight {
        selected: Some(feature),
        links: cooperation_links(atlas, feature, lang),
        ..Highlight::default()
    })
}

/// The finished page as SVG source (text, before fonts are turned into outlines), its size, and
/// where its map is.
pub fn compose(
    atlas: &Atlas,
    builder: &mut SceneBuilder,
    request: &ExportRequest,
) -> Result<Composition, ExportError> {
    let page = Page::for_size(request.size)?;
    layout::compose(atlas, builder, request, page)
}

/// The page encoded in `format`.
pub fn render(
    atlas: &Atlas,
    builder: &mut SceneBuilder,
    request: &ExportRequest,
    format: Format,
) -> Result<Vec<u8>, ExportError> {
    let composition = compose(atlas, builder, request)?;
    encode(&composition.svg, &composition.page, format)
}

/// Exports to a file: the format follows the extension, the file is written whole or not at
/// all, and an existing file is replaced only when `force` is set. Returns what the page had
/// to do without (basemap tiles that could not be read).
pub fn export_to_file(
    atlas: &Atlas,
    builder: &mut SceneBuilder,
    request: &ExportRequest,
    path: &Path,
    force: bool,
) -> Result<Vec<String>, ExportError> {
    let format =
        Format::from_path(path).ok_or_else(|| ExportError::UnknownFormat(path.to_path_buf()))?;
    // Fail early, before rendering, when the file is there or the folder cannot take it.
    output::check_new_file(path, force)?;
    let composition = compose(atlas, builder, request)?;
    let bytes = encode(&composition.svg, &composition.page, format)?;
    write_file(path, &bytes)?;
    Ok(composition.warnings)
}

pub use crate::date::{civil_date, today};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_format_follows_the_extension() {
        assert_eq!(Format::from_path(Path::new("a/b.PNG")), Some(Format::Png));
        assert_eq!(Format::from_path(Path::new("map.pdf")), Some(Format::Pdf));
        assert_eq!(Format::from_path(Path::new("map.jpeg")), None);
    }
}
