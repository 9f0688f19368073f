//! From process start to the map on screen, in a real window: the atlas started as a user
//! starts it (first start: the whole circle, built-in data), under X11 — here Xvfb with Mesa's
//! software Vulkan, started by this benchmark when no display is set. Each launch prints its
//! stages with `CHENGYU_ATLAS_TIMING=1`; the time to "on screen" is taken from outside, from
//! spawning the process to reading its marker.
//!
//! Baseline, in the same run: an empty eframe window with the same options (this benchmark
//! runs itself as one) — the floor set by creating a window and starting the GPU.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const ROUNDS: usize = 7;
const EMPTY: &str = "FIRST_FRAME_EMPTY_WINDOW";
const MARKER: &str = "first frame on screen";

fn main() {
    if std::env::var_os(EMPTY).is_some() {
        empty_window();
        return;
    }
    let _display = match ensure_display() {
        Some(display) => display,
        None => {
            println!("first frame: skipped (no X display, and Xvfb could not be started)");
            return;
        }
    };
    let state = std::env::temp_dir().join(format!("first-frame-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&state);
    std::fs::create_dir_all(&state).expect("state folder");
    let atlas = env!("CARGO_BIN_EXE_chengyu-atlas");
    let this = std::env::current_exe().expect("this benchmark");
    let mut atlas_runs: Vec<Vec<(String, f64)>> = Vec::new();
    let mut empty_runs: Vec<f64> = Vec::new();
    for _ in 0..ROUNDS {
        let _ = std::fs::remove_file(state.join("state.json"));
        let mut command = Command::new(atlas);
        command
            .env("CHENGYU_ATLAS_STATE", state.join("state.json"))
            .env("CHENGYU_ATLAS_TOURS", state.join("tours"));
        atlas_runs.push(launch(command));
        let mut command = Command::new(&this);
        command.env(EMPTY, "1");
        empty_runs.push(launch(command).last().map_or(f64::NAN, |(_, ms)| *ms));
    }
    report(&atlas_runs, &empty_runs);
    let _ = std::fs::remove_dir_all(&state);
}

/// Starts the program, reads its timing lines until the marker, and stops it. Returns each
/// stage with its time in ms since process start, and last the marker as seen from outside.
fn launch(mut command: Command) -> Vec<(String, f64)> {
    let started = Instant::now();
    let mut child: Child = command
        .env("CHENGYU_ATLAS_TIMING", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the program");
    let stderr = child.stderr.take().expect("stderr");
    let mut stages = Vec::new();
    for line in BufReader::new(stderr).lines() {
        let Ok(line) = line else { break };
        let Some(rest) = line.strip_prefix("chengyu-atlas timing: ") else {
            continue;
        };
        if let Some((stage, ms)) = rest.rsplit_once(" at ")
            && let Ok(ms) = ms.trim_end_matches(" ms").parse::<f64>()
        {
            stages.push((stage.to_string(), ms));
        }
        if rest.starts_with(MARKER) {
            stages.push((
                "on screen (seen from outside)".to_string(),
                started.elapsed().as_secs_f64() * 1e3,
            ));
            break;
        }
        if started.elapsed() > Duration::from_secs(60) {
            break;
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    stages
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn report(atlas_runs: &[Vec<(String, f64)>], empty_runs: &[f64]) {
    let stages: Vec<String> = atlas_runs
        .first()
        .map(|run| run.iter().map(|(stage, _)| stage.clone()).collect())
        .unwrap_or_default();
    println!("first frame: median of {ROUNDS} launches, ms since the process started");
    for stage in &stages {
        let times: Vec<f64> = atlas_runs
            .iter()
            .filter_map(|run| run.iter().find(|(s, _)| s == stage).map(|(_, ms)| *ms))
            .collect();
        if !times.is_empty() {
            println!("  atlas   {stage:<32} {:>7.0}", median(times));
        }
    }
    let atlas = median(
        atlas_runs
            .iter()
            .filter_map(|run| run.last().map(|(_, ms)| *ms))
            .collect(),
    );
    let empty = median(empty_runs.to_vec());
    println!("  baseline: empty eframe window on screen      {empty:>7.0}");
    println!(
        "  the atlas's map is on screen {:.0} ms after an empty window would be ({:.2}×)",
        atlas - empty,
        atlas / empty
    );
}

/// An empty window with the atlas's window options; says when its first frame is on screen.
fn empty_window() {
    let started = Instant::now();
    struct Empty {
        started: Instant,
        frames: u32,
    }
    impl eframe::App for Empty {
        fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
            self.frames += 1;
            if self.frames == 2 {
                let ms = self.started.elapsed().as_secs_f64() * 1e3;
                eprintln!("chengyu-atlas timing: {MARKER} at {ms:.0} ms");
            }
            egui::CentralPanel::default().show(ui, |ui| ui.label("empty"));
            ui.ctx().request_repaint();
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
        Box::new(move |_| Ok(Box::new(Empty { started, frames: 0 }))),
    );
}

/// An X display: the one set, or an Xvfb started here (stopped when dropped).
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
    // SAFETY: single-threaded here, before any other thread reads the environment.
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
