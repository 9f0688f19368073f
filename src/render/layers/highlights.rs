//! What the user pointed at, chose or searched for: a wide outline on the areas with the chosen
//! industry, the hovered and the selected area, and the selected platform's accuracy circle.

use super::frame::{Frame, SceneLayer};
use crate::model::{FeatureRef, Shape};
use crate::render::scene::Item;
use crate::render::style;

pub struct Highlights;

/// Points (platforms, hubs, the user's points) are highlighted by their markers (see the
/// markers and user layers), not by outlines: a point's outline would be a path of one vertex,
/// which the SVG would draw as a dot and the window not at all.
fn is_point(frame: &Frame<'_>, feature: FeatureRef) -> bool {
    frame
        .atlas
        .feature(feature)
        .is_some_and(|f| matches!(f.shape, Shape::Point(_)))
}

impl SceneLayer for Highlights {
    fn key(&self) -> &'static str {
        "highlights"
    }

    fn add(&self, frame: &mut Frame<'_>) {
        let highlight = &frame.options.highlight;
        // A highlight keeps the area's own dash: a selected approximate zone still says that
        // it is approximate.
        let own_dash = |frame: &Frame<'_>, feature: crate::model::FeatureRef| {
            frame
                .atlas
                .feature(feature)
                .and_then(|f| style::area_style(&f).outline?.dash)
        };
        for &feature_ref in &highlight.emphasised {
            if !is_point(frame, feature_ref) && frame.shown(feature_ref.layer) {
                let dash = own_dash(frame, feature_ref);
                frame.stroke(
                    feature_ref,
                    style::LineStyle {
                        dash,
                        ..style::EMPHASIS_OUTLINE
                    },
                );
            }
        }
        for (feature_ref, line) in [
            (highlight.hovered, style::HOVER_OUTLINE),
            (highlight.selected, style::SELECTED_OUTLINE),
        ] {
            if let Some(feature_ref) = feature_ref.filter(|f| !is_point(frame, *f)) {
                let dash = own_dash(frame, feature_ref);
                frame.stroke(feature_ref, style::LineStyle { dash, ..line });
            }
        }
        accuracy_circle(frame);
    }
}

/// The selected platform's accuracy: the true site may be anywhere in this circle.
fn accuracy_circle(frame: &mut Frame<'_>) {
    let Some(selected) = frame.options.highlight.selected else {
        return;
    };
    let Some(feature) = frame.atlas.feature(selected) else {
        return;
    };
    if let (Some(platform), Shape::Point(point)) = (feature.platform(), &feature.shape) {
        let radius = (platform.accuracy_m / frame.view.metres_per_point()) as f32;
        if radius > 6.0 {
            frame.items.push(Item::Circle {
                center: frame.view.project(point.0),
                radius,
                fill: Some(style::ACCURACY_FILL),
                style: style::ACCURACY_LINE,
            });
        }
    }
}
