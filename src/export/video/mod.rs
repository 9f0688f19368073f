//! A tour as a video anyone can play (the venue's PC, a WeChat group): the presenter's frames
//! — flights, spotlight, caption card, the map's labels at the presenter's sizes — drawn
//! headless by the export pipeline (the same SVG scene, rasterised by resvg) and encoded as
//! H.264 in an MP4 file. Frames stream to the encoder on a second thread as they are drawn, a
//! held stop is drawn once, and the file is written whole or not at all.

mod card;
mod encode;
mod timeline;
mod yuv;

use std::io::{BufWriter, Write as _};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{TrySendError, sync_channel};

pub use card::{Card, card};
pub use encode::{EncodeError, Mp4Encoder};
pub use timeline::{Segment, Timeline};
pub use yuv::Yuv420;

use super::{ExportBasemap, ExportError, ExportRequest, Extent, Page, PageSize};
use crate::model::{Atlas, Lang};
use crate::render::{SceneBuilder, View};
use crate::tour::Tour;

/// Pixels a layout point is worth on a 1080-line screen while presenting: the window's own
/// presenting scale (`ui::app::presenting`), so that the video's labels are the projector's.
pub const PRESENTER_PIXELS_PER_POINT: f32 = 1.75;

/// The largest frame: 4K UHD.
pub const MAX_WIDTH: u32 = 3840;
pub const MAX_HEIGHT: u32 = 2160;

/// How a video is made.
#[derive(Debug, Clone, PartialEq)]
pub struct VideoRequest {
    pub width: u32,
    pub height: u32,
    pub fps: u32,
    /// Each stop held this long; else its own `duration`, else the auto-play default.
    pub seconds_per_stop: Option<f64>,
    pub lang: Lang,
    /// Basemap packages under the map, bottom first (the window's, or `--basemap`).
    pub basemaps: Vec<ExportBasemap>,
}

impl VideoRequest {
    /// 1920 × 1080 at 30 frames a second, each stop its own time.
    pub fn new(lang: Lang) -> Self {
        Self {
            width: 1920,
            height: 1080,
            fps: 30,
            seconds_per_stop: None,
            lang,
            basemaps: Vec::new(),
        }
    }

    /// The frame as a page: the whole screen, at the presenter's scale.
    pub fn page(&self) -> Result<Page, ExportError> {
        let (width, height) = (self.width, self.height);
        if !width.is_multiple_of(2) || !height.is_multiple_of(2) {
            return Err(ExportError::Render(format!(
                "{width} × {height}: a video's width and height must be even"
            )));
        }
        if width > MAX_WIDTH || height > MAX_HEIGHT {
            return Err(ExportError::TooLarge { width, height });
        }
        if width < 320 || height < 180 {
            return Err(ExportError::TooSmall { width, height });
        }
        Ok(Page {
            width_px: width,
            height_px: height,
            scale: height as f32 / 1080.0 * PRESENTER_PIXELS_PER_POINT,
            dpi: 96.0,
        })
    }

    fn check(&self) -> Result<(), ExportError> {
        if !(1..=60).contains(&self.fps) {
            return Err(ExportError::Render(format!(
                "{} frames a second: give 1 to 60",
                self.fps
            )));
        }
        if let Some(seconds) = self.seconds_per_stop
            && !(seconds.is_finite() && (0.5..=3600.0).contains(&seconds))
        {
            return Err(ExportError::Render(format!(
                "{seconds} seconds a stop: give 0.5 to 3600"
            )));
        }
        self.page().map(|_| ())
    }

    /// The tour's timeline for this video.
    pub fn timeline(&self, tour: &Tour, atlas: &Atlas) -> Result<Timeline, ExportError> {
        self.check()?;
        let points = self.page()?.points();
        Timeline::new(tour, atlas, points, self.fps, self.seconds_per_stop)
    }
}

/// The picture of stop `stop` seen through `view`: the audience's frame, as RGBA pixels.
pub fn frame(
    atlas: &Atlas,
    builder: &mut SceneBuilder,
    tour: &Tour,
    stop: usize,
    view: &View,
    request: &VideoRequest,
) -> Result<resvg::tiny_skia::Pixmap, ExportError> {
    let shoot = Shoot::new(atlas, tour, request)?;
    let composition = shoot.compose(builder, stop, view, &shoot.card(stop))?;
    super::rasterise(&composition.svg, &shoot.page, None)
}

/// What every frame of one video shares: the atlas, the tour, how it is made, its page.
struct Shoot<'a> {
    atlas: &'a Atlas,
    tour: &'a Tour,
    request: &'a VideoRequest,
    page: Page,
}

impl<'a> Shoot<'a> {
    fn new(
        atlas: &'a Atlas,
        tour: &'a Tour,
        request: &'a VideoRequest,
    ) -> Result<Self, ExportError> {
        Ok(Shoot {
            atlas,
            tour,
            request,
            page: request.page()?,
        })
    }

    /// Stop `stop`'s caption card.
    fn card(&self, stop: usize) -> Card {
        let request = self.request;
        card(
            self.atlas,
            self.tour,
            stop,
            request.lang,
            request.width,
            request.height,
        )
    }

    /// The frame's page: stop `stop`'s layers and spotlight seen through `view`, its card over
    /// the map and its labels kept off the card.
    fn compose(
        &self,
        builder: &mut SceneBuilder,
        stop: usize,
        view: &View,
        card: &Card,
    ) -> Result<super::Composition, ExportError> {
        let (atlas, page, lang) = (self.atlas, self.page, self.request.lang);
        let stop = &self.tour.stops[stop];
        let mut export = ExportRequest::new(
            Extent::View(*view),
            PageSize::Pixels {
                width: page.width_px,
                height: page.height_px,
            },
        );
        export.lang = lang;
        export.layers = stop.layer_settings(atlas);
        export.highlight = stop.highlight(atlas, lang);
        export.basemaps = self.request.basemaps.clone();
        let [x0, y0, x1, y1] = card.covers;
        let clear = vec![[
            x0 / page.scale,
            y0 / page.scale,
            x1 / page.scale,
            y1 / page.scale,
        ]];
        super::compose_screen(atlas, builder, &export, page, clear, &card.svg)
    }

    /// The frame drawn and converted for the encoder; what its basemaps lacked goes to
    /// `report`, once each.
    fn draw(
        &self,
        builder: &mut SceneBuilder,
        stop: usize,
        view: &View,
        card: &Card,
        report: &mut VideoReport,
    ) -> Result<Yuv420, ExportError> {
        let composition = self.compose(builder, stop, view, card)?;
        for warning in composition.warnings {
            if !report.warnings.contains(&warning) {
                report.warnings.push(warning);
            }
        }
        let page = self.page;
        let pixmap = super::rasterise(&composition.svg, &page, None)?;
        Ok(Yuv420::from_rgba(
            pixmap.data(),
            page.width_px as usize,
            page.height_px as usize,
        ))
    }
}

/// What a finished video is.
#[derive(Debug, Clone, PartialEq)]
pub struct VideoReport {
    pub frames: u64,
    pub seconds: f64,
    /// Pictures drawn (a held stop is drawn once, then repeated).
    pub pictures: u64,
    pub bytes: u64,
    /// What the frames had to do without (basemap tiles that could not be read), once each.
    pub warnings: Vec<String>,
}

/// Whether `path` can take a video: `.mp4`, not there (unless `force`), its folder writable.
pub fn check_target(path: &Path, force: bool) -> Result<(), ExportError> {
    let mp4 = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("mp4"));
    if !mp4 {
        return Err(ExportError::Render(format!(
            "{}: a video is written as .mp4",
            path.display()
        )));
    }
    super::check_new_file(path, force)
}

/// Writes `tour` as a video to `path` (whole or not at all). `progress` hears (frames done,
/// frames in all) as frames are encoded; when it returns false the encode stops and nothing
/// is written ([`ExportError::Cancelled`]).
pub fn write(
    atlas: &Atlas,
    builder: &mut SceneBuilder,
    tour: &Tour,
    request: &VideoRequest,
    path: &Path,
    force: bool,
    progress: &mut dyn FnMut(u64, u64) -> bool,
) -> Result<VideoReport, ExportError> {
    check_target(path, force)?;
    let timeline = request.timeline(tour, atlas)?;
    let shoot = Shoot::new(atlas, tour, request)?;
    let total = timeline.frames();
    let mut report = VideoReport {
        frames: total,
        seconds: timeline.seconds(),
        pictures: timeline.pictures(),
        bytes: 0,
        warnings: Vec::new(),
    };
    // The first error met inside the file's writing (the writing itself sees only io).
    let mut stopped: Option<ExportError> = None;
    let written = crate::atomic_file::write_with(path, |file| {
        let outcome = std::thread::scope(|scope| {
            stream(
                scope,
                &shoot,
                builder,
                &timeline,
                (file, path),
                progress,
                &mut report,
            )
        });
        match outcome {
            Ok(bytes) => {
                report.bytes = bytes;
                Ok(())
            }
            Err(error) => {
                let io = std::io::Error::other(error.to_string());
                stopped = Some(error);
                Err(io)
            }
        }
    });
    match (written, stopped) {
        (Ok(()), _) => Ok(report),
        (Err(_), Some(error)) => Err(error),
        (Err(error), None) => Err(super::write_failed(path, &error)),
    }
}

/// Draws the frames on this thread and encodes them on another, `file` the MP4's; returns
/// its size in bytes.
fn stream<'scope>(
    scope: &'scope std::thread::Scope<'scope, '_>,
    shoot: &Shoot<'_>,
    builder: &mut SceneBuilder,
    timeline: &Timeline,
    (file, path): (&'scope mut std::fs::File, &Path),
    progress: &mut dyn FnMut(u64, u64) -> bool,
    report: &mut VideoReport,
) -> Result<u64, ExportError> {
    let total = timeline.frames();
    let done = Arc::new(AtomicU64::new(0));
    let cancelled = Arc::new(AtomicBool::new(false));
    // A few pictures in flight, each with how many frames it lasts: memory stays flat however
    // long the tour, and while the encoder works through a held stop the next flight is
    // already being drawn (the two cores busy at once).
    let (send, receive) = sync_channel::<(Arc<Yuv420>, u64)>(3);
    let request = shoot.request;
    let (width, height, fps) = (request.width, request.height, request.fps);
    let encoded = {
        let (done, cancelled) = (done.clone(), cancelled.clone());
        scope.spawn(move || -> Result<u64, EncodeError> {
            let mut encoder = Mp4Encoder::new(BufWriter::new(&mut *file), width, height, fps)?;
            for (frame, repeats) in receive {
                for _ in 0..repeats {
                    if cancelled.load(Ordering::Relaxed) {
                        return Ok(0);
                    }
                    encoder.push(&frame)?;
                    done.fetch_add(1, Ordering::Relaxed);
                }
            }
            if cancelled.load(Ordering::Relaxed) {
                return Ok(0);
            }
            let mut writer = encoder.finish()?;
            writer.flush().map_err(EncodeError::Io)?;
            drop(writer);
            Ok(file.metadata().map_err(EncodeError::Io)?.len())
        })
    };
    let mut failure = None;
    let going = |progress: &mut dyn FnMut(u64, u64) -> bool| {
        if progress(done.load(Ordering::Relaxed), total) {
            true
        } else {
            cancelled.store(true, Ordering::Relaxed);
            false
        }
    };
    'segments: for segment in &timeline.segments {
        let stop = segment.stop();
        let card = shoot.card(stop);
        // A held stop is one picture lasting all its frames; a flight, a picture a frame.
        let (pictures, repeats) = match segment {
            Segment::Hold { frames, .. } => (1, *frames),
            Segment::Flight { frames, .. } => (*frames, 1),
        };
        for index in 0..pictures {
            let view = segment.view(index);
            let picture = match shoot.draw(builder, stop, &view, &card, report) {
                Ok(picture) => picture,
                Err(error) => {
                    failure = Some(error);
                    break 'segments;
                }
            };
            // While the encoder works through a held stop the queue is full: its progress is
            // still said (and Cancel heard) while this thread waits.
            let mut message = (Arc::new(picture), repeats);
            loop {
                if !going(progress) {
                    failure = Some(ExportError::Cancelled);
                    break 'segments;
                }
                match send.try_send(message) {
                    Ok(()) => break,
                    Err(TrySendError::Full(back)) => {
                        message = back;
                        std::thread::sleep(std::time::Duration::from_millis(20));
                    }
                    // The encoder stopped: its error is said below.
                    Err(TrySendError::Disconnected(_)) => break 'segments,
                }
            }
        }
    }
    drop(send);
    // Every picture drawn: the encoder finishes the last held stops, its progress still said.
    while failure.is_none() && !encoded.is_finished() {
        if !going(progress) {
            failure = Some(ExportError::Cancelled);
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(40));
    }
    let outcome = encoded
        .join()
        .map_err(|_| ExportError::Render("the video encoder stopped".to_string()))?;
    if let Some(failure) = failure {
        return Err(failure);
    }
    let bytes = outcome.map_err(|error| match error {
        EncodeError::Io(io) => super::write_failed(path, &io),
        EncodeError::Codec(why) => ExportError::Render(format!("cannot encode the video: {why}")),
    })?;
    progress(total, total);
    Ok(bytes)
}
