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
    let fast = index.hits(atlas, at, 300.0);
    let slow = SpatialIndex::hits_by_scan(atlas, at, 300.0);
    assert_eq!(fast, slow, "{what} at {:.7},{:.7}", at.x, at.y);
}

/// Random points over the circle and a margin around it (seeded: a failure replays).
#[test]
fn the_index_agrees_with_a_scan_at_random_points() {
    let atlas = atlas();
    let index = SpatialIndex::new(atlas);
    let bounds = atlas.bounds_of("corridor").expect("corridor");
    let mut random = Lcg(0x5eed_c0de);
    let mut nonempty = 0;
    for _ in 0..2_500 {
        let at = coord! {
            x: bounds.min().x - 0.5 + random.next_unit() * (bounds.width() + 1.0),
            y: bounds.min().y - 0.5 + random.next_unit() * (bounds.height() + 1.0),
        };
        assert_same(atlas, &index, at, "random point");
        nonempty += usize::from(!index.hits(atlas, at, 300.0).is_empty());
    }
    assert!(
        nonempty > 1_250,
        "only {nonempty} points hit anything: the test would prove little"
    );
}

/// Vertices and edge midpoints lie on boundaries, where point-in-polygon tests go wrong first.
/// Every vertex of every zone is inside its zone; a seeded sample of vertices and midpoints
/// (one in six, and at least the first few of every ring) gets the same answer as the scan.
#[test]
fn the_index_agrees_with_a_scan_on_zone_vertices_and_edge_midpoints() {
    let atlas = atlas();
    let index = SpatialIndex::new(atlas);
    let mut random = Lcg(0xb0da_4e55);
    let (mut vertices, mut compared) = (0, 0);
    for (feature_ref, feature) in atlas.zones() {
        let Shape::Area(area) = &feature.shape else {
            continue;
        };
        for polygon in area {
            for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
                for (number, line) in ring.lines().enumerate() {
                    let hits = index.hits(atlas, line.start, 0.0);
                    assert!(
                        hits.contains(&feature_ref),
                        "a vertex of {} is not inside it",
                        feature.id
                    );
                    vertices += 1;
                    if number >= 4 && random.next_unit() >= 1.0 / 6.0 {
                        continue;
                    }
                    let what = |kind: &str| format!("{kind} of {} ring edge {number}", feature.id);
                    assert_same(atlas, &index, line.start, &what("vertex"));
                    let middle = coord! { x: (line.start.x + line.end.x) / 2.0, y: (line.start.y + line.end.y) / 2.0 };
                    assert_same(atlas, &index, middle, &what("edge midpoint"));
                    compared += 2;
                }
            }
        }
    }
    assert!(
        vertices > 5_000 && compared > 1_500,
        "{vertices} vertices, {compared} compared"
    );
}

#[test]
fn the_stack_is_topmost_first() {
    let atlas = atlas();
    let index = SpatialIndex::new(atlas);
    // Inside the core, in Shapingba.
    let hits = index.hits(atlas, coord! { x: 106.31, y: 29.6 }, 0.0);
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
    let hits = index.hits(atlas, coord! { x: at.x() + 0.001, y: at.y() }, 300.0);
    assert_eq!(hits.first(), Some(&platform));
    assert_eq!(hits.get(1).map(|hit| hit.layer), Some(LayerId::Districts));
    assert!(
        index
            .hits(atlas, coord! { x: at.x() + 0.01, y: at.y() }, 300.0)
            .first()
            != Some(&platform),
        "1 km is beyond 300 m"
    );
}
