/* report_csv: CSV output of the views (RFC 4180: CRLF rows, fields quoted when they hold a comma,
 * quote or line break), every cell through sh_csv_cell (report_cells.h: the spreadsheet formula guard).
 * A table for people: headers, strengths and verdicts in the report language (message catalog); ids stay as
 * they are (framework, item, data item). Programs read the JSON. */
#include "report_views.h"
#include "report_cells.h"

#include "review.h"

#include <stdlib.h>
#include <string.h>

static void cell(sh_buf *b, bool first, const char *s) { sh_csv_cell(b, first, s); }

static void row_end(sh_buf *b) { sh_buf_puts(b, "\r\n"); }

/* One row per item (auditor) or per item not yet satisfied (applicant, with what would satisfy it). */
int sh_csv_items(const sh_report_ctx *ctx, sh_buf *b, sh_diags *d) {
  bool gaps = sh_streq(ctx->view, "applicant");
  /* TRANSLATORS: CSV column headers of the item table */
  static const char *const head[] = {N_("Framework"), N_("Item"), N_("Section"), N_("Strength"), N_("Verdict"),
                                     N_("Question"), N_("Requirement"), N_("Applicant's status"), N_("Answer"),
                                     N_("Facts"), N_("Evidence"), N_("Reasons"), N_("Reviewers"), N_("To satisfy")};
  for (size_t k = 0; k < sizeof head / sizeof head[0] - (gaps ? 0 : 1); k++) cell(b, k == 0, SH_T(ctx, head[k]));
  row_end(b);
  const sh_evaluation *e = ctx->eval;
  for (size_t i = 0; i < e->results.n; i++) {
    const sh_result *r = e->results.v[i];
    if (gaps && !sh_view_is_gap(r)) continue;
    const sh_item *it = r->item;
    char *sec = sh_view_section(ctx, it), *ans = sh_view_answer(ctx, r), *evd = sh_view_evidence(ctx, r);
    char *st = sh_view_status(ctx, r), *fac = sh_view_facts(ctx, r);
    char *rea = sh_view_reasons(ctx, r), *rev = sh_view_reviewers(ctx, r);
    char *req = it->require ? sh_expr_to_string(it->require) : NULL;
    cell(b, true, it->fw->id);
    cell(b, false, it->id);
    cell(b, false, sec);
    cell(b, false, sh_strength_label(it->strength, ctx->lang));
    cell(b, false, sh_verdict_label(r->verdict, ctx->lang));
    cell(b, false, sh_text_pick(&it->text, ctx->lang));
    cell(b, false, req);
    cell(b, false, st);
    cell(b, false, ans);
    cell(b, false, fac);
    cell(b, false, evd);
    cell(b, false, rea);
    cell(b, false, rev);
    if (gaps) {
      char *act = sh_view_actions(ctx, r);
      cell(b, false, act);
      free(act);
    }
    row_end(b);
    free(sec);
    free(ans);
    free(st);
    free(fac);
    free(evd);
    free(rea);
    free(rev);
    free(req);
  }
  return 0;
}

static char *join(const sh_vec *v) {
  sh_buf b = {0};
  for (size_t k = 0; k < v->n; k++) sh_buf_printf(&b, "%s%s", k ? ";" : "", (const char *)v->v[k]);
  return sh_buf_steal(&b);
}

/* The ethics view: one row per declared data item. */
int sh_csv_data_items(const sh_report_ctx *ctx, sh_buf *b, sh_diags *d) {
  /* TRANSLATORS: CSV column headers of the data item table (the ethics view) */
  static const char *const head[] = {N_("Data item"), N_("Name"), N_("Level"), N_("MHLW item code"), N_("Purposes"),
                                     N_("Recipients")};
  for (size_t k = 0; k < sizeof head / sizeof head[0]; k++) cell(b, k == 0, SH_T(ctx, head[k]));
  row_end(b);
  const sh_evidence *ev = ctx->eval->evidence;
  for (size_t i = 0; i < ev->data_items.n; i++) {
    const sh_data_item *di = ev->data_items.v[i];
    char lv[16];
    if (di->level >= 0) snprintf(lv, sizeof lv, "%d", di->level);
    else lv[0] = 0;
    char *pu = join(&di->purposes), *re = join(&di->recipients);
    cell(b, true, di->id);
    cell(b, false, sh_text_pick(&di->name, ctx->lang));
    cell(b, false, lv);
    cell(b, false, di->code);
    cell(b, false, pu);
    cell(b, false, re);
    row_end(b);
    free(pu);
    free(re);
  }
  return 0;
}
