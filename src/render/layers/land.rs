//! The land: the context provinces with their coarse outlines, then Sichuan and Chongqing over
//! them, so that the coarse lines never cross the atlas's own area. Basemap packages are
//! drawn over the land (where they have no tiles, the land shows).

use super::frame::{Frame, SceneLayer};
use crate::model::LayerId;
use crate::render::style;

pub struct Land;

impl SceneLayer for Land {
    fn key(&self) -> &'static str {
        "land"
    }

    fn under_basemaps(&self) -> bool {
        true
    }

    fn add(&self, frame: &mut Frame<'_>) {
        if !frame.shown(LayerId::Provinces) {
            return;
        }
        let opacity = frame.opacity(LayerId::Provinces);
        let provinces = frame.visible_in(LayerId::Provinces);
        for focus in [false, true] {
            for &feature_ref in provinces {
                let Some(feature) = frame.atlas.feature(feature_ref) else {
                    continue;
                };
                if (feature.rank <= 1) != focus {
                    continue;
                }
                let area = style::area_style(&feature);
                if let Some(color) = area.fill {
                    frame.fill(feature_ref, color.faded(opacity));
                }
                if let (false, Some(line)) = (focus, area.outline) {
                    frame.stroke(feature_ref, line.faded(opacity));
                }
            }
        }
    }
}
