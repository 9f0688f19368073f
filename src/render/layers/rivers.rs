//! Rivers, wider for the long ones.

use super::frame::{Frame, SceneLayer};
use crate::model::LayerId;
use crate::render::style;

pub struct Rivers;

impl SceneLayer for Rivers {
    fn key(&self) -> &'static str {
        "rivers"
    }

    fn add(&self, frame: &mut Frame<'_>) {
        if !frame.shown(LayerId::Rivers) {
            return;
        }
        let opacity = frame.opacity(LayerId::Rivers);
        for &feature_ref in frame.visible_in(LayerId::Rivers) {
            let Some(feature) = frame.atlas.feature(feature_ref) else {
                continue;
            };
            frame.stroke(feature_ref, style::river_style(feature.rank).faded(opacity));
        }
    }
}
