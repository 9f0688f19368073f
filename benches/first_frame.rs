//! From process start to the map on screen, in a real window: the atlas started as a user
//! starts it (first start: the whole circle, built-in data) under X11 — here Xvfb with Mesa's
//! software Vulkan, started by this benchmark when no display is set. "On screen" is seen from
//! outside: the benchmark reads the screen's pixels (X11 GetImage) every 5 ms from the moment
//! it spawns the program, until the middle of the map shows the map. Each launch also prints
//! its own stages (`CHENGYU_ATLAS_TIMING=1`), to say where the time goes.
//!
//! `FIRST_FRAME_PROGRAM=path` measures another build of the atlas instead.
//!
//! Baseline, in the same run: an empty eframe window with the same size (this benchmark runs
//! itself as one) — the floor set by starting a process, a window and the GPU.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use x11rb::connection::Connection;
use x11rb::protocol::xproto::{ConnectionExt, ImageFormat, Window};
use x11rb::rust_connection::RustConnection;

const ROUNDS: usize = 9;
const EMPTY: &str = "FIRST_FRAME_EMPTY_WINDOW";
/// Where the map's middle is on screen: the window opens at the top left, 1400 × 900, with a
/// 300-point side panel.
const MAP_MIDDLE: (i16, i16) = (850, 450);
/// In the side panel.
const PANEL: (i16, i16) = (40, 600);

fn main() {
    if std::env::var_os(EMPTY).is_some() {
        empty_window();
        return;
    }
    let Some(_xvfb) = ensure_display() else {
        println!("first frame: skipped (no X display, and Xvfb could not be started)");
        return;
    };
    let Ok((screen, root)) = connect() else {
        println!("first frame: skipped (cannot read the X display's pixels)");
        return;
    };
    let state = std::env::temp_dir().join(format!("first-frame-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&state);
    std::fs::create_dir_all(&state).expect("state folder");
    // Another build of the atlas can be measured the same way (an older one, to compare).
    let atlas = std::env::var("FIRST_FRAME_PROGRAM")
        .unwrap_or_else(|_| env!("CARGO_BIN_EXE_chengyu-atlas").to_string());
    let this = std::env::current_exe().expect("this benchmark");
    let (mut atlas_runs, mut empty_runs) = (Vec::new(), Vec::new());
    for _ in 0..ROUNDS {
        let _ = std::fs::remove_file(state.join("state.json"));
        let mut command = Command::new(&atlas);
        command
            .env("CHENGYU_ATLAS_STATE", state.join("state.json"))
            .env("CHENGYU_ATLAS_TOURS", state.join("tours"));
        atlas_runs.push(launch(&screen, root, command, true));
        let mut command = Command::new(&this);
        command.env(EMPTY, "1");
        empty_runs.push(launch(&screen, root, command, false));
    }
    report(&atlas_runs, &empty_runs);
    let _ = std::fs::remove_dir_all(&state);
}

fn connect() -> Result<(RustConnection, Window), Box<dyn std::error::Error>> {
    let (connection, screen) = RustConnection::connect(None)?;
    let root = connection.setup().roots[screen].root;
    Ok((connection, root))
}

fn pixel(connection: &RustConnection, root: Window, (x, y): (i16, i16)) -> Option<[u8; 3]> {
    let image = connection
        .get_image(ImageFormat::Z_PIXMAP, root, x, y, 1, 1, !0)
        .ok()?
        .reply()
        .ok()?;
    let data = image.data;
    (data.len() >= 3).then(|| [data[2], data[1], data[0]])
}

/// One launch: when the window showed, when the map showed (ms from spawning, seen on the
/// screen), and the stages the program printed (ms since it started).
struct Launch {
    window_ms: f64,
    map_ms: f64,
    stages: Vec<(String, f64)>,
}

/// Starts the program and watches the screen until the window (and, for the atlas, the map)
/// shows; then stops it.
fn launch(screen: &RustConnection, root: Window, mut command: Command, map: bool) -> Launch {
    let before_map = pixel(screen, root, MAP_MIDDLE);
    let before_panel = pixel(screen, root, PANEL);
    let started = Instant::now();
    let mut child: Child = command
        .env("CHENGYU_ATLAS_TIMING", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the program");
    let stderr = child.stderr.take().expect("stderr");
    let (send, receive) = mpsc::channel();
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let Some(rest) = line.strip_prefix("chengyu-atlas timing: ") else {
                continue;
            };
            if let Some((stage, ms)) = rest.rsplit_once(" at ")
                && let Ok(ms) = ms.trim_end_matches(" ms").parse::<f64>()
            {
                let _ = send.send((stage.to_string(), ms));
            }
        }
    });
    let (mut window_ms, mut map_ms) = (f64::NAN, f64::NAN);
    while started.elapsed() < Duration::from_secs(30) {
        let now = started.elapsed().as_secs_f64() * 1e3;
        if window_ms.is_nan() && pixel(screen, root, PANEL) != before_panel {
            window_ms = now;
        }
        let middle = pixel(screen, root, MAP_MIDDLE);
        // The map's middle shows the map: neither what was there nor the panels' grey.
        if middle != before_map && middle != pixel(screen, root, PANEL) {
            map_ms = now;
        }
        let done = if map {
            !map_ms.is_nan()
        } else {
            !window_ms.is_nan()
        };
        if done {
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    // Let the program print its next frame before stopping it.
    std::thread::sleep(Duration::from_millis(if map { 700 } else { 100 }));
    let _ = child.kill();
    let _ = child.wait();
    let _ = reader.join();
    Launch {
        window_ms,
        map_ms,
        stages: receive.try_iter().collect(),
    }
}

fn median(mut values: Vec<f64>) -> f64 {
    values.retain(|v| v.is_finite());
    if values.is_empty() {
        return f64::NAN;
    }
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn report(atlas: &[Launch], empty: &[Launch]) {
    println!(
        "first frame: median of {ROUNDS} launches (first start, the whole circle, 1400 × 900)"
    );
    println!("  the atlas, as it says (ms since the process started):");
    let stages: Vec<String> = atlas
        .iter()
        .max_by_key(|run| run.stages.len())
        .map(|run| run.stages.iter().map(|(s, _)| s.clone()).collect())
        .unwrap_or_default();
    for stage in stages {
        let times: Vec<f64> = atlas
            .iter()
            .filter_map(|run| {
                run.stages
                    .iter()
                    .find(|(s, _)| *s == stage)
                    .map(|(_, ms)| *ms)
            })
            .collect();
        println!("    {stage:<26} {:>6.0}", median(times));
    }
    let window = median(atlas.iter().map(|r| r.window_ms).collect());
    let map = median(atlas.iter().map(|r| r.map_ms).collect());
    let baseline = median(empty.iter().map(|r| r.window_ms).collect());
    println!("  seen on the screen (ms from spawning the process):");
    println!("    atlas: window shows      {window:>6.0}");
    println!("    atlas: map shows         {map:>6.0}");
    println!("    baseline: empty window   {baseline:>6.0}");
    println!(
        "  the map shows {:.0} ms after an empty window would ({:.2}× the baseline)",
        map - baseline,
        map / baseline
    );
}

/// An empty window of the atlas's size.
fn empty_window() {
    struct Empty;
    impl eframe::App for Empty {
        fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
            egui::CentralPanel::default().show(ui, |ui| ui.label("empty"));
        }
    }
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("empty")
            .with_inner_size([1400.0, 900.0]),
        ..Default::default()
    };
    let _ = eframe::run_native(
        "first-frame-empty",
        options,
        Box::new(|_| Ok(Box::new(Empty))),
    );
}

/// An X display: the one set (`Some(None)`), or an Xvfb started here and stopped when dropped.
fn ensure_display() -> Option<Option<XvfbGuard>> {
    if std::env::var_os("DISPLAY").is_some() {
        return Some(None);
    }
    let display = ":97";
    let child = Command::new("Xvfb")
        .args([display, "-screen", "0", "1600x1000x24"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    std::thread::sleep(Duration::from_millis(500));
    // SAFETY: no other thread runs yet, so none reads the environment meanwhile.
    unsafe { std::env::set_var("DISPLAY", display) };
    Some(Some(XvfbGuard(child)))
}

struct XvfbGuard(Child);

impl Drop for XvfbGuard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}
