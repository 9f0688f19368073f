//! When each frame of a tour's video is taken: every stop held for its time, the presenter's
//! flight between stops, on a fixed frame grid (so that the frame count is the tour's timing
//! exactly, with no rounding drift from stop to stop).

use crate::model::Atlas;
use crate::render::View;
use crate::tour::motion::{FLIGHT_SECONDS, flight_view};
use crate::tour::presenter::Presenter;
use crate::tour::{DEFAULT_DURATION, Tour};

use super::super::ExportError;

/// A run of frames of one kind.
#[derive(Debug, Clone, PartialEq)]
pub enum Segment {
    /// The stop's view, held still: one picture, `frames` times.
    Hold {
        stop: usize,
        view: View,
        frames: u64,
    },
    /// The flight to `stop` (whose caption already shows, as in the presenter): frame `j` of
    /// `frames` (from 1) is `j / frames` of the way, the last one the stop's view itself.
    Flight {
        stop: usize,
        from: View,
        to: View,
        frames: u64,
    },
}

impl Segment {
    pub fn frames(&self) -> u64 {
        match self {
            Segment::Hold { frames, .. } | Segment::Flight { frames, .. } => *frames,
        }
    }

    pub fn stop(&self) -> usize {
        match self {
            Segment::Hold { stop, .. } | Segment::Flight { stop, .. } => *stop,
        }
    }

    /// The view of this segment's frame `index` (from 0).
    pub fn view(&self, index: u64) -> View {
        match self {
            Segment::Hold { view, .. } => *view,
            Segment::Flight {
                from, to, frames, ..
            } => flight_view(from, to, (index + 1) as f64 / *frames as f64),
        }
    }
}

/// The whole video's frames, as segments.
#[derive(Debug, Clone, PartialEq)]
pub struct Timeline {
    pub fps: u32,
    pub segments: Vec<Segment>,
}

impl Timeline {
    /// The timeline of `tour` on a screen of `size` points at `fps` frames a second; each
    /// stop held `seconds_per_stop`, else its own duration, else the auto-play default.
    pub fn new(
        tour: &Tour,
        atlas: &Atlas,
        size: [f32; 2],
        fps: u32,
        seconds_per_stop: Option<f64>,
    ) -> Result<Timeline, ExportError> {
        if tour.stops.is_empty() {
            return Err(ExportError::Render(format!(
                "the tour {} has no stops",
                tour.id
            )));
        }
        let presenter = Presenter::new(tour.clone(), false);
        let frames_of = |seconds: f64| ((seconds * f64::from(fps)).round() as u64).max(1);
        let mut segments = Vec::with_capacity(tour.stops.len() * 2);
        let mut previous: Option<View> = None;
        for (index, stop) in tour.stops.iter().enumerate() {
            let view = presenter.view_of(atlas, index, size).ok_or_else(|| {
                ExportError::Render(format!(
                    "stop {} of the tour {} shows nothing the atlas knows",
                    index + 1,
                    tour.id
                ))
            })?;
            if let Some(from) = previous {
                segments.push(Segment::Flight {
                    stop: index,
                    from,
                    to: view,
                    frames: frames_of(FLIGHT_SECONDS),
                });
            }
            let seconds = seconds_per_stop
                .or(stop.duration)
                .unwrap_or(DEFAULT_DURATION);
            segments.push(Segment::Hold {
                stop: index,
                view,
                frames: frames_of(seconds),
            });
            previous = Some(view);
        }
        Ok(Timeline { fps, segments })
    }

    /// How many frames the video has.
    pub fn frames(&self) -> u64 {
        self.segments.iter().map(Segment::frames).sum()
    }

    /// How long the video plays, in seconds.
    pub fn seconds(&self) -> f64 {
        self.frames() as f64 / f64::from(self.fps)
    }

    /// How many different pictures are drawn (a held stop is drawn once).
    pub fn pictures(&self) -> u64 {
        self.segments
            .iter()
            .map(|segment| match segment {
                Segment::Hold { .. } => 1,
                Segment::Flight { frames, .. } => *frames,
            })
            .sum()
    }

    /// The stop shown and the view at frame `frame` (from 0); `None` past the end.
    pub fn at(&self, frame: u64) -> Option<(usize, View)> {
        let mut left = frame;
        for segment in &self.segments {
            if left < segment.frames() {
                return Some((segment.stop(), segment.view(left)));
            }
            left -= segment.frames();
        }
        None
    }
}
