//! What a layer is (a [`SceneLayer`]) and what it draws into (a [`Frame`]): the view, the
//! options, the visible features, the geometry cache, the items so far and the label
//! candidates offered so far.

use std::cmp::Reverse;
use std::sync::Arc;

use crate::model::{Atlas, FeatureRef, LayerId};
use crate::render::geometry::{GeometryCache, Prepared};
use crate::render::labels::Candidate;
use crate::render::options::SceneOptions;
use crate::render::projection::View;
use crate::render::scene::Item;
use crate::render::style::{LineStyle, Rgba};

/// One kind of drawing in the scene's stack.
pub trait SceneLayer: Send + Sync {
    /// A stable name, for tests and diagnostics.
    fn key(&self) -> &'static str;

    /// Adds this layer's items (and label candidates) for the frame's view and options.
    fn add(&self, frame: &mut Frame<'_>);

    /// Whether the layer is the land that basemap packages are drawn over (only layers at the
    /// bottom of the stack may be).
    fn under_basemaps(&self) -> bool {
        false
    }
}

/// The zone layers, bottom first.
pub const ZONE_LAYERS: [LayerId; 4] = [
    LayerId::Corridor,
    LayerId::ScienceCity,
    LayerId::Districts,
    LayerId::Core,
];

/// Which group a label candidate competes in: arrow labels are placed first, then cluster
/// counts, then the names of features by priority.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum LabelGroup {
    Arrows,
    Clusters,
    Names,
    /// A vector basemap's names: placed where the atlas's own leave room.
    Basemap,
}

/// A label that may be placed, with the order it is tried in (lowest first; ties keep the
/// order they were added in).
#[derive(Debug, Clone)]
pub struct RankedCandidate {
    pub rank: (LabelGroup, u8, Reverse<LayerId>),
    pub candidate: Candidate,
}

/// What one scene is being built from, and what it has so far.
pub struct Frame<'a> {
    pub atlas: &'a Atlas,
    pub view: &'a View,
    pub options: &'a SceneOptions,
    /// The zoom band the geometry is simplified for.
    pub band: u8,
    /// Features whose bounding box meets the view, in draw order (a big point layer's are
    /// had from the index's pyramid instead).
    pub visible: &'a [FeatureRef],
    pub index: &'a crate::index::SpatialIndex,
    cache: &'a mut GeometryCache,
    /// The items so far, bottom first.
    pub items: Vec<Item>,
    /// Label candidates so far; the labels layer places them.
    pub labels: Vec<RankedCandidate>,
    /// Point features drawn inside a cluster (the cluster's count names them).
    pub clustered: Vec<FeatureRef>,
    /// The numbered markers and what each stands for.
    pub clusters: Vec<crate::render::scene::Cluster>,
}

impl<'a> Frame<'a> {
    pub fn new(
        atlas: &'a Atlas,
        view: &'a View,
        options: &'a SceneOptions,
        visible: &'a [FeatureRef],
        index: &'a crate::index::SpatialIndex,
        cache: &'a mut GeometryCache,
    ) -> Self {
        Self {
            atlas,
            view,
            options,
            index,
            band: crate::render::geometry::band_for_zoom(view.zoom),
            visible,
            cache,
            items: Vec::new(),
            labels: Vec::new(),
            clustered: Vec::new(),
            clusters: Vec::new(),
        }
    }

    /// The visible features of one layer, in draw order.
    pub fn visible_in(&self, layer: LayerId) -> &'a [FeatureRef] {
        let visible = self.visible;
        let start = visible.partition_point(|f| f.layer < layer);
        let end = visible.partition_point(|f| f.layer <= layer);
        &visible[start..end]
    }

    /// Whether the user shows `layer`.
    pub fn shown(&self, layer: LayerId) -> bool {
        self.options.layers.visible(layer)
    }

    /// The opacity the user gave `layer`; a database layer whose server failed is greyed
    /// (its last data, drawn at a third).
    pub fn opacity(&self, layer: LayerId) -> f32 {
        let given = self.options.layers.get(layer).opacity;
        if self
            .atlas
            .user_layer(layer)
            .is_some_and(|l| l.stale.is_some())
        {
            given / 3.0
        } else {
            given
        }
    }

    /// Whether a spotlight is on (a presentation stop).
    pub fn spotlit(&self) -> bool {
        !self.options.highlight.spotlight.is_empty()
    }

    fn geometry(&mut self, feature: FeatureRef) -> Option<Arc<Prepared>> {
        self.cache
            .get(self.atlas, feature, self.band, self.view.datum)
    }

    /// Prepares the geometry of `features` ahead of drawing them (on every core, when there
    /// are many not yet prepared).
    pub fn prepare_ahead(&mut self, features: &[FeatureRef]) {
        self.cache
            .prepare_many(self.atlas, features, self.band, self.view.datum);
    }

    /// The dots kept for `key`, made by `make` (given the geometry's origin) if they were not.
    pub fn dots(
        &mut self,
        key: crate::render::geometry::DotsKey,
        make: impl FnOnce([f64; 2]) -> Vec<(Rgba, u32, Prepared)>,
    ) -> crate::render::geometry::Dots {
        self.cache.dots(key, make)
    }

    /// Fills a feature's area (nothing for a fully transparent colour or an empty area).
    pub fn fill(&mut self, feature: FeatureRef, color: Rgba) {
        if color.0[3] == 0 {
            return;
        }
        if let Some(geometry) = self.geometry(feature).filter(|g| !g.triangles.is_empty()) {
            self.items.push(Item::Fill {
                feature,
                geometry,
                color,
            });
        }
    }

    /// Strokes every ring or line of a feature.
    pub fn stroke(&mut self, feature: FeatureRef, style: LineStyle) {
        if style.color.0[3] == 0 {
            return;
        }
        if let Some(geometry) = self.geometry(feature).filter(|g| !g.is_empty()) {
            self.items.push(Item::Stroke {
                feature,
                geometry,
                style,
            });
        }
    }

    /// Offers a label to the labels layer.
    pub fn offer_label(&mut self, rank: (LabelGroup, u8, Reverse<LayerId>), candidate: Candidate) {
        self.labels.push(RankedCandidate { rank, candidate });
    }
}
