//! Export speed and memory: 3840×2160 PNG and A3 300 dpi PDF of the corridor and of the science
//! city, the full path (layout → SVG → usvg → resvg/svg2pdf → bytes). Targets: each under 1 s
//! and under 400 MB.
//!
//! Each case runs in a child process of its own, so its peak resident memory (VmHWM) is its
//! own. Baseline in the same run: a blank page of the same size through the same encoder.
//! Run: `cargo bench --bench export`.

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc; // as the app (src/main.rs)

use std::process::Command;
use std::time::{Duration, Instant};

use chengyu_atlas::export::{self, ExportRequest, Extent, Format, Page, PageSize, Paper};
use chengyu_atlas::geodata::{self, DataSource};
use chengyu_atlas::render::SceneBuilder;

const RUNS: usize = 5;

struct Case {
    name: &'static str,
    /// A zone, or `tour:NAME` for a tour's handout (one A4 page per stop).
    zone: &'static str,
    size: PageSize,
    format: Format,
}

fn cases() -> Vec<Case> {
    let uhd = PageSize::Pixels {
        width: 3840,
        height: 2160,
    };
    let a3 = PageSize::Paper {
        paper: Paper::A3,
        landscape: true,
        dpi: 300,
    };
    vec![
        Case {
            name: "corridor     3840×2160 PNG",
            zone: "corridor",
            size: uhd,
            format: Format::Png,
        },
        Case {
            name: "science city 3840×2160 PNG",
            zone: "science-city",
            size: uhd,
            format: Format::Png,
        },
        Case {
            name: "corridor     A3 300 dpi PDF",
            zone: "corridor",
            size: a3,
            format: Format::Pdf,
        },
        Case {
            name: "science city A3 300 dpi PDF",
            zone: "science-city",
            size: a3,
            format: Format::Pdf,
        },
        Case {
            name: "handout, 9 pages A4 PDF",
            zone: "tour:one-core-five-districts",
            size: chengyu_atlas::export::handout::HANDOUT_PAGE,
            format: Format::Pdf,
        },
    ]
}

fn status_kib(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

/// A blank page of the same size and format: what the encoder alone costs.
fn blank(size: PageSize, format: Format) -> Duration {
    let page = Page::for_size(size).expect("page");
    let svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\"><rect width=\"{w}\" height=\"{h}\" fill=\"#ffffff\"/></svg>",
        w = page.width_px,
        h = page.height_px
    );
    let started = Instant::now();
    std::hint::black_box(export::encode(&svg, &page, format).expect("blank"));
    started.elapsed()
}

/// One case, in this (child) process: prints `time_ms baseline_ms stages… bytes peak_kib`.
fn run_case(index: usize) {
    let case = &cases()[index];
    let loaded = geodata::load(&DataSource::Embedded);
    let mut builder = SceneBuilder::new(&loaded.atlas);
    let request = ExportRequest::new(Extent::Feature(case.zone.into()), case.size);
    let mut totals = Vec::new();
    let mut layouts = Vec::new();
    let mut bytes = 0;
    if let Some(name) = case.zone.strip_prefix("tour:") {
        let (tours, _) = chengyu_atlas::tour::load_all(None);
        let tour = tours.iter().find(|t| t.id == name).expect("tour");
        for _ in 0..RUNS {
            let started = Instant::now();
            let mut document = chengyu_atlas::export::handout::HandoutPdf::default();
            let mut layout = std::time::Duration::ZERO;
            for number in 0..tour.stops.len() {
                let laying_out = Instant::now();
                let (svg, page) = chengyu_atlas::export::handout::compose_page(
                    &loaded.atlas,
                    &mut builder,
                    tour,
                    number,
                    &chengyu_atlas::export::handout::Handout {
                        size: case.size,
                        ..chengyu_atlas::export::handout::Handout::plain(
                            chengyu_atlas::model::Lang::Zh,
                        )
                    },
                )
                .expect("page");
                layout += laying_out.elapsed();
                document.add(&svg, &page).expect("pdf page");
            }
            layouts.push(layout);
            bytes = document.finish("handout").len();
            totals.push(started.elapsed());
        }
    }
    for _ in 0..if case.zone.starts_with("tour:") {
        0
    } else {
        RUNS
    } {
        let started = Instant::now();
        let composition = export::compose(&loaded.atlas, &mut builder, &request).expect("compose");
        layouts.push(started.elapsed());
        let encoded =
            export::encode(&composition.svg, &composition.page, case.format).expect("encode");
        totals.push(started.elapsed());
        bytes = encoded.len();
    }
    let baseline = median((0..RUNS).map(|_| blank(case.size, case.format)).collect());
    println!(
        "{} {} {} {} {}",
        median(totals).as_secs_f64() * 1e3,
        baseline.as_secs_f64() * 1e3,
        median(layouts).as_secs_f64() * 1e3,
        bytes,
        status_kib("VmHWM:").unwrap_or(0)
    );
}

fn main() {
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--case" {
            let index = args
                .next()
                .and_then(|i| i.parse().ok())
                .expect("case index");
            run_case(index);
            return;
        }
    }
    let me = std::env::current_exe().expect("own path");
    println!(
        "export: median of {RUNS} runs each, in a process of its own; baseline = a blank page of the same size and format"
    );
    for (index, case) in cases().iter().enumerate() {
        let output = Command::new(&me)
            .args(["--case", &index.to_string()])
            .output()
            .expect("run case");
        let text = String::from_utf8_lossy(&output.stdout);
        let fields: Vec<f64> = text
            .split_whitespace()
            .filter_map(|f| f.parse().ok())
            .collect();
        let [total, baseline, layout, bytes, peak_kib] = fields[..] else {
            println!(
                "export: {}: failed: {}",
                case.name,
                String::from_utf8_lossy(&output.stderr)
            );
            continue;
        };
        println!(
            "export: {:<28} {total:7.0} ms (layout {layout:4.0} ms; blank page {baseline:5.1} ms, {})  peak {:5.0} MiB  {:5.1} MB file",
            case.name,
            if baseline >= 1.0 {
                format!("×{:.1}", total / baseline)
            } else {
                "—".to_string()
            },
            peak_kib / 1024.0,
            bytes / 1e6,
        );
    }
}
