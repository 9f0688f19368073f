//! The bundled font and how wide text set in it is: shared by the window (egui), the scene's
//! label placement and the export writers, so that all three agree.
//!
//! The font is Noto Sans SC (SIL OFL 1.1), subset to GB 2312 and the app's own text by
//! `tools/subset-font.py`, and compiled in: Chinese renders on a machine with no CJK font.

/// The font file.
pub const NOTO_SANS_SC: &[u8] = include_bytes!("../assets/fonts/NotoSansSC-Regular-subset.ttf");

/// The family name the font declares (SVG `font-family`, the export's font database).
pub const FONT_FAMILY: &str = "Noto Sans SC";

/// Estimated width of `text` at `size` points. Every painter places labels with this same
/// estimate, so placement does not depend on the backend; CJK glyphs are one em, Latin about
/// half.
pub fn text_width(text: &str, size: f32) -> f32 {
    text.chars()
        .map(|c| match c {
            ' ' => 0.28,
            'A'..='Z' | 'm' | 'w' => 0.66,
            c if c.is_ascii() => 0.52,
            c if (c as u32) >= 0x2E80 => 1.0,
            _ => 0.6,
        })
        .sum::<f32>()
        * size
}

/// Line height of text at `size` points.
pub fn text_height(size: f32) -> f32 {
    size * 1.25
}

/// Breaks text into lines no wider than `width` at `size` points: between words, or between
/// any two Chinese characters.
pub fn wrap(text: &str, size: f32, width: f32) -> Vec<String> {
    let mut tokens: Vec<String> = Vec::new();
    for c in text.chars() {
        let cjk = (c as u32) >= 0x2E80;
        match tokens.last_mut() {
            Some(last)
                if !cjk && !last.ends_with(' ') && !last.chars().any(|l| (l as u32) >= 0x2E80) =>
            {
                last.push(c)
            }
            _ => tokens.push(c.to_string()),
        }
    }
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for token in tokens {
        if !line.is_empty() && text_width(&line, size) + text_width(&token, size) > width {
            lines.push(line.trim_end().to_string());
            line = String::new();
        }
        if !(line.is_empty() && token == " ") {
            line.push_str(&token);
        }
    }
    if !line.trim().is_empty() {
        lines.push(line.trim_end().to_string());
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_is_one_em_a_character_and_latin_about_half() {
        assert_eq!(text_width("重庆", 10.0), 20.0);
        // C is a capital (0.66 em), the eight others lower case (0.52 em).
        assert!((text_width("Chongqing", 10.0) - 48.2).abs() < 1e-3);
    }

    #[test]
    fn wrapped_lines_fit_and_break_between_words_or_characters() {
        let lines = wrap("the quick brown fox jumps over the lazy dog", 10.0, 60.0);
        assert!(lines.len() > 2, "{lines:?}");
        for line in &lines {
            assert!(text_width(line, 10.0) <= 60.0, "{line}");
            assert!(!line.starts_with(' ') && !line.ends_with(' '));
        }
        assert_eq!(
            lines.join(" "),
            "the quick brown fox jumps over the lazy dog"
        );
        let chinese = wrap("成渝地区双城经济圈", 10.0, 40.0);
        assert_eq!(chinese, ["成渝地区", "双城经济", "圈"]);
    }

    #[test]
    fn the_bundled_font_is_noto_sans_sc() {
        let mut database = resvg::usvg::fontdb::Database::new();
        database.load_font_data(NOTO_SANS_SC.to_vec());
        let face = database.faces().next().expect("one face");
        assert!(
            face.families.iter().any(|(name, _)| name == FONT_FAMILY),
            "{:?}",
            face.families
        );
    }
}
