/* Tests of the loaders' error paths: vocabulary, framework and evidence files, each error with
 * FILE:LINE:COL, and every error reported (not just the first). */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "evidence.h"
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

TestSuite(loaders, .init = setup, .fini = teardown);

static void assert_has(const char *all, const char *needle) {
  cr_assert(strstr(all, needle), "diagnostics:\n%s\nlack: %s", all, needle);
}

/* ---------- vocabulary ---------- */

Test(loaders, vocabulary_errors) {
  char *p = th_write(tmp, "facts.yaml",
                     "facts:\n"
                     "  - id: a.b\n"
                     "    type: number\n"
                     "    label: {ja: x}\n"
                     "  - id: Bad-Id\n"
                     "    type: boolean\n"
                     "    label: x\n"
                     "  - id: c.d\n"
                     "    type: enum\n"
                     "    label: x\n"
                     "  - id: e.f\n"
                     "    type: boolean\n"
                     "    label: x\n"
                     "    colour: red\n"
                     "  - id: e.f\n"
                     "    type: boolean\n"
                     "    label: x\n"
                     "  - id: ok.one\n"
                     "    type: boolean\n"
                     "    label: x\n"
                     "implications:\n"
                     "  - if: \"ok.one and zz.top\"\n"
                     "    then: \"ok.one\"\n");
  sh_diags d = {0};
  const char *paths[] = {p};
  cr_assert_null(sh_vocab_load(paths, 1, &d));
  char *s = th_diags_str(&d);
  char exp[512];
  snprintf(exp, sizeof exp, "%s:3:11: unknown fact type 'number'", p);
  assert_has(s, exp);
  snprintf(exp, sizeof exp, "%s:5:9: invalid fact id 'Bad-Id'", p);
  assert_has(s, exp);
  snprintf(exp, sizeof exp, "%s:8:5: fact 'c.d' of type enum needs 'values'", p);
  assert_has(s, exp);
  snprintf(exp, sizeof exp, "%s:14:5: unknown key 'colour' in a fact", p);
  assert_has(s, exp);
  snprintf(exp, sizeof exp, "%s:15:9: fact 'e.f' is already defined", p);
  assert_has(s, exp);
  snprintf(exp, sizeof exp, "%s:22:21: in implication 'if': unknown fact 'zz.top'", p);
  assert_has(s, exp);
  free(s);
  free(p);
  sh_diags_free(&d);
}

/* ---------- frameworks ---------- */

static const char fw_head[] = "framework:\n"
                              "  id: t\n"
                              "  title: {ja: T}\n"
                              "  version: \"1\"\n"
                              "items:\n";

static char *fw_errors(const char *items) {
  sh_buf b = {0};
  sh_buf_puts(&b, fw_head);
  sh_buf_puts(&b, items);
  char *p = th_write(tmp, "fw.yaml", sh_buf_str(&b));
  sh_buf_free(&b);
  sh_diags d = {0};
  sh_framework *fw = sh_framework_load(reg->vocab, p, &d);
  cr_assert_null(fw, "framework should not load");
  char *s = th_diags_str(&d);
  sh_diags_free(&d);
  free(p);
  return s;
}

Test(loaders, framework_expression_errors_point_into_the_file) {
  char *s = fw_errors("  - id: \"1\"\n"
                      "    text: {ja: x}\n"
                      "    strength: must\n"
                      "    require: \"sec.isms and retention.days = true\"\n"
                      "    source: {document: d.txt, lines: \"1\", form: derived}\n"
                      "  - id: \"2\"\n"
                      "    text: {ja: x}\n"
                      "    strength: must\n"
                      "    applies_if: sec.certs contains gold\n"
                      "    require: sec.isms\n"
                      "    source: {document: d.txt, lines: \"1\", form: derived}\n");
  /* Line 9 of the file: `    require: "sec.isms and retention.days = true"` -> quote at col 14, literal at +31. */
  char exp[256];
  snprintf(exp, sizeof exp, "%s/fw.yaml:9:45: in require: fact 'retention.days' is an integer", tmp);
  assert_has(s, exp);
  snprintf(exp, sizeof exp, "%s/fw.yaml:14:36: in applies_if: 'gold' is not a value of fact 'sec.certs'", tmp);
  assert_has(s, exp);
  free(s);
}

Test(loaders, framework_structure_errors) {
  char *s = fw_errors("  - id: \"1\"\n"
                      "    text: {ja: x}\n"
                      "    strength: mandatory\n"
                      "    require: sec.isms\n"
                      "    manual: true\n"
                      "    source: {document: d.txt, lines: \"1\", form: verbatim}\n"
                      "  - id: \"1\"\n"
                      "    text: {ja: x}\n"
                      "    strength: must\n"
                      "    source: {document: d.txt, lines: \"9-3\", form: guessed}\n"
                      "    colour: red\n");
  char exp[256];
  snprintf(exp, sizeof exp, "%s/fw.yaml:8:15: strength must be must, should or effort, not 'mandatory'", tmp);
  assert_has(s, exp);
  snprintf(exp, sizeof exp, "%s/fw.yaml:9:14: item '1' has both 'require' and 'manual: true'", tmp);
  assert_has(s, exp);
  snprintf(exp, sizeof exp, "%s/fw.yaml:11:13: item '1': a verbatim source needs a 'quote'", tmp);
  assert_has(s, exp);
  snprintf(exp, sizeof exp, "%s/fw.yaml:12:9: duplicate item id '1'", tmp);
  assert_has(s, exp);
  snprintf(exp, sizeof exp, "%s/fw.yaml:15:38: source lines must be N or N-M, not '9-3'", tmp);
  assert_has(s, exp);
  snprintf(exp, sizeof exp, "%s/fw.yaml:15:51: source form must be verbatim, paraphrase or derived", tmp);
  assert_has(s, exp);
  snprintf(exp, sizeof exp, "%s/fw.yaml:16:5: unknown key 'colour' in an item", tmp);
  assert_has(s, exp);
  snprintf(exp, sizeof exp, "%s/fw.yaml:12:5: item '1' needs 'require' (an expression) or 'manual: true'", tmp);
  assert_has(s, exp);
  free(s);
}

Test(loaders, framework_manual_items_need_evidence) {
  char *s = fw_errors("  - id: m\n"
                      "    text: {ja: x}\n"
                      "    strength: should\n"
                      "    manual: true\n"
                      "    source: {document: d.txt, form: paraphrase}\n");
  char exp[256];
  snprintf(exp, sizeof exp, "%s/fw.yaml:6:5: manual item 'm' needs 'evidence_needed'", tmp);
  assert_has(s, exp);
  free(s);
}

/* ---------- evidence ---------- */

static char *evidence_errors(const char *yaml) {
  char *dir = sh_path_join(tmp, "pkg");
  char *p = th_write(dir, "evidence.yaml", yaml);
  free(th_write(dir, "docs/a.txt", "hello\n"));
  sh_diags d = {0};
  sh_evidence *ev = sh_evidence_load(reg->vocab, dir, &d);
  cr_assert_null(ev, "evidence should not load");
  char *s = th_diags_str(&d);
  sh_diags_free(&d);
  free(p);
  free(dir);
  return s;
}

static const char ev_head[] = "applicant:\n"
                              "  name: X\n"
                              "  kind: phr_operator\n"
                              "  assessment_date: 2026-10-01\n";

Test(loaders, evidence_unknown_facts_and_wrong_types) {
  sh_buf b = {0};
  sh_buf_puts(&b, ev_head);
  sh_buf_puts(&b, "facts:\n"
                  "  sec.isms: yes please\n"
                  "  retention.days: \"30\"\n"
                  "  sec.certs: isms\n"
                  "  sec.tls_min: tls99\n"
                  "  no.such_fact: 1\n"
                  "  data.max_sensitivity_level: 2\n"
                  "  policy.reviewed_on: 2024-02-30\n");
  char *s = evidence_errors(sh_buf_str(&b));
  char exp[256];
  snprintf(exp, sizeof exp, "%s/pkg/evidence.yaml:6:13: fact 'sec.isms' is boolean", tmp);
  assert_has(s, exp);
  snprintf(exp, sizeof exp, "%s/pkg/evidence.yaml:7:19: fact 'retention.days' is an integer (day)", tmp);
  assert_has(s, exp);
  snprintf(exp, sizeof exp, "%s/pkg/evidence.yaml:8:14: fact 'sec.certs' is a set", tmp);
  assert_has(s, exp);
  snprintf(exp, sizeof exp, "%s/pkg/evidence.yaml:9:16: 'tls99' is not a value of fact 'sec.tls_min'", tmp);
  assert_has(s, exp);
  snprintf(exp, sizeof exp, "%s/pkg/evidence.yaml:10:3: unknown fact 'no.such_fact'", tmp);
  assert_has(s, exp);
  snprintf(exp, sizeof exp, "%s/pkg/evidence.yaml:11:3: fact 'data.max_sensitivity_level' is computed by shinsa", tmp);
  assert_has(s, exp);
  snprintf(exp, sizeof exp, "%s/pkg/evidence.yaml:12:23: fact 'policy.reviewed_on' is a date", tmp);
  assert_has(s, exp);
  free(s);
  sh_buf_free(&b);
}

Test(loaders, evidence_paths_must_stay_inside) {
  sh_buf b = {0};
  sh_buf_puts(&b, ev_head);
  static const char z[] = "0000000000000000000000000000000000000000000000000000000000000000";
  sh_buf_printf(&b,
                "documents:\n"
                "  - {path: ../outside.txt, sha256: %s, title: t}\n"
                "  - {path: /etc/passwd, sha256: %s, title: t}\n"
                "  - {path: docs/a.txt, sha256: nothex, title: t}\n"
                "  - {path: docs/a.txt, title: t, attests: [no.fact]}\n",
                z, z);
  char *s = evidence_errors(sh_buf_str(&b));
  char exp[256];
  snprintf(exp, sizeof exp, "%s/pkg/evidence.yaml:6:12: document path '../outside.txt' refused: '..' is not allowed", tmp);
  assert_has(s, exp);
  snprintf(exp, sizeof exp, "%s/pkg/evidence.yaml:7:12: document path '/etc/passwd' refused: absolute paths", tmp);
  assert_has(s, exp);
  snprintf(exp, sizeof exp, "%s/pkg/evidence.yaml:8:32: sha256 must be 64 hexadecimal digits", tmp);
  assert_has(s, exp);
  snprintf(exp, sizeof exp, "%s/pkg/evidence.yaml:9:5: a document: missing required key 'sha256'", tmp);
  assert_has(s, exp);
  snprintf(exp, sizeof exp, "%s/pkg/evidence.yaml:9:44: unknown fact 'no.fact' in attests", tmp);
  assert_has(s, exp);
  free(s);
  sh_buf_free(&b);
}

Test(loaders, evidence_symlink_escape_is_refused) {
  char *dir = sh_path_join(tmp, "pkg");
  char *p = th_write(dir, "evidence.yaml", "x: 1\n");
  char *link = sh_path_join(dir, "docs-link");
  cr_assert_eq(symlink("/etc", link), 0);
  sh_diags d = {0};
  cr_assert_null(sh_path_inside(dir, "docs-link/hostname", (sh_loc){"evidence.yaml", 3, 9}, &d));
  cr_assert_eq(d.n, 1);
  cr_assert(strstr(d.v[0].msg, "leaves the evidence folder through a symbolic link"), "%s", d.v[0].msg);
  cr_expect_eq(d.v[0].cls, SH_DIAG_DATA);
  sh_diags_free(&d);
  char *inside = sh_path_inside(dir, "evidence.yaml", (sh_loc){"evidence.yaml", 3, 9}, &d);
  cr_assert_not_null(inside);
  free(inside);
  unlink(link);
  free(link);
  free(p);
  free(dir);
}

Test(loaders, evidence_missing_folder_and_file) {
  sh_diags d = {0};
  cr_assert_null(sh_evidence_load(reg->vocab, "/nonexistent/pkg", &d));
  char *s = th_diags_str(&d);
  assert_has(s, "/nonexistent/pkg: evidence folder not found");
  free(s);
  sh_diags_free(&d);
  cr_assert_null(sh_evidence_load(reg->vocab, tmp, &d));
  s = th_diags_str(&d);
  assert_has(s, "evidence.yaml: cannot read: No such file");
  free(s);
  sh_diags_free(&d);
}

Test(loaders, evidence_malformed_yaml) {
  char *s = evidence_errors("applicant:\n  name: [unclosed\n");
  char exp[256];
  snprintf(exp, sizeof exp, "%s/pkg/evidence.yaml:3:1: invalid YAML", tmp);
  assert_has(s, exp);
  free(s);
}
