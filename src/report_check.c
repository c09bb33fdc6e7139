/* report_check: the auditor view (the evaluation report of `shinsa check`) in text, JSON and Markdown.
 * The JSON shape is documented in docs/report-json.md and kept stable (schema "shinsa-check/1"). */
#include "report_views.h"
#include "report_cells.h"

#include "answers.h"
#include "review.h"
#include "json.h"

#include <stdlib.h>
#include <string.h>

static const sh_verdict verdict_order[] = {SH_V_SATISFIED, SH_V_COVERED, SH_V_NOT_SATISFIED,
                                           SH_V_NEEDS_REVIEW, SH_V_UNKNOWN, SH_V_NOT_APPLICABLE};

static void fmt_date(sh_date d, char buf[11]) { sh_date_format(d, buf); }

static const char *applicant_name(const sh_report_ctx *ctx) { return sh_report_applicant(ctx); }

/* ---------- text ---------- */

/* Multi-line cell text as indented lines. */
static void text_lines(sh_buf *b, const char *indent, const char *text) {
  const char *p = text;
  while (p && *p) {
    const char *q = strchr(p, '\n');
    size_t n = q ? (size_t)(q - p) : strlen(p);
    sh_buf_puts(b, indent);
    sh_buf_put(b, p, n);
    sh_buf_putc(b, '\n');
    if (!q) break;
    p = q + 1;
  }
}

static void text_result(const sh_report_ctx *ctx, sh_buf *b, const sh_result *r, const char *lang) {
  const sh_item *it = r->item;
  sh_buf_printf(b, "  [%s %s] (%s) %s\n", it->fw->id, it->id, sh_strength_label(it->strength, lang),
                sh_text_pick(&it->text, lang));
  const sh_answer *a = r->answer;
  if (a) {
    sh_buf_printf(b, "      %s: %s", SH_T(ctx, "answer"), sh_answer_status_label(a->status, lang));
    if (a->status == SH_ANS_PLANNED) {
      char pd[11];
      sh_date_format(a->planned_by, pd);
      sh_buf_printf(b, " (%s %s)", SH_T(ctx, "planned by"), pd);
    }
    if (a->reason) sh_buf_printf(b, " (%s: %s)", SH_T(ctx, "reason"), a->reason);
    if (a->text.ja || a->text.en) sh_buf_printf(b, " — %s", sh_text_pick(&a->text, lang));
    sh_buf_putc(b, '\n');
    for (size_t k = 0; k < a->refs.n; k++) {
      const sh_answer_ref *ref = a->refs.v[k];
      sh_buf_printf(b, "      %s: %s%s%s sha256:%s\n", SH_T(ctx, "ref"), ref->document->path, ref->at ? " " : "", ref->at ? ref->at : "",
                    ref->document->sha256_actual[0] ? ref->document->sha256_actual : ref->document->sha256_declared);
    }
  } else if (it->manual) {
    sh_buf_printf(b, "      %s\n", SH_T(ctx, "answer: not answered"));
  }
  for (size_t k = 0; k < r->reasons.n; k++) {
    char *re = sh_view_reason(ctx, r->reasons.v[k]);
    sh_buf_printf(b, "      - %s\n", re);
    free(re);
  }
  if (r->missing.n) {
    sh_buf_printf(b, "      %s:", SH_T(ctx, "missing facts"));
    for (size_t k = 0; k < r->missing.n; k++) { /* by label, with the id the evidence declares it under */
      const sh_fact *f = r->missing.v[k];
      const char *l = sh_view_fact_label(ctx, f);
      sh_buf_printf(b, "%s%s", k ? SH_T(ctx, ", ") : " ", l);
      if (strcmp(l, f->id) != 0) sh_buf_printf(b, " (%s)", f->id);
    }
    sh_buf_putc(b, '\n');
  }
  for (size_t k = 0; k < r->witnesses.n; k++) sh_buf_printf(b, "      %s: %s\n", SH_T(ctx, "witness"), (const char *)r->witnesses.v[k]);
  char *rv = sh_view_reviewers(ctx, r); /* decisions, quorum, waiver of a recorded run */
  text_lines(b, "      ", rv);
  free(rv);
}

int sh_auditor_text(const sh_report_ctx *ctx, sh_buf *b, sh_diags *d) {
  const sh_evaluation *e = ctx->eval;
  const sh_evidence *ev = e->evidence;
  char ad[11];
  fmt_date(ev->assessment_date, ad);
  sh_buf_printf(b, SH_T(ctx, "applicant: %s (%s), assessment date %s\n"), applicant_name(ctx),
                sh_report_applicant_kind(ctx), ad);
  for (size_t i = 0; i < e->frameworks.n; i++) {
    const sh_framework *fw = e->frameworks.v[i];
    sh_buf_printf(b, SH_T(ctx, "framework: %s %s (%zu items)\n"), fw->id, fw->version, fw->items.n);
  }
  sh_buf_printf(b, "%s:", SH_T(ctx, "summary"));
  for (size_t i = 0; i < sizeof verdict_order / sizeof verdict_order[0]; i++)
    sh_buf_printf(b, "%s%s %zu", i ? SH_T(ctx, ", ") : " ", sh_verdict_label(verdict_order[i], ctx->lang), e->counts[verdict_order[i]]);
  sh_buf_putc(b, '\n');
  sh_buf_printf(b, "%s: %zu\n", SH_T(ctx, "must items not met"), e->must_failing);
  if (e->findings.n) {
    sh_buf_printf(b, "%s:\n", SH_T(ctx, "findings"));
    for (size_t i = 0; i < e->findings.n; i++) {
      char *s = sh_view_reason(ctx, e->findings.v[i]);
      sh_buf_printf(b, "  - %s\n", s);
      free(s);
    }
  }
  /* Waivers: an item a waiver covers leaves the must-not-met count; it is listed here so that the count is
   * explained (every waiver on the run, whatever its state). */
  size_t nw = 0;
  for (size_t i = 0; i < e->results.n; i++) {
    const sh_result *r = e->results.v[i];
    const sh_item_review *ir = sh_review_for(ctx->reviews, e, r);
    if (!ir || !ir->waiver) continue;
    if (!nw++) sh_buf_printf(b, "%s:\n", SH_T(ctx, "waivers"));
    sh_buf_printf(b, "  [%s %s] %s (%s), %s %s — %s: %s\n", r->item->fw->id, r->item->id,
                  sh_view_waiver_state(ctx, ir->waiver_state), sh_verdict_label(r->verdict, ctx->lang),
                  SH_T(ctx, "until"), ir->waiver->expires, ir->waiver->approver, ir->waiver->justification);
  }
  static const sh_verdict shown[] = {SH_V_NOT_SATISFIED, SH_V_UNKNOWN, SH_V_NEEDS_REVIEW};
  for (size_t s = 0; s < 3; s++) {
    if (!e->counts[shown[s]]) continue;
    sh_buf_printf(b, "%s:\n", sh_verdict_label(shown[s], ctx->lang));
    for (size_t i = 0; i < e->results.n; i++) {
      const sh_result *r = e->results.v[i];
      if (r->verdict == shown[s]) text_result(ctx, b, r, ctx->lang);
    }
  }
  return 0;
}

/* ---------- JSON ---------- */

static void json_text(sh_json *j, const char *key, const sh_text *t) { sh_json_klang(j, key, t->ja, t->en); }

static void json_fact(sh_json *j, const sh_evidence *ev, const sh_fact *f) {
  const sh_fact_value *fv = sh_evidence_get(ev, f);
  sh_json_obj_begin(j);
  sh_json_kstr(j, "id", f->id);
  if (fv) {
    char *v = sh_value_format(f, &fv->value);
    sh_json_kstr(j, "value", v);
    free(v);
    sh_json_kstr(j, "provenance", sh_prov_name(fv->prov));
    sh_json_kstr(j, "origin", fv->origin);
    sh_json_kint(j, "line", fv->line);
    sh_json_key(j, "documents");
    sh_json_arr_begin(j);
    for (size_t k = 0; k < fv->documents.n; k++) sh_json_str(j, ((const sh_document *)fv->documents.v[k])->path);
    sh_json_arr_end(j);
  } else {
    sh_json_key(j, "value");
    sh_json_null(j);
    sh_json_kstr(j, "provenance", NULL);
  }
  sh_json_obj_end(j);
}

int sh_auditor_json(const sh_report_ctx *ctx, sh_buf *b, sh_diags *d) {
  const sh_evaluation *e = ctx->eval;
  const sh_evidence *ev = e->evidence;
  sh_json j;
  sh_json_init(&j, b);
  sh_json_obj_begin(&j);
  sh_json_kstr(&j, "schema", "shinsa-check/1");
  sh_json_kstr(&j, "shinsa_version", ctx->tool_version);
  if (ctx->run_id > 0) sh_json_kint(&j, "run_id", ctx->run_id);
  else {
    sh_json_key(&j, "run_id");
    sh_json_null(&j);
  }
  char ad[11];
  fmt_date(ev->assessment_date, ad);
  sh_json_key(&j, "applicant");
  sh_json_obj_begin(&j);
  sh_json_kstr(&j, "name", ev->applicant_name);
  sh_json_kstr(&j, "name_en", ev->applicant_name_en);
  sh_json_kstr(&j, "kind", ev->applicant_kind);
  sh_json_kstr(&j, "assessment_date", ad);
  sh_json_obj_end(&j);
  sh_json_key(&j, "frameworks");
  sh_json_arr_begin(&j);
  for (size_t i = 0; i < e->frameworks.n; i++) {
    const sh_framework *fw = e->frameworks.v[i];
    sh_json_obj_begin(&j);
    sh_json_kstr(&j, "id", fw->id);
    sh_json_kstr(&j, "version", fw->version);
    json_text(&j, "title", &fw->title);
    sh_json_kint(&j, "items", (int64_t)fw->items.n);
    sh_json_kstr(&j, "sha256", fw->sha256);
    sh_json_obj_end(&j);
  }
  sh_json_arr_end(&j);
  sh_json_key(&j, "summary");
  sh_json_obj_begin(&j);
  for (int v = 0; v < SH_V__COUNT; v++) sh_json_kint(&j, sh_verdict_name((sh_verdict)v), (int64_t)e->counts[v]);
  sh_json_kint(&j, "must_not_met", (int64_t)e->must_failing);
  sh_json_obj_end(&j);
  sh_report_json_findings(&j, ctx);
  sh_json_key(&j, "documents");
  sh_json_arr_begin(&j);
  for (size_t i = 0; i < ev->documents.n; i++) {
    const sh_document *dc = ev->documents.v[i];
    sh_json_obj_begin(&j);
    sh_json_kstr(&j, "path", dc->path);
    sh_json_kstr(&j, "title", dc->title);
    sh_json_kstr(&j, "sha256_declared", dc->sha256_declared);
    sh_json_kstr(&j, "sha256_actual", dc->sha256_actual[0] ? dc->sha256_actual : NULL);
    sh_json_kstr(&j, "status", sh_doc_status_name(dc->status));
    char vd[11];
    if (dc->has_valid_until) fmt_date(dc->valid_until, vd);
    sh_json_kstr(&j, "valid_until", dc->has_valid_until ? vd : NULL);
    sh_json_obj_end(&j);
  }
  sh_json_arr_end(&j);
  sh_json_key(&j, "items");
  sh_json_arr_begin(&j);
  for (size_t i = 0; i < e->results.n; i++) {
    const sh_result *r = e->results.v[i];
    const sh_item *it = r->item;
    sh_json_obj_begin(&j);
    sh_json_kstr(&j, "framework", it->fw->id);
    sh_json_kstr(&j, "id", it->id);
    sh_json_kstr(&j, "verdict", sh_verdict_name(r->verdict));
    sh_json_kstr(&j, "strength", sh_strength_name(it->strength));
    sh_json_kbool(&j, "manual", it->manual);
    sh_json_kstr(&j, "group", it->group);
    json_text(&j, "text", &it->text);
    sh_json_kstr(&j, "applies_if", it->applies_if_text);
    sh_json_kstr(&j, "require", it->require_text);
    sh_json_key(&j, "reasons");
    sh_json_arr_begin(&j);
    for (size_t k = 0; k < r->reasons.n; k++) {
      const sh_reason *re = r->reasons.v[k];
      sh_json_obj_begin(&j);
      sh_json_kstr(&j, "message", re->message);
      char *text = sh_view_reason(ctx, re);
      sh_json_kstr(&j, "text", text);
      free(text);
      sh_json_kstr(&j, "fact", re->fact ? re->fact->id : NULL);
      sh_json_kstr(&j, "condition", re->condition);
      sh_json_kstr(&j, "required", re->required);
      sh_json_kstr(&j, "actual", re->actual);
      char *cause = sh_view_cause(ctx, re); /* the data items or board composition behind it */
      sh_json_kstr(&j, "cause", *cause ? cause : NULL);
      free(cause);
      sh_json_obj_end(&j);
    }
    sh_json_arr_end(&j);
    sh_json_key(&j, "missing");
    sh_json_arr_begin(&j);
    for (size_t k = 0; k < r->missing.n; k++) sh_json_str(&j, ((const sh_fact *)r->missing.v[k])->id);
    sh_json_arr_end(&j);
    sh_json_key(&j, "facts");
    sh_json_arr_begin(&j);
    for (size_t k = 0; k < r->facts_used.n; k++) json_fact(&j, ev, r->facts_used.v[k]);
    sh_json_arr_end(&j);
    sh_json_key(&j, "witnesses");
    sh_json_arr_begin(&j);
    for (size_t k = 0; k < r->witnesses.n; k++) sh_json_str(&j, r->witnesses.v[k]);
    sh_json_arr_end(&j);
    sh_report_json_item_review(ctx, &j, r);
    sh_report_json_item_answer(ctx, &j, r);
    sh_json_key(&j, "source");
    sh_json_obj_begin(&j);
    sh_json_kstr(&j, "document", it->source.document);
    sh_json_kstr(&j, "lines", it->source.lines);
    if (it->source.row > 0) { /* imported from a spreadsheet: "checksheet row 17" */
      sh_json_kstr(&j, "sheet", it->source.sheet);
      sh_json_kint(&j, "row", it->source.row);
      if (it->source.hidden) sh_json_kbool(&j, "hidden", true);
    }
    sh_json_kstr(&j, "form", sh_form_name(it->source.form));
    sh_json_obj_end(&j);
    sh_json_obj_end(&j);
  }
  sh_json_arr_end(&j);
  sh_json_obj_end(&j);
  return 0;
}

/* ---------- Markdown ---------- */

static void md_esc(sh_buf *b, const char *s) { sh_md_escape(b, s); }

static void md_item(const sh_report_ctx *ctx, sh_buf *b, const sh_result *r) {
  const sh_evidence *ev = ctx->eval->evidence;
  const sh_item *it = r->item;
  sh_buf_puts(b, "### ");
  md_esc(b, it->id);
  sh_buf_puts(b, " — ");
  sh_buf_printf(b, "%s\n\n", sh_verdict_label(r->verdict, ctx->lang));
  md_esc(b, sh_text_pick(&it->text, ctx->lang));
  sh_buf_puts(b, "\n\n");
  sh_buf_printf(b, "- %s: %s\n", SH_T(ctx, "Strength"), sh_strength_label(it->strength, ctx->lang));
  if (it->applies_if_text) {
    sh_buf_printf(b, "- %s: `", SH_T(ctx, "Applies if"));
    char *s = sh_expr_to_string(it->applies_if);
    for (char *p = s; *p; p++) sh_buf_putc(b, *p == '`' ? '\'' : *p);
    free(s);
    sh_buf_puts(b, "`\n");
  }
  if (it->require) {
    sh_buf_printf(b, "- %s: `", SH_T(ctx, "Requirement"));
    char *s = sh_expr_to_string(it->require);
    for (char *p = s; *p; p++) sh_buf_putc(b, *p == '`' ? '\'' : *p);
    free(s);
    sh_buf_puts(b, "`\n");
  } else {
    sh_buf_printf(b, "- %s:", SH_T(ctx, "Evidence a reviewer examines"));
    for (size_t k = 0; k < it->evidence_needed.n; k++) {
      sh_buf_puts(b, k ? "; " : " ");
      md_esc(b, sh_text_pick(it->evidence_needed.v[k], ctx->lang));
    }
    sh_buf_putc(b, '\n');
  }
  sh_report_md_item_answer(ctx, b, r);
  for (size_t k = 0; k < r->reasons.n; k++) {
    sh_buf_printf(b, "- %s: ", SH_T(ctx, "Reason"));
    char *re = sh_view_reason(ctx, r->reasons.v[k]);
    md_esc(b, re);
    free(re);
    sh_buf_putc(b, '\n');
  }
  for (size_t k = 0; k < r->facts_used.n; k++) {
    const sh_fact *f = r->facts_used.v[k];
    const sh_fact_value *fv = sh_evidence_get(ev, f);
    sh_buf_printf(b, "- %s: ", SH_T(ctx, "Fact"));
    const char *l = sh_view_fact_label(ctx, f);
    md_esc(b, l);
    if (strcmp(l, f->id) != 0) {
      sh_buf_puts(b, " (`");
      sh_buf_puts(b, f->id); /* a fact id: letters, digits, '.', '_' */
      sh_buf_puts(b, "`)");
    }
    sh_buf_puts(b, " = ");
    sh_report_md_value(ctx, b, f, fv, SH_T(ctx, "(no value)"));
    sh_buf_putc(b, '\n');
  }
  for (size_t k = 0; k < r->witnesses.n; k++) {
    sh_buf_printf(b, "- %s: ", SH_T(ctx, "Witness"));
    md_esc(b, r->witnesses.v[k]);
    sh_buf_putc(b, '\n');
  }
  sh_report_md_item_review(ctx, b, r);
  sh_buf_printf(b, "- %s: ", SH_T(ctx, "Source"));
  md_esc(b, it->source.document);
  if (it->source.lines) {
    sh_buf_printf(b, " %s ", SH_T(ctx, "lines"));
    md_esc(b, it->source.lines);
  }
  if (it->source.row > 0) {
    if (it->source.sheet) {
      sh_buf_printf(b, " %s ", SH_T(ctx, "sheet"));
      md_esc(b, it->source.sheet);
    }
    sh_buf_printf(b, SH_T(ctx, " row %d"), it->source.row);
    if (it->source.hidden) sh_buf_puts(b, SH_T(ctx, " (hidden row)"));
  }
  sh_buf_printf(b, " (%s)\n\n", sh_form_label(it->source.form, ctx->lang));
}

int sh_auditor_md(const sh_report_ctx *ctx, sh_buf *b, sh_diags *d) {
  const sh_evaluation *e = ctx->eval;
  const sh_evidence *ev = e->evidence;
  sh_report_md_header(ctx, b);
  sh_buf_printf(b, "\n## %s\n\n", SH_T(ctx, "Summary"));
  for (size_t i = 0; i < sizeof verdict_order / sizeof verdict_order[0]; i++)
    sh_buf_printf(b, "- %s: %zu\n", sh_verdict_label(verdict_order[i], ctx->lang), e->counts[verdict_order[i]]);
  sh_buf_printf(b, "- %s: %zu\n\n", SH_T(ctx, "Must items not met"), e->must_failing);
  if (e->findings.n) {
    sh_buf_printf(b, "## %s\n\n", SH_T(ctx, "Findings"));
    for (size_t i = 0; i < e->findings.n; i++) {
      sh_buf_puts(b, "- ");
      char *s = sh_view_reason(ctx, e->findings.v[i]);
      md_esc(b, s);
      free(s);
      sh_buf_putc(b, '\n');
    }
    sh_buf_putc(b, '\n');
  }
  if (ev->documents.n) {
    sh_buf_printf(b, "## %s\n\n", SH_T(ctx, "Documents"));
    for (size_t i = 0; i < ev->documents.n; i++) {
      const sh_document *dc = ev->documents.v[i];
      sh_buf_puts(b, "- ");
      md_esc(b, dc->title);
      sh_buf_puts(b, " — `");
      sh_buf_puts(b, dc->sha256_actual[0] ? dc->sha256_actual : dc->sha256_declared);
      sh_buf_puts(b, "` ");
      md_esc(b, dc->path);
      sh_buf_printf(b, " (%s)\n", sh_doc_status_label(dc->status, ctx->lang));
    }
    sh_buf_putc(b, '\n');
  }
  for (size_t f = 0; f < e->frameworks.n; f++) {
    const sh_framework *fw = e->frameworks.v[f];
    sh_buf_puts(b, "## ");
    md_esc(b, sh_text_pick(&fw->title, ctx->lang));
    sh_buf_puts(b, "\n\n");
    for (size_t i = 0; i < e->results.n; i++) {
      const sh_result *r = e->results.v[i];
      if (r->item->fw == fw) md_item(ctx, b, r);
    }
  }
  sh_report_md_footer(ctx, b);
  return 0;
}
