/* eval: evaluation of an evidence package against frameworks: applicability, requirement,
 * provenance and document checks, giving each item a verdict with reasons. Results are plain data
 * read by the report writers and the run store. */
#ifndef SHINSA_EVAL_H
#define SHINSA_EVAL_H

#include "evidence.h"

typedef enum {
  SH_V_SATISFIED,
  SH_V_NOT_SATISFIED,
  SH_V_NEEDS_REVIEW,
  SH_V_NOT_APPLICABLE,
  SH_V_UNKNOWN,
  SH_V_COVERED,   /* covered_by_certification */
  SH_V__COUNT
} sh_verdict;

typedef struct {
  const sh_item *item;
  sh_verdict verdict;
  sh_vec reasons;     /* sh_reason* (owned) */
  sh_vec missing;     /* const sh_fact*: facts without value that decided `unknown` */
  sh_vec facts_used;  /* const sh_fact*: facts of applies_if and require */
  sh_vec witnesses;   /* char* "framework:item" (carry-over); owned */
  const sh_answer *answer; /* the applicant's answer (borrowed from the evidence), or NULL */
  bool contradiction; /* answered implemented, but the machine check fails */
} sh_result;

struct sh_evaluation;
/* Carry-over hook (crosswalk): may set r->verdict = SH_V_COVERED with witnesses and a reason.
 * Called for each applicable item before it is evaluated; returns true when it decided the item. */
typedef bool (*sh_cover_fn)(void *ctx, const struct sh_evaluation *ev, sh_result *r);

typedef struct {
  sh_cover_fn cover;
  void *cover_ctx;
} sh_eval_options;

/* The outcome of one evaluation. Owns its results; borrows evidence and frameworks. */
typedef struct sh_evaluation {
  const sh_evidence *evidence;
  sh_vec frameworks;        /* const sh_framework* */
  sh_vec results;           /* sh_result*, framework order then item order */
  size_t counts[SH_V__COUNT];
  size_t must_failing;      /* applicable must items not satisfied (and not covered) */
  sh_vec findings;          /* sh_reason*: package-level findings (expired certification, bad documents) */
} sh_evaluation;

sh_evaluation *sh_evaluate(const sh_evidence *ev, const sh_framework *const *fws, size_t nfw,
                           const sh_eval_options *opts);
void sh_evaluation_free(sh_evaluation *e);

const char *sh_verdict_name(sh_verdict v);     /* "satisfied", ..., "covered_by_certification" */
/* The verdict sh_verdict_name gives s: true and *out set, or false (s NULL or no verdict's name). */
bool sh_verdict_parse(const char *s, sh_verdict *out);
/* For people: the verdict in lang ("ja" or "en", else ja) from the message catalog (static). */
const char *sh_verdict_label(sh_verdict v, const char *lang);
/* Recomputes counts and must_failing after a hook or review changed verdicts. */
void sh_evaluation_recount(sh_evaluation *e);

#endif
