//! The scene: everything one view shows, as backend-neutral primitives in draw order, built by
//! the stack of [`layers`](super::layers) and painted by the window (egui) and the exports
//! (SVG). Building it does no per-vertex work: geometry comes from the cache and is placed by
//! one [`ScreenTransform`].

use std::sync::Arc;

use super::geometry::{GeometryCache, Prepared};
use super::labels::Placed;
use super::layers::{Frame, SceneLayer, default_stack};
use super::options::SceneOptions;
use super::projection::{ScreenTransform, View};
use super::style::{self, LineStyle, MarkerStyle, Rgba};
use crate::index::SpatialIndex;
use crate::model::{Atlas, FeatureRef};

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
    /// in it, in [`style::CLUSTER_COUNT`]).
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
    /// (outlined in [`style::ARROW_HEAD_OUTLINE`]).
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
}

impl Item {
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
}

impl Scene {
    /// Number of vertices the items reference (for benchmarks and tests).
    pub fn vertex_count(&self) -> usize {
        self.items
            .iter()
            .map(|item| match item {
                Item::Fill { geometry, .. } | Item::Stroke { geometry, .. } => {
                    geometry.vertices.len()
                }
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

/// Builds scenes for one atlas from its stack of layers, keeping the prepared geometry between
/// frames.
pub struct SceneBuilder {
    cache: GeometryCache,
    index: SpatialIndex,
    stack: Vec<Box<dyn SceneLayer>>,
}

impl SceneBuilder {
    pub fn new(atlas: &Atlas) -> Self {
        Self::with_index(atlas, SpatialIndex::new(atlas))
    }

    /// A builder over an index already built (the window builds it while the GPU starts).
    pub fn with_index(atlas: &Atlas, index: SpatialIndex) -> Self {
        Self {
            cache: GeometryCache::new(atlas),
            index,
            stack: default_stack(),
        }
    }

    pub fn index(&self) -> &SpatialIndex {
        &self.index
    }

    /// The layers, bottom first.
    pub fn stack(&self) -> impl Iterator<Item = &dyn SceneLayer> {
        self.stack.iter().map(|layer| layer.as_ref())
    }

    /// Puts a layer into the stack at `position` (0: at the bottom).
    pub fn insert_layer(&mut self, position: usize, layer: Box<dyn SceneLayer>) {
        self.stack.insert(position.min(self.stack.len()), layer);
    }

    pub fn cached_geometries(&self) -> usize {
        self.cache.len()
    }

    /// The scene for `view`: each layer of the stack adds its items in turn.
    pub fn build(&mut self, atlas: &Atlas, view: &View, options: &SceneOptions) -> Scene {
        let transform = ScreenTransform::new(view, self.cache.origin());
        let visible = self.index.in_bounds(view.bounds());
        let mut frame = Frame::new(atlas, view, options, &visible, &mut self.cache);
        for layer in &self.stack {
            layer.add(&mut frame);
        }
        Scene {
            view: *view,
            transform,
            background: style::BACKGROUND,
            items: frame.items,
        }
    }
}
