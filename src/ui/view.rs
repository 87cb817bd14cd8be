//! The read-only view every component draws from and decides with ([`Ctx`]): language, theme,
//! keymap, today, who the user is and what they may do, whether the server is reachable, and the
//! partner names. Nothing in it can be changed through it.

use super::theme::Theme;
use crate::domain::Id;
use crate::i18n::Lang;
use crate::keymap::{Action, Context, EditStyle, Keymap};
use crate::service::Role;
use chrono::NaiveDate;

/// Everything a frame or a key handler may read.
#[derive(Clone, Copy)]
pub struct Ctx<'a> {
    pub lang: Lang,
    pub theme: Theme,
    pub keymap: &'a Keymap,
    pub today: NaiveDate,
    pub user: &'a str,
    pub role: Role,
    /// False while the daemon is unreachable.
    pub online: bool,
    /// Every partner's id and name (for forms and filters).
    pub names: &'a [(Id, String)],
    /// Where each partner is in `names`.
    pub name_at: &'a std::collections::HashMap<Id, usize>,
}

impl Ctx<'_> {
    /// The first key bound to `action` in `ctx`, written for people ("Ctrl-s", "Esc", "a"), or
    /// the action's name when nothing binds it.
    pub fn key(&self, ctx: Context, action: Action) -> String {
        self.keymap
            .keys_for(ctx, action)
            .into_iter()
            .next()
            .map(|k| friendly(&k))
            .unwrap_or_else(|| action.name().to_string())
    }

    /// True when the user may add, change, archive and restore.
    pub fn can_write(&self) -> bool {
        self.role >= Role::Editor
    }

    /// The editing style of the active keymap.
    pub fn style(&self) -> EditStyle {
        self.keymap.style()
    }

    /// The names of partners, comma-separated.
    pub fn names_of(&self, ids: &[Id]) -> String {
        let mut out = String::new();
        for n in ids
            .iter()
            .filter_map(|id| Some(&self.names.get(*self.name_at.get(id)?)?.1))
        {
            if !out.is_empty() {
                out.push_str(", ");
            }
            out.push_str(n);
        }
        out
    }
}

/// A key sequence in keymap syntax written for people: `<C-s>` is "Ctrl-s", `<A-x>` "Alt-x",
/// `<Esc>` "Esc"; single characters stay as they are.
pub fn friendly(keys: &str) -> String {
    keys.split(' ')
        .map(
            |k| match k.strip_prefix('<').and_then(|k| k.strip_suffix('>')) {
                Some("Up") => "↑".to_string(),
                Some("Down") => "↓".to_string(),
                Some("Left") => "←".to_string(),
                Some("Right") => "→".to_string(),
                Some(inner) if inner.len() > 1 => inner
                    .replacen("C-", "Ctrl-", 1)
                    .replacen("A-", "Alt-", 1)
                    .replacen("M-", "Alt-", 1)
                    .replacen("S-", "Shift-", 1),
                _ => k.to_string(),
            },
        )
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::friendly;

    #[test]
    fn keys_for_people() {
        assert_eq!(friendly("<C-s>"), "Ctrl-s");
        assert_eq!(friendly("<Esc>"), "Esc");
        assert_eq!(friendly("a"), "a");
        assert_eq!(friendly("<C-x> <C-s>"), "Ctrl-x Ctrl-s");
        assert_eq!(friendly("<A-<>"), "Alt-<");
    }
}
