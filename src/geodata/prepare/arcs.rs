//! The boundary lines, each shared edge once, ranked by the most important boundary it is.

use std::collections::HashMap;

use super::units::Unit;
use super::{OutFeature, props};
use geo::{Coord, Geometry, LineString, Point};
use serde_json::json;

/// The boundary lines between units, each drawn once: shared edges of neighbouring units are
/// one arc, split wherever the neighbour changes. `rank` is the most important boundary the arc
/// is part of: 1 where a province ends (no neighbour in the data), 2 between prefectures, 3
/// between counties. Simplifying arcs (not rings) keeps neighbours' lines identical at every
/// zoom, and drawing each once keeps the map light.
pub(super) fn boundaries(units: &[&Unit]) -> Vec<OutFeature> {
    type Key = (u64, u64);
    let key = |c: &Coord| (c.x.to_bits(), c.y.to_bits());
    let segment_key = |a: &Coord, b: &Coord| {
        let (ka, kb) = (key(a), key(b));
        if ka <= kb { (ka, kb) } else { (kb, ka) }
    };
    let mut owners: HashMap<(Key, Key), Vec<usize>> = HashMap::new();
    for (index, unit) in units.iter().enumerate() {
        for polygon in &unit.shape {
            for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
                for line in ring.lines() {
                    owners
                        .entry(segment_key(&line.start, &line.end))
                        .or_default()
                        .push(index);
                }
            }
        }
    }
    let rank = |a: usize, b: Option<usize>| match b {
        None => 1,
        Some(b) if units[a].province_zh != units[b].province_zh => 1,
        Some(b) if units[a].prefecture_zh != units[b].prefecture_zh => 2,
        Some(_) => 3,
    };
    let mut features = Vec::new();
    let mut emit = |arc: Vec<Coord>, unit: usize, matched: Option<usize>| {
        if arc.len() < 2 || matched.is_some_and(|other| other < unit) {
            return; // the neighbour with the lower index emits a shared arc
        }
        // An edge without an exact twin is a province border only if no other unit of the
        // same province lies beside it; otherwise the two sources simply disagree there.
        let beside = matched.or_else(|| unit_beside(units, unit, &arc));
        features.push((
            props(&[
                ("rank", json!(rank(unit, beside))),
                ("left", json!(units[unit].adcode)),
                (
                    "right",
                    json!(beside.map(|other| units[other].adcode.clone())),
                ),
            ]),
            Geometry::LineString(LineString::new(arc)),
        ));
    };
    for (index, unit) in units.iter().enumerate() {
        for polygon in &unit.shape {
            for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
                let points = &ring.0;
                let segments = points.len() - 1;
                let neighbour = |i: usize| {
                    let at = &owners[&segment_key(&points[i], &points[i + 1])];
                    match at.as_slice() {
                        [a, b] if *a == index => Some(*b),
                        [a, b] if *b == index => Some(*a),
                        _ => None,
                    }
                };
                // Start where the neighbour changes, so that no arc wraps around the start.
                let start = (0..segments)
                    .find(|&i| neighbour(i) != neighbour((i + segments - 1) % segments))
                    .unwrap_or(0);
                let mut arc: Vec<Coord> = vec![points[start]];
                let mut current = neighbour(start);
                for step in 0..segments {
                    let i = (start + step) % segments;
                    let next = neighbour(i);
                    if next != current {
                        emit(std::mem::take(&mut arc), index, current);
                        arc.push(points[i]);
                        current = next;
                    }
                    arc.push(points[i + 1]);
                }
                emit(arc, index, current);
            }
        }
    }
    features
}

/// Another unit of the same province within `BESIDE_DEGREES` of the arc's middle, if any.
fn unit_beside(units: &[&Unit], unit: usize, arc: &[Coord]) -> Option<usize> {
    use geo::{BoundingRect, Distance, Euclidean};
    const BESIDE_DEGREES: f64 = 0.003; // about 300 m
    let middle = if arc.len() % 2 == 1 {
        arc[arc.len() / 2]
    } else {
        let (a, b) = (arc[arc.len() / 2 - 1], arc[arc.len() / 2]);
        Coord {
            x: (a.x + b.x) / 2.0,
            y: (a.y + b.y) / 2.0,
        }
    };
    let point = Point::from(middle);
    units
        .iter()
        .enumerate()
        .filter(|(other, candidate)| {
            *other != unit && candidate.province_zh == units[unit].province_zh
        })
        .filter(|(_, candidate)| {
            candidate.shape.bounding_rect().is_some_and(|r| {
                middle.x >= r.min().x - BESIDE_DEGREES
                    && middle.x <= r.max().x + BESIDE_DEGREES
                    && middle.y >= r.min().y - BESIDE_DEGREES
                    && middle.y <= r.max().y + BESIDE_DEGREES
            })
        })
        .map(|(other, candidate)| (other, Euclidean.distance(&point, &candidate.shape)))
        .filter(|(_, distance)| *distance <= BESIDE_DEGREES)
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(other, _)| other)
}
