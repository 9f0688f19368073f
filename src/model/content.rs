//! Panel content: sourced facts about zones, the industry vocabulary, cooperation links.
//! Read from `geodata/content.toml`; every fact names its source.

use serde::Deserialize;

use super::{Lang, Text};

/// Where a fact comes from: a seed article or a data note.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Source {
    pub id: String,
    pub file: String,
    /// The outlet that published it ("重庆日报").
    pub outlet: String,
    /// Who reposted it, where the copy read is a repost ("重庆大学新闻网转载").
    #[serde(default)]
    pub via: Option<String>,
    pub title: String,
    pub date: String,
    #[serde(default)]
    pub note: String,
    /// The outlet's English name (with the Chinese in brackets where it has no established
    /// one), and the repost in English. The articles keep their own Chinese titles in both
    /// languages.
    #[serde(default)]
    pub outlet_en: Option<String>,
    #[serde(default)]
    pub via_en: Option<String>,
    #[serde(default)]
    pub title_en: Option<String>,
    /// A repository's file: the commit cited, and the file's licence where it has one.
    #[serde(default)]
    pub commit: Option<String>,
    #[serde(default)]
    pub licence: Option<String>,
}

impl Source {
    /// The outlet, with the repost in brackets: "重庆日报（重庆大学新闻网转载）", "Chongqing Daily
    /// (reposted by Chongqing University News)".
    pub fn outlet(&self, lang: Lang) -> String {
        let via = match lang {
            Lang::En => self.via_en.as_ref().or(self.via.as_ref()),
            Lang::Zh => self.via.as_ref(),
        };
        match via {
            Some(via) => format!(
                "{}{}{via}{}",
                self.short_outlet(lang),
                lang.pick("（", " ("),
                lang.pick("）", ")")
            ),
            None => self.short_outlet(lang).to_string(),
        }
    }

    pub fn title(&self, lang: Lang) -> &str {
        match (lang, &self.title_en) {
            (Lang::En, Some(title)) => title,
            _ => &self.title,
        }
    }

    /// The outlet alone, without the repost: "重庆日报", "Chongqing Daily".
    pub fn short_outlet(&self, lang: Lang) -> &str {
        match (lang, &self.outlet_en) {
            (Lang::En, Some(outlet)) => outlet,
            _ => &self.outlet,
        }
    }

    /// Outlet, title and date, as a reader cites an article, in the punctuation of `lang`:
    /// "重庆日报（…转载），《…》，2021-05" or "重庆日报（…）, “…”, 2021-05" (the seed's file name is
    /// the project's own bookkeeping, not a reference).
    /// A repository's file is cited with its path and commit ("…, univ_supp.json @ af652201").
    pub fn citation(&self, lang: Lang) -> String {
        let cited = match lang {
            Lang::Zh => format!(
                "{}，《{}》，{}",
                self.outlet(lang),
                self.title(lang),
                self.date
            ),
            Lang::En => format!(
                "{}, “{}”, {}",
                self.outlet(lang),
                self.title(lang),
                self.date
            ),
        };
        match &self.commit {
            Some(commit) => format!(
                "{cited}{}{} @ {}",
                lang.pick("，", ", "),
                self.file,
                &commit[..commit.len().min(8)]
            ),
            None => cited,
        }
    }
}

/// One statement, in both languages, with its source.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Fact {
    pub zh: String,
    pub en: String,
    pub source: String,
    /// The date the statement describes, where it matters (figures).
    #[serde(default)]
    pub as_of: Option<String>,
}

impl Fact {
    pub fn text(&self, lang: Lang) -> &str {
        lang.pick(&self.zh, &self.en)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Industry {
    pub id: String,
    pub zh: String,
    pub en: String,
    /// One of the four leading industries this field belongs to.
    #[serde(default)]
    pub chain: Option<String>,
}

impl Industry {
    pub fn name(&self) -> Text {
        Text::new(self.zh.clone(), self.en.clone())
    }
}

/// A reference to an industry or a platform, with the source that names it for the zone.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Cited {
    pub id: String,
    pub source: String,
}

/// What the panel shows for one zone.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
pub struct ZoneContent {
    pub id: String,
    #[serde(default)]
    pub positioning: Vec<Fact>,
    #[serde(default)]
    pub industries: Vec<Cited>,
    /// Carrier parks (载体): platform ids.
    #[serde(default)]
    pub carriers: Vec<Cited>,
    #[serde(default)]
    pub figures: Vec<Fact>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LinkKind {
    /// Research in the core, production in the district (研发协作 + 产业配套).
    Supporting,
    /// An industry moves from the core to the district (产业转移).
    Transfer,
}

/// Cooperation between two zones in an industry chain.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Link {
    pub from: String,
    pub to: String,
    pub chain: String,
    pub fields: Vec<String>,
    pub kind: LinkKind,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
pub struct Content {
    #[serde(default, rename = "source")]
    pub sources: Vec<Source>,
    #[serde(default, rename = "industry")]
    pub industries: Vec<Industry>,
    #[serde(default, rename = "zone")]
    pub zones: Vec<ZoneContent>,
    #[serde(default, rename = "link")]
    pub links: Vec<Link>,
}

impl Content {
    pub fn source(&self, id: &str) -> Option<&Source> {
        self.sources.iter().find(|source| source.id == id)
    }

    pub fn industry(&self, id: &str) -> Option<&Industry> {
        self.industries.iter().find(|industry| industry.id == id)
    }

    pub fn zone(&self, id: &str) -> Option<&ZoneContent> {
        self.zones.iter().find(|zone| zone.id == id)
    }

    /// Links that start or end at `zone`.
    pub fn links_of<'a>(&'a self, zone: &'a str) -> impl Iterator<Item = &'a Link> + 'a {
        self.links
            .iter()
            .filter(move |link| link.from == zone || link.to == zone)
    }

    /// Every industry id a zone has, including the chains of its fields.
    pub fn zone_industries(&self, zone: &str) -> Vec<&str> {
        let mut ids: Vec<&str> = self
            .zone(zone)
            .map(|content| {
                content
                    .industries
                    .iter()
                    .map(|cited| cited.id.as_str())
                    .collect()
            })
            .unwrap_or_default();
        let chains: Vec<&str> = ids
            .iter()
            .filter_map(|id| self.industry(id)?.chain.as_deref())
            .collect();
        ids.extend(chains);
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    /// Whether `industry` (or a field of it, when it is a chain) is among `ids`.
    pub fn covers(&self, ids: &[String], industry: &str) -> bool {
        ids.iter().any(|id| {
            id == industry || self.industry(id).and_then(|i| i.chain.as_deref()) == Some(industry)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every source is cited by outlet, title and date in the reader's language: never by the
    /// seed's file name, never with Chinese punctuation in English or English in Chinese.
    #[test]
    fn citations_name_outlet_title_and_date_in_one_language() {
        let content: Content =
            toml::from_str(include_str!("../../geodata/content.toml")).expect("content parses");
        assert!(!content.sources.is_empty());
        for source in &content.sources {
            let zh = source.citation(Lang::Zh);
            let en = source.citation(Lang::En);
            for citation in [&zh, &en] {
                // A repository's file is its reference; a seed's file name is not.
                assert_eq!(
                    citation.contains(&source.file),
                    source.commit.is_some(),
                    "{citation}"
                );
                assert!(citation.contains(&source.date), "{citation}");
            }
            // What the citation adds around the outlet and title is in the reader's punctuation.
            let added = en
                .replace(&source.outlet(Lang::En), "")
                .replace(source.title(Lang::En), "");
            assert!(!added.contains('，') && !added.contains('《'), "{en}");
            assert!(
                // (A seed's quoted title, a repository's name and path stay as they are.)
                !zh.chars().any(|c| c.is_ascii_lowercase())
                    || source.id.starts_with("seed-")
                    || source.commit.is_some(),
                "English words in a Chinese citation: {zh}"
            );
            // Every outlet has an English name: an English footer or panel lists no Chinese
            // name without one.
            let english = source.short_outlet(Lang::En);
            assert!(
                english.chars().next().is_some_and(|c| c.is_ascii()),
                "{english}"
            );
        }
    }
}
