//! One scene, two painters: the egui painter (the window) and the SVG writer (the exports) draw
//! every item of a scene with the same polygons, colours, widths, dashes and texts. Each item
//! is painted on its own by both, and the two outputs are compared shape for shape.

use std::collections::HashSet;

use egui::epaint::{ColorMode, Shape};
use egui::{Color32, Pos2};

use chengyu_atlas::model::Lang;
use chengyu_atlas::render::svg::write_scene;
use chengyu_atlas::render::{
    Highlight, Item, Scene, SceneBuilder, SceneOptions, View, cooperation_links, egui_painter,
};

use crate::common::atlas;

/// What the SVG writer wrote for one item: its elements with their attributes and text.
struct Element {
    tag: String,
    attributes: Vec<(String, String)>,
    text: String,
}

impl Element {
    fn get(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    fn number(&self, name: &str) -> f32 {
        self.get(name)
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("<{}> has no number `{name}`", self.tag))
    }

    /// The colour of `fill` or `stroke`, with its opacity, as egui stores it.
    fn colour(&self, paint: &str) -> Color32 {
        let hex = self.get(paint).expect("a colour");
        let channel = |at: usize| u8::from_str_radix(&hex[at..at + 2], 16).expect("hex");
        let opacity: f32 = self
            .get(&format!("{paint}-opacity"))
            .map_or(1.0, |v| v.parse().expect("opacity"));
        Color32::from_rgba_unmultiplied(
            channel(1),
            channel(3),
            channel(5),
            (opacity * 255.0).round() as u8,
        )
    }

    /// The points of a path's data (`M`, `L` and `Q` commands), as the SVG writes them.
    fn path_points(&self) -> Vec<[f32; 2]> {
        let data = self.get("d").expect("path data");
        let mut numbers = Vec::new();
        for token in data.split(|c: char| c.is_ascii_alphabetic() || c == ' ') {
            if let Ok(value) = token.parse::<f32>() {
                numbers.push(value);
            }
        }
        numbers.chunks(2).map(|pair| [pair[0], pair[1]]).collect()
    }
}

/// The SVG elements the writer makes for `scene`.
fn svg_elements(scene: &Scene) -> Vec<Element> {
    let mut body = String::new();
    write_scene(scene, &mut body);
    let svg = format!("<svg xmlns=\"http://www.w3.org/2000/svg\">{body}</svg>");
    let document = roxmltree::Document::parse(&svg).expect("the scene's SVG parses");
    document
        .descendants()
        .filter(|node| node.is_element() && !matches!(node.tag_name().name(), "svg" | "g"))
        .map(|node| Element {
            tag: node.tag_name().name().to_string(),
            attributes: node
                .attributes()
                .map(|a| (a.name().to_string(), a.value().to_string()))
                .collect(),
            text: node.text().unwrap_or_default().to_string(),
        })
        .collect()
}

/// The shapes the egui painter makes for `scene`, without the background.
fn egui_shapes(ctx: &egui::Context, scene: &Scene) -> Vec<Shape> {
    let [w, h] = scene.view.size;
    let input = egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(Pos2::ZERO, egui::vec2(w, h))),
        ..Default::default()
    };
    // Twice, as the window repaints: the second frame draws the lines from the stroke cache.
    let mut strokes = egui_painter::StrokeCache::default();
    ctx.run_ui(input.clone(), |ui| {
        egui_painter::paint(scene, ui.painter(), Pos2::ZERO, &mut strokes);
    })
    .textures_delta
    .clear();
    let mut output = ctx.run_ui(input, |ui| {
        egui_painter::paint(scene, ui.painter(), Pos2::ZERO, &mut strokes);
    });
    output.textures_delta.clear();
    let mut shapes: Vec<Shape> = output.shapes.into_iter().map(|c| c.shape).collect();
    assert!(
        matches!(shapes.first(), Some(Shape::Rect(_))),
        "the background first"
    );
    let _background = shapes.remove(0);
    shapes
}

fn solid(colour: &ColorMode) -> Color32 {
    match colour {
        ColorMode::Solid(colour) => *colour,
        ColorMode::UV(_) => panic!("a gradient"),
    }
}

/// A point as the SVG writes it, for comparing point sets.
fn key([x, y]: [f32; 2]) -> String {
    format!("{x:.2} {y:.2}")
}

/// Well inside the view: clear of where either painter cuts lines at its edges.
fn inside(size: [f32; 2], [x, y]: [f32; 2]) -> bool {
    x > 1.0 && y > 1.0 && x < size[0] - 1.0 && y < size[1] - 1.0
}

fn close(a: [f32; 2], b: [f32; 2]) -> bool {
    (a[0] - b[0]).abs() < 0.011 && (a[1] - b[1]).abs() < 0.011
}

fn pos(p: Pos2) -> [f32; 2] {
    [p.x, p.y]
}

/// The same polygon: every vertex the SVG keeps inside the view is a vertex of egui's mesh
/// there, and every vertex of the mesh inside the view is in the SVG.
fn same_vertices_in_view(size: [f32; 2], egui: &[[f32; 2]], svg: &[[f32; 2]], what: &str) {
    let ours: HashSet<String> = egui.iter().map(|p| key(*p)).collect();
    let theirs: HashSet<String> = svg.iter().map(|p| key(*p)).collect();
    // Rounding to two decimals may fall either side of .005: allow a point a hundredth away.
    let near = |set: &HashSet<String>, points: &[[f32; 2]], p: [f32; 2]| {
        set.contains(&key(p)) || points.iter().any(|q| close(p, *q))
    };
    let mut seen = 0;
    for p in svg.iter().filter(|p| inside(size, **p)) {
        assert!(
            near(&ours, egui, *p),
            "{what}: SVG vertex {p:?} not in egui's (nearest {:?}; {} egui, {} SVG points)",
            egui.iter().min_by(|a, b| {
                let d = |q: &&[f32; 2]| (q[0] - p[0]).powi(2) + (q[1] - p[1]).powi(2);
                d(a).total_cmp(&d(b))
            }),
            egui.len(),
            svg.len()
        );
        seen += 1;
    }
    for p in egui.iter().filter(|p| inside(size, **p)) {
        assert!(
            near(&theirs, svg, *p),
            "{what}: egui vertex {p:?} not in the SVG"
        );
        seen += 1;
    }
    assert!(
        seen > 0 || egui.iter().chain(svg).all(|p| !inside(size, *p)),
        "{what}"
    );
}

/// Compares the two painters on one item.
fn compare(scene: &Scene, item: &Item, egui: &[Shape], svg: &[Element], what: &str) {
    let size = scene.view.size;
    match item {
        Item::Fill { .. } | Item::TileFill { .. } => {
            let [Shape::Mesh(mesh)] = egui else {
                panic!("{what}: egui drew {egui:?}");
            };
            let [path] = svg else {
                panic!("{what}: not one SVG path")
            };
            assert_eq!(mesh.vertices[0].color, path.colour("fill"), "{what} colour");
            let vertices: Vec<[f32; 2]> = mesh.vertices.iter().map(|v| pos(v.pos)).collect();
            same_vertices_in_view(size, &vertices, &path.path_points(), what);
        }
        Item::Stroke { style, .. } | Item::TileStroke { style, .. } => {
            let [path] = svg else {
                panic!("{what}: not one SVG path")
            };
            assert_eq!(
                path.get("stroke-dasharray").is_some(),
                style.dash.is_some(),
                "{what}"
            );
            // The window draws the stroke as one mesh, tessellated from these lines.
            let [Shape::Mesh(mesh)] = egui else {
                panic!("{what}: egui drew {egui:?}");
            };
            let colour = path.colour("stroke");
            // Feathered edges and hairlines fade the colour; they never change it.
            let faded_from = |v: Color32| {
                let (v, c) = (v.to_array(), colour.to_array());
                (0..3).all(|i| {
                    (i32::from(v[i]) * i32::from(c[3]) - i32::from(c[i]) * i32::from(v[3])).abs()
                        <= 2 * i32::from(c[3])
                }) && v[3] <= c[3]
            };
            assert!(
                mesh.vertices.iter().all(|v| faded_from(v.color)),
                "{what}: mesh colour"
            );
            let lines = egui_painter::line_shapes(scene, item, Pos2::ZERO);
            assert!(lines.is_empty() || !mesh.is_empty(), "{what}: no mesh");
            let mut points = Vec::new();
            for shape in &lines {
                let (colour, width) = match shape {
                    Shape::Path(p) => {
                        points.extend(p.points.iter().map(|q| pos(*q)));
                        (solid(&p.stroke.color), p.stroke.width)
                    }
                    Shape::LineSegment { stroke, .. } => (stroke.color, stroke.width),
                    other => panic!("{what}: egui drew {other:?}"),
                };
                assert_eq!(colour, path.colour("stroke"), "{what} colour");
                // The SVG writes widths to two decimals (a vector tile's road: 0.539 → 0.54).
                assert!(
                    (width - path.number("stroke-width")).abs() <= 0.005,
                    "{what} width {width} against {}",
                    path.number("stroke-width")
                );
            }
            if style.dash.is_none() {
                same_vertices_in_view(size, &points, &path.path_points(), what);
            }
        }
        Item::Marker { count, .. } => compare_marker(egui, svg, *count, what),
        Item::Circle { .. } => {
            let [circle] = svg else {
                panic!("{what}: not one SVG circle")
            };
            let Shape::Circle(filled) = &egui[0] else {
                panic!("{what}: egui drew {:?}", egui[0]);
            };
            assert_eq!(filled.fill, circle.colour("fill"), "{what} fill");
            assert!(close(
                pos(filled.center),
                [circle.number("cx"), circle.number("cy")]
            ));
            assert!(
                (filled.radius - circle.number("r")).abs() < 0.011,
                "{what} radius"
            );
            for shape in &egui[1..] {
                // Dashed: segments; solid: one stroked circle.
                let stroke = match shape {
                    Shape::LineSegment { stroke, .. } => *stroke,
                    Shape::Circle(ring) if ring.fill == egui::Color32::TRANSPARENT => ring.stroke,
                    _ => panic!("{what}: egui drew {shape:?}"),
                };
                assert_eq!(stroke.color, circle.colour("stroke"), "{what} outline");
                assert_eq!(stroke.width, circle.number("stroke-width"), "{what} width");
            }
        }
        Item::Arrow { .. } => compare_arrow(egui, svg, what),
        Item::Veil { color } => {
            let ([Shape::Rect(rect)], [veil]) = (egui, svg) else {
                panic!("{what}: egui {egui:?}");
            };
            assert_eq!(rect.fill, veil.colour("fill"), "{what}");
            assert_eq!(rect.fill, egui_painter::color32(*color));
        }
        // A page's raster basemap: the SVG embeds it over the whole frame; the window leaves
        // it to walkers, which draws the package's tiles itself.
        Item::Image(image) => {
            assert!(egui.is_empty(), "{what}: the window drew {egui:?}");
            let [picture] = svg else {
                panic!("{what}: not one SVG image")
            };
            assert_eq!(picture.tag, "image", "{what}");
            assert_eq!(
                [picture.number("width"), picture.number("height")],
                size,
                "{what}"
            );
            let mime = if image.jpeg {
                "image/jpeg"
            } else {
                "image/png"
            };
            assert!(
                picture
                    .get("href")
                    .is_some_and(|h| h.starts_with(&format!("data:{mime};base64,"))),
                "{what}"
            );
        }
        Item::Label(label) => {
            let [halo, text] = svg else {
                panic!("{what}: not two SVG texts")
            };
            assert_eq!(egui.len(), 9, "{what}: eight halo copies and the text");
            for (index, shape) in egui.iter().enumerate() {
                let Shape::Text(shape) = shape else {
                    panic!("{what}: {shape:?}")
                };
                assert_eq!(shape.galley.text(), label.text, "{what}");
                let colour = shape.override_text_color.unwrap_or(shape.fallback_color);
                let svg_colour = if index < 8 {
                    halo.colour("stroke")
                } else {
                    text.colour("fill")
                };
                assert_eq!(colour, svg_colour, "{what}: text colour {index}");
            }
            assert_eq!(
                (halo.text.as_str(), text.text.as_str()),
                (label.text.as_str(), label.text.as_str())
            );
            assert_eq!(
                text.number("font-size"),
                (label.style.size * 10.0).round() / 10.0
            );
            // Turned alike: egui's angle (radians) and the SVG's rotate (degrees), both about
            // the label's centre; unturned, neither turns it.
            let svg_degrees = text.get("transform").map_or(0.0, |t| {
                t.trim_start_matches("rotate(")
                    .split(' ')
                    .next()
                    .and_then(|d| d.parse::<f32>().ok())
                    .unwrap_or_else(|| panic!("{what}: transform {t}"))
            });
            for shape in egui {
                let Shape::Text(shape) = shape else { continue };
                assert!(
                    (shape.angle.to_degrees() - svg_degrees).abs() < 0.01,
                    "{what}: turned {} in the window, {svg_degrees} in the SVG",
                    shape.angle.to_degrees()
                );
            }
            assert_eq!(halo.get("transform"), text.get("transform"), "{what}");
        }
    }
}

fn compare_marker(egui: &[Shape], svg: &[Element], count: u32, what: &str) {
    let symbol = &svg[0];
    match symbol.tag.as_str() {
        "circle" => {
            let [Shape::Circle(fill), Shape::Circle(ring), ..] = egui else {
                panic!("{what}: egui drew {egui:?}");
            };
            assert_eq!(fill.fill, symbol.colour("fill"), "{what} fill");
            assert_eq!(ring.stroke.color, symbol.colour("stroke"), "{what} outline");
            assert_eq!(
                ring.stroke.width,
                symbol.number("stroke-width"),
                "{what} width"
            );
            assert!(close(
                pos(fill.center),
                [symbol.number("cx"), symbol.number("cy")]
            ));
            assert!(
                (fill.radius - symbol.number("r")).abs() < 0.011,
                "{what} radius"
            );
        }
        _ => {
            let Shape::Path(diamond) = &egui[0] else {
                panic!("{what}: {:?}", egui[0])
            };
            assert_eq!(diamond.fill, symbol.colour("fill"), "{what} fill");
            assert_eq!(
                solid(&diamond.stroke.color),
                symbol.colour("stroke"),
                "{what}"
            );
            let corners: Vec<[f32; 2]> = diamond.points.iter().map(|p| pos(*p)).collect();
            let written = symbol.path_points();
            assert!(
                corners.iter().zip(&written).all(|(a, b)| close(*a, *b)),
                "{what}"
            );
        }
    }
    let egui_count = egui.iter().find_map(|shape| match shape {
        Shape::Text(text) => Some(text.galley.text().to_string()),
        _ => None,
    });
    let svg_count = svg.iter().find(|e| e.tag == "text").map(|e| e.text.clone());
    assert_eq!(egui_count, svg_count, "{what}: the count");
    assert_eq!(
        egui_count.is_some(),
        count > 1,
        "{what}: a count only on clusters"
    );
}

fn compare_arrow(egui: &[Shape], svg: &[Element], what: &str) {
    let [casing, line, head] = svg else {
        panic!("{what}: not three SVG paths")
    };
    let Shape::Path(egui_casing) = &egui[0] else {
        panic!("{what}: {:?}", egui[0])
    };
    assert_eq!(
        solid(&egui_casing.stroke.color),
        casing.colour("stroke"),
        "{what} casing"
    );
    assert_eq!(
        egui_casing.stroke.width,
        casing.number("stroke-width"),
        "{what} casing"
    );
    // The curve starts and ends where the SVG's does.
    let curve = casing.path_points();
    let (first, last) = (
        egui_casing.points[0],
        egui_casing.points[egui_casing.points.len() - 1],
    );
    assert!(
        close(pos(first), curve[0]) && close(pos(last), curve[2]),
        "{what} ends"
    );
    let Some(Shape::Path(egui_head)) = egui.last() else {
        panic!("{what}: no head")
    };
    assert_eq!(egui_head.fill, head.colour("fill"), "{what} head");
    assert_eq!(
        solid(&egui_head.stroke.color),
        head.colour("stroke"),
        "{what} head outline"
    );
    assert_eq!(
        egui_head.stroke.width,
        head.number("stroke-width"),
        "{what} head outline"
    );
    let corners: Vec<[f32; 2]> = egui_head.points.iter().map(|p| pos(*p)).collect();
    assert!(
        corners
            .iter()
            .zip(head.path_points())
            .all(|(a, b)| close(*a, b)),
        "{what}"
    );
    for shape in &egui[1..egui.len() - 1] {
        let (colour, width) = match shape {
            Shape::Path(p) => (solid(&p.stroke.color), p.stroke.width),
            Shape::LineSegment { stroke, .. } => (stroke.color, stroke.width),
            other => panic!("{what}: {other:?}"),
        };
        assert_eq!(colour, line.colour("stroke"), "{what} line");
        assert_eq!(width, line.number("stroke-width"), "{what} line");
    }
    let dashed = egui.len() > 3;
    assert_eq!(
        line.get("stroke-dasharray").is_some(),
        dashed,
        "{what} dashes"
    );
}

/// Paints every item of `scene` alone with both painters and compares them.
fn both_painters_agree(scene: &Scene) -> usize {
    let ctx = egui::Context::default();
    ctx.set_fonts(chengyu_atlas::ui::fonts::definitions());
    let _ = egui_shapes(&ctx, scene); // the fonts take effect from the next pass
    for (index, item) in scene.items.iter().enumerate() {
        let alone = Scene {
            clusters: Vec::new(),
            items: vec![item.clone()],
            ..scene.clone()
        };
        let what = format!(
            "item {index} ({})",
            format!("{item:?}").chars().take(60).collect::<String>()
        );
        compare(
            scene,
            item,
            &egui_shapes(&ctx, &alone),
            &svg_elements(&alone),
            &what,
        );
    }
    scene.items.len()
}

fn fitted(zone: &str) -> View {
    View::fit(
        atlas().bounds_of(zone).expect("zone"),
        [1280.0, 800.0],
        24.0,
    )
}

#[test]
fn the_window_and_the_export_paint_a_selection_with_its_arrows_alike() {
    let atlas = atlas();
    let (core, _) = atlas.find("core").expect("core");
    let emphasised: Vec<_> = atlas
        .features()
        .filter(|(_, f)| {
            f.platform()
                .is_some_and(|p| p.industries.iter().any(|i| i == "smart-sensors"))
        })
        .map(|(r, _)| r)
        .chain(atlas.find("beibei").map(|(r, _)| r))
        .collect();
    let options = SceneOptions {
        lang: Lang::En,
        highlight: Highlight {
            selected: Some(core),
            hovered: atlas.find("jiangjin").map(|(r, _)| r),
            links: cooperation_links(atlas, core, Lang::En),
            emphasised,
            ..Highlight::default()
        },
        ..SceneOptions::default()
    };
    let scene = SceneBuilder::new(atlas).build(atlas, &fitted("science-city"), &options);
    assert!(
        scene
            .items
            .iter()
            .any(|i| matches!(i, Item::Arrow { style, .. } if style.dash.is_some()))
    );
    assert!(
        scene
            .items
            .iter()
            .any(|i| matches!(i, Item::Marker { count, .. } if *count > 1))
    );
    assert!(both_painters_agree(&scene) > 100);
}

#[test]
fn the_window_and_the_export_paint_platforms_and_a_spotlight_alike() {
    let atlas = atlas();
    let (tours, _) = chengyu_atlas::tour::load_all(None);
    let tour = &tours[0];
    let mut veils = 0;
    for stop in &tour.stops {
        let view = chengyu_atlas::render::view_for(atlas, &stop.extent(), [1280.0, 800.0])
            .expect("stop view");
        let scene =
            SceneBuilder::new(atlas).build(atlas, &view, &stop.scene_options(atlas, Lang::Zh));
        veils += scene
            .items
            .iter()
            .filter(|i| matches!(i, Item::Veil { .. }))
            .count();
        both_painters_agree(&scene);
    }
    assert!(
        veils >= tour.stops.len() - 1,
        "the spotlights' veils were compared: {veils}"
    );
    // Platforms named one by one, an accuracy circle.
    let core = fitted("core");
    let zoomed = View {
        zoom: core.zoom + 1.5,
        ..core
    };
    let platform = atlas
        .features()
        .find(|(_, f)| f.platform().is_some_and(|p| p.accuracy_m >= 1000.0))
        .map(|(r, _)| r);
    let options = SceneOptions {
        highlight: Highlight {
            selected: platform,
            ..Highlight::default()
        },
        ..SceneOptions::default()
    };
    let scene = SceneBuilder::new(atlas).build(atlas, &zoomed, &options);
    assert!(
        scene
            .items
            .iter()
            .any(|i| matches!(i, Item::Circle { style, .. } if style.dash.is_some())),
        "the accuracy circle was compared"
    );
    both_painters_agree(&scene);
}

/// Over a vector package the window and the export draw its water, land use, buildings and
/// roads alike, and turn a road's name by the same angle; over a raster package's picture
/// (an export's), the window leaves the picture to walkers.
#[test]
fn the_window_and_the_export_paint_a_vector_basemap_alike() {
    use chengyu_atlas::basemap::Package;
    use chengyu_atlas::export::ExportBasemap;
    let atlas = atlas();
    let package = Package::open(&crate::common::test_data("basemap/vector.mbtiles"))
        .expect("the vector fixture opens");
    let shown = [ExportBasemap {
        package,
        opacity: 1.0,
    }];
    // The science city, where the fixture has its lakes, roads and names.
    let view = fitted("science-city");
    let mut builder = SceneBuilder::new(atlas);
    let (tiles, problems) =
        chengyu_atlas::export::vector_tiles(&view, shown.iter(), builder.origin());
    assert!(problems.is_empty(), "{problems:?}");
    let options = SceneOptions {
        vector_tiles: tiles,
        basemap_below: true,
        ..SceneOptions::default()
    };
    let scene = builder.build(atlas, &view, &options);
    let count = |wanted: fn(&Item) -> bool| scene.items.iter().filter(|i| wanted(i)).count();
    assert!(
        count(|i| matches!(i, Item::TileFill { .. })) > 0,
        "tile fills"
    );
    assert!(
        count(|i| matches!(i, Item::TileStroke { .. })) > 0,
        "tile strokes"
    );
    both_painters_agree(&scene);
    // A turned label, compared for its angle: the road name, or one turned here on purpose.
    let mut turned = scene.clone();
    let label = turned.items.iter_mut().find_map(|i| match i {
        Item::Label(label) => Some(label),
        _ => None,
    });
    if let Some(label) = label {
        label.angle = 0.6;
    }
    turned
        .items
        .retain(|i| matches!(i, Item::Label(l) if l.angle != 0.0));
    assert!(!turned.items.is_empty(), "a turned label");
    both_painters_agree(&turned);
    // A raster picture (what an export puts under the map).
    let picture = Scene {
        items: vec![Item::Image(chengyu_atlas::render::scene::RasterImage {
            bytes: std::sync::Arc::new(vec![0x89, b'P', b'N', b'G']),
            jpeg: false,
            width: 4,
            height: 4,
        })],
        ..scene.clone()
    };
    both_painters_agree(&picture);
}

/// The user's own layers (a KMZ of districts, areas labelled by name; a table of platforms,
/// points in rings with clusters and one selected; notes, one with a leader arrow and one
/// without a halo) are painted alike by the window and the export.
#[test]
fn the_window_and_the_export_paint_the_users_layers_alike() {
    use chengyu_atlas::geodata::user::{self, LayerSpec};
    use chengyu_atlas::model::FeatureRef;
    let mut atlas = atlas().clone();
    let mut ids = Vec::new();
    for file in [
        "user/districts-ogr.kmz",
        "user/platforms-ogr.csv",
        "user/notes.geojson",
    ] {
        let spec = LayerSpec::new(crate::common::test_data(file), None);
        let (id, _) = user::add_to(&mut atlas, &spec).expect("the fixture is added");
        ids.push(id);
    }
    let view = View::fit(
        atlas.bounds_of("science-city").expect("zone"),
        [1280.0, 800.0],
        24.0,
    );
    let mut options = SceneOptions::default();
    options.highlight.selected = Some(FeatureRef {
        layer: ids[1],
        index: 0,
    });
    let scene = SceneBuilder::new(&atlas).build(&atlas, &view, &options);
    let of_layer = |id, wanted: fn(&Item) -> bool| {
        scene
            .items
            .iter()
            .filter(|i| wanted(i) && i.feature().map(|f| f.layer) == Some(id))
            .count()
    };
    assert!(
        of_layer(ids[0], |i| matches!(i, Item::Fill { .. })) > 0,
        "areas"
    );
    assert!(
        of_layer(ids[1], |i| matches!(i, Item::Marker { .. })) > 0,
        "points"
    );
    assert!(
        scene
            .items
            .iter()
            .any(|i| matches!(i, Item::Marker { feature, .. }
            if *feature == FeatureRef { layer: ids[1], index: 0 })),
        "the selected point has its own marker"
    );
    assert!(
        scene
            .items
            .iter()
            .any(|i| matches!(i, Item::Label(l) if l.text.contains('区'))),
        "the districts are labelled by name"
    );
    let note = |text: &str| {
        scene.items.iter().find_map(|i| match i {
            Item::Label(l) if l.text == text => Some(l.style),
            _ => None,
        })
    };
    let road = note("规划道路").expect("a note is always drawn");
    assert_eq!((road.size, road.color.0), (18.0, [0xb0, 0x1c, 0x1c, 0xff]));
    let lab = note("新实验室").expect("a note is always drawn");
    assert_eq!(lab.halo.0[3], 0, "no halo");
    assert!(
        scene.items.iter().any(|i| matches!(i, Item::Arrow { .. })),
        "the leader arrow"
    );
    both_painters_agree(&scene);
}
