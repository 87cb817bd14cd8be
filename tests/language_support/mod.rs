//! One language at a time: find English words in Swedish text and Swedish words in English text.
//!
//! Text is cut into words; a word is foreign when it is on the other language's list and neither
//! a proper noun or technical name ([`ALLOWED`]) nor a word of the user data on the screen (the
//! demo workspace's words, from `src/demo.rs`, plus what a test adds). Commands, flags and values
//! that users type (`spets check --repair`, `phase=running`, `` `...` ``) are left out before.
//! Machine names with an underscore (`start_up`) are foreign in both languages.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use spets::i18n::Lang;
use std::collections::HashSet;

/// Common English words that are not Swedish words (lower case).
pub const ENGLISH: &[&str] = &[
    "the",
    "of",
    "and",
    "or",
    "to",
    "for",
    "with",
    "from",
    "this",
    "that",
    "there",
    "these",
    "are",
    "was",
    "were",
    "has",
    "have",
    "had",
    "can",
    "cannot",
    "could",
    "will",
    "would",
    "should",
    "must",
    "may",
    "your",
    "you",
    "we",
    "our",
    "they",
    "their",
    "it",
    "its",
    "which",
    "what",
    "when",
    "where",
    "who",
    "how",
    "why",
    "if",
    "then",
    "else",
    "only",
    "also",
    "again",
    "each",
    "every",
    "other",
    "another",
    "some",
    "any",
    "none",
    "nothing",
    "more",
    "than",
    "one",
    "two",
    "first",
    "last",
    "new",
    "old",
    "open",
    "opened",
    "close",
    "closed",
    "save",
    "saved",
    "saving",
    "read",
    "write",
    "written",
    "writes",
    "error",
    "errors",
    "warning",
    "problems",
    "found",
    "missing",
    "unknown",
    "invalid",
    "valid",
    "value",
    "values",
    "file",
    "files",
    "folder",
    "directory",
    "row",
    "rows",
    "column",
    "columns",
    "record",
    "records",
    "entry",
    "entries",
    "field",
    "fields",
    "name",
    "names",
    "date",
    "dates",
    "time",
    "type",
    "use",
    "used",
    "using",
    "running",
    "press",
    "key",
    "keys",
    "help",
    "search",
    "quit",
    "cancel",
    "cancelled",
    "delete",
    "edit",
    "add",
    "remove",
    "back",
    "next",
    "previous",
    "select",
    "choose",
    "hide",
    "filters",
    "sorted",
    "by",
    "descending",
    "ascending",
    "loading",
    "please",
    "note",
    "notes",
    "meeting",
    "meetings",
    "partners",
    "agreement",
    "agreements",
    "contact",
    "contacts",
    "activity",
    "activities",
    "assessment",
    "assessments",
    "actions",
    "item",
    "items",
    "owner",
    "due",
    "done",
    "overdue",
    "today",
    "week",
    "month",
    "months",
    "year",
    "years",
    "upcoming",
    "past",
    "phase",
    "tier",
    "country",
    "city",
    "website",
    "goals",
    "tags",
    "signed",
    "end",
    "title",
    "description",
    "score",
    "scores",
    "target",
    "evidence",
    "attendees",
    "decisions",
    "minutes",
    "signatories",
    "side",
    "role",
    "email",
    "phone",
    "renewal",
    "expired",
    "ended",
    "draft",
    "active",
    "terminated",
    "planned",
    "workspace",
    "connection",
    "connected",
    "reconnecting",
    "offline",
    "user",
    "users",
    "group",
    "access",
    "allowed",
    "denied",
    "permission",
    "usage",
    "options",
    "commands",
    "arguments",
    "print",
    "language",
    "english",
    "swedish",
    "changed",
    "changes",
    "meanwhile",
    "reload",
    "overwrite",
    "earlier",
    "theirs",
    "mine",
    "yours",
    "discard",
    "kept",
    "restored",
    "archived",
    "purged",
    "created",
    "updated",
    "imported",
    "exported",
    "checking",
    "repaired",
    "quarantine",
    "counter",
    "upgrade",
    "older",
    "newer",
    "lost",
    "answer",
    "answered",
    "failed",
    "failure",
    "internal",
    "details",
    "see",
    "try",
    "did",
    "mean",
    "like",
    "instead",
    "because",
    "but",
    "still",
    "yet",
    "already",
    "exists",
    "exist",
    "empty",
    "disk",
    "free",
    "everything",
    "something",
    "too",
    "small",
    "large",
    "terminal",
    "window",
    "enlarge",
    "ignored",
    "until",
    "while",
    "after",
    "before",
    "between",
    "prospect",
    "university",
    "company",
    "public",
    "body",
    "research",
    "education",
    "mobility",
    "staff",
    "student",
    "funding",
    "applications",
    "infrastructure",
    "shared",
    "continuing",
    "doctoral",
    "training",
    "internships",
    "degree",
    "projects",
    "advisory",
    "roles",
    "events",
    "framework",
    "exchange",
    "negotiation",
    "director",
    "manager",
    "steering",
    "member",
    "signatory",
    "visit",
    "conference",
    "event",
    "joint",
    "application",
    "milestone",
    "publication",
    "decision",
    "quality",
    "resources",
    "impact",
    "influence",
    "reputation",
    "cultural",
    "change",
    "management",
    "working",
    "annual",
    "review",
    "emerging",
    "developing",
    "established",
    "outstanding",
    "strategic",
    "sample",
    "rows",
    "yes",
    "no",
    "not",
    "at",
    "is",
];

/// Common Swedish words that are not English words (lower case).
pub const SWEDISH: &[&str] = &[
    "och",
    "är",
    "inte",
    "för",
    "med",
    "att",
    "som",
    "till",
    "från",
    "på",
    "av",
    "ett",
    "det",
    "den",
    "har",
    "kan",
    "ska",
    "fel",
    "rad",
    "rader",
    "kolumn",
    "filen",
    "fil",
    "inga",
    "ingen",
    "inget",
    "alla",
    "nytt",
    "spara",
    "sparat",
    "avbryt",
    "hjälp",
    "sök",
    "avsluta",
    "meny",
    "tangenter",
    "aktivitet",
    "aktiviteter",
    "avtal",
    "kontakter",
    "mötesanteckningar",
    "tidslinje",
    "värdematris",
    "arbetsyta",
    "arbetsytan",
    "säkerhetskopia",
    "demodata",
    "skrevs",
    "importerade",
    "exporterade",
    "giltiga",
    "lästa",
    "varning",
    "också",
    "eller",
    "men",
    "när",
    "här",
    "där",
    "du",
    "din",
    "ditt",
    "dina",
    "vår",
    "våra",
    "hos",
    "efter",
    "innan",
    "över",
    "utan",
    "bara",
    "redan",
    "igen",
    "finns",
    "saknas",
    "okänt",
    "okänd",
    "ogiltigt",
    "ange",
    "använd",
    "kör",
    "prova",
    "fas",
    "typ",
    "ort",
    "namn",
    "titel",
    "datum",
    "poäng",
    "mål",
    "underlag",
    "beslut",
    "deltagare",
    "ansvarig",
    "senast",
    "klar",
    "försenad",
    "kommande",
    "passerad",
    "vecka",
    "månad",
    "lärosäte",
    "företag",
    "uppstart",
    "pågående",
    "utvärdering",
    "avveckling",
    "avslutad",
    "strategisk",
    "övrig",
    "forskning",
    "utbildning",
    "möte",
    "besök",
    "planerad",
    "genomförd",
    "inställd",
    "kvalitet",
    "resurser",
    "inflytande",
    "anseende",
    "sorterat",
    "stäng",
    "ändrad",
    "öppna",
    "ny",
];

/// Proper nouns, technical names and key names, right in either language.
pub const ALLOWED: &[&str] = &[
    "spets",
    "excel",
    "csv",
    "rfc",
    "utf",
    "bom",
    "iso",
    "unix",
    "toml",
    "sigterm",
    "ctrl",
    "esc",
    "enter",
    "tab",
    "pageup",
    "pagedown",
    "home",
    "shift",
    "alt",
    "mou",
    "ssh",
    "xdg",
    "systemd",
    "sv",
    "en",
    "vim",
    "emacs",
    "bash",
    "zsh",
    "fish",
    "elvish",
    "powershell",
    "default",
    "partner",
    "workshop",
    "innovation",
    "status",
    "start",
    "export",
    "import",
    "demo",
    "backup",
    "restore",
    "check",
    "keymap",
    "serve",
    "bench",
    "man",
    "completions",
    "admin",
    "editor",
    "viewer",
    "socket",
    "server",
    "ok",
    "eaie",
    "horizon",
    "europe",
    "erasmus",
    "lc",
    "all",
    "messages",
    "lang",
    "config",
    "db",
    "id",
    "ids",
    "json",
    "pid",
    "web",
    "url",
    "english",
    "svenska",
    "snake_case",
    "end",
];

/// The words of the demo workspace (every word of every string in `src/demo.rs`,
/// `src/demo/data.rs` and `src/demo/life.rs`): user data, not
/// interface text.
pub fn demo_words() -> HashSet<String> {
    // The demo's records (its life cycle's included) are user data, in whichever language.
    let sources = [
        include_str!("../../src/demo.rs"),
        include_str!("../../src/demo/data.rs"),
        include_str!("../../src/demo/life.rs"),
    ];
    let mut out = HashSet::new();
    for src in sources {
        for (i, part) in src.split('"').enumerate() {
            if i % 2 == 1 {
                for w in words(part) {
                    out.insert(w);
                }
            }
        }
    }
    out
}

/// The words of `text`, lower case (letters only; digits and punctuation separate words).
pub fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_alphabetic() || c == '_' || c == '\''))
        .map(|w| w.trim_matches('\'').to_lowercase())
        .filter(|w| !w.is_empty())
        .collect()
}

/// What users type or wrote is not interface language: backticked and quoted spans (values from
/// a file, names to type), `spets` commands with their subcommand, flags, `key=value` terms and
/// paths; and the placeholders the tests put in (`[TIME]`).
fn strip_typed(text: &str) -> String {
    let text = text.replace("[TIME]", " ").replace("[WORKSPACE]", " ");
    let mut out = String::new();
    let mut quote: Option<char> = None;
    for c in text.chars() {
        match (quote, c) {
            (None, '`' | '"' | '“' | '”') => {
                quote = Some(if c == '“' { '”' } else { c });
                out.push(' ');
            }
            (Some(q), c) if c == q || (q == '”' && c == '”') => {
                quote = None;
                out.push(' ');
            }
            (Some(_), '\n') => {
                // A quote never spans lines; an odd one out is text.
                quote = None;
                out.push('\n');
            }
            (Some(_), _) => {}
            (None, c) => out.push(c),
        }
    }
    out.split_whitespace()
        .scan(false, |after_spets, tok| {
            let bare = tok.trim_matches(|c: char| "'(),.;:[]".contains(c));
            let skip = *after_spets
                || bare.starts_with('-')
                || tok.contains('=')
                || tok.contains('/')
                || tok.contains('@')
                || tok.contains("://");
            *after_spets = bare == "spets";
            Some(if skip { "" } else { tok })
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Machine names with an underscore, anywhere (`start_up`, `other_organisation`), except the
/// names users type in keymap files (actions) and the store's tree names (`idx_…`, `goal_links`).
fn machine_names(text: &str) -> Vec<String> {
    let actions: Vec<&str> = spets::keymap::Action::ALL
        .iter()
        .map(|a| a.name())
        .collect();
    text.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !actions.contains(w) && spets::store::TreeId::named(w).is_none())
        .filter(|w| {
            w.contains('_')
                && w.chars().next().is_some_and(char::is_alphabetic)
                && w.chars().all(|c| c.is_lowercase() || c == '_')
        })
        .map(str::to_string)
        .collect()
}

/// The words of `text` that belong to the other language than `lang`.
pub fn foreign(lang: Lang, text: &str, data: &HashSet<String>) -> Vec<String> {
    let other: &[&str] = match lang {
        Lang::Sv => ENGLISH,
        Lang::En => SWEDISH,
    };
    let typed_free = strip_typed(text);
    let mut out: Vec<String> = words(&typed_free)
        .into_iter()
        .filter(|w| !w.contains('_'))
        .filter(|w| other.contains(&w.as_str()))
        .filter(|w| !ALLOWED.contains(&w.as_str()) && !data.contains(w))
        .collect();
    out.extend(
        machine_names(&typed_free)
            .into_iter()
            .filter(|w| !ALLOWED.contains(&w.as_str())),
    );
    out.sort();
    out.dedup();
    out
}

/// The names the command line takes as typed values (datasets, filter fields, actions and
/// keymap contexts): right in either language's messages about the command line.
pub fn typed_names() -> HashSet<String> {
    let mut out: HashSet<String> = [
        "partners",
        "agreements",
        "contacts",
        "activities",
        "matrix",
        "assessments",
        "notes",
        "actions",
        "audit",
        "text",
        "phase",
        "kind",
        "country",
        "tier",
        "from",
        "to",
        "partner",
        "status",
        "value",
        "owner",
        "open",
        "global",
        "forms",
        "menus",
        "dialogs",
        "timeline",
        "preset",
        "dataset",
        "dialect",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for a in spets::keymap::Action::ALL {
        out.insert(a.name().to_string());
    }
    out
}

/// Fail with the text and the foreign words, if any.
pub fn assert_one_language(lang: Lang, what: &str, text: &str, data: &HashSet<String>) {
    let f = foreign(lang, text, data);
    if !f.is_empty() {
        if std::env::var_os("SPETS_LANGUAGE_REPORT").is_some() {
            eprintln!("FOREIGN {what} ({lang:?}): {f:?}");
            return;
        }
        panic!("{what} ({lang:?}) holds words of the other language: {f:?}\n{text}");
    }
}
