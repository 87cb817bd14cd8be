//! Text input: the one-line editor shared by every field, search and filter
//! ([`line::LineEditor`]), the multi-line editor ([`area::AreaEditor`]), and the vim preset's
//! normal mode for one-line fields ([`vim`]).
//!
//! # Precedence (fixed)
//! 1. Ctrl-C: quit (asking first when a form holds unsaved input).
//! 2. While the terminal is too small, every other key is ignored except the quit action.
//! 3. The open overlay; under it the open form; else the visible pane.
//! 4. Inside a component with a focused text field, the field's editor gets the key first when it
//!    is an editing key (see [`line::is_editing_chord`]); only the keys that leave the editor
//!    (Esc, the save and cancel keys, Tab and field movement) reach the keymap.
//! 5. Then the keymap of the component's context; in forms, the editor and dialogs only the
//!    global command keys (function keys, Ctrl/Alt chords) fall through.
//! 6. A key nobody wants is typed into the focused field if it is plain text, else ignored:
//!    a Ctrl or Alt chord is never inserted as text.

pub mod area;
pub mod line;
pub mod vim;

pub use area::AreaEditor;
pub use line::{Edit, LineEditor};
