/* report: format table, Markdown escaping, HTML pages and atomic output. See report.h. */
#include "report.h"

#include "oscal_ar.h"

#include <cmark.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const sh_report_writer writers[] = {
  {"text", sh_render_text},
  {"json", sh_render_json},
  {"md", sh_render_md},
  {"html", sh_render_html},
  {"csv", sh_render_csv},
  {"xlsx", sh_render_xlsx},
  {"oscal-ar-xml", sh_render_oscal_ar_xml},   /* OSCAL assessment-results (oscal_ar.h) */
  {"oscal-ar-json", sh_render_oscal_ar_json},
};

const sh_report_writer *sh_report_find(const char *format) {
  for (size_t i = 0; i < sizeof writers / sizeof writers[0]; i++)
    if (strcmp(writers[i].format, format) == 0) return &writers[i];
  return NULL;
}

const char *const sh_report_format_names[] = {"text", "json", "md", "html", "csv", "xlsx", "oscal-ar-xml", "oscal-ar-json", NULL};

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

bool sh_lang_en(const char *lang) { return lang && strcmp(lang, "en") == 0; }

void sh_md_escape(sh_buf *b, const char *s) {
  if (!s) return;
  /* Inline markup anywhere; block markup only matters where the text may start a line. */
  const char *digits_end = s;
  while (*digits_end >= '0' && *digits_end <= '9') digits_end++;
  for (const char *p = s; *p; p++) {
    char c = *p;
    bool at_start = p == s;
    if (strchr("\\`*_[]<>&!", c) || (at_start && strchr("#-+=~:", c)) ||
        (p == digits_end && digits_end != s && (c == '.' || c == ')'))) {
      sh_buf_putc(b, '\\');
      sh_buf_putc(b, c);
    } else if (c == '\n' || c == '\r') {
      sh_buf_putc(b, ' ');
    } else {
      sh_buf_putc(b, c);
    }
  }
}

const char *sh_text_pick(const sh_text *t, const char *lang) {
  if (sh_lang_en(lang) && t->en) return t->en;
  return t->ja ? t->ja : t->en ? t->en : "";
}

static const char fallback_css[] =
  "body{font-family:'Noto Sans CJK JP','Hiragino Kaku Gothic ProN','Yu Gothic',Meiryo,sans-serif;"
  "max-width:60em;margin:2em auto;padding:0 1em;line-height:1.6;color:#222}"
  "@page{size:A4;margin:18mm}";

char *sh_html_page(const char *markdown, const char *title, const char *lang, const char *data_dir) {
  char *body = cmark_markdown_to_html(markdown, strlen(markdown), CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8);
  char *css = NULL;
  if (data_dir) {
    char *p = sh_path_join(data_dir, "reports/report.css");
    size_t len;
    if (sh_read_file(p, 1u << 20, &css, &len) != 0) css = NULL;
    free(p);
  }
  sh_buf b = {0};
  sh_buf_printf(&b, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n", sh_lang_en(lang) ? "en" : "ja");
  sh_buf_puts(&b, "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
  for (const char *p = title; *p; p++) {
    if (*p == '<') sh_buf_puts(&b, "&lt;");
    else if (*p == '>') sh_buf_puts(&b, "&gt;");
    else if (*p == '&') sh_buf_puts(&b, "&amp;");
    else sh_buf_putc(&b, *p);
  }
  sh_buf_puts(&b, "</title>\n<style>\n");
  sh_buf_puts(&b, css ? css : fallback_css);
  sh_buf_puts(&b, "\n</style>\n</head>\n<body>\n<main>\n");
  sh_buf_puts(&b, body);
  sh_buf_puts(&b, "</main>\n</body>\n</html>\n");
  free(css);
  free(body);
  return sh_buf_steal(&b);
}

const char *sh_report_applicant(const sh_report_ctx *ctx) {
  const sh_evidence *ev = ctx->eval->evidence;
  if (sh_lang_en(ctx->lang) && ev->applicant_name_en) return ev->applicant_name_en;
  return ev->applicant_name ? ev->applicant_name : "";
}

void sh_report_md_header(const sh_report_ctx *ctx, sh_buf *b, const char *title_ja, const char *title_en) {
  const sh_evaluation *e = ctx->eval;
  const sh_evidence *ev = e->evidence;
  char ad[11];
  sh_date_format(ev->assessment_date, ad);
  sh_buf_printf(b, "# %s\n\n", SH_L(ctx, title_ja, title_en));
  sh_buf_printf(b, "- %s: ", SH_L(ctx, "申請者", "Applicant"));
  sh_md_escape(b, sh_report_applicant(ctx));
  sh_buf_puts(b, " (");
  sh_md_escape(b, ev->applicant_kind);
  sh_buf_puts(b, ")\n");
  sh_buf_printf(b, "- %s: %s\n", SH_L(ctx, "審査基準日", "Assessment date"), ad);
  for (size_t i = 0; i < e->frameworks.n; i++) {
    const sh_framework *fw = e->frameworks.v[i];
    sh_buf_printf(b, "- %s: ", SH_L(ctx, "基準", "Framework"));
    sh_md_escape(b, sh_text_pick(&fw->title, ctx->lang));
    sh_buf_puts(b, " (");
    sh_md_escape(b, fw->id);
    sh_buf_puts(b, " ");
    sh_md_escape(b, fw->version);
    sh_buf_printf(b, ", %zu %s)\n", fw->items.n, SH_L(ctx, "項目", "items"));
  }
  if (ctx->run_id > 0) sh_buf_printf(b, "- %s: %lld\n", SH_L(ctx, "記録番号", "Run"), (long long)ctx->run_id);
}

void sh_report_md_footer(const sh_report_ctx *ctx, sh_buf *b) {
  if (sh_lang_en(ctx->lang))
    sh_buf_puts(b, "---\n\nEnglish item texts are translations; the Japanese text is authoritative.\n");
  else
    sh_buf_puts(b, "---\n\n項目の英語文は翻訳であり、日本語文が正本です。\n");
}

void sh_report_md_value(sh_buf *b, const sh_fact *f, const sh_fact_value *fv, const char *none) {
  if (!fv) {
    sh_buf_puts(b, none);
    return;
  }
  char *v = sh_value_format(f, &fv->value);
  sh_md_escape(b, v);
  free(v);
  sh_buf_printf(b, " (%s", sh_prov_name(fv->prov));
  for (size_t m = 0; m < fv->documents.n; m++) {
    sh_buf_puts(b, m ? ", " : ": ");
    sh_md_escape(b, ((const sh_document *)fv->documents.v[m])->path);
  }
  sh_buf_putc(b, ')');
}

void sh_report_json_findings(sh_json *j, const sh_evaluation *e) {
  sh_json_key(j, "findings");
  sh_json_arr_begin(j);
  for (size_t i = 0; i < e->findings.n; i++) sh_json_str(j, ((const sh_reason *)e->findings.v[i])->message);
  sh_json_arr_end(j);
}
