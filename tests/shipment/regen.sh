#!/usr/bin/env bash
# Rewrites the golden files of tests/shipment/<case>/ from a build of
# cordon (default build/cordon), run from the repository root. Each case
# has `args` (one argument a line, usually ending with the case's
# input.json) and gets expected.out, expected.err and expected.status.
# Review the diff before committing: the goldens are the specification.
#   tests/shipment/regen.sh [CORDON] [CASE...]
set -eu
cd "$(dirname "$0")/../.."
cli=${1:-build/cordon}; shift || true
cases=("$@")
[ ${#cases[@]} -gt 0 ] || cases=($(cd tests/shipment && for d in */; do [ -f "$d/args" ] && echo "${d%/}"; done))
for c in "${cases[@]}"; do
  d=tests/shipment/$c
  mapfile -t args < "$d/args"
  set +e
  "$cli" "${args[@]}" < /dev/null > "$d/expected.out" 2> "$d/expected.err"
  echo $? > "$d/expected.status"
  set -e
  echo "$c: status $(cat "$d/expected.status")"
done
