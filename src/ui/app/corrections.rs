//! Correcting a platform's position in the window: a form with its coordinates (typed in
//! WGS-84, GCJ-02 or BD-09, or set by dragging its marker on the map), an accuracy and a
//! source; saved to the corrections file beside the saved state, applied at once, undone with
//! Ctrl+Z; exported and imported (merged, the later date winning) so that a team shares one.

use std::path::{Path, PathBuf};

use super::AtlasApp;
use crate::coordinates::datum::Datum;
use crate::geodata::corrections::{self, Correction, Corrections, OutlineCorrection};
use crate::model::{FeatureRef, Shape};

/// The corrections: where they are kept, what they are, what was changed (for undo), and the
/// open form.
#[derive(Default)]
pub struct CorrectionShelf {
    /// The corrections file (`None`: nothing is read or written).
    pub path: Option<PathBuf>,
    pub list: Corrections,
    /// Each change, with what it replaced.
    history: Vec<Change>,
    pub form: Option<CorrectionForm>,
    /// A user's area about to become a zone's outline.
    pub outline_form: Option<OutlineForm>,
}

impl CorrectionShelf {
    /// Whether a change can be taken back.
    pub fn can_undo(&self) -> bool {
        !self.history.is_empty()
    }
}

/// A change made, and what it replaced (for undo).
enum Change {
    Platform(String, Option<Correction>),
    Outline(String, Option<OutlineCorrection>),
}

/// The form that makes a user's area a zone's outline.
#[derive(Debug, Clone, PartialEq)]
pub struct OutlineForm {
    pub area: FeatureRef,
    pub zone: Option<String>,
    pub source: String,
    pub problems: Vec<String>,
}

/// The form of one platform's correction.
#[derive(Debug, Clone, PartialEq)]
pub struct CorrectionForm {
    pub platform: FeatureRef,
    pub id: String,
    pub lon: String,
    pub lat: String,
    /// The datum the typed coordinates are in.
    pub datum: Datum,
    pub accuracy_m: String,
    pub source: String,
    pub problems: Vec<String>,
}

impl CorrectionForm {
    /// The position the form holds, in WGS-84, if it is one.
    pub fn position(&self) -> Option<geo::Coord> {
        let lon: f64 = self.lon.trim().parse().ok()?;
        let lat: f64 = self.lat.trim().parse().ok()?;
        let (lon, lat) = self.datum.to_wgs84(lon, lat);
        (lon.is_finite() && lat.is_finite()).then_some(geo::coord! { x: lon, y: lat })
    }

    /// Sets the position (WGS-84), written in the form's datum.
    pub fn set_position(&mut self, at: geo::Coord) {
        let (lon, lat) = self.datum.from_wgs84(at.x, at.y);
        self.lon = format!("{lon:.6}");
        self.lat = format!("{lat:.6}");
    }
}

impl AtlasApp {
    /// Reads the corrections kept beside the saved state and applies them.
    pub(super) fn load_corrections(&mut self, state_path: Option<&Path>) {
        let Some(path) = state_path.map(crate::paths::corrections_beside) else {
            return;
        };
        match corrections::read(&path) {
            Ok(list) => {
                let origin = path.display().to_string();
                let problems = corrections::apply_all(&mut self.data.atlas, &list, &origin);
                self.data.problems.extend(problems);
                self.corrections.list = list;
                if !self.corrections.list.is_empty() {
                    self.data_changed();
                }
            }
            Err(error) => self.data.problems.push(error),
        }
        self.corrections.path = Some(path);
    }

    /// The corrections in force (for tests).
    pub fn corrections(&self) -> &[Correction] {
        &self.corrections.list.platforms
    }

    /// The zone outlines replaced (for tests).
    pub fn outline_corrections(&self) -> &[OutlineCorrection] {
        &self.corrections.list.outlines
    }

    pub(super) fn start_correcting(&mut self, platform: FeatureRef) {
        let Some(feature) = self.data.atlas.feature(platform) else {
            return;
        };
        let Some(info) = feature.platform() else {
            return;
        };
        let mut form = CorrectionForm {
            platform,
            id: feature.id.clone(),
            lon: String::new(),
            lat: String::new(),
            datum: Datum::Wgs84,
            accuracy_m: format!("{:.0}", info.accuracy_m.min(100.0)),
            source: info
                .corrected
                .as_ref()
                .map(|c| c.source.clone())
                .unwrap_or_default(),
            problems: Vec::new(),
        };
        if let Shape::Point(point) = feature.shape {
            form.set_position(point.0);
        }
        self.corrections.form = Some(form);
    }

    /// Saves the form's correction: checked, applied, written; said in the form if not.
    pub fn save_correction(&mut self) -> bool {
        let Some(form) = &mut self.corrections.form else {
            return false;
        };
        let Some(at) = form.position() else {
            form.problems = vec!["the longitude and latitude are not numbers".into()];
            return false;
        };
        let correction = Correction {
            platform: form.id.clone(),
            lon: (at.x * 1e7).round() / 1e7,
            lat: (at.y * 1e7).round() / 1e7,
            accuracy_m: form.accuracy_m.trim().parse().unwrap_or(f64::NAN),
            source: form.source.trim().to_string(),
            date: corrections::today(),
        };
        let problems = corrections::check(&self.data.atlas, std::slice::from_ref(&correction), "");
        if !problems.is_empty() {
            form.problems = problems.into_iter().map(|p| p.problem).collect();
            return false;
        }
        let previous = self.put_correction(Some(correction));
        let id = form_id(&self.corrections.form);
        self.corrections
            .history
            .push(Change::Platform(id, previous));
        self.corrections.form = None;
        true
    }

    /// Sets (or with `None` removes) the open form's platform's correction; returns the one
    /// it replaces.
    fn put_correction(&mut self, correction: Option<Correction>) -> Option<Correction> {
        let id = form_id(&self.corrections.form);
        self.replace_correction(&id, correction)
    }

    fn replace_correction(
        &mut self,
        id: &str,
        correction: Option<Correction>,
    ) -> Option<Correction> {
        corrections::set(&mut self.data.atlas, id, correction.as_ref());
        let previous = corrections::replace(&mut self.corrections.list.platforms, id, correction);
        self.write_corrections();
        self.data_changed();
        previous
    }

    fn replace_outline(
        &mut self,
        zone: &str,
        outline: Option<OutlineCorrection>,
    ) -> Option<OutlineCorrection> {
        corrections::set_outline(&mut self.data.atlas, zone, outline.as_ref());
        let previous = corrections::replace(&mut self.corrections.list.outlines, zone, outline);
        self.write_corrections();
        self.data_changed();
        previous
    }

    /// Makes the user's area `area` the outline of `zone`, naming `source`; said in the form
    /// when it cannot be.
    pub fn use_as_outline(&mut self, area: FeatureRef, zone: &str, source: &str) -> bool {
        use wkt::ToWkt;
        let Some(Shape::Area(polygon)) = self.data.atlas.feature(area).map(|f| &f.shape) else {
            return false;
        };
        let outline = OutlineCorrection {
            zone: zone.to_string(),
            source: source.trim().to_string(),
            date: corrections::today(),
            wkt: polygon.wkt_string(),
        };
        let problems =
            corrections::check_outlines(&self.data.atlas, std::slice::from_ref(&outline), "");
        if !problems.is_empty() {
            if let Some(form) = &mut self.corrections.outline_form {
                form.problems = problems.into_iter().map(|p| p.problem).collect();
            }
            return false;
        }
        let previous = self.replace_outline(zone, Some(outline));
        self.corrections
            .history
            .push(Change::Outline(zone.to_string(), previous));
        self.corrections.outline_form = None;
        true
    }

    /// Gives a zone back its built-in outline.
    pub fn restore_outline(&mut self, zone: &str) {
        let previous = self.replace_outline(zone, None);
        self.corrections
            .history
            .push(Change::Outline(zone.to_string(), previous));
    }

    /// Takes back the last change (a move, an outline, a removal).
    pub fn undo_correction(&mut self) {
        let Some(change) = self.corrections.history.pop() else {
            return;
        };
        let id = match change {
            Change::Platform(id, previous) => {
                self.replace_correction(&id, previous);
                id
            }
            Change::Outline(zone, previous) => {
                self.replace_outline(&zone, previous);
                zone
            }
        };
        let lang = self.settings.lang;
        self.messages.say(
            format!("{} {id}", lang.pick("已撤销校正：", "Correction undone:")),
            false,
        );
    }

    fn write_corrections(&mut self) {
        let Some(path) = &self.corrections.path else {
            return;
        };
        if let Err(problem) = corrections::write(path, &self.corrections.list) {
            eprintln!("chengyu-atlas: corrections: {problem}");
            let problem = crate::ui::panels::in_language(&problem, self.settings.lang);
            self.messages.say(problem, true);
        }
    }

    /// Writes the corrections in force to `path`, for a colleague.
    pub fn export_corrections(&mut self, path: &Path) -> bool {
        let outcome = corrections::write(path, &self.corrections.list);
        let lang = self.settings.lang;
        let ok = outcome.is_ok();
        match outcome {
            Ok(()) => self.messages.say(
                format!(
                    "{} {} → {}",
                    self.corrections.list.len(),
                    lang.pick("条校正已导出", "corrections exported"),
                    path.display()
                ),
                false,
            ),
            Err(problem) => self
                .messages
                .say(crate::ui::panels::in_language(&problem, lang), true),
        }
        ok
    }

    /// Merges the corrections in `path` into these (the later date wins) and applies them.
    pub fn import_corrections(&mut self, path: &Path) -> bool {
        let lang = self.settings.lang;
        let theirs = match corrections::read(path) {
            Ok(theirs) => theirs,
            Err(error) => {
                self.messages.say(error.in_language(lang), true);
                return false;
            }
        };
        let origin = path.display().to_string();
        let (good, problems) = corrections::partition(&self.data.atlas, theirs, &origin);
        let mut merged = self.corrections.list.clone();
        let taken = corrections::merge(&mut merged.platforms, good.platforms)
            + corrections::merge(&mut merged.outlines, good.outlines);
        for c in &merged.platforms {
            corrections::set(&mut self.data.atlas, &c.platform, Some(c));
        }
        for o in &merged.outlines {
            corrections::set_outline(&mut self.data.atlas, &o.zone, Some(o));
        }
        self.corrections.list = merged;
        self.corrections.history.clear();
        self.write_corrections();
        self.data_changed();
        let mut said = format!(
            "{taken} {}",
            lang.pick("条校正已导入", "corrections imported")
        );
        for problem in &problems {
            let problem = crate::ui::panels::in_language(&problem.problem, lang);
            said.push_str(&format!("{}{problem}", lang.pick("；", "; ")));
        }
        self.messages.say(said, !problems.is_empty());
        true
    }

    /// The open form, as a window: coordinates (typed, or set by dragging the marker), datum,
    /// accuracy, source; save, remove the correction, cancel.
    pub(super) fn correction_window(&mut self, ctx: &egui::Context) {
        let lang = self.settings.lang;
        let Some(form) = &mut self.corrections.form else {
            return;
        };
        let name = self
            .data
            .atlas
            .feature(form.platform)
            .map(|f| f.name.get(lang).to_string())
            .unwrap_or_default();
        let corrected = self
            .data
            .atlas
            .feature(form.platform)
            .and_then(|f| f.platform())
            .is_some_and(|p| p.corrected.is_some());
        let mut asked = None;
        egui::Window::new(format!(
            "{} — {name}",
            lang.pick("校正位置", "Correct position")
        ))
        .id(egui::Id::unique("correction-form"))
        .collapsible(false)
        .resizable(false)
        .default_pos(ctx.content_rect().right_top() + egui::vec2(-420.0, 60.0))
        .show(ctx, |ui| {
            ui.label(
                egui::RichText::new(lang.pick(
                    "在地图上拖动它的标记，或输入坐标：",
                    "Drag its marker on the map, or type its coordinates:",
                ))
                .small(),
            );
            let before = form.position();
            egui::Grid::new("correction-fields")
                .num_columns(2)
                .show(ui, |ui| {
                    let label = ui.label(lang.pick("经度", "Longitude"));
                    ui.text_edit_singleline(&mut form.lon).labelled_by(label.id);
                    ui.end_row();
                    let label = ui.label(lang.pick("纬度", "Latitude"));
                    ui.text_edit_singleline(&mut form.lat).labelled_by(label.id);
                    ui.end_row();
                    ui.label("");
                    let mut datum = form.datum;
                    egui::ComboBox::from_label(lang.pick("坐标系", "datum"))
                        .selected_text(datum.name())
                        .show_ui(ui, |ui| {
                            for d in Datum::ALL {
                                ui.selectable_value(&mut datum, d, d.name());
                            }
                        });
                    if datum != form.datum {
                        // The same place, written in the other datum.
                        if let Some(at) = before {
                            form.datum = datum;
                            form.set_position(at);
                        } else {
                            form.datum = datum;
                        }
                    }
                    ui.end_row();
                    let label = ui.label(lang.pick("精度（米）", "Accuracy (m)"));
                    ui.text_edit_singleline(&mut form.accuracy_m)
                        .labelled_by(label.id);
                    ui.end_row();
                    let label = ui.label(lang.pick("来源", "Source"));
                    ui.add(
                        egui::TextEdit::singleline(&mut form.source).hint_text(lang.pick(
                            "如：现场踏勘、园区平面图",
                            "e.g. a site visit, the park's plan",
                        )),
                    )
                    .labelled_by(label.id);
                    ui.end_row();
                });
            for problem in &form.problems {
                crate::ui::panels::notice(ui, crate::ui::panels::in_language(problem, lang), true);
            }
            ui.horizontal(|ui| {
                if ui
                    .button(lang.pick("保存校正", "Save correction"))
                    .clicked()
                {
                    asked = Some(FormAction::Save);
                }
                if corrected
                    && ui
                        .button(lang.pick("恢复内置位置", "Back to built-in position"))
                        .clicked()
                {
                    asked = Some(FormAction::Remove);
                }
                if ui.button(lang.pick("取消", "Cancel")).clicked() {
                    asked = Some(FormAction::Cancel);
                }
            });
        });
        match asked {
            Some(FormAction::Save) => {
                self.save_correction();
            }
            Some(FormAction::Remove) => {
                let previous = self.put_correction(None);
                let id = form_id(&self.corrections.form);
                self.corrections
                    .history
                    .push(Change::Platform(id, previous));
                self.corrections.form = None;
            }
            Some(FormAction::Cancel) => self.corrections.form = None,
            None => {}
        }
    }

    /// The platform being corrected and where the form has it (for the map's drag).
    pub(super) fn moving(&self) -> Option<geo::Coord> {
        self.corrections.form.as_ref()?.position()
    }

    /// The marker was dragged to `at`.
    pub(super) fn moved(&mut self, at: geo::Coord) {
        if let Some(form) = &mut self.corrections.form {
            form.set_position(at);
        }
    }

    pub(super) fn start_outline(&mut self, area: FeatureRef) {
        self.corrections.outline_form = Some(OutlineForm {
            area,
            zone: None,
            source: String::new(),
            problems: Vec::new(),
        });
    }

    /// The form that makes a user's area a zone's outline, as a window.
    pub(super) fn outline_window(&mut self, ctx: &egui::Context) {
        let lang = self.settings.lang;
        let Some(form) = &mut self.corrections.outline_form else {
            return;
        };
        let zones: Vec<(String, String)> = self
            .data
            .atlas
            .zones()
            .filter(|(_, f)| matches!(f.shape, Shape::Area(_)))
            .map(|(_, f)| (f.id.clone(), f.name.get(lang).to_string()))
            .collect();
        let layer = self
            .data
            .atlas
            .layer_title(form.area.layer)
            .get(lang)
            .to_string();
        let mut asked = None;
        egui::Window::new(lang.pick("用作区域边界", "Use as a zone's outline"))
            .id(egui::Id::unique("outline-form"))
            .collapsible(false)
            .resizable(false)
            .default_pos([ctx.content_rect().center().x - 200.0, 48.0])
            .show(ctx, |ui| {
                ui.label(
                    egui::RichText::new(format!(
                        "{}{layer}{}",
                        lang.pick("以用户图层 ", "This polygon of "),
                        lang.pick(
                            " 中的此多边形替换区域的近似边界；区域将以实线绘制并注明来源。",
                            " replaces the zone's approximate outline; the zone is then drawn solid, with its source.",
                        )
                    ))
                    .small(),
                );
                let shown = form
                    .zone
                    .as_ref()
                    .and_then(|id| zones.iter().find(|(z, _)| z == id))
                    .map_or(lang.pick("（选择区域）", "(choose a zone)").to_string(), |(_, n)| n.clone());
                egui::ComboBox::from_label(lang.pick("区域", "Zone"))
                    .selected_text(shown)
                    .show_ui(ui, |ui| {
                        for (id, name) in &zones {
                            ui.selectable_value(&mut form.zone, Some(id.clone()), name);
                        }
                    });
                ui.horizontal(|ui| {
                    let label = ui.label(lang.pick("来源", "Source"));
                    ui.add(egui::TextEdit::singleline(&mut form.source).hint_text(lang.pick(
                        "如：区规划局 2026 年边界文件",
                        "e.g. the district planning bureau's 2026 file",
                    )))
                    .labelled_by(label.id);
                });
                for problem in &form.problems {
                    crate::ui::panels::notice(ui, crate::ui::panels::in_language(problem, lang), true);
                }
                ui.horizontal(|ui| {
                    if ui
                        .add_enabled(form.zone.is_some(), egui::Button::new(lang.pick("替换边界", "Replace outline")))
                        .clicked()
                    {
                        asked = Some(true);
                    }
                    if ui.button(lang.pick("取消", "Cancel")).clicked() {
                        asked = Some(false);
                    }
                });
            });
        match asked {
            Some(true) => {
                if let Some(form) = self.corrections.outline_form.clone()
                    && let Some(zone) = &form.zone
                {
                    self.use_as_outline(form.area, zone, &form.source);
                }
            }
            Some(false) => self.corrections.outline_form = None,
            None => {}
        }
    }

    /// The correction form, for tests.
    pub fn correction_form(&mut self) -> Option<&mut CorrectionForm> {
        self.corrections.form.as_mut()
    }
}

enum FormAction {
    Save,
    Remove,
    Cancel,
}

fn form_id(form: &Option<CorrectionForm>) -> String {
    form.as_ref().map(|f| f.id.clone()).unwrap_or_default()
}
