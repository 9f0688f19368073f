//! How deep a TOML text's brackets nest, found before the TOML parser sees it. The parser
//! (toml 1) bounds its recursion on well-formed input, but recovering from an inline table
//! left open it nests once per `{` that follows: a file of a few thousand unclosed `{` (a
//! tour cut and pasted into itself) overflows the stack and aborts the process. Valid TOML
//! never nests this deep (the parser refuses far less), so the scan refuses nothing a parser
//! would read.

/// Brackets (`[` and `{`) open at once, at most.
pub const MAX_DEPTH_TOML: usize = 256;

/// What is said of a text that nests too deep.
pub fn too_deep_said() -> crate::model::Text {
    crate::model::Text::new(
        format!("括号嵌套超过 {MAX_DEPTH_TOML} 层（有 {{ 或 [ 未闭合？）：未读取"),
        format!("brackets nest more than {MAX_DEPTH_TOML} deep (a {{ or [ left open?): not read"),
    )
}

/// Where (1-based line and column, in characters) the text's brackets first nest deeper than
/// [`MAX_DEPTH_TOML`], if they do. Strings (basic, literal, multi-line) and comments are
/// skipped, so brackets written inside them do not count.
pub fn too_deep(text: &str) -> Option<(usize, usize)> {
    let chars: Vec<char> = text.chars().collect();
    // The brackets open, innermost last: a closer closes only its own kind (`{ … ]` leaves the
    // table open, and the parser's recovery nests on).
    let mut open: Vec<char> = Vec::new();
    let (mut line, mut column, mut at) = (1usize, 0usize, 0usize);
    let starts = |at: usize, what: &str| {
        what.chars()
            .enumerate()
            .all(|(i, c)| chars.get(at + i) == Some(&c))
    };
    while at < chars.len() {
        let c = chars[at];
        column += 1;
        match c {
            '\n' => {
                line += 1;
                column = 0;
            }
            '#' => {
                while at + 1 < chars.len() && chars[at + 1] != '\n' {
                    at += 1;
                }
            }
            '"' | '\'' => {
                let multi = if c == '"' { "\"\"\"" } else { "'''" };
                let (close, escapes) = (c, c == '"');
                if starts(at, multi) {
                    at += 3;
                    while at < chars.len() && !starts(at, multi) {
                        if chars[at] == '\n' {
                            line += 1;
                            column = 0;
                        }
                        at += if escapes && chars[at] == '\\' { 2 } else { 1 };
                    }
                    at += 2;
                } else {
                    at += 1;
                    while at < chars.len() && chars[at] != close && chars[at] != '\n' {
                        at += if escapes && chars[at] == '\\' { 2 } else { 1 };
                    }
                    if chars.get(at) == Some(&'\n') {
                        continue; // the newline is counted above
                    }
                }
            }
            '[' | '{' => {
                open.push(c);
                if open.len() > MAX_DEPTH_TOML {
                    return Some((line, column));
                }
            }
            ']' | '}' => {
                let opener = if c == ']' { '[' } else { '{' };
                if open.last() == Some(&opener) {
                    open.pop();
                }
            }
            _ => {}
        }
        at += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brackets_in_strings_and_comments_do_not_count() {
        let brackets = "[".repeat(1000);
        let text = format!(
            "a = \"{brackets}\"\nb = '{brackets}'\nc = \"\"\"\n{brackets}\"\"\"\n# {brackets}\nd = [[1], {{x = 1}}]\n[[stop]]\n"
        );
        assert_eq!(too_deep(&text), None);
    }

    #[test]
    fn unclosed_inline_tables_are_found_with_their_line() {
        let text = "title = { zh = \"x\"\n".repeat(300);
        assert_eq!(too_deep(&text), Some((MAX_DEPTH_TOML + 1, 9)));
        assert_eq!(too_deep(&"[".repeat(257)), Some((1, 257)));
        assert_eq!(too_deep(&"[".repeat(256)), None);
        // An inline table closed by the wrong bracket stays open (a fuzzed tour's 4 000
        // `{ … ]` aborted the process).
        let wrong = "title = { zh = \"x\", en = \"y\"]\n".repeat(300);
        assert_eq!(too_deep(&wrong), Some((MAX_DEPTH_TOML + 1, 9)));
    }
}
