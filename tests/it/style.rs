//! One style table: each layer's legend swatch shows the colour its map fill shows, in the
//! export's SVG and in the window's layer list, and both are the colours written out here.

use resvg::tiny_skia::{Pixmap, Transform};

use chengyu_atlas::export;
use chengyu_atlas::model::LayerId;
use chengyu_atlas::render::legend::{self, LegendEntry};
use chengyu_atlas::render::style::{LegendSymbol, Rgba};
use chengyu_atlas::render::svg::write_scene;
use chengyu_atlas::render::{Item, LayerSettings, SceneBuilder, SceneOptions, View};

use crate::common::{atlas, zone_fill};

/// The map's background, written out.
const BACKGROUND: [u8; 3] = [0xdf, 0xe6, 0xea];

fn render(svg: &str, width: u32, height: u32) -> Pixmap {
    let tree = export::parse_svg(svg).expect("the SVG parses");
    let mut pixmap = Pixmap::new(width, height).expect("pixmap");
    resvg::render(&tree, Transform::identity(), &mut pixmap.as_mut());
    pixmap
}

fn pixel(pixmap: &Pixmap, x: u32, y: u32) -> [u8; 3] {
    let p = pixmap.pixel(x, y).expect("inside").demultiply();
    [p.red(), p.green(), p.blue()]
}

/// `colour` over the background, as a viewer sees it.
fn over_background(colour: Rgba) -> [u8; 3] {
    let alpha = f32::from(colour.0[3]) / 255.0;
    [0, 1, 2].map(|c| {
        (f32::from(colour.0[c]) * alpha + f32::from(BACKGROUND[c]) * (1.0 - alpha)).round() as u8
    })
}

fn close(a: [u8; 3], b: [u8; 3]) -> bool {
    (0..3).all(|c| a[c].abs_diff(b[c]) <= 2)
}

/// A 64-point patch of the zone's fill, at its label point, as the export paints it.
fn map_patch(zone: &str, layer: LayerId) -> [u8; 3] {
    let atlas = atlas();
    let (zone_ref, feature) = atlas.find(zone).expect("zone");
    let at = feature.label_point.expect("a label point").0;
    let view = View::new(at, 15.0, [64.0, 64.0]);
    let options = SceneOptions {
        layers: LayerSettings::only(&[layer]),
        ..SceneOptions::default()
    };
    let mut scene = SceneBuilder::new(atlas).build(atlas, &view, &options);
    // The fill alone: no outline or name crossing the patch.
    scene
        .items
        .retain(|item| matches!(item, Item::Fill { feature, .. } if *feature == zone_ref));
    assert_eq!(scene.items.len(), 1, "{zone} is filled");
    let mut svg = String::from(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"64\" height=\"64\"><rect width=\"64\" height=\"64\" fill=\"#dfe6ea\"/>",
    );
    write_scene(&scene, &mut svg);
    svg.push_str("</svg>");
    pixel(&render(&svg, 64, 64), 32, 32)
}

/// The middle of a swatch over the map's background, as the export's legend paints it.
fn export_swatch(symbol: &LegendSymbol) -> [u8; 3] {
    let mut svg = String::from(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"42\" height=\"32\"><rect width=\"42\" height=\"32\" fill=\"#dfe6ea\"/>",
    );
    export::legend_swatch(&mut svg, 10.0, 10.0, symbol);
    svg.push_str("</svg>");
    pixel(&render(&svg, 42, 32), 21, 16)
}

/// The fill colour of a swatch in the window's layer list: the filled shape egui paints.
fn window_swatch_fill(symbol: &LegendSymbol) -> egui::Color32 {
    let ctx = egui::Context::default();
    let mut output = ctx.run_ui(egui::RawInput::default(), |ui| {
        chengyu_atlas::ui::panels::layers::swatch(ui, symbol);
    });
    output.textures_delta.clear();
    output
        .shapes
        .iter()
        .find_map(|clipped| match &clipped.shape {
            egui::Shape::Rect(rect) if rect.fill != egui::Color32::TRANSPARENT => Some(rect.fill),
            _ => None,
        })
        .expect("a filled box")
}

#[test]
fn each_zone_layers_swatch_shows_its_map_fill_in_the_export_and_the_window() {
    let atlas = atlas();
    for (layer, zone) in [
        (LayerId::Corridor, "corridor"),
        (LayerId::ScienceCity, "science-city"),
        (LayerId::Districts, "shapingba"),
        (LayerId::Core, "core"),
    ] {
        let expected = over_background(zone_fill(zone));
        let map = map_patch(zone, layer);
        assert!(
            close(map, expected),
            "{zone} on the map: {map:?}, written out {expected:?}"
        );
        let symbol = legend::layer_symbol(atlas, layer);
        let swatch = export_swatch(&symbol);
        assert!(
            close(swatch, map),
            "{layer:?} swatch {swatch:?}, map {map:?}"
        );
        let [r, g, b, a] = zone_fill(zone).0;
        assert_eq!(
            window_swatch_fill(&symbol),
            egui::Color32::from_rgba_unmultiplied(r, g, b, a),
            "{layer:?} in the layer list"
        );
    }
}

#[test]
fn each_district_row_shows_that_districts_map_fill() {
    let entries: Vec<LegendEntry> = legend::district_entries(atlas(), |_| true);
    let names: Vec<&str> = entries.iter().map(|e| e.label.zh.as_str()).collect();
    assert_eq!(
        names,
        [
            "沙坪坝片区",
            "九龙坡片区",
            "北碚片区",
            "江津片区",
            "璧山片区"
        ]
    );
    for (entry, zone) in
        entries
            .iter()
            .zip(["shapingba", "jiulongpo", "beibei", "jiangjin", "bishan"])
    {
        let map = map_patch(zone, LayerId::Districts);
        let swatch = export_swatch(&entry.symbol);
        assert!(close(swatch, map), "{zone}: swatch {swatch:?}, map {map:?}");
        assert!(
            close(map, over_background(zone_fill(zone))),
            "{zone}: {map:?}"
        );
    }
}

/// Lines in the legend are the map's lines: the county line as thin and pale as on the map.
#[test]
fn line_layers_swatches_are_the_map_lines() {
    let atlas = atlas();
    let view = View::fit(
        atlas.bounds_of("corridor").expect("corridor"),
        [1920.0, 1080.0],
        24.0,
    );
    let scene = SceneBuilder::new(atlas).build(atlas, &view, &SceneOptions::default());
    for (layer, rank) in [(LayerId::Prefectures, 2), (LayerId::Counties, 3)] {
        let drawn = scene.items.iter().find_map(|item| match item {
            Item::Stroke { feature, style, .. }
                if feature.layer == LayerId::Boundaries
                    && atlas.feature(*feature).is_some_and(|f| f.rank == rank) =>
            {
                Some(*style)
            }
            _ => None,
        });
        assert_eq!(
            Some(legend::layer_symbol(atlas, layer)),
            drawn.map(LegendSymbol::Line),
            "{layer:?}"
        );
    }
}

/// A user's layer stands apart from the atlas: its default colours are none of the atlas's
/// platform, hub or zone colours (the first was the universities' blue), and its points have
/// a dark ring where the atlas's have white ones, so that a red point stays visible on the
/// core's red fill.
#[test]
fn a_users_layer_stands_apart_from_the_atlas() {
    use chengyu_atlas::model::user::LAYER_COLOURS;
    use chengyu_atlas::render::layers::user_ring;
    use chengyu_atlas::render::style;
    let atlas_colours: Vec<[u8; 3]> = [
        "university",
        "big-science facility",
        "laboratory",
        "research institute",
        "innovation centre",
        "industrial park",
        "enterprise",
        "incubator",
        "service platform",
    ]
    .iter()
    .map(|category| style::platform_colour(category))
    .chain([style::HUB_COLOUR])
    .chain(
        [
            "corridor",
            "science-city",
            "core",
            "shapingba",
            "jiulongpo",
            "beibei",
            "jiangjin",
            "bishan",
        ]
        .iter()
        .map(|zone| zone_fill(zone)),
    )
    .map(|colour| [colour.0[0], colour.0[1], colour.0[2]])
    .collect();
    let distance = |a: [u8; 3], b: [u8; 3]| {
        a.iter()
            .zip(b)
            .map(|(x, y)| (f32::from(*x) - f32::from(y)).powi(2))
            .sum::<f32>()
            .sqrt()
    };
    for colour in LAYER_COLOURS {
        for atlas_colour in &atlas_colours {
            assert!(
                distance(colour, *atlas_colour) > 60.0,
                "{colour:02x?} is close to the atlas's {atlas_colour:02x?}"
            );
        }
    }
    // The ring: dark around a red point (the core is red), white around a dark one.
    assert_ne!(user_ring([0xe1, 0x57, 0x59]), style::WHITE);
    assert_eq!(user_ring([0x21, 0x21, 0x21]), style::WHITE);
}
