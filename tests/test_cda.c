/* Tests of the HL7 CDA checks: schema validation with the MHLW hc08 schema set and item-code classification
 * with the MHLW item table (both read from ../shared/data when present; skipped with a message otherwise),
 * the facts an evidence package's cda_exports yield, and the command line. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cda.h"
#include "helpers.h"
#include "probe.h"

static sh_diags d;
static char *xsd, *csv;

static void setup(void) {
  memset(&d, 0, sizeof d);
  xsd = th_shared("data/mhlw-checkup-cda/hc08_V08.xsd");
  csv = th_shared("data/mhlw-checkup-cda/XMLhc24tab.csv");
}
static void teardown(void) {
  sh_diags_free(&d);
  free(xsd);
  free(csv);
}

TestSuite(cda, .init = setup, .fini = teardown);

#define NEED_SHARED()                                                                                       \
  do {                                                                                                      \
    if (!xsd || access(xsd, R_OK) != 0 || !csv || access(csv, R_OK) != 0)                                   \
      cr_skip_test("../shared/data/mhlw-checkup-cda is absent: the MHLW schema and item table are not "    \
                   "distributed with shinsa");                                                              \
  } while (0)

static void assert_diag(const char *needle) {
  char *all = th_diags_str(&d);
  cr_assert(strstr(all, needle), "diagnostics:\n%s\nlack: %s", all, needle);
  free(all);
}

Test(cda, item_table) {
  NEED_SHARED();
  sh_cda_table *t = sh_cda_table_load(csv, &d);
  cr_assert(t);
  cr_expect_eq(t->items.n, 322);
  size_t statutory = 0;
  for (size_t i = 0; i < t->items.n; i++) statutory += ((sh_cda_itemdef *)t->items.v[i])->statutory;
  cr_expect_eq(statutory, 139);
  const sh_cda_itemdef *h = sh_strmap_get(&t->by_code, "9N001000000000001");
  cr_assert(h);
  cr_expect_str_eq(h->name, "身長");
  cr_expect(h->statutory);
  const sh_cda_itemdef *o = sh_strmap_get(&t->by_code, "9N026000000000002");
  cr_assert(o);
  cr_expect(!o->statutory, "肥満度 is not a specific-checkup item");
  sh_cda_table_free(t);
}

Test(cda, template_validates) {
  NEED_SHARED();
  char *tpl = th_shared("data/mhlw-checkup-cda/CDAtemplate-hc18.xml");
  sh_cda_schema *s = sh_cda_schema_load(xsd, &d);
  cr_assert(s);
  sh_cda_doc *doc = sh_cda_check(s, NULL, tpl, &d);
  cr_expect(doc->valid);
  cr_expect_eq(doc->items.n, 0, "the template holds placeholder codes only");
  cr_expect_eq(d.nerrors, 0);
  sh_cda_doc_free(doc);
  sh_cda_schema_free(s);
  free(tpl);
}

Test(cda, valid_sample_items_level2) {
  NEED_SHARED();
  char *f = th_data("cda/checkup-valid.xml");
  sh_cda_schema *s = sh_cda_schema_load(xsd, &d);
  sh_cda_table *t = sh_cda_table_load(csv, &d);
  cr_assert(s && t);
  sh_cda_doc *doc = sh_cda_check(s, t, f, &d);
  cr_expect(doc->valid);
  cr_assert_eq(doc->items.n, 3);
  const char *codes[] = {"9N001000000000001", "9N006000000000001", "9N011000000000001"};
  const int lines[] = {75, 81, 87};
  for (size_t i = 0; i < 3; i++) {
    const sh_cda_item *it = doc->items.v[i];
    cr_expect_str_eq(it->code, codes[i]);
    cr_expect_eq(it->line, lines[i]);
    cr_expect_eq(it->cls, SH_CDA_STATUTORY);
    cr_expect_eq(it->level, 2);
  }
  cr_expect_eq(doc->nflagged, 0);
  cr_expect_eq(d.n, 0);
  sh_cda_doc_free(doc);
  sh_cda_table_free(t);
  sh_cda_schema_free(s);
  free(f);
}

Test(cda, invalid_sample_error_with_line) {
  NEED_SHARED();
  char *f = th_data("cda/checkup-invalid.xml");
  sh_cda_schema *s = sh_cda_schema_load(xsd, &d);
  cr_assert(s);
  sh_cda_doc *doc = sh_cda_check(s, NULL, f, &d);
  cr_expect(doc->well_formed);
  cr_expect(!doc->valid);
  cr_expect_geq(doc->nerrors, 1);
  assert_diag("checkup-invalid.xml:4:"); /* <id> where <typeId> is required */
  assert_diag("typeId");
  sh_cda_doc_free(doc);
  sh_cda_schema_free(s);
  free(f);
}

Test(cda, items_outside_are_flagged) {
  NEED_SHARED();
  char *f = th_data("cda/checkup-outside.xml");
  sh_cda_schema *s = sh_cda_schema_load(xsd, &d);
  sh_cda_table *t = sh_cda_table_load(csv, &d);
  sh_cda_doc *doc = sh_cda_check(s, t, f, &d);
  cr_expect(doc->valid);
  cr_assert_eq(doc->items.n, 3);
  cr_expect_eq(((sh_cda_item *)doc->items.v[1])->cls, SH_CDA_OTHER_CHECKUP);
  cr_expect_eq(((sh_cda_item *)doc->items.v[1])->level, 3);
  cr_expect_eq(((sh_cda_item *)doc->items.v[2])->cls, SH_CDA_UNKNOWN_CODE);
  cr_expect_eq(doc->nflagged, 2);
  assert_diag("checkup-outside.xml:81:");
  assert_diag("checkup-outside.xml:87:");
  sh_cda_doc_free(doc);
  sh_cda_table_free(t);
  sh_cda_schema_free(s);
  free(f);
}

Test(cda, not_an_item_table) {
  char *f = th_data("cda/checkup-valid.xml");
  cr_expect_null(sh_cda_table_load(f, &d));
  assert_diag("not an MHLW item-code table");
  free(f);
}

/* ---------- evidence packages ---------- */

static sh_evidence *package(const char *sample, sh_registry *reg, char **tmp_out) {
  char *tmp = th_tmpdir();
  char *src = th_data(sample);
  char *text = NULL;
  size_t len = 0;
  cr_assert_eq(sh_read_file(src, 1 << 20, &text, &len), 0);
  free(th_write(tmp, "pkg/exports/sample.xml", text));
  free(text);
  free(src);
  sh_buf b = {0};
  sh_buf_printf(&b,
                "applicant:\n  name: テスト\n  kind: phr_operator\n  assessment_date: 2026-10-01\n"
                "facts:\n  interop.cda_export_schema_valid: true\n"
                "cda_exports:\n  schema: %s\n  items: %s\n  files: [exports/sample.xml]\n",
                xsd, csv);
  free(th_write(tmp, "pkg/evidence.yaml", sh_buf_str(&b)));
  sh_buf_free(&b);
  char *dir = sh_printf("%s/pkg", tmp);
  sh_evidence *ev = sh_evidence_load(reg->vocab, dir, &d);
  free(dir);
  *tmp_out = tmp;
  return ev;
}

Test(cda, evidence_facts_valid) {
  NEED_SHARED();
  sh_registry *reg = th_bundled_registry();
  char *tmp;
  sh_evidence *ev = package("cda/checkup-valid.xml", reg, &tmp);
  cr_assert(ev);
  cr_assert_eq(sh_probe_evidence(ev, NULL, &d), 0);
  const sh_fact_value *v = sh_evidence_get(ev, sh_vocab_find(reg->vocab, "interop.cda_export_schema_valid"));
  cr_assert(v);
  cr_expect_eq(v->prov, SH_PROV_PROBED);
  cr_expect(v->value.b);
  v = sh_evidence_get(ev, sh_vocab_find(reg->vocab, "interop.cda_export_items_within_mynaportal"));
  cr_assert(v);
  cr_expect_eq(v->prov, SH_PROV_PROBED);
  cr_expect(v->value.b);
  sh_evidence_free(ev);
  sh_registry_free(reg);
  free(tmp);
}

Test(cda, evidence_facts_invalid_and_outside) {
  NEED_SHARED();
  sh_registry *reg = th_bundled_registry();
  char *tmp;
  sh_evidence *ev = package("cda/checkup-outside.xml", reg, &tmp);
  cr_assert(ev);
  sh_probe_evidence(ev, NULL, &d);
  const sh_fact_value *v = sh_evidence_get(ev, sh_vocab_find(reg->vocab, "interop.cda_export_items_within_mynaportal"));
  cr_assert(v);
  cr_expect(!v->value.b);
  cr_expect_eq(v->line, 81);
  sh_evidence_free(ev);
  free(tmp);
  ev = package("cda/checkup-invalid.xml", reg, &tmp);
  cr_assert(ev);
  sh_probe_evidence(ev, NULL, &d);
  v = sh_evidence_get(ev, sh_vocab_find(reg->vocab, "interop.cda_export_schema_valid"));
  cr_expect(!v->value.b);
  assert_diag("interop.cda_export_schema_valid: probed false replaces the declared value true");
  sh_evidence_free(ev);
  sh_registry_free(reg);
  free(tmp);
}

/* ---------- command line ---------- */

Test(cda, cli) {
  NEED_SHARED();
  char *ok = th_data("cda/checkup-valid.xml"), *bad = th_data("cda/checkup-invalid.xml"),
       *xxe = th_data("cda/xxe.xml");
  char *out = NULL, *err = NULL;
  const char *a1[] = {"cda", ok, "--schema", xsd, "--items", csv, NULL};
  cr_expect_eq(th_run(&out, &err, a1), 0, "%s", err);
  cr_expect(strstr(out, "checkup-valid.xml:75: 9N001000000000001 level2 身長"), "%s", out);
  free(out), free(err);
  const char *a2[] = {"cda", ok, bad, "--schema", xsd, NULL};
  cr_expect_eq(th_run(&out, &err, a2), SH_EXIT_FINDINGS);
  cr_expect(strstr(err, "checkup-invalid.xml:4:"), "%s", err);
  free(out), free(err);
  const char *a3[] = {"cda", xxe, "--schema", xsd, NULL};
  cr_expect_eq(th_run(&out, &err, a3), SH_EXIT_INVALID);
  cr_expect(strstr(err, "DOCTYPE refused"), "%s", err);
  free(out), free(err);
  const char *a4[] = {"cda", ok, NULL};
  cr_expect_eq(th_run(&out, &err, a4), SH_EXIT_USAGE);
  free(out), free(err);
  free(ok), free(bad), free(xxe);
}
