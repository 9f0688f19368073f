//! Hit-testing through the R-tree gives exactly the answer of testing every feature.

use chengyu_atlas::index::SpatialIndex;
use chengyu_atlas::model::{Atlas, LayerId, Shape};
use geo::{Coord, coord};

use crate::common::atlas;

/// A small deterministic generator (64-bit LCG), so that a failure can be replayed.
struct Lcg(u64);

impl Lcg {
    fn next_unit(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn assert_same(atlas: &Atlas, index: &SpatialIndex, at: Coord, what: &str) {
    let fast = index.hits(at, 300.0);
    let slow = SpatialIndex::hits_by_scan(atlas, at, 300.0);
    assert_eq!(fast, slow, "{what} at {:.7},{:.7}", at.x, at.y);
}

#[test]
fn the_index_agrees_with_a_scan_at_ten_thousand_random_points() {
    let atlas = atlas();
    let index = SpatialIndex::new(atlas);
    let bounds = atlas.bounds_of("corridor").expect("corridor");
    let mut random = Lcg(0x5eed_c0de);
    let mut nonempty = 0;
    for _ in 0..10_000 {
        let at = coord! {
            x: bounds.min().x - 0.5 + random.next_unit() * (bounds.width() + 1.0),
            y: bounds.min().y - 0.5 + random.next_unit() * (bounds.height() + 1.0),
        };
        assert_same(atlas, &index, at, "random point");
        nonempty += usize::from(!index.hits(at, 300.0).is_empty());
    }
    assert!(
        nonempty > 5_000,
        "only {nonempty} points hit anything: the test would prove little"
    );
}

/// Vertices and edge midpoints lie on boundaries, where point-in-polygon tests go wrong first.
#[test]
fn the_index_agrees_with_a_scan_on_every_zone_vertex_and_edge_midpoint() {
    let atlas = atlas();
    let index = SpatialIndex::new(atlas);
    let mut tested = 0;
    for (feature_ref, feature) in atlas.zones() {
        let Shape::Area(area) = &feature.shape else {
            continue;
        };
        for polygon in area {
            for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
                for line in ring.lines() {
                    assert_same(
                        atlas,
                        &index,
                        line.start,
                        &format!("vertex of {}", feature.id),
                    );
                    let middle = coord! { x: (line.start.x + line.end.x) / 2.0, y: (line.start.y + line.end.y) / 2.0 };
                    assert_same(
                        atlas,
                        &index,
                        middle,
                        &format!("edge midpoint of {}", feature.id),
                    );
                    let hits = index.hits(line.start, 0.0);
                    assert!(
                        hits.contains(&feature_ref),
                        "a vertex of {} is not inside it",
                        feature.id
                    );
                    tested += 2;
                }
            }
        }
    }
    assert!(tested > 10_000, "{tested} boundary points");
}

#[test]
fn the_stack_is_topmost_first() {
    let atlas = atlas();
    let index = SpatialIndex::new(atlas);
    // Inside the core, in Shapingba.
    let hits = index.hits(coord! { x: 106.31, y: 29.6 }, 0.0);
    let layers: Vec<LayerId> = hits.iter().map(|hit| hit.layer).collect();
    assert_eq!(
        layers,
        vec![
            LayerId::Core,
            LayerId::ScienceCity,
            LayerId::Corridor,
            LayerId::Counties,
            LayerId::Provinces
        ],
    );
    // A platform within tolerance comes first.
    let (platform, feature) = atlas.find("smart-sensor-park").expect("platform");
    let Shape::Point(at) = feature.shape else {
        panic!("not a point")
    };
    let hits = index.hits(coord! { x: at.x() + 0.001, y: at.y() }, 300.0);
    assert_eq!(hits.first(), Some(&platform));
    assert_eq!(hits.get(1).map(|hit| hit.layer), Some(LayerId::Districts));
    assert!(
        index
            .hits(coord! { x: at.x() + 0.01, y: at.y() }, 300.0)
            .first()
            != Some(&platform),
        "1 km is beyond 300 m"
    );
}

#[test]
fn a_feature_added_later_answers_like_the_rest() {
    use chengyu_atlas::model::{Feature, FeatureKind, FeatureRef, Text};
    let atlas = atlas();
    let mut index = SpatialIndex::new(atlas);
    let at = coord! { x: 106.9, y: 28.2 };
    let user = Feature {
        id: "user-1".into(),
        name: Text::new("我的点", "My point"),
        label: Text::default(),
        label_point: None,
        rank: 4,
        kind: FeatureKind::River,
        shape: Shape::Point(at.into()),
    };
    let user_ref = FeatureRef {
        layer: LayerId::Platforms,
        index: 10_000,
    };
    assert!(!index.hits(at, 50.0).contains(&user_ref));
    index.insert(user_ref, &user);
    assert_eq!(index.hits(at, 50.0).first(), Some(&user_ref));
}
