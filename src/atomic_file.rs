//! Write a file so that readers see either the old file or the whole new one, never a half:
//! a temporary file with an unpredictable name is created beside the target (exclusively, so
//! nothing already there is followed or overwritten), filled, synced, renamed over the target,
//! and the folder synced so that the rename survives a power cut. The file is the user's: a
//! new one gets the mode any editor would give it (0666 less the umask, 0644 with umask 022),
//! and a file replaced keeps its mode.

use std::io::Write as _;
use std::path::Path;

/// Moves a file of the user's that cannot be read out of the way, to `NAME.bad-YYYY-MM-DD`
/// beside it (`…-2`, `…-3` when that exists), so that what replaces it never overwrites it;
/// where it went, or `None` if it could not be moved (then nothing is to write over it).
pub fn keep_aside(path: &Path) -> Option<std::path::PathBuf> {
    let copy = aside_name(path)?;
    std::fs::rename(path, &copy).ok()?;
    Some(copy)
}

/// Copies a file of the user's that cannot be read to `NAME.bad-YYYY-MM-DD` beside it, and
/// leaves it where it is (a file the user opened, which the atlas does not write again).
pub fn copy_aside(path: &Path) -> Option<std::path::PathBuf> {
    let copy = aside_name(path)?;
    std::fs::copy(path, &copy).ok()?;
    Some(copy)
}

/// The first free `NAME.bad-YYYY-MM-DD[-N]` beside `path`.
fn aside_name(path: &Path) -> Option<std::path::PathBuf> {
    let name = path.file_name()?.to_string_lossy().into_owned();
    let today = crate::date::today();
    (1..1000)
        .map(|n| match n {
            1 => path.with_file_name(format!("{name}.bad-{today}")),
            n => path.with_file_name(format!("{name}.bad-{today}-{n}")),
        })
        .find(|candidate| !candidate.exists())
}

/// Writes `bytes` to `path` whole or not at all. On any error the temporary file is removed
/// and `path` is untouched.
pub fn write(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_with(path, |file| file.write_all(bytes))
}

/// Like [`write()`], but the content is produced by `fill` writing into the temporary file.
pub fn write_with(
    path: &Path,
    fill: impl FnOnce(&mut std::fs::File) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let (mut temp, folder) = temporary_beside(path)?;
    fill(temp.as_file_mut())?;
    finish(temp, path, &folder)
}

/// Like [`write()`], for a writer that needs a path (SQLite): `fill` makes the file at the
/// temporary path it is given, which is then synced and renamed over `path`.
pub fn write_by_path(
    path: &Path,
    fill: impl FnOnce(&Path) -> Result<(), String>,
) -> Result<(), String> {
    let (temp, folder) = temporary_beside(path).map_err(|e| e.to_string())?;
    fill(temp.path())?;
    finish(temp, path, &folder).map_err(|e| e.to_string())
}

/// An empty temporary file beside `path` (dropped, it is removed), and the folder.
fn temporary_beside(path: &Path) -> std::io::Result<(tempfile::NamedTempFile, std::path::PathBuf)> {
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    let prefix = format!(".{name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    let replaced = std::fs::metadata(path).ok().filter(|m| m.is_file());
    set_mode(&mut builder);
    let temp = builder.tempfile_in(folder)?;
    if let Some(replaced) = replaced {
        temp.as_file().set_permissions(replaced.permissions())?;
    }
    Ok((temp, folder.to_path_buf()))
}

/// Syncs the temporary file, renames it over `path` and syncs the folder.
fn finish(temp: tempfile::NamedTempFile, path: &Path, folder: &Path) -> std::io::Result<()> {
    temp.as_file().sync_all()?;
    temp.persist(path).map_err(|error| error.error)?;
    sync_folder(folder)
}

/// A new file is created as `open(…, 0666)` creates it: the kernel takes the umask away (the
/// temporary file's own default, 0600, would make every export private to its writer).
#[cfg(unix)]
fn set_mode(builder: &mut tempfile::Builder<'_, '_>) {
    use std::os::unix::fs::PermissionsExt as _;
    builder.permissions(std::fs::Permissions::from_mode(0o666));
}

#[cfg(not(unix))]
fn set_mode(_builder: &mut tempfile::Builder<'_, '_>) {}

/// Makes a rename in `folder` durable.
#[cfg(unix)]
fn sync_folder(folder: &Path) -> std::io::Result<()> {
    std::fs::File::open(folder)?.sync_all()
}

/// Windows makes renames durable with the file; folders cannot be opened to sync.
#[cfg(not(unix))]
fn sync_folder(_folder: &Path) -> std::io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fresh_dir(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("atomic-file-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        dir
    }

    fn temporaries(dir: &Path) -> Vec<std::path::PathBuf> {
        std::fs::read_dir(dir)
            .expect("list")
            .filter_map(Result::ok)
            .map(|entry| entry.path())
            .filter(|path| path.to_string_lossy().ends_with(".tmp"))
            .collect()
    }

    #[test]
    fn a_failed_write_leaves_the_old_file_and_no_temporary() {
        let dir = fresh_dir("failed");
        let path = dir.join("state.json");
        write(&path, b"old").expect("first write");
        let failed = write_with(&path, |file| {
            file.write_all(b"half")?;
            Err(std::io::Error::other("disk full"))
        });
        assert!(failed.is_err());
        assert_eq!(std::fs::read(&path).expect("read"), b"old");
        assert_eq!(temporaries(&dir), Vec::<std::path::PathBuf>::new());
        std::fs::remove_dir_all(&dir).expect("cleanup");
    }

    /// A file planted where a predictable temporary name would be (here a link to another
    /// file) is neither followed nor replaced.
    #[cfg(unix)]
    #[test]
    fn a_planted_temporary_name_is_not_followed() {
        let dir = fresh_dir("planted");
        let path = dir.join("state.json");
        let victim = dir.join("victim.txt");
        std::fs::write(&victim, b"keep me").expect("victim");
        let planted = dir.join(format!(".state.json.{}.tmp", std::process::id()));
        std::os::unix::fs::symlink(&victim, &planted).expect("link");
        write(&path, b"new").expect("write");
        assert_eq!(std::fs::read(&path).expect("read"), b"new");
        assert_eq!(std::fs::read(&victim).expect("victim"), b"keep me");
        assert!(
            std::fs::symlink_metadata(&planted).is_ok(),
            "the planted link stays"
        );
        std::fs::remove_dir_all(&dir).expect("cleanup");
    }

    /// The umask of this process, read without changing it (the fourth field of "Umask:" in
    /// /proc/self/status on Linux).
    #[cfg(target_os = "linux")]
    fn umask() -> u32 {
        let status = std::fs::read_to_string("/proc/self/status").expect("status");
        let line = status
            .lines()
            .find_map(|line| line.strip_prefix("Umask:"))
            .expect("a Umask line");
        u32::from_str_radix(line.trim(), 8).expect("octal")
    }

    /// A new file has the mode a new file gets under the umask (0644 with 022), as an editor
    /// writes it, not the temporary file's 0600; a file replaced keeps the mode it had.
    #[cfg(target_os = "linux")]
    #[test]
    fn a_new_file_gets_the_umask_mode_and_a_replaced_one_keeps_its_mode() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = fresh_dir("mode");
        let path = dir.join("export.png");
        write(&path, b"one").expect("write");
        let mode =
            |path: &Path| std::fs::metadata(path).expect("stat").permissions().mode() & 0o777;
        assert_eq!(mode(&path), 0o666 & !umask(), "umask {:o}", umask());
        if umask() == 0o022 {
            assert_eq!(mode(&path), 0o644, "not private to the writer");
        }
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).expect("chmod");
        write(&path, b"two").expect("replace");
        assert_eq!(mode(&path), 0o640);
        std::fs::remove_dir_all(&dir).expect("cleanup");
    }

    #[test]
    fn a_second_write_replaces_the_first() {
        let dir = fresh_dir("twice");
        let path = dir.join("plain.txt");
        write(&path, b"one").expect("write");
        write(&path, b"two").expect("replace");
        assert_eq!(std::fs::read(&path).expect("read"), b"two");
        std::fs::remove_dir_all(&dir).expect("cleanup");
    }
}
