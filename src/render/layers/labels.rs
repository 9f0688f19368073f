//! Labels: the names of the visible features, offered by priority (the two metropolises and
//! province names, then zones, then cities and counties), placed with the arrows' and
//! clusters' labels so that none overlaps another. Under a spotlight, names outside the lit
//! zones keep only a faint halo (bright halos would glare on the veil).

use std::cmp::Reverse;

use super::frame::{Frame, LabelGroup, SceneLayer};
use crate::model::{Feature, FeatureKind, FeatureRef, LayerId, ZoneKind};
use crate::render::labels::{self, Candidate};
use crate::render::scene::Item;
use crate::render::style;
use crate::text::text_width;

/// Platforms are named on the map from this zoom on (before, their markers would crowd).
pub const PLATFORM_LABEL_ZOOM: f64 = 11.5;

pub struct Labels;

/// Labels longer than this (in bytes: 80 Chinese characters) are not offered.
const MAX_LABEL_BYTES: usize = 240;

impl SceneLayer for Labels {
    fn key(&self) -> &'static str {
        "labels"
    }

    fn add(&self, frame: &mut Frame<'_>) {
        offer_names(frame);
        let mut candidates = std::mem::take(&mut frame.labels);
        candidates.sort_by_key(|ranked| ranked.rank);
        let lit = lit_boxes(frame);
        let spotlit = frame.spotlit();
        // Off what covers the map, and off the clusters' markers (a name on a cluster hides
        // its count).
        let mut obstacles = frame.options.keep_clear.clone();
        obstacles.extend(frame.items.iter().filter_map(|item| match item {
            Item::Marker {
                at, style, count, ..
            } if *count > 1 => Some([
                at[0] - style.radius,
                at[1] - style.radius,
                at[0] + style.radius,
                at[1] + style.radius,
            ]),
            _ => None,
        }));
        let placed = labels::place_around(
            candidates.into_iter().map(|ranked| ranked.candidate),
            frame.view.size,
            &obstacles,
        );
        frame.items.extend(placed.into_iter().map(|mut label| {
            let [x, y] = label.anchor;
            let in_light = lit
                .iter()
                .any(|r| x >= r[0] && x <= r[2] && y >= r[1] && y <= r[3]);
            if spotlit && !in_light {
                label.style.halo = label.style.halo.faded(style::SPOTLIGHT_HALO);
            }
            Item::Label(label)
        }));
    }
}

/// The screen boxes of the spotlit features.
fn lit_boxes(frame: &Frame<'_>) -> Vec<[f32; 4]> {
    frame
        .options
        .highlight
        .spotlight
        .iter()
        .filter_map(|f| frame.atlas.feature(*f)?.shape.bounding_rect())
        .map(|bounds| {
            let [x0, y1] = frame.view.project(bounds.min());
            let [x1, y0] = frame.view.project(bounds.max());
            [x0, y0, x1, y1]
        })
        .collect()
}

/// Offers the name of every visible feature that should be named at this view.
fn offer_names(frame: &mut Frame<'_>) {
    let spotlit = frame.spotlit();
    for &feature_ref in frame.visible {
        // Features in a cluster are named by its count, except under a spotlight.
        if !spotlit && frame.clustered.contains(&feature_ref) {
            continue;
        }
        let layer = feature_ref.layer;
        // A user's layer offers its own labels (from the field the user chose).
        if layer.is_user() {
            break;
        }
        if !frame.shown(layer) || frame.opacity(layer) <= 0.05 {
            continue;
        }
        // Under a spotlight, points outside it go unnamed: they are context, not the subject.
        let emphasised = frame.options.highlight.emphasised.contains(&feature_ref);
        if spotlit && matches!(layer, LayerId::Platforms | LayerId::Hubs) && !emphasised {
            continue;
        }
        let Some(feature) = frame.atlas.feature(feature_ref) else {
            continue;
        };
        let Some(candidate) = name_of(frame, &feature) else {
            continue;
        };
        if let Some(priority) = priority(frame, feature_ref, &feature, &candidate) {
            frame.offer_label((LabelGroup::Names, priority, Reverse(layer)), candidate);
        }
    }
}

/// The feature's name at its label point, if it has one and is named at this zoom.
fn name_of(frame: &Frame<'_>, feature: &Feature) -> Option<Candidate> {
    let point = feature.label_point?;
    let label_style = style::label_style(feature);
    let zoom = frame.view.zoom;
    if zoom < label_style.min_zoom || zoom > label_style.max_zoom {
        return None;
    }
    let text = feature.label_text(frame.options.lang);
    // No label this long fits a map; one from a user's file is not measured whole every frame.
    if text.is_empty() || text.len() > MAX_LABEL_BYTES {
        return None;
    }
    let mut anchor = frame.view.project(point.0);
    let mut mirror = None;
    // Point symbols are labelled to their right, not on top of them (to their left when a
    // cluster is on the right).
    if let Some(marker) = style::marker_style(feature) {
        let offset = marker.radius + 3.0 + text_width(text, label_style.size) / 2.0;
        mirror = Some([anchor[0] - offset, anchor[1]]);
        anchor[0] += offset;
    }
    Some(Candidate {
        text: text.to_string(),
        anchor,
        style: label_style,
        mirror,
        angle: 0.0,
    })
}

/// When the name is tried (lower first), or `None` when it is not shown at all.
fn priority(
    frame: &Frame<'_>,
    feature_ref: FeatureRef,
    feature: &Feature,
    candidate: &Candidate,
) -> Option<u8> {
    let options = frame.options;
    let spotlit = frame.spotlit() && options.highlight.emphasised.contains(&feature_ref);
    let is_marker = style::marker_style(feature).is_some();
    match &feature.kind {
        // What a spotlight is on is named before anything else.
        FeatureKind::Platform(_) | FeatureKind::Zone(_) if spotlit => Some(0),
        FeatureKind::Platform(_) if frame.view.zoom >= PLATFORM_LABEL_ZOOM => Some(5),
        FeatureKind::Platform(_) => None,
        FeatureKind::Zone(_) if is_marker => Some(1),
        // The science city is exactly its core and five districts: when those are shown,
        // their labels name its parts and its own would sit on top of them.
        FeatureKind::Zone(zone)
            if zone.kind == ZoneKind::ScienceCity
                && (options.layers.visible(LayerId::Core)
                    || options.layers.visible(LayerId::Districts)) =>
        {
            None
        }
        FeatureKind::Zone(_) => fits_zone(frame, feature, candidate).then_some(1),
        FeatureKind::Place { rank } => Some(if *rank <= 1 { 0 } else { rank + 1 }),
        _ => None,
    }
}

/// A zone is named when it is wide enough on screen to hold its name, and not so wide that the
/// view is inside it (its name would sit on its children's).
fn fits_zone(frame: &Frame<'_>, feature: &Feature, candidate: &Candidate) -> bool {
    let Some(bounds) = feature.shape.bounding_rect() else {
        return false;
    };
    let [x0, _] = frame.view.project(bounds.min());
    let [x1, _] = frame.view.project(bounds.max());
    let width = x1 - x0;
    width >= text_width(&candidate.text, candidate.style.size) * 0.9
        && width <= frame.view.size[0] * 1.5
}
