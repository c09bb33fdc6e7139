/* Diagnostics in the locale's language (po/ja.po) of the YAML, evidence, vocabulary, file, sheet, import and store
 * modules: representative bad inputs run through the shinsa program under LC_ALL=ja_JP.UTF-8 (no ja locale needs
 * installing: src/i18n.c falls back to C.UTF-8 and takes the language from the name) and under the tests' C.UTF-8
 * locale, each asserting the message with its FILE:LINE:COL (or FILE:SHEET!CELL, FILE:ROW) and the exit code.
 * Texts that shinsa builds before the diagnostic are checked as well as the formats diag.c translates: libyaml's
 * problem and context, path refusal reasons, sh_fio_strerror's texts, a typed value's error, the header-row hint,
 * the damaged-column reason and the 'while ...' phrase of a store error. A YAML key name stays as written in both
 * languages; a description of a value is translated. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers.h"
#include "th_store.h"
#include "util.h"

/* An evidence folder holding evidence.yaml with text. Caller frees. */
static char *evidence(const char *text) {
  char *dir = th_tmpdir();
  char *ev = sh_path_join(dir, "ev");
  cr_assert_eq(mkdir(ev, 0755), 0);
  free(th_write(ev, "evidence.yaml", text));
  free(dir);
  return ev;
}

/* `shinsa check` of ev with the test data folder in lang; returns the exit code, stderr in *err. */
static int check_in(const char *lang, const char *ev, char **err) {
  char *datadir = th_data("datadir");
  const char *args[] = {"check", "--data-dir", datadir, ev, NULL};
  int rc = th_run_in(lang, NULL, err, args);
  free(datadir);
  return rc;
}

Test(i18n_diag, malformed_yaml_gives_libyaml_problem_and_context_in_the_message_language) {
  char *ev = evidence("applicant:\n  name: X\n  kind: phr_operator\n  assessment_date: 2026-10-01\n"
                      "frameworks: [test-fw\n");
  char *where = sh_printf("%s/evidence.yaml:6:1", ev), *err = NULL;
  cr_assert_eq(check_in("ja", ev, &err), 3, "%s", err);
  th_assert_at(err, where, "YAML として不正です: フローシーケンスの解析中、期待した ',' または ']' が見つかりません\n");
  cr_assert(strstr(err, "shinsa: エラー: "), "%s", err);
  free(err);
  cr_assert_eq(check_in("en", ev, &err), 3, "%s", err);
  th_assert_at(err, where, "invalid YAML: did not find expected ',' or ']' while parsing a flow sequence\n");
  free(err);
  /* a byte that is not UTF-8: libyaml's reader problem, at the byte */
  char *ev8 = evidence("applicant:\n  name: \xff\n");
  char *where8 = sh_printf("%s/evidence.yaml:2:9", ev8);
  cr_assert_eq(check_in("ja", ev8, &err), 3, "%s", err);
  th_assert_at(err, where8, "UTF-8 として不正です: UTF-8 の先頭バイトが不正です（0xFF）\n");
  free(err);
  cr_assert_eq(check_in("en", ev8, &err), 3, "%s", err);
  th_assert_at(err, where8, "invalid UTF-8: invalid leading UTF-8 octet 0xFF\n");
  free(err);
  free(where8), free(ev8), free(where), free(ev);
}

Test(i18n_diag, evidence_errors_with_descriptions_translated_and_key_names_as_written) {
  char *ev = evidence("applicant:\n  name: テスト株式会社\n  kind: [phr_operator]\nframeworks: [test-fw]\nfacts:\n"
                      "  retention.dayz: 45\n  board.established: yes\ndocuments:\n  - path: ../outside.txt\n"
                      "    sha256: 0f4d2fe61ecd7508bedd68db11c9ac94ac6f15e30de80db8e210d91c0f01c74b\n    title: 外部\n");
  char *at[5];
  const char *pos[5] = {"3:9", "2:3", "6:3", "7:22", "9:11"};
  for (int i = 0; i < 5; i++) at[i] = sh_printf("%s/evidence.yaml:%s", ev, pos[i]);
  char *err = NULL;
  cr_assert_eq(check_in("ja", ev, &err), 3, "%s", err);
  th_assert_at(err, at[0], "申請者の種別 はスカラーでなければなりません（リストが書かれています）\n");
  th_assert_at(err, at[1], "applicant: 必須のキー 'assessment_date' がありません\n"); /* the key, not 申請者 */
  th_assert_at(err, at[2], "不明な事実 'retention.dayz' です（'retention.days' のことですか？）\n");
  th_assert_at(err, at[3], "事実 'board.established' は真偽値です: true または false でなければなりません（'yes' が書かれています）\n");
  th_assert_at(err, at[4], "文書のパス '../outside.txt' を拒否しました: '..' は使えません: パスは証跡フォルダの中を指さなければなりません\n");
  free(err);
  cr_assert_eq(check_in("en", ev, &err), 3, "%s", err);
  th_assert_at(err, at[0], "applicant kind must be a scalar, not a list\n");
  th_assert_at(err, at[1], "applicant: missing required key 'assessment_date'\n");
  th_assert_at(err, at[2], "unknown fact 'retention.dayz' (did you mean 'retention.days'?)\n");
  th_assert_at(err, at[3], "fact 'board.established' is boolean: expected true or false, not 'yes'\n");
  th_assert_at(err, at[4], "document path '../outside.txt' refused: '..' is not allowed: the path must stay inside the evidence "
                     "folder\n");
  cr_assert_null(strstr(err, "エラー"), "no Japanese in the English messages: %s", err);
  free(err);
  for (int i = 0; i < 5; i++) free(at[i]);
  free(ev);
}

Test(i18n_diag, unreadable_inputs_name_the_reason_in_the_message_language) {
  /* evidence.yaml that is a folder: an I/O error (exit 2) with sh_fio_strerror's own text */
  char *dir = th_tmpdir();
  char *ev = sh_path_join(dir, "ev"), *yaml = sh_path_join(ev, "evidence.yaml");
  cr_assert_eq(mkdir(ev, 0755), 0);
  cr_assert_eq(mkdir(yaml, 0755), 0);
  char *err = NULL;
  cr_assert_eq(check_in("ja", ev, &err), 2, "%s", err);
  th_assert_at(err, yaml, "読み込めません: ファイルではなくフォルダです\n");
  free(err);
  cr_assert_eq(check_in("en", ev, &err), 2, "%s", err);
  th_assert_at(err, yaml, "cannot read: it is a folder, not a file\n");
  free(err);
  /* init cannot create the package folder (a file on its path): an I/O error with the system's reason */
  char *file = th_write(dir, "file", "x\n"), *pkg = sh_path_join(file, "pkg");
  const char *args[] = {"init", "--framework", "phr-2023", pkg, NULL};
  cr_assert_eq(th_run_in("ja", NULL, &err, args), 2, "%s", err);
  th_assert_at(err, pkg, "フォルダを作成できません: フォルダではありません\n"); /* ENOTDIR through the catalog */
  free(err);
  cr_assert_eq(th_run_in("en", NULL, &err, args), 2, "%s", err);
  th_assert_at(err, pkg, "cannot create the folder: Not a directory\n");
  free(err);
  free(pkg), free(file), free(yaml), free(ev), free(dir);
}

Test(i18n_diag, spreadsheet_errors_at_their_cell_or_row) {
  char *dir = th_tmpdir();
  char *dst = sh_path_join(dir, "never.yaml"), *err = NULL;
  /* a workbook whose sheets have no checksheet header: the hint names the columns looked for, at SHEET!A1 */
  char *map = th_data("sheets/mapping-fixture.xlsx");
  char *where = sh_printf("%s:対応表!A1", map);
  const char *args_map[] = {"import", "checksheet", "--id", "x", "-o", dst, map, NULL};
  cr_assert_eq(th_run_in("ja", NULL, &err, args_map), 3, "%s", err);
  th_assert_at(err, where, "どのシートの先頭 30 行にも認識できる見出し行がありません: 項番の列（項番、No.、番号）と本文の列（確認事項、"
                     "チェック項目、内容、要求事項）が必要です（または --columns を指定してください。例: --columns "
                     "id=A,section=B,text=C）\n");
  free(err);
  cr_assert_eq(th_run_in("en", NULL, &err, args_map), 3, "%s", err);
  th_assert_at(err, where, "no recognisable header row in the first 30 rows of any sheet: need an id column (項番, No., 番号) "
                     "and a text column (確認事項, チェック項目, 内容, 要求事項) (or give --columns, e.g. --columns "
                     "id=A,section=B,text=C)\n");
  free(err);
  /* broken XML in a worksheet: at the cell being read; libxml2's own text follows as it writes it */
  char *bad = th_data("sheets/bad-xml.xlsx");
  char *where_bad = sh_printf("%s:チェックシート!C17", bad);
  const char *args_bad[] = {"import", "checksheet", "--id", "x", "-o", dst, bad, NULL};
  cr_assert_eq(th_run_in("ja", NULL, &err, args_bad), 3, "%s", err);
  th_assert_at(err, where_bad, "xl/worksheets/sheet2.xml の 2 行目の XML が壊れています: ");
  free(err);
  cr_assert_eq(th_run_in("en", NULL, &err, args_bad), 3, "%s", err);
  th_assert_at(err, where_bad, "broken XML in xl/worksheets/sheet2.xml line 2: ");
  free(err);
  /* a duplicate id in a CSV checksheet: at its row */
  char *csv = th_write(dir, "dup.csv", "項番,確認事項\n1-1,a\n１－１,b\n");
  char *where_csv = sh_printf("%s:3", csv);
  const char *args_csv[] = {"import", "checksheet", "--id", "x", "-o", dst, csv, NULL};
  cr_assert_eq(th_run_in("ja", NULL, &err, args_csv), 3, "%s", err);
  th_assert_at(err, where_csv, "項番 '１－１' が重複しています（最初は ");
  free(err);
  cr_assert_eq(th_run_in("en", NULL, &err, args_csv), 3, "%s", err);
  th_assert_at(err, where_csv, "duplicate id '１－１' (first at ");
  free(err);
  cr_assert_neq(access(dst, F_OK), 0, "nothing is written");
  free(where_csv), free(csv), free(where_bad), free(bad), free(where), free(map), free(dst), free(dir);
}

Test(i18n_diag, store_errors_in_the_message_language) {
  char *dir = th_tmpdir();
  char *err = NULL;
  /* a file that is not a store: left untouched, an I/O error */
  char *notdb = th_write(dir, "notes.txt", "not a database\n");
  const char *args_not[] = {"history", "--db", notdb, NULL};
  cr_assert_eq(th_run_in("ja", NULL, &err, args_not), 2, "%s", err);
  th_assert_at(err, notdb, "shinsa のストアではありません: このファイルは SQLite データベースではありません（変更していません）\n");
  free(err);
  cr_assert_eq(th_run_in("en", NULL, &err, args_not), 2, "%s", err);
  th_assert_at(err, notdb, "not a shinsa store: the file is not a SQLite database (left untouched)\n");
  free(err);

  /* a store with run 1: no run 99 */
  char *db = sh_path_join(dir, "store.db"), *datadir = th_data("datadir"), *ev = th_data("evidence/basic");
  const char *args_check[] = {"check", "--data-dir", datadir, "--db", db, ev, NULL};
  setenv("SHINSA_NOW", "2026-10-01T00:00:00Z", 1);
  cr_assert_eq(th_run(NULL, NULL, args_check), 1);
  const char *args_report[] = {"report", "99", "--db", db, NULL};
  cr_assert_eq(th_run_in("ja", NULL, &err, args_report), 2, "%s", err);
  th_assert_at(err, db, "このデータベースに実行 99 はありません（'shinsa history' を参照してください）\n");
  free(err);
  cr_assert_eq(th_run_in("en", NULL, &err, args_report), 2, "%s", err);
  th_assert_at(err, db, "no run 99 in this database (see 'shinsa history')\n");
  free(err);

  /* a damaged column: the reason (what it holds) and the phrase (while ...) come from the catalog too */
  th_store_exec(db, "UPDATE runs SET applicant_name = x'00'");
  const char *args_hist[] = {"history", "--db", db, NULL};
  cr_assert_eq(th_run_in("ja", NULL, &err, args_hist), 2, "%s", err);
  th_assert_at(err, db, "ストアが損傷しています: runs.applicant_name に shinsa が書き込むことのない値（BLOB）が入っています"
                  "（実行一覧の取得中）。'shinsa log verify' を参照してください\n");
  free(err);
  cr_assert_eq(th_run_in("en", NULL, &err, args_hist), 2, "%s", err);
  th_assert_at(err, db, "damaged store: runs.applicant_name holds a BLOB, which shinsa never writes there (while listing "
                  "runs); see 'shinsa log verify'\n");
  free(err);

  /* a newer schema than this shinsa knows */
  th_store_exec(db, "PRAGMA user_version = 99");
  cr_assert_eq(th_run_in("ja", NULL, &err, args_hist), 2, "%s", err);
  th_assert_at(err, db, "データベースのスキーマバージョン 99 は、この shinsa が対応するバージョン（");
  cr_assert(strstr(err, "）より新しいものです。新しい shinsa を使用してください\n"), "%s", err);
  free(err);
  cr_assert_eq(th_run_in("en", NULL, &err, args_hist), 2, "%s", err);
  th_assert_at(err, db, "database schema version 99 is newer than this shinsa supports (");
  cr_assert(strstr(err, "): use a newer shinsa\n"), "%s", err);
  free(err);
  free(ev), free(datadir), free(db), free(notdb), free(dir);
}

Test(i18n_diag, framework_errors_name_the_entry_by_its_description) {
  char *dir = th_tmpdir();
  char *fw = th_write(dir, "fw.yaml",
                      "framework:\n  id: t-fw\n  kind: checklist\n  title: T\n  version: \"1\"\nitems:\n  - id: a\n"
                      "    text: 本文\n    strength: maybe\n    manual: true\n    evidence_needed: [x]\n");
  char *datadir = th_data("datadir");
  char *at_item = sh_printf("%s:7:5", fw), *at_strength = sh_printf("%s:9:15", fw), *err = NULL;
  const char *args[] = {"lint", "--data-dir", datadir, fw, NULL};
  cr_assert_eq(th_run_in("ja", NULL, &err, args), 3, "%s", err);
  th_assert_at(err, at_item, "項目: 必須のキー 'source' がありません\n");
  th_assert_at(err, at_strength, "strength は must、should、effort のいずれかでなければなりません（'maybe' が書かれています）\n");
  cr_assert(strstr(err, "shinsa: 注記: エラー 2 件\n"), "%s", err);
  free(err);
  cr_assert_eq(th_run_in("en", NULL, &err, args), 3, "%s", err);
  th_assert_at(err, at_item, "an item: missing required key 'source'\n");
  th_assert_at(err, at_strength, "strength must be must, should or effort, not 'maybe'\n");
  cr_assert(strstr(err, "shinsa: note: 2 errors\n"), "%s", err);
  free(err);
  free(at_strength), free(at_item), free(datadir), free(fw), free(dir);
}
