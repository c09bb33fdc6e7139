/* oscal_mapping: crosswalk <-> OSCAL mapping-collection. See oscal_mapping.h and docs/oscal.md §3-§4. */
#include "oscal_mapping.h"
#include "i18n.h"

#include "crosswalk_report.h"
#include "oscal_catalog.h"
#include "oscal_doc.h"
#include "oscal_out.h"

#include <stdlib.h>
#include <string.h>

/* ---------- export ---------- */

static const char *relationship_of(const sh_xw_result *r) {
  switch (r->cls) {
  case SH_XW_A: return "superset-of";
  case SH_XW_B: return "equivalent-to";
  case SH_XW_C:
    if (r->from_curated && r->curated && r->curated->relation &&
        (!strcmp(r->curated->relation, "intersect") || !strcmp(r->curated->relation, "intersects-with")))
      return "intersects-with";
    return "subset-of";
  default: return "no-relationship";
  }
}

/* The source items a map names: the witnesses (A, B), the overlapping items (C), the curated sources. */
static void sources_of(const sh_crosswalk *xw, const sh_xw_result *r, sh_vec *out) {
  if (!r->from_curated) {
    const sh_vec *v = r->cls == SH_XW_C ? &r->overlap : &r->witnesses;
    for (size_t i = 0; i < v->n; i++) sh_vec_push(out, (void *)((const sh_item *)v->v[i])->id);
    if (r->cls == SH_XW_C && !out->n)
      for (size_t i = 0; i < r->witnesses.n; i++) sh_vec_push(out, (void *)((const sh_item *)r->witnesses.v[i])->id);
    return;
  }
  if (r->curated)
    for (size_t i = 0; i < r->curated->sources.n; i++)
      if (sh_framework_item(xw->from, r->curated->sources.v[i])) sh_vec_push(out, r->curated->sources.v[i]);
}

static void resource_ref(sh_oscal_out *o, const char *el, const sh_framework *fw) {
  sh_oo_open(o, el);
  sh_oo_flag(o, "ns", SH_OSCAL_NS);
  sh_oo_flag(o, "type", "framework");
  sh_oo_flag(o, "href", fw->file ? fw->file : fw->id);
  sh_oo_list(o, "props");
  sh_oo_prop(o, "framework", fw->id, SH_OSCAL_NS);
  sh_oo_prop(o, "version", fw->version, SH_OSCAL_NS);
  sh_oo_prop(o, "sha256", fw->sha256, SH_OSCAL_NS);
  sh_oo_list_end(o);
  sh_oo_close(o);
}

static void item_ref(sh_oscal_out *o, const char *el, const char *id) {
  sh_oo_open(o, el);
  sh_oo_flag(o, "type", "control");
  sh_oo_flag(o, "id-ref", id); /* id-ref is a string: the item id as written */
  sh_oo_close(o);
}

static void write_map(sh_oscal_out *o, const sh_crosswalk *xw, const sh_xw_result *r, const sh_vec *srcs) {
  char uuid[37];
  sh_uuid4(uuid);
  sh_oo_open(o, "map");
  sh_oo_flag(o, "uuid", uuid);
  if (r->from_curated && r->curated && r->curated->rationale) sh_oo_flag(o, "matching-rationale", r->curated->rationale);
  sh_oo_field(o, "relationship", relationship_of(r));
  sh_oo_list(o, "sources");
  for (size_t i = 0; i < srcs->n; i++) item_ref(o, "source", srcs->v[i]);
  sh_oo_list_end(o);
  sh_oo_list(o, "targets");
  item_ref(o, "target", r->item->id);
  sh_oo_list_end(o);
  sh_oo_list(o, "props");
  sh_oo_prop(o, "class", sh_xw_class_name(r->cls), SH_OSCAL_NS);
  if (!r->from_curated) {
    for (size_t i = 0; i < r->witnesses.n; i++)
      sh_oo_prop(o, "witness", ((const sh_item *)r->witnesses.v[i])->id, SH_OSCAL_NS);
    for (size_t i = 0; i < r->also.n; i++) sh_oo_prop(o, "also", ((const sh_item *)r->also.v[i])->id, SH_OSCAL_NS);
    for (size_t i = 0; i < r->weaker.n; i++)
      sh_oo_prop(o, "weaker", ((const sh_item *)r->weaker.v[i])->id, SH_OSCAL_NS);
    for (size_t i = 0; i < r->unmet.n; i++) {
      const sh_clause *c = r->unmet.v[i];
      sh_oo_prop(o, "unmet", c->clause, SH_OSCAL_NS);
    }
    if (r->counter_model) sh_oo_prop(o, "counter-model", r->counter_model, SH_OSCAL_NS);
  } else {
    sh_oo_prop(o, "curated-relation", r->curated ? r->curated->relation : NULL, SH_OSCAL_NS);
    if (r->derived) sh_oo_prop(o, "derived-class", sh_xw_class_name(r->derived_cls), SH_OSCAL_NS);
  }
  if (r->conflict) sh_oo_prop(o, "conflict", "true", SH_OSCAL_NS);
  sh_oo_list_end(o);
  char *why = sh_xw_reason(xw, r, "en");
  sh_oo_markup(o, "remarks", why);
  free(why);
  sh_oo_close(o);
}

/* One mapping: the maps whose class came from derivation (curated = false) or from the curated file. */
/* The target gap summary (D items without any source item, derived or curated) goes on the first mapping
 * written (with_gaps). Returns the number of gap items written. */
static size_t write_mapping(sh_oscal_out *o, const sh_crosswalk *xw, bool curated, bool with_gaps,
                            sh_oscal_mapping_stats *st) {
  size_t nmaps = 0, ngap = 0;
  for (size_t i = 0; i < xw->results.n; i++) {
    const sh_xw_result *r = xw->results.v[i];
    if (r->cls == SH_XW_UNKNOWN) continue;
    sh_vec s = {0};
    sources_of(xw, r, &s);
    if (s.n && r->from_curated == curated) nmaps++;
    else if (!s.n && r->cls == SH_XW_D && with_gaps) ngap++;
    sh_vec_free(&s);
  }
  if (!nmaps) return 0;
  char uuid[37];
  sh_uuid4(uuid);
  sh_oo_open(o, "mapping");
  sh_oo_flag(o, "uuid", uuid);
  sh_oo_flag(o, "method", curated ? "human" : "automation");
  if (!curated) sh_oo_flag(o, "matching-rationale", "semantic");
  sh_oo_flag(o, "status", "complete");
  resource_ref(o, "source-resource", xw->from);
  resource_ref(o, "target-resource", xw->to);
  sh_oo_list(o, "maps");
  for (size_t i = 0; i < xw->results.n; i++) {
    const sh_xw_result *r = xw->results.v[i];
    if (r->cls == SH_XW_UNKNOWN || r->from_curated != curated) continue;
    sh_vec s = {0};
    sources_of(xw, r, &s);
    if (s.n) {
      write_map(o, xw, r, &s);
      st->maps++;
    }
    sh_vec_free(&s);
  }
  sh_oo_list_end(o);
  sh_oo_markup(o, "mapping-description",
               curated ? "Relations curated by people (rules/crosswalks): the class of manual items and of items "
                         "derivation left undecided."
                       : "Relations derived by shinsa from what each item requires (docs/formats.md §6): a source "
                         "conjunction implies the target (witnesses), checked both ways; C lists the unmet conditions.");
  if (ngap) {
    sh_uuid4(uuid);
    sh_oo_open(o, "target-gap-summary");
    sh_oo_flag(o, "uuid", uuid);
    sh_oo_list(o, "unmapped-controls");
    sh_oo_open(o, "unmapped-controls");
    sh_oo_list(o, "with-ids");
    for (size_t i = 0; i < xw->results.n; i++) {
      const sh_xw_result *r = xw->results.v[i];
      if (r->cls != SH_XW_D) continue;
      sh_vec s = {0};
      sources_of(xw, r, &s);
      if (!s.n) {
        char *tok = sh_oscal_token(r->item->id); /* with-id is a token */
        sh_oo_field(o, "with-id", tok);
        free(tok);
      }
      sh_vec_free(&s);
    }
    sh_oo_list_end(o);
    sh_oo_close(o);
    sh_oo_list_end(o);
    sh_oo_close(o);
  }
  sh_oo_close(o);
  return ngap;
}

int sh_oscal_mapping_render(const sh_crosswalk *xw, bool xml, sh_buf *out, sh_oscal_mapping_stats *st, sh_diags *d) {
  sh_oscal_mapping_stats local;
  if (!st) st = &local;
  memset(st, 0, sizeof *st);
  size_t nderived = 0, ncurated = 0;
  for (size_t i = 0; i < xw->results.n; i++) {
    const sh_xw_result *r = xw->results.v[i];
    st->per_class[r->cls]++;
    if (r->cls == SH_XW_UNKNOWN) continue;
    sh_vec s = {0};
    sources_of(xw, r, &s);
    if (s.n && r->from_curated) ncurated++;
    else if (s.n) nderived++;
    sh_vec_free(&s);
  }
  if (!nderived && !ncurated) {
    sh_error(d, NULL, 0, 0,
             "crosswalk %s -> %s: no relation with a source item to write (an OSCAL mapping needs at least one map)",
             xw->from->id, xw->to->id);
    return -1;
  }
  char now[32], uuid[37];
  sh_oscal_now(now);
  sh_oscal_out o;
  sh_oo_begin(&o, out, xml, "mapping-collection");
  sh_uuid4(uuid);
  sh_oo_flag(&o, "uuid", uuid);
  sh_oo_open(&o, "metadata");
  char *title = sh_printf("shinsa crosswalk %s -> %s", xw->from->id, xw->to->id);
  sh_oo_field(&o, "title", title);
  free(title);
  sh_oo_field(&o, "last-modified", now);
  char *version = sh_printf("%s %s -> %s %s", xw->from->id, xw->from->version, xw->to->id, xw->to->version);
  sh_oo_field(&o, "version", version);
  free(version);
  sh_oo_field(&o, "oscal-version", "1.2.2");
  sh_oo_list(&o, "props");
  sh_oo_prop(&o, "generator", "shinsa", SH_OSCAL_NS);
  sh_oo_list_end(&o);
  sh_oo_close(&o);

  sh_oo_open(&o, "provenance");
  sh_oo_flag(&o, "method", ncurated && nderived ? "hybrid" : ncurated ? "human" : "automation");
  sh_oo_flag(&o, "matching-rationale", "semantic");
  sh_oo_flag(&o, "status", st->per_class[SH_XW_UNKNOWN] ? "not-complete" : "complete");
  sh_buf desc = {0};
  sh_buf_printf(&desc,
                "Every item of %s classified against %s: A (source superset-of target), B (equivalent-to), C (source "
                "subset-of target, or intersects-with when curated so), D (no-relationship; without any source item "
                "the target is listed in the target gap summary). Totals: A %zu, B %zu, C %zu, D %zu; %zu unknown "
                "left out.",
                xw->to->id, xw->from->id, st->per_class[SH_XW_A], st->per_class[SH_XW_B], st->per_class[SH_XW_C],
                st->per_class[SH_XW_D], st->per_class[SH_XW_UNKNOWN]);
  sh_oo_markup(&o, "mapping-description", sh_buf_str(&desc));
  sh_buf_free(&desc);
  sh_oo_list(&o, "props");
  char n[32];
  snprintf(n, sizeof n, "%zu", st->per_class[SH_XW_UNKNOWN]);
  sh_oo_prop(&o, "unknown-left-out", n, SH_OSCAL_NS);
  sh_oo_list_end(&o);
  if (st->per_class[SH_XW_UNKNOWN]) {
    sh_buf rem = {0};
    sh_buf_puts(&rem, "Left out (class unknown):");
    for (size_t i = 0; i < xw->results.n; i++) {
      const sh_xw_result *r = xw->results.v[i];
      if (r->cls == SH_XW_UNKNOWN) sh_buf_printf(&rem, " %s", r->item->id);
    }
    sh_oo_markup(&o, "remarks", sh_buf_str(&rem));
    sh_buf_free(&rem);
  }
  sh_oo_close(&o);

  sh_oo_list(&o, "mappings");
  st->gaps += write_mapping(&o, xw, false, true, st);
  st->gaps += write_mapping(&o, xw, true, nderived == 0, st);
  sh_oo_list_end(&o);
  sh_oo_end(&o);
  return 0;
}

/* ---------- import ---------- */

typedef struct {
  char *target;
  sh_vec sources;  /* char* (owned), distinct */
  int rank;        /* strongest relationship seen */
  char *rationale;
  char *note;
  int line;
} acc_t;

static const struct {
  const char *rel;
  int rank;
  const char *word; /* docs/formats.md §6 */
  int cls;
} rels[] = {{"superset-of", 4, "superset", 0}, {"equivalent-to", 3, "equal", 1}, {"equal-to", 3, "equal", 1},
            {"subset-of", 2, "subset", 2},     {"intersects-with", 1, "intersect", 2},
            {"no-relationship", 0, "no-relationship", 3}};

static const char *const k_top[] = {"$schema", "mapping-collection", NULL};
static const char *const k_coll[] = {"uuid", "metadata", "provenance", "mappings", "back-matter", NULL};
static const char *const k_prov[] = {"method", "matching-rationale", "status", "confidence-score", "coverage",
                                     "mapping-description", "responsible-parties", "props", "links", "remarks", NULL};
static const char *const k_mapping[] = {"uuid", "method", "matching-rationale", "status", "source-resource",
                                        "target-resource", "maps", "props", "links", "remarks", "mapping-description",
                                        "source-gap-summary", "target-gap-summary", "confidence-score", "coverage",
                                        NULL};
static const char *const k_map[] = {"uuid", "ns", "matching-rationale", "relationship", "sources", "targets",
                                    "qualifiers", "confidence-score", "coverage", "props", "links", "remarks", NULL};
static const char *const k_item[] = {"type", "id-ref", "props", "links", "remarks", NULL};

/* The item id of fw an id-ref names, or NULL (fw NULL: the id as written, '#' dropped). */
static const char *resolve(const sh_framework *fw, const char *ref) {
  if (ref[0] == '#') ref++;
  if (!fw) return ref;
  const sh_item *it = sh_framework_item(fw, ref);
  if (it) return it->id;
  char *u = sh_oscal_untoken(ref);
  it = u ? sh_framework_item(fw, u) : NULL;
  free(u);
  return it ? it->id : NULL;
}

/* The id-ref of a map's source or target entry (a map with k_item's keys); NULL after an error in d. */
static const char *id_ref(const sh_ydoc *doc, const sh_ynode *it, bool target, sh_diags *d) {
  if (!sh_y_expect(doc, it, SH_Y_MAP, target ? N_("a target") : N_("a source"), d)) return NULL;
  sh_y_check_keys(doc, it, k_item, target ? N_("target (OSCAL 1.2)") : N_("source (OSCAL 1.2)"), d);
  const sh_ynode *ref = sh_y_require(doc, it, "id-ref", target ? "target" : "source", d);
  return ref ? sh_y_str(doc, ref, "id-ref", d) : NULL;
}

static bool valid_rationale(const char *s) {
  return s && (!strcmp(s, "syntactic") || !strcmp(s, "semantic") || !strcmp(s, "functional"));
}

static void free_acc(void *p) {
  acc_t *a = p;
  free(a->target);
  sh_vec_free_all(&a->sources, free);
  free(a->rationale);
  free(a->note);
  free(a);
}

int sh_oscal_mapping_import(const char *path, const char *from_id, const char *to_id, const sh_framework *from,
                            const sh_framework *to, sh_buf *out, sh_oscal_mapping_import_stats *st, sh_diags *d) {
  sh_oscal_mapping_import_stats local;
  if (!st) st = &local;
  memset(st, 0, sizeof *st);
  size_t before = d->nerrors;
  sh_ydoc *doc = sh_oscal_load(path, NULL, 0, d);
  if (!doc) return -1;
  const char *file = doc->file;
  sh_vec order = {0};
  sh_strmap by_target = {0};
  sh_buf skipped_ids = {0};
  const sh_ynode *root = doc->root, *coll = root && root->kind == SH_Y_MAP ? sh_ymap_get(root, "mapping-collection") : NULL;
  if (!coll) {
    sh_error(d, file, root ? root->line : 1, root ? root->col : 1, "not an OSCAL mapping-collection (no 'mapping-collection' at the top)");
    goto done;
  }
  sh_y_check_keys(doc, root, k_top, N_("an OSCAL document"), d);
  if (!sh_y_expect(doc, coll, SH_Y_MAP, "mapping-collection", d)) goto done;
  sh_y_check_keys(doc, coll, k_coll, N_("mapping-collection (OSCAL 1.2)"), d);
  const sh_ynode *prov = sh_ymap_get(coll, "provenance");
  const char *coll_rat = NULL;
  if (!prov) {
    sh_error(d, file, coll->line, coll->col,
             "mapping-collection has no 'provenance' (required since OSCAL 1.2: method, matching-rationale, status, "
             "mapping-description); a pre-1.2 mapping cannot be read");
  } else if (sh_y_expect(doc, prov, SH_Y_MAP, "provenance", d)) {
    sh_y_check_keys(doc, prov, k_prov, N_("provenance (OSCAL 1.2)"), d);
    static const char *const req[] = {"method", "matching-rationale", "status", "mapping-description"};
    for (size_t i = 0; i < 4; i++) sh_y_require(doc, prov, req[i], "provenance", d);
    coll_rat = sh_oscal_str(prov, "matching-rationale");
  }
  const sh_ynode *mappings = sh_y_require(doc, coll, "mappings", "mapping-collection", d);
  if (d->nerrors != before || !mappings) goto done;
  /* `mappings` is a list, or (JSON/YAML) one mapping object */
  const sh_ynode *one[1] = {mappings};
  const sh_ynode *const *ms = mappings->kind == SH_Y_SEQ ? (const sh_ynode *const *)mappings->items : one;
  size_t nms = mappings->kind == SH_Y_SEQ ? mappings->n : 1;
  for (size_t mi = 0; mi < nms; mi++) {
    const sh_ynode *m = ms[mi];
    if (!sh_y_expect(doc, m, SH_Y_MAP, N_("a mapping"), d)) continue;
    sh_y_check_keys(doc, m, k_mapping, N_("mapping (OSCAL 1.2)"), d);
    sh_y_require(doc, m, "source-resource", "mapping", d);
    sh_y_require(doc, m, "target-resource", "mapping", d);
    const char *m_rat = sh_oscal_str(m, "matching-rationale");
    const sh_ynode *maps = sh_y_require(doc, m, "maps", "mapping", d);
    if (!maps || !sh_y_expect(doc, maps, SH_Y_SEQ, "maps", d)) continue;
    for (size_t k = 0; k < maps->n; k++) {
      const sh_ynode *mp = maps->items[k];
      if (!sh_y_expect(doc, mp, SH_Y_MAP, N_("a map"), d)) continue;
      st->maps++;
      sh_y_check_keys(doc, mp, k_map, N_("map (OSCAL 1.2)"), d);
      const sh_ynode *reln = sh_y_require(doc, mp, "relationship", "map", d);
      const sh_ynode *srcs = sh_y_require(doc, mp, "sources", "map", d);
      const sh_ynode *tgts = sh_y_require(doc, mp, "targets", "map", d);
      const char *rel = reln ? sh_y_str(doc, reln, "relationship", d) : NULL;
      int ri = -1;
      for (int i = 0; rel && i < (int)(sizeof rels / sizeof rels[0]); i++)
        if (!strcmp(rel, rels[i].rel)) ri = i;
      if (rel && ri < 0)
        sh_error(d, file, reln->line, reln->col,
                 "unknown relationship '%s' (superset-of, equivalent-to, equal-to, subset-of, intersects-with, "
                 "no-relationship)", rel);
      const char *rat = sh_oscal_str(mp, "matching-rationale");
      if (!rat) rat = m_rat ? m_rat : coll_rat;
      if (!srcs || !tgts || ri < 0 || !sh_y_expect(doc, srcs, SH_Y_SEQ, "sources", d) ||
          !sh_y_expect(doc, tgts, SH_Y_SEQ, "targets", d))
        continue;
      sh_vec src_ids = {0};
      bool bad_src = false;
      for (size_t i = 0; i < srcs->n; i++) {
        const sh_ynode *it = srcs->items[i];
        const char *rs = id_ref(doc, it, false, d);
        if (!rs) continue;
        const char *id = resolve(from, rs);
        if (id) sh_vec_push(&src_ids, (void *)id);
        else bad_src = true;
      }
      for (size_t i = 0; i < tgts->n; i++) {
        const sh_ynode *it = tgts->items[i];
        const char *rs = id_ref(doc, it, true, d);
        if (!rs) continue;
        const char *tid = resolve(to, rs);
        if (!tid || (bad_src && !src_ids.n)) {
          st->skipped++;
          if (skipped_ids.len < 400) sh_buf_printf(&skipped_ids, "%s%s", skipped_ids.len ? ", " : "", rs);
          continue;
        }
        acc_t *a = sh_strmap_get(&by_target, tid);
        if (!a) {
          a = sh_calloc(1, sizeof *a);
          a->target = sh_strdup(tid);
          a->rank = -1;
          a->line = mp->line;
          sh_strmap_put(&by_target, tid, a);
          sh_vec_push(&order, a);
        }
        for (size_t s = 0; s < src_ids.n; s++) {
          bool seen = false;
          for (size_t q = 0; q < a->sources.n; q++)
            if (!strcmp(a->sources.v[q], src_ids.v[s])) seen = true;
          if (!seen) sh_vec_push(&a->sources, sh_strdup(src_ids.v[s]));
        }
        if (rels[ri].rank > a->rank) a->rank = rels[ri].rank;
        if (valid_rationale(rat) && !a->rationale) a->rationale = sh_strdup(rat);
        const char *rem = sh_oscal_str(mp, "remarks");
        if (rem && !a->note) a->note = sh_oscal_squash(sh_strdup(rem));
      }
      sh_vec_free(&src_ids);
    }
  }
  if (d->nerrors != before) goto done;
  if (!order.n) {
    if (skipped_ids.len)
      sh_error(d, file, coll->line, coll->col, "no map of this mapping-collection has a target in '%s' (targets: %s)",
               to_id, sh_buf_str(&skipped_ids));
    else
      sh_error(d, file, coll->line, coll->col, "no map of this mapping-collection has a target in '%s'", to_id);
    goto done;
  }
  const char *slash = strrchr(file, '/');
  const char *base = slash ? slash + 1 : file;
  sh_buf_printf(out, "# Imported by `shinsa import mapping --oscal` from %s: %zu maps -> %zu relations, %zu skipped.\n",
                base, st->maps, order.n, st->skipped);
  sh_buf_puts(out, "# Rules: docs/oscal.md §4. Check with `shinsa lint` once both frameworks are installed.\ncrosswalk:\n  from: ");
  sh_oscal_yaml_quote(out, from_id);
  sh_buf_puts(out, "\n  to: ");
  sh_oscal_yaml_quote(out, to_id);
  const sh_ynode *meta = sh_ymap_get(coll, "metadata");
  const char *title = meta ? sh_oscal_str(meta, "title") : NULL;
  if (title) {
    sh_buf_puts(out, "\n  title: ");
    sh_oscal_yaml_quote(out, title);
  }
  sh_buf_puts(out, "\nrelations:\n");
  for (size_t i = 0; i < order.n; i++) {
    acc_t *a = order.v[i];
    int ri = 0;
    for (int k = 0; k < (int)(sizeof rels / sizeof rels[0]); k++)
      if (rels[k].rank == a->rank) {
        ri = k;
        break;
      }
    st->relations++;
    st->per_class[rels[ri].cls]++;
    sh_buf_puts(out, "  - target: ");
    sh_oscal_yaml_quote(out, a->target);
    sh_buf_puts(out, "\n    sources: [");
    for (size_t s = 0; s < a->sources.n; s++) {
      if (s) sh_buf_puts(out, ", ");
      sh_oscal_yaml_quote(out, a->sources.v[s]);
    }
    sh_buf_printf(out, "]\n    relation: %s\n", rels[ri].word);
    if (a->rationale) sh_buf_printf(out, "    rationale: %s\n", a->rationale);
    if (a->note) {
      sh_buf_puts(out, "    note: ");
      sh_oscal_yaml_quote(out, a->note);
      sh_buf_putc(out, '\n');
    }
    sh_buf_puts(out, "    source: {document: ");
    sh_oscal_yaml_quote(out, base);
    sh_buf_printf(out, ", lines: \"%d\"}\n", a->line > 0 ? a->line : 1);
  }
done:
  sh_vec_free_all(&order, free_acc);
  sh_strmap_free(&by_target);
  sh_buf_free(&skipped_ids);
  sh_ydoc_free(doc);
  return d->nerrors != before ? -1 : 0;
}
