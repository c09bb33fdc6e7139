/* Tests of how the store is opened: the reading commands (history, report, diff, log verify) open it read only
 * (no fsync, the file unchanged, a read-only file in a read-only folder, another process holding the write
 * lock), and a database of another application is refused and left byte-identical unless it is empty. */
#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"
#include "store.h"

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

TestSuite(readonly, .init = setup, .fini = teardown);

#define RUN(out, err, ...) th_run((out), (err), (const char *const[]){__VA_ARGS__, NULL})

/* The whole file (caller frees), or NULL when it does not exist. */
static char *slurp(const char *path, size_t *len) {
  char *text = NULL;
  if (sh_read_file(path, 1u << 30, &text, len) != 0) return NULL;
  return text;
}

static bool exists(const char *path) { return access(path, F_OK) == 0; }

/* A store with two runs of tests/data/evidence/basic. */
static char *store_with_runs(const char *name) {
  char *db = sh_path_join(tmp, name);
  cr_assert_eq(RUN(NULL, NULL, "check", "--data-dir", datadir, "--db", db, basic), 1);
  cr_assert_eq(RUN(NULL, NULL, "check", "--data-dir", datadir, "--db", db, basic), 1);
  return db;
}

/* The four reading commands on db; each exits 0 except report (1: the run has findings). */
static int expected_exit(int k) { return k == 1 ? 1 : 0; }
static const char *const *reading_command(int k, const char *db) {
  static const char *argv[8];
  memset(argv, 0, sizeof argv);
  switch (k) {
  case 0: argv[0] = "history", argv[1] = "--db", argv[2] = db; break;
  case 1: argv[0] = "report", argv[1] = "1", argv[2] = "--db", argv[3] = db, argv[4] = "--data-dir", argv[5] = datadir; break;
  case 2: argv[0] = "diff", argv[1] = "1", argv[2] = "2", argv[3] = "--db", argv[4] = db; break;
  default: argv[0] = "log", argv[1] = "verify", argv[2] = "--db", argv[3] = db; break;
  }
  return argv;
}

Test(readonly, reading_commands_neither_write_nor_fsync) {
  char *db = store_with_runs("runs.db");
  size_t len0, len1;
  char *before = slurp(db, &len0);
  cr_assert(before);
  struct stat st0, st1;
  cr_assert_eq(stat(db, &st0), 0);
  bool have_strace = access("/usr/bin/strace", X_OK) == 0;
  if (!have_strace) cr_log_warn("strace not installed: fsync calls not counted, only the file compared");
  for (int k = 0; k < 4; k++) {
    const char *const *args = reading_command(k, db);
    char *out = NULL, *err = NULL;
    int rc;
    char *trace = sh_path_join(tmp, "strace.out");
    if (have_strace) {
      const char *prefix[] = {"/usr/bin/strace", "-f", "-qq", "-o", trace, "-e",
                              "trace=fsync,fdatasync,sync_file_range,syncfs,sync,msync", NULL};
      /* LeakSanitizer cannot run under ptrace: off for the traced child (the sanitizer suite checks leaks of
       * the same commands elsewhere). */
      char *saved = getenv("ASAN_OPTIONS") ? sh_strdup(getenv("ASAN_OPTIONS")) : NULL;
      setenv("ASAN_OPTIONS", "detect_leaks=0", 1);
      rc = th_run_with(prefix, &out, &err, args);
      if (saved) setenv("ASAN_OPTIONS", saved, 1);
      else unsetenv("ASAN_OPTIONS");
      free(saved);
    } else {
      rc = th_run(&out, &err, args);
    }
    cr_assert_eq(rc, expected_exit(k), "%s: exit %d: %s", args[0], rc, err);
    if (have_strace) {
      size_t tl = 0;
      char *t = slurp(trace, &tl);
      cr_assert(t, "no strace output");
      cr_expect_eq(tl, 0, "%s called a sync function:\n%s", args[0], t);
      free(t);
      remove(trace);
    }
    free(trace);
    free(out), free(err);
  }
  char *after = slurp(db, &len1);
  cr_assert_eq(stat(db, &st1), 0);
  cr_assert_eq(len0, len1);
  cr_assert(memcmp(before, after, len0) == 0, "a reading command changed the database file");
  cr_assert_eq(st0.st_mtim.tv_sec, st1.st_mtim.tv_sec);
  cr_assert_eq(st0.st_mtim.tv_nsec, st1.st_mtim.tv_nsec);
  free(before), free(after), free(db);
}

Test(readonly, reading_while_another_process_holds_the_write_lock) {
  char *db = store_with_runs("locked.db");
  int go[2], done[2];
  cr_assert_eq(pipe(go), 0);
  cr_assert_eq(pipe(done), 0);
  pid_t pid = fork();
  cr_assert(pid >= 0);
  if (pid == 0) { /* the writer: an open write transaction with uncommitted changes */
    sqlite3 *h;
    char c = 'x';
    if (sqlite3_open(db, &h) != SQLITE_OK ||
        sqlite3_exec(h, "BEGIN IMMEDIATE; CREATE TABLE scratch (x); INSERT INTO scratch VALUES (1)", NULL, NULL,
                     NULL) != SQLITE_OK)
      _exit(1);
    if (write(go[1], &c, 1) != 1 || read(done[0], &c, 1) != 1) _exit(2);
    sqlite3_exec(h, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close(h);
    _exit(0);
  }
  char c;
  cr_assert_eq(read(go[0], &c, 1), 1, "the writer did not start");
  /* The lock is held: a second writer is refused at once. */
  sqlite3 *h;
  cr_assert_eq(sqlite3_open(db, &h), SQLITE_OK);
  cr_assert_eq(sqlite3_exec(h, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_BUSY);
  sqlite3_close(h);
  for (int k = 0; k < 4; k++) {
    const char *const *args = reading_command(k, db);
    char *out = NULL, *err = NULL;
    int rc = th_run(&out, &err, args);
    cr_expect_eq(rc, expected_exit(k), "%s while the write lock is held: exit %d: %s", args[0], rc, err);
    free(out), free(err);
  }
  cr_assert_eq(write(done[1], "x", 1), 1);
  int status = 0;
  waitpid(pid, &status, 0);
  cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the writer failed");
  free(db);
}

Test(readonly, read_only_file_in_a_read_only_folder) {
  char *db = store_with_runs("src.db");
  char *dir = sh_path_join(tmp, "ro");
  cr_assert_eq(mkdir(dir, 0755), 0);
  char *copy = sh_path_join(dir, "runs.db");
  size_t len;
  char *bytes = slurp(db, &len);
  FILE *f = fopen(copy, "wb");
  cr_assert(f);
  cr_assert_eq(fwrite(bytes, 1, len, f), len);
  fclose(f);
  cr_assert_eq(chmod(copy, 0444), 0);
  cr_assert_eq(chmod(dir, 0555), 0);
  /* As root every file is writable: run as nobody then, through setpriv (the test folder is made traversable). */
  bool root = geteuid() == 0;
  if (root && access("/usr/bin/setpriv", X_OK) != 0) {
    cr_log_warn("running as root without setpriv: the permission check cannot be made");
    root = false;
  }
  if (root) cr_assert_eq(chmod(tmp, 0755), 0);
  for (int k = 0; k < 4; k++) {
    const char *const *args = reading_command(k, copy);
    char *out = NULL, *err = NULL;
    const char *prefix[] = {"/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", NULL};
    int rc = root ? th_run_with(prefix, &out, &err, args) : th_run(&out, &err, args);
    cr_expect_eq(rc, expected_exit(k), "%s on a read-only copy: exit %d: %s", args[0], rc, err);
    if (k == 0) cr_expect(strstr(out, "テスト株式会社") || strstr(out, "Test"), "%s", out);
    free(out), free(err);
  }
  char *wal = sh_printf("%s-wal", copy);
  cr_expect_not(exists(wal), "a -wal file appeared in the read-only folder");
  char *after = slurp(copy, &len);
  cr_expect(after && memcmp(after, bytes, len) == 0);
  chmod(dir, 0755);
  chmod(copy, 0644);
  free(after), free(wal), free(bytes), free(copy), free(dir), free(db);
}

/* Another application's database: refused by every command and left byte-identical, no -wal or -shm made. */
Test(readonly, foreign_database_refused_and_left_byte_identical) {
  static const char *const setups[] = {
    "PRAGMA application_id = 1196444237; CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);"
    " INSERT INTO notes (body) VALUES ('keep me');",
    "CREATE TABLE runs (id INTEGER PRIMARY KEY, what TEXT); INSERT INTO runs (what) VALUES ('not shinsa');"
    " PRAGMA user_version = 2;",
  };
  for (size_t i = 0; i < sizeof setups / sizeof setups[0]; i++) {
    char *name = sh_printf("foreign%zu.db", i);
    char *db = sh_path_join(tmp, name);
    sqlite3 *h;
    cr_assert_eq(sqlite3_open(db, &h), SQLITE_OK);
    cr_assert_eq(sqlite3_exec(h, setups[i], NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(h);
    size_t len0, len1;
    char *before = slurp(db, &len0);
    char *out = NULL, *err = NULL;
    cr_assert_eq(RUN(&out, &err, "check", "--data-dir", datadir, "--db", db, basic), 2);
    cr_assert(strstr(err, "not a shinsa store: another application's SQLite database"), "%s", err);
    cr_assert(strstr(err, "leaves it untouched"), "%s", err);
    free(out), free(err);
    cr_assert_eq(RUN(&out, &err, "history", "--db", db), 2);
    cr_assert(strstr(err, "not a shinsa store"), "%s", err);
    free(out), free(err);
    cr_assert_eq(RUN(&out, &err, "db", "migrate", "--db", db), 2);
    cr_assert(strstr(err, "not a shinsa store"), "%s", err);
    free(out), free(err);
    char *after = slurp(db, &len1);
    cr_assert_eq(len0, len1);
    cr_assert(memcmp(before, after, len0) == 0, "the foreign database was changed");
    char *wal = sh_printf("%s-wal", db), *shm = sh_printf("%s-shm", db);
    cr_assert_not(exists(wal));
    cr_assert_not(exists(shm));
    free(wal), free(shm), free(before), free(after), free(db), free(name);
  }
}

Test(readonly, empty_file_becomes_a_store_with_the_application_id) {
  char *db = th_write(tmp, "empty.db", "");
  cr_assert_eq(RUN(NULL, NULL, "check", "--data-dir", datadir, "--db", db, basic), 1);
  sqlite3 *h;
  sqlite3_stmt *st;
  cr_assert_eq(sqlite3_open(db, &h), SQLITE_OK);
  cr_assert_eq(sqlite3_prepare_v2(h, "PRAGMA application_id", -1, &st, NULL), SQLITE_OK);
  cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
  cr_assert_eq(sqlite3_column_int(st, 0), SH_STORE_APPLICATION_ID);
  sqlite3_finalize(st);
  sqlite3_close(h);
  free(db);
}

Test(readonly, newer_schema_refused_when_reading) {
  char *db = store_with_runs("future.db");
  sqlite3 *h;
  cr_assert_eq(sqlite3_open(db, &h), SQLITE_OK);
  cr_assert_eq(sqlite3_exec(h, "PRAGMA user_version = 99", NULL, NULL, NULL), SQLITE_OK);
  sqlite3_close(h);
  char *out = NULL, *err = NULL;
  cr_assert_eq(RUN(&out, &err, "history", "--db", db), 2);
  cr_assert(strstr(err, "schema version 99 is newer than this shinsa supports"), "%s", err);
  free(out), free(err), free(db);
}

static bool file_contains(const char *path, const char *needle) {
  size_t len = 0;
  char *t = slurp(path, &len);
  bool found = false;
  for (size_t i = 0; t && !found && i + strlen(needle) <= len; i++) found = memcmp(t + i, needle, strlen(needle)) == 0;
  free(t);
  return found;
}

/* Results never carry the machine path the package was read from: reports in every format and the store name
 * evidence.yaml and documents relative to the package, and the package by applicant and content hash. */
Test(readonly, results_name_the_package_without_machine_paths) {
  cr_assert(basic[0] == '/', "the test needs an absolute package path: %s", basic);
  static const char *const formats[] = {"text", "json", "md", "html", "csv"};
  for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
    char *out = NULL, *err = NULL;
    cr_assert_eq(RUN(&out, &err, "check", "--data-dir", datadir, "--format", formats[i], basic), 1, "%s", err);
    cr_expect_null(strstr(out, basic), "%s report names %s", formats[i], basic);
    free(out), free(err);
  }
  char *out = NULL, *err = NULL;
  cr_assert_eq(RUN(&out, &err, "check", "--data-dir", datadir, "--format", "json", basic), 1);
  cr_assert(strstr(out, "\"origin\": \"evidence.yaml\""), "%s", out);
  free(out), free(err);
  char *db = sh_path_join(tmp, "paths.db");
  cr_assert_eq(RUN(NULL, NULL, "check", "--data-dir", datadir, "--db", db, basic), 1);
  cr_assert_not(file_contains(db, basic), "the store holds the machine path %s", basic);
  cr_assert_not(file_contains(db, datadir), "the store holds the machine path %s", datadir);
  cr_assert(file_contains(db, "docs/isms.txt"));
  /* The recorded run re-renders with the same names. */
  cr_assert_eq(RUN(&out, &err, "report", "1", "--db", db, "--data-dir", datadir, "--format", "json"), 1, "%s", err);
  cr_assert_null(strstr(out, basic));
  cr_assert(strstr(out, "\"origin\": \"evidence.yaml\""), "%s", out);
  free(out), free(err), free(db);
}

/* Copies src (a file) to dir/rel. */
static void copy_to(const char *src, const char *dir, const char *rel) {
  size_t len = 0;
  char *t = slurp(src, &len);
  cr_assert(t, "cannot read %s", src);
  free(th_write(dir, rel, t));
  free(t);
}

/* check loads only what it needs: a framework file it does not check is read (its id peeked) but not parsed,
 * so a broken unrelated framework does not stop it; lint still parses and reports every file, and two files
 * with the same id are still an error. */
Test(readonly, check_parses_only_the_frameworks_it_needs) {
  char *dd = sh_path_join(tmp, "lazydata");
  char *facts = th_data("facts.yaml"), *fw = th_data("datadir/checklists/test-fw.yaml");
  copy_to(facts, dd, "rules/facts.yaml");
  copy_to(fw, dd, "checklists/test-fw.yaml");
  free(th_write(dd, "checklists/other.yaml",
                "framework:\n  id: other-fw\n  kind: checklist\n  title: {ja: 別, en: Other}\n  version: \"1\"\n"
                "items:\n  - id: \"1\"\n    require: \"no.such.fact\"\n"));
  char *out = NULL, *err = NULL;
  cr_assert_eq(RUN(&out, &err, "check", "--data-dir", dd, "--framework", "test-fw", basic), 1, "%s", err);
  cr_assert_null(strstr(err, "no.such.fact"), "%s", err);
  free(out), free(err);
  cr_assert_eq(RUN(&out, &err, "check", "--data-dir", dd, "--framework", "other-fw", basic), 3, "%s", err);
  cr_assert(strstr(err, "other.yaml"), "%s", err);
  free(out), free(err);
  cr_assert_eq(RUN(&out, &err, "frameworks", "--data-dir", dd), 3, "%s", err);
  cr_assert(strstr(err, "other.yaml"), "%s", err);
  free(out), free(err);
  /* The same id twice, neither file needed: still an error. */
  copy_to(fw, dd, "checklists/test-fw-copy.yaml");
  cr_assert_eq(RUN(&out, &err, "check", "--data-dir", dd, "--framework", "test-fw", basic), 3, "%s", err);
  cr_assert(strstr(err, "framework id 'test-fw' is also defined in"), "%s", err);
  free(out), free(err);
  free(facts), free(fw), free(dd);
}

/* check --db reads every input once: the vocabulary, the framework, evidence.yaml and its document are each opened
 * for reading once (counted with strace: the O_PATH opens of fileio.h read nothing). */
Test(readonly, check_reads_each_file_once) {
  if (access("/usr/bin/strace", X_OK) != 0) cr_skip_test("strace not installed");
  char *db = sh_path_join(tmp, "once.db"), *trace = sh_path_join(tmp, "open.trace");
  const char *prefix[] = {"/usr/bin/strace", "-f", "-qq", "-o", trace, "-e", "trace=open,openat", NULL};
  const char *args[] = {"check", "--data-dir", datadir, "--db", db, basic, NULL};
  char *saved = getenv("ASAN_OPTIONS") ? sh_strdup(getenv("ASAN_OPTIONS")) : NULL;
  setenv("ASAN_OPTIONS", "detect_leaks=0", 1); /* LeakSanitizer cannot run under ptrace */
  int rc = th_run_with(prefix, NULL, NULL, args);
  if (saved) setenv("ASAN_OPTIONS", saved, 1);
  else unsetenv("ASAN_OPTIONS");
  free(saved);
  cr_assert_eq(rc, 1);
  size_t len = 0;
  char *t = slurp(trace, &len);
  cr_assert(t);
  static const char *const names[] = {"rules/facts.yaml\"", "checklists/test-fw.yaml\"", "\"evidence.yaml\"",
                                      "\"isms.txt\"", "rules/quorum.yaml\""};
  for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
    int reads = 0;
    for (char *line = t; line && *line;) {
      char *nl = strchr(line, '\n');
      if (nl) *nl = '\0';
      if (strstr(line, names[k]) && strstr(line, "O_RDONLY") && !strstr(line, "O_PATH") && !strstr(line, "= -1"))
        reads++;
      if (nl) *nl = '\n';
      line = nl ? nl + 1 : NULL;
    }
    cr_expect_leq(reads, 1, "%s opened for reading %d times", names[k], reads);
  }
  free(t), free(trace), free(db);
}
