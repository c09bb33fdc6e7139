/* review: decisions, waivers, quorum rules (rules/quorum.yaml) and applying them to a run's
 * verdicts. See review.h; the file format is in docs/formats.md §6. */
#include "review.h"

#include "clock.h"
#include "expr.h"
#include "i18n.h"
#include "roster.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *sh_decision_name(sh_decision d) {
  switch (d) {
  case SH_DEC_ACCEPT: return "accept";
  case SH_DEC_REJECT: return "reject";
  case SH_DEC_REQUEST_MORE: return "request-more";
  }
  return "?";
}

/* The decisions as words of a reason (expr.h sh_reason_tr_arg: translated when the reason is shown). */
static const char *const decision_words[] = {NC_("reason-word", "accept"), NC_("reason-word", "reject"),
                                             NC_("reason-word", "request-more")};

const char *sh_decision_label(sh_decision d, const char *lang) {
  switch (d) {
  case SH_DEC_ACCEPT: return sh_tr(lang, "accept");
  case SH_DEC_REJECT: return sh_tr(lang, "reject");
  case SH_DEC_REQUEST_MORE: return sh_tr(lang, "request more evidence");
  }
  return "?";
}

const char *sh_waiver_state_name(sh_waiver_state s) {
  switch (s) {
  case SH_WAIVER_ACTIVE: return "active";
  case SH_WAIVER_EXPIRED: return "expired";
  case SH_WAIVER_REVOKED: return "revoked";
  case SH_WAIVER_NONE: break;
  }
  return "not_counted";
}

const char *sh_waiver_state_label(sh_waiver_state s, const char *lang) {
  switch (s) {
  /* TRANSLATORS: the state of a waiver on an item */
  case SH_WAIVER_ACTIVE: return sh_tr(lang, N_("active"));
  case SH_WAIVER_EXPIRED: return sh_tr(lang, N_("expired (no longer applies)"));
  case SH_WAIVER_REVOKED: return sh_tr(lang, N_("revoked (no longer applies)"));
  case SH_WAIVER_NONE: break;
  }
  return sh_tr(lang, N_("not counted (signature or evidence does not hold)"));
}

bool sh_decision_parse(const char *s, sh_decision *out) {
  for (int k = SH_DEC_ACCEPT; k <= SH_DEC_REQUEST_MORE; k++)
    if (s && strcmp(s, sh_decision_name((sh_decision)k)) == 0) return *out = (sh_decision)k, true;
  return false;
}

void sh_review_free(void *p) {
  sh_review *r = p;
  if (!r) return;
  free(r->framework_id);
  free(r->item_id);
  free(r->reviewer);
  free(r->role);
  free(r->note);
  free(r->recorded_at);
  free(r->applicant);
  free(r->fw_version);
  free(r->evidence_fp);
  free(r->basis);
  free(r->signature);
  free(r->not_counted);
  sh_reason_free(r->why_not);
  free(r->stale);
  free(r->stale_changes);
  free(r->stale_changes_ja);
  free(r);
}

void sh_waiver_free(void *p) {
  sh_waiver *w = p;
  if (!w) return;
  free(w->framework_id);
  free(w->item_id);
  free(w->approver);
  free(w->justification);
  free(w->scope);
  free(w->expires);
  free(w->recorded_at);
  free(w->applicant);
  free(w->fw_version);
  free(w->evidence_fp);
  free(w->basis);
  free(w->signature);
  free(w->revoked_at);
  free(w->revoked_by);
  free(w->revoke_reason);
  free(w->not_counted);
  sh_reason_free(w->why_not);
  free(w->stale);
  free(w->stale_changes);
  free(w->stale_changes_ja);
  free(w);
}

bool sh_item_ref_parse(const char *ref, char **framework_id, char **item_id) {
  const char *c = ref ? strchr(ref, ':') : NULL;
  if (!c || c == ref || !c[1]) return false;
  *framework_id = sh_strndup(ref, (size_t)(c - ref));
  *item_id = sh_strdup(c + 1);
  return true;
}

/* ---------- quorum.yaml ---------- */

static void rule_free(void *p) {
  sh_quorum_rule *r = p;
  free(r->id);
  sh_vec_free_all(&r->frameworks, free);
  sh_vec_free_all(&r->groups, free);
  sh_expr_free(r->applies_if);
  free(r->applies_if_text);
  for (size_t i = 0; i < r->needs.n; i++) free(((sh_quorum_need *)r->needs.v[i])->role);
  sh_vec_free_all(&r->needs, free);
  free(r->note.ja);
  free(r->note.en);
  free(r);
}

void sh_quorum_free(sh_quorum *q) {
  if (!q) return;
  sh_vec_free_all(&q->rules, rule_free);
  sh_vec_free_all(&q->roles, free);
  free(q->time_zone);
  free(q->file);
  free(q);
}

static bool valid_name(const char *s) {
  if (!s || !*s) return false;
  if (strcmp(s, "*") == 0) return true;
  for (const char *p = s; *p; p++)
    if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '-' || *p == '.')) return false;
  return true;
}

/* A list of names (or one name) into out. */
static void name_list(const sh_ydoc *doc, const sh_ynode *n, sh_vec *out, const char *what, sh_diags *d) {
  if (n->kind == SH_Y_SCALAR) {
    const char *s = sh_y_str(doc, n, what, d);
    if (s && valid_name(s)) sh_vec_push(out, sh_strdup(s));
    else if (s) sh_error(d, doc->file, n->line, n->col, "invalid %s '%s' (lower-case letters, digits, '_', '-', '.', or *)", _(what), s);
    return;
  }
  if (!sh_y_expect(doc, n, SH_Y_SEQ, what, d)) return;
  for (size_t i = 0; i < n->n; i++) name_list(doc, n->items[i], out, what, d);
}

sh_quorum *sh_quorum_load_file(const sh_vocab *vocab, const char *path, sh_diags *d) {
  sh_ydoc *doc = sh_ydoc_load_file(path, d);
  if (!doc) return NULL;
  size_t before = d->nerrors;
  sh_quorum *q = sh_calloc(1, sizeof *q);
  q->file = sh_strdup(path);
  const sh_ynode *root = doc->root;
  if (!root || root->kind != SH_Y_MAP) {
    sh_error(d, path, root ? root->line : 1, root ? root->col : 1, "a quorum file must be a mapping with quorum: and rules:");
    goto done;
  }
  static const char *const rkeys[] = {"quorum", "roles", "rules", NULL};
  sh_y_check_keys(doc, root, rkeys, N_("a quorum file"), d);
  const sh_ynode *meta = sh_y_require(doc, root, "quorum", N_("quorum file"), d);
  if (meta && sh_y_expect(doc, meta, SH_Y_MAP, "quorum", d)) {
    static const char *const mkeys[] = {"version", "note", "time_zone", NULL};
    sh_y_check_keys(doc, meta, mkeys, "quorum", d);
    const sh_ynode *tz = sh_ymap_get(meta, "time_zone");
    const char *s;
    if (tz && (s = sh_y_str(doc, tz, "time_zone", d))) {
      if (!sh_tz_valid(s)) sh_error(d, path, tz->line, tz->col, "unknown time zone '%s' (an IANA name such as Asia/Tokyo, or UTC)", s);
      q->time_zone = sh_strdup(s);
    }
  }
  const sh_ynode *roles = sh_ymap_get(root, "roles");
  bool explicit_roles = roles != NULL;
  if (roles && sh_y_expect(doc, roles, SH_Y_SEQ, "roles", d)) {
    for (size_t i = 0; i < roles->n; i++) {
      const sh_ynode *m = roles->items[i], *x;
      if (!sh_y_expect(doc, m, SH_Y_MAP, N_("a role"), d)) continue;
      static const char *const okeys[] = {"id", "name", NULL};
      sh_y_check_keys(doc, m, okeys, N_("a role"), d);
      const char *s;
      if ((x = sh_y_require(doc, m, "id", "role", d)) && (s = sh_y_str(doc, x, N_("role id"), d))) {
        if (!valid_name(s) || strcmp(s, "*") == 0)
          sh_error(d, path, x->line, x->col, "invalid role id '%s' (lower-case letters, digits, '_', '-', '.')", s);
        else if (sh_quorum_role_defined(q, s)) sh_error(d, path, x->line, x->col, "role '%s' is defined twice", s);
        else sh_vec_push(&q->roles, sh_strdup(s));
      }
    }
  }
  const sh_ynode *rules = sh_y_require(doc, root, "rules", N_("quorum file"), d);
  if (!rules || !sh_y_expect(doc, rules, SH_Y_SEQ, "rules", d)) goto done;
  for (size_t i = 0; i < rules->n; i++) {
    const sh_ynode *n = rules->items[i];
    if (!sh_y_expect(doc, n, SH_Y_MAP, N_("a quorum rule"), d)) continue;
    static const char *const keys[] = {"id", "frameworks", "groups", "applies_if", "require", "note", NULL};
    sh_y_check_keys(doc, n, keys, N_("a quorum rule"), d);
    sh_quorum_rule *r = sh_calloc(1, sizeof *r);
    r->line = n->line;
    r->col = n->col;
    sh_vec_push(&q->rules, r);
    const sh_ynode *v;
    const char *s;
    if ((v = sh_y_require(doc, n, "id", N_("quorum rule"), d)) && (s = sh_y_str(doc, v, N_("rule id"), d))) {
      r->id = sh_strdup(s);
      for (size_t k = 0; k + 1 < q->rules.n; k++)
        if (sh_streq(((sh_quorum_rule *)q->rules.v[k])->id, s))
          sh_error(d, path, v->line, v->col, "quorum rule id '%s' is used twice", s);
    }
    if ((v = sh_ymap_get(n, "frameworks"))) name_list(doc, v, &r->frameworks, N_("framework id"), d);
    if ((v = sh_y_require(doc, n, "groups", N_("quorum rule"), d))) name_list(doc, v, &r->groups, N_("item group"), d);
    if ((v = sh_ymap_get(n, "applies_if")) && (s = sh_y_str(doc, v, "applies_if", d))) {
      r->applies_if_text = sh_strdup(s);
      r->applies_if = sh_expr_parse_node(vocab, doc, v, "applies_if", d);
    }
    if ((v = sh_ymap_get(n, "note"))) sh_y_text(doc, v, &r->note.ja, &r->note.en, "note", d);
    if ((v = sh_y_require(doc, n, "require", N_("quorum rule"), d)) && sh_y_expect(doc, v, SH_Y_SEQ, "require", d)) {
      if (v->n == 0) sh_error(d, path, v->line, v->col, "require: needs at least one {role, count}");
      for (size_t k = 0; k < v->n; k++) {
        const sh_ynode *m = v->items[k];
        if (!sh_y_expect(doc, m, SH_Y_MAP, N_("a quorum requirement"), d)) continue;
        static const char *const nkeys[] = {"role", "count", NULL};
        sh_y_check_keys(doc, m, nkeys, N_("a quorum requirement"), d);
        sh_quorum_need *need = sh_calloc(1, sizeof *need);
        need->count = 1;
        sh_vec_push(&r->needs, need);
        const sh_ynode *x;
        if ((x = sh_y_require(doc, m, "role", N_("quorum requirement"), d)) && (s = sh_y_str(doc, x, "role", d))) {
          if (!valid_name(s)) sh_error(d, path, x->line, x->col, "invalid role '%s' (lower-case letters, digits, '_', '-', '.', or *)", s);
          else if (explicit_roles && strcmp(s, "*") && !sh_quorum_role_defined(q, s))
            sh_error(d, path, x->line, x->col, "role '%s' is not defined under roles:", s);
          else if (!explicit_roles && strcmp(s, "*") && !sh_quorum_role_defined(q, s)) sh_vec_push(&q->roles, sh_strdup(s));
          need->role = sh_strdup(s);
        }
        int64_t c;
        if ((x = sh_ymap_get(m, "count")) && sh_y_int(doc, x, &c, "count", d)) {
          if (c < 1 || c > 100) sh_error(d, path, x->line, x->col, "count must be between 1 and 100, not %lld", (long long)c);
          else need->count = (int)c;
        }
      }
    }
  }
done:
  sh_ydoc_free(doc);
  if (d->nerrors > before) {
    sh_quorum_free(q);
    return NULL;
  }
  return q;
}

bool sh_quorum_role_defined(const sh_quorum *q, const char *role) {
  for (size_t i = 0; q && role && i < q->roles.n; i++)
    if (strcmp(q->roles.v[i], role) == 0) return true;
  return false;
}

sh_quorum *sh_quorum_load(const sh_vocab *vocab, const char *data_dir, sh_diags *d) {
  char *p = sh_path_join(data_dir, "rules/quorum.yaml");
  int fd = sh_open_input(p, 0);
  sh_quorum *q;
  if (fd >= 0 || errno != ENOENT) {
    if (fd >= 0) close(fd);
    q = sh_quorum_load_file(vocab, p, d);
  } else {
    q = sh_calloc(1, sizeof *q);
  }
  free(p);
  return q;
}

/* ---------- applying ---------- */

static bool list_matches(const sh_vec *v, const char *s, bool empty_means_all) {
  if (v->n == 0) return empty_means_all;
  for (size_t i = 0; i < v->n; i++) {
    const char *x = v->v[i];
    if (strcmp(x, "*") == 0 || (s && strcmp(x, s) == 0)) return true;
  }
  return false;
}

static bool rule_applies(const sh_quorum_rule *r, const sh_evaluation *e, const sh_item *it) {
  if (!list_matches(&r->frameworks, it->fw->id, true)) return false;
  if (!list_matches(&r->groups, it->group, false)) return false;
  if (r->applies_if && sh_expr_eval(r->applies_if, sh_evidence_lookup, e->evidence) == SH_TV_FALSE) return false;
  return true; /* an unknown condition applies the rule: the stricter reading */
}

static int cmp_reviews(const void *a, const void *b) {
  const sh_review *x = *(const sh_review *const *)a, *y = *(const sh_review *const *)b;
  return x->id < y->id ? -1 : x->id > y->id;
}

/* Is rv about it (framework and item)? */
static bool about(const char *fw, const char *item, const sh_item *it) {
  return strcmp(fw, it->fw->id) == 0 && strcmp(item, it->id) == 0;
}

char *sh_review_stale_text(int kind, int64_t run, const char *changes, const char *lang) {
  switch (kind) {
  case SH_STALE_CHANGED: return sh_printf(sh_tr(lang, "stale: evidence changed since the decision: %s"), changes);
  case SH_STALE_CHANGED_EARLIER_RUN:
    return sh_printf(sh_tr(lang, "stale: evidence changed since the decision (run %lld): %s"), (long long)run, changes);
  case SH_STALE_NO_FINGERPRINT:
    return sh_printf(sh_tr(lang, "stale: made on run %lld without an evidence fingerprint"), (long long)run);
  }
  return NULL;
}

/* Decides whether a decision or waiver counts: signed and valid (with a context) and made on the
 * evidence this run has. Sets *not_counted / *stale and the stale details (owned by the object). */
typedef struct {
  char **not_counted, **stale, **changes, **changes_ja;
  sh_reason **why_not;
  int *kind;
  int64_t *run;
} judged;

static void judge(const char *fp_then, const char *basis_then, int64_t run_then, const char *fp_now,
                  const char *basis_now, int64_t run_now, sh_reason *why, judged j) {
  free(*j.not_counted);
  sh_reason_free(*j.why_not);
  *j.why_not = why;
  free(*j.stale);
  free(*j.changes);
  free(*j.changes_ja);
  *j.not_counted = why ? sh_strdup(why->message) : NULL;
  *j.stale = *j.changes = *j.changes_ja = NULL;
  *j.kind = SH_STALE_NONE;
  *j.run = run_then;
  if (fp_then && strcmp(fp_then, fp_now) != 0) {
    *j.changes = sh_basis_changes(basis_then, basis_now, "en");
    *j.changes_ja = sh_basis_changes(basis_then, basis_now, "ja");
    *j.kind = run_then == run_now ? SH_STALE_CHANGED : SH_STALE_CHANGED_EARLIER_RUN;
  } else if (!fp_then && run_then != run_now && !*j.not_counted) {
    *j.kind = SH_STALE_NO_FINGERPRINT;
  }
  *j.stale = sh_review_stale_text(*j.kind, run_then, *j.changes, "en");
}

sh_review_state *sh_review_apply(sh_evaluation *e, const sh_quorum *q, const sh_vec *reviews, const sh_vec *waivers,
                                 sh_date as_of, const sh_review_ctx *ctx) {
  sh_review_state *s = sh_calloc(1, sizeof *s);
  s->quorum = q;
  sh_date_format(as_of, s->as_of);
  s->nitems = e->results.n;
  s->items = sh_calloc(s->nitems ? s->nitems : 1, sizeof *s->items);
  for (size_t i = 0; reviews && i < reviews->n; i++) sh_vec_push(&s->all_reviews, reviews->v[i]);
  if (s->all_reviews.n > 1) qsort(s->all_reviews.v, s->all_reviews.n, sizeof(void *), cmp_reviews);
  for (size_t i = 0; waivers && i < waivers->n; i++) sh_vec_push(&s->all_waivers, waivers->v[i]);
  const char *tz = ctx && ctx->tz ? ctx->tz : SH_TZ_DEFAULT;
  snprintf(s->tz, sizeof s->tz, "%s", tz);
  s->run_id = ctx ? ctx->run_id : 0;
  for (size_t i = 0; i < e->results.n; i++) {
    sh_result *r = e->results.v[i];
    const sh_item *it = r->item;
    sh_item_review *ir = &s->items[i];
    ir->recorded = r->verdict;
    char *basis = sh_item_basis(e, r, ir->evidence_fp);
    int64_t run_now = -1;
    for (size_t k = 0; k < s->all_reviews.n; k++) {
      sh_review *rv = s->all_reviews.v[k];
      if (!about(rv->framework_id, rv->item_id, it)) continue;
      if (run_now < 0) run_now = rv->run_id; /* overwritten below when the caller says */
      sh_vec_push(&ir->reviews, rv);
    }
    if (ctx) run_now = ctx->run_id;
    for (size_t k = 0; k < ir->reviews.n; k++) {
      sh_review *rv = ir->reviews.v[k];
      sh_reason *why = ctx && ctx->roster ? sh_review_check_reason(rv, ctx->store_id, ctx->roster) : NULL;
      judge(ctx ? rv->evidence_fp : NULL, rv->basis, rv->run_id, ir->evidence_fp, basis, ctx ? run_now : rv->run_id, why,
            (judged){&rv->not_counted, &rv->stale, &rv->stale_changes, &rv->stale_changes_ja, &rv->why_not, &rv->stale_kind, &rv->stale_run});
      if (rv->run_id != run_now && ctx) {
        if (rv->stale) ir->stale++;
        else if (!rv->not_counted) ir->carried++;
      }
    }
    const sh_waiver *latest_any = NULL;
    for (size_t k = 0; k < s->all_waivers.n; k++) {
      sh_waiver *w = s->all_waivers.v[k];
      if (!about(w->framework_id, w->item_id, it)) continue;
      sh_reason *why = ctx && ctx->roster ? sh_waiver_check_reason(w, ctx->store_id, ctx->roster) : NULL;
      judge(ctx ? w->evidence_fp : NULL, w->basis, w->run_id, ir->evidence_fp, basis, ctx ? run_now : w->run_id, why,
            (judged){&w->not_counted, &w->stale, &w->stale_changes, &w->stale_changes_ja, &w->why_not, &w->stale_kind, &w->stale_run});
      latest_any = w;
      if (!w->not_counted && !w->stale) ir->waiver = w; /* the latest counting one wins */
    }
    if (!ir->waiver) ir->waiver = latest_any;
    free(basis);
    for (size_t k = 0; q && k < q->rules.n; k++)
      if (rule_applies(q->rules.v[k], e, it)) sh_vec_push(&ir->rules, q->rules.v[k]);
    /* Latest counting decision of each reviewer in each role (reviews are in id order). */
    sh_vec latest = {0};
    for (size_t k = ir->reviews.n; k-- > 0;) {
      const sh_review *rv = ir->reviews.v[k];
      if (rv->not_counted || rv->stale) continue;
      bool seen = false;
      for (size_t m = 0; m < latest.n; m++) {
        const sh_review *x = latest.v[m];
        if (strcmp(x->reviewer, rv->reviewer) == 0 && strcmp(x->role, rv->role) == 0) seen = true;
      }
      if (!seen) sh_vec_push(&latest, (void *)rv);
    }
    const sh_review *reject = NULL, *more = NULL;
    for (size_t m = 0; m < latest.n; m++) {
      const sh_review *rv = latest.v[m];
      if (rv->decision == SH_DEC_REJECT && !reject) reject = rv;
      if (rv->decision == SH_DEC_REQUEST_MORE && !more) more = rv;
    }
    /* Quorum: every rule that applies, each need counted over distinct accepting reviewers. */
    bool met = true;
    if (ir->rules.n == 0) {
      size_t acc = 0;
      for (size_t m = 0; m < latest.n; m++) acc += ((const sh_review *)latest.v[m])->decision == SH_DEC_ACCEPT;
      met = acc >= 1;
      sh_quorum_part *qp = sh_calloc(1, sizeof *qp);
      qp->accepted = acc < 1 ? (int)acc : 1;
      qp->count = 1;
      sh_vec_push(&ir->quorum_parts, qp);
    }
    for (size_t k = 0; k < ir->rules.n; k++) {
      const sh_quorum_rule *qr = ir->rules.v[k];
      for (size_t n = 0; n < qr->needs.n; n++) {
        const sh_quorum_need *need = qr->needs.v[n];
        int acc = 0;
        sh_vec who = {0};
        for (size_t m = 0; m < latest.n; m++) {
          const sh_review *rv = latest.v[m];
          if (rv->decision != SH_DEC_ACCEPT || (strcmp(need->role, "*") != 0 && strcmp(need->role, rv->role) != 0)) continue;
          bool dup = false;
          for (size_t x = 0; x < who.n; x++) dup |= strcmp(who.v[x], rv->reviewer) == 0;
          if (dup) continue;
          sh_vec_push(&who, rv->reviewer);
          acc++;
        }
        sh_vec_free(&who);
        if (acc < need->count) met = false;
        sh_quorum_part *qp = sh_calloc(1, sizeof *qp);
        *qp = (sh_quorum_part){.role = need->role, .rule_id = qr->id, .accepted = acc < need->count ? acc : need->count,
                               .count = need->count};
        sh_vec_push(&ir->quorum_parts, qp);
      }
    }
    size_t uncounted = 0;
    for (size_t k = 0; k < ir->reviews.n; k++) {
      const sh_review *rv = ir->reviews.v[k];
      uncounted += rv->not_counted || rv->stale;
    }
    ir->uncounted = uncounted;
    ir->quorum_met = met;
    ir->quorum_status = sh_review_quorum_text(ir, "en");
    (void)decision_words;
    /* The quorum in a reason: role ids, counts and rule ids, the same in every language (one sentence per case). */
    sh_buf neutral = {0};
    bool default_rule = ir->quorum_parts.n == 1 && !((const sh_quorum_part *)ir->quorum_parts.v[0])->role;
    for (size_t k = 0; k < ir->quorum_parts.n && !default_rule; k++) {
      const sh_quorum_part *qp = ir->quorum_parts.v[k];
      sh_buf_printf(&neutral, "%s%s %d/%d (%s)", k ? ", " : "", qp->role, qp->accepted, qp->count, qp->rule_id);
    }
    const sh_quorum_part *dp = default_rule ? ir->quorum_parts.v[0] : NULL;
    if (reject) {
      char *when = sh_time_show(reject->recorded_at, tz);
      r->verdict = SH_V_NOT_SATISFIED;
      sh_vec_push(&r->reasons, sh_reason_new_message(NULL, "rejected by %s (%s) on %s: %s", reject->reviewer, reject->role,
                                                     when, reject->note));
      free(when);
    } else if (r->verdict == SH_V_NEEDS_REVIEW) {
      if (more) {
        char *when = sh_time_show(more->recorded_at, tz);
        sh_vec_push(&r->reasons, sh_reason_new_message(NULL, "%s (%s) requested more evidence on %s: %s", more->reviewer,
                                                       more->role, when, more->note));
        free(when);
        s->pending++;
      } else if (met) {
        r->verdict = SH_V_SATISFIED;
        sh_vec_push(&r->reasons, dp ? sh_reason_new_message(NULL, "accepted by reviewers, quorum met: any reviewer %d/%d",
                                                            dp->accepted, dp->count)
                                    : sh_reason_new_message(NULL, "accepted by reviewers, quorum met: %s",
                                                            sh_buf_str(&neutral)));
      } else {
        sh_vec_push(&r->reasons, dp ? sh_reason_new_message(NULL, "quorum not met: any reviewer %d/%d", dp->accepted,
                                                            dp->count)
                                    : sh_reason_new_message(NULL, "quorum not met: %s", sh_buf_str(&neutral)));
        s->pending++;
      }
    }
    sh_buf_free(&neutral);
    for (size_t k = 0; k < ir->reviews.n; k++) {
      const sh_review *rv = ir->reviews.v[k];
      const char *who = rv->reviewer, *dec = sh_decision_name(rv->decision), *role = rv->role;
      sh_reason *re = NULL;
      switch (rv->stale ? rv->stale_kind : SH_STALE_NONE) {
      case SH_STALE_CHANGED:
        re = sh_reason_text_arg(sh_reason_new_message(NULL, "%s's %s (%s) is stale: evidence changed since the decision: "
                                                                  "%s", who, dec, role, rv->stale_changes),
                                3, rv->stale_changes_ja, rv->stale_changes);
        break;
      case SH_STALE_CHANGED_EARLIER_RUN:
        re = sh_reason_text_arg(sh_reason_new_message(NULL, "%s's %s (%s) is stale: evidence changed since the decision "
                                                                  "(run %lld): %s", who, dec, role, (long long)rv->stale_run,
                                                      rv->stale_changes),
                                4, rv->stale_changes_ja, rv->stale_changes);
        break;
      case SH_STALE_NO_FINGERPRINT:
        re = sh_reason_new_message(NULL, "%s's %s (%s) is stale: made on run %lld without an evidence fingerprint", who,
                                   dec, role, (long long)rv->stale_run);
        break;
      default:
        if (rv->not_counted) {
          re = sh_reason_new_message(NULL, "%s's %s (%s) is not counted: %s", who, dec, role, rv->not_counted);
          if (rv->why_not) sh_reason_sub_arg(re, 3, sh_reason_dup(rv->why_not)); /* in the report's language */
        }
      }
      if (re) sh_vec_push(&r->reasons, sh_reason_tr_arg(re, 1)); /* the decision in the report's language */
    }
    sh_vec_free(&latest);
    if (ir->waiver) {
      const sh_waiver *w = ir->waiver;
      sh_date exp;
      bool ok = sh_date_parse(w->expires, &exp);
      if (w->not_counted || w->stale) {
        ir->waiver_state = SH_WAIVER_NONE;
        sh_reason *re;
        switch (w->stale ? w->stale_kind : SH_STALE_NONE) {
        case SH_STALE_CHANGED:
          re = sh_reason_text_arg(sh_reason_new_message(NULL, "waiver by %s does not apply: stale: evidence changed since "
                                                                    "the decision: %s", w->approver, w->stale_changes),
                                  1, w->stale_changes_ja, w->stale_changes);
          break;
        case SH_STALE_CHANGED_EARLIER_RUN:
          re = sh_reason_text_arg(sh_reason_new_message(NULL, "waiver by %s does not apply: stale: evidence changed since "
                                                                    "the decision (run %lld): %s", w->approver,
                                                        (long long)w->stale_run, w->stale_changes),
                                  2, w->stale_changes_ja, w->stale_changes);
          break;
        case SH_STALE_NO_FINGERPRINT:
          re = sh_reason_new_message(NULL, "waiver by %s does not apply: stale: made on run %lld without an evidence "
                                           "fingerprint", w->approver, (long long)w->stale_run);
          break;
        default:
          re = sh_reason_new_message(NULL, "waiver by %s does not apply: %s", w->approver, w->not_counted);
          if (w->why_not) sh_reason_sub_arg(re, 1, sh_reason_dup(w->why_not)); /* in the report's language */
        }
        sh_vec_push(&r->reasons, re);
      } else if (w->revoked_at) {
        char *when = sh_time_show(w->revoked_at, tz);
        ir->waiver_state = SH_WAIVER_REVOKED;
        sh_vec_push(&r->reasons, sh_reason_new_message(NULL, "waiver by %s was revoked by %s on %s: %s", w->approver,
                                                       w->revoked_by, when, w->revoke_reason ? w->revoke_reason : ""));
        free(when);
      } else {
        ir->waiver_state = ok && as_of <= exp ? SH_WAIVER_ACTIVE : SH_WAIVER_EXPIRED;
        if (ir->waiver_state == SH_WAIVER_EXPIRED)
          sh_vec_push(&r->reasons, sh_reason_new_message(NULL, "waiver by %s expired on %s and no longer applies",
                                                         w->approver, w->expires));
      }
    }
  }
  sh_evaluation_recount(e);
  for (size_t i = 0; i < e->results.n; i++) {
    const sh_result *r = e->results.v[i];
    if (s->items[i].waiver_state != SH_WAIVER_ACTIVE) continue;
    if (r->item->strength == SH_STRENGTH_MUST && r->verdict != SH_V_SATISFIED && r->verdict != SH_V_COVERED &&
        r->verdict != SH_V_NOT_APPLICABLE)
      s->waived_must++;
  }
  e->must_failing -= s->waived_must;
  return s;
}

char *sh_review_quorum_text(const sh_item_review *ir, const char *lang) {
  sh_buf b = {0};
  for (size_t k = 0; k < ir->quorum_parts.n; k++) {
    const sh_quorum_part *qp = ir->quorum_parts.v[k];
    if (k) sh_buf_puts(&b, sh_tr(lang, ", "));
    if (!qp->role) sh_buf_printf(&b, sh_tr(lang, "any reviewer %d/%d"), qp->accepted, qp->count);
    else if (!strcmp(qp->role, "*"))
      sh_buf_printf(&b, sh_tr(lang, "any role %d/%d (%s)"), qp->accepted, qp->count, qp->rule_id);
    else sh_buf_printf(&b, sh_tr(lang, "%s %d/%d (%s)"), qp->role, qp->accepted, qp->count, qp->rule_id);
  }
  if (ir->uncounted == 1) sh_buf_puts(&b, sh_tr(lang, "; 1 decision not counted"));
  else if (ir->uncounted) sh_buf_printf(&b, sh_tr(lang, "; %zu decisions not counted"), ir->uncounted);
  return sh_buf_steal(&b);
}

char *sh_review_when_lang(const sh_review_state *s, const sh_review *rv, const char *lang) {
  char *t = sh_time_show(rv->recorded_at, s && s->tz[0] ? s->tz : SH_TZ_DEFAULT);
  char *r;
  if (rv->stale) {
    char *st = sh_review_stale_text(rv->stale_kind, rv->stale_run,
                                    lang && strcmp(lang, "en") == 0 ? rv->stale_changes : rv->stale_changes_ja, lang);
    r = sh_printf("%s [%s]", t, st ? st : rv->stale);
    free(st);
  } else if (rv->not_counted) {
    char *why = rv->why_not ? sh_reason_text(rv->why_not, lang) : sh_strdup(rv->not_counted);
    r = sh_printf(sh_tr(lang, "%s [not counted: %s]"), t, why);
    free(why);
  } else if (s && s->run_id && rv->run_id != s->run_id)
    r = sh_printf(sh_tr(lang, "%s [carried from run %lld]"), t, (long long)rv->run_id);
  else return t;
  free(t);
  return r;
}

char *sh_review_when(const sh_review_state *s, const sh_review *rv) { return sh_review_when_lang(s, rv, "en"); }

void sh_review_state_free(sh_review_state *s) {
  if (!s) return;
  for (size_t i = 0; i < s->nitems; i++) {
    sh_vec_free(&s->items[i].reviews);
    sh_vec_free(&s->items[i].rules);
    sh_vec_free_all(&s->items[i].quorum_parts, free);
    free(s->items[i].quorum_status);
  }
  free(s->items);
  sh_vec_free(&s->all_reviews);
  sh_vec_free(&s->all_waivers);
  free(s);
}

const sh_item_review *sh_review_for(const sh_review_state *s, const sh_evaluation *e, const sh_result *r) {
  if (!s) return NULL;
  for (size_t i = 0; i < e->results.n && i < s->nitems; i++)
    if (e->results.v[i] == r) return &s->items[i];
  return NULL;
}

/* ---------- a recorded run with its reviews ---------- */

sh_reviewed_run *sh_reviewed_run_load_tz(sh_store *s, int64_t run_id, const char *data_dir, const char *tz,
                                         const sh_date *as_of, sh_diags *d) {
  sh_reviewed_run *rr = sh_calloc(1, sizeof *rr);
  rr->snap = s->ops->load_run(s, run_id, d);
  if (!rr->snap) goto fail;
  rr->quorum = sh_quorum_load(rr->snap->vocab, data_dir, d);
  if (!rr->quorum) goto fail;
  rr->tz = sh_strdup(sh_tz_pick(tz, rr->quorum->time_zone));
  if (!sh_tz_valid(rr->tz)) {
    sh_error_usage(d, "unknown time zone '%s' (an IANA name such as Asia/Tokyo, or UTC)", rr->tz);
    goto fail;
  }
  if (s->ops->store_id(s, rr->store_id, d) || s->ops->list_roster(s, &rr->roster, d) ||
      s->ops->list_reviews_carry(s, run_id, &rr->reviews, d) || s->ops->list_waivers_carry(s, run_id, &rr->waivers, d))
    goto fail;
  sh_review_ctx ctx = {.store_id = rr->store_id, .roster = &rr->roster, .tz = rr->tz, .run_id = run_id};
  sh_date day = as_of ? *as_of : sh_today_in_tz(rr->tz);
  rr->state = sh_review_apply(rr->snap->eval, rr->quorum, &rr->reviews, &rr->waivers, day, &ctx);
  return rr;
fail:
  sh_reviewed_run_free(rr);
  return NULL;
}

sh_reviewed_run *sh_reviewed_run_load(sh_store *s, int64_t run_id, const char *data_dir, sh_date as_of, sh_diags *d) {
  return sh_reviewed_run_load_tz(s, run_id, data_dir, NULL, &as_of, d);
}

void sh_reviewed_run_free(sh_reviewed_run *r) {
  if (!r) return;
  sh_review_state_free(r->state);
  sh_vec_free_all(&r->reviews, sh_review_free);
  sh_vec_free_all(&r->waivers, sh_waiver_free);
  sh_vec_free_all(&r->roster, sh_roster_event_free);
  free(r->tz);
  sh_quorum_free(r->quorum);
  sh_run_snapshot_free(r->snap);
  free(r);
}
