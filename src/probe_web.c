/* probe_web: nginx and Apache TLS settings. See probe_web.h.
 * nginx: a server's ssl_protocols/ssl_ciphers come from the server block, else the enclosing http (mail,
 * stream) block, else nginx's default. Apache: a <VirtualHost> with SSLEngine on takes its own SSLProtocol/
 * SSLCipherSuite, else the global one, else mod_ssl's default. Explicit top-level settings count even when
 * no TLS server uses them yet (they apply to every server that will). The facts are the union of protocols
 * and "any weak cipher" over all these contexts; the line named is the setting admitting the oldest protocol
 * (or the first weak cipher string). */
#include "probe_web.h"

#include "i18n.h"

#include <stdlib.h>
#include <string.h>

static const char *proto_names[] = {"ssl2", "ssl3", "tls1_0", "tls1_1", "tls1_2", "tls1_3"};

static unsigned proto_bit(const char *w) {
  if (sh_ieq(w, "SSLv2")) return SH_P_SSL2;
  if (sh_ieq(w, "SSLv3")) return SH_P_SSL3;
  if (sh_ieq(w, "TLSv1")) return SH_P_TLS10;
  if (sh_ieq(w, "TLSv1.1")) return SH_P_TLS11;
  if (sh_ieq(w, "TLSv1.2")) return SH_P_TLS12;
  if (sh_ieq(w, "TLSv1.3")) return SH_P_TLS13;
  return 0;
}

static char *proto_set_text(unsigned m) {
  sh_buf b = {0};
  for (int i = 0; i < 6; i++)
    if (m & (1u << i)) sh_buf_printf(&b, "%s%s", b.len ? "," : "", proto_names[i]);
  return sh_buf_steal(&b);
}

static int lowest(unsigned m) {
  for (int i = 0; i < 6; i++)
    if (m & (1u << i)) return i;
  return 99;
}

/* --- cipher strings --- */

enum { W_NULL = 1, W_ANON = 2, W_EXPORT = 4, W_LOW = 8, W_DES = 16, W_3DES = 32, W_RC4 = 64, W_MD5 = 128 };
static const char *weak_names[] = {"NULL", "anon", "export", "low", "des", "3des", "rc4", "md5"};

/* Classes of weak suites a cipher-string element selects. */
static unsigned element_classes(const char *e) {
  unsigned m = 0;
  char *copy = sh_strdup(e);
  char *sv1 = NULL;
  for (char *part = strtok_r(copy, "+", &sv1); part; part = strtok_r(NULL, "+", &sv1)) {
    if (sh_ieq(part, "ALL")) m |= W_ANON | W_EXPORT | W_LOW | W_DES | W_3DES | W_RC4 | W_MD5;
    else if (sh_ieq(part, "COMPLEMENTOFALL") || sh_ieq(part, "eNULL") || sh_ieq(part, "NULL")) m |= W_NULL;
    else if (sh_ieq(part, "HIGH")) m |= W_ANON; /* HIGH includes anonymous DH/ECDH suites */
    else if (sh_ieq(part, "MEDIUM")) m |= W_ANON | W_RC4;
    else if (sh_ieq(part, "LOW")) m |= W_LOW | W_DES;
    else if (sh_ieq(part, "EXPORT") || sh_ieq(part, "EXP") || sh_str_startswith(part, "EXPORT")) m |= W_EXPORT;
    else if (sh_ieq(part, "aNULL") || sh_ieq(part, "ADH") || sh_ieq(part, "AECDH") || sh_ieq(part, "COMPLEMENTOFDEFAULT")) m |= W_ANON;
    else if (sh_ieq(part, "3DES")) m |= W_3DES;
    else if (sh_ieq(part, "DES")) m |= W_DES;
    else if (sh_ieq(part, "RC4")) m |= W_RC4;
    else if (sh_ieq(part, "MD5")) m |= W_MD5;
    else {
      /* a suite name such as DES-CBC3-SHA, ECDHE-RSA-RC4-SHA, EXP-RC4-MD5, ADH-AES128-SHA, NULL-SHA256 */
      if (strstr(part, "NULL")) m |= strstr(part, "ADH") || strstr(part, "AECDH") ? W_ANON : W_NULL;
      if (sh_str_startswith(part, "ADH-") || sh_str_startswith(part, "AECDH-") || strstr(part, "-anon-")) m |= W_ANON;
      if (sh_str_startswith(part, "EXP")) m |= W_EXPORT;
      if (strstr(part, "DES-CBC3") || strstr(part, "3DES")) m |= W_3DES;
      else if (strstr(part, "DES-CBC")) m |= W_DES;
      if (strstr(part, "RC4")) m |= W_RC4;
      size_t n = strlen(part);
      if (n > 4 && strcmp(part + n - 4, "-MD5") == 0) m |= W_MD5;
    }
  }
  free(copy);
  return m;
}

char *sh_cipher_string_weak(const char *ciphers) {
  unsigned added = 0, removed = 0;
  char *copy = sh_strdup(ciphers);
  char *sv2 = NULL;
  for (char *e = strtok_r(copy, ":, ", &sv2); e; e = strtok_r(NULL, ":, ", &sv2)) {
    if (*e == '@') continue; /* @STRENGTH, @SECLEVEL=n */
    if (*e == '!') {
      removed |= element_classes(e + 1); /* permanently removed */
    } else if (*e == '-') {
      added &= ~element_classes(e + 1);
    } else {
      added |= element_classes(*e == '+' ? e + 1 : e);
    }
  }
  free(copy);
  unsigned weak = added & ~removed;
  sh_buf b = {0};
  for (int i = 0; i < 8; i++)
    if (weak & (1u << i)) sh_buf_printf(&b, "%s%s", b.len ? "," : "", weak_names[i]);
  return sh_buf_steal(&b);
}

/* --- accumulation over contexts --- */

typedef struct {
  bool have_p, have_c;
  unsigned protos;
  char *p_file, *p_detail; /* in-root file of the setting admitting the oldest protocol */
  int p_line, p_low;
  bool weak;
  char *c_file, *c_detail;
  int c_line;
} webacc;

static void acc_protocols(webacc *a, unsigned m, const char *file, int line, const char *what) {
  a->protos |= m;
  int lo = lowest(m);
  if (!a->have_p || lo < a->p_low) {
    free(a->p_file);
    free(a->p_detail);
    a->p_file = sh_strdup(file);
    a->p_line = line;
    a->p_detail = sh_strdup(what);
    a->p_low = lo;
  }
  a->have_p = true;
}

static void acc_ciphers(webacc *a, const char *ciphers, const char *file, int line, const char *what) {
  char *weak = sh_cipher_string_weak(ciphers);
  bool w = *weak != '\0';
  if (!a->have_c || (w && !a->weak)) {
    free(a->c_file);
    free(a->c_detail);
    a->c_file = sh_strdup(file);
    a->c_line = line;
    a->c_detail = w ? sh_printf(_("%s admits weak ciphers (%s)"), what, weak) : sh_printf("%s", what);
    a->weak = w;
  }
  a->have_c = true;
  free(weak);
}

/* --- nginx --- */

typedef struct {
  char *val, *file; /* val: space-joined arguments; file in-root */
  int line;
} setting;

/* Records a protocols or ciphers directive that is set, at its file and line, described as
 * "DIRECTIVE value" (e.g. "nginx ssl_protocols TLSv1.2"). */
static void acc_protocols_set(webacc *a, const char *directive, unsigned (*parse)(const char *), const setting *st) {
  char *what = sh_printf("%s %s", directive, st->val);
  acc_protocols(a, parse(st->val), st->file, st->line, what);
  free(what);
}

static void acc_ciphers_set(webacc *a, const char *directive, const setting *st) {
  char *what = sh_printf("%s %s", directive, st->val);
  acc_ciphers(a, st->val, st->file, st->line, what);
  free(what);
}

typedef struct {
  setting protos, ciphers;
  bool tls;
  char *file;
  int line;
  int scope; /* index into scopes */
} nserver;

typedef struct {
  sh_pctx *c;
  sh_pstack stack;
  sh_vec scopes;  /* nserver* used as http/mail/stream scopes (tls unused) */
  sh_vec servers; /* nserver* */
  /* parse state */
  sh_vec blocks;  /* char* names of open blocks */
  sh_vec owners;  /* nserver* owning each open block level (scope or server or NULL) */
  bool main_read;
} nginxp;

static void setting_put(setting *s, sh_vec *args, const char *file, int line) {
  sh_buf b = {0};
  for (size_t i = 1; i < args->n; i++) sh_buf_printf(&b, "%s%s", i > 1 ? " " : "", (char *)args->v[i]);
  free(s->val);
  free(s->file);
  s->val = sh_buf_steal(&b);
  s->file = sh_strdup(file);
  s->line = line;
}

static void nserver_free(void *p) {
  nserver *s = p;
  free(s->protos.val);
  free(s->protos.file);
  free(s->ciphers.val);
  free(s->ciphers.file);
  free(s->file);
  free(s);
}

static nserver *current_owner(nginxp *p) {
  for (size_t i = p->owners.n; i-- > 0;)
    if (p->owners.v[i]) return p->owners.v[i];
  return NULL;
}

static void nginx_file(nginxp *p, const char *inroot, const char *from_file, int from_line);

static void nginx_statement(nginxp *p, sh_vec *args, bool opens, const char *inroot, int line) {
  const char *kw = args->v[0];
  char *host = sh_pctx_host(p->c, inroot);
  if (opens) {
    nserver *owner = NULL;
    bool top = strcmp(kw, "http") == 0 || strcmp(kw, "mail") == 0 || strcmp(kw, "stream") == 0;
    if (top && p->blocks.n == 0) {
      owner = sh_calloc(1, sizeof *owner); /* owned by p->scopes */
      owner->file = sh_strdup(inroot);
      owner->line = line;
      owner->scope = -1;
      sh_vec_push(&p->scopes, owner);
    } else if (strcmp(kw, "server") == 0 && p->blocks.n == 1) {
      owner = sh_calloc(1, sizeof *owner); /* owned by p->servers */
      owner->file = sh_strdup(inroot);
      owner->line = line;
      owner->scope = (int)p->scopes.n - 1;
      sh_vec_push(&p->servers, owner);
    }
    sh_vec_push(&p->blocks, sh_strdup(kw));
    sh_vec_push(&p->owners, owner);
  } else if (strcmp(kw, "include") == 0 && args->n == 2) {
    char *pat = sh_pctx_join("/etc/nginx", args->v[1]);
    sh_vec files = {0};
    char *what = sh_printf("include %s", (char *)args->v[1]);
    sh_pctx_rc grc = sh_pctx_glob(p->c, pat, &files, (sh_loc){host, line, 0}, what); /* a refusal is reported */
    free(what);
    if (grc == SH_PCTX_OK) {
      for (size_t k = 0; k < files.n; k++) {
        if (!sh_has_glob(pat) && !sh_pctx_exists(p->c, files.v[k])) {
          sh_diag_add(p->c->d, SH_SEV_WARNING, host, line, 0, "include %s: no such file", (char *)args->v[1]);
          continue;
        }
        nginx_file(p, files.v[k], host, line);
      }
    }
    sh_vec_free_all(&files, free);
    free(pat);
  } else {
    nserver *o = current_owner(p);
    bool direct = o && p->owners.n && p->owners.v[p->owners.n - 1] == o;
    if (o && direct && strcmp(kw, "ssl_protocols") == 0) setting_put(&o->protos, args, inroot, line);
    else if (o && direct && strcmp(kw, "ssl_ciphers") == 0) setting_put(&o->ciphers, args, inroot, line);
    else if (o && o->scope >= -1 && strcmp(kw, "listen") == 0) {
      for (size_t i = 2; i < args->n; i++)
        if (strcmp(args->v[i], "ssl") == 0 || strcmp(args->v[i], "quic") == 0) o->tls = true;
    } else if (o && strcmp(kw, "ssl") == 0 && args->n == 2 && strcmp(args->v[1], "on") == 0) {
      o->tls = true;
    }
  }
  free(host);
}

static void nginx_file(nginxp *p, const char *inroot, const char *from_file, int from_line) {
  if (!sh_pstack_enter(p->c, &p->stack, inroot, from_file, from_line)) return;
  char *text = sh_pctx_read(p->c, inroot, from_file, from_line);
  if (!text) {
    sh_pstack_leave(&p->stack);
    return;
  }
  if (!from_file) p->main_read = true;
  sh_vec args = {0};
  int line = 1, stmt_line = 0;
  const char *s = text;
  while (*s) {
    char ch = *s;
    if (ch == '\n') {
      line++;
      s++;
    } else if (ch == ' ' || ch == '\t' || ch == '\r') {
      s++;
    } else if (ch == '#') {
      while (*s && *s != '\n') s++;
    } else if (ch == ';' || ch == '{') {
      s++;
      if (args.n) nginx_statement(p, &args, ch == '{', inroot, stmt_line);
      sh_vec_free_all(&args, free);
    } else if (ch == '}') {
      s++;
      sh_vec_free_all(&args, free);
      if (p->blocks.n) {
        free(p->blocks.v[--p->blocks.n]);
        p->owners.n--;
      }
    } else {
      sh_buf w = {0};
      if (!args.n) stmt_line = line;
      if (ch == '"' || ch == '\'') {
        char q = *s++;
        while (*s && *s != q) {
          if (*s == '\\' && s[1]) s++;
          if (*s == '\n') line++;
          sh_buf_putc(&w, *s++);
        }
        if (*s) s++;
      } else {
        while (*s && !strchr(" \t\r\n;{}#", *s)) {
          if (*s == '\\' && s[1]) s++;
          sh_buf_putc(&w, *s++);
        }
      }
      sh_vec_push(&args, sh_buf_steal(&w));
    }
  }
  sh_vec_free_all(&args, free);
  free(text);
  sh_pstack_leave(&p->stack);
}

static unsigned nginx_protos(const char *val) {
  unsigned m = 0;
  sh_vec w = {0};
  sh_split_words(val, &w);
  for (size_t i = 0; i < w.n; i++) m |= proto_bit(w.v[i]);
  sh_vec_free_all(&w, free);
  return m;
}

static void nginx_probe(sh_pctx *c, webacc *a) {
  const char *main_file = "/etc/nginx/nginx.conf";
  if (!sh_pctx_exists(c, main_file)) return;
  nginxp p = {.c = c};
  char *r = sh_pctx_resolve(c, main_file, (sh_loc){0}, NULL);
  if (r) nginx_file(&p, r, NULL, 0);
  for (size_t i = 0; i < p.scopes.n; i++) {
    nserver *s = p.scopes.v[i];
    if (s->protos.val) {
      acc_protocols_set(a, "nginx ssl_protocols", nginx_protos, &s->protos);
    }
    if (s->ciphers.val) {
      acc_ciphers_set(a, "nginx ssl_ciphers", &s->ciphers);
    }
  }
  for (size_t i = 0; i < p.servers.n; i++) {
    nserver *s = p.servers.v[i];
    if (!s->tls) continue;
    nserver *scope = s->scope >= 0 ? p.scopes.v[s->scope] : NULL;
    const setting *pr = s->protos.val ? &s->protos : scope && scope->protos.val ? &scope->protos : NULL;
    const setting *ci = s->ciphers.val ? &s->ciphers : scope && scope->ciphers.val ? &scope->ciphers : NULL;
    if (pr) {
      if (pr == &s->protos) {
        acc_protocols_set(a, "nginx ssl_protocols", nginx_protos, pr);
      }
    } else {
      acc_protocols(a, SH_P_TLS10 | SH_P_TLS11 | SH_P_TLS12 | SH_P_TLS13, s->file, s->line,
                    "nginx TLS server without ssl_protocols: nginx default (before 1.23.4: TLSv1 TLSv1.1 TLSv1.2; "
                    "TLSv1.3 with OpenSSL 1.1.1+)");
    }
    if (ci) {
      if (ci == &s->ciphers) {
        acc_ciphers_set(a, "nginx ssl_ciphers", ci);
      }
    } else {
      acc_ciphers(a, "HIGH:!aNULL:!MD5", s->file, s->line, "nginx TLS server without ssl_ciphers: default HIGH:!aNULL:!MD5");
    }
  }
  free(r);
  sh_vec_free_all(&p.scopes, nserver_free);
  sh_vec_free_all(&p.servers, nserver_free);
  sh_vec_free_all(&p.blocks, free);
  sh_vec_free(&p.owners);
  sh_pstack_free(&p.stack);
}

/* --- Apache --- */

typedef struct {
  sh_pctx *c;
  sh_pstack stack;
  char *server_root; /* in-root */
  nserver global;
  sh_vec vhosts;     /* nserver* */
  nserver *cur;      /* open <VirtualHost>, or NULL */
  bool main_read;
} apachep;

static void apache_file(apachep *p, const char *inroot, const char *from_file, int from_line);

static void apache_include(apachep *p, sh_vec *args, bool optional, const char *inroot, int line) {
  char *host = sh_pctx_host(p->c, inroot);
  for (size_t i = 1; i < args->n; i++) {
    char *pat = sh_pctx_join(p->server_root, args->v[i]);
    sh_vec files = {0};
    char *what = sh_printf("%s %s", (char *)args->v[0], (char *)args->v[i]);
    sh_loc at = {host, line, 0};
    if (sh_pctx_glob(p->c, pat, &files, at, what) != SH_PCTX_OK) {
      /* reported */
    } else if (!sh_has_glob(pat) && files.n == 1) {
      /* a folder: every file in it; a file; or nothing */
      sh_vec inner = {0};
      sh_pctx_rc rc = sh_pctx_list_dir(p->c, files.v[0], NULL, &inner, at, what);
      if (rc == SH_PCTX_OK) {
        for (size_t k = 0; k < inner.n; k++) apache_file(p, inner.v[k], host, line);
      } else if (rc == SH_PCTX_REFUSED) {
        /* reported */
      } else if (sh_pctx_exists(p->c, files.v[0])) {
        apache_file(p, files.v[0], host, line);
      } else if (!optional) {
        sh_diag_add(p->c->d, SH_SEV_WARNING, host, line, 0, "Include %s: no such file", (char *)args->v[i]);
      }
      sh_vec_free_all(&inner, free);
    } else {
      for (size_t k = 0; k < files.n; k++) apache_file(p, files.v[k], host, line);
      if (!files.n && !optional)
        sh_diag_add(p->c->d, SH_SEV_WARNING, host, line, 0, "Include %s matches no file", (char *)args->v[i]);
    }
    sh_vec_free_all(&files, free);
    free(pat);
    free(what);
  }
  free(host);
}

static void apache_file(apachep *p, const char *inroot, const char *from_file, int from_line) {
  if (!sh_pstack_enter(p->c, &p->stack, inroot, from_file, from_line)) return;
  char *text = sh_pctx_read(p->c, inroot, from_file, from_line);
  if (!text) {
    sh_pstack_leave(&p->stack);
    return;
  }
  if (!from_file) p->main_read = true;
  char *cursor = text, *ln;
  int line_no = 0;
  sh_buf joined = {0};
  int start = 0;
  while (sh_next_line(&cursor, &ln, &line_no)) {
    size_t n = strlen(ln);
    if (!joined.len) start = line_no;
    if (n && ln[n - 1] == '\\') { /* continuation */
      sh_buf_put(&joined, ln, n - 1);
      sh_buf_putc(&joined, ' ');
      continue;
    }
    sh_buf_puts(&joined, ln);
    char *s = joined.data;
    while (*s == ' ' || *s == '\t') s++;
    if (*s && *s != '#') {
      sh_vec args = {0};
      if (*s == '<') {
        char *gt = strrchr(s, '>');
        if (gt) *gt = '\0';
        sh_split_words(s + 1, &args);
      } else {
        sh_split_words(s, &args);
      }
      const char *kw = args.n ? args.v[0] : "";
      if (sh_ieq(kw, "VirtualHost")) {
        nserver *v = sh_calloc(1, sizeof *v); /* owned by p->vhosts */
        v->file = sh_strdup(inroot);
        v->line = start;
        sh_vec_push(&p->vhosts, v);
        p->cur = v;
      } else if (sh_ieq(kw, "/VirtualHost")) {
        p->cur = NULL;
      } else if (sh_ieq(kw, "Include") || sh_ieq(kw, "IncludeOptional")) {
        apache_include(p, &args, sh_ieq(kw, "IncludeOptional"), inroot, start);
      } else if (sh_ieq(kw, "ServerRoot") && args.n == 2 && !p->cur) {
        free(p->server_root);
        p->server_root = sh_strdup(args.v[1]);
      } else {
        nserver *o = p->cur ? p->cur : &p->global;
        if (sh_ieq(kw, "SSLProtocol")) setting_put(&o->protos, &args, inroot, start); /* last wins */
        else if (sh_ieq(kw, "SSLCipherSuite")) {
          /* SSLCipherSuite [protocol] cipher-spec: TLSv1.3 suites are all strong */
          if (!(args.n == 3 && sh_ieq(args.v[1], "TLSv1.3"))) {
            if (args.n == 3 && sh_ieq(args.v[1], "SSL")) {
              free(args.v[1]);
              args.v[1] = args.v[2];
              args.n = 2;
            }
            setting_put(&o->ciphers, &args, inroot, start);
          }
        } else if (sh_ieq(kw, "SSLEngine") && args.n == 2) {
          o->tls = sh_ieq(args.v[1], "on") || sh_ieq(args.v[1], "optional");
        }
      }
      sh_vec_free_all(&args, free);
    }
    sh_buf_clear(&joined);
  }
  sh_buf_free(&joined);
  free(text);
  sh_pstack_leave(&p->stack);
}

static unsigned apache_protos(const char *val) {
  unsigned m = 0;
  const unsigned all = SH_P_TLS10 | SH_P_TLS11 | SH_P_TLS12 | SH_P_TLS13;
  sh_vec w = {0};
  sh_split_words(val, &w);
  for (size_t i = 0; i < w.n; i++) {
    const char *t = w.v[i];
    char act = 0;
    if (*t == '+' || *t == '-') act = *t++;
    unsigned b = sh_ieq(t, "all") ? all : proto_bit(t);
    if (act == '-') m &= ~b;
    else if (act == '+') m |= b;
    else m = b; /* a bare protocol replaces what came before (mod_ssl) */
  }
  sh_vec_free_all(&w, free);
  return m;
}

static void apache_probe(sh_pctx *c, webacc *a) {
  static const struct {
    const char *file, *root;
  } mains[] = {{"/etc/apache2/apache2.conf", "/etc/apache2"}, {"/etc/httpd/conf/httpd.conf", "/etc/httpd"}};
  for (size_t m = 0; m < sizeof mains / sizeof mains[0]; m++) {
    if (!sh_pctx_exists(c, mains[m].file)) continue;
    apachep p = {.c = c, .server_root = sh_strdup(mains[m].root)};
    char *r = sh_pctx_resolve(c, mains[m].file, (sh_loc){0}, NULL);
    if (r) apache_file(&p, r, NULL, 0);
    nserver *g = &p.global;
    if (g->protos.val) {
      acc_protocols_set(a, "Apache SSLProtocol", apache_protos, &g->protos);
    }
    if (g->ciphers.val) {
      acc_ciphers_set(a, "Apache SSLCipherSuite", &g->ciphers);
    }
    for (size_t i = 0; i < p.vhosts.n; i++) {
      nserver *v = p.vhosts.v[i];
      if (!v->tls && !(g->tls && !v->protos.val)) continue;
      if (v->protos.val) {
        acc_protocols_set(a, "Apache SSLProtocol", apache_protos, &v->protos);
      } else if (!g->protos.val) {
        acc_protocols(a, SH_P_TLS10 | SH_P_TLS11 | SH_P_TLS12 | SH_P_TLS13, v->file, v->line,
                      "Apache TLS virtual host without SSLProtocol: mod_ssl default all -SSLv3");
      }
      if (v->ciphers.val) {
        acc_ciphers_set(a, "Apache SSLCipherSuite", &v->ciphers);
      } else if (!g->ciphers.val) {
        acc_ciphers(a, "DEFAULT:!aNULL:!eNULL:!LOW:!EXP:!RC4:!3DES:!MD5", v->file, v->line,
                    "Apache TLS virtual host without SSLCipherSuite: mod_ssl/OpenSSL default");
      }
    }
    free(r);
    free(p.server_root);
    free(g->protos.val);
    free(g->protos.file);
    free(g->ciphers.val);
    free(g->ciphers.file);
    sh_vec_free_all(&p.vhosts, nserver_free);
    sh_pstack_free(&p.stack);
  }
}

void sh_probe_web(sh_pctx *c) {
  webacc a = {0};
  nginx_probe(c, &a);
  apache_probe(c, &a);
  if (a.have_p) {
    char *v = proto_set_text(a.protos);
    sh_pctx_fact(c, "system.web.tls_protocols", v, a.p_file, a.p_line, "%s", a.p_detail);
    free(v);
  }
  if (a.have_c)
    sh_pctx_fact(c, "system.web.weak_ciphers", a.weak ? "true" : "false", a.c_file, a.c_line, "%s", a.c_detail);
  free(a.p_file);
  free(a.p_detail);
  free(a.c_file);
  free(a.c_detail);
}
