/* Golden-file tests: the reports of the bundled examples in every format and language, compared
 * byte for byte with tests/golden/NAME. Regenerate after an intended change with
 * `SHINSA_UPDATE_GOLDEN=1 meson test -C build golden` and review the diff. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"

typedef struct {
  const char *name;       /* file under tests/golden */
  int exit_code;
  const char *args[12];
} golden_case;

static const golden_case cases[] = {
  {"phr-operator.ja.txt", 1, {"check", "examples/phr-operator"}},
  {"phr-operator.en.txt", 1, {"check", "--lang", "en", "examples/phr-operator"}},
  {"phr-operator.json", 1, {"check", "--format", "json", "examples/phr-operator"}},
  {"phr-operator.ja.md", 1, {"check", "--format", "md", "examples/phr-operator"}},
  {"phr-operator.en.md", 1, {"check", "--format", "md", "--lang", "en", "examples/phr-operator"}},
  {"phr-operator.ja.html", 1, {"check", "--format", "html", "examples/phr-operator"}},
  {"phr-operator.en.html", 1, {"check", "--format", "html", "--lang", "en", "examples/phr-operator"}},
  {"infobank-health.ja.html", 1, {"check", "--format", "html", "examples/infobank-health"}},
  {"infobank-health.en.html", 1, {"check", "--format", "html", "--lang", "en", "examples/infobank-health"}},
  {"infobank-health.ja.txt", 1, {"check", "examples/infobank-health"}},
  {"infobank-health.en.md", 1, {"check", "--format", "md", "--lang", "en", "examples/infobank-health"}},
  {"infobank-health.json", 1, {"check", "--format", "json", "examples/infobank-health"}},
  {"test-basic.json", 1, {"check", "--data-dir", "tests/data/datadir", "--format", "json", "tests/data/evidence/basic"}},
};

static void run_case(const golden_case *c) {
  char *root = th_src("");
  cr_assert_eq(chdir(root), 0);
  free(root);
  char *out = NULL, *err = NULL;
  int rc = th_run(&out, &err, c->args);
  cr_assert_eq(rc, c->exit_code, "%s: exit %d, expected %d; stderr:\n%s", c->name, rc, c->exit_code, err);
  char *rel = sh_printf("tests/golden/%s", c->name);
  const char *update = getenv("SHINSA_UPDATE_GOLDEN");
  if (update && *update == '1') {
    cr_assert_eq(sh_write_file_atomic(rel, out, strlen(out)), 0, "cannot write %s", rel);
  } else {
    char *want = NULL;
    size_t len = 0;
    cr_assert_eq(sh_read_file(rel, 64u << 20, &want, &len), 0,
                 "%s missing: run SHINSA_UPDATE_GOLDEN=1 meson test -C build golden", rel);
    if (strcmp(want, out) != 0) {
      /* Point at the first differing line. */
      int line = 1;
      size_t i = 0;
      while (want[i] && want[i] == out[i]) line += want[i++] == '\n';
      cr_assert_fail("%s differs from the output at line %d (update with SHINSA_UPDATE_GOLDEN=1 and review)",
                     c->name, line);
    }
    free(want);
  }
  free(rel);
  free(out);
  free(err);
}

/* Parameters are indices: Criterion runs each test in a fresh process, where pointers inside the
 * parameters would not be valid. */
#define NCASES (sizeof cases / sizeof cases[0])
static size_t case_index[NCASES];

ParameterizedTestParameters(golden, reports) {
  for (size_t i = 0; i < NCASES; i++) case_index[i] = i;
  return cr_make_param_array(size_t, case_index, NCASES);
}

ParameterizedTest(size_t *i, golden, reports) { run_case(&cases[*i]); }
