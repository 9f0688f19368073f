//! What part of the map to show, and the view that shows it in a frame of a given size: used
//! by the exports, the tour's stops and the presenter alike.

use geo::Rect;

use super::projection::View;
use crate::model::{Atlas, Shape};

/// What part of the map to show.
#[derive(Debug, Clone, PartialEq)]
pub enum Extent {
    /// A zone (or any feature) by id, shown whole.
    Feature(String),
    /// A lon/lat rectangle, shown whole.
    Bounds(Rect),
    /// Exactly this view's centre and scale (the window's current view).
    View(View),
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ExtentError {
    #[error("no zone or feature with id `{0}` (try: corridor, science-city, core, shapingba, …)")]
    UnknownFeature(String),
    #[error("the extent is empty or not a longitude/latitude rectangle")]
    BadExtent,
}

/// Space kept free around an extent fitted into a frame, in points.
const FIT_PADDING: f32 = 12.0;

/// The zoom a feature known only as a point is shown at: street scale.
const POINT_ZOOM: f64 = 12.5;

/// The view that shows an extent whole in a frame of `size` points.
pub fn view_for(atlas: &Atlas, extent: &Extent, size: [f32; 2]) -> Result<View, ExtentError> {
    match extent {
        Extent::Feature(id) => {
            let (_, feature) = atlas
                .find(id)
                .ok_or_else(|| ExtentError::UnknownFeature(id.clone()))?;
            let bounds = feature
                .shape
                .bounding_rect()
                .ok_or_else(|| ExtentError::UnknownFeature(id.clone()))?;
            Ok(match feature.shape {
                Shape::Point(_) => View::new(bounds.center(), POINT_ZOOM, size),
                _ => View::fit(bounds, size, FIT_PADDING),
            })
        }
        Extent::Bounds(bounds) => {
            if !is_lonlat_rectangle(bounds) {
                return Err(ExtentError::BadExtent);
            }
            Ok(View::fit(*bounds, size, FIT_PADDING))
        }
        // The window's view: the same centre, zoomed so that what the window showed fills the
        // frame (at the window's own size, exactly the window's view).
        Extent::View(view) => {
            let ratio = (size[0] / view.size[0]).min(size[1] / view.size[1]);
            if !(ratio.is_finite() && ratio > 0.0) {
                return Err(ExtentError::BadExtent);
            }
            Ok(View {
                size,
                zoom: view.zoom + f64::from(ratio).log2(),
                ..*view
            })
        }
    }
}

/// A non-empty rectangle of finite longitudes and Web-Mercator latitudes.
fn is_lonlat_rectangle(bounds: &Rect) -> bool {
    let (min, max) = (bounds.min(), bounds.max());
    [min.x, max.x, min.y, max.y].iter().all(|v| v.is_finite())
        && bounds.width() > 0.0
        && bounds.height() > 0.0
        && (-180.0..=180.0).contains(&min.x)
        && (-180.0..=180.0).contains(&max.x)
        && (-85.0..=85.0).contains(&min.y)
        && (-85.0..=85.0).contains(&max.y)
}
