//! Presenter mode: a tour full-screen, driven by the keys a presentation clicker sends, with a
//! large caption card, progress dots, a spotlight on the stop's zones, an animated fly-to
//! (or a cross-fade with reduced motion), a black screen, auto-play and a laser pointer.

use eframe::egui::{self, Align2, Color32, Key, Order, Pos2, RichText, Ui, vec2};

use crate::model::{Atlas, Lang};
use std::time::{Duration, Instant};

use crate::render::{SceneBuilder, SceneOptions, View};
use crate::tour::motion::{FADE_SECONDS, FLIGHT_SECONDS, fade_cover, flight_view};
use crate::tour::{DEFAULT_DURATION, Tour};

/// A move between views in progress.
#[derive(Debug, Clone, Copy)]
struct Flight {
    from: View,
    to: View,
    start: f64,
    /// A cross-fade (reduced motion) rather than a flight.
    fade: bool,
}

/// What the presenter asked for with a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    Next,
    Previous,
    First,
    Last,
    Jump(usize),
    ToggleBlack,
    ToggleAutoplay,
    BackToStop,
    ToggleHints,
    Leave,
}

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
}

/// How long the key hints show when a tour starts.
const HINT_SECONDS: f64 = 6.0;

/// Share of the screen's height the caption card may cover; the stop's view is fitted above.
const CARD_SHARE: f32 = 0.3;

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
        }
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

    /// The view that shows the current stop on a map of `size`: the extent fitted into the
    /// part of the screen above the caption card.
    pub fn stop_view(&self, atlas: &Atlas, size: [f32; 2]) -> Option<View> {
        self.view_of(atlas, self.index, size)
    }

    /// The view of stop `index` on a map of `size`.
    fn view_of(&self, atlas: &Atlas, index: usize, size: [f32; 2]) -> Option<View> {
        let stop = self.tour.stops.get(index)?;
        let upper = [size[0], size[1] * (1.0 - CARD_SHARE)];
        let fitted = crate::export::view_for(atlas, &stop.extent(), upper).ok()?;
        // The same centre on the full screen sits at the middle of the upper part.
        let full = View { size, ..fitted };
        let centre = full.unproject([size[0] / 2.0, size[1] / 2.0 + size[1] * CARD_SHARE / 2.0]);
        Some(View {
            center: [centre.x, centre.y],
            ..full
        })
    }

    /// The commands in this frame's key presses.
    pub fn commands(&mut self, ui: &Ui) -> Vec<Command> {
        let mut commands = Vec::new();
        ui.input(|input| {
            for event in &input.events {
                let egui::Event::Key {
                    key, pressed: true, ..
                } = event
                else {
                    continue;
                };
                let command = match key {
                    Key::ArrowRight | Key::PageDown | Key::Space | Key::N => Some(Command::Next),
                    Key::ArrowLeft | Key::PageUp | Key::P => Some(Command::Previous),
                    Key::Home => Some(Command::First),
                    Key::End => Some(Command::Last),
                    Key::B | Key::Period => Some(Command::ToggleBlack),
                    Key::A => Some(Command::ToggleAutoplay),
                    Key::R => Some(Command::BackToStop),
                    Key::H | Key::F1 => Some(Command::ToggleHints),
                    Key::Escape => Some(Command::Leave),
                    Key::Enter => {
                        let number = self.digits.parse::<usize>().ok();
                        self.digits.clear();
                        number.map(|n| Command::Jump(n.saturating_sub(1)))
                    }
                    Key::Backspace => {
                        self.digits.pop();
                        None
                    }
                    _ => {
                        if let Some(digit) = key.name().chars().next().filter(char::is_ascii_digit)
                            && key.name().len() == 1
                            && self.digits.len() < 3
                        {
                            self.digits.push(digit);
                        }
                        None
                    }
                };
                commands.extend(command);
            }
        });
        commands
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
        match self.view {
            Some(from) => {
                self.flight = Some(Flight {
                    from,
                    to,
                    start: now,
                    fade: self.reduced_motion,
                })
            }
            None => {
                self.view = Some(to);
                self.flight = None;
            }
        }
        self.arrived = now;
    }

    /// Applies a command; returns false when the presenter leaves.
    pub fn apply(&mut self, command: Command, now: f64, atlas: &Atlas, size: [f32; 2]) -> bool {
        let last = self.tour.stops.len().saturating_sub(1);
        match command {
            Command::Next if self.index < last => self.go(self.index + 1, now, atlas, size),
            Command::Previous if self.index > 0 => self.go(self.index - 1, now, atlas, size),
            Command::Next | Command::Previous => {}
            Command::First => self.go(0, now, atlas, size),
            Command::Last => self.go(last, now, atlas, size),
            Command::Jump(index) => self.go(index, now, atlas, size),
            Command::ToggleBlack => self.black = !self.black,
            Command::ToggleAutoplay => {
                self.autoplay = !self.autoplay;
                self.arrived = now;
            }
            Command::BackToStop => self.fly_to_stop(now, atlas, size),
            Command::ToggleHints => {
                let shown = self.hints_shown(now);
                self.hints_pinned = !shown;
                self.hints_until = None;
            }
            Command::Leave => return false,
        }
        true
    }

    /// Advances the flight and auto-play; returns the view to show and the cross-fade cover.
    pub fn advance(&mut self, now: f64, atlas: &Atlas, size: [f32; 2]) -> (Option<View>, f32) {
        if self.view.is_none() {
            self.fly_to_stop(now, atlas, size);
            self.hints_until = Some(now + HINT_SECONDS);
        }
        // The screen changed size (going full-screen, a projector): fit the stop again, unless
        // the presenter has moved away from it.
        if let Some(view) = self.view
            && view.size != size
        {
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
        let mut cover = 0.0;
        if let Some(flight) = self.flight {
            let seconds = if flight.fade {
                FADE_SECONDS
            } else {
                FLIGHT_SECONDS
            };
            let progress = (now - flight.start) / seconds;
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
        }
        if self.autoplay && self.flight.is_none() && !self.black {
            let duration = self.tour.stops[self.index]
                .duration
                .unwrap_or(DEFAULT_DURATION);
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
            let mut samples = crate::tour::motion::flight_samples(&views);
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
            let _ = builder.build(atlas, &view, &stop_options(stop, atlas, lang));
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
                let options = stop_options(&self.tour.stops[index], atlas, lang);
                self.options = Some((index, lang, options.clone()));
                options
            }
        }
    }

    /// The caption card, progress dots, black screen, laser dot and cross-fade cover.
    pub fn overlay(&self, ctx: &egui::Context, atlas: &Atlas, lang: Lang, cover: f32) {
        let screen = ctx.content_rect();
        if cover > 0.0 {
            let painter = ctx.layer_painter(egui::LayerId::new(
                Order::Middle,
                egui::Id::unique("presenter-fade"),
            ));
            let [r, g, b, _] = crate::render::style::BACKGROUND.0;
            painter.rect_filled(
                screen,
                0.0,
                Color32::from_rgba_unmultiplied(r, g, b, (cover * 255.0) as u8),
            );
        }
        if !self.black {
            self.caption_card(ctx, atlas, lang, screen);
            let now = ctx.input(|i| i.time);
            if self.hints_pinned || self.hints_until.is_some_and(|until| now < until) {
                hints(ctx, lang);
            }
        }
        let top = ctx.layer_painter(egui::LayerId::new(
            Order::Tooltip,
            egui::Id::unique("presenter-top"),
        ));
        if self.black {
            top.rect_filled(screen, 0.0, Color32::BLACK);
        }
        // The laser pointer: a red dot while the primary button is held.
        let laser = ctx.input(|i| {
            i.pointer
                .primary_down()
                .then(|| i.pointer.latest_pos())
                .flatten()
        });
        if let Some(at) = laser.filter(|_| !self.black) {
            // The dot is the pointer.
            ctx.set_cursor_icon(egui::CursorIcon::None);
            for (radius, alpha) in [(22.0, 40), (14.0, 90), (8.0, 255)] {
                top.circle_filled(
                    at,
                    radius,
                    Color32::from_rgba_unmultiplied(0xff, 0x1a, 0x1a, alpha),
                );
            }
            top.circle_filled(at, 3.0, Color32::from_rgb(0xff, 0xe0, 0xe0));
        }
    }

    /// Whether the key hints are showing (start of a tour, or pinned with H).
    pub fn hints_shown(&self, now: f64) -> bool {
        self.hints_pinned || self.hints_until.is_some_and(|until| now < until)
    }

    fn caption_card(&self, ctx: &egui::Context, atlas: &Atlas, lang: Lang, screen: egui::Rect) {
        let stop = &self.tour.stops[self.index];
        // Sizes for a 1920×1080 projector, scaled down on smaller screens.
        let scale = (screen.height() / 1080.0).clamp(0.7, 1.6);
        let width = (screen.width() - 96.0 * scale).min(1500.0 * scale);
        egui::Area::new(egui::Id::unique("presenter-caption"))
            .order(Order::Foreground)
            .anchor(Align2::LEFT_BOTTOM, vec2(48.0 * scale, -40.0 * scale))
            .interactable(false)
            .show(ctx, |ui| {
                egui::Frame::new()
                    .fill(Color32::from_rgba_unmultiplied(255, 255, 255, 242))
                    .corner_radius(10.0 * scale)
                    .inner_margin(egui::Margin::symmetric(
                        (28.0 * scale) as i8,
                        (20.0 * scale) as i8,
                    ))
                    .shadow(egui::Shadow {
                        offset: [0, 4],
                        blur: 24,
                        spread: 0,
                        color: Color32::from_black_alpha(90),
                    })
                    .show(ui, |ui| {
                        ui.set_width(width);
                        ui.label(
                            RichText::new(stop.title.get(lang))
                                .size(42.0 * scale)
                                .strong()
                                .color(Color32::from_rgb(0x14, 0x1a, 0x24)),
                        );
                        ui.add_space(6.0 * scale);
                        ui.label(
                            RichText::new(stop.caption.get(lang))
                                .size(28.0 * scale)
                                .color(Color32::from_rgb(0x24, 0x2a, 0x34)),
                        );
                        ui.add_space(10.0 * scale);
                        ui.horizontal(|ui| {
                            self.progress_dots(ui, scale);
                            ui.add_space(12.0 * scale);
                            ui.label(
                                RichText::new(format!(
                                    "{} / {}",
                                    self.index + 1,
                                    self.tour.stops.len()
                                ))
                                .size(18.0 * scale)
                                .color(Color32::from_rgb(0x40, 0x46, 0x50)),
                            );
                            if self.autoplay {
                                ui.label(
                                    RichText::new(lang.pick("▶ 自动播放", "▶ auto-play"))
                                        .size(16.0 * scale)
                                        .color(Color32::from_rgb(0x15, 0x65, 0xc0)),
                                );
                                // How much of this stop's time is gone.
                                let duration = stop.duration.unwrap_or(DEFAULT_DURATION);
                                let now = ui.input(|i| i.time);
                                let share = if self.flight.is_some() {
                                    0.0
                                } else {
                                    ((now - self.arrived) / duration).clamp(0.0, 1.0) as f32
                                };
                                let (rect, _) = ui.allocate_exact_size(
                                    vec2(80.0 * scale, 6.0 * scale),
                                    egui::Sense::hover(),
                                );
                                let painter = ui.painter();
                                painter.rect_filled(rect, 3.0, Color32::from_rgb(0xd6, 0xdc, 0xe4));
                                let mut done = rect;
                                done.set_width(rect.width() * share);
                                painter.rect_filled(done, 3.0, Color32::from_rgb(0x15, 0x65, 0xc0));
                            }
                            if !self.digits.is_empty() {
                                ui.label(
                                    RichText::new(format!("→ {}", self.digits))
                                        .size(18.0 * scale)
                                        .strong(),
                                );
                            }
                            let citations = stop.citations(atlas);
                            if !citations.is_empty() {
                                ui.add_space(16.0 * scale);
                                ui.label(
                                    RichText::new(format!(
                                        "{}{}",
                                        lang.pick("来源：", "Sources: "),
                                        citations.join(lang.pick("；", "; "))
                                    ))
                                    .size(14.0 * scale)
                                    .color(Color32::from_rgb(0x5a, 0x60, 0x6a)),
                                );
                            }
                        });
                    });
            });
    }

    fn progress_dots(&self, ui: &mut Ui, scale: f32) {
        let count = self.tour.stops.len();
        let spacing = 22.0 * scale;
        let (rect, _) = ui.allocate_exact_size(
            vec2(spacing * count as f32, 20.0 * scale),
            egui::Sense::hover(),
        );
        for index in 0..count {
            let centre = Pos2::new(
                rect.left() + spacing * (index as f32 + 0.5),
                rect.center().y,
            );
            let (radius, colour) = match index.cmp(&self.index) {
                std::cmp::Ordering::Equal => (8.0, Color32::from_rgb(0xc6, 0x28, 0x28)),
                std::cmp::Ordering::Less => (5.5, Color32::from_rgb(0x60, 0x66, 0x70)),
                std::cmp::Ordering::Greater => (5.5, Color32::from_rgb(0xc4, 0xc8, 0xce)),
            };
            ui.painter().circle_filled(centre, radius * scale, colour);
        }
    }
}

/// What the map draws at a stop: its layers, spotlight and arrows.
fn stop_options(stop: &crate::tour::Stop, atlas: &Atlas, lang: Lang) -> SceneOptions {
    SceneOptions {
        lang,
        layers: stop.layer_settings(),
        highlight: stop.highlight(atlas, lang),
    }
}

/// The keys, in a small card at the top right.
fn hints(ctx: &egui::Context, lang: Lang) {
    let rows: [(&str, &str, &str); 8] = [
        (
            "→ / PgDn / 空格",
            "→ / PgDn / Space",
            lang.pick("下一站", "next stop"),
        ),
        ("← / PgUp", "← / PgUp", lang.pick("上一站", "previous stop")),
        (
            "数字 + Enter",
            "number + Enter",
            lang.pick("跳到第 n 站", "go to stop n"),
        ),
        (
            "Home / End",
            "Home / End",
            lang.pick("第一站 / 最后一站", "first / last stop"),
        ),
        ("B", "B", lang.pick("黑屏", "black screen")),
        ("A", "A", lang.pick("自动播放 / 暂停", "auto-play / pause")),
        (
            "R",
            "R",
            lang.pick(
                "平移后回到本站（右键拖动平移）",
                "back to the stop (pan: right-drag)",
            ),
        ),
        (
            "Esc",
            "Esc",
            lang.pick(
                "退出演示（H 显示/隐藏本提示）",
                "leave (H: show/hide these keys)",
            ),
        ),
    ];
    egui::Area::new(egui::Id::unique("presenter-hints"))
        .order(Order::Foreground)
        .anchor(Align2::RIGHT_TOP, vec2(-24.0, 24.0))
        .interactable(false)
        .show(ctx, |ui| {
            egui::Frame::new()
                .fill(Color32::from_rgba_unmultiplied(20, 24, 32, 215))
                .corner_radius(8.0)
                .inner_margin(egui::Margin::same(14))
                .show(ui, |ui| {
                    egui::Grid::new("presenter-hint-grid")
                        .spacing([14.0, 4.0])
                        .show(ui, |ui| {
                            for (zh, en, what) in rows {
                                ui.label(
                                    RichText::new(lang.pick(zh, en))
                                        .size(16.0)
                                        .strong()
                                        .color(Color32::WHITE),
                                );
                                ui.label(
                                    RichText::new(what)
                                        .size(16.0)
                                        .color(Color32::from_rgb(0xdd, 0xe2, 0xea)),
                                );
                                ui.end_row();
                            }
                        });
                });
        });
}
