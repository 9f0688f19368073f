//! The one style table: every colour, width, dash and symbol the map, the window's layer list,
//! the export legend and the highlights use. Legend symbols are derived from the map's own
//! styles, never typed twice.

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

    /// The same colour with another alpha.
    pub const fn with_alpha(self, alpha: u8) -> Self {
        let [r, g, b, _] = self.0;
        Self([r, g, b, alpha])
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

/// A stroke in points; `dash` is (dash, gap) in points for approximate boundaries.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LineStyle {
    pub width: f32,
    pub color: Rgba,
    pub dash: Option<(f32, f32)>,
}

impl LineStyle {
    pub const fn solid(width: f32, color: Rgba) -> Self {
        Self {
            width,
            color,
            dash: None,
        }
    }

    /// The same line with its colour faded by a layer's opacity.
    pub fn faded(self, opacity: f32) -> Self {
        Self {
            color: self.color.faded(opacity),
            ..self
        }
    }
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

impl LabelStyle {
    /// A label shown at every zoom.
    const fn plain(size: f32, color: Rgba, halo: Rgba) -> Self {
        Self {
            size,
            color,
            halo,
            min_zoom: 0.0,
            max_zoom: 30.0,
        }
    }
}

/// A point symbol.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MarkerStyle {
    pub shape: MarkerShape,
    /// Radius in points.
    pub radius: f32,
    pub fill: Rgba,
    pub outline: Rgba,
    pub outline_width: f32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkerShape {
    Circle,
    Diamond,
}

// ---- The map ----------------------------------------------------------------------------------

/// The map's background outside any province.
pub const BACKGROUND: Rgba = Rgba::rgb(0xdf, 0xe6, 0xea);

/// Over a basemap package, zone fills keep this share of their opacity, so that the streets
/// show through them and the outlines carry the zones.
pub const FILL_OVER_BASEMAP: f32 = 0.5;

/// The land of Sichuan and Chongqing.
pub const LAND: Rgba = Rgba::rgb(0xfb, 0xfa, 0xf6);

/// The provinces around them, for context.
const CONTEXT_LAND: Rgba = Rgba::rgb(0xef, 0xed, 0xe6);

const HALO: Rgba = Rgba::new(255, 255, 255, 220);

pub const WHITE: Rgba = Rgba::rgb(255, 255, 255);

/// Dashes say "this boundary is drawn by us, not official".
const APPROXIMATE_DASH: Option<(f32, f32)> = Some((7.0, 4.0));

/// One colour per science-city district (ColorBrewer Dark2, which stays distinct for
/// colour-blind readers).
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

/// How an area feature looks: provinces as land, zones by kind. Prefecture and county areas
/// are not filled; their lines are the boundary arcs ([`boundary_style`]).
pub fn area_style(feature: &Feature) -> AreaStyle {
    match &feature.kind {
        FeatureKind::Admin {
            level: AdminLevel::Province,
            ..
        } if feature.rank <= 1 => AreaStyle {
            fill: Some(LAND),
            outline: Some(LineStyle::solid(1.8, Rgba::rgb(0x7a, 0x7a, 0x80))),
        },
        FeatureKind::Admin {
            level: AdminLevel::Province,
            ..
        } => AreaStyle {
            fill: Some(CONTEXT_LAND),
            outline: Some(LineStyle::solid(1.2, Rgba::rgb(0xa0, 0xa0, 0xa6))),
        },
        FeatureKind::Zone(zone) => zone_style(zone.kind, zone.boundary, &feature.id),
        _ => AreaStyle {
            fill: None,
            outline: None,
        },
    }
}

/// How a zone looks, by its kind (and, for a district, its id); dashed when approximate.
pub fn zone_style(kind: ZoneKind, boundary: Boundary, id: &str) -> AreaStyle {
    let dash = match boundary {
        Boundary::Approximate => APPROXIMATE_DASH,
        Boundary::Administrative => None,
    };
    let amber = Rgba::rgb(0xf2, 0xa9, 0x00);
    let (fill, outline, width) = match kind {
        ZoneKind::Corridor => (amber.with_alpha(40), Rgba::rgb(0xc7, 0x7c, 0x00), 2.2),
        ZoneKind::CorridorPartial => (amber.with_alpha(16), Rgba::rgb(0xc7, 0x7c, 0x00), 1.4),
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
            let colour = district_colour(id);
            (colour.with_alpha(110), colour, 1.6)
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

/// How a boundary line looks when drawn as part of `layer` (provinces, prefectures, counties).
pub fn boundary_style(layer: LayerId) -> LineStyle {
    match layer {
        LayerId::Provinces => LineStyle::solid(1.8, Rgba::rgb(0x7a, 0x7a, 0x80)),
        LayerId::Prefectures => LineStyle::solid(1.0, Rgba::rgb(0xa0, 0xa0, 0xa8)),
        _ => LineStyle::solid(0.6, Rgba::rgb(0xbe, 0xbe, 0xc4)),
    }
}

/// How a river of `rank` looks: wider for the long ones (rank 1).
pub fn river_style(rank: u8) -> LineStyle {
    LineStyle::solid(
        if rank <= 1 { 1.6 } else { 0.9 },
        Rgba::rgb(0x6f, 0xa8, 0xdc),
    )
}

/// Labels of places, and of anything without a style of its own.
/// Labels of a user's layer (from the field the user chose).
pub const USER_LABEL: LabelStyle = LabelStyle::plain(11.0, Rgba::rgb(0x22, 0x22, 0x28), HALO);

pub const PLACE_LABEL: LabelStyle = LabelStyle::plain(12.0, Rgba::rgb(0x33, 0x33, 0x38), HALO);

/// How a label looks, by what it names.
pub fn label_style(feature: &Feature) -> LabelStyle {
    let base = PLACE_LABEL;
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

/// The colour of the other innovation areas' markers.
pub const HUB_COLOUR: Rgba = Rgba::rgb(0x8e, 0x24, 0x5c);

/// Platform colours by category (the names are in `model::category`).
const PLATFORM_COLOURS: [(&str, Rgba); 9] = [
    ("university", Rgba::rgb(0x1f, 0x5f, 0xbf)),
    ("big-science facility", Rgba::rgb(0x6a, 0x1b, 0x9a)),
    ("laboratory", Rgba::rgb(0x9c, 0x27, 0xb0)),
    ("research institute", Rgba::rgb(0x00, 0x83, 0x8f)),
    ("innovation centre", Rgba::rgb(0x00, 0x96, 0xc7)),
    ("industrial park", Rgba::rgb(0xe6, 0x7e, 0x00)),
    ("enterprise", Rgba::rgb(0x45, 0x4f, 0x5a)),
    ("incubator", Rgba::rgb(0x2e, 0x7d, 0x32)),
    ("service platform", Rgba::rgb(0x8d, 0x6e, 0x63)),
];

pub fn platform_colour(category: &str) -> Rgba {
    PLATFORM_COLOURS
        .iter()
        .find(|(key, _)| *key == category)
        .map_or(Rgba::rgb(0x60, 0x60, 0x60), |(_, colour)| *colour)
}

/// The white ring around every marker, so that it reads over any fill.
const MARKER_OUTLINE_WIDTH: f32 = 1.5;

/// How a point feature is drawn: platforms as circles by category, hubs as diamonds.
pub fn marker_style(feature: &Feature) -> Option<MarkerStyle> {
    match &feature.kind {
        FeatureKind::Platform(platform) => Some(MarkerStyle {
            shape: MarkerShape::Circle,
            radius: 4.5,
            fill: platform_colour(&platform.category),
            outline: WHITE,
            outline_width: MARKER_OUTLINE_WIDTH,
        }),
        FeatureKind::Zone(zone) if zone.kind == ZoneKind::Hub => Some(MarkerStyle {
            shape: MarkerShape::Diamond,
            radius: 8.0,
            fill: HUB_COLOUR,
            outline: WHITE,
            outline_width: MARKER_OUTLINE_WIDTH,
        }),
        _ => None,
    }
}

// ---- Vector basemap packages -------------------------------------------------------------------
// The built-in style of OpenMapTiles and Protomaps packages (see `vector_tile`): quiet, so that
// the zones stay the subject.

pub const TILE_WATER: Rgba = Rgba::rgb(0xa9, 0xd0, 0xe4);
pub const TILE_WOOD: Rgba = Rgba::rgb(0xd5, 0xe6, 0xc6);
pub const TILE_GRASS: Rgba = Rgba::rgb(0xe2, 0xee, 0xd3);
pub const TILE_RESIDENTIAL: Rgba = Rgba::rgb(0xef, 0xec, 0xe6);
pub const TILE_INDUSTRIAL: Rgba = Rgba::rgb(0xeb, 0xe3, 0xe8);
pub const TILE_BUILDING: Rgba = Rgba::rgb(0xdd, 0xd6, 0xcd);
pub const TILE_CASING: Rgba = Rgba::rgb(0xb9, 0xb1, 0xa3);
pub const TILE_RAILWAY: Rgba = Rgba::rgb(0x8f, 0x8f, 0x96);
pub const TILE_PATH: Rgba = Rgba::rgb(0xb0, 0x9f, 0x86);

/// A road's look by class: width at zoom 14, fill, casing, the zoom it appears from, and its
/// rank among roads (drawn in that order).
pub fn tile_road(class: &str) -> Option<(f32, Rgba, Rgba, f32, u16)> {
    Some(match class {
        "motorway" | "highway" => (
            3.2,
            Rgba::rgb(0xf4, 0xb9, 0x6b),
            Rgba::rgb(0xc9, 0x84, 0x3c),
            5.0,
            9,
        ),
        "trunk" => (
            3.0,
            Rgba::rgb(0xf9, 0xcf, 0x86),
            Rgba::rgb(0xc9, 0x94, 0x4f),
            6.0,
            8,
        ),
        "primary" | "major_road" => (
            2.6,
            Rgba::rgb(0xfd, 0xe3, 0x9e),
            Rgba::rgb(0xc6, 0xa2, 0x64),
            7.0,
            7,
        ),
        "secondary" | "medium_road" => (2.2, Rgba::rgb(0xff, 0xf6, 0xc8), TILE_CASING, 9.0, 6),
        "tertiary" => (1.8, Rgba::rgb(0xff, 0xff, 0xff), TILE_CASING, 11.0, 5),
        "minor" | "minor_road" | "residential" | "unclassified" => {
            (1.2, Rgba::rgb(0xff, 0xff, 0xff), TILE_CASING, 13.0, 4)
        }
        "service" => (0.8, Rgba::rgb(0xff, 0xff, 0xff), TILE_CASING, 14.0, 3),
        _ => return None,
    })
}

/// A vector package's name: quieter than the atlas's; cities and towns (rank 1–2) larger,
/// water names in blue.
pub fn tile_label_style(rank: u8, water: bool) -> LabelStyle {
    let mut style = LabelStyle::plain(11.0, Rgba::rgb(0x55, 0x55, 0x5c), HALO);
    if rank <= 2 {
        style.size = 13.0;
        style.color = Rgba::rgb(0x3c, 0x3c, 0x44);
    }
    if water {
        style.color = Rgba::rgb(0x3d, 0x6f, 0x99);
    }
    style
}

// ---- Highlights and overlays ------------------------------------------------------------------

/// The feature under the pointer.
pub const HOVER: Rgba = Rgba::rgb(0x00, 0x7a, 0xff);
/// The selected feature.
pub const SELECTED: Rgba = Rgba::rgb(0x11, 0x11, 0x11);
/// Features with the chosen industry, and the spotlight's point zones.
pub const EMPHASIS: Rgba = Rgba::rgb(0xff, 0xc4, 0x00);

pub const HOVER_OUTLINE: LineStyle = LineStyle::solid(2.0, HOVER);
pub const SELECTED_OUTLINE: LineStyle = LineStyle::solid(3.0, SELECTED);
/// Areas with the chosen industry: a wide outline.
pub const EMPHASIS_OUTLINE: LineStyle = LineStyle::solid(4.0, EMPHASIS);

/// A marker (or cluster) with the chosen industry sits on a halo this many points wider than
/// itself: visible at a glance, where a ring would be lost among the others.
pub const EMPHASIS_HALO_SPREAD: f32 = 7.0;
pub const EMPHASIS_HALO_FILL: Rgba = EMPHASIS.with_alpha(140);
pub const EMPHASIS_HALO_LINE: LineStyle = LineStyle::solid(1.5, Rgba::rgb(0xd9, 0x8e, 0x00));

/// Markers without the chosen industry keep this share of their opacity.
pub const DIMMED: f32 = 0.3;
/// A hovered, selected or emphasised marker grows by this many points.
pub const FOCUS_GROWTH: f32 = 2.0;

/// A cluster of markers of several colours is drawn in this one.
pub const MIXED_CLUSTER: Rgba = Rgba::rgb(0x55, 0x5a, 0x64);
/// A cluster's marker is at least this big, to hold its count.
pub const CLUSTER_MIN_RADIUS: f32 = 8.0;
/// The count inside a cluster's marker (its size and colour; both painters centre it).
/// A cluster's count as written in it: 999, 1.2k, 35k, 1.2M.
pub fn count_text(count: u32) -> String {
    match count {
        0..=999 => count.to_string(),
        1_000..=9_999 => format!("{:.1}k", f64::from(count) / 1e3),
        10_000..=999_999 => format!("{}k", count / 1_000),
        _ => format!("{:.1}M", f64::from(count) / 1e6),
    }
}

/// A cluster's radius: the smallest cluster's, growing with the count's order of magnitude.
pub fn cluster_radius(count: u32) -> f32 {
    (CLUSTER_MIN_RADIUS + 2.0 * (f64::from(count.max(1)).log10() as f32 - 2.0).max(0.0)).min(13.0)
}

pub const CLUSTER_COUNT: LabelStyle = LabelStyle::plain(10.0, WHITE, WHITE);
/// The "20 个平台" beside a cluster.
pub const CLUSTER_LABEL: LabelStyle = LabelStyle::plain(11.5, Rgba::rgb(0x33, 0x36, 0x3c), HALO);

/// The selected platform's position accuracy: the true site may be anywhere in this circle.
pub const ACCURACY_FILL: Rgba = Rgba::new(0x11, 0x11, 0x11, 18);
pub const ACCURACY_LINE: LineStyle = LineStyle {
    width: 1.2,
    color: SELECTED,
    dash: Some((5.0, 4.0)),
};

/// The veil over what is not in the spotlight.
pub const SPOTLIGHT_VEIL: Rgba = Rgba::new(0x10, 0x14, 0x1c, 125);
/// The veil of a printed handout: a light grey wash instead of a dark one.
pub const PRINT_VEIL: Rgba = Rgba::new(0xff, 0xff, 0xff, 150);
/// How much of a label's halo stays outside the spotlight.
pub const SPOTLIGHT_HALO: f32 = 0.45;
/// A spotlit zone known only as a point: the area of its stated accuracy.
pub fn spotlight_extent_fill() -> Rgba {
    LAND.faded(0.7)
}
pub const SPOTLIGHT_EXTENT_LINE: LineStyle = LineStyle {
    width: 2.5,
    color: EMPHASIS,
    dash: Some((9.0, 6.0)),
};

/// The colour of a cooperation arrow, by industry chain.
pub fn chain_colour(chain: &str) -> Rgba {
    match chain {
        "ngit" => Rgba::rgb(0x15, 0x65, 0xc0),
        "health" => Rgba::rgb(0x2e, 0x7d, 0x32),
        "advanced-manufacturing" => Rgba::rgb(0xe6, 0x51, 0x00),
        _ => NEUTRAL_ARROW,
    }
}

/// Arrows of no particular chain, and the legend's generic arrow.
pub const NEUTRAL_ARROW: Rgba = Rgba::rgb(0x55, 0x55, 0x55);

/// A cooperation arrow: dashed when an industry moves out rather than cooperates.
pub fn arrow_style(chain: &str, transfer: bool) -> LineStyle {
    LineStyle {
        width: 2.4,
        color: chain_colour(chain),
        dash: transfer.then_some((8.0, 5.0)),
    }
}

/// The white casing under an arrow, so that it reads over any fill.
pub fn arrow_casing(arrow: &LineStyle) -> LineStyle {
    LineStyle::solid(arrow.width + 2.5, Rgba::new(255, 255, 255, 200))
}

/// The outline of an arrow's head.
pub const ARROW_HEAD_OUTLINE: LineStyle = LineStyle::solid(1.0, WHITE);

/// The label at the middle of an arrow, in the arrow's colour.
pub fn arrow_label_style(arrow: &LineStyle) -> LabelStyle {
    LabelStyle::plain(12.0, arrow.color, Rgba::new(255, 255, 255, 235))
}

// ---- Legend symbols ---------------------------------------------------------------------------

/// How a legend row is drawn. The window's layer list and the export's legend both draw these,
/// each with its own painter; every colour comes from the map's own styles.
#[derive(Debug, Clone, PartialEq)]
pub enum LegendSymbol {
    /// Small dots in these colours (platforms by category, place names).
    Dots(Vec<Rgba>),
    /// A marker as the map draws it (the other innovation areas' diamonds).
    Marker(MarkerStyle),
    /// A line (boundaries, rivers, the dashed "approximate" line).
    Line(LineStyle),
    /// A box with a fill and an outline, dashed for approximate zones.
    Area(AreaStyle),
    /// A cooperation arrow.
    Arrow(LineStyle),
    /// The spotlight: a lit patch beside the veil.
    Spotlight,
    /// A zone known only as a point: the dashed circle of its stated accuracy.
    Extent,
}

/// Where the dots of a `LegendSymbol::Dots` sit across a 22-point swatch: one centred, several
/// in a row.
pub fn dot_offsets(count: usize) -> impl Iterator<Item = f32> {
    let (start, step) = if count == 1 { (11.0, 0.0) } else { (4.0, 7.0) };
    (0..count).map(move |index| start + step * index as f32)
}

/// The legend's line for "approximate boundary": the map's dash, in the text colour.
pub fn approximate_line(color: Rgba) -> LineStyle {
    LineStyle {
        width: 1.5,
        color,
        dash: APPROXIMATE_DASH,
    }
}
