/* The message catalog is complete: every message xgettext extracts from the files of po/POTFILES, with the
 * arguments of po/xgettext-args (the same file po/meson.build reads: one keyword list), has a Japanese
 * translation in po/ja.po that is not fuzzy, and every C source of src/ and src/cmd/ is listed in po/POTFILES.
 * The check runs GNU gettext's own tools: xgettext, msgmerge (without fuzzy matching, so a missing entry stays
 * untranslated), msgattrib (untranslated and fuzzy entries) and msgfmt -c (printf conversions kept). A failure
 * lists the msgids to translate. */
#include <criterion/criterion.h>
#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"

extern char **environ;

/* Runs argv (argv[0] found on PATH) with stdout and stderr to files; returns the exit status (-1 when it cannot
 * run) and the output in *out (caller frees). */
static int run_tool(const char *const *argv, char **out) {
  char *dir = th_tmpdir();
  char *path = sh_path_join(dir, "out");
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_adddup2(&fa, 1, 2);
  pid_t pid;
  int rc = posix_spawnp(&pid, argv[0], &fa, NULL, (char *const *)argv, environ);
  posix_spawn_file_actions_destroy(&fa);
  int status = -1;
  if (rc == 0) {
    cr_assert_eq(waitpid(pid, &status, 0), pid);
    status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  size_t len = 0;
  *out = NULL;
  if (sh_read_file(path, 64u << 20, out, &len) != 0) *out = sh_strdup("");
  free(path);
  free(dir);
  return status;
}

/* Does a msgid hold a letter outside its printf conversions and escapes? */
static bool has_words(const char *s) {
  for (const char *p = s; *p; p++) {
    if (*p == '%') {
      p++;
      while (*p && !isalpha((unsigned char)*p) && *p != '%') p++;
      while (*p == 'z' || *p == 'l' || *p == 'h' || *p == 'j' || *p == 't') p++;
      if (!*p) break;
      continue;
    }
    if (*p == '\\' && p[1]) {
      p++;
      continue;
    }
    if (isalpha((unsigned char)*p) || (unsigned char)*p >= 0x80) return true;
  }
  return false;
}

/* The msgids of a PO text (joined continuation lines, escapes as written), one per line, the header aside. */
static char *msgids(const char *po, size_t *count) {
  sh_buf b = {0};
  *count = 0;
  bool in_id = false;
  for (const char *line = po; *line;) {
    const char *eol = strchr(line, '\n');
    size_t len = eol ? (size_t)(eol - line) : strlen(line);
    if (strncmp(line, "msgid \"", 7) == 0) {
      in_id = true;
      if (len > 8) {
        sh_buf_puts(&b, "  ");
        sh_buf_put(&b, line + 7, len - 8);
      }
    } else if (in_id && line[0] == '"' && len >= 2) {
      if (b.len == 0 || sh_buf_str(&b)[b.len - 1] == '\n') sh_buf_puts(&b, "  ");
      sh_buf_put(&b, line + 1, len - 2);
    } else if (in_id) {
      in_id = false;
      if (b.len && sh_buf_str(&b)[b.len - 1] != '\n') {
        /* a message without words ("%s", "%s: %s") reads the same in every language: nothing to translate */
        char *start = strrchr(sh_buf_str(&b), '\n');
        start = start ? start + 1 : (char *)sh_buf_str(&b);
        if (has_words(start)) {
          sh_buf_putc(&b, '\n');
          (*count)++;
        } else {
          b.len = (size_t)(start - sh_buf_str(&b));
          b.data[b.len] = '\0';
        }
      }
    }
    line += len + (eol != NULL);
  }
  return sh_buf_steal(&b);
}

static char **xgettext_args(size_t *n) {
  const char *file = getenv("SHINSA_XGETTEXT_ARGS");
  cr_assert(file && *file, "SHINSA_XGETTEXT_ARGS is not set (tests/meson.build names po/xgettext-args)");
  char *text = NULL;
  size_t len;
  cr_assert_eq(sh_read_file(file, 1 << 20, &text, &len), 0, "cannot read %s", file);
  char **v = sh_calloc(len + 1, sizeof *v);
  *n = 0;
  for (char *save = NULL, *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
    while (*l == ' ' || *l == '\t') l++;
    size_t k = strlen(l);
    while (k && (l[k - 1] == ' ' || l[k - 1] == '\t' || l[k - 1] == '\r')) l[--k] = '\0';
    if (*l && *l != '#') v[(*n)++] = sh_strdup(l);
  }
  free(text);
  return v;
}

Test(catalog, every_extracted_message_has_a_japanese_translation) {
  char *root = th_src(""), *potfiles = th_src("po/POTFILES"), *ja = th_src("po/ja.po");
  char *dir = th_tmpdir();
  char *pot = sh_path_join(dir, "shinsa.pot"), *merged = sh_path_join(dir, "merged.po");
  size_t nargs = 0;
  char **args = xgettext_args(&nargs);
  cr_assert(nargs > 0, "po/xgettext-args holds no argument");
  const char **argv = sh_calloc(nargs + 8, sizeof *argv);
  size_t n = 0;
  argv[n++] = "xgettext";
  for (size_t i = 0; i < nargs; i++) argv[n++] = args[i];
  argv[n++] = "--directory";
  argv[n++] = root;
  argv[n++] = "--files-from";
  argv[n++] = potfiles;
  argv[n++] = "--output";
  argv[n++] = pot;
  argv[n] = NULL;
  char *out = NULL;
  int rc = run_tool(argv, &out);
  cr_assert_eq(rc, 0, "xgettext (GNU gettext) failed (%d):\n%s", rc, out);
  free(out);
  const char *merge[] = {"msgmerge", "--quiet", "--no-fuzzy-matching", "--output-file", merged, ja, pot, NULL};
  rc = run_tool(merge, &out);
  cr_assert_eq(rc, 0, "msgmerge failed (%d):\n%s", rc, out);
  free(out);
  /* printf conversions and the header hold */
  const char *check[] = {"msgfmt", "--check", "--statistics", "--output-file", "/dev/null", merged, NULL};
  rc = run_tool(check, &out);
  cr_assert_eq(rc, 0, "msgfmt --check finds errors in po/ja.po:\n%s", out);
  char *stats = out;
  const char *untr[] = {"msgattrib", "--untranslated", "--no-obsolete", "--no-wrap", merged, NULL};
  const char *fuzzy[] = {"msgattrib", "--only-fuzzy", "--no-obsolete", "--no-wrap", merged, NULL};
  char *u = NULL, *f = NULL;
  cr_assert_eq(run_tool(untr, &u), 0, "msgattrib failed:\n%s", u);
  cr_assert_eq(run_tool(fuzzy, &f), 0, "msgattrib failed:\n%s", f);
  size_t nu = 0, nf = 0;
  char *ids_u = msgids(u, &nu), *ids_f = msgids(f, &nf);
  cr_expect_eq(nu, 0, "%zu messages have no Japanese in po/ja.po (ninja -C build shinsa-pot shinsa-update-po, then "
                      "write their msgstr; msgfmt: %s):\n%s", nu, stats, ids_u);
  cr_expect_eq(nf, 0, "%zu messages are fuzzy in po/ja.po (check the msgstr, then remove the '#, fuzzy' line):\n%s", nf,
               ids_f);
  free(ids_u), free(ids_f), free(u), free(f), free(stats);
  for (size_t i = 0; i < nargs; i++) free(args[i]);
  free(args);
  free(argv);
  free(root), free(potfiles), free(ja), free(dir), free(pot), free(merged);
}

/* Every C source of src/ and src/cmd/ is in po/POTFILES (else its messages are never extracted), and every entry
 * names a file that exists. */
Test(catalog, potfiles_lists_every_source) {
  char *potfiles = th_src("po/POTFILES");
  char *text = NULL;
  size_t len;
  cr_assert_eq(sh_read_file(potfiles, 1 << 20, &text, &len), 0);
  sh_strmap listed = {0};
  sh_buf problems = {0};
  for (char *save = NULL, *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
    if (!*l || *l == '#') continue;
    sh_strmap_put(&listed, l, (void *)1);
    char *p = th_src(l);
    if (access(p, R_OK) != 0) sh_buf_printf(&problems, "  %s is listed but does not exist\n", l);
    free(p);
  }
  static const char *const dirs[] = {"src", "src/cmd"};
  size_t seen = 0;
  for (size_t d = 0; d < 2; d++) {
    char *path = th_src(dirs[d]);
    DIR *dh = opendir(path);
    cr_assert(dh, "cannot list %s", path);
    for (struct dirent *e; (e = readdir(dh));) {
      size_t k = strlen(e->d_name);
      if (k < 3 || strcmp(e->d_name + k - 2, ".c") != 0) continue;
      char *rel = sh_printf("%s/%s", dirs[d], e->d_name);
      seen++;
      if (!sh_strmap_get(&listed, rel)) sh_buf_printf(&problems, "  %s is not listed\n", rel);
      free(rel);
    }
    closedir(dh);
    free(path);
  }
  cr_assert_gt(seen, 50, "the sources were not found");
  cr_assert_eq(problems.len, 0, "po/POTFILES (sorted, one path a line) is not the list of sources:\n%s",
               sh_buf_str(&problems));
  sh_buf_free(&problems);
  sh_strmap_free(&listed);
  free(text);
  free(potfiles);
}
