/* texttable: text for the terminal aligned by display width: the width of a string in terminal columns (East Asian
 * Width by utf8proc: a CJK character takes two), and tables whose columns stay aligned whatever the text: each
 * column as wide as its widest cell, numbers right-aligned when asked, the last column not padded and no trailing
 * blanks. A leaf module (util.h and utf8proc only), used by the reports, the crosswalk and the CLI's tables.
 * Cells are borrowed. */
#ifndef SHINSA_TEXTTABLE_H
#define SHINSA_TEXTTABLE_H

#include "util.h"

/* Display width of s in terminal columns (wide East Asian characters count 2, an invalid byte 1). */
size_t sh_display_width(const char *s);

/* Writes nrows rows of ncols cells (row-major, cells[r * ncols + c]; NULL = empty) to out, two spaces between
 * columns; right[c] true right-aligns column c (may be NULL). */
void sh_text_table(sh_buf *out, const char *const *cells, size_t nrows, size_t ncols, const bool *right);

#endif
