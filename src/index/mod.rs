//! The spatial index: which features a view touches (for drawing), and what lies under a
//! point (hit-testing, for the window and `identify`). Each layer is filed on its own
//! ([`LayerIndex`]) and its filing kept until its features change.
//!
//! Areas: an R-tree of polygon-part envelopes (a big area layer's: its areas' boxes by size
//! class), then an exact point-in-polygon test ([`PreparedPolygon`]). Points: an R-tree of
//! positions, answered within a tolerance. The answer is the stack of hits, topmost first in
//! draw order.

pub mod areas;
pub mod clusters;
mod layer;
pub mod packed;
mod polygon;
mod snap;

use std::sync::Arc;

use geo::{Coord, Rect};
use rstar::{AABB, primitives::Rectangle};

pub use layer::LayerIndex;
use layer::{Entry, PointEntry};
pub use polygon::PreparedPolygon;

use crate::model::{Atlas, FeatureRef, Features, LayerId, Shape};

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

/// The order hits are stacked in: the user's layers on top (the last added first), then the
/// atlas's in [`HIT_ORDER`].
/// Within a layer, what a click meets first: a point, then a line, then an area (a placemark
/// drawn inside a polygon is picked, not the polygon).
const POINT: usize = 0;
const LINE: usize = 1;
const AREA: usize = 2;

/// The order of a hit: its layer's, then its kind's.
fn hit_order(layer: LayerId, kind: usize) -> usize {
    hit_rank(layer) * 3 + kind
}

fn hit_rank(layer: LayerId) -> usize {
    const USER: usize = u16::MAX as usize + 1;
    match layer {
        LayerId::User(number) => USER - 1 - number as usize,
        _ => {
            USER + HIT_ORDER
                .iter()
                .position(|candidate| *candidate == layer)
                .unwrap_or(HIT_ORDER.len())
        }
    }
}

/// Whether a layer's features answer hit-tests.
fn answers_hits(layer: LayerId) -> bool {
    layer.is_user() || HIT_ORDER.contains(&layer)
}

fn rectangle(bounds: Rect) -> Rectangle<[f64; 2]> {
    Rectangle::from_corners(
        [bounds.min().x, bounds.min().y],
        [bounds.max().x, bounds.max().y],
    )
}

/// Metres per degree of latitude (and of longitude at the equator), for tolerances.
const METRES_PER_DEGREE: f64 = 111_320.0;

/// What a layer's index is bulk-loaded from.
#[derive(Default)]
struct Found {
    envelopes: Vec<Entry>,
    parts: Vec<Entry>,
    points: Vec<PointEntry>,
    lines: Vec<Entry>,
}

/// The distance in metres from `at` to a line (degrees scaled to metres at `at`'s latitude:
/// exact enough for a tolerance of a few pixels).
fn line_distance_m(line: &geo::LineString, at: Coord) -> f64 {
    let sx = METRES_PER_DEGREE * at.y.to_radians().cos();
    let local = |c: Coord| ((c.x - at.x) * sx, (c.y - at.y) * METRES_PER_DEGREE);
    let mut best = f64::INFINITY;
    let mut previous: Option<(f64, f64)> = None;
    for &c in &line.0 {
        let (x, y) = local(c);
        best = best.min(match previous {
            None => x.hypot(y),
            Some((px, py)) => {
                let (dx, dy) = (x - px, y - py);
                let length2 = dx * dx + dy * dy;
                let t = if length2 > 0.0 {
                    (-(px * dx + py * dy) / length2).clamp(0.0, 1.0)
                } else {
                    0.0
                };
                (px + t * dx).hypot(py + t * dy)
            }
        });
        previous = Some((x, y));
    }
    best
}

pub struct SpatialIndex {
    /// Each layer's features filed, in draw order (kept from the index this one was made
    /// again from, for the layers whose shapes did not change). A big point layer has none.
    layers: Vec<(LayerId, Arc<LayerIndex>)>,
    /// Big point layers, aggregated (their points are not listed one by one for a view).
    pyramids: Vec<Arc<clusters::PointPyramid>>,
}

/// Part `part` of the area `feature` of `atlas`, if it is there still.
fn area_part(atlas: &Atlas, feature: FeatureRef, part: u32) -> Option<&geo::Polygon> {
    match &stored(atlas, feature)?.shape {
        Shape::Area(area) => area.0.get(part as usize),
        _ => None,
    }
}

/// Line `part` of the lines `feature` of `atlas`, if it is there still.
fn line_part(atlas: &Atlas, feature: FeatureRef, part: u32) -> Option<&geo::LineString> {
    match &stored(atlas, feature)?.shape {
        Shape::Lines(lines) => lines.0.get(part as usize),
        _ => None,
    }
}

/// An area or a line as the atlas stores it (always as a row).
fn stored(atlas: &Atlas, feature: FeatureRef) -> Option<&crate::model::Feature> {
    atlas
        .layer(feature.layer)?
        .features
        .row(feature.index as usize)
}

impl SpatialIndex {
    pub fn new(atlas: &Atlas) -> Self {
        Self::keeping(atlas, &[], &[], false).0
    }

    /// The index of `atlas` (changed: a layer added, removed, edited or restyled), keeping
    /// this one's filings of the layers whose features did not change, and its big-layer
    /// pyramids whose layers did not.
    pub fn rebuilt(&self, atlas: &Atlas) -> Self {
        Self::keeping(atlas, &self.kept(&[]), &self.pyramids, false).0
    }

    /// As [`rebuilt`](Self::rebuilt), but a big layer whose pyramid would have to be built is
    /// left out of the index (not drawn, not hit) and named: its pyramid is built on another
    /// thread ([`clusters::PointPyramid::job`]) and added with [`with_pyramid`](Self::with_pyramid).
    /// `filed`: layers filed where they were read ([`file_user_layer`](Self::file_user_layer)),
    /// taken for the atlas's layers whose features they were made from.
    pub fn rebuilt_deferring(
        &self,
        atlas: &Atlas,
        filed: &[Arc<LayerIndex>],
    ) -> (Self, Vec<LayerId>) {
        Self::keeping(atlas, &self.kept(filed), &self.pyramids, true)
    }

    /// A user's layer's features filed as the index would file them once they are in the
    /// atlas, on the thread that read them; `None` for a big layer of points (its pyramid is
    /// built instead).
    pub fn file_user_layer(features: &Features) -> Option<Arc<LayerIndex>> {
        (!clusters::is_aggregated(features))
            .then(|| Arc::new(LayerIndex::new(LayerId::User(0), features)))
    }

    /// This index's filings, and `more`.
    fn kept(&self, more: &[Arc<LayerIndex>]) -> Vec<Arc<LayerIndex>> {
        (self.layers.iter().map(|(_, index)| index))
            .chain(more)
            .cloned()
            .collect()
    }

    /// The index of `atlas` with a pyramid built elsewhere among those kept.
    pub fn with_pyramid(
        &self,
        atlas: &Atlas,
        pyramid: clusters::PointPyramid,
    ) -> (Self, Vec<LayerId>) {
        let mut kept = self.pyramids.clone();
        kept.push(Arc::new(pyramid));
        Self::keeping(atlas, &self.kept(&[]), &kept, true)
    }

    fn keeping(
        atlas: &Atlas,
        kept: &[Arc<LayerIndex>],
        kept_pyramids: &[Arc<clusters::PointPyramid>],
        defer: bool,
    ) -> (Self, Vec<LayerId>) {
        let (pyramids, deferred) = clusters::PointPyramid::build_all(atlas, kept_pyramids, defer);
        let layers = (atlas.layers().iter())
            // A big point layer's points are listed and hit-tested through its pyramid (or,
            // while it is being built, not at all).
            .filter(|layer| {
                !(pyramids.iter().any(|p| p.layer == layer.id) || deferred.contains(&layer.id))
            })
            .map(|layer| {
                let found = kept
                    .iter()
                    .find(|index| index.is_of(layer.id, &layer.features));
                let index = match found {
                    Some(index) => Arc::clone(index),
                    None => Arc::new(LayerIndex::new(layer.id, &layer.features)),
                };
                (layer.id, index)
            })
            .collect();
        (Self { layers, pyramids }, deferred)
    }

    fn layer_index(&self, layer: LayerId) -> Option<&LayerIndex> {
        self.layers
            .iter()
            .find(|(id, _)| *id == layer)
            .map(|(_, index)| index.as_ref())
    }

    /// The aggregated points of a big point layer, if it is one.
    pub fn pyramid(&self, layer: LayerId) -> Option<&clusters::PointPyramid> {
        self.pyramids
            .iter()
            .find(|p| p.layer == layer)
            .map(|p| p.as_ref())
    }

    /// The areas of a big area layer by size, if it is one.
    pub fn areas(&self, layer: LayerId) -> Option<&areas::AreaLayer> {
        self.layer_index(layer)?.areas.as_ref()
    }

    /// Features whose bounding box meets `bounds` (lon/lat), in draw order; a big point
    /// layer's points and a big area layer's areas are not listed (see
    /// [`pyramid`](Self::pyramid) and [`areas`](Self::areas)).
    pub fn in_bounds(&self, bounds: Rect) -> Vec<FeatureRef> {
        let envelope = AABB::from_corners(
            [bounds.min().x, bounds.min().y],
            [bounds.max().x, bounds.max().y],
        );
        let mut found: Vec<FeatureRef> = (self.layers.iter())
            .flat_map(|(layer, index)| {
                let layer = *layer;
                (index.envelopes)
                    .locate_in_envelope_intersecting(&envelope)
                    .map(move |entry| FeatureRef {
                        layer,
                        index: entry.data,
                    })
            })
            .collect();
        found.sort_unstable();
        found
    }

    /// Everything under `at` (lon/lat) in `atlas` (the one this index was made of), topmost
    /// first: points within `tolerance_m` metres (nearest first), then the areas that contain
    /// `at` (boundary included). The areas' and lines' vertices are read from the atlas, not
    /// copied into the index.
    pub fn hits(&self, atlas: &Atlas, at: Coord, tolerance_m: f64) -> Vec<FeatureRef> {
        let mut hits: Vec<(usize, f64, FeatureRef)> = Vec::new();
        self.point_hits(at, tolerance_m, &mut hits);
        self.line_hits(atlas, at, tolerance_m, &mut hits);
        let here = AABB::from_point([at.x, at.y]);
        for (layer, index) in &self.layers {
            for (feature, number, prepared) in index.area_parts(&here) {
                let feature_ref = FeatureRef {
                    layer: *layer,
                    index: *feature,
                };
                if hits.iter().any(|(_, _, hit)| *hit == feature_ref) {
                    continue; // another part of the same feature already answered
                }
                let Some(polygon) = area_part(atlas, feature_ref, *number) else {
                    continue;
                };
                if prepared.contains(polygon, at) {
                    hits.push((hit_order(feature_ref.layer, AREA), 0.0, feature_ref));
                }
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
        let big = self.pyramids.iter().flat_map(|pyramid| {
            pyramid.points_in(&envelope).map(|(at, index)| {
                let feature = FeatureRef {
                    layer: pyramid.layer,
                    index,
                };
                (at, feature)
            })
        });
        let small = self.layers.iter().flat_map(|(layer, index)| {
            let layer = *layer;
            (index.points)
                .locate_in_envelope(&envelope)
                .map(move |entry| {
                    (
                        *entry.geom(),
                        FeatureRef {
                            layer,
                            index: entry.data,
                        },
                    )
                })
        });
        for ([x, y], feature) in small.chain(big) {
            let metres = ((x - at.x) * METRES_PER_DEGREE * at.y.to_radians().cos())
                .hypot((y - at.y) * METRES_PER_DEGREE);
            if metres <= tolerance_m {
                hits.push((hit_order(feature.layer, POINT), metres, feature));
            }
        }
    }

    fn line_hits(
        &self,
        atlas: &Atlas,
        at: Coord,
        tolerance_m: f64,
        hits: &mut Vec<(usize, f64, FeatureRef)>,
    ) {
        if tolerance_m <= 0.0 {
            return;
        }
        let dy = tolerance_m / METRES_PER_DEGREE;
        let dx = dy / at.y.to_radians().cos().max(0.01);
        let envelope = AABB::from_corners([at.x - dx, at.y - dy], [at.x + dx, at.y + dy]);
        for (layer, index) in self.layers.iter().filter(|(_, i)| !i.line_parts.is_empty()) {
            for entry in index.lines.locate_in_envelope_intersecting(&envelope) {
                let (feature, number) = &index.line_parts[entry.data as usize];
                let feature_ref = FeatureRef {
                    layer: *layer,
                    index: *feature,
                };
                let Some(line) = line_part(atlas, feature_ref, *number) else {
                    continue;
                };
                let metres = line_distance_m(line, at);
                if metres > tolerance_m {
                    continue;
                }
                match hits.iter_mut().find(|(_, _, hit)| *hit == feature_ref) {
                    Some(hit) => hit.1 = hit.1.min(metres),
                    None => hits.push((hit_order(feature_ref.layer, LINE), metres, feature_ref)),
                }
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
            if !answers_hits(feature_ref.layer) {
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
                    hits.push((hit_order(feature_ref.layer, AREA), 0.0, feature_ref));
                }
                Shape::Point(point) if tolerance_m > 0.0 => {
                    let metres = ((point.x() - at.x) * METRES_PER_DEGREE * cos)
                        .hypot((point.y() - at.y) * METRES_PER_DEGREE);
                    if metres <= tolerance_m {
                        hits.push((hit_order(feature_ref.layer, POINT), metres, feature_ref));
                    }
                }
                Shape::Lines(lines) if tolerance_m > 0.0 && feature_ref.layer.is_user() => {
                    let metres = lines
                        .iter()
                        .map(|line| line_distance_m(line, at))
                        .fold(f64::INFINITY, f64::min);
                    if metres <= tolerance_m {
                        hits.push((hit_order(feature_ref.layer, LINE), metres, feature_ref));
                    }
                }
                _ => {}
            }
        }
        hits.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)).then(a.2.cmp(&b.2)));
        hits.into_iter().map(|(_, _, hit)| hit).collect()
    }

    /// The features a view may list (a big point layer's points not counted).
    pub fn len(&self) -> usize {
        self.layers.iter().map(|(_, index)| index.len()).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
