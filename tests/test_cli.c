/* Tests of the command line that do not fit a data-driven case (tests/cases/, run by test_cases.c):
 * the exit code computed from the diagnostics' classes, atomic --out with --db, the YAML size bound
 * (a 16 MiB input), and `shinsa cda` with 2,000 files on one command line. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers.h"
#include "yamldoc.h"

static char *tmp, *datadir, *basic;

static void setup(void) {
  tmp = th_tmpdir();
  datadir = th_data("datadir");
  basic = th_data("evidence/basic");
}
static void teardown(void) {
  free(tmp);
  free(datadir);
  free(basic);
}

TestSuite(cli, .init = setup, .fini = teardown);

#define RUN(out, err, ...) th_run((out), (err), (const char *const[]){__VA_ARGS__, NULL})

static void assert_has(const char *s, const char *needle) { cr_assert(strstr(s, needle), "output:\n%s\nlacks: %s", s, needle); }

Test(cli, out_file_is_written_whole_and_db_records) {
  char *outp = sh_path_join(tmp, "report.html");
  char *dbp = sh_path_join(tmp, "runs.db");
  char *out, *err;
  cr_assert_eq(RUN(&out, &err, "check", "--data-dir", datadir, "--format", "html", "--out", outp, "--db", dbp, basic), 1);
  cr_assert_str_eq(out, "");
  free(out), free(err);
  char *html;
  size_t len;
  cr_assert_eq(sh_read_file(outp, 1 << 20, &html, &len), 0);
  assert_has(html, "<!DOCTYPE html>");
  assert_has(html, "</html>");
  assert_has(html, "テスト株式会社");
  free(html);
  cr_assert_eq(RUN(&out, &err, "history", "--db", dbp), 0);
  assert_has(out, "test-fw@1");
  assert_has(out, "テスト株式会社");
  free(out), free(err);
  /* An unwritable --out leaves nothing behind and exits 2. */
  cr_assert_eq(RUN(&out, &err, "check", "--data-dir", datadir, "--out", "/nonexistent/dir/r.txt", basic), 2);
  assert_has(err, "/nonexistent/dir/r.txt: cannot write the report");
  free(out), free(err);
  free(outp);
  free(dbp);
}

/* Several outputs per run: each file in the format of its extension, --format for standard output, and all or
 * nothing: when one file cannot be written, none of the others is left. */
Test(cli, several_outputs_all_or_nothing) {
  char *html = sh_path_join(tmp, "r.html"), *json = sh_path_join(tmp, "r.json"), *xlsx = sh_path_join(tmp, "s.xlsx");
  char *out, *err, *data;
  size_t len;
  cr_assert_eq(RUN(&out, &err, "check", "--data-dir", datadir, "--out", html, "-o", json, "--out", xlsx, "--format",
                   "md", basic), 1, "%s", err);
  assert_has(out, "# 審査結果報告書"); /* --format md went to standard output */
  free(out), free(err);
  cr_assert_eq(sh_read_file(html, 1 << 20, &data, &len), 0);
  assert_has(data, "<!DOCTYPE html>");
  free(data);
  cr_assert_eq(sh_read_file(json, 1 << 20, &data, &len), 0);
  assert_has(data, "\"schema\": \"shinsa-check/1\"");
  free(data);
  cr_assert_eq(sh_read_file(xlsx, 1 << 22, &data, &len), 0);
  cr_assert(len > 4 && memcmp(data, "PK", 2) == 0, "an XLSX (ZIP) file");
  free(data);
  /* Without --format, nothing goes to standard output. */
  cr_assert_eq(RUN(&out, &err, "check", "--data-dir", datadir, "-o", html, "-o", json, basic), 1, "%s", err);
  cr_assert_str_eq(out, "");
  free(out), free(err);
  /* One unwritable output: the others are not written (new names stay absent, old files keep their content). */
  char *fresh = sh_path_join(tmp, "fresh.md");
  cr_assert_eq(sh_write_file_atomic(json, "old", 3), 0);
  cr_assert_eq(RUN(&out, &err, "check", "--data-dir", datadir, "-o", fresh, "-o", json, "-o", "/nonexistent/dir/r.csv",
                   basic), 2);
  assert_has(err, "/nonexistent/dir/r.csv: cannot write the report");
  free(out), free(err);
  cr_assert_neq(access(fresh, F_OK), 0, "fresh.md must not be left");
  cr_assert_eq(sh_read_file(json, 1 << 20, &data, &len), 0);
  cr_assert_str_eq(data, "old");
  free(data);
  /* A view without the format: nothing is written either. */
  cr_assert_eq(RUN(&out, &err, "check", "--data-dir", datadir, "--view", "ethics", "-o", fresh, "-o", "x.oscal.json",
                   "-o", "bad.txt.zip", basic), 2);
  assert_has(err, "bad.txt.zip: the file name does not say the format");
  free(out), free(err);
  cr_assert_neq(access(fresh, F_OK), 0);
  /* No leftover temporaries in the folder. */
  char *ls = sh_printf("test $(ls -A '%s' | grep -c '^\\.') = 0", tmp);
  cr_expect_eq(system(ls), 0, "temporary files left in %s", tmp);
  free(ls);
  free(fresh), free(html), free(json), free(xlsx);
}

/* Colour: the text report's headings in colour on a terminal (SHINSA_COLOR=always stands for one), never with
 * NO_COLOR, never in a file; evidence text never carries an escape sequence through. */
Test(cli, colour_only_on_a_terminal_and_never_with_no_color) {
  char *out, *err;
  setenv("SHINSA_COLOR", "always", 1);
  cr_assert_eq(RUN(&out, &err, "check", "--data-dir", datadir, basic), 1);
  cr_assert(strstr(out, "\033[1;31m"), "%s", out);
  free(out), free(err);
  setenv("NO_COLOR", "1", 1);
  cr_assert_eq(RUN(&out, &err, "check", "--data-dir", datadir, basic), 1);
  cr_assert_null(strchr(out, '\033'), "%s", out);
  free(out), free(err);
  unsetenv("NO_COLOR");
  char *f = sh_path_join(tmp, "r.txt"), *data;
  size_t len;
  cr_assert_eq(RUN(&out, &err, "check", "--data-dir", datadir, "-o", f, basic), 1);
  cr_assert_eq(sh_read_file(f, 1 << 20, &data, &len), 0);
  cr_assert_null(strchr(data, '\033'), "%s", data);
  free(data), free(f), free(out), free(err);
  unsetenv("SHINSA_COLOR");
}

/* Writes len bytes to dir/evidence.yaml. */
static void write_bytes(const char *dir, const char *data, size_t len) {
  free(th_write(dir, "evidence.yaml", ""));
  char *p = sh_path_join(dir, "evidence.yaml");
  FILE *f = fopen(p, "wb");
  cr_assert(f);
  cr_assert_eq(fwrite(data, 1, len, f), len);
  fclose(f);
  free(p);
}

Test(cli, yaml_size_bound_exit_3_with_location) {
  char *out, *err;
  int rc;
  char *dir = sh_path_join(tmp, "bytes");
  /* Over the 16 MiB bound: exit 3, the bound named, the first byte past it located. */
  size_t n = SH_YAML_MAX_BYTES + 10;
  char *big = malloc(n);
  memset(big, '#', n);
  for (size_t i = 1023; i < n; i += 1024) big[i] = '\n';
  write_bytes(dir, big, n);
  free(big);
  rc = RUN(&out, &err, "check", "--data-dir", datadir, dir);
  cr_assert_eq(rc, 3, "rc %d: %s", rc, err);
  assert_has(err, "evidence.yaml:16385:1: YAML file larger than 16777216 bytes (bound SH_YAML_MAX_BYTES");
  free(out), free(err);
  free(dir);
}

/* The exit code is decided in one place from the classes of the errors (diag.h). */
Test(cli, exit_code_from_diagnostic_class) {
  sh_diags d = {0};
  cr_assert_eq(sh_diags_exit_code(&d), SH_EXIT_OK);
  sh_diag_add(&d, SH_SEV_WARNING, "f", 1, 1, "a warning never changes the exit code");
  cr_assert_eq(sh_diags_exit_code(&d), SH_EXIT_OK);
  sh_diags_findings(&d, 2);
  cr_assert_eq(sh_diags_exit_code(&d), SH_EXIT_FINDINGS);
  sh_diags_free(&d);
  sh_error_finding(&d, "f", 3, 0, "schema error in a checked document");
  cr_assert_eq(sh_diags_exit_code(&d), SH_EXIT_FINDINGS);
  sh_error(&d, "f", 1, 2, "sh_error is a data error");
  cr_assert_eq(d.v[d.n - 1].cls, SH_DIAG_DATA);
  cr_assert_eq(sh_diags_exit_code(&d), SH_EXIT_INVALID, "data wins over findings");
  sh_error_io(&d, "f", 0, 0, "cannot read");
  cr_assert_eq(sh_diags_exit_code(&d), SH_EXIT_USAGE, "I/O wins over data");
  sh_diags_free(&d);
  sh_error_data(&d, "f", 1, 1, "bad");
  sh_error_usage(&d, "unknown option");
  cr_assert_eq(d.v[1].cls, SH_DIAG_USAGE);
  cr_assert_eq(sh_diags_exit_code(&d), SH_EXIT_USAGE, "usage wins over data");
  /* moving diagnostics keeps their class and the findings count */
  sh_diags e = {0};
  sh_diags_findings(&e, 1);
  sh_diags_move(&e, &d);
  cr_assert_eq(e.nfindings, 1);
  cr_assert_eq(sh_diags_exit_code(&e), SH_EXIT_USAGE);
  sh_diags_free(&e);
}

/* `shinsa cda` validates 2,000 files given on one command line, in one process. */
Test(cli, cda_two_thousand_files_on_one_command_line) {
  enum { N = 2000 };
  char *valid = th_data("cda/checkup-valid.xml"), *text;
  size_t len;
  cr_assert_eq(sh_read_file(valid, 1 << 20, &text, &len), 0);
  char *dir = sh_path_join(tmp, "cda2000");
  const char **args = calloc(N + 4, sizeof *args);
  char *xsd = th_shared("data/mhlw-checkup-cda/hc08_V08.xsd");
  args[0] = "cda";
  args[1] = "--schema";
  args[2] = xsd ? xsd : "/nonexistent/schema.xsd";
  for (int i = 0; i < N; i++) {
    char name[32];
    snprintf(name, sizeof name, "c%04d.xml", i);
    args[3 + i] = th_write(dir, name, text);
  }
  char *out, *err;
  int rc = th_run(&out, &err, args);
  cr_assert_null(strstr(err, "too many arguments"), "%s", err);
  if (!xsd) {
    fprintf(stderr, "cli::cda_two_thousand_files: %s/data/mhlw-checkup-cda absent: only the argument count is "
                    "checked (exit 2 for the missing schema)\n", getenv("SHINSA_SHARED"));
    cr_assert_eq(rc, SH_EXIT_USAGE, "%s", err);
    cr_assert(strstr(err, "cannot read schema"), "%s", err);
  } else {
    cr_assert_eq(rc, SH_EXIT_OK, "%s", err);
    size_t nvalid = 0;
    for (const char *p = out; (p = strstr(p, ": valid; ")); p++) nvalid++;
    cr_assert_eq(nvalid, N, "%zu documents reported valid", nvalid);
    char *last = sh_path_join(dir, "c1999.xml: valid; ");
    cr_assert(strstr(out, last));
    free(last);
  }
  free(out), free(err);
  for (int i = 0; i < N; i++) free((char *)args[3 + i]);
  free(args), free(xsd), free(dir), free(text), free(valid);
}

/* shinsa cda -: the files to check are read from standard input, one per line; folders are walked recursively;
 * the totals close the output and the exit status is the worst file's. */
Test(cli, cda_batch_list_on_stdin_and_folders) {
  char *xsd = th_shared("data/mhlw-checkup-cda/hc08_V08.xsd");
  if (!xsd || access(xsd, R_OK) != 0) {
    free(xsd);
    cr_skip_test("the shared MHLW schema is absent");
  }
  char *valid = th_data("cda/checkup-valid.xml"), *outside = th_data("cda/checkup-outside.xml");
  /* a folder tree: two valid documents at different depths, and a file that is not .xml (ignored) */
  char *tree = sh_path_join(tmp, "exports");
  size_t len;
  char *text = NULL;
  cr_assert_eq(sh_read_file(valid, 1 << 20, &text, &len), 0);
  free(th_write(tree, "2026/04/a.xml", text));
  free(th_write(tree, "b.XML", text));
  free(th_write(tree, "notes.txt", "not a document"));
  free(text);
  char *list = sh_printf("%s\n\n%s\n", valid, outside);
  char *listf = th_write(tmp, "list.txt", list);
  char *script = sh_printf("exec \"$0\" \"$@\" < '%s'", listf);
  const char *prefix[] = {"/bin/sh", "-c", script, NULL};
  const char *args[] = {"cda", "--schema", xsd, "-", tree, NULL};
  char *out = NULL, *err = NULL;
  int rc = th_run_with(prefix, &out, &err, args);
  cr_assert_eq(rc, 0, "exit %d: %s", rc, err);
  assert_has(out, "checkup-outside.xml: valid");
  assert_has(out, "exports/2026/04/a.xml: valid");
  assert_has(out, "exports/b.XML: valid");
  cr_assert_null(strstr(out, "notes.txt"), "%s", out);
  assert_has(out, "total: 4 files: 4 valid, 0 invalid against the schema, 0 refused or malformed;");
  cr_assert_null(strstr(err, "shinsa cda: "), "progress must not be shown when stderr is not a terminal: %s", err);
  free(out), free(err);
  /* A malformed file among valid ones: the worst result decides (3). */
  char *bad = th_data("cda/not-well-formed.xml");
  const char *args2[] = {"cda", "--schema", xsd, valid, bad, NULL};
  cr_assert_eq(th_run(&out, &err, args2), 3, "%s", err);
  assert_has(out, "total: 2 files: 1 valid, 0 invalid against the schema, 1 refused or malformed;");
  free(out), free(err);
  /* A folder with no .xml file: a usage error. */
  char *empty = sh_path_join(tmp, "empty");
  mkdir(empty, 0755);
  const char *args3[] = {"cda", "--schema", xsd, empty, NULL};
  cr_assert_eq(th_run(&out, &err, args3), 2, "%s", err);
  assert_has(err, "no file to check");
  free(out), free(err);
  free(empty), free(bad), free(script), free(listf), free(list), free(tree), free(valid), free(outside), free(xsd);
}
