#!/usr/bin/env bash
# Scale benchmarks (not tests; README "Benchmarks" has the figures). Usage: bench/scale.sh BUILD_DIR [quick]
# Needs hyperfine and python3 (to generate inputs). Times are CPU (user + system, hyperfine's mean): the
# machine may be shared, wall-clock time is printed too. Every comparison is measured in the same run.
#  1. evidence with 4k / 40k / 100k declared facts (vocabulary grown to match): `shinsa check`, growth exponent
#  2. evidence with 2k / 20k documents: `shinsa check` against `sha256sum` on the same files
#  3. `shinsa log verify` on a store of 5,000 runs (bench/store_bench records them)
#  4. the crosswalk of two frameworks of 8,000 items each (bench/crosswalk_bench)
#  5. `shinsa check` of the bundled example against the process floor `shinsa --version`
set -euo pipefail
build="$(cd "${1:?usage: bench/scale.sh BUILD_DIR [quick]}" && pwd)"
quick="${2:-}"
src="$(cd "$(dirname "$0")/.." && pwd)"
shinsa="$build/src/shinsa"
work="$(mktemp -d /tmp/shinsa-bench-XXXXXX)"
trap 'rm -rf "$work"' EXIT
runs=5
[ "$quick" = quick ] && runs=2

# hyperfine's mean CPU (user + system) and wall time of each command, as "cpu wall" lines.
measure() { # name, commands...
  local name=$1
  shift
  for c in "$@"; do # a command that fails would be measured as fast: check each once (0 ok, 1 findings)
    local rc=0
    $c >/dev/null 2>"$work/err" || rc=$?
    if [ $rc -gt 1 ]; then echo "bench: '$c' exits $rc:" >&2; head -3 "$work/err" >&2; exit 1; fi
  done
  hyperfine -N -i --warmup 1 --runs "$runs" --style none --export-json "$work/$name.json" "$@" >/dev/null 2>&1
  python3 - "$work/$name.json" <<'PY'
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    print("%.4f %.4f" % (r["user"] + r["system"], r["mean"]))
PY
}

exponent() { python3 -c "import math,sys; a,b,na,nb=map(float,sys.argv[1:]); print('%.2f' % (math.log(b/a)/math.log(nb/na)))" "$@"; }

# ---- 1. facts
cp -rL "$src/tests/data/datadir" "$work/data"
mkdir -p "$work/data/rules/facts.d"
echo "== 1. evidence with N declared facts: shinsa check (vocabulary of N + 6 facts)"
declare -A fact_cpu
for n in 4000 40000 100000; do
  python3 - "$work" "$n" <<'PY'
import sys, os
work, n = sys.argv[1], int(sys.argv[2])
with open(f"{work}/data/rules/facts.d/bench.yaml", "w") as f:
    f.write("facts:\n")
    for i in range(n):
        f.write(f"  - {{id: bench.f{i}, type: boolean, label: {{ja: 事実{i}, en: fact {i}}}}}\n")
os.makedirs(f"{work}/facts{n}", exist_ok=True)
with open(f"{work}/facts{n}/evidence.yaml", "w") as f:
    f.write("applicant: {name: Bench, kind: phr_operator, assessment_date: 2026-10-01}\nframeworks: [test-fw]\nfacts:\n")
    for i in range(n):
        f.write(f"  bench.f{i}: {'true' if i % 2 else 'false'}\n")
PY
  read -r cpu wall < <(measure "facts$n" "$shinsa check --data-dir $work/data --format json $work/facts$n")
  fact_cpu[$n]=$cpu
  printf '  %6d facts: %.3f s CPU (%.3f s wall), %s KB evidence.yaml\n' "$n" "$cpu" "$wall" \
    "$(( $(stat -c %s "$work/facts$n/evidence.yaml") / 1024 ))"
done
echo "  growth exponent 4k -> 100k: $(exponent "${fact_cpu[4000]}" "${fact_cpu[100000]}" 4000 100000)" \
     "(40k -> 100k: $(exponent "${fact_cpu[40000]}" "${fact_cpu[100000]}" 40000 100000))"
rm -f "$work/data/rules/facts.d/bench.yaml"

# ---- 2. documents
echo "== 2. evidence with N documents (1 KiB each): shinsa check vs sha256sum on the same files"
declare -A doc_cpu
for n in 2000 20000; do
  python3 - "$work" "$n" <<'PY'
import sys, os, hashlib
work, n = sys.argv[1], int(sys.argv[2])
pkg = f"{work}/docs{n}"
os.makedirs(f"{pkg}/docs", exist_ok=True)
with open(f"{pkg}/evidence.yaml", "w") as f:
    f.write("applicant: {name: Bench, kind: phr_operator, assessment_date: 2026-10-01}\nframeworks: [test-fw]\n"
            "facts: {sec.tls_min: tls12}\ndocuments:\n")
    for i in range(n):
        body = (f"document {i}\n" * 100)[:1024].encode()
        with open(f"{pkg}/docs/d{i}.txt", "wb") as d:
            d.write(body)
        f.write(f"  - {{path: docs/d{i}.txt, sha256: {hashlib.sha256(body).hexdigest()}, title: 文書{i}}}\n")
PY
  # Through bash on both sides: a command line naming 20k files is longer than one argument may be.
  printf 'cd %s && exec %s check --data-dir %s --format json .\n' "$work/docs$n" "$shinsa" "$work/data" >"$work/s$n.sh"
  printf 'cd %s && exec sha256sum docs/*\n' "$work/docs$n" >"$work/h$n.sh"
  mapfile -t r < <(measure "docs$n" "bash $work/s$n.sh" "bash $work/h$n.sh")
  read -r cpu wall <<<"${r[0]}"
  read -r scpu swall <<<"${r[1]}"
  doc_cpu[$n]=$cpu
  printf '  %6d documents: shinsa %.3f s CPU (%.3f s wall); sha256sum %.3f s CPU (%.3f s wall); ratio %.2fx CPU, %.2fx wall\n' \
    "$n" "$cpu" "$wall" "$scpu" "$swall" "$(python3 -c "print($cpu/$scpu)")" "$(python3 -c "print($wall/$swall)")"
done
echo "  growth exponent 2k -> 20k: $(exponent "${doc_cpu[2000]}" "${doc_cpu[20000]}" 2000 20000)"

# ---- 3. log verify
nruns=5000
[ "$quick" = quick ] && nruns=500
echo "== 3. shinsa log verify on $nruns runs (examples/phr-operator recorded $nruns times)"
"$build/bench/store_bench" "$nruns" "$work/runs.db" 2>&1 | sed 's/^/  in process: /'
read -r cpu wall < <(measure logverify "$shinsa log verify --db $work/runs.db")
printf '  shinsa log verify: %.3f s CPU (%.3f s wall) = %.3f ms CPU per run\n' "$cpu" "$wall" \
  "$(python3 -c "print($cpu*1000/$nruns)")"

# ---- 4. crosswalk
nxw=8000
[ "$quick" = quick ] && nxw=2000
echo "== 4. crosswalk of two frameworks of $nxw items each"
mkdir -p "$work/xw"
/usr/bin/time -f '  %U s user, %S s system, %e s wall, %M KB peak' "$build/bench/crosswalk_bench" "$nxw" "$work/xw" 2>&1 |
  sed 's/^/  /'

# ---- 5. check vs the process floor
echo "== 5. shinsa check of examples/phr-operator against the process floor shinsa --version"
mapfile -t r < <(measure floor "$shinsa check --data-dir $src $src/examples/phr-operator" "$shinsa --version")
read -r cpu wall <<<"${r[0]}"
read -r fcpu fwall <<<"${r[1]}"
printf '  check %.4f s CPU (%.4f s wall); --version %.4f s CPU (%.4f s wall); ratio %.2fx CPU\n' \
  "$cpu" "$wall" "$fcpu" "$fwall" "$(python3 -c "print($cpu/$fcpu)")"
