//! Corrections (校正): a platform's position corrected in a form (its coordinates typed in
//! WGS-84, GCJ-02 or BD-09, or set by dragging its marker on the map, an accuracy and a
//! source), a zone's outline replaced by a user's polygon; saved to the corrections file beside
//! the saved state, applied at once, undone with Ctrl+Z (the window's history keeps each change
//! as the corrections before and after it); exported and imported (merged, the
//! later date winning) so that a team shares one.
//!
//! The feature owns the corrections and their forms; the atlas they change is the window's,
//! lent to [`Correcting::apply`] when the window carries out a [`CorrectionAction`].

use std::path::{Path, PathBuf};

use crate::coordinates::datum::Datum;
use crate::geodata::DataError;
use crate::geodata::corrections::{self, Correction, Corrections, OutlineCorrection};
use crate::model::{Atlas, FeatureRef, Lang, Shape};
use crate::ui::action::{Action, CorrectionAction};
use crate::ui::messages::Said;

use super::{Ctx, Feature};

/// What carrying out an action did, for the window to show.
#[derive(Debug, Default)]
pub struct Outcome {
    /// It was done (a form's check, a file's read, may refuse it).
    pub done: bool,
    /// The atlas changed: its index and geometry are made again.
    pub changed: bool,
    /// What to say in the message bar, and whether it is a failure.
    pub said: Option<Said>,
}

/// The corrections: where they are kept, what they are, what was changed (for undo), and the
/// open forms.
#[derive(Default)]
pub struct Correcting {
    /// The corrections file (`None`: nothing is read or written).
    pub path: Option<PathBuf>,
    pub list: Corrections,
    pub form: Option<CorrectionForm>,
    /// A user's area about to become a zone's outline.
    pub outline_form: Option<OutlineForm>,
    /// The corrections file, when it could not be read and was moved aside (for the window's
    /// banner, which takes it).
    pub kept: Option<crate::geodata::kept::KeptAside>,
    /// The team the corrections are shared with, through its database.
    pub team: super::team::TeamLink,
}

impl Correcting {
    /// The corrections kept at `path` (beside the saved state), applied to `atlas`; returns
    /// the feature, what was wrong with the file, and whether the atlas changed.
    pub fn load(path: Option<PathBuf>, atlas: &mut Atlas) -> (Self, Vec<DataError>, bool) {
        let mut corrections = Self {
            path: path.clone(),
            ..Self::default()
        };
        let Some(path) = path else {
            return (corrections, Vec::new(), false);
        };
        match corrections::read_or_keep_aside(&path) {
            Ok(list) => {
                let origin = path.display().to_string();
                let problems = corrections::apply_all(atlas, &list, &origin);
                let changed = !list.is_empty();
                corrections.team =
                    super::team::TeamLink::load(Some(path.with_file_name("team.json")), &list);
                corrections.list = list;
                (corrections, problems, changed)
            }
            Err(unreadable) => {
                let (error, kept) = *unreadable;
                eprintln!("chengyu-atlas: {error}");
                corrections.kept = kept;
                (corrections, vec![error], false)
            }
        }
    }

    /// The platform being corrected and where the form has it (for the map's drag).
    pub fn moving(&self) -> Option<geo::Coord> {
        self.form.as_ref()?.position()
    }

    /// Carries out `action` on `atlas`.
    pub fn apply(&mut self, action: CorrectionAction, atlas: &mut Atlas, lang: Lang) -> Outcome {
        let mut outcome = Outcome {
            done: true,
            ..Outcome::default()
        };
        match action {
            CorrectionAction::Start(platform) => self.form = start_form(atlas, platform),
            CorrectionAction::Save => outcome = self.save(atlas, lang),
            CorrectionAction::Remove => {
                let id = form_id(&self.form);
                outcome = self.replace_platform(atlas, &id, None, lang);
                self.form = None;
            }
            CorrectionAction::Cancel => self.form = None,
            CorrectionAction::Moved(at) => {
                if let Some(form) = &mut self.form {
                    form.set_position(at);
                }
            }
            CorrectionAction::StartOutline(area) => {
                self.outline_form = Some(OutlineForm {
                    area,
                    zone: None,
                    source: String::new(),
                    problems: Vec::new(),
                });
            }
            CorrectionAction::UseAsOutline { area, zone, source } => {
                outcome = self.use_as_outline(atlas, area, &zone, &source, lang);
            }
            CorrectionAction::CancelOutline => self.outline_form = None,
            CorrectionAction::RestoreOutline(zone) => {
                outcome = self.replace_outline(atlas, &zone, None, lang);
            }
            CorrectionAction::Export(path) => outcome = self.export(&path, lang),
            CorrectionAction::Import(path) => outcome = self.import(atlas, &path, lang),
            CorrectionAction::OpenTeam => self.team.dialog.open = true,
            CorrectionAction::JoinTeam(team) => self.team.join(*team, &self.list),
            CorrectionAction::LeaveTeam => self.team.leave(),
            CorrectionAction::FromTeam(synced) => {
                outcome = self.take_from_team(atlas, *synced, lang)
            }
        }
        outcome
    }

    /// The team's edits applied (and written to the corrections file, not sent back); this
    /// atlas's edits that lost are said.
    fn take_from_team(
        &mut self,
        atlas: &mut Atlas,
        synced: crate::geodata::team::Synced,
        lang: Lang,
    ) -> Outcome {
        use crate::geodata::team::Kind;
        for change in &synced.changes {
            match change.kind {
                Kind::Platform => {
                    let correction = change.platform();
                    corrections::set(atlas, &change.key, correction.as_ref());
                    corrections::replace(&mut self.list.platforms, &change.key, correction);
                }
                Kind::Outline => {
                    let outline = change.outline();
                    corrections::set_outline(atlas, &change.key, outline.as_ref());
                    corrections::replace(&mut self.list.outlines, &change.key, outline);
                }
                Kind::Sketch => {
                    if let Some(feature) = change.sketch() {
                        crate::geodata::team::apply_sketch(atlas, &feature);
                    }
                }
            }
        }
        self.team.taken(&self.list, atlas);
        let mut outcome = if synced.changes.is_empty() {
            Outcome {
                done: true,
                ..Outcome::default()
            }
        } else {
            self.written(lang)
        };
        if !synced.lost.is_empty() {
            let said: Vec<String> = synced
                .lost
                .iter()
                .map(|lost| lost.said().get(lang).to_string())
                .collect();
            outcome.said = Some(Said::failed(said.join(lang.pick("；", "; "))));
        }
        outcome
    }

    /// Saves the form's correction: checked, applied, written; said in the form if not.
    fn save(&mut self, atlas: &mut Atlas, lang: Lang) -> Outcome {
        let Some(form) = &mut self.form else {
            return Outcome::default();
        };
        let Some(at) = form.position() else {
            form.problems = vec![crate::model::Text::new(
                "经度和纬度不是数字",
                "the longitude and latitude are not numbers",
            )];
            return Outcome::default();
        };
        let correction = Correction {
            platform: form.id.clone(),
            lon: (at.x * 1e7).round() / 1e7,
            lat: (at.y * 1e7).round() / 1e7,
            accuracy_m: form.accuracy_m.trim().parse().unwrap_or(f64::NAN),
            source: form.source.trim().to_string(),
            date: corrections::today(),
        };
        let problems = corrections::check(atlas, std::slice::from_ref(&correction), "");
        if !problems.is_empty() {
            form.problems = problems.iter().map(DataError::problem_text).collect();
            return Outcome::default();
        }
        let id = form.id.clone();
        let outcome = self.replace_platform(atlas, &id, Some(correction), lang);
        self.form = None;
        outcome
    }

    /// Makes the user's area `area` the outline of `zone`, naming `source`; said in the form
    /// when it cannot be.
    fn use_as_outline(
        &mut self,
        atlas: &mut Atlas,
        area: FeatureRef,
        zone: &str,
        source: &str,
        lang: Lang,
    ) -> Outcome {
        use wkt::ToWkt;
        let shape = atlas.shape(area);
        let Some(Shape::Area(polygon)) = shape.as_deref() else {
            return Outcome::default();
        };
        let outline = OutlineCorrection {
            zone: zone.to_string(),
            source: source.trim().to_string(),
            date: corrections::today(),
            wkt: polygon.wkt_string(),
        };
        let problems = corrections::check_outlines(atlas, std::slice::from_ref(&outline), "");
        if !problems.is_empty() {
            if let Some(form) = &mut self.outline_form {
                form.problems = problems.iter().map(DataError::problem_text).collect();
            }
            return Outcome::default();
        }
        let outcome = self.replace_outline(atlas, zone, Some(outline), lang);
        self.outline_form = None;
        outcome
    }

    /// Sets (or with `None` removes) platform `id`'s correction, remembering what it replaced.
    fn replace_platform(
        &mut self,
        atlas: &mut Atlas,
        id: &str,
        correction: Option<Correction>,
        lang: Lang,
    ) -> Outcome {
        corrections::set(atlas, id, correction.as_ref());
        corrections::replace(&mut self.list.platforms, id, correction);
        self.written(lang)
    }

    /// Sets (or with `None` gives back) `zone`'s outline, remembering what it replaced.
    fn replace_outline(
        &mut self,
        atlas: &mut Atlas,
        zone: &str,
        outline: Option<OutlineCorrection>,
        lang: Lang,
    ) -> Outcome {
        corrections::set_outline(atlas, zone, outline.as_ref());
        corrections::replace(&mut self.list.outlines, zone, outline);
        self.written(lang)
    }

    /// The corrections made `list` (a step of the history undone or done again): each
    /// platform and outline either list names set as `list` has it, and written.
    pub fn restore(&mut self, list: Corrections, atlas: &mut Atlas, lang: Lang) -> Outcome {
        let platforms: std::collections::BTreeSet<String> = (self.list.platforms.iter())
            .chain(&list.platforms)
            .map(|c| c.platform.clone())
            .collect();
        for id in &platforms {
            let correction = list.platforms.iter().find(|c| &c.platform == id);
            corrections::set(atlas, id, correction);
        }
        let zones: std::collections::BTreeSet<String> = (self.list.outlines.iter())
            .chain(&list.outlines)
            .map(|o| o.zone.clone())
            .collect();
        for zone in &zones {
            let outline = list.outlines.iter().find(|o| &o.zone == zone);
            corrections::set_outline(atlas, zone, outline);
        }
        self.list = list;
        self.written(lang)
    }

    /// The corrections written to their file after a change; a failure to write is said.
    fn written(&mut self, lang: Lang) -> Outcome {
        let mut outcome = Outcome {
            done: true,
            changed: true,
            said: None,
        };
        if let Some(path) = &self.path
            && let Err(problem) = corrections::write(path, &self.list)
        {
            eprintln!("chengyu-atlas: corrections: {problem}");
            outcome.said = Some(Said::failed(cannot_write(&problem, lang)));
        }
        // What changed here is an edit for the team (what the team sent is known already).
        self.team.noted(&self.list);
        outcome
    }

    /// Writes the corrections in force to `path`, for a colleague.
    fn export(&self, path: &Path, lang: Lang) -> Outcome {
        match corrections::write(path, &self.list) {
            Ok(()) => Outcome {
                done: true,
                changed: false,
                said: Some(Said::done(format!(
                    "{} {} → {}",
                    self.list.len(),
                    lang.pick("条校正已导出", "corrections exported"),
                    path.display()
                ))),
            },
            Err(problem) => Outcome {
                said: Some(Said::failed(cannot_write(&problem, lang))),
                ..Outcome::default()
            },
        }
    }

    /// Merges the corrections in `path` into these (the later date wins) and applies them.
    fn import(&mut self, atlas: &mut Atlas, path: &Path, lang: Lang) -> Outcome {
        let theirs = match corrections::read(path) {
            Ok(theirs) => theirs,
            Err(error) => {
                return Outcome {
                    said: Some(Said::failed(error.in_language(lang))),
                    ..Outcome::default()
                };
            }
        };
        let origin = path.display().to_string();
        let (good, problems) = corrections::partition(atlas, theirs, &origin);
        let mut merged = self.list.clone();
        let taken = corrections::merge(&mut merged.platforms, good.platforms)
            + corrections::merge(&mut merged.outlines, good.outlines);
        for c in &merged.platforms {
            corrections::set(atlas, &c.platform, Some(c));
        }
        for o in &merged.outlines {
            corrections::set_outline(atlas, &o.zone, Some(o));
        }
        self.list = merged;
        let written = self.written(lang);
        let mut said = format!(
            "{taken} {}",
            lang.pick("条校正已导入", "corrections imported")
        );
        for problem in &problems {
            let problem = crate::ui::panels::shown(&problem.problem_in(lang));
            said.push_str(&format!("{}{problem}", lang.pick("；", "; ")));
        }
        Outcome {
            said: written.said.or(Some(Said {
                text: said,
                failed: !problems.is_empty(),
            })),
            ..written
        }
    }
}

/// The form of `platform`'s correction, where it is a platform: where it is now, its accuracy
/// (at most 100 m: a correction should be better) and the source of its last correction.
fn start_form(atlas: &Atlas, platform: FeatureRef) -> Option<CorrectionForm> {
    let feature = atlas.feature(platform)?;
    let info = feature.platform()?;
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
    Some(form)
}

/// The form that makes a user's area a zone's outline.
#[derive(Debug, Clone, PartialEq)]
pub struct OutlineForm {
    pub area: FeatureRef,
    pub zone: Option<String>,
    pub source: String,
    pub problems: Vec<crate::model::Text>,
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
    pub problems: Vec<crate::model::Text>,
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

impl Feature for Correcting {
    fn windows(&mut self, egui: &egui::Context, ctx: &Ctx<'_>) -> Vec<Action> {
        let mut asked: Vec<Action> = Vec::new();
        asked.extend(self.correction_window(egui, ctx).map(Action::Correction));
        asked.extend(self.outline_window(egui, ctx).map(Action::Correction));
        let team = self.team.team.as_ref();
        match self.team.dialog.show(egui, team, ctx.lang) {
            Some(Some(team)) => asked.push(Action::Correction(CorrectionAction::JoinTeam(
                Box::new(team),
            ))),
            Some(None) => asked.push(Action::Correction(CorrectionAction::LeaveTeam)),
            None => {}
        }
        asked
    }

    fn poll(&mut self, egui: &egui::Context, ctx: &Ctx<'_>) -> Vec<Action> {
        self.team.noted_sketches(ctx.atlas);
        self.team
            .poll(egui)
            .map(|synced| Action::Correction(CorrectionAction::FromTeam(Box::new(synced))))
            .into_iter()
            .collect()
    }
}

impl Correcting {
    /// The open form, as a window: coordinates (typed, or set by dragging the marker), datum,
    /// accuracy, source; save, remove the correction, cancel.
    fn correction_window(&mut self, ctx: &egui::Context, cx: &Ctx<'_>) -> Option<CorrectionAction> {
        let lang = cx.lang;
        let form = self.form.as_mut()?;
        let feature = cx.atlas.feature(form.platform);
        let feature = feature.as_deref();
        let name = feature
            .map(|f| f.name.get(lang).to_string())
            .unwrap_or_default();
        let corrected = feature
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
                crate::ui::panels::notice(ui, crate::ui::panels::shown(problem.get(lang)), true);
            }
            ui.horizontal(|ui| {
                if ui
                    .button(lang.pick("保存校正", "Save correction"))
                    .clicked()
                {
                    asked = Some(CorrectionAction::Save);
                }
                if corrected
                    && ui
                        .button(lang.pick("恢复内置位置", "Back to built-in position"))
                        .clicked()
                {
                    asked = Some(CorrectionAction::Remove);
                }
                if ui.button(lang.pick("取消", "Cancel")).clicked() {
                    asked = Some(CorrectionAction::Cancel);
                }
            });
        });
        asked
    }

    /// The form that makes a user's area a zone's outline, as a window.
    fn outline_window(&mut self, ctx: &egui::Context, cx: &Ctx<'_>) -> Option<CorrectionAction> {
        let lang = cx.lang;
        let form = self.outline_form.as_mut()?;
        let zones: Vec<(String, String)> = cx
            .atlas
            .zones()
            .filter(|(_, f)| matches!(f.shape, Shape::Area(_)))
            .map(|(_, f)| (f.id.clone(), f.name.get(lang).to_string()))
            .collect();
        let layer = cx.atlas.layer_title(form.area.layer).get(lang).to_string();
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
                    crate::ui::panels::notice(ui, crate::ui::panels::shown(problem.get(lang)), true);
                }
                ui.horizontal(|ui| {
                    let replace = egui::Button::new(lang.pick("替换边界", "Replace outline"));
                    if ui.add_enabled(form.zone.is_some(), replace).clicked()
                        && let Some(zone) = &form.zone
                    {
                        asked = Some(CorrectionAction::UseAsOutline {
                            area: form.area,
                            zone: zone.clone(),
                            source: form.source.clone(),
                        });
                    }
                    if ui.button(lang.pick("取消", "Cancel")).clicked() {
                        asked = Some(CorrectionAction::CancelOutline);
                    }
                });
            });
        asked
    }
}

fn form_id(form: &Option<CorrectionForm>) -> String {
    form.as_ref().map(|f| f.id.clone()).unwrap_or_default()
}

/// A corrections file that cannot be written (its path and the system's words, as they are).
fn cannot_write(problem: &str, lang: Lang) -> String {
    crate::ui::panels::shown(&format!(
        "{}{problem}",
        lang.pick("校正无法写入：", "the corrections cannot be written: ")
    ))
}
