#!/usr/bin/env bash
# Benchmark of `shinsa import oscal` on the NIST SP 800-53 rev4 OSCAL catalog (3.5 MB XML, 922 controls),
# side by side with `xmllint --noout` (Debian libxml2-utils) parsing the same file in the same run, plus the
# rev5 HIGH baseline in XML, JSON and YAML and the BSI kernel (JSON). Reads ../shared/data/oscal (set
# SHINSA_SHARED to another folder); exits 77 with a message when it is absent. Needs hyperfine and xmllint.
# Usage: bench/oscal-bench.sh [BUILD_DIR]
set -euo pipefail
build=${1:-build}
shinsa=$(cd "$build" && pwd)/src/shinsa
data=${SHINSA_SHARED:-$(cd "$(dirname "$0")/../.." && pwd)/shared}/data/oscal
if [ ! -f "$data/NIST_SP-800-53_rev4_catalog.xml" ]; then
  echo "skip: $data is absent (the NIST and BSI OSCAL files are not distributed with shinsa)"
  exit 77
fi
out=${BENCH_DIR:-/tmp/shinsa-bench}
mkdir -p "$out"
rev4=$data/NIST_SP-800-53_rev4_catalog.xml
high=$data/NIST_SP-800-53_rev5_HIGH-baseline-resolved-profile_catalog
echo "== rev4 catalog ($(stat -c %s "$rev4") bytes): shinsa import oscal vs xmllint --noout"
hyperfine -N --warmup 2 --runs 20 --export-markdown "$out/oscal-rev4.md" \
  "xmllint --noout $rev4" \
  "$shinsa import oscal $rev4 --id rev4 --out $out/rev4.yaml"
echo "== rev5 HIGH baseline as XML, JSON, YAML; BSI kernel (JSON)"
hyperfine -N --warmup 1 --runs 10 --export-markdown "$out/oscal-formats.md" \
  "$shinsa import oscal $high.xml --id high --out $out/high-x.yaml" \
  "$shinsa import oscal $high-min.json --id high --out $out/high-j.yaml" \
  "$shinsa import oscal $high.yaml --id high --out $out/high-y.yaml" \
  "$shinsa import oscal $data/bsi/BSI-Stand-der-Technik-Kernel-catalog.json --id bsi --out $out/bsi.yaml"
echo "== peak memory (max RSS)"
for f in "$rev4" "$high.xml" "$high-min.json" "$high.yaml"; do
  m=$( /usr/bin/time -f "%M KiB" "$shinsa" import oscal "$f" --id m --out "$out/m.yaml" 2>&1 >/dev/null | tail -1)
  echo "$(basename "$f"): $m"
done
x=$( /usr/bin/time -f "%M KiB" xmllint --noout "$rev4" 2>&1 | tail -1)
echo "xmllint --noout rev4: $x"
