/* expr: requirement expressions: lexer, parser with type checking, three-valued
 * evaluation, explanations and printing. See expr.h and docs/formats.md §2. */
#include "expr.h"

#include "i18n.h"

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---------- lexer ---------- */

typedef enum {
  TK_END, TK_IDENT, TK_INT, TK_DATE, TK_STRING,
  TK_EQ, TK_NE, TK_LT, TK_LE, TK_GT, TK_GE,
  TK_LPAREN, TK_RPAREN, TK_LBRACK, TK_RBRACK, TK_COMMA, TK_ERROR,
} tkind;

typedef struct {
  tkind kind;
  size_t start, len; /* byte offsets */
  char *text;        /* IDENT / STRING (unescaped) / INT / DATE text; owned */
} token;

typedef struct {
  const sh_vocab *vocab;
  const char *src;
  size_t pos;   /* byte position of the lexer */
  token tok;    /* current token */
  sh_diags *d; /* receives the one parse or type error */
  bool failed;
} parser;

static int char_offset(const char *s, size_t byte) {
  int n = 0;
  for (size_t i = 0; i < byte && s[i]; i++)
    if (((unsigned char)s[i] & 0xC0) != 0x80) n++;
  return n;
}

static void perr(parser *P, size_t byte, const char *fmt, ...) SH_PRINTF(3, 4);
static void perr(parser *P, size_t byte, const char *fmt, ...) {
  if (P->failed) return;
  P->failed = true;
  va_list ap;
  va_start(ap, fmt);
  sh_diag_vaddc(P->d, SH_DIAG_DATA, SH_SEV_ERROR, NULL, 0, char_offset(P->src, byte) + 1, fmt, ap);
  va_end(ap);
}

static bool is_ident_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
}

static void next(parser *P) {
  free(P->tok.text);
  memset(&P->tok, 0, sizeof P->tok);
  const char *s = P->src;
  while (s[P->pos] == ' ' || s[P->pos] == '\t' || s[P->pos] == '\n' || s[P->pos] == '\r') P->pos++;
  size_t st = P->pos;
  token *t = &P->tok;
  t->start = st;
  char c = s[st];
  if (!c) {
    t->kind = TK_END;
    return;
  }
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_') {
    size_t e = st;
    while (is_ident_char(s[e])) e++;
    t->kind = TK_IDENT;
    t->len = e - st;
    t->text = sh_strndup(s + st, t->len);
    P->pos = e;
    return;
  }
  if ((c >= '0' && c <= '9') || (c == '-' && s[st + 1] >= '0' && s[st + 1] <= '9')) {
    size_t e = st + 1;
    while (s[e] >= '0' && s[e] <= '9') e++;
    /* A date: 4 digits '-' 2 digits '-' 2 digits. */
    if (c != '-' && e - st == 4 && s[e] == '-') {
      size_t f = e + 1;
      while ((s[f] >= '0' && s[f] <= '9') || s[f] == '-') f++;
      t->kind = TK_DATE;
      t->len = f - st;
    } else {
      t->kind = TK_INT;
      t->len = e - st;
      if (is_ident_char(s[e])) {
        size_t f = e;
        while (is_ident_char(s[f])) f++;
        t->kind = TK_ERROR;
        t->len = f - st;
      }
    }
    t->text = sh_strndup(s + st, t->len);
    P->pos = st + t->len;
    return;
  }
  if (c == '"' || c == '\'') {
    sh_buf b = {0};
    size_t e = st + 1;
    while (s[e] && s[e] != c) {
      if (s[e] == '\\' && s[e + 1]) e++;
      sh_buf_putc(&b, s[e]);
      e++;
    }
    if (!s[e]) {
      sh_buf_free(&b);
      t->kind = TK_ERROR;
      t->len = e - st;
      P->pos = e;
      perr(P, st, "unterminated string");
      return;
    }
    t->kind = TK_STRING;
    t->len = e + 1 - st;
    t->text = sh_buf_steal(&b);
    P->pos = e + 1;
    return;
  }
  t->len = 1;
  switch (c) {
  case '=': t->kind = TK_EQ; if (s[st + 1] == '=') t->len = 2; break;
  case '!':
    if (s[st + 1] == '=') t->kind = TK_NE, t->len = 2;
    else t->kind = TK_ERROR;
    break;
  case '<': t->kind = TK_LT; if (s[st + 1] == '=') t->kind = TK_LE, t->len = 2; break;
  case '>': t->kind = TK_GT; if (s[st + 1] == '=') t->kind = TK_GE, t->len = 2; break;
  case '(': t->kind = TK_LPAREN; break;
  case ')': t->kind = TK_RPAREN; break;
  case '[': t->kind = TK_LBRACK; break;
  case ']': t->kind = TK_RBRACK; break;
  case ',': t->kind = TK_COMMA; break;
  default: {
    t->kind = TK_ERROR;
    unsigned char u = (unsigned char)c;
    t->len = u < 0x80 ? 1 : u < 0xE0 ? 2 : u < 0xF0 ? 3 : 4;
  }
  }
  P->pos = st + t->len;
}

static bool tok_is_kw(const parser *P, const char *kw) {
  return P->tok.kind == TK_IDENT && strcmp(P->tok.text, kw) == 0;
}

static const char *tok_desc(const parser *P, char *buf, size_t n) {
  if (P->tok.kind == TK_END) return _("end of expression");
  snprintf(buf, n, "'%.*s'", (int)(P->tok.len > 40 ? 40 : P->tok.len), P->src + P->tok.start);
  return buf;
}

/* ---------- construction ---------- */

void sh_expr_free(sh_expr *e) {
  if (!e) return;
  for (size_t i = 0; i < e->n; i++) sh_expr_free(e->kids[i]);
  free(e->kids);
  free(e->lit.text);
  free(e);
}

sh_expr *sh_expr_clone(const sh_expr *e) {
  sh_expr *c = sh_malloc(sizeof *c);
  *c = *e;
  c->lit.text = sh_strdup(e->lit.text);
  if (e->n) {
    c->kids = sh_malloc(e->n * sizeof *c->kids);
    for (size_t i = 0; i < e->n; i++) c->kids[i] = sh_expr_clone(e->kids[i]);
  } else {
    c->kids = NULL;
  }
  return c;
}

sh_expr *sh_expr_new_atom(const sh_fact *f, sh_op op, const sh_value *lit) {
  sh_expr *e = sh_calloc(1, sizeof *e);
  e->kind = SH_E_ATOM;
  e->fact = f;
  e->op = op;
  if (lit) sh_value_copy(&e->lit, lit);
  e->lit.type = f->type;
  return e;
}

sh_expr *sh_expr_new_not(sh_expr *kid) {
  sh_expr *e = sh_calloc(1, sizeof *e);
  e->kind = SH_E_NOT;
  e->kids = sh_malloc(sizeof *e->kids);
  e->kids[0] = kid;
  e->n = 1;
  e->pos = kid->pos;
  return e;
}

sh_expr *sh_expr_new_nary(sh_ekind kind, sh_expr **kids, size_t n) {
  if (n == 1) return kids[0];
  sh_expr *e = sh_calloc(1, sizeof *e);
  e->kind = kind;
  e->kids = sh_malloc(n * sizeof *e->kids);
  memcpy(e->kids, kids, n * sizeof *kids);
  e->n = n;
  e->pos = n ? kids[0]->pos : 0;
  return e;
}

/* ---------- parser ---------- */

static sh_expr *parse_or(parser *P, int depth);

static const char *closest_fact(const sh_vocab *v, const char *name) { return sh_vocab_closest(v, name); }

static void value_list(const sh_fact *f, sh_buf *b) {
  for (size_t j = 0; j < f->nvalues; j++) sh_buf_printf(b, "%s%s", j ? ", " : "", f->values[j]);
}

/* Parses one literal of fact f's element type (for enum/set: a value name). Consumes the token. */
static bool parse_literal(parser *P, const sh_fact *f, sh_value *out) {
  token *t = &P->tok;
  size_t at = t->start;
  memset(out, 0, sizeof *out);
  out->type = f->type;
  char buf[64];
  switch (f->type) {
  case SH_T_BOOL:
    if (tok_is_kw(P, "true") || tok_is_kw(P, "false")) {
      out->b = t->text[0] == 't';
      next(P);
      return true;
    }
    perr(P, at, "fact '%s' is boolean: expected true or false, found %s", f->id, tok_desc(P, buf, sizeof buf));
    return false;
  case SH_T_INT:
    if (t->kind == TK_INT) {
      errno = 0;
      long long v = strtoll(t->text, NULL, 10);
      if (errno == ERANGE) {
        perr(P, at, "integer out of range");
        return false;
      }
      out->i = v;
      next(P);
      return true;
    }
    perr(P, at, "fact '%s' is an integer%s%s%s: expected a number, found %s", f->id, f->unit ? " (" : "",
         f->unit ? f->unit : "", f->unit ? ")" : "", tok_desc(P, buf, sizeof buf));
    return false;
  case SH_T_DATE: {
    sh_date dt;
    if ((t->kind == TK_DATE || t->kind == TK_STRING) && sh_date_parse(t->text, &dt)) {
      out->i = dt;
      next(P);
      return true;
    }
    perr(P, at, "fact '%s' is a date: expected YYYY-MM-DD, found %s", f->id, tok_desc(P, buf, sizeof buf));
    return false;
  }
  case SH_T_ENUM:
  case SH_T_SET: {
    if (t->kind == TK_IDENT || t->kind == TK_STRING) {
      int k = sh_fact_value_index(f, t->text);
      if (k >= 0) {
        if (f->type == SH_T_ENUM) out->i = k;
        else out->set = 1ull << k;
        next(P);
        return true;
      }
      sh_buf b = {0};
      value_list(f, &b);
      perr(P, at, "'%s' is not a value of fact '%s' (expected one of: %s)", t->text, f->id, sh_buf_str(&b));
      sh_buf_free(&b);
      return false;
    }
    if (f->type == SH_T_ENUM)
      perr(P, at, "fact '%s' is an %s: expected one of its values, found %s", f->id, sh_type_name(f->type),
           tok_desc(P, buf, sizeof buf));
    else
      perr(P, at, "fact '%s' is a %s: expected one of its values, found %s", f->id, sh_type_name(f->type),
           tok_desc(P, buf, sizeof buf));
    return false;
  }
  case SH_T_TEXT:
    if (t->kind == TK_STRING) {
      out->text = sh_strdup(t->text);
      next(P);
      return true;
    }
    perr(P, at, "fact '%s' is text: expected a quoted string, found %s", f->id, tok_desc(P, buf, sizeof buf));
    return false;
  }
  return false;
}

/* '[' literal {',' literal} ']' for an enum or set fact: returns the mask. */
static bool parse_list(parser *P, const sh_fact *f, uint64_t *mask) {
  char buf[64];
  *mask = 0;
  if (P->tok.kind != TK_LBRACK) {
    perr(P, P->tok.start, "expected a list '[...]' of values of '%s', found %s", f->id, tok_desc(P, buf, sizeof buf));
    return false;
  }
  next(P);
  if (P->tok.kind == TK_RBRACK) {
    perr(P, P->tok.start, "empty list");
    return false;
  }
  for (;;) {
    sh_value v;
    if (!parse_literal(P, f, &v)) return false;
    *mask |= f->type == SH_T_ENUM ? (1ull << v.i) : v.set;
    if (P->tok.kind == TK_COMMA) {
      next(P);
      continue;
    }
    if (P->tok.kind == TK_RBRACK) {
      next(P);
      return true;
    }
    perr(P, P->tok.start, "expected ',' or ']' in list, found %s", tok_desc(P, buf, sizeof buf));
    return false;
  }
}

static sh_expr *parse_test(parser *P) {
  char buf[64];
  token *t = &P->tok;
  if (t->kind != TK_IDENT || tok_is_kw(P, "true") || tok_is_kw(P, "false") || tok_is_kw(P, "and") ||
      tok_is_kw(P, "or") || tok_is_kw(P, "in") || tok_is_kw(P, "contains") || tok_is_kw(P, "subset")) {
    if (t->kind == TK_ERROR && !P->failed)
      perr(P, t->start, "unexpected character %s", tok_desc(P, buf, sizeof buf));
    else
      perr(P, t->start, "expected a fact, 'not' or '(', found %s", tok_desc(P, buf, sizeof buf));
    return NULL;
  }
  size_t at = t->start;
  const sh_fact *f = sh_vocab_find(P->vocab, t->text);
  if (!f) {
    const char *near = closest_fact(P->vocab, t->text);
    if (near) perr(P, at, "unknown fact '%s' (did you mean '%s'?)", t->text, near);
    else perr(P, at, "unknown fact '%s'", t->text);
    return NULL;
  }
  next(P);
  sh_expr *e = sh_calloc(1, sizeof *e);
  e->kind = SH_E_ATOM;
  e->fact = f;
  e->pos = char_offset(P->src, at);
  e->lit.type = f->type;
  size_t opat = P->tok.start;
  tkind k = P->tok.kind;
  if (k >= TK_EQ && k <= TK_GE) {
    static const sh_op ops[] = {SH_OP_EQ, SH_OP_NE, SH_OP_LT, SH_OP_LE, SH_OP_GT, SH_OP_GE};
    e->op = ops[k - TK_EQ];
    if (e->op >= SH_OP_LT && f->type != SH_T_INT && f->type != SH_T_DATE) {
      perr(P, opat, "operator '%s' needs an integer or date fact; '%s' is %s", sh_op_text(e->op), f->id,
           sh_type_name(f->type));
      goto fail;
    }
    next(P);
    if (f->type == SH_T_SET) {
      if (!parse_list(P, f, &e->lit.set)) goto fail;
    } else if (!parse_literal(P, f, &e->lit)) {
      goto fail;
    }
    return e;
  }
  if (tok_is_kw(P, "not") || tok_is_kw(P, "in")) {
    bool neg = tok_is_kw(P, "not");
    if (neg) {
      next(P);
      if (!tok_is_kw(P, "in")) {
        perr(P, P->tok.start, "expected 'in' after 'not' here, found %s", tok_desc(P, buf, sizeof buf));
        goto fail;
      }
    }
    if (f->type != SH_T_ENUM) {
      perr(P, opat, "'in' needs an enum fact; '%s' is %s%s", f->id, sh_type_name(f->type),
           f->type == SH_T_SET ? _(" (use 'contains any' or 'subset of')") : "");
      goto fail;
    }
    next(P);
    e->op = neg ? SH_OP_NOT_IN : SH_OP_IN;
    if (!parse_list(P, f, &e->lit.set)) goto fail;
    return e;
  }
  if (tok_is_kw(P, "contains")) {
    if (f->type != SH_T_SET) {
      perr(P, opat, "'contains' needs a set fact; '%s' is %s", f->id, sh_type_name(f->type));
      goto fail;
    }
    next(P);
    if (tok_is_kw(P, "all") || tok_is_kw(P, "any")) {
      e->op = P->tok.text[1] == 'l' ? SH_OP_CONTAINS_ALL : SH_OP_CONTAINS_ANY;
      next(P);
      if (!parse_list(P, f, &e->lit.set)) goto fail;
    } else {
      e->op = SH_OP_CONTAINS_ALL;
      if (!parse_literal(P, f, &e->lit)) goto fail;
    }
    return e;
  }
  if (tok_is_kw(P, "subset")) {
    if (f->type != SH_T_SET) {
      perr(P, opat, "'subset of' needs a set fact; '%s' is %s", f->id, sh_type_name(f->type));
      goto fail;
    }
    next(P);
    if (!tok_is_kw(P, "of")) {
      perr(P, P->tok.start, "expected 'of' after 'subset', found %s", tok_desc(P, buf, sizeof buf));
      goto fail;
    }
    next(P);
    e->op = SH_OP_SUBSET;
    if (!parse_list(P, f, &e->lit.set)) goto fail;
    return e;
  }
  /* A bare fact. */
  if (f->type != SH_T_BOOL) {
    perr(P, at, "fact '%s' is %s, not boolean: it needs a comparison here", f->id, sh_type_name(f->type));
    goto fail;
  }
  e->op = SH_OP_EQ;
  e->lit.b = true;
  e->bare = true;
  return e;
fail:
  sh_expr_free(e);
  return NULL;
}

static sh_expr *parse_unary(parser *P, int depth) {
  if (depth > 100) {
    perr(P, P->tok.start, "expression nested too deeply");
    return NULL;
  }
  if (tok_is_kw(P, "not")) {
    size_t at = P->tok.start;
    next(P);
    sh_expr *k = parse_unary(P, depth + 1);
    if (!k) return NULL;
    sh_expr *e = sh_expr_new_not(k);
    e->pos = char_offset(P->src, at);
    return e;
  }
  if (P->tok.kind == TK_LPAREN) {
    size_t at = P->tok.start;
    next(P);
    sh_expr *e = parse_or(P, depth + 1);
    if (!e) return NULL;
    if (P->tok.kind != TK_RPAREN) {
      char buf[64];
      if (P->tok.kind == TK_END) perr(P, at, "unclosed '('");
      else perr(P, P->tok.start, "expected ')', found %s", tok_desc(P, buf, sizeof buf));
      sh_expr_free(e);
      return NULL;
    }
    next(P);
    return e;
  }
  return parse_test(P);
}

static sh_expr *parse_nary(parser *P, int depth, const char *kw, sh_ekind kind) {
  sh_vec kids = {0};
  for (;;) {
    sh_expr *k = kind == SH_E_OR ? parse_nary(P, depth, "and", SH_E_AND) : parse_unary(P, depth);
    if (!k) {
      sh_vec_free_all(&kids, (void (*)(void *))sh_expr_free);
      return NULL;
    }
    /* Flatten nested same-kind nodes so that (a and b) and c has three kids. */
    if (k->kind == kind) {
      for (size_t i = 0; i < k->n; i++) sh_vec_push(&kids, k->kids[i]);
      k->n = 0;
      sh_expr_free(k);
    } else {
      sh_vec_push(&kids, k);
    }
    if (!tok_is_kw(P, kw)) break;
    next(P);
  }
  sh_expr *e = sh_expr_new_nary(kind, (sh_expr **)kids.v, kids.n);
  sh_vec_free(&kids);
  return e;
}

static sh_expr *parse_or(parser *P, int depth) { return parse_nary(P, depth, "or", SH_E_OR); }

sh_expr *sh_expr_parse(const sh_vocab *vocab, const char *text, sh_diags *d) {
  parser P = {0};
  P.vocab = vocab;
  P.src = text;
  P.d = d;
  next(&P);
  if (P.tok.kind == TK_END) {
    perr(&P, 0, "empty expression");
    free(P.tok.text);
    return NULL;
  }
  sh_expr *e = P.failed ? NULL : parse_or(&P, 0);
  if (e && P.tok.kind != TK_END) {
    char buf[64];
    if (tok_is_kw(&P, "not") || tok_is_kw(&P, "in") || tok_is_kw(&P, "contains"))
      perr(&P, P.tok.start, "unexpected %s (an operator must follow a fact)", tok_desc(&P, buf, sizeof buf));
    else
      perr(&P, P.tok.start, "unexpected %s: expected 'and', 'or' or end of expression", tok_desc(&P, buf, sizeof buf));
    sh_expr_free(e);
    e = NULL;
  }
  if (P.failed) {
    sh_expr_free(e);
    e = NULL;
  }
  free(P.tok.text);
  return e;
}

sh_expr *sh_expr_parse_node(const sh_vocab *vocab, const sh_ydoc *doc, const sh_ynode *node, const char *what,
                            sh_diags *d) {
  const char *text = sh_y_str(doc, node, what, d);
  if (!text) return NULL;
  sh_diags err = {0};
  sh_expr *e = sh_expr_parse(vocab, text, &err);
  if (e) return e;
  const sh_diag *pe = &err.v[err.n - 1];
  /* Translate the offset inside the expression into a file position. Plain and quoted scalars
   * on one line map exactly; for block scalars the text starts on the next line. */
  int line = node->line, col = node->col;
  int off = pe->col - 1;
  if (node->style == '|' || node->style == '>') {
    line++;
    col = node->col + 2;
  } else if (node->style == '\'' || node->style == '"') {
    col++;
  }
  /* Count newlines before the offset for multi-line scalars. */
  int chars = 0;
  for (const char *p = text; *p && chars < off; p++) {
    if (((unsigned char)*p & 0xC0) == 0x80) continue;
    chars++;
    if (*p == '\n') {
      line++;
      off -= chars;
      chars = 0;
    }
  }
  sh_error(d, doc->file, line, col + off, "in %s: %s", what, pe->msg);
  sh_diags_free(&err);
  return NULL;
}

/* ---------- evaluation ---------- */

sh_tv sh_atom_eval(const sh_expr *a, const sh_value *v) {
  if (!v) return SH_TV_UNKNOWN;
  const sh_value *l = &a->lit;
  bool r = false;
  switch (a->op) {
  case SH_OP_EQ: r = sh_value_equal(v, l); break;
  case SH_OP_NE: r = !sh_value_equal(v, l); break;
  case SH_OP_LT: r = v->i < l->i; break;
  case SH_OP_LE: r = v->i <= l->i; break;
  case SH_OP_GT: r = v->i > l->i; break;
  case SH_OP_GE: r = v->i >= l->i; break;
  case SH_OP_IN: r = v->i >= 0 && v->i < 64 && (l->set & (1ull << v->i)); break;
  case SH_OP_NOT_IN: r = !(v->i >= 0 && v->i < 64 && (l->set & (1ull << v->i))); break;
  case SH_OP_CONTAINS_ALL: r = (v->set & l->set) == l->set; break;
  case SH_OP_CONTAINS_ANY: r = (v->set & l->set) != 0; break;
  case SH_OP_SUBSET: r = (v->set & ~l->set) == 0; break;
  }
  return r ? SH_TV_TRUE : SH_TV_FALSE;
}

sh_tv sh_expr_eval(const sh_expr *e, sh_lookup_fn lookup, const void *ctx) {
  switch (e->kind) {
  case SH_E_ATOM: return sh_atom_eval(e, lookup(ctx, e->fact));
  case SH_E_NOT: {
    sh_tv t = sh_expr_eval(e->kids[0], lookup, ctx);
    return t == SH_TV_UNKNOWN ? t : t == SH_TV_TRUE ? SH_TV_FALSE : SH_TV_TRUE;
  }
  case SH_E_AND: {
    sh_tv r = SH_TV_TRUE;
    for (size_t i = 0; i < e->n; i++) {
      sh_tv t = sh_expr_eval(e->kids[i], lookup, ctx);
      if (t == SH_TV_FALSE) return SH_TV_FALSE;
      if (t == SH_TV_UNKNOWN) r = SH_TV_UNKNOWN;
    }
    return r;
  }
  case SH_E_OR: {
    sh_tv r = SH_TV_FALSE;
    for (size_t i = 0; i < e->n; i++) {
      sh_tv t = sh_expr_eval(e->kids[i], lookup, ctx);
      if (t == SH_TV_TRUE) return SH_TV_TRUE;
      if (t == SH_TV_UNKNOWN) r = SH_TV_UNKNOWN;
    }
    return r;
  }
  }
  return SH_TV_UNKNOWN;
}

/* ---------- printing ---------- */

const char *sh_op_text(sh_op op) {
  switch (op) {
  case SH_OP_EQ: return "=";
  case SH_OP_NE: return "!=";
  case SH_OP_LT: return "<";
  case SH_OP_LE: return "<=";
  case SH_OP_GT: return ">";
  case SH_OP_GE: return ">=";
  case SH_OP_IN: return "in";
  case SH_OP_NOT_IN: return "not in";
  case SH_OP_CONTAINS_ALL: return "contains all";
  case SH_OP_CONTAINS_ANY: return "contains any";
  case SH_OP_SUBSET: return "subset of";
  }
  return "?";
}

static void put_mask(sh_buf *b, const sh_fact *f, uint64_t mask) {
  sh_buf_putc(b, '[');
  bool first = true;
  for (size_t k = 0; k < f->nvalues; k++) {
    if (!(mask & (1ull << k))) continue;
    sh_buf_printf(b, "%s%s", first ? "" : ", ", f->values[k]);
    first = false;
  }
  sh_buf_putc(b, ']');
}

static int popcount64(uint64_t x) {
  int n = 0;
  while (x) x &= x - 1, n++;
  return n;
}

/* The right-hand side of an atom: "= 30", "contains any [a, b]". */
static void put_requirement(sh_buf *b, const sh_expr *a) {
  const sh_fact *f = a->fact;
  switch (a->op) {
  case SH_OP_IN:
  case SH_OP_NOT_IN:
  case SH_OP_CONTAINS_ANY:
  case SH_OP_SUBSET:
    sh_buf_printf(b, "%s ", sh_op_text(a->op));
    put_mask(b, f, a->lit.set);
    return;
  case SH_OP_CONTAINS_ALL:
    if (popcount64(a->lit.set) == 1) {
      for (size_t k = 0; k < f->nvalues; k++)
        if (a->lit.set & (1ull << k)) sh_buf_printf(b, "contains %s", f->values[k]);
    } else {
      sh_buf_puts(b, "contains all ");
      put_mask(b, f, a->lit.set);
    }
    return;
  default: {
    char *v = sh_value_format(f, &a->lit);
    sh_buf_printf(b, "%s %s", sh_op_text(a->op), v);
    free(v);
  }
  }
}

static void put_expr(sh_buf *b, const sh_expr *e, int parent_prec) {
  /* precedence: or 1, and 2, not 3, atom 4 */
  int prec = e->kind == SH_E_OR ? 1 : e->kind == SH_E_AND ? 2 : e->kind == SH_E_NOT ? 3 : 4;
  bool paren = prec < parent_prec;
  if (paren) sh_buf_putc(b, '(');
  switch (e->kind) {
  case SH_E_ATOM:
    sh_buf_puts(b, e->fact->id);
    if (!e->bare) {
      sh_buf_putc(b, ' ');
      put_requirement(b, e);
    }
    break;
  case SH_E_NOT:
    sh_buf_puts(b, "not ");
    put_expr(b, e->kids[0], 3);
    break;
  case SH_E_AND:
  case SH_E_OR:
    for (size_t i = 0; i < e->n; i++) {
      if (i) sh_buf_puts(b, e->kind == SH_E_AND ? " and " : " or ");
      put_expr(b, e->kids[i], prec + 1);
    }
    break;
  }
  if (paren) sh_buf_putc(b, ')');
}

char *sh_expr_to_string(const sh_expr *e) {
  sh_buf b = {0};
  put_expr(&b, e, 0);
  return sh_buf_steal(&b);
}

static void collect_facts(const sh_expr *e, sh_vec *out) {
  if (e->kind == SH_E_ATOM) {
    for (size_t i = 0; i < out->n; i++)
      if (out->v[i] == e->fact) return;
    sh_vec_push(out, (void *)e->fact);
    return;
  }
  for (size_t i = 0; i < e->n; i++) collect_facts(e->kids[i], out);
}

void sh_expr_facts(const sh_expr *e, sh_vec *out) { collect_facts(e, out); }

/* ---------- explanations ---------- */

void sh_reason_free(void *p) {
  sh_reason *r = p;
  if (!r) return;
  free(r->condition);
  free(r->required);
  free(r->actual);
  free(r->message);
  free(r->key);
  for (size_t i = 0; i < r->nargs; i++) {
    free(r->args[i]);
    if (r->ja) free(r->ja[i]);
    if (r->sub) sh_reason_free(r->sub[i]);
  }
  free(r->args);
  free(r->ja);
  free(r->sub);
  free(r);
}

/* One printf conversion at *p (just after '%'): its position (N of %N$, else 0), the spec without the
 * position ("%-5lld") in spec, its length modifier and conversion letter. Returns the end, or NULL when the
 * text is not a conversion. */
typedef struct {
  int pos;
  char spec[32];
  char len[3];
  char conv;
} conv_spec;

static const char *read_conv(const char *p, conv_spec *c) {
  memset(c, 0, sizeof *c);
  const char *q = p;
  int n = 0;
  while (*q >= '0' && *q <= '9') n = n * 10 + (*q++ - '0');
  if (*q == '$' && n > 0) c->pos = n, p = q + 1;
  q = p;
  while (*q && strchr("-+ #0'", *q)) q++;
  while ((*q >= '0' && *q <= '9') || *q == '.' || *q == '*') q++;
  const char *l = q;
  while (*q && strchr("hlzjtL", *q)) q++;
  if ((size_t)(q - l) >= sizeof c->len || !*q || !strchr("diouxXcsfFeEgGaAp", *q)) return NULL;
  memcpy(c->len, l, (size_t)(q - l));
  c->conv = *q;
  size_t sl = (size_t)(q + 1 - p);
  if (sl + 2 > sizeof c->spec) return NULL;
  c->spec[0] = '%';
  memcpy(c->spec + 1, p, sl);
  return q + 1;
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
/* The next argument of ap converted by the conversion c (its spec is checked by the caller's format attribute). */
static char *convert_arg(const conv_spec *c, va_list *ap) {
  bool l = strcmp(c->len, "l") == 0, ll = strcmp(c->len, "ll") == 0, z = strcmp(c->len, "z") == 0,
       j = strcmp(c->len, "j") == 0, t = strcmp(c->len, "t") == 0;
  switch (c->conv) {
  case 's': {
    const char *s = va_arg(*ap, const char *);
    return sh_printf(c->spec, s ? s : "(null)");
  }
  case 'c': return sh_printf(c->spec, va_arg(*ap, int));
  case 'p': return sh_printf(c->spec, va_arg(*ap, void *));
  case 'd': case 'i':
    if (ll) return sh_printf(c->spec, va_arg(*ap, long long));
    if (l) return sh_printf(c->spec, va_arg(*ap, long));
    if (z) return sh_printf(c->spec, va_arg(*ap, ptrdiff_t)); /* %zd: the signed size type */
    if (j) return sh_printf(c->spec, va_arg(*ap, intmax_t));
    if (t) return sh_printf(c->spec, va_arg(*ap, ptrdiff_t));
    return sh_printf(c->spec, va_arg(*ap, int));
  case 'o': case 'u': case 'x': case 'X':
    if (ll) return sh_printf(c->spec, va_arg(*ap, unsigned long long));
    if (l) return sh_printf(c->spec, va_arg(*ap, unsigned long));
    if (z) return sh_printf(c->spec, va_arg(*ap, size_t));
    if (j) return sh_printf(c->spec, va_arg(*ap, uintmax_t));
    if (t) return sh_printf(c->spec, va_arg(*ap, size_t));
    return sh_printf(c->spec, va_arg(*ap, unsigned));
  default: /* floating point */
    if (strcmp(c->len, "L") == 0) return sh_printf(c->spec, va_arg(*ap, long double));
    return sh_printf(c->spec, va_arg(*ap, double));
  }
}
#pragma GCC diagnostic pop

char *sh_reason_format(const char *fmt, char *const *args, size_t nargs) {
  sh_buf b = {0};
  size_t next = 0;
  for (const char *p = fmt ? fmt : ""; *p;) {
    if (*p != '%') {
      const char *q = strchr(p, '%');
      size_t n = q ? (size_t)(q - p) : strlen(p);
      sh_buf_put(&b, p, n);
      p += n;
      continue;
    }
    if (p[1] == '%') {
      sh_buf_putc(&b, '%');
      p += 2;
      continue;
    }
    conv_spec c;
    const char *e = read_conv(p + 1, &c);
    if (!e) { /* not a conversion: literal */
      sh_buf_putc(&b, '%');
      p++;
      continue;
    }
    size_t k = c.pos ? (size_t)c.pos - 1 : next++;
    if (k < nargs && args[k]) sh_buf_puts(&b, args[k]);
    p = e;
  }
  if (!b.data) sh_buf_puts(&b, "");
  return sh_buf_steal(&b);
}

sh_reason *sh_reason_new_message(const sh_fact *fact, const char *fmt, ...) {
  sh_reason *r = sh_calloc(1, sizeof *r);
  r->fact = fact;
  r->key = sh_strdup(fmt);
  sh_vec args = {0};
  va_list ap;
  va_start(ap, fmt);
  for (const char *p = fmt; (p = strchr(p, '%'));) {
    if (p[1] == '%') {
      p += 2;
      continue;
    }
    conv_spec c;
    const char *e = read_conv(p + 1, &c);
    if (!e) {
      p++;
      continue;
    }
    sh_vec_push(&args, convert_arg(&c, &ap));
    p = e;
  }
  va_end(ap);
  r->nargs = args.n;
  r->args = (char **)args.v;
  r->message = sh_reason_format(fmt, r->args, r->nargs);
  return r;
}

sh_reason *sh_reason_tr_arg(sh_reason *re, size_t k) {
  if (k < sizeof re->tr * 8) re->tr |= 1u << k;
  return re;
}

sh_reason *sh_reason_fact_arg(sh_reason *re, size_t k) {
  if (k < sizeof re->factarg * 8) re->factarg |= 1u << k;
  return re;
}

/* args[k] := v (owned) and the English message again. */
static void set_arg(sh_reason *re, size_t k, char *v) {
  free(re->args[k]);
  re->args[k] = v;
  if (re->key) {
    free(re->message);
    re->message = sh_reason_format(re->key, re->args, re->nargs);
  }
}

sh_reason *sh_reason_text_arg(sh_reason *re, size_t k, const char *ja, const char *en) {
  if (k >= re->nargs) return re;
  if (ja && en && strcmp(ja, en) != 0) {
    if (!re->ja) re->ja = sh_calloc(re->nargs, sizeof *re->ja);
    free(re->ja[k]);
    re->ja[k] = sh_strdup(ja);
  }
  set_arg(re, k, sh_strdup(en ? en : ja ? ja : ""));
  return re;
}

sh_reason *sh_reason_sub_arg(sh_reason *re, size_t k, sh_reason *sub) {
  if (k >= re->nargs || !sub) {
    if (sub) sh_reason_free(sub);
    return re;
  }
  if (!re->sub) re->sub = sh_calloc(re->nargs, sizeof *re->sub);
  sh_reason_free(re->sub[k]);
  re->sub[k] = sub;
  set_arg(re, k, sh_strdup(sub->message ? sub->message : ""));
  return re;
}

sh_reason *sh_reason_dup(const sh_reason *re) {
  if (!re) return NULL;
  sh_reason *r = sh_reason_new_keyed(re->fact, re->key, re->args, re->nargs, re->tr, re->factarg, re->message);
  r->condition = re->condition ? sh_strdup(re->condition) : NULL;
  r->required = re->required ? sh_strdup(re->required) : NULL;
  r->actual = re->actual ? sh_strdup(re->actual) : NULL;
  for (size_t i = 0; i < re->nargs; i++) {
    if (re->ja && re->ja[i]) {
      if (!r->ja) r->ja = sh_calloc(r->nargs, sizeof *r->ja);
      r->ja[i] = sh_strdup(re->ja[i]);
    }
    if (re->sub && re->sub[i]) {
      if (!r->sub) r->sub = sh_calloc(r->nargs, sizeof *r->sub);
      r->sub[i] = sh_reason_dup(re->sub[i]);
    }
  }
  return r;
}

static const char *fact_label(const sh_fact *f, const char *lang) {
  bool en = lang && strcmp(lang, "en") == 0;
  const char *label = en && f->label_en ? f->label_en : f->label_ja ? f->label_ja : f->label_en;
  return label && strcmp(label, f->id) != 0 ? label : NULL;
}

/* msgid of the catalog in the message context ctx (pgettext's "CTX\004msgid"), in lang; msgid when untranslated. */
static const char *tr_ctx(const char *lang, const char *ctx, const char *msgid) __attribute__((format_arg(3)));
static const char *tr_ctx(const char *lang, const char *ctx, const char *msgid) {
  char *k = sh_printf("%s\004%s", ctx, msgid);
  const char *t = sh_tr(lang, k);
  const char *r = t == k || strcmp(t, k) == 0 ? msgid : t;
  free(k);
  return r;
}

char *sh_fact_name(const sh_fact *f, const char *lang) {
  const char *label = fact_label(f, lang);
  /* TRANSLATORS: a fact's label and its id */
  static const char fmt[] = NC_("fact-name", "%s (%s)");
  return label ? sh_printf(tr_ctx(lang, "fact-name", fmt), label, f->id) : sh_strdup(f->id);
}

sh_reason *sh_reason_new_keyed(const sh_fact *fact, const char *key, char *const *args, size_t nargs, unsigned tr,
                               unsigned factarg, const char *message) {
  sh_reason *r = sh_calloc(1, sizeof *r);
  r->fact = fact;
  r->key = key ? sh_strdup(key) : NULL;
  r->tr = tr;
  r->factarg = factarg;
  if (nargs) {
    r->args = sh_calloc(nargs, sizeof *r->args);
    for (size_t i = 0; i < nargs; i++) r->args[i] = sh_strdup(args[i] ? args[i] : "");
    r->nargs = nargs;
  }
  r->message = sh_strdup(message ? message : "");
  return r;
}

/* An atom reason in lang: the fact by its label (when it has one) and its id, its value, the requirement. */
static char *atom_text(const sh_reason *re, const char *lang) {
  const sh_fact *f = re->fact;
  const char *label = fact_label(f, lang);
  if (label) {
    if (re->actual)
      return sh_printf(sh_tr(lang, "%s (%s) is %s; required: %s"), label, f->id, re->actual, re->required);
    return sh_printf(sh_tr(lang, "%s (%s) has no value; required: %s"), label, f->id, re->required);
  }
  if (re->actual) return sh_printf(sh_tr(lang, "%s is %s; required: %s"), f->id, re->actual, re->required);
  return sh_printf(sh_tr(lang, "%s has no value; required: %s"), f->id, re->required);
}

char *sh_reason_text(const sh_reason *re, const char *lang) {
  if (re->key) {
    char **args = re->nargs ? sh_calloc(re->nargs, sizeof *args) : NULL;
    char **owned = re->nargs ? sh_calloc(re->nargs, sizeof *owned) : NULL;
    for (size_t i = 0; i < re->nargs; i++) {
      args[i] = re->args[i];
      if (re->sub && re->sub[i]) {
        args[i] = owned[i] = sh_reason_text(re->sub[i], lang);
        continue;
      }
      if (re->ja && re->ja[i]) {
        if (!lang || strcmp(lang, "en") != 0) args[i] = re->ja[i];
        continue;
      }
      if (i < sizeof re->factarg * 8 && (re->factarg >> i & 1u) && re->fact && strcmp(re->args[i], re->fact->id) == 0) {
        args[i] = owned[i] = sh_fact_name(re->fact, lang);
        continue;
      }
      if (i >= sizeof re->tr * 8 || !(re->tr >> i & 1u) || !*re->args[i]) continue;
      args[i] = (char *)tr_ctx(lang, SH_REASON_WORD_CTX, re->args[i]);
    }
    char *s = sh_reason_format(sh_tr(lang, re->key), args, re->nargs);
    for (size_t i = 0; i < re->nargs; i++) free(owned[i]);
    free(owned);
    free(args);
    return s;
  }
  if (re->fact && re->required && re->condition) return atom_text(re, lang);
  return sh_strdup(re->message ? re->message : "");
}

static void explain_atom(const sh_expr *a, bool want, const sh_value *v, sh_vec *out) {
  sh_reason *r = sh_calloc(1, sizeof *r);
  r->fact = a->fact;
  char *cond = sh_expr_to_string(a);
  r->condition = want ? cond : sh_printf("not (%s)", cond);
  if (!want) free(cond);
  sh_buf req = {0};
  if (!want) sh_buf_puts(&req, "not ");
  put_requirement(&req, a);
  r->required = sh_buf_steal(&req);
  r->actual = v ? sh_value_format(a->fact, v) : NULL;
  if (!v)
    r->message = sh_printf("%s has no value (required: %s)", a->fact->id, r->required);
  else
    r->message = sh_printf("%s is %s (required: %s)", a->fact->id, r->actual, r->required);
  sh_vec_push(out, r);
}

void sh_expr_explain(const sh_expr *e, bool want, sh_lookup_fn lookup, const void *ctx, sh_vec *out) {
  sh_tv t = sh_expr_eval(e, lookup, ctx);
  sh_tv w = want ? SH_TV_TRUE : SH_TV_FALSE;
  if (t == w) return;
  switch (e->kind) {
  case SH_E_ATOM:
    explain_atom(e, want, lookup(ctx, e->fact), out);
    return;
  case SH_E_NOT:
    sh_expr_explain(e->kids[0], !want, lookup, ctx, out);
    return;
  case SH_E_AND:
  case SH_E_OR: {
    /* AND wanted true / OR wanted false: the kids that are not as wanted are responsible.
     * AND wanted false / OR wanted true: every kid is responsible (none went the right way). */
    for (size_t i = 0; i < e->n; i++) sh_expr_explain(e->kids[i], want, lookup, ctx, out);
    return;
  }
  }
}
