//! The scene on the real data: what each view holds, in which order, in which language.

use chengyu_atlas::model::{Atlas, FeatureRef, Lang, LayerId};
use chengyu_atlas::render::scene::Item;
use chengyu_atlas::render::style::{LineStyle, Rgba};
use chengyu_atlas::render::{LayerSettings, Scene, SceneBuilder, SceneOptions, View};

use crate::common::{atlas, zone_fill};

fn fitted(atlas: &Atlas, zone: &str) -> View {
    View::fit(atlas.bounds_of(zone).expect("zone"), [1920.0, 1080.0], 24.0)
}

fn layers_in(scene: &Scene) -> Vec<LayerId> {
    let mut layers: Vec<LayerId> = scene
        .items
        .iter()
        .filter_map(|item| match item {
            Item::Fill { feature, .. }
            | Item::Stroke { feature, .. }
            | Item::Marker { feature, .. } => Some(feature.layer),
            _ => None,
        })
        .collect();
    layers.dedup();
    layers
}

fn label_texts(scene: &Scene) -> Vec<&str> {
    scene.labels().map(|label| label.text.as_str()).collect()
}

#[test]
fn the_corridor_view_shows_every_layer_and_the_two_metropolises() {
    let atlas = atlas();
    let view = fitted(atlas, "corridor");
    let scene = SceneBuilder::new(atlas).build(atlas, &view, &SceneOptions::default());
    let layers = layers_in(&scene);
    for layer in [
        LayerId::Provinces,
        LayerId::Boundaries,
        LayerId::Rivers,
        LayerId::Corridor,
        LayerId::ScienceCity,
        LayerId::Core,
    ] {
        assert!(layers.contains(&layer), "{layer:?} missing from {layers:?}");
    }
    let labels = label_texts(&scene);
    assert!(
        labels.contains(&"成都") && labels.contains(&"重庆"),
        "{labels:?}"
    );
}

/// Land first, then zone fills, boundaries, rivers, zone outlines and labels last, so that no
/// fill hides a boundary and every label stays readable.
#[test]
fn items_come_in_cartographic_order() {
    let atlas = atlas();
    let scene = SceneBuilder::new(atlas).build(
        atlas,
        &fitted(atlas, "science-city"),
        &SceneOptions::default(),
    );
    let position = |wanted: &dyn Fn(&Item) -> bool| scene.items.iter().position(wanted);
    let last = |wanted: &dyn Fn(&Item) -> bool| scene.items.iter().rposition(wanted);
    let is_fill = |layer: LayerId| move |item: &Item| matches!(item, Item::Fill { feature, .. } if feature.layer == layer);
    let is_stroke = |layer: LayerId| move |item: &Item| matches!(item, Item::Stroke { feature, .. } if feature.layer == layer);
    let land = last(&is_fill(LayerId::Provinces)).expect("land");
    let core_fill = position(&is_fill(LayerId::Core)).expect("core fill");
    let county_lines = position(&is_stroke(LayerId::Boundaries)).expect("boundary lines");
    let core_outline = position(&is_stroke(LayerId::Core)).expect("core outline");
    let first_label = position(&|item: &Item| matches!(item, Item::Label(_))).expect("a label");
    assert!(
        land < core_fill
            && core_fill < county_lines
            && county_lines < core_outline
            && core_outline < first_label
    );
    assert!(
        scene.items[first_label..]
            .iter()
            .all(|item| matches!(item, Item::Label(_)))
    );
}

#[test]
fn zones_are_styled_from_the_style_table() {
    let atlas = atlas();
    let scene = SceneBuilder::new(atlas).build(
        atlas,
        &fitted(atlas, "science-city"),
        &SceneOptions::default(),
    );
    let fill_of = |id: &str| {
        let (wanted, _) = atlas.find(id).expect("zone");
        let color = scene.items.iter().find_map(|item| match item {
            Item::Fill { feature, color, .. } if *feature == wanted => Some(*color),
            _ => None,
        });
        (color, Some(zone_fill(id)))
    };
    for id in [
        "core",
        "shapingba",
        "jiulongpo",
        "beibei",
        "jiangjin",
        "bishan",
        "science-city",
    ] {
        let (drawn, table) = fill_of(id);
        assert_eq!(drawn, table, "{id}");
    }
    let colours: std::collections::HashSet<Rgba> =
        ["shapingba", "jiulongpo", "beibei", "jiangjin", "bishan"]
            .into_iter()
            .map(zone_fill)
            .collect();
    assert_eq!(colours.len(), 5, "each district has its own colour");
}

#[test]
fn approximate_boundaries_are_dashed_and_administrative_ones_solid() {
    let atlas = atlas();
    let scene = SceneBuilder::new(atlas).build(
        atlas,
        &fitted(atlas, "science-city"),
        &SceneOptions::default(),
    );
    let dash_of = |id: &str| {
        let (wanted, _) = atlas.find(id).expect("zone");
        scene.items.iter().find_map(|item| match item {
            Item::Stroke { feature, style, .. } if *feature == wanted => Some(style.dash),
            _ => None,
        })
    };
    assert!(dash_of("core").flatten().is_some(), "core outline dashed");
    assert!(dash_of("science-city").flatten().is_some());
    assert_eq!(
        dash_of("corridor"),
        Some(None),
        "the corridor follows administrative lines"
    );
}

#[test]
fn hiding_a_layer_removes_it_and_opacity_fades_it() {
    let atlas = atlas();
    let view = fitted(atlas, "corridor");
    let mut options = SceneOptions::default();
    options.layers.get_mut(LayerId::Rivers).visible = false;
    options.layers.get_mut(LayerId::Corridor).opacity = 0.5;
    let mut builder = SceneBuilder::new(atlas);
    let scene = builder.build(atlas, &view, &options);
    assert!(!layers_in(&scene).contains(&LayerId::Rivers));
    let (corridor, _) = atlas.find("corridor").expect("corridor");
    let drawn = scene.items.iter().find_map(|item| match item {
        Item::Fill { feature, color, .. } if *feature == corridor => Some(*color),
        _ => None,
    });
    // Alpha 40 at half opacity.
    assert_eq!(drawn, Some(Rgba::new(0xf2, 0xa9, 0x00, 20)));

    let nothing = builder.build(
        atlas,
        &view,
        &SceneOptions {
            layers: LayerSettings::only(&[]),
            ..SceneOptions::default()
        },
    );
    assert!(nothing.items.is_empty());
}

#[test]
fn labels_follow_the_language_switch_and_never_overlap() {
    let atlas = atlas();
    let view = fitted(atlas, "corridor");
    let mut builder = SceneBuilder::new(atlas);
    let english = builder.build(
        atlas,
        &view,
        &SceneOptions {
            lang: Lang::En,
            ..SceneOptions::default()
        },
    );
    let labels = label_texts(&english);
    assert!(
        labels.contains(&"Chengdu") && labels.contains(&"Chongqing"),
        "{labels:?}"
    );
    let chinese = |text: &&str| text.chars().any(|c| ('\u{3400}'..='\u{9fff}').contains(&c));
    assert!(
        !labels.iter().any(chinese),
        "Chinese left in English labels: {labels:?}"
    );
    for scene in [
        &english,
        &builder.build(atlas, &fitted(atlas, "core"), &SceneOptions::default()),
    ] {
        let placed: Vec<_> = scene.labels().collect();
        for (i, a) in placed.iter().enumerate() {
            for b in &placed[i + 1..] {
                let apart = a.rect[2] <= b.rect[0]
                    || b.rect[2] <= a.rect[0]
                    || a.rect[3] <= b.rect[1]
                    || b.rect[3] <= a.rect[1];
                assert!(apart, "{} overlaps {}", a.text, b.text);
            }
        }
    }
}

/// The whole circle stays smooth but light; zoomed in, the same outline has more detail,
/// and what is far off-screen is not drawn at all.
#[test]
fn geometry_is_simplified_by_zoom_and_culled_by_view() {
    let atlas = atlas();
    let mut builder = SceneBuilder::new(atlas);
    let (corridor, _) = atlas.find("corridor").expect("corridor");
    let vertices = |scene: &Scene, wanted: FeatureRef| {
        scene.items.iter().find_map(|item| match item {
            Item::Stroke {
                feature, geometry, ..
            } if *feature == wanted => Some(geometry.vertices.len()),
            _ => None,
        })
    };
    let wide = builder.build(atlas, &fitted(atlas, "corridor"), &SceneOptions::default());
    let close = builder.build(atlas, &fitted(atlas, "core"), &SceneOptions::default());
    let (coarse, fine) = (
        vertices(&wide, corridor).expect("wide"),
        vertices(&close, corridor).expect("close"),
    );
    assert!(
        coarse * 3 < fine,
        "corridor outline: {coarse} vertices wide, {fine} close"
    );
    let garze = atlas
        .layer(LayerId::Counties)
        .and_then(|layer| layer.features.iter().position(|f| f.name.zh == "石渠县"))
        .expect("石渠县");
    let far = FeatureRef {
        layer: LayerId::Counties,
        index: garze as u32,
    };
    assert!(
        vertices(&close, far).is_none(),
        "a county 600 km away is drawn in the core view"
    );
    assert!(close.vertex_count() < wide.vertex_count() * 4);
}

/// Each boundary is one arc, drawn once, in the style of the most important visible layer it
/// belongs to: a prefecture border is drawn as a prefecture line, or as a county line when the
/// prefecture layer is hidden.
#[test]
fn boundary_arcs_are_drawn_once_in_the_style_of_their_most_important_visible_layer() {
    let atlas = atlas();
    let view = fitted(atlas, "corridor");
    let mut builder = SceneBuilder::new(atlas);
    let strokes_by_rank = |scene: &Scene, rank: u8| -> Vec<(FeatureRef, LineStyle)> {
        scene
            .items
            .iter()
            .filter_map(|item| match item {
                Item::Stroke { feature, style, .. }
                    if feature.layer == LayerId::Boundaries
                        && atlas.feature(*feature).is_some_and(|f| f.rank == rank) =>
                {
                    Some((*feature, *style))
                }
                _ => None,
            })
            .collect()
    };
    let all = builder.build(atlas, &view, &SceneOptions::default());
    let prefecture_arcs = strokes_by_rank(&all, 2);
    assert!(!prefecture_arcs.is_empty());
    assert!(
        prefecture_arcs
            .iter()
            .all(|(_, style)| *style == LineStyle::solid(1.0, Rgba::rgb(0xa0, 0xa0, 0xa8)))
    );
    let mut seen = std::collections::HashSet::new();
    assert!(
        all.items.iter().all(|item| match item {
            Item::Stroke { feature, .. } => seen.insert(*feature),
            _ => true,
        }),
        "a feature is stroked twice"
    );

    let mut options = SceneOptions::default();
    options.layers.get_mut(LayerId::Prefectures).visible = false;
    let without = builder.build(atlas, &view, &options);
    let as_counties = strokes_by_rank(&without, 2);
    assert_eq!(as_counties.len(), prefecture_arcs.len());
    assert!(
        as_counties
            .iter()
            .all(|(_, style)| *style == LineStyle::solid(0.6, Rgba::rgb(0xbe, 0xbe, 0xc4)))
    );

    options.layers.get_mut(LayerId::Counties).visible = false;
    let neither = builder.build(atlas, &view, &options);
    assert!(strokes_by_rank(&neither, 2).is_empty() && strokes_by_rank(&neither, 3).is_empty());
    assert!(
        !strokes_by_rank(&neither, 1).is_empty(),
        "province borders stay"
    );
}

/// Selecting the core draws its outline on top, its cooperation links as arrows (one per
/// link, each labelled), and the platforms stay visible as markers.
#[test]
fn a_selected_zone_is_outlined_and_its_cooperation_links_drawn() {
    use chengyu_atlas::render::{Highlight, LinkArrow};
    let atlas = atlas();
    let (core, _) = atlas.find("core").expect("core");
    let links: Vec<LinkArrow> = atlas
        .content()
        .links_of("core")
        .map(|link| LinkArrow {
            from: atlas.find(&link.from).expect("from").0,
            to: atlas.find(&link.to).expect("to").0,
            transfer: false,
            chain: link.chain.clone(),
            label: link.fields.join("、"),
        })
        .collect();
    assert_eq!(links.len(), 10, "seed 003 names ten links from the core");
    let options = SceneOptions {
        highlight: Highlight {
            selected: Some(core),
            links: links.clone(),
            ..Highlight::default()
        },
        ..SceneOptions::default()
    };
    let scene = SceneBuilder::new(atlas).build(atlas, &fitted(atlas, "science-city"), &options);
    let arrows = scene
        .items
        .iter()
        .filter(|item| matches!(item, Item::Arrow { .. }))
        .count();
    assert_eq!(arrows, links.len());
    let strokes_of_core = scene
        .items
        .iter()
        .filter(|item| matches!(item, Item::Stroke { feature, .. } if *feature == core))
        .count();
    assert_eq!(
        strokes_of_core, 2,
        "its dashed outline and the selection outline"
    );
    assert!(scene.items.iter().any(
        |item| matches!(item, Item::Marker { feature, .. } if feature.layer == LayerId::Platforms)
    ));
    let labels = label_texts(&scene);
    assert!(
        labels.iter().any(|text| text.contains("smart-sensors")),
        "arrow labels: {labels:?}"
    );
}

/// Platforms that share a spot are one marker with a count, not a pile.
#[test]
fn markers_at_the_same_spot_become_one_with_a_count() {
    let atlas = atlas();
    let scene =
        SceneBuilder::new(atlas).build(atlas, &fitted(atlas, "core"), &SceneOptions::default());
    let counts: Vec<u32> = scene
        .items
        .iter()
        .filter_map(|item| match item {
            Item::Marker { count, .. } => Some(*count),
            _ => None,
        })
        .collect();
    assert!(counts.iter().any(|count| *count > 5), "{counts:?}");
    let platforms_in_view = counts.iter().sum::<u32>();
    assert!(platforms_in_view >= 40, "{platforms_in_view}");
}

#[test]
fn a_spotlight_veils_the_map_and_shows_its_zones_and_their_names_above_the_veil() {
    let atlas = atlas();
    let (core, _) = atlas.find("core").expect("core");
    let (park, _) = atlas.find("xiyong-bonded-zone").expect("park");
    let options = SceneOptions {
        highlight: chengyu_atlas::render::Highlight {
            spotlight: vec![core, park],
            emphasised: vec![core, park],
            ..Default::default()
        },
        ..SceneOptions::default()
    };
    let view = fitted(atlas, "core");
    let scene = SceneBuilder::new(atlas).build(atlas, &view, &options);
    let veil = scene
        .items
        .iter()
        .position(|i| matches!(i, Item::Veil { .. }))
        .expect("a veil");
    let core_fill_above = scene.items[veil..].iter().find_map(|i| match i {
        Item::Fill { feature, color, .. } if *feature == core => Some(*color),
        _ => None,
    });
    assert_eq!(
        core_fill_above.map(|c| c.0[3]),
        Some(255),
        "opaque above the veil"
    );
    let names = label_texts(&scene);
    assert!(names.contains(&"西永综合保税区"), "{names:?}");
    // Platforms outside the spotlight go unnamed; without a spotlight they are named.
    let platform_names: Vec<&str> = atlas
        .layer(LayerId::Platforms)
        .expect("platforms")
        .features
        .as_rows()
        .expect("the atlas's layers are rows")
        .iter()
        .map(|f| f.name.zh.as_str())
        .collect();
    let named = |scene: &Scene| {
        label_texts(scene)
            .into_iter()
            .filter(|t| platform_names.contains(t))
            .count()
    };
    assert_eq!(named(&scene), 1, "{names:?}");
    let plain = SceneBuilder::new(atlas).build(atlas, &view, &SceneOptions::default());
    assert!(named(&plain) > 3);
    assert!(!plain.items.iter().any(|i| matches!(i, Item::Veil { .. })));
}

/// The core's cooperation arrows are labelled with the fields they link, and no two labels —
/// of arrows, zones or places — overlap, at every size a window or presenter has, in both
/// languages, wherever the map is.
#[test]
fn cooperation_arrow_labels_never_overlap_each_other_or_other_labels() {
    use chengyu_atlas::render::{Highlight, cooperation_links};
    let atlas = atlas();
    let (core, _) = atlas.find("core").expect("core");
    for lang in [Lang::Zh, Lang::En] {
        let links = cooperation_links(atlas, core, lang);
        assert_eq!(links.len(), 10);
        let options = SceneOptions {
            lang,
            highlight: Highlight {
                selected: Some(core),
                links: links.clone(),
                ..Highlight::default()
            },
            ..SceneOptions::default()
        };
        let mut builder = SceneBuilder::new(atlas);
        for size in [[1280.0, 720.0], [1920.0, 1080.0], [1024.0, 1366.0]] {
            for zone in ["science-city", "core", "shapingba"] {
                let fit = View::fit(atlas.bounds_of(zone).expect("zone"), size, 24.0);
                // The fitted view, and the same nudged and zoomed a little, as a user pans.
                for (dx, dz) in [(0.0, 0.0), (0.013, 0.0), (-0.021, 0.4), (0.0, -0.6)] {
                    let mut view = fit;
                    view.center[0] += dx;
                    view.zoom += dz;
                    let scene = builder.build(atlas, &view, &options);
                    let labels: Vec<_> = scene.labels().collect();
                    let arrow_labels = labels
                        .iter()
                        .filter(|label| links.iter().any(|link| link.label == label.text))
                        .count();
                    // Arrows run off the map when it is zoomed in; at the science city's fit
                    // most of them are in view and labelled.
                    let at_least = if zone == "science-city" && dz == 0.0 {
                        4
                    } else {
                        2
                    };
                    assert!(
                        arrow_labels >= at_least,
                        "{lang:?} {size:?} {zone} ({dx}, {dz}): {arrow_labels} arrow labels"
                    );
                    for (i, a) in labels.iter().enumerate() {
                        for b in &labels[i + 1..] {
                            let (p, q) = (a.rect, b.rect);
                            let apart =
                                p[2] <= q[0] || q[2] <= p[0] || p[3] <= q[1] || q[3] <= p[1];
                            assert!(
                                apart,
                                "{lang:?} {size:?} {zone}: `{}` {p:?} overlaps `{}` {q:?}",
                                a.text, b.text
                            );
                        }
                    }
                }
            }
        }
    }
}

/// The builder hands back the scene it built last while the atlas, the view and the options
/// are the same, and builds anew when any of them changes: a platform moved by a correction
/// is drawn where it now is at the very same view.
#[test]
fn a_kept_scene_is_built_anew_when_the_data_changes() {
    use chengyu_atlas::geodata::corrections::{self, Correction};
    let mut atlas = atlas().clone();
    let view = fitted(&atlas, "core");
    let options = SceneOptions::default();
    let mut builder = SceneBuilder::new(&atlas);
    let (cqu, _) = atlas.find("cqu").expect("cqu");
    let marker_of = |scene: &Scene| {
        scene.items.iter().find_map(|item| match item {
            Item::Marker { feature, at, .. } if *feature == cqu => Some(*at),
            _ => None,
        })
    };
    let first = builder.build(&atlas, &view, &options);
    assert_eq!(builder.build(&atlas, &view, &options), first);
    let before = marker_of(&first).expect("cqu drawn on its own at the core's view");
    let correction = Correction {
        platform: "cqu".into(),
        lon: view.center().x,
        lat: view.center().y,
        accuracy_m: 50.0,
        source: "site survey".into(),
        date: "2026-12-03".into(),
    };
    assert!(corrections::set(&mut atlas, "cqu", Some(&correction)));
    let moved = builder.build(&atlas, &view, &options);
    let after = marker_of(&moved).expect("still drawn");
    assert!(
        (after[0] - view.size[0] / 2.0).abs() < 1.0 && (after[1] - view.size[1] / 2.0).abs() < 1.0,
        "{before:?} → {after:?}"
    );
    // Other options: built anew too.
    let english = SceneOptions {
        lang: Lang::En,
        ..SceneOptions::default()
    };
    assert_ne!(
        label_texts(&builder.build(&atlas, &view, &english)),
        label_texts(&moved)
    );
}

/// Numbered markers never sit over each other (the presenter's first stop showed Chongqing's
/// 2, 3, 4 and 14 as one blob of digits): at every zoom from the whole circle in, on a
/// projector-sized map and a window-sized one, no two markers of a layer overlap, and every
/// platform in view is counted once, its cluster listing it.
#[test]
fn markers_never_overlap_and_each_platform_is_counted_once() {
    let atlas = atlas();
    let mut builder = SceneBuilder::new(atlas);
    for size in [[1097.0, 617.0], [1280.0, 800.0]] {
        let corridor = View::fit(atlas.bounds_of("corridor").expect("zone"), size, 24.0);
        for step in 0..10 {
            let view = View {
                zoom: corridor.zoom + f64::from(step) * 0.5,
                ..View::new(geo::coord! { x: 106.45, y: 29.6 }, corridor.zoom, size)
            };
            let scene = builder.build(atlas, &view, &SceneOptions::default());
            let markers: Vec<(FeatureRef, [f32; 2], f32, u32)> = scene
                .items
                .iter()
                .filter_map(|item| match item {
                    Item::Marker {
                        feature,
                        at,
                        style,
                        count,
                    } => Some((*feature, *at, style.radius, *count)),
                    _ => None,
                })
                .collect();
            for (i, a) in markers.iter().enumerate() {
                for b in &markers[i + 1..] {
                    let apart = (a.1[0] - b.1[0]).hypot(a.1[1] - b.1[1]);
                    assert!(
                        apart >= a.2 + b.2 - 1.0,
                        "zoom {:.1}: markers at {:?} and {:?} overlap",
                        view.zoom,
                        a.1,
                        b.1
                    );
                }
            }
            // Each point drawn is counted once: by its own marker or by one cluster.
            let points = |layer: LayerId| matches!(layer, LayerId::Platforms | LayerId::Hubs);
            let counted: u32 = markers
                .iter()
                .filter(|m| points(m.0.layer))
                .map(|m| m.3)
                .sum();
            let listed: usize = scene.clusters.iter().map(|c| c.members.len()).sum();
            let singles = markers
                .iter()
                .filter(|m| points(m.0.layer) && m.3 == 1)
                .count();
            assert_eq!(counted as usize, listed + singles, "zoom {:.1}", view.zoom);
        }
    }
}

/// A selected or hovered zone whose boundary is approximate keeps its dash in the highlight
/// (a solid black outline hid that it is approximate); an administrative one stays solid.
#[test]
fn a_highlighted_approximate_zone_stays_dashed() {
    use chengyu_atlas::render::style::SELECTED_OUTLINE;
    let atlas = atlas();
    let view = fitted(atlas, "science-city");
    let mut builder = SceneBuilder::new(atlas);
    for (id, dashed) in [("bishan", true), ("core", true)] {
        let (feature, _) = atlas.find(id).expect(id);
        let mut options = SceneOptions::default();
        options.highlight.selected = Some(feature);
        let scene = builder.build(atlas, &view, &options);
        let outline = scene
            .items
            .iter()
            .find_map(|item| match item {
                Item::Stroke {
                    feature: f, style, ..
                } if *f == feature && style.color == SELECTED_OUTLINE.color => Some(*style),
                _ => None,
            })
            .expect("the selection's outline");
        assert_eq!(outline.dash.is_some(), dashed, "{id}");
        assert_eq!(outline.width, SELECTED_OUTLINE.width);
    }
    // A county (administrative) is outlined solid.
    let (county, _) = atlas.find("500106").expect("沙坪坝区");
    let mut options = SceneOptions::default();
    options.highlight.selected = Some(county);
    let scene = builder.build(atlas, &view, &options);
    assert!(scene.items.iter().any(|item| matches!(item,
        Item::Stroke { feature, style, .. } if *feature == county && style.dash.is_none()
            && style.color == SELECTED_OUTLINE.color)));
}
