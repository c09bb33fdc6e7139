/* Golden-file tests: the reports of both bundled examples in every view (auditor, applicant, ethics) × format
 * (text, md, html, json, csv, xlsx, OSCAL assessment results in XML and JSON) × language (ja, en), compared
 * with tests/golden/EXAMPLE/ (tests/th_reports.h says how: the XLSX as a dump of its cells and protection read
 * back with shinsa's reader, OSCAL with its random UUIDs numbered, "now" fixed). One run per example × view ×
 * language writes all formats (--out per extension); OSCAL does not depend on the view, so the three runs
 * compare it with the same file. Regenerate after an intended change with
 * `SHINSA_UPDATE_GOLDEN=1 meson test -C build golden` and review the diff. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers.h"
#include "th_reports.h"

static bool updating(void) {
  const char *update = getenv("SHINSA_UPDATE_GOLDEN");
  return update && *update == '1';
}

/* Compares text with the golden file rel (or writes it when updating). Adds a line to problems when they differ. */
static void compare(const char *rel, const char *text, sh_buf *problems) {
  if (updating()) {
    char *dir = sh_strdup(rel);
    *strrchr(dir, '/') = '\0';
    mkdir(dir, 0755); /* tests/golden/EXAMPLE */
    free(dir);
    cr_assert_eq(sh_write_file_atomic(rel, text, strlen(text)), 0, "cannot write %s", rel);
    return;
  }
  char *want = NULL;
  size_t len = 0;
  if (sh_read_file(rel, 64u << 20, &want, &len) != 0) {
    sh_buf_printf(problems, "  %s is missing\n", rel);
    return;
  }
  if (strcmp(want, text) != 0) {
    int line = 1;
    size_t i = 0;
    while (want[i] && want[i] == text[i]) line += want[i++] == '\n';
    size_t bol = i;
    while (bol > 0 && text[bol - 1] != '\n') bol--;
    size_t eol = bol;
    while (text[eol] && text[eol] != '\n' && eol - bol < 300) eol++;
    sh_buf_printf(problems, "  %s differs at line %d; the output has: %.*s\n", rel, line, (int)(eol - bol), text + bol);
  }
  free(want);
}

typedef struct {
  int example, view, lang;
} combo;

/* Parameters are plain indices: Criterion runs each test in a fresh process. */
#define NEX 2
#define NVIEW 3
#define NLANG 2
#define NCOMBO (NEX * NVIEW * NLANG)

ParameterizedTestParameters(golden, reports) {
  static combo combos[NCOMBO];
  size_t n = 0;
  for (int e = 0; e < NEX; e++)
    for (int v = 0; v < NVIEW; v++)
      for (int l = 0; l < NLANG; l++) combos[n++] = (combo){e, v, l};
  return cr_make_param_array(combo, combos, n);
}

ParameterizedTest(combo *c, golden, reports) {
  const char *ex = th_examples[c->example], *view = th_views[c->view], *lang = th_langs[c->lang];
  th_report_set set;
  th_report_set_make(&set, ex, view, lang);
  sh_buf problems = {0};
  for (int f = 0; f < TH_RF__COUNT; f++) {
    char *rel = th_golden_path(ex, view, lang, f);
    compare(rel, set.text[f], &problems);
    free(rel);
  }
  if (problems.len)
    cr_assert_fail("%s --view %s --lang %s: the reports differ from tests/golden (update with SHINSA_UPDATE_GOLDEN=1 "
                   "meson test -C build golden, then review the diff):\n%s",
                   ex, view, lang, sh_buf_str(&problems));
  sh_buf_free(&problems);
  th_report_set_free(&set);
}

/* A report of the test data directory (a framework outside the bundled ones). */
Test(golden, test_data_json) {
  char *root = th_src("");
  cr_assert_eq(chdir(root), 0);
  free(root);
  char *out = NULL, *err = NULL;
  const char *args[] = {"check", "--data-dir", "tests/data/datadir", "--format", "json", "tests/data/evidence/basic", NULL};
  int rc = th_run(&out, &err, args);
  cr_assert_eq(rc, 1, "exit %d; stderr:\n%s", rc, err);
  sh_buf problems = {0};
  compare("tests/golden/test-basic.json", out, &problems);
  cr_assert_eq(problems.len, 0, "%s", sh_buf_str(&problems));
  free(out);
  free(err);
}

/* OSCAL UUIDs are numbered in order of first appearance, references keep their target. */
Test(golden, uuid_normalise_keeps_references) {
  char *s = th_uuid_normalise("{\"uuid\": \"4132a212-bb94-42a2-a2b1-9dcdff90badd\", \"href\": "
                              "\"#5b6f8549-19e6-4b43-b42b-e1ddb13e6c9f\", \"x\": \"4132a212-bb94-42a2-a2b1-9dcdff90badd\", "
                              "\"not\": \"4132a212-bb94-42a2-a2b1-9dcdff90badd0\"}");
  cr_assert_str_eq(s, "{\"uuid\": \"uuid-1\", \"href\": \"#uuid-2\", \"x\": \"uuid-1\", "
                      "\"not\": \"4132a212-bb94-42a2-a2b1-9dcdff90badd0\"}");
  free(s);
}
