# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_spets_global_optspecs
    string join \n db= lang= connect= keymap-preset= keymap= h/help V/version
end

function __fish_spets_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_spets_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_spets_using_subcommand
    set -l cmd (__fish_spets_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c spets -n "__fish_spets_needs_command" -l db -d 'The workspace directory (default: $XDG_DATA_HOME/spets/workspace, i.e. ~/.local/share/spets/workspace)' -r -F
complete -c spets -n "__fish_spets_needs_command" -l lang -d 'Interface language: sv or en (default: from LC_ALL / LC_MESSAGES / LANG)' -r
complete -c spets -n "__fish_spets_needs_command" -l connect -d 'Connect to a spets daemon on this Unix socket instead of opening a workspace (default: `server` in /etc/spets/config.toml or ~/.config/spets/config.toml)' -r -F
complete -c spets -n "__fish_spets_needs_command" -l keymap-preset -d 'Keymap preset for the terminal UI: default, vim or emacs (default: `keymap` in ~/.config/spets/config.toml, else default)' -r
complete -c spets -n "__fish_spets_needs_command" -l keymap -d 'Your keymap overrides, merged onto the preset (default: ~/.config/spets/keymap.toml)' -r -F
complete -c spets -n "__fish_spets_needs_command" -s h -l help -d 'Print help'
complete -c spets -n "__fish_spets_needs_command" -s V -l version -d 'Print version'
complete -c spets -n "__fish_spets_needs_command" -f -a "keymap" -d 'Check or show keymaps (presets in keymaps/, overrides in ~/.config/spets/keymap.toml)'
complete -c spets -n "__fish_spets_needs_command" -f -a "serve" -d 'Serve a workspace to every spets on this machine over a Unix socket (the shared-server daemon). Stop it with SIGTERM'
complete -c spets -n "__fish_spets_needs_command" -f -a "demo" -d 'Fill an empty workspace with realistic sample data (deterministic for a seed)'
complete -c spets -n "__fish_spets_needs_command" -f -a "check" -d 'Verify a workspace: every record decodes and keeps within the limits, indexes agree, versions and counters are sane. A dry run unless --repair is given'
complete -c spets -n "__fish_spets_needs_command" -f -a "backup" -d 'Write a consistent snapshot of the workspace, with a checksum, to FILE'
complete -c spets -n "__fish_spets_needs_command" -f -a "restore" -d 'Restore a backup FILE into a new workspace (--db DIR, which must be empty or missing)'
complete -c spets -n "__fish_spets_needs_command" -f -a "bench" -d 'Measure the core targets on a workspace (open + first screen, partner filtering, memory)'
complete -c spets -n "__fish_spets_needs_command" -f -a "export" -d 'Export a dataset as CSV: partners, agreements, contacts, activities, matrix, assessments, notes, actions or audit. Writes to stdout unless --output names a file'
complete -c spets -n "__fish_spets_needs_command" -f -a "report" -d 'Write a management report as HTML or Markdown: one partner\'s year, or the portfolio of strategic partners'
complete -c spets -n "__fish_spets_needs_command" -f -a "completions" -d 'Print a shell completion script for SHELL (bash, zsh, fish, elvish or powershell)'
complete -c spets -n "__fish_spets_needs_command" -f -a "man" -d 'Print the spets(1) manual page (roff)'
complete -c spets -n "__fish_spets_needs_command" -f -a "import" -d 'Import partners, activities or goals from a CSV file (columns matched by header, Swedish or English)'
complete -c spets -n "__fish_spets_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c spets -n "__fish_spets_using_subcommand keymap; and not __fish_seen_subcommand_from check show help" -l db -d 'The workspace directory (default: $XDG_DATA_HOME/spets/workspace, i.e. ~/.local/share/spets/workspace)' -r -F
complete -c spets -n "__fish_spets_using_subcommand keymap; and not __fish_seen_subcommand_from check show help" -l lang -d 'Interface language: sv or en (default: from LC_ALL / LC_MESSAGES / LANG)' -r
complete -c spets -n "__fish_spets_using_subcommand keymap; and not __fish_seen_subcommand_from check show help" -l connect -d 'Connect to a spets daemon on this Unix socket instead of opening a workspace (default: `server` in /etc/spets/config.toml or ~/.config/spets/config.toml)' -r -F
complete -c spets -n "__fish_spets_using_subcommand keymap; and not __fish_seen_subcommand_from check show help" -l keymap-preset -d 'Keymap preset for the terminal UI: default, vim or emacs (default: `keymap` in ~/.config/spets/config.toml, else default)' -r
complete -c spets -n "__fish_spets_using_subcommand keymap; and not __fish_seen_subcommand_from check show help" -l keymap -d 'Your keymap overrides, merged onto the preset (default: ~/.config/spets/keymap.toml)' -r -F
complete -c spets -n "__fish_spets_using_subcommand keymap; and not __fish_seen_subcommand_from check show help" -s h -l help -d 'Print help'
complete -c spets -n "__fish_spets_using_subcommand keymap; and not __fish_seen_subcommand_from check show help" -f -a "check" -d 'Validate a keymap file; exits non-zero and names file, line and column for each problem'
complete -c spets -n "__fish_spets_using_subcommand keymap; and not __fish_seen_subcommand_from check show help" -f -a "show" -d 'Print the active bindings as a table (the preset plus your overrides)'
complete -c spets -n "__fish_spets_using_subcommand keymap; and not __fish_seen_subcommand_from check show help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c spets -n "__fish_spets_using_subcommand keymap; and __fish_seen_subcommand_from check" -l db -d 'The workspace directory (default: $XDG_DATA_HOME/spets/workspace, i.e. ~/.local/share/spets/workspace)' -r -F
complete -c spets -n "__fish_spets_using_subcommand keymap; and __fish_seen_subcommand_from check" -l lang -d 'Interface language: sv or en (default: from LC_ALL / LC_MESSAGES / LANG)' -r
complete -c spets -n "__fish_spets_using_subcommand keymap; and __fish_seen_subcommand_from check" -l connect -d 'Connect to a spets daemon on this Unix socket instead of opening a workspace (default: `server` in /etc/spets/config.toml or ~/.config/spets/config.toml)' -r -F
complete -c spets -n "__fish_spets_using_subcommand keymap; and __fish_seen_subcommand_from check" -l keymap-preset -d 'Keymap preset for the terminal UI: default, vim or emacs (default: `keymap` in ~/.config/spets/config.toml, else default)' -r
complete -c spets -n "__fish_spets_using_subcommand keymap; and __fish_seen_subcommand_from check" -l keymap -d 'Your keymap overrides, merged onto the preset (default: ~/.config/spets/keymap.toml)' -r -F
complete -c spets -n "__fish_spets_using_subcommand keymap; and __fish_seen_subcommand_from check" -s h -l help -d 'Print help'
complete -c spets -n "__fish_spets_using_subcommand keymap; and __fish_seen_subcommand_from show" -l preset -d 'Show this preset (default, vim, emacs) instead of the configured one' -r
complete -c spets -n "__fish_spets_using_subcommand keymap; and __fish_seen_subcommand_from show" -l db -d 'The workspace directory (default: $XDG_DATA_HOME/spets/workspace, i.e. ~/.local/share/spets/workspace)' -r -F
complete -c spets -n "__fish_spets_using_subcommand keymap; and __fish_seen_subcommand_from show" -l lang -d 'Interface language: sv or en (default: from LC_ALL / LC_MESSAGES / LANG)' -r
complete -c spets -n "__fish_spets_using_subcommand keymap; and __fish_seen_subcommand_from show" -l connect -d 'Connect to a spets daemon on this Unix socket instead of opening a workspace (default: `server` in /etc/spets/config.toml or ~/.config/spets/config.toml)' -r -F
complete -c spets -n "__fish_spets_using_subcommand keymap; and __fish_seen_subcommand_from show" -l keymap-preset -d 'Keymap preset for the terminal UI: default, vim or emacs (default: `keymap` in ~/.config/spets/config.toml, else default)' -r
complete -c spets -n "__fish_spets_using_subcommand keymap; and __fish_seen_subcommand_from show" -l keymap -d 'Your keymap overrides, merged onto the preset (default: ~/.config/spets/keymap.toml)' -r -F
complete -c spets -n "__fish_spets_using_subcommand keymap; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c spets -n "__fish_spets_using_subcommand keymap; and __fish_seen_subcommand_from help" -f -a "check" -d 'Validate a keymap file; exits non-zero and names file, line and column for each problem'
complete -c spets -n "__fish_spets_using_subcommand keymap; and __fish_seen_subcommand_from help" -f -a "show" -d 'Print the active bindings as a table (the preset plus your overrides)'
complete -c spets -n "__fish_spets_using_subcommand keymap; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c spets -n "__fish_spets_using_subcommand serve" -l socket -d 'The socket to listen on, e.g. /run/spets/spets.sock' -r -F
complete -c spets -n "__fish_spets_using_subcommand serve" -l group -d 'The Unix group allowed to connect (default: the daemon user\'s primary group)' -r
complete -c spets -n "__fish_spets_using_subcommand serve" -l access -d 'The access file mapping users and groups to admin, editor or viewer' -r -F
complete -c spets -n "__fish_spets_using_subcommand serve" -l max-clients -d 'The most connections served at once; the next one is refused with a message' -r
complete -c spets -n "__fish_spets_using_subcommand serve" -l max-clients-per-user -d 'The most connections one user may hold at once' -r
complete -c spets -n "__fish_spets_using_subcommand serve" -l db -d 'The workspace directory (default: $XDG_DATA_HOME/spets/workspace, i.e. ~/.local/share/spets/workspace)' -r -F
complete -c spets -n "__fish_spets_using_subcommand serve" -l lang -d 'Interface language: sv or en (default: from LC_ALL / LC_MESSAGES / LANG)' -r
complete -c spets -n "__fish_spets_using_subcommand serve" -l connect -d 'Connect to a spets daemon on this Unix socket instead of opening a workspace (default: `server` in /etc/spets/config.toml or ~/.config/spets/config.toml)' -r -F
complete -c spets -n "__fish_spets_using_subcommand serve" -l keymap-preset -d 'Keymap preset for the terminal UI: default, vim or emacs (default: `keymap` in ~/.config/spets/config.toml, else default)' -r
complete -c spets -n "__fish_spets_using_subcommand serve" -l keymap -d 'Your keymap overrides, merged onto the preset (default: ~/.config/spets/keymap.toml)' -r -F
complete -c spets -n "__fish_spets_using_subcommand serve" -l init -d 'Create a new, empty workspace when --db does not exist (without it, a missing directory is refused: a typo must not serve an empty workspace to everyone)'
complete -c spets -n "__fish_spets_using_subcommand serve" -s h -l help -d 'Print help'
complete -c spets -n "__fish_spets_using_subcommand demo" -l partners -d 'How many partners' -r
complete -c spets -n "__fish_spets_using_subcommand demo" -l activities -d 'How many activities' -r
complete -c spets -n "__fish_spets_using_subcommand demo" -l notes -d 'How many meeting notes' -r
complete -c spets -n "__fish_spets_using_subcommand demo" -l seed -d 'The random seed' -r
complete -c spets -n "__fish_spets_using_subcommand demo" -l db -d 'The workspace directory (default: $XDG_DATA_HOME/spets/workspace, i.e. ~/.local/share/spets/workspace)' -r -F
complete -c spets -n "__fish_spets_using_subcommand demo" -l lang -d 'Interface language: sv or en (default: from LC_ALL / LC_MESSAGES / LANG)' -r
complete -c spets -n "__fish_spets_using_subcommand demo" -l connect -d 'Connect to a spets daemon on this Unix socket instead of opening a workspace (default: `server` in /etc/spets/config.toml or ~/.config/spets/config.toml)' -r -F
complete -c spets -n "__fish_spets_using_subcommand demo" -l keymap-preset -d 'Keymap preset for the terminal UI: default, vim or emacs (default: `keymap` in ~/.config/spets/config.toml, else default)' -r
complete -c spets -n "__fish_spets_using_subcommand demo" -l keymap -d 'Your keymap overrides, merged onto the preset (default: ~/.config/spets/keymap.toml)' -r -F
complete -c spets -n "__fish_spets_using_subcommand demo" -s h -l help -d 'Print help'
complete -c spets -n "__fish_spets_using_subcommand check" -l db -d 'The workspace directory (default: $XDG_DATA_HOME/spets/workspace, i.e. ~/.local/share/spets/workspace)' -r -F
complete -c spets -n "__fish_spets_using_subcommand check" -l lang -d 'Interface language: sv or en (default: from LC_ALL / LC_MESSAGES / LANG)' -r
complete -c spets -n "__fish_spets_using_subcommand check" -l connect -d 'Connect to a spets daemon on this Unix socket instead of opening a workspace (default: `server` in /etc/spets/config.toml or ~/.config/spets/config.toml)' -r -F
complete -c spets -n "__fish_spets_using_subcommand check" -l keymap-preset -d 'Keymap preset for the terminal UI: default, vim or emacs (default: `keymap` in ~/.config/spets/config.toml, else default)' -r
complete -c spets -n "__fish_spets_using_subcommand check" -l keymap -d 'Your keymap overrides, merged onto the preset (default: ~/.config/spets/keymap.toml)' -r -F
complete -c spets -n "__fish_spets_using_subcommand check" -l repair -d 'Mend what can be mended: move unreadable records to quarantine, rebuild indexes, raise counters (each step is audited)'
complete -c spets -n "__fish_spets_using_subcommand check" -s h -l help -d 'Print help'
complete -c spets -n "__fish_spets_using_subcommand backup" -l db -d 'The workspace directory (default: $XDG_DATA_HOME/spets/workspace, i.e. ~/.local/share/spets/workspace)' -r -F
complete -c spets -n "__fish_spets_using_subcommand backup" -l lang -d 'Interface language: sv or en (default: from LC_ALL / LC_MESSAGES / LANG)' -r
complete -c spets -n "__fish_spets_using_subcommand backup" -l connect -d 'Connect to a spets daemon on this Unix socket instead of opening a workspace (default: `server` in /etc/spets/config.toml or ~/.config/spets/config.toml)' -r -F
complete -c spets -n "__fish_spets_using_subcommand backup" -l keymap-preset -d 'Keymap preset for the terminal UI: default, vim or emacs (default: `keymap` in ~/.config/spets/config.toml, else default)' -r
complete -c spets -n "__fish_spets_using_subcommand backup" -l keymap -d 'Your keymap overrides, merged onto the preset (default: ~/.config/spets/keymap.toml)' -r -F
complete -c spets -n "__fish_spets_using_subcommand backup" -s h -l help -d 'Print help'
complete -c spets -n "__fish_spets_using_subcommand restore" -l db -d 'The workspace directory (default: $XDG_DATA_HOME/spets/workspace, i.e. ~/.local/share/spets/workspace)' -r -F
complete -c spets -n "__fish_spets_using_subcommand restore" -l lang -d 'Interface language: sv or en (default: from LC_ALL / LC_MESSAGES / LANG)' -r
complete -c spets -n "__fish_spets_using_subcommand restore" -l connect -d 'Connect to a spets daemon on this Unix socket instead of opening a workspace (default: `server` in /etc/spets/config.toml or ~/.config/spets/config.toml)' -r -F
complete -c spets -n "__fish_spets_using_subcommand restore" -l keymap-preset -d 'Keymap preset for the terminal UI: default, vim or emacs (default: `keymap` in ~/.config/spets/config.toml, else default)' -r
complete -c spets -n "__fish_spets_using_subcommand restore" -l keymap -d 'Your keymap overrides, merged onto the preset (default: ~/.config/spets/keymap.toml)' -r -F
complete -c spets -n "__fish_spets_using_subcommand restore" -s h -l help -d 'Print help'
complete -c spets -n "__fish_spets_using_subcommand bench" -l filter -d 'Substrings to time as typed partner filters' -r
complete -c spets -n "__fish_spets_using_subcommand bench" -l clients -d 'With --daemon: how many clients save at the same time' -r
complete -c spets -n "__fish_spets_using_subcommand bench" -l edits -d 'With --daemon: saves per client' -r
complete -c spets -n "__fish_spets_using_subcommand bench" -l pause-ms -d 'With --daemon: pause between one client\'s saves, in ms (0: back to back)' -r
complete -c spets -n "__fish_spets_using_subcommand bench" -l idle-secs -d 'With --daemon: how long to measure the idle clients\' cost, in seconds' -r
complete -c spets -n "__fish_spets_using_subcommand bench" -l check-loops -d 'With --daemon: this many more clients run `spets check` in a loop while the others save' -r
complete -c spets -n "__fish_spets_using_subcommand bench" -l db -d 'The workspace directory (default: $XDG_DATA_HOME/spets/workspace, i.e. ~/.local/share/spets/workspace)' -r -F
complete -c spets -n "__fish_spets_using_subcommand bench" -l lang -d 'Interface language: sv or en (default: from LC_ALL / LC_MESSAGES / LANG)' -r
complete -c spets -n "__fish_spets_using_subcommand bench" -l connect -d 'Connect to a spets daemon on this Unix socket instead of opening a workspace (default: `server` in /etc/spets/config.toml or ~/.config/spets/config.toml)' -r -F
complete -c spets -n "__fish_spets_using_subcommand bench" -l keymap-preset -d 'Keymap preset for the terminal UI: default, vim or emacs (default: `keymap` in ~/.config/spets/config.toml, else default)' -r
complete -c spets -n "__fish_spets_using_subcommand bench" -l keymap -d 'Your keymap overrides, merged onto the preset (default: ~/.config/spets/keymap.toml)' -r -F
complete -c spets -n "__fish_spets_using_subcommand bench" -l daemon -d 'Measure the shared-server daemon instead: concurrent durable saves and idle cost'
complete -c spets -n "__fish_spets_using_subcommand bench" -s h -l help -d 'Print help'
complete -c spets -n "__fish_spets_using_subcommand export" -s o -l output -d 'The file to write (atomically, mode 0600); `-` or nothing for stdout' -r -F
complete -c spets -n "__fish_spets_using_subcommand export" -l dialect -d 'excel-sv (BOM, `;`), excel-en (BOM, `,`) or rfc4180 (no BOM, `,`); default from the language' -r
complete -c spets -n "__fish_spets_using_subcommand export" -l filter -d 'Only what a filter selects: comma-separated field=value terms, e.g. phase=running,country=DE' -r
complete -c spets -n "__fish_spets_using_subcommand export" -l db -d 'The workspace directory (default: $XDG_DATA_HOME/spets/workspace, i.e. ~/.local/share/spets/workspace)' -r -F
complete -c spets -n "__fish_spets_using_subcommand export" -l lang -d 'Interface language: sv or en (default: from LC_ALL / LC_MESSAGES / LANG)' -r
complete -c spets -n "__fish_spets_using_subcommand export" -l connect -d 'Connect to a spets daemon on this Unix socket instead of opening a workspace (default: `server` in /etc/spets/config.toml or ~/.config/spets/config.toml)' -r -F
complete -c spets -n "__fish_spets_using_subcommand export" -l keymap-preset -d 'Keymap preset for the terminal UI: default, vim or emacs (default: `keymap` in ~/.config/spets/config.toml, else default)' -r
complete -c spets -n "__fish_spets_using_subcommand export" -l keymap -d 'Your keymap overrides, merged onto the preset (default: ~/.config/spets/keymap.toml)' -r -F
complete -c spets -n "__fish_spets_using_subcommand export" -l machine-headers -d 'Stable English snake_case headers and machine keys for enumerated values'
complete -c spets -n "__fish_spets_using_subcommand export" -s h -l help -d 'Print help'
complete -c spets -n "__fish_spets_using_subcommand report; and not __fish_seen_subcommand_from partner portfolio help" -l db -d 'The workspace directory (default: $XDG_DATA_HOME/spets/workspace, i.e. ~/.local/share/spets/workspace)' -r -F
complete -c spets -n "__fish_spets_using_subcommand report; and not __fish_seen_subcommand_from partner portfolio help" -l lang -d 'Interface language: sv or en (default: from LC_ALL / LC_MESSAGES / LANG)' -r
complete -c spets -n "__fish_spets_using_subcommand report; and not __fish_seen_subcommand_from partner portfolio help" -l connect -d 'Connect to a spets daemon on this Unix socket instead of opening a workspace (default: `server` in /etc/spets/config.toml or ~/.config/spets/config.toml)' -r -F
complete -c spets -n "__fish_spets_using_subcommand report; and not __fish_seen_subcommand_from partner portfolio help" -l keymap-preset -d 'Keymap preset for the terminal UI: default, vim or emacs (default: `keymap` in ~/.config/spets/config.toml, else default)' -r
complete -c spets -n "__fish_spets_using_subcommand report; and not __fish_seen_subcommand_from partner portfolio help" -l keymap -d 'Your keymap overrides, merged onto the preset (default: ~/.config/spets/keymap.toml)' -r -F
complete -c spets -n "__fish_spets_using_subcommand report; and not __fish_seen_subcommand_from partner portfolio help" -s h -l help -d 'Print help'
complete -c spets -n "__fish_spets_using_subcommand report; and not __fish_seen_subcommand_from partner portfolio help" -f -a "partner" -d 'One partner\'s report: phase and history, agreements and renewal, governance, goals and their follow-up, the year\'s activities, the value matrix of both sides, decisions and open action items'
complete -c spets -n "__fish_spets_using_subcommand report; and not __fish_seen_subcommand_from partner portfolio help" -f -a "portfolio" -d 'The portfolio: one line per strategic partner (phase, renewal, governance, matrix means, goals) and the totals'
complete -c spets -n "__fish_spets_using_subcommand report; and not __fish_seen_subcommand_from partner portfolio help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c spets -n "__fish_spets_using_subcommand report; and __fish_seen_subcommand_from partner" -l year -d 'The calendar year whose activities and decisions are counted (default: this year)' -r
complete -c spets -n "__fish_spets_using_subcommand report; and __fish_seen_subcommand_from partner" -l format -d 'html or md (default: from the file name\'s extension, else html)' -r
complete -c spets -n "__fish_spets_using_subcommand report; and __fish_seen_subcommand_from partner" -s o -l output -d 'The file to write (atomically, mode 0600); `-` or nothing for stdout' -r -F
complete -c spets -n "__fish_spets_using_subcommand report; and __fish_seen_subcommand_from partner" -l db -d 'The workspace directory (default: $XDG_DATA_HOME/spets/workspace, i.e. ~/.local/share/spets/workspace)' -r -F
complete -c spets -n "__fish_spets_using_subcommand report; and __fish_seen_subcommand_from partner" -l lang -d 'Interface language: sv or en (default: from LC_ALL / LC_MESSAGES / LANG)' -r
complete -c spets -n "__fish_spets_using_subcommand report; and __fish_seen_subcommand_from partner" -l connect -d 'Connect to a spets daemon on this Unix socket instead of opening a workspace (default: `server` in /etc/spets/config.toml or ~/.config/spets/config.toml)' -r -F
complete -c spets -n "__fish_spets_using_subcommand report; and __fish_seen_subcommand_from partner" -l keymap-preset -d 'Keymap preset for the terminal UI: default, vim or emacs (default: `keymap` in ~/.config/spets/config.toml, else default)' -r
complete -c spets -n "__fish_spets_using_subcommand report; and __fish_seen_subcommand_from partner" -l keymap -d 'Your keymap overrides, merged onto the preset (default: ~/.config/spets/keymap.toml)' -r -F
complete -c spets -n "__fish_spets_using_subcommand report; and __fish_seen_subcommand_from partner" -s h -l help -d 'Print help'
complete -c spets -n "__fish_spets_using_subcommand report; and __fish_seen_subcommand_from portfolio" -l year -d 'The calendar year whose activities and decisions are counted (default: this year)' -r
complete -c spets -n "__fish_spets_using_subcommand report; and __fish_seen_subcommand_from portfolio" -l format -d 'html or md (default: from the file name\'s extension, else html)' -r
complete -c spets -n "__fish_spets_using_subcommand report; and __fish_seen_subcommand_from portfolio" -s o -l output -d 'The file to write (atomically, mode 0600); `-` or nothing for stdout' -r -F
complete -c spets -n "__fish_spets_using_subcommand report; and __fish_seen_subcommand_from portfolio" -l db -d 'The workspace directory (default: $XDG_DATA_HOME/spets/workspace, i.e. ~/.local/share/spets/workspace)' -r -F
complete -c spets -n "__fish_spets_using_subcommand report; and __fish_seen_subcommand_from portfolio" -l lang -d 'Interface language: sv or en (default: from LC_ALL / LC_MESSAGES / LANG)' -r
complete -c spets -n "__fish_spets_using_subcommand report; and __fish_seen_subcommand_from portfolio" -l connect -d 'Connect to a spets daemon on this Unix socket instead of opening a workspace (default: `server` in /etc/spets/config.toml or ~/.config/spets/config.toml)' -r -F
complete -c spets -n "__fish_spets_using_subcommand report; and __fish_seen_subcommand_from portfolio" -l keymap-preset -d 'Keymap preset for the terminal UI: default, vim or emacs (default: `keymap` in ~/.config/spets/config.toml, else default)' -r
complete -c spets -n "__fish_spets_using_subcommand report; and __fish_seen_subcommand_from portfolio" -l keymap -d 'Your keymap overrides, merged onto the preset (default: ~/.config/spets/keymap.toml)' -r -F
complete -c spets -n "__fish_spets_using_subcommand report; and __fish_seen_subcommand_from portfolio" -s h -l help -d 'Print help'
complete -c spets -n "__fish_spets_using_subcommand report; and __fish_seen_subcommand_from help" -f -a "partner" -d 'One partner\'s report: phase and history, agreements and renewal, governance, goals and their follow-up, the year\'s activities, the value matrix of both sides, decisions and open action items'
complete -c spets -n "__fish_spets_using_subcommand report; and __fish_seen_subcommand_from help" -f -a "portfolio" -d 'The portfolio: one line per strategic partner (phase, renewal, governance, matrix means, goals) and the totals'
complete -c spets -n "__fish_spets_using_subcommand report; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c spets -n "__fish_spets_using_subcommand completions" -l db -d 'The workspace directory (default: $XDG_DATA_HOME/spets/workspace, i.e. ~/.local/share/spets/workspace)' -r -F
complete -c spets -n "__fish_spets_using_subcommand completions" -l lang -d 'Interface language: sv or en (default: from LC_ALL / LC_MESSAGES / LANG)' -r
complete -c spets -n "__fish_spets_using_subcommand completions" -l connect -d 'Connect to a spets daemon on this Unix socket instead of opening a workspace (default: `server` in /etc/spets/config.toml or ~/.config/spets/config.toml)' -r -F
complete -c spets -n "__fish_spets_using_subcommand completions" -l keymap-preset -d 'Keymap preset for the terminal UI: default, vim or emacs (default: `keymap` in ~/.config/spets/config.toml, else default)' -r
complete -c spets -n "__fish_spets_using_subcommand completions" -l keymap -d 'Your keymap overrides, merged onto the preset (default: ~/.config/spets/keymap.toml)' -r -F
complete -c spets -n "__fish_spets_using_subcommand completions" -s h -l help -d 'Print help'
complete -c spets -n "__fish_spets_using_subcommand man" -l db -d 'The workspace directory (default: $XDG_DATA_HOME/spets/workspace, i.e. ~/.local/share/spets/workspace)' -r -F
complete -c spets -n "__fish_spets_using_subcommand man" -l lang -d 'Interface language: sv or en (default: from LC_ALL / LC_MESSAGES / LANG)' -r
complete -c spets -n "__fish_spets_using_subcommand man" -l connect -d 'Connect to a spets daemon on this Unix socket instead of opening a workspace (default: `server` in /etc/spets/config.toml or ~/.config/spets/config.toml)' -r -F
complete -c spets -n "__fish_spets_using_subcommand man" -l keymap-preset -d 'Keymap preset for the terminal UI: default, vim or emacs (default: `keymap` in ~/.config/spets/config.toml, else default)' -r
complete -c spets -n "__fish_spets_using_subcommand man" -l keymap -d 'Your keymap overrides, merged onto the preset (default: ~/.config/spets/keymap.toml)' -r -F
complete -c spets -n "__fish_spets_using_subcommand man" -s h -l help -d 'Print help'
complete -c spets -n "__fish_spets_using_subcommand import" -l db -d 'The workspace directory (default: $XDG_DATA_HOME/spets/workspace, i.e. ~/.local/share/spets/workspace)' -r -F
complete -c spets -n "__fish_spets_using_subcommand import" -l lang -d 'Interface language: sv or en (default: from LC_ALL / LC_MESSAGES / LANG)' -r
complete -c spets -n "__fish_spets_using_subcommand import" -l connect -d 'Connect to a spets daemon on this Unix socket instead of opening a workspace (default: `server` in /etc/spets/config.toml or ~/.config/spets/config.toml)' -r -F
complete -c spets -n "__fish_spets_using_subcommand import" -l keymap-preset -d 'Keymap preset for the terminal UI: default, vim or emacs (default: `keymap` in ~/.config/spets/config.toml, else default)' -r
complete -c spets -n "__fish_spets_using_subcommand import" -l keymap -d 'Your keymap overrides, merged onto the preset (default: ~/.config/spets/keymap.toml)' -r -F
complete -c spets -n "__fish_spets_using_subcommand import" -l dry-run -d 'Check every row and report; write nothing'
complete -c spets -n "__fish_spets_using_subcommand import" -l valid-only -d 'Import the rows that pass even when other rows have problems'
complete -c spets -n "__fish_spets_using_subcommand import" -s h -l help -d 'Print help'
complete -c spets -n "__fish_spets_using_subcommand help; and not __fish_seen_subcommand_from keymap serve demo check backup restore bench export report completions man import help" -f -a "keymap" -d 'Check or show keymaps (presets in keymaps/, overrides in ~/.config/spets/keymap.toml)'
complete -c spets -n "__fish_spets_using_subcommand help; and not __fish_seen_subcommand_from keymap serve demo check backup restore bench export report completions man import help" -f -a "serve" -d 'Serve a workspace to every spets on this machine over a Unix socket (the shared-server daemon). Stop it with SIGTERM'
complete -c spets -n "__fish_spets_using_subcommand help; and not __fish_seen_subcommand_from keymap serve demo check backup restore bench export report completions man import help" -f -a "demo" -d 'Fill an empty workspace with realistic sample data (deterministic for a seed)'
complete -c spets -n "__fish_spets_using_subcommand help; and not __fish_seen_subcommand_from keymap serve demo check backup restore bench export report completions man import help" -f -a "check" -d 'Verify a workspace: every record decodes and keeps within the limits, indexes agree, versions and counters are sane. A dry run unless --repair is given'
complete -c spets -n "__fish_spets_using_subcommand help; and not __fish_seen_subcommand_from keymap serve demo check backup restore bench export report completions man import help" -f -a "backup" -d 'Write a consistent snapshot of the workspace, with a checksum, to FILE'
complete -c spets -n "__fish_spets_using_subcommand help; and not __fish_seen_subcommand_from keymap serve demo check backup restore bench export report completions man import help" -f -a "restore" -d 'Restore a backup FILE into a new workspace (--db DIR, which must be empty or missing)'
complete -c spets -n "__fish_spets_using_subcommand help; and not __fish_seen_subcommand_from keymap serve demo check backup restore bench export report completions man import help" -f -a "bench" -d 'Measure the core targets on a workspace (open + first screen, partner filtering, memory)'
complete -c spets -n "__fish_spets_using_subcommand help; and not __fish_seen_subcommand_from keymap serve demo check backup restore bench export report completions man import help" -f -a "export" -d 'Export a dataset as CSV: partners, agreements, contacts, activities, matrix, assessments, notes, actions or audit. Writes to stdout unless --output names a file'
complete -c spets -n "__fish_spets_using_subcommand help; and not __fish_seen_subcommand_from keymap serve demo check backup restore bench export report completions man import help" -f -a "report" -d 'Write a management report as HTML or Markdown: one partner\'s year, or the portfolio of strategic partners'
complete -c spets -n "__fish_spets_using_subcommand help; and not __fish_seen_subcommand_from keymap serve demo check backup restore bench export report completions man import help" -f -a "completions" -d 'Print a shell completion script for SHELL (bash, zsh, fish, elvish or powershell)'
complete -c spets -n "__fish_spets_using_subcommand help; and not __fish_seen_subcommand_from keymap serve demo check backup restore bench export report completions man import help" -f -a "man" -d 'Print the spets(1) manual page (roff)'
complete -c spets -n "__fish_spets_using_subcommand help; and not __fish_seen_subcommand_from keymap serve demo check backup restore bench export report completions man import help" -f -a "import" -d 'Import partners, activities or goals from a CSV file (columns matched by header, Swedish or English)'
complete -c spets -n "__fish_spets_using_subcommand help; and not __fish_seen_subcommand_from keymap serve demo check backup restore bench export report completions man import help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c spets -n "__fish_spets_using_subcommand help; and __fish_seen_subcommand_from keymap" -f -a "check" -d 'Validate a keymap file; exits non-zero and names file, line and column for each problem'
complete -c spets -n "__fish_spets_using_subcommand help; and __fish_seen_subcommand_from keymap" -f -a "show" -d 'Print the active bindings as a table (the preset plus your overrides)'
complete -c spets -n "__fish_spets_using_subcommand help; and __fish_seen_subcommand_from report" -f -a "partner" -d 'One partner\'s report: phase and history, agreements and renewal, governance, goals and their follow-up, the year\'s activities, the value matrix of both sides, decisions and open action items'
complete -c spets -n "__fish_spets_using_subcommand help; and __fish_seen_subcommand_from report" -f -a "portfolio" -d 'The portfolio: one line per strategic partner (phase, renewal, governance, matrix means, goals) and the totals'
