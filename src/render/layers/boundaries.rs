//! Administrative boundaries: each shared edge once, finest first so that coarser ones lie on
//! top. An arc is drawn in the style of the most important visible layer it belongs to.

use super::frame::{Frame, SceneLayer};
use crate::model::LayerId;
use crate::render::style;

/// The layers a boundary arc of rank 1, 2, 3 belongs to, most important first: a province
/// border is also a prefecture and a county border.
const BOUNDARY_LAYERS: [LayerId; 3] = [LayerId::Provinces, LayerId::Prefectures, LayerId::Counties];

pub struct BoundaryLines;

impl SceneLayer for BoundaryLines {
    fn key(&self) -> &'static str {
        "boundaries"
    }

    fn add(&self, frame: &mut Frame<'_>) {
        let atlas = frame.atlas;
        let mut arcs: Vec<(u8, crate::model::FeatureRef)> = frame
            .visible_in(LayerId::Boundaries)
            .iter()
            .filter_map(|&feature_ref| Some((atlas.feature(feature_ref)?.rank, feature_ref)))
            .collect();
        arcs.sort_by_key(|(rank, _)| std::cmp::Reverse(*rank));
        for (rank, feature_ref) in arcs {
            let drawn_as = BOUNDARY_LAYERS
                .iter()
                .skip(usize::from(rank.clamp(1, 3)) - 1)
                .find(|layer| frame.shown(**layer));
            if let Some(&layer) = drawn_as {
                let line = style::boundary_style(layer).faded(frame.opacity(layer));
                frame.stroke(feature_ref, line);
            }
        }
    }
}
