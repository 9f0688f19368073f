//! The scene's layers. Each kind of drawing is a [`SceneLayer`] that adds its items for a view
//! and options to a [`Frame`]; the scene is their ordered stack ([`default_stack`]), bottom
//! first, as cartographers draw: land, zone fills, boundaries (fine to coarse), rivers, zone
//! outlines, the spotlight, highlights, arrows, markers, labels. A vector basemap package sits on
//! the land (a raster one is drawn between the land and the rest); a user's layer is one more
//! entry in the stack.

mod arrows;
mod boundaries;
mod frame;
mod highlights;
mod labels;
mod land;
mod markers;
pub use markers::cluster_members;
mod rivers;
mod spotlight;
mod user;
mod vector_basemap;
mod zones;

pub use arrows::{CooperationArrows, cooperation_links};
pub use boundaries::BoundaryLines;
pub use frame::{Frame, LabelGroup, RankedCandidate, SceneLayer, ZONE_LAYERS};
pub use highlights::Highlights;
pub use labels::{Labels, PLATFORM_LABEL_ZOOM};
pub use land::Land;
pub use markers::Markers;
pub use rivers::Rivers;
pub use spotlight::Spotlight;
pub use user::{UserLayers, user_colour, user_legend_symbol, user_marker, user_ring};
pub use vector_basemap::VectorBasemap;
pub use zones::{ZoneFills, ZoneOutlines};

/// The stack the atlas draws, bottom first.
pub fn default_stack() -> Vec<Box<dyn SceneLayer>> {
    vec![
        Box::new(Land),
        Box::new(VectorBasemap),
        Box::new(ZoneFills),
        Box::new(BoundaryLines),
        Box::new(Rivers),
        Box::new(ZoneOutlines),
        Box::new(Spotlight),
        Box::new(Highlights),
        Box::new(CooperationArrows),
        Box::new(Markers),
        Box::new(UserLayers),
        Box::new(Labels),
    ]
}
