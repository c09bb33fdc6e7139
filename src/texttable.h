/* texttable: a text table for the terminal whose columns stay aligned whatever the text: each column as wide as
 * its widest cell in display columns (East Asian Width: a CJK character takes two; report_cells.h
 * sh_display_width), numbers right-aligned when asked, the last column not padded. Cells are borrowed. */
#ifndef SHINSA_TEXTTABLE_H
#define SHINSA_TEXTTABLE_H

#include "util.h"

/* Writes nrows rows of ncols cells (row-major, cells[r * ncols + c]; NULL = empty) to out, two spaces between
 * columns; right[c] true right-aligns column c (may be NULL). */
void sh_text_table(sh_buf *out, const char *const *cells, size_t nrows, size_t ncols, const bool *right);

#endif
