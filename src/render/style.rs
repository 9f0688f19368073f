//! The one style table: how every layer and zone kind looks, in the window and in exports.

use crate::model::{AdminLevel, Boundary, Feature, FeatureKind, LayerId, ZoneKind};

/// sRGB colour with straight (not premultiplied) alpha.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rgba(pub [u8; 4]);

impl Rgba {
    pub const fn rgb(r: u8, g: u8, b: u8) -> Self {
        Self([r, g, b, 255])
    }

    pub const fn new(r: u8, g: u8, b: u8, a: u8) -> Self {
        Self([r, g, b, a])
    }

    /// The same colour with its alpha multiplied by `opacity` (0‥1).
    pub fn faded(self, opacity: f32) -> Self {
        let [r, g, b, a] = self.0;
        Self([
            r,
            g,
            b,
            (f32::from(a) * opacity.clamp(0.0, 1.0)).round() as u8,
        ])
    }

    /// `#rrggbb` for SVG and the legend.
    pub fn hex(self) -> String {
        let [r, g, b, _] = self.0;
        format!("#{r:02x}{g:02x}{b:02x}")
    }

    pub fn alpha(self) -> f32 {
        f32::from(self.0[3]) / 255.0
    }

    /// This colour composited over an opaque one: the opaque colour a viewer sees.
    pub fn over(self, below: Rgba) -> Rgba {
        let alpha = self.alpha();
        let mix = |top: u8, bottom: u8| {
            (f32::from(top) * alpha + f32::from(bottom) * (1.0 - alpha)).round() as u8
        };
        Rgba::rgb(
            mix(self.0[0], below.0[0]),
            mix(self.0[1], below.0[1]),
            mix(self.0[2], below.0[2]),
        )
    }
}

/// The land of Sichuan and Chongqing.
pub const LAND: Rgba = Rgba::rgb(0xfb, 0xfa, 0xf6);

/// A stroke in points; `dash` is (dash, gap) in points for approximate boundaries.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LineStyle {
    pub width: f32,
    pub color: Rgba,
    pub dash: Option<(f32, f32)>,
}

/// How an area is drawn: an optional fill, an optional outline.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AreaStyle {
    pub fill: Option<Rgba>,
    pub outline: Option<LineStyle>,
}

/// How a label is drawn.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LabelStyle {
    /// Font size in points.
    pub size: f32,
    pub color: Rgba,
    /// A light outline around the glyphs, so that labels read over any fill.
    pub halo: Rgba,
    /// Shown only between these zoom levels.
    pub min_zoom: f64,
    pub max_zoom: f64,
}

/// The map's background outside any province.
pub const BACKGROUND: Rgba = Rgba::rgb(0xdf, 0xe6, 0xea);

const HALO: Rgba = Rgba::new(255, 255, 255, 220);

/// Dashes say "this boundary is drawn by us, not official".
const APPROXIMATE_DASH: Option<(f32, f32)> = Some((7.0, 4.0));

/// One colour per science-city district, in the order of `SCIENCE_CITY_DISTRICTS`
/// (ColorBrewer Dark2, which stays distinct for colour-blind readers).
const DISTRICT_COLOURS: [(&str, Rgba); 5] = [
    ("shapingba", Rgba::rgb(0x1b, 0x9e, 0x77)),
    ("jiulongpo", Rgba::rgb(0xd9, 0x5f, 0x02)),
    ("beibei", Rgba::rgb(0x75, 0x70, 0xb3)),
    ("jiangjin", Rgba::rgb(0xe7, 0x29, 0x8a)),
    ("bishan", Rgba::rgb(0x66, 0xa6, 0x1e)),
];

pub fn district_colour(id: &str) -> Rgba {
    DISTRICT_COLOURS
        .iter()
        .find(|(district, _)| *district == id)
        .map_or(Rgba::rgb(0x66, 0x66, 0x66), |(_, colour)| *colour)
}

fn with_alpha(colour: Rgba, alpha: u8) -> Rgba {
    let [r, g, b, _] = colour.0;
    Rgba([r, g, b, alpha])
}

fn line(width: f32, color: Rgba) -> Option<LineStyle> {
    Some(LineStyle {
        width,
        color,
        dash: None,
    })
}

/// How an area feature looks.
pub fn area_style(feature: &Feature) -> AreaStyle {
    match &feature.kind {
        FeatureKind::Admin { level, .. } => match level {
            AdminLevel::Province if feature.rank <= 1 => AreaStyle {
                fill: Some(LAND),
                outline: line(1.8, Rgba::rgb(0x7a, 0x7a, 0x80)),
            },
            AdminLevel::Province => AreaStyle {
                fill: Some(Rgba::rgb(0xef, 0xed, 0xe6)),
                outline: line(1.2, Rgba::rgb(0xa0, 0xa0, 0xa6)),
            },
            AdminLevel::Prefecture => AreaStyle {
                fill: None,
                outline: line(1.0, Rgba::rgb(0xa6, 0xa6, 0xae)),
            },
            AdminLevel::County => AreaStyle {
                fill: None,
                outline: line(0.6, Rgba::rgb(0xc6, 0xc6, 0xcc)),
            },
        },
        FeatureKind::Zone(zone) => {
            let dash = match zone.boundary {
                Boundary::Approximate => APPROXIMATE_DASH,
                Boundary::Administrative => None,
            };
            let (fill, outline, width) = match zone.kind {
                ZoneKind::Corridor => (
                    Rgba::new(0xf2, 0xa9, 0x00, 40),
                    Rgba::rgb(0xc7, 0x7c, 0x00),
                    2.2,
                ),
                ZoneKind::CorridorPartial => (
                    Rgba::new(0xf2, 0xa9, 0x00, 16),
                    Rgba::rgb(0xc7, 0x7c, 0x00),
                    1.4,
                ),
                ZoneKind::ScienceCity => (
                    Rgba::new(0x00, 0x89, 0x7b, 46),
                    Rgba::rgb(0x00, 0x69, 0x5c),
                    2.2,
                ),
                ZoneKind::Core => (
                    Rgba::new(0xc6, 0x28, 0x28, 150),
                    Rgba::rgb(0x8e, 0x00, 0x00),
                    2.0,
                ),
                ZoneKind::District => {
                    let colour = district_colour(&feature.id);
                    (with_alpha(colour, 110), colour, 1.6)
                }
                // Hubs are points: drawn as markers, not areas.
                ZoneKind::Hub => (HUB_COLOUR, HUB_COLOUR, 0.0),
            };
            AreaStyle {
                fill: Some(fill),
                outline: Some(LineStyle {
                    width,
                    color: outline,
                    dash,
                }),
            }
        }
        FeatureKind::River
        | FeatureKind::Boundary
        | FeatureKind::Place { .. }
        | FeatureKind::Platform(_) => AreaStyle {
            fill: None,
            outline: None,
        },
    }
}

/// How a boundary line looks when drawn as part of `layer` (provinces, prefectures, counties).
pub fn boundary_style(layer: LayerId) -> LineStyle {
    match layer {
        LayerId::Provinces => LineStyle {
            width: 1.8,
            color: Rgba::rgb(0x7a, 0x7a, 0x80),
            dash: None,
        },
        LayerId::Prefectures => LineStyle {
            width: 1.0,
            color: Rgba::rgb(0xa0, 0xa0, 0xa8),
            dash: None,
        },
        _ => LineStyle {
            width: 0.6,
            color: Rgba::rgb(0xbe, 0xbe, 0xc4),
            dash: None,
        },
    }
}

/// How a river looks: wider for the long ones.
pub fn river_style(feature: &Feature) -> LineStyle {
    LineStyle {
        width: if feature.rank <= 1 { 1.6 } else { 0.9 },
        color: Rgba::rgb(0x6f, 0xa8, 0xdc),
        dash: None,
    }
}

/// How a label looks, by what it names.
pub fn label_style(feature: &Feature) -> LabelStyle {
    let base = LabelStyle {
        size: 12.0,
        color: Rgba::rgb(0x33, 0x33, 0x38),
        halo: HALO,
        min_zoom: 0.0,
        max_zoom: 30.0,
    };
    match &feature.kind {
        FeatureKind::Zone(zone) => LabelStyle {
            size: match zone.kind {
                ZoneKind::Corridor => 17.0,
                ZoneKind::ScienceCity => 15.0,
                _ => 13.0,
            },
            color: match zone.kind {
                ZoneKind::Corridor | ZoneKind::CorridorPartial => Rgba::rgb(0x8a, 0x55, 0x00),
                ZoneKind::ScienceCity => Rgba::rgb(0x00, 0x4d, 0x40),
                ZoneKind::Core => Rgba::rgb(0x7f, 0x00, 0x00),
                ZoneKind::District => {
                    let [r, g, b, _] = district_colour(&feature.id).0;
                    Rgba::rgb(r / 2, g / 2, b / 2)
                }
                ZoneKind::Hub => Rgba::rgb(0x5a, 0x12, 0x3c),
            },
            ..base
        },
        FeatureKind::Place { rank } => match rank {
            // Province names: large and grey, only while the view is wide.
            1 if feature.id.starts_with("province-") => LabelStyle {
                size: 16.0,
                color: Rgba::rgb(0x8c, 0x8c, 0x94),
                max_zoom: 8.5,
                ..base
            },
            1 => LabelStyle {
                size: 16.0,
                color: Rgba::rgb(0x1e, 0x1e, 0x24),
                ..base
            },
            2 => LabelStyle {
                size: 13.5,
                min_zoom: 6.0,
                ..base
            },
            _ => LabelStyle {
                size: 11.5,
                color: Rgba::rgb(0x55, 0x55, 0x5c),
                min_zoom: 8.0,
                ..base
            },
        },
        _ => base,
    }
}

/// How a layer is shown in a legend. The window's layer list and the export's legend both draw
/// this, each with its own painter.
#[derive(Debug, Clone, PartialEq)]
pub enum LegendSymbol {
    /// Small dots in these colours (platforms by category, place names).
    Dots(Vec<Rgba>),
    /// A diamond (the other innovation areas).
    Diamond(Rgba),
    /// A line (boundaries, rivers).
    Line(LineStyle),
    /// A box with a fill and an outline, dashed for approximate zones.
    Area(AreaStyle),
}

/// Where the dots of a `LegendSymbol::Dots` sit across a 22-point swatch: one centred, several
/// in a row.
pub fn dot_offsets(count: usize) -> impl Iterator<Item = f32> {
    let (start, step) = if count == 1 { (11.0, 0.0) } else { (4.0, 7.0) };
    (0..count).map(move |index| start + step * index as f32)
}

/// The legend symbol of a layer.
pub fn legend_symbol(layer: LayerId) -> LegendSymbol {
    match layer {
        LayerId::Platforms => LegendSymbol::Dots(
            ["university", "industrial park", "research institute"]
                .into_iter()
                .map(platform_colour)
                .collect(),
        ),
        LayerId::Places => LegendSymbol::Dots(vec![Rgba::rgb(0x33, 0x33, 0x38)]),
        LayerId::Hubs => LegendSymbol::Diamond(HUB_COLOUR),
        _ => match layer_swatch(layer) {
            AreaStyle {
                fill: None,
                outline: Some(line),
            } => LegendSymbol::Line(line),
            area => LegendSymbol::Area(area),
        },
    }
}

/// The swatch of a layer drawn as an area or a line.
fn layer_swatch(layer: LayerId) -> AreaStyle {
    let approximate = Some((4.0, 2.0));
    let zone = |fill: Rgba, outline: Rgba, dash| AreaStyle {
        fill: Some(fill),
        outline: Some(LineStyle {
            width: 1.5,
            color: outline,
            dash,
        }),
    };
    match layer {
        LayerId::Provinces => AreaStyle {
            fill: Some(Rgba::rgb(0xfb, 0xfa, 0xf6)),
            outline: line(1.8, Rgba::rgb(0x7a, 0x7a, 0x80)),
        },
        LayerId::Prefectures => AreaStyle {
            fill: None,
            outline: line(1.0, Rgba::rgb(0xa6, 0xa6, 0xae)),
        },
        LayerId::Counties | LayerId::Boundaries => AreaStyle {
            fill: None,
            outline: line(0.8, Rgba::rgb(0xb6, 0xb6, 0xbc)),
        },
        LayerId::Rivers => AreaStyle {
            fill: None,
            outline: line(1.6, Rgba::rgb(0x6f, 0xa8, 0xdc)),
        },
        LayerId::Corridor => zone(
            Rgba::new(0xf2, 0xa9, 0x00, 60),
            Rgba::rgb(0xc7, 0x7c, 0x00),
            None,
        ),
        LayerId::ScienceCity => zone(
            Rgba::new(0x00, 0x89, 0x7b, 70),
            Rgba::rgb(0x00, 0x69, 0x5c),
            approximate,
        ),
        LayerId::Districts => zone(
            with_alpha(district_colour("shapingba"), 110),
            district_colour("shapingba"),
            approximate,
        ),
        LayerId::Core => zone(
            Rgba::new(0xc6, 0x28, 0x28, 150),
            Rgba::rgb(0x8e, 0x00, 0x00),
            approximate,
        ),
        LayerId::Hubs | LayerId::Platforms | LayerId::Places => AreaStyle {
            fill: None,
            outline: None,
        },
    }
}

/// The colour of the other innovation areas' markers.
pub const HUB_COLOUR: Rgba = Rgba::rgb(0x8e, 0x24, 0x5c);

/// A point symbol.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MarkerStyle {
    pub shape: MarkerShape,
    /// Radius in points.
    pub radius: f32,
    pub fill: Rgba,
    pub outline: Rgba,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkerShape {
    Circle,
    Diamond,
}

/// Platform categories, their names and colours (the legend of the platforms layer).
pub const PLATFORM_CATEGORIES: [(&str, &str, &str, Rgba); 9] = [
    (
        "university",
        "高校",
        "University",
        Rgba::rgb(0x1f, 0x5f, 0xbf),
    ),
    (
        "big-science facility",
        "大科学装置",
        "Big-science facility",
        Rgba::rgb(0x6a, 0x1b, 0x9a),
    ),
    (
        "laboratory",
        "实验室",
        "Laboratory",
        Rgba::rgb(0x9c, 0x27, 0xb0),
    ),
    (
        "research institute",
        "研究院所",
        "Research institute",
        Rgba::rgb(0x00, 0x83, 0x8f),
    ),
    (
        "innovation centre",
        "创新中心",
        "Innovation centre",
        Rgba::rgb(0x00, 0x96, 0xc7),
    ),
    (
        "industrial park",
        "产业园区",
        "Industrial park",
        Rgba::rgb(0xe6, 0x7e, 0x00),
    ),
    (
        "enterprise",
        "企业",
        "Enterprise",
        Rgba::rgb(0x45, 0x4f, 0x5a),
    ),
    (
        "incubator",
        "孵化器",
        "Incubator",
        Rgba::rgb(0x2e, 0x7d, 0x32),
    ),
    (
        "service platform",
        "服务平台",
        "Service platform",
        Rgba::rgb(0x8d, 0x6e, 0x63),
    ),
];

pub fn platform_colour(category: &str) -> Rgba {
    PLATFORM_CATEGORIES
        .iter()
        .find(|(key, ..)| *key == category)
        .map_or(Rgba::rgb(0x60, 0x60, 0x60), |(.., colour)| *colour)
}

/// How a point feature is drawn: platforms as circles by category, hubs as diamonds.
pub fn marker_style(feature: &Feature) -> Option<MarkerStyle> {
    match &feature.kind {
        FeatureKind::Platform(platform) => Some(MarkerStyle {
            shape: MarkerShape::Circle,
            radius: 4.5,
            fill: platform_colour(&platform.category),
            outline: Rgba::rgb(255, 255, 255),
        }),
        FeatureKind::Zone(zone) if zone.kind == ZoneKind::Hub => Some(MarkerStyle {
            shape: MarkerShape::Diamond,
            radius: 8.0,
            fill: HUB_COLOUR,
            outline: Rgba::rgb(255, 255, 255),
        }),
        _ => None,
    }
}
