/* Terminal tables (issue 13 step 3): `shinsa history` and `shinsa frameworks` stay aligned by display width
 * (East Asian Width: texttable.h) whatever the applicant's name, framework titles or item ids hold; the last column
 * carries no trailing blanks. And waivers in every view and format (test_review.c checks auditor and applicant in
 * text, md, html, csv, json): here the ethics view of a waived board item and the filled checksheet (xlsx). */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "helpers.h"
#include "texttable.h"
#include "th_reports.h"

#define RUN(out, err, ...) th_run((out), (err), (const char *const[]){__VA_ARGS__, NULL})

/* The display column where `head` starts in the header line, and the same column reached on every other line by
 * the same number of column separators: every line's cells before it are as wide as the header's (`head` is a
 * left-aligned column). */
static void assert_aligned(const char *out, const char *head) {
  const char *nl = strchr(out, '\n');
  cr_assert(nl, "%s", out);
  const char *h = strstr(out, head);
  cr_assert(h && h < nl, "no column %s in:\n%s", head, out);
  char *before = sh_strndup(out, (size_t)(h - out));
  size_t col = sh_display_width(before);
  size_t seps = 0; /* the columns before `head` */
  for (const char *p = out; p < h; p++)
    if (p[0] == ' ' && p[1] == ' ' && (p == out || p[-1] != ' ')) seps++;
  free(before);
  size_t rows = 0;
  for (const char *line = nl + 1; *line; line = strchr(line, '\n') + 1) {
    const char *end = strchr(line, '\n');
    cr_assert(end, "an unterminated line");
    if (end == line) break; /* the table ends at a blank line */
    cr_expect(end[-1] != ' ', "a trailing blank: %.*s", (int)(end - line), line);
    if (strncmp(line, "vocabulary ", 11) == 0 || strncmp(line, "overlay ", 8) == 0 || strncmp(line, "data folder", 11) == 0) break;
    /* the start of the cell after `seps` separators */
    const char *p = line;
    for (size_t s = 0; s < seps && p < end; s++) {
      while (p < end && !(p[0] == ' ' && p[1] == ' ')) p++;
      while (p < end && *p == ' ') p++;
    }
    char *pre = sh_strndup(line, (size_t)(p - line));
    cr_expect_eq(sh_display_width(pre), col, "column %s misaligned in: %.*s", head, (int)(end - line), line);
    free(pre);
    rows++;
  }
  cr_expect_gt(rows, 0, "%s", out);
}

Test(term, history_is_aligned_whatever_the_applicant) {
  char *tmp = th_tmpdir(), *datadir = th_data("datadir"), *basic = th_data("evidence/basic");
  char *db = sh_path_join(tmp, "runs.db");
  char *root = th_src("examples/phr-operator");
  char *out, *err;
  RUN(&out, &err, "check", "--data-dir", datadir, "--db", db, basic);
  free(out), free(err);
  RUN(&out, &err, "check", "--db", db, root);
  free(out), free(err);
  cr_assert_eq(RUN(&out, &err, "history", "--db", db), 0, "%s", err);
  cr_assert(strstr(out, "テスト株式会社") && strstr(out, "株式会社ミライヘルスノート"), "%s", out);
  assert_aligned(out, "APPLICANT");
  assert_aligned(out, "FRAMEWORKS");
  free(out), free(err);
  /* under a Japanese locale the headings are Japanese (wider than the numbers below them), still aligned */
  cr_assert_eq(th_run_in("ja", &out, &err, (const char *const[]){"history", "--db", db, NULL}), 0, "%s", err);
  cr_assert(strncmp(out, "実行", strlen("実行")) == 0 && !strstr(out, "APPLICANT"), "%s", out);
  assert_aligned(out, "申請者");
  assert_aligned(out, "記録日時");
  assert_aligned(out, "審査基準日");
  free(out), free(err);
  free(root), free(db), free(basic), free(datadir), free(tmp);
}

Test(term, frameworks_are_aligned_whatever_the_titles) {
  char *out, *err;
  cr_assert_eq(RUN(&out, &err, "frameworks"), 0, "%s", err);
  cr_assert(strstr(out, "情報信託機能の認定に係る指針"), "%s", out);
  assert_aligned(out, "TITLE");
  assert_aligned(out, "ORIGIN");
  free(out), free(err);
  /* a version in full-width characters, in a column before others */
  char *tmp = th_tmpdir(), *datadir = th_data("datadir");
  char *cmd = sh_printf("cp -rL '%s' '%s/dd' && sed -i 's/version: \"1\"/version: \"令和５年度版\"/' "
                        "'%s/dd/checklists/test-fw.yaml'", datadir, tmp, tmp);
  cr_assert_eq(system(cmd), 0);
  char *dd = sh_path_join(tmp, "dd");
  cr_assert_eq(RUN(&out, &err, "frameworks", "--data-dir", dd), 0, "%s", err);
  cr_assert(strstr(out, "令和５年度版"), "%s", out);
  assert_aligned(out, "TITLE");
  assert_aligned(out, "ORIGIN");
  free(out), free(err);
  free(dd), free(cmd), free(datadir), free(tmp);
}

Test(term, a_waiver_on_a_board_item_shows_in_the_ethics_view_and_the_checksheet) {
  char *tmp = th_tmpdir(), *datadir = th_data("datadir"), *basic = th_data("evidence/basic");
  char *db = sh_path_join(tmp, "runs.db");
  char *out, *err;
  setenv("SHINSA_NOW", "2026-10-01T00:00:00Z", 1); /* the waiver's expiry is never in the past */
  RUN(&out, &err, "check", "--data-dir", datadir, "--db", db, basic);
  free(out), free(err);
  const char *roster[] = {"長", "auditor", NULL};
  th_add_reviewers(db, roster);
  cr_assert_eq(th_waive(db, "1", "test-fw:2.2", "長", "規程の改訂中", "全体", "2026-12-31", NULL), 0);
  static const char *const fmts[] = {"text", "md", "html", "json"};
  for (size_t k = 0; k < 4; k++) {
    cr_assert_eq(RUN(&out, &err, "report", "1", "--db", db, "--data-dir", datadir, "--view", "ethics", "--format", fmts[k],
                     "--as-of", "2026-12-31"), 1, "%s", err);
    bool json = strcmp(fmts[k], "json") == 0;
    cr_expect(strstr(out, json ? "\"state\": \"active\"" : "適用中"), "ethics %s: no active waiver:\n%s", fmts[k], out);
    free(out), free(err);
  }
  char *x = sh_path_join(tmp, "s.xlsx");
  cr_assert_eq(RUN(&out, &err, "report", "1", "--db", db, "--data-dir", datadir, "--format", "xlsx", "--out", x,
                   "--as-of", "2026-12-31"), 1, "%s", err);
  free(out), free(err);
  char *dump = th_xlsx_dump(x);
  cr_expect(strstr(dump, "免除: 長") && strstr(dump, "適用中"), "%s", dump);
  free(dump);
  unsetenv("SHINSA_NOW");
  free(x), free(db), free(basic), free(datadir), free(tmp);
}
