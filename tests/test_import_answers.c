/* Tests of `shinsa import answers`: the round trip with a checksheet edited and saved by LibreOffice
 * (tests/fixtures/answers/edited.xlsx, made by make-fixture.sh: two answers changed, the planned date typed
 * so that it is stored as a date value): exactly those two answers change, evidence.yaml keeps every line and
 * comment; an unchanged export imports nothing; bad cells are refused at FILE:SHEET!CELL with nothing written. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "answers.h"
#include "answers_import.h"
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

TestSuite(import_answers, .init = setup, .fini = teardown);

/* The text of DIR/NAME. */
static char *slurp_in(const char *dir, const char *name) {
  char *p = sh_path_join(dir, name), *text = NULL;
  size_t len = 0;
  cr_assert_eq(sh_read_file(p, 1 << 24, &text, &len), 0, "cannot read %s", p);
  free(p);
  return text;
}

static char *slurp(const char *path) {
  char *text = NULL;
  size_t len = 0;
  cr_assert_eq(sh_read_file(path, 1 << 24, &text, &len), 0, "cannot read %s", path);
  return text;
}

/* A copy of tests/data/evidence/answers in tmp/name. */
static char *copy_package(const char *name) {
  char *dir = sh_path_join(tmp, name);
  char *src = th_data("evidence/answers/evidence.yaml"), *doc = th_data("evidence/answers/docs/isms.txt");
  char *a = slurp(src), *b = slurp(doc);
  free(th_write(dir, "evidence.yaml", a));
  free(th_write(dir, "docs/isms.txt", b));
  free(a);
  free(b);
  free(src);
  free(doc);
  return dir;
}

static sh_evidence *load(const char *dir) {
  sh_diags d = {0};
  sh_evidence *ev = sh_evidence_load(reg->vocab, dir, &d);
  char *s = th_diags_str(&d);
  cr_assert_not_null(ev, "%s", s);
  free(s);
  sh_diags_free(&d);
  return ev;
}

static bool same(const char *a, const char *b) { return strcmp(a ? a : "", b ? b : "") == 0; }

static bool answers_equal(const sh_answer *a, const sh_answer *b) {
  if (!a || !b) return a == b;
  if (a->status != b->status || a->planned_by != b->planned_by || !same(a->reason, b->reason) ||
      !same(a->text.ja, b->text.ja) || !same(a->text.en, b->text.en) || a->refs.n != b->refs.n)
    return false;
  for (size_t k = 0; k < a->refs.n; k++) {
    const sh_answer_ref *x = a->refs.v[k], *y = b->refs.v[k];
    if (strcmp(x->document->path, y->document->path) || !same(x->at, y->at)) return false;
  }
  return true;
}

Test(import_answers, libreoffice_edit_round_trip_changes_exactly_two_answers) {
  char *dir = copy_package("rt");
  char *orig = th_data("evidence/answers");
  char *fixture = th_src("tests/fixtures/answers/edited.xlsx"), *datadir = th_data("datadir");
  char *before_text = slurp_in(dir, "evidence.yaml");
  char *out = NULL, *err = NULL;
  const char *args[] = {"import", "answers", fixture, "--into", dir, "--data-dir", datadir, NULL};
  cr_assert_eq(th_run(&out, &err, args), 0, "%s", err);
  cr_assert(strstr(out, "7 items read, 2 answers imported"), "%s", out);
  /* evidence.yaml: every line and comment kept, one answers_file: line added. */
  char *evp = sh_path_join(dir, "evidence.yaml");
  char *after_text = slurp(evp);
  cr_assert_eq(strncmp(after_text, before_text, strlen(before_text)), 0, "evidence.yaml was rewritten");
  cr_assert_str_eq(after_text + strlen(before_text),
                   "\n# The checksheet's answers (shinsa import answers).\nanswers_file: answers.yaml\n");
  /* Every item: the same answer as the original package, except the two edited in LibreOffice. */
  sh_evidence *a = load(orig), *b = load(dir);
  const sh_framework *fw = sh_registry_find(reg, "test-fw");
  size_t changes = 0;
  for (size_t i = 0; i < fw->items.n; i++) {
    const sh_item *it = fw->items.v[i];
    const sh_answer *x = sh_answer_find(a, "test-fw", it->id), *y = sh_answer_find(b, "test-fw", it->id);
    if (answers_equal(x, y)) continue;
    changes++;
    if (strcmp(it->id, "2.2") == 0) {
      cr_assert_eq(y->status, SH_ANS_IMPLEMENTED);
      cr_assert_str_eq(y->text.ja, "審査会規程を当社ウェブサイトで公表している。");
      cr_assert_eq(y->refs.n, 1, "the references are kept");
    } else if (strcmp(it->id, "1.3") == 0) {
      cr_assert_null(x);
      cr_assert_eq(y->status, SH_ANS_PLANNED);
      sh_date want;
      sh_date_parse("2027-03-31", &want);
      cr_assert_eq(y->planned_by, want, "the date LibreOffice stored as a number");
      cr_assert_str_eq(y->text.ja, "保存期間を30日に短縮する規程改定を予定している。");
    } else {
      cr_assert_fail("unexpected change of %s", it->id);
    }
  }
  cr_assert_eq(changes, 2);
  sh_evidence_free(a);
  sh_evidence_free(b);
  /* Importing the same file again changes nothing. */
  free(out);
  free(err);
  cr_assert_eq(th_run(&out, &err, args), 0, "%s", err);
  cr_assert(strstr(out, "no answer changed"), "%s", out);
  char *again = slurp(evp);
  cr_assert_str_eq(again, after_text);
  free(again);
  free(out);
  free(err);
  free(after_text);
  free(before_text);
  free(evp);
  free(fixture);
  free(datadir);
  free(orig);
  free(dir);
}

Test(import_answers, unchanged_export_imports_nothing) {
  char *dir = copy_package("same");
  char *datadir = th_data("datadir"), *xlsx = sh_path_join(tmp, "export.xlsx");
  const char *exp[] = {"check", "--data-dir", datadir, "--format", "xlsx", "--out", xlsx, dir, NULL};
  cr_assert_eq(th_run(NULL, NULL, exp), 1);
  sh_answers_import_stats st;
  sh_diags d = {0};
  cr_assert_eq(sh_answers_import(reg, xlsx, dir, &st, &d), 0);
  cr_assert_eq(st.rows, 7);
  cr_assert_eq(st.changed, 0);
  cr_assert_null(st.answers_file);
  char *af = sh_path_join(dir, "answers.yaml");
  cr_assert_neq(access(af, F_OK), 0, "nothing written");
  sh_answers_import_stats_free(&st);
  sh_diags_free(&d);
  free(af);
  free(xlsx);
  free(datadir);
  free(dir);
}

Test(import_answers, bad_cells_are_refused_with_their_cell_and_nothing_written) {
  char *dir = copy_package("bad");
  char *before = slurp_in(dir, "evidence.yaml");
  /* The same columns as a CSV (sheet.c reads it like the xlsx): an unknown status, a planned row
   * without a date. */
  char *csv = th_write(tmp, "bad.csv",
                       "項目番号,対応状況【申請者記入】,予定日・理由【申請者記入】,回答【申請者記入】,キー\n"
                       "1.1,done,,x,test-fw:1.1\n"
                       "1.3,実施予定,,y,test-fw:1.3\n"
                       "9.9,実施済み,,z,test-fw:9.9\n");
  sh_answers_import_stats st;
  sh_diags d = {0};
  cr_assert_eq(sh_answers_import(reg, csv, dir, &st, &d), -1);
  char *s = th_diags_str(&d);
  cr_assert(strstr(s, "bad.csv:2: unknown status 'done'"), "%s", s);
  cr_assert(strstr(s, "bad.csv:3: status planned needs the planned date"), "%s", s);
  cr_assert(strstr(s, "bad.csv:4: no installed item 'test-fw:9.9'"), "%s", s);
  free(s);
  char *af = sh_path_join(dir, "answers.yaml");
  cr_assert_neq(access(af, F_OK), 0, "nothing written");
  char *now = slurp_in(dir, "evidence.yaml");
  cr_assert_str_eq(now, before);
  free(now);
  free(before);
  free(af);
  free(csv);
  sh_diags_free(&d);
  free(dir);
}

/* An English checksheet: English headers and status labels; the answer cell replaces the text it showed. */
Test(import_answers, english_sheet_labels) {
  char *dir = copy_package("en");
  char *csv = th_write(tmp, "en.csv",
                       "Item,Status [applicant],Planned date / reason [applicant],Answer [applicant],Key\n"
                       "2.4,not applicable,No policy document is kept,,test-fw:2.4\n"
                       "1.1,implemented,,ISMS certified.,test-fw:1.1\n");
  sh_answers_import_stats st;
  sh_diags d = {0};
  int rc = sh_answers_import(reg, csv, dir, &st, &d);
  char *s = th_diags_str(&d);
  cr_assert_eq(rc, 0, "%s", s);
  free(s);
  cr_assert_eq(st.changed, 2);
  sh_evidence *ev = load(dir);
  const sh_answer *a = sh_answer_find(ev, "test-fw", "2.4");
  cr_assert_eq(a->status, SH_ANS_NOT_APPLICABLE);
  cr_assert_str_eq(a->reason, "No policy document is kept");
  /* 1.1 had Japanese text only, which the English sheet showed: the edit replaces it. */
  a = sh_answer_find(ev, "test-fw", "1.1");
  cr_assert_str_eq(a->text.ja, "ISMS certified.");
  sh_evidence_free(ev);
  sh_answers_import_stats_free(&st);
  sh_diags_free(&d);
  free(csv);
  free(dir);
}
