//! The scene: everything one view shows, as backend-neutral primitives in draw order, built by
//! the stack of [`layers`](super::layers) (see [`SceneBuilder`](super::SceneBuilder)) and
//! painted by the window (egui) and the exports (SVG). Geometry is shared with the cache and
//! placed on screen by one [`ScreenTransform`].

use std::sync::Arc;

use super::geometry::Prepared;
use super::labels::Placed;
use super::projection::{ScreenTransform, View};
use super::style::{LineStyle, MarkerStyle, Rgba};
use crate::model::FeatureRef;

/// One drawing primitive.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// Fill the triangles of an area.
    Fill {
        feature: FeatureRef,
        geometry: Arc<Prepared>,
        color: Rgba,
    },
    /// Stroke every ring or line of a feature.
    Stroke {
        feature: FeatureRef,
        geometry: Arc<Prepared>,
        style: LineStyle,
    },
    /// A point symbol; `count` > 1 when several features share the spot (the count is written
    /// in it, in [`CLUSTER_COUNT`](super::style::CLUSTER_COUNT)).
    Marker {
        feature: FeatureRef,
        at: [f32; 2],
        style: MarkerStyle,
        count: u32,
    },
    /// A circle in viewport points (a platform's position accuracy).
    Circle {
        center: [f32; 2],
        radius: f32,
        fill: Option<Rgba>,
        style: LineStyle,
    },
    /// A curved arrow (quadratic Bézier through `control`) over a casing, with a head at `to`
    /// (outlined in [`ARROW_HEAD_OUTLINE`](super::style::ARROW_HEAD_OUTLINE)).
    Arrow {
        from: [f32; 2],
        control: [f32; 2],
        to: [f32; 2],
        head: [[f32; 2]; 3],
        style: LineStyle,
        casing: LineStyle,
    },
    /// A translucent veil over everything drawn so far (the spotlight's dimming).
    Veil {
        color: Rgba,
    },
    Label(Placed),
    /// A vector basemap's area (water, land use, buildings).
    TileFill {
        geometry: Arc<Prepared>,
        color: Rgba,
    },
    /// A vector basemap's lines (roads, railways, rivers).
    TileStroke {
        geometry: Arc<Prepared>,
        style: LineStyle,
    },
    /// A picture covering the viewport: an exported page's basemap (in the window, walkers
    /// draws the basemap tiles itself).
    Image(RasterImage),
}

/// An encoded picture (JPEG or PNG) and its size in pixels.
#[derive(Debug, Clone, PartialEq)]
pub struct RasterImage {
    pub bytes: Arc<Vec<u8>>,
    pub jpeg: bool,
    pub width: u32,
    pub height: u32,
}

impl Item {
    /// The geometry and line style of a stroke (the atlas's or a vector tile's).
    pub fn stroke(&self) -> Option<(&Arc<Prepared>, LineStyle)> {
        match self {
            Item::Stroke {
                geometry, style, ..
            }
            | Item::TileStroke { geometry, style } => Some((geometry, *style)),
            _ => None,
        }
    }

    /// The feature the item draws, for fills, strokes and markers.
    pub fn feature(&self) -> Option<FeatureRef> {
        match self {
            Item::Fill { feature, .. }
            | Item::Stroke { feature, .. }
            | Item::Marker { feature, .. } => Some(*feature),
            _ => None,
        }
    }
}

/// Everything one view shows, bottom first.
#[derive(Debug, Clone, PartialEq)]
pub struct Scene {
    pub view: View,
    pub transform: ScreenTransform,
    pub background: Rgba,
    pub items: Vec<Item>,
    /// The items before this index are the land, drawn beneath any basemap package (which
    /// goes between them and the rest).
    pub underlay: usize,
    /// The features each numbered marker stands for (a click on it lists them).
    pub clusters: Vec<Cluster>,
}

/// A numbered marker and the features it stands for.
#[derive(Debug, Clone, PartialEq)]
pub struct Cluster {
    /// Where it is drawn, in viewport points.
    pub at: [f32; 2],
    pub members: Vec<crate::model::FeatureRef>,
}

impl Scene {
    /// Number of vertices the items reference (for benchmarks and tests).
    pub fn vertex_count(&self) -> usize {
        self.items
            .iter()
            .map(|item| match item {
                Item::Fill { geometry, .. }
                | Item::Stroke { geometry, .. }
                | Item::TileFill { geometry, .. }
                | Item::TileStroke { geometry, .. } => geometry.vertices.len(),
                _ => 0,
            })
            .sum()
    }

    pub fn labels(&self) -> impl Iterator<Item = &Placed> {
        self.items.iter().filter_map(|item| match item {
            Item::Label(label) => Some(label),
            _ => None,
        })
    }
}
