/* Tests of OSCAL interop (docs/oscal.md): catalog import from the NIST SP 800-53 and BSI Grundschutz++ catalogs
 * in ../shared/data/oscal (skipped with a message when absent), with the expected figures counted
 * independently (libxml2 XPath on the XML, json-c on the JSON), the parameter rendering rule on small
 * catalogs written here, and located errors for malformed catalogs. */
#include <criterion/criterion.h>
#include <json-c/json.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"
#include "oscal_catalog.h"
#include "crosswalk.h"
#include "oscal_out.h"

static sh_diags d;
static sh_registry *reg;

static void setup(void) {
  memset(&d, 0, sizeof d);
  reg = th_test_registry();
}
static void teardown(void) {
  sh_diags_free(&d);
  sh_registry_free(reg);
}

TestSuite(oscal, .init = setup, .fini = teardown);

/* The shared file rel, or skips the test. Caller frees. */
static char *need(const char *rel) {
  char *p = th_shared(rel);
  if (!p || access(p, R_OK) != 0) {
    free(p);
    cr_skip_test("../shared/data/oscal is absent (the NIST and BSI OSCAL files are not distributed with shinsa)");
  }
  return p;
}

static void assert_diag(const char *needle) {
  char *all = th_diags_str(&d);
  cr_assert(strstr(all, needle), "diagnostics:\n%s\nlack: %s", all, needle);
  free(all);
}

/* Imports path, writes the framework to a temporary file and loads it as `lint` would. */
static sh_framework *import_load(const char *path, const char *id, sh_oscal_import_stats *st) {
  sh_buf b = {0};
  int rc = sh_oscal_catalog_import(path, id, &b, st, &d);
  char *all = th_diags_str(&d);
  cr_assert_eq(rc, 0, "%s: %s", path, all);
  free(all);
  char *dir = th_tmpdir();
  char *out = th_write(dir, "imported.yaml", sh_buf_str(&b));
  sh_buf_free(&b);
  sh_framework *fw = sh_framework_load(reg->vocab, out, &d);
  all = th_diags_str(&d);
  cr_assert(fw, "the imported framework does not load: %s", all);
  free(all);
  free(out);
  free(dir);
  return fw;
}

static double xpath_count(xmlDocPtr doc, const char *expr) {
  xmlXPathContextPtr x = xmlXPathNewContext(doc);
  xmlXPathRegisterNs(x, BAD_CAST "o", BAD_CAST "http://csrc.nist.gov/ns/oscal/1.0");
  xmlXPathObjectPtr r = xmlXPathEvalExpression(BAD_CAST expr, x);
  cr_assert(r);
  double n = r->floatval;
  xmlXPathFreeObject(r);
  xmlXPathFreeContext(x);
  return n;
}

Test(oscal, rev4_one_item_per_control_not_withdrawn) {
  char *cat = need("data/oscal/NIST_SP-800-53_rev4_catalog.xml");
  /* Independent count with libxml2's XPath. */
  xmlDocPtr xd = xmlReadFile(cat, NULL, XML_PARSE_NONET);
  cr_assert(xd);
  const char *wd = "o:prop[@name='status' and translate(@value,'W','w')='withdrawn']";
  char expr[256];
  double all = xpath_count(xd, "count(//o:control)");
  snprintf(expr, sizeof expr, "count(//o:control[%s])", wd);
  double withdrawn = xpath_count(xd, expr);
  snprintf(expr, sizeof expr, "count(//o:control[%s]//o:control[not(%s)])", wd, wd);
  double inside_withdrawn = xpath_count(xd, expr);
  xmlFreeDoc(xd);
  cr_assert_eq(all, 922.0);
  cr_assert_eq(withdrawn, 96.0);
  cr_assert_eq(inside_withdrawn, 0.0);

  sh_oscal_import_stats st;
  sh_framework *fw = import_load(cat, "sp800-53-rev4", &st);
  cr_expect_eq(st.format, SH_OSCAL_XML);
  cr_expect_str_eq(st.oscal_version, "1.1.1");
  cr_expect_eq(st.controls, (size_t)all);
  cr_expect_eq(st.withdrawn, (size_t)withdrawn);
  cr_expect_eq(st.items, (size_t)(all - withdrawn));
  cr_expect_eq(fw->items.n, (size_t)(all - withdrawn));
  cr_expect_eq(fw->sections.n, 18);
  const sh_item *ac2_1 = sh_framework_item(fw, "ac-2.1");
  cr_assert(ac2_1);
  cr_expect(sh_str_startswith(ac2_1->text.ja, "AC-2(1) Automated System Account Management"), "%s", ac2_1->text.ja);
  cr_expect(ac2_1->manual);
  cr_expect_eq(ac2_1->strength, SH_STRENGTH_MUST);
  cr_expect_str_eq(ac2_1->section.v[0], "ac");
  const sh_item *ac1 = sh_framework_item(fw, "ac-1");
  cr_assert(ac1);
  cr_expect(strstr(ac1->text.ja, "Develops, documents, and disseminates to [Assignment: organization-defined "
                                  "personnel or roles]:"), "%s", ac1->text.ja);
  cr_expect_null(sh_framework_item(fw, "ac-13"), "AC-13 is withdrawn in rev4");
  sh_framework_free(fw);
  free(cat);
}

static void same_framework(const sh_framework *a, const sh_framework *b) {
  cr_assert_eq(a->items.n, b->items.n);
  cr_assert_eq(a->sections.n, b->sections.n);
  cr_expect_str_eq(a->title.ja, b->title.ja);
  cr_expect_str_eq(a->version, b->version);
  for (size_t i = 0; i < a->sections.n; i++) {
    const sh_section *x = a->sections.v[i], *y = b->sections.v[i];
    cr_expect_str_eq(x->id, y->id);
    cr_expect_str_eq(x->title.ja, y->title.ja);
  }
  for (size_t i = 0; i < a->items.n; i++) {
    const sh_item *x = a->items.v[i], *y = b->items.v[i];
    cr_assert_str_eq(x->id, y->id);
    cr_expect_str_eq(x->text.ja, y->text.ja, "item %s", x->id);
    cr_expect_eq(x->strength, y->strength);
    cr_assert_eq(x->section.n, y->section.n);
    for (size_t k = 0; k < x->section.n; k++) cr_expect_str_eq(x->section.v[k], y->section.v[k]);
    cr_expect_str_eq(x->source.section, y->source.section);
  }
}

Test(oscal, rev5_high_xml_yaml_json_same_framework) {
  char *x = need("data/oscal/NIST_SP-800-53_rev5_HIGH-baseline-resolved-profile_catalog.xml");
  char *y = need("data/oscal/NIST_SP-800-53_rev5_HIGH-baseline-resolved-profile_catalog.yaml");
  char *j = need("data/oscal/NIST_SP-800-53_rev5_HIGH-baseline-resolved-profile_catalog-min.json");
  sh_oscal_import_stats sx, sy, sj;
  sh_framework *fx = import_load(x, "high", &sx), *fy = import_load(y, "high", &sy), *fj = import_load(j, "high", &sj);
  cr_expect_eq(sx.format, SH_OSCAL_XML);
  cr_expect_eq(sy.format, SH_OSCAL_YAML);
  cr_expect_eq(sj.format, SH_OSCAL_JSON);
  cr_expect_eq(fx->items.n, 370);
  same_framework(fx, fy);
  same_framework(fx, fj);
  const sh_item *ac1 = sh_framework_item(fx, "ac-1");
  cr_assert(ac1);
  cr_expect(strstr(ac1->text.ja, "1. [Selection (one or more): organization-level; mission/business process-level; "
                                  "system-level] access control policy that:"),
            "%s", ac1->text.ja);
  sh_framework_free(fx);
  sh_framework_free(fy);
  sh_framework_free(fj);
  free(x);
  free(y);
  free(j);
}

/* Counts modal_verb props (any part or control) by value with json-c, independently of the importer. */
static void count_modal(struct json_object *o, size_t counts[3]) {
  if (json_object_is_type(o, json_type_array)) {
    for (size_t i = 0; i < json_object_array_length(o); i++) count_modal(json_object_array_get_idx(o, i), counts);
    return;
  }
  if (!json_object_is_type(o, json_type_object)) return;
  struct json_object *name, *value;
  if (json_object_object_get_ex(o, "name", &name) && json_object_object_get_ex(o, "value", &value) &&
      strcmp(json_object_get_string(name), "modal_verb") == 0) {
    const char *v = json_object_get_string(value);
    counts[strcmp(v, "MUSS") == 0 ? 0 : strcmp(v, "SOLLTE") == 0 ? 1 : 2]++;
  }
  json_object_object_foreach(o, k, v) {
    (void)k;
    count_modal(v, counts);
  }
}

static void bsi(const char *rel, size_t must, size_t should, size_t may) {
  char *cat = need(rel);
  struct json_object *root = json_object_from_file(cat);
  cr_assert(root);
  size_t counts[3] = {0};
  count_modal(root, counts);
  json_object_put(root);
  /* The figures the shared data README records (checked there by a one-liner). */
  cr_assert_eq(counts[0], must);
  cr_assert_eq(counts[1], should);
  cr_assert_eq(counts[2], may);
  sh_oscal_import_stats st;
  sh_framework *fw = import_load(cat, "bsi-test", &st);
  size_t got[3] = {0};
  for (size_t i = 0; i < fw->items.n; i++) got[((const sh_item *)fw->items.v[i])->strength]++;
  for (int k = 0; k < 3; k++) {
    cr_expect_eq(got[k], counts[k], "strength %d: %zu items, %zu modal verbs", k, got[k], counts[k]);
    cr_expect_eq(st.modal[k], counts[k]);
  }
  cr_expect_eq(fw->items.n, must + should + may);
  sh_framework_free(fw);
  free(cat);
}

Test(oscal, bsi_kernel_strengths_by_modal_verb) {
  bsi("data/oscal/bsi/BSI-Stand-der-Technik-Kernel-catalog.json", 69, 608, 224);
}

Test(oscal, bsi_methodik_strengths_by_modal_verb) {
  bsi("data/oscal/bsi/BSI-Methodik-Grundschutz++-catalog.json", 76, 19, 0);
}

/* ---------- small catalogs ---------- */

static const char *small_json =
    "{\n"
    "  \"catalog\": {\n"
    "    \"uuid\": \"74c8ba1e-5cd4-4ad1-bbfd-d888e2f6c724\",\n"
    "    \"metadata\": {\"title\": \"Small\", \"last-modified\": \"2024-05-01T00:00:00Z\", \"version\": \"1\",\n"
    "                 \"oscal-version\": \"1.1.2\"},\n"
    "    \"groups\": [{\"id\": \"g\", \"title\": \"Group\", \"controls\": [\n"
    "      {\"id\": \"c-1\", \"title\": \"One\",\n"
    "       \"params\": [{\"id\": \"p1\", \"label\": \"frequency\"},\n"
    "                  {\"id\": \"p2\", \"select\": {\"choice\": [\"daily\", \"every {{ insert: param, p1 }}\"]}},\n"
    "                  {\"id\": \"p3\", \"values\": [\"30 days\"]},\n"
    "                  {\"id\": \"p4\"}],\n"
    "       \"props\": [{\"name\": \"label\", \"value\": \"C-1\"}],\n"
    "       \"parts\": [{\"name\": \"statement\", \"prose\": \"Review {{ insert: param, p2 }} within "
    "{{insert: param, p3}} by {{ insert: param, p4 }}.\",\n"
    "                  \"props\": [{\"name\": \"modal_verb\", \"value\": \"SOLLTE\"}]},\n"
    "                 {\"name\": \"guidance\", \"prose\": \"not in the text\"}],\n"
    "       \"controls\": [{\"id\": \"c-1.1\", \"title\": \"Enh\", \"parts\": [{\"name\": \"statement\",\n"
    "                       \"parts\": [{\"name\": \"item\", \"props\": [{\"name\": \"label\", \"value\": \"a.\"}],\n"
    "                                  \"prose\": \"First\"}]}]}]},\n"
    "      {\"id\": \"c-2\", \"title\": \"Gone\", \"props\": [{\"name\": \"status\", \"value\": \"withdrawn\"}],\n"
    "       \"controls\": [{\"id\": \"c-2.1\", \"title\": \"Gone too\"}]}\n"
    "    ]}]\n"
    "  }\n"
    "}\n";

Test(oscal, parameters_inserted_and_withdrawn_counted) {
  char *dir = th_tmpdir();
  char *p = th_write(dir, "small.json", small_json);
  sh_oscal_import_stats st;
  sh_framework *fw = import_load(p, "small", &st);
  cr_expect_eq(st.items, 2);
  cr_expect_eq(st.withdrawn, 2, "a withdrawn control and its enhancement");
  cr_expect_eq(st.controls, 4);
  const sh_item *c1 = sh_framework_item(fw, "c-1");
  cr_assert(c1);
  cr_expect_str_eq(c1->text.ja, "C-1 One\nReview [Selection: daily; every [Assignment: frequency]] within 30 days by "
                                "[Assignment: p4].");
  cr_expect_eq(c1->strength, SH_STRENGTH_SHOULD);
  const sh_item *e = sh_framework_item(fw, "c-1.1");
  cr_assert(e);
  cr_expect_str_eq(e->text.ja, "c-1.1 Enh\na. First");
  cr_expect_eq(e->strength, SH_STRENGTH_MUST, "no modal verb: must");
  cr_expect_str_eq(e->section.v[0], "g");
  sh_framework_free(fw);
  free(p);
  free(dir);
}

static int import_err(const char *name, const char *text) {
  char *dir = th_tmpdir();
  char *p = th_write(dir, name, text);
  sh_buf b = {0};
  int rc = sh_oscal_catalog_import(p, "x", &b, NULL, &d);
  cr_expect_eq(b.len, 0, "nothing written on error");
  sh_buf_free(&b);
  free(p);
  free(dir);
  return rc;
}

Test(oscal, malformed_json_located) {
  cr_assert_eq(import_err("bad.json", "{\n  \"catalog\": {\n    \"uuid\": \"x\",\n    \"metadata\" {}\n  }\n}\n"), -1);
  assert_diag("bad.json:4:16: malformed JSON");
}

Test(oscal, malformed_xml_located) {
  cr_assert_eq(import_err("bad.xml", "<catalog xmlns=\"http://csrc.nist.gov/ns/oscal/1.0\">\n  <metadata>\n"
                                     "  </metadat>\n</catalog>\n"),
               -1);
  assert_diag("bad.xml:3:");
  assert_diag("malformed XML");
}

Test(oscal, malformed_yaml_located) {
  cr_assert_eq(import_err("bad.yaml", "catalog:\n  metadata:\n    title: [a\n"), -1);
  assert_diag("bad.yaml:");
}

Test(oscal, control_without_id_located_in_json) {
  char *s = sh_strdup(small_json);
  char *at = strstr(s, "\"id\": \"c-1.1\",");
  memcpy(at, "\"ix\"", 4);
  cr_assert_eq(import_err("noid.json", s), -1);
  assert_diag("noid.json:16:21: a control without an 'id'");
  free(s);
}

Test(oscal, duplicate_json_key_located) {
  cr_assert_eq(import_err("dup.json", "{\"catalog\": {\"uuid\": \"a\",\n \"uuid\": \"b\"}}"), -1);
  assert_diag("dup.json:2:2: duplicate key 'uuid'");
}

Test(oscal, doctype_refused) {
  cr_assert_eq(import_err("dtd.xml", "<?xml version=\"1.0\"?>\n<!DOCTYPE catalog [<!ENTITY a \"aaaa\">]>\n"
                                     "<catalog><metadata><title>&a;</title></metadata></catalog>\n"),
               -1);
  assert_diag("DOCTYPE refused");
}

Test(oscal, unknown_modal_verb_located) {
  char *s = sh_strdup(small_json);
  char *at = strstr(s, "SOLLTE");
  memcpy(at, "SOLLEN", 6);
  cr_assert_eq(import_err("verb.json", s), -1);
  assert_diag("verb.json:7:7: control 'c-1': modal verb 'SOLLEN'");
  free(s);
}

Test(oscal, not_a_catalog) {
  cr_assert_eq(import_err("p.json", "{\"profile\": {}}"), -1);
  assert_diag("p.json:1:1: not an OSCAL catalog");
}

/* ---------- assessment results (report formats oscal-ar-xml, oscal-ar-json) ---------- */

/* Runs a program (PATH lookup) with stdout and stderr into *out. Returns its exit status, 127 when it cannot run. */
static int run_tool(char **out, const char *const *argv) {
  char tmpl[] = "/tmp/shinsa-test-tool-XXXXXX";
  int fd = mkstemp(tmpl);
  cr_assert(fd >= 0);
  unlink(tmpl);
  pid_t pid = fork();
  cr_assert(pid >= 0);
  if (pid == 0) {
    alarm(60);
    dup2(fd, 1);
    dup2(fd, 2);
    execvp(argv[0], (char *const *)argv);
    _exit(127);
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  lseek(fd, 0, SEEK_SET);
  sh_buf b = {0};
  char chunk[4096];
  ssize_t n;
  while ((n = read(fd, chunk, sizeof chunk)) > 0) sh_buf_put(&b, chunk, (size_t)n);
  close(fd);
  *out = sh_buf_steal(&b);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

/* xmllint --schema XSD FILE must say "validates". */
static void xsd_valid(const char *xsd_rel, const char *file) {
  char *xsd = need(xsd_rel);
  char *out = NULL;
  const char *argv[] = {"xmllint", "--noout", "--nonet", "--schema", xsd, file, NULL};
  int rc = run_tool(&out, argv);
  if (rc == 127) cr_skip_test("xmllint is not installed (Debian libxml2-utils)");
  cr_expect_eq(rc, 0, "xmllint %s:\n%s", xsd_rel, out);
  cr_expect(strstr(out, "validates"), "%s", out);
  free(out);
  free(xsd);
}

/* tests/oscal_jsonschema.py SCHEMA FILE (python3-jsonschema) must say "validates". */
static void json_valid(const char *schema_rel, const char *file) {
  char *schema = need(schema_rel);
  char *script = th_src("tests/oscal_jsonschema.py");
  char *out = NULL;
  const char *argv[] = {"python3", script, schema, file, NULL};
  int rc = run_tool(&out, argv);
  if (rc == 127 || rc == 77) cr_skip_test("python3 with jsonschema and regex is not installed: %s", out);
  cr_expect_eq(rc, 0, "JSON Schema %s:\n%s", schema_rel, out);
  free(out);
  free(script);
  free(schema);
}

/* A recorded run of the bundled example with two reviewer decisions; returns the folder (caller frees). */
static char *recorded_run(void) {
  char *dir = th_tmpdir();
  char *db = sh_path_join(dir, "runs.db");
  char *ex = th_src("examples/phr-operator");
  char *out, *err;
  const char *check[] = {"check", ex, "--db", db, NULL};
  int rc = th_run(&out, &err, check);
  cr_assert(rc == 0 || rc == 1, "%s", err);
  free(out), free(err);
  /* the reviewers, registered with keys made by ssh-keygen (the bundled rules/quorum.yaml defines the roles) */
  char *p1 = sh_printf("%s.pub", th_key("山田 花子")), *p2 = sh_printf("%s.pub", th_key("Bob"));
  const char *a1[] = {"reviewer", "add", "--db", db, "--role", "auditor", "--key", p1, "山田 花子", NULL};
  cr_assert_eq(th_run(&out, &err, a1), 0, "%s", err);
  free(out), free(err);
  const char *a2[] = {"reviewer", "add", "--db", db, "--role", "medical_professional", "--key", p2, "Bob", NULL};
  cr_assert_eq(th_run(&out, &err, a2), 0, "%s", err);
  free(out), free(err), free(p1), free(p2);
  const char *r1[] = {"review", "1", "phr-2023:2.2/1-1", "--decision", "accept", "--reviewer", "山田 花子",
                      "--role", "auditor", "--note", "証明書 <原本> & 写し", "--key", th_key("山田 花子"), "--db", db, NULL};
  cr_assert_eq(th_run(&out, &err, r1), 0, "%s", err);
  free(out), free(err);
  const char *r2[] = {"review", "1", "phr-2023:x-3.3-withdrawal", "--decision", "reject", "--reviewer", "Bob",
                      "--role", "medical_professional", "--key", th_key("Bob"), "--db", db, NULL};
  cr_assert_eq(th_run(&out, &err, r2), 0, "%s", err);
  free(out), free(err);
  free(ex);
  free(db);
  return dir;
}

static char *report_to(const char *dir, const char *format, const char *name) {
  char *db = sh_path_join(dir, "runs.db"), *file = sh_path_join(dir, name);
  char *out, *err;
  const char *args[] = {"report", "1", "--db", db, "--format", format, "--out", file, NULL};
  int rc = th_run(&out, &err, args);
  cr_assert(rc == 0 || rc == 1, "report --format %s: %d %s", format, rc, err);
  free(out), free(err), free(db);
  return file;
}

Test(oscal, assessment_results_xml_validate_1_1_2_and_1_2_2) {
  char *dir = recorded_run();
  char *file = report_to(dir, "oscal-ar-xml", "ar.xml");
  xsd_valid("data/oscal/oscal_assessment-results_schema-1.1.2.xsd", file);
  xsd_valid("data/oscal/oscal_assessment-results_schema-1.2.2.xsd", file);
  /* Content: one observation and one finding per item, reviewers as parties, attestations, hashes. */
  xmlDocPtr xd = xmlReadFile(file, NULL, XML_PARSE_NONET);
  cr_assert(xd);
  double items = xpath_count(xd, "count(//o:include-control)");
  cr_expect_gt(items, 10.0);
  cr_expect_eq(xpath_count(xd, "count(//o:observation)"), xpath_count(xd, "count(//o:finding)"));
  cr_expect_eq(xpath_count(xd, "count(//o:finding/o:target/o:status[@state='satisfied' or @state='not-satisfied'])"),
               xpath_count(xd, "count(//o:finding)"));
  cr_expect_eq(xpath_count(xd, "count(//o:metadata/o:party[@type='person'])"), 2.0);
  cr_expect_eq(xpath_count(xd, "count(//o:attestation)"), 2.0);
  cr_expect_eq(xpath_count(xd, "count(//o:attestation//o:prop[@name='decision' and @value='reject'])"), 1.0);
  cr_expect_eq(xpath_count(xd, "count(//o:finding[o:title='phr-2023:x-3.3-withdrawal not_satisfied'])"), 1.0,
               "the reject made the item not satisfied");
  cr_expect_gt(xpath_count(xd, "count(//o:relevant-evidence/o:prop[@name='sha256' and string-length(@value)=64])"),
               0.0);
  cr_expect_gt(xpath_count(xd, "count(//o:back-matter/o:resource/o:rlink/o:hash[@algorithm='SHA-256'])"), 1.0);
  cr_expect_eq(xpath_count(xd, "count(//o:include-control[@control-id='id_2.2_2F1-1'])"), 1.0,
               "an item id that is not an OSCAL token is encoded");
  xmlFreeDoc(xd);
  free(file);
  free(dir);
}

Test(oscal, assessment_results_json_validate_1_2_2) {
  char *dir = recorded_run();
  char *file = report_to(dir, "oscal-ar-json", "ar.json");
  json_valid("data/oscal/oscal_assessment-results_schema-1.2.2.json", file);
  struct json_object *root = json_object_from_file(file);
  cr_assert(root);
  struct json_object *ar, *results, *res0, *obs, *fnd, *att;
  cr_assert(json_object_object_get_ex(root, "assessment-results", &ar));
  cr_assert(json_object_object_get_ex(ar, "results", &results));
  res0 = json_object_array_get_idx(results, 0);
  cr_assert(json_object_object_get_ex(res0, "observations", &obs));
  cr_assert(json_object_object_get_ex(res0, "findings", &fnd));
  cr_assert(json_object_object_get_ex(res0, "attestations", &att));
  cr_expect_eq(json_object_array_length(obs), json_object_array_length(fnd));
  cr_expect_eq(json_object_array_length(att), 2);
  json_object_put(root);
  free(file);
  free(dir);
}

Test(oscal, check_writes_assessment_results) {
  char *dir = th_tmpdir(), *file = sh_path_join(dir, "ar.xml");
  char *ex = th_src("examples/phr-operator");
  char *out, *err;
  const char *args[] = {"check", ex, "--format", "oscal-ar-xml", "--out", file, NULL};
  int rc = th_run(&out, &err, args);
  cr_expect_eq(rc, 1, "findings in the example: %s", err);
  xsd_valid("data/oscal/oscal_assessment-results_schema-1.2.2.xsd", file);
  free(out), free(err), free(ex), free(file), free(dir);
}

Test(oscal, tokens) {
  char *t = sh_oscal_token("2.2/1-1");
  cr_expect_str_eq(t, "id_2.2_2F1-1");
  char *u = sh_oscal_untoken(t);
  cr_expect_str_eq(u, "2.2/1-1");
  free(t), free(u);
  t = sh_oscal_token("ac-2.1");
  cr_expect_str_eq(t, "ac-2.1");
  free(t);
  t = sh_oscal_token("5.4.1④/M01");
  cr_expect_str_eq(t, "id_5.4.1④_2FM01", "④ is a number (No)");
  u = sh_oscal_untoken(t);
  cr_expect_str_eq(u, "5.4.1④/M01");
  free(t), free(u);
  t = sh_oscal_token("x_y");
  cr_expect_str_eq(t, "x_y");
  free(t);
  t = sh_oscal_token("id_x");
  cr_expect_str_eq(t, "id_id_5Fx", "a valid token starting with id_ is encoded, so that decoding is unambiguous");
  free(t);
}

/* ---------- the command line ---------- */

Test(oscal, cli_import_then_lint) {
  char *cat = need("data/oscal/bsi/BSI-Methodik-Grundschutz++-catalog.json");
  char *dir = th_tmpdir(), *file = sh_path_join(dir, "bsi-methodik.yaml");
  char *out, *err;
  const char *args[] = {"import", "oscal", cat, "--id", "bsi-methodik", "--out", file, NULL};
  cr_assert_eq(th_run(&out, &err, args), 0, "%s", err);
  cr_expect(strstr(err, "95 items from 95 controls and enhancements, 0 withdrawn left out; strength must 76, should 19, "
                        "effort 0 (95 from modal verbs)"),
            "%s", err);
  free(out), free(err);
  const char *lint[] = {"lint", file, NULL};
  cr_expect_eq(th_run(&out, &err, lint), 0, "lint refuses the imported framework: %s", err);
  free(out), free(err), free(file), free(dir), free(cat);
}

Test(oscal, cli_malformed_exit_3_nothing_written) {
  char *dir = th_tmpdir(), *bad = th_write(dir, "bad.xml", "<catalog>\n  <metadata>\n</catalog>\n");
  char *file = sh_path_join(dir, "out.yaml");
  char *out, *err;
  const char *args[] = {"import", "oscal", bad, "--id", "x", "--out", file, NULL};
  cr_expect_eq(th_run(&out, &err, args), 3, "%s", err);
  cr_expect(strstr(err, "bad.xml:3:"), "%s", err);
  cr_expect_neq(access(file, F_OK), 0, "no output file on error");
  free(out), free(err);
  const char *badid[] = {"import", "oscal", bad, "--id", "Not_An_Id", NULL};
  cr_expect_eq(th_run(&out, &err, badid), 2, "%s", err);
  free(out), free(err), free(file), free(bad), free(dir);
}

/* ---------- mapping collections ---------- */

/* Writes the crosswalk S -> T as an OSCAL mapping-collection with the CLI; returns the file (caller frees). */
static char *crosswalk_to(const char *dir, const char *from, const char *to, const char *format, const char *name) {
  char *file = sh_path_join(dir, name);
  char *out, *err;
  const char *args[] = {"crosswalk", "--from", from, "--to", to, "--format", format, "--out", file, NULL};
  cr_assert_eq(th_run(&out, &err, args), 0, "%s", err);
  free(out), free(err);
  return file;
}

Test(oscal, mapping_export_validates_1_2_2) {
  char *dir = th_tmpdir();
  char *x = crosswalk_to(dir, "infobank-v3", "phr-2023", "oscal-mapping-xml", "m.xml");
  char *j = crosswalk_to(dir, "infobank-v3", "phr-2023", "oscal-mapping-json", "m.json");
  xsd_valid("data/oscal/oscal_mapping_schema-1.2.2.xsd", x);
  json_valid("data/oscal/oscal_mapping_schema-1.2.2.json", j);
  xmlDocPtr xd = xmlReadFile(x, NULL, XML_PARSE_NONET);
  cr_assert(xd);
  cr_expect_eq(xpath_count(xd, "count(/o:mapping-collection/o:provenance[@method='hybrid' and "
                               "@matching-rationale='semantic'])"),
               1.0);
  cr_expect_eq(xpath_count(xd, "count(//o:mapping[@method='automation' and @matching-rationale='semantic'])"), 1.0);
  cr_expect_eq(xpath_count(xd, "count(//o:mapping[@method='human'])"), 1.0);
  /* Direction: an A item is "source superset-of target" with its witnesses as sources and as props. */
  cr_expect_eq(xpath_count(xd, "count(//o:map[o:target/@id-ref='2.2/1-1' and o:relationship='superset-of' and "
                               "o:source/@id-ref='x-3-03' and o:prop[@name='witness' and @value='x-3-03']])"),
               1.0);
  cr_expect_eq(xpath_count(xd, "count(//o:map[o:target/@id-ref='3.3/3-1' and o:relationship='subset-of' and "
                               "o:prop[@name='unmet']])"),
               1.0, "C: source subset-of target, with the unmet condition");
  cr_expect_gt(xpath_count(xd, "count(//o:target-gap-summary/o:unmapped-controls/o:with-id)"), 0.0);
  xmlFreeDoc(xd);
  /* The other direction has undecided items: left out of the maps, counted and listed in the provenance. */
  char *r = crosswalk_to(dir, "phr-2023", "infobank-v3", "oscal-mapping-xml", "r.xml");
  xsd_valid("data/oscal/oscal_mapping_schema-1.2.2.xsd", r);
  char *out, *err;
  const char *args[] = {"crosswalk", "--from", "phr-2023", "--to", "infobank-v3", "--format", "json", NULL};
  cr_assert_eq(th_run(&out, &err, args), 0);
  struct json_object *js = json_tokener_parse(out), *totals, *und;
  cr_assert(js && json_object_object_get_ex(js, "totals", &totals) &&
            json_object_object_get_ex(totals, "undecided", &und));
  int undecided = json_object_get_int(und);
  json_object_put(js);
  free(out), free(err);
  cr_assert_gt(undecided, 0);
  xd = xmlReadFile(r, NULL, XML_PARSE_NONET);
  cr_assert(xd);
  cr_expect_eq(xpath_count(xd, "number(//o:provenance/o:prop[@name='unknown-left-out']/@value)"), (double)undecided);
  cr_expect_eq(xpath_count(xd, "count(//o:map[o:prop[@name='class' and @value='unknown']])"), 0.0,
               "unknown is left out");
  cr_expect_eq(xpath_count(xd, "count(/o:mapping-collection/o:provenance[@status='not-complete'])"), 1.0);
  xmlFreeDoc(xd);
  free(r), free(x), free(j), free(dir);
}

static int import_mapping(const char *oscal, const char *from, const char *to, char **err, char **yaml) {
  char *dir = th_tmpdir(), *file = sh_path_join(dir, "xw.yaml");
  char *out;
  const char *args[] = {"import", "mapping", "--from", from, "--to", to, "--oscal", oscal, "--out", file, NULL};
  int rc = th_run(&out, err, args);
  size_t len;
  *yaml = NULL;
  if (rc == 0) cr_assert_eq(sh_read_file(file, 1u << 24, yaml, &len), 0);
  else cr_expect_neq(access(file, F_OK), 0, "nothing written on error");
  free(out), free(file), free(dir);
  return rc;
}

Test(oscal, mapping_round_trip) {
  char *dir = th_tmpdir();
  char *j = crosswalk_to(dir, "infobank-v3", "phr-2023", "oscal-mapping-json", "m.json");
  char *err, *yaml;
  cr_assert_eq(import_mapping(j, "infobank-v3", "phr-2023", &err, &yaml), 0, "%s", err);
  /* The relations file loads as curated relations, and the A item comes back as superset with its witness. */
  char *f = th_write(dir, "rt.yaml", yaml);
  sh_xw_curated_file *c = sh_xw_curated_load_file(f, &d);
  char *all = th_diags_str(&d);
  cr_assert(c, "%s", all);
  free(all);
  bool found = false;
  for (size_t i = 0; i < c->relations.n; i++) {
    const sh_xw_relation *r = c->relations.v[i];
    if (strcmp(r->target, "2.2/1-1") == 0) {
      found = true;
      cr_expect_eq(r->cls, SH_XW_A);
      cr_expect_str_eq(r->sources.v[0], "x-3-03");
    }
  }
  cr_expect(found);
  sh_xw_curated_file_free(c);
  free(f), free(yaml), free(err), free(j), free(dir);
}

Test(oscal, bsi_mapping_imports_json_and_xml_alike) {
  char *kernel = need("data/oscal/bsi/BSI-Stand-der-Technik-Kernel-catalog.json");
  char *mj = need("data/oscal/bsi/ITGS-to-GS++-mapping_collection.json");
  char *mx = need("data/oscal/bsi/ITGS-to-GS++-mapping_collection.converted-to-xml.xml");
  char *dir = th_tmpdir(), *fw = sh_path_join(dir, "bsi-kernel.yaml");
  char *out, *err;
  const char *imp[] = {"import", "oscal", kernel, "--id", "bsi-kernel", "--out", fw, NULL};
  cr_assert_eq(th_run(&out, &err, imp), 0, "%s", err);
  free(out), free(err);
  char *yj, *yx, *ej, *ex;
  cr_assert_eq(import_mapping(mj, "itgs-2023", fw, &ej, &yj), 0, "%s", ej);
  cr_assert_eq(import_mapping(mx, "itgs-2023", fw, &ex, &yx), 0, "%s", ex);
  cr_expect(strstr(ej, "1185 maps -> 302 relations itgs-2023 -> bsi-kernel (A 100, B 52, C 150, D 0); 186 maps skipped"),
            "%s", ej);
  /* Same relations from the JSON and its XML conversion (the header and source lines aside). */
  const char *rj = strstr(yj, "relations:"), *rx = strstr(yx, "relations:");
  cr_assert(rj && rx);
  size_t nj = 0, nx = 0;
  for (const char *p = rj; *p; p++) nj += *p == '\n';
  for (const char *p = rx; *p; p++) nx += *p == '\n';
  cr_expect_eq(nj, nx);
  cr_expect(strstr(yj, "  - target: \"ARCH.1.1\"\n"));
  cr_expect(strstr(yx, "  - target: \"ARCH.1.1\"\n"));
  free(yj), free(yx), free(ej), free(ex), free(fw), free(dir), free(kernel), free(mj), free(mx);
}

Test(oscal, invalid_mappings_refused_with_location) {
  char *iso = need("data/oscal/bsi/ISO27001-AnnexA-to-GS++-mapping_collection.json");
  char *cis = need("data/oscal/cis-sp-800-53-mapping_dev-example-2022.xml");
  char *err, *yaml;
  cr_expect_eq(import_mapping(iso, "iso27001-2022", "bsi-kernel", &err, &yaml), 3, "%s", err);
  cr_expect(strstr(err, "ISO27001-AnnexA-to-GS++-mapping_collection.json:23:7: unknown key 'qa-reviewed' in provenance"),
            "%s", err);
  free(err);
  cr_expect_eq(import_mapping(cis, "cis-v8", "sp800-53-rev5", &err, &yaml), 3, "%s", err);
  cr_expect(strstr(err, "cis-sp-800-53-mapping_dev-example-2022.xml:5:"), "%s", err);
  cr_expect(strstr(err, "has no 'provenance'"), "%s", err);
  free(err), free(iso), free(cis);
}

/* ---------- the XML reader (SAX2 events, no DOM) ---------- */

Test(oscal, xml_markup_entities_and_params) {
  const char *xml =
      "<?xml version=\"1.0\"?>\n"
      "<catalog xmlns=\"http://csrc.nist.gov/ns/oscal/1.0\" uuid=\"74c8ba1e-5cd4-4ad1-bbfd-d888e2f6c724\">\n"
      "  <metadata><title>T &amp; <em>U</em></title><last-modified>2024-05-01T00:00:00Z</last-modified>"
      "<version>1</version><oscal-version>1.1.2</oscal-version></metadata>\n"
      "  <control id=\"c-1\"><title>One</title>\n"
      "    <param id=\"p1\"><label>a &lt;b&gt;</label></param>\n"
      "    <prop name=\"label\" value=\"C&amp;1\"/>\n"
      "    <part name=\"guidance\"><p>never read</p></part>\n"
      "    <part name=\"statement\"><p>See <a href=\"x?a=1&amp;b=2\">the <strong>rule</strong></a>, <q>q</q>,\n"
      "      <code>c</code> and <insert type=\"param\" id-ref=\"p1\"/><![CDATA[ <raw> ]]>.</p></part>\n"
      "  </control>\n"
      "</catalog>\n";
  char *dir = th_tmpdir(), *p = th_write(dir, "m.xml", xml);
  sh_oscal_import_stats st;
  sh_framework *fw = import_load(p, "m", &st);
  const sh_item *c = sh_framework_item(fw, "c-1");
  cr_assert(c);
  cr_expect_str_eq(c->text.ja, "C&1 One\nSee [the **rule**](x?a=1&b=2), \"q\", `c` and [Assignment: a <b>] <raw> .");
  cr_expect_str_eq(fw->title.ja, "T & *U*");
  sh_framework_free(fw);
  free(p), free(dir);
}

Test(oscal, xml_nesting_bounded) {
  sh_buf b = {0};
  sh_buf_puts(&b, "<catalog>");
  for (int i = 0; i < 100; i++) sh_buf_puts(&b, "<group>");
  for (int i = 0; i < 100; i++) sh_buf_puts(&b, "</group>");
  sh_buf_puts(&b, "</catalog>");
  cr_assert_eq(import_err("deep.xml", sh_buf_str(&b)), -1);
  assert_diag("nested deeper than 64");
  sh_buf_free(&b);
}

Test(oscal, yaml_catalog_oscal_1_2) {
  const char *yaml = "catalog:\n"
                     "  uuid: 0c8e2d6a-2a34-4e4b-9a69-5f0f5b1c2d3e\n"
                     "  metadata:\n"
                     "    title: Small 1.2\n"
                     "    last-modified: 2025-01-01T00:00:00Z\n"
                     "    version: '2'\n"
                     "    oscal-version: 1.2.2\n"
                     "  controls:\n"
                     "    - id: x-1\n"
                     "      title: Top-level control\n"
                     "      props: [{name: label, value: X-1}]\n"
                     "      parts:\n"
                     "        - name: statement\n"
                     "          prose: Keep a list.\n"
                     "          props: [{name: modal_verb, value: KANN}]\n";
  char *dir = th_tmpdir(), *p = th_write(dir, "c.yaml", yaml);
  sh_oscal_import_stats st;
  sh_framework *fw = import_load(p, "small12", &st);
  cr_expect_str_eq(st.oscal_version, "1.2.2");
  cr_expect_eq(st.format, SH_OSCAL_YAML);
  const sh_item *it = sh_framework_item(fw, "x-1");
  cr_assert(it);
  cr_expect_str_eq(it->text.ja, "X-1 Top-level control\nKeep a list.");
  cr_expect_eq(it->strength, SH_STRENGTH_EFFORT);
  cr_expect_eq(it->section.n, 0, "a control outside any group has no section");
  sh_framework_free(fw);
  free(p), free(dir);
}
