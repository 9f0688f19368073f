//! The layer list, as in QGIS: top of the drawing order first, each layer with its legend
//! symbol, a visibility checkbox and an opacity slider; the districts by colour under their
//! layer; what dashed outlines mean; then any data problem and notice.

use egui::{Color32, RichText, Sense, Stroke, Ui, vec2};

use crate::geodata::DataError;
use crate::model::{Atlas, Lang, LayerId};
use crate::render::LayerSettings;
use crate::render::egui_painter::color32;
use crate::render::legend::{self, LegendEntry};
use crate::render::style::{self, AreaStyle, LegendSymbol, MarkerShape};

/// How many data problems the panel lists before "… +n".
const SHOWN_PROBLEMS: usize = 20;

/// Draws the layer list; the checkboxes and sliders change `layers` in place.
pub fn show(ui: &mut Ui, atlas: &Atlas, layers: &mut LayerSettings, lang: Lang) {
    for layer in LayerId::ALL.into_iter().rev() {
        layer_row(ui, atlas, layers, layer, lang);
        if layer == LayerId::Districts && layers.visible(layer) {
            for entry in legend::district_entries(atlas, |_| true) {
                entry_row(ui, &entry, lang);
            }
        }
        if layer == LayerId::Platforms && layers.visible(layer) {
            // Nine categories in a few wrapped lines, not nine rows: the layers must fit.
            ui.indent("platform-categories", |ui| {
                ui.horizontal_wrapped(|ui| {
                    ui.spacing_mut().item_spacing.x = 2.0;
                    for entry in legend::platform_entries(atlas, |_| true) {
                        // The dot and its name as one piece of text: never split across lines.
                        let mut job = egui::text::LayoutJob::default();
                        let font = egui::TextStyle::Small.resolve(ui.style());
                        if let LegendSymbol::Marker(marker) = &entry.symbol {
                            job.append(
                                "● ",
                                0.0,
                                egui::TextFormat::simple(font.clone(), color32(marker.fill)),
                            );
                        }
                        job.append(
                            entry.label.get(lang),
                            0.0,
                            egui::TextFormat::simple(font, ui.visuals().text_color()),
                        );
                        ui.add(egui::Label::new(job).wrap_mode(egui::TextWrapMode::Extend));
                        ui.add_space(6.0);
                    }
                })
            });
            entry_row(ui, &legend::cluster_entry(true), lang);
        }
    }
    ui.add_space(6.0);
    entry_row(ui, &legend::approximate_entry(text_colour(ui)), lang);
}

fn text_colour(ui: &Ui) -> style::Rgba {
    let [r, g, b, a] = ui.visuals().text_color().to_srgba_unmultiplied();
    style::Rgba::new(r, g, b, a)
}

fn layer_row(ui: &mut Ui, atlas: &Atlas, layers: &mut LayerSettings, layer: LayerId, lang: Lang) {
    let present = atlas.layer(layer).is_some_and(|l| !l.features.is_empty());
    let setting = layers.get_mut(layer);
    let mut text = RichText::new(layer.title().get(lang));
    if !present {
        text = text.strikethrough().weak();
    }
    super::layer_row(
        ui,
        &legend::layer_symbol(atlas, layer),
        &mut setting.visible,
        &mut setting.opacity,
        text,
        if present {
            lang.pick("显示或隐藏此图层", "Show or hide this layer")
        } else {
            lang.pick("此图层的数据未能加载", "This layer's data did not load")
        },
        lang,
    );
}

/// A legend row without a checkbox (a district, the dashed line).
fn entry_row(ui: &mut Ui, entry: &LegendEntry, lang: Lang) {
    ui.horizontal(|ui| {
        if entry.indented {
            ui.add_space(28.0);
        }
        swatch(ui, &entry.symbol);
        ui.add(egui::Label::new(RichText::new(entry.label.get(lang)).small()).wrap());
    });
}

/// A legend symbol in a 22 × 14 point swatch, as the export's legend draws it.
pub fn swatch(ui: &mut Ui, symbol: &LegendSymbol) {
    let (rect, _) = ui.allocate_exact_size(vec2(22.0, 14.0), Sense::hover());
    let painter = ui.painter();
    let c = rect.center();
    match symbol {
        LegendSymbol::Dots(colours) => {
            for (dx, colour) in style::dot_offsets(colours.len()).zip(colours) {
                painter.circle_filled(rect.left_center() + vec2(dx, 0.0), 3.5, color32(*colour));
            }
        }
        LegendSymbol::Marker(marker) => {
            let r = marker.radius.min(6.0);
            let outline = Stroke::new(marker.outline_width, color32(marker.outline));
            match marker.shape {
                MarkerShape::Diamond => {
                    painter.add(egui::Shape::convex_polygon(
                        vec![
                            c + vec2(0.0, -r),
                            c + vec2(r, 0.0),
                            c + vec2(0.0, r),
                            c + vec2(-r, 0.0),
                        ],
                        color32(marker.fill),
                        outline,
                    ));
                }
                MarkerShape::Circle => {
                    painter.circle(c, r, color32(marker.fill), outline);
                }
            }
        }
        LegendSymbol::Line(line) => {
            let stroke = Stroke::new(line.width.max(1.0), color32(line.color));
            let ends = [rect.left_center(), rect.right_center()];
            match line.dash {
                Some((dash, gap)) => {
                    painter.extend(egui::Shape::dashed_line(&ends, stroke, dash, gap));
                }
                None => {
                    painter.line_segment(ends, stroke);
                }
            }
        }
        LegendSymbol::Area(area) => area_swatch(painter, rect.shrink(1.0), area),
        LegendSymbol::Arrow(line) => {
            let colour = color32(line.color);
            let start = rect.left_center();
            painter.line_segment([start, start + vec2(16.0, 0.0)], Stroke::new(2.0, colour));
            painter.add(egui::Shape::convex_polygon(
                vec![
                    start + vec2(16.0, -4.0),
                    start + vec2(22.0, 0.0),
                    start + vec2(16.0, 4.0),
                ],
                colour,
                Stroke::NONE,
            ));
        }
        LegendSymbol::Spotlight => {
            painter.rect_filled(rect, 0.0, color32(style::SPOTLIGHT_VEIL));
            let lit = egui::Rect::from_center_size(c, vec2(10.0, 8.0));
            painter.rect(
                lit,
                0.0,
                color32(style::LAND),
                Stroke::new(1.5, color32(style::EMPHASIS)),
                egui::StrokeKind::Middle,
            );
        }
        LegendSymbol::Extent => {
            let line = style::SPOTLIGHT_EXTENT_LINE;
            painter.circle(
                c,
                6.0,
                color32(style::spotlight_extent_fill()),
                Stroke::new(line.width, color32(line.color)),
            );
        }
    }
}

fn area_swatch(painter: &egui::Painter, rect: egui::Rect, area: &AreaStyle) {
    if let Some(fill) = area.fill {
        painter.rect_filled(rect, 2.0, color32(fill));
    }
    let Some(line) = area.outline else {
        return;
    };
    let stroke = Stroke::new(line.width, color32(line.color));
    match line.dash {
        Some((dash, gap)) => {
            let corners = [
                rect.left_top(),
                rect.right_top(),
                rect.right_bottom(),
                rect.left_bottom(),
                rect.left_top(),
            ];
            painter.extend(egui::Shape::dashed_line(&corners, stroke, dash, gap));
        }
        None => {
            painter.rect_stroke(rect, 2.0, stroke, egui::StrokeKind::Inside);
        }
    }
}

/// The problems the data had, in a red box; returns whether the full list was asked for.
pub fn problems_box(ui: &mut Ui, lang: Lang, problems: &[DataError]) -> bool {
    let mut open = false;
    let red = Color32::from_rgb(0xc6, 0x28, 0x28);
    egui::Frame::group(ui.style())
        .stroke(Stroke::new(1.0, red))
        .show(ui, |ui| {
            ui.label(
                RichText::new(lang.pick("数据问题", "Data problems"))
                    .strong()
                    .color(red),
            );
            for problem in problems.iter().take(SHOWN_PROBLEMS) {
                ui.label(RichText::new(super::shown(&problem.in_language(lang))).small());
            }
            if problems.len() > SHOWN_PROBLEMS {
                ui.label(RichText::new(format!("… +{}", problems.len() - SHOWN_PROBLEMS)).small());
            }
            let every: usize = problems.iter().map(|p| p.details.len().max(1)).sum();
            if ui
                .small_button(format!(
                    "{} ({every})",
                    lang.pick("全部问题…", "Every problem…")
                ))
                .clicked()
            {
                open = true;
            }
        });
    open
}

/// Every problem, one line each, in a window of its own (thousands scroll without cost).
pub fn problems_window(ctx: &egui::Context, open: &mut bool, lang: Lang, problems: &[DataError]) {
    let lines: Vec<String> = problems
        .iter()
        .flat_map(|problem| {
            let header = std::iter::once(super::shown(&problem.in_language(lang)));
            let every = problem
                .details
                .iter()
                .map(move |line| format!("    {}", super::shown(line.get(lang))));
            header.chain(every)
        })
        .collect();
    egui::Window::new(lang.pick("数据问题（全部）", "Data problems (all)"))
        .open(open)
        .default_size([720.0, 480.0])
        .show(ctx, |ui| {
            let height = ui.text_style_height(&egui::TextStyle::Small);
            egui::ScrollArea::both()
                .auto_shrink([false, false])
                .show_rows(ui, height, lines.len(), |ui, rows| {
                    for line in &lines[rows] {
                        ui.label(RichText::new(line).small());
                    }
                });
        });
}
