#!/usr/bin/env bash
# Rewrites the golden files of tests/cli/<case>/ from a build of cordon
# (default build/cordon), run from the repository root. Review the diff
# before committing: the goldens are the specification.
#   tests/cli/regen.sh [CORDON] [CASE...]
set -eu
cd "$(dirname "$0")/../.."
cli=${1:-build/cordon}; shift || true
cases=("$@")
[ ${#cases[@]} -gt 0 ] || cases=($(cd tests/cli && ls -d */ | tr -d / | grep -v '^conf$'))
for c in "${cases[@]}"; do
  d=tests/cli/$c
  mapfile -t args < "$d/args"
  set +e
  "$cli" "${args[@]}" > "$d/expected.out" 2> "$d/expected.err"
  echo $? > "$d/expected.status"
  set -e
  echo "$c: status $(cat "$d/expected.status")"
done
