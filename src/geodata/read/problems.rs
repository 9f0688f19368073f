//! What is wrong with a file's features, grouped by kind with a count and the first few
//! examples, so that 100 000 bad features make one line, not 100 000; and JSON errors told as
//! a person would: line and column (in characters), what was expected, what was found.

use std::collections::BTreeMap;

/// How many examples a group names.
const EXAMPLES: usize = 3;

/// One feature that could not be read.
#[derive(Debug, Clone, PartialEq)]
pub struct FeatureProblem {
    pub index: usize,
    pub id: Option<String>,
    pub line: usize,
    pub detail: String,
}

/// The problems of a file's features, by kind, in the order the kinds were first met.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Problems {
    kinds: Vec<String>,
    by_kind: BTreeMap<String, Vec<FeatureProblem>>,
    totals: BTreeMap<String, usize>,
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
        kind: impl Into<String>,
        detail: String,
    ) {
        let kind = kind.into();
        if !self.by_kind.contains_key(&kind) {
            self.kinds.push(kind.clone());
        }
        let group = self.by_kind.entry(kind.clone()).or_default();
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
        *self.totals.entry(kind).or_default() += 1;
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

    /// One line per kind: the count, the kind, and the first examples.
    pub fn lines(&self, _origin: &str) -> Vec<String> {
        self.kinds
            .iter()
            .map(|kind| {
                let group = &self.by_kind[kind.as_str()];
                let total = self.total_of(kind);
                let examples: Vec<String> = group
                    .iter()
                    .take(EXAMPLES)
                    .map(|p| example(p, self.rows))
                    .collect();
                if total == 1 {
                    format!("{}: {}", examples[0], said(kind, &group[0].detail))
                } else {
                    let more = if total > EXAMPLES { ", …" } else { "" };
                    let detail = if group[0].detail.is_empty() {
                        String::new()
                    } else {
                        format!(" ({})", group[0].detail)
                    };
                    format!(
                        "{} {}: {kind} — first: {}{more}{detail}",
                        thousands(total),
                        if self.rows { "rows" } else { "features" },
                        examples.join("; "),
                    )
                }
            })
            .collect()
    }

    /// Each kind's line (see [`lines`](Self::lines)) with every problem of that kind, one
    /// line each (those kept: the first thousand), for the full list in the window.
    pub fn grouped(&self) -> Vec<(String, Vec<String>)> {
        self.lines("")
            .into_iter()
            .zip(&self.kinds)
            .map(|(line, kind)| {
                let every = self.by_kind[kind.as_str()]
                    .iter()
                    .map(|p| format!("{}: {}", example(p, self.rows), said(kind, &p.detail)))
                    .collect();
                (line, every)
            })
            .collect()
    }

    /// How many features had this kind of problem (the stored examples may be fewer).
    fn total_of(&self, kind: &str) -> usize {
        self.totals.get(kind).copied().unwrap_or(0)
    }
}

/// A kind and its particulars, when there are any.
fn said(kind: &str, detail: &str) -> String {
    if detail.is_empty() {
        kind.to_string()
    } else {
        format!("{kind} — {detail}")
    }
}

fn example(problem: &FeatureProblem, rows: bool) -> String {
    if rows {
        return format!("row {}", problem.line);
    }
    match &problem.id {
        Some(id) => format!(
            "feature {} (id {}, line {})",
            problem.index,
            shorten(id, 40),
            problem.line
        ),
        None => format!("feature {} (line {})", problem.index, problem.line),
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
pub fn json_error(error: &serde_json::Error, text: &str, offset: usize) -> String {
    let (line, column) = json_position(error, text, offset);
    format!("line {line}, column {column}: {}", plain(error))
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

/// serde's message in the user's words: no Rust types, what was expected and what was found.
pub fn plain(error: &serde_json::Error) -> String {
    let message = error.to_string();
    // serde_json appends " at line L column C"; the position is said before.
    let message = message
        .rsplit_once(" at line ")
        .map_or(message.as_str(), |(m, _)| m)
        .to_string();
    if let Some(rest) = message.strip_prefix("invalid type: ")
        && let Some((found, expected)) = rest.split_once(", expected ")
    {
        return format!("expected {}, found {found}", readable(expected));
    }
    if message.starts_with("EOF while parsing") {
        return "the text ends before the JSON is complete (a bracket, brace or quote is not closed)"
            .into();
    }
    if message.starts_with("recursion limit exceeded") {
        return "brackets nest too deeply (more than 128 levels)".into();
    }
    if message.starts_with("trailing characters") {
        return "there is more text after the end of the JSON".into();
    }
    if message.contains("lone leading surrogate")
        || message.contains("unexpected end of hex escape")
    {
        return "a \\u escape in a string is not a whole character (a lone surrogate)".into();
    }
    if message.starts_with("expected value") {
        return "expected a value (a number, text in quotes, true, false, null, [ or {)".into();
    }
    if message.starts_with("missing field") {
        return message.replace("missing field", "a member is missing:");
    }
    message
        .replace("expected `,` or `]`", "expected a comma or ]")
        .replace("expected `,` or `}`", "expected a comma or }")
        .replace(
            "key must be a string",
            "a member's name must be text in quotes",
        )
}

/// serde's "expected" in plain words.
fn readable(expected: &str) -> String {
    if expected.starts_with("struct ") || expected.contains("Deserialize") {
        "a JSON object {…}".into()
    } else if expected == "a sequence" {
        "an array […]".into()
    } else if expected == "a map" {
        "an object {…}".into()
    } else {
        expected.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn many_problems_of_a_kind_make_one_line_with_a_count_and_examples() {
        let mut problems = Problems::default();
        for index in 0..1203 {
            problems.feature(
                index,
                Some(format!("{}", 5000 + index)),
                index + 2,
                "a position has fewer than two numbers",
                "line …".into(),
            );
        }
        problems.feature(
            7,
            None,
            9,
            "a ring does not end where it starts",
            "ring 0".into(),
        );
        let lines = problems.lines("f");
        assert_eq!(lines.len(), 2);
        assert!(lines[0].starts_with("1 203 features: a position has fewer than two numbers — first: feature 0 (id 5000, line 2); feature 1"), "{}", lines[0]);
        assert!(
            lines[1].starts_with("feature 7 (line 9): a ring does not end"),
            "{}",
            lines[1]
        );
        assert_eq!(problems.feature_count(), 1204);
    }

    #[test]
    fn json_errors_name_the_line_and_column_in_characters_and_no_rust_types() {
        let text = "{\"名\": \"重庆\",\n  \"x\": [1, 2,, 3]}";
        let error = serde_json::from_str::<serde_json::Value>(text).expect_err("bad");
        let message = json_error(&error, text, 0);
        assert!(message.starts_with("line 2, column 14"), "{message}");
        let error = serde_json::from_str::<Vec<f64>>("{}").expect_err("not an array");
        assert_eq!(
            json_error(&error, "{}", 0),
            "line 1, column 1: expected an array […], found map"
        );
    }

    #[test]
    fn long_text_is_shortened_for_display() {
        assert_eq!(shorten("abcdef", 4), "abc…");
        assert_eq!(shorten("重庆", 4), "重庆");
        assert_eq!(thousands(100000), "100 000");
    }
}
