/* report: the report writer interface (a table of formats, each rendering into a buffer),
 * shared rendering helpers (Markdown escaping, HTML from Markdown with cmark, raw HTML off),
 * and atomic output (temporary file, then rename: never a half-written report). */
#ifndef SHINSA_REPORT_H
#define SHINSA_REPORT_H

#include "eval.h"
#include "json.h"

typedef struct {
  const sh_evaluation *eval;
  const char *lang;         /* "ja" (default) or "en" */
  const char *view;         /* "auditor" (default); other views register their own writers */
  const char *data_dir;     /* reports/ stylesheets are read from here */
  int64_t run_id;           /* 0 when the run was not recorded */
  const char *tool_version;
  const struct sh_review_state *reviews; /* review.h: decisions and waivers of a recorded run, or NULL */
} sh_report_ctx;

typedef int (*sh_render_fn)(const sh_report_ctx *ctx, sh_buf *out, sh_diags *d);

typedef struct {
  const char *format;       /* "text", "json", "md", "html", ... */
  sh_render_fn render;
} sh_report_writer;

/* The writer for a format, or NULL. */
const sh_report_writer *sh_report_find(const char *format);
/* Comma-separated list of the supported formats (static). */
const char *sh_report_formats(void);
/* The same formats as a NULL-terminated list (the CLI's --format choices). */
extern const char *const sh_report_format_names[];

/* Writes buf to path atomically, or to stdout when path is NULL or "-". Returns 0 or -1 with an
 * error in d (nothing is left at path on failure). */
int sh_report_output(const char *path, const sh_buf *buf, sh_diags *d);

/* Helpers for writers. */
bool sh_lang_en(const char *lang);
#define SH_L(ctx, ja, en) (sh_lang_en((ctx)->lang) ? (en) : (ja))
/* Escapes text so that it reads literally in CommonMark (no emphasis, links, HTML or headings). */
void sh_md_escape(sh_buf *b, const char *s);
/* Text in the report's language: English when asked and present (marked as a translation when
 * mark_translation), else Japanese. */
const char *sh_text_pick(const sh_text *t, const char *lang);
/* A whole self-contained HTML page from Markdown: cmark with raw HTML disabled, the stylesheet
 * reports/report.css from data_dir embedded. Caller frees. */
char *sh_html_page(const char *markdown, const char *title, const char *lang, const char *data_dir);

/* The applicant's name in the report's language. */
const char *sh_report_applicant(const sh_report_ctx *ctx);
/* The Markdown head every report shares: title, applicant, assessment date, frameworks with their item
 * counts, run number. Ends after the last list line (no blank line). */
void sh_report_md_header(const sh_report_ctx *ctx, sh_buf *b, const char *title_ja, const char *title_en);
/* A fact's value with its provenance and attesting documents, 'VALUE (PROVENANCE: doc, ...)', escaped for
 * Markdown; `none` when the fact has no value. */
void sh_report_md_value(sh_buf *b, const sh_fact *f, const sh_fact_value *fv, const char *none);
/* "findings": [the package-level findings' messages]. */
void sh_report_json_findings(sh_json *j, const sh_evaluation *e);
/* The closing note that English item texts are translations. */
void sh_report_md_footer(const sh_report_ctx *ctx, sh_buf *b);

/* Built-in writers for the evaluation ("check") report. */
int sh_render_text(const sh_report_ctx *ctx, sh_buf *out, sh_diags *d);
int sh_render_json(const sh_report_ctx *ctx, sh_buf *out, sh_diags *d);
int sh_render_md(const sh_report_ctx *ctx, sh_buf *out, sh_diags *d);
int sh_render_html(const sh_report_ctx *ctx, sh_buf *out, sh_diags *d);

/* Views and the csv/xlsx formats (report_views.h, report_csv.c, report_xlsx.c). */
int sh_render_csv(const sh_report_ctx *ctx, sh_buf *out, sh_diags *d);
int sh_render_xlsx(const sh_report_ctx *ctx, sh_buf *out, sh_diags *d);
/* Review workflow details added to the auditor report (report_views.c). */
void sh_report_md_item_review(const sh_report_ctx *ctx, sh_buf *b, const sh_result *r);
void sh_report_json_item_review(const sh_report_ctx *ctx, void *json /* sh_json* */, const sh_result *r);
/* The applicant's answer of an item: Markdown list lines (nothing when unanswered and not manual), and the
 * JSON "answer" key (an object, or null). */
void sh_report_md_item_answer(const sh_report_ctx *ctx, sh_buf *b, const sh_result *r);
void sh_report_json_item_answer(const sh_report_ctx *ctx, void *json /* sh_json* */, const sh_result *r);

#endif
