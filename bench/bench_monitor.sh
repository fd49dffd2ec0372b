#!/usr/bin/env bash
# bench_monitor.sh — continuous screening at scale: ROWS monitored
# customers, a list update that adds or changes 100 entities, then the
# delta run (`cordon monitor run`) against a full re-screen of every
# customer (`cordon monitor run --full`), each on a copy of the same store.
# Not a test: it prints figures for the README and docs/AUDIT.md.
#
#   bench/bench_monitor.sh [ROWS]        (default 1000000)
#
# Steps, all on this machine:
#  1. customers: bench/gen_customers (the batch benchmark's generator,
#     same seed and file name, so the file is shared), 1% planted;
#  2. the update: bench/list_update writes the next sdn.csv, 50 entities
#     changed (25 names respelt, 25 with a new program) and 50 added
#     (names of customers, who just got listed); compiled into a second
#     snapshot next to the default one; `cordon diff` shows it;
#  3. store A: monitor add, then a first run against the default
#     snapshot (every customer screened in full: the initial cost);
#  4. on fresh copies of A, in turns, three times each: the delta run
#     against the new snapshot, and --full against it. Both print their
#     new alerts as JSON lines: the delta's must be the
#     full run's, exactly (customer, entity, score), including those on
#     unchanged entities whose score crossed the threshold because the
#     IDF of every token moved a little when names were added (the delta
#     finds them among the near misses it keeps: the drift band). The
#     delta's line shows the largest score change over the near misses
#     it rescored.
# Environment: SEED (default 1), THREADS (default 2), SHARED (the shared
# data, default ../shared/data), KEEP=1 keeps the first run's store
# (809 MB at a million customers).
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-1000000}
seed=${SEED:-1}
threads=${THREADS:-2}
work=build/bench-data/monitor
mkdir -p "$work/update" build/bench
unset CORDON_DB

make --no-print-directory build/cordon build/libcordon.a build/default.cordon >/dev/null
old=build/default.cordon
libs=$(pkg-config --libs expat jansson libutf8proc icu-uc icu-i18n zlib libzip libcrypto sqlite3)
for p in gen_customers list_update; do
  if [ ! -x build/bench/$p ] || [ bench/$p.c -nt build/bench/$p ] || [ build/libcordon.a -nt build/bench/$p ]; then
    cc -std=c11 -D_GNU_SOURCE -Iinclude -Wall -Wextra -Werror -O2 -g -pthread \
      -o build/bench/$p bench/$p.c build/libcordon.a $libs -lm -pthread
  fi
done

customers=build/bench-data/customers_${rows}_s${seed}.csv
if [ ! -s "$customers" ] || [ build/bench/gen_customers -nt "$customers" ] || [ "$old" -nt "$customers" ]; then
  build/bench/gen_customers --index "$old" --rows "$rows" --seed "$seed" --planted 0.01 \
    --shared "${SHARED:-../shared/data}" > "$customers"
fi

# the next version of the lists: SDN updated, the other lists as they are
build/bench/list_update --sdn data/lists/ofac_sdn/sdn_csv_2024-05-03/sdn.csv \
  --customers "$customers" --out "$work/update" --changed 50 --added 50 2> "$work/update.log"
tail -1 "$work/update.log"
here=$(pwd)
sed -e "s#lists/ofac_sdn/sdn_csv_2024-05-03/sdn.csv#$here/$work/update/sdn.csv#" \
    -e "s#\(^\| \)lists/#\1$here/data/lists/#g" data/lists.conf > "$work/update/lists.conf"
new=$work/new.cordon
./build/cordon build --lists "$work/update/lists.conf" -o "$new" 2>/dev/null
./build/cordon diff --summary "$old" "$new" | tail -1 || true

# One timed command; prints "wall user sys maxrss_kb" of it.
timed() {
  /usr/bin/time -f "%e %U %S %M" -o "$work/time.txt" "$@" || [ $? -eq 1 ]
  tail -1 "$work/time.txt"
}

a=$work/a.db
rm -f "$a" "$a"-*
echo "== $rows monitored customers on $(nproc) cores (load average $(cut -d' ' -f1-3 /proc/loadavg)), -j$threads"
read -r w u s m < <(timed ./build/cordon monitor add -q --db "$a" "$customers")
printf '  monitor add:            %8.1f s wall  (%.0f customers/s)  peak RSS %d MB\n' "$w" \
  "$(awk -v n="$rows" -v w="$w" 'BEGIN {print n / w}')" "$((m / 1024))"
read -r w u s m < <(timed sh -c "./build/cordon monitor run -q -j $threads --db $a --index $old > /dev/null")
printf '  first run (all in full): %7.1f s wall, %.1f s CPU  peak RSS %d MB\n' "$w" \
  "$(awk -v u="$u" -v s="$s" 'BEGIN {print u + s}')" "$((m / 1024))"
printf '  store: %d MB\n' "$(( $(stat -c %s "$a") / 1048576 ))"

# The delta and the full re-screen three times each, in turns (delta,
# full, delta, full, ...), each on a fresh copy of the first run's store,
# so that both see the same moments of a shared machine: the medians,
# and the median of the three side-by-side ratios.
c=$work/c.db
: > "$work/delta_times.txt"
: > "$work/full_times.txt"
echo "  load average before the delta and full runs: $(cut -d' ' -f1-3 /proc/loadavg)"
for k in 1 2 3; do
  rm -f "$c" "$c"-*
  cp "$a" "$c"
  sync # the copy's dirty pages would be written by the run's first fsync
  timed sh -c "./build/cordon monitor run -j $threads --db $c --index $new --json > $work/delta.jsonl 2> $work/delta.err" >> "$work/delta_times.txt"
  rm -f "$c" "$c"-*
  cp "$a" "$c"
  sync
  timed sh -c "./build/cordon monitor run -j $threads --db $c --index $new --full --json > $work/full.jsonl 2> $work/full.err" >> "$work/full_times.txt"
done
rm -f "$c" "$c"-*
cat "$work/delta.err" "$work/full.err"
echo "  delta runs (wall user sys rss): $(tr '\n' ';' < "$work/delta_times.txt")"
echo "  full runs  (wall user sys rss): $(tr '\n' ';' < "$work/full_times.txt")"
med() { sort -g | sed -n 2p; }
dw=$(cut -d' ' -f1 "$work/delta_times.txt" | med)
dc=$(awk '{print $2 + $3}' "$work/delta_times.txt" | med)
dm=$(cut -d' ' -f4 "$work/delta_times.txt" | med)
fw=$(cut -d' ' -f1 "$work/full_times.txt" | med)
fc=$(awk '{print $2 + $3}' "$work/full_times.txt" | med)
fm=$(cut -d' ' -f4 "$work/full_times.txt" | med)
rw=$(paste -d' ' "$work/delta_times.txt" "$work/full_times.txt" | awk '{print $5 / $1}' | med)
rc=$(paste -d' ' "$work/delta_times.txt" "$work/full_times.txt" | awk '{print ($6 + $7) / ($2 + $3)}' | med)
printf '  delta run: %8.2f s wall, %7.2f s CPU (medians of three), peak RSS %d MB\n' "$dw" "$dc" "$((dm / 1024))"
printf '  full run:  %8.2f s wall, %7.2f s CPU (medians of three), peak RSS %d MB\n' "$fw" "$fc" "$((fm / 1024))"
awk -v w="$rw" -v c="$rc" 'BEGIN {printf "  delta is %.0fx faster (wall), %.0fx (CPU): medians of the three side-by-side ratios\n", w, c}'
echo "  load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

# customer, entity, score of each new alert
pairs() { sed -n 's/.*"customer":"\([^"]*\)".*"entity":"\([^"]*\)".*"score":\([0-9.]*\).*/\1 \2 \3/p' "$1" | sort; }
pairs "$work/delta.jsonl" > "$work/delta.pairs"
pairs "$work/full.jsonl" > "$work/full.pairs"
grep -o 'ofac_sdn:[0-9]*' "$work/update.log" | sort -u > "$work/changed.ids"
awk 'NR == FNR {c[$1] = 1; next} ($2 in c)' "$work/changed.ids" "$work/full.pairs" > "$work/full_changed.pairs"
nd=$(wc -l < "$work/delta.pairs"); nf=$(wc -l < "$work/full.pairs"); nfc=$(wc -l < "$work/full_changed.pairs")
echo "  new alerts: delta $nd; full $nf, of which $nfc on the 100 changed or added entities"
if cmp -s "$work/delta.pairs" "$work/full.pairs"; then
  echo "  the delta's alerts are exactly the full re-screen's (customer, entity, score)"
else
  echo "  WARNING: the delta's alerts differ from the full re-screen's:"
  diff "$work/delta.pairs" "$work/full.pairs" | head -20
fi
echo "  of them on unchanged entities (IDF drift, found by the drift band): $((nf - nfc))"
[ "${KEEP:-0}" = 1 ] || rm -f "$a" "$a"-*
