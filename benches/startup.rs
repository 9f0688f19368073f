//! (a) Loading the built-in geodata at start-up, and validating all of it.
//!
//! Baseline in the same run: parsing the same bytes into `serde_json::Value` — the least any
//! GeoJSON loader has to do. Target: start-up load < 150 ms.

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc; // as the app (src/main.rs)

use criterion::{Criterion, criterion_group, criterion_main};

use chengyu_atlas::geodata::{self, DataSource, files};
use chengyu_atlas::render::SceneBuilder;

fn startup(c: &mut Criterion) {
    let mut group = c.benchmark_group("startup");
    group.sample_size(10);
    let texts: Vec<String> = files::ALL
        .iter()
        .map(|name| {
            DataSource::Embedded
                .read(name)
                .expect("built-in")
                .1
                .into_owned()
        })
        .collect();
    group.bench_function("baseline: serde_json::Value of the same bytes", |b| {
        b.iter(|| {
            texts
                .iter()
                .map(|text| {
                    serde_json::from_str::<serde_json::Value>(text)
                        .map(|_| 1)
                        .unwrap_or(0)
                })
                .sum::<usize>()
        })
    });
    group.bench_function("load built-in geodata", |b| {
        b.iter(|| geodata::load(&DataSource::Embedded))
    });
    group.bench_function("load + R-tree and scene builder", |b| {
        b.iter(|| {
            let loaded = geodata::load(&DataSource::Embedded);
            SceneBuilder::new(&loaded.atlas)
        })
    });
    group.bench_function("validate everything (validate subcommand)", |b| {
        b.iter(|| geodata::validate::validate(&DataSource::Embedded))
    });
    group.finish();
}

criterion_group!(benches, startup);
criterion_main!(benches);
