/* oscal_doc: OSCAL XML/JSON/YAML -> one positioned tree. See oscal_doc.h. */
#include "oscal_doc.h"

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
             err == json_tokener_continue ? "unexpected end of file" : json_tokener_error_desc(err));
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
  startElementNsSAX2Func start;
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

/* Records where each element's start tag ends (line << 24 | column) in its _private field. */
static void x_start(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *URI, int nb_namespaces,
                    const xmlChar **namespaces, int nb_attributes, int nb_defaulted, const xmlChar **attributes) {
  xmlParserCtxtPtr c = ctx;
  xerr *ec = c->_private;
  ec->start(ctx, localname, prefix, URI, nb_namespaces, namespaces, nb_attributes, nb_defaulted, attributes);
  if (c->node && c->input) {
    uintptr_t line = (uintptr_t)(c->input->line > 0 ? c->input->line : 0);
    uintptr_t col = (uintptr_t)(c->input->col > 0 ? c->input->col : 0);
    if (col > 0xFFFFFF) col = 0xFFFFFF;
    c->node->_private = (void *)((line << 24) | col);
  }
}

static int x_line(xmlNodePtr n) {
  uintptr_t v = (uintptr_t)n->_private;
  return v ? (int)(v >> 24) : (int)xmlGetLineNo(n);
}
static int x_col(xmlNodePtr n) { return (int)((uintptr_t)n->_private & 0xFFFFFF); }

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

/* SH_OSCAL_STATEMENTS: what the catalog importer never reads (docs/oscal.md §1). */
static bool skipped(xmlNodePtr parent, xmlNodePtr c) {
  const char *n = (const char *)c->name, *pn = (const char *)parent->name;
  if (!strcmp(n, "back-matter") || !strcmp(n, "link") || !strcmp(n, "guideline")) return true;
  if (!strcmp(n, "part") && !strcmp(pn, "control")) {
    xmlChar *name = xmlGetProp(c, (const xmlChar *)"name");
    bool skip = !name || strcmp((const char *)name, "statement") != 0;
    xmlFree(name);
    return skip;
  }
  return false;
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

static bool is_markup(xmlNodePtr c) {
  if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE || c->type == XML_ENTITY_REF_NODE) return true;
  if (c->type != XML_ELEMENT_NODE) return false;
  const char *n = (const char *)c->name;
  /* markup element names are 1 to 10 characters from a short list: a quick filter before the lists */
  if (!strchr("abceghiloqpstu", n[0]) || strlen(n) > 10) return false;
  if (!strcmp(n, "prop") || !strcmp(n, "part") || !strcmp(n, "param") || !strcmp(n, "link") || !strcmp(n, "title"))
    return false;
  return name_in(n, x_inline) || name_in(n, x_block);
}

static void x_attr(sh_buf *b, xmlNodePtr n, const char *name) {
  xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
  if (v) sh_buf_puts(b, (const char *)v);
  xmlFree(v);
}

/* OSCAL's XML markup as the Markdown of its JSON form. */
static void markdown(sh_buf *b, xmlNodePtr first) {
  for (xmlNodePtr c = first; c; c = c->next) {
    if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
      if (c->content) sh_buf_puts(b, (const char *)c->content);
      continue;
    }
    if (c->type != XML_ELEMENT_NODE) continue;
    const char *n = (const char *)c->name;
    if (!strcmp(n, "em") || !strcmp(n, "i")) {
      sh_buf_putc(b, '*');
      markdown(b, c->children);
      sh_buf_putc(b, '*');
    } else if (!strcmp(n, "strong") || !strcmp(n, "b")) {
      sh_buf_puts(b, "**");
      markdown(b, c->children);
      sh_buf_puts(b, "**");
    } else if (!strcmp(n, "q")) {
      sh_buf_putc(b, '"');
      markdown(b, c->children);
      sh_buf_putc(b, '"');
    } else if (!strcmp(n, "code")) {
      sh_buf_putc(b, '`');
      markdown(b, c->children);
      sh_buf_putc(b, '`');
    } else if (!strcmp(n, "sub") || !strcmp(n, "sup")) {
      const char *m = !strcmp(n, "sub") ? "~" : "^";
      sh_buf_puts(b, m);
      markdown(b, c->children);
      sh_buf_puts(b, m);
    } else if (!strcmp(n, "a")) {
      sh_buf_putc(b, '[');
      markdown(b, c->children);
      sh_buf_puts(b, "](");
      x_attr(b, c, "href");
      sh_buf_putc(b, ')');
    } else if (!strcmp(n, "insert")) {
      xmlChar *type = xmlGetProp(c, (const xmlChar *)"type");
      xmlChar *ref = xmlGetProp(c, (const xmlChar *)"id-ref");
      if (!ref) ref = xmlGetProp(c, (const xmlChar *)"param-id"); /* OSCAL 1.0.0-rc form */
      sh_buf_printf(b, "{{ insert: %s, %s }}", type ? (const char *)type : "param", ref ? (const char *)ref : "");
      xmlFree(type);
      xmlFree(ref);
    } else if (!strcmp(n, "img")) {
      sh_buf_puts(b, "![");
      x_attr(b, c, "alt");
      sh_buf_puts(b, "](");
      x_attr(b, c, "src");
      sh_buf_putc(b, ')');
    } else if (!strcmp(n, "li")) {
      sh_buf_puts(b, "\n- ");
      markdown(b, c->children);
      sh_buf_putc(b, '\n');
    } else if (name_in(n, x_block)) {
      markdown(b, c->children);
      sh_buf_puts(b, "\n\n");
    } else {
      markdown(b, c->children);
    }
  }
}

static sh_ynode *from_xml(sh_ydoc *doc, xmlNodePtr el, int depth, bool *too_deep, unsigned flags);

/* The pair of map for key, or NULL. */
static sh_ynode *map_find(sh_ynode *map, const char *key) {
  for (size_t i = 0; i < map->n; i++)
    if (strcmp(map->pairs[i].key->str, key) == 0) return map->pairs[i].val;
  return NULL;
}

static sh_ynode *from_xml(sh_ydoc *doc, xmlNodePtr el, int depth, bool *too_deep, unsigned flags) {
  int line = x_line(el), col = x_col(el);
  if (depth > SH_OSCAL_MAX_DEPTH) {
    *too_deep = true;
    return scalar_new(doc, "", 0, false, line, col);
  }
  bool has_struct = false, has_markup = false;
  for (xmlNodePtr c = el->children; c; c = c->next) {
    if (c->type == XML_ELEMENT_NODE && !is_markup(c)) has_struct = true;
    else if (is_markup(c)) {
      if (c->type == XML_TEXT_NODE) {
        for (const xmlChar *p = c->content; p && *p; p++)
          if (!isspace(*p)) {
            has_markup = true;
            break;
          }
      } else {
        has_markup = true;
      }
    }
  }
  if (!el->properties && !has_struct) {
    sh_buf b = {0};
    markdown(&b, el->children);
    sh_ynode *n = scalar_new(doc, sh_buf_str(&b), b.len, false, line, col);
    sh_buf_free(&b);
    return n;
  }
  sh_ynode *m = node_new(doc, SH_Y_MAP, line, col);
  for (xmlAttrPtr a = el->properties; a; a = a->next) {
    if (a->ns) continue; /* attributes of other namespaces (xsi:schemaLocation) are not OSCAL's */
    /* an attribute's value is one text node (no entities: DTDs are refused) */
    const char *vs = a->children && a->children->type == XML_TEXT_NODE && !a->children->next && a->children->content
                         ? (const char *)a->children->content : NULL;
    xmlChar *v = vs ? NULL : xmlNodeGetContent((xmlNodePtr)a);
    if (!vs) vs = v ? (const char *)v : "";
    map_put(m, scalar_new(doc, (const char *)a->name, strlen((const char *)a->name), false, line, col),
            scalar_new(doc, vs, strlen(vs), false, line, col));
    xmlFree(v);
  }
  for (xmlNodePtr c = el->children; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE || is_markup(c)) continue;
    if ((flags & SH_OSCAL_STATEMENTS) && skipped(el, c)) continue;
    const char *name = (const char *)c->name;
    sh_ynode *child = from_xml(doc, c, depth + 1, too_deep, flags);
    const char *pl = plural_of(name);
    if (pl) {
      sh_ynode *seq = map_find(m, pl);
      if (!seq || seq->kind != SH_Y_SEQ) {
        seq = node_new(doc, SH_Y_SEQ, child->line, child->col);
        map_put(m, scalar_new(doc, pl, strlen(pl), false, child->line, child->col), seq);
      }
      seq_push(seq, child);
    } else {
      map_put(m, scalar_new(doc, name, strlen(name), false, child->line, child->col), child);
    }
  }
  if (has_markup) {
    sh_buf b = {0};
    for (xmlNodePtr c = el->children; c; c = c->next) {
      if (!is_markup(c)) continue;
      xmlNodePtr next = c->next;
      c->next = NULL; /* one node at a time */
      markdown(&b, c);
      c->next = next;
    }
    const char *key = !strcmp((const char *)el->name, "part") || !strcmp((const char *)el->name, "guideline")
                          ? "prose" : "value";
    map_put(m, scalar_new(doc, key, strlen(key), false, line, col), scalar_new(doc, sh_buf_str(&b), b.len, false, line, col));
    sh_buf_free(&b);
  }
  return m;
}

static sh_ydoc *load_xml(const char *name, const char *text, size_t len, unsigned flags, sh_diags *d) {
  if (len > (size_t)INT32_MAX) {
    sh_error(d, name, 0, 0, "file too large");
    return NULL;
  }
  sh_xml_init();
  xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
  if (!ctxt) {
    sh_error(d, name, 0, 0, "out of memory");
    return NULL;
  }
  xerr ec = {d, name, 0, false, ctxt->sax->startElementNs};
  ctxt->_private = &ec;
  ctxt->sax->internalSubset = x_refuse;
  ctxt->sax->externalSubset = x_refuse;
  ctxt->sax->entityDecl = x_refuse_entity;
  ctxt->sax->startElementNs = x_start;
  xmlSetStructuredErrorFunc(&ec, x_error);
  /* No XML_PARSE_NOENT (no entity substitution), no DTD loading or validation, no XInclude, no HUGE. */
  int opts = XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_NOWARNING | XML_PARSE_BIG_LINES;
  xmlDocPtr xd = xmlCtxtReadMemory(ctxt, text, (int)len, name, NULL, opts);
  bool ok = xd && ctxt->wellFormed && !ec.refused;
  xmlSetStructuredErrorFunc(NULL, NULL);
  xmlFreeParserCtxt(ctxt);
  if (!ok) {
    if (xd) xmlFreeDoc(xd);
    if (ec.n == 0) sh_error(d, name, 1, 1, "malformed XML");
    return NULL;
  }
  xmlNodePtr root = xmlDocGetRootElement(xd);
  if (!root || xd->intSubset || xd->extSubset) {
    sh_error(d, name, 1, 1, root ? "DOCTYPE refused" : "no root element");
    xmlFreeDoc(xd);
    return NULL;
  }
  sh_ydoc *doc = doc_new(name);
  bool too_deep = false;
  doc->root = node_new(doc, SH_Y_MAP, x_line(root), x_col(root));
  const char *rn = (const char *)root->name;
  map_put(doc->root, scalar_new(doc, rn, strlen(rn), false, x_line(root), x_col(root)), from_xml(doc, root, 1, &too_deep, flags));
  xmlFreeDoc(xd);
  if (too_deep) {
    sh_error(d, name, 0, 0, "elements nested deeper than %d: refused", SH_OSCAL_MAX_DEPTH);
    sh_ydoc_free(doc);
    return NULL;
  }
  return doc;
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
