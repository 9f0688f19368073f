//! A tour as a video: the shipped tour of the core and its five districts (9 stops) encoded
//! at 1920×1080, 30 frames a second, each stop its own time (about 2 minutes of video), with
//! the time it takes against the video's own length (target: at least real time on this
//! 2-core machine) and against a baseline in the same run: the same pictures, drawn the same
//! way, written as a PNG file per frame (an image sequence; a held stop's PNG encoded once and
//! its bytes written for each of its frames), which is the cost of drawing the frames with
//! almost nothing of encoding's: what the video adds over it is OpenH264's. Then memory: the
//! peak resident size of a whole process making the tour's video, against one making the
//! same tour three times over (27 stops, same time a stop): flat, as frames stream to the
//! encoder and none are held.
//!
//! `cargo bench --bench video`.

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc; // as the app (src/main.rs)

use std::path::Path;
use std::time::Instant;

use chengyu_atlas::export::video::{self, Segment, VideoRequest};
use chengyu_atlas::geodata::{self, DataSource};
use chengyu_atlas::model::{Atlas, Lang};
use chengyu_atlas::render::SceneBuilder;
use chengyu_atlas::tour::{self, Tour};

fn the_tour(times: usize) -> Tour {
    let (tours, _) = tour::load_all(None);
    let mut tour = tours
        .into_iter()
        .find(|t| t.id == "one-core-five-districts")
        .expect("shipped tour");
    let stops = tour.stops.clone();
    for _ in 1..times {
        tour.stops.extend(stops.iter().cloned());
    }
    tour
}

/// Peak resident memory of this process so far, in MiB (Linux).
fn peak_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

fn encode(atlas: &Atlas, tour: &Tour, request: &VideoRequest, out: &Path) -> (f64, f64, u64) {
    let mut builder = SceneBuilder::new(atlas);
    let started = Instant::now();
    let report = video::write(
        atlas,
        &mut builder,
        tour,
        request,
        out,
        true,
        &mut |_, _| true,
    )
    .expect("video");
    (
        started.elapsed().as_secs_f64(),
        report.seconds,
        report.bytes,
    )
}

/// The baseline: every frame's picture drawn as the video draws it (a held stop once) and
/// written as a PNG.
fn png_sequence(atlas: &Atlas, tour: &Tour, request: &VideoRequest, dir: &Path) -> f64 {
    let timeline = request.timeline(tour, atlas).expect("timeline");
    let mut builder = SceneBuilder::new(atlas);
    let started = Instant::now();
    let mut frame = 0u64;
    for segment in &timeline.segments {
        let mut held = None;
        for index in 0..segment.frames() {
            let png = match (&held, segment) {
                (Some(png), Segment::Hold { .. }) => png,
                _ => {
                    let picture = video::frame(
                        atlas,
                        &mut builder,
                        tour,
                        segment.stop(),
                        &segment.view(index),
                        request,
                    )
                    .expect("frame");
                    held = Some(picture.encode_png().expect("png"));
                    held.as_ref().expect("just set")
                }
            };
            std::fs::write(dir.join(format!("{frame:06}.png")), png).expect("png written");
            frame += 1;
        }
    }
    started.elapsed().as_secs_f64()
}

fn main() {
    let loaded = geodata::load(&DataSource::Embedded);
    let atlas = &loaded.atlas;
    let dir = std::env::temp_dir().join("chengyu-video-bench");
    std::fs::create_dir_all(&dir).expect("bench folder");
    let args: Vec<String> = std::env::args().collect();
    // A child run for the memory figures: `video --memory N` makes the tour N times over.
    if let Some(at) = args.iter().position(|a| a == "--memory") {
        let times: usize = args[at + 1].parse().expect("times");
        let request = VideoRequest {
            seconds_per_stop: Some(3.0),
            ..VideoRequest::new(Lang::Zh)
        };
        let before = peak_mib();
        let (took, seconds, _) = encode(
            atlas,
            &the_tour(times),
            &request,
            &dir.join(format!("memory-{times}.mp4")),
        );
        println!(
            "{:>2} stops: {seconds:>5.0} s of video in {took:>5.1} s; peak memory {:>5.0} MiB (data loaded: {before:.0} MiB)",
            9 * times,
            peak_mib()
        );
        return;
    }
    println!("video benchmark (figures from this run)\n");
    let tour = the_tour(1);
    let request = VideoRequest::new(Lang::Zh);
    let timeline = request.timeline(&tour, atlas).expect("timeline");
    println!(
        "tour: {} stops, {} frames at 1920×1080, {} fps ({:.0} s; {} pictures drawn)",
        tour.stops.len(),
        timeline.frames(),
        request.fps,
        timeline.seconds(),
        timeline.pictures()
    );
    let (took, seconds, bytes) = encode(atlas, &tour, &request, &dir.join("tour.mp4"));
    println!(
        "H.264 MP4:    {took:>6.1} s  ({:.2}× real time; {:.1} MB)",
        seconds / took,
        bytes as f64 / 1e6
    );
    let frames = dir.join("frames");
    let _ = std::fs::remove_dir_all(&frames);
    std::fs::create_dir_all(&frames).expect("frames folder");
    let baseline = png_sequence(atlas, &tour, &request, &frames);
    let png_bytes: u64 = std::fs::read_dir(&frames)
        .expect("frames")
        .filter_map(|e| e.ok()?.metadata().ok())
        .map(|m| m.len())
        .sum();
    println!(
        "PNG per frame: {baseline:>6.1} s  ({:.2}× real time; {:.0} MB) — the video takes {:.2}× the baseline's time",
        seconds / baseline,
        png_bytes as f64 / 1e6,
        took / baseline
    );
    let _ = std::fs::remove_dir_all(&frames);
    println!("\nmemory, whole processes (3 s a stop):");
    let me = std::env::current_exe().expect("this bench");
    for times in [1, 3] {
        let status = std::process::Command::new(&me)
            .args(["--memory", &times.to_string()])
            .status()
            .expect("child");
        assert!(status.success());
    }
}
