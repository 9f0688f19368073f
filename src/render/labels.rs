//! Label placement: candidates in priority order, each placed only where it overlaps nothing
//! already placed (greedy, as QGIS's labelling engine does for point labels).

use super::style::LabelStyle;
use crate::text::{text_height, text_width};

/// A label that may be placed.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub text: String,
    /// Centre of the label in viewport points.
    pub anchor: [f32; 2],
    pub style: LabelStyle,
    /// A point symbol's name on the symbol's other side, tried when its own spot is on an
    /// obstacle (a cluster beside the symbol).
    pub mirror: Option<[f32; 2]>,
    /// Radians clockwise about the anchor (a road's name along the road); 0: level.
    pub angle: f32,
}

/// A placed label: its text, centre and the box it occupies.
#[derive(Debug, Clone, PartialEq)]
pub struct Placed {
    pub text: String,
    pub anchor: [f32; 2],
    pub style: LabelStyle,
    /// Radians clockwise about the anchor.
    pub angle: f32,
    /// [min x, min y, max x, max y] in viewport points (of the turned label's box).
    pub rect: [f32; 4],
}

/// Space kept free around each label.
const PADDING: f32 = 3.0;

fn overlaps(a: &[f32; 4], b: &[f32; 4]) -> bool {
    a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]
}

/// How much further than its own size a label may move off an obstacle, in points.
const MAX_SHIFT: f32 = 24.0;

/// Places candidates in the order given (most important first); a candidate that would
/// overlap a placed label or leave the viewport is dropped.
pub fn place(candidates: impl IntoIterator<Item = Candidate>, viewport: [f32; 2]) -> Vec<Placed> {
    place_around(candidates, viewport, &[])
}

/// As [`place`], keeping labels off `obstacles` (viewport rectangles: a cluster's marker, an
/// export's legend or inset, the window's buttons). A label whose own spot is on an obstacle
/// moves just above, below, right or left of it, where that is free; only then is it dropped
/// (a label that merely meets another label is dropped, as before: the more important one
/// keeps its spot).
pub fn place_around(
    candidates: impl IntoIterator<Item = Candidate>,
    viewport: [f32; 2],
    obstacles: &[[f32; 4]],
) -> Vec<Placed> {
    let mut placed: Vec<Placed> = Vec::new();
    for candidate in candidates {
        let (w, h) = (
            text_width(&candidate.text, candidate.style.size) / 2.0 + PADDING,
            text_height(candidate.style.size) / 2.0 + PADDING,
        );
        // A turned label keeps the box around it clear.
        let (sin, cos) = (candidate.angle.sin().abs(), candidate.angle.cos().abs());
        let (half_width, half_height) = (cos * w + sin * h, sin * w + cos * h);
        let rect_at = |[x, y]: [f32; 2]| {
            [
                x - half_width,
                y - half_height,
                x + half_width,
                y + half_height,
            ]
        };
        let free = |rect: &[f32; 4], placed: &[Placed]| {
            rect[0] >= 0.0
                && rect[1] >= 0.0
                && rect[2] <= viewport[0]
                && rect[3] <= viewport[1]
                && !placed.iter().any(|other| overlaps(rect, &other.rect))
                && !obstacles.iter().any(|obstacle| overlaps(rect, obstacle))
        };
        let [x, y] = candidate.anchor;
        let own = rect_at(candidate.anchor);
        let blocked = obstacles.iter().find(|obstacle| overlaps(&own, obstacle));
        let spots: Vec<[f32; 2]> = match blocked {
            None => vec![candidate.anchor],
            Some(o) => candidate
                .mirror
                .into_iter()
                .chain([
                    [x, o[1] - half_height - 1.0],
                    [x, o[3] + half_height + 1.0],
                    [o[2] + half_width + 1.0, y],
                    [o[0] - half_width - 1.0, y],
                ])
                .collect(),
        };
        // A name moved far from its feature (past a big legend) would name the wrong place.
        let near = |[sx, sy]: &[f32; 2]| {
            (sx - x).abs() <= 2.0 * half_width + MAX_SHIFT
                && (sy - y).abs() <= 2.0 * half_height + MAX_SHIFT
        };
        if let Some(anchor) = spots
            .into_iter()
            .filter(near)
            .find(|spot| free(&rect_at(*spot), &placed))
        {
            placed.push(Placed {
                text: candidate.text,
                anchor,
                style: candidate.style,
                angle: candidate.angle,
                rect: rect_at(anchor),
            });
        }
    }
    placed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::style::Rgba;

    fn candidate(text: &str, x: f32, y: f32) -> Candidate {
        Candidate {
            text: text.into(),
            anchor: [x, y],
            style: LabelStyle {
                size: 12.0,
                color: Rgba::rgb(0, 0, 0),
                halo: Rgba::rgb(255, 255, 255),
                min_zoom: 0.0,
                max_zoom: 30.0,
            },
            mirror: None,
            angle: 0.0,
        }
    }

    #[test]
    fn the_first_of_two_colliding_labels_wins() {
        let placed = place(
            [
                candidate("成都", 100.0, 100.0),
                candidate("锦江区", 105.0, 102.0),
            ],
            [800.0, 600.0],
        );
        assert_eq!(placed.len(), 1);
        assert_eq!(placed[0].text, "成都");
    }

    fn rect_of(c: &Candidate) -> [f32; 4] {
        let half_width = text_width(&c.text, c.style.size) / 2.0 + PADDING;
        let half_height = text_height(c.style.size) / 2.0 + PADDING;
        let [x, y] = c.anchor;
        [
            x - half_width,
            y - half_height,
            x + half_width,
            y + half_height,
        ]
    }

    #[test]
    fn labels_apart_are_all_placed() {
        // "沙坪坝区" at 12 points is 54 × 21 points with its padding: 60 × 22 apart is clear.
        let candidates: Vec<Candidate> = (0..50)
            .map(|i| {
                candidate(
                    "沙坪坝区",
                    40.0 + (i % 5) as f32 * 60.0,
                    40.0 + (i / 5) as f32 * 22.0,
                )
            })
            .collect();
        assert_eq!(place(candidates, [800.0, 600.0]).len(), 50);
    }

    /// Crowded labels: none of those placed overlap, and each one dropped overlaps one placed
    /// before it (greedy placement in priority order drops nothing it could have kept).
    #[test]
    fn crowded_labels_never_overlap_and_only_colliding_ones_are_dropped() {
        let candidates: Vec<Candidate> = (0..50)
            .map(|i| {
                candidate(
                    "沙坪坝区",
                    40.0 + (i % 10) as f32 * 37.0,
                    40.0 + (i / 10) as f32 * 13.0,
                )
            })
            .collect();
        let placed = place(candidates.clone(), [800.0, 600.0]);
        for (i, a) in placed.iter().enumerate() {
            for b in &placed[i + 1..] {
                assert!(!overlaps(&a.rect, &b.rect), "{a:?} overlaps {b:?}");
            }
        }
        for candidate in &candidates {
            if placed.iter().any(|p| p.anchor == candidate.anchor) {
                continue;
            }
            let rect = rect_of(candidate);
            assert!(
                placed.iter().any(|p| overlaps(&rect, &p.rect)),
                "{candidate:?} was dropped without a collision"
            );
        }
        // Every other label of every other row fits: 5 a row, rows 0, 2 and 4.
        assert_eq!(placed.len(), 15);
    }

    #[test]
    fn a_label_on_an_obstacle_moves_beside_it_and_one_with_no_room_is_dropped() {
        // 重庆 on a cluster marker: it goes just above the marker, clear of it.
        let marker = [290.0, 290.0, 310.0, 310.0];
        let placed = place_around([candidate("重庆", 300.0, 300.0)], [800.0, 600.0], &[marker]);
        assert_eq!(placed.len(), 1);
        assert!(!overlaps(&placed[0].rect, &marker), "{:?}", placed[0]);
        assert!(
            placed[0].anchor[1] < 290.0,
            "above it: {:?}",
            placed[0].anchor
        );
        // Under an export's legend that fills the corner: no room around it on the page.
        let legend = [0.0, 0.0, 800.0, 600.0];
        assert!(
            place_around(
                [candidate("广阳岛", 700.0, 40.0)],
                [800.0, 600.0],
                &[legend]
            )
            .is_empty()
        );
        // Deep under a tall box: moving past its far edge would name the wrong place.
        let tall = [600.0, 0.0, 800.0, 400.0];
        let deep = [candidate("重庆经开区", 700.0, 200.0)];
        assert!(place_around(deep, [800.0, 600.0], &[tall]).is_empty());
    }

    #[test]
    fn a_symbols_name_blocked_by_a_cluster_goes_to_the_symbols_other_side() {
        // A diamond at (300, 300) named to its right, where a cluster's marker sits.
        let mut name = candidate("荣昌高新区", 345.0, 300.0);
        name.mirror = Some([255.0, 300.0]);
        let cluster = [360.0, 290.0, 380.0, 310.0];
        let placed = place_around([name], [800.0, 600.0], &[cluster]);
        assert_eq!(placed.len(), 1);
        assert_eq!(
            placed[0].anchor,
            [255.0, 300.0],
            "on the left, level with it"
        );
    }

    #[test]
    fn a_label_cut_by_the_viewport_edge_is_not_placed() {
        assert!(place([candidate("重庆", 2.0, 300.0)], [800.0, 600.0]).is_empty());
    }

    /// A label turned upright (a north–south road's name) keeps a tall, narrow box clear: two
    /// such names side by side both stay, where level they would collide.
    #[test]
    fn a_turned_label_keeps_its_turned_box_clear() {
        let turned = |x: f32| Candidate {
            angle: std::f32::consts::FRAC_PI_2,
            ..candidate("人民路人民路", x, 200.0)
        };
        let placed = place([turned(100.0), turned(130.0)], [400.0, 400.0]);
        assert_eq!(placed.len(), 2);
        let [x0, y0, x1, y1] = placed[0].rect;
        assert!(y1 - y0 > x1 - x0, "{:?}", placed[0].rect);
        let level = place(
            [
                candidate("人民路人民路", 100.0, 200.0),
                candidate("人民路人民路", 130.0, 200.0),
            ],
            [400.0, 400.0],
        );
        assert_eq!(level.len(), 1);
    }
}
