#!/usr/bin/env bash
# The Debian package end to end, as root on this (Debian or Ubuntu) machine: build it with
# cargo-deb, install it with dpkg, check its files and their modes, the group and the system user,
# that no daemon was enabled or started, run `spets --version` and read the man page with `man -l`,
# then remove and purge it. Safe to run twice: a package left installed by an earlier run is
# purged first.
set -euo pipefail
cd "$(dirname "$0")/.."

fail() { echo "deb check: $*" >&2; exit 1; }

# A package left by an earlier run (or by hand) goes first, so the install below is fresh.
if dpkg -s spets >/dev/null 2>&1; then
  dpkg --purge spets >/dev/null
fi

rm -f target/debian/spets_*.deb
cargo deb --locked
deb=$(ls target/debian/spets_*.deb)
echo "deb check: built $deb"

# What the package holds: the binary but not the tests' helper binary.
contents=$(dpkg-deb --contents "$deb")
if grep -q 'spets-test-child' <<<"$contents"; then
  fail "the package must not ship spets-test-child"
fi

dpkg -i "$deb"

# path, mode, owner:group
while read -r path mode owner; do
  [ -e "$path" ] || fail "$path is missing"
  got="$(stat -c '%a %U:%G' "$path")"
  [ "$got" = "$mode $owner" ] || fail "$path is $got, expected $mode $owner"
done <<'LIST'
/usr/bin/spets 755 root:root
/usr/lib/systemd/system/spets.service 644 root:root
/usr/share/spets/keymaps/default.toml 644 root:root
/usr/share/spets/keymaps/vim.toml 644 root:root
/usr/share/spets/keymaps/emacs.toml 644 root:root
/usr/share/bash-completion/completions/spets 644 root:root
/usr/share/zsh/vendor-completions/_spets 644 root:root
/usr/share/fish/vendor_completions.d/spets.fish 644 root:root
/var/lib/spets 700 spetsd:spets
LIST
man_page=$(dpkg -L spets | grep -E '^/usr/share/man/man1/spets\.1(\.gz)?$' | head -n1)
[ -n "$man_page" ] || fail "no man page in the package"
[ "$(stat -c '%a %U:%G' "$man_page")" = "644 root:root" ] || fail "$man_page has the wrong mode"

getent group spets >/dev/null || fail "the group spets was not created"
getent passwd spetsd >/dev/null || fail "the user spetsd was not created"
[ "$(id -gn spetsd)" = spets ] || fail "spetsd's group is not spets"
[ ! -e /etc/systemd/system/multi-user.target.wants/spets.service ] \
  || fail "the package enabled the daemon"
if pgrep -x spets >/dev/null 2>&1 && pgrep -u spetsd -x spets >/dev/null 2>&1; then
  fail "the package started a daemon"
fi

version=$(/usr/bin/spets --version)
[ "$version" = "spets $(grep -m1 '^version' Cargo.toml | cut -d'"' -f2)" ] \
  || fail "spets --version said: $version"
MANPAGER=cat MANWIDTH=80 man -l "$man_page" >/tmp/spets-man.txt 2>/dev/null
grep -q 'spets' /tmp/spets-man.txt || fail "man -l did not render the page"
grep -q 'completions' /tmp/spets-man.txt || fail "the man page lacks the completions command"
echo "deb check: installed, files and modes as expected; $version; man page renders"

dpkg -r spets >/dev/null
[ ! -e /usr/bin/spets ] || fail "dpkg -r left /usr/bin/spets"
dpkg --purge spets >/dev/null
if dpkg -s spets >/dev/null 2>&1; then
  fail "the package is still known to dpkg after purge"
fi
echo "deb check: removed and purged cleanly"
