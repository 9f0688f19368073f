//! A user's big file through `--data`: 100 000 polygons (24-gons, county-like properties, about
//! 55 MB), generated here in place of the counties layer. Each measurement runs in a process of
//! its own (this benchmark runs itself), so that its peak memory is its own.
//!
//! Baseline, in the same run: `serde_json::Value` of the same bytes — the least any GeoJSON
//! reader does. Targets: the whole `--data` load ≤ 0.5 s, peak ≤ 3× the file's size.

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc; // as the app (src/main.rs)

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use chengyu_atlas::geodata::{self, DataSource, files};

const POLYGONS: usize = 100_000;
const MODE: &str = "BIG_FILE_MODE";

fn status_kib(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            let line = status.lines().find(|line| line.starts_with(field))?;
            line.split_whitespace().nth(1)?.parse().ok()
        })
        .unwrap_or(0)
}

fn main() {
    let dir = std::env::temp_dir().join("chengyu-big-file-bench");
    match std::env::var(MODE).as_deref() {
        Ok("serde") => measure(|| {
            let text = std::fs::read_to_string(dir.join(files::COUNTIES)).expect("read");
            std::hint::black_box(serde_json::from_str::<serde_json::Value>(&text).is_ok());
        }),
        Ok("load") => measure(|| {
            let loaded = geodata::load(&DataSource::Dir(dir.clone()));
            assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
            std::hint::black_box(loaded.atlas.features().count());
        }),
        _ => compare(&dir),
    }
}

/// Runs `work` and prints its time and the peak memory it added.
fn measure(work: impl FnOnce()) {
    let baseline = status_kib("VmRSS:");
    let started = Instant::now();
    work();
    let seconds = started.elapsed().as_secs_f64();
    let peak = status_kib("VmHWM:").saturating_sub(baseline);
    println!("{seconds} {peak}");
}

fn compare(dir: &Path) {
    let bytes = write_data(dir);
    let this = std::env::current_exe().expect("this benchmark");
    let run = |mode: &str| -> (f64, f64) {
        let mut times = Vec::new();
        let mut peaks = Vec::new();
        for _ in 0..3 {
            let output = Command::new(&this).env(MODE, mode).output().expect("run");
            let text = String::from_utf8_lossy(&output.stdout);
            let mut parts = text.split_whitespace();
            let seconds: f64 = parts
                .next()
                .and_then(|s| s.parse().ok())
                .unwrap_or(f64::NAN);
            let kib: f64 = parts
                .next()
                .and_then(|s| s.parse().ok())
                .unwrap_or(f64::NAN);
            times.push(seconds);
            peaks.push(kib * 1024.0);
        }
        times.sort_by(f64::total_cmp);
        peaks.sort_by(f64::total_cmp);
        (times[1], peaks[1])
    };
    let (serde_s, serde_peak) = run("serde");
    let (load_s, load_peak) = run("load");
    let mb = |b: f64| b / 1e6;
    println!(
        "big file: {POLYGONS} polygons, {:.1} MB (median of 3 runs)",
        mb(bytes as f64)
    );
    println!(
        "  baseline serde_json::Value:   {:>6.3} s, peak +{:>6.1} MB ({:.2}× the file)",
        serde_s,
        mb(serde_peak),
        serde_peak / bytes as f64
    );
    println!(
        "  --data load (all layers):     {:>6.3} s, peak +{:>6.1} MB ({:.2}× the file) — {:.2}× the baseline's time",
        load_s,
        mb(load_peak),
        load_peak / bytes as f64,
        load_s / serde_s
    );
}

/// The committed data with the counties replaced by the big file; returns its size in bytes.
fn write_data(dir: &Path) -> usize {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("geodata");
    for file in files::ALL.into_iter().chain([files::CONTENT]) {
        let target = dir.join(file);
        std::fs::create_dir_all(target.parent().expect("parent")).expect("mkdir");
        std::fs::copy(root.join(file), target).expect("copy");
    }
    let mut text = String::with_capacity(60_000_000);
    text.push_str("{\"type\":\"FeatureCollection\",\"features\":[\n");
    let side = (POLYGONS as f64).sqrt().ceil() as usize;
    let (x0, y0, cell_w, cell_h) = (101.9, 27.6, 7.3 / side as f64, 5.0 / side as f64);
    let mut seed = 42u64;
    for i in 0..POLYGONS {
        let (cx, cy) = (
            x0 + (i % side) as f64 * cell_w + cell_w / 2.0,
            y0 + (i / side) as f64 * cell_h + cell_h / 2.0,
        );
        if i > 0 {
            text.push_str(",\n");
        }
        let _ = write!(
            text,
            "{{\"type\":\"Feature\",\"properties\":{{\"id\":\"{i}\",\"name_zh\":\"区县{i}\",\"name_en\":\"County {i}\",\"province\":\"四川省\",\"rank\":3}},\"geometry\":{{\"type\":\"Polygon\",\"coordinates\":[["
        );
        let mut first = String::new();
        for k in 0..24 {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let r = 0.3 + 0.2 * ((seed >> 11) as f64 / (1u64 << 53) as f64);
            let angle = k as f64 / 24.0 * std::f64::consts::TAU;
            let position = format!(
                "[{:.6},{:.6}]",
                cx + angle.cos() * cell_w * r,
                cy + angle.sin() * cell_h * r
            );
            if k == 0 {
                first.clone_from(&position);
            }
            text.push_str(&position);
            text.push(',');
        }
        text.push_str(&first);
        text.push_str("]]}}");
    }
    text.push_str("\n]}\n");
    std::fs::write(dir.join(files::COUNTIES), &text).expect("write");
    text.len()
}
