/* report: the view × format table, its dispatcher and the report outputs. See report.h. */
#include "report.h"

#include "oscal_ar.h"
#include "report_cells.h"
#include "report_views.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

const char *const sh_report_format_names[] = {"text", "json", "md", "html", "csv", "xlsx", "oscal-ar-xml", "oscal-ar-json", NULL};

/* Formats every view has: the filled checksheet and the OSCAL assessment results are the whole run. */
#define RUN_WIDE [SH_RF_XLSX] = sh_render_xlsx, [SH_RF_OSCAL_AR_XML] = sh_render_oscal_ar_xml, \
                 [SH_RF_OSCAL_AR_JSON] = sh_render_oscal_ar_json

/* The one table of what each view offers in each format. text NULL: the md as terminal text (report_term.c). */
static const sh_report_view views[] = {
  {"applicant", N_("Gap list for the applicant"),
   {[SH_RF_MD] = sh_applicant_md, [SH_RF_HTML] = sh_applicant_html, [SH_RF_JSON] = sh_applicant_json, [SH_RF_CSV] = sh_csv_items, RUN_WIDE}},
  {"auditor", N_("Examination report"),
   {[SH_RF_TEXT] = sh_auditor_text, [SH_RF_MD] = sh_auditor_md, [SH_RF_HTML] = sh_auditor_html, [SH_RF_JSON] = sh_auditor_json,
    [SH_RF_CSV] = sh_csv_items, RUN_WIDE}},
  {"ethics", N_("Report for the data ethics board"),
   {[SH_RF_MD] = sh_ethics_md, [SH_RF_HTML] = sh_ethics_html, [SH_RF_JSON] = sh_ethics_json, [SH_RF_CSV] = sh_csv_data_items, RUN_WIDE}},
};
#define NVIEWS (sizeof views / sizeof views[0])

const char *sh_report_formats(void) {
  static char list[256];
  if (!list[0]) { /* joined from sh_report_format_names, the one list of format names */
    size_t n = 0;
    for (size_t i = 0; sh_report_format_names[i]; i++) {
      int w = snprintf(list + n, sizeof list - n, "%s%s", i ? ", " : "", sh_report_format_names[i]);
      if (w < 0 || (size_t)w >= sizeof list - n) break;
      n += (size_t)w;
    }
  }
  return list;
}

int sh_report_format_parse(const char *name) {
  for (int i = 0; name && sh_report_format_names[i]; i++)
    if (strcmp(sh_report_format_names[i], name) == 0) return i;
  return -1;
}

static bool ends_with(const char *s, const char *suffix) {
  size_t n = strlen(s), m = strlen(suffix);
  return n > m && strcasecmp(s + n - m, suffix) == 0;
}

int sh_report_format_for_path(const char *path) {
  static const struct { const char *ext; sh_report_format f; } exts[] = {
    {".oscal.xml", SH_RF_OSCAL_AR_XML}, {".oscal.json", SH_RF_OSCAL_AR_JSON}, /* before .json */
    {".txt", SH_RF_TEXT}, {".json", SH_RF_JSON}, {".md", SH_RF_MD}, {".html", SH_RF_HTML}, {".htm", SH_RF_HTML},
    {".csv", SH_RF_CSV}, {".xlsx", SH_RF_XLSX},
  };
  for (size_t i = 0; path && i < sizeof exts / sizeof exts[0]; i++)
    if (ends_with(path, exts[i].ext)) return (int)exts[i].f;
  return -1;
}

const sh_report_view *sh_report_view_find(const char *name) {
  if (!name) name = "auditor";
  for (size_t i = 0; i < NVIEWS; i++)
    if (strcmp(views[i].name, name) == 0) return &views[i];
  return NULL;
}

const char *sh_report_views(void) {
  static char buf[128];
  if (!buf[0]) {
    size_t n = 0;
    for (size_t i = 0; i < NVIEWS; i++) {
      int w = snprintf(buf + n, sizeof buf - n, "%s%s", i ? ", " : "", views[i].name);
      if (w < 0 || (size_t)w >= sizeof buf - n) break;
      n += (size_t)w;
    }
  }
  return buf;
}

int sh_report_render(const sh_report_ctx *ctx, const char *format, sh_buf *out, sh_diags *d) {
  const sh_report_view *v = sh_report_view_find(ctx->view);
  if (!v) {
    sh_error(d, NULL, 0, 0, "unknown view '%s' (expected one of: %s)", ctx->view, sh_report_views());
    return -1;
  }
  int f = sh_report_format_parse(format);
  if (f < 0) {
    sh_error(d, NULL, 0, 0, "unknown format '%s' (expected one of: %s)", format, sh_report_formats());
    return -1;
  }
  sh_report_ctx c = *ctx;
  c.view = v->name;
  c.title = SH_T(&c, v->title);
  sh_render_fn fn = v->fn[f];
  if (!fn && f != SH_RF_TEXT) {
    sh_error(d, NULL, 0, 0, "the %s view has no %s format", v->name, format);
    return -1;
  }
  sh_buf tmp = {0};
  int rc;
  if (fn) {
    rc = fn(&c, &tmp, d);
  } else { /* terminal text from the view's Markdown */
    sh_buf md = {0};
    rc = v->fn[SH_RF_MD](&c, &md, d);
    if (rc == 0) {
      char *t = sh_md_to_term(sh_buf_str(&md));
      sh_buf_puts(&tmp, t);
      free(t);
    }
    sh_buf_free(&md);
  }
  if (rc == 0) sh_buf_put(out, tmp.data ? tmp.data : "", tmp.len);
  sh_buf_free(&tmp);
  return rc;
}

int sh_report_output(const char *path, const sh_buf *buf, sh_diags *d) {
  if (!path || strcmp(path, "-") == 0) {
    /* A binary report (xlsx: NUL bytes) is never written to a terminal. */
    bool tty = isatty(STDOUT_FILENO);
    if (buf->len && memchr(buf->data, '\0', buf->len) && tty) {
      sh_error_usage(d, "refusing to write a binary report to the terminal: give --out FILE (or redirect the output)");
      return -1;
    }
    /* On a terminal the text is cleaned of control characters (sh_term_clean): evidence text cannot drive the
     * terminal. A file or pipe gets the report's bytes. */
    if (tty ? sh_term_fputs(sh_buf_str(buf), stdout) == EOF || fflush(stdout) != 0
            : fwrite(sh_buf_str(buf), 1, buf->len, stdout) != buf->len || fflush(stdout) != 0) {
      sh_error_io(d, "<stdout>", 0, 0, "cannot write the report: %s", strerror(errno));
      return -1;
    }
    return 0;
  }
  if (sh_write_file_atomic(path, sh_buf_str(buf), buf->len) != 0) {
    sh_error_io(d, path, 0, 0, "cannot write the report: %s", sh_fio_strerror(errno));
    return -1;
  }
  return 0;
}

int sh_report_plan(const char *const *paths, size_t npaths, const char *format, sh_report_out **outs, sh_diags *d) {
  *outs = NULL;
  int given = -1;
  if (format && (given = sh_report_format_parse(format)) < 0) {
    sh_error_usage(d, "unknown format '%s' (expected one of: %s)", format, sh_report_formats());
    return -1;
  }
  sh_report_out *o = sh_calloc(npaths + 1, sizeof *o);
  size_t n = 0;
  bool to_stdout = npaths == 0 || (given >= 0 && npaths > 1);
  for (size_t i = 0; i < npaths; i++) {
    const char *p = paths[i];
    if (strcmp(p, "-") == 0) {
      to_stdout = true;
      continue;
    }
    for (size_t k = 0; k < n; k++)
      if (strcmp(o[k].path, p) == 0) {
        sh_error_usage(d, "--out %s is given twice", p);
        free(o);
        return -1;
      }
    int f = npaths == 1 && given >= 0 ? given : sh_report_format_for_path(p);
    if (f < 0) f = given >= 0 ? given : npaths == 1 ? SH_RF_TEXT : -1; /* one --out FILE: text, as before */
    if (f < 0) {
      sh_error_usage(d, "--out %s: the file name does not say the format (end it in .txt, .json, .md, .html, .csv, "
                        ".xlsx, .oscal.xml or .oscal.json, or give --format)", p);
      free(o);
      return -1;
    }
    o[n].path = p;
    o[n++].format = f;
  }
  if (to_stdout) {
    o[n].path = NULL;
    o[n++].format = given >= 0 ? given : SH_RF_TEXT;
  }
  *outs = o;
  return (int)n;
}

/* Colour for the text report on a terminal, added after the text was cleaned of control characters
 * (sh_term_clean): only lines shinsa writes at the start of a line are coloured (the verdict section headings and the
 * must-not-met line), never text from evidence, which the text report always indents. */
static const char *line_colour(const char *line, size_t n, const sh_report_ctx *ctx) {
  static const struct { sh_verdict v; const char *sgr; } heads[] = {
    {SH_V_NOT_SATISFIED, "\033[1;31m"}, {SH_V_UNKNOWN, "\033[1;35m"}, {SH_V_NEEDS_REVIEW, "\033[1;33m"}};
  for (size_t k = 0; k < sizeof heads / sizeof heads[0]; k++) {
    const char *l = sh_verdict_label(heads[k].v, ctx->lang);
    size_t m = strlen(l);
    if (n == m + 1 && strncmp(line, l, m) == 0 && line[m] == ':') return heads[k].sgr;
  }
  const char *must = SH_T(ctx, "must items not met: ");
  if (strncmp(line, must, strlen(must)) == 0 && n > strlen(must))
    return line[strlen(must)] == '0' && n == strlen(must) + 1 ? "\033[1;32m" : "\033[1;31m";
  return NULL;
}

static int write_colour(const sh_report_ctx *ctx, const sh_buf *buf, sh_diags *d) {
  char *clean = sh_term_cleaned(sh_buf_str(buf));
  sh_buf o = {0};
  for (const char *p = clean; *p;) {
    const char *e = strchr(p, '\n');
    size_t len = e ? (size_t)(e - p) : strlen(p);
    const char *sgr = line_colour(p, len, ctx);
    if (sgr) sh_buf_puts(&o, sgr);
    sh_buf_put(&o, p, len);
    if (sgr) sh_buf_puts(&o, "\033[0m");
    if (e) sh_buf_putc(&o, '\n');
    p += len + (e ? 1 : 0);
  }
  free(clean);
  int rc = 0;
  if (fwrite(sh_buf_str(&o), 1, o.len, stdout) != o.len || fflush(stdout) != 0) {
    sh_error_io(d, "<stdout>", 0, 0, "cannot write the report: %s", strerror(errno));
    rc = -1;
  }
  sh_buf_free(&o);
  return rc;
}

bool sh_report_colour_wanted(void) {
  const char *nc = getenv("NO_COLOR"); /* no-color.org: present and not empty disables colour */
  const char *force = getenv("SHINSA_COLOR"); /* tests: colour as on a terminal */
  if (nc && *nc) return false;
  return (force && strcmp(force, "always") == 0) || isatty(STDOUT_FILENO);
}

int sh_report_outputs(const sh_report_ctx *ctx, const sh_report_out *outs, size_t n, sh_diags *d) {
  sh_buf *bufs = sh_calloc(n ? n : 1, sizeof *bufs);
  char **staged = sh_calloc(n ? n : 1, sizeof *staged);
  bool *existed = sh_calloc(n ? n : 1, sizeof *existed);
  int rc = -1;
  for (size_t i = 0; i < n; i++) /* 1. render every report: a renderer's error leaves nothing written */
    if (sh_report_render(ctx, sh_report_format_names[outs[i].format], &bufs[i], d) != 0) goto done;
  for (size_t i = 0; i < n; i++) { /* 2. every file to a temporary beside its target */
    if (!outs[i].path) continue;
    existed[i] = access(outs[i].path, F_OK) == 0;
    if (!(staged[i] = sh_stage_file(outs[i].path, sh_buf_str(&bufs[i]), bufs[i].len))) {
      sh_error_io(d, outs[i].path, 0, 0, "cannot write the report: %s", sh_fio_strerror(errno));
      goto done;
    }
  }
  for (size_t i = 0; i < n; i++) { /* 3. standard output (the auditor's text in colour on a terminal) */
    if (outs[i].path) continue;
    bool colour = ctx->color && outs[i].format == SH_RF_TEXT && !memchr(sh_buf_str(&bufs[i]), 0, bufs[i].len);
    if ((colour ? write_colour(ctx, &bufs[i], d) : sh_report_output(NULL, &bufs[i], d)) != 0) goto done;
  }
  for (size_t i = 0; i < n; i++) { /* 4. the renames */
    if (!outs[i].path) continue;
    char *tmp = staged[i];
    staged[i] = NULL;
    if (sh_stage_commit(tmp, outs[i].path) != 0) {
      sh_error_io(d, outs[i].path, 0, 0, "cannot write the report: %s", sh_fio_strerror(errno));
      for (size_t k = 0; k < i; k++) /* files this call created are removed again */
        if (outs[k].path && !existed[k]) unlink(outs[k].path);
      goto done;
    }
  }
  rc = 0;
done:
  for (size_t i = 0; i < n; i++) {
    sh_stage_abort(staged[i]);
    sh_buf_free(&bufs[i]);
  }
  free(bufs);
  free(staged);
  free(existed);
  return rc;
}
