//! The files staff are sent and hand on, at scale, each against GDAL's ogr2ogr doing the same
//! conversion in the same run (whole processes: wall time and peak memory, from wait4):
//!
//! 1. an .xlsx of 1 000 000 rows × 5 columns (written here by rust_xlsxwriter) read and
//!    written as a GeoPackage — `chengyu-atlas convert` against `ogr2ogr -f GPKG`; target:
//!    the read under 3 s, the memory under 2.5× the sheet's unzipped size;
//! 2. the readers, lean: a CSV of 1 000 000 points and the GeoJSON of 100 000 polygons as
//!    `identify --layer` (read, indexed, one point identified) — the CSV against pandas +
//!    shapely doing the same (`baselines/pandas_points.py`, when python3 has pandas and
//!    shapely 2); target: ahead of it, each at most 3× its file's size;
//! 3. a GeoPackage of 100 000 polygons (24-gons) opened as a layer, in this process, and
//!    opened in the window until its first view is drawn (its layer read in the background,
//!    indexed, the frame laid out and tessellated); target < 0.5 s;
//! 4. those 100 000 polygons written as GeoJSON, GeoPackage, .xlsx, CSV and KML — the
//!    atlas's writer in this process against `ogr2ogr` from the same GeoJSON; target < 2 s.
//!
//! `cargo bench --bench formats`; the generated files stay in $TMPDIR/chengyu-formats-bench.

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc; // as the app (src/main.rs)

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use chengyu_atlas::geodata::user::write::{DataOptions, write_data};

#[path = "common/generated.rs"]
mod generated;
#[allow(dead_code)]
#[path = "common/window.rs"]
mod window;
use chengyu_atlas::geodata::user::{self, LayerOptions, LayerSpec};
use generated::{Random, write_points, write_polygons};

fn main() {
    let dir = std::env::temp_dir().join("chengyu-formats-bench");
    std::fs::create_dir_all(&dir).expect("bench folder");
    println!("formats benchmark (figures from this run; ogr2ogr is GDAL's, from Debian)\n");
    // The whole processes first, while this one is small: a child's peak memory, as wait4
    // gives it, is at least its parent's at the moment it was spawned.
    let workbook = write_workbook(&dir.join("rows.xlsx"), 1_000_000);
    let polygons = write_polygons(&dir.join("polygons.geojson"), 100_000);
    let points = write_points(&dir.join("points.csv"), 1_000_000);
    reading_a_workbook(&workbook, &dir);
    reading_lean(&points, &polygons);
    writing_polygons(&polygons, &dir);
}

/// Part 4: the CSV and GeoJSON readers' whole processes, the CSV against pandas + shapely.
fn reading_lean(points: &Path, polygons: &Path) {
    println!("2. the readers, whole processes (identify --layer: read, index, one point)");
    let atlas = env!("CARGO_BIN_EXE_chengyu-atlas");
    let size = |path: &Path| std::fs::metadata(path).map_or(1, |m| m.len());
    let identify = |path: &Path| {
        measured(
            Command::new(atlas)
                .args(["identify", "--layer"])
                .arg(path)
                .arg("106.3,29.6")
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null()),
        )
    };
    for (what, path) in [
        ("1 000 000-point CSV", points),
        ("100 000-polygon GeoJSON", polygons),
    ] {
        let (wall, peak, ok) = identify(path);
        println!(
            "   {what} ({:.0} MB): {:.2} s, peak {:.0} MiB ({:.2}× the file){}",
            size(path) as f64 / 1e6,
            wall.as_secs_f64(),
            mib(peak),
            peak as f64 / size(path) as f64,
            if ok { "" } else { " — FAILED" }
        );
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/baselines/pandas_points.py");
    let python = Command::new("python3")
        .args([
            "-c",
            "import pandas, shapely; assert shapely.__version__ >= '2'",
        ])
        .status()
        .is_ok_and(|s| s.success());
    if !python {
        println!(
            "   pandas + shapely 2: not installed (pip install pandas shapely), no baseline\n"
        );
        return;
    }
    let (ours, our_peak, _) = identify(points);
    let (theirs, their_peak, ok) = measured(
        Command::new("python3")
            .arg(&script)
            .arg(points)
            .stdout(std::process::Stdio::null()),
    );
    println!(
        "   pandas + shapely, the same CSV: {:.2} s, peak {:.0} MiB{} — the atlas {:.2}× its time, {:.2}× its memory",
        theirs.as_secs_f64(),
        mib(their_peak),
        if ok { "" } else { " — FAILED" },
        ours.as_secs_f64() / theirs.as_secs_f64(),
        our_peak as f64 / their_peak as f64
    );
    println!();
}

/// A whole process: its wall time and peak resident memory.
fn measured(command: &mut Command) -> (Duration, u64, bool) {
    use std::os::unix::process::ExitStatusExt as _;
    command
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    let started = Instant::now();
    // Reaped by wait4 below, which also gives its resource use (Child::wait does not).
    #[allow(clippy::zombie_processes)]
    let child = command.spawn().expect("spawn");
    let mut status = 0;
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waits for our own child; `usage` is a plain struct the kernel fills.
    let pid = unsafe { libc::wait4(child.id() as i32, &mut status, 0, &mut usage) };
    let wall = started.elapsed();
    assert_eq!(pid, child.id() as i32, "wait4");
    let ok = std::process::ExitStatus::from_raw(status)
        .code()
        .is_some_and(|c| c <= 1);
    (wall, usage.ru_maxrss as u64 * 1024, ok)
}

fn mib(bytes: u64) -> f64 {
    bytes as f64 / 1_048_576.0
}

fn best_of<T>(n: usize, mut run: impl FnMut() -> T) -> (Duration, T) {
    let mut best = Duration::MAX;
    let mut last = None;
    for _ in 0..n {
        let started = Instant::now();
        let value = run();
        best = best.min(started.elapsed());
        last = Some(value);
    }
    (best, last.expect("a run"))
}

fn write_workbook(path: &Path, rows: u32) -> PathBuf {
    if path.is_file() {
        return path.to_path_buf();
    }
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet_with_constant_memory().expect("sheet");
    for (c, heading) in ["id", "名称", "类别", "经度", "纬度"].iter().enumerate() {
        sheet.write_string(0, c as u16, *heading).expect("cell");
    }
    let mut random = Random(7);
    let mut next = || random.next();
    for r in 1..=rows {
        sheet.write_number(r, 0, f64::from(r)).expect("cell");
        sheet.write_string(r, 1, format!("企业{r}")).expect("cell");
        sheet
            .write_string(r, 2, ["制造", "研发", "服务"][r as usize % 3])
            .expect("cell");
        sheet
            .write_number(r, 3, 103.5 + 4.5 * next())
            .expect("cell");
        sheet.write_number(r, 4, 28.5 + 3.0 * next()).expect("cell");
    }
    book.save(path).expect("save");
    path.to_path_buf()
}

fn unzipped_size(path: &Path) -> u64 {
    let file = std::fs::File::open(path).expect("open");
    let mut archive = zip::ZipArchive::new(file).expect("zip");
    (0..archive.len())
        .map(|i| archive.by_index_raw(i).map_or(0, |e| e.size()))
        .sum()
}

fn reading_a_workbook(path: &Path, dir: &Path) {
    let packed = std::fs::metadata(path).map_or(0, |m| m.len());
    let unzipped = unzipped_size(path);
    println!(
        "1. an .xlsx of 1 000 000 rows × 5 columns ({:.0} MB, {:.0} MB unzipped) to a GeoPackage, whole processes",
        mib(packed),
        mib(unzipped)
    );
    let atlas = env!("CARGO_BIN_EXE_chengyu-atlas");
    let ours = dir.join("rows-atlas.gpkg");
    let theirs = dir.join("rows-ogr.gpkg");
    let _ = std::fs::remove_file(&ours);
    let _ = std::fs::remove_file(&theirs);
    let (wall, peak, ok) = measured(Command::new(atlas).arg("convert").arg(path).arg(&ours));
    println!(
        "   chengyu-atlas convert: {:.2} s, peak {:.0} MiB ({:.2}× the unzipped sheet){}",
        wall.as_secs_f64(),
        mib(peak),
        peak as f64 / unzipped as f64,
        if ok { "" } else { "  FAILED" }
    );
    // The read alone: the same file read and nothing written (identify of one point).
    let (read_wall, read_peak, _) = measured(
        Command::new(atlas)
            .arg("identify")
            .arg("--layer")
            .arg(path)
            .arg("106.3,29.6"),
    );
    println!(
        "   read alone (identify --layer): {:.2} s, peak {:.0} MiB ({:.2}× the unzipped sheet)",
        read_wall.as_secs_f64(),
        mib(read_peak),
        read_peak as f64 / unzipped as f64
    );
    let (gdal_wall, gdal_peak, gdal_ok) = measured(
        Command::new("ogr2ogr")
            .args(["-f", "GPKG"])
            .arg(&theirs)
            .arg(path)
            .args(["-oo", "FIELD_TYPES=AUTO"]),
    );
    println!(
        "   ogr2ogr -f GPKG (attributes only: GDAL makes no points of a sheet): {:.2} s, peak {:.0} MiB{}",
        gdal_wall.as_secs_f64(),
        mib(gdal_peak),
        if gdal_ok { "" } else { "  FAILED" }
    );
    println!(
        "   ratio: {:.2}× ogr2ogr's time, {:.2}× its memory\n",
        wall.as_secs_f64() / gdal_wall.as_secs_f64(),
        peak as f64 / gdal_peak as f64
    );
}

fn writing_polygons(source: &Path, dir: &Path) {
    println!(
        "3. 100 000 polygons (24-gons) as a GeoPackage layer, opened in this process, best of 3"
    );
    let layer = user::load(source, &LayerOptions::default()).expect("the polygons");
    let gpkg = dir.join("polygons-source.gpkg");
    let _ = std::fs::remove_file(&gpkg);
    write_data(&gpkg, &layer.info, &layer.features, &DataOptions::default()).expect("gpkg");
    let (open, opened) = best_of(3, || {
        user::load(&gpkg, &LayerOptions::default()).expect("read")
    });
    let (json, _) = best_of(3, || {
        user::load(source, &LayerOptions::default()).expect("read")
    });
    println!(
        "   opened: {:.0} ms ({} features), against the same polygons as GeoJSON: {:.0} ms",
        open.as_secs_f64() * 1000.0,
        opened.features.len(),
        json.as_secs_f64() * 1000.0
    );
    // In the window: from adding the layer to the end of the first frame that draws it,
    // frames drawn when the window asks for them (every 50 ms while a file is read).
    let drawn = (0..3)
        .map(|_| {
            let mut window = window::Window::new(|_, app| app);
            // Settled, as a window is when a file is opened from its menu.
            std::thread::sleep(Duration::from_secs(1));
            let started = Instant::now();
            window.state_mut().add_layer(&LayerSpec::new(&gpkg, None));
            // The longest frame meanwhile: the one that takes the layer in and draws it first.
            let longest = window.run_until(|app| app.layers_loading() == 0);
            (started.elapsed(), longest)
        })
        .min()
        .expect("three runs");
    println!(
        "   opened in the window and its first view drawn (1920×1080, without a GPU): {:.0} ms, its longest frame {:.0} ms (target < 500 ms)\n",
        drawn.0.as_secs_f64() * 1000.0,
        drawn.1.as_secs_f64() * 1000.0
    );
    println!(
        "4. those 100 000 polygons written, the atlas (in this process, best of 3) against ogr2ogr (a whole process, reading the GeoJSON too)"
    );
    for (extension, driver) in [
        ("geojson", "GeoJSON"),
        ("gpkg", "GPKG"),
        ("xlsx", "XLSX"),
        ("csv", "CSV"),
        ("kml", "KML"),
    ] {
        let ours = dir.join(format!("polygons-atlas.{extension}"));
        let (took, _) = best_of(3, || {
            let _ = std::fs::remove_file(&ours);
            write_data(&ours, &layer.info, &layer.features, &DataOptions::default())
        });
        let written = write_data(&ours, &layer.info, &layer.features, &DataOptions::default());
        let theirs = dir.join(format!("polygons-ogr.{extension}"));
        let _ = std::fs::remove_file(&theirs);
        let mut command = Command::new("ogr2ogr");
        command.args(["-f", driver]).arg(&theirs).arg(source);
        if driver == "CSV" {
            command.args(["-lco", "GEOMETRY=AS_WKT"]);
        }
        let (gdal, _, gdal_ok) = measured(&mut command);
        println!(
            "   {extension:8} atlas {:6.0} ms{}   ogr2ogr {:6.0} ms{}   ({:.2}×)",
            took.as_secs_f64() * 1000.0,
            match &written {
                Ok(_) => String::new(),
                Err(why) => format!(" FAILED: {why}"),
            },
            gdal.as_secs_f64() * 1000.0,
            if gdal_ok { "" } else { " FAILED" },
            took.as_secs_f64() / gdal.as_secs_f64()
        );
    }
}
