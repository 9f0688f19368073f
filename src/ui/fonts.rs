//! The bundled CJK font: Noto Sans SC (SIL OFL 1.1), subset to GB 2312 and the app's own text
//! by `tools/subset-font.py`. Compiled in, so Chinese renders on a machine with no CJK font.

use std::sync::Arc;

use egui::{FontData, FontDefinitions, FontFamily};

pub const NOTO_SANS_SC: &[u8] = include_bytes!("../../assets/fonts/NotoSansSC-Regular-subset.ttf");
const NAME: &str = "noto-sans-sc";

/// egui's fonts with Noto Sans SC first, so that Latin and Chinese share one typeface; egui's
/// own fonts stay behind it for the symbols and emoji Noto lacks.
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
