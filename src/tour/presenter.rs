//! The presenter's state machine: the current stop, the flight or cross-fade between stops,
//! auto-play, the black screen, the stop number being typed, the key hints. No egui: the window
//! turns keys into [`Command`]s and draws what [`Presenter`] says; tests drive it directly.

use std::time::{Duration, Instant};

use super::motion::{FADE_SECONDS, FLIGHT_SECONDS, fade_cover, flight_samples, flight_view};
use super::{DEFAULT_DURATION, Tour};
use crate::model::{Atlas, Lang};
use crate::render::{SceneBuilder, SceneOptions, View, view_for};

/// A move between views in progress.
#[derive(Debug, Clone, Copy)]
struct Flight {
    from: View,
    to: View,
    start: f64,
    /// A cross-fade (reduced motion) rather than a flight.
    fade: bool,
}

/// What the presenter asks for (from a key, a clicker or a test).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    Next,
    Previous,
    First,
    Last,
    /// A digit of a stop number (up to three).
    Digit(u8),
    /// Go to the stop whose number was typed.
    ConfirmNumber,
    /// Take back the last digit typed.
    EraseDigit,
    ToggleBlack,
    ToggleAutoplay,
    BackToStop,
    ToggleHints,
    Leave,
    /// Go to stop `n` (from 0), chosen in the presenter view's list.
    GoTo(usize),
}

/// How long the key hints show when a tour starts.
const HINT_SECONDS: f64 = 6.0;

/// Share of the screen's height the caption card may cover; the stop's view is fitted above.
pub const CARD_SHARE: f32 = 0.3;

pub struct Presenter {
    pub tour: Tour,
    index: usize,
    flight: Option<Flight>,
    /// The view the map shows now (set every frame while flying).
    view: Option<View>,
    black: bool,
    autoplay: bool,
    /// When the current stop was reached (input time, seconds), for auto-play.
    arrived: f64,
    digits: String,
    reduced_motion: bool,
    /// The key hints show until this time (input seconds); `H` toggles them.
    hints_until: Option<f64>,
    hints_pinned: bool,
    /// The presenter panned or zoomed away from the stop's view.
    away: bool,
    /// Views whose geometry is still to be prepared (see `warm_up`); `None` until planned.
    warming: Option<Vec<(View, usize)>>,
    /// What the map draws at the current stop, kept while stop and language stay the same
    /// (the arrows' labels and the spotlight are looked up once, not every frame).
    options: Option<(usize, Lang, SceneOptions)>,
    /// When the tour was first shown (input time, seconds), for the presenter's timer.
    started: Option<f64>,
}

impl Presenter {
    pub fn new(tour: Tour, reduced_motion: bool) -> Self {
        Self {
            tour,
            index: 0,
            flight: None,
            view: None,
            black: false,
            autoplay: false,
            arrived: 0.0,
            digits: String::new(),
            reduced_motion,
            hints_until: None,
            hints_pinned: false,
            away: false,
            warming: None,
            options: None,
            started: None,
        }
    }

    /// Seconds since the tour was first shown.
    pub fn elapsed(&self, now: f64) -> f64 {
        self.started.map_or(0.0, |started| (now - started).max(0.0))
    }

    /// The stop after the current one, if any.
    pub fn next_stop(&self) -> Option<&super::Stop> {
        self.tour.stops.get(self.index + 1)
    }

    pub fn index(&self) -> usize {
        self.index
    }

    pub fn black(&self) -> bool {
        self.black
    }

    pub fn autoplay(&self) -> bool {
        self.autoplay
    }

    pub fn flying(&self) -> bool {
        self.flight.is_some()
    }

    /// The stop number typed so far (before Enter).
    pub fn digits(&self) -> &str {
        &self.digits
    }

    /// The current stop.
    pub fn stop(&self) -> &super::Stop {
        &self.tour.stops[self.index]
    }

    /// How much of the current stop's auto-play time has passed (0‥1; 0 while flying).
    pub fn autoplay_share(&self, now: f64) -> f32 {
        if self.flight.is_some() {
            return 0.0;
        }
        let duration = self.stop().duration.unwrap_or(DEFAULT_DURATION);
        ((now - self.arrived) / duration).clamp(0.0, 1.0) as f32
    }

    /// The view that shows the current stop on a map of `size`: the extent fitted into the
    /// part of the screen above the caption card.
    pub fn stop_view(&self, atlas: &Atlas, size: [f32; 2]) -> Option<View> {
        self.view_of(atlas, self.index, size)
    }

    /// The view of stop `index` on a map of `size` (the audience's screen, in points): the
    /// stop fitted above the caption card.
    pub fn view_of(&self, atlas: &Atlas, index: usize, size: [f32; 2]) -> Option<View> {
        let stop = self.tour.stops.get(index)?;
        let upper = [size[0], size[1] * (1.0 - CARD_SHARE)];
        let fitted = view_for(atlas, &stop.extent(), upper).ok()?;
        // The same centre on the full screen sits at the middle of the upper part.
        let full = View { size, ..fitted };
        let centre = full.unproject([size[0] / 2.0, size[1] / 2.0 + size[1] * CARD_SHARE / 2.0]);
        Some(View {
            center: [centre.x, centre.y],
            ..full
        })
    }

    /// Moves to stop `index` (clamped), flying from wherever the map is now.
    fn go(&mut self, index: usize, now: f64, atlas: &Atlas, size: [f32; 2]) {
        self.index = index.min(self.tour.stops.len().saturating_sub(1));
        self.black = false;
        self.fly_to_stop(now, atlas, size);
    }

    fn fly_to_stop(&mut self, now: f64, atlas: &Atlas, size: [f32; 2]) {
        let Some(to) = self.stop_view(atlas, size) else {
            return;
        };
        self.away = false;
        self.flight = self.view.map(|from| Flight {
            from,
            to,
            start: now,
            fade: self.reduced_motion,
        });
        if self.flight.is_none() {
            self.view = Some(to);
        }
        self.arrived = now;
    }

    /// Applies a command at input time `now` (seconds) on a map of `size`; returns false when
    /// the presenter leaves.
    pub fn apply(&mut self, command: Command, now: f64, atlas: &Atlas, size: [f32; 2]) -> bool {
        let last = self.tour.stops.len().saturating_sub(1);
        match command {
            Command::Next if self.index < last => self.go(self.index + 1, now, atlas, size),
            Command::Previous if self.index > 0 => self.go(self.index - 1, now, atlas, size),
            Command::Next | Command::Previous => {}
            Command::First => self.go(0, now, atlas, size),
            Command::Last => self.go(last, now, atlas, size),
            Command::Digit(digit) => {
                if self.digits.len() < 3 && digit < 10 {
                    self.digits.push(char::from(b'0' + digit));
                }
            }
            Command::ConfirmNumber => {
                if let Ok(number) = std::mem::take(&mut self.digits).parse::<usize>() {
                    self.go(number.saturating_sub(1), now, atlas, size);
                }
            }
            Command::EraseDigit => {
                self.digits.pop();
            }
            Command::ToggleBlack => self.black = !self.black,
            Command::ToggleAutoplay => {
                self.autoplay = !self.autoplay;
                self.arrived = now;
            }
            Command::BackToStop => self.fly_to_stop(now, atlas, size),
            // H shows the whole key list (the start shows only a one-line hint), H again hides.
            Command::ToggleHints => {
                self.hints_pinned = !self.hints_pinned;
                self.hints_until = None;
            }
            Command::Leave => return false,
            Command::GoTo(stop) if stop <= last => self.go(stop, now, atlas, size),
            Command::GoTo(_) => {}
        }
        true
    }

    /// Advances the flight and auto-play; returns the view to show and the cross-fade cover.
    pub fn advance(&mut self, now: f64, atlas: &Atlas, size: [f32; 2]) -> (Option<View>, f32) {
        if self.view.is_none() {
            self.fly_to_stop(now, atlas, size);
            self.hints_until = Some(now + HINT_SECONDS);
        }
        self.started.get_or_insert(now);
        self.fit_to(size, atlas);
        let cover = self.fly(now);
        if self.autoplay && self.flight.is_none() && !self.black {
            let duration = self.stop().duration.unwrap_or(DEFAULT_DURATION);
            if now - self.arrived >= duration {
                if self.index + 1 < self.tour.stops.len() {
                    self.go(self.index + 1, now, atlas, size);
                } else {
                    self.autoplay = false;
                }
            }
        }
        (self.view, cover)
    }

    /// The screen changed size (going full-screen, a projector): fit the stop again, unless
    /// the presenter has moved away from it.
    fn fit_to(&mut self, size: [f32; 2], atlas: &Atlas) {
        let Some(view) = self.view.filter(|view| view.size != size) else {
            return;
        };
        let resized = |v: View| View { size, ..v };
        let fitted = self.stop_view(atlas, size);
        match &mut self.flight {
            Some(flight) => {
                flight.from = resized(flight.from);
                flight.to = fitted.unwrap_or(resized(flight.to));
            }
            None if !self.away => self.view = fitted.or(Some(resized(view))),
            None => self.view = Some(resized(view)),
        }
    }

    /// Moves the flight on to `now`; returns the cross-fade's cover (0 when flying).
    fn fly(&mut self, now: f64) -> f32 {
        let Some(flight) = self.flight else {
            return 0.0;
        };
        let seconds = if flight.fade {
            FADE_SECONDS
        } else {
            FLIGHT_SECONDS
        };
        let progress = (now - flight.start) / seconds;
        let mut cover = 0.0;
        self.view = Some(if flight.fade {
            cover = fade_cover(progress);
            if progress < 0.5 {
                flight.from
            } else {
                flight.to
            }
        } else {
            flight_view(&flight.from, &flight.to, progress)
        });
        if progress >= 1.0 {
            self.view = Some(flight.to);
            self.flight = None;
            self.arrived = now;
        }
        cover
    }

    /// Prepares the geometry of the tour's flights a little at a time (within `budget` per
    /// frame), so that no flight stalls on preparing a zoom band; returns whether more is left.
    pub fn warm_up(
        &mut self,
        builder: &mut SceneBuilder,
        atlas: &Atlas,
        lang: Lang,
        size: [f32; 2],
        budget: Duration,
    ) -> bool {
        if self.warming.is_none() {
            let views: Vec<View> = (0..self.tour.stops.len())
                .filter_map(|index| self.view_of(atlas, index, size))
                .collect();
            let mut samples = flight_samples(&views);
            // Nearest flights first.
            samples.sort_by_key(|(_, index)| std::cmp::Reverse(*index));
            self.warming = Some(samples);
        }
        let Some(queue) = self.warming.as_mut() else {
            return false;
        };
        let started = Instant::now();
        while started.elapsed() < budget {
            let Some((view, index)) = queue.pop() else {
                return false;
            };
            let stop = &self.tour.stops[index.min(self.tour.stops.len() - 1)];
            let _ = builder.build(atlas, &view, &stop.scene_options(atlas, lang));
        }
        !queue.is_empty()
    }

    /// The user panned or zoomed: stop flying and keep their view (R brings the stop back).
    pub fn take_over(&mut self, view: View) {
        self.flight = None;
        self.view = Some(view);
        self.away = true;
    }

    /// What the map draws at this stop: its layers, spotlight and arrows.
    pub fn scene_options(&mut self, atlas: &Atlas, lang: Lang) -> SceneOptions {
        let index = self.index;
        match &self.options {
            Some((at, in_lang, options)) if *at == index && *in_lang == lang => options.clone(),
            _ => {
                let options = self.tour.stops[index].scene_options(atlas, lang);
                self.options = Some((index, lang, options.clone()));
                options
            }
        }
    }

    /// Whether the key hints are showing (start of a tour, or pinned with H).
    pub fn hints_shown(&self, now: f64) -> bool {
        self.hints_pinned || self.hints_until.is_some_and(|until| now < until)
    }

    /// Whether the whole key list is asked for (H); at the start of a tour only a one-line hint
    /// shows, so that the map is not covered.
    pub fn hints_pinned(&self) -> bool {
        self.hints_pinned
    }
}
