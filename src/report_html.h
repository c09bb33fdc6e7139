/* report_html: the escape-by-construction HTML writer every HTML report shares (report_html.c), and the page
 * every report view starts with. Markup comes only from string literals of the callers (tag, class and
 * attribute names must be literals); every other text enters through sh_h_text and friends, which escape it
 * (sh_html_escape). Nothing returned here is to be freed. */
#ifndef SHINSA_REPORT_HTML_H
#define SHINSA_REPORT_HTML_H

#include "report.h"

/* Text, escaped. */
void sh_h_text(sh_buf *b, const char *s);
/* <tag> or <tag class="cls">; </tag>; <tag class="cls">text</tag> (tag and cls are literals). */
void sh_h_open(sh_buf *b, const char *tag, const char *cls);
void sh_h_close(sh_buf *b, const char *tag);
void sh_h_elem(sh_buf *b, const char *tag, const char *cls, const char *text);
/* Multi-line text as escaped lines separated by <br>. */
void sh_h_lines(sh_buf *b, const char *text);
/* <table class="cls"><thead><tr><th>col</th>...</tr></thead><tbody> (cls a literal or NULL). */
void sh_h_table_head(sh_buf *b, const char *cls, const char *const *cols, size_t n);
/* A verdict as a coloured badge that carries its word. */
void sh_h_badge(const sh_report_ctx *ctx, sh_buf *b, sh_verdict v);

/* The start of a page, up to and including <main>: title, the stylesheet (reports/report.css from data_dir when
 * not NULL, and the reports' own), and for print A4 with header as running header and page numbers (in lang). */
void sh_html_page_begin(sh_buf *b, const char *lang, const char *title, const char *data_dir, const char *header);
/* The end of a page: </main></body></html>. */
void sh_html_page_end(sh_buf *b);

/* The start of a report page, up to and including <main>: the title, the stylesheet (reports/report.css from
 * ctx->data_dir and the report's own), and for print A4 with a running header (applicant, frameworks and
 * versions, assessment date) and page numbers. */
void sh_html_begin(const sh_report_ctx *ctx, sh_buf *b);
/* The heading (ctx->title) and the head list: applicant, frameworks with versions, assessment date, run,
 * reviews as of, with result the result (must items not met), and when term is not NULL a last row term: text. */
void sh_html_head(const sh_report_ctx *ctx, sh_buf *b, bool result, const char *term, const char *text);
/* The closing note (English item texts are translations) and the end of the page. */
void sh_html_end(const sh_report_ctx *ctx, sh_buf *b);

#endif
