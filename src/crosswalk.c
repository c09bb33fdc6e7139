/* crosswalk: classification of target items against a source framework by implication between
 * effective requirements, witness search and minimisation, curated relations and their lint. */
#include "crosswalk.h"

#include "sources.h"
#include "i18n.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

const char *sh_xw_class_name(sh_xw_class c) {
  static const char *n[] = {"A", "B", "C", "D", "unknown"};
  return c < SH_XW__COUNT ? n[c] : "unknown";
}

bool sh_xw_class_parse(const char *s, sh_xw_class *out) {
  static const struct {
    const char *w;
    sh_xw_class c;
  } words[] = {
      {"A", SH_XW_A},         {"B", SH_XW_B},          {"C", SH_XW_C},        {"D", SH_XW_D},
      {"superset", SH_XW_A},  {"superset-of", SH_XW_A}, {"equal", SH_XW_B},   {"equal-to", SH_XW_B},
      {"equivalent-to", SH_XW_B}, {"subset", SH_XW_C},  {"subset-of", SH_XW_C}, {"intersect", SH_XW_C},
      {"intersects-with", SH_XW_C}, {"no-relationship", SH_XW_D},
  };
  for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
    if (strcmp(s, words[i].w) == 0) {
      *out = words[i].c;
      return true;
    }
  return false;
}

/* ---------- curated relations ---------- */

static void text_free(sh_text *t) {
  free(t->ja);
  free(t->en);
}

static void relation_free(void *p) {
  sh_xw_relation *r = p;
  free(r->target);
  sh_vec_free_all(&r->sources, free);
  free(r->relation);
  free(r->rationale);
  text_free(&r->note);
  free(r->document);
  free(r->lines);
  free(r->file);
  free(r);
}

void sh_xw_curated_file_free(void *p) {
  sh_xw_curated_file *f = p;
  if (!f) return;
  free(f->file);
  free(f->from);
  free(f->to);
  text_free(&f->title);
  text_free(&f->published.label);
  free(f->published.document);
  free(f->published.lines);
  free(f->published.document_title);
  sh_vec_free_all(&f->relations, relation_free);
  free(f);
}

void sh_xw_curated_free(sh_xw_curated *c) {
  if (!c) return;
  sh_vec_free_all(&c->files, sh_xw_curated_file_free);
  free(c);
}

static bool load_doc_source(const sh_ydoc *doc, const sh_ynode *n, char **document, char **lines, sh_diags *d) {
  static const char *const keys[] = {"document", "lines", NULL};
  if (!sh_y_expect(doc, n, SH_Y_MAP, "source", d) || !sh_y_check_keys(doc, n, keys, "source", d)) return false;
  const sh_ynode *dn = sh_y_require(doc, n, "document", "source", d);
  const char *ds = dn ? sh_y_str(doc, dn, N_("source document"), d) : NULL;
  if (!ds) return false;
  *document = sh_strdup(ds);
  const sh_ynode *ln = sh_ymap_get(n, "lines");
  if (ln) {
    const char *ls = sh_y_str(doc, ln, N_("source lines"), d);
    if (!ls) return false;
    *lines = sh_strdup(ls);
  }
  return true;
}

static sh_xw_relation *load_relation(const sh_ydoc *doc, const sh_ynode *n, sh_diags *d) {
  static const char *const keys[] = {"target", "sources", "relation", "rationale", "note", "source", NULL};
  if (!sh_y_expect(doc, n, SH_Y_MAP, N_("relation entry"), d)) return NULL;
  size_t before = d->nerrors;
  sh_y_check_keys(doc, n, keys, N_("relation entry"), d);
  sh_xw_relation *r = sh_calloc(1, sizeof *r);
  r->file = sh_strdup(doc->file);
  r->line = n->line;
  r->col = n->col;
  const sh_ynode *t = sh_y_require(doc, n, "target", N_("relation entry"), d);
  const char *ts = t ? sh_y_str(doc, t, "target", d) : NULL;
  if (ts) r->target = sh_strdup(ts);
  const sh_ynode *s = sh_ymap_get(n, "sources");
  if (s && sh_y_expect(doc, s, SH_Y_SEQ, "sources", d))
    for (size_t i = 0; i < s->n; i++) {
      const char *id = sh_y_str(doc, s->items[i], N_("source item id"), d);
      if (id) sh_vec_push(&r->sources, sh_strdup(id));
    }
  const sh_ynode *rel = sh_y_require(doc, n, "relation", N_("relation entry"), d);
  const char *rs = rel ? sh_y_str(doc, rel, "relation", d) : NULL;
  if (rs) {
    r->relation = sh_strdup(rs);
    r->rel_line = rel->line;
    r->rel_col = rel->col;
    if (!sh_xw_class_parse(rs, &r->cls))
      sh_error(d, doc->file, rel->line, rel->col,
               "unknown relation '%s' (A, B, C, D, superset, equal, subset, intersect, no-relationship)", rs);
  }
  const sh_ynode *ra = sh_ymap_get(n, "rationale"); /* optional: an imported table may not say */
  const char *ras = ra ? sh_y_str(doc, ra, "rationale", d) : NULL;
  if (ras) {
    r->rationale = sh_strdup(ras);
    if (strcmp(ras, "syntactic") && strcmp(ras, "semantic") && strcmp(ras, "functional"))
      sh_error(d, doc->file, ra->line, ra->col, "unknown rationale '%s' (syntactic, semantic, functional)", ras);
  }
  const sh_ynode *no = sh_ymap_get(n, "note");
  if (no) sh_y_text(doc, no, &r->note.ja, &r->note.en, "note", d);
  const sh_ynode *so = sh_ymap_get(n, "source");
  if (so) load_doc_source(doc, so, &r->document, &r->lines, d);
  if (r->relation && r->cls != SH_XW_D && r->sources.n == 0 && d->nerrors == before)
    sh_error(d, doc->file, n->line, n->col, "relation %s needs at least one source item", r->relation);
  if (d->nerrors != before) {
    relation_free(r);
    return NULL;
  }
  return r;
}

static bool load_published(const sh_ydoc *doc, const sh_ynode *n, sh_xw_published *p, sh_diags *d) {
  static const char *const keys[] = {"A", "B", "C", "D", "total", "covered", "label", "source", NULL};
  if (!sh_y_expect(doc, n, SH_Y_MAP, "published", d) || !sh_y_check_keys(doc, n, keys, "published", d)) return false;
  static const char *const cls[] = {"A", "B", "C", "D", "total", "covered"};
  for (size_t i = 0; i < 6; i++) {
    const sh_ynode *v = sh_y_require(doc, n, cls[i], "published", d);
    int64_t x;
    if (!v || !sh_y_int(doc, v, &x, cls[i], d)) return false;
    if (x < 0) {
      sh_error(d, doc->file, v->line, v->col, "a count cannot be negative");
      return false;
    }
    if (i < 4) p->counts[i] = (size_t)x;
    else if (i == 4) p->total = (size_t)x;
    else p->covered = (size_t)x;
  }
  const sh_ynode *l = sh_ymap_get(n, "label");
  if (l) sh_y_text(doc, l, &p->label.ja, &p->label.en, "label", d);
  const sh_ynode *s = sh_ymap_get(n, "source");
  if (s && !load_doc_source(doc, s, &p->document, &p->lines, d)) return false;
  p->present = true;
  return true;
}

sh_xw_curated_file *sh_xw_curated_load_file(const char *path, sh_diags *d) {
  sh_ydoc *doc = sh_ydoc_load_file(path, d);
  if (!doc) return NULL;
  size_t before = d->nerrors;
  sh_xw_curated_file *f = sh_calloc(1, sizeof *f);
  f->file = sh_strdup(doc->file);
  const sh_ynode *root = doc->root;
  static const char *const top[] = {"crosswalk", "published", "relations", NULL};
  static const char *const head[] = {"from", "to", "title", NULL};
  if (!root) {
    sh_error(d, doc->file, 1, 1, "empty crosswalk file");
    goto done;
  }
  if (!sh_y_expect(doc, root, SH_Y_MAP, N_("crosswalk file"), d)) goto done;
  sh_y_check_keys(doc, root, top, N_("crosswalk file"), d);
  const sh_ynode *h = sh_y_require(doc, root, "crosswalk", N_("crosswalk file"), d);
  if (h && sh_y_expect(doc, h, SH_Y_MAP, "crosswalk", d)) {
    sh_y_check_keys(doc, h, head, "crosswalk", d);
    const sh_ynode *fr = sh_y_require(doc, h, "from", "crosswalk", d), *to = sh_y_require(doc, h, "to", "crosswalk", d);
    const char *frs = fr ? sh_y_str(doc, fr, "from", d) : NULL, *tos = to ? sh_y_str(doc, to, "to", d) : NULL;
    if (frs) {
      f->from = sh_strdup(frs);
      f->from_line = fr->line;
      f->from_col = fr->col;
    }
    if (tos) {
      f->to = sh_strdup(tos);
      f->to_line = to->line;
      f->to_col = to->col;
    }
    const sh_ynode *ti = sh_ymap_get(h, "title");
    if (ti) sh_y_text(doc, ti, &f->title.ja, &f->title.en, "title", d);
  }
  const sh_ynode *pub = sh_ymap_get(root, "published");
  if (pub) load_published(doc, pub, &f->published, d);
  const sh_ynode *rels = sh_ymap_get(root, "relations");
  if (rels && sh_y_expect(doc, rels, SH_Y_SEQ, "relations", d)) {
    for (size_t i = 0; i < rels->n; i++) {
      sh_xw_relation *r = load_relation(doc, rels->items[i], d);
      if (!r) continue;
      for (size_t j = 0; j < f->relations.n; j++) {
        const sh_xw_relation *o = f->relations.v[j];
        if (sh_streq(o->target, r->target)) {
          sh_error(d, doc->file, r->line, r->col, "second relation for target item '%s' (first at line %d)",
                   r->target, o->line);
          break;
        }
      }
      sh_vec_push(&f->relations, r);
    }
  }
done:
  sh_ydoc_free(doc);
  if (d->nerrors != before) {
    sh_xw_curated_file_free(f);
    return NULL;
  }
  return f;
}

static void curated_load_into(sh_xw_curated *c, sh_vec *files, sh_diags *d);

sh_xw_curated *sh_xw_curated_load_dir(const char *dir, sh_diags *d) {
  sh_xw_curated *c = sh_calloc(1, sizeof *c);
  sh_vec files = {0};
  sh_list_yaml_files(dir, &files);
  curated_load_into(c, &files, d);
  sh_vec_free_all(&files, free);
  return c;
}

sh_xw_curated *sh_xw_curated_load_registry(const sh_registry *reg, const char *const *extra, size_t nextra,
                                            sh_diags *d) {
  sh_xw_curated *c = sh_calloc(1, sizeof *c);
  sh_vec files = {0};
  for (size_t k = 0; k < reg->dirs.n; k++) {
    char *dir = sh_crosswalk_dir(reg->dirs.v[k]);
    sh_list_yaml_files(dir, &files);
    free(dir);
  }
  for (size_t i = 0; i < nextra; i++) sh_vec_push(&files, sh_strdup(extra[i]));
  curated_load_into(c, &files, d);
  sh_vec_free_all(&files, free);
  /* The published figures' document by its title, from the first data folder that knows it. */
  for (size_t k = 0; k < reg->dirs.n; k++) {
    sh_sources *src = sh_sources_load(reg->dirs.v[k]);
    for (size_t i = 0; i < c->files.n; i++) {
      sh_xw_published *p = &((sh_xw_curated_file *)c->files.v[i])->published;
      const char *t = p->document && !p->document_title ? sh_sources_field(src, p->document, "title") : NULL;
      if (t) p->document_title = sh_strdup(t);
    }
    sh_sources_free(src);
  }
  return c;
}

static void curated_load_into(sh_xw_curated *c, sh_vec *fv, sh_diags *d) {
  sh_vec files = *fv;
  for (size_t i = 0; i < files.n; i++) {
    sh_xw_curated_file *f = sh_xw_curated_load_file(files.v[i], d);
    if (!f) continue;
    const sh_xw_curated_file *dup = sh_xw_curated_find(c, f->from, f->to);
    if (dup) {
      sh_error(d, f->file, f->from_line, f->from_col, "the pair %s -> %s is also curated in %s", f->from, f->to,
               dup->file);
      sh_xw_curated_file_free(f);
      continue;
    }
    sh_vec_push(&c->files, f);
  }
}

const sh_xw_curated_file *sh_xw_curated_find(const sh_xw_curated *c, const char *from, const char *to) {
  if (!c) return NULL;
  for (size_t i = 0; i < c->files.n; i++) {
    const sh_xw_curated_file *f = c->files.v[i];
    if (sh_streq(f->from, from) && sh_streq(f->to, to)) return f;
  }
  return NULL;
}

char *sh_crosswalk_dir(const char *data_dir) { return sh_path_join(data_dir, "rules/crosswalks"); }

/* ---------- fact links: facts that occur together in one of the vocabulary's implications ---------- */

/* adj[k]: const sh_fact* linked to fact k by some implication (either side). Caller frees each and the array. */
static sh_vec *fact_links(const sh_vocab *v) {
  size_t n = v->facts.n;
  sh_vec *adj = sh_calloc(n ? n : 1, sizeof *adj);
  for (size_t i = 0; i < v->implications.n; i++) {
    const sh_implication *im = v->implications.v[i];
    sh_vec fs = {0};
    sh_expr_facts(im->if_, &fs);
    sh_expr_facts(im->then_, &fs);
    for (size_t a = 0; a < fs.n; a++)
      for (size_t b = 0; b < fs.n; b++) {
        if (a == b) continue;
        sh_vec *l = &adj[((const sh_fact *)fs.v[a])->index];
        bool seen = false;
        for (size_t k = 0; k < l->n && !seen; k++) seen = l->v[k] == fs.v[b];
        if (!seen) sh_vec_push(l, fs.v[b]);
      }
    sh_vec_free(&fs);
  }
  return adj;
}

static int cmp_item_index(const void *x, const void *y) {
  const sh_item *a = *(const sh_item *const *)x, *b = *(const sh_item *const *)y;
  return a->index < b->index ? -1 : a->index > b->index;
}

/* ---------- classification ---------- */

typedef struct {
  sh_logic_ctx *lc;
  const sh_framework *from, *to;
  sh_vec *adj;           /* fact index -> const sh_fact* linked by an implication */
  sh_vec *by_fact;       /* fact index -> const sh_item* source items whose require uses it */
  size_t nfacts;
  unsigned *mark;        /* source item index -> stamp of the last target that listed it */
  unsigned stamp;
} xw_ctx;


/* The requirement of source item s as it binds under the target's applicability: s's requirement
 * when the target's applicability implies s's (or s always applies), otherwise (not applies_s or require_s). */
static sh_expr *effective(xw_ctx *x, const sh_item *t, const sh_item *s) {
  if (!s->applies_if || sh_logic_implies(x->lc, t->applies_if, s->applies_if, NULL) == SH_LOGIC_YES)
    return sh_expr_clone(s->require);
  sh_expr *k[2] = {sh_expr_new_not(sh_expr_clone(s->applies_if)), sh_expr_clone(s->require)};
  return sh_expr_new_nary(SH_E_OR, k, 2);
}

/* applies_T and the effective requirements of items[0..n). Caller frees. NULL means true. */
static sh_expr *premise(xw_ctx *x, const sh_item *t, const sh_item *const *items, size_t n) {
  sh_expr **k = sh_malloc((n + 1) * sizeof *k);
  size_t m = 0;
  if (t->applies_if) k[m++] = sh_expr_clone(t->applies_if);
  for (size_t i = 0; i < n; i++) k[m++] = effective(x, t, items[i]);
  sh_expr *e = m ? sh_expr_new_nary(SH_E_AND, k, m) : NULL;
  free(k);
  return e;
}

static sh_logic forward(xw_ctx *x, const sh_item *t, const sh_item *const *items, size_t n) {
  sh_expr *p = premise(x, t, items, n);
  sh_logic r = sh_logic_implies(x->lc, p, t->require, NULL);
  sh_expr_free(p);
  return r;
}

/* Does the target (under its applicability) imply the witnesses back? */
static sh_logic backward(xw_ctx *x, const sh_item *t, const sh_item *const *items, size_t n, char **model) {
  sh_expr *k[2];
  size_t m = 0;
  if (t->applies_if) k[m++] = sh_expr_clone(t->applies_if);
  k[m++] = sh_expr_clone(t->require);
  sh_expr *p = sh_expr_new_nary(SH_E_AND, k, m);
  sh_expr **q = sh_malloc(n * sizeof *q);
  for (size_t i = 0; i < n; i++) q[i] = effective(x, t, items[i]);
  sh_expr *qe = sh_expr_new_nary(SH_E_AND, q, n);
  free(q);
  sh_logic_detail d = {0};
  sh_logic r = sh_logic_implies(x->lc, p, qe, &d);
  if (r == SH_LOGIC_NO && model) {
    *model = d.counter_model;
    d.counter_model = NULL;
  }
  sh_logic_detail_clear(&d);
  sh_expr_free(p);
  sh_expr_free(qe);
  return r;
}

static sh_xw_result *result_new(const sh_item *t) {
  sh_xw_result *r = sh_calloc(1, sizeof *r);
  r->item = t;
  r->cls = SH_XW_UNKNOWN;
  r->derived_cls = SH_XW_UNKNOWN;
  return r;
}

static void result_free(void *p) {
  sh_xw_result *r = p;
  sh_vec_free(&r->witnesses);
  sh_vec_free(&r->also);
  sh_vec_free(&r->overlap);
  sh_vec_free(&r->weaker);
  sh_vec_free_all(&r->unmet, sh_clause_free);
  free(r->counter_model);
  free(r->why_unknown);
  free(r);
}

#define MAX_CONDITIONAL 8 /* conditional source items (applies_if not implied) in one conjunction */
#define MAX_CANDIDATES 64 /* overlapping source items the proof search considers one by one */
#define MAX_POOL 16       /* source items considered together (conjunction, unmet conditions) */

/* Sets the class of a covered result from the back implication of its witnesses. */
static void settle_covered(xw_ctx *x, const sh_item *t, sh_xw_result *r) {
  char *model = NULL;
  sh_logic b = backward(x, t, (const sh_item *const *)r->witnesses.v, r->witnesses.n, &model);
  r->covered = true;
  if (b == SH_LOGIC_YES) {
    r->derived_cls = SH_XW_B;
  } else if (b == SH_LOGIC_NO) {
    r->derived_cls = SH_XW_A;
    r->counter_model = model;
    model = NULL;
  } else {
    r->derived_cls = SH_XW_UNKNOWN;
    r->why_unknown = sh_strdup(N_("the source items imply the item, but whether it implies them back is undecided"));
  }
  free(model);
}

static void derive(xw_ctx *x, const sh_item *t, sh_xw_result *r) {
  r->derived = true;
  /* Source items on the same or linked facts. */
  /* Items on the item's own facts first (in source order), then items on facts linked to them by one
   * implication of the vocabulary. */
  x->stamp++;
  sh_vec tf = {0};
  sh_expr_facts(t->require, &tf);
  for (int hop = 0; hop < 2; hop++) {
    size_t first = r->overlap.n;
    for (size_t i = 0; i < tf.n; i++) {
      const sh_fact *f = tf.v[i];
      const sh_vec *facts = hop ? &x->adj[f->index] : NULL;
      for (size_t k = 0; k < (hop ? facts->n : 1); k++) {
        const sh_vec *lst = &x->by_fact[hop ? ((const sh_fact *)facts->v[k])->index : f->index];
        for (size_t j = 0; j < lst->n; j++) {
          const sh_item *s = lst->v[j];
          if (x->mark[s->index] == x->stamp) continue;
          x->mark[s->index] = x->stamp;
          sh_vec_push(&r->overlap, (void *)s);
        }
      }
    }
    if (r->overlap.n > first)
      qsort(r->overlap.v + first, r->overlap.n - first, sizeof *r->overlap.v, cmp_item_index);
  }
  sh_vec_free(&tf);
  if (r->overlap.n == 0) {
    r->derived_cls = SH_XW_D;
    return;
  }
  sh_vec eligible = {0}, weaker = {0};
  /* The proof search looks at the first MAX_CANDIDATES overlapping items (own facts first). */
  size_t ncand = r->overlap.n < MAX_CANDIDATES ? r->overlap.n : MAX_CANDIDATES;
  for (size_t i = 0; i < ncand; i++) {
    const sh_item *s = r->overlap.v[i];
    sh_vec_push(s->strength <= t->strength ? &eligible : &weaker, (void *)s);
  }
  bool undecided = false;
  /* 1. A single source item. */
  for (size_t i = 0; i < eligible.n; i++) {
    const sh_item *s = eligible.v[i];
    sh_logic f = forward(x, t, &s, 1);
    if (f == SH_LOGIC_YES) sh_vec_push(r->witnesses.n ? &r->also : &r->witnesses, (void *)s);
    else if (f == SH_LOGIC_UNKNOWN) undecided = true;
  }
  if (r->witnesses.n) {
    /* Prefer an equivalent witness (B) among the singles. */
    settle_covered(x, t, r);
    for (size_t i = 0; i < r->also.n && r->derived_cls != SH_XW_B; i++) {
      const sh_item *s = r->also.v[i];
      if (backward(x, t, &s, 1, NULL) == SH_LOGIC_YES) {
        r->also.v[i] = r->witnesses.v[0];
        r->witnesses.v[0] = (void *)s;
        free(r->counter_model);
        r->counter_model = NULL;
        free(r->why_unknown);
        r->why_unknown = NULL;
        r->derived_cls = SH_XW_B;
      }
    }
    goto out;
  }
  /* 2. Several source items together: all eligible ones (bounded), then a greedy minimisation. */
  sh_vec pool = {0};
  size_t conditional = 0;
  for (size_t i = 0; i < eligible.n; i++) {
    const sh_item *s = eligible.v[i];
    bool cond = s->applies_if && sh_logic_implies(x->lc, t->applies_if, s->applies_if, NULL) != SH_LOGIC_YES;
    if (cond && conditional >= MAX_CONDITIONAL) continue;
    conditional += cond;
    sh_vec_push(&pool, (void *)s);
    if (pool.n == MAX_POOL) break;
  }
  if (pool.n >= 2) {
    sh_logic f = forward(x, t, (const sh_item *const *)pool.v, pool.n);
    if (f == SH_LOGIC_YES) {
      for (size_t i = 0; i < pool.n;) {
        sh_vec rest = {0};
        for (size_t j = 0; j < pool.n; j++)
          if (j != i) sh_vec_push(&rest, pool.v[j]);
        if (rest.n && forward(x, t, (const sh_item *const *)rest.v, rest.n) == SH_LOGIC_YES) {
          sh_vec_free(&pool);
          pool = rest;
        } else {
          sh_vec_free(&rest);
          i++;
        }
      }
      qsort(pool.v, pool.n, sizeof *pool.v, cmp_item_index);
      for (size_t i = 0; i < pool.n; i++) sh_vec_push(&r->witnesses, pool.v[i]);
      sh_vec_free(&pool);
      settle_covered(x, t, r);
      goto out;
    }
    if (f == SH_LOGIC_UNKNOWN) undecided = true;
  }
  sh_vec_free(&pool);
  /* 3. Not covered: what remains unmet by everything on the same facts. */
  for (size_t i = 0; i < weaker.n; i++) {
    const sh_item *s = weaker.v[i];
    if (forward(x, t, &s, 1) == SH_LOGIC_YES) sh_vec_push(&r->weaker, (void *)s);
  }
  {
    sh_vec all = {0};
    size_t cond = 0;
    for (size_t i = 0; i < ncand; i++) {
      const sh_item *s = r->overlap.v[i];
      bool c = s->applies_if && sh_logic_implies(x->lc, t->applies_if, s->applies_if, NULL) != SH_LOGIC_YES;
      if (c && cond >= MAX_CONDITIONAL) continue;
      cond += c;
      sh_vec_push(&all, (void *)s);
      if (all.n == MAX_POOL) break;
    }
    sh_expr *p = premise(x, t, (const sh_item *const *)all.v, all.n);
    sh_logic u = sh_logic_unmet(x->lc, p, t->require, &r->unmet);
    sh_expr_free(p);
    sh_vec_free(&all);
    if (u == SH_LOGIC_NO || (u == SH_LOGIC_YES && r->weaker.n)) {
      r->derived_cls = SH_XW_C; /* some condition is provably left unmet, or only weaker items cover it */
    } else if (u == SH_LOGIC_YES) {
      /* Everything together implies it, but not within the bounds of the witness search. */
      r->derived_cls = SH_XW_UNKNOWN;
      r->why_unknown = sh_strdup(N_("the source items imply the item only together with conditional items past the bound"));
    } else {
      r->derived_cls = SH_XW_UNKNOWN;
      r->why_unknown = sh_strdup(undecided ? N_("implication undecided within the bounds")
                                           : N_("some conditions could not be decided within the bounds"));
    }
  }
out:
  sh_vec_free(&eligible);
  sh_vec_free(&weaker);
}

/* Does the curated relation name a source item? Derivation says D only when the vocabulary links none of the
 * item's facts to a source item's facts (or the source item is manual, which derivation cannot see): a person who
 * names source items records a link the vocabulary does not express, and that reading is used. */
static bool names_source(const sh_framework *from, const sh_xw_relation *c) {
  for (size_t i = 0; i < c->sources.n; i++)
    if (sh_framework_item(from, c->sources.v[i])) return true;
  return false;
}

static void apply_curated(const sh_framework *from, sh_xw_result *r) {
  const sh_xw_relation *c = r->curated;
  if (!r->derived || r->derived_cls == SH_XW_UNKNOWN ||
      (r->derived_cls == SH_XW_D && names_source(from, c))) {
    r->cls = c->cls;
    r->from_curated = true;
    r->covered = c->cls == SH_XW_A || c->cls == SH_XW_B;
    sh_vec_free(&r->witnesses);
    for (size_t i = 0; i < c->sources.n; i++) {
      const sh_item *s = sh_framework_item(from, c->sources.v[i]);
      if (s) sh_vec_push(&r->witnesses, (void *)s);
    }
    return;
  }
  r->cls = r->derived_cls;
  r->conflict = c->cls != r->derived_cls;
}

sh_crosswalk *sh_crosswalk_compute(sh_logic_ctx *lc, const sh_framework *from, const sh_framework *to,
                                   const sh_xw_curated_file *curated) {
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  sh_crosswalk *xw = sh_calloc(1, sizeof *xw);
  xw->from = from;
  xw->to = to;
  xw->curated = curated;
  xw_ctx x = {.lc = lc, .from = from, .to = to};
  const sh_vocab *voc = sh_logic_vocab(lc);
  size_t nf = voc->facts.n;
  x.adj = fact_links(voc);
  x.nfacts = nf;
  x.by_fact = sh_calloc(nf ? nf : 1, sizeof *x.by_fact);
  x.mark = sh_calloc(from->items.n ? from->items.n : 1, sizeof *x.mark);
  for (size_t i = 0; i < from->items.n; i++) {
    const sh_item *s = from->items.v[i];
    if (!s->require) continue;
    sh_vec sf = {0};
    sh_expr_facts(s->require, &sf);
    for (size_t j = 0; j < sf.n; j++) sh_vec_push(&x.by_fact[((const sh_fact *)sf.v[j])->index], (void *)s);
    sh_vec_free(&sf);
  }
  for (size_t i = 0; i < to->items.n; i++) {
    const sh_item *t = to->items.v[i];
    sh_xw_result *r = result_new(t);
    if (t->require) derive(&x, t, r);
    r->cls = r->derived_cls;
    if (curated)
      for (size_t j = 0; j < curated->relations.n; j++) {
        const sh_xw_relation *c = curated->relations.v[j];
        if (sh_streq(c->target, t->id)) {
          r->curated = c;
          break;
        }
      }
    if (r->curated) apply_curated(from, r);
    else if (!t->require) r->why_unknown = sh_strdup(N_("manual item without a curated relation"));
    xw->totals[r->cls]++;
    xw->nconflicts += r->conflict;
    sh_vec_push(&xw->results, r);
  }
  for (size_t i = 0; i < nf; i++) {
    sh_vec_free(&x.by_fact[i]);
    sh_vec_free(&x.adj[i]);
  }
  free(x.by_fact);
  free(x.adj);
  free(x.mark);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  xw->seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
  return xw;
}

void sh_crosswalk_free(sh_crosswalk *xw) {
  if (!xw) return;
  sh_vec_free_all(&xw->results, result_free);
  free(xw);
}

const sh_xw_result *sh_crosswalk_result(const sh_crosswalk *xw, const char *target_id) {
  for (size_t i = 0; i < xw->results.n; i++) {
    const sh_xw_result *r = xw->results.v[i];
    if (sh_streq(r->item->id, target_id)) return r;
  }
  return NULL;
}

double sh_crosswalk_coverage(const sh_crosswalk *xw) {
  size_t n = xw->results.n;
  return n ? 100.0 * (double)(xw->totals[SH_XW_A] + xw->totals[SH_XW_B]) / (double)n : 0.0;
}

/* ---------- lint ---------- */

size_t sh_crosswalk_lint(const sh_registry *reg, const sh_xw_curated *cur, sh_diags *d) {
  size_t before = d->nerrors;
  sh_logic_ctx *lc = NULL;
  for (size_t i = 0; i < cur->files.n; i++) {
    const sh_xw_curated_file *f = cur->files.v[i];
    const sh_framework *from = sh_registry_find(reg, f->from), *to = sh_registry_find(reg, f->to);
    if (!from) sh_error(d, f->file, f->from_line, f->from_col, "unknown framework '%s'", f->from);
    if (!to) sh_error(d, f->file, f->to_line, f->to_col, "unknown framework '%s'", f->to);
    if (!from || !to) continue;
    bool bad = false;
    for (size_t j = 0; j < f->relations.n; j++) {
      const sh_xw_relation *r = f->relations.v[j];
      if (!sh_framework_item(to, r->target)) {
        sh_error(d, f->file, r->line, r->col, "unknown item '%s' of %s", r->target, f->to);
        bad = true;
      }
      for (size_t k = 0; k < r->sources.n; k++)
        if (!sh_framework_item(from, r->sources.v[k])) {
          sh_error(d, f->file, r->line, r->col, "unknown item '%s' of %s", (const char *)r->sources.v[k], f->from);
          bad = true;
        }
    }
    if (bad) continue;
    if (!lc) lc = sh_logic_new(reg->vocab, NULL);
    sh_crosswalk *xw = sh_crosswalk_compute(lc, from, to, f);
    size_t over_d = 0;
    for (size_t j = 0; j < xw->results.n; j++) {
      const sh_xw_result *r = xw->results.v[j];
      over_d += r->from_curated && r->derived && r->derived_cls == SH_XW_D && r->cls != SH_XW_D;
    }
    /* Derivation and a curated entry that disagree without being a conflict: the entry names source items where
     * the vocabulary links none (D); said once per file so that the reading stays visible. */
    if (over_d == 1)
      sh_diag_add(d, SH_SEV_NOTE, f->file, f->from_line, f->from_col,
                  "1 curated relation gives a class where derivation found no vocabulary link (D); "
                  "`shinsa crosswalk --from %s --to %s` marks it [curated]",
                  f->from, f->to);
    else if (over_d)
      sh_diag_add(d, SH_SEV_NOTE, f->file, f->from_line, f->from_col,
                  "%zu curated relations give a class where derivation found no vocabulary link (D); "
                  "`shinsa crosswalk --from %s --to %s` marks them [curated]",
                  over_d, f->from, f->to);
    for (size_t j = 0; j < xw->results.n; j++) {
      const sh_xw_result *r = xw->results.v[j];
      if (!r->conflict) continue;
      sh_buf w = {0};
      for (size_t k = 0; k < r->witnesses.n; k++)
        sh_buf_printf(&w, "%s%s", k ? ", " : "", ((const sh_item *)r->witnesses.v[k])->id);
      if (w.len)
        sh_error(d, f->file, r->curated->rel_line, r->curated->rel_col,
                 "curated relation '%s' (class %s) for %s item '%s' disagrees with the derived class %s (witnesses: %s)",
                 r->curated->relation, sh_xw_class_name(r->curated->cls), f->to, r->item->id,
                 sh_xw_class_name(r->derived_cls), sh_buf_str(&w));
      else
        sh_error(d, f->file, r->curated->rel_line, r->curated->rel_col,
                 "curated relation '%s' (class %s) for %s item '%s' disagrees with the derived class %s",
                 r->curated->relation, sh_xw_class_name(r->curated->cls), f->to, r->item->id,
                 sh_xw_class_name(r->derived_cls));
      sh_buf_free(&w);
    }
    sh_crosswalk_free(xw);
  }
  sh_logic_free(lc);
  return d->nerrors - before;
}
