//! Peak memory of each reader, file by file (`cargo bench --bench memory -- readers`): the
//! fixtures of every reader, the atlas's own GeoJSON, 100 000 tiny polygons (the case that
//! took 5× its size), and zip bombs (a KMZ and a zipped Shapefile of a few megabytes that
//! unpack to 3 GB). The bound (issue 26): the process's peak while reading a file is at most
//! 3× the file's size plus the atlas's own 100 MB, and a refusal's peak at most 100 MB in
//! all. Also printed: what the reader added to what the process held before it, and that as a
//! multiple of the file's size. The peak is the kernel's (VmHWM), reset before each file
//! (/proc/self/clear_refs); Linux only. Exits 1 when a file is over its bound.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use chengyu_atlas::geodata::user::{self, LayerOptions};

fn status_kib(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            let line = status
                .lines()
                .find(|line| line.starts_with(field))?
                .to_string();
            line.split_whitespace().nth(1)?.parse().ok()
        })
        .unwrap_or(0)
}

/// The process's peak resident memory from now on starts at what it holds now.
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

fn tiny_polygons(path: &Path) {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).expect("create"));
    write!(out, r#"{{"type":"FeatureCollection","features":["#).expect("write");
    let mut state = 1u64;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % 1_000_000) as f64 / 1_000_000.0
    };
    for index in 0..100_000 {
        let (x, y, d) = (106.0 + next() * 0.8, 29.3 + next() * 0.6, 0.0005);
        let comma = if index == 0 { "" } else { "," };
        write!(
            out,
            r#"{comma}{{"type":"Feature","properties":{{"name":"p{index}","v":{index}}},"geometry":{{"type":"Polygon","coordinates":[[[{x:.6},{y:.6}],[{:.6},{y:.6}],[{:.6},{:.6}],[{x:.6},{:.6}],[{x:.6},{y:.6}]]]}}}}"#,
            x + d,
            x + d,
            y + d,
            y + d
        )
        .expect("write");
    }
    write!(out, "]}}").expect("write");
}

/// A zip of `members`, each declared whole; `big` is a member of `size` spaces (deflated to
/// about a thousandth).
fn zip_bomb(path: &Path, big: &str, size: u64, members: &[(&str, &[u8])]) {
    let file = std::fs::File::create(path).expect("create");
    let mut writer = zip::ZipWriter::new(file);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(1))
        .large_file(true);
    for (name, bytes) in members {
        writer.start_file(*name, options).expect("start");
        writer.write_all(bytes).expect("write");
    }
    writer.start_file(big, options).expect("start");
    let chunk = vec![b' '; 1 << 20];
    for _ in 0..size / chunk.len() as u64 {
        writer.write_all(&chunk).expect("write");
    }
    writer.finish().expect("finish");
}

fn fixtures(dir: &Path) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<PathBuf> = std::fs::read_dir(root.join("tests/data/user"))
        .expect("fixtures")
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| {
            path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
                ["csv", "geojson", "geojsonl", "kml", "kmz", "shp", "zip"].contains(&e)
            })
        })
        .collect();
    files.sort();
    // The bombs first: the process's peak then is the atlas's and the refusal's alone
    // (memory freed by a reader before stays resident with the allocator).
    let kmz = dir.join("bomb.kmz");
    if !kmz.exists() {
        zip_bomb(&kmz, "doc.kml", 3 << 30, &[]);
    }
    files.insert(0, kmz);
    let shp_zip = dir.join("bomb-shapefile.zip");
    if !shp_zip.exists() {
        let part = |extension: &str| {
            std::fs::read(root.join(format!("tests/data/user/platforms-gbk.{extension}")))
                .expect("fixture")
        };
        let (shp, shx) = (part("shp"), part("shx"));
        zip_bomb(
            &shp_zip,
            "bomb.dbf",
            3 << 30,
            &[("bomb.shp", &shp[..]), ("bomb.shx", &shx[..])],
        );
    }
    files.insert(1, shp_zip);
    files.push(root.join("geodata/zones.geojson"));
    files.push(root.join("geodata/platforms.geojson"));
    let tiny = dir.join("tiny-polygons.geojson");
    if !tiny.exists() {
        tiny_polygons(&tiny);
    }
    files.push(tiny);
    files
}

pub fn run() {
    let dir = std::env::temp_dir().join("chengyu-reader-memory");
    std::fs::create_dir_all(&dir).expect("dir");
    let files = fixtures(&dir);
    // What the process holds with the atlas loaded, as the window does.
    let _atlas = chengyu_atlas::geodata::load(&chengyu_atlas::geodata::DataSource::Embedded);
    println!(
        "readers: atlas loaded, resident {:.1} MiB (the baseline every file is measured from)",
        status_kib("VmRSS:") as f64 / 1024.0
    );
    println!(
        "{:<32} {:>8} {:>9} {:>7} {:>9} {:>9} {:>7}  result",
        "file", "size MB", "added MB", "× size", "peak MB", "bound MB", "time s"
    );
    let mut over = 0;
    for path in &files {
        let size = std::fs::metadata(path).map_or(0, |m| m.len()) as f64 / 1e6;
        let before = status_kib("VmRSS:");
        reset_peak();
        let started = Instant::now();
        let result = user::load(path, &LayerOptions::default());
        let seconds = started.elapsed().as_secs_f64();
        let mb = |kib: u64| kib as f64 * 1024.0 / 1e6;
        let peak_kib = status_kib("VmHWM:");
        let (peak, added) = (mb(peak_kib), mb(peak_kib.saturating_sub(before)));
        let (bound, said) = match &result {
            Ok(loaded) => (
                3.0 * size + 100.0,
                format!("{} features", loaded.features.len()),
            ),
            Err(error) => (
                100.0,
                format!(
                    "refused: {}",
                    error.problem.chars().take(50).collect::<String>()
                ),
            ),
        };
        drop(result);
        let verdict = if peak <= bound { "ok" } else { "OVER" };
        let times = if size >= 1.0 {
            format!("{:.1}", added / size)
        } else {
            "-".to_string()
        };
        if verdict == "OVER" {
            over += 1;
        }
        let name = path
            .file_name()
            .map_or(String::new(), |n| n.to_string_lossy().into_owned());
        println!(
            "{name:<32} {size:>8.2} {added:>9.1} {times:>7} {peak:>9.1} {bound:>9.1} {seconds:>7.2}  {verdict} ({said})"
        );
    }
    if over > 0 {
        println!("readers: {over} file(s) over their bound");
        std::process::exit(1);
    }
    println!("readers: every file within its bound");
}
