/* Tests of the command line: help and version, exit codes (0 ok, 1 findings, 2 usage/I-O,
 * 3 invalid data), error messages with FILE:LINE:COL, the JSON shape, atomic --out and --db. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "helpers.h"
#include "yamldoc.h"

static char *tmp, *datadir, *basic;

static void setup(void) {
  tmp = th_tmpdir();
  datadir = th_data("datadir");
  basic = th_data("evidence/basic");
}
static void teardown(void) {
  free(tmp);
  free(datadir);
  free(basic);
}

TestSuite(cli, .init = setup, .fini = teardown);

#define RUN(out, err, ...) th_run((out), (err), (const char *const[]){__VA_ARGS__, NULL})

static void assert_has(const char *s, const char *needle) { cr_assert(strstr(s, needle), "output:\n%s\nlacks: %s", s, needle); }

Test(cli, help_and_version) {
  char *out, *err;
  cr_assert_eq(RUN(&out, &err, "--version"), 0);
  assert_has(out, "shinsa 0.");
  free(out), free(err);
  cr_assert_eq(RUN(&out, &err, "--help"), 0);
  assert_has(out, "check");
  assert_has(out, "Exit status:\n  0  ");
  free(out), free(err);
  static const char *cmds[] = {"check", "lint", "frameworks", "history"};
  for (size_t i = 0; i < 4; i++) {
    cr_assert_eq(RUN(&out, &err, cmds[i], "--help"), 0, "%s --help", cmds[i]);
    assert_has(out, "Usage: shinsa ");
    free(out), free(err);
  }
}

Test(cli, usage_errors_exit_2) {
  char *out, *err;
  cr_assert_eq(RUN(&out, &err, "frobnicate"), 2);
  assert_has(err, "unknown command 'frobnicate'");
  free(out), free(err);
  cr_assert_eq(RUN(&out, &err, "check", "--bogus", basic), 2);
  assert_has(err, "unknown option '--bogus'");
  free(out), free(err);
  cr_assert_eq(RUN(&out, &err, "check", "--data-dir", datadir, "--format", "pdf", basic), 2);
  assert_has(err, "unknown format 'pdf'");
  free(out), free(err);
  cr_assert_eq(RUN(&out, &err, "check", "--data-dir", datadir, "--lang", "fr", basic), 2);
  free(out), free(err);
  cr_assert_eq(RUN(&out, &err, "check", "--data-dir", datadir, "--framework", "nope", basic), 2);
  assert_has(err, "unknown framework 'nope'");
  free(out), free(err);
  cr_assert_eq(RUN(&out, &err, "check", "--data-dir", datadir, "/nonexistent/evidence"), 2);
  assert_has(err, "shinsa: error: /nonexistent/evidence: evidence folder not found");
  free(out), free(err);
  cr_assert_eq(RUN(&out, &err, "history"), 2);
  free(out), free(err);
}

Test(cli, findings_exit_1_and_clean_exit_0) {
  char *out, *err;
  cr_assert_eq(RUN(&out, &err, "check", "--data-dir", datadir, basic), 1);
  assert_has(out, "未充足");
  assert_has(out, "sec.tls_min is tls11 (required: in [tls12, tls13])");
  free(out), free(err);
  /* A package meeting every applicable must item. */
  char *dir = sh_path_join(tmp, "good");
  char *p = th_write(dir, "evidence.yaml",
                     "applicant: {name: Good, kind: phr_operator, assessment_date: 2026-10-01}\n"
                     "frameworks: [test-fw]\n"
                     "facts:\n"
                     "  sec.tls_min: tls13\n"
                     "  retention.days: 45\n"
                     "  board.established: true\n"
                     "  board.medical_members: 2\n"
                     "data_items: [{id: a, name: a, level: 2}]\n");
  /* 1.1 needs attested ISMS and 2.2 is manual: check only the machine-checkable must items. */
  cr_assert_eq(RUN(&out, &err, "check", "--data-dir", datadir, "--lang", "en", dir), 1, "%s", out);
  assert_has(out, "needs review:");
  free(out), free(err);
  free(p);
  free(dir);
}

Test(cli, invalid_data_exit_3_with_location) {
  char *dir = sh_path_join(tmp, "bad");
  char *p = th_write(dir, "evidence.yaml",
                     "applicant: {name: X, kind: phr_operator, assessment_date: 2026-10-01}\n"
                     "frameworks: [test-fw]\n"
                     "facts:\n"
                     "  retention.dayz: 3\n");
  char *out, *err;
  cr_assert_eq(RUN(&out, &err, "check", "--data-dir", datadir, dir), 3);
  char exp[512];
  snprintf(exp, sizeof exp, "shinsa: error: %s:4:3: unknown fact 'retention.dayz'", p);
  assert_has(err, exp);
  assert_has(err, "  retention.dayz: 3\n    ^");
  cr_assert_str_eq(out, "", "no report on invalid data");
  free(out), free(err);
  free(p);
  free(dir);
}

Test(cli, json_shape) {
  char *out, *err;
  cr_assert_eq(RUN(&out, &err, "check", "--data-dir", datadir, "--format", "json", basic), 1);
  static const char *keys[] = {"\"schema\": \"shinsa-check/1\"", "\"applicant\": {", "\"name\": \"テスト株式会社\"",
                               "\"frameworks\": [", "\"summary\": {", "\"satisfied\": 1", "\"not_satisfied\": 2",
                               "\"needs_review\": 1", "\"not_applicable\": 1", "\"unknown\": 2",
                               "\"covered_by_certification\": 0", "\"must_not_met\": 3", "\"items\": [",
                               "\"framework\": \"test-fw\"", "\"verdict\": \"not_satisfied\"", "\"reasons\": [",
                               "\"required\": \"in [tls12, tls13]\"", "\"actual\": \"tls11\"",
                               "\"provenance\": \"attested\"", "\"missing\": [\n        \"board.medical_members\""};
  for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) assert_has(out, keys[i]);
  cr_assert_eq(out[0], '{');
  cr_assert_eq(out[strlen(out) - 2], '}');
  free(out), free(err);
}

Test(cli, out_file_is_written_whole_and_db_records) {
  char *outp = sh_path_join(tmp, "report.html");
  char *dbp = sh_path_join(tmp, "runs.db");
  char *out, *err;
  cr_assert_eq(RUN(&out, &err, "check", "--data-dir", datadir, "--format", "html", "--out", outp, "--db", dbp, basic), 1);
  cr_assert_str_eq(out, "");
  free(out), free(err);
  char *html;
  size_t len;
  cr_assert_eq(sh_read_file(outp, 1 << 20, &html, &len), 0);
  assert_has(html, "<!DOCTYPE html>");
  assert_has(html, "</html>");
  assert_has(html, "テスト株式会社");
  free(html);
  cr_assert_eq(RUN(&out, &err, "history", "--db", dbp), 0);
  assert_has(out, "test-fw@1");
  assert_has(out, "テスト株式会社");
  free(out), free(err);
  /* An unwritable --out leaves nothing behind and exits 2. */
  cr_assert_eq(RUN(&out, &err, "check", "--data-dir", datadir, "--out", "/nonexistent/dir/r.txt", basic), 2);
  assert_has(err, "/nonexistent/dir/r.txt: cannot write the report");
  free(out), free(err);
  free(outp);
  free(dbp);
}

Test(cli, lint_reports_every_error) {
  char *p = th_write(tmp, "fw.yaml",
                     "framework: {id: t, title: {ja: T}, version: \"1\"}\n"
                     "items:\n"
                     "  - {id: a, text: {ja: x}, strength: must, require: \"sec.isms and\", source: {document: d, form: derived}}\n"
                     "  - {id: b, text: {ja: x}, strength: sometimes, require: sec.isms, source: {document: d, form: derived}}\n");
  char *out, *err;
  cr_assert_eq(RUN(&out, &err, "lint", "--data-dir", datadir, p), 3);
  char exp[512];
  snprintf(exp, sizeof exp, "%s:3:66: in require: expected a fact", p);
  assert_has(err, exp);
  snprintf(exp, sizeof exp, "%s:4:38: strength must be must, should or effort", p);
  assert_has(err, exp);
  assert_has(err, "shinsa: note: 2 errors");
  free(out), free(err);
  cr_assert_eq(RUN(&out, &err, "lint", "--data-dir", datadir, basic), 0, "%s", err);
  assert_has(out, "1 file OK");
  free(out), free(err);
  cr_assert_eq(RUN(&out, &err, "lint", "--data-dir", datadir, "/nonexistent.yaml"), 2);
  free(out), free(err);
  free(p);
}

/* Writes len bytes to dir/evidence.yaml. */
static void write_bytes(const char *dir, const char *data, size_t len) {
  free(th_write(dir, "evidence.yaml", ""));
  char *p = sh_path_join(dir, "evidence.yaml");
  FILE *f = fopen(p, "wb");
  cr_assert(f);
  cr_assert_eq(fwrite(data, 1, len, f), len);
  fclose(f);
  free(p);
}

Test(cli, bad_bytes_in_evidence_exit_3_with_location) {
  char *out, *err;
  int rc;
  char *dir = sh_path_join(tmp, "bytes");
  /* A NUL byte on line 2. */
  static const char nul[] = "applicant: {name: X, kind: phr_operator, assessment_date: 2026-10-01}\nfacts: {a\0: 1}\n";
  write_bytes(dir, nul, sizeof nul - 1);
  rc = RUN(&out, &err, "check", "--data-dir", datadir, dir);
  cr_assert_eq(rc, 3, "rc %d: %s", rc, err);
  assert_has(err, "evidence.yaml:2:10: NUL byte in YAML file");
  free(out), free(err);
  /* Invalid UTF-8 on line 2. */
  static const char bad[] = "applicant: {name: X, kind: phr_operator, assessment_date: 2026-10-01}\nfacts: {\xff: 1}\n";
  write_bytes(dir, bad, sizeof bad - 1);
  rc = RUN(&out, &err, "check", "--data-dir", datadir, dir);
  cr_assert_eq(rc, 3, "rc %d: %s", rc, err);
  assert_has(err, "evidence.yaml:2:9: invalid UTF-8");
  free(out), free(err);
  /* Over the 16 MiB bound: exit 3, the bound named, the first byte past it located. */
  size_t n = SH_YAML_MAX_BYTES + 10;
  char *big = malloc(n);
  memset(big, '#', n);
  for (size_t i = 1023; i < n; i += 1024) big[i] = '\n';
  write_bytes(dir, big, n);
  free(big);
  rc = RUN(&out, &err, "check", "--data-dir", datadir, dir);
  cr_assert_eq(rc, 3, "rc %d: %s", rc, err);
  assert_has(err, "evidence.yaml:16385:1: YAML file larger than 16777216 bytes (bound SH_YAML_MAX_BYTES");
  free(out), free(err);
  free(dir);
}
