//! The atlas's one HTTP client, for the organisation's services it is pointed at (tile
//! servers, WMS/WMTS, OGC API – Features and WFS), and the cache folder's cap they share:
//! what they fetched is kept on disk, oldest dropped first, so that a laptop that leaves the
//! office keeps what it has seen.

use std::path::{Path, PathBuf};
use std::time::Duration;

/// The cache's default cap.
pub const CACHE_CAP_BYTES: u64 = 512 * 1024 * 1024;

/// The variable that sets the cap, in MiB (an office with a big intranet basemap raises it).
pub const CACHE_CAP_VARIABLE: &str = "CHENGYU_ATLAS_CACHE_MB";

/// The cache's cap: `$CHENGYU_ATLAS_CACHE_MB` MiB, else the default; a value that is not a
/// whole number of MiB is said on stderr and the default used.
pub fn cache_cap() -> u64 {
    let value = std::env::var(CACHE_CAP_VARIABLE).ok();
    match cap_from(value.as_deref()) {
        Ok(cap) => cap,
        Err(error) => {
            eprintln!("chengyu-atlas: {error}");
            CACHE_CAP_BYTES
        }
    }
}

/// The cap a value of [`CACHE_CAP_VARIABLE`] asks for.
fn cap_from(value: Option<&str>) -> Result<u64, String> {
    let Some(value) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(CACHE_CAP_BYTES);
    };
    value
        .parse::<u64>()
        .ok()
        .and_then(|mib| mib.checked_mul(1024 * 1024))
        .ok_or_else(|| {
            format!(
                "{CACHE_CAP_VARIABLE}=`{value}` is not a size in MiB (e.g. 2048); the tile cache keeps its default of {} MiB",
                CACHE_CAP_BYTES / (1024 * 1024)
            )
        })
}

/// The HTTP client of the organisation's services: 15 s for an answer, 5 s to connect, an
/// HTTP error status read as an answer (its code is said), the atlas named.
pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(15)))
        .timeout_connect(Some(Duration::from_secs(5)))
        .http_status_as_error(false)
        .user_agent(concat!("chengyu-atlas/", env!("CARGO_PKG_VERSION")))
        .build()
        .into()
}

/// Drops the oldest files under `dir` until what is left is nine tenths of `cap` (when it was
/// over `cap`); returns what is left.
pub fn keep_under(dir: &Path, cap: u64) -> u64 {
    let mut all = files(dir);
    let mut used: u64 = all.iter().map(|(_, size, _)| size).sum();
    if used <= cap {
        return used;
    }
    all.sort_by_key(|(_, _, modified)| *modified);
    let target = cap / 10 * 9;
    for (path, size, _) in all {
        if used <= target {
            break;
        }
        if std::fs::remove_file(&path).is_ok() {
            used -= size;
        }
    }
    used
}

/// What a service answered: its status, its Content-Type (lower case) and its body.
pub struct Answer {
    pub status: u16,
    pub kind: String,
    pub body: Vec<u8>,
}

/// Why a GET failed before there was an answer to read.
pub enum Failed {
    /// The service could not be reached (the error said).
    Unreachable(String),
    /// Its answer did not arrive whole, or was longer than asked for.
    Cut(String),
}

/// GETs `url` with [`agent`], asking for `accept` (where given), reading at most `limit`
/// bytes: the answer whatever its status, for the caller to judge.
pub fn get(url: &str, accept: Option<&str>, limit: u64) -> Result<Answer, Failed> {
    let mut request = agent().get(url);
    if let Some(accept) = accept {
        request = request.header("Accept", accept);
    }
    let mut response = request
        .call()
        .map_err(|e| Failed::Unreachable(e.to_string()))?;
    let status = response.status().as_u16();
    let kind = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    let body = response
        .body_mut()
        .with_config()
        .limit(limit)
        .read_to_vec()
        .map_err(|e| Failed::Cut(e.to_string()))?;
    Ok(Answer { status, kind, body })
}

/// How much the files under `dir` hold, in bytes.
pub fn folder_size(dir: &Path) -> u64 {
    files(dir).iter().map(|(_, size, _)| size).sum()
}

/// Every file under `dir`: path, size, when last written.
fn files(dir: &Path) -> Vec<(PathBuf, u64, std::time::SystemTime)> {
    let mut found = Vec::new();
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries.flatten() {
            let Ok(metadata) = entry.metadata() else {
                continue;
            };
            if metadata.is_dir() {
                folders.push(entry.path());
            } else if metadata.is_file() {
                let modified = metadata.modified().unwrap_or(std::time::UNIX_EPOCH);
                found.push((entry.path(), metadata.len(), modified));
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cache_cap_is_read_in_mib_and_a_bad_value_is_named() {
        assert_eq!(cap_from(None), Ok(CACHE_CAP_BYTES));
        assert_eq!(cap_from(Some(" ")), Ok(CACHE_CAP_BYTES));
        assert_eq!(cap_from(Some("2048")), Ok(2048 * 1024 * 1024));
        for bad in ["2GB", "-1", "1.5", "99999999999999999"] {
            let error = cap_from(Some(bad)).expect_err(bad);
            assert!(
                error.contains(&format!("`{bad}`")) && error.contains("512 MiB"),
                "{error}"
            );
        }
    }
}
