//! One search over zones, platforms, parks and industries: by Chinese text, by pinyin (full or
//! initials, every reading of a polyphonic character: 重庆 is "chongqing" or "zhongqing") and
//! by English name. Results are ranked; zones are also found through their industries.

use pinyin::ToPinyinMulti;

use crate::model::{Atlas, FeatureRef, Lang, LayerId, Text};

/// What a search result points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Feature(FeatureRef),
    Industry(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct SearchHit {
    pub target: Target,
    pub name: Text,
    /// What kind of thing it is ("核心区", "高校", "产业"…).
    pub kind: Text,
    /// Why it matched when not by its own name: the industry it has.
    pub via: Option<Text>,
    pub score: u32,
}

struct Entry {
    target: Target,
    name: Text,
    kind: Text,
    /// Lower-case English name.
    en: String,
    /// Readings of each character of the Chinese name (lower case, no tones); non-Chinese
    /// characters stand for themselves.
    syllables: Vec<Vec<String>>,
    /// Industries the entry has, for zones and platforms.
    industries: Vec<String>,
    /// Tie-break: zones before industries before platforms.
    priority: u32,
    /// A user's feature's other text fields, lower case, one per line: found by what they
    /// contain (an address, a category, a project's description).
    fields: String,
}

/// The search index over one atlas, built once.
pub struct Search {
    entries: Vec<Entry>,
    /// The user's big layers (more than the aggregation threshold), with their titles: their
    /// features are found by their names as written, scanned at each query, so that a layer
    /// of a million points costs the window no index (it cost 2.4 s a change).
    big: Vec<(LayerId, Text)>,
}

fn readings(text: &str) -> Vec<Vec<String>> {
    text.chars()
        .zip(text.to_pinyin_multi())
        .map(|(ch, multi)| match multi {
            Some(multi) => {
                let mut all: Vec<String> =
                    multi.into_iter().map(|p| p.plain().to_string()).collect();
                all.dedup();
                all
            }
            None => vec![ch.to_lowercase().collect()],
        })
        .collect()
}

fn is_chinese(text: &str) -> bool {
    text.chars().any(|c| ('\u{3400}'..='\u{9fff}').contains(&c))
}

/// Whether `query` spells syllables starting at some character: full pinyin ("beibei",
/// "chongqing"; the last syllable may be cut short) or initials ("bb", "cq").
fn pinyin_position(query: &str, syllables: &[Vec<String>]) -> Option<usize> {
    (0..syllables.len())
        .find(|&start| spells(query, &syllables[start..]) || initials(query, &syllables[start..]))
}

fn spells(query: &str, syllables: &[Vec<String>]) -> bool {
    if query.is_empty() {
        return true;
    }
    let Some((first, rest)) = syllables.split_first() else {
        return false;
    };
    first.iter().any(|syllable| {
        if let Some(remaining) = query.strip_prefix(syllable.as_str()) {
            spells(remaining, rest)
        } else {
            // The query ends inside this syllable.
            syllable.starts_with(query)
        }
    })
}

fn initials(query: &str, syllables: &[Vec<String>]) -> bool {
    query.len() >= 2
        && query.chars().count() <= syllables.len()
        && query
            .chars()
            .zip(syllables)
            .all(|(letter, readings)| readings.iter().any(|reading| reading.starts_with(letter)))
}

/// [`text_score`] with ASCII letters in any case, without making the name lower case.
fn ascii_score(name: &str, lower: &str) -> Option<u32> {
    let (name, wanted) = (name.as_bytes(), lower.as_bytes());
    if wanted.is_empty() || wanted.len() > name.len() {
        return None;
    }
    if name.eq_ignore_ascii_case(wanted) {
        Some(100)
    } else if name[..wanted.len()].eq_ignore_ascii_case(wanted) {
        Some(90)
    } else if name
        .windows(wanted.len())
        .any(|window| window.eq_ignore_ascii_case(wanted))
    {
        Some(70)
    } else {
        None
    }
}

/// How well a name matches: exact > prefix > contains; `None` if it does not.
fn text_score(name: &str, query: &str) -> Option<u32> {
    if name == query {
        Some(100)
    } else if name.starts_with(query) {
        Some(90)
    } else if name.contains(query) {
        Some(70)
    } else {
        None
    }
}

impl Search {
    pub fn new(atlas: &Atlas) -> Self {
        let mut entries = Vec::new();
        let big_layers: Vec<LayerId> = atlas
            .layers()
            .iter()
            .filter(|l| {
                l.user.is_some() && l.features.len() > crate::index::clusters::AGGREGATE_ABOVE
            })
            .map(|l| l.id)
            .collect();
        // A big layer of the user's is scanned at each query (see `big`).
        let indexed = atlas
            .features()
            .filter(|(at, _)| !big_layers.contains(&at.layer));
        for (feature_ref, feature) in indexed {
            let (kind, priority, industries) = match (&feature.kind, feature_ref.layer) {
                (crate::model::FeatureKind::Zone(_), layer) => (
                    layer.title(),
                    0,
                    atlas
                        .content()
                        .zone_industries(&feature.id)
                        .into_iter()
                        .map(str::to_string)
                        .collect(),
                ),
                (crate::model::FeatureKind::Platform(platform), _) => (
                    crate::model::category::category_name(&platform.category),
                    2,
                    platform.industries.clone(),
                ),
                (
                    crate::model::FeatureKind::Admin { .. },
                    LayerId::Counties | LayerId::Prefectures,
                ) => (Text::new("行政区", "Administrative unit"), 3, Vec::new()),
                // A user's feature is found by its name, and said to be of its layer.
                (crate::model::FeatureKind::User(_), layer) => {
                    (atlas.layer_title(layer), 4, Vec::new())
                }
                _ => continue,
            };
            let fields = feature
                .user()
                .map(|user| {
                    user.values
                        .iter()
                        .filter(|v| !v.is_empty() && v.parse::<f64>().is_err())
                        .map(|v| v.to_lowercase())
                        .collect::<Vec<_>>()
                        .join("\n")
                })
                .unwrap_or_default();
            entries.push(Entry {
                fields,
                target: Target::Feature(feature_ref),
                en: feature.name.get(Lang::En).to_lowercase(),
                syllables: readings(&feature.name.zh),
                name: feature.name.clone(),
                kind,
                industries,
                priority,
            });
        }
        for industry in &atlas.content().industries {
            entries.push(Entry {
                target: Target::Industry(industry.id.clone()),
                en: industry.en.to_lowercase(),
                syllables: readings(&industry.zh),
                name: industry.name(),
                kind: Text::new("产业", "Industry"),
                industries: Vec::new(),
                priority: 1,
                fields: String::new(),
            });
        }
        let big = big_layers
            .into_iter()
            .map(|id| (id, atlas.layer_title(id)))
            .collect();
        Self { entries, big }
    }

    /// Ranked results for `query`, best first, at most `limit`.
    pub fn find(&self, atlas: &Atlas, query: &str, limit: usize) -> Vec<SearchHit> {
        let query = query.trim();
        if query.is_empty() {
            return Vec::new();
        }
        let lower = query.to_lowercase();
        let compact: String = lower
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '\'')
            .collect();
        let chinese = is_chinese(query);
        // Industries whose name matches: zones and platforms that have them match too.
        let matching_industries: Vec<&crate::model::content::Industry> = atlas
            .content()
            .industries
            .iter()
            .filter(|industry| {
                self.name_score(
                    &industry.zh,
                    &industry.en.to_lowercase(),
                    &readings(&industry.zh),
                    query,
                    &lower,
                    &compact,
                    chinese,
                )
                .is_some()
            })
            .collect();
        let mut hits: Vec<(u32, u32, usize, SearchHit)> = Vec::new();
        for entry in &self.entries {
            let own = self.name_score(
                &entry.name.zh,
                &entry.en,
                &entry.syllables,
                query,
                &lower,
                &compact,
                chinese,
            );
            let via = if own.is_none() {
                matching_industries
                    .iter()
                    .find(|industry| atlas.content().covers(&entry.industries, &industry.id))
                    .map(|industry| industry.name())
            } else {
                None
            };
            // A user's feature found by another of its fields ranks below names and industries.
            let in_fields = own.is_none()
                && via.is_none()
                && !entry.fields.is_empty()
                && entry.fields.contains(&lower);
            let score = match (own, &via) {
                (Some(score), _) => score,
                (None, Some(_)) => 40,
                (None, None) if in_fields => 30,
                (None, None) => continue,
            };
            hits.push((
                score,
                entry.priority,
                entry.name.zh.chars().count(),
                SearchHit {
                    target: entry.target.clone(),
                    name: entry.name.clone(),
                    kind: entry.kind.clone(),
                    via,
                    score,
                },
            ));
        }
        self.find_in_big_layers(atlas, query, &lower, limit, &mut hits);
        hits.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
        hits.into_iter()
            .take(limit)
            .map(|(_, _, _, hit)| hit)
            .collect()
    }

    /// The big layers' features whose names (as written; Latin letters in any case) equal,
    /// start with or contain the query: at most `limit` of each of the three, in the layer's
    /// order.
    fn find_in_big_layers(
        &self,
        atlas: &Atlas,
        query: &str,
        lower: &str,
        limit: usize,
        hits: &mut Vec<(u32, u32, usize, SearchHit)>,
    ) {
        for (layer, kind) in &self.big {
            let Some(features) = atlas.layer(*layer).map(|l| &l.features) else {
                continue;
            };
            let mut taken = [0usize; 3];
            for index in 0..features.len() {
                let Some(name) = features.name(index) else {
                    continue;
                };
                let name = name.as_ref();
                let Some(score) = text_score(name, query).or_else(|| ascii_score(name, lower))
                else {
                    continue;
                };
                let level = match score {
                    100 => 0,
                    90 => 1,
                    _ => 2,
                };
                if taken[level] >= limit {
                    continue;
                }
                taken[level] += 1;
                hits.push((
                    score,
                    4,
                    name.chars().count(),
                    SearchHit {
                        target: Target::Feature(FeatureRef {
                            layer: *layer,
                            index: index as u32,
                        }),
                        name: Text::new(name, String::new()),
                        kind: kind.clone(),
                        via: None,
                        score,
                    },
                ));
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn name_score(
        &self,
        zh: &str,
        en: &str,
        syllables: &[Vec<String>],
        query: &str,
        lower: &str,
        compact: &str,
        chinese: bool,
    ) -> Option<u32> {
        if chinese {
            return text_score(zh, query);
        }
        let english = text_score(en, lower).or_else(|| {
            en.split(|c: char| !c.is_alphanumeric())
                .any(|word| word.starts_with(lower))
                .then_some(75)
        });
        let pinyin =
            pinyin_position(compact, syllables).map(|start| if start == 0 { 85 } else { 65 });
        english.max(pinyin)
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// The label of a hit in a result list: "北碚片区 · 科学城五区".
pub fn describe(hit: &SearchHit, lang: Lang) -> String {
    match &hit.via {
        Some(via) => format!(
            "{} · {} ({})",
            hit.name.get(lang),
            hit.kind.get(lang),
            via.get(lang)
        ),
        None => format!("{} · {}", hit.name.get(lang), hit.kind.get(lang)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn syllables(text: &str) -> Vec<Vec<String>> {
        readings(text)
    }

    #[test]
    fn full_pinyin_initials_and_polyphones_match() {
        let chongqing = syllables("重庆");
        assert_eq!(pinyin_position("chongqing", &chongqing), Some(0));
        assert_eq!(pinyin_position("cq", &chongqing), Some(0));
        assert_eq!(
            pinyin_position("chongq", &chongqing),
            Some(0),
            "the last syllable may be cut short"
        );
        let beibei = syllables("北碚片区");
        assert_eq!(pinyin_position("beibei", &beibei), Some(0));
        assert_eq!(pinyin_position("bbpq", &beibei), Some(0));
        assert_eq!(pinyin_position("pianqu", &beibei), Some(2));
        assert_eq!(pinyin_position("shapingba", &beibei), None);
    }
}
