//! Keymaps: presets, user overrides, and the per-context key trie that turns keys into actions.
//!
//! # Files
//! Keymaps are TOML files with one array of tables per [`Context`]:
//! ```toml
//! [[global]]
//! on = ["g", "g"]      # a key sequence
//! run = "first"        # an action name (see `Action::name`)
//! desc = "optional note; help texts come from the action"
//! ```
//! Three presets are built in (`default`, `vim`, `emacs`, the files in `keymaps/`). A user file is
//! merged onto a preset ([`Keymap::with_overrides`]):
//! - a user binding replaces the preset binding with the same key sequence in that context;
//! - `run = ""` or `run = "unbind"` removes the preset binding of that key sequence;
//! - a user binding (or unbinding) also removes every preset binding in the same context that it
//!   would collide with in the trie: if the user binds `g` alone, the preset's `g g` and `g t`
//!   go away; if the user binds `g x`, a preset single-key `g` goes away. The user's keys win.
//!
//! Within one file, binding the same keys twice in a context, or binding a key both alone and as
//! the start of a sequence in a context, is an error. All errors are collected and carry the
//! file, line and column ([`KeymapError`]).
//!
//! # Lookup order (fall-through rule)
//! - `global`: its own section only.
//! - pane contexts (`partners`, `timeline`, `matrix`, `notes`): the pane's section first, then
//!   `global`. The first layer that knows a key sequence decides it; a prefix known to both
//!   layers (e.g. `g` with `g t` in `timeline` and `g g` in `global`) offers both continuations.
//! - modal contexts (`forms`, `editor`, `menus`, `dialogs`): their own section first, then only
//!   those `global` bindings whose first key cannot be typed as text: function keys and Ctrl/Alt
//!   combinations (`<F1>`, `<F10>`, `<C-p>`...). Letters, digits, `<Tab>`, `<Enter>` and `<Esc>`
//!   never fall through, so typing into a form field cannot trigger `q`, `a`, `d`... A key that
//!   is unbound in a modal context returns [`KeyResult::Unbound`] and the app passes it to the
//!   focused text field.
//!
//! # Counts
//! Only in `global` and the pane contexts. With no count and no sequence pending, a digit that is
//! bound (as a single key or the start of a sequence) in the context runs its binding; so by
//! default `1`..`4` switch panes. An unbound digit other than `0` starts a count (`5` in the
//! default preset). Once a count is pending, every digit extends it (so `5 1 j` is 51 steps
//! down). `0` never starts a count. Counts saturate at [`MAX_COUNT`]. The next key that is not a
//! digit is looked up as usual and the count is delivered with its action (`count` is 1 when none
//! was typed); if it is unbound, the count is dropped and [`KeyResult::Cancelled`] returned.
//!
//! # Fixed keys
//! `<Esc>` with a pending sequence or count cancels it ([`KeyResult::Cancelled`]); with nothing
//! pending it is looked up like any key. `<C-c>` cannot be bound: the application handles it
//! (quit) before the keymap. Nothing depends on typing speed: there are no timers.
//!
//! # Text fields come first
//! In a context with a focused text field, the field's editor takes its editing keys (the
//! readline set, see [`is_editing_key`]) before this keymap is consulted. A binding of such a key
//! in `forms` or `editor` never fires there; `spets keymap check` warns about it
//! ([`shadowed_editing_keys`]).

pub mod action;
mod check;
mod error;
pub mod key;
mod load;
mod trie;

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::path::Path;

pub use action::{Action, Lang};
pub use check::{
    KeymapWarning, check_file, check_file_warnings, is_editing_key, shadowed_editing_keys,
};
pub use error::{ErrorKind, KeymapError, KeymapErrors, Problem};
pub use key::{KeyChord, KeyParseError, format_sequence, parse_sequence};

use load::{Entry, parse_entries};
use trie::{Merged, Node, Section};

/// Counts are capped at this value.
pub const MAX_COUNT: usize = 9999;

/// Where the keyboard focus is; selects the section of the keymap that is consulted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Context {
    /// Bindings that work in every pane (and, for command keys, everywhere).
    Global,
    /// The partners pane.
    Partners,
    /// The timeline pane.
    Timeline,
    /// The evaluation matrix pane.
    Matrix,
    /// The notes pane.
    Notes,
    /// Forms with text fields.
    Forms,
    /// The multi-line note editor.
    Editor,
    /// The menu bar, its drop-downs, and list pop-ups.
    Menus,
    /// Confirmation and conflict dialogs.
    Dialogs,
}

impl Context {
    /// All contexts, in the order keymap files and help list them.
    pub const ALL: [Context; 9] = [
        Context::Global,
        Context::Partners,
        Context::Timeline,
        Context::Matrix,
        Context::Notes,
        Context::Forms,
        Context::Editor,
        Context::Menus,
        Context::Dialogs,
    ];

    /// The section name used in keymap files.
    pub fn name(self) -> &'static str {
        match self {
            Context::Global => "global",
            Context::Partners => "partners",
            Context::Timeline => "timeline",
            Context::Matrix => "matrix",
            Context::Notes => "notes",
            Context::Forms => "forms",
            Context::Editor => "editor",
            Context::Menus => "menus",
            Context::Dialogs => "dialogs",
        }
    }

    /// The context with this section name.
    pub fn from_name(name: &str) -> Option<Context> {
        Context::ALL.into_iter().find(|c| c.name() == name)
    }

    /// True for the four panes.
    pub fn is_pane(self) -> bool {
        matches!(
            self,
            Context::Partners | Context::Timeline | Context::Matrix | Context::Notes
        )
    }

    /// True where typed digits may form a count: `global` and the panes.
    pub fn allows_count(self) -> bool {
        self == Context::Global || self.is_pane()
    }

    /// Whether a global binding starting with `first` is reachable from this context.
    fn reaches_global(self, first: &KeyChord) -> bool {
        match self {
            Context::Global => false,
            c if c.is_pane() => true,
            _ => first.is_command_key(),
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

impl std::fmt::Display for Context {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// What one key press did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyResult {
    /// A binding is complete: run `action` `count` times (1 when no count was typed).
    Matched {
        /// The bound action.
        action: Action,
        /// The typed count, or 1.
        count: usize,
    },
    /// More keys are needed. `prefix` is what was typed so far (count digits included), and
    /// `continuations` lists the remaining keys (display syntax) and their actions, for a
    /// which-key popup. It is empty while only a count is pending.
    Pending {
        /// Keys typed so far.
        prefix: Vec<KeyChord>,
        /// Remaining keys and the action each would run.
        continuations: Vec<(String, Action)>,
    },
    /// A pending sequence or count was abandoned (by `<Esc>` or a key that continues nothing).
    Cancelled,
    /// The key is not bound here; modal contexts pass it to the focused text field.
    Unbound,
}

/// The keys typed so far; owned by the app so that [`Keymap`] stays immutable.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KeyState {
    keys: Vec<KeyChord>,
    count: Option<usize>,
}

impl KeyState {
    /// Nothing pending.
    pub fn new() -> Self {
        Self::default()
    }

    /// True while a sequence or a count is pending.
    pub fn is_pending(&self) -> bool {
        !self.keys.is_empty() || self.count.is_some()
    }

    /// The pending count, if any.
    pub fn count(&self) -> Option<usize> {
        self.count
    }

    /// Keys typed so far, count digits first, for the status bar.
    pub fn prefix(&self) -> Vec<KeyChord> {
        let mut prefix: Vec<KeyChord> = self
            .count
            .map(|n| n.to_string().chars().map(KeyChord::char).collect())
            .unwrap_or_default();
        prefix.extend(self.keys.iter().copied());
        prefix
    }

    /// Forgets pending keys and count (e.g. when the focus changes).
    pub fn clear(&mut self) {
        self.keys.clear();
        self.count = None;
    }
}

enum Found<'a> {
    Leaf(Action),
    Branch(Vec<&'a Node>),
    Nothing,
}

/// How text fields edit beyond the shared readline keys: the preset a keymap is built on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EditStyle {
    /// Readline keys only.
    #[default]
    Default,
    /// Also C-n, C-p, C-v, M-v, M-< and M-> in the multi-line editor.
    Emacs,
    /// Forms have an insert and a normal mode, and `:w`, `:q`.
    Vim,
}

impl EditStyle {
    fn of_preset(name: &str) -> EditStyle {
        match name {
            "emacs" => EditStyle::Emacs,
            "vim" => EditStyle::Vim,
            _ => EditStyle::Default,
        }
    }
}

/// An immutable, checked keymap: one key trie per context.
#[derive(Debug, Clone)]
pub struct Keymap {
    sections: Vec<Section>,
    style: EditStyle,
    /// The keys of each action in each context (as [`Keymap::keys_for`] gives them), built once:
    /// the status bar asks for them on every frame.
    keys: HashMap<(Context, Action), Vec<String>>,
}

impl Keymap {
    /// Names of the built-in presets.
    pub const PRESETS: [&'static str; 3] = ["default", "vim", "emacs"];

    /// The text of a built-in preset file.
    pub fn preset_text(name: &str) -> Option<&'static str> {
        match name {
            "default" => Some(include_str!("../../keymaps/default.toml")),
            "vim" => Some(include_str!("../../keymaps/vim.toml")),
            "emacs" => Some(include_str!("../../keymaps/emacs.toml")),
            _ => None,
        }
    }

    /// A built-in preset (`default`, `vim` or `emacs`).
    ///
    /// # Errors
    /// An unknown preset name (or, for a broken build, the preset's own errors).
    pub fn preset(name: &str) -> Result<Keymap, KeymapErrors> {
        let entries = preset_entries(name)?;
        Ok(Self::build(entries, Vec::new()).with_style(EditStyle::of_preset(name)))
    }

    fn with_style(mut self, style: EditStyle) -> Keymap {
        self.style = style;
        self
    }

    /// The editing style of the preset this keymap is built on.
    pub fn style(&self) -> EditStyle {
        self.style
    }

    /// A keymap from one file alone, without a preset underneath (unbind entries are ignored).
    ///
    /// # Errors
    /// Every problem in the file, sorted by position.
    pub fn from_toml(text: &str, file: &Path) -> Result<Keymap, KeymapErrors> {
        let entries = parse_entries(text, &file.display().to_string())?;
        Ok(Self::build(entries, Vec::new()))
    }

    /// The preset `preset` with the user's file merged onto it (see the module docs for the
    /// rules). `file` is only used in error messages.
    ///
    /// # Errors
    /// An unknown preset, or every problem in the user's file, sorted by position.
    pub fn with_overrides(
        preset: &str,
        user_text: &str,
        file: &Path,
    ) -> Result<Keymap, KeymapErrors> {
        let base = preset_entries(preset)?;
        let user = parse_entries(user_text, &file.display().to_string())?;
        Ok(Self::build(base, user).with_style(EditStyle::of_preset(preset)))
    }

    fn build(base: Vec<Entry>, user: Vec<Entry>) -> Keymap {
        let mut per_context: Vec<Merged> = vec![Merged::default(); Context::ALL.len()];
        // Unbinding only means something on top of a preset.
        let base = base.into_iter().filter(|e| e.run.is_some());
        for entry in base.chain(user) {
            if let Some(merged) = per_context.get_mut(entry.context.index()) {
                merged.apply(entry);
            }
        }
        let mut keymap = Keymap {
            sections: per_context
                .into_iter()
                .map(|m| Section::new(m.into_bindings()))
                .collect(),
            style: EditStyle::Default,
            keys: HashMap::new(),
        };
        let mut keys: HashMap<(Context, Action), Vec<String>> = HashMap::new();
        for context in Context::ALL {
            for (k, action) in keymap.effective_bindings(context) {
                keys.entry((context, action)).or_default().push(k);
            }
        }
        keymap.keys = keys;
        keymap
    }

    fn section(&self, context: Context) -> Option<&Section> {
        self.sections.get(context.index())
    }

    fn layers(&self, context: Context, first: &KeyChord) -> Vec<&Section> {
        let mut layers: Vec<&Section> = self.section(context).into_iter().collect();
        if context.reaches_global(first) {
            layers.extend(self.section(Context::Global));
        }
        layers
    }

    fn lookup(&self, context: Context, keys: &[KeyChord]) -> Found<'_> {
        let Some(first) = keys.first() else {
            return Found::Nothing;
        };
        let mut branches = Vec::new();
        for section in self.layers(context, first) {
            match section.trie.walk(keys) {
                Some(Node::Leaf(action)) if branches.is_empty() => return Found::Leaf(*action),
                Some(node @ Node::Branch(_)) => branches.push(node),
                _ => {}
            }
        }
        if branches.is_empty() {
            Found::Nothing
        } else {
            Found::Branch(branches)
        }
    }

    fn continuations(
        &self,
        context: Context,
        prefix: &[KeyChord],
        branches: &[&Node],
    ) -> Vec<(String, Action)> {
        let mut out = Vec::new();
        let mut seen: HashSet<Vec<KeyChord>> = HashSet::new();
        for node in branches {
            let mut leaves = Vec::new();
            node.leaves(&mut Vec::new(), &mut leaves);
            for (rest, action) in leaves {
                let mut full = prefix.to_vec();
                full.extend(rest.iter().copied());
                let reachable =
                    matches!(self.lookup(context, &full), Found::Leaf(a) if a == action);
                if reachable && !seen.contains(&rest) {
                    out.push((format_sequence(&rest), action));
                    seen.insert(rest);
                }
            }
        }
        out
    }

    /// Feeds one key press. `state` holds the pending keys and count between calls.
    pub fn feed(&self, state: &mut KeyState, context: Context, key: KeyChord) -> KeyResult {
        let key = key.normalized();
        if key.is_esc() && state.is_pending() {
            state.clear();
            return KeyResult::Cancelled;
        }
        if context.allows_count()
            && state.keys.is_empty()
            && let Some(digit) = key.digit()
        {
            let digit = digit as usize;
            if let Some(count) = state.count {
                state.count = Some(
                    count
                        .saturating_mul(10)
                        .saturating_add(digit)
                        .min(MAX_COUNT),
                );
                return Self::pending_count(state);
            }
            if digit != 0 && matches!(self.lookup(context, &[key]), Found::Nothing) {
                state.count = Some(digit);
                return Self::pending_count(state);
            }
        }
        let mut keys = state.keys.clone();
        keys.push(key);
        match self.lookup(context, &keys) {
            Found::Leaf(action) => {
                let count = state.count.unwrap_or(1);
                state.clear();
                KeyResult::Matched { action, count }
            }
            Found::Branch(branches) => {
                let continuations = self.continuations(context, &keys, &branches);
                state.keys = keys;
                KeyResult::Pending {
                    prefix: state.prefix(),
                    continuations,
                }
            }
            Found::Nothing => {
                let was_pending = state.is_pending();
                state.clear();
                if was_pending {
                    KeyResult::Cancelled
                } else {
                    KeyResult::Unbound
                }
            }
        }
    }

    /// The continuations of the sequence pending in `state` (empty when none is), so a
    /// which-key popup can be drawn from the app state on every frame.
    pub fn pending_continuations(
        &self,
        context: Context,
        state: &KeyState,
    ) -> Vec<(String, Action)> {
        match self.lookup(context, &state.keys) {
            Found::Branch(branches) => self.continuations(context, &state.keys, &branches),
            _ => Vec::new(),
        }
    }

    fn pending_count(state: &KeyState) -> KeyResult {
        KeyResult::Pending {
            prefix: state.prefix(),
            continuations: Vec::new(),
        }
    }

    /// The bindings of one context's own section, in file order: (keys, action).
    pub fn bindings(&self, context: Context) -> Vec<(String, Action)> {
        self.section(context)
            .map(|s| {
                s.bindings
                    .iter()
                    .map(|b| (format_sequence(&b.keys), b.action))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Every binding that works in `context`: its own section, then the reachable global ones.
    pub fn effective_bindings(&self, context: Context) -> Vec<(String, Action)> {
        let mut out = self.bindings(context);
        if context != Context::Global
            && let Some(global) = self.section(Context::Global)
        {
            for b in &global.bindings {
                if matches!(self.lookup(context, &b.keys), Found::Leaf(a) if a == b.action) {
                    out.push((format_sequence(&b.keys), b.action));
                }
            }
        }
        out
    }

    /// The keys that run `action` in `context` (its own section first, then global), in display
    /// syntax. Empty when the action has no key there. For hints and help.
    pub fn keys_for(&self, context: Context, action: Action) -> Vec<String> {
        self.keys
            .get(&(context, action))
            .cloned()
            .unwrap_or_default()
    }

    /// A plain-text table of all bindings: context, keys, action, description.
    pub fn show_table(&self, lang: Lang) -> String {
        let header = match lang {
            Lang::En => ["CONTEXT", "KEYS", "ACTION", "DESCRIPTION"],
            Lang::Sv => ["SAMMANHANG", "TANGENTER", "KOMMANDO", "BESKRIVNING"],
        };
        let mut rows: Vec<[String; 4]> = vec![header.map(str::to_owned)];
        for context in Context::ALL {
            for (keys, action) in self.bindings(context) {
                rows.push([
                    context.name().to_owned(),
                    keys,
                    action.name().to_owned(),
                    action.description(lang).to_owned(),
                ]);
            }
        }
        let mut widths = [0usize; 3];
        for row in &rows {
            for (w, cell) in widths.iter_mut().zip(row.iter()) {
                *w = (*w).max(cell.chars().count());
            }
        }
        let mut out = String::new();
        for row in &rows {
            for (w, cell) in widths.iter().zip(row.iter()) {
                let pad = w - cell.chars().count();
                let _ = write!(out, "{cell}{}  ", " ".repeat(pad));
            }
            let _ = writeln!(out, "{}", row[3]);
        }
        out
    }
}

fn preset_entries(name: &str) -> Result<Vec<Entry>, KeymapErrors> {
    let Some(text) = Keymap::preset_text(name) else {
        return Err(KeymapErrors(vec![
            KeymapError::nowhere(
                name,
                ErrorKind::UnknownPreset,
                format!("unknown keymap preset \"{name}\""),
                format!("Use one of: {}.", Keymap::PRESETS.join(", ")),
            )
            .with(Problem::UnknownPreset {
                name: name.to_owned(),
            }),
        ]));
    };
    Ok(parse_entries(text, &format!("keymaps/{name}.toml"))?)
}
