//! The spotlight of a presentation stop: a veil over the map, then the spotlit zones (with the
//! zones inside them) drawn again above it; a zone known only as a point lights up the area of
//! its stated accuracy, dashed, since where exactly is not published.

use super::frame::{Frame, SceneLayer, ZONE_LAYERS};
use crate::model::{Atlas, Feature, FeatureRef, Shape};
use crate::render::scene::Item;
use crate::render::style;

pub struct Spotlight;

impl SceneLayer for Spotlight {
    fn key(&self) -> &'static str {
        "spotlight"
    }

    fn add(&self, frame: &mut Frame<'_>) {
        if !frame.spotlit() {
            return;
        }
        frame.items.push(Item::Veil {
            color: if frame.options.highlight.print {
                style::PRINT_VEIL
            } else {
                style::SPOTLIGHT_VEIL
            },
        });
        for feature_ref in spotlit_zones(frame) {
            let Some(feature) = frame.atlas.feature(feature_ref) else {
                continue;
            };
            if !matches!(feature.shape, Shape::Area(_)) {
                continue;
            }
            let area = style::area_style(&feature);
            if let Some(color) = area.fill {
                // Over the veil the fill must hide it: composite it on the land colour.
                let color = color.faded(frame.opacity(feature_ref.layer));
                frame.fill(feature_ref, color.over(style::LAND));
            }
            if let Some(line) = area.outline {
                frame.stroke(feature_ref, line);
            }
        }
        point_zone_extents(frame);
    }
}

/// The shown zones in the spotlight or inside a spotlit zone (the science city with its core
/// and districts), bottom first.
fn spotlit_zones(frame: &Frame<'_>) -> Vec<FeatureRef> {
    let atlas = frame.atlas;
    let spotlight = &frame.options.highlight.spotlight;
    let mut spotlit: Vec<FeatureRef> = atlas
        .zones()
        .filter(|(r, f)| {
            ZONE_LAYERS.contains(&r.layer)
                && frame.shown(r.layer)
                && inside_spotlight(atlas, spotlight, f)
        })
        .map(|(r, _)| r)
        .collect();
    spotlit.sort_by_key(|f| ZONE_LAYERS.iter().position(|l| *l == f.layer));
    spotlit
}

/// Whether a zone or one of its ancestors (up to four levels) is spotlit.
fn inside_spotlight(atlas: &Atlas, spotlight: &[FeatureRef], feature: &Feature) -> bool {
    let mut current = Some(std::borrow::Cow::Borrowed(feature));
    for _ in 0..4 {
        let Some(zone) = current else { break };
        if spotlight.iter().any(|s| {
            atlas
                .feature(*s)
                .is_some_and(|spotlit| spotlit.id == zone.id)
        }) {
            return true;
        }
        current = zone
            .zone()
            .and_then(|info| info.parent.as_deref())
            .and_then(|parent| atlas.find(parent))
            .map(|(_, f)| f);
    }
    false
}

fn point_zone_extents(frame: &mut Frame<'_>) {
    for &feature_ref in &frame.options.highlight.spotlight {
        let Some(feature) = frame.atlas.feature(feature_ref) else {
            continue;
        };
        if let (Shape::Point(point), Some(metres)) = (
            &feature.shape,
            feature.zone().and_then(|zone| zone.accuracy_m),
        ) {
            let radius = (metres / frame.view.metres_per_point()) as f32;
            frame.items.push(Item::Circle {
                center: frame.view.project(point.0),
                radius: radius.max(14.0),
                fill: Some(style::spotlight_extent_fill()),
                style: style::SPOTLIGHT_EXTENT_LINE,
            });
        }
    }
}
