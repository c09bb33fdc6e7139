/* report_xlsx: the filled checksheet as an XLSX workbook (libxlsxwriter): a cover sheet, then one
 * sheet per framework with one row per item: id, question, answer, evidence, verdict, reviewer. */
#include "report_views.h"

#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#if SHINSA_HAVE_XLSX
#include <xlsxwriter.h>

/* Sheet names: at most 31 characters, none of []:*?/\ (framework ids never hold them). */
static void sheet_name(const char *id, char out[32]) {
  size_t n = 0;
  for (const char *p = id; *p && n < 31; p++) out[n++] = strchr("[]:*?/\\", *p) ? '_' : *p;
  out[n] = 0;
}

static int build(const sh_report_ctx *ctx, const char *path, sh_diags *d) {
  const sh_evaluation *e = ctx->eval;
  const sh_evidence *ev = e->evidence;
  lxw_workbook_options opt = {.constant_memory = LXW_FALSE, .tmpdir = NULL, .use_zip64 = LXW_FALSE};
  lxw_workbook *wb = workbook_new_opt(path, &opt);
  if (!wb) {
    sh_error(d, path, 0, 0, "cannot create the workbook");
    return -1;
  }
  /* A fixed creation time (the assessment date) keeps the output reproducible. */
  char title[256];
  snprintf(title, sizeof title, "%s", SH_L(ctx, "チェックシート", "Checksheet"));
  lxw_doc_properties props = {0};
  props.title = title;
  props.author = "shinsa";
  props.created = (time_t)ev->assessment_date * 86400;
  workbook_set_properties(wb, &props);
  lxw_format *bold = workbook_add_format(wb);
  format_set_bold(bold);
  lxw_format *head = workbook_add_format(wb);
  format_set_bold(head);
  format_set_bg_color(head, 0xDDE4EE);
  format_set_text_wrap(head);
  format_set_border(head, LXW_BORDER_THIN);
  lxw_format *wrap = workbook_add_format(wb);
  format_set_text_wrap(wrap);
  format_set_align(wrap, LXW_ALIGN_VERTICAL_TOP);
  format_set_border(wrap, LXW_BORDER_THIN);

  lxw_worksheet *cover = workbook_add_worksheet(wb, SH_L(ctx, "概要", "summary"));
  char ad[11];
  sh_date_format(ev->assessment_date, ad);
  int row = 0;
  worksheet_set_column(cover, 0, 0, 24, NULL);
  worksheet_set_column(cover, 1, 1, 60, NULL);
  worksheet_write_string(cover, row, 0, SH_L(ctx, "申請者", "Applicant"), bold);
  worksheet_write_string(cover, row++, 1, sh_view_applicant(ctx), NULL);
  worksheet_write_string(cover, row, 0, SH_L(ctx, "審査基準日", "Assessment date"), bold);
  worksheet_write_string(cover, row++, 1, ad, NULL);
  if (ctx->run_id > 0) {
    worksheet_write_string(cover, row, 0, SH_L(ctx, "記録番号", "Run"), bold);
    worksheet_write_number(cover, row++, 1, (double)ctx->run_id, NULL);
  }
  for (size_t f = 0; f < e->frameworks.n; f++) {
    const sh_framework *fw = e->frameworks.v[f];
    char *s = sh_printf("%s (%s %s)", sh_text_pick(&fw->title, ctx->lang), fw->id, fw->version);
    worksheet_write_string(cover, row, 0, SH_L(ctx, "基準", "Framework"), bold);
    worksheet_write_string(cover, row++, 1, s, NULL);
    free(s);
  }
  for (int v = 0; v < SH_V__COUNT; v++) {
    worksheet_write_string(cover, row, 0, sh_verdict_label((sh_verdict)v, ctx->lang), bold);
    worksheet_write_number(cover, row++, 1, (double)e->counts[v], NULL);
  }

  static const char *const head_ja[] = {"項目", "節", "確認事項", "強度", "回答", "証跡", "判定", "審査員", "理由"};
  static const char *const head_en[] = {"Item", "Section", "Question", "Strength", "Answer", "Evidence", "Verdict",
                                        "Reviewer", "Reasons"};
  static const double widths[] = {10, 18, 50, 9, 40, 45, 16, 35, 45};
  for (size_t f = 0; f < e->frameworks.n; f++) {
    const sh_framework *fw = e->frameworks.v[f];
    char name[32];
    sheet_name(fw->id, name);
    lxw_worksheet *ws = workbook_add_worksheet(wb, name);
    if (!ws) {
      sh_error(d, path, 0, 0, "cannot add a sheet for %s", fw->id);
      workbook_close(wb);
      return -1;
    }
    for (int c = 0; c < 9; c++) {
      worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, widths[c], NULL);
      worksheet_write_string(ws, 0, (lxw_col_t)c, sh_lang_en(ctx->lang) ? head_en[c] : head_ja[c], head);
    }
    worksheet_freeze_panes(ws, 1, 1);
    lxw_row_t r = 1;
    for (size_t i = 0; i < e->results.n; i++) {
      const sh_result *res = e->results.v[i];
      if (res->item->fw != fw) continue;
      const sh_item *it = res->item;
      char *cells[9] = {sh_strdup(it->id), sh_view_section(ctx, it), sh_strdup(sh_text_pick(&it->text, ctx->lang)),
                        sh_strdup(sh_strength_name(it->strength)), sh_view_facts(ctx, res), sh_view_evidence(ctx, res),
                        sh_strdup(sh_verdict_label(res->verdict, ctx->lang)), sh_view_reviewers(ctx, res),
                        sh_view_reasons(ctx, res)};
      for (int c = 0; c < 9; c++) {
        worksheet_write_string(ws, r, (lxw_col_t)c, cells[c], wrap);
        free(cells[c]);
      }
      r++;
    }
    worksheet_autofilter(ws, 0, 0, r > 1 ? r - 1 : 0, 8);
  }
  lxw_error err = workbook_close(wb);
  if (err != LXW_NO_ERROR) {
    sh_error_io(d, path, 0, 0, "cannot write the workbook: %s", lxw_strerror(err));
    return -1;
  }
  return 0;
}

int sh_render_xlsx(const sh_report_ctx *ctx, sh_buf *out, sh_diags *d) {
  /* libxlsxwriter writes a file: build it in a private temporary file, then take its bytes
   * (sh_report_output then writes them atomically where they belong). */
  const char *tmp = getenv("TMPDIR");
  char *path = sh_path_join(tmp && *tmp ? tmp : "/tmp", "shinsa-xlsx-XXXXXX");
  int fd = mkstemp(path);
  if (fd < 0) {
    sh_error_io(d, path, 0, 0, "cannot create a temporary file: %s", strerror(errno));
    free(path);
    return -1;
  }
  close(fd);
  int rc = build(ctx, path, d);
  if (rc == 0) {
    char *data = NULL;
    size_t len = 0;
    if (sh_read_file(path, 512u << 20, &data, &len) != 0) {
      sh_error_io(d, path, 0, 0, "cannot read the workbook back: %s", strerror(errno));
      rc = -1;
    } else {
      sh_buf_put(out, data, len);
      free(data);
    }
  }
  unlink(path);
  free(path);
  return rc;
}
#else
int sh_render_xlsx(const sh_report_ctx *ctx, sh_buf *out, sh_diags *d) {
  sh_error(d, NULL, 0, 0, "this shinsa was built without libxlsxwriter: the xlsx format is not available "
           "(install libxlsxwriter-dev and rebuild)");
  return -1;
}
#endif
