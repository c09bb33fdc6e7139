/* report_views: the report views (applicant gap list, auditor report, ethics board report) and
 * the dispatch from (view, format) to a renderer; other modules register views of their own. */
#ifndef SHINSA_REPORT_VIEWS_H
#define SHINSA_REPORT_VIEWS_H

#include "report.h"

/* A view: what a reader gets. md is required: html (one self-contained page) and text derive from
 * it. json and csv are optional; xlsx is the filled checksheet whatever the view. */
typedef struct {
  const char *name;                 /* "applicant", "auditor", "ethics", ... */
  const char *title_ja, *title_en;  /* the report's title */
  sh_render_fn md, json, csv, text; /* text NULL = the Markdown */
} sh_report_view;

/* The view called name (built-in or registered), or NULL. */
const sh_report_view *sh_report_view_find(const char *name);
/* Registers a view (borrowed; must stay alive). Returns 0, or -1 when the name is taken or the table is full. */
int sh_report_view_register(const sh_report_view *v);
/* Comma-separated list of the view names (static buffer, rebuilt on each call). */
const char *sh_report_views(void);

/* Renders ctx->view (default "auditor") in format into out. Unknown view or a format the view does
 * not offer: error in d, returns -1, out untouched. */
int sh_report_render(const sh_report_ctx *ctx, const char *format, sh_buf *out, sh_diags *d);

/* CSV renderers of the built-in views (report_csv.c): items (auditor: all; applicant: gaps) and data items. */
int sh_csv_items(const sh_report_ctx *ctx, sh_buf *out, sh_diags *d);
/* Appends one CSV field (preceded by a comma unless first), quoted when needed and guarded against formulas:
 * see report_csv.c. */
void sh_csv_cell(sh_buf *b, bool first, const char *s);
int sh_csv_data_items(const sh_report_ctx *ctx, sh_buf *out, sh_diags *d);

/* Shared cell texts for the tabular formats (csv, xlsx) and the views. Caller frees each. */
char *sh_view_facts(const sh_report_ctx *ctx, const sh_result *r);     /* facts used: value (provenance) */
char *sh_view_status(const sh_report_ctx *ctx, const sh_result *r);    /* applicant's status (+ date or reason) */
char *sh_view_answer(const sh_report_ctx *ctx, const sh_result *r);    /* applicant's answer text ("" when none) */
char *sh_view_refs(const sh_report_ctx *ctx, const sh_result *r);      /* answer refs: path at (sha256), per line */
char *sh_view_evidence(const sh_report_ctx *ctx, const sh_result *r);  /* answer refs and documents with hashes /
                                                                          evidence needed */
char *sh_view_reviewers(const sh_report_ctx *ctx, const sh_result *r); /* decisions, quorum, waiver */
char *sh_view_reasons(const sh_report_ctx *ctx, const sh_result *r);   /* reasons, one per line */
char *sh_view_actions(const sh_report_ctx *ctx, const sh_result *r);   /* what would satisfy it, one per line */
char *sh_view_section(const sh_report_ctx *ctx, const sh_item *it);    /* "1 Security" */
/* The applicant's gap list: items not satisfied, not covered and applicable. */
bool sh_view_is_gap(const sh_result *r);
const char *sh_view_applicant(const sh_report_ctx *ctx);

#endif
