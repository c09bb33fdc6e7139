/* Tests of the applicant's answers (answers: in evidence.yaml and answers_file:): every status on a
 * manual item, the unanswered manual item, planned and contradiction findings, errors with their
 * location and did-you-mean (unknown framework, item, document, fact), and the answers file. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "answers.h"
#include "eval.h"
#include "hash.h"
#include "helpers.h"

static sh_registry *reg;
static char *tmp;

static void setup(void) {
  reg = th_test_registry();
  tmp = th_tmpdir();
}
static void teardown(void) {
  sh_registry_free(reg);
  free(tmp);
}

TestSuite(answers, .init = setup, .fini = teardown);

static const char doc_text[] = "第5条 同意の撤回は設定画面から行う。\n";

/* A package in tmp/name: the basic facts, one document docs/terms.txt, then the extra YAML. */
static char *package(const char *name, const char *extra) {
  char *dir = sh_path_join(tmp, name);
  free(th_write(dir, "docs/terms.txt", doc_text));
  char hash[65];
  sh_sha256_hex(doc_text, strlen(doc_text), hash);
  char *yaml = sh_printf("applicant:\n  name: テスト株式会社\n  kind: phr_operator\n  assessment_date: 2026-10-01\n"
                         "frameworks: [test-fw]\n"
                         "facts:\n  sec.certs: [isms]\n  sec.tls_min: tls11\n  retention.days: 45\n"
                         "documents:\n  - path: docs/terms.txt\n    sha256: %s\n    title: 利用規約\n%s",
                         hash, extra);
  free(th_write(dir, "evidence.yaml", yaml));
  free(yaml);
  return dir;
}

static sh_evidence *load_ok(const char *dir) {
  sh_diags d = {0};
  sh_evidence *ev = sh_evidence_load(reg->vocab, dir, &d);
  char *s = th_diags_str(&d);
  cr_assert_not_null(ev, "evidence failed to load:\n%s", s);
  cr_assert_eq(sh_answers_check(ev, reg, &d), 0, "answers refused:\n%s", s);
  free(s);
  sh_diags_free(&d);
  return ev;
}

/* Loads a package expected to fail; returns the diagnostics as text (caller frees). */
static char *load_err(const char *dir) {
  sh_diags d = {0};
  sh_evidence *ev = sh_evidence_load(reg->vocab, dir, &d);
  if (ev) sh_answers_check(ev, reg, &d);
  cr_assert_gt(d.nerrors, 0, "expected an error");
  char *s = th_diags_str(&d);
  sh_evidence_free(ev);
  sh_diags_free(&d);
  return s;
}

static sh_evaluation *run(const sh_evidence *ev) {
  const sh_framework *fw = sh_registry_find(reg, "test-fw");
  return sh_evaluate(ev, &fw, 1, NULL);
}

static bool has_reason(const sh_result *r, const char *needle) {
  for (size_t k = 0; k < r->reasons.n; k++)
    if (strstr(((const sh_reason *)r->reasons.v[k])->message, needle)) return true;
  return false;
}

static bool has_finding(const sh_evaluation *e, const char *needle) {
  for (size_t k = 0; k < e->findings.n; k++)
    if (strstr(((const sh_reason *)e->findings.v[k])->message, needle)) return true;
  return false;
}

Test(answers, manual_item_unanswered_says_so) {
  char *dir = package("none", "");
  sh_evidence *ev = load_ok(dir);
  sh_evaluation *e = run(ev);
  const sh_result *r = th_result(e, "test-fw", "2.2");
  cr_assert_eq(r->verdict, SH_V_NEEDS_REVIEW);
  cr_assert_null(r->answer);
  cr_assert(has_reason(r, "not answered"));
  sh_evaluation_free(e);
  sh_evidence_free(ev);
  free(dir);
}

Test(answers, implemented_and_partial_are_shown_to_the_reviewer) {
  static const char *const st[] = {"implemented", "partial"};
  for (int k = 0; k < 2; k++) {
    char *extra = sh_printf("answers:\n  \"test-fw:2.2\":\n    status: %s\n"
                            "    answer: {ja: 設定画面から撤回できる, en: Withdrawal from the settings screen}\n"
                            "    refs:\n      - {document: docs/terms.txt, at: 第5条}\n", st[k]);
    char *dir = package(st[k], extra);
    sh_evidence *ev = load_ok(dir);
    sh_evaluation *e = run(ev);
    const sh_result *r = th_result(e, "test-fw", "2.2");
    cr_assert_eq(r->verdict, SH_V_NEEDS_REVIEW);
    cr_assert_not_null(r->answer);
    cr_assert_eq(r->answer->status, k == 0 ? SH_ANS_IMPLEMENTED : SH_ANS_PARTIAL);
    cr_assert_str_eq(r->answer->text.ja, "設定画面から撤回できる");
    cr_assert_str_eq(r->answer->text.en, "Withdrawal from the settings screen");
    cr_assert_eq(r->answer->refs.n, 1);
    const sh_answer_ref *ref = r->answer->refs.v[0];
    cr_assert_str_eq(ref->document->path, "docs/terms.txt");
    cr_assert_str_eq(ref->at, "第5条");
    cr_assert_eq(ref->document->status, SH_DOC_OK);
    cr_assert(has_reason(r, st[k]));
    cr_assert_not(has_reason(r, "not answered"));
    cr_assert_eq(e->findings.n, 0);
    sh_evaluation_free(e);
    sh_evidence_free(ev);
    free(dir);
    free(extra);
  }
}

Test(answers, planned_is_a_finding_with_its_date) {
  char *dir = package("planned", "answers:\n  test-fw:2.2:\n    status: planned\n    planned_by: 2027-03-31\n"
                                 "    answer: 次期改定で対応する\n"
                                 "  test-fw:1.3:\n    status: planned\n    planned_by: 2026-04-01\n");
  sh_evidence *ev = load_ok(dir);
  sh_evaluation *e = run(ev);
  const sh_result *r = th_result(e, "test-fw", "2.2");
  cr_assert_eq(r->verdict, SH_V_NOT_SATISFIED);
  cr_assert(has_reason(r, "2027-03-31"));
  cr_assert(has_finding(e, "test-fw:2.2: planned by 2027-03-31 (assessment date 2026-10-01)"));
  /* A machine item keeps its verdict; a date already passed is called so. */
  cr_assert_eq(th_result(e, "test-fw", "1.3")->verdict, SH_V_NOT_SATISFIED);
  cr_assert(has_finding(e, "test-fw:1.3: planned by 2026-04-01, which has passed"));
  sh_evaluation_free(e);
  sh_evidence_free(ev);
  free(dir);
}

Test(answers, not_applicable_needs_a_reason_and_is_shown) {
  char *dir = package("na", "answers:\n  test-fw:2.2:\n    status: not_applicable\n    reason: 同意に基づく取得はしていない\n");
  sh_evidence *ev = load_ok(dir);
  sh_evaluation *e = run(ev);
  const sh_result *r = th_result(e, "test-fw", "2.2");
  cr_assert_eq(r->verdict, SH_V_NEEDS_REVIEW, "the reviewer decides whether the item does not apply");
  cr_assert(has_reason(r, "not applicable: 同意に基づく取得はしていない"));
  sh_evaluation_free(e);
  sh_evidence_free(ev);
  free(dir);
  dir = package("na-noreason", "answers:\n  test-fw:2.2:\n    status: not_applicable\n");
  char *s = load_err(dir);
  cr_assert(strstr(s, "evidence.yaml:16:5: status: not_applicable needs a reason"), "%s", s);
  free(s);
  free(dir);
  dir = package("planned-nodate", "answers:\n  test-fw:2.2:\n    status: planned\n");
  s = load_err(dir);
  cr_assert(strstr(s, "needs planned_by"), "%s", s);
  free(s);
  free(dir);
}

Test(answers, implemented_but_failing_machine_check_is_a_contradiction) {
  char *dir = package("contra", "answers:\n  test-fw:1.2:\n    status: implemented\n    answer: TLS 1.2 以上のみ\n"
                                "  test-fw:1.1:\n    status: implemented\n");
  sh_evidence *ev = load_ok(dir);
  sh_evaluation *e = run(ev);
  const sh_result *r = th_result(e, "test-fw", "1.2");
  cr_assert_eq(r->verdict, SH_V_NOT_SATISFIED);
  cr_assert(r->contradiction);
  cr_assert(has_reason(r, "contradiction"));
  cr_assert(has_finding(e, "test-fw:1.2: answered implemented, but the requirement is not met"));
  /* 1.1 is met by the facts: no contradiction. */
  cr_assert_not(th_result(e, "test-fw", "1.1")->contradiction);
  cr_assert_eq(e->findings.n, 1);
  sh_evaluation_free(e);
  sh_evidence_free(ev);
  free(dir);
}

Test(answers, unknown_ids_have_location_and_did_you_mean) {
  char *dir = package("badfw", "answers:\n  test-fx:2.2:\n    status: implemented\n");
  char *s = load_err(dir);
  cr_assert(strstr(s, "evidence.yaml:15:3: unknown framework 'test-fx' in answer key 'test-fx:2.2' "
                      "(did you mean 'test-fw'?)"), "%s", s);
  free(s);
  free(dir);
  dir = package("baditem", "answers:\n  test-fw:2.9:\n    status: implemented\n");
  s = load_err(dir);
  cr_assert(strstr(s, "evidence.yaml:15:3: test-fw has no item '2.9' (did you mean 'test-fw:2.1'?)"), "%s", s);
  free(s);
  free(dir);
  dir = package("badkey", "answers:\n  just-an-item:\n    status: implemented\n");
  s = load_err(dir);
  cr_assert(strstr(s, "evidence.yaml:15:3: answer key 'just-an-item' must be FRAMEWORK:ITEM"), "%s", s);
  free(s);
  free(dir);
  dir = package("baddoc", "answers:\n  test-fw:2.2:\n    status: implemented\n    refs:\n"
                          "      - {document: docs/term.txt, at: 第5条}\n");
  s = load_err(dir);
  cr_assert(strstr(s, "evidence.yaml:18:20: document 'docs/term.txt' is not listed under documents: "
                      "(did you mean 'docs/terms.txt'?)"), "%s", s);
  free(s);
  free(dir);
  dir = package("badstatus", "answers:\n  test-fw:2.2:\n    status: done\n");
  s = load_err(dir);
  cr_assert(strstr(s, "evidence.yaml:16:13: unknown answer status 'done'"), "%s", s);
  free(s);
  free(dir);
}

Test(answers, unknown_fact_in_facts_has_did_you_mean) {
  char *dir = package("badfact", "");
  char *p = sh_path_join(dir, "evidence.yaml");
  char *text = NULL;
  size_t len = 0;
  cr_assert_eq(sh_read_file(p, 1 << 20, &text, &len), 0);
  char *bad = sh_printf("%.*s  retention.dayz: 45\n%s", (int)(strstr(text, "documents:") - text), text,
                        strstr(text, "documents:"));
  free(th_write(dir, "evidence.yaml", bad));
  char *s = load_err(dir);
  cr_assert(strstr(s, "evidence.yaml:10:3: unknown fact 'retention.dayz' (did you mean 'retention.days'?)"),
            "%s", s);
  free(s);
  free(bad);
  free(text);
  free(p);
  free(dir);
}

Test(answers, answers_file_overrides_inline_answers) {
  char *dir = package("file", "answers_file: answers.yaml\nanswers:\n  test-fw:2.2:\n    status: partial\n"
                              "  test-fw:1.1:\n    status: implemented\n");
  free(th_write(dir, "answers.yaml", "# imported\nanswers:\n  \"test-fw:2.2\":\n    status: implemented\n"
                                     "    answer: 規約第5条で定める\n"));
  sh_evidence *ev = load_ok(dir);
  cr_assert_str_eq(ev->answers_file, "answers.yaml");
  cr_assert_eq(ev->answers.n, 2);
  const sh_answer *a = sh_answer_find(ev, "test-fw", "2.2");
  cr_assert_eq(a->status, SH_ANS_IMPLEMENTED);
  cr_assert_str_eq(a->text.ja, "規約第5条で定める");
  cr_assert(strstr(a->origin, "answers.yaml"));
  cr_assert_eq(sh_answer_find(ev, "test-fw", "1.1")->status, SH_ANS_IMPLEMENTED);
  sh_evidence_free(ev);
  free(dir);
  /* A missing answers file is an error at the answers_file: value. */
  dir = package("nofile", "answers_file: missing.yaml\n");
  char *s = load_err(dir);
  cr_assert(strstr(s, "evidence.yaml:14:15: cannot read the answers file 'missing.yaml'"), "%s", s);
  free(s);
  free(dir);
}

Test(answers, yaml_written_back_reads_the_same) {
  char *dir = package("write", "answers:\n  test-fw:2.2:\n    status: not_applicable\n    reason: \"a \\\"quoted\\\"\\nline\"\n"
                               "  test-fw:1.3:\n    status: planned\n    planned_by: 2027-01-31\n"
                               "    answer: {ja: 予定, en: planned}\n    refs: [{document: docs/terms.txt, at: 第5条}]\n");
  sh_evidence *ev = load_ok(dir);
  sh_buf b = {0};
  sh_buf_puts(&b, "answers:\n");
  for (size_t i = 0; i < ev->answers.n; i++) sh_answer_write_yaml(&b, ev->answers.v[i]);
  char *dir2 = package("write2", "answers_file: a.yaml\n");
  free(th_write(dir2, "a.yaml", sh_buf_str(&b)));
  sh_evidence *ev2 = load_ok(dir2);
  cr_assert_eq(ev2->answers.n, 2);
  const sh_answer *a = sh_answer_find(ev2, "test-fw", "2.2");
  cr_assert_str_eq(a->reason, "a \"quoted\"\nline");
  a = sh_answer_find(ev2, "test-fw", "1.3");
  cr_assert_eq(a->status, SH_ANS_PLANNED);
  cr_assert_eq(a->planned_by, sh_answer_find(ev, "test-fw", "1.3")->planned_by);
  cr_assert_str_eq(a->text.en, "planned");
  cr_assert_str_eq(((const sh_answer_ref *)a->refs.v[0])->at, "第5条");
  sh_buf_free(&b);
  sh_evidence_free(ev2);
  sh_evidence_free(ev);
  free(dir2);
  free(dir);
}

/* check and lint refuse an answer for an item that does not exist, at its position (exit 3). */
Test(answers, check_and_lint_report_unknown_items) {
  char *dir = package("cli", "answers:\n  test-fw:2.9:\n    status: implemented\n");
  char *datadir = th_data("datadir");
  const char *check[] = {"check", "--data-dir", datadir, dir, NULL};
  const char *lint[] = {"lint", "--data-dir", datadir, dir, NULL};
  const char *const *cmds[] = {check, lint};
  for (int k = 0; k < 2; k++) {
    char *out = NULL, *err = NULL;
    int rc = th_run(&out, &err, cmds[k]);
    cr_assert_eq(rc, 3, "%s exit %d: %s", cmds[k][0], rc, err);
    cr_assert(strstr(err, "evidence.yaml:15:3: test-fw has no item '2.9' (did you mean 'test-fw:2.1'?)"), "%s", err);
    free(out);
    free(err);
  }
  free(datadir);
  free(dir);
}
