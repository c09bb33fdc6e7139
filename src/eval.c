/* eval: item verdicts for an evidence package. See eval.h. */
#include "eval.h"

#include "answers.h"
#include "consistency.h"
#include "i18n.h"

#include "i18n.h"

#include <stdlib.h>
#include <string.h>

/* Words given to reasons as arguments that are translated when the reason is rendered (sh_reason_tr_arg):
 * provenance names (sh_prov_name), document statuses (sh_doc_status_name) and answer statuses
 * (sh_answer_status_name). Listed here for the catalog, in the message context SH_REASON_WORD_CTX. */
static const char *const translated_words[] __attribute__((unused)) = {
  NC_("reason-word", "declared"), NC_("reason-word", "attested"), NC_("reason-word", "probed"),
  NC_("reason-word", "confirmed"), NC_("reason-word", "missing"), NC_("reason-word", "hash_mismatch"),
  NC_("reason-word", "expired"), NC_("reason-word", "not_yet_valid"), NC_("reason-word", "unreadable"),
  NC_("reason-word", "implemented"), NC_("reason-word", "partial"), NC_("reason-word", "planned"),
  NC_("reason-word", "not_applicable"),
};

const char *sh_verdict_name(sh_verdict v) {
  switch (v) {
  case SH_V_SATISFIED: return "satisfied";
  case SH_V_NOT_SATISFIED: return "not_satisfied";
  case SH_V_NEEDS_REVIEW: return "needs_review";
  case SH_V_NOT_APPLICABLE: return "not_applicable";
  case SH_V_UNKNOWN: return "unknown";
  case SH_V_COVERED: return "covered_by_certification";
  case SH_V__COUNT: break;
  }
  return "?";
}

bool sh_verdict_parse(const char *s, sh_verdict *out) {
  for (int k = 0; k < SH_V__COUNT; k++)
    if (s && strcmp(s, sh_verdict_name((sh_verdict)k)) == 0) return *out = (sh_verdict)k, true;
  return false;
}

const char *sh_verdict_label(sh_verdict v, const char *lang) {
  static const char *const labels[SH_V__COUNT] = {
    [SH_V_SATISFIED] = N_("satisfied"), [SH_V_NOT_SATISFIED] = N_("not satisfied"),
    [SH_V_NEEDS_REVIEW] = N_("needs review"), [SH_V_NOT_APPLICABLE] = N_("not applicable"),
    [SH_V_UNKNOWN] = N_("unknown (facts missing)"), [SH_V_COVERED] = N_("covered by certification")};
  return (unsigned)v < SH_V__COUNT ? sh_tr(lang, labels[v]) : "?";
}

static void free_result(void *p) {
  sh_result *r = p;
  sh_vec_free_all(&r->reasons, sh_reason_free);
  sh_vec_free(&r->missing);
  sh_vec_free(&r->facts_used);
  sh_vec_free_all(&r->witnesses, free);
  free(r);
}

void sh_evaluation_free(sh_evaluation *e) {
  if (!e) return;
  sh_vec_free(&e->frameworks);
  sh_vec_free_all(&e->results, free_result);
  sh_vec_free_all(&e->findings, sh_reason_free);
  free(e);
}

void sh_evaluation_recount(sh_evaluation *e) {
  memset(e->counts, 0, sizeof e->counts);
  e->must_failing = 0;
  for (size_t i = 0; i < e->results.n; i++) {
    const sh_result *r = e->results.v[i];
    e->counts[r->verdict]++;
    if (r->item->strength == SH_STRENGTH_MUST && r->verdict != SH_V_SATISFIED && r->verdict != SH_V_COVERED &&
        r->verdict != SH_V_NOT_APPLICABLE)
      e->must_failing++;
  }
}

/* Facts without a value in e, appended to missing once each. */
static void collect_missing(const sh_expr *e, const sh_evidence *ev, sh_vec *missing) {
  if (e->kind == SH_E_ATOM) {
    if (sh_evidence_get(ev, e->fact)) return;
    for (size_t i = 0; i < missing->n; i++)
      if (missing->v[i] == e->fact) return;
    sh_vec_push(missing, (void *)e->fact);
    return;
  }
  for (size_t i = 0; i < e->n; i++) collect_missing(e->kids[i], ev, missing);
}

/* Document problems behind the facts used: returns true when some fact relies on a document that is
 * missing, altered, expired or not yet valid (a finding on every item that relies on it). */
static bool document_findings(const sh_evidence *ev, sh_result *r) {
  bool bad = false;
  for (size_t i = 0; i < r->facts_used.n; i++) {
    const sh_fact_value *fv = sh_evidence_get(ev, r->facts_used.v[i]);
    if (!fv) continue;
    for (size_t k = 0; k < fv->documents.n; k++) {
      const sh_document *dc = fv->documents.v[k];
      if (dc->status == SH_DOC_OK) continue;
      bad = true;
      sh_reason *re = sh_reason_new_message(fv->fact, "document '%s' attesting %s: %s", dc->path, fv->fact->id,
                                            sh_doc_status_name(dc->status));
      sh_vec_push(&r->reasons, sh_reason_tr_arg(sh_reason_fact_arg(re, 1), 2));
    }
  }
  return bad;
}

/* Facts used whose provenance is below the item's minimum. */
static bool provenance_short(const sh_evidence *ev, sh_result *r) {
  const sh_item *it = r->item;
  if (sh_prov_rank(it->min_provenance) == 0) return false;
  bool shortfall = false;
  for (size_t i = 0; i < r->facts_used.n; i++) {
    const sh_fact_value *fv = sh_evidence_get(ev, r->facts_used.v[i]);
    if (!fv || sh_prov_rank(fv->prov) >= sh_prov_rank(it->min_provenance)) continue;
    shortfall = true;
    sh_reason *re = sh_reason_new_message(fv->fact, "%s is only %s; this item requires %s evidence", fv->fact->id,
                                          sh_prov_name(fv->prov), sh_prov_name(it->min_provenance));
    sh_vec_push(&r->reasons, sh_reason_tr_arg(sh_reason_tr_arg(sh_reason_fact_arg(re, 0), 1), 2));
  }
  return shortfall;
}

/* ---- why a requirement is not met (helper 2's hunk, issue 13 step 5: reasons say what is missing) ----
 * A disjunct of a requirement that is `not P`, or a test on a fact shinsa computes from the data items
 * (`data.max_sensitivity_level < 2 or ethics_board.medical_members >= 1`), is the condition under which the
 * other disjuncts are required, not a fault: holding level-2 data is no failure, having no medical member is. */
static bool is_condition(const sh_expr *k) {
  return k->kind == SH_E_NOT || (k->kind == SH_E_ATOM && k->fact->derived);
}

/* One reason giving a condition that holds as the context of the requirement `req`: `required` NULL (nothing to
 * change there); `condition` is the atom that decides it, so that the report names the data items behind it. */
static sh_reason *condition_context(const sh_expr *cond, const sh_expr *const *req, size_t nreq, const sh_evidence *ev) {
  const sh_expr *p = cond->kind == SH_E_NOT ? cond->kids[0] : cond; /* the condition that holds */
  sh_buf rq = {0};
  for (size_t i = 0; i < nreq; i++) {
    char *s = sh_expr_to_string(req[i]);
    sh_buf_printf(&rq, "%s%s", i ? " or " : "", s);
    free(s);
  }
  sh_reason *re;
  if (p->kind == SH_E_ATOM) {
    const sh_value *v = sh_evidence_lookup(ev, p->fact);
    char *actual = v ? sh_value_format(p->fact, v) : sh_strdup("?");
    re = sh_reason_fact_arg(sh_reason_new_message(p->fact, "the requirement %s applies because %s is %s", sh_buf_str(&rq),
                                                  p->fact->id, actual), 1);
    re->actual = actual;
    re->condition = sh_expr_to_string(cond);
  } else {
    char *s = sh_expr_to_string(p);
    re = sh_reason_new_message(NULL, "the requirement %s applies because %s holds", sh_buf_str(&rq), s);
    free(s);
  }
  sh_buf_free(&rq);
  return re;
}

/* Like sh_expr_explain(e, true, ...), except that in an OR whose requirement disjuncts all failed, the
 * conditions that hold are given as context after the failed requirements, not as faults. */
static void explain_require(const sh_expr *e, const sh_evidence *ev, sh_vec *out) {
  if (sh_expr_eval(e, sh_evidence_lookup, ev) == SH_TV_TRUE) return;
  if (e->kind == SH_E_AND) {
    for (size_t i = 0; i < e->n; i++) explain_require(e->kids[i], ev, out);
    return;
  }
  size_t nreq = 0;
  for (size_t i = 0; e->kind == SH_E_OR && i < e->n; i++) nreq += !is_condition(e->kids[i]);
  if (e->kind != SH_E_OR || nreq == 0 || nreq == e->n) {
    size_t before = out->n;
    sh_expr_explain(e, true, sh_evidence_lookup, ev, out);
    if (e->kind == SH_E_OR && out->n - before > 1) { /* alternatives: what is missing is one of them, not all */
      char *alt = sh_expr_to_string(e);
      sh_vec_push(out, sh_reason_new_message(NULL, "any one of these alternatives would meet the requirement: %s", alt));
      free(alt);
    }
    return;
  }
  const sh_expr **req = sh_calloc(nreq, sizeof *req);
  size_t k = 0;
  for (size_t i = 0; i < e->n; i++)
    if (!is_condition(e->kids[i])) req[k++] = e->kids[i];
  for (size_t i = 0; i < nreq; i++) explain_require(req[i], ev, out);
  for (size_t i = 0; i < e->n; i++) {
    const sh_expr *c = e->kids[i];
    if (!is_condition(c)) continue;
    if (sh_expr_eval(c, sh_evidence_lookup, ev) == SH_TV_UNKNOWN) sh_expr_explain(c, true, sh_evidence_lookup, ev, out);
    else sh_vec_push(out, condition_context(c, req, nreq, ev)); /* false: the condition under which req applies holds */
  }
  free(req);
}
/* ---- end of helper 2's hunk ---- */

static void evaluate_item(sh_evaluation *e, const sh_evidence *ev, sh_result *r, const sh_eval_options *opts) {
  const sh_item *it = r->item;
  if (it->applies_if) sh_expr_facts(it->applies_if, &r->facts_used);
  if (it->require) sh_expr_facts(it->require, &r->facts_used);
  if (it->applies_if) {
    sh_tv a = sh_expr_eval(it->applies_if, sh_evidence_lookup, ev);
    if (a == SH_TV_FALSE) {
      r->verdict = SH_V_NOT_APPLICABLE;
      sh_expr_explain(it->applies_if, true, sh_evidence_lookup, ev, &r->reasons);
      return;
    }
    if (a == SH_TV_UNKNOWN) {
      r->verdict = SH_V_UNKNOWN;
      collect_missing(it->applies_if, ev, &r->missing);
      sh_expr_explain(it->applies_if, true, sh_evidence_lookup, ev, &r->reasons);
      return;
    }
  }
  if (opts && opts->cover && opts->cover(opts->cover_ctx, e, r)) return;
  const sh_answer *a = r->answer;
  char pd[11] = "";
  if (a && a->status == SH_ANS_PLANNED) sh_date_format(a->planned_by, pd);
  if (it->manual) {
    r->verdict = SH_V_NEEDS_REVIEW;
    if (!a)
      sh_vec_push(&r->reasons, sh_reason_new_message(NULL, "not answered: the applicant has given no answer for this item"));
    else if (a->status == SH_ANS_PLANNED) {
      r->verdict = SH_V_NOT_SATISFIED;
      sh_vec_push(&r->reasons, sh_reason_new_message(NULL, "the applicant plans it by %s: not in place at the assessment date",
                                                      pd));
    } else if (a->status == SH_ANS_NOT_APPLICABLE)
      sh_vec_push(&r->reasons, sh_reason_new_message(NULL, "the applicant answers not applicable: %s (reviewer to confirm)",
                                                      a->reason));
    else {
      /* The answer and its references go into the reason too, so that a recorded run keeps them. */
      sh_buf b = {0};
      for (size_t k = 0; k < a->refs.n; k++) {
        const sh_answer_ref *ref = a->refs.v[k];
        sh_buf_printf(&b, "%s%s%s%s", k ? "; " : "", ref->document->path, ref->at ? " " : "", ref->at ? ref->at : "");
      }
      const char *st = sh_answer_status_name(a->status), *tx = a->text.en ? a->text.en : a->text.ja;
      sh_reason *re;
      if (tx && a->refs.n)
        re = sh_reason_new_message(NULL, "the applicant answers %s: %s (see %s); reviewer to examine the answer", st,
                                   tx, sh_buf_str(&b));
      else if (tx)
        re = sh_reason_new_message(NULL, "the applicant answers %s: %s; reviewer to examine the answer", st, tx);
      else if (a->refs.n)
        re = sh_reason_new_message(NULL, "the applicant answers %s (see %s); reviewer to examine the answer", st,
                                   sh_buf_str(&b));
      else re = sh_reason_new_message(NULL, "the applicant answers %s; reviewer to examine the answer", st);
      if (tx) sh_reason_text_arg(re, 1, a->text.ja, a->text.en); /* the answer in the report's language */
      sh_vec_push(&r->reasons, sh_reason_tr_arg(re, 0));
      sh_buf_free(&b);
    }
    for (size_t i = 0; i < it->evidence_needed.n; i++) {
      const sh_text *t = it->evidence_needed.v[i];
      /* the framework's text in the report's language (sh_reason_text_arg) */
      sh_reason *re = sh_reason_new_message(NULL, "reviewer to examine: %s", t->en ? t->en : t->ja);
      sh_vec_push(&r->reasons, sh_reason_text_arg(re, 0, t->ja, t->en));
    }
    return;
  }
  sh_tv q = sh_expr_eval(it->require, sh_evidence_lookup, ev);
  if (a && a->status == SH_ANS_PLANNED && q != SH_TV_TRUE)
    sh_vec_push(&r->reasons, sh_reason_new_message(NULL, "the applicant plans it by %s", pd));
  if (a && a->status == SH_ANS_NOT_APPLICABLE)
    sh_vec_push(&r->reasons, sh_reason_new_message(NULL, "the applicant answers not applicable: %s (but the item "
                                                    "applies to the facts declared)", a->reason));
  if (a && a->status == SH_ANS_IMPLEMENTED && q == SH_TV_FALSE) {
    r->contradiction = true;
    sh_vec_push(&r->reasons, sh_reason_new_message(NULL, "contradiction: the applicant answers implemented, but the "
                                                    "requirement is not met by the facts"));
  }
  switch (q) {
  case SH_TV_TRUE:
    if (document_findings(ev, r)) r->verdict = SH_V_NOT_SATISFIED;
    else if (provenance_short(ev, r)) r->verdict = SH_V_NEEDS_REVIEW;
    else r->verdict = SH_V_SATISFIED;
    return;
  case SH_TV_FALSE:
    r->verdict = SH_V_NOT_SATISFIED;
    explain_require(it->require, ev, &r->reasons);
    document_findings(ev, r);
    return;
  case SH_TV_UNKNOWN:
    r->verdict = SH_V_UNKNOWN;
    collect_missing(it->require, ev, &r->missing);
    explain_require(it->require, ev, &r->reasons);
    return;
  }
}

/* Package-level findings from the answers: a plan not in place and a contradiction with the facts. */
static void answer_findings(sh_evaluation *e, const sh_result *r) {
  const sh_answer *a = r->answer;
  if (!a || r->verdict == SH_V_NOT_APPLICABLE || r->verdict == SH_V_COVERED) return;
  const sh_item *it = r->item;
  if (r->contradiction)
    sh_vec_push(&e->findings, sh_reason_new_message(NULL, "%s:%s: answered implemented, but the requirement is not met "
                                                    "by the facts (contradiction)", it->fw->id, it->id));
  if (a->status == SH_ANS_PLANNED && r->verdict != SH_V_SATISFIED) {
    char pd[11], ad[11];
    sh_date_format(a->planned_by, pd);
    sh_date_format(e->evidence->assessment_date, ad);
    if (a->planned_by < e->evidence->assessment_date)
      sh_vec_push(&e->findings, sh_reason_new_message(NULL, "%s:%s: planned by %s, which has passed (assessment date %s)",
                                                      it->fw->id, it->id, pd, ad));
    else
      sh_vec_push(&e->findings, sh_reason_new_message(NULL, "%s:%s: planned by %s (assessment date %s)", it->fw->id,
                                                      it->id, pd, ad));
  }
}

sh_evaluation *sh_evaluate(const sh_evidence *ev, const sh_framework *const *fws, size_t nfw,
                           const sh_eval_options *opts) {
  sh_evaluation *e = sh_calloc(1, sizeof *e);
  e->evidence = ev;
  for (size_t i = 0; i < nfw; i++) sh_vec_push(&e->frameworks, (void *)fws[i]);
  for (size_t i = 0; i < ev->documents.n; i++) {
    const sh_document *dc = ev->documents.v[i];
    if (dc->status != SH_DOC_OK)
      sh_vec_push(&e->findings, sh_reason_tr_arg(sh_reason_new_message(NULL, "document '%s': %s", dc->path,
                                                                       sh_doc_status_name(dc->status)), 1));
  }
  sh_consistency_findings(ev, &e->findings);
  for (size_t f = 0; f < nfw; f++) {
    for (size_t i = 0; i < fws[f]->items.n; i++) {
      sh_result *r = sh_calloc(1, sizeof *r);
      r->item = fws[f]->items.v[i];
      r->answer = sh_answer_find(ev, fws[f]->id, r->item->id);
      sh_vec_push(&e->results, r);
      evaluate_item(e, ev, r, opts);
      answer_findings(e, r);
    }
  }
  sh_evaluation_recount(e);
  return e;
}
