//! The WKB a GeoPackage or PostGIS holds for nearly every feature — a point, a line, a polygon
//! or a multi of them, flat (x, y), without an SRID — read straight into geo's vectors. The
//! general reader (the `wkb` crate, through geo-traits' conversion) asks for each coordinate
//! through a trait and collects it one by one: a fifth of reading 100 000 parcels. Everything
//! else (Z, M, EWKB's SRID, collections, empty points, anything malformed) is left to it, so
//! that what is read, and what is refused and why, stays its answer.

use geo::{Coord, Geometry, LineString, MultiLineString, MultiPolygon, Point, Polygon};

/// The geometry in `bytes` when it is one the fast path reads; `None` to ask the general
/// reader (which reads it, or says what is wrong).
pub fn flat(bytes: &[u8]) -> Option<Geometry> {
    let mut reader = Reader { bytes, at: 0 };
    let (little, kind) = reader.header()?;
    match kind {
        POINT => {
            let at = reader.coord(little)?;
            // An empty point (NaN, NaN) is the general reader's to say.
            (!(at.x.is_nan() && at.y.is_nan())).then_some(Geometry::Point(Point(at)))
        }
        LINE => Some(Geometry::LineString(reader.line(little)?)),
        POLYGON => Some(Geometry::Polygon(reader.polygon(little)?)),
        MULTI_LINE => {
            let count = reader.count(little, 9)?;
            let lines = (0..count)
                .map(|_| reader.part(LINE).and_then(|little| reader.line(little)))
                .collect::<Option<Vec<_>>>()?;
            Some(Geometry::MultiLineString(MultiLineString::new(lines)))
        }
        MULTI_POLYGON => {
            let count = reader.count(little, 9)?;
            let polygons = (0..count)
                .map(|_| {
                    reader
                        .part(POLYGON)
                        .and_then(|little| reader.polygon(little))
                })
                .collect::<Option<Vec<_>>>()?;
            Some(Geometry::MultiPolygon(MultiPolygon::new(polygons)))
        }
        _ => None,
    }
}

const POINT: u32 = 1;
const LINE: u32 = 2;
const POLYGON: u32 = 3;
const MULTI_LINE: u32 = 5;
const MULTI_POLYGON: u32 = 6;

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn take<const N: usize>(&mut self) -> Option<[u8; N]> {
        let bytes = self.bytes.get(self.at..self.at.checked_add(N)?)?;
        self.at += N;
        bytes.try_into().ok()
    }

    fn u32(&mut self, little: bool) -> Option<u32> {
        let bytes = self.take::<4>()?;
        Some(if little {
            u32::from_le_bytes(bytes)
        } else {
            u32::from_be_bytes(bytes)
        })
    }

    /// The byte order (little-endian?) and the type code, flat ones only.
    fn header(&mut self) -> Option<(bool, u32)> {
        let little = match self.take::<1>()? {
            [0] => false,
            [1] => true,
            _ => return None,
        };
        let kind = self.u32(little)?;
        (1..=7).contains(&kind).then_some((little, kind))
    }

    /// A part of a multi: its own header, of the kind the multi holds.
    fn part(&mut self, kind: u32) -> Option<bool> {
        let (little, found) = self.header()?;
        (found == kind).then_some(little)
    }

    /// A count of items at least `least` bytes each: one the bytes left cannot hold is left
    /// to the general reader (a hostile count reserves nothing here).
    fn count(&mut self, little: bool, least: usize) -> Option<usize> {
        let count = self.u32(little)? as usize;
        (count <= (self.bytes.len() - self.at) / least).then_some(count)
    }

    fn coord(&mut self, little: bool) -> Option<Coord> {
        let bytes = self.take::<16>()?;
        let (x, y) = bytes.split_at(8);
        let number = |part: &[u8]| {
            let part: [u8; 8] = part.try_into().unwrap_or_default();
            if little {
                f64::from_le_bytes(part)
            } else {
                f64::from_be_bytes(part)
            }
        };
        Some(Coord {
            x: number(x),
            y: number(y),
        })
    }

    fn line(&mut self, little: bool) -> Option<LineString> {
        let count = self.count(little, 16)?;
        let mut coords = Vec::with_capacity(count);
        for _ in 0..count {
            coords.push(self.coord(little)?);
        }
        Some(LineString(coords))
    }

    fn polygon(&mut self, little: bool) -> Option<Polygon> {
        let rings = self.count(little, 4)?;
        if rings == 0 {
            return None; // an empty polygon: the general reader's
        }
        let exterior = self.line(little)?;
        let interiors = (1..rings)
            .map(|_| self.line(little))
            .collect::<Option<Vec<_>>>()?;
        Some(Polygon::new(exterior, interiors))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The general reader's answer, as the layers took it before.
    fn general(bytes: &[u8]) -> Option<Geometry> {
        use geo_traits::to_geo::ToGeoGeometry as _;
        wkb::reader::read_wkb(bytes).ok()?.try_to_geometry()
    }

    fn written(geometry: &Geometry, little: bool) -> Vec<u8> {
        let mut out = Vec::new();
        let order = if little {
            wkb::Endianness::LittleEndian
        } else {
            wkb::Endianness::BigEndian
        };
        let options = wkb::writer::WriteOptions { endianness: order };
        wkb::writer::write_geometry(&mut out, geometry, &options).expect("written");
        out
    }

    /// Points, lines, polygons with holes and the multis of them, in both byte orders, read
    /// as the general reader reads them; and every byte of them mangled, the fast path either
    /// gives the general reader's answer or leaves it to it.
    #[test]
    fn flat_geometries_are_read_as_the_general_reader_reads_them() {
        let ring = |cx: f64, cy: f64, r: f64, n: usize| -> LineString {
            (0..=n)
                .map(|k| {
                    let a = (k % n) as f64 / n as f64 * std::f64::consts::TAU;
                    (cx + r * a.cos(), cy + r * a.sin())
                })
                .collect()
        };
        let polygon = Polygon::new(ring(106.0, 29.0, 0.2, 24), vec![ring(106.0, 29.0, 0.05, 6)]);
        let geometries = [
            Geometry::Point(Point::new(106.5, 29.5)),
            Geometry::LineString(ring(106.0, 29.0, 0.1, 5)),
            Geometry::Polygon(polygon.clone()),
            Geometry::MultiLineString(MultiLineString::new(vec![
                ring(106.0, 29.0, 0.1, 3),
                ring(107.0, 30.0, 0.1, 4),
            ])),
            Geometry::MultiPolygon(MultiPolygon::new(vec![
                polygon,
                Polygon::new(ring(107.0, 30.0, 0.1, 8), vec![]),
            ])),
        ];
        for geometry in &geometries {
            for little in [true, false] {
                let bytes = written(geometry, little);
                let fast = flat(&bytes).expect("read by the fast path");
                assert_eq!(Some(&fast), general(&bytes).as_ref());
                assert_eq!(&fast, geometry);
                for at in 0..bytes.len() {
                    for value in [0u8, 1, 2, 0x80, 0xff, bytes[at] ^ 0x10] {
                        let mut mangled = bytes.clone();
                        mangled[at] = value;
                        if let Some(fast) = flat(&mangled) {
                            let general = general(&mangled);
                            // NaN is not equal to itself: compare the bits written back.
                            let same = general
                                .as_ref()
                                .is_some_and(|g| written(g, true) == written(&fast, true));
                            assert!(same, "byte {at} = {value}: {fast:?} / {general:?}");
                        }
                    }
                }
                assert_eq!(flat(&bytes[..bytes.len() - 1]), None, "cut short");
                let mut longer = bytes.clone();
                longer.push(0);
                assert_eq!(flat(&longer), general(&longer), "a byte after it");
            }
        }
        // Left to the general reader: an empty point, Z, an SRID, a collection.
        let empty = written(&Geometry::Point(Point::new(f64::NAN, f64::NAN)), true);
        assert_eq!(flat(&empty), None);
        let mut z = vec![1u8];
        z.extend(1001u32.to_le_bytes());
        z.extend([1.0f64, 2.0, 3.0].iter().flat_map(|v| v.to_le_bytes()));
        assert_eq!(flat(&z), None);
        assert!(general(&z).is_some());
    }
}
