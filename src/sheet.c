/* sheet: streaming reader for .xlsx, .ods and .csv (libzip + libxml2 xmlTextReader + iconv).
 * See sheet.h for what it owns and the bounds it enforces. */
#include "sheet.h"
#include "i18n.h"

#include "fileio.h"

#include <errno.h>
#include <iconv.h>
#include <libxml/xmlreader.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <utf8proc.h>
#include <unistd.h>
#include <zip.h>

/* ---------- rows and merged ranges ---------- */

typedef struct {
  int r1, r2;
  size_t c1, c2;
  char *val;    /* value of the top-left cell, captured when row r1 is read */
} merge;

typedef struct {
  sh_buf *cols;     /* cap entries */
  size_t cap, n;    /* n = columns touched */
  char **ptrs;
  bool *copied;
  sh_sheet_row row;
} rowbuf;

static sh_buf *row_cell(rowbuf *rb, size_t col) {
  if (col >= rb->cap) {
    size_t cap = rb->cap ? rb->cap : 16;
    while (cap <= col) cap *= 2;
    rb->cols = sh_realloc(rb->cols, cap * sizeof *rb->cols);
    rb->ptrs = sh_realloc(rb->ptrs, cap * sizeof *rb->ptrs);
    rb->copied = sh_realloc(rb->copied, cap * sizeof *rb->copied);
    for (size_t i = rb->cap; i < cap; i++) sh_buf_init(&rb->cols[i]);
    rb->cap = cap;
  }
  for (size_t i = rb->n; i <= col; i++) {
    sh_buf_clear(&rb->cols[i]);
    rb->copied[i] = false;
  }
  if (col + 1 > rb->n) rb->n = col + 1;
  return &rb->cols[col];
}

static void row_reset(rowbuf *rb) {
  for (size_t i = 0; i < rb->n; i++) {
    sh_buf_clear(&rb->cols[i]);
    rb->copied[i] = false;
  }
  rb->n = 0;
  rb->row.hidden = false;
  rb->row.row = 0;
  rb->row.line = 0;
}

static void row_free(rowbuf *rb) {
  for (size_t i = 0; i < rb->cap; i++) sh_buf_free(&rb->cols[i]);
  free(rb->cols);
  free(rb->ptrs);
  free(rb->copied);
  memset(rb, 0, sizeof *rb);
}

/* Finishes a row: trailing empty cells dropped, pointers set. Returns true when a cell is non-empty. */
static bool row_finish(rowbuf *rb) {
  while (rb->n > 0 && rb->cols[rb->n - 1].len == 0) rb->n--;
  for (size_t i = 0; i < rb->n; i++) rb->ptrs[i] = (char *)sh_buf_str(&rb->cols[i]);
  rb->row.ncols = rb->n;
  rb->row.cells = rb->ptrs;
  rb->row.copied = rb->copied;
  return rb->n > 0;
}

/* ---------- the reader ---------- */

typedef struct {
  char *name;
  char *member;  /* XLSX: archive member of the worksheet */
  bool hidden;
} sheetinfo;

struct sh_sheet {
  char *path;
  sh_sheet_format fmt;
  sh_vec sheets;          /* sheetinfo* */
  int cur;                /* selected sheet, -1 none */
  bool failed, done;
  rowbuf rb;
  /* merged ranges of the selected sheet, sorted by r1 (XLSX) or in reading order (ODS) */
  merge *merges;
  size_t nmerges, capmerges;
  /* archive */
  zip_t *zip;
  sh_vec sst;             /* XLSX shared strings (char*) */
  xmlTextReaderPtr xr;
  struct member *mem;
  int last_row;
  size_t last_col;
  /* ODS: rows still to repeat */
  long ods_repeat;
  int ods_depth_table;
  /* CSV */
  FILE *csv;
  iconv_t cd;             /* (iconv_t)-1 when the file is UTF-8 */
  char *raw, *dec;        /* raw input chunk, decoded output */
  size_t rawlen, declen, decpos;
  bool eof;
  int line;               /* current CSV line */
  int record;             /* CSV records read */
  bool merge_overflow;    /* more than SH_SHEET_MAX_MERGES merged ranges */
  size_t cells_total;     /* cells returned from the selected sheet */
  size_t merge_copies;    /* cells filled from merged ranges in the selected sheet */
  char delim;
  char *encoding;
};

static bool parse_ref(const char *ref, size_t *col, int *row);
static char *where_at(const sh_sheet *s, int row, size_t col);

/* ---------- archive members ---------- */

struct member {
  zip_file_t *zf;
  char *name;
  zip_uint64_t size, read;
  sh_sheet *s;
  char *err;              /* first XML error, owned */
  int err_line, err_col;
  bool too_big;
};

static void member_free(struct member *m) {
  if (!m) return;
  if (m->zf) zip_fclose(m->zf);
  free(m->name);
  free(m->err);
  free(m);
}

static void err_at_sheet(sh_sheet *s, sh_diags *d, const char *fmt, ...) SH_PRINTF(3, 4);
static void err_at_sheet(sh_sheet *s, sh_diags *d, const char *fmt, ...) {
  char *where = s->cur >= 0 ? sh_printf("%s:%s", s->path, ((sheetinfo *)s->sheets.v[s->cur])->name)
                            : sh_strdup(s->path);
  va_list ap;
  va_start(ap, fmt);
  sh_diag_vadd(d, SH_SEV_ERROR, where, 0, 0, fmt, ap);
  va_end(ap);
  free(where);
}

/* Opens a member after checking its size, compression ratio and encryption. NULL with an error. */
static struct member *member_open(sh_sheet *s, const char *name, bool required, sh_diags *d) {
  zip_stat_t st;
  zip_stat_init(&st);
  if (zip_stat(s->zip, name, 0, &st) != 0) {
    if (required) err_at_sheet(s, d, "not a spreadsheet: the archive has no %s", name);
    return NULL;
  }
  if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE) {
    err_at_sheet(s, d, "encrypted file: archive member %s is encrypted (save the file without a password)", name);
    return NULL;
  }
  if ((st.valid & ZIP_STAT_SIZE) && st.size > SH_SHEET_MAX_MEMBER) {
    err_at_sheet(s, d, "archive member %s is too large: %llu bytes uncompressed (limit %zu)", name,
                 (unsigned long long)st.size, SH_SHEET_MAX_MEMBER);
    return NULL;
  }
  if ((st.valid & ZIP_STAT_SIZE) && (st.valid & ZIP_STAT_COMP_SIZE) && st.size > 1024 * 1024 &&
      st.size / (st.comp_size ? st.comp_size : 1) > SH_SHEET_MAX_RATIO) {
    err_at_sheet(s, d, "archive member %s expands %llu times (limit %d): refusing a possible ZIP bomb", name,
                 (unsigned long long)(st.size / (st.comp_size ? st.comp_size : 1)), SH_SHEET_MAX_RATIO);
    return NULL;
  }
  zip_file_t *zf = zip_fopen(s->zip, name, 0);
  if (!zf) {
    err_at_sheet(s, d, "cannot read archive member %s: %s", name, zip_strerror(s->zip));
    return NULL;
  }
  struct member *m = sh_calloc(1, sizeof *m);
  m->zf = zf;
  m->name = sh_strdup(name);
  m->size = (st.valid & ZIP_STAT_SIZE) ? st.size : SH_SHEET_MAX_MEMBER;
  m->s = s;
  return m;
}

static int member_read(void *ctx, char *buf, int len) {
  struct member *m = ctx;
  zip_int64_t n = zip_fread(m->zf, buf, (zip_uint64_t)len);
  if (n < 0) return -1;
  m->read += (zip_uint64_t)n;
  if (m->read > m->size || m->read > SH_SHEET_MAX_MEMBER) {
    m->too_big = true;
    return -1;
  }
  return (int)n;
}

static int member_close(void *ctx) {
  (void)ctx;
  return 0;
}

static void xml_error(void *arg, xmlErrorPtr e) {
  struct member *m = arg;
  if (m->err || !e) return;
  const char *msg = e->message ? e->message : _("malformed XML");
  size_t n = strlen(msg);
  while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' ')) n--;
  m->err = sh_strndup(msg, n);
  m->err_line = e->line;
  m->err_col = e->int2;
}

static xmlTextReaderPtr xml_open(struct member *m) {
  xmlTextReaderPtr r = xmlReaderForIO(member_read, member_close, m, m->name, NULL,
                                      XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                                          XML_PARSE_COMPACT);
  if (r) xmlTextReaderSetStructuredErrorHandler(r, xml_error, m);
  return r;
}

/* The reader delivers nodes a little behind the parser, so the cell reached when a worksheet's XML
 * breaks is found again from the parser's line and column: the last <c r="..."> (and <row r="...">)
 * that starts before that position in the member's bytes. */
static void xlsx_locate(sh_sheet *s, struct member *m) {
  if (m->err_line <= 0) return;
  sh_diags ignored = {0};
  struct member *again = member_open(s, m->name, false, &ignored);
  sh_diags_free(&ignored);
  if (!again) return;
  char buf[16384], tag[64];
  size_t taglen = 0;
  bool in_tag = false;
  int line = 1, col = 0;
  int n;
  while ((n = member_read(again, buf, sizeof buf)) > 0) {
    for (int i = 0; i < n; i++) {
      char c = buf[i];
      if (c == '\n') {
        line++;
        col = 0;
      } else if (((unsigned char)c & 0xC0) != 0x80) {
        col++;
      }
      if (line > m->err_line || (line == m->err_line && col >= m->err_col)) goto out;
      if (c == '<') {
        in_tag = true;
        taglen = 0;
      }
      if (in_tag && taglen < sizeof tag - 1) tag[taglen++] = c;
      if (in_tag && (c == '>' || taglen == sizeof tag - 1)) {
        tag[taglen] = '\0';
        in_tag = false;
        const char *r = strstr(tag, " r=\"");
        size_t cc;
        int rr;
        char ref[24];
        if (r && (strncmp(tag, "<c ", 3) == 0 || strncmp(tag, "<row ", 5) == 0)) {
          size_t k = 0;
          for (r += 4; *r && *r != '"' && k < sizeof ref - 1; r++) ref[k++] = *r;
          ref[k] = '\0';
          if (tag[1] == 'c' && parse_ref(ref, &cc, &rr)) {
            s->last_row = rr;
            s->last_col = cc;
          } else if (tag[1] == 'r' && atoi(ref) > 0) {
            s->last_row = atoi(ref);
            s->last_col = 0;
          }
        }
      }
    }
  }
out:
  member_free(again);
}

/* Reports why reading a member stopped. */
static void xml_fail(sh_sheet *s, struct member *m, sh_diags *d) {
  if (!m->too_big && s->cur >= 0 && s->fmt == SH_SHEET_XLSX && m == s->mem) xlsx_locate(s, m);
  if (m->too_big) {
    err_at_sheet(s, d, "archive member %s holds more data than it declares or than the limit (%zu bytes)", m->name,
                 SH_SHEET_MAX_MEMBER);
  } else if (s->cur >= 0 && s->last_row > 0) {
    char *where = where_at(s, s->last_row, s->last_col);
    sh_error(d, where, 0, 0, "broken XML in %s line %d: %s", m->name, m->err_line,
             m->err ? m->err : _("unreadable data"));
    free(where);
  } else {
    char *where = sh_printf("%s:%s", s->path, m->name);
    sh_error(d, where, m->err_line, m->err_col > 0 ? m->err_col : 0, "broken XML: %s",
             m->err ? m->err : _("unreadable data"));
    free(where);
  }
}

static bool name_is(xmlTextReaderPtr r, const char *local) {
  const xmlChar *n = xmlTextReaderConstLocalName(r);
  return n && strcmp((const char *)n, local) == 0;
}

static char *attr(xmlTextReaderPtr r, const char *name) {
  return (char *)xmlTextReaderGetAttribute(r, (const xmlChar *)name);
}

static char *attr_ns(xmlTextReaderPtr r, const char *local, const char *ns) {
  return (char *)xmlTextReaderGetAttributeNs(r, (const xmlChar *)local, (const xmlChar *)ns);
}

static bool is_text_node(int t) {
  return t == XML_READER_TYPE_TEXT || t == XML_READER_TYPE_CDATA || t == XML_READER_TYPE_WHITESPACE ||
         t == XML_READER_TYPE_SIGNIFICANT_WHITESPACE;
}

/* Appends text decoding Excel's _xHHHH_ escapes. */
static void put_xlsx_text(sh_buf *b, const char *t) {
  while (*t) {
    if (t[0] == '_' && t[1] == 'x' && strlen(t) >= 7 && t[6] == '_') {
      char hex[5] = {t[2], t[3], t[4], t[5], 0};
      char *end;
      long cp = strtol(hex, &end, 16);
      if (*end == '\0' && cp > 0) {
        utf8proc_uint8_t enc[4];
        utf8proc_ssize_t n = utf8proc_encode_char((utf8proc_int32_t)cp, enc);
        sh_buf_put(b, (const char *)enc, (size_t)n);
        t += 7;
        continue;
      }
    }
    sh_buf_putc(b, *t++);
  }
}

/* ---------- cell references ---------- */

void sh_sheet_col_name(size_t col, char buf[8]) {
  char tmp[8];
  int n = 0;
  col++;
  while (col > 0 && n < 7) {
    col--;
    tmp[n++] = (char)('A' + col % 26);
    col /= 26;
  }
  for (int i = 0; i < n; i++) buf[i] = tmp[n - 1 - i];
  buf[n] = '\0';
}

long sh_sheet_col_parse(const char *s) {
  long col = 0;
  size_t n = 0;
  for (; s[n]; n++) {
    char c = s[n];
    if (c >= 'a' && c <= 'z') c = (char)(c - 'a' + 'A');
    if (c < 'A' || c > 'Z') return -1;
    col = col * 26 + (c - 'A' + 1);
    if (col > SH_SHEET_MAX_COLS) return -1;
  }
  return n ? col - 1 : -1;
}

/* Parses "D17" into column and row; returns false when malformed. */
static bool parse_ref(const char *ref, size_t *col, int *row) {
  long c = 0;
  const char *p = ref;
  while ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z')) {
    char ch = (char)(*p >= 'a' ? *p - 'a' + 'A' : *p);
    c = c * 26 + (ch - 'A' + 1);
    if (c > SH_SHEET_MAX_COLS) return false;
    p++;
  }
  if (p == ref || c == 0) return false;
  long r = 0;
  const char *q = p;
  while (*p >= '0' && *p <= '9') {
    r = r * 10 + (*p - '0');
    if (r > 100000000) return false;
    p++;
  }
  if (p == q || *p || r == 0) return false;
  *col = (size_t)(c - 1);
  *row = (int)r;
  return true;
}

static char *where_at(const sh_sheet *s, int row, size_t col) {
  if (s->fmt == SH_SHEET_CSV) return sh_printf("%s:%d", s->path, row);
  const char *sheet = sh_sheet_current(s);
  if (col == (size_t)-1) return sh_printf("%s:%s!%d:%d", s->path, sheet ? sheet : "", row, row);
  char c[8];
  sh_sheet_col_name(col, c);
  return sh_printf("%s:%s!%s%d", s->path, sheet ? sheet : "", c, row);
}

char *sh_sheet_where(const sh_sheet *s, const sh_sheet_row *r, size_t col) {
  return where_at(s, s->fmt == SH_SHEET_CSV ? r->line : r->row, col);
}

const char *sh_sheet_path(const sh_sheet *s) { return s->path; }
const char *sh_sheet_current(const sh_sheet *s) {
  return s->cur >= 0 ? ((sheetinfo *)s->sheets.v[s->cur])->name : NULL;
}
sh_sheet_format sh_sheet_get_format(const sh_sheet *s) { return s->fmt; }
size_t sh_sheet_count(const sh_sheet *s) { return s->sheets.n; }
const char *sh_sheet_name(const sh_sheet *s, size_t i) {
  return i < s->sheets.n ? ((sheetinfo *)s->sheets.v[i])->name : NULL;
}
bool sh_sheet_is_hidden(const sh_sheet *s, size_t i) {
  return i < s->sheets.n && ((sheetinfo *)s->sheets.v[i])->hidden;
}
int sh_sheet_find(const sh_sheet *s, const char *name) {
  for (size_t i = 0; i < s->sheets.n; i++)
    if (strcmp(((sheetinfo *)s->sheets.v[i])->name, name) == 0) return (int)i;
  return -1;
}

static void add_sheet(sh_sheet *s, const char *name, const char *member, bool hidden) {
  sheetinfo *si = sh_calloc(1, sizeof *si);
  si->name = sh_strdup(name);
  si->member = sh_strdup(member);
  si->hidden = hidden;
  sh_vec_push(&s->sheets, si);
}

static void sheetinfo_free(void *p) {
  sheetinfo *si = p;
  free(si->name);
  free(si->member);
  free(si);
}

/* ---------- merges ---------- */

static void merges_clear(sh_sheet *s) {
  for (size_t i = 0; i < s->nmerges; i++) free(s->merges[i].val);
  s->nmerges = 0;
}

static void merge_add(sh_sheet *s, int r1, size_t c1, int r2, size_t c2) {
  if (s->nmerges >= SH_SHEET_MAX_MERGES) {
    s->merge_overflow = true; /* reported by sh_sheet_select / sh_sheet_next */
    return;
  }
  if (s->nmerges == s->capmerges) {
    s->capmerges = s->capmerges ? s->capmerges * 2 : 16;
    s->merges = sh_realloc(s->merges, s->capmerges * sizeof *s->merges);
  }
  s->merges[s->nmerges++] = (merge){r1, r2, c1, c2, NULL};
}

static int merge_cmp(const void *a, const void *b) {
  const merge *x = a, *y = b;
  return (x->r1 > y->r1) - (x->r1 < y->r1);
}

/* Gives every cell of the merged ranges covering the current row the range's value. */
static void merges_apply(sh_sheet *s) {
  rowbuf *rb = &s->rb;
  int r = rb->row.row;
  size_t budget = 4 * SH_SHEET_MAX_COLS; /* ranges visited and cells copied for one row */
  for (size_t i = 0; i < s->nmerges; i++) {
    merge *m = &s->merges[i];
    if (m->r1 > r) {
      if (s->fmt == SH_SHEET_XLSX) break; /* sorted by r1 */
      continue;
    }
    if (m->r2 < r) continue;
    if (budget-- == 0) {
      s->merge_overflow = true;
      return;
    }
    if (m->r1 == r && !m->val)
      m->val = sh_strdup(m->c1 < rb->n ? sh_buf_str(&rb->cols[m->c1]) : "");
    if (!m->val || !m->val[0]) continue;
    size_t c2 = m->c2 < SH_SHEET_MAX_COLS ? m->c2 : SH_SHEET_MAX_COLS - 1;
    for (size_t c = m->c1; c <= c2; c++) {
      if (c == m->c1 && r == m->r1) continue;
      if (budget-- == 0 || ++s->merge_copies > SH_SHEET_MAX_MERGE_COPIES) {
        s->merge_overflow = true;
        return;
      }
      sh_buf *b = row_cell(rb, c);
      sh_buf_clear(b);
      sh_buf_puts(b, m->val);
      rb->copied[c] = true;
    }
  }
}

/* Drops ranges that ended before row r (keeps the list short on long sheets). */
static void merges_prune(sh_sheet *s, int r) {
  size_t j = 0;
  for (size_t i = 0; i < s->nmerges; i++) {
    if (s->merges[i].r2 < r) {
      free(s->merges[i].val);
      continue;
    }
    s->merges[j++] = s->merges[i];
  }
  s->nmerges = j;
}

/* ---------- XLSX ---------- */

static const char *NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

static int xlsx_read_strings(sh_sheet *s, sh_diags *d) {
  struct member *m = member_open(s, "xl/sharedStrings.xml", false, d);
  if (!m) return d->nerrors ? -1 : 0;
  xmlTextReaderPtr r = xml_open(m);
  sh_buf cur = {0};
  bool in_si = false, in_t = false;
  int rph = 0, rc;
  while ((rc = xmlTextReaderRead(r)) == 1) {
    int t = xmlTextReaderNodeType(r);
    if (t == XML_READER_TYPE_ELEMENT) {
      bool empty = xmlTextReaderIsEmptyElement(r);
      if (name_is(r, "si")) {
        in_si = true;
        sh_buf_clear(&cur);
        if (empty) {
          sh_vec_push(&s->sst, sh_strdup(""));
          in_si = false;
        }
      } else if (name_is(r, "rPh")) {
        if (!empty) rph++;
      } else if (name_is(r, "t")) {
        in_t = !empty;
      }
    } else if (t == XML_READER_TYPE_END_ELEMENT) {
      if (name_is(r, "si") && in_si) {
        sh_vec_push(&s->sst, sh_strdup(sh_buf_str(&cur)));
        in_si = false;
      } else if (name_is(r, "rPh")) {
        if (rph > 0) rph--;
      } else if (name_is(r, "t")) {
        in_t = false;
      }
    } else if (in_si && in_t && rph == 0 && is_text_node(t)) {
      const char *v = (const char *)xmlTextReaderConstValue(r);
      if (v) {
        if (cur.len + strlen(v) > SH_SHEET_MAX_CELL) {
          rc = -2;
          break;
        }
        put_xlsx_text(&cur, v);
      }
    }
  }
  sh_buf_free(&cur);
  if (rc == -2) err_at_sheet(s, d, "a shared string is longer than %zu bytes", SH_SHEET_MAX_CELL);
  else if (rc < 0) xml_fail(s, m, d);
  xmlFreeTextReader(r);
  member_free(m);
  return rc < 0 ? -1 : 0;
}

static int xlsx_open(sh_sheet *s, sh_diags *d) {
  /* relationships: r:id -> member */
  sh_strmap rels = {0};
  sh_vec relvals = {0};
  struct member *m = member_open(s, "xl/_rels/workbook.xml.rels", true, d);
  if (!m) return -1;
  xmlTextReaderPtr r = xml_open(m);
  int rc;
  while ((rc = xmlTextReaderRead(r)) == 1) {
    if (xmlTextReaderNodeType(r) == XML_READER_TYPE_ELEMENT && name_is(r, "Relationship")) {
      char *id = attr(r, "Id"), *target = attr(r, "Target");
      if (id && target) {
        char *full = target[0] == '/' ? sh_strdup(target + 1) : sh_printf("xl/%s", target);
        sh_strmap_put(&rels, id, full);
        sh_vec_push(&relvals, full);
      }
      xmlFree(id);
      xmlFree(target);
    }
  }
  if (rc < 0) xml_fail(s, m, d);
  xmlFreeTextReader(r);
  member_free(m);
  if (rc >= 0) {
    m = member_open(s, "xl/workbook.xml", true, d);
    if (m) {
      r = xml_open(m);
      while ((rc = xmlTextReaderRead(r)) == 1) {
        if (xmlTextReaderNodeType(r) == XML_READER_TYPE_ELEMENT && name_is(r, "sheet")) {
          char *name = attr(r, "name"), *state = attr(r, "state"), *rid = attr_ns(r, "id", NS_R);
          const char *member = rid ? sh_strmap_get(&rels, rid) : NULL;
          if (name && member)
            add_sheet(s, name, member, state && strcmp(state, "visible") != 0);
          xmlFree(name);
          xmlFree(state);
          xmlFree(rid);
        }
      }
      if (rc < 0) xml_fail(s, m, d);
      xmlFreeTextReader(r);
      member_free(m);
    } else {
      rc = -1;
    }
  }
  sh_strmap_free(&rels);
  sh_vec_free_all(&relvals, free);
  if (rc < 0) return -1;
  if (s->sheets.n == 0) {
    err_at_sheet(s, d, "the workbook lists no sheets");
    return -1;
  }
  return xlsx_read_strings(s, d);
}

/* First pass over a worksheet: its merged ranges (they follow the cells in the file). */
static int xlsx_read_merges(sh_sheet *s, const char *member, sh_diags *d) {
  struct member *m = member_open(s, member, true, d);
  if (!m) return -1;
  xmlTextReaderPtr r = xml_open(m);
  int rc = xmlTextReaderRead(r);
  while (rc == 1) {
    if (xmlTextReaderNodeType(r) == XML_READER_TYPE_ELEMENT && name_is(r, "sheetData")) {
      rc = xmlTextReaderNext(r); /* skip the cells without looking at them */
      continue;
    }
    if (xmlTextReaderNodeType(r) == XML_READER_TYPE_ELEMENT && name_is(r, "mergeCell")) {
      char *ref = attr(r, "ref");
      char *colon = ref ? strchr(ref, ':') : NULL;
      size_t c1, c2;
      int r1, r2;
      if (colon) {
        *colon = '\0';
        if (parse_ref(ref, &c1, &r1) && parse_ref(colon + 1, &c2, &r2) && r1 <= r2 && c1 <= c2)
          merge_add(s, r1, c1, r2, c2);
      }
      xmlFree(ref);
    }
    rc = xmlTextReaderRead(r);
  }
  /* Broken XML is reported by the row pass, which knows the cell it was reading. */
  bool too_big = rc < 0 && m->too_big;
  if (too_big) xml_fail(s, m, d);
  xmlFreeTextReader(r);
  member_free(m);
  if (too_big) return -1;
  if (s->nmerges > 1) qsort(s->merges, s->nmerges, sizeof *s->merges, merge_cmp);
  return 0;
}

static int xlsx_select(sh_sheet *s, sheetinfo *si, sh_diags *d) {
  if (xlsx_read_merges(s, si->member, d) != 0) return -1;
  s->mem = member_open(s, si->member, true, d);
  if (!s->mem) return -1;
  s->xr = xml_open(s->mem);
  return 0;
}

/* Reads the next <row>. 1 row, 0 end, -1 error. */
static int xlsx_next(sh_sheet *s, sh_diags *d) {
  xmlTextReaderPtr r = s->xr;
  rowbuf *rb = &s->rb;
  int rc;
  bool in_row = false, in_v = false, in_is_t = false;
  int rph = 0;
  char *ctype = NULL;
  size_t col = 0, next_col = 0;
  sh_buf val = {0};
  int result = 0;
  while ((rc = xmlTextReaderRead(r)) == 1) {
    int t = xmlTextReaderNodeType(r);
    if (t == XML_READER_TYPE_ELEMENT) {
      bool empty = xmlTextReaderIsEmptyElement(r);
      if (name_is(r, "row")) {
        row_reset(rb);
        char *rn = attr(r, "r"), *hid = attr(r, "hidden");
        long n = rn ? strtol(rn, NULL, 10) : s->last_row + 1;
        if (n <= s->last_row && rn) n = s->last_row + 1; /* out-of-order rows: keep counting */
        if (n < 1) n = s->last_row + 1;
        if (n > SH_SHEET_MAX_ROWS) n = SH_SHEET_MAX_ROWS; /* reported by sh_sheet_next */
        rb->row.row = (int)n;
        rb->row.hidden = hid && (strcmp(hid, "1") == 0 || strcmp(hid, "true") == 0);
        xmlFree(rn);
        xmlFree(hid);
        s->last_row = rb->row.row;
        next_col = 0;
        if (empty) {
          merges_apply(s);
          if (row_finish(rb)) {
            result = 1;
            break;
          }
          continue;
        }
        in_row = true;
      } else if (in_row && name_is(r, "c")) {
        char *ref = attr(r, "r");
        int rr;
        if (!ref || !parse_ref(ref, &col, &rr)) col = next_col;
        xmlFree(ref);
        if (col >= SH_SHEET_MAX_COLS) col = SH_SHEET_MAX_COLS - 1;
        next_col = col + 1;
        s->last_col = col;
        xmlFree(ctype);
        ctype = attr(r, "t");
        sh_buf_clear(&val);
        if (empty) continue;
      } else if (in_row && (name_is(r, "v"))) {
        in_v = !empty;
      } else if (in_row && name_is(r, "rPh")) {
        if (!empty) rph++;
      } else if (in_row && name_is(r, "t")) {
        in_is_t = !empty;
      }
    } else if (t == XML_READER_TYPE_END_ELEMENT) {
      if (name_is(r, "v")) in_v = false;
      else if (name_is(r, "t")) in_is_t = false;
      else if (name_is(r, "rPh")) {
        if (rph > 0) rph--;
      } else if (in_row && name_is(r, "c")) {
        const char *shown = sh_buf_str(&val);
        sh_buf *cell = row_cell(rb, col);
        if (ctype && strcmp(ctype, "s") == 0) {
          char *end;
          long idx = strtol(shown, &end, 10);
          if (val.len == 0 || *end || idx < 0 || (size_t)idx >= s->sst.n) {
            char *where = where_at(s, rb->row.row, col);
            sh_error(d, where, 0, 0, "shared string %s does not exist (the file has %zu)", shown, s->sst.n);
            free(where);
            result = -1;
            break;
          }
          sh_buf_puts(cell, s->sst.v[idx]);
        } else if (ctype && strcmp(ctype, "b") == 0) {
          sh_buf_puts(cell, strcmp(shown, "1") == 0 ? "TRUE" : strcmp(shown, "0") == 0 ? "FALSE" : shown);
        } else {
          sh_buf_puts(cell, shown);
        }
        xmlFree(ctype);
        ctype = NULL;
      } else if (in_row && name_is(r, "row")) {
        in_row = false;
        merges_apply(s);
        if (row_finish(rb)) {
          result = 1;
          break;
        }
      }
    } else if (in_row && rph == 0 && (in_v || in_is_t) && is_text_node(t)) {
      const char *v = (const char *)xmlTextReaderConstValue(r);
      if (v) {
        if (val.len + strlen(v) > SH_SHEET_MAX_CELL) {
          char *where = where_at(s, rb->row.row, col);
          sh_error(d, where, 0, 0, "cell is longer than %zu bytes", SH_SHEET_MAX_CELL);
          free(where);
          result = -1;
          break;
        }
        if (in_is_t) put_xlsx_text(&val, v);
        else sh_buf_puts(&val, v);
      }
    }
  }
  xmlFree(ctype);
  sh_buf_free(&val);
  if (result == 0 && rc < 0) {
    xml_fail(s, s->mem, d);
    result = -1;
  }
  if (result == 1 && s->rb.row.row % 256 == 0) merges_prune(s, s->rb.row.row);
  return result;
}

/* ---------- ODS ---------- */

static const char *NS_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0";
static const char *NS_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0";
static const char *NS_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0";

static bool ns_is(xmlTextReaderPtr r, const char *ns) {
  const xmlChar *u = xmlTextReaderConstNamespaceUri(r);
  return u && strcmp((const char *)u, ns) == 0;
}

static int ods_open(sh_sheet *s, sh_diags *d) {
  struct member *m = member_open(s, "META-INF/manifest.xml", false, d);
  if (m) {
    xmlTextReaderPtr r = xml_open(m);
    int rc;
    bool enc = false;
    while ((rc = xmlTextReaderRead(r)) == 1)
      if (xmlTextReaderNodeType(r) == XML_READER_TYPE_ELEMENT && name_is(r, "encryption-data")) enc = true;
    if (rc < 0) xml_fail(s, m, d);
    xmlFreeTextReader(r);
    member_free(m);
    if (rc < 0) return -1;
    if (enc) {
      err_at_sheet(s, d, "encrypted file: the document is password-protected (save it without a password)");
      return -1;
    }
  } else if (d->nerrors) {
    return -1;
  }
  m = member_open(s, "content.xml", true, d);
  if (!m) return -1;
  xmlTextReaderPtr r = xml_open(m);
  int rc = xmlTextReaderRead(r);
  while (rc == 1) {
    if (xmlTextReaderNodeType(r) == XML_READER_TYPE_ELEMENT && name_is(r, "table") && ns_is(r, NS_TABLE)) {
      char *name = attr_ns(r, "name", NS_TABLE);
      char member[32];
      snprintf(member, sizeof member, "%zu", s->sheets.n);
      add_sheet(s, name ? name : "", member, false);
      xmlFree(name);
      rc = xmlTextReaderNext(r); /* skip the sheet's content */
      continue;
    }
    rc = xmlTextReaderRead(r);
  }
  if (rc < 0) xml_fail(s, m, d);
  xmlFreeTextReader(r);
  member_free(m);
  if (rc < 0) return -1;
  if (s->sheets.n == 0) {
    err_at_sheet(s, d, "the document has no sheets");
    return -1;
  }
  return 0;
}

static int ods_select(sh_sheet *s, size_t idx, sh_diags *d) {
  s->mem = member_open(s, "content.xml", true, d);
  if (!s->mem) return -1;
  s->xr = xml_open(s->mem);
  size_t seen = 0;
  int rc = xmlTextReaderRead(s->xr);
  while (rc == 1) {
    if (xmlTextReaderNodeType(s->xr) == XML_READER_TYPE_ELEMENT && name_is(s->xr, "table") &&
        ns_is(s->xr, NS_TABLE)) {
      if (seen == idx) {
        s->ods_depth_table = xmlTextReaderDepth(s->xr);
        if (xmlTextReaderIsEmptyElement(s->xr)) s->done = true;
        return 0;
      }
      seen++;
      rc = xmlTextReaderNext(s->xr);
      continue;
    }
    rc = xmlTextReaderRead(s->xr);
  }
  if (rc < 0) xml_fail(s, s->mem, d);
  else err_at_sheet(s, d, "sheet %zu not found in content.xml", idx + 1);
  return -1;
}

static long attr_long(xmlTextReaderPtr r, const char *local, const char *ns, long dflt, long max) {
  char *v = attr_ns(r, local, ns);
  long n = dflt;
  if (v) {
    char *end;
    n = strtol(v, &end, 10);
    if (*end || n < 1) n = dflt;
    if (n > max) n = max;
  }
  xmlFree(v);
  return n;
}

/* Reads the text of the current cell element (text:p paragraphs joined by newlines). On return the
 * reader is on the cell's end (or on the cell itself when it is empty). */
static int ods_cell_text(sh_sheet *s, sh_buf *out, sh_diags *d) {
  xmlTextReaderPtr r = s->xr;
  int depth = xmlTextReaderDepth(r);
  int paras = 0, rc;
  int skip_depth = -1;
  while ((rc = xmlTextReaderRead(r)) == 1) {
    int t = xmlTextReaderNodeType(r);
    int dep = xmlTextReaderDepth(r);
    if (t == XML_READER_TYPE_END_ELEMENT && dep == depth) return 1;
    if (skip_depth >= 0) {
      if (t == XML_READER_TYPE_END_ELEMENT && dep == skip_depth) skip_depth = -1;
      continue;
    }
    if (t == XML_READER_TYPE_ELEMENT) {
      bool empty = xmlTextReaderIsEmptyElement(r);
      if (name_is(r, "annotation") && ns_is(r, NS_OFFICE)) {
        if (!empty) skip_depth = dep;
      } else if (ns_is(r, NS_TEXT) && name_is(r, "p") && dep == depth + 1) {
        if (paras++ > 0) sh_buf_putc(out, '\n');
      } else if (ns_is(r, NS_TEXT) && name_is(r, "s")) {
        long n = attr_long(r, "c", NS_TEXT, 1, 1000);
        for (long i = 0; i < n; i++) sh_buf_putc(out, ' ');
      } else if (ns_is(r, NS_TEXT) && name_is(r, "tab")) {
        sh_buf_putc(out, '\t');
      } else if (ns_is(r, NS_TEXT) && name_is(r, "line-break")) {
        sh_buf_putc(out, '\n');
      }
    } else if (is_text_node(t) && dep > depth + 1) {
      const char *v = (const char *)xmlTextReaderConstValue(r);
      if (v) sh_buf_puts(out, v);
    }
    if (out->len > SH_SHEET_MAX_CELL) {
      char *where = where_at(s, s->rb.row.row, s->last_col);
      sh_error(d, where, 0, 0, "cell is longer than %zu bytes", SH_SHEET_MAX_CELL);
      free(where);
      return -1;
    }
  }
  return rc < 0 ? -2 : 0;
}

#define ODS_MAX_ROWS 1048576

static int ods_next(sh_sheet *s, sh_diags *d) {
  xmlTextReaderPtr r = s->xr;
  rowbuf *rb = &s->rb;
  if (s->ods_repeat > 0) { /* the same non-empty row again */
    s->ods_repeat--;
    rb->row.row = ++s->last_row;
    merges_apply(s);
    row_finish(rb);
    return 1;
  }
  int rc;
  bool in_row = false;
  long row_repeat = 1;
  size_t col = 0;
  sh_buf text = {0};
  int result = 0;
  while ((rc = xmlTextReaderRead(r)) == 1) {
    int t = xmlTextReaderNodeType(r);
    int dep = xmlTextReaderDepth(r);
    if (t == XML_READER_TYPE_END_ELEMENT && dep == s->ods_depth_table) {
      s->done = true;
      break;
    }
    if (t == XML_READER_TYPE_ELEMENT && ns_is(r, NS_TABLE)) {
      bool empty = xmlTextReaderIsEmptyElement(r);
      if (name_is(r, "table-row")) {
        row_reset(rb);
        row_repeat = attr_long(r, "number-rows-repeated", NS_TABLE, 1, ODS_MAX_ROWS);
        char *vis = attr_ns(r, "visibility", NS_TABLE);
        rb->row.hidden = vis && strcmp(vis, "visible") != 0;
        xmlFree(vis);
        rb->row.row = s->last_row + 1;
        col = 0;
        if (empty) {
          s->last_row = s->last_row + row_repeat > SH_SHEET_MAX_ROWS ? SH_SHEET_MAX_ROWS : s->last_row + (int)row_repeat;
          continue;
        }
        in_row = true;
      } else if (in_row && (name_is(r, "table-cell") || name_is(r, "covered-table-cell"))) {
        long rep = attr_long(r, "number-columns-repeated", NS_TABLE, 1, SH_SHEET_MAX_COLS);
        long cspan = attr_long(r, "number-columns-spanned", NS_TABLE, 1, SH_SHEET_MAX_COLS);
        long rspan = attr_long(r, "number-rows-spanned", NS_TABLE, 1, ODS_MAX_ROWS);
        char *sval = attr_ns(r, "string-value", NS_OFFICE);
        char *nval = attr_ns(r, "value", NS_OFFICE);
        s->last_col = col;
        sh_buf_clear(&text);
        bool has_p = false;
        if (!empty) {
          int crc = ods_cell_text(s, &text, d);
          if (crc < 0) {
            xmlFree(sval);
            xmlFree(nval);
            if (crc == -2) xml_fail(s, s->mem, d);
            result = -1;
            break;
          }
          has_p = text.len > 0;
        }
        if (!has_p && sval) sh_buf_puts(&text, sval);
        else if (!has_p && nval) sh_buf_puts(&text, nval);
        xmlFree(sval);
        xmlFree(nval);
        if (text.len > 0) {
          for (long i = 0; i < rep && col + (size_t)i < SH_SHEET_MAX_COLS; i++)
            sh_buf_puts(row_cell(rb, col + (size_t)i), sh_buf_str(&text));
        }
        if ((cspan > 1 || rspan > 1) && name_is(r, "table-cell"))
          merge_add(s, rb->row.row, col, rb->row.row + (int)rspan - 1, col + (size_t)cspan - 1);
        col += (size_t)rep;
        if (col > SH_SHEET_MAX_COLS) col = SH_SHEET_MAX_COLS;
      }
    } else if (t == XML_READER_TYPE_END_ELEMENT && in_row && name_is(r, "table-row") && ns_is(r, NS_TABLE)) {
      in_row = false;
      s->last_row = rb->row.row;
      merges_apply(s);
      if (row_finish(rb)) {
        if (row_repeat > 1) {
          if (rb->row.row + row_repeat > ODS_MAX_ROWS) row_repeat = ODS_MAX_ROWS - rb->row.row;
          s->ods_repeat = row_repeat - 1;
        }
        result = 1;
        break;
      }
      s->last_row = s->last_row + row_repeat - 1 > SH_SHEET_MAX_ROWS ? SH_SHEET_MAX_ROWS
                                                                    : s->last_row + (int)row_repeat - 1;
    }
  }
  sh_buf_free(&text);
  if (result == 0 && !s->done && rc < 0) {
    xml_fail(s, s->mem, d);
    result = -1;
  }
  if (result == 1 && rb->row.row % 256 == 0) merges_prune(s, rb->row.row);
  return result;
}

/* ---------- CSV ---------- */

#define CSV_CHUNK 65536

static bool utf8_valid_stream(FILE *f, bool *bom) {
  unsigned char buf[CSV_CHUNK];
  size_t n;
  int need = 0;
  bool first = true;
  *bom = false;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
    size_t i = 0;
    if (first && n >= 3 && buf[0] == 0xEF && buf[1] == 0xBB && buf[2] == 0xBF) {
      *bom = true;
      i = 3;
    }
    first = false;
    for (; i < n; i++) {
      unsigned char c = buf[i];
      if (need) {
        if ((c & 0xC0) != 0x80) return false;
        need--;
      } else if (c < 0x80) {
      } else if (c >= 0xC2 && c <= 0xDF) need = 1;
      else if (c >= 0xE0 && c <= 0xEF) need = 2;
      else if (c >= 0xF0 && c <= 0xF4) need = 3;
      else return false;
    }
  }
  return need == 0;
}

static int csv_open(sh_sheet *s, int fd, const char *encoding, sh_diags *d) {
  s->csv = fdopen(fd, "rb");
  if (!s->csv) {
    close(fd);
    sh_error_io(d, s->path, 0, 0, "cannot open: %s", sh_fio_strerror(errno));
    return -1;
  }
  struct stat st;
  if (fstat(fileno(s->csv), &st) != 0) {
    sh_error_io(d, s->path, 0, 0, "cannot open: %s", sh_fio_strerror(errno));
    return -1;
  }
  if ((size_t)st.st_size > SH_SHEET_MAX_CSV) {
    sh_error(d, s->path, 0, 0, "file is too large: %lld bytes (limit %zu)", (long long)st.st_size, SH_SHEET_MAX_CSV);
    return -1;
  }
  unsigned char head[4] = {0};
  size_t hn = fread(head, 1, sizeof head, s->csv);
  rewind(s->csv);
  const char *enc = NULL;
  long skip = 0;
  if (hn >= 2 && head[0] == 0xFF && head[1] == 0xFE) enc = "UTF-16LE", skip = 2;
  else if (hn >= 2 && head[0] == 0xFE && head[1] == 0xFF) enc = "UTF-16BE", skip = 2;
  if (!encoding || strcmp(encoding, "auto") == 0) {
    if (!enc) {
      bool bom;
      bool ok = utf8_valid_stream(s->csv, &bom);
      rewind(s->csv);
      if (ok) skip = bom ? 3 : 0;
      enc = ok ? "UTF-8" : "CP932";
    }
  } else {
    enc = encoding;
    if (hn >= 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF) skip = 3;
  }
  s->encoding = sh_strdup(enc);
  char upper[32];
  size_t i = 0;
  for (; enc[i] && i < sizeof upper - 1; i++) upper[i] = (char)(enc[i] >= 'a' && enc[i] <= 'z' ? enc[i] - 32 : enc[i]);
  upper[i] = '\0';
  if ((strcmp(upper, "UTF-8") == 0 || strcmp(upper, "UTF8") == 0) && (!encoding || strcmp(encoding, "auto") == 0)) {
    s->cd = (iconv_t)-1; /* validated above */
  } else {
    s->cd = iconv_open("UTF-8", enc);
    if (s->cd == (iconv_t)-1) {
      sh_error(d, s->path, 0, 0, "unknown encoding %s (try UTF-8, CP932 or SHIFT_JIS)", enc);
      return -1;
    }
  }
  if (skip) fseek(s->csv, skip, SEEK_SET);
  s->raw = sh_malloc(CSV_CHUNK);
  s->dec = sh_malloc(CSV_CHUNK * 4);
  s->line = 1;
  add_sheet(s, strrchr(s->path, '/') ? strrchr(s->path, '/') + 1 : s->path, "", false);
  return 0;
}

/* Refills the decoded buffer. Returns 1 when there is data, 0 at the end, -1 on an error. */
static int csv_fill(sh_sheet *s, sh_diags *d) {
  for (;;) {
    if (s->eof && s->rawlen == 0) return 0;
    if (!s->eof && s->rawlen < CSV_CHUNK) {
      size_t n = fread(s->raw + s->rawlen, 1, CSV_CHUNK - s->rawlen, s->csv);
      if (n == 0) {
        if (ferror(s->csv)) {
          sh_error(d, s->path, s->line, 0, "read error");
          return -1;
        }
        s->eof = true;
      }
      s->rawlen += n;
    }
    if (s->rawlen == 0) return 0;
    if (s->cd == (iconv_t)-1) {
      memcpy(s->dec, s->raw, s->rawlen);
      s->declen = s->rawlen;
      s->decpos = 0;
      s->rawlen = 0;
      return 1;
    }
    char *in = s->raw, *out = s->dec;
    size_t inleft = s->rawlen, outleft = CSV_CHUNK * 4;
    size_t rc = iconv(s->cd, &in, &inleft, &out, &outleft);
    if (rc == (size_t)-1 && errno == EILSEQ) {
      /* count the lines of what did convert to place the error */
      int line = s->line;
      for (char *p = s->dec; p < out; p++)
        if (*p == '\n') line++;
      sh_error(d, s->path, line, 0, "invalid %s byte sequence (give the right --encoding)", s->encoding);
      return -1;
    }
    if (rc == (size_t)-1 && errno == EINVAL && s->eof && out == s->dec) {
      sh_error(d, s->path, s->line, 0, "the file ends inside a %s character", s->encoding);
      return -1;
    }
    memmove(s->raw, in, inleft);
    s->rawlen = inleft;
    s->declen = (size_t)(out - s->dec);
    s->decpos = 0;
    if (s->declen > 0) return 1;
  }
}

/* Next decoded byte, or -1 at the end, -2 on an error. */
static int csv_getc(sh_sheet *s, sh_diags *d) {
  if (s->decpos >= s->declen) {
    int rc = csv_fill(s, d);
    if (rc <= 0) return rc == 0 ? -1 : -2;
  }
  return (unsigned char)s->dec[s->decpos++];
}

static int csv_peek(sh_sheet *s, sh_diags *d) {
  int c = csv_getc(s, d);
  if (c >= 0) s->decpos--;
  return c;
}

static int csv_next(sh_sheet *s, sh_diags *d) {
  rowbuf *rb = &s->rb;
  for (;;) {
    row_reset(rb);
    rb->row.row = ++s->record;
    rb->row.line = s->line;
    size_t col = 0;
    sh_buf *cell = row_cell(rb, 0);
    bool quoted = false, any = false;
    int quote_line = 0;
    int c;
    for (;;) {
      c = csv_getc(s, d);
      if (c == -2) return -1;
      if (c == -1) {
        if (quoted) {
          sh_error(d, s->path, quote_line, 0, "quoted field is not closed before the end of the file");
          return -1;
        }
        break;
      }
      any = true;
      if (quoted) {
        if (c == '"') {
          int n = csv_peek(s, d);
          if (n == '"') {
            csv_getc(s, d);
            sh_buf_putc(cell, '"');
          } else {
            quoted = false;
          }
          continue;
        }
        if (c == '\n') s->line++;
        if (c == '\r' && csv_peek(s, d) == '\n') continue; /* CRLF inside a field is a newline */
        sh_buf_putc(cell, (char)c);
      } else if (c == '"' && cell->len == 0) {
        quoted = true;
        quote_line = s->line;
      } else if (c == s->delim) {
        col++;
        if (col >= SH_SHEET_MAX_COLS) {
          sh_error(d, s->path, rb->row.line, 0, "more than %d columns", SH_SHEET_MAX_COLS);
          return -1;
        }
        cell = row_cell(rb, col);
      } else if (c == '\r' || c == '\n') {
        if (c == '\r' && csv_peek(s, d) == '\n') csv_getc(s, d);
        s->line++;
        break;
      } else {
        sh_buf_putc(cell, (char)c);
      }
      if (cell->len > SH_SHEET_MAX_CELL) {
        sh_error(d, s->path, rb->row.line, 0, "field is longer than %zu bytes", SH_SHEET_MAX_CELL);
        return -1;
      }
    }
    if (!any && c == -1) return 0;
    /* trim the decoder's stray BOM-like characters: nothing else is altered */
    if (row_finish(rb)) return 1;
    if (c == -1) return 0;
  }
}

/* ---------- open / select / next ---------- */

static bool has_suffix(const char *s, const char *suf) {
  size_t n = strlen(s), m = strlen(suf);
  return n >= m && strcasecmp(s + n - m, suf) == 0;
}

sh_sheet *sh_sheet_open(const char *path, const char *encoding, sh_diags *d) {
  sh_sheet *s = sh_calloc(1, sizeof *s);
  s->path = sh_strdup(path);
  s->cur = -1;
  s->cd = (iconv_t)-1;
  s->delim = ',';
  int fd = sh_open_input(path, 0);
  if (fd < 0) {
    sh_error_io(d, path, 0, 0, "cannot open: %s", sh_fio_strerror(errno));
    sh_sheet_close(s);
    return NULL;
  }
  unsigned char magic[8] = {0};
  ssize_t got = pread(fd, magic, sizeof magic, 0);
  size_t mn = got > 0 ? (size_t)got : 0;
  static const unsigned char cfb[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
  bool is_zip = mn >= 4 && magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3 && magic[3] == 4;
  if (mn == 8 && memcmp(magic, cfb, 8) == 0) {
    sh_error(d, path, 0, 0,
             "encrypted or legacy file: this is an OLE compound file (a password-protected .xlsx or an old .xls); "
             "save it as .xlsx without a password");
    close(fd);
    sh_sheet_close(s);
    return NULL;
  }
  if (has_suffix(path, ".csv") || has_suffix(path, ".txt") || has_suffix(path, ".tsv") || !is_zip) {
    if ((has_suffix(path, ".xlsx") || has_suffix(path, ".xlsm") || has_suffix(path, ".ods")) && !is_zip) {
      sh_error(d, path, 0, 0, "not a spreadsheet: an .xlsx or .ods file is a ZIP archive and this is not one");
      close(fd);
      sh_sheet_close(s);
      return NULL;
    }
    s->fmt = SH_SHEET_CSV;
    if (has_suffix(path, ".tsv")) s->delim = '\t';
    if (csv_open(s, fd, encoding, d) != 0) {
      sh_sheet_close(s);
      return NULL;
    }
    if (s->delim == ',' && s->cd != (iconv_t)-1 && strncmp(s->encoding, "UTF-16", 6) == 0) s->delim = '\t';
    return s;
  }
  int zerr = 0;
  s->zip = zip_fdopen(fd, ZIP_CHECKCONS, &zerr); /* owns fd from here on success */
  if (!s->zip) {
    close(fd);
    zip_error_t ze;
    zip_error_init_with_code(&ze, zerr);
    sh_error(d, path, 0, 0, "unreadable archive: %s", zip_error_strerror(&ze));
    zip_error_fini(&ze);
    sh_sheet_close(s);
    return NULL;
  }
  int rc;
  if (zip_name_locate(s->zip, "content.xml", 0) >= 0 && zip_name_locate(s->zip, "xl/workbook.xml", 0) < 0) {
    s->fmt = SH_SHEET_ODS;
    rc = ods_open(s, d);
  } else {
    s->fmt = SH_SHEET_XLSX;
    rc = xlsx_open(s, d);
  }
  if (rc != 0) {
    sh_sheet_close(s);
    return NULL;
  }
  return s;
}

static void end_sheet(sh_sheet *s) {
  if (s->xr) xmlFreeTextReader(s->xr);
  s->xr = NULL;
  member_free(s->mem);
  s->mem = NULL;
  merges_clear(s);
  row_reset(&s->rb);
  s->last_row = 0;
  s->last_col = 0;
  s->ods_repeat = 0;
  s->done = false;
  s->failed = false;
  s->merge_overflow = false;
  s->cells_total = 0;
  s->merge_copies = 0;
}

int sh_sheet_select(sh_sheet *s, size_t i, sh_diags *d) {
  if (i >= s->sheets.n) {
    err_at_sheet(s, d, "no sheet %zu", i + 1);
    return -1;
  }
  end_sheet(s);
  s->cur = (int)i;
  int rc = 0;
  if (s->fmt == SH_SHEET_XLSX) rc = xlsx_select(s, s->sheets.v[i], d);
  else if (s->fmt == SH_SHEET_ODS) rc = ods_select(s, i, d);
  else {
    rewind(s->csv);
    s->eof = false;
    s->rawlen = s->declen = s->decpos = 0;
    s->line = 1;
    s->record = 0;
    if (s->cd != (iconv_t)-1) iconv(s->cd, NULL, NULL, NULL, NULL);
    unsigned char head[3];
    size_t hn = fread(head, 1, 3, s->csv);
    long skip = 0;
    if (hn >= 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF) skip = 3;
    else if (hn >= 2 && ((head[0] == 0xFF && head[1] == 0xFE) || (head[0] == 0xFE && head[1] == 0xFF))) skip = 2;
    fseek(s->csv, skip, SEEK_SET);
  }
  if (rc != 0) s->failed = true;
  return rc;
}

int sh_sheet_next(sh_sheet *s, const sh_sheet_row **row, sh_diags *d) {
  *row = NULL;
  if (s->cur < 0 || s->failed) return -1;
  if (s->done && s->ods_repeat == 0) return 0;
  int rc;
  if (s->fmt == SH_SHEET_XLSX) rc = xlsx_next(s, d);
  else if (s->fmt == SH_SHEET_ODS) rc = ods_next(s, d);
  else rc = csv_next(s, d);
  if (rc == 1) {
    s->cells_total += s->rb.row.ncols;
    const char *why = s->merge_overflow                      ? N_("more merged ranges or merged cells than the limit")
                      : s->rb.row.row >= SH_SHEET_MAX_ROWS    ? N_("more rows than the limit")
                      : s->cells_total > SH_SHEET_MAX_CELLS   ? N_("more cells than the limit")
                                                              : NULL;
    if (why) {
      char *where = sh_sheet_where(s, &s->rb.row, (size_t)-1);
      sh_error(d, where, 0, 0, "sheet too large: %s (%d merged ranges, %d million merged cells, %d rows, %d million cells)",
               _(why), SH_SHEET_MAX_MERGES, (int)(SH_SHEET_MAX_MERGE_COPIES / 1000000), SH_SHEET_MAX_ROWS,
               (int)(SH_SHEET_MAX_CELLS / 1000000));
      free(where);
      rc = -1;
    }
  }
  if (rc < 0) s->failed = true;
  if (rc == 0) s->done = true;
  if (rc == 1) *row = &s->rb.row;
  return rc;
}

void sh_sheet_close(sh_sheet *s) {
  if (!s) return;
  end_sheet(s);
  free(s->merges);
  row_free(&s->rb);
  sh_vec_free_all(&s->sheets, sheetinfo_free);
  sh_vec_free_all(&s->sst, free);
  if (s->zip) zip_discard(s->zip);
  if (s->csv) fclose(s->csv);
  if (s->cd != (iconv_t)-1) iconv_close(s->cd);
  free(s->raw);
  free(s->dec);
  free(s->encoding);
  free(s->path);
  free(s);
}

/* ---------- matching ---------- */

char *sh_match_key(const char *s) {
  if (!s) return sh_strdup("");
  utf8proc_uint8_t *out = NULL;
  utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)s, 0, &out,
                                    UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT |
                                        UTF8PROC_CASEFOLD);
  const char *src = n >= 0 ? (const char *)out : s;
  sh_buf b = {0};
  sh_buf_puts(&b, "");
  const unsigned char *p = (const unsigned char *)src;
  while (*p) {
    utf8proc_int32_t cp;
    utf8proc_ssize_t len = utf8proc_iterate(p, -1, &cp);
    if (len <= 0) { /* invalid byte: keep it as is */
      sh_buf_putc(&b, (char)*p++);
      continue;
    }
    utf8proc_category_t cat = utf8proc_category(cp);
    bool space = cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\v' || cp == '\f' ||
                 cat == UTF8PROC_CATEGORY_ZS || cat == UTF8PROC_CATEGORY_ZL || cat == UTF8PROC_CATEGORY_ZP;
    if (!space) sh_buf_put(&b, (const char *)p, (size_t)len);
    p += len;
  }
  free(out);
  return sh_buf_steal(&b);
}
