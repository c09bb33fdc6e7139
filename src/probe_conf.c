/* probe_conf: paths inside the probe root, include globs, bounded reading, word splitting.
 * See probe_conf.h. */
#include "probe_conf.h"

#include "i18n.h"

#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_LINKS 40

bool sh_ieq(const char *a, const char *b) {
  for (;; a++, b++) {
    char x = *a, y = *b;
    if (x >= 'A' && x <= 'Z') x = (char)(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = (char)(y - 'A' + 'a');
    if (x != y) return false;
    if (!x) return true;
  }
}

bool sh_has_glob(const char *s) { return strpbrk(s, "*?[") != NULL; }

/* Splits path on '/' and appends owned non-empty components to out (in order). */
static void split_components(const char *path, sh_vec *out) {
  const char *p = path;
  while (*p) {
    while (*p == '/') p++;
    if (!*p) break;
    const char *q = strchr(p, '/');
    size_t n = q ? (size_t)(q - p) : strlen(p);
    sh_vec_push(out, sh_strndup(p, n));
    p += n;
  }
}

static char *join_components(sh_vec *v, size_t n) {
  sh_buf b = {0};
  for (size_t i = 0; i < n; i++) {
    sh_buf_putc(&b, '/');
    sh_buf_puts(&b, v->v[i]);
  }
  if (b.len == 0) sh_buf_putc(&b, '/');
  return sh_buf_steal(&b);
}

char *sh_pctx_host(const sh_pctx *c, const char *inroot) {
  size_t n = strlen(c->root);
  while (n > 1 && c->root[n - 1] == '/') n--;
  if (strcmp(inroot, "/") == 0) return sh_strndup(c->root, n);
  if (n == 1 && c->root[0] == '/') return sh_strdup(inroot);
  return sh_printf("%.*s%s", (int)n, c->root, inroot);
}

static char *host_real(const sh_pctx *c, const char *inroot) {
  if (strcmp(c->root_real, "/") == 0) return sh_strdup(inroot);
  if (strcmp(inroot, "/") == 0) return sh_strdup(c->root_real);
  return sh_printf("%s%s", c->root_real, inroot);
}

/* The resolution behind sh_pctx_resolve: NULL with *why (static) and *io (the reason is an I/O failure) set. */
static char *resolve(const sh_pctx *c, const char *inroot, const char **why, bool *io) {
  *io = false;
  sh_vec todo = {0}, stack = {0};
  split_components(inroot, &todo);
  /* todo is processed from the front: keep it reversed so that pop is from the end */
  for (size_t i = 0; i < todo.n / 2; i++) {
    void *t = todo.v[i];
    todo.v[i] = todo.v[todo.n - 1 - i];
    todo.v[todo.n - 1 - i] = t;
  }
  int links = 0;
  bool missing = false;
  char *result = NULL;
  while (todo.n) {
    char *comp = todo.v[--todo.n];
    if (strcmp(comp, ".") == 0) {
      free(comp);
      continue;
    }
    if (strcmp(comp, "..") == 0) {
      free(comp);
      if (stack.n == 0) {
        *why = N_("the path leaves the probe root");
        goto out;
      }
      free(stack.v[--stack.n]);
      continue;
    }
    sh_vec_push(&stack, comp);
    if (missing) continue;
    char *in = join_components(&stack, stack.n);
    char *host = host_real(c, in);
    free(in);
    struct stat st;
    if (lstat(host, &st) != 0) {
      free(host);
      missing = true; /* the rest is kept literally; the caller finds the file missing */
      continue;
    }
    if (S_ISLNK(st.st_mode)) {
      if (++links > MAX_LINKS) {
        free(host);
        *why = N_("too many levels of symbolic links");
        goto out;
      }
      char target[PATH_MAX];
      ssize_t n = readlink(host, target, sizeof target - 1);
      free(host);
      if (n < 0) {
        *why = N_("unreadable symbolic link");
        *io = true;
        goto out;
      }
      target[n] = '\0';
      free(stack.v[--stack.n]);
      if (target[0] == '/') { /* absolute: inside the root, as if DIR were / */
        for (size_t i = 0; i < stack.n; i++) free(stack.v[i]);
        stack.n = 0;
      }
      sh_vec parts = {0};
      split_components(target, &parts);
      for (size_t i = parts.n; i-- > 0;) sh_vec_push(&todo, parts.v[i]);
      sh_vec_free(&parts);
      continue;
    }
    free(host);
  }
  result = join_components(&stack, stack.n);
out:
  sh_vec_free_all(&todo, free);
  sh_vec_free_all(&stack, free);
  return result;
}

/* Reports a refusal of path (see probe_conf.h, "Refusals"). */
static void refused(const sh_pctx *c, const char *path, sh_loc at, const char *what, const char *why, bool io) {
  char *host = at.file ? NULL : sh_pctx_host(c, path);
  const char *f = at.file ? at.file : host;
  sh_diag_class cls = io ? SH_DIAG_IO : SH_DIAG_DATA;
  int line = at.file ? at.line : 0, col = at.file ? at.col : 0;
  if (what) sh_diag_addc(c->d, cls, SH_SEV_ERROR, f, line, col, "%s refused: %s", what, _(why));
  else sh_diag_addc(c->d, cls, SH_SEV_ERROR, f, line, col, "refused: %s", _(why));
  free(host);
}

char *sh_pctx_resolve(const sh_pctx *c, const char *inroot, sh_loc at, const char *what) {
  const char *why = NULL;
  bool io = false;
  char *r = resolve(c, inroot, &why, &io);
  if (!r) refused(c, inroot, at, what, why, io);
  return r;
}

char *sh_pctx_join(const char *base, const char *path) {
  if (path[0] == '/') return sh_strdup(path);
  return sh_path_join(base, path);
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

bool sh_pctx_exists(const sh_pctx *c, const char *inroot) {
  char *h = host_real(c, inroot);
  struct stat st;
  bool ok = stat(h, &st) == 0;
  free(h);
  return ok;
}

static bool is_dir(const sh_pctx *c, const char *inroot) {
  char *h = host_real(c, inroot);
  struct stat st;
  bool ok = stat(h, &st) == 0 && S_ISDIR(st.st_mode);
  free(h);
  return ok;
}

static bool is_reg(const sh_pctx *c, const char *inroot) {
  char *h = host_real(c, inroot);
  struct stat st;
  bool ok = stat(h, &st) == 0 && S_ISREG(st.st_mode);
  free(h);
  return ok;
}

/* Names in an in-root folder (resolved), matching pattern (fnmatch) or ending with suffix. */
static sh_pctx_rc list_names(const sh_pctx *c, const char *dir, const char *pattern, const char *suffix,
                             sh_vec *names, sh_loc at, const char *what) {
  char *rdir = sh_pctx_resolve(c, dir, at, what);
  if (!rdir) return SH_PCTX_REFUSED;
  char *h = host_real(c, rdir);
  DIR *dh = opendir(h);
  free(h);
  if (!dh) {
    free(rdir);
    return SH_PCTX_NOT_A_FOLDER;
  }
  struct dirent *e;
  while ((e = readdir(dh)) != NULL) {
    const char *n = e->d_name;
    if (strcmp(n, ".") == 0 || strcmp(n, "..") == 0) continue;
    if (pattern) {
      if (fnmatch(pattern, n, FNM_PERIOD) != 0) continue;
    } else {
      if (n[0] == '.') continue;
      size_t ln = strlen(n), ls = suffix ? strlen(suffix) : 0;
      if (suffix && (ln <= ls || strcmp(n + ln - ls, suffix) != 0)) continue;
    }
    sh_vec_push(names, sh_path_join(rdir, n));
  }
  closedir(dh);
  free(rdir);
  if (names->n) qsort(names->v, names->n, sizeof *names->v, cmp_str);
  return SH_PCTX_OK;
}

sh_pctx_rc sh_pctx_list_dir(const sh_pctx *c, const char *dir, const char *suffix, sh_vec *out, sh_loc at,
                            const char *what) {
  sh_vec names = {0};
  sh_pctx_rc rc = list_names(c, dir, NULL, suffix, &names, at, what);
  if (rc != SH_PCTX_OK) {
    sh_vec_free_all(&names, free);
    return rc;
  }
  for (size_t i = 0; i < names.n; i++) {
    char *r = sh_pctx_resolve(c, names.v[i], at, what);
    if (!r) {
      sh_vec_free_all(&names, free);
      return SH_PCTX_REFUSED;
    }
    if (is_reg(c, r))
      sh_vec_push(out, r);
    else
      free(r);
  }
  sh_vec_free_all(&names, free);
  return SH_PCTX_OK;
}

sh_pctx_rc sh_pctx_glob(const sh_pctx *c, const char *pattern, sh_vec *out, sh_loc at, const char *what) {
  if (!sh_has_glob(pattern)) {
    char *r = sh_pctx_resolve(c, pattern, at, what);
    if (!r) return SH_PCTX_REFUSED;
    sh_vec_push(out, r);
    return SH_PCTX_OK;
  }
  sh_vec comps = {0}, cur = {0};
  split_components(pattern, &comps);
  sh_vec_push(&cur, sh_strdup("/"));
  sh_pctx_rc rc = SH_PCTX_OK;
  for (size_t k = 0; k < comps.n && cur.n; k++) {
    const char *comp = comps.v[k];
    sh_vec next = {0};
    for (size_t i = 0; i < cur.n; i++) {
      if (sh_has_glob(comp)) {
        sh_vec names = {0};
        sh_pctx_rc lr = list_names(c, cur.v[i], comp, NULL, &names, at, what);
        if (lr == SH_PCTX_REFUSED) rc = SH_PCTX_REFUSED; /* a folder that is not there: no match */
        for (size_t j = 0; j < names.n; j++) sh_vec_push(&next, names.v[j]);
        sh_vec_free(&names);
      } else {
        sh_vec_push(&next, sh_pctx_join(cur.v[i], comp));
      }
      if (rc) break;
    }
    sh_vec_free_all(&cur, free);
    cur = next;
    if (rc) break;
  }
  if (rc == 0) {
    for (size_t i = 0; i < cur.n; i++) {
      char *r = sh_pctx_resolve(c, cur.v[i], at, what);
      if (!r) {
        rc = SH_PCTX_REFUSED;
        break;
      }
      if (is_reg(c, r))
        sh_vec_push(out, r);
      else
        free(r);
    }
  }
  sh_vec_free_all(&cur, free);
  sh_vec_free_all(&comps, free);
  (void)is_dir;
  return rc;
}

char *sh_pctx_read(sh_pctx *c, const char *inroot, const char *from_file, int from_line) {
  char *host = sh_pctx_host(c, inroot);
  const char *ef = from_file ? from_file : host;
  int el = from_file ? from_line : 0;
  if (c->nfiles >= SH_PROBE_MAX_FILES) {
    sh_error(c->d, ef, el, 0, "too many configuration files (limit %d); %s not read", SH_PROBE_MAX_FILES, host);
    free(host);
    return NULL;
  }
  char *text = NULL;
  size_t len = 0;
  size_t before = c->d->nerrors;
  const sh_fref ref = {{ef, el, 0}, host, false};
  int fd = c->root_fd < 0 ? (errno = EBADF, -1) : sh_open_beneath(c->root_fd, inroot, SH_OPEN_IN_ROOT, &ref, c->d);
  if (fd < 0) {
    if (c->d->nerrors != before)
      ; /* refused (reported) */
    else if (errno == EISDIR || errno == EINVAL)
      sh_error(c->d, ef, el, 0, "%s is not a regular file", host);
    else
      sh_error(c->d, ef, el, 0, "cannot read %s: %s", host, sh_fio_strerror(errno));
  } else if (sh_read_fd(fd, SH_PROBE_MAX_FILE_BYTES, &text, &len) != 0) {
    if (errno == EFBIG)
      sh_error(c->d, ef, el, 0, "%s is larger than %u bytes", host, SH_PROBE_MAX_FILE_BYTES);
    else
      sh_error(c->d, ef, el, 0, "cannot read %s: %s", host, strerror(errno));
  } else if (memchr(text, '\0', len)) {
    sh_error(c->d, ef, el, 0, "%s contains a NUL byte: not a configuration file", host);
    free(text);
    text = NULL;
  }
  if (fd >= 0) close(fd);
  if (text) {
    c->nfiles++;
    sh_vec_push(&c->res->files, sh_strdup(host));
  }
  free(host);
  return text;
}

bool sh_pstack_enter(sh_pctx *c, sh_pstack *s, const char *inroot, const char *from_file, int from_line) {
  for (size_t i = 0; i < s->paths.n; i++) {
    if (strcmp(s->paths.v[i], inroot) == 0) {
      char *host = sh_pctx_host(c, inroot);
      sh_error(c->d, from_file, from_line, 0, "include loop: %s is already being read", host);
      free(host);
      return false;
    }
  }
  if (s->paths.n >= SH_PROBE_MAX_INCLUDE_DEPTH) {
    sh_error(c->d, from_file, from_line, 0, "includes nested deeper than %d", SH_PROBE_MAX_INCLUDE_DEPTH);
    return false;
  }
  sh_vec_push(&s->paths, sh_strdup(inroot));
  return true;
}

void sh_pstack_leave(sh_pstack *s) {
  if (s->paths.n) free(s->paths.v[--s->paths.n]);
}

void sh_pstack_free(sh_pstack *s) { sh_vec_free_all(&s->paths, free); }

void sh_split_words(const char *line, sh_vec *out) {
  const char *p = line;
  for (;;) {
    while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n') p++;
    if (!*p || *p == '#') return;
    sh_buf w = {0};
    while (*p && *p != ' ' && *p != '\t' && *p != '\r' && *p != '\n') {
      if (*p == '"' || *p == '\'') {
        char q = *p++;
        while (*p && *p != q) sh_buf_putc(&w, *p++);
        if (*p) p++;
      } else {
        sh_buf_putc(&w, *p++);
      }
    }
    sh_vec_push(out, sh_buf_steal(&w));
  }
}

bool sh_next_line(char **cursor, char **line, int *line_no) {
  char *p = *cursor;
  if (!p || !*p) return false;
  char *nl = strchr(p, '\n');
  if (nl) {
    *nl = '\0';
    *cursor = nl + 1;
  } else {
    *cursor = p + strlen(p);
  }
  size_t n = strlen(p);
  if (n && p[n - 1] == '\r') p[n - 1] = '\0';
  *line = p;
  (*line_no)++;
  return true;
}

void sh_pctx_fact(sh_pctx *c, const char *fact, const char *value, const char *inroot, int line,
                  const char *fmt, ...) {
  char *host = inroot ? sh_pctx_host(c, inroot) : NULL;
  sh_buf b = {0};
  va_list ap;
  va_start(ap, fmt);
  sh_buf_vprintf(&b, _(fmt), ap);
  va_end(ap);
  sh_probe_set(c->res, fact, value, host, line, sh_buf_str(&b));
  sh_buf_free(&b);
  free(host);
}
