//! Geometry clean-up for the preparation: snapping to the output grid, removing what snapping
//! leaves degenerate, splitting pinched rings, noding shared edges between neighbours, making
//! source rings valid, and dissolving units into one outline without the slivers between them.

use std::collections::HashMap;

use geo::orient::Direction;
use geo::{
    Area, BooleanOps, Centroid, Contains, Coord, InteriorPoint, LineString, MultiPolygon, Orient,
    Point, Polygon, unary_union,
};

use crate::model::measure::area_km2;

/// Holes smaller than this in a dissolved outline are gaps between the Sichuan and Chongqing
/// source files, not enclaves.
pub(super) const SLIVER_KM2: f64 = 30.0;

/// Rings smaller than this (in square degrees, about 100 m²) are artefacts of re-noding: the
/// hair-thin slivers left where a source ring doubles back on itself.
const MIN_RING_DEG2: f64 = 1e-8;

/// Output precision: 1e-6° (about 0.1 m).
const GRID: f64 = 1e6;

fn snap(value: f64) -> f64 {
    (value * GRID).round() / GRID
}

/// Snaps a ring to the output grid and removes what snapping leaves degenerate: repeated
/// points, spikes (A, B, A) and rings too small to be real. `None` if nothing is left.
fn clean_ring(ring: &LineString) -> Option<LineString> {
    let mut points: Vec<Coord> = Vec::with_capacity(ring.0.len());
    for c in &ring.0 {
        let c = Coord {
            x: snap(c.x),
            y: snap(c.y),
        };
        if points.last() == Some(&c) {
            continue;
        }
        // A spike: the ring goes to a point and straight back.
        if points.len() >= 2 && points[points.len() - 2] == c {
            points.pop();
            continue;
        }
        points.push(c);
    }
    // The closing point can form a spike with the first segment as well.
    while points.len() >= 4 && points[1] == points[points.len() - 2] {
        points.pop();
        points.remove(0);
    }
    let ring = LineString::new(points);
    let area = Polygon::new(ring.clone(), vec![]).unsigned_area();
    (ring.0.len() >= 4 && area >= MIN_RING_DEG2).then_some(ring)
}

/// Cleans every ring of every part (see [`clean_ring`]); parts whose exterior vanishes go.
/// Rings that touch themselves after snapping are split at the touching point (OGC wants a
/// pinched exterior as two parts, or as an exterior and a hole that touches it).
pub(super) fn clean(shape: MultiPolygon) -> MultiPolygon {
    let mut exteriors: Vec<LineString> = Vec::new();
    let mut holes: Vec<LineString> = Vec::new();
    for polygon in shape {
        let Some(exterior) = clean_ring(polygon.exterior()) else {
            continue;
        };
        let orientation = signed_area(&exterior).signum();
        for ring in split_pinches(exterior) {
            if signed_area(&ring) * orientation >= 0.0 {
                exteriors.push(ring);
            } else {
                holes.push(ring);
            }
        }
        for hole in polygon.interiors().iter().filter_map(clean_ring) {
            holes.extend(split_pinches(hole));
        }
    }
    let mut polygons: Vec<(LineString, Vec<LineString>)> = exteriors
        .into_iter()
        .map(|ring| (ring, Vec::new()))
        .collect();
    // Each hole goes to the smallest exterior that contains it.
    for hole in holes {
        let Some(inside) = hole_probe(&hole) else {
            continue;
        };
        let owner = polygons
            .iter_mut()
            .filter(|(exterior, _)| Polygon::new(exterior.clone(), vec![]).contains(&inside))
            .min_by(|a, b| signed_area(&a.0).abs().total_cmp(&signed_area(&b.0).abs()));
        if let Some((_, owned)) = owner {
            owned.push(hole);
        }
    }
    polygons
        .into_iter()
        .map(|(exterior, interiors)| Polygon::new(exterior, interiors))
        .collect::<Vec<_>>()
        .into()
}

fn signed_area(ring: &LineString) -> f64 {
    Polygon::new(ring.clone(), vec![]).signed_area()
}

/// A point strictly inside a hole, to find which exterior holds it.
fn hole_probe(hole: &LineString) -> Option<Point> {
    Polygon::new(hole.clone(), vec![]).interior_point()
}

/// Splits a closed ring at every vertex it visits twice (and at every vertex that lies on
/// one of its other edges), giving simple loops.
fn split_pinches(ring: LineString) -> Vec<LineString> {
    let mut points: Vec<Coord> = ring.0;
    points.pop(); // the closing point
    node_touching_vertices(&mut points);
    let mut seen = std::collections::HashSet::with_capacity(points.len());
    if points
        .iter()
        .all(|p| seen.insert((p.x.to_bits(), p.y.to_bits())))
    {
        let first = points[0];
        points.push(first);
        return vec![LineString::new(points)];
    }
    let mut loops = Vec::new();
    let mut stack: Vec<Coord> = Vec::new();
    for p in points {
        if let Some(start) = stack.iter().position(|q| *q == p) {
            let mut piece: Vec<Coord> = stack.split_off(start);
            piece.push(p);
            if piece.len() >= 4 {
                loops.push(LineString::new(piece));
            }
        }
        stack.push(p);
    }
    if stack.len() >= 3 {
        let first = stack[0];
        stack.push(first);
        loops.push(LineString::new(stack));
    }
    loops
}

/// Inserts into each edge every vertex of the ring that lies on it, so that every place where
/// the ring touches itself becomes a repeated vertex. Vertices are bucketed on a grid so that
/// each edge only looks at its neighbourhood.
fn node_touching_vertices(points: &mut Vec<Coord>) {
    const CELL: f64 = 0.01;
    let cell = |c: Coord| ((c.x / CELL).floor() as i64, (c.y / CELL).floor() as i64);
    let mut buckets: HashMap<(i64, i64), Vec<Coord>> = HashMap::new();
    for p in points.iter() {
        buckets.entry(cell(*p)).or_default().push(*p);
    }
    let mut noded = Vec::with_capacity(points.len());
    let n = points.len();
    for index in 0..n {
        let (a, b) = (points[index], points[(index + 1) % n]);
        noded.push(a);
        let (lo, hi) = (
            cell(Coord {
                x: a.x.min(b.x),
                y: a.y.min(b.y),
            }),
            cell(Coord {
                x: a.x.max(b.x),
                y: a.y.max(b.y),
            }),
        );
        let mut on_edge: Vec<Coord> = Vec::new();
        for cx in lo.0..=hi.0 {
            for cy in lo.1..=hi.1 {
                let Some(bucket) = buckets.get(&(cx, cy)) else {
                    continue;
                };
                on_edge.extend(
                    bucket
                        .iter()
                        .filter(|p| **p != a && **p != b && on_segment(**p, a, b)),
                );
            }
        }
        on_edge.sort_by(|p, q| {
            let d = |c: &Coord| (c.x - a.x).hypot(c.y - a.y);
            d(p).total_cmp(&d(q))
        });
        on_edge.dedup();
        noded.extend(on_edge);
    }
    *points = noded;
}

/// Where one unit's shape has a vertex on a neighbour's edge (a T-junction: the neighbour goes straight
/// past it), the vertex is inserted into the neighbour's edge too, so that shared boundaries
/// have identical vertices on both sides: dissolves close without slivers, and boundary arcs
/// are found. Collinear in the source grid, such vertices lie within `TOLERANCE` of the edge
/// after the datum conversion and snapping.
pub(super) fn node_shared_edges(shapes: &mut [&mut MultiPolygon]) {
    const TOLERANCE: f64 = 2e-6;
    const CELL: f64 = 0.01;
    let cell = |c: Coord| ((c.x / CELL).floor() as i64, (c.y / CELL).floor() as i64);
    let mut buckets: HashMap<(i64, i64), Vec<Coord>> = HashMap::new();
    for shape in shapes.iter() {
        for polygon in shape.iter() {
            for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
                for c in ring.coords() {
                    buckets.entry(cell(*c)).or_default().push(*c);
                }
            }
        }
    }
    for bucket in buckets.values_mut() {
        bucket.sort_by(|a, b| {
            (a.x, a.y)
                .partial_cmp(&(b.x, b.y))
                .unwrap_or(std::cmp::Ordering::Equal)
        });
        bucket.dedup();
    }
    let node_ring = |ring: &LineString| -> LineString {
        let mut out: Vec<Coord> = Vec::with_capacity(ring.0.len());
        for line in ring.lines() {
            let (a, b) = (line.start, line.end);
            out.push(a);
            let (dx, dy) = (b.x - a.x, b.y - a.y);
            let length2 = dx * dx + dy * dy;
            if length2 == 0.0 {
                continue;
            }
            let lo = cell(Coord {
                x: a.x.min(b.x) - TOLERANCE,
                y: a.y.min(b.y) - TOLERANCE,
            });
            let hi = cell(Coord {
                x: a.x.max(b.x) + TOLERANCE,
                y: a.y.max(b.y) + TOLERANCE,
            });
            let mut inserted: Vec<(f64, Coord)> = Vec::new();
            for cx in lo.0..=hi.0 {
                for cy in lo.1..=hi.1 {
                    let Some(bucket) = buckets.get(&(cx, cy)) else {
                        continue;
                    };
                    for p in bucket {
                        let t = ((p.x - a.x) * dx + (p.y - a.y) * dy) / length2;
                        if t <= 1e-9 || t >= 1.0 - 1e-9 {
                            continue;
                        }
                        let (fx, fy) = (a.x + t * dx, a.y + t * dy);
                        if (p.x - fx).hypot(p.y - fy) <= TOLERANCE {
                            inserted.push((t, *p));
                        }
                    }
                }
            }
            inserted.sort_by(|x, y| x.0.total_cmp(&y.0));
            out.extend(inserted.into_iter().map(|(_, p)| p));
        }
        if let Some(first) = out.first().copied() {
            out.push(first);
        }
        LineString::new(out)
    };
    for shape in shapes.iter_mut() {
        let polygons: Vec<Polygon> = shape
            .iter()
            .map(|polygon| {
                Polygon::new(
                    node_ring(polygon.exterior()),
                    polygon.interiors().iter().map(node_ring).collect(),
                )
            })
            .collect();
        **shape = clean(MultiPolygon::new(polygons)).orient(Direction::Default);
    }
}

fn on_segment(p: Coord, a: Coord, b: Coord) -> bool {
    let cross = (b.x - a.x) * (p.y - a.y) - (b.y - a.y) * (p.x - a.x);
    let within =
        p.x >= a.x.min(b.x) && p.x <= a.x.max(b.x) && p.y >= a.y.min(b.y) && p.y <= a.y.max(b.y);
    within && cross.abs() <= 1e-14
}

/// Some source rings touch or cross themselves, or repeat points; re-noding each polygon with
/// the even-odd rule gives a valid shape with the same area, exteriors counter-clockwise.
pub(super) fn make_valid(shape: &MultiPolygon) -> MultiPolygon {
    let empty = MultiPolygon::<f64>::new(vec![]);
    let parts: Vec<MultiPolygon> = clean(shape.clone())
        .iter()
        .map(|polygon| polygon.union(&empty))
        .collect();
    clean(dissolve(parts.iter()))
}

/// Dissolves neighbouring units into one outline. Holes under `SLIVER_KM2` are gaps between
/// units in the sources (neither Sichuan nor Chongqing has an enclave that small), so they go.
pub(super) fn dissolve_units<'a>(
    shapes: impl IntoIterator<Item = &'a MultiPolygon>,
) -> MultiPolygon {
    let shape = dissolve(shapes);
    shape
        .into_iter()
        .map(|polygon| {
            let (exterior, interiors) = polygon.into_inner();
            let kept = interiors
                .into_iter()
                .filter(|ring| {
                    area_km2(&MultiPolygon::new(vec![Polygon::new(ring.clone(), vec![])]))
                        >= SLIVER_KM2
                })
                .collect();
            Polygon::new(exterior, kept)
        })
        .collect::<Vec<_>>()
        .into()
}

pub(super) fn dissolve<'a>(shapes: impl IntoIterator<Item = &'a MultiPolygon>) -> MultiPolygon {
    let polygons: Vec<&Polygon> = shapes.into_iter().flat_map(|shape| shape.iter()).collect();
    clean(unary_union(polygons)).orient(Direction::Default)
}

/// Removes holes and islands smaller than `SLIVER_KM2` (gaps and overlaps between source files);
/// returns the cleaned shape and how many slivers went.
pub(super) fn without_slivers(shape: MultiPolygon) -> (MultiPolygon, usize) {
    let is_sliver = |ring: &LineString| {
        area_km2(&MultiPolygon::new(vec![Polygon::new(ring.clone(), vec![])])) < SLIVER_KM2
    };
    let mut removed = 0;
    let mut polygons = Vec::new();
    for polygon in shape {
        if is_sliver(polygon.exterior()) {
            removed += 1;
            continue;
        }
        let (exterior, interiors) = polygon.into_inner();
        let before = interiors.len();
        let kept: Vec<LineString> = interiors
            .into_iter()
            .filter(|ring| !is_sliver(ring))
            .collect();
        removed += before - kept.len();
        polygons.push(Polygon::new(exterior, kept));
    }
    (MultiPolygon::new(polygons), removed)
}

pub(super) fn interior_label(shape: &MultiPolygon) -> Point {
    // The interior point of the largest part: the centroid can fall outside a crescent.
    shape
        .iter()
        .max_by(|a, b| a.unsigned_area().total_cmp(&b.unsigned_area()))
        .and_then(|largest| largest.interior_point())
        .or_else(|| shape.centroid())
        .unwrap_or_else(|| Point::new(0.0, 0.0))
}
