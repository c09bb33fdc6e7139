/* Report language (issue 13): no English sentence in a Japanese report, none of shinsa's Japanese in an English
 * one, in every view (auditor, applicant, ethics) × format (text, md, html, json, csv, xlsx) of both bundled
 * examples (the reports of tests/th_reports.h).
 *
 * What is read of a report: text, md (backslash escapes removed) and csv as written; html: the text of the
 * page (libxml2's HTML parser; style sheets aside) and its title, alt and aria-label attributes; json: the string
 * values (keys are identifiers), the member of a bilingual {"ja", "en"} pair in the other language aside, and the
 * "message" and "findings" texts that docs/report-json.md keeps in English for programs; xlsx: the
 * cells, sheet names, validations and page headers of the workbook's dump. Each piece is checked line by line.
 *
 * (a) An English sentence is three or more consecutive words of Latin letters, all lowercase but the first
 * letter, separated by single spaces, a word possibly followed by one of , ; : . ! ? ) and preceded by ( .
 * Identifiers are not words (fact, item and framework ids, enum values, file names, hashes and URLs all hold a
 * digit, '.', '_', '-', '/' or '@'), nor are acronyms (ISMS). Allowed: an English sentence that is part of a text of
 * the input files (framework, rule and vocabulary YAML, the example's evidence.yaml and documents), unless that
 * text is the English half of a {ja, en} pair (or an applicant's name_en): a Japanese report must use the other
 * half. A command line (a sentence starting with "shinsa") is not prose.
 * (b) shinsa's Japanese: every msgstr of po/ja.po, cut at its printf conversions, each piece of two or more
 * characters that are neither punctuation nor ASCII. An English report must not contain one, once the Japanese
 * texts of the input files are taken out (framework questions are Japanese only).
 * (c) Nor may an English report show the Japanese half of a {ja, en} text of the input (or a name that has a
 * name_en): the English half exists (an evidence prompt, an answer), unless inside a longer Japanese-only text.
 * Failures print every offending sentence with the report it is in. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <ctype.h>
#include <dirent.h>
#include <json-c/json.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers.h"
#include "th_reports.h"
#include "yamldoc.h"

/* ---------- the input texts ---------- */

typedef struct {
  sh_buf en;      /* English that may appear in a Japanese report, one text a line, white space collapsed */
  sh_vec ja;      /* Japanese texts that may appear in an English report (owned), longest first */
  sh_vec ja_half; /* the Japanese halves of {ja, en} pairs (and names with a name_en): never in an English report */
  sh_vec ja_all;  /* both (borrowed), longest first */
} allowed;

static bool has_non_ascii(const char *s) {
  for (; *s; s++)
    if ((unsigned char)*s >= 0x80) return true;
  return false;
}

static bool has_ascii_letter(const char *s) {
  for (; *s; s++)
    if (isalpha((unsigned char)*s)) return true;
  return false;
}

static void put_collapsed(sh_buf *b, const char *s) {
  bool space = false;
  for (; *s; s++) {
    if (isspace((unsigned char)*s)) {
      space = true;
      continue;
    }
    if (space && b->len && sh_buf_str(b)[b->len - 1] != '\n') sh_buf_putc(b, ' ');
    space = false;
    sh_buf_putc(b, *s);
  }
  sh_buf_putc(b, '\n');
}

static void add_text(allowed *a, const char *s, bool en_ok, bool ja_ok) {
  if (en_ok && has_ascii_letter(s)) put_collapsed(&a->en, s);
  if (has_non_ascii(s)) {
    /* line by line: a report may show one line of a longer text */
    char *copy = sh_strdup(s);
    for (char *save = NULL, *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
      if (has_non_ascii(l)) sh_vec_push(ja_ok ? &a->ja : &a->ja_half, sh_strdup(l));
    free(copy);
  }
}

static void walk_yaml(allowed *a, const sh_ynode *n, const sh_ynode *parent, const char *key) {
  if (!n) return;
  switch (n->kind) {
  case SH_Y_SCALAR: {
    bool pair = parent && sh_ymap_get(parent, "ja") && sh_ymap_get(parent, "en");
    bool names = parent && sh_ymap_get(parent, "name") && sh_ymap_get(parent, "name_en");
    bool en_half = key && ((pair && strcmp(key, "en") == 0) || (names && strcmp(key, "name_en") == 0));
    bool ja_half = key && ((pair && strcmp(key, "ja") == 0) || (names && strcmp(key, "name") == 0));
    add_text(a, n->str, !en_half, !ja_half);
    break;
  }
  case SH_Y_SEQ:
    for (size_t i = 0; i < n->n; i++) walk_yaml(a, n->items[i], NULL, NULL);
    break;
  case SH_Y_MAP:
    for (size_t i = 0; i < n->n; i++)
      walk_yaml(a, n->pairs[i].val, n, n->pairs[i].key && n->pairs[i].key->kind == SH_Y_SCALAR ? n->pairs[i].key->str : NULL);
    break;
  }
}

static bool ends_with(const char *s, const char *suffix) {
  size_t a = strlen(s), b = strlen(suffix);
  return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* Every file under path (YAML parsed, the rest as text). */
static void add_files(allowed *a, const char *path) {
  struct stat st;
  if (stat(path, &st) != 0) return;
  if (S_ISDIR(st.st_mode)) {
    DIR *d = opendir(path);
    cr_assert(d, "cannot list %s", path);
    for (struct dirent *e; (e = readdir(d));) {
      if (e->d_name[0] == '.') continue;
      char *p = sh_path_join(path, e->d_name);
      add_files(a, p);
      free(p);
    }
    closedir(d);
    return;
  }
  if (ends_with(path, ".yaml") || ends_with(path, ".yml")) {
    sh_diags d = {0};
    sh_ydoc *doc = sh_ydoc_load_file(path, &d);
    char *m = th_diags_str(&d);
    cr_assert(doc, "%s does not load: %s", path, m);
    free(m);
    walk_yaml(a, doc->root, NULL, NULL);
    sh_ydoc_free(doc);
    sh_diags_free(&d);
  } else if (!ends_with(path, ".md")) { /* README.md: not an input */
    char *text = NULL;
    size_t len;
    if (sh_read_file(path, 16u << 20, &text, &len) == 0 && strlen(text) == len) add_text(a, text, true, true);
    free(text);
  }
}

static int longest_first(const void *x, const void *y) {
  size_t a = strlen(*(char *const *)x), b = strlen(*(char *const *)y);
  return (a < b) - (a > b);
}

/* ja_all: every Japanese input text, longest first. */
static void allowed_sort(allowed *a) {
  sh_vec_free(&a->ja_all);
  for (size_t i = 0; i < a->ja.n; i++) sh_vec_push(&a->ja_all, a->ja.v[i]);
  for (size_t i = 0; i < a->ja_half.n; i++) sh_vec_push(&a->ja_all, a->ja_half.v[i]);
  if (a->ja_all.n) qsort(a->ja_all.v, a->ja_all.n, sizeof *a->ja_all.v, longest_first);
}

static void allowed_load(allowed *a, const char *example) {
  memset(a, 0, sizeof *a);
  static const char *const dirs[] = {"checklists", "rules"};
  for (size_t i = 0; i < 2; i++) {
    char *p = th_src(dirs[i]);
    add_files(a, p);
    free(p);
  }
  char *ex = sh_printf("examples/%s", example), *p = th_src(ex);
  add_files(a, p);
  free(p), free(ex);
  if (a->ja.n) qsort(a->ja.v, a->ja.n, sizeof *a->ja.v, longest_first);
  if (a->ja_half.n) qsort(a->ja_half.v, a->ja_half.n, sizeof *a->ja_half.v, longest_first);
  allowed_sort(a);
}

static void allowed_free(allowed *a) {
  sh_buf_free(&a->en);
  sh_vec_free_all(&a->ja, free);
  sh_vec_free_all(&a->ja_half, free);
  sh_vec_free(&a->ja_all);
}

/* ---------- the text of a report ---------- */

static void put_line(sh_vec *out, const char *s, size_t n) {
  if (n) sh_vec_push(out, sh_strndup(s, n));
}

/* Splits s into lines and adds them. */
static void put_lines(sh_vec *out, const char *s) {
  for (const char *l = s; *l;) {
    const char *eol = strpbrk(l, "\r\n");
    size_t n = eol ? (size_t)(eol - l) : strlen(l);
    put_line(out, l, n);
    l += n;
    while (*l == '\r' || *l == '\n') l++;
  }
}

static void html_text(xmlNode *n, sh_vec *out) {
  for (; n; n = n->next) {
    if (n->type == XML_TEXT_NODE) put_lines(out, (const char *)n->content);
    if (n->type != XML_ELEMENT_NODE) continue;
    if (strcmp((const char *)n->name, "style") == 0 || strcmp((const char *)n->name, "script") == 0) continue;
    static const char *const attrs[] = {"title", "alt", "aria-label", NULL};
    for (size_t k = 0; attrs[k]; k++) {
      xmlChar *v = xmlGetProp(n, (const xmlChar *)attrs[k]);
      if (v) put_lines(out, (const char *)v);
      xmlFree(v);
    }
    html_text(n->children, out);
  }
}

/* skip_key: the member of a {ja, en} pair that is in the other language ("en" in a Japanese report). */
static void json_text(json_object *o, const char *skip_key, sh_vec *out) {
  switch (json_object_get_type(o)) {
  case json_type_string: put_lines(out, json_object_get_string(o)); break;
  case json_type_array:
    for (size_t i = 0; i < json_object_array_length(o); i++) json_text(json_object_array_get_idx(o, i), skip_key, out);
    break;
  case json_type_object: {
    json_object *ja = NULL, *en = NULL;
    bool pair = json_object_object_get_ex(o, "ja", &ja) && json_object_object_get_ex(o, "en", &en);
    bool names = json_object_object_get_ex(o, "name", NULL) && json_object_object_get_ex(o, "name_en", NULL);
    json_object_object_foreach(o, key, val) {
      if (pair && strcmp(key, skip_key) == 0) continue;
      /* docs/report-json.md: "message" (of a reason) and "findings" are English, a stable text for programs; their
       * text in the report language is "text" and "findings_text" */
      if (strcmp(key, "message") == 0 || strcmp(key, "findings") == 0) continue;
      if (names && strcmp(key, strcmp(skip_key, "en") == 0 ? "name_en" : "name") == 0) continue;
      json_text(val, skip_key, out);
    }
    break;
  }
  default: break;
  }
}

/* The pieces of text of report format f, in lang. */
static void report_text(th_report_format f, const char *text, const char *lang, sh_vec *out) {
  switch (f) {
  case TH_RF_MD: {
    sh_buf b = {0};
    for (const char *p = text; *p; p++) {
      if (*p == '\\' && ispunct((unsigned char)p[1])) p++;
      sh_buf_putc(&b, *p);
    }
    put_lines(out, sh_buf_str(&b));
    sh_buf_free(&b);
    break;
  }
  case TH_RF_HTML: {
    htmlDocPtr d = htmlReadMemory(text, (int)strlen(text), "report.html", "UTF-8",
                                  HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
    cr_assert(d, "the HTML report does not parse");
    html_text(xmlDocGetRootElement(d), out);
    xmlFreeDoc(d);
    break;
  }
  case TH_RF_JSON: {
    json_object *o = json_tokener_parse(text);
    cr_assert(o, "the JSON report does not parse");
    json_text(o, strcmp(lang, "ja") == 0 ? "en" : "ja", out);
    json_object_put(o);
    break;
  }
  case TH_RF_XLSX:
    /* the dump's own words aside: "SHEET!A1: value" -> value, "@key rest" -> rest */
    for (const char *l = text; *l;) {
      const char *eol = strchr(l, '\n');
      size_t n = eol ? (size_t)(eol - l) : strlen(l);
      char *line = sh_strndup(l, n);
      const char *v = line;
      if (line[0] == '@') {
        v = strchr(line, ' ');
        v = v ? v + 1 : "";
      } else if (strncmp(line, "== ", 3) == 0) {
        v = line + 3;
      } else {
        const char *bang = strchr(line, '!'), *colon = bang ? strstr(bang, ": ") : NULL;
        if (colon) v = colon + 2;
      }
      /* escaped line breaks of a cell */
      sh_buf b = {0};
      for (const char *p = v; *p; p++) {
        if (p[0] == '\\' && (p[1] == 'n' || p[1] == 'r' || p[1] == 't')) {
          sh_buf_putc(&b, '\n');
          p++;
        } else if (p[0] == '\\' && p[1] == '\\') {
          sh_buf_putc(&b, '\\');
          p++;
        } else {
          sh_buf_putc(&b, *p);
        }
      }
      put_lines(out, sh_buf_str(&b));
      sh_buf_free(&b);
      free(line);
      l += n + (eol != NULL);
    }
    break;
  default: put_lines(out, text); break;
  }
}

/* ---------- offending texts, grouped ---------- */

/* Each offending text once, with how often and where it was first seen. */
typedef struct {
  sh_strmap index; /* text -> 1-based position in texts */
  sh_vec texts, firsts;
  size_t *counts;
} offences;

/* The first max bytes of s, cut at a character boundary. */
static int utf8_prefix(const char *s, int max) {
  int n = (int)strlen(s);
  if (n <= max) return n;
  while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80) max--;
  return max;
}

static void offence_add(offences *o, const char *text, const char *where, const char *line) {
  size_t i = (size_t)(uintptr_t)sh_strmap_get(&o->index, text);
  if (!i) {
    sh_vec_push(&o->texts, sh_strdup(text));
    sh_vec_push(&o->firsts, sh_printf("%s: %.*s", where, utf8_prefix(line, 200), line));
    o->counts = sh_realloc(o->counts, o->texts.n * sizeof *o->counts);
    o->counts[o->texts.n - 1] = 0;
    i = o->texts.n;
    sh_strmap_put(&o->index, text, (void *)(uintptr_t)i);
  }
  o->counts[i - 1]++;
}

static char *offences_str(const offences *o) {
  sh_buf b = {0};
  for (size_t i = 0; i < o->texts.n; i++)
    sh_buf_printf(&b, "  \"%s\" ×%zu, first in %s\n", (const char *)o->texts.v[i], o->counts[i], (const char *)o->firsts.v[i]);
  return sh_buf_steal(&b);
}

static void offences_free(offences *o) {
  sh_strmap_free(&o->index);
  sh_vec_free_all(&o->texts, free);
  sh_vec_free_all(&o->firsts, free);
  free(o->counts);
}

/* ---------- (a) English sentences ---------- */

/* A word: [(]? letter lowercase* [,;:.!?)]? (the first letter may be a capital). Returns its length or 0. */
static size_t word_at(const char *p) {
  const char *s = p;
  if (*s == '(') s++;
  if (!isalpha((unsigned char)*s)) return 0;
  s++;
  while (islower((unsigned char)*s)) s++;
  if (isupper((unsigned char)s[-1]) && s - p > 1 + (*p == '(') && s[-2] != '(') return 0;
  if (*s && strchr(",;:.!?)", *s)) s++;
  if (*s && *s != ' ' && (unsigned char)*s < 0x80) return 0; /* a word ends at a space, a Japanese character or the end */
  return (size_t)(s - p);
}

/* Adds every English sentence of line that is not allowed to bad. */
static void english_sentences(const char *line, const allowed *a, const char *where, offences *bad) {
  const char *p = line;
  while (*p) {
    /* at the start of a token: after a space, a Japanese character or an opening mark, not inside an identifier */
    if (p != line && (isalnum((unsigned char)p[-1]) || strchr("_-./@:#=%$&+*~^'`\\", p[-1]))) {
      p++;
      continue;
    }
    const char *start = p, *q = p;
    int words = 0;
    size_t w;
    while ((w = word_at(q)) > 0) {
      words++;
      q += w;
      if (*q == ' ' && q[1] != ' ') q++;
      else break;
    }
    if (words >= 3) {
      size_t n = (size_t)(q - start);
      while (n && start[n - 1] == ' ') n--;
      char *s = sh_strndup(start, n);
      bool command = strncmp(s, "shinsa ", 7) == 0;
      if (!command && !strstr(sh_buf_str(&a->en), s)) offence_add(bad, s, where, line);
      free(s);
      p = q > p ? q : p + 1;
    } else {
      p = q > p ? q : p + 1;
    }
  }
}

/* ---------- (b) shinsa's Japanese ---------- */

/* The msgstr pieces of po/ja.po (split at printf conversions and line breaks), two or more characters that are
 * neither ASCII nor punctuation each, without duplicates. */
static void catalog_pieces(sh_vec *out) {
  char *po = th_src("po/ja.po");
  char *text = NULL;
  size_t len;
  cr_assert_eq(sh_read_file(po, 16u << 20, &text, &len), 0, "cannot read %s", po);
  sh_strmap seen = {0};
  sh_buf str = {0};
  bool in_str = false;
  for (char *save = NULL, *l = strtok_r(text, "\n", &save);; l = strtok_r(NULL, "\n", &save)) {
    bool cont = l && in_str && l[0] == '"';
    if (l && strncmp(l, "msgstr \"", 8) == 0) {
      in_str = true;
      sh_buf_clear(&str);
      l += 7;
      cont = true;
    }
    if (cont) {
      /* the quoted text, unescaped */
      for (char *p = l + 1; *p && !(*p == '"' && p[1] == '\0'); p++) {
        if (*p == '\\' && p[1]) {
          p++;
          sh_buf_putc(&str, *p == 'n' ? '\n' : *p == 't' ? '\t' : *p);
        } else {
          sh_buf_putc(&str, *p);
        }
      }
      continue;
    }
    if (in_str) {
      in_str = false;
      /* cut at conversions (%s, %zu, %1$s...) and line breaks */
      const char *s = sh_buf_str(&str);
      sh_buf piece = {0};
      for (const char *p = s;; p++) {
        bool cut = !*p || *p == '\n';
        if (*p == '%') {
          cut = true;
          p++;
          while (*p && !isalpha((unsigned char)*p) && *p != '%') p++;
          while (*p == 'z' || *p == 'l' || *p == 'h') p++;
        }
        if (cut) {
          /* trim ASCII and punctuation at both ends: the piece is the Japanese in between */
          const char *b = sh_buf_str(&piece);
          size_t n = piece.len;
          size_t chars = 0;
          for (size_t k = 0; k < n;) {
            unsigned char c = (unsigned char)b[k];
            size_t cl = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
            /* CJK punctuation U+3000-U+303F (E3 80 xx), full-width forms' punctuation (EF BC 80..8F...) */
            bool punct = c < 0x80 || (c == 0xE3 && (unsigned char)b[k + 1] == 0x80) ||
                         (c == 0xEF && (unsigned char)b[k + 1] == 0xBC && (unsigned char)b[k + 2] < 0x90) ||
                         (c == 0xE2 && (unsigned char)b[k + 1] == 0x80); /* dashes, ellipsis */
            if (!punct) chars++;
            k += cl;
          }
          if (chars >= 2 && !sh_strmap_get(&seen, b)) {
            sh_strmap_put(&seen, b, (void *)1);
            sh_vec_push(out, sh_strdup(b));
          }
          sh_buf_clear(&piece);
          if (!*p) break;
          if (*p == '\n' || *p == '%') continue;
          if (isalpha((unsigned char)*p)) continue; /* the conversion letter */
        }
        sh_buf_putc(&piece, *p);
      }
      sh_buf_free(&piece);
    }
    if (!l) break;
  }
  sh_buf_free(&str);
  sh_strmap_free(&seen);
  free(text);
  free(po);
}

/* Takes every occurrence of the texts of v out of s (same length, so that nothing joins). */
static void take_out(char *s, const sh_vec *v) {
  for (size_t i = 0; i < v->n; i++) {
    const char *t = v->v[i];
    size_t n = strlen(t);
    for (char *hit; (hit = strstr(s, t));) memset(hit, '\x01', n);
  }
}

/* (b) Adds every catalog piece found in line, once the Japanese texts of the input files are taken out, to bad. */
static void catalog_japanese(const char *line, const allowed *a, const sh_vec *pieces, const char *where, offences *bad) {
  if (!has_non_ascii(line)) return;
  char *s = sh_strdup(line);
  take_out(s, &a->ja_all);
  for (size_t i = 0; i < pieces->n; i++)
    if (strstr(s, pieces->v[i])) offence_add(bad, pieces->v[i], where, line);
  free(s);
}

/* (c) Adds to bad the Japanese half of a {ja, en} text of the input found in line (longest first, each hit taken out
 * so that a part of it is not reported again), unless it is part of a Japanese-only input text shown there. */
static void japanese_halves(const char *line, const allowed *a, const char *where, offences *bad) {
  if (!has_non_ascii(line)) return;
  char *s = sh_strdup(line);
  for (size_t i = 0; i < a->ja_half.n; i++) {
    const char *h = a->ja_half.v[i];
    char *hit = strstr(s, h);
    if (!hit || strlen(h) < 6) continue; /* two Japanese characters at least */
    bool inside = false;
    for (size_t k = 0; k < a->ja.n && !inside; k++)
      inside = strlen(a->ja.v[k]) > strlen(h) && strstr(a->ja.v[k], h) && strstr(line, a->ja.v[k]);
    if (inside) continue;
    offence_add(bad, h, where, line);
    for (; hit; hit = strstr(hit, h)) memset(hit, '\x01', strlen(h));
  }
  free(s);
}

/* ---------- the tests ---------- */

static const th_report_format checked[] = {TH_RF_TEXT, TH_RF_MD, TH_RF_HTML, TH_RF_JSON, TH_RF_CSV, TH_RF_XLSX};
#define NCHECKED (sizeof checked / sizeof checked[0])

/* Checks the Japanese and English reports of one example and view. */
static void check_set(const th_report_set *ja, const th_report_set *en, const char *ex, const char *view,
                      const allowed *a, const sh_vec *pieces, offences *bad_en, offences *bad_ja,
                      offences *bad_half) {
  for (size_t k = 0; k < NCHECKED; k++) {
    th_report_format f = checked[k];
    char *where_ja = sh_printf("%s %s ja .%s", ex, view, th_report_ext[f]);
    char *where_en = sh_printf("%s %s en .%s", ex, view, th_report_ext[f]);
    sh_vec lines = {0};
    report_text(f, ja->text[f], "ja", &lines);
    for (size_t i = 0; i < lines.n; i++) english_sentences(lines.v[i], a, where_ja, bad_en);
    sh_vec_free_all(&lines, free);
    report_text(f, en->text[f], "en", &lines);
    for (size_t i = 0; i < lines.n; i++) catalog_japanese(lines.v[i], a, pieces, where_en, bad_ja);
    for (size_t i = 0; i < lines.n; i++) japanese_halves(lines.v[i], a, where_en, bad_half);
    sh_vec_free_all(&lines, free);
    free(where_ja), free(where_en);
  }
}

/* The expectations, each listing its offending texts once, with how often and where first seen. */
static void expect_none(const offences *bad_en, const offences *bad_ja, const offences *bad_half, const char *what) {
  char *s_en = offences_str(bad_en), *s_ja = offences_str(bad_ja), *s_half = offences_str(bad_half);
  cr_expect_eq(bad_en->texts.n, 0, "%zu English sentences in the Japanese reports (%s):\n%s", bad_en->texts.n, what, s_en);
  cr_expect_eq(bad_ja->texts.n, 0, "%zu texts of shinsa's Japanese (po/ja.po) in the English reports (%s):\n%s",
               bad_ja->texts.n, what, s_ja);
  cr_expect_eq(bad_half->texts.n, 0, "%zu Japanese texts of the input that have an English version in the English "
               "reports (%s):\n%s", bad_half->texts.n, what, s_half);
  free(s_en), free(s_ja), free(s_half);
}

typedef struct {
  int example, view;
} combo;

ParameterizedTestParameters(lang, reports) {
  static combo combos[6];
  size_t n = 0;
  for (int e = 0; e < 2; e++)
    for (int v = 0; v < 3; v++) combos[n++] = (combo){e, v};
  return cr_make_param_array(combo, combos, n);
}

/* One example × view: the Japanese reports hold no English sentence, the English ones none of shinsa's
 * Japanese. */
ParameterizedTest(combo *c, lang, reports) {
  const char *ex = th_examples[c->example], *view = th_views[c->view];
  th_report_set ja, en;
  th_report_set_make(&ja, ex, view, "ja");
  th_report_set_make(&en, ex, view, "en");
  allowed a;
  allowed_load(&a, ex);
  sh_vec pieces = {0};
  catalog_pieces(&pieces);
  cr_assert_gt(pieces.n, 100, "po/ja.po holds too few messages");
  offences bad_en = {0}, bad_ja = {0}, bad_half = {0};
  check_set(&ja, &en, ex, view, &a, &pieces, &bad_en, &bad_ja, &bad_half);
  char *what = sh_printf("%s, %s view", ex, view);
  expect_none(&bad_en, &bad_ja, &bad_half, what);
  free(what);
  offences_free(&bad_en), offences_free(&bad_ja), offences_free(&bad_half);
  sh_vec_free_all(&pieces, free);
  allowed_free(&a);
  th_report_set_free(&ja);
  th_report_set_free(&en);
}

/* ---------- a recorded run with reviewer decisions and a waiver ---------- */

/* The notes the reviewers write: input text (allowed in an English report). */
static const char *const notes[] = {"規程と議事録を確認した。", "委員名簿の最新版を提出すること。", "記録が不足している。",
                                    "是正計画を受領した。", "2027年3月末までの経過措置"};

/* Records run 1 of example in a new store with two reviewers' decisions (accept, request more, reject) on its
 * needs_review items and a waiver of a not_satisfied must item. Returns the store (caller frees). */
static char *reviewed_store(const char *example) {
  char *root = th_src("");
  cr_assert_eq(chdir(root), 0);
  setenv("SHINSA_NOW", TH_REPORT_NOW, 1);
  char *dir = th_tmpdir();
  char *db = sh_path_join(dir, "runs.db"), *ex = sh_printf("examples/%s", example);
  char *out = NULL, *err = NULL;
  const char *rec[] = {"check", "--db", db, ex, NULL};
  int rc = th_run(NULL, &err, rec);
  cr_assert_eq(rc, 1, "check --db: exit %d: %s", rc, err);
  free(err);
  const char *js[] = {"report", "1", "--db", db, "--data-dir", root, "--format", "json", NULL};
  rc = th_run(&out, &err, js);
  cr_assert_eq(rc, 1, "report --format json: exit %d: %s", rc, err);
  free(err);
  json_object *o = json_tokener_parse(out), *items = NULL;
  cr_assert(o && json_object_object_get_ex(o, "items", &items), "no items in the JSON report");
  sh_vec review = {0};
  char *waive = NULL;
  for (size_t i = 0; i < json_object_array_length(items); i++) {
    json_object *it = json_object_array_get_idx(items, i), *fw, *id, *verdict, *strength;
    cr_assert(json_object_object_get_ex(it, "framework", &fw) && json_object_object_get_ex(it, "id", &id) &&
              json_object_object_get_ex(it, "verdict", &verdict) && json_object_object_get_ex(it, "strength", &strength));
    char *key = sh_printf("%s:%s", json_object_get_string(fw), json_object_get_string(id));
    if (strcmp(json_object_get_string(verdict), "needs_review") == 0 && review.n < 3) {
      sh_vec_push(&review, key);
    } else if (!waive && strcmp(json_object_get_string(verdict), "not_satisfied") == 0 &&
               strcmp(json_object_get_string(strength), "must") == 0) {
      waive = key;
    } else {
      free(key);
    }
  }
  json_object_put(o);
  free(out);
  cr_assert(review.n == 3 && waive, "%s: three needs_review items and a not_satisfied must item expected", example);
  const char *roster[] = {"佐藤", "auditor", "Suzuki", "medical_professional", NULL};
  th_add_reviewers(db, roster);
  cr_assert_eq(th_review(db, "1", review.v[0], "accept", "佐藤", "auditor", notes[0], NULL, &err), 0, "%s", err);
  free(err);
  cr_assert_eq(th_review(db, "1", review.v[1], "request-more", "Suzuki", "medical_professional", notes[1], NULL, &err), 0,
               "%s", err);
  free(err);
  cr_assert_eq(th_review(db, "1", review.v[2], "reject", "佐藤", "auditor", notes[2], NULL, &err), 0, "%s", err);
  free(err);
  cr_assert_eq(th_waive(db, "1", waive, "佐藤", notes[3], notes[4], "2027-12-31", &err), 0, "%s", err);
  free(err);
  sh_vec_free_all(&review, free);
  free(waive);
  free(ex);
  free(dir);
  free(root);
  return db;
}

/* The same checks on the reports of a recorded run with reviewer decisions, a quorum and a waiver (their texts do
 * not depend on the example: one example, the smaller, to keep the suite fast). */
Test(lang, reviewed_reports) {
  const char *ex = "phr-operator";
  char *db = reviewed_store(ex);
  allowed a;
  allowed_load(&a, ex);
  for (size_t i = 0; i < sizeof notes / sizeof notes[0]; i++) sh_vec_push(&a.ja, sh_strdup(notes[i]));
  qsort(a.ja.v, a.ja.n, sizeof *a.ja.v, longest_first);
  allowed_sort(&a);
  sh_vec pieces = {0};
  catalog_pieces(&pieces);
  offences bad_en = {0}, bad_ja = {0}, bad_half = {0};
  for (int v = 0; th_views[v]; v++) {
    th_report_set ja, en;
    th_report_set_from_run(&ja, db, "1", th_views[v], "ja");
    th_report_set_from_run(&en, db, "1", th_views[v], "en");
    check_set(&ja, &en, ex, th_views[v], &a, &pieces, &bad_en, &bad_ja, &bad_half);
    th_report_set_free(&ja);
    th_report_set_free(&en);
  }
  char *what = sh_printf("%s, a reviewed run", ex);
  expect_none(&bad_en, &bad_ja, &bad_half, what);
  free(what);
  offences_free(&bad_en), offences_free(&bad_ja), offences_free(&bad_half);
  sh_vec_free_all(&pieces, free);
  allowed_free(&a);
  free(db);
}

/* The detectors themselves. */
Test(lang, detectors) {
  allowed a = {0};
  add_text(&a, "Quoted from the source text here", true, true);
  offences bad = {0};
  english_sentences("理由: security.certs is only declared; this item requires attested evidence", &a, "x", &bad);
  cr_assert_eq(bad.texts.n, 1);
  cr_assert_str_eq(bad.texts.v[0], "is only declared; this item requires attested evidence");
  offences_free(&bad);
  memset(&bad, 0, sizeof bad);
  english_sentences("phr-2023:2.2/1-1 docs/a.txt sha256:0f4d ISMS TLS 1.2 required: = true (phr_operator)", &a, "x", &bad);
  english_sentences("出典: Quoted from the source text 行 3; shinsa import answers FILE.xlsx", &a, "x", &bad);
  english_sentences("two words", &a, "x", &bad);
  english_sentences("ids: data.max_sensitivity_level, operator.is_information_bank", &a, "x", &bad);
  cr_assert_eq(bad.texts.n, 0, "%s", bad.texts.n ? (const char *)bad.texts.v[0] : "");
  english_sentences("未回答（not answered yet）", &a, "x", &bad);
  cr_assert_eq(bad.texts.n, 1, "after a Japanese character");
  offences_free(&bad);
  memset(&bad, 0, sizeof bad);
  sh_vec pieces = {0};
  sh_vec_push(&pieces, sh_strdup("未充足"));
  sh_vec_push(&a.ja, sh_strdup("条件が未充足の場合"));
  allowed_sort(&a);
  catalog_japanese("verdict: 未充足", &a, &pieces, "x", &bad);
  cr_assert_eq(bad.texts.n, 1);
  catalog_japanese("question: 条件が未充足の場合 (source text)", &a, &pieces, "x", &bad);
  cr_assert_eq(bad.texts.n, 1, "input text aside");
  cr_assert_eq(bad.counts[0], 1);
  offences_free(&bad);
  memset(&bad, 0, sizeof bad);
  sh_vec_push(&a.ja_half, sh_strdup("規程の写し"));
  japanese_halves("Reason: reviewer to examine: 規程の写し", &a, "x", &bad);
  cr_assert_eq(bad.texts.n, 1);
  offences_free(&bad);
  sh_vec_free_all(&pieces, free);
  allowed_free(&a);
}
