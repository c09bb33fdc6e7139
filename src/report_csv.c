/* report_csv: CSV output of the views (RFC 4180: CRLF rows, fields quoted when they hold a comma,
 * quote or line break), every cell through sh_csv_cell (report_cells.h: the spreadsheet formula guard). */
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
  const char *head_en[] = {"framework", "item", "section", "strength", "verdict", "question", "requirement",
                           "status", "answer", "facts", "evidence", "reasons", "reviewer", gaps ? "actions" : NULL};
  const char *head_ja[] = {"基準", "項目", "節", "強度", "判定", "確認事項", "要件", "対応状況", "回答", "申告事実",
                           "証跡", "理由", "審査員", gaps ? "充足するには" : NULL};
  const char *const *head = sh_lang_en(ctx->lang) ? head_en : head_ja;
  for (size_t k = 0; k < 14 && head[k]; k++) cell(b, k == 0, head[k]);
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
    cell(b, false, sh_strength_name(it->strength));
    cell(b, false, sh_verdict_name(r->verdict));
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
  static const char *const head_en[] = {"data_item", "name", "level", "code", "purposes", "recipients"};
  static const char *const head_ja[] = {"情報項目", "名称", "レベル", "コード", "利用目的", "提供先"};
  for (size_t k = 0; k < 6; k++) cell(b, k == 0, sh_lang_en(ctx->lang) ? head_en[k] : head_ja[k]);
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
