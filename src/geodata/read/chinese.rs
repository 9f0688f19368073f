//! The readers' messages in Chinese, for the window in Chinese: the frame ("feature 17 (id
//! 5001, line 233)", "1 203 features: … — first: …") and the phrases the readers use are
//! translated; a file's or a library's own words, where they appear, stay as they are. The
//! user's words are never touched: the file's path is kept apart ([`DataError::in_language`]),
//! text in backticks (a field's name, a value) is left as it is, and the frame's words are
//! whole words only ("pipeline 2.csv" is not "pipe第 2 行.csv").
//!
//! Problems that are values ([`crate::geodata::Problem`]) are said in Chinese by their own
//! words, not here; the phrases here go as their readers move there.
//!
//! [`DataError::in_language`]: crate::geodata::DataError::in_language

/// Phrases, longest first where one contains another.
const PHRASES: [(&str, &str); 49] = [
    (
        "is not a number of seconds from 0 to 3600",
        "不是 0 到 3600 之间的秒数",
    ),
    (
        "is not [west, south, east, north] in degrees of longitude and latitude",
        "不是以经纬度表示的 [西, 南, 东, 北]",
    ),
    (
        "a tour needs at least one [[stop]]",
        "导览至少需要一个 [[stop]]",
    ),
    (
        "a tour has at most 1000 stops; this one has ",
        "导览最多 1000 站；此导览有 ",
    ),
    (": split it into several tours", "：请拆分为几个导览"),
    (
        "the layer loaded, but lies far from Sichuan and Chongqing",
        "图层已载入，但远离川渝地区",
    ),
    (
        "is it the right file, with longitude before latitude?",
        "文件是否正确，是否经度在前、纬度在后？",
    ),
    ("stop ", "第 "),
    (" (the features loaded)", "（这些要素已载入）"),
    (" — first: ", " — 首例："),
    (
        "a position has fewer than two numbers",
        "坐标位置少于两个数",
    ),
    (
        "a position is not a longitude/latitude",
        "坐标位置不是经纬度",
    ),
    ("a coordinate is not a number", "坐标不是数字"),
    ("a coordinate is too large a number", "坐标数值过大"),
    ("a feature has an unknown type", "要素的类型未知"),
    ("a feature has no type", "要素没有 type"),
    ("a feature is not valid JSON", "要素不是有效的 JSON"),
    ("a geometry has an unknown type", "几何类型未知"),
    ("a geometry has no coordinates", "几何没有坐标"),
    ("a line has a single position", "线只有一个坐标位置"),
    (
        "a ring does not end where it starts",
        "环的终点不是起点（未闭合）",
    ),
    ("a record is not GeoJSON", "记录不是 GeoJSON"),
    ("a record is not valid JSON", "记录不是有效的 JSON"),
    ("a member has the wrong kind of value", "成员的值类型不对"),
    (
        "coordinates are not nested as the geometry type says",
        "坐标的嵌套层数与几何类型不符",
    ),
    ("geometry collections nest too deeply", "几何集合嵌套过深"),
    ("arrays nest too deeply", "数组嵌套过深"),
    ("properties are not an object", "properties 不是对象"),
    (
        "rings of fewer than four positions were left out",
        "少于四个位置的环已略去",
    ),
    (
        "it has no geometry (null): this layer draws every feature",
        "没有几何（null）：本图层的要素都需要位置",
    ),
    ("is missing or not a distance", "缺失或不是距离"),
    ("is missing", "缺失"),
    ("property ", "属性 "),
    ("file is missing", "文件不存在"),
    (
        "is not a regular file (a folder, a pipe or a device): refused",
        "不是普通文件（文件夹、管道或设备），已拒绝",
    ),
    (
        "the text ends before the JSON is complete (a bracket, brace or quote is not closed)",
        "JSON 未完整就结束了（有括号或引号未闭合）",
    ),
    (
        "brackets nest too deeply (more than 128 levels)",
        "括号嵌套过深（超过 128 层）",
    ),
    (
        "there is more text after the end of the JSON",
        "JSON 结束后还有多余的文字",
    ),
    ("expected a comma or ]", "此处应为逗号或 ]"),
    ("expected a comma or }", "此处应为逗号或 }"),
    (
        "a string is not closed on its line (a quote is missing)",
        "字符串在本行未闭合（缺少引号）",
    ),
    ("save it as UTF-8", "请另存为 UTF-8"),
    (
        "the text is neither UTF-8, UTF-16 nor GBK",
        "文字既不是 UTF-8、UTF-16，也不是 GBK",
    ),
    (
        "is outside longitude −180‥180 / latitude −90‥90",
        "超出经度 −180‥180 / 纬度 −90‥90",
    ),
    (
        "coordinates in metres (a projected system) must be converted to WGS-84 degrees",
        "以米为单位的坐标（投影坐标系）需先转换为 WGS-84 经纬度",
    ),
    ("cannot read: ", "无法读取："),
    ("features: ", "个要素："),
    ("ring ", "环 "),
    (" is not closed", " 未闭合"),
];

/// The user-layer readers' phrases (tables, KML, Shapefiles), longest first where one contains
/// another.
const LAYER_PHRASES: [(&str, &str); 33] = [
    (
        " (the columns' names say the other way round, their values this way)",
        "（列名与此相反，按数值判断已对调）",
    ),
    ("longitude from column ", "经度取自列 "),
    (", latitude from ", "，纬度取自 "),
    ("geometry from column ", "几何取自列 "),
    (" (WKT)", "（WKT）"),
    (" (the column ", "（列 "),
    ("` says so)", "` 如此标明）"),
    ("coordinates in ", "坐标系为 "),
    ("fields separated by tabs", "字段以制表符分隔"),
    ("fields separated by semicolons", "字段以分号分隔"),
    ("fields separated by bars", "字段以竖线分隔"),
    ("read as ", "按此编码读取："),
    ("fields read as ", "字段编码："),
    (" (its .cpg)", "（据 .cpg）"),
    (" (its language byte)", "（据语言标记）"),
    (" (they are not UTF-8)", "（非 UTF-8）"),
    ("reprojected from ", "已从 "),
    (" to WGS-84", " 转换为 WGS-84"),
    ("coordinates missing", "缺少坐标"),
    ("coordinates are not numbers", "坐标不是数字"),
    ("coordinates out of range", "坐标超出范围"),
    ("geometry is not WKT", "几何不是 WKT"),
    ("geometry missing", "缺少几何"),
    ("its geometry cannot be read", "几何无法读取"),
    ("its shape cannot be read", "形状无法读取"),
    ("has no feature with a position", "没有带位置的要素"),
    (
        "features without a geometry are not drawn",
        "个无几何的要素未绘制",
    ),
    (
        "placemarks without a geometry are not drawn",
        "个无几何的地标未绘制",
    ),
    (" rows: ", " 行："),
    ("; row ", "；row "),
    (
        "records without a shape are not drawn",
        "条无形状的记录未绘制",
    ),
    (
        "records marked deleted in the .dbf are not drawn",
        "条在 .dbf 中标记为删除的记录未绘制",
    ),
    (
        "values of the .dbf are not of their field's type and are left empty",
        "个 .dbf 值与其字段类型不符，已留空",
    ),
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
    let mut phrases: Vec<&(&str, &str)> = PHRASES.iter().chain(&LAYER_PHRASES).collect();
    phrases.sort_by_key(|(english, _)| std::cmp::Reverse(english.len()));
    for (english, chinese) in phrases {
        if text.contains(english) {
            text = replace_words(&text, english, chinese);
        }
    }
    positions(&rows(&text))
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

/// "row 12" → "第 12 行".
fn rows(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("row ") {
        out.push_str(&rest[..at]);
        let whole = starts_word(&out, out.len());
        let after = &rest[at + 4..];
        let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
        if digits.is_empty() || !whole {
            out.push_str("row ");
            rest = after;
        } else {
            out.push_str(&format!("第 {digits} 行"));
            rest = &after[digits.len()..];
        }
    }
    out.push_str(rest);
    out
}

/// "feature 17 (id 5001, line 233)" → "要素 17（id 5001，第 233 行）"; "line 4, column 9" →
/// "第 4 行第 9 列".
fn positions(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("line ") {
        out.push_str(&rest[..at]);
        let whole = starts_word(&out, out.len());
        let after = &rest[at + 5..];
        let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
        if digits.is_empty() || !whole {
            out.push_str("line ");
            rest = after;
            continue;
        }
        let after = &after[digits.len()..];
        if let Some(column) = after.strip_prefix(", column ") {
            let column_digits: String = column.chars().take_while(char::is_ascii_digit).collect();
            out.push_str(&format!("第 {digits} 行第 {column_digits} 列"));
            rest = &column[column_digits.len()..];
        } else {
            out.push_str(&format!("第 {digits} 行"));
            rest = after;
        }
    }
    out.push_str(rest);
    replace_words(&out, "feature ", "要素 ")
        .replace(" (id ", "（id ")
        .replace(" (第", "（第")
        .replace(", 第", "，第")
        .replace("行)", "行）")
        .replace("; 要素", "；要素")
        .replace(", …", "，…")
        .replace("列)", "列）")
        .replace("）: ", "）：")
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
        assert_eq!(chinese("first: row 3; row 5"), "first: 第 3 行；第 5 行");
    }

    #[test]
    fn grouped_problems_read_in_chinese() {
        assert_eq!(
            chinese(
                "1 203 features: a position has fewer than two numbers — first: feature 0 (id b0, line 2); feature 1 (id b1, line 3), … (line 2, column 111)"
            ),
            "1 203 个要素：坐标位置少于两个数 — 首例：要素 0（id b0，第 2 行）；要素 1（id b1，第 3 行），…（第 2 行第 111 列）"
        );
        assert_eq!(chinese("a.csv: file is missing"), "a.csv: 文件不存在");
        assert_eq!(
            chinese("t.csv: 2 rows: coordinates missing — first: row 3; row 5"),
            "t.csv: 2 行：缺少坐标 — 首例：第 3 行；第 5 行"
        );
        assert_eq!(
            chinese(
                "feature 7 (line 9): a ring does not end where it starts — ring 0 is not closed"
            ),
            "要素 7（第 9 行）：环的终点不是起点（未闭合） — 环 0 未闭合"
        );
    }
}
