//! Guided tours: a TOML file of stops (title and caption in both languages, a view, the layers
//! shown, the zones or platforms in the spotlight, cooperation arrows, a duration), the shipped
//! tours, the user's own, and the handout (one page per stop) through the export pipeline.

pub mod card;
pub mod motion;
pub mod presenter;

use std::path::{Path, PathBuf};

use geo::{Rect, coord};
use serde::{Deserialize, Serialize};

use crate::model::{Atlas, FeatureRef, Lang, LayerId, Text};
use crate::render::{Extent, Highlight, LayerSettings, SceneOptions, cooperation_links};

/// The tours that ship with the app (assets/tours/), compiled in.
pub const BUILT_IN: [(&str, &str); 2] = [
    (
        "one-core-five-districts",
        include_str!("../../assets/tours/one-core-five-districts.toml"),
    ),
    (
        "two-poles",
        include_str!("../../assets/tours/two-poles.toml"),
    ),
];

/// A tour: stops shown one after another.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tour {
    /// The file name without `.toml`; not stored in the file.
    #[serde(skip)]
    pub id: String,
    pub title: Text,
    #[serde(rename = "stop", default)]
    pub stops: Vec<Stop>,
}

/// One stop of a tour.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stop {
    pub title: Text,
    pub caption: Text,
    /// A zone (or any feature) id, or `[west, south, east, north]` in degrees.
    pub view: StopView,
    /// The layers shown (keys as in `--layers`); all when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layers: Option<Vec<String>>,
    /// Zones or platforms in the spotlight.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub highlight: Vec<String>,
    /// A zone whose cooperation arrows are drawn.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub links: Option<String>,
    /// Seconds before auto-play moves on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<f64>,
    /// Where the caption comes from (source ids of geodata/content.toml).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
    /// Speaker notes: what the presenter says at this stop, never shown to the audience
    /// (printed under the handout's page when asked).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes_zh: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes_en: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum StopView {
    Feature(String),
    Bounds([f64; 4]),
}

/// Seconds a stop stays on screen in auto-play when it names no duration.
pub const DEFAULT_DURATION: f64 = 12.0;

/// A tour file that could not be read, with where.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{file}:{line}:{column}: {}", message.en)]
pub struct TourError {
    pub file: String,
    pub line: usize,
    pub column: usize,
    /// What is wrong, in both languages (the TOML parser's words as it says them).
    pub message: crate::model::Text,
}

impl TourError {
    /// The error in `lang`, the file's name and where as they are.
    pub fn in_language(&self, lang: crate::model::Lang) -> String {
        let TourError {
            file, line, column, ..
        } = self;
        format!("{file}:{line}:{column}: {}", self.message.get(lang))
    }
}

/// 1-based line and column of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// Reads a tour from TOML text; `file` names it in errors, and its stem is the tour's id.
pub fn parse(text: &str, file: &str) -> Result<Tour, TourError> {
    if let Some((line, column)) = crate::geodata::read::toml_depth::too_deep(text) {
        return Err(TourError {
            file: file.to_string(),
            line,
            column,
            message: crate::geodata::read::toml_depth::too_deep_said(),
        });
    }
    let mut tour: Tour = toml::from_str(text).map_err(|error: toml::de::Error| {
        let (line, column) = error
            .span()
            .map_or((1, 1), |span| line_column(text, span.start));
        TourError {
            file: file.to_string(),
            line,
            column,
            message: crate::geodata::fault::same(error.message().trim()),
        }
    })?;
    if tour.stops.is_empty() {
        return Err(TourError {
            file: file.to_string(),
            line: 1,
            column: 1,
            message: Text::new(
                "导览至少需要一个 [[stop]]",
                "a tour needs at least one [[stop]]",
            ),
        });
    }
    if tour.stops.len() > MAX_STOPS {
        return Err(TourError {
            file: file.to_string(),
            line: 1,
            column: 1,
            message: Text::new(
                format!(
                    "导览最多 {MAX_STOPS} 站；此导览有 {}：请拆分为几个导览",
                    tour.stops.len()
                ),
                format!(
                    "a tour has at most {MAX_STOPS} stops; this one has {}: split it into several tours",
                    tour.stops.len()
                ),
            ),
        });
    }
    for (number, stop) in tour.stops.iter().enumerate() {
        if let Err(message) = stop.check() {
            let (line, column) = stop_position(text, number);
            return Err(TourError {
                file: file.to_string(),
                line,
                column,
                message: Text::new(
                    format!("第 {} 站：{}", number + 1, message.zh),
                    format!("stop {}: {}", number + 1, message.en),
                ),
            });
        }
    }
    tour.id = Path::new(file)
        .file_stem()
        .map_or_else(|| file.to_string(), |s| s.to_string_lossy().into_owned());
    Ok(tour)
}

/// The most stops a tour may have (a presentation of 1 000 stops is already a working day).
pub const MAX_STOPS: usize = 1000;

/// The longest a stop may stay in auto-play, in seconds.
pub const MAX_DURATION: f64 = 3600.0;

/// Where the `[[stop]]` header of stop `number` (0-based) is, as line and column.
fn stop_position(text: &str, number: usize) -> (usize, usize) {
    text.match_indices("[[stop]]")
        .nth(number)
        .map_or((1, 1), |(offset, _)| line_column(text, offset))
}

/// The tour as TOML, as a person would write it.
pub fn to_toml(tour: &Tour) -> Result<String, String> {
    let body = toml::to_string_pretty(tour).map_err(|error| error.to_string())?;
    Ok(format!(
        "# Chengyu Atlas tour: one [[stop]] per stop. view = a zone id or [west, south, east, north].\n{body}"
    ))
}

/// Writes the tour to `path` whole or not at all.
pub fn save(tour: &Tour, path: &Path) -> std::io::Result<()> {
    let text = to_toml(tour).map_err(std::io::Error::other)?;
    if let Some(folder) = path.parent() {
        std::fs::create_dir_all(folder)?;
    }
    crate::atomic_file::write(path, text.as_bytes())
}

/// The shipped tours, then the user's (`*.toml` in `dir`); a broken file is reported and
/// skipped, and a user tour with a shipped tour's id replaces it.
pub fn load_all(dir: Option<&Path>) -> (Vec<Tour>, Vec<TourError>) {
    let mut tours = Vec::new();
    let mut problems = Vec::new();
    for (id, text) in BUILT_IN {
        match parse(text, &format!("{id}.toml")) {
            Ok(tour) => tours.push(tour),
            Err(error) => problems.push(error),
        }
    }
    let Some(dir) = dir else {
        return (tours, problems);
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|e| e == "toml"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    for path in files {
        let name = path.display().to_string();
        let parsed = crate::geodata::read::read_text(&path)
            .map_err(|message| TourError {
                file: name.clone(),
                line: 1,
                column: 1,
                message: Text::new(message.chinese(), message.english()),
            })
            .and_then(|(text, _)| parse(&text, &name));
        match parsed {
            Ok(tour) => {
                tours.retain(|t: &Tour| t.id != tour.id);
                tours.push(tour);
            }
            Err(error) => problems.push(error),
        }
    }
    (tours, problems)
}

/// Every id in the tour that the data does not have.
pub fn check(tour: &Tour, atlas: &Atlas) -> Vec<String> {
    let mut problems = Vec::new();
    for (number, stop) in tour.stops.iter().enumerate() {
        let at = format!("{} stop {}", tour.id, number + 1);
        if let StopView::Feature(id) = &stop.view
            && atlas.find(id).is_none()
        {
            problems.push(format!("{at}: view `{id}` is not in the data"));
        }
        for id in stop.highlight.iter().chain(stop.links.iter()) {
            if atlas.find(id).is_none() {
                problems.push(format!("{at}: `{id}` is not in the data"));
            }
        }
        for key in stop.layers.iter().flatten() {
            let known = match key.strip_prefix("user:") {
                Some(name) => atlas.user_layer_named(name).is_some(),
                None => LayerId::from_key(key).is_some(),
            };
            if !known {
                problems.push(format!("{at}: no layer `{key}`"));
            }
        }
        for source in &stop.sources {
            if !atlas.content().sources.iter().any(|s| &s.id == source) {
                problems.push(format!("{at}: no source `{source}`"));
            }
        }
    }
    problems
}

impl Tour {
    /// The user's layer `old` is now called `new` (saved as a file of that name): the stops
    /// that show it or spotlight its features name it so. Whether any stop changed.
    pub fn rename_user_layer(&mut self, old: &str, new: &str) -> bool {
        let mut changed = false;
        let (old_key, old_prefix) = (format!("user:{old}"), format!("{old}/"));
        for stop in &mut self.stops {
            for key in stop.layers.iter_mut().flatten() {
                if *key == old_key {
                    *key = format!("user:{new}");
                    changed = true;
                }
            }
            let ids = stop
                .highlight
                .iter_mut()
                .chain(stop.links.iter_mut())
                .chain(match &mut stop.view {
                    StopView::Feature(id) => Some(id),
                    StopView::Bounds(_) => None,
                });
            for id in ids {
                if let Some(feature) = id.strip_prefix(&old_prefix) {
                    *id = format!("{new}/{feature}");
                    changed = true;
                }
            }
        }
        changed
    }
}

impl Stop {
    /// What is wrong with the stop's numbers, if anything: a duration must be a positive number
    /// of seconds, a view rectangle a real piece of the world.
    fn check(&self) -> Result<(), Text> {
        if let Some(duration) = self.duration
            && !(duration.is_finite() && duration > 0.0 && duration <= MAX_DURATION)
        {
            return Err(Text::new(
                format!("duration = {duration} 不是 0 到 {MAX_DURATION} 之间的秒数"),
                format!(
                    "duration = {duration} is not a number of seconds from 0 to {MAX_DURATION}"
                ),
            ));
        }
        if let StopView::Bounds([west, south, east, north]) = self.view {
            let inside = [west, south, east, north].iter().all(|v| v.is_finite())
                && (-180.0..=180.0).contains(&west)
                && (-180.0..=180.0).contains(&east)
                && (-85.0..=85.0).contains(&south)
                && (-85.0..=85.0).contains(&north)
                && west < east
                && south < north;
            if !inside {
                let view = format!("view = [{west}, {south}, {east}, {north}]");
                return Err(Text::new(
                    format!("{view} 不是以经纬度表示的 [西, 南, 东, 北]"),
                    format!(
                        "{view} is not [west, south, east, north] in degrees of longitude and latitude"
                    ),
                ));
            }
        }
        Ok(())
    }

    /// The extent the stop shows.
    pub fn extent(&self) -> Extent {
        match &self.view {
            StopView::Feature(id) => Extent::Feature(id.clone()),
            StopView::Bounds([w, s, e, n]) => {
                Extent::Bounds(Rect::new(coord! { x: *w, y: *s }, coord! { x: *e, y: *n }))
            }
        }
    }

    /// The layers the stop shows: the atlas's by key, the user's as `user:NAME` (when a stop
    /// lists any of the user's, the others of theirs are hidden).
    pub fn layer_settings(&self, atlas: &Atlas) -> LayerSettings {
        match &self.layers {
            Some(keys) => {
                let layers: Vec<LayerId> =
                    keys.iter().filter_map(|k| LayerId::from_key(k)).collect();
                let mut settings = LayerSettings::only(&layers);
                let user: Vec<LayerId> = keys
                    .iter()
                    .filter_map(|k| atlas.user_layer_named(k.strip_prefix("user:")?))
                    .collect();
                if !user.is_empty() {
                    for (id, _) in atlas.user_layers() {
                        settings.get_mut(id).visible = user.contains(&id);
                    }
                }
                settings
            }
            None => LayerSettings::default(),
        }
    }

    /// The spotlight, the emphasis of spotlit platforms and the arrows of the stop.
    pub fn highlight(&self, atlas: &Atlas, lang: Lang) -> Highlight {
        let spotlit: Vec<FeatureRef> = self
            .highlight
            .iter()
            .filter_map(|id| atlas.find(id).map(|(r, _)| r))
            .collect();
        Highlight {
            emphasised: spotlit.clone(),
            links: self
                .links
                .as_deref()
                .and_then(|id| atlas.find(id))
                .map(|(zone, _)| cooperation_links(atlas, zone, lang))
                .unwrap_or_default(),
            spotlight: spotlit,
            ..Highlight::default()
        }
    }

    /// What the map draws at the stop: its layers, spotlight and arrows.
    pub fn scene_options(&self, atlas: &Atlas, lang: Lang) -> SceneOptions {
        SceneOptions {
            lang,
            layers: self.layer_settings(atlas),
            highlight: self.highlight(atlas, lang),
            basemap_below: false,
            vector_tiles: Default::default(),
            keep_clear: Vec::new(),
        }
    }

    /// The speaker notes in `lang`, else in the other language (a presenter's own notes are
    /// often in one only); empty when there are none.
    pub fn notes(&self, lang: Lang) -> &str {
        let (first, second) = match lang {
            Lang::Zh => (&self.notes_zh, &self.notes_en),
            Lang::En => (&self.notes_en, &self.notes_zh),
        };
        if first.trim().is_empty() {
            second.trim()
        } else {
            first.trim()
        }
    }

    /// The notes to write in `lang` (the editor's field).
    pub fn notes_mut(&mut self, lang: Lang) -> &mut String {
        match lang {
            Lang::Zh => &mut self.notes_zh,
            Lang::En => &mut self.notes_en,
        }
    }

    /// The caption's sources, as citations ("重庆日报…, 2021-05").
    pub fn citations(&self, atlas: &Atlas, lang: Lang) -> Vec<String> {
        self.sources
            .iter()
            .filter_map(|id| atlas.content().sources.iter().find(|s| &s.id == id))
            .map(|s| format!("{} {}", s.short_outlet(lang), s.date))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_broken_tour_is_named_with_its_line_and_column() {
        let text = "title = { zh = \"甲\", en = \"A\" }\n\n[[stop]]\ntitle = { zh = \"乙\", en = \"B\" }\ncaption = 5\n";
        let error = parse(text, "mine.toml").expect_err("caption is not text");
        assert_eq!(
            (error.file.as_str(), error.line, error.column),
            ("mine.toml", 5, 11)
        );
        let error = parse("title = \n", "x.toml").expect_err("no value");
        assert_eq!(error.line, 1);
    }

    #[test]
    fn bad_durations_and_views_are_named_with_their_stop() {
        let stop = |extra: &str| {
            format!(
                "title = {{ zh = \"甲\", en = \"A\" }}\n\n[[stop]]\ntitle = {{ zh = \"乙\", en = \"B\" }}\ncaption = {{ zh = \"丙\", en = \"C\" }}\nview = \"core\"\n\n[[stop]]\ntitle = {{ zh = \"乙\", en = \"B\" }}\ncaption = {{ zh = \"丙\", en = \"C\" }}\n{extra}\n"
            )
        };
        for extra in [
            "view = \"core\"\nduration = nan",
            "view = \"core\"\nduration = -3.0",
            "view = [106.0, 29.0, 105.0, 30.0]",
            "view = [106.0, 29.0, 1e300, 30.0]",
        ] {
            let error = parse(&stop(extra), "t.toml").expect_err(extra);
            assert_eq!((error.line, error.column), (8, 1), "{extra}: {error}");
            assert!(error.message.en.starts_with("stop 2: "), "{error}");
            assert!(
                error.message.zh.starts_with("第 2 站：") && !error.message.zh.contains("is not"),
                "{:?}",
                error.message
            );
        }
        assert!(parse(&stop("view = \"core\"\nduration = 8.5"), "t.toml").is_ok());
    }

    #[test]
    fn a_tour_survives_saving_and_reading_back() {
        let (tours, problems) = load_all(None);
        assert!(problems.is_empty(), "{problems:?}");
        for tour in tours {
            let text = to_toml(&tour).expect("writes");
            let again = parse(&text, &format!("{}.toml", tour.id)).expect("reparse");
            assert_eq!(again, tour);
        }
    }
}
