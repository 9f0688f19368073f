//! GeoJSON → model: the committed layers, embedded in the binary or read from `--data DIR`.
//! Each file loads on its own; a broken one is reported and the rest still load.

pub mod corrections;
pub mod fault;

pub mod geojson_io;
pub mod kept;
pub mod kinds;
pub mod names;
pub mod prepare;
pub mod problem;
pub mod read;
pub mod team;
pub mod user;
pub mod validate;

use std::path::{Path, PathBuf};

use geo::{MultiPolygon, Point};

use crate::model::content::{Content, Fact};
use crate::model::{
    AdminLevel, Atlas, Boundary, CitedPosition, Feature, FeatureKind, Layer, LayerId, PlatformInfo,
    PositionSource, Shape, Text, ZoneInfo, ZoneKind,
};
use read::RawFeature;

/// Paths of the committed layers, relative to the data directory.
pub mod files {
    pub const PROVINCES: &str = "basemap/provinces.geojson";
    pub const PREFECTURES: &str = "basemap/prefectures.geojson";
    pub const COUNTIES: &str = "basemap/counties.geojson";
    pub const RIVERS: &str = "basemap/rivers.geojson";
    pub const BOUNDARIES: &str = "basemap/boundaries.geojson";
    pub const PLACES: &str = "basemap/places.geojson";
    pub const ZONES: &str = "zones.geojson";
    pub const PLATFORMS: &str = "platforms.geojson";
    /// Panel content (TOML): sources, industries, zone facts, cooperation links.
    pub const CONTENT: &str = "content.toml";

    /// The layers `prepare-geodata` derives from `sources/`; the rest are edited by hand.
    pub const PREPARED: [&str; 7] = [
        PROVINCES,
        PREFECTURES,
        COUNTIES,
        BOUNDARIES,
        RIVERS,
        PLACES,
        ZONES,
    ];

    /// The GeoJSON layers.
    pub const ALL: [&str; 8] = [
        PROVINCES,
        PREFECTURES,
        COUNTIES,
        BOUNDARIES,
        RIVERS,
        PLACES,
        ZONES,
        PLATFORMS,
    ];
}

/// The committed data, compiled into the binary so the app runs from anywhere, offline.
const EMBEDDED: [(&str, &str); 9] = [
    (
        files::PROVINCES,
        include_str!("../../geodata/basemap/provinces.geojson"),
    ),
    (
        files::PREFECTURES,
        include_str!("../../geodata/basemap/prefectures.geojson"),
    ),
    (
        files::COUNTIES,
        include_str!("../../geodata/basemap/counties.geojson"),
    ),
    (
        files::BOUNDARIES,
        include_str!("../../geodata/basemap/boundaries.geojson"),
    ),
    (
        files::RIVERS,
        include_str!("../../geodata/basemap/rivers.geojson"),
    ),
    (
        files::PLACES,
        include_str!("../../geodata/basemap/places.geojson"),
    ),
    (files::ZONES, include_str!("../../geodata/zones.geojson")),
    (
        files::PLATFORMS,
        include_str!("../../geodata/platforms.geojson"),
    ),
    (files::CONTENT, include_str!("../../geodata/content.toml")),
];

pub use kinds::FileKind;
pub use problem::Problem;

/// A problem with one data file: which file, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{origin}: {problem}")]
pub struct DataError {
    pub origin: String,
    /// What is wrong: for a file's features, one kind with its count and first examples.
    pub problem: String,
    /// Every feature's problem of that kind, one line each (up to a thousand), for the full
    /// list the window can open; empty for a problem of the whole file.
    pub details: Vec<crate::model::Text>,
    /// The problem as a value, where it is one (said in each language by its own words).
    pub known: Option<Box<Problem>>,
    /// The problem in Chinese, where the reader said it in both languages.
    pub chinese: Option<String>,
}

/// What a [`DataError`] is made from: a [`Problem`], or words the writer gives in both
/// languages (a file's feature problems, grouped; the data folder's and corrections' checks).
pub enum Said {
    Known(Problem),
    Both(crate::model::Text),
}

impl From<crate::model::Text> for Said {
    fn from(text: crate::model::Text) -> Self {
        Said::Both(text)
    }
}

impl From<Problem> for Said {
    fn from(problem: Problem) -> Self {
        Said::Known(problem)
    }
}

impl DataError {
    pub fn new(origin: &str, problem: impl Into<Said>) -> Self {
        let (problem, known, chinese) = match problem.into() {
            Said::Known(known) => (known.english(), Some(Box::new(known)), None),
            Said::Both(text) => (text.en, None, Some(text.zh)),
        };
        Self {
            origin: origin.to_string(),
            problem,
            details: Vec::new(),
            known,
            chinese,
        }
    }

    /// The message in `lang`: the file's path as it is (never translated), the problem in
    /// that language.
    pub fn in_language(&self, lang: crate::model::Lang) -> String {
        match lang {
            crate::model::Lang::En => self.to_string(),
            crate::model::Lang::Zh if self.origin.is_empty() => self.problem_in(lang),
            crate::model::Lang::Zh => format!("{}: {}", self.origin, self.problem_in(lang)),
        }
    }

    /// What is wrong in `lang`, without the file's name.
    pub fn problem_in(&self, lang: crate::model::Lang) -> String {
        match (lang, &self.known, &self.chinese) {
            (crate::model::Lang::En, _, _) => self.problem.clone(),
            (crate::model::Lang::Zh, Some(known), _) => known.chinese(),
            (crate::model::Lang::Zh, None, Some(chinese)) => chinese.clone(),
            // Every way to make an error says it in both languages; a struct built by hand
            // without Chinese says it in English rather than not at all.
            (crate::model::Lang::Zh, None, None) => self.problem.clone(),
        }
    }

    /// What is wrong, in both languages, without the file's name.
    pub fn problem_text(&self) -> crate::model::Text {
        crate::model::Text::new(
            self.problem_in(crate::model::Lang::Zh),
            self.problem.clone(),
        )
    }

    fn with_details(mut self, details: Vec<crate::model::Text>) -> Self {
        self.details = details;
        self
    }
}

/// A file's feature (or row) problems, one error per kind with its full list.
pub fn grouped_errors(origin: &str, problems: &read::Problems) -> Vec<DataError> {
    problems
        .grouped()
        .into_iter()
        .map(|(line, details)| DataError::new(origin, line).with_details(details))
        .collect()
}

/// A file's notes about features that loaded anyway (rings left out), one per kind.
pub fn grouped_notes(origin: &str, notes: &read::Problems) -> Vec<DataError> {
    notes
        .grouped()
        .into_iter()
        .map(|(line, details)| {
            let line = crate::model::Text::new(
                format!("{}（这些要素已载入）", line.zh),
                format!("{} (the features loaded)", line.en),
            );
            DataError::new(origin, line).with_details(details)
        })
        .collect()
}

/// Where the geodata comes from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum DataSource {
    /// The copy compiled into the binary.
    #[default]
    Embedded,
    /// A directory laid out like `geodata/`.
    Dir(PathBuf),
}

impl DataSource {
    pub fn describe(&self) -> String {
        match self {
            DataSource::Embedded => "built-in data".to_string(),
            DataSource::Dir(dir) => dir.display().to_string(),
        }
    }

    /// The text of one file, or why it cannot be had.
    pub fn read(&self, name: &str) -> Result<(String, std::borrow::Cow<'static, str>), DataError> {
        match self {
            DataSource::Embedded => {
                let text = EMBEDDED
                    .iter()
                    .find(|(file, _)| *file == name)
                    .map(|(_, text)| *text)
                    .ok_or_else(|| {
                        DataError::new(
                            name,
                            crate::model::Text::new(
                                "不属于内置数据",
                                "not part of the built-in data",
                            ),
                        )
                    })?;
                Ok((format!("built-in {name}"), std::borrow::Cow::Borrowed(text)))
            }
            DataSource::Dir(dir) => {
                let path = dir.join(name);
                let origin = path.display().to_string();
                let text = read_text(&path, &origin)?;
                Ok((origin, std::borrow::Cow::Owned(text)))
            }
        }
    }
}

pub use read::MAX_FILE_BYTES;

fn read_text(path: &Path, origin: &str) -> Result<String, DataError> {
    let (text, encoding) =
        read::read_text(path).map_err(|problem| DataError::new(origin, problem))?;
    if let Some(encoding) = encoding {
        eprintln!("chengyu-atlas: {origin}: read as {encoding} (GeoJSON should be UTF-8)");
    }
    Ok(text)
}

/// What loading produced: the atlas with every layer that loaded, and what went wrong.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    pub atlas: Atlas,
    pub problems: Vec<DataError>,
    /// Whether the panel content (content.toml) was read; when not, checks of what refers to
    /// it would only repeat that one problem.
    pub content_read: bool,
}

/// Loads every layer; each file that fails is reported in `problems` and left out.
pub fn load(source: &DataSource) -> Loaded {
    let mut layers: Vec<Layer> = Vec::new();
    let mut problems = Vec::new();
    for name in files::ALL {
        match source
            .read(name)
            .and_then(|(origin, text)| parse_file(name, &origin, &text))
        {
            Ok((file_layers, file_problems)) => {
                problems.extend(file_problems);
                problems.extend(far_away(name, &file_layers));
                layers.extend(file_layers);
            }
            Err(error) => problems.push(error),
        }
    }
    let (content, content_read) = match source
        .read(files::CONTENT)
        .and_then(|(origin, text)| parse_content(&origin, &text))
    {
        Ok(content) => (content, true),
        Err(error) => {
            problems.push(error);
            (Content::default(), false)
        }
    };
    Loaded {
        atlas: Atlas::new(layers).with_content(content),
        problems,
        content_read,
    }
}

/// Where the atlas is: Sichuan, Chongqing and a margin around them (lon/lat).
pub const REGION: [f64; 4] = [95.0, 24.0, 113.0, 36.0];

/// A warning for layers that lie wholly outside the region: loaded, but most likely the wrong
/// file, or coordinates in another datum or order.
fn far_away(name: &str, layers: &[Layer]) -> Option<DataError> {
    let bounds = crate::model::bounds_of(layers.iter().flat_map(|layer| &layer.features))?;
    let [west, south, east, north] = REGION;
    let outside = bounds.max().x < west
        || bounds.min().x > east
        || bounds.max().y < south
        || bounds.min().y > north;
    outside.then(|| {
        let (w, e, s, n) = (bounds.min().x, bounds.max().x, bounds.min().y, bounds.max().y);
        DataError::new(
            name,
            Text::new(
                format!(
                    "图层已载入，但远离川渝地区（{w:.2}–{e:.2}°E，{s:.2}–{n:.2}°N）：文件是否正确，是否经度在前、纬度在后？"
                ),
                format!(
                    "the layer loaded, but lies far from Sichuan and Chongqing ({w:.2}–{e:.2}°E, {s:.2}–{n:.2}°N): is it the right file, with longitude before latitude?"
                ),
            ),
        )
    })
}

/// Parses the panel content; a syntax error names its line and column.
pub fn parse_content(origin: &str, text: &str) -> Result<Content, DataError> {
    parse_toml(origin, text)
}

/// Parses a TOML file; a mistake names its line and column (in characters, as an editor counts
/// them on a Chinese line).
pub fn parse_toml<T: serde::de::DeserializeOwned>(
    origin: &str,
    text: &str,
) -> Result<T, DataError> {
    if let Some((line, column)) = read::toml_depth::too_deep(text) {
        let said = read::toml_depth::too_deep_said();
        return Err(DataError::new(
            origin,
            Text::new(
                format!("第 {line} 行第 {column} 列：{}", said.zh),
                format!("line {line}, column {column}: {}", said.en),
            ),
        ));
    }
    toml::from_str::<T>(text).map_err(|error| {
        let words = plain_toml(error.message());
        let said = match error.span() {
            Some(span) => {
                let before = &text[..span.start.min(text.len())];
                let line = before.matches('\n').count() + 1;
                let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
                Text::new(
                    format!("第 {line} 行第 {column} 列：{}", words.zh),
                    format!("line {line}, column {column}: {}", words.en),
                )
            }
            None => words,
        };
        DataError::new(origin, said)
    })
}

/// The TOML parser's message in plain words (both languages), with what to do where it
/// helps; what it has no plain words for is kept in the parser's.
fn plain_toml(message: &str) -> Text {
    let message = message.trim();
    if message.starts_with("invalid basic string") || message.starts_with("invalid literal string")
    {
        return Text::new(
            "字符串在本行未闭合（缺少引号）",
            "a string is not closed on its line (a quote is missing)",
        );
    }
    if message.starts_with("invalid unquoted key") || message.starts_with("invalid key") {
        return Text::new(
            "此处应为键（名称，然后是 = 和值）",
            "expected a key (a name, then = and a value)",
        );
    }
    if let Some(rest) = message.strip_prefix("missing field") {
        return Text::new(
            format!("缺少键：{rest}"),
            format!("a key is missing:{rest}"),
        );
    }
    if let Some(rest) = message.strip_prefix("unknown field") {
        return Text::new(
            format!("未知的键：{rest}"),
            format!("an unknown key:{rest}"),
        );
    }
    fault::same(message)
}

/// Parses one committed file into its layer(s). A feature that cannot be read, or lacks what
/// its layer needs, is left out and reported (grouped by kind); a file that is not GeoJSON at
/// all is an error.
pub fn parse_file(
    name: &str,
    origin: &str,
    text: &str,
) -> Result<(Vec<Layer>, Vec<DataError>), DataError> {
    let document = read::parse(text).map_err(|problem| DataError::new(origin, problem))?;
    let lines_known = document.lines_known();
    let read::Document {
        features: raws,
        mut problems,
        notes,
        ..
    } = document;
    let mut features = Vec::with_capacity(raws.len());
    let mut refused = Vec::new();
    // Each feature read is dropped once converted: the file's properties are never held twice.
    for mut raw in raws {
        match parse_feature(name, &mut raw) {
            Ok(feature) => features.push(feature),
            Err(problem) => refused.push((raw.index, raw.id(), raw.line, problem)),
        }
    }
    if !refused.is_empty() {
        let line_of = (!lines_known).then(|| read::feature_lines(text));
        for (index, id, line, problem) in refused {
            let line = line_of.as_ref().map_or(line, |line_of| line_of(index));
            problems.feature(
                index,
                id,
                line,
                fault::Fault::Schema(problem),
                fault::nothing(),
            );
        }
    }
    let problems = grouped_errors(origin, &problems)
        .into_iter()
        .chain(grouped_notes(origin, &notes))
        .collect();
    let layers = match name {
        files::ZONES => {
            let mut by_layer: Vec<Layer> = Vec::new();
            for feature in features {
                let Some(layer) = feature.zone().map(|zone| zone.kind.layer()) else {
                    continue;
                };
                match by_layer.iter_mut().find(|l| l.id == layer) {
                    Some(existing) => existing.features.push(feature),
                    None => by_layer.push(Layer::new(layer, vec![feature])),
                }
            }
            by_layer
        }
        _ => vec![Layer::new(layer_of_file(name), features)],
    };
    Ok((layers, problems))
}

fn layer_of_file(name: &str) -> LayerId {
    match name {
        files::PROVINCES => LayerId::Provinces,
        files::PREFECTURES => LayerId::Prefectures,
        files::COUNTIES => LayerId::Counties,
        files::RIVERS => LayerId::Rivers,
        files::BOUNDARIES => LayerId::Boundaries,
        files::PLATFORMS => LayerId::Platforms,
        _ => LayerId::Places,
    }
}

/// A feature of the atlas's own layers is drawn: it needs a location.
fn no_geometry() -> Text {
    Text::new(
        "没有几何（null）：本图层的要素都需要位置",
        "it has no geometry (null): this layer draws every feature",
    )
}

/// "geometry is not a point" (`what`: a point, a line, a polygon).
fn geometry_is_not(zh: &str, en: &str) -> Text {
    Text::new(format!("几何不是{zh}"), format!("geometry is not {en}"))
}

fn missing(key: &str) -> Text {
    Text::new(
        format!("缺少属性 `{key}`"),
        format!("property `{key}` is missing"),
    )
}

/// The widest position accuracy a point may state: beyond it, it is not a place.
const MAX_ACCURACY_M: f64 = 200_000.0;

/// A stated position accuracy, in metres: a number from 0 to 200 km.
fn accuracy(value: &serde_json::Value) -> Result<f64, Text> {
    let km = MAX_ACCURACY_M / 1000.0;
    value
        .as_f64()
        .filter(|metres| (0.0..=MAX_ACCURACY_M).contains(metres))
        .ok_or_else(|| {
            Text::new(
                format!("属性 `position_accuracy_m` 不是 0 到 {km} km 之间的距离"),
                format!("property `position_accuracy_m` is not a distance from 0 to {km} km"),
            )
        })
}

/// What `position_source` says a platform's coordinates come from: `"seed placement"`, or a
/// cited record `{"source", "record", "given": [lon, lat], "datum", "county"}`.
fn position_source(value: &serde_json::Value) -> Result<PositionSource, Text> {
    const SEED_PLACEMENT: &str = "seed placement";
    let refused = |why: &str, why_en: &str| {
        Text::new(
            format!("属性 `position_source` {why}"),
            format!("property `position_source` {why_en}"),
        )
    };
    if let Some(text) = value.as_str() {
        return if text == SEED_PLACEMENT {
            Ok(PositionSource::SeedPlacement)
        } else {
            Err(refused(
                &format!("为 “{text}”：应为 “{SEED_PLACEMENT}” 或所引记录"),
                &format!("is “{text}”: expected “{SEED_PLACEMENT}” or a cited record"),
            ))
        };
    }
    let field = |key: &str| {
        value
            .get(key)
            .and_then(|v| v.as_str())
            .filter(|v| !v.trim().is_empty())
            .map(str::to_string)
            .ok_or_else(|| refused(&format!("缺少 `{key}`"), &format!("lacks `{key}`")))
    };
    let given = value
        .get("given")
        .and_then(|v| v.as_array())
        .filter(|pair| pair.len() == 2)
        .and_then(|pair| Some(Point::new(pair[0].as_f64()?, pair[1].as_f64()?)))
        .filter(|p| (-180.0..=180.0).contains(&p.x()) && (-90.0..=90.0).contains(&p.y()))
        .ok_or_else(|| {
            refused(
                "的 `given` 不是 [经度, 纬度]",
                "has no `given` [longitude, latitude]",
            )
        })?;
    let datum_key = field("datum")?;
    let datum = crate::coordinates::datum::Datum::parse(&datum_key).ok_or_else(|| {
        refused(
            &format!("的基准 `{datum_key}` 未知"),
            &format!("names an unknown datum `{datum_key}`"),
        )
    })?;
    Ok(PositionSource::Cited(CitedPosition {
        source: field("source")?,
        record: field("record")?,
        given,
        datum,
        county: field("county")?,
    }))
}

fn required<'a>(raw: &'a RawFeature, key: &str) -> Result<&'a str, Text> {
    raw.text(key).ok_or_else(|| missing(key))
}

fn optional(raw: &RawFeature, key: &str) -> Option<String> {
    raw.text(key).map(str::to_string)
}

fn rank(raw: &RawFeature) -> u8 {
    raw.property("rank")
        .and_then(|value| value.as_u64())
        .map_or(3, |rank| rank.min(9) as u8)
}

fn area(raw: &mut RawFeature) -> Result<MultiPolygon, Text> {
    let geometry = raw.geometry.take().ok_or_else(no_geometry)?;
    geojson_io::as_multipolygon(geometry).ok_or_else(|| geometry_is_not("面", "a polygon"))
}

/// A property that is a list of texts (the texts in it; none if it is not a list).
fn strings(raw: &RawFeature, key: &str) -> Vec<String> {
    raw.property(key)
        .and_then(|value| value.as_array())
        .map(|values| {
            values
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// A feature of one of the atlas's layers, from what was read (its geometry is taken).
fn parse_feature(name: &str, raw: &mut RawFeature) -> Result<Feature, Text> {
    raw.properties().map_err(Text::clone)?;
    match name {
        files::RIVERS => line_feature(raw, FeatureKind::River),
        files::BOUNDARIES => line_feature(raw, FeatureKind::Boundary),
        files::PLACES => place_feature(raw),
        files::ZONES => zone_feature(raw),
        files::PLATFORMS => platform_feature(raw),
        files::PROVINCES => admin_feature(raw, AdminLevel::Province),
        files::PREFECTURES => admin_feature(raw, AdminLevel::Prefecture),
        _ => admin_feature(raw, AdminLevel::County),
    }
}

/// A river or a boundary line.
fn line_feature(raw: &mut RawFeature, kind: FeatureKind) -> Result<Feature, Text> {
    let geometry = raw.geometry.take().ok_or_else(no_geometry)?;
    let lines =
        geojson_io::as_multilinestring(geometry).ok_or_else(|| geometry_is_not("线", "a line"))?;
    Ok(Feature {
        id: String::new(),
        name: Text::default(),
        label: Text::default(),
        label_point: None,
        rank: rank(raw),
        kind,
        shape: Shape::Lines(lines),
    })
}

/// A place name.
fn place_feature(raw: &mut RawFeature) -> Result<Feature, Text> {
    let geometry = raw.geometry.take().ok_or_else(no_geometry)?;
    let point = geojson_io::as_point(geometry).ok_or_else(|| geometry_is_not("点", "a point"))?;
    let name = Text::new(required(raw, "name_zh")?, required(raw, "name_en")?);
    Ok(Feature {
        id: raw.id().ok_or_else(|| missing("id"))?,
        label: name.clone(),
        name,
        label_point: Some(point),
        rank: rank(raw),
        kind: FeatureKind::Place { rank: rank(raw) },
        shape: Shape::Point(point),
    })
}

/// A zone: an area (or, for a hub, a point) with its boundary's honesty and its note.
fn zone_feature(raw: &mut RawFeature) -> Result<Feature, Text> {
    let kind_key = required(raw, "kind")?;
    let kind = ZoneKind::from_key(kind_key).ok_or_else(|| {
        Text::new(
            format!("未知的类型 `{kind_key}`"),
            format!("unknown kind `{kind_key}`"),
        )
    })?;
    // Hubs are points (no outline can be given honestly); every other zone is an area.
    let shape =
        if kind == ZoneKind::Hub {
            let geometry = raw.geometry.take().ok_or_else(no_geometry)?;
            Shape::Point(geojson_io::as_point(geometry).ok_or_else(|| {
                Text::new("枢纽的几何必须是点", "a hub's geometry must be a point")
            })?)
        } else {
            Shape::Area(area(raw)?)
        };
    let boundary = match required(raw, "boundary")? {
        "administrative" => Boundary::Administrative,
        "approximate" => Boundary::Approximate,
        other => {
            return Err(Text::new(
                format!("未知的边界类型 `{other}`"),
                format!("unknown boundary `{other}`"),
            ));
        }
    };
    let note = Text::new(
        optional(raw, "note_zh").unwrap_or_default(),
        optional(raw, "note_en").unwrap_or_default(),
    );
    if boundary == Boundary::Approximate && (note.zh.is_empty() || note.en.is_empty()) {
        return Err(Text::new(
            "近似边界需要 `note_zh` 和 `note_en`",
            "an approximate boundary needs `note_zh` and `note_en`",
        ));
    }
    let members = strings(raw, "members");
    let name = Text::new(required(raw, "name_zh")?, required(raw, "name_en")?);
    let label_point = match &shape {
        Shape::Area(area) => zone_label_point(area),
        Shape::Point(point) => Some(*point),
        Shape::Lines(_) => None,
    };
    Ok(Feature {
        id: raw.id().ok_or_else(|| missing("id"))?,
        label: Text::new(
            optional(raw, "label_zh").unwrap_or_else(|| name.zh.clone()),
            optional(raw, "label_en").unwrap_or_else(|| name.en.clone()),
        ),
        name,
        label_point,
        rank: 0,
        kind: FeatureKind::Zone(Box::new(ZoneInfo {
            kind,
            parent: optional(raw, "parent"),
            boundary,
            note,
            admin_district: optional(raw, "admin_district"),
            members,
            accuracy_m: match raw.property("position_accuracy_m") {
                None => None,
                Some(value) => Some(accuracy(value)?),
            },
            outline_from: None,
        })),
        shape,
    })
}

/// A platform: a point with its accuracy, sources and facts.
fn platform_feature(raw: &mut RawFeature) -> Result<Feature, Text> {
    let geometry = raw.geometry.take().ok_or_else(no_geometry)?;
    let point = geojson_io::as_point(geometry).ok_or_else(|| geometry_is_not("点", "a point"))?;
    let name = Text::new(required(raw, "name_zh")?, required(raw, "name_en")?);

    let facts: Vec<Fact> = match raw.property("facts") {
        Some(value) => serde_json::from_value(value.clone()).map_err(|error| {
            Text::new(
                format!("facts 无法读取：{error}"),
                format!("facts: {error}"),
            )
        })?,
        None => Vec::new(),
    };
    let accuracy_m = accuracy(
        raw.property("position_accuracy_m")
            .ok_or_else(|| missing("position_accuracy_m"))?,
    )?;
    let position_source = position_source(
        raw.property("position_source")
            .ok_or_else(|| missing("position_source"))?,
    )?;
    Ok(Feature {
        id: raw.id().ok_or_else(|| missing("id"))?,
        label: name.clone(),
        name,
        label_point: Some(point),
        rank: 4,
        kind: FeatureKind::Platform(Box::new(PlatformInfo {
            category: required(raw, "category")?.to_string(),
            zone: optional(raw, "zone"),
            accuracy_m,
            position_note: Text::new(
                optional(raw, "position_note_zh").unwrap_or_default(),
                optional(raw, "position_note_en").unwrap_or_default(),
            ),
            position_source,
            industries: strings(raw, "industries"),
            sources: strings(raw, "sources"),
            facts,
            corrected: None,
        })),
        shape: Shape::Point(point),
    })
}

/// A province, prefecture or county.
fn admin_feature(raw: &mut RawFeature, level: AdminLevel) -> Result<Feature, Text> {
    let shape = area(raw)?;
    // A province is its own province; the others name theirs.
    let province = match level {
        AdminLevel::Province => required(raw, "name_zh")?.to_string(),
        _ => required(raw, "province")?.to_string(),
    };
    let name = Text::new(required(raw, "name_zh")?, required(raw, "name_en")?);
    let label = Text::new(
        name.zh.clone(),
        optional(raw, "label_en").unwrap_or_else(|| name.en.clone()),
    );
    Ok(Feature {
        id: raw.id().ok_or_else(|| missing("id"))?,
        name,
        label,
        label_point: None,
        rank: rank(raw),
        kind: FeatureKind::Admin { level, province },
        shape: Shape::Area(shape),
    })
}

pub fn zone_label_point(shape: &MultiPolygon) -> Option<Point> {
    use geo::{Area, InteriorPoint};
    shape
        .iter()
        .max_by(|a, b| a.unsigned_area().total_cmp(&b.unsigned_area()))
        .and_then(|largest| largest.interior_point())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Lang;

    /// The user's words stay theirs: a file `pipeline 2.csv` in a folder `feature data` (once
    /// shown as `pipe第 2 行.csv` in `要素 data`), and a column the user named.
    #[test]
    fn paths_and_the_users_words_are_never_translated() {
        let origin = "feature data/pipeline 2.csv";
        let missing = DataError::new(origin, Problem::FileMissing);
        assert_eq!(
            missing.in_language(Lang::Zh),
            "feature data/pipeline 2.csv: 文件不存在"
        );
        assert_eq!(
            missing.in_language(Lang::En),
            "feature data/pipeline 2.csv: file is missing"
        );
        let column = DataError::new(
            origin,
            Problem::NoSuchColumn {
                name: "feature row 2".into(),
            },
        );
        assert_eq!(
            column.in_language(Lang::Zh),
            "feature data/pipeline 2.csv: 没有列 `feature row 2`"
        );
    }
}
