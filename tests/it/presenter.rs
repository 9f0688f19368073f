//! The presenter's state machine, driven as a clicker would drive it, without a window: stops,
//! typed numbers, flights that land exactly, cross-fades, auto-play, the black screen, panning
//! away and coming back, and a screen that changes size.

use chengyu_atlas::render::View;
use chengyu_atlas::tour::motion::{FADE_SECONDS, FLIGHT_SECONDS};
use chengyu_atlas::tour::presenter::{Command, Presenter};
use chengyu_atlas::tour::{self, DEFAULT_DURATION, Tour};

use crate::common::atlas;

const SCREEN: [f32; 2] = [1920.0, 1080.0];

fn first_tour() -> Tour {
    let (tours, problems) = tour::load_all(None);
    assert!(problems.is_empty(), "{problems:?}");
    tours.into_iter().next().expect("a shipped tour")
}

/// A presenter on the first shipped tour, started at time 0.
fn started(reduced_motion: bool) -> Presenter {
    let mut presenter = Presenter::new(first_tour(), reduced_motion);
    let (view, cover) = presenter.advance(0.0, atlas(), SCREEN);
    assert_eq!(
        view,
        presenter.stop_view(atlas(), SCREEN),
        "opens on stop 1"
    );
    assert_eq!(cover, 0.0);
    presenter
}

/// Sends `command` at `now` and lets the motion run to its end; returns the view shown then.
fn after(presenter: &mut Presenter, command: Command, now: f64) -> Option<View> {
    assert!(presenter.apply(command, now, atlas(), SCREEN));
    presenter
        .advance(now + FLIGHT_SECONDS + 0.01, atlas(), SCREEN)
        .0
}

#[test]
fn next_previous_first_and_last_move_between_stops_and_stay_in_the_tour() {
    let mut presenter = started(false);
    let last = presenter.tour.stops.len() - 1;
    after(&mut presenter, Command::Previous, 1.0);
    assert_eq!(presenter.index(), 0, "no stop before the first");
    after(&mut presenter, Command::Next, 2.0);
    assert_eq!(presenter.index(), 1);
    after(&mut presenter, Command::Last, 4.0);
    assert_eq!(presenter.index(), last);
    after(&mut presenter, Command::Next, 6.0);
    assert_eq!(presenter.index(), last, "no stop after the last");
    after(&mut presenter, Command::First, 8.0);
    assert_eq!(presenter.index(), 0);
    assert!(!presenter.apply(Command::Leave, 9.0, atlas(), SCREEN));
}

#[test]
fn a_typed_number_goes_to_that_stop_and_backspace_takes_a_digit_back() {
    let mut presenter = started(false);
    for command in [Command::Digit(4), Command::Digit(7), Command::EraseDigit] {
        presenter.apply(command, 1.0, atlas(), SCREEN);
    }
    assert_eq!(presenter.digits(), "4");
    after(&mut presenter, Command::ConfirmNumber, 1.0);
    assert_eq!(presenter.index(), 3, "stop 4");
    assert_eq!(presenter.digits(), "");
    // More digits than stops: the last stop.
    for digit in [9, 9, 9, 9] {
        presenter.apply(Command::Digit(digit), 3.0, atlas(), SCREEN);
    }
    assert_eq!(presenter.digits(), "999", "three digits at most");
    after(&mut presenter, Command::ConfirmNumber, 3.0);
    assert_eq!(presenter.index(), presenter.tour.stops.len() - 1);
}

#[test]
fn a_flight_moves_through_other_views_and_lands_exactly_on_the_stop() {
    let mut presenter = started(false);
    let first = presenter.stop_view(atlas(), SCREEN).expect("view");
    presenter.apply(Command::Next, 1.0, atlas(), SCREEN);
    assert!(presenter.flying());
    let (middle, cover) = presenter.advance(1.0 + FLIGHT_SECONDS / 2.0, atlas(), SCREEN);
    let target = presenter.stop_view(atlas(), SCREEN).expect("view");
    let middle = middle.expect("a view");
    assert_eq!(cover, 0.0, "a flight, not a fade");
    assert!(middle != first && middle != target);
    let (end, _) = presenter.advance(1.0 + FLIGHT_SECONDS, atlas(), SCREEN);
    assert_eq!(end, Some(target));
    assert!(!presenter.flying());
}

#[test]
fn reduced_motion_cross_fades_and_jumps_at_the_middle() {
    let mut presenter = started(true);
    let first = presenter.stop_view(atlas(), SCREEN);
    presenter.apply(Command::Next, 1.0, atlas(), SCREEN);
    let target = presenter.stop_view(atlas(), SCREEN);
    let (early, cover) = presenter.advance(1.0 + FADE_SECONDS * 0.25, atlas(), SCREEN);
    assert_eq!(early, first, "still the old stop under the cover");
    assert!((cover - 0.5).abs() < 1e-6, "half covered: {cover}");
    let (late, _) = presenter.advance(1.0 + FADE_SECONDS * 0.75, atlas(), SCREEN);
    assert_eq!(late, target, "the new stop, nothing in between");
    let (_, cover) = presenter.advance(1.0 + FADE_SECONDS, atlas(), SCREEN);
    assert_eq!(cover, 0.0);
}

#[test]
fn auto_play_moves_on_after_each_stops_duration_and_stops_at_the_end() {
    let mut presenter = started(true);
    presenter.apply(Command::ToggleAutoplay, 0.0, atlas(), SCREEN);
    let duration = presenter.stop().duration.unwrap_or(DEFAULT_DURATION);
    presenter.advance(duration - 0.1, atlas(), SCREEN);
    assert_eq!(presenter.index(), 0, "not before its time");
    assert!((presenter.autoplay_share(duration / 2.0) - 0.5).abs() < 1e-3);
    presenter.advance(duration, atlas(), SCREEN);
    assert_eq!(presenter.index(), 1);
    // The black screen holds auto-play.
    presenter.apply(Command::ToggleBlack, duration + 1.0, atlas(), SCREEN);
    presenter.advance(duration + 1.0 + FADE_SECONDS, atlas(), SCREEN);
    presenter.advance(duration * 10.0, atlas(), SCREEN);
    assert!(presenter.black());
    assert_eq!(presenter.index(), 1, "no moving on behind a black screen");
    // Without it, auto-play runs to the last stop and pauses there.
    presenter.apply(Command::ToggleBlack, 0.0, atlas(), SCREEN);
    let mut now = duration * 10.0;
    for _ in 0..200 {
        now += 1.0;
        presenter.advance(now, atlas(), SCREEN);
    }
    assert_eq!(presenter.index(), presenter.tour.stops.len() - 1);
    assert!(!presenter.autoplay(), "paused at the end");
}

#[test]
fn a_presenter_who_panned_keeps_their_view_until_asked_back() {
    let mut presenter = started(false);
    let stop = presenter.stop_view(atlas(), SCREEN).expect("view");
    let panned = View {
        zoom: stop.zoom + 1.0,
        ..stop
    };
    presenter.take_over(panned);
    // A bigger screen does not refit a view the presenter chose.
    let bigger = [2560.0, 1440.0];
    let (view, _) = presenter.advance(1.0, atlas(), bigger);
    assert_eq!(view.map(|v| v.zoom), Some(panned.zoom));
    presenter.apply(Command::BackToStop, 2.0, atlas(), bigger);
    let (back, _) = presenter.advance(2.0 + FLIGHT_SECONDS, atlas(), bigger);
    assert_eq!(back, presenter.stop_view(atlas(), bigger));
}

#[test]
fn a_new_screen_size_refits_the_stop() {
    let mut presenter = started(false);
    let bigger = [2560.0, 1440.0];
    let (view, _) = presenter.advance(1.0, atlas(), bigger);
    assert_eq!(view, presenter.stop_view(atlas(), bigger));
    assert!(view.is_some_and(|v| v.zoom > presenter.stop_view(atlas(), SCREEN).expect("v").zoom));
}

#[test]
fn the_key_hints_show_at_the_start_and_toggle() {
    let mut presenter = started(false);
    assert!(presenter.hints_shown(1.0));
    assert!(!presenter.hints_shown(60.0), "they go after a few seconds");
    presenter.apply(Command::ToggleHints, 60.0, atlas(), SCREEN);
    assert!(presenter.hints_shown(600.0), "pinned");
    presenter.apply(Command::ToggleHints, 600.0, atlas(), SCREEN);
    assert!(!presenter.hints_shown(601.0));
}
