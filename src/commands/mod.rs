//! What the command-line subcommands do, beyond parsing their arguments (`src/main.rs`): each
//! prints through [`crate::term`], so user data never reaches the terminal unsanitised, and says
//! everything in the user's language ([`errors`] words the errors).

pub mod csv;
pub mod errors;
pub mod integrity;
pub mod keymap;
pub mod report;
