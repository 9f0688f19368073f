//! A file of the user's that could not be read is never dropped in silence: its bytes are kept
//! as `NAME.bad-YYYY-MM-DD` beside it, where nothing the atlas writes can overwrite them, and
//! the window says so in a banner that stays until dismissed (with a button to open the
//! folder), as the command line says it on stderr. A file the atlas writes again (the saved
//! state, the corrections, a tour) is moved aside; one the user opened (a workspace) is copied.

use std::path::{Path, PathBuf};

use crate::model::Text;

/// Which of the user's files it was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The state the window remembers (view, layers, bookmarks).
    State,
    /// The platform and outline corrections.
    Corrections,
    /// A workspace the user opened.
    Workspace,
    /// A tour in the user's tour folder.
    Tour,
    /// The record of edits not yet saved (a sketch, a file's layer).
    Edits,
}

impl Role {
    fn name(self) -> Text {
        match self {
            Role::State => Text::new("保存的视图与书签", "the saved view and bookmarks"),
            Role::Corrections => Text::new("校正文件", "the corrections file"),
            Role::Workspace => Text::new("工作区", "the workspace"),
            Role::Tour => Text::new("导览文件", "the tour file"),
            Role::Edits => Text::new("未保存编辑的记录", "the record of unsaved edits"),
        }
    }
}

/// A file that could not be read, and where its bytes are now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeptAside {
    pub role: Role,
    /// The file as it was named.
    pub path: PathBuf,
    /// Its bytes, as they were.
    pub copy: PathBuf,
    /// Why it could not be read.
    pub why: Text,
}

impl KeptAside {
    /// What the banner and stderr say: which file, why, and where it is kept.
    pub fn message(&self) -> Text {
        let role = self.role.name();
        let (path, copy) = (self.path.display(), self.copy.display());
        let (zh, en) = match self.role {
            Role::Workspace => (
                format!("{path} 无法读取（{}），已复制为 {copy}", self.why.zh),
                format!(
                    "{path} cannot be read ({}); a copy is kept as {copy}",
                    self.why.en
                ),
            ),
            _ => (
                format!(
                    "{path} 无法读取（{}），已移至 {copy} 保存，不会被覆盖",
                    self.why.zh
                ),
                format!(
                    "{path} cannot be read ({}); it is kept as {copy}, where nothing overwrites it",
                    self.why.en
                ),
            ),
        };
        Text::new(
            format!("{}：{zh}", role.zh),
            capitalised(&format!("{}: {en}", role.en)),
        )
    }

    /// The folder that holds the copy.
    pub fn folder(&self) -> PathBuf {
        self.copy
            .parent()
            .filter(|folder| !folder.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_path_buf()
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Moves `path` aside (a file the atlas writes again); `None` if it could not be moved.
pub fn move_aside(path: &Path, role: Role, why: Text) -> Option<KeptAside> {
    let copy = crate::atomic_file::keep_aside(path)?;
    Some(KeptAside {
        role,
        path: path.to_path_buf(),
        copy,
        why,
    })
}

/// Copies `path` aside (a file the user opened); `None` if it could not be copied.
pub fn copy_aside(path: &Path, role: Role, why: Text) -> Option<KeptAside> {
    let copy = crate::atomic_file::copy_aside(path)?;
    Some(KeptAside {
        role,
        path: path.to_path_buf(),
        copy,
        why,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_moved_file_keeps_its_bytes_and_a_copied_one_stays() {
        let dir = std::env::temp_dir().join(format!("chengyu-kept-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let path = dir.join("tour 1.toml");
        std::fs::write(&path, b"[broken").expect("write");
        let why = Text::new("第 1 行", "line 1");
        let kept = move_aside(&path, Role::Tour, why.clone()).expect("moved");
        assert!(!path.exists());
        assert_eq!(std::fs::read(&kept.copy).expect("kept"), b"[broken");
        assert!(
            kept.message().zh.contains("tour 1.toml"),
            "{:?}",
            kept.message()
        );
        assert_eq!(kept.folder(), dir);
        std::fs::write(&path, b"[also broken").expect("write");
        let copied = copy_aside(&path, Role::Workspace, why).expect("copied");
        assert!(path.exists(), "a workspace stays where the user has it");
        assert_ne!(
            copied.copy, kept.copy,
            "a second copy the same day has its own name"
        );
        assert_eq!(std::fs::read(&copied.copy).expect("kept"), b"[also broken");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
