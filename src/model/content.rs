//! Panel content: sourced facts about zones, the industry vocabulary, cooperation links.
//! Read from `geodata/content.toml`; every fact names its source.

use serde::Deserialize;

use super::{Lang, Text};

/// Where a fact comes from: a seed article or a data note.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Source {
    pub id: String,
    pub file: String,
    pub outlet: String,
    pub title: String,
    pub date: String,
    #[serde(default)]
    pub note: String,
}

impl Source {
    /// "重庆日报（…转载），《…》，2021-05": outlet, title and date, as a reader cites an
    /// article (the seed's file name is the project's own bookkeeping, not a reference).
    pub fn citation(&self) -> String {
        format!("{}，《{}》，{}", self.outlet, self.title, self.date)
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
