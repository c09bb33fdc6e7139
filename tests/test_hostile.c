/* Hostile input: XML with external entities (XXE), entity expansion (billion laughs), a DTD fetched over
 * the network, excessive nesting and oversize files fails safely with a clear error; YAML alias bombs, deep
 * nesting, oversize files and NUL bytes are refused by the YAML loader's limits. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "cda.h"
#include "helpers.h"
#include "vocab.h"
#include "yamldoc.h"

static sh_diags d;
static char *tmp;

static void setup(void) {
  memset(&d, 0, sizeof d);
  tmp = th_tmpdir();
}
static void teardown(void) {
  sh_diags_free(&d);
  free(tmp);
}

TestSuite(hostile, .init = setup, .fini = teardown);

static void assert_diag(const char *needle) {
  char *all = th_diags_str(&d);
  cr_assert(strstr(all, needle), "diagnostics:\n%s\nlack: %s", all, needle);
  free(all);
}

static sh_cda_doc *check_xml(const char *rel) {
  char *f = th_data(rel);
  sh_cda_doc *doc = sh_cda_check(NULL, NULL, f, &d);
  free(f);
  return doc;
}

/* ---------- XML ---------- */

Test(hostile, xxe_file_entity_refused) {
  sh_cda_doc *doc = check_xml("cda/xxe.xml");
  cr_expect(!doc->well_formed);
  cr_expect(!doc->valid);
  assert_diag("xxe.xml:2:");
  assert_diag("DOCTYPE refused");
  char *all = th_diags_str(&d);
  cr_expect(!strstr(all, "root:"), "the content of /etc/passwd leaked into a message:\n%s", all);
  free(all);
  sh_cda_doc_free(doc);
}

Test(hostile, external_dtd_over_network_refused) {
  sh_cda_doc *doc = check_xml("cda/xxe-network.xml");
  cr_expect(!doc->well_formed);
  assert_diag("DOCTYPE refused");
  sh_cda_doc_free(doc);
}

Test(hostile, billion_laughs_refused) {
  sh_cda_doc *doc = check_xml("cda/billion-laughs.xml");
  cr_expect(!doc->well_formed);
  assert_diag("billion-laughs.xml:2:");
  assert_diag("DOCTYPE refused");
  sh_cda_doc_free(doc);
}

Test(hostile, xml_deep_nesting_refused) {
  sh_cda_doc *doc = check_xml("cda/deep.xml");
  cr_expect(!doc->well_formed);
  assert_diag("deep.xml:");
  sh_cda_doc_free(doc);
}

Test(hostile, xml_not_well_formed) {
  sh_cda_doc *doc = check_xml("cda/not-well-formed.xml");
  cr_expect(!doc->well_formed);
  assert_diag("not-well-formed.xml:4:");
  sh_cda_doc_free(doc);
}

Test(hostile, xml_too_large_refused) {
  char *f = sh_printf("%s/big.xml", tmp);
  FILE *fp = fopen(f, "wb");
  cr_assert(fp);
  fputs("<a>", fp);
  char chunk[4096];
  memset(chunk, 'x', sizeof chunk);
  for (size_t n = 0; n <= SH_XML_MAX_BYTES / sizeof chunk; n++) fwrite(chunk, 1, sizeof chunk, fp);
  fputs("</a>", fp);
  fclose(fp);
  sh_cda_doc *doc = sh_cda_check(NULL, NULL, f, &d);
  cr_expect(!doc->well_formed);
  assert_diag("larger than");
  sh_cda_doc_free(doc);
  free(f);
}

Test(hostile, schema_cannot_pull_network_includes) {
  char *xsd = th_write(tmp, "net.xsd",
                       "<?xml version=\"1.0\"?>\n"
                       "<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\">\n"
                       "  <xs:include schemaLocation=\"http://attacker.example/evil.xsd\"/>\n"
                       "  <xs:element name=\"a\" type=\"xs:string\"/>\n"
                       "</xs:schema>\n");
  sh_cda_schema *s = sh_cda_schema_load(xsd, &d);
  /* libxml2 skips an include it cannot load (a warning) or fails: either way nothing was fetched */
  sh_cda_schema_free(s);
  free(xsd);
}

/* ---------- YAML ---------- */

static sh_ydoc *load_yaml(const char *text, size_t len) { return sh_ydoc_load_string("hostile.yaml", text, len, &d); }

Test(hostile, yaml_alias_bomb) {
  sh_buf b = {0};
  sh_buf_puts(&b, "a: &a [x, x, x, x, x, x, x, x, x, x]\n");
  char prev = 'a';
  for (char c = 'b'; c <= 'j'; c++) {
    sh_buf_printf(&b, "%c: &%c [*%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c]\n", c, c, prev, prev, prev, prev,
                  prev, prev, prev, prev, prev, prev);
    prev = c;
  }
  sh_ydoc *doc = load_yaml(b.data, b.len);
  cr_expect_null(doc);
  cr_expect_geq(d.nerrors, 1);
  assert_diag("hostile.yaml:");
  sh_ydoc_free(doc);
  sh_buf_free(&b);
}

Test(hostile, yaml_expansion_bound_without_many_aliases) {
  /* 8 levels of 8 aliases = 64 alias uses (at the limit) but 8^8 nodes once expanded */
  sh_buf b = {0};
  sh_buf_puts(&b, "l0: &l0 [x, x, x, x, x, x, x, x]\n");
  for (int i = 1; i <= 7; i++) {
    sh_buf_printf(&b, "l%d: &l%d [", i, i);
    for (int k = 0; k < 8; k++) sh_buf_printf(&b, "%s*l%d", k ? ", " : "", i - 1);
    sh_buf_puts(&b, "]\n");
  }
  sh_ydoc *doc = load_yaml(b.data, b.len);
  cr_expect_null(doc, "8^8 expanded nodes must be refused");
  sh_ydoc_free(doc);
  sh_buf_free(&b);
}

Test(hostile, yaml_deep_nesting) {
  sh_buf b = {0};
  for (int i = 0; i < 200; i++) sh_buf_putc(&b, '[');
  for (int i = 0; i < 200; i++) sh_buf_putc(&b, ']');
  sh_buf_putc(&b, '\n');
  sh_ydoc *doc = load_yaml(b.data, b.len);
  cr_expect_null(doc);
  assert_diag("hostile.yaml:1:");
  sh_ydoc_free(doc);
  sh_buf_free(&b);
}

Test(hostile, yaml_nesting_at_limit_loads) {
  sh_buf b = {0};
  for (int i = 0; i < SH_YAML_MAX_DEPTH - 1; i++) sh_buf_putc(&b, '[');
  for (int i = 0; i < SH_YAML_MAX_DEPTH - 1; i++) sh_buf_putc(&b, ']');
  sh_ydoc *doc = load_yaml(b.data, b.len);
  char *all = th_diags_str(&d);
  cr_expect(doc, "%s", all);
  free(all);
  sh_ydoc_free(doc);
  sh_buf_free(&b);
}

Test(hostile, yaml_huge_file) {
  char *f = sh_printf("%s/huge.yaml", tmp);
  FILE *fp = fopen(f, "wb");
  cr_assert(fp);
  char line[1024];
  memset(line, ' ', sizeof line);
  memcpy(line, "# ", 2);
  line[sizeof line - 1] = '\n';
  for (size_t n = 0; n <= SH_YAML_MAX_BYTES / sizeof line; n++) fwrite(line, 1, sizeof line, fp);
  fclose(fp);
  sh_ydoc *doc = sh_ydoc_load_file(f, &d);
  cr_expect_null(doc);
  cr_expect_geq(d.nerrors, 1);
  sh_ydoc_free(doc);
  free(f);
}

Test(hostile, yaml_nul_byte) {
  const char text[] = "a: 1\nb: \0\n";
  sh_ydoc *doc = load_yaml(text, sizeof text - 1);
  cr_expect_null(doc);
  cr_expect_geq(d.nerrors, 1);
  assert_diag("hostile.yaml:");
  sh_ydoc_free(doc);
}

Test(hostile, yaml_nul_byte_in_file) {
  char *f = sh_printf("%s/nul.yaml", tmp);
  FILE *fp = fopen(f, "wb");
  fwrite("facts:\n  a: \0x\n", 1, 15, fp);
  fclose(fp);
  sh_ydoc *doc = sh_ydoc_load_file(f, &d);
  cr_expect_null(doc);
  sh_ydoc_free(doc);
  free(f);
}

/* Found by fuzz_vocab (fuzz/regressions/fuzz_vocab/empty-document-leak): an empty vocabulary file was
 * refused but its document leaked. The leak shows under LeakSanitizer; the refusal is asserted here. */
Test(hostile, empty_vocabulary_file_refused) {
  char *p = th_write(tmp, "empty-facts.yaml", "");
  const char *paths[] = {p};
  cr_expect_null(sh_vocab_load(paths, 1, &d));
  assert_diag("empty-facts.yaml:1:1: a vocabulary file must be a mapping");
  free(p);
}
