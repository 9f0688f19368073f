//! What is wrong with a file's features, grouped by kind with a count and the first few
//! examples, so that 100 000 bad features make one line, not 100 000; and JSON errors told as
//! a person would: line and column (in characters), what was expected, what was found.

use std::collections::BTreeMap;

use crate::geodata::fault::Fault;
use crate::model::{Lang, Text};

/// How many examples a group names.
const EXAMPLES: usize = 3;

/// One feature that could not be read.
#[derive(Debug, Clone, PartialEq)]
pub struct FeatureProblem {
    pub index: usize,
    pub id: Option<String>,
    pub line: usize,
    /// Its particulars (empty when the kind says it all).
    pub detail: Text,
}

/// The problems of a file's features, by kind, in the order the kinds were first met.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Problems {
    kinds: Vec<Fault>,
    by_kind: BTreeMap<Fault, Vec<FeatureProblem>>,
    totals: BTreeMap<Fault, usize>,
    count: usize,
    /// The problems are of a table's rows (a CSV), named by row number, not of features.
    rows: bool,
}

impl Problems {
    /// Problems of a table's rows: each is named by its line in the file ("row 12").
    pub fn for_rows() -> Self {
        Self {
            rows: true,
            ..Self::default()
        }
    }

    pub fn feature(
        &mut self,
        index: usize,
        id: Option<String>,
        line: usize,
        fault: Fault,
        detail: Text,
    ) {
        if !self.by_kind.contains_key(&fault) {
            self.kinds.push(fault.clone());
        }
        let group = self.by_kind.entry(fault.clone()).or_default();
        // Examples and the count are enough for a group; details past the first thousand are
        // not kept (memory stays bounded on a file where every feature is wrong).
        if group.len() < 1000 {
            group.push(FeatureProblem {
                index,
                id,
                line,
                detail,
            });
        }
        *self.totals.entry(fault).or_default() += 1;
        self.count += 1;
    }

    /// Sets the line of each problem from its feature's index (when lines were found late).
    pub fn relocate(&mut self, line_of: &impl Fn(usize) -> usize) {
        for group in self.by_kind.values_mut() {
            for problem in group {
                problem.line = line_of(problem.index);
            }
        }
    }

    /// How many features could not be read.
    pub fn feature_count(&self) -> usize {
        self.count
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// The kinds met, in the order they were first met.
    pub fn kinds(&self) -> &[Fault] {
        &self.kinds
    }

    /// One line per kind in `lang`: the count, the kind, and the first examples.
    pub fn lines(&self, lang: Lang) -> Vec<String> {
        self.kinds
            .iter()
            .map(|kind| self.line(kind, lang))
            .collect()
    }

    fn line(&self, kind: &Fault, lang: Lang) -> String {
        let group = &self.by_kind[kind];
        let total = self.total_of(kind);
        let said = kind.text();
        let said = said.get(lang);
        let examples: Vec<String> = group
            .iter()
            .take(EXAMPLES)
            .map(|p| example(p, self.rows, lang))
            .collect();
        if total == 1 {
            let colon = lang.pick("：", ": ");
            return format!(
                "{}{colon}{}",
                examples[0],
                with_detail(said, &group[0].detail, lang)
            );
        }
        let detail = group[0].detail.get(lang);
        match lang {
            Lang::En => format!(
                "{} {}: {said} — first: {}{}{}",
                thousands(total),
                if self.rows { "rows" } else { "features" },
                examples.join("; "),
                if total > EXAMPLES { ", …" } else { "" },
                if detail.is_empty() {
                    String::new()
                } else {
                    format!(" ({detail})")
                },
            ),
            Lang::Zh => format!(
                "{} {}：{said} — 首例：{}{}{}",
                thousands(total),
                if self.rows { "行" } else { "个要素" },
                examples.join("；"),
                if total > EXAMPLES { "，…" } else { "" },
                if detail.is_empty() {
                    String::new()
                } else {
                    format!("（{detail}）")
                },
            ),
        }
    }

    /// Each kind's line (see [`lines`](Self::lines)) with every problem of that kind, one
    /// line each (those kept: the first thousand), in both languages, for the full list in
    /// the window.
    pub fn grouped(&self) -> Vec<(Text, Vec<Text>)> {
        let both = |say: &dyn Fn(Lang) -> String| Text::new(say(Lang::Zh), say(Lang::En));
        self.kinds
            .iter()
            .map(|kind| {
                let every = self.by_kind[kind]
                    .iter()
                    .map(|p| {
                        both(&|lang| {
                            let said = kind.text();
                            format!(
                                "{}{}{}",
                                example(p, self.rows, lang),
                                lang.pick("：", ": "),
                                with_detail(said.get(lang), &p.detail, lang)
                            )
                        })
                    })
                    .collect();
                (both(&|lang| self.line(kind, lang)), every)
            })
            .collect()
    }

    /// How many features had this kind of problem (the stored examples may be fewer).
    fn total_of(&self, kind: &Fault) -> usize {
        self.totals.get(kind).copied().unwrap_or(0)
    }
}

/// A kind and its particulars, when there are any.
fn with_detail(kind: &str, detail: &Text, lang: Lang) -> String {
    let detail = detail.get(lang);
    if detail.is_empty() {
        kind.to_string()
    } else {
        format!("{kind} — {detail}")
    }
}

/// "feature 17 (id 5001, line 233)", "row 12"; "要素 17（id 5001，第 233 行）", "第 12 行".
fn example(problem: &FeatureProblem, rows: bool, lang: Lang) -> String {
    let line = problem.line;
    match (lang, rows, &problem.id) {
        (Lang::En, true, _) => format!("row {line}"),
        (Lang::Zh, true, _) => format!("第 {line} 行"),
        (Lang::En, false, Some(id)) => {
            format!(
                "feature {} (id {}, line {line})",
                problem.index,
                shorten(id, 40)
            )
        }
        (Lang::Zh, false, Some(id)) => {
            format!(
                "要素 {}（id {}，第 {line} 行）",
                problem.index,
                shorten(id, 40)
            )
        }
        (Lang::En, false, None) => format!("feature {} (line {line})", problem.index),
        (Lang::Zh, false, None) => format!("要素 {}（第 {line} 行）", problem.index),
    }
}

/// 1203 → "1 203".
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

/// Text shortened for display: at most `max` characters, with "…" where it was cut.
pub fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let kept: String = text.chars().take(max.saturating_sub(1)).collect();
    format!("{kept}…")
}

/// A JSON error in plain words: line and column in the whole text (`offset` is where the part
/// that was parsed starts), what was expected and what was found.
pub fn json_error(error: &serde_json::Error, text: &str, offset: usize) -> Text {
    let (line, column) = json_position(error, text, offset);
    let words = plain(error);
    Text::new(
        format!("第 {line} 行第 {column} 列：{}", words.zh),
        format!("line {line}, column {column}: {}", words.en),
    )
}

/// Where a JSON error is in `text` (the parsed part starting at `offset`): 1-based line and
/// column, in characters.
pub fn json_position(error: &serde_json::Error, text: &str, offset: usize) -> (usize, usize) {
    let part_start = offset.min(text.len());
    if error.line() == 0 {
        position(text, part_start)
    } else {
        // serde_json counts the line and the column (in bytes) within the parsed part.
        let part = &text[part_start..];
        let line_start = part
            .split_inclusive('\n')
            .take(error.line() - 1)
            .map(str::len)
            .sum::<usize>();
        position(
            text,
            part_start + line_start + error.column().saturating_sub(1),
        )
    }
}

/// 1-based line and column (in characters) of a byte offset.
fn position(text: &str, offset: usize) -> (usize, usize) {
    let mut at = offset.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// serde's message in the user's words, in both languages: no Rust types, what was expected
/// and what was found (serde's words for what was found, and for what it has no plain words
/// here, are kept as they are).
pub fn plain(error: &serde_json::Error) -> Text {
    let message = error.to_string();
    // serde_json appends " at line L column C"; the position is said before.
    let message = message
        .rsplit_once(" at line ")
        .map_or(message.as_str(), |(m, _)| m)
        .to_string();
    if let Some(rest) = message.strip_prefix("invalid type: ")
        && let Some((found, expected)) = rest.split_once(", expected ")
    {
        let expected = readable(expected);
        return Text::new(
            format!("应为 {}，实为 {found}", expected.zh),
            format!("expected {}, found {found}", expected.en),
        );
    }
    let (zh, en) = if message.starts_with("EOF while parsing") {
        (
            "JSON 未完整就结束了（有括号或引号未闭合）",
            "the text ends before the JSON is complete (a bracket, brace or quote is not closed)",
        )
    } else if message.starts_with("recursion limit exceeded") {
        (
            "括号嵌套过深（超过 128 层）",
            "brackets nest too deeply (more than 128 levels)",
        )
    } else if message.starts_with("trailing characters") {
        (
            "JSON 结束后还有多余的文字",
            "there is more text after the end of the JSON",
        )
    } else if message.contains("lone leading surrogate")
        || message.contains("unexpected end of hex escape")
    {
        (
            "字符串中的 \\u 转义不是完整的字符（孤立的代理项）",
            "a \\u escape in a string is not a whole character (a lone surrogate)",
        )
    } else if message.starts_with("expected value") {
        (
            "此处应为一个值（数字、带引号的文字、true、false、null、[ 或 {）",
            "expected a value (a number, text in quotes, true, false, null, [ or {)",
        )
    } else if let Some(field) = message.strip_prefix("duplicate field ") {
        // RFC 8259 leaves a name given twice undefined: the atlas takes neither.
        return Text::new(
            format!("成员 {field} 出现了两次（本程序不取其一）"),
            format!("the member {field} is given twice (the atlas takes neither)"),
        );
    } else if let Some(field) = message.strip_prefix("missing field ") {
        return Text::new(
            format!("缺少成员：{field}"),
            format!("a member is missing: {field}"),
        );
    } else {
        let both = [
            (
                "expected `,` or `]`",
                "此处应为逗号或 ]",
                "expected a comma or ]",
            ),
            (
                "expected `,` or `}`",
                "此处应为逗号或 }",
                "expected a comma or }",
            ),
            (
                "key must be a string",
                "成员名必须是带引号的文字",
                "a member's name must be text in quotes",
            ),
        ];
        let (mut zh, mut en) = (message.clone(), message);
        for (serde, chinese, english) in both {
            zh = zh.replace(serde, chinese);
            en = en.replace(serde, english);
        }
        return Text::new(zh, en);
    };
    Text::new(zh, en)
}

/// serde's "expected" in plain words.
fn readable(expected: &str) -> Text {
    if expected.starts_with("struct ") || expected.contains("Deserialize") {
        Text::new("JSON 对象 {…}", "a JSON object {…}")
    } else if expected == "a sequence" {
        Text::new("数组 […]", "an array […]")
    } else if expected == "a map" {
        Text::new("对象 {…}", "an object {…}")
    } else {
        crate::geodata::fault::same(expected)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn many_problems_of_a_kind_make_one_line_with_a_count_and_examples_in_each_language() {
        let mut problems = Problems::default();
        for index in 0..1203 {
            problems.feature(
                index,
                Some(format!("{}", 5000 + index)),
                index + 2,
                Fault::ShortPosition,
                Text::new("第 2 行第 111 列", "line 2, column 111"),
            );
        }
        problems.feature(
            7,
            None,
            9,
            Fault::RingNotClosed,
            Text::new("环 0 未闭合", "ring 0 is not closed"),
        );
        let lines = problems.lines(Lang::En);
        assert_eq!(lines.len(), 2);
        assert_eq!(
            lines[0],
            "1 203 features: a position has fewer than two numbers — first: feature 0 (id 5000, line 2); feature 1 (id 5001, line 3); feature 2 (id 5002, line 4), … (line 2, column 111)"
        );
        assert_eq!(
            lines[1],
            "feature 7 (line 9): a ring does not end where it starts — ring 0 is not closed"
        );
        let lines = problems.lines(Lang::Zh);
        assert_eq!(
            lines[0],
            "1 203 个要素：坐标位置少于两个数 — 首例：要素 0（id 5000，第 2 行）；要素 1（id 5001，第 3 行）；要素 2（id 5002，第 4 行），…（第 2 行第 111 列）"
        );
        assert_eq!(
            lines[1],
            "要素 7（第 9 行）：环的终点不是起点（未闭合） — 环 0 未闭合"
        );
        assert_eq!(problems.feature_count(), 1204);
        let (line, every) = &problems.grouped()[1];
        assert_eq!(line.zh, lines[1]);
        assert_eq!(every.len(), 1);
    }

    /// A table's rows are named by row, and the user's words (an id, a value) are never
    /// translated: an id `pipeline 2 row 3 feature` stays as it is in Chinese.
    #[test]
    fn rows_are_named_by_row_and_the_users_words_stay_theirs() {
        let mut problems = Problems::for_rows();
        problems.feature(0, None, 3, Fault::CoordinatesMissing, Text::default());
        problems.feature(1, None, 5, Fault::CoordinatesMissing, Text::default());
        assert_eq!(
            problems.lines(Lang::Zh)[0],
            "2 行：缺少坐标 — 首例：第 3 行；第 5 行"
        );
        assert_eq!(
            problems.lines(Lang::En)[0],
            "2 rows: coordinates missing — first: row 3; row 5"
        );
        let mut problems = Problems::default();
        let id = "pipeline 2 row 3 feature";
        problems.feature(
            0,
            Some(id.into()),
            2,
            Fault::NotLonLat,
            crate::geodata::fault::same("[1e6, 2]"),
        );
        let zh = &problems.lines(Lang::Zh)[0];
        assert!(zh.contains(id) && zh.contains("[1e6, 2]"), "{zh}");
    }

    #[test]
    fn json_errors_name_the_line_and_column_in_characters_and_no_rust_types() {
        let text = "{\"名\": \"重庆\",\n  \"x\": [1, 2,, 3]}";
        let error = serde_json::from_str::<serde_json::Value>(text).expect_err("bad");
        let message = json_error(&error, text, 0);
        assert!(message.en.starts_with("line 2, column 14"), "{message:?}");
        assert!(message.zh.starts_with("第 2 行第 14 列"), "{message:?}");
        let error = serde_json::from_str::<Vec<f64>>("{}").expect_err("not an array");
        assert_eq!(
            json_error(&error, "{}", 0),
            Text::new(
                "第 1 行第 1 列：应为 数组 […]，实为 map",
                "line 1, column 1: expected an array […], found map"
            )
        );
    }

    #[test]
    fn long_text_is_shortened_for_display() {
        assert_eq!(shorten("abcdef", 4), "abc…");
        assert_eq!(shorten("重庆", 4), "重庆");
        assert_eq!(thousands(100000), "100 000");
    }
}
