/* report_views: the applicant view (the gap list: what is missing and what would satisfy it) and the ethics view
 * (what a data ethics board reads) in Markdown and JSON, and the ethics view in HTML (the writer of report_html.h;
 * the applicant's HTML is in report_html.c). The dispatcher (report.c) derives text from the Markdown. */
#include "report_views.h"
#include "report_cells.h"
#include "report_html.h"

#include "answers.h"
#include "json.h"
#include "review.h"

#include <stdlib.h>
#include <string.h>

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

static void md_header(const sh_report_ctx *ctx, sh_buf *b) {
  sh_report_md_header(ctx, b);
  if (ctx->reviews)
    sh_buf_printf(b, "- %s: %s\n", SH_T(ctx, "Reviews and waivers as of"), ctx->reviews->as_of);
  sh_buf_putc(b, '\n');
}

static void md_footer(const sh_report_ctx *ctx, sh_buf *b) { sh_report_md_footer(ctx, b); }

/* ---------- applicant view: the gap list ---------- */

int sh_applicant_md(const sh_report_ctx *ctx, sh_buf *b, sh_diags *d) {
  const sh_evaluation *e = ctx->eval;
  md_header(ctx, b);
  size_t by_strength[3] = {0}, total = 0;
  for (size_t i = 0; i < e->results.n; i++) {
    const sh_result *r = e->results.v[i];
    if (!sh_view_is_gap(r)) continue;
    total++;
    by_strength[r->item->strength]++;
  }
  sh_buf_printf(b, "## %s\n\n", SH_T(ctx, "Summary"));
  sh_buf_printf(b, "- %s: %zu\n", SH_T(ctx, "Items not yet satisfied"), total);
  sh_buf_printf(b, "- %s: %zu / %s: %zu / %s: %zu\n", SH_T(ctx, "must"), by_strength[SH_STRENGTH_MUST],
                SH_T(ctx, "should"), by_strength[SH_STRENGTH_SHOULD], SH_T(ctx, "effort"),
                by_strength[SH_STRENGTH_EFFORT]);
  static const sh_verdict gaps[] = {SH_V_NOT_SATISFIED, SH_V_UNKNOWN, SH_V_NEEDS_REVIEW};
  for (size_t k = 0; k < 3; k++)
    sh_buf_printf(b, "- %s: %zu\n", sh_verdict_label(gaps[k], ctx->lang), e->counts[gaps[k]]);
  sh_buf_putc(b, '\n');
  if (e->findings.n) {
    sh_buf_printf(b, "## %s\n\n", SH_T(ctx, "Findings on the evidence package"));
    for (size_t i = 0; i < e->findings.n; i++) {
      sh_buf_puts(b, "- ");
      char *s = sh_view_reason(ctx, e->findings.v[i]);
      md_esc(b, s);
      free(s);
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
        sh_buf_printf(b, "- %s: ", SH_T(ctx, "Requirement"));
        md_code(b, s);
        sh_buf_putc(b, '\n');
        free(s);
      }
      sh_report_md_item_answer(ctx, b, r);
      char *reasons = sh_view_reasons(ctx, r), *actions = sh_view_actions(ctx, r), *answer = sh_view_facts(ctx, r);
      char *prefix = sh_printf("- %s: ", SH_T(ctx, "Now"));
      md_lines(b, prefix, answer);
      free(prefix);
      prefix = sh_printf("- %s: ", SH_T(ctx, "Reason"));
      md_lines(b, prefix, reasons);
      free(prefix);
      prefix = sh_printf("- **%s**: ", SH_T(ctx, "To satisfy"));
      md_lines(b, prefix, actions);
      free(prefix);
      free(reasons);
      free(actions);
      free(answer);
      const sh_item_review *ir = sh_review_for(ctx->reviews, e, r);
      if (ir && ir->waiver) {
        sh_buf_printf(b, "- %s (%s): %s %s\n", SH_T(ctx, "Waiver"), sh_view_waiver_state(ctx, ir->waiver_state),
                      SH_T(ctx, "until"), ir->waiver->expires);
      }
      sh_buf_putc(b, '\n');
    }
  }
  if (!total) sh_buf_printf(b, "%s\n\n", SH_T(ctx, "Every applicable item is satisfied."));
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

int sh_applicant_json(const sh_report_ctx *ctx, sh_buf *b, sh_diags *d) {
  const sh_evaluation *e = ctx->eval;
  sh_json j;
  sh_json_init(&j, b);
  sh_json_obj_begin(&j);
  json_head(ctx, &j, "shinsa-applicant/1");
  sh_report_json_findings(&j, ctx);
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

/* The three sections the ethics view groups its facts into (Markdown and HTML alike): 0 benefit, 1 medical
 * professional, 2 the rest (board, consent, provision). */
enum { ETHICS_SECTIONS = 3 };
static int ethics_section(const sh_fact *f) { return strstr(f->id, "benefit") ? 0 : strstr(f->id, "medical") ? 1 : 2; }
static const char *ethics_heading(const sh_report_ctx *ctx, int sec) {
  static const char *const heads[] = {N_("Benefit returned to the person"), N_("Medical professional involvement"),
                                      N_("Ethics board, consent and provision")};
  return SH_T(ctx, heads[sec]);
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

/* The label of a value of data.purposes / data.recipients in the vocabulary (rules/facts.yaml), or NULL. */
static const char *use_label_of(const sh_report_ctx *ctx, const sh_fact *uf, const char *v) {
  int vi = uf && uf->type == SH_T_SET ? sh_fact_value_index(uf, v) : -1;
  if (vi < 0 || !(uf->value_ja || uf->value_en)) return NULL;
  return sh_fact_value_label(uf, (size_t)vi, sh_lang_en(ctx->lang) ? "en" : "ja");
}

/* The data items whose purposes (or recipients) name name, into out (borrowed). */
static void items_naming(const sh_evidence *ev, bool purposes, const char *name, sh_vec *out) {
  for (size_t i = 0; i < ev->data_items.n; i++) {
    const sh_data_item *di = ev->data_items.v[i];
    const sh_vec *v = purposes ? &di->purposes : &di->recipients;
    for (size_t m = 0; m < v->n; m++)
      if (strcmp(v->v[m], name) == 0) sh_vec_push(out, (void *)di);
  }
}

static void md_fact_line(const sh_report_ctx *ctx, sh_buf *b, const sh_fact *f) {
  const sh_fact_value *fv = sh_evidence_get(ctx->eval->evidence, f);
  sh_buf_puts(b, "- ");
  md_esc(b, sh_view_fact_label(ctx, f));
  sh_buf_puts(b, " (");
  md_esc(b, f->id);
  sh_buf_puts(b, "): ");
  sh_report_md_value(ctx, b, f, fv, SH_T(ctx, "not declared"));
  sh_buf_putc(b, '\n');
}

int sh_ethics_md(const sh_report_ctx *ctx, sh_buf *b, sh_diags *d) {
  const sh_evaluation *e = ctx->eval;
  const sh_evidence *ev = e->evidence;
  md_header(ctx, b);
  sh_buf_printf(b, "## %s\n\n", SH_T(ctx, "Data items handled, by sensitivity level"));
  if (!ev->data_items.n) sh_buf_printf(b, "%s\n\n", SH_T(ctx, "No data items declared."));
  for (int level = 3; level >= -1; level--) {
    bool any = false;
    for (size_t i = 0; i < ev->data_items.n; i++) {
      const sh_data_item *di = ev->data_items.v[i];
      if (di->level != level) continue;
      if (!any) {
        if (level >= 0) sh_buf_printf(b, "### %s %d\n\n", SH_T(ctx, "Level"), level);
        else sh_buf_printf(b, "### %s\n\n", SH_T(ctx, "Level not given"));
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
      sh_buf_printf(b, ") — %s:", SH_T(ctx, "purposes"));
      for (size_t k = 0; k < di->purposes.n; k++) {
        sh_buf_puts(b, k ? ", " : " ");
        md_esc(b, di->purposes.v[k]);
      }
      sh_buf_printf(b, "; %s:", SH_T(ctx, "recipients"));
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
    sh_buf_printf(b, "## %s\n\n", which ? SH_T(ctx, "Purposes") : SH_T(ctx, "Recipients"));
    const sh_fact *uf = sh_vocab_find(ev->vocab, which ? "data.purposes" : "data.recipients");
    for (size_t k = 0; k < names.n; k++) {
      sh_buf_puts(b, "- ");
      md_esc(b, names.v[k]);
      const char *label = use_label_of(ctx, uf, names.v[k]);
      if (label) {
        sh_buf_puts(b, " (");
        md_esc(b, label);
        sh_buf_puts(b, ")");
      }
      sh_buf_puts(b, ":");
      sh_vec its = {0};
      items_naming(ev, which, names.v[k], &its);
      for (size_t m = 0; m < its.n; m++) {
        sh_buf_puts(b, m ? ", " : " ");
        md_esc(b, ((const sh_data_item *)its.v[m])->id);
      }
      sh_vec_free(&its);
      sh_buf_putc(b, '\n');
    }
    if (!names.n) sh_buf_printf(b, "- %s\n", SH_T(ctx, "(none)"));
    sh_buf_putc(b, '\n');
    sh_vec_free(&names);
  }
  sh_vec facts = {0};
  ethics_facts(ctx, &facts);
  char *composition = sh_view_board_composition(ctx);
  for (int sec = 0; sec < ETHICS_SECTIONS; sec++) {
    sh_buf_printf(b, "## %s\n\n", ethics_heading(ctx, sec));
    size_t n = 0;
    if (sec == ETHICS_SECTIONS - 1 && *composition) { /* the board's counts in one line (helper 2) */
      sh_buf_printf(b, "- %s: ", SH_T(ctx, "Composition of the board"));
      md_esc(b, composition);
      sh_buf_putc(b, '\n');
    }
    for (size_t k = 0; k < facts.n; k++) {
      const sh_fact *f = facts.v[k];
      if (ethics_section(f) != sec) continue;
      md_fact_line(ctx, b, f);
      n++;
    }
    if (!n) sh_buf_printf(b, "- %s\n", SH_T(ctx, "(no such fact declared)"));
    sh_buf_putc(b, '\n');
  }
  free(composition);
  sh_vec_free(&facts);
  sh_buf_printf(b, "## %s\n\n", SH_T(ctx, "Decisions pending the board"));
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
      sh_buf_printf(b, " (%s: ", SH_T(ctx, "quorum"));
      char *q = sh_review_quorum_text(ir, ctx->lang);
      md_esc(b, q);
      free(q);
      sh_buf_puts(b, ")");
    }
    sh_buf_putc(b, '\n');
    if (ir && ir->waiver) { /* a waiver on a board item: shown here as in every view */
      sh_buf_printf(b, "  - %s (%s): ", SH_T(ctx, "Waiver"), sh_view_waiver_state(ctx, ir->waiver_state));
      md_esc(b, ir->waiver->approver);
      sh_buf_printf(b, ", %s %s; ", SH_T(ctx, "until"), ir->waiver->expires);
      md_esc(b, ir->waiver->justification);
      sh_buf_putc(b, '\n');
    }
    char *why = sh_view_reasons(ctx, r); /* what is missing, with the data items or board counts behind it */
    md_lines(b, "  - ", why);
    free(why);
  }
  if (!n) sh_buf_printf(b, "- %s\n", SH_T(ctx, "(none)"));
  sh_buf_putc(b, '\n');
  md_footer(ctx, b);
  return 0;
}

int sh_ethics_json(const sh_report_ctx *ctx, sh_buf *b, sh_diags *d) {
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
  char *composition = sh_view_board_composition(ctx);
  sh_json_kstr(&j, "board_composition", *composition ? composition : NULL); /* in the report language */
  free(composition);
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
    sh_json_key(&j, "waiver");
    if (ir && ir->waiver) {
      sh_json_obj_begin(&j);
      sh_json_kstr(&j, "approver", ir->waiver->approver);
      sh_json_kstr(&j, "expires", ir->waiver->expires);
      sh_json_kstr(&j, "state", sh_waiver_state_name(ir->waiver_state));
      sh_json_kstr(&j, "justification", ir->waiver->justification);
      sh_json_obj_end(&j);
    } else {
      sh_json_null(&j);
    }
    char *why = sh_view_reasons(ctx, r);
    json_lines(&j, "reasons", why);
    free(why);
    sh_json_obj_end(&j);
  }
  sh_json_arr_end(&j);
  sh_json_obj_end(&j);
  return 0;
}

/* ---------- ethics view as HTML tables (the writer and the page of report_html.h) ---------- */

/* A value of data.purposes / data.recipients with its label from the vocabulary: "id (label)". */
static void use_label(const sh_report_ctx *ctx, sh_buf *b, const sh_fact *uf, const char *v) {
  sh_h_text(b, v);
  const char *label = use_label_of(ctx, uf, v);
  if (label) {
    sh_buf_puts(b, " (");
    sh_h_text(b, label);
    sh_buf_puts(b, ")");
  }
}

/* The notes of the accepting decisions: the conditions the board attached to its approval. */
static char *approval_conditions(const sh_item_review *ir) {
  sh_buf b = {0};
  for (size_t k = 0; ir && k < ir->reviews.n; k++) {
    const sh_review *rv = ir->reviews.v[k];
    if (rv->decision != SH_DEC_ACCEPT || !rv->note || !*rv->note) continue;
    sh_buf_printf(&b, "%s%s (%s): %s", b.len ? "\n" : "", rv->reviewer, rv->role, rv->note);
  }
  return sh_buf_steal(&b);
}

static bool board_row(const sh_report_ctx *ctx, const sh_result *r) {
  const sh_item_review *ir = sh_review_for(ctx->reviews, ctx->eval, r);
  return pending_for_board(ctx, r) || (sh_streq(r->item->group, "ethics") && ir && ir->reviews.n);
}

int sh_ethics_html(const sh_report_ctx *ctx, sh_buf *b, sh_diags *d) {
  const sh_evaluation *e = ctx->eval;
  const sh_evidence *ev = e->evidence;
  size_t npending = 0;
  for (size_t i = 0; i < e->results.n; i++) npending += pending_for_board(ctx, e->results.v[i]);
  char np[32];
  snprintf(np, sizeof np, "%zu", npending);
  sh_html_begin(ctx, b);
  sh_html_head(ctx, b, false, SH_T(ctx, "Decisions pending the board"), np);

  const sh_fact *pf = sh_vocab_find(ev->vocab, "data.purposes"), *rf = sh_vocab_find(ev->vocab, "data.recipients");
  sh_h_elem(b, "h2", NULL, SH_T(ctx, "Data items handled, by sensitivity level"));
  const char *cols[] = {SH_T(ctx, "Level"), SH_T(ctx, "Name"), "ID",
                        SH_T(ctx, "MHLW item code"), SH_T(ctx, "Purposes"),
                        SH_T(ctx, "Recipients")};
  sh_h_table_head(b, "data", cols, 6);
  for (int level = 3; level >= -1; level--)
    for (size_t i = 0; i < ev->data_items.n; i++) {
      const sh_data_item *di = ev->data_items.v[i];
      if (di->level != level) continue;
      char lv[16];
      if (level >= 0) snprintf(lv, sizeof lv, "%d", level);
      sh_h_open(b, "tr", NULL);
      sh_h_elem(b, "td", NULL, level >= 0 ? lv : SH_T(ctx, "not given"));
      sh_h_elem(b, "td", NULL, sh_text_pick(&di->name, ctx->lang));
      sh_h_elem(b, "td", NULL, di->id);
      sh_h_elem(b, "td", NULL, di->code ? di->code : "");
      for (int w = 0; w < 2; w++) {
        const sh_vec *v = w ? &di->recipients : &di->purposes;
        sh_h_open(b, "td", NULL);
        for (size_t k = 0; k < v->n; k++) {
          if (k) sh_buf_puts(b, "<br>");
          use_label(ctx, b, w ? rf : pf, v->v[k]);
        }
        sh_h_close(b, "td");
      }
      sh_buf_puts(b, "</tr>\n");
    }
  sh_buf_puts(b, "</tbody></table>\n");
  if (!ev->data_items.n) sh_h_elem(b, "p", NULL, SH_T(ctx, "No data items declared."));

  /* purposes and recipients, each with its label and the data items that name it */
  for (int which = 1; which >= 0; which--) {
    sh_vec names = {0};
    collect_names(ev, which, &names);
    sh_h_elem(b, "h2", NULL, which ? SH_T(ctx, "Purposes") : SH_T(ctx, "Recipients"));
    const char *uc[] = {which ? SH_T(ctx, "Purpose") : SH_T(ctx, "Recipient"), SH_T(ctx, "Data items")};
    sh_h_table_head(b, "uses", uc, 2);
    for (size_t k = 0; k < names.n; k++) {
      sh_h_open(b, "tr", NULL);
      sh_h_open(b, "td", NULL);
      use_label(ctx, b, which ? pf : rf, names.v[k]);
      sh_h_close(b, "td");
      sh_h_open(b, "td", NULL);
      sh_vec its = {0};
      items_naming(ev, which, names.v[k], &its);
      for (size_t m = 0; m < its.n; m++) {
        const sh_data_item *di = its.v[m];
        if (m) sh_buf_puts(b, ", ");
        sh_h_text(b, sh_text_pick(&di->name, ctx->lang));
        sh_buf_puts(b, " (");
        sh_h_text(b, di->id);
        sh_buf_puts(b, ")");
      }
      sh_vec_free(&its);
      sh_h_close(b, "td");
      sh_buf_puts(b, "</tr>\n");
    }
    sh_buf_puts(b, "</tbody></table>\n");
    sh_vec_free(&names);
  }

  sh_vec facts = {0};
  ethics_facts(ctx, &facts);
  char *composition = sh_view_board_composition(ctx);
  for (int sec = 0; sec < ETHICS_SECTIONS; sec++) {
    sh_h_elem(b, "h2", NULL, ethics_heading(ctx, sec));
    if (sec == ETHICS_SECTIONS - 1 && *composition) { /* the board's counts in one line (helper 2) */
      char *line = sh_printf("%s: %s", SH_T(ctx, "Composition of the board"), composition);
      sh_h_elem(b, "p", NULL, line);
      free(line);
    }
    const char *fc[] = {SH_T(ctx, "Fact"), SH_T(ctx, "Value"), SH_T(ctx, "Provenance")};
    sh_h_table_head(b, "facts", fc, 3);
    for (size_t k = 0; k < facts.n; k++) {
      const sh_fact *f = facts.v[k];
      if (ethics_section(f) != sec) continue;
      const sh_fact_value *fv = sh_evidence_get(ev, f);
      char *v = fv ? sh_value_format(f, &fv->value) : NULL;
      sh_buf_puts(b, "<tr><td>");
      sh_h_text(b, sh_view_fact_label(ctx, f));
      sh_buf_puts(b, "<br><code>");
      sh_h_text(b, f->id);
      sh_buf_puts(b, "</code></td>");
      sh_h_elem(b, "td", NULL, v ? v : SH_T(ctx, "not declared"));
      sh_h_elem(b, "td", NULL, fv ? sh_prov_label(fv->prov, ctx->lang) : "");
      sh_buf_puts(b, "</tr>\n");
      free(v);
    }
    sh_buf_puts(b, "</tbody></table>\n");
  }
  free(composition);
  sh_vec_free(&facts);

  sh_h_elem(b, "h2", NULL, SH_T(ctx,
                                "Decisions pending the board, and the board's decisions (with their conditions)"));
  const char *pc[] = {SH_T(ctx, "Item"), SH_T(ctx, "Verdict"), SH_T(ctx, "Question"), SH_T(ctx, "Reasons"),
                      SH_T(ctx, "Decisions, conditions, waiver"), SH_T(ctx, "Conditions attached to an approval")};
  sh_h_table_head(b, "items", pc, 6);
  for (size_t i = 0; i < e->results.n; i++) {
    const sh_result *r = e->results.v[i];
    if (!board_row(ctx, r)) continue;
    const sh_item_review *ir = sh_review_for(ctx->reviews, e, r);
    char *id = sh_printf("%s:%s", r->item->fw->id, r->item->id), *rv = sh_view_reviewers(ctx, r);
    char *cond = approval_conditions(ir);
    char *why = sh_view_reasons(ctx, r); /* what is missing, with the data items or board counts behind it */
    sh_h_open(b, "tr", NULL);
    sh_h_elem(b, "td", "id", id);
    sh_h_open(b, "td", NULL);
    sh_h_badge(ctx, b, r->verdict);
    sh_h_close(b, "td");
    sh_h_elem(b, "td", "q", sh_text_pick(&r->item->text, ctx->lang));
    sh_h_open(b, "td", NULL);
    sh_h_lines(b, why);
    sh_h_close(b, "td");
    sh_h_open(b, "td", NULL);
    sh_h_lines(b, rv);
    sh_h_close(b, "td");
    sh_h_open(b, "td", NULL);
    sh_h_lines(b, cond);
    sh_h_close(b, "td");
    sh_buf_puts(b, "</tr>\n");
    free(why);
    free(id);
    free(rv);
    free(cond);
  }
  sh_buf_puts(b, "</tbody></table>\n");
  sh_html_end(ctx, b);
  return 0;
}
