/* oscal_ar: the evaluation as an OSCAL assessment-results document (report formats oscal-ar-xml and
 * oscal-ar-json). The mapping of shinsa's run onto the OSCAL model is in docs/oscal.md §2: the run is one
 * result; per item an observation (facts and documents used as relevant-evidence, documents with their SHA-256)
 * and a finding (target status satisfied / not-satisfied); reviewer decisions are attestations whose
 * responsible parties are the reviewers. The document validates against the NIST OSCAL 1.1.2 and 1.2.2
 * assessment-results schemas (tests/test_oscal.c checks both, XML and JSON). */
#include "oscal_ar.h"
#include "report_cells.h"

#include "oscal_out.h"
#include "review.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
  char uuid[37];
} uuid_t_;

/* Finding state per verdict (docs/oscal.md §2). */
static const char *state_of(sh_verdict v) {
  return v == SH_V_SATISFIED || v == SH_V_COVERED || v == SH_V_NOT_APPLICABLE ? "satisfied" : "not-satisfied";
}

static void resource(sh_oscal_out *o, const char *uuid, const char *title, const char *desc, const char *href,
                     const char *sha256) {
  sh_oo_open(o, "resource");
  sh_oo_flag(o, "uuid", uuid);
  sh_oo_field(o, "title", title);
  sh_oo_markup(o, "description", desc);
  if (href) {
    sh_oo_list(o, "rlinks");
    sh_oo_open(o, "rlink");
    sh_oo_flag(o, "href", href);
    if (sha256 && *sha256) {
      sh_oo_list(o, "hashes");
      sh_oo_open(o, "hash");
      sh_oo_flag(o, "algorithm", "SHA-256");
      sh_oo_value(o, sha256);
      sh_oo_close(o);
      sh_oo_list_end(o);
    }
    sh_oo_close(o);
    sh_oo_list_end(o);
  }
  sh_oo_close(o);
}

static size_t doc_index(const sh_evidence *ev, const sh_document *dc) {
  for (size_t i = 0; i < ev->documents.n; i++)
    if (ev->documents.v[i] == dc) return i;
  return (size_t)-1;
}

/* One relevant-evidence entry per fact used and per document attesting it or cited by the answer. */
static void evidence_of(sh_oscal_out *o, const sh_evidence *ev, const sh_result *r, uuid_t_ *docs) {
  bool any = false;
  for (size_t k = 0; k < r->facts_used.n; k++) {
    const sh_fact *f = r->facts_used.v[k];
    const sh_fact_value *fv = f->index < ev->nvalues ? ev->values[f->index] : NULL;
    if (!any) sh_oo_list(o, "relevant-evidence");
    any = true;
    sh_oo_open(o, "relevant-evidence");
    char *val = fv ? sh_value_format(f, &fv->value) : NULL;
    char *desc = fv ? sh_printf("Fact %s = %s (%s; %s:%d)", f->id, val, sh_prov_name(fv->prov),
                                fv->origin ? fv->origin : "?", fv->line)
                    : sh_printf("Fact %s: no value", f->id);
    sh_oo_markup(o, "description", desc);
    sh_oo_list(o, "props");
    sh_oo_prop(o, "fact", f->id, SH_OSCAL_NS);
    if (fv) sh_oo_prop(o, "provenance", sh_prov_name(fv->prov), SH_OSCAL_NS);
    sh_oo_list_end(o);
    free(desc);
    free(val);
    sh_oo_close(o);
    for (size_t m = 0; fv && m < fv->documents.n; m++) {
      const sh_document *dc = fv->documents.v[m];
      size_t di = doc_index(ev, dc);
      sh_oo_open(o, "relevant-evidence");
      char *href = di != (size_t)-1 ? sh_printf("#%s", docs[di].uuid) : NULL;
      sh_oo_flag(o, "href", href);
      char *dd = sh_printf("Document %s (%s) attesting %s: %s", dc->title ? dc->title : dc->path, dc->path, f->id,
                           sh_doc_status_name(dc->status));
      sh_oo_markup(o, "description", dd);
      sh_oo_list(o, "props");
      sh_oo_prop(o, "sha256", dc->sha256_actual[0] ? dc->sha256_actual : dc->sha256_declared, SH_OSCAL_NS);
      if (dc->sha256_actual[0] && strcmp(dc->sha256_actual, dc->sha256_declared) != 0)
        sh_oo_prop(o, "sha256-declared", dc->sha256_declared, SH_OSCAL_NS);
      sh_oo_prop(o, "document-status", sh_doc_status_name(dc->status), SH_OSCAL_NS);
      sh_oo_list_end(o);
      free(dd);
      free(href);
      sh_oo_close(o);
    }
  }
  if (r->answer)
    for (size_t m = 0; m < r->answer->refs.n; m++) {
      const sh_answer_ref *ar = r->answer->refs.v[m];
      const sh_document *dc = ar->document;
      size_t di = doc_index(ev, dc);
      if (!any) sh_oo_list(o, "relevant-evidence");
      any = true;
      sh_oo_open(o, "relevant-evidence");
      char *href = di != (size_t)-1 ? sh_printf("#%s", docs[di].uuid) : NULL;
      sh_oo_flag(o, "href", href);
      char *dd = sh_printf("Document %s (%s%s%s) cited by the applicant's answer", dc->title ? dc->title : dc->path,
                           dc->path, ar->at ? ", " : "", ar->at ? ar->at : "");
      sh_oo_markup(o, "description", dd);
      sh_oo_list(o, "props");
      sh_oo_prop(o, "sha256", dc->sha256_actual[0] ? dc->sha256_actual : dc->sha256_declared, SH_OSCAL_NS);
      sh_oo_list_end(o);
      free(dd);
      free(href);
      sh_oo_close(o);
    }
  if (any) sh_oo_list_end(o);
}

static char *reasons_text(const sh_result *r) {
  sh_buf b = {0};
  for (size_t k = 0; k < r->reasons.n; k++) {
    const sh_reason *re = r->reasons.v[k];
    if (b.len) sh_buf_puts(&b, "\n\n");
    sh_buf_puts(&b, re->message);
  }
  for (size_t k = 0; k < r->witnesses.n; k++) {
    if (b.len) sh_buf_puts(&b, "\n\n");
    sh_buf_printf(&b, "Covered by certification through %s", (const char *)r->witnesses.v[k]);
  }
  return b.len ? sh_buf_steal(&b) : NULL;
}

static int render(const sh_report_ctx *ctx, sh_buf *out, bool xml) {
  const sh_evaluation *e = ctx->eval;
  const sh_evidence *ev = e->evidence;
  const sh_review_state *rs = ctx->reviews;
  char now[32], uuid[37], ev_uuid[37];
  sh_oscal_now(now);
  sh_uuid4(ev_uuid);
  uuid_t_ *docs = sh_calloc(ev->documents.n + 1, sizeof *docs);
  for (size_t i = 0; i < ev->documents.n; i++) sh_uuid4(docs[i].uuid);
  uuid_t_ *fws = sh_calloc(e->frameworks.n + 1, sizeof *fws);
  for (size_t i = 0; i < e->frameworks.n; i++) sh_uuid4(fws[i].uuid);
  /* Reviewers: one party each (by name), in order of first decision. */
  sh_vec reviewers = {0};
  sh_strmap party = {0};
  size_t nrev = rs ? rs->all_reviews.n : 0;
  for (size_t i = 0; i < nrev; i++) {
    const sh_review *rv = rs->all_reviews.v[i];
    if (!rv->reviewer || sh_strmap_get(&party, rv->reviewer)) continue;
    char *u = sh_calloc(1, 37);
    sh_uuid4(u);
    sh_strmap_put(&party, rv->reviewer, u);
    sh_vec_push(&reviewers, (void *)rv);
  }

  sh_oscal_out o;
  sh_oo_begin(&o, out, xml, "assessment-results");
  sh_uuid4(uuid);
  sh_oo_flag(&o, "uuid", uuid);
  sh_oo_open(&o, "metadata");
  const char *applicant = sh_report_applicant(ctx);
  char *title = ctx->run_id > 0 ? sh_printf("shinsa assessment results: %s (run %lld)", applicant, (long long)ctx->run_id)
                                : sh_printf("shinsa assessment results: %s", applicant);
  sh_oo_field(&o, "title", title);
  free(title);
  sh_oo_field(&o, "last-modified", now);
  char *version = ctx->run_id > 0 ? sh_printf("run-%lld", (long long)ctx->run_id) : sh_strdup("unrecorded-run");
  sh_oo_field(&o, "version", version);
  sh_oo_field(&o, "oscal-version", "1.1.2");
  sh_oo_list(&o, "props");
  char *tool = sh_printf("shinsa %s", ctx->tool_version ? ctx->tool_version : "?");
  sh_oo_prop(&o, "generator", tool, SH_OSCAL_NS);
  free(tool);
  sh_oo_list_end(&o);
  if (reviewers.n) {
    sh_oo_list(&o, "roles");
    sh_oo_open(&o, "role");
    sh_oo_flag(&o, "id", "reviewer");
    sh_oo_field(&o, "title", "Reviewer (shinsa review workflow)");
    sh_oo_close(&o);
    sh_oo_list_end(&o);
    sh_oo_list(&o, "parties");
    for (size_t i = 0; i < reviewers.n; i++) {
      const sh_review *rv = reviewers.v[i];
      sh_oo_open(&o, "party");
      sh_oo_flag(&o, "uuid", sh_strmap_get(&party, rv->reviewer));
      sh_oo_flag(&o, "type", "person");
      sh_oo_field(&o, "name", rv->reviewer);
      sh_oo_list(&o, "props");
      sh_oo_prop(&o, "reviewer-role", rv->role, SH_OSCAL_NS);
      sh_oo_list_end(&o);
      sh_oo_close(&o);
    }
    sh_oo_list_end(&o);
    sh_oo_list(&o, "responsible-parties");
    sh_oo_open(&o, "responsible-party");
    sh_oo_flag(&o, "role-id", "reviewer");
    sh_oo_list(&o, "party-uuids");
    for (size_t i = 0; i < reviewers.n; i++)
      sh_oo_field(&o, "party-uuid", sh_strmap_get(&party, ((const sh_review *)reviewers.v[i])->reviewer));
    sh_oo_list_end(&o);
    sh_oo_close(&o);
    sh_oo_list_end(&o);
  }
  sh_oo_close(&o); /* metadata */

  /* shinsa has no assessment plan: import-ap points at the back-matter resource of the evidence package. */
  sh_oo_open(&o, "import-ap");
  char *aphref = sh_printf("#%s", ev_uuid);
  sh_oo_flag(&o, "href", aphref);
  free(aphref);
  sh_oo_close(&o);

  sh_oo_list(&o, "results");
  sh_oo_open(&o, "result");
  sh_uuid4(uuid);
  sh_oo_flag(&o, "uuid", uuid);
  sh_oo_field(&o, "title", version);
  sh_buf desc = {0};
  sh_buf_printf(&desc, "shinsa evaluated the evidence package of %s (%s sha256 %s) against", applicant, SH_EVIDENCE_NAME,
                ev->sha256);
  for (size_t i = 0; i < e->frameworks.n; i++) {
    const sh_framework *fw = e->frameworks.v[i];
    sh_buf_printf(&desc, "%s %s %s", i ? "," : "", fw->id, fw->version);
  }
  sh_buf_printf(&desc, ": %zu items.", e->results.n);
  for (int v = 0; v < SH_V__COUNT; v++)
    if (e->counts[v]) sh_buf_printf(&desc, " %s %zu;", sh_verdict_name((sh_verdict)v), e->counts[v]);
  sh_buf_printf(&desc, " must items not met: %zu.", e->must_failing);
  sh_oo_markup(&o, "description", sh_buf_str(&desc));
  sh_buf_free(&desc);
  sh_oo_field(&o, "start", now); /* schema order: start and end before props */
  sh_oo_field(&o, "end", now);
  sh_oo_list(&o, "props");
  char ad[11];
  sh_date_format(ev->assessment_date, ad);
  sh_oo_prop(&o, "assessment-date", ad, SH_OSCAL_NS);
  if (ctx->run_id > 0) {
    char rid[32];
    snprintf(rid, sizeof rid, "%lld", (long long)ctx->run_id);
    sh_oo_prop(&o, "run", rid, SH_OSCAL_NS);
  }
  sh_oo_list_end(&o);
  sh_oo_open(&o, "reviewed-controls");
  sh_oo_list(&o, "control-selections");
  sh_oo_open(&o, "control-selection");
  if (e->results.n == 0) {
    sh_oo_open(&o, "include-all");
    sh_oo_close(&o);
  } else {
    sh_oo_list(&o, "include-controls");
    sh_strmap seen = {0};
    for (size_t i = 0; i < e->results.n; i++) {
      const sh_result *r = e->results.v[i];
      char *tok = sh_oscal_token(r->item->id);
      if (!sh_strmap_get(&seen, tok)) {
        sh_strmap_put(&seen, tok, (void *)1);
        sh_oo_open(&o, "include-control");
        sh_oo_flag(&o, "control-id", tok);
        sh_oo_close(&o);
      }
      free(tok);
    }
    sh_strmap_free(&seen);
    sh_oo_list_end(&o);
  }
  sh_oo_close(&o);
  sh_oo_list_end(&o);
  sh_oo_close(&o); /* reviewed-controls */

  if (nrev) {
    sh_oo_list(&o, "attestations");
    for (size_t i = 0; i < nrev; i++) {
      const sh_review *rv = rs->all_reviews.v[i];
      if (!rv->reviewer) continue;
      sh_oo_open(&o, "attestation");
      sh_oo_list(&o, "responsible-parties");
      sh_oo_open(&o, "responsible-party");
      sh_oo_flag(&o, "role-id", "reviewer");
      sh_oo_list(&o, "party-uuids");
      sh_oo_field(&o, "party-uuid", sh_strmap_get(&party, rv->reviewer));
      sh_oo_list_end(&o);
      sh_oo_close(&o);
      sh_oo_list_end(&o);
      sh_oo_list(&o, "parts");
      sh_oo_open(&o, "part");
      sh_oo_flag(&o, "name", "decision");
      char *t = sh_printf("%s:%s %s", rv->framework_id, rv->item_id, sh_decision_name(rv->decision));
      sh_oo_field(&o, "title", t);
      free(t);
      sh_oo_list(&o, "props");
      sh_oo_prop(&o, "framework", rv->framework_id, SH_OSCAL_NS);
      sh_oo_prop(&o, "item", rv->item_id, SH_OSCAL_NS);
      sh_oo_prop(&o, "decision", sh_decision_name(rv->decision), SH_OSCAL_NS);
      sh_oo_prop(&o, "reviewer-role", rv->role, SH_OSCAL_NS);
      sh_oo_prop(&o, "recorded-at", rv->recorded_at, SH_OSCAL_NS);
      sh_oo_list_end(&o);
      char *prose = sh_printf("%s %s %s:%s%s%s", rv->reviewer, sh_decision_name(rv->decision), rv->framework_id,
                              rv->item_id, rv->note && *rv->note ? ": " : ".", rv->note && *rv->note ? rv->note : "");
      if (xml) {
        /* prose of a part: paragraphs directly inside it */
        sh_oo_field(&o, "p", prose);
      } else {
        sh_oo_field(&o, "prose", prose);
      }
      free(prose);
      sh_oo_close(&o);
      sh_oo_list_end(&o);
      sh_oo_close(&o);
    }
    sh_oo_list_end(&o);
  }

  /* Observations, then findings (schema order). */
  uuid_t_ *obs = sh_calloc(e->results.n + 1, sizeof *obs);
  if (e->results.n) sh_oo_list(&o, "observations");
  for (size_t i = 0; i < e->results.n; i++) {
    const sh_result *r = e->results.v[i];
    const sh_item *it = r->item;
    sh_uuid4(obs[i].uuid);
    sh_oo_open(&o, "observation");
    sh_oo_flag(&o, "uuid", obs[i].uuid);
    char *t = sh_printf("%s:%s", it->fw->id, it->id);
    sh_oo_field(&o, "title", t);
    free(t);
    sh_oo_markup(&o, "description", it->text.ja ? it->text.ja : it->id);
    sh_oo_list(&o, "props");
    sh_oo_prop(&o, "framework", it->fw->id, SH_OSCAL_NS);
    sh_oo_prop(&o, "item", it->id, SH_OSCAL_NS);
    sh_oo_prop(&o, "verdict", sh_verdict_name(r->verdict), SH_OSCAL_NS);
    sh_oo_prop(&o, "strength", sh_strength_name(it->strength), SH_OSCAL_NS);
    sh_oo_list_end(&o);
    bool probed = false;
    for (size_t k = 0; k < r->facts_used.n; k++) {
      const sh_fact *f = r->facts_used.v[k];
      const sh_fact_value *fv = f->index < ev->nvalues ? ev->values[f->index] : NULL;
      if (fv && fv->prov == SH_PROV_PROBED) probed = true;
    }
    sh_oo_list(&o, "methods");
    sh_oo_field(&o, "method", probed ? "TEST" : "EXAMINE");
    sh_oo_list_end(&o);
    sh_oo_list(&o, "types");
    sh_oo_field(&o, "type", "control-objective");
    sh_oo_list_end(&o);
    evidence_of(&o, ev, r, docs);
    sh_oo_field(&o, "collected", now);
    char *rem = reasons_text(r);
    sh_oo_markup(&o, "remarks", rem);
    free(rem);
    sh_oo_close(&o);
  }
  if (e->results.n) sh_oo_list_end(&o);
  if (e->results.n) sh_oo_list(&o, "findings");
  for (size_t i = 0; i < e->results.n; i++) {
    const sh_result *r = e->results.v[i];
    const sh_item *it = r->item;
    sh_oo_open(&o, "finding");
    sh_uuid4(uuid);
    sh_oo_flag(&o, "uuid", uuid);
    char *t = sh_printf("%s:%s %s", it->fw->id, it->id, sh_verdict_name(r->verdict));
    sh_oo_field(&o, "title", t);
    free(t);
    char *dsc = sh_printf("Item %s of %s: %s (%s).", it->id, it->fw->id, sh_verdict_name(r->verdict),
                          sh_strength_name(it->strength));
    sh_oo_markup(&o, "description", dsc);
    free(dsc);
    sh_oo_list(&o, "props");
    sh_oo_prop(&o, "verdict", sh_verdict_name(r->verdict), SH_OSCAL_NS);
    sh_oo_list_end(&o);
    sh_oo_open(&o, "target");
    sh_oo_flag(&o, "type", "objective-id");
    char *tok = sh_oscal_token(it->id);
    sh_oo_flag(&o, "target-id", tok);
    free(tok);
    sh_oo_open(&o, "status");
    sh_oo_flag(&o, "state", state_of(r->verdict));
    sh_oo_close(&o);
    if (r->verdict == SH_V_NOT_APPLICABLE) {
      sh_oo_open(&o, "implementation-status");
      sh_oo_flag(&o, "state", "not-applicable");
      sh_oo_close(&o);
    }
    sh_oo_close(&o); /* target */
    sh_oo_list(&o, "related-observations");
    sh_oo_open(&o, "related-observation");
    sh_oo_flag(&o, "observation-uuid", obs[i].uuid);
    sh_oo_close(&o);
    sh_oo_list_end(&o);
    sh_oo_close(&o);
  }
  if (e->results.n) sh_oo_list_end(&o);
  sh_oo_close(&o); /* result */
  sh_oo_list_end(&o);

  sh_oo_open(&o, "back-matter");
  sh_oo_list(&o, "resources");
  char *evd = sh_printf("The evidence package (shinsa has no OSCAL assessment plan: this resource stands in for it)%s%s",
                        ctx->run_id > 0 ? "; recorded as run " : "", ctx->run_id > 0 ? version : "");
  resource(&o, ev_uuid, "evidence.yaml", evd, ev->file, ev->sha256);
  free(evd);
  for (size_t i = 0; i < e->frameworks.n; i++) {
    const sh_framework *fw = e->frameworks.v[i];
    char *ft = sh_printf("Framework %s %s", fw->id, fw->version);
    resource(&o, fws[i].uuid, ft, NULL, fw->file, fw->sha256);
    free(ft);
  }
  for (size_t i = 0; i < ev->documents.n; i++) {
    const sh_document *dc = ev->documents.v[i];
    resource(&o, docs[i].uuid, dc->title ? dc->title : dc->path, NULL, dc->path,
             dc->sha256_actual[0] ? dc->sha256_actual : dc->sha256_declared);
  }
  sh_oo_list_end(&o);
  sh_oo_close(&o);
  sh_oo_end(&o);

  free(version);
  free(obs);
  free(docs);
  free(fws);
  for (size_t i = 0; i < party.cap; i++)
    if (party.keys && party.keys[i]) free(party.vals[i]);
  sh_strmap_free(&party);
  sh_vec_free(&reviewers);
  return 0;
}

int sh_render_oscal_ar_xml(const sh_report_ctx *ctx, sh_buf *out, sh_diags *d) {
  (void)d;
  return render(ctx, out, true);
}

int sh_render_oscal_ar_json(const sh_report_ctx *ctx, sh_buf *out, sh_diags *d) {
  (void)d;
  return render(ctx, out, false);
}
