//! An error of the command line in its user's language, said once: the first typed error in the
//! chain is worded from its data (its own sources, such as the OS error underneath, are part of
//! that wording and are not printed again); plain messages before it are the command line's own,
//! already in the user's language.

use crate::i18n::{Lang, reasons};

/// The text of `e` for the user (without the "spets: error:" prefix).
pub fn text(lang: Lang, e: &anyhow::Error) -> String {
    let mut parts = Vec::new();
    for cause in e.chain() {
        if let Some(t) = typed(lang, cause) {
            parts.push(t);
            break;
        }
        parts.push(cause.to_string());
    }
    parts.join(": ")
}

fn typed(lang: Lang, e: &(dyn std::error::Error + 'static)) -> Option<String> {
    if let Some(e) = e.downcast_ref::<crate::store::StoreError>() {
        return Some(reasons::failure(lang, &crate::service::Failure::from(e)));
    }
    if let Some(e) = e.downcast_ref::<crate::client::ConnectError>() {
        return Some(reasons::connect(lang, e));
    }
    if let Some(e) = e.downcast_ref::<crate::csvio::ExportError>() {
        return Some(reasons::export_error(lang, e));
    }
    if let Some(e) = e.downcast_ref::<crate::csvio::ImportError>() {
        return Some(reasons::import_error(lang, e));
    }
    if let Some(e) = e.downcast_ref::<crate::csvio::FilterError>() {
        return Some(e.to_string());
    }
    if let Some(e) = e.downcast_ref::<crate::store::backup::RestoreError>() {
        return Some(reasons::restore_error(lang, e));
    }
    if let Some(e) = e.downcast_ref::<crate::config::ConfigError>() {
        return Some(reasons::config_error(lang, e));
    }
    if let Some(e) = e.downcast_ref::<crate::keymap::KeymapErrors>() {
        return Some(crate::i18n::keymap::errors(lang, e));
    }
    if let Some(e) = e.downcast_ref::<std::io::Error>() {
        return Some(reasons::io_error(lang, e));
    }
    None
}
