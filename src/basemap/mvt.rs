//! Mapbox Vector Tiles (MVT 2.1): the protobuf read by hand, every length and index checked,
//! so that a broken tile is an error, never a panic or a runaway allocation.
//! <https://github.com/mapbox/vector-tile-spec/tree/master/2.1>

/// A property value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Text(String),
    Number(f64),
    Bool(bool),
}

impl Value {
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Text(text) => Some(text),
            _ => None,
        }
    }

    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Number(n) => Some(*n),
            Value::Text(t) => t.parse().ok(),
            Value::Bool(_) => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GeomKind {
    Point,
    Line,
    Polygon,
}

/// One feature: its kind, properties, and geometry as paths of tile coordinates (points,
/// lines, or rings; a polygon's outer rings turn one way and its holes the other).
#[derive(Debug, Clone, PartialEq)]
pub struct Feature {
    pub kind: GeomKind,
    pub properties: Vec<(String, Value)>,
    pub paths: Vec<Vec<[i32; 2]>>,
}

impl Feature {
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.properties
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
    }

    pub fn text(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(Value::as_str)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Layer {
    pub name: String,
    /// Tile coordinates run 0‥extent across the tile.
    pub extent: u32,
    pub features: Vec<Feature>,
}

/// Limits that keep a hostile tile from taking the machine: far above real tiles (a dense
/// z14 OpenMapTiles tile has some 20 000 features and 400 000 vertices).
const MAX_FEATURES: usize = 500_000;
const MAX_VERTICES: usize = 8_000_000;

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Self { bytes, at: 0 }
    }

    fn done(&self) -> bool {
        self.at >= self.bytes.len()
    }

    fn varint(&mut self) -> Result<u64, String> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = *self
                .bytes
                .get(self.at)
                .ok_or("the tile ends inside a number")?;
            self.at += 1;
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err("a number in the tile is too long".into())
    }

    fn take(&mut self, len: usize) -> Result<&'a [u8], String> {
        let end = self
            .at
            .checked_add(len)
            .filter(|end| *end <= self.bytes.len())
            .ok_or("a field runs past the end of the tile")?;
        let slice = &self.bytes[self.at..end];
        self.at = end;
        Ok(slice)
    }

    fn bytes_field(&mut self) -> Result<&'a [u8], String> {
        let len = self.varint()?;
        self.take(usize::try_from(len).map_err(|_| "a field is too long")?)
    }

    /// The next field's number and wire type.
    fn key(&mut self) -> Result<(u64, u8), String> {
        let key = self.varint()?;
        Ok((key >> 3, (key & 7) as u8))
    }

    /// Skips a field of `wire` type.
    fn skip(&mut self, wire: u8) -> Result<(), String> {
        match wire {
            0 => self.varint().map(|_| ()),
            1 => self.take(8).map(|_| ()),
            2 => self.bytes_field().map(|_| ()),
            5 => self.take(4).map(|_| ()),
            other => Err(format!("unknown protobuf wire type {other}")),
        }
    }
}

fn packed(bytes: &[u8]) -> Result<Vec<u32>, String> {
    let mut reader = Reader::new(bytes);
    let mut out = Vec::with_capacity(bytes.len() / 2);
    while !reader.done() {
        out.push(reader.varint()? as u32);
    }
    Ok(out)
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Decodes a tile's layers (the bytes already unzipped).
pub fn decode(bytes: &[u8]) -> Result<Vec<Layer>, String> {
    let mut reader = Reader::new(bytes);
    let mut layers = Vec::new();
    let mut budget = (MAX_FEATURES, MAX_VERTICES);
    while !reader.done() {
        match reader.key()? {
            (3, 2) => layers.push(layer(reader.bytes_field()?, &mut budget)?),
            (_, wire) => reader.skip(wire)?,
        }
    }
    Ok(layers)
}

fn layer(bytes: &[u8], budget: &mut (usize, usize)) -> Result<Layer, String> {
    let mut reader = Reader::new(bytes);
    let (mut name, mut extent) = (String::new(), 4096u32);
    let (mut raw_features, mut keys, mut values) = (Vec::new(), Vec::new(), Vec::new());
    while !reader.done() {
        match reader.key()? {
            (1, 2) => name = text(reader.bytes_field()?),
            (2, 2) => raw_features.push(reader.bytes_field()?),
            (3, 2) => keys.push(text(reader.bytes_field()?)),
            (4, 2) => values.push(value(reader.bytes_field()?)?),
            (5, 0) => extent = reader.varint()?.clamp(1, 1 << 24) as u32,
            (_, wire) => reader.skip(wire)?,
        }
    }
    let mut features = Vec::with_capacity(raw_features.len().min(budget.0));
    for raw in raw_features {
        if budget.0 == 0 {
            return Err(format!("more than {MAX_FEATURES} features in one tile"));
        }
        budget.0 -= 1;
        // A feature that makes no sense is passed over; the rest of the tile is drawn.
        if let Ok(Some(feature)) = feature(raw, &keys, &values, &mut budget.1) {
            features.push(feature);
        }
    }
    Ok(Layer {
        name,
        extent,
        features,
    })
}

fn value(bytes: &[u8]) -> Result<Value, String> {
    let mut reader = Reader::new(bytes);
    let mut found = Value::Text(String::new());
    while !reader.done() {
        found = match reader.key()? {
            (1, 2) => Value::Text(text(reader.bytes_field()?)),
            (2, 5) => {
                let b = reader.take(4)?;
                Value::Number(f64::from(f32::from_le_bytes([b[0], b[1], b[2], b[3]])))
            }
            (3, 1) => {
                let b = reader.take(8)?;
                let mut array = [0u8; 8];
                array.copy_from_slice(b);
                Value::Number(f64::from_le_bytes(array))
            }
            (4, 0) => Value::Number(reader.varint()? as i64 as f64),
            (5, 0) => Value::Number(reader.varint()? as f64),
            (6, 0) => {
                let n = reader.varint()?;
                Value::Number(((n >> 1) as i64 ^ -((n & 1) as i64)) as f64)
            }
            (7, 0) => Value::Bool(reader.varint()? != 0),
            (_, wire) => {
                reader.skip(wire)?;
                continue;
            }
        };
    }
    Ok(found)
}

fn feature(
    bytes: &[u8],
    keys: &[String],
    values: &[Value],
    vertex_budget: &mut usize,
) -> Result<Option<Feature>, String> {
    let mut reader = Reader::new(bytes);
    let (mut tags, mut kind, mut commands) = (Vec::new(), 0u64, Vec::new());
    while !reader.done() {
        match reader.key()? {
            (2, 2) => tags = packed(reader.bytes_field()?)?,
            (3, 0) => kind = reader.varint()?,
            (4, 2) => commands = packed(reader.bytes_field()?)?,
            (_, wire) => reader.skip(wire)?,
        }
    }
    let kind = match kind {
        1 => GeomKind::Point,
        2 => GeomKind::Line,
        3 => GeomKind::Polygon,
        _ => return Ok(None),
    };
    let properties = tags
        .chunks_exact(2)
        .filter_map(|pair| {
            let key = keys.get(pair[0] as usize)?;
            let value = values.get(pair[1] as usize)?;
            Some((key.clone(), value.clone()))
        })
        .collect();
    let paths = geometry(&commands, kind, vertex_budget)?;
    Ok((!paths.is_empty()).then_some(Feature {
        kind,
        properties,
        paths,
    }))
}

fn zigzag(n: u32) -> i32 {
    ((n >> 1) as i32) ^ -((n & 1) as i32)
}

/// The command stream as paths: each MoveTo starts one (points: each point its own path).
fn geometry(
    commands: &[u32],
    kind: GeomKind,
    budget: &mut usize,
) -> Result<Vec<Vec<[i32; 2]>>, String> {
    let (mut paths, mut current): (Vec<Vec<[i32; 2]>>, Vec<[i32; 2]>) = (Vec::new(), Vec::new());
    let (mut x, mut y) = (0i32, 0i32);
    let mut i = 0;
    while i < commands.len() {
        let (id, count) = (commands[i] & 7, (commands[i] >> 3) as usize);
        i += 1;
        match id {
            1 | 2 => {
                let needed = count.checked_mul(2).ok_or("bad command count")?;
                let params = commands
                    .get(i..i + needed)
                    .ok_or("a geometry command runs past its parameters")?;
                i += needed;
                if count > *budget {
                    return Err("too many vertices in the tile".into());
                }
                *budget -= count;
                for pair in params.chunks_exact(2) {
                    x = x.wrapping_add(zigzag(pair[0]));
                    y = y.wrapping_add(zigzag(pair[1]));
                    if id == 1 {
                        if !current.is_empty() {
                            paths.push(std::mem::take(&mut current));
                        }
                        if kind == GeomKind::Point {
                            paths.push(vec![[x, y]]);
                            continue;
                        }
                    }
                    current.push([x, y]);
                }
            }
            7 => {
                if let Some(&first) = current.first() {
                    current.push(first);
                }
            }
            other => return Err(format!("unknown geometry command {other}")),
        }
    }
    if !current.is_empty() {
        paths.push(current);
    }
    let least = match kind {
        GeomKind::Point => 1,
        GeomKind::Line => 2,
        GeomKind::Polygon => 4,
    };
    paths.retain(|path| path.len() >= least);
    Ok(paths)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example of the spec (section 4.3.5): a polygon with its commands.
    #[test]
    fn the_specs_polygon_decodes() {
        let commands = [9, 6, 12, 18, 10, 12, 24, 44, 15];
        let mut budget = 100;
        let paths = geometry(&commands, GeomKind::Polygon, &mut budget).unwrap_or_default();
        assert_eq!(paths, vec![vec![[3, 6], [8, 12], [20, 34], [3, 6]]]);
    }

    #[test]
    fn broken_tiles_are_errors() {
        assert!(decode(&[0x1a, 0x05, 0x0a]).is_err());
        assert!(decode(&[0x1a]).is_err());
        assert!(decode(&[0xff; 12]).is_err());
        assert_eq!(decode(&[]), Ok(Vec::new()));
    }
}
