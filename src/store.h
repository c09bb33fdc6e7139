/* store: the run store interface: recording evaluations and listing them. Two back ends implement every op with
 * the same behaviour: SQLite (store_sqlite*.c, a file path) and PostgreSQL (store_pg.c, a postgresql:// URL). */
#ifndef SHINSA_STORE_H
#define SHINSA_STORE_H

#include "eval.h"

/* What a recorded run says about itself (for `shinsa history`). Strings owned. */
typedef struct {
  int64_t id;
  char *recorded_at;     /* ISO 8601 UTC */
  char *applicant;
  char *assessment_date;
  char *frameworks;      /* "id@version, ..." */
  size_t counts[SH_V__COUNT];
  int exit_code;
} sh_run_summary;

void sh_run_summary_free(void *p);

/* A list of strings in one store column, as both back ends write it: the items joined by newlines (caller frees),
 * and split back (appends owned copies to out; NULL or "" is the empty list). */
char *sh_store_join_lines(const sh_vec *v);
void sh_store_split_lines(const char *s, sh_vec *out);

/* The bytes of an input file (vocabulary, framework, ...) to record with a run: text as loaded when given (the file
 * is not read again), else path read again (bounded by SH_YAML_MAX_BYTES); either way checked against expect_sha,
 * the hash the run was checked with. 0 with *data (NUL-terminated, caller frees), *len and hx; -1 with an I/O
 * error at path. */
int sh_store_input_text(const char *path, const char *text, size_t text_len, const char *expect_sha, char **data,
                        size_t *len, char hx[65], sh_diags *d);
/* Renders a list of sh_run_summary (`shinsa history`): as a JSON array through the JSON writer, or
 * as a text table. Appends to out. */
void sh_run_summaries_json(const sh_vec *runs, sh_buf *out);
void sh_run_summaries_text(const sh_vec *runs, sh_buf *out);

/* Context of a run beyond the evaluation itself. */
typedef struct {
  const char *tool_version;
  const sh_vocab *vocab;       /* its files are hashed as inputs */
  int exit_code;
  const char *recorded_at;     /* NULL = now */
  const char *data_dir;        /* vocabulary and framework files under it are recorded by their name relative
                                  to it (may be NULL) */
} sh_run_meta;

/* How the store names an input file: relative to base when it is inside base (a data folder), else as given.
 * Returns a pointer into path. The evidence package is named by SH_EVIDENCE_NAME, its documents by their
 * package-relative path, and the package itself by applicant and content hash (runs.evidence_dir holds
 * "sha256:" and the hash of evidence.yaml), never by the machine path it was read from. */
const char *sh_store_rel_name(const char *path, const char *base);

typedef struct sh_store sh_store;
/* Review workflow types (review.h, snapshot.h, auditlog.h). */
struct sh_review;
struct sh_waiver;
struct sh_run_snapshot;
struct sh_log_status;
struct sh_roster_event;

typedef struct {
  /* Records a whole run in one transaction; on failure nothing is written. Returns 0 or -1 with d. */
  int (*record_run)(sh_store *s, const sh_evaluation *e, const sh_run_meta *meta, int64_t *out_id, sh_diags *d);
  /* Appends sh_run_summary* (caller frees with sh_run_summary_free), oldest first. */
  int (*list_runs)(sh_store *s, sh_vec *out, sh_diags *d);
  /* Review workflow. Every write is one transaction that also appends to the hash-chained audit log.
   * Records a decision / a waiver on an item of a recorded run (unknown run or item: error). */
  int (*record_review)(sh_store *s, const struct sh_review *r, int64_t *out_id, sh_diags *d);
  int (*record_waiver)(sh_store *s, const struct sh_waiver *w, int64_t *out_id, sh_diags *d);
  /* Appends sh_review* / sh_waiver* of a run (caller frees with sh_review_free / sh_waiver_free), oldest first. */
  int (*list_reviews)(sh_store *s, int64_t run_id, sh_vec *out, sh_diags *d);
  int (*list_waivers)(sh_store *s, int64_t run_id, sh_vec *out, sh_diags *d);
  /* Rebuilds a recorded run from its snapshot (snapshot.h), vocabulary and frameworks included. NULL with d on error. */
  struct sh_run_snapshot *(*load_run)(sh_store *s, int64_t run_id, sh_diags *d);
  /* Checks the audit log chain and every logged row (auditlog.h): 0 intact, 1 tampering found, -1 error. */
  int (*verify_log)(sh_store *s, struct sh_log_status *st, sh_diags *d);
  /* Signed review (roster.h). The store's random id (hex), made when the store was created; it is part
   * of every signed text so that a signature cannot be replayed into another store. */
  int (*store_id)(sh_store *s, char out[65], sh_diags *d);
  /* Appends a roster event (one transaction, logged); a revocation of a reviewer who is not active is
   * refused. Sets *out_id. */
  int (*roster_append)(sh_store *s, const struct sh_roster_event *ev, int64_t *out_id, sh_diags *d);
  /* Appends every roster event (struct sh_roster_event*, sh_roster_event_free), in id order. */
  int (*list_roster)(sh_store *s, sh_vec *out, sh_diags *d);
  /* Decisions and waivers that belong to the applicant of run_id: those of every run of the same
   * applicant up to run_id (carry-forward), oldest first (sh_review* / sh_waiver*). */
  int (*list_reviews_carry)(sh_store *s, int64_t run_id, sh_vec *out, sh_diags *d);
  int (*list_waivers_carry)(sh_store *s, int64_t run_id, sh_vec *out, sh_diags *d);
  /* Decisions / waivers of every run (sh_review* / sh_waiver*), revoked waivers included, oldest first. */
  int (*list_all_reviews)(sh_store *s, sh_vec *out, sh_diags *d);
  int (*list_all_waivers)(sh_store *s, sh_vec *out, sh_diags *d);
  /* Revokes a waiver (one transaction, logged): by must be an active reviewer; a waiver is revoked once. */
  int (*revoke_waiver)(sh_store *s, int64_t waiver_id, const char *by, const char *reason, sh_diags *d);
  /* The hash of audit row seq: 0 found (out set), 1 no such row, -1 error. */
  int (*log_hash_at)(sh_store *s, int64_t seq, char out[65], sh_diags *d);
  void (*close)(sh_store *s);
} sh_store_ops;

struct sh_store {
  const sh_store_ops *ops;
  char *location;
};

/* How a store is opened. */
typedef enum {
  /* Commands that record (check --db, review, waive, reviewer): creates the store when absent and brings an
   * older schema up to date. */
  SH_STORE_WRITE,
  /* Commands that only read (history, report, diff, log verify): never creates, migrates or writes anything
   * (no write transaction, no fsync), works on a file the user can only read and while another process
   * writes. A store whose schema is older is an error that says to run `shinsa db migrate`; a newer one is
   * an error too. */
  SH_STORE_READ,
} sh_store_mode;

/* Every store is marked as shinsa's when it is created (for SQLite: PRAGMA application_id, docs/formats.md);
 * a database of another application is refused in every mode and left byte-identical, unless it is empty. */
#define SH_STORE_APPLICATION_ID 0x5348494E /* "SHIN" */

/* Opens the store at location (a SQLite file path, or a postgresql:// or postgres:// URL). Returns a store (close with sh_store_close) or NULL with an
 * I/O-class error in d. sh_store_open is sh_store_open_mode(location, SH_STORE_WRITE, d). */
sh_store *sh_store_open_mode(const char *location, sh_store_mode mode, sh_diags *d);
sh_store *sh_store_open(const char *location, sh_diags *d);
void sh_store_close(sh_store *s);
/* Brings an existing store's schema up to this shinsa's (`shinsa db migrate`): *from and *to receive the
 * schema versions before and after. Returns 0, or -1 with an error in d (missing file, foreign or newer store). */
int sh_store_migrate(const char *location, int *from, int *to, sh_diags *d);

/* Whether location names a PostgreSQL store (postgresql:// or postgres://). */
bool sh_store_is_pg(const char *location);
/* location as shown to people: a URL without its password (user:PASSWORD@ and password= parameters removed).
 * Caller frees. Every message naming a store uses it: connection secrets are never printed. */
char *sh_store_redact(const char *location);

/* The PostgreSQL back end (store_pg.c). */
sh_store *sh_store_pg_open(const char *url, sh_store_mode mode, sh_diags *d);
/* For writing into a store that must already hold shinsa's tables (review, waive): an empty schema is refused. */
sh_store *sh_store_pg_open_existing(const char *url, sh_diags *d);
int sh_store_pg_migrate(const char *url, int *from, int *to, sh_diags *d);
/* The PGconn* of a PostgreSQL store, or NULL for another back end. */
void *sh_store_pg_handle(sh_store *s);

/* `shinsa db copy` (store_copy.c): every table of the store FROM (read only, current schema) copied row for row
 * (ids, audit log, store id) into TO, which must be new or hold no run, review, roster event or audit row, in one
 * transaction of TO; then TO's audit log is verified. *rows receives the number of rows copied. Returns 0, 1 when
 * TO's log does not verify (a finding in d), or -1 with an error in d (TO unchanged; a SQLite file TO created is
 * removed). */
int sh_store_copy(const char *from, const char *to, size_t *rows, sh_diags *d);

/* The SQLite back end (store_sqlite.c). */
sh_store *sh_store_sqlite_open(const char *path, sh_store_mode mode, sh_diags *d);
int sh_store_sqlite_migrate(const char *path, int *from, int *to, sh_diags *d);
/* The sqlite3* of a SQLite store, or NULL for another back end (for SQLite-specific modules). */
void *sh_store_sqlite_handle(sh_store *s);

#endif
