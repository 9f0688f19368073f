//! Map snapshots as a user gets them: PNG pixels in the style table's colours, an SVG with its
//! layers as groups, a PDF of the paper size with its font embedded, and files that are written
//! whole or not at all.

use std::path::Path;

use geo::Contains;
use resvg::tiny_skia::Pixmap;

use chengyu_atlas::export::{
    self, Composition, ExportError, ExportRequest, Extent, Format, PageSize, Paper,
};
use chengyu_atlas::model::{Atlas, FeatureRef, Shape};
use chengyu_atlas::render::{Item, SceneBuilder};

use crate::common::{atlas, atlas_command, fresh_dir as temp_dir, zone_fill};

fn covers(atlas: &Atlas, feature: FeatureRef, at: geo::Coord) -> bool {
    match atlas.shape(feature).as_deref() {
        Some(Shape::Area(area)) => area.contains(&geo::Point(at)),
        _ => false,
    }
}

/// The colour the fills covering `at` should make, composited bottom first over the
/// background, and the topmost feature filled there.
fn expected_colour(
    atlas: &Atlas,
    composition: &Composition,
    at: geo::Coord,
) -> ([f32; 3], Option<FeatureRef>) {
    let scene = &composition.map;
    let mut colour = scene.background.0.map(f32::from);
    let mut top = None;
    for item in &scene.items {
        if let Item::Fill {
            feature, color: c, ..
        } = item
            && covers(atlas, *feature, at)
        {
            let alpha = c.alpha();
            for (channel, value) in colour.iter_mut().enumerate() {
                *value = f32::from(c.0[channel]) * alpha + *value * (1.0 - alpha);
            }
            top = Some(*feature);
        }
    }
    ([colour[0], colour[1], colour[2]], top)
}

fn pixel(pixmap: &Pixmap, x: u32, y: u32) -> [u8; 3] {
    let p = pixmap.pixel(x, y).expect("inside").demultiply();
    [p.red(), p.green(), p.blue()]
}

/// Whether the 7×7 pixels around (x, y) are all one colour: no line, marker or label there.
fn flat(pixmap: &Pixmap, x: u32, y: u32) -> bool {
    let centre = pixel(pixmap, x, y);
    (x.saturating_sub(3)..=x + 3).all(|px| {
        (y.saturating_sub(3)..=y + 3).all(|py| {
            let other = pixel(pixmap, px, py);
            (0..3).all(|c| centre[c].abs_diff(other[c]) <= 2)
        })
    })
}

/// A point of `zone` where the map shows only its fill, and that fill's colour on the PNG.
fn plain_point_of(
    atlas: &Atlas,
    composition: &Composition,
    pixmap: &Pixmap,
    zone: &str,
    outside: Option<&str>,
) -> (geo::Coord, [u8; 3], [f32; 3]) {
    let (wanted, feature) = atlas.find(zone).expect("zone");
    // Sample the zone where the map shows it, away from the layout's boxes (north arrow top
    // left, legend top right, scale bar bottom left, overview bottom right).
    let view = composition.map.view;
    let [w, h] = view.size;
    let inner_min = view.unproject([0.1 * w, 0.85 * h]);
    let inner_max = view.unproject([0.75 * w, 0.1 * h]);
    let zone_bounds = feature.shape.bounding_rect().expect("bounds");
    let bounds = geo::Rect::new(
        geo::coord! { x: zone_bounds.min().x.max(inner_min.x), y: zone_bounds.min().y.max(inner_min.y) },
        geo::coord! { x: zone_bounds.max().x.min(inner_max.x), y: zone_bounds.max().y.min(inner_max.y) },
    );
    let excluded = outside.and_then(|id| atlas.find(id)).map(|(r, _)| r);
    let labels: Vec<[f32; 4]> = composition.map.labels().map(|l| l.rect).collect();
    for i in 0..60 {
        for j in 0..60 {
            let at = geo::coord! {
                x: bounds.min().x + bounds.width() * (f64::from(i) + 0.5) / 60.0,
                y: bounds.min().y + bounds.height() * (f64::from(j) + 0.5) / 60.0,
            };
            if excluded.is_some_and(|e| covers(atlas, e, at)) {
                continue;
            }
            let (expected, top) = expected_colour(atlas, composition, at);
            if top != Some(wanted) {
                continue;
            }
            let [mx, my] = composition.map.view.project(at);
            if labels
                .iter()
                .any(|r| mx > r[0] - 6.0 && mx < r[2] + 6.0 && my > r[1] - 6.0 && my < r[3] + 6.0)
            {
                continue;
            }
            let [px, py] = composition.pixel(at);
            let (x, y) = (px.round() as u32, py.round() as u32);
            if x + 4 >= pixmap.width() || y + 4 >= pixmap.height() || !flat(pixmap, x, y) {
                continue;
            }
            // Markers are round: 7×7 flat might still sit on a big one; its colour is not a
            // fill, so let the comparison decide only where no marker is near.
            let near_marker = composition.map.items.iter().any(|item| match item {
                Item::Marker { at: m, style, .. } => {
                    (m[0] - mx).hypot(m[1] - my) < style.radius + 6.0
                }
                _ => false,
            });
            if near_marker {
                continue;
            }
            return (at, pixel(pixmap, x, y), expected);
        }
    }
    panic!("no plain point found in {zone}");
}

/// The science city on a 1920×1080 page.
fn science_city_page(atlas: &Atlas, builder: &mut SceneBuilder) -> Composition {
    let request = science_city_request(PageSize::Pixels {
        width: 1920,
        height: 1080,
    });
    export::compose(atlas, builder, &request).expect("compose")
}

fn science_city_request(size: PageSize) -> ExportRequest {
    ExportRequest::new(Extent::Feature("science-city".into()), size)
}

#[test]
fn a_science_city_png_shows_each_zone_in_its_style_table_colour() {
    let atlas = atlas();
    let mut builder = SceneBuilder::new(atlas);
    let composition = science_city_page(atlas, &mut builder);
    let png = export::encode(&composition.svg, &composition.page, Format::Png).expect("png");
    let pixmap = Pixmap::decode_png(&png).expect("a PNG");
    assert_eq!((pixmap.width(), pixmap.height()), (1920, 1080));

    let mut seen: Vec<[u8; 3]> = Vec::new();
    for (zone, outside) in [
        ("core", None),
        ("shapingba", None),
        ("jiulongpo", None),
        ("beibei", None),
        ("jiangjin", None),
        ("bishan", None),
        // The circle's fill, outside the science city.
        ("corridor", Some("science-city")),
    ] {
        let (at, drawn, expected) = plain_point_of(atlas, &composition, &pixmap, zone, outside);
        // The topmost fill is the style table's.
        let (feature_ref, _) = atlas.find(zone).expect("zone");
        let fill = composition.map.items.iter().find_map(|item| match item {
            Item::Fill { feature, color, .. } if *feature == feature_ref => Some(*color),
            _ => None,
        });
        assert_eq!(fill, Some(zone_fill(zone)), "{zone} fill");
        for channel in 0..3 {
            assert!(
                (f32::from(drawn[channel]) - expected[channel]).abs() <= 3.0,
                "{zone} at {at:?}: drawn {drawn:?}, style table gives {expected:?}"
            );
        }
        seen.push(drawn);
    }
    // Each of the seven shows its own colour.
    for (i, a) in seen.iter().enumerate() {
        for b in &seen[i + 1..] {
            assert!(
                (0..3).any(|c| a[c].abs_diff(b[c]) > 6),
                "two zones drawn alike: {seen:?}"
            );
        }
    }
}

#[test]
fn the_svg_parses_and_holds_a_group_per_visible_layer_with_text_as_outlines() {
    let atlas = atlas();
    let mut builder = SceneBuilder::new(atlas);
    let composition = science_city_page(atlas, &mut builder);
    let source = roxmltree::Document::parse(&composition.svg).expect("the page SVG parses");
    let classes: Vec<&str> = source
        .descendants()
        .filter(|n| n.has_tag_name("g"))
        .filter_map(|n| n.attribute("class"))
        .collect();
    let mut drawn_layers: Vec<_> = composition
        .map
        .items
        .iter()
        .filter_map(|item| match item {
            Item::Fill { feature, .. }
            | Item::Stroke { feature, .. }
            | Item::Marker { feature, .. } => Some(feature.layer),
            _ => None,
        })
        .collect();
    drawn_layers.dedup();
    assert!(drawn_layers.len() >= 8, "{drawn_layers:?}");
    for layer in drawn_layers {
        let class = format!("layer layer-{}", layer.key());
        assert!(classes.contains(&class.as_str()), "no group for {class}");
    }
    for id in ["legend", "scale-bar", "north-arrow", "overview", "map"] {
        assert!(
            source.descendants().any(|n| n.attribute("id") == Some(id)),
            "no {id}"
        );
    }

    // The written SVG has no text left to need a font: every glyph is a path.
    let written = export::encode(&composition.svg, &composition.page, Format::Svg).expect("svg");
    let written = String::from_utf8(written).expect("utf-8");
    let document = roxmltree::Document::parse(&written).expect("the written SVG parses");
    assert_eq!(document.root_element().attribute("width"), Some("1920"));
    assert!(!document.descendants().any(|n| n.has_tag_name("text")));
    assert!(
        document
            .descendants()
            .filter(|n| n.has_tag_name("path"))
            .count()
            > 1000
    );
}

/// The numbers of a PDF array like `/MediaBox [0 0 1190.55 841.89]`.
fn media_boxes(pdf: &str) -> Vec<Vec<f64>> {
    pdf.match_indices("/MediaBox")
        .map(|(at, _)| {
            let rest = &pdf[at..];
            let open = rest.find('[').expect("[");
            let close = rest.find(']').expect("]");
            rest[open + 1..close]
                .split_whitespace()
                .map(|n| n.parse().expect("a number"))
                .collect()
        })
        .collect()
}

#[test]
fn an_a3_landscape_pdf_is_one_page_of_a3_with_its_chinese_font_embedded() {
    let atlas = atlas();
    let mut builder = SceneBuilder::new(atlas);
    let request = science_city_request(PageSize::Paper {
        paper: Paper::A3,
        landscape: true,
        dpi: 150,
    });
    let pdf = export::render(atlas, &mut builder, &request, Format::Pdf).expect("pdf");
    assert!(pdf.starts_with(b"%PDF-"));
    let text = String::from_utf8_lossy(&pdf);
    let pages = text
        .match_indices("/Type /Page")
        .filter(|(at, _)| !text[at + 11..].starts_with('s'))
        .count();
    assert_eq!(pages, 1);
    let boxes = media_boxes(&text);
    assert_eq!(boxes.len(), 1, "{boxes:?}");
    // A3 is 420 × 297 mm: 1190.55 × 841.89 pt.
    let [x0, y0, x1, y1] = boxes[0][..] else {
        panic!("{boxes:?}")
    };
    assert!(
        (x1 - x0 - 1190.55).abs() < 0.5 && (y1 - y0 - 841.89).abs() < 0.5,
        "{boxes:?}"
    );
    // The bundled font travels with the file, as an embedded TrueType subset.
    assert!(text.contains("/FontFile2"), "no embedded font program");
    assert!(text.contains("NotoSansSC"), "not the bundled font");
}

#[test]
fn paper_sizes_follow_the_dpi_and_absurd_sizes_are_refused() {
    let a4 = export::Page::for_size(PageSize::Paper {
        paper: Paper::A4,
        landscape: false,
        dpi: 300,
    })
    .expect("a4");
    assert_eq!((a4.width_px, a4.height_px), (2480, 3508));
    assert!(matches!(
        export::Page::for_size(PageSize::Pixels {
            width: 100_000,
            height: 100_000
        }),
        Err(ExportError::TooLarge { .. })
    ));
    assert!(matches!(
        export::Page::for_size(PageSize::Pixels {
            width: 50,
            height: 40
        }),
        Err(ExportError::TooSmall { .. })
    ));
}

#[test]
fn line_widths_and_text_scale_with_the_resolution() {
    let atlas = atlas();
    let mut builder = SceneBuilder::new(atlas);
    let small = export::compose(
        atlas,
        &mut builder,
        &science_city_request(PageSize::Pixels {
            width: 1920,
            height: 1080,
        }),
    )
    .expect("1920");
    let large = export::compose(
        atlas,
        &mut builder,
        &science_city_request(PageSize::Pixels {
            width: 3840,
            height: 2160,
        }),
    )
    .expect("3840");
    // The same layout in points, twice the pixels per point: the map is the same map.
    assert_eq!(large.page.scale, 2.0 * small.page.scale);
    assert_eq!(large.map, small.map);
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn files_are_written_whole_and_never_replaced_without_force() {
    let atlas = atlas();
    let mut builder = SceneBuilder::new(atlas);
    let dir = temp_dir("files");
    let path = dir.join("core.svg");
    let request = ExportRequest::new(
        Extent::Feature("core".into()),
        PageSize::Pixels {
            width: 800,
            height: 600,
        },
    );
    export::export_to_file(atlas, &mut builder, &request, &path, false).expect("first export");
    let first = std::fs::read(&path).expect("written");
    assert!(matches!(
        export::export_to_file(atlas, &mut builder, &request, &path, false),
        Err(ExportError::Exists(_))
    ));
    // A failed export (too large) leaves the old file as it was and no temporary file.
    let huge = ExportRequest {
        size: PageSize::Pixels {
            width: 100_000,
            height: 100_000,
        },
        ..request.clone()
    };
    assert!(matches!(
        export::export_to_file(atlas, &mut builder, &huge, &path, true),
        Err(ExportError::TooLarge { .. })
    ));
    assert_eq!(std::fs::read(&path).expect("still there"), first);
    assert_eq!(files_in(&dir), vec!["core.svg".to_string()]);
    export::export_to_file(atlas, &mut builder, &request, &path, true).expect("forced");
    assert_eq!(files_in(&dir), vec!["core.svg".to_string()]);
}

fn run(args: &[&str]) -> (bool, String, String) {
    let output = atlas_command().args(args).output().expect("run export");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn the_command_line_exports_a_batch_with_one_start_up() {
    let dir = temp_dir("batch");
    let list = dir.join("views.txt");
    std::fs::write(
        &list,
        format!(
            "# view  file\nbeibei {}\n106.2,29.3,106.6,29.9 {}\n",
            dir.join("beibei.png").display(),
            dir.join("box.svg").display()
        ),
    )
    .expect("list");
    let core = dir.join("core.pdf");
    let (ok, stdout, stderr) = run(&[
        "export",
        "--view",
        "core",
        "--out",
        core.to_str().expect("utf-8"),
        "--list",
        list.to_str().expect("utf-8"),
        "--size",
        "1280x720",
        "--lang",
        "en",
        "--select",
        "core",
        "--no-overview",
    ]);
    assert!(ok, "{stderr}");
    assert_eq!(
        stdout.lines().filter(|l| l.starts_with("wrote ")).count(),
        3
    );
    let png =
        Pixmap::decode_png(&std::fs::read(dir.join("beibei.png")).expect("png")).expect("png");
    assert_eq!((png.width(), png.height()), (1280, 720));
    assert!(std::fs::read(&core).expect("pdf").starts_with(b"%PDF-"));
    assert!(
        std::fs::read_to_string(dir.join("box.svg"))
            .expect("svg")
            .starts_with("<svg")
    );
}

#[test]
fn each_view_out_group_takes_its_own_options_and_the_others_apply_to_every_page() {
    let dir = temp_dir("groups");
    let science_city = dir.join("science-city.png");
    let corridor = dir.join("corridor.png");
    let core = dir.join("core.png");
    // The README's batch, at 72 dpi to stay small, and a third page with the common size.
    let (ok, _, stderr) = run(&[
        "export",
        "--size",
        "800x500",
        "--view",
        "science-city",
        "--select",
        "core",
        "--size",
        "1000x600",
        "--out",
        science_city.to_str().expect("utf-8"),
        "--view",
        "corridor",
        "--paper",
        "a3",
        "--landscape",
        "--dpi",
        "72",
        "--lang",
        "en",
        "--out",
        corridor.to_str().expect("utf-8"),
        "--view",
        "core",
        "--out",
        core.to_str().expect("utf-8"),
    ]);
    assert!(ok, "{stderr}");
    let size = |path: &std::path::Path| {
        let png = Pixmap::decode_png(&std::fs::read(path).expect("png")).expect("png");
        (png.width(), png.height())
    };
    assert_eq!(size(&science_city), (1000, 600), "its own --size");
    // A3 landscape at 72 dpi: 420 × 297 mm.
    let (width, height) = size(&corridor);
    assert!(
        (1185..1197).contains(&width) && (836..848).contains(&height),
        "{width}×{height}"
    );
    assert_eq!(size(&core), (800, 500), "the common --size");
}

#[test]
fn a_zero_size_an_empty_extent_and_a_negative_point_are_said_plainly() {
    let dir = temp_dir("plain");
    let out = dir.join("map.png");
    let out = out.to_str().expect("utf-8");
    let (ok, _, stderr) = run(&["export", "--view", "core", "--size", "0x0", "--out", out]);
    assert!(!ok);
    assert!(
        stderr.contains("width and height must be at least 1"),
        "{stderr}"
    );
    let (ok, _, stderr) = run(&["export", "--view", "0,0,10,10", "--out", out]);
    assert!(!ok);
    assert!(stderr.contains("holds no data"), "{stderr}");
    assert!(files_in(&dir).is_empty(), "no blank page written");
    // West of Greenwich: a number, not an option.
    let (ok, stdout, stderr) = run(&["identify", "-73.98,40.75"]);
    assert!(ok, "{stderr}");
    assert!(stdout.contains("-73.98"), "{stdout}");
    // Every subcommand has --help, with its own usage.
    for command in ["export", "identify", "validate", "prepare-geodata"] {
        let (ok, stdout, _) = run(&[command, "--help"]);
        assert!(ok, "{command} --help");
        assert!(
            stdout.contains(&format!("chengyu-atlas {command}")),
            "{stdout}"
        );
        if command != "export" {
            assert!(
                !stdout.contains("chengyu-atlas export"),
                "{command}: {stdout}"
            );
        }
    }
}

#[test]
fn the_command_line_names_a_bad_view_a_bad_size_and_an_unwritable_path() {
    let dir = temp_dir("errors");
    let out = dir.join("map.png");
    let out = out.to_str().expect("utf-8");

    let (ok, _, stderr) = run(&["export", "--view", "nowhere", "--out", out]);
    assert!(!ok);
    assert!(
        stderr.contains("no zone or feature with id `nowhere`"),
        "{stderr}"
    );

    let (ok, _, stderr) = run(&["export", "--view", "core", "--size", "big", "--out", out]);
    assert!(!ok);
    assert!(
        stderr.contains("--size `big` is not WIDTHxHEIGHT"),
        "{stderr}"
    );

    let (ok, _, stderr) = run(&[
        "export",
        "--view",
        "core",
        "--size",
        "100000x100000",
        "--out",
        out,
    ]);
    assert!(!ok);
    assert!(
        stderr.contains("100000 × 100000 px is too large"),
        "{stderr}"
    );

    let (ok, _, stderr) = run(&[
        "export",
        "--view",
        "core",
        "--out",
        "/no/such/folder/map.png",
    ]);
    assert!(!ok);
    assert!(
        stderr.contains(
            "cannot write /no/such/folder/map.png: the folder /no/such/folder is not there"
        ),
        "{stderr}"
    );

    // A file where a folder should be.
    let blocker = dir.join("file");
    std::fs::write(&blocker, b"x").expect("file");
    let inside = blocker.join("map.png");
    let (ok, _, stderr) = run(&[
        "export",
        "--view",
        "core",
        "--out",
        inside.to_str().expect("utf-8"),
    ]);
    assert!(!ok);
    assert!(stderr.contains("is not a folder"), "{stderr}");

    let (ok, _, stderr) = run(&["export", "--view", "core", "--out", &format!("{out}.jpeg")]);
    assert!(!ok);
    assert!(stderr.contains("use .png, .svg or .pdf"), "{stderr}");

    // No half files were left behind.
    assert_eq!(files_in(&dir), vec!["file".to_string()]);

    // An existing file is kept unless --force.
    std::fs::write(dir.join("map.png"), b"mine").expect("file");
    let (ok, _, stderr) = run(&["export", "--view", "core", "--out", out]);
    assert!(!ok);
    assert!(stderr.contains("exists; use --force"), "{stderr}");
    assert_eq!(std::fs::read(dir.join("map.png")).expect("kept"), b"mine");
    let (ok, _, stderr) = run(&["export", "--view", "core", "--out", out, "--force"]);
    assert!(ok, "{stderr}");
    assert!(
        std::fs::read(dir.join("map.png"))
            .expect("replaced")
            .starts_with(b"\x89PNG")
    );
}

#[test]
fn exports_use_only_the_bundled_font() {
    let fonts = export::fonts();
    let families: Vec<String> = fonts
        .faces()
        .flat_map(|face| face.families.iter().map(|(name, _)| name.clone()))
        .collect();
    assert_eq!(families, vec!["Noto Sans SC".to_string()]);
}

#[test]
fn a_paper_png_records_its_resolution_so_it_prints_at_paper_size() {
    let atlas = atlas();
    let mut builder = SceneBuilder::new(atlas);
    let request = ExportRequest::new(
        Extent::Feature("core".into()),
        PageSize::Paper {
            paper: Paper::A4,
            landscape: false,
            dpi: 150,
        },
    );
    let png = export::render(atlas, &mut builder, &request, Format::Png).expect("png");
    let at = png
        .windows(4)
        .position(|w| w == b"pHYs")
        .expect("a pHYs chunk");
    let per_metre = u32::from_be_bytes(png[at + 4..at + 8].try_into().expect("4 bytes"));
    // 150 dpi is 5905.5 px/m; the exact figure makes the 1240 px exactly 210 mm.
    assert!(per_metre.abs_diff(5906) <= 1, "150 dpi: {per_metre}");
    assert_eq!(png[at + 12], 1, "per metre");
    // Still a PNG any decoder reads (the chunk's CRC is right).
    let pixmap = Pixmap::decode_png(&png).expect("decodes");
    let width_mm = f64::from(pixmap.width()) / f64::from(per_metre) * 1000.0;
    assert!((width_mm - 210.0).abs() < 0.5, "{width_mm} mm");
}

#[test]
fn the_legend_lists_only_what_the_map_shows() {
    let atlas = atlas();
    let mut builder = SceneBuilder::new(atlas);
    let legend_of = |builder: &mut SceneBuilder, zone: &str| {
        let request = ExportRequest::new(
            Extent::Feature(zone.into()),
            PageSize::Pixels {
                width: 1920,
                height: 1080,
            },
        );
        let svg = export::compose(atlas, builder, &request)
            .expect("compose")
            .svg;
        let start = svg.find("<g id=\"legend\">").expect("legend");
        let end = start + svg[start..].find("</g>").expect("end");
        svg[start..end].to_string()
    };
    let beibei = legend_of(&mut builder, "beibei");
    assert!(beibei.contains("北碚片区"));
    assert!(!beibei.contains("江津片区"), "Jiangjin is far off this map");
    let science_city = legend_of(&mut builder, "science-city");
    for district in [
        "沙坪坝片区",
        "九龙坡片区",
        "北碚片区",
        "江津片区",
        "璧山片区",
    ] {
        assert!(science_city.contains(district), "{district}");
    }
}

/// No map label lies under the legend, the inset, the scale bar or the north arrow; the circle
/// page has its inset too (the provinces around, the circle marked).
#[test]
fn the_boxes_over_an_a4_map_cover_no_label_and_every_page_has_its_inset() {
    let a4 = PageSize::Paper {
        paper: Paper::A4,
        landscape: true,
        dpi: 150,
    };
    for (extent, select) in [
        ("science-city", Some("core")),
        ("corridor", None),
        ("core", None),
    ] {
        let mut request = ExportRequest::new(Extent::Feature(extent.into()), a4);
        if let Some(id) = select {
            request.highlight =
                export::selecting(atlas(), id, chengyu_atlas::Lang::Zh).expect("selection");
        }
        let mut builder = SceneBuilder::new(atlas());
        let composition = export::compose(atlas(), &mut builder, &request).expect("page");
        assert!(
            composition.covered.len() >= 3,
            "{extent}: {:?}",
            composition.covered
        );
        let overlaps =
            |a: &[f32; 4], b: &[f32; 4]| a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];
        let mut labels = 0;
        for item in &composition.map.items {
            if let Item::Label(label) = item {
                labels += 1;
                for covered in &composition.covered {
                    assert!(
                        !overlaps(&label.rect, covered),
                        "{extent}: {} at {:?} under {covered:?}",
                        label.text,
                        label.rect
                    );
                }
            }
        }
        assert!(labels > 5, "{extent}: the map is still named");
        assert!(
            composition.svg.contains("id=\"overview\""),
            "{extent}: the inset"
        );
    }
}

/// The legend's text is legible on the page it is on: at least 12 pixels on a 1920×1080
/// image, at least 8 typographic points on A4 (it was 10 px, and 6.5 pt on paper).
#[test]
fn legend_text_is_at_least_12_px_on_screen_and_8_pt_in_print() {
    let atlas = atlas();
    let mut builder = SceneBuilder::new(atlas);
    let a4 = PageSize::Paper {
        paper: chengyu_atlas::export::Paper::A4,
        landscape: false,
        dpi: 300,
    };
    let screen = PageSize::Pixels {
        width: 1920,
        height: 1080,
    };
    for (size, least, unit) in [(screen, 12.0, "px"), (a4, 8.0, "pt")] {
        let page = export::compose(atlas, &mut builder, &science_city_request(size)).expect("page");
        let start = page.svg.find("<g id=\"legend\">").expect("a legend");
        let end = start + page.svg[start..].find("</g>\n").expect("its end");
        let legend = &page.svg[start..end];
        let sizes: Vec<f32> = legend
            .split("font-size=\"")
            .skip(1)
            .filter_map(|rest| rest.split('"').next()?.parse().ok())
            .collect();
        assert!(sizes.len() > 5, "{legend}");
        for layout in sizes {
            // A layout point is a pixel of a 1920×1080 page and ¾ of a typographic point.
            let shown = if unit == "px" {
                layout * page.page.scale
            } else {
                layout * 0.75
            };
            assert!(shown >= least, "legend text of {shown} {unit}");
        }
    }
}
