/* Tests of the data-item vocabulary (purposes and recipients with labels), the provenance of facts derived from
 * data items, and the package-level consistency findings (issue 15). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "probe.h"
#include "helpers.h"

static sh_registry *reg;

static void setup(void) { reg = th_bundled_registry(); }
static void teardown(void) { sh_registry_free(reg); }

TestSuite(consistency, .init = setup, .fini = teardown);

static const char *HEAD = "applicant: {name: X, kind: information_bank, assessment_date: 2026-10-01}\n";

static sh_evidence *load(const char *dir, char **errs) {
  sh_diags d = {0};
  sh_evidence *ev = sh_evidence_load(reg->vocab, dir, &d);
  *errs = th_diags_str(&d);
  sh_diags_free(&d);
  return ev;
}

static char *package(const char *body) {
  char *tmp = th_tmpdir();
  size_t n = strlen(HEAD) + strlen(body) + 1;
  char *text = malloc(n);
  snprintf(text, n, "%s%s", HEAD, body);
  free(th_write(tmp, "evidence.yaml", text));
  free(text);
  return tmp;
}

Test(consistency, purposes_and_recipients_have_a_vocabulary_with_labels) {
  const sh_fact *p = sh_vocab_find(reg->vocab, "data.purposes"), *r = sh_vocab_find(reg->vocab, "data.recipients");
  cr_assert(p && r && p->derived && r->derived);
  int k = sh_fact_value_index(r, "medical_institution");
  cr_assert_geq(k, 0);
  cr_assert(strstr(sh_fact_value_label(r, (size_t)k, "ja"), "医療機関"), "%s", sh_fact_value_label(r, (size_t)k, "ja"));
  cr_assert(strstr(sh_fact_value_label(r, (size_t)k, "en"), "Medical institutions"));
  k = sh_fact_value_index(p, "care_prevention");
  cr_assert(strstr(sh_fact_value_label(p, (size_t)k, "ja"), "001 465"), "labels cite the seed");
}

Test(consistency, an_unknown_recipient_is_an_error_at_its_position) {
  char *dir = package("data_items:\n  - {id: bp, name: 血圧, level: 1, purposes: [health_support], recipients: [self, fitness_club]}\n");
  char *errs;
  sh_evidence *ev = load(dir, &errs);
  cr_assert_null(ev);
  cr_assert(strstr(errs, "evidence.yaml:3:") && strstr(errs, "unknown recipient 'fitness_club'") &&
                strstr(errs, "private_business"),
            "%s", errs);
  free(errs);
  free(dir);
}

Test(consistency, uses_are_derived_and_recipients_contradicting_provision_are_a_finding) {
  char *dir = package("facts:\n  third_party_provision.performed: false\n"
                      "data_items:\n"
                      "  - {id: bp, name: 血圧, level: 1, purposes: [health_support], recipients: [self]}\n"
                      "  - {id: steps, name: 歩数, level: 1, purposes: [community_health], recipients: [public_body]}\n");
  char *errs;
  sh_evidence *ev = load(dir, &errs);
  cr_assert_not_null(ev, "%s", errs);
  free(errs);
  const sh_fact *r = sh_vocab_find(reg->vocab, "data.recipients");
  const sh_fact_value *fv = sh_evidence_get(ev, r);
  cr_assert_not_null(fv);
  cr_assert_eq(fv->value.set, (1ull << sh_fact_value_index(r, "self")) | (1ull << sh_fact_value_index(r, "public_body")));
  const sh_framework *fw = sh_registry_find(reg, "sensitivity-levels");
  sh_evaluation *e = sh_evaluate(ev, &fw, 1, NULL);
  size_t hits = 0;
  for (size_t i = 0; i < e->findings.n; i++) {
    const sh_reason *f = e->findings.v[i];
    if (strstr(f->message, "third_party_provision.performed is false")) {
      hits++;
      cr_assert(strstr(f->message, "'steps'") && strstr(f->message, "public_body") && strstr(f->message, "evidence.yaml:6:"),
                "%s", f->message);
    }
  }
  cr_assert_eq(hits, 1, "one finding, for the item with a third-party recipient");
  sh_evaluation_free(e);
  sh_evidence_free(ev);
  free(dir);
}

Test(consistency, no_finding_when_provision_is_performed) {
  char *dir = package("facts:\n  third_party_provision.performed: true\n"
                      "data_items:\n  - {id: steps, name: 歩数, level: 1, recipients: [public_body]}\n");
  char *errs;
  sh_evidence *ev = load(dir, &errs);
  cr_assert_not_null(ev, "%s", errs);
  free(errs);
  const sh_framework *fw = sh_registry_find(reg, "sensitivity-levels");
  sh_evaluation *e = sh_evaluate(ev, &fw, 1, NULL);
  for (size_t i = 0; i < e->findings.n; i++)
    cr_assert_null(strstr(((const sh_reason *)e->findings.v[i])->message, "contradiction"));
  sh_evaluation_free(e);
  sh_evidence_free(ev);
  free(dir);
}

/* A derived fact has the provenance of its inputs: a data inventory attests the data items, so an item with
 * min_provenance: attested (x-lv2-07, applying through data.sensitivity_levels) is met by a documented package. */
Test(consistency, derived_levels_take_the_provenance_of_the_data_items) {
  static const char *inv = "データ項目台帳\n";
  char h[65];
  sh_sha256_hex(inv, strlen(inv), h);
  char body[1024];
  snprintf(body, sizeof body,
           "facts:\n  security.medical_provider_guideline_compliance: true\n"
           "documents:\n"
           "  - {path: inventory.txt, sha256: %s, title: データ項目台帳, attests: [data.sensitivity_levels]}\n"
           "  - {path: inventory.txt, sha256: %s, title: 安全管理ガイドライン適合確認書, "
           "attests: [security.medical_provider_guideline_compliance]}\n"
           "data_items:\n  - {id: hba1c, name: HbA1c, level: 2}\n",
           h, h);
  char *dir = package(body);
  free(th_write(dir, "inventory.txt", inv));
  char *errs;
  sh_evidence *ev = load(dir, &errs);
  cr_assert_not_null(ev, "%s", errs);
  free(errs);
  const sh_fact_value *lv = sh_evidence_get(ev, sh_vocab_find(reg->vocab, "data.sensitivity_levels"));
  const sh_fact_value *mx = sh_evidence_get(ev, sh_vocab_find(reg->vocab, "data.max_sensitivity_level"));
  cr_assert(lv && mx);
  cr_assert_eq(lv->prov, SH_PROV_ATTESTED);
  cr_assert_eq(mx->prov, SH_PROV_ATTESTED, "both facts come from the same data items");
  cr_assert_eq(mx->documents.n, 1);
  const sh_framework *fw = sh_registry_find(reg, "sensitivity-levels");
  sh_evaluation *e = sh_evaluate(ev, &fw, 1, NULL);
  cr_assert_eq(th_result(e, "sensitivity-levels", "x-lv2-07")->verdict, SH_V_SATISFIED);
  sh_evaluation_free(e);
  sh_evidence_free(ev);
  free(dir);
}

Test(consistency, undocumented_data_items_stay_declared) {
  char *dir = package("data_items:\n  - {id: hba1c, name: HbA1c, level: 2}\n");
  char *errs;
  sh_evidence *ev = load(dir, &errs);
  cr_assert_not_null(ev, "%s", errs);
  free(errs);
  cr_assert_eq(sh_evidence_get(ev, sh_vocab_find(reg->vocab, "data.max_sensitivity_level"))->prov, SH_PROV_DECLARED);
  sh_evidence_free(ev);
  free(dir);
}

Test(consistency, value_labels_must_name_values_of_the_fact) {
  char *tmp = th_tmpdir();
  char *p = th_write(tmp, "facts.yaml",
                     "vocabulary: {id: t, version: \"1\"}\n"
                     "facts:\n"
                     "  - id: a.b\n    type: set\n    values: [x, y]\n"
                     "    value_labels: {x: {ja: エックス, en: ex}, z: zed}\n"
                     "    label: {ja: A, en: A}\n"
                     "  - id: a.c\n    type: boolean\n    value_labels: {x: ex}\n    label: {ja: C, en: C}\n");
  sh_diags d = {0};
  const char *paths[] = {p};
  sh_vocab *v = sh_vocab_load(paths, 1, &d);
  char *s = th_diags_str(&d);
  cr_assert_null(v, "%s", s);
  cr_assert(strstr(s, "facts.yaml:6:43: value_labels: 'z' is not one of the fact's values"), "%s", s);
  cr_assert(strstr(s, "facts.yaml:10:19: 'value_labels' is only for enum and set facts"), "%s", s);
  free(s);
  sh_diags_free(&d);
  free(p);
  free(tmp);
}

/* Levels by MHLW item code: the shared item-code table (not part of the project) is given by path. */
Test(consistency, the_item_code_table_decides_levels_and_a_contradicting_declared_level_is_a_finding) {
  char *table = th_shared("data/mhlw-checkup-cda/XMLhc24tab.csv");
  if (!table) cr_skip_test("../shared is absent: the MHLW item-code table is not in the project");
  char body[1024];
  snprintf(body, sizeof body,
           "item_codes: %s\n"
           "data_items:\n"
           "  - {id: bp, name: 血圧, level: 1, code: \"9A751000000000001\"}\n"
           "  - {id: tg, name: 中性脂肪, code: \"3F015000002327101\"}\n"
           "  - {id: other, name: 独自項目, level: 1, code: \"ZZZZZZZZZZZZZZZZZ\"}\n",
           table);
  char *dir = package(body);
  char *errs;
  sh_evidence *ev = load(dir, &errs);
  cr_assert_not_null(ev, "%s", errs);
  free(errs);
  sh_diags d = {0};
  cr_assert_eq(sh_probe_evidence(ev, NULL, &d), 0);
  sh_diags_free(&d);
  const sh_data_item *bp = ev->data_items.v[0], *tg = ev->data_items.v[1], *other = ev->data_items.v[2];
  cr_assert_eq(bp->level, 2, "a specific-checkup item is level 2 whatever was declared");
  cr_assert_eq(bp->declared_level, 1);
  cr_assert_eq(tg->level, 2, "code only: the table decides");
  cr_assert_eq(other->level, 1, "a code the table does not know keeps the declared level");
  cr_assert_eq(sh_evidence_get(ev, sh_vocab_find(reg->vocab, "data.max_sensitivity_level"))->value.i, 2);
  const sh_framework *fw = sh_registry_find(reg, "sensitivity-levels");
  sh_evaluation *e = sh_evaluate(ev, &fw, 1, NULL);
  size_t hits = 0;
  for (size_t i = 0; i < e->findings.n; i++) {
    const char *m = ((const sh_reason *)e->findings.v[i])->message;
    if (strstr(m, "MHLW item-code table")) {
      hits++;
      cr_assert(strstr(m, "evidence.yaml:4:") && strstr(m, "'bp' is declared level 1") && strstr(m, "level 2"), "%s", m);
    }
  }
  cr_assert_eq(hits, 1);
  cr_assert_neq(th_result(e, "sensitivity-levels", "x-lv2-01")->verdict, SH_V_NOT_APPLICABLE, "level 2 rules apply");
  sh_evaluation_free(e);
  sh_evidence_free(ev);
  free(dir);
  free(table);
}

Test(consistency, a_code_without_a_table_leaves_the_level_unknown_with_a_warning) {
  char *dir = package("data_items:\n  - {id: tg, name: 中性脂肪, code: \"3F015000002327101\"}\n");
  char *errs;
  sh_evidence *ev = load(dir, &errs);
  cr_assert_not_null(ev, "%s", errs);
  free(errs);
  sh_diags d = {0};
  sh_probe_evidence(ev, NULL, &d);
  char *s = th_diags_str(&d);
  cr_assert(strstr(s, "evidence.yaml:3:5") && strstr(s, "no item-code table is given (item_codes:)"), "%s", s);
  free(s);
  sh_diags_free(&d);
  cr_assert_null(sh_evidence_get(ev, sh_vocab_find(reg->vocab, "data.max_sensitivity_level")));
  sh_evidence_free(ev);
  free(dir);
}

/* Seed 004 lines 205-215: one person is both the officer for anonymization and the security officer. */
Test(consistency, one_person_in_several_officer_roles_is_reported) {
  char *dir = package("facts:\n"
                      "  governance.officer.chief_manager: 長島公之\n"
                      "  governance.officer.acquisition: 上野智明\n"
                      "  governance.officer.anonymization: 工藤憲一\n"
                      "  governance.officer.security: 工藤　憲一\n");
  char *errs;
  sh_evidence *ev = load(dir, &errs);
  cr_assert_not_null(ev, "%s", errs);
  free(errs);
  const sh_framework *fw = sh_registry_find(reg, "medical-infra-act");
  sh_evaluation *e = sh_evaluate(ev, &fw, 1, NULL);
  size_t hits = 0;
  for (size_t i = 0; i < e->findings.n; i++) {
    const char *m = ((const sh_reason *)e->findings.v[i])->message;
    if (!strstr(m, "officer roles")) continue;
    hits++;
    cr_assert(strstr(m, "工藤憲一 holds 2 officer roles: anonymization (") && strstr(m, "security (") &&
                  strstr(m, "evidence.yaml:6:"),
              "%s", m);
  }
  cr_assert_eq(hits, 1, "only the person with two roles");
  sh_evaluation_free(e);
  sh_evidence_free(ev);
  free(dir);
}
