//! What a legend says: a row per layer the map draws (districts by colour), the selected
//! zone's cooperation arrows by industry chain, what the spotlight and the dashed lines mean.
//! The window's layer list and the export's legend both read these rows and draw their
//! symbols with their own painters; every symbol comes from the style table.

use std::collections::HashSet;

use super::options::{Highlight, LayerSettings};
use super::scene::Scene;
use super::style::{self, AreaStyle, LegendSymbol, Rgba};
use crate::model::{Atlas, Feature, FeatureRef, LayerId, Shape, Text, ZoneKind};

/// One row of a legend.
#[derive(Debug, Clone, PartialEq)]
pub struct LegendEntry {
    pub symbol: LegendSymbol,
    pub label: Text,
    /// A sub-row (a district under its layer, a chain under the arrows).
    pub indented: bool,
}

impl LegendEntry {
    fn new(symbol: LegendSymbol, label: Text, indented: bool) -> Self {
        Self {
            symbol,
            label,
            indented,
        }
    }
}

/// The zone kind a zone layer is named after (the economic circle's layer also holds the
/// units only partly in it).
fn main_kind(layer: LayerId) -> Option<ZoneKind> {
    match layer {
        LayerId::Corridor => Some(ZoneKind::Corridor),
        LayerId::ScienceCity => Some(ZoneKind::ScienceCity),
        LayerId::Districts => Some(ZoneKind::District),
        LayerId::Core => Some(ZoneKind::Core),
        LayerId::Hubs => Some(ZoneKind::Hub),
        _ => None,
    }
}

/// The first feature of a layer of the given zone kind.
fn first_of(atlas: &Atlas, layer: LayerId, kind: ZoneKind) -> Option<&Feature> {
    atlas
        .layer(layer)?
        .features
        .as_rows()?
        .iter()
        .find(|f| f.zone().is_some_and(|zone| zone.kind == kind))
}

/// The symbol of a layer: its features' style on the map.
pub fn layer_symbol(atlas: &Atlas, layer: LayerId) -> LegendSymbol {
    match layer {
        LayerId::Provinces => LegendSymbol::Area(AreaStyle {
            fill: Some(style::LAND),
            outline: Some(style::boundary_style(LayerId::Provinces)),
        }),
        LayerId::Prefectures | LayerId::Counties | LayerId::Boundaries => {
            LegendSymbol::Line(style::boundary_style(layer))
        }
        LayerId::Rivers => LegendSymbol::Line(style::river_style(1)),
        LayerId::Platforms => LegendSymbol::Dots(
            ["university", "industrial park", "research institute"]
                .into_iter()
                .map(style::platform_colour)
                .collect(),
        ),
        LayerId::Places => LegendSymbol::Dots(vec![style::PLACE_LABEL.color]),
        LayerId::Hubs => {
            let hub = first_of(atlas, layer, ZoneKind::Hub).and_then(style::marker_style);
            hub.map_or(LegendSymbol::Dots(vec![style::HUB_COLOUR]), |marker| {
                LegendSymbol::Marker(marker)
            })
        }
        LayerId::Corridor | LayerId::ScienceCity | LayerId::Districts | LayerId::Core => {
            let kind = main_kind(layer).unwrap_or(ZoneKind::Corridor);
            LegendSymbol::Area(match first_of(atlas, layer, kind) {
                Some(feature) => style::area_style(feature),
                None => style::zone_style(kind, crate::model::Boundary::Administrative, ""),
            })
        }
        LayerId::User(_) => atlas
            .user_layer(layer)
            .map_or(LegendSymbol::Dots(vec![style::MIXED_CLUSTER]), |user| {
                super::layers::user_legend_symbol(user, None)
            }),
    }
}

/// A user's layer's rows: its name and symbol, and a sub-row per category.
pub fn user_entries(atlas: &Atlas, layer: LayerId) -> Vec<LegendEntry> {
    let Some(user) = atlas.user_layer(layer) else {
        return Vec::new();
    };
    let mut rows = vec![LegendEntry::new(
        layer_symbol(atlas, layer),
        atlas.layer_title(layer),
        false,
    )];
    for category in &user.categories {
        let other = category.color == crate::model::user::OTHER && user.has_other();
        let label = if other {
            Text::new("其他", "other")
        } else if category.value.is_empty() {
            Text::new("（空）", "(empty)")
        } else {
            Text::new(category.value.clone(), category.value.clone())
        };
        rows.push(LegendEntry::new(
            super::layers::user_legend_symbol(user, Some(category.color)),
            label,
            true,
        ));
    }
    rows
}

/// A row per layer: its title and symbol.
pub fn layer_entry(atlas: &Atlas, layer: LayerId) -> LegendEntry {
    LegendEntry::new(layer_symbol(atlas, layer), layer.title(), false)
}

/// A sub-row per science-city district that `keep` accepts, in its own colour.
pub fn district_entries(atlas: &Atlas, keep: impl Fn(FeatureRef) -> bool) -> Vec<LegendEntry> {
    atlas
        .zones()
        .filter(|(r, _)| r.layer == LayerId::Districts && keep(*r))
        .map(|(_, feature)| {
            LegendEntry::new(
                LegendSymbol::Area(style::area_style(feature)),
                feature.name.clone(),
                true,
            )
        })
        .collect()
}

/// A sub-row per platform category that `keep` accepts (by the platforms drawn), in its
/// marker's colour, in the categories' order.
pub fn platform_entries(atlas: &Atlas, keep: impl Fn(FeatureRef) -> bool) -> Vec<LegendEntry> {
    let Some(layer) = atlas.layer(LayerId::Platforms) else {
        return Vec::new();
    };
    let present: HashSet<&str> = layer
        .features
        .as_rows()
        .unwrap_or_default()
        .iter()
        .enumerate()
        .filter(|(index, _)| {
            keep(FeatureRef {
                layer: LayerId::Platforms,
                index: *index as u32,
            })
        })
        .filter_map(|(_, feature)| match &feature.kind {
            crate::model::FeatureKind::Platform(platform) => Some(platform.category.as_str()),
            _ => None,
        })
        .collect();
    crate::model::category::PLATFORM_CATEGORIES
        .iter()
        .filter(|(key, ..)| present.contains(key))
        .map(|(key, zh, en)| {
            LegendEntry::new(
                LegendSymbol::Marker(style::MarkerStyle {
                    shape: style::MarkerShape::Circle,
                    radius: 4.5,
                    fill: style::platform_colour(key),
                    outline: style::WHITE,
                    outline_width: 1.5,
                }),
                Text::new(*zh, *en),
                true,
            )
        })
        .collect()
}

/// The row that says what a cluster's number means (in the window, that a click lists them;
/// a printed page cannot be clicked).
pub fn cluster_entry(in_window: bool) -> LegendEntry {
    LegendEntry::new(
        LegendSymbol::Marker(style::MarkerStyle {
            shape: style::MarkerShape::Circle,
            radius: style::CLUSTER_MIN_RADIUS,
            fill: style::MIXED_CLUSTER,
            outline: style::WHITE,
            outline_width: 1.5,
        }),
        if in_window {
            Text::new(
                "带数字的圆：该处重叠的平台与创新区数（单击列出）",
                "Numbered circle: platforms and innovation areas sharing the spot (click to list)",
            )
        } else {
            Text::new(
                "带数字的圆：该处重叠的平台与创新区数",
                "Numbered circle: platforms and innovation areas sharing the spot",
            )
        },
        true,
    )
}

/// The row that says what dashed outlines mean, its line in `text_colour`.
pub fn approximate_entry(text_colour: Rgba) -> LegendEntry {
    LegendEntry::new(
        LegendSymbol::Line(style::approximate_line(text_colour)),
        Text::new(
            "虚线：近似边界，非官方范围",
            "Dashed: approximate boundary, not official",
        ),
        false,
    )
}

/// The legend of a map: the spotlight, then a row per layer the map draws (as QGIS's "only
/// show items inside the map"; boundary lines and place names whenever shown), the districts
/// it draws, and the arrows by industry chain. The "dashed" row is not included.
pub fn map_legend(
    atlas: &Atlas,
    scene: &Scene,
    layers: &LayerSettings,
    highlight: &Highlight,
) -> Vec<LegendEntry> {
    let mut rows = spotlight_entries(atlas, highlight);
    let drawn: HashSet<FeatureRef> = scene.items.iter().filter_map(|i| i.feature()).collect();
    // The user's layers are drawn on top: listed first, the top one first.
    let user: Vec<LayerId> = atlas.user_layers().map(|(id, _)| id).collect();
    for &layer in user.iter().rev() {
        if layers.visible(layer) && drawn.iter().any(|f| f.layer == layer) {
            rows.extend(user_entries(atlas, layer));
        }
    }
    let always = [
        LayerId::Provinces,
        LayerId::Prefectures,
        LayerId::Counties,
        LayerId::Places,
    ];
    for layer in LayerId::ALL.into_iter().rev() {
        if !layers.visible(layer)
            || atlas.layer(layer).is_none_or(|l| l.features.is_empty())
            || !(always.contains(&layer) || drawn.iter().any(|f| f.layer == layer))
        {
            continue;
        }
        rows.push(layer_entry(atlas, layer));
        if layer == LayerId::Districts {
            rows.extend(district_entries(atlas, |r| drawn.contains(&r)));
        }
        if layer == LayerId::Platforms {
            // Drawn as themselves or inside a cluster (whose marker names one of them).
            let clustered = scene.items.iter().any(
                |item| matches!(item, super::Item::Marker { feature, count, .. } if *count > 1 && feature.layer == layer),
            );
            let bounds = scene.view.bounds();
            let on_page = |r: FeatureRef| {
                atlas.feature(r).is_some_and(|f| {
                    matches!(f.shape, Shape::Point(p) if geo::Intersects::intersects(&bounds, &p.0))
                })
            };
            rows.extend(platform_entries(atlas, |r| {
                drawn.contains(&r) || (clustered && on_page(r))
            }));
            if clustered {
                rows.push(cluster_entry(false));
            }
        }
    }
    rows.extend(arrow_entries(atlas, highlight));
    rows
}

/// What a spotlight shows: the lit subject, and the area of a zone known only as a point.
fn spotlight_entries(atlas: &Atlas, highlight: &Highlight) -> Vec<LegendEntry> {
    if highlight.spotlight.is_empty() {
        return Vec::new();
    }
    let mut rows = vec![LegendEntry::new(
        LegendSymbol::Spotlight,
        Text::new("亮处：本页重点", "Lit: the subject of this page"),
        false,
    )];
    let point_zone = highlight.spotlight.iter().any(|f| {
        atlas
            .feature(*f)
            .is_some_and(|f| matches!(f.shape, Shape::Point(_)) && f.zone().is_some())
    });
    if point_zone {
        rows.push(LegendEntry::new(
            LegendSymbol::Extent,
            Text::new(
                "虚线圆：无公开边界，按所述精度示意范围",
                "Dashed circle: no published outline; area as stated",
            ),
            false,
        ));
    }
    rows
}

/// The selected zone's cooperation arrows: a row, one sub-row per industry chain, and the
/// dashed kind.
fn arrow_entries(atlas: &Atlas, highlight: &Highlight) -> Vec<LegendEntry> {
    let links = &highlight.links;
    if links.is_empty() {
        return Vec::new();
    }
    let arrow =
        |chain: &str, transfer: bool| LegendSymbol::Arrow(style::arrow_style(chain, transfer));
    let mut rows = vec![LegendEntry::new(
        arrow("", false),
        Text::new("合作关系（按产业链）", "Cooperation (by industry chain)"),
        false,
    )];
    let mut chains: Vec<&str> = links.iter().map(|l| l.chain.as_str()).collect();
    chains.sort_unstable();
    chains.dedup();
    for chain in chains {
        let name = atlas
            .content()
            .industry(chain)
            .map_or_else(|| Text::new(chain, chain), |i| i.name());
        rows.push(LegendEntry::new(arrow(chain, false), name, true));
    }
    if links.iter().any(|l| l.transfer) {
        rows.push(LegendEntry::new(
            arrow("", true),
            Text::new("虚线箭头：产业转移", "Dashed: industry moving out"),
            true,
        ));
    }
    rows
}
