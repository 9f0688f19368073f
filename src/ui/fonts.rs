//! The bundled CJK font (see [`crate::text`]) in egui: first in the proportional family, so
//! that Latin and Chinese share one typeface, and behind the monospace font for Chinese.

use std::sync::Arc;

use egui::{FontData, FontDefinitions, FontFamily};

use crate::text::NOTO_SANS_SC;

const NAME: &str = "noto-sans-sc";

/// egui's fonts with Noto Sans SC first; egui's own fonts stay behind it for the symbols and
/// emoji Noto lacks.
pub fn definitions() -> FontDefinitions {
    let mut fonts = FontDefinitions::default();
    fonts.font_data.insert(
        NAME.to_owned(),
        Arc::new(FontData::from_static(NOTO_SANS_SC)),
    );
    fonts
        .families
        .entry(FontFamily::Proportional)
        .or_default()
        .insert(0, NAME.to_owned());
    fonts
        .families
        .entry(FontFamily::Monospace)
        .or_default()
        .push(NAME.to_owned());
    fonts
}

pub fn install(ctx: &egui::Context) {
    ctx.set_fonts(definitions());
}
