/* Tests of the expression language: parsing, type checking with error columns, three-valued
 * evaluation, explanations and canonical printing. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "expr.h"
#include "snapshot.h"
#include "helpers.h"

static sh_registry *reg;
static const sh_vocab *V;

static void setup(void) {
  reg = th_test_registry();
  V = reg->vocab;
}
static void teardown(void) { sh_registry_free(reg); }

TestSuite(expr, .init = setup, .fini = teardown);

static sh_expr *parse_ok(const char *text) {
  sh_diags err = {0};
  sh_expr *e = sh_expr_parse(V, text, &err);
  cr_assert_not_null(e, "'%s' should parse, got: %s at %d", text, err.v[0].msg, err.v[0].col - 1);
  cr_assert_eq(err.n, 0);
  return e;
}

/* Parses text expecting an error at 0-based column pos whose message contains needle. */
static void parse_err(const char *text, int pos, const char *needle) {
  sh_diags err = {0};
  sh_expr *e = sh_expr_parse(V, text, &err);
  cr_assert_null(e, "'%s' should not parse", text);
  cr_assert_eq(err.n, 1, "'%s': one error", text);
  cr_assert_eq(err.v[0].cls, SH_DIAG_DATA);
  cr_assert_eq(err.v[0].col - 1, pos, "'%s': error at %d, expected %d (%s)", text, err.v[0].col - 1, pos, err.v[0].msg);
  cr_assert(strstr(err.v[0].msg, needle), "'%s': message '%s' lacks '%s'", text, err.v[0].msg, needle);
  sh_diags_free(&err);
}

Test(expr, parses_every_operator) {
  static const char *ok[] = {
    "sec.isms",
    "sec.isms = false",
    "not sec.isms",
    "sec.certs contains isms",
    "sec.certs contains all [isms, pmark]",
    "sec.certs contains any [isms, pmark]",
    "sec.certs subset of [isms, pmark]",
    "sec.certs = [isms]",
    "sec.certs != [isms, cloud]",
    "sec.tls_min in [tls12, tls13]",
    "sec.tls_min not in [tls10]",
    "sec.tls_min = tls13",
    "retention.days <= 30",
    "retention.days > -1",
    "policy.reviewed_on >= 2024-01-01",
    "org.officer = \"山田\"",
    "org.officer != 'x'",
    "(sec.isms or sec.certs contains pmark) and not (retention.days > 30)",
    "board.established and board.medical_members >= 1 and board.members >= 5",
  };
  for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) sh_expr_free(parse_ok(ok[i]));
}

Test(expr, syntax_errors_name_the_column) {
  parse_err("", 0, "empty expression");
  parse_err("sec.isms and", 12, "expected a fact");
  parse_err("(sec.isms", 0, "unclosed '('");
  parse_err("sec.isms)", 8, "unexpected");
  parse_err("retention.days <= ", 18, "expected a number");
  parse_err("sec.certs contains any isms", 23, "expected a list");
  parse_err("sec.tls_min in [tls12 tls13]", 22, "expected ',' or ']'");
  parse_err("retention.days <= 30 30", 21, "unexpected");
  parse_err("sec.isms $ x", 9, "unexpected");
  parse_err("org.officer = \"abc", 14, "unterminated string");
  parse_err("sec.certs subset [isms]", 17, "expected 'of'");
}

Test(expr, unknown_fact_with_suggestion) {
  parse_err("sec.ismz", 0, "unknown fact 'sec.ismz' (did you mean 'sec.isms'?)");
  parse_err("sec.isms and nothing.like.this = 3", 13, "unknown fact 'nothing.like.this'");
}

Test(expr, type_errors_name_the_column) {
  parse_err("retention.days", 0, "not boolean");
  parse_err("sec.isms < true", 9, "needs an integer or date");
  parse_err("retention.days = true", 17, "is an integer");
  parse_err("sec.tls_min = tls99", 14, "not a value of fact 'sec.tls_min'");
  parse_err("sec.certs contains cloud9", 19, "not a value");
  parse_err("retention.days in [1, 2]", 15, "'in' needs an enum");
  parse_err("sec.tls_min contains tls12", 12, "'contains' needs a set");
  parse_err("policy.reviewed_on >= 2024-02-30", 22, "expected YYYY-MM-DD");
  parse_err("org.officer = yamada", 14, "quoted string");
  parse_err("sec.certs in [isms]", 10, "use 'contains any'");
  /* Japanese text before the error: the column counts characters, not bytes. */
  parse_err("org.officer = \"山田\" and x.y", 23, "unknown fact");
}

Test(expr, canonical_printing_round_trips) {
  static const char *cases[][2] = {
    {"sec.isms", "sec.isms"},
    {"not sec.isms", "not sec.isms"},
    {"sec.certs contains isms", "sec.certs contains isms"},
    {"sec.certs contains all [pmark, isms]", "sec.certs contains all [isms, pmark]"},
    {"(a_b)", NULL},
    {"sec.isms and (retention.days<=30 or sec.tls_min in [tls13,tls12])",
     "sec.isms and (retention.days <= 30 or sec.tls_min in [tls12, tls13])"},
    {"not (sec.isms and board.established)", "not (sec.isms and board.established)"},
    {"(sec.isms and board.established) and retention.days = 3", "sec.isms and board.established and retention.days = 3"},
    {"policy.reviewed_on >= 2024-01-31", "policy.reviewed_on >= 2024-01-31"},
    {"org.officer = \"a\\\"b\"", "org.officer = \"a\\\"b\""},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    if (!cases[i][1]) continue;
    sh_expr *e = parse_ok(cases[i][0]);
    char *s = sh_expr_to_string(e);
    cr_assert_str_eq(s, cases[i][1]);
    sh_expr *again = parse_ok(s);
    char *s2 = sh_expr_to_string(again);
    cr_assert_str_eq(s2, s, "printing is not a fixed point");
    free(s);
    free(s2);
    sh_expr_free(e);
    sh_expr_free(again);
  }
}

/* A tiny fact environment: values by fact id. */
typedef struct {
  const char *id;
  sh_value v;
} envval;

typedef struct {
  envval vals[8];
  size_t n;
} env;

static const sh_value *lookup(const void *ctx, const sh_fact *f) {
  const env *E = ctx;
  for (size_t i = 0; i < E->n; i++)
    if (strcmp(E->vals[i].id, f->id) == 0) return &E->vals[i].v;
  return NULL;
}

static sh_tv eval_in(const char *text, const env *E) {
  sh_expr *e = parse_ok(text);
  sh_tv t = sh_expr_eval(e, lookup, E);
  sh_expr_free(e);
  return t;
}

Test(expr, three_valued_evaluation) {
  env E = {{{"sec.isms", {.type = SH_T_BOOL, .b = true}},
            {"retention.days", {.type = SH_T_INT, .i = 45}},
            {"sec.certs", {.type = SH_T_SET, .set = 1u /* isms */}},
            {"sec.tls_min", {.type = SH_T_ENUM, .i = 2 /* tls12 */}},
            {"policy.reviewed_on", {.type = SH_T_DATE, .i = 19723 /* 2024-01-01 */}}},
           5};
  cr_assert_eq(eval_in("sec.isms", &E), SH_TV_TRUE);
  cr_assert_eq(eval_in("not sec.isms", &E), SH_TV_FALSE);
  cr_assert_eq(eval_in("retention.days <= 30", &E), SH_TV_FALSE);
  cr_assert_eq(eval_in("retention.days > 30", &E), SH_TV_TRUE);
  cr_assert_eq(eval_in("sec.certs contains isms", &E), SH_TV_TRUE);
  cr_assert_eq(eval_in("sec.certs contains all [isms, pmark]", &E), SH_TV_FALSE);
  cr_assert_eq(eval_in("sec.certs contains any [pmark, isms]", &E), SH_TV_TRUE);
  cr_assert_eq(eval_in("sec.certs subset of [isms, pmark]", &E), SH_TV_TRUE);
  cr_assert_eq(eval_in("sec.certs subset of [pmark]", &E), SH_TV_FALSE);
  cr_assert_eq(eval_in("sec.certs = [isms]", &E), SH_TV_TRUE);
  cr_assert_eq(eval_in("sec.tls_min in [tls12, tls13]", &E), SH_TV_TRUE);
  cr_assert_eq(eval_in("sec.tls_min not in [tls12, tls13]", &E), SH_TV_FALSE);
  cr_assert_eq(eval_in("policy.reviewed_on >= 2024-01-01", &E), SH_TV_TRUE);
  cr_assert_eq(eval_in("policy.reviewed_on > 2024-01-01", &E), SH_TV_FALSE);
  /* Kleene logic with a missing fact (board.established). */
  cr_assert_eq(eval_in("board.established", &E), SH_TV_UNKNOWN);
  cr_assert_eq(eval_in("not board.established", &E), SH_TV_UNKNOWN);
  cr_assert_eq(eval_in("board.established and retention.days <= 30", &E), SH_TV_FALSE);
  cr_assert_eq(eval_in("board.established and sec.isms", &E), SH_TV_UNKNOWN);
  cr_assert_eq(eval_in("board.established or sec.isms", &E), SH_TV_TRUE);
  cr_assert_eq(eval_in("board.established or not sec.isms", &E), SH_TV_UNKNOWN);
}

Test(expr, explanations_name_required_and_actual) {
  env E = {{{"retention.days", {.type = SH_T_INT, .i = 45}}, {"sec.isms", {.type = SH_T_BOOL, .b = true}}}, 2};
  sh_expr *e = parse_ok("retention.days <= 30 and not sec.isms and board.established");
  sh_vec out = {0};
  sh_expr_explain(e, true, lookup, &E, &out);
  cr_assert_eq(out.n, 3);
  const sh_reason *r0 = out.v[0], *r1 = out.v[1], *r2 = out.v[2];
  cr_assert_str_eq(r0->fact->id, "retention.days");
  cr_assert_str_eq(r0->required, "<= 30");
  cr_assert_str_eq(r0->actual, "45");
  cr_assert_str_eq(r0->message, "retention.days is 45 (required: <= 30)");
  cr_assert_str_eq(r1->condition, "not (sec.isms)");
  cr_assert_str_eq(r1->required, "not = true");
  cr_assert_str_eq(r1->actual, "true");
  cr_assert_str_eq(r2->fact->id, "board.established");
  cr_assert_null(r2->actual);
  cr_assert_str_eq(r2->message, "board.established has no value (required: = true)");
  sh_vec_free_all(&out, sh_reason_free);
  sh_expr_free(e);
}

Test(expr, facts_used_in_order) {
  sh_expr *e = parse_ok("sec.isms and (retention.days < 3 or sec.isms) and board.established");
  sh_vec fs = {0};
  sh_expr_facts(e, &fs);
  cr_assert_eq(fs.n, 3);
  cr_assert_str_eq(((const sh_fact *)fs.v[0])->id, "sec.isms");
  cr_assert_str_eq(((const sh_fact *)fs.v[1])->id, "retention.days");
  cr_assert_str_eq(((const sh_fact *)fs.v[2])->id, "board.established");
  sh_vec_free(&fs);
  sh_expr_free(e);
}

Test(expr, deep_nesting_is_refused_not_crashed) {
  sh_buf b = {0};
  for (int i = 0; i < 500; i++) sh_buf_puts(&b, "not (");
  sh_buf_puts(&b, "sec.isms");
  for (int i = 0; i < 500; i++) sh_buf_putc(&b, ')');
  sh_diags err = {0};
  sh_expr *e = sh_expr_parse(V, sh_buf_str(&b), &err);
  cr_assert_null(e);
  cr_assert(strstr(err.v[0].msg, "nested too deeply"), "%s", err.v[0].msg);
  sh_diags_free(&err);
  sh_buf_free(&b);
}

/* Reasons carry their English msgid and arguments as text, render in the report language, and survive the
 * stores' encoding of their arguments (the msg_key / msg_args columns). */
Test(expr, reasons_render_in_the_report_language) {
  env E = {{{"retention.days", {.type = SH_T_INT, .i = 45}}}, 1};
  sh_expr *e = parse_ok("retention.days <= 30 and board.established");
  sh_vec out = {0};
  sh_expr_explain(e, true, lookup, &E, &out);
  cr_assert_eq(out.n, 2);
  char *en = sh_reason_text(out.v[0], "en"), *ja = sh_reason_text(out.v[0], "ja");
  cr_assert_str_eq(en, "Retention period (retention.days) is 45; required: <= 30");
  cr_assert_str_eq(ja, "保存期間（retention.days）が 45。要件: <= 30");
  free(en), free(ja);
  ja = sh_reason_text(out.v[1], "ja");
  cr_assert(strstr(ja, "（board.established）の値がない。要件: = true"), "%s", ja);
  free(ja);
  sh_vec_free_all(&out, sh_reason_free);
  sh_expr_free(e);

  /* a message reason: arguments converted when created, words and the fact translated when rendered */
  const sh_fact *f = sh_vocab_find(V, "retention.days");
  sh_reason *re = sh_reason_new_message(f, "%s is only %s; this item requires %s evidence", "retention.days",
                                        "declared", "attested");
  sh_reason_tr_arg(sh_reason_tr_arg(sh_reason_fact_arg(re, 0), 1), 2);
  cr_assert_str_eq(re->message, "retention.days is only declared; this item requires attested evidence");
  cr_assert_str_eq(re->key, "%s is only %s; this item requires %s evidence");
  cr_assert_eq(re->nargs, 3);
  en = sh_reason_text(re, "en");
  cr_assert_str_eq(en, "Retention period (retention.days) is only declared; this item requires attested evidence");
  ja = sh_reason_text(re, "ja");
  cr_assert_str_eq(ja, "保存期間（retention.days）の確度は「申告」にとどまる。この項目は「文書による証明」の証跡を要する");
  char *args = sh_snapshot_reason_args(re);
  cr_assert_str_eq(args, "[{\"fact\":\"retention.days\"},{\"msgid\":\"declared\"},{\"msgid\":\"attested\"}]");
  sh_reason *back = sh_snapshot_reason(f, re->key, args, re->message);
  cr_assert_not_null(back);
  char *ja2 = sh_reason_text(back, "ja");
  cr_assert_str_eq(ja2, ja);
  cr_assert_null(sh_snapshot_reason(f, re->key, "[1, 2", re->message), "damaged arguments are refused");
  free(en), free(ja), free(ja2), free(args);
  sh_reason_free(back);
  sh_reason_free(re);

  /* numbers of every width become text; a reason recorded before keys renders as its message */
  re = sh_reason_new_message(NULL, "%s holds %zu roles, %lld runs, %d%%", "x", (size_t)3, 9000000000LL, -4);
  cr_assert_str_eq(re->message, "x holds 3 roles, 9000000000 runs, -4%");
  cr_assert_eq(re->nargs, 4);
  sh_reason_free(re);
  re = sh_snapshot_reason(NULL, NULL, NULL, "an old English sentence");
  ja = sh_reason_text(re, "ja");
  cr_assert_str_eq(ja, "an old English sentence");
  free(ja);
  sh_reason_free(re);

  /* positional conversions let a translation reorder the arguments */
  char *const a2[] = {"A", "B"};
  char *s = sh_reason_format("%2$s then %1$s, %s%%", a2, 2);
  cr_assert_str_eq(s, "B then A, A%");
  free(s);
}
