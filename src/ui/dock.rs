//! The side of the window: the panes (Layers, Basemaps, Bookmarks, Tours) docked as tabs, as a
//! desktop GIS docks its panels. The user drags a tab to split the side or reorder it, drags
//! the edges between panes, and closes a pane with its × (View ▸ Panels opens it again);
//! egui_tiles (rerun's) does the tiling, and the arrangement is remembered with the state.

use egui::Ui;

use crate::model::Lang;

/// One pane of the side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Pane {
    Layers,
    Basemaps,
    Bookmarks,
    Tours,
}

impl Pane {
    pub const ALL: [Pane; 4] = [Pane::Layers, Pane::Basemaps, Pane::Bookmarks, Pane::Tours];

    /// Its name in View ▸ Panels.
    pub fn menu_title(self, lang: Lang) -> &'static str {
        match self {
            Pane::Layers => lang.pick("图层面板", "Layers panel"),
            Pane::Basemaps => lang.pick("底图面板", "Basemaps panel"),
            Pane::Bookmarks => lang.pick("书签面板", "Bookmarks panel"),
            Pane::Tours => lang.pick("导览面板", "Tours panel"),
        }
    }

    /// Its tab's title.
    pub fn title(self, lang: Lang) -> &'static str {
        match self {
            Pane::Layers => lang.pick("图层", "Layers"),
            Pane::Basemaps => lang.pick("底图", "Basemaps"),
            Pane::Bookmarks => lang.pick("书签", "Bookmarks"),
            Pane::Tours => lang.pick("导览", "Tours"),
        }
    }
}

/// The panes and how they are arranged.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct Dock {
    tree: egui_tiles::Tree<Pane>,
}

impl Default for Dock {
    /// Every pane a tab of one strip, the layers in front.
    fn default() -> Self {
        Self {
            tree: egui_tiles::Tree::new_tabs(egui::Id::unique(TREE_ID), Pane::ALL.to_vec()),
        }
    }
}

const TREE_ID: &str = "side-dock";

impl Dock {
    /// The arrangement as saved, with any pane it lacks (saved by an older version, or a
    /// broken file) added as a tab at the end, so that every pane can always be opened.
    pub fn repaired(mut self) -> Self {
        if self.tree.root().is_none() {
            return Self::default();
        }
        for pane in Pane::ALL {
            if self.tile(pane).is_none() {
                let tile = self.tree.tiles.insert_pane(pane);
                let root = self.tree.root();
                match root.and_then(|root| self.tree.tiles.get_mut(root)) {
                    Some(egui_tiles::Tile::Container(container)) => container.add_child(tile),
                    _ => return Self::default(),
                }
            }
        }
        self
    }

    fn tile(&self, pane: Pane) -> Option<egui_tiles::TileId> {
        self.tree.tiles.find_pane(&pane)
    }

    /// Whether `pane` is open (not closed by the user).
    pub fn is_open(&self, pane: Pane) -> bool {
        self.tile(pane)
            .is_some_and(|tile| self.tree.is_visible(tile))
    }

    /// Whether any pane is open.
    pub fn any_open(&self) -> bool {
        Pane::ALL.into_iter().any(|pane| self.is_open(pane))
    }

    /// Opens or closes `pane`; an opened pane comes to the front of its tabs.
    pub fn set_open(&mut self, pane: Pane, open: bool) {
        let Some(tile) = self.tile(pane) else {
            return;
        };
        self.tree.set_visible(tile, open);
        if open {
            self.bring_to_front(pane);
        }
    }

    /// Opens `pane` and puts it in front (a menu item that needs it, a package opened).
    pub fn show(&mut self, pane: Pane) {
        self.set_open(pane, true);
    }

    fn bring_to_front(&mut self, pane: Pane) {
        self.tree
            .make_active(|_, tile| matches!(tile, egui_tiles::Tile::Pane(p) if *p == pane));
    }

    /// The panes in front (shown), in no particular order.
    pub fn shown(&self) -> Vec<Pane> {
        self.tree
            .active_tiles()
            .into_iter()
            .filter_map(|tile| self.tree.tiles.get_pane(&tile).copied())
            .collect()
    }

    /// Draws the panes in the space `ui` has, `pane_ui` drawing each pane's content; the tabs
    /// of the panes in `warned` carry a ⚠ (a file in them could not be read).
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        lang: Lang,
        warned: &[Pane],
        pane_ui: &mut dyn FnMut(&mut Ui, Pane),
    ) {
        let in_front = self.tree.active_tiles();
        let mut behavior = Panes {
            lang,
            pane_ui,
            in_front,
            warned,
        };
        self.tree.ui(&mut behavior, ui);
    }
}

/// How the dock draws: titles in the interface language, a × on the tab in front, each
/// pane's content scrolling on its own.
struct Panes<'a> {
    lang: Lang,
    pane_ui: &'a mut dyn FnMut(&mut Ui, Pane),
    /// The tiles in front of their tabs when the frame began (egui_tiles takes a container
    /// out of the tree while drawing it, so a tab cannot ask for its parent then).
    in_front: Vec<egui_tiles::TileId>,
    warned: &'a [Pane],
}

impl egui_tiles::Behavior<Pane> for Panes<'_> {
    fn pane_ui(
        &mut self,
        ui: &mut Ui,
        _tile: egui_tiles::TileId,
        pane: &mut Pane,
    ) -> egui_tiles::UiResponse {
        egui::ScrollArea::vertical()
            .id_salt(("pane", *pane))
            .auto_shrink([false, false])
            .show(ui, |ui| {
                egui::Frame::new()
                    .inner_margin(egui::Margin::symmetric(6, 6))
                    .show(ui, |ui| {
                        // Nothing in a pane widens it: text wraps at the pane's edge.
                        ui.set_max_width(ui.available_width());
                        (self.pane_ui)(ui, *pane);
                    });
            });
        egui_tiles::UiResponse::None
    }

    fn tab_title_for_pane(&mut self, pane: &Pane) -> egui::WidgetText {
        if self.warned.contains(pane) {
            format!("{} ⚠", pane.title(self.lang)).into()
        } else {
            pane.title(self.lang).into()
        }
    }

    /// Only the tab in front carries a × (four of them would not fit a narrow side).
    fn is_tab_closable(
        &self,
        _tiles: &egui_tiles::Tiles<Pane>,
        tile_id: egui_tiles::TileId,
    ) -> bool {
        self.in_front.contains(&tile_id)
    }

    /// A closed pane is hidden, not removed: it keeps its place for when it opens again.
    fn on_tab_close(
        &mut self,
        tiles: &mut egui_tiles::Tiles<Pane>,
        tile_id: egui_tiles::TileId,
    ) -> bool {
        tiles.set_visible(tile_id, false);
        false
    }

    fn simplification_options(&self) -> egui_tiles::SimplificationOptions {
        egui_tiles::SimplificationOptions {
            all_panes_must_have_tabs: true,
            ..Default::default()
        }
    }

    fn tab_bar_color(&self, visuals: &egui::Visuals) -> egui::Color32 {
        visuals.faint_bg_color
    }

    fn tab_title_spacing(&self, _visuals: &egui::Visuals) -> f32 {
        5.0
    }

    fn gap_width(&self, _style: &egui::Style) -> f32 {
        2.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_closed_pane_opens_again_in_front_and_a_saved_dock_gets_the_panes_it_lacks() {
        let mut dock = Dock::default();
        assert!(Pane::ALL.into_iter().all(|pane| dock.is_open(pane)));
        assert_eq!(dock.shown(), vec![Pane::Layers]);
        dock.set_open(Pane::Tours, false);
        assert!(!dock.is_open(Pane::Tours));
        dock.show(Pane::Tours);
        assert!(dock.is_open(Pane::Tours));
        assert_eq!(dock.shown(), vec![Pane::Tours]);

        // A dock saved with two panes only (an older version's) gets the other two back.
        let old = Dock {
            tree: egui_tiles::Tree::new_tabs(
                egui::Id::unique(TREE_ID),
                vec![Pane::Tours, Pane::Layers],
            ),
        };
        let text = serde_json::to_string(&old).expect("saved");
        let read: Dock = serde_json::from_str(&text).expect("read");
        assert_eq!(read, old, "the arrangement survives the state file");
        let repaired = read.repaired();
        assert!(Pane::ALL.into_iter().all(|pane| repaired.is_open(pane)));
    }
}
