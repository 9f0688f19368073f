//! (c) Resident memory: after start-up, and at its peak after frames at the three zoom levels
//! (every zoom band's geometry cached). Linux only (reads /proc/self/status).
//! Baseline in the same run: the process before loading anything. Target: < 250 MB resident.

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc; // as the app (src/main.rs)

#[path = "common/readers.rs"]
mod readers;

use chengyu_atlas::geodata::{self, DataSource};
use chengyu_atlas::render::{SceneBuilder, SceneOptions, View};

fn status_kib(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn mib(kib: Option<u64>) -> String {
    kib.map_or("n/a".into(), |kib| {
        format!("{:.1} MiB", kib as f64 / 1024.0)
    })
}

fn main() {
    if std::env::args().any(|a| a == "readers") {
        readers::run();
        return;
    }
    let baseline = status_kib("VmRSS:");
    let loaded = geodata::load(&DataSource::Embedded);
    let mut builder = SceneBuilder::new(&loaded.atlas);
    let after_load = status_kib("VmRSS:");
    let options = SceneOptions::default();
    for zone in ["corridor", "science-city", "core"] {
        let fitted = View::fit(
            loaded.atlas.bounds_of(zone).expect("zone"),
            [1920.0, 1080.0],
            24.0,
        );
        // Every band from this zoom down to the corridor's, as zooming in does.
        for step in 0..4 {
            let view = View {
                zoom: fitted.zoom + f64::from(step),
                ..fitted
            };
            std::hint::black_box(builder.build(&loaded.atlas, &view, &options));
        }
    }
    let after_frames = status_kib("VmRSS:");
    let peak = status_kib("VmHWM:");
    println!("memory: baseline (empty process)      {}", mib(baseline));
    println!("memory: after loading + index         {}", mib(after_load));
    println!(
        "memory: after frames at 3 zooms × 4   {} ({} cached geometries)",
        mib(after_frames),
        builder.cached_geometries()
    );
    println!("memory: peak resident (VmHWM)         {}", mib(peak));
    if let (Some(base), Some(peak)) = (baseline, peak) {
        println!(
            "memory: peak minus baseline           {:.1} MiB",
            (peak - base) as f64 / 1024.0
        );
    }
}
