/* framework: loading frameworks and rule sets, and the registry of installed ones.
 * See framework.h and docs/formats.md §3. */
#include "framework.h"
#include "i18n.h"

#include "hash.h"
#include "i18n.h"
#include "overlay.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"

const char *sh_strength_name(sh_strength s) {
  return s == SH_STRENGTH_MUST ? "must" : s == SH_STRENGTH_SHOULD ? "should" : "effort";
}

const char *sh_strength_label(sh_strength s, const char *lang) {
  /* TRANSLATORS: strengths of an item: must 必須, should 推奨, effort 努力義務 */
  return sh_tr(lang, s == SH_STRENGTH_MUST ? N_("must") : s == SH_STRENGTH_SHOULD ? N_("should") : N_("effort"));
}

const char *sh_form_name(sh_form f) {
  return f == SH_FORM_VERBATIM ? "verbatim" : f == SH_FORM_PARAPHRASE ? "paraphrase" : "derived";
}

const char *sh_prov_name(sh_prov p) {
  switch (p) {
  case SH_PROV_DECLARED: return "declared";
  case SH_PROV_ATTESTED: return "attested";
  case SH_PROV_PROBED: return "probed";
  case SH_PROV_CONFIRMED: return "confirmed";
  }
  return "?";
}

const char *sh_form_label(sh_form f, const char *lang) {
  /* TRANSLATORS: how an item's text stands to its source document ("derived" alone is the crosswalk's 導出) */
  return sh_tr(lang, f == SH_FORM_VERBATIM ? N_("verbatim")
                     : f == SH_FORM_PARAPHRASE ? N_("paraphrase") : N_("derived from the source"));
}

const char *sh_prov_label(sh_prov p, const char *lang) {
  switch (p) {
  /* TRANSLATORS: provenance (確度) of a fact's value */
  case SH_PROV_DECLARED: return sh_tr(lang, N_("declared"));
  case SH_PROV_ATTESTED: return sh_tr(lang, N_("attested"));
  case SH_PROV_PROBED: return sh_tr(lang, N_("probed"));
  case SH_PROV_CONFIRMED: return sh_tr(lang, N_("confirmed"));
  }
  return "?";
}

int sh_prov_rank(sh_prov p) {
  return p == SH_PROV_DECLARED ? 0 : p == SH_PROV_CONFIRMED ? 2 : 1;
}

bool sh_prov_parse(const char *s, sh_prov *out) {
  static const sh_prov all[] = {SH_PROV_DECLARED, SH_PROV_ATTESTED, SH_PROV_PROBED, SH_PROV_CONFIRMED};
  for (size_t i = 0; i < 4; i++)
    if (strcmp(s, sh_prov_name(all[i])) == 0) return *out = all[i], true;
  return false;
}

static void free_text(sh_text *t) {
  free(t->ja);
  free(t->en);
  t->ja = t->en = NULL;
}

static void free_text_p(void *p) {
  free_text(p);
  free(p);
}

static void free_item(void *p) {
  sh_item *it = p;
  free(it->id);
  sh_vec_free_all(&it->section, free);
  free_text(&it->text);
  sh_expr_free(it->applies_if);
  sh_expr_free(it->require);
  free(it->applies_if_text);
  free(it->require_text);
  sh_vec_free_all(&it->evidence_needed, free_text_p);
  free(it->group);
  sh_vec_free_all(&it->numbers, free);
  free(it->source.document);
  free(it->source.lines);
  free(it->source.section);
  free(it->source.quote);
  free(it->source.note);
  free(it->source.sheet);
  free(it->overlay);
  free(it);
}

static void free_section(void *p) {
  sh_section *s = p;
  free(s->id);
  free_text(&s->title);
  free(s);
}

void sh_framework_free(sh_framework *fw) {
  if (!fw) return;
  free(fw->text);
  free(fw->id);
  free(fw->kind);
  free_text(&fw->title);
  free_text(&fw->issuer);
  free_text(&fw->source);
  free_text(&fw->notes);
  free(fw->version);
  sh_vec_free_all(&fw->sections, free_section);
  sh_vec_free_all(&fw->items, free_item);
  sh_strmap_free(&fw->by_id);
  sh_vec_free(&fw->overlays);
  free(fw->file);
  free(fw);
}

const sh_item *sh_framework_item(const sh_framework *fw, const char *id) { return sh_strmap_get(&fw->by_id, id); }

const sh_section *sh_framework_section(const sh_framework *fw, const char *id) {
  for (size_t i = 0; i < fw->sections.n; i++) {
    const sh_section *s = fw->sections.v[i];
    if (strcmp(s->id, id) == 0) return s;
  }
  return NULL;
}

static bool valid_framework_id(const char *s) {
  if (!*s || !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= '0' && s[0] <= '9'))) return false;
  for (const char *p = s; *p; p++)
    if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '.' || *p == '-')) return false;
  return true;
}

/* Reads a required/optional {ja, en} text into t. */
static void get_text(const sh_ydoc *doc, const sh_ynode *map, const char *key, bool required, sh_text *t,
                     const char *what, sh_diags *d) {
  const sh_ynode *n = required ? sh_y_require(doc, map, key, what, d) : sh_ymap_get(map, key);
  if (n) sh_y_text(doc, n, &t->ja, &t->en, key, d);
}

static bool parse_lines(const char *s, int *from, int *to) {
  char *end;
  long a = strtol(s, &end, 10);
  if (end == s || a <= 0) return false;
  long b = a;
  if (*end == '-') {
    const char *q = end + 1;
    b = strtol(q, &end, 10);
    if (end == q || b < a) return false;
  }
  if (*end) return false;
  *from = (int)a;
  *to = (int)b;
  return true;
}

static void load_source(const sh_ydoc *doc, const sh_ynode *n, sh_item *it, sh_diags *d) {
  static const char *const keys[] = {"document", "lines", "section", "form", "quote", "note", "sheet", "row",
                                     "hidden", NULL};
  sh_source *s = &it->source;
  s->line = n->line;
  s->col = n->col;
  if (!sh_y_expect(doc, n, SH_Y_MAP, "source", d)) return;
  sh_y_check_keys(doc, n, keys, "source", d);
  const sh_ynode *v;
  const char *str;
  bool form_ok = false;
  s->form = SH_FORM_DERIVED;
  if ((v = sh_y_require(doc, n, "document", "source", d)) && (str = sh_y_str(doc, v, N_("source document"), d)))
    s->document = sh_strdup(str);
  if ((v = sh_ymap_get(n, "lines"))) {
    if ((str = sh_y_str(doc, v, N_("source lines"), d))) {
      s->lines = sh_strdup(str);
      if (!parse_lines(str, &s->line_from, &s->line_to))
        sh_error(d, doc->file, v->line, v->col, "source lines must be N or N-M, not '%s'", str);
    }
  }
  if ((v = sh_ymap_get(n, "section")) && (str = sh_y_str(doc, v, N_("source section"), d))) s->section = sh_strdup(str);
  if ((v = sh_ymap_get(n, "note")) && (str = sh_y_str(doc, v, N_("source note"), d))) s->note = sh_strdup(str);
  if ((v = sh_y_require(doc, n, "form", "source", d)) && (str = sh_y_str(doc, v, N_("source form"), d))) {
    form_ok = true;
    if (strcmp(str, "verbatim") == 0) s->form = SH_FORM_VERBATIM;
    else if (strcmp(str, "paraphrase") == 0) s->form = SH_FORM_PARAPHRASE;
    else if (strcmp(str, "derived") == 0) s->form = SH_FORM_DERIVED;
    else {
      form_ok = false;
      sh_error(d, doc->file, v->line, v->col, "source form must be verbatim, paraphrase or derived, not '%s'", str);
    }
  }
  const sh_ynode *q = sh_ymap_get(n, "quote");
  if (q && (str = sh_y_str(doc, q, N_("source quote"), d))) {
    s->quote = sh_strdup(str);
    s->quote_line = q->line;
    s->quote_col = q->col;
  }
  if (form_ok && s->form != SH_FORM_VERBATIM && q)
    sh_error(d, doc->file, q->line, q->col, "item '%s': 'quote' is only for verbatim sources", it->id ? it->id : "?");
  if ((v = sh_ymap_get(n, "sheet")) && (str = sh_y_str(doc, v, N_("source sheet"), d))) s->sheet = sh_strdup(str);
  if ((v = sh_ymap_get(n, "row")) && (str = sh_y_str(doc, v, N_("source row"), d))) {
    char *end;
    long r = strtol(str, &end, 10);
    if (*end || r < 1 || r > 100000000) sh_error(d, doc->file, v->line, v->col, "source row must be a row number, not '%s'", str);
    else s->row = (int)r;
  }
  if ((v = sh_ymap_get(n, "hidden"))) sh_y_bool(doc, v, &s->hidden, N_("source hidden"), d);
  if (s->row > 0 && s->form == SH_FORM_VERBATIM) return; /* the text is the spreadsheet cell as written */
  if (form_ok && s->form == SH_FORM_VERBATIM && !q)
    sh_error(d, doc->file, n->line, n->col, "item '%s': a verbatim source needs a 'quote'", it->id ? it->id : "?");
  if (form_ok && s->form == SH_FORM_VERBATIM && !s->lines)
    sh_error(d, doc->file, n->line, n->col, "item '%s': a verbatim source needs 'lines'", it->id ? it->id : "?");
}

static sh_item *load_item(const sh_vocab *vocab, sh_framework *fw, sh_strmap *seen, const sh_ydoc *doc,
                          const sh_ynode *n, sh_diags *d) {
  static const char *const keys[] = {"id", "section", "text", "strength", "applies_if", "require", "manual",
                                     "evidence_needed", "min_provenance", "group", "numbers", "source", NULL};
  if (!sh_y_expect(doc, n, SH_Y_MAP, N_("an item"), d)) return NULL;
  size_t before = d->nerrors;
  sh_y_check_keys(doc, n, keys, N_("an item"), d);
  sh_item *it = sh_calloc(1, sizeof *it);
  it->line = n->line;
  it->col = n->col;
  it->fw = fw;
  const sh_ynode *v;
  const char *s;
  if ((v = sh_y_require(doc, n, "id", N_("an item"), d)) && (s = sh_y_str(doc, v, N_("item id"), d))) {
    if (!*s) sh_error(d, doc->file, v->line, v->col, "empty item id");
    else if (sh_strmap_get(seen, s)) {
      const sh_ynode *prev = sh_strmap_get(seen, s);
      sh_error(d, doc->file, v->line, v->col, "duplicate item id '%s' (first at line %d)", s, prev->line);
    } else {
      sh_strmap_put(seen, s, (void *)n);
    }
    it->id = sh_strdup(s);
  }
  if ((v = sh_ymap_get(n, "section"))) {
    if (v->kind == SH_Y_SCALAR) sh_vec_push(&it->section, sh_strdup(v->str));
    else if (sh_y_expect(doc, v, SH_Y_SEQ, "section", d))
      for (size_t i = 0; i < v->n; i++)
        if ((s = sh_y_str(doc, v->items[i], N_("section id"), d))) {
          if (fw->sections.n && !sh_framework_section(fw, s))
            sh_error(d, doc->file, v->items[i]->line, v->items[i]->col, "unknown section '%s'", s);
          sh_vec_push(&it->section, sh_strdup(s));
        }
  }
  get_text(doc, n, "text", true, &it->text, N_("an item"), d);
  if (sh_ymap_get(n, "text") && !it->text.ja && d->nerrors == before) {
    v = sh_ymap_get(n, "text");
    sh_error(d, doc->file, v->line, v->col, "item text needs Japanese ('ja')");
  }
  it->strength = SH_STRENGTH_MUST;
  if ((v = sh_y_require(doc, n, "strength", N_("an item"), d)) && (s = sh_y_str(doc, v, "strength", d))) {
    if (strcmp(s, "must") == 0) it->strength = SH_STRENGTH_MUST;
    else if (strcmp(s, "should") == 0) it->strength = SH_STRENGTH_SHOULD;
    else if (strcmp(s, "effort") == 0) it->strength = SH_STRENGTH_EFFORT;
    else sh_error(d, doc->file, v->line, v->col, "strength must be must, should or effort, not '%s'", s);
  }
  if ((v = sh_ymap_get(n, "applies_if"))) {
    it->applies_if = sh_expr_parse_node(vocab, doc, v, "applies_if", d);
    if (it->applies_if) it->applies_if_text = sh_strdup(v->str);
  }
  const sh_ynode *req = sh_ymap_get(n, "require");
  if (req) {
    it->require = sh_expr_parse_node(vocab, doc, req, "require", d);
    if (it->require) it->require_text = sh_strdup(req->str);
  }
  if ((v = sh_ymap_get(n, "manual"))) sh_y_bool(doc, v, &it->manual, "manual", d);
  if (req && it->manual)
    sh_error(d, doc->file, req->line, req->col, "item '%s' has both 'require' and 'manual: true'", it->id ? it->id : "?");
  if (!req && !it->manual)
    sh_error(d, doc->file, n->line, n->col, "item '%s' needs 'require' (an expression) or 'manual: true'",
             it->id ? it->id : "?");
  if ((v = sh_ymap_get(n, "evidence_needed"))) {
    if (sh_y_expect(doc, v, SH_Y_SEQ, "evidence_needed", d))
      for (size_t i = 0; i < v->n; i++) {
        sh_text *t = sh_calloc(1, sizeof *t);
        if (sh_y_text(doc, v->items[i], &t->ja, &t->en, N_("evidence_needed entry"), d)) sh_vec_push(&it->evidence_needed, t);
        else free(t);
      }
  }
  if (it->manual && it->evidence_needed.n == 0 && d->nerrors == before)
    sh_error(d, doc->file, n->line, n->col, "manual item '%s' needs 'evidence_needed' (what a reviewer must see)",
             it->id ? it->id : "?");
  if ((v = sh_ymap_get(n, "min_provenance")) && (s = sh_y_str(doc, v, "min_provenance", d))) {
    if (!sh_prov_parse(s, &it->min_provenance))
      sh_error(d, doc->file, v->line, v->col,
               "min_provenance must be declared, attested, probed or confirmed, not '%s'", s);
  }
  if ((v = sh_ymap_get(n, "group")) && (s = sh_y_str(doc, v, "group", d))) it->group = sh_strdup(s);
  /* One requirement under several official numbers (e.g. 5.4.1④ M01, M02, No.130-133, one summary in seed 002):
   * counted once, each number still finds it. A number may not be another item's id or number. */
  if ((v = sh_ymap_get(n, "numbers")) && sh_y_expect(doc, v, SH_Y_SEQ, "numbers", d)) {
    for (size_t k = 0; k < v->n; k++) {
      const sh_ynode *nn = v->items[k];
      if (!(s = sh_y_str(doc, nn, N_("official number"), d))) continue;
      const sh_ynode *prev = sh_strmap_get(seen, s);
      if (prev && !(it->id && strcmp(s, it->id) == 0)) {
        sh_error(d, doc->file, nn->line, nn->col, "number '%s' is already an item id or number (line %d)", s, prev->line);
        continue;
      }
      if (!prev) sh_strmap_put(seen, s, (void *)nn);
      sh_vec_push(&it->numbers, sh_strdup(s));
    }
  }
  if ((v = sh_y_require(doc, n, "source", N_("an item"), d))) load_source(doc, v, it, d);
  if (d->nerrors != before || !it->id) {
    free_item(it);
    return NULL;
  }
  return it;
}

sh_framework *sh_framework_load(const sh_vocab *vocab, const char *path, sh_diags *d) {
  char *text = NULL;
  size_t len = 0;
  if (sh_ydoc_read_file(path, &text, &len, d) != 0) return NULL;
  sh_framework *fw = sh_framework_load_text(vocab, path, text, len, d);
  free(text);
  return fw;
}

sh_framework *sh_framework_load_text(const sh_vocab *vocab, const char *path, const char *text, size_t len,
                                     sh_diags *d) {
  sh_ydoc *doc = sh_ydoc_load_string(path, text, len, d);
  if (!doc) return NULL;
  size_t before = d->nerrors;
  sh_framework *fw = sh_calloc(1, sizeof *fw);
  fw->file = sh_strdup(path);
  sh_sha256_hex(text, len, fw->sha256);
  fw->text = sh_strndup(text, len);
  fw->text_len = len;
  const sh_ynode *root = doc->root;
  if (!root || root->kind != SH_Y_MAP) {
    sh_error(d, path, root ? root->line : 1, root ? root->col : 1, "a framework file must be a mapping");
    goto done;
  }
  static const char *const rkeys[] = {"framework", "sections", "items", NULL};
  sh_y_check_keys(doc, root, rkeys, N_("a framework file"), d);
  const sh_ynode *meta = sh_y_require(doc, root, "framework", N_("framework file"), d);
  if (meta && sh_y_expect(doc, meta, SH_Y_MAP, "framework", d)) {
    static const char *const mkeys[] = {"id", "kind", "title", "version", "issuer", "date", "source", "notes", NULL};
    sh_y_check_keys(doc, meta, mkeys, "framework", d);
    const sh_ynode *v;
    const char *s;
    if ((v = sh_y_require(doc, meta, "id", "framework", d)) && (s = sh_y_str(doc, v, N_("framework id"), d))) {
      if (!valid_framework_id(s))
        sh_error(d, path, v->line, v->col, "invalid framework id '%s' (lower-case letters, digits, '.', '-')", s);
      fw->id = sh_strdup(s);
    }
    fw->kind = sh_strdup("checklist");
    if ((v = sh_ymap_get(meta, "kind")) && (s = sh_y_str(doc, v, "kind", d))) {
      if (strcmp(s, "checklist") && strcmp(s, "rules"))
        sh_error(d, path, v->line, v->col, "framework kind must be checklist or rules, not '%s'", s);
      free(fw->kind);
      fw->kind = sh_strdup(s);
    }
    get_text(doc, meta, "title", true, &fw->title, "framework", d);
    if ((v = sh_y_require(doc, meta, "version", "framework", d)) && (s = sh_y_str(doc, v, "version", d)))
      fw->version = sh_strdup(s);
    get_text(doc, meta, "issuer", false, &fw->issuer, "framework", d);
    get_text(doc, meta, "source", false, &fw->source, "framework", d);
    get_text(doc, meta, "notes", false, &fw->notes, "framework", d);
    if ((v = sh_ymap_get(meta, "date"))) fw->has_date = sh_y_date(doc, v, &fw->date, N_("framework date"), d);
  }
  const sh_ynode *secs = sh_ymap_get(root, "sections");
  if (secs && sh_y_expect(doc, secs, SH_Y_SEQ, "sections", d)) {
    for (size_t i = 0; i < secs->n; i++) {
      const sh_ynode *sn = secs->items[i];
      if (!sh_y_expect(doc, sn, SH_Y_MAP, N_("a section"), d)) continue;
      static const char *const skeys[] = {"id", "title", NULL};
      sh_y_check_keys(doc, sn, skeys, N_("a section"), d);
      const sh_ynode *v = sh_y_require(doc, sn, "id", N_("a section"), d);
      const char *s = v ? sh_y_str(doc, v, N_("section id"), d) : NULL;
      if (!s) continue;
      if (sh_framework_section(fw, s)) {
        sh_error(d, path, v->line, v->col, "duplicate section id '%s'", s);
        continue;
      }
      sh_section *sec = sh_calloc(1, sizeof *sec);
      sec->id = sh_strdup(s);
      get_text(doc, sn, "title", true, &sec->title, N_("a section"), d);
      sh_vec_push(&fw->sections, sec);
    }
  }
  const sh_ynode *items = sh_y_require(doc, root, "items", N_("framework file"), d);
  if (items && sh_y_expect(doc, items, SH_Y_SEQ, "items", d)) {
    sh_strmap seen = {0};
    for (size_t i = 0; i < items->n; i++) {
      sh_item *it = load_item(vocab, fw, &seen, doc, items->items[i], d);
      if (!it) continue;
      it->index = fw->items.n;
      sh_vec_push(&fw->items, it);
      sh_strmap_put(&fw->by_id, it->id, it);
      for (size_t k = 0; k < it->numbers.n; k++)
        if (!sh_strmap_get(&fw->by_id, it->numbers.v[k])) sh_strmap_put(&fw->by_id, it->numbers.v[k], it);
    }
    sh_strmap_free(&seen);
  }
done:
  sh_ydoc_free(doc);
  if (d->nerrors != before) {
    sh_framework_free(fw);
    return NULL;
  }
  return fw;
}

/* ---------- registry ---------- */

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int sh_list_yaml_files(const char *dir, sh_vec *out) {
  DIR *dh = opendir(dir);
  if (!dh) return -1;
  size_t first = out->n;
  struct dirent *de;
  while ((de = readdir(dh))) {
    const char *n = de->d_name;
    size_t l = strlen(n);
    if (n[0] == '.') continue;
    if ((l > 5 && strcmp(n + l - 5, ".yaml") == 0) || (l > 4 && strcmp(n + l - 4, ".yml") == 0)) {
      char *p = sh_path_join(dir, n);
      struct stat st;
      if (stat(p, &st) == 0 && S_ISREG(st.st_mode)) sh_vec_push(out, p);
      else free(p);
    }
  }
  closedir(dh);
  qsort(out->v + first, out->n - first, sizeof *out->v, cmp_str);
  return 0;
}

static bool has_vocab(const char *dir) {
  char *p = sh_path_join(dir, "rules/facts.yaml");
  bool ok = access(p, R_OK) == 0;
  free(p);
  return ok;
}

const char *sh_data_dir_default(void) {
  const char *env = getenv("SHINSA_DATA_DIR");
  if (env && *env) return env;
  /* A binary inside the source tree (a build folder) uses the source tree's data. */
  char exe[PATH_MAX], root[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n > 0 && realpath(SHINSA_SOURCE_ROOT, root)) {
    exe[n] = '\0';
    size_t rl = strlen(root);
    if (strncmp(exe, root, rl) == 0 && exe[rl] == '/' && has_vocab(SHINSA_SOURCE_ROOT)) return SHINSA_SOURCE_ROOT;
  }
  if (has_vocab(SHINSA_DATADIR)) return SHINSA_DATADIR;
  return SHINSA_SOURCE_ROOT;
}

/* A framework file read but not parsed yet (lazy registries). */
typedef struct {
  char *path, *id, *text;
  size_t len;
  const char *origin;
} deferred_fw;

static void deferred_free(void *p) {
  deferred_fw *df = p;
  free(df->path);
  free(df->id);
  free(df->text);
  free(df);
}

void sh_registry_free(sh_registry *r) {
  if (!r) return;
  sh_vec_free_all(&r->deferred, deferred_free);
  sh_vec_free_all(&r->frameworks, (void (*)(void *))sh_framework_free);
  sh_vec_free_all(&r->overlays, (void (*)(void *))sh_overlay_free);
  sh_vec_free_all(&r->dirs, free);
  sh_vec_free(&r->dir_origins);
  sh_vocab_free(r->vocab);
  free(r->data_dir);
  free(r);
}

static int cmp_fw(const void *a, const void *b) {
  const sh_framework *x = *(const sh_framework *const *)a, *y = *(const sh_framework *const *)b;
  return strcmp(x->id, y->id);
}

/* True when a YAML text's top level has a `framework:` key (cheap textual check). */
static bool text_has_framework_key(const char *text) {
  for (const char *l = text; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
    if (strncmp(l, "framework:", 10) == 0) return true;
  return false;
}

/* The id of a framework file read from its text without parsing it: the `id:` line of the block under a
 * top-level `framework:` key written in block style. NULL (caller frees otherwise) when it cannot be read that
 * way (flow style, quoting, anchors...): such a file is parsed at once. */
static char *peek_framework_id(const char *text) {
  const char *l = text;
  while (l && strncmp(l, "framework:", 10) != 0) l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL;
  if (!l) return NULL;
  const char *p = l + 10;
  while (*p == ' ') p++;
  if (*p != '\n' && *p != '#') return NULL; /* a flow mapping on the same line */
  for (l = strchr(l, '\n'); l && *++l;) {
    const char *e = strchr(l, '\n');
    if (*l != ' ' && *l != '#' && *l != '\n') return NULL; /* the block ended without an id */
    const char *q = l;
    while (*q == ' ') q++;
    if (q > l && strncmp(q, "id:", 3) == 0) {
      q += 3;
      while (*q == ' ') q++;
      const char *s = q;
      while (*q && *q != '\n' && *q != ' ' && *q != '#') q++;
      if (q == s || *s == '"' || *s == '\'' || *s == '&' || *s == '*' || *s == '{' || *s == '[') return NULL;
      const char *t = q;
      while (*t == ' ') t++;
      if (*t != '\n' && *t != '#' && *t != '\0') return NULL;
      return sh_strndup(s, (size_t)(q - s));
    }
    l = e;
  }
  return NULL;
}

bool sh_framework_arg_is_path(const char *s) {
  size_t n = strlen(s);
  return strchr(s, '/') || (n > 5 && strcmp(s + n - 5, ".yaml") == 0) || (n > 4 && strcmp(s + n - 4, ".yml") == 0);
}

static bool same_file(const char *a, const char *b) {
  char ra[PATH_MAX], rb[PATH_MAX];
  if (!realpath(a, ra) || !realpath(b, rb)) return sh_streq(a, b);
  return strcmp(ra, rb) == 0;
}

static bool is_dir(const char *p) {
  struct stat st;
  return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static bool loaded_already(const sh_registry *r, const char *path) {
  for (size_t i = 0; i < r->frameworks.n; i++)
    if (same_file(((sh_framework *)r->frameworks.v[i])->file, path)) return true;
  for (size_t i = 0; i < r->deferred.n; i++)
    if (same_file(((deferred_fw *)r->deferred.v[i])->path, path)) return true;
  for (size_t i = 0; i < r->overlays.n; i++)
    if (same_file(((sh_overlay *)r->overlays.v[i])->file, path)) return true;
  return false;
}

static const deferred_fw *find_deferred(const sh_registry *r, const char *id, size_t *at) {
  for (size_t i = 0; i < r->deferred.n; i++) {
    const deferred_fw *df = r->deferred.v[i];
    if (strcmp(df->id, id) == 0) {
      if (at) *at = i;
      return df;
    }
  }
  return NULL;
}

/* Loads one framework or overlay file found in a folder (quiet = skip files that are neither). A framework file
 * is read once: the same text is checked for the key, peeked for its id (lazy) and parsed. */
static void load_one(sh_registry *r, const char *path, const char *origin, bool quiet, bool lazy, sh_diags *d) {
  if (loaded_already(r, path)) return;
  for (size_t i = 0; quiet && r->vocab && i < r->vocab->files.n; i++) /* rules/facts.yaml: read as the vocabulary */
    if (strcmp(r->vocab->files.v[i], path) == 0) return;
  char *text = NULL;
  size_t len = 0;
  int fd = sh_open_input(path, 0); /* regular files only: a FIFO in the data folder cannot block */
  bool is_fw = false;
  if (fd >= 0) {
    if (sh_read_fd(fd, SH_YAML_MAX_BYTES + 1, &text, &len) == 0) is_fw = text_has_framework_key(text);
    else is_fw = errno == EFBIG; /* parsed below by name, for the located size error */
    close(fd);
  }
  if (is_fw) {
    char *id = lazy && text ? peek_framework_id(text) : NULL;
    if (id) {
      const sh_framework *dupf = sh_registry_find(r, id);
      const deferred_fw *dupd = find_deferred(r, id, NULL);
      if (dupf || dupd) {
        sh_error(d, path, 0, 0, "framework id '%s' is also defined in %s", id, dupf ? dupf->file : dupd->path);
        free(id);
        free(text);
        return;
      }
      deferred_fw *df = sh_calloc(1, sizeof *df);
      *df = (deferred_fw){sh_strdup(path), id, text, len, origin};
      sh_vec_push(&r->deferred, df);
      return;
    }
    sh_framework *fw = NULL;
    if (!text || len > SH_YAML_MAX_BYTES) fw = sh_framework_load(r->vocab, path, d); /* the located size error */
    else fw = sh_framework_load_text(r->vocab, path, text, len, d);
    free(text);
    if (!fw) return;
    fw->origin = origin;
    const sh_framework *dup = sh_registry_find(r, fw->id);
    const deferred_fw *dupd = dup ? NULL : find_deferred(r, fw->id, NULL);
    if (dup || dupd) {
      sh_error(d, fw->file, 0, 0, "framework id '%s' is also defined in %s", fw->id, dup ? dup->file : dupd->path);
      sh_framework_free(fw);
      return;
    }
    sh_vec_push(&r->frameworks, fw);
    return;
  }
  /* The same text tells an overlay (overlay.c sh_overlay_file_is reads the file for it otherwise). */
  bool is_overlay = text && (strncmp(text, "overlay:", 8) == 0 || strstr(text, "\noverlay:") != NULL);
  free(text);
  if (is_overlay) {
    sh_overlay *o = sh_overlay_load(path, d);
    if (!o) return;
    o->origin = origin;
    sh_vec_push(&r->overlays, o);
  } else if (!quiet) {
    sh_error(d, path, 0, 0, "not a framework or overlay file (no top-level 'framework:' or 'overlay:')");
  }
}

static void add_dir(sh_registry *r, const char *dir, const char *origin) {
  for (size_t i = 0; i < r->dirs.n; i++)
    if (same_file(r->dirs.v[i], dir)) return;
  sh_vec_push(&r->dirs, sh_strdup(dir));
  sh_vec_push(&r->dir_origins, (void *)origin);
}

sh_registry *sh_registry_load(const char *data_dir, sh_diags *d) { return sh_registry_load_ex(data_dir, NULL, d); }

sh_registry *sh_registry_load_ex(const char *data_dir, const sh_registry_opts *o, sh_diags *d) {
  sh_registry *r = sh_calloc(1, sizeof *r);
  r->data_dir = sh_strdup(data_dir);
  size_t before = d->nerrors;
  sh_vec vfiles = {0};
  char *facts = sh_path_join(data_dir, "rules/facts.yaml");
  if (access(facts, R_OK) != 0) {
    sh_error(d, facts, 0, 0, "fact vocabulary not found (set --data-dir or SHINSA_DATA_DIR)");
    free(facts);
    sh_registry_free(r);
    return NULL;
  }
  sh_vec_push(&vfiles, facts);
  char *factsd = sh_path_join(data_dir, "rules/facts.d");
  sh_list_yaml_files(factsd, &vfiles);
  free(factsd);
  r->vocab = sh_vocab_load((const char *const *)vfiles.v, vfiles.n, d);
  sh_vec_free_all(&vfiles, free);
  if (!r->vocab) {
    sh_registry_free(r);
    return NULL;
  }
  add_dir(r, data_dir, "bundled");
  if (o && o->user_dirs) {
    const char *xdg = getenv("XDG_DATA_HOME"), *home = getenv("HOME");
    char *user = xdg && *xdg ? sh_path_join(xdg, "shinsa") : home && *home ? sh_path_join(home, ".local/share/shinsa")
                                                                          : NULL;
    if (user && is_dir(user)) add_dir(r, user, "user");
    free(user);
    const char *path = getenv("SHINSA_DATA_PATH");
    if (path && *path) {
      char *dup = sh_strdup(path), *save = NULL;
      for (char *tok = strtok_r(dup, ":", &save); tok; tok = strtok_r(NULL, ":", &save)) {
        if (!*tok) continue;
        if (is_dir(tok)) add_dir(r, tok, "SHINSA_DATA_PATH");
        else sh_diag_add(d, SH_SEV_WARNING, tok, 0, 0, "SHINSA_DATA_PATH names a folder that does not exist");
      }
      free(dup);
    }
  }
  for (size_t k = 0; k < r->dirs.n; k++) {
    const char *dir = r->dirs.v[k], *origin = r->dir_origins.v[k];
    sh_vec files = {0};
    char *cl = sh_path_join(dir, "checklists"), *ru = sh_path_join(dir, "rules"), *ov = sh_path_join(dir, "overlays");
    sh_list_yaml_files(cl, &files);
    sh_list_yaml_files(ru, &files);
    sh_list_yaml_files(ov, &files);
    if (k > 0) sh_list_yaml_files(dir, &files); /* a user folder may hold the files at its top */
    free(cl);
    free(ru);
    free(ov);
    for (size_t i = 0; i < files.n; i++) load_one(r, files.v[i], origin, true, o && o->lazy, d);
    sh_vec_free_all(&files, free);
  }
  for (size_t i = 0; o && i < o->nfiles; i++) load_one(r, o->files[i], "--framework", false, false, d);
  if (r->frameworks.n > 1) qsort(r->frameworks.v, r->frameworks.n, sizeof *r->frameworks.v, cmp_fw);
  for (size_t i = 0; i < r->overlays.n; i++) {
    sh_overlay *ov = r->overlays.v[i];
    sh_framework *fw = (sh_framework *)sh_registry_find(r, ov->framework);
    if (!fw && find_deferred(r, ov->framework, NULL)) continue; /* applied when it is parsed (sh_registry_need) */
    if (!fw) {
      sh_error(d, ov->file, 0, 0, "overlay '%s' extends framework '%s', which is not loaded (see 'shinsa frameworks')",
               ov->id, ov->framework);
      continue;
    }
    sh_overlay_apply(ov, r->vocab, fw, o && o->strict, d);
  }
  if (d->nerrors != before) {
    sh_registry_free(r);
    return NULL;
  }
  return r;
}

const sh_framework *sh_registry_find_path(const sh_registry *r, const char *path) {
  for (size_t i = 0; i < r->frameworks.n; i++) {
    const sh_framework *fw = r->frameworks.v[i];
    if (same_file(fw->file, path)) return fw;
  }
  for (size_t i = 0; i < r->overlays.n; i++) {
    const sh_overlay *ov = r->overlays.v[i];
    if (same_file(ov->file, path)) return sh_registry_find(r, ov->framework);
  }
  return NULL;
}

const sh_framework *sh_registry_need(sh_registry *r, const char *id, sh_diags *d) {
  const sh_framework *found = sh_registry_find(r, id);
  size_t at = 0;
  const deferred_fw *df = found ? NULL : find_deferred(r, id, &at);
  if (!df) return found;
  sh_framework *fw = sh_framework_load_text(r->vocab, df->path, df->text, df->len, d);
  const char *origin = df->origin;
  deferred_fw *gone = r->deferred.v[at];
  r->deferred.v[at] = r->deferred.v[--r->deferred.n];
  deferred_free(gone);
  if (!fw) return NULL;
  if (strcmp(fw->id, id) != 0) { /* the textual peek and the parser disagree: never expected */
    sh_error(d, fw->file, 0, 0, "framework id '%s' read as '%s' at first", fw->id, id);
    sh_framework_free(fw);
    return NULL;
  }
  fw->origin = origin;
  sh_vec_push(&r->frameworks, fw);
  if (r->frameworks.n > 1) qsort(r->frameworks.v, r->frameworks.n, sizeof *r->frameworks.v, cmp_fw);
  for (size_t i = 0; i < r->overlays.n; i++) {
    sh_overlay *ov = r->overlays.v[i];
    if (strcmp(ov->framework, id) == 0) sh_overlay_apply(ov, r->vocab, fw, false, d);
  }
  return fw;
}

const char *sh_registry_nearest(const sh_registry *r, const char *id) {
  const char *near = NULL;
  size_t bd = 4;
  for (size_t k = 0; k < r->frameworks.n; k++) sh_nearest(id, ((const sh_framework *)r->frameworks.v[k])->id, &near, &bd);
  for (size_t k = 0; k < r->deferred.n; k++) sh_nearest(id, ((const deferred_fw *)r->deferred.v[k])->id, &near, &bd);
  return near;
}

int sh_registry_load_all(sh_registry *r, sh_diags *d) {
  size_t before = d->nerrors;
  while (r->deferred.n) {
    char *id = sh_strdup(((deferred_fw *)r->deferred.v[0])->id);
    sh_registry_need(r, id, d);
    free(id);
  }
  return d->nerrors == before ? 0 : -1;
}

const sh_framework *sh_registry_find(const sh_registry *r, const char *id) {
  for (size_t i = 0; i < r->frameworks.n; i++) {
    const sh_framework *fw = r->frameworks.v[i];
    if (strcmp(fw->id, id) == 0) return fw;
  }
  return NULL;
}
