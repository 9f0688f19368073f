//! Clipping to the viewport, for painters that would otherwise process geometry far off the
//! page: at the science city's zoom the circle's outline runs for hundreds of thousands of
//! points off-screen, and a rasteriser strokes all of it before clipping (seconds and
//! gigabytes at 4K). Clipping first leaves the visible result unchanged.

/// An axis-aligned rectangle: [min x, min y, max x, max y].
pub type ClipRect = [f32; 4];

fn inside(point: [f32; 2], rect: &ClipRect) -> bool {
    point[0] >= rect[0] && point[0] <= rect[2] && point[1] >= rect[1] && point[1] <= rect[3]
}

/// A closed ring clipped to the rectangle (Sutherland–Hodgman). The result is the ring's
/// intersection with the rectangle; where the ring leaves and re-enters, the pieces are joined
/// along the rectangle's edge, which fills nothing extra with the even-odd rule.
pub fn clip_ring(ring: &[[f32; 2]], rect: &ClipRect) -> Vec<[f32; 2]> {
    if ring.iter().all(|p| inside(*p, rect)) {
        return ring.to_vec();
    }
    let mut output = ring.to_vec();
    // Each edge: (axis, bound, keep the side where the coordinate is greater).
    for (axis, bound, keep_greater) in [
        (0, rect[0], true),
        (0, rect[2], false),
        (1, rect[1], true),
        (1, rect[3], false),
    ] {
        if output.is_empty() {
            break;
        }
        let input = std::mem::take(&mut output);
        let keeps = |p: [f32; 2]| {
            if keep_greater {
                p[axis] >= bound
            } else {
                p[axis] <= bound
            }
        };
        let mut previous = input[input.len() - 1];
        for &current in &input {
            let (now_in, before_in) = (keeps(current), keeps(previous));
            if now_in != before_in {
                let t = (bound - previous[axis]) / (current[axis] - previous[axis]);
                let mut crossing = [
                    previous[0] + t * (current[0] - previous[0]),
                    previous[1] + t * (current[1] - previous[1]),
                ];
                crossing[axis] = bound;
                output.push(crossing);
            }
            if now_in {
                output.push(current);
            }
            previous = current;
        }
    }
    if output.len() < 3 { Vec::new() } else { output }
}

/// A line clipped to the rectangle: the runs that lie inside it (Liang–Barsky per segment).
/// A closed ring wholly inside comes back as one run that the caller can close.
pub fn clip_line(line: &[[f32; 2]], closed: bool, rect: &ClipRect) -> Vec<Vec<[f32; 2]>> {
    if line.iter().all(|p| inside(*p, rect)) {
        return vec![line.to_vec()];
    }
    let mut runs: Vec<Vec<[f32; 2]>> = Vec::new();
    let mut current: Vec<[f32; 2]> = Vec::new();
    let segments = line.len().saturating_sub(1) + usize::from(closed && line.len() > 2);
    for index in 0..segments {
        let a = line[index];
        let b = line[(index + 1) % line.len()];
        match clip_segment(a, b, rect) {
            Some((start, end, cut_end)) => {
                if current.last() != Some(&start) {
                    if current.len() > 1 {
                        runs.push(std::mem::take(&mut current));
                    }
                    current.clear();
                    current.push(start);
                }
                current.push(end);
                if cut_end {
                    runs.push(std::mem::take(&mut current));
                }
            }
            None => {
                if current.len() > 1 {
                    runs.push(std::mem::take(&mut current));
                }
                current.clear();
            }
        }
    }
    if current.len() > 1 {
        runs.push(current);
    }
    // A closed ring that starts inside: its last run continues into its first.
    if closed && runs.len() > 1 && runs[0].first() == runs.last().and_then(|r| r.last()) {
        let first = runs.remove(0);
        if let Some(last) = runs.last_mut() {
            last.extend_from_slice(&first[1..]);
        }
    }
    runs
}

/// The part of segment a→b inside the rectangle, and whether it was cut short at its end.
fn clip_segment(a: [f32; 2], b: [f32; 2], rect: &ClipRect) -> Option<([f32; 2], [f32; 2], bool)> {
    let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
    let (mut t0, mut t1) = (0.0f32, 1.0f32);
    for (p, q) in [
        (-dx, a[0] - rect[0]),
        (dx, rect[2] - a[0]),
        (-dy, a[1] - rect[1]),
        (dy, rect[3] - a[1]),
    ] {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
        } else {
            let t = q / p;
            if p < 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
        }
    }
    if t0 > t1 {
        return None;
    }
    let at = |t: f32| {
        if t == 0.0 {
            a
        } else if t == 1.0 {
            b
        } else {
            [a[0] + t * dx, a[1] + t * dy]
        }
    };
    Some((at(t0), at(t1), t1 < 1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    const RECT: ClipRect = [0.0, 0.0, 10.0, 10.0];

    fn area(ring: &[[f32; 2]]) -> f32 {
        let n = ring.len();
        (0..n)
            .map(|i| {
                let (a, b) = (ring[i], ring[(i + 1) % n]);
                a[0] * b[1] - b[0] * a[1]
            })
            .sum::<f32>()
            .abs()
            / 2.0
    }

    #[test]
    fn a_ring_keeps_only_its_part_inside() {
        let inside = [[1.0, 1.0], [5.0, 1.0], [5.0, 5.0]];
        assert_eq!(clip_ring(&inside, &RECT), inside.to_vec());
        let overlapping = [[-5.0, -5.0], [5.0, -5.0], [5.0, 5.0], [-5.0, 5.0]];
        assert!((area(&clip_ring(&overlapping, &RECT)) - 25.0).abs() < 1e-4);
        let outside = [[20.0, 20.0], [30.0, 20.0], [30.0, 30.0]];
        assert!(clip_ring(&outside, &RECT).is_empty());
        // A ring around the whole rectangle becomes the rectangle.
        let around = [
            [-100.0, -100.0],
            [100.0, -100.0],
            [100.0, 100.0],
            [-100.0, 100.0],
        ];
        assert!((area(&clip_ring(&around, &RECT)) - 100.0).abs() < 1e-3);
    }

    #[test]
    fn a_line_keeps_its_runs_inside() {
        // In, out, back in: two runs.
        let line = [[1.0, 5.0], [20.0, 5.0], [20.0, 8.0], [1.0, 8.0]];
        let runs = clip_line(&line, false, &RECT);
        assert_eq!(
            runs,
            vec![vec![[1.0, 5.0], [10.0, 5.0]], vec![[10.0, 8.0], [1.0, 8.0]]]
        );
        assert!(clip_line(&[[20.0, 0.0], [30.0, 5.0]], false, &RECT).is_empty());
        // A closed ring starting inside and crossing out once is one run.
        let ring = [[5.0, 5.0], [15.0, 5.0], [15.0, 8.0], [5.0, 8.0]];
        let runs = clip_line(&ring, true, &RECT);
        assert_eq!(runs.len(), 1, "{runs:?}");
        assert_eq!(runs[0].first(), Some(&[10.0, 8.0]));
        assert_eq!(runs[0].last(), Some(&[10.0, 5.0]));
    }
}
