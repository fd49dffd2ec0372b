#!/usr/bin/env bash
# bench_server.sh — throughput, latency and CPU per request of `cordon
# serve` (not a timed test; the figures go to docs/SERVER.md and the
# README).
#
# wrk on loopback, THREADS wrk threads and CONNS connections for DURATION
# seconds, the server with its defaults (one worker thread per core, API
# keys on, one log line per request written to a file, every /search
# answer kept in an audit log: a scratch store here):
#   1. GET /search with real names (bench/server.lua rotates through
#      them): requests/s and latency percentiles;
#   2. the same load while the snapshot is atomically replaced and the
#      server sent SIGHUP every 0.5 s: every request must succeed;
#   3. one cheap query (/search?q=Graceful&type=vessel), which shows what
#      the HTTP path and the audit log cost when screening costs little.
# Failed requests are answers other than 200 plus socket errors, counted
# by the wrk script. After each run: the server's CPU time per request
# (from /proc: its worker threads, the audit writer thread, the rest),
# and wrk's own. At the end bench_search_cpu screens the same names in
# one thread without HTTP, which splits the workers' CPU per request into
# screening, result JSON and audit record, and the rest (HTTP, kernel
# TCP, log line, metrics). The machine's load average is printed before
# every run: on a shared machine every figure includes waiting for a
# core, and wrk runs on the same cores as the server.
#
# The names (about 3,500, in this order of the file, rotated): OFAC SDN
# primary names with one typo each (every 15th row of the bundled
# sdn.csv), the 2,000 synthetic non-listed people of
# ../shared/data/eval/negatives (names in many scripts), and 250 Korean
# and 250 Hebrew renderings of famous people's names from the Wikidata
# transliteration sets. Only 127.0.0.1 is used; every loop is bounded.
#
# usage: bench/bench_server.sh [--no-audit]   (from the repository root)
#        DURATION=20 CONNS=50 THREADS=2 SHARED=../shared/data bench/bench_server.sh
#   --no-audit  serve without the audit log (shows what the log costs)
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-20}
CONNS=${CONNS:-50}
THREADS=${THREADS:-2}
SHARED=${SHARED:-${CORDON_SHARED_DATA:-../shared/data}}
CORDON=${CORDON:-build/cordon}
SNAPSHOT=${SNAPSHOT:-build/default.cordon}

command -v wrk >/dev/null || { echo "bench_server: wrk is not installed (make deps)" >&2; exit 2; }
command -v curl >/dev/null || { echo "bench_server: curl is not installed" >&2; exit 2; }
AUDIT=1
for a in "$@"; do
  case $a in
    --no-audit) AUDIT=0 ;;
    *) echo "usage: bench/bench_server.sh [--no-audit]" >&2; exit 2 ;;
  esac
done
[ -x "$CORDON" ] || make --no-print-directory "$CORDON"
[ -x build/bench/bench_search_cpu ] || make --no-print-directory build/bench/bench_search_cpu
if [ ! -f "$SNAPSHOT" ]; then "$CORDON" build -o "$SNAPSHOT"; fi
[ -d "$SHARED/eval/negatives" ] || { echo "bench_server: no $SHARED/eval (set SHARED)" >&2; exit 2; }

work=$(mktemp -d /tmp/cordon-bench-server-XXXXXX)
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# ---- the names --------------------------------------------------------------
queries=$work/queries.txt
# OFAC names with a typo: the two letters after the first of the longest
# word swap places ("PUTIN" -> "PTUIN").
cut -d'"' -f2 data/lists/ofac_sdn/sdn_csv_2024-05-03/sdn.csv | awk 'NR % 15 == 0 {
  n = split($0, w, " "); best = 1
  for (k = 2; k <= n; k++) if (length(w[k]) > length(w[best])) best = k
  s = w[best]
  if (length(s) >= 4) w[best] = substr(s, 1, 1) substr(s, 3, 1) substr(s, 2, 1) substr(s, 4)
  out = w[1]; for (k = 2; k <= n; k++) out = out " " w[k]
  print out }' > "$queries"
for f in validation_negatives_global_1k.csv validation_negatives_us_1k.csv; do
  tail -n +2 "$SHARED/eval/negatives/$f" | cut -d, -f1 >> "$queries"
done
for f in wd_korean wd_hebrew; do
  head -250 "$SHARED/eval/wikidata_transliteration/$f" | cut -f2 >> "$queries"
done

# ---- the server -------------------------------------------------------------
key=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
echo "$key" | "$CORDON" serve --hash-key bench > "$work/keys"
# Two copies of the snapshot, so that a reload swaps in a different file,
# as a deployment does: link one beside the served name, rename over it.
cp "$SNAPSHOT" "$work/a.cordon"
cp "$SNAPSHOT" "$work/b.cordon"
ln "$work/a.cordon" "$work/serve.cordon"
# the audit log goes to a scratch store, never to the user's own
if [ "$AUDIT" = 1 ]; then audit=(--audit "$work/audit.db"); else audit=(--no-audit); fi
"$CORDON" serve --index "$work/serve.cordon" --keys "$work/keys" --bind 127.0.0.1 --port 0 \
  ${SERVER_THREADS:+--threads "$SERVER_THREADS"} "${audit[@]}" \
  2> "$work/server.log" &
server_pid=$!
port=
for _ in $(seq 1 300); do
  port=$(sed -n 's|.*listening on http://127.0.0.1:\([0-9]*\).*|\1|p' "$work/server.log")
  [ -n "$port" ] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; exit 2; }
  sleep 0.1
done
[ -n "$port" ] || { echo "bench_server: the server did not start" >&2; exit 2; }
base=http://127.0.0.1:$port

echo "== cordon serve on 127.0.0.1:$port, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
grep -E "index loaded|listening|audit log" "$work/server.log" | sed 's/^/   /'
echo "   $(wc -l < "$queries") names; wrk: $THREADS threads, $CONNS connections, ${DURATION}s"

# CPU time (clock ticks) of the server's threads, by kind: the
# libmicrohttpd workers, the audit writer, everything else.
tck=$(getconf CLK_TCK)
cpu_ticks() {
  local w=0 a=0 o=0 t c n
  for t in /proc/"$server_pid"/task/*; do
    c=$(cat "$t/comm" 2>/dev/null) || continue
    n=$(awk '{print $14 + $15}' "$t/stat" 2>/dev/null) || continue
    case $c in MHD-worker) w=$((w + n)) ;; cordon-audit) a=$((a + n)) ;; *) o=$((o + n)) ;; esac
  done
  echo "$w $a $o"
}
# run_wrk SECONDS FILE [QUERIES]: the wrk report in FILE, then CPU lines
run_wrk() {
  local before after wrk_cpu n
  local timer=()
  [ -x /usr/bin/time ] && timer=(/usr/bin/time -f "%U %S" -o "$work/wrk.time")
  echo "0 0" > "$work/wrk.time"
  before=$(cpu_ticks)
  CORDON_QUERIES="${3:-$queries}" CORDON_KEY="$key" "${timer[@]}" \
    wrk -t"$THREADS" -c"$CONNS" -d"$1"s --latency -s bench/server.lua "$base/" > "$2"
  after=$(cpu_ticks)
  n=$(sed -n 's/^requests: \([0-9]*\).*/\1/p' "$2")
  wrk_cpu=$(awk '{print $1 + $2}' "$work/wrk.time") # 0 without /usr/bin/time
  echo "$before $after" | awk -v n="${n:-0}" -v tck="$tck" -v wrk="$wrk_cpu" '{
    w = ($4 - $1) / tck; a = ($5 - $2) / tck; o = ($6 - $3) / tck
    if (n == 0) n = 1
    printf "server CPU: %.0f us per request (workers %.0f, audit writer %.0f, other %.0f); %.1f s in all\n",
      (w + a + o) / n * 1e6, w / n * 1e6, a / n * 1e6, o / n * 1e6, w + a + o
    printf "wrk CPU: %.0f us per request\n", wrk / n * 1e6 }' | tee "$2.cpu"
}
show() { grep -E "requests:|throughput|latency:" "$1"; cat "$1.cpu"; }

run_wrk 3 "$work/warm.txt" > /dev/null  # warm-up: page cache, allocator, branch predictors

echo
echo "== 1. steady load (load average $(cut -d' ' -f1-3 /proc/loadavg))"
run_wrk "$DURATION" "$work/steady.txt" > /dev/null
grep -E "Latency Distribution| 50%| 90%| 99%" "$work/steady.txt"
show "$work/steady.txt"

echo
echo "== 2. the same load, the snapshot replaced and SIGHUP every 0.5 s (load average $(cut -d' ' -f1-3 /proc/loadavg))"
run_wrk "$DURATION" "$work/reload.txt" > /dev/null &
wrk_pid=$!
sent=0
cur=a
for _ in $(seq 1 $((DURATION * 2 - 2))); do
  sleep 0.5
  cur=$([ "$cur" = a ] && echo b || echo a)
  ln -f "$work/$cur.cordon" "$work/serve.new"
  mv -f "$work/serve.new" "$work/serve.cordon"
  kill -HUP "$server_pid"
  sent=$((sent + 1))
done
wait "$wrk_pid"
show "$work/reload.txt"
sleep 1
lists=$(curl -s --noproxy '*' -H "X-API-Key: $key" "$base/lists")
ok=$(printf '%s' "$lists" | sed -n 's/.*"reload":{[^}]*"ok":\([0-9]*\).*/\1/p')
failed=$(printf '%s' "$lists" | sed -n 's/.*"reload":{[^}]*"failed":\([0-9]*\).*/\1/p')
echo "reloads: $sent SIGHUP sent, $ok done, $failed failed (signals that arrive during a reload are merged)"
grep -c "reload ok" "$work/server.log" | sed 's/^/reload log lines: /'

echo
echo "== 3. one cheap query: /search?q=Graceful&type=vessel (load average $(cut -d' ' -f1-3 /proc/loadavg))"
echo "/search?q=Graceful&type=vessel" > "$work/cheap.txt"
run_wrk "$DURATION" "$work/cheap.txt.out" "$work/cheap.txt" > /dev/null
show "$work/cheap.txt.out"

echo
build/bench/bench_search_cpu "$SNAPSHOT" "$queries" | tee "$work/engine.txt"
# the workers' CPU per /search of run 1, split
w=$(sed -n 's/.*(workers \([0-9]*\),.*/\1/p' "$work/steady.txt.cpu")
awk -v w="$w" '/screening/ {s = $4} /result JSON/ {j = $4} /audit record/ {a = $5}
  END { if (w > 0) printf "split of run 1 (approximate: the three measured apart, in one thread): workers %d us per request = screening %.0f + result JSON %.0f + audit record %.0f + HTTP, kernel TCP, log line and the rest %.0f\n", w, s, j, a, w - s - j - a }' "$work/engine.txt"
