//! One layer's features filed for the view and for hit-tests. It is made from the features
//! alone (and whether they are a user's layer) and kept while they do not change, so that
//! adding, removing or restyling a layer files that layer only (the atlas's own layers took
//! 36 ms to file again each time), a layer read on another thread is filed there, and two
//! layers that trade places keep their filings.

use rstar::{AABB, RTree, primitives::GeomWithData};

use super::{Found, PreparedPolygon, answers_hits, areas::AreaLayer, rectangle};
use crate::model::{Features, LayerId, Shape};

/// An envelope and what it stands for (a feature's number in the layer, or a part's number
/// in the layer's list of parts).
pub(super) type Entry = GeomWithData<rstar::primitives::Rectangle<[f64; 2]>, u32>;
pub(super) type PointEntry = GeomWithData<[f64; 2], u32>;

/// One layer's features filed (what is in it is the index's own business).
pub struct LayerIndex {
    /// The state of the features this was made from ([`Features::revision`]).
    shapes: u64,
    /// How they were filed: as a user's layer (its lines answer hits; many areas are kept by
    /// size class) or as one of the atlas's, answering hits or not.
    filing: Filing,
    /// Whole-feature envelopes, for culling a view (a big area layer's areas are not here:
    /// see `areas`).
    pub envelopes: RTree<Entry>,
    /// Envelopes of every polygon part of every area that answers hit-tests (but a big area
    /// layer's: its areas' boxes, by size class, answer for them).
    parts: RTree<Entry>,
    /// Each part's feature, its number in the feature's areas, and how it is tested (its
    /// rings stay in the atlas), in the features' order.
    prepared: Vec<(u32, u32, PreparedPolygon)>,
    pub points: RTree<PointEntry>,
    /// Envelopes of a user's layer's lines (the atlas's lines answer no hits).
    pub lines: RTree<Entry>,
    /// Each line's feature and its number in the feature's lines (kept in the atlas).
    pub line_parts: Vec<(u32, u32)>,
    /// A big area layer's areas by size class.
    pub areas: Option<AreaLayer>,
}

/// How a layer's features are filed, which depends on the layer they are in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Filing {
    hits: bool,
    user: bool,
}

impl Filing {
    fn of(layer: LayerId) -> Self {
        Self {
            hits: answers_hits(layer),
            user: layer.is_user(),
        }
    }
}

impl LayerIndex {
    /// Whether this was made from `features` as they are now, filed as `layer`'s.
    pub(super) fn is_of(&self, layer: LayerId, features: &Features) -> bool {
        self.shapes == features.revision() && self.filing == Filing::of(layer)
    }

    /// `features` filed as those of `layer` (what matters of it is whether it is a user's
    /// layer, and which of the atlas's: any user's layer files alike).
    pub(super) fn new(layer: LayerId, features: &Features) -> Self {
        let filing = Filing::of(layer);
        let big_areas = filing.user && AreaLayer::is_big(features);
        let hits = filing.hits;
        // A big area layer's size classes on a second core while the rest is filed here (each
        // took half of filing 100 000 polygons).
        std::thread::scope(|scope| {
            let areas = big_areas.then(|| scope.spawn(|| AreaLayer::new(features)));
            let mut found = Found::default();
            let mut prepared = Vec::new();
            let mut line_parts = Vec::new();
            for (at, shape) in features.shapes().enumerate() {
                let at = at as u32;
                // A big area layer's areas are listed through its size classes.
                let listed = !(big_areas && matches!(*shape, Shape::Area(_)));
                if let Some(bounds) = listed.then(|| shape.bounding_rect()).flatten() {
                    found
                        .envelopes
                        .push(GeomWithData::new(rectangle(bounds), at));
                }
                if !hits {
                    continue;
                }
                match &*shape {
                    Shape::Area(area) => {
                        for (number, polygon) in area.iter().enumerate() {
                            if polygon.exterior().0.is_empty() {
                                continue;
                            }
                            // A big area layer's are found through its size classes.
                            if !big_areas
                                && let Some(bounds) = geo::BoundingRect::bounding_rect(polygon)
                            {
                                let part = prepared.len() as u32;
                                found.parts.push(GeomWithData::new(rectangle(bounds), part));
                            }
                            prepared.push((at, number as u32, PreparedPolygon::new(polygon)));
                        }
                    }
                    Shape::Point(point) => {
                        found
                            .points
                            .push(GeomWithData::new([point.x(), point.y()], at));
                    }
                    Shape::Lines(multi) if filing.user => {
                        for (number, line) in multi.iter().enumerate() {
                            let Some(bounds) = geo::BoundingRect::bounding_rect(line) else {
                                continue;
                            };
                            let part = line_parts.len() as u32;
                            found.lines.push(GeomWithData::new(rectangle(bounds), part));
                            line_parts.push((at, number as u32));
                        }
                    }
                    Shape::Lines(_) => {}
                }
            }
            Self {
                shapes: features.revision(),
                filing,
                envelopes: RTree::bulk_load(found.envelopes),
                parts: RTree::bulk_load(found.parts),
                prepared,
                points: RTree::bulk_load(found.points),
                lines: RTree::bulk_load(found.lines),
                line_parts,
                areas: areas.map(|job| {
                    job.join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
                }),
            }
        })
    }

    /// The area parts whose boxes meet `envelope` (lon/lat), each with its feature and its
    /// number in the feature's areas, and how it is tested. A big area layer's are found
    /// through the boxes of its areas by size class: one tree of them serves the view and
    /// hit-tests (a second, of its parts, took as long to build as the rest of the filing).
    pub fn area_parts(&self, envelope: &AABB<[f64; 2]>) -> Vec<&(u32, u32, PreparedPolygon)> {
        let Some(areas) = &self.areas else {
            return (self.parts.locate_in_envelope_intersecting(envelope))
                .map(|part| &self.prepared[part.data as usize])
                .collect();
        };
        let mut found = Vec::new();
        for feature in areas.meeting(envelope) {
            let first = self.prepared.partition_point(|(at, _, _)| *at < feature);
            found.extend(
                self.prepared[first..]
                    .iter()
                    .take_while(|(at, _, _)| *at == feature),
            );
        }
        found
    }

    /// The features it lists for a view (a big area layer's areas counted).
    pub(super) fn len(&self) -> usize {
        self.envelopes.size() + self.areas.as_ref().map_or(0, AreaLayer::len)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use geo::{MultiPolygon, coord, polygon};

    use crate::geodata::user::{drawn_feature, sketch_layer};
    use crate::index::SpatialIndex;
    use crate::model::edit::FeatureEdit;
    use crate::model::{Atlas, FeatureRef, LayerId, Shape};

    fn square(x: f64, y: f64) -> Shape {
        Shape::Area(MultiPolygon::new(vec![polygon![
            (x: x, y: y), (x: x + 0.1, y: y), (x: x + 0.1, y: y + 0.1), (x: x, y: y + 0.1),
        ]]))
    }

    /// What `index` answers at `at`, having checked it is what a scan of every feature says.
    fn hits_as_scanned(
        index: &SpatialIndex,
        atlas: &Atlas,
        at: geo::Coord,
        tolerance_m: f64,
    ) -> Vec<FeatureRef> {
        let hits = index.hits(atlas, at, tolerance_m);
        let scanned = SpatialIndex::hits_by_scan(atlas, at, tolerance_m);
        assert_eq!(hits, scanned, "at {at:?}, within {tolerance_m} m");
        hits
    }

    fn filing_of(index: &SpatialIndex, layer: LayerId) -> &Arc<super::LayerIndex> {
        let found = index.layers.iter().find(|(id, _)| *id == layer);
        &found.expect("filed").1
    }

    /// A plot drawn and then moved: the index made again answers where it is now, not where
    /// it was, and files that layer alone again (the atlas's own layers are kept as they were).
    #[test]
    fn an_edited_layer_is_filed_again_and_the_others_kept() {
        let mut atlas: Atlas = crate::geodata::load(&crate::geodata::DataSource::Embedded).atlas;
        let info = sketch_layer("草图", 0);
        let plot = drawn_feature(&info, "地块", square(106.0, 29.0));
        let sketch = atlas.add_user_layer(info, vec![plot.clone()]);
        let first = SpatialIndex::new(&atlas);
        let plot_ref = FeatureRef {
            layer: sketch,
            index: 0,
        };
        let old_place = coord! { x: 106.05, y: 29.05 };
        let new_place = coord! { x: 106.55, y: 29.55 };
        assert!(first.hits(&atlas, old_place, 0.0).contains(&plot_ref));

        let moved = FeatureEdit {
            layer: sketch,
            index: 0,
            before: Some(plot.clone()),
            after: Some(crate::model::Feature {
                shape: square(106.5, 29.5),
                ..plot
            }),
        };
        assert!(atlas.apply_edit(&moved));
        let again = first.rebuilt(&atlas);
        assert!(!again.hits(&atlas, old_place, 0.0).contains(&plot_ref));
        assert!(again.hits(&atlas, new_place, 0.0).contains(&plot_ref));
        assert!(!Arc::ptr_eq(
            filing_of(&first, sketch),
            filing_of(&again, sketch)
        ));
        for layer in atlas.layers().iter().filter(|l| l.id != sketch) {
            assert!(
                Arc::ptr_eq(filing_of(&first, layer.id), filing_of(&again, layer.id)),
                "{:?} filed again",
                layer.id
            );
        }
        // The same answers as a scan of every feature.
        for at in [old_place, new_place, coord! { x: 106.55, y: 29.56 }] {
            hits_as_scanned(&again, &atlas, at, 500.0);
        }
    }

    /// Two layers trading places in the stack trade numbers: each keeps its filing, under
    /// its new number.
    #[test]
    fn layers_that_swap_places_keep_their_filings_under_their_new_numbers() {
        let mut atlas: Atlas = crate::geodata::load(&crate::geodata::DataSource::Embedded).atlas;
        let (a_info, b_info) = (sketch_layer("甲", 0), sketch_layer("乙", 1));
        let a_plot = drawn_feature(&a_info, "甲地", square(106.0, 29.0));
        let b_plot = drawn_feature(&b_info, "乙地", square(107.0, 30.0));
        let a = atlas.add_user_layer(a_info, vec![a_plot]);
        let b = atlas.add_user_layer(b_info, vec![b_plot]);
        let first = SpatialIndex::new(&atlas);
        atlas.swap_user_layers(a, b);
        let again = first.rebuilt(&atlas);
        assert!(Arc::ptr_eq(filing_of(&first, a), filing_of(&again, b)));
        assert!(Arc::ptr_eq(filing_of(&first, b), filing_of(&again, a)));
        let at = coord! { x: 106.05, y: 29.05 };
        let hits = hits_as_scanned(&again, &atlas, at, 0.0);
        assert_eq!(hits[0], FeatureRef { layer: b, index: 0 });
    }

    /// A layer filed on the thread that read it is taken by the index as it is, once the
    /// layer is in the atlas (nothing filed again on the window's thread), and answers as a
    /// scan does; a big layer of points is not filed (its pyramid is built instead).
    #[test]
    fn a_layer_filed_where_it_was_read_is_taken_when_it_joins_the_atlas() {
        let mut atlas: Atlas = crate::geodata::load(&crate::geodata::DataSource::Embedded).atlas;
        let info = sketch_layer("读入", 0);
        let plots: Vec<_> = (0..50)
            .map(|n| {
                let x = 106.0 + f64::from(n) * 0.2;
                drawn_feature(&info, &format!("{n}"), square(x, 29.0))
            })
            .collect();
        let features = crate::model::Features::from(plots);
        let filed = SpatialIndex::file_user_layer(&features).expect("filed");
        let before = SpatialIndex::new(&atlas);
        let id = atlas.add_user_layer(info, features);
        let (after, deferred) = before.rebuilt_deferring(&atlas, std::slice::from_ref(&filed));
        assert!(deferred.is_empty());
        assert!(Arc::ptr_eq(filing_of(&after, id), &filed));
        for at in [
            coord! { x: 106.05, y: 29.05 },
            coord! { x: 107.25, y: 29.02 },
        ] {
            let hits = hits_as_scanned(&after, &atlas, at, 300.0);
            assert!(hits.iter().any(|hit| hit.layer == id), "{at:?}");
        }

        let points: Vec<_> = (0..=crate::index::clusters::AGGREGATE_ABOVE as u32)
            .map(|n| {
                let at = geo::point! { x: 106.0 + f64::from(n % 500) * 1e-3, y: 29.0 + f64::from(n / 500) * 1e-3 };
                drawn_feature(&sketch_layer("点", 1), &format!("{n}"), Shape::Point(at))
            })
            .collect();
        assert!(SpatialIndex::file_user_layer(&points.into()).is_none());
    }

    /// A big area layer is hit-tested and snapped to through the boxes of its areas (no tree
    /// of its parts): the same answers as a scan of every feature, for parcels of one part,
    /// of two parts apart, and a round one of many edges.
    #[test]
    fn a_big_area_layer_answers_hits_and_snaps_through_its_areas_boxes() {
        use crate::index::areas::BIG_AREA_LAYER;
        let mut atlas = Atlas::new(Vec::new());
        let info = sketch_layer("地块", 0);
        let mut parcels = Vec::new();
        for n in 0..BIG_AREA_LAYER as u32 + 300 {
            let (x, y) = (
                106.0 + f64::from(n % 200) * 0.01,
                29.0 + f64::from(n / 200) * 0.01,
            );
            let one = |x: f64, y: f64| {
                polygon![
                    (x: x, y: y), (x: x + 0.004, y: y), (x: x + 0.004, y: y + 0.004), (x: x, y: y + 0.004),
                ]
            };
            // Every third parcel has a second part, beside the first.
            let parts = if n % 3 == 0 {
                vec![one(x, y), one(x + 0.005, y + 0.005)]
            } else {
                vec![one(x, y)]
            };
            let shape = Shape::Area(MultiPolygon::new(parts));
            parcels.push(drawn_feature(&info, &format!("{n}"), shape));
        }
        let round: Vec<(f64, f64)> = (0..=100)
            .map(|k| {
                let angle = f64::from(k) * std::f64::consts::TAU / 100.0;
                (106.5 + 0.3 * angle.cos(), 29.5 + 0.3 * angle.sin())
            })
            .collect();
        let round = Shape::Area(MultiPolygon::new(vec![geo::Polygon::new(
            round.into(),
            vec![],
        )]));
        parcels.push(drawn_feature(&info, "圆", round));
        let id = atlas.add_user_layer(info, parcels);
        let index = SpatialIndex::new(&atlas);
        assert!(index.areas(id).is_some(), "kept by size class");
        let mut hit = 0;
        for i in 0..60 {
            for j in 0..60 {
                let at = coord! {
                    x: 105.99 + f64::from(i) * 0.0337,
                    y: 28.99 + f64::from(j) * 0.0173,
                };
                let found = hits_as_scanned(&index, &atlas, at, 0.0);
                hit += usize::from(!found.is_empty());
            }
        }
        assert!(hit > 300, "{hit} of 3 600 places on a parcel");
        // A second part's corner, and the round one's first vertex.
        let corner = coord! { x: 106.009, y: 29.009 };
        let near = coord! { x: 106.00905, y: 29.00898 };
        assert_eq!(index.snap(&atlas, near, 50.0, |_| true), Some(corner));
        let on_edge = index
            .snap(&atlas, coord! { x: 106.8001, y: 29.5 }, 50.0, |_| true)
            .expect("snapped to the round one");
        assert!((on_edge.x - 106.8).abs() < 1e-9 && (on_edge.y - 29.5).abs() < 1e-9);
    }
}
