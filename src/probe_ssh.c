/* probe_ssh: OpenSSH sshd_config. See probe_ssh.h.
 * Semantics: for each keyword the first value obtained wins (sshd(8)); a Match block overrides the global
 * value for the connections it matches, so each fact takes the most permissive value among the global
 * setting and every Match block (whether or not the block can match: the probe does not know the clients).
 * A Match block opened in an included file ends with that file. */
#include "probe_ssh.h"

#include "i18n.h"

#include <stdlib.h>
#include <string.h>

enum { O_PASS, O_KBD, O_PAM, O_ROOT, O_AUTHM, O__N };

typedef struct {
  char *val;    /* owned; NULL = not set */
  char *file;   /* in-root path, owned */
  int line;
} opt;

typedef struct {
  opt o[O__N];
  char *file; /* where the Match line is (in-root, owned); NULL for the global block */
  int line;
  char *cond;
} block;

typedef struct {
  sh_pctx *c;
  sh_pstack stack;
  block global;
  sh_vec matches; /* block* */
  block *cur;
  bool main_read;
} sshp;

static int keyword_opt(const char *k) {
  if (sh_ieq(k, "PasswordAuthentication")) return O_PASS;
  if (sh_ieq(k, "KbdInteractiveAuthentication") || sh_ieq(k, "ChallengeResponseAuthentication")) return O_KBD;
  if (sh_ieq(k, "UsePAM")) return O_PAM;
  if (sh_ieq(k, "PermitRootLogin")) return O_ROOT;
  if (sh_ieq(k, "AuthenticationMethods")) return O_AUTHM;
  return -1;
}

static void block_free(block *b) {
  for (int i = 0; i < O__N; i++) {
    free(b->o[i].val);
    free(b->o[i].file);
  }
  free(b->file);
  free(b->cond);
}

static void read_file(sshp *p, const char *inroot, const char *from_file, int from_line);

static void do_include(sshp *p, sh_vec *args, const char *inroot, int line) {
  char *host = sh_pctx_host(p->c, inroot);
  for (size_t i = 1; i < args->n; i++) {
    char *pat = sh_pctx_join("/etc/ssh", args->v[i]);
    sh_vec files = {0};
    char *what = sh_printf("Include %s", (char *)args->v[i]);
    sh_pctx_rc grc = sh_pctx_glob(p->c, pat, &files, (sh_loc){host, line, 0}, what); /* a refusal is reported */
    free(what);
    if (grc == SH_PCTX_OK) {
      for (size_t k = 0; k < files.n; k++) {
        if (!sh_has_glob(pat) && !sh_pctx_exists(p->c, files.v[k])) {
          sh_diag_add(p->c->d, SH_SEV_WARNING, host, line, 0, "Include %s: no such file",
                      (char *)args->v[i]);
          continue;
        }
        read_file(p, files.v[k], host, line);
      }
    }
    sh_vec_free_all(&files, free);
    free(pat);
  }
  free(host);
}

static void read_file(sshp *p, const char *inroot, const char *from_file, int from_line) {
  if (!sh_pstack_enter(p->c, &p->stack, inroot, from_file, from_line)) return;
  char *text = sh_pctx_read(p->c, inroot, from_file, from_line);
  if (!text) {
    sh_pstack_leave(&p->stack);
    return;
  }
  if (!from_file) p->main_read = true;
  block *saved = p->cur;
  char *cursor = text, *ln;
  int line_no = 0;
  while (sh_next_line(&cursor, &ln, &line_no)) {
    /* "Keyword value", "Keyword=value" or "Keyword = value" */
    char *s = ln;
    while (*s == ' ' || *s == '\t') s++;
    if (!*s || *s == '#') continue;
    char *k = s;
    while (*s && *s != ' ' && *s != '\t' && *s != '=') s++;
    sh_vec args = {0};
    sh_vec_push(&args, sh_strndup(k, (size_t)(s - k)));
    while (*s == ' ' || *s == '\t') s++;
    if (*s == '=') s++;
    sh_split_words(s, &args);
    const char *kw = args.v[0];
    if (sh_ieq(kw, "Include")) {
      do_include(p, &args, inroot, line_no);
    } else if (sh_ieq(kw, "Match")) {
      block *b = sh_calloc(1, sizeof *b);
      b->file = sh_strdup(inroot);
      b->line = line_no;
      sh_buf cond = {0};
      for (size_t i = 1; i < args.n; i++) sh_buf_printf(&cond, "%s%s", i > 1 ? " " : "", (char *)args.v[i]);
      b->cond = sh_buf_steal(&cond);
      sh_vec_push(&p->matches, b);
      p->cur = b;
    } else {
      int o = keyword_opt(kw);
      if (o >= 0 && args.n >= 2 && !p->cur->o[o].val) { /* first value wins */
        sh_buf v = {0};
        for (size_t i = 1; i < args.n; i++) sh_buf_printf(&v, "%s%s", i > 1 ? " " : "", (char *)args.v[i]);
        p->cur->o[o].val = sh_buf_steal(&v);
        p->cur->o[o].file = sh_strdup(inroot);
        p->cur->o[o].line = line_no;
      }
    }
    sh_vec_free_all(&args, free);
  }
  p->cur = saved; /* a Match block opened in this file ends with it */
  free(text);
  sh_pstack_leave(&p->stack);
}

/* --- evaluation --- */

static bool yes(const char *v) { return v && sh_ieq(v, "yes"); }

/* The option of a Match block, or the global one when the block leaves it unset. */
static const opt *eff(const sshp *p, const block *b, int o) {
  if (b && b->o[o].val) return &b->o[o];
  return &p->global.o[o];
}

/* Number of distinct methods in each list; returns the smallest (0 for "any"/unset). */
static int min_factors(const char *authm) {
  if (!authm || sh_ieq(authm, "any")) return 0;
  int best = 1000;
  sh_vec lists = {0};
  sh_split_words(authm, &lists);
  for (size_t i = 0; i < lists.n; i++) {
    char *l = lists.v[i];
    sh_vec seen = {0};
    char *sv = NULL;
    for (char *tok = strtok_r(l, ",", &sv); tok; tok = strtok_r(NULL, ",", &sv)) {
      char *colon = strchr(tok, ':');
      if (colon) *colon = '\0';
      bool dup = false;
      for (size_t k = 0; k < seen.n; k++) dup |= strcmp(seen.v[k], tok) == 0;
      if (!dup) sh_vec_push(&seen, tok);
    }
    if ((int)seen.n < best) best = (int)seen.n;
    sh_vec_free(&seen);
  }
  sh_vec_free_all(&lists, free);
  return best == 1000 ? 0 : best;
}

/* AuthenticationMethods has a list made of password methods only (password, keyboard-interactive). */
static bool authm_password_alone(const char *authm) {
  if (!authm || sh_ieq(authm, "any")) return true;
  bool alone = false;
  sh_vec lists = {0};
  sh_split_words(authm, &lists);
  for (size_t i = 0; i < lists.n && !alone; i++) {
    bool only_pw = true;
    char *sv = NULL;
    for (char *tok = strtok_r(lists.v[i], ",", &sv); tok; tok = strtok_r(NULL, ",", &sv))
      if (!(sh_ieq(tok, "password") || sh_str_startswith(tok, "keyboard-interactive"))) only_pw = false;
    alone = only_pw;
  }
  sh_vec_free_all(&lists, free);
  return alone;
}

static int root_rank(const char *v) {
  if (!v) return 2; /* default prohibit-password */
  if (sh_ieq(v, "yes")) return 3;
  if (sh_ieq(v, "prohibit-password") || sh_ieq(v, "without-password")) return 2;
  if (sh_ieq(v, "forced-commands-only")) return 1;
  if (sh_ieq(v, "no")) return 0;
  return 3; /* unknown value: sshd refuses to start; count as the weakest */
}

static const char *root_name(int r) {
  static const char *n[] = {"denied", "forced_commands_only", "prohibit_password", "allowed"};
  return n[r];
}

static char *where(const sshp *p, const block *b) {
  if (!b) return sh_strdup(_("global"));
  char *host = sh_pctx_host(p->c, b->file);
  char *s = sh_printf(_("Match %s at %s:%d"), b->cond, host, b->line);
  free(host);
  return s;
}

/* A password alone can log in for connections of block b (NULL = global). Sets the deciding option. */
static bool password_possible(const sshp *p, const block *b, const opt **decider, char **why) {
  const opt *pass = eff(p, b, O_PASS), *kbd = eff(p, b, O_KBD), *pam = &p->global.o[O_PAM];
  const opt *am = eff(p, b, O_AUTHM);
  if (!authm_password_alone(am->val)) {
    *decider = am;
    *why = sh_printf(_("AuthenticationMethods %s: no list is a password alone"), am->val);
    return false;
  }
  if (!pass->val || yes(pass->val)) {
    *decider = pass;
    *why = pass->val ? sh_printf(_("PasswordAuthentication %s"), pass->val)
                     : sh_strdup(_("PasswordAuthentication not set: OpenSSH default yes"));
    return true;
  }
  if ((!kbd->val || yes(kbd->val)) && yes(pam->val)) {
    *decider = kbd->val ? kbd : pam;
    *why = sh_printf(_("KbdInteractiveAuthentication %s with UsePAM yes: PAM can ask for a password"),
                     kbd->val ? kbd->val : _("not set (default yes)"));
    return true;
  }
  *decider = pass;
  *why = sh_printf(_("PasswordAuthentication %s, keyboard-interactive %s"), pass->val,
                   yes(pam->val) ? _("disabled") : _("without PAM"));
  return false;
}

static void evaluate(sshp *p, const char *main_file) {
  size_t nb = p->matches.n;
  /* password */
  {
    const opt *dec = NULL;
    char *why = NULL;
    bool any = password_possible(p, NULL, &dec, &why);
    const block *wb = NULL;
    for (size_t i = 0; i < nb && !any; i++) {
      const block *b = p->matches.v[i];
      const opt *d2 = NULL;
      char *w2 = NULL;
      if (password_possible(p, b, &d2, &w2)) {
        any = true;
        free(why);
        why = w2;
        dec = d2;
        wb = b;
      } else {
        free(w2);
      }
    }
    char *wh = where(p, wb);
    sh_pctx_fact(p->c, "system.ssh.password_only_login", any ? "true" : "false",
                 dec->file ? dec->file : main_file, dec->line, "%s (%s)", why, wh);
    free(wh);
    free(why);
  }
  /* root login */
  {
    const opt *o = &p->global.o[O_ROOT];
    int r = root_rank(o->val);
    const block *wb = NULL;
    for (size_t i = 0; i < nb; i++) {
      const block *b = p->matches.v[i];
      if (b->o[O_ROOT].val && root_rank(b->o[O_ROOT].val) > r) {
        r = root_rank(b->o[O_ROOT].val);
        o = &b->o[O_ROOT];
        wb = b;
      }
    }
    char *wh = where(p, wb);
    if (o->val)
      sh_pctx_fact(p->c, "system.ssh.permit_root_login", root_name(r), o->file, o->line, "PermitRootLogin %s (%s)",
                   o->val, wh);
    else
      sh_pctx_fact(p->c, "system.ssh.permit_root_login", root_name(r), main_file, 0,
                   "PermitRootLogin not set: OpenSSH default prohibit-password");
    free(wh);
  }
  /* multi-factor */
  {
    const opt *o = &p->global.o[O_AUTHM];
    int f = min_factors(o->val);
    const block *wb = NULL;
    for (size_t i = 0; i < nb; i++) {
      const block *b = p->matches.v[i];
      if (b->o[O_AUTHM].val && min_factors(b->o[O_AUTHM].val) < f) {
        f = min_factors(b->o[O_AUTHM].val);
        o = &b->o[O_AUTHM];
        wb = b;
      }
    }
    char *wh = where(p, wb);
    if (o->val)
      sh_pctx_fact(p->c, "system.ssh.multi_factor", f >= 2 ? "true" : "false", o->file, o->line,
                   "AuthenticationMethods %s: %s (%s)", o->val,
                   f >= 2 ? _("every list needs two or more distinct methods") : _("a single method suffices"), wh);
    else
      sh_pctx_fact(p->c, "system.ssh.multi_factor", "false", main_file, 0,
                   "AuthenticationMethods not set: OpenSSH default any (one method suffices)");
    free(wh);
  }
}

void sh_probe_ssh(sh_pctx *c) {
  const char *main_file = "/etc/ssh/sshd_config";
  if (!sh_pctx_exists(c, main_file)) return;
  sshp p = {.c = c};
  p.cur = &p.global;
  char *r = sh_pctx_resolve(c, main_file, (sh_loc){0}, NULL);
  if (!r) return;
  read_file(&p, r, NULL, 0);
  if (p.main_read) evaluate(&p, r);
  free(r);
  block_free(&p.global);
  for (size_t i = 0; i < p.matches.n; i++) {
    block_free(p.matches.v[i]);
    free(p.matches.v[i]);
  }
  sh_vec_free(&p.matches);
  sh_pstack_free(&p.stack);
}
