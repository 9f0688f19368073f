//! KML (Google Earth, 奥维) and KMZ (a zip holding a KML) as a layer: every Placemark with a
//! Point, LineString, LinearRing, Polygon or MultiGeometry; its name, description and
//! ExtendedData (`Data`/`value` and `SchemaData`/`SimpleData`) become fields, the folders it is
//! in become a `folder` field (a category to colour by). Broken XML is refused with its line
//! and column; a Placemark whose coordinates cannot be read costs only itself.

use std::collections::HashMap;

use geo::{Coord, Geometry, LineString, Polygon};
use roxmltree::{Document, Node};

use super::{Read, Row, archive, row, shapes, values_mut};
use crate::geodata::DataError;
use crate::geodata::Problem;
use crate::geodata::read::Problems;
use crate::model::Text;

/// The KML inside a KMZ: the first `.kml` entry (doc.kml by convention), at most `limit`
/// bytes unpacked.
pub(super) fn unpack_kmz(bytes: &[u8], limit: u64) -> Result<Vec<u8>, Problem> {
    let mut archive =
        archive::Archive::new(std::io::Cursor::new(bytes)).map_err(|error| Problem::NotKmz {
            error: error.to_string(),
        })?;
    let names = archive::member_names(&archive, "KMZ")?;
    let name = names
        .iter()
        .find(|n| n.eq_ignore_ascii_case("doc.kml"))
        .or_else(|| {
            names
                .iter()
                .find(|n| n.to_ascii_lowercase().ends_with(".kml"))
        })
        .ok_or(Problem::KmzHoldsNoKml)?
        .clone();
    archive::read_member(&mut archive, &name, "KMZ", limit)
}

/// How deep a KML's elements may nest. KML written by a program nests a few levels (a folder
/// in a folder in a document); the XML parser recurses once per level, so a file nesting
/// 20 000 deep would overflow the stack: it is refused first.
pub const MAX_DEPTH_XML: usize = 1000;

/// How deep the elements of `text` nest, read no further than `limit` + 1 levels (a quick
/// scan: comments, CDATA, processing instructions, declarations and quoted attribute values
/// are skipped; an empty element `<a/>` opens nothing).
pub fn xml_depth(text: &str, limit: usize) -> usize {
    let bytes = text.as_bytes();
    let (mut depth, mut deepest, mut at) = (0usize, 0usize, 0usize);
    let find = |from: usize, what: &[u8]| {
        bytes[from.min(bytes.len())..]
            .windows(what.len())
            .position(|w| w == what)
            .map_or(bytes.len(), |p| from + p + what.len())
    };
    while let Some(open) = bytes[at..].iter().position(|&b| b == b'<') {
        at += open + 1;
        let rest = &bytes[at..];
        if rest.starts_with(b"!--") {
            at = find(at, b"-->");
        } else if rest.starts_with(b"![CDATA[") {
            at = find(at, b"]]>");
        } else if rest.starts_with(b"?") {
            at = find(at, b"?>");
        } else if rest.starts_with(b"!") {
            // A declaration; a DOCTYPE's internal subset is in brackets.
            let mut brackets = 0i32;
            while at < bytes.len() {
                match bytes[at] {
                    b'[' => brackets += 1,
                    b']' => brackets -= 1,
                    b'>' if brackets <= 0 => break,
                    _ => {}
                }
                at += 1;
            }
        } else if rest.starts_with(b"/") {
            depth = depth.saturating_sub(1);
        } else {
            // A start tag: to its `>`, past quoted values; `/>` closes it at once.
            let mut quote = None;
            while at < bytes.len() {
                match (bytes[at], quote) {
                    (b'"' | b'\'', None) => quote = Some(bytes[at]),
                    (q, Some(open)) if q == open => quote = None,
                    (b'>', None) => break,
                    _ => {}
                }
                at += 1;
            }
            if bytes.get(at.wrapping_sub(1)) != Some(&b'/') {
                depth += 1;
                deepest = deepest.max(depth);
                if deepest > limit {
                    return deepest;
                }
            }
        }
    }
    deepest
}

pub(super) fn read(text: &str, origin: &str) -> Result<Read, DataError> {
    if xml_depth(text, MAX_DEPTH_XML) > MAX_DEPTH_XML {
        return Err(DataError::new(
            origin,
            Problem::XmlTooDeep {
                limit: MAX_DEPTH_XML,
            },
        ));
    }
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..roxmltree::ParsingOptions::default()
    };
    let document = Document::parse_with_options(text, options).map_err(|error| {
        DataError::new(
            origin,
            Problem::NotWellFormedKml {
                error: error.to_string(),
            },
        )
    })?;
    let root = document.root_element();
    if root.tag_name().name() != "kml" && root.tag_name().name() != "Document" {
        return Err(DataError::new(
            origin,
            Problem::NotKml {
                root: root.tag_name().name().to_string(),
            },
        ));
    }
    let mut reader = Reader {
        document: &document,
        fields: vec!["name".into(), "description".into(), "folder".into()],
        column: HashMap::new(),
        rows: Vec::new(),
        problems: Problems::default(),
        placemarks: 0,
        unlocated: 0,
        network_links: 0,
    };
    for (i, field) in reader.fields.iter().enumerate() {
        reader.column.insert(field.clone(), i);
    }
    reader.walk(root);
    let width = reader.fields.len();
    for row in &mut reader.rows {
        if let Some(values) = values_mut(row) {
            values.resize(width);
        }
    }
    let mut notes = Vec::new();
    if reader.unlocated > 0 {
        let count = reader.unlocated;
        notes.push(Text::new(
            format!("{count} 个无几何的地标未绘制"),
            format!("{count} placemarks without a geometry are not drawn"),
        ));
    }
    if reader.network_links > 0 {
        notes.push(super::notes::network_links_not_followed(
            reader.network_links,
        ));
    }
    // Folders named in no placemark's path say nothing: the field is kept only when used.
    let problems = crate::geodata::grouped_errors(origin, &reader.problems);
    Ok(Read {
        system: None,
        fields: reader.fields,
        rows: reader.rows,
        table: None,
        name_field: Some(0),
        datum: None,
        notes,
        altered: reader.unlocated > 0 || reader.network_links > 0,
        problems,
    })
}

struct Reader<'a, 'input> {
    document: &'a Document<'input>,
    fields: Vec<String>,
    column: HashMap<String, usize>,
    rows: Vec<Row>,
    problems: Problems,
    placemarks: usize,
    unlocated: usize,
    /// Links to other KML (on a server, or a file beside): not followed.
    network_links: usize,
}

/// A KML element's name, whatever its namespace prefix.
fn is(node: &Node, name: &str) -> bool {
    node.is_element() && node.tag_name().name() == name
}

fn child<'a, 'i>(node: &Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    node.children().find(|c| is(c, name))
}

fn text_of(node: &Node) -> String {
    node.descendants()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .collect::<String>()
        .trim()
        .to_string()
}

impl Reader<'_, '_> {
    /// The placemarks in `root`'s documents and folders, at any depth: walked with a stack
    /// of our own, not by recursion (a file whose folders nest 100 000 deep would overflow
    /// the thread's stack).
    fn walk(&mut self, root: Node) {
        let mut folders: Vec<String> = Vec::new();
        // Each entry: the container's children still to visit, and whether it named a folder.
        let mut stack = vec![(root.children(), false)];
        while let Some((children, _)) = stack.last_mut() {
            let Some(node) = children.next() else {
                if let Some((_, true)) = stack.pop() {
                    folders.pop();
                }
                continue;
            };
            if !node.is_element() {
                continue;
            }
            match node.tag_name().name() {
                "Folder" | "Document" => {
                    let folder = node.tag_name().name() == "Folder";
                    if folder {
                        folders.push(
                            child(&node, "name")
                                .map(|n| text_of(&n))
                                .unwrap_or_default(),
                        );
                    }
                    stack.push((node.children(), folder));
                }
                "Placemark" => self.placemark(node, &folders),
                "NetworkLink" => self.network_links += 1,
                _ => {}
            }
        }
    }

    fn field(&mut self, name: &str) -> usize {
        if let Some(&i) = self.column.get(name) {
            return i;
        }
        self.fields.push(name.to_string());
        self.column.insert(name.to_string(), self.fields.len() - 1);
        self.fields.len() - 1
    }

    fn placemark(&mut self, node: Node, folders: &[String]) {
        let index = self.placemarks;
        self.placemarks += 1;
        let line = self.document.text_pos_at(node.range().start).row as usize;
        let mut values = vec![String::new(); self.fields.len()];
        let set = |reader: &mut Self, values: &mut Vec<String>, field: &str, value: String| {
            let i = reader.field(field);
            if values.len() <= i {
                values.resize(i + 1, String::new());
            }
            values[i] = value;
        };
        if let Some(name) = child(&node, "name") {
            set(self, &mut values, "name", text_of(&name));
        }
        if let Some(description) = child(&node, "description") {
            set(self, &mut values, "description", text_of(&description));
        }
        set(self, &mut values, "folder", folders.join(" / "));
        let id = node
            .attribute("id")
            .map(str::to_string)
            .unwrap_or_else(|| format!("placemark {}", index + 1));
        if let Some(extended) = child(&node, "ExtendedData") {
            let mut named: Vec<(String, String)> = Vec::new();
            for data in extended.descendants() {
                let (name, value) = if is(&data, "Data") {
                    let value = child(&data, "value").map(|v| text_of(&v));
                    (data.attribute("name"), value.unwrap_or_default())
                } else if is(&data, "SimpleData") {
                    (data.attribute("name"), text_of(&data))
                } else {
                    continue;
                };
                let Some(name) = name.filter(|name| !name.is_empty()) else {
                    continue;
                };
                // A field given twice: which value is meant is not said, so neither is
                // taken, and the placemark is not drawn with a value it may not have.
                if named.iter().any(|(seen, _)| seen == name) {
                    self.problems.feature(
                        index,
                        Some(id),
                        line,
                        crate::geodata::fault::Fault::PropertiesUnreadable,
                        Text::new(
                            format!("其 ExtendedData 中字段 `{name}` 出现了两次（本程序不取其一）"),
                            format!(
                                "the field `{name}` is given twice in its ExtendedData (the atlas takes neither)"
                            ),
                        ),
                    );
                    return;
                }
                named.push((name.to_string(), value));
            }
            for (name, value) in named {
                set(self, &mut values, &name, value);
            }
        }
        let geometry = node
            .children()
            .find(|c| c.is_element() && GEOMETRIES.contains(&c.tag_name().name()));
        let Some(geometry) = geometry else {
            self.unlocated += 1;
            return;
        };
        match geometry_of(geometry, 0) {
            Ok(geometry) => {
                let shapes = shapes(geometry);
                if shapes.is_empty() {
                    self.unlocated += 1;
                }
                let values = crate::model::user::Values::new(&values);
                for shape in shapes {
                    self.rows.push(row(id.clone(), values.clone(), shape));
                }
            }
            Err(problem) => {
                self.problems.feature(
                    index,
                    Some(id),
                    line,
                    crate::geodata::fault::Fault::GeometryUnreadable,
                    problem,
                );
            }
        }
    }
}

const GEOMETRIES: [&str; 5] = [
    "Point",
    "LineString",
    "LinearRing",
    "Polygon",
    "MultiGeometry",
];

/// How deep MultiGeometry may nest.
const MAX_DEPTH: usize = 8;

fn geometry_of(node: Node, depth: usize) -> Result<Geometry, Text> {
    let coordinates = |node: &Node| -> Result<Vec<Coord>, Text> {
        let element = child(node, "coordinates")
            .ok_or_else(|| Text::new("没有 <coordinates>", "it has no <coordinates>"))?;
        parse_coordinates(&text_of(&element))
    };
    match node.tag_name().name() {
        "Point" => {
            let coords = coordinates(&node)?;
            let first = coords
                .first()
                .ok_or_else(|| Text::new("Point 没有坐标", "a Point without coordinates"))?;
            Ok(Geometry::Point((*first).into()))
        }
        "LineString" => {
            let coords = coordinates(&node)?;
            if coords.len() < 2 {
                return Err(Text::new(
                    "LineString 需要两个坐标位置",
                    "a LineString needs two positions",
                ));
            }
            Ok(Geometry::LineString(LineString::new(coords)))
        }
        "LinearRing" => Ok(Geometry::Polygon(Polygon::new(
            ring(coordinates(&node)?)?,
            vec![],
        ))),
        "Polygon" => {
            let boundary = |name: &str| -> Vec<Node> {
                node.children()
                    .filter(|c| is(c, name))
                    .filter_map(|b| child(&b, "LinearRing"))
                    .collect()
            };
            let outer = boundary("outerBoundaryIs");
            let outer = outer.first().ok_or_else(|| {
                Text::new(
                    "Polygon 没有 <outerBoundaryIs>",
                    "a Polygon without <outerBoundaryIs>",
                )
            })?;
            let exterior = ring(coordinates(outer)?)?;
            let holes = boundary("innerBoundaryIs")
                .iter()
                .map(|inner| coordinates(inner).and_then(ring))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(Geometry::Polygon(Polygon::new(exterior, holes)))
        }
        "MultiGeometry" if depth < MAX_DEPTH => {
            let parts = node
                .children()
                .filter(|c| c.is_element() && GEOMETRIES.contains(&c.tag_name().name()))
                .map(|c| geometry_of(c, depth + 1))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(Geometry::GeometryCollection(
                geo::GeometryCollection::new_from(parts),
            ))
        }
        "MultiGeometry" => Err(Text::new(
            "MultiGeometry 嵌套过深",
            "MultiGeometry nested too deep",
        )),
        other => Err(Text::new(
            format!("<{other}> 不是本程序能读取的几何"),
            format!("<{other}> is not a geometry the atlas reads"),
        )),
    }
}

fn ring(coords: Vec<Coord>) -> Result<LineString, Text> {
    if coords.len() < 3 {
        return Err(Text::new(
            "环至少需要三个坐标位置",
            "a ring needs at least three positions",
        ));
    }
    Ok(LineString::new(coords))
}

/// KML's `lon,lat[,alt]` tuples separated by white space (some writers add spaces after the
/// commas, which are taken as part of the tuple).
fn parse_coordinates(text: &str) -> Result<Vec<Coord>, Text> {
    let normalised = text.replace(", ", ",").replace(" ,", ",");
    let mut coords = Vec::new();
    let not_lon_lat = |tuple: &str| {
        let tuple = crate::geodata::read::shorten(tuple, 30);
        Text::new(
            format!("`{tuple}` 不是“经度,纬度”"),
            format!("`{tuple}` is not lon,lat"),
        )
    };
    for tuple in normalised.split_whitespace() {
        let mut parts = tuple.split(',');
        let (Some(x), Some(y)) = (parts.next(), parts.next()) else {
            return Err(not_lon_lat(tuple));
        };
        let (Ok(x), Ok(y)) = (x.trim().parse::<f64>(), y.trim().parse::<f64>()) else {
            return Err(not_lon_lat(tuple));
        };
        if !(-180.0..=180.0).contains(&x) || !(-90.0..=90.0).contains(&y) {
            return Err(Text::new(
                format!("{x},{y} 超出范围"),
                format!("{x},{y} is out of range"),
            ));
        }
        coords.push(geo::coord! { x: x, y: y });
    }
    Ok(coords)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Shape;

    const KML: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document><name>d</name>
<Folder><name>实验室</name>
  <Placemark id="a"><name>甲</name><description>一号</description>
    <ExtendedData><Data name="等级"><value>国家级</value></Data></ExtendedData>
    <Point><coordinates>106.3,29.6,0</coordinates></Point></Placemark>
  <Folder><name>园区</name>
    <Placemark><name>乙</name><Polygon><outerBoundaryIs><LinearRing><coordinates>
      106.3,29.6 106.4,29.6 106.4,29.7 106.3,29.6</coordinates></LinearRing></outerBoundaryIs>
    </Polygon></Placemark>
  </Folder>
</Folder>
<Placemark><name>丙</name><MultiGeometry><LineString><coordinates>106,29 107,30</coordinates></LineString>
  <Point><coordinates>106.5,29.5</coordinates></Point></MultiGeometry></Placemark>
<Placemark><name>坏</name><Point><coordinates>east,north</coordinates></Point></Placemark>
<Placemark><name>无位置</name></Placemark>
</Document></kml>"#;

    #[test]
    fn placemarks_folders_and_extended_data_are_read() {
        let read = read(KML, "t.kml").expect("reads");
        assert_eq!(read.fields, ["name", "description", "folder", "等级"]);
        // 甲 (point), 乙 (area), 丙 twice (its line and its point).
        assert_eq!(read.rows.len(), 4);
        assert_eq!(
            read.rows[0].user().expect("a user row").values,
            ["甲", "一号", "实验室", "国家级"]
        );
        assert_eq!(
            &read.rows[1].user().expect("a user row").values[2],
            "实验室 / 园区"
        );
        assert!(matches!(read.rows[1].shape, Shape::Area(_)));
        assert!(matches!(read.rows[2].shape, Shape::Lines(_)));
        assert!(matches!(read.rows[3].shape, Shape::Point(_)));
        assert_eq!(read.problems.len(), 1);
        assert!(
            read.problems[0].problem.contains("not lon,lat"),
            "{:?}",
            read.problems
        );
        assert!(read.notes[0].en.contains("1 placemarks without a geometry"));
    }

    #[test]
    fn broken_xml_is_refused_with_where() {
        let error =
            read("<kml><Document><Placemark></Document></kml>", "t.kml").expect_err("refused");
        assert!(
            error.problem.contains("not well-formed KML"),
            "{}",
            error.problem
        );
        assert!(error.problem.contains("1:"), "{}", error.problem);
        let error = read("<svg></svg>", "t.kml").expect_err("refused");
        assert!(error.problem.contains("<svg>"), "{}", error.problem);
    }

    /// Folders nested n deep around one placemark.
    fn nested(n: usize) -> String {
        format!(
            r#"<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document>{}<Placemark><name>p</name><Point><coordinates>106.5,29.5</coordinates></Point></Placemark>{}</Document></kml>"#,
            "<Folder><name>f</name>".repeat(n),
            "</Folder>".repeat(n)
        )
    }

    /// 20 000 nested folders aborted the process (the XML parser recursed past the stack):
    /// now refused, saying why; 900 load, the placemark with its folders' path.
    #[test]
    fn folders_nested_past_the_limit_are_refused_not_a_crash() {
        let error = read(&nested(20_000), "deep.kml").expect_err("refused");
        assert_eq!(
            error.known.as_deref(),
            Some(&Problem::XmlTooDeep {
                limit: MAX_DEPTH_XML
            })
        );
        // Deep, but within the limit (on a test thread's 2 MB stack, as on the window's
        // reading thread).
        let read = read(&nested(MAX_DEPTH_XML - 100), "deep.kml").expect("reads");
        assert_eq!(read.rows.len(), 1);
        let folder = &read.rows[0].user().expect("a user row").values[2];
        assert_eq!(
            folder.matches('f').count(),
            MAX_DEPTH_XML - 100,
            "the folders' path"
        );
    }

    #[test]
    fn the_depth_scan_skips_what_is_not_an_element() {
        assert_eq!(xml_depth("<a><b/><c>x</c></a>", 10), 2);
        assert_eq!(
            xml_depth(
                r#"<a t="<<>"><!-- <b><b><b> --><![CDATA[<c><c>]]><?p <d>?></a>"#,
                10
            ),
            1
        );
        assert_eq!(
            xml_depth("<!DOCTYPE k [<!ENTITY e \"<x>\">]><k><l/></k>", 10),
            1
        );
        assert_eq!(xml_depth(&"<a>".repeat(50), 10), 11, "stops past the limit");
    }

    /// A NetworkLink (a link to KML elsewhere) is not followed, and the reader says so.
    #[test]
    fn network_links_are_noted_not_ignored_in_silence() {
        let text = KML.replace(
            "</Document>",
            "<NetworkLink><Link><href>http://example.com/more.kml</href></Link></NetworkLink></Document>",
        );
        let read = read(&text, "t.kml").expect("reads");
        assert!(
            read.notes
                .iter()
                .any(|n| n.en.contains("1 NetworkLinks") && n.zh.contains("NetworkLink")),
            "{:?}",
            read.notes
        );
    }

    /// A field given twice in a placemark's ExtendedData costs that placemark, said; the
    /// others load.
    #[test]
    fn a_field_given_twice_costs_its_placemark() {
        let text = KML.replacen(
            "<Placemark>",
            "<Placemark><ExtendedData><Data name=\"x\"><value>1</value></Data><Data name=\"x\"><value>2</value></Data></ExtendedData>",
            1,
        );
        let before = read(KML, "t.kml").expect("reads").rows.len();
        let read = read(&text, "t.kml").expect("reads");
        assert_eq!(read.rows.len() + 1, before);
        let said: Vec<String> = read.problems.iter().map(|p| p.to_string()).collect();
        assert!(
            said.iter().any(|p| p.contains("`x` is given twice")),
            "{said:?}"
        );
    }

    /// A KMZ whose member's name leads out of the archive (zip-slip) is refused, saying so;
    /// names that stay inside read as ever.
    #[test]
    fn a_kmz_member_named_outside_the_archive_is_refused() {
        use std::io::Write as _;
        let kmz = |name: &str| {
            let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
            let options = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Stored);
            zip.start_file(name, options).expect("member");
            zip.write_all(KML.as_bytes()).expect("write");
            zip.finish().expect("finish").into_inner()
        };
        for name in [
            "../../evil.kml",
            "/tmp/evil.kml",
            "a/../../evil.kml",
            "C:\\evil.kml",
        ] {
            assert_eq!(
                unpack_kmz(&kmz(name), 1 << 20),
                Err(Problem::ZipMemberOutside {
                    archive: "KMZ",
                    name: name.into()
                }),
                "{name}"
            );
        }
        for name in ["doc.kml", "files/doc.kml", "a..b.kml"] {
            assert_eq!(unpack_kmz(&kmz(name), 1 << 20).expect(name), KML.as_bytes());
        }
    }
}
