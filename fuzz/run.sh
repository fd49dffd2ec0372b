#!/usr/bin/env bash
# Runs libFuzzer targets for a while each (default 600 s), one after the
# other, at low priority. New coverage inputs go to build/fuzz-new/<t>/;
# crashes to build/fuzz-artifacts/. Usage: fuzz/run.sh [SECONDS] [TARGET...]
set -u
cd "$(dirname "$0")/.."
secs=${1:-600}; shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for f in fuzz/fuzz_*.c; do t=$(basename "$f" .c); targets+=("${t#fuzz_}"); done
fi
mkdir -p build/fuzz-artifacts
for t in "${targets[@]}"; do
  make -s "build/fuzz/fuzz_$t" || { echo "$t: build failed"; continue; }
  mkdir -p "build/fuzz-new/$t"
  echo "== fuzz_$t for ${secs}s"
  nice -n 19 "./build/fuzz/fuzz_$t" -max_total_time="$secs" -timeout=60 -rss_limit_mb=2048 \
    -artifact_prefix="build/fuzz-artifacts/${t}-" "build/fuzz-new/$t" "fuzz/corpus/$t" 2>&1 | tail -3
done
ls -la build/fuzz-artifacts
