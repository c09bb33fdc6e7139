/* store_sqlite_rv: the SQLite side of the review workflow: schema migration 1->2, run snapshots
 * written with each run, reviews, waivers, rebuilding runs, and the audit log (auditlog.c). */
#ifndef SHINSA_STORE_SQLITE_RV_H
#define SHINSA_STORE_SQLITE_RV_H

#include "store.h"

/* Schema 1 -> 2 (appended to store_sqlite.c's migrations; never edit once released). */
#define SH_SQLITE_RV_MIGRATION                                                                          \
  "CREATE TABLE run_snapshot ("                                                                         \
  "  run_id INTEGER PRIMARY KEY REFERENCES runs(id),"                                                   \
  "  applicant_name_en TEXT, evidence_sha256 TEXT NOT NULL);"                                           \
  "CREATE TABLE texts (sha256 TEXT PRIMARY KEY, content BLOB NOT NULL);"                                \
  "CREATE TABLE run_texts ("                                                                            \
  "  run_id INTEGER NOT NULL REFERENCES runs(id), kind TEXT NOT NULL, seq INTEGER NOT NULL,"             \
  "  path TEXT NOT NULL, sha256 TEXT NOT NULL REFERENCES texts(sha256),"                                \
  "  PRIMARY KEY (run_id, kind, seq));"                                                                 \
  "CREATE TABLE run_documents ("                                                                        \
  "  run_id INTEGER NOT NULL REFERENCES runs(id), seq INTEGER NOT NULL, path TEXT NOT NULL, title TEXT," \
  "  sha256_declared TEXT NOT NULL, sha256_actual TEXT, status TEXT NOT NULL, issued TEXT,"              \
  "  valid_until TEXT, attests TEXT NOT NULL, PRIMARY KEY (run_id, seq));"                              \
  "CREATE TABLE run_fact_values ("                                                                      \
  "  run_id INTEGER NOT NULL REFERENCES runs(id), fact_id TEXT NOT NULL, raw TEXT NOT NULL,"            \
  "  provenance TEXT NOT NULL, origin TEXT, line INTEGER, documents TEXT NOT NULL, detail TEXT,"        \
  "  PRIMARY KEY (run_id, fact_id));"                                                                   \
  "CREATE TABLE run_data_items ("                                                                       \
  "  run_id INTEGER NOT NULL REFERENCES runs(id), seq INTEGER NOT NULL, item_id TEXT NOT NULL,"         \
  "  name_ja TEXT, name_en TEXT, level INTEGER NOT NULL, code TEXT, purposes TEXT NOT NULL,"            \
  "  recipients TEXT NOT NULL, PRIMARY KEY (run_id, seq));"                                             \
  "CREATE TABLE run_findings ("                                                                         \
  "  run_id INTEGER NOT NULL REFERENCES runs(id), seq INTEGER NOT NULL, message TEXT NOT NULL,"         \
  "  PRIMARY KEY (run_id, seq));"                                                                       \
  "CREATE TABLE reviews ("                                                                              \
  "  id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL, framework_id TEXT NOT NULL, item_id TEXT NOT NULL," \
  "  decision TEXT NOT NULL CHECK (decision IN ('accept', 'reject', 'request-more')),"                  \
  "  reviewer TEXT NOT NULL, role TEXT NOT NULL, note TEXT NOT NULL, recorded_at TEXT NOT NULL,"        \
  "  FOREIGN KEY (run_id, framework_id, item_id) REFERENCES results(run_id, framework_id, item_id));"   \
  "CREATE TABLE waivers ("                                                                              \
  "  id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL, framework_id TEXT NOT NULL, item_id TEXT NOT NULL," \
  "  approver TEXT NOT NULL, justification TEXT NOT NULL, scope TEXT NOT NULL, expires TEXT NOT NULL,"  \
  "  recorded_at TEXT NOT NULL,"                                                                        \
  "  FOREIGN KEY (run_id, framework_id, item_id) REFERENCES results(run_id, framework_id, item_id));"   \
  "CREATE TABLE audit_log ("                                                                            \
  "  seq INTEGER PRIMARY KEY AUTOINCREMENT, recorded_at TEXT NOT NULL,"                                 \
  "  kind TEXT NOT NULL CHECK (kind IN ('run', 'review', 'waiver')), ref INTEGER NOT NULL,"             \
  "  content TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);"                              \
  "CREATE TABLE audit_meta (legacy_max_run INTEGER NOT NULL);"                                          \
  "INSERT INTO audit_meta SELECT coalesce(max(id), 0) FROM runs;"

/* Called by record_run inside its transaction, after the run's rows: writes the snapshot rows and
 * appends the run to the audit log. Returns 0 or -1 with d (the caller rolls back). */
int sh_sqlite_rv_run_recorded(sh_store *s, int64_t run_id, const sh_evaluation *e, const sh_vocab *vocab,
                              const char *data_dir, sh_diags *d);

int sh_sqlite_rv_record_review(sh_store *s, const struct sh_review *r, int64_t *out_id, sh_diags *d);
int sh_sqlite_rv_record_waiver(sh_store *s, const struct sh_waiver *w, int64_t *out_id, sh_diags *d);
int sh_sqlite_rv_list_reviews(sh_store *s, int64_t run_id, sh_vec *out, sh_diags *d);
int sh_sqlite_rv_list_reviews_carry(sh_store *s, int64_t run_id, sh_vec *out, sh_diags *d);
int sh_sqlite_rv_list_waivers_carry(sh_store *s, int64_t run_id, sh_vec *out, sh_diags *d);
int sh_sqlite_rv_list_all_reviews(sh_store *s, sh_vec *out, sh_diags *d);
int sh_sqlite_rv_list_all_waivers(sh_store *s, sh_vec *out, sh_diags *d);
/* A write transaction (BEGIN IMMEDIATE) and its end: commit when rc == 0, else roll back. */
int sh_sqlite_rv_begin(sh_store *s, sh_diags *d);
int sh_sqlite_rv_finish(sh_store *s, int rc, sh_diags *d);
int sh_sqlite_rv_list_waivers(sh_store *s, int64_t run_id, sh_vec *out, sh_diags *d);
struct sh_run_snapshot *sh_sqlite_rv_load_run(sh_store *s, int64_t run_id, sh_diags *d);
int sh_sqlite_rv_verify_log(sh_store *s, struct sh_log_status *st, sh_diags *d);

#endif
