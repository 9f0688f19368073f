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

/// The smallest text egui sets (legend sub-rows, the attribution, hints), in points: 11, so
/// that nothing in the window is harder to read than a map's fine print (egui's own is 9).
pub const SMALL_TEXT: f32 = 11.0;

pub fn install(ctx: &egui::Context) {
    ctx.set_fonts(definitions());
    ctx.all_styles_mut(|style| {
        style.text_styles.insert(
            egui::TextStyle::Small,
            egui::FontId::proportional(SMALL_TEXT),
        );
    });
}
