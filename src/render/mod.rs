//! From model to pixels: projection, simplification and tessellation, the style table, the
//! scene, and the egui painter. No files, no UI state.

pub mod clip;
pub mod egui_painter;
pub mod geometry;
pub mod labels;
pub mod overlay;
pub mod projection;
pub mod scale_bar;
pub mod scene;
pub mod style;
pub mod svg;

pub use projection::View;
pub use scene::{Highlight, Item, LayerSettings, LinkArrow, Scene, SceneBuilder, SceneOptions};
