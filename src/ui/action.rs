//! What the user asks for in any part of the window: each part returns actions, and the
//! window carries them out once per frame, after drawing (`app/actions.rs`).

use crate::model::FeatureRef;
use crate::search::SearchHit;
use crate::ui::camera::Fit;
use crate::ui::messages::Said;
use crate::ui::panels::details;
use crate::ui::panels::user_layers::UserLayerAction;
use std::path::PathBuf;

use crate::basemap::Bounds;
use crate::coordinates::datum::Datum;

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Select a feature (or nothing), flying the map to it or not.
    Select {
        feature: Option<FeatureRef>,
        fly: bool,
    },
    /// Highlight an industry, or stop if it is the one highlighted.
    ToggleIndustry(String),
    /// A search result: a feature to fly to, or an industry to highlight and fit.
    Choose(SearchHit),
    ClearIndustry,
    /// Esc: no selection, no industry, no results.
    ClearAll,
    Fit(Fit),
    ToggleExport,
    OpenExport,
    Export(ExportAction),
    Tour(TourAction),
    Basemap(BasemapAction),
    UserLayer(UserLayerAction),
    Workspace(WorkspaceAction),
    /// The corrections: a form opened, saved, a change taken back…
    Correction(CorrectionAction),
    /// A double-click zoomed: the selection its first click made is taken back.
    UndoClickSelection,
    /// Start measuring this (or stop: `None`, or the tool already on).
    Measure(Option<crate::measure::MeasureKind>),
    /// Measuring: a point placed.
    MeasurePoint(geo::Coord),
    /// Measuring or drawing: the last point taken back.
    MeasureUndo,
    /// Take up a drawing tool (or put it away: `None`, or the tool in hand).
    Draw(Option<crate::ui::features::drawing::DrawTool>),
    /// The snapping tolerance, in points (0: off).
    SnapPoints(f32),
    /// Drawing: the shape finished (Enter, a double-click).
    DrawFinish,
    /// The sketch layer saved as GeoJSON (where the user says, or in the documents folder).
    SaveSketch,
    /// Editing what is drawn: a drag, a vertex, the attribute form, a layer opened for edits.
    Edit(EditAction),
    Menu(crate::ui::map_view::MenuAction),
    /// Back and Forward through the views jumped to.
    Back,
    Forward,
    /// A bookmark's view.
    GoTo(crate::ui::state::SavedView),
    TogglePanel,
    /// The interface's language.
    Lang(crate::model::Lang),
    /// Open or close a pane of the side.
    Pane(crate::ui::dock::Pane, bool),
    /// The panes as they were at first start.
    ResetPanes,
    ToggleHelp,
    About,
    /// The list of the data's problems.
    ShowProblems,
    /// Take back the last edit of the session (a drawn feature, a vertex, a correction…).
    Undo,
    /// Do again the last edit taken back.
    Redo,
    /// Close the window.
    Quit,
    /// Say this in the message bar.
    Say(Said),
}

impl From<details::Action> for Action {
    fn from(action: details::Action) -> Self {
        match action {
            details::Action::Show(feature) => Action::Select {
                feature: Some(feature),
                fly: true,
            },
            details::Action::Industry(id) => Action::ToggleIndustry(id),
            details::Action::Close => Action::Select {
                feature: None,
                fly: false,
            },
            details::Action::Correct(feature) => {
                Action::Correction(CorrectionAction::Start(feature))
            }
            details::Action::UseAsOutline(feature) => {
                Action::Correction(CorrectionAction::StartOutline(feature))
            }
            details::Action::RestoreOutline(zone) => {
                Action::Correction(CorrectionAction::RestoreOutline(zone))
            }
        }
    }
}

/// What the user asks of the features of a layer open for editing.
#[derive(Debug, Clone, PartialEq)]
pub enum EditAction {
    /// The pointer on the map: a drag of a vertex or of the feature, a vertex chosen.
    Pointer(crate::ui::map_edit::MapEdit),
    /// Delete: the chosen vertex, else the selected feature.
    Delete,
    /// The attribute form of a feature opened.
    Attributes(FeatureRef),
    SaveAttributes,
    CloseAttributes,
    /// A user's layer opened for edits, or closed to them.
    ToggleLayer(crate::model::LayerId),
}

/// What the user asked of a workspace (the File menu, the path window).
#[derive(Debug, Clone, PartialEq)]
pub enum WorkspaceAction {
    Open(PathBuf),
    Save(PathBuf),
    /// Save to the workspace last opened or saved (else ask where, as Save as… does).
    SaveAgain,
    BrowseOpen,
    BrowseSave,
    /// Platform corrections, shared with a team.
    ExportCorrections(PathBuf),
    ImportCorrections(PathBuf),
    BrowseExportCorrections,
    BrowseImportCorrections,
}

/// What the user asks of the corrections (the forms, the panels' buttons, the menus).
#[derive(Debug, Clone, PartialEq)]
pub enum CorrectionAction {
    /// Open the correction form of a platform.
    Start(FeatureRef),
    /// The form's correction saved.
    Save,
    /// The form's platform back to its built-in position.
    Remove,
    /// The form closed, nothing changed.
    Cancel,
    /// The marker of the platform being corrected was dragged here.
    Moved(geo::Coord),
    /// Open the form that makes a user's area a zone's outline.
    StartOutline(FeatureRef),
    /// The user's area `area` becomes the outline of `zone`, naming `source`.
    UseAsOutline {
        area: FeatureRef,
        zone: String,
        source: String,
    },
    CancelOutline,
    /// A zone's built-in outline given back.
    RestoreOutline(String),
    /// Write the corrections in force to a file, for a colleague.
    Export(PathBuf),
    /// Merge a colleague's file into these.
    Import(PathBuf),
    /// Open the window that joins or leaves a team.
    OpenTeam,
    /// Join a team: the corrections shared through its database.
    JoinTeam(Box<crate::geodata::team::Team>),
    LeaveTeam,
    /// What a sync with the team read: the others' edits to apply, this atlas's that lost.
    FromTeam(Box<crate::geodata::team::Synced>),
}

/// What the user asked of the tours (their pane, the menus, F5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TourAction {
    Present,
    /// The tour with the presenter view in a window of its own (Alt+F5).
    Rehearse,
    New,
    AddStop,
    Save,
    Reload,
    Handout,
    /// The tour as a video (MP4), written in the background.
    Video,
    /// Stop the video being written (nothing is written).
    CancelVideo,
}

/// What the user asked of the basemaps (the pane, the menus, a file dropped on the map); a
/// package is named by its place in the list, the base first.
#[derive(Debug, Clone, PartialEq)]
pub enum BasemapAction {
    /// Show the package's whole extent.
    ZoomTo(Bounds),
    /// Open a package (from the path field or the file dialog).
    Open(PathBuf),
    /// Ask the native file dialog for a package.
    Browse,
    /// Show or hide a package.
    Show(usize, bool),
    Opacity(usize, f32),
    /// Draw a package above the next one, or below the one before.
    Up(usize),
    Down(usize),
    Remove(usize),
    /// The datum the package's tiles are in, as the user says.
    Datum(usize, Datum),
}

/// What the export dialog asks of the window.
#[derive(Debug, Clone, PartialEq)]
pub enum ExportAction {
    /// Lay the page out (the window holds the scene builder) and hand it back to the dialog.
    Compose(Box<crate::export::ExportRequest>, ComposeFor),
}

/// What a laid-out page is for.
#[derive(Debug, Clone, PartialEq)]
pub enum ComposeFor {
    Preview,
    /// Written to `path`; a file there is replaced only when `force`.
    File {
        path: PathBuf,
        force: bool,
    },
    Clipboard,
}
