/* store_pg: the PostgreSQL run store (libpq), the store a certifying body runs; every op of store.h with the
 * behaviour of the SQLite back end (store_sqlite*.c):
 * - the store lives in the first schema of the connection's search_path (URL option
 *   `options=-csearch_path%3DNAME`), marked as shinsa's by the table shinsa_meta (application id, schema version);
 *   versioned migrations below, applied by writing commands and `shinsa db migrate`, never by readers;
 * - every write is one transaction that first takes a transaction-scoped advisory lock of the store
 *   (pg_advisory_xact_lock): writers are serialised as with SQLite's BEGIN IMMEDIATE, which gives the audit chain
 *   one order; ids are assigned max+1 under that lock, as SQLite does, and audit_seq keeps the highest audit row
 *   handed out (transactional, unlike a sequence);
 * - reads that take several queries run in one REPEATABLE READ READ ONLY transaction (one snapshot);
 * - the audit log is computed by auditlog.c through an sh_audit_db made of this connection (same canonical
 *   content and chain as SQLite: text columns are COLLATE "C" so that ORDER BY sorts bytes as SQLite does);
 * - every value is a bound parameter (PQexecParams/PQexecPrepared); SQL text never contains user text.
 * Ownership: a pg_store owns its PGconn, its location (the URL without its password, for messages) and the names
 * of its prepared statements; results (PGresult) are cleared by the function that made them. */
#include "store.h"
#include "i18n.h"

#include "auditlog.h"
#include "clock.h"
#include "hash.h"
#include "review.h"
#include "roster.h"
#include "snapshot.h"
#include "store_pg.h"

#include "overlay.h"
#include "store_col.h"

#include <libpq-fe.h>
#include <openssl/rand.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  sh_store base;
  PGconn *c;
  sh_strmap stmts; /* SQL text -> prepared statement name (owned) */
  int nstmts;
  bool in_tx;
  bool readonly;
} pg_store;

#define T "TEXT COLLATE \"C\""
#define I "BIGINT"

/* Schema migrations: index k upgrades from version k to k+1 (never edit once released). PostgreSQL schema 1 holds
 * what SQLite schema 3 holds (the runs, snapshots, reviews, waivers, roster, revocations, audit log, store id). */
static const char *const migrations[] = {
  "CREATE TABLE shinsa_meta (application_id INTEGER NOT NULL, schema_version INTEGER NOT NULL);"
  "CREATE TABLE runs (id " I " PRIMARY KEY, recorded_at " T " NOT NULL, tool_version " T " NOT NULL,"
  "  applicant_name " T " NOT NULL, applicant_kind " T ", assessment_date " T " NOT NULL, evidence_dir " T " NOT NULL,"
  "  vocabulary " T " NOT NULL, exit_code " I " NOT NULL, must_failing " I " NOT NULL);"
  "CREATE TABLE run_frameworks (run_id " I " NOT NULL REFERENCES runs(id), framework_id " T " NOT NULL,"
  "  version " T " NOT NULL, sha256 " T " NOT NULL, file " T " NOT NULL, PRIMARY KEY (run_id, framework_id));"
  "CREATE TABLE run_inputs (run_id " I " NOT NULL REFERENCES runs(id), kind " T " NOT NULL, path " T " NOT NULL,"
  "  sha256 " T ", status " T " NOT NULL, PRIMARY KEY (run_id, kind, path));"
  "CREATE TABLE run_facts (run_id " I " NOT NULL REFERENCES runs(id), fact_id " T " NOT NULL, value " T " NOT NULL,"
  "  provenance " T " NOT NULL, origin " T ", line " I ", PRIMARY KEY (run_id, fact_id));"
  "CREATE TABLE results (run_id " I " NOT NULL REFERENCES runs(id), framework_id " T " NOT NULL,"
  "  item_id " T " NOT NULL, seq " I " NOT NULL, strength " T " NOT NULL, verdict " T " NOT NULL, item_group " T ","
  "  manual " I " NOT NULL, PRIMARY KEY (run_id, framework_id, item_id));"
  "CREATE TABLE reasons (run_id " I " NOT NULL, framework_id " T " NOT NULL, item_id " T " NOT NULL,"
  "  seq " I " NOT NULL, fact_id " T ", condition " T ", required " T ", actual " T ", message " T " NOT NULL,"
  "  PRIMARY KEY (run_id, framework_id, item_id, seq),"
  "  FOREIGN KEY (run_id, framework_id, item_id) REFERENCES results(run_id, framework_id, item_id));"
  "CREATE TABLE witnesses (run_id " I " NOT NULL, framework_id " T " NOT NULL, item_id " T " NOT NULL,"
  "  witness " T " NOT NULL, PRIMARY KEY (run_id, framework_id, item_id, witness));"
  "CREATE TABLE run_snapshot (run_id " I " PRIMARY KEY REFERENCES runs(id), applicant_name_en " T ","
  "  evidence_sha256 " T " NOT NULL);"
  "CREATE TABLE texts (sha256 " T " PRIMARY KEY, content BYTEA NOT NULL);"
  "CREATE TABLE run_texts (run_id " I " NOT NULL REFERENCES runs(id), kind " T " NOT NULL, seq " I " NOT NULL,"
  "  path " T " NOT NULL, sha256 " T " NOT NULL REFERENCES texts(sha256), PRIMARY KEY (run_id, kind, seq));"
  "CREATE TABLE run_documents (run_id " I " NOT NULL REFERENCES runs(id), seq " I " NOT NULL, path " T " NOT NULL,"
  "  title " T ", sha256_declared " T " NOT NULL, sha256_actual " T ", status " T " NOT NULL, issued " T ","
  "  valid_until " T ", attests " T " NOT NULL, PRIMARY KEY (run_id, seq));"
  "CREATE TABLE run_fact_values (run_id " I " NOT NULL REFERENCES runs(id), fact_id " T " NOT NULL,"
  "  raw " T " NOT NULL, provenance " T " NOT NULL, origin " T ", line " I ", documents " T " NOT NULL,"
  "  detail " T ", PRIMARY KEY (run_id, fact_id));"
  "CREATE TABLE run_data_items (run_id " I " NOT NULL REFERENCES runs(id), seq " I " NOT NULL,"
  "  item_id " T " NOT NULL, name_ja " T ", name_en " T ", level " I " NOT NULL, code " T ", purposes " T " NOT NULL,"
  "  recipients " T " NOT NULL, PRIMARY KEY (run_id, seq));"
  "CREATE TABLE run_findings (run_id " I " NOT NULL REFERENCES runs(id), seq " I " NOT NULL,"
  "  message " T " NOT NULL, PRIMARY KEY (run_id, seq));"
  "CREATE TABLE reviews (id " I " PRIMARY KEY, run_id " I " NOT NULL, framework_id " T " NOT NULL,"
  "  item_id " T " NOT NULL,"
  "  decision " T " NOT NULL CHECK (decision IN ('accept', 'reject', 'request-more')),"
  "  reviewer " T " NOT NULL, role " T " NOT NULL, note " T " NOT NULL, recorded_at " T " NOT NULL,"
  "  applicant " T ", fw_version " T ", evidence_fp " T ", basis " T ", signature " T ", roster_seq " I ","
  "  FOREIGN KEY (run_id, framework_id, item_id) REFERENCES results(run_id, framework_id, item_id));"
  "CREATE TABLE waivers (id " I " PRIMARY KEY, run_id " I " NOT NULL, framework_id " T " NOT NULL,"
  "  item_id " T " NOT NULL, approver " T " NOT NULL, justification " T " NOT NULL, scope " T " NOT NULL,"
  "  expires " T " NOT NULL, recorded_at " T " NOT NULL,"
  "  applicant " T ", fw_version " T ", evidence_fp " T ", basis " T ", signature " T ", roster_seq " I ","
  "  FOREIGN KEY (run_id, framework_id, item_id) REFERENCES results(run_id, framework_id, item_id));"
  "CREATE TABLE store_meta (store_id " T " NOT NULL);"
  "CREATE TABLE roster (id " I " PRIMARY KEY, reviewer " T " NOT NULL,"
  "  event " T " NOT NULL CHECK (event IN ('add', 'revoke')), roles " T " NOT NULL, public_key " T " NOT NULL,"
  "  key_fingerprint " T " NOT NULL, note " T " NOT NULL, recorded_at " T " NOT NULL);"
  "CREATE TABLE waiver_revocations (id " I " PRIMARY KEY, waiver_id " I " NOT NULL UNIQUE REFERENCES waivers(id),"
  "  revoked_by " T " NOT NULL, reason " T " NOT NULL, recorded_at " T " NOT NULL);"
  "CREATE TABLE audit_log (seq " I " PRIMARY KEY, recorded_at " T " NOT NULL,"
  "  kind " T " NOT NULL CHECK (kind IN ('run', 'review', 'waiver', 'roster', 'revocation')),"
  "  ref " I " NOT NULL, content " T " NOT NULL, prev_hash " T " NOT NULL, hash " T " NOT NULL);"
  /* rowid: the insertion order SQLite's audit_meta has implicitly (auditlog.c reads it). */
  "CREATE TABLE audit_meta (legacy_max_run " I " NOT NULL, rowid BIGSERIAL);"
  "INSERT INTO audit_meta (legacy_max_run) VALUES (0);"
  /* The highest audit row ever handed out (SQLite: sqlite_sequence), to find rows removed from the end. */
  "CREATE TABLE audit_seq (last " I " NOT NULL);"
  "INSERT INTO audit_seq VALUES (0);",
  /* 1 -> 2 (SQLite 3 -> 4): reasons and package findings keep their message key (the English msgid) and
   * arguments, so that a recorded run renders them in any report language; rows recorded before keep NULL. */
  "ALTER TABLE reasons ADD COLUMN msg_key " T ";"
  "ALTER TABLE reasons ADD COLUMN msg_args " T ";"
  "ALTER TABLE run_findings ADD COLUMN msg_key " T ";"
  "ALTER TABLE run_findings ADD COLUMN msg_args " T ";",
};
#define NMIGRATIONS ((int)(sizeof migrations / sizeof migrations[0]))

/* ---------- connection, statements, errors ---------- */

static char *trimmed(const char *msg) {
  char *m = sh_strdup(msg ? msg : "?");
  size_t n = strlen(m);
  while (n > 0 && (m[n - 1] == '\n' || m[n - 1] == ' ')) m[--n] = 0;
  return m;
}

static int dberr(pg_store *s, sh_diags *d, const char *what, const PGresult *r) {
  char *m = trimmed(r && PQresultErrorMessage(r)[0] ? PQresultErrorMessage(r) : PQerrorMessage(s->c));
  sh_error_io(d, s->base.location, 0, 0, "database error while %s: %s", _(what), m);
  free(m);
  return -1;
}

static bool res_ok(const PGresult *r) {
  ExecStatusType t = PQresultStatus(r);
  return t == PGRES_COMMAND_OK || t == PGRES_TUPLES_OK;
}

/* Parameters of one statement: text (NULL for SQL NULL), integers (as text) and binary BYTEA values. */
#define MAXP 16
typedef struct {
  const char *v[MAXP];
  int len[MAXP], fmt[MAXP];
  char ibuf[MAXP][24];
  int n;
} params;

static void p_text(params *p, const char *v) {
  p->v[p->n] = v, p->len[p->n] = 0, p->fmt[p->n] = 0;
  p->n++;
}
static void p_int(params *p, int64_t v) {
  snprintf(p->ibuf[p->n], sizeof p->ibuf[p->n], "%lld", (long long)v);
  p_text(p, p->ibuf[p->n]);
}
static void p_blob(params *p, const void *v, size_t n) {
  p->v[p->n] = v, p->len[p->n] = (int)n, p->fmt[p->n] = 1;
  p->n++;
}

/* Runs sql with the parameters; prepared once per connection (the same statements run once per item or per
 * run). resfmt 1: binary results. The caller clears the result. */
static PGresult *run(pg_store *s, const char *sql, const params *p, int resfmt) {
  const char *name = sh_strmap_get(&s->stmts, sql);
  if (!name) {
    char nm[24];
    snprintf(nm, sizeof nm, "sh%d", ++s->nstmts);
    PGresult *r = PQprepare(s->c, nm, sql, 0, NULL);
    bool ok = res_ok(r);
    if (!ok) return r;
    PQclear(r);
    sh_strmap_put(&s->stmts, sql, sh_strdup(nm));
    name = sh_strmap_get(&s->stmts, sql);
  }
  return PQexecPrepared(s->c, name, p ? p->n : 0, p ? p->v : NULL, p ? p->len : NULL, p ? p->fmt : NULL, resfmt);
}

/* A statement whose result is not needed. 0 or -1 with d. */
static int cmd(pg_store *s, const char *sql, const params *p, sh_diags *d, const char *what) {
  PGresult *r = run(s, sql, p, 0);
  int rc = res_ok(r) ? 0 : dberr(s, d, what, r);
  PQclear(r);
  return rc;
}

static int exec_plain(pg_store *s, const char *sql, sh_diags *d, const char *what) {
  PGresult *r = PQexec(s->c, sql);
  int rc = res_ok(r) ? 0 : dberr(s, d, what, r);
  PQclear(r);
  return rc;
}

static int64_t gint(const PGresult *r, int row, int c) { return strtoll(PQgetvalue(r, row, c), NULL, 10); }

/* Test hook (as store_sqlite_rv.c): SHINSA_FAULT=kill-before-commit kills the process after every row of a write
 * is in place but before COMMIT. */
static void fault_point(void) {
  const char *f = getenv("SHINSA_FAULT");
  if (f && strcmp(f, "kill-before-commit") == 0) raise(SIGKILL);
}

/* The store's advisory lock: (application id, hash of the schema), so that stores in other schemas of the same
 * database do not wait for each other. */
#define LOCK_SQL "SELECT pg_advisory_xact_lock(1397246286, hashtext(coalesce(current_schema(), '')))"

static int begin_write(pg_store *s, sh_diags *d) {
  if (exec_plain(s, "BEGIN", d, N_("starting a write transaction"))) return -1;
  s->in_tx = true;
  if (exec_plain(s, LOCK_SQL, d, N_("waiting for the store's write lock"))) {
    PQclear(PQexec(s->c, "ROLLBACK"));
    s->in_tx = false;
    return -1;
  }
  return 0;
}

static int finish_write(pg_store *s, int rc, sh_diags *d) {
  if (rc == 0) {
    fault_point();
    if (exec_plain(s, "COMMIT", d, N_("committing")) == 0) {
      s->in_tx = false;
      return 0;
    }
  }
  PQclear(PQexec(s->c, "ROLLBACK"));
  s->in_tx = false;
  return -1;
}

/* A read snapshot for reads of several queries; nothing when already inside a transaction. Returns whether it
 * began one (end it with end_read). */
static bool begin_read(pg_store *s) {
  if (s->in_tx) return false;
  PGresult *r = PQexec(s->c, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  bool ok = res_ok(r);
  PQclear(r);
  if (ok) s->in_tx = true;
  return ok;
}

static void end_read(pg_store *s, bool began) {
  if (!began) return;
  PQclear(PQexec(s->c, "COMMIT"));
  s->in_tx = false;
}

/* Checked column readers (store_col.h's rules for PostgreSQL): a NULL where shinsa always writes a value is damage,
 * reported once as "damaged store: TABLE.COLUMN holds NULL". */
static void pdamage(pg_store *s, sh_colchk *k, const PGresult *r, int c, const char *why) {
  if (k->bad) return;
  k->bad = true;
  k->why = why;
  snprintf(k->column, sizeof k->column, "%s", PQfname(r, c) ? PQfname(r, c) : "?");
  snprintf(k->table, sizeof k->table, "?");
  Oid t = PQftable(r, c);
  if (t != InvalidOid) {
    params p = {0};
    p_int(&p, (int64_t)t);
    PGresult *n = PQexecParams(s->c, "SELECT relname FROM pg_class WHERE oid = $1::oid", p.n, NULL, p.v, NULL, NULL, 0);
    if (res_ok(n) && PQntuples(n) == 1) snprintf(k->table, sizeof k->table, "%s", PQgetvalue(n, 0, 0));
    PQclear(n);
  }
}
static const char *ctext(pg_store *s, sh_colchk *k, const PGresult *r, int row, int c) {
  if (PQgetisnull(r, row, c)) {
    pdamage(s, k, r, c, "NULL");
    return "";
  }
  return PQgetvalue(r, row, c);
}
static const char *ctext_opt(const PGresult *r, int row, int c) {
  return PQgetisnull(r, row, c) ? NULL : PQgetvalue(r, row, c);
}
static int64_t cint(pg_store *s, sh_colchk *k, const PGresult *r, int row, int c) {
  if (PQgetisnull(r, row, c)) {
    pdamage(s, k, r, c, "NULL");
    return 0;
  }
  return gint(r, row, c);
}
static int64_t cint_opt(const PGresult *r, int row, int c) { return PQgetisnull(r, row, c) ? 0 : gint(r, row, c); }
static char *dup_opt(const PGresult *r, int row, int c) { return sh_strdup(ctext_opt(r, row, c)); }

/* ---------- the audit log's view of this connection ---------- */

static uint64_t be(const unsigned char *p, int n) {
  uint64_t v = 0;
  for (int i = 0; i < n; i++) v = v << 8 | p[i];
  return v;
}

/* Rows of a binary-format result as typed values, to fn. Returns the rows passed. */
static int walk(PGresult *r, sh_av_row_fn fn, void *u) {
  int rows = PQntuples(r), ncol = PQnfields(r), n = 0;
  if (ncol > 32) ncol = 32;
  sh_av v[32];
  for (int i = 0; i < rows; i++) {
    for (int c = 0; c < ncol; c++) {
      sh_av *x = &v[c];
      memset(x, 0, sizeof *x);
      if (PQgetisnull(r, i, c)) continue; /* SH_AV_NULL */
      const unsigned char *b = (const unsigned char *)PQgetvalue(r, i, c);
      int len = PQgetlength(r, i, c);
      switch (PQftype(r, c)) {
      case 20: x->type = SH_AV_INT, x->i = (int64_t)be(b, 8); break;           /* int8 */
      case 23: x->type = SH_AV_INT, x->i = (int32_t)(uint32_t)be(b, 4); break; /* int4 */
      case 21: x->type = SH_AV_INT, x->i = (int16_t)(uint16_t)be(b, 2); break; /* int2 */
      case 701: {                                                             /* float8 */
        uint64_t w = be(b, 8);
        x->type = SH_AV_FLOAT;
        memcpy(&x->f, &w, sizeof x->f);
        break;
      }
      case 17: x->type = SH_AV_BLOB, x->p = (const char *)b, x->n = (size_t)len; break; /* bytea */
      default: x->type = SH_AV_TEXT, x->p = (const char *)b, x->n = (size_t)len;       /* text: its bytes */
      }
    }
    n++;
    if (fn && fn(u, v, ncol)) break;
  }
  return n;
}

/* auditlog.c's SQL is common to both back ends: its `?` placeholders become $1, all bound to the one value. */
static int each_param(pg_store *s, const char *sql, const params *p, sh_av_row_fn fn, void *u) {
  sh_buf q = {0};
  for (const char *c = sql; *c; c++) {
    if (*c == '?') sh_buf_puts(&q, "$1");
    else sh_buf_putc(&q, *c);
  }
  params none = {0};
  PGresult *r = run(s, sh_buf_str(&q), strchr(sql, '?') ? p : &none, 1);
  sh_buf_free(&q);
  int n = res_ok(r) ? walk(r, fn, u) : -1;
  PQclear(r);
  return n;
}

static int pg_each(sh_audit_db *a, const char *sql, int64_t id, sh_av_row_fn fn, void *u) {
  params p = {0};
  p_int(&p, id);
  return each_param(a->ctx, sql, &p, fn, u);
}

static int pg_each_str(sh_audit_db *a, const char *sql, const char *str, sh_av_row_fn fn, void *u) {
  params p = {0};
  p_text(&p, str);
  return each_param(a->ctx, sql, &p, fn, u);
}

static int pg_insert(sh_audit_db *a, const char *recorded_at, const char *kind, int64_t ref, const char *content,
                     size_t clen, const char *prev, const char *hash) {
  pg_store *s = a->ctx;
  PGresult *r = run(s, "UPDATE audit_seq SET last = last + 1 RETURNING last", NULL, 0);
  if (!res_ok(r) || PQntuples(r) != 1) {
    PQclear(r);
    return -1;
  }
  int64_t seq = gint(r, 0, 0);
  PQclear(r);
  (void)clen; /* text: PostgreSQL text holds no NUL byte, content is NUL-terminated */
  params p = {0};
  p_int(&p, seq);
  p_text(&p, recorded_at);
  p_text(&p, kind);
  p_int(&p, ref);
  p_text(&p, content);
  p_text(&p, prev);
  p_text(&p, hash);
  r = run(s, "INSERT INTO audit_log (seq, recorded_at, kind, ref, content, prev_hash, hash)"
             " VALUES ($1,$2,$3,$4,$5,$6,$7)", &p, 0);
  int rc = res_ok(r) ? 0 : -1;
  PQclear(r);
  return rc;
}

static int pg_high_water(sh_audit_db *a, int64_t *out) {
  pg_store *s = a->ctx;
  *out = 0;
  PGresult *r = run(s, "SELECT last FROM audit_seq", NULL, 0);
  int rc = res_ok(r) ? 0 : -1;
  if (rc == 0 && PQntuples(r) > 0 && !PQgetisnull(r, 0, 0)) *out = gint(r, 0, 0);
  PQclear(r);
  return rc;
}

static const char *pg_errmsg(sh_audit_db *a) { return PQerrorMessage(((pg_store *)a->ctx)->c); }

static sh_audit_db audit_db(pg_store *s) {
  return (sh_audit_db){.each = pg_each, .each_str = pg_each_str, .insert = pg_insert, .high_water = pg_high_water, .errmsg = pg_errmsg, .ctx = s};
}

static int log_append(pg_store *s, const char *kind, int64_t ref, const char *at, sh_diags *d) {
  sh_audit_db a = audit_db(s);
  return sh_auditlog_append_db(&a, s->base.location, kind, ref, at, d);
}

/* The next id of a table (max + 1, as SQLite assigns), under the write lock. table is a constant. */
static int next_id(pg_store *s, const char *sql, int64_t *out, sh_diags *d) {
  PGresult *r = run(s, sql, NULL, 0);
  if (!res_ok(r) || PQntuples(r) != 1) {
    dberr(s, d, N_("assigning an id"), r);
    PQclear(r);
    return -1;
  }
  *out = gint(r, 0, 0);
  PQclear(r);
  return 0;
}

/* ---------- recording a run ---------- */

static void now_iso(char buf[32]) { sh_now_iso(buf); }

static char *join_facts(const sh_vec *facts) {
  sh_buf b = {0};
  for (size_t i = 0; i < facts->n; i++) sh_buf_printf(&b, "%s%s", i ? "\n" : "", ((const sh_fact *)facts->v[i])->id);
  return sh_buf_steal(&b);
}

/* Stores a text (content-addressed) and names it in run_texts by name. */
static int save_bytes(pg_store *s, int64_t run_id, const char *kind, int seq, const char *name, const char *data,
                      size_t len, sh_diags *d) {
  char hx[65];
  sh_sha256_hex(data, len, hx);
  params a = {0}, b = {0};
  p_text(&a, hx);
  p_blob(&a, data, len);
  p_int(&b, run_id);
  p_text(&b, kind);
  p_int(&b, seq);
  p_text(&b, name);
  p_text(&b, hx);
  return cmd(s, "INSERT INTO texts VALUES ($1,$2) ON CONFLICT DO NOTHING", &a, d, N_("recording input texts")) ||
                 cmd(s, "INSERT INTO run_texts VALUES ($1,$2,$3,$4,$5)", &b, d, N_("recording input texts"))
             ? -1
             : 0;
}

/* Stores a file's text (content-addressed) and names it in run_texts by name (read from path). */
static int save_text(pg_store *s, int64_t run_id, const char *kind, int seq, const char *path, const char *name,
                     const char *expect_sha, sh_diags *d) {
  char *data, hx[65];
  size_t len;
  if (sh_store_input_text(path, NULL, 0, expect_sha, &data, &len, hx, d) != 0) return -1;
  int rc = save_bytes(s, run_id, kind, seq, name, data, len, d);
  free(data);
  return rc;
}

typedef struct {
  const char *kind, *path, *sha;
  char *owned_sha;
  const char *status;
} input_row;

/* run_inputs rows: a later row with the same kind and path replaces the earlier one (SQLite: INSERT OR REPLACE). */
static void add_input(sh_vec *rows, const char *kind, const char *path, const char *sha, char *owned,
                      const char *status) {
  for (size_t i = 0; i < rows->n; i++) {
    input_row *r = rows->v[i];
    if (strcmp(r->kind, kind) == 0 && strcmp(r->path, path) == 0) {
      free(r->owned_sha);
      r->sha = sha, r->owned_sha = owned, r->status = status;
      return;
    }
  }
  input_row *r = sh_calloc(1, sizeof *r);
  *r = (input_row){kind, path, sha, owned, status};
  sh_vec_push(rows, r);
}

static void input_row_free(void *p) {
  input_row *r = p;
  if (r) free(r->owned_sha);
  free(r);
}

static int snapshot_rows(pg_store *s, int64_t run_id, const sh_evaluation *e, const sh_vocab *vocab,
                         const char *data_dir, sh_diags *d) {
  const sh_evidence *ev = e->evidence;
  if (!vocab) vocab = ev->vocab;
  params p = {0};
  p_int(&p, run_id);
  p_text(&p, ev->applicant_name_en);
  p_text(&p, ev->sha256);
  if (cmd(s, "INSERT INTO run_snapshot VALUES ($1,$2,$3)", &p, d, N_("recording the run snapshot"))) return -1;
  for (size_t i = 0; vocab && i < vocab->files.n; i++)
    if (save_text(s, run_id, "vocabulary", (int)i, vocab->files.v[i], sh_store_rel_name(vocab->files.v[i], data_dir),
                  NULL, d))
      return -1;
  for (size_t i = 0; i < e->frameworks.n; i++) {
    const sh_framework *fw = e->frameworks.v[i];
    if (save_text(s, run_id, "framework", (int)i, fw->file, sh_store_rel_name(fw->file, data_dir), fw->sha256, d))
      return -1;
  }
  int nov = 0; /* the overlays applied to the run's frameworks, in order (re-applied by snapshots) */
  for (size_t i = 0; i < e->frameworks.n; i++) {
    const sh_framework *fw = e->frameworks.v[i];
    for (size_t k = 0; k < fw->overlays.n; k++) {
      const sh_overlay *ov = fw->overlays.v[k];
      if (ov->text &&
          save_bytes(s, run_id, "overlay", nov++, sh_store_rel_name(ov->file, data_dir), ov->text, ov->text_len, d))
        return -1;
    }
  }
  size_t alen = 0;
  char *atext = sh_snapshot_answers_text(e, &alen);
  int arc = atext ? save_bytes(s, run_id, SH_SNAP_ANSWERS_KIND, 0, SH_SNAP_ANSWERS_PATH, atext, alen, d) : 0;
  free(atext);
  if (arc) return -1;
  for (size_t i = 0; i < ev->documents.n; i++) {
    const sh_document *dc = ev->documents.v[i];
    char di[11], dv[11];
    char *att = join_facts(&dc->attests);
    params q = {0};
    p_int(&q, run_id);
    p_int(&q, (int64_t)i);
    p_text(&q, dc->path);
    p_text(&q, dc->title);
    p_text(&q, dc->sha256_declared);
    p_text(&q, dc->sha256_actual[0] ? dc->sha256_actual : NULL);
    p_text(&q, sh_doc_status_name(dc->status));
    if (dc->has_issued) sh_date_format(dc->issued, di);
    p_text(&q, dc->has_issued ? di : NULL);
    if (dc->has_valid_until) sh_date_format(dc->valid_until, dv);
    p_text(&q, dc->has_valid_until ? dv : NULL);
    p_text(&q, att);
    int rc = cmd(s, "INSERT INTO run_documents VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)", &q, d, N_("recording documents"));
    free(att);
    if (rc) return -1;
  }
  for (size_t i = 0; i < ev->nvalues; i++) {
    const sh_fact_value *fv = ev->values[i];
    if (!fv) continue;
    char *raw = sh_value_raw(fv->fact, &fv->value);
    sh_buf docs = {0};
    for (size_t k = 0; k < fv->documents.n; k++)
      sh_buf_printf(&docs, "%s%s", k ? "\n" : "", ((const sh_document *)fv->documents.v[k])->path);
    params q = {0};
    p_int(&q, run_id);
    p_text(&q, fv->fact->id);
    p_text(&q, raw);
    p_text(&q, sh_prov_name(fv->prov));
    p_text(&q, fv->origin);
    if (fv->line > 0) p_int(&q, fv->line);
    else p_text(&q, NULL);
    p_text(&q, sh_buf_str(&docs));
    p_text(&q, fv->detail);
    int rc = cmd(s, "INSERT INTO run_fact_values VALUES ($1,$2,$3,$4,$5,$6,$7,$8)", &q, d, N_("recording fact values"));
    free(raw);
    sh_buf_free(&docs);
    if (rc) return -1;
  }
  for (size_t i = 0; i < ev->data_items.n; i++) {
    const sh_data_item *di = ev->data_items.v[i];
    char *pu = sh_store_join_lines(&di->purposes), *re = sh_store_join_lines(&di->recipients);
    params q = {0};
    p_int(&q, run_id);
    p_int(&q, (int64_t)i);
    p_text(&q, di->id);
    p_text(&q, di->name.ja);
    p_text(&q, di->name.en);
    p_int(&q, di->level);
    p_text(&q, di->code);
    p_text(&q, pu);
    p_text(&q, re);
    int rc = cmd(s, "INSERT INTO run_data_items VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)", &q, d, N_("recording data items"));
    free(pu);
    free(re);
    if (rc) return -1;
  }
  for (size_t i = 0; i < e->findings.n; i++) {
    params q = {0};
    p_int(&q, run_id);
    p_int(&q, (int64_t)i);
    const sh_reason *fi = e->findings.v[i];
    char *args = sh_snapshot_reason_args(fi);
    p_text(&q, fi->message);
    p_text(&q, fi->key);
    p_text(&q, args);
    int rc = cmd(s, "INSERT INTO run_findings (run_id, seq, message, msg_key, msg_args) VALUES ($1,$2,$3,$4,$5)", &q, d,
                 N_("recording findings"));
    free(args);
    if (rc) return -1;
  }
  return 0;
}

static int record_run(sh_store *base, const sh_evaluation *e, const sh_run_meta *meta, int64_t *out_id, sh_diags *d) {
  pg_store *s = (pg_store *)base;
  const sh_evidence *ev = e->evidence;
  const char *ddir = meta ? meta->data_dir : NULL;
  if (begin_write(s, d)) return -1;
  int rc = -1;
  sh_vec inputs = {0};
  int64_t id = 0;
  if (next_id(s, "SELECT coalesce(max(id), 0) + 1 FROM runs", &id, d)) goto done;
  char now[32], adate[11];
  if (meta && meta->recorded_at) snprintf(now, sizeof now, "%s", meta->recorded_at);
  else now_iso(now);
  sh_date_format(ev->assessment_date, adate);
  char *vocab = meta && meta->vocab ? sh_printf("%s@%s", meta->vocab->id, meta->vocab->version) : sh_strdup("?");
  params p = {0};
  p_int(&p, id);
  p_text(&p, now);
  p_text(&p, meta && meta->tool_version ? meta->tool_version : "?");
  p_text(&p, ev->applicant_name);
  p_text(&p, ev->applicant_kind);
  p_text(&p, adate);
  char *pkg = sh_printf("sha256:%s", ev->sha256); /* the package by content, never by its machine path */
  p_text(&p, pkg);
  p_text(&p, vocab);
  p_int(&p, meta ? meta->exit_code : 0);
  p_int(&p, (int64_t)e->must_failing);
  int c = cmd(s, "INSERT INTO runs (id, recorded_at, tool_version, applicant_name, applicant_kind, assessment_date,"
                 " evidence_dir, vocabulary, exit_code, must_failing) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)",
              &p, d, N_("recording the run"));
  free(vocab);
  free(pkg);
  if (c) goto done;
  for (size_t i = 0; i < e->frameworks.n; i++) {
    const sh_framework *fw = e->frameworks.v[i];
    params q = {0};
    p_int(&q, id);
    p_text(&q, fw->id);
    p_text(&q, fw->version);
    p_text(&q, fw->sha256);
    p_text(&q, sh_store_rel_name(fw->file, ddir));
    if (cmd(s, "INSERT INTO run_frameworks VALUES ($1,$2,$3,$4,$5)", &q, d, N_("recording frameworks"))) goto done;
  }
  /* Input files: evidence.yaml, every document, the vocabulary files, the framework files. */
  add_input(&inputs, "evidence", SH_EVIDENCE_NAME, ev->sha256, NULL, "ok");
  for (size_t i = 0; i < ev->documents.n; i++) {
    const sh_document *dc = ev->documents.v[i];
    add_input(&inputs, "document", dc->path, dc->sha256_actual[0] ? dc->sha256_actual : NULL, NULL,
              sh_doc_status_name(dc->status));
  }
  if (meta && meta->vocab) {
    for (size_t i = 0; i < meta->vocab->files.n; i++) {
      const char *path = meta->vocab->files.v[i];
      char hx[65];
      bool ok = sh_sha256_file(path, SH_YAML_MAX_BYTES, hx) == 0;
      char *own = ok ? sh_strdup(hx) : NULL;
      add_input(&inputs, "vocabulary", sh_store_rel_name(path, ddir), own, own, ok ? "ok" : "unreadable");
    }
  }
  for (size_t i = 0; i < e->frameworks.n; i++) {
    const sh_framework *fw = e->frameworks.v[i];
    add_input(&inputs, "framework", sh_store_rel_name(fw->file, ddir), fw->sha256, NULL, "ok");
  }
  for (size_t i = 0; i < inputs.n; i++) {
    const input_row *r = inputs.v[i];
    params q = {0};
    p_int(&q, id);
    p_text(&q, r->kind);
    p_text(&q, r->path);
    p_text(&q, r->sha);
    p_text(&q, r->status);
    if (cmd(s, "INSERT INTO run_inputs VALUES ($1,$2,$3,$4,$5)", &q, d, N_("recording inputs"))) goto done;
  }
  for (size_t i = 0; i < e->results.n; i++) {
    const sh_result *r = e->results.v[i];
    const sh_item *it = r->item;
    params q = {0};
    p_int(&q, id);
    p_text(&q, it->fw->id);
    p_text(&q, it->id);
    p_int(&q, (int64_t)i);
    p_text(&q, sh_strength_name(it->strength));
    p_text(&q, sh_verdict_name(r->verdict));
    p_text(&q, it->group);
    p_int(&q, it->manual);
    if (cmd(s, "INSERT INTO results VALUES ($1,$2,$3,$4,$5,$6,$7,$8)", &q, d, N_("recording results"))) goto done;
    for (size_t k = 0; k < r->reasons.n; k++) {
      const sh_reason *re = r->reasons.v[k];
      params x = {0};
      p_int(&x, id);
      p_text(&x, it->fw->id);
      p_text(&x, it->id);
      p_int(&x, (int64_t)k);
      p_text(&x, re->fact ? re->fact->id : NULL);
      p_text(&x, re->condition);
      p_text(&x, re->required);
      p_text(&x, re->actual);
      p_text(&x, re->message);
      char *args = sh_snapshot_reason_args(re);
      p_text(&x, re->key);
      p_text(&x, args);
      int rc1 = cmd(s, "INSERT INTO reasons (run_id, framework_id, item_id, seq, fact_id, condition, required, actual,"
                       " message, msg_key, msg_args) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)", &x, d,
                    N_("recording reasons"));
      free(args);
      if (rc1) goto done;
    }
    for (size_t k = 0; k < r->witnesses.n; k++) {
      params x = {0};
      p_int(&x, id);
      p_text(&x, it->fw->id);
      p_text(&x, it->id);
      p_text(&x, r->witnesses.v[k]);
      if (cmd(s, "INSERT INTO witnesses VALUES ($1,$2,$3,$4) ON CONFLICT DO NOTHING", &x, d, N_("recording witnesses")))
        goto done;
    }
  }
  if (snapshot_rows(s, id, e, meta ? meta->vocab : NULL, ddir, d)) goto done;
  now_iso(now);
  if (log_append(s, "run", id, now, d)) goto done;
  rc = 0;
done:
  sh_vec_free_all(&inputs, input_row_free);
  if (finish_write(s, rc, d)) return -1;
  *out_id = id;
  return 0;
}

static int cmp_id(const void *a, const void *b) {
  int64_t x = (*(sh_run_summary *const *)a)->id, y = (*(sh_run_summary *const *)b)->id;
  return x < y ? -1 : x > y;
}

static sh_run_summary *find_run(sh_vec *runs, size_t from, int64_t id) {
  sh_run_summary key = {.id = id}, *kp = &key;
  sh_run_summary **f = bsearch(&kp, runs->v + from, runs->n - from, sizeof *runs->v, cmp_id);
  return f ? *f : NULL;
}

/* Three queries for the whole history (not three per run). */
static int list_runs(sh_store *base, sh_vec *out, sh_diags *d) {
  pg_store *s = (pg_store *)base;
  bool began = begin_read(s);
  PGresult *r = run(s, "SELECT id, recorded_at, applicant_name, assessment_date, exit_code FROM runs ORDER BY id",
                    NULL, 0);
  PGresult *f = NULL, *c = NULL;
  int rc = -1;
  size_t from = out->n;
  if (!res_ok(r)) {
    dberr(s, d, N_("listing runs"), r);
    goto done;
  }
  sh_colchk k = {0};
  for (int i = 0; i < PQntuples(r); i++) {
    sh_run_summary *x = sh_calloc(1, sizeof *x);
    x->id = cint(s, &k, r, i, 0);
    x->recorded_at = sh_strdup(ctext(s, &k, r, i, 1));
    x->applicant = sh_strdup(ctext(s, &k, r, i, 2));
    x->assessment_date = sh_strdup(ctext(s, &k, r, i, 3));
    x->exit_code = (int)cint(s, &k, r, i, 4);
    sh_vec_push(out, x);
  }
  f = run(s, "SELECT run_id, framework_id, version FROM run_frameworks ORDER BY run_id, framework_id", NULL, 0);
  c = run(s, "SELECT run_id, verdict, count(*) FROM results GROUP BY run_id, verdict", NULL, 0);
  if (!res_ok(f) || !res_ok(c)) {
    dberr(s, d, N_("listing runs"), res_ok(f) ? c : f);
    goto done;
  }
  sh_buf b = {0};
  for (int i = 0; i < PQntuples(f);) {
    int64_t id = gint(f, i, 0);
    b.len = 0;
    int j = i;
    for (; j < PQntuples(f) && gint(f, j, 0) == id; j++)
      sh_buf_printf(&b, "%s%s@%s", j > i ? ", " : "", ctext(s, &k, f, j, 1), ctext(s, &k, f, j, 2));
    sh_run_summary *x = find_run(out, from, id);
    if (x) free(x->frameworks), x->frameworks = sh_strdup(sh_buf_str(&b));
    i = j;
  }
  sh_buf_free(&b);
  for (size_t i = from; i < out->n; i++) {
    sh_run_summary *x = out->v[i];
    if (!x->frameworks) x->frameworks = sh_strdup("");
  }
  for (int i = 0; i < PQntuples(c); i++) {
    sh_run_summary *x = find_run(out, from, gint(c, i, 0));
    const char *v = ctext(s, &k, c, i, 1);
    for (int j = 0; x && j < SH_V__COUNT; j++)
      if (strcmp(v, sh_verdict_name((sh_verdict)j)) == 0) x->counts[j] = (size_t)gint(c, i, 2);
  }
  if (sh_colchk_report(&k, s->base.location, N_("listing runs"), d)) goto done;
  rc = 0;
done:
  PQclear(r);
  PQclear(f);
  PQclear(c);
  end_read(s, began);
  return rc;
}

/* ---------- reviews and waivers ---------- */

static int check_item(pg_store *s, int64_t run_id, const char *fw, const char *item, sh_diags *d) {
  params p = {0};
  p_int(&p, run_id);
  p_text(&p, fw);
  p_text(&p, item);
  PGresult *r = run(s, "SELECT (SELECT count(*) FROM runs WHERE id = $1),"
                       " (SELECT count(*) FROM results WHERE run_id = $1 AND framework_id = $2 AND item_id = $3)",
                    &p, 0);
  int rc = -1;
  if (!res_ok(r) || PQntuples(r) != 1) dberr(s, d, N_("looking up the item"), r);
  else if (gint(r, 0, 0) == 0) sh_error_io(d, s->base.location, 0, 0, "no run %lld in this database", (long long)run_id);
  else if (gint(r, 0, 1) == 0)
    sh_error_io(d, s->base.location, 0, 0, "run %lld has no item %s:%s (see 'shinsa report %lld')", (long long)run_id,
                fw, item, (long long)run_id);
  else rc = 0;
  PQclear(r);
  return rc;
}

static int record_review(sh_store *base, const sh_review *r, int64_t *out_id, sh_diags *d) {
  pg_store *s = (pg_store *)base;
  if (begin_write(s, d)) return -1;
  int64_t id = 0;
  int rc = check_item(s, r->run_id, r->framework_id, r->item_id, d);
  if (rc == 0) rc = next_id(s, "SELECT coalesce(max(id), 0) + 1 FROM reviews", &id, d);
  char now[32];
  if (r->recorded_at) snprintf(now, sizeof now, "%s", r->recorded_at);
  else now_iso(now);
  if (rc == 0) {
    params p = {0};
    p_int(&p, id);
    p_int(&p, r->run_id);
    p_text(&p, r->framework_id);
    p_text(&p, r->item_id);
    p_text(&p, sh_decision_name(r->decision));
    p_text(&p, r->reviewer);
    p_text(&p, r->role);
    p_text(&p, r->note ? r->note : "");
    p_text(&p, now);
    p_text(&p, r->applicant);
    p_text(&p, r->fw_version);
    p_text(&p, r->evidence_fp);
    p_text(&p, r->basis);
    p_text(&p, r->signature);
    rc = cmd(s, "INSERT INTO reviews (id, run_id, framework_id, item_id, decision, reviewer, role, note, recorded_at,"
                " applicant, fw_version, evidence_fp, basis, signature, roster_seq)"
                " VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,(SELECT coalesce(max(id), 0) FROM roster))",
             &p, d, N_("recording the review"));
  }
  if (rc == 0) rc = log_append(s, "review", id, now, d);
  if (finish_write(s, rc, d)) return -1;
  *out_id = id;
  return 0;
}

static int record_waiver(sh_store *base, const sh_waiver *w, int64_t *out_id, sh_diags *d) {
  pg_store *s = (pg_store *)base;
  if (begin_write(s, d)) return -1;
  int64_t id = 0;
  int rc = check_item(s, w->run_id, w->framework_id, w->item_id, d);
  if (rc == 0) rc = next_id(s, "SELECT coalesce(max(id), 0) + 1 FROM waivers", &id, d);
  char now[32];
  if (w->recorded_at) snprintf(now, sizeof now, "%s", w->recorded_at);
  else now_iso(now);
  if (rc == 0) {
    params p = {0};
    p_int(&p, id);
    p_int(&p, w->run_id);
    p_text(&p, w->framework_id);
    p_text(&p, w->item_id);
    p_text(&p, w->approver);
    p_text(&p, w->justification);
    p_text(&p, w->scope);
    p_text(&p, w->expires);
    p_text(&p, now);
    p_text(&p, w->applicant);
    p_text(&p, w->fw_version);
    p_text(&p, w->evidence_fp);
    p_text(&p, w->basis);
    p_text(&p, w->signature);
    rc = cmd(s, "INSERT INTO waivers (id, run_id, framework_id, item_id, approver, justification, scope, expires,"
                " recorded_at, applicant, fw_version, evidence_fp, basis, signature, roster_seq)"
                " VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,(SELECT coalesce(max(id), 0) FROM roster))",
             &p, d, N_("recording the waiver"));
  }
  if (rc == 0) rc = log_append(s, "waiver", id, now, d);
  if (finish_write(s, rc, d)) return -1;
  *out_id = id;
  return 0;
}

#define REVIEW_COLS                                                                                            \
  "SELECT v.id, v.run_id, v.framework_id, v.item_id, v.decision, v.reviewer, v.role, v.note, v.recorded_at,"   \
  " v.applicant, v.fw_version, v.evidence_fp, v.basis, v.signature, v.roster_seq FROM reviews v"
#define WAIVER_COLS                                                                                            \
  "SELECT v.id, v.run_id, v.framework_id, v.item_id, v.approver, v.justification, v.scope, v.expires,"        \
  " v.recorded_at, v.applicant, v.fw_version, v.evidence_fp, v.basis, v.signature, v.roster_seq,"             \
  " x.recorded_at, x.revoked_by, x.reason FROM waivers v LEFT JOIN waiver_revocations x ON x.waiver_id = v.id"
#define SAME_APPLICANT                                                                                         \
  " WHERE v.run_id IN (SELECT id FROM runs WHERE id <= $1 AND applicant_name ="                                \
  " (SELECT applicant_name FROM runs WHERE id = $1)) ORDER BY v.id"

static int list_reviews_sql(pg_store *s, const char *sql, int64_t run_id, sh_vec *out, sh_diags *d) {
  params p = {0};
  if (run_id >= 0) p_int(&p, run_id);
  PGresult *r = run(s, sql, &p, 0);
  if (!res_ok(r)) {
    dberr(s, d, N_("listing reviews"), r);
    PQclear(r);
    return -1;
  }
  sh_colchk k = {0};
  for (int i = 0; i < PQntuples(r); i++) {
    sh_review *x = sh_calloc(1, sizeof *x);
    x->id = cint(s, &k, r, i, 0);
    x->run_id = cint(s, &k, r, i, 1);
    x->framework_id = sh_strdup(ctext(s, &k, r, i, 2));
    x->item_id = sh_strdup(ctext(s, &k, r, i, 3));
    if (!sh_decision_parse(ctext(s, &k, r, i, 4), &x->decision)) {
      pdamage(s, &k, r, 4, N_("an unknown decision"));
      x->decision = SH_DEC_REQUEST_MORE;
    }
    x->reviewer = sh_strdup(ctext(s, &k, r, i, 5));
    x->role = sh_strdup(ctext(s, &k, r, i, 6));
    x->note = sh_strdup(ctext(s, &k, r, i, 7));
    x->recorded_at = sh_strdup(ctext(s, &k, r, i, 8));
    x->applicant = dup_opt(r, i, 9);
    x->fw_version = dup_opt(r, i, 10);
    x->evidence_fp = dup_opt(r, i, 11);
    x->basis = dup_opt(r, i, 12);
    x->signature = dup_opt(r, i, 13);
    x->roster_seq = cint_opt(r, i, 14);
    sh_vec_push(out, x);
  }
  PQclear(r);
  return sh_colchk_report(&k, s->base.location, N_("listing reviews"), d);
}

static int list_waivers_sql(pg_store *s, const char *sql, int64_t run_id, sh_vec *out, sh_diags *d) {
  params p = {0};
  if (run_id >= 0) p_int(&p, run_id);
  PGresult *r = run(s, sql, &p, 0);
  if (!res_ok(r)) {
    dberr(s, d, N_("listing waivers"), r);
    PQclear(r);
    return -1;
  }
  sh_colchk k = {0};
  for (int i = 0; i < PQntuples(r); i++) {
    sh_waiver *w = sh_calloc(1, sizeof *w);
    w->id = cint(s, &k, r, i, 0);
    w->run_id = cint(s, &k, r, i, 1);
    w->framework_id = sh_strdup(ctext(s, &k, r, i, 2));
    w->item_id = sh_strdup(ctext(s, &k, r, i, 3));
    w->approver = sh_strdup(ctext(s, &k, r, i, 4));
    w->justification = sh_strdup(ctext(s, &k, r, i, 5));
    w->scope = sh_strdup(ctext(s, &k, r, i, 6));
    w->expires = sh_strdup(ctext(s, &k, r, i, 7));
    w->recorded_at = sh_strdup(ctext(s, &k, r, i, 8));
    w->applicant = dup_opt(r, i, 9);
    w->fw_version = dup_opt(r, i, 10);
    w->evidence_fp = dup_opt(r, i, 11);
    w->basis = dup_opt(r, i, 12);
    w->signature = dup_opt(r, i, 13);
    w->roster_seq = cint_opt(r, i, 14);
    w->revoked_at = dup_opt(r, i, 15);
    w->revoked_by = dup_opt(r, i, 16);
    w->revoke_reason = dup_opt(r, i, 17);
    sh_vec_push(out, w);
  }
  PQclear(r);
  return sh_colchk_report(&k, s->base.location, N_("listing waivers"), d);
}

static int list_reviews(sh_store *b, int64_t run_id, sh_vec *out, sh_diags *d) {
  return list_reviews_sql((pg_store *)b, REVIEW_COLS " WHERE v.run_id = $1 ORDER BY v.id", run_id, out, d);
}
static int list_waivers(sh_store *b, int64_t run_id, sh_vec *out, sh_diags *d) {
  return list_waivers_sql((pg_store *)b, WAIVER_COLS " WHERE v.run_id = $1 ORDER BY v.id", run_id, out, d);
}
static int list_reviews_carry(sh_store *b, int64_t run_id, sh_vec *out, sh_diags *d) {
  return list_reviews_sql((pg_store *)b, REVIEW_COLS SAME_APPLICANT, run_id, out, d);
}
static int list_waivers_carry(sh_store *b, int64_t run_id, sh_vec *out, sh_diags *d) {
  return list_waivers_sql((pg_store *)b, WAIVER_COLS SAME_APPLICANT, run_id, out, d);
}
static int list_all_reviews(sh_store *b, sh_vec *out, sh_diags *d) {
  return list_reviews_sql((pg_store *)b, REVIEW_COLS " ORDER BY v.id", -1, out, d);
}
static int list_all_waivers(sh_store *b, sh_vec *out, sh_diags *d) {
  return list_waivers_sql((pg_store *)b, WAIVER_COLS " ORDER BY v.id", -1, out, d);
}

/* ---------- roster, revocations, store id, log anchors ---------- */

static int store_id(sh_store *b, char out[65], sh_diags *d) {
  pg_store *s = (pg_store *)b;
  PGresult *r = run(s, "SELECT store_id FROM store_meta", NULL, 0);
  int rc = -1;
  if (!res_ok(r)) dberr(s, d, N_("reading the store id"), r);
  else if (PQntuples(r) == 0 || PQgetisnull(r, 0, 0))
    sh_error(d, s->base.location, 0, 0, "the store has no id (store_meta is empty): the database was altered");
  else {
    snprintf(out, 65, "%s", PQgetvalue(r, 0, 0));
    rc = 0;
  }
  PQclear(r);
  return rc;
}

static int active(pg_store *s, const char *who, int *out, sh_diags *d) {
  params p = {0};
  p_text(&p, who);
  PGresult *r = run(s, "SELECT event FROM roster WHERE reviewer = $1 ORDER BY id DESC LIMIT 1", &p, 0);
  int rc = 0;
  if (!res_ok(r)) rc = dberr(s, d, N_("reading the roster"), r);
  else *out = PQntuples(r) == 1 && strcmp(PQgetvalue(r, 0, 0), "add") == 0;
  PQclear(r);
  return rc;
}

static int roster_append(sh_store *b, const sh_roster_event *ev, int64_t *out_id, sh_diags *d) {
  pg_store *s = (pg_store *)b;
  if (begin_write(s, d)) return -1;
  int act = 0, rc = active(s, ev->reviewer, &act, d);
  if (rc == 0 && ev->revoke && !act) {
    sh_error_usage(d, "%s is not an active reviewer of this store (see 'shinsa reviewer list')", ev->reviewer);
    rc = -1;
  }
  char now[32];
  if (ev->recorded_at) snprintf(now, sizeof now, "%s", ev->recorded_at);
  else sh_now_iso(now);
  int64_t id = 0;
  if (rc == 0) rc = next_id(s, "SELECT coalesce(max(id), 0) + 1 FROM roster", &id, d);
  if (rc == 0) {
    params p = {0};
    p_int(&p, id);
    p_text(&p, ev->reviewer);
    p_text(&p, ev->revoke ? "revoke" : "add");
    p_text(&p, ev->revoke ? "" : ev->roles ? ev->roles : "");
    p_text(&p, ev->revoke ? "" : ev->public_key ? ev->public_key : "");
    p_text(&p, ev->revoke ? "" : ev->key_fingerprint ? ev->key_fingerprint : "");
    p_text(&p, ev->note ? ev->note : "");
    p_text(&p, now);
    rc = cmd(s, "INSERT INTO roster (id, reviewer, event, roles, public_key, key_fingerprint, note, recorded_at)"
                " VALUES ($1,$2,$3,$4,$5,$6,$7,$8)", &p, d, N_("recording the roster event"));
  }
  if (rc == 0) rc = log_append(s, "roster", id, now, d);
  if (finish_write(s, rc, d)) return -1;
  *out_id = id;
  return 0;
}

static int list_roster(sh_store *b, sh_vec *out, sh_diags *d) {
  pg_store *s = (pg_store *)b;
  PGresult *r = run(s, "SELECT id, reviewer, event, roles, public_key, key_fingerprint, note, recorded_at"
                       " FROM roster ORDER BY id", NULL, 0);
  if (!res_ok(r)) {
    dberr(s, d, N_("reading the roster"), r);
    PQclear(r);
    return -1;
  }
  for (int i = 0; i < PQntuples(r); i++) {
    sh_roster_event *e = sh_calloc(1, sizeof *e);
    e->id = gint(r, i, 0);
    e->reviewer = sh_strdup(PQgetvalue(r, i, 1));
    e->revoke = strcmp(PQgetvalue(r, i, 2), "revoke") == 0;
    e->roles = sh_strdup(PQgetvalue(r, i, 3));
    e->public_key = sh_strdup(PQgetvalue(r, i, 4));
    e->key_fingerprint = sh_strdup(PQgetvalue(r, i, 5));
    e->note = sh_strdup(PQgetvalue(r, i, 6));
    e->recorded_at = sh_strdup(PQgetvalue(r, i, 7));
    sh_vec_push(out, e);
  }
  PQclear(r);
  return 0;
}

static int revoke_waiver(sh_store *b, int64_t waiver_id, const char *by, const char *reason, sh_diags *d) {
  pg_store *s = (pg_store *)b;
  if (begin_write(s, d)) return -1;
  int act = 0, rc = active(s, by, &act, d);
  if (rc == 0 && !act) {
    sh_error_usage(d, "%s is not an active reviewer of this store (see 'shinsa reviewer list')", by);
    rc = -1;
  }
  if (rc == 0) {
    params p = {0};
    p_int(&p, waiver_id);
    PGresult *r = run(s, "SELECT (SELECT count(*) FROM waivers WHERE id = $1),"
                         " (SELECT count(*) FROM waiver_revocations WHERE waiver_id = $1)", &p, 0);
    if (!res_ok(r) || PQntuples(r) != 1) rc = dberr(s, d, N_("looking up the waiver"), r);
    else if (gint(r, 0, 0) == 0) {
      sh_error_usage(d, "no waiver %lld in this database (see 'shinsa waiver list')", (long long)waiver_id);
      rc = -1;
    } else if (gint(r, 0, 1) != 0) {
      sh_error_usage(d, "waiver %lld is already revoked", (long long)waiver_id);
      rc = -1;
    }
    PQclear(r);
  }
  char now[32];
  sh_now_iso(now);
  int64_t id = 0;
  if (rc == 0) rc = next_id(s, "SELECT coalesce(max(id), 0) + 1 FROM waiver_revocations", &id, d);
  if (rc == 0) {
    params p = {0};
    p_int(&p, id);
    p_int(&p, waiver_id);
    p_text(&p, by);
    p_text(&p, reason ? reason : "");
    p_text(&p, now);
    rc = cmd(s, "INSERT INTO waiver_revocations (id, waiver_id, revoked_by, reason, recorded_at)"
                " VALUES ($1,$2,$3,$4,$5)", &p, d, N_("recording the revocation"));
  }
  if (rc == 0) rc = log_append(s, "revocation", id, now, d);
  return finish_write(s, rc, d);
}

static int log_hash_at(sh_store *b, int64_t seq, char out[65], sh_diags *d) {
  pg_store *s = (pg_store *)b;
  params p = {0};
  p_int(&p, seq);
  PGresult *r = run(s, "SELECT hash FROM audit_log WHERE seq = $1", &p, 0);
  int rc;
  if (!res_ok(r)) rc = dberr(s, d, N_("reading the audit log"), r);
  else if (PQntuples(r) == 0) rc = 1;
  else {
    snprintf(out, 65, "%s", PQgetvalue(r, 0, 0));
    rc = 0;
  }
  PQclear(r);
  return rc;
}

static int verify_log(sh_store *b, sh_log_status *st, sh_diags *d) {
  pg_store *s = (pg_store *)b;
  memset(st, 0, sizeof *st);
  bool began = begin_read(s);
  sh_audit_db a = audit_db(s);
  int rc = sh_auditlog_verify_db(&a, st);
  if (rc < 0) {
    char *m = trimmed(PQerrorMessage(s->c));
    sh_error_io(d, s->base.location, 0, 0, "database error while verifying the audit log: %s", m);
    free(m);
  }
  end_read(s, began);
  return rc;
}

/* ---------- rebuilding a run ---------- */

static int load_texts(pg_store *s, int64_t run_id, const char *kind, sh_vec *out, sh_diags *d) {
  params p = {0};
  p_int(&p, run_id);
  p_text(&p, kind);
  /* binary results: the content's bytes as they are */
  PGresult *r = run(s, "SELECT r.path, r.sha256, t.content FROM run_texts r LEFT JOIN texts t ON t.sha256 = r.sha256"
                       " WHERE r.run_id = $1 AND r.kind = $2 ORDER BY r.seq", &p, 1);
  if (!res_ok(r)) {
    dberr(s, d, N_("reading recorded texts"), r);
    PQclear(r);
    return -1;
  }
  int rc = 0;
  sh_colchk k = {0};
  for (int i = 0; i < PQntuples(r); i++) {
    const char *path = ctext(s, &k, r, i, 0), *sha = ctext(s, &k, r, i, 1);
    if (k.bad) break;
    if (PQgetisnull(r, i, 2)) {
      sh_error_io(d, s->base.location, 0, 0, "run %lld: the recorded text of %s is missing (see 'shinsa log verify')",
                  (long long)run_id, path);
      rc = -1;
      break;
    }
    const char *blob = PQgetvalue(r, i, 2);
    size_t len = (size_t)PQgetlength(r, i, 2);
    char hx[65];
    sh_sha256_hex(blob, len, hx);
    if (strcmp(hx, sha) != 0) {
      sh_error_io(d, s->base.location, 0, 0, "run %lld: the recorded text of %s was altered (see 'shinsa log verify')",
                  (long long)run_id, path);
      rc = -1;
      break;
    }
    sh_snap_text *t = sh_calloc(1, sizeof *t);
    t->path = sh_strdup(path);
    t->content = sh_malloc(len + 1);
    memcpy(t->content, blob, len);
    t->content[len] = 0;
    t->len = len;
    sh_vec_push(out, t);
  }
  if (rc == 0 && sh_colchk_report(&k, s->base.location, N_("reading recorded texts"), d)) rc = -1;
  PQclear(r);
  return rc;
}

static const sh_framework *snap_fw(const sh_run_snapshot *snap, const char *id) {
  for (size_t i = 0; i < snap->frameworks.n; i++)
    if (strcmp(((const sh_framework *)snap->frameworks.v[i])->id, id) == 0) return snap->frameworks.v[i];
  return NULL;
}

/* A query of the run's rows (parameter $1 = run id). NULL after an error in d. */
static PGresult *rows_of(pg_store *s, const char *sql, int64_t id, sh_diags *d) {
  params p = {0};
  p_int(&p, id);
  PGresult *r = run(s, sql, &p, 0);
  if (res_ok(r)) return r;
  dberr(s, d, N_("reading the run"), r);
  PQclear(r);
  return NULL;
}

static int rebuild(pg_store *s, sh_run_snapshot *snap, sh_diags *d) {
  int64_t id = snap->run_id;
  sh_evidence *ev = snap->evidence;
  const char *what = N_("reading the run");
  sh_colchk k = {0};
  PGresult *r = rows_of(s, "SELECT path, title, sha256_declared, sha256_actual, status, issued, valid_until, attests"
                           " FROM run_documents WHERE run_id = $1 ORDER BY seq", id, d);
  if (!r) return -1;
  for (int i = 0; i < PQntuples(r); i++) {
    sh_document *dc = sh_calloc(1, sizeof *dc);
    dc->path = sh_strdup(ctext(s, &k, r, i, 0));
    dc->title = dup_opt(r, i, 1);
    const char *t;
    snprintf(dc->sha256_declared, sizeof dc->sha256_declared, "%s", ctext(s, &k, r, i, 2));
    snprintf(dc->sha256_actual, sizeof dc->sha256_actual, "%s", (t = ctext_opt(r, i, 3)) ? t : "");
    if (!sh_doc_status_parse(ctext(s, &k, r, i, 4), &dc->status)) dc->status = SH_DOC_UNREADABLE;
    dc->has_issued = (t = ctext_opt(r, i, 5)) && sh_date_parse(t, &dc->issued);
    dc->has_valid_until = (t = ctext_opt(r, i, 6)) && sh_date_parse(t, &dc->valid_until);
    sh_vec ids = {0};
    sh_store_split_lines(ctext(s, &k, r, i, 7), &ids);
    for (size_t j = 0; j < ids.n; j++) {
      const sh_fact *f = sh_vocab_find(snap->vocab, ids.v[j]);
      if (f) sh_vec_push(&dc->attests, (void *)f);
    }
    sh_vec_free_all(&ids, free);
    sh_vec_push(&ev->documents, dc);
  }
  PQclear(r);
  r = rows_of(s, "SELECT fact_id, raw, provenance, origin, line, documents, detail FROM run_fact_values"
                 " WHERE run_id = $1 ORDER BY fact_id", id, d);
  if (!r) return -1;
  for (int i = 0; i < PQntuples(r); i++) {
    const char *fid = ctext(s, &k, r, i, 0), *raw = ctext(s, &k, r, i, 1), *pv = ctext(s, &k, r, i, 2);
    const char *origin = ctext_opt(r, i, 3), *docs = ctext(s, &k, r, i, 5), *detail = ctext_opt(r, i, 6);
    int line = (int)cint_opt(r, i, 4);
    if (k.bad) break;
    const sh_fact *f = sh_vocab_find(snap->vocab, fid);
    sh_value v;
    const char *err = NULL;
    sh_prov prov;
    if (!f || !sh_value_from_string(f, raw, &v, &err) || !sh_prov_parse(pv, &prov)) {
      if (err)
        sh_error_io(d, s->base.location, 0, 0, "run %lld: recorded value of %s cannot be read back: %s", (long long)id, fid,
                    _(err));
      else
        sh_error_io(d, s->base.location, 0, 0, "run %lld: recorded value of %s cannot be read back", (long long)id, fid);
      PQclear(r);
      return -1;
    }
    sh_fact_value *fv = sh_evidence_set(ev, f, &v, prov, origin, line, 0);
    sh_value_clear(&v);
    sh_vec paths = {0};
    sh_store_split_lines(docs, &paths);
    for (size_t j = 0; j < paths.n; j++)
      for (size_t m = 0; m < ev->documents.n; m++)
        if (strcmp(((sh_document *)ev->documents.v[m])->path, paths.v[j]) == 0)
          sh_vec_push(&fv->documents, ev->documents.v[m]);
    sh_vec_free_all(&paths, free);
    if (detail) fv->detail = sh_strdup(detail);
  }
  PQclear(r);
  if (k.bad) return sh_colchk_report(&k, s->base.location, what, d);
  r = rows_of(s, "SELECT item_id, name_ja, name_en, level, code, purposes, recipients FROM run_data_items"
                 " WHERE run_id = $1 ORDER BY seq", id, d);
  if (!r) return -1;
  for (int i = 0; i < PQntuples(r); i++) {
    sh_data_item *di = sh_calloc(1, sizeof *di);
    di->id = sh_strdup(ctext(s, &k, r, i, 0));
    di->name.ja = dup_opt(r, i, 1);
    di->name.en = dup_opt(r, i, 2);
    di->level = (int)cint(s, &k, r, i, 3);
    di->code = dup_opt(r, i, 4);
    sh_store_split_lines(ctext(s, &k, r, i, 5), &di->purposes);
    sh_store_split_lines(ctext(s, &k, r, i, 6), &di->recipients);
    sh_vec_push(&ev->data_items, di);
  }
  PQclear(r);
  sh_evaluation *e = snap->eval = sh_calloc(1, sizeof *e);
  e->evidence = ev;
  for (size_t i = 0; i < snap->frameworks.n; i++) sh_vec_push(&e->frameworks, snap->frameworks.v[i]);
  r = rows_of(s, "SELECT message, msg_key, msg_args FROM run_findings WHERE run_id = $1 ORDER BY seq", id, d);
  if (!r) return -1;
  for (int i = 0; i < PQntuples(r); i++) {
    sh_reason *fi = sh_snapshot_reason(NULL, ctext_opt(r, i, 1), ctext_opt(r, i, 2), ctext(s, &k, r, i, 0));
    if (!fi) {
      PQclear(r);
      sh_error_io(d, s->base.location, 0, 0, "run %lld: a recorded finding's arguments do not read back", (long long)id);
      return -1;
    }
    sh_vec_push(&e->findings, fi);
  }
  PQclear(r);
  /* results, with all reasons and witnesses of the run in two queries */
  PGresult *rs = rows_of(s, "SELECT framework_id, item_id, fact_id, condition, required, actual, message, msg_key, msg_args"
                            " FROM reasons"
                            " WHERE run_id = $1 ORDER BY framework_id, item_id, seq", id, d);
  PGresult *ws = rs ? rows_of(s, "SELECT framework_id, item_id, witness FROM witnesses WHERE run_id = $1"
                                 " ORDER BY framework_id, item_id, witness", id, d)
                    : NULL;
  r = ws ? rows_of(s, "SELECT framework_id, item_id, verdict FROM results WHERE run_id = $1 ORDER BY seq", id, d) : NULL;
  int rc = -1;
  if (!r) goto done;
  for (int i = 0; i < PQntuples(r); i++) {
    const char *fwid = ctext(s, &k, r, i, 0), *itid = ctext(s, &k, r, i, 1), *vd = ctext(s, &k, r, i, 2);
    if (k.bad) goto damaged;
    const sh_framework *fw = snap_fw(snap, fwid);
    const sh_item *it = fw ? sh_framework_item(fw, itid) : NULL;
    sh_verdict v;
    if (!it || !sh_verdict_parse(vd, &v)) {
      sh_error_io(d, s->base.location, 0, 0, "run %lld: result %s:%s does not match the recorded framework text",
                  (long long)id, fwid, itid);
      goto done;
    }
    sh_result *res = sh_calloc(1, sizeof *res);
    res->item = it;
    res->verdict = v;
    sh_vec_push(&e->results, res);
    for (int j = 0; j < PQntuples(rs); j++) {
      if (strcmp(PQgetvalue(rs, j, 0), fwid) != 0 || strcmp(PQgetvalue(rs, j, 1), itid) != 0) continue;
      const char *fid = ctext_opt(rs, j, 2);
      const sh_fact *f = fid ? sh_vocab_find(snap->vocab, fid) : NULL;
      sh_reason *re = sh_snapshot_reason(f, ctext_opt(rs, j, 7), ctext_opt(rs, j, 8), ctext(s, &k, rs, j, 6));
      if (!re) {
        sh_error_io(d, s->base.location, 0, 0, "run %lld: a recorded reason of %s:%s has arguments that do not read back",
                    (long long)id, fwid, itid);
        goto done;
      }
      re->condition = dup_opt(rs, j, 3);
      re->required = dup_opt(rs, j, 4);
      re->actual = dup_opt(rs, j, 5);
      sh_vec_push(&res->reasons, re);
    }
    for (int j = 0; j < PQntuples(ws); j++)
      if (strcmp(PQgetvalue(ws, j, 0), fwid) == 0 && strcmp(PQgetvalue(ws, j, 1), itid) == 0)
        sh_vec_push(&res->witnesses, sh_strdup(ctext(s, &k, ws, j, 2)));
    sh_snapshot_result_facts(ev, res);
  }
  if (k.bad) goto damaged;
  sh_evaluation_recount(e);
  rc = 0;
  goto done;
damaged:
  sh_colchk_report(&k, s->base.location, what, d);
done:
  PQclear(r);
  PQclear(rs);
  PQclear(ws);
  return rc;
}

static sh_run_snapshot *load_run(sh_store *b, int64_t run_id, sh_diags *d) {
  pg_store *s = (pg_store *)b;
  bool began = begin_read(s);
  sh_run_snapshot *snap = NULL;
  sh_vec vt = {0}, ft = {0}, ot = {0}, at = {0};
  PGresult *r = rows_of(s, "SELECT r.recorded_at, r.tool_version, r.applicant_name, r.applicant_kind,"
                           " r.assessment_date, r.evidence_dir, r.exit_code, sn.applicant_name_en, sn.evidence_sha256,"
                           " sn.run_id, (SELECT path FROM run_inputs WHERE run_id = r.id AND kind = 'evidence')"
                           " FROM runs r LEFT JOIN run_snapshot sn ON sn.run_id = r.id WHERE r.id = $1",
                        run_id, d);
  if (!r) goto fail;
  if (PQntuples(r) == 0) {
    sh_error_io(d, s->base.location, 0, 0, "no run %lld in this database (see 'shinsa history')", (long long)run_id);
    goto fail;
  }
  if (PQgetisnull(r, 0, 9)) {
    sh_error_io(d, s->base.location, 0, 0, "run %lld was recorded before run snapshots existed (schema 1): it cannot "
                "be re-rendered; check the evidence again", (long long)run_id);
    goto fail;
  }
  snap = sh_calloc(1, sizeof *snap);
  snap->run_id = run_id;
  sh_colchk k = {0};
  snap->recorded_at = sh_strdup(ctext(s, &k, r, 0, 0));
  snap->tool_version = sh_strdup(ctext(s, &k, r, 0, 1));
  snap->exit_code = (int)cint(s, &k, r, 0, 6);
  const char *c_name = ctext(s, &k, r, 0, 2), *c_kind = ctext_opt(r, 0, 3), *c_date = ctext(s, &k, r, 0, 4);
  const char *c_dir = ctext(s, &k, r, 0, 5), *c_en = ctext_opt(r, 0, 7), *c_sha = ctext(s, &k, r, 0, 8);
  const char *c_file = ctext_opt(r, 0, 10);
  if (sh_colchk_report(&k, s->base.location, N_("reading the run"), d)) goto fail;
  if (load_texts(s, run_id, "vocabulary", &vt, d) || load_texts(s, run_id, "framework", &ft, d) ||
      load_texts(s, run_id, "overlay", &ot, d) || sh_snapshot_load_texts(snap, &vt, &ft, &ot, d))
    goto fail;
  sh_evidence *ev = snap->evidence = sh_snapshot_new_evidence(snap->vocab);
  ev->applicant_name = sh_strdup(c_name);
  ev->applicant_kind = sh_strdup(c_kind);
  if (!sh_date_parse(c_date, &ev->assessment_date)) {
    sh_error_io(d, s->base.location, 0, 0, "run %lld: invalid recorded assessment date", (long long)run_id);
    goto fail;
  }
  ev->dir = sh_strdup(c_dir);
  ev->applicant_name_en = sh_strdup(c_en);
  snprintf(ev->sha256, sizeof ev->sha256, "%s", c_sha);
  ev->file = sh_strdup(c_file ? c_file : "evidence.yaml");
  PQclear(r);
  r = NULL;
  if (rebuild(s, snap, d) || load_texts(s, run_id, SH_SNAP_ANSWERS_KIND, &at, d) ||
      sh_snapshot_load_answers(snap, &at, s->base.location, d))
    goto fail;
  end_read(s, began);
  sh_vec_free_all(&vt, sh_snap_text_free);
  sh_vec_free_all(&ft, sh_snap_text_free);
  sh_vec_free_all(&ot, sh_snap_text_free);
  sh_vec_free_all(&at, sh_snap_text_free);
  return snap;
fail:
  PQclear(r);
  end_read(s, began);
  sh_vec_free_all(&vt, sh_snap_text_free);
  sh_vec_free_all(&ft, sh_snap_text_free);
  sh_vec_free_all(&ot, sh_snap_text_free);
  sh_vec_free_all(&at, sh_snap_text_free);
  sh_run_snapshot_free(snap);
  return NULL;
}

/* ---------- opening, identity, migrations ---------- */

static void close_store(sh_store *b) {
  pg_store *s = (pg_store *)b;
  if (s->c) PQfinish(s->c);
  for (size_t i = 0; i < s->stmts.cap; i++)
    if (s->stmts.keys && s->stmts.keys[i]) free(s->stmts.vals[i]);
  sh_strmap_free(&s->stmts);
  free(s->base.location);
  free(s);
}

static const sh_store_ops pg_ops = {
  .record_run = record_run, .list_runs = list_runs, .close = close_store,
  .record_review = record_review, .record_waiver = record_waiver,
  .list_reviews = list_reviews, .list_waivers = list_waivers,
  .load_run = load_run, .verify_log = verify_log,
  .store_id = store_id, .roster_append = roster_append,
  .list_roster = list_roster, .list_reviews_carry = list_reviews_carry,
  .list_waivers_carry = list_waivers_carry, .list_all_waivers = list_all_waivers,
  .list_all_reviews = list_all_reviews,
  .revoke_waiver = revoke_waiver, .log_hash_at = log_hash_at,
};

typedef struct {
  bool has_schema;
  char schema[64];
  int tables;  /* in the store's schema */
  bool ours;   /* shinsa_meta with our application id */
  int app_id, version;
} identity;

static int read_identity(pg_store *s, identity *id, sh_diags *d) {
  memset(id, 0, sizeof *id);
  PGresult *r = PQexec(s->c, "SELECT current_schema(),"
                             " (SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()),"
                             " EXISTS (SELECT 1 FROM pg_tables WHERE schemaname = current_schema()"
                             " AND tablename = 'shinsa_meta')");
  if (!res_ok(r) || PQntuples(r) != 1) {
    dberr(s, d, N_("opening the store"), r);
    PQclear(r);
    return -1;
  }
  id->has_schema = !PQgetisnull(r, 0, 0);
  snprintf(id->schema, sizeof id->schema, "%s", PQgetvalue(r, 0, 0));
  id->tables = (int)gint(r, 0, 1);
  bool meta = strcmp(PQgetvalue(r, 0, 2), "t") == 0;
  PQclear(r);
  if (!meta) return 0;
  r = PQexec(s->c, "SELECT application_id, schema_version FROM shinsa_meta");
  if (!res_ok(r)) {
    dberr(s, d, N_("opening the store"), r);
    PQclear(r);
    return -1;
  }
  if (PQntuples(r) == 1) {
    id->app_id = (int)gint(r, 0, 0);
    id->version = (int)gint(r, 0, 1);
    id->ours = id->app_id == SH_STORE_APPLICATION_ID;
  }
  PQclear(r);
  return 0;
}

static bool check_identity(pg_store *s, const identity *id, sh_diags *d) {
  if (!id->has_schema) {
    sh_error_io(d, s->base.location, 0, 0, "no schema to keep the store in: the connection's search_path names no "
                "existing schema (create one, or give options=-csearch_path%%3DNAME in the URL)");
    return false;
  }
  if (id->ours || id->tables == 0) {
    if (id->version > NMIGRATIONS) {
      sh_error_io(d, s->base.location, 0, 0,
                  "database schema version %d is newer than this shinsa supports (%d): use a newer shinsa",
                  id->version, NMIGRATIONS);
      return false;
    }
    return true;
  }
  sh_error_io(d, s->base.location, 0, 0,
              "not a shinsa store: schema %s holds another application's tables (%d tables, no shinsa_meta); "
              "shinsa leaves it untouched", id->schema, id->tables);
  return false;
}

static int migrate(pg_store *s, int *from, sh_diags *d) {
  if (begin_write(s, d)) return -1;
  identity id;
  int rc = read_identity(s, &id, d); /* again, under the lock: another process may have migrated */
  if (rc == 0 && !check_identity(s, &id, d)) rc = -1;
  if (rc == 0 && from) *from = id.version;
  for (int v = id.version; rc == 0 && v < NMIGRATIONS; v++)
    rc = exec_plain(s, migrations[v], d, N_("migrating the schema"));
  if (rc == 0 && id.version == 0) {
    /* The store id (roster.h): 16 random bytes from libcrypto. */
    unsigned char raw[16];
    char hx[33];
    if (RAND_bytes(raw, sizeof raw) != 1) {
      sh_error_io(d, s->base.location, 0, 0, "libcrypto could not produce random bytes for the store id");
      rc = -1;
    } else {
      for (int i = 0; i < 16; i++) snprintf(hx + 2 * i, 3, "%02x", raw[i]);
      params p = {0};
      p_text(&p, hx);
      rc = cmd(s, "INSERT INTO store_meta VALUES ($1)", &p, d, N_("creating the store id"));
      params q = {0};
      p_int(&q, SH_STORE_APPLICATION_ID);
      if (rc == 0) rc = cmd(s, "INSERT INTO shinsa_meta VALUES ($1, 0)", &q, d, N_("marking the store"));
    }
  }
  if (rc == 0) {
    params p = {0};
    p_int(&p, NMIGRATIONS);
    rc = cmd(s, "UPDATE shinsa_meta SET schema_version = $1", &p, d, N_("setting the schema version"));
  }
  return finish_write(s, rc, d);
}

/* libpq options shinsa sets unless the URL does: a bounded connection time, the application name. */
static PGconn *connect_url(const char *url) {
  const char *keys[] = {"connect_timeout", "fallback_application_name", "dbname", NULL};
  const char *vals[] = {"10", "shinsa", url, NULL};
  return PQconnectdbParams(keys, vals, 1);
}

static pg_store *connect_store(const char *url, sh_diags *d) {
  pg_store *s = sh_calloc(1, sizeof *s);
  s->base.ops = &pg_ops;
  s->base.location = sh_store_redact(url);
  s->c = connect_url(url);
  if (!s->c || PQstatus(s->c) != CONNECTION_OK) {
    char *m = trimmed(s->c ? PQerrorMessage(s->c) : "out of memory");
    sh_error_io(d, s->base.location, 0, 0, "cannot connect to the database: %s", m);
    free(m);
    close_store(&s->base);
    return NULL;
  }
  PQclear(PQexec(s->c, "SET client_min_messages = warning"));
  PGresult *r = PQexec(s->c, "SET client_encoding = 'UTF8'");
  bool ok = res_ok(r);
  PQclear(r);
  if (!ok || PQserverVersion(s->c) < 100000) {
    sh_error_io(d, s->base.location, 0, 0, "the server must be PostgreSQL 10 or newer with UTF-8 text");
    close_store(&s->base);
    return NULL;
  }
  return s;
}

static sh_store *open_pg(const char *url, sh_store_mode mode, bool must_exist, int *from, sh_diags *d) {
  pg_store *s = connect_store(url, d);
  if (!s) return NULL;
  identity id;
  if (read_identity(s, &id, d) || !check_identity(s, &id, d)) {
    close_store(&s->base);
    return NULL;
  }
  if (from) *from = id.version;
  /* An empty schema is where `db migrate` and `check --db` create the store (docs/postgresql.md); commands that
   * work on recorded runs (must_exist) and readers refuse it, as they refuse a missing SQLite file. */
  if (mode == SH_STORE_READ || must_exist) {
    if (id.tables == 0 || !id.ours) {
      sh_error_io(d, s->base.location, 0, 0, "an empty database: no run was ever recorded in it");
      close_store(&s->base);
      return NULL;
    }
  }
  if (mode == SH_STORE_READ) {
    if (id.version < NMIGRATIONS) {
      sh_error_io(d, s->base.location, 0, 0,
                  "database schema version %d is older than this shinsa's (%d): run 'shinsa db migrate --db %s' first "
                  "(this command only reads and changes nothing)", id.version, NMIGRATIONS, s->base.location);
      close_store(&s->base);
      return NULL;
    }
    s->readonly = true;
    PQclear(PQexec(s->c, "SET default_transaction_read_only = on"));
    return &s->base;
  }
  if ((id.version < NMIGRATIONS || !id.ours) && migrate(s, from, d)) {
    close_store(&s->base);
    return NULL;
  }
  return &s->base;
}

sh_store *sh_store_pg_open(const char *url, sh_store_mode mode, sh_diags *d) {
  return open_pg(url, mode, false, NULL, d);
}

sh_store *sh_store_pg_open_existing(const char *url, sh_diags *d) { return open_pg(url, SH_STORE_WRITE, true, NULL, d); }

int sh_store_pg_migrate(const char *url, int *from, int *to, sh_diags *d) {
  *from = *to = 0;
  sh_store *s = open_pg(url, SH_STORE_WRITE, false, from, d);
  if (!s) return -1;
  *to = NMIGRATIONS;
  sh_store_close(s);
  return 0;
}

/* ---------- raw access for `shinsa db copy` (store_copy.c) ---------- */

void sh_store_pg_raw_db(sh_store *s, sh_audit_db *out) { *out = audit_db((pg_store *)s); }

int sh_store_pg_begin(sh_store *s, sh_diags *d) { return begin_write((pg_store *)s, d); }

int sh_store_pg_finish(sh_store *s, int rc, sh_diags *d) { return finish_write((pg_store *)s, rc, d); }

int sh_store_pg_exec(sh_store *b, const char *sql, const sh_av *v, int n, sh_diags *d) {
  pg_store *s = (pg_store *)b;
  sh_buf q = {0};
  int k = 0;
  for (const char *c = sql; *c; c++) {
    if (*c == '?') sh_buf_printf(&q, "$%d", ++k);
    else sh_buf_putc(&q, *c);
  }
  params p = {0};
  for (int i = 0; i < n && i < MAXP; i++) {
    switch (v[i].type) {
    case SH_AV_NULL: p_text(&p, NULL); break;
    case SH_AV_INT: p_int(&p, v[i].i); break;
    case SH_AV_FLOAT:
      snprintf(p.ibuf[p.n], sizeof p.ibuf[p.n], "%.17g", v[i].f);
      p_text(&p, p.ibuf[p.n]);
      break;
    case SH_AV_BLOB: p_blob(&p, v[i].p ? v[i].p : "", v[i].n); break;
    default:
      if (memchr(v[i].p, 0, v[i].n)) {
        sh_error_io(d, s->base.location, 0, 0, "a text value holds a NUL byte, which PostgreSQL text cannot hold");
        sh_buf_free(&q);
        return -1;
      }
      p_text(&p, v[i].p);
    }
  }
  int rc = cmd(s, sh_buf_str(&q), &p, d, N_("copying rows"));
  sh_buf_free(&q);
  return rc;
}

void *sh_store_pg_handle(sh_store *s) { return s && s->ops == &pg_ops ? ((pg_store *)s)->c : NULL; }
