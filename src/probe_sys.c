/* probe_sys: crypttab, journald and logrotate. See probe_sys.h. */
#include "probe_sys.h"

#include <stdlib.h>
#include <string.h>

/* --- /etc/crypttab --- */

static void crypttab(sh_pctx *c) {
  const char *path = "/etc/crypttab";
  if (!sh_pctx_exists(c, path)) return;
  char *r = sh_pctx_resolve(c, path, (sh_loc){0}, NULL);
  if (!r) return;
  char *text = sh_pctx_read(c, r, NULL, 0);
  if (text) {
    int n = 0, first = 0, line_no = 0;
    sh_buf names = {0};
    char *cursor = text, *ln;
    while (sh_next_line(&cursor, &ln, &line_no)) {
      sh_vec w = {0};
      sh_split_words(ln, &w);
      if (w.n >= 2) {
        if (!n++) first = line_no;
        sh_buf_printf(&names, "%s%s", names.len ? ", " : "", (char *)w.v[0]);
      } else if (w.n == 1) {
        char *host = sh_pctx_host(c, r);
        sh_diag_add(c->d, SH_SEV_WARNING, host, line_no, 0, "crypttab entry without a device");
        free(host);
      }
      sh_vec_free_all(&w, free);
    }
    char v[16];
    snprintf(v, sizeof v, "%d", n);
    if (n)
      sh_pctx_fact(c, "system.disk.encrypted_volumes", v, r, first, "encrypted volumes: %s", sh_buf_str(&names));
    else
      sh_pctx_fact(c, "system.disk.encrypted_volumes", v, r, 0, "crypttab lists no volume");
    sh_buf_free(&names);
    free(text);
  }
  free(r);
}

/* --- journald --- */

bool sh_timespan_seconds(const char *s, double *out) {
  static const struct {
    const char *u;
    double sec;
  } units[] = {{"usec", 1e-6},   {"us", 1e-6},        {"msec", 1e-3},      {"ms", 1e-3},     {"seconds", 1},
               {"second", 1},    {"sec", 1},          {"s", 1},            {"minutes", 60},  {"minute", 60},
               {"min", 60},      {"m", 60},           {"hours", 3600},     {"hour", 3600},   {"hr", 3600},
               {"h", 3600},      {"days", 86400},     {"day", 86400},      {"d", 86400},     {"weeks", 604800},
               {"week", 604800}, {"w", 604800},       {"months", 2629800}, {"month", 2629800}, {"M", 2629800},
               {"years", 31557600}, {"year", 31557600}, {"y", 31557600}};
  double total = 0;
  const char *p = s;
  bool any = false;
  while (*p) {
    while (*p == ' ') p++;
    if (!*p) break;
    char *end;
    double v = strtod(p, &end);
    if (end == p || v < 0) return false;
    p = end;
    while (*p == ' ') p++;
    const char *u = p;
    while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')) p++;
    size_t n = (size_t)(p - u);
    double mult = 1;
    if (n) {
      bool found = false;
      for (size_t i = 0; i < sizeof units / sizeof units[0] && !found; i++)
        if (strlen(units[i].u) == n && strncmp(units[i].u, u, n) == 0) mult = units[i].sec, found = true;
      if (!found) return false;
    }
    total += v * mult;
    any = true;
  }
  if (!any) return false;
  *out = total;
  return true;
}

typedef struct {
  char *val, *file;
  int line;
} jset;

static void journald_file(sh_pctx *c, const char *inroot, jset *storage, jset *retention) {
  char *text = sh_pctx_read(c, inroot, NULL, 0);
  if (!text) return;
  char *cursor = text, *ln;
  int line_no = 0;
  bool in_journal = false;
  while (sh_next_line(&cursor, &ln, &line_no)) {
    char *s = ln;
    while (*s == ' ' || *s == '\t') s++;
    if (!*s || *s == '#' || *s == ';') continue;
    if (*s == '[') {
      in_journal = sh_str_startswith(s, "[Journal]");
      continue;
    }
    if (!in_journal) continue;
    char *eq = strchr(s, '=');
    if (!eq) continue;
    char *ke = eq;
    while (ke > s && (ke[-1] == ' ' || ke[-1] == '\t')) ke--;
    char *v = eq + 1;
    while (*v == ' ' || *v == '\t') v++;
    size_t vn = strlen(v);
    while (vn && (v[vn - 1] == ' ' || v[vn - 1] == '\t')) v[--vn] = '\0';
    size_t kn = (size_t)(ke - s);
    jset *t = NULL;
    if (kn == 7 && strncmp(s, "Storage", 7) == 0) t = storage;
    else if (kn == 15 && strncmp(s, "MaxRetentionSec", 15) == 0) t = retention;
    if (t) { /* the last assignment wins */
      free(t->val);
      free(t->file);
      t->val = sh_strdup(v);
      t->file = sh_strdup(inroot);
      t->line = line_no;
    }
  }
  free(text);
}

static int cmp_base(const void *a, const void *b) {
  const char *x = *(char *const *)a, *y = *(char *const *)b;
  const char *bx = strrchr(x, '/'), *by = strrchr(y, '/');
  return strcmp(bx ? bx + 1 : x, by ? by + 1 : y);
}

static void journald(sh_pctx *c) {
  const char *main_file = "/etc/systemd/journald.conf";
  static const char *dropin_dirs[] = {"/usr/lib/systemd/journald.conf.d", "/usr/local/lib/systemd/journald.conf.d",
                                      "/etc/systemd/journald.conf.d", "/run/systemd/journald.conf.d"};
  jset storage = {0}, retention = {0};
  bool any = false;
  char *r = NULL;
  if (sh_pctx_exists(c, main_file) && (r = sh_pctx_resolve(c, main_file, (sh_loc){0}, NULL)) != NULL) {
    journald_file(c, r, &storage, &retention);
    any = true;
  }
  /* drop-ins: all folders merged and sorted by file name; a later folder's file replaces a same-named one */
  sh_vec files = {0};
  for (size_t i = 0; i < sizeof dropin_dirs / sizeof dropin_dirs[0]; i++) {
    sh_vec in = {0};
    sh_pctx_list_dir(c, dropin_dirs[i], ".conf", &in, (sh_loc){0}, NULL); /* a refusal is reported */
    for (size_t k = 0; k < in.n; k++) {
      bool replaced = false;
      for (size_t j = 0; j < files.n && !replaced; j++) {
        if (cmp_base(&files.v[j], &in.v[k]) == 0) {
          free(files.v[j]);
          files.v[j] = in.v[k];
          replaced = true;
        }
      }
      if (!replaced) sh_vec_push(&files, in.v[k]);
    }
    sh_vec_free(&in);
  }
  if (files.n) qsort(files.v, files.n, sizeof *files.v, cmp_base);
  for (size_t i = 0; i < files.n; i++) journald_file(c, files.v[i], &storage, &retention), any = true;
  sh_vec_free_all(&files, free);
  if (any) {
    static const char *modes[] = {"volatile", "persistent", "auto", "none"};
    const char *v = "auto";
    for (int i = 0; i < 4; i++)
      if (storage.val && strcmp(storage.val, modes[i]) == 0) v = modes[i];
    if (storage.val && strcmp(v, storage.val) != 0) {
      char *host = sh_pctx_host(c, storage.file);
      sh_diag_add(c->d, SH_SEV_WARNING, host, storage.line, 0, "unknown Storage=%s (journald uses auto)", storage.val);
      free(host);
    }
    if (storage.val)
      sh_pctx_fact(c, "system.journald.storage", v, storage.file, storage.line, "Storage=%s", storage.val);
    else
      sh_pctx_fact(c, "system.journald.storage", "auto", r, 0,
                   "Storage not set: default auto (persistent when /var/log/journal exists)");
    double sec = 0;
    if (retention.val && sh_timespan_seconds(retention.val, &sec) && sec > 0) {
      char buf[24];
      snprintf(buf, sizeof buf, "%lld", (long long)(sec / 86400));
      sh_pctx_fact(c, "system.journald.max_retention_days", buf, retention.file, retention.line,
                   "MaxRetentionSec=%s", retention.val);
    } else if (retention.val && !sh_timespan_seconds(retention.val, &sec)) {
      char *host = sh_pctx_host(c, retention.file);
      sh_diag_add(c->d, SH_SEV_WARNING, host, retention.line, 0, "MaxRetentionSec=%s is not a time span",
                  retention.val);
      free(host);
    }
  }
  free(r);
  free(storage.val);
  free(storage.file);
  free(retention.val);
  free(retention.file);
}

/* --- logrotate --- */

typedef struct {
  int rotate;
  double period;    /* days */
  char *rot_file;   /* where rotate was set (in-root) */
  int rot_line;
} lrstate;

typedef struct {
  sh_pctx *c;
  sh_pstack stack;
  lrstate global;
  bool have_global;
  int min_days;
  char *min_file, *min_what;
  int min_line;
  int blocks;
} lrp;

static const char *taboo_ext[] = {".dpkg-old", ".dpkg-dist", ".dpkg-new", ".dpkg-bak", ".dpkg-del", ".dpkg-tmp",
                                  ".ucf-old", ".ucf-dist", ".ucf-new", ".rpmsave", ".rpmorig", ".rpmnew", ".disabled",
                                  ".bak", ".old", ".orig", ".swp", "~", ",v", ".cfsaved", ".save", NULL};

static bool taboo(const char *name) {
  size_t n = strlen(name);
  for (int i = 0; taboo_ext[i]; i++) {
    size_t k = strlen(taboo_ext[i]);
    if (n >= k && strcmp(name + n - k, taboo_ext[i]) == 0) return true;
  }
  return false;
}

static void lr_file(lrp *p, const char *inroot, const char *from_file, int from_line);

static void lr_block_end(lrp *p, const lrstate *b, const char *inroot, int line, const char *what) {
  int days = (int)(b->rotate * b->period);
  p->blocks++;
  if (p->min_file == NULL || days < p->min_days) {
    p->min_days = days;
    free(p->min_file);
    free(p->min_what);
    p->min_file = sh_strdup(b->rot_file ? b->rot_file : inroot);
    p->min_line = b->rot_file ? b->rot_line : line;
    p->min_what = sh_strdup(what);
  }
}

static void lr_text(lrp *p, const char *inroot, char *text) {
  char *host = sh_pctx_host(p->c, inroot);
  char *cursor = text, *ln;
  int line_no = 0, block_line = 0;
  bool in_block = false, in_script = false;
  lrstate blk = {0};
  char *block_name = NULL;
  while (sh_next_line(&cursor, &ln, &line_no)) {
    sh_vec w = {0};
    sh_split_words(ln, &w);
    if (!w.n) {
      sh_vec_free(&w);
      continue;
    }
    const char *k = w.v[0];
    if (in_script) {
      if (strcmp(k, "endscript") == 0) in_script = false;
    } else if (strcmp(k, "postrotate") == 0 || strcmp(k, "prerotate") == 0 || strcmp(k, "firstaction") == 0 ||
               strcmp(k, "lastaction") == 0 || strcmp(k, "preremove") == 0) {
      in_script = true;
    } else if (strcmp(k, "}") == 0) {
      if (in_block) lr_block_end(p, &blk, inroot, block_line, block_name);
      in_block = false;
      free(block_name);
      block_name = NULL;
    } else if (!in_block && strcmp(w.v[w.n - 1], "{") == 0) {
      in_block = true;
      block_line = line_no;
      blk = p->global;
      sh_buf nm = {0};
      for (size_t i = 0; i + 1 < w.n; i++) sh_buf_printf(&nm, "%s%s", i ? " " : "", (char *)w.v[i]);
      block_name = sh_buf_steal(&nm);
    } else if (!in_block && strcmp(k, "include") == 0 && w.n == 2) {
      char *dir = sh_path_dirname(inroot);
      char *j = sh_pctx_join(dir, w.v[1]); /* a relative include is relative to the including file */
      char *what = sh_printf("include %s", (char *)w.v[1]);
      sh_loc at = {host, line_no, 0};
      char *r = sh_pctx_resolve(p->c, j, at, what);
      free(j);
      free(dir);
      if (r) {
        sh_vec files = {0};
        sh_pctx_rc rc = sh_pctx_list_dir(p->c, r, NULL, &files, at, what);
        if (rc == SH_PCTX_REFUSED) {
          /* reported */
        } else if (rc == SH_PCTX_OK) {
          for (size_t i = 0; i < files.n; i++) {
            const char *base = strrchr(files.v[i], '/');
            if (!taboo(base ? base + 1 : files.v[i])) lr_file(p, files.v[i], host, line_no);
          }
        } else if (sh_pctx_exists(p->c, r)) {
          lr_file(p, r, host, line_no);
        } else {
          sh_diag_add(p->c->d, SH_SEV_WARNING, host, line_no, 0, "include %s: no such file", (char *)w.v[1]);
        }
        sh_vec_free_all(&files, free);
      }
      free(r);
      free(what);
    } else {
      lrstate *st = in_block ? &blk : &p->global;
      double per = 0;
      if (strcmp(k, "hourly") == 0) per = 1.0 / 24;
      else if (strcmp(k, "daily") == 0) per = 1;
      else if (strcmp(k, "weekly") == 0) per = 7;
      else if (strcmp(k, "monthly") == 0) per = 30;
      else if (strcmp(k, "yearly") == 0) per = 365;
      if (per > 0) st->period = per;
      if (strcmp(k, "rotate") == 0 && w.n == 2) {
        st->rotate = atoi(w.v[1]);
        if (st->rotate < 0) st->rotate = 0;
        st->rot_line = line_no;
        if (in_block) {
          st->rot_file = (char *)inroot; /* borrowed for the block's lifetime; copied when kept */
        } else {
          p->have_global = true;
          free(p->global.rot_file);
          p->global.rot_file = sh_strdup(inroot);
        }
      }
    }
    sh_vec_free_all(&w, free);
  }
  free(block_name);
  free(host);
}

static void lr_file(lrp *p, const char *inroot, const char *from_file, int from_line) {
  if (!sh_pstack_enter(p->c, &p->stack, inroot, from_file, from_line)) return;
  char *text = sh_pctx_read(p->c, inroot, from_file, from_line);
  if (text) lr_text(p, inroot, text);
  free(text);
  sh_pstack_leave(&p->stack);
}

static void logrotate(sh_pctx *c) {
  const char *main_file = "/etc/logrotate.conf";
  if (!sh_pctx_exists(c, main_file)) return;
  char *r = sh_pctx_resolve(c, main_file, (sh_loc){0}, NULL);
  if (!r) return;
  lrp p = {.c = c};
  p.global.period = 1; /* no interval: rotated at every (daily) run */
  size_t before = c->res->files.n;
  lr_file(&p, r, NULL, 0);
  if (c->res->files.n > before) {
    char buf[24];
    int days = (int)(p.global.rotate * p.global.period);
    snprintf(buf, sizeof buf, "%d", days);
    if (p.have_global)
      sh_pctx_fact(c, "system.logrotate.default_retention_days", buf, p.global.rot_file, p.global.rot_line,
                   "global default: rotate %d, period %g day(s)", p.global.rotate, p.global.period);
    else
      sh_pctx_fact(c, "system.logrotate.default_retention_days", buf, r, 0, "no global rotate: logrotate keeps no old log");
    if (p.min_file) {
      snprintf(buf, sizeof buf, "%d", p.min_days);
      sh_pctx_fact(c, "system.logrotate.min_retention_days", buf, p.min_file, p.min_line,
                   "shortest retention among %d log blocks: %s", p.blocks, p.min_what);
    }
  }
  free(p.min_file);
  free(p.min_what);
  free(p.global.rot_file);
  sh_pstack_free(&p.stack);
  free(r);
}

void sh_probe_sys(sh_pctx *c) {
  crypttab(c);
  journald(c);
  logrotate(c);
}
