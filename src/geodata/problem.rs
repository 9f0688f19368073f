//! What is wrong with a file, as a value: each problem a variant with its fields, said in
//! English and in Chinese by one `match` each, so that a problem without its Chinese cannot
//! be written (the compiler asks for it) and a path, a file's name, a library's or the
//! system's own words are put in as they are, never translated.
//!
//! A problem particular to one check (the data folder's, a correction's) is written in both
//! languages where it is found, as a [`crate::model::Text`]; a [`super::DataError`] can be
//! made from nothing else.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    // ---- Any file ------------------------------------------------------------------------
    FileMissing,
    /// The system's words for why a file cannot be read.
    CannotRead {
        error: String,
    },
    /// A folder, a pipe or a device.
    NotRegularFile,
    TooLarge {
        megabytes: u64,
        limit: u64,
    },
    /// The file starts as UTF-16 (`encoding`) but is not.
    NotValidUtf16 {
        encoding: String,
    },
    /// Neither UTF-8, UTF-16 nor GBK: the first byte that is not, where it is.
    NotText {
        byte: u8,
        line: usize,
        column: usize,
    },
    // ---- Shapefiles ----------------------------------------------------------------------
    DbfMissing,
    ShxMissing,
    NotZip {
        error: String,
    },
    ZipHoldsNoShp,
    /// A member (`name`) of an archive ("zip", "KMZ") cannot be found or opened.
    ZipMemberUnreadable {
        archive: &'static str,
        name: String,
        error: String,
    },
    /// A member of an archive cannot be unpacked (it is damaged).
    ZipMemberDamaged {
        archive: &'static str,
        name: String,
        error: String,
    },
    /// A member whose name leads out of the archive (`../x`, `/etc/x`): the archive is refused.
    ZipMemberOutside {
        archive: &'static str,
        name: String,
    },
    ZipMemberTooLarge {
        name: String,
        megabytes: u64,
    },
    ShpUnreadable {
        error: String,
    },
    ShpCorrupt,
    ShapesAndRecordsDiffer {
        shapes: usize,
        records: usize,
    },
    DbfUnreadable {
        error: String,
    },
    // ---- KML and KMZ ---------------------------------------------------------------------
    NotKmz {
        error: String,
    },
    KmzHoldsNoKml,
    /// The XML parser's words for what is wrong.
    NotWellFormedKml {
        error: String,
    },
    /// XML whose root element is `root`.
    /// Elements nested deeper than `limit` (read no further: a parser would need a stack as
    /// deep).
    XmlTooDeep {
        limit: usize,
    },
    NotKml {
        root: String,
    },
    // ---- GeoJSON --------------------------------------------------------------------------
    FileEmpty,
    /// JSON that cannot be read at `line`, `column`; `detail` in serde_json's words.
    JsonAt {
        line: usize,
        column: usize,
        detail: crate::model::Text,
    },
    /// A `type` that is not GeoJSON's.
    NotGeoJsonType {
        kind: String,
    },
    NoType,
    /// A `bbox` that is not 4 or 6 numbers (`written`, shortened).
    BadBbox {
        written: String,
    },
    NoFeaturesArray,
    /// A legacy `crs` member naming a projected system.
    ProjectedCrs {
        crs: String,
    },
    // ---- Workspaces -----------------------------------------------------------------------
    /// Not a small regular file.
    NotWorkspaceFile,
    /// TOML the workspace cannot be read from, in the TOML parser's words.
    /// Where and what is wrong, in the TOML parser's words put plainly (both languages).
    WorkspaceUnreadable {
        error: crate::model::Text,
    },
    /// A TOML file whose `format` is another program's.
    NotAtlasWorkspace {
        format: String,
    },
    /// Written by a newer atlas (`version`; this one `reads` up to its own).
    NewerWorkspace {
        version: u32,
        reads: u32,
    },
    // ---- Tables (CSV) --------------------------------------------------------------------
    TableEmpty,
    /// The CSV parser's words for what is wrong with the header.
    HeaderUnreadable {
        error: String,
    },
    /// A column the user chose (`name`) is not in the table.
    NoSuchColumn {
        name: String,
    },
    /// No longitude/latitude nor WKT column among `columns`.
    NoCoordinateColumns {
        columns: Vec<String>,
    },
}

/// The advice at the end of a missing part's message.
const COPY_ALL: (&str, &str) = (
    "copy all the Shapefile's files (.shp, .shx, .dbf, .prj, .cpg), or a .zip of them",
    "请复制 Shapefile 的全部文件（.shp、.shx、.dbf、.prj、.cpg），或它们的 .zip",
);

impl Problem {
    /// The problem in English.
    pub fn english(&self) -> String {
        use Problem::*;
        match self {
            FileMissing => "file is missing".into(),
            CannotRead { error } => format!("cannot read: {error}"),
            NotRegularFile => {
                "is not a regular file (a folder, a pipe or a device): refused".into()
            }
            TooLarge { megabytes, limit } => {
                format!("file is {megabytes} MB, more than the {limit} MB limit")
            }
            NotValidUtf16 { encoding } => format!(
                "the file looks like {encoding} but is not valid {encoding}; save it as UTF-8"
            ),
            NotText { byte, line, column } => format!(
                "the text is neither UTF-8, UTF-16 nor GBK (byte 0x{byte:02X} at line {line}, column {column}; Latin-1 or Windows-1252, perhaps): save it as UTF-8"
            ),
            DbfMissing => format!(
                "its .dbf (the table of fields) is missing beside the .shp: {}",
                COPY_ALL.0
            ),
            ShxMissing => format!(
                "its .shx (the index of shapes) is missing beside the .shp: {}",
                COPY_ALL.0
            ),
            NotZip { error } => format!("is not a zip archive: {error}"),
            ZipHoldsNoShp => "the zip holds no .shp file".into(),
            ZipMemberUnreadable {
                archive,
                name,
                error,
            } => format!("{name} in the {archive} cannot be read: {error}"),
            ZipMemberDamaged {
                archive,
                name,
                error,
            } => format!("{name} in the {archive} cannot be unpacked: {error}"),
            ZipMemberTooLarge { name, megabytes } => {
                format!("{name} unpacks to more than {megabytes} MB")
            }
            ZipMemberOutside { archive, name } => format!(
                "the {archive} holds {name}, a name that leads out of the archive: refused (a safe archive names its members inside it)"
            ),
            ShpUnreadable { error } => format!("its .shp cannot be read: {error}"),
            ShpCorrupt => "its .shp is corrupt (its records do not fit the file)".into(),
            ShapesAndRecordsDiffer { shapes, records } => format!(
                "its .shp has {shapes} shapes but its .dbf {records} records: the two files are not of one Shapefile"
            ),
            DbfUnreadable { error } => {
                format!("its .dbf cannot be read as a dBASE table: {error}")
            }
            NotKmz { error } => format!("is not a KMZ (zip) archive: {error}"),
            KmzHoldsNoKml => "the KMZ holds no .kml file".into(),
            NotWellFormedKml { error } => format!("is not well-formed KML: {error}"),
            XmlTooDeep { limit } => format!(
                "its elements nest more than {limit} deep: not read (KML written by a program nests a few levels)"
            ),
            NotKml { root } => format!("is XML but not KML (its root element is <{root}>)"),
            FileEmpty => "the file is empty".into(),
            JsonAt {
                line,
                column,
                detail,
            } => format!("line {line}, column {column}: {}", detail.en),
            NotGeoJsonType { kind } => format!(
                "the type is `{kind}`; GeoJSON has FeatureCollection, Feature and the geometry types"
            ),
            NoType => "the object has no `type`: it is JSON, but not GeoJSON".into(),
            BadBbox { written } => format!(
                "its `bbox` is {written}: GeoJSON's is 4 numbers (west, south, east, north) or 6"
            ),
            NoFeaturesArray => "the FeatureCollection has no `features` array".into(),
            ProjectedCrs { crs } => format!(
                "its `crs` is {crs}, not longitude/latitude: the coordinates look like metres, and GeoJSON wants WGS-84 longitude/latitude in degrees. Convert it first (QGIS: Export → Save Features As…, CRS EPSG:4326)"
            ),
            NotWorkspaceFile => "is not a workspace file (not a small regular file)".into(),
            WorkspaceUnreadable { error } => {
                format!("is not a workspace the atlas can read: {}", error.en)
            }
            NotAtlasWorkspace { format } => {
                format!("is not a Chengyu Atlas workspace (its format says `{format}`)")
            }
            NewerWorkspace { version, reads } => format!(
                "was written by a newer Chengyu Atlas (workspace version {version}; this one reads {reads})"
            ),
            TableEmpty => "the table is empty".into(),
            HeaderUnreadable { error } => format!("its header cannot be read: {error}"),
            NoSuchColumn { name } => format!("it has no column `{name}`"),
            NoCoordinateColumns { columns } => format!(
                "no coordinate columns found: name them lon/lat (or lng, longitude, x, 经度 / latitude, y, 纬度), or give a WKT column; the columns are {}",
                quoted(columns)
            ),
        }
    }

    /// The problem in Chinese.
    pub fn chinese(&self) -> String {
        use Problem::*;
        match self {
            FileMissing => "文件不存在".into(),
            CannotRead { error } => format!("无法读取：{error}"),
            NotRegularFile => "不是普通文件（是文件夹、管道或设备）：已拒绝".into(),
            TooLarge { megabytes, limit } => {
                format!("文件大小 {megabytes} MB，超过 {limit} MB 的上限")
            }
            NotValidUtf16 { encoding } => {
                format!("文件看似 {encoding}，却不是有效的 {encoding}；请另存为 UTF-8")
            }
            NotText { byte, line, column } => format!(
                "文本既非 UTF-8、UTF-16，也非 GBK（第 {line} 行第 {column} 列的字节 0x{byte:02X}；或为 Latin-1 或 Windows-1252）：请另存为 UTF-8"
            ),
            DbfMissing => format!(".shp 旁缺少 .dbf（属性表）：{}", COPY_ALL.1),
            ShxMissing => format!(".shp 旁缺少 .shx（形状索引）：{}", COPY_ALL.1),
            NotZip { error } => format!("不是 zip 压缩包：{error}"),
            ZipHoldsNoShp => "zip 中没有 .shp 文件".into(),
            ZipMemberUnreadable {
                archive,
                name,
                error,
            } => format!("{archive} 中的 {name} 无法读取：{error}"),
            ZipMemberDamaged {
                archive,
                name,
                error,
            } => format!("{archive} 中的 {name} 无法解压：{error}"),
            ZipMemberTooLarge { name, megabytes } => {
                format!("{name} 解压后超过 {megabytes} MB")
            }
            ZipMemberOutside { archive, name } => {
                format!(
                    "{archive} 中有 {name}，其名称指向压缩包之外，已拒绝（安全的压缩包只在包内命名成员）"
                )
            }
            ShpUnreadable { error } => format!(".shp 无法读取：{error}"),
            ShpCorrupt => ".shp 已损坏（其记录超出文件）".into(),
            ShapesAndRecordsDiffer { shapes, records } => format!(
                ".shp 有 {shapes} 个形状，而 .dbf 有 {records} 条记录：两者不属于同一个 Shapefile"
            ),
            DbfUnreadable { error } => format!(".dbf 无法作为 dBASE 表读取：{error}"),
            NotKmz { error } => format!("不是 KMZ（zip）压缩包：{error}"),
            KmzHoldsNoKml => "KMZ 中没有 .kml 文件".into(),
            NotWellFormedKml { error } => format!("不是格式正确的 KML：{error}"),
            XmlTooDeep { limit } => {
                format!("其元素嵌套超过 {limit} 层，未读取（程序写出的 KML 只嵌套几层）")
            }
            NotKml { root } => format!("是 XML 但不是 KML（根元素为 <{root}>）"),
            FileEmpty => "文件为空".into(),
            JsonAt {
                line,
                column,
                detail,
            } => format!(
                "第 {line} 行第 {column} 列：{}",
                // serde_json's words, as `plain` rewrote them (what it has no words for is
                // kept as serde_json says it).
                detail.zh
            ),
            NotGeoJsonType { kind } => {
                format!("类型为 `{kind}`；GeoJSON 只有 FeatureCollection、Feature 和几何类型")
            }
            NoType => "对象没有 `type`：是 JSON，但不是 GeoJSON".into(),
            BadBbox { written } => {
                format!(
                    "其 `bbox` 为 {written}：GeoJSON 的 `bbox` 是 4 个数（西、南、东、北）或 6 个数"
                )
            }
            NoFeaturesArray => "FeatureCollection 没有 `features` 数组".into(),
            ProjectedCrs { crs } => format!(
                "其 `crs` 为 {crs}，不是经纬度：坐标看似以米为单位，而 GeoJSON 要求 WGS-84 经纬度（度）。请先转换（QGIS：导出 → 要素另存为…，坐标系 EPSG:4326）"
            ),
            NotWorkspaceFile => "不是工作区文件（不是较小的普通文件）".into(),
            WorkspaceUnreadable { error } => format!("不是本程序能读取的工作区：{}", error.zh),
            NotAtlasWorkspace { format } => {
                format!("不是 Chengyu Atlas 工作区（其 `format` 为 `{format}`）")
            }
            NewerWorkspace { version, reads } => format!(
                "由更新版本的 Chengyu Atlas 写入（工作区版本 {version}；本版本可读 {reads}）"
            ),
            TableEmpty => "表格为空".into(),
            HeaderUnreadable { error } => format!("表头无法读取：{error}"),
            NoSuchColumn { name } => format!("没有列 `{name}`"),
            NoCoordinateColumns { columns } => format!(
                "找不到坐标列：请将列命名为 经度/纬度（或 lon、lng、longitude、x / lat、latitude、y），或提供 WKT 列；现有列为 {}",
                quoted(columns)
            ),
        }
    }

    /// The problem in `lang`.
    pub fn in_language(&self, lang: crate::model::Lang) -> String {
        match lang {
            crate::model::Lang::En => self.english(),
            crate::model::Lang::Zh => self.chinese(),
        }
    }
}

/// Names as the user wrote them, each in backticks: "`名称`, `lon`".
fn quoted(names: &[String]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.english())
    }
}

/// Where a problem still has to be a string (a reader's own error type): its English.
impl From<Problem> for String {
    fn from(problem: Problem) -> Self {
        problem.english()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A path and words of the user's and of a library's, to be seen as they are.
    const PATH: &str = "feature data/pipeline 2.shp";
    const WORDS: &str = "No such file or directory (os error 2)";

    /// One of each problem, with the user's path and a library's words in its fields. The
    /// match below has no catch-all: a new variant does not compile until it is here.
    fn every_problem() -> Vec<Problem> {
        use Problem::*;
        let error = || WORDS.to_string();
        let name = || PATH.to_string();
        let all = vec![
            FileMissing,
            CannotRead { error: error() },
            NotRegularFile,
            TooLarge {
                megabytes: 300,
                limit: 256,
            },
            NotValidUtf16 {
                encoding: "UTF-16 (big-endian)".into(),
            },
            NotText {
                byte: 0xE9,
                line: 3,
                column: 7,
            },
            DbfMissing,
            ShxMissing,
            NotZip { error: error() },
            ZipHoldsNoShp,
            ZipMemberUnreadable {
                archive: "zip",
                name: name(),
                error: error(),
            },
            ZipMemberDamaged {
                archive: "KMZ",
                name: name(),
                error: error(),
            },
            ZipMemberTooLarge {
                name: name(),
                megabytes: 256,
            },
            ZipMemberOutside {
                archive: "KMZ",
                name: name(),
            },
            ShpUnreadable { error: error() },
            ShpCorrupt,
            ShapesAndRecordsDiffer {
                shapes: 91,
                records: 5,
            },
            DbfUnreadable { error: error() },
            NotKmz { error: error() },
            KmzHoldsNoKml,
            NotWellFormedKml { error: error() },
            NotKml { root: "svg".into() },
            XmlTooDeep { limit: 1000 },
            BadBbox {
                written: "[1, 2, 3]".into(),
            },
            FileEmpty,
            JsonAt {
                line: 2,
                column: 14,
                detail: crate::geodata::fault::same(WORDS),
            },
            NotGeoJsonType {
                kind: "Topology".into(),
            },
            NoType,
            NoFeaturesArray,
            ProjectedCrs {
                crs: "urn:ogc:def:crs:EPSG::3857".into(),
            },
            NotWorkspaceFile,
            WorkspaceUnreadable {
                error: crate::model::Text::new(error(), error()),
            },
            NotAtlasWorkspace {
                format: "qgis project".into(),
            },
            NewerWorkspace {
                version: 2,
                reads: 1,
            },
            TableEmpty,
            HeaderUnreadable { error: error() },
            NoSuchColumn { name: name() },
            NoCoordinateColumns {
                columns: vec![PATH.into(), "名称".into()],
            },
        ];
        let mut seen = std::collections::BTreeSet::new();
        for problem in &all {
            seen.insert(match problem {
                FileMissing => 0,
                CannotRead { .. } => 1,
                NotRegularFile => 2,
                TooLarge { .. } => 3,
                NotValidUtf16 { .. } => 4,
                NotText { .. } => 5,
                DbfMissing => 6,
                ShxMissing => 7,
                NotZip { .. } => 8,
                ZipHoldsNoShp => 9,
                ZipMemberUnreadable { .. } => 10,
                ZipMemberDamaged { .. } => 11,
                ZipMemberTooLarge { .. } => 12,
                ZipMemberOutside { .. } => 37,
                ShpUnreadable { .. } => 13,
                ShpCorrupt => 14,
                ShapesAndRecordsDiffer { .. } => 15,
                DbfUnreadable { .. } => 16,
                NotKmz { .. } => 17,
                KmzHoldsNoKml => 18,
                NotWellFormedKml { .. } => 19,
                NotKml { .. } => 20,
                XmlTooDeep { .. } => 35,
                BadBbox { .. } => 36,
                TableEmpty => 21,
                NoCoordinateColumns { .. } => 22,
                HeaderUnreadable { .. } => 23,
                NoSuchColumn { .. } => 24,
                FileEmpty => 25,
                JsonAt { .. } => 26,
                NotGeoJsonType { .. } => 27,
                NoType => 28,
                NoFeaturesArray => 29,
                ProjectedCrs { .. } => 30,
                NotWorkspaceFile => 31,
                WorkspaceUnreadable { .. } => 32,
                NotAtlasWorkspace { .. } => 33,
                NewerWorkspace { .. } => 34,
            });
        }
        assert_eq!(seen.len(), 38, "one sample of every variant");
        all
    }

    /// The technical words a Chinese message keeps in Latin letters.
    const KEPT: &[&str] = &[
        "WKT",
        "lon",
        "lng",
        "longitude",
        "lat",
        "latitude",
        "KMZ",
        "Chengyu",
        "Atlas",
        "GeoJSON",
        "JSON",
        "FeatureCollection",
        "Feature",
        "WGS",
        "QGIS",
        "EPSG",
        "KML",
        "kml",
        "XML",
        "UTF",
        "MB",
        "GBK",
        "Latin",
        "Windows",
        "zip",
        "shp",
        "shx",
        "dbf",
        "prj",
        "cpg",
        "dBASE",
        "Shapefile",
    ];

    #[test]
    fn every_problem_is_said_in_chinese_with_the_users_words_as_they_are() {
        for problem in every_problem() {
            let (english, chinese) = (problem.english(), problem.chinese());
            for said in [&english, &chinese] {
                if english.contains(PATH) {
                    assert!(said.contains(PATH), "the path kept whole: {said}");
                }
                if english.contains(WORDS) {
                    assert!(said.contains(WORDS), "the library's words kept: {said}");
                }
            }
            // What is left of the Chinese once the user's and the library's words are out:
            // no English word but the technical ones.
            let rest = chinese
                .replace(PATH, "")
                .replace(WORDS, "")
                .replace("big-endian", "")
                .replace("<svg>", "")
                .replace("urn:ogc:def:crs:EPSG::3857", "");
            // Names in backticks are the format's own (`type`, `crs`, a column's name).
            let rest: String = rest
                .split('`')
                .enumerate()
                .filter(|(i, _)| i % 2 == 0)
                .map(|(_, part)| part)
                .collect();
            let english_words: Vec<&str> = rest
                .split(|c: char| !c.is_ascii_alphanumeric())
                // Numbers (0xE9, 1252) are not words.
                .filter(|w| !w.chars().any(|c| c.is_ascii_digit()))
                .filter(|w| w.len() > 1 && !KEPT.contains(w))
                .collect();
            assert!(
                english_words.is_empty(),
                "{problem:?} left in English: {english_words:?} in {chinese}"
            );
            assert!(
                chinese
                    .chars()
                    .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{problem:?} is not in Chinese: {chinese}"
            );
        }
    }
}
