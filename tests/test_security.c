/* Regression tests of the security review (issue 18): every input kind given a FIFO (each test under an alarm, so
 * a regression fails instead of hanging), evidence.yaml as a symbolic link leaving the package (nothing of the
 * target printed), the containment walk of fileio.c, and the output routine against planted links, device nodes,
 * FIFOs and folders. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <utmp.h>

#include <sqlite3.h>

#include "auditlog.h"
#include "cda.h"
#include "diff.h"
#include "fileio.h"
#include "helpers.h"
#include "probe.h"
#include "report_cells.h"
#include "review.h"
#include "sheet.h"
#include "store.h"

static char *tmp, *datadir;
static sh_diags d;

static void setup(void) {
  tmp = th_tmpdir();
  datadir = th_data("datadir");
  memset(&d, 0, sizeof d);
  alarm(20); /* a blocking open or read kills this test (reported as a crash) instead of hanging the suite */
}
static void teardown(void) {
  alarm(0);
  sh_diags_free(&d);
  free(datadir);
  free(tmp);
}

TestSuite(security, .init = setup, .fini = teardown);

#define RUN(out, err, ...) th_run((out), (err), (const char *const[]){__VA_ARGS__, NULL})

static char *diags(void) { return th_diags_str(&d); }

static void assert_has(const char *s, const char *needle) {
  cr_assert(strstr(s, needle), "output:\n%s\nlacks: %s", s, needle);
}

/* Makes a FIFO at dir/name (creating folders through th_write). Returns its path; caller frees. */
static char *fifo(const char *dir, const char *name) {
  char *p = th_write(dir, name, "");
  cr_assert_eq(unlink(p), 0);
  cr_assert_eq(mkfifo(p, 0644), 0, "mkfifo %s: %s", p, strerror(errno));
  return p;
}

static const char *EVIDENCE =
    "applicant:\n  name: テスト\n  kind: phr_operator\n  assessment_date: 2026-10-01\n"
    "frameworks: [test-fw]\n"
    "facts:\n  sec.certs: [isms]\n";

/* ---------- FIFOs: every input kind is refused, never waited on ---------- */

Test(security, fifo_open_input_refused) {
  char *p = fifo(tmp, "pipe");
  errno = 0;
  cr_expect_eq(sh_open_input(p, 0), -1);
  cr_expect_eq(errno, EINVAL);
  char *text = NULL;
  size_t len;
  cr_expect_eq(sh_read_file(p, 1024, &text, &len), -1);
  char hx[65];
  cr_expect_eq(sh_sha256_file(p, 1024, hx), -1);
  cr_expect_eq(errno, EINVAL);
  free(p);
}

Test(security, fifo_evidence_yaml_refused) {
  free(fifo(tmp, "pkg/evidence.yaml"));
  sh_registry *reg = th_test_registry();
  char *dir = sh_path_join(tmp, "pkg");
  cr_expect_null(sh_evidence_load(reg->vocab, dir, &d));
  char *s = diags();
  assert_has(s, "evidence.yaml: cannot read: not a regular file");
  free(s);
  char *out, *err;
  cr_expect_eq(RUN(&out, &err, "check", "--data-dir", datadir, dir), SH_EXIT_USAGE);
  assert_has(err, "not a regular file");
  free(out), free(err);
  free(dir);
  sh_registry_free(reg);
}

Test(security, fifo_document_unreadable) {
  free(fifo(tmp, "pkg/docs/cert.pdf"));
  sh_buf b = {0};
  sh_buf_printf(&b, "%sdocuments:\n  - path: docs/cert.pdf\n    sha256: %064d\n    title: cert\n", EVIDENCE, 0);
  free(th_write(tmp, "pkg/evidence.yaml", sh_buf_str(&b)));
  sh_buf_free(&b);
  sh_registry *reg = th_test_registry();
  char *dir = sh_path_join(tmp, "pkg");
  sh_evidence *ev = sh_evidence_load(reg->vocab, dir, &d);
  cr_assert_not_null(ev);
  cr_expect_eq(((sh_document *)ev->documents.v[0])->status, SH_DOC_UNREADABLE);
  char *s = diags();
  assert_has(s, "cannot be hashed: not a regular file");
  free(s);
  sh_evidence_free(ev);
  free(dir);
  sh_registry_free(reg);
}

static const char *XSD = "<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\">"
                         "<xs:element name=\"a\" type=\"xs:string\"/></xs:schema>\n";

Test(security, fifo_cda_file_on_command_line) {
  char *xsd = th_write(tmp, "s.xsd", XSD);
  char *p = fifo(tmp, "sample.xml");
  char *out, *err;
  int rc = RUN(&out, &err, "cda", p, "--schema", xsd);
  cr_expect(rc != 0 && rc < 128, "exit %d (128+ = killed by the alarm: it hung)", rc);
  assert_has(err, "not a regular file");
  free(out), free(err);
  /* and the schema itself */
  char *ok = th_write(tmp, "ok.xml", "<a>x</a>\n");
  char *pxsd = fifo(tmp, "p.xsd");
  rc = RUN(&out, &err, "cda", ok, "--schema", pxsd);
  cr_expect(rc != 0 && rc < 128, "exit %d", rc);
  assert_has(err, "not a regular file");
  free(out), free(err);
  free(ok), free(pxsd), free(p), free(xsd);
}

Test(security, fifo_schema_include_refused) {
  char *inc = fifo(tmp, "inc.xsd");
  char *xsd = th_write(tmp, "main.xsd",
                       "<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\"><xs:include schemaLocation=\"inc.xsd\"/>"
                       "<xs:element name=\"a\" type=\"xs:string\"/></xs:schema>\n");
  sh_cda_schema *s = sh_cda_schema_load(xsd, &d);
  sh_cda_schema_free(s); /* loaded without the include or refused: either way it returned */
  free(inc), free(xsd);
}

Test(security, fifo_cda_in_package) {
  char *xsd = th_write(tmp, "s.xsd", XSD);
  free(fifo(tmp, "pkg/exports/sample.xml"));
  sh_buf b = {0};
  sh_buf_printf(&b,
                "applicant:\n  name: テスト\n  kind: phr_operator\n  assessment_date: 2026-10-01\n"
                "cda_exports:\n  schema: %s\n  files: [exports/sample.xml]\n",
                xsd);
  free(th_write(tmp, "pkg/evidence.yaml", sh_buf_str(&b)));
  sh_buf_free(&b);
  sh_registry *reg = th_bundled_registry();
  char *dir = sh_path_join(tmp, "pkg");
  sh_evidence *ev = sh_evidence_load(reg->vocab, dir, &d);
  cr_assert_not_null(ev, "%s", diags());
  sh_cda_apply(ev, &d);
  char *s = diags();
  assert_has(s, "not a regular file");
  free(s);
  sh_evidence_free(ev);
  sh_registry_free(reg);
  free(dir), free(xsd);
}

Test(security, fifo_probed_config_refused) {
  free(fifo(tmp, "root/etc/ssh/sshd_config"));
  char *root = sh_path_join(tmp, "root");
  sh_probe_result *r = sh_probe_run(root, &d);
  char *s = diags();
  assert_has(s, "is not a regular file");
  free(s);
  sh_probe_result_free(r);
  free(root);
}

Test(security, fifo_vocabulary_and_framework_refused) {
  char *p = fifo(tmp, "facts.yaml");
  const char *paths[] = {p};
  cr_expect_null(sh_vocab_load(paths, 1, &d));
  sh_registry *reg = th_test_registry();
  cr_expect_null(sh_framework_load(reg->vocab, p, &d));
  char *s = diags();
  assert_has(s, "not a regular file");
  free(s);
  sh_registry_free(reg);
  /* a FIFO among a data folder's checklists is skipped or refused, never waited on */
  free(fifo(tmp, "data/checklists/pipe.yaml"));
  free(th_write(tmp, "data/checklists/README", "x"));
  char *dd = sh_path_join(tmp, "data");
  sh_registry_free(sh_registry_load(dd, &d));
  free(dd);
  free(p);
}

/* ---------- evidence.yaml as a link ---------- */

Test(security, evidence_yaml_link_leaving_package_prints_nothing_of_target) {
  char *secret = th_write(tmp, "shadow", "root:$6$SECRETHASH:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n");
  free(th_write(tmp, "pkg/keep", ""));
  char *link = sh_path_join(tmp, "pkg/evidence.yaml");
  cr_assert_eq(symlink(secret, link), 0);
  char *dir = sh_path_join(tmp, "pkg");
  char *out, *err;
  cr_expect_eq(RUN(&out, &err, "check", "--data-dir", datadir, dir), SH_EXIT_USAGE);
  cr_expect_null(strstr(err, "SECRETHASH"), "%s", err);
  cr_expect_null(strstr(err, "daemon"), "%s", err);
  assert_has(err, "refused: a symbolic link leads out of the folder");
  cr_expect_null(strstr(out, "SECRETHASH"));
  free(out), free(err);
  /* a relative link going up and out is refused the same way */
  unlink(link);
  cr_assert_eq(symlink("../shadow", link), 0);
  cr_expect_eq(RUN(&out, &err, "check", "--data-dir", datadir, dir), SH_EXIT_USAGE);
  cr_expect_null(strstr(err, "SECRETHASH"), "%s", err);
  free(out), free(err);
  free(link), free(dir), free(secret);
}

Test(security, evidence_yaml_link_inside_package_accepted) {
  free(th_write(tmp, "pkg/real/evidence.yaml", EVIDENCE));
  char *link = sh_path_join(tmp, "pkg/evidence.yaml");
  cr_assert_eq(symlink("real/evidence.yaml", link), 0);
  sh_registry *reg = th_test_registry();
  char *dir = sh_path_join(tmp, "pkg");
  sh_evidence *ev = sh_evidence_load(reg->vocab, dir, &d);
  cr_expect_not_null(ev, "%s", diags());
  sh_evidence_free(ev);
  sh_registry_free(reg);
  free(dir), free(link);
}

/* ---------- the containment walk ---------- */

Test(security, beneath_walk) {
  char *root = sh_path_join(tmp, "root");
  free(th_write(root, "a/b.txt", "b"));
  free(th_write(tmp, "outside.txt", "o"));
#define LINK(target, name)                                                                                           \
  do {                                                                                                               \
    char *p_ = sh_path_join(root, name);                                                                             \
    cr_assert_eq(symlink(target, p_), 0);                                                                            \
    free(p_);                                                                                                        \
  } while (0)
  LINK("../a/b.txt", "a/up"); /* up and back in */
  LINK("../../outside.txt", "a/out"); /* up and out */
  LINK("/etc", "etc"); /* absolute out */
  LINK("a", "adir"); /* folder link in */
  LINK("/a/b.txt", "abs"); /* absolute, IN_ROOT */
  LINK("loop", "loop");
  LINK("nowhere", "dangling");
  int rfd = sh_open_root(root);
  cr_assert(rfd >= 0);
  sh_diags bd = {0}; /* refusals reported by sh_open_beneath */
  const sh_fref ref = {{"evidence.yaml", 5, 9}, "path", false};
  int fd;
#define OK(rel, fl)                                                                                                  \
  do {                                                                                                               \
    sh_diags_free(&bd);                                                                                              \
    fd = sh_open_beneath(rfd, rel, fl, &ref, &bd);                                                                   \
    cr_expect(fd >= 0, "%s refused: %s (%s)", rel, strerror(errno), bd.n ? bd.v[0].msg : "");                        \
    cr_expect_eq(bd.n, 0, "%s", rel);                                                                                \
    if (fd >= 0) close(fd);                                                                                          \
  } while (0)
#define NO(rel, fl, e)                                                                                               \
  do {                                                                                                               \
    sh_diags_free(&bd);                                                                                              \
    fd = sh_open_beneath(rfd, rel, fl, &ref, &bd);                                                                   \
    cr_expect_eq(fd, -1, "%s accepted", rel);                                                                        \
    cr_expect_eq(errno, e, "%s: %s", rel, strerror(errno));                                                          \
    if (fd >= 0) close(fd);                                                                                          \
  } while (0)
  OK("a/b.txt", 0);
  OK("a/up", 0);
  OK("adir/b.txt", 0);
  OK("./a/./b.txt", 0);
  OK("abs", SH_OPEN_IN_ROOT);
  OK("/a/b.txt", SH_OPEN_IN_ROOT);
  NO("a/out", 0, EXDEV);
  NO("etc/passwd", 0, EXDEV);
  NO("etc/passwd", SH_OPEN_IN_ROOT, ELOOP); /* taken inside the root: root/etc is that same link */
  NO("abs", 0, EXDEV);
  NO("../outside.txt", 0, EXDEV);
  NO("a/../../outside.txt", 0, EXDEV);
  NO("/a/b.txt", 0, EXDEV);
  NO("a/up", SH_OPEN_NOFOLLOW, ELOOP);
  NO("loop", 0, ELOOP);
  NO("a", 0, EISDIR);
  NO("a/b.txt/c", 0, ENOTDIR);
  NO("missing", 0, ENOENT);
  cr_expect_eq(bd.n, 0, "a plainly missing file is not a refusal");
  NO("dangling", 0, ENOENT);
  cr_expect_eq(bd.n, 1, "a dangling link is reported as such");
  sh_diags_free(&bd);
  close(rfd);
  free(root);
}

/* A refusal is reported by sh_open_beneath itself: one error at the place the path was written, class data (a path
 * written in input data, exit 3) or io (a file the user named, exit 2); other failures add nothing. */
Test(security, beneath_reports_refusal_class_and_location) {
  char *root = sh_path_join(tmp, "root");
  free(th_write(root, "a.txt", "a"));
  char *out = sh_path_join(root, "out");
  cr_assert_eq(symlink("../../x", out), 0);
  int rfd = sh_open_root(root);
  cr_assert(rfd >= 0);
  sh_diags bd = {0};
  cr_expect_eq(sh_open_beneath(rfd, "out", 0, &(sh_fref){{"ev.yaml", 12, 9}, "path 'out'", false}, &bd), -1);
  cr_expect_eq(errno, EXDEV);
  cr_assert_eq(bd.n, 1);
  cr_expect_eq(bd.v[0].sev, SH_SEV_ERROR);
  cr_expect_eq(bd.v[0].cls, SH_DIAG_DATA);
  cr_expect_str_eq(bd.v[0].file, "ev.yaml");
  cr_expect_eq(bd.v[0].line, 12);
  cr_expect_eq(bd.v[0].col, 9);
  cr_expect_str_eq(bd.v[0].msg, "path 'out' refused: a symbolic link leads out of the folder");
  cr_expect_eq(sh_diags_exit_code(&bd), SH_EXIT_INVALID);
  sh_diags_free(&bd);
  cr_expect_eq(sh_open_beneath(rfd, "/a.txt", 0, &(sh_fref){{"pkg/evidence.yaml", 0, 0}, NULL, true}, &bd), -1);
  cr_assert_eq(bd.n, 1);
  cr_expect_eq(bd.v[0].cls, SH_DIAG_IO);
  cr_expect_str_eq(bd.v[0].file, "pkg/evidence.yaml");
  cr_expect_eq(bd.v[0].line, 0);
  cr_expect_str_eq(bd.v[0].msg, "refused: absolute paths are not allowed");
  cr_expect_eq(sh_diags_exit_code(&bd), SH_EXIT_USAGE);
  sh_diags_free(&bd);
  cr_expect_eq(sh_open_beneath(rfd, "gone.txt", 0, &(sh_fref){{"ev.yaml", 1, 1}, "x", false}, &bd), -1);
  cr_expect_eq(errno, ENOENT);
  cr_expect_eq(bd.n, 0, "a missing file is the caller's to report");
  close(rfd);
  /* sh_open_inside: the same, with the root named by path */
  cr_expect_eq(sh_open_inside(root, "../a.txt", 0, &(sh_fref){{"ev.yaml", 3, 4}, "path '../a.txt'", false}, &bd), -1);
  cr_assert_eq(bd.n, 1);
  cr_expect_eq(bd.v[0].cls, SH_DIAG_DATA);
  cr_expect_eq(bd.v[0].line, 3);
  cr_expect_eq(bd.v[0].col, 4);
  cr_expect_str_eq(bd.v[0].msg, "path '../a.txt' refused: '..' leads out of the folder");
  sh_diags_free(&bd);
  int fd = sh_open_inside(root, "a.txt", 0, &(sh_fref){{"ev.yaml", 3, 4}, NULL, false}, &bd);
  cr_expect(fd >= 0);
  cr_expect_eq(bd.n, 0);
  if (fd >= 0) close(fd);
  free(out);
  free(root);
}

Test(security, read_bounded) {
  char *p = th_write(tmp, "big", "0123456789");
  char *text = NULL;
  size_t len = 0;
  cr_expect_eq(sh_read_file(p, 9, &text, &len), -1);
  cr_expect_eq(errno, EFBIG);
  cr_expect_null(text);
  cr_expect_eq(sh_read_file(p, 10, &text, &len), 0);
  cr_expect_eq(len, 10);
  free(text);
  free(p);
}

/* ---------- the output routine ---------- */

static char *slurp(const char *p) {
  char *t = NULL;
  size_t n;
  return sh_read_file(p, 1 << 20, &t, &n) == 0 ? t : NULL;
}

static size_t entries(const char *dir) {
  char *cmd = sh_printf("ls -A '%s' | wc -l", dir);
  FILE *f = popen(cmd, "r");
  size_t n = 0;
  cr_assert(f && fscanf(f, "%zu", &n) == 1);
  pclose(f);
  free(cmd);
  return n;
}

Test(security, write_planted_link_at_old_temporary_name) {
  char *victim = th_write(tmp, "victim", "precious\n");
  char *out = sh_path_join(tmp, "out/report.txt");
  free(th_write(tmp, "out/keep", ""));
  /* the name the old code used (PATH.tmp.PID, PID of this process) */
  char *planted = sh_printf("%s.tmp.%ld", out, (long)getpid());
  cr_assert_eq(symlink(victim, planted), 0);
  cr_assert_eq(sh_write_file_atomic(out, "report\n", 7), 0, "%s", strerror(errno));
  char *v = slurp(victim), *o = slurp(out);
  cr_expect_str_eq(v, "precious\n");
  cr_expect_str_eq(o, "report\n");
  struct stat st;
  cr_expect_eq(lstat(planted, &st), 0);
  cr_expect(S_ISLNK(st.st_mode), "the planted link is left alone");
  free(v), free(o), free(planted), free(out), free(victim);
}

Test(security, write_refuses_link_fifo_folder_at_target) {
  char *victim = th_write(tmp, "victim", "precious\n");
  free(th_write(tmp, "out/keep", ""));
  char *outdir = sh_path_join(tmp, "out");
  char *link = sh_path_join(outdir, "link.txt");
  cr_assert_eq(symlink(victim, link), 0);
  cr_expect_eq(sh_write_file_atomic(link, "report\n", 7), -1);
  cr_expect_eq(errno, EEXIST);
  struct stat st;
  cr_expect(lstat(link, &st) == 0 && S_ISLNK(st.st_mode));
  char *v = slurp(victim);
  cr_expect_str_eq(v, "precious\n");
  free(v);
  char *pipe = fifo(outdir, "pipe");
  cr_expect_eq(sh_write_file_atomic(pipe, "report\n", 7), -1);
  cr_expect(lstat(pipe, &st) == 0 && S_ISFIFO(st.st_mode));
  char *sub = sh_path_join(outdir, "sub");
  cr_assert_eq(mkdir(sub, 0755), 0);
  cr_expect_eq(sh_write_file_atomic(sub, "report\n", 7), -1);
  cr_expect(lstat(sub, &st) == 0 && S_ISDIR(st.st_mode));
  cr_expect_eq(entries(outdir), 4, "no temporary file left behind"); /* keep, link.txt, pipe, sub */
  free(sub), free(pipe), free(link), free(outdir), free(victim);
}

Test(security, write_refuses_device_node_as_out) {
  /* A copy of /dev/full's device node (char 1,7) in the scratch folder: replacing the real one is what the old
   * code did as root, which a test must not risk. Needs CAP_MKNOD; skipped without it. */
  char *node = sh_path_join(tmp, "full");
  if (mknod(node, S_IFCHR | 0666, makedev(1, 7)) != 0) {
    free(node);
    cr_skip_test("mknod not permitted here: %s", strerror(errno));
  }
  char *basic = th_data("evidence/basic");
  char *out, *err;
  cr_expect_eq(RUN(&out, &err, "check", "--data-dir", datadir, "--out", node, basic), SH_EXIT_USAGE);
  assert_has(err, "not a regular file");
  struct stat st;
  cr_expect(lstat(node, &st) == 0 && S_ISCHR(st.st_mode), "the device node is still a device node");
  cr_expect_eq(entries(tmp), 1);
  free(out), free(err), free(basic), free(node);
}

Test(security, write_replaces_regular_file_with_its_mode) {
  char *p = th_write(tmp, "r.txt", "old\n");
  cr_assert_eq(chmod(p, 0640), 0);
  cr_assert_eq(sh_write_file_atomic(p, "new\n", 4), 0);
  char *t = slurp(p);
  cr_expect_str_eq(t, "new\n");
  struct stat st;
  cr_expect(stat(p, &st) == 0 && (st.st_mode & 0777) == 0640);
  cr_expect_eq(entries(tmp), 1);
  free(t), free(p);
}

/* ---------- a damaged store: NULL in every column read, never a crash ---------- */

static void exec_sql(sqlite3 *h, const char *q) {
  char *err = NULL;
  cr_assert_eq(sqlite3_exec(h, q, NULL, NULL, &err), SQLITE_OK, "%s: %s", q, err ? err : "");
}

/* A store with two runs, reviews and a waiver, whose NOT NULL constraints are then removed from the schema (as
 * someone editing the file can do), so that any column can be set to NULL. */
static char *damageable_store(void) {
  char *db = sh_path_join(tmp, "runs.db");
  char *basic = th_data("evidence/basic");
  for (int i = 0; i < 2; i++) {
    const char *args[] = {"check", "--data-dir", datadir, "--db", db, basic, NULL};
    cr_assert_eq(th_run(NULL, NULL, args), 1);
  }
  setenv("SHINSA_NOW", "2026-10-01T00:00:00Z", 1); /* the waiver's expiry is never in the past */
  th_add_reviewer(db, "佐藤", "auditor");
  th_add_reviewer(db, "長", "auditor");
  cr_assert_eq(th_review(db, "1", "test-fw:2.2", "accept", "佐藤", "auditor", "ok", NULL, NULL), 0);
  cr_assert_eq(th_waive(db, "1", "test-fw:1.2", "長", "移行中", "全体", "2026-12-31", NULL), 0);
  free(basic);
  sqlite3 *h;
  cr_assert_eq(sqlite3_open(db, &h), SQLITE_OK);
  exec_sql(h, "PRAGMA writable_schema = ON;"
              " UPDATE sqlite_master SET sql = replace(sql, 'NOT NULL', '') WHERE type = 'table';"
              " PRAGMA writable_schema = OFF;");
  sqlite3_close(h);
  return db;
}

/* Every read path of history, report, diff and log verify on the store: returns normally. The rebuilds of runs
 * (which write temporary files) are done for the tables they read: review tables through report's loading of a
 * reviewed run, run tables through diff's loading of both runs. */
static void read_everything(const char *db, const char *table, sh_diags *dd) {
  bool review_table = strstr("reviews waivers waiver_revocations roster store_meta", table) != NULL;
  sh_store *s = sh_store_open(db, dd);
  if (!s) return;
  sh_vec runs = {0};
  s->ops->list_runs(s, &runs, dd);
  sh_vec_free_all(&runs, sh_run_summary_free);
  sh_date day;
  sh_date_parse("2026-10-01", &day);
  if (review_table) sh_reviewed_run_free(sh_reviewed_run_load(s, 1, datadir, day, dd));
  sh_run_snapshot *a = review_table ? NULL : s->ops->load_run(s, 1, dd);
  sh_run_snapshot *b = a ? s->ops->load_run(s, 2, dd) : NULL;
  if (a && b) {
    sh_buf out = {0};
    sh_run_diff(a, b, "json", "en", &out);
    sh_buf_free(&out);
  }
  sh_run_snapshot_free(a);
  sh_run_snapshot_free(b);
  sh_log_status st;
  s->ops->verify_log(s, &st, dd);
  sh_log_status_clear(&st);
  sh_store_close(s);
}

Test(security, null_in_every_column_read_is_a_damaged_store) {
  char *db = damageable_store();
  sqlite3 *h;
  cr_assert_eq(sqlite3_open(db, &h), SQLITE_OK);
  exec_sql(h, "PRAGMA synchronous = OFF"); /* scratch copy: no fsync per edit */
  sqlite3_stmt *tables;
  cr_assert_eq(sqlite3_prepare_v2(h, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                                  " ORDER BY name", -1, &tables, NULL), SQLITE_OK);
  sh_vec names = {0};
  while (sqlite3_step(tables) == SQLITE_ROW) sh_vec_push(&names, sh_strdup((const char *)sqlite3_column_text(tables, 0)));
  sqlite3_finalize(tables);
  size_t columns = 0, damaged = 0;
  for (size_t t = 0; t < names.n; t++) {
    const char *table = names.v[t];
    char *q = sh_printf("SELECT name FROM pragma_table_info('%s')", table);
    sqlite3_stmt *cols;
    cr_assert_eq(sqlite3_prepare_v2(h, q, -1, &cols, NULL), SQLITE_OK);
    free(q);
    sh_vec cn = {0};
    while (sqlite3_step(cols) == SQLITE_ROW) sh_vec_push(&cn, sh_strdup((const char *)sqlite3_column_text(cols, 0)));
    sqlite3_finalize(cols);
    char *bk = sh_printf("CREATE TABLE bk AS SELECT * FROM \"%s\"", table);
    exec_sql(h, bk);
    free(bk);
    for (size_t c = 0; c < cn.n; c++) {
      char *up = sh_printf("UPDATE \"%s\" SET \"%s\" = NULL", table, (const char *)cn.v[c]);
      int urc = sqlite3_exec(h, up, NULL, NULL, NULL);
      free(up);
      if (urc != SQLITE_OK) continue; /* an INTEGER PRIMARY KEY cannot be NULL */
      columns++;
      sh_diags dd = {0};
      if (getenv("SH_TRACE")) fprintf(stderr, "%s.%s\n", table, (const char *)cn.v[c]);
      read_everything(db, table, &dd); /* a crash here fails the test */
      char *msg = th_diags_str(&dd);
      if (strstr(msg, "damaged store")) damaged++;
      for (size_t i = 0; i < dd.n; i++)
        cr_expect(dd.v[i].cls != SH_DIAG_DATA || strstr(msg, "damaged") || strstr(msg, "cannot be read back") ||
                      strstr(msg, "altered") || strstr(msg, "does not match"),
                  "%s.%s: %s", table, (const char *)cn.v[c], msg);
      free(msg);
      sh_diags_free(&dd);
      char *rs = sh_printf("DELETE FROM \"%s\"; INSERT INTO \"%s\" SELECT * FROM bk", table, table);
      exec_sql(h, rs);
      free(rs);
    }
    exec_sql(h, "DROP TABLE bk");
    sh_vec_free_all(&cn, free);
  }
  sqlite3_close(h);
  sh_vec_free_all(&names, free);
  cr_expect_gt(columns, 100, "only %zu columns set to NULL", columns);
  cr_expect_gt(damaged, 40, "only %zu of %zu columns reported as damage", damaged, columns);
  free(db);
}

Test(security, damaged_store_exits_2_on_the_command_line) {
  char *db = damageable_store();
  sqlite3 *h;
  cr_assert_eq(sqlite3_open(db, &h), SQLITE_OK);
  char *out, *err;
  exec_sql(h, "UPDATE runs SET recorded_at = NULL WHERE id = 2");
  cr_expect_eq(RUN(&out, &err, "history", "--db", db), SH_EXIT_USAGE);
  assert_has(err, "damaged store: runs.recorded_at holds NULL");
  free(out), free(err);
  exec_sql(h, "UPDATE runs SET recorded_at = '2026-01-01T00:00:00Z' WHERE id = 2; UPDATE reviews SET role = NULL");
  cr_expect_eq(RUN(&out, &err, "report", "1", "--db", db, "--data-dir", datadir), SH_EXIT_USAGE);
  assert_has(err, "damaged store: reviews.role holds NULL");
  free(out), free(err);
  exec_sql(h, "UPDATE reviews SET role = 'auditor'; UPDATE results SET verdict = NULL WHERE run_id = 2 AND item_id = '1.1'");
  cr_expect_eq(RUN(&out, &err, "diff", "1", "2", "--db", db, "--data-dir", datadir), SH_EXIT_USAGE);
  assert_has(err, "damaged store: results.verdict holds NULL");
  free(out), free(err);
  exec_sql(h, "UPDATE audit_log SET hash = NULL WHERE seq = 2");
  cr_expect_eq(RUN(&out, &err, "log", "verify", "--db", db), SH_EXIT_FINDINGS);
  assert_has(err, "audit row 2 was altered");
  free(out), free(err);
  sqlite3_close(h);
  free(db);
}

/* ---------- CSV formula guard ---------- */

static char *csv_of(const char *s) {
  sh_buf b = {0};
  sh_csv_cell(&b, true, s);
  return sh_buf_steal(&b);
}

Test(security, csv_formula_guard_after_blanks) {
  static const char *const guarded[] = {"=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", "  =HYPERLINK(\"x\")",
                                        "\t =cmd|'/c calc'!A0", "\n=1", "\xc2\xa0=1", "\xe3\x80\x80=1",
                                        "\xef\xbc\x9d" "1+1", "\xef\xbc\x8b" "1", "\xef\xbc\x8d" "1", "\xef\xbc\xa0" "x",
                                        "　 ＝1"};
  for (size_t i = 0; i < sizeof guarded / sizeof guarded[0]; i++) {
    char *c = csv_of(guarded[i]);
    cr_expect(strncmp(c, "\"'", 2) == 0, "not guarded: [%s] -> [%s]", guarded[i], c);
    free(c);
  }
  static const char *const plain[] = {"ok", "a=b", " ok", "年=1", "１＝１"};
  for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++) {
    char *c = csv_of(plain[i]);
    cr_expect(strchr(c, '\'') == NULL, "guarded needlessly: [%s] -> [%s]", plain[i], c);
    free(c);
  }
}

/* ---------- XLSX: a cell over Excel's limit is kept with a marker; every write checked ---------- */

static char *db_with_review_note(const char *note) {
  char *db = sh_path_join(tmp, "x.db");
  char *basic = th_data("evidence/basic");
  const char *args[] = {"check", "--data-dir", datadir, "--db", db, basic, NULL};
  cr_assert_eq(th_run(NULL, NULL, args), 1);
  th_add_reviewer(db, "佐藤", "auditor");
  char *err = NULL;
  cr_assert_eq(th_review(db, "1", "test-fw:2.2", "accept", "佐藤", "auditor", note, NULL, &err), 0, "%s", err);
  free(err);
  free(basic);
  return db;
}

/* The text of the reviewer cell (the cell naming reviewer 佐藤) on sheet test-fw of an XLSX file. Caller frees. */
static char *reviewer_cell(const char *xlsx) {
  sh_diags dd = {0};
  sh_sheet *sh = sh_sheet_open(xlsx, NULL, &dd);
  cr_assert_not_null(sh, "%s", th_diags_str(&dd));
  int i = sh_sheet_find(sh, "test-fw");
  cr_assert(i >= 0);
  cr_assert_eq(sh_sheet_select(sh, (size_t)i, &dd), 0);
  const sh_sheet_row *row;
  char *cell = NULL;
  while (!cell && sh_sheet_next(sh, &row, &dd) > 0)
    for (size_t c = 0; c < row->ncols && !cell; c++)
      if (strstr(row->cells[c], "佐藤")) cell = sh_strdup(row->cells[c]);
  sh_sheet_close(sh);
  sh_diags_free(&dd);
  cr_assert_not_null(cell, "no reviewer cell");
  return cell;
}

Test(security, xlsx_cell_over_the_limit_is_kept_with_a_marker) {
  sh_buf note = {0};
  for (int i = 0; i < 4000; i++) sh_buf_puts(&note, "0123456789");
  sh_buf_puts(&note, "THE-END");
  char *db = db_with_review_note(sh_buf_str(&note));
  char *xlsx = sh_path_join(tmp, "r.xlsx");
  char *out, *err;
  cr_assert_eq(RUN(&out, &err, "report", "1", "--db", db, "--data-dir", datadir, "--format", "xlsx", "--lang", "en",
                   "--out", xlsx), SH_EXIT_FINDINGS, "%s", err);
  free(out), free(err);
  char *cell = reviewer_cell(xlsx);
  cr_expect(strstr(cell, "accept"), "the reviewer cell is there: %.200s", cell);
  cr_expect(strstr(cell, "0123456789012345"), "the note is there");
  cr_expect(strstr(cell, "[truncated by shinsa: the first "), "a visible marker: ...%s", cell + (strlen(cell) > 300 ? strlen(cell) - 300 : 0));
  cr_expect(strstr(cell, "of 40"), "the marker gives the length");
  cr_expect_leq(strlen(cell), 32767);
  cr_expect_geq(strlen(cell), 32000);
  free(cell);
  /* the JSON report keeps the whole note */
  cr_assert_eq(RUN(&out, &err, "report", "1", "--db", db, "--data-dir", datadir, "--format", "json"), SH_EXIT_FINDINGS);
  cr_expect(strstr(out, "THE-END"));
  free(out), free(err);
  sh_buf_free(&note);
  free(xlsx), free(db);
}

Test(security, xlsx_and_json_text_is_valid_utf8) {
  /* invalid UTF-8 that reached the store (written by an older shinsa or by hand) becomes U+FFFD in the workbook */
  char *db = db_with_review_note("ok");
  sqlite3 *h;
  cr_assert_eq(sqlite3_open(db, &h), SQLITE_OK);
  exec_sql(h, "UPDATE reviews SET note = 'bad ' || CAST(X'FF' AS TEXT) || ' byte'");
  sqlite3_close(h);
  char *xlsx = sh_path_join(tmp, "u.xlsx");
  char *out, *err;
  cr_assert_eq(RUN(&out, &err, "report", "1", "--db", db, "--data-dir", datadir, "--format", "xlsx", "--out", xlsx),
               SH_EXIT_FINDINGS, "%s", err);
  free(out), free(err);
  char *cell = reviewer_cell(xlsx);
  cr_expect(strstr(cell, "bad \xef\xbf\xbd byte"), "%s", cell);
  /* and the JSON report is valid UTF-8 too */
  cr_assert_eq(RUN(&out, &err, "report", "1", "--db", db, "--data-dir", datadir, "--format", "json"), SH_EXIT_FINDINGS);
  cr_expect(sh_utf8_valid(out, strlen(out), NULL), "the JSON report is not UTF-8");
  cr_expect(strstr(out, "bad \xef\xbf\xbd byte"));
  free(out), free(err);
  free(cell), free(xlsx), free(db);
}

/* ---------- UTF-8 and terminal text ---------- */

Test(security, utf8_valid_locates_the_bad_byte) {
  size_t bad = 0;
  cr_expect(sh_utf8_valid("日本語 ok", strlen("日本語 ok"), &bad));
  cr_expect(!sh_utf8_valid("ab\xff", 3, &bad));
  cr_expect_eq(bad, 2);
  cr_expect(!sh_utf8_valid("a\xc0\xaf", 3, &bad)); /* overlong '/' */
  cr_expect_eq(bad, 1);
  cr_expect(!sh_utf8_valid("\xed\xa0\x80", 3, &bad)); /* a surrogate */
  cr_expect(!sh_utf8_valid("\xe6\x97", 2, &bad));     /* truncated */
  int line, col;
  sh_utf8_locate("一\n二三\xff", 10, &line, &col);
  cr_expect_eq(line, 2);
  cr_expect_eq(col, 3);
}

Test(security, terminal_text_is_cleaned) {
  char *c = sh_term_cleaned("ok\x1b]0;pwned\x07 \x1b[2J\tend\n\xc2\x9b" "31m \x9b \xe6\x97\xa5\x7f\r");
  cr_expect_str_eq(c, "ok\\x1b]0;pwned\\x07 \\x1b[2J\tend\n\\u009b31m \\x9b \xe6\x97\xa5\\x7f\\x0d");
  free(c);
}

/* Runs shinsa with its standard output and error on a pseudo-terminal (what a user at a terminal sees).
 * The parent keeps the terminal's slave end open while it reads: when the last slave descriptor closes, Linux
 * may report EIO on the master before the child's last bytes have been read (they pass through the line
 * discipline asynchronously), which lost lines under load. So it reads while the child runs, and after the
 * child has exited drains until the terminal has been quiet for 200 ms. */
static int run_on_terminal(char **out, const char *const *args) {
  const char *exe = getenv("SHINSA_EXE") ? getenv("SHINSA_EXE") : "shinsa";
  int master, slave;
  cr_assert_eq(openpty(&master, &slave, NULL, NULL, NULL), 0);
  pid_t pid = fork();
  cr_assert(pid >= 0);
  if (pid == 0) {
    close(master);
    alarm(20);
    if (login_tty(slave) != 0) _exit(126);
    unsetenv("SHINSA_DATA_DIR");
    size_t n = 0;
    while (args[n]) n++;
    char **argv = calloc(n + 2, sizeof *argv);
    argv[0] = (char *)"shinsa";
    for (size_t i = 0; i < n; i++) argv[i + 1] = (char *)args[i];
    execv(exe, argv);
    _exit(127);
  }
  fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK);
  sh_buf b = {0};
  char buf[4096];
  int status = 0;
  bool exited = false;
  for (;;) {
    struct pollfd p = {.fd = master, .events = POLLIN};
    int ready = poll(&p, 1, exited ? 200 : 50);
    ssize_t k;
    while ((k = read(master, buf, sizeof buf)) > 0) sh_buf_put(&b, buf, (size_t)k);
    if (exited && ready == 0) break;
    if (!exited && waitpid(pid, &status, WNOHANG) == pid) exited = true;
  }
  close(slave);
  close(master);
  *out = sh_buf_steal(&b);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

#define RUN_TTY(out, ...) run_on_terminal((out), (const char *const[]){__VA_ARGS__, NULL})

static void assert_no_escape(const char *in) {
  /* shinsa's own colours (SGR, report.c: only on its own heading lines) are allowed; nothing else */
  static const char *const sgr[] = {"\x1b[1;31m", "\x1b[1;32m", "\x1b[1;33m", "\x1b[1;35m", "\x1b[0m", NULL};
  char *s = sh_strdup(in);
  for (size_t k = 0; sgr[k]; k++)
    for (char *p; (p = strstr(s, sgr[k]));) memmove(p, p + strlen(sgr[k]), strlen(p + strlen(sgr[k])) + 1);
  cr_expect_null(strchr(s, '\x1b'), "an ESC reached the terminal:\n%s", s);
  cr_expect_null(strchr(s, '\x07'), "a BEL reached the terminal");
  cr_expect_null(strstr(s, "\xc2\x9b"), "a C1 CSI reached the terminal");
  free(s);
}

Test(security, escapes_neutralised_on_the_terminal) {
  char *db = db_with_review_note("checked \x1b[2J\x1b]0;pwned\x07 \xc2\x9b" "31m");
  sqlite3 *h;
  cr_assert_eq(sqlite3_open(db, &h), SQLITE_OK);
  exec_sql(h, "UPDATE runs SET applicant_name = 'Evil' || char(27) || ']0;owned' || char(7) || ' K.K.'");
  sqlite3_close(h);
  char *out;
  /* history and the text report, on a terminal */
  cr_expect_eq(RUN_TTY(&out, "history", "--db", db), 0, "%s", out);
  assert_no_escape(out);
  assert_has(out, "Evil\\x1b]0;owned\\x07 K.K.");
  free(out);
  cr_expect_eq(RUN_TTY(&out, "report", "1", "--db", db, "--data-dir", datadir), SH_EXIT_FINDINGS, "%s", out);
  assert_no_escape(out);
  assert_has(out, "Evil\\x1b]0;owned\\x07 K.K.");
  free(out);
  cr_expect_eq(RUN_TTY(&out, "report", "1", "--db", db, "--data-dir", datadir, "--format", "md"), SH_EXIT_FINDINGS);
  assert_no_escape(out);
  assert_has(out, "checked \\x1b"); /* Markdown escapes the brackets that follow */
  assert_has(out, "pwned\\x07 \\u009b31m");
  free(out);
  /* a file gets the report's bytes */
  char *txt = sh_path_join(tmp, "r.txt");
  char *err;
  cr_expect_eq(RUN(&out, &err, "report", "1", "--db", db, "--data-dir", datadir, "--out", txt), SH_EXIT_FINDINGS);
  free(out), free(err);
  char *t = slurp(txt);
  cr_expect(t && strstr(t, "Evil\x1b]0;owned\x07"), "%s", t);
  free(t), free(txt);
  /* diagnostics, even when not on a terminal: a path quoted in an error */
  char *bad = sh_printf("%s/no\x1b]0;x\x07such", tmp);
  cr_expect_eq(RUN(&out, &err, "check", "--data-dir", datadir, bad), SH_EXIT_USAGE);
  assert_no_escape(err);
  assert_has(err, "no\\x1b]0;x\\x07such");
  free(out), free(err), free(bad);
  free(db);
}

Test(security, diagnostics_source_line_is_cleaned) {
  char *p = th_write(tmp, "f.yaml", "key: value\n");
  char *line = th_write(tmp, "g.txt", "abc \x1b[31mred\x1b[0m\n");
  sh_diags dd = {0};
  sh_error(&dd, line, 1, 5, "look \x1b]0;t\x07 here");
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  sh_diags_print(&dd, f, true);
  fclose(f);
  assert_no_escape(buf);
  assert_has(buf, "look \\x1b]0;t\\x07 here");
  assert_has(buf, "abc \\x1b[31mred\\x1b[0m");
  free(buf);
  sh_diags_free(&dd);
  free(p), free(line);
}

/* ---------- invalid UTF-8 on the command line ---------- */

Test(security, invalid_utf8_argument_refused) {
  char *db = db_with_review_note("ok");
  char *out, *err;
  cr_expect_eq(RUN(&out, &err, "review", "1", "test-fw:2.2", "--decision", "accept", "--reviewer", "\xff\xfe",
                   "--role", "auditor", "--db", db),
               SH_EXIT_USAGE);
  assert_has(err, "argument 6 (after --reviewer) is not valid UTF-8 (byte 0xFF at position 1)");
  free(out), free(err);
  cr_expect_eq(RUN(&out, &err, "review", "1", "test-fw:2.2", "--decision", "accept", "--reviewer", "佐藤",
                   "--role", "auditor", "--note", "ok \xe6\x97", "--db", db),
               SH_EXIT_USAGE);
  assert_has(err, "not valid UTF-8 (byte 0xE6 at position 4)");
  free(out), free(err);
  sqlite3 *h;
  cr_assert_eq(sqlite3_open(db, &h), SQLITE_OK);
  sqlite3_stmt *st;
  cr_assert_eq(sqlite3_prepare_v2(h, "SELECT count(*) FROM reviews", -1, &st, NULL), SQLITE_OK);
  cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
  cr_expect_eq(sqlite3_column_int(st, 0), 1, "nothing stored");
  sqlite3_finalize(st);
  sqlite3_close(h);
  free(db);
}

/* ---------- CDA: memory stays a small multiple of the file, whatever its size ---------- */

/* Peak resident memory of `shinsa cda XML --schema XSD` (exit 0 expected). Under AddressSanitizer its quarantine of
 * freed memory is kept small so that the figure is the program's, not the sanitizer's. */
static size_t peak_rss_of_cda(const char *xml, const char *xsd) {
  pid_t pid = fork();
  cr_assert(pid >= 0);
  if (pid == 0) {
    alarm(20);
    int nfd = open("/dev/null", O_WRONLY);
    dup2(nfd, 1);
    const char *asan = getenv("ASAN_OPTIONS");
    char *opts = sh_printf("%s%squarantine_size_mb=1", asan ? asan : "", asan && *asan ? ":" : "");
    setenv("ASAN_OPTIONS", opts, 1);
    execl(getenv("SHINSA_EXE"), "shinsa", "cda", xml, "--schema", xsd, (char *)NULL);
    _exit(127);
  }
  int status;
  struct rusage ru;
  cr_assert_eq(wait4(pid, &status, 0, &ru), pid);
  cr_expect(WIFEXITED(status) && WEXITSTATUS(status) == 0, "status %d", status);
  return (size_t)ru.ru_maxrss * 1024;
}

Test(security, cda_memory_is_bounded_while_streaming) {
  /* A 16 MiB document valid against a small schema. The document tree (the old way) took about 13 times the
   * file's size; streaming takes the parser's window and the validator's state: the peak grows by less than the
   * file's size over that of a tiny document. */
  char *xsd = th_write(tmp, "big.xsd",
                       "<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\"><xs:element name=\"r\"><xs:complexType>"
                       "<xs:sequence><xs:element name=\"e\" maxOccurs=\"unbounded\"><xs:complexType><xs:simpleContent>"
                       "<xs:extension base=\"xs:string\"><xs:attribute name=\"code\"/></xs:extension></xs:simpleContent>"
                       "</xs:complexType></xs:element></xs:sequence></xs:complexType></xs:element></xs:schema>\n");
  char *xml = sh_path_join(tmp, "big.xml");
  FILE *f = fopen(xml, "wb");
  cr_assert(f);
  fputs("<r>\n", f);
  static const char line[] = "<e code=\"x\">yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy</e>\n";
  size_t size = 0;
  while (size < (16u << 20)) size += fwrite(line, 1, sizeof line - 1, f);
  fputs("</r>\n", f);
  cr_assert_eq(fclose(f), 0);
  char *small = th_write(tmp, "small.xml", "<r>\n<e code=\"x\">y</e>\n</r>\n");
  size_t base = peak_rss_of_cda(small, xsd), rss = peak_rss_of_cda(xml, xsd);
  cr_expect_lt(rss - (rss > base ? base : rss), size, "peak memory %zu bytes for a %zu-byte document (%zu for a tiny one)",
               rss, size, base);
  free(small);
  free(xml), free(xsd);
}

Test(security, cda_streaming_keeps_the_refusals) {
  char *xsd = th_write(tmp, "s.xsd", XSD);
  /* a DOCTYPE, entity declarations, nesting past the bound and the byte bound are still refused */
  char *dt = th_write(tmp, "dt.xml", "<?xml version=\"1.0\"?>\n<!DOCTYPE a [<!ENTITY x \"y\">]>\n<a>&x;</a>\n");
  sh_cda_schema *s = sh_cda_schema_load(xsd, &d);
  cr_assert_not_null(s);
  sh_cda_doc *doc = sh_cda_check(s, NULL, dt, &d);
  cr_expect(!doc->well_formed);
  sh_cda_doc_free(doc);
  sh_buf deep = {0};
  for (int i = 0; i < SH_XML_MAX_DEPTH + 5; i++) sh_buf_puts(&deep, "<a>");
  for (int i = 0; i < SH_XML_MAX_DEPTH + 5; i++) sh_buf_puts(&deep, "</a>");
  char *dp = th_write(tmp, "deep.xml", sh_buf_str(&deep));
  doc = sh_cda_check(s, NULL, dp, &d);
  cr_expect(!doc->well_formed);
  sh_cda_doc_free(doc);
  char *msg = diags();
  assert_has(msg, "dt.xml:2: DOCTYPE refused");
  assert_has(msg, "nested deeper than");
  free(msg);
  sh_cda_schema_free(s);
  sh_buf_free(&deep);
  free(dp), free(dt), free(xsd);
}

Test(security, fifo_store_lint_and_import_refused) {
  char *db = fifo(tmp, "runs.db");
  char *out, *err;
  int rc;
  static const char *const reading[] = {"history", "log"};
  for (size_t i = 0; i < 2; i++) {
    rc = i == 0 ? RUN(&out, &err, reading[i], "--db", db) : RUN(&out, &err, "log", "verify", "--db", db);
    cr_expect_eq(rc, SH_EXIT_USAGE, "%s: exit %d (128+ = killed by the alarm: it hung)", reading[i], rc);
    assert_has(err, "not a regular file");
    free(out), free(err);
  }
  rc = RUN(&out, &err, "review", "1", "test-fw:2.2", "--decision", "accept", "--reviewer", "a", "--role", "auditor",
           "--key", "/nonexistent", "--db", db);
  cr_expect(rc > 0 && rc < 128, "review: exit %d", rc);
  free(out), free(err);
  free(fifo(tmp, "pkg/evidence.yaml"));
  char *pkg = sh_path_join(tmp, "pkg");
  rc = RUN(&out, &err, "lint", "--data-dir", datadir, pkg);
  cr_expect(rc > 0 && rc < 128, "lint: exit %d", rc);
  assert_has(err, "not a regular file");
  free(out), free(err);
  char *sheet = fifo(tmp, "sheet.xlsx");
  rc = RUN(&out, &err, "import", "checksheet", sheet, "--id", "x");
  cr_expect(rc > 0 && rc < 128, "import: exit %d", rc);
  free(out), free(err);
  free(sheet), free(pkg), free(db);
}
