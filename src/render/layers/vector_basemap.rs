//! A vector basemap package's tiles (decoded and styled off the UI thread, see
//! [`vector_tile`](crate::render::vector_tile)): areas, then road casings and roads, in one
//! order across all tiles so that no tile's casing covers its neighbour's road; their names
//! go to the labels layer after the atlas's own, which win.

use std::cmp::Reverse;
use std::collections::HashSet;

use super::frame::{Frame, LabelGroup, SceneLayer};
use crate::model::{Lang, LayerId};
use crate::render::labels::Candidate;
use crate::render::scene::Item;
use crate::render::style;
use crate::render::vector_tile::Paint;

pub struct VectorBasemap;

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
        // A name repeated by neighbouring tiles (each names what lies in it, and stand-ins
        // overlap) is offered once per screen area.
        let mut offered: HashSet<(&str, i32, i32)> = HashSet::new();
        for (tile, opacity) in tiles {
            if *opacity < 0.3 {
                continue;
            }
            for label in &tile.labels {
                let text = match lang {
                    Lang::Zh => &label.zh,
                    Lang::En => &label.en,
                };
                if text.is_empty() || text.len() > 120 {
                    continue;
                }
                let anchor = frame.view.project_mercator(label.at);
                let cell = (
                    (anchor[0] / 200.0).floor() as i32,
                    (anchor[1] / 200.0).floor() as i32,
                );
                if !offered.insert((text.as_str(), cell.0, cell.1)) {
                    continue;
                }
                frame.offer_label(
                    (LabelGroup::Basemap, label.rank, Reverse(LayerId::Places)),
                    Candidate {
                        text: text.clone(),
                        anchor,
                        style: style::tile_label_style(label.rank, label.water),
                        mirror: None,
                        angle: label.angle,
                    },
                );
            }
        }
    }
}
