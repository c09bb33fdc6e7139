/* Tests of the logic module: implication between expressions on every atom kind, the vocabulary's
 * implications, and/or/not, counter-models, unmet clauses and the undecidable (bounded) cases. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "logic.h"

static sh_vocab *V;
static sh_logic_ctx *LC;

static void setup(void) {
  const char *dir = getenv("SHINSA_TEST_DATA");
  cr_assert(dir, "SHINSA_TEST_DATA not set");
  char *path = sh_path_join(dir, "facts.yaml");
  const char *paths[] = {path};
  sh_diags d = {0};
  V = sh_vocab_load(paths, 1, &d);
  sh_diags_print(&d, stderr, false);
  cr_assert(V, "test vocabulary did not load");
  sh_diags_free(&d);
  free(path);
  LC = sh_logic_new(V, NULL);
}

static void teardown(void) {
  sh_logic_free(LC);
  sh_vocab_free(V);
}

static sh_expr *E(const char *s) {
  sh_diags err = {0};
  sh_expr *e = sh_expr_parse(V, s, &err);
  cr_assert(e, "parse of '%s' failed: %s at %d", s, err.v[0].msg, err.v[0].col - 1);
  return e;
}

static sh_logic imp(const char *p, const char *q) {
  sh_expr *a = p ? E(p) : NULL, *b = q ? E(q) : NULL;
  sh_logic_detail d = {0};
  sh_logic r = sh_logic_implies(LC, a, b, &d);
  if (r == SH_LOGIC_NO) cr_assert(d.counter_model && *d.counter_model, "NO without a counter-model");
  if (r == SH_LOGIC_UNKNOWN) cr_assert(d.why, "UNKNOWN without a reason");
  sh_logic_detail_clear(&d);
  sh_expr_free(a);
  sh_expr_free(b);
  return r;
}

#define YES(p, q) cr_expect_eq(imp(p, q), SH_LOGIC_YES, "expected yes: %s => %s", p, q)
#define NO(p, q) cr_expect_eq(imp(p, q), SH_LOGIC_NO, "expected no: %s => %s", p, q)

TestSuite(logic, .init = setup, .fini = teardown);

Test(logic, booleans) {
  YES("board.established", "board.established");
  NO("board.established", "sec.isms");
  YES("board.established = false", "not board.established");
  YES("board.established != true", "board.established = false");
  NO("not board.established", "board.established");
  YES("board.established and not board.established", "sec.isms"); /* false implies anything */
  YES("sec.isms", "board.established or not board.established");  /* tautology */
}

Test(logic, integers) {
  YES("retention.days >= 365", "retention.days >= 30");
  NO("retention.days >= 30", "retention.days >= 365");
  YES("retention.days > 29", "retention.days >= 30");
  YES("retention.days = 10", "retention.days >= 5 and retention.days <= 10");
  YES("retention.days >= 5 and retention.days <= 6 and retention.days != 5", "retention.days = 6");
  NO("retention.days >= 5 and retention.days <= 7 and retention.days != 5", "retention.days = 6");
  YES("retention.days < 10 or retention.days > 20", "retention.days != 15");
  YES("retention.days >= 9223372036854775807", "retention.days > 0");
  YES("retention.days = 3", "not (retention.days < 3)");
}

Test(logic, dates) {
  YES("policy.reviewed_on >= 2024-01-01", "policy.reviewed_on > 2023-12-31");
  NO("policy.reviewed_on >= 2023-01-01", "policy.reviewed_on >= 2024-01-01");
  /* The domain of dates ends at 9999-12-31, as sh_date_parse does. */
  YES("policy.reviewed_on > 9999-12-30", "policy.reviewed_on = 9999-12-31");
  YES("policy.reviewed_on < 1900-01-02", "policy.reviewed_on = 1900-01-01");
}

Test(logic, enums) {
  YES("sec.tls_min = tls13", "sec.tls_min in [tls12, tls13]");
  YES("sec.tls_min in [tls12, tls13]", "sec.tls_min not in [tls10, tls11]");
  NO("sec.tls_min in [tls12, tls13]", "sec.tls_min = tls13");
  YES("sec.tls_min != tls10 and sec.tls_min != tls11 and sec.tls_min != tls12", "sec.tls_min = tls13");
  YES("not (sec.tls_min in [tls10, tls11])", "sec.tls_min in [tls12, tls13]");
}

Test(logic, sets) {
  YES("sec.certs contains all [isms, pmark]", "sec.certs contains any [isms, pmark]");
  NO("sec.certs contains any [isms, pmark]", "sec.certs contains all [isms, pmark]");
  YES("sec.certs contains isms", "sec.certs contains any [isms, cloud]");
  YES("sec.certs = [isms]", "sec.certs subset of [isms, pmark]");
  YES("sec.certs = [isms]", "sec.certs contains isms and not (sec.certs contains pmark)");
  YES("sec.certs subset of [isms] and sec.certs contains any [isms, pmark]", "sec.certs = [isms]");
  NO("sec.certs subset of [isms, pmark]", "sec.certs contains any [isms, pmark]"); /* empty set */
  YES("sec.certs != [isms]", "sec.certs contains pmark or sec.certs contains cloud or not (sec.certs contains isms)");
  YES("data.sensitivity_levels subset of [level0, level1]", "not (data.sensitivity_levels contains level3)");
}

Test(logic, text) {
  YES("org.officer = \"Sato\"", "org.officer != \"Suzuki\"");
  NO("org.officer != \"Suzuki\"", "org.officer = \"Sato\"");
  YES("org.officer = \"Sato\" and org.officer = \"Suzuki\"", "board.established");
  NO("org.officer != \"\"", "org.officer = \"other-1\"");
}

Test(logic, and_or_not) {
  YES("board.established and sec.isms", "sec.isms or retention.days > 3");
  NO("board.established or sec.isms", "board.established");
  YES("(board.established or sec.isms) and not sec.isms", "board.established");
  YES("not (board.established or sec.isms)", "not board.established");
  YES("not (not board.established)", "board.established");
  YES(NULL, "board.established or not board.established");
  NO(NULL, "board.established");
  YES("board.established", NULL);
}

Test(logic, vocabulary_implications) {
  /* board.medical_members >= 1 => board.established (stated in tests/data/facts.yaml) */
  YES("board.medical_members >= 2", "board.established");
  NO("board.members >= 2", "board.established");
  /* contrapositive */
  YES("not board.established", "board.medical_members <= 0");
  /* chained: sec.isms => sec.certs contains isms, and back */
  YES("sec.isms", "sec.certs contains any [isms, pmark]");
  YES("sec.certs = [isms, cloud]", "sec.isms");
  YES("not sec.isms", "not (sec.certs contains isms)");
  NO("sec.certs contains pmark", "sec.isms");
}

Test(logic, counter_model_respects_implications) {
  /* A counter-model of "members >= 1 => not established" must give established = true,
   * and it must also respect medical_members >= 1 => established. */
  sh_expr *p = E("board.medical_members >= 1"), *q = E("board.members >= 1");
  sh_logic_detail d = {0};
  cr_assert_eq(sh_logic_implies(LC, p, q, &d), SH_LOGIC_NO);
  cr_assert(strstr(d.counter_model, "board.established = true"), "model: %s", d.counter_model);
  cr_assert(strstr(d.counter_model, "board.members = 0"), "model: %s", d.counter_model);
  sh_logic_detail_clear(&d);
  sh_expr_free(p);
  sh_expr_free(q);
}

Test(logic, equivalence) {
  sh_expr *a = E("sec.isms"), *b = E("sec.certs contains isms"), *c = E("sec.certs contains pmark");
  cr_expect_eq(sh_logic_equivalent(LC, a, b), SH_LOGIC_YES);
  cr_expect_eq(sh_logic_equivalent(LC, a, c), SH_LOGIC_NO);
  sh_expr_free(a);
  sh_expr_free(b);
  sh_expr_free(c);
}

Test(logic, unmet_clauses) {
  sh_expr *p = E("board.established and retention.days >= 30");
  sh_expr *q = E("board.established and retention.days >= 90 and (sec.isms or sec.tls_min = tls13)");
  sh_vec out = {0};
  cr_assert_eq(sh_logic_unmet(LC, p, q, &out), SH_LOGIC_NO);
  cr_assert_eq(out.n, 2);
  sh_clause *c0 = out.v[0], *c1 = out.v[1];
  cr_expect_str_eq(c0->clause, "retention.days >= 90");
  cr_expect_eq(c0->answer, SH_LOGIC_NO);
  cr_expect_str_eq(c1->clause, "sec.isms or sec.tls_min = tls13");
  sh_vec_free_all(&out, sh_clause_free);
  sh_expr_free(p);
  sh_expr_free(q);

  p = E("sec.isms");
  q = E("sec.certs contains isms");
  cr_assert_eq(sh_logic_unmet(LC, p, q, &out), SH_LOGIC_YES);
  cr_assert_eq(out.n, 0);
  sh_expr_free(p);
  sh_expr_free(q);
}

Test(logic, undecidable_cases_say_unknown) {
  /* A premise whose normal form passes the bound: UNKNOWN, never a guess. */
  sh_logic_limits lim = {.max_cubes = 8, .max_steps = 0};
  sh_logic_ctx *small = sh_logic_new(V, &lim);
  sh_expr *p = E("(sec.isms or board.established) and (retention.days > 1 or retention.days < -1) and "
                 "(sec.tls_min = tls12 or sec.tls_min = tls13) and (org.officer = \"a\" or org.officer = \"b\")");
  sh_expr *q = E("board.members >= 1");
  sh_logic_detail d = {0};
  cr_expect_eq(sh_logic_implies(small, p, q, &d), SH_LOGIC_UNKNOWN);
  cr_expect(d.why && strstr(d.why, "too large"), "why: %s", d.why ? d.why : "(null)");
  sh_logic_detail_clear(&d);
  /* The same question with the default bound is decided (NO: board.members may be 0). */
  cr_expect_eq(sh_logic_implies(LC, p, q, NULL), SH_LOGIC_NO);
  sh_expr_free(p);
  sh_expr_free(q);
  sh_logic_free(small);

  /* A search budget of one node cannot split on a violated implication. */
  sh_logic_limits lim2 = {.max_cubes = 0, .max_steps = 1};
  small = sh_logic_new(V, &lim2);
  p = E("sec.isms");
  q = E("sec.certs contains isms");
  cr_expect_eq(sh_logic_implies(small, p, q, &d), SH_LOGIC_UNKNOWN);
  cr_expect(d.why && strstr(d.why, "budget"), "why: %s", d.why ? d.why : "(null)");
  sh_logic_detail_clear(&d);
  sh_expr_free(p);
  sh_expr_free(q);
  sh_logic_free(small);
}

Test(logic, one_off_helper) {
  sh_expr *p = E("retention.days >= 400"), *q = E("retention.days >= 365");
  cr_expect_eq(sh_implies(V, p, q), SH_LOGIC_YES);
  cr_expect_eq(sh_implies(V, q, p), SH_LOGIC_NO);
  sh_expr_free(p);
  sh_expr_free(q);
}
