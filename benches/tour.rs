//! Presenter frames: the scene built at every frame of each fly-to of the shipped tour (60 fps,
//! one second each) at 1920×1080, first with a cold geometry cache (the first run of a tour),
//! then warm, then cold but after the presenter's warm-up. Baseline in the same run: the scene at a stop, standing still. Target: every
//! frame under 16 ms (60 fps).
//! Run: `cargo bench --bench tour`.

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc; // as the app (src/main.rs)

use std::time::{Duration, Instant};

use chengyu_atlas::geodata::{self, DataSource};
use chengyu_atlas::model::Lang;
use chengyu_atlas::render::{SceneBuilder, SceneOptions, View};
use chengyu_atlas::tour::{self, motion};

const SIZE: [f32; 2] = [1920.0, 1080.0];
const FRAMES: usize = 60;

fn percentile(times: &mut [Duration], share: f64) -> Duration {
    times.sort();
    times[((times.len() - 1) as f64 * share).round() as usize]
}

/// The time to build the scene of every frame of every flight between consecutive stops.
fn fly_all(
    builder: &mut SceneBuilder,
    atlas: &chengyu_atlas::model::Atlas,
    views: &[(View, SceneOptions)],
) -> Vec<Duration> {
    let mut times = Vec::new();
    for pair in views.windows(2) {
        let ((from, _), (to, options)) = (&pair[0], &pair[1]);
        for frame in 0..=FRAMES {
            let view = motion::flight_view(from, to, frame as f64 / FRAMES as f64);
            let started = Instant::now();
            std::hint::black_box(builder.build(atlas, &view, options));
            times.push(started.elapsed());
        }
    }
    times
}

fn main() {
    let atlas = geodata::load(&DataSource::Embedded).atlas;
    let (tours, _) = tour::load_all(None);
    let tour = &tours[0];
    let views: Vec<(View, SceneOptions)> = tour
        .stops
        .iter()
        .map(|stop| {
            let view =
                chengyu_atlas::render::view_for(&atlas, &stop.extent(), SIZE).expect("stop view");
            let options = SceneOptions {
                lang: Lang::Zh,
                layers: stop.layer_settings(&atlas),
                highlight: stop.highlight(&atlas, Lang::Zh),
                basemap_below: false,
                vector_tiles: Default::default(),
                keep_clear: Vec::new(),
            };
            (view, options)
        })
        .collect();
    let mut builder = SceneBuilder::new(&atlas);
    for pass in ["cold", "warm"] {
        let mut times = fly_all(&mut builder, &atlas, &views);
        let count = times.len();
        let total: Duration = times.iter().sum();
        let median = percentile(&mut times, 0.5);
        let p99 = percentile(&mut times, 0.99);
        let max = percentile(&mut times, 1.0);
        println!(
            "tour: {pass} flights, {count} frames: total {:.0} ms, median {:.2} ms, p99 {:.2} ms, max {:.2} ms",
            total.as_secs_f64() * 1e3,
            median.as_secs_f64() * 1e3,
            p99.as_secs_f64() * 1e3,
            max.as_secs_f64() * 1e3
        );
    }
    // What the presenter does before the first flight, a few milliseconds a frame.
    let mut fresh = SceneBuilder::new(&atlas);
    let stops: Vec<View> = views.iter().map(|(view, _)| *view).collect();
    let started = Instant::now();
    for (view, index) in motion::flight_samples(&stops) {
        std::hint::black_box(fresh.build(&atlas, &view, &views[index].1));
    }
    let warm_up = started.elapsed();
    let mut times = fly_all(&mut fresh, &atlas, &views);
    println!(
        "tour: after the warm-up ({:.0} ms, spread over frames), first flights: p99 {:.2} ms, max {:.2} ms",
        warm_up.as_secs_f64() * 1e3,
        percentile(&mut times, 0.99).as_secs_f64() * 1e3,
        percentile(&mut times, 1.0).as_secs_f64() * 1e3
    );
    let mut still: Vec<Duration> = (0..50)
        .map(|_| {
            let (view, options) = &views[views.len() - 1];
            let started = Instant::now();
            std::hint::black_box(builder.build(&atlas, view, options));
            started.elapsed()
        })
        .collect();
    println!(
        "tour: baseline, standing at the last stop: median {:.2} ms",
        percentile(&mut still, 0.5).as_secs_f64() * 1e3
    );
}
