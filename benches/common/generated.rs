//! Data the benchmarks generate: a repeatable random sequence, a CSV of a million points and
//! 100 000-polygon layers.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Xorshift: the same numbers in every run, so that runs compare.
pub struct Random(pub u64);

impl Random {
    pub fn next(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// A GeoJSON of `count` 24-gons (parcels with an id, a name, an area and a use) around the
/// region, written once to `path` and kept.
pub fn write_polygons(path: &Path, count: usize) -> PathBuf {
    if path.is_file() {
        return path.to_path_buf();
    }
    let mut random = Random(7);
    let mut text = String::from("{\"type\":\"FeatureCollection\",\"features\":[\n");
    for n in 0..count {
        let (cx, cy) = (103.5 + 4.5 * random.next(), 28.5 + 3.0 * random.next());
        let r = 0.004 + 0.01 * random.next();
        let mut ring = String::new();
        for k in 0..=24 {
            let a = (k % 24) as f64 / 24.0 * std::f64::consts::TAU;
            let _ = write!(
                ring,
                "{}[{:.6},{:.6}]",
                if k == 0 { "" } else { "," },
                cx + r * a.cos(),
                cy + r * a.sin() * 0.9
            );
        }
        let _ = writeln!(
            text,
            "{}{{\"type\":\"Feature\",\"properties\":{{\"id\":\"P{n:06}\",\"name\":\"地块{n}\",\"area_ha\":{:.2},\"use\":\"工业\"}},\"geometry\":{{\"type\":\"Polygon\",\"coordinates\":[[{ring}]]}}}}",
            if n == 0 { "" } else { "," },
            r * r * 1e6
        );
    }
    text.push_str("]}\n");
    std::fs::write(path, text).expect("write");
    path.to_path_buf()
}

/// A CSV of `count` enterprises (编号, 名称, 类别, 经度, 纬度) around the region, written once to
/// `path` and kept.
pub fn write_points(path: &Path, count: usize) -> PathBuf {
    if path.is_file() {
        return path.to_path_buf();
    }
    let mut random = Random(0x9e37_79b9_7f4a_7c15);
    let kinds = ["制造", "软件", "生物医药", "新材料", "科技服务", "电子信息"];
    let mut text = String::from("编号,名称,类别,经度,纬度\n");
    for n in 0..count {
        let lon = 103.5 + 4.5 * random.next();
        let lat = 28.5 + 3.0 * random.next();
        let kind = kinds[n % kinds.len()];
        let _ = writeln!(text, "E{n:07},企业{n},{kind},{lon:.6},{lat:.6}");
    }
    std::fs::write(path, text).expect("write");
    path.to_path_buf()
}
