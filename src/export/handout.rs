//! The handout of a tour: one PDF page per stop, the stop's map and caption, laid out by the
//! export pipeline (each page is the same SVG an export writes, embedded with svg2pdf), made
//! page by page so that memory does not grow with the number of stops.

use std::collections::HashMap;
use std::path::Path;

use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, TextStr};

use super::{self as export, ExportBasemap, ExportError, ExportRequest, Page, PageSize, Paper};
use crate::model::{Atlas, Lang};
use crate::render::SceneBuilder;
use crate::tour::{Stop, Tour};

/// The handout's page: A4 landscape; 150 dpi sets the layout's scale (the PDF is vector).
pub const HANDOUT_PAGE: PageSize = PageSize::Paper {
    paper: Paper::A4,
    landscape: true,
    dpi: 150,
};

/// How a handout is made: its language, its page, and the basemap packages under its maps.
#[derive(Debug, Clone, Copy)]
pub struct Handout<'a> {
    pub lang: Lang,
    pub size: PageSize,
    pub basemaps: &'a [ExportBasemap],
    /// The stops' speaker notes printed under each page (a presenter's copy).
    pub notes: bool,
}

impl Handout<'_> {
    /// The usual handout, A4 landscape, without a basemap package.
    pub fn plain(lang: Lang) -> Handout<'static> {
        Handout {
            lang,
            size: HANDOUT_PAGE,
            basemaps: &[],
            notes: false,
        }
    }
}

/// One page of the handout, laid out: the finished page's SVG and its size.
pub fn compose_page(
    atlas: &Atlas,
    builder: &mut SceneBuilder,
    tour: &Tour,
    number: usize,
    handout: &Handout<'_>,
) -> Result<(String, Page), ExportError> {
    let (lang, size) = (handout.lang, handout.size);
    let total = tour.stops.len();
    let Some(stop) = tour.stops.get(number) else {
        return Err(ExportError::Render(format!(
            "the tour has no stop {}",
            number + 1
        )));
    };
    let mut request = stop_request(stop, atlas, lang, size);
    request.highlight.print = true;
    request.basemaps = handout.basemaps.to_vec();
    request.subtitle = Some(format!(
        "{} · {} {}/{total}",
        tour.title.get(lang),
        lang.pick("第", "stop"),
        number + 1
    ));
    let citations = stop.citations(atlas, lang);
    let mut caption = stop.caption.get(lang).to_string();
    if !citations.is_empty() {
        caption.push_str(lang.pick("（来源：", " (Sources: "));
        caption.push_str(&citations.join(lang.pick("；", "; ")));
        caption.push_str(lang.pick("）", ")"));
    }
    request.caption = Some(caption);
    if handout.notes {
        request.notes = Some(stop.notes(lang).to_string());
    }
    let composition = export::compose(atlas, builder, &request)?;
    Ok((composition.svg, composition.page))
}

/// A stop as an export request (the handout's page), at `size`.
pub fn stop_request(stop: &Stop, atlas: &Atlas, lang: Lang, size: PageSize) -> ExportRequest {
    let mut request = ExportRequest::new(stop.extent(), size);
    request.lang = lang;
    request.layers = stop.layer_settings(atlas);
    request.highlight = stop.highlight(atlas, lang);
    request.title = Some(stop.title.get(lang).to_string());
    request
}

/// A PDF being made page by page: each page is laid out, converted and dropped before the
/// next, so memory grows with the PDF, not with the pages' SVG (a 1 000-stop tour is fine).
pub struct HandoutPdf {
    pdf: Pdf,
    next: Ref,
    catalog: Ref,
    page_tree: Ref,
    pages: Vec<Ref>,
}

impl Default for HandoutPdf {
    fn default() -> Self {
        let mut next = Ref::new(1);
        let catalog = next.bump();
        let page_tree = next.bump();
        Self {
            pdf: Pdf::new(),
            next,
            catalog,
            page_tree,
            pages: Vec::new(),
        }
    }
}

impl HandoutPdf {
    /// Adds a page: the SVG of a finished page, embedded with svg2pdf.
    pub fn add(&mut self, svg: &str, layout: &Page) -> Result<(), ExportError> {
        let tree = export::parse_svg(svg)?;
        let (chunk, svg_ref) = svg2pdf::to_chunk(&tree, svg2pdf::ConversionOptions::default())
            .map_err(|error| ExportError::Render(error.to_string()))?;
        let next = &mut self.next;
        let mut renumbered = HashMap::new();
        let chunk = chunk.renumber(|old| *renumbered.entry(old).or_insert_with(|| next.bump()));
        let svg_ref = renumbered[&svg_ref];
        // The page in points; the embedded SVG is one point square until scaled to it.
        let points = 72.0 / layout.dpi;
        let (w, h) = (
            layout.width_px as f32 * points,
            layout.height_px as f32 * points,
        );
        let page_ref = self.next.bump();
        let content_ref = self.next.bump();
        let name = Name(b"S1");
        let mut page = self.pdf.page(page_ref);
        page.media_box(Rect::new(0.0, 0.0, w, h));
        page.parent(self.page_tree);
        page.contents(content_ref);
        page.resources().x_objects().pair(name, svg_ref);
        page.finish();
        let mut content = Content::new();
        content.transform([w, 0.0, 0.0, h, 0.0, 0.0]).x_object(name);
        self.pdf.stream(content_ref, &content.finish());
        self.pdf.extend(&chunk);
        self.pages.push(page_ref);
        Ok(())
    }

    /// The PDF's bytes, with `title` in its document information.
    pub fn finish(mut self, title: &str) -> Vec<u8> {
        self.pdf.catalog(self.catalog).pages(self.page_tree);
        self.pdf
            .pages(self.page_tree)
            .kids(self.pages.iter().copied())
            .count(self.pages.len() as i32);
        let info = self.next.bump();
        self.pdf
            .document_info(info)
            .title(TextStr(title))
            .producer(TextStr("Chengyu Atlas"));
        self.pdf.finish()
    }
}

/// The handout as PDF bytes, made page by page.
pub fn pdf(
    atlas: &Atlas,
    builder: &mut SceneBuilder,
    tour: &Tour,
    handout: &Handout<'_>,
) -> Result<Vec<u8>, ExportError> {
    let mut document = HandoutPdf::default();
    for number in 0..tour.stops.len() {
        let (svg, page) = compose_page(atlas, builder, tour, number, handout)?;
        document.add(&svg, &page)?;
    }
    Ok(document.finish(tour.title.get(handout.lang)))
}

/// Checks that `path` can take a handout: a .pdf, not there yet (unless `force`), in a
/// writable folder.
pub fn check_target(path: &Path, force: bool) -> Result<(), ExportError> {
    if export::Format::from_path(path) != Some(export::Format::Pdf) {
        return Err(ExportError::UnknownFormat(path.to_path_buf()));
    }
    export::check_new_file(path, force)
}

/// Writes the handout to `path` (whole or not at all; an existing file only with `force`).
pub fn write(
    atlas: &Atlas,
    builder: &mut SceneBuilder,
    tour: &Tour,
    handout: &Handout<'_>,
    path: &Path,
    force: bool,
) -> Result<(), ExportError> {
    check_target(path, force)?;
    let bytes = pdf(atlas, builder, tour, handout)?;
    export::write_file(path, &bytes)
}
