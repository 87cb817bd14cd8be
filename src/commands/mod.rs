//! What the command-line subcommands do, beyond parsing their arguments (`src/main.rs`): each
//! prints through [`crate::term`], so user data never reaches the terminal unsanitised.

pub mod errors;
pub mod integrity;
