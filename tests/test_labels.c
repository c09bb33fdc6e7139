/* The words reports print for shinsa's own identifiers (verdicts, strengths, provenance, document and answer
 * statuses, reviewer decisions, waiver states, source forms, checksheet and CSV headers) come from the message
 * catalog in the report language; the identifiers stay in JSON. Issue 13: the Japanese report showed
 * "declared", "ok", "verbatim", "must". */
#include "answers.h"
#include "checksheet.h"
#include "eval.h"
#include "evidence.h"
#include "framework.h"
#include "helpers.h"
#include "i18n.h"
#include "review.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Japanese text: every label holds a character outside ASCII. */
static bool non_ascii(const char *s) {
  for (const unsigned char *p = (const unsigned char *)s; *p; p++)
    if (*p >= 0x80) return true;
  return false;
}

Test(labels, every_identifier_has_a_label_in_both_languages) {
  static const char *const verdict_en[SH_V__COUNT] = {"satisfied", "not satisfied", "needs review", "not applicable",
                                                      "unknown (facts missing)", "covered by certification"};
  for (int v = 0; v < SH_V__COUNT; v++) {
    cr_expect(non_ascii(sh_verdict_label((sh_verdict)v, "ja")), "%s", sh_verdict_name((sh_verdict)v));
    cr_expect_str_eq(sh_verdict_label((sh_verdict)v, "en"), verdict_en[v]);
  }
  cr_expect_str_eq(sh_verdict_label(SH_V_NOT_SATISFIED, "ja"), "未充足");
  cr_expect_str_eq(sh_verdict_label(SH_V_UNKNOWN, "ja"), "判定不能（情報不足）");
  cr_expect_str_eq(sh_strength_label(SH_STRENGTH_MUST, "ja"), "必須");
  cr_expect_str_eq(sh_strength_label(SH_STRENGTH_SHOULD, "ja"), "推奨");
  cr_expect_str_eq(sh_strength_label(SH_STRENGTH_EFFORT, "ja"), "努力義務");
  cr_expect_str_eq(sh_strength_label(SH_STRENGTH_MUST, "en"), "must");
  static const sh_prov provs[] = {SH_PROV_DECLARED, SH_PROV_ATTESTED, SH_PROV_PROBED, SH_PROV_CONFIRMED};
  for (size_t k = 0; k < 4; k++) {
    cr_expect(non_ascii(sh_prov_label(provs[k], "ja")), "%s", sh_prov_name(provs[k]));
    cr_expect_str_eq(sh_prov_label(provs[k], "en"), sh_prov_name(provs[k]), "provenance reads as its name in English");
  }
  for (int s = SH_DOC_OK; s <= SH_DOC_UNREADABLE; s++) {
    cr_expect(non_ascii(sh_doc_status_label((sh_doc_status)s, "ja")), "%s", sh_doc_status_name((sh_doc_status)s));
    cr_expect(!strchr(sh_doc_status_label((sh_doc_status)s, "en"), '_'), "no identifier in English either");
  }
  cr_expect_str_eq(sh_doc_status_label(SH_DOC_OK, "en"), "in force");
  cr_expect_str_eq(sh_doc_status_label(SH_DOC_OK, "ja"), "有効");
  cr_expect(strstr(sh_doc_status_label(SH_DOC_EXPIRED, "ja"), "期限切れ"));
  for (int s = 0; s < SH_ANS__COUNT; s++) cr_expect(non_ascii(sh_answer_status_label((sh_answer_status)s, "ja")));
  cr_expect_str_eq(sh_answer_status_label(SH_ANS_NOT_APPLICABLE, "ja"), "該当なし");
  cr_expect_str_eq(sh_answer_status_label(SH_ANS_NOT_APPLICABLE, "en"), "does not apply",
                   "not the verdict's 'not applicable' (対象外): one msgid, one meaning");
  static const sh_decision decs[] = {SH_DEC_ACCEPT, SH_DEC_REJECT, SH_DEC_REQUEST_MORE};
  for (size_t k = 0; k < 3; k++) cr_expect(non_ascii(sh_decision_label(decs[k], "ja")), "%s", sh_decision_name(decs[k]));
  static const sh_waiver_state ws[] = {SH_WAIVER_NONE, SH_WAIVER_ACTIVE, SH_WAIVER_EXPIRED, SH_WAIVER_REVOKED};
  for (size_t k = 0; k < 4; k++) cr_expect(non_ascii(sh_waiver_state_label(ws[k], "ja")), "%s", sh_waiver_state_name(ws[k]));
  static const sh_form forms[] = {SH_FORM_VERBATIM, SH_FORM_PARAPHRASE, SH_FORM_DERIVED};
  for (size_t k = 0; k < 3; k++) {
    cr_expect(non_ascii(sh_form_label(forms[k], "ja")), "%s", sh_form_name(forms[k]));
    cr_expect(sh_str_startswith(sh_form_label(forms[k], "en"), sh_form_name(forms[k])));
  }
}

/* A status cell of a checksheet reads in either language, and as the English label sheets had before. */
Test(labels, answer_status_parses_names_and_labels_of_both_languages) {
  sh_answer_status s;
  for (int k = 0; k < SH_ANS__COUNT; k++) {
    const char *in[] = {sh_answer_status_name((sh_answer_status)k), sh_answer_status_label((sh_answer_status)k, "ja"),
                        sh_answer_status_label((sh_answer_status)k, "en")};
    for (size_t i = 0; i < 3; i++) {
      cr_assert(sh_answer_status_parse(in[i], &s), "'%s'", in[i]);
      cr_expect_eq(s, (sh_answer_status)k, "'%s'", in[i]);
    }
  }
  cr_assert(sh_answer_status_parse("not applicable", &s));
  cr_expect_eq(s, SH_ANS_NOT_APPLICABLE);
  cr_expect(!sh_answer_status_parse("対象外", &s), "the verdict's word is not a status");
}

/* The checksheet's header row: written from the catalog, read back in either language (the Japanese headers of
 * sheets written before the catalog are the catalog's translations). */
Test(labels, checksheet_headers_round_trip_in_both_languages) {
  for (int c = 0; c < SH_CS__COUNT; c++) {
    cr_expect_eq(sh_cs_find_header(sh_cs_header((sh_cs_col)c, "ja", false)), c, "%d ja", c);
    cr_expect_eq(sh_cs_find_header(sh_cs_header((sh_cs_col)c, "en", false)), c, "%d en", c);
    cr_expect_eq(sh_cs_find_header(sh_cs_header((sh_cs_col)c, "ja", true)), c, "%d ja applicant", c);
    cr_expect(non_ascii(sh_cs_header((sh_cs_col)c, "ja", false)));
  }
  cr_expect_str_eq(sh_cs_header(SH_CS_STATUS, "ja", false), "対応状況【申請者記入】");
  cr_expect_str_eq(sh_cs_header(SH_CS_NOTES, "ja", true), "充足するには");
  cr_expect_eq(sh_cs_find_header("項目番号"), SH_CS_ITEM);
  cr_expect_eq(sh_cs_find_header("nothing"), -1);
}

/* The Japanese reports of the bundled examples print labels, never the identifiers; the JSON keeps them. */
Test(labels, japanese_reports_print_labels_and_json_keeps_ids) {
  char *root = th_src("");
  cr_assert_eq(chdir(root), 0);
  free(root);
  static const char *const fmts[] = {"text", "md", "csv", "html"};
  static const char *const ids[] = {"(declared", "(attested", "(ok)", "verbatim)", ",must,", "not_satisfied",
                                    "needs_review", "(require)", NULL};
  for (size_t f = 0; f < 4; f++) {
    char *out = NULL;
    const char *args[] = {"check", "--format", fmts[f], "examples/infobank-health", NULL};
    th_run(&out, NULL, args);
    for (size_t k = 0; ids[k]; k++) /* html: verdict ids are the badges' CSS classes */
      if (f != 3 || !strchr(ids[k], '_'))
        cr_expect_null(strstr(out, ids[k]), "%s: '%s' in the Japanese report", fmts[f], ids[k]);
    free(out);
  }
  char *out = NULL;
  const char *json[] = {"check", "--format", "json", "examples/infobank-health", NULL};
  th_run(&out, NULL, json);
  cr_expect(strstr(out, "\"provenance\": \"declared\""), "JSON keeps the identifiers");
  cr_expect(strstr(out, "\"status\": \"ok\""));
  cr_expect(strstr(out, "\"strength\": \"must\""));
  free(out);
}
