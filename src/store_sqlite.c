/* store_sqlite: the SQLite run store: versioned schema, WAL mode, busy timeout, and every
 * run written in one transaction. See store.h. */
#include "store.h"
#include "i18n.h"

#include "hash.h"
#include "snapshot.h"
#include "store_col.h"
#include "store_sqlite_rv.h"
#include "store_sqlite_sig.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

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
  /* 3 -> 4: reasons and package findings keep their message key (the English msgid) and arguments, so that a
   * recorded run renders them in any report language (sh_reason_text). Rows recorded before keep NULL there
   * and render as their English message. */
  "ALTER TABLE reasons ADD COLUMN msg_key TEXT;"
  "ALTER TABLE reasons ADD COLUMN msg_args TEXT;"
  "ALTER TABLE run_findings ADD COLUMN msg_key TEXT;"
  "ALTER TABLE run_findings ADD COLUMN msg_args TEXT;",
};
#define NMIGRATIONS (sizeof migrations / sizeof migrations[0])

static void db_error(sqlite_store *s, sh_diags *d, const char *what) {
  sh_error_io(d, s->base.location, 0, 0, "database error while %s: %s", _(what), sqlite3_errmsg(s->db));
}

static int exec(sqlite_store *s, const char *sql, sh_diags *d, const char *what) {
  char *msg = NULL;
  if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
    sh_error_io(d, s->base.location, 0, 0, "database error while %s: %s", _(what), msg ? msg : "?");
    sqlite3_free(msg);
    return -1;
  }
  return 0;
}

/* What a database file holds before shinsa changes anything in it. */
typedef struct {
  int app_id;     /* PRAGMA application_id */
  int version;    /* PRAGMA user_version: shinsa's schema version */
  int tables;     /* tables in it */
  int core;       /* how many of the tables of schema 1 it has */
} identity;

static int read_identity(sqlite_store *s, identity *id) {
  memset(id, 0, sizeof *id);
  sqlite3_stmt *st = NULL;
  int rc = sqlite3_prepare_v2(s->db,
                              "SELECT (SELECT application_id FROM pragma_application_id),"
                              " (SELECT user_version FROM pragma_user_version),"
                              " (SELECT count(*) FROM sqlite_master WHERE type = 'table'),"
                              " (SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN"
                              "  ('runs', 'run_frameworks', 'run_inputs', 'results', 'reasons', 'witnesses'))",
                              -1, &st, NULL);
  if (rc == SQLITE_OK) {
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
      id->app_id = sqlite3_column_int(st, 0);
      id->version = sqlite3_column_int(st, 1);
      id->tables = sqlite3_column_int(st, 2);
      id->core = sqlite3_column_int(st, 3);
      rc = SQLITE_OK;
    }
  }
  sqlite3_finalize(st);
  return rc;
}

static void identity_error(sqlite_store *s, int rc, sh_diags *d) {
  if ((rc & 0xff) == SQLITE_NOTADB)
    sh_error_io(d, s->base.location, 0, 0, "not a shinsa store: the file is not a SQLite database (left untouched)");
  else
    db_error(s, d, N_("opening the store"));
}

/* A shinsa store, an empty database (made into one when written), or a store made before stores carried
 * the application id (schema 1 to 3 with shinsa's tables). Anything else is another application's database:
 * refused before anything is written to it. */
static bool check_identity(sqlite_store *s, const identity *id, sh_diags *d) {
  if (id->app_id == SH_STORE_APPLICATION_ID) return true;
  if (id->app_id == 0 && id->tables == 0) return true;
  if (id->app_id == 0 && id->version >= 1 && id->core == 6) return true;
  sh_error_io(d, s->base.location, 0, 0,
              "not a shinsa store: another application's SQLite database (application_id %d, %d tables, user_version "
              "%d); shinsa leaves it untouched",
              id->app_id, id->tables, id->version);
  return false;
}

static bool version_readable(sqlite_store *s, const identity *id, sh_diags *d) {
  if (id->version > (int)NMIGRATIONS) {
    sh_error_io(d, s->base.location, 0, 0,
                "database schema version %d is newer than this shinsa supports (%d): use a newer shinsa", id->version,
                (int)NMIGRATIONS);
    return false;
  }
  return true;
}

/* Brings the schema up to date in one write transaction (and marks the store with the application id). */
static int migrate(sqlite_store *s, int *from, sh_diags *d) {
  if (exec(s, "BEGIN IMMEDIATE", d, N_("starting the schema migration"))) return -1;
  identity id;
  int rc = read_identity(s, &id); /* again, under the write lock: another process may have migrated */
  if (rc != SQLITE_OK) {
    identity_error(s, rc, d);
    exec(s, "ROLLBACK", d, N_("rolling back"));
    return -1;
  }
  if (from) *from = id.version;
  if (!check_identity(s, &id, d) || !version_readable(s, &id, d)) {
    exec(s, "ROLLBACK", d, N_("rolling back"));
    return -1;
  }
  for (int v = id.version; v < (int)NMIGRATIONS; v++) {
    if (exec(s, migrations[v], d, N_("migrating the schema"))) {
      exec(s, "ROLLBACK", d, N_("rolling back"));
      return -1;
    }
  }
  char *sql = sh_printf("PRAGMA user_version = %d; PRAGMA application_id = %d", (int)NMIGRATIONS,
                        SH_STORE_APPLICATION_ID);
  rc = exec(s, sql, d, N_("setting the schema version"));
  free(sql);
  if (rc || exec(s, "COMMIT", d, N_("committing the schema"))) {
    exec(s, "ROLLBACK", d, N_("rolling back"));
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
    db_error(s, d, N_("preparing a statement"));
    return -1;
  }
  return 0;
}

#define BT(st, i, v) sqlite3_bind_text((st), (i), (v), -1, SQLITE_TRANSIENT)

static int record_run(sh_store *base, const sh_evaluation *e, const sh_run_meta *meta, int64_t *out_id, sh_diags *d) {
  sqlite_store *s = (sqlite_store *)base;
  const sh_evidence *ev = e->evidence;
  const char *ddir = meta ? meta->data_dir : NULL;
  sqlite3_stmt *st[7] = {0};
  int rc = -1;
  if (exec(s, "BEGIN IMMEDIATE", d, N_("starting the run transaction"))) return -1;
  if (prep(s, "INSERT INTO runs (recorded_at, tool_version, applicant_name, applicant_kind, assessment_date,"
              " evidence_dir, vocabulary, exit_code, must_failing) VALUES (?,?,?,?,?,?,?,?,?)", &st[0], d) ||
      prep(s, "INSERT INTO run_frameworks VALUES (?,?,?,?,?)", &st[1], d) ||
      prep(s, "INSERT OR REPLACE INTO run_inputs VALUES (?,?,?,?,?)", &st[2], d) ||
      prep(s, "INSERT INTO results VALUES (?,?,?,?,?,?,?,?)", &st[4], d) ||
      prep(s, "INSERT INTO reasons (run_id, framework_id, item_id, seq, fact_id, condition, required, actual,"
              " message, msg_key, msg_args) VALUES (?,?,?,?,?,?,?,?,?,?,?)", &st[5], d) ||
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
  char *pkg = sh_printf("sha256:%s", ev->sha256); /* the package by content, never by its machine path */
  BT(st[0], 6, pkg);
  free(pkg);
  BT(st[0], 7, vocab);
  free(vocab);
  sqlite3_bind_int(st[0], 8, meta ? meta->exit_code : 0);
  sqlite3_bind_int64(st[0], 9, (sqlite3_int64)e->must_failing);
  if (run_stmt(s, st[0], d, N_("recording the run"))) goto done;
  int64_t id = sqlite3_last_insert_rowid(s->db);
  for (size_t i = 0; i < e->frameworks.n; i++) {
    const sh_framework *fw = e->frameworks.v[i];
    sqlite3_bind_int64(st[1], 1, id);
    BT(st[1], 2, fw->id);
    BT(st[1], 3, fw->version);
    BT(st[1], 4, fw->sha256);
    BT(st[1], 5, sh_store_rel_name(fw->file, ddir));
    if (run_stmt(s, st[1], d, N_("recording frameworks"))) goto done;
  }
  /* Input files: evidence.yaml, every document, the vocabulary files, the framework files. */
  sqlite3_bind_int64(st[2], 1, id);
  BT(st[2], 2, "evidence");
  BT(st[2], 3, SH_EVIDENCE_NAME);
  BT(st[2], 4, ev->sha256);
  BT(st[2], 5, "ok");
  if (run_stmt(s, st[2], d, N_("recording inputs"))) goto done;
  for (size_t i = 0; i < ev->documents.n; i++) {
    const sh_document *dc = ev->documents.v[i];
    sqlite3_bind_int64(st[2], 1, id);
    BT(st[2], 2, "document");
    BT(st[2], 3, dc->path);
    if (dc->sha256_actual[0]) BT(st[2], 4, dc->sha256_actual);
    BT(st[2], 5, sh_doc_status_name(dc->status));
    if (run_stmt(s, st[2], d, N_("recording documents"))) goto done;
  }
  if (meta && meta->vocab) {
    for (size_t i = 0; i < meta->vocab->files.n; i++) {
      const char *p = meta->vocab->files.v[i];
      char hx[65];
      /* The text the vocabulary was loaded from (read once, vocab.h); a file read by other means is hashed. */
      const sh_buf *tb = i < meta->vocab->texts.n ? meta->vocab->texts.v[i] : NULL;
      bool ok = tb && tb->data ? (sh_sha256_hex(tb->data, tb->len, hx), true)
                               : sh_sha256_file(p, SH_YAML_MAX_BYTES, hx) == 0;
      sqlite3_bind_int64(st[2], 1, id);
      BT(st[2], 2, "vocabulary");
      BT(st[2], 3, sh_store_rel_name(p, ddir));
      if (ok) BT(st[2], 4, hx);
      BT(st[2], 5, ok ? "ok" : "unreadable");
      if (run_stmt(s, st[2], d, N_("recording inputs"))) goto done;
    }
  }
  for (size_t i = 0; i < e->frameworks.n; i++) {
    const sh_framework *fw = e->frameworks.v[i];
    sqlite3_bind_int64(st[2], 1, id);
    BT(st[2], 2, "framework");
    BT(st[2], 3, sh_store_rel_name(fw->file, ddir));
    BT(st[2], 4, fw->sha256);
    BT(st[2], 5, "ok");
    if (run_stmt(s, st[2], d, N_("recording inputs"))) goto done;
  }
  /* Fact values are stored once, in run_fact_values with the run's snapshot (store_sqlite_rv.c); run_facts
   * keeps the rows of runs recorded before that (schema 1). */
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
    if (run_stmt(s, st[4], d, N_("recording results"))) goto done;
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
      char *args = sh_snapshot_reason_args(re);
      if (re->key) BT(st[5], 10, re->key);
      if (args) BT(st[5], 11, args);
      free(args);
      if (run_stmt(s, st[5], d, N_("recording reasons"))) goto done;
    }
    for (size_t k = 0; k < r->witnesses.n; k++) {
      sqlite3_bind_int64(st[6], 1, id);
      BT(st[6], 2, it->fw->id);
      BT(st[6], 3, it->id);
      BT(st[6], 4, r->witnesses.v[k]);
      if (run_stmt(s, st[6], d, N_("recording witnesses"))) goto done;
    }
  }
  if (sh_sqlite_rv_run_recorded(base, id, e, meta ? meta->vocab : NULL, ddir, d)) goto done;
  if (exec(s, "COMMIT", d, N_("committing the run"))) goto done;
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
  if (sh_colchk_report(&k, s->base.location, N_("listing runs"), d)) goto done;
  if (step != SQLITE_DONE) db_error(s, d, N_("listing runs"));
  else rc = 0;
done:
  sqlite3_finalize(st);
  sqlite3_finalize(fst);
  sqlite3_finalize(cst);
  return rc;
}

static void close_store(sh_store *base) {
  sqlite_store *s = (sqlite_store *)base;
  /* Statements kept prepared for the whole command (sh_sqlite_stmt) are finalized here. */
  sqlite3_stmt *st;
  while (s->db && (st = sqlite3_next_stmt(s->db, NULL))) sqlite3_finalize(st);
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
  .list_all_reviews = sh_sqlite_rv_list_all_reviews,
  .revoke_waiver = sh_sqlite_sig_revoke_waiver, .log_hash_at = sh_sqlite_sig_log_hash_at,
};

static sqlite_store *new_store(const char *path) {
  sqlite_store *s = sh_calloc(1, sizeof *s);
  s->base.ops = &sqlite_ops;
  s->base.location = sh_strdup(path);
  return s;
}

/* Read only: no write transaction, no journal mode change, no migration. SQLite keeps a WAL store's index in
 * PATH-shm, which a reader creates when it is absent; when it cannot (a read-only folder) and no writer is
 * connected (no PATH-wal: the file holds every committed run), the file is read as immutable. */
static sh_store *open_read(const char *path, sh_diags *d) {
  sqlite_store *s = new_store(path);
  identity id;
  /* One thread reads: no mutex on the connection (NOMUTEX). */
  int rc = sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc == SQLITE_OK) {
    sqlite3_busy_timeout(s->db, 10000);
    sqlite3_extended_result_codes(s->db, 1);
    rc = read_identity(s, &id);
  }
  if (rc != SQLITE_OK && (rc & 0xff) != SQLITE_NOTADB && s->db) {
    char *wal = sh_printf("%s-wal", path);
    bool writer = access(wal, F_OK) == 0;
    free(wal);
    if (!writer && access(path, R_OK) == 0) {
      sqlite3_close(s->db);
      s->db = NULL;
      /* The path goes into a URI: characters with a meaning there are escaped. */
      sh_buf b = {0};
      sh_buf_puts(&b, "file:");
      for (const char *p = path; *p; p++) {
        if (*p == '?' || *p == '#' || *p == '%') sh_buf_printf(&b, "%%%02X", (unsigned char)*p);
        else sh_buf_putc(&b, *p);
      }
      sh_buf_puts(&b, "?immutable=1");
      rc = sqlite3_open_v2(sh_buf_str(&b), &s->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX,
                           NULL);
      sh_buf_free(&b);
      if (rc == SQLITE_OK) {
        sqlite3_extended_result_codes(s->db, 1);
        rc = read_identity(s, &id);
      }
    }
  }
  if (rc != SQLITE_OK) {
    if (!s->db) sh_error_io(d, path, 0, 0, "cannot open database: out of memory");
    else if ((rc & 0xff) == SQLITE_CANTOPEN) sh_error_io(d, path, 0, 0, "cannot open database: %s", sqlite3_errmsg(s->db));
    else identity_error(s, rc, d);
    close_store(&s->base);
    return NULL;
  }
  if (!check_identity(s, &id, d) || !version_readable(s, &id, d)) {
    close_store(&s->base);
    return NULL;
  }
  if (id.tables == 0) {
    sh_error_io(d, path, 0, 0, "an empty database: no run was ever recorded in it");
    close_store(&s->base);
    return NULL;
  }
  if (id.version < (int)NMIGRATIONS) {
    sh_error_io(d, path, 0, 0,
                "database schema version %d is older than this shinsa's (%d): run 'shinsa db migrate --db %s' first "
                "(this command only reads and changes nothing)",
                id.version, (int)NMIGRATIONS, path);
    close_store(&s->base);
    return NULL;
  }
  exec(s, "PRAGMA query_only = 1", d, N_("configuring"));
  return &s->base;
}

static sh_store *open_write(const char *path, bool must_exist, int *from, sh_diags *d) {
  sqlite_store *s = new_store(path);
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX | (must_exist ? 0 : SQLITE_OPEN_CREATE);
  if (sqlite3_open_v2(path, &s->db, flags, NULL) != SQLITE_OK) {
    sh_error_io(d, path, 0, 0, "cannot open database: %s", s->db ? sqlite3_errmsg(s->db) : _("out of memory"));
    close_store(&s->base);
    return NULL;
  }
  sqlite3_busy_timeout(s->db, 10000);
  sqlite3_extended_result_codes(s->db, 1);
  /* Before anything is written (the journal mode is written into the file): is it ours? */
  identity id;
  int rc = read_identity(s, &id);
  if (rc != SQLITE_OK) {
    identity_error(s, rc, d);
    close_store(&s->base);
    return NULL;
  }
  if (from) *from = id.version;
  if (!check_identity(s, &id, d) || !version_readable(s, &id, d)) {
    close_store(&s->base);
    return NULL;
  }
  bool current = id.app_id == SH_STORE_APPLICATION_ID && id.version == (int)NMIGRATIONS;
  if (exec(s, "PRAGMA journal_mode=WAL", d, N_("opening (is this a shinsa database?)")) ||
      exec(s, "PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL", d, N_("configuring")) ||
      (!current && migrate(s, from, d))) {
    close_store(&s->base);
    return NULL;
  }
  return &s->base;
}

sh_store *sh_store_sqlite_open(const char *path, sh_store_mode mode, sh_diags *d) {
  return mode == SH_STORE_READ ? open_read(path, d) : open_write(path, false, NULL, d);
}

int sh_store_sqlite_migrate(const char *path, int *from, int *to, sh_diags *d) {
  *from = *to = 0;
  if (access(path, F_OK) != 0) {
    sh_error_io(d, path, 0, 0, "no such database: %s", strerror(errno));
    return -1;
  }
  sh_store *s = open_write(path, true, from, d);
  if (!s) return -1;
  *to = (int)NMIGRATIONS;
  sh_store_close(s);
  return 0;
}

void *sh_store_sqlite_handle(sh_store *s) { return s && s->ops == &sqlite_ops ? ((sqlite_store *)s)->db : NULL; }
