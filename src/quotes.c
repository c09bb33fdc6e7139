/* quotes: quote verification against source documents. See quotes.h. */
#include "quotes.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

char *sh_strip_space(const char *s) {
  sh_buf b = {0};
  for (const unsigned char *p = (const unsigned char *)s; *p;) {
    if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f' || *p == '\v') {
      p++;
      continue;
    }
    /* U+3000 IDEOGRAPHIC SPACE = E3 80 80; U+00A0 NO-BREAK SPACE = C2 A0 */
    if (p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x80) {
      p += 3;
      continue;
    }
    if (p[0] == 0xC2 && p[1] == 0xA0) {
      p += 2;
      continue;
    }
    sh_buf_putc(&b, (char)*p++);
  }
  return sh_buf_steal(&b);
}

/* Lines from..to (1-based, inclusive) of text, joined. Returns NULL when from is past the end. */
static char *slice_lines(const char *text, int from, int to, int *nlines) {
  int line = 1;
  const char *p = text, *start = NULL, *end = NULL;
  if (from == 1) start = p;
  for (; *p; p++) {
    if (*p != '\n') continue;
    if (line == to) {
      end = p;
      break;
    }
    line++;
    if (line == from) start = p + 1;
  }
  *nlines = line;
  if (!start) return NULL;
  if (!end) end = p;
  return sh_strndup(start, (size_t)(end - start));
}

typedef struct {
  char *name;
  char *text;
} source_doc;

int sh_quotes_check(const sh_framework *fw, const char *sources_dir, sh_diags *d) {
  source_doc cache[16] = {{0}};
  size_t ncache = 0;
  int checked = 0;
  for (size_t i = 0; i < fw->items.n; i++) {
    const sh_item *it = fw->items.v[i];
    const sh_source *s = &it->source;
    if (s->form != SH_FORM_VERBATIM || !s->quote || !s->document) continue;
    const char *text = NULL;
    for (size_t k = 0; k < ncache; k++)
      if (strcmp(cache[k].name, s->document) == 0) text = cache[k].text;
    if (!text) {
      if (strchr(s->document, '/')) {
        sh_error(d, fw->file, s->line, s->col, "item '%s': source document '%s' must be a file name", it->id, s->document);
        continue;
      }
      char *path = sh_path_join(sources_dir, s->document);
      char *data = NULL;
      size_t len;
      if (sh_read_file(path, 64u << 20, &data, &len) != 0) {
        sh_error(d, fw->file, s->line, s->col, "item '%s': cannot read source document %s: %s", it->id, path,
                 sh_fio_strerror(errno));
        free(path);
        continue;
      }
      free(path);
      if (ncache < 16) {
        cache[ncache].name = sh_strdup(s->document);
        cache[ncache].text = data;
        text = data;
        ncache++;
      } else {
        free(data);
        continue;
      }
    }
    checked++;
    int nlines = 0;
    char *slice = slice_lines(text, s->line_from, s->line_to, &nlines);
    if (!slice) {
      sh_error(d, fw->file, s->line, s->col, "item '%s': lines %s are past the end of %s (%d lines)", it->id, s->lines,
               s->document, nlines);
      continue;
    }
    char *hay = sh_strip_space(slice), *needle = sh_strip_space(s->quote);
    if (!*needle || !strstr(hay, needle))
      sh_error(d, fw->file, s->quote_line ? s->quote_line : s->line, s->quote_line ? s->quote_col : s->col,
               "item '%s': quote does not occur in %s lines %s (whitespace aside)", it->id, s->document, s->lines);
    free(hay);
    free(needle);
    free(slice);
  }
  for (size_t k = 0; k < ncache; k++) {
    free(cache[k].name);
    free(cache[k].text);
  }
  return checked;
}
