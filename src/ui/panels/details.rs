//! The right-hand panel: everything known about the selected zone, platform or unit, in
//! readable sections, every fact with a numbered source.

use egui::{Color32, RichText, Sense, Ui, vec2};

use crate::geodata::read::shorten;
use crate::model::category::{PLATFORM_CATEGORIES, category_name};
use crate::model::content::{Content, Fact, LinkKind};
use crate::model::{
    Atlas, Boundary, FeatureKind, FeatureRef, Lang, LayerId, Shape, Text, ZoneKind,
};
use crate::render::egui_painter::color32;
use crate::render::style::{self, chain_colour};

/// Names longer than this are shortened in the panel.
const NAME_CHARACTERS: usize = 120;

/// What the user asked for in the panel; applied after drawing.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Select a feature and fly the map to it.
    Show(FeatureRef),
    /// Highlight every zone and platform with this industry.
    Industry(String),
    Close,
    /// Open the form that corrects this platform's position.
    Correct(FeatureRef),
    /// Open the form that makes this user's area a zone's outline.
    UseAsOutline(FeatureRef),
    /// Give this zone back its built-in outline.
    RestoreOutline(String),
}

/// What kind of thing a feature is, for titles and tooltips.
pub fn kind_text(atlas: &Atlas, feature_ref: FeatureRef) -> Text {
    let Some(feature) = atlas.feature(feature_ref) else {
        return Text::default();
    };
    match &feature.kind {
        FeatureKind::Zone(zone) => match zone.kind {
            ZoneKind::Corridor => Text::new("经济圈", "Economic circle"),
            ZoneKind::CorridorPartial => {
                Text::new("经济圈（部分纳入）", "Economic circle (partly)")
            }
            ZoneKind::ScienceCity => Text::new("科学城", "Science city"),
            ZoneKind::Core => Text::new("科学城核心区", "Science city core"),
            ZoneKind::District => Text::new("科学城片区", "Science city district"),
            ZoneKind::Hub => Text::new("创新区", "Innovation area"),
        },
        FeatureKind::Platform(platform) => category_name(&platform.category),
        FeatureKind::Admin { level, .. } => match level {
            crate::model::AdminLevel::Province => Text::new("省级行政区", "Province"),
            crate::model::AdminLevel::Prefecture => Text::new("地级行政区", "Prefecture"),
            crate::model::AdminLevel::County => Text::new("县级行政区", "County or district"),
        },
        FeatureKind::User(_) => {
            let layer = atlas.layer_title(feature_ref.layer);
            Text::new(
                format!("用户图层：{}", layer.zh),
                format!("User layer: {}", layer.en),
            )
        }
        _ => Text::default(),
    }
}

/// Numbers the sources in the order the panel cites them.
#[derive(Default)]
struct Citations {
    ids: Vec<String>,
}

impl Citations {
    fn number(&mut self, source: &str) -> usize {
        match self.ids.iter().position(|id| id == source) {
            Some(index) => index + 1,
            None => {
                self.ids.push(source.to_string());
                self.ids.len()
            }
        }
    }
}

/// Areas are measured once per feature (geodesic), when first shown.
pub type AreaCache = std::collections::HashMap<FeatureRef, f64>;

pub fn show(
    ui: &mut Ui,
    atlas: &Atlas,
    selected: FeatureRef,
    lang: Lang,
    industry: Option<&str>,
    areas: &mut AreaCache,
) -> Option<Action> {
    let Some(feature) = atlas.feature(selected) else {
        return Some(Action::Close);
    };
    let content = &atlas.content();
    let mut action = None;
    let mut citations = Citations::default();
    heading(ui, atlas, selected, lang, &mut action);
    ui.add_space(4.0);
    // A new selection starts at the top of its panel (not where the last one was scrolled to).
    let shown_id = egui::Id::unique("details-shown");
    let new_selection = ui.ctx().data_mut(|d| {
        let before = d.get_temp::<FeatureRef>(shown_id);
        d.insert_temp(shown_id, selected);
        before != Some(selected)
    });
    let mut scroll = egui::ScrollArea::vertical()
        .id_salt("details-scroll")
        .auto_shrink([false, false]);
    if new_selection {
        scroll = scroll.vertical_scroll_offset(0.0);
    }
    scroll.show(ui, |ui| {
        match &feature.kind {
            FeatureKind::Zone(_) => zone_sections(
                ui,
                atlas,
                selected,
                lang,
                industry,
                areas,
                &mut citations,
                &mut action,
            ),
            FeatureKind::Platform(_) => platform_sections(
                ui,
                atlas,
                selected,
                lang,
                industry,
                &mut citations,
                &mut action,
            ),
            FeatureKind::Admin { .. } => {
                admin_sections(ui, atlas, selected, lang, areas, &mut action)
            }
            FeatureKind::User(user) => {
                user_sections(ui, atlas, selected, user, lang);
                if matches!(feature.shape, Shape::Area(_))
                    && ui
                        .small_button(lang.pick("用作区域边界…", "Use as a zone's outline…"))
                        .clicked()
                {
                    action = Some(Action::UseAsOutline(selected));
                }
            }
            _ => {}
        }
        sources_section(ui, content, &citations, lang);
    });
    action
}

/// The panel's head: what kind of feature it is, × to close, its name (shortened, with "copy
/// the full name" where it is), and its name in the other language.
fn heading(
    ui: &mut Ui,
    atlas: &Atlas,
    selected: FeatureRef,
    lang: Lang,
    action: &mut Option<Action>,
) {
    let Some(feature) = atlas.feature(selected) else {
        return;
    };
    ui.horizontal(|ui| {
        ui.label(
            RichText::new(kind_text(atlas, selected).get(lang))
                .small()
                .weak(),
        );
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui
                .small_button("×")
                .on_hover_text(lang.pick("关闭（Esc）", "Close (Esc)"))
                .clicked()
            {
                *action = Some(Action::Close);
            }
        });
    });
    // A name from a user's file may be any length: shown shortened, copied whole on request.
    let name = feature.name.get(lang);
    let shown = shorten(name, NAME_CHARACTERS);
    ui.heading(&shown);
    if shown.len() < name.len()
        && ui
            .small_button(lang.pick("复制完整名称", "Copy the full name"))
            .clicked()
    {
        ui.ctx().copy_text(name.to_string());
    }
    let other = if lang == Lang::Zh {
        feature.name.get(Lang::En)
    } else {
        &feature.name.zh
    };
    // A user's feature has one name, in whatever language its file is in.
    if other != name {
        ui.label(RichText::new(shorten(other, NAME_CHARACTERS)).weak());
    }
}

/// A user's feature: its fields as the file had them, and where the layer came from.
fn user_sections(
    ui: &mut Ui,
    atlas: &Atlas,
    selected: FeatureRef,
    user: &crate::model::user::UserFeature,
    lang: Lang,
) {
    let Some(layer) = atlas.user_layer(selected.layer) else {
        return;
    };
    section(ui, lang.pick("属性", "Fields"));
    egui::Grid::new("user-fields")
        .num_columns(2)
        .striped(true)
        .show(ui, |ui| {
            for (field, value) in layer.fields.iter().zip(&user.values) {
                ui.label(RichText::new(shorten(field, 40)).weak());
                ui.label(shorten(value, 200));
                ui.end_row();
            }
        });
    section(ui, lang.pick("图层", "Layer"));
    ui.label(format!(
        "{} · {} · {}",
        layer.name,
        layer.format.name(),
        layer.system_name()
    ));
    ui.label(
        RichText::new(layer.path.display().to_string())
            .small()
            .weak(),
    );
    if !layer.datum.is_wgs84() {
        ui.label(
            RichText::new(lang.pick(
                "坐标已由该坐标系转换为 WGS-84",
                "Positions were converted from this datum to WGS-84",
            ))
            .small()
            .weak(),
        );
    }
}

fn section(ui: &mut Ui, title: &str) {
    ui.add_space(8.0);
    ui.label(RichText::new(title).strong());
    ui.separator();
}

fn fact_line(ui: &mut Ui, fact: &Fact, lang: Lang, content: &Content, citations: &mut Citations) {
    let number = citations.number(&fact.source);
    ui.horizontal_wrapped(|ui| {
        ui.spacing_mut().item_spacing.x = 3.0;
        ui.label("•");
        ui.label(fact.text(lang));
        if let Some(as_of) = &fact.as_of {
            let as_of = match lang {
                Lang::Zh => format!("（{as_of}）"),
                Lang::En => format!("({as_of})"),
            };
            ui.label(RichText::new(as_of).small().weak());
        }
        let marker = ui.label(
            RichText::new(format!("[{number}]"))
                .small()
                .color(Color32::from_rgb(0x1f, 0x5f, 0xbf)),
        );
        if let Some(source) = content.source(&fact.source) {
            marker.on_hover_text(source.citation(lang));
        }
    });
}

fn industry_chips(
    ui: &mut Ui,
    ids: &[(String, String)],
    lang: Lang,
    content: &Content,
    industry: Option<&str>,
    citations: &mut Citations,
    action: &mut Option<Action>,
) {
    ui.horizontal_wrapped(|ui| {
        for (id, source) in ids {
            let Some(found) = content.industry(id) else {
                continue;
            };
            let number = citations.number(source);
            let chosen = industry == Some(id.as_str());
            let chip =
                egui::Button::selectable(chosen, format!("{} [{number}]", found.name().get(lang)))
                    .small();
            if ui
                .add(chip)
                .on_hover_text(lang.pick(
                    "在地图上标出具有此产业的区域和平台",
                    "Show every zone and platform with this industry",
                ))
                .clicked()
            {
                *action = Some(Action::Industry(id.clone()));
            }
        }
    });
}

fn link_button(
    ui: &mut Ui,
    atlas: &Atlas,
    target: FeatureRef,
    lang: Lang,
    action: &mut Option<Action>,
) {
    if let Some(feature) = atlas.feature(target)
        && ui
            .link(feature.name.get(lang))
            .on_hover_text(lang.pick("转到并选中", "Go to and select"))
            .clicked()
    {
        *action = Some(Action::Show(target));
    }
}

#[allow(clippy::too_many_arguments)]
fn zone_sections(
    ui: &mut Ui,
    atlas: &Atlas,
    selected: FeatureRef,
    lang: Lang,
    industry: Option<&str>,
    areas: &mut AreaCache,
    citations: &mut Citations,
    action: &mut Option<Action>,
) {
    let Some(feature) = atlas.feature(selected) else {
        return;
    };
    let Some(zone) = feature.zone() else { return };
    let content = &atlas.content();
    let zone_content = content.zone(&feature.id);
    if zone.boundary == Boundary::Approximate {
        egui::Frame::new()
            .fill(Color32::from_rgb(0xff, 0xf4, 0xe0))
            .inner_margin(6.0)
            .corner_radius(4.0)
            .show(ui, |ui| {
                ui.label(
                    RichText::new(lang.pick("近似范围", "Approximate extent"))
                        .strong()
                        .color(Color32::from_rgb(0x9a, 0x5b, 0x00)),
                );
                ui.label(RichText::new(zone.note.get(lang)).small());
            });
    }
    if let Some(zone_content) = zone_content {
        if !zone_content.positioning.is_empty() {
            section(ui, lang.pick("定位", "Positioning"));
            for fact in &zone_content.positioning {
                fact_line(ui, fact, lang, content, citations);
            }
        }
        if !zone_content.industries.is_empty() {
            section(ui, lang.pick("主导产业", "Leading industries"));
            let ids: Vec<(String, String)> = zone_content
                .industries
                .iter()
                .map(|c| (c.id.clone(), c.source.clone()))
                .collect();
            industry_chips(ui, &ids, lang, content, industry, citations, action);
        }
        if !zone_content.carriers.is_empty() {
            section(ui, lang.pick("载体", "Carrier parks"));
            for cited in &zone_content.carriers {
                if let Some((target, _)) = atlas.find(&cited.id) {
                    ui.horizontal(|ui| {
                        ui.label("•");
                        link_button(ui, atlas, target, lang, action);
                        ui.label(
                            RichText::new(format!("[{}]", citations.number(&cited.source)))
                                .small()
                                .weak(),
                        );
                    });
                }
            }
        }
    }
    zone_platforms(ui, atlas, &feature, zone_content, lang, action);
    if let Some(zone_content) = zone_content
        && !zone_content.figures.is_empty()
    {
        section(ui, lang.pick("主要数据", "Key figures"));
        for fact in &zone_content.figures {
            fact_line(ui, fact, lang, content, citations);
        }
    }
    cooperation(ui, atlas, &feature.id, lang, citations, action);
    zone_extent(ui, atlas, selected, lang, areas, action);
}

/// The platforms in a zone, by category, with a small chart (the carrier parks are listed
/// above them).
fn zone_platforms(
    ui: &mut Ui,
    atlas: &Atlas,
    feature: &crate::model::Feature,
    zone_content: Option<&crate::model::content::ZoneContent>,
    lang: Lang,
    action: &mut Option<Action>,
) {
    let platforms: Vec<(FeatureRef, &crate::model::Feature)> = atlas
        .layer(LayerId::Platforms)
        .and_then(|layer| layer.features.as_rows())
        .unwrap_or_default()
        .iter()
        .enumerate()
        .map(|(index, platform)| {
            let at = FeatureRef {
                layer: LayerId::Platforms,
                index: index as u32,
            };
            (at, platform)
        })
        .filter(|(_, f)| {
            f.platform()
                .is_some_and(|p| p.zone.as_deref() == Some(feature.id.as_str()))
        })
        .collect();
    if !platforms.is_empty() {
        section(
            ui,
            &format!(
                "{} ({})",
                lang.pick("平台与园区", "Platforms and parks"),
                platforms.len()
            ),
        );
        category_chart(ui, &platforms, lang);
        // Carrier parks are listed above; the rest by category.
        let carriers: Vec<&str> = zone_content
            .map(|z| z.carriers.iter().map(|c| c.id.as_str()).collect())
            .unwrap_or_default();
        for (key, ..) in PLATFORM_CATEGORIES {
            let in_category: Vec<&(FeatureRef, &crate::model::Feature)> = platforms
                .iter()
                .filter(|(_, f)| {
                    f.platform().is_some_and(|p| p.category == key)
                        && !carriers.contains(&f.id.as_str())
                })
                .collect();
            if in_category.is_empty() {
                continue;
            }
            ui.label(
                RichText::new(category_name(key).get(lang))
                    .small()
                    .color(color32(style::platform_colour(key))),
            );
            for (target, _) in in_category {
                ui.horizontal(|ui| {
                    ui.add_space(8.0);
                    link_button(ui, atlas, *target, lang, action);
                });
            }
        }
    }
}

/// A zone's cooperation links, as the map draws them with arrows.
fn cooperation(
    ui: &mut Ui,
    atlas: &Atlas,
    zone: &str,
    lang: Lang,
    citations: &mut Citations,
    action: &mut Option<Action>,
) {
    let content = &atlas.content();
    let links: Vec<_> = content.links_of(zone).collect();
    if !links.is_empty() {
        section(
            ui,
            lang.pick(
                "协同联动（地图上以箭头表示）",
                "Cooperation (arrows on the map)",
            ),
        );
        for link in links {
            let chain = content
                .industry(&link.chain)
                .map(|i| i.name().get(lang).to_string())
                .unwrap_or_default();
            let fields: Vec<String> = link
                .fields
                .iter()
                .filter_map(|id| content.industry(id).map(|i| i.name().get(lang).to_string()))
                .collect();
            let kind = match link.kind {
                LinkKind::Supporting => {
                    lang.pick("研发协作 + 产业配套", "research here, production there")
                }
                LinkKind::Transfer => lang.pick("产业转移", "industry moves there"),
            };
            let (Some((from, _)), Some((to, _))) = (atlas.find(&link.from), atlas.find(&link.to))
            else {
                continue;
            };
            let number = citations.number(&link.source);
            ui.horizontal_wrapped(|ui| {
                let (rect, _) = ui.allocate_exact_size(vec2(14.0, 10.0), Sense::hover());
                ui.painter().rect_filled(
                    rect.shrink2(vec2(0.0, 3.0)),
                    1.0,
                    color32(chain_colour(&link.chain)),
                );
                link_button(ui, atlas, from, lang, action);
                ui.label("→");
                link_button(ui, atlas, to, lang, action);
                ui.label(format!(
                    "{chain}{}{}{}{kind}{}",
                    lang.pick("：", ": "),
                    fields.join(lang.pick("、", ", ")),
                    lang.pick("（", " ("),
                    lang.pick("）", ")"),
                ));
                ui.label(RichText::new(format!("[{number}]")).small().weak());
            });
        }
    }
}

/// A zone's extent: its area, what it is part of and holds, its members, and its outline's
/// origin.
fn zone_extent(
    ui: &mut Ui,
    atlas: &Atlas,
    selected: FeatureRef,
    lang: Lang,
    areas: &mut AreaCache,
    action: &mut Option<Action>,
) {
    let Some(feature) = atlas.feature(selected) else {
        return;
    };
    let Some(zone) = feature.zone() else { return };
    section(ui, lang.pick("范围", "Extent"));
    if let Shape::Area(area) = &feature.shape {
        let km2 = *areas
            .entry(selected)
            .or_insert_with(|| crate::model::measure::area_km2(area));
        ui.label(format!(
            "{}: {km2:.0} km²",
            lang.pick("面积（椭球面测算）", "Area (geodesic)")
        ));
    }
    if let Some(parent) = zone.parent.as_deref().and_then(|id| atlas.find(id)) {
        ui.horizontal(|ui| {
            ui.label(lang.pick("上级：", "Part of: "));
            link_button(ui, atlas, parent.0, lang, action);
        });
    }
    let children: Vec<FeatureRef> = atlas
        .zones()
        .filter(|(_, f)| f.zone().and_then(|z| z.parent.as_deref()) == Some(feature.id.as_str()))
        .map(|(r, _)| r)
        .collect();
    if !children.is_empty() {
        ui.horizontal_wrapped(|ui| {
            ui.label(lang.pick("下辖：", "Contains: "));
            for child in children {
                link_button(ui, atlas, child, lang, action);
            }
        });
    }
    if zone.kind == ZoneKind::Corridor && !zone.members.is_empty() {
        ui.collapsing(
            format!(
                "{} ({})",
                lang.pick("成员区县", "Member units"),
                zone.members.len()
            ),
            |ui| {
                ui.label(RichText::new(zone.members.join(lang.pick("、", ", "))).small());
            },
        );
    }
    if zone.boundary == Boundary::Administrative && !zone.note.get(lang).is_empty() {
        ui.label(RichText::new(zone.note.get(lang)).small().weak());
    }
    if zone.outline_from.is_some()
        && ui
            .small_button(lang.pick("恢复内置边界", "Back to the built-in outline"))
            .clicked()
    {
        *action = Some(Action::RestoreOutline(feature.id.clone()));
    }
}

fn category_chart(ui: &mut Ui, platforms: &[(FeatureRef, &crate::model::Feature)], lang: Lang) {
    let counts: Vec<(&str, usize, crate::render::style::Rgba)> = PLATFORM_CATEGORIES
        .iter()
        .map(|(key, _, _)| {
            (
                *key,
                platforms
                    .iter()
                    .filter(|(_, f)| f.platform().is_some_and(|p| p.category == *key))
                    .count(),
                style::platform_colour(key),
            )
        })
        .filter(|(_, count, _)| *count > 0)
        .collect();
    let most = counts.iter().map(|(_, count, _)| *count).max().unwrap_or(1) as f32;
    for (key, count, colour) in counts {
        ui.horizontal(|ui| {
            ui.add_sized(
                [96.0, 14.0],
                egui::Label::new(RichText::new(category_name(key).get(lang)).small()),
            );
            let width = 140.0 * count as f32 / most;
            let (rect, _) = ui.allocate_exact_size(vec2(width.max(2.0), 10.0), Sense::hover());
            ui.painter().rect_filled(rect, 2.0, color32(colour));
            ui.label(RichText::new(count.to_string()).small());
        });
    }
}

fn platform_sections(
    ui: &mut Ui,
    atlas: &Atlas,
    selected: FeatureRef,
    lang: Lang,
    industry: Option<&str>,
    citations: &mut Citations,
    action: &mut Option<Action>,
) {
    let Some(feature) = atlas.feature(selected) else {
        return;
    };
    let Some(platform) = feature.platform() else {
        return;
    };
    let content = &atlas.content();
    ui.horizontal(|ui| {
        ui.label(lang.pick("所在：", "In: "));
        match platform.zone.as_deref().and_then(|id| atlas.find(id)) {
            Some((zone, _)) => link_button(ui, atlas, zone, lang, action),
            None => {
                ui.label(lang.pick(
                    "科学城及各创新区之外",
                    "outside the science city and innovation areas",
                ));
            }
        }
    });
    if !platform.industries.is_empty() {
        section(ui, lang.pick("产业领域", "Industries"));
        let source = platform.sources.first().cloned().unwrap_or_default();
        let ids: Vec<(String, String)> = platform
            .industries
            .iter()
            .map(|id| (id.clone(), source.clone()))
            .collect();
        industry_chips(ui, &ids, lang, content, industry, citations, action);
    }
    if !platform.facts.is_empty() {
        section(ui, lang.pick("要点", "Facts"));
        for fact in &platform.facts {
            fact_line(ui, fact, lang, content, citations);
        }
    }
    // Zones that name it as a carrier park.
    let carried_by: Vec<FeatureRef> = content
        .zones
        .iter()
        .filter(|zone| zone.carriers.iter().any(|c| c.id == feature.id))
        .filter_map(|zone| atlas.find(&zone.id).map(|(r, _)| r))
        .collect();
    if !carried_by.is_empty() {
        ui.horizontal_wrapped(|ui| {
            ui.label(lang.pick("载体所属：", "Carrier park of: "));
            for zone in carried_by {
                link_button(ui, atlas, zone, lang, action);
            }
        });
    }
    position_section(ui, atlas, selected, lang, action);
    for source in &platform.sources {
        citations.number(source);
    }
}

/// A platform's position: its coordinates, how precisely it is placed and why, its
/// correction if it has one, "Correct position…", and the others placed at the same point.
fn position_section(
    ui: &mut Ui,
    atlas: &Atlas,
    selected: FeatureRef,
    lang: Lang,
    action: &mut Option<Action>,
) {
    let Some(feature) = atlas.feature(selected) else {
        return;
    };
    let Some(platform) = feature.platform() else {
        return;
    };
    section(ui, lang.pick("位置", "Position"));
    if let Shape::Point(point) = feature.shape {
        ui.label(format!("{:.4}°E {:.4}°N", point.x(), point.y()));
    }
    ui.label(format!(
        "{} {:.0} m{}",
        lang.pick("位置精度：约", "Placed within about"),
        platform.accuracy_m,
        lang.pick("（地图上以虚线圆表示）", " (the dashed circle on the map)")
    ));
    ui.label(
        RichText::new(platform.position_note.get(lang))
            .small()
            .weak(),
    );
    ui.label(
        RichText::new(format!(
            "{}{}",
            lang.pick("位置来源：", "Position source: "),
            platform.position_source.describe(atlas.content(), lang)
        ))
        .small()
        .weak(),
    );
    if let Some(corrected) = &platform.corrected {
        ui.label(
            RichText::new(format!(
                "{}{}，{}（{} {:.4}°E {:.4}°N，{} {:.0} m）",
                lang.pick("已校正：", "Corrected: "),
                corrected.source,
                corrected.date,
                lang.pick("内置位置", "built-in position"),
                corrected.original.x(),
                corrected.original.y(),
                lang.pick("精度", "accuracy"),
                corrected.original_accuracy_m
            ))
            .small()
            .color(Color32::from_rgb(0x1f, 0x5f, 0xbf)),
        );
    }
    if ui
        .small_button(lang.pick("校正位置…", "Correct position…"))
        .on_hover_text(lang.pick(
            "知道它确切位置的人可以拖动或输入坐标，并注明精度与来源",
            "If you know where it is: drag it or type its coordinates, with an accuracy and a source",
        ))
        .clicked()
    {
        *action = Some(Action::Correct(selected));
    }
    // Others placed at the very same point (sites the sources do not give).
    if let Shape::Point(point) = feature.shape {
        let same_spot: Vec<FeatureRef> = atlas
            .own_features()
            .filter(|(other, f)| {
                *other != selected
                    && f.platform().is_some()
                    && matches!(f.shape, Shape::Point(p) if p == point)
            })
            .map(|(other, _)| other)
            .collect();
        if !same_spot.is_empty() {
            ui.collapsing(
                format!(
                    "{} ({})",
                    lang.pick("同一位置的其他平台", "Others placed at the same point"),
                    same_spot.len()
                ),
                |ui| {
                    for other in same_spot {
                        link_button(ui, atlas, other, lang, action);
                    }
                },
            );
        }
    }
}

fn admin_sections(
    ui: &mut Ui,
    atlas: &Atlas,
    selected: FeatureRef,
    lang: Lang,
    areas: &mut AreaCache,
    action: &mut Option<Action>,
) {
    let Some(feature) = atlas.feature(selected) else {
        return;
    };
    if let Shape::Area(area) = &feature.shape {
        let km2 = *areas
            .entry(selected)
            .or_insert_with(|| crate::model::measure::area_km2(area));
        ui.label(format!(
            "{}: {km2:.0} km²",
            lang.pick("面积（椭球面测算）", "Area (geodesic)")
        ));
    }
    ui.label(format!(
        "{}: {}",
        lang.pick("行政区划代码", "Code"),
        feature.id
    ));
    if selected.layer == LayerId::Counties {
        // Zones that overlap this unit are listed for quick navigation.
        let zones: Vec<FeatureRef> = atlas
            .zones()
            .filter(|(_, f)| {
                f.zone().and_then(|z| z.admin_district.as_deref()) == Some(feature.name.zh.as_str())
            })
            .map(|(r, _)| r)
            .collect();
        if !zones.is_empty() {
            ui.horizontal_wrapped(|ui| {
                ui.label(lang.pick("科学城片区：", "Science-city district: "));
                for zone in zones {
                    link_button(ui, atlas, zone, lang, action);
                }
            });
        }
    }
    ui.label(
        RichText::new(lang.pick(
            "边界：echarts 行政区划数据，已转换为 WGS-84",
            "Boundary: echarts administrative data, converted to WGS-84",
        ))
        .small()
        .weak(),
    );
}

fn sources_section(ui: &mut Ui, content: &Content, citations: &Citations, lang: Lang) {
    if citations.ids.is_empty() {
        return;
    }
    section(ui, lang.pick("来源", "Sources"));
    for (index, id) in citations.ids.iter().enumerate() {
        let text = content
            .source(id)
            .map_or_else(|| id.clone(), |source| source.citation(lang));
        ui.label(RichText::new(format!("[{}] {text}", index + 1)).small());
    }
}
