/* oscal_catalog: OSCAL catalog -> framework file. See oscal_catalog.h and docs/oscal.md. */
#include "oscal_catalog.h"

#include "i18n.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---------- YAML output ---------- */

/* Length of a valid UTF-8 sequence at s (1-4), or 0. */
static size_t utf8_len(const unsigned char *s) {
  if (s[0] < 0x80) return 1;
  size_t n = (s[0] & 0xE0) == 0xC0 ? 2 : (s[0] & 0xF0) == 0xE0 ? 3 : (s[0] & 0xF8) == 0xF0 ? 4 : 0;
  if (!n || (n == 2 && s[0] < 0xC2)) return 0;
  for (size_t i = 1; i < n; i++)
    if ((s[i] & 0xC0) != 0x80) return 0;
  if (n == 3 && ((s[0] == 0xE0 && s[1] < 0xA0) || (s[0] == 0xED && s[1] >= 0xA0))) return 0;
  if (n == 4 && ((s[0] == 0xF0 && s[1] < 0x90) || s[0] > 0xF4 || (s[0] == 0xF4 && s[1] >= 0x90))) return 0;
  return n;
}

void sh_oscal_yaml_quote(sh_buf *b, const char *s) {
  sh_buf_putc(b, '"');
  const unsigned char *p = (const unsigned char *)(s ? s : "");
  while (*p) {
    unsigned char c = *p;
    if (c == '"' || c == '\\') {
      sh_buf_putc(b, '\\');
      sh_buf_putc(b, (char)c);
      p++;
    } else if (c == '\n') {
      sh_buf_puts(b, "\\n");
      p++;
    } else if (c == '\t') {
      sh_buf_puts(b, "\\t");
      p++;
    } else if (c < 0x20 || c == 0x7F) {
      sh_buf_printf(b, "\\x%02X", c);
      p++;
    } else if (c < 0x80) {
      sh_buf_putc(b, (char)c);
      p++;
    } else {
      size_t n = utf8_len(p);
      if (!n) {
        sh_buf_puts(b, "\\uFFFD");
        p++;
      } else if (n == 2 && p[0] == 0xC2 && p[1] < 0xA0 && p[1] != 0x85) { /* C1 controls */
        sh_buf_printf(b, "\\u%04X", p[1]);
        p += 2;
      } else if (n == 3 && p[0] == 0xEF && p[1] == 0xBF && (p[2] == 0xBE || p[2] == 0xBF)) { /* U+FFFE/FFFF */
        sh_buf_puts(b, "\\uFFFD");
        p += 3;
      } else {
        sh_buf_put(b, (const char *)p, n);
        p += n;
      }
    }
  }
  sh_buf_putc(b, '"');
}

/* ---------- reading ---------- */

bool sh_oscal_modal_strength(const char *verb, sh_strength *out) {
  static const struct {
    const char *w;
    sh_strength s;
  } map[] = {{"MUSS", SH_STRENGTH_MUST},     {"MUSS NICHT", SH_STRENGTH_MUST}, {"DARF NICHT", SH_STRENGTH_MUST},
             {"MUST", SH_STRENGTH_MUST},     {"MUST NOT", SH_STRENGTH_MUST},   {"SHALL", SH_STRENGTH_MUST},
             {"SHALL NOT", SH_STRENGTH_MUST}, {"SOLLTE", SH_STRENGTH_SHOULD},   {"SOLLTE NICHT", SH_STRENGTH_SHOULD},
             {"SHOULD", SH_STRENGTH_SHOULD}, {"SHOULD NOT", SH_STRENGTH_SHOULD}, {"KANN", SH_STRENGTH_EFFORT},
             {"MAY", SH_STRENGTH_EFFORT},    {"CAN", SH_STRENGTH_EFFORT}};
  if (!verb) return false;
  for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
    if (strcasecmp(verb, map[i].w) == 0) return *out = map[i].s, true;
  return false;
}

typedef struct {
  const sh_ydoc *doc;
  const char *file, *base;
  sh_diags *d;
  sh_strmap params;     /* param id -> const sh_ynode* */
  sh_strmap ids;        /* control id -> const sh_ynode* (duplicates) */
  sh_strmap sections;   /* section id -> (void*)1 */
  sh_buf secs, items;   /* YAML being written */
  sh_oscal_import_stats *st;
  size_t before;
  size_t ngen;          /* generated section ids */
} imp;

static const sh_ynode *seq_of(imp *m, const sh_ynode *map, const char *key) {
  const sh_ynode *v = sh_ymap_get(map, key);
  if (!v) return NULL;
  if (v->kind != SH_Y_SEQ) {
    sh_error(m->d, m->file, v->line, v->col, "'%s' must be a list", key);
    return NULL;
  }
  return v;
}

static bool is_map(imp *m, const sh_ynode *n, const char *what) {
  if (n && n->kind == SH_Y_MAP) return true;
  sh_error(m->d, m->file, n ? n->line : 0, n ? n->col : 0, "%s must be a mapping (object)", what);
  return false;
}

/* The value of the first prop named name (and, when cls is given, of that class; cls "" = without class). */
static const char *prop_value(imp *m, const sh_ynode *owner, const char *name, const char *cls) {
  const sh_ynode *props = seq_of(m, owner, "props");
  for (size_t i = 0; props && i < props->n; i++) {
    const sh_ynode *p = props->items[i];
    if (p->kind != SH_Y_MAP || !sh_streq(sh_oscal_str(p, "name"), name)) continue;
    const char *c = sh_oscal_str(p, "class");
    if (cls && (*cls ? !sh_streq(c, cls) : c != NULL)) continue;
    return sh_oscal_str(p, "value");
  }
  return NULL;
}

static void collect_params(imp *m, const sh_ynode *owner, int depth) {
  if (!owner || owner->kind != SH_Y_MAP || depth > 32) return;
  const sh_ynode *ps = sh_ymap_get(owner, "params");
  if (ps && ps->kind == SH_Y_SEQ)
    for (size_t i = 0; i < ps->n; i++) {
      const char *id = sh_oscal_str(ps->items[i], "id");
      if (ps->items[i]->kind == SH_Y_MAP && id) sh_strmap_put(&m->params, id, (void *)ps->items[i]);
    }
  static const char *const kids[] = {"groups", "controls", NULL};
  for (const char *const *k = kids; *k; k++) {
    const sh_ynode *s = sh_ymap_get(owner, *k);
    if (s && s->kind == SH_Y_SEQ)
      for (size_t i = 0; i < s->n; i++) collect_params(m, s->items[i], depth + 1);
  }
}

static void render_prose(imp *m, sh_buf *b, const char *prose, const sh_ynode *at, int depth);

/* A parameter as NIST renders it in SP 800-53 (docs/oscal.md): the values when set, else
 * [Selection (one or more): a; b] / [Selection: a; b], else [Assignment: label], else [Assignment: ID]. */
static void render_param(imp *m, sh_buf *b, const char *id, const sh_ynode *at, int depth) {
  const sh_ynode *p = sh_strmap_get(&m->params, id);
  if (!p) {
    sh_error(m->d, m->file, at->line, at->col, "parameter '%s' is inserted but not defined in the catalog", id);
    return;
  }
  const sh_ynode *vals = sh_ymap_get(p, "values");
  if (vals && vals->kind == SH_Y_SEQ && vals->n) {
    for (size_t i = 0; i < vals->n; i++) {
      if (i) sh_buf_puts(b, ", ");
      if (vals->items[i]->kind == SH_Y_SCALAR) render_prose(m, b, vals->items[i]->str, vals->items[i], depth + 1);
    }
    return;
  }
  const sh_ynode *sel = sh_ymap_get(p, "select");
  if (sel && sel->kind == SH_Y_MAP) {
    const char *how = sh_oscal_str(sel, "how-many");
    sh_buf_puts(b, how && strcmp(how, "one-or-more") == 0 ? "[Selection (one or more): " : "[Selection: ");
    const sh_ynode *ch = sh_ymap_get(sel, "choice");
    for (size_t i = 0; ch && ch->kind == SH_Y_SEQ && i < ch->n; i++) {
      if (i) sh_buf_puts(b, "; ");
      if (ch->items[i]->kind == SH_Y_SCALAR) render_prose(m, b, ch->items[i]->str, ch->items[i], depth + 1);
    }
    sh_buf_putc(b, ']');
    return;
  }
  const char *label = sh_oscal_str(p, "label");
  sh_buf_puts(b, "[Assignment: ");
  if (label) render_prose(m, b, label, p, depth + 1);
  else sh_buf_puts(b, id);
  sh_buf_putc(b, ']');
}

/* Prose with every {{ insert: param, ID }} replaced by the parameter's rendering. */
static void render_prose(imp *m, sh_buf *b, const char *prose, const sh_ynode *at, int depth) {
  if (depth > 8) {
    sh_error(m->d, m->file, at->line, at->col, "parameters nested deeper than 8 (a parameter inserting itself?)");
    return;
  }
  const char *p = prose;
  while (*p) {
    const char *open = strstr(p, "{{");
    if (!open) {
      sh_buf_puts(b, p);
      return;
    }
    const char *q = open + 2;
    while (*q == ' ') q++;
    const char *close = strstr(q, "}}");
    if (strncmp(q, "insert:", 7) != 0 || !close) {
      sh_buf_put(b, p, (size_t)(open - p) + 2);
      p = open + 2;
      continue;
    }
    sh_buf_put(b, p, (size_t)(open - p));
    q += 7;
    while (*q == ' ') q++;
    const char *comma = memchr(q, ',', (size_t)(close - q));
    char *type = sh_strndup(q, comma ? (size_t)(comma - q) : 0);
    sh_oscal_squash(type);
    char *ref = comma ? sh_strndup(comma + 1, (size_t)(close - comma - 1)) : sh_strdup("");
    sh_oscal_squash(ref);
    if (strcmp(type, "param") == 0 && *ref) render_param(m, b, ref, at, depth);
    /* other insert types (point) are markers, not text: dropped */
    free(type);
    free(ref);
    p = close + 2;
  }
}

/* One part (and its sub-parts): "LABEL prose" lines. */
static void render_part(imp *m, sh_buf *b, const sh_ynode *part, int depth) {
  if (part->kind != SH_Y_MAP || depth > 16) return;
  const char *label = prop_value(m, part, "label", NULL);
  const char *prose = sh_oscal_str(part, "prose");
  const char *title = sh_oscal_str(part, "title");
  sh_buf line = {0};
  if (label) sh_buf_printf(&line, "%s ", label);
  if (title) sh_buf_printf(&line, "%s: ", title);
  if (prose) render_prose(m, &line, prose, part, 0);
  char *s = sh_buf_steal(&line);
  sh_oscal_squash(s);
  if (*s) {
    if (b->len) sh_buf_putc(b, '\n');
    sh_buf_puts(b, s);
  }
  free(s);
  const sh_ynode *parts = seq_of(m, part, "parts");
  for (size_t i = 0; parts && i < parts->n; i++) render_part(m, b, parts->items[i], depth + 1);
}

/* The modal verb of a control: its own props, else the props of its statement part(s). */
static const char *modal_verb(imp *m, const sh_ynode *ctl) {
  const char *v = prop_value(m, ctl, "modal_verb", NULL);
  if (v) return v;
  const sh_ynode *parts = seq_of(m, ctl, "parts");
  for (size_t i = 0; parts && i < parts->n; i++) {
    const sh_ynode *p = parts->items[i];
    if (p->kind == SH_Y_MAP && sh_streq(sh_oscal_str(p, "name"), "statement")) {
      if ((v = prop_value(m, p, "modal_verb", NULL))) return v;
    }
  }
  return NULL;
}

static bool is_withdrawn(imp *m, const sh_ynode *ctl) {
  const char *s = prop_value(m, ctl, "status", NULL);
  return s && strcasecmp(s, "withdrawn") == 0;
}

static size_t count_controls(const sh_ynode *ctl) {
  size_t n = 1;
  const sh_ynode *cs = sh_ymap_get(ctl, "controls");
  for (size_t i = 0; cs && cs->kind == SH_Y_SEQ && i < cs->n; i++)
    if (cs->items[i]->kind == SH_Y_MAP) n += count_controls(cs->items[i]);
  return n;
}

static void write_section_path(sh_buf *b, const sh_vec *path) {
  sh_buf_puts(b, "    section: [");
  for (size_t i = 0; i < path->n; i++) {
    if (i) sh_buf_puts(b, ", ");
    sh_oscal_yaml_quote(b, path->v[i]);
  }
  sh_buf_puts(b, "]\n");
}

static void import_control(imp *m, const sh_ynode *ctl, sh_vec *path, int depth) {
  if (!is_map(m, ctl, _("a control"))) return;
  m->st->controls++;
  if (is_withdrawn(m, ctl)) {
    size_t n = count_controls(ctl);
    m->st->withdrawn += n;
    m->st->controls += n - 1;
    return;
  }
  const sh_ynode *idn = sh_ymap_get(ctl, "id");
  if (!idn || idn->kind != SH_Y_SCALAR || !*idn->str) {
    sh_error(m->d, m->file, ctl->line, ctl->col, "a control without an 'id'");
    return;
  }
  const char *id = idn->str;
  const sh_ynode *prev = sh_strmap_get(&m->ids, id);
  if (prev) {
    sh_error(m->d, m->file, idn->line, idn->col, "duplicate control id '%s' (first at line %d)", id, prev->line);
    return;
  }
  sh_strmap_put(&m->ids, id, (void *)idn);
  const char *title = sh_oscal_str(ctl, "title");
  if (!title) {
    sh_error(m->d, m->file, ctl->line, ctl->col, "control '%s' has no 'title'", id);
    return;
  }
  const char *label = prop_value(m, ctl, "label", "");
  if (!label) label = prop_value(m, ctl, "label", NULL);
  if (!label) label = id;
  sh_strength strength = SH_STRENGTH_MUST;
  const char *verb = modal_verb(m, ctl);
  if (verb && !sh_oscal_modal_strength(verb, &strength)) {
    sh_error(m->d, m->file, ctl->line, ctl->col,
             "control '%s': modal verb '%s' is not one of MUSS, SOLLTE, KANN (or MUST, SHOULD, MAY)", id, verb);
    return;
  }
  char *head = sh_printf("%s %s", label, title);
  sh_oscal_squash(head);
  sh_buf text = {0};
  sh_buf_puts(&text, head);
  sh_buf stmt = {0};
  const sh_ynode *parts = seq_of(m, ctl, "parts");
  for (size_t i = 0; parts && i < parts->n; i++) {
    const sh_ynode *p = parts->items[i];
    if (p->kind == SH_Y_MAP && sh_streq(sh_oscal_str(p, "name"), "statement")) render_part(m, &stmt, p, 0);
  }
  if (stmt.len) {
    sh_buf_putc(&text, '\n');
    sh_buf_puts(&text, sh_buf_str(&stmt));
  }
  sh_buf_free(&stmt);
  sh_buf *b = &m->items;
  sh_buf_puts(b, "  - id: ");
  sh_oscal_yaml_quote(b, id);
  sh_buf_putc(b, '\n');
  if (path->n) write_section_path(b, path);
  sh_buf_puts(b, "    text: ");
  sh_oscal_yaml_quote(b, sh_buf_str(&text));
  sh_buf_printf(b, "\n    strength: %s\n    manual: true\n    evidence_needed:\n      - ja: ", sh_strength_name(strength));
  char *ja = sh_printf("管理策 %s が記述どおり実施されていることを示す証拠（OSCAL カタログから取り込み）", label);
  char *en = sh_printf("Evidence that control %s is implemented as stated (imported from an OSCAL catalog)", label);
  sh_oscal_yaml_quote(b, ja);
  sh_buf_puts(b, "\n        en: ");
  sh_oscal_yaml_quote(b, en);
  free(ja);
  free(en);
  sh_buf_puts(b, "\n    source:\n      document: ");
  sh_oscal_yaml_quote(b, m->base);
  sh_buf_puts(b, "\n      section: ");
  sh_oscal_yaml_quote(b, head);
  sh_buf_puts(b, "\n      form: derived\n      note: ");
  char *note = sh_printf("OSCAL control '%s': title and statement parts, parameters inserted%s%s", id,
                         verb ? "; strength from modal verb " : "", verb ? verb : "");
  sh_oscal_yaml_quote(b, note);
  free(note);
  sh_buf_putc(b, '\n');
  free(head);
  sh_buf_free(&text);
  m->st->items++;
  m->st->strength[strength]++;
  if (verb) m->st->modal[strength]++;
  const sh_ynode *subs = seq_of(m, ctl, "controls");
  for (size_t i = 0; subs && i < subs->n && depth < 16; i++) import_control(m, subs->items[i], path, depth + 1);
}

static void import_group(imp *m, const sh_ynode *g, sh_vec *path, int depth) {
  if (!is_map(m, g, _("a group"))) return;
  if (depth > 16) {
    sh_error(m->d, m->file, g->line, g->col, "groups nested deeper than 16");
    return;
  }
  const char *gid = sh_oscal_str(g, "id");
  char *sid = gid && *gid ? sh_strdup(gid) : sh_printf("group-%zu", ++m->ngen);
  const sh_ynode *idn = sh_ymap_get(g, "id");
  if (sh_strmap_get(&m->sections, sid)) {
    sh_error(m->d, m->file, idn ? idn->line : g->line, idn ? idn->col : g->col, "duplicate group id '%s'", sid);
    free(sid);
    return;
  }
  sh_strmap_put(&m->sections, sid, (void *)g);
  const char *title = sh_oscal_str(g, "title");
  if (!title) {
    sh_error(m->d, m->file, g->line, g->col, "group '%s' has no 'title'", sid);
    free(sid);
    return;
  }
  char *t = sh_strdup(title);
  sh_oscal_squash(t);
  sh_buf_puts(&m->secs, "  - id: ");
  sh_oscal_yaml_quote(&m->secs, sid);
  sh_buf_puts(&m->secs, "\n    title: ");
  sh_oscal_yaml_quote(&m->secs, t);
  sh_buf_putc(&m->secs, '\n');
  free(t);
  m->st->sections++;
  sh_vec_push(path, sid);
  const sh_ynode *cs = seq_of(m, g, "controls");
  for (size_t i = 0; cs && i < cs->n; i++) import_control(m, cs->items[i], path, 0);
  const sh_ynode *gs = seq_of(m, g, "groups");
  for (size_t i = 0; gs && i < gs->n; i++) import_group(m, gs->items[i], path, depth + 1);
  path->n--;
  free(sid);
}

static void kv(sh_buf *b, const char *key, const char *val) {
  sh_buf_printf(b, "  %s: ", key);
  sh_oscal_yaml_quote(b, val);
  sh_buf_putc(b, '\n');
}

int sh_oscal_catalog_import(const char *path, const char *id, sh_buf *out, sh_oscal_import_stats *stats,
                            sh_diags *d) {
  sh_oscal_import_stats local;
  if (!stats) stats = &local;
  memset(stats, 0, sizeof *stats);
  size_t before = d->nerrors;
  sh_ydoc *doc = sh_oscal_load(path, &stats->format, SH_OSCAL_STATEMENTS, d);
  if (!doc) return -1;
  const char *slash = strrchr(path, '/');
  imp m = {.doc = doc, .file = path, .base = slash ? slash + 1 : path, .d = d, .st = stats};
  int rc = -1;
  const sh_ynode *root = doc->root, *cat = root && root->kind == SH_Y_MAP ? sh_ymap_get(root, "catalog") : NULL;
  if (!cat) {
    sh_error(d, path, root ? root->line : 1, root ? root->col : 1,
             "not an OSCAL catalog (no 'catalog' at the top)%s",
             root && root->kind == SH_Y_MAP && (sh_ymap_get(root, "profile") || sh_ymap_get(root, "mapping-collection"))
                 ? _(": a profile must be resolved into a catalog first; a mapping is read by `import mapping --oscal`")
                 : "");
    sh_ydoc_free(doc);
    return -1;
  }
  if (!is_map(&m, cat, "catalog")) goto fail;
  const sh_ynode *meta = sh_ymap_get(cat, "metadata");
  if (!meta) {
    sh_error(d, path, cat->line, cat->col, "catalog has no 'metadata'");
    goto fail;
  }
  if (!is_map(&m, meta, "metadata")) goto fail;
  const char *title = sh_oscal_str(meta, "title"), *version = sh_oscal_str(meta, "version");
  const char *ov = sh_oscal_str(meta, "oscal-version"), *lm = sh_oscal_str(meta, "last-modified");
  const char *pub = sh_oscal_str(meta, "published"), *uuid = sh_oscal_str(cat, "uuid");
  if (!title || !version) {
    sh_error(d, path, meta->line, meta->col, "catalog metadata needs 'title' and 'version'");
    goto fail;
  }
  if (ov) snprintf(stats->oscal_version, sizeof stats->oscal_version, "%s", ov);
  collect_params(&m, cat, 0);
  sh_vec spath = {0};
  const sh_ynode *gs = seq_of(&m, cat, "groups");
  for (size_t i = 0; gs && i < gs->n; i++) import_group(&m, gs->items[i], &spath, 0);
  const sh_ynode *cs = seq_of(&m, cat, "controls");
  for (size_t i = 0; cs && i < cs->n; i++) import_control(&m, cs->items[i], &spath, 0);
  sh_vec_free(&spath);
  if (d->nerrors != before) goto fail;
  if (stats->items == 0) {
    sh_error(d, path, cat->line, cat->col, "the catalog has no control that is not withdrawn");
    goto fail;
  }
  sh_buf_printf(out, "# Imported by `shinsa import oscal` from %s (OSCAL %s %s): %zu items, %zu withdrawn controls "
                     "left out.\n# Rules: docs/oscal.md. Items are manual until an overlay gives them a require.\n",
                m.base, sh_oscal_format_name(stats->format), ov ? ov : "?", stats->items, stats->withdrawn);
  sh_buf_puts(out, "framework:\n");
  kv(out, "id", id);
  sh_buf_puts(out, "  kind: checklist\n");
  char *t = sh_strdup(title);
  kv(out, "title", sh_oscal_squash(t));
  free(t);
  kv(out, "version", version);
  const char *date = pub ? pub : lm;
  sh_date dt;
  char dbuf[11] = "";
  if (date && strlen(date) >= 10) {
    snprintf(dbuf, sizeof dbuf, "%.10s", date);
    if (sh_date_parse(dbuf, &dt)) sh_buf_printf(out, "  date: %s\n", dbuf);
  }
  char *src_en = sh_printf("OSCAL catalog %s (uuid %s, OSCAL %s, last modified %s)", m.base, uuid ? uuid : "?",
                           ov ? ov : "?", lm ? lm : "?");
  char *src_ja = sh_printf("OSCAL カタログ %s（uuid %s、OSCAL %s、最終更新 %s）", m.base, uuid ? uuid : "?",
                           ov ? ov : "?", lm ? lm : "?");
  sh_buf_puts(out, "  source:\n    ja: ");
  sh_oscal_yaml_quote(out, src_ja);
  sh_buf_puts(out, "\n    en: ");
  sh_oscal_yaml_quote(out, src_en);
  free(src_ja);
  free(src_en);
  char *n_en = sh_printf("Imported from an OSCAL catalog: %zu controls and enhancements, %zu withdrawn left out. Item "
                         "texts are the catalog's own words (its language, not a translation) with parameters "
                         "inserted; every item is manual until an overlay gives it a require.",
                         stats->items, stats->withdrawn);
  char *n_ja = sh_printf("OSCAL カタログから取り込み: 管理策と強化策 %zu 件、廃止 %zu 件は除外。項目の本文はカタログの"
                         "原文（原語のまま、翻訳ではない）にパラメータを埋め込んだもの。オーバーレイで require を"
                         "与えるまで全項目が手動確認。",
                         stats->items, stats->withdrawn);
  sh_buf_puts(out, "\n  notes:\n    ja: ");
  sh_oscal_yaml_quote(out, n_ja);
  sh_buf_puts(out, "\n    en: ");
  sh_oscal_yaml_quote(out, n_en);
  sh_buf_putc(out, '\n');
  free(n_ja);
  free(n_en);
  if (m.secs.len) {
    sh_buf_puts(out, "sections:\n");
    sh_buf_puts(out, sh_buf_str(&m.secs));
  }
  sh_buf_puts(out, "items:\n");
  sh_buf_puts(out, sh_buf_str(&m.items));
  rc = 0;
fail:
  sh_buf_free(&m.secs);
  sh_buf_free(&m.items);
  sh_strmap_free(&m.params);
  sh_strmap_free(&m.ids);
  sh_strmap_free(&m.sections);
  sh_ydoc_free(doc);
  return rc;
}
