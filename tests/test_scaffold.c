/* Tests of the scaffold: `shinsa init` writes a package that loads and lints as written, names every fact
 * the frameworks use (also those only in applies_if), whose commented entries load when uncommented, with
 * an answers stub per manual item; it never overwrites. `shinsa facts` lists the facts with their items. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "answers.h"
#include "helpers.h"
#include "scaffold.h"

static sh_registry *reg;
static char *tmp;

static void setup(void) {
  reg = th_bundled_registry();
  tmp = th_tmpdir();
}
static void teardown(void) {
  sh_registry_free(reg);
  free(tmp);
}

TestSuite(scaffold, .init = setup, .fini = teardown);

static char *slurp(const char *path) {
  char *text = NULL;
  size_t len = 0;
  cr_assert_eq(sh_read_file(path, 1 << 24, &text, &len), 0, "cannot read %s", path);
  return text;
}

static void load_clean(const char *dir) {
  sh_diags d = {0};
  sh_evidence *ev = sh_evidence_load(reg->vocab, dir, &d);
  if (ev) sh_answers_check(ev, reg, &d);
  char *s = th_diags_str(&d);
  cr_assert_not_null(ev, "%s", s);
  cr_assert_eq(d.n, 0, "diagnostics:\n%s", s);
  free(s);
  sh_diags_free(&d);
  sh_evidence_free(ev);
}

/* Every line "  # X" whose X starts with prefix becomes "  X" (uncommenting entries). */
static char *uncomment(const char *text, bool (*want)(const char *line)) {
  sh_buf b = {0};
  for (const char *p = text; *p;) {
    const char *q = strchr(p, '\n');
    size_t n = q ? (size_t)(q - p) : strlen(p);
    char *line = sh_strndup(p, n);
    if (strncmp(line, "  # ", 4) == 0 && want(line + 4)) sh_buf_printf(&b, "  %s\n", line + 4);
    else sh_buf_printf(&b, "%s\n", line);
    free(line);
    p += n + (q != NULL);
  }
  return sh_buf_steal(&b);
}

static bool fact_line(const char *s) {
  /* "fact.id: value": a dotted lower-case id then ": " */
  const char *c = strstr(s, ": ");
  if (!c || s[0] < 'a' || s[0] > 'z') return false;
  for (const char *p = s; p < c; p++)
    if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '.')) return false;
  return memchr(s, '.', (size_t)(c - s)) != NULL;
}

Test(scaffold, init_package_loads_lints_and_names_every_fact) {
  const sh_framework *fws[8];
  size_t n = 0;
  for (size_t i = 0; i < reg->frameworks.n && n < 8; i++) fws[n++] = reg->frameworks.v[i];
  char *dir = sh_path_join(tmp, "all");
  sh_diags d = {0};
  cr_assert_eq(sh_scaffold_init(fws, n, dir, 20000, &d), 0);
  sh_diags_free(&d);
  load_clean(dir);
  /* lint (the CLI, bundled data) accepts it. */
  char *out = NULL, *err = NULL;
  const char *lint[] = {"lint", dir, NULL};
  cr_assert_eq(th_run(&out, &err, lint), 0, "%s%s", out, err);
  free(out);
  free(err);
  char *path = sh_path_join(dir, "evidence.yaml");
  char *text = slurp(path);
  /* Every fact used, including those only in applies_if, is named with its type. */
  sh_vec uses = {0};
  sh_fact_uses(fws, n, &uses);
  cr_assert_gt(uses.n, 90);
  size_t only_applies = 0;
  for (size_t i = 0; i < uses.n; i++) {
    const sh_fact_use *u = uses.v[i];
    char *entry = sh_printf("  # %s: ", u->fact->id);
    bool derived = u->fact->derived || strcmp(u->fact->id, "operator.kind") == 0;
    cr_assert(derived || strstr(text, entry), "fact %s missing", u->fact->id);
    free(entry);
    bool any_req = false;
    for (size_t k = 0; k < u->in_require.n; k++) any_req |= u->in_require.v[k] != NULL;
    only_applies += !any_req;
  }
  cr_assert_gt(only_applies, 0, "some facts are used only in applies_if");
  sh_fact_uses_free(&uses);
  /* Every manual item has a stub with its question. */
  const sh_framework *phr = sh_registry_find(reg, "phr-2023");
  const sh_item *it = sh_framework_item(phr, "x-3.3-withdrawal");
  char *stub = sh_printf("  # phr-2023:x-3.3-withdrawal (必須) %s\n", it->text.ja);
  cr_assert(strstr(text, stub), "%s", stub);
  cr_assert(strstr(text, "  # \"phr-2023:x-3.3-withdrawal\":\n  #   status: implemented\n"));
  free(stub);
  /* Uncommented, every fact entry loads with its example value. */
  char *filled = uncomment(text, fact_line);
  free(th_write(dir, "evidence.yaml", filled));
  load_clean(dir);
  free(filled);
  free(text);
  free(path);
  free(dir);
}

static bool phr_stub_line(const char *s) {
  return strncmp(s, "\"phr-2023:", 10) == 0 || strncmp(s, "  status:", 9) == 0 || strncmp(s, "  answer:", 9) == 0;
}

Test(scaffold, answers_stub_uncommented_loads_and_init_never_overwrites) {
  const sh_framework *fw = sh_registry_find(reg, "phr-2023");
  char *dir = sh_path_join(tmp, "phr");
  sh_diags d = {0};
  cr_assert_eq(sh_scaffold_init(&fw, 1, dir, 20000, &d), 0);
  char *path = sh_path_join(dir, "evidence.yaml");
  char *text = slurp(path);
  char *filled = uncomment(text, phr_stub_line);
  free(th_write(dir, "evidence.yaml", filled));
  sh_evidence *ev = sh_evidence_load(reg->vocab, dir, &d);
  char *s = th_diags_str(&d);
  cr_assert_not_null(ev, "%s", s);
  free(s);
  cr_assert_eq(ev->answers.n, 2, "phr-2023 has two manual items");
  cr_assert_not_null(sh_answer_find(ev, "phr-2023", "x-3.2-prior-consent"));
  sh_evidence_free(ev);
  /* A second init refuses and leaves the file as it was. */
  char *out = NULL, *err = NULL;
  const char *again[] = {"init", "--framework", "phr-2023", dir, NULL};
  cr_assert_eq(th_run(&out, &err, again), 2);
  cr_assert(strstr(err, "already exists"), "%s", err);
  char *now = slurp(path);
  cr_assert_str_eq(now, filled);
  free(now);
  free(out);
  free(err);
  const char *unknown[] = {"init", "--framework", "phr-2032", sh_path_join(tmp, "x"), NULL};
  cr_assert_eq(th_run(NULL, &err, unknown), 2);
  cr_assert(strstr(err, "unknown framework 'phr-2032'"), "%s", err);
  free(err);
  free((char *)unknown[3]);
  free(filled);
  free(text);
  free(path);
  free(dir);
  sh_diags_free(&d);
}

Test(scaffold, facts_lists_types_values_labels_and_items) {
  char *out = NULL, *err = NULL;
  const char *text[] = {"facts", "--framework", "phr-2023", "--lang", "en", NULL};
  cr_assert_eq(th_run(&out, &err, text), 0, "%s", err);
  cr_assert(strstr(out, "security.third_party_certifications  set of [isms, pmark, other]\n"
                        "  Third-party certifications held\n  used by: phr-2023:2.2/1-1 (requirement)\n"), "%s", out);
  cr_assert(strstr(out, "data.via_mynaportal_api  boolean\n"), "%s", out);
  cr_assert(strstr(out, "phr-2023:2.2/1-1 (applies if)"), "%s", out);
  free(out);
  free(err);
  const char *json[] = {"facts", "--framework", "phr-2023", "--format", "json", NULL};
  cr_assert_eq(th_run(&out, &err, json), 0, "%s", err);
  cr_assert(strstr(out, "\"schema\": \"shinsa-facts/1\""), "%s", out);
  cr_assert(strstr(out, "\"id\": \"interop.user_export_formats\",\n      \"type\": \"set\",\n      \"values\": [\n"
                        "        \"mynaportal_format\","), "%s", out);
  free(out);
  free(err);
  /* The count is every fact used: infobank-v3 has more than the 76 an empty applicant view lists. */
  const sh_framework *ib = sh_registry_find(reg, "infobank-v3");
  sh_vec uses = {0};
  sh_fact_uses(&ib, 1, &uses);
  const char *cnt[] = {"facts", "--framework", "infobank-v3", "--lang", "en", NULL};
  cr_assert_eq(th_run(&out, &err, cnt), 0);
  char *tail = sh_printf("\nfacts: %zu\n", uses.n);
  cr_assert(strstr(out, tail), "%s", tail);
  cr_assert_gt(uses.n, 76);
  free(tail);
  sh_fact_uses_free(&uses);
  free(out);
  free(err);
}
