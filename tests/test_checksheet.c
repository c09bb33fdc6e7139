/* Tests of the filled checksheet (check --format xlsx): the workbook is opened with libzip and its XML
 * read back: page setup (A4 landscape, one page wide, header row repeated), the cover on one page, wrapped
 * cells with row heights, the applicant's columns marked and unlocked on a protected sheet, the status list,
 * the hidden FRAMEWORK:ITEM key, strength in Japanese, the answers and the font. */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <pty.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zip.h>

#include "helpers.h"

static char *tmp;
static zip_t *zf;

static void setup(void) { tmp = th_tmpdir(); }
static void teardown(void) {
  if (zf) zip_discard(zf);
  zf = NULL;
  free(tmp);
}

TestSuite(checksheet, .init = setup, .fini = teardown);

/* Writes the checksheet of the phr-operator example and opens it. */
static void open_checksheet(const char *lang, const char *view) {
  char *pkg = th_src("examples/phr-operator");
  char *out = sh_path_join(tmp, "cs.xlsx");
  const char *args[] = {"check", "--format", "xlsx", "--lang", lang, "--view", view, "--out", out, pkg, NULL};
  char *o = NULL, *e = NULL;
  int rc = th_run(&o, &e, args);
  cr_assert_eq(rc, 1, "exit %d: %s", rc, e);
  int err = 0;
  zf = zip_open(out, ZIP_RDONLY, &err);
  cr_assert_not_null(zf, "not a zip file (%d)", err);
  free(o);
  free(e);
  free(out);
  free(pkg);
}

static char *part(const char *name) {
  zip_stat_t st;
  cr_assert_eq(zip_stat(zf, name, 0, &st), 0, "no %s in the workbook", name);
  zip_file_t *f = zip_fopen(zf, name, 0);
  cr_assert_not_null(f);
  char *buf = malloc(st.size + 1);
  cr_assert_eq(zip_fread(f, buf, st.size), (zip_int64_t)st.size);
  buf[st.size] = 0;
  zip_fclose(f);
  return buf;
}

Test(checksheet, page_setup_print_titles_and_cover) {
  open_checksheet("ja", "auditor");
  char *wbx = part("xl/workbook.xml");
  cr_assert(strstr(wbx, "<sheet name=\"表紙\""), "%s", wbx);
  cr_assert(strstr(wbx, "<sheet name=\"phr-2023\""));
  cr_assert(strstr(wbx, "<sheet name=\"sensitivity-levels\""));
  /* Header row repeated on every printed page; the printed area ends at the reviewer column (J). */
  cr_assert(strstr(wbx, "name=\"_xlnm.Print_Titles\" localSheetId=\"1\">'phr-2023'!$1:$1<"), "%s", wbx);
  cr_assert(strstr(wbx, "name=\"_xlnm.Print_Area\" localSheetId=\"1\">'phr-2023'!$A$1:$J$8<"), "%s", wbx);
  free(wbx);
  char *s = part("xl/worksheets/sheet2.xml");
  cr_assert(strstr(s, "<pageSetUpPr fitToPage=\"1\"/>"), "fit to page");
  cr_assert(strstr(s, "<pageSetup paperSize=\"9\" fitToHeight=\"0\" orientation=\"landscape\""), "A4 landscape, one page wide");
  /* Protected without a password; columns and rows may still be resized, rows sorted and filtered. */
  cr_assert(strstr(s, "<sheetProtection sheet=\"1\" objects=\"1\" scenarios=\"1\" formatColumns=\"0\" formatRows=\"0\" "
                      "sort=\"0\" autoFilter=\"0\"/>"), "protected");
  cr_assert(strstr(s, "<dataValidation type=\"list\""), "status list");
  cr_assert(strstr(s, "<formula1>\"実施済み,一部実施,実施予定,該当なし\"</formula1>"), "%s", s);
  cr_assert(strstr(s, "<col min=\"12\" max=\"12\" width=\"20.7109375\" hidden=\"1\""), "hidden key column");
  /* Row heights: every item row has one set (3.3/3-1 is row 5: its question needs three lines). */
  const char *r5 = strstr(s, "<row r=\"5\"");
  cr_assert_not_null(r5);
  const char *ht = strstr(r5, "ht=\"");
  cr_assert(ht && atof(ht + 4) >= 3 * 13.0, "row 5 too low");
  cr_assert(strstr(r5, "customHeight=\"1\""));
  free(s);
  /* The cover prints on one page. */
  char *c = part("xl/worksheets/sheet1.xml");
  cr_assert(strstr(c, "<pageSetUpPr fitToPage=\"1\"/>"));
  cr_assert(strstr(c, "orientation=\"landscape\""));
  cr_assert_null(strstr(c, "fitToHeight=\"0\""));
  free(c);
}

Test(checksheet, applicant_columns_unlocked_wrapped_and_filled) {
  open_checksheet("ja", "auditor");
  char *st = part("xl/styles.xml");
  cr_assert(strstr(st, "<name val=\"Noto Sans CJK JP\"/>"), "a font with Japanese glyphs");
  cr_assert(strstr(st, "wrapText=\"1\""));
  cr_assert(strstr(st, "<protection locked=\"0\"/>"), "applicant cells unlocked");
  free(st);
  char *ss = part("xl/sharedStrings.xml");
  cr_assert(strstr(ss, "<t>回答【申請者記入】</t>"));
  cr_assert(strstr(ss, "<t>対応状況【申請者記入】</t>"));
  cr_assert(strstr(ss, "<t>必須</t>"));
  cr_assert_null(strstr(ss, "<t>must</t>"), "strength translated in the Japanese checksheet");
  cr_assert(strstr(ss, "<t>実施予定</t>"));
  cr_assert(strstr(ss, "<t>2028-03-31</t>"));
  cr_assert(strstr(ss, "一定期間利用がない利用者のデータの消去は、2027年度の規程見直しで定める予定。"));
  cr_assert(strstr(ss, "docs/data-retention-rules.txt 第5条 sha256:a1e1d64544d9092fdfd199b7414ca703a700fd548c29b2ea1f06608372114a70"));
  cr_assert(strstr(ss, "<t>phr-2023:x-3.3-withdrawal</t>"));
  cr_assert(strstr(ss, "<t>未充足の必須項目</t>"));
  free(ss);
}

Test(checksheet, english_applicant_view) {
  open_checksheet("en", "applicant");
  char *ss = part("xl/sharedStrings.xml");
  cr_assert(strstr(ss, "<t>Answer [applicant]</t>"));
  cr_assert(strstr(ss, "<t>To satisfy</t>"));
  cr_assert(strstr(ss, "<t>must</t>"));
  cr_assert(strstr(ss, "<t>planned</t>"));
  free(ss);
  char *s = part("xl/worksheets/sheet2.xml");
  cr_assert(strstr(s, "<formula1>\"implemented,partly implemented,planned,does not apply\"</formula1>"));
  free(s);
}

/* A binary format is never written to a terminal: stdout is a pseudo-terminal here. */
Test(checksheet, refuses_to_write_xlsx_to_a_terminal) {
  int master, slave;
  cr_assert_eq(openpty(&master, &slave, NULL, NULL, NULL), 0);
  char *pkg = th_src("examples/phr-operator");
  int errp[2];
  cr_assert_eq(pipe(errp), 0);
  pid_t pid = fork();
  cr_assert_neq(pid, -1);
  if (pid == 0) {
    dup2(slave, STDOUT_FILENO);
    dup2(errp[1], STDERR_FILENO);
    close(master);
    close(errp[0]);
    unsetenv("SHINSA_DATA_DIR");
    execl(getenv("SHINSA_EXE"), "shinsa", "check", "--format", "xlsx", pkg, (char *)NULL);
    _exit(127);
  }
  close(slave);
  close(errp[1]);
  char err[4096];
  size_t n = 0;
  ssize_t k;
  while (n < sizeof err - 1 && (k = read(errp[0], err + n, sizeof err - 1 - n)) > 0) n += (size_t)k;
  err[n] = 0;
  int status = 0;
  waitpid(pid, &status, 0);
  /* Nothing reached the terminal. */
  int fl = fcntl(master, F_GETFL);
  fcntl(master, F_SETFL, fl | O_NONBLOCK);
  char junk[64];
  ssize_t got = read(master, junk, sizeof junk);
  close(master);
  close(errp[0]);
  free(pkg);
  cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 2, "exit %d: %s", WEXITSTATUS(status), err);
  cr_assert(strstr(err, "refusing to write a binary report to the terminal: give --out FILE"), "%s", err);
  cr_assert(got <= 0, "%zd bytes reached the terminal", got);
}

/* An applicant name and sheet title beyond what a page header holds (255 characters) are cut with "…" instead of
 * failing the whole workbook; "&" stays doubled (a literal ampersand, not a header code). */
Test(checksheet, a_long_applicant_name_is_cut_in_the_page_header) {
  char *src = th_src("examples/phr-operator");
  char *cmd = sh_printf("cp -r '%s' '%s/pkg'", src, tmp);
  cr_assert_eq(system(cmd), 0);
  char *ev = sh_printf("%s/pkg/evidence.yaml", tmp);
  char *text = NULL;
  size_t len = 0;
  cr_assert_eq(sh_read_file(ev, 1 << 20, &text, &len), 0);
  sh_buf name = {0};
  for (int i = 0; i < 70; i++) sh_buf_puts(&name, "株式会社&"); /* 70 × 13 bytes, 350 characters */
  char *from = strstr(text, "株式会社ミライヘルスノート（架空）");
  cr_assert(from);
  char *edited = sh_printf("%.*s\"%s\"%s", (int)(from - text), text, sh_buf_str(&name),
                           from + strlen("株式会社ミライヘルスノート（架空）"));
  cr_assert_eq(sh_write_file_atomic(ev, edited, strlen(edited)), 0);
  char *pkg = sh_path_join(tmp, "pkg"), *out = sh_path_join(tmp, "long.xlsx");
  const char *args[] = {"check", "--format", "xlsx", "--out", out, pkg, NULL};
  char *o = NULL, *e = NULL;
  int rc = th_run(&o, &e, args);
  cr_assert_eq(rc, 1, "exit %d: %s", rc, e);
  int err = 0;
  zf = zip_open(out, ZIP_RDONLY, &err);
  cr_assert_not_null(zf);
  char *s = part("xl/worksheets/sheet2.xml");
  const char *h = strstr(s, "<oddHeader>");
  cr_assert(h, "%s", s);
  const char *end = strstr(h, "</oddHeader>");
  cr_assert(end && strstr(h, "…&amp;R") && strstr(h, "株式会社&amp;&amp;株式会社"), "%.*s", (int)(end - h), h);
  cr_assert_lt((size_t)(end - h), 12 + 255 * 5, "the header stays within its limit");
  free(s), free(o), free(e), free(out), free(pkg), free(edited), free(text), free(ev), free(cmd), free(src);
  sh_buf_free(&name);
}
