//! A vector basemap package's tiles (decoded and styled off the UI thread, see
//! [`vector_tile`](crate::render::vector_tile)): areas, then road casings and roads, in one
//! order across all tiles so that no tile's casing covers its neighbour's road; their names
//! go to the labels layer after the atlas's own, which win.

use std::cmp::Reverse;

use super::frame::{Frame, LabelGroup, SceneLayer};
use crate::model::{Lang, LayerId};
use crate::render::labels::Candidate;
use crate::render::scene::Item;
use crate::render::style::{LabelStyle, Rgba};
use crate::render::vector_tile::Paint;

pub struct VectorBasemap;

/// Road and place names of the basemap, quieter than the atlas's.
const NAME: LabelStyle = LabelStyle {
    size: 11.0,
    color: Rgba::rgb(0x55, 0x55, 0x5c),
    halo: Rgba::new(255, 255, 255, 220),
    min_zoom: 0.0,
    max_zoom: 30.0,
};

impl SceneLayer for VectorBasemap {
    fn key(&self) -> &'static str {
        "vector-basemap"
    }

    fn add(&self, frame: &mut Frame<'_>) {
        let tiles = &frame.options.vector_tiles.0;
        if tiles.is_empty() {
            return;
        }
        let zoom = frame.view.zoom;
        let mut groups: Vec<_> = tiles
            .iter()
            .flat_map(|(t, opacity)| t.groups.iter().map(move |g| (g, *opacity)))
            .collect();
        groups.sort_by_key(|(g, _)| g.order);
        for (group, opacity) in groups {
            let item = match group.paint {
                Paint::Fill(color) => Item::TileFill {
                    geometry: group.geometry.clone(),
                    color: color.faded(opacity),
                },
                paint => match paint.line_at(zoom) {
                    Some(style) => Item::TileStroke {
                        geometry: group.geometry.clone(),
                        style: style.faded(opacity),
                    },
                    None => continue,
                },
            };
            frame.items.push(item);
        }
        let lang = frame.options.lang;
        let scale = crate::render::projection::world_size(zoom);
        let centre = frame.view.display_center();
        let [cx, cy] = crate::render::projection::mercator(centre.x, centre.y);
        let [w, h] = frame.view.size;
        let mut seen: Vec<(&str, [f32; 2])> = Vec::new();
        for (tile, opacity) in tiles {
            if *opacity < 0.3 {
                continue;
            }
            for label in &tile.labels {
                let text = match lang {
                    Lang::Zh => &label.zh,
                    Lang::En => &label.en,
                };
                let anchor = [
                    ((label.at[0] - cx) * scale + f64::from(w) / 2.0) as f32,
                    ((label.at[1] - cy) * scale + f64::from(h) / 2.0) as f32,
                ];
                // A name repeated by neighbouring tiles is offered once.
                let near = |(t, a): &(&str, [f32; 2])| {
                    *t == text.as_str() && (a[0] - anchor[0]).hypot(a[1] - anchor[1]) < 200.0
                };
                if text.is_empty() || text.len() > 120 || seen.iter().any(near) {
                    continue;
                }
                seen.push((text, anchor));
                let mut style = NAME;
                if label.rank <= 2 {
                    style.size = 13.0;
                    style.color = Rgba::rgb(0x3c, 0x3c, 0x44);
                }
                if label.water {
                    style.color = Rgba::rgb(0x3d, 0x6f, 0x99);
                }
                frame.offer_label(
                    (LabelGroup::Basemap, label.rank, Reverse(LayerId::Places)),
                    Candidate {
                        text: text.clone(),
                        anchor,
                        style,
                    },
                );
            }
        }
    }
}
