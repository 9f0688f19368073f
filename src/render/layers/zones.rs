//! The zones: their fills low in the stack (under the boundaries), their outlines above the
//! boundaries and rivers.

use super::frame::{Frame, SceneLayer, ZONE_LAYERS};
use crate::render::style;

/// The zones' fills, economic circle first, core last.
pub struct ZoneFills;

/// The zones' outlines (dashed where approximate).
pub struct ZoneOutlines;

impl SceneLayer for ZoneFills {
    fn key(&self) -> &'static str {
        "zone-fills"
    }

    fn add(&self, frame: &mut Frame<'_>) {
        for layer in ZONE_LAYERS {
            if !frame.shown(layer) {
                continue;
            }
            let mut opacity = frame.opacity(layer);
            if frame.options.basemap_below {
                opacity *= style::FILL_OVER_BASEMAP;
            }
            for &feature_ref in frame.visible_in(layer) {
                let Some(feature) = frame.atlas.feature(feature_ref) else {
                    continue;
                };
                if let Some(color) = style::area_style(&feature).fill {
                    frame.fill(feature_ref, color.faded(opacity));
                }
            }
        }
    }
}

impl SceneLayer for ZoneOutlines {
    fn key(&self) -> &'static str {
        "zone-outlines"
    }

    fn add(&self, frame: &mut Frame<'_>) {
        for layer in ZONE_LAYERS {
            if !frame.shown(layer) {
                continue;
            }
            let opacity = frame.opacity(layer);
            for &feature_ref in frame.visible_in(layer) {
                let Some(feature) = frame.atlas.feature(feature_ref) else {
                    continue;
                };
                if let Some(line) = style::area_style(&feature).outline {
                    frame.stroke(feature_ref, line.faded(opacity));
                }
            }
        }
    }
}
