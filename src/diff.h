/* diff: what changed between two recorded runs (framework versions and texts, documents and their
 * hashes, fact values and provenance, verdicts), for the yearly surveillance review. */
#ifndef SHINSA_DIFF_H
#define SHINSA_DIFF_H

#include "snapshot.h"

/* Writes the differences from run a to run b into out as "text" or "json" (lang ja|en for labels).
 * Returns the number of differences found. */
size_t sh_run_diff(const sh_run_snapshot *a, const sh_run_snapshot *b, const char *format, const char *lang,
                   sh_buf *out);

struct sh_review_state;
/* The same with the runs' review states (review.h; both or neither): the verdicts section compares the
 * verdicts as recorded, and sections "effective" (verdicts with decisions and waivers applied), "decisions"
 * (the counted decisions per item) and "waivers" follow. The output warns when the applicants differ. */
size_t sh_run_diff_reviewed(const sh_run_snapshot *a, const struct sh_review_state *sa, const sh_run_snapshot *b,
                            const struct sh_review_state *sb, const char *format, const char *lang, sh_buf *out);

#endif
