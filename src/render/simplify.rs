//! Ramer–Douglas–Peucker simplification, as geo's `Simplify` does it (a run's farthest point,
//! the later of equals, kept when it lies farther than the tolerance from the run's chord
//! segment), on plain coordinates into a buffer the caller keeps, with squared distances.
//! Preparing a first view of 35 000 parcels spent a third of its time in geo's version: a
//! `hypot` per point and per pass, and vectors made at every step of the recursion.

/// What a simplification works in, kept between calls.
#[derive(Debug, Default)]
pub struct Simplifier {
    keep: Vec<bool>,
    runs: Vec<(usize, usize)>,
}

impl Simplifier {
    /// The points of `points` kept at tolerance `epsilon`, into `out` (emptied first); the
    /// first and last are always kept, and everything when `epsilon` is not positive.
    pub fn simplify(&mut self, points: &[[f64; 2]], epsilon: f64, out: &mut Vec<[f64; 2]>) {
        out.clear();
        if points.len() <= 2 || epsilon <= 0.0 || epsilon.is_nan() {
            out.extend_from_slice(points);
            return;
        }
        let last = points.len() - 1;
        self.keep.clear();
        self.keep.resize(points.len(), false);
        self.keep[0] = true;
        self.keep[last] = true;
        self.runs.clear();
        self.runs.push((0, last));
        let limit = epsilon * epsilon;
        while let Some((first, last)) = self.runs.pop() {
            let (a, b) = (points[first], points[last]);
            let mut farthest = (first, 0.0);
            for (index, &point) in points.iter().enumerate().take(last).skip(first + 1) {
                let distance = segment_distance_squared(point, a, b);
                if distance >= farthest.1 {
                    farthest = (index, distance);
                }
            }
            if farthest.1 > limit {
                let split = farthest.0;
                self.keep[split] = true;
                if split - first > 1 {
                    self.runs.push((first, split));
                }
                if last - split > 1 {
                    self.runs.push((split, last));
                }
            }
        }
        out.extend(
            points
                .iter()
                .zip(&self.keep)
                .filter(|(_, kept)| **kept)
                .map(|(point, _)| *point),
        );
    }
}

/// The squared distance from `p` to the segment from `a` to `b`.
fn segment_distance_squared(p: [f64; 2], a: [f64; 2], b: [f64; 2]) -> f64 {
    let squared = |x: f64, y: f64| x * x + y * y;
    if a == b {
        return squared(p[0] - a[0], p[1] - a[1]);
    }
    let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
    let length = dx * dx + dy * dy;
    let along = ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / length;
    if along <= 0.0 {
        return squared(p[0] - a[0], p[1] - a[1]);
    }
    if along >= 1.0 {
        return squared(p[0] - b[0], p[1] - b[1]);
    }
    let cross = (a[1] - p[1]) * dx - (a[0] - p[0]) * dy;
    cross * cross / length
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{LineString, Simplify};

    /// Lines and rings of every kind simplified as geo simplifies them, at every tolerance.
    #[test]
    fn points_are_kept_as_geos_simplify_keeps_them() {
        let mut random = crate::test_support::random(0x2545_f491_4f6c_dd1d);
        let mut simplifier = Simplifier::default();
        let mut out = Vec::new();
        for case in 0..400 {
            let count = 2 + case % 60;
            let mut points: Vec<[f64; 2]> = (0..count)
                .map(|k| {
                    let angle = k as f64 / count as f64 * std::f64::consts::TAU;
                    let r = 1.0 + 0.3 * random();
                    [r * angle.cos(), r * angle.sin()]
                })
                .collect();
            if case % 3 == 0 {
                points.push(points[0]); // a closed ring
            }
            if case % 7 == 0 && points.len() > 3 {
                points[2] = points[1]; // a repeated point
            }
            for epsilon in [0.0, 1e-4, 0.01, 0.05, 0.2, 1.0, 5.0] {
                simplifier.simplify(&points, epsilon, &mut out);
                let line: LineString = points.iter().map(|&[x, y]| (x, y)).collect();
                let expected: Vec<[f64; 2]> = line
                    .simplify(epsilon)
                    .coords()
                    .map(|c| [c.x, c.y])
                    .collect();
                assert_eq!(out, expected, "case {case}, tolerance {epsilon}");
            }
        }
    }
}
