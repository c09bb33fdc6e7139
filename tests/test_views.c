/* Tests of the report views and formats: golden files of the applicant and ethics views for the
 * bundled examples (ja, en), markup injection from evidence text (inert in HTML, also in a real
 * browser: headless Chromium), CSV quoting and formula safety, the XLSX checksheet read back, and
 * reports re-rendered from the database with reviewer decisions. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hash.h"
#include "checksheet.h"
#include "helpers.h"
#include "report_cells.h"
#include "texttable.h"

/* ---------- standard output equals the golden files ---------- */

/* Each view × language × format of both examples written to standard output (`--format`) is byte for byte the
 * golden file the multi-output run writes (tests/golden/EXAMPLE/VIEW.LANG.EXT, test_golden.c): one set of golden
 * files, two ways of asking for a report. */
static const char *const g_examples[] = {"phr-operator", "infobank-health"};
static const char *const g_views[] = {"auditor", "applicant", "ethics"};
static const char *const g_langs[] = {"ja", "en"};
static const char *const g_formats[][2] = {{"text", "txt"}, {"md", "md"}, {"html", "html"}, {"json", "json"}, {"csv", "csv"}};
#define G_N (2 * 3 * 2 * 5)

/* Text tables align by display width: a CJK character takes two columns (utf8proc, East Asian Width). */
Test(views, text_table_aligns_by_display_width) {
  const char *cells[] = {"ID", "NAME", "N", "abcdef", "x", "7", "あい", "株式会社", "12"};
  const bool right[] = {false, false, true};
  sh_buf b = {0};
  sh_text_table(&b, cells, 3, 3, right);
  cr_assert_str_eq(sh_buf_str(&b), "ID      NAME       N\n"
                                   "abcdef  x          7\n"
                                   "あい    株式会社  12\n");
  cr_assert_eq(sh_display_width("株式会社ab"), 10);
  sh_buf_free(&b);
}

/* The terminal text of the Markdown views carries no Markdown: no backslash escapes, no emphasis marks, no code
 * spans, no heading marks (issue 13: `2\.2/1-1`, `phr\_operator`). */
Test(views, terminal_text_has_no_markdown) {
  char *root = th_src("");
  cr_assert_eq(chdir(root), 0);
  free(root);
  static const char *const views[] = {"applicant", "ethics"};
  for (size_t v = 0; v < 2; v++) {
    char *out = NULL;
    const char *args[] = {"check", "--view", views[v], "--format", "text", "examples/phr-operator", NULL};
    th_run(&out, NULL, args);
    /* ids with underscores, as written (the applicant's kind now reads by its label: PHR事業者) */
    cr_expect(strstr(out, v == 0 ? "retention.delete_when_purpose_ends" : "health.benefit_health_based"), "%s", out);
    static const char *const md[] = {"\\.", "\\_", "\\[", "**", "`", "\n#", "\n- ", NULL};
    for (size_t k = 0; md[k]; k++) cr_expect_null(strstr(out, md[k]), "%s: '%s' in the text:\n%s", views[v], md[k], out);
    free(out);
  }
}

ParameterizedTestParameters(views, golden) {
  static int idx[G_N];
  for (int i = 0; i < G_N; i++) idx[i] = i;
  return cr_make_param_array(int, idx, G_N);
}

ParameterizedTest(int *i, views, golden) {
  int k = *i;
  const char *const *fmt = g_formats[k % 5];
  const char *lang = g_langs[(k / 5) % 2], *view = g_views[(k / 10) % 3], *ex = g_examples[k / 30];
  char *root = th_src("");
  cr_assert_eq(chdir(root), 0);
  free(root);
  char *dir = sh_printf("examples/%s", ex);
  const char *args[] = {"check", "--view", view, "--format", fmt[0], "--lang", lang, dir, NULL};
  char *out = NULL, *err = NULL;
  int rc = th_run(&out, &err, args);
  cr_assert_eq(rc, 1, "%s %s %s %s: exit %d; stderr:\n%s", ex, view, lang, fmt[0], rc, err);
  char *rel = sh_printf("tests/golden/%s/%s.%s.%s", ex, view, lang, fmt[1]);
  char *want = NULL;
  size_t len = 0;
  cr_assert_eq(sh_read_file(rel, 64u << 20, &want, &len), 0, "%s missing (written by the golden test)", rel);
  if (strcmp(want, out) != 0) {
    int line = 1;
    size_t n = 0;
    while (want[n] && want[n] == out[n]) line += want[n++] == '\n';
    cr_assert_fail("standard output of %s %s %s %s differs from %s at line %d", ex, view, lang, fmt[0], rel, line);
  }
  free(want);
  free(rel);
  free(dir);
  free(out);
  free(err);
}

/* ---------- an evidence package full of markup ---------- */

static const char hostile_doc[] = "certificate\n";

/* Writes the package into a new folder; returns the folder (caller frees). */
static char *hostile_package(void) {
  char *dir = th_tmpdir();
  char hx[65];
  sh_sha256_hex(hostile_doc, strlen(hostile_doc), hx);
  char *yaml = sh_printf(
    "applicant:\n"
    "  name: \"<script>document.title='PWNED'</script>株式会社 [click](javascript:alert(1))\"\n"
    "  name_en: \"![x](http://example.invalid/x.png) <img src=x onerror=\\\"document.body.setAttribute('data-pwned','1')\\\">\"\n"
    "  kind: phr_operator\n"
    "  assessment_date: 2026-10-01\n"
    "frameworks: [test-fw]\n"
    "facts:\n"
    "  sec.tls_min: tls11\n"
    "  sec.certs: [isms]\n"
    "documents:\n"
    "  - path: docs/cert.txt\n"
    "    sha256: %s\n"
    "    title: \"**bold** <iframe src=javascript:alert(1)></iframe> <a href='javascript:alert(2)'>x</a>\"\n"
    "    issued: 2025-04-01\n"
    "    attests: [sec.certs]\n"
    "data_items:\n"
    "  - id: hostile\n"
    "    name: {ja: \"=HYPERLINK(\\\"http://example.invalid\\\")\", en: \"<svg onload=\\\"document.title='PWNED'\\\"></svg>\"}\n"
    "    level: 2\n"
    "    purposes: [\"<script>document.title='PWNED'</script>\", \"+1\"]\n"
    "    recipients: [\"@SUM(A1)\", \"-2, \\\"quoted\\\"\\nline\"]\n",
    hx);
  free(th_write(dir, "evidence.yaml", yaml));
  free(th_write(dir, "docs/cert.txt", hostile_doc));
  free(yaml);
  return dir;
}

static char *body_of(const char *html) {
  const char *a = strstr(html, "<main>"), *b = strstr(html, "</main>");
  cr_assert(a && b && b > a);
  return sh_strndup(a, (size_t)(b - a));
}

static void assert_inert(const char *html, const char *what) {
  char *body = body_of(html);
  static const char *const bad[] = {"<script", "<img", "<iframe", "<a>", "onerror=\"", "onload=\"", "javascript:alert(1)\"",
                                    "href=\"javascript", NULL};
  for (size_t k = 0; bad[k]; k++) cr_assert_null(strstr(body, bad[k]), "%s: '%s' got through:\n%s", what, bad[k], body);
  /* The only links are the report's own (to an item's details), the only SVG its own charts. */
  for (const char *q = body; (q = strstr(q, "<a ")); q++)
    cr_assert(strncmp(q, "<a href=\"#item-", strlen("<a href=\"#item-")) == 0, "%s: a foreign link got through:\n%.200s", what, q);
  for (const char *q = body; (q = strstr(q, "<svg")); q++)
    cr_assert(strncmp(q, "<svg class=\"chart\" role=\"img\"", strlen("<svg class=\"chart\" role=\"img\"")) == 0, "%s: foreign SVG got through:\n%.200s", what, q);
  free(body);
  /* The page itself carries no script at all. */
  cr_assert_null(strstr(html, "<script"), "%s", what);
}

Test(views, markup_in_evidence_is_inert_in_html) {
  char *pkg = hostile_package();
  char *datadir = th_data("datadir");
  static const char *const views[] = {"auditor", "applicant", "ethics"};
  for (size_t v = 0; v < 3; v++)
    for (int en = 0; en < 2; en++) {
      char *out = NULL, *err = NULL;
      const char *args[] = {"check", "--data-dir", datadir, "--view", views[v], "--format", "html",
                            "--lang", en ? "en" : "ja", pkg, NULL};
      int rc = th_run(&out, &err, args);
      cr_assert_eq(rc, 1, "%s: exit %d: %s", views[v], rc, err);
      assert_inert(out, views[v]);
      /* The text is still there, shown literally. */
      if (!en) cr_assert(strstr(out, "&lt;script&gt;document.title="), "%s", views[v]);
      free(out);
      free(err);
    }
  free(datadir);
  free(pkg);
}

Test(views, markup_in_review_notes_is_inert_in_html) {
  char *pkg = hostile_package();
  char *dir = th_tmpdir();
  char *db = sh_path_join(dir, "h.db"), *datadir = th_data("datadir");
  const char *rec[] = {"check", "--data-dir", datadir, "--db", db, pkg, NULL};
  cr_assert_eq(th_run(NULL, NULL, rec), 1);
  th_add_reviewer(db, "[me](javascript:x)", "auditor");
  char *rerr = NULL;
  cr_assert_eq(th_review(db, "1", "test-fw:2.2", "request-more", "[me](javascript:x)", "auditor",
                         "<script>alert(1)</script> ![i](x.png)", NULL, &rerr), 0, "%s", rerr);
  free(rerr);
  char *out = NULL, *err = NULL;
  const char *rep[] = {"report", "1", "--db", db, "--data-dir", datadir, "--format", "html", NULL};
  cr_assert_eq(th_run(&out, &err, rep), 1, "%s", err);
  assert_inert(out, "report");
  cr_assert(strstr(out, "&lt;script&gt;alert(1)&lt;/script&gt;"), "%s", out);
  free(out);
  free(err);
  free(db);
  free(datadir);
  free(dir);
  free(pkg);
}

/* ---------- the applicant view in HTML ---------- */

/* Every element of the tree with the given name, in document order. */
static void html_collect(xmlNode *n, const char *name, sh_vec *out) {
  for (; n; n = n->next) {
    if (n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0) sh_vec_push(out, n);
    html_collect(n->children, name, out);
  }
}

static char *html_attr(xmlNode *n, const char *name) {
  xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
  char *s = sh_strdup(v ? (const char *)v : "");
  xmlFree(v);
  return s;
}

static char *html_content(xmlNode *n) {
  xmlChar *v = xmlNodeGetContent(n);
  char *s = sh_strdup(v ? (const char *)v : "");
  xmlFree(v);
  return s;
}

/* The first element called name with class cls under n, or NULL. */
static xmlNode *html_find(xmlNode *n, const char *name, const char *cls) {
  sh_vec v = {0};
  html_collect(n, name, &v);
  xmlNode *hit = NULL;
  for (size_t k = 0; k < v.n && !hit; k++) {
    char *c = html_attr(v.v[k], "class");
    if (!cls || strcmp(c, cls) == 0) hit = v.v[k];
    free(c);
  }
  sh_vec_free(&v);
  return hit;
}

/* The applicant's HTML is a real report, not Markdown made into a page: a first page with the result, per
 * framework the counts per verdict as a table and as an SVG chart, badges that carry their verdict's word, the gap
 * list as a table whose every row links to that item's details, and no Markdown left in the text. */
Test(views, applicant_html_has_tables_charts_badges_and_links) {
  char *root = th_src("");
  cr_assert_eq(chdir(root), 0);
  free(root);
  char *out = NULL, *err = NULL;
  const char *args[] = {"check", "--view", "applicant", "--format", "html", "--lang", "en", "examples/phr-operator", NULL};
  cr_assert_eq(th_run(&out, &err, args), 1, "%s", err);
  htmlDocPtr doc = htmlReadMemory(out, (int)strlen(out), "applicant.html", "UTF-8",
                                  HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
  cr_assert_not_null(doc);
  xmlNode *top = xmlDocGetRootElement(doc);
  xmlNode *first = html_find(top, "section", "first-page");
  cr_assert_not_null(first, "no first page");
  /* the first page: title, applicant, result */
  xmlNode *h1 = html_find(first, "h1", NULL);
  char *t = html_content(h1);
  cr_assert_str_eq(t, "Gap list for the applicant");
  free(t);
  t = html_content(html_find(first, "dd", "result-ng"));
  cr_assert_str_eq(t, "8 must items not met");
  free(t);
  /* per framework (2): a counts table and a chart */
  sh_vec tables = {0}, svgs = {0};
  html_collect(first, "table", &tables);
  html_collect(first, "svg", &svgs);
  size_t ncounts = 0;
  for (size_t k = 0; k < tables.n; k++) {
    char *c = html_attr(tables.v[k], "class");
    ncounts += strcmp(c, "counts") == 0;
    free(c);
  }
  cr_assert_eq(ncounts, 2, "counts tables: %zu", ncounts);
  cr_assert_eq(svgs.n, 2, "charts: %zu", svgs.n);
  t = html_content(svgs.v[0]);
  cr_assert(strstr(t, "not satisfied") && strstr(t, "needs review"), "the chart names the verdicts: %s", t);
  free(t);
  sh_vec_free(&tables);
  sh_vec_free(&svgs);
  /* every badge carries a word, and the word matches its class */
  sh_vec spans = {0};
  html_collect(top, "span", &spans);
  size_t nbadges = 0;
  for (size_t k = 0; k < spans.n; k++) {
    char *c = html_attr(spans.v[k], "class"), *w = html_content(spans.v[k]);
    if (strncmp(c, "badge v-", 8) == 0) {
      nbadges++;
      sh_verdict v;
      cr_assert(sh_verdict_parse(c + 8, &v), "badge class %s", c);
      cr_assert_str_eq(w, sh_verdict_label(v, "en"), "badge %s says '%s'", c, w);
    }
    free(c);
    free(w);
  }
  cr_assert_gt(nbadges, 12);
  sh_vec_free(&spans);
  /* the gap list: id, section, question, strength, verdict, what to do; each row's link has a target */
  xmlNode *gaps = html_find(first, "table", "items gaps");
  cr_assert_not_null(gaps, "no gap list on the first page");
  sh_vec ths = {0}, rows = {0};
  html_collect(gaps, "th", &ths);
  static const char *const cols[] = {"Item", "Section", "Question", "Strength", "Verdict", "What to do"};
  cr_assert_eq(ths.n, 6);
  for (size_t k = 0; k < 6; k++) {
    t = html_content(ths.v[k]);
    cr_assert_str_eq(t, cols[k]);
    free(t);
  }
  html_collect(gaps, "tr", &rows);
  cr_assert_eq(rows.n, 1 + 9, "header and 9 gaps: %zu rows", rows.n);
  sh_vec all = {0};
  html_collect(top, "article", &all);
  for (size_t k = 1; k < rows.n; k++) {
    xmlNode *a = html_find(rows.v[k], "a", NULL);
    cr_assert_not_null(a, "row %zu has no link", k);
    char *href = html_attr(a, "href");
    cr_assert_eq(href[0], '#', "%s", href);
    bool found = false;
    for (size_t m = 0; m < all.n && !found; m++) {
      char *id = html_attr(all.v[m], "id");
      found = strcmp(id, href + 1) == 0;
      if (found) { /* the details: the item's source by title, its facts with provenance */
        char *text = html_content(all.v[m]);
        cr_assert(strstr(text, "Source"), "%s", text);
        free(text);
      }
      free(id);
    }
    cr_assert(found, "link %s has no target", href);
    free(href);
    xmlNode *why = html_find(rows.v[k], "td", "why");
    t = html_content(why);
    cr_assert(*t, "row %zu says nothing to do", k);
    free(t);
  }
  sh_vec_free(&ths);
  sh_vec_free(&rows);
  sh_vec_free(&all);
  /* no raw Markdown in the text */
  xmlNode *body = html_find(top, "main", NULL);
  char *text = html_content(body);
  static const char *const md[] = {"\\.", "\\_", "\\[", "**", "](", "\n- ", "\n#", "`", NULL};
  for (size_t k = 0; md[k]; k++) cr_expect_null(strstr(text, md[k]), "'%s' in the text", md[k]);
  free(text);
  /* the print stylesheet: A4, running header, page numbers, no item split */
  cr_assert(strstr(out, "size: A4"));
  cr_assert(strstr(out, "@top-left{content:") && strstr(out, "counter(page)"));
  cr_assert(strstr(out, "article.item{break-inside:avoid"));
  xmlFreeDoc(doc);
  free(out);
  free(err);
}

/* Markup in an applicant's answer, its references and a reviewer's note stays text in the applicant's and the
 * ethics board's HTML: no element, attribute or javascript: URL comes from the evidence. */
Test(views, markup_in_answers_and_conditions_is_inert_in_applicant_and_ethics_html) {
  char *pkg = hostile_package();
  char *ev = sh_path_join(pkg, "evidence.yaml");
  char *y = NULL;
  size_t len;
  cr_assert_eq(sh_read_file(ev, 1u << 20, &y, &len), 0);
  char *more = sh_printf("%sanswers:\n  \"test-fw:2.2\":\n    status: implemented\n"
                         "    answer: {ja: \"<a href='javascript:alert(3)'>x</a> \\\" onmouseover=\\\"alert(4)\", "
                         "en: \"<b onclick=alert(5)>b</b>\"}\n"
                         "    refs:\n      - {document: docs/cert.txt, at: \"<script>alert(6)</script>\"}\n", y);
  free(th_write(pkg, "evidence.yaml", more));
  free(more);
  free(y);
  char *dir = th_tmpdir();
  char *db = sh_path_join(dir, "h.db"), *datadir = th_data("datadir");
  const char *rec[] = {"check", "--data-dir", datadir, "--db", db, pkg, NULL};
  cr_assert_eq(th_run(NULL, NULL, rec), 1);
  th_add_reviewer(db, "<i>rev</i>", "auditor");
  char *rerr = NULL;
  cr_assert_eq(th_review(db, "1", "test-fw:2.2", "accept", "<i>rev</i>", "auditor",
                         "on condition <img src=x onerror=alert(7)> [c](javascript:alert(8))", NULL, &rerr), 0, "%s", rerr);
  free(rerr);
  static const char *const views[] = {"applicant", "ethics"};
  for (size_t v = 0; v < 2; v++)
    for (int en = 0; en < 2; en++) {
      char *out = NULL, *err = NULL;
      const char *rep[] = {"report", "1", "--db", db, "--data-dir", datadir, "--view", views[v], "--format", "html",
                           "--lang", en ? "en" : "ja", NULL};
      int rc = th_run(&out, &err, rep);
      cr_assert(rc == 0 || rc == 1, "%s: %d %s", views[v], rc, err);
      assert_inert(out, views[v]);
      static const char *const bad[] = {"<b ", "<b>", "onmouseover=\"", "<i>", NULL};
      for (size_t k = 0; bad[k]; k++) cr_assert_null(strstr(out, bad[k]), "%s: '%s' got through", views[v], bad[k]);
      if (v == 0) { /* the applicant sees the answer and its reference, as text */
        cr_assert(strstr(out, en ? "&lt;b onclick=alert(5)&gt;" : "&lt;a href=&#39;javascript:alert(3)&#39;&gt;"), "%s", out);
        cr_assert(strstr(out, "&lt;script&gt;alert(6)&lt;/script&gt;"), "%s", out);
      }
      /* the reviewer's note (the condition of the approval) is shown literally */
      cr_assert(strstr(out, "on condition &lt;img src=x onerror=alert(7)&gt;"), "%s: %s", views[v], out);
      if (v == 1) /* the ethics view: in its own column, the conditions attached to the approval */
        cr_assert(strstr(out, "<td>&lt;i&gt;rev&lt;/i&gt; (auditor): on condition &lt;img"), "%s", out);
      free(out);
      free(err);
    }
  free(db);
  free(datadir);
  free(dir);
  free(ev);
  free(pkg);
}

/* The crosswalk's HTML: markup in a target framework's title and item texts and in a curated file's relation note
 * and published label and source stays text; the page keeps its tables and chart. */
Test(views, markup_in_frameworks_and_mappings_is_inert_in_crosswalk_html) {
  char *dir = th_tmpdir();
  static const char evil[] = "<script>alert(1)</script><img src=x onerror=alert(2)> [x](javascript:alert(3)) **b**";
  char *fw = sh_printf(
    "framework:\n  id: xw-evil\n  title: {ja: \"%s\", en: \"%s\"}\n  version: \"1\"\n"
    "items:\n"
    "  - id: \"t-a\"\n    text: {ja: \"%s\", en: \"%s\"}\n    strength: must\n"
    "    require: 'sec.certs contains any [isms, pmark, cloud]'\n    source: {document: test, lines: \"1\", form: derived}\n"
    "  - id: \"t-d\"\n    text: {ja: \"%s\", en: \"%s\"}\n    strength: must\n"
    "    require: 'operator.kind in [information_bank, phr_operator]'\n    source: {document: test, lines: \"1\", form: derived}\n",
    evil, evil, evil, evil, evil, evil);
  char *fwp = th_write(dir, "evil.yaml", fw);
  char *map = sh_printf(
    "crosswalk:\n  from: xw-src\n  to: xw-evil\n"
    "published:\n  A: 1\n  B: 0\n  C: 0\n  D: 1\n  total: 2\n  covered: 1\n"
    "  label: {ja: \"%s\", en: \"%s\"}\n  source: {document: \"<iframe src=javascript:alert(4)>\", lines: \"<b>1</b>\"}\n"
    "relations:\n  - target: t-a\n    sources: [s-certs]\n    relation: superset\n    rationale: semantic\n"
    "    note: {ja: \"%s\", en: \"%s\"}\n", evil, evil, evil, evil);
  char *mapp = th_write(dir, "evil-map.yaml", map);
  char *datadir = th_data("crosswalk");
  for (int en = 0; en < 2; en++) {
    char *out = NULL, *err = NULL;
    const char *args[] = {"crosswalk", "--data-dir", datadir, "--from", "xw-src", "--to", fwp, "--mapping", mapp,
                          "--format", "html", "--lang", en ? "en" : "ja", NULL};
    int rc = th_run(&out, &err, args);
    cr_assert_eq(rc, 0, "exit %d: %s", rc, err);
    char *body = body_of(out);
    static const char *const bad[] = {"<script", "<img", "<iframe", "<b>", "<strong>", "<a ", "href=", "onerror=alert(2)>",
                                      NULL};
    for (size_t k = 0; bad[k]; k++) cr_assert_null(strstr(body, bad[k]), "'%s' got through:\n%s", bad[k], body);
    for (const char *q = body; (q = strstr(q, "<svg")); q++)
      cr_assert(strncmp(q, "<svg class=\"chart\" role=\"img\"", 29) == 0, "foreign SVG:\n%.200s", q);
    cr_assert_null(strstr(out, "<script"));
    /* the text is shown, literally, in the item table and the published figures' note */
    cr_assert(strstr(body, "<td class=\"q\">&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;"), "%s", body);
    cr_assert(strstr(body, "「&lt;iframe src=javascript:alert(4)&gt;」 ") && strstr(body, " &lt;b&gt;1&lt;/b&gt;</span>"), "%s",
              body);
    cr_assert(strstr(body, "<table class=\"counts\">") && strstr(body, "<svg class=\"chart\""), "%s", body);
    free(body);
    free(out);
    free(err);
  }
  free(datadir);
  free(mapp);
  free(map);
  free(fwp);
  free(fw);
  free(dir);
}

Test(views, csv_is_rfc4180_and_formula_safe) {
  char *pkg = hostile_package();
  char *datadir = th_data("datadir");
  char *out = NULL, *err = NULL;
  const char *args[] = {"check", "--data-dir", datadir, "--view", "ethics", "--format", "csv", "--lang", "en", pkg, NULL};
  cr_assert_eq(th_run(&out, &err, args), 1, "%s", err);
  cr_assert(sh_str_startswith(out, "Data item,Name,Level,MHLW item code,Purposes,Recipients\r\n"), "%s", out);
  /* Formula-like cells are quoted with a leading apostrophe; quotes doubled; the line break kept inside quotes. */
  cr_assert(strstr(out, "\"'@SUM(A1);-2, \"\"quoted\"\"\nline\"\r\n"), "%s", out);
  free(out);
  const char *ja[] = {"check", "--data-dir", datadir, "--view", "ethics", "--format", "csv", pkg, NULL};
  cr_assert_eq(th_run(&out, NULL, ja), 1);
  cr_assert(strstr(out, "hostile,\"'=HYPERLINK(\"\"http://example.invalid\"\")\",2,,"), "%s", out);
  free(out);
  /* Every row of the auditor CSV has the same number of fields (parsed per RFC 4180). */
  const char *aud[] = {"check", "--data-dir", datadir, "--format", "csv", pkg, NULL};
  cr_assert_eq(th_run(&out, NULL, aud), 1);
  int fields = 1, rows = 0, first = -1;
  bool q = false;
  for (const char *p = out; *p; p++) {
    if (q) {
      if (*p == '"' && p[1] == '"') p++;
      else if (*p == '"') q = false;
    } else if (*p == '"') q = true;
    else if (*p == ',') fields++;
    else if (*p == '\r' && p[1] == '\n') {
      if (first < 0) first = fields;
      cr_assert_eq(fields, first, "row %d has %d fields, header %d", rows, fields, first);
      rows++;
      fields = 1;
      p++;
    }
  }
  cr_assert_eq(first, 13);
  cr_assert_eq(rows, 8, "header + 7 items");
  free(out);
  free(err);
  free(datadir);
  free(pkg);
}

/* ---------- XLSX read back ---------- */

static char *unzip_member(const char *zip, const char *member) {
  char *cmd = sh_printf("unzip -p '%s' '%s'", zip, member);
  FILE *p = popen(cmd, "r");
  cr_assert(p, "cannot run unzip");
  sh_buf b = {0};
  char chunk[4096];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, p)) > 0) sh_buf_put(&b, chunk, n);
  cr_assert_eq(pclose(p), 0, "unzip %s %s failed", zip, member);
  free(cmd);
  return sh_buf_steal(&b);
}

static void node_text(xmlNode *n, sh_buf *b) {
  for (xmlNode *c = n->children; c; c = c->next) {
    if (c->type == XML_TEXT_NODE) sh_buf_puts(b, (const char *)c->content);
    else if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, "rPh") != 0) node_text(c, b);
  }
}

typedef struct {
  char *cells[64][12]; /* [row][col], owned */
  int nrows;
} sheet;

/* Reads sheet NAME (xl/worksheets/sheetN.xml) with its shared strings. */
static void read_sheet(const char *xlsx, int n, sheet *out) {
  memset(out, 0, sizeof *out);
  char *sst = unzip_member(xlsx, "xl/sharedStrings.xml");
  char *member = sh_printf("xl/worksheets/sheet%d.xml", n);
  char *xml = unzip_member(xlsx, member);
  xmlDoc *sd = xmlReadMemory(sst, (int)strlen(sst), "sst.xml", NULL, XML_PARSE_NONET);
  xmlDoc *wd = xmlReadMemory(xml, (int)strlen(xml), "sheet.xml", NULL, XML_PARSE_NONET);
  cr_assert(sd && wd, "the workbook XML parses");
  sh_vec strings = {0};
  for (xmlNode *si = xmlDocGetRootElement(sd)->children; si; si = si->next) {
    if (si->type != XML_ELEMENT_NODE) continue;
    sh_buf b = {0};
    node_text(si, &b);
    sh_vec_push(&strings, sh_buf_steal(&b));
  }
  for (xmlNode *c = xmlDocGetRootElement(wd)->children; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE || strcmp((const char *)c->name, "sheetData")) continue;
    for (xmlNode *row = c->children; row; row = row->next) {
      if (row->type != XML_ELEMENT_NODE) continue;
      for (xmlNode *cell = row->children; cell; cell = cell->next) {
        if (cell->type != XML_ELEMENT_NODE) continue;
        xmlChar *ref = xmlGetProp(cell, (const xmlChar *)"r"), *t = xmlGetProp(cell, (const xmlChar *)"t");
        int col = ref[0] - 'A', r = atoi((const char *)ref + 1) - 1;
        sh_buf v = {0};
        node_text(cell, &v);
        char *val = sh_buf_steal(&v);
        if (t && strcmp((const char *)t, "s") == 0) {
          size_t k = (size_t)atoi(val);
          free(val);
          cr_assert(k < strings.n);
          val = sh_strdup(strings.v[k]);
        }
        if (r < 64 && col >= 0 && col < 12) {
          out->cells[r][col] = val;
          if (r + 1 > out->nrows) out->nrows = r + 1;
        } else {
          free(val);
        }
        xmlFree(ref);
        xmlFree(t);
      }
    }
  }
  sh_vec_free_all(&strings, free);
  xmlFreeDoc(sd);
  xmlFreeDoc(wd);
  free(xml);
  free(sst);
  free(member);
}

static void sheet_free(sheet *s) {
  for (int r = 0; r < 64; r++)
    for (int c = 0; c < 12; c++) free(s->cells[r][c]);
}

static const char *cell(const sheet *s, int r, int c) { return s->cells[r][c] ? s->cells[r][c] : ""; }

static int row_of(const sheet *s, const char *id) {
  for (int r = 1; r < s->nrows; r++)
    if (strcmp(cell(s, r, 0), id) == 0) return r;
  return -1;
}

Test(views, xlsx_checksheet_reads_back) {
  char *dir = th_tmpdir();
  char *db = sh_path_join(dir, "x.db"), *xlsx = sh_path_join(dir, "sheet.xlsx");
  char *datadir = th_data("datadir"), *ev = th_data("evidence/basic");
  const char *rec[] = {"check", "--data-dir", datadir, "--db", db, ev, NULL};
  cr_assert_eq(th_run(NULL, NULL, rec), 1);
  th_add_reviewer(db, "佐藤", "auditor");
  cr_assert_eq(th_review(db, "1", "test-fw:2.2", "accept", "佐藤", "auditor", "規程を確認した", NULL, NULL), 0);
  char *err = NULL;
  const char *rep[] = {"report", "1", "--db", db, "--data-dir", datadir, "--format", "xlsx", "--out", xlsx,
                       "--as-of", "2026-10-01", NULL};
  cr_assert_eq(th_run(NULL, &err, rep), 1, "%s", err);
  free(err);
  sheet s;
  read_sheet(xlsx, 2, &s); /* sheet 1 is the cover, sheet 2 the test-fw checksheet */
  cr_assert_eq(s.nrows, 8, "header + one row per item");
  static const char *const head[] = {"項目番号", "節", "確認事項", "強度", "対応状況【申請者記入】",
                                     "予定日・理由【申請者記入】", "回答【申請者記入】", "証跡（SHA-256）", "判定",
                                     "審査員の判断", "判定の理由", "キー"};
  for (int c = 0; c < SH_CS__COUNT; c++) cr_assert_str_eq(cell(&s, 0, c), head[c]);
  int r = row_of(&s, "1.2");
  cr_assert(r > 0);
  cr_assert_str_eq(cell(&s, r, SH_CS_QUESTION), "TLS1.2以上");
  cr_assert_str_eq(cell(&s, r, SH_CS_STRENGTH), "必須");
  cr_assert_str_eq(cell(&s, r, SH_CS_VERDICT), "未充足");
  cr_assert_str_eq(cell(&s, r, SH_CS_KEY), "test-fw:1.2");
  r = row_of(&s, "1.1");
  cr_assert(strstr(cell(&s, r, SH_CS_EVIDENCE),
                   "docs/isms.txt sha256:0f4d2fe61ecd7508bedd68db11c9ac94ac6f15e30de80db8e210d91c0f01c74b"),
            "%s", cell(&s, r, SH_CS_EVIDENCE));
  cr_assert_str_eq(cell(&s, r, SH_CS_VERDICT), "充足");
  r = row_of(&s, "2.2");
  const char *rv_cell = cell(&s, r, SH_CS_REVIEWER);
  cr_assert(strstr(rv_cell, "佐藤 (auditor): 承認"), "%s", rv_cell); /* the decision in the report language */
  cr_assert(strstr(rv_cell, "規程を確認した"), "%s", rv_cell);
  cr_assert(strstr(rv_cell, "auditor 1/2"), "%s", rv_cell);
  cr_assert(strstr(cell(&s, r, SH_CS_EVIDENCE), "公表された審査会規程"), "%s", cell(&s, r, SH_CS_EVIDENCE));
  cr_assert_str_eq(cell(&s, r, SH_CS_VERDICT), "要審査");
  sheet_free(&s);
  sheet cover;
  read_sheet(xlsx, 1, &cover);
  cr_assert_str_eq(cell(&cover, 2, 0), "申請者");
  cr_assert_str_eq(cell(&cover, 2, 1), "テスト株式会社");
  sheet_free(&cover);
  free(db);
  free(xlsx);
  free(datadir);
  free(ev);
  free(dir);
}

Test(views, english_checksheet_and_no_binary_on_a_bad_path) {
  char *dir = th_tmpdir();
  char *xlsx = sh_path_join(dir, "en.xlsx"), *bad = sh_path_join(dir, "missing/dir/x.xlsx");
  char *datadir = th_data("datadir"), *ev = th_data("evidence/basic");
  const char *a[] = {"check", "--data-dir", datadir, "--format", "xlsx", "--lang", "en", "--out", xlsx, ev, NULL};
  cr_assert_eq(th_run(NULL, NULL, a), 1);
  sheet s;
  read_sheet(xlsx, 2, &s);
  cr_assert_str_eq(cell(&s, 0, SH_CS_QUESTION), "Question");
  cr_assert_str_eq(cell(&s, row_of(&s, "1.2"), SH_CS_VERDICT), "not satisfied");
  cr_assert_str_eq(cell(&s, row_of(&s, "1.2"), SH_CS_QUESTION), "TLS 1.2 or later");
  cr_assert_str_eq(cell(&s, row_of(&s, "1.2"), SH_CS_STRENGTH), "must");
  sheet_free(&s);
  char *err = NULL;
  const char *b[] = {"check", "--data-dir", datadir, "--format", "xlsx", "--out", bad, ev, NULL};
  cr_assert_eq(th_run(NULL, &err, b), 2);
  cr_assert(strstr(err, "cannot write the report"), "%s", err);
  cr_assert_neq(access(bad, F_OK), 0);
  free(err);
  free(xlsx);
  free(bad);
  free(datadir);
  free(ev);
  free(dir);
}

/* ---------- reports from the database ---------- */

Test(views, report_shows_decisions_quorum_and_pending_board_items) {
  char *dir = th_tmpdir();
  char *db = sh_path_join(dir, "r.db"), *datadir = th_data("datadir"), *ev = th_data("evidence/basic");
  const char *rec[] = {"check", "--data-dir", datadir, "--db", db, ev, NULL};
  cr_assert_eq(th_run(NULL, NULL, rec), 1);
  th_add_reviewer(db, "Sato", "auditor");
  cr_assert_eq(th_review(db, "1", "test-fw:2.2", "accept", "Sato", "auditor", NULL, NULL, NULL), 0);
  char *out = NULL, *err = NULL;
  const char *aud[] = {"report", "1", "--db", db, "--data-dir", datadir, "--format", "md", "--lang", "en", NULL};
  cr_assert_eq(th_run(&out, &err, aud), 1, "%s", err);
  cr_assert(strstr(out, "- Reviewer decision: Sato (auditor) accept"), "%s", out);
  cr_assert(strstr(out, "- Quorum: not met — medical\\_professional 0/1 (ethics-level2), auditor 1/2"), "%s", out);
  free(out);
  free(err);
  const char *eth[] = {"report", "1", "--db", db, "--data-dir", datadir, "--view", "ethics", "--format", "md",
                       "--lang", "en", NULL};
  cr_assert_eq(th_run(&out, &err, eth), 1);
  const char *pend = strstr(out, "## Decisions pending the board");
  cr_assert(pend, "%s", out);
  cr_assert(strstr(pend, "test-fw:2\\.2 — needs review"), "%s", out);
  cr_assert(strstr(pend, "test-fw:2\\.1 — unknown"), "%s", out);
  cr_assert(strstr(out, "### Level 2"), "%s", out);
  free(out);
  free(err);
  /* The applicant's gap list says what would satisfy each item. */
  const char *app[] = {"report", "1", "--db", db, "--data-dir", datadir, "--view", "applicant", "--format", "json", NULL};
  cr_assert_eq(th_run(&out, &err, app), 1);
  cr_assert(strstr(out, "\"schema\": \"shinsa-applicant/1\""), "%s", out);
  cr_assert(strstr(out, "board.medical_members（医療専門職の委員数）を申告する"), "%s", out);
  cr_assert_null(strstr(out, "\"id\": \"1.1\""), "satisfied items are not gaps");
  free(out);
  free(err);
  /* Bad view / format: usage errors, nothing written. */
  char *path = sh_path_join(dir, "none.html");
  const char *bad[] = {"report", "1", "--db", db, "--view", "board", "--out", path, NULL};
  cr_assert_eq(th_run(NULL, &err, bad), 2);
  cr_assert(strstr(err, "unknown view 'board'"), "%s", err);
  free(err);
  const char *nojson[] = {"report", "1", "--db", db, "--data-dir", datadir, "--view", "ethics", "--format", "text",
                          "--out", path, "--as-of", "2026-13-01", NULL};
  cr_assert_eq(th_run(NULL, &err, nojson), 2);
  cr_assert_neq(access(path, F_OK), 0);
  free(err);
  free(path);
  free(db);
  free(datadir);
  free(ev);
  free(dir);
}

/* ---------- headless Chromium ---------- */

static char *find_chromium(void) {
  static const char *const names[] = {"chromium", "chromium-browser", "google-chrome", NULL};
  const char *path = getenv("PATH");
  for (size_t k = 0; names[k]; k++) {
    char *p = sh_strdup(path ? path : "/usr/bin:/bin");
    for (char *save = NULL, *d = strtok_r(p, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
      char *exe = sh_path_join(d, names[k]);
      if (access(exe, X_OK) == 0) {
        free(p);
        return exe;
      }
      free(exe);
    }
    free(p);
  }
  return NULL;
}

/* The DOM of a page as headless Chromium builds it (after running any script the page had). Caller frees. */
static char *chromium_dom(const char *chromium, const char *profile, const char *html) {
  char *cmd = sh_printf("'%s' --headless --no-sandbox --disable-gpu --disable-background-networking "
                        "--disable-component-update --disable-sync --no-first-run --user-data-dir='%s' "
                        "--dump-dom 'file://%s' 2>/dev/null", chromium, profile, html);
  FILE *p = popen(cmd, "r");
  cr_assert(p);
  sh_buf b = {0};
  char chunk[4096];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, p)) > 0) sh_buf_put(&b, chunk, n);
  int st = pclose(p);
  cr_assert_eq(st, 0, "chromium failed (%d)", st);
  free(cmd);
  return sh_buf_steal(&b);
}

/* The page printed to PDF by Chromium, and the text of its first page (pdftotext); NULL when poppler-utils is not
 * installed. *pages: the page count. Caller frees. */
static char *chromium_pdf_first_page(const char *chromium, const char *profile, const char *html, const char *pdf,
                                     int *pages) {
  char *cmd = sh_printf("'%s' --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update "
                        "--disable-sync --no-first-run --user-data-dir='%s' --no-pdf-header-footer --print-to-pdf='%s' "
                        "'file://%s' >/dev/null 2>&1", chromium, profile, pdf, html);
  cr_assert_eq(system(cmd), 0, "chromium --print-to-pdf failed");
  free(cmd);
  *pages = 0;
  if (access("/usr/bin/pdftotext", X_OK) != 0) {
    cr_log_warn("pdftotext (poppler-utils) is not installed: page numbers not checked");
    return NULL;
  }
  sh_buf t = {0};
  char chunk[4096];
  size_t n;
  cmd = sh_printf("pdfinfo '%s'", pdf);
  FILE *p = popen(cmd, "r");
  cr_assert(p);
  while ((n = fread(chunk, 1, sizeof chunk, p)) > 0) sh_buf_put(&t, chunk, n);
  pclose(p);
  free(cmd);
  const char *pg = strstr(sh_buf_str(&t), "Pages:");
  if (pg) *pages = atoi(pg + 6);
  t.len = 0;
  cmd = sh_printf("pdftotext -f 1 -l 1 '%s' -", pdf);
  p = popen(cmd, "r");
  cr_assert(p);
  while ((n = fread(chunk, 1, sizeof chunk, p)) > 0) sh_buf_put(&t, chunk, n);
  pclose(p);
  free(cmd);
  return sh_buf_steal(&t);
}

Test(browser, chromium_renders_the_summary_and_runs_no_injected_code) {
  char *chromium = find_chromium();
  if (!chromium) cr_skip_test("chromium is not installed (Debian package 'chromium'): browser test skipped");
  char *pkg = hostile_package();
  char *dir = th_tmpdir();
  char *html = sh_path_join(dir, "report.html"), *profile = sh_path_join(dir, "profile");
  char *datadir = th_data("datadir");
  const char *args[] = {"check", "--data-dir", datadir, "--format", "html", "--lang", "en", "--out", html, pkg, NULL};
  cr_assert_eq(th_run(NULL, NULL, args), 1);
  char *dom = chromium_dom(chromium, profile, html);
  /* The first page: title, result, counts per verdict as a table, the chart, badges that carry their word. */
  cr_assert(strstr(dom, "<h1>Examination report</h1>"), "%s", dom);
  cr_assert(strstr(dom, "<dd class=\"result-ng\">3 must items not met</dd>"), "%s", dom);
  cr_assert(strstr(dom, "<table class=\"counts\">"), "%s", dom);
  cr_assert(strstr(dom, "<td><span class=\"badge v-not_satisfied\">not satisfied</span></td><td class=\"n\">1</td>"), "%s", dom);
  cr_assert(strstr(dom, "<svg class=\"chart\""), "%s", dom);
  cr_assert(strstr(dom, "<a href=\"#item-test-fw--1.2\">1.2</a>"), "%s", dom);
  cr_assert(strstr(dom, "id=\"item-test-fw--1.2\""), "%s", dom);
  /* No injected code ran: the title is ours and no attribute was set by an event handler. */
  cr_assert(strstr(dom, "<title>Examination report — "), "%s", dom);
  cr_assert_null(strstr(dom, "PWNED</title>"), "%s", dom);
  cr_assert(strstr(dom, "<body>"), "%s", dom);
  cr_assert_null(strstr(dom, "data-pwned=\"1\""), "%s", dom);
  cr_assert_null(strstr(dom, "<img"), "%s", dom);
  free(dom);
  /* Printed to PDF: the page numbers and the running header of the @page margin boxes are on the pages. */
  char *pdf = sh_path_join(dir, "report.pdf");
  int pages;
  char *t = chromium_pdf_first_page(chromium, profile, html, pdf, &pages);
  if (t) {
    cr_assert(strstr(t, "page 1 / "), "no page number on page 1:\n%s", t);
    cr_assert(strstr(t, "test-fw 1 — 2026-10-01"), "no running header on page 1:\n%s", t);
    free(t);
  }
  free(pdf);
  free(datadir);
  free(html);
  free(profile);
  free(dir);
  free(pkg);
  free(chromium);
}

/* The applicant's gap list in a browser: the first page has the result, the counts table, the chart and badges
 * with their words, and the gap list's links; printed, every page is numbered ("page N / M") under a running
 * header. */
Test(browser, chromium_renders_the_applicant_first_page_and_numbers_its_pages) {
  char *chromium = find_chromium();
  if (!chromium) cr_skip_test("chromium is not installed (Debian package 'chromium'): browser test skipped");
  char *root = th_src("examples/phr-operator");
  char *dir = th_tmpdir();
  char *html = sh_path_join(dir, "applicant.html"), *profile = sh_path_join(dir, "profile");
  const char *args[] = {"check", "--view", "applicant", "--format", "html", "--lang", "en", "--out", html, root, NULL};
  cr_assert_eq(th_run(NULL, NULL, args), 1);
  char *dom = chromium_dom(chromium, profile, html);
  const char *first = strstr(dom, "<section class=\"first-page\""), *end = first ? strstr(first, "</section>") : NULL;
  cr_assert(first && end, "no first page:\n%s", dom);
  char *page1 = sh_strndup(first, (size_t)(end - first));
  cr_assert(strstr(page1, "<h1>Gap list for the applicant</h1>"), "%s", page1);
  cr_assert(strstr(page1, "<dd class=\"result-ng\">8 must items not met</dd>"), "%s", page1);
  cr_assert(strstr(page1, "<table class=\"counts\">"), "%s", page1);
  cr_assert(strstr(page1, "<td><span class=\"badge v-not_satisfied\">not satisfied</span></td><td class=\"n\">1</td>"), "%s", page1);
  cr_assert(strstr(page1, "<td><span class=\"badge v-unknown\">unknown (facts missing)</span></td><td class=\"n\">1</td>"), "%s", page1);
  cr_assert(strstr(page1, "<svg class=\"chart\""), "%s", page1);
  cr_assert(strstr(page1, "<th>What to do</th>"), "%s", page1);
  cr_assert(strstr(page1, "<a href=\"#item-phr-2023--2.2_2f1-1\">2.2/1-1</a>"), "%s", page1);
  cr_assert(strstr(dom, "<article class=\"item\" id=\"item-phr-2023--2.2_2f1-1\">"), "%s", dom);
  free(page1);
  free(dom);
  char *pdf = sh_path_join(dir, "applicant.pdf");
  int pages;
  char *t = chromium_pdf_first_page(chromium, profile, html, pdf, &pages);
  if (t) {
    char *num = sh_printf("page 1 / %d", pages);
    cr_assert_gt(pages, 1);
    cr_assert(strstr(t, num), "no '%s' on page 1:\n%s", num, t);
    cr_assert(strstr(t, "Mirai Health Note K.K. (fictional) — phr-2023 2023-04, sensitivity-levels 2021 — 2026-10-01"),
              "no running header on page 1:\n%s", t);
    cr_assert(strstr(t, "8 must items not met"), "%s", t);
    free(num);
    free(t);
  }
  free(pdf);
  free(html);
  free(profile);
  free(dir);
  free(root);
  free(chromium);
}
