//! Label placement: candidates in priority order, each placed only where it overlaps nothing
//! already placed (greedy, as QGIS's labelling engine does for point labels).

use super::style::LabelStyle;

/// Estimated width of `text` at `size` points. Both painters use this same estimate, so
/// placement does not depend on the backend; CJK glyphs are one em, Latin about half.
pub fn text_width(text: &str, size: f32) -> f32 {
    text.chars()
        .map(|c| match c {
            ' ' => 0.28,
            'A'..='Z' | 'm' | 'w' => 0.66,
            c if c.is_ascii() => 0.52,
            c if (c as u32) >= 0x2E80 => 1.0,
            _ => 0.6,
        })
        .sum::<f32>()
        * size
}

/// Line height of a label at `size` points.
pub fn text_height(size: f32) -> f32 {
    size * 1.25
}

/// A label that may be placed.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub text: String,
    /// Centre of the label in viewport points.
    pub anchor: [f32; 2],
    pub style: LabelStyle,
}

/// A placed label: its text, centre and the box it occupies.
#[derive(Debug, Clone, PartialEq)]
pub struct Placed {
    pub text: String,
    pub anchor: [f32; 2],
    pub style: LabelStyle,
    /// [min x, min y, max x, max y] in viewport points.
    pub rect: [f32; 4],
}

/// Space kept free around each label.
const PADDING: f32 = 3.0;

fn overlaps(a: &[f32; 4], b: &[f32; 4]) -> bool {
    a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]
}

/// Places candidates in the order given (most important first); a candidate that would
/// overlap a placed label or leave the viewport is dropped.
pub fn place(candidates: impl IntoIterator<Item = Candidate>, viewport: [f32; 2]) -> Vec<Placed> {
    let mut placed: Vec<Placed> = Vec::new();
    for candidate in candidates {
        let half_width = text_width(&candidate.text, candidate.style.size) / 2.0 + PADDING;
        let half_height = text_height(candidate.style.size) / 2.0 + PADDING;
        let [x, y] = candidate.anchor;
        let rect = [
            x - half_width,
            y - half_height,
            x + half_width,
            y + half_height,
        ];
        let on_screen =
            rect[0] >= 0.0 && rect[1] >= 0.0 && rect[2] <= viewport[0] && rect[3] <= viewport[1];
        if on_screen && !placed.iter().any(|other| overlaps(&rect, &other.rect)) {
            placed.push(Placed {
                text: candidate.text,
                anchor: candidate.anchor,
                style: candidate.style,
                rect,
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

    #[test]
    fn labels_apart_are_all_placed_and_none_overlap() {
        let candidates: Vec<Candidate> = (0..50)
            .map(|i| {
                candidate(
                    "沙坪坝区",
                    40.0 + (i % 10) as f32 * 37.0,
                    40.0 + (i / 10) as f32 * 13.0,
                )
            })
            .collect();
        let placed = place(candidates, [800.0, 600.0]);
        assert!(!placed.is_empty());
        for (i, a) in placed.iter().enumerate() {
            for b in &placed[i + 1..] {
                assert!(!overlaps(&a.rect, &b.rect), "{a:?} overlaps {b:?}");
            }
        }
    }

    #[test]
    fn a_label_cut_by_the_viewport_edge_is_not_placed() {
        assert!(place([candidate("重庆", 2.0, 300.0)], [800.0, 600.0]).is_empty());
    }
}
