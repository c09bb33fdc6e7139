/* vocab: loading the fact vocabulary and typed values. See vocab.h. */
#include "vocab.h"
#include "i18n.h"

#include "expr.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

const char *sh_type_name(sh_type t) {
  switch (t) {
  case SH_T_BOOL: return "boolean";
  case SH_T_INT: return "integer";
  case SH_T_ENUM: return "enum";
  case SH_T_SET: return "set";
  case SH_T_DATE: return "date";
  case SH_T_TEXT: return "text";
  }
  return "?";
}

static bool parse_type(const char *s, sh_type *t) {
  static const struct {
    const char *name;
    sh_type t;
  } names[] = {{"boolean", SH_T_BOOL}, {"integer", SH_T_INT}, {"enum", SH_T_ENUM},
               {"set", SH_T_SET},      {"date", SH_T_DATE},    {"text", SH_T_TEXT}};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    if (strcmp(s, names[i].name) == 0) return *t = names[i].t, true;
  return false;
}

/* Identifiers: [a-z][a-z0-9_]* ; fact ids: identifiers joined by dots. */
static bool valid_ident(const char *s, size_t n) {
  if (n == 0 || !(s[0] >= 'a' && s[0] <= 'z')) return false;
  for (size_t i = 1; i < n; i++) {
    char c = s[i];
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

static bool valid_fact_id(const char *s) {
  const char *p = s;
  for (;;) {
    const char *dot = strchr(p, '.');
    size_t n = dot ? (size_t)(dot - p) : strlen(p);
    if (!valid_ident(p, n)) return false;
    if (!dot) return true;
    p = dot + 1;
  }
}

static bool is_keyword(const char *s) {
  static const char *kw[] = {"and", "or", "not", "in", "contains", "all", "any", "subset", "of", "true", "false", NULL};
  for (int i = 0; kw[i]; i++)
    if (strcmp(s, kw[i]) == 0) return true;
  return false;
}

static void free_fact(void *p) {
  sh_fact *f = p;
  free(f->id);
  free(f->unit);
  for (size_t i = 0; i < f->nvalues; i++) {
    free(f->values[i]);
    if (f->value_ja) free(f->value_ja[i]);
    if (f->value_en) free(f->value_en[i]);
  }
  free(f->values);
  free(f->value_ja);
  free(f->value_en);
  free(f->label_ja);
  free(f->label_en);
  free(f->desc_ja);
  free(f->desc_en);
  free(f->file);
  free(f);
}

static void free_impl(void *p) {
  sh_implication *im = p;
  sh_expr_free(im->if_);
  sh_expr_free(im->then_);
  free(im->note_ja);
  free(im->note_en);
  free(im->file);
  free(im);
}

void sh_vocab_free(sh_vocab *v) {
  if (!v) return;
  sh_vec_free_all(&v->facts, free_fact);
  sh_vec_free_all(&v->implications, free_impl);
  sh_vec_free_all(&v->files, free);
  for (size_t i = 0; i < v->texts.n; i++) sh_buf_free(v->texts.v[i]);
  sh_vec_free_all(&v->texts, free);
  sh_strmap_free(&v->by_id);
  sh_strmap_free(&v->seen);
  free(v->id);
  free(v->version);
  free(v);
}

const sh_fact *sh_vocab_find(const sh_vocab *v, const char *id) { return sh_strmap_get(&v->by_id, id); }

const char *sh_vocab_closest(const sh_vocab *v, const char *name) {
  const char *best = NULL;
  size_t bd = 4;
  for (size_t i = 0; i < v->facts.n; i++) sh_nearest(name, ((const sh_fact *)v->facts.v[i])->id, &best, &bd);
  return best;
}
size_t sh_vocab_count(const sh_vocab *v) { return v->facts.n; }
const sh_fact *sh_vocab_at(const sh_vocab *v, size_t i) { return v->facts.v[i]; }

const char *sh_fact_value_label(const sh_fact *f, size_t k, const char *lang) {
  if (k >= f->nvalues) return "";
  const char *ja = f->value_ja ? f->value_ja[k] : NULL, *en = f->value_en ? f->value_en[k] : NULL;
  const char *first = lang && strcmp(lang, "ja") == 0 ? ja : en, *second = first == ja ? en : ja;
  return first ? first : second ? second : f->values[k];
}

int sh_fact_value_index(const sh_fact *f, const char *name) {
  for (size_t i = 0; i < f->nvalues; i++)
    if (strcmp(f->values[i], name) == 0) return (int)i;
  return -1;
}

static void load_fact(sh_vocab *v, const sh_ydoc *doc, const sh_ynode *n, sh_diags *d) {
  static const char *const keys[] = {"id", "type", "values", "value_labels", "unit", "derived", "label", "description", NULL};
  if (!sh_y_expect(doc, n, SH_Y_MAP, N_("a fact"), d)) return;
  size_t before = d->nerrors;
  sh_y_check_keys(doc, n, keys, N_("a fact"), d);
  const sh_ynode *idn = sh_y_require(doc, n, "id", N_("a fact"), d);
  const sh_ynode *tn = sh_y_require(doc, n, "type", N_("a fact"), d);
  const char *id = idn ? sh_y_str(doc, idn, N_("fact id"), d) : NULL;
  const char *ts = tn ? sh_y_str(doc, tn, N_("fact type"), d) : NULL;
  if (id && (!valid_fact_id(id) || is_keyword(id))) {
    sh_error(d, doc->file, idn->line, idn->col,
             "invalid fact id '%s' (lower-case identifiers joined by dots, not a keyword)", id);
    id = NULL;
  }
  if (id && sh_strmap_get(&v->seen, id)) {
    const sh_ynode *prev = sh_strmap_get(&v->seen, id);
    sh_error(d, doc->file, idn->line, idn->col, "fact '%s' is already defined at line %d", id, prev->line);
    id = NULL;
  } else if (id) {
    sh_strmap_put(&v->seen, id, (void *)n);
  }
  sh_type t = SH_T_BOOL;
  if (ts && !parse_type(ts, &t)) {
    sh_error(d, doc->file, tn->line, tn->col,
             "unknown fact type '%s' (expected boolean, integer, enum, set, date or text)", ts);
    ts = NULL;
  }
  sh_fact *f = sh_calloc(1, sizeof *f);
  f->type = t;
  const sh_ynode *vals = sh_ymap_get(n, "values");
  if (ts && (t == SH_T_ENUM || t == SH_T_SET)) {
    if (!vals) sh_error(d, doc->file, n->line, n->col, "fact '%s' of type %s needs 'values'", id ? id : "?", ts);
    else if (sh_y_expect(doc, vals, SH_Y_SEQ, N_("fact values"), d)) {
      if (vals->n == 0 || vals->n > SH_MAX_ENUM_VALUES)
        sh_error(d, doc->file, vals->line, vals->col, "a fact has 1 to %d values, not %zu", SH_MAX_ENUM_VALUES,
                 vals->n);
      f->values = sh_calloc(vals->n, sizeof *f->values);
      for (size_t i = 0; i < vals->n && i < SH_MAX_ENUM_VALUES; i++) {
        const char *s = sh_y_str(doc, vals->items[i], N_("fact value"), d);
        if (!s) continue;
        if (!valid_ident(s, strlen(s)) || is_keyword(s)) {
          sh_error(d, doc->file, vals->items[i]->line, vals->items[i]->col,
                   "invalid value name '%s' (lower-case identifier, not a keyword)", s);
          continue;
        }
        if (sh_fact_value_index(f, s) >= 0)
          sh_error(d, doc->file, vals->items[i]->line, vals->items[i]->col, "duplicate value '%s'", s);
        f->values[f->nvalues++] = sh_strdup(s);
      }
    }
  } else if (vals && ts) {
    sh_error(d, doc->file, vals->line, vals->col, "'values' is only for enum and set facts");
  }
  const sh_ynode *vl = sh_ymap_get(n, "value_labels");
  if (vl && !(t == SH_T_ENUM || t == SH_T_SET)) {
    sh_error(d, doc->file, vl->line, vl->col, "'value_labels' is only for enum and set facts");
  } else if (vl && f->nvalues && sh_y_expect(doc, vl, SH_Y_MAP, "value_labels", d)) {
    f->value_ja = sh_calloc(f->nvalues, sizeof *f->value_ja);
    f->value_en = sh_calloc(f->nvalues, sizeof *f->value_en);
    for (size_t i = 0; i < vl->n; i++) {
      const sh_ynode *kn = vl->pairs[i].key, *ln = vl->pairs[i].val;
      const char *k = sh_y_str(doc, kn, N_("value name"), d);
      int idx = k ? sh_fact_value_index(f, k) : -1;
      if (k && idx < 0) {
        sh_error(d, doc->file, kn->line, kn->col, "value_labels: '%s' is not one of the fact's values", k);
        continue;
      }
      if (idx >= 0) sh_y_text(doc, ln, &f->value_ja[idx], &f->value_en[idx], N_("value label"), d);
    }
  }
  const sh_ynode *un = sh_ymap_get(n, "unit");
  if (un) {
    if (t != SH_T_INT) sh_error(d, doc->file, un->line, un->col, "'unit' is only for integer facts");
    const char *s = sh_y_str(doc, un, "unit", d);
    if (s) f->unit = sh_strdup(s);
  }
  const sh_ynode *dn = sh_ymap_get(n, "derived");
  if (dn) sh_y_bool(doc, dn, &f->derived, "derived", d);
  const sh_ynode *ln = sh_y_require(doc, n, "label", N_("a fact"), d);
  if (ln) sh_y_text(doc, ln, &f->label_ja, &f->label_en, "label", d);
  const sh_ynode *den = sh_ymap_get(n, "description");
  if (den) sh_y_text(doc, den, &f->desc_ja, &f->desc_en, "description", d);
  f->file = sh_strdup(doc->file);
  f->line = n->line;
  f->col = n->col;
  if (!id || d->nerrors != before) {
    free_fact(f);
    return;
  }
  f->id = sh_strdup(id);
  f->index = v->facts.n;
  sh_vec_push(&v->facts, f);
  sh_strmap_put(&v->by_id, f->id, f);
}

static void load_implication(sh_vocab *v, const sh_ydoc *doc, const sh_ynode *n, sh_diags *d) {
  static const char *const keys[] = {"if", "then", "note", NULL};
  if (!sh_y_expect(doc, n, SH_Y_MAP, N_("an implication"), d)) return;
  size_t before = d->nerrors;
  sh_y_check_keys(doc, n, keys, N_("an implication"), d);
  const sh_ynode *in = sh_y_require(doc, n, "if", N_("an implication"), d);
  const sh_ynode *tn = sh_y_require(doc, n, "then", N_("an implication"), d);
  sh_implication *im = sh_calloc(1, sizeof *im);
  if (in) im->if_ = sh_expr_parse_node(v, doc, in, "implication 'if'", d);
  if (tn) im->then_ = sh_expr_parse_node(v, doc, tn, "implication 'then'", d);
  const sh_ynode *nn = sh_ymap_get(n, "note");
  if (nn) sh_y_text(doc, nn, &im->note_ja, &im->note_en, "note", d);
  im->file = sh_strdup(doc->file);
  im->line = n->line;
  im->col = n->col;
  if (d->nerrors != before || !im->if_ || !im->then_) {
    free_impl(im);
    return;
  }
  sh_vec_push(&v->implications, im);
}

sh_vocab *sh_vocab_load(const char *const *paths, size_t npaths, sh_diags *d) {
  sh_vocab *v = sh_calloc(1, sizeof *v);
  size_t before = d->nerrors;
  sh_ydoc **docs = sh_calloc(npaths, sizeof *docs);
  /* Facts of every file first, so implications may name facts of any file. */
  for (size_t k = 0; k < npaths; k++) {
    /* Read once: the text is kept for the store (run inputs and snapshot), which reads no file again. */
    sh_buf *tb = sh_calloc(1, sizeof *tb);
    char *text = NULL;
    size_t len = 0;
    sh_ydoc *doc = NULL;
    if (sh_ydoc_read_file(paths[k], &text, &len, d) == 0) {
      doc = sh_ydoc_load_string(paths[k], text, len, d);
      tb->data = text;
      tb->len = len;
      tb->cap = len + 1;
    }
    docs[k] = doc;
    sh_vec_push(&v->texts, tb);
    sh_vec_push(&v->files, sh_strdup(paths[k]));
    if (!doc) continue;
    if (!doc->root || doc->root->kind != SH_Y_MAP) {
      sh_error(d, doc->file, doc->root ? doc->root->line : 1, doc->root ? doc->root->col : 1,
               "a vocabulary file must be a mapping with 'facts'");
      continue;
    }
    static const char *const keys[] = {"vocabulary", "facts", "implications", NULL};
    sh_y_check_keys(doc, doc->root, keys, N_("a vocabulary file"), d);
    const sh_ynode *meta = sh_ymap_get(doc->root, "vocabulary");
    if (meta && sh_y_expect(doc, meta, SH_Y_MAP, "vocabulary", d)) {
      static const char *const mkeys[] = {"id", "version", NULL};
      sh_y_check_keys(doc, meta, mkeys, "vocabulary", d);
      const sh_ynode *idn = sh_ymap_get(meta, "id"), *vn = sh_ymap_get(meta, "version");
      const char *s;
      if (idn && !v->id && (s = sh_y_str(doc, idn, N_("vocabulary id"), d))) v->id = sh_strdup(s);
      if (vn && !v->version && (s = sh_y_str(doc, vn, N_("vocabulary version"), d))) v->version = sh_strdup(s);
    }
    const sh_ynode *facts = sh_ymap_get(doc->root, "facts");
    if (facts && sh_y_expect(doc, facts, SH_Y_SEQ, "facts", d))
      for (size_t i = 0; i < facts->n; i++) load_fact(v, doc, facts->items[i], d);
  }
  for (size_t k = 0; k < npaths; k++) {
    sh_ydoc *doc = docs[k];
    if (!doc) continue;
    if (!doc->root) { /* an empty document */
      sh_ydoc_free(doc);
      continue;
    }
    const sh_ynode *impls = sh_ymap_get(doc->root, "implications");
    if (impls && sh_y_expect(doc, impls, SH_Y_SEQ, "implications", d))
      for (size_t i = 0; i < impls->n; i++) load_implication(v, doc, impls->items[i], d);
    sh_ydoc_free(doc);
  }
  free(docs);
  if (!v->id) v->id = sh_strdup("shinsa-facts");
  if (!v->version) v->version = sh_strdup("0");
  if (d->nerrors != before) {
    sh_vocab_free(v);
    return NULL;
  }
  return v;
}

/* ---- values ---- */

void sh_value_clear(sh_value *v) {
  free(v->text);
  memset(v, 0, sizeof *v);
}

void sh_value_copy(sh_value *dst, const sh_value *src) {
  *dst = *src;
  dst->text = sh_strdup(src->text);
}

bool sh_value_equal(const sh_value *a, const sh_value *b) {
  if (a->type != b->type) return false;
  switch (a->type) {
  case SH_T_BOOL: return a->b == b->b;
  case SH_T_INT:
  case SH_T_DATE:
  case SH_T_ENUM: return a->i == b->i;
  case SH_T_SET: return a->set == b->set;
  case SH_T_TEXT: return sh_streq(a->text, b->text);
  }
  return false;
}

static bool parse_int(const char *s, int64_t *out) {
  if (!*s) return false;
  const char *p = s;
  if (*p == '-' || *p == '+') p++;
  if (!*p) return false;
  for (const char *q = p; *q; q++)
    if (*q < '0' || *q > '9') return false;
  errno = 0;
  char *end;
  long long v = strtoll(s, &end, 10);
  if (errno == ERANGE || *end) return false;
  *out = v;
  return true;
}

bool sh_value_from_string(const sh_fact *f, const char *s, sh_value *out, const char **err) {
  memset(out, 0, sizeof *out);
  out->type = f->type;
  switch (f->type) {
  case SH_T_BOOL:
    if (strcmp(s, "true") == 0) return out->b = true, true;
    if (strcmp(s, "false") == 0) return out->b = false, true;
    *err = N_("expected true or false");
    return false;
  case SH_T_INT:
    if (parse_int(s, &out->i)) return true;
    *err = N_("expected an integer");
    return false;
  case SH_T_DATE: {
    sh_date dt;
    if (sh_date_parse(s, &dt)) return out->i = dt, true;
    *err = N_("expected a date YYYY-MM-DD");
    return false;
  }
  case SH_T_ENUM: {
    int k = sh_fact_value_index(f, s);
    if (k >= 0) return out->i = k, true;
    *err = N_("not one of the fact's values");
    return false;
  }
  case SH_T_SET: {
    const char *p = s;
    while (*p) {
      while (*p == ' ' || *p == ',' || *p == '[' || *p == ']') p++;
      if (!*p) break;
      const char *q = p;
      while (*q && *q != ',' && *q != ' ' && *q != ']') q++;
      char *name = sh_strndup(p, (size_t)(q - p));
      int k = sh_fact_value_index(f, name);
      free(name);
      if (k < 0) {
        *err = N_("not one of the fact's values");
        return false;
      }
      out->set |= 1ull << k;
      p = q;
    }
    return true;
  }
  case SH_T_TEXT:
    out->text = sh_strdup(s);
    return true;
  }
  *err = N_("unsupported type");
  return false;
}

bool sh_value_from_yaml(const sh_fact *f, const sh_ydoc *doc, const sh_ynode *n, sh_value *out, sh_diags *d) {
  memset(out, 0, sizeof *out);
  out->type = f->type;
  if (f->type == SH_T_SET) {
    if (n->kind != SH_Y_SEQ) {
      sh_error(d, doc->file, n->line, n->col, "fact '%s' is a set: give a list of values (one of: %s%s)", f->id,
               f->nvalues ? f->values[0] : "", f->nvalues > 1 ? ", ..." : "");
      return false;
    }
    bool ok = true;
    for (size_t i = 0; i < n->n; i++) {
      const sh_ynode *it = n->items[i];
      const char *s = sh_y_str(doc, it, N_("set member"), d);
      if (!s) {
        ok = false;
        continue;
      }
      int k = sh_fact_value_index(f, s);
      if (k < 0) {
        sh_buf b = {0};
        for (size_t j = 0; j < f->nvalues; j++) sh_buf_printf(&b, "%s%s", j ? ", " : "", f->values[j]);
        sh_error(d, doc->file, it->line, it->col, "'%s' is not a value of fact '%s' (expected one of: %s)", s, f->id,
                 sh_buf_str(&b));
        sh_buf_free(&b);
        ok = false;
        continue;
      }
      out->set |= 1ull << k;
    }
    return ok;
  }
  if (n->kind != SH_Y_SCALAR) {
    sh_error(d, doc->file, n->line, n->col, "fact '%s' is of type %s: give a single value, not %s", f->id,
             sh_type_name(f->type), n->kind == SH_Y_SEQ ? _("a list") : _("a mapping"));
    return false;
  }
  switch (f->type) {
  case SH_T_BOOL: {
    bool b;
    if (n->plain && (strcmp(n->str, "true") == 0 || strcmp(n->str, "false") == 0)) {
      b = n->str[0] == 't';
      out->b = b;
      return true;
    }
    sh_error(d, doc->file, n->line, n->col, "fact '%s' is boolean: expected true or false, not '%s'", f->id, n->str);
    return false;
  }
  case SH_T_INT:
    if (n->plain && parse_int(n->str, &out->i)) return true;
    if (f->unit)
      sh_error(d, doc->file, n->line, n->col, "fact '%s' is an integer (%s): expected a whole number, not '%s'", f->id,
               f->unit, n->str);
    else
      sh_error(d, doc->file, n->line, n->col, "fact '%s' is an integer: expected a whole number, not '%s'", f->id, n->str);
    return false;
  case SH_T_DATE: {
    sh_date dt;
    if (sh_date_parse(n->str, &dt)) return out->i = dt, true;
    sh_error(d, doc->file, n->line, n->col, "fact '%s' is a date: expected YYYY-MM-DD, not '%s'", f->id, n->str);
    return false;
  }
  case SH_T_ENUM: {
    int k = sh_fact_value_index(f, n->str);
    if (k >= 0) return out->i = k, true;
    sh_buf b = {0};
    for (size_t j = 0; j < f->nvalues; j++) sh_buf_printf(&b, "%s%s", j ? ", " : "", f->values[j]);
    sh_error(d, doc->file, n->line, n->col, "'%s' is not a value of fact '%s' (expected one of: %s)", n->str, f->id,
             sh_buf_str(&b));
    sh_buf_free(&b);
    return false;
  }
  case SH_T_TEXT:
    out->text = sh_strdup(n->str);
    return true;
  case SH_T_SET: break;
  }
  return false;
}

char *sh_value_format(const sh_fact *f, const sh_value *v) {
  switch (v->type) {
  case SH_T_BOOL: return sh_strdup(v->b ? "true" : "false");
  case SH_T_INT: return sh_printf("%lld", (long long)v->i);
  case SH_T_DATE: {
    char buf[11];
    sh_date_format((sh_date)v->i, buf);
    return sh_strdup(buf);
  }
  case SH_T_ENUM:
    if (f && v->i >= 0 && (size_t)v->i < f->nvalues) return sh_strdup(f->values[v->i]);
    return sh_printf("#%lld", (long long)v->i);
  case SH_T_SET: {
    sh_buf b = {0};
    sh_buf_putc(&b, '[');
    bool first = true;
    for (int k = 0; k < 64; k++) {
      if (!(v->set & (1ull << k))) continue;
      if (!first) sh_buf_puts(&b, ", ");
      first = false;
      if (f && (size_t)k < f->nvalues) sh_buf_puts(&b, f->values[k]);
      else sh_buf_printf(&b, "#%d", k);
    }
    sh_buf_putc(&b, ']');
    return sh_buf_steal(&b);
  }
  case SH_T_TEXT: {
    sh_buf b = {0};
    sh_buf_putc(&b, '"');
    for (const char *p = v->text ? v->text : ""; *p; p++) {
      if (*p == '"' || *p == '\\') sh_buf_putc(&b, '\\');
      sh_buf_putc(&b, *p);
    }
    sh_buf_putc(&b, '"');
    return sh_buf_steal(&b);
  }
  }
  return sh_strdup("?");
}
