/* quotes: verification of verbatim item quotes against the source documents they cite
 * (`shinsa lint --sources DIR`): the quote must occur in the cited lines, whitespace aside. */
#ifndef SHINSA_QUOTES_H
#define SHINSA_QUOTES_H

#include "framework.h"

/* Checks every verbatim item of fw against documents in sources_dir. Adds an error at the quote's
 * position for each mismatch, missing document or line range past the end. Returns the number of
 * quotes checked, or -1 when sources_dir cannot be read. */
int sh_quotes_check(const sh_framework *fw, const char *sources_dir, sh_diags *d);

/* Copies s without any white space (ASCII and U+3000 ideographic space). Caller frees. */
char *sh_strip_space(const char *s);

#endif
