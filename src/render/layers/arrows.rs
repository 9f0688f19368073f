//! The selected zone's cooperation links, as curved arrows coloured by industry chain (dashed
//! when an industry moves out), each labelled at its middle with the fields it links.

use std::cmp::Reverse;

use super::frame::{Frame, LabelGroup, SceneLayer};
use crate::model::content::LinkKind;
use crate::model::{Atlas, FeatureRef, Lang, LayerId};
use crate::render::labels::Candidate;
use crate::render::options::LinkArrow;
use crate::render::scene::Item;
use crate::render::style;

pub struct CooperationArrows;

/// The cooperation links of a zone, as arrows labelled in `lang` (none for other features).
pub fn cooperation_links(atlas: &Atlas, feature: FeatureRef, lang: Lang) -> Vec<LinkArrow> {
    let Some(zone) = atlas.feature(feature).filter(|f| f.zone().is_some()) else {
        return Vec::new();
    };
    let content = &atlas.content();
    content
        .links_of(&zone.id)
        .filter_map(|link| {
            let (from, _) = atlas.find(&link.from)?;
            let (to, _) = atlas.find(&link.to)?;
            let fields: Vec<&str> = link
                .fields
                .iter()
                .filter_map(|id| content.industry(id).map(|i| lang.pick(&i.zh, &i.en)))
                .collect();
            Some(LinkArrow {
                from,
                to,
                transfer: link.kind == LinkKind::Transfer,
                chain: link.chain.clone(),
                label: fields.join(lang.pick("、", ", ")),
            })
        })
        .collect()
}

impl SceneLayer for CooperationArrows {
    fn key(&self) -> &'static str {
        "cooperation-arrows"
    }

    fn add(&self, frame: &mut Frame<'_>) {
        let links = &frame.options.highlight.links;
        for (index, link) in links.iter().enumerate() {
            let (Some(from), Some(to)) = (anchor(frame, link.from), anchor(frame, link.to)) else {
                continue;
            };
            // Links between the same pair of zones bend apart, so that each stays visible.
            let rank = links[..index]
                .iter()
                .filter(|other| other.from == link.from && other.to == link.to)
                .count();
            let (control, to) = curve(from, to, rank);
            let line = style::arrow_style(&link.chain, link.transfer);
            frame.items.push(Item::Arrow {
                from,
                control,
                to,
                head: arrow_head(control, to, line.width),
                style: line,
                casing: style::arrow_casing(&line),
            });
            // The label sits at the curve's midpoint: B(½) = ¼·from + ½·control + ¼·to.
            let middle = [
                0.25 * from[0] + 0.5 * control[0] + 0.25 * to[0],
                0.25 * from[1] + 0.5 * control[1] + 0.25 * to[1],
            ];
            frame.offer_label(
                (LabelGroup::Arrows, 0, Reverse(LayerId::Provinces)),
                Candidate {
                    text: link.label.clone(),
                    anchor: middle,
                    style: style::arrow_label_style(&line),
                    mirror: None,
                    angle: 0.0,
                },
            );
        }
    }
}

/// Where an arrow to or from a zone attaches: its label point.
fn anchor(frame: &Frame<'_>, zone: FeatureRef) -> Option<[f32; 2]> {
    frame
        .atlas
        .feature(zone)?
        .label_point
        .map(|point| frame.view.project(point.0))
}

/// The control point of the `rank`-th arrow between two points, and where it ends: short of
/// the target's label point, so that the head does not cover the zone's name.
fn curve(from: [f32; 2], to: [f32; 2], rank: usize) -> ([f32; 2], [f32; 2]) {
    let bend = 30.0 + 34.0 * rank as f32;
    let (dx, dy) = (to[0] - from[0], to[1] - from[1]);
    let length = dx.hypot(dy).max(1.0);
    let middle = [(from[0] + to[0]) / 2.0, (from[1] + to[1]) / 2.0];
    let control = [
        middle[0] - dy / length * bend,
        middle[1] + dx / length * bend,
    ];
    let shorten = 14.0_f32.min(length / 4.0);
    (
        control,
        [to[0] - dx / length * shorten, to[1] - dy / length * shorten],
    )
}

/// The three corners of an arrow head at `tip`, pointing away from `control`.
pub fn arrow_head(control: [f32; 2], tip: [f32; 2], width: f32) -> [[f32; 2]; 3] {
    let (dx, dy) = (tip[0] - control[0], tip[1] - control[1]);
    let length = dx.hypot(dy).max(1e-3);
    let (ux, uy) = (dx / length, dy / length);
    let size = 5.0 + 2.5 * width;
    let base = [tip[0] - ux * size, tip[1] - uy * size];
    [
        tip,
        [base[0] - uy * size * 0.5, base[1] + ux * size * 0.5],
        [base[0] + uy * size * 0.5, base[1] - ux * size * 0.5],
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_arrow_head_points_along_the_curve_and_grows_with_the_line() {
        let head = arrow_head([0.0, 0.0], [100.0, 0.0], 2.0);
        assert_eq!(head[0], [100.0, 0.0], "the tip is the end of the curve");
        // 5 + 2.5·2 = 10 points long, 10 wide, behind the tip.
        assert_eq!(head[1], [90.0, 5.0]);
        assert_eq!(head[2], [90.0, -5.0]);
        let wider = arrow_head([0.0, 0.0], [100.0, 0.0], 4.0);
        assert_eq!(wider[1], [85.0, 7.5]);
    }

    #[test]
    fn arrows_between_the_same_zones_bend_apart_and_stop_short_of_the_target() {
        let (first, end) = curve([0.0, 0.0], [200.0, 0.0], 0);
        let (second, _) = curve([0.0, 0.0], [200.0, 0.0], 1);
        assert_eq!(first, [100.0, 30.0]);
        assert_eq!(second, [100.0, 64.0]);
        assert_eq!(end, [186.0, 0.0]);
    }
}
