//! The words of enumerated values in CSV cells: the one vocabulary of [`crate::i18n::vocab`], the
//! same the screen shows. Import and `--filter` accept the machine key, the label or short form in
//! either language and every earlier label ([`Label::parse`]).

pub use crate::i18n::vocab::{Label, parse_yes_no as parse_bool, yes_no as bool_cell};
