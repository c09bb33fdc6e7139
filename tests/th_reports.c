/* th_reports: the reports of the bundled examples as comparable text. See th_reports.h. */
#include "th_reports.h"

#include "helpers.h"
#include "sheet.h"

#include <criterion/criterion.h>
#include <ctype.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>

const char *const th_examples[] = {"phr-operator", "infobank-health", NULL};
const char *const th_views[] = {"auditor", "applicant", "ethics", NULL};
const char *const th_langs[] = {"ja", "en", NULL};
const char *const th_report_ext[TH_RF__COUNT] = {"txt", "md", "html", "json", "csv", "xlsx", "oscal.xml", "oscal.json"};

char *th_golden_path(const char *example, const char *view, const char *lang, th_report_format f) {
  if (f == TH_RF_OSCAL_XML || f == TH_RF_OSCAL_JSON)
    return sh_printf("tests/golden/%s/oscal-ar.%s.%s", example, lang, f == TH_RF_OSCAL_XML ? "xml" : "json");
  return sh_printf("tests/golden/%s/%s.%s.%s%s", example, view, lang, th_report_ext[f], f == TH_RF_XLSX ? ".txt" : "");
}

/* ---------- UUIDs ---------- */

static bool is_uuid_at(const char *p) {
  static const int groups[] = {8, 4, 4, 4, 12};
  for (int g = 0; g < 5; g++) {
    for (int k = 0; k < groups[g]; k++, p++)
      if (!isxdigit((unsigned char)*p)) return false;
    if (g < 4 && *p++ != '-') return false;
  }
  return !isxdigit((unsigned char)*p) && *p != '-';
}

char *th_uuid_normalise(const char *text) {
  sh_buf b = {0};
  sh_strmap seen = {0};
  size_t n = 0;
  for (const char *p = text; *p;) {
    bool boundary = p == text || !(isxdigit((unsigned char)p[-1]) || p[-1] == '-');
    if (boundary && is_uuid_at(p)) {
      char key[37];
      memcpy(key, p, 36);
      key[36] = '\0';
      size_t id = (size_t)(uintptr_t)sh_strmap_get(&seen, key);
      if (!id) {
        id = ++n;
        sh_strmap_put(&seen, key, (void *)(uintptr_t)id);
      }
      sh_buf_printf(&b, "uuid-%zu", id);
      p += 36;
    } else {
      sh_buf_putc(&b, *p++);
    }
  }
  sh_strmap_free(&seen);
  return sh_buf_steal(&b);
}

/* ---------- XLSX ---------- */

static char *zip_member(zip_t *z, const char *name) {
  zip_stat_t st;
  if (zip_stat(z, name, 0, &st) != 0) return NULL;
  zip_file_t *f = zip_fopen(z, name, 0);
  cr_assert(f, "cannot open %s in the workbook", name);
  char *s = sh_malloc((size_t)st.size + 1);
  zip_int64_t got = zip_fread(f, s, st.size);
  cr_assert_eq(got, (zip_int64_t)st.size, "short read of %s", name);
  s[st.size] = '\0';
  zip_fclose(f);
  return s;
}

static xmlDoc *zip_xml(zip_t *z, const char *name) {
  char *s = zip_member(z, name);
  cr_assert(s, "%s is missing from the workbook", name);
  xmlDoc *d = xmlReadMemory(s, (int)strlen(s), name, NULL, XML_PARSE_NONET);
  cr_assert(d, "%s does not parse", name);
  free(s);
  return d;
}

static bool named(const xmlNode *n, const char *name) {
  return n && n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

static xmlNode *child(const xmlNode *n, const char *name) {
  for (xmlNode *c = n ? n->children : NULL; c; c = c->next)
    if (named(c, name)) return c;
  return NULL;
}

/* An attribute (no namespace, or the relationships namespace for "id") as an owned string, "" when absent. */
static char *attr(xmlNode *n, const char *name) {
  xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
  if (!v && strcmp(name, "id") == 0)
    v = xmlGetNsProp(n, (const xmlChar *)"id",
                     (const xmlChar *)"http://schemas.openxmlformats.org/officeDocument/2006/relationships");
  char *s = sh_strdup(v ? (const char *)v : "");
  xmlFree(v);
  return s;
}

static char *text_of(xmlNode *n) {
  xmlChar *v = xmlNodeGetContent(n);
  char *s = sh_strdup(v ? (const char *)v : "");
  xmlFree(v);
  return s;
}

/* A cell value or attribute on one line: backslash, line feed, carriage return and tab escaped. */
static void put_escaped(sh_buf *b, const char *s) {
  for (; *s; s++) {
    switch (*s) {
    case '\\': sh_buf_puts(b, "\\\\"); break;
    case '\n': sh_buf_puts(b, "\\n"); break;
    case '\r': sh_buf_puts(b, "\\r"); break;
    case '\t': sh_buf_puts(b, "\\t"); break;
    default: sh_buf_putc(b, *s);
    }
  }
}

/* "A1" -> column (0-based) and row (1-based). */
static bool parse_ref(const char *ref, long *col, long *row) {
  size_t k = 0;
  while (isalpha((unsigned char)ref[k])) k++;
  if (!k || k > 3) return false;
  char letters[4] = {0};
  memcpy(letters, ref, k);
  *col = sh_sheet_col_parse(letters);
  *row = atol(ref + k);
  return *col >= 0 && *row > 0;
}

typedef struct {
  long col, row;
} cellpos;

static int cellpos_cmp(const void *a, const void *b) {
  const cellpos *x = a, *y = b;
  if (x->col != y->col) return x->col < y->col ? -1 : 1;
  return (x->row > y->row) - (x->row < y->row);
}

/* Cells as ranges per column: "E2:E8 F2:F8". */
static void put_ranges(sh_buf *b, cellpos *cells, size_t n) {
  if (n) qsort(cells, n, sizeof *cells, cellpos_cmp);
  for (size_t i = 0; i < n;) {
    size_t j = i;
    while (j + 1 < n && cells[j + 1].col == cells[i].col && cells[j + 1].row == cells[j].row + 1) j++;
    char cn[8];
    sh_sheet_col_name((size_t)cells[i].col, cn);
    if (j == i) sh_buf_printf(b, " %s%ld", cn, cells[i].row);
    else sh_buf_printf(b, " %s%ld:%s%ld", cn, cells[i].row, cn, cells[j].row);
    i = j + 1;
  }
}

/* What the worksheet's XML says beyond the values. */
static void dump_sheet_xml(sh_buf *b, xmlDoc *ws, const bool *unlocked_xf, size_t nxf) {
  xmlNode *root = xmlDocGetRootElement(ws);
  xmlNode *prot = child(root, "sheetProtection");
  sh_buf_puts(b, "@protection");
  if (!prot) sh_buf_puts(b, " none");
  for (xmlAttr *a = prot ? prot->properties : NULL; a; a = a->next) {
    xmlChar *v = xmlNodeGetContent((xmlNode *)a);
    sh_buf_printf(b, " %s=%s", (const char *)a->name, (const char *)v);
    xmlFree(v);
  }
  sh_buf_putc(b, '\n');
  for (xmlNode *c = child(child(root, "cols"), "col"); c; c = c->next) {
    if (!named(c, "col")) continue;
    char *min = attr(c, "min"), *max = attr(c, "max"), *hidden = attr(c, "hidden"), *s = attr(c, "s");
    char a[8], z[8];
    sh_sheet_col_name((size_t)atol(min) - 1, a);
    sh_sheet_col_name((size_t)atol(max) - 1, z);
    if (strcmp(hidden, "1") == 0) sh_buf_printf(b, "@hidden-columns %s:%s\n", a, z);
    if (*s && (size_t)atol(s) < nxf && unlocked_xf[atol(s)]) sh_buf_printf(b, "@unlocked-columns %s:%s\n", a, z);
    free(min), free(max), free(hidden), free(s);
  }
  /* Unlocked and formula cells. */
  cellpos *unl = NULL, *form = NULL;
  size_t nunl = 0, nform = 0, cap_u = 0, cap_f = 0;
  for (xmlNode *row = child(child(root, "sheetData"), "row"); row; row = row->next) {
    if (!named(row, "row")) continue;
    for (xmlNode *c = row->children; c; c = c->next) {
      if (!named(c, "c")) continue;
      char *ref = attr(c, "r"), *s = attr(c, "s");
      cellpos p;
      cr_assert(parse_ref(ref, &p.col, &p.row), "bad cell reference '%s'", ref);
      if (*s && (size_t)atol(s) < nxf && unlocked_xf[atol(s)]) {
        if (nunl == cap_u) unl = sh_realloc(unl, (cap_u = cap_u ? 2 * cap_u : 64) * sizeof *unl);
        unl[nunl++] = p;
      }
      if (child(c, "f")) {
        if (nform == cap_f) form = sh_realloc(form, (cap_f = cap_f ? 2 * cap_f : 8) * sizeof *form);
        form[nform++] = p;
      }
      free(ref), free(s);
    }
  }
  sh_buf_puts(b, "@unlocked-cells");
  if (!nunl) sh_buf_puts(b, " none");
  put_ranges(b, unl, nunl);
  sh_buf_puts(b, "\n@formula-cells");
  if (!nform) sh_buf_puts(b, " none");
  put_ranges(b, form, nform);
  sh_buf_putc(b, '\n');
  free(unl);
  free(form);
  for (xmlNode *m = child(child(root, "mergeCells"), "mergeCell"); m; m = m->next) {
    if (!named(m, "mergeCell")) continue;
    char *ref = attr(m, "ref");
    sh_buf_printf(b, "@merged %s\n", ref);
    free(ref);
  }
  for (xmlNode *v = child(child(root, "dataValidations"), "dataValidation"); v; v = v->next) {
    if (!named(v, "dataValidation")) continue;
    char *sq = attr(v, "sqref"), *type = attr(v, "type"), *title = attr(v, "promptTitle"), *prompt = attr(v, "prompt");
    xmlNode *f1 = child(v, "formula1");
    char *list = f1 ? text_of(f1) : sh_strdup("");
    sh_buf_printf(b, "@validation %s %s %s | ", sq, type, list);
    put_escaped(b, title);
    sh_buf_puts(b, " | ");
    put_escaped(b, prompt);
    sh_buf_putc(b, '\n');
    free(sq), free(type), free(title), free(prompt), free(list);
  }
  for (xmlNode *h = child(child(root, "hyperlinks"), "hyperlink"); h; h = h->next) {
    if (!named(h, "hyperlink")) continue;
    char *ref = attr(h, "ref");
    sh_buf_printf(b, "@hyperlink %s\n", ref);
    free(ref);
  }
  xmlNode *hf = child(root, "headerFooter");
  for (xmlNode *h = hf ? hf->children : NULL; h; h = h->next) {
    if (h->type != XML_ELEMENT_NODE) continue;
    char *t = text_of(h);
    sh_buf_printf(b, "@%s ", (const char *)h->name);
    put_escaped(b, t);
    sh_buf_putc(b, '\n');
    free(t);
  }
  xmlNode *ps = child(root, "pageSetup");
  if (ps) {
    char *paper = attr(ps, "paperSize"), *orient = attr(ps, "orientation");
    sh_buf_printf(b, "@page paper=%s orientation=%s\n", paper, orient);
    free(paper), free(orient);
  }
}

char *th_xlsx_dump(const char *path) {
  int zerr = 0;
  zip_t *z = zip_open(path, ZIP_RDONLY, &zerr);
  cr_assert(z, "cannot open %s as a ZIP archive (%d)", path, zerr);
  /* Unlocked cell formats (styles.xml cellXfs: <protection locked="0"/>). */
  xmlDoc *styles = zip_xml(z, "xl/styles.xml");
  xmlNode *xfs = child(xmlDocGetRootElement(styles), "cellXfs");
  size_t nxf = 0;
  for (xmlNode *x = xfs ? xfs->children : NULL; x; x = x->next) nxf += named(x, "xf");
  bool *unlocked = sh_calloc(nxf + 1, sizeof *unlocked);
  size_t k = 0;
  for (xmlNode *x = xfs ? xfs->children : NULL; x; x = x->next) {
    if (!named(x, "xf")) continue;
    xmlNode *p = child(x, "protection");
    if (p) {
      char *l = attr(p, "locked");
      unlocked[k] = strcmp(l, "0") == 0 || strcmp(l, "false") == 0;
      free(l);
    }
    k++;
  }
  xmlFreeDoc(styles);
  /* Sheets in workbook order, with their parts (workbook.xml + its relationships). */
  xmlDoc *wb = zip_xml(z, "xl/workbook.xml"), *rels = zip_xml(z, "xl/_rels/workbook.xml.rels");
  sh_strmap target = {0};
  for (xmlNode *r = xmlDocGetRootElement(rels)->children; r; r = r->next) {
    if (!named(r, "Relationship")) continue;
    char *id = attr(r, "Id"), *t = attr(r, "Target");
    sh_strmap_put(&target, id, t);
    free(id);
  }
  sh_buf b = {0};
  xmlNode *wroot = xmlDocGetRootElement(wb);
  for (xmlNode *d = child(child(wroot, "definedNames"), "definedName"); d; d = d->next) {
    if (!named(d, "definedName")) continue;
    char *name = attr(d, "name"), *local = attr(d, "localSheetId"), *v = text_of(d);
    sh_buf_printf(&b, "@defined %s%s%s %s\n", name, *local ? "@" : "", local, v);
    free(name), free(local), free(v);
  }
  sh_diags diags = {0};
  sh_sheet *sh = sh_sheet_open(path, NULL, &diags);
  char *ds = th_diags_str(&diags);
  cr_assert(sh, "shinsa's reader cannot open %s: %s", path, ds);
  free(ds);
  size_t si = 0;
  for (xmlNode *s = child(child(wroot, "sheets"), "sheet"); s; s = s->next) {
    if (!named(s, "sheet")) continue;
    char *name = attr(s, "name"), *rid = attr(s, "id");
    cr_assert(si < sh_sheet_count(sh), "the reader sees fewer sheets than workbook.xml");
    cr_assert_str_eq(sh_sheet_name(sh, si), name, "sheet %zu", si);
    sh_buf_printf(&b, "\n== %s%s\n", name, sh_sheet_is_hidden(sh, si) ? " (hidden)" : "");
    const char *t = sh_strmap_get(&target, rid);
    cr_assert(t, "sheet '%s' has no part", name);
    char *member = t[0] == '/' ? sh_strdup(t + 1) : sh_printf("xl/%s", t);
    xmlDoc *ws = zip_xml(z, member);
    dump_sheet_xml(&b, ws, unlocked, nxf);
    xmlFreeDoc(ws);
    free(member);
    cr_assert_eq(sh_sheet_select(sh, si, &diags), 0, "cannot select sheet '%s'", name);
    const sh_sheet_row *row;
    int rc;
    while ((rc = sh_sheet_next(sh, &row, &diags)) == 1) {
      for (size_t c = 0; c < row->ncols; c++) {
        if (!row->cells[c][0] || row->copied[c]) continue;
        char cn[8];
        sh_sheet_col_name(c, cn);
        sh_buf_printf(&b, "%s!%s%d%s: ", name, cn, row->row, row->hidden ? " (hidden row)" : "");
        put_escaped(&b, row->cells[c]);
        sh_buf_putc(&b, '\n');
      }
    }
    cr_assert_eq(rc, 0, "reading sheet '%s' failed", name);
    free(name), free(rid);
    si++;
  }
  cr_assert_eq(si, sh_sheet_count(sh), "the reader sees more sheets than workbook.xml");
  sh_sheet_close(sh);
  sh_diags_free(&diags);
  for (size_t i = 0; i < target.cap; i++)
    if (target.keys[i]) free(target.vals[i]);
  sh_strmap_free(&target);
  xmlFreeDoc(wb);
  xmlFreeDoc(rels);
  free(unlocked);
  zip_close(z);
  return sh_buf_steal(&b);
}

/* ---------- one run, every format ---------- */

/* text with the checkout's folder ("/work/x/") written as "SOURCE_ROOT/". Caller frees. */
static char *source_root_named(const char *text) {
  char *root = th_src("");
  size_t n = strlen(root);
  while (n > 1 && root[n - 1] == '/') root[--n] = '\0';
  sh_buf b = {0};
  for (const char *p = text; *p;) {
    if (strncmp(p, root, n) == 0 && p[n] == '/') {
      sh_buf_puts(&b, "SOURCE_ROOT");
      p += n;
    } else {
      sh_buf_putc(&b, *p++);
    }
  }
  free(root);
  return sh_buf_steal(&b);
}

/* Runs args (a check or report command without its --out options) writing every format, and fills set. */
static void make_set(th_report_set *set, const char *const *cmd, const char *what) {
  memset(set, 0, sizeof *set);
  char *root = th_src("");
  cr_assert_eq(chdir(root), 0);
  free(root);
  setenv("SHINSA_NOW", TH_REPORT_NOW, 1);
  char *dir = th_tmpdir();
  char *paths[TH_RF__COUNT];
  const char *args[24 + 2 * TH_RF__COUNT];
  size_t n = 0;
  for (; cmd[n]; n++) {
    cr_assert(n < 24);
    args[n] = cmd[n];
  }
  for (int f = 0; f < TH_RF__COUNT; f++) {
    char *name = sh_printf("report.%s", th_report_ext[f]);
    paths[f] = sh_path_join(dir, name);
    free(name);
    args[n++] = "--out";
    args[n++] = paths[f];
  }
  args[n] = NULL;
  char *err = NULL;
  int rc = th_run(NULL, &err, args);
  cr_assert_eq(rc, 1, "%s: exit %d (expected 1: the example has findings); stderr:\n%s", what, rc, err);
  for (int f = 0; f < TH_RF__COUNT; f++) {
    if (f == TH_RF_XLSX) {
      set->text[f] = th_xlsx_dump(paths[f]);
    } else {
      char *s = NULL;
      size_t len = 0;
      cr_assert_eq(sh_read_file(paths[f], 64u << 20, &s, &len), 0, "cannot read %s", paths[f]);
      cr_assert_eq(strlen(s), len, "%s holds a NUL byte", paths[f]);
      if (f == TH_RF_OSCAL_XML || f == TH_RF_OSCAL_JSON) {
        /* the frameworks' rlinks name their files by absolute path: the checkout's folder as SOURCE_ROOT */
        char *rel = source_root_named(s);
        set->text[f] = th_uuid_normalise(rel);
        free(rel);
        free(s);
      } else {
        set->text[f] = s;
      }
    }
    free(paths[f]);
  }
  free(err);
  free(dir);
}

void th_report_set_make(th_report_set *set, const char *example, const char *view, const char *lang) {
  char *ex = sh_printf("examples/%s", example), *what = sh_printf("%s %s %s", example, view, lang);
  const char *cmd[] = {"check", "--view", view, "--lang", lang, ex, NULL};
  make_set(set, cmd, what);
  free(ex);
  free(what);
}

void th_report_set_from_run(th_report_set *set, const char *db, const char *run, const char *view, const char *lang) {
  char *root = th_src(""), *what = sh_printf("report %s --db %s --view %s --lang %s", run, db, view, lang);
  const char *cmd[] = {"report", run, "--db", db, "--data-dir", root, "--view", view, "--lang", lang, NULL};
  make_set(set, cmd, what);
  free(root);
  free(what);
}

void th_report_set_free(th_report_set *set) {
  for (int f = 0; f < TH_RF__COUNT; f++) free(set->text[f]);
  memset(set, 0, sizeof *set);
}
