//! A scale bar with a round length (1, 2 or 5 × 10ⁿ metres), as print layouts use.

/// A scale bar: its ground length, its length on screen, and its label ("5 km", "500 m").
#[derive(Debug, Clone, PartialEq)]
pub struct ScaleBar {
    pub metres: f64,
    pub points: f32,
    pub label: String,
}

/// The longest round scale bar that fits in `max_points` at `metres_per_point`.
pub fn scale_bar(metres_per_point: f64, max_points: f32) -> ScaleBar {
    let max_metres = metres_per_point * f64::from(max_points.max(1.0));
    let magnitude = 10f64.powf(max_metres.log10().floor());
    let metres = [5.0, 2.0, 1.0]
        .into_iter()
        .map(|step| step * magnitude)
        .find(|&length| length <= max_metres)
        .unwrap_or(magnitude);
    let label = if metres >= 1000.0 {
        format!("{} km", metres / 1000.0)
    } else {
        format!("{metres} m")
    };
    ScaleBar {
        metres,
        points: (metres / metres_per_point) as f32,
        label,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bar_is_round_and_fits() {
        let bar = scale_bar(123.0, 120.0); // 14.76 km fit
        assert_eq!(bar.label, "10 km");
        assert!(bar.points <= 120.0 && bar.points > 60.0);
        let bar = scale_bar(2.5, 150.0); // 375 m fit
        assert_eq!(bar.label, "200 m");
        let bar = scale_bar(900.0, 100.0); // 90 km fit
        assert_eq!(bar.label, "50 km");
    }
}
