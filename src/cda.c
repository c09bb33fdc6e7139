/* cda: HL7 CDA checkup documents: safe parsing, schema validation, item codes. See cda.h. */
#include "cda.h"

#include "i18n.h"
#include "json.h"

#include <dirent.h>
#include <errno.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <libxml/uri.h>
#include <libxml/xmlschemas.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

struct sh_cda_schema {
  xmlSchemaPtr schema;
  char *file;
};

/* ---------- process-wide libxml2 settings ---------- */

/* Only local files are loaded (schema includes); any URL with a scheme other than file: is refused. A local
 * file is opened by shinsa (sh_read_file: regular files only, bounded), never by libxml2, so a FIFO or device
 * named by a schema include cannot block or be read. */
static xmlParserInputPtr safe_loader(const char *url, const char *id, xmlParserCtxtPtr ctxt) {
  (void)id;
  if (!url) return NULL;
  if (strstr(url, "://") && !sh_str_startswith(url, "file://")) return NULL;
  const char *path = sh_str_startswith(url, "file://") ? url + 7 : url;
  char *text = NULL;
  size_t len = 0;
  if (sh_read_file(path, SH_XML_MAX_BYTES, &text, &len) != 0) {
    char *un = strchr(path, '%') ? xmlURIUnescapeString(path, 0, NULL) : NULL;
    int rc = un ? sh_read_file(un, SH_XML_MAX_BYTES, &text, &len) : -1;
    xmlFree(un);
    if (rc != 0) return NULL;
  }
  xmlParserInputBufferPtr buf = xmlParserInputBufferCreateMem(text, (int)len, XML_CHAR_ENCODING_NONE);
  free(text);
  if (!buf) return NULL;
  xmlParserInputPtr in = xmlNewIOInputStream(ctxt, buf, XML_CHAR_ENCODING_NONE);
  if (!in) {
    xmlFreeParserInputBuffer(buf);
    return NULL;
  }
  in->filename = (char *)xmlCanonicPath((const xmlChar *)url);
  return in;
}

void sh_xml_init(void) {
  static bool done;
  if (done) return;
  done = true;
  xmlInitParser();
  xmlSetExternalEntityLoader(safe_loader);
}

/* ---------- error collection ---------- */

typedef struct {
  sh_diags *d;
  const char *file;
  size_t n;
  bool stopped_dtd;
  sh_diag_class cls; /* class of the errors collected: data while parsing, finding while validating */
} errctx;

static void trim_newline(char *s) {
  size_t n = strlen(s);
  while (n && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' ')) s[--n] = '\0';
}

static void structured_error(void *ud, xmlErrorPtr e) {
  errctx *ec = ud;
  if (!e || e->level == XML_ERR_NONE || e->level == XML_ERR_WARNING) return;
  if (ec->n >= 200) {
    if (ec->n++ == 200)
      sh_diag_addc(ec->d, ec->cls, SH_SEV_ERROR, ec->file, 0, 0, "more than 200 errors; the rest are not shown");
    return;
  }
  ec->n++;
  char *msg = sh_strdup(e->message ? e->message : "XML error");
  trim_newline(msg);
  sh_diag_addc(ec->d, ec->cls, SH_SEV_ERROR, ec->file, e->line > 0 ? e->line : 0, 0, "%s", msg);
  free(msg);
}

/* ---------- safe parsing ---------- */

/* SAX hooks: a DOCTYPE (internal or external subset) or an entity declaration stops the parser. */
static void refuse_subset(void *ctx, const xmlChar *name, const xmlChar *ext, const xmlChar *sys) {
  (void)name, (void)ext, (void)sys;
  xmlParserCtxtPtr c = ctx;
  errctx *ec = c->_private;
  if (ec && !ec->stopped_dtd) {
    ec->stopped_dtd = true;
    ec->n++;
    sh_error(ec->d, ec->file, xmlSAX2GetLineNumber(ctx), 0,
             "DOCTYPE refused: CDA documents carry no DTD, and DTDs/entities are where XXE and entity-expansion "
             "attacks live");
  }
  xmlStopParser(c);
}

/* ---------- schema ---------- */

sh_cda_schema *sh_cda_schema_load(const char *xsd_path, sh_diags *d) {
  sh_xml_init();
  errctx ec = {d, xsd_path, 0, false, false};
  int fd = sh_open_input(xsd_path, 0);
  if (fd < 0) {
    sh_error_io(d, xsd_path, 0, 0, "cannot read schema: %s", sh_fio_strerror(errno));
    return NULL;
  }
  close(fd);
  xmlSchemaParserCtxtPtr pc = xmlSchemaNewParserCtxt(xsd_path);
  if (!pc) {
    sh_error(d, xsd_path, 0, 0, "cannot read schema");
    return NULL;
  }
  xmlSchemaSetParserStructuredErrors(pc, structured_error, &ec);
  xmlSetStructuredErrorFunc(&ec, structured_error);
  xmlSchemaPtr schema = xmlSchemaParse(pc);
  xmlSetStructuredErrorFunc(NULL, NULL);
  xmlSchemaFreeParserCtxt(pc);
  if (!schema) {
    if (ec.n == 0) sh_error(d, xsd_path, 0, 0, "not a usable XML schema");
    return NULL;
  }
  sh_cda_schema *s = sh_calloc(1, sizeof *s); /* owned by the caller */
  s->schema = schema;
  s->file = sh_strdup(xsd_path);
  return s;
}

void sh_cda_schema_free(sh_cda_schema *s) {
  if (!s) return;
  xmlSchemaFree(s->schema);
  free(s->file);
  free(s);
}

/* ---------- item table (CSV) ---------- */

/* Splits one CSV record (RFC 4180 quotes) starting at *p; advances *p past the record and counts lines. */
static void csv_record(const char **p, sh_vec *fields, int *line) {
  const char *s = *p;
  sh_buf f = {0};
  for (;;) {
    if (*s == '"') {
      s++;
      while (*s) {
        if (*s == '"' && s[1] == '"') {
          sh_buf_putc(&f, '"');
          s += 2;
        } else if (*s == '"') {
          s++;
          break;
        } else {
          if (*s == '\n') (*line)++;
          sh_buf_putc(&f, *s++);
        }
      }
    }
    while (*s && *s != ',' && *s != '\n' && *s != '\r') sh_buf_putc(&f, *s++);
    sh_vec_push(fields, sh_buf_steal(&f));
    if (*s == ',') {
      s++;
      continue;
    }
    if (*s == '\r') s++;
    if (*s == '\n') s++, (*line)++;
    break;
  }
  *p = s;
}

static bool valid_code(const char *c) {
  if (strlen(c) != 17) return false;
  for (const char *p = c; *p; p++)
    if (!((*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z'))) return false;
  return true;
}

static void itemdef_free(void *p) {
  sh_cda_itemdef *i = p;
  free(i->code);
  free(i->name);
  free(i);
}

void sh_cda_table_free(sh_cda_table *t) {
  if (!t) return;
  free(t->file);
  sh_vec_free_all(&t->items, itemdef_free);
  sh_strmap_free(&t->by_code);
  free(t);
}

sh_cda_table *sh_cda_table_load(const char *csv_path, sh_diags *d) {
  char *text = NULL;
  size_t len = 0;
  if (sh_read_file(csv_path, 16u * 1024u * 1024u, &text, &len) != 0) {
    sh_error_io(d, csv_path, 0, 0, "cannot read the item table: %s", sh_fio_strerror(errno));
    return NULL;
  }
  sh_cda_table *t = sh_calloc(1, sizeof *t); /* owned by the caller */
  t->file = sh_strdup(csv_path);
  const char *p = text;
  if ((unsigned char)p[0] == 0xEF && (unsigned char)p[1] == 0xBB && (unsigned char)p[2] == 0xBF) p += 3;
  int line = 1, c_code = -1, c_name = -1, c_case = -1, c_oid = -1;
  while (*p) {
    int rec_line = line;
    sh_vec f = {0};
    csv_record(&p, &f, &line);
    if (c_code < 0) {
      for (size_t i = 0; i < f.n; i++) {
        if (strcmp(f.v[i], "XMLITEM_17CODE") == 0) c_code = (int)i;
        if (strcmp(f.v[i], "XMLITEM_NAME") == 0) c_name = (int)i;
        if (strcmp(f.v[i], "XMLITEM_CASE01") == 0) c_case = (int)i;
        if (strcmp(f.v[i], "XMLITEM_ITEMOID") == 0) c_oid = (int)i;
      }
    } else if ((size_t)c_code < f.n && valid_code(f.v[c_code])) {
      if (c_oid >= 0 && (size_t)c_oid < f.n && *(char *)f.v[c_oid] && strcmp(f.v[c_oid], SH_CDA_ITEM_OID) != 0) {
        sh_vec_free_all(&f, free);
        continue;
      }
      if (!sh_strmap_get(&t->by_code, f.v[c_code])) {
        sh_cda_itemdef *it = sh_calloc(1, sizeof *it); /* owned by t->items */
        it->code = sh_strdup(f.v[c_code]);
        it->name = c_name >= 0 && (size_t)c_name < f.n ? sh_strdup(f.v[c_name]) : NULL;
        const char *cs = c_case >= 0 && (size_t)c_case < f.n ? f.v[c_case] : "";
        it->statutory = *cs && strcmp(cs, "0") != 0;
        sh_vec_push(&t->items, it);
        sh_strmap_put(&t->by_code, it->code, it);
      }
    } else if ((size_t)c_code < f.n && *(char *)f.v[c_code] && rec_line > 3) {
      sh_diag_add(d, SH_SEV_WARNING, csv_path, rec_line, 0, "item code '%s' is not 17 characters [0-9A-Z]",
                  (char *)f.v[c_code]);
    }
    sh_vec_free_all(&f, free);
  }
  free(text);
  if (c_code < 0 || c_case < 0) {
    sh_error(d, csv_path, 1, 0, "not an MHLW item-code table: no XMLITEM_17CODE / XMLITEM_CASE01 header");
    sh_cda_table_free(t);
    return NULL;
  }
  return t;
}

/* ---------- documents ---------- */

const char *sh_cda_class_name(sh_cda_class c) {
  switch (c) {
  case SH_CDA_STATUTORY: return "level2";
  case SH_CDA_OTHER_CHECKUP: return "outside-mynaportal";
  case SH_CDA_UNKNOWN_CODE: return "unknown-code";
  case SH_CDA_UNCLASSIFIED: return "unclassified";
  }
  return "?";
}

static void doc_free_v(void *p) { sh_cda_doc_free(p); }

static void item_free(void *p) {
  sh_cda_item *i = p;
  free(i->code);
  free(i);
}

void sh_cda_doc_free(sh_cda_doc *doc) {
  if (!doc) return;
  free(doc->file);
  sh_vec_free_all(&doc->items, item_free);
  free(doc);
}


sh_cda_doc *sh_cda_check(const sh_cda_schema *schema, const sh_cda_table *table, const char *file, sh_diags *d) {
  return sh_cda_check_fd(schema, table, file, -1, d);
}

/* ---------- streaming check ----------
 * A document is parsed by libxml2's push parser, fed 64 KiB at a time from the descriptor, with SAX handlers of
 * shinsa's own: no tree is built. Schema validation runs in the same stream (xmlSchemaSAXPlug), item codes are
 * collected as their elements start, and the nesting depth is counted. Memory is the parser's window, the
 * validator's state per open element and the items found, whatever the file's size (SH_XML_MAX_BYTES still bounds
 * the bytes read). */

typedef struct {
  errctx ec;                 /* first: refuse_subset finds it through ctxt->_private */
  xmlParserCtxtPtr ctxt;
  const sh_cda_table *table;
  sh_cda_doc *out;
  int depth;
  bool too_deep;
} stream_state;

static void s_refuse_subset(void *ud, const xmlChar *name, const xmlChar *ext, const xmlChar *sys) {
  stream_state *st = ud;
  (void)name, (void)ext, (void)sys;
  refuse_subset(st->ctxt, NULL, NULL, NULL);
}

static void s_refuse_entity(void *ud, const xmlChar *name, int type, const xmlChar *pub, const xmlChar *sys,
                            xmlChar *content) {
  (void)name, (void)type, (void)pub, (void)sys, (void)content;
  s_refuse_subset(ud, NULL, NULL, NULL);
}

/* The value of attribute name (no namespace) among SAX2 attributes (5 pointers each), or NULL. Caller frees. */
static char *attr_value(int nb, const xmlChar **attrs, const char *name) {
  for (int i = 0; i < nb; i++) {
    const xmlChar **a = attrs + 5 * i;
    if (!a[2] && strcmp((const char *)a[0], name) == 0) return sh_strndup((const char *)a[3], (size_t)(a[4] - a[3]));
  }
  return NULL;
}

static void s_start(void *ud, const xmlChar *localname, const xmlChar *prefix, const xmlChar *URI, int nb_ns,
                    const xmlChar **ns, int nb_attrs, int nb_defaulted, const xmlChar **attrs) {
  (void)localname, (void)prefix, (void)URI, (void)nb_ns, (void)ns, (void)nb_defaulted;
  stream_state *st = ud;
  if (++st->depth > SH_XML_MAX_DEPTH) {
    if (!st->too_deep) {
      st->too_deep = true;
      st->ec.n++;
      sh_error(st->ec.d, st->ec.file, xmlSAX2GetLineNumber(st->ctxt), 0, "elements nested deeper than %d: refused",
               SH_XML_MAX_DEPTH);
    }
    xmlStopParser(st->ctxt);
    return;
  }
  char *cs = attr_value(nb_attrs, attrs, "codeSystem");
  if (cs && strcmp(cs, SH_CDA_ITEM_OID) == 0) {
    char *code = attr_value(nb_attrs, attrs, "code");
    sh_cda_item *it = sh_calloc(1, sizeof *it); /* owned by out->items */
    it->code = code ? code : sh_strdup("");
    it->line = xmlSAX2GetLineNumber(st->ctxt);
    it->level = -1;
    const sh_cda_table *t = st->table;
    const sh_cda_itemdef *def = t ? sh_strmap_get(&t->by_code, it->code) : NULL;
    if (!t) {
      it->cls = SH_CDA_UNCLASSIFIED;
    } else if (!def) {
      it->cls = SH_CDA_UNKNOWN_CODE;
    } else {
      it->name = def->name;
      it->cls = def->statutory ? SH_CDA_STATUTORY : SH_CDA_OTHER_CHECKUP;
      it->level = def->statutory ? 2 : 3;
    }
    if (it->cls == SH_CDA_UNKNOWN_CODE || it->cls == SH_CDA_OTHER_CHECKUP) st->out->nflagged++;
    sh_vec_push(&st->out->items, it);
  }
  free(cs);
}

/* Where the streaming validator is, for its error messages. */
static int s_locate(void *ud, const char **file, unsigned long *line) {
  stream_state *st = ud;
  if (file) *file = NULL;
  if (line) *line = st->ctxt ? (unsigned long)xmlSAX2GetLineNumber(st->ctxt) : 0;
  return 0;
}

static void s_end(void *ud, const xmlChar *localname, const xmlChar *prefix, const xmlChar *URI) {
  (void)localname, (void)prefix, (void)URI;
  stream_state *st = ud;
  st->depth--;
}

sh_cda_doc *sh_cda_check_fd(const sh_cda_schema *schema, const sh_cda_table *table, const char *file, int fd,
                            sh_diags *d) {
  sh_xml_init();
  sh_cda_doc *out = sh_calloc(1, sizeof *out); /* owned by the caller */
  out->file = sh_strdup(file);
  stream_state st = {.ec = {d, file, 0, false, false}, .table = table, .out = out};
  errctx vec = {d, file, 0, false, SH_DIAG_FINDING}; /* a document that does not match the schema is a finding */
  int own_fd = -1;
  if (fd < 0 && (fd = own_fd = sh_open_input(file, 0)) < 0) {
    sh_error(d, file, 0, 0, "cannot read: %s", sh_fio_strerror(errno));
    out->nerrors = 1;
    return out;
  }
  xmlSAXHandler sax;
  memset(&sax, 0, sizeof sax);
  sax.initialized = XML_SAX2_MAGIC;
  sax.startElementNs = s_start;
  sax.endElementNs = s_end;
  sax.internalSubset = s_refuse_subset;
  sax.externalSubset = s_refuse_subset;
  sax.entityDecl = s_refuse_entity;
  xmlSAXHandlerPtr saxp = &sax;
  void *ud = &st;
  xmlSchemaValidCtxtPtr vc = NULL;
  xmlSchemaSAXPlugPtr plug = NULL;
  if (schema) {
    vc = xmlSchemaNewValidCtxt(schema->schema);
    xmlSchemaSetValidStructuredErrors(vc, structured_error, &vec);
    xmlSchemaValidateSetLocator(vc, s_locate, &st);
    plug = xmlSchemaSAXPlug(vc, &saxp, &ud);
  }
  xmlSetStructuredErrorFunc(&st.ec, structured_error);
  st.ctxt = xmlCreatePushParserCtxt(saxp, ud, NULL, 0, file);
  bool ok = st.ctxt != NULL;
  size_t total = 0;
  if (ok) {
    st.ctxt->_private = &st.ec;
    /* No XML_PARSE_NOENT (no entity substitution), no DTDLOAD/DTDATTR/DTDVALID, no XINCLUDE, no HUGE. */
    xmlCtxtUseOptions(st.ctxt, XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_NOWARNING);
    char buf[65536];
    for (;;) {
      ssize_t n = read(fd, buf, sizeof buf);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        sh_error(d, file, 0, 0, "cannot read: %s", strerror(errno));
        st.ec.n++;
        ok = false;
        break;
      }
      total += (size_t)n;
      if (total > SH_XML_MAX_BYTES) {
        sh_error(d, file, 0, 0, "larger than %u bytes: refused", SH_XML_MAX_BYTES);
        st.ec.n++;
        ok = false;
        break;
      }
      if (xmlParseChunk(st.ctxt, buf, (int)n, n == 0) != 0 || st.ctxt->disableSAX || st.ec.stopped_dtd || st.too_deep)
        break;
      if (n == 0) break;
    }
    ok = ok && st.ctxt->wellFormed && !st.ec.stopped_dtd && !st.too_deep;
  }
  xmlSetStructuredErrorFunc(NULL, NULL);
  /* Validation errors are counted as findings, parse errors as invalid data (both were added as they came). */
  bool valid = ok && (!vc || xmlSchemaIsValid(vc) == 1);
  if (st.ctxt) xmlFreeParserCtxt(st.ctxt);
  if (plug) xmlSchemaSAXUnplug(plug);
  if (vc) xmlSchemaFreeValidCtxt(vc);
  if (own_fd >= 0) close(own_fd);
  if (!ok) {
    if (st.ec.n == 0) {
      sh_error(d, file, 0, 0, "not well-formed XML");
      st.ec.n++;
    }
    sh_vec_free_all(&out->items, item_free);
    out->nflagged = 0;
    out->nerrors = st.ec.n + vec.n;
    return out;
  }
  out->well_formed = true;
  out->valid = valid;
  if (!valid && vec.n == 0) {
    sh_error_finding(d, file, 0, 0, "not valid against %s", schema->file);
    vec.n++;
  }
  for (size_t i = 0; i < out->items.n; i++) {
    const sh_cda_item *it = out->items.v[i];
    if (it->cls == SH_CDA_UNKNOWN_CODE)
      sh_diag_add(d, SH_SEV_WARNING, file, it->line, 0, "item code '%s' is not in the item table %s", it->code,
                  table->file);
    else if (it->cls == SH_CDA_OTHER_CHECKUP)
      sh_diag_add(d, SH_SEV_WARNING, file, it->line, 0,
                  "item %s (%s) is not a specific-checkup item: outside the Mynaportal item set (level 3)", it->code,
                  it->name ? it->name : "");
  }
  out->nerrors = st.ec.n + vec.n;
  return out;
}

/* ---------- evidence packages ---------- */

static void set_fact(sh_evidence *ev, sh_diags *d, const char *id, bool v, const char *file, int line,
                     const char *detail) {
  const sh_fact *f = sh_vocab_find(ev->vocab, id);
  if (!f) {
    sh_error(d, ev->file, 0, 0, "fact '%s' is not in the vocabulary (rules/facts.d/system.yaml)", id);
    return;
  }
  sh_value val = {.type = SH_T_BOOL, .b = v};
  const sh_fact_value *old = sh_evidence_get(ev, f);
  if (old && old->prov == SH_PROV_CONFIRMED) return;
  if (old && old->value.b != v)
    sh_diag_add(d, SH_SEV_NOTE, file, line, 0, "%s: probed %s replaces the %s value %s (%s:%d)", id,
                v ? "true" : "false", sh_prov_name(old->prov), old->value.b ? "true" : "false",
                old->origin ? old->origin : "?", old->line);
  sh_fact_value *fv = sh_evidence_set(ev, f, &val, SH_PROV_PROBED, file, line, 0);
  if (fv) {
    free(fv->detail);
    fv->detail = sh_strdup(detail);
  }
}

int sh_cda_apply(sh_evidence *ev, sh_diags *d) {
  if (!ev->cda_files.n) return 0;
  if (!ev->cda_schema) {
    sh_error(d, ev->file, 0, 0, "cda_exports needs a schema: (the XSD the samples must validate against)");
    return -1;
  }
  sh_cda_schema *schema = sh_cda_schema_load(ev->cda_schema->abs, d);
  if (!schema) return -1;
  sh_cda_table *table = NULL;
  if (ev->cda_items && !(table = sh_cda_table_load(ev->cda_items->abs, d))) {
    sh_cda_schema_free(schema);
    return -1;
  }
  bool all_valid = true, all_within = true;
  size_t nitems = 0;
  const char *bad_file = NULL, *flag_file = NULL;
  int flag_line = 0;
  char *flag_detail = NULL;
  sh_vec docs = {0};
  for (size_t i = 0; i < ev->cda_files.n; i++) {
    const sh_pkgpath *pp = ev->cda_files.v[i];
    /* Opened under the package folder: the containment holds on the descriptor read (fileio.h). */
    char *what = sh_printf(_("path '%s'"), pp->path);
    size_t before = d->nerrors;
    int fd = sh_open_inside(ev->dir, pp->path, 0, &(sh_fref){{ev->file, pp->line, pp->col}, what, false}, d);
    free(what);
    sh_cda_doc *doc;
    if (fd < 0 && d->nerrors != before) { /* refused (reported) */
      doc = sh_calloc(1, sizeof *doc);
      doc->file = sh_strdup(pp->abs);
      doc->nerrors = 1;
    } else {
      doc = sh_cda_check_fd(schema, table, pp->abs, fd, d);
    }
    if (fd >= 0) close(fd);
    sh_vec_push(&docs, doc);
    if (!doc->valid && all_valid) {
      all_valid = false;
      bad_file = pp->path; /* results name the sample relative to the package */
    }
    nitems += doc->items.n;
    for (size_t k = 0; k < doc->items.n && all_within; k++) {
      const sh_cda_item *it = doc->items.v[k];
      if (it->cls != SH_CDA_STATUTORY) {
        all_within = false;
        flag_file = ((const sh_pkgpath *)ev->cda_files.v[i])->path;
        flag_line = it->line;
        flag_detail = sh_printf("item %s: %s", it->code, sh_cda_class_name(it->cls));
      }
    }
  }
  const sh_pkgpath *first = ev->cda_files.v[0];
  char *detail = all_valid ? sh_printf(_("%zu sample(s) valid against %s"), docs.n, ev->cda_schema->path)
                           : sh_printf(_("not valid against %s"), ev->cda_schema->path);
  set_fact(ev, d, "interop.cda_export_schema_valid", all_valid, all_valid ? first->path : bad_file, 0, detail);
  free(detail);
  if (table) {
    if (nitems == 0) {
      sh_diag_add(d, SH_SEV_WARNING, ev->file, first->line, first->col,
                  "the CDA export samples hold no checkup item code (OID %s)", SH_CDA_ITEM_OID);
    } else {
      detail = all_within ? sh_printf(_("%zu item code(s), all specific-checkup items"), nitems) : NULL;
      set_fact(ev, d, "interop.cda_export_items_within_mynaportal", all_within, all_within ? first->path : flag_file,
               all_within ? 0 : flag_line, all_within ? detail : flag_detail);
      free(detail);
    }
  }
  free(flag_detail);
  sh_vec_free_all(&docs, doc_free_v);
  sh_cda_table_free(table);
  sh_cda_schema_free(schema);
  return 0;
}

int sh_cda_item_levels(sh_evidence *ev, sh_diags *d) {
  bool any = false;
  for (size_t i = 0; i < ev->data_items.n && !any; i++) any = ((const sh_data_item *)ev->data_items.v[i])->code != NULL;
  if (!any) return 0;
  const sh_pkgpath *path = ev->item_codes ? ev->item_codes : ev->cda_items;
  sh_cda_table *table = NULL;
  if (path && !(table = sh_cda_table_load(path->abs, d))) return -1;
  for (size_t i = 0; i < ev->data_items.n; i++) {
    sh_data_item *di = ev->data_items.v[i];
    if (!di->code) continue;
    const sh_cda_itemdef *def = table ? sh_strmap_get(&table->by_code, di->code) : NULL;
    di->table_level = def ? (def->statutory ? 2 : 3) : -1;
    di->level = def ? di->table_level : di->declared_level;
    if (di->level >= 0) continue;
    if (!table)
      sh_diag_add(d, SH_SEV_WARNING, ev->file, di->line, di->col,
                  "data item '%s' has a code but no level, and no item-code table is given (item_codes:): its level is unknown",
                  di->id ? di->id : "?");
    else
      sh_diag_add(d, SH_SEV_WARNING, ev->file, di->line, di->col,
                  "data item '%s': code %s is not in the item-code table %s and no level is declared: its level is unknown",
                  di->id ? di->id : "?", di->code, path->path);
  }
  sh_cda_table_free(table);
  return 0;
}

static bool has_xml_suffix(const char *name) {
  size_t n = strlen(name);
  return n > 4 && strcasecmp(name + n - 4, ".xml") == 0;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Every *.xml regular file under dir, recursively, in name order (folders' entries sorted). */
static void walk_xml(const char *dir, sh_vec *out, int depth, sh_diags *d) {
  if (depth > 64) {
    sh_error_io(d, dir, 0, 0, "folders nested deeper than 64 levels");
    return;
  }
  DIR *dh = opendir(dir);
  if (!dh) {
    sh_error_io(d, dir, 0, 0, "cannot read the folder: %s", strerror(errno));
    return;
  }
  sh_vec names = {0};
  struct dirent *e;
  while ((e = readdir(dh)))
    if (e->d_name[0] != '.') sh_vec_push(&names, sh_strdup(e->d_name));
  closedir(dh);
  if (names.n > 1) qsort(names.v, names.n, sizeof *names.v, cmp_str);
  for (size_t i = 0; i < names.n; i++) {
    char *p = sh_path_join(dir, names.v[i]);
    struct stat st;
    if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode)) walk_xml(p, out, depth + 1, d);
    else if (has_xml_suffix(names.v[i]) && stat(p, &st) == 0 && S_ISREG(st.st_mode)) {
      sh_vec_push(out, p);
      continue;
    }
    free(p);
  }
  sh_vec_free_all(&names, free);
}

int sh_cda_expand_inputs(const char *const *args, size_t nargs, FILE *list, sh_vec *out, sh_diags *d) {
  size_t before = d->nerrors;
  for (size_t i = 0; i < nargs; i++) {
    const char *a = args[i];
    if (strcmp(a, "-") == 0) {
      char *line = NULL;
      size_t cap = 0;
      ssize_t n;
      while (list && (n = getline(&line, &cap, list)) >= 0) {
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r')) line[--n] = '\0';
        if (n > 0) sh_vec_push(out, sh_strdup(line));
      }
      free(line);
      continue;
    }
    struct stat st;
    if (stat(a, &st) != 0) {
      sh_error_io(d, a, 0, 0, "cannot read: %s", strerror(errno));
      continue;
    }
    if (S_ISDIR(st.st_mode)) walk_xml(a, out, 0, d);
    else sh_vec_push(out, sh_strdup(a));
  }
  return d->nerrors == before ? 0 : -1;
}

static void doc_json(sh_json *j, const sh_cda_doc *doc) {
  sh_json_obj_begin(j);
  sh_json_kstr(j, "file", doc->file);
  sh_json_kstr(j, "result", !doc->well_formed ? "refused" : doc->valid ? "valid" : "invalid");
  sh_json_kint(j, "errors", (int64_t)doc->nerrors);
  sh_json_kint(j, "flagged", (int64_t)doc->nflagged);
  sh_json_key(j, "items");
  sh_json_arr_begin(j);
  for (size_t k = 0; k < doc->items.n; k++) {
    const sh_cda_item *it = doc->items.v[k];
    sh_json_obj_begin(j);
    sh_json_kstr(j, "code", it->code);
    sh_json_kint(j, "line", it->line);
    sh_json_kstr(j, "class", sh_cda_class_name(it->cls));
    sh_json_kstr(j, "name", it->name);
    sh_json_obj_end(j);
  }
  sh_json_arr_end(j);
  sh_json_obj_end(j);
}

int sh_cda_batch(const char *const *files, size_t nfiles, const char *xsd, const char *items_csv,
                 const sh_cda_batch_opts *o, FILE *out, sh_cda_totals *totals, sh_diags *d) {
  sh_cda_schema *schema = sh_cda_schema_load(xsd, d);
  if (!schema) return -1;
  sh_cda_table *table = NULL;
  if (items_csv && !(table = sh_cda_table_load(items_csv, d))) {
    sh_cda_schema_free(schema);
    return -1;
  }
  bool json = o && o->json;
  sh_cda_totals t = {0};
  sh_buf jb = {0};
  sh_json j;
  if (json) {
    sh_json_init(&j, &jb);
    sh_json_obj_begin(&j);
    sh_json_key(&j, "files");
    sh_json_arr_begin(&j);
  }
  for (size_t i = 0; i < nfiles; i++) {
    if (o && o->progress) o->progress(o->progress_ctx, i, nfiles, files[i]);
    sh_cda_doc *doc = sh_cda_check(schema, table, files[i], d);
    t.files++;
    if (!doc->well_formed) t.refused++;
    else if (doc->valid) t.valid++;
    else t.invalid++;
    t.items += doc->items.n;
    t.flagged += doc->nflagged;
    if (json) {
      doc_json(&j, doc);
      if (jb.len > (1u << 16)) { /* stream: the array is written as it grows */
        fwrite(jb.data, 1, jb.len, out);
        sh_buf_clear(&jb);
      }
    } else if (!doc->well_formed) {
      sh_term_printf(out, doc->nerrors == 1 ? _("%s: refused or malformed (%zu error)\n")
                                            : _("%s: refused or malformed (%zu errors)\n"),
                     doc->file, doc->nerrors);
    } else {
      sh_term_printf(out, doc->items.n == 1 ? _("%s: %s; %zu item code, %zu flagged\n")
                                            : _("%s: %s; %zu item codes, %zu flagged\n"),
                     doc->file, doc->valid ? _("valid") : _("INVALID against the schema"), doc->items.n, doc->nflagged);
      for (size_t k = 0; k < doc->items.n; k++) {
        const sh_cda_item *it = doc->items.v[k];
        sh_term_printf(out, "%s:%d: %s %s%s%s\n", doc->file, it->line, it->code, sh_cda_class_name(it->cls),
                       it->name ? " " : "", it->name ? it->name : "");
      }
    }
    if (doc->well_formed) sh_diags_findings(d, doc->nflagged); /* schema errors are already findings in d */
    sh_cda_doc_free(doc);
  }
  if (json) {
    sh_json_arr_end(&j);
    sh_json_key(&j, "totals");
    sh_json_obj_begin(&j);
    sh_json_kint(&j, "files", (int64_t)t.files);
    sh_json_kint(&j, "valid", (int64_t)t.valid);
    sh_json_kint(&j, "invalid", (int64_t)t.invalid);
    sh_json_kint(&j, "refused", (int64_t)t.refused);
    sh_json_kint(&j, "items", (int64_t)t.items);
    sh_json_kint(&j, "flagged", (int64_t)t.flagged);
    sh_json_obj_end(&j);
    sh_json_obj_end(&j);
    sh_buf_putc(&jb, '\n');
    fwrite(jb.data, 1, jb.len, out);
    sh_buf_free(&jb);
  } else {
    fprintf(out, t.files == 1 ? _("total: %zu file: %zu valid, %zu invalid against the schema, %zu refused or malformed; ")
                              : _("total: %zu files: %zu valid, %zu invalid against the schema, %zu refused or malformed; "),
            t.files, t.valid, t.invalid, t.refused);
    fprintf(out, t.items == 1 ? _("%zu item code, %zu flagged\n") : _("%zu item codes, %zu flagged\n"), t.items, t.flagged);
  }
  if (totals) *totals = t;
  sh_cda_table_free(table);
  sh_cda_schema_free(schema);
  return 0;
}

int sh_cda_run(const char *const *files, size_t nfiles, const char *xsd, const char *items_csv, FILE *out,
               sh_diags *d) {
  return sh_cda_batch(files, nfiles, xsd, items_csv, NULL, out, NULL, d);
}
