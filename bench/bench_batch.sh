#!/usr/bin/env bash
# bench_batch.sh — throughput, scaling, memory and recall of `cordon batch`
# on generated customer files, with a brute-force Jaro-Winkler screen side
# by side. Not a test: it prints figures for bench/README.md.
#
#   bench/bench_batch.sh [SMALL_ROWS [BIG_ROWS]]     (default 100000 1000000;
#                                                    BIG_ROWS 0 skips that run)
#
# Steps, all in one run on the same machine:
#  1. builds build/cordon, the default snapshot, gen_customers and
#     bruteforce_jw; generates SMALL and BIG customer files (seeded, 1% of
#     rows planted with listed parties, the true entity id in `truth`);
#  2. runs batch on SMALL at -j1 and -j2, and -j2 --no-audit, three times
#     each: median rows/s (wall clock, index opening included), CPU
#     seconds, peak RSS;
#  3. runs batch once on BIG at -j2: peak RSS (flat memory: BIG vs SMALL);
#  4. recall: a planted row counts as found when its true entity id is
#     among the row's matches; also by variation, and alerts on clean rows;
#  5. bruteforce_jw on a sample of SMALL (every 100th row and 300 planted
#     rows), and batch's recall on exactly the same rows.
# Environment: SEED (default 1), PLANTED (default 0.01), CORDON_SHARED_DATA
# (default ../shared/data: the Wikidata and negatives sets).
set -euo pipefail
cd "$(dirname "$0")/.."
small=${1:-100000}
big=${2:-1000000}
seed=${SEED:-1}
planted=${PLANTED:-0.01}
shared=${CORDON_SHARED_DATA:-../shared/data}
work=build/bench-data
mkdir -p "$work" build/bench

make --no-print-directory build/cordon build/libcordon.a build/default.cordon >/dev/null
index=build/default.cordon
libs=$(pkg-config --libs expat jansson libutf8proc icu-uc icu-i18n zlib libzip libcrypto)
for p in gen_customers bruteforce_jw; do
  if [ ! -x build/bench/$p ] || [ bench/$p.c -nt build/bench/$p ] || [ build/libcordon.a -nt build/bench/$p ]; then
    cc -std=c11 -D_GNU_SOURCE -Iinclude -Wall -Wextra -Werror -O2 -g -pthread \
      -o build/bench/$p bench/$p.c build/libcordon.a $libs -lm -pthread
  fi
done

gen() { # rows -> path
  local f=$work/customers_$1_s$seed.csv
  if [ ! -s "$f" ] || [ build/bench/gen_customers -nt "$f" ] || [ "$index" -nt "$f" ]; then
    build/bench/gen_customers --index "$index" --rows "$1" --seed "$seed" --planted "$planted" \
      --shared "$shared" > "$f"
  fi
  echo "$f"
}
small_csv=$(gen "$small")
big_csv=
[ "$big" -gt 0 ] && big_csv=$(gen "$big")

# One batch run; prints "wall user sys maxrss_kb". Batch keeps an audit
# log by default: here a fresh store per run, so runs are alike.
export CORDON_DB=$work/audit.db
run() { # jobs input output [batch options]
  local j=$1 in=$2 out=$3
  shift 3
  rm -f "$CORDON_DB" "$CORDON_DB-wal" "$CORDON_DB-shm"
  /usr/bin/time -f "%e %U %S %M" -o "$work/time.txt" \
    ./build/cordon batch -q -j "$j" --index "$index" --keep truth,variation "$@" -o "$out" "$in" \
    || [ $? -eq 1 ]
  tail -1 "$work/time.txt" # (time says "Command exited with non-zero status 1" first)
}
median() { sort -g | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }

echo "== cordon batch on $(nproc) cores (load average $(cut -d' ' -f1-3 /proc/loadavg)): $small rows"
declare -A rps cpu rss
# rounds alternate the configurations, so that a change in the machine's
# load during the benchmark weighs on all of them alike
for j in 1 2 2n; do : > "$work/runs_$j.txt"; done
for i in 1 2 3; do
  for j in 1 2 2n; do
    if [ "$j" = 2n ]; then
      run 2 "$small_csv" "$work/out_small_j$j.csv" --no-audit >> "$work/runs_$j.txt"
    else
      run "$j" "$small_csv" "$work/out_small_j$j.csv" >> "$work/runs_$j.txt"
    fi
  done
done
for j in 1 2 2n; do
  wall=$(awk '{print $1}' "$work/runs_$j.txt" | median)
  cpu[$j]=$(awk '{print $2 + $3}' "$work/runs_$j.txt" | median)
  rss[$j]=$(awk '{print $4}' "$work/runs_$j.txt" | sort -n | tail -1)
  rps[$j]=$(awk -v n="$small" -v w="$wall" 'BEGIN {printf "%.0f", n / w}')
  printf '  -j%-3s median wall %6.2f s  %8s rows/s  CPU %7.2f s (%.0f rows per CPU second)  peak RSS %d MB\n' \
    "$j" "$wall" "${rps[$j]}" "${cpu[$j]}" "$(awk -v n="$small" -v c="${cpu[$j]}" 'BEGIN {print n / c}')" \
    "$((rss[$j] / 1024))"
done
echo "  (-j2n: -j2 --no-audit; the others keep the default audit log)"
cmp -s "$work/out_small_j1.csv" "$work/out_small_j2.csv" && cmp -s "$work/out_small_j1.csv" \
  "$work/out_small_j2n.csv" && echo "  -j1, -j2 and -j2n outputs are identical" \
  || echo "  WARNING: the outputs differ"
awk -v a="${rps[1]}" -v b="${rps[2]}" 'BEGIN {printf "  scaling 1 -> 2 threads: %.2fx (wall clock)\n", b / a}'
# On a shared machine the wall clock measures the scheduler as much as
# batch; CPU seconds per row at -j2 against -j1 show what threads cost.
awk -v n="$small" -v a="${cpu[1]}" -v b="${cpu[2]}" 'BEGIN {
  printf "  CPU per row at -j2 / at -j1: %.2f (1.00: threads add no work; 2 idle cores would give %.2fx)\n", b / a, (2 * a / b > 2 ? 2 : 2 * a / b) }'

if [ -n "$big_csv" ]; then
  read -r bwall buser bsys brss < <(run 2 "$big_csv" "$work/out_big_j2.csv")
  printf '  %d rows at -j2: %.1f s, %.0f rows/s, CPU %.1f s, peak RSS %d MB (vs %d MB at %d rows)\n' \
    "$big" "$bwall" "$(awk -v n="$big" -v w="$bwall" 'BEGIN {print n / w}')" \
    "$(awk -v u="$buser" -v s="$bsys" 'BEGIN {print u + s}')" "$((brss / 1024))" \
    "$((rss[2] / 1024))" "$small"
fi

echo "== recall of planted listed names ($small rows)"
build/bench/bruteforce_jw --index "$index" --input "$small_csv" --every 100 --planted 300 \
  --rows-out "$work/jw_rows.txt" > "$work/jw.txt"
python3 - "$small_csv" "$work/out_small_j2.csv" "$work/jw_rows.txt" <<'EOF'
import csv, sys, collections
inp, out, sample_path = sys.argv[1:4]
truth, how, names = {}, {}, {}
clean = 0
with open(inp, newline='', encoding='utf-8') as f:
    for n, r in enumerate(csv.DictReader(f), 1):
        if r['truth']:
            truth[n] = r['truth']; how[n] = r['variation']; names[n] = r['name']
        else:
            clean += 1
found, alerts = set(), collections.Counter()
with open(out, newline='', encoding='utf-8') as f:
    for r in csv.DictReader(f):
        n = int(r['row'])
        if n in truth and r['match_id'] == truth[n]:
            found.add(n)
        if n not in truth and r['match_id']:
            alerts[n] += 1
print(f"  cordon: {len(found)}/{len(truth)} planted rows found, recall {len(found)/max(1,len(truth)):.4f}")
by = collections.defaultdict(lambda: [0, 0])
for n, v in how.items():
    by[v][1] += 1
    by[v][0] += n in found
print("    by variation: " + ", ".join(f"{v} {a}/{b}" for v, (a, b) in sorted(by.items())))
print(f"    clean rows with an alert: {len(alerts)}/{clean} ({len(alerts)/max(1,clean):.4f}), "
      f"alerts per clean row {sum(alerts.values())/max(1,clean):.3f}")
sample = [int(x) for x in open(sample_path)]
sp = [n for n in sample if n in truth]
sc = [n for n in sample if n not in truth]
print(f"  cordon on the Jaro-Winkler sample: recall {sum(n in found for n in sp)}/{len(sp)} = "
      f"{sum(n in found for n in sp)/max(1,len(sp)):.3f}; alerts per clean row "
      f"{sum(alerts[n] for n in sc)/max(1,len(sc)):.2f}")
missed = [n for n in sorted(truth) if n not in found][:15]
if missed:
    print("    first misses: " + "; ".join(f"{names[n]!r} ({how[n]}, {truth[n]})" for n in missed))
EOF
sed 's/^/  /' "$work/jw.txt"
