//! Search on the real data: Chinese, pinyin, English, and through industries.

use chengyu_atlas::model::Lang;
use chengyu_atlas::search::{Search, Target, describe};

fn names(query: &str) -> Vec<String> {
    let atlas = crate::common::atlas();
    let search = Search::new(atlas);
    search
        .find(atlas, query, 20)
        .iter()
        .map(|hit| describe(hit, Lang::Zh))
        .collect()
}

#[test]
fn searching_for_sensors_finds_the_beibei_district() {
    let found = names("传感器");
    assert!(
        found.iter().any(|name| name.starts_with("北碚片区")),
        "{found:?}"
    );
    assert!(
        found
            .iter()
            .any(|name| name.starts_with("智能传感器 · 产业")),
        "{found:?}"
    );
    assert!(
        found
            .iter()
            .any(|name| name.starts_with("重庆智能传感器产业园")),
        "{found:?}"
    );
}

#[test]
fn pinyin_full_initials_and_english_find_the_same_zone() {
    for query in ["beibei", "bbpq", "Beibei Area", "北碚片区"] {
        let found = names(query);
        assert!(
            found
                .first()
                .is_some_and(|name| name.starts_with("北碚片区")),
            "{query}: {found:?}"
        );
    }
}

#[test]
fn a_polyphonic_name_is_found_by_its_place_reading() {
    let found = names("chongqingdaxue");
    assert!(
        found
            .first()
            .is_some_and(|name| name.starts_with("重庆大学")),
        "{found:?}"
    );
}

#[test]
fn an_exact_name_outranks_a_partial_one() {
    let atlas = crate::common::atlas();
    let search = Search::new(atlas);
    let hits = search.find(atlas, "核心区", 5);
    let (core, _) = atlas.find("core").expect("core");
    assert_eq!(
        hits.first().map(|hit| &hit.target),
        Some(&Target::Feature(core)),
        "{hits:?}"
    );
    assert!(search.find(atlas, "   ", 5).is_empty());
    assert!(search.find(atlas, "zzzzqqqq", 5).is_empty());
}
