#!/usr/bin/env bash
# bench_server.sh — throughput and latency of `cordon serve` (not a timed
# test; the figures go to docs/SERVER.md and the README).
#
# wrk on loopback, GET /search with real names (bench/server.lua rotates
# through them), THREADS wrk threads and CONNS connections for DURATION
# seconds, the server with its defaults (one worker thread per core,
# API keys on, one log line per request written to a file):
#   1. steady load: requests/s and latency percentiles;
#   2. the same load while the snapshot is atomically replaced and the
#      server sent SIGHUP every 0.5 s: every request must succeed.
# Failed requests are answers other than 200 plus socket errors, counted
# by the wrk script.
#
# The names (about 3,500, in this order of the file, rotated): OFAC SDN
# primary names with one typo each (every 15th row of the bundled
# sdn.csv), the 2,000 synthetic non-listed people of
# ../shared/data/eval/negatives (names in many scripts), and 250 Korean
# and 250 Hebrew renderings of famous people's names from the Wikidata
# transliteration sets. Only 127.0.0.1 is used; every loop is bounded.
#
# usage: bench/bench_server.sh            (from the repository root)
#        DURATION=20 CONNS=50 THREADS=2 SHARED=../shared/data bench/bench_server.sh
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
[ -x "$CORDON" ] || make --no-print-directory "$CORDON"
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
"$CORDON" serve --index "$work/serve.cordon" --keys "$work/keys" --bind 127.0.0.1 --port 0 \
  ${SERVER_THREADS:+--threads "$SERVER_THREADS"} \
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
grep -E "index loaded|listening" "$work/server.log" | sed 's/^/   /'
echo "   $(wc -l < "$queries") names; wrk: $THREADS threads, $CONNS connections, ${DURATION}s"

run_wrk() {
  CORDON_QUERIES=$queries CORDON_KEY=$key \
    wrk -t"$THREADS" -c"$CONNS" -d"$1"s --latency -s bench/server.lua "$base/"
}

run_wrk 3 > /dev/null  # warm-up: page cache, allocator, branch predictors

echo
echo "== 1. steady load"
run_wrk "$DURATION" | tee "$work/steady.txt" | grep -E "requests|throughput|latency|Latency Distribution| 50%| 90%| 99%"

echo
echo "== 2. the same load, the snapshot replaced and SIGHUP every 0.5 s"
run_wrk "$DURATION" > "$work/reload.txt" &
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
grep -E "requests|throughput|latency" "$work/reload.txt"
sleep 1
lists=$(curl -s --noproxy '*' -H "X-API-Key: $key" "$base/lists")
ok=$(printf '%s' "$lists" | sed -n 's/.*"reload":{[^}]*"ok":\([0-9]*\).*/\1/p')
failed=$(printf '%s' "$lists" | sed -n 's/.*"reload":{[^}]*"failed":\([0-9]*\).*/\1/p')
echo "reloads: $sent SIGHUP sent, $ok done, $failed failed (signals that arrive during a reload are merged)"
grep -c "reload ok" "$work/server.log" | sed 's/^/reload log lines: /'
