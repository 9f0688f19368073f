//! What is wrong with one feature of a file (or one row of a table), as a value: the kinds a
//! file's feature problems are grouped by, each said in both languages by one `match`, so that
//! a kind without its Chinese cannot be written. The particulars of one feature ("ring 2 is not
//! closed") are a [`Text`] in both languages, written where the reader finds them; a file's
//! name, a field's name and a library's words go in as they are.

use crate::model::Text;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Fault {
    // ---- GeoJSON: the JSON of a feature ---------------------------------------------------
    ShortPosition,
    NotANumber,
    NumberTooLarge,
    ArraysTooDeep,
    WrongNesting,
    WrongValueKind,
    FeatureNotJson,
    /// A record of GeoJSON text sequences (one feature a line).
    RecordNotJson,
    RecordNotGeoJson,
    // ---- GeoJSON: a feature's members ----------------------------------------------------
    UnknownFeatureType,
    NoFeatureType,
    PropertiesNotObject,
    CollectionsTooDeep,
    UnknownGeometryType,
    NoCoordinates,
    NotLonLat,
    SinglePosition,
    RingNotClosed,
    BadBbox,
    /// A note, not a problem: the feature loaded without them.
    ShortRingsLeftOut,
    // ---- The user's layers ---------------------------------------------------------------
    PropertiesUnreadable,
    RowUnreadable,
    CoordinatesMissing,
    CoordinatesNotNumbers,
    CoordinatesOutOfRange,
    GeometryMissing,
    GeometryNotWkt,
    GeometryEmpty,
    GeometryUnreadable,
    ShapeUnreadable,
    MultiPatch,
    NotConvertible,
    /// A sheet's cell holding an error value (#N/A, #DIV/0!): the row is read without it.
    CellError,
    /// A GeoPackage geometry whose header's envelope does not hold it: read by its WKB.
    EnvelopeMismatch,
    // ---- The atlas's own files -----------------------------------------------------------
    /// A feature that does not follow the atlas's schema: what it lacks, in both languages.
    Schema(Text),
}

impl Fault {
    /// The kind in both languages.
    pub fn text(&self) -> Text {
        use Fault::*;
        let (zh, en) = match self {
            ShortPosition => (
                "坐标位置少于两个数",
                "a position has fewer than two numbers",
            ),
            NotANumber => ("坐标不是数字", "a coordinate is not a number"),
            NumberTooLarge => ("坐标数值过大", "a coordinate is too large a number"),
            ArraysTooDeep => ("数组嵌套过深", "arrays nest too deeply"),
            WrongNesting => (
                "坐标的嵌套层数与几何类型不符",
                "coordinates are not nested as the geometry type says",
            ),
            WrongValueKind => ("成员的值类型不对", "a member has the wrong kind of value"),
            FeatureNotJson => ("要素不是有效的 JSON", "a feature is not valid JSON"),
            RecordNotJson => ("记录不是有效的 JSON", "a record is not valid JSON"),
            RecordNotGeoJson => ("记录不是 GeoJSON", "a record is not GeoJSON"),
            UnknownFeatureType => ("要素的类型未知", "a feature has an unknown type"),
            NoFeatureType => ("要素没有 type", "a feature has no type"),
            PropertiesNotObject => ("properties 不是对象", "properties are not an object"),
            CollectionsTooDeep => ("几何集合嵌套过深", "geometry collections nest too deeply"),
            UnknownGeometryType => ("几何类型未知", "a geometry has an unknown type"),
            NoCoordinates => ("几何没有坐标", "a geometry has no coordinates"),
            NotLonLat => (
                "坐标位置不是经纬度",
                "a position is not a longitude/latitude",
            ),
            SinglePosition => ("线只有一个坐标位置", "a line has a single position"),
            RingNotClosed => (
                "环的终点不是起点（未闭合）",
                "a ring does not end where it starts",
            ),
            BadBbox => ("`bbox` 不是 4 个或 6 个数", "a bbox is not 4 or 6 numbers"),
            ShortRingsLeftOut => (
                "少于四个位置的环已略去",
                "rings of fewer than four positions were left out",
            ),
            PropertiesUnreadable => ("属性无法读取", "properties cannot be read"),
            RowUnreadable => ("无法读取", "cannot be read"),
            CoordinatesMissing => ("缺少坐标", "coordinates missing"),
            CoordinatesNotNumbers => ("坐标不是数字", "coordinates are not numbers"),
            CoordinatesOutOfRange => ("坐标超出范围", "coordinates out of range"),
            GeometryMissing => ("缺少几何", "geometry missing"),
            GeometryNotWkt => ("几何不是 WKT", "geometry is not WKT"),
            GeometryEmpty => ("几何为空", "geometry is empty"),
            GeometryUnreadable => ("几何无法读取", "its geometry cannot be read"),
            ShapeUnreadable => ("形状无法读取", "its shape cannot be read"),
            MultiPatch => (
                "是 MultiPatch（三维曲面），面状地图无法绘制",
                "is a MultiPatch (a 3-D surface), which a map of areas cannot draw",
            ),
            NotConvertible => ("坐标无法转换", "its coordinates cannot be converted"),
            EnvelopeMismatch => (
                "几何头中的外包框与几何不符，按几何本身读取",
                "its header's envelope does not hold the geometry, which is read as it is",
            ),
            CellError => (
                "单元格为错误值，该格按空值读取",
                "a cell holds an error value, read as empty",
            ),
            Schema(text) => return text.clone(),
        };
        Text::new(zh, en)
    }

    /// Every kind but [`Fault::Schema`] (whose words are its own), for the test that each is
    /// said in both languages.
    pub const EVERY: [Fault; 34] = [
        Fault::ShortPosition,
        Fault::NotANumber,
        Fault::NumberTooLarge,
        Fault::ArraysTooDeep,
        Fault::WrongNesting,
        Fault::WrongValueKind,
        Fault::FeatureNotJson,
        Fault::RecordNotJson,
        Fault::RecordNotGeoJson,
        Fault::UnknownFeatureType,
        Fault::NoFeatureType,
        Fault::PropertiesNotObject,
        Fault::CollectionsTooDeep,
        Fault::UnknownGeometryType,
        Fault::NoCoordinates,
        Fault::NotLonLat,
        Fault::SinglePosition,
        Fault::RingNotClosed,
        Fault::BadBbox,
        Fault::ShortRingsLeftOut,
        Fault::PropertiesUnreadable,
        Fault::RowUnreadable,
        Fault::CoordinatesMissing,
        Fault::CoordinatesNotNumbers,
        Fault::CoordinatesOutOfRange,
        Fault::GeometryMissing,
        Fault::GeometryNotWkt,
        Fault::GeometryEmpty,
        Fault::GeometryUnreadable,
        Fault::ShapeUnreadable,
        Fault::MultiPatch,
        Fault::NotConvertible,
        Fault::CellError,
        Fault::EnvelopeMismatch,
    ];
}

/// Words that are the same in both languages: a library's or the system's, a value.
pub fn same(words: impl Into<String>) -> Text {
    let words = words.into();
    Text {
        zh: words.clone(),
        en: words,
    }
}

/// No particulars.
pub fn nothing() -> Text {
    Text::default()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every kind is said in Chinese, not in English again: what is left of the Chinese once
    /// the format's own names (in backticks) and the technical words are out has no Latin
    /// letter.
    #[test]
    fn every_kind_is_said_in_both_languages() {
        for fault in Fault::EVERY {
            let said = fault.text();
            assert!(!said.en.is_empty() && said.zh != said.en, "{fault:?}");
            let rest: String = said
                .zh
                .split('`')
                .step_by(2)
                .collect::<String>()
                .replace("GeoJSON", "")
                .replace("JSON", "")
                .replace("WKT", "")
                .replace("MultiPatch", "")
                .replace("properties", "")
                .replace("type", "");
            assert!(
                !rest.chars().any(|c| c.is_ascii_alphabetic()),
                "{fault:?}: {}",
                said.zh
            );
        }
    }
}
