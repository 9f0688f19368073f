//! Corrections of platform positions: the people who know where a laboratory stands can say
//! so, with how sure they are and on what authority. Corrections live in a TOML file of their
//! own (in the user's config folder, beside the saved state) — the built-in data is never
//! edited — and a team shares one by exporting and importing it. Applied to the atlas, a
//! corrected platform moves, takes the accuracy given, and says "corrected: source, date".

use std::path::Path;

use geo::Point;

use super::DataError;
use super::kept::{self, KeptAside};
use crate::model::{Atlas, Corrected, FeatureRef, LayerId, Shape, Text};

/// One platform's corrected position (WGS-84), its accuracy, its source and its date.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Correction {
    /// The platform's id (e.g. `cqu`).
    pub platform: String,
    pub lon: f64,
    pub lat: f64,
    pub accuracy_m: f64,
    /// Who or what says so: a site survey, the park's own map, a planning document.
    pub source: String,
    /// When (YYYY-MM-DD).
    pub date: String,
}

/// A zone's outline replaced by a polygon from a user's layer (a planning bureau's Shapefile
/// of a district), kept whole (WKT, WGS-84) so that the file can be shared without the layer.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct OutlineCorrection {
    /// The zone's id (e.g. `beibei`).
    pub zone: String,
    /// Who drew it: the bureau, the document, the file.
    pub source: String,
    pub date: String,
    /// The outline, MULTIPOLYGON or POLYGON in WGS-84.
    pub wkt: String,
}

/// Everything a corrections file holds.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
// A table it does not know refuses the file (kept aside, then), rather than reading it as
// empty and writing the next correction over it.
#[serde(deny_unknown_fields)]
pub struct Corrections {
    #[serde(default, rename = "correction")]
    pub platforms: Vec<Correction>,
    #[serde(default, rename = "outline", skip_serializing_if = "Vec::is_empty")]
    pub outlines: Vec<OutlineCorrection>,
}

impl Corrections {
    pub fn is_empty(&self) -> bool {
        self.platforms.is_empty() && self.outlines.is_empty()
    }

    pub fn len(&self) -> usize {
        self.platforms.len() + self.outlines.len()
    }
}

/// The most a position may be uncertain by (beyond, it is no correction).
const MAX_ACCURACY_M: f64 = 50_000.0;

/// Today's date, for a correction made now.
pub use crate::date::today;

/// The corrections in `path`; a missing file is none. The error names the file and, for
/// broken TOML, the line.
pub fn read(path: &Path) -> Result<Corrections, DataError> {
    let origin = path.display().to_string();
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            return Ok(Corrections::default());
        }
        Err(error) => {
            return Err(DataError::new(
                &origin,
                super::Problem::CannotRead {
                    error: error.to_string(),
                },
            ));
        }
    };
    super::parse_toml(&origin, &text)
}

/// The corrections kept at `path` (none if there is no file). A file that cannot be read is
/// moved aside to `NAME.bad-DATE` first, so that the next correction, written to `path`, does
/// not overwrite a team's work: the error says where it went, and the file kept aside is
/// given for the window's banner.
pub fn read_or_keep_aside(path: &Path) -> Result<Corrections, Box<(DataError, Option<KeptAside>)>> {
    read(path).map_err(|error| {
        let origin = path.display().to_string();
        // Without the file's name, which the new error says once.
        let why = error.problem_text();
        let kept = kept::move_aside(path, kept::Role::Corrections, why.clone());
        let said = match &kept {
            Some(kept) => crate::model::Text::new(
                format!(
                    "无法读取，已另存为 {}，新的校正将写入新文件（{}）",
                    kept.copy.display(),
                    why.zh
                ),
                format!(
                    "cannot be read; kept as {} and new corrections go to a new file ({})",
                    kept.copy.display(),
                    why.en
                ),
            ),
            None => why,
        };
        Box::new((DataError::new(&origin, said), kept))
    })
}

/// Writes the corrections whole or not at all, sorted by platform and zone.
pub fn write(path: &Path, corrections: &Corrections) -> Result<(), String> {
    let mut corrections = corrections.clone();
    corrections
        .platforms
        .sort_by(|a, b| a.platform.cmp(&b.platform));
    corrections.outlines.sort_by(|a, b| a.zone.cmp(&b.zone));
    let text = toml::to_string_pretty(&corrections)
        .map_err(|error| format!("cannot be written: {error}"))?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|error| format!("{}: {error}", dir.display()))?;
    }
    let header = "# Corrected platform positions (WGS-84), made in Chengyu Atlas. Share this file\n# with \"Import corrections\"; the built-in data is not changed.\n\n";
    crate::atomic_file::write(path, format!("{header}{text}").as_bytes())
        .map_err(|error| format!("{}: {error}", path.display()))
}

/// What is wrong with a correction: an unknown platform, a position far from the region, an
/// accuracy that is no accuracy, no source, a date that is not YYYY-MM-DD.
fn platform_problems(atlas: &Atlas, c: &Correction) -> Vec<Text> {
    let mut problems = Vec::new();
    if platform_ref(atlas, &c.platform).is_none() {
        problems.push(Text::new("没有平台用这个 id", "no platform has this id"));
    }
    let [west, south, east, north] = super::REGION;
    if !(west..=east).contains(&c.lon) || !(south..=north).contains(&c.lat) {
        problems.push(Text::new(
            format!(
                "{}, {} 离四川和重庆很远（是否经度在前、以 WGS-84 度表示？）",
                c.lon, c.lat
            ),
            format!(
                "{}, {} is far from Sichuan and Chongqing (longitude first, in WGS-84 degrees?)",
                c.lon, c.lat
            ),
        ));
    }
    if !(c.accuracy_m > 0.0 && c.accuracy_m <= MAX_ACCURACY_M) {
        problems.push(Text::new(
            format!(
                "精度 {} 米不在 0 到 {} 千米之间",
                c.accuracy_m,
                MAX_ACCURACY_M / 1000.0
            ),
            format!(
                "an accuracy of {} m is not between 0 and {} km",
                c.accuracy_m,
                MAX_ACCURACY_M / 1000.0
            ),
        ));
    }
    problems.extend(source_and_date(&c.source, &c.date));
    problems
}

fn source_and_date(source: &str, date: &str) -> Vec<Text> {
    let mut problems = Vec::new();
    if source.trim().is_empty() {
        problems.push(Text::new("没有注明来源", "it names no source"));
    }
    if !is_date(date) {
        problems.push(Text::new(
            format!("`{date}` 不是日期（YYYY-MM-DD）"),
            format!("`{date}` is not a date (YYYY-MM-DD)"),
        ));
    }
    problems
}

/// What is wrong with each correction, one error per fault, naming the platform.
pub fn check(atlas: &Atlas, corrections: &[Correction], origin: &str) -> Vec<DataError> {
    corrections
        .iter()
        .flat_map(|c| {
            platform_problems(atlas, c).into_iter().map(|what| {
                DataError::new(
                    origin,
                    Text::new(
                        format!("`{}` 的更正：{}", c.platform, what.zh),
                        format!("correction of `{}`: {}", c.platform, what.en),
                    ),
                )
            })
        })
        .collect()
}

/// The corrections that check out, and the problems of those that do not.
pub fn partition(
    atlas: &Atlas,
    corrections: Corrections,
    origin: &str,
) -> (Corrections, Vec<DataError>) {
    let mut problems = check(atlas, &corrections.platforms, origin);
    problems.extend(check_outlines(atlas, &corrections.outlines, origin));
    let good = Corrections {
        platforms: corrections
            .platforms
            .into_iter()
            .filter(|c| platform_problems(atlas, c).is_empty())
            .collect(),
        outlines: corrections
            .outlines
            .into_iter()
            .filter(|o| outline_problems(atlas, o).is_empty())
            .collect(),
    };
    (good, problems)
}

fn is_date(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    parts.len() == 3
        && parts[0].len() == 4
        && parts[1].len() == 2
        && parts[2].len() == 2
        && parts.iter().all(|p| p.chars().all(|c| c.is_ascii_digit()))
        && (1..=12).contains(&parts[1].parse::<u32>().unwrap_or(0))
        && (1..=31).contains(&parts[2].parse::<u32>().unwrap_or(0))
}

/// A platform by its id.
pub fn platform_ref(atlas: &Atlas, id: &str) -> Option<FeatureRef> {
    atlas
        .find(id)
        .filter(|(r, f)| r.layer == LayerId::Platforms && f.platform().is_some())
        .map(|(r, _)| r)
}

/// Moves the platform `id` as `correction` says, or back to its built-in place (`None`).
pub fn set(atlas: &mut Atlas, id: &str, correction: Option<&Correction>) -> bool {
    let Some(feature_ref) = platform_ref(atlas, id) else {
        return false;
    };
    atlas
        .edit_feature(feature_ref, |feature| move_platform(feature, correction))
        .unwrap_or(false)
}

fn move_platform(feature: &mut crate::model::Feature, correction: Option<&Correction>) -> bool {
    let Shape::Point(current) = feature.shape else {
        return false;
    };
    let crate::model::FeatureKind::Platform(platform) = &mut feature.kind else {
        return false;
    };
    let (original, original_accuracy_m) = match &platform.corrected {
        Some(corrected) => (corrected.original, corrected.original_accuracy_m),
        None => (current, platform.accuracy_m),
    };
    match correction {
        Some(c) => {
            platform.corrected = Some(Corrected {
                source: c.source.clone(),
                date: c.date.clone(),
                original,
                original_accuracy_m,
            });
            platform.accuracy_m = c.accuracy_m;
            feature.shape = Shape::Point(Point::new(c.lon, c.lat));
        }
        None => {
            platform.corrected = None;
            platform.accuracy_m = original_accuracy_m;
            feature.shape = Shape::Point(original);
        }
    }
    feature.label_point = match feature.shape {
        Shape::Point(p) => Some(p),
        _ => feature.label_point,
    };
    true
}

/// A polygon the atlas can take as a zone's outline, from WKT.
pub fn outline_of(wkt: &str) -> Result<geo::MultiPolygon, Text> {
    use wkt::TryFromWkt;
    let geometry = geo::Geometry::<f64>::try_from_wkt_str(wkt.trim()).map_err(|error| {
        Text::new(
            format!("其轮廓不是 WKT：{error}"),
            format!("its outline is not WKT: {error}"),
        )
    })?;
    match geometry {
        geo::Geometry::Polygon(p) => Ok(geo::MultiPolygon::new(vec![p])),
        geo::Geometry::MultiPolygon(mp) if !mp.0.is_empty() => Ok(mp),
        _ => Err(Text::new(
            "其轮廓不是多边形",
            "its outline is not a polygon",
        )),
    }
}

/// What is wrong with an outline: an unknown zone, a zone drawn as a point, WKT that is no
/// polygon, a polygon far from the region, no source, a bad date.
fn outline_problems(atlas: &Atlas, o: &OutlineCorrection) -> Vec<Text> {
    let mut problems = Vec::new();
    match atlas.find(&o.zone) {
        Some((_, f)) if f.zone().is_some() && matches!(f.shape, Shape::Area(_)) => {}
        Some((_, f)) if f.zone().is_some() => problems.push(Text::new(
            "该区域画作一个点",
            "the zone is drawn as a point",
        )),
        _ => problems.push(Text::new("没有区域用这个 id", "no zone has this id")),
    }
    match outline_of(&o.wkt) {
        Ok(outline) => {
            let [west, south, east, north] = super::REGION;
            let inside = geo::BoundingRect::bounding_rect(&outline).is_some_and(|r| {
                r.min().x >= west && r.max().x <= east && r.min().y >= south && r.max().y <= north
            });
            if !inside {
                problems.push(Text::new(
                    "该多边形离四川和重庆很远",
                    "the polygon is far from Sichuan and Chongqing",
                ));
            }
        }
        Err(problem) => problems.push(problem),
    }
    problems.extend(source_and_date(&o.source, &o.date));
    problems
}

/// What is wrong with each outline, one error per fault, naming the zone.
pub fn check_outlines(
    atlas: &Atlas,
    outlines: &[OutlineCorrection],
    origin: &str,
) -> Vec<DataError> {
    outlines
        .iter()
        .flat_map(|o| {
            outline_problems(atlas, o).into_iter().map(|what| {
                DataError::new(
                    origin,
                    Text::new(
                        format!("`{}` 的轮廓：{}", o.zone, what.zh),
                        format!("outline of `{}`: {}", o.zone, what.en),
                    ),
                )
            })
        })
        .collect()
}

/// Gives the zone `id` the outline `o` (or back its built-in one, `None`).
pub fn set_outline(atlas: &mut Atlas, id: &str, o: Option<&OutlineCorrection>) -> bool {
    let Some((feature_ref, _)) = atlas.find(id) else {
        return false;
    };
    let outline = match o.map(|o| outline_of(&o.wkt)) {
        Some(Ok(outline)) => Some(outline),
        Some(Err(_)) => return false,
        None => None,
    };
    atlas
        .edit_feature(feature_ref, |feature| reshape_zone(feature, o, outline))
        .unwrap_or(false)
}

fn reshape_zone(
    feature: &mut crate::model::Feature,
    o: Option<&OutlineCorrection>,
    outline: Option<geo::MultiPolygon>,
) -> bool {
    let Shape::Area(current) = &feature.shape else {
        return false;
    };
    let current = current.clone();
    let label = feature.label_point;
    let crate::model::FeatureKind::Zone(zone) = &mut feature.kind else {
        return false;
    };
    let original = zone
        .outline_from
        .take()
        .unwrap_or(crate::model::OutlineSource {
            source: String::new(),
            date: String::new(),
            original: current,
            original_boundary: zone.boundary,
            original_note: zone.note.clone(),
            original_label_point: label,
        });
    match (o, outline) {
        (Some(o), Some(outline)) => {
            zone.boundary = crate::model::Boundary::Administrative;
            zone.note = crate::model::Text::new(
                format!("边界取自用户提供的数据：{}，{}", o.source, o.date),
                format!(
                    "Outline from data a user supplied: {}, {}",
                    o.source, o.date
                ),
            );
            zone.outline_from = Some(crate::model::OutlineSource {
                source: o.source.clone(),
                date: o.date.clone(),
                ..original
            });
            feature.label_point = super::zone_label_point(&outline).or(label);
            feature.shape = Shape::Area(outline);
        }
        _ => {
            zone.boundary = original.original_boundary;
            zone.note = original.original_note.clone();
            feature.label_point = original.original_label_point;
            feature.shape = Shape::Area(original.original);
        }
    }
    true
}

/// Applies everything in `corrections` that checks out; returns the problems of the rest.
pub fn apply_all(atlas: &mut Atlas, corrections: &Corrections, origin: &str) -> Vec<DataError> {
    let (good, problems) = partition(atlas, corrections.clone(), origin);
    for c in &good.platforms {
        set(atlas, &c.platform, Some(c));
    }
    for o in &good.outlines {
        set_outline(atlas, &o.zone, Some(o));
    }
    problems
}

/// A correction of one thing (a platform's position, a zone's outline), known by that thing's
/// id and dated: the two kinds merge and are replaced by the same rules.
pub trait Dated {
    /// The id of what it corrects.
    fn key(&self) -> &str;
    /// When it was made (ISO date: they order as text).
    fn date(&self) -> &str;
}

impl Dated for Correction {
    fn key(&self) -> &str {
        &self.platform
    }
    fn date(&self) -> &str {
        &self.date
    }
}

impl Dated for OutlineCorrection {
    fn key(&self) -> &str {
        &self.zone
    }
    fn date(&self) -> &str {
        &self.date
    }
}

/// Merges `theirs` into `mine`: one correction per thing, the later date winning (ties keep
/// mine). Returns how many of theirs were taken.
pub fn merge<T: Dated>(mine: &mut Vec<T>, theirs: Vec<T>) -> usize {
    let mut taken = 0;
    for c in theirs {
        match mine.iter_mut().find(|m| m.key() == c.key()) {
            Some(m) if c.date() > m.date() => {
                *m = c;
                taken += 1;
            }
            Some(_) => {}
            None => {
                mine.push(c);
                taken += 1;
            }
        }
    }
    taken
}

/// Puts `new` in the place of the correction of `key` (or takes it away); returns the one it
/// replaced.
pub fn replace<T: Dated>(list: &mut Vec<T>, key: &str, new: Option<T>) -> Option<T> {
    let previous = list
        .iter()
        .position(|c| c.key() == key)
        .map(|i| list.remove(i));
    list.extend(new);
    previous
}

#[cfg(test)]
mod tests {
    use super::*;

    fn correction(platform: &str, date: &str) -> Correction {
        Correction {
            platform: platform.into(),
            lon: 106.3,
            lat: 29.6,
            accuracy_m: 50.0,
            source: "site visit".into(),
            date: date.into(),
        }
    }

    #[test]
    fn the_later_correction_of_a_platform_wins_a_merge() {
        let mut mine = vec![correction("a", "2026-05-01"), correction("b", "2026-05-01")];
        let mut newer = correction("a", "2026-06-01");
        newer.lon = 106.4;
        let taken = merge(
            &mut mine,
            vec![
                newer,
                correction("b", "2026-04-01"),
                correction("c", "2026-01-01"),
            ],
        );
        assert_eq!(taken, 2);
        assert_eq!(mine.len(), 3);
        assert_eq!(mine[0].lon, 106.4);
        assert_eq!(mine[1].date, "2026-05-01");
    }

    /// Outlines merge by the same rule, one per zone; a replacement hands back what it took
    /// the place of, for undo.
    #[test]
    fn outlines_merge_and_are_replaced_as_platforms_are() {
        let outline = |zone: &str, date: &str| OutlineCorrection {
            zone: zone.into(),
            source: "bureau".into(),
            date: date.into(),
            wkt: "POLYGON((0 0,1 0,1 1,0 0))".into(),
        };
        let mut mine = vec![outline("beibei", "2026-05-01")];
        let taken = merge(
            &mut mine,
            vec![
                outline("beibei", "2026-04-01"),
                outline("bishan", "2026-01-01"),
            ],
        );
        assert_eq!((taken, mine.len()), (1, 2));
        assert_eq!(mine[0].date, "2026-05-01", "the earlier one is not taken");
        let previous = replace(&mut mine, "beibei", Some(outline("beibei", "2026-07-01")));
        assert_eq!(previous.map(|o| o.date), Some("2026-05-01".to_string()));
        assert_eq!(mine.iter().filter(|o| o.zone == "beibei").count(), 1);
        assert!(replace(&mut mine, "bishan", None).is_some());
        assert_eq!(mine.len(), 1);
    }

    #[test]
    fn dates_are_checked_and_today_is_one() {
        assert!(is_date("2026-12-01"));
        assert!(!is_date("2026-13-01"));
        assert!(!is_date("1 Dec 2026"));
        assert!(is_date(&today()));
    }
}
