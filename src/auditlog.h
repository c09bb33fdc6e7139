/* auditlog: the tamper-evident audit log of a SQLite store: every write (run, review, waiver) appends a row whose
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

/* Appends one row for (kind, ref) — kind "run", "review" or "waiver" — inside the caller's
 * transaction. loc names the database in errors. Returns 0 or -1 with d. */
int sh_auditlog_append(sqlite3 *db, const char *loc, const char *kind, int64_t ref, const char *recorded_at,
                       sh_diags *d);
/* Verifies the chain and every logged row against the live tables (in one read transaction).
 * Returns 0 intact, 1 tampering found (st->first_bad_seq, st->problem), -1 on a database error. */
int sh_auditlog_verify(sqlite3 *db, const char *loc, sh_log_status *st, sh_diags *d);

#endif
