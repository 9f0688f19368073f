//! The scene: everything one view shows, as backend-neutral primitives in draw order. The
//! window paints it with egui; exports will write it as SVG. Building it does no per-vertex
//! work: geometry comes from the cache and is placed by one [`ScreenTransform`].

use std::collections::BTreeMap;
use std::sync::Arc;

use super::geometry::{GeometryCache, Prepared, band_for_zoom};
use super::labels::{self, Candidate, Placed};
use super::projection::{ScreenTransform, View};
use super::style::{self, LineStyle, MarkerStyle, Rgba};
use crate::index::SpatialIndex;
use crate::model::{Atlas, FeatureKind, FeatureRef, Lang, LayerId, ZoneKind};

/// Whether a layer is shown, and how opaque.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct LayerSetting {
    pub visible: bool,
    pub opacity: f32,
}

impl Default for LayerSetting {
    fn default() -> Self {
        Self {
            visible: true,
            opacity: 1.0,
        }
    }
}

/// Visibility and opacity of every layer.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct LayerSettings(BTreeMap<LayerId, LayerSetting>);

impl Default for LayerSettings {
    fn default() -> Self {
        Self(
            LayerId::ALL
                .into_iter()
                .map(|layer| (layer, LayerSetting::default()))
                .collect(),
        )
    }
}

impl LayerSettings {
    pub fn get(&self, layer: LayerId) -> LayerSetting {
        self.0.get(&layer).copied().unwrap_or_default()
    }

    pub fn get_mut(&mut self, layer: LayerId) -> &mut LayerSetting {
        self.0.entry(layer).or_default()
    }

    pub fn visible(&self, layer: LayerId) -> bool {
        self.get(layer).visible
    }

    /// Shows only `layers`; hides the rest.
    pub fn only(layers: &[LayerId]) -> Self {
        let mut settings = Self::default();
        for layer in LayerId::ALL {
            settings.get_mut(layer).visible = layers.contains(&layer);
        }
        settings
    }
}

/// What to draw besides the view itself.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SceneOptions {
    pub lang: Lang,
    pub layers: LayerSettings,
    pub highlight: Highlight,
}

/// What the user is pointing at, has chosen, or searched for.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Highlight {
    pub hovered: Option<FeatureRef>,
    pub selected: Option<FeatureRef>,
    /// Features that have the industry chosen in the search; other markers are dimmed.
    pub emphasised: Vec<FeatureRef>,
    /// Cooperation links drawn as arrows (those of the selected zone).
    pub links: Vec<LinkArrow>,
    /// Zones in the spotlight (a presentation stop): the rest of the map is veiled.
    pub spotlight: Vec<FeatureRef>,
}

/// A cooperation link to draw: from one zone to another, labelled with its fields.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkArrow {
    pub from: FeatureRef,
    pub to: FeatureRef,
    pub transfer: bool,
    pub chain: String,
    pub label: String,
}

/// One drawing primitive.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// Fill the triangles of an area.
    Fill {
        feature: FeatureRef,
        geometry: Arc<Prepared>,
        color: Rgba,
    },
    /// Stroke every ring or line of a feature.
    Stroke {
        feature: FeatureRef,
        geometry: Arc<Prepared>,
        style: LineStyle,
    },
    /// A point symbol; `count` > 1 when several features share the spot.
    Marker {
        feature: FeatureRef,
        at: [f32; 2],
        style: MarkerStyle,
        count: u32,
    },
    /// A circle in viewport points (a platform's position accuracy).
    Circle {
        center: [f32; 2],
        radius: f32,
        fill: Option<Rgba>,
        style: LineStyle,
    },
    /// A curved arrow (quadratic Bézier through `control`) with a head at `to`.
    Arrow {
        from: [f32; 2],
        control: [f32; 2],
        to: [f32; 2],
        style: LineStyle,
    },
    /// A translucent veil over everything drawn so far (the spotlight's dimming).
    Veil {
        color: Rgba,
    },
    Label(Placed),
}

/// Everything one view shows, bottom first.
#[derive(Debug, Clone, PartialEq)]
pub struct Scene {
    pub view: View,
    pub transform: ScreenTransform,
    pub background: Rgba,
    pub items: Vec<Item>,
}

impl Scene {
    /// Number of vertices the items reference (for benchmarks and tests).
    pub fn vertex_count(&self) -> usize {
        self.items
            .iter()
            .map(|item| match item {
                Item::Fill { geometry, .. } | Item::Stroke { geometry, .. } => {
                    geometry.vertices.len()
                }
                _ => 0,
            })
            .sum()
    }

    pub fn labels(&self) -> impl Iterator<Item = &Placed> {
        self.items.iter().filter_map(|item| match item {
            Item::Label(label) => Some(label),
            _ => None,
        })
    }
}

/// Builds scenes for one atlas, keeping the prepared geometry between frames.
pub struct SceneBuilder {
    cache: GeometryCache,
    index: SpatialIndex,
}

/// The veil over what is not in the spotlight.
pub const SPOTLIGHT_VEIL: Rgba = Rgba::new(0x10, 0x14, 0x1c, 125);

/// How much of a label's halo stays under a spotlight.
const SPOTLIGHT_HALO: f32 = 0.45;

/// Zone layers, bottom first.
const ZONE_LAYERS: [LayerId; 4] = [
    LayerId::Corridor,
    LayerId::ScienceCity,
    LayerId::Districts,
    LayerId::Core,
];

/// The layers a boundary arc of rank 1, 2, 3 belongs to, most important first: a province
/// border is also a prefecture and a county border.
const BOUNDARY_LAYERS: [LayerId; 3] = [LayerId::Provinces, LayerId::Prefectures, LayerId::Counties];

impl SceneBuilder {
    pub fn new(atlas: &Atlas) -> Self {
        Self {
            cache: GeometryCache::new(atlas),
            index: SpatialIndex::new(atlas),
        }
    }

    pub fn index(&self) -> &SpatialIndex {
        &self.index
    }

    pub fn cached_geometries(&self) -> usize {
        self.cache.len()
    }

    /// The scene for `view`. The passes follow cartographic practice: land, zone fills,
    /// boundaries (fine to coarse), rivers, zone outlines, labels.
    pub fn build(&mut self, atlas: &Atlas, view: &View, options: &SceneOptions) -> Scene {
        let band = band_for_zoom(view.zoom);
        let transform = ScreenTransform::new(view, self.cache.origin());
        let visible_features = self.index.in_bounds(view.bounds());
        let in_layer = |layer: LayerId| {
            let range_start = visible_features.partition_point(|f| f.layer < layer);
            let range_end = visible_features.partition_point(|f| f.layer <= layer);
            visible_features[range_start..range_end].to_vec()
        };
        let mut items = Vec::new();
        let opacity = |layer: LayerId| options.layers.get(layer).opacity;

        // 1. Land: the context provinces with their (coarse) outlines, then Sichuan and
        //    Chongqing over them, so that the coarse lines never cross the atlas's own area.
        if options.layers.visible(LayerId::Provinces) {
            let provinces = in_layer(LayerId::Provinces);
            let alpha = opacity(LayerId::Provinces);
            for focus in [false, true] {
                for &feature_ref in &provinces {
                    let Some(feature) = atlas.feature(feature_ref) else {
                        continue;
                    };
                    if (feature.rank <= 1) != focus {
                        continue;
                    }
                    let area = style::area_style(feature);
                    if let Some(color) = area.fill {
                        self.push_fill(atlas, &mut items, feature_ref, band, color.faded(alpha));
                    }
                    if let (false, Some(line)) = (focus, area.outline) {
                        self.push_stroke(
                            atlas,
                            &mut items,
                            feature_ref,
                            band,
                            faded_line(line, alpha),
                        );
                    }
                }
            }
        }
        // 2. Zone fills.
        for layer in ZONE_LAYERS
            .into_iter()
            .filter(|l| options.layers.visible(*l))
        {
            for feature_ref in in_layer(layer) {
                let Some(feature) = atlas.feature(feature_ref) else {
                    continue;
                };
                if let Some(color) = style::area_style(feature).fill {
                    self.push_fill(
                        atlas,
                        &mut items,
                        feature_ref,
                        band,
                        color.faded(opacity(layer)),
                    );
                }
            }
        }
        // 3. Boundaries, each shared edge once, finest first so that coarser ones lie on top.
        //    An arc is drawn in the style of the most important visible layer it belongs to.
        let mut arcs: Vec<(u8, FeatureRef)> = in_layer(LayerId::Boundaries)
            .into_iter()
            .filter_map(|feature_ref| Some((atlas.feature(feature_ref)?.rank, feature_ref)))
            .collect();
        arcs.sort_by_key(|(rank, _)| std::cmp::Reverse(*rank));
        for (rank, feature_ref) in arcs {
            let drawn_as = BOUNDARY_LAYERS
                .iter()
                .skip(usize::from(rank.clamp(1, 3)) - 1)
                .find(|layer| options.layers.visible(**layer));
            if let Some(&layer) = drawn_as {
                let line = faded_line(style::boundary_style(layer), opacity(layer));
                self.push_stroke(atlas, &mut items, feature_ref, band, line);
            }
        }
        // 4. Rivers.
        if options.layers.visible(LayerId::Rivers) {
            for feature_ref in in_layer(LayerId::Rivers) {
                let Some(feature) = atlas.feature(feature_ref) else {
                    continue;
                };
                let line = faded_line(style::river_style(feature), opacity(LayerId::Rivers));
                self.push_stroke(atlas, &mut items, feature_ref, band, line);
            }
        }
        // 5. Zone outlines.
        for layer in ZONE_LAYERS
            .into_iter()
            .filter(|l| options.layers.visible(*l))
        {
            for feature_ref in in_layer(layer) {
                let Some(feature) = atlas.feature(feature_ref) else {
                    continue;
                };
                if let Some(line) = style::area_style(feature).outline {
                    self.push_stroke(
                        atlas,
                        &mut items,
                        feature_ref,
                        band,
                        faded_line(line, opacity(layer)),
                    );
                }
            }
        }
        // 5b. The spotlight: veil the map, then show the spotlit zones again above the veil.
        if !options.highlight.spotlight.is_empty() {
            items.push(Item::Veil {
                color: SPOTLIGHT_VEIL,
            });
            // A spotlit zone shows with the zones inside it (the science city with its core
            // and districts), bottom first.
            let inside_spotlight = |feature: &crate::model::Feature| {
                let mut current = Some(feature);
                for _ in 0..4 {
                    let Some(zone) = current else { break };
                    if options.highlight.spotlight.iter().any(|s| {
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
            };
            let mut spotlit: Vec<FeatureRef> = atlas
                .zones()
                .filter(|(r, f)| {
                    ZONE_LAYERS.contains(&r.layer)
                        && options.layers.visible(r.layer)
                        && inside_spotlight(f)
                })
                .map(|(r, _)| r)
                .collect();
            spotlit.sort_by_key(|f| ZONE_LAYERS.iter().position(|l| *l == f.layer));
            for feature_ref in spotlit {
                let Some(feature) = atlas.feature(feature_ref) else {
                    continue;
                };
                if !matches!(feature.shape, crate::model::Shape::Area(_)) {
                    continue;
                }
                let area = style::area_style(feature);
                if let Some(color) = area.fill {
                    let color = color.faded(opacity(feature_ref.layer));
                    // Over the veil the fill must hide it: composite it on the land colour.
                    self.push_fill(
                        atlas,
                        &mut items,
                        feature_ref,
                        band,
                        color.over(style::LAND),
                    );
                }
                if let Some(line) = area.outline {
                    self.push_stroke(atlas, &mut items, feature_ref, band, line);
                }
            }
            // A zone known only as a point lights up the area it may cover (its stated
            // accuracy), dashed: where exactly is not published.
            for &feature_ref in &options.highlight.spotlight {
                let Some(feature) = atlas.feature(feature_ref) else {
                    continue;
                };
                if let (crate::model::Shape::Point(point), Some(metres)) = (
                    &feature.shape,
                    feature.zone().and_then(|zone| zone.accuracy_m),
                ) {
                    let radius = (metres / view.metres_per_point()) as f32;
                    items.push(Item::Circle {
                        center: view.project(point.0),
                        radius: radius.max(14.0),
                        fill: Some(style::LAND.faded(0.7)),
                        style: LineStyle {
                            width: 2.5,
                            color: super::overlay::EMPHASIS,
                            dash: Some((9.0, 6.0)),
                        },
                    });
                }
            }
        }
        // 6. Highlights, markers, cooperation arrows.
        super::overlay::add(
            self,
            atlas,
            view,
            options,
            &visible_features,
            band,
            &mut items,
        );
        // 7. Labels.
        let mut candidates = super::overlay::arrow_labels(&items, options);
        let (cluster_labels, clustered) =
            super::overlay::cluster_labels(&items, atlas, view, options);
        // Under a spotlight the few spotlit points are named one by one, not as "n platforms".
        let spotlight = !options.highlight.spotlight.is_empty();
        if !spotlight {
            candidates.extend(cluster_labels);
        }
        let unclustered: Vec<FeatureRef> = visible_features
            .iter()
            .copied()
            .filter(|feature| spotlight || !clustered.contains(feature))
            .collect();
        candidates.extend(label_candidates(atlas, view, options, &unclustered));
        // Under a spotlight, bright halos would glare on the veil: labels outside the spotlit
        // zones keep only a faint one.
        let lit: Vec<[f32; 4]> = options
            .highlight
            .spotlight
            .iter()
            .filter_map(|f| atlas.feature(*f)?.shape.bounding_rect())
            .map(|bounds| {
                let [x0, y1] = view.project(bounds.min());
                let [x1, y0] = view.project(bounds.max());
                [x0, y0, x1, y1]
            })
            .collect();
        items.extend(
            labels::place(candidates, view.size)
                .into_iter()
                .map(|mut label| {
                    let [x, y] = label.anchor;
                    let in_light = lit
                        .iter()
                        .any(|r| x >= r[0] && x <= r[2] && y >= r[1] && y <= r[3]);
                    if spotlight && !in_light {
                        label.style.halo = label.style.halo.faded(SPOTLIGHT_HALO);
                    }
                    Item::Label(label)
                }),
        );

        Scene {
            view: *view,
            transform,
            background: style::BACKGROUND,
            items,
        }
    }

    fn push_fill(
        &mut self,
        atlas: &Atlas,
        items: &mut Vec<Item>,
        feature: FeatureRef,
        band: u8,
        color: Rgba,
    ) {
        if color.0[3] == 0 {
            return;
        }
        if let Some(geometry) = self
            .cache
            .get(atlas, feature, band)
            .filter(|g| !g.triangles.is_empty())
        {
            items.push(Item::Fill {
                feature,
                geometry,
                color,
            });
        }
    }

    pub(super) fn push_stroke(
        &mut self,
        atlas: &Atlas,
        items: &mut Vec<Item>,
        feature: FeatureRef,
        band: u8,
        style: LineStyle,
    ) {
        if style.color.0[3] == 0 {
            return;
        }
        if let Some(geometry) = self
            .cache
            .get(atlas, feature, band)
            .filter(|g| !g.is_empty())
        {
            items.push(Item::Stroke {
                feature,
                geometry,
                style,
            });
        }
    }
}

fn faded_line(line: LineStyle, opacity: f32) -> LineStyle {
    LineStyle {
        color: line.color.faded(opacity),
        ..line
    }
}

/// Platforms are named on the map from this zoom on (before, their markers would crowd).
pub const PLATFORM_LABEL_ZOOM: f64 = 11.5;

fn label_candidates(
    atlas: &Atlas,
    view: &View,
    options: &SceneOptions,
    visible: &[FeatureRef],
) -> Vec<Candidate> {
    // Priority: the two metropolises and province names, then zones (smallest first: core,
    // districts, science city, corridor), then prefecture cities, then counties.
    let mut candidates: Vec<(u8, std::cmp::Reverse<LayerId>, Candidate)> = Vec::new();
    for &feature_ref in visible {
        let layer = feature_ref.layer;
        if !options.layers.visible(layer) || options.layers.get(layer).opacity <= 0.05 {
            continue;
        }
        // Under a spotlight, points outside it go unnamed: they are context, not the subject.
        if !options.highlight.spotlight.is_empty()
            && matches!(layer, LayerId::Platforms | LayerId::Hubs)
            && !options.highlight.emphasised.contains(&feature_ref)
        {
            continue;
        }
        let Some(feature) = atlas.feature(feature_ref) else {
            continue;
        };
        let Some(point) = feature.label_point else {
            continue;
        };
        let label_style = style::label_style(feature);
        if view.zoom < label_style.min_zoom || view.zoom > label_style.max_zoom {
            continue;
        }
        let text = feature.label.get(options.lang);
        if text.is_empty() {
            continue;
        }
        let mut anchor = view.project(point.0);
        // Point symbols are labelled to their right, not on top of them.
        let marker = style::marker_style(feature);
        if let Some(marker) = marker {
            anchor[0] += marker.radius + 3.0 + labels::text_width(text, label_style.size) / 2.0;
        }
        let candidate = Candidate {
            text: text.to_string(),
            anchor,
            style: label_style,
        };
        let spotlit = !options.highlight.spotlight.is_empty()
            && options.highlight.emphasised.contains(&feature_ref);
        match &feature.kind {
            // What a spotlight is on is named before anything else.
            FeatureKind::Platform(_) | FeatureKind::Zone(_) if spotlit => {
                candidates.push((0, std::cmp::Reverse(layer), candidate));
            }
            FeatureKind::Platform(_) if view.zoom >= PLATFORM_LABEL_ZOOM => {
                candidates.push((5, std::cmp::Reverse(layer), candidate));
            }
            FeatureKind::Platform(_) => {}
            FeatureKind::Zone(_) if marker.is_some() => {
                candidates.push((1, std::cmp::Reverse(layer), candidate));
            }
            // The science city is exactly its core and five districts: when those are shown,
            // their labels name its parts and its own would sit on top of them.
            FeatureKind::Zone(zone)
                if zone.kind == ZoneKind::ScienceCity
                    && (options.layers.visible(LayerId::Core)
                        || options.layers.visible(LayerId::Districts)) => {}
            FeatureKind::Zone(_) => {
                // A zone is labelled when it is wide enough on screen to hold its name, and not
                // so wide that the view is inside it (its label would sit on its children's).
                let Some(bounds) = feature.shape.bounding_rect() else {
                    continue;
                };
                let [x0, _] = view.project(bounds.min());
                let [x1, _] = view.project(bounds.max());
                let width = x1 - x0;
                if width >= labels::text_width(text, label_style.size) * 0.9
                    && width <= view.size[0] * 1.5
                {
                    candidates.push((1, std::cmp::Reverse(layer), candidate));
                }
            }
            FeatureKind::Place { rank } => {
                let priority = if *rank <= 1 { 0 } else { rank + 1 };
                candidates.push((priority, std::cmp::Reverse(layer), candidate));
            }
            _ => {}
        }
    }
    candidates.sort_by_key(|(priority, layer, _)| (*priority, *layer));
    candidates
        .into_iter()
        .map(|(_, _, candidate)| candidate)
        .collect()
}
