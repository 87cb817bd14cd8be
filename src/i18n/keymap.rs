//! Keymap problems and warnings in words, in both languages (`spets keymap check`, `keymap show`),
//! from the typed [`Problem`] of each error. The English text is the keymap module's own.

use super::Lang;
use crate::keymap::{KeymapError, KeymapErrors, KeymapWarning, Problem};

/// How to name a key, in Swedish (the English is `crate::keymap::key::KEY_SYNTAX`).
const KEY_SYNTAX_SV: &str = "skriv ett tecken som \"j\" eller \"G\", eller ett namn inom vinkelparenteser som \"<Enter>\", \"<F1>\" eller \"<C-s>\" (C- Ctrl, A- Alt, S- Skift)";

/// One problem: `FILE:LINE:COL: message. hint` in `lang`.
pub fn error(lang: Lang, e: &KeymapError) -> String {
    let (message, hint) = match lang {
        Lang::En => (e.message.clone(), e.hint.clone()),
        Lang::Sv => swedish(&e.problem),
    };
    if e.line == 0 {
        format!("{}: {message}. {hint}", e.file)
    } else {
        format!("{}:{}:{}: {message}. {hint}", e.file, e.line, e.column)
    }
}

/// All problems, one per line.
pub fn errors(lang: Lang, e: &KeymapErrors) -> String {
    e.0.iter()
        .map(|x| error(lang, x))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A warning about a binding that will not work as expected.
pub fn warning(lang: Lang, w: &KeymapWarning) -> String {
    match lang {
        Lang::En => w.to_string(),
        Lang::Sv => format!(
            "varning: [{}] {} = {}: det här är en redigeringstangent i textfält, som tar den först; bindningen fungerar inte medan ett fält har fokus",
            w.context, w.keys, w.action
        ),
    }
}

fn suggest(s: &Option<String>) -> String {
    s.as_ref()
        .map(|s| format!("Menade du \"{s}\"? "))
        .unwrap_or_default()
}

fn swedish(p: &Problem) -> (String, String) {
    match p {
        Problem::Shape => (
            "filen är inte giltig TOML, eller en bindning har fel form".into(),
            "Rätta TOML-texten här: strängar behöver citattecken på båda sidor, listor skrivs [\"a\", \"b\"], och varje bindning är en [[SAMMANHANG]]-tabell med on och run.".into(),
        ),
        Problem::UnknownContext { name, suggestion } => (
            format!("okänt sammanhang \"{name}\""),
            format!(
                "{}Giltiga sammanhang är: global, partners, timeline, matrix, notes, forms, editor, menus, dialogs.",
                suggest(suggestion)
            ),
        ),
        Problem::EmptyKeys => (
            "tom tangentlista".into(),
            "Ange minst en tangent, t.ex. on = [\"j\"] eller on = [\"g\", \"g\"].".into(),
        ),
        Problem::CtrlC => (
            "\"<C-c>\" är reserverad: den avslutar alltid spets".into(),
            "Välj en annan tangent.".into(),
        ),
        Problem::EscInSequence => (
            "\"<Esc>\" kan inte följa en annan tangent: den avbryter en påbörjad tangentföljd".into(),
            "Bind \"<Esc>\" ensam, eller ta bort den ur följden.".into(),
        ),
        Problem::BadKey { key } => (
            format!("tangenten \"{key}\" kan inte tolkas"),
            format!("För att ange en tangent, {KEY_SYNTAX_SV}."),
        ),
        Problem::UnknownAction { name, suggestion } => (
            format!("okänt kommando \"{name}\""),
            match suggestion {
                Some(s) => format!("Menade du \"{s}\"?"),
                None => "Använd ett kommandonamn som \"spets keymap show\" listar, eller run = \"unbind\" för att ta bort tangenten.".into(),
            },
        ),
        Problem::Duplicate {
            keys,
            context,
            line,
            column,
        } => (
            format!(
                "\"{keys}\" är bunden två gånger i [[{context}]] (första gången på rad {line}, kolumn {column})"
            ),
            "Ta bort en av de två bindningarna.".into(),
        ),
        Problem::Shadow {
            keys,
            other,
            context,
            line,
            column,
            short,
            long,
        } => (
            format!(
                "\"{keys}\" krockar med \"{other}\" (rad {line}, kolumn {column}) i [[{context}]]: \"{short}\" ensam skulle köras innan \"{long}\" hinner skrivas"
            ),
            format!(
                "Bind \"{short}\" bara som början på tangentföljder, eller bind följden till andra tangenter."
            ),
        ),
        Problem::UnknownPreset { name } => (
            format!("okänt förval \"{name}\""),
            "Använd något av: default, vim, emacs.".into(),
        ),
        Problem::Unreadable { kind } => (
            format!("filen kan inte läsas: {}", super::reasons::io(Lang::Sv, *kind)),
            "Kontrollera sökvägen och filens behörigheter.".into(),
        ),
    }
}
