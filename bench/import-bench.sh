#!/usr/bin/env bash
# Benchmark of `shinsa import checksheet` on a 10,000-row XLSX (and a 100,000-row one for memory),
# side by side with xlsx2csv (Debian package xlsx2csv) reading the same file in the same run.
# The workbooks are synthetic checksheets (id, section, text, strength) written by LibreOffice headless
# from a generated CSV, cached in $BENCH_DIR (default /tmp/shinsa-bench). Needs: hyperfine, xlsx2csv,
# soffice (libreoffice-calc-nogui), GNU time. Usage: bench/import-bench.sh [BUILD_DIR]
set -euo pipefail
build=${1:-build}
shinsa=$(cd "$build" && pwd)/src/shinsa
reader=$(cd "$build" && pwd)/bench/sheet_bench
dir=${BENCH_DIR:-/tmp/shinsa-bench}
mkdir -p "$dir"
cd "$dir"
make_xlsx() { # rows
  local n=$1
  [ -f "sheet-$n.xlsx" ] && return
  python3 - "$n" > "sheet-$n.csv" <<'PY'
import sys
n = int(sys.argv[1])
print("項番,分類,確認事項,区分")
for i in range(1, n + 1):
    part = (i - 1) // 500 + 1
    print(f"{part}-{i},分類{part},【架空】試験用の確認事項 {i}：事業者は試験用の要件{i}を満たしているか。,{'必須' if i % 3 else '推奨'}")
PY
  soffice -env:UserInstallation="file:///tmp/lo-profile-bench-$$" --headless \
    --infilter="Text - txt - csv (StarCalc):44,34,76,1" --convert-to xlsx "sheet-$n.csv" >/dev/null 2>&1
  rm -rf "/tmp/lo-profile-bench-$$"
}
make_xlsx 10000
make_xlsx 100000
echo "== time: 10,000 rows ($(stat -c %s sheet-10000.xlsx) bytes)"
hyperfine --warmup 1 --runs 5 --export-markdown import-bench.md \
  "$shinsa import checksheet --id bench sheet-10000.xlsx" \
  "$reader sheet-10000.xlsx" \
  "xlsx2csv sheet-10000.xlsx"
echo "== peak memory (max RSS, KiB)"
for n in 10000 100000; do
  s=$( /usr/bin/time -f "%M KiB, %e s" "$shinsa" import checksheet --id bench "sheet-$n.xlsx" 2>&1 >/dev/null | tail -1)
  r=$( /usr/bin/time -f "%M KiB, %e s" "$reader" "sheet-$n.xlsx" 2>&1 >/dev/null | tail -1)
  x=$( /usr/bin/time -f "%M KiB, %e s" xlsx2csv "sheet-$n.xlsx" 2>&1 >/dev/null | tail -1)
  echo "$n rows: shinsa import $s | reader alone $r | xlsx2csv $x"
done
