//! The fly-to between stops: the centre glides in Web-Mercator while the zoom dips out and back
//! in (further apart, deeper dip), eased at both ends, and lands exactly on the target view.

use crate::render::View;
use crate::render::projection::{MAX_ZOOM, MIN_ZOOM, inverse_mercator, mercator, world_size};

/// How long a flight takes, in seconds.
pub const FLIGHT_SECONDS: f64 = 1.0;
/// How long the reduced-motion cross-fade takes, in seconds.
pub const FADE_SECONDS: f64 = 0.6;

/// Cubic ease-in-out on 0‥1.
pub fn ease(t: f64) -> f64 {
    let t = t.clamp(0.0, 1.0);
    if t < 0.5 {
        4.0 * t * t * t
    } else {
        1.0 - (-2.0 * t + 2.0).powi(3) / 2.0
    }
}

/// The view `progress` (0‥1, linear time) of the way from `from` to `to`; exactly `to` at 1.
pub fn flight_view(from: &View, to: &View, progress: f64) -> View {
    if progress >= 1.0 {
        return *to;
    }
    let e = ease(progress);
    let a = mercator(from.center[0], from.center[1]);
    let b = mercator(to.center[0], to.center[1]);
    let centre = [a[0] + (b[0] - a[0]) * e, a[1] + (b[1] - a[1]) * e];
    // Zoom out by as much as it takes for both ends to share the screen, and back in.
    let low = from.zoom.min(to.zoom);
    let distance_px = (b[0] - a[0]).hypot(b[1] - a[1]) * world_size(low);
    let screen = f64::from(to.size[0].min(to.size[1]).max(1.0));
    let dip = (distance_px / (0.6 * screen)).log2().clamp(0.0, 4.0);
    let zoom = (from.zoom + (to.zoom - from.zoom) * e - dip * 4.0 * e * (1.0 - e))
        .clamp(MIN_ZOOM, MAX_ZOOM);
    let lonlat = inverse_mercator(centre);
    View {
        center: [lonlat.x, lonlat.y],
        zoom,
        size: to.size,
        datum: to.datum,
    }
}

/// Views along every flight between consecutive stops (with the index of the stop flown to),
/// for preparing their geometry ahead of time: the first flight through a zoom band would
/// otherwise simplify and triangulate it on the spot (dropped frames).
pub fn flight_samples(stops: &[View]) -> Vec<(View, usize)> {
    const SAMPLES: usize = 20;
    let mut samples: Vec<(View, usize)> = stops.iter().copied().zip(0..).collect();
    for (index, pair) in stops.windows(2).enumerate() {
        for step in 1..SAMPLES {
            let view = flight_view(&pair[0], &pair[1], step as f64 / SAMPLES as f64);
            samples.push((view, index + 1));
        }
    }
    samples
}

/// How opaque the cross-fade's cover is at `progress` (0‥1): up, then down; the view changes
/// at the middle, when the cover is whole.
pub fn fade_cover(progress: f64) -> f32 {
    (1.0 - (2.0 * progress.clamp(0.0, 1.0) - 1.0).abs()) as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(lon: f64, lat: f64, zoom: f64) -> View {
        View::new(geo::coord! { x: lon, y: lat }, zoom, [1920.0, 1080.0])
    }

    #[test]
    fn a_flight_starts_at_the_start_ends_at_the_end_and_dips_between() {
        let (from, to) = (view(104.06, 30.57, 11.0), view(106.55, 29.56, 11.5));
        let start = flight_view(&from, &to, 0.0);
        assert!((start.zoom - from.zoom).abs() < 1e-12);
        assert!((start.center[0] - from.center[0]).abs() < 1e-9);
        assert_eq!(flight_view(&from, &to, 1.0), to);
        assert_eq!(flight_view(&from, &to, 3.0), to);
        let middle = flight_view(&from, &to, 0.5);
        assert!(
            middle.zoom < from.zoom - 2.0,
            "zooms out on the way: {}",
            middle.zoom
        );
        // Nearby stops hardly dip.
        let near = view(104.07, 30.57, 11.0);
        assert!(flight_view(&from, &near, 0.5).zoom > 10.9);
    }

    #[test]
    fn the_samples_cover_every_stop_and_the_deepest_point_of_each_flight() {
        let stops = [
            view(104.06, 30.57, 11.0),
            view(106.55, 29.56, 11.5),
            view(106.3, 29.6, 12.0),
        ];
        let samples = flight_samples(&stops);
        for stop in &stops {
            assert!(samples.iter().any(|(v, _)| v == stop));
        }
        let middle = flight_view(&stops[0], &stops[1], 0.5);
        assert!(samples.iter().any(|(v, i)| *v == middle && *i == 1));
        assert_eq!(samples.len(), 3 + 2 * 19);
    }

    #[test]
    fn the_cross_fade_covers_the_jump() {
        assert_eq!(fade_cover(0.0), 0.0);
        assert_eq!(fade_cover(0.5), 1.0);
        assert_eq!(fade_cover(1.0), 0.0);
    }
}
