/* texttable: aligned text tables. See texttable.h. */
#include "texttable.h"

#include "report_cells.h"

#include <stdlib.h>

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
    sh_buf_putc(out, '\n');
  }
  free(w);
}
