//! Bytes to text: UTF-8 (with or without a byte-order mark), UTF-16 (with a mark, or told by
//! its zero bytes) and GBK/GB18030, which Chinese desktop tools still write. Anything else is
//! refused with where its first undecodable byte is.

use crate::geodata::Problem;
use encoding_rs::{Encoding, GB18030, UTF_16BE, UTF_16LE};

/// Decoded text, and the encoding it was read as when that was not UTF-8.
#[derive(Debug)]
pub struct Decoded {
    pub text: String,
    pub encoding: Option<&'static str>,
}

/// Decodes a file's bytes.
pub fn decode(bytes: Vec<u8>) -> Result<Decoded, Problem> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return utf8(rest.to_vec());
    }
    if bytes.starts_with(b"\xFF\xFE") {
        return utf16(UTF_16LE, &bytes[2..], "UTF-16 (little-endian)");
    }
    if bytes.starts_with(b"\xFE\xFF") {
        return utf16(UTF_16BE, &bytes[2..], "UTF-16 (big-endian)");
    }
    // Without a mark, UTF-16 text of ASCII characters has a zero in every other byte.
    if let Some(little) = zero_bytes_say_utf16(&bytes) {
        let (encoding, name) = if little {
            (UTF_16LE, "UTF-16 (little-endian)")
        } else {
            (UTF_16BE, "UTF-16 (big-endian)")
        };
        return utf16(encoding, &bytes, name);
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Decoded {
            text,
            encoding: None,
        }),
        Err(error) => {
            let at = error.utf8_error().valid_up_to();
            let bytes = error.into_bytes();
            match GB18030.decode_without_bom_handling_and_without_replacement(&bytes) {
                Some(text) => Ok(Decoded {
                    text: text.into_owned(),
                    encoding: Some("GBK/GB18030"),
                }),
                None => Err(not_decodable(&bytes, at)),
            }
        }
    }
}

fn utf8(bytes: Vec<u8>) -> Result<Decoded, Problem> {
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Decoded {
            text,
            encoding: None,
        }),
        Err(error) => {
            let at = error.utf8_error().valid_up_to();
            Err(not_decodable(error.as_bytes(), at))
        }
    }
}

fn utf16(
    encoding: &'static Encoding,
    bytes: &[u8],
    name: &'static str,
) -> Result<Decoded, Problem> {
    match encoding.decode_without_bom_handling_and_without_replacement(bytes) {
        Some(text) => Ok(Decoded {
            text: text.into_owned(),
            encoding: Some(name),
        }),
        None => Err(Problem::NotValidUtf16 {
            encoding: name.into(),
        }),
    }
}

/// Whether the first bytes look like UTF-16 without a mark: little-endian (`Some(true)`) when
/// the odd bytes are zero, big-endian when the even ones are.
fn zero_bytes_say_utf16(bytes: &[u8]) -> Option<bool> {
    let head = &bytes[..bytes.len().min(512) & !1];
    if head.len() < 4 {
        return None;
    }
    let pairs = head.len() / 2;
    let zero_odd = head.chunks(2).filter(|p| p[0] != 0 && p[1] == 0).count();
    let zero_even = head.chunks(2).filter(|p| p[0] == 0 && p[1] != 0).count();
    // JSON is mostly ASCII: in UTF-16, at least half its pairs have a zero byte, on one side.
    if zero_odd * 2 >= pairs && zero_even == 0 {
        Some(true)
    } else if zero_even * 2 >= pairs && zero_odd == 0 {
        Some(false)
    } else {
        None
    }
}

/// Where the first undecodable byte is, as line and column, and what to do.
fn not_decodable(bytes: &[u8], at: usize) -> Problem {
    let before = String::from_utf8_lossy(&bytes[..at]);
    Problem::NotText {
        byte: bytes.get(at).copied().unwrap_or(0),
        line: before.matches('\n').count() + 1,
        column: before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_and_without_a_mark_reads_as_is() {
        let plain = decode("{\"name\":\"重庆\"}".as_bytes().to_vec()).expect("utf-8");
        assert_eq!(
            (plain.text.as_str(), plain.encoding),
            ("{\"name\":\"重庆\"}", None)
        );
        let marked = decode(b"\xEF\xBB\xBF{}".to_vec()).expect("bom");
        assert_eq!(marked.text, "{}");
    }

    #[test]
    fn utf16_is_read_with_a_mark_or_told_by_its_zero_bytes() {
        let text = "{\"name\":\"重庆\"}";
        let little: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let big: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        let marked = [b"\xFF\xFE".to_vec(), little.clone()].concat();
        for bytes in [little, big, marked] {
            let decoded = decode(bytes).expect("utf-16");
            assert_eq!(decoded.text, text);
            assert!(decoded.encoding.is_some_and(|e| e.starts_with("UTF-16")));
        }
    }

    #[test]
    fn gbk_is_read_and_said() {
        let (bytes, _, _) = GB18030.encode("{\"name\":\"沙坪坝区\"}");
        let decoded = decode(bytes.into_owned()).expect("gbk");
        assert_eq!(decoded.text, "{\"name\":\"沙坪坝区\"}");
        assert_eq!(decoded.encoding, Some("GBK/GB18030"));
    }

    #[test]
    fn latin1_is_refused_with_where_and_what_to_do() {
        let error = decode(b"{\"name\":\n\"caf\xE9 \"}".to_vec())
            .expect_err("latin-1")
            .english();
        assert!(
            error.contains("line 2, column 5") && error.contains("UTF-8"),
            "{error}"
        );
    }
}
