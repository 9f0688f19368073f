//! The members of a zip archive (a KMZ, a zipped Shapefile), read in memory and never
//! unpacked to disk. A member is read only as far as its declared size and the limit allow:
//! a zip bomb (a few megabytes that unpack to gigabytes) is refused from its central
//! directory before a byte is unpacked, and a member that unpacks to more than it declares
//! is refused at the first byte beyond, so the memory taken is at most the declared size.

use std::io::{Cursor, Read as _};

use crate::geodata::Problem;

pub(super) type Archive<'a> = zip::ZipArchive<Cursor<&'a [u8]>>;

/// The archive's member names; refused when one leads out of the archive (zip-slip: `../`,
/// `/…`, `C:\`), which a program never writes.
pub(super) fn member_names(
    archive: &Archive<'_>,
    kind: &'static str,
) -> Result<Vec<String>, Problem> {
    let names: Vec<String> = archive
        .file_names()
        .filter_map(Result::ok)
        .map(|name| name.into_owned())
        .collect();
    match names.iter().find(|name| !inside_archive(name)) {
        Some(outside) => Err(Problem::ZipMemberOutside {
            archive: kind,
            name: crate::geodata::read::shorten(outside, 80),
        }),
        None => Ok(names),
    }
}

/// Whether a member's name stays inside the archive: relative, with no `..` part.
pub(super) fn inside_archive(name: &str) -> bool {
    let name = name.replace('\\', "/");
    !name.starts_with('/')
        && name.get(1..2).is_none_or(|c| c != ":")
        && !name.split('/').any(|part| part == "..")
}

/// The bytes of member `name`, at most `limit` of them.
pub(super) fn read_member(
    archive: &mut Archive<'_>,
    name: &str,
    kind: &'static str,
    limit: u64,
) -> Result<Vec<u8>, Problem> {
    let too_large = || Problem::ZipMemberTooLarge {
        name: name.to_string(),
        megabytes: limit / 1_048_576,
    };
    let entry = archive
        .by_name(name)
        .map_err(|error| Problem::ZipMemberUnreadable {
            archive: kind,
            name: name.to_string(),
            error: error.to_string(),
        })?;
    let declared = entry.size();
    if declared > limit {
        return Err(too_large());
    }
    let damaged = |error: String| Problem::ZipMemberDamaged {
        archive: kind,
        name: name.to_string(),
        error,
    };
    let mut out = Vec::with_capacity(declared as usize);
    entry
        .take(declared + 1)
        .read_to_end(&mut out)
        .map_err(|error| damaged(error.to_string()))?;
    if out.len() as u64 > declared {
        return Err(damaged(format!(
            "it unpacks to more than the {declared} bytes its header declares"
        )));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write as _;

    fn zipped(name: &str, bytes: &[u8]) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        let mut writer = zip::ZipWriter::new(&mut out);
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        writer.start_file(name, options).expect("start");
        writer.write_all(bytes).expect("write");
        writer.finish().expect("finish");
        out.into_inner()
    }

    /// A member that unpacks to more than the limit is refused from its declared size,
    /// before anything is unpacked; one within the limit is read whole.
    #[test]
    fn a_member_past_the_limit_is_refused_before_it_is_unpacked() {
        let bomb = zipped("doc.kml", &vec![b' '; 4 << 20]);
        assert!(bomb.len() < 64 << 10, "{} bytes", bomb.len());
        let mut archive = Archive::new(Cursor::new(&bomb[..])).expect("a zip");
        assert_eq!(
            read_member(&mut archive, "doc.kml", "KMZ", 1 << 20),
            Err(Problem::ZipMemberTooLarge {
                name: "doc.kml".into(),
                megabytes: 1
            })
        );
        let read = read_member(&mut archive, "doc.kml", "KMZ", 8 << 20).expect("within");
        assert_eq!(read.len(), 4 << 20);
    }

    /// A member whose header declares fewer bytes than it unpacks to is refused at the first
    /// byte beyond (the header is what the limit was checked against).
    #[test]
    fn a_member_that_unpacks_to_more_than_it_declares_is_refused() {
        let content = vec![b'x'; 100_000];
        let mut bomb = zipped("doc.kml", &content);
        // The uncompressed size is at offset 22 of the local header and 24 of the central
        // directory's entry; both say 1 000 now.
        let central = bomb
            .windows(4)
            .rposition(|w| w == b"PK\x01\x02")
            .expect("central directory");
        for at in [22, central + 24] {
            bomb[at..at + 4].copy_from_slice(&1000u32.to_le_bytes());
        }
        let mut archive = Archive::new(Cursor::new(&bomb[..])).expect("a zip");
        match read_member(&mut archive, "doc.kml", "KMZ", 1 << 20) {
            Err(Problem::ZipMemberDamaged { error, .. }) => {
                assert!(error.contains("declare"), "{error}")
            }
            other => panic!("{:?}", other.map(|bytes| bytes.len())),
        }
    }
}
