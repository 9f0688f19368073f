//! A tour as a video: the MP4 that ffprobe/ffmpeg (the oracle, Debian's ffmpeg) read is H.264
//! in yuv420p at the size asked, its frames and length are the tour's timing, a decoded frame
//! is the export pipeline's picture of the same moment, and a cancelled, killed, misdirected
//! or disk-starved encode leaves no file behind.

use std::path::Path;
use std::process::Command;

use chengyu_atlas::ExportError;
use chengyu_atlas::export::video::{self, Segment, VideoRequest};
use chengyu_atlas::model::Lang;
use chengyu_atlas::render::SceneBuilder;
use chengyu_atlas::tour::{self, Tour};

use crate::common::{atlas, atlas_command, fresh_dir, oracle};

/// The first `stops` stops of the shipped tour of the core and its districts.
fn short_tour(stops: usize) -> Tour {
    let (tours, _) = tour::load_all(None);
    let mut tour = tours
        .into_iter()
        .find(|t| t.id == "one-core-five-districts")
        .expect("shipped tour");
    tour.stops.truncate(stops);
    tour
}

/// A small, quick video: 640 × 360 at 10 frames a second, each stop one second.
fn small() -> VideoRequest {
    VideoRequest {
        width: 640,
        height: 360,
        fps: 10,
        seconds_per_stop: Some(1.0),
        ..VideoRequest::new(Lang::Zh)
    }
}

/// Nothing but the video in `dir`: no temporary file left beside it.
fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn ffprobe(path: &Path, entries: &str) -> String {
    let out = Command::new("ffprobe")
        .args(["-v", "error", "-count_frames", "-select_streams", "v:0"])
        .args([
            "-show_entries",
            entries,
            "-of",
            "default=noprint_wrappers=1",
        ])
        .arg(path)
        .output()
        .expect("ffprobe runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Frame `n` of the video, decoded by ffmpeg, as RGB.
fn decoded_frame(path: &Path, n: u64, width: u32, height: u32) -> Vec<u8> {
    let out = Command::new("ffmpeg")
        .args(["-v", "error", "-i"])
        .arg(path)
        .args(["-vf", &format!("select=eq(n\\,{n})"), "-frames:v", "1"])
        .args(["-f", "rawvideo", "-pix_fmt", "rgb24", "-"])
        .output()
        .expect("ffmpeg runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.stdout.len(), (width * height * 3) as usize);
    out.stdout
}

/// The mean difference per channel between a decoded RGB frame and an RGBA picture.
fn mean_difference(rgb: &[u8], rgba: &[u8]) -> f64 {
    let total: u64 = rgb
        .chunks_exact(3)
        .zip(rgba.chunks_exact(4))
        .map(|(a, b)| (0..3).map(|c| u64::from(a[c].abs_diff(b[c]))).sum::<u64>())
        .sum();
    total as f64 / rgb.len() as f64
}

#[test]
fn the_timeline_holds_each_stop_and_flies_between_them_on_the_frame_grid() {
    let atlas = atlas();
    let tour = short_tour(3);
    let request = VideoRequest {
        seconds_per_stop: Some(2.0),
        ..VideoRequest::new(Lang::Zh)
    };
    let timeline = request.timeline(&tour, atlas).expect("timeline");
    // 3 stops × 2 s and 2 flights of 1 s, at 30 frames a second.
    assert_eq!(timeline.frames(), 3 * 60 + 2 * 30);
    assert!((timeline.seconds() - 8.0).abs() < 1e-9);
    // Held stops are drawn once; each flight frame is drawn.
    assert_eq!(timeline.pictures(), 3 + 2 * 30);
    // Each stop's frames show its view, as the presenter frames it on a 1080-line screen.
    let presenter = tour::presenter::Presenter::new(tour.clone(), false);
    let points = request.page().expect("page").points();
    for (stop, first_frame) in [(0, 0), (1, 90), (2, 180)] {
        let (shown, view) = timeline.at(first_frame).expect("in the video");
        assert_eq!(shown, stop);
        assert_eq!(Some(view), presenter.view_of(atlas, stop, points));
    }
    // A flight ends on the stop's view and starts one step from the last.
    let Segment::Flight { from, to, .. } = &timeline.segments[1] else {
        panic!("a flight after the first stop");
    };
    assert_eq!(timeline.at(89).expect("flight").1, *to);
    assert_ne!(timeline.at(60).expect("flight").1, *from);
    assert!(timeline.at(timeline.frames()).is_none());
    // Without --seconds-per-stop each stop keeps its own duration.
    let own = VideoRequest::new(Lang::Zh)
        .timeline(&tour, atlas)
        .expect("own");
    let seconds: f64 = tour
        .stops
        .iter()
        .map(|s| s.duration.unwrap_or(tour::DEFAULT_DURATION))
        .sum();
    assert_eq!(own.frames(), ((seconds + 2.0) * 30.0).round() as u64);
}

#[test]
fn a_tours_video_is_h264_in_mp4_of_the_tours_length_and_shows_its_stops() {
    if !oracle("ffprobe", "ffmpeg") {
        return;
    }
    let atlas = atlas();
    let tour = short_tour(2);
    let request = small();
    let dir = fresh_dir("video");
    let path = dir.join("二站 导览.mp4");
    let mut builder = SceneBuilder::new(atlas);
    let mut heard = Vec::new();
    let report = video::write(
        atlas,
        &mut builder,
        &tour,
        &request,
        &path,
        false,
        &mut |done, total| {
            heard.push((done, total));
            true
        },
    )
    .expect("video written");
    // 2 stops of 10 frames and a flight of 10.
    assert_eq!(report.frames, 30);
    assert_eq!(heard.last(), Some(&(30, 30)));
    assert!(
        heard.windows(2).all(|w| w[0].0 <= w[1].0),
        "progress only grows"
    );
    assert_eq!(names_in(&dir), ["二站 导览.mp4"]);
    let probed = ffprobe(
        &path,
        "stream=codec_name,profile,pix_fmt,width,height,nb_read_frames,r_frame_rate,color_space:format=duration,format_name",
    );
    for expected in [
        "codec_name=h264",
        "pix_fmt=yuv420p",
        "width=640",
        "height=360",
        "nb_read_frames=30",
        "r_frame_rate=10/1",
        "color_space=bt709",
        "format_name=mov,mp4,m4a,3gp,3g2,mj2",
        "duration=3.000000",
    ] {
        assert!(probed.contains(expected), "{expected} not in\n{probed}");
    }
    // The last frame is stop 2 held: the export pipeline's picture of it, through the codec.
    let held = decoded_frame(&path, 29, 640, 360);
    let (stop, view) = request
        .timeline(&tour, atlas)
        .expect("timeline")
        .at(29)
        .expect("frame 29");
    let second = video::frame(atlas, &mut builder, &tour, stop, &view, &request).expect("frame");
    let first_view = request
        .timeline(&tour, atlas)
        .expect("t")
        .at(0)
        .expect("0")
        .1;
    let first = video::frame(atlas, &mut builder, &tour, 0, &first_view, &request).expect("frame");
    let same = mean_difference(&held, second.data());
    let other = mean_difference(&held, first.data());
    assert!(
        same < 3.0,
        "the decoded frame is the stop's picture: {same:.2}"
    );
    assert!(
        other > 3.0 * same.max(1.0),
        "and not the first stop's: {other:.2}"
    );
}

#[test]
fn the_command_line_writes_a_tours_video_and_says_how_far_it_is() {
    if !oracle("ffprobe", "ffmpeg") {
        return;
    }
    let dir = fresh_dir("video-cli");
    let out = dir.join("two-poles.mp4");
    let run = atlas_command()
        .args(["export", "--tour", "two-poles", "--out"])
        .arg(&out)
        .args([
            "--size",
            "480x270",
            "--fps",
            "5",
            "--seconds-per-stop",
            "0.6",
        ])
        .output()
        .expect("runs");
    let (stdout, stderr) = (
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr),
    );
    assert!(run.status.success(), "{stdout}\n{stderr}");
    // 6 stops of 3 frames, 5 flights of 5.
    assert!(stdout.contains("43 frames at 5 fps"), "{stdout}");
    assert!(stderr.contains("100 % (43/43 frames)"), "{stderr}");
    let probed = ffprobe(&out, "stream=width,height,nb_read_frames");
    assert!(
        probed.contains("width=480") && probed.contains("nb_read_frames=43"),
        "{probed}"
    );
    // Asked again, an existing video is not replaced without --force.
    let again = atlas_command()
        .args(["export", "--tour", "two-poles", "--out"])
        .arg(&out)
        .args(["--size", "480x270", "--fps", "5"])
        .output()
        .expect("runs");
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("--force"));
    // An odd size is refused before anything is drawn.
    let odd = atlas_command()
        .args(["export", "--tour", "two-poles", "--out"])
        .arg(dir.join("odd.mp4"))
        .args(["--size", "641x360"])
        .output()
        .expect("runs");
    assert!(!odd.status.success());
    assert!(String::from_utf8_lossy(&odd.stderr).contains("must be even"));
    assert_eq!(names_in(&dir), ["two-poles.mp4"]);
}

#[test]
fn a_cancelled_video_leaves_nothing_and_says_so() {
    let atlas = atlas();
    let dir = fresh_dir("video-cancel");
    let path = dir.join("tour.mp4");
    let mut builder = SceneBuilder::new(atlas);
    let mut calls = 0;
    let outcome = video::write(
        atlas,
        &mut builder,
        &short_tour(3),
        &small(),
        &path,
        false,
        &mut |_, _| {
            calls += 1;
            calls < 8
        },
    );
    assert!(
        matches!(outcome, Err(ExportError::Cancelled)),
        "{outcome:?}"
    );
    assert!(names_in(&dir).is_empty(), "{:?}", names_in(&dir));
}

#[test]
fn an_unwritable_place_for_a_video_is_said_before_any_frame_is_drawn() {
    let atlas = atlas();
    let dir = fresh_dir("video-unwritable");
    let mut builder = SceneBuilder::new(atlas);
    let mut drawn = 0;
    // A folder that is not there, and a "folder" that is a file.
    std::fs::write(dir.join("a-file"), b"x").expect("file");
    for path in [dir.join("missing/tour.mp4"), dir.join("a-file/tour.mp4")] {
        let outcome = video::write(
            atlas,
            &mut builder,
            &short_tour(2),
            &small(),
            &path,
            false,
            &mut |_, _| {
                drawn += 1;
                true
            },
        );
        let Err(ExportError::Write { reason, .. }) = outcome else {
            panic!("{path:?}: {outcome:?}");
        };
        assert!(reason.contains("folder"), "{reason}");
    }
    assert_eq!(drawn, 0);
    // A file that is not .mp4.
    let outcome = video::write(
        atlas,
        &mut builder,
        &short_tour(2),
        &small(),
        &dir.join("tour.avi"),
        false,
        &mut |_, _| true,
    );
    assert!(matches!(outcome, Err(ExportError::Render(ref why)) if why.contains(".mp4")));
}

/// A disk that fills up half-way: a 256 KiB tmpfs (mounting one needs root, as CI is; where
/// it cannot be mounted the test says so and is passed over).
#[test]
fn a_full_disk_is_said_and_leaves_no_half_video() {
    let dir = fresh_dir("video-full-disk");
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=256k", "tmpfs"])
        .arg(&dir)
        .output()
        .is_ok_and(|out| out.status.success());
    if !mounted {
        eprintln!(
            "NOTE: a tmpfs could not be mounted (needs root): the full-disk check is not run"
        );
        return;
    }
    let atlas = atlas();
    let mut builder = SceneBuilder::new(atlas);
    let request = VideoRequest {
        width: 1280,
        height: 720,
        ..small()
    };
    let outcome = video::write(
        atlas,
        &mut builder,
        &short_tour(4),
        &request,
        &dir.join("tour.mp4"),
        false,
        &mut |_, _| true,
    );
    let left = names_in(&dir);
    let _ = Command::new("umount").arg(&dir).status();
    let Err(ExportError::Write { path, reason }) = outcome else {
        panic!("{outcome:?}");
    };
    assert_eq!(reason, "the disk is full");
    assert!(path.ends_with("tour.mp4"));
    assert!(left.is_empty(), "{left:?}");
}

/// The encode killed half-way (the laptop's lid shut, the process killed): no video at the
/// path, only what was there before.
#[test]
fn a_killed_encode_leaves_no_half_video() {
    use std::io::Read as _;
    let dir = fresh_dir("video-killed");
    let out = dir.join("tour.mp4");
    let mut child = atlas_command()
        .args(["export", "--tour", "one-core-five-districts", "--out"])
        .arg(&out)
        .args(["--size", "640x360", "--fps", "10"])
        .stderr(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("starts");
    // Wait until frames are being encoded (a second progress line), then kill it.
    let encoding = |heard: &[u8]| String::from_utf8_lossy(heard).matches("frames)").count() >= 2;
    let mut stderr = child.stderr.take().expect("stderr");
    let mut heard = Vec::new();
    let mut byte = [0u8; 1];
    while !encoding(&heard) {
        match stderr.read(&mut byte) {
            Ok(1) => heard.push(byte[0]),
            _ => break,
        }
    }
    child.kill().expect("killed");
    let _ = child.wait();
    assert!(encoding(&heard), "{}", String::from_utf8_lossy(&heard));
    assert!(
        !String::from_utf8_lossy(&heard).contains("100 %"),
        "killed half-way"
    );
    assert!(!out.exists(), "no half video at the path");
    // Only the hidden temporary file the encode wrote into may be left, never a .mp4.
    for name in names_in(&dir) {
        assert!(
            name.starts_with(".tour.mp4.") && name.ends_with(".tmp"),
            "{name}"
        );
    }
}

/// In the window: Present ▸ Export video… writes in the background with a progress bar; its
/// Cancel stops the encode, says so, and leaves no file.
#[test]
fn the_window_shows_the_videos_progress_and_cancel_leaves_nothing() {
    use egui_kittest::kittest::Queryable;
    let dir = fresh_dir("video-window");
    let mut harness = crate::common::built_in_window();
    harness.run();
    harness.state_mut().tours().export_dir = dir.clone();
    crate::common::choose(&mut harness, &["演示", "导出视频…"]);
    crate::common::wait_until("the progress bar", || {
        harness.run_steps(2);
        harness.query_by_label_contains("正在导出视频").is_some()
    });
    harness.get_by_label("取消").click();
    crate::common::wait_until("the cancel", || {
        harness.run_steps(2);
        harness.query_by_label_contains("视频导出已取消").is_some()
    });
    assert!(!harness.state_mut().tours().video_running());
    assert!(names_in(&dir).is_empty(), "{:?}", names_in(&dir));
}

#[test]
fn the_window_writes_the_video_at_the_size_and_rate_chosen_in_the_tours_pane() {
    use egui::accesskit::Role;
    use egui_kittest::kittest::Queryable;
    if !oracle("ffprobe", "ffmpeg") {
        return;
    }
    let dir = fresh_dir("video-window-size");
    let mut harness = crate::common::built_in_window();
    harness.run();
    harness.state_mut().tours().export_dir = dir.clone();
    // Half a second a stop: the choice of size and rate is what is tested, not the tour's length.
    harness.state_mut().tours().video_seconds = Some(0.5);
    crate::common::pane(&mut harness, "导览");
    harness.get_by_label("编辑导览…").click();
    harness.run();
    for (combo, choice) in [("像素", "1280×720 720p"), ("帧/秒", "24 帧/秒")] {
        harness.get_by_role_and_label(Role::ComboBox, combo).click();
        harness.run();
        harness.get_by_label(choice).click();
        harness.run();
    }
    harness.get_by_label("导出视频…").click();
    harness.run();
    crate::common::wait_until("the video written", || {
        harness.run_steps(2);
        harness.query_by_label_contains("已保存").is_some()
    });
    let written = names_in(&dir);
    assert_eq!(written.len(), 1, "{written:?}");
    let probed = ffprobe(&dir.join(&written[0]), "stream=width,height,r_frame_rate");
    for expected in ["width=1280", "height=720", "r_frame_rate=24/1"] {
        assert!(probed.contains(expected), "{expected} not in\n{probed}");
    }
}
