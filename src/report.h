/* report: the one report dispatcher. A table of views (auditor, applicant, ethics) × formats (text, json, md,
 * html, csv, xlsx, oscal-ar-*) says which renderer writes which cell; sh_report_render looks it up, and
 * sh_report_outputs writes several formats of one run all-or-nothing (atomic files: fileio.h).
 * The renderers live in report_check.c (auditor), report_views.c (applicant, ethics), report_html.c (auditor and
 * applicant html), report_csv.c, report_xlsx.c and oscal_ar.c; they share the cells and escaping of report_cells.h
 * and the HTML writer of report_html.h, and never call each other
 * through this module (report.c is the only file that knows them all: report_views.h). */
#ifndef SHINSA_REPORT_H
#define SHINSA_REPORT_H

#include "eval.h"

typedef struct {
  const sh_evaluation *eval;
  const char *lang;         /* "ja" (default) or "en" */
  const char *view;         /* "auditor" (default), "applicant", "ethics" */
  const char *data_dir;     /* reports/ stylesheets are read from here */
  int64_t run_id;           /* 0 when the run was not recorded */
  const char *tool_version;
  const struct sh_review_state *reviews; /* review.h: decisions and waivers of a recorded run, or NULL */
  const char *title;        /* set by the dispatcher: the view's title in the report language */
  bool color;               /* text format: ANSI colours (only on a terminal, never with NO_COLOR) */
} sh_report_ctx;

typedef int (*sh_render_fn)(const sh_report_ctx *ctx, sh_buf *out, sh_diags *d);

typedef enum {
  SH_RF_TEXT, SH_RF_JSON, SH_RF_MD, SH_RF_HTML, SH_RF_CSV, SH_RF_XLSX, SH_RF_OSCAL_AR_XML, SH_RF_OSCAL_AR_JSON,
  SH_RF__COUNT
} sh_report_format;

/* The format names in sh_report_format order, NULL-terminated (the CLI's --format choices). */
extern const char *const sh_report_format_names[];
/* Comma-separated list of the supported formats (static). */
const char *sh_report_formats(void);
/* The format called name, or -1. */
int sh_report_format_parse(const char *name);
/* The format a file name asks for by its extension: .txt text, .json json, .md md, .html/.htm html, .csv csv,
 * .xlsx xlsx, .oscal.xml / .oscal.json OSCAL assessment results; -1 when the extension says nothing. */
int sh_report_format_for_path(const char *path);

/* A view: a title and its renderer per format. A NULL text cell prints the md as terminal text; xlsx and the
 * OSCAL formats are the whole run whatever the view. */
typedef struct {
  const char *name;
  const char *title; /* English source text (N_), translated with SH_T */
  sh_render_fn fn[SH_RF__COUNT];
} sh_report_view;

/* The view called name (NULL = "auditor"), or NULL. */
const sh_report_view *sh_report_view_find(const char *name);
/* Comma-separated list of the view names (static). */
const char *sh_report_views(void);

/* Renders ctx->view in format into out (appended). Unknown view or a format the view does not offer: error in d,
 * returns -1, out untouched. */
int sh_report_render(const sh_report_ctx *ctx, const char *format, sh_buf *out, sh_diags *d);

/* Writes buf to path atomically, or to stdout when path is NULL or "-". Returns 0 or -1 with an
 * error in d (nothing is left at path on failure). */
int sh_report_output(const char *path, const sh_buf *buf, sh_diags *d);

/* Several outputs of one run (InSpec's reporters). */
typedef struct {
  const char *path;  /* NULL: standard output */
  int format;        /* sh_report_format */
} sh_report_out;
/* From the --out paths (in order; "-" is standard output) and --format (NULL when not given) to the outputs:
 * - no path: standard output in --format (default text);
 * - one path and --format given: that file in --format (as `--format FMT --out FILE` always did);
 * - otherwise each file in the format its extension names (sh_report_format_for_path; else --format, else an
 *   text for a single path, else an error naming the file), and standard output in --format when --format is given or "-" is a path.
 * The same path twice is an error. Returns the number of outputs in *outs (caller frees the array), or -1 with a
 * usage error in d. */
int sh_report_plan(const char *const *paths, size_t npaths, const char *format, sh_report_out **outs, sh_diags *d);
/* Renders every output, then writes the files all or nothing: every report is rendered first, the files are
 * written to temporary names beside their targets, standard output is written, and only then are the files renamed
 * into place. On any failure no output file is left (a file created by this call is removed again if a later
 * rename fails). Returns 0 or -1 with errors in d. */
int sh_report_outputs(const sh_report_ctx *ctx, const sh_report_out *outs, size_t n, sh_diags *d);
/* Colour on standard output: on a terminal (or SHINSA_COLOR=always), never when NO_COLOR is set and not empty.
 * With ctx->color the text report's own headings are coloured after its text was cleaned for the terminal. */
bool sh_report_colour_wanted(void);

#endif
