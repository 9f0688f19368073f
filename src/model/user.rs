//! A layer of the user's own data (a CSV, GeoJSON, KML or Shapefile added to the map): what it
//! is, where it came from, its fields, and how it is drawn. Its features are ordinary
//! [`Feature`](super::Feature)s whose kind holds their field values.

use std::collections::HashMap;
use std::path::PathBuf;

use crate::coordinates::datum::Datum;

/// The file formats a user's layer is read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum UserFormat {
    GeoJson,
    Csv,
    Kml,
    Shapefile,
    /// A table or view of a PostGIS database (the layer's "path" is its address).
    PostGis,
    /// A collection of an OGC API – Features service (the layer's "path" is its URL).
    #[serde(rename = "ogcapi")]
    OgcApi,
    /// A feature type of a WFS 2.0, read as GeoJSON (the layer's "path" is its URL).
    Wfs,
    /// A feature table of a GeoPackage (`FILE.gpkg#TABLE`).
    GeoPackage,
    /// A sheet of a workbook (.xlsx, .xlsm, .xlsb, .xls, .ods), read as a table.
    Excel,
}

impl UserFormat {
    pub fn name(self) -> &'static str {
        match self {
            UserFormat::GeoJson => "GeoJSON",
            UserFormat::Csv => "CSV",
            UserFormat::Kml => "KML",
            UserFormat::Shapefile => "Shapefile",
            UserFormat::PostGis => "PostGIS",
            UserFormat::OgcApi => "OGC API – Features",
            UserFormat::Wfs => "WFS",
            UserFormat::GeoPackage => "GeoPackage",
            UserFormat::Excel => "Excel",
        }
    }
}

/// Point symbols a user's layer may be drawn with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PointSymbol {
    #[default]
    Circle,
    Diamond,
}

impl PointSymbol {
    pub const ALL: [PointSymbol; 2] = [PointSymbol::Circle, PointSymbol::Diamond];

    /// The name a file gives it (`marker-symbol`).
    pub fn name(self) -> &'static str {
        match self {
            PointSymbol::Circle => "circle",
            PointSymbol::Diamond => "diamond",
        }
    }

    /// The symbol a `marker-symbol` names (Maki's `square` drawn as the diamond).
    pub fn named(name: &str) -> Option<Self> {
        match name.trim().to_ascii_lowercase().as_str() {
            "circle" | "circle-stroked" | "marker" => Some(PointSymbol::Circle),
            "diamond" | "square" | "square-stroked" => Some(PointSymbol::Diamond),
            _ => None,
        }
    }
}

/// What a layer mostly holds (for its legend symbol).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum GeometryKind {
    #[default]
    Points,
    Lines,
    Areas,
}

/// How a user's layer is drawn.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct UserStyle {
    /// The colour of points, lines and outlines (and of the fill, lighter), as RGB.
    pub color: [u8; 3],
    pub symbol: PointSymbol,
    /// Point radius in points.
    pub point_radius: f32,
    /// Line and outline width in points.
    pub line_width: f32,
    /// How opaque an area's fill is (0: outline only).
    pub fill_opacity: f32,
    /// Features are coloured by this field's value, each value with its legend entry.
    pub category_field: Option<String>,
    /// Features are labelled with this field's value.
    pub label_field: Option<String>,
    /// A database layer: read again every so many minutes, as well as when the view leaves
    /// what was read (a register edited by colleagues, followed on a wall screen).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_minutes: Option<u32>,
}

impl Default for UserStyle {
    fn default() -> Self {
        Self {
            color: LAYER_COLOURS[0],
            symbol: PointSymbol::Circle,
            point_radius: 4.0,
            line_width: 1.5,
            fill_opacity: 0.25,
            category_field: None,
            label_field: None,
            refresh_minutes: None,
        }
    }
}

impl UserStyle {
    /// The style of the `n`-th layer added: each its own colour.
    pub fn nth(n: usize) -> Self {
        Self {
            color: LAYER_COLOURS[n % LAYER_COLOURS.len()],
            ..Self::default()
        }
    }
}

/// The colours the user's layers get, in turn: none of the atlas's own (its platforms are
/// blue, purple, teal, cyan, orange, slate, green and brown; its zones amber, teal, red and
/// the districts' five), so that a user's point is never taken for a university.
pub const LAYER_COLOURS: [[u8; 3]; 6] = [
    [0xf5, 0x00, 0xf5],
    [0x00, 0xe5, 0xff],
    [0x5d, 0x00, 0x16],
    [0x0d, 0x1b, 0x6b],
    [0xaa, 0x00, 0xff],
    [0xae, 0xea, 0x00],
];

/// Distinct colours for layers and categories (Tableau 10, which stays apart for the common
/// kinds of colour blindness better than a rainbow).
pub const PALETTE: [[u8; 3]; 10] = [
    [0x4e, 0x79, 0xa7],
    [0xf2, 0x8e, 0x2b],
    [0xe1, 0x57, 0x59],
    [0x76, 0xb7, 0xb2],
    [0x59, 0xa1, 0x4f],
    [0xed, 0xc9, 0x48],
    [0xb0, 0x7a, 0xa1],
    [0xff, 0x9d, 0xa7],
    [0x9c, 0x75, 0x5f],
    [0xba, 0xb0, 0xac],
];

/// Categories past this many share the colour "other".
pub const MAX_CATEGORIES: usize = 12;

/// One value of the category field: its text, colour and how many features have it.
#[derive(Debug, Clone, PartialEq)]
pub struct Category {
    pub value: String,
    pub color: [u8; 3],
    pub count: usize,
}

/// A user's layer: its name, file, datum, fields, style and categories.
#[derive(Debug, Clone, PartialEq)]
pub struct UserLayer {
    pub name: String,
    pub path: PathBuf,
    pub format: UserFormat,
    /// The datum the file was written in (its coordinates were converted to WGS-84 on load).
    pub datum: Datum,
    /// The coordinate system the file names, where it names one ("CGCS2000" for a
    /// Shapefile in EPSG:4490): what the user is told the layer is in.
    pub system: Option<String>,
    /// The field names, in the file's order; each feature holds one value per field.
    pub fields: Vec<String>,
    /// The field the features' names come from, if one was found.
    pub name_field: Option<usize>,
    /// What the layer mostly holds.
    pub geometry: GeometryKind,
    pub style: UserStyle,
    /// The categories of `style.category_field`, most common first; the last may be "other".
    pub categories: Vec<Category>,
    /// Each feature's category (an index into `categories`), when categorised.
    category_of: Vec<u16>,
    /// The features with a colour or symbol of their own (simplestyle's `marker-color`,
    /// `stroke`, `fill`, `marker-symbol`, as uMap and geojson.io write them), by index.
    own_colour: HashMap<u32, [u8; 3]>,
    own_symbol: HashMap<u32, PointSymbol>,
    /// What the reader noted (the encoding it read, the columns it took the coordinates from).
    pub notes: Vec<super::Text>,
    /// The reader changed or left out some of the data (a note says what): a command that
    /// reads the layer exits with 1.
    pub altered: bool,
    /// For a table: the columns and swap it was read with (remembered with the layer).
    pub csv: CsvOptions,
    /// Edited in the window since it was read or last saved: its row says so and closing asks.
    pub drawn: bool,
    /// Made in the window (a sketch) and in no file yet: not remembered in the state.
    pub sketch: bool,
    /// Open for edits: its features can be drawn into, moved, reshaped and deleted (a sketch
    /// layer always; a file's layer once the user opens it, as QGIS's "Toggle editing").
    pub editable: bool,
    /// A database or service layer: the box (WGS-84) its features were read within (`None`:
    /// whole), and when (its refresh interval counts from then).
    pub read_within: Option<geo::Rect>,
    pub read_at: Option<std::time::Instant>,
    /// A file's table too big to hold, read for the view through its spatial index (a
    /// GeoPackage's R-tree), as a database's table is.
    pub by_view: bool,
    /// A database or service layer whose last read failed: why (its last data, or the copy kept
    /// on disk, is shown greyed).
    pub stale: Option<super::Text>,
}

/// How a table's coordinates were read: which columns (`None`: detected), and whether they
/// were swapped (`None`: when they look exchanged). Kept with the layer, so that it reads the
/// same way again.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct CsvOptions {
    pub lon: Option<String>,
    pub lat: Option<String>,
    pub wkt: Option<String>,
    pub swap: Option<bool>,
    /// A workbook's sheet (`None`: the first one with a table).
    pub sheet: Option<String>,
}

/// A user's feature: one value per field of its layer (empty where the file had none).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct UserFeature {
    pub values: Values,
}

/// A feature's field values, packed in one allocation: the values' end offsets, then their
/// text. A layer of a million rows holds a million of these; a `Vec<String>` of five values
/// was six allocations and 120 bytes of headers per row, this is one and 16 bytes.
#[derive(Clone, PartialEq, Eq, Default, Hash)]
pub struct Values {
    /// The count `n`, then `n` end offsets into the text that follows them (little-endian
    /// u32s), then the text.
    packed: Box<[u8]>,
}

impl Values {
    const OFFSET: usize = std::mem::size_of::<u32>();

    /// The values, in order. Texts are at most 4 GiB together (a row of a file is far less).
    pub fn new<S: AsRef<str>>(values: &[S]) -> Self {
        values.iter().map(AsRef::as_ref).collect()
    }

    pub fn len(&self) -> usize {
        self.word(0)
    }

    /// The `at`-th header word (0: the count; `1 + i`: the end of value `i`).
    fn word(&self, at: usize) -> usize {
        let at = Self::OFFSET * at;
        self.packed
            .get(at..at + Self::OFFSET)
            .and_then(|word| word.try_into().ok())
            .map_or(0, |word| u32::from_le_bytes(word) as usize)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The `index`-th value, if there is one.
    pub fn get(&self, index: usize) -> Option<&str> {
        let count = self.len();
        if index >= count {
            return None;
        }
        let text = self.packed.get(Self::OFFSET * (1 + count)..)?;
        let start = if index == 0 { 0 } else { self.word(index) };
        // Built from `&str`s only, so every slice is UTF-8.
        text.get(start..self.word(1 + index))
            .and_then(|bytes| std::str::from_utf8(bytes).ok())
    }

    pub fn iter(&self) -> ValuesIter<'_> {
        ValuesIter {
            values: self,
            next: 0,
            len: self.len(),
        }
    }

    pub fn to_vec(&self) -> Vec<String> {
        self.iter().map(str::to_string).collect()
    }

    /// Sets the `index`-th value, adding empty ones before it when the row is shorter.
    pub fn set(&mut self, index: usize, value: &str) {
        let mut values = self.to_vec();
        if values.len() <= index {
            values.resize(index + 1, String::new());
        }
        values[index] = value.to_string();
        *self = Self::new(&values);
    }

    /// Makes the row `len` values long: empty ones added, or the last ones dropped.
    pub fn resize(&mut self, len: usize) {
        if len != self.len() {
            let mut values = self.to_vec();
            values.resize(len, String::new());
            *self = Self::new(&values);
        }
    }

    /// The row with `value` added at its end.
    pub fn push(&mut self, value: &str) {
        let len = self.len();
        self.set(len, value);
    }
}

impl<'a> FromIterator<&'a str> for Values {
    fn from_iter<I: IntoIterator<Item = &'a str>>(values: I) -> Self {
        let values: Vec<&str> = values.into_iter().collect();
        let text: usize = values.iter().map(|v| v.len()).sum();
        let mut packed = Vec::with_capacity(Self::OFFSET * (1 + values.len()) + text);
        packed.extend_from_slice(&(values.len() as u32).to_le_bytes());
        let mut end = 0usize;
        for value in &values {
            end += value.len();
            packed.extend_from_slice(&(end as u32).to_le_bytes());
        }
        for value in &values {
            packed.extend_from_slice(value.as_bytes());
        }
        Self {
            packed: packed.into_boxed_slice(),
        }
    }
}

impl From<Vec<String>> for Values {
    fn from(values: Vec<String>) -> Self {
        Self::new(&values)
    }
}

impl<S: AsRef<str>> PartialEq<[S]> for Values {
    fn eq(&self, other: &[S]) -> bool {
        self.len() == other.len() && self.iter().zip(other).all(|(a, b)| a == b.as_ref())
    }
}

impl<S: AsRef<str>, const N: usize> PartialEq<[S; N]> for Values {
    fn eq(&self, other: &[S; N]) -> bool {
        self == other.as_slice()
    }
}

impl<S: AsRef<str>> PartialEq<Vec<S>> for Values {
    fn eq(&self, other: &Vec<S>) -> bool {
        self == other.as_slice()
    }
}

impl std::ops::Index<usize> for Values {
    type Output = str;

    fn index(&self, index: usize) -> &str {
        match self.get(index) {
            Some(value) => value,
            None => panic!("value {index} of a row of {}", self.len()),
        }
    }
}

impl std::fmt::Debug for Values {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<'a> IntoIterator for &'a Values {
    type Item = &'a str;
    type IntoIter = ValuesIter<'a>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

/// A row's values in order.
pub struct ValuesIter<'a> {
    values: &'a Values,
    next: usize,
    len: usize,
}

impl<'a> Iterator for ValuesIter<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        if self.next >= self.len {
            return None;
        }
        self.next += 1;
        Some(self.values.get(self.next - 1).unwrap_or_default())
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.len - self.next;
        (left, Some(left))
    }
}

impl ExactSizeIterator for ValuesIter<'_> {}

impl UserLayer {
    pub fn new(name: String, path: PathBuf, format: UserFormat, datum: Datum) -> Self {
        Self {
            name,
            path,
            format,
            datum,
            system: None,
            fields: Vec::new(),
            name_field: None,
            geometry: GeometryKind::Points,
            style: UserStyle::default(),
            categories: Vec::new(),
            category_of: Vec::new(),
            own_colour: HashMap::new(),
            own_symbol: HashMap::new(),
            notes: Vec::new(),
            altered: false,
            csv: Default::default(),
            drawn: false,
            sketch: false,
            editable: false,
            read_within: None,
            by_view: false,
            read_at: None,
            stale: None,
        }
    }

    /// Whether it is read from a server — a PostGIS database or a feature service — (read-only
    /// here, read within the view, refreshed from the server).
    /// Read for the view and again as it moves: a database's or a service's layer, or a file's
    /// table too big to hold.
    pub fn is_remote(&self) -> bool {
        self.by_view
            || matches!(
                self.format,
                UserFormat::PostGis | UserFormat::OgcApi | UserFormat::Wfs
            )
    }

    pub fn geometry_kind(&self) -> GeometryKind {
        self.geometry
    }

    /// Sets what the layer mostly holds from its features' shapes.
    pub fn set_geometry_kind(&mut self, features: &super::Features) {
        let mut counts = [0usize; 3];
        for shape in features.shapes() {
            counts[match *shape {
                super::Shape::Point(_) => 0,
                super::Shape::Lines(_) => 1,
                super::Shape::Area(_) => 2,
            }] += 1;
        }
        // Most features decide; on a tie the area (a plot and its pin) or the line wins.
        let most = (0..3).max_by_key(|&i| (counts[i], i)).unwrap_or(0);
        self.geometry = [
            GeometryKind::Points,
            GeometryKind::Lines,
            GeometryKind::Areas,
        ][most];
    }

    /// The name of the system the layer was read in: the file's own ("CGCS2000"), else its
    /// datum's.
    pub fn system_name(&self) -> &str {
        self.system.as_deref().unwrap_or(self.datum.name())
    }

    pub fn field_index(&self, name: &str) -> Option<usize> {
        self.fields.iter().position(|field| field == name)
    }

    /// Colours the features by `field` (`None`: one colour for all), most common value first;
    /// values past [`MAX_CATEGORIES`] share "other".
    /// Also reads each feature's own colour and symbol, where it has them.
    pub fn categorise(&mut self, field: Option<String>, features: &super::Features) {
        self.categorise_by(field, features);
        self.read_own_styles(features);
    }

    /// The features' own colours and symbols, from their simplestyle fields (a layer without
    /// those fields costs nothing here).
    fn read_own_styles(&mut self, features: &super::Features) {
        self.own_colour.clear();
        self.own_symbol.clear();
        let column = |name: &str| self.field_index(name);
        let (marker, stroke, fill, symbol) = (
            column(MARKER_COLOR),
            column("stroke"),
            column("fill"),
            column(MARKER_SYMBOL),
        );
        if [marker, stroke, fill, symbol].iter().all(Option::is_none) {
            return;
        }
        for (index, feature) in features.iter().enumerate() {
            let Some(user) = feature.user() else {
                continue;
            };
            let value = |column: Option<usize>| column.and_then(|c| user.values.get(c));
            let colour = match feature.shape {
                super::Shape::Point(_) => value(marker).and_then(hex_colour),
                super::Shape::Lines(_) => value(stroke).and_then(hex_colour),
                super::Shape::Area(_) => value(fill)
                    .and_then(hex_colour)
                    .or_else(|| value(stroke).and_then(hex_colour)),
            };
            if let Some(colour) = colour {
                self.own_colour.insert(index as u32, colour);
            }
            if let Some(symbol) = value(symbol).and_then(PointSymbol::named) {
                self.own_symbol.insert(index as u32, symbol);
            }
        }
    }

    /// The symbol point `index` is drawn with: its own, else the layer's.
    pub fn symbol_of(&self, index: usize) -> PointSymbol {
        self.own_symbol
            .get(&(index as u32))
            .copied()
            .unwrap_or(self.style.symbol)
    }

    fn categorise_by(&mut self, field: Option<String>, features: &super::Features) {
        self.categories.clear();
        self.category_of.clear();
        let column = field.as_deref().and_then(|f| self.field_index(f));
        self.style.category_field = column.and(field);
        let Some(column) = column else {
            return;
        };
        let value_of = |index: usize| features.value(index, column).unwrap_or_default();
        // Keyed by owned text: a value is copied once, when first met.
        let mut counts: HashMap<String, usize> = HashMap::new();
        for index in 0..features.len() {
            let value = value_of(index);
            match counts.get_mut(value.as_ref()) {
                Some(count) => *count += 1,
                None => {
                    counts.insert(value.into_owned(), 1);
                }
            }
        }
        let mut values: Vec<(String, usize)> = counts.into_iter().collect();
        values.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let other = values.len() > MAX_CATEGORIES;
        let kept = if other {
            MAX_CATEGORIES - 1
        } else {
            values.len()
        };
        let mut slot: HashMap<&str, u16> = HashMap::new();
        for (n, (value, count)) in values.iter().take(kept).enumerate() {
            slot.insert(value.as_str(), n as u16);
            self.categories.push(Category {
                value: value.to_string(),
                color: PALETTE[n % PALETTE.len()],
                count: *count,
            });
        }
        if other {
            self.categories.push(Category {
                value: String::new(),
                color: OTHER,
                count: values[kept..].iter().map(|(_, count)| count).sum(),
            });
        }
        let other_slot = (self.categories.len() - 1) as u16;
        self.category_of = (0..features.len())
            .map(|index| {
                slot.get(value_of(index).as_ref())
                    .copied()
                    .unwrap_or(other_slot)
            })
            .collect();
    }

    /// Whether the last category gathers the values past [`MAX_CATEGORIES`].
    pub fn has_other(&self) -> bool {
        self.categories.len() == MAX_CATEGORIES
            && self.categories.last().is_some_and(|c| c.color == OTHER)
    }

    /// Feature `index`'s category (an index into `categories`), when categorised.
    pub fn category_of(&self, index: usize) -> Option<u16> {
        self.category_of.get(index).copied()
    }

    /// The colour feature `index` is drawn in.
    pub fn color_of(&self, index: usize) -> [u8; 3] {
        if !self.own_colour.is_empty()
            && let Some(colour) = self.own_colour.get(&(index as u32))
        {
            return *colour;
        }
        self.category_of
            .get(index)
            .and_then(|&slot| self.categories.get(slot as usize))
            .map_or(self.style.color, |category| category.color)
    }

    /// Which fields hold numbers: every value written as a number is (an empty one is no
    /// value), and one at least is. "007" and "1.50" are text: written as numbers they
    /// would change.
    pub fn numeric_fields(&self, features: &super::Features) -> Vec<bool> {
        // Column by column, each read until a cell that is not a number (a table's column of
        // decimals not at all): no feature is made.
        (0..self.fields.len())
            .map(|column| {
                if features.numbers(column).is_some() {
                    return true;
                }
                let mut any = false;
                for index in 0..features.len() {
                    let Some(value) = features.value(index, column) else {
                        continue;
                    };
                    let value = value.trim();
                    if value.is_empty() {
                        continue;
                    }
                    if !is_number(value) {
                        return false;
                    }
                    any = true;
                }
                any
            })
            .collect()
    }

    /// A feature's value of a field by name.
    pub fn value<'a>(&self, feature: &'a super::Feature, field: &str) -> Option<&'a str> {
        let column = self.field_index(field)?;
        feature.user()?.values.get(column)
    }
}

/// A placemark's own colour and symbol (simplestyle's names).
pub const MARKER_COLOR: &str = "marker-color";
pub const MARKER_SYMBOL: &str = "marker-symbol";

/// The fields that make a feature a note on the map (named as simplestyle names its
/// properties): its text is its name, written at its point (or at the first vertex of a line,
/// whose last vertex the leader arrow points to) in this size (points), colour and halo.
pub const NOTE_SIZE: &str = "note-size";
pub const NOTE_COLOR: &str = "note-color";
/// `#rrggbb`, or `none` for no halo.
pub const NOTE_HALO: &str = "note-halo";

/// A note as it is drawn.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Note<'a> {
    pub text: &'a str,
    pub size: f32,
    pub color: [u8; 3],
    pub halo: Option<[u8; 3]>,
}

impl UserLayer {
    /// `feature` as a note, when it is one (its `note-size` is a size from 6 to 96 points).
    pub fn note<'a>(&self, feature: &'a super::Feature) -> Option<Note<'a>> {
        let size: f32 = self.value(feature, NOTE_SIZE)?.trim().parse().ok()?;
        if !(6.0..=96.0).contains(&size) {
            return None;
        }
        let text = match self.name_field {
            Some(column) => feature.user()?.values.get(column)?,
            None => feature.name.zh.as_str(),
        };
        let color = (self.value(feature, NOTE_COLOR))
            .and_then(hex_colour)
            .unwrap_or([0x1b, 0x1b, 0x1f]);
        let halo = match self.value(feature, NOTE_HALO).map(str::trim) {
            Some("none") => None,
            other => Some(other.and_then(hex_colour).unwrap_or([0xff, 0xff, 0xff])),
        };
        Some(Note {
            text,
            size,
            color,
            halo,
        })
    }
}

/// `#rrggbb` as a colour.
pub fn hex_colour(text: &str) -> Option<[u8; 3]> {
    let hex = text.trim().strip_prefix('#')?;
    if hex.len() != 6 || !hex.is_ascii() {
        return None;
    }
    let byte = |at: usize| u8::from_str_radix(&hex[at..at + 2], 16).ok();
    Some([byte(0)?, byte(2)?, byte(4)?])
}

/// Whether `value` is a number as it is written: it reads as one and writes back the same.
pub fn is_number(value: &str) -> bool {
    if let Ok(integer) = value.parse::<i64>() {
        return integer.to_string() == value;
    }
    value
        .parse::<f64>()
        .is_ok_and(|number| number.is_finite() && number.to_string() == value)
}

/// The colour of the values past the named categories.
pub const OTHER: [u8; 3] = [0x8c, 0x8c, 0x8c];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Feature, FeatureKind, Shape, Text};

    /// A row's values come back as they went in, empty and multi-byte ones included, and
    /// setting one past the end pads the row.
    #[test]
    fn packed_values_keep_every_value() {
        let row = ["E0000001", "", "企业 1 号", "106.300000", "🏭"];
        let mut values = Values::new(&row);
        assert_eq!(values.len(), 5);
        assert_eq!(values, row);
        assert_eq!(values.get(2), Some("企业 1 号"));
        assert_eq!(values.get(1), Some(""));
        assert_eq!(values.get(5), None);
        assert_eq!(values.iter().collect::<Vec<_>>(), row);
        values.set(1, "软件");
        values.set(6, "末");
        assert_eq!(
            values,
            [
                "E0000001",
                "软件",
                "企业 1 号",
                "106.300000",
                "🏭",
                "",
                "末"
            ]
        );
        values.resize(2);
        assert_eq!(values, ["E0000001", "软件"]);
        assert!(Values::default().is_empty());
        assert_eq!(Values::default().get(0), None);
        assert_eq!(Values::new(&[""; 3]), ["", "", ""]);
    }

    fn feature(kind: &str) -> Feature {
        Feature {
            id: String::new(),
            name: Text::default(),
            label: Text::default(),
            label_point: None,
            rank: 0,
            kind: FeatureKind::User(UserFeature {
                values: Values::new(&[kind]),
            }),
            shape: Shape::Point(geo::Point::new(106.0, 29.0)),
        }
    }

    #[test]
    fn categories_are_most_common_first_and_the_rest_share_other() {
        let mut features: Vec<Feature> = (0..20).map(|n| feature(&format!("kind {n}"))).collect();
        features.extend((0..5).map(|_| feature("common")));
        let features = crate::model::Features::from(features);
        let mut layer = UserLayer::new("t".into(), "t.csv".into(), UserFormat::Csv, Datum::Wgs84);
        layer.fields = vec!["kind".into()];
        layer.categorise(Some("kind".into()), &features);
        assert_eq!(layer.categories.len(), MAX_CATEGORIES);
        assert_eq!(layer.categories[0].value, "common");
        assert_eq!(layer.categories[0].count, 5);
        assert!(layer.has_other());
        let total: usize = layer.categories.iter().map(|c| c.count).sum();
        assert_eq!(total, features.len());
        // The common value's colour, and "other" for a rare one past the twelfth.
        assert_eq!(layer.color_of(24), PALETTE[0]);
        assert_eq!(layer.color_of(19), OTHER);
        // No field: one colour for all.
        layer.categorise(None, &features);
        assert!(layer.categories.is_empty());
        assert_eq!(layer.color_of(24), layer.style.color);
    }
}
