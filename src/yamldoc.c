/* yamldoc: libyaml event stream -> positioned node tree. See yamldoc.h. */
#include "yamldoc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

typedef struct {
  char *name;
  sh_ynode *node;
  size_t expanded;
} anchor;

typedef struct {
  sh_ydoc *doc;
  sh_diags *d;
  yaml_parser_t parser;
  anchor *anchors;
  size_t nanchors;
  size_t aliases;
  size_t expanded;
  bool failed;
} loader;

static sh_ynode *new_node(loader *L, sh_ykind kind, yaml_mark_t m) {
  sh_ynode *n = sh_calloc(1, sizeof *n);
  n->kind = kind;
  n->line = (int)m.line + 1;
  n->col = (int)m.column + 1;
  sh_vec_push(&L->doc->nodes, n);
  return n;
}

static void fail_at(loader *L, yaml_mark_t m, const char *fmt, ...) SH_PRINTF(3, 4);
static void fail_at(loader *L, yaml_mark_t m, const char *fmt, ...) {
  if (L->failed) return;
  L->failed = true;
  va_list ap;
  va_start(ap, fmt);
  sh_diag_vadd(L->d, SH_SEV_ERROR, L->doc->file, (int)m.line + 1, (int)m.column + 1, fmt, ap);
  va_end(ap);
}

static void parser_error(loader *L) {
  if (L->failed) return;
  L->failed = true;
  yaml_mark_t m = L->parser.problem_mark;
  const char *problem = L->parser.problem ? L->parser.problem : "malformed YAML";
  if (L->parser.context)
    sh_diag_add(L->d, SH_SEV_ERROR, L->doc->file, (int)m.line + 1, (int)m.column + 1,
                "invalid YAML: %s %s", problem, L->parser.context);
  else
    sh_diag_add(L->d, SH_SEV_ERROR, L->doc->file, (int)m.line + 1, (int)m.column + 1,
                "invalid YAML: %s", problem);
}

static bool next_event(loader *L, yaml_event_t *ev) {
  if (!yaml_parser_parse(&L->parser, ev)) {
    parser_error(L);
    return false;
  }
  return true;
}

static void remember_anchor(loader *L, const yaml_char_t *name, sh_ynode *n, size_t expanded) {
  if (!name) return;
  L->anchors = sh_realloc(L->anchors, (L->nanchors + 1) * sizeof *L->anchors);
  L->anchors[L->nanchors++] = (anchor){sh_strdup((const char *)name), n, expanded};
}

/* Parses one node starting at ev (consumed). Returns the node or NULL on failure;
 * *expanded receives its size with aliases expanded. */
static sh_ynode *parse_node(loader *L, yaml_event_t *ev, int depth, size_t *expanded) {
  if (depth > SH_YAML_MAX_DEPTH) {
    fail_at(L, ev->start_mark, "YAML nesting deeper than %s levels", "64");
    yaml_event_delete(ev);
    return NULL;
  }
  sh_ynode *n = NULL;
  *expanded = 1;
  switch (ev->type) {
  case YAML_SCALAR_EVENT: {
    n = new_node(L, SH_Y_SCALAR, ev->start_mark);
    n->str = sh_strndup((const char *)ev->data.scalar.value, ev->data.scalar.length);
    n->len = ev->data.scalar.length;
    n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && ev->data.scalar.plain_implicit;
    switch (ev->data.scalar.style) {
    case YAML_SINGLE_QUOTED_SCALAR_STYLE: n->style = '\''; break;
    case YAML_DOUBLE_QUOTED_SCALAR_STYLE: n->style = '"'; break;
    case YAML_LITERAL_SCALAR_STYLE: n->style = '|'; break;
    case YAML_FOLDED_SCALAR_STYLE: n->style = '>'; break;
    default: n->style = 'p'; break;
    }
    remember_anchor(L, ev->data.scalar.anchor, n, 1);
    yaml_event_delete(ev);
    break;
  }
  case YAML_ALIAS_EVENT: {
    const char *name = (const char *)ev->data.alias.anchor;
    if (++L->aliases > SH_YAML_MAX_ALIASES) {
      fail_at(L, ev->start_mark, "too many YAML aliases (limit %s)", "64");
      yaml_event_delete(ev);
      return NULL;
    }
    for (size_t i = L->nanchors; i-- > 0;) {
      if (strcmp(L->anchors[i].name, name) == 0) {
        n = L->anchors[i].node;
        *expanded = L->anchors[i].expanded;
        break;
      }
    }
    if (!n) fail_at(L, ev->start_mark, "unknown YAML alias *%s", name);
    yaml_event_delete(ev);
    break;
  }
  case YAML_SEQUENCE_START_EVENT:
  case YAML_MAPPING_START_EVENT: {
    bool is_map = ev->type == YAML_MAPPING_START_EVENT;
    n = new_node(L, is_map ? SH_Y_MAP : SH_Y_SEQ, ev->start_mark);
    char *anchor_name = sh_strdup((const char *)(is_map ? ev->data.mapping_start.anchor
                                                        : ev->data.sequence_start.anchor));
    yaml_event_delete(ev);
    size_t cap = 0;
    for (;;) {
      yaml_event_t cev;
      if (!next_event(L, &cev)) {
        free(anchor_name);
        return NULL;
      }
      if (cev.type == YAML_SEQUENCE_END_EVENT || cev.type == YAML_MAPPING_END_EVENT) {
        yaml_event_delete(&cev);
        break;
      }
      size_t sub = 0;
      sh_ynode *child = parse_node(L, &cev, depth + 1, &sub);
      if (!child) {
        free(anchor_name);
        return NULL;
      }
      *expanded += sub;
      if (is_map) {
        yaml_event_t vev;
        if (!next_event(L, &vev)) {
          free(anchor_name);
          return NULL;
        }
        sh_ynode *val = parse_node(L, &vev, depth + 1, &sub);
        if (!val) {
          free(anchor_name);
          return NULL;
        }
        *expanded += sub;
        if (child->kind != SH_Y_SCALAR) {
          fail_at(L, (yaml_mark_t){0, (size_t)child->line - 1, (size_t)child->col - 1},
                  "mapping keys must be scalars%s", "");
          free(anchor_name);
          return NULL;
        }
        if (child->len == 2 && memcmp(child->str, "<<", 2) == 0 && child->plain) {
          fail_at(L, (yaml_mark_t){0, (size_t)child->line - 1, (size_t)child->col - 1},
                  "YAML merge keys (<<) are not supported%s", "");
          free(anchor_name);
          return NULL;
        }
        for (size_t i = 0; i < n->n; i++) {
          if (strcmp(n->pairs[i].key->str, child->str) == 0) {
            fail_at(L, (yaml_mark_t){0, (size_t)child->line - 1, (size_t)child->col - 1},
                    "duplicate key '%s'", child->str);
            free(anchor_name);
            return NULL;
          }
        }
        if (n->n == cap) {
          cap = cap ? cap * 2 : 8;
          n->pairs = sh_realloc(n->pairs, cap * sizeof *n->pairs);
        }
        n->pairs[n->n++] = (sh_ypair){child, val};
      } else {
        if (n->n == cap) {
          cap = cap ? cap * 2 : 8;
          n->items = sh_realloc(n->items, cap * sizeof *n->items);
        }
        n->items[n->n++] = child;
      }
      if (*expanded > SH_YAML_MAX_EXPANDED) {
        fail_at(L, (yaml_mark_t){0, (size_t)n->line - 1, (size_t)n->col - 1},
                "YAML document too large once aliases are expanded (limit %s nodes)", "200000");
        free(anchor_name);
        return NULL;
      }
    }
    remember_anchor(L, (const yaml_char_t *)anchor_name, n, *expanded);
    free(anchor_name);
    break;
  }
  default:
    fail_at(L, ev->start_mark, "unexpected YAML event%s", "");
    yaml_event_delete(ev);
    return NULL;
  }
  return n;
}

static void free_node(void *p) {
  sh_ynode *n = p;
  free(n->str);
  free(n->items);
  free(n->pairs);
  free(n);
}

void sh_ydoc_free(sh_ydoc *doc) {
  if (!doc) return;
  sh_vec_free_all(&doc->nodes, free_node);
  free(doc->file);
  free(doc);
}

sh_ydoc *sh_ydoc_load_string(const char *name, const char *text, size_t len, sh_diags *d) {
  loader L = {0};
  L.doc = sh_calloc(1, sizeof *L.doc);
  L.doc->file = sh_strdup(name);
  L.d = d;
  if (len > SH_YAML_MAX_BYTES) {
    sh_error(d, name, 0, 0, "file too large (%zu bytes; limit %u)", len, SH_YAML_MAX_BYTES);
    sh_ydoc_free(L.doc);
    return NULL;
  }
  yaml_parser_initialize(&L.parser);
  yaml_parser_set_input_string(&L.parser, (const unsigned char *)text, len);
  yaml_event_t ev;
  bool ok = false;
  int docs = 0;
  while (!L.failed && next_event(&L, &ev)) {
    yaml_event_type_t t = ev.type;
    if (t == YAML_STREAM_END_EVENT) {
      yaml_event_delete(&ev);
      ok = true;
      break;
    }
    if (t == YAML_DOCUMENT_START_EVENT && ++docs > 1) {
      fail_at(&L, ev.start_mark, "only one YAML document per file is allowed%s", "");
      yaml_event_delete(&ev);
      break;
    }
    if (t == YAML_SCALAR_EVENT || t == YAML_SEQUENCE_START_EVENT || t == YAML_MAPPING_START_EVENT ||
        t == YAML_ALIAS_EVENT) {
      size_t expanded = 0;
      L.doc->root = parse_node(&L, &ev, 0, &expanded);
      if (!L.doc->root) break;
      continue;
    }
    yaml_event_delete(&ev);
  }
  yaml_parser_delete(&L.parser);
  for (size_t i = 0; i < L.nanchors; i++) free(L.anchors[i].name);
  free(L.anchors);
  if (!ok || L.failed) {
    sh_ydoc_free(L.doc);
    return NULL;
  }
  return L.doc;
}

sh_ydoc *sh_ydoc_load_file(const char *path, sh_diags *d) {
  char *text = NULL;
  size_t len = 0;
  if (sh_read_file(path, SH_YAML_MAX_BYTES, &text, &len) != 0) {
    if (errno == EFBIG)
      sh_error(d, path, 0, 0, "file too large (limit %u bytes)", SH_YAML_MAX_BYTES);
    else
      sh_error(d, path, 0, 0, "cannot read: %s", strerror(errno));
    return NULL;
  }
  if (memchr(text, '\0', len)) {
    /* Find the line/col of the NUL for a useful message. */
    int line = 1, col = 1;
    for (size_t i = 0; i < len && text[i]; i++) {
      if (text[i] == '\n') line++, col = 1;
      else if (((unsigned char)text[i] & 0xC0) != 0x80) col++;
    }
    sh_error(d, path, line, col, "NUL byte in YAML file");
    free(text);
    return NULL;
  }
  sh_ydoc *doc = sh_ydoc_load_string(path, text, len, d);
  free(text);
  return doc;
}

sh_ynode *sh_ymap_get(const sh_ynode *map, const char *key) {
  if (!map || map->kind != SH_Y_MAP) return NULL;
  for (size_t i = 0; i < map->n; i++)
    if (strcmp(map->pairs[i].key->str, key) == 0) return map->pairs[i].val;
  return NULL;
}

static const char *kind_name(sh_ykind k) {
  return k == SH_Y_SCALAR ? "a scalar" : k == SH_Y_SEQ ? "a list" : "a mapping";
}

bool sh_y_expect(const sh_ydoc *doc, const sh_ynode *n, sh_ykind kind, const char *what, sh_diags *d) {
  if (n && n->kind == kind) return true;
  if (n) sh_error(d, doc->file, n->line, n->col, "%s must be %s, not %s", what, kind_name(kind), kind_name(n->kind));
  return false;
}

bool sh_y_check_keys(const sh_ydoc *doc, const sh_ynode *map, const char *const *allowed,
                     const char *what, sh_diags *d) {
  bool ok = true;
  if (!map || map->kind != SH_Y_MAP) return false;
  for (size_t i = 0; i < map->n; i++) {
    const sh_ynode *k = map->pairs[i].key;
    bool found = false;
    for (const char *const *a = allowed; *a; a++)
      if (strcmp(*a, k->str) == 0) found = true;
    if (!found) {
      sh_buf b = {0};
      for (const char *const *a = allowed; *a; a++) sh_buf_printf(&b, "%s%s", a == allowed ? "" : ", ", *a);
      sh_error(d, doc->file, k->line, k->col, "unknown key '%s' in %s (expected one of: %s)", k->str, what,
               sh_buf_str(&b));
      sh_buf_free(&b);
      ok = false;
    }
  }
  return ok;
}

sh_ynode *sh_y_require(const sh_ydoc *doc, const sh_ynode *map, const char *key, const char *what,
                       sh_diags *d) {
  sh_ynode *v = sh_ymap_get(map, key);
  if (!v) sh_error(d, doc->file, map->line, map->col, "%s: missing required key '%s'", what, key);
  return v;
}

const char *sh_y_str(const sh_ydoc *doc, const sh_ynode *n, const char *what, sh_diags *d) {
  if (!sh_y_expect(doc, n, SH_Y_SCALAR, what, d)) return NULL;
  if (strlen(n->str) != n->len) {
    sh_error(d, doc->file, n->line, n->col, "%s contains a NUL character", what);
    return NULL;
  }
  return n->str;
}

bool sh_y_bool(const sh_ydoc *doc, const sh_ynode *n, bool *out, const char *what, sh_diags *d) {
  if (!sh_y_expect(doc, n, SH_Y_SCALAR, what, d)) return false;
  if (n->plain) {
    static const char *t[] = {"true", "True", "TRUE", "yes", "Yes", "YES", NULL};
    static const char *f[] = {"false", "False", "FALSE", "no", "No", "NO", NULL};
    for (int i = 0; t[i]; i++)
      if (strcmp(n->str, t[i]) == 0) return *out = true, true;
    for (int i = 0; f[i]; i++)
      if (strcmp(n->str, f[i]) == 0) return *out = false, true;
  }
  sh_error(d, doc->file, n->line, n->col, "%s must be true or false, not '%s'", what, n->str);
  return false;
}

bool sh_y_int(const sh_ydoc *doc, const sh_ynode *n, int64_t *out, const char *what, sh_diags *d) {
  if (!sh_y_expect(doc, n, SH_Y_SCALAR, what, d)) return false;
  const char *s = n->str;
  bool ok = n->plain && *s;
  const char *p = s;
  if (*p == '-' || *p == '+') p++;
  if (!*p) ok = false;
  for (const char *q = p; *q; q++)
    if (*q < '0' || *q > '9') ok = false;
  if (ok) {
    errno = 0;
    char *end;
    long long v = strtoll(s, &end, 10);
    if (errno == ERANGE || *end) ok = false;
    else *out = v;
  }
  if (!ok) sh_error(d, doc->file, n->line, n->col, "%s must be an integer, not '%s'", what, s);
  return ok;
}

bool sh_y_date(const sh_ydoc *doc, const sh_ynode *n, sh_date *out, const char *what, sh_diags *d) {
  if (!sh_y_expect(doc, n, SH_Y_SCALAR, what, d)) return false;
  if (sh_date_parse(n->str, out)) return true;
  sh_error(d, doc->file, n->line, n->col, "%s must be a date YYYY-MM-DD, not '%s'", what, n->str);
  return false;
}

bool sh_y_text(const sh_ydoc *doc, const sh_ynode *n, char **ja, char **en, const char *what, sh_diags *d) {
  *ja = *en = NULL;
  if (!n) return false;
  if (n->kind == SH_Y_SCALAR) {
    const char *s = sh_y_str(doc, n, what, d);
    if (!s) return false;
    *ja = sh_strdup(s);
    return true;
  }
  if (n->kind != SH_Y_MAP) {
    sh_error(d, doc->file, n->line, n->col, "%s must be text or a mapping {ja: ..., en: ...}", what);
    return false;
  }
  static const char *const keys[] = {"ja", "en", NULL};
  bool ok = sh_y_check_keys(doc, n, keys, what, d);
  sh_ynode *j = sh_ymap_get(n, "ja"), *e = sh_ymap_get(n, "en");
  if (j) {
    const char *s = sh_y_str(doc, j, what, d);
    if (s) *ja = sh_strdup(s);
    else ok = false;
  }
  if (e) {
    const char *s = sh_y_str(doc, e, what, d);
    if (s) *en = sh_strdup(s);
    else ok = false;
  }
  if (!ok) {
    free(*ja);
    free(*en);
    *ja = *en = NULL;
  }
  return ok;
}
