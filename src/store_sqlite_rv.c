/* store_sqlite_rv: the SQLite side of the review workflow: run snapshots written with each run,
 * reviews and waivers (one transaction each, logged in the audit chain), rebuilding a recorded run,
 * and audit log verification. See store_sqlite_rv.h. */
#include "store_sqlite_rv.h"

#include "overlay.h"
#include "i18n.h"

#include "store_col.h"

#include "auditlog.h"
#include "clock.h"
#include "hash.h"
#include "review.h"
#include "snapshot.h"

#include <signal.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BT(st, i, v) sqlite3_bind_text((st), (i), (v), -1, SQLITE_TRANSIENT)

static sqlite3 *db_of(sh_store *s) { return sh_store_sqlite_handle(s); }

static void now_iso(char buf[32]) { sh_now_iso(buf); }

static int dberr(sh_store *s, sh_diags *d, const char *what) {
  sh_error_io(d, s->location, 0, 0, "database error while %s: %s", _(what), sqlite3_errmsg(db_of(s)));
  return -1;
}

static int prep(sh_store *s, const char *sql, sqlite3_stmt **st, sh_diags *d) {
  if (sqlite3_prepare_v2(db_of(s), sql, -1, st, NULL) != SQLITE_OK) return dberr(s, d, N_("preparing a statement"));
  return 0;
}

static int step_done(sh_store *s, sqlite3_stmt *st, sh_diags *d, const char *what) {
  int rc = sqlite3_step(st);
  sqlite3_reset(st);
  sqlite3_clear_bindings(st);
  return rc == SQLITE_DONE ? 0 : dberr(s, d, what);
}


/* Test hook: SHINSA_FAULT=kill-before-commit kills the process after every row of a write is in
 * place but before COMMIT (what a crash or `kill -9` mid-write does). */
static void fault_point(void) {
  const char *f = getenv("SHINSA_FAULT");
  if (f && strcmp(f, "kill-before-commit") == 0) raise(SIGKILL);
}

/* ---------- snapshot rows, written inside record_run's transaction ---------- */

static char *join_facts(const sh_vec *facts) {
  sh_buf b = {0};
  for (size_t i = 0; i < facts->n; i++) sh_buf_printf(&b, "%s%s", i ? "\n" : "", ((const sh_fact *)facts->v[i])->id);
  return sh_buf_steal(&b);
}

/* Stores a file's text (content-addressed) and names it in run_texts by name (read from path). */
static int save_text(sh_store *s, int64_t run_id, const char *kind, int seq, const char *path, const char *name,
                     const char *text, size_t text_len, const char *expect_sha, sh_diags *d) {
  char *data, hx[65];
  size_t len;
  if (sh_store_input_text(path, text, text_len, expect_sha, &data, &len, hx, d) != 0) return -1;
  sqlite3_stmt *a = NULL, *b = NULL;
  int rc = -1;
  if (prep(s, "INSERT OR IGNORE INTO texts VALUES (?,?)", &a, d) ||
      prep(s, "INSERT INTO run_texts VALUES (?,?,?,?,?)", &b, d))
    goto done;
  BT(a, 1, hx);
  sqlite3_bind_blob(a, 2, data, (int)len, SQLITE_TRANSIENT);
  if (step_done(s, a, d, N_("recording input texts"))) goto done;
  sqlite3_bind_int64(b, 1, run_id);
  BT(b, 2, kind);
  sqlite3_bind_int(b, 3, seq);
  BT(b, 4, name);
  BT(b, 5, hx);
  if (step_done(s, b, d, N_("recording input texts"))) goto done;
  rc = 0;
done:
  sqlite3_finalize(a);
  sqlite3_finalize(b);
  free(data);
  return rc;
}

int sh_sqlite_rv_run_recorded(sh_store *s, int64_t run_id, const sh_evaluation *e, const sh_vocab *vocab,
                              const char *data_dir, sh_diags *d) {
  const sh_evidence *ev = e->evidence;
  if (!vocab) vocab = ev->vocab;
  sqlite3_stmt *st[5] = {0};
  int rc = -1;
  if (prep(s, "INSERT INTO run_snapshot VALUES (?,?,?)", &st[0], d) ||
      prep(s, "INSERT INTO run_documents VALUES (?,?,?,?,?,?,?,?,?,?)", &st[1], d) ||
      prep(s, "INSERT INTO run_fact_values VALUES (?,?,?,?,?,?,?,?)", &st[2], d) ||
      prep(s, "INSERT INTO run_data_items VALUES (?,?,?,?,?,?,?,?,?)", &st[3], d) ||
      prep(s, "INSERT INTO run_findings (run_id, seq, message, msg_key, msg_args) VALUES (?,?,?,?,?)", &st[4], d))
    goto done;
  sqlite3_bind_int64(st[0], 1, run_id);
  if (ev->applicant_name_en) BT(st[0], 2, ev->applicant_name_en);
  BT(st[0], 3, ev->sha256);
  if (step_done(s, st[0], d, N_("recording the run snapshot"))) goto done;
  for (size_t i = 0; vocab && i < vocab->files.n; i++)
    if (save_text(s, run_id, "vocabulary", (int)i, vocab->files.v[i], sh_store_rel_name(vocab->files.v[i], data_dir),
                  i < vocab->texts.n ? ((const sh_buf *)vocab->texts.v[i])->data : NULL,
                  i < vocab->texts.n ? ((const sh_buf *)vocab->texts.v[i])->len : 0, NULL, d))
      goto done;
  for (size_t i = 0; i < e->frameworks.n; i++) {
    const sh_framework *fw = e->frameworks.v[i];
    if (save_text(s, run_id, "framework", (int)i, fw->file, sh_store_rel_name(fw->file, data_dir), fw->text,
                  fw->text_len, fw->sha256, d))
      goto done;
  }
  int nov = 0; /* the overlays applied to the run's frameworks, in order (re-applied by snapshots) */
  for (size_t i = 0; i < e->frameworks.n; i++) {
    const sh_framework *fw = e->frameworks.v[i];
    for (size_t k = 0; k < fw->overlays.n; k++) {
      const sh_overlay *ov = fw->overlays.v[k];
      if (ov->text && save_text(s, run_id, "overlay", nov++, ov->file, sh_store_rel_name(ov->file, data_dir), ov->text,
                                ov->text_len, NULL, d))
        goto done;
    }
  }
  size_t alen = 0;
  char *atext = sh_snapshot_answers_text(e, &alen);
  int arc = atext ? save_text(s, run_id, SH_SNAP_ANSWERS_KIND, 0, SH_SNAP_ANSWERS_PATH, SH_SNAP_ANSWERS_PATH, atext,
                              alen, NULL, d)
                  : 0;
  free(atext);
  if (arc) goto done;
  for (size_t i = 0; i < ev->documents.n; i++) {
    const sh_document *dc = ev->documents.v[i];
    char di[11], dv[11];
    char *att = join_facts(&dc->attests);
    sqlite3_bind_int64(st[1], 1, run_id);
    sqlite3_bind_int(st[1], 2, (int)i);
    BT(st[1], 3, dc->path);
    if (dc->title) BT(st[1], 4, dc->title);
    BT(st[1], 5, dc->sha256_declared);
    if (dc->sha256_actual[0]) BT(st[1], 6, dc->sha256_actual);
    BT(st[1], 7, sh_doc_status_name(dc->status));
    if (dc->has_issued) sh_date_format(dc->issued, di), BT(st[1], 8, di);
    if (dc->has_valid_until) sh_date_format(dc->valid_until, dv), BT(st[1], 9, dv);
    BT(st[1], 10, att);
    free(att);
    if (step_done(s, st[1], d, N_("recording documents"))) goto done;
  }
  for (size_t i = 0; i < ev->nvalues; i++) {
    const sh_fact_value *fv = ev->values[i];
    if (!fv) continue;
    char *raw = sh_value_raw(fv->fact, &fv->value);
    sh_buf docs = {0};
    for (size_t k = 0; k < fv->documents.n; k++)
      sh_buf_printf(&docs, "%s%s", k ? "\n" : "", ((const sh_document *)fv->documents.v[k])->path);
    sqlite3_bind_int64(st[2], 1, run_id);
    BT(st[2], 2, fv->fact->id);
    BT(st[2], 3, raw);
    BT(st[2], 4, sh_prov_name(fv->prov));
    if (fv->origin) BT(st[2], 5, fv->origin);
    if (fv->line > 0) sqlite3_bind_int(st[2], 6, fv->line);
    BT(st[2], 7, sh_buf_str(&docs));
    if (fv->detail) BT(st[2], 8, fv->detail);
    free(raw);
    sh_buf_free(&docs);
    if (step_done(s, st[2], d, N_("recording fact values"))) goto done;
  }
  for (size_t i = 0; i < ev->data_items.n; i++) {
    const sh_data_item *di = ev->data_items.v[i];
    char *pu = sh_store_join_lines(&di->purposes), *re = sh_store_join_lines(&di->recipients);
    sqlite3_bind_int64(st[3], 1, run_id);
    sqlite3_bind_int(st[3], 2, (int)i);
    BT(st[3], 3, di->id);
    if (di->name.ja) BT(st[3], 4, di->name.ja);
    if (di->name.en) BT(st[3], 5, di->name.en);
    sqlite3_bind_int(st[3], 6, di->level);
    if (di->code) BT(st[3], 7, di->code);
    BT(st[3], 8, pu);
    BT(st[3], 9, re);
    free(pu);
    free(re);
    if (step_done(s, st[3], d, N_("recording data items"))) goto done;
  }
  for (size_t i = 0; i < e->findings.n; i++) {
    sqlite3_bind_int64(st[4], 1, run_id);
    sqlite3_bind_int(st[4], 2, (int)i);
    const sh_reason *fi = e->findings.v[i];
    char *args = sh_snapshot_reason_args(fi);
    BT(st[4], 3, fi->message);
    if (fi->key) BT(st[4], 4, fi->key);
    if (args) BT(st[4], 5, args);
    free(args);
    if (step_done(s, st[4], d, N_("recording findings"))) goto done;
  }
  char now[32];
  now_iso(now);
  if (sh_auditlog_append(db_of(s), s->location, "run", run_id, now, d)) goto done;
  fault_point();
  rc = 0;
done:
  for (size_t i = 0; i < sizeof st / sizeof st[0]; i++) sqlite3_finalize(st[i]);
  return rc;
}

/* ---------- reviews and waivers ---------- */

/* Inside a write transaction: the run and item exist. */
static int check_item(sh_store *s, int64_t run_id, const char *fw, const char *item, sh_diags *d) {
  sqlite3_stmt *st;
  if (prep(s, "SELECT (SELECT count(*) FROM runs WHERE id = ?1),"
              " (SELECT count(*) FROM results WHERE run_id = ?1 AND framework_id = ?2 AND item_id = ?3)", &st, d))
    return -1;
  sqlite3_bind_int64(st, 1, run_id);
  BT(st, 2, fw);
  BT(st, 3, item);
  int rc = -1;
  if (sqlite3_step(st) != SQLITE_ROW) dberr(s, d, N_("looking up the item"));
  else if (sqlite3_column_int(st, 0) == 0) sh_error_io(d, s->location, 0, 0, "no run %lld in this database", (long long)run_id);
  else if (sqlite3_column_int(st, 1) == 0)
    sh_error_io(d, s->location, 0, 0, "run %lld has no item %s:%s (see 'shinsa report %lld')", (long long)run_id, fw, item,
             (long long)run_id);
  else rc = 0;
  sqlite3_finalize(st);
  return rc;
}

int sh_sqlite_rv_begin(sh_store *s, sh_diags *d) {
  if (sqlite3_exec(db_of(s), "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
    return dberr(s, d, N_("starting a write transaction"));
  return 0;
}

int sh_sqlite_rv_finish(sh_store *s, int rc, sh_diags *d) {
  if (rc == 0) {
    fault_point();
    if (sqlite3_exec(db_of(s), "COMMIT", NULL, NULL, NULL) == SQLITE_OK) return 0;
    dberr(s, d, N_("committing"));
  }
  sqlite3_exec(db_of(s), "ROLLBACK", NULL, NULL, NULL);
  return -1;
}

int sh_sqlite_rv_record_review(sh_store *s, const sh_review *r, int64_t *out_id, sh_diags *d) {
  if (sh_sqlite_rv_begin(s, d)) return -1;
  int rc = check_item(s, r->run_id, r->framework_id, r->item_id, d);
  sqlite3_stmt *st = NULL;
  char now[32];
  if (r->recorded_at) snprintf(now, sizeof now, "%s", r->recorded_at);
  else now_iso(now);
  if (rc == 0 && (rc = prep(s, "INSERT INTO reviews (run_id, framework_id, item_id, decision, reviewer, role, note,"
                               " recorded_at, applicant, fw_version, evidence_fp, basis, signature, roster_seq)"
                               " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,(SELECT coalesce(max(id), 0) FROM roster))",
                            &st, d)) == 0) {
    BT(st, 9, r->applicant);
    BT(st, 10, r->fw_version);
    BT(st, 11, r->evidence_fp);
    BT(st, 12, r->basis);
    BT(st, 13, r->signature);
    sqlite3_bind_int64(st, 1, r->run_id);
    BT(st, 2, r->framework_id);
    BT(st, 3, r->item_id);
    BT(st, 4, sh_decision_name(r->decision));
    BT(st, 5, r->reviewer);
    BT(st, 6, r->role);
    BT(st, 7, r->note ? r->note : "");
    BT(st, 8, now);
    rc = step_done(s, st, d, N_("recording the review"));
  }
  sqlite3_finalize(st);
  int64_t id = sqlite3_last_insert_rowid(db_of(s));
  if (rc == 0) rc = sh_auditlog_append(db_of(s), s->location, "review", id, now, d);
  if (sh_sqlite_rv_finish(s, rc, d)) return -1;
  *out_id = id;
  return 0;
}

int sh_sqlite_rv_record_waiver(sh_store *s, const sh_waiver *w, int64_t *out_id, sh_diags *d) {
  if (sh_sqlite_rv_begin(s, d)) return -1;
  int rc = check_item(s, w->run_id, w->framework_id, w->item_id, d);
  sqlite3_stmt *st = NULL;
  char now[32];
  if (w->recorded_at) snprintf(now, sizeof now, "%s", w->recorded_at);
  else now_iso(now);
  if (rc == 0 && (rc = prep(s, "INSERT INTO waivers (run_id, framework_id, item_id, approver, justification, scope,"
                               " expires, recorded_at, applicant, fw_version, evidence_fp, basis, signature, roster_seq)"
                               " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,(SELECT coalesce(max(id), 0) FROM roster))",
                            &st, d)) == 0) {
    BT(st, 9, w->applicant);
    BT(st, 10, w->fw_version);
    BT(st, 11, w->evidence_fp);
    BT(st, 12, w->basis);
    BT(st, 13, w->signature);
    sqlite3_bind_int64(st, 1, w->run_id);
    BT(st, 2, w->framework_id);
    BT(st, 3, w->item_id);
    BT(st, 4, w->approver);
    BT(st, 5, w->justification);
    BT(st, 6, w->scope);
    BT(st, 7, w->expires);
    BT(st, 8, now);
    rc = step_done(s, st, d, N_("recording the waiver"));
  }
  sqlite3_finalize(st);
  int64_t id = sqlite3_last_insert_rowid(db_of(s));
  if (rc == 0) rc = sh_auditlog_append(db_of(s), s->location, "waiver", id, now, d);
  if (sh_sqlite_rv_finish(s, rc, d)) return -1;
  *out_id = id;
  return 0;
}

static char *dup_or_null(sh_colchk *k, sqlite3_stmt *st, int c) { return sh_strdup(sh_col_text_opt(k, st, c)); }

#define REVIEW_COLS                                                                                            \
  "SELECT v.id, v.run_id, v.framework_id, v.item_id, v.decision, v.reviewer, v.role, v.note, v.recorded_at,"   \
  " v.applicant, v.fw_version, v.evidence_fp, v.basis, v.signature, v.roster_seq FROM reviews v"
#define WAIVER_COLS                                                                                            \
  "SELECT v.id, v.run_id, v.framework_id, v.item_id, v.approver, v.justification, v.scope, v.expires,"        \
  " v.recorded_at, v.applicant, v.fw_version, v.evidence_fp, v.basis, v.signature, v.roster_seq,"             \
  " x.recorded_at, x.revoked_by, x.reason FROM waivers v LEFT JOIN waiver_revocations x ON x.waiver_id = v.id"
/* Runs of the same applicant up to run ?1 (carry-forward). */
#define SAME_APPLICANT                                                                                         \
  " WHERE v.run_id IN (SELECT id FROM runs WHERE id <= ?1 AND applicant_name ="                                \
  " (SELECT applicant_name FROM runs WHERE id = ?1)) ORDER BY v.id"

static int list_reviews(sh_store *s, const char *sql, int64_t run_id, sh_vec *out, sh_diags *d) {
  sqlite3_stmt *st;
  if (prep(s, sql, &st, d)) return -1;
  if (run_id >= 0) sqlite3_bind_int64(st, 1, run_id);
  int step;
  sh_colchk k = {0};
  while ((step = sqlite3_step(st)) == SQLITE_ROW) {
    sh_review *r = sh_calloc(1, sizeof *r);
    r->id = sh_col_int(&k, st, 0);
    r->run_id = sh_col_int(&k, st, 1);
    r->framework_id = sh_strdup(sh_col_text(&k, st, 2));
    r->item_id = sh_strdup(sh_col_text(&k, st, 3));
    if (!sh_decision_parse(sh_col_text(&k, st, 4), &r->decision)) {
      sh_col_damage(&k, st, 4, N_("an unknown decision"));
      r->decision = SH_DEC_REQUEST_MORE;
    }
    r->reviewer = sh_strdup(sh_col_text(&k, st, 5));
    r->role = sh_strdup(sh_col_text(&k, st, 6));
    r->note = sh_strdup(sh_col_text(&k, st, 7));
    r->recorded_at = sh_strdup(sh_col_text(&k, st, 8));
    r->applicant = dup_or_null(&k, st, 9);
    r->fw_version = dup_or_null(&k, st, 10);
    r->evidence_fp = dup_or_null(&k, st, 11);
    r->basis = dup_or_null(&k, st, 12);
    r->signature = dup_or_null(&k, st, 13);
    r->roster_seq = sh_col_int_opt(&k, st, 14);
    sh_vec_push(out, r);
  }
  sqlite3_finalize(st);
  if (step != SQLITE_DONE) return dberr(s, d, N_("listing reviews"));
  return sh_colchk_report(&k, s->location, N_("listing reviews"), d);
}

static int list_waivers(sh_store *s, const char *sql, int64_t run_id, sh_vec *out, sh_diags *d) {
  sqlite3_stmt *st;
  if (prep(s, sql, &st, d)) return -1;
  if (run_id >= 0) sqlite3_bind_int64(st, 1, run_id);
  int step;
  sh_colchk k = {0};
  while ((step = sqlite3_step(st)) == SQLITE_ROW) {
    sh_waiver *w = sh_calloc(1, sizeof *w);
    w->id = sh_col_int(&k, st, 0);
    w->run_id = sh_col_int(&k, st, 1);
    w->framework_id = sh_strdup(sh_col_text(&k, st, 2));
    w->item_id = sh_strdup(sh_col_text(&k, st, 3));
    w->approver = sh_strdup(sh_col_text(&k, st, 4));
    w->justification = sh_strdup(sh_col_text(&k, st, 5));
    w->scope = sh_strdup(sh_col_text(&k, st, 6));
    w->expires = sh_strdup(sh_col_text(&k, st, 7));
    w->recorded_at = sh_strdup(sh_col_text(&k, st, 8));
    w->applicant = dup_or_null(&k, st, 9);
    w->fw_version = dup_or_null(&k, st, 10);
    w->evidence_fp = dup_or_null(&k, st, 11);
    w->basis = dup_or_null(&k, st, 12);
    w->signature = dup_or_null(&k, st, 13);
    w->roster_seq = sh_col_int_opt(&k, st, 14);
    w->revoked_at = dup_or_null(&k, st, 15);
    w->revoked_by = dup_or_null(&k, st, 16);
    w->revoke_reason = dup_or_null(&k, st, 17);
    sh_vec_push(out, w);
  }
  sqlite3_finalize(st);
  if (step != SQLITE_DONE) return dberr(s, d, N_("listing waivers"));
  return sh_colchk_report(&k, s->location, N_("listing waivers"), d);
}

int sh_sqlite_rv_list_reviews(sh_store *s, int64_t run_id, sh_vec *out, sh_diags *d) {
  return list_reviews(s, REVIEW_COLS " WHERE v.run_id = ?1 ORDER BY v.id", run_id, out, d);
}

int sh_sqlite_rv_list_waivers(sh_store *s, int64_t run_id, sh_vec *out, sh_diags *d) {
  return list_waivers(s, WAIVER_COLS " WHERE v.run_id = ?1 ORDER BY v.id", run_id, out, d);
}

int sh_sqlite_rv_list_reviews_carry(sh_store *s, int64_t run_id, sh_vec *out, sh_diags *d) {
  return list_reviews(s, REVIEW_COLS SAME_APPLICANT, run_id, out, d);
}

int sh_sqlite_rv_list_waivers_carry(sh_store *s, int64_t run_id, sh_vec *out, sh_diags *d) {
  return list_waivers(s, WAIVER_COLS SAME_APPLICANT, run_id, out, d);
}

int sh_sqlite_rv_list_all_reviews(sh_store *s, sh_vec *out, sh_diags *d) {
  return list_reviews(s, REVIEW_COLS " ORDER BY v.id", -1, out, d);
}

int sh_sqlite_rv_list_all_waivers(sh_store *s, sh_vec *out, sh_diags *d) {
  return list_waivers(s, WAIVER_COLS " ORDER BY v.id", -1, out, d);
}

/* ---------- rebuilding a run ---------- */

static int load_texts(sh_store *s, int64_t run_id, const char *kind, sh_vec *out, sh_diags *d) {
  sqlite3_stmt *st;
  if (prep(s, "SELECT r.path, r.sha256, t.content FROM run_texts r LEFT JOIN texts t ON t.sha256 = r.sha256"
              " WHERE r.run_id = ? AND r.kind = ? ORDER BY r.seq", &st, d))
    return -1;
  sqlite3_bind_int64(st, 1, run_id);
  BT(st, 2, kind);
  int step, rc = 0;
  sh_colchk k = {0};
  while ((step = sqlite3_step(st)) == SQLITE_ROW) {
    const char *path = sh_col_text(&k, st, 0), *sha = sh_col_text(&k, st, 1);
    if (k.bad) break;
    const void *blob = sqlite3_column_blob(st, 2);
    size_t len = (size_t)sqlite3_column_bytes(st, 2);
    char hx[65];
    sh_sha256_hex(blob ? blob : "", len, hx);
    if (!blob && len == 0 && sqlite3_column_type(st, 2) == SQLITE_NULL) {
      sh_error_io(d, s->location, 0, 0, "run %lld: the recorded text of %s is missing (see 'shinsa log verify')",
               (long long)run_id, path);
      rc = -1;
      break;
    }
    if (strcmp(hx, sha) != 0) {
      sh_error_io(d, s->location, 0, 0, "run %lld: the recorded text of %s was altered (see 'shinsa log verify')",
               (long long)run_id, path);
      rc = -1;
      break;
    }
    sh_snap_text *t = sh_calloc(1, sizeof *t);
    t->path = sh_strdup(path);
    t->content = sh_malloc(len + 1);
    memcpy(t->content, blob ? blob : "", len);
    t->content[len] = 0;
    t->len = len;
    sh_vec_push(out, t);
  }
  if (rc == 0 && sh_colchk_report(&k, s->location, N_("reading recorded texts"), d)) rc = -1;
  else if (rc == 0 && step != SQLITE_DONE) rc = dberr(s, d, N_("reading recorded texts"));
  sqlite3_finalize(st);
  return rc;
}

static const sh_framework *snap_fw(const sh_run_snapshot *snap, const char *id) {
  for (size_t i = 0; i < snap->frameworks.n; i++)
    if (strcmp(((const sh_framework *)snap->frameworks.v[i])->id, id) == 0) return snap->frameworks.v[i];
  return NULL;
}

static int rebuild(sh_store *s, sh_run_snapshot *snap, sh_diags *d) {
  int64_t id = snap->run_id;
  sh_evidence *ev = snap->evidence;
  sqlite3_stmt *st = NULL, *rs = NULL, *ws = NULL;
  int rc = -1;
  const char *what = N_("reading the run");
  sh_colchk k = {0};
  /* documents */
  if (prep(s, "SELECT path, title, sha256_declared, sha256_actual, status, issued, valid_until, attests"
              " FROM run_documents WHERE run_id = ? ORDER BY seq", &st, d))
    return -1;
  sqlite3_bind_int64(st, 1, id);
  while (sqlite3_step(st) == SQLITE_ROW) {
    sh_document *dc = sh_calloc(1, sizeof *dc);
    dc->path = sh_strdup(sh_col_text(&k, st, 0));
    dc->title = sh_strdup(sh_col_text_opt(&k, st, 1));
    const char *t;
    snprintf(dc->sha256_declared, sizeof dc->sha256_declared, "%s", sh_col_text(&k, st, 2));
    snprintf(dc->sha256_actual, sizeof dc->sha256_actual, "%s", (t = sh_col_text_opt(&k, st, 3)) ? t : "");
    if (!sh_doc_status_parse(sh_col_text(&k, st, 4), &dc->status)) dc->status = SH_DOC_UNREADABLE;
    dc->has_issued = (t = sh_col_text_opt(&k, st, 5)) && sh_date_parse(t, &dc->issued);
    dc->has_valid_until = (t = sh_col_text_opt(&k, st, 6)) && sh_date_parse(t, &dc->valid_until);
    sh_vec ids = {0};
    sh_store_split_lines(sh_col_text(&k, st, 7), &ids);
    for (size_t j = 0; j < ids.n; j++) {
      const sh_fact *f = sh_vocab_find(snap->vocab, ids.v[j]);
      if (f) sh_vec_push(&dc->attests, (void *)f);
    }
    sh_vec_free_all(&ids, free);
    sh_vec_push(&ev->documents, dc);
  }
  sqlite3_finalize(st);
  /* fact values */
  if (prep(s, "SELECT fact_id, raw, provenance, origin, line, documents, detail FROM run_fact_values"
              " WHERE run_id = ? ORDER BY fact_id", &st, d))
    return -1;
  sqlite3_bind_int64(st, 1, id);
  while (sqlite3_step(st) == SQLITE_ROW) {
    const char *fid = sh_col_text(&k, st, 0), *raw = sh_col_text(&k, st, 1), *pv = sh_col_text(&k, st, 2);
    const char *origin = sh_col_text_opt(&k, st, 3), *docs = sh_col_text(&k, st, 5), *detail = sh_col_text_opt(&k, st, 6);
    int line = (int)sh_col_int_opt(&k, st, 4);
    if (k.bad) goto damaged;
    const sh_fact *f = sh_vocab_find(snap->vocab, fid);
    sh_value v;
    const char *err = NULL;
    sh_prov prov;
    if (!f || !sh_value_from_string(f, raw, &v, &err) || !sh_prov_parse(pv, &prov)) {
      if (err)
        sh_error_io(d, s->location, 0, 0, "run %lld: recorded value of %s cannot be read back: %s", (long long)id, fid,
                    _(err));
      else
        sh_error_io(d, s->location, 0, 0, "run %lld: recorded value of %s cannot be read back", (long long)id, fid);
      goto done;
    }
    sh_fact_value *fv = sh_evidence_set(ev, f, &v, prov, origin, line, 0);
    sh_value_clear(&v);
    sh_vec paths = {0};
    sh_store_split_lines(docs, &paths);
    for (size_t j = 0; j < paths.n; j++)
      for (size_t m = 0; m < ev->documents.n; m++)
        if (strcmp(((sh_document *)ev->documents.v[m])->path, paths.v[j]) == 0) sh_vec_push(&fv->documents, ev->documents.v[m]);
    sh_vec_free_all(&paths, free);
    if (detail) fv->detail = sh_strdup(detail);
  }
  sqlite3_finalize(st);
  /* data items */
  if (prep(s, "SELECT item_id, name_ja, name_en, level, code, purposes, recipients FROM run_data_items"
              " WHERE run_id = ? ORDER BY seq", &st, d))
    return -1;
  sqlite3_bind_int64(st, 1, id);
  while (sqlite3_step(st) == SQLITE_ROW) {
    sh_data_item *di = sh_calloc(1, sizeof *di);
    di->id = sh_strdup(sh_col_text(&k, st, 0));
    di->name.ja = sh_strdup(sh_col_text_opt(&k, st, 1));
    di->name.en = sh_strdup(sh_col_text_opt(&k, st, 2));
    di->level = (int)sh_col_int(&k, st, 3);
    di->code = sh_strdup(sh_col_text_opt(&k, st, 4));
    sh_store_split_lines(sh_col_text(&k, st, 5), &di->purposes);
    sh_store_split_lines(sh_col_text(&k, st, 6), &di->recipients);
    sh_vec_push(&ev->data_items, di);
  }
  sqlite3_finalize(st);
  /* the evaluation */
  sh_evaluation *e = snap->eval = sh_calloc(1, sizeof *e);
  e->evidence = ev;
  for (size_t i = 0; i < snap->frameworks.n; i++) sh_vec_push(&e->frameworks, snap->frameworks.v[i]);
  if (prep(s, "SELECT message, msg_key, msg_args FROM run_findings WHERE run_id = ? ORDER BY seq", &st, d)) return -1;
  sqlite3_bind_int64(st, 1, id);
  while (sqlite3_step(st) == SQLITE_ROW) {
    sh_reason *fi = sh_snapshot_reason(NULL, sh_col_text_opt(&k, st, 1), sh_col_text_opt(&k, st, 2),
                                       sh_col_text(&k, st, 0));
    if (!fi) {
      sqlite3_finalize(st);
      sh_error_io(d, s->location, 0, 0, "run %lld: a recorded finding's arguments do not read back", (long long)id);
      return -1;
    }
    sh_vec_push(&e->findings, fi);
  }
  sqlite3_finalize(st);
  if (prep(s, "SELECT framework_id, item_id, verdict FROM results WHERE run_id = ? ORDER BY seq", &st, d) ||
      prep(s, "SELECT fact_id, condition, required, actual, message, msg_key, msg_args FROM reasons WHERE run_id = ? AND framework_id = ?"
              " AND item_id = ? ORDER BY seq", &rs, d) ||
      prep(s, "SELECT witness FROM witnesses WHERE run_id = ? AND framework_id = ? AND item_id = ? ORDER BY witness",
           &ws, d))
    goto done;
  sqlite3_bind_int64(st, 1, id);
  int step;
  while ((step = sqlite3_step(st)) == SQLITE_ROW) {
    const char *fwid = sh_col_text(&k, st, 0), *itid = sh_col_text(&k, st, 1), *vd = sh_col_text(&k, st, 2);
    if (k.bad) goto damaged;
    const sh_framework *fw = snap_fw(snap, fwid);
    const sh_item *it = fw ? sh_framework_item(fw, itid) : NULL;
    sh_verdict v;
    if (!it || !sh_verdict_parse(vd, &v)) {
      sh_error_io(d, s->location, 0, 0, "run %lld: result %s:%s does not match the recorded framework text",
               (long long)id, fwid, itid);
      goto done;
    }
    sh_result *r = sh_calloc(1, sizeof *r);
    r->item = it;
    r->verdict = v;
    sh_vec_push(&e->results, r);
    sqlite3_bind_int64(rs, 1, id);
    BT(rs, 2, fwid);
    BT(rs, 3, itid);
    while (sqlite3_step(rs) == SQLITE_ROW) {
      const char *fid = sh_col_text_opt(&k, rs, 0);
      const sh_fact *f = fid ? sh_vocab_find(snap->vocab, fid) : NULL;
      sh_reason *re = sh_snapshot_reason(f, sh_col_text_opt(&k, rs, 5), sh_col_text_opt(&k, rs, 6),
                                         sh_col_text(&k, rs, 4));
      if (!re) {
        sh_error_io(d, s->location, 0, 0, "run %lld: a recorded reason of %s:%s has arguments that do not read back",
                    (long long)id, fwid, itid);
        goto done;
      }
      re->condition = sh_strdup(sh_col_text_opt(&k, rs, 1));
      re->required = sh_strdup(sh_col_text_opt(&k, rs, 2));
      re->actual = sh_strdup(sh_col_text_opt(&k, rs, 3));
      sh_vec_push(&r->reasons, re);
    }
    sqlite3_reset(rs);
    sqlite3_bind_int64(ws, 1, id);
    BT(ws, 2, fwid);
    BT(ws, 3, itid);
    while (sqlite3_step(ws) == SQLITE_ROW) sh_vec_push(&r->witnesses, sh_strdup(sh_col_text(&k, ws, 0)));
    sqlite3_reset(ws);
    sh_snapshot_result_facts(ev, r);
  }
  if (step != SQLITE_DONE) {
    dberr(s, d, what);
    goto done;
  }
  if (k.bad) goto damaged;
  sh_evaluation_recount(e);
  rc = 0;
  goto done;
damaged:
  sh_colchk_report(&k, s->location, what, d);
done:
  sqlite3_finalize(st);
  sqlite3_finalize(rs);
  sqlite3_finalize(ws);
  return rc;
}

sh_run_snapshot *sh_sqlite_rv_load_run(sh_store *s, int64_t run_id, sh_diags *d) {
  sqlite3 *db = db_of(s);
  if (sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) {
    dberr(s, d, N_("reading the run"));
    return NULL;
  }
  sh_run_snapshot *snap = NULL;
  sqlite3_stmt *st = NULL;
  sh_vec vt = {0}, ft = {0}, ot = {0}, at = {0};
  if (prep(s, "SELECT r.recorded_at, r.tool_version, r.applicant_name, r.applicant_kind, r.assessment_date,"
              " r.evidence_dir, r.exit_code, sn.applicant_name_en, sn.evidence_sha256, sn.run_id,"
              " (SELECT path FROM run_inputs WHERE run_id = r.id AND kind = 'evidence')"
              " FROM runs r LEFT JOIN run_snapshot sn ON sn.run_id = r.id WHERE r.id = ?", &st, d))
    goto fail;
  sqlite3_bind_int64(st, 1, run_id);
  int step = sqlite3_step(st);
  if (step == SQLITE_DONE) {
    sh_error_io(d, s->location, 0, 0, "no run %lld in this database (see 'shinsa history')", (long long)run_id);
    goto fail;
  }
  if (step != SQLITE_ROW) {
    dberr(s, d, N_("reading the run"));
    goto fail;
  }
  if (sqlite3_column_type(st, 9) == SQLITE_NULL) {
    sh_error_io(d, s->location, 0, 0, "run %lld was recorded before run snapshots existed (schema 1): it cannot be "
             "re-rendered; check the evidence again", (long long)run_id);
    goto fail;
  }
  snap = sh_calloc(1, sizeof *snap);
  snap->run_id = run_id;
  sh_colchk k = {0};
  snap->recorded_at = sh_strdup(sh_col_text(&k, st, 0));
  snap->tool_version = sh_strdup(sh_col_text(&k, st, 1));
  snap->exit_code = (int)sh_col_int(&k, st, 6);
  const char *c_name = sh_col_text(&k, st, 2), *c_kind = sh_col_text_opt(&k, st, 3), *c_date = sh_col_text(&k, st, 4);
  const char *c_dir = sh_col_text(&k, st, 5), *c_en = sh_col_text_opt(&k, st, 7), *c_sha = sh_col_text(&k, st, 8);
  const char *c_file = sh_col_text_opt(&k, st, 10);
  if (sh_colchk_report(&k, s->location, N_("reading the run"), d)) goto fail;
  if (load_texts(s, run_id, "vocabulary", &vt, d) || load_texts(s, run_id, "framework", &ft, d) ||
      load_texts(s, run_id, "overlay", &ot, d) || sh_snapshot_load_texts(snap, &vt, &ft, &ot, d))
    goto fail;
  sh_evidence *ev = snap->evidence = sh_snapshot_new_evidence(snap->vocab);
  ev->applicant_name = sh_strdup(c_name);
  ev->applicant_kind = sh_strdup(c_kind);
  if (!sh_date_parse(c_date, &ev->assessment_date)) {
    sh_error_io(d, s->location, 0, 0, "run %lld: invalid recorded assessment date", (long long)run_id);
    goto fail;
  }
  ev->dir = sh_strdup(c_dir);
  ev->applicant_name_en = sh_strdup(c_en);
  snprintf(ev->sha256, sizeof ev->sha256, "%s", c_sha);
  ev->file = sh_strdup(c_file ? c_file : "evidence.yaml");
  sqlite3_finalize(st);
  st = NULL;
  if (rebuild(s, snap, d) || load_texts(s, run_id, SH_SNAP_ANSWERS_KIND, &at, d) ||
      sh_snapshot_load_answers(snap, &at, s->location, d))
    goto fail;
  sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
  sh_vec_free_all(&at, sh_snap_text_free);
  sh_vec_free_all(&vt, sh_snap_text_free);
  sh_vec_free_all(&ft, sh_snap_text_free);
  sh_vec_free_all(&ot, sh_snap_text_free);
  return snap;
fail:
  sqlite3_finalize(st);
  sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
  sh_vec_free_all(&vt, sh_snap_text_free);
  sh_vec_free_all(&ft, sh_snap_text_free);
  sh_vec_free_all(&ot, sh_snap_text_free);
  sh_vec_free_all(&at, sh_snap_text_free);
  sh_run_snapshot_free(snap);
  return NULL;
}

int sh_sqlite_rv_verify_log(sh_store *s, sh_log_status *st, sh_diags *d) {
  return sh_auditlog_verify(db_of(s), s->location, st, d);
}
