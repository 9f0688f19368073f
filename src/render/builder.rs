//! Builds scenes: the stack of layers run over a view, with the geometry prepared once per zoom
//! band and kept, and the spatial index that says which features a view touches.

use super::geometry::GeometryCache;
use super::layers::{Frame, SceneLayer, default_stack};
use super::options::SceneOptions;
use super::projection::{ScreenTransform, View};
use super::scene::Scene;
use super::style;
use crate::index::SpatialIndex;
use crate::model::Atlas;

/// Builds scenes for one atlas from its stack of layers, keeping the prepared geometry between
/// frames.
pub struct SceneBuilder {
    cache: GeometryCache,
    index: SpatialIndex,
    stack: Vec<Box<dyn SceneLayer>>,
    /// The last scene and what it was built from (the atlas's revision, the view, the
    /// options): a repaint with nothing changed (a panel redrawn, the pointer still) is that
    /// scene again.
    last: Option<(u64, View, SceneOptions, Scene)>,
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
            last: None,
        }
    }

    /// A builder for `atlas` (changed: a layer added or removed) with this one's origin, so
    /// that what was prepared relative to it (vector basemap tiles) stays in place.
    pub fn rebuilt(&self, atlas: &Atlas) -> Self {
        self.with(self.index.rebuilt(atlas), atlas)
    }

    /// As [`rebuilt`](Self::rebuilt), leaving out the big layers whose pyramids are still to
    /// be built (named in the list; see [`SpatialIndex::rebuilt_deferring`]).
    pub fn rebuilt_deferring(
        &self,
        atlas: &Atlas,
        filed: &[std::sync::Arc<crate::index::LayerIndex>],
    ) -> (Self, Vec<crate::model::LayerId>) {
        let (index, deferred) = self.index.rebuilt_deferring(atlas, filed);
        (self.with(index, atlas), deferred)
    }

    /// This builder's atlas with a big layer's pyramid, built elsewhere, in its index.
    pub fn with_pyramid(
        &self,
        atlas: &Atlas,
        pyramid: crate::index::clusters::PointPyramid,
    ) -> (Self, Vec<crate::model::LayerId>) {
        let (index, deferred) = self.index.with_pyramid(atlas, pyramid);
        (self.with(index, atlas), deferred)
    }

    fn with(&self, index: SpatialIndex, atlas: &Atlas) -> Self {
        Self {
            cache: self.cache.kept_for(atlas),
            index,
            stack: default_stack(),
            last: None,
        }
    }

    /// The local origin of the scene's geometry (normalised Mercator): vector basemap tiles
    /// are prepared relative to it.
    pub fn origin(&self) -> [f64; 2] {
        self.cache.origin()
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
        self.last = None;
    }

    pub fn cached_geometries(&self) -> usize {
        self.cache.len()
    }

    /// The scene for `view`: each layer of the stack adds its items in turn (or the scene
    /// built last, when the atlas, the view and the options are the same).
    pub fn build(&mut self, atlas: &Atlas, view: &View, options: &SceneOptions) -> Scene {
        if let Some((revision, last_view, last_options, scene)) = &self.last
            && *revision == atlas.revision()
            && last_view == view
            && last_options == options
        {
            return scene.clone();
        }
        let scene = self.build_anew(atlas, view, options);
        self.last = Some((atlas.revision(), *view, options.clone(), scene.clone()));
        scene
    }

    fn build_anew(&mut self, atlas: &Atlas, view: &View, options: &SceneOptions) -> Scene {
        let transform = ScreenTransform::new(view, self.cache.origin());
        let visible = self.index.in_bounds(view.bounds());
        let mut frame = Frame::new(atlas, view, options, &visible, &self.index, &mut self.cache);
        let mut underlay = 0;
        for layer in &self.stack {
            layer.add(&mut frame);
            if layer.under_basemaps() {
                underlay = frame.items.len();
            }
        }
        Scene {
            view: *view,
            transform,
            background: style::BACKGROUND,
            items: frame.items,
            underlay,
            clusters: frame.clusters,
        }
    }
}
