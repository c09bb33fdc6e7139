/* diff: what changed between two recorded runs (framework versions and texts, documents and their
 * hashes, fact values and provenance, verdicts), for the yearly surveillance review. */
#ifndef SHINSA_DIFF_H
#define SHINSA_DIFF_H

#include "snapshot.h"

/* Writes the differences from run a to run b into out as "text" or "json" (lang ja|en for labels).
 * Returns the number of differences found. */
size_t sh_run_diff(const sh_run_snapshot *a, const sh_run_snapshot *b, const char *format, const char *lang,
                   sh_buf *out);

#endif
