/* helpers: shared test utilities. See helpers.h. */
#define _XOPEN_SOURCE 700 /* nftw */
#include "helpers.h"

#include "hash.h"
#include "signoff.h"
#include "store.h"


#include <criterion/criterion.h>
#include <errno.h>
#include <ftw.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *env_or(const char *name, const char *fallback) {
  const char *v = getenv(name);
  return v && *v ? v : fallback;
}

char *th_data(const char *rel) { return sh_path_join(env_or("SHINSA_TEST_DATA", "tests/data"), rel); }
char *th_src(const char *rel) { return sh_path_join(env_or("SHINSA_SOURCE_ROOT", "."), rel); }

char *th_shared(const char *rel) {
  char *p = sh_path_join(env_or("SHINSA_SHARED", "../shared"), rel);
  struct stat st;
  if (stat(p, &st) != 0) {
    free(p);
    return NULL;
  }
  return p;
}

char *th_diags_str(const sh_diags *d) {
  sh_buf b = {0};
  for (size_t i = 0; i < d->n; i++) {
    char *s = sh_diag_format(&d->v[i]);
    sh_buf_printf(&b, "%s\n", s);
    free(s);
  }
  return sh_buf_steal(&b);
}

sh_registry *th_test_registry(void) {
  sh_diags d = {0};
  char *dir = th_data("datadir");
  sh_registry *r = sh_registry_load(dir, &d);
  char *msg = th_diags_str(&d);
  cr_assert_not_null(r, "test registry failed to load:\n%s", msg);
  free(msg);
  free(dir);
  sh_diags_free(&d);
  return r;
}

sh_registry *th_bundled_registry(void) {
  sh_diags d = {0};
  char *dir = th_src("");
  sh_registry *r = sh_registry_load(dir, &d);
  char *msg = th_diags_str(&d);
  cr_assert_not_null(r, "bundled registry failed to load:\n%s", msg);
  free(msg);
  free(dir);
  sh_diags_free(&d);
  return r;
}

static char *slurp_fd(int fd) {
  sh_buf b = {0};
  char buf[8192];
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0) sh_buf_put(&b, buf, (size_t)n);
  return sh_buf_steal(&b);
}

int th_run(char **out, char **err, const char *const *args) { return th_run_with(NULL, out, err, args); }

int th_run_in(const char *lang, char **out, char **err, const char *const *args) {
  setenv("LC_ALL", strcmp(lang, "ja") == 0 ? "ja_JP.UTF-8" : "C.UTF-8", 1);
  int rc = th_run(out, err, args);
  setenv("LC_ALL", "C.UTF-8", 1);
  return rc;
}

void th_assert_at(const char *text, const char *where, const char *message) {
  char *want = sh_printf("%s: %s", where, message);
  cr_assert(strstr(text, want), "expected\n  %s\nin\n%s", want, text);
  free(want);
}

int th_run_with(const char *const *prefix, char **out, char **err, const char *const *args) {
  const char *exe = env_or("SHINSA_EXE", "shinsa");
  char outt[] = "/tmp/shinsa-test-out-XXXXXX", errt[] = "/tmp/shinsa-test-err-XXXXXX";
  int ofd = mkstemp(outt), efd = mkstemp(errt);
  cr_assert(ofd >= 0 && efd >= 0);
  pid_t pid = fork();
  cr_assert(pid >= 0);
  if (pid == 0) {
    alarm(20); /* kept across exec: a shinsa that hangs (a FIFO read, a lock) is killed and the test fails */
    dup2(ofd, 1);
    dup2(efd, 2);
    int nfd = open("/dev/null", O_RDONLY);
    if (nfd >= 0) dup2(nfd, 0);
    unsetenv("SHINSA_DATA_DIR");
    unsetenv("SHINSA_DB"); /* the tests name their store */
    size_t n = 0, np = 0;
    while (args[n]) n++;
    while (prefix && prefix[np]) np++;
    char **argv = calloc(np + n + 2, sizeof *argv);
    for (size_t i = 0; i < np; i++) argv[i] = (char *)prefix[i];
    argv[np] = np ? (char *)exe : (char *)"shinsa";
    for (size_t i = 0; i < n; i++) argv[np + i + 1] = (char *)args[i];
    if (np) execv(prefix[0], argv);
    else execv(exe, argv);
    _exit(127);
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  lseek(ofd, 0, SEEK_SET);
  lseek(efd, 0, SEEK_SET);
  char *o = slurp_fd(ofd), *e = slurp_fd(efd);
  close(ofd);
  close(efd);
  unlink(outt);
  unlink(errt);
  if (out) *out = o;
  else free(o);
  if (err) *err = e;
  else free(e);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* Temporary folders made by this process, removed (recursively) when it exits. */
static sh_vec tmpdirs;

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
  (void)st, (void)flag, (void)ftw;
  remove(path);
  return 0;
}

static void remove_tmpdirs(void) {
  for (size_t i = 0; i < tmpdirs.n; i++) nftw(tmpdirs.v[i], rm_entry, 16, FTW_DEPTH | FTW_PHYS);
  sh_vec_free_all(&tmpdirs, free);
}

char *th_tmpdir(void) {
  char tmpl[] = "/tmp/shinsa-test-XXXXXX";
  char *d = mkdtemp(tmpl);
  cr_assert_not_null(d);
  if (tmpdirs.n == 0) atexit(remove_tmpdirs);
  sh_vec_push(&tmpdirs, sh_strdup(d));
  return sh_strdup(d);
}

static void mkdirs(const char *path) {
  char *p = sh_strdup(path);
  for (char *s = p + 1; *s; s++) {
    if (*s != '/') continue;
    *s = '\0';
    mkdir(p, 0755);
    *s = '/';
  }
  free(p);
}

char *th_write(const char *dir, const char *name, const char *text) {
  char *p = sh_path_join(dir, name);
  mkdirs(p);
  FILE *f = fopen(p, "wb");
  cr_assert_not_null(f, "cannot write %s", p);
  fputs(text, f);
  fclose(f);
  return p;
}

const sh_result *th_result(const sh_evaluation *e, const char *fw, const char *id) {
  for (size_t i = 0; i < e->results.n; i++) {
    const sh_result *r = e->results.v[i];
    if (strcmp(r->item->fw->id, fw) == 0 && strcmp(r->item->id, id) == 0) return r;
  }
  return NULL;
}

/* ---------- signed review (roster.h, signoff.h) ---------- */

static sh_vec key_names, key_paths; /* char*, index-aligned */

/* Keys live next to the test programs (build/tests/test-keys), made once by ssh-keygen and reused by
 * every test of the build: generating them per test process would dominate the suite's time. */
const char *th_key(const char *name) {
  for (size_t i = 0; i < key_names.n; i++)
    if (strcmp(key_names.v[i], name) == 0) return key_paths.v[i];
  const char *exe = getenv("SHINSA_EXE");
  cr_assert(exe, "SHINSA_EXE is not set");
  char *bin = sh_strdup(exe), *slash = strrchr(bin, '/');
  if (slash) *slash = 0;
  char *dir = sh_printf("%s/../tests/test-keys", bin);
  mkdir(dir, 0700);
  char hx[65];
  sh_sha256_hex(name, strlen(name), hx);
  char *path = sh_printf("%s/%.16s", dir, hx);
  if (access(path, R_OK) != 0) {
    /* made under a temporary name and renamed, so that test programs running at once never see half a key */
    char *tmp = sh_printf("%s.%d", path, (int)getpid()), *tmppub = sh_printf("%s.pub", tmp), *pub = sh_printf("%s.pub", path);
    pid_t pid = fork();
    cr_assert(pid >= 0);
    if (pid == 0) {
      int nfd = open("/dev/null", O_RDWR);
      if (nfd >= 0) dup2(nfd, 0), dup2(nfd, 1), dup2(nfd, 2);
      execlp("ssh-keygen", "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "shinsa-test", "-f", tmp, (char *)NULL);
      _exit(127);
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "ssh-keygen (openssh-client) failed for %s", name);
    cr_assert_eq(rename(tmppub, pub), 0);
    cr_assert_eq(rename(tmp, path), 0);
    free(tmp), free(tmppub), free(pub);
  }
  free(dir);
  free(bin);
  sh_vec_push(&key_names, sh_strdup(name));
  sh_vec_push(&key_paths, path);
  return path;
}

int th_add_reviewers(const char *db, const char *const *pairs) {
  char *datadir = th_data("datadir");
  sh_diags d = {0};
  sh_store *s = sh_store_open(db, &d);
  cr_assert(s);
  for (size_t k = 0; pairs[k] && pairs[k + 1]; k += 2) {
    char *pub = sh_printf("%s.pub", th_key(pairs[k]));
    char *text = NULL, *fp = NULL;
    size_t len;
    cr_assert_eq(sh_read_file(pub, 1 << 16, &text, &len), 0);
    sh_vec roles = {0};
    sh_vec_push(&roles, (void *)pairs[k + 1]);
    int rc = sh_signoff_reviewer_add(s, datadir, pairs[k], &roles, text, pub, "", &fp, &d);
    char *m = th_diags_str(&d);
    cr_assert_eq(rc, 0, "reviewer add %s: %s", pairs[k], m);
    free(m);
    sh_vec_free(&roles);
    free(fp);
    free(text);
    free(pub);
  }
  sh_store_close(s);
  sh_diags_free(&d);
  free(datadir);
  return 0;
}

int th_add_reviewer(const char *db, const char *name, const char *role) {
  const char *pairs[] = {name, role, NULL};
  return th_add_reviewers(db, pairs);
}

int th_review(const char *db, const char *run, const char *item, const char *decision, const char *who,
              const char *role, const char *note, char **out, char **err) {
  char *datadir = th_data("datadir");
  const char *args[] = {"review", run, item, "--decision", decision, "--reviewer", who, "--role", role, "--note",
                        note ? note : "", "--key", th_key(who), "--data-dir", datadir, "--db", db, NULL};
  int rc = th_run(out, err, args);
  free(datadir);
  return rc;
}

int th_waive(const char *db, const char *run, const char *item, const char *approver, const char *justification,
             const char *scope, const char *expires, char **err) {
  char *datadir = th_data("datadir");
  const char *args[] = {"waive", run, item, "--approver", approver, "--justification", justification, "--scope", scope,
                        "--expires", expires, "--key", th_key(approver), "--data-dir", datadir, "--db", db, NULL};
  int rc = th_run(NULL, err, args);
  free(datadir);
  return rc;
}
