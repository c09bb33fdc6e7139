/* signoff: registering reviewers, recording signed decisions and waivers, checking every stored
 * signature, and log anchors. See signoff.h. */
#include "signoff.h"

#include "clock.h"
#include "i18n.h"
#include "framework.h"
#include "snapshot.h"
#include "sshsig.h"

#include <stdlib.h>
#include <string.h>

static char *roles_list(const sh_quorum *q) {
  sh_buf b = {0};
  for (size_t i = 0; i < q->roles.n; i++) sh_buf_printf(&b, "%s%s", i ? ", " : "", (const char *)q->roles.v[i]);
  if (!b.len) sh_buf_puts(&b, _("none"));
  return sh_buf_steal(&b);
}

static int unknown_role(const sh_quorum *q, const char *role, sh_diags *d) {
  char *l = roles_list(q);
  sh_error_usage(d, "unknown role '%s': the roles defined in rules/quorum.yaml are %s", role, l);
  free(l);
  return -1;
}

/* ---------- roster ---------- */

int sh_signoff_reviewer_add(sh_store *s, const char *data_dir, const char *name, const sh_vec *roles,
                            const char *pubkey_text, const char *pubkey_file, const char *note, char **fingerprint,
                            sh_diags *d) {
  *fingerprint = NULL;
  if (!name || !*name || strchr(name, '\n')) {
    sh_error_usage(d, "give the reviewer's name (one line)");
    return -1;
  }
  if (!roles || roles->n == 0) {
    sh_error_usage(d, "give at least one --role");
    return -1;
  }
  char *err = NULL;
  sh_sshkey *key = sh_sshkey_parse(pubkey_text, &err);
  if (!key) {
    sh_error(d, pubkey_file, 1, 1, "%s", err);
    free(err);
    return -1;
  }
  int rc = -1;
  sh_registry *reg = sh_registry_load(data_dir, d);
  sh_quorum *q = reg ? sh_quorum_load(reg->vocab, data_dir, d) : NULL;
  sh_buf rl = {0};
  if (!q) {
    rc = -1; /* the loaders' diagnostics carry the class */
    goto done;
  }
  for (size_t i = 0; i < roles->n; i++) {
    const char *r = roles->v[i];
    if (!sh_quorum_role_defined(q, r)) {
      rc = unknown_role(q, r, d);
      goto done;
    }
    sh_buf_printf(&rl, "%s%s", rl.len ? " " : "", r);
  }
  sh_roster_event ev = {.reviewer = (char *)name, .roles = (char *)sh_buf_str(&rl),
                        .public_key = (char *)sh_sshkey_line(key),
                        .key_fingerprint = (char *)sh_sshkey_fingerprint(key), .note = (char *)note};
  int64_t id;
  if (s->ops->roster_append(s, &ev, &id, d) == 0) {
    *fingerprint = sh_strdup(sh_sshkey_fingerprint(key));
    rc = 0;
  }
done:
  sh_buf_free(&rl);
  sh_quorum_free(q);
  sh_registry_free(reg);
  sh_sshkey_free(key);
  return rc;
}

int sh_signoff_reviewer_revoke(sh_store *s, const char *name, const char *note, sh_diags *d) {
  sh_roster_event ev = {.reviewer = (char *)name, .revoke = true, .note = (char *)note};
  int64_t id;
  return s->ops->roster_append(s, &ev, &id, d) == 0 ? 0 : -1;
}

/* ---------- signed decisions and waivers ---------- */

typedef struct {
  sh_run_snapshot *snap;
  sh_quorum *quorum;
  sh_vec roster;
  char store_id[65];
  const char *tz;
  const sh_roster_event *who;  /* the signer's registration in force */
} ctx;

static void ctx_free(ctx *c) {
  sh_run_snapshot_free(c->snap);
  sh_quorum_free(c->quorum);
  sh_vec_free_all(&c->roster, sh_roster_event_free);
}

/* Loads what signing needs and checks the signer. Returns 0, or -1 after adding the diagnostics. */
static int prepare(sh_store *s, const char *data_dir, int64_t run_id, const char *fw, const char *item,
                   const char *who, const char *role, const sh_sign_opts *o, ctx *c, char **applicant,
                   char **fw_version, char **basis, char **fp, char **time, sh_diags *d) {
  memset(c, 0, sizeof *c);
  if (s->ops->store_id(s, c->store_id, d) || s->ops->list_roster(s, &c->roster, d)) return -1;
  if (!(c->snap = s->ops->load_run(s, run_id, d))) return -1;
  if (!(c->quorum = sh_quorum_load(c->snap->vocab, data_dir, d))) return -1;
  c->tz = sh_tz_pick(o->tz, c->quorum->time_zone);
  if (!sh_tz_valid(c->tz)) {
    sh_error_usage(d, "unknown time zone '%s' (an IANA name such as Asia/Tokyo, or UTC)", c->tz);
    return -1;
  }
  if (role && !sh_quorum_role_defined(c->quorum, role)) return unknown_role(c->quorum, role, d);
  const sh_roster_event *rev = NULL;
  c->who = sh_roster_state(&c->roster, who, -1, &rev);
  if (!c->who) {
    if (rev) sh_error_usage(d, "reviewer %s was revoked on %s and can no longer sign", who, rev->recorded_at);
    else sh_error_usage(d, "%s is not a registered reviewer of this store (shinsa reviewer add NAME "
                  "--role ROLE --key KEY.pub; see 'shinsa reviewer list')", who);
    return -1;
  }
  if (role && !sh_roster_has_role(c->who, role)) {
    sh_error_usage(d, "%s does not hold the role %s (registered roles: %s)", who, role, c->who->roles);
    return -1;
  }
  const sh_result *res = NULL;
  const sh_framework *f = NULL;
  for (size_t i = 0; i < c->snap->eval->results.n && !res; i++) {
    const sh_result *r = c->snap->eval->results.v[i];
    if (strcmp(r->item->fw->id, fw) == 0 && strcmp(r->item->id, item) == 0) res = r, f = r->item->fw;
  }
  if (!res) {
    sh_error_usage(d, "run %lld has no item %s:%s (see 'shinsa report %lld')", (long long)run_id, fw, item,
             (long long)run_id);
    return -1;
  }
  char hx[65];
  *basis = sh_item_basis(c->snap->eval, res, hx);
  *fp = sh_strdup(hx);
  *applicant = sh_strdup(c->snap->evidence->applicant_name ? c->snap->evidence->applicant_name : "");
  *fw_version = sh_strdup(f->version ? f->version : "");
  char now[32];
  sh_now_iso(now);
  if (o->time) {
    time_t t, n = sh_now();
    if (!sh_iso_parse(o->time, &t)) {
      sh_error_usage(d, "--time must be YYYY-MM-DDTHH:MM:SSZ (UTC), as --print-payload printed it, not '%s'", o->time);
      return -1;
    }
    if (t > n + 600) {
      sh_error_usage(d, "--time %s is in the future", o->time);
      return -1;
    }
    *time = sh_strdup(o->time);
  } else if (o->signature && !o->print_payload) {
    sh_error_usage(d, "--signature needs --time with the time printed in the payload (--print-payload)");
    return -1;
  } else {
    *time = sh_strdup(now);
  }
  return 0;
}

/* Signs or takes the signature, then verifies it with the registered key. Returns 0, or -1 after adding the diagnostics. */
static int sign_and_check(const ctx *c, const char *payload, const sh_sign_opts *o, char **signature, sh_diags *d) {
  char *err = NULL;
  if (o->key_file) {
    *signature = sh_sshsig_sign(o->key_file, payload, strlen(payload), SH_SIG_NAMESPACE, &err);
    if (!*signature) {
      sh_error_io(d, o->key_file, 0, 0, "%s", err);
      free(err);
      return -1;
    }
  } else if (o->signature) {
    *signature = sh_strdup(o->signature);
  } else {
    sh_error_usage(d, "a decision must be signed: give --key PRIVATE_KEY (or a public key held by ssh-agent), or "
             "--signature FILE made with 'ssh-keygen -Y sign -n shinsa' over the text --print-payload prints");
    return -1;
  }
  sh_sshkey *key = sh_sshkey_parse(c->who->public_key, &err);
  if (!key) {
    sh_error(d, NULL, 0, 0, "the registered key of %s cannot be read: %s", c->who->reviewer, err);
    free(err);
    return -1;
  }
  sh_sig_result r = sh_sshsig_verify(*signature, payload, strlen(payload), SH_SIG_NAMESPACE, key, NULL, &err);
  sh_sshkey_free(key);
  if (r != SH_SIG_OK) {
    sh_error(d, o->key_file ? o->key_file : NULL, 0, 0, "the signature is not %s's (%s): %s", c->who->reviewer,
             c->who->key_fingerprint, err ? err : "?");
    free(err);
    return -1;
  }
  free(err);
  return 0;
}

int sh_signoff_review(sh_store *s, const char *data_dir, sh_review *r, const sh_sign_opts *o, char **payload,
                      int64_t *id, sh_diags *d) {
  *payload = NULL;
  ctx c;
  int rc = prepare(s, data_dir, r->run_id, r->framework_id, r->item_id, r->reviewer, r->role, o, &c, &r->applicant,
                   &r->fw_version, &r->basis, &r->evidence_fp, &r->recorded_at, d);
  if (rc) goto done;
  if (!r->note) r->note = sh_strdup("");
  *payload = sh_decision_payload(c.store_id, r);
  if (o->print_payload) goto done;
  if ((rc = sign_and_check(&c, *payload, o, &r->signature, d))) goto done;
  /* A decision in another role does not replace the reviewer's earlier one in that role: say so. */
  sh_vec prior = {0};
  if (s->ops->list_reviews_carry(s, r->run_id, &prior, d) == 0)
    for (size_t i = 0; i < prior.n; i++) {
      const sh_review *p = prior.v[i];
      if (strcmp(p->reviewer, r->reviewer) == 0 && strcmp(p->framework_id, r->framework_id) == 0 &&
          strcmp(p->item_id, r->item_id) == 0 && strcmp(p->role, r->role) != 0) {
        sh_diag_add(d, SH_SEV_WARNING, NULL, 0, 0, "%s's earlier %s as %s still counts for that role; this decision counts for %s",
                   r->reviewer, sh_decision_label(p->decision, sh_msg_lang()), p->role, r->role);
        break;
      }
    }
  sh_vec_free_all(&prior, sh_review_free);
  rc = s->ops->record_review(s, r, id, d) == 0 ? 0 : -1;
done:
  ctx_free(&c);
  return rc;
}

int sh_signoff_waiver(sh_store *s, const char *data_dir, sh_waiver *w, const sh_sign_opts *o, char **payload,
                      int64_t *id, sh_diags *d) {
  *payload = NULL;
  ctx c;
  int rc = prepare(s, data_dir, w->run_id, w->framework_id, w->item_id, w->approver, NULL, o, &c, &w->applicant,
                   &w->fw_version, &w->basis, &w->evidence_fp, &w->recorded_at, d);
  if (rc) goto done;
  sh_date exp;
  if (!w->expires || !sh_date_parse(w->expires, &exp)) {
    sh_error_usage(d, "--expires must be a date YYYY-MM-DD");
    rc = -1;
    goto done;
  }
  sh_date today = sh_today_in_tz(c.tz);
  if (exp < today) {
    char t[11];
    sh_date_format(today, t);
    sh_error_usage(d, "the expiry date %s is in the past (today is %s in %s)", w->expires, t, c.tz);
    rc = -1;
    goto done;
  }
  *payload = sh_waiver_payload(c.store_id, w);
  if (o->print_payload) goto done;
  if ((rc = sign_and_check(&c, *payload, o, &w->signature, d))) goto done;
  rc = s->ops->record_waiver(s, w, id, d) == 0 ? 0 : -1;
done:
  ctx_free(&c);
  return rc;
}

/* ---------- checking every signature ---------- */

int sh_signoff_verify_all(sh_store *s, size_t *checked, size_t *unsigned_n, sh_diags *d) {
  *checked = *unsigned_n = 0;
  char *problem = NULL;
  char sid[65];
  sh_vec roster = {0}, reviews = {0}, waivers = {0};
  int rc = -1;
  if (s->ops->store_id(s, sid, d) || s->ops->list_roster(s, &roster, d) || s->ops->list_all_reviews(s, &reviews, d) ||
      s->ops->list_all_waivers(s, &waivers, d))
    goto done;
  rc = 0;
  for (size_t i = 0; i < reviews.n && !problem; i++) {
    const sh_review *r = reviews.v[i];
    if (!r->signature) {
      ++*unsigned_n;
      continue;
    }
    ++*checked;
    char *why = sh_review_check(r, sid, &roster);
    if (why) problem = sh_printf(_("review %lld (%s, %s:%s by %s as %s): %s"), (long long)r->id,
                                  sh_decision_label(r->decision, sh_msg_lang()),
                                  r->framework_id, r->item_id, r->reviewer, r->role, why);
    free(why);
  }
  for (size_t i = 0; i < waivers.n && !problem; i++) {
    const sh_waiver *w = waivers.v[i];
    if (!w->signature) {
      ++*unsigned_n;
      continue;
    }
    ++*checked;
    char *why = sh_waiver_check(w, sid, &roster);
    if (why) problem = sh_printf(_("waiver %lld (%s:%s by %s): %s"), (long long)w->id, w->framework_id, w->item_id,
                                  w->approver, why);
    free(why);
  }
  if (problem) {
    sh_error_finding(d, s->location, 0, 0, "%s", problem);
    free(problem);
    rc = -1;
  }
done:
  sh_vec_free_all(&roster, sh_roster_event_free);
  sh_vec_free_all(&reviews, sh_review_free);
  sh_vec_free_all(&waivers, sh_waiver_free);
  return rc;
}

/* ---------- anchors ---------- */

int sh_anchor_make(sh_store *s, const char *key_file, char **text, sh_diags *d) {
  *text = NULL;
  sh_log_status st = {0};
  char sid[65];
  if (s->ops->store_id(s, sid, d)) return -1;
  int v = s->ops->verify_log(s, &st, d);
  if (v != 0) {
    if (v > 0) sh_error_finding(d, s->location, 0, 0, "the audit log is not intact (row %lld: %s): no anchor is made over it",
                        (long long)st.first_bad_seq, st.problem);
    sh_log_status_clear(&st);
    return -1; /* a finding (reported above) or a database error (reported by the store) */
  }
  char now[32];
  sh_now_iso(now);
  char *payload = sh_anchor_payload(sid, (int64_t)st.rows, st.head, now);
  sh_log_status_clear(&st);
  char *err = NULL;
  char *sig = sh_sshsig_sign(key_file, payload, strlen(payload), SH_SIG_NAMESPACE, &err);
  if (!sig) {
    sh_error_io(d, key_file, 0, 0, "%s", err);
    free(err);
    free(payload);
    return -1;
  }
  *text = sh_printf("%s%s", payload, sig);
  free(payload);
  free(sig);
  return 0;
}

/* The value of "key: " in a payload (first occurrence), or NULL. */
static char *field(const char *payload, const char *key) {
  size_t kl = strlen(key);
  for (const char *p = payload; p && *p;) {
    if (strncmp(p, key, kl) == 0 && p[kl] == ':' && p[kl + 1] == ' ') {
      const char *v = p + kl + 2;
      return sh_strndup(v, strcspn(v, "\n"));
    }
    p = strchr(p, '\n');
    if (p) p++;
  }
  return NULL;
}

int sh_anchor_verify(sh_store *s, const char *anchor_text, const char *anchor_file, const char *pubkey_text,
                     const char *pubkey_file, sh_diags *d) {
  char *problem = NULL;
  char *err = NULL;
  sh_sshkey *key = sh_sshkey_parse(pubkey_text, &err);
  if (!key) {
    sh_error(d, pubkey_file, 1, 1, "%s", err);
    free(err);
    return -1;
  }
  const char *sig = strstr(anchor_text, "-----BEGIN SSH SIGNATURE-----");
  if (strncmp(anchor_text, "shinsa-anchor/1\n", 16) != 0 || !sig) {
    sh_error(d, anchor_file, 1, 1, "not a shinsa log anchor (made by 'shinsa log anchor')");
    sh_sshkey_free(key);
    return -1;
  }
  char *payload = sh_strndup(anchor_text, (size_t)(sig - anchor_text));
  int rc = -1;
  char *sid_a = NULL, *rows_a = NULL, *head_a = NULL, *time_a = NULL;
  sh_sig_result r = sh_sshsig_verify(sig, payload, strlen(payload), SH_SIG_NAMESPACE, key, NULL, &err);
  if (r != SH_SIG_OK) {
    sh_error(d, anchor_file, 0, 0, "the anchor's signature does not verify with %s: %s", pubkey_file, err ? err : "?");
    goto done;
  }
  sid_a = field(payload, "store");
  rows_a = field(payload, "rows");
  head_a = field(payload, "head");
  time_a = field(payload, "time");
  char *end = NULL;
  long long n = rows_a ? strtoll(rows_a, &end, 10) : -1;
  if (!sid_a || !head_a || !rows_a || !end || *end || n < 0) {
    sh_error(d, anchor_file, 0, 0, "malformed anchor (store, rows, head expected)");
    goto done;
  }
  char sid[65], hash[65];
  if (s->ops->store_id(s, sid, d)) {
    rc = -1;
    goto done;
  }
  if (strcmp(sid, sid_a) != 0) {
    problem = sh_printf(_("the anchor is of store %s but this database is store %s: it is another database, or this "
                         "one was rebuilt"), sid_a, sid);
    goto done;
  }
  if (n == 0) {
    rc = 0;
    goto done;
  }
  int h = s->ops->log_hash_at(s, n, hash, d);
  if (h < 0) {
    rc = -1;
    goto done;
  }
  if (h == 1) {
    problem = sh_printf(_("the anchor (%s) covers %lld audit rows but row %lld is gone: rows were removed after the "
                         "anchor was made"), time_a ? time_a : "?", n, n);
    goto done;
  }
  if (strcmp(hash, head_a) != 0) {
    problem = sh_printf(_("audit row %lld has hash %.16s… but the anchor (%s) says %.16s…: the log was rewritten after "
                         "the anchor was made"), n, hash, time_a ? time_a : "?", head_a);
    goto done;
  }
  rc = 0;
done:
  if (problem) sh_error_finding(d, s->location, 0, 0, "%s", problem);
  free(problem);
  free(err);
  free(sid_a);
  free(rows_a);
  free(head_a);
  free(time_a);
  free(payload);
  sh_sshkey_free(key);
  return rc;
}
