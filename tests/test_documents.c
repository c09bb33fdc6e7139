/* Tests of evidence document integrity (evidence.c): SHA-256 match and mismatch, missing files, expiry and
 * not-yet-valid documents, every way a path can leave the package, and the provenance rules of items. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "eval.h"
#include "helpers.h"

static sh_registry *reg;
static char *tmp;
static sh_diags d;

static void setup(void) {
  reg = th_test_registry();
  tmp = th_tmpdir();
  memset(&d, 0, sizeof d);
}
static void teardown(void) {
  sh_diags_free(&d);
  sh_registry_free(reg);
  free(tmp);
}

TestSuite(documents, .init = setup, .fini = teardown);

#define ISMS_TEXT "ISMS certificate IS 000000\n"

static char *isms_hash(void) {
  static char h[65];
  sh_sha256_hex(ISMS_TEXT, strlen(ISMS_TEXT), h);
  return h;
}

/* Writes evidence.yaml with one document entry (path, hash, dates) attesting sec.certs. */
static sh_evidence *load_pkg(const char *path, const char *sha, const char *issued, const char *valid_until) {
  sh_buf b = {0};
  sh_buf_printf(&b,
                "applicant:\n  name: テスト\n  kind: phr_operator\n  assessment_date: 2026-10-01\n"
                "frameworks: [test-fw]\n"
                "facts:\n  sec.certs: [isms]\n  sec.tls_min: tls12\n"
                "documents:\n  - path: %s\n    sha256: %s\n    title: ISMS\n",
                path, sha);
  if (issued) sh_buf_printf(&b, "    issued: %s\n", issued);
  if (valid_until) sh_buf_printf(&b, "    valid_until: %s\n", valid_until);
  sh_buf_puts(&b, "    attests: [sec.certs]\n");
  free(th_write(tmp, "pkg/evidence.yaml", sh_buf_str(&b)));
  sh_buf_free(&b);
  char *dir = sh_printf("%s/pkg", tmp);
  sh_evidence *ev = sh_evidence_load(reg->vocab, dir, &d);
  free(dir);
  return ev;
}

static const sh_document *doc0(const sh_evidence *ev) { return ev->documents.v[0]; }

static sh_verdict verdict_of(const sh_evidence *ev, const char *item) {
  const sh_framework *fw = sh_registry_find(reg, "test-fw");
  sh_evaluation *e = sh_evaluate(ev, &fw, 1, NULL);
  sh_verdict v = th_result(e, "test-fw", item)->verdict;
  sh_evaluation_free(e);
  return v;
}

static void assert_diag(const char *needle) {
  char *all = th_diags_str(&d);
  cr_assert(strstr(all, needle), "diagnostics:\n%s\nlack: %s", all, needle);
  free(all);
}

Test(documents, hash_match_attests) {
  free(th_write(tmp, "pkg/docs/isms.txt", ISMS_TEXT));
  sh_evidence *ev = load_pkg("docs/isms.txt", isms_hash(), "2025-04-01", "2028-03-31");
  cr_assert(ev);
  cr_expect_eq(doc0(ev)->status, SH_DOC_OK);
  cr_expect_str_eq(doc0(ev)->sha256_actual, isms_hash());
  const sh_fact_value *v = sh_evidence_get(ev, sh_vocab_find(reg->vocab, "sec.certs"));
  cr_expect_eq(v->prov, SH_PROV_ATTESTED);
  cr_expect_eq(verdict_of(ev, "1.1"), SH_V_SATISFIED);
  sh_evidence_free(ev);
}

Test(documents, uppercase_hash_matches) {
  free(th_write(tmp, "pkg/docs/isms.txt", ISMS_TEXT));
  char up[65];
  for (int i = 0; i < 65; i++) up[i] = (char)(isms_hash()[i] >= 'a' && isms_hash()[i] <= 'f' ? isms_hash()[i] - 32 : isms_hash()[i]);
  sh_evidence *ev = load_pkg("docs/isms.txt", up, NULL, NULL);
  cr_assert(ev);
  cr_expect_eq(doc0(ev)->status, SH_DOC_OK);
  sh_evidence_free(ev);
}

Test(documents, hash_mismatch_is_a_finding) {
  free(th_write(tmp, "pkg/docs/isms.txt", "ISMS certificate IS 000000 (altered)\n"));
  sh_evidence *ev = load_pkg("docs/isms.txt", isms_hash(), NULL, NULL);
  cr_assert(ev, "a mismatch is not a load error");
  cr_expect_eq(doc0(ev)->status, SH_DOC_HASH_MISMATCH);
  cr_expect_str_neq(doc0(ev)->sha256_actual, isms_hash());
  const sh_fact_value *v = sh_evidence_get(ev, sh_vocab_find(reg->vocab, "sec.certs"));
  cr_expect_eq(v->prov, SH_PROV_DECLARED, "an altered document attests nothing");
  cr_expect_eq(verdict_of(ev, "1.1"), SH_V_NOT_SATISFIED);
  sh_evidence_free(ev);
}

Test(documents, missing_file) {
  sh_evidence *ev = load_pkg("docs/none.txt", isms_hash(), NULL, NULL);
  cr_assert(ev);
  cr_expect_eq(doc0(ev)->status, SH_DOC_MISSING);
  cr_expect_eq(verdict_of(ev, "1.1"), SH_V_NOT_SATISFIED);
  sh_evidence_free(ev);
}

Test(documents, expired) {
  free(th_write(tmp, "pkg/docs/isms.txt", ISMS_TEXT));
  sh_evidence *ev = load_pkg("docs/isms.txt", isms_hash(), "2023-04-01", "2026-09-30"); /* day before assessment */
  cr_assert(ev);
  cr_expect_eq(doc0(ev)->status, SH_DOC_EXPIRED);
  cr_expect_eq(verdict_of(ev, "1.1"), SH_V_NOT_SATISFIED);
  sh_evidence_free(ev);
}

Test(documents, valid_until_assessment_day_is_valid) {
  free(th_write(tmp, "pkg/docs/isms.txt", ISMS_TEXT));
  sh_evidence *ev = load_pkg("docs/isms.txt", isms_hash(), "2023-04-01", "2026-10-01");
  cr_assert(ev);
  cr_expect_eq(doc0(ev)->status, SH_DOC_OK);
  sh_evidence_free(ev);
}

Test(documents, not_yet_valid) {
  free(th_write(tmp, "pkg/docs/isms.txt", ISMS_TEXT));
  sh_evidence *ev = load_pkg("docs/isms.txt", isms_hash(), "2026-10-02", NULL);
  cr_assert(ev);
  cr_expect_eq(doc0(ev)->status, SH_DOC_NOT_YET_VALID);
  cr_expect_eq(verdict_of(ev, "1.1"), SH_V_NOT_SATISFIED);
  sh_evidence_free(ev);
}

Test(documents, not_a_regular_file) {
  char *dir = sh_printf("%s/pkg/docs/folder", tmp);
  free(th_write(tmp, "pkg/docs/folder/x", "x"));
  sh_evidence *ev = load_pkg("docs/folder", isms_hash(), NULL, NULL);
  cr_assert(ev);
  cr_expect_eq(doc0(ev)->status, SH_DOC_UNREADABLE);
  sh_evidence_free(ev);
  free(dir);
}

/* ---------- path escapes: each is a load error at the path ---------- */

static void expect_refused(const char *path) {
  sh_evidence *ev = load_pkg(path, isms_hash(), NULL, NULL);
  cr_expect_null(ev, "path %s accepted", path);
  assert_diag("refused");
  assert_diag("evidence.yaml:10:11:");
  sh_evidence_free(ev);
}

Test(documents, dotdot_refused) {
  free(th_write(tmp, "outside.txt", ISMS_TEXT));
  expect_refused("../outside.txt");
}

Test(documents, dotdot_in_the_middle_refused) {
  free(th_write(tmp, "pkg/docs/isms.txt", ISMS_TEXT));
  expect_refused("docs/../docs/isms.txt");
}

Test(documents, absolute_refused) {
  char *abs = th_write(tmp, "pkg/docs/isms.txt", ISMS_TEXT);
  expect_refused(abs); /* even one that points inside the package */
  free(abs);
}

Test(documents, symlink_leaving_package_refused) {
  char *out = th_write(tmp, "outside.txt", ISMS_TEXT);
  free(th_write(tmp, "pkg/docs/keep", ""));
  char *link = sh_printf("%s/pkg/docs/link.txt", tmp);
  cr_assert_eq(symlink(out, link), 0);
  expect_refused("docs/link.txt");
  free(link);
  free(out);
}

Test(documents, symlinked_folder_leaving_package_refused) {
  free(th_write(tmp, "elsewhere/isms.txt", ISMS_TEXT));
  free(th_write(tmp, "pkg/keep", ""));
  char *target = sh_printf("%s/elsewhere", tmp);
  char *link = sh_printf("%s/pkg/docs", tmp);
  cr_assert_eq(symlink(target, link), 0);
  expect_refused("docs/isms.txt");
  free(link);
  free(target);
}

Test(documents, dangling_symlink_refused) {
  free(th_write(tmp, "pkg/docs/keep", ""));
  char *link = sh_printf("%s/pkg/docs/gone.txt", tmp);
  cr_assert_eq(symlink("/nonexistent/shinsa/target", link), 0);
  expect_refused("docs/gone.txt");
  free(link);
}

Test(documents, symlink_inside_package_accepted) {
  free(th_write(tmp, "pkg/docs/isms.txt", ISMS_TEXT));
  char *link = sh_printf("%s/pkg/cert.txt", tmp);
  cr_assert_eq(symlink("docs/isms.txt", link), 0);
  sh_evidence *ev = load_pkg("cert.txt", isms_hash(), NULL, NULL);
  cr_assert(ev);
  cr_expect_eq(doc0(ev)->status, SH_DOC_OK);
  sh_evidence_free(ev);
  free(link);
}

Test(documents, path_inside_direct) {
  free(th_write(tmp, "pkg/a.txt", "a"));
  char *pkg = sh_printf("%s/pkg", tmp);
  sh_loc at = {"ev.yaml", 4, 11};
  char *p = sh_path_inside(pkg, "a.txt", at, &d);
  cr_expect(p);
  free(p);
  cr_expect_eq(d.n, 0);
  cr_expect_null(sh_path_inside(pkg, "", at, &d));
  cr_expect_null(sh_path_inside(pkg, "/etc/passwd", at, &d));
  cr_expect_null(sh_path_inside(pkg, "..", at, &d));
  cr_expect_null(sh_path_inside(pkg, "x/../../a.txt", at, &d));
  free(pkg);
}

/* A refusal is a data error (exit 3) at the place the path was written; an unresolvable root is an I/O error. */
Test(documents, path_inside_reports_class_and_location) {
  free(th_write(tmp, "pkg/a.txt", "a"));
  char *pkg = sh_printf("%s/pkg", tmp);
  cr_assert_null(sh_path_inside(pkg, "../a.txt", (sh_loc){"ev.yaml", 7, 13}, &d));
  cr_assert_eq(d.n, 1);
  cr_expect_eq(d.v[0].cls, SH_DIAG_DATA);
  cr_expect_eq(d.v[0].sev, SH_SEV_ERROR);
  cr_expect_str_eq(d.v[0].file, "ev.yaml");
  cr_expect_eq(d.v[0].line, 7);
  cr_expect_eq(d.v[0].col, 13);
  cr_expect_str_eq(d.v[0].msg,
                   "path '../a.txt' refused: '..' is not allowed: the path must stay inside the evidence folder");
  cr_expect_eq(sh_diags_exit_code(&d), SH_EXIT_INVALID);
  sh_diags_free(&d);
  char *gone = sh_printf("%s/no-such-folder", tmp);
  cr_assert_null(sh_path_inside(gone, "a.txt", (sh_loc){"ev.yaml", 2, 3}, &d));
  cr_assert_eq(d.n, 1);
  cr_expect_eq(d.v[0].cls, SH_DIAG_IO);
  cr_expect_eq(d.v[0].line, 2);
  cr_expect_eq(d.v[0].col, 3);
  cr_expect(strstr(d.v[0].msg, "the evidence folder cannot be resolved"), "%s", d.v[0].msg);
  cr_expect_eq(sh_diags_exit_code(&d), SH_EXIT_USAGE);
  free(gone);
  free(pkg);
}

/* ---------- provenance rules ---------- */

Test(documents, provenance_ranks) {
  cr_expect_eq(sh_prov_rank(SH_PROV_DECLARED), 0);
  cr_expect_eq(sh_prov_rank(SH_PROV_ATTESTED), 1);
  cr_expect_eq(sh_prov_rank(SH_PROV_PROBED), 1);
  cr_expect_eq(sh_prov_rank(SH_PROV_CONFIRMED), 2);
}

Test(documents, min_provenance_attested) {
  /* item 1.1 is a must item with min_provenance: attested */
  free(th_write(tmp, "pkg/evidence.yaml",
                 "applicant:\n  name: テスト\n  kind: phr_operator\n  assessment_date: 2026-10-01\n"
                 "facts:\n  sec.certs: [isms]\n  sec.tls_min: tls12\n"));
  char *dir = sh_printf("%s/pkg", tmp);
  sh_evidence *ev = sh_evidence_load(reg->vocab, dir, &d);
  free(dir);
  cr_assert(ev);
  const sh_fact *f = sh_vocab_find(reg->vocab, "sec.certs");
  cr_expect_eq(sh_evidence_get(ev, f)->prov, SH_PROV_DECLARED);
  cr_expect_eq(verdict_of(ev, "1.1"), SH_V_NEEDS_REVIEW, "declared only");
  sh_value v;
  const char *err = NULL;
  cr_assert(sh_value_from_string(f, "isms", &v, &err));
  sh_evidence_set(ev, f, &v, SH_PROV_PROBED, "probe.conf", 3, 0);
  cr_expect_eq(verdict_of(ev, "1.1"), SH_V_SATISFIED, "probed meets attested");
  sh_evidence_set(ev, f, &v, SH_PROV_CONFIRMED, "review", 0, 0);
  cr_expect_eq(verdict_of(ev, "1.1"), SH_V_SATISFIED, "confirmed meets attested");
  sh_evidence_set(ev, f, &v, SH_PROV_ATTESTED, "doc", 0, 0);
  cr_expect_eq(verdict_of(ev, "1.1"), SH_V_SATISFIED, "attested meets attested");
  /* an item without min_provenance takes a declaration */
  cr_expect_eq(verdict_of(ev, "1.2"), SH_V_SATISFIED);
  sh_value_clear(&v);
  sh_evidence_free(ev);
}
