//! The spatial index, built once when the data loads: which features a view touches (for
//! drawing), and what lies under a point (hit-testing, for the window and `identify`).
//!
//! Areas: an R-tree of polygon-part envelopes, then an exact point-in-polygon test
//! ([`PreparedPolygon`]). Points: an R-tree of positions, answered within a tolerance. The
//! answer is the stack of hits, topmost first in draw order.

mod polygon;

use geo::{Coord, Rect};
use rstar::{AABB, RTree, primitives::GeomWithData, primitives::Rectangle};

pub use polygon::PreparedPolygon;

use crate::model::{Atlas, Feature, FeatureRef, LayerId, Shape};

type Envelope = GeomWithData<Rectangle<[f64; 2]>, FeatureRef>;
type Part = GeomWithData<Rectangle<[f64; 2]>, u32>;
type PointEntry = GeomWithData<[f64; 2], FeatureRef>;

/// The layers that answer hit-tests, topmost first.
pub const HIT_ORDER: [LayerId; 9] = [
    LayerId::Platforms,
    LayerId::Hubs,
    LayerId::Core,
    LayerId::Districts,
    LayerId::ScienceCity,
    LayerId::Corridor,
    LayerId::Counties,
    LayerId::Prefectures,
    LayerId::Provinces,
];

fn hit_rank(layer: LayerId) -> usize {
    HIT_ORDER
        .iter()
        .position(|candidate| *candidate == layer)
        .unwrap_or(HIT_ORDER.len())
}

fn rectangle(bounds: Rect) -> Rectangle<[f64; 2]> {
    Rectangle::from_corners(
        [bounds.min().x, bounds.min().y],
        [bounds.max().x, bounds.max().y],
    )
}

/// Metres per degree of latitude (and of longitude at the equator), for tolerances.
const METRES_PER_DEGREE: f64 = 111_320.0;

pub struct SpatialIndex {
    /// Whole-feature envelopes, for culling a view.
    envelopes: RTree<Envelope>,
    /// Envelopes of every polygon part of every area feature that answers hit-tests.
    parts: RTree<Part>,
    prepared: Vec<(FeatureRef, PreparedPolygon)>,
    points: RTree<PointEntry>,
}

impl SpatialIndex {
    pub fn new(atlas: &Atlas) -> Self {
        let mut index = Self {
            envelopes: RTree::new(),
            parts: RTree::new(),
            prepared: Vec::new(),
            points: RTree::new(),
        };
        let mut envelopes = Vec::new();
        let mut parts = Vec::new();
        let mut points = Vec::new();
        for (feature_ref, feature) in atlas.features() {
            index.collect(
                feature_ref,
                feature,
                &mut envelopes,
                &mut parts,
                &mut points,
            );
        }
        index.envelopes = RTree::bulk_load(envelopes);
        index.parts = RTree::bulk_load(parts);
        index.points = RTree::bulk_load(points);
        index
    }

    fn collect(
        &mut self,
        feature_ref: FeatureRef,
        feature: &Feature,
        envelopes: &mut Vec<Envelope>,
        parts: &mut Vec<Part>,
        points: &mut Vec<PointEntry>,
    ) {
        if let Some(bounds) = feature.shape.bounding_rect() {
            envelopes.push(GeomWithData::new(rectangle(bounds), feature_ref));
        }
        if !HIT_ORDER.contains(&feature_ref.layer) {
            return;
        }
        match &feature.shape {
            Shape::Area(area) => {
                for polygon in area {
                    let Some(bounds) = geo::BoundingRect::bounding_rect(polygon) else {
                        continue;
                    };
                    parts.push(GeomWithData::new(
                        rectangle(bounds),
                        self.prepared.len() as u32,
                    ));
                    self.prepared
                        .push((feature_ref, PreparedPolygon::new(polygon)));
                }
            }
            Shape::Point(point) => {
                points.push(GeomWithData::new([point.x(), point.y()], feature_ref));
            }
            _ => {}
        }
    }

    /// Features whose bounding box meets `bounds` (lon/lat), in draw order.
    pub fn in_bounds(&self, bounds: Rect) -> Vec<FeatureRef> {
        let envelope = AABB::from_corners(
            [bounds.min().x, bounds.min().y],
            [bounds.max().x, bounds.max().y],
        );
        let mut found: Vec<FeatureRef> = self
            .envelopes
            .locate_in_envelope_intersecting(&envelope)
            .map(|entry| entry.data)
            .collect();
        found.sort_unstable();
        found
    }

    /// Everything under `at` (lon/lat), topmost first: points within `tolerance_m` metres
    /// (nearest first), then the areas that contain `at` (boundary included).
    pub fn hits(&self, at: Coord, tolerance_m: f64) -> Vec<FeatureRef> {
        let mut hits: Vec<(usize, f64, FeatureRef)> = Vec::new();
        self.point_hits(at, tolerance_m, &mut hits);
        for part in self.parts.locate_all_at_point(&[at.x, at.y]) {
            let (feature_ref, prepared) = &self.prepared[part.data as usize];
            if hits.iter().any(|(_, _, hit)| hit == feature_ref) {
                continue; // another part of the same feature already answered
            }
            if prepared.contains(at) {
                hits.push((hit_rank(feature_ref.layer), 0.0, *feature_ref));
            }
        }
        hits.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)).then(a.2.cmp(&b.2)));
        hits.into_iter().map(|(_, _, hit)| hit).collect()
    }

    fn point_hits(&self, at: Coord, tolerance_m: f64, hits: &mut Vec<(usize, f64, FeatureRef)>) {
        if tolerance_m <= 0.0 {
            return;
        }
        let dy = tolerance_m / METRES_PER_DEGREE;
        let dx = dy / at.y.to_radians().cos().max(0.01);
        let envelope = AABB::from_corners([at.x - dx, at.y - dy], [at.x + dx, at.y + dy]);
        for entry in self.points.locate_in_envelope(&envelope) {
            let [x, y] = *entry.geom();
            let metres = ((x - at.x) * METRES_PER_DEGREE * at.y.to_radians().cos())
                .hypot((y - at.y) * METRES_PER_DEGREE);
            if metres <= tolerance_m {
                hits.push((hit_rank(entry.data.layer), metres, entry.data));
            }
        }
    }

    /// The same answer as [`hits`](Self::hits), by testing every feature: the reference the
    /// index is checked against, and the baseline of the benchmark.
    pub fn hits_by_scan(atlas: &Atlas, at: Coord, tolerance_m: f64) -> Vec<FeatureRef> {
        use geo::coordinate_position::{CoordPos, CoordinatePosition};
        let mut hits: Vec<(usize, f64, FeatureRef)> = Vec::new();
        let cos = at.y.to_radians().cos();
        for (feature_ref, feature) in atlas.features() {
            if !HIT_ORDER.contains(&feature_ref.layer) {
                continue;
            }
            match &feature.shape {
                // Part by part: geo applies the mod-2 boundary rule to multipolygons, so a
                // point where two parts touch would count as outside both.
                Shape::Area(area)
                    if area.iter().any(|polygon| {
                        geo::BoundingRect::bounding_rect(polygon)
                            .is_some_and(|r| geo::Intersects::intersects(&r, &at))
                            && polygon.coordinate_position(&at) != CoordPos::Outside
                    }) =>
                {
                    hits.push((hit_rank(feature_ref.layer), 0.0, feature_ref));
                }
                Shape::Point(point) if tolerance_m > 0.0 => {
                    let metres = ((point.x() - at.x) * METRES_PER_DEGREE * cos)
                        .hypot((point.y() - at.y) * METRES_PER_DEGREE);
                    if metres <= tolerance_m {
                        hits.push((hit_rank(feature_ref.layer), metres, feature_ref));
                    }
                }
                _ => {}
            }
        }
        hits.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)).then(a.2.cmp(&b.2)));
        hits.into_iter().map(|(_, _, hit)| hit).collect()
    }

    pub fn len(&self) -> usize {
        self.envelopes.size()
    }

    pub fn is_empty(&self) -> bool {
        self.envelopes.size() == 0
    }
}
