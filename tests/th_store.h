/* th_store: the store back end the store tests run against, so that one test source runs against both SQLite and
 * PostgreSQL. SHINSA_TEST_BACKEND=pg (set by tests/meson.build for the *-pg test runs) selects PostgreSQL at the
 * server SHINSA_TEST_PG_URL (a libpq URL of a database the tests may create schemas in, e.g.
 * postgresql:///postgres?host=/tmp/pg&user=postgres); each store is a new schema, dropped when the test process
 * exits. When no server answers, the test is skipped with a message. Otherwise stores are SQLite files in a
 * temporary folder. */
#ifndef SHINSA_TEST_TH_STORE_H
#define SHINSA_TEST_TH_STORE_H

#include <stdbool.h>
#include <stdint.h>

/* Whether this run tests PostgreSQL. */
bool th_store_pg(void);
/* A new empty store's location (a file path or a URL); skips the test when PostgreSQL is selected but no server
 * answers. Caller frees. */
char *th_store_new(void);
/* A new empty store of the other back end (db copy): a SQLite file in a PostgreSQL run; in a SQLite run a
 * PostgreSQL schema, or NULL when no server answers. Caller frees. */
char *th_store_new_other(void);
/* Runs SQL (one or more statements, no parameters) on the store behind shinsa's back, as sqlite3 or psql would;
 * asserts success and returns the number of rows changed by the last statement. */
int th_store_exec(const char *loc, const char *sql);
/* The same without asserting: 0, or -1 with the database's message in *err (caller frees) when err is given. */
int th_store_try(const char *loc, const char *sql, char **err);
/* The first column of the first row of a query, as an integer. */
int64_t th_store_count(const char *loc, const char *query);
/* The base URL of the test server (SHINSA_TEST_PG_URL), or NULL. */
const char *th_store_pg_base(void);

#endif
