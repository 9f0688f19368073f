//! A byte scanner for the XML of a workbook's sheet and shared strings: their elements are few
//! and flat (`row`, `c`, `v`, `is`, `si`, `t`), so tags are found with `memchr` and only the
//! attributes and texts a cell needs are decoded. Namespace prefixes (`x:c`) are passed over
//! by matching local names, as SpreadsheetML readers must.

use memchr::{memchr, memmem};

/// Where byte `byte` first is in `bytes`: the few bytes between a cell's tags looked at one by
/// one (a call to `memchr` costs more than that), a longer span through it.
#[inline]
pub fn find(byte: u8, bytes: &[u8]) -> Option<usize> {
    let near = bytes.len().min(24);
    match bytes[..near].iter().position(|&b| b == byte) {
        Some(at) => Some(at),
        None => memchr(byte, &bytes[near..]).map(|at| near + at),
    }
}

/// A tag: `<name attrs>`, `</name>` or `<name attrs/>`.
#[derive(Debug, Clone, Copy)]
pub struct Tag<'a> {
    /// The name as written, prefix included (`x:row`).
    pub name: &'a [u8],
    pub attributes: &'a [u8],
    pub closing: bool,
    /// `<name/>`: no content, no end tag.
    pub empty: bool,
    /// Where the tag begins (its `<`) and the byte after its `>`.
    pub start: usize,
    pub end: usize,
}

impl<'a> Tag<'a> {
    /// The name without its namespace prefix.
    pub fn local(&self) -> &[u8] {
        match memchr(b':', self.name) {
            Some(at) => &self.name[at + 1..],
            None => self.name,
        }
    }

    pub fn is(&self, local: &[u8]) -> bool {
        self.local() == local
    }

    /// The value of attribute `name` as written (entities not decoded: the attributes read
    /// here are numbers, cell references and type codes).
    pub fn attribute(&self, name: &[u8]) -> Option<&[u8]> {
        let mut found = None;
        self.each_attribute(|n, value| {
            if n == name {
                found = Some(value);
            }
            found.is_none()
        });
        found
    }

    /// The value of attribute `name`, its entities decoded (a sheet's name, a format code).
    pub fn attribute_text(&self, name: &[u8]) -> Option<String> {
        let raw = self.attribute(name)?;
        let mut text = String::with_capacity(raw.len());
        decode_into(raw, &mut text);
        Some(text)
    }

    /// Each attribute's name and value as written, until `each` says stop.
    pub fn each_attribute(&self, mut each: impl FnMut(&[u8], &'a [u8]) -> bool) {
        let bytes = self.attributes;
        let mut i = 0;
        while i < bytes.len() {
            while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            let name_start = i;
            while i < bytes.len() && bytes[i] != b'=' && !bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            let found = &bytes[name_start..i];
            while i < bytes.len() && bytes[i] != b'=' {
                i += 1;
            }
            i += 1;
            while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            let Some(&quote) = bytes.get(i) else {
                return;
            };
            if quote != b'"' && quote != b'\'' {
                return;
            }
            let value_start = i + 1;
            let Some(length) = find(quote, &bytes[value_start..]) else {
                return;
            };
            let value_end = value_start + length;
            if !each(found, &bytes[value_start..value_end]) {
                return;
            }
            i = value_end + 1;
        }
    }
}

/// Each tag of `xml`, in order (a part's structure without a tree: no depth to overflow).
pub fn tags(xml: &[u8]) -> impl Iterator<Item = Tag<'_>> {
    let mut at = 0;
    std::iter::from_fn(move || {
        let tag = next_tag(xml, at)?;
        at = tag.end;
        Some(tag)
    })
}

/// The next tag at or after `from`: comments, processing instructions, declarations and
/// CDATA sections are passed over. `None` when `xml` ends first (or ends inside a tag).
pub fn next_tag(xml: &[u8], mut from: usize) -> Option<Tag<'_>> {
    loop {
        let start = from + find(b'<', xml.get(from..)?)?;
        let rest = &xml[start + 1..];
        let skip = |close: &[u8]| memmem::find(rest, close).map(|at| start + 1 + at + close.len());
        match rest.first()? {
            b'!' if rest.starts_with(b"!--") => from = skip(b"-->")?,
            b'!' if rest.starts_with(b"![CDATA[") => from = skip(b"]]>")?,
            b'!' | b'?' => from = skip(b">")?,
            _ => return tag_at(xml, start),
        }
    }
}

/// The tag whose `<` is at `start`.
fn tag_at(xml: &[u8], start: usize) -> Option<Tag<'_>> {
    let closing = xml.get(start + 1) == Some(&b'/');
    let name_start = start + 1 + usize::from(closing);
    let gt = name_start + find_tag_end(&xml[name_start..])?;
    let mut inner = &xml[name_start..gt];
    let empty = inner.last() == Some(&b'/');
    if empty {
        inner = &inner[..inner.len() - 1];
    }
    let name_len = inner
        .iter()
        .position(|b| b.is_ascii_whitespace())
        .unwrap_or(inner.len());
    Some(Tag {
        name: &inner[..name_len],
        attributes: &inner[name_len..],
        closing,
        empty,
        start,
        end: gt + 1,
    })
}

/// The `>` that ends a tag, passing over any in quoted attribute values.
fn find_tag_end(bytes: &[u8]) -> Option<usize> {
    let mut i = 0;
    loop {
        i += bytes[i..]
            .iter()
            .position(|&b| matches!(b, b'>' | b'"' | b'\''))?;
        match bytes[i] {
            b'>' => return Some(i),
            quote => i += 1 + find(quote, &bytes[i + 1..])? + 1,
        }
    }
}

/// The text from `from` to the next tag that is not a CDATA section, decoded (entities,
/// CDATA, line ends as XML says: CR LF and CR become LF) and appended to `out`; returns
/// where that tag begins (`xml.len()` if none).
pub fn text_into(xml: &[u8], mut from: usize, out: &mut String) -> usize {
    loop {
        let Some(lt) = find(b'<', &xml[from..]).map(|at| from + at) else {
            decode_into(&xml[from..], out);
            return xml.len();
        };
        decode_into(&xml[from..lt], out);
        let rest = &xml[lt..];
        if rest.starts_with(b"<![CDATA[") {
            let body = lt + 9;
            let end = memmem::find(&xml[body..], b"]]>").map_or(xml.len(), |at| body + at);
            push_lines(&xml[body..end], out);
            from = (end + 3).min(xml.len());
        } else if rest.starts_with(b"<!--") {
            from = memmem::find(&xml[lt..], b"-->").map_or(xml.len(), |at| lt + at + 3);
        } else {
            return lt;
        }
    }
}

/// The text from `from` to the next tag, as written, if it needs no decoding (no entity, no
/// CR, no CDATA section, UTF-8): a number's, most strings'. Returns it and where the tag is.
#[inline]
pub fn plain_text(xml: &[u8], from: usize) -> Option<(&str, usize)> {
    let length = find(b'<', &xml[from..])?;
    let raw = &xml[from..from + length];
    if raw.iter().any(|&b| b == b'&' || b == b'\r') || xml[from + length..].starts_with(b"<![") {
        return None;
    }
    Some((std::str::from_utf8(raw).ok()?, from + length))
}

/// `bytes` with its entities decoded, appended to `out`. An unknown entity is kept as written.
fn decode_into(bytes: &[u8], out: &mut String) {
    let mut from = 0;
    while let Some(amp) = memchr(b'&', &bytes[from..]).map(|at| from + at) {
        push_lines(&bytes[from..amp], out);
        let Some(semi) = memchr(b';', &bytes[amp..])
            .map(|at| amp + at)
            .filter(|s| s - amp <= 10)
        else {
            push_lines(&bytes[amp..amp + 1], out);
            from = amp + 1;
            continue;
        };
        let entity = &bytes[amp + 1..semi];
        let decoded = match entity {
            b"amp" => Some('&'),
            b"lt" => Some('<'),
            b"gt" => Some('>'),
            b"quot" => Some('"'),
            b"apos" => Some('\''),
            [b'#', b'x' | b'X', hex @ ..] => std::str::from_utf8(hex)
                .ok()
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .and_then(char::from_u32),
            [b'#', digits @ ..] => std::str::from_utf8(digits)
                .ok()
                .and_then(|d| d.parse().ok())
                .and_then(char::from_u32),
            _ => None,
        };
        match decoded {
            Some(c) => {
                out.push(c);
                from = semi + 1;
            }
            None => {
                push_lines(&bytes[amp..amp + 1], out);
                from = amp + 1;
            }
        }
    }
    push_lines(&bytes[from..], out);
}

/// Raw text appended with its line ends normalised; bytes that are not UTF-8 replaced.
fn push_lines(bytes: &[u8], out: &mut String) {
    if bytes.is_empty() {
        return;
    }
    let text = String::from_utf8_lossy(bytes);
    if memchr(b'\r', bytes).is_none() {
        out.push_str(&text);
    } else {
        out.push_str(&text.replace("\r\n", "\n").replace('\r', "\n"));
    }
}

/// The text of a string item (`<si>` of the shared strings, `<is>` of an inline string)
/// whose start tag ends at `from`, appended to `out`: its `<t>` runs joined (rich text's runs
/// included, the phonetic guide's `<rPh>` left out), each trimmed unless it keeps its
/// spaces, Excel's `_xHHHH_` escapes decoded. Returns where the item's end tag ends.
pub fn string_item_into(xml: &[u8], from: usize, item: &[u8], out: &mut String) -> usize {
    let mut at = from;
    let mut phonetic = 0usize;
    let mut run: Option<String> = None;
    while let Some(tag) = next_tag(xml, at) {
        at = tag.end;
        let local = tag.local();
        if tag.closing {
            if local == item {
                return at;
            }
            if local == b"rPh" {
                phonetic = phonetic.saturating_sub(1);
            }
            continue;
        }
        if tag.empty {
            continue;
        }
        if local == b"rPh" {
            phonetic += 1;
        } else if local == b"t" && phonetic == 0 {
            let preserve =
                !tag.attributes.is_empty() && tag.attribute(b"xml:space") == Some(b"preserve");
            if let Some((text, end)) = plain_text(xml, at) {
                at = end;
                unescape_excel_into(trimmed(text, preserve), out);
                continue;
            }
            let run = run.get_or_insert_with(String::new);
            run.clear();
            at = text_into(xml, at, run);
            unescape_excel_into(trimmed(run, preserve), out);
        }
    }
    xml.len()
}

/// A run's text trimmed of XML's spaces, unless it keeps them.
fn trimmed(text: &str, preserve: bool) -> &str {
    if preserve {
        text
    } else {
        text.trim_matches([' ', '\t', '\r', '\n'])
    }
}

/// Excel's escape of a character XML cannot hold, `_x000D_` (a UTF-16 unit in hex; a
/// character past the BMP as two), decoded; `_x005F_` is a literal underscore.
pub fn unescape_excel_into(text: &str, out: &mut String) {
    let bytes = text.as_bytes();
    let unit = |at: usize| -> Option<u16> {
        let b = bytes.get(at..at + 7)?;
        if b[0] != b'_' || b[1] != b'x' || b[6] != b'_' {
            return None;
        }
        u16::from_str_radix(std::str::from_utf8(&b[2..6]).ok()?, 16).ok()
    };
    let mut copied = 0;
    let mut from = 0;
    while let Some(at) = find(b'_', &bytes[from..]).map(|i| from + i) {
        let Some(first) = unit(at) else {
            from = at + 1;
            continue;
        };
        out.push_str(&text[copied..at]);
        let mut next = at + 7;
        let c = match first {
            0xD800..=0xDBFF => match unit(next) {
                Some(low @ 0xDC00..=0xDFFF) => {
                    next += 7;
                    char::from_u32(
                        0x10000 + ((u32::from(first) - 0xD800) << 10) + (u32::from(low) - 0xDC00),
                    )
                }
                _ => None,
            },
            unit => char::from_u32(u32::from(unit)),
        };
        out.push(c.unwrap_or(char::REPLACEMENT_CHARACTER));
        copied = next;
        from = next;
    }
    out.push_str(&text[copied..]);
}

/// A cell reference's column and row, both from 0 (`B17` → (1, 16)); a reference without
/// a column (a row's `r`) gives column `None`.
pub fn reference(text: &[u8]) -> Option<(Option<u32>, u32)> {
    let letters = text.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    let mut column: u32 = 0;
    for b in &text[..letters] {
        column = column
            .checked_mul(26)?
            .checked_add(u32::from(b.to_ascii_uppercase() - b'A') + 1)?;
    }
    let row: u32 = std::str::from_utf8(&text[letters..]).ok()?.parse().ok()?;
    Some(((letters > 0).then(|| column - 1), row.checked_sub(1)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_read_with_their_attributes_and_prefixes() {
        let xml =
            br#"<?xml version="1.0"?><!-- a > note --><x:c r="B2" s='3' t="a>b"/><x:v>1</x:v>"#;
        let tag = next_tag(xml, 0).expect("a tag");
        assert_eq!(tag.name, b"x:c");
        assert!(tag.is(b"c") && tag.empty && !tag.closing);
        assert_eq!(tag.attribute(b"r"), Some(&b"B2"[..]));
        assert_eq!(tag.attribute(b"s"), Some(&b"3"[..]));
        assert_eq!(tag.attribute(b"t"), Some(&b"a>b"[..]));
        assert_eq!(tag.attribute(b"x"), None);
        let v = next_tag(xml, tag.end).expect("v");
        assert!(v.is(b"v") && !v.empty);
        let mut text = String::new();
        let end = text_into(xml, v.end, &mut text);
        assert_eq!(text, "1");
        assert!(next_tag(xml, end).expect("its end").closing);
        // A tag cut off by the end of the bytes is not one.
        assert!(next_tag(b"<row r=\"1", 0).is_none());
    }

    #[test]
    fn texts_are_decoded() {
        let mut text = String::new();
        text_into(
            b"a &amp; b &lt;&#x4E2D;&#25991;&gt; &bogus; &\r\nc<![CDATA[<x>]]>d</t>",
            0,
            &mut text,
        );
        assert_eq!(text, "a & b <中文> &bogus; &\nc<x>d");
    }

    #[test]
    fn string_items_join_their_runs_and_leave_the_phonetic_guide_out() {
        let xml = r#"<si><r><t>  重庆</t></r><r><rPr/><t xml:space="preserve"> 科学城 </t></r><rPh sb="0" eb="1"><t>chongqing</t></rPh><t>_x000D_a_x005F_x000D_</t></si>"#.as_bytes();
        let mut out = String::new();
        let end = string_item_into(xml, 4, b"si", &mut out);
        assert_eq!(out, "重庆 科学城 \ra_x000D_");
        assert_eq!(end, xml.len());
        let mut astral = String::new();
        unescape_excel_into("_xD83D__xDCF7_!", &mut astral);
        assert_eq!(astral, "📷!");
    }

    #[test]
    fn references_are_columns_and_rows_from_zero() {
        assert_eq!(reference(b"A1"), Some((Some(0), 0)));
        assert_eq!(reference(b"b17"), Some((Some(1), 16)));
        assert_eq!(reference(b"XFD1048576"), Some((Some(16_383), 1_048_575)));
        assert_eq!(reference(b"12"), Some((None, 11)));
        assert_eq!(reference(b"A0"), None);
        assert_eq!(reference(b"A"), None);
    }
}
