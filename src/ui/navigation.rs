//! Moving around the map as GIS users expect: the wheel zooms half a level a notch, smoothly,
//! about the pointer; a pinch or Ctrl+wheel zooms continuously; the arrow keys pan, + and −
//! zoom, Home fits the circle; Back and Forward step through the views jumped to; bookmarks
//! keep named views.

use egui::{Event, Key, MouseWheelUnit, Pos2};

use crate::model::FeatureRef;
use crate::render::View;

/// Zoom levels one wheel notch moves.
pub const ZOOM_PER_NOTCH: f64 = 0.5;

/// Wheel distance in points that counts as one notch (a trackpad's scroll is in points).
const POINTS_PER_NOTCH: f32 = 50.0;

/// How quickly an animated zoom closes on its goal: the share left after a second is
/// e^-RATE (a notch settles in about a fifth of a second).
const ZOOM_RATE: f64 = 16.0;

/// Closer than this to the goal, the zoom snaps to it.
const ZOOM_SNAP: f64 = 0.002;

/// Points one press of an arrow key moves the map.
pub const ARROW_PAN_POINTS: f32 = 100.0;

/// Views kept for Back.
const HISTORY_LENGTH: usize = 50;

/// A zoom the map is moving towards, about a point on screen that stays put.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ZoomGoal {
    pub zoom: f64,
    pub anchor: Pos2,
}

/// What the pointer and wheel asked of the map this frame.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ZoomInput {
    /// Wheel notches (positive: in); animated.
    pub notches: f64,
    /// A pinch or Ctrl+wheel, as a zoom factor (1: none); followed at once.
    pub pinch: f64,
}

/// The wheel and pinch input of this frame. Ctrl+wheel comes through egui as a zoom factor,
/// so only the wheel events without Ctrl count as notches.
pub fn zoom_input(input: &egui::InputState) -> ZoomInput {
    let notches = input
        .events
        .iter()
        .filter_map(|event| match event {
            Event::MouseWheel {
                unit,
                delta,
                modifiers,
                ..
            } if !modifiers.command && !modifiers.ctrl => Some(match unit {
                MouseWheelUnit::Line => delta.y,
                MouseWheelUnit::Point => delta.y / POINTS_PER_NOTCH,
                MouseWheelUnit::Page => delta.y * 3.0,
            }),
            _ => None,
        })
        .sum::<f32>();
    ZoomInput {
        notches: f64::from(notches),
        pinch: f64::from(input.zoom_delta()),
    }
}

/// One step of an animated zoom from `zoom` towards `goal` over `dt` seconds.
pub fn zoom_step(zoom: f64, goal: f64, dt: f64) -> f64 {
    let left = goal - zoom;
    if left.abs() < ZOOM_SNAP {
        return goal;
    }
    zoom + left * (1.0 - (-ZOOM_RATE * dt.clamp(0.0, 0.1)).exp())
}

/// The map's keys this frame (when no text field has the keyboard).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct KeyInput {
    /// Points to move the content (the map moves the other way).
    pub pan: egui::Vec2,
    /// Zoom levels (+ in, − out).
    pub zoom: f64,
    pub home: bool,
    pub back: bool,
    pub forward: bool,
}

/// Reads the arrows, + and −, Home, Alt+← and Alt+→ (and consumes them).
pub fn key_input(input: &mut egui::InputState) -> KeyInput {
    let mut keys = KeyInput::default();
    let alt = egui::Modifiers::ALT;
    keys.back = input.consume_key(alt, Key::ArrowLeft);
    keys.forward = input.consume_key(alt, Key::ArrowRight);
    let none = egui::Modifiers::NONE;
    for (key, direction) in [
        (Key::ArrowLeft, egui::vec2(1.0, 0.0)),
        (Key::ArrowRight, egui::vec2(-1.0, 0.0)),
        (Key::ArrowUp, egui::vec2(0.0, 1.0)),
        (Key::ArrowDown, egui::vec2(0.0, -1.0)),
    ] {
        while input.consume_key(none, key) {
            keys.pan += direction * ARROW_PAN_POINTS;
        }
    }
    // "+" is Shift+= on most keyboards and a key of its own on the keypad (egui ignores an
    // extra Shift when matching).
    for (key, step) in [(Key::Plus, 1.0), (Key::Equals, 1.0), (Key::Minus, -1.0)] {
        while input.consume_key(none, key) {
            keys.zoom += step;
        }
    }
    keys.home = input.consume_key(none, Key::Home);
    keys
}

/// A place in the history: the view, and what was selected there.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Visit {
    pub view: View,
    pub selected: Option<FeatureRef>,
}

/// The places left by jumps (fits, flights to a feature, search results) and by selections,
/// for Back and Forward.
#[derive(Debug, Default)]
pub struct ViewHistory {
    back: Vec<Visit>,
    forward: Vec<Visit>,
}

impl ViewHistory {
    /// Remembers `from`, the place being left; Forward starts over.
    pub fn leave(&mut self, from: Visit) {
        if self.back.last().is_some_and(|last| same_visit(last, &from)) {
            return;
        }
        self.back.push(from);
        if self.back.len() > HISTORY_LENGTH {
            self.back.remove(0);
        }
        self.forward.clear();
    }

    /// The place before the last jump or selection; `current` is kept for Forward.
    pub fn back(&mut self, current: Visit) -> Option<Visit> {
        let visit = self.back.pop()?;
        self.forward.push(current);
        Some(visit)
    }

    /// The place Back left; `current` is kept for Back.
    pub fn forward(&mut self, current: Visit) -> Option<Visit> {
        let visit = self.forward.pop()?;
        self.back.push(current);
        Some(visit)
    }

    pub fn can_go_back(&self) -> bool {
        !self.back.is_empty()
    }

    pub fn can_go_forward(&self) -> bool {
        !self.forward.is_empty()
    }
}

fn same_visit(a: &Visit, b: &Visit) -> bool {
    a.selected == b.selected && same_place(&a.view, &b.view)
}

/// Two views showing the same place (a jump to where the map already is is not history).
fn same_place(a: &View, b: &View) -> bool {
    (a.zoom - b.zoom).abs() < 0.01
        && (a.center[0] - b.center[0]).abs() < 1e-7
        && (a.center[1] - b.center[1]).abs() < 1e-7
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::coord;

    fn view(lon: f64) -> Visit {
        Visit {
            view: View::new(coord! { x: lon, y: 30.0 }, 8.0, [800.0, 600.0]),
            selected: None,
        }
    }

    #[test]
    fn back_and_forward_walk_the_jumps_and_a_new_jump_drops_forward() {
        let mut history = ViewHistory::default();
        history.leave(view(104.0));
        history.leave(view(105.0));
        // Now at 106 (the last jump's goal).
        assert_eq!(history.back(view(106.0)), Some(view(105.0)));
        assert_eq!(history.back(view(105.0)), Some(view(104.0)));
        assert_eq!(history.back(view(104.0)), None);
        assert_eq!(history.forward(view(104.0)), Some(view(105.0)));
        assert!(history.can_go_forward());
        history.leave(view(105.0));
        assert!(!history.can_go_forward());
        // Leaving the same place twice is one entry.
        history.leave(view(105.0));
        assert_eq!(history.back(view(107.0)), Some(view(105.0)));
        assert_eq!(history.back(view(105.0)), Some(view(104.0)));
    }

    #[test]
    fn selections_at_one_view_are_steps_of_their_own() {
        let feature = |index| FeatureRef {
            layer: crate::model::LayerId::Provinces,
            index,
        };
        let at = |selected| Visit {
            selected,
            ..view(106.0)
        };
        let mut history = ViewHistory::default();
        history.leave(at(None));
        history.leave(at(Some(feature(1))));
        history.leave(at(Some(feature(1))));
        assert_eq!(
            history.back(at(Some(feature(2)))),
            Some(at(Some(feature(1))))
        );
        assert_eq!(history.back(at(Some(feature(1)))), Some(at(None)));
        assert_eq!(history.back(at(None)), None);
    }

    #[test]
    fn an_animated_zoom_closes_on_its_goal_and_lands_on_it() {
        let mut zoom = 8.0;
        let mut frames = 0;
        while zoom != 8.5 {
            let next = zoom_step(zoom, 8.5, 1.0 / 60.0);
            assert!(next > zoom && next <= 8.5);
            zoom = next;
            frames += 1;
            assert!(frames < 60, "still {zoom} after a second");
        }
        // Smooth: more than a few frames, not a jump.
        assert!(frames > 5, "{frames}");
    }
}
