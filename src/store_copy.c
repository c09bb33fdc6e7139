/* store_copy: `shinsa db copy`: every table of a store copied row for row into another store of either back end
 * (SQLite file <-> PostgreSQL URL), ids, audit log and store id included, so that the audit chain, the signatures
 * (which name the store id) and `log verify` carry over unchanged. Reads the source through its sh_audit_db (typed
 * values), writes the target with bound parameters in one write transaction, then verifies the target's log.
 * A table the copy does not know is refused rather than left behind. Ownership: both stores are opened and closed
 * here. See store.h (sh_store_copy). */
#include "store.h"
#include "i18n.h"

#include "auditlog.h"
#include "store_pg.h"
#include "store_sqlite_rv.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The tables of the current schema (SQLite 4 / PostgreSQL 2), parents before children. */
static const struct {
  const char *table, *cols, *order;
} tables[] = {
  {"runs", "id, recorded_at, tool_version, applicant_name, applicant_kind, assessment_date, evidence_dir, vocabulary,"
           " exit_code, must_failing", "id"},
  {"run_frameworks", "run_id, framework_id, version, sha256, file", "run_id, framework_id"},
  {"run_inputs", "run_id, kind, path, sha256, status", "run_id, kind, path"},
  {"run_facts", "run_id, fact_id, value, provenance, origin, line", "run_id, fact_id"},
  {"results", "run_id, framework_id, item_id, seq, strength, verdict, item_group, manual", "run_id, seq"},
  {"reasons", "run_id, framework_id, item_id, seq, fact_id, condition, required, actual, message, msg_key, msg_args",
   "run_id, framework_id, item_id, seq"},
  {"witnesses", "run_id, framework_id, item_id, witness", "run_id, framework_id, item_id, witness"},
  {"run_snapshot", "run_id, applicant_name_en, evidence_sha256", "run_id"},
  {"texts", "sha256, content", "sha256"},
  {"run_texts", "run_id, kind, seq, path, sha256", "run_id, kind, seq"},
  {"run_documents", "run_id, seq, path, title, sha256_declared, sha256_actual, status, issued, valid_until, attests",
   "run_id, seq"},
  {"run_fact_values", "run_id, fact_id, raw, provenance, origin, line, documents, detail", "run_id, fact_id"},
  {"run_data_items", "run_id, seq, item_id, name_ja, name_en, level, code, purposes, recipients", "run_id, seq"},
  {"run_findings", "run_id, seq, message, msg_key, msg_args", "run_id, seq"},
  {"roster", "id, reviewer, event, roles, public_key, key_fingerprint, note, recorded_at", "id"},
  {"reviews", "id, run_id, framework_id, item_id, decision, reviewer, role, note, recorded_at, applicant, fw_version,"
              " evidence_fp, basis, signature, roster_seq", "id"},
  {"waivers", "id, run_id, framework_id, item_id, approver, justification, scope, expires, recorded_at, applicant,"
              " fw_version, evidence_fp, basis, signature, roster_seq", "id"},
  {"waiver_revocations", "id, waiver_id, revoked_by, reason, recorded_at", "id"},
  {"audit_log", "seq, recorded_at, kind, ref, content, prev_hash, hash", "seq"},
  {"audit_meta", "legacy_max_run", "rowid"},
  {"store_meta", "store_id", "store_id"},
};
#define NTABLES (sizeof tables / sizeof tables[0])

/* One side of the copy. */
typedef struct {
  sh_store *s;
  bool pg;
  sh_audit_db db;
  sqlite3_stmt *ins; /* SQLite: the insert statement of the table being copied */
} side;

static void side_init(side *x, sh_store *s) {
  x->s = s;
  x->pg = sh_store_pg_handle(s) != NULL;
  x->ins = NULL;
  if (x->pg) sh_store_pg_raw_db(s, &x->db);
  else sh_auditlog_sqlite_db(&x->db, sh_store_sqlite_handle(s));
}

static int sq_err(side *x, sh_diags *d, const char *what) {
  sh_error_io(d, x->s->location, 0, 0, "database error while %s: %s", _(what),
              sqlite3_errmsg(sh_store_sqlite_handle(x->s)));
  return -1;
}

/* Runs sql on the target with the values bound in order. */
static int exec_vals(side *x, const char *sql, const sh_av *v, int n, sh_diags *d) {
  if (x->pg) return sh_store_pg_exec(x->s, sql, v, n, d);
  sqlite3 *db = sh_store_sqlite_handle(x->s);
  sqlite3_stmt *st = x->ins;
  bool own = !st || strcmp(sqlite3_sql(st), sql) != 0;
  if (own && sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) return sq_err(x, d, N_("copying rows"));
  for (int i = 0; i < n; i++) {
    switch (v[i].type) {
    case SH_AV_NULL: sqlite3_bind_null(st, i + 1); break;
    case SH_AV_INT: sqlite3_bind_int64(st, i + 1, v[i].i); break;
    case SH_AV_FLOAT: sqlite3_bind_double(st, i + 1, v[i].f); break;
    case SH_AV_BLOB: sqlite3_bind_blob(st, i + 1, v[i].p ? v[i].p : "", (int)v[i].n, SQLITE_TRANSIENT); break;
    default: sqlite3_bind_text(st, i + 1, v[i].p, (int)v[i].n, SQLITE_TRANSIENT);
    }
  }
  int rc = sqlite3_step(st);
  sqlite3_reset(st);
  sqlite3_clear_bindings(st);
  if (own) sqlite3_finalize(st);
  return rc == SQLITE_DONE ? 0 : sq_err(x, d, N_("copying rows"));
}

typedef struct {
  side *to;
  const char *sql;
  size_t rows;
  sh_diags *d;
  int rc;
} copy_ctx;

static int copy_row(void *u, const sh_av *v, int n) {
  copy_ctx *c = u;
  if (exec_vals(c->to, c->sql, v, n, c->d)) {
    c->rc = -1;
    return 1;
  }
  c->rows++;
  return 0;
}

static int first_int(void *u, const sh_av *v, int n) {
  if (n > 0 && v[0].type == SH_AV_INT) *(int64_t *)u = v[0].i;
  return 1;
}

typedef struct {
  const char *unknown;
  char name[64];
} names_ctx;

static int check_name(void *u, const sh_av *v, int n) {
  names_ctx *c = u;
  if (n < 1 || v[0].type != SH_AV_TEXT) return 0;
  static const char *const extra[] = {"shinsa_meta", "audit_seq", "sqlite_sequence", "sqlite_stat1", NULL};
  for (size_t i = 0; i < NTABLES; i++)
    if (strcmp(v[0].p, tables[i].table) == 0) return 0;
  for (size_t i = 0; extra[i]; i++)
    if (strcmp(v[0].p, extra[i]) == 0) return 0;
  snprintf(c->name, sizeof c->name, "%s", v[0].p);
  c->unknown = c->name;
  return 1;
}

static int copy_all(side *from, side *to, size_t *rows, sh_diags *d) {
  /* every table of the source is one the copy knows */
  names_ctx nc = {0};
  if (from->db.each(&from->db, from->pg ? "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
                                        : "SELECT name FROM sqlite_master WHERE type = 'table'",
                    0, check_name, &nc) < 0) {
    sh_error_io(d, from->s->location, 0, 0, "database error while listing tables: %s", from->db.errmsg(&from->db));
    return -1;
  }
  if (nc.unknown) {
    sh_error_io(d, from->s->location, 0, 0, "table %s is not one this shinsa copies: nothing was copied", nc.unknown);
    return -1;
  }
  int64_t used = -1;
  if (to->db.each(&to->db, "SELECT (SELECT count(*) FROM runs) + (SELECT count(*) FROM audit_log) +"
                           " (SELECT count(*) FROM roster)", 0, first_int, &used) < 0 || used != 0) {
    if (used < 0) sh_error_io(d, to->s->location, 0, 0, "database error: %s", to->db.errmsg(&to->db));
    else sh_error_io(d, to->s->location, 0, 0, "the target store is not empty (it holds runs, reviewers or audit rows): "
                     "copy into a new store");
    return -1;
  }
  /* the new store's own id and legacy counter give way to the source's */
  if (exec_vals(to, "DELETE FROM store_meta", NULL, 0, d) || exec_vals(to, "DELETE FROM audit_meta", NULL, 0, d))
    return -1;
  for (size_t i = 0; i < NTABLES; i++) {
    sh_buf ins = {0}, sel = {0};
    int ncols = 1;
    for (const char *p = tables[i].cols; *p; p++) ncols += *p == ',';
    sh_buf_printf(&ins, "INSERT INTO %s (%s) VALUES (", tables[i].table, tables[i].cols);
    for (int k = 0; k < ncols; k++) sh_buf_puts(&ins, k ? ",?" : "?");
    sh_buf_puts(&ins, ")");
    sh_buf_printf(&sel, "SELECT %s FROM %s ORDER BY %s", tables[i].cols, tables[i].table, tables[i].order);
    copy_ctx c = {to, sh_buf_str(&ins), 0, d, 0};
    if (!to->pg && sqlite3_prepare_v2(sh_store_sqlite_handle(to->s), c.sql, -1, &to->ins, NULL) != SQLITE_OK)
      c.rc = sq_err(to, d, N_("copying rows"));
    int n = c.rc ? 0 : from->db.each(&from->db, sh_buf_str(&sel), 0, copy_row, &c);
    if (to->ins) sqlite3_finalize(to->ins), to->ins = NULL;
    if (n < 0 && c.rc == 0) {
      sh_error_io(d, from->s->location, 0, 0, "database error while reading %s: %s", tables[i].table,
                  from->db.errmsg(&from->db));
      c.rc = -1;
    }
    sh_buf_free(&ins);
    sh_buf_free(&sel);
    if (c.rc) return -1;
    *rows += c.rows;
  }
  /* the highest audit row ever handed out (rows removed from the end stay detectable) */
  int64_t high = 0;
  if (from->db.high_water(&from->db, &high) != 0) {
    sh_error_io(d, from->s->location, 0, 0, "database error while reading the audit log: %s", from->db.errmsg(&from->db));
    return -1;
  }
  sh_av hv = {.type = SH_AV_INT, .i = high};
  if (to->pg) return exec_vals(to, "UPDATE audit_seq SET last = greatest(?, (SELECT coalesce(max(seq), 0) FROM audit_log))",
                               &hv, 1, d);
  if (high == 0) return 0;
  if (exec_vals(to, "UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = 'audit_log'", &hv, 1, d)) return -1;
  return exec_vals(to, "INSERT INTO sqlite_sequence (name, seq) SELECT 'audit_log', ? WHERE NOT EXISTS"
                       " (SELECT 1 FROM sqlite_sequence WHERE name = 'audit_log')", &hv, 1, d);
}

int sh_store_copy(const char *from_loc, const char *to_loc, size_t *rows, sh_diags *d) {
  *rows = 0;
  bool pg_to = sh_store_is_pg(to_loc);
  if (!pg_to && access(to_loc, F_OK) == 0) {
    char *shown = sh_store_redact(to_loc);
    sh_error_io(d, shown, 0, 0, "the target exists: db copy writes a new store (remove it, or name another file)");
    free(shown);
    return -1;
  }
  sh_store *src = sh_store_open_mode(from_loc, SH_STORE_READ, d);
  if (!src) return -1;
  sh_store *dst = sh_store_open(to_loc, d);
  if (!dst) {
    sh_store_close(src);
    return -1;
  }
  side from, to;
  side_init(&from, src);
  side_init(&to, dst);
  /* one snapshot of the source; one write transaction of the target */
  if (from.pg) {
    /* a read-only store's connection: its reads are one REPEATABLE READ snapshot through verify_log's helper */
    sh_store_pg_exec(src, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", NULL, 0, d);
  } else {
    sqlite3_exec(sh_store_sqlite_handle(src), "BEGIN", NULL, NULL, NULL);
  }
  int rc = to.pg ? sh_store_pg_begin(dst, d) : sh_sqlite_rv_begin(dst, d);
  if (rc == 0) {
    rc = copy_all(&from, &to, rows, d);
    rc = to.pg ? sh_store_pg_finish(dst, rc, d) : sh_sqlite_rv_finish(dst, rc, d);
  }
  if (from.pg) sh_store_pg_exec(src, "COMMIT", NULL, 0, d);
  else sqlite3_exec(sh_store_sqlite_handle(src), "COMMIT", NULL, NULL, NULL);
  sh_store_close(src);
  sh_store_close(dst);
  if (rc) {
    if (!pg_to) { /* nothing half-written: the file this command created goes again */
      char *w = sh_printf("%s-wal", to_loc), *m = sh_printf("%s-shm", to_loc);
      unlink(to_loc), unlink(w), unlink(m);
      free(w);
      free(m);
    }
    return -1;
  }
  /* checked as `log verify` checks it */
  sh_store *chk = sh_store_open_mode(to_loc, SH_STORE_READ, d);
  if (!chk) return -1;
  sh_log_status st = {0};
  int v = chk->ops->verify_log(chk, &st, d);
  if (v == 1)
    sh_error_finding(d, chk->location, 0, 0, "the copy's audit log does not verify: audit log row %lld: %s",
                     (long long)st.first_bad_seq, st.problem);
  sh_log_status_clear(&st);
  sh_store_close(chk);
  return v;
}
