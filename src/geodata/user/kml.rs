//! KML (Google Earth, 奥维) and KMZ (a zip holding a KML) as a layer: every Placemark with a
//! Point, LineString, LinearRing, Polygon or MultiGeometry; its name, description and
//! ExtendedData (`Data`/`value` and `SchemaData`/`SimpleData`) become fields, the folders it is
//! in become a `folder` field (a category to colour by). Broken XML is refused with its line
//! and column; a Placemark whose coordinates cannot be read costs only itself.

use std::collections::HashMap;
use std::io::Read as _;

use geo::{Coord, Geometry, LineString, Polygon};
use roxmltree::{Document, Node};

use super::{Read, Row, shapes};
use crate::geodata::DataError;
use crate::geodata::Problem;
use crate::geodata::read::Problems;
use crate::model::Text;

/// The KML inside a KMZ: the first `.kml` entry (doc.kml by convention), at most `limit`
/// bytes unpacked.
pub(super) fn unpack_kmz(bytes: &[u8], limit: u64) -> Result<Vec<u8>, Problem> {
    let mut archive =
        zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|error| Problem::NotKmz {
            error: error.to_string(),
        })?;
    let names: Vec<String> = archive
        .file_names()
        .filter_map(Result::ok)
        .map(|name| name.into_owned())
        .collect();
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
    let entry = archive
        .by_name(&name)
        .map_err(|error| Problem::ZipMemberUnreadable {
            archive: "KMZ",
            name: name.clone(),
            error: error.to_string(),
        })?;
    let mut out = Vec::new();
    entry
        .take(limit + 1)
        .read_to_end(&mut out)
        .map_err(|error| Problem::ZipMemberDamaged {
            archive: "KMZ",
            name: name.clone(),
            error: error.to_string(),
        })?;
    if out.len() as u64 > limit {
        return Err(Problem::ZipMemberTooLarge {
            name,
            megabytes: limit / 1_048_576,
        });
    }
    Ok(out)
}

pub(super) fn read(text: &str, origin: &str) -> Result<Read, DataError> {
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
    };
    for (i, field) in reader.fields.iter().enumerate() {
        reader.column.insert(field.clone(), i);
    }
    reader.walk(root, &mut Vec::new());
    let width = reader.fields.len();
    for row in &mut reader.rows {
        row.values.resize(width, String::new());
    }
    let mut notes = Vec::new();
    if reader.unlocated > 0 {
        let count = reader.unlocated;
        notes.push(Text::new(
            format!("{count} 个无几何的地标未绘制"),
            format!("{count} placemarks without a geometry are not drawn"),
        ));
    }
    // Folders named in no placemark's path say nothing: the field is kept only when used.
    let problems = crate::geodata::grouped_errors(origin, &reader.problems);
    Ok(Read {
        system: None,
        fields: reader.fields,
        rows: reader.rows,
        name_field: Some(0),
        datum: None,
        notes,
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
    fn walk(&mut self, node: Node, folders: &mut Vec<String>) {
        for child_node in node.children().filter(Node::is_element) {
            match child_node.tag_name().name() {
                "Folder" | "Document" => {
                    let name = child(&child_node, "name").map(|n| text_of(&n));
                    let pushed = child_node.tag_name().name() == "Folder";
                    if pushed {
                        folders.push(name.unwrap_or_default());
                    }
                    self.walk(child_node, folders);
                    if pushed {
                        folders.pop();
                    }
                }
                "Placemark" => self.placemark(child_node, folders),
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
        if let Some(extended) = child(&node, "ExtendedData") {
            for data in extended.descendants() {
                if is(&data, "Data") {
                    let name = data.attribute("name").unwrap_or("").to_string();
                    let value = child(&data, "value")
                        .map(|v| text_of(&v))
                        .unwrap_or_default();
                    if !name.is_empty() {
                        set(self, &mut values, &name, value);
                    }
                } else if is(&data, "SimpleData") {
                    let name = data.attribute("name").unwrap_or("").to_string();
                    if !name.is_empty() {
                        set(self, &mut values, &name, text_of(&data));
                    }
                }
            }
        }
        let id = node
            .attribute("id")
            .map(str::to_string)
            .unwrap_or_else(|| format!("placemark {}", index + 1));
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
                for shape in shapes {
                    self.rows.push(Row {
                        id: id.clone(),
                        values: values.clone(),
                        geometry: shape,
                    });
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
        assert_eq!(read.rows[0].values, ["甲", "一号", "实验室", "国家级"]);
        assert_eq!(read.rows[1].values[2], "实验室 / 园区");
        assert!(matches!(read.rows[1].geometry, Shape::Area(_)));
        assert!(matches!(read.rows[2].geometry, Shape::Lines(_)));
        assert!(matches!(read.rows[3].geometry, Shape::Point(_)));
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
}
