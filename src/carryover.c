/* carryover: covered_by_certification verdicts from valid certifications and the crosswalk,
 * and findings for certifications that cannot be used (expired, not yet valid, unknown framework). */
#include "carryover.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
  const sh_framework *from, *to;
  sh_crosswalk *xw;
} pair;

struct sh_carryover {
  const sh_registry *reg;
  const sh_xw_curated *cur;
  sh_logic_ctx *lc;
  sh_vec pairs; /* pair* */
};

sh_carryover *sh_carryover_new(const sh_registry *reg, const sh_xw_curated *cur) {
  sh_carryover *co = sh_calloc(1, sizeof *co);
  co->reg = reg;
  co->cur = cur;
  return co;
}

static void pair_free(void *p) {
  pair *x = p;
  sh_crosswalk_free(x->xw);
  free(x);
}

void sh_carryover_free(sh_carryover *co) {
  if (!co) return;
  sh_vec_free_all(&co->pairs, pair_free);
  sh_logic_free(co->lc);
  free(co);
}

bool sh_certification_valid(const sh_certification *c, sh_date assessment_date) {
  if (c->valid_until < assessment_date) return false;
  if (c->has_issued && c->issued > assessment_date) return false;
  return true;
}

/* Why the certification's certificate document does not back it, or NULL when it does: the document
 * must be listed under documents: (path and sha256) and be intact and valid on the assessment date. */
static const char *certificate_problem(const sh_evidence *ev, const sh_certification *c) {
  if (!c->certificate) return "no certificate document (certificate: PATH, listed under documents: with its sha256)";
  const sh_document *dc = sh_certificate_doc(ev, c);
  if (!dc) return "its certificate document is not listed under documents: (path and sha256)";
  if (dc->status != SH_DOC_OK) return "its certificate document is not intact or not valid on the assessment date";
  return NULL;
}

static bool usable(const sh_evidence *ev, const sh_certification *c) {
  return sh_certification_valid(c, ev->assessment_date) && !certificate_problem(ev, c);
}

/* The kind of certification as a word of a reason (expr.h sh_reason_tr_arg): 通常認定 (the default) or P認定, the
 * terms of the information-bank scheme; the English words only name them. */
static const char *kind_of(const sh_certification *c) {
  return c->kind && !strcmp(c->kind, "P認定") ? NC_("reason-word", "P certification (P認定)")
                                            : NC_("reason-word", "regular certification (通常認定)");
}

static const sh_crosswalk *crosswalk_for(sh_carryover *co, const sh_framework *from, const sh_framework *to) {
  for (size_t i = 0; i < co->pairs.n; i++) {
    const pair *p = co->pairs.v[i];
    if (p->from == from && p->to == to) return p->xw;
  }
  if (!co->lc) co->lc = sh_logic_new(co->reg->vocab, NULL);
  pair *p = sh_calloc(1, sizeof *p);
  p->from = from;
  p->to = to;
  p->xw = sh_crosswalk_compute(co->lc, from, to, sh_xw_curated_find(co->cur, from->id, to->id));
  sh_vec_push(&co->pairs, p);
  return p->xw;
}

bool sh_carryover_cover(void *ctx, const sh_evaluation *e, sh_result *r) {
  sh_carryover *co = ctx;
  const sh_evidence *ev = e->evidence;
  const sh_framework *to = r->item->fw;
  for (size_t i = 0; i < ev->certifications.n; i++) {
    const sh_certification *c = ev->certifications.v[i];
    if (!usable(ev, c)) continue;
    const sh_framework *from = sh_registry_find(co->reg, c->framework);
    if (!from || from == to || sh_streq(from->id, to->id)) continue;
    const sh_xw_result *x = sh_crosswalk_result(crosswalk_for(co, from, to), r->item->id);
    if (!x || (x->cls != SH_XW_A && x->cls != SH_XW_B)) continue;
    r->verdict = SH_V_COVERED;
    sh_buf w = {0};
    for (size_t k = 0; k < x->witnesses.n; k++) {
      const sh_item *s = x->witnesses.v[k];
      sh_vec_push(&r->witnesses, sh_printf("%s:%s", from->id, s->id));
      sh_buf_printf(&w, "%s%s", k ? ", " : "", s->id);
    }
    char until[11];
    sh_date_format(c->valid_until, until);
    const char *num = c->number ? c->number : "?", *sha = sh_certificate_doc(ev, c)->sha256_actual;
    const char *cls = sh_xw_class_name(x->cls);
    sh_reason *re;
    if (x->from_curated)
      re = x->witnesses.n == 1
             ? sh_reason_new_message(NULL, "covered by certification %s No. %s (%s, valid until %s, certificate %s "
                                           "sha256 %.12s…): class %s against %s item %s (curated relation)",
                                     from->id, num, kind_of(c), until, c->certificate, sha, cls, from->id, sh_buf_str(&w))
             : sh_reason_new_message(NULL, "covered by certification %s No. %s (%s, valid until %s, certificate %s "
                                           "sha256 %.12s…): class %s against %s items %s (curated relation)",
                                     from->id, num, kind_of(c), until, c->certificate, sha, cls, from->id, sh_buf_str(&w));
    else
      re = x->witnesses.n == 1
             ? sh_reason_new_message(NULL, "covered by certification %s No. %s (%s, valid until %s, certificate %s "
                                           "sha256 %.12s…): class %s against %s item %s",
                                     from->id, num, kind_of(c), until, c->certificate, sha, cls, from->id, sh_buf_str(&w))
             : sh_reason_new_message(NULL, "covered by certification %s No. %s (%s, valid until %s, certificate %s "
                                           "sha256 %.12s…): class %s against %s items %s",
                                     from->id, num, kind_of(c), until, c->certificate, sha, cls, from->id, sh_buf_str(&w));
    sh_vec_push(&r->reasons, sh_reason_tr_arg(re, 2)); /* the kind in the report's language */
    sh_buf_free(&w);
    return true;
  }
  return false;
}

size_t sh_carryover_findings(sh_carryover *co, sh_evaluation *e) {
  const sh_evidence *ev = e->evidence;
  size_t n = 0;
  for (size_t i = 0; i < ev->certifications.n; i++) {
    const sh_certification *c = ev->certifications.v[i];
    char until[11], on[11];
    sh_date_format(c->valid_until, until);
    sh_date_format(ev->assessment_date, on);
    const char *num = c->number ? c->number : "?";
    if (!sh_registry_find(co->reg, c->framework)) {
      sh_vec_push(&e->findings, sh_reason_new_message(NULL,
                                                      "%s:%d:%d: certification %s No. %s is of an unknown framework: "
                                                      "no carry-over",
                                                      SH_EVIDENCE_NAME, c->line, c->col, c->framework, num));
      n++;
    } else if (c->valid_until < ev->assessment_date) {
      sh_vec_push(&e->findings, sh_reason_new_message(NULL,
                                                      "%s:%d:%d: certification %s No. %s expired on %s (assessment "
                                                      "date %s): no carry-over",
                                                      SH_EVIDENCE_NAME, c->line, c->col, c->framework, num, until, on));
      n++;
    } else if (certificate_problem(ev, c)) { /* one whole sentence per problem (the catalog translates each) */
      const sh_document *dc = sh_certificate_doc(ev, c);
      sh_reason *re;
      if (!c->certificate)
        re = sh_reason_new_message(NULL, "%s:%d:%d: certification %s No. %s (%s): no certificate document (certificate: "
                                         "PATH, listed under documents: with its sha256): nothing is carried over",
                                   SH_EVIDENCE_NAME, c->line, c->col, c->framework, num, kind_of(c));
      else if (!dc)
        re = sh_reason_new_message(NULL, "%s:%d:%d: certification %s No. %s (%s): its certificate document is not listed "
                                         "under documents: (path and sha256): nothing is carried over",
                                   SH_EVIDENCE_NAME, c->line, c->col, c->framework, num, kind_of(c));
      else
        re = sh_reason_new_message(NULL, "%s:%d:%d: certification %s No. %s (%s): its certificate document is not intact "
                                         "or not valid on the assessment date (%s): nothing is carried over",
                                   SH_EVIDENCE_NAME, c->line, c->col, c->framework, num, kind_of(c),
                                   sh_doc_status_name(dc->status));
      sh_reason_tr_arg(re, 5); /* the kind and the document status in the report's language */
      if (dc) sh_reason_tr_arg(re, 6);
      sh_vec_push(&e->findings, re);
      n++;
    } else if (c->has_issued && c->issued > ev->assessment_date) {
      char iss[11];
      sh_date_format(c->issued, iss);
      sh_vec_push(&e->findings, sh_reason_new_message(NULL,
                                                      "%s:%d:%d: certification %s No. %s is issued on %s, after the "
                                                      "assessment date %s: no carry-over",
                                                      SH_EVIDENCE_NAME, c->line, c->col, c->framework, num, iss, on));
      n++;
    }
  }
  sh_evaluation_recount(e);
  return n;
}
