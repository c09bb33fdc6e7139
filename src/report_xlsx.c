/* report_xlsx: the filled checksheet as an XLSX workbook (libxlsxwriter), ready to hand in and to print.
 * A cover sheet (applicant, frameworks, must items not met, verdict counts, findings, how to fill it in) that
 * prints on one page, then one sheet per framework with one row per item in the columns of checksheet.h:
 * official id, section, question, strength in the report language, the applicant's status, planned date or
 * reason and answer (marked and unlocked: the sheets are protected without a password), evidence with hashes,
 * verdict, reviewer decisions, reasons (auditor) or actions (applicant), and a hidden FRAMEWORK:ITEM key the
 * answers importer reads. Page setup: A4 landscape, one page wide, header row repeated on every page, row
 * heights that show the whole question, a font with Japanese glyphs (Noto Sans CJK JP).
 * Every libxlsxwriter result is checked (the first failure is an error naming SHEET!CELL, never a silently missing
 * cell); text is written as valid UTF-8 (invalid bytes as U+FFFD); a text longer than Excel's cell limit (32,767
 * UTF-16 units) is cut with a visible marker saying how much is shown (the other formats carry the whole text). */
#include "report_views.h"
#include "report_cells.h"

#include "answers.h"
#include "checksheet.h"
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#if SHINSA_HAVE_XLSX
#include <xlsxwriter.h>

#define FONT "Noto Sans CJK JP"
#define FONT_SIZE 9
#define LINE_PT 13.0     /* one line of FONT_SIZE text in LibreOffice and Excel, with the font's leading */
#define MAX_ROW_PT 409.0 /* the largest row height a spreadsheet accepts */
#define MAX_CELL 32767   /* characters in one cell (Excel's limit) */

/* Sheet names: at most 31 characters, none of []:*?/\ (framework ids never hold them). */
static void sheet_name(const char *id, char out[32]) {
  size_t n = 0;
  for (const char *p = id; *p && n < 31; p++) out[n++] = strchr("[]:*?/\\", *p) ? '_' : *p;
  out[n] = 0;
}

/* Lines a text takes in a wrapped column of the given width (in character units): a wide (CJK) character
 * counts about 1.75 units at FONT_SIZE, other characters 0.8; every paragraph starts a line. Overestimates
 * rather than cuts a question off. */
static int text_lines(const char *s, double width) {
  double avail = width - 1.2, used = 0;
  int lines = 1;
  for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p;) {
    if (*p == '\n') {
      lines++;
      used = 0;
      p++;
      continue;
    }
    double w;
    if (*p < 0x80) w = 0.8, p++;
    else {
      /* UTF-8 lead byte: U+0080..U+07FF (two bytes) are narrow, three- and four-byte characters wide. */
      int len = *p >= 0xF0 ? 4 : *p >= 0xE0 ? 3 : 2;
      w = len == 2 ? 0.9 : 1.75;
      for (int k = 0; k < len && *p; k++) p++;
    }
    if (used + w > avail) {
      lines++;
      used = 0;
    }
    used += w;
  }
  return lines;
}

/* The first failed libxlsxwriter call of the workbook being built (reset by build), for the error message.
 * Rendering is single-threaded; build() reports it after workbook_close. */
static struct {
  lxw_error err;
  char where[96];
} xw;

static void xw_check(lxw_error e, const lxw_worksheet *ws, lxw_row_t r, lxw_col_t c) {
  if (e == LXW_NO_ERROR || xw.err != LXW_NO_ERROR) return;
  xw.err = e;
  char tmp[8], col[8];
  size_t n = 0;
  for (unsigned x = (unsigned)c + 1; x && n < sizeof tmp; x = (x - 1) / 26) tmp[n++] = (char)('A' + (x - 1) % 26);
  for (size_t i = 0; i < n; i++) col[i] = tmp[n - 1 - i];
  col[n] = 0;
  snprintf(xw.where, sizeof xw.where, "%s!%s%u", ws && ws->name ? ws->name : "workbook", col, (unsigned)r + 1);
}
#define CK(ws, call) xw_check((call), (ws), 0, 0)

/* Length as Excel counts it (UTF-16 units: a character past U+FFFF counts two); *fit is the number of bytes of the
 * longest prefix within limit units. */
static size_t excel_len(const char *s, size_t limit, size_t *fit) {
  size_t n = 0;
  *fit = 0;
  for (const unsigned char *p = (const unsigned char *)s; *p;) {
    size_t k = *p < 0x80 ? 1 : *p < 0xE0 ? 2 : *p < 0xF0 ? 3 : 4;
    n += k == 4 ? 2 : 1;
    for (size_t i = 0; i < k && *p; i++) p++;
    if (n <= limit) *fit = (size_t)((const char *)p - s);
  }
  return n;
}

/* Writes a string cell: valid UTF-8; text beyond the cell limit is cut at a character boundary with a visible
 * marker. Needs the report context for the marker's language (set by build). */
static const sh_report_ctx *xw_ctx;
static void put(lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const char *s, lxw_format *f) {
  sh_buf b = {0};
  sh_buf_put_utf8(&b, s ? s : "", s ? strlen(s) : 0);
  size_t fit;
  size_t total = excel_len(sh_buf_str(&b), MAX_CELL, &fit);
  if (total > MAX_CELL) {
    excel_len(sh_buf_str(&b), MAX_CELL - 200, &fit); /* room for the marker (well under 200 units) */
    char *head = sh_strndup(sh_buf_str(&b), fit);
    size_t unused, shown = excel_len(head, (size_t)-1, &unused);
    char *t = sh_printf(sh_tr(xw_ctx ? xw_ctx->lang : NULL, "%s … [truncated by shinsa: the first %zu of %zu characters; "
                                                            "the whole text is in the json, md and html reports]"),
                        head, shown, total);
    free(head);
    sh_buf_free(&b);
    sh_buf_puts(&b, t);
    free(t);
  }
  xw_check(worksheet_write_string(ws, r, c, sh_buf_str(&b), f), ws, r, c);
  sh_buf_free(&b);
}

/* Characters (not bytes) of UTF-8 text: what Excel's and libxlsxwriter's 255-character limit of a page header
 * counts. */
static size_t u8chars(const char *s) {
  size_t n = 0;
  for (; *s; s++) n += ((unsigned char)*s & 0xC0) != 0x80;
  return n;
}

/* A part of a page header: "&" starts a code there, so it is doubled. Caller frees. */
static char *hf_escape(const char *s) {
  sh_buf b = {0};
  for (const char *p = s ? s : ""; *p; p++) {
    if (*p == '&') sh_buf_putc(&b, '&');
    sh_buf_putc(&b, *p);
  }
  return sh_buf_steal(&b);
}

/* Cuts an escaped header part to at most max characters, ending in "…", never inside "&&". */
static void hf_cut(char **t, size_t max) {
  if (u8chars(*t) <= max) return;
  const char *s = *t;
  size_t n = 0, chars = 0;
  while (s[n] && chars < max - 1) { /* max - 1 characters, then "…" */
    n++;
    while (((unsigned char)s[n] & 0xC0) == 0x80) n++;
    chars++;
  }
  size_t amps = 0;
  while (amps < n && s[n - 1 - amps] == '&') amps++;
  if (amps % 2) n--; /* not half of "&&" */
  char *cut = sh_printf("%.*s…", (int)n, s);
  free(*t);
  *t = cut;
}

typedef struct {
  lxw_format *title, *label, *value, *num, *big, *head, *head_applicant, *cell, *cell_applicant, *note;
} formats;

static lxw_format *font(lxw_workbook *wb) {
  lxw_format *f = workbook_add_format(wb);
  format_set_font_name(f, FONT);
  format_set_font_size(f, FONT_SIZE);
  return f;
}

/* A table's column heading (bold, coloured, wrapped, framed) and a table cell (wrapped, top, framed). */
static lxw_format *head_format(lxw_workbook *wb, lxw_color_t bg) {
  lxw_format *f = font(wb);
  format_set_bold(f);
  format_set_bg_color(f, bg);
  format_set_text_wrap(f);
  format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
  format_set_border(f, LXW_BORDER_THIN);
  return f;
}

static lxw_format *cell_format(lxw_workbook *wb) {
  lxw_format *f = font(wb);
  format_set_text_wrap(f);
  format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
  format_set_border(f, LXW_BORDER_THIN);
  return f;
}

static void make_formats(lxw_workbook *wb, formats *F) {
  F->title = font(wb);
  format_set_bold(F->title);
  format_set_font_size(F->title, 16);
  F->label = font(wb);
  format_set_bold(F->label);
  format_set_align(F->label, LXW_ALIGN_VERTICAL_TOP);
  F->value = font(wb);
  format_set_text_wrap(F->value);
  format_set_align(F->value, LXW_ALIGN_VERTICAL_TOP);
  F->num = font(wb);
  format_set_align(F->num, LXW_ALIGN_LEFT);
  F->big = font(wb);
  format_set_bold(F->big);
  format_set_font_size(F->big, 14);
  format_set_align(F->big, LXW_ALIGN_LEFT);
  F->note = font(wb);
  format_set_text_wrap(F->note);
  format_set_align(F->note, LXW_ALIGN_VERTICAL_TOP);
  format_set_italic(F->note);
  F->head = head_format(wb, 0xDDE4EE);
  F->head_applicant = head_format(wb, 0xFFD966); /* the columns the applicant fills in */
  F->cell = cell_format(wb);
  F->cell_applicant = cell_format(wb);
  format_set_bg_color(F->cell_applicant, 0xFFF2CC);
  format_set_unlocked(F->cell_applicant);
}

static void page_setup(const sh_report_ctx *ctx, lxw_worksheet *ws, const char *sheet_title) {
  worksheet_set_paper(ws, 9); /* A4 */
  worksheet_set_landscape(ws);
  worksheet_set_margins(ws, 0.4, 0.4, 0.6, 0.6);
  /* "&L&9" + who + "&R&9" + what stays within a header's 255 characters: a long applicant name is cut first, down to
   * 120 characters, then the sheet title */
  char *who = hf_escape(sh_view_applicant(ctx)), *what = hf_escape(sheet_title);
  enum { ROOM = 255 - 8 };
  size_t tc = u8chars(what);
  hf_cut(&who, tc + 120 < ROOM ? ROOM - tc : 120);
  hf_cut(&what, ROOM - u8chars(who));
  char *hd = sh_printf("&L&9%s&R&9%s", who, what);
  CK(ws, worksheet_set_header(ws, hd));
  CK(ws, worksheet_set_footer(ws, "&C&9&P / &N"));
  free(hd);
  free(who);
  free(what);
}

/* Protection without a password: the applicant's cells stay editable, columns and rows can be resized,
 * rows filtered and sorted. */
static void protect(lxw_worksheet *ws) {
  lxw_protection prot = {0};
  prot.format_columns = 1;
  prot.format_rows = 1;
  prot.autofilter = 1;
  prot.sort = 1;
  worksheet_protect(ws, NULL, &prot);
}

static size_t answered(const sh_evaluation *e, size_t *manual) {
  size_t n = 0;
  *manual = 0;
  for (size_t i = 0; i < e->results.n; i++) {
    const sh_result *r = e->results.v[i];
    if (r->verdict == SH_V_NOT_APPLICABLE || r->verdict == SH_V_COVERED) continue;
    if (r->item->manual) (*manual)++;
    if (r->answer && r->item->manual) n++;
  }
  return n;
}

static void cover(const sh_report_ctx *ctx, lxw_workbook *wb, const formats *F) {
  const sh_evaluation *e = ctx->eval;
  const sh_evidence *ev = e->evidence;

  const char *title = SH_T(ctx, "Checksheet (answers and verdicts)");
  lxw_worksheet *ws = workbook_add_worksheet(wb, SH_T(ctx, "cover"));
  page_setup(ctx, ws, title);
  worksheet_fit_to_pages(ws, 1, 1);
  CK(ws, worksheet_set_column(ws, 0, 0, 30, NULL));
  CK(ws, worksheet_set_column(ws, 1, 1, 100, NULL));
  lxw_row_t row = 0;
  put(ws, row++, 0, title, F->title);
  row++;
  char ad[11];
  sh_date_format(ev->assessment_date, ad);
#define LINE(l, v)                                                                                                   \
  do {                                                                                                               \
    put(ws, row, 0, (l), F->label);                                                                                  \
    put(ws, row++, 1, (v), F->value);                                                                                \
  } while (0)
  LINE(SH_T(ctx, "Applicant"), sh_view_applicant(ctx));
  LINE(SH_T(ctx, "Assessment date"), ad);
  for (size_t f = 0; f < e->frameworks.n; f++) {
    const sh_framework *fw = e->frameworks.v[f];
    char *s = sh_printf("%s (%s %s, %zu %s)", sh_text_pick(&fw->title, ctx->lang), fw->id, fw->version, fw->items.n,
                        SH_T(ctx, "items"));
    LINE(SH_T(ctx, "Framework"), s);
    free(s);
  }
  if (ctx->run_id > 0) {
    char *s = sh_printf("%lld", (long long)ctx->run_id);
    LINE(SH_T(ctx, "Run"), s);
    free(s);
  }
  row++;
  put(ws, row, 0, SH_T(ctx, "Must items not met"), F->big);
  xw_check(worksheet_write_number(ws, row, 1, (double)e->must_failing, F->big), ws, row, 1);
    row++;
  static const sh_verdict order[] = {SH_V_SATISFIED, SH_V_COVERED, SH_V_NOT_SATISFIED, SH_V_NEEDS_REVIEW, SH_V_UNKNOWN,
                                     SH_V_NOT_APPLICABLE};
  for (size_t k = 0; k < sizeof order / sizeof order[0]; k++) {
    put(ws, row, 0, sh_verdict_label(order[k], ctx->lang), F->label);
    xw_check(worksheet_write_number(ws, row, 1, (double)e->counts[order[k]], F->num), ws, row, 1);
    row++;
  }
  size_t manual = 0, nans = answered(e, &manual);
  char *s = sh_printf(SH_T(ctx, "%zu applicable manual items, %zu of them answered"), manual, nans);
  LINE(SH_T(ctx, "Answered"), s);
  free(s);
  row++;
  if (e->findings.n) {
    sh_buf b = {0};
    size_t shown = e->findings.n > 12 ? 12 : e->findings.n;
    for (size_t k = 0; k < shown; k++) {
      char *fs = sh_view_reason(ctx, e->findings.v[k]);
      sh_buf_printf(&b, "%s%s", k ? "\n" : "", fs);
      free(fs);
    }
    if (shown < e->findings.n)
      sh_buf_printf(&b, SH_T(ctx, "\n... and %zu more (see the report)"), e->findings.n - shown);
    CK(ws, worksheet_set_row(ws, row, LINE_PT * (double)text_lines(sh_buf_str(&b), 100) + 4, NULL));
    LINE(SH_T(ctx, "Findings"), sh_buf_str(&b));
    sh_buf_free(&b);
    row++;
  }
  const char *how = SH_T(ctx,
                         "On each framework's sheet fill in the yellow columns (status, planned date or reason, answer). "
                         "Status is one of: implemented, partly implemented, planned (give the date as YYYY-MM-DD), does not "
                         "apply (give the reason). The other columns are protected (no password). Then run shinsa "
                         "import answers FILE.xlsx --into PACKAGE-FOLDER.");
  CK(ws, worksheet_set_row(ws, row, LINE_PT * (double)text_lines(how, 100) + 4, NULL));
  LINE(SH_T(ctx, "How to fill in"), how);
#undef LINE
  protect(ws);
}

static char *detail_text(const sh_result *r) {
  const sh_answer *a = r->answer;
  if (!a) return sh_strdup("");
  if (a->status == SH_ANS_PLANNED) {
    char pd[11];
    sh_date_format(a->planned_by, pd);
    return sh_strdup(pd);
  }
  return sh_strdup(a->reason ? a->reason : "");
}

static int framework_sheet(const sh_report_ctx *ctx, lxw_workbook *wb, const formats *F, const sh_framework *fw,
                           const char *path, sh_diags *d) {
  const sh_evaluation *e = ctx->eval;
  bool applicant_view = sh_streq(ctx->view, "applicant");
  char name[32];
  sheet_name(fw->id, name);
  lxw_worksheet *ws = workbook_add_worksheet(wb, name);
  if (!ws) {
    sh_error(d, path, 0, 0, "cannot add a sheet for %s", fw->id);
    return -1;
  }
  char *title = sh_printf("%s (%s %s)", sh_text_pick(&fw->title, ctx->lang), fw->id, fw->version);
  page_setup(ctx, ws, title);
  free(title);
  worksheet_fit_to_pages(ws, 1, 0);
  CK(ws, worksheet_repeat_rows(ws, 0, 0));
  for (int c = 0; c < SH_CS__COUNT; c++) {
    lxw_row_col_options hide = {.hidden = c == SH_CS_KEY};
    CK(ws, worksheet_set_column_opt(ws, (lxw_col_t)c, (lxw_col_t)c, sh_cs_columns[c].width, NULL, &hide));
    put(ws, 0, (lxw_col_t)c, sh_cs_header((sh_cs_col)c, ctx->lang, applicant_view),
        sh_cs_columns[c].applicant ? F->head_applicant : F->head);
  }
  CK(ws, worksheet_set_row(ws, 0, 2 * LINE_PT + 4, NULL));
  worksheet_freeze_panes(ws, 1, 1);
  lxw_row_t r = 1;
  for (size_t i = 0; i < e->results.n; i++) {
    const sh_result *res = e->results.v[i];
    if (res->item->fw != fw) continue;
    const sh_item *it = res->item;
    char *cells[SH_CS__COUNT] = {
      [SH_CS_ITEM] = sh_strdup(it->id),
      [SH_CS_SECTION] = sh_view_section(ctx, it),
      [SH_CS_QUESTION] = sh_strdup(sh_text_pick(&it->text, ctx->lang)),
      [SH_CS_STRENGTH] = sh_strdup(sh_strength_label(it->strength, ctx->lang)),
      [SH_CS_STATUS] = sh_strdup(res->answer ? sh_answer_status_label(res->answer->status, ctx->lang) : ""),
      [SH_CS_DETAIL] = detail_text(res),
      [SH_CS_ANSWER] = sh_view_answer(ctx, res),
      [SH_CS_EVIDENCE] = sh_view_evidence(ctx, res),
      [SH_CS_VERDICT] = sh_strdup(sh_verdict_label(res->verdict, ctx->lang)),
      [SH_CS_REVIEWER] = sh_view_reviewers(ctx, res),
      [SH_CS_NOTES] = applicant_view ? sh_view_actions(ctx, res) : sh_view_reasons(ctx, res),
      [SH_CS_KEY] = sh_printf("%s:%s", fw->id, it->id),
    };
    int lines = 1;
    for (int c = 0; c < SH_CS__COUNT; c++) {
      put(ws, r, (lxw_col_t)c, cells[c], sh_cs_columns[c].applicant ? F->cell_applicant : F->cell);
      int n = c == SH_CS_KEY ? 1 : text_lines(cells[c], sh_cs_columns[c].width);
      if (n > lines) lines = n;
      free(cells[c]);
    }
    double h = LINE_PT * lines + 4;
    CK(ws, worksheet_set_row(ws, r, h > MAX_ROW_PT ? MAX_ROW_PT : h, NULL));
    r++;
  }
  lxw_row_t last = r > 1 ? r - 1 : 1;
  /* The status column offers the four statuses in the report language. */
  char *list[SH_ANS__COUNT + 1] = {0};
  for (int k = 0; k < SH_ANS__COUNT; k++) list[k] = (char *)sh_answer_status_label((sh_answer_status)k, ctx->lang);
  lxw_data_validation dv = {0};
  dv.validate = LXW_VALIDATION_TYPE_LIST;
  dv.value_list = list;
  dv.ignore_blank = LXW_VALIDATION_ON;
  dv.input_title = (char *)SH_T(ctx, "Status");
  dv.input_message = (char *)SH_T(ctx, "Choose from the list");
  CK(ws, worksheet_data_validation_range(ws, 1, SH_CS_STATUS, last, SH_CS_STATUS, &dv));
  CK(ws, worksheet_autofilter(ws, 0, 0, last, SH_CS_NOTES));
  /* Printed: the columns up to the reviewer's decision (reasons/actions and the key stay on screen). */
  CK(ws, worksheet_print_area(ws, 0, 0, last, SH_CS_REVIEWER));
  protect(ws);
  return 0;
}

static int build(const sh_report_ctx *ctx, const char *path, sh_diags *d) {
  const sh_evaluation *e = ctx->eval;
  const sh_evidence *ev = e->evidence;
  lxw_workbook_options opt = {.constant_memory = LXW_FALSE, .tmpdir = NULL, .use_zip64 = LXW_FALSE};
  lxw_workbook *wb = workbook_new_opt(path, &opt);
  if (!wb) {
    sh_error_io(d, path, 0, 0, "cannot create the workbook");
    return -1;
  }
  /* A fixed creation time (the assessment date) keeps the output reproducible. */
  char title[256];
  snprintf(title, sizeof title, "%s", SH_T(ctx, "Checksheet"));
  lxw_doc_properties props = {0};
  props.title = title;
  props.author = "shinsa";
  props.created = (time_t)ev->assessment_date * 86400;
  xw.err = LXW_NO_ERROR;
  xw.where[0] = 0;
  xw_ctx = ctx;
  CK(NULL, workbook_set_properties(wb, &props));
  formats F;
  make_formats(wb, &F);
  cover(ctx, wb, &F);
  for (size_t f = 0; f < e->frameworks.n; f++)
    if (framework_sheet(ctx, wb, &F, e->frameworks.v[f], path, d) != 0) {
      workbook_close(wb);
      return -1;
    }
  lxw_error err = workbook_close(wb);
  if (xw.err != LXW_NO_ERROR) {
    sh_error_io(d, path, 0, 0, "cannot write %s of the workbook: %s", xw.where, lxw_strerror(xw.err));
    return -1;
  }
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
