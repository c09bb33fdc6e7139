/* End-to-end tests of the import workflow through the shinsa executable: import a LibreOffice-written
 * checksheet -> overlay -> check --framework PATH -> crosswalk derived on the overlaid items; framework
 * files from the user data folders with their origins; import mapping -> crosswalk totals -> lint
 * naming each disagreement; bad inputs: exit codes, locations, no output file left behind. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers.h"

static char *tmp, *xdg;
static void setup(void) {
  tmp = th_tmpdir();
  xdg = sh_path_join(tmp, "xdg");
  mkdir(xdg, 0700);
  setenv("XDG_DATA_HOME", xdg, 1); /* never the tester's own ~/.local/share/shinsa */
  unsetenv("SHINSA_DATA_PATH");
}
static void teardown(void) {
  free(xdg);
  free(tmp);
}
TestSuite(import_cli, .init = setup, .fini = teardown);

static void assert_has(const char *all, const char *needle) {
  cr_assert(strstr(all, needle), "output:\n%.6000s\nlacks: %s", all, needle);
}

static int run(char **out, char **err, const char *const *args) { return th_run(out, err, args); }

/* The first line of a crosswalk's text item list whose first column is id, its columns joined by one space (the
 * columns are aligned by display width, so their padding depends on the widest id). */
static void assert_row(const char *all, const char *id, const char *want) {
  char *key = sh_printf("\n  %s ", id);
  const char *p = strstr(all, key);
  cr_assert(p, "no row %s in:\n%.3000s", id, all);
  p += 3;
  sh_buf b = {0};
  for (; *p && *p != '\n'; p++) {
    if (*p == ' ' && (b.len == 0 || b.data[b.len - 1] == ' ')) continue;
    sh_buf_putc(&b, *p);
  }
  while (b.len && b.data[b.len - 1] == ' ') b.data[--b.len] = 0;
  cr_assert_str_eq(sh_buf_str(&b), want);
  sh_buf_free(&b);
  free(key);
}

/* Imports the xlsx fixture into dir/name; returns the path (caller frees). */
static char *import_fixture(const char *dir, const char *name) {
  char *sheet = th_data("sheets/phr-fixture.xlsx");
  char *dst = sh_path_join(dir, name);
  char *out, *err;
  int rc = run(&out, &err, (const char *const[]){"import", "checksheet", "--id", "phr-fixture", "-o", dst, sheet, NULL});
  cr_assert_eq(rc, 0, "import failed: %s", err);
  assert_has(err, "145 items in 18 sections");
  assert_has(err, "1 hidden");
  free(out);
  free(err);
  free(sheet);
  return dst;
}

Test(import_cli, import_overlay_check_crosswalk) {
  char *fw = import_fixture(tmp, "phr-fixture.yaml");
  char *ov = th_data("import/phr-fixture-overlay.yaml");
  char *ex = th_src("examples/phr-operator");
  char *out, *err;
  /* the imported file lints clean */
  int rc = run(&out, &err, (const char *const[]){"lint", fw, NULL});
  cr_assert_eq(rc, 0, "%s", err);
  free(out);
  free(err);
  /* check with the framework file and the overlay: overlaid items are machine-checked */
  rc = run(&out, &err, (const char *const[]){"check", "--format", "json", "-f", fw, "-f", ov, ex, NULL});
  cr_assert(rc == 0 || rc == 1, "rc %d: %s", rc, err);
  char *p = strstr(out, "\"id\": \"２－１６\",\n      \"verdict\": \"not_satisfied\"");
  cr_assert_not_null(p, "２－１６ (overlaid; retention.inactive_deletion is false) is not_satisfied:\n%.3000s", out);
  cr_assert(strstr(p, "\"manual\": false"));
  assert_has(out, "\"id\": \"3-21\",\n      \"verdict\": \"satisfied\"");
  assert_has(out, "\"id\": \"1-1\",\n      \"verdict\": \"needs_review\"");
  assert_has(out, "\"id\": \"２－１\",\n      \"verdict\": \"not_applicable\"");
  free(out);
  free(err);
  /* recorded with the overlay, the run re-renders with it: the overlay's English text and machine checks are in
   * `report RUN` as in `check` (the overlay is recorded with the run's framework texts) */
  char *db = sh_path_join(tmp, "ov.db");
  rc = run(&out, &err, (const char *const[]){"check", "--lang", "en", "--db", db, "-f", fw, "-f", ov, ex, NULL});
  cr_assert(rc == 0 || rc == 1, "rc %d: %s", rc, err);
  assert_has(out, "(test) Third-party certification when data comes via the Mynaportal API");
  char *out2, *err2;
  int rc2 = run(&out2, &err2, (const char *const[]){"report", "1", "--lang", "en", "--db", db, NULL});
  cr_assert_eq(rc2, rc, "%s", err2);
  /* a recorded run adds its quorum lines (reviews may follow); the rest is the same */
  sh_buf a = {0}, b = {0};
  for (int k = 0; k < 2; k++)
    for (const char *l = k ? out2 : out; *l;) {
      const char *e = strchr(l, '\n');
      size_t n = e ? (size_t)(e - l + 1) : strlen(l);
      char *line = sh_strndup(l, n);
      if (!strstr(line, "quorum")) sh_buf_puts(k ? &b : &a, line);
      free(line);
      l += n;
    }
  cr_assert_str_eq(sh_buf_str(&b), sh_buf_str(&a), "report RUN differs from check");
  assert_has(out2, "(test) Third-party certification when data comes via the Mynaportal API");
  sh_buf_free(&a), sh_buf_free(&b);
  free(out), free(err), free(out2), free(err2), free(db);
  /* the report cites the checksheet row of each item, hidden rows marked */
  rc = run(&out, &err, (const char *const[]){"check", "--format", "md", "-f", fw, ex, NULL});
  cr_assert(rc == 0 || rc == 1, "rc %d: %s", rc, err);
  assert_has(out, "出典: phr-fixture.xlsx シート チェックシート 73行目（非表示の行） (原文どおり)");
  free(out);
  free(err);
  /* crosswalk derived on the overlaid items */
  rc = run(&out, &err, (const char *const[]){"crosswalk", "--from", "infobank-v3", "--to", fw, "-f", ov, NULL});
  cr_assert_eq(rc, 0, "%s", err);
  assert_has(out, "infobank-v3（基準）→ phr-fixture（対象）");
  assert_row(out, "1-23", "1-23 充足 根拠: x-3-03");
  assert_has(out, "5.3.3⑦/No.86 は同じ事実を扱うが、この項目の方が多くを求める。未充足の条件: retention.inactive_deletion");
  assert_row(out, "1-1", "1-1 判定不能");
  free(out);
  free(err);
  /* without the overlay, the same items are undecided */
  rc = run(&out, &err, (const char *const[]){"crosswalk", "--from", "infobank-v3", "--to", fw, NULL});
  cr_assert_eq(rc, 0, "%s", err);
  assert_row(out, "1-23", "1-23 判定不能");
  free(out);
  free(err);
  free(fw);
  free(ov);
  free(ex);
}

Test(import_cli, user_data_folders_and_origins) {
  char *shinsa = sh_path_join(xdg, "shinsa"), *cl = sh_path_join(shinsa, "checklists"), *ovd = sh_path_join(shinsa, "overlays");
  mkdir(shinsa, 0700);
  mkdir(cl, 0700);
  mkdir(ovd, 0700);
  char *fw = import_fixture(cl, "phr-fixture.yaml");
  char *ov = th_data("import/phr-fixture-overlay.yaml"), *text;
  size_t len;
  cr_assert_eq(sh_read_file(ov, 1 << 20, &text, &len), 0);
  free(th_write(ovd, "checks.yaml", text));
  free(text);
  /* a second folder on SHINSA_DATA_PATH holding a framework at its top */
  char *extra = sh_path_join(tmp, "extra");
  mkdir(extra, 0700);
  char *sheet = th_data("sheets/phr-fixture.ods"), *dst = sh_path_join(extra, "other.yaml"), *out, *err;
  int rc = run(&out, &err, (const char *const[]){"import", "checksheet", "--id", "other-sheet", "--version", "9",
                                                 "-o", dst, sheet, NULL});
  cr_assert_eq(rc, 0, "%s", err);
  free(out);
  free(err);
  setenv("SHINSA_DATA_PATH", extra, 1);
  rc = run(&out, &err, (const char *const[]){"frameworks", NULL});
  cr_assert_eq(rc, 0, "%s", err);
  /* columns as wide as their widest cell (texttable.h): ORIGIN fits SHINSA_DATA_PATH */
  assert_has(out, "phr-fixture         checklist  imported        145        4     141       145  user              ");
  assert_has(out, "other-sheet         checklist  9               145        0     145       145  SHINSA_DATA_PATH  ");
  assert_has(out, "infobank-v3         checklist  3.0");
  assert_has(out, "overlay phr-fixture-checks -> phr-fixture: 4 of 4 entries applied (user: ");
  assert_has(out, "data folder (user): ");
  assert_has(out, "data folder (SHINSA_DATA_PATH): ");
  free(out);
  free(err);
  /* check by id: found in the user folder, overlay applied */
  char *ex = th_src("examples/phr-operator");
  rc = run(&out, &err, (const char *const[]){"check", "-f", "phr-fixture", ex, NULL});
  cr_assert_eq(rc, 1, "%s", err);
  assert_has(out, "[phr-fixture ２－１６] (必須)"); /* strength in the report language */
  free(out);
  free(err);
  /* init and facts see the user folder too (and the overlay: 1-23 uses data.via_mynaportal_api) */
  char *pkg = sh_path_join(tmp, "pkg");
  rc = run(&out, &err, (const char *const[]){"init", "--framework", "phr-fixture", pkg, NULL});
  cr_assert_eq(rc, 0, "%s", err);
  free(out);
  free(err);
  char *evp = sh_path_join(pkg, "evidence.yaml"), *evt;
  cr_assert_eq(sh_read_file(evp, 1 << 22, &evt, &len), 0);
  assert_has(evt, "phr-fixture:");
  free(evt);
  free(evp);
  free(pkg);
  rc = run(&out, &err, (const char *const[]){"facts", "--framework", "phr-fixture", NULL});
  cr_assert_eq(rc, 0, "%s", err);
  assert_has(out, "phr-fixture:1-23 (適用条件)\n");
  free(out);
  free(err);
  /* a folder on SHINSA_DATA_PATH that does not exist: a warning, not a failure */
  setenv("SHINSA_DATA_PATH", "/nonexistent/shinsa-data", 1);
  rc = run(&out, &err, (const char *const[]){"frameworks", NULL});
  cr_assert_eq(rc, 0, "%s", err);
  assert_has(err, "/nonexistent/shinsa-data: SHINSA_DATA_PATH names a folder that does not exist");
  free(out);
  free(err);
  unsetenv("SHINSA_DATA_PATH");
  free(ex);
  free(sheet);
  free(dst);
  free(extra);
  free(fw);
  free(ov);
  free(shinsa);
  free(cl);
  free(ovd);
}

Test(import_cli, overlay_lint_unknown_id_and_version) {
  char *fw = import_fixture(tmp, "phr-fixture.yaml");
  char *bad = th_write(tmp, "bad-overlay.yaml",
                       "overlay:\n"
                       "  id: bad\n"
                       "  framework: phr-fixture\n"
                       "  framework_version: \"2.0\"\n"
                       "items:\n"
                       "  - id: \"9-99\"\n"
                       "    require: \"interop.user_export\"\n"
                       "  - id: \"１－１\"\n"
                       "    require: \"no.such_fact\"\n");
  char *out, *err;
  int rc = run(&out, &err, (const char *const[]){"lint", "-f", fw, "-f", bad, NULL});
  cr_assert_eq(rc, 3, "%s", err);
  assert_has(err, "bad-overlay.yaml:4:22: overlay 'bad' was written for phr-fixture version 2.0, but");
  assert_has(err, "bad-overlay.yaml:6:9: overlay 'bad': phr-fixture has no item '9-99'");
  assert_has(err, "bad-overlay.yaml:9:");
  free(out);
  free(err);
  /* lint of the overlay file itself, with the framework in the user folder */
  char *good = th_write(tmp, "v.yaml", "overlay:\n  id: v\n  framework: phr-fixture\n  framework_version: \"2.0\"\n"
                                       "items:\n  - id: \"2-1\"\n    strength: should\n");
  char *ex = th_src("examples/phr-operator");
  /* check: a version mismatch is a warning only */
  rc = run(&out, &err, (const char *const[]){"check", "-f", fw, "-f", good, ex, NULL});
  cr_assert(rc == 0 || rc == 1, "%s", err);
  assert_has(err, "warning: ");
  assert_has(err, "v.yaml:4:22: overlay 'v' was written for phr-fixture version 2.0");
  free(out);
  free(err);
  /* an overlay for a framework that is not loaded */
  char *orphan = th_write(tmp, "orphan.yaml", "overlay:\n  id: o\n  framework: nowhere\nitems: []\n");
  rc = run(&out, &err, (const char *const[]){"check", "-f", orphan, ex, NULL});
  cr_assert_eq(rc, 3, "%s", err);
  assert_has(err, "orphan.yaml: overlay 'o' extends framework 'nowhere', which is not loaded");
  free(out);
  free(err);
  free(orphan);
  free(ex);
  free(good);
  free(bad);
  free(fw);
}

Test(import_cli, mapping_totals_and_lint_disagreements) {
  char *fw = import_fixture(tmp, "phr-fixture.yaml");
  char *ov = th_data("import/phr-fixture-overlay.yaml");
  const char *tables[] = {"sheets/mapping-fixture.xlsx", "sheets/mapping-fixture.csv"};
  for (int i = 0; i < 2; i++) {
    char *table = th_data(tables[i]), *m = sh_path_join(tmp, i ? "m2.yaml" : "m.yaml"), *out, *err;
    int rc = run(&out, &err, (const char *const[]){"import", "mapping", "--from", "infobank-v3", "--to", fw, "-o", m,
                                                   table, NULL});
    cr_assert_eq(rc, 0, "%s", err);
    assert_has(err, "145 relations infobank-v3 -> phr-fixture (A 29, B 44, C 43, D 29)");
    free(out);
    free(err);
    rc = run(&out, &err, (const char *const[]){"crosswalk", "--from", "infobank-v3", "--to", fw, "-f", ov, "--mapping",
                                               m, NULL});
    cr_assert_eq(rc, 0, "%s", err);
    assert_has(out, "導入済みフレームワークでの計算値: 145 項目\n");
    assert_has(out, "読み込んだ対応表（");
    assert_has(out, "）: 145 件\n  A 29  B 44  C 43  D 29\n  計算値との不一致: 2");
    free(out);
    free(err);
    /* lint names each disagreement at the relation of the imported table */
    rc = run(&out, &err, (const char *const[]){"lint", "-f", fw, "-f", ov, "--mapping", m, NULL});
    cr_assert_eq(rc, 3, "%s", err);
    assert_has(err, "curated relation 'equal' (class B) for phr-fixture item '２－１６' disagrees with the derived class C");
    assert_has(err, "note: 2 errors");
    free(out);
    free(err);
    free(table);
    free(m);
  }
  free(ov);
  free(fw);
}

Test(import_cli, bad_inputs_exit_codes_and_nothing_written) {
  char *dst = sh_path_join(tmp, "never.yaml"), *out, *err;
  const char *bad[] = {"sheets/bad-xml.xlsx", "sheets/bad-bomb.xlsx", "sheets/bad-encrypted.xlsx", "sheets/bad-ole.xlsx",
                       "sheets/bad-noworkbook.xlsx", "sheets/bad-password.ods", "sheets/bad-oversize.xlsx"};
  const char *where[] = {"bad-xml.xlsx:チェックシート!C17: broken XML", "bad-bomb.xlsx:チェックシート: archive member",
                         "bad-encrypted.xlsx: encrypted file", "bad-ole.xlsx: encrypted or legacy file",
                         "bad-noworkbook.xlsx: not a spreadsheet", "bad-password.ods: encrypted file",
                         "bad-oversize.xlsx:チェックシート: archive member xl/worksheets/sheet2.xml is too large"};
  for (int i = 0; i < 7; i++) {
    char *p = th_data(bad[i]);
    int rc = run(&out, &err, (const char *const[]){"import", "checksheet", "--id", "x", "-o", dst, p, NULL});
    cr_assert_eq(rc, 3, "%s: rc %d %s", bad[i], rc, err);
    assert_has(err, where[i]);
    cr_assert_neq(access(dst, F_OK), 0, "%s left %s behind", bad[i], dst);
    free(out);
    free(err);
    free(p);
  }
  char *dup = th_write(tmp, "dup.csv", "項番,確認事項\n1-1,a\n１－１,b\n");
  int rc = run(&out, &err, (const char *const[]){"import", "checksheet", "--id", "x", "-o", dst, dup, NULL});
  cr_assert_eq(rc, 3);
  assert_has(err, "dup.csv:3: duplicate id '１－１' (first at ");
  cr_assert_neq(access(dst, F_OK), 0);
  free(out);
  free(err);
  rc = run(&out, &err, (const char *const[]){"import", "checksheet", "--id", "x", "/nonexistent/c.xlsx", NULL});
  cr_assert_eq(rc, 2, "a missing file is an I/O error: %s", err);
  free(out);
  free(err);
  rc = run(&out, &err, (const char *const[]){"import", "checksheet", "--id", "Bad_Id", dup, NULL});
  cr_assert_eq(rc, 3, "%s", err);
  assert_has(err, "invalid framework id 'Bad_Id'");
  free(out);
  free(err);
  /* mapping: unknown target, unknown source, unknown class, a second row for a target */
  char *fw = import_fixture(tmp, "phr-fixture.yaml");
  char *map = th_write(tmp, "map.csv",
                       "対象項番,対応する項目,分類,理由\n"
                       "1-1,x-1-01,A,semantic\n"
                       "9-9,x-1-01,B,\n"
                       "1-2,nope,B,\n"
                       "1-3,x-1-01,Z,\n"
                       "１－１,x-1-01,B,\n"
                       "1-4,,A,\n");
  rc = run(&out, &err, (const char *const[]){"import", "mapping", "--from", "infobank-v3", "--to", fw, "-o", dst, map,
                                             NULL});
  cr_assert_eq(rc, 3, "%s", err);
  assert_has(err, "map.csv:3: '9-9' is not an item of phr-fixture");
  assert_has(err, "map.csv:4: 'nope' is not an item of infobank-v3");
  assert_has(err, "map.csv:5: unknown class 'Z'");
  assert_has(err, "map.csv:6: a second row for target '１－１' (first at ");
  assert_has(err, "map.csv:7: class A needs at least one source item");
  cr_assert_neq(access(dst, F_OK), 0);
  free(out);
  free(err);
  free(map);
  free(fw);
  free(dup);
  free(dst);
}
