/* th_store: the back end of the store tests (SQLite files or PostgreSQL schemas). See th_store.h. */
#include "th_store.h"

#include "helpers.h"
#include "util.h"

#include <criterion/criterion.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

bool th_store_pg(void) {
  const char *b = getenv("SHINSA_TEST_BACKEND");
  return b && strcmp(b, "pg") == 0;
}

const char *th_store_pg_base(void) {
  const char *u = getenv("SHINSA_TEST_PG_URL");
  return u && *u ? u : NULL;
}

static sh_vec schemas; /* "schema" names made by this process */

static void drop_schemas(void) {
  const char *base = th_store_pg_base();
  PGconn *c = base ? PQconnectdb(base) : NULL;
  if (c && PQstatus(c) == CONNECTION_OK) PQclear(PQexec(c, "SET client_min_messages = warning"));
  for (size_t i = 0; c && PQstatus(c) == CONNECTION_OK && i < schemas.n; i++) {
    char *sql = sh_printf("DROP SCHEMA IF EXISTS %s CASCADE", (const char *)schemas.v[i]);
    PQclear(PQexec(c, sql));
    free(sql);
  }
  if (c) PQfinish(c);
  sh_vec_free_all(&schemas, free);
}

static char *new_store(bool pg, bool skip) {
  if (!pg) {
    char *dir = th_tmpdir();
    char *p = sh_path_join(dir, "runs.db");
    free(dir);
    return p;
  }
  const char *base = th_store_pg_base();
  if (!base && !skip) return NULL;
  if (!base) cr_skip_test("PostgreSQL tests skipped: SHINSA_TEST_PG_URL is not set (.ci/run starts a server)");
  PGconn *c = PQconnectdb(base);
  if (PQstatus(c) != CONNECTION_OK) {
    char *m = sh_strdup(PQerrorMessage(c));
    PQfinish(c);
    if (!skip) return free(m), NULL;
    cr_skip_test("PostgreSQL tests skipped: no server answers at SHINSA_TEST_PG_URL (%s)", m);
  }
  static int n;
  char name[64];
  snprintf(name, sizeof name, "shinsa_t%ld_%d_%d", (long)getpid(), ++n, rand() % 100000);
  char *sql = sh_printf("CREATE SCHEMA %s", name);
  PGresult *r = PQexec(c, sql);
  free(sql);
  cr_assert_eq(PQresultStatus(r), PGRES_COMMAND_OK, "%s", PQresultErrorMessage(r));
  PQclear(r);
  PQfinish(c);
  if (schemas.n == 0) atexit(drop_schemas);
  sh_vec_push(&schemas, sh_strdup(name));
  return sh_printf("%s%soptions=-csearch_path%%3D%s", base, strchr(base, '?') ? "&" : "?", name);
}

char *th_store_new(void) { return new_store(th_store_pg(), true); }

char *th_store_new_other(void) { return new_store(!th_store_pg(), false); }

int th_store_try(const char *loc, const char *sql, char **err) {
  if (err) *err = NULL;
  if (strncmp(loc, "postgres", 8) == 0) {
    PGconn *c = PQconnectdb(loc);
    cr_assert_eq(PQstatus(c), CONNECTION_OK, "%s", PQerrorMessage(c));
    PQclear(PQexec(c, "SET client_min_messages = warning"));
    PGresult *r = PQexec(c, sql);
    ExecStatusType t = PQresultStatus(r);
    int rc;
    if (t == PGRES_COMMAND_OK || t == PGRES_TUPLES_OK) rc = atoi(PQcmdTuples(r));
    else {
      rc = -1;
      if (err) *err = sh_strdup(PQresultErrorMessage(r));
    }
    PQclear(r);
    PQfinish(c);
    return rc;
  }
  sqlite3 *h;
  cr_assert_eq(sqlite3_open(loc, &h), SQLITE_OK);
  char *msg = NULL;
  int rc = sqlite3_exec(h, sql, NULL, NULL, &msg);
  if (rc != SQLITE_OK) {
    if (err) *err = sh_strdup(msg ? msg : "?");
    rc = -1;
  } else rc = sqlite3_changes(h);
  sqlite3_free(msg);
  sqlite3_close(h);
  return rc;
}

int th_store_exec(const char *loc, const char *sql) {
  char *err = NULL;
  int rc = th_store_try(loc, sql, &err);
  cr_assert_geq(rc, 0, "%s: %s", sql, err ? err : "");
  free(err);
  return rc;
}

int64_t th_store_count(const char *loc, const char *query) {
  if (strncmp(loc, "postgres", 8) == 0) {
    PGconn *c = PQconnectdb(loc);
    cr_assert_eq(PQstatus(c), CONNECTION_OK, "%s", PQerrorMessage(c));
    PGresult *r = PQexec(c, query);
    cr_assert_eq(PQresultStatus(r), PGRES_TUPLES_OK, "%s: %s", query, PQresultErrorMessage(r));
    cr_assert_eq(PQntuples(r), 1);
    int64_t n = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
    PQclear(r);
    PQfinish(c);
    return n;
  }
  sqlite3 *h;
  sqlite3_stmt *st;
  cr_assert_eq(sqlite3_open(loc, &h), SQLITE_OK);
  cr_assert_eq(sqlite3_prepare_v2(h, query, -1, &st, NULL), SQLITE_OK, "%s: %s", query, sqlite3_errmsg(h));
  cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
  int64_t n = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  sqlite3_close(h);
  return n;
}
