/* report_views: the applicant, auditor and ethics views, the view table and the (view, format)
 * dispatch, and the review workflow's additions to the auditor report. See report_views.h. */
#include "report_views.h"

#include "clock.h"

#include "answers.h"
#include "json.h"
#include "review.h"

#include <stdlib.h>
#include <string.h>

/* ---------- shared texts ---------- */

const char *sh_view_applicant(const sh_report_ctx *ctx) { return sh_report_applicant(ctx); }

bool sh_view_is_gap(const sh_result *r) {
  return r->verdict == SH_V_NOT_SATISFIED || r->verdict == SH_V_UNKNOWN || r->verdict == SH_V_NEEDS_REVIEW;
}

static const char *fact_label(const sh_report_ctx *ctx, const sh_fact *f) {
  const char *l = sh_lang_en(ctx->lang) ? f->label_en : f->label_ja;
  return l ? l : f->label_ja ? f->label_ja : f->id;
}

char *sh_view_status(const sh_report_ctx *ctx, const sh_result *r) {
  const sh_answer *a = r->answer;
  if (!a)
    return sh_strdup(r->item->manual && r->verdict != SH_V_NOT_APPLICABLE && r->verdict != SH_V_COVERED
                       ? SH_L(ctx, "未回答", "not answered") : "");
  if (a->status == SH_ANS_PLANNED) {
    char pd[11];
    sh_date_format(a->planned_by, pd);
    return sh_printf("%s (%s)", sh_answer_status_label(a->status, ctx->lang), pd);
  }
  if (a->status == SH_ANS_NOT_APPLICABLE)
    return sh_printf("%s: %s", sh_answer_status_label(a->status, ctx->lang), a->reason);
  return sh_strdup(sh_answer_status_label(a->status, ctx->lang));
}

char *sh_view_answer(const sh_report_ctx *ctx, const sh_result *r) {
  const sh_answer *a = r->answer;
  if (!a || (!a->text.ja && !a->text.en)) return sh_strdup("");
  return sh_strdup(sh_text_pick(&a->text, ctx->lang));
}

char *sh_view_refs(const sh_report_ctx *ctx, const sh_result *r) {
  sh_buf b = {0};
  for (size_t k = 0; r->answer && k < r->answer->refs.n; k++) {
    const sh_answer_ref *ref = r->answer->refs.v[k];
    const sh_document *dc = ref->document;
    sh_buf_printf(&b, "%s%s%s%s sha256:%s (%s)", b.len ? "\n" : "", dc->path, ref->at ? " " : "", ref->at ? ref->at : "",
                  dc->sha256_actual[0] ? dc->sha256_actual : dc->sha256_declared, sh_doc_status_name(dc->status));
  }
  return sh_buf_steal(&b);
}

char *sh_view_facts(const sh_report_ctx *ctx, const sh_result *r) {
  const sh_evidence *ev = ctx->eval->evidence;
  sh_buf b = {0};
  for (size_t k = 0; k < r->facts_used.n; k++) {
    const sh_fact *f = r->facts_used.v[k];
    const sh_fact_value *fv = sh_evidence_get(ev, f);
    if (b.len) sh_buf_putc(&b, '\n');
    if (fv) {
      char *v = sh_value_format(f, &fv->value);
      sh_buf_printf(&b, "%s = %s (%s)", f->id, v, sh_prov_name(fv->prov));
      free(v);
    } else {
      sh_buf_printf(&b, "%s = %s", f->id, SH_L(ctx, "（値なし）", "(no value)"));
    }
  }
  return sh_buf_steal(&b);
}

char *sh_view_evidence(const sh_report_ctx *ctx, const sh_result *r) {
  const sh_evidence *ev = ctx->eval->evidence;
  sh_buf b = {0};
  char *refs = sh_view_refs(ctx, r);
  sh_buf_puts(&b, refs);
  free(refs);
  for (size_t k = 0; k < r->facts_used.n; k++) {
    const sh_fact_value *fv = sh_evidence_get(ev, r->facts_used.v[k]);
    for (size_t m = 0; fv && m < fv->documents.n; m++) {
      const sh_document *dc = fv->documents.v[m];
      if (strstr(sh_buf_str(&b), dc->path)) continue;
      if (b.len) sh_buf_putc(&b, '\n');
      sh_buf_printf(&b, "%s sha256:%s (%s)", dc->path, dc->sha256_actual[0] ? dc->sha256_actual : dc->sha256_declared,
                    sh_doc_status_name(dc->status));
    }
  }
  for (size_t k = 0; k < r->item->evidence_needed.n; k++) {
    if (b.len) sh_buf_putc(&b, '\n');
    sh_buf_printf(&b, "%s: %s", SH_L(ctx, "要確認", "to examine"),
                  sh_text_pick(r->item->evidence_needed.v[k], ctx->lang));
  }
  return sh_buf_steal(&b);
}

static const char *waiver_state_label(const sh_report_ctx *ctx, sh_waiver_state s) {
  switch (s) {
  case SH_WAIVER_ACTIVE: return SH_L(ctx, "適用中", "active");
  case SH_WAIVER_EXPIRED: return SH_L(ctx, "期限切れ（適用されない）", "expired (no longer applies)");
  case SH_WAIVER_REVOKED: return SH_L(ctx, "取消済み（適用されない）", "revoked (no longer applies)");
  case SH_WAIVER_NONE: break;
  }
  return SH_L(ctx, "無効（署名が検証できない、または証跡が変わった）", "not counted (signature or evidence does not hold)");
}

char *sh_view_reviewers(const sh_report_ctx *ctx, const sh_result *r) {
  const sh_item_review *ir = sh_review_for(ctx->reviews, ctx->eval, r);
  sh_buf b = {0};
  if (!ir) return sh_buf_steal(&b);
  for (size_t k = 0; k < ir->reviews.n; k++) {
    const sh_review *rv = ir->reviews.v[k];
    char *when = sh_review_when(ctx->reviews, rv);
    sh_buf_printf(&b, "%s%s (%s): %s %s", b.len ? "\n" : "", rv->reviewer, rv->role, sh_decision_name(rv->decision),
                  when);
    free(when);
    if (rv->note && *rv->note) sh_buf_printf(&b, " — %s", rv->note);
  }
  if (ir->recorded == SH_V_NEEDS_REVIEW || ir->reviews.n)
    sh_buf_printf(&b, "%s%s: %s", b.len ? "\n" : "", SH_L(ctx, "定足数", "quorum"), ir->quorum_status);
  if (ir->waiver)
    sh_buf_printf(&b, "%s%s: %s, %s %s, %s — %s [%s]", b.len ? "\n" : "", SH_L(ctx, "免除", "waiver"), ir->waiver->approver,
                  SH_L(ctx, "期限", "until"), ir->waiver->expires, waiver_state_label(ctx, ir->waiver_state),
                  ir->waiver->justification, ir->waiver->scope);
  return sh_buf_steal(&b);
}

char *sh_view_reasons(const sh_report_ctx *ctx, const sh_result *r) {
  sh_buf b = {0};
  for (size_t k = 0; k < r->reasons.n; k++)
    sh_buf_printf(&b, "%s%s", b.len ? "\n" : "", ((const sh_reason *)r->reasons.v[k])->message);
  return sh_buf_steal(&b);
}

char *sh_view_section(const sh_report_ctx *ctx, const sh_item *it) {
  sh_buf b = {0};
  if (it->section.n) {
    const char *id = it->section.v[it->section.n - 1];
    const sh_section *sec = sh_framework_section(it->fw, id);
    sh_buf_puts(&b, id);
    if (sec) sh_buf_printf(&b, " %s", sh_text_pick(&sec->title, ctx->lang));
  }
  return sh_buf_steal(&b);
}

static void fact_hint(const sh_report_ctx *ctx, sh_buf *b, const sh_fact *f) {
  if ((f->type == SH_T_ENUM || f->type == SH_T_SET) && f->nvalues) {
    sh_buf_printf(b, " [%s:", sh_type_name(f->type));
    for (size_t k = 0; k < f->nvalues; k++) sh_buf_printf(b, "%s%s", k ? ", " : " ", f->values[k]);
    sh_buf_putc(b, ']');
  } else {
    sh_buf_printf(b, " [%s%s%s]", sh_type_name(f->type), f->unit ? ", " : "", f->unit ? f->unit : "");
  }
}

char *sh_view_actions(const sh_report_ctx *ctx, const sh_result *r) {
  const sh_evidence *ev = ctx->eval->evidence;
  const sh_item *it = r->item;
  sh_buf b = {0};
#define NL() (b.len ? sh_buf_putc(&b, '\n') : (void)0)
  for (size_t k = 0; k < r->missing.n; k++) {
    const sh_fact *f = r->missing.v[k];
    NL();
    sh_buf_printf(&b, SH_L(ctx, "evidence.yaml の facts: に %s（%s）を申告する", "Declare %s (%s) under facts: in evidence.yaml"),
                  f->id, fact_label(ctx, f));
    fact_hint(ctx, &b, f);
  }
  if (r->verdict == SH_V_NOT_SATISFIED)
    for (size_t k = 0; k < r->reasons.n; k++) {
      const sh_reason *re = r->reasons.v[k];
      if (!re->fact || !re->required) continue;
      NL();
      sh_buf_printf(&b, SH_L(ctx, "%s（%s）を「%s」を満たすようにする（現在: %s）", "Make %s (%s) satisfy \"%s\" (now: %s)"),
                    re->fact->id, fact_label(ctx, re->fact), re->required, re->actual ? re->actual : "-");
    }
  for (size_t k = 0; k < r->facts_used.n; k++) {
    const sh_fact_value *fv = sh_evidence_get(ev, r->facts_used.v[k]);
    if (!fv) continue;
    for (size_t m = 0; m < fv->documents.n; m++) {
      const sh_document *dc = fv->documents.v[m];
      if (dc->status == SH_DOC_OK) continue;
      NL();
      sh_buf_printf(&b, SH_L(ctx, "文書 %s を差し替える（%s）", "Replace document %s (%s)"), dc->path,
                    sh_doc_status_name(dc->status));
    }
    if (sh_prov_rank(fv->prov) < sh_prov_rank(it->min_provenance)) {
      NL();
      sh_buf_printf(&b, SH_L(ctx, "%s を裏付ける文書を documents: に追加する（attests: [%s]、必要な確度: %s）",
                             "Add a document attesting %s under documents: (attests: [%s]; required: %s)"),
                    fv->fact->id, fv->fact->id, sh_prov_name(it->min_provenance));
    }
  }
  if (it->manual || r->verdict == SH_V_NEEDS_REVIEW) {
    for (size_t k = 0; k < it->evidence_needed.n; k++) {
      NL();
      sh_buf_printf(&b, SH_L(ctx, "提出: %s", "Submit: %s"), sh_text_pick(it->evidence_needed.v[k], ctx->lang));
    }
    const sh_item_review *ir = sh_review_for(ctx->reviews, ctx->eval, r);
    NL();
    if (ir) sh_buf_printf(&b, SH_L(ctx, "審査員の承認を得る（定足数: %s）", "Obtain reviewer approval (quorum: %s)"), ir->quorum_status);
    else sh_buf_puts(&b, SH_L(ctx, "審査員の承認を得る", "Obtain reviewer approval"));
  }
  if (!b.len && it->require) {
    char *s = sh_expr_to_string(it->require);
    sh_buf_printf(&b, SH_L(ctx, "要件を満たす: %s", "Meet the requirement: %s"), s);
    free(s);
  }
#undef NL
  return sh_buf_steal(&b);
}

/* ---------- Markdown helpers ---------- */

static void md_esc(sh_buf *b, const char *s);

void sh_report_md_item_answer(const sh_report_ctx *ctx, sh_buf *b, const sh_result *r) {
  const sh_answer *a = r->answer;
  if (!a) {
    if (r->item->manual && r->verdict != SH_V_NOT_APPLICABLE && r->verdict != SH_V_COVERED)
      sh_buf_printf(b, "- %s: %s\n", SH_L(ctx, "申請者の回答", "Applicant's answer"), SH_L(ctx, "未回答", "not answered"));
    return;
  }
  char *st = sh_view_status(ctx, r), *tx = sh_view_answer(ctx, r);
  sh_buf_printf(b, "- %s: ", SH_L(ctx, "申請者の回答", "Applicant's answer"));
  md_esc(b, st);
  if (*tx) {
    sh_buf_puts(b, " — ");
    md_esc(b, tx);
  }
  sh_buf_putc(b, '\n');
  free(st);
  free(tx);
  for (size_t k = 0; k < a->refs.n; k++) {
    const sh_answer_ref *ref = a->refs.v[k];
    const sh_document *dc = ref->document;
    sh_buf_printf(b, "- %s: ", SH_L(ctx, "回答の参照先", "Answer refers to"));
    md_esc(b, dc->path);
    if (ref->at) {
      sh_buf_puts(b, " ");
      md_esc(b, ref->at);
    }
    sh_buf_printf(b, " (`%s`, %s)\n", dc->sha256_actual[0] ? dc->sha256_actual : dc->sha256_declared,
                  sh_doc_status_name(dc->status));
  }
}

void sh_report_json_item_answer(const sh_report_ctx *ctx, void *json, const sh_result *r) {
  sh_json *j = json;
  const sh_answer *a = r->answer;
  sh_json_key(j, "answer");
  if (!a) {
    sh_json_null(j);
    return;
  }
  sh_json_obj_begin(j);
  sh_json_kstr(j, "status", sh_answer_status_name(a->status));
  char pd[11];
  if (a->status == SH_ANS_PLANNED) sh_date_format(a->planned_by, pd);
  sh_json_kstr(j, "planned_by", a->status == SH_ANS_PLANNED ? pd : NULL);
  sh_json_kstr(j, "reason", a->reason);
  sh_json_klang(j, "text", a->text.ja, a->text.en);
  sh_json_key(j, "refs");
  sh_json_arr_begin(j);
  for (size_t k = 0; k < a->refs.n; k++) {
    const sh_answer_ref *ref = a->refs.v[k];
    sh_json_obj_begin(j);
    sh_json_kstr(j, "document", ref->document->path);
    sh_json_kstr(j, "at", ref->at);
    sh_json_kstr(j, "sha256", ref->document->sha256_actual[0] ? ref->document->sha256_actual : ref->document->sha256_declared);
    sh_json_kstr(j, "status", sh_doc_status_name(ref->document->status));
    sh_json_obj_end(j);
  }
  sh_json_arr_end(j);
  sh_json_kbool(j, "contradiction", r->contradiction);
  sh_json_obj_end(j);
}

static void md_esc(sh_buf *b, const char *s) { sh_md_escape(b, s); }

/* Multi-line text as one escaped bullet per line, with a prefix. */
static void md_lines(sh_buf *b, const char *prefix, const char *text) {
  const char *p = text;
  while (p && *p) {
    const char *q = strchr(p, '\n');
    char *line = q ? sh_strndup(p, (size_t)(q - p)) : sh_strdup(p);
    sh_buf_puts(b, prefix);
    md_esc(b, line);
    sh_buf_putc(b, '\n');
    free(line);
    if (!q) break;
    p = q + 1;
  }
}

static void md_code(sh_buf *b, const char *s) {
  sh_buf_puts(b, "`");
  for (const char *p = s; p && *p; p++) sh_buf_putc(b, *p == '`' ? '\'' : (*p == '\n' ? ' ' : *p));
  sh_buf_puts(b, "`");
}

static void md_header(const sh_report_ctx *ctx, sh_buf *b, const sh_report_view *v) {
  sh_report_md_header(ctx, b, v->title_ja, v->title_en);
  if (ctx->reviews)
    sh_buf_printf(b, "- %s: %s\n", SH_L(ctx, "審査・免除の判定日", "Reviews and waivers as of"), ctx->reviews->as_of);
  sh_buf_putc(b, '\n');
}

static void md_footer(const sh_report_ctx *ctx, sh_buf *b) { sh_report_md_footer(ctx, b); }

/* ---------- auditor additions (called from report_check.c) ---------- */

void sh_report_md_item_review(const sh_report_ctx *ctx, sh_buf *b, const sh_result *r) {
  const sh_item_review *ir = sh_review_for(ctx->reviews, ctx->eval, r);
  if (!ir) return;
  if (ir->recorded != r->verdict) {
    sh_buf_printf(b, "- %s: %s\n", SH_L(ctx, "記録時の判定", "Verdict as recorded"), sh_verdict_label(ir->recorded, ctx->lang));
  }
  for (size_t k = 0; k < ir->reviews.n; k++) {
    const sh_review *rv = ir->reviews.v[k];
    sh_buf_printf(b, "- %s: ", SH_L(ctx, "審査員の判断", "Reviewer decision"));
    md_esc(b, rv->reviewer);
    sh_buf_puts(b, " (");
    md_esc(b, rv->role);
    char *when = sh_review_when(ctx->reviews, rv);
    sh_buf_printf(b, ") %s ", sh_decision_name(rv->decision));
    md_esc(b, when);
    free(when);
    if (rv->note && *rv->note) {
      sh_buf_puts(b, " — ");
      md_esc(b, rv->note);
    }
    sh_buf_putc(b, '\n');
  }
  if (ir->recorded == SH_V_NEEDS_REVIEW || ir->reviews.n) {
    sh_buf_printf(b, "- %s: %s — ", SH_L(ctx, "定足数", "Quorum"), ir->quorum_met ? SH_L(ctx, "充足", "met") : SH_L(ctx, "未充足", "not met"));
    md_esc(b, ir->quorum_status);
    sh_buf_putc(b, '\n');
  }
  if (ir->waiver) {
    sh_buf_printf(b, "- %s (%s): ", SH_L(ctx, "免除", "Waiver"), waiver_state_label(ctx, ir->waiver_state));
    md_esc(b, ir->waiver->approver);
    sh_buf_printf(b, ", %s %s; ", SH_L(ctx, "期限", "until"), ir->waiver->expires);
    md_esc(b, ir->waiver->justification);
    sh_buf_printf(b, " (%s: ", SH_L(ctx, "範囲", "scope"));
    md_esc(b, ir->waiver->scope);
    sh_buf_puts(b, ")\n");
  }
}

void sh_report_json_item_review(const sh_report_ctx *ctx, void *json, const sh_result *r) {
  const sh_item_review *ir = sh_review_for(ctx->reviews, ctx->eval, r);
  if (!ir || (ir->recorded != SH_V_NEEDS_REVIEW && !ir->reviews.n && !ir->waiver)) return;
  sh_json *j = json;
  sh_json_key(j, "review");
  sh_json_obj_begin(j);
  sh_json_kstr(j, "recorded_verdict", sh_verdict_name(ir->recorded));
  sh_json_kbool(j, "quorum_met", ir->quorum_met);
  sh_json_kstr(j, "quorum", ir->quorum_status);
  sh_json_key(j, "decisions");
  sh_json_arr_begin(j);
  for (size_t k = 0; k < ir->reviews.n; k++) {
    const sh_review *rv = ir->reviews.v[k];
    sh_json_obj_begin(j);
    sh_json_kint(j, "id", rv->id);
    sh_json_kstr(j, "reviewer", rv->reviewer);
    sh_json_kstr(j, "role", rv->role);
    sh_json_kstr(j, "decision", sh_decision_name(rv->decision));
    sh_json_kstr(j, "note", rv->note);
    sh_json_kstr(j, "recorded_at", rv->recorded_at);
    sh_json_kint(j, "run", rv->run_id);
    sh_json_kbool(j, "counted", !rv->not_counted && !rv->stale);
    sh_json_kstr(j, "not_counted", rv->stale ? rv->stale : rv->not_counted);
    sh_json_obj_end(j);
  }
  sh_json_arr_end(j);
  sh_json_key(j, "waiver");
  if (ir->waiver) {
    sh_json_obj_begin(j);
    sh_json_kstr(j, "approver", ir->waiver->approver);
    sh_json_kstr(j, "justification", ir->waiver->justification);
    sh_json_kstr(j, "scope", ir->waiver->scope);
    sh_json_kstr(j, "expires", ir->waiver->expires);
    sh_json_kstr(j, "state", sh_waiver_state_name(ir->waiver_state));
    sh_json_obj_end(j);
  } else {
    sh_json_null(j);
  }
  sh_json_obj_end(j);
}

/* ---------- applicant view: the gap list ---------- */

static int applicant_md(const sh_report_ctx *ctx, sh_buf *b, sh_diags *d);
static int applicant_json(const sh_report_ctx *ctx, sh_buf *b, sh_diags *d);
static int ethics_md(const sh_report_ctx *ctx, sh_buf *b, sh_diags *d);
static int ethics_json(const sh_report_ctx *ctx, sh_buf *b, sh_diags *d);

static int applicant_md(const sh_report_ctx *ctx, sh_buf *b, sh_diags *d) {
  const sh_evaluation *e = ctx->eval;
  md_header(ctx, b, sh_report_view_find("applicant"));
  size_t by_strength[3] = {0}, total = 0;
  for (size_t i = 0; i < e->results.n; i++) {
    const sh_result *r = e->results.v[i];
    if (!sh_view_is_gap(r)) continue;
    total++;
    by_strength[r->item->strength]++;
  }
  sh_buf_printf(b, "## %s\n\n", SH_L(ctx, "集計", "Summary"));
  sh_buf_printf(b, "- %s: %zu\n", SH_L(ctx, "未充足の項目", "Items not yet satisfied"), total);
  sh_buf_printf(b, "- %s: %zu / %s: %zu / %s: %zu\n", SH_L(ctx, "必須", "must"), by_strength[SH_STRENGTH_MUST],
                SH_L(ctx, "推奨", "should"), by_strength[SH_STRENGTH_SHOULD], SH_L(ctx, "努力義務", "effort"),
                by_strength[SH_STRENGTH_EFFORT]);
  static const sh_verdict gaps[] = {SH_V_NOT_SATISFIED, SH_V_UNKNOWN, SH_V_NEEDS_REVIEW};
  for (size_t k = 0; k < 3; k++)
    sh_buf_printf(b, "- %s: %zu\n", sh_verdict_label(gaps[k], ctx->lang), e->counts[gaps[k]]);
  sh_buf_putc(b, '\n');
  if (e->findings.n) {
    sh_buf_printf(b, "## %s\n\n", SH_L(ctx, "証跡パッケージの指摘事項", "Findings on the evidence package"));
    for (size_t i = 0; i < e->findings.n; i++) {
      sh_buf_puts(b, "- ");
      md_esc(b, ((const sh_reason *)e->findings.v[i])->message);
      sh_buf_putc(b, '\n');
    }
    sh_buf_putc(b, '\n');
  }
  for (size_t f = 0; f < e->frameworks.n; f++) {
    const sh_framework *fw = e->frameworks.v[f];
    bool any = false;
    for (size_t i = 0; i < e->results.n; i++) {
      const sh_result *r = e->results.v[i];
      if (r->item->fw != fw || !sh_view_is_gap(r)) continue;
      if (!any) {
        sh_buf_puts(b, "## ");
        md_esc(b, sh_text_pick(&fw->title, ctx->lang));
        sh_buf_puts(b, "\n\n");
        any = true;
      }
      const sh_item *it = r->item;
      sh_buf_puts(b, "### ");
      md_esc(b, it->id);
      sh_buf_printf(b, " — %s (%s)\n\n", sh_verdict_label(r->verdict, ctx->lang), sh_strength_label(it->strength, ctx->lang));
      md_esc(b, sh_text_pick(&it->text, ctx->lang));
      sh_buf_puts(b, "\n\n");
      if (it->require) {
        char *s = sh_expr_to_string(it->require);
        sh_buf_printf(b, "- %s: ", SH_L(ctx, "要件", "Requirement"));
        md_code(b, s);
        sh_buf_putc(b, '\n');
        free(s);
      }
      sh_report_md_item_answer(ctx, b, r);
      char *reasons = sh_view_reasons(ctx, r), *actions = sh_view_actions(ctx, r), *answer = sh_view_facts(ctx, r);
      char *prefix = sh_printf("- %s: ", SH_L(ctx, "現状", "Now"));
      md_lines(b, prefix, answer);
      free(prefix);
      prefix = sh_printf("- %s: ", SH_L(ctx, "理由", "Reason"));
      md_lines(b, prefix, reasons);
      free(prefix);
      prefix = sh_printf("- **%s**: ", SH_L(ctx, "充足するには", "To satisfy"));
      md_lines(b, prefix, actions);
      free(prefix);
      free(reasons);
      free(actions);
      free(answer);
      const sh_item_review *ir = sh_review_for(ctx->reviews, e, r);
      if (ir && ir->waiver) {
        sh_buf_printf(b, "- %s (%s): %s %s\n", SH_L(ctx, "免除", "Waiver"), waiver_state_label(ctx, ir->waiver_state),
                      SH_L(ctx, "期限", "until"), ir->waiver->expires);
      }
      sh_buf_putc(b, '\n');
    }
  }
  if (!total) sh_buf_printf(b, "%s\n\n", SH_L(ctx, "未充足の項目はありません。", "Every applicable item is satisfied."));
  md_footer(ctx, b);
  return 0;
}

static void json_text(sh_json *j, const char *key, const sh_text *t) { sh_json_klang(j, key, t->ja, t->en); }

static void json_lines(sh_json *j, const char *key, const char *text) {
  sh_json_key(j, key);
  sh_json_arr_begin(j);
  const char *p = text;
  while (p && *p) {
    const char *q = strchr(p, '\n');
    char *line = q ? sh_strndup(p, (size_t)(q - p)) : sh_strdup(p);
    sh_json_str(j, line);
    free(line);
    if (!q) break;
    p = q + 1;
  }
  sh_json_arr_end(j);
}

static void json_head(const sh_report_ctx *ctx, sh_json *j, const char *schema) {
  const sh_evidence *ev = ctx->eval->evidence;
  char ad[11];
  sh_date_format(ev->assessment_date, ad);
  sh_json_kstr(j, "schema", schema);
  sh_json_kstr(j, "shinsa_version", ctx->tool_version);
  sh_json_kstr(j, "lang", sh_lang_en(ctx->lang) ? "en" : "ja");
  if (ctx->run_id > 0) sh_json_kint(j, "run_id", ctx->run_id);
  else {
    sh_json_key(j, "run_id");
    sh_json_null(j);
  }
  sh_json_key(j, "applicant");
  sh_json_obj_begin(j);
  sh_json_kstr(j, "name", ev->applicant_name);
  sh_json_kstr(j, "name_en", ev->applicant_name_en);
  sh_json_kstr(j, "kind", ev->applicant_kind);
  sh_json_kstr(j, "assessment_date", ad);
  sh_json_obj_end(j);
  sh_json_key(j, "frameworks");
  sh_json_arr_begin(j);
  for (size_t i = 0; i < ctx->eval->frameworks.n; i++) {
    const sh_framework *fw = ctx->eval->frameworks.v[i];
    sh_json_obj_begin(j);
    sh_json_kstr(j, "id", fw->id);
    sh_json_kstr(j, "version", fw->version);
    sh_json_kstr(j, "sha256", fw->sha256);
    sh_json_obj_end(j);
  }
  sh_json_arr_end(j);
}

static int applicant_json(const sh_report_ctx *ctx, sh_buf *b, sh_diags *d) {
  const sh_evaluation *e = ctx->eval;
  sh_json j;
  sh_json_init(&j, b);
  sh_json_obj_begin(&j);
  json_head(ctx, &j, "shinsa-applicant/1");
  sh_report_json_findings(&j, e);
  sh_json_key(&j, "gaps");
  sh_json_arr_begin(&j);
  for (size_t i = 0; i < e->results.n; i++) {
    const sh_result *r = e->results.v[i];
    if (!sh_view_is_gap(r)) continue;
    const sh_item *it = r->item;
    sh_json_obj_begin(&j);
    sh_json_kstr(&j, "framework", it->fw->id);
    sh_json_kstr(&j, "id", it->id);
    sh_json_kstr(&j, "verdict", sh_verdict_name(r->verdict));
    sh_json_kstr(&j, "strength", sh_strength_name(it->strength));
    json_text(&j, "text", &it->text);
    sh_json_kstr(&j, "require", it->require_text);
    sh_json_key(&j, "evidence_needed");
    sh_json_arr_begin(&j);
    for (size_t k = 0; k < it->evidence_needed.n; k++) sh_json_str(&j, sh_text_pick(it->evidence_needed.v[k], ctx->lang));
    sh_json_arr_end(&j);
    sh_json_key(&j, "missing");
    sh_json_arr_begin(&j);
    for (size_t k = 0; k < r->missing.n; k++) sh_json_str(&j, ((const sh_fact *)r->missing.v[k])->id);
    sh_json_arr_end(&j);
    char *s = sh_view_reasons(ctx, r);
    json_lines(&j, "reasons", s);
    free(s);
    s = sh_view_actions(ctx, r);
    json_lines(&j, "actions", s);
    free(s);
    sh_report_json_item_answer(ctx, &j, r);
    const sh_item_review *ir = sh_review_for(ctx->reviews, e, r);
    sh_json_key(&j, "waiver");
    if (ir && ir->waiver) {
      sh_json_obj_begin(&j);
      sh_json_kstr(&j, "expires", ir->waiver->expires);
      sh_json_kstr(&j, "state", sh_waiver_state_name(ir->waiver_state));
      sh_json_obj_end(&j);
    } else {
      sh_json_null(&j);
    }
    sh_json_obj_end(&j);
  }
  sh_json_arr_end(&j);
  sh_json_obj_end(&j);
  return 0;
}

/* ---------- ethics view ---------- */

/* Facts a data ethics board reads: those of ethics-group items, and the board, medical
 * professional, benefit, consent and provision facts of the vocabulary. */
static bool ethics_fact(const sh_fact *f) {
  static const char *const prefixes[] = {"ethics_board.", "medical_professional.", "health.", "consent.",
                                         "third_party_provision.", NULL};
  for (size_t k = 0; prefixes[k]; k++)
    if (sh_str_startswith(f->id, prefixes[k])) return true;
  return strstr(f->id, "benefit") || strstr(f->id, "medical");
}

static void ethics_facts(const sh_report_ctx *ctx, sh_vec *out) {
  const sh_evaluation *e = ctx->eval;
  const sh_vocab *v = e->evidence->vocab;
  for (size_t i = 0; i < e->results.n; i++) {
    const sh_result *r = e->results.v[i];
    if (!sh_streq(r->item->group, "ethics")) continue;
    for (size_t k = 0; k < r->facts_used.n; k++) {
      bool seen = false;
      for (size_t m = 0; m < out->n; m++) seen |= out->v[m] == r->facts_used.v[k];
      if (!seen) sh_vec_push(out, r->facts_used.v[k]);
    }
  }
  for (size_t i = 0; v && i < sh_vocab_count(v); i++) {
    const sh_fact *f = sh_vocab_at(v, i);
    if (!ethics_fact(f) || f->derived) continue;
    bool seen = false;
    for (size_t m = 0; m < out->n; m++) seen |= out->v[m] == f;
    /* Undeclared vocabulary facts are listed only when an ethics item uses them. */
    if (!seen && sh_evidence_get(e->evidence, f)) sh_vec_push(out, (void *)f);
  }
}

static bool pending_for_board(const sh_report_ctx *ctx, const sh_result *r) {
  if (!sh_view_is_gap(r)) return false;
  if (sh_streq(r->item->group, "ethics")) return true;
  const sh_item_review *ir = sh_review_for(ctx->reviews, ctx->eval, r);
  for (size_t k = 0; ir && k < ir->rules.n; k++) {
    const sh_quorum_rule *q = ir->rules.v[k];
    for (size_t m = 0; m < q->groups.n; m++)
      if (strcmp(q->groups.v[m], "ethics") == 0) return true;
  }
  return false;
}

static void collect_names(const sh_evidence *ev, bool purposes, sh_vec *out) {
  for (size_t i = 0; i < ev->data_items.n; i++) {
    const sh_data_item *di = ev->data_items.v[i];
    const sh_vec *v = purposes ? &di->purposes : &di->recipients;
    for (size_t k = 0; k < v->n; k++) {
      bool seen = false;
      for (size_t m = 0; m < out->n; m++) seen |= strcmp(out->v[m], v->v[k]) == 0;
      if (!seen) sh_vec_push(out, v->v[k]);
    }
  }
}

static void md_fact_line(const sh_report_ctx *ctx, sh_buf *b, const sh_fact *f) {
  const sh_fact_value *fv = sh_evidence_get(ctx->eval->evidence, f);
  sh_buf_puts(b, "- ");
  md_esc(b, fact_label(ctx, f));
  sh_buf_puts(b, " (");
  md_esc(b, f->id);
  sh_buf_puts(b, "): ");
  sh_report_md_value(b, f, fv, SH_L(ctx, "未申告", "not declared"));
  sh_buf_putc(b, '\n');
}

static int ethics_md(const sh_report_ctx *ctx, sh_buf *b, sh_diags *d) {
  const sh_evaluation *e = ctx->eval;
  const sh_evidence *ev = e->evidence;
  md_header(ctx, b, sh_report_view_find("ethics"));
  sh_buf_printf(b, "## %s\n\n", SH_L(ctx, "取り扱う情報（要配慮度レベル別）", "Data items handled, by sensitivity level"));
  if (!ev->data_items.n) sh_buf_printf(b, "%s\n\n", SH_L(ctx, "申告された情報項目はありません。", "No data items declared."));
  for (int level = 3; level >= -1; level--) {
    bool any = false;
    for (size_t i = 0; i < ev->data_items.n; i++) {
      const sh_data_item *di = ev->data_items.v[i];
      if (di->level != level) continue;
      if (!any) {
        if (level >= 0) sh_buf_printf(b, "### %s %d\n\n", SH_L(ctx, "レベル", "Level"), level);
        else sh_buf_printf(b, "### %s\n\n", SH_L(ctx, "レベル未設定", "Level not given"));
        any = true;
      }
      sh_buf_puts(b, "- ");
      md_esc(b, sh_text_pick(&di->name, ctx->lang));
      sh_buf_puts(b, " (");
      md_esc(b, di->id);
      if (di->code) {
        sh_buf_puts(b, ", ");
        md_esc(b, di->code);
      }
      sh_buf_printf(b, ") — %s:", SH_L(ctx, "利用目的", "purposes"));
      for (size_t k = 0; k < di->purposes.n; k++) {
        sh_buf_puts(b, k ? ", " : " ");
        md_esc(b, di->purposes.v[k]);
      }
      sh_buf_printf(b, "; %s:", SH_L(ctx, "提供先", "recipients"));
      for (size_t k = 0; k < di->recipients.n; k++) {
        sh_buf_puts(b, k ? ", " : " ");
        md_esc(b, di->recipients.v[k]);
      }
      sh_buf_putc(b, '\n');
    }
    if (any) sh_buf_putc(b, '\n');
  }
  for (int which = 1; which >= 0; which--) {
    sh_vec names = {0};
    collect_names(ev, which, &names);
    sh_buf_printf(b, "## %s\n\n", which ? SH_L(ctx, "利用目的", "Purposes") : SH_L(ctx, "提供先", "Recipients"));
    const sh_fact *uf = sh_vocab_find(ev->vocab, which ? "data.purposes" : "data.recipients");
    for (size_t k = 0; k < names.n; k++) {
      sh_buf_puts(b, "- ");
      md_esc(b, names.v[k]);
      int vi = uf && uf->type == SH_T_SET ? sh_fact_value_index(uf, names.v[k]) : -1;
      if (vi >= 0 && (uf->value_ja || uf->value_en)) { /* the label from the vocabulary (rules/facts.yaml) */
        sh_buf_puts(b, " (");
        md_esc(b, sh_fact_value_label(uf, (size_t)vi, sh_lang_en(ctx->lang) ? "en" : "ja"));
        sh_buf_puts(b, ")");
      }
      sh_buf_puts(b, ":");
      size_t c = 0;
      for (size_t i = 0; i < ev->data_items.n; i++) {
        const sh_data_item *di = ev->data_items.v[i];
        const sh_vec *v = which ? &di->purposes : &di->recipients;
        for (size_t m = 0; m < v->n; m++)
          if (strcmp(v->v[m], names.v[k]) == 0) {
            sh_buf_puts(b, c++ ? ", " : " ");
            md_esc(b, di->id);
          }
      }
      sh_buf_putc(b, '\n');
    }
    if (!names.n) sh_buf_printf(b, "- %s\n", SH_L(ctx, "（なし）", "(none)"));
    sh_buf_putc(b, '\n');
    sh_vec_free(&names);
  }
  sh_vec facts = {0};
  ethics_facts(ctx, &facts);
  static const char *const heads_ja[] = {"本人への便益", "医療専門職の関与", "倫理審査委員会・同意・提供"};
  static const char *const heads_en[] = {"Benefit returned to the person", "Medical professional involvement",
                                         "Ethics board, consent and provision"};
  for (int sec = 0; sec < 3; sec++) {
    sh_buf_printf(b, "## %s\n\n", SH_L(ctx, heads_ja[sec], heads_en[sec]));
    size_t n = 0;
    for (size_t k = 0; k < facts.n; k++) {
      const sh_fact *f = facts.v[k];
      int s = strstr(f->id, "benefit") ? 0 : strstr(f->id, "medical") ? 1 : 2;
      if (s != sec) continue;
      md_fact_line(ctx, b, f);
      n++;
    }
    if (!n) sh_buf_printf(b, "- %s\n", SH_L(ctx, "（該当する事実の申告なし）", "(no such fact declared)"));
    sh_buf_putc(b, '\n');
  }
  sh_vec_free(&facts);
  sh_buf_printf(b, "## %s\n\n", SH_L(ctx, "委員会の判断待ちの項目", "Decisions pending the board"));
  size_t n = 0;
  for (size_t i = 0; i < e->results.n; i++) {
    const sh_result *r = e->results.v[i];
    if (!pending_for_board(ctx, r)) continue;
    n++;
    sh_buf_puts(b, "- ");
    md_esc(b, r->item->fw->id);
    sh_buf_puts(b, ":");
    md_esc(b, r->item->id);
    sh_buf_printf(b, " — %s: ", sh_verdict_label(r->verdict, ctx->lang));
    md_esc(b, sh_text_pick(&r->item->text, ctx->lang));
    const sh_item_review *ir = sh_review_for(ctx->reviews, e, r);
    if (ir) {
      sh_buf_printf(b, " (%s: ", SH_L(ctx, "定足数", "quorum"));
      md_esc(b, ir->quorum_status);
      sh_buf_puts(b, ")");
    }
    sh_buf_putc(b, '\n');
  }
  if (!n) sh_buf_printf(b, "- %s\n", SH_L(ctx, "（なし）", "(none)"));
  sh_buf_putc(b, '\n');
  md_footer(ctx, b);
  return 0;
}

static int ethics_json(const sh_report_ctx *ctx, sh_buf *b, sh_diags *d) {
  const sh_evaluation *e = ctx->eval;
  const sh_evidence *ev = e->evidence;
  sh_json j;
  sh_json_init(&j, b);
  sh_json_obj_begin(&j);
  json_head(ctx, &j, "shinsa-ethics/1");
  sh_json_key(&j, "data_items");
  sh_json_arr_begin(&j);
  for (size_t i = 0; i < ev->data_items.n; i++) {
    const sh_data_item *di = ev->data_items.v[i];
    sh_json_obj_begin(&j);
    sh_json_kstr(&j, "id", di->id);
    json_text(&j, "name", &di->name);
    if (di->level >= 0) sh_json_kint(&j, "level", di->level);
    else {
      sh_json_key(&j, "level");
      sh_json_null(&j);
    }
    sh_json_kstr(&j, "code", di->code);
    sh_json_key(&j, "purposes");
    sh_json_arr_begin(&j);
    for (size_t k = 0; k < di->purposes.n; k++) sh_json_str(&j, di->purposes.v[k]);
    sh_json_arr_end(&j);
    sh_json_key(&j, "recipients");
    sh_json_arr_begin(&j);
    for (size_t k = 0; k < di->recipients.n; k++) sh_json_str(&j, di->recipients.v[k]);
    sh_json_arr_end(&j);
    sh_json_obj_end(&j);
  }
  sh_json_arr_end(&j);
  sh_vec facts = {0};
  ethics_facts(ctx, &facts);
  sh_json_key(&j, "facts");
  sh_json_arr_begin(&j);
  for (size_t k = 0; k < facts.n; k++) {
    const sh_fact *f = facts.v[k];
    const sh_fact_value *fv = sh_evidence_get(ev, f);
    sh_json_obj_begin(&j);
    sh_json_kstr(&j, "id", f->id);
    sh_json_kstr(&j, "topic", strstr(f->id, "benefit") ? "benefit" : strstr(f->id, "medical") ? "medical_professional" : "board");
    char *v = fv ? sh_value_format(f, &fv->value) : NULL;
    sh_json_kstr(&j, "value", v);
    free(v);
    sh_json_kstr(&j, "provenance", fv ? sh_prov_name(fv->prov) : NULL);
    sh_json_obj_end(&j);
  }
  sh_json_arr_end(&j);
  sh_vec_free(&facts);
  sh_json_key(&j, "pending");
  sh_json_arr_begin(&j);
  for (size_t i = 0; i < e->results.n; i++) {
    const sh_result *r = e->results.v[i];
    if (!pending_for_board(ctx, r)) continue;
    const sh_item_review *ir = sh_review_for(ctx->reviews, e, r);
    sh_json_obj_begin(&j);
    sh_json_kstr(&j, "framework", r->item->fw->id);
    sh_json_kstr(&j, "id", r->item->id);
    sh_json_kstr(&j, "verdict", sh_verdict_name(r->verdict));
    sh_json_kstr(&j, "quorum", ir ? ir->quorum_status : NULL);
    sh_json_obj_end(&j);
  }
  sh_json_arr_end(&j);
  sh_json_obj_end(&j);
  return 0;
}

/* ---------- the view table and dispatch ---------- */

static int auditor_md(const sh_report_ctx *ctx, sh_buf *b, sh_diags *d) { return sh_render_md(ctx, b, d); }

static const sh_report_view builtin_views[] = {
  {"applicant", "未充足項目一覧（申請者向け）", "Gap list for the applicant", applicant_md, applicant_json, sh_csv_items, NULL},
  {"auditor", "審査結果報告書", "Examination report", auditor_md, sh_render_json, sh_csv_items, sh_render_text},
  {"ethics", "データ倫理審査会向け報告", "Report for the data ethics board", ethics_md, ethics_json, sh_csv_data_items, NULL},
};
#define NBUILTIN (sizeof builtin_views / sizeof builtin_views[0])

static const sh_report_view *registered[16];
static size_t nregistered;

const sh_report_view *sh_report_view_find(const char *name) {
  if (!name) name = "auditor";
  for (size_t i = 0; i < NBUILTIN; i++)
    if (strcmp(builtin_views[i].name, name) == 0) return &builtin_views[i];
  for (size_t i = 0; i < nregistered; i++)
    if (strcmp(registered[i]->name, name) == 0) return registered[i];
  return NULL;
}

int sh_report_view_register(const sh_report_view *v) {
  if (!v || !v->name || !v->md || sh_report_view_find(v->name) || nregistered == sizeof registered / sizeof registered[0])
    return -1;
  registered[nregistered++] = v;
  return 0;
}

const char *sh_report_views(void) {
  static char buf[512];
  size_t n = 0;
  buf[0] = 0;
  for (size_t i = 0; i < NBUILTIN + nregistered; i++) {
    const char *name = i < NBUILTIN ? builtin_views[i].name : registered[i - NBUILTIN]->name;
    int w = snprintf(buf + n, sizeof buf - n, "%s%s", i ? ", " : "", name);
    if (w < 0 || (size_t)w >= sizeof buf - n) break;
    n += (size_t)w;
  }
  return buf;
}

int sh_report_render(const sh_report_ctx *ctx, const char *format, sh_buf *out, sh_diags *d) {
  const sh_report_view *v = sh_report_view_find(ctx->view);
  if (!v) {
    sh_error(d, NULL, 0, 0, "unknown view '%s' (expected one of: %s)", ctx->view, sh_report_views());
    return -1;
  }
  sh_report_ctx c = *ctx;
  c.view = v->name;
  sh_buf tmp = {0};
  int rc = -1;
  if (strcmp(format, "md") == 0) rc = v->md(&c, &tmp, d);
  else if (strcmp(format, "text") == 0) rc = (v->text ? v->text : v->md)(&c, &tmp, d);
  else if (strcmp(format, "html") == 0) {
    sh_buf md = {0};
    rc = v->md(&c, &md, d);
    if (rc == 0) {
      char *title = sh_printf("%s — %s", SH_L(&c, v->title_ja, v->title_en), sh_view_applicant(&c));
      char *page = sh_html_page(sh_buf_str(&md), title, c.lang, c.data_dir);
      sh_buf_puts(&tmp, page);
      free(page);
      free(title);
    }
    sh_buf_free(&md);
  } else if (strcmp(format, "json") == 0 && v->json) rc = v->json(&c, &tmp, d);
  else if (strcmp(format, "csv") == 0 && v->csv) rc = v->csv(&c, &tmp, d);
  else if (strcmp(format, "xlsx") == 0) rc = sh_render_xlsx(&c, &tmp, d);
  else if (sh_str_startswith(format, "oscal-ar-") && sh_report_find(format))
    rc = sh_report_find(format)->render(&c, &tmp, d); /* the whole run whatever the view (oscal_ar.h) */
  else if (strcmp(format, "json") == 0 || strcmp(format, "csv") == 0)
    sh_error(d, NULL, 0, 0, "the %s view has no %s format", v->name, format);
  else
    sh_error(d, NULL, 0, 0, "unknown format '%s' (expected one of: %s)", format, sh_report_formats());
  if (rc == 0) sh_buf_put(out, tmp.data ? tmp.data : "", tmp.len);
  sh_buf_free(&tmp);
  return rc;
}
