/* logic: sound implication between requirement expressions over the shared vocabulary
 * (normal forms, exact per-fact domains, the vocabulary's implications); owns nothing but its caches. */
#ifndef SHINSA_LOGIC_H
#define SHINSA_LOGIC_H

#include "expr.h"

/* The answer of a decision: NO is given only with a verified counter-model. */
typedef enum { SH_LOGIC_NO = 0, SH_LOGIC_YES = 1, SH_LOGIC_UNKNOWN = 2 } sh_logic;

typedef struct {
  size_t max_cubes; /* bound on the terms of a normal form (default 4096); past it: UNKNOWN */
  size_t max_steps; /* bound on the search nodes of one decision (default 200000); past it: UNKNOWN */
} sh_logic_limits;

/* A reusable context for one vocabulary: caches the normal forms of the vocabulary's implications.
 * Borrows vocab (which must outlive it). Caller frees with sh_logic_free. Not thread-safe. */
typedef struct sh_logic_ctx sh_logic_ctx;
sh_logic_ctx *sh_logic_new(const sh_vocab *vocab, const sh_logic_limits *limits /* NULL = defaults */);
void sh_logic_free(sh_logic_ctx *lc);
const sh_vocab *sh_logic_vocab(const sh_logic_ctx *lc); /* the vocabulary it was built on */

/* What a decision found, for people. Zero-initialise; release with sh_logic_detail_clear. */
typedef struct {
  char *counter_model; /* NO: "fact = value; ..." over the facts of P, Q and the implications used */
  char *why;           /* UNKNOWN: why it could not decide (normal form too large, budget exhausted) */
} sh_logic_detail;
void sh_logic_detail_clear(sh_logic_detail *d);

/* Does P imply Q under the vocabulary's implications? NULL stands for `true`.
 * YES: proven (every model of P and the implications satisfies Q). NO: a counter-model satisfying P and
 * every implication and falsifying Q was found and checked with sh_expr_eval. UNKNOWN otherwise.
 * detail may be NULL. */
sh_logic sh_logic_implies(sh_logic_ctx *lc, const sh_expr *p, const sh_expr *q, sh_logic_detail *detail);
/* YES when both directions are YES, NO when either is NO, else UNKNOWN. */
sh_logic sh_logic_equivalent(sh_logic_ctx *lc, const sh_expr *p, const sh_expr *q);

/* One clause of Q's conjunctive normal form and whether P implies it. */
typedef struct {
  char *clause;     /* canonical expression text of the clause (owned) */
  sh_logic answer;
  char *counter_model; /* NO: as in sh_logic_detail; owned, may be NULL */
} sh_clause;
void sh_clause_free(void *c);

/* Appends to out (sh_clause*, caller frees each with sh_clause_free) the clauses of Q's CNF that P does
 * not provably imply (answer NO or UNKNOWN). Returns YES when none remain (P implies Q), NO when some
 * clause is NO and none UNKNOWN, UNKNOWN otherwise (including a normal form past the bound). */
sh_logic sh_logic_unmet(sh_logic_ctx *lc, const sh_expr *p, const sh_expr *q, sh_vec *out);

/* Convenience: a one-off decision with a temporary context. */
sh_logic sh_implies(const sh_vocab *vocab, const sh_expr *p, const sh_expr *q);

const char *sh_logic_name(sh_logic a); /* "no", "yes", "unknown" */
/* Number of search nodes used by the last decision of lc (for the benchmark). */
size_t sh_logic_steps(const sh_logic_ctx *lc);

#endif
