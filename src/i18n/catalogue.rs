//! The Swedish/English message catalogue of the terminal UI.
//!
//! # Why a typed catalogue and not Fluent
//! spets has exactly two languages, both maintained by the same team, and every string is shown in
//! a terminal cell grid where we need `&'static str` cheaply on every frame. A typed catalogue
//! gives us what matters most for the bilingual promise: **completeness is checked by the
//! compiler**. Every message is one line of the `catalogue!` table with an `en:` and an `sv:`
//! text; the macro only accepts a line with both, and the lookup is an exhaustive `match` on
//! `(Msg, Lang)`, so a message missing in one language fails the build. Enumerated values are
//! labelled by exhaustive `match`es on the domain enums (adding a variant in `domain` without a
//! label is a build error). Messages with numbers or names are plain functions with a `match` on
//! the language, which handles plurals (1 aktivitet / 3 aktiviteter) without a runtime plural
//! engine. Fluent would add a runtime parser, string ids that can drift from the code, and
//! missing-message detection only at run time or in a test.
//!
//! Dates use chrono's localised formats (`sv_SE`, `en_GB`); weeks are ISO weeks ("v. 48").

use super::Lang;
use crate::domain::{
    ActivityKind, ActivityStatus, AddedValue, AgreementKind, AgreementStatus, ContactRole, Format,
    MeetingKind, OrgKind, Phase, Rule, Side, Tier,
};
use chrono::{Datelike, NaiveDate};

macro_rules! catalogue {
    ($( $name:ident { en: $en:literal, sv: $sv:literal } )*) => {
        /// A fixed message of the interface.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Msg { $( $name, )* }

        impl Msg {
            /// Every message (for completeness tests).
            pub const ALL: &'static [Msg] = &[ $( Msg::$name, )* ];

            /// The text in `lang`.
            pub fn text(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $(
                        (Msg::$name, Lang::En) => $en,
                        (Msg::$name, Lang::Sv) => $sv,
                    )*
                }
            }
        }
    };
}

catalogue! {
    AppName { en: "spets", sv: "spets" }
    PanePartners { en: "Partners", sv: "Partner" }
    PaneTimeline { en: "Timeline", sv: "Tidslinje" }
    PaneMatrix { en: "Value matrix", sv: "Värdematris" }
    PaneNotes { en: "Meeting notes", sv: "Mötesanteckningar" }
    LanguageName { en: "English", sv: "Svenska" }
    User { en: "user", sv: "användare" }
    Loading { en: "Loading…", sv: "Laddar…" }
    TooSmall { en: "The terminal is too small: spets needs at least 80 columns and 24 rows.", sv: "Terminalen är för liten: spets behöver minst 80 kolumner och 24 rader." }
    // Columns
    ColName { en: "Name", sv: "Namn" }
    ColKind { en: "Kind", sv: "Typ" }
    ColCountry { en: "Country", sv: "Land" }
    ColPhase { en: "Phase", sv: "Fas" }
    ColTier { en: "Tier", sv: "Nivå" }
    ColAgreementEnd { en: "Agreement end", sv: "Avtal slutar" }
    ColAgreementEndShort { en: "Agr. ends", sv: "Avtal slut" }
    ColCountryShort { en: "Ctry", sv: "Land" }
    HintOpen { en: "open", sv: "öppna" }
    HintAdd { en: "add", sv: "ny" }
    HintSearch { en: "search", sv: "sök" }
    HintHelp { en: "help", sv: "hjälp" }
    HintCommands { en: "commands", sv: "kommandon" }
    HintMenu { en: "menu", sv: "meny" }
    HintLanguage { en: "svenska", sv: "english" }
    HintQuit { en: "quit", sv: "avsluta" }
    HintSave { en: "save", sv: "spara" }
    HintNext { en: "next field", sv: "nästa fält" }
    HintCancel { en: "cancel", sv: "avbryt" }
    HintYes { en: "yes", sv: "ja" }
    HintNo { en: "no", sv: "nej" }
    HintBack { en: "close", sv: "stäng" }
    HintDiff { en: "diff", sv: "skillnader" }
    HintReload { en: "reload", sv: "läs om" }
    HintOverwrite { en: "overwrite", sv: "skriv över" }
    ColValues { en: "Values", sv: "Värden" }
    ColDate { en: "Date", sv: "Datum" }
    ColTitle { en: "Title", sv: "Rubrik" }
    ColStatus { en: "Status", sv: "Status" }
    ColPartner { en: "Partner", sv: "Partner" }
    ColMean { en: "Mean", sv: "Medel" }
    ColOwner { en: "Owner", sv: "Ansvarig" }
    ColDue { en: "Due", sv: "Senast" }
    // Partners pane
    SortedBy { en: "sorted by", sv: "sorterat på" }
    Descending { en: "descending", sv: "fallande" }
    Search { en: "Search", sv: "Sök" }
    Filters { en: "Filters", sv: "Filter" }
    ArchiveView { en: "Archive", sv: "Arkiv" }
    RenewalMarkerHelp { en: "! renewal due   ‼ agreement ended", sv: "! dags att förnya   ‼ avtalet har gått ut" }
    EmptyPartnersTitle { en: "No partners yet", sv: "Inga partner ännu" }
    EmptyArchive { en: "The archive is empty.", sv: "Arkivet är tomt." }
    // Detail
    Detail { en: "Partner", sv: "Partner" }
    Agreements { en: "Agreements", sv: "Avtal" }
    ContactsPartner { en: "Contacts at the partner", sv: "Kontakter hos partnern" }
    ContactsOurs { en: "Our contacts", sv: "Våra kontakter" }
    Goals { en: "Common goals", sv: "Gemensamma mål" }
    Formats { en: "Formats", sv: "Samarbetsformer" }
    Faculties { en: "Faculties", sv: "Fakulteter" }
    SponsorsOurs { en: "Our senior sponsors", sv: "Våra ledningsföreträdare" }
    SponsorsPartner { en: "Partner's senior sponsors", sv: "Partnerns ledningsföreträdare" }
    RecentActivities { en: "Recent activities", sv: "Senaste aktiviteter" }
    OpenActions { en: "Open action items", sv: "Öppna åtgärdspunkter" }
    StrategicProfile { en: "Strategic profile", sv: "Strategisk profil" }
    Met { en: "met", sv: "uppfyllt" }
    NotMet { en: "not met", sv: "ej uppfyllt" }
    None { en: "none", sv: "inga" }
    OpenEnded { en: "open-ended", sv: "tillsvidare" }
    Scores { en: "Scores", sv: "Poäng" }
    // Timeline
    Upcoming { en: "upcoming", sv: "kommande" }
    Past { en: "past", sv: "passerad" }
    Today { en: "today", sv: "i dag" }
    ActivitiesPerMonth { en: "Activities per month", sv: "Aktiviteter per månad" }
    NoteMarker { en: "note", sv: "anteckning" }
    AllPartners { en: "all partners", sv: "alla partner" }
    // Matrix
    Target { en: "target", sv: "mål" }
    Evidence { en: "Evidence", sv: "Underlag" }
    EvidenceView { en: "evidence: activities in the last 12 months", sv: "underlag: aktiviteter de senaste 12 månaderna" }
    ScoresView { en: "latest scores", sv: "senaste poäng" }
    Examples { en: "Examples", sv: "Exempel" }
    History { en: "History", sv: "Historik" }
    NoHistory { en: "No assessments yet.", sv: "Inga bedömningar ännu." }
    MatrixLegend { en: "↑ rising  ↓ falling  → same  ·  /n target", sv: "↑ stiger  ↓ sjunker  → oförändrat  ·  /n mål" }
    // Notes
    MyActionItems { en: "My open action items", sv: "Mina öppna åtgärdspunkter" }
    Overdue { en: "overdue", sv: "försenad" }
    Done { en: "done", sv: "klar" }
    EmptyActions { en: "You have no open action items.", sv: "Du har inga öppna åtgärdspunkter." }
    Decisions { en: "Decisions", sv: "Beslut" }
    Attendees { en: "Attendees", sv: "Deltagare" }
    // Forms
    NewPartner { en: "New partner", sv: "Ny partner" }
    EditPartner { en: "Edit partner", sv: "Redigera partner" }
    NewActivity { en: "New activity", sv: "Ny aktivitet" }
    EditActivity { en: "Edit activity", sv: "Redigera aktivitet" }
    NewNote { en: "New meeting note", sv: "Ny mötesanteckning" }
    EditNote { en: "Edit meeting note", sv: "Redigera mötesanteckning" }
    Assessment { en: "Assessment", sv: "Bedömning" }
    Saving { en: "Saving…", sv: "Sparar…" }
    Saved { en: "Saved.", sv: "Sparat." }
    FixErrors { en: "Please correct the marked fields.", sv: "Rätta de markerade fälten." }
    Yes { en: "yes", sv: "ja" }
    No { en: "no", sv: "nej" }
    NotSet { en: "(not set)", sv: "(inte angivet)" }
    ListHint { en: "separate entries with ;", sv: "skilj poster åt med ;" }
    DateHint { en: "YYYY-MM-DD", sv: "ÅÅÅÅ-MM-DD" }
    ActionItem { en: "Action item", sv: "Åtgärdspunkt" }
    NewAgreement { en: "New agreement", sv: "Nytt avtal" }
    EditAgreement { en: "Edit agreement", sv: "Redigera avtal" }
    NewContact { en: "New contact", sv: "Ny kontakt" }
    EditContact { en: "Edit contact", sv: "Redigera kontakt" }
    ChooseAdd { en: "Add to this partner", sv: "Lägg till hos partnern" }
    ChooseEdit { en: "Edit", sv: "Redigera" }
    AddAgreement { en: "Agreement…", sv: "Avtal…" }
    AddContact { en: "Contact person…", sv: "Kontaktperson…" }
    AddActivity { en: "Activity…", sv: "Aktivitet…" }
    AddNote { en: "Meeting note…", sv: "Mötesanteckning…" }
    EditPartnerItem { en: "The partner itself…", sv: "Själva partnern…" }
    FSigned { en: "Signed", sv: "Undertecknat" }
    FStart { en: "Start", sv: "Start" }
    FEnd { en: "End (empty: open-ended)", sv: "Slut (tomt: tillsvidare)" }
    FSignatories { en: "Signatories", sv: "Undertecknare" }
    FRenewalLead { en: "Renewal lead (months)", sv: "Förnyelse (månader före)" }
    FSide { en: "Side", sv: "Sida" }
    FRole { en: "Role", sv: "Roll" }
    FEmail { en: "E-mail", sv: "E-post" }
    FPhone { en: "Phone", sv: "Telefon" }
    BadNumber { en: "is not a whole number", sv: "är inget heltal" }
    // Field labels
    FName { en: "Name", sv: "Namn" }
    FShortName { en: "Short name", sv: "Kortnamn" }
    FKind { en: "Kind", sv: "Typ" }
    FCountry { en: "Country (ISO code)", sv: "Land (ISO-kod)" }
    FCity { en: "City", sv: "Ort" }
    FWebsite { en: "Website", sv: "Webbplats" }
    FPhase { en: "Phase", sv: "Fas" }
    FTier { en: "Tier", sv: "Nivå" }
    FFormats { en: "Formats", sv: "Samarbetsformer" }
    FFaculties { en: "Faculties", sv: "Fakulteter" }
    FGoals { en: "Common goals", sv: "Gemensamma mål" }
    FTags { en: "Tags", sv: "Taggar" }
    FSponsorsOurs { en: "Our sponsors", sv: "Våra ledningsföreträdare" }
    FSponsorsPartner { en: "Partner's sponsors", sv: "Partnerns ledningsföreträdare" }
    FCoordinator { en: "Coordinator", sv: "Koordinator" }
    FDate { en: "Date", sv: "Datum" }
    FEndDate { en: "End date", sv: "Slutdatum" }
    FPartners { en: "Partners", sv: "Partner" }
    FTitle { en: "Title", sv: "Rubrik" }
    FDescription { en: "Description", sv: "Beskrivning" }
    FValues { en: "Values", sv: "Värden" }
    FStatus { en: "Status", sv: "Status" }
    FOwner { en: "Owner", sv: "Ansvarig" }
    FScore { en: "Score", sv: "Poäng" }
    FTarget { en: "Target", sv: "Mål" }
    FEvidence { en: "Evidence", sv: "Underlag" }
    FMeetingKind { en: "Meeting kind", sv: "Mötestyp" }
    FAttendees { en: "Attendees", sv: "Deltagare" }
    FBody { en: "Notes", sv: "Anteckningar" }
    FDecisions { en: "Decisions", sv: "Beslut" }
    FActionText { en: "Action", sv: "Åtgärd" }
    FDue { en: "Due", sv: "Senast" }
    FDone { en: "Done", sv: "Klar" }
    FOther { en: "Field", sv: "Fält" }
    // Local parse problems
    BadDate { en: "is not a date; write it as YYYY-MM-DD", sv: "är inget datum; skriv det som ÅÅÅÅ-MM-DD" }
    BadScore { en: "must be a number from 0 to 4", sv: "måste vara ett tal från 0 till 4" }
    UnknownPartnerName { en: "names no partner; type the start of a partner's name", sv: "anger ingen partner; skriv början av ett partnernamn" }
    // Overlays
    Help { en: "Help", sv: "Hjälp" }
    Palette { en: "Command palette", sv: "Kommandopalett" }
    Menu { en: "Menu", sv: "Meny" }
    MenuExport { en: "Export CSV…", sv: "Exportera CSV…" }
    MenuImport { en: "Import CSV…", sv: "Importera CSV…" }
    MenuLanguage { en: "Language: Svenska", sv: "Språk: English" }
    MenuHelp { en: "Keys and help", sv: "Tangenter och hjälp" }
    MenuQuit { en: "Quit", sv: "Avsluta" }
    WhichKey { en: "Continue with", sv: "Fortsätt med" }
    Confirm { en: "Confirm", sv: "Bekräfta" }
    ConfirmQuitUnsaved { en: "The form has unsaved input. Quit anyway?", sv: "Formuläret har osparad inmatning. Avsluta ändå?" }
    ConfirmCancelForm { en: "Discard the unsaved input?", sv: "Kasta den osparade inmatningen?" }
    DemoLoading { en: "Loading demo data…", sv: "Läser in demodata…" }
    DemoLoaded { en: "Demo data loaded:", sv: "Demodata inläst:" }
    NotHere { en: "That does nothing in this view.", sv: "Det gör ingenting i denna vy." }
    ReadOnly { en: "You can read but not change this workspace.", sv: "Du kan läsa men inte ändra denna arbetsyta." }
    Conflict { en: "Someone else changed this record meanwhile; reloaded their version. Please redo your edit.", sv: "Någon annan ändrade posten under tiden; deras version är inläst. Gör om din ändring." }
    NotFound { en: "The record no longer exists.", sv: "Posten finns inte längre." }
    StoreFailed { en: "The workspace could not be read or written:", sv: "Arbetsytan kunde inte läsas eller skrivas:" }
    Archived { en: "Archived.", sv: "Arkiverad." }
    Restored { en: "Restored.", sv: "Återställd." }
    KeymapErrors { en: "Your keymap has errors; using the preset instead:", sv: "Din tangentkarta har fel; förinställningen används i stället:" }
    Keys { en: "keys", sv: "tangenter" }
    Notices { en: "Please note", sv: "Observera" }
    FilterPrompt { en: "Filter", sv: "Filter" }
    Any { en: "any", sv: "alla" }
    DateRangePrompt { en: "Date range (FROM..TO, e.g. 2026-01-01..2026-12-31; empty clears)", sv: "Datumintervall (FRÅN..TILL, t.ex. 2026-01-01..2026-12-31; tomt rensar)" }
    PartnerPrompt { en: "Partner (start of the name; empty clears)", sv: "Partner (början av namnet; tomt rensar)" }
    CountryPrompt { en: "Country code (e.g. SE; empty clears)", sv: "Landskod (t.ex. SE; tomt rensar)" }
    ScoreLegend { en: "0 none · 1 emerging · 2 developing · 3 established · 4 outstanding", sv: "0 ingen · 1 begynnande · 2 utvecklande · 3 etablerad · 4 framstående" }
    Week { en: "w.", sv: "v." }
    Cancelled { en: "Cancelled.", sv: "Inställd." }
    // Export and import dialogs
    ExportTitle { en: "Export CSV", sv: "Exportera CSV" }
    ImportTitle { en: "Import CSV", sv: "Importera CSV" }
    FDataset { en: "Data", sv: "Data" }
    FScope { en: "Rows", sv: "Rader" }
    FDialect { en: "Format", sv: "Format" }
    FHeaders { en: "Headers", sv: "Rubriker" }
    FPath { en: "File", sv: "Fil" }
    FImportKind { en: "Kind", sv: "Typ" }
    ScopeAll { en: "Everything (not archived)", sv: "Allt (utom arkiverat)" }
    ScopePane { en: "What the pane shows (search and filters)", sv: "Det panelen visar (sökning och filter)" }
    ScopeNotForDataset { en: "The pane's filter does not apply to this data; choose Everything.", sv: "Panelens filter gäller inte för dessa data; välj Allt." }
    DialectExcelSv { en: "Excel, Swedish (;)", sv: "Excel, svenskt (;)" }
    DialectExcelEn { en: "Excel, English (,)", sv: "Excel, engelskt (,)" }
    DialectRfc { en: "Plain CSV (RFC 4180)", sv: "Ren CSV (RFC 4180)" }
    HeadersLabels { en: "Labels in English", sv: "Rubriker på svenska" }
    HeadersMachine { en: "Machine names (for scripts)", sv: "Maskinnamn (för skript)" }
    DsPartners { en: "Partners", sv: "Partner" }
    DsAgreements { en: "Agreements", sv: "Avtal" }
    DsContacts { en: "Contacts", sv: "Kontakter" }
    DsActivities { en: "Activities", sv: "Aktiviteter" }
    DsMatrix { en: "Value matrix (latest scores)", sv: "Värdematris (senaste poäng)" }
    DsAssessments { en: "Assessments (full history)", sv: "Bedömningar (hela historiken)" }
    DsNotes { en: "Meeting notes", sv: "Mötesanteckningar" }
    DsActions { en: "Action items", sv: "Åtgärdspunkter" }
    DsAudit { en: "Audit log", sv: "Ändringslogg" }
    PathEmpty { en: "Give a file name.", sv: "Ange ett filnamn." }
    Exporting { en: "Exporting…", sv: "Exporterar…" }
    Importing { en: "Importing…", sv: "Importerar…" }
    Checking { en: "Checking the file (nothing is written)…", sv: "Kontrollerar filen (inget skrivs)…" }
    ExportCancelled { en: "Export cancelled; no file was written.", sv: "Exporten avbröts; ingen fil skrevs." }
    ConfirmOverwriteFile { en: "The file already exists. Replace it?", sv: "Filen finns redan. Ersätta den?" }
    ExportFailed { en: "Export failed:", sv: "Exporten misslyckades:" }
    ExportForbidden { en: "your role on this server may not read these data (the audit log is for administrators).", sv: "din roll på servern får inte läsa dessa data (ändringsloggen är för administratörer)." }
    ImportFailed { en: "Import failed:", sv: "Importen misslyckades:" }
    ImportEmpty { en: "the file is empty: it has no header row", sv: "filen är tom: den saknar rubrikrad" }
    ImportReportTitle { en: "Import CSV: check", sv: "Importera CSV: kontroll" }
    ImportAll { en: "Import all rows", sv: "Importera alla rader" }
    ImportValidOnly { en: "Import only the valid rows", sv: "Importera bara de giltiga raderna" }
    ImportCancel { en: "Cancel (import nothing)", sv: "Avbryt (importera inget)" }
    ImportAllPass { en: "Every row passes.", sv: "Alla rader är giltiga." }
    ImportCancelled { en: "Import cancelled; nothing was written.", sv: "Importen avbröts; inget skrevs." }
    // Conflicts and reconnection
    ConflictTitle { en: "Changed meanwhile", sv: "Ändrad under tiden" }
    ConflictField { en: "Field", sv: "Fält" }
    ConflictTheirs { en: "Their value", sv: "Deras värde" }
    ConflictYours { en: "Your value", sv: "Ditt värde" }
    ConflictWas { en: "Was", sv: "Tidigare" }
    ConflictNoFields { en: "(the changed fields are not known)", sv: "(vilka fält som ändrades är okänt)" }
    ConflictReloaded { en: "Their version is loaded; your changes were discarded.", sv: "Deras version är inläst; dina ändringar kastades." }
    Reconnecting { en: "reconnecting to the server…", sv: "återansluter till servern…" }
    Reconnected { en: "Connected to the server again.", sv: "Ansluten till servern igen." }
    Offline { en: "offline", sv: "frånkopplad" }
    OfflineRefused { en: "Offline, reconnecting: that needs the server. Your input is kept.", sv: "Frånkopplad, återansluter: det kräver servern. Din inmatning finns kvar." }
    ReadOnlyRole { en: "read only", sv: "endast läsning" }
    ReadOnlyForm { en: "Read only: you can read but not change this workspace", sv: "Endast läsning: du kan läsa men inte ändra denna arbetsyta" }
    VimInsert { en: "-- INSERT --", sv: "-- INFOGA --" }
    VimNormal { en: "-- NORMAL --", sv: "-- NORMAL --" }
    VimUnknownCommand { en: "Unknown command; use :w to save, :q to leave, :q! to discard.", sv: "Okänt kommando; använd :w för att spara, :q för att lämna, :q! för att kasta." }
    ChooseArchive { en: "Archive", sv: "Arkivera" }
    ChooseRestore { en: "Restore from the archive", sv: "Återställ från arkivet" }
    NothingArchived { en: "Nothing of this partner is archived.", sv: "Inget hos denna partner är arkiverat." }
    ArchivePartnerItem { en: "The partner itself…", sv: "Själva partnern…" }
    ArchivedRecords { en: "Archived agreements and contacts", sv: "Arkiverade avtal och kontakter" }
}

/// Shorthand for [`Msg::text`].
pub fn t(lang: Lang, msg: Msg) -> &'static str {
    msg.text(lang)
}

/// Things counted in the interface, with singular and plural forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Noun {
    Partner,
    Activity,
    Note,
    ActionItem,
    Agreement,
    Renewal,
}

/// "1 activity", "3 activities", "1 aktivitet", "3 aktiviteter".
pub fn count(lang: Lang, n: usize, noun: Noun) -> String {
    let (one, many) = match (lang, noun) {
        (Lang::En, Noun::Partner) => ("partner", "partners"),
        (Lang::Sv, Noun::Partner) => ("partner", "partner"),
        (Lang::En, Noun::Activity) => ("activity", "activities"),
        (Lang::Sv, Noun::Activity) => ("aktivitet", "aktiviteter"),
        (Lang::En, Noun::Note) => ("note", "notes"),
        (Lang::Sv, Noun::Note) => ("anteckning", "anteckningar"),
        (Lang::En, Noun::ActionItem) => ("action item", "action items"),
        (Lang::Sv, Noun::ActionItem) => ("åtgärdspunkt", "åtgärdspunkter"),
        (Lang::En, Noun::Agreement) => ("agreement", "agreements"),
        (Lang::Sv, Noun::Agreement) => ("avtal", "avtal"),
        (Lang::En, Noun::Renewal) => ("agreement needs renewal", "agreements need renewal"),
        (Lang::Sv, Noun::Renewal) => ("avtal behöver förnyas", "avtal behöver förnyas"),
    };
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The start-up notice about agreements in their renewal lead time or past their end.
pub fn renewals_notice(lang: Lang, due: usize, expired: usize, first: &str) -> String {
    match lang {
        Lang::En => {
            format!("{due} due for renewal, {expired} ended: {first}… (marked ! and ‼ in Partners)")
        }
        Lang::Sv => format!(
            "{due} ska förnyas, {expired} har gått ut: {first}… (markerade ! och ‼ i Partner)"
        ),
    }
}

/// A short status-bar label for an action's hint (None: use the action's description).
pub fn hint_label(lang: Lang, action: crate::keymap::Action) -> Option<&'static str> {
    use crate::keymap::Action as A;
    let m = match action {
        A::Open => Msg::HintOpen,
        A::Add => Msg::HintAdd,
        A::Search => Msg::HintSearch,
        A::Help => Msg::HintHelp,
        A::CommandPalette => Msg::HintCommands,
        A::Menu => Msg::HintMenu,
        A::ToggleLanguage => Msg::HintLanguage,
        A::Quit => Msg::HintQuit,
        A::Save => Msg::HintSave,
        A::NextField => Msg::HintNext,
        A::Cancel => Msg::HintCancel,
        A::ConfirmYes => Msg::HintYes,
        A::ConfirmNo => Msg::HintNo,
        A::Back => Msg::HintBack,
        A::ShowDiff => Msg::HintDiff,
        A::Reload => Msg::HintReload,
        A::Overwrite => Msg::HintOverwrite,
        _ => return None,
    };
    Some(t(lang, m))
}

/// The form's bottom line: its keys from the live keymap.
pub fn form_hint(lang: Lang, next: &str, save: &str, cancel: &str) -> String {
    match lang {
        Lang::En => format!("{next} next field · Space/←→ choose · {save} save · {cancel} cancel"),
        Lang::Sv => {
            format!("{next} nästa fält · Mellanslag/←→ välj · {save} spara · {cancel} avbryt")
        }
    }
}

/// The empty partners pane: how to add the first partner.
pub fn empty_partners_add(lang: Lang, key: &str) -> String {
    match lang {
        Lang::En => format!("Press {key} to add your first partner,"),
        Lang::Sv => format!("Tryck {key} för att lägga till din första partner,"),
    }
}

/// The empty partners pane: how to load the demo data.
pub fn empty_partners_demo(lang: Lang, key: &str) -> String {
    match lang {
        Lang::En => format!("press {key} to load sample data to try spets with,"),
        Lang::Sv => format!("tryck {key} för att läsa in exempeldata att prova spets med,"),
    }
}

/// The empty partners pane: where the import is.
pub fn empty_partners_import(lang: Lang, key: &str) -> String {
    match lang {
        Lang::En => format!("or import a CSV file: Import CSV… in the menu ({key})."),
        Lang::Sv => format!("eller importera en CSV-fil: Importera CSV… i menyn ({key})."),
    }
}

/// Nothing matches the search and filters.
pub fn no_matches(lang: Lang, key: &str) -> String {
    match lang {
        Lang::En => format!("Nothing matches the search and filters. Press {key} to clear them."),
        Lang::Sv => format!("Inget matchar sökningen och filtren. Tryck {key} för att rensa dem."),
    }
}

/// The empty timeline.
pub fn empty_timeline(lang: Lang, key: &str) -> String {
    match lang {
        Lang::En => format!("No activities in this range. Press {key} to add one."),
        Lang::Sv => {
            format!("Inga aktiviteter i detta intervall. Tryck {key} för att lägga till en.")
        }
    }
}

/// The empty notes pane.
pub fn empty_notes(lang: Lang, key: &str) -> String {
    match lang {
        Lang::En => format!("No meeting notes yet. Press {key} to write one."),
        Lang::Sv => format!("Inga mötesanteckningar ännu. Tryck {key} för att skriva en."),
    }
}

/// The empty matrix.
pub fn empty_matrix(lang: Lang, key: &str) -> String {
    match lang {
        Lang::En => format!("No partners to assess. Add partners in the Partners pane ({key})."),
        Lang::Sv => {
            format!("Inga partner att bedöma. Lägg till partner i panelen Partner ({key}).")
        }
    }
}

/// Under "the terminal is too small".
pub fn too_small_hint(lang: Lang, quit: &str) -> String {
    match lang {
        Lang::En => {
            format!(
                "Enlarge the window, or press {quit} to quit. Other keys are ignored until then."
            )
        }
        Lang::Sv => format!(
            "Gör fönstret större, eller tryck {quit} för att avsluta. Andra tangenter ignoreras tills dess."
        ),
    }
}

/// The answer keys of a confirmation ("y yes · n no").
pub fn confirm_keys(lang: Lang, yes: &str, no: &str) -> String {
    match lang {
        Lang::En => format!("{yes} yes · {no} no"),
        Lang::Sv => format!("{yes} ja · {no} nej"),
    }
}

/// How a notice dialog closes.
pub fn info_close(lang: Lang, keys: &str) -> String {
    match lang {
        Lang::En => format!("{keys} closes this message."),
        Lang::Sv => format!("{keys} stänger meddelandet."),
    }
}

/// The help screen's first line.
pub fn help_intro(lang: Lang, close: &str) -> String {
    match lang {
        Lang::En => format!(
            "Keys for this view (from the active keymap). Type to search, {close} to close."
        ),
        Lang::Sv => format!(
            "Tangenter för denna vy (från aktiv tangentkarta). Skriv för att söka, {close} stänger."
        ),
    }
}

/// The palette's second line.
pub fn palette_hint(lang: Lang, up_down: &str, run: &str, close: &str) -> String {
    match lang {
        Lang::En => format!("Type to search, {up_down} choose, {run} run, {close} close"),
        Lang::Sv => format!("Skriv för att söka, {up_down} välj, {run} kör, {close} stäng"),
    }
}

/// How a running export is cancelled.
pub fn esc_cancels(lang: Lang, key: &str) -> String {
    match lang {
        Lang::En => format!("{key} cancels"),
        Lang::Sv => format!("{key} avbryter"),
    }
}

/// The offer of a draft kept from an earlier session.
pub fn draft_offer(lang: Lang, title: &str, when: &str) -> String {
    match lang {
        Lang::En => format!(
            "Unsaved input of “{title}” from {when} was kept. Restore it? (No discards it.)"
        ),
        Lang::Sv => format!(
            "Osparad inmatning i ”{title}” från {when} har sparats undan. Återställa den? (Nej kastar den.)"
        ),
    }
}

/// "Archive «name»?"
pub fn confirm_archive(lang: Lang, name: &str) -> String {
    match lang {
        Lang::En => format!("Archive “{name}”? It can be restored from the archive (A)."),
        Lang::Sv => format!("Arkivera ”{name}”? Den kan återställas från arkivet (A)."),
    }
}

/// "Restore «name»?"
pub fn confirm_restore(lang: Lang, name: &str) -> String {
    match lang {
        Lang::En => format!("Restore “{name}” from the archive?"),
        Lang::Sv => format!("Återställa ”{name}” från arkivet?"),
    }
}

/// A profile check as a sentence with its reason.
pub fn profile_check(lang: Lang, check: crate::service::ProfileCheck) -> String {
    use crate::service::ProfileCheck as P;
    match (lang, check) {
        (Lang::En, P::SeniorSponsors { ours, theirs }) => {
            format!("Senior management on both sides: {ours} of ours, {theirs} at the partner")
        }
        (Lang::Sv, P::SeniorSponsors { ours, theirs }) => {
            format!("Ledningen engagerad på båda sidor: {ours} hos oss, {theirs} hos partnern")
        }
        (
            Lang::En,
            P::LongTermAgreement {
                open_ended: true, ..
            },
        ) => "Long-term commitment: an open-ended agreement".into(),
        (
            Lang::Sv,
            P::LongTermAgreement {
                open_ended: true, ..
            },
        ) => "Långsiktigt åtagande: ett tillsvidareavtal".into(),
        (Lang::En, P::LongTermAgreement { longest_months, .. }) => match longest_months {
            Some(m) => {
                format!("Long-term commitment (5 years or more): longest agreement {m} months")
            }
            Option::None => {
                "Long-term commitment (5 years or more): no agreement with an end date".into()
            }
        },
        (Lang::Sv, P::LongTermAgreement { longest_months, .. }) => match longest_months {
            Some(m) => format!("Långsiktigt åtagande (minst 5 år): längsta avtalet {m} månader"),
            Option::None => "Långsiktigt åtagande (minst 5 år): inget avtal med slutdatum".into(),
        },
        (Lang::En, P::CommonGoals { goals }) => format!("Common goals recorded: {goals}"),
        (Lang::Sv, P::CommonGoals { goals }) => format!("Gemensamma mål registrerade: {goals}"),
        (Lang::En, P::DiverseActivities { kinds }) => format!(
            "Diverse activities (3+ kinds in 2 years): {kinds} {}",
            if kinds == 1 { "kind" } else { "kinds" }
        ),
        (Lang::Sv, P::DiverseActivities { kinds }) => {
            format!("Varierade aktiviteter (minst 3 slag på 2 år): {kinds} slag")
        }
        (Lang::En, P::MutualBenefit { values }) => format!(
            "Mutual benefit (score 3+ on 2 values): {values} {}",
            if values == 1 { "value" } else { "values" }
        ),
        (Lang::Sv, P::MutualBenefit { values }) => format!(
            "Ömsesidig nytta (poäng 3+ på 2 värden): {values} {}",
            if values == 1 { "värde" } else { "värden" }
        ),
    }
}

/// A validation rule as a phrase after the field (and value), in `lang`: the one text of every rule,
/// for forms, CSV import reports and the command line.
pub fn rule(lang: Lang, rule: &Rule) -> String {
    if lang == Lang::En {
        // The domain's own English text (also used in logs).
        return rule.to_string();
    }
    match rule {
        Rule::Required => "får inte vara tomt".into(),
        Rule::TooLong { max, given } => {
            format!("har {given} tecken, fler än de {max} som tillåts; korta det")
        }
        Rule::TooMany { max, given } => {
            format!("har {given} poster, fler än de {max} som tillåts; ta bort några")
        }
        Rule::RecordTooLarge { max, given } => format!(
            "gör posten {given} byte lång, mer än de {max} en post får ta; korta de längsta texterna"
        ),
        Rule::UnknownCountry => {
            "är inte en landskod enligt ISO 3166-1 alpha-2 (t.ex. SE, DE, JP)".into()
        }
        Rule::EndBeforeStart => "slutar innan det börjar; kontrollera båda datumen".into(),
        Rule::ScoreOutOfRange => "måste vara en poäng från 0 till 4".into(),
        Rule::DuplicatePartner { existing } => {
            format!("finns redan i det här landet (partner-id {existing}); ändra den i stället")
        }
        Rule::NoPartner => "behöver minst en partner".into(),
        Rule::UnknownPartner => "är en partner som inte finns eller är arkiverad".into(),
        Rule::InvalidEmail => "är inte en e-postadress (namn@example.org)".into(),
        Rule::InvalidWebsite => "måste börja med https:// eller http://".into(),
        Rule::LeadTimeOutOfRange => "måste vara mellan 0 och 60 månader".into(),
        Rule::DateOutOfRange => "ligger utanför åren 1900–2200; kontrollera året".into(),
        Rule::Duplicated => "anger samma sak två gånger".into(),
        Rule::DuplicateRow { row } => {
            format!("finns redan på rad {row} i den här filen; behåll en av dem")
        }
        Rule::NotArchived => "är inte arkiverad; arkivera den innan den raderas".into(),
        Rule::StillReferenced { count } => {
            format!("används fortfarande av {count} andra poster; radera eller flytta dem först")
        }
    }
}

/// Labels of enumerated values in both languages.
pub trait Label {
    fn label(self, lang: Lang) -> &'static str;
}

macro_rules! labels {
    ($ty:ty { $( $v:ident => $en:literal, $sv:literal; )* }) => {
        impl Label for $ty {
            fn label(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $(
                        (<$ty>::$v, Lang::En) => $en,
                        (<$ty>::$v, Lang::Sv) => $sv,
                    )*
                }
            }
        }
    };
}

labels!(OrgKind {
    University => "University", "Lärosäte";
    Company => "Company", "Företag";
    PublicOrganisation => "Public body", "Offentlig org.";
    NonProfit => "Non-profit", "Ideell org.";
    Other => "Other", "Annan";
});
labels!(Phase {
    Prospect => "Prospect", "Kandidat";
    StartUp => "Start-up", "Uppstart";
    Running => "Running", "Drift";
    Evaluation => "Evaluation", "Utvärdering";
    NewStart => "New start", "Nystart";
    PhaseOut => "Phase-out", "Avveckling";
    Ended => "Ended", "Avslutad";
});
labels!(Tier {
    Strategic => "Strategic", "Strategisk";
    Other => "Other", "Övrig";
});
labels!(Format {
    Research => "Research", "Forskning";
    Education => "Education", "Utbildning";
    StudentMobility => "Student mobility", "Studentutbyte";
    StaffMobility => "Staff mobility", "Personalutbyte";
    JointFunding => "Joint funding applications", "Gemensamma ansökningar";
    InfrastructureSharing => "Shared infrastructure", "Delad infrastruktur";
    Innovation => "Innovation", "Innovation";
    ContinuingEducation => "Continuing education", "Vidareutbildning";
    DoctoralTraining => "Doctoral training", "Forskarutbildning";
    Internships => "Internships and degree projects", "Praktik och examensarbeten";
    AdvisoryRoles => "Advisory roles", "Rådgivande uppdrag";
    Events => "Events", "Evenemang";
});
labels!(AgreementKind {
    Mou => "MoU", "Avsiktsförklaring";
    Framework => "Framework agreement", "Ramavtal";
    Exchange => "Exchange agreement", "Utbytesavtal";
    Research => "Research agreement", "Forskningsavtal";
    Other => "Other agreement", "Annat avtal";
});
labels!(AgreementStatus {
    Draft => "Draft", "Utkast";
    Negotiation => "In negotiation", "Förhandlas";
    Active => "Active", "Gällande";
    Expired => "Expired", "Utgånget";
    Terminated => "Terminated", "Uppsagt";
});
labels!(Side {
    Partner => "Partner", "Partnern";
    Ours => "Ours", "Vi";
});
labels!(ContactRole {
    PartnerDirector => "Partner director", "Partnerdirektör";
    PartnerManager => "Partner manager", "Partneransvarig";
    SteeringGroup => "Steering group", "Styrgrupp";
    Signatory => "Signatory", "Firmatecknare";
    Other => "Other", "Annan";
});
labels!(ActivityKind {
    Meeting => "Meeting", "Möte";
    Visit => "Visit", "Besök";
    Workshop => "Workshop", "Workshop";
    Conference => "Conference/event", "Konferens/evenemang";
    JointApplication => "Joint application", "Gemensam ansökan";
    AgreementMilestone => "Agreement milestone", "Avtalshändelse";
    Publication => "Publication", "Publikation";
    Mobility => "Mobility/exchange", "Mobilitet/utbyte";
    FundingDecision => "Funding decision", "Finansieringsbeslut";
    Other => "Other", "Annat";
});
labels!(ActivityStatus {
    Planned => "Planned", "Planerad";
    Done => "Done", "Genomförd";
    Cancelled => "Cancelled", "Inställd";
});
labels!(AddedValue {
    Quality => "Quality", "Kvalitet";
    Resources => "Resources", "Resurser";
    Impact => "Impact", "Samhällspåverkan";
    Influence => "Influence", "Inflytande";
    Reputation => "Reputation", "Anseende";
    CulturalChange => "Cultural change", "Kulturförändring";
});
labels!(MeetingKind {
    SteeringGroup => "Steering group", "Styrgrupp";
    Management => "Management meeting", "Ledningsmöte";
    WorkingGroup => "Working group", "Arbetsgrupp";
    AnnualReview => "Annual review", "Årlig uppföljning";
    Other => "Other", "Annat";
});

/// A short column header for a value (matrix columns are narrow).
pub fn value_short(lang: Lang, v: AddedValue) -> &'static str {
    match (lang, v) {
        (Lang::En, AddedValue::Quality) => "Qual",
        (Lang::Sv, AddedValue::Quality) => "Kval",
        (Lang::En, AddedValue::Resources) => "Res",
        (Lang::Sv, AddedValue::Resources) => "Res",
        (Lang::En, AddedValue::Impact) => "Impact",
        (Lang::Sv, AddedValue::Impact) => "Påverk",
        (Lang::En, AddedValue::Influence) => "Infl",
        (Lang::Sv, AddedValue::Influence) => "Infl",
        (Lang::En, AddedValue::Reputation) => "Reput",
        (Lang::Sv, AddedValue::Reputation) => "Ansee",
        (Lang::En, AddedValue::CulturalChange) => "Cult",
        (Lang::Sv, AddedValue::CulturalChange) => "Kultur",
    }
}

/// The label of a score level 0..=4.
pub fn score_label(lang: Lang, score: u8) -> &'static str {
    match (lang, score) {
        (Lang::En, 0) => "none",
        (Lang::Sv, 0) => "ingen",
        (Lang::En, 1) => "emerging",
        (Lang::Sv, 1) => "begynnande",
        (Lang::En, 2) => "developing",
        (Lang::Sv, 2) => "utvecklande",
        (Lang::En, 3) => "established",
        (Lang::Sv, 3) => "etablerad",
        (Lang::En, _) => "outstanding",
        (Lang::Sv, _) => "framstående",
    }
}

/// What a value covers, and examples, in the product's own words.
pub fn value_description(lang: Lang, v: AddedValue) -> (&'static str, &'static [&'static str]) {
    match (lang, v) {
        (Lang::En, AddedValue::Quality) => (
            "The partnership lifts the quality and relevance of our research and teaching.",
            &[
                "Courses shaped together with the partner's practitioners",
                "Joint research that neither side could run alone",
                "Collaboration that is structured and can scale",
            ],
        ),
        (Lang::Sv, AddedValue::Quality) => (
            "Partnerskapet höjer kvaliteten och relevansen i vår forskning och utbildning.",
            &[
                "Kurser som formas tillsammans med partnerns yrkesverksamma",
                "Gemensam forskning som ingen part klarar ensam",
                "Samverkan med struktur som går att skala upp",
            ],
        ),
        (Lang::En, AddedValue::Resources) => (
            "We gain access to resources we would not otherwise have.",
            &[
                "Unique infrastructure, data or technology at the partner",
                "Investments the partner co-funds",
                "Stronger joint applications for external funding",
            ],
        ),
        (Lang::Sv, AddedValue::Resources) => (
            "Vi får tillgång till resurser vi annars inte skulle ha.",
            &[
                "Unik infrastruktur, data eller teknik hos partnern",
                "Satsningar som partnern medfinansierar",
                "Starkare gemensamma ansökningar om extern finansiering",
            ],
        ),
        (Lang::En, AddedValue::Impact) => (
            "Knowledge is created together and put to use in society.",
            &[
                "Research results applied in the partner's operations",
                "Co-created solutions to shared challenges",
                "Closer ties between the university and society",
            ],
        ),
        (Lang::Sv, AddedValue::Impact) => (
            "Kunskap skapas tillsammans och kommer till nytta i samhället.",
            &[
                "Forskningsresultat som används i partnerns verksamhet",
                "Lösningar på gemensamma utmaningar som tas fram tillsammans",
                "Närmare band mellan lärosätet och samhället",
            ],
        ),
        (Lang::En, AddedValue::Influence) => (
            "Together we carry more weight with decision-makers and in public debate.",
            &[
                "Joint statements on research and education policy",
                "Raising societal needs with funders and government",
                "An alliance that sets the agenda in a field",
            ],
        ),
        (Lang::Sv, AddedValue::Influence) => (
            "Tillsammans väger vi tyngre hos beslutsfattare och i samhällsdebatten.",
            &[
                "Gemensamma inspel om forsknings- och utbildningspolitik",
                "Att lyfta samhällsbehov hos finansiärer och regering",
                "En allians som sätter agendan inom ett område",
            ],
        ),
        (Lang::En, AddedValue::Reputation) => (
            "The partnership makes us visible and attractive.",
            &[
                "Visibility and a clearer profile",
                "Recruiting staff and students through the partner",
                "Showing the university's role in society",
            ],
        ),
        (Lang::Sv, AddedValue::Reputation) => (
            "Partnerskapet gör oss synliga och attraktiva.",
            &[
                "Synlighet och en tydligare profil",
                "Rekrytering av personal och studenter via partnern",
                "Att visa lärosätets roll i samhället",
            ],
        ),
        (Lang::En, AddedValue::CulturalChange) => (
            "Working together changes how we set priorities and talk about collaboration.",
            &[
                "Rallying faculties around joint initiatives",
                "A shared basis for setting priorities",
                "Staff who see and can explain the value of collaboration",
            ],
        ),
        (Lang::Sv, AddedValue::CulturalChange) => (
            "Samarbetet förändrar hur vi prioriterar och talar om samverkan.",
            &[
                "Fakulteter som samlas kring gemensamma initiativ",
                "En gemensam grund för prioriteringar",
                "Medarbetare som ser och kan förklara värdet av samverkan",
            ],
        ),
    }
}

fn locale(lang: Lang) -> chrono::Locale {
    match lang {
        Lang::En => chrono::Locale::en_GB,
        Lang::Sv => chrono::Locale::sv_SE,
    }
}

/// "November 2026" / "november 2026".
pub fn month_year(lang: Lang, d: NaiveDate) -> String {
    d.format_localized("%B %Y", locale(lang)).to_string()
}

/// "Nov" / "nov" (for chart labels).
pub fn month_short(lang: Lang, d: NaiveDate) -> String {
    d.format_localized("%b", locale(lang))
        .to_string()
        .trim_end_matches('.')
        .to_string()
}

/// "Sat" / "lör".
pub fn weekday_short(lang: Lang, d: NaiveDate) -> String {
    d.format_localized("%a", locale(lang)).to_string()
}

/// "w. 48" / "v. 48": the ISO week.
pub fn week(lang: Lang, d: NaiveDate) -> String {
    format!("{} {}", t(lang, Msg::Week), d.iso_week().week())
}

/// The label of a field (its machine name from the domain), for forms and validation messages.
pub fn field_label(lang: Lang, field: &str) -> &'static str {
    let msg = match field {
        "name" => Msg::FName,
        "short_name" => Msg::FShortName,
        "kind" => Msg::FKind,
        "country" => Msg::FCountry,
        "city" => Msg::FCity,
        "website" => Msg::FWebsite,
        "phase" => Msg::FPhase,
        "tier" => Msg::FTier,
        "formats" => Msg::FFormats,
        "faculties" => Msg::FFaculties,
        "goals" => Msg::FGoals,
        "tags" => Msg::FTags,
        "sponsors_ours" => Msg::FSponsorsOurs,
        "sponsors_partner" => Msg::FSponsorsPartner,
        "coordinator" => Msg::FCoordinator,
        "date" => Msg::FDate,
        "end_date" => Msg::FEndDate,
        "partners" => Msg::FPartners,
        "title" => Msg::FTitle,
        "description" => Msg::FDescription,
        "values" => Msg::FValues,
        "status" => Msg::FStatus,
        "owner" => Msg::FOwner,
        "score" => Msg::FScore,
        "target" => Msg::FTarget,
        "evidence" => Msg::FEvidence,
        "meeting_kind" => Msg::FMeetingKind,
        "attendees" => Msg::FAttendees,
        "body" => Msg::FBody,
        "decisions" => Msg::FDecisions,
        "actions" | "action_text" => Msg::FActionText,
        "action_due" => Msg::FDue,
        "action_done" => Msg::FDone,
        "action_owner" => Msg::FOwner,
        "signed" => Msg::FSigned,
        "start" => Msg::FStart,
        "end" => Msg::FEnd,
        "signatories" => Msg::FSignatories,
        "renewal_lead_months" => Msg::FRenewalLead,
        "side" => Msg::FSide,
        "role" => Msg::FRole,
        "email" => Msg::FEmail,
        "phone" => Msg::FPhone,
        _ => Msg::FOther,
    };
    t(lang, msg)
}

/// "Exported 1 row to PATH" / "Exporterade 3 rader till PATH".
pub fn export_done(lang: Lang, rows: usize, path: &str) -> String {
    match (lang, rows == 1) {
        (Lang::En, true) => format!("Exported 1 row to {path}"),
        (Lang::En, false) => format!("Exported {rows} rows to {path}"),
        (Lang::Sv, true) => format!("Exporterade 1 rad till {path}"),
        (Lang::Sv, false) => format!("Exporterade {rows} rader till {path}"),
    }
}

/// Rows written so far (the progress line of an export).
pub fn rows_so_far(lang: Lang, rows: usize, total: Option<usize>) -> String {
    let noun = match (lang, rows == 1 && total.is_none()) {
        (Lang::En, true) => "row",
        (Lang::En, false) => "rows",
        (Lang::Sv, true) => "rad",
        (Lang::Sv, false) => "rader",
    };
    match (lang, total) {
        (Lang::En, Some(t)) => format!("{rows} of {t} {noun}"),
        (Lang::Sv, Some(t)) => format!("{rows} av {t} {noun}"),
        (_, None) => format!("{rows} {noun}"),
    }
}

/// Why a file could not be written or read, in plain words, naming the path.
pub fn file_error(
    lang: Lang,
    kind: std::io::ErrorKind,
    path: &str,
    dir: &str,
    other: &str,
) -> String {
    use std::io::ErrorKind as K;
    match (lang, kind) {
        (Lang::En, K::NotFound) => format!("{path}: the folder {dir} does not exist"),
        (Lang::Sv, K::NotFound) => format!("{path}: mappen {dir} finns inte"),
        (Lang::En, K::PermissionDenied) => {
            format!("{path}: you have no permission to write in {dir}")
        }
        (Lang::Sv, K::PermissionDenied) => {
            format!("{path}: du har inte behörighet att skriva i {dir}")
        }
        (Lang::En, K::StorageFull) => format!("{path}: the disk is full"),
        (Lang::Sv, K::StorageFull) => format!("{path}: disken är full"),
        (Lang::En, K::IsADirectory) => format!("{path} is a folder, not a file"),
        (Lang::Sv, K::IsADirectory) => format!("{path} är en mapp, inte en fil"),
        (Lang::En, K::ReadOnlyFilesystem) => format!("{path}: the disk is read-only"),
        (Lang::Sv, K::ReadOnlyFilesystem) => format!("{path}: disken är skrivskyddad"),
        (_, _) => format!("{path}: {other}"),
    }
}

/// Why a file could not be read (import).
pub fn read_error(lang: Lang, kind: std::io::ErrorKind, path: &str, other: &str) -> String {
    use std::io::ErrorKind as K;
    match (lang, kind) {
        (Lang::En, K::NotFound) => format!("{path}: there is no such file"),
        (Lang::Sv, K::NotFound) => format!("{path}: filen finns inte"),
        (Lang::En, K::PermissionDenied) => format!("{path}: you have no permission to read it"),
        (Lang::Sv, K::PermissionDenied) => format!("{path}: du har inte behörighet att läsa den"),
        (Lang::En, K::IsADirectory) => format!("{path} is a folder, not a file"),
        (Lang::Sv, K::IsADirectory) => format!("{path} är en mapp, inte en fil"),
        (_, _) => format!("{path}: {other}"),
    }
}

/// The notice after an import: "Imported 3 partners; 1 row skipped."
pub fn import_done(lang: Lang, written: usize, noun: Noun, skipped: usize) -> String {
    let what = count(lang, written, noun);
    match (lang, skipped) {
        (Lang::En, 0) => format!("Imported {what}."),
        (Lang::Sv, 0) => format!("Importerade {what}."),
        (Lang::En, 1) => format!("Imported {what}; 1 row with problems was skipped."),
        (Lang::Sv, 1) => format!("Importerade {what}; 1 rad med fel hoppades över."),
        (Lang::En, n) => format!("Imported {what}; {n} rows with problems were skipped."),
        (Lang::Sv, n) => format!("Importerade {what}; {n} rader med fel hoppades över."),
    }
}

/// The dry-run summary: "12 rows read, 11 valid, 1 with problems."
pub fn import_checked(lang: Lang, rows: usize, valid: usize) -> String {
    let bad = rows.saturating_sub(valid);
    match (lang, rows == 1) {
        (Lang::En, true) => format!("1 row read, {valid} valid, {bad} with problems."),
        (Lang::En, false) => format!("{rows} rows read, {valid} valid, {bad} with problems."),
        (Lang::Sv, true) => format!("1 rad läst, {valid} giltig, {bad} med fel."),
        (Lang::Sv, false) => format!("{rows} rader lästa, {valid} giltiga, {bad} med fel."),
    }
}

/// The head of the conflict dialog.
pub fn conflict_by(lang: Lang, who: &str, when: &str) -> String {
    match lang {
        Lang::En => format!(
            "{who} saved this record at {when}, after you opened it. The fields they changed:"
        ),
        Lang::Sv => {
            format!("{who} sparade posten {when}, efter att du öppnade den. Fälten som ändrades:")
        }
    }
}

/// The key line of the conflict dialog, from the live keymap.
pub fn conflict_keys(lang: Lang, diff: &str, reload: &str, overwrite: &str, back: &str) -> String {
    match lang {
        Lang::En => format!(
            "{diff} show/hide earlier values · {reload} reload theirs (discard mine) · {overwrite} overwrite with mine · {back} back to the form"
        ),
        Lang::Sv => format!(
            "{diff} visa/dölj tidigare värden · {reload} läs in deras (kasta mina) · {overwrite} skriv över med mina · {back} tillbaka till formuläret"
        ),
    }
}

/// The key line of the export and import dialogs, from the live keymap. `go` is what Save does
/// there ("export", "check the file").
pub fn transfer_keys(lang: Lang, next: &str, save: &str, cancel: &str, export: bool) -> String {
    match (lang, export) {
        (Lang::En, true) => format!(
            "{next} next field · ←/→ or Space change · {save} or Enter export · {cancel} cancel"
        ),
        (Lang::En, false) => format!(
            "{next} next field · ←/→ or Space change · {save} or Enter check the file · {cancel} cancel"
        ),
        (Lang::Sv, true) => format!(
            "{next} nästa fält · ←/→ eller blanksteg ändrar · {save} eller Enter exporterar · {cancel} avbryt"
        ),
        (Lang::Sv, false) => format!(
            "{next} nästa fält · ←/→ eller blanksteg ändrar · {save} eller Enter kontrollerar filen · {cancel} avbryt"
        ),
    }
}

/// The key line under the import report, from the live keymap.
pub fn review_keys(lang: Lang, up_down: &str, pages: &str, run: &str, cancel: &str) -> String {
    match lang {
        Lang::En => format!("{up_down} choose · {pages} scroll · {run} run · {cancel} cancel"),
        Lang::Sv => format!("{up_down} välj · {pages} bläddra · {run} kör · {cancel} avbryt"),
    }
}

/// The label of a dataset.
pub fn dataset_label(lang: Lang, d: crate::csvio::Dataset) -> &'static str {
    use crate::csvio::Dataset as D;
    let m = match d {
        D::Partners => Msg::DsPartners,
        D::Agreements => Msg::DsAgreements,
        D::Contacts => Msg::DsContacts,
        D::Activities => Msg::DsActivities,
        D::Matrix => Msg::DsMatrix,
        D::Assessments => Msg::DsAssessments,
        D::Notes => Msg::DsNotes,
        D::Actions => Msg::DsActions,
        D::Audit => Msg::DsAudit,
    };
    t(lang, m)
}

/// The label of a CSV dialect.
pub fn dialect_label(lang: Lang, d: crate::csvio::Dialect) -> &'static str {
    use crate::csvio::Dialect as D;
    let m = match d {
        D::ExcelSv => Msg::DialectExcelSv,
        D::ExcelEn => Msg::DialectExcelEn,
        D::Rfc4180 => Msg::DialectRfc,
    };
    t(lang, m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_has_text_in_both_languages() {
        for m in Msg::ALL {
            assert!(!m.text(Lang::En).is_empty(), "{m:?}");
            assert!(!m.text(Lang::Sv).is_empty(), "{m:?}");
        }
    }

    #[test]
    fn plurals() {
        assert_eq!(count(Lang::Sv, 1, Noun::Activity), "1 aktivitet");
        assert_eq!(count(Lang::Sv, 3, Noun::Activity), "3 aktiviteter");
        assert_eq!(count(Lang::En, 1, Noun::Activity), "1 activity");
        assert_eq!(count(Lang::En, 3, Noun::Activity), "3 activities");
        assert_eq!(count(Lang::En, 0, Noun::Note), "0 notes");
        assert_eq!(
            export_done(Lang::En, 1, "/x.csv"),
            "Exported 1 row to /x.csv"
        );
        assert_eq!(
            export_done(Lang::Sv, 1, "/x.csv"),
            "Exporterade 1 rad till /x.csv"
        );
        assert_eq!(
            export_done(Lang::Sv, 0, "/x.csv"),
            "Exporterade 0 rader till /x.csv"
        );
        assert_eq!(
            import_done(Lang::Sv, 2, Noun::Activity, 3),
            "Importerade 2 aktiviteter; 3 rader med fel hoppades över."
        );
        assert_eq!(
            import_done(Lang::En, 1, Noun::Partner, 0),
            "Imported 1 partner."
        );
    }

    #[test]
    fn months_weeks_and_scores() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap_or_default();
        assert_eq!(month_year(Lang::Sv, d), "november 2026");
        assert_eq!(month_year(Lang::En, d), "November 2026");
        assert_eq!(week(Lang::Sv, d), "v. 48");
        assert_eq!(week(Lang::En, d), "w. 48");
        assert_eq!(score_label(Lang::Sv, 4), "framstående");
        assert_eq!(score_label(Lang::Sv, 1), "begynnande");
    }
}
