//! The caption card's look, shared by the window's presenter (egui) and a tour's video (SVG)
//! so that the audience sees one card: sizes in pixels on a 1920×1080 projector, scaled with
//! the screen's height.

use crate::render::style::Rgba;

pub const TITLE_PX: f32 = 42.0;
pub const CAPTION_PX: f32 = 28.0;
/// "3 / 9" beside the progress dots.
pub const COUNT_PX: f32 = 20.0;
/// The sources line: as large as the map's smallest labels, read from the back of a room.
pub const SOURCES_PX: f32 = 20.0;
/// The card's distance from the screen's left and bottom edges.
pub const MARGIN: [f32; 2] = [48.0, 40.0];
/// Its inner margin, across and down.
pub const PADDING: [f32; 2] = [28.0, 20.0];
/// Its widest text.
pub const MAX_WIDTH: f32 = 1500.0;
pub const CORNER: f32 = 10.0;
/// The white fill's opacity (of 255): the map shows faintly through.
pub const FILL_ALPHA: u8 = 242;
/// Space after the title, after the caption, and before the sources.
pub const GAPS: [f32; 3] = [6.0, 10.0, 6.0];
/// The progress dots: their spacing, the current stop's radius and the others'.
pub const DOT_SPACING: f32 = 22.0;
pub const DOT_RADIUS: [f32; 2] = [8.0, 5.5];

pub const TITLE: Rgba = Rgba::rgb(0x14, 0x1a, 0x24);
pub const CAPTION: Rgba = Rgba::rgb(0x24, 0x2a, 0x34);
pub const COUNT: Rgba = Rgba::rgb(0x40, 0x46, 0x50);
pub const SOURCES: Rgba = Rgba::rgb(0x4a, 0x50, 0x5a);
pub const DOT_HERE: Rgba = Rgba::rgb(0xc6, 0x28, 0x28);
pub const DOT_DONE: Rgba = Rgba::rgb(0x60, 0x66, 0x70);
pub const DOT_TO_COME: Rgba = Rgba::rgb(0xc4, 0xc8, 0xce);
