/* overlay: attaching requirements to another framework's items. See overlay.h. */
#include "overlay.h"
#include "i18n.h"

#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "sheet.h"

bool sh_overlay_file_is(const char *path) {
  char *text = NULL;
  size_t len = 0;
  if (sh_read_file(path, SH_YAML_MAX_BYTES, &text, &len) != 0) return false;
  bool yes = strncmp(text, "overlay:", 8) == 0 || strstr(text, "\noverlay:") != NULL;
  free(text);
  return yes;
}

void sh_overlay_free(sh_overlay *o) {
  if (!o) return;
  free(o->id);
  free(o->framework);
  free(o->framework_version);
  free(o->title.ja);
  free(o->title.en);
  free(o->file);
  free(o->text);
  sh_ydoc_free(o->doc);
  free(o);
}

sh_overlay *sh_overlay_load(const char *path, sh_diags *d) {
  char *text = NULL;
  size_t len = 0;
  if (sh_ydoc_read_file(path, &text, &len, d) != 0) return NULL;
  sh_ydoc *doc = sh_ydoc_load_string(path, text, len, d);
  if (!doc) {
    free(text);
    return NULL;
  }
  size_t before = d->nerrors;
  sh_overlay *o = sh_calloc(1, sizeof *o);
  o->file = sh_strdup(path);
  o->doc = doc;
  o->text = text;
  o->text_len = len;
  const sh_ynode *root = doc->root;
  if (!root || root->kind != SH_Y_MAP) {
    sh_error(d, path, root ? root->line : 1, root ? root->col : 1, "an overlay file must be a mapping");
    sh_overlay_free(o);
    return NULL;
  }
  static const char *const rkeys[] = {"overlay", "items", NULL};
  sh_y_check_keys(doc, root, rkeys, N_("an overlay file"), d);
  const sh_ynode *meta = sh_y_require(doc, root, "overlay", N_("overlay file"), d);
  if (meta && sh_y_expect(doc, meta, SH_Y_MAP, "overlay", d)) {
    static const char *const mkeys[] = {"id", "kind", "framework", "framework_version", "title", NULL};
    sh_y_check_keys(doc, meta, mkeys, "overlay", d);
    const sh_ynode *v;
    const char *s;
    if ((v = sh_y_require(doc, meta, "id", "overlay", d)) && (s = sh_y_str(doc, v, N_("overlay id"), d)))
      o->id = sh_strdup(s);
    if ((v = sh_ymap_get(meta, "kind")) && (s = sh_y_str(doc, v, "kind", d)) && strcmp(s, "overlay") != 0)
      sh_error(d, path, v->line, v->col, "an overlay file's kind is overlay, not '%s'", s);
    if ((v = sh_y_require(doc, meta, "framework", "overlay", d)) && (s = sh_y_str(doc, v, "framework", d)))
      o->framework = sh_strdup(s);
    if ((v = sh_ymap_get(meta, "framework_version")) && (s = sh_y_str(doc, v, "framework_version", d))) {
      o->framework_version = sh_strdup(s);
      o->version_line = v->line;
      o->version_col = v->col;
    }
    if ((v = sh_ymap_get(meta, "title"))) sh_y_text(doc, v, &o->title.ja, &o->title.en, "title", d);
  }
  const sh_ynode *items = sh_y_require(doc, root, "items", N_("overlay file"), d);
  if (items && sh_y_expect(doc, items, SH_Y_SEQ, "items", d)) o->nitems = items->n;
  if (d->nerrors != before) {
    sh_overlay_free(o);
    return NULL;
  }
  return o;
}

static void free_text_p(void *p) {
  sh_text *t = p;
  free(t->ja);
  free(t->en);
  free(t);
}

size_t sh_overlay_apply(sh_overlay *o, const sh_vocab *vocab, sh_framework *fw, bool strict, sh_diags *d) {
  const sh_ydoc *doc = o->doc;
  if (o->framework_version && !sh_streq(o->framework_version, fw->version))
    sh_diag_add(d, strict ? SH_SEV_ERROR : SH_SEV_WARNING, o->file, o->version_line, o->version_col,
                "overlay '%s' was written for %s version %s, but %s (%s) is version %s", o->id, fw->id,
                o->framework_version, fw->file, fw->origin ? fw->origin : "bundled", fw->version ? fw->version : "?");
  /* items by NFKC key */
  sh_strmap keys = {0};
  sh_vec owned = {0};
  for (size_t i = 0; i < fw->items.n; i++) {
    sh_item *it = fw->items.v[i];
    char *k = sh_match_key(it->id);
    sh_strmap_put(&keys, k, it);
    sh_vec_push(&owned, k);
  }
  const sh_ynode *items = sh_ymap_get(doc->root, "items");
  size_t changed = 0;
  static const char *const ikeys[] = {"id", "require", "applies_if", "strength", "group", "min_provenance",
                                      "evidence_needed", "text", NULL};
  for (size_t i = 0; items && i < items->n; i++) {
    const sh_ynode *n = items->items[i];
    if (!sh_y_expect(doc, n, SH_Y_MAP, N_("an overlay item"), d)) continue;
    size_t before = d->nerrors;
    sh_y_check_keys(doc, n, ikeys, N_("an overlay item"), d);
    const sh_ynode *v = sh_y_require(doc, n, "id", N_("overlay item"), d);
    const char *id = v ? sh_y_str(doc, v, N_("item id"), d) : NULL;
    if (!id) continue;
    char *k = sh_match_key(id);
    sh_item *it = sh_strmap_get(&keys, k);
    free(k);
    if (!it) {
      sh_error(d, o->file, v->line, v->col, "overlay '%s': %s has no item '%s'", o->id, fw->id, id);
      continue;
    }
    if (it->overlay) {
      sh_error(d, o->file, v->line, v->col, "overlay '%s': item '%s' is already changed by %s", o->id, it->id,
               it->overlay);
      continue;
    }
    /* parse everything first, then change the item only when all of it is valid */
    sh_expr *req = NULL, *app = NULL;
    const sh_ynode *rn = sh_ymap_get(n, "require"), *an = sh_ymap_get(n, "applies_if");
    if (rn) req = sh_expr_parse_node(vocab, doc, rn, "require", d);
    if (an) app = sh_expr_parse_node(vocab, doc, an, "applies_if", d);
    sh_strength strength = it->strength;
    const char *s;
    if ((v = sh_ymap_get(n, "strength")) && (s = sh_y_str(doc, v, "strength", d))) {
      if (strcmp(s, "must") == 0) strength = SH_STRENGTH_MUST;
      else if (strcmp(s, "should") == 0) strength = SH_STRENGTH_SHOULD;
      else if (strcmp(s, "effort") == 0) strength = SH_STRENGTH_EFFORT;
      else sh_error(d, o->file, v->line, v->col, "strength must be must, should or effort, not '%s'", s);
    }
    sh_prov prov = it->min_provenance;
    if ((v = sh_ymap_get(n, "min_provenance")) && (s = sh_y_str(doc, v, "min_provenance", d)) &&
        !sh_prov_parse(s, &prov))
      sh_error(d, o->file, v->line, v->col, "min_provenance must be declared, attested, probed or confirmed, not '%s'",
               s);
    const char *group = NULL;
    if ((v = sh_ymap_get(n, "group"))) group = sh_y_str(doc, v, "group", d);
    sh_vec ev = {0};
    if ((v = sh_ymap_get(n, "evidence_needed")) && sh_y_expect(doc, v, SH_Y_SEQ, "evidence_needed", d))
      for (size_t j = 0; j < v->n; j++) {
        sh_text *t = sh_calloc(1, sizeof *t);
        if (sh_y_text(doc, v->items[j], &t->ja, &t->en, N_("evidence_needed entry"), d)) sh_vec_push(&ev, t);
        else free_text_p(t);
      }
    char *en = NULL;
    if ((v = sh_ymap_get(n, "text"))) {
      char *ja = NULL;
      if (sh_y_text(doc, v, &ja, &en, "text", d) && ja) {
        sh_error(d, o->file, v->line, v->col,
                 "overlay '%s': an overlay gives only an English text (text: {en: ...}); the item's own text is kept",
                 o->id);
      }
      free(ja);
    }
    if (d->nerrors != before) {
      sh_expr_free(req);
      sh_expr_free(app);
      sh_vec_free_all(&ev, free_text_p);
      free(en);
      continue;
    }
    if (req) {
      sh_expr_free(it->require);
      it->require = req;
      free(it->require_text);
      it->require_text = sh_strdup(rn->str);
      it->manual = false;
    }
    if (app) {
      sh_expr_free(it->applies_if);
      it->applies_if = app;
      free(it->applies_if_text);
      it->applies_if_text = sh_strdup(an->str);
    }
    it->strength = strength;
    it->min_provenance = prov;
    if (group) {
      free(it->group);
      it->group = sh_strdup(group);
    }
    if (ev.n) {
      sh_vec_free_all(&it->evidence_needed, free_text_p);
      it->evidence_needed = ev;
    }
    if (en) {
      free(it->text.en);
      it->text.en = en;
    }
    it->overlay = sh_printf("%s:%d", o->file, n->line);
    changed++;
  }
  sh_strmap_free(&keys);
  sh_vec_free_all(&owned, free);
  o->applied = changed;
  sh_vec_push(&fw->overlays, o);
  return changed;
}
