/* gate: the regression gate of `check --baseline`: the effective verdict of every item (the verdict
 * after reviewer decisions; an active waiver on an item not met makes it "waived") of a baseline (a
 * recorded run, or a shinsa-check/1 JSON report) compared with a new run; an item is worse when its
 * rank rises: satisfied / covered_by_certification / not_applicable < waived < needs_review < unknown
 * < not_satisfied. Items only in one side are not compared. Strings owned (sh_gate_free). */
#ifndef SHINSA_GATE_H
#define SHINSA_GATE_H

#include "review.h"

typedef struct {
  sh_vec keys;    /* char* "FRAMEWORK:ITEM" */
  sh_vec labels;  /* char* effective verdict: a verdict name, or "waived (VERDICT)" */
  sh_vec ranks;   /* intptr_t */
} sh_gate;

void sh_gate_free(sh_gate *g);
/* The effective verdicts of an evaluation with (optionally, may be NULL) its review state applied. */
void sh_gate_from_eval(sh_gate *g, const sh_evaluation *e, const sh_review_state *rs);
/* From a JSON report written by `check --format json` or `report --format json` (shinsa-check/1). Returns 0,
 * or -1 with errors in d (I/O: class io; not such a report: data). */
int sh_gate_from_json(sh_gate *g, const char *path, sh_diags *d);
/* Appends to out one line per item worse in now than in base ("FW:ITEM: satisfied -> not_satisfied").
 * Returns the number of such items. */
size_t sh_gate_compare(const sh_gate *base, const sh_gate *now, sh_vec *out);

#endif
