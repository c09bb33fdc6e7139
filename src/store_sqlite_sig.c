/* store_sqlite_sig: store id, reviewer roster, waiver revocations and audit row hashes in the SQLite
 * store; every write is one transaction with its audit log row. See store_sqlite_sig.h. */
#include "store_sqlite_sig.h"
#include "i18n.h"

#include "auditlog.h"
#include "clock.h"
#include "roster.h"
#include "store_sqlite_rv.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#define BT(st, i, v) sqlite3_bind_text((st), (i), (v), -1, SQLITE_TRANSIENT)

static sqlite3 *db_of(sh_store *s) { return sh_store_sqlite_handle(s); }

static int dberr(sh_store *s, sh_diags *d, const char *what) {
  sh_error_io(d, s->location, 0, 0, "database error while %s: %s", _(what), sqlite3_errmsg(db_of(s)));
  return -1;
}

static const char *col_text(sqlite3_stmt *st, int c) {
  const char *t = (const char *)sqlite3_column_text(st, c);
  return t ? t : "";
}

int sh_sqlite_sig_store_id(sh_store *s, char out[65], sh_diags *d) {
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(db_of(s), "SELECT store_id FROM store_meta", -1, &st, NULL) != SQLITE_OK)
    return dberr(s, d, N_("reading the store id"));
  int rc = -1;
  if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0)) {
    snprintf(out, 65, "%s", col_text(st, 0));
    rc = 0;
  } else {
    sh_error(d, s->location, 0, 0, "the store has no id (store_meta is empty): the database was altered");
  }
  sqlite3_finalize(st);
  return rc;
}

/* The reviewer's latest roster event inside the current transaction: 1 active, 0 revoked or never added. */
static int active(sh_store *s, const char *who, int *out, sh_diags *d) {
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(db_of(s), "SELECT event FROM roster WHERE reviewer = ? ORDER BY id DESC LIMIT 1", -1, &st,
                         NULL) != SQLITE_OK)
    return dberr(s, d, N_("reading the roster"));
  BT(st, 1, who);
  int step = sqlite3_step(st);
  *out = step == SQLITE_ROW && strcmp(col_text(st, 0), "add") == 0;
  sqlite3_finalize(st);
  return step == SQLITE_ROW || step == SQLITE_DONE ? 0 : dberr(s, d, N_("reading the roster"));
}

int sh_sqlite_sig_roster_append(sh_store *s, const sh_roster_event *ev, int64_t *out_id, sh_diags *d) {
  if (sh_sqlite_rv_begin(s, d)) return -1;
  int act = 0, rc = active(s, ev->reviewer, &act, d);
  if (rc == 0 && ev->revoke && !act) {
    sh_error_usage(d, "%s is not an active reviewer of this store (see 'shinsa reviewer list')",
             ev->reviewer);
    rc = -1;
  }
  char now[32];
  if (ev->recorded_at) snprintf(now, sizeof now, "%s", ev->recorded_at);
  else sh_now_iso(now);
  sqlite3_stmt *st = NULL;
  if (rc == 0 && sqlite3_prepare_v2(db_of(s), "INSERT INTO roster (reviewer, event, roles, public_key, key_fingerprint,"
                                    " note, recorded_at) VALUES (?,?,?,?,?,?,?)", -1, &st, NULL) != SQLITE_OK)
    rc = dberr(s, d, N_("preparing a statement"));
  if (rc == 0) {
    BT(st, 1, ev->reviewer);
    BT(st, 2, ev->revoke ? "revoke" : "add");
    BT(st, 3, ev->revoke ? "" : ev->roles ? ev->roles : "");
    BT(st, 4, ev->revoke ? "" : ev->public_key ? ev->public_key : "");
    BT(st, 5, ev->revoke ? "" : ev->key_fingerprint ? ev->key_fingerprint : "");
    BT(st, 6, ev->note ? ev->note : "");
    BT(st, 7, now);
    if (sqlite3_step(st) != SQLITE_DONE) rc = dberr(s, d, N_("recording the roster event"));
  }
  sqlite3_finalize(st);
  int64_t id = sqlite3_last_insert_rowid(db_of(s));
  if (rc == 0) rc = sh_auditlog_append(db_of(s), s->location, "roster", id, now, d);
  if (sh_sqlite_rv_finish(s, rc, d)) return -1;
  *out_id = id;
  return 0;
}

int sh_sqlite_sig_list_roster(sh_store *s, sh_vec *out, sh_diags *d) {
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(db_of(s), "SELECT id, reviewer, event, roles, public_key, key_fingerprint, note, recorded_at"
                         " FROM roster ORDER BY id", -1, &st, NULL) != SQLITE_OK)
    return dberr(s, d, N_("reading the roster"));
  int step;
  while ((step = sqlite3_step(st)) == SQLITE_ROW) {
    sh_roster_event *e = sh_calloc(1, sizeof *e);
    e->id = sqlite3_column_int64(st, 0);
    e->reviewer = sh_strdup(col_text(st, 1));
    e->revoke = strcmp(col_text(st, 2), "revoke") == 0;
    e->roles = sh_strdup(col_text(st, 3));
    e->public_key = sh_strdup(col_text(st, 4));
    e->key_fingerprint = sh_strdup(col_text(st, 5));
    e->note = sh_strdup(col_text(st, 6));
    e->recorded_at = sh_strdup(col_text(st, 7));
    sh_vec_push(out, e);
  }
  sqlite3_finalize(st);
  return step == SQLITE_DONE ? 0 : dberr(s, d, N_("reading the roster"));
}

int sh_sqlite_sig_revoke_waiver(sh_store *s, int64_t waiver_id, const char *by, const char *reason, sh_diags *d) {
  if (sh_sqlite_rv_begin(s, d)) return -1;
  int act = 0, rc = active(s, by, &act, d);
  if (rc == 0 && !act) {
    sh_error_usage(d, "%s is not an active reviewer of this store (see 'shinsa reviewer list')", by);
    rc = -1;
  }
  sqlite3_stmt *st = NULL;
  if (rc == 0) {
    if (sqlite3_prepare_v2(db_of(s), "SELECT (SELECT count(*) FROM waivers WHERE id = ?1),"
                           " (SELECT count(*) FROM waiver_revocations WHERE waiver_id = ?1)", -1, &st, NULL) != SQLITE_OK)
      rc = dberr(s, d, N_("looking up the waiver"));
    else {
      sqlite3_bind_int64(st, 1, waiver_id);
      if (sqlite3_step(st) != SQLITE_ROW) rc = dberr(s, d, N_("looking up the waiver"));
      else if (sqlite3_column_int(st, 0) == 0) {
        sh_error_usage(d, "no waiver %lld in this database (see 'shinsa waiver list')", (long long)waiver_id);
        rc = -1;
      } else if (sqlite3_column_int(st, 1) != 0) {
        sh_error_usage(d, "waiver %lld is already revoked", (long long)waiver_id);
        rc = -1;
      }
    }
    sqlite3_finalize(st);
    st = NULL;
  }
  char now[32];
  sh_now_iso(now);
  if (rc == 0 && sqlite3_prepare_v2(db_of(s), "INSERT INTO waiver_revocations (waiver_id, revoked_by, reason,"
                                    " recorded_at) VALUES (?,?,?,?)", -1, &st, NULL) != SQLITE_OK)
    rc = dberr(s, d, N_("preparing a statement"));
  if (rc == 0) {
    sqlite3_bind_int64(st, 1, waiver_id);
    BT(st, 2, by);
    BT(st, 3, reason ? reason : "");
    BT(st, 4, now);
    if (sqlite3_step(st) != SQLITE_DONE) rc = dberr(s, d, N_("recording the revocation"));
  }
  sqlite3_finalize(st);
  int64_t id = sqlite3_last_insert_rowid(db_of(s));
  if (rc == 0) rc = sh_auditlog_append(db_of(s), s->location, "revocation", id, now, d);
  return sh_sqlite_rv_finish(s, rc, d);
}

int sh_sqlite_sig_log_hash_at(sh_store *s, int64_t seq, char out[65], sh_diags *d) {
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(db_of(s), "SELECT hash FROM audit_log WHERE seq = ?", -1, &st, NULL) != SQLITE_OK)
    return dberr(s, d, N_("reading the audit log"));
  sqlite3_bind_int64(st, 1, seq);
  int step = sqlite3_step(st), rc;
  if (step == SQLITE_ROW) {
    snprintf(out, 65, "%s", col_text(st, 0));
    rc = 0;
  } else {
    rc = step == SQLITE_DONE ? 1 : dberr(s, d, N_("reading the audit log"));
  }
  sqlite3_finalize(st);
  return rc;
}
