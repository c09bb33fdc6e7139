#!/bin/sh
# Runs one test binary of a sanitizer build (-Db_sanitize=address,...) with every sanitizer report written to a
# file under DIR, and fails when any report was written. Needed because Criterion runs each test in a forked
# worker and ignores how that worker exits once the test has passed: a leak that LeakSanitizer finds at the
# worker's exit (or at the exit of a shinsa process a test runs) was printed and the test still passed.
# Usage: sanitizer-check.sh DIR TEST-BINARY [ARGS...]
dir=$1
shift
rm -rf "$dir"
mkdir -p "$dir"
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}log_path=$dir/asan"
UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}log_path=$dir/ubsan"
export ASAN_OPTIONS UBSAN_OPTIONS
"$@"
rc=$?
reports=$(ls "$dir" 2>/dev/null)
if [ -n "$reports" ]; then
  for f in "$dir"/*; do
    echo "== sanitizer report $f" >&2
    cat "$f" >&2
  done
  echo "sanitizer-check: $(ls "$dir" | wc -l) sanitizer report(s) above: the test fails" >&2
  exit 1
fi
exit $rc
