/* Findings name their cause (issue 13 step 5), in every view and format and in both languages:
 *   - a finding on a fact computed from the data items names the items behind it (name, id, level, MHLW code);
 *   - a finding on a count of the data ethics board gives the board's composition with the numbers;
 *   - a requirement that applies only to some data (M01: a medical member when level-2 data is held) says what is
 *     missing, and the applicability condition appears only as context ("applies because ...");
 *   - the applicant is never told to change a computed fact, but which data items to reconsider;
 *   - counts of members of one kind above the board's members are a contradiction. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

/* A package holding level-2 and level-3 data, a board of 3 members with no medical professional and (a
 * contradiction) 4 external members. */
static const char package_yaml[] =
  "applicant: {name: テスト株式会社, name_en: Test Co., kind: information_bank, assessment_date: 2026-10-01}\n"
  "frameworks: [infobank-v3, sensitivity-levels, medical-infra-act]\n"
  "facts:\n"
  "  ethics_board.established: true\n"
  "  ethics_board.reviews_benefit: true\n"
  "  ethics_board.reviews_recipient_purpose: true\n"
  "  ethics_board.members: 3\n"
  "  ethics_board.external_members: 4\n"
  "  ethics_board.medical_members: 0\n"
  "  health.clear_benefit_to_person: true\n"
  "  health.no_disadvantage_to_person: true\n"
  "  third_party_provision.performed: true\n"
  "  third_party_provision.disadvantage_considered: false\n"
  "data_items:\n"
  "  - {id: hba1c, name: {ja: 特定健診 HbA1c, en: Checkup HbA1c}, level: 2, purposes: [health_support], recipients: [self]}\n"
  "  - {id: genome, name: {ja: ゲノム情報, en: Genome data}, level: 3, code: \"ZZZZZZZZZZZZZZZZZ\",\n"
  "     purposes: [health_support], recipients: [self]}\n";

static char *pkg, *datadir;

static void setup(void) {
  pkg = th_tmpdir();
  free(th_write(pkg, "evidence.yaml", package_yaml));
  datadir = th_src("");
}
static void teardown(void) {
  free(pkg);
  free(datadir);
}
TestSuite(causes, .init = setup, .fini = teardown);

static char *run(const char *view, const char *format, const char *lang) {
  char *out = NULL, *err = NULL;
  const char *args[] = {"check", "--data-dir", datadir, "--view", view, "--format", format, "--lang", lang, pkg, NULL};
  int rc = th_run(&out, &err, args);
  cr_assert_eq(rc, 1, "%s %s %s: exit %d (findings expected)\n%s", view, format, lang, rc, err);
  free(err);
  return out;
}

/* The part of out from the M01 item up to the next item (text and Markdown: the next line starting a new item). */
static char *m01_block(const char *out) {
  const char *p = strstr(out, "M01");
  cr_assert_not_null(p, "no M01 item in:\n%s", out);
  const char *q = strstr(p, "x-v3-01");
  return q ? sh_strndup(p, (size_t)(q - p)) : sh_strdup(p);
}

static const char *const en_board = "the board has 3 members, of whom 0 medical professionals (required: at least 1)";
static const char *const ja_board = "審査会の委員は3名、うち医療専門職は0名（要件: 1名以上）";
static const char *const en_genome = "Genome data (genome, level 3, item code ZZZZZZZZZZZZZZZZZ)";
static const char *const ja_genome = "ゲノム情報（genome、レベル3、項目コード ZZZZZZZZZZZZZZZZZ）";

/* Every view and format that carries reasons shows the board's counts and the data items with their code
 * (one run per view and language writes every format: --out, format from the extension). */
Test(causes, every_view_and_format_names_the_cause_in_both_languages) {
  static const char *const views[] = {"auditor", "applicant", "ethics"};
  static const char *const exts[] = {"txt", "md", "html", "csv", "json"};
  char *tmp = th_tmpdir();
  for (size_t v = 0; v < 3; v++)
    for (int ja = 0; ja < 2; ja++) {
      const char *lang = ja ? "ja" : "en";
      char *files[5];
      const char *args[32] = {"check", "--data-dir", datadir, "--view", views[v], "--lang", lang};
      size_t na = 7;
      for (size_t k = 0; k < 5; k++) {
        files[k] = sh_printf("%s/%s.%s.%s", tmp, views[v], lang, exts[k]);
        args[na++] = "-o";
        args[na++] = files[k];
      }
      args[na++] = pkg;
      char *out = NULL, *err = NULL;
      cr_assert_eq(th_run(&out, &err, args), 1, "%s %s: %s", views[v], lang, err);
      free(out);
      free(err);
      for (size_t k = 0; k < 5; k++) {
        char *text = NULL;
        size_t len = 0;
        cr_assert_eq(sh_read_file(files[k], 64u << 20, &text, &len), 0, "%s not written", files[k]);
        bool carries = !(v == 2 && k == 3); /* the ethics CSV is the table of data items, without reasons */
        const char *board = ja ? ja_board : en_board, *genome = ja ? ja_genome : en_genome;
        if (carries) {
          cr_expect(strstr(text, board), "%s: no '%s'", files[k], board);
          cr_expect(strstr(text, genome), "%s: no '%s'", files[k], genome);
        }
        free(text);
        free(files[k]);
      }
    }
  free(tmp);
}

/* xlsx: the auditor and ethics workbooks' reasons and the applicant workbook's actions carry the same causes. */
Test(causes, xlsx_names_the_cause) {
  char *tmp = th_tmpdir();
  static const char *const views[] = {"auditor", "applicant", "ethics"};
  for (size_t v = 0; v < 3; v++) {
    char *x = sh_printf("%s/%s.xlsx", tmp, views[v]);
    char *out = NULL, *err = NULL;
    const char *args[] = {"check", "--data-dir", datadir, "--view", views[v], "--lang", "en", "-o", x, pkg, NULL};
    cr_assert_eq(th_run(&out, &err, args), 1, "%s", err);
    free(out);
    free(err);
    char *cmd = sh_printf("unzip -p '%s' xl/sharedStrings.xml", x);
    FILE *f = popen(cmd, "r");
    cr_assert_not_null(f);
    sh_buf b = {0};
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) sh_buf_put(&b, chunk, n);
    cr_assert_eq(pclose(f), 0, "%s failed", cmd);
    cr_expect(strstr(sh_buf_str(&b), "Genome data (genome, level 3, item code ZZZZZZZZZZZZZZZZZ)"), "%s: no data item",
              views[v]);
    if (v != 1) cr_expect(strstr(sh_buf_str(&b), en_board), "%s workbook: no board composition", views[v]);
    sh_buf_free(&b);
    free(cmd);
    free(x);
  }
  free(tmp);
}

/* M01: the reason is the missing medical member; holding level-2/3 data is context, never the fault. */
Test(causes, m01_says_what_is_missing_not_the_applicability_condition) {
  for (int ja = 0; ja < 2; ja++) {
    char *out = run("auditor", "text", ja ? "ja" : "en");
    char *m = m01_block(out);
    cr_expect(strstr(m, ja ? ja_board : en_board), "%s", m);
    cr_expect_null(strstr(m, "< 2"), "the applicability condition is given as a fault:\n%s", m);
    cr_expect(strstr(m, ja ? "要件 ethics_board.medical_members >= 1 が適用されるのは、取り扱う情報の最高レベル"
                             "（data.max_sensitivity_level）が 3 であるためである"
                           : "the requirement ethics_board.medical_members >= 1 applies because Highest sensitivity level "
                             "handled (data.max_sensitivity_level) is 3"),
              "the condition is shown as context:\n%s", m);
    free(m);
    free(out);
  }
  char *out = run("auditor", "json", "en");
  cr_expect_null(strstr(out, "\"required\": \"< 2\""), "JSON: the condition is a reason with a requirement");
  cr_expect(strstr(out, "\"required\": \">= 1\""), "JSON: the medical member is the failed requirement");
  free(out);
  /* The applicant is told to get a medical member, not to lower the level of the data held. */
  out = run("applicant", "text", "en");
  char *m = m01_block(out);
  cr_expect(strstr(m, "ethics_board.medical_members"), "%s", m);
  cr_expect_null(strstr(m, "Make data.max_sensitivity_level"), "%s", m);
  free(m);
  free(out);
}

/* x-v3-01 "... and (not third_party_provision.performed or third_party_provision.disadvantage_considered)": the
 * fault is the provision not checked for disadvantage; that provision is performed is the context. */
Test(causes, a_negated_condition_is_context_not_the_fault) {
  char *out = run("auditor", "json", "en");
  const char *p = strstr(out, "\"id\": \"x-v3-01\"");
  cr_assert_not_null(p, "%s", out);
  const char *q = strstr(p, "\"missing\"");
  cr_assert_not_null(q);
  char *item = sh_strndup(p, (size_t)(q - p));
  cr_expect(strstr(item, "\"fact\": \"third_party_provision.disadvantage_considered\""), "%s", item);
  cr_expect(strstr(item, "the requirement third_party_provision.disadvantage_considered applies because "
                         "third_party_provision.performed is true"), "%s", item);
  cr_expect_null(strstr(item, "\"required\": \"not = true\""), "the condition is given as a fault:\n%s", item);
  free(item);
  free(out);
}

/* A computed fact: the applicant view names the data items to reconsider and never says to change the fact. */
Test(causes, applicant_reconsiders_data_items_not_computed_facts) {
  for (int ja = 0; ja < 2; ja++) {
    char *out = run("applicant", "text", ja ? "ja" : "en");
    cr_expect_null(strstr(out, "Make data."), "%s", out);
    cr_expect_null(strstr(out, "data.sensitivity_levels（"), "a computed fact as something to change:\n%s", out);
    if (ja)
      cr_expect(strstr(out, "情報項目「ゲノム情報（genome、レベル3、項目コード ZZZZZZZZZZZZZZZZZ）」の取扱いを見直す"), "%s",
                out);
    else
      cr_expect(strstr(out, "Reconsider the data items Genome data (genome, level 3, item code ZZZZZZZZZZZZZZZZZ)"), "%s",
                out);
    free(out);
  }
}

/* medical-infra-act x-3-10: at least five members; the count of members is in the reason. */
Test(causes, composition_counts_of_the_whole_board) {
  char *out = run("auditor", "text", "en");
  cr_expect(strstr(out, "the board has 3 members (required: at least 5)"), "%s", out);
  free(out);
  out = run("auditor", "text", "ja");
  cr_expect(strstr(out, "審査会の委員は3名（要件: 5名以上）"), "%s", out);
  free(out);
}

/* The ethics view gives the board's composition in one line, with every declared count. */
Test(causes, ethics_view_gives_the_board_composition) {
  char *out = run("ethics", "text", "en");
  cr_expect(strstr(out, "Composition of the board: the board has 3 members (External members: 4, Medical professionals "
                        "on the board: 0)"),
            "%s", out);
  free(out);
  out = run("ethics", "json", "ja");
  cr_expect(strstr(out, "\"board_composition\": \"審査会の委員は3名（社外委員の数: 4、医療専門職である委員の数: 0）\""),
            "%s", out);
  free(out);
}

/* More external members than members: a package-level contradiction naming both numbers. */
Test(causes, more_members_of_a_kind_than_members_is_a_contradiction) {
  char *out = run("auditor", "text", "en");
  cr_expect(strstr(out, "evidence.yaml:8:") && strstr(out, "External members (ethics_board.external_members) is 4, more "
                                                           "than ethics_board.members (3)"),
            "%s", out);
  free(out);
  out = run("auditor", "text", "ja");
  cr_expect(strstr(out, "社外委員の数（ethics_board.external_members）は 4 であり、ethics_board.members（3）を超えている"),
            "%s", out);
  free(out);
}

/* ---------- review texts in the report language (quorum, decisions, stale decisions) ---------- */

#include "review.h"

Test(causes, quorum_decisions_and_stale_text_in_both_languages) {
  sh_item_review ir = {0};
  sh_quorum_part a = {.role = "medical_professional", .rule_id = "ethics-level2", .accepted = 0, .count = 1};
  sh_quorum_part b = {.role = "*", .rule_id = "r2", .accepted = 1, .count = 1};
  sh_vec_push(&ir.quorum_parts, &a);
  sh_vec_push(&ir.quorum_parts, &b);
  ir.uncounted = 2;
  char *en = sh_review_quorum_text(&ir, "en"), *ja = sh_review_quorum_text(&ir, "ja");
  cr_expect_str_eq(en, "medical_professional 0/1 (ethics-level2), any role 1/1 (r2); 2 decisions not counted");
  cr_expect_str_eq(ja, "medical_professional 0/1（ethics-level2）、役割を問わない 1/1（r2）。無効な判断 2 件");
  free(en);
  free(ja);
  ir.uncounted = 1;
  en = sh_review_quorum_text(&ir, "en");
  cr_expect(strstr(en, "; 1 decision not counted"), "%s", en);
  free(en);
  sh_vec_free(&ir.quorum_parts);
  cr_expect_str_eq(sh_decision_label(SH_DEC_ACCEPT, "ja"), "承認");
  cr_expect_str_eq(sh_decision_label(SH_DEC_REQUEST_MORE, "en"), "request more evidence");
  char *st = sh_review_stale_text(SH_STALE_CHANGED_EARLIER_RUN, 3, "docs/a.txt changed", "ja");
  cr_expect_str_eq(st, "失効: 判断（記録番号 3）の後に証跡が変わった: docs/a.txt changed");
  free(st);
  cr_expect_null(sh_review_stale_text(SH_STALE_NONE, 3, NULL, "ja"));
}

/* The reasons sh_review_apply gives (quorum not met, a request for more evidence, a rejection, a waiver that
 * expired) render in the report's language: the quorum with role and rule ids, the decision as a word. */
Test(causes, review_reasons_in_both_languages) {
  sh_registry *reg = th_test_registry();
  char *dir = th_data("evidence/basic");
  sh_diags d = {0};
  sh_evidence *ev = sh_evidence_load(reg->vocab, dir, &d);
  cr_assert_not_null(ev);
  char *dd = th_data("datadir");
  sh_quorum *q = sh_quorum_load(reg->vocab, dd, &d);
  cr_assert_not_null(q);
  const sh_framework *fw = sh_registry_find(reg, "test-fw");
  sh_evaluation *e = sh_evaluate(ev, &fw, 1, NULL);
  sh_review rv = {.framework_id = "test-fw", .item_id = "2.2", .decision = SH_DEC_ACCEPT, .reviewer = "佐藤",
                  .role = "auditor", .note = "ok", .recorded_at = "2026-10-01T00:00:00Z"};
  sh_vec reviews = {0};
  sh_vec_push(&reviews, &rv);
  sh_review_state *s = sh_review_apply(e, q, &reviews, NULL, 0, NULL);
  const sh_result *r = th_result(e, "test-fw", "2.2");
  const sh_reason *quorum = NULL;
  for (size_t k = 0; k < r->reasons.n; k++)
    if (strstr(((const sh_reason *)r->reasons.v[k])->message, "quorum not met")) quorum = r->reasons.v[k];
  cr_assert_not_null(quorum, "no quorum reason");
  char *en = sh_reason_text(quorum, "en"), *ja = sh_reason_text(quorum, "ja");
  cr_expect(strstr(en, "quorum not met: ") && strstr(en, "auditor 1/2 (certification-decision)"), "%s", en);
  cr_expect(strstr(ja, "定足数を満たしていない: ") && strstr(ja, "auditor 1/2 (certification-decision)"), "%s", ja);
  free(en);
  free(ja);
  /* the quorum as the reports show it, in each language */
  const sh_item_review *ir = sh_review_for(s, e, r);
  char *qt = sh_review_quorum_text(ir, "ja");
  cr_expect(strstr(qt, "auditor 1/2（certification-decision）"), "%s", qt);
  free(qt);
  sh_review_state_free(s);
  sh_vec_free(&reviews);
  sh_evaluation_free(e);
  sh_quorum_free(q);
  sh_evidence_free(ev);
  sh_diags_free(&d);
  free(dd);
  free(dir);
  sh_registry_free(reg);
}
