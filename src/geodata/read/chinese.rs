//! The messages not yet said in both languages where they are written, put into Chinese phrase
//! by phrase for the window in Chinese. The user's words are never touched: the file's path is
//! kept apart ([`DataError::in_language`]), text in backticks (a field's name, a value) is left
//! as it is, and a phrase is replaced only where it starts a word.
//!
//! Problems that are values ([`crate::geodata::Problem`]), a file's feature problems
//! ([`crate::geodata::fault::Fault`], grouped by [`super::Problems`] in each language), the
//! readers' notes and the JSON and TOML parsers' words are said in both languages where they
//! are written, not here, and so are the tours' file problems. What is left here: the
//! corrections' and the data folder's checks (`geodata::validate`) and a few file-level
//! messages; they go as their writers move to values.
//!
//! [`DataError::in_language`]: crate::geodata::DataError::in_language

/// Phrases, longest first where one contains another.
const PHRASES: [(&str, &str); 8] = [
    ("is missing or not a distance", "缺失或不是距离"),
    ("is missing", "缺失"),
    ("property ", "属性 "),
    ("file is missing", "文件不存在"),
    (
        "is not a regular file (a folder, a pipe or a device): refused",
        "不是普通文件（文件夹、管道或设备），已拒绝",
    ),
    ("save it as UTF-8", "请另存为 UTF-8"),
    (
        "the text is neither UTF-8, UTF-16 nor GBK",
        "文字既不是 UTF-8、UTF-16，也不是 GBK",
    ),
    ("cannot read: ", "无法读取："),
];

/// A reader's message in Chinese: the parts outside backticks translated, those inside kept.
pub fn chinese(message: &str) -> String {
    message
        .split('`')
        .enumerate()
        .map(|(index, part)| {
            if index % 2 == 1 {
                part.to_string()
            } else {
                translate(part)
            }
        })
        .collect::<Vec<_>>()
        .join("`")
}

fn translate(message: &str) -> String {
    let mut text = message.to_string();
    // Longest first, so that a phrase inside a longer one ("is missing" in "file is missing")
    // does not take its words.
    let mut phrases: Vec<&(&str, &str)> = PHRASES.iter().collect();
    phrases.sort_by_key(|(english, _)| std::cmp::Reverse(english.len()));
    for (english, chinese) in phrases {
        if text.contains(english) {
            text = replace_words(&text, english, chinese);
        }
    }
    text
}

/// Whether `at` in `text` starts a word (a phrase found inside a word is the word's own).
fn starts_word(text: &str, at: usize) -> bool {
    text[..at]
        .chars()
        .next_back()
        .is_none_or(|c| !c.is_alphanumeric() && c != '_')
}

/// `text` with `from` replaced by `to` where `from` starts a word.
fn replace_words(text: &str, from: &str, to: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut done = 0;
    for (at, _) in text.match_indices(from) {
        if at < done {
            continue;
        }
        let word = !from.starts_with(|c: char| c.is_alphanumeric()) || starts_word(text, at);
        out.push_str(&text[done..at]);
        out.push_str(if word { to } else { from });
        done = at + from.len();
    }
    out.push_str(&text[done..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The user's words stay theirs: a file `pipeline 2.csv` in a folder `feature data`, a
    /// field named in backticks, a word that holds a phrase.
    #[test]
    fn the_users_words_are_never_translated() {
        let error =
            crate::geodata::DataError::new("feature data/pipeline 2.csv", "file is missing");
        assert_eq!(
            error.in_language(crate::model::Lang::Zh),
            "feature data/pipeline 2.csv: 文件不存在"
        );
        assert_eq!(
            error.in_language(crate::model::Lang::En),
            "feature data/pipeline 2.csv: file is missing"
        );
        assert_eq!(
            chinese("property `pipeline 2 row 3` is missing"),
            "属性 `pipeline 2 row 3` 缺失"
        );
        assert_eq!(chinese("arrow 3, airline 4"), "arrow 3, airline 4");
    }
}
