//! Reading the user's files: bytes to text (any of the encodings people have), and GeoJSON to
//! features, never panicking and never refusing a whole file for one bad feature.

pub mod decode;
pub mod geojson;
pub mod problems;
pub mod toml_depth;
pub mod wkb;

use std::path::Path;

use super::Problem;

pub use geojson::{Document, RawFeature, feature_lines, locate, parse, parse_stream};
pub use problems::{Problems, shorten};

/// Files larger than this are refused rather than parsed (the largest layer is about 8 MB).
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// A file's text: only regular files (a pipe or a device would block or never end), at most
/// [`MAX_FILE_BYTES`], decoded (see [`decode`]). The error says why in plain words; the note,
/// when there is one, says which encoding it was read as.
pub fn read_text(path: &Path) -> Result<(String, Option<&'static str>), Problem> {
    let decoded = decode::decode(read_bytes(path)?)?;
    Ok((decoded.text, decoded.encoding))
}

/// A file's bytes, with the checks of [`read_text`]: a regular file of at most
/// [`MAX_FILE_BYTES`]; the error says why in plain words.
pub fn read_bytes(path: &Path) -> Result<Vec<u8>, Problem> {
    let cannot = |error: std::io::Error| Problem::CannotRead {
        error: error.to_string(),
    };
    let mut file = open_checked(path)?;
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut file, &mut bytes).map_err(cannot)?;
    Ok(bytes)
}

/// A file opened for reading, with the checks of [`read_text`]: a regular file of at most
/// [`MAX_FILE_BYTES`].
pub fn open_checked(path: &Path) -> Result<std::fs::File, Problem> {
    let cannot = |error: std::io::Error| Problem::CannotRead {
        error: error.to_string(),
    };
    let metadata = std::fs::metadata(path).map_err(|error| match error.kind() {
        std::io::ErrorKind::NotFound => Problem::FileMissing,
        _ => cannot(error),
    })?;
    if !metadata.is_file() {
        return Err(Problem::NotRegularFile);
    }
    if metadata.len() > MAX_FILE_BYTES {
        return Err(Problem::TooLarge {
            megabytes: metadata.len() / 1_048_576,
            limit: MAX_FILE_BYTES / 1_048_576,
        });
    }
    std::fs::File::open(path).map_err(cannot)
}
