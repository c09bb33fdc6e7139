/* oscal_doc: OSCAL XML/JSON/YAML -> one positioned tree. See oscal_doc.h. */
#include "oscal_doc.h"

#include "i18n.h"

#include "cda.h" /* sh_xml_init: process-wide libxml2 settings (no network entity loader) */

#include <ctype.h>
#include <errno.h>
#include <json-c/json.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <libxml/tree.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *sh_oscal_format_name(sh_oscal_format f) {
  return f == SH_OSCAL_XML ? "XML" : f == SH_OSCAL_JSON ? "JSON" : "YAML";
}

const char *sh_oscal_str(const sh_ynode *map, const char *key) {
  const sh_ynode *v = sh_ymap_get(map, key);
  return v && v->kind == SH_Y_SCALAR ? v->str : NULL;
}

char *sh_oscal_squash(char *s) {
  if (!s) return s;
  char *w = s;
  bool space = false;
  for (const char *r = s; *r; r++) {
    if (*r == ' ' || *r == '\t' || *r == '\n' || *r == '\r') {
      space = true;
      continue;
    }
    if (space && w != s) *w++ = ' ';
    space = false;
    *w++ = *r;
  }
  *w = '\0';
  return s;
}

/* ---------- tree building ---------- */

static sh_ynode *node_new(sh_ydoc *doc, sh_ykind kind, int line, int col) {
  sh_ynode *n = sh_calloc(1, sizeof *n);
  n->kind = kind;
  n->line = line;
  n->col = col;
  sh_vec_push(&doc->nodes, n);
  return n;
}

static sh_ynode *scalar_new(sh_ydoc *doc, const char *s, size_t len, bool plain, int line, int col) {
  sh_ynode *n = node_new(doc, SH_Y_SCALAR, line, col);
  n->str = sh_strndup(s, len);
  n->len = len;
  n->plain = plain;
  n->style = plain ? 'p' : '"';
  return n;
}

/* Arrays grow to the next power of two (the capacity is implied by n). */
static bool full(size_t n) { return n == 0 || (n >= 4 && (n & (n - 1)) == 0); }
static size_t grown(size_t n) { return n == 0 ? 4 : n * 2; }

static void seq_push(sh_ynode *seq, sh_ynode *item) {
  if (full(seq->n)) seq->items = sh_realloc(seq->items, grown(seq->n) * sizeof *seq->items);
  seq->items[seq->n++] = item;
}

static void map_put(sh_ynode *map, sh_ynode *key, sh_ynode *val) {
  if (full(map->n)) map->pairs = sh_realloc(map->pairs, grown(map->n) * sizeof *map->pairs);
  map->pairs[map->n++] = (sh_ypair){key, val};
}

static sh_ydoc *doc_new(const char *name) {
  sh_ydoc *doc = sh_calloc(1, sizeof *doc);
  doc->file = sh_strdup(name);
  return doc;
}

/* Line and column (1-based, columns in characters) of byte offset off. */
static void offset_pos(const char *t, size_t len, size_t off, int *line, int *col) {
  int l = 1, c = 1;
  for (size_t i = 0; i < off && i < len; i++) {
    if (t[i] == '\n') l++, c = 1;
    else if (((unsigned char)t[i] & 0xC0) != 0x80) c++;
  }
  *line = l;
  *col = c;
}

/* ---------- JSON (json-c) ---------- */

static sh_ynode *from_json(sh_ydoc *doc, struct json_object *o) {
  switch (json_object_get_type(o)) {
  case json_type_object: {
    sh_ynode *m = node_new(doc, SH_Y_MAP, 0, 0);
    json_object_object_foreach(o, k, v) {
      sh_ynode *key = scalar_new(doc, k, strlen(k), false, 0, 0);
      map_put(m, key, from_json(doc, v));
    }
    return m;
  }
  case json_type_array: {
    sh_ynode *s = node_new(doc, SH_Y_SEQ, 0, 0);
    size_t n = json_object_array_length(o);
    for (size_t i = 0; i < n; i++) seq_push(s, from_json(doc, json_object_array_get_idx(o, i)));
    return s;
  }
  case json_type_string:
    return scalar_new(doc, json_object_get_string(o), (size_t)json_object_get_string_len(o), false, 0, 0);
  case json_type_null:
    return scalar_new(doc, "null", 4, true, 0, 0);
  default: {
    const char *s = json_object_get_string(o);
    return scalar_new(doc, s, strlen(s), true, 0, 0);
  }
  }
}

/* A scan of text json-c accepted, giving each node of the tree (same document order) its position.
 * json-c keeps the first position of a repeated key: the scan notices the repetition and reports it. */
typedef struct {
  const char *t;
  size_t len, i;
  int line, col;
  const char *file;
  sh_diags *d;
  bool failed;
} jscan;

static void js_adv(jscan *s) {
  if (s->i >= s->len) return;
  char c = s->t[s->i++];
  if (c == '\n') s->line++, s->col = 1;
  else if (((unsigned char)c & 0xC0) != 0x80) s->col++;
}

static void js_ws(jscan *s) {
  while (s->i < s->len && (s->t[s->i] == ' ' || s->t[s->i] == '\t' || s->t[s->i] == '\n' || s->t[s->i] == '\r'))
    js_adv(s);
}

static void js_string(jscan *s) {
  js_adv(s); /* opening quote */
  while (s->i < s->len) {
    char c = s->t[s->i];
    if (c == '\\') {
      js_adv(s);
      js_adv(s);
    } else {
      js_adv(s);
      if (c == '"') return;
    }
  }
}

static void js_value(jscan *s, sh_ynode *n) {
  js_ws(s);
  if (s->failed || s->i >= s->len) return;
  n->line = s->line;
  n->col = s->col;
  char c = s->t[s->i];
  if (c == '{' || c == '[') {
    bool obj = c == '{';
    char close = obj ? '}' : ']';
    js_adv(s);
    js_ws(s);
    if (s->i < s->len && s->t[s->i] == close) {
      js_adv(s);
      return;
    }
    for (size_t k = 0; s->i < s->len && !s->failed; k++) {
      js_ws(s);
      if (obj) {
        int kl = s->line, kc = s->col;
        size_t start = s->i + 1;
        js_string(s);
        size_t end = s->i - 1;
        const char *raw = s->t + start;
        size_t rl = end > start ? end - start : 0;
        bool escaped = memchr(raw, '\\', rl) != NULL;
        if (k >= n->n || (!escaped && (n->pairs[k].key->len != rl || memcmp(n->pairs[k].key->str, raw, rl) != 0))) {
          sh_error(s->d, s->file, kl, kc, "duplicate key '%.*s' in a JSON object", (int)(rl > 80 ? 80 : rl), raw);
          s->failed = true;
          return;
        }
        n->pairs[k].key->line = kl;
        n->pairs[k].key->col = kc;
        js_ws(s);
        js_adv(s); /* ':' */
        js_value(s, n->pairs[k].val);
      } else {
        if (k >= n->n) {
          s->failed = true;
          return;
        }
        js_value(s, n->items[k]);
      }
      js_ws(s);
      if (s->i < s->len && s->t[s->i] == ',') {
        js_adv(s);
        continue;
      }
      js_adv(s); /* close */
      return;
    }
    return;
  }
  if (c == '"') {
    js_string(s);
    return;
  }
  while (s->i < s->len && !strchr(",]} \t\r\n", s->t[s->i])) js_adv(s);
}

static sh_ydoc *load_json(const char *name, const char *text, size_t len, sh_diags *d) {
  if (len > (size_t)INT32_MAX) {
    sh_error(d, name, 0, 0, "file too large");
    return NULL;
  }
  struct json_tokener *tok = json_tokener_new_ex(SH_OSCAL_MAX_DEPTH);
  if (!tok) {
    sh_error(d, name, 0, 0, "out of memory");
    return NULL;
  }
  json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
  struct json_object *root = json_tokener_parse_ex(tok, text, (int)len);
  enum json_tokener_error err = json_tokener_get_error(tok);
  size_t end = json_tokener_get_parse_end(tok);
  if (!root || err != json_tokener_success) {
    int line, col;
    if (err == json_tokener_continue) end = len;
    offset_pos(text, len, end, &line, &col);
    sh_error(d, name, line, col, "malformed JSON: %s",
             err == json_tokener_continue ? _("unexpected end of file") : json_tokener_error_desc(err));
    json_object_put(root);
    json_tokener_free(tok);
    return NULL;
  }
  json_tokener_free(tok);
  /* Nothing but white space may follow the value. */
  for (size_t i = end; i < len; i++)
    if (!(text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r')) {
      int line, col;
      offset_pos(text, len, i, &line, &col);
      sh_error(d, name, line, col, "malformed JSON: text after the end of the document");
      json_object_put(root);
      return NULL;
    }
  sh_ydoc *doc = doc_new(name);
  doc->root = from_json(doc, root);
  json_object_put(root);
  jscan s = {text, len, 0, 1, 1, name, d, false};
  js_value(&s, doc->root);
  if (s.failed) {
    sh_ydoc_free(doc);
    return NULL;
  }
  return doc;
}

/* ---------- XML (libxml2) ---------- */

typedef struct {
  sh_diags *d;
  const char *file;
  size_t n;
  bool refused;
} xerr;

static void x_error(void *ud, xmlErrorPtr e) {
  xerr *ec = ud;
  if (!e || e->level == XML_ERR_NONE || e->level == XML_ERR_WARNING) return;
  if (ec->n++ >= 20) return;
  char *msg = sh_strdup(e->message ? e->message : "XML error");
  size_t l = strlen(msg);
  while (l && (msg[l - 1] == '\n' || msg[l - 1] == ' ')) msg[--l] = '\0';
  sh_error(ec->d, ec->file, e->line > 0 ? e->line : 0, e->int2 > 0 ? e->int2 : 0, "malformed XML: %s", msg);
  free(msg);
}

static void x_refuse(void *ctx, const xmlChar *name, const xmlChar *ext, const xmlChar *sys) {
  (void)name, (void)ext, (void)sys;
  xmlParserCtxtPtr c = ctx;
  xerr *ec = c->_private;
  if (!ec->refused) {
    ec->refused = true;
    ec->n++;
    sh_error(ec->d, ec->file, xmlSAX2GetLineNumber(ctx), xmlSAX2GetColumnNumber(ctx),
             "DOCTYPE refused: OSCAL documents carry no DTD (DTDs and entities are where XXE and entity "
             "expansion attacks live)");
  }
  xmlStopParser(c);
}

static void x_refuse_entity(void *ctx, const xmlChar *name, int type, const xmlChar *pub, const xmlChar *sys,
                            xmlChar *content) {
  (void)name, (void)type, (void)pub, (void)sys, (void)content;
  x_refuse(ctx, NULL, NULL, NULL);
}

/* The tree is built from libxml2's SAX2 events (no DOM): one frame per open structural element, the markup
 * inside it (p, em, insert, ...) written straight into its text as Markdown. */
static const char *const x_plural[][2] = {
    {"prop", "props"},         {"link", "links"},
    {"param", "params"},       {"part", "parts"},
    {"control", "controls"},   {"group", "groups"},
    {"choice", "choice"},      {"value", "values"},
    {"guideline", "guidelines"}, {"mapping", "mappings"},
    {"map", "maps"},           {"source", "sources"},
    {"target", "targets"},     {"party", "parties"},
    {"role", "roles"},         {"responsible-party", "responsible-parties"},
    {"party-uuid", "party-uuids"}, {"resource", "resources"},
    {"location", "locations"}, {"email-address", "email-addresses"},
    {"telephone-number", "telephone-numbers"}, {"addr-line", "addr-lines"},
    {"document-id", "document-ids"}, {"rlink", "rlinks"},
    {"hash", "hashes"},        {"constraint", "constraints"},
    {"test", "tests"},         {"revision", "revisions"},
    {"external-id", "external-ids"}, {"location-uuid", "location-uuids"},
    {"member-of-organization", "member-of-organizations"}, {"action", "actions"},
    {"citation", "citation"},  {"matching-rationale", "matching-rationale"},
};

static const char *plural_of(const char *el) {
  /* the frequent ones first */
  if (!strcmp(el, "prop")) return "props";
  if (!strcmp(el, "part")) return "parts";
  for (size_t i = 0; i < sizeof x_plural / sizeof x_plural[0]; i++)
    if (strcmp(x_plural[i][0], el) == 0) return x_plural[i][1];
  return NULL;
}

static bool name_in(const char *s, const char *const *list) {
  for (; *list; list++)
    if (strcmp(s, *list) == 0) return true;
  return false;
}

static const char *const x_inline[] = {"em", "strong", "b", "i", "q", "code", "a", "insert", "sub", "sup", "img",
                                       "br", "span", NULL};
static const char *const x_block[] = {"p", "ul", "ol", "li", "table", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5",
                                      "h6", "pre", "blockquote", NULL};

static bool is_markup_name(const char *n) {
  /* markup element names start with one of these letters and are at most 10 characters */
  if (!strchr("abceghiloqpstu", n[0]) || strlen(n) > 10) return false;
  return name_in(n, x_inline) || name_in(n, x_block);
}

typedef struct {
  const char *name; /* from the parser's dictionary: valid while the parser lives */
  sh_ynode *map;    /* NULL until the element turns out to be an assembly (attributes or child elements) */
  sh_buf text;      /* its text and markup, as Markdown */
  bool has_text;    /* non-white text or markup seen */
  bool has_struct;
  int line, col;
} xframe;

typedef struct {
  xerr ec;
  sh_ydoc *doc;
  unsigned flags;
  xframe *frames;
  size_t nframes, capf;
  char **marks; /* open markup elements of the top frame: what each appends when it closes (may be NULL) */
  size_t nmarks, capm;
  size_t skip;  /* > 0: inside a left-out subtree (its depth) */
  bool too_deep;
} xsax;

static sh_ynode *map_find(sh_ynode *map, const char *key) {
  for (size_t i = 0; i < map->n; i++)
    if (strcmp(map->pairs[i].key->str, key) == 0) return map->pairs[i].val;
  return NULL;
}

/* An attribute value (libxml2 keeps predefined entities as &#38; when it does not replace entities). */
static char *attr_value(const xmlChar *v, const xmlChar *end) {
  size_t n = (size_t)(end - v);
  if (!memchr(v, '&', n)) return sh_strndup((const char *)v, n);
  sh_buf b = {0};
  for (const xmlChar *p = v; p < end; p++) {
    if (*p != '&') {
      sh_buf_putc(&b, (char)*p);
      continue;
    }
    const xmlChar *semi = memchr(p, ';', (size_t)(end - p));
    if (!semi) {
      sh_buf_putc(&b, '&');
      continue;
    }
    size_t k = (size_t)(semi - p - 1);
    const char *e = (const char *)p + 1;
    unsigned long cp = 0;
    bool ok = true;
    if (k >= 2 && e[0] == '#') {
      char *stop;
      cp = e[1] == 'x' ? strtoul(e + 2, &stop, 16) : strtoul(e + 1, &stop, 10);
      ok = stop == (const char *)semi && cp > 0 && cp < 0x110000;
    } else if (k == 3 && !memcmp(e, "amp", 3)) cp = '&';
    else if (k == 2 && !memcmp(e, "lt", 2)) cp = '<';
    else if (k == 2 && !memcmp(e, "gt", 2)) cp = '>';
    else if (k == 4 && !memcmp(e, "quot", 4)) cp = '"';
    else if (k == 4 && !memcmp(e, "apos", 4)) cp = '\'';
    else ok = false;
    if (!ok) {
      sh_buf_putc(&b, '&');
      continue;
    }
    unsigned char u[4];
    int len = xmlCopyCharMultiByte(u, (int)cp);
    sh_buf_put(&b, (const char *)u, len > 0 ? (size_t)len : 0);
    p = semi;
  }
  return sh_buf_steal(&b);
}

static char *attr_of(int nb, const xmlChar **attrs, const char *name) {
  for (int i = 0; i < nb; i++)
    if (!attrs[i * 5 + 2] && strcmp((const char *)attrs[i * 5], name) == 0)
      return attr_value(attrs[i * 5 + 3], attrs[i * 5 + 4]);
  return NULL;
}

static void push_mark(xsax *S, char *close) {
  if (S->nmarks == S->capm) {
    S->capm = S->capm ? S->capm * 2 : 16;
    S->marks = sh_realloc(S->marks, S->capm * sizeof *S->marks);
  }
  S->marks[S->nmarks++] = close;
}

/* A markup element opens inside the top frame. */
static void mark_start(xsax *S, const char *n, int nb, const xmlChar **attrs) {
  xframe *f = &S->frames[S->nframes - 1];
  sh_buf *b = &f->text;
  f->has_text = true;
  char *close = NULL;
  if (!strcmp(n, "em") || !strcmp(n, "i")) sh_buf_putc(b, '*'), close = sh_strdup("*");
  else if (!strcmp(n, "strong") || !strcmp(n, "b")) sh_buf_puts(b, "**"), close = sh_strdup("**");
  else if (!strcmp(n, "q")) sh_buf_putc(b, '"'), close = sh_strdup("\"");
  else if (!strcmp(n, "code")) sh_buf_putc(b, '`'), close = sh_strdup("`");
  else if (!strcmp(n, "sub")) sh_buf_putc(b, '~'), close = sh_strdup("~");
  else if (!strcmp(n, "sup")) sh_buf_putc(b, '^'), close = sh_strdup("^");
  else if (!strcmp(n, "a")) {
    char *href = attr_of(nb, attrs, "href");
    sh_buf_putc(b, '[');
    close = sh_printf("](%s)", href ? href : "");
    free(href);
  } else if (!strcmp(n, "insert")) {
    char *type = attr_of(nb, attrs, "type"), *ref = attr_of(nb, attrs, "id-ref");
    if (!ref) ref = attr_of(nb, attrs, "param-id"); /* OSCAL 1.0.0-rc form */
    sh_buf_printf(b, "{{ insert: %s, %s }}", type ? type : "param", ref ? ref : "");
    free(type);
    free(ref);
  } else if (!strcmp(n, "img")) {
    char *alt = attr_of(nb, attrs, "alt"), *src = attr_of(nb, attrs, "src");
    sh_buf_printf(b, "![%s](%s)", alt ? alt : "", src ? src : "");
    free(alt);
    free(src);
  } else if (!strcmp(n, "li")) sh_buf_puts(b, "\n- "), close = sh_strdup("\n");
  else if (name_in(n, x_block)) close = sh_strdup("\n\n");
  push_mark(S, close);
}

/* SH_OSCAL_STATEMENTS: what the catalog importer never reads (docs/oscal.md §1). */
static bool left_out(const char *parent, const char *n, int nb, const xmlChar **attrs) {
  if (!strcmp(n, "back-matter") || !strcmp(n, "link") || !strcmp(n, "guideline")) return true;
  if (!strcmp(n, "part") && !strcmp(parent, "control")) {
    char *name = attr_of(nb, attrs, "name");
    bool skip = !name || strcmp(name, "statement") != 0;
    free(name);
    return skip;
  }
  return false;
}

static void x_start(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *URI, int nb_namespaces,
                    const xmlChar **namespaces, int nb_attributes, int nb_defaulted, const xmlChar **attributes) {
  (void)prefix, (void)URI, (void)nb_namespaces, (void)namespaces, (void)nb_defaulted;
  xmlParserCtxtPtr c = ctx;
  xsax *S = c->_private;
  const char *n = (const char *)localname;
  if (S->skip) {
    S->skip++;
    return;
  }
  if (S->nframes && (S->nmarks || is_markup_name(n))) {
    mark_start(S, n, nb_attributes, attributes);
    return;
  }
  if ((S->flags & SH_OSCAL_STATEMENTS) && S->nframes &&
      left_out(S->frames[S->nframes - 1].name, n, nb_attributes, attributes)) {
    S->skip = 1;
    return;
  }
  if (S->nframes >= SH_OSCAL_MAX_DEPTH) {
    S->too_deep = true;
    S->skip = 1;
    return;
  }
  if (S->nframes == S->capf) {
    S->capf = S->capf ? S->capf * 2 : 32;
    S->frames = sh_realloc(S->frames, S->capf * sizeof *S->frames);
  }
  if (S->nframes) S->frames[S->nframes - 1].has_struct = true;
  xframe *f = &S->frames[S->nframes++];
  memset(f, 0, sizeof *f);
  f->name = n;
  f->line = c->input ? c->input->line : 0;
  f->col = c->input ? c->input->col : 0;
  for (int i = 0; i < nb_attributes; i++) {
    if (attributes[i * 5 + 2]) continue; /* attributes of other namespaces (xsi:schemaLocation) are not OSCAL's */
    if (!f->map) f->map = node_new(S->doc, SH_Y_MAP, f->line, f->col);
    const char *an = (const char *)attributes[i * 5];
    char *v = attr_value(attributes[i * 5 + 3], attributes[i * 5 + 4]);
    sh_ynode *val = node_new(S->doc, SH_Y_SCALAR, f->line, f->col);
    val->str = v;
    val->len = strlen(v);
    val->style = '"';
    map_put(f->map, scalar_new(S->doc, an, strlen(an), false, f->line, f->col), val);
  }
}

static void x_chars(void *ctx, const xmlChar *ch, int len) {
  xmlParserCtxtPtr c = ctx;
  xsax *S = c->_private;
  if (S->skip || !S->nframes || len <= 0) return;
  xframe *f = &S->frames[S->nframes - 1];
  sh_buf_put(&f->text, (const char *)ch, (size_t)len);
  if (!f->has_text)
    for (int i = 0; i < len; i++)
      if (!isspace(ch[i])) {
        f->has_text = true;
        break;
      }
}

static void x_end(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *URI) {
  (void)localname, (void)prefix, (void)URI;
  xmlParserCtxtPtr c = ctx;
  xsax *S = c->_private;
  if (S->skip) {
    S->skip--;
    return;
  }
  if (!S->nframes) return;
  if (S->nmarks) {
    char *close = S->marks[--S->nmarks];
    if (close) sh_buf_puts(&S->frames[S->nframes - 1].text, close);
    free(close);
    return;
  }
  xframe *f = &S->frames[--S->nframes];
  sh_ydoc *doc = S->doc;
  sh_ynode *node;
  if (!f->map && !f->has_struct) {
    node = node_new(doc, SH_Y_SCALAR, f->line, f->col);
    node->len = f->text.len;
    node->str = f->text.data ? sh_buf_steal(&f->text) : sh_strdup("");
    node->style = '"';
  } else {
    if (!f->map) f->map = node_new(doc, SH_Y_MAP, f->line, f->col);
    if (f->has_text) {
      const char *key = !strcmp(f->name, "part") || !strcmp(f->name, "guideline") ? "prose" : "value";
      map_put(f->map, scalar_new(doc, key, strlen(key), false, f->line, f->col),
              scalar_new(doc, sh_buf_str(&f->text), f->text.len, false, f->line, f->col));
    }
    node = f->map;
  }
  sh_buf_free(&f->text);
  if (!S->nframes) {
    doc->root = node_new(doc, SH_Y_MAP, f->line, f->col);
    map_put(doc->root, scalar_new(doc, f->name, strlen(f->name), false, f->line, f->col), node);
    return;
  }
  xframe *p = &S->frames[S->nframes - 1];
  if (!p->map) p->map = node_new(doc, SH_Y_MAP, p->line, p->col);
  const char *pl = plural_of(f->name);
  if (pl) {
    sh_ynode *seq = map_find(p->map, pl);
    if (!seq || seq->kind != SH_Y_SEQ) {
      seq = node_new(doc, SH_Y_SEQ, f->line, f->col);
      map_put(p->map, scalar_new(doc, pl, strlen(pl), false, f->line, f->col), seq);
    }
    seq_push(seq, node);
  } else {
    map_put(p->map, scalar_new(doc, f->name, strlen(f->name), false, f->line, f->col), node);
  }
}

static sh_ydoc *load_xml(const char *name, const char *text, size_t len, unsigned flags, sh_diags *d) {
  if (len > (size_t)INT32_MAX) {
    sh_error(d, name, 0, 0, "file too large");
    return NULL;
  }
  sh_xml_init();
  xmlParserCtxtPtr ctxt = xmlCreateMemoryParserCtxt(text, (int)len);
  if (!ctxt) {
    if (len) sh_error(d, name, 1, 1, "out of memory");
    else sh_error(d, name, 1, 1, "malformed XML: empty file");
    return NULL;
  }
  xsax S = {.ec = {d, name, 0, false}, .flags = flags};
  S.doc = doc_new(name);
  /* No XML_PARSE_NOENT (no entity substitution), no DTD loading or validation, no XInclude, no HUGE. */
  xmlCtxtUseOptions(ctxt, XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_NOWARNING | XML_PARSE_BIG_LINES);
  xmlSAXHandler *sax = ctxt->sax;
  memset(sax, 0, sizeof *sax);
  sax->initialized = XML_SAX2_MAGIC;
  sax->startElementNs = x_start;
  sax->endElementNs = x_end;
  sax->characters = x_chars;
  sax->internalSubset = x_refuse;
  sax->externalSubset = x_refuse;
  sax->entityDecl = x_refuse_entity;
  ctxt->_private = &S;
  xmlSetStructuredErrorFunc(&S.ec, x_error);
  xmlParseDocument(ctxt);
  bool ok = ctxt->wellFormed && !S.ec.refused && !S.too_deep && S.doc->root;
  xmlSetStructuredErrorFunc(NULL, NULL);
  if (ctxt->myDoc) xmlFreeDoc(ctxt->myDoc);
  xmlFreeParserCtxt(ctxt);
  for (size_t i = 0; i < S.nframes; i++) sh_buf_free(&S.frames[i].text);
  for (size_t i = 0; i < S.nmarks; i++) free(S.marks[i]);
  free(S.frames);
  free(S.marks);
  if (!ok) {
    if (S.too_deep) sh_error(d, name, 0, 0, "elements nested deeper than %d: refused", SH_OSCAL_MAX_DEPTH);
    else if (S.ec.n == 0) sh_error(d, name, 1, 1, "malformed XML");
    sh_ydoc_free(S.doc);
    return NULL;
  }
  return S.doc;
}

/* ---------- entry points ---------- */

sh_ydoc *sh_oscal_load_string(const char *name, const char *text, size_t len, sh_oscal_format fmt, unsigned flags,
                              sh_diags *d) {
  switch (fmt) {
  case SH_OSCAL_XML: return load_xml(name, text, len, flags, d);
  case SH_OSCAL_JSON: return load_json(name, text, len, d);
  case SH_OSCAL_YAML: break;
  }
  return sh_ydoc_load_string(name, text, len, d);
}

static bool ends_with(const char *s, const char *suf) {
  size_t a = strlen(s), b = strlen(suf);
  return a >= b && strcasecmp(s + a - b, suf) == 0;
}

sh_ydoc *sh_oscal_load(const char *path, sh_oscal_format *fmt_out, unsigned flags, sh_diags *d) {
  char *text = NULL;
  size_t len = 0;
  if (sh_read_file(path, SH_OSCAL_MAX_BYTES, &text, &len) != 0) {
    sh_error_io(d, path, 0, 0, "cannot read: %s", errno == EFBIG ? "file too large (limit 64 MiB)" : sh_fio_strerror(errno));
    return NULL;
  }
  sh_oscal_format fmt;
  if (ends_with(path, ".xml")) fmt = SH_OSCAL_XML;
  else if (ends_with(path, ".json")) fmt = SH_OSCAL_JSON;
  else if (ends_with(path, ".yaml") || ends_with(path, ".yml")) fmt = SH_OSCAL_YAML;
  else {
    size_t i = 0;
    if (len >= 3 && (unsigned char)text[0] == 0xEF && (unsigned char)text[1] == 0xBB && (unsigned char)text[2] == 0xBF)
      i = 3;
    while (i < len && isspace((unsigned char)text[i])) i++;
    fmt = i < len && text[i] == '<' ? SH_OSCAL_XML : i < len && text[i] == '{' ? SH_OSCAL_JSON : SH_OSCAL_YAML;
  }
  if (fmt_out) *fmt_out = fmt;
  if (fmt == SH_OSCAL_YAML && len > SH_YAML_MAX_BYTES) {
    sh_error(d, path, 0, 0, "YAML file too large (limit %u bytes)", SH_YAML_MAX_BYTES);
    free(text);
    return NULL;
  }
  if (fmt != SH_OSCAL_XML && memchr(text, '\0', len)) {
    int line, col;
    offset_pos(text, len, (size_t)((const char *)memchr(text, '\0', len) - text), &line, &col);
    sh_error(d, path, line, col, "NUL byte in a %s file", sh_oscal_format_name(fmt));
    free(text);
    return NULL;
  }
  sh_ydoc *doc = sh_oscal_load_string(path, text, len, fmt, flags, d);
  free(text);
  return doc;
}
