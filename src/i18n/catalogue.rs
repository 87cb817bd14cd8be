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

pub use super::counts::*;
pub use super::dates::*;
pub use super::phrases::*;
pub use super::values::value_description;
pub use super::vocab::{Label, score_label};

mod labels;
pub use labels::{dataset_label, dialect_label, field_label, hint_label};

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
    PaneOverview { en: "Overview", sv: "Översikt" }
    // The overview pane
    OvWindow { en: "this week and the next 30 days:", sv: "den här veckan och 30 dagar framåt:" }
    OvRenewals { en: "Renewals due", sv: "Avtal att förnya" }
    OvMeetings { en: "Governance meetings overdue", sv: "Försenade styrningsmöten" }
    OvEvaluations { en: "Evaluations due", sv: "Utvärderingar att göra" }
    OvGoals { en: "Goals without follow-up", sv: "Mål utan uppföljning" }
    OvActivities { en: "Upcoming activities", sv: "Kommande aktiviteter" }
    OvActions { en: "Action items due, by owner", sv: "Åtgärdspunkter att göra, per ansvarig" }
    OvRenewalDue { en: "renewal due", sv: "dags att förnya" }
    OvEnded { en: "agreement ended", sv: "avtalet har gått ut" }
    RenewalChecklist { en: "Renewal", sv: "Förnyelse" }
    StepEvaluation { en: "evaluation", sv: "utvärdering" }
    StepDecision { en: "decision", sv: "beslut" }
    StepDraft { en: "draft sent", sv: "utkast skickat" }
    StepSigned { en: "signed", sv: "undertecknad" }
    StepNext { en: "next", sv: "nästa" }
    OvNeverHeld { en: "never held", sv: "aldrig hållet" }
    OvNoOwner { en: "(no owner)", sv: "(ingen ansvarig)" }
    OvNothing { en: "Nothing is due this week or in the next 30 days.", sv: "Inget att göra den här veckan eller de närmaste 30 dagarna." }
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
    ColValues { en: "Values", sv: "Mervärden" }
    ColDate { en: "Date", sv: "Datum" }
    ColTitle { en: "Title", sv: "Titel" }
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
    RenewalMarkerHelp { en: "! renewal due   ‼ agreement ended   ⚑ governance meeting overdue", sv: "! dags att förnya   ‼ avtalet har gått ut   ⚑ styrningsmöte försenat" }
    EmptyPartnersTitle { en: "No partners yet", sv: "Inga partner ännu" }
    EmptyArchive { en: "The archive is empty.", sv: "Arkivet är tomt." }
    // Detail
    Detail { en: "Partner", sv: "Partner" }
    Agreements { en: "Agreements", sv: "Avtal" }
    ContactsPartner { en: "Contacts at the partner", sv: "Kontakter hos partnern" }
    ContactsOurs { en: "Our contacts", sv: "Våra kontakter" }
    Goals { en: "Common goals", sv: "Gemensamma mål" }
    Formats { en: "Formats", sv: "Samverkansformer" }
    Faculties { en: "Faculties", sv: "Fakulteter" }
    SponsorsOurs { en: "Our senior sponsors", sv: "Vår ledning" }
    SponsorsPartner { en: "Partner's senior sponsors", sv: "Partnerns ledning" }
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
    BothSidesView { en: "ours │ the partner's own view", sv: "vår │ partnerns egen syn" }
    BothSidesLegend { en: "ours│partner's (from its side of the evaluations) · ↑ rising  ↓ falling  → same", sv: "vår│partnerns (från utvärderingarna) · ↑ stiger  ↓ sjunker  → oförändrat" }
    OurScore { en: "Our score", sv: "Vår poäng" }
    TheirScore { en: "The partner's own score", sv: "Partnerns egen poäng" }
    EvaluationUntil { en: "evaluation up to", sv: "utvärdering till och med" }
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
    FRenewalDraftSent { en: "Renewal draft sent", sv: "Förnyelseutkast skickat" }
    FRenewalSigned { en: "Renewal signed", sv: "Förnyelse undertecknad" }
    FRenewalLead { en: "Renewal lead (months)", sv: "Förnyelse (månader före)" }
    LeadHint { en: "empty: 12 months for a framework agreement, 6 for the others", sv: "tomt: 12 månader för ett ramavtal, 6 för övriga" }
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
    FFormats { en: "Formats", sv: "Samverkansformer" }
    FFaculties { en: "Faculties", sv: "Fakulteter" }
    FGoals { en: "Common goals", sv: "Gemensamma mål" }
    FTags { en: "Tags", sv: "Taggar" }
    FSponsorsOurs { en: "Our senior sponsors", sv: "Vår ledning" }
    FSponsorsPartner { en: "Partner's senior sponsors", sv: "Partnerns ledning" }
    FCoordinator { en: "Coordinator", sv: "Samordnare" }
    FDate { en: "Date", sv: "Datum" }
    FEndDate { en: "End date", sv: "Slutdatum" }
    FPartners { en: "Partners", sv: "Partner" }
    FTitle { en: "Title", sv: "Titel" }
    FDescription { en: "Description", sv: "Beskrivning" }
    FValues { en: "Added values", sv: "Mervärden" }
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
    FGoal { en: "Goal", sv: "Mål" }
    FGoalText { en: "Goal", sv: "Mål" }
    FIndicator { en: "Indicator", sv: "Indikator" }
    FGoalTarget { en: "Target level", sv: "Målnivå" }
    FDeadline { en: "Deadline", sv: "Måldatum" }
    FNewPhase { en: "New phase", sv: "Ny fas" }
    FReason { en: "Reason", sv: "Skäl" }
    FStrategicFit { en: "Fit with our strategy", sv: "Strategisk matchning" }
    FCommitment { en: "Partner's commitment", sv: "Partnerns engagemang" }
    FExpectedBenefit { en: "Expected mutual benefit", sv: "Väntad ömsesidig nytta" }
    FRiskLevel { en: "Risk level", sv: "Risknivå" }
    FRisks { en: "Risks and handling", sv: "Risker och hantering" }
    FRecommendation { en: "Recommendation", sv: "Rekommendation" }
    FComment { en: "Comment", sv: "Kommentar" }
    FAssessor { en: "Assessor", sv: "Bedömare" }
    FSteeringGroupMonths { en: "Steering group, months", sv: "Styrgrupp, månader" }
    FManagementMonths { en: "Management, months", sv: "Ledning, månader" }
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
    DsGoals { en: "Goals", sv: "Mål" }
    DsEvaluations { en: "Evaluations", sv: "Utvärderingar" }
    DsPhaseHistory { en: "Phase history", sv: "Fashistorik" }
    PathEmpty { en: "Give a file name.", sv: "Ange ett filnamn." }
    Exporting { en: "Exporting…", sv: "Exporterar…" }
    Importing { en: "Importing…", sv: "Importerar…" }
    Checking { en: "Checking the file (nothing is written)…", sv: "Kontrollerar filen (inget skrivs)…" }
    ExportCancelled { en: "Export cancelled; no file was written.", sv: "Exporten avbröts; ingen fil skrevs." }
    ReportExistsBusy { en: "A report of that name exists; choose Report… again to replace it:", sv: "En rapport med det namnet finns redan; välj Rapport… igen för att ersätta den:" }
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
    // The life cycle: goals and follow-up
    NewGoal { en: "New goal", sv: "Nytt mål" }
    EditGoal { en: "Edit goal", sv: "Ändra mål" }
    LinkGoals { en: "Link to goals", sv: "Koppla till mål" }
    AddGoal { en: "Goal…", sv: "Mål…" }
    GoalsFollowUp { en: "Goals and follow-up", sv: "Mål och uppföljning" }
    NoFollowUp { en: "no follow-up", sv: "ingen uppföljning" }
    NoGoalsYet { en: "No goals yet: add one with the add key.", sv: "Inga mål ännu: lägg till ett med tangenten för ny." }
    LastFollowUp { en: "last follow-up", sv: "senast uppföljt" }
    NeverFollowedUp { en: "nothing linked yet", sv: "inget kopplat ännu" }
    LinkedLastYear { en: "linked in the last 12 months", sv: "kopplat de senaste 12 månaderna" }
    NoGoalsToLink { en: "None of its partners has an open goal: add goals in the partner's detail first.", sv: "Ingen av dess partner har något öppet mål: lägg först till mål i partnerns detaljvy." }
    ArchivedGoals { en: "Archived goals", sv: "Arkiverade mål" }
    Deadline { en: "deadline", sv: "måldatum" }
    // The life cycle: phases
    PhaseDialog { en: "Change phase", sv: "Byt fas" }
    NewSuitability { en: "Suitability and risk assessment", sv: "Lämplighets- och riskbedömning" }
    EditSuitability { en: "Edit suitability and risk assessment", sv: "Ändra lämplighets- och riskbedömning" }
    AddSuitability { en: "Suitability and risk assessment…", sv: "Lämplighets- och riskbedömning…" }
    PhaseHistory { en: "Phase history", sv: "Fashistorik" }
    NoPhaseChanges { en: "no phase changes recorded", sv: "inga fasbyten registrerade" }
    CriteriaFor { en: "Before", sv: "Före" }
    Overrode { en: "overrode", sv: "trots att det saknades" }
    OverrideWarning { en: "Criteria that are not met do not stop the change: it records them as overridden.", sv: "Kriterier som inte är uppfyllda hindrar inte bytet: det registrerar att de åsidosattes." }
    NoCriteria { en: "This phase has no criteria.", sv: "Den här fasen har inga kriterier." }
    SuitabilityHeading { en: "Suitability and risks", sv: "Lämplighet och risker" }
    NoSuitability { en: "not assessed yet", sv: "inte bedömd ännu" }
    SuitFit { en: "fit", sv: "matchning" }
    SuitCommitment { en: "commitment", sv: "engagemang" }
    SuitBenefit { en: "mutual benefit", sv: "ömsesidig nytta" }
    SuitRisk { en: "risk", sv: "risk" }
    CurrentPhase { en: "Now", sv: "Nu" }
    EditRhythm { en: "Governance rhythm", sv: "Styrningsrytm" }
    GovernanceHeading { en: "Governance rhythm", sv: "Styrningsrytm" }
    RhythmDefault { en: "default", sv: "standard" }
    LastMeeting { en: "last", sv: "senast" }
    NextDue { en: "next due", sv: "nästa senast" }
    RhythmKept { en: "in rhythm", sv: "i takt" }
    RhythmOverdue { en: "overdue", sv: "försenat" }
    RhythmNoneRecorded { en: "none recorded", sv: "inget registrerat" }
    GovernanceBehind { en: "Governance overdue", sv: "Styrning försenad" }
    EvaluationHeading { en: "Latest evaluation", sv: "Senaste utvärdering" }
    FDecision { en: "Decision", sv: "Beslut" }
    NextEvaluation { en: "next evaluation", sv: "nästa utvärdering" }
    Characteristics { en: "Characteristics", sv: "Kännetecken" }
    OurView { en: "ours", sv: "vår" }
    PartnerView { en: "partner's", sv: "partnerns" }
    FPeriodStart { en: "Period from", sv: "Period från" }
    FPeriodEnd { en: "Period to", sv: "Period till" }
    FNextEvaluation { en: "Next evaluation", sv: "Nästa utvärdering" }
    NewEvaluation { en: "New evaluation", sv: "Ny utvärdering" }
    EditEvaluation { en: "Edit evaluation", sv: "Ändra utvärdering" }
    AddEvaluation { en: "Evaluation…", sv: "Utvärdering…" }
    LinkedInYear { en: "linked in 12 months", sv: "kopplade på 12 månader" }
    OverdueWord { en: "overdue", sv: "försenade" }
    NotJudged { en: "not judged", sv: "inte bedömt" }
    NoEvaluation { en: "no evaluation recorded", sv: "ingen utvärdering registrerad" }
    LastEvaluationEnded { en: "the latest evaluated period ended", sv: "den senaste utvärderade perioden slutade" }
    // Reports
    MenuReport { en: "Report…", sv: "Rapport…" }
    RpChooseTitle { en: "Report", sv: "Rapport" }
    RpChoosePartnerHtml { en: "Partner report, HTML", sv: "Partnerrapport, HTML" }
    RpChoosePartnerMd { en: "Partner report, Markdown", sv: "Partnerrapport, Markdown" }
    RpChoosePortfolioHtml { en: "Portfolio of strategic partners, HTML", sv: "Portfölj av strategiska partner, HTML" }
    RpChoosePortfolioMd { en: "Portfolio of strategic partners, Markdown", sv: "Portfölj av strategiska partner, Markdown" }
    ReportWriting { en: "Writing the report…", sv: "Skriver rapporten…" }
    ReportWritten { en: "Report written:", sv: "Rapporten skrevs:" }
    ReportFailed { en: "The report could not be written:", sv: "Rapporten kunde inte skrivas:" }
    RpPartnerTitle { en: "Partner report", sv: "Partnerrapport" }
    RpPortfolioTitle { en: "Strategic partners: portfolio", sv: "Strategiska partner: portfölj" }
    RpYear { en: "Year", sv: "År" }
    RpMade { en: "made", sv: "skapad" }
    RpPhases { en: "Phase and history", sv: "Fas och historik" }
    RpAgreements { en: "Agreements and renewal", sv: "Avtal och förnyelse" }
    RpGovernance { en: "Governance compliance", sv: "Styrningens efterlevnad" }
    RpGoals { en: "Goals and follow-up", sv: "Mål och uppföljning" }
    RpActivities { en: "Activities in the year", sv: "Aktiviteter under året" }
    RpByValue { en: "Activities by added value", sv: "Aktiviteter per mervärde" }
    RpByGoal { en: "Activities by goal", sv: "Aktiviteter per mål" }
    RpMatrixBoth { en: "Value matrix: our assessment and the partner's", sv: "Värdematris: vår bedömning och partnerns" }
    RpDecisions { en: "Decisions in the year", sv: "Beslut under året" }
    RpFrom { en: "From", sv: "Från" }
    RpTo { en: "To", sv: "Till" }
    RpBy { en: "By", sv: "Av" }
    RpReason { en: "Reason", sv: "Motivering" }
    RpEnd { en: "End", sv: "Slut" }
    RpRenewal { en: "Renewal", sv: "Förnyelse" }
    RpLeadMonths { en: "Lead (months)", sv: "Framförhållning (mån.)" }
    RpMeeting { en: "Meeting", sv: "Möte" }
    RpLastHeld { en: "Last held", sv: "Senast hållet" }
    RpNextDue { en: "Next due", sv: "Nästa senast" }
    RpState { en: "State", sv: "Läge" }
    RpKept { en: "kept", sv: "i takt" }
    RpBehind { en: "behind", sv: "efter" }
    RpNotGoverned { en: "no rhythm expected", sv: "ingen mötesrytm väntas" }
    RpGoal { en: "Goal", sv: "Mål" }
    RpDeadline { en: "Deadline", sv: "Slutdatum" }
    RpInYear { en: "Activities in the year", sv: "Aktiviteter under året" }
    RpLastFollowUp { en: "Last follow-up", sv: "Senaste uppföljning" }
    RpNoFollowUp { en: "no follow-up", sv: "ingen uppföljning" }
    RpCount { en: "Count", sv: "Antal" }
    RpValue { en: "Added value", sv: "Mervärde" }
    RpOurs { en: "Our assessment", sv: "Vår bedömning" }
    RpTheirs { en: "Partner's view", sv: "Partnerns bedömning" }
    RpTrendLegend { en: "↑ rising  ↓ falling  → same (against the previous assessment or evaluation)", sv: "↑ stiger  ↓ sjunker  → oförändrat (mot förra bedömningen eller utvärderingen)" }
    RpNothing { en: "Nothing recorded.", sv: "Inget registrerat." }
    RpTotal { en: "Total", sv: "Totalt" }
    RpCoordinator { en: "Coordinator", sv: "Koordinator" }
    RpCurrentPhase { en: "Current phase", sv: "Nuvarande fas" }
    RpGovernanceCol { en: "Governance", sv: "Styrning" }
    RpMeanOurs { en: "Our mean", sv: "Vårt medel" }
    RpMeanTheirs { en: "Partner's mean", sv: "Partnerns medel" }
    RpWithoutFollowUp { en: "Without follow-up", sv: "Utan uppföljning" }
    RpActivitiesCol { en: "Activities", sv: "Aktiviteter" }
    RpPortfolio { en: "Partners", sv: "Partner" }
    RpTotals { en: "Totals", sv: "Summering" }
    RpStrategicCount { en: "Strategic partners", sv: "Strategiska partner" }
    RpPerPhase { en: "Partners per phase", sv: "Partner per fas" }
    RpRenewalsDue { en: "Agreements due for renewal", sv: "Avtal att förnya" }
    RpExpired { en: "Agreements that have ended", sv: "Avtal som har gått ut" }
    RpGovKept { en: "Governance kept", sv: "Styrningen i takt" }
    RpGovBehind { en: "Behind on governance", sv: "Efter med styrningen" }
    RpHeatPhases { en: "Our mean score per phase and added value", sv: "Vårt medelvärde per fas och mervärde" }
    RpAll { en: "All", sv: "Alla" }
}

/// Shorthand for [`Msg::text`].
pub fn t(lang: Lang, msg: Msg) -> &'static str {
    msg.text(lang)
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
}
