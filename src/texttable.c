/* texttable: aligned text tables. See texttable.h. */
#include "texttable.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* Display width of s in terminal columns (wide East Asian characters count 2). */
size_t sh_display_width(const char *s) {
  size_t w = 0;
  const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
  utf8proc_ssize_t len = (utf8proc_ssize_t)strlen(s);
  while (len > 0) {
    utf8proc_int32_t c;
    utf8proc_ssize_t n = utf8proc_iterate(p, len, &c);
    if (n <= 0) { /* invalid byte: one column */
      w++, p++, len--;
      continue;
    }
    int cw = utf8proc_charwidth(c);
    w += cw > 0 ? (size_t)cw : 0;
    p += n, len -= n;
  }
  return w;
}


void sh_text_table(sh_buf *out, const char *const *cells, size_t nrows, size_t ncols, const bool *right) {
  size_t *w = sh_calloc(ncols ? ncols : 1, sizeof *w);
  for (size_t r = 0; r < nrows; r++)
    for (size_t c = 0; c < ncols; c++) {
      const char *s = cells[r * ncols + c];
      size_t dw = sh_display_width(s ? s : "");
      if (dw > w[c]) w[c] = dw;
    }
  for (size_t r = 0; r < nrows; r++) {
    for (size_t c = 0; c < ncols; c++) {
      const char *s = cells[r * ncols + c];
      if (!s) s = "";
      size_t pad = w[c] - sh_display_width(s);
      bool last = c + 1 == ncols;
      if (c) sh_buf_puts(out, "  ");
      if (right && right[c]) for (size_t k = 0; k < pad; k++) sh_buf_putc(out, ' ');
      sh_buf_puts(out, s);
      if (!(right && right[c]) && !last) for (size_t k = 0; k < pad; k++) sh_buf_putc(out, ' ');
    }
    while (out->len && out->data[out->len - 1] == ' ') out->data[--out->len] = 0; /* empty last cells */
    sh_buf_putc(out, '\n');
  }
  free(w);
}
