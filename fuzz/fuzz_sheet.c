/* Fuzz target: the spreadsheet reader behind `shinsa import` (sheet.h), one executable per format chosen at
 * compile time by FZ_SHEET_SUFFIX (".csv", ".xlsx", ".ods": the reader picks the format from the suffix).
 * Every sheet is selected and every row read, with the cell locations formatted. */
#include <stdlib.h>

#include "fuzz_common.h"
#include "sheet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const char *p = fz_write("sheet" FZ_SHEET_SUFFIX, data, size);
  sh_diags d = {0};
  sh_sheet *s = sh_sheet_open(p, NULL, &d);
  if (s) {
    for (size_t i = 0; i < sh_sheet_count(s) && i < 64; i++) {
      (void)sh_sheet_name(s, i);
      (void)sh_sheet_is_hidden(s, i);
      if (sh_sheet_select(s, i, &d) != 0) continue;
      const sh_sheet_row *row;
      for (int n = 0; n < 100000 && sh_sheet_next(s, &row, &d) == 1; n++)
        if (row->ncols) free(sh_sheet_where(s, row, row->ncols - 1));
    }
    sh_sheet_close(s);
  }
  sh_diags_free(&d);
  return 0;
}
