//! Point symbols: platforms by category and the other innovation areas as diamonds (drawn over
//! the platforms). Markers that would overlap are drawn as one, with a count, and named
//! "20 个平台" once platforms are named at all; a chosen industry dims the markers without it.

use std::cmp::Reverse;

use super::frame::{Frame, LabelGroup, SceneLayer};
use super::labels::PLATFORM_LABEL_ZOOM;
use crate::model::{FeatureRef, Lang, LayerId, Shape};
use crate::render::labels::Candidate;
use crate::render::scene::Item;
use crate::render::style::{self, MarkerStyle};
use crate::text::text_width;

/// Markers closer than this (in points) are drawn as one, with a count; clusters then merge
/// while their discs overlap.
const CLUSTER_POINTS: f32 = 6.0;

/// Discs may touch by this much (in points) before they merge: a ring of outline each.
const TOUCH_POINTS: f32 = 1.0;

pub struct Markers;

/// A marker being placed: the feature it stands for, where, how, and how many it covers.
struct Placed {
    feature: FeatureRef,
    at: [f32; 2],
    style: MarkerStyle,
    count: u32,
    /// Whether a feature with the chosen industry is among those it stands for.
    emphasised: bool,
    /// Whether the feature it is drawn as was picked for the selection, hover or industry.
    focused: bool,
    members: Vec<FeatureRef>,
}

impl Placed {
    /// The radius it is drawn with (a cluster is at least a cluster's size).
    fn drawn_radius(&self) -> f32 {
        if self.count > 1 {
            self.style.radius.max(style::CLUSTER_MIN_RADIUS)
        } else {
            self.style.radius
        }
    }

    /// Takes `other` in: its count and members, the place between the two (weighted by
    /// count), and the look of whichever was picked out.
    fn absorb(&mut self, other: Placed, opacity: f32) {
        let mixed = self.style.shape != other.style.shape;
        let total = (self.count + other.count) as f32;
        let share = other.count as f32 / total;
        self.at = [
            self.at[0] + (other.at[0] - self.at[0]) * share,
            self.at[1] + (other.at[1] - self.at[1]) * share,
        ];
        self.count += other.count;
        self.emphasised |= other.emphasised;
        if other.focused && !self.focused {
            self.feature = other.feature;
            self.style = other.style;
            self.focused = true;
        } else if !self.focused && self.style.fill != other.style.fill {
            self.style.fill = style::MIXED_CLUSTER.faded(opacity);
        }
        if mixed {
            // Platforms and innovation areas together: the neutral numbered circle.
            self.style.shape = style::MarkerShape::Circle;
            if !self.focused {
                self.style.fill = style::MIXED_CLUSTER.faded(opacity);
            }
        }
        self.members.extend(other.members);
    }
}

impl SceneLayer for Markers {
    fn key(&self) -> &'static str {
        "markers"
    }

    fn add(&self, frame: &mut Frame<'_>) {
        let mut placed: Vec<Placed> = Vec::new();
        for layer in [LayerId::Platforms, LayerId::Hubs] {
            if frame.shown(layer) {
                place_layer(frame, layer, &mut placed);
            }
        }
        // A platform's cluster over an innovation area's diamond is as unreadable as two
        // clusters: far out, what shares a spot is one marker, listing both kinds.
        merge_overlapping(&mut placed, |layer| frame.opacity(layer), true);
        for mut marker in placed {
            if marker.count > 1 {
                marker.style.radius = marker.drawn_radius();
                name_cluster(frame, &marker);
                frame.clusters.push(crate::render::scene::Cluster {
                    at: marker.at,
                    members: std::mem::take(&mut marker.members),
                });
            }
            if marker.emphasised {
                frame.items.push(Item::Circle {
                    center: marker.at,
                    radius: marker.style.radius + style::EMPHASIS_HALO_SPREAD,
                    fill: Some(style::EMPHASIS_HALO_FILL),
                    style: style::EMPHASIS_HALO_LINE,
                });
            }
            frame.items.push(Item::Marker {
                feature: marker.feature,
                at: marker.at,
                style: marker.style,
                count: marker.count,
            });
        }
    }
}

/// Places the markers of one layer, merging those that share a spot, then those whose discs
/// would overlap: two numbered discs drawn over each other read as one blob of digits.
fn place_layer(frame: &Frame<'_>, layer: LayerId, placed: &mut Vec<Placed>) {
    let mut own = Vec::new();
    place_points(frame, layer, &mut own);
    merge_overlapping(&mut own, |layer| frame.opacity(layer), false);
    placed.extend(own);
}

/// Merges markers whose discs overlap, until none do: of the same shape only, or of any
/// (`across`, a layer's clusters already made).
fn merge_overlapping(placed: &mut Vec<Placed>, opacity: impl Fn(LayerId) -> f32, across: bool) {
    loop {
        let pair = (0..placed.len()).find_map(|i| {
            (i + 1..placed.len())
                .find(|&j| {
                    let (a, b) = (&placed[i], &placed[j]);
                    (across || a.style.shape == b.style.shape)
                        && distance(a.at, b.at) < a.drawn_radius() + b.drawn_radius() - TOUCH_POINTS
                })
                .map(|j| (i, j))
        });
        let Some((i, j)) = pair else {
            return;
        };
        let other = placed.remove(j);
        let opacity = opacity(placed[i].feature.layer);
        placed[i].absorb(other, opacity);
    }
}

/// Places the points of one layer, those within a few points of each other as one.
fn place_points(frame: &Frame<'_>, layer: LayerId, placed: &mut Vec<Placed>) {
    let highlight = &frame.options.highlight;
    let opacity = frame.opacity(layer);
    for &feature_ref in frame.visible_in(layer) {
        let Some(feature) = frame.atlas.feature(feature_ref) else {
            continue;
        };
        let (Some(marker), Shape::Point(point)) = (style::marker_style(&feature), &feature.shape)
        else {
            continue;
        };
        let at = frame.view.project(point.0);
        let emphasised = highlight.emphasised.contains(&feature_ref);
        let focused =
            highlight.selected == Some(feature_ref) || highlight.hovered == Some(feature_ref);
        let marker = highlighted(frame, feature_ref, marker, opacity);
        match placed.iter_mut().find(|other| {
            other.feature.layer == feature_ref.layer
                && other.style.shape == marker.shape
                && distance(other.at, at) < CLUSTER_POINTS
        }) {
            Some(cluster) => {
                cluster.count += 1;
                cluster.emphasised |= emphasised;
                cluster.members.push(feature_ref);
                if focused || emphasised {
                    cluster.feature = feature_ref;
                    cluster.style = marker;
                    cluster.focused = true;
                } else if cluster.style.fill != marker.fill {
                    cluster.style.fill = style::MIXED_CLUSTER.faded(opacity);
                }
            }
            None => placed.push(Placed {
                feature: feature_ref,
                at,
                style: marker,
                count: 1,
                emphasised,
                focused: focused || emphasised,
                members: vec![feature_ref],
            }),
        }
    }
}

/// A marker as the highlight shows it: dimmed without the chosen industry, outlined in the
/// hover, selection or emphasis colour, and larger when focused or emphasised.
fn highlighted(
    frame: &Frame<'_>,
    feature: FeatureRef,
    mut marker: MarkerStyle,
    opacity: f32,
) -> MarkerStyle {
    let highlight = &frame.options.highlight;
    let dim = !highlight.emphasised.is_empty();
    let emphasised = highlight.emphasised.contains(&feature);
    let selected = highlight.selected == Some(feature);
    let focused = selected || highlight.hovered == Some(feature);
    marker.fill = marker.fill.faded(if dim && !emphasised {
        style::DIMMED * opacity
    } else {
        opacity
    });
    marker.outline = if selected {
        style::SELECTED
    } else if focused {
        style::HOVER
    } else if emphasised {
        style::EMPHASIS
    } else {
        marker.outline.faded(opacity)
    };
    if focused || emphasised {
        marker.radius += style::FOCUS_GROWTH;
    }
    marker
}

/// The features of `layer` a cluster marker at `at` (viewport points) stands for: those drawn
/// within a cluster's reach of it in `view`.
pub fn cluster_members(
    atlas: &crate::model::Atlas,
    view: &crate::render::View,
    layer: LayerId,
    at: [f32; 2],
) -> Vec<FeatureRef> {
    let Some(layer) = atlas.layer(layer) else {
        return Vec::new();
    };
    layer
        .features
        .iter()
        .enumerate()
        .filter(|(_, candidate)| {
            matches!(candidate.shape, Shape::Point(point)
                if distance(view.project(point.0), at) < CLUSTER_POINTS)
        })
        .map(|(index, _)| FeatureRef {
            layer: layer.id,
            index: index as u32,
        })
        .collect()
}

/// Records the features a cluster stands for (their own names would all compete for its spot)
/// and offers its "n 个平台" label.
fn name_cluster(frame: &mut Frame<'_>, cluster: &Placed) {
    let view = frame.view;
    frame.clustered.extend(cluster.members.iter().copied());
    // Under a spotlight the few spotlit points are named one by one, not as "n platforms".
    if cluster
        .members
        .iter()
        .any(|m| m.layer != LayerId::Platforms)
        || view.zoom < PLATFORM_LABEL_ZOOM
        || frame.spotlit()
    {
        return;
    }
    let count = cluster.count;
    let text = match frame.options.lang {
        Lang::Zh => format!("{count} 个平台"),
        Lang::En => format!("{count} platforms"),
    };
    let label = style::CLUSTER_LABEL;
    let width = text_width(&text, label.size);
    let [x, y] = cluster.at;
    frame.offer_label(
        (LabelGroup::Clusters, 0, Reverse(LayerId::Provinces)),
        Candidate {
            anchor: [x + cluster.style.radius + 3.0 + width / 2.0, y],
            text,
            style: label,
            mirror: None,
            angle: 0.0,
        },
    );
}

fn distance(a: [f32; 2], b: [f32; 2]) -> f32 {
    (a[0] - b[0]).hypot(a[1] - b[1])
}
