/* diag: diagnostics list and printing. See diag.h. */
#include "diag.h"

#include "i18n.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void sh_diags_free(sh_diags *d) {
  for (size_t i = 0; i < d->n; i++) {
    free(d->v[i].file);
    free(d->v[i].msg);
  }
  free(d->v);
  memset(d, 0, sizeof *d);
}

void sh_diag_vadd(sh_diags *d, sh_severity sev, const char *file, int line, int col,
                  const char *fmt, va_list ap) {
  sh_diag_vaddc(d, SH_DIAG_DATA, sev, file, line, col, fmt, ap);
}

void sh_diag_vaddc(sh_diags *d, sh_diag_class cls, sh_severity sev, const char *file, int line, int col,
                   const char *fmt, va_list ap) {
  if (d->n == d->cap) {
    d->cap = d->cap ? d->cap * 2 : 8;
    d->v = sh_realloc(d->v, d->cap * sizeof *d->v);
  }
  sh_buf b = {0};
  /* The format is a catalog message (xgettext knows sh_error* and sh_diag_add* as keywords): the person at
   * the terminal reads it in the message language. */
  sh_buf_vprintf(&b, _(fmt), ap);
  d->v[d->n++] = (sh_diag){sev, cls, sh_strdup(file), line, col, sh_buf_steal(&b)};
  if (sev == SH_SEV_ERROR) d->nerrors++;
}

void sh_diag_add(sh_diags *d, sh_severity sev, const char *file, int line, int col,
                 const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  sh_diag_vadd(d, sev, file, line, col, fmt, ap);
  va_end(ap);
}

void sh_diag_addc(sh_diags *d, sh_diag_class cls, sh_severity sev, const char *file, int line, int col,
                  const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  sh_diag_vaddc(d, cls, sev, file, line, col, fmt, ap);
  va_end(ap);
}

void sh_diags_findings(sh_diags *d, size_t n) { d->nfindings += n; }

bool sh_diags_has(const sh_diags *d, sh_diag_class cls) {
  for (size_t i = 0; i < d->n; i++)
    if (d->v[i].sev == SH_SEV_ERROR && d->v[i].cls == cls) return true;
  return false;
}

sh_exit_code sh_diags_exit_code(const sh_diags *d) {
  if (sh_diags_has(d, SH_DIAG_USAGE) || sh_diags_has(d, SH_DIAG_IO)) return SH_EXIT_USAGE;
  if (sh_diags_has(d, SH_DIAG_DATA)) return SH_EXIT_INVALID;
  if (sh_diags_has(d, SH_DIAG_FINDING) || d->nfindings) return SH_EXIT_FINDINGS;
  return SH_EXIT_OK;
}

void sh_diags_move(sh_diags *dst, sh_diags *src) {
  for (size_t i = 0; i < src->n; i++) {
    if (dst->n == dst->cap) {
      dst->cap = dst->cap ? dst->cap * 2 : 8;
      dst->v = sh_realloc(dst->v, dst->cap * sizeof *dst->v);
    }
    dst->v[dst->n++] = src->v[i];
  }
  dst->nerrors += src->nerrors;
  dst->nfindings += src->nfindings;
  free(src->v);
  memset(src, 0, sizeof *src);
}

/* "shinsa: error: " in the message language ("shinsa: エラー: "): whole prefixes, not the bare words, which are
 * other messages too (a YAML key "note" stays "note"). */
static const char *sev_prefix(sh_severity s) {
  switch (s) {
  case SH_SEV_ERROR: return _("shinsa: error: ");
  case SH_SEV_WARNING: return _("shinsa: warning: ");
  default: return _("shinsa: note: ");
  }
}

char *sh_diag_format(const sh_diag *dg) {
  sh_buf b = {0};
  sh_buf_puts(&b, sev_prefix(dg->sev));
  if (dg->file) {
    sh_buf_puts(&b, dg->file);
    if (dg->line > 0) {
      sh_buf_printf(&b, ":%d", dg->line);
      if (dg->col > 0) sh_buf_printf(&b, ":%d", dg->col);
    }
    sh_buf_puts(&b, ": ");
  }
  sh_buf_puts(&b, dg->msg);
  return sh_buf_steal(&b);
}

/* Returns the given 1-based line of a file (without newline), or NULL. Caller frees. */
static char *source_line(const char *file, int line) {
  int fd = sh_open_input(file, 0); /* regular files only (fileio.h): never blocks on a FIFO */
  FILE *f = fd < 0 ? NULL : fdopen(fd, "rb");
  if (!f) {
    if (fd >= 0) close(fd);
    return NULL;
  }
  sh_buf b = {0};
  int cur = 1, c;
  while ((c = fgetc(f)) != EOF) {
    if (cur == line) {
      if (c == '\n' || c == '\r') break;
      sh_buf_putc(&b, (char)c);
      if (b.len > 400) break;
    } else if (c == '\n') {
      if (++cur > line) break;
    }
  }
  fclose(f);
  if (cur != line) {
    sh_buf_free(&b);
    return NULL;
  }
  return sh_buf_steal(&b);
}

void sh_diags_print(const sh_diags *d, FILE *out, bool show_source) {
  for (size_t i = 0; i < d->n; i++) {
    const sh_diag *dg = &d->v[i];
    /* Diagnostics are for people: always cleaned of control characters (sh_term_clean), so that text quoted
     * from an input (an unknown key, a value, the source line) cannot drive the terminal. */
    char *s = sh_diag_format(dg);
    char *c = sh_term_cleaned(s);
    fprintf(out, "%s\n", c);
    free(c);
    free(s);
    if (!show_source || !dg->file || dg->line <= 0 || dg->col <= 0) continue;
    char *src = source_line(dg->file, dg->line);
    if (!src) continue;
    char *csrc = sh_term_cleaned(src);
    fprintf(out, "  %s\n  ", csrc);
    free(csrc);
    /* The column counts characters (UTF-8 code points); pad with the same bytes up to it
     * (tabs kept) so the caret lines up, counting wide CJK characters as two cells. */
    int col = 1;
    for (const unsigned char *p = (const unsigned char *)src; *p && col < dg->col;) {
      int clen = *p < 0x80 ? 1 : *p < 0xE0 ? 2 : *p < 0xF0 ? 3 : 4;
      if (*p == '\t') fputc('\t', out);
      else if (clen >= 3) fputs("  ", out);
      else fputc(' ', out);
      for (int k = 0; k < clen && *p; k++) p++;
      col++;
    }
    fputs("^\n", out);
    free(src);
  }
}
