//! Actions: every operation a user can trigger from the keyboard.
//!
//! Actions are the only bridge between keys and application state: the keymap turns keys into
//! actions, the UI turns actions into state changes and service requests. Each action keeps its
//! name and its English and Swedish description together (as helix's `static_commands!` does),
//! which is what the help screen and the command palette need.

use serde::{Deserialize, Serialize};

/// The interface language (descriptions exist in both).
pub use crate::i18n::Lang;

macro_rules! actions {
    ($( $(#[$doc:meta])* $variant:ident = $name:literal, en: $en:literal, sv: $sv:literal; )*) => {
        /// Every operation a user can trigger. Keymap files name them in `snake_case`.
        ///
        /// There is deliberately no catch-all variant: an unknown name in a keymap file is an
        /// error, never a silent no-op.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum Action {
            $( $(#[$doc])* $variant, )*
        }

        impl Action {
            /// All actions, in the order the help screen lists them.
            pub const ALL: &'static [Action] = &[ $( Action::$variant, )* ];

            /// The `snake_case` name used in keymap files and by serde.
            pub fn name(&self) -> &'static str {
                match self { $( Action::$variant => $name, )* }
            }

            /// A short description for help, hints and the command palette.
            pub fn description(&self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $(
                        (Action::$variant, Lang::En) => $en,
                        (Action::$variant, Lang::Sv) => $sv,
                    )*
                }
            }
        }
    };
}

actions! {
    /// Quit spets (Ctrl-c always quits as well; it is not configurable).
    Quit = "quit", en: "Quit spets", sv: "Avsluta spets";
    /// Switch to the partners pane.
    PanePartners = "pane_partners", en: "Show partners", sv: "Visa partner";
    /// Switch to the timeline pane.
    PaneTimeline = "pane_timeline", en: "Show timeline", sv: "Visa tidslinje";
    /// Switch to the evaluation matrix pane.
    PaneMatrix = "pane_matrix", en: "Show matrix", sv: "Visa matris";
    /// Switch to the notes pane.
    PaneNotes = "pane_notes", en: "Show notes", sv: "Visa anteckningar";
    /// Switch to the overview pane (what is due).
    PaneOverview = "pane_overview", en: "Show overview", sv: "Visa översikt";
    /// Focus the next pane.
    NextPane = "next_pane", en: "Next pane", sv: "Nästa panel";
    /// Focus the previous pane.
    PrevPane = "prev_pane", en: "Previous pane", sv: "Föregående panel";
    /// Move the selection down (takes a count).
    MoveDown = "move_down", en: "Move down", sv: "Flytta ned";
    /// Move the selection up (takes a count).
    MoveUp = "move_up", en: "Move up", sv: "Flytta upp";
    /// Move left: previous column in the matrix, earlier in the timeline (takes a count).
    MoveLeft = "move_left", en: "Move left", sv: "Flytta vänster";
    /// Move right: next column in the matrix, later in the timeline (takes a count).
    MoveRight = "move_right", en: "Move right", sv: "Flytta höger";
    /// Jump to the first item.
    First = "first", en: "Go to first", sv: "Gå till första";
    /// Jump to the last item.
    Last = "last", en: "Go to last", sv: "Gå till sista";
    /// Scroll one page down.
    PageDown = "page_down", en: "Page down", sv: "Sida ned";
    /// Scroll one page up.
    PageUp = "page_up", en: "Page up", sv: "Sida upp";
    /// Open the selected item (or choose the selected menu entry).
    Open = "open", en: "Open selected", sv: "Öppna markerad";
    /// Go back: close the detail view, popup or menu.
    Back = "back", en: "Back / close", sv: "Tillbaka / stäng";
    /// Add a new item in the current pane.
    Add = "add", en: "Add new", sv: "Lägg till ny";
    /// Edit the selected item.
    Edit = "edit", en: "Edit selected", sv: "Redigera markerad";
    /// Archive the selected item (after confirmation).
    Archive = "archive", en: "Archive selected", sv: "Arkivera markerad";
    /// Restore the selected archived item.
    Restore = "restore", en: "Restore from archive", sv: "Återställ från arkivet";
    /// Toggle between active and archived items.
    ShowArchive = "show_archive", en: "Show/hide archived", sv: "Visa/dölj arkiverade";
    /// Start a text search in the current pane.
    Search = "search", en: "Search", sv: "Sök";
    /// Clear the search and all filters.
    ClearFilter = "clear_filter", en: "Clear search and filters", sv: "Rensa sökning och filter";
    /// Filter by partnership phase.
    FilterPhase = "filter_phase", en: "Filter by phase", sv: "Filtrera på fas";
    /// Filter by kind of partnership.
    FilterKind = "filter_kind", en: "Filter by kind", sv: "Filtrera på typ";
    /// Filter by country.
    FilterCountry = "filter_country", en: "Filter by country", sv: "Filtrera på land";
    /// Filter by tier.
    FilterTier = "filter_tier", en: "Filter by tier", sv: "Filtrera på nivå";
    /// Show only strategic partners whose governance meetings are overdue (again: all).
    FilterGovernance = "filter_governance", en: "Filter by governance rhythm", sv: "Filtrera på styrningsrytm";
    /// Filter by partner.
    FilterPartner = "filter_partner", en: "Filter by partner", sv: "Filtrera på partner";
    /// Filter by status.
    FilterStatus = "filter_status", en: "Filter by status", sv: "Filtrera på status";
    /// Filter by evaluation value (matrix).
    FilterValue = "filter_value", en: "Filter by value", sv: "Filtrera på värde";
    /// Filter by a date range.
    FilterDateRange = "filter_date_range", en: "Filter by date range", sv: "Filtrera på datumintervall";
    /// Sort by the next column.
    SortNextColumn = "sort_next_column", en: "Sort by next column", sv: "Sortera på nästa kolumn";
    /// Reverse the sort order.
    SortReverse = "sort_reverse", en: "Reverse sort order", sv: "Vänd sorteringsordning";
    /// Scroll the timeline to today.
    JumpToday = "jump_today", en: "Jump to today", sv: "Gå till i dag";
    /// Toggle the matrix between scores and evidence.
    ToggleMatrixView = "toggle_matrix_view", en: "Switch view: scores, both sides, evidence", sv: "Byt vy: poäng, båda sidor, underlag";
    /// Show my open action items.
    MyActionItems = "my_action_items", en: "My action items", sv: "Mina åtgärdspunkter";
    /// Mark the selected action item done or not done.
    ToggleActionDone = "toggle_action_done", en: "Toggle action item done", sv: "Markera åtgärd klar/ej klar";
    /// Link the selected activity, or the decisions of the selected meeting note, to goals.
    LinkGoals = "link_goals", en: "Link to goals", sv: "Koppla till mål";
    /// Move the selected partner to another phase (the criteria of the new phase are shown).
    ChangePhase = "change_phase", en: "Change phase", sv: "Byt fas";
    /// Show the help screen with the live key bindings.
    Help = "help", en: "Help", sv: "Hjälp";
    /// Open the command palette.
    CommandPalette = "command_palette", en: "Command palette", sv: "Kommandopalett";
    /// Switch the interface between Swedish and English.
    ToggleLanguage = "toggle_language", en: "Switch language (sv/en)", sv: "Byt språk (sv/en)";
    /// Open or close the menu bar.
    Menu = "menu", en: "Menu", sv: "Meny";
    /// Export the current view to CSV.
    ExportCsv = "export_csv", en: "Export to CSV", sv: "Exportera till CSV";
    /// Write a management report (the selected partner's or the portfolio, HTML or Markdown) in
    /// the export folder.
    Report = "report", en: "Write a report", sv: "Skriv en rapport";
    /// Import records from a CSV file.
    ImportCsv = "import_csv", en: "Import from CSV", sv: "Importera från CSV";
    /// Load the demo data set (after confirmation).
    LoadDemo = "load_demo", en: "Load demo data", sv: "Läs in demodata";
    /// Redraw the whole screen.
    Redraw = "redraw", en: "Redraw screen", sv: "Rita om skärmen";
    /// Save the form or note being edited.
    Save = "save", en: "Save", sv: "Spara";
    /// Move to the next form field.
    NextField = "next_field", en: "Next field", sv: "Nästa fält";
    /// Move to the previous form field.
    PrevField = "prev_field", en: "Previous field", sv: "Föregående fält";
    /// Close the form or editor without saving.
    Cancel = "cancel", en: "Cancel", sv: "Avbryt";
    /// Answer yes in a confirmation dialog.
    ConfirmYes = "confirm_yes", en: "Yes", sv: "Ja";
    /// Answer no in a confirmation dialog.
    ConfirmNo = "confirm_no", en: "No", sv: "Nej";
    /// Add an action item to the current note.
    AddActionItem = "add_action_item", en: "Add action item", sv: "Lägg till åtgärdspunkt";
    /// Add a row to the table field in a form (e.g. contacts).
    AddRow = "add_row", en: "Add row", sv: "Lägg till rad";
    /// Delete the current row of the table field in a form.
    DeleteRow = "delete_row", en: "Delete row", sv: "Ta bort rad";
    /// Conflict dialog: show how my version differs from the stored one.
    ShowDiff = "show_diff", en: "Show differences", sv: "Visa skillnader";
    /// Conflict dialog: discard my changes and load the stored version.
    Reload = "reload", en: "Reload stored version", sv: "Läs om sparad version";
    /// Conflict dialog: save my version over the stored one.
    Overwrite = "overwrite", en: "Overwrite with my version", sv: "Skriv över med min version";
}

impl Action {
    /// The action with this `snake_case` name.
    pub fn from_name(name: &str) -> Option<Action> {
        Action::ALL.iter().copied().find(|a| a.name() == name)
    }
}

impl std::fmt::Display for Action {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[derive(Serialize, Deserialize)]
    struct Wrap {
        a: Action,
    }

    #[test]
    fn names_match_serde_and_round_trip() {
        for &action in Action::ALL {
            let text = toml::to_string(&Wrap { a: action }).unwrap();
            assert_eq!(text.trim(), format!("a = \"{}\"", action.name()));
            let back: Wrap = toml::from_str(&text).unwrap();
            assert_eq!(back.a, action);
            assert_eq!(Action::from_name(action.name()), Some(action));
        }
        assert_eq!(Action::from_name("nope"), None);
    }

    #[test]
    fn descriptions_exist_in_both_languages() {
        for &action in Action::ALL {
            let en = action.description(Lang::En);
            let sv = action.description(Lang::Sv);
            assert!(!en.is_empty() && !sv.is_empty(), "{action}");
        }
    }

    #[test]
    fn names_are_unique() {
        let mut names: Vec<_> = Action::ALL.iter().map(|a| a.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Action::ALL.len());
    }
}
