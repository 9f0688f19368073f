//! What is drawn over the zones: point markers (clustered where they share a spot), the
//! highlight of the hovered and selected features, the emphasis of a searched industry, the
//! selected platform's accuracy circle and the cooperation arrows of the selected zone.

use super::labels::Candidate;
use super::projection::View;
use super::scene::{Item, LinkArrow, SceneBuilder, SceneOptions};
use super::style::{self, LabelStyle, LineStyle, MarkerStyle, Rgba};
use crate::model::{Atlas, FeatureRef, LayerId, Shape};

/// Markers closer than this (in points) are drawn as one, with a count.
const CLUSTER_POINTS: f32 = 6.0;

pub const HOVER: Rgba = Rgba::rgb(0x00, 0x7a, 0xff);
pub const SELECTED: Rgba = Rgba::rgb(0x11, 0x11, 0x11);
pub const EMPHASIS: Rgba = Rgba::rgb(0xff, 0xc4, 0x00);

/// The colour of a cooperation arrow, by industry chain.
pub fn chain_colour(chain: &str) -> Rgba {
    match chain {
        "ngit" => Rgba::rgb(0x15, 0x65, 0xc0),
        "health" => Rgba::rgb(0x2e, 0x7d, 0x32),
        "advanced-manufacturing" => Rgba::rgb(0xe6, 0x51, 0x00),
        _ => Rgba::rgb(0x55, 0x55, 0x55),
    }
}

/// The cooperation links of a zone, as arrows labelled in `lang` (none for other features).
pub fn cooperation_links(
    atlas: &Atlas,
    feature: FeatureRef,
    lang: crate::model::Lang,
) -> Vec<LinkArrow> {
    let Some(zone) = atlas.feature(feature).filter(|f| f.zone().is_some()) else {
        return Vec::new();
    };
    let content = &atlas.content;
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
                transfer: link.kind == crate::model::content::LinkKind::Transfer,
                chain: link.chain.clone(),
                label: fields.join(lang.pick("、", ", ")),
            })
        })
        .collect()
}

fn is_point_layer(layer: LayerId) -> bool {
    matches!(layer, LayerId::Hubs | LayerId::Platforms)
}

pub(super) fn add(
    builder: &mut SceneBuilder,
    atlas: &Atlas,
    view: &View,
    options: &SceneOptions,
    visible: &[FeatureRef],
    band: u8,
    items: &mut Vec<Item>,
) {
    let highlight = &options.highlight;
    // Emphasised areas (features with the searched industry): a wide yellow outline.
    for &feature_ref in &highlight.emphasised {
        if is_point_layer(feature_ref.layer) || !options.layers.visible(feature_ref.layer) {
            continue;
        }
        let line = LineStyle {
            width: 4.0,
            color: EMPHASIS,
            dash: None,
        };
        builder.push_stroke(atlas, items, feature_ref, band, line);
    }
    // The hovered and the selected area.
    for (feature_ref, colour, width) in [
        (highlight.hovered, HOVER, 2.0),
        (highlight.selected, SELECTED, 3.0),
    ] {
        let Some(feature_ref) = feature_ref.filter(|f| !is_point_layer(f.layer)) else {
            continue;
        };
        let line = LineStyle {
            width,
            color: colour,
            dash: None,
        };
        builder.push_stroke(atlas, items, feature_ref, band, line);
    }
    // The selected platform's accuracy: the true site may be anywhere in this circle.
    if let Some(selected) = highlight.selected
        && let Some(feature) = atlas.feature(selected)
        && let (Some(platform), Shape::Point(point)) = (feature.platform(), &feature.shape)
    {
        let radius = (platform.accuracy_m / view.metres_per_point()) as f32;
        if radius > 6.0 {
            items.push(Item::Circle {
                center: view.project(point.0),
                radius,
                fill: Some(Rgba::new(0x11, 0x11, 0x11, 18)),
                style: LineStyle {
                    width: 1.2,
                    color: SELECTED,
                    dash: Some((5.0, 4.0)),
                },
            });
        }
    }
    cooperation_arrows(atlas, view, options, items);
    markers(atlas, view, options, visible, items);
}

fn markers(
    atlas: &Atlas,
    view: &View,
    options: &SceneOptions,
    visible: &[FeatureRef],
    items: &mut Vec<Item>,
) {
    let highlight = &options.highlight;
    let dim = !highlight.emphasised.is_empty();
    let mut placed: Vec<(FeatureRef, [f32; 2], MarkerStyle, u32)> = Vec::new();
    // Hubs over platforms: draw platforms first.
    for layer in [LayerId::Platforms, LayerId::Hubs] {
        if !options.layers.visible(layer) {
            continue;
        }
        let opacity = options.layers.get(layer).opacity;
        for &feature_ref in visible.iter().filter(|f| f.layer == layer) {
            let Some(feature) = atlas.feature(feature_ref) else {
                continue;
            };
            let (Some(mut marker), Shape::Point(point)) =
                (style::marker_style(feature), &feature.shape)
            else {
                continue;
            };
            let at = view.project(point.0);
            let emphasised = highlight.emphasised.contains(&feature_ref);
            let focused =
                highlight.selected == Some(feature_ref) || highlight.hovered == Some(feature_ref);
            marker.fill = marker.fill.faded(if dim && !emphasised {
                0.3 * opacity
            } else {
                opacity
            });
            marker.outline = if focused {
                if highlight.selected == Some(feature_ref) {
                    SELECTED
                } else {
                    HOVER
                }
            } else if emphasised {
                EMPHASIS
            } else {
                marker.outline.faded(opacity)
            };
            if focused || emphasised {
                marker.radius += 2.0;
            }
            match placed.iter_mut().find(|(f, other, style, _)| {
                f.layer == feature_ref.layer
                    && style.shape == marker.shape
                    && distance(*other, at) < CLUSTER_POINTS
            }) {
                Some((first, _, style, count)) => {
                    *count += 1;
                    if focused || emphasised {
                        *first = feature_ref;
                        *style = marker;
                    } else if style.fill != marker.fill {
                        style.fill = Rgba::rgb(0x55, 0x5a, 0x64).faded(opacity);
                    }
                }
                None => placed.push((feature_ref, at, marker, 1)),
            }
        }
    }
    for (feature, at, mut style, count) in placed {
        if count > 1 {
            style.radius = style.radius.max(8.0);
        }
        items.push(Item::Marker {
            feature,
            at,
            style,
            count,
        });
    }
}

/// Labels of marker clusters ("20 个平台"), and the features they stand for (whose own labels
/// would all compete for the same spot).
pub(super) fn cluster_labels(
    items: &[Item],
    atlas: &Atlas,
    view: &View,
    options: &SceneOptions,
) -> (Vec<Candidate>, Vec<FeatureRef>) {
    let mut candidates = Vec::new();
    let mut clustered = Vec::new();
    for item in items {
        let Item::Marker {
            at,
            count,
            style,
            feature,
        } = item
        else {
            continue;
        };
        if *count <= 1 {
            continue;
        }
        // Every feature within the cluster distance of this marker, in its layer.
        for (feature_ref, candidate) in atlas.layer(feature.layer).into_iter().flat_map(|layer| {
            layer.features.iter().enumerate().map(move |(index, f)| {
                (
                    FeatureRef {
                        layer: layer.id,
                        index: index as u32,
                    },
                    f,
                )
            })
        }) {
            if let Shape::Point(point) = candidate.shape
                && distance(view.project(point.0), *at) < CLUSTER_POINTS
            {
                clustered.push(feature_ref);
            }
        }
        if feature.layer == LayerId::Platforms && view.zoom >= super::scene::PLATFORM_LABEL_ZOOM {
            let text = match options.lang {
                crate::model::Lang::Zh => format!("{count} 个平台"),
                crate::model::Lang::En => format!("{count} platforms"),
            };
            let width = super::labels::text_width(&text, 11.5);
            candidates.push(Candidate {
                anchor: [at[0] + style.radius + 3.0 + width / 2.0, at[1]],
                text,
                style: LabelStyle {
                    size: 11.5,
                    color: Rgba::rgb(0x33, 0x36, 0x3c),
                    halo: Rgba::new(255, 255, 255, 220),
                    min_zoom: 0.0,
                    max_zoom: 30.0,
                },
            });
        }
    }
    (candidates, clustered)
}

fn distance(a: [f32; 2], b: [f32; 2]) -> f32 {
    (a[0] - b[0]).hypot(a[1] - b[1])
}

/// Where an arrow to or from a zone attaches: its label point.
fn anchor(atlas: &Atlas, view: &View, zone: FeatureRef) -> Option<[f32; 2]> {
    atlas
        .feature(zone)?
        .label_point
        .map(|point| view.project(point.0))
}

fn cooperation_arrows(atlas: &Atlas, view: &View, options: &SceneOptions, items: &mut Vec<Item>) {
    let links = &options.highlight.links;
    for (index, link) in links.iter().enumerate() {
        let (Some(from), Some(to)) = (anchor(atlas, view, link.from), anchor(atlas, view, link.to))
        else {
            continue;
        };
        // Links between the same pair of zones bend apart, so that each stays visible.
        let siblings: Vec<usize> = links
            .iter()
            .enumerate()
            .filter(|(_, other)| other.from == link.from && other.to == link.to)
            .map(|(i, _)| i)
            .collect();
        let rank = siblings.iter().position(|&i| i == index).unwrap_or(0) as f32;
        let bend = 30.0 + 34.0 * rank;
        let (dx, dy) = (to[0] - from[0], to[1] - from[1]);
        let length = dx.hypot(dy).max(1.0);
        let middle = [(from[0] + to[0]) / 2.0, (from[1] + to[1]) / 2.0];
        let control = [
            middle[0] - dy / length * bend,
            middle[1] + dx / length * bend,
        ];
        // Stop short of the label point so that the head does not cover the zone's name.
        let shorten = 14.0_f32.min(length / 4.0);
        let to = [to[0] - dx / length * shorten, to[1] - dy / length * shorten];
        items.push(Item::Arrow {
            from,
            control,
            to,
            style: LineStyle {
                width: 2.4,
                color: chain_colour(&link.chain),
                dash: link.transfer.then_some((8.0, 5.0)),
            },
        });
    }
}

/// Labels at the middle of each cooperation arrow, placed before all other labels.
pub(super) fn arrow_labels(items: &[Item], options: &SceneOptions) -> Vec<Candidate> {
    let mut arrows = items.iter().filter_map(|item| match item {
        Item::Arrow {
            from,
            control,
            to,
            style,
        } => Some((*from, *control, *to, *style)),
        _ => None,
    });
    options
        .highlight
        .links
        .iter()
        .filter_map(|link| {
            let (from, control, to, style) = arrows.next()?;
            // The curve's midpoint: B(½) = ¼·from + ½·control + ¼·to.
            let at = [
                0.25 * from[0] + 0.5 * control[0] + 0.25 * to[0],
                0.25 * from[1] + 0.5 * control[1] + 0.25 * to[1],
            ];
            Some(Candidate {
                text: link.label.clone(),
                anchor: at,
                style: LabelStyle {
                    size: 12.0,
                    color: style.color,
                    halo: Rgba::new(255, 255, 255, 235),
                    min_zoom: 0.0,
                    max_zoom: 30.0,
                },
            })
        })
        .collect()
}
