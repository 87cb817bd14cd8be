#!/usr/bin/env bash
# The export benchmark of issue 7: `spets export activities` against `sqlite3 -csv` reading the same
# rows from an SQLite table, whole processes, writing to /dev/null. The two take turns, RUNS times
# each; the medians and their ratio are printed (below 1 means spets is faster).
#
#   cargo build --release
#   target/release/spets demo --db /tmp/big --partners 10000 --activities 200000 --notes 20000
#   bash benches/export-vs-sqlite.sh /tmp/big 21
#
# Needs sqlite3 (apt-get install sqlite3). SPETS=path picks another spets binary.
set -euo pipefail

ws=${1:-/tmp/big}
runs=${2:-21}
spets=${SPETS:-target/release/spets}

if ! command -v sqlite3 >/dev/null; then
  echo "export-vs-sqlite: sqlite3 is not installed (apt-get install sqlite3)" >&2
  exit 1
fi
if [ ! -x "$spets" ]; then
  echo "export-vs-sqlite: no spets binary at $spets (cargo build --release, or set SPETS)" >&2
  exit 1
fi
if [ ! -d "$ws" ]; then
  echo "export-vs-sqlite: no workspace at $ws (create one with spets demo --db $ws ...)" >&2
  exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The reference table: spets' own export of the same rows, loaded into SQLite.
"$spets" export activities --db "$ws" --dialect rfc4180 --output "$tmp/ref.csv"
sqlite3 "$tmp/ref.sqlite" ".import --csv $tmp/ref.csv activities"
echo "rows: $(sqlite3 "$tmp/ref.sqlite" 'select count(*) from activities')"

ms() { # run a command, print its wall time in milliseconds
  local start end
  start=$(date +%s%N)
  "$@" >/dev/null
  end=$(date +%s%N)
  echo $(((end - start) / 1000000))
}

: >"$tmp/spets" && : >"$tmp/sqlite"
for _ in $(seq "$runs"); do
  ms "$spets" export activities --db "$ws" --dialect rfc4180 >>"$tmp/spets"
  ms sqlite3 -csv "$tmp/ref.sqlite" 'select * from activities' >>"$tmp/sqlite"
done

median() { sort -n "$1" | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
range() { sort -n "$1" | awk 'NR == 1 {lo = $1} {hi = $1} END {print lo "-" hi}'; }
a=$(median "$tmp/spets")
b=$(median "$tmp/sqlite")
echo "spets export activities: median $a ms ($(range "$tmp/spets") ms), $runs runs"
echo "sqlite3 -csv:            median $b ms ($(range "$tmp/sqlite") ms), $runs runs"
awk -v a="$a" -v b="$b" 'BEGIN {printf "ratio spets / sqlite3: %.2f\n", a / b}'
