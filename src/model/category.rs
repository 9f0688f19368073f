//! The kinds of platform the sources name, with their names in both languages. Their colours
//! are in the style table (`render::style`).

use super::Text;

/// Platform categories: the key used in `platforms.geojson`, then the Chinese and English names.
pub const PLATFORM_CATEGORIES: [(&str, &str, &str); 9] = [
    ("university", "高校", "University"),
    ("big-science facility", "大科学装置", "Big-science facility"),
    ("laboratory", "实验室", "Laboratory"),
    ("research institute", "研究院所", "Research institute"),
    ("innovation centre", "创新中心", "Innovation centre"),
    ("industrial park", "产业园区", "Industrial park"),
    ("enterprise", "企业", "Enterprise"),
    ("incubator", "孵化器", "Incubator"),
    ("service platform", "服务平台", "Service platform"),
];

/// Whether `key` is a known category.
pub fn is_category(key: &str) -> bool {
    PLATFORM_CATEGORIES.iter().any(|(known, ..)| *known == key)
}

/// The name of a category; an unknown one is named by its key.
pub fn category_name(key: &str) -> Text {
    PLATFORM_CATEGORIES
        .iter()
        .find(|(known, ..)| *known == key)
        .map_or_else(|| Text::new(key, key), |(_, zh, en)| Text::new(*zh, *en))
}
