/* Tests of the checksheet and mapping importers (src/import_sheet.c) on LibreOffice-written fixtures:
 * the same framework from .xlsx, .ods and CP932 .csv; the output loads as a framework; ids and texts
 * as written; sections from merged headings; every bad input refused with FILE:SHEET!CELL / FILE:LINE. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "import_sheet.h"

static char *tmp;
static sh_registry *reg;
static void setup(void) {
  tmp = th_tmpdir();
  reg = th_bundled_registry();
}
static void teardown(void) {
  sh_registry_free(reg);
  free(tmp);
}
TestSuite(import, .init = setup, .fini = teardown);

static char *import(const char *path, const char *columns, const char *sheet, char **err, sh_import_stats *st) {
  sh_diags d = {0};
  sh_checksheet_opts o = {.path = path, .id = "phr-fixture", .columns = columns, .sheet = sheet};
  sh_import_stats local;
  char *y = sh_import_checksheet(&o, st ? st : &local, &d);
  *err = th_diags_str(&d);
  if (!st) free(local.sheet);
  sh_diags_free(&d);
  return y;
}

static sh_framework *load(const char *yaml, const char *name) {
  char *p = th_write(tmp, name, yaml);
  sh_diags d = {0};
  sh_framework *fw = sh_framework_load(reg->vocab, p, &d);
  char *msg = th_diags_str(&d);
  cr_assert_not_null(fw, "imported framework does not load:\n%s", msg);
  free(msg);
  sh_diags_free(&d);
  free(p);
  return fw;
}

static void assert_has(const char *all, const char *needle) {
  cr_assert(strstr(all, needle), "text:\n%.4000s\nlacks: %s", all, needle);
}

Test(import, same_framework_from_xlsx_ods_csv) {
  const char *names[] = {"phr-fixture.xlsx", "phr-fixture.ods", "phr-fixture.csv"};
  sh_framework *fw[3];
  for (int i = 0; i < 3; i++) {
    char *rel = sh_printf("sheets/%s", names[i]), *name = sh_printf("fw%d.yaml", i);
    char *p = th_data(rel), *err;
    sh_import_stats st;
    char *y = import(p, NULL, NULL, &err, &st);
    cr_assert_not_null(y, "%s: %s", names[i], err);
    cr_assert_eq(st.items, 145, "%s: %zu items", names[i], st.items);
    cr_assert_eq(st.hidden, i < 2 ? 1 : 0);
    cr_assert_str_eq(st.sheet, i < 2 ? "チェックシート" : "phr-fixture.csv");
    fw[i] = load(y, name);
    free(rel);
    free(name);
    free(st.sheet);
    free(y);
    free(err);
    free(p);
  }
  for (int i = 1; i < 3; i++) {
    cr_assert_eq(fw[i]->items.n, fw[0]->items.n);
    cr_assert_eq(fw[i]->sections.n, fw[0]->sections.n);
    for (size_t k = 0; k < fw[0]->items.n; k++) {
      const sh_item *a = fw[0]->items.v[k], *b = fw[i]->items.v[k];
      cr_assert_str_eq(a->id, b->id);
      cr_assert_str_eq(a->text.ja, b->text.ja);
      cr_assert_eq(a->strength, b->strength, "%s", a->id);
      cr_assert_eq(a->section.n, b->section.n, "%s", a->id);
      for (size_t j = 0; j < a->section.n; j++) cr_assert_str_eq(a->section.v[j], b->section.v[j]);
      cr_assert_eq(a->source.row, b->source.row, "%s", a->id);
      cr_assert(b->manual);
    }
  }
  /* ids as written, full-width kept; text verbatim with its line break; numbers as shown */
  const sh_framework *f = fw[0];
  const sh_item *it = sh_framework_item(f, "２－１");
  cr_assert_not_null(it);
  cr_assert_null(sh_framework_item(f, "2-1"), "ids are never rewritten");
  cr_assert_str_eq(it->text.ja, "【架空】同意取得について、試験用の要件31を満たしているか。");
  cr_assert_str_eq(it->section.v[0], "2");
  cr_assert_str_eq(it->section.v[1], "2.1");
  cr_assert_str_eq(sh_framework_section(f, "2")->title.ja, "２．個人情報の取扱い（試験用）");
  cr_assert_str_eq(sh_framework_section(f, "2.1")->title.ja, "同意取得");
  cr_assert_not_null(sh_framework_item(f, "４-1"));
  cr_assert_not_null(sh_framework_item(f, "527"));
  it = sh_framework_item(f, "1-17");
  cr_assert_str_eq(it->text.ja, "【架空】技術的対策について、試験用の要件17を満たしているか。\n（二行目：セル内改行の試験）");
  cr_assert_eq(it->strength, SH_STRENGTH_SHOULD);
  cr_assert_eq(((sh_item *)sh_framework_item(f, "1-4"))->strength, SH_STRENGTH_EFFORT);
  /* provenance: file, sheet, row, verbatim; the hidden row imported and marked */
  it = sh_framework_item(f, "3-5");
  cr_assert_str_eq(it->source.document, "phr-fixture.xlsx");
  cr_assert_str_eq(it->source.sheet, "チェックシート");
  cr_assert_eq(it->source.row, 73);
  cr_assert_eq(it->source.form, SH_FORM_VERBATIM);
  cr_assert(it->source.hidden);
  cr_assert(!((sh_item *)sh_framework_item(fw[2], "3-5"))->source.hidden);
  cr_assert_eq(((sh_item *)sh_framework_item(f, "1-1"))->source.row, 5);
  for (int i = 0; i < 3; i++) sh_framework_free(fw[i]);
}

Test(import, columns_by_letter_and_by_name) {
  char *p = th_data("sheets/phr-fixture.xlsx"), *err;
  char *y = import(p, "id=A,section=B,text=C,strength=D", "チェックシート", &err, NULL);
  cr_assert_not_null(y, "%s", err);
  sh_framework *fw = load(y, "a.yaml");
  cr_assert_eq(fw->items.n, 145);
  sh_framework_free(fw);
  free(y);
  free(err);
  y = import(p, "id=項番,text=確認事項", NULL, &err, NULL);
  cr_assert_not_null(y, "%s", err);
  fw = load(y, "b.yaml");
  cr_assert_eq(fw->items.n, 145);
  cr_assert_eq(((sh_item *)sh_framework_item(fw, "1-2"))->section.n, 1, "no section column: headings only");
  sh_framework_free(fw);
  free(y);
  free(err);
  y = import(p, "id=A,text=Q", NULL, &err, NULL);
  cr_assert_null(y);
  free(err);
  y = import(p, "id=番号,text=確認事項", NULL, &err, NULL);
  cr_assert_null(y);
  assert_has(err, "phr-fixture.xlsx:表紙!A1: no header row with the columns named in --columns");
  free(err);
  y = import(p, "nope=A", NULL, &err, NULL);
  assert_has(err, "unknown role 'nope'");
  free(err);
  free(p);
}

static void refused(const char *path, const char *columns, const char *sheet, const char *want) {
  char *err;
  char *y = import(path, columns, sheet, &err, NULL);
  cr_assert_null(y, "%s was accepted", path);
  assert_has(err, want);
  free(err);
}

Test(import, bad_inputs_located) {
  char *p = th_data("sheets/phr-fixture.xlsx");
  refused(p, NULL, "シート9", "phr-fixture.xlsx:シート9: no sheet named 'シート9' (the file has: 表紙, チェックシート)");
  free(p);
  p = th_data("sheets/bad-xml.xlsx");
  refused(p, NULL, NULL, "bad-xml.xlsx:チェックシート!C17: broken XML");
  free(p);
  p = th_data("sheets/bad-bomb.xlsx");
  refused(p, NULL, "チェックシート", "bad-bomb.xlsx:チェックシート: archive member xl/worksheets/sheet2.xml expands");
  free(p);
  p = th_data("sheets/bad-encrypted.xlsx");
  refused(p, NULL, NULL, "bad-encrypted.xlsx: encrypted file");
  free(p);
  p = th_data("sheets/bad-ole.xlsx");
  refused(p, NULL, NULL, "bad-ole.xlsx: encrypted or legacy file");
  free(p);
  char *c = th_write(tmp, "dup.csv", "項番,確認事項\n1-1,a\n１－１,b\n");
  refused(c, NULL, NULL, "dup.csv:3: duplicate id '１－１' (first at ");
  free(c);
  c = th_write(tmp, "dupx.csv", "項番,確認事項\n\"1-1\",\"two\nlines\"\n1-1,b\n");
  refused(c, NULL, NULL, "dupx.csv:4: duplicate id '1-1' (first at ");
  free(c);
  c = th_write(tmp, "nohdr.csv", "a,b\n1,2\n");
  refused(c, NULL, NULL, "nohdr.csv:1: no recognisable header row");
  free(c);
  c = th_write(tmp, "notext.csv", "No.,内容,備考\n1,,note\n");
  refused(c, NULL, NULL, "notext.csv:2: item '1' has no text");
  free(c);
  c = th_write(tmp, "noid.csv", "No.,内容,備考\n,some text,note\n");
  refused(c, NULL, NULL, "noid.csv:2: a row with text but no id");
  free(c);
  c = th_write(tmp, "empty.csv", "No.,内容\n");
  refused(c, NULL, NULL, "empty.csv:empty.csv: no items below the header row");
  free(c);
}

Test(import, heading_numbers) {
  /* "2 x": the title ends one byte after the number (once read past the end: fuzz/regressions/fuzz_import);
   * "（３）": a number alone is no title; "第4章" has no leading number: its position is its id */
  char *c = th_write(tmp, "h.csv", "項番,確認事項\n2 x\n2-1,a\n（３）\n3-1,b\n第4章 まとめ\n4-1,c\n");
  char *err;
  char *y = import(c, NULL, NULL, &err, NULL);
  cr_assert_not_null(y, "%s", err);
  sh_framework *fw = load(y, "h.yaml");
  cr_assert_str_eq(sh_framework_section(fw, "2")->title.ja, "2 x");
  cr_assert_str_eq(((sh_item *)sh_framework_item(fw, "2-1"))->section.v[0], "2");
  cr_assert_str_eq(((sh_item *)sh_framework_item(fw, "3-1"))->section.v[0], "(3)");
  cr_assert_str_eq(sh_framework_section(fw, "(3)")->title.ja, "（３）");
  cr_assert_str_eq(((sh_item *)sh_framework_item(fw, "4-1"))->section.v[0], "3");
  cr_assert_str_eq(sh_framework_section(fw, "3")->title.ja, "第4章 まとめ");
  sh_framework_free(fw);
  free(y);
  free(err);
  free(c);
}
