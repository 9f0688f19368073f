//! The spatial index: an R-tree of feature bounding boxes, built once when the data loads.
//! The scene asks it which features a view touches.

use geo::Rect;
use rstar::{AABB, RTree, primitives::GeomWithData, primitives::Rectangle};

use crate::model::{Atlas, FeatureRef};

type Entry = GeomWithData<Rectangle<[f64; 2]>, FeatureRef>;

pub struct SpatialIndex {
    tree: RTree<Entry>,
}

impl SpatialIndex {
    pub fn new(atlas: &Atlas) -> Self {
        let entries = atlas
            .features()
            .filter_map(|(feature_ref, feature)| {
                let bounds = feature.shape.bounding_rect()?;
                Some(GeomWithData::new(
                    Rectangle::from_corners(
                        [bounds.min().x, bounds.min().y],
                        [bounds.max().x, bounds.max().y],
                    ),
                    feature_ref,
                ))
            })
            .collect();
        Self {
            tree: RTree::bulk_load(entries),
        }
    }

    /// Features whose bounding box meets `bounds` (lon/lat), in draw order.
    pub fn in_bounds(&self, bounds: Rect) -> Vec<FeatureRef> {
        let envelope = AABB::from_corners(
            [bounds.min().x, bounds.min().y],
            [bounds.max().x, bounds.max().y],
        );
        let mut found: Vec<FeatureRef> = self
            .tree
            .locate_in_envelope_intersecting(&envelope)
            .map(|entry| entry.data)
            .collect();
        found.sort_unstable();
        found
    }

    pub fn len(&self) -> usize {
        self.tree.size()
    }

    pub fn is_empty(&self) -> bool {
        self.tree.size() == 0
    }
}
