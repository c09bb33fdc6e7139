/* probe_pg: PostgreSQL configuration. See probe_pg.h.
 * Clusters: /etc/postgresql/VERSION/NAME/postgresql.conf (Debian), /var/lib/pgsql[/VERSION]/data and
 * /var/lib/postgresql/data. With several clusters each fact takes the weakest value among them. */
#include "probe_pg.h"

#include "i18n.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
  char *val, *file; /* file in-root */
  int line;
} pset;

enum { S_SSL, S_PWENC, S_LOGCONN, S_HBA, S__N };
static const char *setting_names[S__N] = {"ssl", "password_encryption", "log_connections", "hba_file"};

typedef struct {
  sh_pctx *c;
  sh_pstack stack;
  pset s[S__N];
  bool main_read;
} pgconf;

static void pg_conf_file(pgconf *p, const char *inroot, const char *from_file, int from_line, bool if_exists);

/* Parses `name [=] value [# comment]`. Returns false for blank/comment lines. */
static bool conf_line(const char *ln, char **name, char **value) {
  const char *s = ln;
  while (*s == ' ' || *s == '\t') s++;
  if (!*s || *s == '#') return false;
  const char *k = s;
  while (*s && *s != ' ' && *s != '\t' && *s != '=' && *s != '#') s++;
  *name = sh_strndup(k, (size_t)(s - k));
  while (*s == ' ' || *s == '\t') s++;
  if (*s == '=') s++;
  while (*s == ' ' || *s == '\t') s++;
  sh_buf v = {0};
  if (*s == '\'') {
    s++;
    while (*s) {
      if (*s == '\'' && s[1] == '\'') {
        sh_buf_putc(&v, '\'');
        s += 2;
      } else if (*s == '\'') {
        break;
      } else if (*s == '\\' && s[1]) {
        sh_buf_putc(&v, s[1]);
        s += 2;
      } else {
        sh_buf_putc(&v, *s++);
      }
    }
  } else {
    while (*s && *s != ' ' && *s != '\t' && *s != '#') sh_buf_putc(&v, *s++);
  }
  *value = sh_buf_steal(&v);
  return true;
}

static void pg_conf_text(pgconf *p, const char *inroot, char *text) {
  char *host = sh_pctx_host(p->c, inroot);
  char *dir = sh_path_dirname(inroot);
  char *cursor = text, *ln;
  int line_no = 0;
  while (sh_next_line(&cursor, &ln, &line_no)) {
    char *name = NULL, *value = NULL;
    if (!conf_line(ln, &name, &value)) continue;
    if (sh_ieq(name, "include") || sh_ieq(name, "include_if_exists")) {
      char *target = sh_pctx_join(dir, value);
      char *what = sh_printf("%s '%s'", name, value);
      char *r = sh_pctx_resolve(p->c, target, (sh_loc){host, line_no, 0}, what);
      free(what);
      if (!r) {
        /* reported */
      } else if (!sh_pctx_exists(p->c, r)) {
        if (sh_ieq(name, "include"))
          sh_error(p->c->d, host, line_no, 0, "include '%s': no such file (PostgreSQL refuses to start)", value);
      } else {
        pg_conf_file(p, r, host, line_no, false);
      }
      free(r);
      free(target);
    } else if (sh_ieq(name, "include_dir")) {
      char *target = sh_pctx_join(dir, value);
      sh_vec files = {0};
      char *what = sh_printf("include_dir '%s'", value);
      sh_pctx_list_dir(p->c, target, ".conf", &files, (sh_loc){host, line_no, 0}, what); /* a refusal is reported */
      free(what);
      for (size_t i = 0; i < files.n; i++) pg_conf_file(p, files.v[i], host, line_no, false);
      sh_vec_free_all(&files, free);
      free(target);
    } else {
      for (int k = 0; k < S__N; k++) {
        if (!sh_ieq(name, setting_names[k])) continue;
        free(p->s[k].val); /* last value wins */
        free(p->s[k].file);
        p->s[k].val = sh_strdup(value);
        p->s[k].file = sh_strdup(inroot);
        p->s[k].line = line_no;
      }
    }
    free(name);
    free(value);
  }
  free(dir);
  free(host);
}

static void pg_conf_file(pgconf *p, const char *inroot, const char *from_file, int from_line, bool if_exists) {
  (void)if_exists;
  if (!sh_pstack_enter(p->c, &p->stack, inroot, from_file, from_line)) return;
  char *text = sh_pctx_read(p->c, inroot, from_file, from_line);
  if (text && !from_file) p->main_read = true;
  if (text) pg_conf_text(p, inroot, text);
  free(text);
  sh_pstack_leave(&p->stack);
}

/* PostgreSQL booleans: on/off, true/false, yes/no, 1/0 and unique prefixes. -1 when not a boolean. */
static int pg_bool(const char *v) {
  static const char *t[] = {"on", "true", "yes", "1"}, *f[] = {"off", "false", "no", "0"};
  size_t n = strlen(v);
  if (n == 0) return -1;
  for (int i = 0; i < 4; i++) {
    if (sh_ieq(v, t[i])) return 1;
    if (sh_ieq(v, f[i])) return 0;
  }
  if (n >= 2 && strncmp(v, "of", 2) != 0 && strncmp(v, "on", 2) != 0) {
    if (strncmp("true", v, n) == 0 || strncmp("yes", v, n) == 0) return 1;
    if (strncmp("false", v, n) == 0 || strncmp("no", v, n) == 0) return 0;
  }
  return -1;
}

/* --- pg_hba.conf --- */

typedef struct {
  int nontls;             /* host/hostnossl lines not rejecting */
  char *nontls_file;      /* first one */
  int nontls_line;
  bool remote;            /* a non-TLS line for addresses other than loopback */
  char *remote_file;
  int remote_line;
  char *remote_addr;
  uint64_t methods;       /* bits: index in method_names */
  int weakest;            /* rank of the weakest method seen (see method_rank) */
  char *weak_file;
  int weak_line;
  char *weak_method;
  bool read;
} hba;

static const char *method_names[] = {"trust", "password", "md5", "scram_sha_256", "peer", "ident", "gss", "sspi",
                                     "pam", "ldap", "radius", "cert", "bsd", NULL};

static int method_index(const char *m) {
  char buf[32];
  size_t n = strlen(m);
  if (n >= sizeof buf) return -1;
  for (size_t i = 0; i <= n; i++) buf[i] = m[i] == '-' ? '_' : m[i];
  for (int i = 0; method_names[i]; i++)
    if (strcmp(buf, method_names[i]) == 0) return i;
  return -1;
}

/* Lower is weaker: trust 0, password 1, md5 2, others 3. */
static int method_rank(int idx) { return idx < 0 ? 3 : idx <= 2 ? idx : 3; }

static bool looks_like_ip(const char *s) {
  if (!*s) return false;
  for (const char *p = s; *p; p++)
    if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f') || (*p >= 'A' && *p <= 'F') || *p == '.' || *p == ':'))
      return false;
  return strchr(s, '.') || strchr(s, ':');
}

static bool loopback(const char *addr) {
  return sh_str_startswith(addr, "127.") || strcmp(addr, "::1/128") == 0 || strcmp(addr, "::1") == 0 ||
         strcmp(addr, "localhost") == 0 || strcmp(addr, "samehost") == 0;
}

static void set_str(char **dst, const char *s) {
  free(*dst);
  *dst = sh_strdup(s);
}

static void hba_file(pgconf *p, hba *h, const char *inroot, const char *from_file, int from_line);

static void hba_text(pgconf *p, hba *h, const char *inroot, char *text) {
  char *host = sh_pctx_host(p->c, inroot);
  char *dir = sh_path_dirname(inroot);
  char *cursor = text, *ln;
  int line_no = 0;
  while (sh_next_line(&cursor, &ln, &line_no)) {
    sh_vec w = {0};
    sh_split_words(ln, &w);
    if (w.n == 0) {
      sh_vec_free(&w);
      continue;
    }
    const char *type = w.v[0];
    if ((strcmp(type, "include") == 0 || strcmp(type, "include_if_exists") == 0 || strcmp(type, "include_dir") == 0) &&
        w.n == 2) {
      char *target = sh_pctx_join(dir, w.v[1]);
      char *what = sh_printf("%s %s", type, (char *)w.v[1]);
      sh_loc at = {host, line_no, 0};
      if (strcmp(type, "include_dir") == 0) {
        sh_vec files = {0};
        sh_pctx_list_dir(p->c, target, ".conf", &files, at, what); /* a refusal is reported */
        for (size_t i = 0; i < files.n; i++) hba_file(p, h, files.v[i], host, line_no);
        sh_vec_free_all(&files, free);
      } else {
        char *r = sh_pctx_resolve(p->c, target, at, what);
        if (!r)
          ; /* reported */
        else if (sh_pctx_exists(p->c, r))
          hba_file(p, h, r, host, line_no);
        else if (strcmp(type, "include") == 0)
          sh_error(p->c->d, host, line_no, 0, "include %s: no such file", (char *)w.v[1]);
        free(r);
      }
      free(what);
      free(target);
      sh_vec_free_all(&w, free);
      continue;
    }
    const char *method = NULL, *addr = NULL;
    bool is_host = strcmp(type, "host") == 0 || strcmp(type, "hostnossl") == 0;
    bool is_tcp = is_host || strcmp(type, "hostssl") == 0 || strcmp(type, "hostgssenc") == 0 ||
                  strcmp(type, "hostnogssenc") == 0;
    if (strcmp(type, "local") == 0 && w.n >= 4) {
      method = w.v[3];
    } else if (is_tcp && w.n >= 5) {
      addr = w.v[3];
      size_t mi = 4;
      if (!strchr(addr, '/') && looks_like_ip(addr) && w.n >= 6 && looks_like_ip(w.v[4])) mi = 5;
      method = w.v[mi];
    } else {
      sh_diag_add(p->c->d, SH_SEV_WARNING, host, line_no, 0, "pg_hba.conf line not understood");
      sh_vec_free_all(&w, free);
      continue;
    }
    if (strcmp(method, "reject") != 0) {
      int mi = method_index(method);
      if (mi >= 0) h->methods |= 1ull << mi;
      int rank = method_rank(mi);
      if (!h->weak_file || rank < h->weakest) {
        h->weakest = rank;
        set_str(&h->weak_file, inroot);
        set_str(&h->weak_method, method);
        h->weak_line = line_no;
      }
      if (is_host || strcmp(type, "hostnogssenc") == 0) {
        if (h->nontls++ == 0) {
          set_str(&h->nontls_file, inroot);
          h->nontls_line = line_no;
        }
        if (!loopback(addr) && !h->remote) {
          h->remote = true;
          set_str(&h->remote_file, inroot);
          set_str(&h->remote_addr, addr);
          h->remote_line = line_no;
        }
      }
    }
    sh_vec_free_all(&w, free);
  }
  free(dir);
  free(host);
}

static void hba_file(pgconf *p, hba *h, const char *inroot, const char *from_file, int from_line) {
  if (!sh_pstack_enter(p->c, &p->stack, inroot, from_file, from_line)) return;
  char *text = sh_pctx_read(p->c, inroot, from_file, from_line);
  if (text) {
    h->read = true;
    hba_text(p, h, inroot, text);
  }
  free(text);
  sh_pstack_leave(&p->stack);
}

/* --- clusters and facts --- */

typedef struct {
  bool have;
  int worst;        /* per fact: larger is weaker */
  char *value, *file, *detail;
  int line;
} agg;

static void agg_put(agg *a, int weakness, const char *value, const char *file, int line, char *detail) {
  if (!a->have || weakness > a->worst) {
    set_str(&a->value, value);
    set_str(&a->file, file);
    a->line = line;
    free(a->detail);
    a->detail = detail;
    a->worst = weakness;
    a->have = true;
  } else {
    free(detail);
  }
}

static void agg_emit(sh_pctx *c, agg *a, const char *fact) {
  if (a->have) sh_pctx_fact(c, fact, a->value, a->file, a->line, "%s", a->detail);
  free(a->value);
  free(a->file);
  free(a->detail);
}

enum { F_SSL, F_PWENC, F_LOGCONN, F_NONTLS, F_REMOTE, F_METHODS, F__N };
static const char *fact_names[F__N] = {"system.postgresql.ssl", "system.postgresql.password_encryption",
                                       "system.postgresql.log_connections", "system.postgresql.non_tls_host_lines",
                                       "system.postgresql.non_tls_remote_access", "system.postgresql.hba_methods"};

static void cluster(sh_pctx *c, const char *conf, agg *facts, int *nontls_total) {
  pgconf p = {.c = c};
  pg_conf_file(&p, conf, NULL, 0, false);
  if (!p.main_read) goto out;
  /* the major version from a Debian path /etc/postgresql/15/main */
  int version = 0;
  if (sh_str_startswith(conf, "/etc/postgresql/")) version = atoi(conf + strlen("/etc/postgresql/"));
  const pset *s = &p.s[S_SSL];
  int on = s->val ? pg_bool(s->val) : 0;
  agg_put(&facts[F_SSL], on == 1 ? 0 : 1, on == 1 ? "true" : "false", s->val ? s->file : conf, s->line,
          s->val ? sh_printf("ssl = %s", s->val) : sh_strdup(_("ssl not set: PostgreSQL default off")));
  s = &p.s[S_PWENC];
  {
    const char *v;
    char *why;
    if (s->val) {
      bool md5 = sh_ieq(s->val, "md5") || pg_bool(s->val) == 1;
      v = md5 ? "md5" : "scram_sha_256";
      why = sh_printf("password_encryption = %s", s->val);
    } else if (version && version < 14) {
      v = "md5";
      why = sh_printf(_("password_encryption not set: PostgreSQL %d default md5"), version);
    } else {
      v = "scram_sha_256";
      why = sh_strdup(_("password_encryption not set: PostgreSQL 14+ default scram-sha-256"));
    }
    agg_put(&facts[F_PWENC], strcmp(v, "md5") == 0, v, s->val ? s->file : conf, s->line, why);
  }
  s = &p.s[S_LOGCONN];
  {
    int b = s->val ? pg_bool(s->val) : 0;
    bool yes = b == 1 || (b == -1 && s->val && *s->val); /* PostgreSQL 18: a list of aspects */
    agg_put(&facts[F_LOGCONN], !yes, yes ? "true" : "false", s->val ? s->file : conf, s->line,
            s->val ? sh_printf("log_connections = %s", s->val) : sh_strdup(_("log_connections not set: default off")));
  }
  /* pg_hba.conf: hba_file, else next to postgresql.conf */
  char *hba_path;
  if (p.s[S_HBA].val) {
    hba_path = sh_strdup(p.s[S_HBA].val);
    if (hba_path[0] != '/') { /* relative to the data directory; unusual: take the config folder */
      char *dir = sh_path_dirname(conf);
      char *j = sh_path_join(dir, hba_path);
      free(dir);
      free(hba_path);
      hba_path = j;
    }
  } else {
    char *dir = sh_path_dirname(conf);
    hba_path = sh_path_join(dir, "pg_hba.conf");
    free(dir);
  }
  char *hba_host = sh_pctx_host(c, p.s[S_HBA].file ? p.s[S_HBA].file : conf);
  char *what = sh_printf("hba_file '%s'", hba_path);
  char *r = sh_pctx_resolve(c, hba_path, (sh_loc){hba_host, p.s[S_HBA].line, 0}, what);
  free(what);
  free(hba_host);
  if (!r) {
    /* reported */
  } else if (sh_pctx_exists(c, r)) {
    hba h = {0};
    hba_file(&p, &h, r, NULL, 0);
    if (h.read) {
      *nontls_total += h.nontls;
      agg_put(&facts[F_NONTLS], *nontls_total, "", h.nontls ? h.nontls_file : r, h.nontls ? h.nontls_line : 0,
              h.nontls ? sh_printf(_("first of the host/hostnossl lines accepting connections without TLS"))
                       : sh_strdup(_("no host/hostnossl line accepts connections without TLS")));
      agg_put(&facts[F_REMOTE], h.remote, h.remote ? "true" : "false", h.remote ? h.remote_file : r,
              h.remote ? h.remote_line : 0,
              h.remote ? sh_printf(_("non-TLS access from %s"), h.remote_addr)
                       : sh_strdup(_("non-TLS lines (if any) are for loopback addresses only")));
      sh_buf m = {0};
      for (int i = 0; method_names[i]; i++)
        if (h.methods & (1ull << i)) sh_buf_printf(&m, "%s%s", m.len ? "," : "", method_names[i]);
      /* union over clusters: merge into the existing value */
      if (facts[F_METHODS].have && facts[F_METHODS].value && *facts[F_METHODS].value) {
        char *merged = sh_printf("%s%s%s", facts[F_METHODS].value, m.len ? "," : "", sh_buf_str(&m));
        sh_buf_clear(&m);
        sh_buf_puts(&m, merged);
        free(merged);
      }
      int weakness = 3 - h.weakest;
      char *detail = h.weak_file ? sh_printf(_("weakest method %s"), h.weak_method) : sh_strdup(_("no accepting line"));
      if (facts[F_METHODS].have && weakness <= facts[F_METHODS].worst) {
        set_str(&facts[F_METHODS].value, sh_buf_str(&m));
        free(detail);
      } else {
        agg_put(&facts[F_METHODS], weakness, sh_buf_str(&m), h.weak_file ? h.weak_file : r, h.weak_line, detail);
      }
      sh_buf_free(&m);
    }
    free(h.nontls_file);
    free(h.remote_file);
    free(h.remote_addr);
    free(h.weak_file);
    free(h.weak_method);
  }
  free(r);
  free(hba_path);
out:
  for (int k = 0; k < S__N; k++) {
    free(p.s[k].val);
    free(p.s[k].file);
  }
  sh_pstack_free(&p.stack);
}

void sh_probe_pg(sh_pctx *c) {
  static const char *patterns[] = {"/etc/postgresql/*/*/postgresql.conf", "/var/lib/pgsql/data/postgresql.conf",
                                   "/var/lib/pgsql/*/data/postgresql.conf", "/var/lib/postgresql/data/postgresql.conf"};
  agg facts[F__N] = {0};
  int nontls_total = 0;
  for (size_t i = 0; i < sizeof patterns / sizeof patterns[0]; i++) {
    sh_vec confs = {0};
    if (sh_pctx_glob(c, patterns[i], &confs, (sh_loc){0}, NULL) == SH_PCTX_OK) { /* a refusal is reported */
      for (size_t k = 0; k < confs.n; k++)
        if (sh_pctx_exists(c, confs.v[k])) cluster(c, confs.v[k], facts, &nontls_total);
    }
    sh_vec_free_all(&confs, free);
  }
  if (facts[F_NONTLS].have) {
    char buf[24];
    snprintf(buf, sizeof buf, "%d", nontls_total);
    set_str(&facts[F_NONTLS].value, buf);
  }
  for (int k = 0; k < F__N; k++) agg_emit(c, &facts[k], fact_names[k]);
}
