#!/usr/bin/env bash
# The run store on both back ends (README "Benchmarks"; not a test). N runs (default 1,000) of examples/phr-operator
# are recorded into a new SQLite file and into a new PostgreSQL schema through the store API (build/bench/store_bench,
# one transaction per run, the time printed), then hyperfine times `shinsa history`, `shinsa report N` and
# `shinsa log verify` on each, side by side in the same run with each database's own client (sqlite3, psql) running
# the query `history` starts with, as a floor (process start, connection, one query).
# Usage: bench/store-backends.sh BUILD_DIR [N]
# PostgreSQL: the server SHINSA_TEST_PG_URL names; without it a throwaway cluster is started here as .ci/run does
# (initdb/pg_ctl as the postgres user, unix socket only) and removed at the end.
set -euo pipefail
build="$(cd "${1:?usage: bench/store-backends.sh BUILD_DIR [N]}" && pwd)"
n="${2:-1000}"
shinsa="$build/src/shinsa"
work="$(mktemp -d /tmp/shinsa-store-bench-XXXXXX)"
cleanup() { rm -rf "$work"; }
trap cleanup EXIT

url="${SHINSA_TEST_PG_URL:-}"
if [ -z "$url" ]; then
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  chmod 755 "$work" && mkdir "$work/pg" && chown postgres "$work/pg"
  runuser -u postgres -- "$pg_bin/initdb" -D "$work/pg/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null
  runuser -u postgres -- "$pg_bin/pg_ctl" -D "$work/pg/data" -l "$work/pg/log" -w \
    -o "-k $work/pg -c listen_addresses=''" start >/dev/null
  cleanup() { runuser -u postgres -- "$pg_bin/pg_ctl" -D "$work/pg/data" -m fast -w stop >/dev/null; rm -rf "$work"; }
  url="postgresql:///postgres?host=$work/pg&user=postgres"
fi
schema="shinsa_bench_$$"
psql -q "$url" -c "CREATE SCHEMA $schema" 2>/dev/null
trap 'psql -q "$url" -c "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null 2>&1; cleanup' EXIT
pg="$url&options=-csearch_path%3D$schema"
lite="$work/runs.db"

echo "== recording $n runs (store_bench, wall clock)"
for db in "$lite" "$pg"; do
  start=$(date +%s.%N)
  "$build/bench/store_bench" "$n" "$db" >/dev/null
  echo "$( [ "$db" = "$lite" ] && echo SQLite || echo PostgreSQL): $(echo "$(date +%s.%N) - $start" | bc) s"
done

q="SELECT id, recorded_at, applicant_name, assessment_date, exit_code FROM runs ORDER BY id"
echo "== hyperfine (mean wall clock, $n runs in each store)"
hyperfine -N -i --warmup 2 --runs 10 --export-markdown "$work/table.md" \
  -n "sqlite3 (runs query)" "sqlite3 $lite '$q'" \
  -n "psql (runs query)" "psql -X -q -A -t -d $pg -c '$q'" \
  -n "history (SQLite)" "$shinsa history --db $lite" \
  -n "history (PostgreSQL)" "$shinsa history --db $pg" \
  -n "report $n (SQLite)" "$shinsa report $n --db $lite" \
  -n "report $n (PostgreSQL)" "$shinsa report $n --db $pg" \
  -n "log verify (SQLite)" "$shinsa log verify --db $lite" \
  -n "log verify (PostgreSQL)" "$shinsa log verify --db $pg" >/dev/null
cat "$work/table.md"
