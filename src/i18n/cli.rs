//! The command line in Swedish, through clap's own hooks. clap's derive attributes hold the English
//! text; for a Swedish session [`swedish`] replaces, before the arguments are parsed, every about
//! and help text, clap's headings (help template), the placeholders (`value_name`: `<FIL>`,
//! `[FLAGGOR]` in an overridden usage line), defaults and possible values, and the value parsers'
//! messages; [`SwedishErrors`] is clap's error formatter for the common errors.

use super::Lang;
use clap::{Arg, ArgAction, Command};

pub use super::cli_errors::SwedishErrors;

/// (argument id, help).
type ArgHelp = (&'static str, &'static str);

/// Subcommands and their arguments: (subcommand, about, arguments).
const SUBCOMMANDS: &[(&str, &str, &[ArgHelp])] = &[
    (
        "keymap",
        "Kontrollera eller visa kortkommandon (förval i keymaps/, egna i ~/.config/spets/keymap.toml).",
        &[],
    ),
    (
        "serve",
        "Dela en arbetsyta med alla spets på den här datorn via en Unix-socket (serverdemonen). Stoppa med SIGTERM.",
        &[
            (
                "socket",
                "Socketen att lyssna på, t.ex. /run/spets/spets.sock.",
            ),
            (
                "group",
                "Unix-gruppen som får ansluta (standard: demonanvändarens primära grupp).",
            ),
            (
                "access",
                "Behörighetsfilen som ger användare och grupper rollen admin, editor eller viewer.",
            ),
            (
                "init",
                "Skapa en ny, tom arbetsyta när --db inte finns (utan den vägras en katalog som saknas: ett stavfel får inte dela ut en tom arbetsyta till alla).",
            ),
            (
                "max_clients",
                "Högsta antal anslutningar som betjänas samtidigt; nästa vägras med ett meddelande.",
            ),
            (
                "max_clients_per_user",
                "Högsta antal anslutningar en användare får ha samtidigt.",
            ),
        ],
    ),
    (
        "demo",
        "Fyll en tom arbetsyta med realistiska exempeldata (samma frö ger samma data).",
        &[
            ("partners", "Antal partner."),
            ("activities", "Antal aktiviteter."),
            ("notes", "Antal mötesanteckningar."),
            ("seed", "Slumpfrö."),
        ],
    ),
    (
        "check",
        "Kontrollera en arbetsyta: alla poster går att läsa och håller sig inom gränserna, index stämmer, versioner och räknare är rimliga. En provkörning om inte --repair anges.",
        &[(
            "repair",
            "Laga det som går att laga: flytta oläsbara poster till karantän, bygg om index, höj räknare (varje steg loggas).",
        )],
    ),
    (
        "backup",
        "Skriv en konsistent ögonblicksbild av arbetsytan, med kontrollsumma, till FIL.",
        &[("file", "Filen att skriva (atomärt, läge 0600).")],
    ),
    (
        "restore",
        "Återställ en säkerhetskopia FIL till en ny arbetsyta (--db KATALOG, som måste vara tom eller saknas).",
        &[("file", "Säkerhetskopian att läsa.")],
    ),
    (
        "completions",
        "Skriv ett skript för kommandokomplettering i skalet SKAL (bash, zsh, fish, elvish eller powershell) till standard ut.",
        &[("shell", "Skalet: bash, zsh, fish, elvish eller powershell.")],
    ),
    (
        "man",
        "Skriv manualsidan spets(1) (roff) till standard ut.",
        &[],
    ),
    (
        "bench",
        "Mät prestandamålen på en arbetsyta (öppning och första skärm, partnerfilter, minne).",
        &[
            ("filters", "Textbitar att mäta som partnerfilter."),
            (
                "daemon",
                "Mät serverdemonen i stället: samtidiga varaktiga sparningar och kostnad i vila.",
            ),
            (
                "clients",
                "Med --daemon: hur många klienter som sparar samtidigt.",
            ),
            ("edits", "Med --daemon: sparningar per klient."),
            (
                "pause_ms",
                "Med --daemon: paus mellan en klients sparningar, i ms (0: i ett svep).",
            ),
            (
                "idle_secs",
                "Med --daemon: hur länge klienternas vilokostnad mäts, i sekunder.",
            ),
            (
                "check_loops",
                "Med --daemon: så här många klienter till kör `spets check` i en slinga medan de andra sparar.",
            ),
        ],
    ),
    (
        "export",
        "Exportera en datamängd som CSV: partners, agreements, contacts, activities, matrix, assessments, notes, actions eller audit. Skriver till standard ut om inte --output anger en fil.",
        &[
            (
                "dataset",
                "partners, agreements, contacts, activities, matrix, assessments, notes, actions, audit.",
            ),
            (
                "output",
                "Filen att skriva (atomärt, läge 0600); `-` eller inget för standard ut.",
            ),
            (
                "dialect",
                "excel-sv (BOM, `;`), excel-en (BOM, `,`) eller rfc4180 (ingen BOM, `,`); standard efter språket.",
            ),
            (
                "filter",
                "Bara det ett filter väljer: fält=värde åtskilda med komma, t.ex. phase=running,country=DE.",
            ),
            (
                "machine_headers",
                "Stabila engelska rubriker och maskinnamn för uppräknade värden.",
            ),
        ],
    ),
    (
        "report",
        "Skriv en rapport till ledningen som HTML eller Markdown: en partners år, eller portföljen av strategiska partner.",
        &[],
    ),
    (
        "import",
        "Importera partner, aktiviteter eller mål från en CSV-fil (kolumner matchas på rubrik, svensk eller engelsk).",
        &[
            ("what", "partners, activities eller goals."),
            ("file", "CSV-filen att läsa."),
            (
                "dry_run",
                "Kontrollera alla rader och rapportera; skriv inget.",
            ),
            (
                "valid_only",
                "Importera de rader som klarar kontrollen även när andra rader har fel.",
            ),
        ],
    ),
];

/// Arguments every command takes.
const GLOBAL_ARGS: &[ArgHelp] = &[
    (
        "db",
        "Arbetsytans katalog (standard: $XDG_DATA_HOME/spets/workspace, dvs. ~/.local/share/spets/workspace).",
    ),
    (
        "lang",
        "Gränssnittets språk: sv eller en (standard: från LC_ALL / LC_MESSAGES / LANG).",
    ),
    (
        "connect",
        "Anslut till en spets-demon på den här Unix-socketen i stället för att öppna en arbetsyta (standard: `server` i /etc/spets/config.toml eller ~/.config/spets/config.toml).",
    ),
    (
        "keymap_preset",
        "Förval av kortkommandon för terminalgränssnittet: default, vim eller emacs.",
    ),
    (
        "keymap",
        "Dina egna kortkommandon, som läggs ovanpå förvalet (standard: ~/.config/spets/keymap.toml).",
    ),
];

const TEMPLATE: &str =
    "{before-help}{about-with-newline}\nAnvändning: {usage}\n\n{all-args}{after-help}";

/// Placeholders in Swedish, by the English `value_name` (or the argument's id when it has none).
const VALUE_NAMES: &[(&str, &str)] = &[
    ("DIR", "KATALOG"),
    ("FILE", "FIL"),
    ("NAME", "NAMN"),
    ("PATH", "SÖKVÄG"),
    ("GROUP", "GRUPP"),
    ("DATASET", "DATAMÄNGD"),
    ("D", "DIALEKT"),
    ("EXPR", "UTTRYCK"),
    ("WHAT", "VAD"),
    ("TEXT", "TEXT"),
    ("SHELL", "SKAL"),
    ("PARTNERS", "ANTAL"),
    ("ACTIVITIES", "ANTAL"),
    ("NOTES", "ANTAL"),
    ("SEED", "FRÖ"),
    ("CLIENTS", "ANTAL"),
    ("EDITS", "ANTAL"),
    ("PAUSE_MS", "MS"),
    ("IDLE_SECS", "SEKUNDER"),
    ("CHECK_LOOPS", "ANTAL"),
    ("N", "ANTAL"),
    ("PARTNER", "PARTNER"),
    ("Y", "ÅR"),
    ("FORMAT", "FORMAT"),
];

fn value_name(a: &Arg) -> Option<&'static str> {
    let english = a
        .get_value_names()
        .and_then(|v| v.first())
        .map(|s| s.as_str().to_string());
    let key = english.unwrap_or_else(|| a.get_id().as_str().to_uppercase());
    VALUE_NAMES
        .iter()
        .find(|(en, _)| *en == key)
        .map(|(_, sv)| *sv)
}

/// clap's own parts in Swedish: the help template and headings, the help flag, placeholders,
/// defaults and possible values (written into the help text, since clap writes them in English),
/// and a usage line with `[FLAGGOR]`.
fn localise(cmd: Command, path: &str) -> Command {
    let mut cmd = cmd
        .help_template(TEMPLATE)
        .next_help_heading("Flaggor")
        .subcommand_help_heading("Kommandon")
        .subcommand_value_name("KOMMANDO")
        .disable_help_subcommand(true)
        .disable_help_flag(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help("Visa hjälpen"),
        )
        .mut_args(|mut a| {
            let heading = if a.is_positional() {
                "Argument"
            } else {
                "Flaggor"
            };
            if let Some(name) = value_name(&a) {
                a = a.value_name(name);
            }
            let help = a.get_help().map(|h| h.to_string()).unwrap_or_default();
            let mut extra = Vec::new();
            let defaults: Vec<String> = a
                .get_default_values()
                .iter()
                .map(|v| v.to_string_lossy().into_owned())
                .collect();
            if !defaults.is_empty() && a.get_action().takes_values() {
                extra.push(format!("standard: {}", defaults.join(", ")));
            }
            let possible: Vec<String> = a
                .get_possible_values()
                .iter()
                .filter(|p| !p.is_hide_set())
                .map(|p| p.get_name().to_string())
                .collect();
            if !possible.is_empty() && a.get_action().takes_values() {
                extra.push(format!("möjliga värden: {}", possible.join(", ")));
            }
            if let Some(var) = a.get_env() {
                extra.push(format!("miljövariabel: {}", var.to_string_lossy()));
                a = a.hide_env(true);
            }
            if !extra.is_empty() {
                a = a
                    .hide_default_value(true)
                    .hide_possible_values(true)
                    .help(format!("{help} [{}]", extra.join("; ")).trim().to_string());
            }
            a.help_heading(heading)
        });
    let mut usage = format!("{path} [FLAGGOR]");
    for a in cmd.get_positionals() {
        let name = value_name(a)
            .map(str::to_string)
            .or_else(|| {
                a.get_value_names()
                    .and_then(|v| v.first())
                    .map(|s| s.to_string())
            })
            .unwrap_or_else(|| a.get_id().as_str().to_uppercase());
        if a.is_required_set() {
            usage.push_str(&format!(" <{name}>"));
        } else {
            usage.push_str(&format!(" [{name}]"));
        }
    }
    if cmd.has_subcommands() {
        if cmd.is_subcommand_required_set() {
            usage.push_str(" <KOMMANDO>");
        } else {
            usage.push_str(" [KOMMANDO]");
        }
    }
    cmd = cmd.override_usage(usage);
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for name in names {
        let sub_path = format!("{path} {name}");
        cmd = cmd.mut_subcommand(&name, |s| localise(s, &sub_path));
    }
    cmd
}

/// Replace the help of the listed arguments. (`mut_args` keeps positional arguments in their
/// order; `mut_arg` would move them to the end.)
fn with_help(cmd: Command, helps: &'static [ArgHelp]) -> Command {
    cmd.mut_args(|a| match helps.iter().find(|(id, _)| a.get_id() == *id) {
        Some((_, help)) => a.help(*help),
        None => a,
    })
}

/// The command line with Swedish help, usage and value parsers.
pub fn swedish(cmd: Command) -> Command {
    let mut cmd = cmd
        .about("En terminalarbetsyta för strategiska partnerskap: partner, tidslinje, värdematris och mötesanteckningar.")
        .disable_version_flag(true)
        .arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help("Visa versionen"),
        )
        .mut_args(|a| {
            if a.get_id() == "lang" {
                a.value_parser(lang(Lang::Sv))
            } else {
                a
            }
        });
    cmd = with_help(cmd, GLOBAL_ARGS);
    for (name, about, args) in SUBCOMMANDS {
        if cmd.find_subcommand(name).is_none() {
            continue;
        }
        cmd = cmd.mut_subcommand(*name, |mut s| {
            s = with_help(s.about(*about), args);
            match *name {
                "keymap" => {
                    s = s
                        .mut_subcommand("check", |c| {
                            with_help(
                                c.about("Kontrollera en fil med kortkommandon; avslutar med felkod och anger fil, rad och kolumn för varje problem."),
                                &[("file", "Filen att kontrollera.")],
                            )
                        })
                        .mut_subcommand("show", |c| {
                            with_help(
                                c.about("Visa de aktiva kortkommandona som en tabell (förvalet plus dina egna)."),
                                &[("preset", "Visa det här förvalet (default, vim, emacs) i stället för det inställda.")],
                            )
                        });
                }
                "report" => {
                    let opts: &'static [ArgHelp] = &[
                        ("year", "Kalenderåret vars aktiviteter och beslut räknas (standard: i år)."),
                        ("format", "html eller md (standard: efter filnamnets ändelse, annars html)."),
                        ("output", "Filen att skriva (atomärt, läge 0600); `-` eller inget för standard ut."),
                        ("partner", "Partnerns namn (eller en unik del av det) eller id."),
                    ];
                    let parsers = |a: Arg| match a.get_id().as_str() {
                        "year" => a.value_parser(crate::commands::report::year(Lang::Sv)),
                        "format" => a.value_parser(crate::commands::report::format(Lang::Sv)),
                        _ => a,
                    };
                    s = s
                        .mut_subcommand("partner", |c| {
                            with_help(
                                c.about("En partners rapport: fas och historik, avtal och förnyelse, styrning, mål och uppföljning, årets aktiviteter, värdematrisen för båda parter, beslut och öppna åtgärdspunkter."),
                                opts,
                            )
                            .mut_args(parsers)
                        })
                        .mut_subcommand("portfolio", |c| {
                            with_help(
                                c.about("Portföljen: en rad per strategisk partner (fas, förnyelse, styrning, medelvärden i matrisen, mål) och summeringen."),
                                opts,
                            )
                            .mut_args(parsers)
                        });
                }
                // `mut_args`, not `mut_arg`: the latter moves a positional argument to the end.
                "export" => {
                    s = s.mut_args(|a| match a.get_id().as_str() {
                        "dataset" => a.value_parser(dataset(Lang::Sv)),
                        "dialect" => a.value_parser(dialect(Lang::Sv)),
                        _ => a,
                    });
                }
                "import" => {
                    s = s.mut_args(|a| {
                        if a.get_id() == "what" {
                            a.value_parser(import_kind(Lang::Sv))
                        } else {
                            a
                        }
                    })
                }
                _ => {}
            }
            s
        });
    }
    localise(cmd, "spets")
}

/// `--lang`'s value parser in `lang`.
pub fn lang(lang: Lang) -> impl Fn(&str) -> Result<Lang, String> + Clone + Send + Sync + 'static {
    move |s| {
        Lang::parse(s).ok_or_else(|| match lang {
            Lang::En => format!("unknown language \"{s}\": use sv or en"),
            Lang::Sv => format!("okänt språk \"{s}\": använd sv eller en"),
        })
    }
}

/// The dataset argument's value parser in `lang`.
pub fn dataset(
    lang: Lang,
) -> impl Fn(&str) -> Result<crate::csvio::Dataset, String> + Clone + Send + Sync + 'static {
    use crate::csvio::Dataset;
    move |s| {
        Dataset::parse(s).ok_or_else(|| match lang {
            Lang::En => format!("unknown dataset \"{s}\": use one of {}", Dataset::names()),
            Lang::Sv => format!(
                "okänd datamängd \"{s}\": använd någon av {}",
                Dataset::names()
            ),
        })
    }
}

/// The dialect argument's value parser in `lang`.
pub fn dialect(
    lang: Lang,
) -> impl Fn(&str) -> Result<crate::csvio::Dialect, String> + Clone + Send + Sync + 'static {
    use crate::csvio::Dialect;
    move |s| {
        Dialect::parse(s).ok_or_else(|| match lang {
            Lang::En => format!("unknown dialect \"{s}\": use one of {}", Dialect::names()),
            Lang::Sv => format!(
                "okänd dialekt \"{s}\": använd någon av {}",
                Dialect::names()
            ),
        })
    }
}

/// The import kind's value parser in `lang`.
pub fn import_kind(
    lang: Lang,
) -> impl Fn(&str) -> Result<crate::csvio::ImportKind, String> + Clone + Send + Sync + 'static {
    move |s| {
        crate::csvio::ImportKind::parse(s).ok_or_else(|| match lang {
            Lang::En => format!("cannot import \"{s}\": use partners, activities or goals"),
            Lang::Sv => {
                format!("kan inte importera \"{s}\": använd partners, activities eller goals")
            }
        })
    }
}

/// The language asked for on the command line (`--lang sv`, `--lang=sv`), if any.
pub fn lang_arg(args: &[std::ffi::OsString]) -> Option<Lang> {
    let mut it = args.iter().filter_map(|a| a.to_str());
    while let Some(a) = it.next() {
        if a == "--lang" {
            return it.next().and_then(Lang::parse);
        }
        if let Some(v) = a.strip_prefix("--lang=") {
            return Lang::parse(v);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn cli() -> Command {
        Command::new("spets")
            .version("0.1.0")
            .arg(Arg::new("lang").long("lang").global(true))
            .subcommand(
                Command::new("backup").arg(Arg::new("file").value_name("FILE").required(true)),
            )
            .subcommand(
                Command::new("demo").arg(
                    Arg::new("seed")
                        .long("seed")
                        .default_value("1")
                        .help("Seed."),
                ),
            )
    }

    #[test]
    fn usage_placeholders_and_errors_are_swedish() {
        let mut cmd = swedish(cli());
        let help = cmd.render_help().to_string();
        assert!(
            help.contains("Användning: spets [FLAGGOR] [KOMMANDO]"),
            "{help}"
        );
        let mut backup = cmd.find_subcommand_mut("backup").unwrap().clone();
        let help = backup.render_help().to_string();
        assert!(help.contains("<FIL>"), "{help}");
        let err = swedish(cli())
            .try_get_matches_from(["spets", "bakup"])
            .unwrap_err()
            .apply::<SwedishErrors>()
            .render()
            .to_string();
        assert!(
            err.starts_with("spets: fel: okänt kommando 'bakup'"),
            "{err}"
        );
        assert!(err.contains("menade du 'backup'"), "{err}");
        let err = swedish(cli())
            .try_get_matches_from(["spets", "backup"])
            .unwrap_err()
            .apply::<SwedishErrors>()
            .render()
            .to_string();
        assert!(err.contains("argument som krävs saknas: '<FIL>'"), "{err}");
        assert!(
            err.contains("Användning: spets backup [FLAGGOR] <FIL>"),
            "{err}"
        );
    }
}
