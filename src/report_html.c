/* report_html: the auditor view as one self-contained HTML page, built by an escape-by-construction writer:
 * markup comes only from string literals in this file (tags, attribute names, class names), and every text from
 * evidence, frameworks, reviewers or the data folder enters through h_text / h_attr (sh_html_escape) or, for the
 * print header inside the stylesheet, css_string (every character outside letters and digits as a CSS escape).
 * Layout: a first page (applicant, frameworks and versions, assessment date, result; counts per verdict as a table
 * and an inline SVG bar chart per framework; the open items as a linked table), the item table (id, section,
 * question, strength, verdict badge with its word, short reason; each row links to the item's details), the
 * details of every item (facts by label with provenance, documents with title, hash and validity, the applicant's
 * answer, reviewer decisions, waiver, source cited by document title and place from rules/sources.yaml), and the
 * documents. Print: A4, a running header (applicant, framework, date) and page numbers in @page margin boxes,
 * no item split across pages. Readable without scripts (there are none). */
#include "report_views.h"
#include "report_cells.h"

#include "answers.h"
#include "review.h"
#include "yamldoc.h"

#include <stdlib.h>
#include <string.h>

/* ---------- the writer ---------- */

static void h_text(sh_buf *b, const char *s) { sh_html_escape(b, s); }

/* <tag> or <tag class="cls"> (tag and cls are literals). */
static void h_open(sh_buf *b, const char *tag, const char *cls) {
  if (cls) sh_buf_printf(b, "<%s class=\"%s\">", tag, cls);
  else sh_buf_printf(b, "<%s>", tag);
}
static void h_close(sh_buf *b, const char *tag) { sh_buf_printf(b, "</%s>", tag); }
static void h_elem(sh_buf *b, const char *tag, const char *cls, const char *text) {
  h_open(b, tag, cls);
  h_text(b, text);
  h_close(b, tag);
}
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
  h_text(b, text);
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
static void badge(const sh_report_ctx *ctx, sh_buf *b, sh_verdict v) {
  sh_buf_printf(b, "<span class=\"badge v-%s\">", sh_verdict_name(v));
  h_text(b, sh_verdict_label(v, ctx->lang));
  sh_buf_puts(b, "</span>");
}

/* ---------- sources: seed file names to titles (rules/sources.yaml) ---------- */

typedef struct {
  sh_ydoc *doc;
  const sh_ynode *map;
} sources;

static void sources_load(const sh_report_ctx *ctx, sources *s) {
  s->doc = NULL;
  s->map = NULL;
  if (!ctx->data_dir) return;
  char *p = sh_path_join(ctx->data_dir, "rules/sources.yaml");
  sh_diags d = {0};
  s->doc = sh_ydoc_load_file(p, &d); /* absent or invalid: sources are cited by file name */
  sh_diags_free(&d);
  free(p);
  if (s->doc) s->map = sh_ymap_get(s->doc->root, "sources");
}

static const char *source_field(const sources *s, const char *file, const char *key) {
  const sh_ynode *e = s->map && file ? sh_ymap_get(s->map, file) : NULL;
  const sh_ynode *v = e ? sh_ymap_get(e, key) : NULL;
  return v && v->kind == SH_Y_SCALAR ? v->str : NULL;
}

static void source_cite(const sh_report_ctx *ctx, sh_buf *b, const sources *s, const sh_item *it) {
  const char *title = source_field(s, it->source.document, "title");
  h_open(b, "span", "src");
  sh_buf_puts(b, "「");
  h_text(b, title ? title : it->source.document);
  sh_buf_puts(b, "」");
  if (it->source.lines) {
    sh_buf_putc(b, ' ');
    h_text(b, SH_T(ctx, "lines"));
    sh_buf_putc(b, ' ');
    h_text(b, it->source.lines);
  }
  if (it->source.row > 0) {
    char row[64];
    snprintf(row, sizeof row, SH_T(ctx, " row %d"), it->source.row);
    if (it->source.sheet) {
      sh_buf_putc(b, ' ');
      h_text(b, it->source.sheet);
    }
    h_text(b, row);
  }
  sh_buf_puts(b, " (");
  h_text(b, sh_form_name(it->source.form));
  sh_buf_puts(b, ")");
  h_close(b, "span");
  if (title) {
    h_open(b, "span", "note");
    h_text(b, SH_T(ctx, " file: "));
    h_text(b, it->source.document);
    h_close(b, "span");
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
  int rowh = 22, labelw = 150, barw = 330, n = (int)(sizeof order / sizeof order[0]);
  sh_buf_printf(b, "<svg class=\"chart\" role=\"img\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                   "viewBox=\"0 0 %d %d\"><title>", labelw + barw + 50, rowh * n + 4, labelw + barw + 50, rowh * n + 4);
  h_text(b, SH_T(ctx, "Items per verdict"));
  sh_buf_puts(b, " ");
  h_text(b, fwid);
  sh_buf_puts(b, "</title>");
  for (int i = 0; i < n; i++) {
    sh_verdict v = order[i];
    int w = (int)((double)counts[v] * barw / (double)max + 0.5);
    int y = i * rowh + 2;
    sh_buf_printf(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" font-size=\"12\">", labelw - 6, y + 15);
    h_text(b, sh_verdict_label(v, ctx->lang));
    sh_buf_printf(b, "</text><rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"/>", labelw, y + 3, w, rowh - 6, vcolor(v));
    sh_buf_printf(b, "<text x=\"%d\" y=\"%d\" font-size=\"12\">%zu</text>", labelw + w + 5, y + 15, counts[v]);
  }
  sh_buf_puts(b, "</svg>");
}

static void item_row(const sh_report_ctx *ctx, sh_buf *b, const sh_result *r, bool with_section) {
  const sh_item *it = r->item;
  h_open(b, "tr", NULL);
  h_open(b, "td", "id");
  h_link(b, it, it->id);
  h_close(b, "td");
  if (with_section) {
    char *sec = sh_view_section(ctx, it);
    h_elem(b, "td", NULL, sec);
    free(sec);
    h_elem(b, "td", "q", sh_text_pick(&it->text, ctx->lang));
  }
  h_elem(b, "td", NULL, sh_strength_label(it->strength, ctx->lang));
  h_open(b, "td", NULL);
  badge(ctx, b, r->verdict);
  const sh_item_review *ir = sh_review_for(ctx->reviews, ctx->eval, r);
  if (ir && ir->waiver) {
    sh_buf_puts(b, " <span class=\"badge waiver\">");
    h_text(b, SH_T(ctx, "waiver"));
    sh_buf_puts(b, ": ");
    h_text(b, sh_view_waiver_state(ctx, ir->waiver_state));
    sh_buf_puts(b, "</span>");
  }
  h_close(b, "td");
  char *why = short_reason(ctx, r);
  h_elem(b, "td", "why", why);
  free(why);
  h_close(b, "tr");
  sh_buf_putc(b, '\n');
}

static void dl_row(sh_buf *b, const char *term, const char *text) {
  h_elem(b, "dt", NULL, term);
  h_elem(b, "dd", NULL, text);
  sh_buf_putc(b, '\n');
}

/* Multi-line text as lines separated by <br>; with split, each further line also starts a new source line
 * (a line of run-specific text, such as the quorum, then stands alone: tests compare check and report by line). */
static void h_lines_x(sh_buf *b, const char *text, bool split) {
  const char *p = text;
  while (p && *p) {
    const char *q = strchr(p, '\n');
    char *line = q ? sh_strndup(p, (size_t)(q - p)) : sh_strdup(p);
    h_text(b, line);
    free(line);
    if (!q) break;
    sh_buf_puts(b, split ? "\n<br>" : "<br>");
    p = q + 1;
  }
}
static void h_lines(sh_buf *b, const char *text) { h_lines_x(b, text, true); }

static void doc_cell(const sh_report_ctx *ctx, sh_buf *b, const sh_document *dc) {
  h_text(b, dc->title ? dc->title : dc->path);
  sh_buf_puts(b, " <code>");
  h_text(b, dc->sha256_actual[0] ? dc->sha256_actual : dc->sha256_declared);
  sh_buf_puts(b, "</code> ");
  h_text(b, sh_doc_status_name(dc->status));
  if (dc->has_valid_until) {
    char vd[11];
    sh_date_format(dc->valid_until, vd);
    sh_buf_puts(b, " (");
    h_text(b, SH_T(ctx, "valid until "));
    h_text(b, vd);
    sh_buf_puts(b, ")");
  }
  h_open(b, "span", "note");
  sh_buf_puts(b, " ");
  h_text(b, dc->path);
  h_close(b, "span");
}

static void item_details(const sh_report_ctx *ctx, sh_buf *b, const sources *src, const sh_result *r) {
  const sh_evidence *ev = ctx->eval->evidence;
  const sh_item *it = r->item;
  sh_buf_puts(b, "<article class=\"item\" id=\"");
  h_anchor(b, it);
  sh_buf_puts(b, "\">");
  h_open(b, "h3", NULL);
  h_text(b, it->fw->id);
  sh_buf_puts(b, " ");
  h_text(b, it->id);
  sh_buf_puts(b, " ");
  badge(ctx, b, r->verdict);
  h_close(b, "h3");
  h_elem(b, "p", "q", sh_text_pick(&it->text, ctx->lang));
  h_open(b, "dl", NULL);
  dl_row(b, SH_T(ctx, "Strength"), sh_strength_label(it->strength, ctx->lang));
  if (it->applies_if_text) dl_row(b, SH_T(ctx, "Applies if"), it->applies_if_text);
  if (it->require_text) dl_row(b, SH_T(ctx, "Requirement"), it->require_text);
  for (size_t k = 0; k < it->evidence_needed.n; k++)
    dl_row(b, SH_T(ctx, "Evidence a reviewer examines"), sh_text_pick(it->evidence_needed.v[k], ctx->lang));
  if (r->reasons.n) {
    char *s = sh_view_reasons(ctx, r);
    h_elem(b, "dt", NULL, SH_T(ctx, "Reasons"));
    h_open(b, "dd", NULL);
    h_lines(b, s);
    sh_buf_putc(b, '\n');
    h_close(b, "dd");
    sh_buf_putc(b, '\n');
    free(s);
  }
  if (r->answer || it->manual) {
    char *st = sh_view_status(ctx, r), *tx = sh_view_answer(ctx, r), *refs = sh_view_refs(ctx, r);
    h_elem(b, "dt", NULL, SH_T(ctx, "Applicant's answer"));
    h_open(b, "dd", NULL);
    h_text(b, st);
    if (*tx) {
      sh_buf_puts(b, " — ");
      h_text(b, tx);
    }
    if (*refs) {
      sh_buf_puts(b, "\n<br>");
      h_lines(b, refs);
    }
    sh_buf_putc(b, '\n');
    h_close(b, "dd");
    sh_buf_putc(b, '\n');
    free(st), free(tx), free(refs);
  }
  const sh_item_review *ir = sh_review_for(ctx->reviews, ctx->eval, r);
  if (ir && (ir->reviews.n || ir->waiver || ir->recorded == SH_V_NEEDS_REVIEW)) {
    char *s = sh_view_reviewers(ctx, r);
    /* one line: only a recorded run has it */
    h_elem(b, "dt", NULL, SH_T(ctx, "Reviewer decisions and waiver"));
    h_open(b, "dd", NULL);
    h_lines_x(b, s, false);
    h_close(b, "dd");
    sh_buf_putc(b, '\n');
    free(s);
  }
  h_elem(b, "dt", NULL, SH_T(ctx, "Source"));
  h_open(b, "dd", NULL);
  source_cite(ctx, b, src, it);
  h_close(b, "dd");
  h_close(b, "dl");
  if (r->facts_used.n) {
    sh_buf_puts(b, "<table class=\"facts\"><thead><tr>");
    h_elem(b, "th", NULL, SH_T(ctx, "Fact"));
    h_elem(b, "th", NULL, SH_T(ctx, "Value"));
    h_elem(b, "th", NULL, SH_T(ctx, "Provenance"));
    h_elem(b, "th", NULL, SH_T(ctx, "Documents"));
    sh_buf_puts(b, "</tr></thead><tbody>");
    for (size_t k = 0; k < r->facts_used.n; k++) {
      const sh_fact *f = r->facts_used.v[k];
      const sh_fact_value *fv = sh_evidence_get(ev, f);
      h_open(b, "tr", NULL);
      h_open(b, "td", NULL);
      h_text(b, sh_view_fact_label(ctx, f));
      sh_buf_puts(b, "<br><code>");
      h_text(b, f->id);
      sh_buf_puts(b, "</code>");
      h_close(b, "td");
      char *v = fv ? sh_value_format(f, &fv->value) : NULL;
      h_elem(b, "td", NULL, v ? v : SH_T(ctx, "(no value)"));
      free(v);
      h_elem(b, "td", "prov", fv ? sh_prov_name(fv->prov) : "");
      h_open(b, "td", NULL);
      for (size_t m = 0; fv && m < fv->documents.n; m++) {
        if (m) sh_buf_puts(b, "<br>");
        doc_cell(ctx, b, fv->documents.v[m]);
      }
      h_close(b, "td");
      h_close(b, "tr");
    }
    sh_buf_puts(b, "</tbody></table>");
  }
  sh_buf_puts(b, "</article>\n");
}

static void table_head(const sh_report_ctx *ctx, sh_buf *b, bool with_section) {
  sh_buf_puts(b, "<table class=\"items\"><thead><tr>");
  h_elem(b, "th", NULL, SH_T(ctx, "Item"));
  if (with_section) {
    h_elem(b, "th", NULL, SH_T(ctx, "Section"));
    h_elem(b, "th", NULL, SH_T(ctx, "Question"));
  }
  h_elem(b, "th", NULL, SH_T(ctx, "Strength"));
  h_elem(b, "th", NULL, SH_T(ctx, "Verdict"));
  h_elem(b, "th", NULL, SH_T(ctx, "Short reason"));
  sh_buf_puts(b, "</tr></thead><tbody>\n");
}

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
  ".fwsum{display:flex;gap:1.5em;align-items:flex-start;flex-wrap:wrap}td.prov{white-space:nowrap}"
  "table.facts td:first-child{width:32%}table.facts code,span.note{overflow-wrap:anywhere;word-break:break-all}"
  "@media print{html{font-size:9.5pt}table{font-size:.92em}h3{margin-top:.6em}}";

int sh_auditor_html(const sh_report_ctx *ctx, sh_buf *b, sh_diags *d) {
  const sh_evaluation *e = ctx->eval;
  const sh_evidence *ev = e->evidence;
  sources src;
  sources_load(ctx, &src);
  char ad[11];
  sh_date_format(ev->assessment_date, ad);
  const char *applicant = sh_report_applicant(ctx);
  sh_buf_printf(b, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n", sh_lang_en(ctx->lang) ? "en" : "ja");
  sh_buf_puts(b, "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
  h_text(b, ctx->title);
  sh_buf_puts(b, " — ");
  h_text(b, applicant);
  sh_buf_puts(b, "</title>\n<style>\n");
  char *css = NULL;
  size_t len;
  char *p = ctx->data_dir ? sh_path_join(ctx->data_dir, "reports/report.css") : NULL;
  if (p && sh_read_file(p, 1u << 20, &css, &len) == 0) sh_buf_puts(b, css);
  free(css);
  free(p);
  sh_buf_puts(b, print_css);
  /* The running header and page numbers (CSS paged media margin boxes; Chromium prints them). */
  sh_buf_puts(b, "\n@page{@top-left{content:");
  sh_buf hdr = {0};
  sh_buf_printf(&hdr, "%s — ", applicant);
  for (size_t i = 0; i < e->frameworks.n; i++) {
    const sh_framework *fw = e->frameworks.v[i];
    sh_buf_printf(&hdr, "%s%s %s", i ? ", " : "", fw->id, fw->version);
  }
  sh_buf_printf(&hdr, " — %s", ad);
  css_string(b, sh_buf_str(&hdr));
  sh_buf_free(&hdr);
  sh_buf_puts(b, ";font-size:8pt;color:#5b6673}@bottom-center{content:");
  css_string(b, SH_T(ctx, "page "));
  sh_buf_puts(b, " counter(page) \" / \" counter(pages);font-size:8pt;color:#5b6673}}\n</style>\n</head>\n<body>\n<main>\n");

  /* first page */
  sh_buf_puts(b, "<section class=\"first-page\" id=\"summary\">");
  h_elem(b, "h1", NULL, ctx->title);
  h_open(b, "dl", "head");
  dl_row(b, SH_T(ctx, "Applicant"), applicant);
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
  h_elem(b, "dt", NULL, SH_T(ctx, "Result"));
  char *res = e->must_failing
                ? sh_printf(SH_T(ctx, "%zu must items not met"), e->must_failing)
                : sh_strdup(SH_T(ctx, "every applicable must item satisfied"));
  h_elem(b, "dd", e->must_failing ? "result-ng" : "result-ok", res);
  free(res);
  h_close(b, "dl");
  for (size_t f = 0; f < e->frameworks.n; f++) {
    const sh_framework *fw = e->frameworks.v[f];
    size_t counts[SH_V__COUNT] = {0};
    for (size_t i = 0; i < e->results.n; i++) {
      const sh_result *r = e->results.v[i];
      if (r->item->fw == fw) counts[r->verdict]++;
    }
    h_elem(b, "h2", NULL, sh_text_pick(&fw->title, ctx->lang));
    sh_buf_puts(b, "<div class=\"fwsum\"><table class=\"counts\"><thead><tr>");
    h_elem(b, "th", NULL, SH_T(ctx, "Verdict"));
    h_elem(b, "th", NULL, SH_T(ctx, "Items"));
    sh_buf_puts(b, "</tr></thead><tbody>");
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
      h_open(b, "tr", NULL);
      h_open(b, "td", NULL);
      badge(ctx, b, order[i]);
      h_close(b, "td");
      sh_buf_printf(b, "<td class=\"n\">%zu</td>", counts[order[i]]);
      h_close(b, "tr");
    }
    sh_buf_puts(b, "</tbody></table>\n");
    chart(ctx, b, counts, fw->id);
    sh_buf_puts(b, "</div>\n");
  }
  if (e->findings.n) {
    h_elem(b, "h2", NULL, SH_T(ctx, "Findings"));
    h_open(b, "ul", NULL);
    for (size_t i = 0; i < e->findings.n; i++) h_elem(b, "li", NULL, ((const sh_reason *)e->findings.v[i])->message);
    h_close(b, "ul");
  }
  h_elem(b, "h2", NULL, SH_T(ctx,
                             "Open items (not satisfied, unknown, awaiting review, waived, stale)"));
  size_t nopen = 0;
  for (size_t i = 0; i < e->results.n; i++) {
    const sh_result *r = e->results.v[i];
    if (!is_open(ctx, r)) continue;
    if (!nopen++) table_head(ctx, b, false);
    item_row(ctx, b, r, false);
  }
  if (nopen) sh_buf_puts(b, "</tbody></table>\n");
  else h_elem(b, "p", NULL, SH_T(ctx, "(none)"));
  sh_buf_puts(b, "</section>\n");

  /* item tables */
  sh_buf_puts(b, "<section id=\"items\">");
  for (size_t f = 0; f < e->frameworks.n; f++) {
    const sh_framework *fw = e->frameworks.v[f];
    char *h = sh_printf("%s — %s", sh_text_pick(&fw->title, ctx->lang), SH_T(ctx, "item list"));
    h_elem(b, "h2", NULL, h);
    free(h);
    table_head(ctx, b, true);
    for (size_t i = 0; i < e->results.n; i++) {
      const sh_result *r = e->results.v[i];
      if (r->item->fw == fw) item_row(ctx, b, r, true);
    }
    sh_buf_puts(b, "</tbody></table>\n");
  }
  sh_buf_puts(b, "</section>\n<section id=\"details\">");
  h_elem(b, "h2", NULL, SH_T(ctx, "Item details"));
  for (size_t i = 0; i < e->results.n; i++) item_details(ctx, b, &src, e->results.v[i]);
  sh_buf_puts(b, "</section>\n");
  if (ev->documents.n) {
    sh_buf_puts(b, "<section id=\"documents\">");
    h_elem(b, "h2", NULL, SH_T(ctx, "Documents"));
    h_open(b, "ul", NULL);
    for (size_t i = 0; i < ev->documents.n; i++) {
      h_open(b, "li", NULL);
      doc_cell(ctx, b, ev->documents.v[i]);
      h_close(b, "li");
    }
    h_close(b, "ul");
    sh_buf_puts(b, "</section>\n");
  }
  h_elem(b, "p", "note", SH_T(ctx,
                              "English item texts are translations; the Japanese text is authoritative."));
  sh_buf_puts(b, "</main>\n</body>\n</html>\n");
  sh_ydoc_free(src.doc);
  return 0;
}
