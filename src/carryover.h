/* carryover: the `check` hook that carries results over from certifications held: items of other
 * frameworks that a valid certification covers (crosswalk class A or B) become covered_by_certification. */
#ifndef SHINSA_CARRYOVER_H
#define SHINSA_CARRYOVER_H

#include "crosswalk.h"
#include "eval.h"

/* Borrows reg and cur (cur may be NULL), which must outlive it; caches one crosswalk per pair.
 * Caller frees with sh_carryover_free. */
typedef struct sh_carryover sh_carryover;
sh_carryover *sh_carryover_new(const sh_registry *reg, const sh_xw_curated *cur);
void sh_carryover_free(sh_carryover *co);

/* The sh_cover_fn of eval.h (ctx = sh_carryover*): for an applicable item, when the package holds a valid
 * certification (valid_until on or after the assessment date, issued not after it) of another framework
 * against which the item is class A or B, sets covered_by_certification with the witnesses
 * ("framework:item") and a reason, and returns true. */
bool sh_carryover_cover(void *ctx, const sh_evaluation *ev, sh_result *r);

/* Adds package-level findings for certifications that give no carry-over: expired, not yet issued, or of
 * an unknown framework. Call after sh_evaluate; recounts. Returns the number of findings added. */
size_t sh_carryover_findings(sh_carryover *co, sh_evaluation *e);

/* Is the certification valid on the assessment date? */
bool sh_certification_valid(const sh_certification *c, sh_date assessment_date);

#endif
