/* yamldoc: libyaml event stream -> positioned node tree. See yamldoc.h. */
#include "yamldoc.h"
#include "i18n.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
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
  const char *text; /* the input, for locating reader errors (which carry a byte offset only) */
  size_t len;
  anchor *anchors;
  size_t nanchors;
  size_t aliases;
  size_t alias_expansion; /* nodes added by expanding aliases so far */
  bool failed;
} loader;

/* Line and column (1-based, columns in characters as libyaml counts them) of byte offset off. */
static void locate_offset(const char *text, size_t len, size_t off, int *line, int *col) {
  int l = 1, c = 1;
  if (off > len) off = len;
  for (size_t i = 0; i < off; i++) {
    unsigned char ch = (unsigned char)text[i];
    if (ch == '\n' || (ch == '\r' && (i + 1 >= len || text[i + 1] != '\n'))) l++, c = 1;
    else if ((ch & 0xC0) != 0x80 && ch != '\r') c++;
  }
  *line = l;
  *col = c;
}

static void fail_at(loader *L, yaml_mark_t m, const char *fmt, ...) SH_PRINTF(3, 4);

static sh_ynode *new_node(loader *L, sh_ykind kind, yaml_mark_t m) {
  sh_ynode *n = sh_calloc(1, sizeof *n);
  n->kind = kind;
  n->line = (int)m.line + 1;
  n->col = (int)m.column + 1;
  sh_vec_push(&L->doc->nodes, n);
  if (L->doc->nodes.n > SH_YAML_MAX_NODES)
    fail_at(L, m, "YAML document has more than %u nodes (bound SH_YAML_MAX_NODES, docs/formats.md)",
            (unsigned)SH_YAML_MAX_NODES);
  return n;
}

/* Duplicate keys of one mapping, found with a hash set of pair indexes (built once a mapping has
 * more than a few keys, so that a mapping of n keys costs O(n), not O(n^2)). */
typedef struct {
  uint32_t *slots; /* pair index + 1; 0 = empty */
  size_t cap;
} keyset;

static uint64_t key_hash(const char *s, size_t n) {
  uint64_t h = 1469598103934665603ull;
  for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
  return h;
}

static bool key_eq(const sh_ynode *a, const sh_ynode *b) {
  return a->len == b->len && memcmp(a->str, b->str, a->len) == 0;
}

static void keyset_insert(keyset *ks, const sh_ypair *pairs, size_t idx) {
  const sh_ynode *k = pairs[idx].key;
  size_t j = key_hash(k->str, k->len) & (ks->cap - 1);
  while (ks->slots[j]) j = (j + 1) & (ks->cap - 1);
  ks->slots[j] = (uint32_t)idx + 1;
}

/* True when key already is a key of pairs[0..n); keeps the set in step with pairs. */
static bool keyset_seen(keyset *ks, const sh_ypair *pairs, size_t n, const sh_ynode *key) {
  if (n < 8) {
    for (size_t i = 0; i < n; i++)
      if (key_eq(pairs[i].key, key)) return true;
    return false;
  }
  if ((n + 1) * 2 > ks->cap) { /* (re)build at a load factor of at most 1/2 */
    free(ks->slots);
    ks->cap = 16;
    while (ks->cap < (n + 1) * 4) ks->cap *= 2;
    ks->slots = sh_calloc(ks->cap, sizeof *ks->slots);
    for (size_t i = 0; i < n; i++) keyset_insert(ks, pairs, i);
  }
  size_t j = key_hash(key->str, key->len) & (ks->cap - 1);
  while (ks->slots[j]) {
    if (key_eq(pairs[ks->slots[j] - 1].key, key)) return true;
    j = (j + 1) & (ks->cap - 1);
  }
  ks->slots[j] = (uint32_t)n + 1; /* the caller appends key as pairs[n] */
  return false;
}

static void fail_at(loader *L, yaml_mark_t m, const char *fmt, ...) {
  if (L->failed) return;
  L->failed = true;
  va_list ap;
  va_start(ap, fmt);
  sh_diag_vadd(L->d, SH_SEV_ERROR, L->doc->file, (int)m.line + 1, (int)m.column + 1, fmt, ap);
  va_end(ap);
}

/* libyaml's problem and context texts that hand-written files meet, for the catalog: the person at the
 * terminal reads them in the message language. A text not listed (or a newer libyaml's) stays as it is. */
static const char *const libyaml_texts[] = {
    N_("block sequence entries are not allowed in this context"),
    N_("control characters are not allowed"),
    N_("could not find expected ':'"),
    N_("did not find expected ',' or ']'"),
    N_("did not find expected ',' or '}'"),
    N_("did not find expected '-' indicator"),
    N_("did not find expected <document start>"),
    N_("did not find expected alphabetic or numeric character"),
    N_("did not find expected comment or line break"),
    N_("did not find expected key"),
    N_("did not find expected node content"),
    N_("found a tab character that violates indentation"),
    N_("found a tab character where an indentation space is expected"),
    N_("found character that cannot start any token"),
    N_("found undefined alias"),
    N_("found undefined tag handle"),
    N_("found unexpected ':'"),
    N_("found unexpected document indicator"),
    N_("found unexpected end of stream"),
    N_("found unknown escape character"),
    N_("incomplete UTF-8 octet sequence"),
    N_("invalid Unicode character"),
    N_("invalid leading UTF-8 octet"),
    N_("invalid length of a UTF-8 sequence"),
    N_("invalid trailing UTF-8 octet"),
    N_("mapping keys are not allowed in this context"),
    N_("mapping values are not allowed in this context"),
    N_("while parsing a block collection"),
    N_("while parsing a block mapping"),
    N_("while parsing a block node"),
    N_("while parsing a flow mapping"),
    N_("while parsing a flow node"),
    N_("while parsing a flow sequence"),
    N_("while parsing a node"),
    N_("while scanning a block scalar"),
    N_("while scanning a plain scalar"),
    N_("while scanning a quoted scalar"),
    N_("while scanning a simple key"),
    N_("while scanning a tag"),
    N_("while scanning an alias"),
    N_("while scanning an anchor"),
    N_("while scanning for the next token"),
};

/* s (a libyaml text) in the message language when the catalog has it. */
static const char *libyaml_text(const char *s) {
  for (size_t i = 0; i < sizeof libyaml_texts / sizeof libyaml_texts[0]; i++)
    if (strcmp(s, libyaml_texts[i]) == 0) return _(s);
  return s;
}

static void parser_error(loader *L) {
  if (L->failed) return;
  L->failed = true;
  if (L->parser.error == YAML_READER_ERROR) {
    /* The reader (encoding, UTF-8, control characters) gives a byte offset, not a mark. */
    int line, col;
    locate_offset(L->text, L->len, L->parser.problem_offset, &line, &col);
    const char *problem = L->parser.problem ? libyaml_text(L->parser.problem) : _("unreadable input");
    if (L->parser.problem_value >= 0 && L->parser.problem && strstr(L->parser.problem, "octet"))
      sh_diag_add(L->d, SH_SEV_ERROR, L->doc->file, line, col, "invalid UTF-8: %s 0x%02X", problem,
                  (unsigned)L->parser.problem_value & 0xFFu);
    else if (L->parser.problem_value >= 0)
      sh_diag_add(L->d, SH_SEV_ERROR, L->doc->file, line, col, "invalid YAML input: %s (U+%04X)", problem,
                  (unsigned)L->parser.problem_value);
    else
      sh_diag_add(L->d, SH_SEV_ERROR, L->doc->file, line, col, "invalid YAML input: %s", problem);
    return;
  }
  yaml_mark_t m = L->parser.problem_mark;
  const char *problem = L->parser.problem ? libyaml_text(L->parser.problem) : _("malformed YAML");
  if (L->parser.context)
    sh_diag_add(L->d, SH_SEV_ERROR, L->doc->file, (int)m.line + 1, (int)m.column + 1,
                "invalid YAML: %s %s", problem, libyaml_text(L->parser.context));
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
    else if ((L->alias_expansion += *expanded) > SH_YAML_MAX_ALIAS_EXPANSION) {
      fail_at(L, ev->start_mark,
              "YAML aliases expand to more than %u nodes (bound SH_YAML_MAX_ALIAS_EXPANSION, docs/formats.md)",
              (unsigned)SH_YAML_MAX_ALIAS_EXPANSION);
      n = NULL;
    }
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
    keyset ks = {0};
    for (;;) {
      yaml_event_t cev;
      if (L->failed || !next_event(L, &cev)) {
        free(anchor_name);
        free(ks.slots);
        return NULL;
      }
      if (cev.type == YAML_SEQUENCE_END_EVENT || cev.type == YAML_MAPPING_END_EVENT) {
        yaml_event_delete(&cev);
        break;
      }
      size_t sub = 0;
      sh_ynode *child = parse_node(L, &cev, depth + 1, &sub);
      if (!child || L->failed) {
        free(anchor_name);
        free(ks.slots);
        return NULL;
      }
      *expanded += sub;
      if (is_map) {
        yaml_event_t vev;
        if (!next_event(L, &vev)) {
          free(anchor_name);
          free(ks.slots);
          return NULL;
        }
        sh_ynode *val = parse_node(L, &vev, depth + 1, &sub);
        if (!val || L->failed) {
          free(anchor_name);
          free(ks.slots);
          return NULL;
        }
        *expanded += sub;
        const char *bad = NULL;
        if (child->kind != SH_Y_SCALAR) bad = N_("mapping keys must be scalars");
        else if (child->len == 2 && memcmp(child->str, "<<", 2) == 0 && child->plain)
          bad = N_("YAML merge keys (<<) are not supported");
        else if (keyset_seen(&ks, n->pairs, n->n, child))
          bad = "duplicate key";
        if (bad) {
          yaml_mark_t km = {0, (size_t)child->line - 1, (size_t)child->col - 1};
          if (child->kind == SH_Y_SCALAR && strcmp(bad, "duplicate key") == 0)
            fail_at(L, km, "duplicate key '%s'", child->str);
          else
            fail_at(L, km, "%s", _(bad));
          free(anchor_name);
          free(ks.slots);
          return NULL;
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
    }
    free(ks.slots);
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
  L.text = text;
  L.len = len;
  int line, col;
  if (len > SH_YAML_MAX_BYTES) {
    locate_offset(text, len, SH_YAML_MAX_BYTES, &line, &col);
    sh_error(d, name, line, col, "YAML file larger than %u bytes (bound SH_YAML_MAX_BYTES, docs/formats.md)",
             SH_YAML_MAX_BYTES);
    sh_ydoc_free(L.doc);
    return NULL;
  }
  const char *nul = memchr(text, '\0', len);
  if (nul) {
    locate_offset(text, len, (size_t)(nul - text), &line, &col);
    sh_error(d, name, line, col, "NUL byte in YAML file");
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

int sh_ydoc_read_file(const char *path, char **text, size_t *len, sh_diags *d) {
  *text = NULL;
  *len = 0;
  int fd = sh_open_input(path, 0); /* regular files only, never blocks on a FIFO (fileio.h) */
  if (fd < 0) {
    sh_error_io(d, path, 0, 0, "cannot read: %s", sh_fio_strerror(errno));
    return -1;
  }
  int rc = sh_ydoc_read_fd(path, fd, text, len, d);
  close(fd);
  return rc;
}

int sh_ydoc_read_fd(const char *path, int fd, char **text, size_t *len, sh_diags *d) {
  *text = NULL;
  *len = 0;
  int fd2 = dup(fd);
  FILE *f = fd2 < 0 ? NULL : fdopen(fd2, "rb");
  if (!f) {
    sh_error_io(d, path, 0, 0, "cannot read: %s", strerror(errno));
    if (fd2 >= 0) close(fd2);
    return -1;
  }
  struct stat st;
  if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
    sh_error_io(d, path, 0, 0, "cannot read: %s",
                S_ISDIR(st.st_mode) ? _("it is a folder") : _("not a regular file"));
    fclose(f);
    return -1;
  }
  /* Read at most one byte past the bound: enough to locate where the bound is crossed. */
  size_t cap = (size_t)st.st_size < SH_YAML_MAX_BYTES ? (size_t)st.st_size + 1 : SH_YAML_MAX_BYTES + 1;
  char *buf = sh_malloc(cap + 1);
  size_t n = 0, got;
  while (n < SH_YAML_MAX_BYTES + 1 && (got = fread(buf + n, 1, cap - n, f)) > 0) {
    n += got;
    if (n == cap && cap < SH_YAML_MAX_BYTES + 1) { /* the file grew since fstat */
      cap = cap * 2 < SH_YAML_MAX_BYTES + 1 ? cap * 2 : SH_YAML_MAX_BYTES + 1;
      buf = sh_realloc(buf, cap + 1);
    }
  }
  int err = ferror(f);
  fclose(f);
  if (err) {
    sh_error_io(d, path, 0, 0, "cannot read: %s", strerror(EIO));
    free(buf);
    return -1;
  }
  buf[n] = '\0';
  if (n > SH_YAML_MAX_BYTES) {
    int line, col;
    locate_offset(buf, n, SH_YAML_MAX_BYTES, &line, &col);
    sh_error(d, path, line, col, "YAML file larger than %u bytes (bound SH_YAML_MAX_BYTES, docs/formats.md)",
             SH_YAML_MAX_BYTES);
    free(buf);
    return -1;
  }
  *text = buf;
  *len = n;
  return 0;
}

sh_ydoc *sh_ydoc_load_file(const char *path, sh_diags *d) {
  char *text = NULL;
  size_t len = 0;
  if (sh_ydoc_read_file(path, &text, &len, d) != 0) return NULL;
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

/* What a value is, as a diagnostic names it: a description ("applicant name", marked N_ where it is written) in
 * the message language; a YAML key name ("applicant", "status": no space) as it is written in the file. */
static const char *what_text(const char *what) { return what && strchr(what, ' ') ? _(what) : what; }

static const char *kind_name(sh_ykind k) {
  return k == SH_Y_SCALAR ? N_("a scalar") : k == SH_Y_SEQ ? N_("a list") : N_("a mapping");
}

bool sh_y_expect(const sh_ydoc *doc, const sh_ynode *n, sh_ykind kind, const char *what, sh_diags *d) {
  if (n && n->kind == kind) return true;
  if (n) sh_error(d, doc->file, n->line, n->col, "%s must be %s, not %s", what_text(what), _(kind_name(kind)),
               _(kind_name(n->kind)));
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
      sh_error(d, doc->file, k->line, k->col, "unknown key '%s' in %s (expected one of: %s)", k->str, what_text(what),
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
  if (!v) sh_error(d, doc->file, map->line, map->col, "%s: missing required key '%s'", what_text(what), key);
  return v;
}

const char *sh_y_str(const sh_ydoc *doc, const sh_ynode *n, const char *what, sh_diags *d) {
  if (!sh_y_expect(doc, n, SH_Y_SCALAR, what, d)) return NULL;
  if (strlen(n->str) != n->len) {
    sh_error(d, doc->file, n->line, n->col, "%s contains a NUL character", what_text(what));
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
  sh_error(d, doc->file, n->line, n->col, "%s must be true or false, not '%s'", what_text(what), n->str);
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
  if (!ok) sh_error(d, doc->file, n->line, n->col, "%s must be an integer, not '%s'", what_text(what), s);
  return ok;
}

bool sh_y_date(const sh_ydoc *doc, const sh_ynode *n, sh_date *out, const char *what, sh_diags *d) {
  if (!sh_y_expect(doc, n, SH_Y_SCALAR, what, d)) return false;
  if (sh_date_parse(n->str, out)) return true;
  sh_error(d, doc->file, n->line, n->col, "%s must be a date YYYY-MM-DD, not '%s'", what_text(what), n->str);
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
    sh_error(d, doc->file, n->line, n->col, "%s must be text or a mapping {ja: ..., en: ...}", what_text(what));
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
