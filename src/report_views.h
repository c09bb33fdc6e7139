/* report_views: the renderers the dispatcher (report.c) puts in its view × format table. Only report.c includes
 * this header: renderers share code through report_cells.h, never by calling each other. */
#ifndef SHINSA_REPORT_VIEWS_H
#define SHINSA_REPORT_VIEWS_H

#include "report.h"

/* auditor view (report_check.c) */
int sh_auditor_text(const sh_report_ctx *ctx, sh_buf *out, sh_diags *d);
int sh_auditor_json(const sh_report_ctx *ctx, sh_buf *out, sh_diags *d);
int sh_auditor_md(const sh_report_ctx *ctx, sh_buf *out, sh_diags *d);
/* auditor and applicant views as HTML (report_html.c) */
int sh_auditor_html(const sh_report_ctx *ctx, sh_buf *out, sh_diags *d);
int sh_applicant_html(const sh_report_ctx *ctx, sh_buf *out, sh_diags *d);
/* applicant and ethics views (report_views.c) */
int sh_applicant_md(const sh_report_ctx *ctx, sh_buf *out, sh_diags *d);
int sh_applicant_json(const sh_report_ctx *ctx, sh_buf *out, sh_diags *d);
int sh_ethics_md(const sh_report_ctx *ctx, sh_buf *out, sh_diags *d);
int sh_ethics_json(const sh_report_ctx *ctx, sh_buf *out, sh_diags *d);
int sh_ethics_html(const sh_report_ctx *ctx, sh_buf *out, sh_diags *d); /* tables */
/* csv (report_csv.c): items (auditor: all; applicant: gaps) and data items (ethics) */
int sh_csv_items(const sh_report_ctx *ctx, sh_buf *out, sh_diags *d);
int sh_csv_data_items(const sh_report_ctx *ctx, sh_buf *out, sh_diags *d);
/* the filled checksheet, any view (report_xlsx.c) */
int sh_render_xlsx(const sh_report_ctx *ctx, sh_buf *out, sh_diags *d);

/* A view's Markdown as terminal text (report_term.c): caller frees. */
char *sh_md_to_term(const char *md);

#endif
