/* Tests of the spreadsheet reader (src/sheet.c) on files written by LibreOffice
 * (tests/fixtures/make-checksheets.sh): the same rows from .xlsx, .ods and a CP932 CSV, merged
 * ranges, hidden rows, numbers, line breaks in cells; and every bad input refused with its location. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "helpers.h"
#include "sheet.h"

static char *tmp;
static void setup(void) { tmp = th_tmpdir(); }
static void teardown(void) { free(tmp); }
TestSuite(sheet, .init = setup, .fini = teardown);

/* All rows of a sheet as text: "ROW[H]: a|b|c\n", copied merge values marked with ^. */
static char *dump(const char *rel, const char *sheet, const char *enc, char **err) {
  char *path = strchr(rel, '/') == rel ? sh_strdup(rel) : th_data(rel);
  sh_diags d = {0};
  sh_buf b = {0};
  sh_buf_puts(&b, "");
  sh_sheet *s = sh_sheet_open(path, enc, &d);
  if (s) {
    int idx = sheet ? sh_sheet_find(s, sheet) : 0;
    cr_assert(idx >= 0, "no sheet %s in %s", sheet, rel);
    if (sh_sheet_select(s, (size_t)idx, &d) == 0) {
      const sh_sheet_row *r;
      while (sh_sheet_next(s, &r, &d) == 1) {
        sh_buf_printf(&b, "%d%s:", r->row, r->hidden ? "H" : "");
        for (size_t c = 0; c < r->ncols; c++)
          sh_buf_printf(&b, "%s%s%s", c ? "|" : " ", r->copied[c] ? "^" : "", r->cells[c]);
        sh_buf_putc(&b, '\n');
      }
    }
  }
  *err = th_diags_str(&d);
  sh_sheet_close(s);
  sh_diags_free(&d);
  free(path);
  return sh_buf_steal(&b);
}

static void assert_has(const char *all, const char *needle) {
  cr_assert(strstr(all, needle), "output:\n%.3000s\nlacks: %s", all, needle);
}

Test(sheet, xlsx_sheets_rows_merges_hidden) {
  char *err;
  sh_diags d = {0};
  char *p = th_data("sheets/phr-fixture.xlsx");
  sh_sheet *s = sh_sheet_open(p, NULL, &d);
  cr_assert(s);
  cr_assert_eq(sh_sheet_get_format(s), SH_SHEET_XLSX);
  cr_assert_eq(sh_sheet_count(s), 2);
  cr_assert_str_eq(sh_sheet_name(s, 0), "表紙");
  cr_assert_str_eq(sh_sheet_name(s, 1), "チェックシート");
  cr_assert_eq(sh_sheet_find(s, "nope"), -1);
  sh_sheet_close(s);
  free(p);
  char *x = dump("sheets/phr-fixture.xlsx", "チェックシート", NULL, &err);
  cr_assert_str_empty(err, "%s", err);
  assert_has(x, "3: 項番|分類|確認事項|区分|備考\n");
  /* a heading merged over A:E: every cell holds it, the copies marked */
  assert_has(x, "4: １．情報セキュリティ対策（試験用）|^１．情報セキュリティ対策（試験用）|^");
  /* the 分類 merged down over its rows */
  assert_has(x, "5: 1-1|組織的対策|【架空】組織的対策について、試験用の要件1を満たしているか。|必須\n");
  assert_has(x, "6: 1-2|^組織的対策|");
  /* line break inside a cell, full-width ids, numbers stored as numbers, the hidden row */
  assert_has(x, "要件17を満たしているか。\n（二行目：セル内改行の試験）|推奨");
  assert_has(x, ": ２－１|同意取得|");
  assert_has(x, "H: 3-5|^保存期間|【架空】（欠番）");
  assert_has(x, "157: 527|^見直し|");
  cr_assert_null(strstr(x, "\n35:"), "empty row 35 is skipped");
  free(x);
  free(err);
}

Test(sheet, same_rows_from_xlsx_ods_and_cp932_csv) {
  char *e1, *e2, *e3;
  char *x = dump("sheets/phr-fixture.xlsx", "チェックシート", NULL, &e1);
  char *o = dump("sheets/phr-fixture.ods", "チェックシート", NULL, &e2);
  char *c = dump("sheets/phr-fixture.csv", NULL, NULL, &e3);
  cr_assert_str_empty(e1);
  cr_assert_str_empty(e2);
  cr_assert_str_empty(e3, "%s", e3);
  cr_assert_str_eq(x, o);
  /* CSV has no merges (only the top-left value is written) and no hidden rows: take the XLSX rows,
   * drop the copied values, the trailing empty cells and the hidden mark: the CSV rows are those. */
  sh_buf b = {0};
  sh_buf_puts(&b, "");
  for (const char *p = x; *p;) {
    if (*p == '^') {
      while (*p && *p != '|' && *p != '\n') p++;
      continue;
    }
    if (*p == 'H' && p[1] == ':' && p > x && p[-1] >= '0' && p[-1] <= '9') {
      p++;
      continue;
    }
    sh_buf_putc(&b, *p++);
  }
  char *want = sh_buf_steal(&b);
  sh_buf_puts(&b, "");
  for (const char *p = want; *p; p++) {
    if (*p == '|') {
      const char *q = p;
      while (*q == '|') q++;
      if (*q == '\n' || !*q) {
        p = q - 1;
        continue;
      }
    }
    sh_buf_putc(&b, *p);
  }
  free(want);
  want = sh_buf_steal(&b);
  cr_assert_str_eq(c, want);
  assert_has(c, "157: 527||【架空】見直しについて、試験用の要件145を満たしているか。|必須\n");
  free(want);
  free(x);
  free(o);
  free(c);
  free(e1);
  free(e2);
  free(e3);
}

Test(sheet, csv_encodings) {
  char *err;
  /* UTF-8 with BOM, CRLF, quoted fields with commas, quotes and newlines */
  char *p = th_write(tmp, "bom.csv", "\xEF\xBB\xBF項番,確認事項\r\n\"1,2\",\"say \"\"yes\"\"\r\nnext\"\r\n\r\nＡ１,x\r\n");
  char *x = dump(p, NULL, NULL, &err);
  cr_assert_str_empty(err, "%s", err);
  cr_assert_str_eq(x, "1: 項番|確認事項\n2: 1,2|say \"yes\"\nnext\n4: Ａ１|x\n");
  free(x);
  free(err);
  free(p);
  /* CP932 detected: 項番 is 8D 80 94 D4 */
  p = th_write(tmp, "sjis.csv", "\x8D\x80\x94\xD4,x\n1,\x82\xA0\n");
  x = dump(p, NULL, NULL, &err);
  cr_assert_str_empty(err, "%s", err);
  cr_assert_str_eq(x, "1: 項番|x\n2: 1|あ\n");
  free(x);
  free(err);
  /* the same bytes read as UTF-8 on request: refused at the line */
  x = dump(p, NULL, "UTF-8", &err);
  cr_assert_str_eq(x, "");
  free(x);
  free(err);
  free(p);
  p = th_write(tmp, "bad.csv", "a,b\n\"c,d\n1,\x82\xA0\n\x82\n");
  x = dump(p, NULL, "CP932", &err);
  assert_has(err, "bad.csv:4: invalid CP932 byte sequence");
  free(x);
  free(err);
  free(p);
  p = th_write(tmp, "open.csv", "a,b\nc,\"d\n\ne\n");
  x = dump(p, NULL, NULL, &err);
  assert_has(err, "open.csv:2: quoted field is not closed");
  free(x);
  free(err);
  free(p);
}

static void assert_refused(const char *rel, const char *where_and_msg) {
  char *err;
  char *x = dump(rel, "チェックシート", NULL, &err);
  assert_has(err, where_and_msg);
  free(x);
  free(err);
}

Test(sheet, bad_archives_refused_with_location) {
  assert_refused("sheets/bad-xml.xlsx", "bad-xml.xlsx:チェックシート!C17: broken XML in xl/worksheets/sheet2.xml");
  assert_refused("sheets/bad-bomb.xlsx",
                 "bad-bomb.xlsx:チェックシート: archive member xl/worksheets/sheet2.xml expands");
  assert_refused("sheets/bad-encrypted.xlsx", "bad-encrypted.xlsx: encrypted file");
  assert_refused("sheets/bad-ole.xlsx", "bad-ole.xlsx: encrypted or legacy file");
  assert_refused("sheets/bad-password.ods", "bad-password.ods: encrypted file: the document is password-protected");
  assert_refused("sheets/bad-oversize.xlsx",
                 "bad-oversize.xlsx:チェックシート: archive member xl/worksheets/sheet2.xml is too large: 805306368 bytes");
  assert_refused("sheets/bad-noworkbook.xlsx", "bad-noworkbook.xlsx: not a spreadsheet");
  char *p = th_write(tmp, "text.xlsx", "hello\n");
  assert_refused(p, "text.xlsx: not a spreadsheet");
  free(p);
  assert_refused("sheets/missing.xlsx", "missing.xlsx: cannot open");
}

Test(sheet, match_keys_and_columns) {
  char *k = sh_match_key("２－１　Ａ");
  cr_assert_str_eq(k, "2-1a");
  free(k);
  k = sh_match_key(" No . ");
  cr_assert_str_eq(k, "no.");
  free(k);
  k = sh_match_key("①");
  cr_assert_str_eq(k, "1");
  free(k);
  char c[8];
  sh_sheet_col_name(0, c);
  cr_assert_str_eq(c, "A");
  sh_sheet_col_name(27, c);
  cr_assert_str_eq(c, "AB");
  sh_sheet_col_name(16383, c);
  cr_assert_str_eq(c, "XFD");
  cr_assert_eq(sh_sheet_col_parse("ab"), 27);
  cr_assert_eq(sh_sheet_col_parse("XFE"), -1);
  cr_assert_eq(sh_sheet_col_parse("A1"), -1);
}

#if SHINSA_HAVE_XLSX
#include <xlsxwriter.h>

/* libxlsxwriter in constant-memory mode writes inline strings (<is>), rich text runs and booleans,
 * which LibreOffice does not: the reader handles both. */
Test(sheet, inline_strings_rich_text_booleans) {
  char *p = sh_path_join(tmp, "inline.xlsx");
  lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = tmp};
  lxw_workbook *wb = workbook_new_opt(p, &opt);
  lxw_worksheet *ws = workbook_add_worksheet(wb, "Inline");
  worksheet_write_string(ws, 0, 0, "項番", NULL);
  worksheet_write_string(ws, 0, 1, "確認事項", NULL);
  worksheet_write_string(ws, 1, 0, "１－１", NULL);
  lxw_format *bold = workbook_add_format(wb);
  format_set_bold(bold);
  lxw_rich_string_tuple a = {.format = bold, .string = "太字"}, b = {.format = NULL, .string = "と普通の文字"};
  lxw_rich_string_tuple *runs[] = {&a, &b, NULL};
  worksheet_write_rich_string(ws, 1, 1, runs, NULL);
  worksheet_write_number(ws, 2, 0, 42, NULL);
  worksheet_write_boolean(ws, 2, 1, 1, NULL);
  worksheet_write_string(ws, 4, 3, "D5 & <escaped>", NULL);
  cr_assert_eq(workbook_close(wb), LXW_NO_ERROR);
  char *err;
  char *x = dump(p, "Inline", NULL, &err);
  cr_assert_str_empty(err, "%s", err);
  cr_assert_str_eq(x, "1: 項番|確認事項\n2: １－１|太字と普通の文字\n3: 42|TRUE\n5: |||D5 & <escaped>\n");
  free(x);
  free(err);
  free(p);
}
#endif

#if SHINSA_HAVE_XLSX
#include <malloc.h>

/* Streaming: reading a 100,000-row sheet (inline strings, so no shared-string table grows with it) the
 * heap in use after the last row is what it was after row 1,000, give or take 64 KiB. */
Test(sheet, memory_bounded_on_100000_rows) {
  char *p = sh_path_join(tmp, "big.xlsx");
  lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = tmp};
  lxw_workbook *wb = workbook_new_opt(p, &opt);
  lxw_worksheet *ws = workbook_add_worksheet(wb, "Big");
  char id[32], text[96];
  for (lxw_row_t r = 0; r < 100000; r++) {
    snprintf(id, sizeof id, "%u-%u", r / 1000 + 1, r % 1000 + 1);
    snprintf(text, sizeof text, "【架空】試験用の確認事項 %u を満たしているか。", r + 1);
    worksheet_write_string(ws, r, 0, id, NULL);
    worksheet_write_string(ws, r, 1, text, NULL);
  }
  cr_assert_eq(workbook_close(wb), LXW_NO_ERROR);
  sh_diags d = {0};
  sh_sheet *s = sh_sheet_open(p, NULL, &d);
  cr_assert_not_null(s);
  cr_assert_eq(sh_sheet_select(s, 0, &d), 0);
  const sh_sheet_row *r;
  size_t n = 0, at1000 = 0;
  while (sh_sheet_next(s, &r, &d) == 1) {
    if (++n == 1000) at1000 = mallinfo2().uordblks;
  }
  size_t at_end = mallinfo2().uordblks;
  cr_assert_eq(n, 100000);
  cr_assert(at_end <= at1000 + 65536, "heap grew from %zu to %zu bytes while streaming", at1000, at_end);
  sh_sheet_close(s);
  sh_diags_free(&d);
  free(p);
}
#endif

#include <zip.h>

/* A minimal XLSX written with libzip: workbook, relationships and one worksheet given as XML. */
static char *write_xlsx(const char *name, const char *sheet_xml) {
  char *p = sh_path_join(tmp, name);
  int err = 0;
  zip_t *z = zip_open(p, ZIP_CREATE | ZIP_TRUNCATE, &err);
  cr_assert_not_null(z);
  static const char wb[] =
      "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
      "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets>"
      "<sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
  static const char rels[] =
      "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
      "<Relationship Id=\"rId1\" Type=\"worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>";
  const char *names[] = {"xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/worksheets/sheet1.xml"};
  const char *data[] = {wb, rels, sheet_xml};
  for (int i = 0; i < 3; i++) {
    zip_source_t *src = zip_source_buffer(z, data[i], strlen(data[i]), 0);
    cr_assert(zip_file_add(z, names[i], src, ZIP_FL_OVERWRITE) >= 0);
  }
  cr_assert_eq(zip_close(z), 0);
  return p;
}

Test(sheet, work_bounds_against_tiny_hostile_files) {
  /* 100,001 merged ranges over two rows */
  sh_buf x = {0};
  sh_buf_puts(&x, "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
                  "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>a</t></is></c></row>"
                  "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>b</t></is></c></row></sheetData><mergeCells>");
  for (int i = 0; i < 100001; i++) sh_buf_printf(&x, "<mergeCell ref=\"A1:B%d\"/>", 2 + i * 7919 % 99991);
  sh_buf_puts(&x, "</mergeCells></worksheet>");
  char *p = write_xlsx("merges.xlsx", sh_buf_str(&x));
  sh_buf_free(&x);
  char *err;
  char *out = dump(p, "S", NULL, &err);
  assert_has(err, "merges.xlsx:S!1:1: sheet too large: more merged ranges or merged cells than the limit");
  free(out);
  free(err);
  free(p);
  /* one range over the whole sheet, 4,000 rows: 65 million copies asked for, stopped at 2 million */
  sh_buf_puts(&x, "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
                  "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>all</t></is></c></row>");
  for (int i = 2; i <= 4000; i++) sh_buf_printf(&x, "<row r=\"%d\"><c r=\"A%d\"/></row>", i, i);
  sh_buf_puts(&x, "</sheetData><mergeCells><mergeCell ref=\"A1:XFD1048576\"/></mergeCells></worksheet>");
  p = write_xlsx("whole.xlsx", sh_buf_str(&x));
  sh_buf_free(&x);
  out = dump(p, "S", NULL, &err);
  assert_has(err, "whole.xlsx:S!");
  assert_has(err, ": sheet too large: more merged ranges or merged cells than the limit");
  free(out);
  free(err);
  free(p);
  /* a row number past the limit */
  p = write_xlsx("far.xlsx", "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
                             "<row r=\"99999999\"><c t=\"inlineStr\"><is><t>x</t></is></c></row></sheetData></worksheet>");
  out = dump(p, "S", NULL, &err);
  assert_has(err, "sheet too large: more rows than the limit");
  free(out);
  free(err);
  free(p);
}
