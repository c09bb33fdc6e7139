/* logic: implication between expressions. Expressions become negation normal form over
 * primitive literals (set facts split into one boolean per member), then DNF; each cube is decided
 * exactly per fact, and the vocabulary's implications are enforced by splitting on violated ones. */
#include "logic.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* ---------- arena: everything of one decision is freed at once ---------- */

typedef struct ablock {
  struct ablock *next;
  size_t used, cap;
  max_align_t data[];
} ablock;

typedef struct {
  ablock *head;
} arena;

static void *aalloc(arena *a, size_t n) {
  n = (n + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
  if (!a->head || a->head->cap - a->head->used < n) {
    size_t cap = n > 65536 ? n : 65536;
    ablock *b = sh_malloc(sizeof *b + cap);
    b->next = a->head;
    b->used = 0;
    b->cap = cap;
    a->head = b;
  }
  void *p = (char *)a->head->data + a->head->used;
  a->head->used += n;
  return p;
}

static void afree(arena *a) {
  for (ablock *b = a->head, *nx; b; b = nx) {
    nx = b->next;
    free(b);
  }
  a->head = NULL;
}

/* ---------- primitive literals and formulas ---------- */

typedef enum { L_BOOL, L_ENUM, L_MEM, L_IV, L_TEXT } lkind;

typedef struct {
  const sh_fact *fact;
  lkind kind;
  bool pos;         /* MEM, IV, TEXT: polarity (BOOL, ENUM: always true) */
  bool b;           /* BOOL: the value */
  uint64_t mask;    /* ENUM: allowed values */
  int member;       /* MEM: value index */
  int64_t lo, hi;   /* IV: closed interval */
  const char *text; /* TEXT: borrowed from an expression literal */
} lit;

typedef enum { F_TRUE, F_FALSE, F_LIT, F_AND, F_OR } fkind;

typedef struct fnode {
  fkind k;
  lit l;
  struct fnode **kids;
  size_t n;
} fnode;

typedef struct {
  const lit **v;
  size_t n;
} cube;

typedef struct {
  cube *v;
  size_t n, cap;
  bool overflow;
} cubes;

/* Date domain: what sh_date_parse accepts (1900-01-01 .. 9999-12-31). */
#define DATE_MIN (-25567)
#define DATE_MAX 2932896

static uint64_t full_mask(const sh_fact *f) {
  return f->nvalues >= 64 ? ~0ull : ((1ull << f->nvalues) - 1);
}

static void dom(const sh_fact *f, int64_t *lo, int64_t *hi) {
  if (f->type == SH_T_DATE) {
    *lo = DATE_MIN;
    *hi = DATE_MAX;
  } else {
    *lo = INT64_MIN;
    *hi = INT64_MAX;
  }
}

/* ---------- the context ---------- */

typedef struct {
  cubes notif, then_; /* DNF of not if_, and of then_ */
  bool usable;
} impl_nf;

struct sh_logic_ctx {
  const sh_vocab *vocab;
  sh_logic_limits lim;
  arena keep;       /* implication normal forms */
  impl_nf *impls;
  size_t nimpls;
  arena tmp;        /* one decision */
  size_t steps;
  bool exhausted;
  sh_value *model;  /* one per fact */
  sh_value *best;   /* the counter-model found */
  bool have_best;
};

static fnode *mk(arena *a, fkind k) {
  fnode *n = aalloc(a, sizeof *n);
  memset(n, 0, sizeof *n);
  n->k = k;
  return n;
}

static fnode *mk_lit(arena *a, const lit *l) {
  fnode *n = mk(a, F_LIT);
  n->l = *l;
  return n;
}

/* n-ary AND/OR with constant folding and flattening; kids is a scratch array. */
static fnode *mk_nary(arena *a, fkind k, fnode **kids, size_t n) {
  fkind unit = k == F_AND ? F_TRUE : F_FALSE, zero = k == F_AND ? F_FALSE : F_TRUE;
  size_t cnt = 0;
  for (size_t i = 0; i < n; i++) {
    if (kids[i]->k == zero) return mk(a, zero);
    if (kids[i]->k == unit) continue;
    cnt += kids[i]->k == k ? kids[i]->n : 1;
  }
  if (cnt == 0) return mk(a, unit);
  fnode **v = aalloc(a, cnt * sizeof *v);
  size_t j = 0;
  for (size_t i = 0; i < n; i++) {
    if (kids[i]->k == unit) continue;
    if (kids[i]->k == k) {
      memcpy(v + j, kids[i]->kids, kids[i]->n * sizeof *v);
      j += kids[i]->n;
    } else {
      v[j++] = kids[i];
    }
  }
  if (cnt == 1) return v[0];
  fnode *r = mk(a, k);
  r->kids = v;
  r->n = cnt;
  return r;
}

static void lit_negate(lit *l) {
  switch (l->kind) {
  case L_BOOL: l->b = !l->b; break;
  case L_ENUM: l->mask = full_mask(l->fact) & ~l->mask; break;
  default: l->pos = !l->pos; break;
  }
}

static fnode *f_negate(arena *a, const fnode *f) {
  switch (f->k) {
  case F_TRUE: return mk(a, F_FALSE);
  case F_FALSE: return mk(a, F_TRUE);
  case F_LIT: {
    lit l = f->l;
    lit_negate(&l);
    if (l.kind == L_ENUM && l.mask == 0) return mk(a, F_FALSE);
    return mk_lit(a, &l);
  }
  case F_AND:
  case F_OR: {
    fnode **v = aalloc(a, f->n * sizeof *v);
    for (size_t i = 0; i < f->n; i++) v[i] = f_negate(a, f->kids[i]);
    return mk_nary(a, f->k == F_AND ? F_OR : F_AND, v, f->n);
  }
  }
  return mk(a, F_FALSE);
}

static fnode *mem_lit(arena *a, const sh_fact *f, int k, bool pos) {
  lit l = {.fact = f, .kind = L_MEM, .member = k, .pos = pos};
  return mk_lit(a, &l);
}

/* The formula of one atom (positive). */
static fnode *atom_formula(arena *a, const sh_expr *e) {
  const sh_fact *f = e->fact;
  lit l = {.fact = f, .pos = true};
  switch (f->type) {
  case SH_T_BOOL:
    l.kind = L_BOOL;
    l.b = e->op == SH_OP_NE ? !e->lit.b : e->lit.b;
    return mk_lit(a, &l);
  case SH_T_ENUM: {
    uint64_t full = full_mask(f), m = 0;
    uint64_t one = e->lit.i >= 0 && e->lit.i < 64 ? (1ull << e->lit.i) : 0;
    switch (e->op) {
    case SH_OP_EQ: m = one; break;
    case SH_OP_NE: m = ~one; break;
    case SH_OP_IN: m = e->lit.set; break;
    case SH_OP_NOT_IN: m = ~e->lit.set; break;
    default: break;
    }
    m &= full;
    if (m == 0) return mk(a, F_FALSE);
    if (m == full) return mk(a, F_TRUE);
    l.kind = L_ENUM;
    l.mask = m;
    return mk_lit(a, &l);
  }
  case SH_T_SET: {
    uint64_t full = full_mask(f), L = e->lit.set & full;
    fnode *tmp[64];
    size_t n = 0;
    switch (e->op) {
    case SH_OP_CONTAINS_ALL:
    case SH_OP_CONTAINS_ANY:
      for (size_t k = 0; k < f->nvalues && k < 64; k++)
        if (L & (1ull << k)) tmp[n++] = mem_lit(a, f, (int)k, true);
      return mk_nary(a, e->op == SH_OP_CONTAINS_ALL ? F_AND : F_OR, tmp, n);
    case SH_OP_SUBSET:
      for (size_t k = 0; k < f->nvalues && k < 64; k++)
        if (!(L & (1ull << k))) tmp[n++] = mem_lit(a, f, (int)k, false);
      return mk_nary(a, F_AND, tmp, n);
    case SH_OP_EQ:
    case SH_OP_NE: {
      for (size_t k = 0; k < f->nvalues && k < 64; k++) tmp[n++] = mem_lit(a, f, (int)k, (L >> k) & 1);
      fnode *eq = mk_nary(a, F_AND, tmp, n);
      return e->op == SH_OP_EQ ? eq : f_negate(a, eq);
    }
    default: return mk(a, F_FALSE);
    }
  }
  case SH_T_INT:
  case SH_T_DATE: {
    int64_t dlo, dhi, c = e->lit.i, lo, hi;
    dom(f, &dlo, &dhi);
    bool pos = true;
    lo = dlo;
    hi = dhi;
    switch (e->op) {
    case SH_OP_EQ: lo = hi = c; break;
    case SH_OP_NE: lo = hi = c; pos = false; break;
    case SH_OP_LT:
      if (c == INT64_MIN) return mk(a, F_FALSE);
      hi = c - 1;
      break;
    case SH_OP_LE: hi = c; break;
    case SH_OP_GT:
      if (c == INT64_MAX) return mk(a, F_FALSE);
      lo = c + 1;
      break;
    case SH_OP_GE: lo = c; break;
    default: return mk(a, F_FALSE);
    }
    if (lo < dlo) lo = dlo;
    if (hi > dhi) hi = dhi;
    if (lo > hi) return mk(a, pos ? F_FALSE : F_TRUE);
    if (lo == dlo && hi == dhi) return mk(a, pos ? F_TRUE : F_FALSE);
    l.kind = L_IV;
    l.lo = lo;
    l.hi = hi;
    l.pos = pos;
    return mk_lit(a, &l);
  }
  case SH_T_TEXT:
    l.kind = L_TEXT;
    l.text = e->lit.text ? e->lit.text : "";
    l.pos = e->op != SH_OP_NE;
    return mk_lit(a, &l);
  }
  return mk(a, F_FALSE);
}

/* Negation normal form of e (negated when neg). NULL stands for true. */
static fnode *nnf(arena *a, const sh_expr *e, bool neg) {
  if (!e) return mk(a, neg ? F_FALSE : F_TRUE);
  switch (e->kind) {
  case SH_E_ATOM: {
    fnode *f = atom_formula(a, e);
    return neg ? f_negate(a, f) : f;
  }
  case SH_E_NOT: return nnf(a, e->kids[0], !neg);
  case SH_E_AND:
  case SH_E_OR: {
    fnode **v = aalloc(a, e->n * sizeof *v);
    for (size_t i = 0; i < e->n; i++) v[i] = nnf(a, e->kids[i], neg);
    bool and = (e->kind == SH_E_AND) != neg;
    return mk_nary(a, and ? F_AND : F_OR, v, e->n);
  }
  }
  return mk(a, F_FALSE);
}

/* ---------- deciding a cube per fact ---------- */

static int64_t abs_key(int64_t v) { return v == INT64_MIN ? INT64_MAX : (v < 0 ? -v : v); }

/* Decides the literals g[0..n) on one fact; on success writes a value into *out (when out). */
static bool solve_fact(arena *a, const lit **g, size_t n, sh_value *out) {
  const sh_fact *f = g[0]->fact;
  switch (f->type) {
  case SH_T_BOOL: {
    unsigned allowed = 3; /* bit0 false, bit1 true */
    for (size_t i = 0; i < n; i++) allowed &= g[i]->b ? 2u : 1u;
    if (!allowed) return false;
    if (out) out->b = !(allowed & 1);
    return true;
  }
  case SH_T_ENUM: {
    uint64_t m = full_mask(f);
    for (size_t i = 0; i < n; i++) m &= g[i]->mask;
    if (!m) return false;
    if (out) {
      int k = 0;
      while (!(m & (1ull << k))) k++;
      out->i = k;
    }
    return true;
  }
  case SH_T_SET: {
    uint64_t in = 0, outm = 0;
    for (size_t i = 0; i < n; i++) {
      if (g[i]->pos) in |= 1ull << g[i]->member;
      else outm |= 1ull << g[i]->member;
    }
    if (in & outm) return false;
    if (out) out->set = in;
    return true;
  }
  case SH_T_INT:
  case SH_T_DATE: {
    int64_t lo, hi;
    dom(f, &lo, &hi);
    for (size_t i = 0; i < n; i++)
      if (g[i]->pos) {
        if (g[i]->lo > lo) lo = g[i]->lo;
        if (g[i]->hi < hi) hi = g[i]->hi;
      }
    if (lo > hi) return false;
    /* The feasible set's least point is lo or just after an excluded interval; 0 is preferred. */
    bool found = false;
    int64_t best = 0;
    for (size_t c = 0; c <= 2 * n + 1; c++) {
      int64_t v;
      if (c == 0) v = 0;
      else if (c == 1) v = lo;
      else {
        const lit *x = g[(c - 2) / 2];
        if (x->pos) continue;
        if ((c - 2) % 2 == 0) {
          if (x->hi == INT64_MAX) continue;
          v = x->hi + 1;
        } else {
          if (x->lo == INT64_MIN) continue;
          v = x->lo - 1;
        }
      }
      if (v < lo || v > hi) continue;
      bool ok = true;
      for (size_t i = 0; i < n && ok; i++)
        if (!g[i]->pos && v >= g[i]->lo && v <= g[i]->hi) ok = false;
      if (ok && (!found || abs_key(v) < abs_key(best))) {
        best = v;
        found = true;
      }
    }
    if (!found) return false;
    if (out) out->i = best;
    return true;
  }
  case SH_T_TEXT: {
    const char *eq = NULL;
    for (size_t i = 0; i < n; i++)
      if (g[i]->pos) {
        if (eq && strcmp(eq, g[i]->text) != 0) return false;
        eq = g[i]->text;
      }
    if (eq) {
      for (size_t i = 0; i < n; i++)
        if (!g[i]->pos && strcmp(eq, g[i]->text) == 0) return false;
      if (out) out->text = (char *)eq;
      return true;
    }
    if (out) {
      /* A fresh string distinct from every excluded one. */
      for (unsigned k = 0;; k++) {
        char buf[32];
        if (k == 0) buf[0] = '\0';
        else snprintf(buf, sizeof buf, "other-%u", k);
        bool clash = false;
        for (size_t i = 0; i < n && !clash; i++) clash = strcmp(buf, g[i]->text) == 0;
        if (!clash) {
          size_t len = strlen(buf) + 1;
          out->text = aalloc(a, len);
          memcpy(out->text, buf, len);
          break;
        }
      }
    }
    return true;
  }
  }
  return false;
}

/* Decides a cube exactly (without the vocabulary's implications). With model, writes values of the
 * facts it constrains (others are left as they are). Cubes are kept sorted by fact index (cube_join
 * merges), so the literals of one fact are adjacent. */
static bool cube_solve(arena *a, const cube *c, sh_value *model) {
  const lit *const *v = c->v;
  for (size_t i = 0; i < c->n;) {
    size_t j = i + 1;
    while (j < c->n && v[j]->fact == v[i]->fact) j++;
    if (!solve_fact(a, (const lit **)v + i, j - i, model ? &model[v[i]->fact->index] : NULL)) return false;
    i = j;
  }
  return true;
}

/* ---------- DNF ---------- */

static void cubes_push(arena *a, cubes *cs, cube c, size_t max) {
  if (cs->n >= max) {
    cs->overflow = true;
    return;
  }
  if (cs->n == cs->cap) {
    size_t nc = cs->cap ? cs->cap * 2 : 8;
    cube *nv = aalloc(a, nc * sizeof *nv);
    if (cs->n) memcpy(nv, cs->v, cs->n * sizeof *nv);
    cs->v = nv;
    cs->cap = nc;
  }
  cs->v[cs->n++] = c;
}

/* The conjunction of two cubes sorted by fact index: a merge, so the result is sorted too. */
static cube cube_join(arena *a, const cube *x, const cube *y) {
  cube r;
  r.n = x->n + y->n;
  r.v = aalloc(a, (r.n ? r.n : 1) * sizeof *r.v);
  size_t i = 0, j = 0, k = 0;
  while (i < x->n && j < y->n) r.v[k++] = y->v[j]->fact->index < x->v[i]->fact->index ? y->v[j++] : x->v[i++];
  while (i < x->n) r.v[k++] = x->v[i++];
  while (j < y->n) r.v[k++] = y->v[j++];
  return r;
}

/* The product of two DNFs, dropping cubes that are unsatisfiable per fact. */
static cubes dnf_product(arena *a, const cubes *x, const cubes *y, size_t max) {
  cubes r = {0};
  r.overflow = x->overflow || y->overflow;
  for (size_t i = 0; i < x->n && !r.overflow; i++)
    for (size_t j = 0; j < y->n && !r.overflow; j++) {
      cube c = cube_join(a, &x->v[i], &y->v[j]);
      if (cube_solve(a, &c, NULL)) cubes_push(a, &r, c, max);
    }
  return r;
}

static cubes dnf(arena *a, const fnode *f, size_t max) {
  cubes r = {0};
  switch (f->k) {
  case F_TRUE: cubes_push(a, &r, (cube){aalloc(a, sizeof(lit *)), 0}, max); break;
  case F_FALSE: break;
  case F_LIT: {
    cube c = {aalloc(a, sizeof(lit *)), 1};
    c.v[0] = &f->l;
    cubes_push(a, &r, c, max);
    break;
  }
  case F_OR:
    for (size_t i = 0; i < f->n && !r.overflow; i++) {
      cubes k = dnf(a, f->kids[i], max);
      if (k.overflow) r.overflow = true;
      for (size_t j = 0; j < k.n && !r.overflow; j++) cubes_push(a, &r, k.v[j], max);
    }
    break;
  case F_AND: {
    cubes acc = dnf(a, f->kids[0], max);
    for (size_t i = 1; i < f->n && !acc.overflow && acc.n; i++) {
      cubes k = dnf(a, f->kids[i], max);
      acc = dnf_product(a, &acc, &k, max);
    }
    return acc;
  }
  }
  return r;
}

/* ---------- models ---------- */

static void model_defaults(const sh_vocab *v, sh_value *m) {
  for (size_t i = 0; i < v->facts.n; i++) {
    const sh_fact *f = v->facts.v[i];
    memset(&m[i], 0, sizeof m[i]);
    m[i].type = f->type;
    if (f->type == SH_T_TEXT) m[i].text = (char *)"";
  }
}

static const sh_value *model_lookup(const void *ctx, const sh_fact *f) {
  return &((const sh_value *)ctx)[f->index];
}

typedef enum { S_UNSAT, S_SAT, S_UNKNOWN } sres;

/* Is cube K satisfiable together with every vocabulary implication? On S_SAT lc->model holds a
 * complete model satisfying K and every implication. Splits on a violated implication: either its
 * condition fails or its consequence holds (a complete case split, so S_UNSAT is exact). */
static sres search(sh_logic_ctx *lc, const cube *K, size_t depth) {
  if (++lc->steps > lc->lim.max_steps) {
    lc->exhausted = true;
    return S_UNKNOWN;
  }
  model_defaults(lc->vocab, lc->model);
  if (!cube_solve(&lc->tmp, K, lc->model)) return S_UNSAT;
  size_t violated = SIZE_MAX;
  for (size_t i = 0; i < lc->nimpls; i++) {
    const sh_implication *im = lc->vocab->implications.v[i];
    if (sh_expr_eval(im->if_, model_lookup, lc->model) == SH_TV_TRUE &&
        sh_expr_eval(im->then_, model_lookup, lc->model) != SH_TV_TRUE) {
      violated = i;
      break;
    }
  }
  if (violated == SIZE_MAX) return S_SAT;
  const impl_nf *nf = &lc->impls[violated];
  if (!nf->usable || depth > lc->nimpls + 1) return S_UNKNOWN;
  bool unknown = false;
  for (int side = 0; side < 2; side++) {
    const cubes *br = side == 0 ? &nf->notif : &nf->then_;
    for (size_t j = 0; j < br->n; j++) {
      cube c = cube_join(&lc->tmp, K, &br->v[j]);
      sres r = search(lc, &c, depth + 1);
      if (r == S_SAT) return S_SAT;
      if (r == S_UNKNOWN) unknown = true;
      if (lc->exhausted) return S_UNKNOWN;
    }
  }
  return unknown ? S_UNKNOWN : S_UNSAT;
}

/* ---------- context ---------- */

sh_logic_ctx *sh_logic_new(const sh_vocab *vocab, const sh_logic_limits *limits) {
  sh_logic_ctx *lc = sh_calloc(1, sizeof *lc);
  lc->vocab = vocab;
  lc->lim.max_cubes = limits && limits->max_cubes ? limits->max_cubes : 4096;
  lc->lim.max_steps = limits && limits->max_steps ? limits->max_steps : 200000;
  lc->nimpls = vocab->implications.n;
  lc->impls = sh_calloc(lc->nimpls ? lc->nimpls : 1, sizeof *lc->impls);
  for (size_t i = 0; i < lc->nimpls; i++) {
    const sh_implication *im = vocab->implications.v[i];
    impl_nf *nf = &lc->impls[i];
    nf->notif = dnf(&lc->keep, nnf(&lc->keep, im->if_, true), lc->lim.max_cubes);
    nf->then_ = dnf(&lc->keep, nnf(&lc->keep, im->then_, false), lc->lim.max_cubes);
    nf->usable = !nf->notif.overflow && !nf->then_.overflow;
  }
  size_t nf = vocab->facts.n ? vocab->facts.n : 1;
  lc->model = sh_calloc(nf, sizeof *lc->model);
  lc->best = sh_calloc(nf, sizeof *lc->best);
  return lc;
}

void sh_logic_free(sh_logic_ctx *lc) {
  if (!lc) return;
  afree(&lc->keep);
  afree(&lc->tmp);
  free(lc->impls);
  free(lc->model);
  free(lc->best);
  free(lc);
}

void sh_logic_detail_clear(sh_logic_detail *d) {
  if (!d) return;
  free(d->counter_model);
  free(d->why);
  d->counter_model = d->why = NULL;
}

void sh_clause_free(void *p) {
  sh_clause *c = p;
  if (!c) return;
  free(c->clause);
  free(c->counter_model);
  free(c);
}

const char *sh_logic_name(sh_logic a) {
  return a == SH_LOGIC_YES ? "yes" : a == SH_LOGIC_NO ? "no" : "unknown";
}

size_t sh_logic_steps(const sh_logic_ctx *lc) { return lc->steps; }
const sh_vocab *sh_logic_vocab(const sh_logic_ctx *lc) { return lc->vocab; }

/* Formats the counter-model over the facts of p, q and the implications. Caller frees. */
static char *format_model(sh_logic_ctx *lc, const sh_expr *p, const sh_expr *q) {
  sh_vec facts = {0};
  if (p) sh_expr_facts(p, &facts);
  if (q) sh_expr_facts(q, &facts);
  for (size_t i = 0; i < lc->nimpls; i++) {
    const sh_implication *im = lc->vocab->implications.v[i];
    sh_vec tmp = {0};
    sh_expr_facts(im->if_, &tmp);
    sh_expr_facts(im->then_, &tmp);
    /* Only implications touching the facts already listed matter to a reader. */
    bool touches = false;
    for (size_t j = 0; j < tmp.n && !touches; j++)
      for (size_t k = 0; k < facts.n && !touches; k++) touches = tmp.v[j] == facts.v[k];
    if (touches)
      for (size_t j = 0; j < tmp.n; j++) {
        bool seen = false;
        for (size_t k = 0; k < facts.n && !seen; k++) seen = tmp.v[j] == facts.v[k];
        if (!seen) sh_vec_push(&facts, tmp.v[j]);
      }
    sh_vec_free(&tmp);
  }
  sh_buf b = {0};
  for (size_t i = 0; i < facts.n; i++) {
    const sh_fact *f = facts.v[i];
    char *s = sh_value_format(f, &lc->best[f->index]);
    sh_buf_printf(&b, "%s%s = %s", i ? "; " : "", f->id, s);
    free(s);
  }
  sh_vec_free(&facts);
  return sh_buf_steal(&b);
}

/* Checks the candidate counter-model in lc->model with the evaluator itself. */
static bool verify_model(sh_logic_ctx *lc, const sh_expr *p, const sh_expr *q) {
  if (p && sh_expr_eval(p, model_lookup, lc->model) != SH_TV_TRUE) return false;
  /* q NULL here: the empty clause (constant false), false in every model. */
  if (q && sh_expr_eval(q, model_lookup, lc->model) != SH_TV_FALSE) return false;
  for (size_t i = 0; i < lc->nimpls; i++) {
    const sh_implication *im = lc->vocab->implications.v[i];
    if (sh_expr_eval(im->if_, model_lookup, lc->model) == SH_TV_TRUE &&
        sh_expr_eval(im->then_, model_lookup, lc->model) != SH_TV_TRUE)
      return false;
  }
  return true;
}

/* Flattens the top-level conjunction of f into its conjuncts. */
static void conjuncts(const fnode *f, const fnode ***out, size_t *n, arena *a) {
  if (f->k == F_AND) {
    *out = (const fnode **)f->kids;
    *n = f->n;
  } else {
    const fnode **v = aalloc(a, sizeof *v);
    v[0] = f;
    *out = v;
    *n = 1;
  }
}

/* Decides p => (the clause whose negation is cube nq): UNSAT of p & nq & implications.
 * pc: p's conjuncts. On NO, lc->best holds a verified counter-model. */
static sh_logic decide_clause(sh_logic_ctx *lc, const fnode **pc, size_t npc, const cube *nq,
                              const sh_expr *p, const sh_expr *q, const char **why) {
  cubes acc = {0};
  cubes_push(&lc->tmp, &acc, *nq, 1);
  for (size_t i = 0; i < npc && acc.n; i++) {
    /* Cheap path for a conjunct that is a literal. */
    cubes k = dnf(&lc->tmp, pc[i], lc->lim.max_cubes);
    acc = dnf_product(&lc->tmp, &acc, &k, lc->lim.max_cubes);
    if (acc.overflow) {
      *why = "normal form of the premise too large";
      return SH_LOGIC_UNKNOWN;
    }
  }
  bool unknown = false;
  for (size_t i = 0; i < acc.n; i++) {
    sres r = search(lc, &acc.v[i], 0);
    if (r == S_SAT) {
      if (verify_model(lc, p, q)) {
        memcpy(lc->best, lc->model, lc->vocab->facts.n * sizeof *lc->best);
        lc->have_best = true;
        return SH_LOGIC_NO;
      }
      /* Never expected: the model does not check out; refuse to answer NO. */
      *why = "counter-model candidate failed verification";
      unknown = true;
      continue;
    }
    if (r == S_UNKNOWN) {
      *why = lc->exhausted ? "search budget exhausted" : "an implication of the vocabulary is too large";
      unknown = true;
      if (lc->exhausted) break;
    }
  }
  return unknown ? SH_LOGIC_UNKNOWN : SH_LOGIC_YES;
}

typedef struct {
  const fnode **pc;
  size_t npc;
  cubes nq; /* DNF of not q: one cube per CNF clause of q */
} prepared;

static bool prepare(sh_logic_ctx *lc, const sh_expr *p, const sh_expr *q, prepared *pr, const char **why) {
  afree(&lc->tmp);
  lc->steps = 0;
  lc->exhausted = false;
  lc->have_best = false;
  fnode *fp = nnf(&lc->tmp, p, false);
  conjuncts(fp, &pr->pc, &pr->npc, &lc->tmp);
  if (fp->k == F_FALSE) pr->npc = 0, pr->pc = NULL;
  pr->nq = dnf(&lc->tmp, nnf(&lc->tmp, q, true), lc->lim.max_cubes);
  if (fp->k == F_FALSE) pr->nq.n = 0; /* false implies everything */
  if (pr->nq.overflow) {
    *why = "normal form of the conclusion too large";
    return false;
  }
  return true;
}

sh_logic sh_logic_implies(sh_logic_ctx *lc, const sh_expr *p, const sh_expr *q, sh_logic_detail *detail) {
  prepared pr;
  const char *why = NULL;
  sh_logic ans = SH_LOGIC_YES;
  if (!prepare(lc, p, q, &pr, &why)) {
    ans = SH_LOGIC_UNKNOWN;
  } else {
    for (size_t i = 0; i < pr.nq.n; i++) {
      const char *w = NULL;
      sh_logic r = decide_clause(lc, pr.pc, pr.npc, &pr.nq.v[i], p, q, &w);
      if (r == SH_LOGIC_NO) {
        ans = SH_LOGIC_NO;
        break;
      }
      if (r == SH_LOGIC_UNKNOWN) {
        ans = SH_LOGIC_UNKNOWN;
        why = w;
        if (lc->exhausted) break;
      }
    }
  }
  if (detail) {
    memset(detail, 0, sizeof *detail);
    if (ans == SH_LOGIC_NO) detail->counter_model = format_model(lc, p, q);
    if (ans == SH_LOGIC_UNKNOWN) detail->why = sh_strdup(why ? why : "undecided");
  }
  afree(&lc->tmp);
  return ans;
}

sh_logic sh_logic_equivalent(sh_logic_ctx *lc, const sh_expr *p, const sh_expr *q) {
  sh_logic a = sh_logic_implies(lc, p, q, NULL);
  if (a == SH_LOGIC_NO) return a;
  sh_logic b = sh_logic_implies(lc, q, p, NULL);
  if (b == SH_LOGIC_NO) return b;
  return a == SH_LOGIC_YES && b == SH_LOGIC_YES ? SH_LOGIC_YES : SH_LOGIC_UNKNOWN;
}

/* ---------- printing a clause ---------- */

static sh_expr *lit_expr(const lit *l) {
  const sh_fact *f = l->fact;
  sh_value v = {.type = f->type};
  switch (l->kind) {
  case L_BOOL: {
    v.b = true;
    sh_expr *e = sh_expr_new_atom(f, SH_OP_EQ, &v);
    e->bare = true;
    return l->b ? e : sh_expr_new_not(e);
  }
  case L_ENUM: {
    uint64_t m = l->mask, full = full_mask(f);
    if (__builtin_popcountll(m) == 1) {
      v.i = __builtin_ctzll(m);
      return sh_expr_new_atom(f, SH_OP_EQ, &v);
    }
    if (__builtin_popcountll(full & ~m) == 1) {
      v.i = __builtin_ctzll(full & ~m);
      return sh_expr_new_atom(f, SH_OP_NE, &v);
    }
    v.set = m;
    return sh_expr_new_atom(f, SH_OP_IN, &v);
  }
  case L_MEM: {
    v.set = 1ull << l->member;
    sh_expr *e = sh_expr_new_atom(f, SH_OP_CONTAINS_ALL, &v);
    return l->pos ? e : sh_expr_new_not(e);
  }
  case L_IV: {
    int64_t dlo, dhi;
    dom(f, &dlo, &dhi);
    sh_expr *e;
    if (l->lo == l->hi) {
      v.i = l->lo;
      return sh_expr_new_atom(f, l->pos ? SH_OP_EQ : SH_OP_NE, &v);
    }
    if (l->lo == dlo) {
      v.i = l->hi;
      e = sh_expr_new_atom(f, l->pos ? SH_OP_LE : SH_OP_GT, &v);
      return e;
    }
    if (l->hi == dhi) {
      v.i = l->lo;
      return sh_expr_new_atom(f, l->pos ? SH_OP_GE : SH_OP_LT, &v);
    }
    sh_expr *k[2];
    v.i = l->lo;
    k[0] = sh_expr_new_atom(f, SH_OP_GE, &v);
    v.i = l->hi;
    k[1] = sh_expr_new_atom(f, SH_OP_LE, &v);
    e = sh_expr_new_nary(SH_E_AND, k, 2);
    return l->pos ? e : sh_expr_new_not(e);
  }
  case L_TEXT:
    v.text = (char *)l->text;
    return sh_expr_new_atom(f, l->pos ? SH_OP_EQ : SH_OP_NE, &v);
  }
  return NULL;
}

/* The clause that is the negation of cube nq (NULL for the empty clause, false). Caller frees
 * with sh_expr_free. */
static sh_expr *clause_expr(const cube *nq) {
  if (nq->n == 0) return NULL;
  sh_expr **k = sh_malloc(nq->n * sizeof *k);
  for (size_t i = 0; i < nq->n; i++) {
    lit l = *nq->v[i];
    lit_negate(&l);
    k[i] = lit_expr(&l);
  }
  sh_expr *e = sh_expr_new_nary(SH_E_OR, k, nq->n);
  free(k);
  return e;
}

sh_logic sh_logic_unmet(sh_logic_ctx *lc, const sh_expr *p, const sh_expr *q, sh_vec *out) {
  prepared pr;
  const char *why = NULL;
  if (!prepare(lc, p, q, &pr, &why)) {
    afree(&lc->tmp);
    return SH_LOGIC_UNKNOWN;
  }
  bool any_no = false, any_unknown = false;
  for (size_t i = 0; i < pr.nq.n; i++) {
    const char *w = NULL;
    lc->exhausted = false;
    lc->steps = 0;
    sh_expr *ce = clause_expr(&pr.nq.v[i]);
    sh_logic r;
    if (!ce) {
      /* The empty clause (q is false): p implies it only when p is unsatisfiable. */
      r = decide_clause(lc, pr.pc, pr.npc, &pr.nq.v[i], p, NULL, &w);
    } else {
      r = decide_clause(lc, pr.pc, pr.npc, &pr.nq.v[i], p, ce, &w);
    }
    if (r == SH_LOGIC_YES) {
      sh_expr_free(ce);
      continue;
    }
    if (r == SH_LOGIC_NO) any_no = true;
    else any_unknown = true;
    sh_clause *c = sh_calloc(1, sizeof *c);
    c->clause = ce ? sh_expr_to_string(ce) : sh_strdup("false");
    c->answer = r;
    if (r == SH_LOGIC_NO) c->counter_model = format_model(lc, p, q);
    sh_vec_push(out, c);
    sh_expr_free(ce);
  }
  afree(&lc->tmp);
  return any_unknown ? SH_LOGIC_UNKNOWN : any_no ? SH_LOGIC_NO : SH_LOGIC_YES;
}

sh_logic sh_implies(const sh_vocab *vocab, const sh_expr *p, const sh_expr *q) {
  sh_logic_ctx *lc = sh_logic_new(vocab, NULL);
  sh_logic r = sh_logic_implies(lc, p, q, NULL);
  sh_logic_free(lc);
  return r;
}
