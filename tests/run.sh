#!/usr/bin/env bash
# Runs every unit test binary and replays every fuzz corpus, then prints
# one summary line: "N passed, N failed". A binary that crashes or exits
# non-zero without cmocka's summary counts as one failure.
set -u
san_dir=$1; shift
tests=(); fuzz=(); mode=tests
for a in "$@"; do
  if [ "$a" = "--" ]; then mode=fuzz; continue; fi
  if [ $mode = tests ]; then tests+=("$a"); else fuzz+=("$a"); fi
done
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export CMOCKA_MESSAGE_OUTPUT=stdout
export CORDON_CLI="$san_dir/cordon"
passed=0; failed=0; failures=()
log=$(mktemp); store=$(mktemp -d); trap 'rm -rf "$log" "$store"' EXIT
# the audit store `cordon batch` and `serve` write by default: a scratch one
export CORDON_DB="$store/cordon.db"
for t in "${tests[@]}"; do
  name=$(basename "$t")
  "$t" >"$log" 2>&1; rc=$?
  p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test(s)\./\1/p' "$log" | tail -1)
  f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test(s), listed below:/\1/p' "$log" | tail -1)
  p=${p:-0}; f=${f:-0}
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
  passed=$((passed + p)); failed=$((failed + f))
  if [ "$f" -ne 0 ]; then failures+=("$name"); cat "$log"; fi
  printf '%-32s %4d passed %4d failed\n' "$name" "$p" "$f"
done
for z in "${fuzz[@]}"; do
  name=$(basename "$z")
  corpus="fuzz/corpus/${name#fuzz_}"
  if [ ! -d "$corpus" ] || [ -z "$(ls -A "$corpus" 2>/dev/null)" ]; then
    echo "$name: no corpus at $corpus"; failed=$((failed + 1)); failures+=("$name"); continue
  fi
  if "$z" "$corpus" >"$log" 2>&1; then
    passed=$((passed + 1)); printf '%-32s replayed %s\n' "$name" "$(tail -1 "$log")"
  else
    failed=$((failed + 1)); failures+=("$name"); cat "$log"
  fi
done
[ ${#failures[@]} -eq 0 ] || echo "failing: ${failures[*]}"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
