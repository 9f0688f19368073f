//! The monitors the window can use, as the windowing system lists them, and where a tour goes
//! on them: with two or more, F5 puts the audience's view full screen on the projector and the
//! presenter view full screen on the laptop (PowerPoint's and Keynote's arrangement); the
//! projector is chosen in the tours pane ("automatic": the monitor the window is not on).

use crate::model::Lang;

/// How often the list is read again (a projector plugged in while the window is open).
const READ_EVERY_SECONDS: f64 = 1.0;

/// A monitor, in the order the windowing system lists them — the order
/// [`egui::ViewportCommand::SetMonitor`] and [`egui::ViewportBuilder::with_monitor`] count in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Monitor {
    /// Its output's name ("HDMI-1", `\\.\DISPLAY2`), or empty where the system gives none.
    pub name: String,
    /// Its top-left corner on the desktop, in physical pixels.
    pub position: [i32; 2],
    /// Its size in physical pixels.
    pub size: [u32; 2],
}

/// The monitors and the one the main window is on.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Screens {
    pub monitors: Vec<Monitor>,
    /// The monitor the main window is on (`None`: not known).
    pub window_on: Option<usize>,
    /// When the list was last read (the window's clock).
    read_at: Option<f64>,
}

/// Where a tour is shown when there are two screens: monitor indices as in [`Screens`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stage {
    /// The audience's view (the main window, full screen): the projector.
    pub audience: usize,
    /// The presenter view (notes, next stop, clock), full screen: the laptop.
    pub presenter: usize,
}

impl Screens {
    /// These monitors, the window on `window_on` (as a test or another windowing layer gives
    /// them).
    pub fn new(monitors: Vec<Monitor>, window_on: Option<usize>) -> Self {
        Self {
            monitors,
            window_on,
            read_at: None,
        }
    }

    /// Reads the monitors again through the window's windowing system, at most once a second.
    pub fn refresh(&mut self, window: &winit::window::Window, now: f64) {
        if self
            .read_at
            .is_some_and(|then| now - then < READ_EVERY_SECONDS && now >= then)
        {
            return;
        }
        let handles: Vec<_> = window.available_monitors().collect();
        self.monitors = handles
            .iter()
            .map(|monitor| Monitor {
                name: monitor.name().unwrap_or_default(),
                position: [monitor.position().x, monitor.position().y],
                size: [monitor.size().width, monitor.size().height],
            })
            .collect();
        // Where the window's middle is (winit's `current_monitor` on X11 does not follow a
        // window dragged to another monitor), else what winit says.
        let middle = window.outer_position().ok().map(|corner| {
            let size = window.outer_size();
            [
                corner.x + (size.width / 2) as i32,
                corner.y + (size.height / 2) as i32,
            ]
        });
        self.window_on = middle.and_then(|at| self.at(at)).or_else(|| {
            let current = window.current_monitor()?;
            handles.iter().position(|m| *m == current)
        });
        self.read_at = Some(now);
    }

    /// The monitor with the desktop's pixel `at` on it.
    pub fn at(&self, at: [i32; 2]) -> Option<usize> {
        self.monitors.iter().position(|m| {
            let [x, y] = m.position;
            let [w, h] = m.size.map(i64::from);
            let (dx, dy) = (
                i64::from(at[0]) - i64::from(x),
                i64::from(at[1]) - i64::from(y),
            );
            (0..w).contains(&dx) && (0..h).contains(&dy)
        })
    }

    /// The monitor named `name`, where it is connected.
    pub fn named(&self, name: &str) -> Option<usize> {
        if name.is_empty() {
            return None;
        }
        self.monitors.iter().position(|m| m.name == name)
    }

    /// Where a tour goes: the audience on the monitor named `projector` where it is connected,
    /// else on the first monitor the window is not on; the presenter view on the window's
    /// monitor (or, if that is the projector, the first other). `None` with one monitor: F5
    /// shows the tour full screen where the window is.
    pub fn stage(&self, projector: Option<&str>) -> Option<Stage> {
        if self.monitors.len() < 2 {
            return None;
        }
        let home = self.window_on.unwrap_or(0);
        let chosen = projector.and_then(|name| self.named(name));
        let audience = chosen.unwrap_or_else(|| first_other(self.monitors.len(), home));
        let presenter = if home == audience {
            first_other(self.monitors.len(), audience)
        } else {
            home
        };
        Some(Stage {
            audience,
            presenter,
        })
    }

    /// How monitor `index` is named in the interface: its output and size ("HDMI-1 ·
    /// 1920×1080"), or its number where it has no name.
    pub fn label(&self, index: usize, lang: Lang) -> String {
        let Some(monitor) = self.monitors.get(index) else {
            return String::new();
        };
        let [width, height] = monitor.size;
        if monitor.name.is_empty() {
            let word = lang.pick("显示器", "Monitor");
            format!("{word} {} · {width}×{height}", index + 1)
        } else {
            format!("{} · {width}×{height}", monitor.name)
        }
    }
}

/// The first monitor index of `count` that is not `not`.
fn first_other(count: usize, not: usize) -> usize {
    (0..count).find(|&i| i != not).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn monitor(name: &str, x: i32) -> Monitor {
        Monitor {
            name: name.to_string(),
            position: [x, 0],
            size: [1920, 1080],
        }
    }

    fn laptop_and_projector() -> Screens {
        Screens::new(vec![monitor("eDP-1", 0), monitor("HDMI-1", 1920)], Some(0))
    }

    #[test]
    fn one_monitor_has_no_stage() {
        let one = Screens::new(vec![monitor("eDP-1", 0)], Some(0));
        assert_eq!(one.stage(None), None);
        assert_eq!(Screens::default().stage(Some("HDMI-1")), None);
    }

    #[test]
    fn automatic_puts_the_audience_on_the_monitor_the_window_is_not_on() {
        let screens = laptop_and_projector();
        let stage = Stage {
            audience: 1,
            presenter: 0,
        };
        assert_eq!(screens.stage(None), Some(stage));
        // The window dragged onto the projector before F5: the laptop keeps the notes.
        let moved = Screens::new(screens.monitors.clone(), Some(1));
        assert_eq!(
            moved.stage(None),
            Some(Stage {
                audience: 0,
                presenter: 1
            })
        );
        // A projector chosen and since unplugged: automatic.
        assert_eq!(screens.stage(Some("DP-3")), Some(stage));
    }

    #[test]
    fn the_chosen_projector_is_used_and_the_presenter_stays_off_it() {
        let three = Screens::new(
            vec![
                monitor("eDP-1", 0),
                monitor("HDMI-1", 1920),
                monitor("DP-2", 3840),
            ],
            Some(0),
        );
        assert_eq!(
            three.stage(Some("DP-2")),
            Some(Stage {
                audience: 2,
                presenter: 0
            })
        );
        // The window's own monitor chosen as the projector: the presenter goes to another.
        assert_eq!(
            three.stage(Some("eDP-1")),
            Some(Stage {
                audience: 0,
                presenter: 1
            })
        );
    }

    #[test]
    fn a_desktop_pixel_is_on_the_monitor_that_holds_it() {
        let screens = laptop_and_projector();
        assert_eq!(screens.at([960, 540]), Some(0));
        assert_eq!(screens.at([1919, 1079]), Some(0));
        assert_eq!(
            screens.at([1920, 0]),
            Some(1),
            "the projector's first column"
        );
        assert_eq!(screens.at([3840, 10]), None, "right of both");
        assert_eq!(screens.at([-5, 10]), None);
        assert_eq!(screens.named("HDMI-1"), Some(1));
        assert_eq!(screens.named(""), None);
    }

    #[test]
    fn monitors_are_named_by_output_and_size_or_by_number() {
        let mut screens = laptop_and_projector();
        assert_eq!(screens.label(1, Lang::Zh), "HDMI-1 · 1920×1080");
        screens.monitors[1].name.clear();
        assert_eq!(screens.label(1, Lang::Zh), "显示器 2 · 1920×1080");
        assert_eq!(screens.label(1, Lang::En), "Monitor 2 · 1920×1080");
    }
}
