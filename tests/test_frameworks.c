/* Tests of the bundled frameworks (issue 3): the official item numbers seed 002 names, their strength
 * and applicability, provenance of every item, no invented official numbers, quotes verified against
 * the seeds (when ../shared is present), and the sensitivity-level rules on the examples. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

static sh_registry *reg;

static void setup(void) { reg = th_bundled_registry(); }
static void teardown(void) { sh_registry_free(reg); }

TestSuite(frameworks, .init = setup, .fini = teardown);

static const sh_item *item(const char *fw, const char *id) {
  const sh_framework *f = sh_registry_find(reg, fw);
  cr_assert_not_null(f, "framework %s missing", fw);
  const sh_item *it = sh_framework_item(f, id);
  cr_assert_not_null(it, "%s: item %s missing", fw, id);
  return it;
}

static void expect(const char *fw, const char *id, sh_strength st, const char *applies_if, const char *doc) {
  const sh_item *it = item(fw, id);
  cr_assert_eq(it->strength, st, "%s %s strength", fw, id);
  if (applies_if) {
    cr_assert_not_null(it->applies_if, "%s %s should be conditional", fw, id);
    char *s = sh_expr_to_string(it->applies_if);
    cr_assert_str_eq(s, applies_if, "%s %s applies_if", fw, id);
    free(s);
  } else {
    cr_assert_null(it->applies_if, "%s %s should always apply", fw, id);
  }
  cr_assert_str_eq(it->source.document, doc, "%s %s source", fw, id);
}

Test(frameworks, the_bundled_set) {
  static const char *ids[] = {"infobank-v3", "medical-infra-act", "phr-2023", "sensitivity-levels"};
  for (size_t i = 0; i < 4; i++) cr_assert_not_null(sh_registry_find(reg, ids[i]), "%s", ids[i]);
  cr_assert_str_eq(sh_registry_find(reg, "sensitivity-levels")->kind, "rules");
  cr_assert_str_eq(sh_registry_find(reg, "phr-2023")->kind, "checklist");
}

Test(frameworks, named_items_of_seed_002) {
  static const char *const seed002 = "002_b5f25c198c954234.txt";
  expect("phr-2023", "2.2/1-1", SH_STRENGTH_MUST, "data.via_mynaportal_api", seed002);
  expect("phr-2023", "3.2/3-2", SH_STRENGTH_MUST, "third_party_provision.performed", seed002);
  expect("phr-2023", "3.3/3-1", SH_STRENGTH_MUST, NULL, seed002);
  expect("phr-2023", "4.2/1-1", SH_STRENGTH_MUST, NULL, seed002);
  expect("phr-2023", "4.2/1-2", SH_STRENGTH_MUST, NULL, seed002);
  expect("infobank-v3", "5.1②/No.6", SH_STRENGTH_MUST, NULL, seed002);
  expect("infobank-v3", "5.3.3⑦/No.86", SH_STRENGTH_MUST, NULL, seed002);
  static const char *board[] = {"5.4.1④/M01", "5.4.1④/M02", "5.4.1④/No.130", "5.4.1④/No.131", "5.4.1④/No.132",
                                "5.4.1④/No.133"};
  /* 002 gives one summary for the six numbers: one requirement, counted once, named by all six (002 line 175). */
  const sh_item *one = item("infobank-v3", "5.4.1④/M01、M02、No.130〜133");
  cr_assert_eq(one->numbers.n, 6);
  cr_assert_not_null(one->source.note, "the shared summary must be noted");
  for (size_t i = 0; i < 6; i++) {
    expect("infobank-v3", board[i], SH_STRENGTH_MUST, NULL, seed002);
    cr_assert_eq(item("infobank-v3", board[i]), one, "%s finds the one requirement", board[i]);
    cr_assert_str_eq(one->numbers.v[i], board[i]);
  }
  size_t n54 = 0;
  const sh_framework *ibf = sh_registry_find(reg, "infobank-v3");
  for (size_t i = 0; i < ibf->items.n; i++) n54 += sh_str_startswith(((const sh_item *)ibf->items.v[i])->id, "5.4.1④");
  cr_assert_eq(n54, 1, "one gap is one failure, not six");
  /* What the PHR items demand, as 002 describes them. */
  char *s = sh_expr_to_string(item("phr-2023", "3.3/3-1")->require);
  cr_assert(strstr(s, "retention.inactive_deletion"), "3.3/3-1 adds deletion after non-use: %s", s);
  free(s);
  s = sh_expr_to_string(item("infobank-v3", "5.3.3⑦/No.86")->require);
  cr_assert_null(strstr(s, "inactive"), "No.86 has no non-use period: %s", s);
  free(s);
  s = sh_expr_to_string(item("phr-2023", "4.2/1-2")->require);
  cr_assert(strstr(s, "hl7_cda"), "4.2/1-2 names HL7 CDA: %s", s);
  free(s);
}

/* Ids that a source shows as official; everything else must not pretend to be official. */
static bool official(const char *fw, const char *id) {
  static const char *phr[] = {"2.2/1-1", "3.2/3-2", "3.3/3-1", "4.2/1-1", "4.2/1-2", NULL};
  static const char *ib[] = {"5.1②/No.6", "5.3.3⑦/No.86", "5.4.1④/M01、M02、No.130〜133", NULL};
  const char **list = strcmp(fw, "phr-2023") == 0 ? phr : strcmp(fw, "infobank-v3") == 0 ? ib : NULL;
  for (size_t i = 0; list && list[i]; i++)
    if (strcmp(list[i], id) == 0) return true;
  return false;
}

Test(frameworks, every_item_is_traceable_and_no_official_number_is_invented) {
  static const char *seeds[] = {"000_6c08e1edab531b66.txt", "001_7f4f1a2e859553e1.txt", "002_b5f25c198c954234.txt",
                                "003_badc3d8ecde5bb3c.txt", "004_19b5401fcc012306.txt"};
  for (size_t f = 0; f < reg->frameworks.n; f++) {
    const sh_framework *fw = reg->frameworks.v[f];
    for (size_t i = 0; i < fw->items.n; i++) {
      const sh_item *it = fw->items.v[i];
      cr_assert(official(fw->id, it->id) || sh_str_startswith(it->id, "x-"),
                "%s %s: an id that is not shown by a source must start with x-", fw->id, it->id);
      bool known = false;
      for (size_t k = 0; k < 5; k++) known |= strcmp(it->source.document, seeds[k]) == 0;
      cr_assert(known, "%s %s: source %s is not a seed", fw->id, it->id, it->source.document);
      cr_assert_not_null(it->source.lines, "%s %s: source lines", fw->id, it->id);
      cr_assert_not_null(it->text.ja, "%s %s: Japanese text", fw->id, it->id);
      cr_assert_not_null(it->text.en, "%s %s: English translation", fw->id, it->id);
      if (it->source.form == SH_FORM_VERBATIM) cr_assert_not_null(it->source.quote);
    }
  }
}

Test(frameworks, quotes_match_the_seeds) {
  char *seeds = th_shared("seeds");
  if (!seeds) cr_skip_test("../shared/seeds is absent: quotes not checked against the sources");
  char *out, *err;
  const char *args[] = {"lint", "--sources", seeds, NULL};
  int rc = th_run(&out, &err, args);
  cr_assert_eq(rc, 0, "lint --sources failed:\n%s", err);
  cr_assert(strstr(out, "verbatim quotes verified"), "%s", out);
  free(out);
  free(err);
  free(seeds);
}

static const sh_result *lv(const sh_evaluation *e, const char *id) {
  const sh_result *r = th_result(e, "sensitivity-levels", id);
  cr_assert_not_null(r, "%s", id);
  return r;
}

static sh_evaluation *eval_pkg(const char *dir, sh_evidence **ev_out) {
  sh_diags d = {0};
  sh_evidence *ev = sh_evidence_load(reg->vocab, dir, &d);
  char *s = th_diags_str(&d);
  cr_assert_not_null(ev, "%s", s);
  free(s);
  sh_diags_free(&d);
  const sh_framework *fw = sh_registry_find(reg, "sensitivity-levels");
  *ev_out = ev;
  return sh_evaluate(ev, &fw, 1, NULL);
}

Test(frameworks, level_rules_on_the_examples) {
  sh_evidence *ev;
  char *dir = th_src("examples/phr-operator");
  sh_evaluation *e = eval_pkg(dir, &ev);
  /* Levels 1 and 2 declared: their rules apply, level 0 rules do not, and level 3 is absent. */
  cr_assert_eq(lv(e, "x-lv0-01")->verdict, SH_V_NOT_APPLICABLE);
  cr_assert_eq(lv(e, "x-lv1-01")->verdict, SH_V_SATISFIED);
  cr_assert_eq(lv(e, "x-lv2-01")->verdict, SH_V_SATISFIED, "consent is the must part");
  cr_assert_eq(lv(e, "x-lv2-08")->verdict, SH_V_NOT_SATISFIED, "the person is not urged to consult a family doctor");
  cr_assert_eq(lv(e, "x-lv2-04")->verdict, SH_V_NEEDS_REVIEW);
  cr_assert_eq(lv(e, "x-lv3-01")->verdict, SH_V_SATISFIED);
  sh_evaluation_free(e);
  sh_evidence_free(ev);
  free(dir);

  dir = th_src("examples/infobank-health");
  e = eval_pkg(dir, &ev);
  cr_assert_neq(lv(e, "x-lv0-01")->verdict, SH_V_NOT_APPLICABLE, "level 0 data declared");
  cr_assert_neq(lv(e, "x-lv2-01")->verdict, SH_V_NOT_APPLICABLE, "level 2 data declared");
  cr_assert_eq(lv(e, "x-lv3-01")->verdict, SH_V_SATISFIED);
  sh_evaluation_free(e);
  sh_evidence_free(ev);
  free(dir);
}

Test(frameworks, level_3_is_not_allowed_and_level_2_rules_need_level_2) {
  char *tmp = th_tmpdir();
  char *p = th_write(tmp, "evidence.yaml",
                     "applicant: {name: X, kind: information_bank, assessment_date: 2026-10-01}\n"
                     "data_items:\n"
                     "  - {id: steps, name: 歩数, level: 1}\n"
                     "  - {id: genome, name: ゲノム, level: 3}\n");
  sh_evidence *ev;
  sh_evaluation *e = eval_pkg(tmp, &ev);
  cr_assert_eq(lv(e, "x-lv3-01")->verdict, SH_V_NOT_SATISFIED);
  cr_assert_eq(lv(e, "x-lv2-01")->verdict, SH_V_NOT_APPLICABLE);
  cr_assert_eq(lv(e, "x-lv1-01")->verdict, SH_V_UNKNOWN, "consent not declared");
  sh_evaluation_free(e);
  sh_evidence_free(ev);
  free(p);
  free(tmp);
}

static char *req(const char *fw, const char *id) {
  const sh_item *it = item(fw, id);
  cr_assert_not_null(it->require, "%s %s should be machine-checkable", fw, id);
  return sh_expr_to_string(it->require);
}

static void expect_require(const char *fw, const char *id, const char *want) {
  char *s = req(fw, id);
  cr_assert_str_eq(s, want, "%s %s require", fw, id);
  free(s);
}

/* Issue 15: strengths checked against the wording of the seeds. */
Test(frameworks, strengths_follow_the_wording) {
  /* 001 lines 17, 437-438, 475 推奨 and 002 lines 53-55 促す: prompting is should, consent stays must. */
  expect("sensitivity-levels", "x-lv2-01", SH_STRENGTH_MUST, "data.sensitivity_levels contains level2",
         "001_7f4f1a2e859553e1.txt");
  expect_require("sensitivity-levels", "x-lv2-01", "consent.purpose_and_provision");
  expect("sensitivity-levels", "x-lv2-08", SH_STRENGTH_SHOULD, "data.sensitivity_levels contains level2",
         "001_7f4f1a2e859553e1.txt");
  expect_require("sensitivity-levels", "x-lv2-08", "consent.family_doctor_consultation_prompted");
  /* 003 lines 918-919, 857-859, 1093: 考えられる. */
  static const char *kangae[] = {"x-4-08", "x-4-10", "x-4-13"};
  for (size_t i = 0; i < 3; i++)
    cr_assert_eq(item("medical-infra-act", kangae[i])->strength, SH_STRENGTH_SHOULD, "%s", kangae[i]);
  /* 004 line 507: a certified operator at about 730,000 persons; the scale figure is not a hard threshold. */
  cr_assert_eq(item("medical-infra-act", "x-1-02")->strength, SH_STRENGTH_SHOULD);
}

/* Issue 15: expressions that say what the source says. */
Test(frameworks, expressions_follow_the_sources) {
  /* 002 lines 141-145: certification and FISC measures are examples (等) of the ability. */
  expect_require("infobank-v3", "5.1②/No.6",
                 "(security.third_party_certifications contains any [isms, pmark] or operator.personal_data_competence) and "
                 "governance.structure_established");
  char *s = req("infobank-v3", "x-3-03");
  cr_assert(strstr(s, "security.third_party_certifications"), "x-3-03 keeps the certification: %s", s);
  free(s);
  /* 002 lines 217-220: Mynaportal items and format as the basis, HL7 CDA in addition. */
  s = req("phr-2023", "4.2/1-2");
  cr_assert(strstr(s, "interop.cda_export_items_within_mynaportal") && strstr(s, "mynaportal_format"), "%s", s);
  free(s);
  /* 002 line 36: 第三者提供・活用, not provision only. */
  expect("infobank-v3", "x-v3-01", SH_STRENGTH_MUST, "data.max_sensitivity_level >= 2", "002_b5f25c198c954234.txt");
  /* Each framework asks what its source asks: V2.0 asks BCM, the Act adds standby equipment; annex 1 adds
   * classification by importance. */
  expect_require("infobank-v3", "x-3-40", "security.bcp_established");
  expect_require("medical-infra-act", "x-2-23", "security.bcp_established and security.standby_equipment");
  expect_require("infobank-v3", "x-3-17", "security.asset_inventory");
  expect_require("medical-infra-act", "x-1-08", "security.asset_inventory and security.risk_assessment");
  s = req("medical-infra-act", "x-2-41");
  cr_assert(strstr(s, "security.asset_classification"), "%s", s);
  free(s);
  /* 002 lines 204-205: only deletion after non-use is missing on the bank side. */
  expect_require("infobank-v3", "5.3.3⑦/No.86", "retention.delete_when_purpose_ends and retention.delete_on_request");
  /* The level-2 rules check what 001 lines 476-477 and 482 ask of every applicant. */
  expect_require("sensitivity-levels", "x-lv2-09", "terms.ethics_review_criteria_stated");
  s = req("sensitivity-levels", "x-lv2-10");
  cr_assert(strstr(s, "sources.contract_security_obligation") && strstr(s, "recipients.contract_security_obligation"), "%s", s);
  free(s);
}

/* Issue 15: a verbatim text is the quote itself (no commentary merged in, no half-covered text). */
Test(frameworks, verbatim_texts_are_their_quotes) {
  static const char *ids[][2] = {{"phr-2023", "3.2/3-2"}, {"medical-infra-act", "x-4-09"},
                                 {"medical-infra-act", "x-3-11"}, {"medical-infra-act", "x-2-18"},
                                 {"sensitivity-levels", "x-lv2-01"}};
  for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
    const sh_item *it = item(ids[i][0], ids[i][1]);
    cr_assert_eq(it->source.form, SH_FORM_VERBATIM);
    cr_assert_str_eq(it->text.ja, it->source.quote, "%s %s", ids[i][0], ids[i][1]);
  }
}

/* Issue 15: facts that mean the same thing are linked, so that the crosswalk sees them. */
Test(frameworks, same_things_are_linked) {
  static const char *pairs[][2] = {
      {"controllability.stop_provision", "consent.withdrawal_honored"},
      {"consent.withdrawal_honored", "controllability.stop_provision"},
      {"optout.stop_on_request", "controllability.stop_provision"},
      {"transparency.selection_info_published", "transparency.portability_disclosed"},
      {"security.operation_logging_and_control", "security.log_monitoring"},
      {"operator.damage_compensation_measures", "operator.damage_claims_capacity"},
      {"ethics_board.natural_science_members >= 1", "ethics_board.established"},
      {"ethics_board.humanities_members >= 1", "ethics_board.established"},
      {"ethics_board.lay_members >= 1", "ethics_board.established"},
  };
  for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
    bool found = false;
    for (size_t k = 0; k < reg->vocab->implications.n && !found; k++) {
      const sh_implication *im = reg->vocab->implications.v[k];
      char *a = sh_expr_to_string(im->if_), *b = sh_expr_to_string(im->then_);
      found = strcmp(a, pairs[i][0]) == 0 && strcmp(b, pairs[i][1]) == 0;
      free(a);
      free(b);
    }
    cr_assert(found, "no implication %s => %s", pairs[i][0], pairs[i][1]);
  }
  cr_assert_null(sh_vocab_find(reg->vocab, "consent.medical_advice_based"), "a fact no operator can answer");
}

Test(frameworks, a_number_may_not_be_another_items_id) {
  char *tmp = th_tmpdir();
  char *p = th_write(tmp, "checklists/x.yaml",
                     "framework: {id: x, kind: checklist, title: {ja: X, en: X}, version: \"1\", source: {ja: s, en: s}}\n"
                     "items:\n"
                     "  - id: \"1/A、B\"\n    numbers: [\"1/A\", \"1/B\"]\n    text: {ja: a, en: a}\n    strength: must\n"
                     "    manual: true\n    evidence_needed: [{ja: e, en: e}]\n"
                     "    source: {document: d.txt, lines: \"1\", form: derived}\n"
                     "  - id: \"1/B\"\n    text: {ja: b, en: b}\n    strength: must\n"
                     "    manual: true\n    evidence_needed: [{ja: e, en: e}]\n"
                     "    source: {document: d.txt, lines: \"1\", form: derived}\n");
  sh_diags d = {0};
  sh_framework *fw = sh_framework_load(reg->vocab, p, &d);
  char *s = th_diags_str(&d);
  cr_assert_null(fw, "%s", s);
  cr_assert(strstr(s, "x.yaml:10:9: duplicate item id '1/B'"), "%s", s);
  free(s);
  sh_diags_free(&d);
  free(p);
  free(tmp);
}
