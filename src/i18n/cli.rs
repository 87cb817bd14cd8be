//! The command line's help in Swedish. clap's derive attributes hold the English text; for a
//! Swedish session (`--lang sv`, or an `sv_*` locale) [`swedish`] replaces every about and help
//! text and clap's own headings before the arguments are parsed.

use clap::{Arg, ArgAction, Command};

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
        "Kontrollera en arbetsyta: alla poster går att läsa, index stämmer, versioner är rimliga.",
        &[],
    ),
    (
        "backup",
        "Skriv en konsistent ögonblicksbild av arbetsytan, med kontrollsumma, till FIL.",
        &[],
    ),
    (
        "restore",
        "Återställ en säkerhetskopia FIL till en ny arbetsyta (--db KATALOG, som måste vara tom eller saknas).",
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
        "import",
        "Importera partner eller aktiviteter från en CSV-fil (kolumner matchas på rubrik, svensk eller engelsk).",
        &[
            ("what", "partners eller activities."),
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

fn headings(cmd: Command) -> Command {
    cmd.help_template(TEMPLATE)
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
        .mut_args(|a| {
            let heading = if a.is_positional() {
                "Argument"
            } else {
                "Flaggor"
            };
            a.help_heading(heading)
        })
}

/// Replace the help of the listed arguments. (`mut_args` keeps positional arguments in their
/// order; `mut_arg` would move them to the end.)
fn with_help(cmd: Command, helps: &'static [ArgHelp]) -> Command {
    cmd.mut_args(|a| match helps.iter().find(|(id, _)| a.get_id() == *id) {
        Some((_, help)) => a.help(*help),
        None => a,
    })
}

/// The command line with Swedish help.
pub fn swedish(cmd: Command) -> Command {
    let mut cmd = headings(cmd)
        .about("En terminalarbetsyta för strategiska partnerskap: partner, tidslinje, värdematris och mötesanteckningar.")
        .disable_version_flag(true)
        .arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help("Visa versionen"),
        );
    cmd = with_help(cmd, GLOBAL_ARGS);
    for (name, about, args) in SUBCOMMANDS {
        cmd = cmd.mut_subcommand(*name, |mut s| {
            s = with_help(headings(s).about(*about), args);
            if *name == "keymap" {
                s = s
                    .mut_subcommand("check", |c| {
                        headings(c).about("Kontrollera en fil med kortkommandon; avslutar med felkod och anger fil, rad och kolumn för varje problem.")
                    })
                    .mut_subcommand("show", |c| {
                        headings(c)
                            .about("Visa de aktiva kortkommandona som en tabell (förvalet plus dina egna).")
                            .mut_args(|a| {
                                if a.get_id() == "preset" {
                                    a.help("Visa det här förvalet (default, vim, emacs) i stället för det inställda.")
                                } else {
                                    a
                                }
                            })
                    });
            }
            s
        });
    }
    cmd
}

/// The language asked for on the command line (`--lang sv`, `--lang=sv`), if any.
pub fn lang_arg(args: &[std::ffi::OsString]) -> Option<super::Lang> {
    let mut it = args.iter().filter_map(|a| a.to_str());
    while let Some(a) = it.next() {
        if a == "--lang" {
            return it.next().and_then(super::Lang::parse);
        }
        if let Some(v) = a.strip_prefix("--lang=") {
            return super::Lang::parse(v);
        }
    }
    None
}
