/* store_sqlite: the SQLite run store: versioned schema, WAL mode, busy timeout, and every
 * run written in one transaction. See store.h. */
#include "store.h"

#include "hash.h"
#include "store_col.h"
#include "store_sqlite_rv.h"
#include "store_sqlite_sig.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct {
  sh_store base;
  sqlite3 *db;
} sqlite_store;

/* Schema migrations: index k upgrades from version k to k+1. */
static const char *const migrations[] = {
  "CREATE TABLE runs ("
  "  id INTEGER PRIMARY KEY,"
  "  recorded_at TEXT NOT NULL,"
  "  tool_version TEXT NOT NULL,"
  "  applicant_name TEXT NOT NULL,"
  "  applicant_kind TEXT,"
  "  assessment_date TEXT NOT NULL,"
  "  evidence_dir TEXT NOT NULL,"
  "  vocabulary TEXT NOT NULL,"
  "  exit_code INTEGER NOT NULL,"
  "  must_failing INTEGER NOT NULL);"
  "CREATE TABLE run_frameworks ("
  "  run_id INTEGER NOT NULL REFERENCES runs(id),"
  "  framework_id TEXT NOT NULL, version TEXT NOT NULL, sha256 TEXT NOT NULL, file TEXT NOT NULL,"
  "  PRIMARY KEY (run_id, framework_id));"
  "CREATE TABLE run_inputs ("
  "  run_id INTEGER NOT NULL REFERENCES runs(id),"
  "  kind TEXT NOT NULL, path TEXT NOT NULL, sha256 TEXT, status TEXT NOT NULL,"
  "  PRIMARY KEY (run_id, kind, path));"
  "CREATE TABLE run_facts ("
  "  run_id INTEGER NOT NULL REFERENCES runs(id),"
  "  fact_id TEXT NOT NULL, value TEXT NOT NULL, provenance TEXT NOT NULL, origin TEXT, line INTEGER,"
  "  PRIMARY KEY (run_id, fact_id));"
  "CREATE TABLE results ("
  "  run_id INTEGER NOT NULL REFERENCES runs(id),"
  "  framework_id TEXT NOT NULL, item_id TEXT NOT NULL, seq INTEGER NOT NULL,"
  "  strength TEXT NOT NULL, verdict TEXT NOT NULL, item_group TEXT, manual INTEGER NOT NULL,"
  "  PRIMARY KEY (run_id, framework_id, item_id));"
  "CREATE TABLE reasons ("
  "  run_id INTEGER NOT NULL, framework_id TEXT NOT NULL, item_id TEXT NOT NULL, seq INTEGER NOT NULL,"
  "  fact_id TEXT, condition TEXT, required TEXT, actual TEXT, message TEXT NOT NULL,"
  "  PRIMARY KEY (run_id, framework_id, item_id, seq),"
  "  FOREIGN KEY (run_id, framework_id, item_id) REFERENCES results(run_id, framework_id, item_id));"
  "CREATE TABLE witnesses ("
  "  run_id INTEGER NOT NULL, framework_id TEXT NOT NULL, item_id TEXT NOT NULL, witness TEXT NOT NULL,"
  "  PRIMARY KEY (run_id, framework_id, item_id, witness));",
  /* 1 -> 2: run snapshots (re-rendering a recorded run), the review workflow and the audit log
   * (store_sqlite_rv.c). Runs recorded before this migration predate the audit log. */
  SH_SQLITE_RV_MIGRATION,
  /* 2 -> 3: the reviewer roster, signed decisions and waivers, waiver revocations, the store id
   * (store_sqlite_sig.c). */
  SH_SQLITE_SIG_MIGRATION,
};
#define NMIGRATIONS (sizeof migrations / sizeof migrations[0])

static void db_error(sqlite_store *s, sh_diags *d, const char *what) {
  sh_error_io(d, s->base.location, 0, 0, "database error while %s: %s", what, sqlite3_errmsg(s->db));
}

static int exec(sqlite_store *s, const char *sql, sh_diags *d, const char *what) {
  char *msg = NULL;
  if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
    sh_error_io(d, s->base.location, 0, 0, "database error while %s: %s", what, msg ? msg : "?");
    sqlite3_free(msg);
    return -1;
  }
  return 0;
}

static int migrate(sqlite_store *s, sh_diags *d) {
  if (exec(s, "BEGIN IMMEDIATE", d, "starting the schema migration")) return -1;
  sqlite3_stmt *st;
  int version = 0;
  if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK) {
    if (sqlite3_step(st) == SQLITE_ROW) version = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
  }
  if (version > (int)NMIGRATIONS) {
    exec(s, "ROLLBACK", d, "rolling back");
    sh_error_io(d, s->base.location, 0, 0, "database schema version %d is newer than this shinsa supports (%d)", version,
             (int)NMIGRATIONS);
    return -1;
  }
  for (int v = version; v < (int)NMIGRATIONS; v++) {
    if (exec(s, migrations[v], d, "migrating the schema")) {
      exec(s, "ROLLBACK", d, "rolling back");
      return -1;
    }
  }
  char *sql = sh_printf("PRAGMA user_version = %d", (int)NMIGRATIONS);
  int rc = exec(s, sql, d, "setting the schema version");
  free(sql);
  if (rc || exec(s, "COMMIT", d, "committing the schema")) {
    exec(s, "ROLLBACK", d, "rolling back");
    return -1;
  }
  return 0;
}

static void now_iso(char buf[32]) {
  time_t t = time(NULL);
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Binds text values given as a NULL-terminated-by-count list and steps once. */
static int run_stmt(sqlite_store *s, sqlite3_stmt *st, sh_diags *d, const char *what) {
  int rc = sqlite3_step(st);
  sqlite3_reset(st);
  sqlite3_clear_bindings(st);
  if (rc != SQLITE_DONE) {
    db_error(s, d, what);
    return -1;
  }
  return 0;
}

static int prep(sqlite_store *s, const char *sql, sqlite3_stmt **st, sh_diags *d) {
  if (sqlite3_prepare_v2(s->db, sql, -1, st, NULL) != SQLITE_OK) {
    db_error(s, d, "preparing a statement");
    return -1;
  }
  return 0;
}

#define BT(st, i, v) sqlite3_bind_text((st), (i), (v), -1, SQLITE_TRANSIENT)

static int record_run(sh_store *base, const sh_evaluation *e, const sh_run_meta *meta, int64_t *out_id, sh_diags *d) {
  sqlite_store *s = (sqlite_store *)base;
  const sh_evidence *ev = e->evidence;
  sqlite3_stmt *st[7] = {0};
  int rc = -1;
  if (exec(s, "BEGIN IMMEDIATE", d, "starting the run transaction")) return -1;
  if (prep(s, "INSERT INTO runs (recorded_at, tool_version, applicant_name, applicant_kind, assessment_date,"
              " evidence_dir, vocabulary, exit_code, must_failing) VALUES (?,?,?,?,?,?,?,?,?)", &st[0], d) ||
      prep(s, "INSERT INTO run_frameworks VALUES (?,?,?,?,?)", &st[1], d) ||
      prep(s, "INSERT OR REPLACE INTO run_inputs VALUES (?,?,?,?,?)", &st[2], d) ||
      prep(s, "INSERT INTO run_facts VALUES (?,?,?,?,?,?)", &st[3], d) ||
      prep(s, "INSERT INTO results VALUES (?,?,?,?,?,?,?,?)", &st[4], d) ||
      prep(s, "INSERT INTO reasons VALUES (?,?,?,?,?,?,?,?,?)", &st[5], d) ||
      prep(s, "INSERT OR IGNORE INTO witnesses VALUES (?,?,?,?)", &st[6], d))
    goto done;
  char now[32], adate[11];
  if (meta && meta->recorded_at) snprintf(now, sizeof now, "%s", meta->recorded_at);
  else now_iso(now);
  sh_date_format(ev->assessment_date, adate);
  char *vocab = meta && meta->vocab ? sh_printf("%s@%s", meta->vocab->id, meta->vocab->version) : sh_strdup("?");
  BT(st[0], 1, now);
  BT(st[0], 2, meta && meta->tool_version ? meta->tool_version : "?");
  BT(st[0], 3, ev->applicant_name);
  BT(st[0], 4, ev->applicant_kind);
  BT(st[0], 5, adate);
  BT(st[0], 6, ev->dir);
  BT(st[0], 7, vocab);
  free(vocab);
  sqlite3_bind_int(st[0], 8, meta ? meta->exit_code : 0);
  sqlite3_bind_int64(st[0], 9, (sqlite3_int64)e->must_failing);
  if (run_stmt(s, st[0], d, "recording the run")) goto done;
  int64_t id = sqlite3_last_insert_rowid(s->db);
  for (size_t i = 0; i < e->frameworks.n; i++) {
    const sh_framework *fw = e->frameworks.v[i];
    sqlite3_bind_int64(st[1], 1, id);
    BT(st[1], 2, fw->id);
    BT(st[1], 3, fw->version);
    BT(st[1], 4, fw->sha256);
    BT(st[1], 5, fw->file);
    if (run_stmt(s, st[1], d, "recording frameworks")) goto done;
  }
  /* Input files: evidence.yaml, every document, the vocabulary files, the framework files. */
  sqlite3_bind_int64(st[2], 1, id);
  BT(st[2], 2, "evidence");
  BT(st[2], 3, ev->file);
  BT(st[2], 4, ev->sha256);
  BT(st[2], 5, "ok");
  if (run_stmt(s, st[2], d, "recording inputs")) goto done;
  for (size_t i = 0; i < ev->documents.n; i++) {
    const sh_document *dc = ev->documents.v[i];
    sqlite3_bind_int64(st[2], 1, id);
    BT(st[2], 2, "document");
    BT(st[2], 3, dc->path);
    if (dc->sha256_actual[0]) BT(st[2], 4, dc->sha256_actual);
    BT(st[2], 5, sh_doc_status_name(dc->status));
    if (run_stmt(s, st[2], d, "recording documents")) goto done;
  }
  if (meta && meta->vocab) {
    for (size_t i = 0; i < meta->vocab->files.n; i++) {
      const char *p = meta->vocab->files.v[i];
      char hx[65];
      bool ok = sh_sha256_file(p, SH_YAML_MAX_BYTES, hx) == 0;
      sqlite3_bind_int64(st[2], 1, id);
      BT(st[2], 2, "vocabulary");
      BT(st[2], 3, p);
      if (ok) BT(st[2], 4, hx);
      BT(st[2], 5, ok ? "ok" : "unreadable");
      if (run_stmt(s, st[2], d, "recording inputs")) goto done;
    }
  }
  for (size_t i = 0; i < e->frameworks.n; i++) {
    const sh_framework *fw = e->frameworks.v[i];
    sqlite3_bind_int64(st[2], 1, id);
    BT(st[2], 2, "framework");
    BT(st[2], 3, fw->file);
    BT(st[2], 4, fw->sha256);
    BT(st[2], 5, "ok");
    if (run_stmt(s, st[2], d, "recording inputs")) goto done;
  }
  for (size_t i = 0; i < ev->nvalues; i++) {
    const sh_fact_value *fv = ev->values[i];
    if (!fv) continue;
    char *val = sh_value_format(fv->fact, &fv->value);
    sqlite3_bind_int64(st[3], 1, id);
    BT(st[3], 2, fv->fact->id);
    BT(st[3], 3, val);
    BT(st[3], 4, sh_prov_name(fv->prov));
    if (fv->origin) BT(st[3], 5, fv->origin);
    if (fv->line > 0) sqlite3_bind_int(st[3], 6, fv->line);
    free(val);
    if (run_stmt(s, st[3], d, "recording facts")) goto done;
  }
  for (size_t i = 0; i < e->results.n; i++) {
    const sh_result *r = e->results.v[i];
    const sh_item *it = r->item;
    sqlite3_bind_int64(st[4], 1, id);
    BT(st[4], 2, it->fw->id);
    BT(st[4], 3, it->id);
    sqlite3_bind_int64(st[4], 4, (sqlite3_int64)i);
    BT(st[4], 5, sh_strength_name(it->strength));
    BT(st[4], 6, sh_verdict_name(r->verdict));
    if (it->group) BT(st[4], 7, it->group);
    sqlite3_bind_int(st[4], 8, it->manual);
    if (run_stmt(s, st[4], d, "recording results")) goto done;
    for (size_t k = 0; k < r->reasons.n; k++) {
      const sh_reason *re = r->reasons.v[k];
      sqlite3_bind_int64(st[5], 1, id);
      BT(st[5], 2, it->fw->id);
      BT(st[5], 3, it->id);
      sqlite3_bind_int64(st[5], 4, (sqlite3_int64)k);
      if (re->fact) BT(st[5], 5, re->fact->id);
      if (re->condition) BT(st[5], 6, re->condition);
      if (re->required) BT(st[5], 7, re->required);
      if (re->actual) BT(st[5], 8, re->actual);
      BT(st[5], 9, re->message);
      if (run_stmt(s, st[5], d, "recording reasons")) goto done;
    }
    for (size_t k = 0; k < r->witnesses.n; k++) {
      sqlite3_bind_int64(st[6], 1, id);
      BT(st[6], 2, it->fw->id);
      BT(st[6], 3, it->id);
      BT(st[6], 4, r->witnesses.v[k]);
      if (run_stmt(s, st[6], d, "recording witnesses")) goto done;
    }
  }
  if (sh_sqlite_rv_run_recorded(base, id, e, meta ? meta->vocab : NULL, d)) goto done;
  if (exec(s, "COMMIT", d, "committing the run")) goto done;
  *out_id = id;
  rc = 0;
done:
  for (size_t i = 0; i < sizeof st / sizeof st[0]; i++) sqlite3_finalize(st[i]);
  if (rc) sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
  return rc;
}

static int list_runs(sh_store *base, sh_vec *out, sh_diags *d) {
  sqlite_store *s = (sqlite_store *)base;
  sqlite3_stmt *st = NULL, *fst = NULL, *cst = NULL;
  int rc = -1;
  if (prep(s, "SELECT id, recorded_at, applicant_name, assessment_date, exit_code FROM runs ORDER BY id", &st, d) ||
      prep(s, "SELECT framework_id, version FROM run_frameworks WHERE run_id = ? ORDER BY framework_id", &fst, d) ||
      prep(s, "SELECT verdict, count(*) FROM results WHERE run_id = ? GROUP BY verdict", &cst, d))
    goto done;
  int step;
  sh_colchk k = {0};
  while ((step = sqlite3_step(st)) == SQLITE_ROW) {
    sh_run_summary *r = sh_calloc(1, sizeof *r);
    r->id = sh_col_int(&k, st, 0);
    r->recorded_at = sh_strdup(sh_col_text(&k, st, 1));
    r->applicant = sh_strdup(sh_col_text(&k, st, 2));
    r->assessment_date = sh_strdup(sh_col_text(&k, st, 3));
    r->exit_code = (int)sh_col_int(&k, st, 4);
    sh_buf b = {0};
    sqlite3_bind_int64(fst, 1, r->id);
    while (sqlite3_step(fst) == SQLITE_ROW) {
      const char *fw = sh_col_text(&k, fst, 0), *ver = sh_col_text(&k, fst, 1);
      sh_buf_printf(&b, "%s%s@%s", b.len ? ", " : "", fw, ver);
    }
    sqlite3_reset(fst);
    r->frameworks = sh_buf_steal(&b);
    sqlite3_bind_int64(cst, 1, r->id);
    while (sqlite3_step(cst) == SQLITE_ROW) {
      const char *v = sh_col_text(&k, cst, 0);
      for (int j = 0; j < SH_V__COUNT; j++)
        if (strcmp(v, sh_verdict_name((sh_verdict)j)) == 0) r->counts[j] = (size_t)sqlite3_column_int64(cst, 1);
    }
    sqlite3_reset(cst);
    sh_vec_push(out, r);
  }
  if (sh_colchk_report(&k, s->base.location, "listing runs", d)) goto done;
  if (step != SQLITE_DONE) db_error(s, d, "listing runs");
  else rc = 0;
done:
  sqlite3_finalize(st);
  sqlite3_finalize(fst);
  sqlite3_finalize(cst);
  return rc;
}

static void close_store(sh_store *base) {
  sqlite_store *s = (sqlite_store *)base;
  sqlite3_close(s->db);
  free(s->base.location);
  free(s);
}

static const sh_store_ops sqlite_ops = {
  .record_run = record_run, .list_runs = list_runs, .close = close_store,
  .record_review = sh_sqlite_rv_record_review, .record_waiver = sh_sqlite_rv_record_waiver,
  .list_reviews = sh_sqlite_rv_list_reviews, .list_waivers = sh_sqlite_rv_list_waivers,
  .load_run = sh_sqlite_rv_load_run, .verify_log = sh_sqlite_rv_verify_log,
  .store_id = sh_sqlite_sig_store_id, .roster_append = sh_sqlite_sig_roster_append,
  .list_roster = sh_sqlite_sig_list_roster, .list_reviews_carry = sh_sqlite_rv_list_reviews_carry,
  .list_waivers_carry = sh_sqlite_rv_list_waivers_carry, .list_all_waivers = sh_sqlite_rv_list_all_waivers,
  .revoke_waiver = sh_sqlite_sig_revoke_waiver, .log_hash_at = sh_sqlite_sig_log_hash_at,
};

sh_store *sh_store_sqlite_open(const char *path, sh_diags *d) {
  sqlite_store *s = sh_calloc(1, sizeof *s);
  s->base.ops = &sqlite_ops;
  s->base.location = sh_strdup(path);
  if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, NULL) !=
      SQLITE_OK) {
    sh_error_io(d, path, 0, 0, "cannot open database: %s", s->db ? sqlite3_errmsg(s->db) : "out of memory");
    close_store(&s->base);
    return NULL;
  }
  sqlite3_busy_timeout(s->db, 10000);
  sqlite3_extended_result_codes(s->db, 1);
  /* Not a database at all (e.g. a text file): sqlite reports it at the first statement. */
  if (exec(s, "PRAGMA journal_mode=WAL", d, "opening (is this a shinsa database?)") ||
      exec(s, "PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL", d, "configuring") || migrate(s, d)) {
    close_store(&s->base);
    return NULL;
  }
  return &s->base;
}

void *sh_store_sqlite_handle(sh_store *s) { return s && s->ops == &sqlite_ops ? ((sqlite_store *)s)->db : NULL; }
