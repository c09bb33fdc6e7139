/* auditlog: the hash-chained audit log of the SQLite store: canonical content of logged rows,
 * appending inside the writer's transaction, and verification. See auditlog.h. */
#include "auditlog.h"

#include "hash.h"
#include "i18n.h"

#include <stdlib.h>
#include <string.h>

#define GENESIS "0000000000000000000000000000000000000000000000000000000000000000"
/* The first line of the content of rows in chain format 2 (docs/reports-and-review.md, "Audit log"). */
#define FORMAT2 "format 2\n"

void sh_log_status_clear(sh_log_status *st) {
  free(st->problem);
  memset(st, 0, sizeof *st);
}

/* Decimal digits of v (what "%lld" writes), without the cost of printf: verifying a log formats every value. */
static void put_int(sh_buf *b, int64_t v) {
  char tmp[24];
  int k = (int)sizeof tmp;
  uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
  do tmp[--k] = (char)('0' + u % 10);
  while ((u /= 10) > 0);
  if (v < 0) tmp[--k] = '-';
  sh_buf_put(b, tmp + k, sizeof tmp - (size_t)k);
}

/* One column value, typed so that the serialisation is unambiguous. Format 2 writes text as s<bytes>:<bytes>
 * (every byte, a NUL included); format 1 (rows logged before it) escaped text up to its first NUL byte. v is the
 * row (the memo's key of a blob is the text of the column before it). */
static void put_value(sh_buf *b, const sh_av *v, int col, int format, sh_strmap *memo) {
  const sh_av *x = &v[col];
  switch (x->type) {
  case SH_AV_NULL: sh_buf_puts(b, "~"); break;
  case SH_AV_INT:
    sh_buf_putc(b, '#');
    put_int(b, x->i);
    break;
  case SH_AV_FLOAT: sh_buf_printf(b, "%%%.17g", x->f); break;
  case SH_AV_BLOB: {
    /* memo (recorded texts only, see dump): the blob's hash by the key in the column before it. */
    const char *key = memo && col > 0 && v[col - 1].type == SH_AV_TEXT ? v[col - 1].p : NULL;
    const char *known = key ? sh_strmap_get(memo, key) : NULL;
    if (known) {
      sh_buf_printf(b, "b%s", known);
      break;
    }
    char hx[65];
    sh_sha256_hex(x->p ? x->p : "", x->n, hx);
    sh_buf_printf(b, "b%s", hx);
    if (key) sh_strmap_put(memo, key, sh_strdup(hx));
    break;
  }
  default: {
    const char *s = x->p;
    size_t n = x->n;
    if (format >= 2) {
      sh_buf_putc(b, 's');
      put_int(b, (int64_t)n);
      sh_buf_putc(b, ':');
      if (s) sh_buf_put(b, s, n);
      break;
    }
    sh_buf_putc(b, '\'');
    for (const char *e = s ? s + n : s; s && s < e && *s; s++) {
      if (*s == '\\') sh_buf_puts(b, "\\\\");
      else if (*s == '\n') sh_buf_puts(b, "\\n");
      else if (*s == '\t') sh_buf_puts(b, "\\t");
      else if (*s == '\r') sh_buf_puts(b, "\\r");
      else sh_buf_putc(b, *s);
    }
  }
  }
}

/* ---------- the SQLite side of sh_audit_db ---------- */

/* Statements kept prepared on the connection for the whole command (verifying a log of N runs runs the same
 * dozen queries N times: preparing them once saves most of the time). They are found again through
 * sqlite3_next_stmt by their text, which starts with CACHED so that no other module's statement is taken; the
 * store finalizes them when it closes (store_sqlite.c close_store). Returns a reset statement or NULL. */
#define CACHED "/* auditlog */ "
static sqlite3_stmt *cached_stmt(sqlite3 *db, const char *sql) {
  size_t pl = strlen(CACHED);
  for (sqlite3_stmt *st = sqlite3_next_stmt(db, NULL); st; st = sqlite3_next_stmt(db, st)) {
    const char *t = sqlite3_sql(st);
    if (t && strncmp(t, CACHED, pl) == 0 && strcmp(t + pl, sql) == 0 && !sqlite3_stmt_busy(st)) {
      sqlite3_reset(st);
      sqlite3_clear_bindings(st);
      return st;
    }
  }
  char *full = sh_printf("%s%s", CACHED, sql);
  sqlite3_stmt *st = NULL;
  int rc = sqlite3_prepare_v3(db, full, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
  free(full);
  return rc == SQLITE_OK ? st : NULL;
}

#define MAXCOLS 32

static int sq_each(sh_audit_db *a, const char *sql, int64_t id, sh_av_row_fn fn, void *u) {
  sqlite3 *db = a->ctx;
  sqlite3_stmt *st = cached_stmt(db, sql);
  if (!st) return -1;
  for (int i = 1; i <= sqlite3_bind_parameter_count(st); i++) sqlite3_bind_int64(st, i, id);
  int ncol = sqlite3_column_count(st), n = 0, rc;
  if (ncol > MAXCOLS) ncol = MAXCOLS;
  sh_av v[MAXCOLS];
  bool stopped = false;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    for (int c = 0; c < ncol; c++) {
      sh_av *x = &v[c];
      memset(x, 0, sizeof *x);
      switch (sqlite3_column_type(st, c)) {
      case SQLITE_NULL: x->type = SH_AV_NULL; break;
      case SQLITE_INTEGER: x->type = SH_AV_INT, x->i = sqlite3_column_int64(st, c); break;
      case SQLITE_FLOAT: x->type = SH_AV_FLOAT, x->f = sqlite3_column_double(st, c); break;
      case SQLITE_BLOB:
        x->type = SH_AV_BLOB;
        x->p = sqlite3_column_blob(st, c);
        x->n = (size_t)sqlite3_column_bytes(st, c);
        break;
      default:
        x->type = SH_AV_TEXT;
        x->p = (const char *)sqlite3_column_text(st, c);
        x->n = (size_t)sqlite3_column_bytes(st, c);
      }
    }
    n++;
    if (fn && fn(u, v, ncol)) {
      stopped = true;
      break;
    }
  }
  sqlite3_reset(st);
  return rc == SQLITE_DONE || stopped ? n : -1;
}

static int sq_each_str(sh_audit_db *a, const char *sql, const char *s, sh_av_row_fn fn, void *u) {
  sqlite3 *db = a->ctx;
  sqlite3_stmt *st = cached_stmt(db, sql);
  if (!st) return -1;
  sqlite3_bind_text(st, 1, s, -1, SQLITE_TRANSIENT);
  int n = 0, rc;
  sh_av v;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    memset(&v, 0, sizeof v);
    switch (sqlite3_column_type(st, 0)) {
    case SQLITE_NULL: v.type = SH_AV_NULL; break;
    case SQLITE_INTEGER: v.type = SH_AV_INT, v.i = sqlite3_column_int64(st, 0); break;
    case SQLITE_FLOAT: v.type = SH_AV_FLOAT, v.f = sqlite3_column_double(st, 0); break;
    case SQLITE_BLOB:
      v.type = SH_AV_BLOB, v.p = sqlite3_column_blob(st, 0), v.n = (size_t)sqlite3_column_bytes(st, 0);
      break;
    default:
      v.type = SH_AV_TEXT, v.p = (const char *)sqlite3_column_text(st, 0), v.n = (size_t)sqlite3_column_bytes(st, 0);
    }
    n++;
    if (fn && fn(u, &v, 1)) break;
  }
  bool ok = rc == SQLITE_DONE || rc == SQLITE_ROW;
  sqlite3_reset(st);
  sqlite3_clear_bindings(st);
  return ok ? n : -1;
}

static int sq_insert(sh_audit_db *a, const char *recorded_at, const char *kind, int64_t ref, const char *content,
                     size_t clen, const char *prev, const char *hash) {
  sqlite3_stmt *st = cached_stmt(a->ctx, "INSERT INTO audit_log (recorded_at, kind, ref, content, prev_hash, hash)"
                                         " VALUES (?,?,?,?,?,?)");
  if (!st) return -1;
  sqlite3_bind_text(st, 1, recorded_at, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 3, ref);
  sqlite3_bind_text(st, 4, content, (int)clen, SQLITE_STATIC);
  sqlite3_bind_text(st, 5, prev, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 6, hash, -1, SQLITE_STATIC);
  int rc = sqlite3_step(st);
  sqlite3_reset(st);
  sqlite3_clear_bindings(st);
  return rc == SQLITE_DONE ? 0 : -1;
}

static int first_int(void *u, const sh_av *v, int n) {
  if (n > 0 && v[0].type == SH_AV_INT) *(int64_t *)u = v[0].i;
  return 1;
}

/* Rows removed from the end of the log: AUTOINCREMENT remembers the highest sequence handed out. */
static int sq_high_water(sh_audit_db *a, int64_t *out) {
  *out = 0;
  return sq_each(a, "SELECT seq FROM sqlite_sequence WHERE name = 'audit_log'", 0, first_int, out) < 0 ? -1 : 0;
}

static const char *sq_errmsg(sh_audit_db *a) { return sqlite3_errmsg(a->ctx); }

void sh_auditlog_sqlite_db(sh_audit_db *a, sqlite3 *db) {
  *a = (sh_audit_db){.each = sq_each, .each_str = sq_each_str, .insert = sq_insert, .high_water = sq_high_water,
                     .errmsg = sq_errmsg, .ctx = db};
}

/* ---------- canonical content (every back end) ---------- */

typedef struct {
  sh_buf *b;
  int format;
  sh_strmap *memo;
} dump_ctx;

static int dump_row(void *u, const sh_av *v, int ncol) {
  dump_ctx *c = u;
  for (int k = 0; k < ncol; k++) {
    if (k) sh_buf_putc(c->b, '\t');
    put_value(c->b, v, k, c->format, c->memo);
  }
  sh_buf_putc(c->b, '\n');
  return 0;
}

/* Appends every row of sql (each `?` bound to id) to b: columns separated by tabs, rows by newlines.
 * Returns the number of rows, or -1 on a database error. */
static int dump(sh_audit_db *db, const char *sql, int64_t id, sh_buf *b, int format, sh_strmap *memo) {
  dump_ctx c = {b, format, memo};
  return db->each(db, sql, id, dump_row, &c);
}

/* Recorded texts (frameworks, vocabulary) are stored once in `texts`, keyed by their SHA-256 (the primary key), and
 * shared by every run: while verifying, a text's content is read and hashed once per key (the memo), not once per
 * run (dump_run_texts: the run's rows, then each key's content unless the memo has it; the result is the rows of
 * RUN_TEXTS_SQL, which is what this part's content is defined as). A second row with the same key cannot exist
 * (primary key); were the table rebuilt without it, the extra matches would change the run's content and be found. */
#define RUN_TEXTS_SQL                                                                                            \
  "SELECT r.kind, r.seq, r.path, r.sha256, t.content FROM run_texts r LEFT JOIN texts t ON t.sha256 = r.sha256" \
  " WHERE r.run_id = ? ORDER BY r.kind, r.seq"

/* The rows that belong to a run besides `runs` itself, in a fixed order (columns named: later
 * migrations that add columns do not change the content of rows logged earlier). */
static const char run_texts_sql[] = RUN_TEXTS_SQL;
typedef struct {
  sh_buf *b;
  int format;
  sh_vec *rows; /* per run_texts row: "prefix" (4 encoded columns and a tab), then the key or NULL */
} texts_ctx;

static int texts_row(void *u, const sh_av *v, int ncol) {
  texts_ctx *c = u;
  sh_buf pre = {0};
  for (int k = 0; k < 4 && k < ncol; k++) {
    put_value(&pre, v, k, c->format, NULL);
    sh_buf_putc(&pre, '\t');
  }
  sh_vec_push(c->rows, sh_buf_steal(&pre));
  sh_vec_push(c->rows, ncol >= 4 && v[3].type == SH_AV_TEXT && v[3].p ? sh_strndup(v[3].p, v[3].n) : NULL);
  return 0;
}

static int content_row(void *u, const sh_av *v, int ncol) {
  texts_ctx *c = u;
  if (c->b->len) sh_buf_putc(c->b, '\001');
  if (ncol > 0) put_value(c->b, v, 0, c->format, NULL);
  return 0;
}

static void free_memo(sh_strmap *m) {
  for (size_t i = 0; i < m->cap; i++)
    if (m->keys && m->keys[i]) free(m->vals[i]);
  sh_strmap_free(m);
}

/* The rows of RUN_TEXTS_SQL for run ref, each text's content read once per key (memo: key -> its encoded content
 * values, \001-separated; "~" when no text has the key, as the LEFT JOIN gives). Returns rows or -1. */
static int dump_run_texts(sh_audit_db *db, int64_t ref, sh_buf *out, int format, sh_strmap *memo) {
  sh_strmap local = {0};
  if (!memo) memo = &local;
  sh_vec rows = {0};
  texts_ctx c = {NULL, format, &rows};
  int n = db->each(db, "SELECT r.kind, r.seq, r.path, r.sha256 FROM run_texts r WHERE r.run_id = ? ORDER BY r.kind, r.seq",
                   ref, texts_row, &c);
  for (size_t i = 0; n >= 0 && i + 1 < rows.n; i += 2) {
    const char *pre = rows.v[i], *key = rows.v[i + 1];
    /* the memo is keyed per format: format 1 escaped text values differently */
    char *mk = key ? sh_printf("%d:%s", format, key) : NULL;
    const char *enc = mk ? sh_strmap_get(memo, mk) : "~";
    if (!enc) {
      sh_buf e = {0};
      texts_ctx cc = {&e, format, NULL};
      if (db->each_str(db, "SELECT content FROM texts WHERE sha256 = ?", key, content_row, &cc) < 0) n = -1;
      else {
        if (!e.len) sh_buf_puts(&e, "~");
        sh_strmap_put(memo, mk, sh_buf_steal(&e));
        enc = sh_strmap_get(memo, mk);
      }
      sh_buf_free(&e);
    }
    free(mk);
    if (n < 0) break;
    for (const char *p = enc;;) { /* one line per matching text, as the join gives */
      const char *q = strchr(p, '\001');
      sh_buf_puts(out, pre);
      sh_buf_put(out, p, q ? (size_t)(q - p) : strlen(p));
      sh_buf_putc(out, '\n');
      if (!q) break;
      p = q + 1;
    }
  }
  sh_vec_free_all(&rows, free);
  free_memo(&local);
  return n;
}

static const char *const run_parts[] = {
  "SELECT framework_id, version, sha256, file FROM run_frameworks WHERE run_id = ? ORDER BY framework_id",
  "SELECT kind, path, sha256, status FROM run_inputs WHERE run_id = ? ORDER BY kind, path",
  "SELECT fact_id, value, provenance, origin, line FROM run_facts WHERE run_id = ? ORDER BY fact_id",
  "SELECT framework_id, item_id, seq, strength, verdict, item_group, manual FROM results WHERE run_id = ? ORDER BY seq",
  "SELECT framework_id, item_id, seq, fact_id, condition, required, actual, message FROM reasons WHERE run_id = ?"
  " ORDER BY framework_id, item_id, seq",
  "SELECT framework_id, item_id, witness FROM witnesses WHERE run_id = ? ORDER BY framework_id, item_id, witness",
  "SELECT applicant_name_en, evidence_sha256 FROM run_snapshot WHERE run_id = ?",
  run_texts_sql,
  "SELECT seq, path, title, sha256_declared, sha256_actual, status, issued, valid_until, attests FROM run_documents"
  " WHERE run_id = ? ORDER BY seq",
  "SELECT fact_id, raw, provenance, origin, line, documents, detail FROM run_fact_values WHERE run_id = ? ORDER BY fact_id",
  "SELECT seq, item_id, name_ja, name_en, level, code, purposes, recipients FROM run_data_items WHERE run_id = ?"
  " ORDER BY seq",
  "SELECT seq, message FROM run_findings WHERE run_id = ? ORDER BY seq",
  /* Message keys and arguments (schema 4 / PostgreSQL 2), from which reasons and findings are rendered: a part
   * only when the run has some, so that the content of runs logged before is unchanged. */
  "SELECT framework_id, item_id, seq, msg_key, msg_args FROM reasons WHERE run_id = ? AND msg_key IS NOT NULL"
  " ORDER BY framework_id, item_id, seq",
  "SELECT seq, msg_key, msg_args FROM run_findings WHERE run_id = ? AND msg_key IS NOT NULL ORDER BY seq",
};
/* The first of run_parts that is left out of a run's content when it has no row. */
#define RUN_PARTS_OPTIONAL 12

/* (legacy_line) The state of the runs recorded before the audit log existed, as covered by every format-2 row: audit_meta's
 * legacy_max_run and a digest of those runs' rows. Raising the counter (to pass a forged run off as legacy),
 * deleting audit_meta, or inserting, removing or altering a legacy run changes it. Returns 0 or -1. */
typedef struct {
  sh_buf *meta;
  int n;
  int64_t legacy;
} meta_ctx;

static int meta_row(void *u, const sh_av *v, int ncol) {
  meta_ctx *c = u;
  (void)ncol;
  if (c->n++ == 0 && v[0].type == SH_AV_INT) c->legacy = v[0].i;
  put_value(c->meta, v, 0, 2, NULL);
  sh_buf_putc(c->meta, ' ');
  return 0;
}

static int legacy_line(sh_audit_db *db, sh_buf *out) {
  sh_buf meta = {0};
  meta_ctx mc = {&meta, 0, 0};
  if (db->each(db, "SELECT legacy_max_run FROM audit_meta ORDER BY rowid", 0, meta_row, &mc) < 0) {
    sh_buf_free(&meta);
    return -1;
  }
  sh_buf runs = {0};
  int k = dump(db, "SELECT id, recorded_at, tool_version, applicant_name, applicant_kind, assessment_date,"
                   " evidence_dir, vocabulary, exit_code, must_failing FROM runs WHERE id <= ? ORDER BY id",
               mc.legacy, &runs, 2, NULL);
  if (k < 0) {
    sh_buf_free(&meta);
    sh_buf_free(&runs);
    return -1;
  }
  char hx[65];
  sh_sha256_hex(runs.data ? runs.data : "", runs.len, hx);
  sh_buf_printf(out, "legacy %s%d %s\n", sh_buf_str(&meta), k, hx);
  sh_buf_free(&meta);
  sh_buf_free(&runs);
  return 0;
}

/* Canonical content of a logged row in the given format. legacy: the legacy line (format 2). Returns 0 (content
 * in out), 1 when the row does not exist, -1 on error. */
static int canonical(sh_audit_db *db, const char *kind, int64_t ref, int format, const char *legacy, sh_strmap *memo,
                     sh_buf *out) {
  const char *sql;
  if (strcmp(kind, "run") == 0)
    sql = "SELECT id, recorded_at, tool_version, applicant_name, applicant_kind, assessment_date, evidence_dir,"
          " vocabulary, exit_code, must_failing FROM runs WHERE id = ?";
  else if (strcmp(kind, "review") == 0)
    sql = "SELECT id, run_id, framework_id, item_id, decision, reviewer, role, note, recorded_at FROM reviews"
          " WHERE id = ?";
  else if (strcmp(kind, "waiver") == 0)
    sql = "SELECT id, run_id, framework_id, item_id, approver, justification, scope, expires, recorded_at"
          " FROM waivers WHERE id = ?";
  else if (strcmp(kind, "roster") == 0)
    sql = "SELECT id, reviewer, event, roles, public_key, key_fingerprint, note, recorded_at FROM roster WHERE id = ?";
  else if (strcmp(kind, "revocation") == 0)
    sql = "SELECT id, waiver_id, revoked_by, reason, recorded_at FROM waiver_revocations WHERE id = ?";
  else return 1;
  if (format >= 2) sh_buf_printf(out, "%s%s", FORMAT2, legacy);
  sh_buf_printf(out, "%s\n", kind);
  int n = dump(db, sql, ref, out, format, NULL);
  if (n < 0) return -1;
  if (n == 0) return 1;
  /* Signed decisions and waivers (schema 3): the signed columns follow; rows recorded before have none,
   * so their logged content is unchanged. */
  const char *signed_sql = NULL;
  if (strcmp(kind, "review") == 0)
    signed_sql = "SELECT applicant, fw_version, evidence_fp, basis, signature, roster_seq FROM reviews"
                 " WHERE id = ? AND signature IS NOT NULL";
  else if (strcmp(kind, "waiver") == 0)
    signed_sql = "SELECT applicant, fw_version, evidence_fp, basis, signature, roster_seq FROM waivers"
                 " WHERE id = ? AND signature IS NOT NULL";
  if (signed_sql && dump(db, signed_sql, ref, out, format, NULL) < 0) return -1;
  if (strcmp(kind, "run") == 0) {
    for (size_t i = 0; i < sizeof run_parts / sizeof run_parts[0]; i++) {
      sh_buf part = {0};
      int k = run_parts[i] == run_texts_sql ? dump_run_texts(db, ref, &part, format, memo)
                                            : dump(db, run_parts[i], ref, &part, format, NULL);
      if (k < 0) {
        sh_buf_free(&part);
        return -1;
      }
      if (k == 0 && i >= RUN_PARTS_OPTIONAL) {
        sh_buf_free(&part);
        continue;
      }
      char hx[65];
      sh_sha256_hex(part.data ? part.data : "", part.len, hx);
      sh_buf_printf(out, "part%zu=%s\n", i, hx);
      sh_buf_free(&part);
    }
  }
  return 0;
}

/* Format 1: SHA-256(prev "\n" content), content up to its first NUL. Format 2: every field of the log row,
 * length-prefixed: SHA-256("shinsa-audit/2\n" prev, recorded_at, kind, ref, content). */
static void chain_hash(int format, const char *prev, const char *recorded_at, const char *kind, int64_t ref,
                       const char *content, size_t content_len, char out[65]) {
  sh_buf b = {0};
  if (format >= 2) {
    sh_buf_puts(&b, "shinsa-audit/2\n");
    const char *f[] = {prev, recorded_at, kind};
    for (int i = 0; i < 3; i++) {
      if (!f[i]) sh_buf_puts(&b, "~");
      else sh_buf_printf(&b, "%zu:%s", strlen(f[i]), f[i]);
    }
    sh_buf_printf(&b, "#%lld;%zu:", (long long)ref, content_len);
    sh_buf_put(&b, content, content_len);
  } else {
    sh_buf_printf(&b, "%s\n%s", prev, content);
  }
  sh_sha256_hex(b.data, b.len, out);
  sh_buf_free(&b);
}

typedef struct {
  char prev[65];
  int rows;
  bool bad;
} last_ctx;

static int last_row(void *u, const sh_av *v, int ncol) {
  last_ctx *c = u;
  (void)ncol;
  c->rows++;
  if (v[0].type != SH_AV_TEXT || !v[0].p || !sh_sha256_valid(v[0].p)) c->bad = true;
  else snprintf(c->prev, sizeof c->prev, "%s", v[0].p);
  return 1;
}

int sh_auditlog_append_db(sh_audit_db *db, const char *loc, const char *kind, int64_t ref, const char *recorded_at,
                          sh_diags *d) {
  sh_buf content = {0}, legacy = {0};
  int rc = -1;
  int c = legacy_line(db, &legacy) != 0 ? -1 : canonical(db, kind, ref, 2, sh_buf_str(&legacy), NULL, &content);
  if (c != 0) {
    sh_error_io(d, loc, 0, 0, "database error while logging %s %lld: %s", kind, (long long)ref,
                c < 0 ? db->errmsg(db) : "row not found");
    goto done;
  }
  last_ctx lc = {GENESIS, 0, false};
  if (db->each(db, "SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1", 0, last_row, &lc) < 0) goto dberr;
  if (lc.bad) {
    sh_error(d, loc, 0, 0, "damaged store: the last audit log row has no valid hash (run `shinsa log verify`)");
    goto done;
  }
  char hx[65];
  chain_hash(2, lc.prev, recorded_at, kind, ref, sh_buf_str(&content), content.len, hx);
  if (db->insert(db, recorded_at, kind, ref, sh_buf_str(&content), content.len, lc.prev, hx) != 0) goto dberr;
  rc = 0;
  goto done;
dberr:
  sh_error_io(d, loc, 0, 0, "database error while appending to the audit log: %s", db->errmsg(db));
done:
  sh_buf_free(&content);
  sh_buf_free(&legacy);
  return rc;
}

int sh_auditlog_append(sqlite3 *db, const char *loc, const char *kind, int64_t ref, const char *recorded_at,
                       sh_diags *d) {
  sh_audit_db a;
  sh_auditlog_sqlite_db(&a, db);
  return sh_auditlog_append_db(&a, loc, kind, ref, recorded_at, d);
}

static int found(sh_log_status *st, int64_t seq, char *problem) {
  st->first_bad_seq = seq;
  st->problem = problem;
  return 1;
}

/* Rows of table (with `id`) that no audit row of kind covers. Returns 1 and fills st for the first.
 * table and kind are constants of this file, never user text. */
static int unlogged(sh_audit_db *db, const char *table, const char *kind, int64_t min_id, sh_log_status *st, int *err) {
  char *sql = sh_printf("SELECT id FROM %s WHERE id > ? AND id NOT IN (SELECT ref FROM audit_log WHERE kind = '%s')"
                        " ORDER BY id LIMIT 1", table, kind);
  int64_t id = 0;
  int n = db->each(db, sql, min_id, first_int, &id);
  free(sql);
  if (n < 0) {
    *err = 1;
    return 0;
  }
  if (n == 0) return 0;
  return found(st, 0, sh_printf(_("%s %lld is not in the audit log: it was inserted behind shinsa's back, or its log "
                                "row was removed"), kind, (long long)id));
}

typedef struct {
  sh_audit_db *db;
  sh_log_status *st;
  sh_buf legacy_now;
  sh_strmap memo; /* recorded texts: key -> encoded content (owned strings; dump_run_texts) */
  char prev[65];
  int64_t last;
  int rc, seen_format;
} verify_ctx;

static int verify_row(void *u, const sh_av *v, int ncol) {
  verify_ctx *c = u;
  sh_log_status *st = c->st;
  (void)ncol;
#define TXT(k) (v[k].type == SH_AV_NULL ? NULL : v[k].p)
  int64_t seq = v[0].i;
  const char *kind = TXT(1);
  int64_t ref = v[2].i;
  const char *content = TXT(3);
  size_t clen = content ? v[3].n : 0;
  const char *ph = TXT(4), *h = TXT(5), *at = TXT(6);
#undef TXT
  if (!content) content = "";
  int format = clen >= strlen(FORMAT2) && memcmp(content, FORMAT2, strlen(FORMAT2)) == 0 ? 2 : 1;
  st->rows++;
  int64_t last = c->last;
  if (seq != last + 1)
    return c->rc = found(st, last + 1, sh_printf(_("audit row %lld was removed (the log jumps from row %lld to row %lld)"),
                                                 (long long)(last + 1), (long long)last, (long long)seq));
  if (!ph || strcmp(ph, c->prev) != 0)
    return c->rc = found(st, seq, sh_printf(_("audit row %lld does not chain to row %lld: the previous row was altered "
                                            "or the chain was rewritten"), (long long)seq, (long long)last));
  if (format < c->seen_format)
    return c->rc = found(st, seq, sh_printf(_("audit row %lld is in the old chain format 1 after rows in format 2: it "
                                            "was written or rewritten behind shinsa's back"), (long long)seq));
  c->seen_format = format;
  char hx[65];
  chain_hash(format, c->prev, at, kind, ref, content, clen, hx);
  if (!h || strcmp(h, hx) != 0)
    return c->rc = found(st, seq, sh_printf(_("audit row %lld was altered (its hash does not match its content%s)"),
                                            (long long)seq, format >= 2 ? _(", time, kind or reference") : ""));
  if (format >= 2) {
    const char *ll = content + strlen(FORMAT2);
    size_t lll = c->legacy_now.len;
    if (clen < strlen(FORMAT2) + lll || memcmp(ll, sh_buf_str(&c->legacy_now), lll) != 0)
      return c->rc = found(st, seq, sh_printf(_("audit_meta (the count of runs recorded before the audit log) or a run "
                                              "recorded before the audit log was changed after audit row %lld was "
                                              "written"), (long long)seq));
  }
  sh_buf now = {0};
  int k = canonical(c->db, kind ? kind : "", ref, format, sh_buf_str(&c->legacy_now), &c->memo, &now);
  if (k < 0) c->rc = -1;
  else if (k == 1)
    c->rc = found(st, seq, sh_printf(_("the %s %lld logged in audit row %lld was removed"), kind ? kind : "?",
                                     (long long)ref, (long long)seq));
  else if (now.len != clen || memcmp(sh_buf_str(&now), content, clen) != 0)
    c->rc = found(st, seq, sh_printf(_("the %s %lld logged in audit row %lld was altered after it was recorded"), kind,
                                     (long long)ref, (long long)seq));
  sh_buf_free(&now);
  if (c->rc) return 1;
  snprintf(c->prev, sizeof c->prev, "%s", h);
  c->last = seq;
  return 0;
}

int sh_auditlog_verify_db(sh_audit_db *db, sh_log_status *st) {
  int64_t legacy = 0, legacy_runs = 0;
  if (db->each(db, "SELECT legacy_max_run FROM audit_meta", 0, first_int, &legacy) < 0 ||
      db->each(db, "SELECT count(*) FROM runs WHERE id <= ?", legacy, first_int, &legacy_runs) < 0)
    return -1;
  st->legacy_runs = (size_t)legacy_runs;
  verify_ctx c = {.db = db, .st = st, .prev = GENESIS, .seen_format = 1};
  if (legacy_line(db, &c.legacy_now) != 0) {
    sh_buf_free(&c.legacy_now);
    return -1;
  }
  int n = db->each(db, "SELECT seq, kind, ref, content, prev_hash, hash, recorded_at FROM audit_log ORDER BY seq", 0,
                   verify_row, &c);
  sh_buf_free(&c.legacy_now);
  free_memo(&c.memo);
  int rc = c.rc;
  if (rc == 0 && n < 0) rc = -1;
  if (rc) return rc;
  int64_t last = c.last;
  snprintf(st->head, sizeof st->head, "%s", last ? c.prev : "");
  /* Rows removed from the end of the log: the store remembers the highest sequence handed out. */
  int64_t high = 0;
  if (db->high_water(db, &high) == 0 && high > last)
    return found(st, last + 1, sh_printf(_("audit row %lld was removed (the log ends at row %lld but row %lld was written)"),
                                         (long long)(last + 1), (long long)last, (long long)high));
  int err = 0;
  if ((rc = unlogged(db, "runs", "run", legacy, st, &err)) || err) return err ? -1 : rc;
  if ((rc = unlogged(db, "reviews", "review", 0, st, &err)) || err) return err ? -1 : rc;
  if ((rc = unlogged(db, "waivers", "waiver", 0, st, &err)) || err) return err ? -1 : rc;
  if ((rc = unlogged(db, "roster", "roster", 0, st, &err)) || err) return err ? -1 : rc;
  if ((rc = unlogged(db, "waiver_revocations", "revocation", 0, st, &err)) || err) return err ? -1 : rc;
  return 0;
}

int sh_auditlog_verify(sqlite3 *db, const char *loc, sh_log_status *st, sh_diags *d) {
  memset(st, 0, sizeof *st);
  if (sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) {
    sh_error_io(d, loc, 0, 0, "database error while verifying the audit log: %s", sqlite3_errmsg(db));
    return -1;
  }
  sh_audit_db a;
  sh_auditlog_sqlite_db(&a, db);
  int rc = sh_auditlog_verify_db(&a, st);
  if (rc < 0) sh_error_io(d, loc, 0, 0, "database error while verifying the audit log: %s", sqlite3_errmsg(db));
  sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
  return rc;
}
