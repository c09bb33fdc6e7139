/* sheet_bench: streams every row of a spreadsheet with the reader of src/sheet.c and prints the row
 * and cell counts; bench/import-bench.sh measures its time and peak memory against xlsx2csv. */
#include <stdio.h>
#include <stdlib.h>

#include "sheet.h"

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: sheet_bench FILE [SHEET]\n");
    return 2;
  }
  sh_diags d = {0};
  sh_sheet *s = sh_sheet_open(argv[1], NULL, &d);
  int rc = 3;
  if (s && sh_sheet_select(s, argc > 2 ? (size_t)atoi(argv[2]) : 0, &d) == 0) {
    const sh_sheet_row *r;
    size_t rows = 0, cells = 0;
    int got;
    while ((got = sh_sheet_next(s, &r, &d)) == 1) {
      rows++;
      cells += r->ncols;
    }
    if (got == 0) {
      printf("%zu rows, %zu cells\n", rows, cells);
      rc = 0;
    }
  }
  sh_diags_print(&d, stderr, false);
  sh_sheet_close(s);
  sh_diags_free(&d);
  return rc;
}
