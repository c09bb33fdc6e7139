/* The data-driven CLI tests: every folder tests/cases/NAME/ is one case (tests/cases/README.md):
 *   args          the arguments, one per line (lines starting with "# " are comments)
 *   exit          the expected exit code
 *   stdout        optional: the exact expected standard output
 *   stderr        optional: the exact expected standard error
 *   stdout-has    optional: lines that must each appear in standard output
 *   stderr-has    optional: lines that must each appear in standard error
 *   env           optional: NAME=VALUE lines set, -NAME lines unset, in the environment of the run
 *   tmp/          optional: files copied into the case's temporary folder before the run
 *   args.2, exit.2, stdout.2, ...: further steps run in order, sharing the temporary folder
 * In args and in the expected files, @SRC@ is the source tree, @DATA@ tests/data, @CASE@ the case's
 * folder, @TMP@ its temporary folder and @SHARED@ the shared data folder (a case using it is skipped,
 * with a message, when that folder is absent). The actual output has those paths replaced by the
 * placeholders before it is compared. SHINSA_UPDATE_CASES=1 rewrites the exit, stdout and stderr files
 * a case already has from the actual run (review the diff). */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"

typedef struct {
  const char *ph, *path;
} subst;

/* Reads dir/name, or NULL when absent. */
static char *read_opt(const char *dir, const char *name) {
  char *p = sh_path_join(dir, name), *text = NULL;
  size_t len;
  if (sh_read_file(p, 1 << 24, &text, &len) != 0) text = NULL;
  free(p);
  return text;
}

static bool exists(const char *dir, const char *name) {
  char *p = sh_path_join(dir, name);
  bool ok = access(p, F_OK) == 0;
  free(p);
  return ok;
}

/* Replaces every occurrence of from by to in s (new string). */
static char *replace_all(const char *s, const char *from, const char *to) {
  sh_buf b = {0};
  size_t fl = strlen(from);
  for (const char *p = s;;) {
    const char *q = fl ? strstr(p, from) : NULL;
    if (!q) {
      sh_buf_puts(&b, p);
      break;
    }
    sh_buf_put(&b, p, (size_t)(q - p));
    sh_buf_puts(&b, to);
    p = q + fl;
  }
  return sh_buf_steal(&b);
}

/* Placeholders to paths (expand) or paths to placeholders (contract, longest path first). */
static char *expand(const char *s, const subst *sv, size_t n) {
  char *cur = sh_strdup(s);
  for (size_t i = 0; i < n; i++) {
    char *next = replace_all(cur, sv[i].ph, sv[i].path);
    free(cur);
    cur = next;
  }
  return cur;
}

static char *contract(const char *s, const subst *sv, size_t n) {
  char *cur = sh_strdup(s);
  for (size_t i = 0; i < n; i++) { /* sv is ordered longest path first for contraction */
    char *next = replace_all(cur, sv[i].path, sv[i].ph);
    free(cur);
    cur = next;
  }
  return cur;
}

static void write_text(const char *dir, const char *name, const char *text) { free(th_write(dir, name, text)); }

/* Copies the case's tmp/ folder into tmp (cp -R: the runner's own test data only). */
static void copy_tmp(const char *casedir, const char *tmp) {
  char *src = sh_path_join(casedir, "tmp/.");
  pid_t pid = fork();
  cr_assert(pid >= 0);
  if (pid == 0) {
    execlp("cp", "cp", "-R", src, tmp, (char *)NULL);
    _exit(127);
  }
  int st;
  waitpid(pid, &st, 0);
  cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "copying %s", src);
  free(src);
}

/* Step k (1: the unsuffixed files) of a case. Returns false when it has no args file. */
static bool run_step(const char *name, const char *casedir, int k, const subst *sv, size_t nsv, const subst *cv,
                     size_t ncv, bool update) {
  char sfx[16] = "";
  if (k > 1) snprintf(sfx, sizeof sfx, ".%d", k);
  char fn[64];
#define FN(base) (snprintf(fn, sizeof fn, "%s%s", (base), sfx), fn)
  char *args_text = read_opt(casedir, FN("args"));
  if (!args_text) return false;
  char *exit_text = read_opt(casedir, FN("exit"));
  cr_assert(exit_text || update, "case %s: no %s file", name, fn);
  sh_vec argv = {0};
  char *expanded = expand(args_text, sv, nsv);
  for (char *line = strtok(expanded, "\n"); line; line = strtok(NULL, "\n")) {
    if (sh_str_startswith(line, "# ")) continue;
    sh_vec_push(&argv, line);
  }
  sh_vec_push(&argv, NULL);
  /* env: NAME=VALUE lines set, -NAME lines unset, for this step only (e.g. SHINSA_NOW for a fixed clock,
   * LC_ALL=ja_JP.UTF-8 for Japanese messages); the runner's own values are restored afterwards. */
  char *env_text = read_opt(casedir, FN("env"));
  char *env_exp = env_text ? expand(env_text, sv, nsv) : NULL;
  sh_vec names = {0}, saved = {0}; /* saved[i]: the value names[i] had before (NULL: unset) */
  for (char *line = env_exp ? strtok(env_exp, "\n") : NULL; line; line = strtok(NULL, "\n")) {
    if (sh_str_startswith(line, "# ")) continue;
    char *eq = strchr(line, '=');
    bool unset = line[0] == '-' && !eq;
    if (unset) line++;
    else if (!eq) continue;
    else *eq = '\0';
    cr_assert(*line, "case %s: empty variable name in %s", name, fn);
    const char *was = getenv(line);
    sh_vec_push(&names, line);
    sh_vec_push(&saved, was ? sh_strdup(was) : NULL);
    if (unset) unsetenv(line);
    else setenv(line, eq + 1, 1);
  }
  char *out, *err;
  int rc = th_run(&out, &err, (const char *const *)argv.v);
  for (size_t i = names.n; i-- > 0;) { /* in reverse: a name listed twice gets its first saved value back */
    if (saved.v[i]) setenv(names.v[i], saved.v[i], 1);
    else unsetenv(names.v[i]);
    free(saved.v[i]);
  }
  sh_vec_free(&names), sh_vec_free(&saved);
  free(env_text), free(env_exp);
  char *cout = contract(out, cv, ncv), *cerr = contract(err, cv, ncv);
  if (update) {
    char code[16];
    snprintf(code, sizeof code, "%d\n", rc);
    write_text(casedir, FN("exit"), code);
    if (exists(casedir, FN("stdout"))) write_text(casedir, fn, cout);
    if (exists(casedir, FN("stderr"))) write_text(casedir, fn, cerr);
  } else {
    int want = atoi(exit_text);
    cr_expect_eq(rc, want, "case %s step %d: exit %d, expected %d\nstderr:\n%s", name, k, rc, want, cerr);
    static const char *const streams[] = {"stdout", "stderr"};
    for (int s = 0; s < 2; s++) {
      const char *actual = s ? cerr : cout;
      char *exact = read_opt(casedir, FN(streams[s]));
      if (exact) cr_expect_str_eq(actual, exact, "case %s step %d: %s differs", name, k, streams[s]);
      free(exact);
      char has_name[32];
      snprintf(has_name, sizeof has_name, "%s-has", streams[s]);
      char *has = read_opt(casedir, FN(has_name));
      for (char *line = has ? strtok(has, "\n") : NULL; line; line = strtok(NULL, "\n"))
        cr_expect(strstr(actual, line), "case %s step %d: %s lacks: %s\n%s:\n%s", name, k, streams[s], line,
                  streams[s], actual);
      free(has);
    }
  }
#undef FN
  free(out), free(err), free(cout), free(cerr);
  sh_vec_free(&argv);
  free(expanded), free(args_text), free(exit_text);
  return true;
}

static int cmp_names(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

Test(cases, all) {
  char *root = th_src("tests/cases");
  char *src = th_src(""), *data = th_data("");
  /* th_src("") ends in '/': drop it so "@SRC@/x" reads naturally */
  if (strlen(src) > 1 && src[strlen(src) - 1] == '/') src[strlen(src) - 1] = '\0';
  if (strlen(data) > 1 && data[strlen(data) - 1] == '/') data[strlen(data) - 1] = '\0';
  char *shared = th_shared("");
  if (shared && strlen(shared) > 1 && shared[strlen(shared) - 1] == '/') shared[strlen(shared) - 1] = '\0';
  bool update = getenv("SHINSA_UPDATE_CASES") && *getenv("SHINSA_UPDATE_CASES") == '1';
  DIR *dh = opendir(root);
  cr_assert(dh, "no folder %s", root);
  sh_vec names = {0};
  struct dirent *de;
  while ((de = readdir(dh))) {
    if (de->d_name[0] == '.') continue;
    char *p = sh_path_join(root, de->d_name);
    struct stat st;
    if (stat(p, &st) == 0 && S_ISDIR(st.st_mode)) sh_vec_push(&names, sh_strdup(de->d_name));
    free(p);
  }
  closedir(dh);
  qsort(names.v, names.n, sizeof *names.v, cmp_names);
  cr_assert_geq(names.n, 1, "no case in %s", root);
  size_t ran = 0, skipped = 0;
  for (size_t i = 0; i < names.n; i++) {
    const char *name = names.v[i];
    char *casedir = sh_path_join(root, name);
    char *args = read_opt(casedir, "args");
    bool needs_shared = args && strstr(args, "@SHARED@");
    free(args);
    if (needs_shared && !shared) {
      fprintf(stderr, "case %s skipped: the shared data folder ($SHINSA_SHARED) is absent\n", name);
      skipped++;
      free(casedir);
      continue;
    }
    char *tmp = th_tmpdir();
    if (exists(casedir, "tmp")) copy_tmp(casedir, tmp);
    /* expansion: any order; contraction: the longest (most specific) path first */
    subst sv[] = {{"@CASE@", casedir}, {"@DATA@", data}, {"@TMP@", tmp}, {"@SHARED@", shared ? shared : ""},
                  {"@SRC@", src}};
    subst cv[5];
    size_t ncv = 0;
    for (size_t k = 0; k < 5; k++)
      if (*sv[k].path) cv[ncv++] = sv[k];
    for (size_t a = 0; a < ncv; a++)
      for (size_t b = a + 1; b < ncv; b++)
        if (strlen(cv[b].path) > strlen(cv[a].path)) {
          subst t = cv[a];
          cv[a] = cv[b];
          cv[b] = t;
        }
    for (int k = 1; run_step(name, casedir, k, sv, 5, cv, ncv, update); k++) {
    }
    ran++;
    free(tmp);
    free(casedir);
  }
  fprintf(stderr, "%zu case%s run, %zu skipped%s\n", ran, ran == 1 ? "" : "s", skipped,
          update ? " (expected files updated)" : "");
  sh_vec_free_all(&names, free);
  free(root), free(src), free(data), free(shared);
}
