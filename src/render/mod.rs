//! From model to pixels: projection, simplification and tessellation, the style table, the
//! scene built from its stack of layers, and the two painters (egui for the window, SVG for
//! the exports). No files, no UI state.

pub mod builder;
pub mod clip;
pub mod egui_painter;
pub mod extent;
pub mod geometry;
pub mod labels;
pub mod layers;
pub mod legend;
pub mod options;
pub mod projection;
pub mod scale_bar;
pub mod scene;
mod simplify;
pub mod style;
pub mod svg;
pub mod vector_tile;

pub use builder::SceneBuilder;
pub use extent::{Extent, ExtentError, view_for};
pub use layers::{SceneLayer, cluster_members, cooperation_links};
pub use options::{Highlight, LayerSetting, LayerSettings, LinkArrow, SceneOptions, TileSet};
pub use projection::View;
pub use scene::{Cluster, Item, Scene};
