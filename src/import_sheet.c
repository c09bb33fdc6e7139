/* import_sheet: checksheet and mapping-table importers. See import_sheet.h. */
#include "import_sheet.h"

#include "i18n.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>
#include <yaml.h>

#include "crosswalk.h"
#include "sheet.h"

/* ---------- YAML output (libyaml's emitter: quoting and escaping are its business) ---------- */

typedef struct {
  yaml_emitter_t em;
  sh_buf out;
  bool failed;
} ywriter;

static int yw_write(void *data, unsigned char *buf, size_t size) {
  sh_buf_put(&((ywriter *)data)->out, (const char *)buf, size);
  return 1;
}

static void yw_emit(ywriter *w, yaml_event_t *ev) {
  if (w->failed) {
    yaml_event_delete(ev);
    return;
  }
  if (!yaml_emitter_emit(&w->em, ev)) w->failed = true;
}

static void yw_init(ywriter *w, const char *comment) {
  memset(w, 0, sizeof *w);
  sh_buf_puts(&w->out, comment); /* the emitter appends after it */
  yaml_emitter_initialize(&w->em);
  yaml_emitter_set_output(&w->em, yw_write, w);
  yaml_emitter_set_unicode(&w->em, 1);
  yaml_emitter_set_width(&w->em, 4096);
  yaml_emitter_set_indent(&w->em, 2);
  yaml_event_t ev;
  yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING);
  yw_emit(w, &ev);
  yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1);
  yw_emit(w, &ev);
}

static void yw_discard(ywriter *w) {
  yaml_emitter_delete(&w->em);
  sh_buf_free(&w->out);
}

/* Returns the text (caller frees) or NULL when the emitter failed. */
static char *yw_finish(ywriter *w) {
  yaml_event_t ev;
  yaml_document_end_event_initialize(&ev, 1);
  yw_emit(w, &ev);
  yaml_stream_end_event_initialize(&ev);
  yw_emit(w, &ev);
  yaml_emitter_flush(&w->em);
  yaml_emitter_delete(&w->em);
  if (w->failed) {
    sh_buf_free(&w->out);
    return NULL;
  }
  return sh_buf_steal(&w->out);
}

static void yw_map(ywriter *w, bool flow) {
  yaml_event_t ev;
  yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1, flow ? YAML_FLOW_MAPPING_STYLE : YAML_BLOCK_MAPPING_STYLE);
  yw_emit(w, &ev);
}
static void yw_seq(ywriter *w, bool flow) {
  yaml_event_t ev;
  yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1, flow ? YAML_FLOW_SEQUENCE_STYLE : YAML_BLOCK_SEQUENCE_STYLE);
  yw_emit(w, &ev);
}
static void yw_end_map(ywriter *w) {
  yaml_event_t ev;
  yaml_mapping_end_event_initialize(&ev);
  yw_emit(w, &ev);
}
static void yw_end_seq(ywriter *w) {
  yaml_event_t ev;
  yaml_sequence_end_event_initialize(&ev);
  yw_emit(w, &ev);
}
/* A plain scalar (keys, words); quoted = double-quoted (any text). */
static void yw_scalar(ywriter *w, const char *s, bool quoted) {
  yaml_event_t ev;
  yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)s, (int)strlen(s), 1, 1,
                               quoted ? YAML_DOUBLE_QUOTED_SCALAR_STYLE : YAML_PLAIN_SCALAR_STYLE);
  yw_emit(w, &ev);
}
static void yw_kv(ywriter *w, const char *k, const char *v) {
  yw_scalar(w, k, false);
  yw_scalar(w, v, true);
}
static void yw_kword(ywriter *w, const char *k, const char *v) {
  yw_scalar(w, k, false);
  yw_scalar(w, v, false);
}
static void yw_text(ywriter *w, const char *k, const char *ja, const char *en) {
  yw_scalar(w, k, false);
  yw_map(w, false);
  if (ja) yw_kv(w, "ja", ja);
  if (en) yw_kv(w, "en", en);
  yw_end_map(w);
}

/* ---------- columns ---------- */

enum { R_ID, R_SECTION, R_TEXT, R_STRENGTH, R_NROLES };
enum { M_TARGET, M_SOURCES, M_RELATION, M_RATIONALE, M_NROLES };

typedef struct {
  const char *name;          /* role name in a --columns spec */
  const char *const *headers; /* header names (compared by match key) */
  bool multi;                /* several columns allowed (section) */
  bool required;
} role;

static const char *const H_ID[] = {"項番", "No.", "No", "番号", "項目番号", "チェック項目番号", "通番", "ID", NULL};
static const char *const H_SECTION[] = {"分類", "大項目", "中項目", "小項目", "項目", "区分名", "章", "節", "Section",
                                        "Category", NULL};
static const char *const H_TEXT[] = {"確認事項", "チェック項目", "内容", "要求事項", "要求事項の概要", "確認内容",
                                     "チェック内容", "Requirement", "Text", "Item", NULL};
static const char *const H_STRENGTH[] = {"必須", "区分", "必須/推奨", "必須・推奨", "遵守区分", "Strength",
                                         "Level", NULL};
static const role CHECK_ROLES[R_NROLES] = {
    {"id", H_ID, false, true},
    {"section", H_SECTION, true, false},
    {"text", H_TEXT, false, true},
    {"strength", H_STRENGTH, false, false},
};

static const char *const H_TARGET[] = {"対象項番", "項番", "対象", "Target", "No.", "No", "番号", NULL};
static const char *const H_SOURCES[] = {"対応する項目", "対応項目", "対応項番", "対応する項番", "Sources", "Source",
                                        "Source ids", NULL};
static const char *const H_RELATION[] = {"分類", "区分", "判定", "関係", "Class", "Relation", "Relationship", NULL};
static const char *const H_RATIONALE[] = {"理由", "根拠", "備考", "Rationale", "Note", "Notes", NULL};
static const role MAP_ROLES[M_NROLES] = {
    {"target", H_TARGET, false, true},
    {"sources", H_SOURCES, false, true},
    {"relation", H_RELATION, false, true},
    {"rationale", H_RATIONALE, false, false},
};

#define MAX_SECTION_COLS 4

typedef struct {
  long col[8][MAX_SECTION_COLS]; /* per role: columns (-1 none) */
  size_t ncols[8];
  int header_row;                /* 0 = no header row */
} colmap;

static bool header_matches(const char *key, const char *const *names, bool prefix) {
  for (size_t i = 0; names[i]; i++) {
    char *k = sh_match_key(names[i]);
    bool ok = prefix ? (strlen(key) > strlen(k) && strncmp(key, k, strlen(k)) == 0) : strcmp(key, k) == 0;
    free(k);
    if (ok) return true;
  }
  return false;
}

/* Finds the roles in a header row. Returns true when every required role was found. */
static bool find_header(const sh_sheet_row *r, const role *roles, size_t nroles, colmap *m) {
  colmap t;
  memset(&t, 0, sizeof t);
  bool taken[64] = {0};
  for (int pass = 0; pass < 2; pass++)
    for (size_t c = 0; c < r->ncols && c < 64; c++) {
      if (taken[c] || r->copied[c] || !r->cells[c][0]) continue;
      char *key = sh_match_key(r->cells[c]);
      for (size_t k = 0; k < nroles; k++) {
        if (t.ncols[k] && !roles[k].multi) continue;
        if (t.ncols[k] >= MAX_SECTION_COLS) continue;
        if (header_matches(key, roles[k].headers, pass == 1)) {
          t.col[k][t.ncols[k]++] = (long)c;
          taken[c] = true;
          break;
        }
      }
      free(key);
    }
  for (size_t k = 0; k < nroles; k++)
    if (roles[k].required && !t.ncols[k]) return false;
  /* section columns in sheet order */
  for (size_t k = 0; k < nroles; k++)
    for (size_t i = 1; i < t.ncols[k]; i++)
      for (size_t j = i; j > 0 && t.col[k][j - 1] > t.col[k][j]; j--) {
        long x = t.col[k][j];
        t.col[k][j] = t.col[k][j - 1];
        t.col[k][j - 1] = x;
      }
  t.header_row = r->row;
  *m = t;
  return true;
}

/* A --columns spec: role=LETTERS or role=Header name, comma separated. Roles given by header name
 * are resolved against the header row later (names[] keeps them). Returns false with an error. */
typedef struct {
  long col[8][MAX_SECTION_COLS];
  char *name[8][MAX_SECTION_COLS];
  size_t n[8];
  bool by_name;
} colspec;

static void colspec_free(colspec *cs) {
  for (size_t k = 0; k < 8; k++)
    for (size_t i = 0; i < cs->n[k]; i++) free(cs->name[k][i]);
}

static bool parse_colspec(const char *spec, const role *roles, size_t nroles, colspec *cs, sh_diags *d) {
  memset(cs, 0, sizeof *cs);
  char *dup = sh_strdup(spec), *save = NULL;
  bool ok = true;
  for (char *tok = strtok_r(dup, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
    char *eq = strchr(tok, '=');
    while (*tok == ' ') tok++;
    if (!eq) {
      sh_error(d, NULL, 0, 0, "--columns: '%s' is not ROLE=COLUMN", tok);
      ok = false;
      continue;
    }
    *eq = '\0';
    char *val = eq + 1;
    size_t k;
    for (k = 0; k < nroles; k++)
      if (strcmp(tok, roles[k].name) == 0) break;
    if (k == nroles) {
      sh_buf names = {0};
      for (size_t i = 0; i < nroles; i++) sh_buf_printf(&names, "%s%s", i ? ", " : "", roles[i].name);
      sh_error(d, NULL, 0, 0, "--columns: unknown role '%s' (%s)", tok, sh_buf_str(&names));
      sh_buf_free(&names);
      ok = false;
      continue;
    }
    if (cs->n[k] && (!roles[k].multi || cs->n[k] >= MAX_SECTION_COLS)) {
      sh_error(d, NULL, 0, 0, "--columns: role '%s' given twice", tok);
      ok = false;
      continue;
    }
    long c = sh_sheet_col_parse(val);
    cs->col[k][cs->n[k]] = c;
    cs->name[k][cs->n[k]] = c < 0 ? sh_strdup(val) : NULL;
    if (c < 0) cs->by_name = true;
    cs->n[k]++;
  }
  free(dup);
  for (size_t k = 0; ok && k < nroles; k++)
    if (roles[k].required && !cs->n[k]) {
      sh_error(d, NULL, 0, 0, "--columns: role '%s' is needed", roles[k].name);
      ok = false;
    }
  return ok;
}

/* Resolves a by-name spec against a row; true when every named column is in it. */
static bool spec_on_header(const sh_sheet_row *r, const colspec *cs, size_t nroles, colmap *m) {
  colmap t;
  memset(&t, 0, sizeof t);
  for (size_t k = 0; k < nroles; k++)
    for (size_t i = 0; i < cs->n[k]; i++) {
      long c = cs->col[k][i];
      if (c < 0) {
        char *want = sh_match_key(cs->name[k][i]);
        for (size_t j = 0; j < r->ncols && c < 0; j++) {
          char *key = sh_match_key(r->cells[j]);
          if (strcmp(key, want) == 0) c = (long)j;
          free(key);
        }
        free(want);
        if (c < 0) return false;
      }
      t.col[k][t.ncols[k]++] = c;
    }
  t.header_row = r->row;
  *m = t;
  return true;
}

static const char *cell(const sh_sheet_row *r, long c) {
  return c >= 0 && (size_t)c < r->ncols ? r->cells[c] : "";
}
static bool own(const sh_sheet_row *r, long c) {
  return c >= 0 && (size_t)c < r->ncols && r->cells[c][0] && !r->copied[c];
}

#define HEADER_SCAN_ROWS 30

/* Selects the sheet and finds the columns; leaves the sheet positioned after the header row.
 * Returns 0, or -1 with an error. */
static int locate_table(sh_sheet *s, const char *want_sheet, const char *spec, const role *roles, size_t nroles,
                        const char *what, colmap *m, sh_diags *d) {
  colspec cs;
  if (spec && !parse_colspec(spec, roles, nroles, &cs, d)) {
    colspec_free(&cs);
    return -1;
  }
  size_t first = 0, last = sh_sheet_count(s);
  if (want_sheet) {
    int i = sh_sheet_find(s, want_sheet);
    if (i < 0) {
      sh_buf names = {0};
      for (size_t k = 0; k < sh_sheet_count(s); k++)
        sh_buf_printf(&names, "%s%s", k ? ", " : "", sh_sheet_name(s, k));
      char *where = sh_printf("%s:%s", sh_sheet_path(s), want_sheet);
      sh_error(d, where, 0, 0, "no sheet named '%s' (the file has: %s)", want_sheet, sh_buf_str(&names));
      free(where);
      sh_buf_free(&names);
      if (spec) colspec_free(&cs);
      return -1;
    }
    first = (size_t)i;
    last = first + 1;
  }
  int rc = -1;
  for (size_t i = first; i < last; i++) {
    if (!want_sheet && sh_sheet_is_hidden(s, i)) continue;
    if (sh_sheet_select(s, i, d) != 0) break;
    if (spec && !cs.by_name) { /* letters only: no header row needed */
      memset(m, 0, sizeof *m);
      for (size_t k = 0; k < nroles; k++)
        for (size_t j = 0; j < cs.n[k]; j++) m->col[k][m->ncols[k]++] = cs.col[k][j];
      rc = 0;
      break;
    }
    const sh_sheet_row *r;
    int n = 0, got;
    bool found = false;
    while (n++ < HEADER_SCAN_ROWS && (got = sh_sheet_next(s, &r, d)) == 1) {
      if (spec ? spec_on_header(r, &cs, nroles, m) : find_header(r, roles, nroles, m)) {
        found = true;
        break;
      }
    }
    if (d->nerrors) break;
    if (found) {
      rc = 0;
      break;
    }
  }
  if (rc != 0 && !d->nerrors) {
    const char *sheet = want_sheet ? want_sheet : sh_sheet_count(s) ? sh_sheet_name(s, 0) : "";
    char *where = s && sh_sheet_get_format(s) == SH_SHEET_CSV ? sh_printf("%s:1", sh_sheet_path(s))
                                                               : sh_printf("%s:%s!A1", sh_sheet_path(s), sheet);
    const char *example = roles == CHECK_ROLES ? "--columns id=A,section=B,text=C" : "--columns target=A,sources=B,relation=C";
    if (spec && want_sheet)
      sh_error(d, where, 0, 0, "no header row with the columns named in --columns in the first %d rows", HEADER_SCAN_ROWS);
    else if (spec)
      sh_error(d, where, 0, 0, "no header row with the columns named in --columns in the first %d rows of any sheet",
               HEADER_SCAN_ROWS);
    else if (want_sheet)
      sh_error(d, where, 0, 0, "no recognisable header row in the first %d rows: %s (or give --columns, e.g. %s)",
               HEADER_SCAN_ROWS, what, example);
    else
      sh_error(d, where, 0, 0,
               "no recognisable header row in the first %d rows of any sheet: %s (or give --columns, e.g. %s)",
               HEADER_SCAN_ROWS, what, example);
    free(where);
  }
  if (spec) colspec_free(&cs);
  return rc;
}

/* ---------- checksheets ---------- */

static bool valid_fw_id(const char *s) {
  if (!s || !*s || !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= '0' && s[0] <= '9'))) return false;
  for (const char *p = s; *p; p++)
    if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '.' || *p == '-')) return false;
  return true;
}

typedef struct {
  char *id, *title, *parent, *key; /* key = parent + "\x1f" + title, to find it again */
  size_t ordinal;                  /* children so far */
  bool used;
} section;

typedef struct {
  char *id, *text, *strength;
  char *path[1 + MAX_SECTION_COLS];
  size_t npath;
  int row;
  bool hidden;
} item;

static void section_free(void *p) {
  section *s = p;
  free(s->id);
  free(s->title);
  free(s->parent);
  free(s->key);
  free(s);
}
static void item_free(void *p) {
  item *it = p;
  free(it->id);
  free(it->text);
  free(it->strength);
  for (size_t k = 0; k < it->npath; k++) free(it->path[k]);
  free(it);
}

/* The leading number of a heading ("１．", "(2)", "3.1", "①") as written, or NULL; *rest is the title
 * after it. A code point belongs to the number when its NFKC form is made of digits, '.', '-', '(' or ')'. */
static char *heading_number(const char *s, const char **rest) {
  const char *p = s;
  const char *end = s;
  bool digit = false;
  while (*p) {
    utf8proc_int32_t cp;
    utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)p, -1, &cp);
    int len = n > 0 ? (int)n : 1; /* an invalid byte is taken alone (and ends the number) */
    char one[8] = {0};
    memcpy(one, p, (size_t)len);
    char *k = sh_match_key(one);
    bool ok = *k != '\0';
    for (char *q = k; *q; q++) {
      if (*q >= '0' && *q <= '9') digit = true;
      else if (!strchr(".-()", *q)) ok = false;
    }
    free(k);
    if (!ok) break;
    p += len;
    end = p;
  }
  if (!digit) {
    *rest = s;
    return NULL;
  }
  /* trailing '.'/'．' is punctuation, not part of the number */
  const char *num_end = end;
  if (num_end > s && num_end[-1] == '.') num_end--;
  else if (num_end - s >= 3 && memcmp(num_end - 3, "\xEF\xBC\x8E", 3) == 0) num_end -= 3;
  const char *r = end;
  while (*r == ' ' || *r == '\t' || strncmp(r, "\xE3\x80\x80", 3) == 0) r += *r == ' ' || *r == '\t' ? 1 : 3;
  if (!*r) { /* a bare number is not a heading title */
    *rest = s;
  } else {
    *rest = r;
  }
  return sh_strndup(s, (size_t)(num_end - s));
}

typedef struct {
  sh_vec sections;     /* section* */
  sh_strmap by_key;    /* key -> section */
  sh_strmap ids;       /* id -> section */
} sections;

static section *section_get(sections *ss, const char *parent, const char *title) {
  char *key = sh_printf("%s\x1f%s", parent ? parent : "", title);
  section *sec = sh_strmap_get(&ss->by_key, key);
  if (sec) {
    free(key);
    return sec;
  }
  section *par = NULL;
  if (parent) par = sh_strmap_get(&ss->ids, parent);
  size_t ordinal = 1;
  if (par) ordinal = ++par->ordinal;
  else {
    for (size_t i = 0; i < ss->sections.n; i++)
      if (!((section *)ss->sections.v[i])->parent) ordinal++;
  }
  const char *rest;
  char *num = heading_number(title, &rest);
  char *id = NULL;
  char *numkey = num ? sh_match_key(num) : NULL; /* a section id is an identifier: "１" is "1" */
  free(num);
  if (numkey && !sh_strmap_get(&ss->ids, numkey)) id = numkey;
  else {
    free(numkey);
    id = parent ? sh_printf("%s.%zu", parent, ordinal) : sh_printf("%zu", ordinal);
    for (int k = 2; sh_strmap_get(&ss->ids, id); k++) {
      free(id);
      id = parent ? sh_printf("%s.%zu~%d", parent, ordinal, k) : sh_printf("%zu~%d", ordinal, k);
    }
  }
  sec = sh_calloc(1, sizeof *sec);
  sec->id = id;
  sec->title = sh_strdup(title);
  sec->parent = sh_strdup(parent);
  sec->key = key;
  sh_vec_push(&ss->sections, sec);
  sh_strmap_put(&ss->by_key, key, sec);
  sh_strmap_put(&ss->ids, id, sec);
  return sec;
}

static const char *strength_of(const char *v, bool *known) {
  *known = true;
  if (!*v) return "must";
  char *k = sh_match_key(v);
  const char *r = NULL;
  if (strstr(k, "必須") || strstr(k, "must") || strstr(k, "○") || strstr(k, "◯") || strstr(k, "●") ||
      strstr(k, "義務") == k)
    r = "must";
  if (strstr(k, "推奨") || strstr(k, "should") || strstr(k, "△")) r = "should";
  if (strstr(k, "努力") || strstr(k, "effort")) r = "effort";
  free(k);
  if (!r) {
    *known = false;
    r = "must";
  }
  return r;
}

static const char *basename_of(const char *p) {
  const char *s = strrchr(p, '/');
  return s ? s + 1 : p;
}

/* Writes one item (libyaml emitter); the item is not kept: memory does not grow with rows beyond the
 * YAML text itself (needed whole for the atomic write) and the id index. */
static void emit_item(ywriter *w, const item *it, const char *document, const char *sheet) {
  char rowbuf[16];
  yw_map(w, false);
  yw_kv(w, "id", it->id);
  if (it->npath) {
    yw_scalar(w, "section", false);
    yw_seq(w, true);
    for (size_t k = 0; k < it->npath; k++) yw_scalar(w, it->path[k], true);
    yw_end_seq(w);
  }
  yw_text(w, "text", it->text, NULL);
  yw_kword(w, "strength", it->strength);
  yw_kword(w, "manual", "true");
  yw_scalar(w, "evidence_needed", false);
  yw_seq(w, false);
  yw_map(w, true);
  yw_kv(w, "ja", "確認事項への回答と根拠資料");
  yw_kv(w, "en", "The answer to this item and its supporting documents");
  yw_end_map(w);
  yw_end_seq(w);
  yw_scalar(w, "source", false);
  yw_map(w, true);
  yw_kv(w, "document", document);
  yw_kv(w, "sheet", sheet);
  snprintf(rowbuf, sizeof rowbuf, "%d", it->row);
  yw_kword(w, "row", rowbuf);
  yw_kword(w, "form", "verbatim");
  if (it->hidden) yw_kword(w, "hidden", "true");
  yw_end_map(w);
  yw_end_map(w);
}

char *sh_import_checksheet(const sh_checksheet_opts *o, sh_import_stats *st, sh_diags *d) {
  memset(st, 0, sizeof *st);
  if (!valid_fw_id(o->id)) {
    sh_error(d, NULL, 0, 0, "invalid framework id '%s' (lower-case letters, digits, '.', '-')", o->id ? o->id : "");
    return NULL;
  }
  size_t before = d->nerrors;
  sh_sheet *s = sh_sheet_open(o->path, o->encoding, d);
  if (!s) return NULL;
  colmap m;
  if (locate_table(s, o->sheet, o->columns, CHECK_ROLES, R_NROLES,
                   _("need an id column (項番, No., 番号) and a text column (確認事項, チェック項目, 内容, 要求事項)"), &m,
                   d) != 0) {
    sh_sheet_close(s);
    return NULL;
  }
  st->sheet = sh_strdup(sh_sheet_current(s));
  sections ss = {0};
  size_t nitems = 0;
  ywriter w;
  char *comment = sh_printf("# Framework imported by `shinsa import checksheet` from %s, sheet %s.\n"
                            "# Items are manual until an overlay (kind: overlay) gives them a require.\n",
                            basename_of(o->path), st->sheet);
  yw_init(&w, comment);
  free(comment);
  yw_map(&w, false);
  yw_scalar(&w, "framework", false);
  yw_map(&w, false);
  yw_kv(&w, "id", o->id);
  yw_kword(&w, "kind", "checklist");
  yw_text(&w, "title", o->title ? o->title : basename_of(o->path), NULL);
  yw_kv(&w, "version", o->version ? o->version : "imported");
  {
    char *src_ja = sh_printf("%s（シート「%s」）から shinsa import checksheet で取り込んだ。項番と本文は記載のまま。",
                             basename_of(o->path), st->sheet);
    char *src_en = sh_printf("Imported from %s (sheet '%s') by shinsa import checksheet; ids and texts as written.",
                             basename_of(o->path), st->sheet);
    yw_text(&w, "source", src_ja, src_en);
    free(src_ja);
    free(src_en);
  }
  yw_end_map(&w);
  yw_scalar(&w, "items", false);
  yw_seq(&w, false);
  sh_strmap seen = {0};       /* match key -> location of the first */
  const char *top = NULL;     /* current heading section id */
  char *fill[MAX_SECTION_COLS] = {0}; /* section column values carried down */
  const sh_sheet_row *r;
  int rc;
  long idc = m.col[R_ID][0], textc = m.col[R_TEXT][0], strc = m.ncols[R_STRENGTH] ? m.col[R_STRENGTH][0] : -1;
  while ((rc = sh_sheet_next(s, &r, d)) == 1) {
    size_t n_own = 0;
    long own_col = -1;
    for (size_t c = 0; c < r->ncols; c++)
      if (own(r, (long)c)) {
        n_own++;
        own_col = (long)c;
      }
    if (n_own == 0) continue;
    const char *id = cell(r, idc), *text = cell(r, textc);
    bool id_copied = idc >= 0 && (size_t)idc < r->ncols && r->copied[idc];
    bool text_is_id = textc >= 0 && (size_t)textc < r->ncols && r->copied[textc] && strcmp(id, text) == 0;
    if (m.header_row == 0 && r->row <= HEADER_SCAN_ROWS) { /* letters only: skip a header row */
      char *k = sh_match_key(id);
      bool hdr = header_matches(k, H_ID, false);
      free(k);
      if (hdr) continue;
    }
    bool is_item = id[0] && text[0] && !id_copied && !text_is_id;
    if (!is_item) {
      /* a heading: one value (or one merged value) */
      bool one = n_own == 1;
      if (!one) {
        const char *v = NULL;
        one = true;
        for (size_t c = 0; c < r->ncols; c++)
          if (r->cells[c][0]) {
            if (!v) v = r->cells[c];
            else if (strcmp(v, r->cells[c])) one = false;
          }
      }
      if (one) {
        const char *v = cell(r, own_col);
        size_t k;
        for (k = 0; k < m.ncols[R_SECTION]; k++)
          if (m.col[R_SECTION][k] == own_col) break;
        if (k < m.ncols[R_SECTION] && n_own == 1) { /* a section column's value on its own row */
          free(fill[k]);
          fill[k] = sh_strdup(v);
          for (size_t j = k + 1; j < MAX_SECTION_COLS; j++) {
            free(fill[j]);
            fill[j] = NULL;
          }
          continue;
        }
        top = section_get(&ss, NULL, v)->id;
        for (size_t j = 0; j < MAX_SECTION_COLS; j++) {
          free(fill[j]);
          fill[j] = NULL;
        }
        continue;
      }
      char *where = sh_sheet_where(s, r, id[0] ? textc : idc);
      if (id[0])
        sh_error(d, where, 0, 0, "item '%s' has no text (column %s)", id, "text");
      else
        sh_error(d, where, 0, 0, "a row with text but no id: ids are taken as written and never invented");
      free(where);
      continue;
    }
    char *key = sh_match_key(id);
    /* the index keeps only the row (and CSV line) of each id, not its text */
    intptr_t prev = (intptr_t)sh_strmap_get(&seen, key);
    if (prev) {
      sh_sheet_row first = {.row = (int)(prev >> 32), .line = (int)(prev & 0xffffffff)};
      char *where = sh_sheet_where(s, r, idc), *at = sh_sheet_where(s, &first, idc);
      sh_error(d, where, 0, 0, "duplicate id '%s' (first at %s)", id, at);
      free(where);
      free(at);
      free(key);
      continue;
    }
    sh_strmap_put(&seen, key, (void *)(((intptr_t)r->row << 32) | (intptr_t)(unsigned)r->line));
    free(key);
    item *it = sh_calloc(1, sizeof *it);
    it->id = sh_strdup(id);
    it->text = sh_strdup(text);
    it->row = r->row;
    it->hidden = r->hidden;
    bool known;
    it->strength = sh_strdup(strength_of(cell(r, strc), &known));
    if (!known) {
      char *where = sh_sheet_where(s, r, strc);
      sh_diag_add(d, SH_SEV_WARNING, where, 0, 0, "strength '%s' not recognised (必須, 推奨, 努力義務...): taken as must",
                  cell(r, strc));
      free(where);
    }
    const char *parent = top;
    if (top) it->path[it->npath++] = sh_strdup(top);
    for (size_t k = 0; k < m.ncols[R_SECTION]; k++) {
      const char *v = cell(r, m.col[R_SECTION][k]);
      if (v[0]) {
        if (!fill[k] || strcmp(fill[k], v)) {
          free(fill[k]);
          fill[k] = sh_strdup(v);
          for (size_t j = k + 1; j < MAX_SECTION_COLS; j++) {
            free(fill[j]);
            fill[j] = NULL;
          }
        }
      }
      if (!fill[k]) continue;
      section *sec = section_get(&ss, parent, fill[k]);
      it->path[it->npath++] = sh_strdup(sec->id);
      parent = sec->id;
    }
    for (size_t k = 0; k < it->npath; k++) ((section *)sh_strmap_get(&ss.ids, it->path[k]))->used = true;
    if (it->hidden) st->hidden++;
    nitems++;
    if (d->nerrors == before) emit_item(&w, it, basename_of(o->path), st->sheet);
    item_free(it);
  }
  for (size_t j = 0; j < MAX_SECTION_COLS; j++) free(fill[j]);
  char *yaml = NULL;
  yw_end_seq(&w);
  if (rc == 0 && d->nerrors == before && nitems == 0) {
    char *where = sh_printf("%s:%s", o->path, st->sheet);
    sh_error(d, where, 0, 0, "no items below the header row (rows need an id and a text)");
    free(where);
  }
  if (rc == 0 && d->nerrors == before) {
    size_t nsec = 0;
    for (size_t i = 0; i < ss.sections.n; i++) nsec += ((section *)ss.sections.v[i])->used;
    if (nsec) { /* after the items: the loader reads the keys in any order */
      yw_scalar(&w, "sections", false);
      yw_seq(&w, false);
      for (size_t i = 0; i < ss.sections.n; i++) {
        section *sec = ss.sections.v[i];
        if (!sec->used) continue;
        yw_map(&w, false);
        yw_kv(&w, "id", sec->id);
        yw_text(&w, "title", sec->title, NULL);
        yw_end_map(&w);
      }
      yw_end_seq(&w);
    }
    st->sections = nsec;
    yw_end_map(&w);
    yaml = yw_finish(&w);
    if (!yaml) sh_error(d, o->path, 0, 0, "cannot write the framework YAML");
    st->items = nitems;
  } else {
    yw_discard(&w);
  }

  sh_vec_free_all(&ss.sections, section_free);
  sh_strmap_free(&ss.by_key);
  sh_strmap_free(&ss.ids);
  sh_strmap_free(&seen);
  sh_sheet_close(s);
  if (!yaml) {
    free(st->sheet);
    st->sheet = NULL;
  }
  return yaml;
}

/* ---------- mapping tables ---------- */

const char *sh_relation_word(const char *v) {
  char *k = sh_match_key(v);
  static const struct {
    const char *in, *out;
  } words[] = {{"a", "superset"},         {"superset", "superset"},   {"superset-of", "superset"},
               {"supersetof", "superset"}, {"b", "equal"},             {"equal", "equal"},
               {"equal-to", "equal"},     {"equalto", "equal"},       {"equivalent-to", "equal"},
               {"equivalent", "equal"},   {"c", "subset"},            {"subset", "subset"},
               {"subset-of", "subset"},   {"subsetof", "subset"},     {"intersect", "intersect"},
               {"intersects-with", "intersect"}, {"intersectswith", "intersect"},
               {"d", "no-relationship"},  {"no-relationship", "no-relationship"},
               {"norelationship", "no-relationship"}};
  const char *r = NULL;
  for (size_t i = 0; i < sizeof words / sizeof *words && !r; i++)
    if (strcmp(k, words[i].in) == 0) r = words[i].out;
  free(k);
  return r;
}

static int relation_class(const char *word) {
  if (strcmp(word, "superset") == 0) return 0;
  if (strcmp(word, "equal") == 0) return 1;
  if (strcmp(word, "subset") == 0 || strcmp(word, "intersect") == 0) return 2;
  return 3;
}

/* match key -> item id of fw (owned keys, borrowed values) */
static void key_index(const sh_framework *fw, sh_strmap *m) {
  for (size_t i = 0; i < fw->items.n; i++) {
    const sh_item *it = fw->items.v[i];
    char *k = sh_match_key(it->id);
    sh_strmap_put(m, k, it->id);
    free(k);
  }
}

/* Splits a cell of source ids on commas, 、, ;, and line breaks (full-width forms too); owned strings. */
static void split_ids(const char *v, sh_vec *out) {
  sh_buf cur = {0};
  const char *p = v;
  for (;;) {
    bool sep = false;
    size_t len = 0;
    if (!*p) sep = true;
    else if (*p == ',' || *p == ';' || *p == '\n' || *p == '\r') sep = true, len = 1;
    else if (strncmp(p, "、", 3) == 0 || strncmp(p, "，", 3) == 0 || strncmp(p, "；", 3) == 0) sep = true, len = 3;
    if (sep) {
      const char *a = sh_buf_str(&cur);
      size_t n = cur.len;
      while (n && (*a == ' ' || *a == '\t')) a++, n--;
      while (n && (a[n - 1] == ' ' || a[n - 1] == '\t')) n--;
      if (n >= 3 && strncmp(a, "ã", 3) == 0) a += 3, n -= 3;
      if (n) sh_vec_push(out, sh_strndup(a, n));
      sh_buf_clear(&cur);
      if (!*p) break;
      p += len;
      continue;
    }
    sh_buf_putc(&cur, *p++);
  }
  sh_buf_free(&cur);
}

char *sh_import_mapping(const sh_mapping_opts *o, size_t counts[5], sh_diags *d) {
  memset(counts, 0, 5 * sizeof *counts);
  size_t before = d->nerrors;
  sh_sheet *s = sh_sheet_open(o->path, o->encoding, d);
  if (!s) return NULL;
  colmap m;
  if (locate_table(s, o->sheet, o->columns, MAP_ROLES, M_NROLES,
                   _("need a target column (対象項番, 項番), a sources column (対応する項目) and a class column (分類, 判定)"),
                   &m, d) != 0) {
    sh_sheet_close(s);
    return NULL;
  }
  sh_strmap from = {0}, to = {0}, seen = {0};
  sh_vec locs = {0};
  key_index(o->from, &from);
  key_index(o->to, &to);
  long tc = m.col[M_TARGET][0], sc = m.col[M_SOURCES][0], rc_ = m.col[M_RELATION][0];
  long nc = m.ncols[M_RATIONALE] ? m.col[M_RATIONALE][0] : -1;
  ywriter w;
  char *comment = sh_printf("# Curated relations imported by `shinsa import mapping` from %s, sheet %s.\n"
                            "# source.lines is the spreadsheet row of each relation.\n",
                            basename_of(o->path), sh_sheet_current(s));
  yw_init(&w, comment);
  free(comment);
  yw_map(&w, false);
  yw_scalar(&w, "crosswalk", false);
  yw_map(&w, false);
  yw_kv(&w, "from", o->from->id);
  yw_kv(&w, "to", o->to->id);
  yw_end_map(&w);
  yw_scalar(&w, "relations", false);
  yw_seq(&w, false);
  const sh_sheet_row *r;
  int rc;
  size_t n = 0;
  while ((rc = sh_sheet_next(s, &r, d)) == 1) {
    const char *tv = cell(r, tc), *sv = cell(r, sc), *rv = cell(r, rc_), *nv = cell(r, nc);
    if (!tv[0] && !sv[0] && !rv[0]) {
      counts[4]++;
      continue;
    }
    size_t errs = d->nerrors;
    char *tk = sh_match_key(tv);
    const char *target = tv[0] ? sh_strmap_get(&to, tk) : NULL;
    char *where = sh_sheet_where(s, r, tc);
    if (!tv[0]) sh_error(d, where, 0, 0, "a row without a target id");
    else if (!target) sh_error(d, where, 0, 0, "'%s' is not an item of %s", tv, o->to->id);
    else if (sh_strmap_get(&seen, tk)) sh_error(d, where, 0, 0, "a second row for target '%s' (first at %s)", tv,
                                                (const char *)sh_strmap_get(&seen, tk));
    else {
      sh_vec_push(&locs, where);
      sh_strmap_put(&seen, tk, where);
      where = NULL;
    }
    free(where);
    free(tk);
    const char *word = sh_relation_word(rv);
    if (!word) {
      where = sh_sheet_where(s, r, rc_);
      sh_error(d, where, 0, 0,
               "unknown class '%s' (A, B, C, D, or equal, subset-of, superset-of, intersects-with, no-relationship)", rv);
      free(where);
    }
    sh_vec srcs = {0}, resolved = {0};
    split_ids(sv, &srcs);
    for (size_t i = 0; i < srcs.n; i++) {
      char *k = sh_match_key(srcs.v[i]);
      const char *id = sh_strmap_get(&from, k);
      free(k);
      if (!id) {
        where = sh_sheet_where(s, r, sc);
        sh_error(d, where, 0, 0, "'%s' is not an item of %s", (char *)srcs.v[i], o->from->id);
        free(where);
      } else {
        sh_vec_push(&resolved, (void *)id);
      }
    }
    if (word && relation_class(word) != 3 && srcs.n == 0) {
      where = sh_sheet_where(s, r, sc);
      sh_error(d, where, 0, 0, "class %s needs at least one source item", rv);
      free(where);
    }
    if (d->nerrors == errs) {
      n++;
      counts[relation_class(word)]++;
      yw_map(&w, false);
      yw_kv(&w, "target", target);
      yw_scalar(&w, "sources", false);
      yw_seq(&w, true);
      for (size_t i = 0; i < resolved.n; i++) yw_scalar(&w, resolved.v[i], true);
      yw_end_seq(&w);
      yw_kword(&w, "relation", word);
      char *nk = sh_match_key(nv);
      if (strcmp(nk, "syntactic") == 0 || strcmp(nk, "semantic") == 0 || strcmp(nk, "functional") == 0)
        yw_kword(&w, "rationale", nk);
      else if (nv[0])
        yw_text(&w, "note", nv, NULL);
      free(nk);
      char rowtxt[64];
      snprintf(rowtxt, sizeof rowtxt, "%d", r->row);
      yw_scalar(&w, "source", false);
      yw_map(&w, true);
      yw_kv(&w, "document", basename_of(o->path));
      yw_kv(&w, "lines", rowtxt);
      yw_end_map(&w);
      yw_end_map(&w);
    }
    sh_vec_free_all(&srcs, free);
    sh_vec_free(&resolved);
  }
  yw_end_seq(&w);
  yw_end_map(&w);
  char *yaml = yw_finish(&w);
  if (rc == 0 && d->nerrors == before && n == 0) {
    char *where = sh_printf("%s:%s", o->path, sh_sheet_current(s));
    sh_error(d, where, 0, 0, "no relations below the header row");
    free(where);
  }
  sh_strmap_free(&from);
  sh_strmap_free(&to);
  sh_strmap_free(&seen);
  sh_vec_free_all(&locs, free);
  sh_sheet_close(s);
  if (rc != 0 || d->nerrors != before) {
    free(yaml);
    return NULL;
  }
  return yaml;
}
