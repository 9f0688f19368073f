//! Every kind of file the atlas opens, in one table: its name, extensions, MIME types, and
//! whether it is a layer (and read by which reader), a basemap package or a workspace. The
//! readers' dispatch, the file dialogs' filters, what a refusal lists, the panels' words and
//! the desktop entry's MIME types all come from here, so that a new format is one row.

use std::path::Path;

use crate::model::user::UserFormat;

/// What a file handed to the atlas (on the command line, dropped on the map, chosen in a
/// dialog) is opened as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// A layer of the user's own, read by the reader of its format.
    Layer(UserFormat),
    /// A workspace saved from the window (.toml).
    Workspace,
    /// A basemap package (.pmtiles, .mbtiles) or a tile folder.
    Basemap,
}

/// One kind of file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileType {
    /// As users know it ("GeoJSON", "KMZ").
    pub name: &'static str,
    /// Extensions, lower case, without the dot.
    pub extensions: &'static [&'static str],
    /// The MIME types a desktop gives it (the desktop entry lists them).
    pub mime_types: &'static [&'static str],
    pub kind: FileKind,
}

/// The table.
pub const FILE_TYPES: [FileType; 13] = [
    FileType {
        name: "GeoJSON",
        extensions: &["geojson", "json"],
        mime_types: &["application/geo+json"],
        kind: FileKind::Layer(UserFormat::GeoJson),
    },
    FileType {
        name: "GeoJSON sequence",
        extensions: &["geojsonl", "geojsons", "ndjson", "jsonl"],
        mime_types: &[],
        kind: FileKind::Layer(UserFormat::GeoJson),
    },
    FileType {
        name: "CSV",
        extensions: &["csv", "tsv", "txt"],
        mime_types: &["text/csv", "text/tab-separated-values"],
        kind: FileKind::Layer(UserFormat::Csv),
    },
    FileType {
        name: "Excel",
        extensions: &["xlsx", "xlsm", "xlsb", "xls"],
        mime_types: &[
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "application/vnd.ms-excel.sheet.macroEnabled.12",
            "application/vnd.ms-excel",
        ],
        kind: FileKind::Layer(UserFormat::Excel),
    },
    FileType {
        name: "Excel (OpenDocument)",
        extensions: &["ods"],
        mime_types: &["application/vnd.oasis.opendocument.spreadsheet"],
        kind: FileKind::Layer(UserFormat::Excel),
    },
    FileType {
        name: "KML",
        extensions: &["kml"],
        mime_types: &["application/vnd.google-earth.kml+xml"],
        kind: FileKind::Layer(UserFormat::Kml),
    },
    FileType {
        name: "KMZ",
        extensions: &["kmz"],
        mime_types: &["application/vnd.google-earth.kmz"],
        kind: FileKind::Layer(UserFormat::Kml),
    },
    FileType {
        name: "Shapefile",
        extensions: &["shp"],
        mime_types: &["application/vnd.shp"],
        kind: FileKind::Layer(UserFormat::Shapefile),
    },
    FileType {
        name: "Shapefile (.zip)",
        extensions: &["zip"],
        mime_types: &[],
        kind: FileKind::Layer(UserFormat::Shapefile),
    },
    FileType {
        name: "GeoPackage",
        extensions: &["gpkg"],
        mime_types: &["application/geopackage+sqlite3"],
        kind: FileKind::Layer(UserFormat::GeoPackage),
    },
    FileType {
        name: "PMTiles",
        extensions: &["pmtiles"],
        mime_types: &["application/vnd.pmtiles"],
        kind: FileKind::Basemap,
    },
    FileType {
        name: "MBTiles",
        extensions: &["mbtiles"],
        mime_types: &["application/vnd.mbtiles"],
        kind: FileKind::Basemap,
    },
    FileType {
        name: "Workspace",
        extensions: &["toml"],
        mime_types: &[],
        kind: FileKind::Workspace,
    },
];

/// The file type of `path`, by its extension.
pub fn file_type(path: &Path) -> Option<&'static FileType> {
    let extension = path.extension()?.to_str()?.to_ascii_lowercase();
    FILE_TYPES
        .iter()
        .find(|t| t.extensions.contains(&extension.as_str()))
}

impl FileKind {
    /// By its extension; a folder is a tile folder. None for anything else.
    pub fn of(path: &Path) -> Option<FileKind> {
        match file_type(path) {
            Some(t) => Some(t.kind),
            None if path.is_dir() => Some(FileKind::Basemap),
            None => None,
        }
    }

    /// Everything a file is opened as. A GeoPackage is decided by its tables, whatever its
    /// name: its feature tables are layers, its tiles a basemap, both when it holds both.
    /// Anything else by [`FileKind::of`].
    pub fn opened_as(path: &Path) -> Vec<FileKind> {
        if path.is_file()
            && let Some((features, tiles)) = crate::geodata::user::geopackage::contents(path)
        {
            let mut kinds = Vec::new();
            if features > 0 || tiles == 0 {
                // An empty GeoPackage is a layer, which says it has no table.
                kinds.push(FileKind::Layer(UserFormat::GeoPackage));
            }
            if tiles > 0 {
                kinds.push(FileKind::Basemap);
            }
            return kinds;
        }
        FileKind::of(path).into_iter().collect()
    }

    /// Whether this is a layer's kind.
    pub fn is_layer(self) -> bool {
        matches!(self, FileKind::Layer(_))
    }
}

/// The types of files opened as `wanted` (layers, basemaps or workspaces).
pub fn types_of(wanted: fn(FileKind) -> bool) -> impl Iterator<Item = &'static FileType> {
    FILE_TYPES.iter().filter(move |t| wanted(t.kind))
}

/// The extensions of the files opened as `wanted`, for a dialog's filter.
pub fn extensions_of(wanted: fn(FileKind) -> bool) -> Vec<&'static str> {
    types_of(wanted)
        .flat_map(|t| t.extensions.iter().copied())
        .collect()
}

/// The names of the layer formats, once each ("GeoJSON, CSV, KML, KMZ, Shapefile"), for what a
/// panel or a refusal says.
pub fn layer_format_names() -> String {
    let mut names: Vec<&str> = Vec::new();
    for t in types_of(FileKind::is_layer) {
        let name = t.name.split(" (").next().unwrap_or(t.name);
        let name = name.strip_suffix(" sequence").unwrap_or(name);
        if !names.contains(&name) {
            names.push(name);
        }
    }
    names.join(", ")
}

/// Every MIME type the atlas opens, in the table's order.
pub fn mime_types() -> Vec<&'static str> {
    FILE_TYPES
        .iter()
        .flat_map(|t| t.mime_types.iter().copied())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_known_by_its_extension_whatever_its_case() {
        assert_eq!(
            FileKind::of(Path::new("Firms.CSV")),
            Some(FileKind::Layer(UserFormat::Csv))
        );
        assert_eq!(
            FileKind::of(Path::new("survey.zip")),
            Some(FileKind::Layer(UserFormat::Shapefile))
        );
        assert_eq!(
            FileKind::of(Path::new("team.toml")),
            Some(FileKind::Workspace)
        );
        assert_eq!(
            FileKind::of(Path::new("a.mbtiles")),
            Some(FileKind::Basemap)
        );
        assert_eq!(FileKind::of(Path::new("notes.docx")), None);
        // No extension is claimed twice.
        let all: Vec<&str> = FILE_TYPES
            .iter()
            .flat_map(|t| t.extensions.iter().copied())
            .collect();
        for (i, extension) in all.iter().enumerate() {
            assert!(!all[i + 1..].contains(extension), "{extension} twice");
        }
        assert_eq!(
            layer_format_names(),
            "GeoJSON, CSV, Excel, KML, KMZ, Shapefile, GeoPackage"
        );
    }

    /// The desktop entry offers the atlas for exactly the MIME types of the table, and the
    /// MIME package defines the types a desktop may lack.
    #[test]
    fn the_desktop_entry_lists_the_tables_mime_types() {
        let entry = include_str!("../../assets/package/chengyu-atlas.desktop");
        let listed: Vec<&str> = entry
            .lines()
            .find_map(|line| line.strip_prefix("MimeType="))
            .expect("a MimeType line")
            .split(';')
            .filter(|t| !t.is_empty())
            .collect();
        assert_eq!(listed, mime_types());
        let package = include_str!("../../assets/package/chengyu-atlas.mime.xml");
        for own in [
            "application/vnd.pmtiles",
            "application/vnd.mbtiles",
            "application/vnd.shp",
        ] {
            assert!(mime_types().contains(&own), "{own}");
            assert!(package.contains(&format!("type=\"{own}\"")), "{own}");
        }
    }
}
