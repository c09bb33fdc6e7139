/* Tests of evaluation: every verdict, reasons with required and actual values, missing facts,
 * provenance minimums, document integrity findings, and derived sensitivity levels. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "eval.h"
#include "hash.h"
#include "helpers.h"

static sh_registry *reg;
static char *tmp;

static void setup(void) {
  reg = th_test_registry();
  tmp = th_tmpdir();
}
static void teardown(void) {
  sh_registry_free(reg);
  free(tmp);
}

TestSuite(eval, .init = setup, .fini = teardown);

static const sh_framework *test_fw(void) {
  const sh_framework *fw = sh_registry_find(reg, "test-fw");
  cr_assert_not_null(fw);
  return fw;
}

static sh_evidence *load_pkg(const char *dir) {
  sh_diags d = {0};
  sh_evidence *ev = sh_evidence_load(reg->vocab, dir, &d);
  char *s = th_diags_str(&d);
  cr_assert_not_null(ev, "evidence failed to load:\n%s", s);
  free(s);
  sh_diags_free(&d);
  return ev;
}

static sh_evaluation *run(const sh_evidence *ev) {
  const sh_framework *fw = test_fw();
  return sh_evaluate(ev, &fw, 1, NULL);
}

static const sh_result *res(const sh_evaluation *e, const char *id) {
  const sh_result *r = th_result(e, "test-fw", id);
  cr_assert_not_null(r, "no result for %s", id);
  return r;
}

Test(eval, every_verdict_on_the_basic_package) {
  char *dir = th_data("evidence/basic");
  sh_evidence *ev = load_pkg(dir);
  sh_evaluation *e = run(ev);
  /* 1.1 satisfied: ISMS attested by a verified document. */
  cr_assert_eq(res(e, "1.1")->verdict, SH_V_SATISFIED);
  /* 1.2 not satisfied with required and actual. */
  const sh_result *r = res(e, "1.2");
  cr_assert_eq(r->verdict, SH_V_NOT_SATISFIED);
  cr_assert_eq(r->reasons.n, 1);
  const sh_reason *re = r->reasons.v[0];
  cr_assert_str_eq(re->fact->id, "sec.tls_min");
  cr_assert_str_eq(re->required, "in [tls12, tls13]");
  cr_assert_str_eq(re->actual, "tls11");
  /* 2.1 applies (level 2 declared) and is unknown: medical_members missing. */
  r = res(e, "2.1");
  cr_assert_eq(r->verdict, SH_V_UNKNOWN);
  cr_assert_eq(r->missing.n, 1);
  cr_assert_str_eq(((const sh_fact *)r->missing.v[0])->id, "board.medical_members");
  /* 2.2 manual -> needs review, with the evidence the reviewer examines. */
  r = res(e, "2.2");
  cr_assert_eq(r->verdict, SH_V_NEEDS_REVIEW);
  cr_assert(strstr(((const sh_reason *)r->reasons.v[0])->message, "not answered"));
  /* the framework's prompt in the reader's language: English message, Japanese text in ja */
  const sh_reason *ex = r->reasons.v[1];
  cr_assert_str_eq(ex->message, "reviewer to examine: Published board rules");
  char *exja = sh_reason_text(ex, "ja"), *exen = sh_reason_text(ex, "en");
  cr_assert(strstr(exja, "公表された審査会規程"), "%s", exja);
  cr_assert_str_eq(exen, "reviewer to examine: Published board rules");
  free(exja);
  free(exen);
  /* 2.3 applies only to information banks. */
  r = res(e, "2.3");
  cr_assert_eq(r->verdict, SH_V_NOT_APPLICABLE);
  cr_assert_str_eq(((const sh_reason *)r->reasons.v[0])->actual, "phr_operator");
  cr_assert_eq(e->counts[SH_V_SATISFIED], 1);
  cr_assert_eq(e->counts[SH_V_NOT_SATISFIED], 2);
  cr_assert_eq(e->counts[SH_V_UNKNOWN], 2);
  cr_assert_eq(e->counts[SH_V_NEEDS_REVIEW], 1);
  cr_assert_eq(e->counts[SH_V_NOT_APPLICABLE], 1);
  /* must items not met: 1.2, 2.1, 2.2 (1.3 is should, 2.4 effort). */
  cr_assert_eq(e->must_failing, 3);
  cr_assert_eq(e->findings.n, 0);
  sh_evaluation_free(e);
  sh_evidence_free(ev);
  free(dir);
}

/* Writes a package with one document attesting sec.certs; `hash` NULL = the real hash. */
static char *write_pkg(const char *name, const char *doc_text, const char *hash, const char *valid_until,
                       const char *extra_facts) {
  char *dir = sh_path_join(tmp, name);
  char *docp = th_write(dir, "docs/cert.txt", doc_text);
  char hx[65];
  sh_sha256_hex(doc_text, strlen(doc_text), hx);
  sh_buf b = {0};
  sh_buf_printf(&b,
                "applicant: {name: X, kind: information_bank, assessment_date: 2026-10-01}\n"
                "facts:\n"
                "  sec.certs: [pmark]\n"
                "  sec.tls_min: tls13\n"
                "  retention.days: 10\n"
                "  policy.reviewed_on: 2026-01-01\n"
                "%s"
                "documents:\n"
                "  - path: docs/cert.txt\n"
                "    sha256: %s\n"
                "    title: cert\n"
                "    valid_until: %s\n"
                "    attests: [sec.certs]\n",
                extra_facts ? extra_facts : "", hash ? hash : hx, valid_until);
  char *p = th_write(dir, "evidence.yaml", sh_buf_str(&b));
  sh_buf_free(&b);
  free(p);
  free(docp);
  return dir;
}

Test(eval, attested_fact_satisfies_min_provenance) {
  char *dir = write_pkg("ok", "certificate\n", NULL, "2027-01-01", NULL);
  sh_evidence *ev = load_pkg(dir);
  const sh_fact_value *fv = sh_evidence_get(ev, sh_vocab_find(reg->vocab, "sec.certs"));
  cr_assert_eq(fv->prov, SH_PROV_ATTESTED);
  sh_evaluation *e = run(ev);
  cr_assert_eq(res(e, "1.1")->verdict, SH_V_SATISFIED);
  cr_assert_eq(res(e, "1.2")->verdict, SH_V_SATISFIED);
  cr_assert_eq(res(e, "1.3")->verdict, SH_V_SATISFIED);
  cr_assert_eq(res(e, "2.4")->verdict, SH_V_SATISFIED);
  cr_assert_eq(res(e, "2.1")->verdict, SH_V_UNKNOWN, "no data items: levels unknown, applicability unknown");
  sh_evaluation_free(e);
  sh_evidence_free(ev);
  free(dir);
}

Test(eval, declared_only_needs_review_where_evidence_is_demanded) {
  char *dir = sh_path_join(tmp, "declared");
  char *p = th_write(dir, "evidence.yaml",
                     "applicant: {name: X, kind: information_bank, assessment_date: 2026-10-01}\n"
                     "facts:\n"
                     "  sec.certs: [isms]\n");
  sh_evidence *ev = load_pkg(dir);
  sh_evaluation *e = run(ev);
  const sh_result *r = res(e, "1.1");
  cr_assert_eq(r->verdict, SH_V_NEEDS_REVIEW);
  cr_assert_str_eq(((const sh_reason *)r->reasons.v[0])->message,
                   "sec.certs is only declared; this item requires attested evidence");
  sh_evaluation_free(e);
  sh_evidence_free(ev);
  free(p);
  free(dir);
}

Test(eval, hash_mismatch_is_a_finding_on_every_item_relying_on_it) {
  char *dir = write_pkg("tampered", "certificate\n",
                        "1111111111111111111111111111111111111111111111111111111111111111", "2027-01-01", NULL);
  sh_diags d = {0};
  sh_evidence *ev = sh_evidence_load(reg->vocab, dir, &d);
  cr_assert_not_null(ev);
  char *s = th_diags_str(&d);
  char exp[256];
  snprintf(exp, sizeof exp, "shinsa: warning: %s/evidence.yaml:9:13: sha256 mismatch for 'docs/cert.txt'", dir);
  cr_assert(strstr(s, exp), "%s", s);
  free(s);
  sh_diags_free(&d);
  sh_evaluation *e = run(ev);
  const sh_result *r = res(e, "1.1");
  cr_assert_eq(r->verdict, SH_V_NOT_SATISFIED);
  cr_assert(strstr(((const sh_reason *)r->reasons.v[0])->message, "hash_mismatch"));
  cr_assert_eq(e->findings.n, 1);
  cr_assert_eq(sh_evidence_get(ev, sh_vocab_find(reg->vocab, "sec.certs"))->prov, SH_PROV_DECLARED);
  sh_evaluation_free(e);
  sh_evidence_free(ev);
  free(dir);
}

Test(eval, expired_and_missing_documents_are_findings) {
  char *dir = write_pkg("expired", "certificate\n", NULL, "2026-09-30", NULL);
  sh_evidence *ev = load_pkg(dir);
  sh_document *dc = ev->documents.v[0];
  cr_assert_eq(dc->status, SH_DOC_EXPIRED);
  sh_evaluation *e = run(ev);
  cr_assert_eq(res(e, "1.1")->verdict, SH_V_NOT_SATISFIED);
  cr_assert(strstr(((const sh_reason *)res(e, "1.1")->reasons.v[0])->message, "expired"));
  sh_evaluation_free(e);
  sh_evidence_free(ev);
  /* Remove the document: missing. */
  char *docp = sh_path_join(dir, "docs/cert.txt");
  remove(docp);
  ev = load_pkg(dir);
  cr_assert_eq(((sh_document *)ev->documents.v[0])->status, SH_DOC_MISSING);
  e = run(ev);
  cr_assert_eq(res(e, "1.1")->verdict, SH_V_NOT_SATISFIED);
  cr_assert_eq(e->findings.n, 1);
  sh_evaluation_free(e);
  sh_evidence_free(ev);
  free(docp);
  free(dir);
}

Test(eval, derived_sensitivity_levels) {
  char *dir = sh_path_join(tmp, "levels");
  char *p = th_write(dir, "evidence.yaml",
                     "applicant: {name: X, kind: information_bank, assessment_date: 2026-10-01}\n"
                     "facts: {board.established: true, board.medical_members: 1}\n"
                     "data_items:\n"
                     "  - {id: steps, name: 歩数, level: 1}\n"
                     "  - {id: genome, name: {ja: 遺伝情報, en: Genome}, level: 3}\n");
  sh_evidence *ev = load_pkg(dir);
  const sh_fact_value *lv = sh_evidence_get(ev, sh_vocab_find(reg->vocab, "data.sensitivity_levels"));
  cr_assert_not_null(lv);
  char *v = sh_value_format(lv->fact, &lv->value);
  cr_assert_str_eq(v, "[level1, level3]");
  free(v);
  sh_evaluation *e = run(ev);
  cr_assert_eq(res(e, "2.1")->verdict, SH_V_NOT_APPLICABLE, "no level 2");
  const sh_result *r = res(e, "2.3");
  cr_assert_eq(r->verdict, SH_V_NOT_SATISFIED, "level 3 declared by an information bank");
  cr_assert_str_eq(((const sh_reason *)r->reasons.v[0])->actual, "3");
  sh_evaluation_free(e);
  sh_evidence_free(ev);
  free(p);
  free(dir);
}
