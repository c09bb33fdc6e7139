/* auditlog: the tamper-evident audit log of a store (SQLite or PostgreSQL, one code for both): every write (run, review, waiver) appends a row whose
 * hash chains it to the previous one. Chain format 2 (written now) hashes every field of the log row length-prefixed
 * (previous hash, recorded_at, kind, ref, content) and its content covers audit_meta and the runs recorded before the
 * log; format 1 rows (written earlier) are still verified as they were written. docs/reports-and-review.md. */
#ifndef SHINSA_AUDITLOG_H
#define SHINSA_AUDITLOG_H

#include "diag.h"

#include <sqlite3.h>

/* The outcome of verifying the log. Strings owned (sh_log_status_clear). */
typedef struct sh_log_status {
  size_t rows;            /* audit rows read */
  int64_t first_bad_seq;  /* the first row altered or removed; 0 when intact */
  char *problem;          /* what is wrong, for people; NULL when intact */
  char head[65];          /* hash of the last row ("" for an empty log) */
  size_t legacy_runs;     /* runs recorded before the audit log existed (not covered) */
} sh_log_status;

void sh_log_status_clear(sh_log_status *st);

/* A back end as the audit log sees it: typed column values and a few queries, so that the canonical content of
 * logged rows and the chain are computed by the same code whatever the store. Values are borrowed for the
 * duration of the row callback; text is NUL-terminated. */
typedef enum { SH_AV_NULL, SH_AV_INT, SH_AV_FLOAT, SH_AV_TEXT, SH_AV_BLOB } sh_av_type;
typedef struct {
  sh_av_type type;
  int64_t i;     /* SH_AV_INT */
  double f;      /* SH_AV_FLOAT */
  const char *p; /* SH_AV_TEXT, SH_AV_BLOB: the bytes */
  size_t n;
} sh_av;
/* Called for every row; nonzero stops the query (not an error). */
typedef int (*sh_av_row_fn)(void *u, const sh_av *v, int ncols);
typedef struct sh_audit_db sh_audit_db;
struct sh_audit_db {
  /* Runs sql (SQL common to both back ends; every `?` is bound to id) and calls fn for each row. Returns the
   * number of rows, or -1 on a database error. */
  int (*each)(sh_audit_db *db, const char *sql, int64_t id, sh_av_row_fn fn, void *u);
  /* The same for a query of one column with one `?` bound to the text s (only the first column is passed). */
  int (*each_str)(sh_audit_db *db, const char *sql, const char *s, sh_av_row_fn fn, void *u);
  /* Inserts the next audit row (seq one above the highest ever handed out). 0 or -1. */
  int (*insert)(sh_audit_db *db, const char *recorded_at, const char *kind, int64_t ref, const char *content,
                size_t clen, const char *prev, const char *hash);
  /* The highest seq ever handed out (0 for none). 0 or -1. */
  int (*high_water)(sh_audit_db *db, int64_t *out);
  const char *(*errmsg)(sh_audit_db *db);
  void *ctx;
};

/* The sh_audit_db of a SQLite connection (statements cached on it until the store closes). */
void sh_auditlog_sqlite_db(sh_audit_db *a, sqlite3 *db);

/* Appends one row, inside the caller's write transaction (which serialises appends). 0 or -1 with d. */
int sh_auditlog_append_db(sh_audit_db *db, const char *loc, const char *kind, int64_t ref, const char *recorded_at,
                          sh_diags *d);
/* Verifies, inside the caller's read transaction (one snapshot). 0 intact, 1 tampering found, -1 database error
 * (the caller reports db->errmsg). */
int sh_auditlog_verify_db(sh_audit_db *db, sh_log_status *st);

/* Appends one row for (kind, ref) — kind "run", "review" or "waiver" — inside the caller's
 * transaction. loc names the database in errors. Returns 0 or -1 with d. */
int sh_auditlog_append(sqlite3 *db, const char *loc, const char *kind, int64_t ref, const char *recorded_at,
                       sh_diags *d);
/* Verifies the chain and every logged row against the live tables (in one read transaction).
 * Returns 0 intact, 1 tampering found (st->first_bad_seq, st->problem), -1 on a database error. */
int sh_auditlog_verify(sqlite3 *db, const char *loc, sh_log_status *st, sh_diags *d);

#endif
