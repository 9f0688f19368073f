//! GeoJSON (RFC 7946) to features, holding against anything: the root may be a
//! FeatureCollection, a Feature or a bare geometry, or a sequence of them (RFC 8142 text
//! sequences, or one per line); ids may be strings or numbers; a `null` geometry is an
//! unlocated feature; extra position dimensions and foreign members are ignored. A feature
//! whose geometry or properties cannot be read costs only itself: it is reported with its
//! index, id, line and what is wrong, and the others load. Positions are checked before any
//! conversion (the `geojson` crate indexes `[1]` of a one-number position and panics).

use std::fmt;
use std::sync::OnceLock;

use geo::{
    Coord, Geometry, GeometryCollection, LineString, MultiLineString, MultiPoint, MultiPolygon,
    Point, Polygon,
};
use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use super::problems::{Problems, json_error};
use crate::geodata::Problem as FileProblem;
use crate::geodata::fault::{Fault, same};
use crate::model::Text;

/// A JSON object whose members are named once each: a name given twice is refused (RFC 8259
/// leaves it undefined; serde_json would silently keep the last).
struct UniqueKeys(Map<String, Value>);

impl<'de> Deserialize<'de> for UniqueKeys {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Members;
        impl<'de> Visitor<'de> for Members {
            type Value = UniqueKeys;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a map")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<UniqueKeys, A::Error> {
                let mut members = Map::new();
                while let Some(key) = map.next_key::<String>()? {
                    let value: Value = map.next_value()?;
                    if members.contains_key(&key) {
                        return Err(de::Error::custom(format_args!("duplicate field `{key}`")));
                    }
                    members.insert(key, value);
                }
                Ok(UniqueKeys(members))
            }
        }
        deserializer.deserialize_map(Members)
    }
}

/// One feature as read: where it was, its id, its properties and its geometry (`None`: an
/// unlocated feature, listed but not drawn).
#[derive(Debug, Clone)]
pub struct RawFeature {
    /// Its position among the file's features (0-based).
    pub index: usize,
    /// The line it starts on.
    pub line: usize,
    pub id: Option<String>,
    /// The properties as written, read when first asked for: a big file's properties are
    /// then held as compact text, not as a map per feature.
    properties_json: Option<Box<RawValue>>,
    /// Boxed: most features never parse theirs, and a big file has a million.
    properties: OnceLock<Box<Result<Map<String, Value>, Text>>>,
    pub geometry: Option<Geometry>,
}

impl Default for Document {
    fn default() -> Self {
        Self {
            features: Vec::new(),
            located: true,
            problems: Problems::default(),
            notes: Problems::default(),
        }
    }
}

/// Finds the line of each feature of a document read the fast way, when something is to be
/// said about one of them. `text` is the text the document was read from.
pub fn locate(document: &mut Document, text: &str) {
    if document.located {
        return;
    }
    document.located = true;
    let line_of = feature_lines(text);
    for feature in &mut document.features {
        feature.line = line_of(feature.index);
    }
    document.problems.relocate(&line_of);
    document.notes.relocate(&line_of);
}

/// The line each feature of a FeatureCollection starts on, by the feature's index.
pub fn feature_lines(text: &str) -> impl Fn(usize) -> usize {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let starts = feature_starts(text);
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    move |index: usize| {
        starts.get(index).map_or(0, |offset| {
            line_starts.partition_point(|&start| start <= *offset)
        })
    }
}

impl Document {
    /// Whether each feature's line is known (else 0, until [`locate`]).
    pub fn lines_known(&self) -> bool {
        self.located
    }
}

impl RawFeature {
    fn new(
        index: usize,
        line: usize,
        id: Option<String>,
        properties_json: Option<Box<RawValue>>,
        geometry: Option<Geometry>,
    ) -> Self {
        Self {
            index,
            line,
            id,
            properties_json,
            properties: OnceLock::new(),
            geometry,
        }
    }

    /// The properties, or what is wrong with them (not an object; text that is not a whole
    /// character).
    pub fn properties(&self) -> Result<&Map<String, Value>, &Text> {
        self.properties
            .get_or_init(|| Box::new(self.parse_properties()))
            .as_ref()
            .as_ref()
    }

    /// The properties parsed now and not kept: for a reader that goes over a big file's
    /// features twice, so that they are never all held as maps at once.
    pub fn parse_properties(&self) -> Result<Map<String, Value>, Text> {
        match &self.properties_json {
            None => Ok(Map::new()),
            Some(json) => serde_json::from_str::<UniqueKeys>(json.get())
                .map(|unique| unique.0)
                .map_err(|error| {
                    let words = super::problems::plain(&error);
                    Text::new(
                        format!("其属性：{}", words.zh),
                        format!("its properties: {}", words.en),
                    )
                }),
        }
    }

    /// The properties, given up by the feature (with their text): a reader that makes its own
    /// values of them frees each feature's as it goes.
    pub fn take_properties(&mut self) -> Result<Map<String, Value>, Text> {
        let properties = match self.properties.take() {
            Some(parsed) => *parsed,
            None => self.parse_properties(),
        };
        self.properties_json = None;
        properties
    }

    /// The feature's id given its properties (see [`Self::id`]).
    pub fn id_in(&self, properties: &Map<String, Value>) -> Option<String> {
        self.id
            .clone()
            .or_else(|| properties.get("id").and_then(id_text))
    }

    pub fn property(&self, key: &str) -> Option<&Value> {
        self.properties().ok()?.get(key)
    }

    /// A property that is text.
    pub fn text(&self, key: &str) -> Option<&str> {
        self.property(key)?.as_str()
    }

    /// The feature's id: the member `id`, else the property `id` (text or a number).
    pub fn id(&self) -> Option<String> {
        self.id
            .clone()
            .or_else(|| self.property("id").and_then(id_text))
    }
}

/// A file's features, and the problems of those that could not be read.
#[derive(Debug)]
pub struct Document {
    pub features: Vec<RawFeature>,
    /// Whether the features' lines are known (see [`locate`]).
    located: bool,
    pub problems: Problems,
    /// What was left out of features that loaded (rings too short to enclose anything).
    pub notes: Problems,
}

/// How deep geometry collections may nest.
const MAX_COLLECTION_DEPTH: usize = 8;

/// A root object, read only as far as telling what it is.
#[derive(Deserialize)]
struct Root<'a> {
    #[serde(rename = "type", default)]
    kind: Option<String>,
    #[serde(borrow, default)]
    features: Option<Vec<&'a RawValue>>,
    #[serde(default)]
    crs: Option<Value>,
    #[serde(default)]
    bbox: Option<Value>,
}

/// A FeatureCollection read in one pass, each feature handed to the reader as it is read.
struct FastRoot<'r, 't> {
    reader: &'r mut Reader<'t>,
}

/// What the root said besides its features.
struct FastRootMembers {
    kind: Option<String>,
    crs: Option<Value>,
    bbox: Option<Value>,
    /// Whether it had a `features` array.
    features: bool,
}

impl FastRootMembers {
    /// What is wrong with the root's own members: a system other than WGS-84, a bad bbox.
    fn problem(&self) -> Result<(), FileProblem> {
        check_crs(self.crs.as_ref())
            .and_then(|()| bbox_problem(self.bbox.as_ref()).map_or(Ok(()), Err))
    }
}

impl<'de> DeserializeSeed<'de> for FastRoot<'_, '_> {
    type Value = FastRootMembers;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for FastRoot<'_, '_> {
    type Value = FastRootMembers;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a GeoJSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<FastRootMembers, A::Error> {
        let mut members = FastRootMembers {
            kind: None,
            crs: None,
            bbox: None,
            features: false,
        };
        while let Some(key) = map.next_key::<String>()? {
            // A member named twice means whatever the reader takes (RFC 8259 leaves it open):
            // refused here, then named with its line by the careful reading.
            let twice = match key.as_str() {
                "type" => members.kind.is_some(),
                "crs" => members.crs.is_some(),
                "bbox" => members.bbox.is_some(),
                "features" => members.features,
                _ => false,
            };
            if twice {
                return Err(de::Error::duplicate_field("type, crs, bbox or features"));
            }
            match key.as_str() {
                "type" => members.kind = Some(map.next_value()?),
                "crs" => members.crs = Some(map.next_value()?),
                "bbox" => members.bbox = Some(map.next_value()?),
                "features" => {
                    map.next_value_seed(Features {
                        reader: &mut *self.reader,
                    })?;
                    members.features = true;
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(members)
    }
}

/// The `features` array, each feature accepted as soon as it is read.
struct Features<'r, 't> {
    reader: &'r mut Reader<'t>,
}

impl<'de> DeserializeSeed<'de> for Features<'_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Features<'_, '_> {
    type Value = ();

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("an array of features")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(feature) = seq.next_element::<FeatureDe>()? {
            self.reader.accept(feature, 0);
        }
        Ok(())
    }
}

/// Where each feature of a valid FeatureCollection starts: the `{` of each object directly
/// inside the root's `features` array. Only called on text serde_json has read whole.
fn feature_starts(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut starts = Vec::new();
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    // The last string closed at depth 1 (a member name of the root), and whether the array
    // opened after it is `features`.
    let mut last_key: (usize, usize) = (0, 0);
    let mut features_depth: Option<usize> = None;
    let mut string_start = 0;
    for (at, &byte) in bytes.iter().enumerate() {
        if in_string {
            if escaped {
                escaped = false;
            } else if byte == b'\\' {
                escaped = true;
            } else if byte == b'"' {
                in_string = false;
                if depth == 1 {
                    last_key = (string_start, at);
                }
            }
            continue;
        }
        match byte {
            b'"' => {
                in_string = true;
                string_start = at + 1;
            }
            b'{' | b'[' => {
                if byte == b'[' && depth == 1 && &text[last_key.0..last_key.1] == "features" {
                    features_depth = Some(depth + 1);
                } else if byte == b'{' && features_depth == Some(depth) {
                    starts.push(at);
                }
                depth += 1;
            }
            b'}' | b']' => {
                depth = depth.saturating_sub(1);
                if features_depth == Some(depth + 1) && byte == b']' {
                    features_depth = None;
                }
            }
            _ => {}
        }
    }
    starts
}

/// A feature, or a bare geometry standing for one: every member optional, read in one pass.
#[derive(Deserialize)]
struct FeatureDe {
    #[serde(rename = "type", default)]
    kind: Option<String>,
    #[serde(default)]
    geometry: Option<GeometryDe>,
    #[serde(default)]
    properties: Option<Box<RawValue>>,
    #[serde(default)]
    id: Option<Value>,
    // A bare geometry's own members.
    #[serde(default)]
    coordinates: Option<Nested>,
    #[serde(default)]
    geometries: Option<Vec<GeometryDe>>,
    #[serde(default)]
    bbox: Option<Value>,
}

#[derive(Deserialize)]
struct GeometryDe {
    #[serde(rename = "type", default)]
    kind: Option<String>,
    #[serde(default)]
    coordinates: Option<Nested>,
    #[serde(default)]
    geometries: Option<Vec<GeometryDe>>,
}

/// Reads a GeoJSON text (a byte-order mark is allowed). A file that is not JSON, not GeoJSON,
/// or in projected coordinates is an error; a feature that cannot be read is a problem.
pub fn parse(text: &str) -> Result<Document, FileProblem> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(FileProblem::FileEmpty);
    }
    let mut reader = Reader {
        text,
        document: Document::default(),
        lines: None,
    };
    if text.contains('\u{1e}') {
        // RFC 8142: each record starts with a record separator.
        for record in text.split('\u{1e}').filter(|r| !r.trim().is_empty()) {
            reader.record(record);
        }
    } else {
        if let Some(fast) = reader.fast_collection(text) {
            return fast.map(|()| reader.document);
        }
        match reader.root(text) {
            Err(RootError::Trailing) => {
                // One object per line (newline-delimited GeoJSON).
                for line in text.lines().filter(|l| !l.trim().is_empty()) {
                    reader.record(line);
                }
            }
            Err(RootError::Message(message) | RootError::Syntax(message)) => return Err(message),
            Ok(()) => {}
        }
    }
    Ok(reader.document)
}

/// A FeatureCollection read from `source` as it streams in, its text never held whole: a
/// big layer's text would otherwise sit beside its features at the peak (73 MB for a file of
/// 73 MB). The bytes are split into the features of the root's `features` array, each parsed
/// as soon as it is complete, and the rest of the root (its `type`, `crs`, `bbox`, with an
/// empty array) parsed at the end. `None` when it is not a plain UTF-8 FeatureCollection of
/// well-formed features (a sequence, a GBK file, a bare feature, a byte-order mark, broken
/// JSON): it is then read whole, as [`parse`] reads it, which says what is wrong. Features
/// come without lines: [`locate`] finds them in the text when something is to be said.
pub fn parse_stream(mut source: impl std::io::Read) -> Option<Result<Document, FileProblem>> {
    let mut reader = Reader {
        text: "",
        document: Document::default(),
        lines: None,
    };
    let mut splitter = Splitter::default();
    let mut chunk = vec![0u8; 1 << 20];
    let mut accept = |element: &[u8]| -> Option<()> {
        let feature: FeatureDe = serde_json::from_slice(element).ok()?;
        reader.accept(feature, 0);
        Some(())
    };
    loop {
        let read = match source.read(&mut chunk) {
            Ok(0) => break,
            Ok(read) => read,
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(_) => return None,
        };
        splitter.feed(&chunk[..read], &mut accept)?;
    }
    if splitter.depth != 0 || splitter.skeleton.is_empty() {
        return None;
    }
    let mut deserializer = serde_json::Deserializer::from_slice(&splitter.skeleton);
    let root = FastRoot {
        reader: &mut reader,
    }
    .deserialize(&mut deserializer)
    .ok()?;
    deserializer.end().ok()?;
    if root.kind.as_deref() != Some("FeatureCollection") || !root.features {
        return None;
    }
    if let Err(message) = root.problem() {
        return Some(Err(message));
    }
    reader.document.located = false;
    Some(Ok(reader.document))
}

/// Splits a FeatureCollection's bytes as they come: each element of the root's `features`
/// array whole, handed on as soon as it closes (from the chunk itself where it lies in one);
/// everything else (the root with an empty array) kept in `skeleton`.
#[derive(Default)]
struct Splitter {
    depth: usize,
    in_string: bool,
    escaped: bool,
    /// The depth inside the `features` array, while in it.
    features_depth: Option<usize>,
    /// The last string closed directly in the root (a member's name), and the one being read.
    last_key: Vec<u8>,
    key: Vec<u8>,
    skeleton: Vec<u8>,
    /// The start of an element that began in an earlier chunk.
    element: Vec<u8>,
    /// The root has closed: only white space may follow.
    ended: bool,
}

impl Splitter {
    /// Takes the next chunk, handing each element completed in it to `accept`; `None` when
    /// the text is not one FeatureCollection object (or `accept` refuses an element).
    fn feed(&mut self, chunk: &[u8], accept: &mut impl FnMut(&[u8]) -> Option<()>) -> Option<()> {
        let mut at = 0;
        while at < chunk.len() {
            let in_element = self.features_depth.is_some_and(|d| self.depth > d);
            let element_starts = self.features_depth == Some(self.depth)
                && !self.in_string
                && matches!(chunk[at], b'{' | b'[');
            if in_element || element_starts {
                at = self.element_until_closed(chunk, at, accept)?;
            } else {
                self.outside_elements(chunk[at])?;
                at += 1;
            }
        }
        Some(())
    }

    /// Reads an element from `chunk[start..]` (from its `{`, or on from the part of it that
    /// came in earlier chunks, kept in `element`) to its end, handing it to `accept`; where it
    /// goes on past the chunk, keeps what came. Returns where reading goes on.
    fn element_until_closed(
        &mut self,
        chunk: &[u8],
        start: usize,
        accept: &mut impl FnMut(&[u8]) -> Option<()>,
    ) -> Option<usize> {
        let Some(closes_at) = self.features_depth else {
            return Some(chunk.len());
        };
        for (offset, &byte) in chunk[start..].iter().enumerate() {
            if self.in_string {
                self.string_byte(byte);
                continue;
            }
            match byte {
                b'"' => self.in_string = true,
                b'{' | b'[' => self.depth += 1,
                b'}' | b']' => {
                    self.depth -= 1;
                    if self.depth == closes_at {
                        let end = start + offset + 1;
                        if self.element.is_empty() {
                            accept(&chunk[start..end])?;
                        } else {
                            self.element.extend_from_slice(&chunk[start..end]);
                            let element = std::mem::take(&mut self.element);
                            accept(&element)?;
                        }
                        return Some(end);
                    }
                }
                _ => {}
            }
        }
        self.element.extend_from_slice(&chunk[start..]);
        Some(chunk.len())
    }

    /// A byte inside a string, its escapes followed: whether it closes the string.
    fn string_byte(&mut self, byte: u8) -> bool {
        if self.escaped {
            self.escaped = false;
        } else if byte == b'\\' {
            self.escaped = true;
        } else if byte == b'"' {
            self.in_string = false;
            return true;
        }
        false
    }

    /// One byte of the root, or of the `features` array between its elements.
    fn outside_elements(&mut self, byte: u8) -> Option<()> {
        let in_array = self.features_depth == Some(self.depth);
        if self.in_string {
            let closed = self.string_byte(byte);
            if self.depth == 1 {
                if closed {
                    self.last_key = std::mem::take(&mut self.key);
                } else {
                    self.key.push(byte);
                }
            }
            self.skeleton.push(byte);
            return Some(());
        }
        if byte.is_ascii_whitespace() {
            if !in_array {
                self.skeleton.push(byte);
            }
            return Some(());
        }
        if self.ended || (self.depth == 0 && byte != b'{') {
            return None;
        }
        if in_array {
            // (An element's `{` or `[` is read by `element_until_closed`.)
            return match byte {
                b',' => Some(()),
                b']' => {
                    self.depth -= 1;
                    self.features_depth = None;
                    self.skeleton.push(byte);
                    Some(())
                }
                // A string, a number or a word where a feature should be.
                _ => None,
            };
        }
        match byte {
            b'"' => {
                self.in_string = true;
                self.key.clear();
            }
            b'{' | b'[' => {
                self.depth += 1;
                if byte == b'[' && self.depth == 2 && self.last_key == b"features" {
                    self.features_depth = Some(self.depth);
                }
            }
            b'}' | b']' => {
                self.depth = self.depth.checked_sub(1)?;
                self.ended = self.depth == 0;
            }
            _ => {}
        }
        self.skeleton.push(byte);
        Some(())
    }
}

/// Why a root object could not be read.
enum RootError {
    /// More JSON follows it: the file is a sequence, one object per line.
    Trailing,
    /// It is not JSON.
    Syntax(FileProblem),
    /// It is JSON, but not GeoJSON.
    Message(FileProblem),
}

struct Reader<'t> {
    text: &'t str,
    document: Document,
    /// Where each line starts, found when a line number is first needed.
    lines: Option<Vec<usize>>,
}

impl<'t> Reader<'t> {
    /// Where `part` (a slice of the text) starts in the text.
    fn offset(&self, part: &str) -> usize {
        (part.as_ptr() as usize).saturating_sub(self.text.as_ptr() as usize)
    }

    fn line_of(&mut self, offset: usize) -> usize {
        let text = self.text;
        let lines = self.lines.get_or_insert_with(|| {
            std::iter::once(0)
                .chain(text.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        });
        lines.partition_point(|&start| start <= offset)
    }

    fn next_index(&self) -> usize {
        self.document.features.len() + self.document.problems.feature_count()
    }

    /// One record of a sequence: a bad one is a problem, the others still load.
    fn record(&mut self, record: &'t str) {
        let index = self.next_index();
        let offset = self.offset(record);
        let said = |problem: FileProblem| Text::new(problem.chinese(), problem.english());
        let outcome = self.root(record.trim_end()).map_err(|error| match error {
            RootError::Trailing => (
                Fault::RecordNotJson,
                Text::new(
                    "记录的 JSON 结束后还有多余的文字",
                    "there is more text after the end of the record's JSON",
                ),
            ),
            RootError::Syntax(problem) => (Fault::RecordNotJson, said(problem)),
            RootError::Message(problem) => (Fault::RecordNotGeoJson, said(problem)),
        });
        if let Err((kind, message)) = outcome {
            let line = self.line_of(offset);
            self.document
                .problems
                .feature(index, None, line, kind, message);
        }
    }

    /// A FeatureCollection whose every feature is well-formed JSON of the right shapes, read in
    /// one pass (the common case, and the fast one). `None`: read it the careful way, feature
    /// by feature, so that a malformed one costs only itself.
    fn fast_collection(&mut self, text: &'t str) -> Option<Result<(), FileProblem>> {
        // Each feature is converted as soon as it is read (lines are found only if something
        // is to be said: scanning for them costs as much as reading the numbers).
        let mut deserializer = serde_json::Deserializer::from_str(text);
        let read = FastRoot { reader: self }.deserialize(&mut deserializer);
        let root = match read.and_then(|root| deserializer.end().map(|()| root)) {
            Ok(root) if root.kind.as_deref() == Some("FeatureCollection") && root.features => root,
            _ => {
                self.document = Document::default();
                return None;
            }
        };
        if let Err(message) = root.problem() {
            return Some(Err(message));
        }
        self.document.located = false;
        if !self.document.problems.is_empty() || !self.document.notes.is_empty() {
            locate(&mut self.document, text);
        }
        Some(Ok(()))
    }

    /// A root object (`json`, a slice of the text): a collection, a feature or a geometry.
    fn root(&mut self, json: &'t str) -> Result<(), RootError> {
        let offset = self.offset(json);
        let root: Root<'t> = serde_json::from_str(json).map_err(|error| {
            if error.to_string().starts_with("trailing characters") {
                RootError::Trailing
            } else if error.is_syntax() || error.is_eof() {
                RootError::Syntax(not_geojson(&error, self.text, offset))
            } else {
                RootError::Message(not_geojson(&error, self.text, offset))
            }
        })?;
        check_crs(root.crs.as_ref()).map_err(RootError::Message)?;
        if let Some(problem) = bbox_problem(root.bbox.as_ref()) {
            return Err(RootError::Message(problem));
        }
        match root.kind.as_deref() {
            Some("FeatureCollection") => {
                let features = root
                    .features
                    .ok_or(RootError::Message(FileProblem::NoFeaturesArray))?;
                for raw in features {
                    self.feature(raw.get());
                }
                Ok(())
            }
            Some(kind) if kind == "Feature" || GEOMETRY_TYPES.contains(&kind) => {
                self.feature(json);
                Ok(())
            }
            Some(other) => Err(RootError::Message(FileProblem::NotGeoJsonType {
                kind: super::problems::shorten(other, 40),
            })),
            None => Err(RootError::Message(FileProblem::NoType)),
        }
    }

    /// One feature (or a bare geometry standing for one).
    fn feature(&mut self, json: &'t str) {
        let index = self.next_index();
        let offset = self.offset(json);
        let line = self.line_of(offset);
        let feature: FeatureDe = match serde_json::from_str(json) {
            Ok(feature) => feature,
            Err(error) => {
                let problem = json_problem(&error, self.text, offset);
                let id = id_of_unreadable(json);
                self.document
                    .problems
                    .feature(index, id, line, problem.kind, problem.detail);
                return;
            }
        };
        self.accept(feature, line);
    }

    /// A feature read: its geometry converted and checked; kept, or reported.
    fn accept(&mut self, feature: FeatureDe, line: usize) {
        let index = self.next_index();
        let id = feature.id.as_ref().and_then(id_text);
        let id_for_problem = || {
            id.clone().or_else(|| {
                id_of_unreadable(&format!(
                    "{{\"properties\":{}}}",
                    feature.properties.as_ref()?.get()
                ))
            })
        };
        let mut dropped = 0;
        let geometry = match feature.kind.as_deref() {
            Some("Feature") => match feature.geometry {
                Some(geometry) => convert(geometry, 0, &mut dropped),
                None => Ok(None),
            },
            Some(kind) if GEOMETRY_TYPES.contains(&kind) => {
                let bare = GeometryDe {
                    kind: feature.kind.clone(),
                    coordinates: feature.coordinates,
                    geometries: feature.geometries,
                };
                convert(bare, 0, &mut dropped)
            }
            Some(other) => Err(Problem::new(Fault::UnknownFeatureType, type_is(other))),
            None => Err(Problem::new(
                Fault::NoFeatureType,
                Text::new("它没有 `type` 成员", "it has no `type` member"),
            )),
        };
        if dropped > 0 && geometry.is_ok() {
            self.document.notes.feature(
                index,
                id_for_problem(),
                line,
                Fault::ShortRingsLeftOut,
                Text::new(
                    format!("本要素中有 {dropped} 个"),
                    format!("{dropped} in this feature"),
                ),
            );
        }
        let geometry = match bbox_problem(feature.bbox.as_ref()) {
            Some(FileProblem::BadBbox { written }) if geometry.is_ok() => Err(Problem::new(
                Fault::BadBbox,
                same(format!("bbox = {written}")),
            )),
            _ => geometry,
        };
        // RFC 7946: properties are an object or null. (Their text is read when first needed.)
        let geometry = match &feature.properties {
            Some(json) if !json.get().starts_with('{') => Err(Problem::new(
                Fault::PropertiesNotObject,
                same(format!(
                    "properties = {}",
                    super::problems::shorten(json.get(), 40)
                )),
            )),
            _ => geometry,
        };
        match geometry {
            Ok(geometry) => {
                let feature = RawFeature::new(index, line, id, feature.properties, geometry);
                self.document.features.push(feature);
            }
            Err(problem) => self.document.problems.feature(
                index,
                id_for_problem(),
                line,
                problem.kind,
                problem.detail,
            ),
        }
    }
}

/// The id of a feature that could not be read, if the rest of it allows finding it.
fn id_of_unreadable(json: &str) -> Option<String> {
    #[derive(Deserialize)]
    struct Ids {
        #[serde(default)]
        id: Option<Value>,
        #[serde(default)]
        properties: Option<PropertyId>,
    }
    #[derive(Deserialize)]
    struct PropertyId {
        #[serde(default)]
        id: Option<Value>,
    }
    let ids: Ids = serde_json::from_str(json).ok()?;
    ids.id
        .as_ref()
        .and_then(id_text)
        .or_else(|| ids.properties?.id.as_ref().and_then(id_text))
}

/// A geometry's coordinates checked and converted, by its type.
fn convert(
    geometry: GeometryDe,
    depth: usize,
    dropped: &mut usize,
) -> Result<Option<Geometry>, Problem> {
    let kind = geometry.kind.as_deref().unwrap_or_default();
    if kind == "GeometryCollection" {
        if depth >= MAX_COLLECTION_DEPTH {
            return Err(Problem::new(
                Fault::CollectionsTooDeep,
                Text::new(
                    format!("超过 {MAX_COLLECTION_DEPTH} 层"),
                    format!("more than {MAX_COLLECTION_DEPTH} levels"),
                ),
            ));
        }
        let mut parts = Vec::new();
        for part in geometry.geometries.into_iter().flatten() {
            parts.extend(convert(part, depth + 1, dropped)?);
        }
        return Ok((!parts.is_empty())
            .then(|| Geometry::GeometryCollection(GeometryCollection::new_from(parts))));
    }
    if !GEOMETRY_TYPES.contains(&kind) {
        return Err(Problem::new(Fault::UnknownGeometryType, type_is(kind)));
    }
    let Some(coordinates) = geometry.coordinates else {
        return Err(Problem::new(
            Fault::NoCoordinates,
            Text::new(
                format!("{kind} 没有 `coordinates` 成员"),
                format!("the {kind} has no `coordinates` member"),
            ),
        ));
    };
    Ok(match kind {
        "Point" => Some(Geometry::Point(Point(coordinates.position()?))),
        "MultiPoint" => {
            let points: Vec<Point> = coordinates
                .list(1)?
                .into_iter()
                .map(|p| p.position().map(Point))
                .collect::<Result<_, _>>()?;
            (!points.is_empty()).then(|| Geometry::MultiPoint(MultiPoint::new(points)))
        }
        "LineString" => line(coordinates)?.map(Geometry::LineString),
        "MultiLineString" => {
            let mut kept = Vec::new();
            for part in coordinates.list(2)? {
                kept.extend(line(part)?);
            }
            (!kept.is_empty()).then(|| Geometry::MultiLineString(MultiLineString::new(kept)))
        }
        "Polygon" => polygon(coordinates, dropped)?.map(Geometry::Polygon),
        _ => {
            let mut kept = Vec::new();
            for part in coordinates.list(3)? {
                kept.extend(polygon(part, dropped)?);
            }
            (!kept.is_empty()).then(|| Geometry::MultiPolygon(MultiPolygon::new(kept)))
        }
    })
}

const GEOMETRY_TYPES: [&str; 7] = [
    "Point",
    "MultiPoint",
    "LineString",
    "MultiLineString",
    "Polygon",
    "MultiPolygon",
    "GeometryCollection",
];

/// What is wrong with one feature: a kind (for grouping) and the particulars.
#[derive(Debug)]
struct Problem {
    kind: Fault,
    detail: Text,
}

impl Problem {
    fn new(kind: Fault, detail: Text) -> Self {
        Self { kind, detail }
    }
}

/// serde's error for a position of fewer than two numbers (its words are ours: see `Position`).
const SHORT_POSITION: &str = "a position has fewer than two numbers";

/// "its type is `Circle`".
fn type_is(kind: &str) -> Text {
    let kind = super::problems::shorten(kind, 40);
    Text::new(
        format!("其类型为 `{kind}`"),
        format!("its type is `{kind}`"),
    )
}

/// Coordinates as written, at any depth, read in one pass whatever the geometry's type (which
/// may come after them): a position (two numbers or more; the third and later are ignored) or
/// a list of nested coordinates. A position with fewer than two numbers is an error where it is.
#[derive(Debug)]
enum Nested {
    Position([f64; 2]),
    /// A list of positions (a line or a ring), kept flat: one allocation, not one per position.
    Positions(Vec<[f64; 2]>),
    List(Vec<Nested>),
}

impl Nested {
    /// This as a longitude/latitude position.
    fn position(self) -> Result<Coord, Problem> {
        match self {
            Nested::Position([x, y]) => checked(x, y),
            Nested::List(_) | Nested::Positions(_) => Err(Problem::new(
                Fault::WrongNesting,
                Text::new(
                    "此处应为坐标位置，实为列表",
                    "a list where a position was expected",
                ),
            )),
        }
    }

    /// This as a list of positions (a line or a ring).
    fn positions(self) -> Result<Vec<Coord>, Problem> {
        match self {
            Nested::Positions(positions) => {
                positions.into_iter().map(|[x, y]| checked(x, y)).collect()
            }
            Nested::List(items) if items.is_empty() => Ok(Vec::new()),
            _ => Err(Problem::new(
                Fault::WrongNesting,
                Text::new("此处应为坐标位置的列表", "a list of positions was expected"),
            )),
        }
    }

    /// This as a list (of `levels` more levels of nesting, for the message).
    fn list(self, levels: usize) -> Result<Vec<Nested>, Problem> {
        match self {
            Nested::List(items) => Ok(items),
            Nested::Positions(positions) => {
                Ok(positions.into_iter().map(Nested::Position).collect())
            }
            _ => Err(Problem::new(
                Fault::WrongNesting,
                Text::new(
                    format!("此处应再有 {levels} 层括号，实为坐标位置"),
                    format!("a position where {levels} more level(s) of brackets were expected"),
                ),
            )),
        }
    }
}

/// A position as a longitude/latitude, if it is one.
fn checked(x: f64, y: f64) -> Result<Coord, Problem> {
    if (-180.0..=180.0).contains(&x) && (-90.0..=90.0).contains(&y) {
        Ok(Coord { x, y })
    } else {
        Err(Problem::new(
            Fault::NotLonLat,
            Text::new(
                format!(
                    "[{x}, {y}] 超出经度 −180‥180 / 纬度 −90‥90；以米为单位的坐标（投影坐标系）需先转换为 WGS-84 经纬度"
                ),
                format!(
                    "[{x}, {y}] is outside longitude −180‥180 / latitude −90‥90; coordinates in metres (a projected system) must be converted to WGS-84 degrees"
                ),
            ),
        ))
    }
}

/// One element of a coordinates array: a number, or more nesting.
enum Element {
    Number(f64),
    Nested(Nested),
}

struct NestedVisitor;

impl<'de> Visitor<'de> for NestedVisitor {
    type Value = Nested;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("an array of coordinates")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Nested, A::Error> {
        match seq.next_element::<Element>()? {
            None => Ok(Nested::List(Vec::new())),
            Some(Element::Number(x)) => match seq.next_element::<Element>()? {
                Some(Element::Number(y)) => {
                    while seq.next_element::<IgnoredAny>()?.is_some() {}
                    Ok(Nested::Position([x, y]))
                }
                Some(Element::Nested(_)) => {
                    Err(de::Error::custom("a position mixes numbers and arrays"))
                }
                None => Err(de::Error::custom(SHORT_POSITION)),
            },
            Some(Element::Nested(Nested::Position(first))) => {
                let mut positions = Vec::with_capacity(seq.size_hint().unwrap_or(8).min(4096));
                positions.push(first);
                while let Some(item) = seq.next_element::<Element>()? {
                    match item {
                        Element::Nested(Nested::Position(position)) => positions.push(position),
                        // `[]` among positions is a position without numbers.
                        Element::Nested(Nested::List(empty)) if empty.is_empty() => {
                            return Err(de::Error::custom(SHORT_POSITION));
                        }
                        _ => {
                            return Err(de::Error::custom(
                                "a list mixes positions and other things",
                            ));
                        }
                    }
                }
                // Kept as long as the feature: no spare room (a parcel's five positions
                // would otherwise hold eight).
                positions.shrink_to_fit();
                Ok(Nested::Positions(positions))
            }
            Some(Element::Nested(first)) => {
                let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(4).min(4096));
                items.push(first);
                while let Some(item) = seq.next_element::<Element>()? {
                    match item {
                        // Positions after `[]`: that `[]` was a position without numbers.
                        Element::Nested(Nested::Position(_))
                            if items
                                .iter()
                                .all(|i| matches!(i, Nested::List(empty) if empty.is_empty())) =>
                        {
                            return Err(de::Error::custom(SHORT_POSITION));
                        }
                        Element::Nested(nested) => items.push(nested),
                        Element::Number(_) => {
                            return Err(de::Error::custom("a list mixes arrays and numbers"));
                        }
                    }
                }
                Ok(Nested::List(items))
            }
        }
    }
}

impl<'de> Deserialize<'de> for Nested {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_seq(NestedVisitor)
    }
}

impl<'de> Deserialize<'de> for Element {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ElementVisitor;
        impl<'de> Visitor<'de> for ElementVisitor {
            type Value = Element;
            fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
                formatter.write_str("a number or an array")
            }
            fn visit_f64<E>(self, v: f64) -> Result<Element, E> {
                Ok(Element::Number(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Element, E> {
                Ok(Element::Number(v as f64))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Element, E> {
                Ok(Element::Number(v as f64))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Element, A::Error> {
                NestedVisitor.visit_seq(seq).map(Element::Nested)
            }
        }
        deserializer.deserialize_any(ElementVisitor)
    }
}

/// A line: none if empty, a problem if it has one position.
fn line(written: Nested) -> Result<Option<LineString>, Problem> {
    let coords = written.positions()?;
    match coords.len() {
        0 => Ok(None),
        1 => Err(Problem::new(
            Fault::SinglePosition,
            Text::new(
                "LineString 需要两个或更多坐标位置",
                "a LineString needs two positions or more",
            ),
        )),
        _ => Ok(Some(LineString::new(coords))),
    }
}

/// A polygon: none if it has no rings, or its outer ring encloses nothing; a problem if a
/// ring does not end where it starts. A ring of fewer than four positions encloses nothing and
/// is left out (counted in `dropped`). Winding, self-crossings and touching holes are accepted:
/// they are drawn as written.
fn polygon(rings: Nested, dropped: &mut usize) -> Result<Option<Polygon>, Problem> {
    let rings = rings.list(2)?;
    let mut kept = Vec::with_capacity(rings.len());
    for (number, ring) in rings.into_iter().enumerate() {
        let coords = ring.positions()?;
        if coords.len() < 4 {
            *dropped += usize::from(!coords.is_empty());
            if number == 0 {
                return Ok(None);
            }
            continue;
        }
        if coords.first() != coords.last() {
            return Err(Problem::new(
                Fault::RingNotClosed,
                Text::new(
                    format!("环 {number} 未闭合"),
                    format!("ring {number} is not closed"),
                ),
            ));
        }
        kept.push(LineString::new(coords));
    }
    let mut rings = kept.into_iter();
    Ok(rings
        .next()
        .map(|exterior| Polygon::new(exterior, rings.collect())))
}

/// An id as text: a string as is, a number written out; anything else is no id.
fn id_text(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        _ => None,
    }
}

/// A JSON error inside a feature: its kind, and where (and what, when the kind does not say).
fn json_problem(error: &serde_json::Error, text: &str, offset: usize) -> Problem {
    let kind = kind_of_json_error(error);
    let (line, column) = super::problems::json_position(error, text, offset);
    let detail = if error.to_string().starts_with(SHORT_POSITION) {
        Text::new(
            format!("第 {line} 行第 {column} 列"),
            format!("line {line}, column {column}"),
        )
    } else {
        json_error(error, text, offset)
    };
    Problem::new(kind, detail)
}

/// The kind of a JSON error inside a feature, for grouping.
fn kind_of_json_error(error: &serde_json::Error) -> Fault {
    let text = error.to_string();
    if text.starts_with(SHORT_POSITION) {
        Fault::ShortPosition
    } else if text.contains("expected a number")
        || text.contains("expected an array of coordinates")
    {
        Fault::NotANumber
    } else if text.contains("number out of range") {
        Fault::NumberTooLarge
    } else if text.contains("recursion limit") {
        Fault::ArraysTooDeep
    } else if text.contains("expected a sequence") || text.contains("mixes") {
        Fault::WrongNesting
    } else if text.contains("expected a map") || text.contains("invalid type") {
        Fault::WrongValueKind
    } else {
        Fault::FeatureNotJson
    }
}

/// The file-level problem of a root object that cannot be read: where, and serde_json's
/// words for what.
fn not_geojson(error: &serde_json::Error, text: &str, offset: usize) -> FileProblem {
    let (line, column) = super::problems::json_position(error, text, offset);
    FileProblem::JsonAt {
        line,
        column,
        detail: super::problems::plain(error),
    }
}

/// A legacy `crs` member: longitude/latitude names pass; a projected system refuses the file.
/// What is wrong with a `bbox` member, if anything: RFC 7946 makes it 2 × n numbers, the
/// lowest corner then the highest (4 in two dimensions, 6 in three).
fn bbox_problem(bbox: Option<&Value>) -> Option<FileProblem> {
    let bbox = bbox?;
    let numbers = bbox
        .as_array()
        .filter(|items| items.iter().all(|v| v.as_f64().is_some_and(f64::is_finite)));
    match numbers {
        Some(items) if items.len() == 4 || items.len() == 6 => None,
        _ => Some(FileProblem::BadBbox {
            written: super::problems::shorten(&bbox.to_string(), 60),
        }),
    }
}

fn check_crs(crs: Option<&Value>) -> Result<(), FileProblem> {
    let Some(name) = crs
        .and_then(|crs| crs.get("properties"))
        .and_then(|properties| properties.get("name"))
        .and_then(Value::as_str)
    else {
        return Ok(());
    };
    let upper = name.to_ascii_uppercase();
    let geographic = [
        "CRS84",
        "CRS:84",
        "EPSG::4326",
        "EPSG:4326",
        "EPSG::4490",
        "EPSG:4490",
    ];
    if geographic.iter().any(|g| upper.ends_with(g)) {
        return Ok(());
    }
    Err(FileProblem::ProjectedCrs {
        crs: super::problems::shorten(name, 60),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader that gives a few bytes at a time, so that features span chunks.
    struct Trickle<'a>(&'a [u8], usize);

    impl std::io::Read for Trickle<'_> {
        fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
            let n = self.1.min(buffer.len()).min(self.0.len());
            buffer[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    /// Streamed, every file (the atlas's own, the hostile fixtures, a user's) reads as the
    /// whole text reads, in chunks of any size; what is not a plain FeatureCollection is
    /// left to the whole text's reading.
    #[test]
    fn a_streamed_collection_reads_as_the_whole_text_does() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut streamed_files = Vec::new();
        for dir in ["geodata", "tests/data/geojson", "tests/data/user"] {
            let mut paths: Vec<_> = std::fs::read_dir(root.join(dir))
                .expect("folder")
                .filter_map(|entry| Some(entry.ok()?.path()))
                .filter(|path| {
                    path.extension()
                        .is_some_and(|e| e.to_str().is_some_and(|e| e.starts_with("geojson")))
                })
                .collect();
            paths.sort();
            for path in paths {
                let bytes = std::fs::read(&path).expect("read");
                let whole = std::str::from_utf8(&bytes).ok().map(parse);
                for chunk in [1 << 20, 4096, 7] {
                    match parse_stream(Trickle(&bytes, chunk)) {
                        None => {}
                        Some(mut streamed) => {
                            let whole = whole.as_ref().expect("streamed text is UTF-8");
                            // As the layer reader does: lines found when something is said.
                            if let Ok(document) = &mut streamed
                                && (!document.problems.is_empty() || !document.notes.is_empty())
                            {
                                let text = std::str::from_utf8(&bytes).expect("UTF-8");
                                locate(document, text);
                            }
                            assert_eq!(
                                format!(
                                    "{:?}",
                                    streamed
                                        .as_ref()
                                        .map(|d| (&d.features, &d.problems, &d.notes))
                                ),
                                format!(
                                    "{:?}",
                                    whole.as_ref().map(|d| (&d.features, &d.problems, &d.notes))
                                ),
                                "{} in chunks of {chunk}",
                                path.display()
                            );
                            if chunk == 7 {
                                streamed_files.push(path.file_name().expect("name").to_owned());
                            }
                        }
                    }
                }
            }
        }
        let streamed: Vec<_> = streamed_files.iter().map(|n| n.to_string_lossy()).collect();
        for file in [
            "zones.geojson",
            "platforms.geojson",
            "platforms-source.geojson",
            "crs-metres.geojson",
        ] {
            assert!(
                streamed.iter().any(|n| n == file),
                "{file} is streamed: {streamed:?}"
            );
        }
        for file in [
            "utf8-bom.geojson",
            "gbk.geojson",
            "sequence.geojsonl",
            "root-feature.geojson",
            "truncated.geojson",
        ] {
            assert!(
                !streamed.iter().any(|n| n == file),
                "{file} is left to the whole text"
            );
        }
    }

    #[test]
    fn odd_collections_are_left_to_the_whole_texts_reading() {
        let feature = r#"{"type":"Feature","properties":{"features":[1]},"geometry":{"type":"Point","coordinates":[106.3,29.6]}}"#;
        let good = format!(
            r#"{{"features":[{feature},{feature}],"type":"FeatureCollection","name":"a \"features\" [x]"}}"#
        );
        let document = parse_stream(good.as_bytes())
            .expect("streamed")
            .expect("read");
        assert_eq!(document.features.len(), 2);
        for odd in [
            r#"{"type":"FeatureCollection","features":[1]}"#.to_string(),
            r#"{"type":"FeatureCollection","features":["x"]}"#.to_string(),
            format!(r#"{{"type":"FeatureCollection","features":[{feature}]}} {{}}"#),
            format!(r#"{{"type":"FeatureCollection","features":[{feature}"#),
            format!(r#"[{feature}]"#),
            r#"{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[1,]}}]}"#.to_string(),
        ] {
            assert!(parse_stream(odd.as_bytes()).is_none(), "{odd}");
        }
    }

    fn one(text: &str) -> RawFeature {
        let document = parse(text).expect("reads");
        assert!(document.problems.is_empty(), "{:?}", document.problems);
        assert_eq!(document.features.len(), 1);
        document.features.into_iter().next().expect("a feature")
    }

    #[test]
    fn a_single_feature_or_a_bare_geometry_is_a_document() {
        let feature = one(
            r#"{"type":"Feature","id":5001,"properties":{"name":"甲"},"geometry":{"type":"Point","coordinates":[106.3,29.5,300]}}"#,
        );
        assert_eq!(feature.id(), Some("5001".into()));
        assert_eq!(
            feature.geometry,
            Some(Geometry::Point(Point::new(106.3, 29.5)))
        );
        let bare = one(r#"{"type":"LineString","coordinates":[[106,29],[107,30]]}"#);
        assert!(matches!(bare.geometry, Some(Geometry::LineString(_))));
    }

    #[test]
    fn a_null_geometry_is_an_unlocated_feature() {
        let feature = one(r#"{"type":"Feature","properties":{"id":"x"},"geometry":null}"#);
        assert_eq!((feature.id(), feature.geometry), (Some("x".into()), None));
    }

    #[test]
    fn a_short_position_costs_only_its_feature() {
        let text = r#"{"type":"FeatureCollection","features":[
            {"type":"Feature","id":"bad","properties":{},"geometry":{"type":"LineString","coordinates":[[106.3],[107,30]]}},
            {"type":"Feature","id":"good","properties":{},"geometry":{"type":"Point","coordinates":[106,29]}}]}"#;
        let document = parse(text).expect("reads");
        assert_eq!(document.features.len(), 1);
        assert_eq!(document.features[0].id(), Some("good".into()));
        let problems = document.problems.lines(crate::model::Lang::En);
        assert_eq!(problems.len(), 1);
        // The line and column of the position with one number: `[106.3]` ends at column 111.
        assert_eq!(
            problems[0],
            "feature 0 (id bad, line 2): a position has fewer than two numbers — line 2, column 111"
        );
    }

    #[test]
    fn empty_parts_are_dropped_and_the_good_part_kept() {
        let feature = one(
            r#"{"type":"MultiPolygon","coordinates":[[],[[[106,29],[107,29],[107,30],[106,29]]]]}"#,
        );
        let Some(Geometry::MultiPolygon(parts)) = feature.geometry else {
            panic!("a multipolygon")
        };
        assert_eq!(parts.0.len(), 1);
    }

    #[test]
    fn sequences_read_record_by_record() {
        let lines = "{\"type\":\"Point\",\"coordinates\":[106,29]}\n{not json}\n{\"type\":\"Point\",\"coordinates\":[107,30]}\n";
        let document = parse(lines).expect("reads");
        assert_eq!(document.features.len(), 2);
        assert_eq!(document.problems.feature_count(), 1);
        let records = "\u{1e}{\"type\":\"Point\",\"coordinates\":[106,29]}\n\u{1e}{\"type\":\"Point\",\"coordinates\":[107,30]}\n";
        assert_eq!(parse(records).expect("reads").features.len(), 2);
    }

    #[test]
    fn positions_off_the_globe_and_projected_files_are_refused_with_the_reason() {
        let document =
            parse(r#"{"type":"Point","coordinates":[11877000.5,3440000.1]}"#).expect("reads");
        assert!(document.features.is_empty());
        assert!(
            document
                .problems
                .lines(crate::model::Lang::En)
                .join("")
                .contains("metres")
        );
        let error = parse(r#"{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::3857"}},"features":[]}"#)
            .expect_err("projected")
            .english();
        assert!(
            error.contains("EPSG::3857") && error.contains("longitude/latitude"),
            "{error}"
        );
        assert!(parse(r#"{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:OGC:1.3:CRS84"}},"features":[]}"#).is_ok());
    }

    #[test]
    fn not_geojson_says_what_it_is() {
        let refusal = |text: &str| parse(text).expect_err("refused").english();
        assert!(refusal("").contains("empty"));
        assert!(refusal("[1, 2]").contains("line 1"));
        assert!(refusal("{\"a\": 1}").contains("no `type`"));
        // In Chinese: the position in Chinese words, serde_json's (as rewritten) put into
        // Chinese by their phrases, the file's name as it is.
        let cut = parse("{\"type\": \"FeatureCollection\", \"features\": [").expect_err("cut");
        let said = crate::geodata::DataError::new("feature data/pipeline 2.geojson", cut)
            .in_language(crate::model::Lang::Zh);
        assert!(
            said.starts_with("feature data/pipeline 2.geojson: 第 1 行第 ")
                && said.contains("JSON 未完整就结束了"),
            "{said}"
        );
        let error = refusal("{\"type\": \"FeatureCollection\", \"features\": [");
        assert!(
            error.contains("line 1") && !error.contains("Deserialize"),
            "{error}"
        );
    }

    /// A member named twice takes neither value in silence (an object with two `type`s was
    /// read as an empty collection): the file is refused, naming the line.
    #[test]
    fn a_member_named_twice_is_refused_with_its_line() {
        let feature = r#"{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[106.5,29.5]}}"#;
        let text = format!(
            "{{\"type\":\"FeatureCollection\",\"features\":[{feature}],\n\"type\":\"Feature\"}}"
        );
        let problem = parse(&text).expect_err("refused");
        let said = problem.english();
        assert!(
            said.starts_with("line 2") && said.contains("`type` is given twice"),
            "{said}"
        );
        // Once is read as ever.
        let once = format!("{{\"type\":\"FeatureCollection\",\"features\":[{feature}]}}");
        assert_eq!(parse(&once).expect("reads").features.len(), 1);
    }

    /// A `bbox` is 4 or 6 numbers (RFC 7946): another length refuses the file (on the root)
    /// or the feature (on a feature), saying what it was.
    #[test]
    fn a_bbox_of_the_wrong_length_is_refused() {
        let problem = parse(r#"{"type":"FeatureCollection","bbox":[1,2,3],"features":[]}"#)
            .expect_err("refused");
        assert_eq!(
            problem,
            FileProblem::BadBbox {
                written: "[1,2,3]".into()
            }
        );
        let point = r#""geometry":{"type":"Point","coordinates":[106.5,29.5]}"#;
        let text = format!(
            r#"{{"type":"FeatureCollection","bbox":[106,29,107,30],"features":[
{{"type":"Feature","bbox":[1,2,3],{point}}},
{{"type":"Feature","bbox":[106,29,0,107,30,1],{point}}}]}}"#
        );
        let document = parse(&text).expect("reads");
        assert_eq!(document.features.len(), 1, "the 3-D bbox is fine");
        assert_eq!(document.problems.kinds(), &[Fault::BadBbox]);
    }
}
