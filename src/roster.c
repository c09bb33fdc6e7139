/* roster: reviewer roster fold, signed texts, evidence basis, checking stored decisions. See roster.h. */
#include "roster.h"

#include "hash.h"
#include "i18n.h"
#include "review.h"
#include "snapshot.h"
#include "sshsig.h"

#include <stdlib.h>
#include <string.h>

void sh_roster_event_free(void *p) {
  sh_roster_event *e = p;
  if (!e) return;
  free(e->reviewer);
  free(e->roles);
  free(e->public_key);
  free(e->key_fingerprint);
  free(e->note);
  free(e->recorded_at);
  free(e);
}

const sh_roster_event *sh_roster_state(const sh_vec *events, const char *reviewer, int64_t upto,
                                       const sh_roster_event **revoked) {
  const sh_roster_event *add = NULL, *rev = NULL;
  for (size_t i = 0; events && i < events->n; i++) {
    const sh_roster_event *e = events->v[i];
    if (upto >= 0 && e->id > upto) continue;
    if (!reviewer || strcmp(e->reviewer, reviewer) != 0) continue;
    if (e->revoke) rev = e, add = NULL;
    else add = e, rev = NULL;
  }
  if (revoked) *revoked = rev;
  return add;
}

bool sh_roster_has_role(const sh_roster_event *add, const char *role) {
  if (!add || !role || !*role) return false;
  size_t n = strlen(role);
  for (const char *p = add->roles; p && *p;) {
    while (*p == ' ') p++;
    size_t k = strcspn(p, " ");
    if (k == n && strncmp(p, role, n) == 0) return true;
    p += k;
  }
  return false;
}

int64_t sh_roster_last(const sh_vec *events) {
  int64_t m = 0;
  for (size_t i = 0; events && i < events->n; i++)
    if (((const sh_roster_event *)events->v[i])->id > m) m = ((const sh_roster_event *)events->v[i])->id;
  return m;
}

/* ---------- signed texts ---------- */

static void line(sh_buf *b, const char *key, const char *v) {
  sh_buf_printf(b, "%s: ", key);
  for (const char *p = v ? v : ""; *p; p++) {
    if (*p == '\\') sh_buf_puts(b, "\\\\");
    else if (*p == '\n') sh_buf_puts(b, "\\n");
    else if (*p == '\r') sh_buf_puts(b, "\\r");
    else sh_buf_putc(b, *p);
  }
  sh_buf_putc(b, '\n');
}

static void line_id(sh_buf *b, const char *key, int64_t v) { sh_buf_printf(b, "%s: %lld\n", key, (long long)v); }

/* The lines a decision and a waiver share, in this order: what is decided on (store, applicant, run,
 * framework@version, item) first, when and on which evidence last. */
static void subject(sh_buf *b, const char *store_id, const char *applicant, int64_t run_id, const char *framework_id,
                    const char *fw_version, const char *item_id) {
  line(b, "store", store_id);
  line(b, "applicant", applicant);
  line_id(b, "run", run_id);
  char *fw = sh_printf("%s@%s", framework_id, fw_version ? fw_version : "");
  line(b, "framework", fw);
  free(fw);
  line(b, "item", item_id);
}

static void time_evidence(sh_buf *b, const char *recorded_at, const char *evidence_fp) {
  line(b, "time", recorded_at);
  char *ev = sh_printf("sha256:%s", evidence_fp ? evidence_fp : "");
  line(b, "evidence", ev);
  free(ev);
}

char *sh_decision_payload(const char *store_id, const sh_review *r) {
  sh_buf b = {0};
  sh_buf_puts(&b, "shinsa-decision/1\n");
  subject(&b, store_id, r->applicant, r->run_id, r->framework_id, r->fw_version, r->item_id);
  line(&b, "decision", sh_decision_name(r->decision));
  line(&b, "reviewer", r->reviewer);
  line(&b, "role", r->role);
  line(&b, "note", r->note);
  time_evidence(&b, r->recorded_at, r->evidence_fp);
  return sh_buf_steal(&b);
}

char *sh_waiver_payload(const char *store_id, const sh_waiver *w) {
  sh_buf b = {0};
  sh_buf_puts(&b, "shinsa-waiver/1\n");
  subject(&b, store_id, w->applicant, w->run_id, w->framework_id, w->fw_version, w->item_id);
  line(&b, "approver", w->approver);
  line(&b, "justification", w->justification);
  line(&b, "scope", w->scope);
  line(&b, "expires", w->expires);
  time_evidence(&b, w->recorded_at, w->evidence_fp);
  return sh_buf_steal(&b);
}

char *sh_waiver_revocation_payload(const char *store_id, int64_t waiver_id, const char *by, const char *reason,
                                   const char *time) {
  sh_buf b = {0};
  sh_buf_puts(&b, "shinsa-waiver-revocation/1\n");
  line(&b, "store", store_id);
  line_id(&b, "waiver", waiver_id);
  line(&b, "by", by);
  line(&b, "reason", reason);
  line(&b, "time", time);
  return sh_buf_steal(&b);
}

char *sh_anchor_payload(const char *store_id, int64_t seq, const char *head, const char *time) {
  sh_buf b = {0};
  sh_buf_puts(&b, "shinsa-anchor/1\n");
  line(&b, "store", store_id);
  line_id(&b, "rows", seq);
  line(&b, "head", head);
  line(&b, "time", time);
  return sh_buf_steal(&b);
}

/* ---------- evidence basis ---------- */

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void push_unique(sh_vec *v, char *s) {
  for (size_t i = 0; i < v->n; i++)
    if (strcmp(v->v[i], s) == 0) return free(s);
  sh_vec_push(v, s);
}

static char *one_line(const char *s) {
  sh_buf b = {0};
  for (const char *p = s ? s : ""; *p; p++) sh_buf_putc(&b, *p == '\n' || *p == '\r' ? ' ' : *p);
  return sh_buf_steal(&b);
}

static void doc_line(sh_vec *v, const sh_document *dc) {
  push_unique(v, sh_printf("document %s sha256:%s %s", dc->path, dc->sha256_actual[0] ? dc->sha256_actual : "-",
                           sh_doc_status_name(dc->status)));
}

char *sh_item_basis(const sh_evaluation *e, const sh_result *r, char fp[65]) {
  const sh_item *it = r->item;
  const sh_evidence *ev = e->evidence;
  sh_vec lines = {0};
  char *t = one_line(it->text.ja ? it->text.ja : it->text.en);
  char th[65];
  sh_sha256_hex(t, strlen(t), th);
  free(t);
  char *req = one_line(it->require_text), *app = one_line(it->applies_if_text);
  sh_vec_push(&lines, sh_printf("item %s:%s text-sha256:%s require:%s applies_if:%s", it->fw->id, it->id, th, req, app));
  free(req);
  free(app);
  /* facts the rule reads, with value and provenance, and the documents attesting them */
  sh_vec facts = {0};
  if (it->applies_if) sh_expr_facts(it->applies_if, &facts);
  if (it->require) sh_expr_facts(it->require, &facts);
  for (size_t i = 0; i < facts.n; i++) {
    const sh_fact *f = facts.v[i];
    const sh_fact_value *fv = sh_evidence_get(ev, f);
    if (!fv) {
      push_unique(&lines, sh_printf("fact %s absent", f->id));
      continue;
    }
    char *raw = sh_value_raw(f, &fv->value), *raw1 = one_line(raw);
    push_unique(&lines, sh_printf("fact %s = %s (%s)", f->id, raw1, sh_prov_name(fv->prov)));
    free(raw);
    free(raw1);
    for (size_t k = 0; k < fv->documents.n; k++) doc_line(&lines, fv->documents.v[k]);
  }
  sh_vec_free(&facts);
  /* a manual item is judged on what a reviewer reads: every document of the package */
  if (it->manual || !it->require)
    for (size_t i = 0; i < ev->documents.n; i++) doc_line(&lines, ev->documents.v[i]);
  /* carried-over items depend on the certifications that cover them */
  for (size_t i = 0; i < r->witnesses.n; i++) push_unique(&lines, sh_printf("witness %s", (const char *)r->witnesses.v[i]));
  if (lines.n > 1) qsort(lines.v + 1, lines.n - 1, sizeof(void *), cmp_str);
  sh_buf b = {0};
  for (size_t i = 0; i < lines.n; i++) sh_buf_printf(&b, "%s\n", (const char *)lines.v[i]);
  sh_vec_free_all(&lines, free);
  sh_sha256_hex(b.data ? b.data : "", b.len, fp);
  return sh_buf_steal(&b);
}

/* The key of a basis line: "fact ID", "document PATH", "item ID", "witness W". */
static size_t line_key_len(const char *l, size_t n) {
  const char *sp = memchr(l, ' ', n);
  if (!sp) return n;
  if (strncmp(l, "witness ", 8) == 0) return n;
  const char *sp2 = memchr(sp + 1, ' ', n - (size_t)(sp + 1 - l));
  return sp2 ? (size_t)(sp2 - l) : n;
}

static void split(const char *s, sh_vec *out) {
  for (const char *p = s ? s : ""; *p;) {
    const char *q = strchr(p, '\n');
    size_t n = q ? (size_t)(q - p) : strlen(p);
    if (n) sh_vec_push(out, sh_strndup(p, n));
    p += n + (q != NULL);
  }
}

/* A basis line's key ("fact ID", "document PATH", ...: its first kx bytes) with the kind in lang. Caller frees. */
static char *key_text(const char *l, size_t kx, const char *lang) {
  char *key = sh_strndup(l, kx), *t;
  const char *id = strchr(key, ' ') ? strchr(key, ' ') + 1 : key;
  if (sh_str_startswith(key, "fact ")) t = sh_printf(sh_tr(lang, "fact %s"), id);
  else if (sh_str_startswith(key, "document ")) t = sh_printf(sh_tr(lang, "document %s"), id);
  else if (sh_str_startswith(key, "item ")) t = sh_printf(sh_tr(lang, "item %s"), id);
  else if (sh_str_startswith(key, "witness ")) t = sh_printf(sh_tr(lang, "witness %s"), id);
  else return key;
  free(key);
  return t;
}

char *sh_basis_changes(const char *before, const char *after, const char *lang) {
  sh_vec a = {0}, b = {0};
  split(before, &a);
  split(after, &b);
  sh_buf out = {0};
  const char *sep = sh_tr(lang, "; ");
  for (size_t i = 0; i < a.n; i++) {
    const char *x = a.v[i];
    size_t kx = line_key_len(x, strlen(x));
    const char *match = NULL;
    for (size_t k = 0; k < b.n && !match; k++) {
      const char *y = b.v[k];
      if (line_key_len(y, strlen(y)) == kx && strncmp(x, y, kx) == 0) match = y;
    }
    if (match && strcmp(x, match) == 0) continue;
    char *key = key_text(x, kx, lang);
    if (out.len) sh_buf_puts(&out, sep);
    if (!match) sh_buf_printf(&out, sh_tr(lang, "%s%s removed"), key, x + kx);
    else sh_buf_printf(&out, sh_tr(lang, "%s:%s ->%s"), key, x + kx, match + kx);
    free(key);
  }
  for (size_t k = 0; k < b.n; k++) {
    const char *y = b.v[k];
    size_t ky = line_key_len(y, strlen(y));
    bool found = false;
    for (size_t i = 0; i < a.n && !found; i++) {
      const char *x = a.v[i];
      found = line_key_len(x, strlen(x)) == ky && strncmp(x, y, ky) == 0;
    }
    if (found) continue;
    char *key = key_text(y, ky, lang);
    if (out.len) sh_buf_puts(&out, sep);
    sh_buf_printf(&out, sh_tr(lang, "%s%s added"), key, y + ky);
    free(key);
  }
  sh_vec_free_all(&a, free);
  sh_vec_free_all(&b, free);
  if (!out.len) sh_buf_puts(&out, sh_tr(lang, "the evidence fingerprint differs"));
  return sh_buf_steal(&out);
}

/* ---------- checking stored decisions ---------- */

/* The detail err (English) as a reason: its text is the key, so that a message of the catalog without
 * arguments is shown translated; one with a '%' stays as written. Takes err. */
static sh_reason *detail(char *err) {
  const char *e = err ? err : "?";
  sh_reason *re = strchr(e, '%') ? sh_reason_new_keyed(NULL, NULL, NULL, 0, 0, 0, e)
                                 : sh_reason_new_keyed(NULL, e, NULL, 0, 0, 0, e);
  free(err);
  return re;
}

/* Why a decision or waiver does not count, language-neutral (key and arguments, rendered in the report's
 * language by sh_reason_text); NULL when it counts. */
static sh_reason *check_signed(const char *who, const char *role, int64_t roster_seq, const char *signature,
                               const char *payload, const sh_vec *roster) {
  if (!signature || !*signature) return sh_reason_new_message(NULL, "unsigned (recorded before signatures were required)");
  const sh_roster_event *rev = NULL;
  const sh_roster_event *add = sh_roster_state(roster, who, roster_seq, &rev);
  if (!add && rev)
    return sh_reason_new_message(NULL, "%s's registration was revoked on %s, before this was recorded", who,
                                 rev->recorded_at);
  if (!add) return sh_reason_new_message(NULL, "%s was not a registered reviewer when this was recorded", who);
  if (role && !sh_roster_has_role(add, role))
    return sh_reason_new_message(NULL, "%s did not hold the role %s when this was recorded (roles: %s)", who, role,
                                 add->roles);
  /* The signature code's error texts are wanted in English (its messages are the catalog's msgids): the reason
   * carries the English text and translates it when shown. */
  char *err = NULL;
  const char *was = sh_msg_lang_set("en");
  sh_sshkey *key = sh_sshkey_parse(add->public_key, &err);
  sh_sig_result r = key ? sh_sshsig_verify(signature, payload, strlen(payload), SH_SIG_NAMESPACE, key, NULL, &err)
                        : SH_SIG_OK;
  sh_msg_lang_set(was);
  if (!key)
    return sh_reason_sub_arg(sh_reason_new_message(NULL, "%s's registered key cannot be read: %s", who, ""), 1,
                             detail(err));
  sh_sshkey_free(key);
  if (r == SH_SIG_OK) {
    free(err);
    return NULL;
  }
  return sh_reason_sub_arg(sh_reason_new_message(NULL, "signature does not verify: %s", ""), 0, detail(err));
}

sh_reason *sh_review_check_reason(const sh_review *r, const char *store_id, const sh_vec *roster) {
  if (!r->signature || !r->evidence_fp) return check_signed(r->reviewer, r->role, r->roster_seq, NULL, NULL, roster);
  char *p = sh_decision_payload(store_id, r);
  sh_reason *m = check_signed(r->reviewer, r->role, r->roster_seq, r->signature, p, roster);
  free(p);
  return m;
}

sh_reason *sh_waiver_check_reason(const sh_waiver *w, const char *store_id, const sh_vec *roster) {
  if (!w->signature || !w->evidence_fp) return check_signed(w->approver, NULL, w->roster_seq, NULL, NULL, roster);
  char *p = sh_waiver_payload(store_id, w);
  sh_reason *m = check_signed(w->approver, NULL, w->roster_seq, w->signature, p, roster);
  free(p);
  return m;
}

/* The reason in the terminal's language (for diagnostics), freed. */
static char *for_terminal(sh_reason *re) {
  if (!re) return NULL;
  char *s = sh_reason_text(re, sh_msg_lang());
  sh_reason_free(re);
  return s;
}

char *sh_review_check(const sh_review *r, const char *store_id, const sh_vec *roster) {
  return for_terminal(sh_review_check_reason(r, store_id, roster));
}

char *sh_waiver_check(const sh_waiver *w, const char *store_id, const sh_vec *roster) {
  return for_terminal(sh_waiver_check_reason(w, store_id, roster));
}
