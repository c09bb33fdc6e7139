/* Tests of the SQLite run store: schema version, one transaction per run with every verdict,
 * reason, fact and input hash, history listing, and refusal of files that are not databases. */
#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "store.h"

static sh_registry *reg;
static char *tmp;

static void setup(void) {
  reg = th_test_registry();
  tmp = th_tmpdir();
}
static void teardown(void) {
  sh_registry_free(reg);
  free(tmp);
}

TestSuite(store, .init = setup, .fini = teardown);

static int64_t count(sqlite3 *db, const char *sql) {
  sqlite3_stmt *st;
  cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK, "%s: %s", sql, sqlite3_errmsg(db));
  cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
  int64_t n = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  return n;
}

Test(store, records_a_run_completely) {
  char *dbp = sh_path_join(tmp, "runs.db");
  char *dir = th_data("evidence/basic");
  sh_diags d = {0};
  sh_evidence *ev = sh_evidence_load(reg->vocab, dir, &d);
  cr_assert_not_null(ev);
  const sh_framework *fw = sh_registry_find(reg, "test-fw");
  sh_evaluation *e = sh_evaluate(ev, &fw, 1, NULL);
  sh_store *s = sh_store_open(dbp, &d);
  cr_assert_not_null(s);
  sh_run_meta meta = {"test", reg->vocab, 1, "2026-11-21T00:00:00Z", NULL};
  int64_t id1 = 0, id2 = 0;
  cr_assert_eq(s->ops->record_run(s, e, &meta, &id1, &d), 0);
  cr_assert_eq(s->ops->record_run(s, e, &meta, &id2, &d), 0);
  cr_assert_eq(id1, 1);
  cr_assert_eq(id2, 2);
  sh_vec runs = {0};
  cr_assert_eq(s->ops->list_runs(s, &runs, &d), 0);
  cr_assert_eq(runs.n, 2);
  const sh_run_summary *r = runs.v[0];
  cr_assert_str_eq(r->applicant, "テスト株式会社");
  cr_assert_str_eq(r->frameworks, "test-fw@1");
  cr_assert_str_eq(r->assessment_date, "2026-10-01");
  cr_assert_eq(r->counts[SH_V_NOT_SATISFIED], 2);
  cr_assert_eq(r->counts[SH_V_UNKNOWN], 2);
  cr_assert_eq(r->exit_code, 1);
  sh_vec_free_all(&runs, sh_run_summary_free);
  sh_store_close(s);

  sqlite3 *db;
  cr_assert_eq(sqlite3_open(dbp, &db), SQLITE_OK);
  cr_assert_geq(count(db, "PRAGMA user_version"), 1);
  cr_assert_eq(count(db, "SELECT count(*) FROM results WHERE run_id = 1"), 7);
  cr_assert_eq(count(db, "SELECT count(*) FROM reasons WHERE run_id = 1 AND item_id = '1.2' AND actual = 'tls11'"), 1);
  cr_assert_eq(count(db, "SELECT count(*) FROM run_inputs WHERE run_id = 1 AND kind = 'document' AND status = 'ok' "
                         "AND sha256 = '0f4d2fe61ecd7508bedd68db11c9ac94ac6f15e30de80db8e210d91c0f01c74b'"), 1);
  cr_assert_eq(count(db, "SELECT count(*) FROM run_inputs WHERE run_id = 1 AND kind IN ('evidence', 'framework', "
                         "'vocabulary') AND length(sha256) = 64"), 3);
  cr_assert_eq(count(db, "SELECT count(*) FROM run_fact_values WHERE run_id = 1 AND fact_id = 'sec.certs' AND "
                         "provenance = 'attested'"), 1);
  /* Facts are stored once per run: run_facts only holds runs recorded by schema 1. */
  cr_assert_eq(count(db, "SELECT count(*) FROM run_facts"), 0);
  cr_assert_eq(count(db, "PRAGMA journal_mode = WAL"), 0 /* returns text 'wal': column_int64 is 0 */);
  sqlite3_close(db);
  sh_evaluation_free(e);
  sh_evidence_free(ev);
  sh_diags_free(&d);
  free(dir);
  free(dbp);
}

Test(store, not_a_database_is_an_error) {
  char *p = th_write(tmp, "junk.db", "this is not a database, just text that is long enough to matter\n");
  sh_diags d = {0};
  sh_store *s = sh_store_open(p, &d);
  cr_assert_null(s);
  char *msg = th_diags_str(&d);
  cr_assert(strstr(msg, "junk.db: not a shinsa store: the file is not a SQLite database (left untouched)"), "%s", msg);
  free(msg);
  sh_diags_free(&d);
  free(p);
}

Test(store, newer_schema_is_refused) {
  char *p = sh_path_join(tmp, "future.db");
  sqlite3 *db;
  cr_assert_eq(sqlite3_open(p, &db), SQLITE_OK);
  sqlite3_exec(db, "PRAGMA user_version = 999", NULL, NULL, NULL);
  sqlite3_close(db);
  sh_diags d = {0};
  cr_assert_null(sh_store_open(p, &d));
  char *msg = th_diags_str(&d);
  cr_assert(strstr(msg, "schema version 999 is newer"), "%s", msg);
  free(msg);
  sh_diags_free(&d);
  free(p);
}

Test(store, a_failed_run_leaves_no_row) {
  char *dbp = sh_path_join(tmp, "ro.db");
  char *dir = th_data("evidence/basic");
  sh_diags d = {0};
  sh_evidence *ev = sh_evidence_load(reg->vocab, dir, &d);
  const sh_framework *fw = sh_registry_find(reg, "test-fw");
  sh_evaluation *e = sh_evaluate(ev, &fw, 1, NULL);
  sh_store *s = sh_store_open(dbp, &d);
  cr_assert_not_null(s);
  /* Sabotage: a trigger makes the 5th result insert fail mid-run. */
  sqlite3 *db;
  cr_assert_eq(sqlite3_open(dbp, &db), SQLITE_OK);
  cr_assert_eq(sqlite3_exec(db,
                            "CREATE TRIGGER boom BEFORE INSERT ON results WHEN NEW.seq = 4 "
                            "BEGIN SELECT RAISE(ABORT, 'boom'); END;",
                            NULL, NULL, NULL),
               SQLITE_OK);
  sh_run_meta meta = {"test", reg->vocab, 1, NULL, NULL};
  int64_t id = 0;
  cr_assert_neq(s->ops->record_run(s, e, &meta, &id, &d), 0);
  char *msg = th_diags_str(&d);
  cr_assert(strstr(msg, "boom"), "%s", msg);
  free(msg);
  cr_assert_eq(count(db, "SELECT count(*) FROM runs"), 0);
  cr_assert_eq(count(db, "SELECT count(*) FROM results"), 0);
  cr_assert_eq(count(db, "SELECT count(*) FROM run_inputs"), 0);
  sqlite3_close(db);
  sh_store_close(s);
  sh_evaluation_free(e);
  sh_evidence_free(ev);
  sh_diags_free(&d);
  free(dir);
  free(dbp);
}
