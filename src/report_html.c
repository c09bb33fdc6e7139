/* report_html: the HTML reports (auditor and applicant views), one self-contained page each, built by an
 * escape-by-construction writer (report_html.h, also used by the ethics view in report_views.c): markup comes
 * only from string literals (tags, attribute names, class names), and every text from evidence, frameworks,
 * reviewers or the data folder enters through sh_h_text (sh_html_escape) or, for the print header inside the
 * stylesheet, css_string (every character outside letters and digits as a CSS escape).
 * Layout: a first page (applicant, frameworks and versions, assessment date, result; counts per verdict as a table
 * and an inline SVG bar chart per framework; the open items as a linked table: for the applicant the gap list
 * with what to do), the item table (auditor: id, section, question, strength, verdict badge with its word, short
 * reason; each row links to the item's details), the details of every item (auditor) or open item (applicant):
 * facts by label with provenance, documents with title, hash and validity, the applicant's answer, reviewer
 * decisions, waiver, source cited by document title and place from rules/sources.yaml (the file name in a note),
 * and the documents. Print: A4, a running header (applicant, framework, date) and page numbers in @page margin
 * boxes, no item split across pages. Readable without scripts (there are none). */
#include "report_html.h"
#include "sources.h"
#include "report_views.h"
#include "report_cells.h"

#include "answers.h"
#include "review.h"
#include "yamldoc.h"

#include <stdlib.h>
#include <string.h>

/* ---------- the writer (report_html.h) ---------- */

void sh_h_text(sh_buf *b, const char *s) { sh_html_escape(b, s); }

void sh_h_open(sh_buf *b, const char *tag, const char *cls) {
  if (cls) sh_buf_printf(b, "<%s class=\"%s\">", tag, cls);
  else sh_buf_printf(b, "<%s>", tag);
}
void sh_h_close(sh_buf *b, const char *tag) { sh_buf_printf(b, "</%s>", tag); }
void sh_h_elem(sh_buf *b, const char *tag, const char *cls, const char *text) {
  sh_h_open(b, tag, cls);
  sh_h_text(b, text);
  sh_h_close(b, tag);
}
void sh_h_table_head(sh_buf *b, const char *cls, const char *const *cols, size_t n) {
  sh_h_open(b, "table", cls);
  sh_buf_puts(b, "<thead><tr>");
  for (size_t k = 0; k < n; k++) sh_h_elem(b, "th", NULL, cols[k]);
  sh_buf_puts(b, "</tr></thead><tbody>\n");
}

/* Multi-line text as lines separated by <br>; with split, each further line also starts a new source line
 * (a line of run-specific text, such as the quorum, then stands alone: tests compare check and report by line). */
static void h_lines_x(sh_buf *b, const char *text, bool split) {
  const char *p = text;
  while (p && *p) {
    const char *q = strchr(p, '\n');
    char *line = q ? sh_strndup(p, (size_t)(q - p)) : sh_strdup(p);
    sh_h_text(b, line);
    free(line);
    if (!q) break;
    sh_buf_puts(b, split ? "\n<br>" : "<br>");
    p = q + 1;
  }
}
void sh_h_lines(sh_buf *b, const char *text) { h_lines_x(b, text, true); }

/* An id or fragment made of the characters [A-Za-z0-9_.-] only (others as '_'): "item-FW-ID". */
static void h_anchor(sh_buf *b, const sh_item *it) {
  sh_buf_puts(b, "item-");
  for (const char *p = it->fw->id; *p; p++) sh_buf_putc(b, strchr("-_.", *p) || (*p >= '0' && *p <= '9') || ((*p | 32) >= 'a' && (*p | 32) <= 'z') ? *p : '_');
  sh_buf_puts(b, "--");
  for (const unsigned char *p = (const unsigned char *)it->id; *p; p++) {
    if (strchr("-_.", *p) || (*p >= '0' && *p <= '9') || ((*p | 32) >= 'a' && (*p | 32) <= 'z')) sh_buf_putc(b, (char)*p);
    else sh_buf_printf(b, "_%02x", *p);
  }
}
static void h_link(sh_buf *b, const sh_item *it, const char *text) {
  sh_buf_puts(b, "<a href=\"#");
  h_anchor(b, it);
  sh_buf_puts(b, "\">");
  sh_h_text(b, text);
  sh_buf_puts(b, "</a>");
}
/* A CSS string literal: letters, digits and non-ASCII as themselves, everything else as a hex escape. */
static void css_string(sh_buf *b, const char *s) {
  sh_buf_putc(b, '"');
  for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
    if (*p >= 0x80 || (*p >= '0' && *p <= '9') || ((*p | 32) >= 'a' && (*p | 32) <= 'z')) sh_buf_putc(b, (char)*p);
    else sh_buf_printf(b, "\\%x ", *p);
  }
  sh_buf_putc(b, '"');
}

/* ---------- verdicts ---------- */

static const sh_verdict order[] = {SH_V_SATISFIED, SH_V_COVERED, SH_V_NOT_SATISFIED,
                                   SH_V_NEEDS_REVIEW, SH_V_UNKNOWN, SH_V_NOT_APPLICABLE};
static const char *vcolor(sh_verdict v) {
  switch (v) {
  case SH_V_SATISFIED: return "#1b6e3a";
  case SH_V_COVERED: return "#2f7d8c";
  case SH_V_NOT_SATISFIED: return "#a11d1d";
  case SH_V_NEEDS_REVIEW: return "#a15c00";
  case SH_V_UNKNOWN: return "#6b4fa0";
  default: return "#6b7480";
  }
}
/* The badge: colour and the verdict's word (never colour alone). */
void sh_h_badge(const sh_report_ctx *ctx, sh_buf *b, sh_verdict v) {
  sh_buf_printf(b, "<span class=\"badge v-%s\">", sh_verdict_name(v));
  sh_h_text(b, sh_verdict_label(v, ctx->lang));
  sh_buf_puts(b, "</span>");
}

/* ---------- sources: cited by title (rules/sources.yaml, sources.h) ---------- */

static void source_cite(const sh_report_ctx *ctx, sh_buf *b, const sh_sources *s, const sh_item *it) {
  const char *title = sh_sources_field(s, it->source.document, "title");
  sh_h_open(b, "span", "src");
  sh_buf_puts(b, "「");
  sh_h_text(b, title ? title : it->source.document);
  sh_buf_puts(b, "」");
  if (it->source.lines) {
    sh_buf_putc(b, ' ');
    sh_h_text(b, SH_T(ctx, "lines"));
    sh_buf_putc(b, ' ');
    sh_h_text(b, it->source.lines);
  }
  if (it->source.row > 0) {
    char row[64];
    snprintf(row, sizeof row, SH_T(ctx, " row %d"), it->source.row);
    if (it->source.sheet) {
      sh_buf_putc(b, ' ');
      sh_h_text(b, it->source.sheet);
    }
    sh_h_text(b, row);
  }
  sh_buf_puts(b, " (");
  sh_h_text(b, sh_form_label(it->source.form, ctx->lang));
  sh_buf_puts(b, ")");
  sh_h_close(b, "span");
  if (title) {
    sh_h_open(b, "span", "note");
    sh_h_text(b, SH_T(ctx, " file: "));
    sh_h_text(b, it->source.document);
    sh_h_close(b, "span");
  }
}

/* ---------- parts ---------- */

static bool is_open(const sh_report_ctx *ctx, const sh_result *r) {
  if (sh_view_is_gap(r)) return true;
  const sh_item_review *ir = sh_review_for(ctx->reviews, ctx->eval, r);
  return ir && (ir->waiver || ir->stale);
}

static char *short_reason(const sh_report_ctx *ctx, const sh_result *r) {
  if (r->reasons.n) return sh_view_reason(ctx, r->reasons.v[0]);
  return sh_strdup("");
}

static void chart(const sh_report_ctx *ctx, sh_buf *b, const size_t counts[SH_V__COUNT], const char *fwid) {
  size_t max = 1;
  for (size_t i = 0; i < sizeof order / sizeof order[0]; i++)
    if (counts[order[i]] > max) max = counts[order[i]];
  int rowh = 22, labelw = 150, barw = 240, n = (int)(sizeof order / sizeof order[0]);
  sh_buf_printf(b, "<svg class=\"chart\" role=\"img\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                   "viewBox=\"0 0 %d %d\"><title>", labelw + barw + 50, rowh * n + 4, labelw + barw + 50, rowh * n + 4);
  sh_h_text(b, SH_T(ctx, "Items per verdict"));
  sh_buf_puts(b, " ");
  sh_h_text(b, fwid);
  sh_buf_puts(b, "</title>");
  for (int i = 0; i < n; i++) {
    sh_verdict v = order[i];
    int w = (int)((double)counts[v] * barw / (double)max + 0.5);
    int y = i * rowh + 2;
    sh_buf_printf(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" font-size=\"12\">", labelw - 6, y + 15);
    sh_h_text(b, sh_verdict_label(v, ctx->lang));
    sh_buf_printf(b, "</text><rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"/>", labelw, y + 3, w, rowh - 6, vcolor(v));
    sh_buf_printf(b, "<text x=\"%d\" y=\"%d\" font-size=\"12\">%zu</text>", labelw + w + 5, y + 15, counts[v]);
  }
  sh_buf_puts(b, "</svg>");
}

/* The item tables' columns: id, [section, question,] strength, verdict, and last the short reason (auditor) or
 * what to do (applicant). */
typedef enum { COLS_OPEN, COLS_ALL, COLS_GAPS } cols;

static void item_row(const sh_report_ctx *ctx, sh_buf *b, const sh_result *r, cols c) {
  bool with_section = c != COLS_OPEN;
  const sh_item *it = r->item;
  sh_h_open(b, "tr", NULL);
  sh_h_open(b, "td", "id");
  h_link(b, it, it->id);
  sh_h_close(b, "td");
  if (with_section) {
    char *sec = sh_view_section(ctx, it);
    sh_h_elem(b, "td", "sec", sec);
    free(sec);
    sh_h_elem(b, "td", "q", sh_text_pick(&it->text, ctx->lang));
  }
  sh_h_elem(b, "td", "st", sh_strength_label(it->strength, ctx->lang));
  sh_h_open(b, "td", NULL);
  sh_h_badge(ctx, b, r->verdict);
  const sh_item_review *ir = sh_review_for(ctx->reviews, ctx->eval, r);
  if (ir && ir->waiver) {
    sh_buf_puts(b, " <span class=\"badge waiver\">");
    sh_h_text(b, SH_T(ctx, "waiver"));
    sh_buf_puts(b, ": ");
    sh_h_text(b, sh_view_waiver_state(ctx, ir->waiver_state));
    sh_buf_puts(b, "</span>");
  }
  if (ir && ir->stale) {
    sh_buf_puts(b, " <span class=\"badge waiver\">");
    sh_h_text(b, SH_T(ctx, "stale decision"));
    sh_buf_puts(b, "</span>");
  }
  sh_h_close(b, "td");
  char *why = c == COLS_GAPS ? sh_view_actions(ctx, r) : short_reason(ctx, r);
  sh_h_open(b, "td", "why");
  h_lines_x(b, why, false);
  sh_h_close(b, "td");
  free(why);
  sh_h_close(b, "tr");
  sh_buf_putc(b, '\n');
}

static void dl_row(sh_buf *b, const char *term, const char *text) {
  sh_h_elem(b, "dt", NULL, term);
  sh_h_elem(b, "dd", NULL, text);
  sh_buf_putc(b, '\n');
}


static void doc_cell(const sh_report_ctx *ctx, sh_buf *b, const sh_document *dc) {
  sh_h_text(b, dc->title ? dc->title : dc->path);
  sh_buf_puts(b, " <code>");
  sh_h_text(b, dc->sha256_actual[0] ? dc->sha256_actual : dc->sha256_declared);
  sh_buf_puts(b, "</code> ");
  sh_h_text(b, sh_doc_status_label(dc->status, ctx->lang));
  if (dc->has_valid_until) {
    char vd[11];
    sh_date_format(dc->valid_until, vd);
    sh_buf_puts(b, " (");
    sh_h_text(b, SH_T(ctx, "valid until "));
    sh_h_text(b, vd);
    sh_buf_puts(b, ")");
  }
  sh_h_open(b, "span", "note");
  sh_buf_puts(b, " ");
  sh_h_text(b, dc->path);
  sh_h_close(b, "span");
}

/* The details of an item, the target of its row's link; with actions (applicant) what would satisfy it. */
static void item_details(const sh_report_ctx *ctx, sh_buf *b, const sh_sources *src, const sh_result *r, bool actions) {
  const sh_evidence *ev = ctx->eval->evidence;
  const sh_item *it = r->item;
  sh_buf_puts(b, "<article class=\"item\" id=\"");
  h_anchor(b, it);
  sh_buf_puts(b, "\">");
  sh_h_open(b, "h3", NULL);
  sh_h_text(b, it->fw->id);
  sh_buf_puts(b, " ");
  sh_h_text(b, it->id);
  sh_buf_puts(b, " ");
  sh_h_badge(ctx, b, r->verdict);
  sh_h_close(b, "h3");
  sh_h_elem(b, "p", "q", sh_text_pick(&it->text, ctx->lang));
  sh_h_open(b, "dl", NULL);
  dl_row(b, SH_T(ctx, "Strength"), sh_strength_label(it->strength, ctx->lang));
  if (it->applies_if_text) dl_row(b, SH_T(ctx, "Applies if"), it->applies_if_text);
  if (it->require_text) dl_row(b, SH_T(ctx, "Requirement"), it->require_text);
  for (size_t k = 0; k < it->evidence_needed.n; k++)
    dl_row(b, SH_T(ctx, "Evidence a reviewer examines"), sh_text_pick(it->evidence_needed.v[k], ctx->lang));
  if (r->reasons.n) {
    char *s = sh_view_reasons(ctx, r);
    sh_h_elem(b, "dt", NULL, SH_T(ctx, "Reasons"));
    sh_h_open(b, "dd", NULL);
    sh_h_lines(b, s);
    sh_buf_putc(b, '\n');
    sh_h_close(b, "dd");
    sh_buf_putc(b, '\n');
    free(s);
  }
  if (actions && sh_view_is_gap(r)) {
    char *s = sh_view_actions(ctx, r);
    if (*s) {
      sh_h_elem(b, "dt", NULL, SH_T(ctx, "What to do"));
      sh_h_open(b, "dd", NULL);
      sh_h_lines(b, s);
      sh_h_close(b, "dd");
      sh_buf_putc(b, '\n');
    }
    free(s);
  }
  if (r->answer || it->manual) {
    char *st = sh_view_status(ctx, r), *tx = sh_view_answer(ctx, r), *refs = sh_view_refs(ctx, r);
    sh_h_elem(b, "dt", NULL, SH_T(ctx, "Applicant's answer"));
    sh_h_open(b, "dd", NULL);
    sh_h_text(b, st);
    if (*tx) {
      sh_buf_puts(b, " — ");
      sh_h_text(b, tx);
    }
    if (*refs) {
      sh_buf_puts(b, "\n<br>");
      sh_h_lines(b, refs);
    }
    sh_buf_putc(b, '\n');
    sh_h_close(b, "dd");
    sh_buf_putc(b, '\n');
    free(st), free(tx), free(refs);
  }
  const sh_item_review *ir = sh_review_for(ctx->reviews, ctx->eval, r);
  if (ir && (ir->reviews.n || ir->waiver || ir->recorded == SH_V_NEEDS_REVIEW)) {
    char *s = sh_view_reviewers(ctx, r);
    /* one line: only a recorded run has it */
    sh_h_elem(b, "dt", NULL, SH_T(ctx, "Reviewer decisions and waiver"));
    sh_h_open(b, "dd", NULL);
    h_lines_x(b, s, false);
    sh_h_close(b, "dd");
    sh_buf_putc(b, '\n');
    free(s);
  }
  sh_h_elem(b, "dt", NULL, SH_T(ctx, "Source"));
  sh_h_open(b, "dd", NULL);
  source_cite(ctx, b, src, it);
  sh_h_close(b, "dd");
  sh_h_close(b, "dl");
  if (r->facts_used.n) {
    sh_buf_puts(b, "<table class=\"facts\"><thead><tr>");
    sh_h_elem(b, "th", NULL, SH_T(ctx, "Fact"));
    sh_h_elem(b, "th", NULL, SH_T(ctx, "Value"));
    sh_h_elem(b, "th", NULL, SH_T(ctx, "Provenance"));
    sh_h_elem(b, "th", NULL, SH_T(ctx, "Documents"));
    sh_buf_puts(b, "</tr></thead><tbody>");
    for (size_t k = 0; k < r->facts_used.n; k++) {
      const sh_fact *f = r->facts_used.v[k];
      const sh_fact_value *fv = sh_evidence_get(ev, f);
      sh_h_open(b, "tr", NULL);
      sh_h_open(b, "td", NULL);
      sh_h_text(b, sh_view_fact_label(ctx, f));
      sh_buf_puts(b, "<br><code>");
      sh_h_text(b, f->id);
      sh_buf_puts(b, "</code>");
      sh_h_close(b, "td");
      char *v = fv ? sh_value_format(f, &fv->value) : NULL;
      sh_h_elem(b, "td", NULL, v ? v : SH_T(ctx, "(no value)"));
      free(v);
      sh_h_elem(b, "td", "prov", fv ? sh_prov_label(fv->prov, ctx->lang) : "");
      sh_h_open(b, "td", NULL);
      for (size_t m = 0; fv && m < fv->documents.n; m++) {
        if (m) sh_buf_puts(b, "<br>");
        doc_cell(ctx, b, fv->documents.v[m]);
      }
      sh_h_close(b, "td");
      sh_h_close(b, "tr");
    }
    sh_buf_puts(b, "</tbody></table>");
  }
  sh_buf_puts(b, "</article>\n");
}


static void table_head(const sh_report_ctx *ctx, sh_buf *b, cols c) {
  const char *cs[6];
  size_t n = 0;
  cs[n++] = SH_T(ctx, "Item");
  if (c != COLS_OPEN) {
    cs[n++] = SH_T(ctx, "Section");
    cs[n++] = SH_T(ctx, "Question");
  }
  cs[n++] = SH_T(ctx, "Strength");
  cs[n++] = SH_T(ctx, "Verdict");
  cs[n++] = c == COLS_GAPS ? SH_T(ctx, "What to do") : SH_T(ctx, "Short reason");
  sh_h_table_head(b, c == COLS_GAPS ? "items gaps" : "items", cs, n);
}

/* A table of the results keep() selects (nothing but "(none)" when there is none). */
static void item_table(const sh_report_ctx *ctx, sh_buf *b, cols c, const sh_framework *fw,
                       bool (*keep)(const sh_report_ctx *, const sh_result *)) {
  const sh_evaluation *e = ctx->eval;
  size_t n = 0;
  for (size_t i = 0; i < e->results.n; i++) {
    const sh_result *r = e->results.v[i];
    if ((fw && r->item->fw != fw) || (keep && !keep(ctx, r))) continue;
    if (!n++) table_head(ctx, b, c);
    item_row(ctx, b, r, c);
  }
  if (n) sh_buf_puts(b, "</tbody></table>\n");
  else sh_h_elem(b, "p", NULL, SH_T(ctx, "(none)"));
}

/* The page's type when reports/report.css cannot be read. */
static const char fallback_css[] =
  "body{font-family:'Noto Sans CJK JP','Hiragino Kaku Gothic ProN','Yu Gothic',Meiryo,sans-serif;"
  "max-width:60em;margin:2em auto;padding:0 1em;line-height:1.6;color:#222}@page{size:A4;margin:18mm}\n";

static const char print_css[] =
  ".badge{display:inline-block;padding:0 .45em;border-radius:.6em;color:#fff;font-size:.85em;white-space:nowrap}"
  ".v-satisfied{background:#1b6e3a}.v-covered_by_certification{background:#2f7d8c}.v-not_satisfied{background:#a11d1d}"
  ".v-needs_review{background:#a15c00}.v-unknown{background:#6b4fa0}.v-not_applicable{background:#6b7480}"
  ".badge.waiver{background:#fff;color:#a15c00;border:1px solid #a15c00}"
  "table{border-collapse:collapse;width:100%;margin:.6em 0}th,td{border:1px solid #d5dbe3;padding:.2em .4em;"
  "vertical-align:top;text-align:left}th{background:#f1f4f8}td.id{white-space:nowrap}"
  "table.counts{width:auto}.note{color:#5b6673;font-size:.85em}dl{margin:.3em 0}dt{font-weight:bold}"
  "dd{margin:0 0 .3em 1.2em}.first-page{break-after:page}.chart{display:block;margin:.4em 0}"
  "article.item{break-inside:avoid;page-break-inside:avoid;border-top:1px solid #d5dbe3;padding-top:.3em}"
  "tr{break-inside:avoid;page-break-inside:avoid}thead{display:table-header-group}"
  ".result-ok{color:#1b6e3a;font-weight:bold}.result-ng{color:#a11d1d;font-weight:bold}"
  ".fwsum{display:flex;gap:1.5em;align-items:flex-start;flex-wrap:wrap;break-inside:avoid;page-break-inside:avoid}"
  "td.prov{white-space:nowrap}dl.head{display:grid;grid-template-columns:max-content 1fr;gap:0 1em}"
  "dl.head dd{margin:0}td.st{white-space:nowrap}td.sec{min-width:6em}table.gaps td.why{width:30%}"
  "table.facts td:first-child{width:32%}table.facts code,span.note{overflow-wrap:anywhere;word-break:break-all}"
  "@media print{html{font-size:9.5pt}table{font-size:.92em}h3{margin-top:.6em}}";

void sh_html_page_begin(sh_buf *b, const char *lang, const char *title, const char *data_dir, const char *header) {
  sh_buf_printf(b, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n", sh_lang_en(lang) ? "en" : "ja");
  sh_buf_puts(b, "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
  sh_h_text(b, title);
  sh_buf_puts(b, "</title>\n<style>\n");
  char *css = NULL;
  size_t len;
  char *p = data_dir ? sh_path_join(data_dir, "reports/report.css") : NULL;
  if (p && sh_read_file(p, 1u << 20, &css, &len) == 0) sh_buf_puts(b, css);
  else sh_buf_puts(b, fallback_css); /* no data folder (crosswalk) or no reports/report.css in it */
  free(css);
  free(p);
  sh_buf_puts(b, print_css);
  /* The running header and page numbers (CSS paged media margin boxes; Chromium prints them). */
  sh_buf_puts(b, "\n@page{@top-left{content:");
  css_string(b, header);
  sh_buf_puts(b, ";font-size:8pt;color:#5b6673}@bottom-center{content:");
  css_string(b, sh_tr(lang, "page "));
  sh_buf_puts(b, " counter(page) \" / \" counter(pages);font-size:8pt;color:#5b6673}}\n</style>\n</head>\n<body>\n<main>\n");
}

void sh_html_page_end(sh_buf *b) { sh_buf_puts(b, "</main>\n</body>\n</html>\n"); }

void sh_html_begin(const sh_report_ctx *ctx, sh_buf *b) {
  const sh_evaluation *e = ctx->eval;
  char ad[11];
  sh_date_format(e->evidence->assessment_date, ad);
  const char *applicant = sh_report_applicant(ctx);
  sh_buf hdr = {0};
  sh_buf_printf(&hdr, "%s — ", applicant);
  for (size_t i = 0; i < e->frameworks.n; i++) {
    const sh_framework *fw = e->frameworks.v[i];
    sh_buf_printf(&hdr, "%s%s %s", i ? ", " : "", fw->id, fw->version);
  }
  sh_buf_printf(&hdr, " — %s", ad);
  char *title = sh_printf("%s — %s", ctx->title, applicant);
  sh_html_page_begin(b, ctx->lang, title, ctx->data_dir, sh_buf_str(&hdr));
  free(title);
  sh_buf_free(&hdr);
}

void sh_html_head(const sh_report_ctx *ctx, sh_buf *b, bool result, const char *term, const char *text) {
  const sh_evaluation *e = ctx->eval;
  char ad[11];
  sh_date_format(e->evidence->assessment_date, ad);
  sh_h_elem(b, "h1", NULL, ctx->title);
  sh_h_open(b, "dl", "head");
  dl_row(b, SH_T(ctx, "Applicant"), sh_report_applicant(ctx));
  for (size_t i = 0; i < e->frameworks.n; i++) {
    const sh_framework *fw = e->frameworks.v[i];
    char *s = sh_printf("%s (%s %s, %zu %s)", sh_text_pick(&fw->title, ctx->lang), fw->id, fw->version, fw->items.n,
                        SH_T(ctx, "items"));
    dl_row(b, SH_T(ctx, "Framework"), s);
    free(s);
  }
  dl_row(b, SH_T(ctx, "Assessment date"), ad);
  if (ctx->run_id > 0) {
    char run[32];
    snprintf(run, sizeof run, "%lld", (long long)ctx->run_id);
    dl_row(b, SH_T(ctx, "Run"), run);
  }
  if (ctx->reviews) dl_row(b, SH_T(ctx, "Reviews and waivers as of"), ctx->reviews->as_of);
  if (result) {
    sh_h_elem(b, "dt", NULL, SH_T(ctx, "Result"));
    char *res = e->must_failing
                  ? sh_printf(SH_T(ctx, "%zu must items not met"), e->must_failing)
                  : sh_strdup(SH_T(ctx, "every applicable must item satisfied"));
    sh_h_elem(b, "dd", e->must_failing ? "result-ng" : "result-ok", res);
    sh_buf_putc(b, '\n');
    free(res);
  }
  if (term) dl_row(b, term, text);
  sh_h_close(b, "dl");
}

void sh_html_end(const sh_report_ctx *ctx, sh_buf *b) {
  sh_h_elem(b, "p", "note", SH_T(ctx,
                                 "English item texts are translations; the Japanese text is authoritative."));
  sh_html_page_end(b);
}

/* Per framework, the counts per verdict as a table and as a chart; then the package's findings. */
static void summary(const sh_report_ctx *ctx, sh_buf *b, const char *findings_heading) {
  const sh_evaluation *e = ctx->eval;
  for (size_t f = 0; f < e->frameworks.n; f++) {
    const sh_framework *fw = e->frameworks.v[f];
    size_t counts[SH_V__COUNT] = {0};
    for (size_t i = 0; i < e->results.n; i++) {
      const sh_result *r = e->results.v[i];
      if (r->item->fw == fw) counts[r->verdict]++;
    }
    sh_h_elem(b, "h2", NULL, sh_text_pick(&fw->title, ctx->lang));
    sh_buf_puts(b, "<div class=\"fwsum\">");
    const char *cs[] = {SH_T(ctx, "Verdict"), SH_T(ctx, "Items")};
    sh_h_table_head(b, "counts", cs, 2);
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
      sh_h_open(b, "tr", NULL);
      sh_h_open(b, "td", NULL);
      sh_h_badge(ctx, b, order[i]);
      sh_h_close(b, "td");
      sh_buf_printf(b, "<td class=\"n\">%zu</td>", counts[order[i]]);
      sh_h_close(b, "tr");
    }
    sh_buf_puts(b, "</tbody></table>\n");
    chart(ctx, b, counts, fw->id);
    sh_buf_puts(b, "</div>\n");
  }
  if (e->findings.n) {
    sh_h_elem(b, "h2", NULL, findings_heading);
    sh_h_open(b, "ul", NULL);
    for (size_t i = 0; i < e->findings.n; i++) {
      char *s = sh_view_reason(ctx, e->findings.v[i]);
      sh_h_elem(b, "li", NULL, s);
      free(s);
    }
    sh_h_close(b, "ul");
  }
}

static void documents(const sh_report_ctx *ctx, sh_buf *b) {
  const sh_evidence *ev = ctx->eval->evidence;
  if (!ev->documents.n) return;
  sh_buf_puts(b, "<section id=\"documents\">");
  sh_h_elem(b, "h2", NULL, SH_T(ctx, "Documents"));
  sh_h_open(b, "ul", NULL);
  for (size_t i = 0; i < ev->documents.n; i++) {
    sh_h_open(b, "li", NULL);
    doc_cell(ctx, b, ev->documents.v[i]);
    sh_h_close(b, "li");
  }
  sh_h_close(b, "ul");
  sh_buf_puts(b, "</section>\n");
}

/* ---------- the auditor view ---------- */

int sh_auditor_html(const sh_report_ctx *ctx, sh_buf *b, sh_diags *d) {
  const sh_evaluation *e = ctx->eval;
  sh_sources *src = sh_sources_load(ctx->data_dir);
  sh_html_begin(ctx, b);
  sh_buf_puts(b, "<section class=\"first-page\" id=\"summary\">");
  sh_html_head(ctx, b, true, NULL, NULL);
  summary(ctx, b, SH_T(ctx, "Findings"));
  sh_h_elem(b, "h2", NULL, SH_T(ctx, "Open items (not satisfied, unknown, awaiting review, waived, stale)"));
  item_table(ctx, b, COLS_OPEN, NULL, is_open);
  sh_buf_puts(b, "</section>\n");
  sh_buf_puts(b, "<section id=\"items\">");
  for (size_t f = 0; f < e->frameworks.n; f++) {
    const sh_framework *fw = e->frameworks.v[f];
    char *h = sh_printf("%s — %s", sh_text_pick(&fw->title, ctx->lang), SH_T(ctx, "item list"));
    sh_h_elem(b, "h2", NULL, h);
    free(h);
    item_table(ctx, b, COLS_ALL, fw, NULL);
  }
  sh_buf_puts(b, "</section>\n<section id=\"details\">");
  sh_h_elem(b, "h2", NULL, SH_T(ctx, "Item details"));
  for (size_t i = 0; i < e->results.n; i++) item_details(ctx, b, src, e->results.v[i], false);
  sh_buf_puts(b, "</section>\n");
  documents(ctx, b);
  sh_html_end(ctx, b);
  sh_sources_free(src);
  return 0;
}

/* ---------- the applicant view: the gap list ---------- */

int sh_applicant_html(const sh_report_ctx *ctx, sh_buf *b, sh_diags *d) {
  const sh_evaluation *e = ctx->eval;
  sh_sources *src = sh_sources_load(ctx->data_dir);
  sh_html_begin(ctx, b);
  size_t by_strength[3] = {0}, total = 0;
  for (size_t i = 0; i < e->results.n; i++) {
    const sh_result *r = e->results.v[i];
    if (!is_open(ctx, r)) continue;
    total++;
    by_strength[r->item->strength]++;
  }
  char *s = sh_printf("%zu (%s %zu, %s %zu, %s %zu)", total, sh_strength_label(SH_STRENGTH_MUST, ctx->lang),
                      by_strength[SH_STRENGTH_MUST], sh_strength_label(SH_STRENGTH_SHOULD, ctx->lang),
                      by_strength[SH_STRENGTH_SHOULD], sh_strength_label(SH_STRENGTH_EFFORT, ctx->lang),
                      by_strength[SH_STRENGTH_EFFORT]);
  sh_buf_puts(b, "<section class=\"first-page\" id=\"summary\">");
  sh_html_head(ctx, b, true, SH_T(ctx, "Items in the gap list"), s);
  free(s);
  summary(ctx, b, SH_T(ctx, "Findings on the evidence package"));
  sh_buf_puts(b, "<div id=\"gaps\">");
  sh_h_elem(b, "h2", NULL, SH_T(ctx, "Gap list (not satisfied, unknown, awaiting review, waived, stale)"));
  if (total) item_table(ctx, b, COLS_GAPS, NULL, is_open);
  else sh_h_elem(b, "p", NULL, SH_T(ctx, "Every applicable item is satisfied."));
  sh_buf_puts(b, "</div></section>\n");
  if (total) {
    sh_buf_puts(b, "<section id=\"details\">");
    sh_h_elem(b, "h2", NULL, SH_T(ctx, "Item details"));
    for (size_t i = 0; i < e->results.n; i++)
      if (is_open(ctx, e->results.v[i])) item_details(ctx, b, src, e->results.v[i], true);
    sh_buf_puts(b, "</section>\n");
  }
  documents(ctx, b);
  sh_html_end(ctx, b);
  sh_sources_free(src);
  return 0;
}
