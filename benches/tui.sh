#!/usr/bin/env bash
# The TUI benchmark of issue 17: the real spets binary in a 120x40 pty, driven by the tuibench
# harness (../shared/tools/tuibench), side by side in one run with less and vim -u NONE on spets'
# own CSV export of the same activities. Prints one table (spets, less, vim, goal, and the ratios
# spets/less and spets/vim) for every pane, embedded and through a daemon (--connect), and the
# export against sqlite3. Figures are medians of RUNS runs.
#
#   cargo build --release
#   bash benches/tui.sh [WORKSPACE] [RUNS]        # defaults: /tmp/big 5
#
# The workspace is made with `spets demo --partners 10000 --activities 200000 --notes 20000` when
# it is missing. It is never changed: every run works on a copy. Needs python3 with pyte
# (pip install pyte), less, vim and sqlite3. SPETS=path picks another binary, TUIBENCH=path another
# harness. ONLY=embedded|daemon|export runs one part; OUT=DIR keeps tuibench's JSON and logs there.
set -euo pipefail

ws=${1:-/tmp/big}
runs=${2:-5}
here=$(cd "$(dirname "$0")/.." && pwd)
spets=$(realpath "${SPETS:-$here/target/release/spets}")
bench=${TUIBENCH:-$here/../shared/tools/tuibench/tuibench.py}
[ -f "$bench" ] || bench=/work/shared/tools/tuibench/tuibench.py
only=${ONLY:-all}

for tool in python3 less vim sqlite3; do
  command -v "$tool" >/dev/null || { echo "tui.sh: $tool is not installed" >&2; exit 1; }
done
python3 -c 'import pyte' 2>/dev/null || { echo "tui.sh: pip install pyte" >&2; exit 1; }
[ -x "$spets" ] || { echo "tui.sh: no spets binary at $spets (cargo build --release)" >&2; exit 1; }
[ -f "$bench" ] || { echo "tui.sh: no tuibench.py at $bench (set TUIBENCH)" >&2; exit 1; }

if [ ! -d "$ws" ]; then
  echo "tui.sh: making the large demo workspace in $ws (a few minutes)" >&2
  "$spets" demo --db "$ws" --partners 10000 --activities 200000 --notes 20000 >/dev/null
fi

tmp=$(mktemp -d)
daemon=""
cleanup() {
  if [ -n "$daemon" ]; then kill "$daemon" 2>/dev/null || true; wait "$daemon" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
out=${OUT:-$tmp}
mkdir -p "$out"
cp -a "$ws" "$tmp/ws"
rm -f "$tmp/ws/model.checkpoint.tmp"
# A checkpoint of the model, as every clean close leaves one.
"$spets" bench --db "$tmp/ws" >/dev/null 2>&1 || true
csv="$tmp/activities.csv"
"$spets" export activities --db "$tmp/ws" --dialect rfc4180 --lang en --output "$csv"
export HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/home/.config" XDG_DATA_HOME="$tmp/home/.local/share"
mkdir -p "$XDG_CONFIG_HOME"

tb() { # NAME ARGS... : one tuibench invocation, its JSON in $tmp/NAME.json
  local name=$1
  shift
  python3 "$bench" --cols 120 --rows 40 --runs "$runs" --warmup 1 --json-out "$out/$name.json" \
    --key-timeout 10 "$@" >"$out/$name.log" 2>&1 || {
    echo "tui.sh: $name failed:" >&2
    tail -5 "$out/$name.log" >&2
  }
}

rows='[1-9][0-9,. ]* partners'
timeline='[1-9][0-9,. ]* activities · [1-9]'
matrix='[1-9][0-9,. ]* partners · latest scores'
notes='[1-9][0-9,. ]* notes · '

spets_runs() { # PREFIX CMD...
  local p=$1
  shift
  tb "$p-partners" --marker "$rows" --keys 'j*50' --quit q -- "$@"
  tb "$p-timeline" --marker "$rows" --keys 2 --expect "$timeline" --keys 'j*50' \
    --keys '<pgdn>*20' --quit q -- "$@"
  tb "$p-all" --marker "$rows" --keys 2 --expect "$timeline" --keys 3 --expect "$matrix" \
    --keys 'j*50' --keys 4 --expect "$notes" --keys 'j*50' --keys 1 --keys '/Malmö' --quit '<esc>q' -- "$@"
}

if [ "$only" = all ] || [ "$only" = embedded ]; then
  echo "tui.sh: spets on $tmp/ws ($runs runs each)" >&2
  spets_runs emb "$spets" --db "$tmp/ws" --lang en
  # Without a checkpoint: the model is loaded from the records (after a crash or an upgrade).
  tb emb-nockpt --marker "$rows" --quit q -- \
    sh -c "rm -f '$tmp/ws/model.checkpoint'; exec '$spets' --db '$tmp/ws' --lang en"
  "$spets" bench --db "$tmp/ws" >/dev/null 2>&1 || true
  echo "tui.sh: less and vim on $csv" >&2
  tb less --marker '^ID,Date' --keys 'j*50' --keys '<pgdn>*20' --quit q -- less -S "$csv"
  tb vim --marker '^ID,Date' --keys 'j*50' --keys '<pgdn>*20' --quit ':q!<enter>' -- \
    vim -u NONE -n "$csv"
fi

if [ "$only" = all ] || [ "$only" = daemon ]; then
  echo "tui.sh: spets through a daemon" >&2
  cp -a "$tmp/ws" "$tmp/wsd"
  sock="$tmp/spets.sock"
  "$spets" serve --db "$tmp/wsd" --socket "$sock" --lang en >"$tmp/daemon.log" 2>&1 &
  daemon=$!
  for _ in $(seq 300); do [ -S "$sock" ] && break; sleep 0.1; done
  spets_runs dmn "$spets" --connect "$sock" --lang en
  grep -h '^VmHWM' "/proc/$daemon/status" | awk '{printf "%.1f\n", $2 / 1024}' >"$out/daemon.rss" || true
fi

if [ "$only" = all ] || [ "$only" = export ]; then
  echo "tui.sh: export against sqlite3" >&2
  sqlite3 "$tmp/ref.sqlite" ".import --csv $csv activities"
  tb export --batch --stdout /dev/null -- "$spets" export activities --db "$tmp/ws" --dialect rfc4180
  tb sqlite --batch --stdout /dev/null -- sqlite3 -csv "$tmp/ref.sqlite" 'select * from activities'
  if [ -n "$daemon" ]; then
    tb export-dmn --batch --stdout /dev/null -- \
      "$spets" export activities --connect "$sock" --dialect rfc4180
  fi
fi

python3 - "$out" "$runs" <<'EOF'
import json, os, sys
tmp, runs = sys.argv[1], sys.argv[2]

def load(name):
    try:
        with open(os.path.join(tmp, name + ".json")) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None

def med(d, *path):
    for p in path:
        if d is None:
            return None
        d = d[p] if isinstance(p, int) else d.get(p)
    return d.get("median") if isinstance(d, dict) else None

def key(d, i):  # (latency ms, bytes) of phase i (until the screen matched, for --expect)
    if med(d, "phases", i, "expect_latency_ms") is not None:
        return med(d, "phases", i, "expect_latency_ms"), med(d, "phases", i, "expect_bytes")
    return med(d, "phases", i, "latency_ms"), med(d, "phases", i, "bytes")

def fmt(v):
    if v is None:
        return ""
    if isinstance(v, tuple):
        ms, b = v
        if ms is None:
            return ""
        return f"{ms:.2f} ms, {b:,.0f} B" if b is not None else f"{ms:.2f} ms"
    return v

def num(v):
    if isinstance(v, tuple):
        v = v[0]
    if isinstance(v, str):
        try:
            return float(v.split()[0].replace(",", ""))
        except ValueError:
            return None
    return v

def ratio(a, b):
    a, b = num(a), num(b)
    return f"{a / b:.1f}×" if a and b else ""

def ms(v):
    return None if v is None else f"{v:.1f} ms"

def mb(v):
    return None if v is None else f"{v:.1f} MB"

less, vim = load("less"), load("vim")
for mode, p in (("embedded (--db)", "emb"), ("through a daemon (--connect)", "dmn")):
    part, tl, al = load(p + "-partners"), load(p + "-timeline"), load(p + "-all")
    if part is None:
        continue
    nock = load("emb-nockpt") if p == "emb" else None
    search = None
    if al is not None:
        s = [k for k in al["phases"] if k["spec"] == "/Malmö"]
        if s:
            search = (s[0]["latency_ms"]["median"], s[0]["bytes"]["median"])
    rows = [
        ("first frame showing partner rows, checkpoint present", ms(med(part, "ttff_ms")),
         ms(med(less, "ttff_ms")), ms(med(vim, "ttff_ms")), "≤ 50 ms"),
        ("the same without a checkpoint", ms(med(nock, "ttff_ms")), None, None, "≤ 100 ms"),
        ("`j` in Partners", key(part, 0), key(less, 0), key(vim, 0), "≤ 0.5 ms, ≤ 200 B"),
        ("Timeline shown after `2`", key(tl, 0), None, None, ""),
        ("`j` in Timeline", key(tl, 1), key(less, 0), key(vim, 0), "≤ 0.5 ms, ≤ 200 B"),
        ("PgDn in Timeline", key(tl, 2), key(less, 1), key(vim, 1), "≤ 1 ms"),
        ("`j` in Meeting notes", key(al, 4), None, None, "≤ 0.5 ms, ≤ 200 B"),
        ("`j` in Value matrix", key(al, 2), None, None, "≤ 0.5 ms"),
        ("search as you type (`/Malmö`, per key)", search, None, None, "≤ 10 ms, ≤ 1,500 B"),
        ("peak memory after the Partners pane", mb(med(part, "maxrss_mb")),
         mb(med(less, "maxrss_mb")), mb(med(vim, "maxrss_mb")), "≤ 64 MB"),
        ("peak memory after the Timeline", mb(med(tl, "maxrss_mb")), None, None, "≤ 64 MB"),
        ("peak memory after visiting all panes", mb(med(al, "maxrss_mb")), None, None, "≤ 64 MB"),
    ]
    print(f"\n## spets {mode}, 120x40, median of {runs}\n")
    print("| measure | spets | less | vim -u NONE | goal | spets/less | spets/vim |")
    print("|---|---|---|---|---|---|---|")
    for name, s, l, v, goal in rows:
        print(f"| {name} | {fmt(s)} | {fmt(l)} | {fmt(v)} | {goal} | {ratio(s, l)} | {ratio(s, v)} |")
    if p == "dmn":
        try:
            with open(os.path.join(tmp, "daemon.rss")) as f:
                print(f"\nThe daemon's peak memory: {f.read().strip()} MB")
        except OSError:
            pass

ex, sq, exd = load("export"), load("sqlite"), load("export-dmn")
if ex is not None:
    print(f"\n## `spets export activities` (rfc4180, to /dev/null), whole process, median of {runs}\n")
    print("| what | time | peak memory | × sqlite3's time | goal |")
    print("|---|---|---|---|---|")
    base = med(sq, "wall_ms")
    for name, d in (("spets export activities --db", ex), ("spets export activities --connect", exd),
                    ("sqlite3 -csv", sq)):
        if d is None:
            continue
        t = med(d, "wall_ms")
        r = f"{t / base:.2f}×" if t and base else ""
        goal = "≤ 1.0× sqlite3, ≤ 32 MB" if d is ex else ""
        print(f"| {name} | {ms(t)} | {mb(med(d, 'maxrss_mb'))} | {r} | {goal} |")
EOF
