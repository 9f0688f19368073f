//! The handout of a tour: one PDF page per stop, the stop's map and caption, laid out by the
//! export pipeline (each page is the same SVG an export writes, embedded with svg2pdf).

use std::collections::HashMap;
use std::path::Path;

use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, TextStr};

use super::Tour;
use crate::export::{self, ExportError, PageSize, Paper};
use crate::model::{Atlas, Lang};
use crate::render::SceneBuilder;

/// The handout's page: A4 landscape; 150 dpi sets the layout's scale (the PDF is vector).
pub const HANDOUT_PAGE: PageSize = PageSize::Paper {
    paper: Paper::A4,
    landscape: true,
    dpi: 150,
};

/// The handout as PDF bytes.
pub fn pdf(
    atlas: &Atlas,
    builder: &mut SceneBuilder,
    tour: &Tour,
    lang: Lang,
    size: PageSize,
) -> Result<Vec<u8>, ExportError> {
    let mut next = Ref::new(1);
    let catalog = next.bump();
    let page_tree = next.bump();
    let mut pdf = Pdf::new();
    let mut pages = Vec::new();
    let total = tour.stops.len();
    for (number, stop) in tour.stops.iter().enumerate() {
        let mut request = stop.request(atlas, lang, size);
        request.subtitle = Some(format!(
            "{} · {} {}/{total}",
            tour.title.get(lang),
            lang.pick("第", "stop"),
            number + 1
        ));
        let citations = stop.citations(atlas);
        let mut caption = stop.caption.get(lang).to_string();
        if !citations.is_empty() {
            caption.push_str(lang.pick("（来源：", " (Sources: "));
            caption.push_str(&citations.join(lang.pick("；", "; ")));
            caption.push_str(lang.pick("）", ")"));
        }
        request.caption = Some(caption);
        let composition = export::compose(atlas, builder, &request)?;
        let tree = export::parse_svg(&composition.svg)?;
        let (chunk, svg_ref) = svg2pdf::to_chunk(&tree, svg2pdf::ConversionOptions::default())
            .map_err(|error| ExportError::Render(error.to_string()))?;
        let mut renumbered = HashMap::new();
        let chunk = chunk.renumber(|old| *renumbered.entry(old).or_insert_with(|| next.bump()));
        let svg_ref = renumbered[&svg_ref];

        let points = 72.0 / composition.page.dpi;
        let (w, h) = (
            composition.page.width_px as f32 * points,
            composition.page.height_px as f32 * points,
        );
        let page_ref = next.bump();
        let content_ref = next.bump();
        let name = Name(b"S1");
        let mut page = pdf.page(page_ref);
        page.media_box(Rect::new(0.0, 0.0, w, h));
        page.parent(page_tree);
        page.contents(content_ref);
        page.resources().x_objects().pair(name, svg_ref);
        page.finish();
        let mut content = Content::new();
        content.transform([w, 0.0, 0.0, h, 0.0, 0.0]).x_object(name);
        pdf.stream(content_ref, &content.finish());
        pdf.extend(&chunk);
        pages.push(page_ref);
    }
    pdf.catalog(catalog).pages(page_tree);
    pdf.pages(page_tree)
        .kids(pages.iter().copied())
        .count(pages.len() as i32);
    let info = next.bump();
    pdf.document_info(info)
        .title(TextStr(tour.title.get(lang)))
        .producer(TextStr("Chengyu Atlas"));
    Ok(pdf.finish())
}

/// Writes the handout to `path` (whole or not at all; an existing file only with `force`).
pub fn write(
    atlas: &Atlas,
    builder: &mut SceneBuilder,
    tour: &Tour,
    lang: Lang,
    path: &Path,
    force: bool,
) -> Result<(), ExportError> {
    if export::Format::from_path(path) != Some(export::Format::Pdf) {
        return Err(ExportError::UnknownFormat(path.to_path_buf()));
    }
    if path.exists() && !force {
        return Err(ExportError::Exists(path.to_path_buf()));
    }
    export::check_writable(path)?;
    let bytes = pdf(atlas, builder, tour, lang, HANDOUT_PAGE)?;
    export::write_file(path, &bytes)
}
