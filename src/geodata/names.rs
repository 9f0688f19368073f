//! English names for Chinese administrative units: Hanyu Pinyin of the stem plus an English
//! suffix ("沙坪坝区" → "Shapingba District", label "Shapingba"). Used by the preparation tool.

use pinyin::ToPinyin;

/// Stems whose place-name reading differs from the most common reading of their characters, or
/// that have a customary English name.
const STEM_OVERRIDES: &[(&str, &str)] = &[
    ("重庆", "Chongqing"),
    ("陕西", "Shaanxi"),
    ("阿坝", "Ngawa"),
    ("甘孜", "Garzê"),
    ("长寿", "Changshou"),
    ("长宁", "Changning"),
    ("乐山", "Leshan"),
    ("乐至", "Lezhi"),
    ("犍为", "Qianwei"),
    ("荥经", "Yingjing"),
    ("筠连", "Junlian"),
    ("什邡", "Shifang"),
    ("夹江", "Jiajiang"),
    ("会理", "Huili"),
    ("会东", "Huidong"),
    ("巴中", "Bazhong"),
    ("蓬溪", "Pengxi"),
    ("南部", "Nanbu"),
    ("阆中", "Langzhong"),
    ("綦江", "Qijiang"),
    ("大足", "Dazu"),
    ("都江堰", "Dujiangyan"),
    ("郫都", "Pidu"),
    ("新都", "Xindu"),
    ("成都", "Chengdu"),
    ("色达", "Sêrtar"),
    ("若尔盖", "Zoigê"),
    ("红原", "Hongyuan"),
    ("壤塘", "Zamtang"),
    ("沙湾", "Shawan"),
    ("朝天", "Chaotian"),
    ("屏山", "Pingshan"),
    ("单", "Shan"),
    ("大邑", "Dayi"),
    ("蒲江", "Pujiang"),
    ("炉霍", "Luhuo"),
    ("石柱", "Shizhu"),
    ("秀山", "Xiushan"),
    ("酉阳", "Youyang"),
    ("彭水", "Pengshui"),
    ("北川", "Beichuan"),
    ("马边", "Mabian"),
    ("峨边", "Ebian"),
    ("冕宁", "Mianning"),
    ("盐边", "Yanbian"),
    ("得荣", "Dêrong"),
    ("乡城", "Xiangcheng"),
    ("稻城", "Daocheng"),
    ("巴塘", "Batang"),
    ("理塘", "Litang"),
    ("德格", "Dêgê"),
    ("石渠", "Sêrxü"),
    ("白玉", "Baiyü"),
    ("新龙", "Xinlong"),
    ("道孚", "Dawu"),
    ("丹巴", "Danba"),
    ("雅江", "Yajiang"),
    ("康定", "Kangding"),
    ("泸定", "Luding"),
    ("九龙", "Jiulong"),
    ("九龙坡", "Jiulongpo"),
    ("大渡口", "Dadukou"),
    ("沙坪坝", "Shapingba"),
    ("南岸", "Nan'an"),
    ("江安", "Jiang'an"),
    ("西充", "Xichong"),
    ("营山", "Yingshan"),
    ("仪陇", "Yilong"),
    ("嘉陵", "Jialing"),
    ("顺庆", "Shunqing"),
    ("高坪", "Gaoping"),
    ("广安", "Guang'an"),
    ("平昌", "Pingchang"),
    ("通川", "Tongchuan"),
    ("达川", "Dachuan"),
    ("宣汉", "Xuanhan"),
    ("开江", "Kaijiang"),
    ("大竹", "Dazhu"),
    ("渠", "Qu"),
    ("万源", "Wanyuan"),
    ("恩阳", "Enyang"),
    ("剑阁", "Jiange"),
    ("苍溪", "Cangxi"),
    ("旺苍", "Wangcang"),
    ("青川", "Qingchuan"),
    ("盐亭", "Yanting"),
    ("梓潼", "Zitong"),
    ("游仙", "Youxian"),
    ("涪城", "Fucheng"),
    ("涪陵", "Fuling"),
    ("安州", "Anzhou"),
    ("江油", "Jiangyou"),
    ("三台", "Santai"),
    ("射洪", "Shehong"),
    ("大英", "Daying"),
    ("船山", "Chuanshan"),
    ("安居", "Anju"),
    ("东兴", "Dongxing"),
    ("资中", "Zizhong"),
    ("威远", "Weiyuan"),
    ("隆昌", "Longchang"),
    ("自贡", "Zigong"),
    ("贡井", "Gongjing"),
    ("大安", "Da'an"),
    ("沿滩", "Yantan"),
    ("富顺", "Fushun"),
    ("荣", "Rong"),
    ("泸", "Lu"),
    ("泸州", "Luzhou"),
    ("古蔺", "Gulin"),
    ("叙永", "Xuyong"),
    ("叙州", "Xuzhou"),
    ("珙", "Gong"),
    ("兴文", "Xingwen"),
    ("高", "Gao"),
    ("翠屏", "Cuiping"),
    ("南溪", "Nanxi"),
    ("宜宾", "Yibin"),
    ("雨城", "Yucheng"),
    ("名山", "Mingshan"),
    ("汉源", "Hanyuan"),
    ("石棉", "Shimian"),
    ("芦山", "Lushan"),
    ("天全", "Tianquan"),
    ("宝兴", "Baoxing"),
    ("东坡", "Dongpo"),
    ("彭山", "Pengshan"),
    ("仁寿", "Renshou"),
    ("洪雅", "Hongya"),
    ("丹棱", "Danling"),
    ("青神", "Qingshen"),
    ("雁江", "Yanjiang"),
    ("安岳", "Anyue"),
    ("简阳", "Jianyang"),
    ("金口河", "Jinkouhe"),
    ("五通桥", "Wutongqiao"),
    ("市中", "Shizhong"),
    ("峨眉山", "Emeishan"),
    ("沐川", "Muchuan"),
    ("井研", "Jingyan"),
    ("攀枝花", "Panzhihua"),
    ("仁和", "Renhe"),
    ("米易", "Miyi"),
    ("西区", "Xiqu"),
    ("东区", "Dongqu"),
    ("万州", "Wanzhou"),
    ("开州", "Kaizhou"),
    ("云阳", "Yunyang"),
    ("梁平", "Liangping"),
    ("忠", "Zhong"),
    ("垫江", "Dianjiang"),
    ("丰都", "Fengdu"),
    ("武隆", "Wulong"),
    ("城口", "Chengkou"),
    ("巫溪", "Wuxi"),
    ("巫山", "Wushan"),
    ("奉节", "Fengjie"),
    ("黔江", "Qianjiang"),
    ("南川", "Nanchuan"),
    ("铜梁", "Tongliang"),
    ("潼南", "Tongnan"),
    ("璧山", "Bishan"),
    ("永川", "Yongchuan"),
    ("合川", "Hechuan"),
    ("江津", "Jiangjin"),
    ("北碚", "Beibei"),
    ("渝北", "Yubei"),
    ("巴南", "Banan"),
    ("江北", "Jiangbei"),
    ("渝中", "Yuzhong"),
];

/// Suffixes (longest first) and their English forms; `true` if the suffix is an admin type
/// that the short label drops.
const SUFFIXES: &[(&str, &str)] = &[
    ("土家族苗族自治县", "Tujia and Miao Autonomous County"),
    ("苗族土家族自治县", "Miao and Tujia Autonomous County"),
    ("藏族羌族自治州", "Tibetan and Qiang Autonomous Prefecture"),
    ("藏族自治州", "Tibetan Autonomous Prefecture"),
    ("彝族自治州", "Yi Autonomous Prefecture"),
    ("土家族自治县", "Tujia Autonomous County"),
    ("羌族自治县", "Qiang Autonomous County"),
    ("彝族自治县", "Yi Autonomous County"),
    ("藏族自治县", "Tibetan Autonomous County"),
    ("自治县", "Autonomous County"),
    ("区", "District"),
    ("县", "County"),
    ("市", "City"),
];

/// Pinyin of a stem, e.g. "沙坪坝" → "Shapingba": syllables joined, the first capitalised, an
/// apostrophe before a syllable that starts with a vowel.
pub fn pinyin_of(stem: &str) -> String {
    if let Some((_, name)) = STEM_OVERRIDES.iter().find(|(zh, _)| *zh == stem) {
        return (*name).to_string();
    }
    let mut out = String::new();
    for (ch, reading) in stem.chars().zip(stem.to_pinyin()) {
        match reading {
            Some(reading) => {
                let syllable = reading.plain();
                if !out.is_empty() && syllable.starts_with(['a', 'e', 'o']) {
                    out.push('\'');
                }
                out.push_str(syllable);
            }
            None => out.push(ch),
        }
    }
    capitalise(&out)
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// English full name and short label for an administrative unit.
///
/// `prefecture_level` makes "成都市" "Chengdu" rather than "Chengdu City".
pub fn english(name_zh: &str, prefecture_level: bool) -> (String, String) {
    let Some((suffix_zh, suffix_en)) = SUFFIXES
        .iter()
        .find(|(zh, _)| name_zh.ends_with(zh) && name_zh.len() > zh.len())
    else {
        let stem = pinyin_of(name_zh);
        return (stem.clone(), stem);
    };
    let stem_zh = &name_zh[..name_zh.len() - suffix_zh.len()];
    let stem = pinyin_of(stem_zh);
    // One-character stems keep their admin type in the name, as official English does:
    // 泸县 "Luxian", 渠县 "Quxian".
    let one_char = stem_zh.chars().count() == 1;
    let short = if one_char {
        format!("{stem}{}", short_type(suffix_zh))
    } else {
        stem.clone()
    };
    let full = if *suffix_zh == "市" && prefecture_level {
        stem
    } else if one_char {
        format!("{short} {suffix_en}")
    } else {
        format!("{stem} {suffix_en}")
    };
    (full, short)
}

fn short_type(suffix_zh: &str) -> &'static str {
    match suffix_zh {
        "县" => "xian",
        "区" => "qu",
        "市" => "shi",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn districts_get_pinyin_and_a_suffix() {
        assert_eq!(
            english("沙坪坝区", false),
            ("Shapingba District".into(), "Shapingba".into())
        );
        assert_eq!(
            english("成都市", true),
            ("Chengdu".into(), "Chengdu".into())
        );
        assert_eq!(
            english("简阳市", false),
            ("Jianyang City".into(), "Jianyang".into())
        );
        assert_eq!(
            english("北川羌族自治县", false),
            ("Beichuan Qiang Autonomous County".into(), "Beichuan".into())
        );
    }

    #[test]
    fn one_character_stems_keep_their_type() {
        assert_eq!(
            english("泸县", false),
            ("Luxian County".into(), "Luxian".into())
        );
    }

    #[test]
    fn unknown_stems_fall_back_to_character_readings() {
        assert_eq!(pinyin_of("西安"), "Xi'an");
    }
}
