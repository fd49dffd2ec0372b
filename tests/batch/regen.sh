#!/bin/sh
# Regenerates the expected files of every case under tests/batch/ with
# the given cordon program (default build/cordon) and index snapshot
# (default: built from data/lists.conf into a temporary file). Run from
# the repository root after a deliberate change of output or scores,
# then review `git diff tests/batch` line by line before committing:
# the expected files are the specification the tests hold batch to.
set -eu
cli=${1:-build/cordon}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
index=${2:-}
if [ -z "$index" ]; then
  index=$tmp/lists.cordon
  "$cli" build --lists data/lists.conf -o "$index" >/dev/null 2>&1
fi
for dir in tests/batch/*/; do
  dir=${dir%/}
  [ -f "$dir/args" ] || continue
  input=$(ls "$dir"/input.* | head -1)
  set --
  while IFS= read -r a; do
    case $a in
      "{rejects}") a=$tmp/rejects ;;
    esac
    set -- "$@" "$a"
  done < "$dir/args"
  rm -f "$tmp/rejects"
  status=0
  "$cli" batch -q -j 2 --index "$index" "$@" "$input" > "$dir/expected.out" 2> "$dir/expected.err" || status=$?
  echo "$status" > "$dir/expected.status"
  if [ -f "$tmp/rejects" ]; then cp "$tmp/rejects" "$dir/expected.rejects"; else rm -f "$dir/expected.rejects"; fi
  [ -s "$dir/expected.err" ] || rm -f "$dir/expected.err"
  echo "$dir: status $status, $(wc -l < "$dir/expected.out") output lines"
done
