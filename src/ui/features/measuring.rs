//! Measuring (测量): a distance along a line or the area of a polygon, point by point on the
//! map (Backspace takes the last back, Esc ends); the figure in the status bar and on the
//! map. The tool is on while a measurement is held.

use crate::measure::{MeasureKind, Measurement};
use crate::model::Lang;

use super::Feature;

/// The line or polygon being measured, if the tool is on.
#[derive(Debug, Default)]
pub struct Measuring {
    pub measurement: Option<Measurement>,
}

impl Measuring {
    /// Starts measuring `kind`, or stops if it is the tool on (`None` stops).
    pub fn toggle(&mut self, kind: Option<MeasureKind>) {
        let same = self.kind() == kind;
        self.measurement = match kind {
            Some(kind) if !same => Some(Measurement::new(kind)),
            _ => None,
        };
    }

    /// Starts measuring a distance from `at` (the map's menu: "Measure from here").
    pub fn start_from(&mut self, at: geo::Coord) {
        let mut measurement = Measurement::new(MeasureKind::Distance);
        measurement.points.push(at);
        self.measurement = Some(measurement);
    }

    /// A point placed.
    pub fn place(&mut self, at: geo::Coord) {
        if let Some(measurement) = &mut self.measurement {
            measurement.points.push(at);
        }
    }

    /// The last point taken back.
    pub fn take_back(&mut self) {
        if let Some(measurement) = &mut self.measurement {
            measurement.points.pop();
        }
    }

    pub fn is_on(&self) -> bool {
        self.measurement.is_some()
    }

    /// What is being measured, if anything.
    pub fn kind(&self) -> Option<MeasureKind> {
        self.measurement.as_ref().map(|m| m.kind)
    }

    /// What the status bar says while measuring.
    pub fn status(&self, lang: Lang) -> Option<String> {
        let measurement = self.measurement.as_ref()?;
        Some(match measurement.points.len() {
            0 => lang
                .pick(
                    "单击地图放置第一个点（Esc 结束）",
                    "Click the map to place the first point (Esc ends)",
                )
                .to_string(),
            _ => measurement.summary(None, lang),
        })
    }
}

/// Measuring has no pane or window of its own: the map draws it and the status bar says it.
impl Feature for Measuring {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_tool_twice_stops_and_another_starts_afresh() {
        let mut tool = Measuring::default();
        tool.toggle(Some(MeasureKind::Distance));
        tool.place(geo::coord! { x: 106.3, y: 29.6 });
        tool.toggle(Some(MeasureKind::Area));
        assert_eq!(tool.kind(), Some(MeasureKind::Area));
        assert!(
            tool.measurement
                .as_ref()
                .is_some_and(|m| m.points.is_empty())
        );
        tool.toggle(Some(MeasureKind::Area));
        assert!(!tool.is_on());
        tool.start_from(geo::coord! { x: 106.3, y: 29.6 });
        tool.place(geo::coord! { x: 106.4, y: 29.6 });
        tool.take_back();
        assert_eq!(tool.measurement.as_ref().map(|m| m.points.len()), Some(1));
        assert!(tool.status(Lang::En).is_some());
    }
}
