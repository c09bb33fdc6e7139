/* Tests of the run store, against SQLite and (the store-pg run) PostgreSQL from this one source (th_store.h):
 * schema version, one transaction per run with every verdict, reason, fact and input hash, history listing,
 * refusal of files that are not databases, and the PostgreSQL specifics: connection secrets never printed, the
 * documented GRANTs (reviewers cannot UPDATE or DELETE the log), tampering with psql found by `log verify`. */
#include <criterion/criterion.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "store.h"
#include "th_store.h"

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

static int64_t count(const char *db, const char *sql) { return th_store_count(db, sql); }

Test(store, records_a_run_completely) {
  char *dbp = th_store_new();
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

  const char *db = dbp;
  if (th_store_pg()) cr_assert_eq(count(db, "SELECT schema_version FROM shinsa_meta"), 2);
  else cr_assert_geq(count(db, "PRAGMA user_version"), 1);
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
  if (!th_store_pg())
    cr_assert_eq(count(db, "PRAGMA journal_mode = WAL"), 0 /* returns text 'wal': column_int64 is 0 */);
  sh_evaluation_free(e);
  sh_evidence_free(ev);
  sh_diags_free(&d);
  free(dir);
  free(dbp);
}

Test(store, not_a_database_is_an_error) {
  if (th_store_pg()) cr_skip_test("SQLite only: a file that is not a database");
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
  char *p = th_store_new();
  sh_diags d = {0};
  sh_store *s = sh_store_open(p, &d);
  cr_assert_not_null(s);
  sh_store_close(s);
  th_store_exec(p, th_store_pg() ? "UPDATE shinsa_meta SET schema_version = 999" : "PRAGMA user_version = 999");
  cr_assert_null(sh_store_open(p, &d));
  char *msg = th_diags_str(&d);
  cr_assert(strstr(msg, "schema version 999 is newer"), "%s", msg);
  free(msg);
  sh_diags_free(&d);
  free(p);
}

Test(store, a_failed_run_leaves_no_row) {
  char *dbp = th_store_new();
  char *dir = th_data("evidence/basic");
  sh_diags d = {0};
  sh_evidence *ev = sh_evidence_load(reg->vocab, dir, &d);
  const sh_framework *fw = sh_registry_find(reg, "test-fw");
  sh_evaluation *e = sh_evaluate(ev, &fw, 1, NULL);
  sh_store *s = sh_store_open(dbp, &d);
  cr_assert_not_null(s);
  /* Sabotage: a trigger makes the 5th result insert fail mid-run. */
  th_store_exec(dbp, th_store_pg()
                         ? "CREATE FUNCTION boom() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.seq = 4 THEN"
                           " RAISE EXCEPTION 'boom'; END IF; RETURN NEW; END $$;"
                           " CREATE TRIGGER boom BEFORE INSERT ON results FOR EACH ROW EXECUTE FUNCTION boom()"
                         : "CREATE TRIGGER boom BEFORE INSERT ON results WHEN NEW.seq = 4 "
                           "BEGIN SELECT RAISE(ABORT, 'boom'); END;");
  sh_run_meta meta = {"test", reg->vocab, 1, NULL, NULL};
  int64_t id = 0;
  cr_assert_neq(s->ops->record_run(s, e, &meta, &id, &d), 0);
  char *msg = th_diags_str(&d);
  cr_assert(strstr(msg, "boom"), "%s", msg);
  free(msg);
  cr_assert_eq(count(dbp, "SELECT count(*) FROM runs"), 0);
  cr_assert_eq(count(dbp, "SELECT count(*) FROM results"), 0);
  cr_assert_eq(count(dbp, "SELECT count(*) FROM run_inputs"), 0);
  cr_assert_eq(count(dbp, "SELECT count(*) FROM audit_log"), 0);
  sh_store_close(s);
  sh_evaluation_free(e);
  sh_evidence_free(ev);
  sh_diags_free(&d);
  free(dir);
  free(dbp);
}

/* Every op of store.h is implemented by the back end under test (an op added to the vtable for one back end only
 * would be a NULL call in the other). */
Test(store, every_op_is_implemented) {
  char *p = th_store_new();
  sh_diags d = {0};
  sh_store *s = sh_store_open(p, &d);
  cr_assert_not_null(s);
  typedef void (*fnptr)(void);
  const fnptr *ops = (const fnptr *)(const void *)s->ops;
  for (size_t i = 0; i < sizeof(sh_store_ops) / sizeof(fnptr); i++) cr_assert_not_null(ops[i], "op %zu is NULL", i);
  sh_store_close(s);
  sh_diags_free(&d);
  free(p);
}

/* ---------- PostgreSQL ---------- */

Test(store, connection_secrets_are_never_printed) {
  /* No server needed: the connection fails, and the message names the URL without its password. */
  char *u = sh_store_redact("postgresql://auditor:hunter2@db.example:5432/shinsa?sslmode=require&password=hunter3");
  cr_assert_str_eq(u, "postgresql://auditor@db.example:5432/shinsa?sslmode=require");
  free(u);
  u = sh_store_redact("postgres://a:b:c@h/d?password=x");
  cr_assert_str_eq(u, "postgres://a@h/d");
  free(u);
  u = sh_store_redact("runs.db");
  cr_assert_str_eq(u, "runs.db");
  free(u);
  char *dir = th_tmpdir();
  char *url = sh_printf("postgresql://auditor:hunter2@/shinsa?host=%s/nosocket&password=hunter3", dir);
  const char *cmds[][6] = {{"history", "--db", url, NULL},
                           {"log", "verify", "--db", url, NULL},
                           {"db", "migrate", "--db", url, NULL}};
  for (size_t i = 0; i < 3; i++) {
    char *out = NULL, *err = NULL;
    cr_assert_eq(th_run(&out, &err, cmds[i]), 2, "%s", err);
    cr_assert(strstr(err, "postgresql://auditor@/shinsa?host="), "%s", err);
    cr_assert(strstr(err, "cannot connect to the database"), "%s", err);
    cr_assert_null(strstr(err, "hunter"), "%s", err);
    cr_assert_null(strstr(out, "hunter"), "%s", out);
    free(out);
    free(err);
  }
  /* SHINSA_DB is the default store of the commands that take --db (and its password is not printed either) */
  char *env = sh_printf("SHINSA_DB=%s", url);
  const char *prefix[] = {"/usr/bin/env", env, NULL};
  const char *hist[] = {"history", NULL};
  char *out = NULL, *err = NULL;
  cr_assert_eq(th_run_with(prefix, &out, &err, hist), 2, "%s", err);
  cr_assert(strstr(err, "postgresql://auditor@/shinsa?host="), "%s", err);
  cr_assert_null(strstr(err, "hunter"), "%s", err);
  free(out);
  free(err);
  free(env);
  free(url);
  free(dir);
}

/* With a server: every message of a successful session names the store without the password either. */
Test(store, secrets_are_not_printed_by_a_working_session) {
  if (!th_store_pg()) cr_skip_test("PostgreSQL only: a URL with a password");
  char *db = th_store_new();
  char *url = sh_printf("%s&password=hunter2", db); /* the test server trusts local connections: ignored */
  char *datadir = th_data("datadir"), *ev = th_data("evidence/basic"), *to = th_tmpdir();
  char *copy = sh_path_join(to, "copy.db");
  const char *ck[] = {"check", "--data-dir", datadir, "--db", url, ev, NULL};
  const char *mg[] = {"db", "migrate", "--db", url, NULL};
  const char *hs[] = {"history", "--db", url, NULL};
  const char *lv[] = {"log", "verify", "--db", url, NULL};
  const char *cp[] = {"db", "copy", "--from", url, "--to", copy, NULL};
  const char *const *cmds[] = {ck, mg, hs, lv, cp};
  int want[] = {1, 0, 0, 0, 0};
  for (size_t i = 0; i < 5; i++) {
    char *out = NULL, *err = NULL;
    cr_assert_eq(th_run(&out, &err, cmds[i]), want[i], "%s: %s", cmds[i][0], err);
    cr_assert_null(strstr(out, "hunter2"), "%s", out);
    cr_assert_null(strstr(err, "hunter2"), "%s", err);
    if (i == 0) cr_assert(strstr(err, "recorded as run 1 in postgresql://"), "%s", err);
    free(out);
    free(err);
  }
  free(copy), free(to), free(datadir), free(ev), free(url), free(db);
}

/* The owner's first step (docs/postgresql.md): db migrate makes the store in an empty schema; readers refuse an
 * empty schema and another application's tables, and change nothing. */
Test(store, db_migrate_creates_a_postgresql_store) {
  if (!th_store_pg()) cr_skip_test("PostgreSQL only: an empty schema");
  char *db = th_store_new();
  const char *hs[] = {"history", "--db", db, NULL};
  const char *mg[] = {"db", "migrate", "--db", db, NULL};
  char *out = NULL, *err = NULL;
  cr_assert_eq(th_run(&out, &err, hs), 2);
  cr_assert(strstr(err, "an empty database: no run was ever recorded in it"), "%s", err);
  free(out), free(err);
  cr_assert_eq(count(db, "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()"), 0);
  cr_assert_eq(th_run(&out, &err, mg), 0, "%s", err);
  cr_assert(strstr(out, "migrated from schema version 0 to 2"), "%s", out);
  free(out), free(err);
  cr_assert_eq(th_run(&out, &err, mg), 0, "%s", err);
  cr_assert(strstr(out, "at schema version 2 already"), "%s", out);
  free(out), free(err);
  cr_assert_eq(th_run(&out, &err, hs), 0, "%s", err);
  free(out), free(err);
  /* another application's schema */
  char *other = th_store_new();
  th_store_exec(other, "CREATE TABLE invoices (id integer)");
  cr_assert_eq(th_run(&out, &err, (const char *[]){"db", "migrate", "--db", other, NULL}), 2);
  cr_assert(strstr(err, "not a shinsa store"), "%s", err);
  free(out), free(err);
  cr_assert_eq(count(other, "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()"), 1);
  free(other);
  free(db);
}

static char *pg_store_with_review(void) {
  char *db = th_store_new();
  char *datadir = th_data("datadir"), *ev = th_data("evidence/basic");
  const char *args[] = {"check", "--data-dir", datadir, "--db", db, ev, NULL};
  cr_assert_eq(th_run(NULL, NULL, args), 1);
  /* audit rows: 1 the run, 2-3 the roster, 4 the review */
  th_add_reviewer(db, "佐藤", "auditor");
  th_add_reviewer(db, "鈴木", "auditor");
  char *err = NULL;
  cr_assert_eq(th_review(db, "1", "test-fw:2.2", "accept", "佐藤", "auditor", "ok", NULL, &err), 0, "%s", err);
  free(err);
  free(datadir);
  free(ev);
  return db;
}

/* The GRANTs of docs/postgresql.md, applied to a role made for this test: it records runs and reviews, and it
 * cannot UPDATE or DELETE the audit log (or anything else). */
Test(store, reviewer_role_cannot_rewrite_the_log) {
  if (!th_store_pg()) cr_skip_test("PostgreSQL only: roles and GRANTs");
  char *db = pg_store_with_review();
  char *schema = strstr(db, "%3D") + 3;
  char role[80];
  snprintf(role, sizeof role, "%s_rev", schema);
  char *grants = NULL, *path = th_src("docs/postgresql-grants.sql");
  size_t len;
  cr_assert_eq(sh_read_file(path, 1 << 20, &grants, &len), 0, "%s", path);
  /* the documented file names the role shinsa_reviewer and the schema shinsa */
  sh_buf b = {0};
  sh_buf_printf(&b, "DROP ROLE IF EXISTS %s; CREATE ROLE %s LOGIN;\n", role, role);
  for (const char *p = grants; *p;) {
    if (strncmp(p, "shinsa_reviewer", 15) == 0) sh_buf_puts(&b, role), p += 15;
    else if (strncmp(p, "SCHEMA shinsa", 13) == 0) sh_buf_printf(&b, "SCHEMA %s", schema), p += 13;
    else if (strncmp(p, "shinsa.", 7) == 0) sh_buf_printf(&b, "%s.", schema), p += 7;
    else sh_buf_putc(&b, *p++);
  }
  th_store_exec(db, sh_buf_str(&b));
  char *as_role = sh_printf("%s&user=%s", db, role);
  /* it writes through shinsa */
  char *err = NULL;
  cr_assert_eq(th_review(as_role, "1", "test-fw:2.2", "accept", "鈴木", "auditor", "ok", NULL, &err), 0, "%s", err);
  free(err);
  const char *lv[] = {"log", "verify", "--db", as_role, NULL};
  cr_assert_eq(th_run(NULL, NULL, lv), 0);
  /* a whole run too: record_run needs nothing beyond INSERT (texts shared by runs: ON CONFLICT DO NOTHING) */
  char *datadir = th_data("datadir"), *ev = th_data("evidence/basic");
  const char *ck[] = {"check", "--data-dir", datadir, "--db", as_role, ev, NULL};
  cr_assert_eq(th_run(NULL, &err, ck), 1, "%s", err);
  free(err);
  free(datadir);
  free(ev);
  cr_assert_eq(th_run(NULL, NULL, lv), 0);
  /* and cannot rewrite the log or the rows it covers */
  const char *forbidden[] = {"UPDATE audit_log SET content = 'x' WHERE seq = 2", "DELETE FROM audit_log WHERE seq = 5",
                             "TRUNCATE audit_log", "UPDATE reviews SET decision = 'reject'", "DELETE FROM reviews",
                             "UPDATE audit_meta SET legacy_max_run = 9"};
  for (size_t i = 0; i < sizeof forbidden / sizeof forbidden[0]; i++) {
    cr_assert_eq(th_store_try(as_role, forbidden[i], &err), -1, "%s was allowed", forbidden[i]);
    cr_assert(strstr(err, "permission denied"), "%s: %s", forbidden[i], err);
    free(err);
  }
  cr_assert_eq(count(db, "SELECT count(*) FROM audit_log"), 6);
  char *drop = sh_printf("DROP OWNED BY %s; DROP ROLE %s", role, role);
  th_store_exec(db, drop);
  free(drop);
  free(as_role);
  sh_buf_free(&b);
  free(grants);
  free(path);
  free(db);
}

/* Tampering done with psql itself (the client a database administrator has). */
Test(store, tampering_with_psql_is_found) {
  if (!th_store_pg()) cr_skip_test("PostgreSQL only: psql");
  if (access("/usr/bin/psql", X_OK) != 0) cr_skip_test("psql is not installed");
  char *db = pg_store_with_review();
  char *cmd = sh_printf("/usr/bin/psql -q -v ON_ERROR_STOP=1 '%s' -c \"UPDATE reviews SET decision = 'reject' WHERE "
                        "id = 1\" >/dev/null", db);
  cr_assert_eq(system(cmd), 0, "%s", cmd);
  char *err = NULL;
  const char *lv[] = {"log", "verify", "--db", db, NULL};
  cr_assert_eq(th_run(NULL, &err, lv), 1);
  cr_assert(strstr(err, "audit log row 4: the review 1 logged in audit row 4 was altered"), "%s", err);
  cr_assert_null(strstr(err, "password"), "%s", err);
  free(err);
  free(cmd);
  free(db);
}
