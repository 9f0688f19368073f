//! The atlas as plain data: layers of features with bilingual names, and the panel content.
//! No egui, no files.

pub mod category;
pub mod content;
pub mod edit;
pub mod features;
pub mod measure;
pub mod table;
pub mod user;

use std::borrow::Cow;

use geo::{BoundingRect, MultiLineString, MultiPolygon, Point, Rect};

/// The two languages of every label in the interface and on the map.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
pub enum Lang {
    #[default]
    #[serde(rename = "zh")]
    Zh,
    #[serde(rename = "en")]
    En,
}

impl Lang {
    /// The string for this language, for interface text written inline.
    pub fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}

/// A string in both languages.
#[derive(
    Debug,
    Clone,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Default,
    serde::Serialize,
    serde::Deserialize,
)]
pub struct Text {
    pub zh: String,
    pub en: String,
}

impl Text {
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            zh: zh.into(),
            en: en.into(),
        }
    }

    /// The text in `lang`; a text without its English (a user's feature, named only as its
    /// file names it) reads in Chinese.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En if self.en.is_empty() => &self.zh,
            Lang::En => &self.en,
        }
    }
}

/// Every layer the atlas draws, in draw order (bottom first); the user's own layers come
/// last, above the atlas's, in the order of their numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LayerId {
    Provinces,
    Prefectures,
    Counties,
    /// Boundary lines, each shared edge once, ranked; drawn as part of the three layers above.
    Boundaries,
    Rivers,
    Corridor,
    ScienceCity,
    Districts,
    Core,
    /// Other innovation areas of the region, as points (成都高新区, 两江协同创新区, …).
    Hubs,
    /// Universities, facilities, laboratories, parks and enterprises, as points.
    Platforms,
    Places,
    /// A layer the user added (a CSV, GeoJSON, KML or Shapefile), by its number.
    User(u16),
}

impl LayerId {
    /// The layers the user sees and toggles, in draw order.
    pub const ALL: [LayerId; 11] = [
        LayerId::Provinces,
        LayerId::Prefectures,
        LayerId::Counties,
        LayerId::Rivers,
        LayerId::Corridor,
        LayerId::ScienceCity,
        LayerId::Districts,
        LayerId::Core,
        LayerId::Hubs,
        LayerId::Platforms,
        LayerId::Places,
    ];

    /// The stable name used on the command line and in saved state.
    pub fn key(self) -> &'static str {
        match self {
            LayerId::Provinces => "provinces",
            LayerId::Prefectures => "prefectures",
            LayerId::Counties => "counties",
            LayerId::Boundaries => "boundaries",
            LayerId::Rivers => "rivers",
            LayerId::Corridor => "corridor",
            LayerId::ScienceCity => "science-city",
            LayerId::Districts => "districts",
            LayerId::Core => "core",
            LayerId::Hubs => "hubs",
            LayerId::Platforms => "platforms",
            LayerId::Places => "places",
            LayerId::User(_) => "user",
        }
    }

    /// The name in saved state: the key, and `user-N` for a user's layer.
    pub fn saved_key(self) -> String {
        match self {
            LayerId::User(number) => format!("user-{number}"),
            _ => self.key().to_string(),
        }
    }

    pub fn from_key(key: &str) -> Option<LayerId> {
        if let Some(number) = key.strip_prefix("user-") {
            return number.parse().ok().map(LayerId::User);
        }
        LayerId::ALL
            .into_iter()
            .chain([LayerId::Boundaries])
            .find(|layer| layer.key() == key)
    }

    pub fn is_user(self) -> bool {
        matches!(self, LayerId::User(_))
    }

    pub fn title(self) -> Text {
        match self {
            LayerId::Provinces => Text::new("省级界线", "Provinces"),
            LayerId::Prefectures => Text::new("地级界线（四川）", "Prefectures"),
            LayerId::Counties => Text::new("区县", "Districts & counties"),
            LayerId::Boundaries => Text::new("界线", "Boundary lines"),
            LayerId::Rivers => Text::new("河流", "Rivers"),
            LayerId::Corridor => Text::new("双城经济圈", "Economic circle"),
            LayerId::ScienceCity => Text::new("西部（重庆）科学城", "Science city"),
            LayerId::Districts => Text::new("科学城五区", "Five districts"),
            LayerId::Core => Text::new("科学城核心区", "Core zone"),
            LayerId::Hubs => Text::new("其他创新区", "Other innovation areas"),
            LayerId::Platforms => Text::new("平台与园区", "Platforms and parks"),
            LayerId::Places => Text::new("地名", "Place names"),
            LayerId::User(_) => Text::new("用户图层", "User layer"),
        }
    }

    /// Basemap layers come from administrative data; the others are the atlas's subject.
    pub fn is_basemap(self) -> bool {
        matches!(
            self,
            LayerId::Provinces
                | LayerId::Prefectures
                | LayerId::Counties
                | LayerId::Boundaries
                | LayerId::Rivers
                | LayerId::Places
        )
    }
}

impl serde::Serialize for LayerId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.saved_key())
    }
}

impl<'de> serde::Deserialize<'de> for LayerId {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let key = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        LayerId::from_key(&key)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown layer `{key}`")))
    }
}

/// The kinds of zone in `zones.geojson`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ZoneKind {
    /// 成渝地区双城经济圈, dissolved from its member units.
    Corridor,
    /// Units only partly inside the corridor (开州, 云阳).
    CorridorPartial,
    ScienceCity,
    Core,
    /// One of the five science-city districts (五区).
    District,
    /// Another innovation area, drawn as a point where no outline can be given honestly.
    Hub,
}

impl ZoneKind {
    pub fn key(self) -> &'static str {
        match self {
            ZoneKind::Corridor => "corridor",
            ZoneKind::CorridorPartial => "corridor-partial",
            ZoneKind::ScienceCity => "science-city",
            ZoneKind::Core => "core",
            ZoneKind::District => "district",
            ZoneKind::Hub => "hub",
        }
    }

    pub fn from_key(key: &str) -> Option<ZoneKind> {
        [
            ZoneKind::Corridor,
            ZoneKind::CorridorPartial,
            ZoneKind::ScienceCity,
            ZoneKind::Core,
            ZoneKind::District,
            ZoneKind::Hub,
        ]
        .into_iter()
        .find(|kind| kind.key() == key)
    }

    pub fn layer(self) -> LayerId {
        match self {
            ZoneKind::Corridor | ZoneKind::CorridorPartial => LayerId::Corridor,
            ZoneKind::ScienceCity => LayerId::ScienceCity,
            ZoneKind::Core => LayerId::Core,
            ZoneKind::District => LayerId::Districts,
            ZoneKind::Hub => LayerId::Hubs,
        }
    }
}

/// Whether a zone's outline is an official administrative boundary or drawn by us.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Boundary {
    Administrative,
    Approximate,
}

impl Boundary {
    pub fn key(self) -> &'static str {
        match self {
            Boundary::Administrative => "administrative",
            Boundary::Approximate => "approximate",
        }
    }
}

/// Administrative level of a boundary polygon.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum AdminLevel {
    Province,
    Prefecture,
    County,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ZoneInfo {
    pub kind: ZoneKind,
    pub parent: Option<String>,
    pub boundary: Boundary,
    /// How the outline was drawn (always present for approximate boundaries).
    pub note: Text,
    /// For districts: the administrative district the zone lies in.
    pub admin_district: Option<String>,
    /// For the corridor: the member units, and those only partly included.
    pub members: Vec<String>,
    /// For zones drawn as points: how far the area reaches from the point, in metres.
    pub accuracy_m: Option<f64>,
    /// The outline was replaced by a user's polygon (a planning bureau's file): from where,
    /// when, and the built-in outline to go back to.
    pub outline_from: Option<OutlineSource>,
}

/// Where a zone's replaced outline came from, and what it replaced.
#[derive(Debug, Clone, PartialEq)]
pub struct OutlineSource {
    pub source: String,
    pub date: String,
    pub original: MultiPolygon,
    pub original_boundary: Boundary,
    pub original_note: Text,
    pub original_label_point: Option<Point>,
}

/// A platform, park, university, facility or enterprise named by the sources.
#[derive(Debug, Clone, PartialEq)]
pub struct PlatformInfo {
    /// university, big-science facility, laboratory, research institute, industrial park,
    /// enterprise, incubator, innovation centre, service platform.
    pub category: String,
    /// The zone it belongs to, if any (`None`: outside the zones, e.g. a central campus).
    pub zone: Option<String>,
    /// How far the true site may be from the point, in metres.
    pub accuracy_m: f64,
    /// Where the point was put and why.
    pub position_note: Text,
    /// Where the coordinates come from: a cited record, or the seed articles' wording.
    pub position_source: PositionSource,
    pub industries: Vec<String>,
    pub sources: Vec<String>,
    pub facts: Vec<content::Fact>,
    /// Moved by a user's correction: by whom and when, and where the built-in data had it.
    pub corrected: Option<Corrected>,
}

/// Where a platform's coordinates come from.
#[derive(Debug, Clone, PartialEq)]
pub enum PositionSource {
    /// Placed by hand from what the seed articles say (a district, a park, a campus named
    /// without coordinates); the accuracy and note say how loosely.
    SeedPlacement,
    /// Taken from a record that names the place and gives its coordinates.
    Cited(CitedPosition),
}

/// A position taken from a cited record: which source (an id of `content.toml`'s sources),
/// which record in it, the coordinates as given and in which datum, and the county the record
/// puts it in. The point drawn is `given` converted from `datum` to WGS-84.
#[derive(Debug, Clone, PartialEq)]
pub struct CitedPosition {
    pub source: String,
    pub record: String,
    pub given: Point,
    pub datum: crate::coordinates::datum::Datum,
    pub county: String,
}

impl PositionSource {
    /// The source id it cites, if any.
    pub fn source(&self) -> Option<&str> {
        match self {
            PositionSource::SeedPlacement => None,
            PositionSource::Cited(cited) => Some(&cited.source),
        }
    }

    /// What the panel and exports say after "位置来源 / Position source": the source's
    /// citation, the record taken and how its coordinates were converted; or that the point
    /// was placed from the articles' wording.
    pub fn describe(&self, content: &content::Content, lang: Lang) -> String {
        let PositionSource::Cited(cited) = self else {
            return lang
                .pick(
                    "按资料文字示意放置（资料未给出坐标）",
                    "placed from the articles' wording (they give no coordinates)",
                )
                .to_string();
        };
        let citation = content
            .source(&cited.source)
            .map_or_else(|| cited.source.clone(), |source| source.citation(lang));
        let conversion = if cited.datum.is_wgs84() {
            lang.pick("坐标按 WGS-84 照录", "coordinates taken as WGS-84")
                .to_string()
        } else {
            format!(
                "{} {} {}",
                lang.pick("坐标由", "coordinates converted from"),
                cited.datum.name(),
                lang.pick("转换为 WGS-84", "to WGS-84")
            )
        };
        match lang {
            Lang::Zh => format!("{citation}，记录“{}”；{conversion}", cited.record),
            Lang::En => format!("{citation}, record “{}”; {conversion}", cited.record),
        }
    }
}

/// A platform's position as a user corrected it.
#[derive(Debug, Clone, PartialEq)]
pub struct Corrected {
    pub source: String,
    pub date: String,
    /// The built-in position and accuracy, to go back to.
    pub original: Point,
    pub original_accuracy_m: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub enum FeatureKind {
    Admin {
        level: AdminLevel,
        province: String,
    },
    /// A boundary line; `Feature::rank` is 1 (province), 2 (prefecture) or 3 (county).
    Boundary,
    River,
    Place {
        rank: u8,
    },
    // Boxed: a zone's or platform's facts are hundreds of bytes, and every feature (a user
    // layer may have a million) would otherwise be as large.
    Zone(Box<ZoneInfo>),
    Platform(Box<PlatformInfo>),
    /// A feature of a user's layer: its fields' values, in the order of the layer's fields.
    User(user::UserFeature),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    Area(MultiPolygon),
    Lines(MultiLineString),
    Point(Point),
}

impl Shape {
    pub fn bounding_rect(&self) -> Option<Rect> {
        match self {
            Shape::Area(area) => area.bounding_rect(),
            Shape::Lines(lines) => lines.bounding_rect(),
            Shape::Point(point) => Some(point.bounding_rect()),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Feature {
    /// Stable id: the adcode for administrative units, the zone id for zones.
    pub id: String,
    pub name: Text,
    /// A shorter name for map labels (e.g. "Shapingba" for "Shapingba District").
    pub label: Text,
    /// Where the label goes; for areas, a point inside.
    pub label_point: Option<Point>,
    /// Labels of lower rank win collisions: 0 for zones, 1 for the two metropolises, …
    pub rank: u8,
    pub kind: FeatureKind,
    pub shape: Shape,
}

impl Feature {
    pub fn zone(&self) -> Option<&ZoneInfo> {
        match &self.kind {
            FeatureKind::Zone(info) => Some(info),
            _ => None,
        }
    }

    pub fn platform(&self) -> Option<&PlatformInfo> {
        match &self.kind {
            FeatureKind::Platform(info) => Some(info),
            _ => None,
        }
    }

    /// The text of its map label: its label, or its name where it has no label of its own
    /// (a user's feature).
    pub fn label_text(&self, lang: Lang) -> &str {
        match self.label.get(lang) {
            "" => self.name.get(lang),
            label => label,
        }
    }

    pub fn user(&self) -> Option<&user::UserFeature> {
        match &self.kind {
            FeatureKind::User(info) => Some(info),
            _ => None,
        }
    }
}

pub use features::Features;

/// The box around these features' shapes, if any has one.
pub fn bounds_of<F: std::ops::Deref<Target = Feature>>(
    features: impl IntoIterator<Item = F>,
) -> Option<Rect> {
    union_of(
        features
            .into_iter()
            .map(|feature| feature.shape.bounding_rect()),
    )
}

fn union_of(rects: impl Iterator<Item = Option<Rect>>) -> Option<Rect> {
    rects.flatten().reduce(|a, b| {
        Rect::new(
            geo::coord! { x: a.min().x.min(b.min().x), y: a.min().y.min(b.min().y) },
            geo::coord! { x: a.max().x.max(b.max().x), y: a.max().y.max(b.max().y) },
        )
    })
}

/// One layer's features (and, for a user's layer, what it is and how it is drawn).
#[derive(Debug, Clone, PartialEq)]
pub struct Layer {
    pub id: LayerId,
    pub features: Features,
    pub user: Option<Box<user::UserLayer>>,
}

impl Layer {
    pub fn new(id: LayerId, features: impl Into<Features>) -> Self {
        Self {
            id,
            features: features.into(),
            user: None,
        }
    }
}

/// A feature's address inside the atlas.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FeatureRef {
    pub layer: LayerId,
    pub index: u32,
}

/// Which state its data is in (an atlas's, a layer's features'): a number no other state of
/// anything has had, taken anew by every change, so that what is made of it (a scene, an
/// index) can be kept until it changes. Two atlases are equal by their data alone, whatever
/// their revisions.
#[derive(Debug, Clone)]
struct Revision(u64);

impl Revision {
    fn next() -> Self {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        Self(NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed))
    }
}

impl Default for Revision {
    fn default() -> Self {
        Self::next()
    }
}

impl PartialEq for Revision {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

/// Everything the app shows, loaded from geodata.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Atlas {
    layers: Vec<Layer>,
    /// What the panels say about zones, with sources, industries and cooperation links (set
    /// with [`with_content`](Self::with_content), which takes a new revision).
    content: content::Content,
    /// The bounding box of everything, kept as layers come and go (the map asks every frame).
    bounds: Option<Rect>,
    revision: Revision,
}

impl Atlas {
    pub fn new(mut layers: Vec<Layer>) -> Self {
        layers.sort_by_key(|layer| layer.id);
        let mut atlas = Self {
            layers,
            content: content::Content::default(),
            bounds: None,
            revision: Revision::next(),
        };
        atlas.bounds = atlas.measure_bounds();
        atlas
    }

    pub fn with_content(mut self, content: content::Content) -> Self {
        self.content = content;
        self.revision = Revision::next();
        self
    }

    /// What the panels say about zones, with sources, industries and cooperation links.
    pub fn content(&self) -> &content::Content {
        &self.content
    }

    /// The state of the atlas's data: it changes with every change (and only then).
    pub fn revision(&self) -> u64 {
        self.revision.0
    }

    /// Layers present, in draw order.
    pub fn layers(&self) -> &[Layer] {
        &self.layers
    }

    pub fn layer(&self, id: LayerId) -> Option<&Layer> {
        self.layers.iter().find(|layer| layer.id == id)
    }

    /// The user's layers, bottom first.
    pub fn user_layers(&self) -> impl Iterator<Item = (LayerId, &user::UserLayer)> {
        self.layers
            .iter()
            .filter_map(|layer| Some((layer.id, layer.user.as_deref()?)))
    }

    pub fn user_layer(&self, id: LayerId) -> Option<&user::UserLayer> {
        self.layer(id)?.user.as_deref()
    }

    pub fn user_layer_mut(&mut self, id: LayerId) -> Option<&mut user::UserLayer> {
        self.revision = Revision::next();
        self.layers
            .iter_mut()
            .find(|layer| layer.id == id)?
            .user
            .as_deref_mut()
    }

    /// A layer's name for people: the user's layer's own name, else the atlas layer's title.
    pub fn layer_title(&self, id: LayerId) -> Text {
        match self.user_layer(id) {
            Some(user) => Text::new(user.name.clone(), user.name.clone()),
            None => id.title(),
        }
    }

    /// Adds a user's layer on top of the others; returns its id.
    pub fn add_user_layer(
        &mut self,
        info: user::UserLayer,
        features: impl Into<Features>,
    ) -> LayerId {
        self.revision = Revision::next();
        let number = self
            .user_layers()
            .map(|(id, _)| match id {
                LayerId::User(n) => n + 1,
                _ => 0,
            })
            .max()
            .unwrap_or(0);
        let id = LayerId::User(number);
        self.layers.push(Layer {
            id,
            features: features.into(),
            user: Some(Box::new(info)),
        });
        self.bounds = self.measure_bounds();
        id
    }

    /// Puts a database layer's features read again in place of its old ones: its place in
    /// the stack, name and style stay; its fields, notes and extent are the new read's.
    /// The old features, where there was such a layer (a million take a while to free: the
    /// caller chooses where).
    pub fn refresh_user_layer(
        &mut self,
        id: LayerId,
        fresh: user::UserLayer,
        features: Features,
    ) -> Option<Features> {
        let layer = self.layers.iter_mut().find(|l| l.id == id)?;
        let user = layer.user.as_deref_mut()?;
        let kept = std::mem::replace(user, fresh);
        user.name = kept.name;
        user.style = kept.style;
        user.csv = kept.csv;
        let old = std::mem::replace(&mut layer.features, features);
        user.set_geometry_kind(&layer.features);
        let field = user.style.category_field.clone();
        user.categorise(field, &layer.features);
        self.revision = Revision::next();
        self.bounds = self.measure_bounds();
        Some(old)
    }

    /// Adds `feature` to the user's layer `id` (a shape drawn into a sketch layer); its place
    /// in the layer, or `None` if there is no such layer.
    pub fn add_to_user_layer(&mut self, id: LayerId, feature: Feature) -> Option<u32> {
        let layer = self.layers.iter_mut().find(|l| l.id == id)?;
        let user = layer.user.as_deref_mut()?;
        layer.features.push(feature);
        user.set_geometry_kind(&layer.features);
        let field = user.style.category_field.clone();
        user.categorise(field, &layer.features);
        self.revision = Revision::next();
        self.bounds = self.measure_bounds();
        Some((self.layers.iter().find(|l| l.id == id)?.features.len() - 1) as u32)
    }

    /// Colours a user's layer's features by `field`'s values (`None`: one colour).
    pub fn categorise(&mut self, id: LayerId, field: Option<String>) {
        self.revision = Revision::next();
        if let Some(layer) = self.layers.iter_mut().find(|l| l.id == id)
            && let Some(user) = layer.user.as_deref_mut()
        {
            user.categorise(field, &layer.features);
        }
    }

    /// Removes feature `index` from the user's layer `id` (a drawn shape deleted); the
    /// feature, or `None` if there is no such feature.
    pub fn remove_from_user_layer(&mut self, id: LayerId, index: u32) -> Option<Feature> {
        let layer = self.layers.iter_mut().find(|l| l.id == id)?;
        let user = layer.user.as_deref_mut()?;
        if index as usize >= layer.features.len() {
            return None;
        }
        let feature = layer.features.remove(index as usize);
        user.set_geometry_kind(&layer.features);
        let field = user.style.category_field.clone();
        user.categorise(field, &layer.features);
        self.revision = Revision::next();
        self.bounds = self.measure_bounds();
        Some(feature)
    }

    /// Carries out `edit` on its user's layer: the feature at its index replaced, removed or
    /// inserted. Whether it could be (the layer is there, the index within it).
    pub fn apply_edit(&mut self, edit: &edit::FeatureEdit) -> bool {
        let Some(layer) = self.layers.iter_mut().find(|l| l.id == edit.layer) else {
            return false;
        };
        let Some(user) = layer.user.as_deref_mut() else {
            return false;
        };
        let index = edit.index as usize;
        let features = layer.features.rows_mut();
        match (&edit.before, edit.after.clone()) {
            (Some(_), Some(after)) if index < features.len() => features[index] = after,
            (Some(_), None) if index < features.len() => {
                features.remove(index);
            }
            (None, Some(after)) if index <= features.len() => features.insert(index, after),
            _ => return false,
        }
        // A shape moved or reshaped: the layer's kind and categories stand (recounting them is
        // most of an edit's cost in a big layer).
        if !edit.shape_only() {
            user.set_geometry_kind(&layer.features);
            let field = user.style.category_field.clone();
            user.categorise(field, &layer.features);
        }
        self.revision = Revision::next();
        self.bounds = self.measure_bounds();
        true
    }

    /// Removes a user's layer (the atlas's own layers stay).
    pub fn remove_user_layer(&mut self, id: LayerId) -> bool {
        self.revision = Revision::next();
        let before = self.layers.len();
        self.layers
            .retain(|layer| !(layer.id == id && layer.user.is_some()));
        self.layers.len() != before
    }

    /// Swaps two user's layers in the drawing order (their contents trade numbers).
    pub fn swap_user_layers(&mut self, a: LayerId, b: LayerId) {
        self.revision = Revision::next();
        let (Some(i), Some(j)) = (
            self.layers
                .iter()
                .position(|l| l.id == a && l.user.is_some()),
            self.layers
                .iter()
                .position(|l| l.id == b && l.user.is_some()),
        ) else {
            return;
        };
        self.layers.swap(i, j);
        self.layers[i].id = a;
        self.layers[j].id = b;
    }

    /// Changes a feature (a correction moves it, or gives it another outline); the atlas's
    /// bounds follow. Returns what `edit` returned, or `None` when there is no such feature.
    pub fn edit_feature<T>(
        &mut self,
        feature: FeatureRef,
        edit: impl FnOnce(&mut Feature) -> T,
    ) -> Option<T> {
        self.revision = Revision::next();
        let found = self
            .layers
            .iter_mut()
            .find(|layer| layer.id == feature.layer)?
            .features
            .get_mut(feature.index as usize)?;
        let out = edit(found);
        self.bounds = self.measure_bounds();
        Some(out)
    }

    pub fn feature(&self, feature: FeatureRef) -> Option<Cow<'_, Feature>> {
        self.layer(feature.layer)?
            .features
            .get(feature.index as usize)
    }

    /// A feature's shape, without the rest of it.
    pub fn shape(&self, feature: FeatureRef) -> Option<Cow<'_, Shape>> {
        self.layer(feature.layer)?
            .features
            .shape(feature.index as usize)
    }

    pub fn features(&self) -> impl Iterator<Item = (FeatureRef, Cow<'_, Feature>)> {
        self.layers.iter().flat_map(|layer| {
            layer.features.iter().enumerate().map(|(index, feature)| {
                (
                    FeatureRef {
                        layer: layer.id,
                        index: index as u32,
                    },
                    feature,
                )
            })
        })
    }

    /// The features of the atlas's own layers (not the user's).
    pub fn own_features(&self) -> impl Iterator<Item = (FeatureRef, &Feature)> {
        (self.layers.iter())
            .filter(|layer| layer.user.is_none())
            .flat_map(|layer| {
                let rows = layer.features.as_rows().unwrap_or_default();
                rows.iter().enumerate().map(|(index, feature)| {
                    let at = FeatureRef {
                        layer: layer.id,
                        index: index as u32,
                    };
                    (at, feature)
                })
            })
    }

    /// A zone (or any feature) by its stable id; `LAYER/ID` names a feature of the user's
    /// layer called LAYER (ids of the user's files need not be unique across files).
    pub fn find(&self, id: &str) -> Option<(FeatureRef, Cow<'_, Feature>)> {
        if let Some((layer, feature_id)) = id.split_once('/')
            && let Some(found) = self.find_in_user_layer(layer, feature_id)
        {
            return Some(found);
        }
        if let Some((at, feature)) = self.own_features().find(|(_, feature)| feature.id == id) {
            return Some((at, Cow::Borrowed(feature)));
        }
        self.user_layers().find_map(|(layer, _)| {
            let features = &self.layer(layer)?.features;
            let index = (0..features.len()).position(|i| features.id(i).as_deref() == Some(id))?;
            let at = FeatureRef {
                layer,
                index: index as u32,
            };
            Some((at, features.get(index)?))
        })
    }

    /// The id that [`find`](Self::find) finds `feature` by: its own for the atlas's features,
    /// `LAYER/ID` for a user's (its layer's name, then its id in the layer).
    pub fn reference(&self, feature: FeatureRef) -> Option<String> {
        let found = self.feature(feature)?;
        Some(match self.user_layer(feature.layer) {
            Some(layer) => format!("{}/{}", layer.name, found.id),
            None => found.into_owned().id,
        })
    }

    /// The user's layer called `name` (its file's name without the extension).
    pub fn user_layer_named(&self, name: &str) -> Option<LayerId> {
        self.user_layers()
            .find(|(_, layer)| layer.name == name)
            .map(|(id, _)| id)
    }

    fn find_in_user_layer(&self, layer: &str, id: &str) -> Option<(FeatureRef, Cow<'_, Feature>)> {
        let layer_id = self.user_layer_named(layer)?;
        let features = &self.layer(layer_id)?.features;
        let index = (0..features.len()).position(|i| features.id(i).as_deref() == Some(id))?;
        Some((
            FeatureRef {
                layer: layer_id,
                index: index as u32,
            },
            features.get(index)?,
        ))
    }

    pub fn zones(&self) -> impl Iterator<Item = (FeatureRef, &Feature)> {
        self.own_features()
            .filter(|(_, feature)| feature.zone().is_some())
    }

    /// The bounding box of a zone by id, in lon/lat.
    pub fn bounds_of(&self, id: &str) -> Option<Rect> {
        self.find(id)?.1.shape.bounding_rect()
    }

    /// The bounding box of everything loaded.
    pub fn bounds(&self) -> Option<Rect> {
        self.bounds
    }

    fn measure_bounds(&self) -> Option<Rect> {
        union_of(self.layers.iter().map(|layer| layer.features.bounds()))
    }
}
