/* Tests of the review workflow: quorum rules, reviewer decisions, waivers and their expiry, run
 * snapshots (re-rendering), diff, the hash-chained audit log after tampering behind shinsa's back
 * (UPDATE and DELETE with sqlite3), concurrent writers, and a process killed mid-write. */
#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "auditlog.h"
#include "diff.h"
#include "helpers.h"
#include "review.h"
#include "snapshot.h"
#include "store.h"
#include "th_store.h"

/* Records tests/data/evidence/basic (test-fw) in a new database; returns its path (caller frees). */
static char *new_db_with_run(void) {
  char *db = th_store_new();
  char *datadir = th_data("datadir"), *ev = th_data("evidence/basic");
  const char *args[] = {"check", "--data-dir", datadir, "--db", db, ev, NULL};
  /* "now" fixed on the assessment date: waivers until 2026-12-31 are not in the past whenever the test runs */
  setenv("SHINSA_NOW", "2026-10-01T00:00:00Z", 1);
  int rc = th_run(NULL, NULL, args);
  cr_assert_eq(rc, 1, "check exits 1 (findings), got %d", rc);
  /* the roster: audit rows 2-5 */
  const char *roster[] = {"佐藤", "auditor", "鈴木", "auditor", "田中", "medical_professional", "長", "auditor", NULL};
  th_add_reviewers(db, roster);
  free(datadir);
  free(ev);
  return db;
}

static int review(const char *db, const char *item, const char *decision, const char *who, const char *role) {
  char *err = NULL;
  int rc = th_review(db, "1", item, decision, who, role, "checked", NULL, &err);
  free(err);
  return rc;
}

static sh_reviewed_run *load(const char *db, const char *as_of) {
  sh_diags d = {0};
  sh_store *s = sh_store_open(db, &d);
  cr_assert(s);
  char *datadir = th_data("datadir");
  sh_date day;
  cr_assert(sh_date_parse(as_of, &day));
  sh_reviewed_run *rr = sh_reviewed_run_load(s, 1, datadir, day, &d);
  char *msg = th_diags_str(&d);
  cr_assert(rr, "load failed: %s", msg);
  free(msg);
  free(datadir);
  sh_store_close(s);
  sh_diags_free(&d);
  return rr;
}

static const sh_result *result_of(const sh_reviewed_run *rr, const char *id) {
  return th_result(rr->snap->eval, "test-fw", id);
}

/* SQL behind shinsa's back (sqlite3 or psql): the rows changed by the last statement. */
static int sql(const char *db, const char *stmt) { return th_store_exec(db, stmt); }

static int64_t count(const char *db, const char *query) { return th_store_count(db, query); }

/* The tests that need SQLite (its file format, PRAGMAs, NUL bytes in text) skip on PostgreSQL. */
#define SQLITE_ONLY(why)                                                                                       \
  do {                                                                                                         \
    if (th_store_pg()) cr_skip_test("SQLite only: %s", why);                                                   \
  } while (0)

static int log_verify(const char *db, char **out, char **err) {
  const char *args[] = {"log", "verify", "--db", db, NULL};
  return th_run(out, err, args);
}

static int db_migrate(const char *db, char **out, char **err) {
  const char *args[] = {"db", "migrate", "--db", db, NULL};
  return th_run(out, err, args);
}

/* ---------- snapshot ---------- */

Test(review, snapshot_rebuilds_the_recorded_run) {
  char *db = new_db_with_run();
  sh_reviewed_run *rr = load(db, "2026-10-01");
  const sh_evaluation *e = rr->snap->eval;
  cr_assert_eq(e->results.n, 7);
  cr_assert_eq(result_of(rr, "1.1")->verdict, SH_V_SATISFIED);
  cr_assert_eq(result_of(rr, "1.2")->verdict, SH_V_NOT_SATISFIED);
  cr_assert_eq(result_of(rr, "2.1")->verdict, SH_V_UNKNOWN);
  cr_assert_eq(result_of(rr, "2.1")->missing.n, 1);
  cr_assert_eq(result_of(rr, "2.2")->verdict, SH_V_NEEDS_REVIEW);
  cr_assert_str_eq(rr->snap->evidence->applicant_name_en, "Test K.K.");
  cr_assert_eq(rr->snap->evidence->documents.n, 1);
  const sh_document *dc = rr->snap->evidence->documents.v[0];
  cr_assert_str_eq(dc->sha256_actual, "0f4d2fe61ecd7508bedd68db11c9ac94ac6f15e30de80db8e210d91c0f01c74b");
  cr_assert_eq(rr->snap->evidence->data_items.n, 1);
  /* Facts with provenance and the attesting document. */
  const sh_fact *f = sh_vocab_find(rr->snap->vocab, "sec.certs");
  const sh_fact_value *fv = sh_evidence_get(rr->snap->evidence, f);
  cr_assert(fv);
  cr_assert_eq(fv->prov, SH_PROV_ATTESTED);
  cr_assert_eq(fv->documents.n, 1);
  /* The framework text came from the database, under its recorded path. */
  const sh_framework *fw = rr->snap->frameworks.v[0];
  cr_assert(strstr(fw->file, "test-fw.yaml"));
  sh_reviewed_run_free(rr);
  free(db);
}

Test(review, report_does_not_need_the_evidence_folder) {
  /* Copy the evidence package, record it, delete the copy: the report still renders. */
  char *dir = th_tmpdir();
  char *src = th_data("evidence/basic/evidence.yaml"), *doc = th_data("evidence/basic/docs/isms.txt");
  char *text = NULL, *dtext = NULL;
  size_t len;
  cr_assert_eq(sh_read_file(src, 1 << 20, &text, &len), 0);
  cr_assert_eq(sh_read_file(doc, 1 << 20, &dtext, &len), 0);
  char *evdir = sh_path_join(dir, "pkg");
  free(th_write(evdir, "evidence.yaml", text));
  free(th_write(evdir, "docs/isms.txt", dtext));
  char *db = th_store_new(), *datadir = th_data("datadir");
  const char *rec[] = {"check", "--data-dir", datadir, "--db", db, evdir, NULL};
  cr_assert_eq(th_run(NULL, NULL, rec), 1);
  char *cmd = sh_printf("rm -rf '%s'", evdir);
  cr_assert_eq(system(cmd), 0);
  char *out = NULL, *err = NULL;
  const char *rep[] = {"report", "1", "--db", db, "--data-dir", datadir, "--format", "md", "--lang", "en", NULL};
  int rc = th_run(&out, &err, rep);
  cr_assert_eq(rc, 1, "exit %d: %s", rc, err);
  cr_assert(strstr(out, "Test K.K."));
  cr_assert(strstr(out, "0f4d2fe61ecd7508bedd68db11c9ac94ac6f15e30de80db8e210d91c0f01c74b"));
  free(out);
  free(err);
  free(cmd);
  free(db);
  free(datadir);
  free(evdir);
  free(text);
  free(dtext);
  free(src);
  free(doc);
  free(dir);
}

/* ---------- quorum ---------- */

Test(review, quorum_needs_two_auditors_and_a_medical_professional) {
  char *db = new_db_with_run();
  /* 2.2 is manual, group ethics, and the package holds level-2 data: ethics-level2 and
   * certification-decision both apply. */
  cr_assert_eq(review(db, "test-fw:2.2", "accept", "佐藤", "auditor"), 0);
  sh_reviewed_run *rr = load(db, "2026-10-01");
  cr_assert_eq(result_of(rr, "2.2")->verdict, SH_V_NEEDS_REVIEW);
  const sh_item_review *ir = sh_review_for(rr->state, rr->snap->eval, result_of(rr, "2.2"));
  cr_assert_eq(ir->rules.n, 2);
  cr_assert(!ir->quorum_met);
  cr_assert(strstr(ir->quorum_status, "auditor 1/2"), "%s", ir->quorum_status);
  sh_reviewed_run_free(rr);

  /* The same auditor again does not count twice. */
  cr_assert_eq(review(db, "test-fw:2.2", "accept", "佐藤", "auditor"), 0);
  cr_assert_eq(review(db, "test-fw:2.2", "accept", "鈴木", "auditor"), 0);
  rr = load(db, "2026-10-01");
  cr_assert_eq(result_of(rr, "2.2")->verdict, SH_V_NEEDS_REVIEW, "no medical professional yet");
  ir = sh_review_for(rr->state, rr->snap->eval, result_of(rr, "2.2"));
  cr_assert(strstr(ir->quorum_status, "medical_professional 0/1"), "%s", ir->quorum_status);
  sh_reviewed_run_free(rr);

  /* A medical professional who is not an auditor completes the quorum. */
  cr_assert_eq(review(db, "test-fw:2.2", "accept", "田中", "medical_professional"), 0);
  rr = load(db, "2026-10-01");
  cr_assert_eq(result_of(rr, "2.2")->verdict, SH_V_SATISFIED);
  cr_assert_eq(rr->state->pending, 0);
  sh_reviewed_run_free(rr);

  /* Any reject (a reviewer's latest decision) makes the item not satisfied. */
  cr_assert_eq(review(db, "test-fw:2.2", "reject", "鈴木", "auditor"), 0);
  rr = load(db, "2026-10-01");
  cr_assert_eq(result_of(rr, "2.2")->verdict, SH_V_NOT_SATISFIED);
  sh_reviewed_run_free(rr);

  /* The reviewer changes their mind: request-more keeps it needing review. */
  cr_assert_eq(review(db, "test-fw:2.2", "request-more", "鈴木", "auditor"), 0);
  rr = load(db, "2026-10-01");
  cr_assert_eq(result_of(rr, "2.2")->verdict, SH_V_NEEDS_REVIEW);
  sh_reviewed_run_free(rr);
  free(db);
}

Test(review, quorum_rule_condition_on_sensitivity) {
  /* The ethics rule applies only when level-2 data is handled. */
  sh_registry *reg = th_test_registry();
  sh_diags d = {0};
  sh_quorum *q = sh_quorum_load(reg->vocab, reg->data_dir, &d);
  cr_assert(q);
  cr_assert_eq(q->rules.n, 2);
  const sh_quorum_rule *r = q->rules.v[0];
  cr_assert_str_eq(r->id, "ethics-level2");
  sh_evidence *ev = sh_snapshot_new_evidence(reg->vocab);
  const sh_fact *f = sh_vocab_find(reg->vocab, "data.sensitivity_levels");
  sh_value v;
  const char *why;
  cr_assert_eq(sh_expr_eval(r->applies_if, sh_evidence_lookup, ev), SH_TV_UNKNOWN, "unknown: the rule applies");
  cr_assert(sh_value_from_string(f, "level0,level1", &v, &why));
  sh_evidence_set(ev, f, &v, SH_PROV_DECLARED, NULL, 0, 0);
  sh_value_clear(&v);
  cr_assert_eq(sh_expr_eval(r->applies_if, sh_evidence_lookup, ev), SH_TV_FALSE);
  cr_assert(sh_value_from_string(f, "level1,level2", &v, &why));
  sh_evidence_set(ev, f, &v, SH_PROV_DECLARED, NULL, 0, 0);
  sh_value_clear(&v);
  cr_assert_eq(sh_expr_eval(r->applies_if, sh_evidence_lookup, ev), SH_TV_TRUE);
  sh_evidence_free(ev);
  sh_quorum_free(q);
  sh_registry_free(reg);
  sh_diags_free(&d);
}

Test(review, malformed_quorum_file_is_reported_with_position) {
  sh_registry *reg = th_test_registry();
  char *dir = th_tmpdir();
  char *p = th_write(dir, "quorum.yaml",
                     "quorum: {version: \"1\"}\nrules:\n  - id: x\n    groups: [ethics]\n    require:\n"
                     "      - {role: auditor, count: 0}\n    colour: red\n");
  sh_diags d = {0};
  cr_assert_null(sh_quorum_load_file(reg->vocab, p, &d));
  char *msg = th_diags_str(&d);
  cr_assert(strstr(msg, "quorum.yaml:6:"), "%s", msg);
  cr_assert(strstr(msg, "colour"), "%s", msg);
  free(msg);
  sh_diags_free(&d);
  free(p);
  free(dir);
  sh_registry_free(reg);
}

Test(review, unknown_item_and_bad_arguments) {
  char *db = new_db_with_run();
  char *err = NULL;
  cr_assert_eq(th_review(db, "1", "test-fw:9.9", "accept", "佐藤", "auditor", NULL, NULL, &err), 2);
  cr_assert(strstr(err, "has no item test-fw:9.9"), "%s", err);
  free(err);
  const char *a2[] = {"review", "1", "test-fw:2.2", "--decision", "maybe", "--reviewer", "x", "--role", "auditor",
                      "--db", db, NULL};
  cr_assert_eq(th_run(NULL, NULL, a2), 2);
  const char *a3[] = {"review", "1", "2.2", "--decision", "accept", "--reviewer", "x", "--role", "auditor", "--db", db, NULL};
  cr_assert_eq(th_run(NULL, NULL, a3), 2);
  const char *a4[] = {"waive", "1", "test-fw:1.2", "--approver", "x", "--justification", "j", "--scope", "s",
                      "--expires", "2026-02-30", "--db", db, NULL};
  cr_assert_eq(th_run(NULL, NULL, a4), 2);
  /* Nothing was written by the refused commands. */
  cr_assert_eq(count(db, "SELECT count(*) FROM reviews"), 0);
  cr_assert_eq(count(db, "SELECT count(*) FROM waivers"), 0);
  cr_assert_eq(count(db, "SELECT count(*) FROM audit_log"), 5, "the run and the four registrations only");
  free(db);
}

/* ---------- waivers ---------- */

Test(review, waiver_applies_until_it_expires) {
  char *db = new_db_with_run();
  cr_assert_eq(th_waive(db, "1", "test-fw:1.2", "長", "TLS 1.2 への移行工事中", "本番環境", "2026-12-31", NULL), 0);
  sh_reviewed_run *rr = load(db, "2026-12-31"); /* the last day still applies */
  const sh_result *r = result_of(rr, "1.2");
  const sh_item_review *ir = sh_review_for(rr->state, rr->snap->eval, r);
  cr_assert_eq(ir->waiver_state, SH_WAIVER_ACTIVE);
  cr_assert_eq(r->verdict, SH_V_NOT_SATISFIED, "a waiver keeps the verdict");
  cr_assert_eq(rr->state->waived_must, 1);
  size_t with_waiver = rr->snap->eval->must_failing;
  sh_reviewed_run_free(rr);

  rr = load(db, "2027-01-01");
  r = result_of(rr, "1.2");
  ir = sh_review_for(rr->state, rr->snap->eval, r);
  cr_assert_eq(ir->waiver_state, SH_WAIVER_EXPIRED);
  cr_assert_eq(rr->snap->eval->must_failing, with_waiver + 1, "the expired waiver stops applying");
  bool says = false;
  for (size_t k = 0; k < r->reasons.n; k++)
    says |= strstr(((const sh_reason *)r->reasons.v[k])->message, "expired on 2026-12-31") != NULL;
  cr_assert(says, "the report says the waiver expired");
  sh_reviewed_run_free(rr);

  /* And the rendered report says so too. */
  char *out = NULL, *datadir = th_data("datadir");
  const char *rep[] = {"report", "1", "--db", db, "--data-dir", datadir, "--format", "md", "--lang", "en",
                       "--as-of", "2027-01-01", NULL};
  th_run(&out, NULL, rep);
  cr_assert(strstr(out, "expired (no longer applies)"), "%s", out);
  free(out);
  /* Every view and format shows the active waiver (issue 13: the text auditor report left it out). */
  static const char *const vf[][2] = {{"auditor", "text"}, {"applicant", "text"}, {"auditor", "md"}, {"applicant", "md"},
                                      {"auditor", "html"}, {"applicant", "html"}, {"auditor", "csv"}, {"applicant", "csv"},
                                      {"auditor", "json"}, {"applicant", "json"}};
  for (size_t k = 0; k < sizeof vf / sizeof vf[0]; k++) {
    const char *r2[] = {"report", "1", "--db", db, "--data-dir", datadir, "--view", vf[k][0], "--format", vf[k][1],
                        "--as-of", "2026-12-31", NULL};
    th_run(&out, NULL, r2);
    bool json = strcmp(vf[k][1], "json") == 0;
    cr_expect(strstr(out, json ? "\"state\": \"active\"" : "適用中"), "%s %s: no active waiver:\n%s", vf[k][0], vf[k][1], out);
    free(out);
  }
  free(datadir);
  free(db);
}

/* ---------- diff ---------- */

Test(review, diff_lists_verdicts_documents_and_framework_changes) {
  char *dir = th_tmpdir();
  char *db = th_store_new();
  char *src = th_data("evidence/basic/evidence.yaml"), *doc = th_data("evidence/basic/docs/isms.txt");
  char *text = NULL, *dtext = NULL;
  size_t len;
  cr_assert_eq(sh_read_file(src, 1 << 20, &text, &len), 0);
  cr_assert_eq(sh_read_file(doc, 1 << 20, &dtext, &len), 0);
  char *evdir = sh_path_join(dir, "pkg");
  free(th_write(evdir, "evidence.yaml", text));
  free(th_write(evdir, "docs/isms.txt", dtext));
  /* A private data dir whose framework changes version between the runs. */
  char *fwsrc = th_data("datadir/checklists/test-fw.yaml"), *facts = th_data("datadir/rules/facts.yaml");
  char *fwtext = NULL, *ftext = NULL;
  cr_assert_eq(sh_read_file(fwsrc, 1 << 20, &fwtext, &len), 0);
  cr_assert_eq(sh_read_file(facts, 1 << 20, &ftext, &len), 0);
  char *dd = sh_path_join(dir, "data");
  free(th_write(dd, "rules/facts.yaml", ftext));
  free(th_write(dd, "checklists/test-fw.yaml", fwtext));
  const char *rec[] = {"check", "--data-dir", dd, "--db", db, evdir, NULL};
  cr_assert_eq(th_run(NULL, NULL, rec), 1);
  /* Year two: TLS fixed (1.2 satisfied), the document replaced (new hash), framework version 2. */
  char *t2 = sh_strdup(text);
  char *p = strstr(t2, "tls11");
  cr_assert(p);
  memcpy(p, "tls13", 5);
  const char *newdoc = "ISMS certificate, renewed 2026\n";
  char hx[65];
  sh_sha256_hex(newdoc, strlen(newdoc), hx);
  char *q = strstr(t2, "0f4d2fe61ecd7508bedd68db11c9ac94ac6f15e30de80db8e210d91c0f01c74b");
  cr_assert(q);
  memcpy(q, hx, 64);
  free(th_write(evdir, "evidence.yaml", t2));
  free(th_write(evdir, "docs/isms.txt", newdoc));
  char *fw2 = sh_strdup(fwtext);
  char *v = strstr(fw2, "version: \"1\"");
  cr_assert(v);
  v[10] = '2';
  free(th_write(dd, "checklists/test-fw.yaml", fw2));
  cr_assert_eq(th_run(NULL, NULL, rec), 1);
  char *out = NULL, *err = NULL;
  const char *args[] = {"diff", "1", "2", "--db", db, "--lang", "en", NULL};
  int rc = th_run(&out, &err, args);
  cr_assert_eq(rc, 1, "differences give exit 1, got %d: %s", rc, err);
  cr_assert(strstr(out, "~ test-fw:1.2: not satisfied -> satisfied"), "%s", out);
  cr_assert(strstr(out, "~ docs/isms.txt: sha256 0f4d2fe6"), "%s", out);
  cr_assert(strstr(out, hx), "%s", out);
  cr_assert(strstr(out, "~ test-fw: 1 (sha256"), "%s", out);
  cr_assert(strstr(out, "-> 2 (sha256"), "%s", out);
  cr_assert(strstr(out, "~ sec.tls_min: tls11 (declared) -> tls13 (declared)"), "%s", out);
  free(out);
  free(err);
  /* A run against itself: no difference, exit 0; JSON shape. */
  const char *same[] = {"diff", "2", "2", "--db", db, "--format", "json", NULL};
  cr_assert_eq(th_run(&out, NULL, same), 0);
  cr_assert(strstr(out, "\"differences\": 0"), "%s", out);
  free(out);
  free(t2);
  free(fw2);
  free(fwtext);
  free(ftext);
  free(fwsrc);
  free(facts);
  free(dd);
  free(text);
  free(dtext);
  free(src);
  free(doc);
  free(evdir);
  free(db);
  free(dir);
}

/* ---------- audit log ---------- */

static char *db_with_history(void) {
  char *db = new_db_with_run();
  cr_assert_eq(review(db, "test-fw:2.2", "accept", "佐藤", "auditor"), 0);
  cr_assert_eq(review(db, "test-fw:2.2", "accept", "鈴木", "auditor"), 0);
  cr_assert_eq(review(db, "test-fw:2.2", "accept", "田中", "medical_professional"), 0);
  cr_assert_eq(th_waive(db, "1", "test-fw:1.2", "長", "移行中", "全体", "2026-12-31", NULL), 0);
  return db;
}

Test(auditlog, intact_log_verifies) {
  char *db = db_with_history();
  char *out = NULL;
  cr_assert_eq(log_verify(db, &out, NULL), 0);
  cr_assert(strstr(out, "audit log intact: 9 rows"), "%s", out);
  cr_assert(strstr(out, "signatures verified: 4 decisions and waivers"), "%s", out);
  free(out);
  free(db);
}

Test(auditlog, update_of_a_review_is_found) {
  char *db = db_with_history();
  /* Behind shinsa's back: turn 鈴木's accept (review 2, audit row 7) into a reject. */
  cr_assert_eq(sql(db, "UPDATE reviews SET decision = 'reject' WHERE id = 2"), 1);
  char *err = NULL;
  cr_assert_eq(log_verify(db, NULL, &err), 1);
  cr_assert(strstr(err, "audit log row 7: the review 2 logged in audit row 7 was altered"), "%s", err);
  free(err);
  free(db);
}

Test(auditlog, update_of_a_result_is_found) {
  char *db = db_with_history();
  cr_assert_eq(sql(db, "UPDATE results SET verdict = 'satisfied' WHERE item_id = '1.2'"), 1);
  char *err = NULL;
  cr_assert_eq(log_verify(db, NULL, &err), 1);
  cr_assert(strstr(err, "audit log row 1: the run 1 logged in audit row 1 was altered"), "%s", err);
  free(err);
  free(db);
}

Test(auditlog, delete_of_a_review_is_found) {
  char *db = db_with_history();
  cr_assert_eq(sql(db, "DELETE FROM reviews WHERE id = 1"), 1);
  char *err = NULL;
  cr_assert_eq(log_verify(db, NULL, &err), 1);
  cr_assert(strstr(err, "audit log row 6: the review 1 logged in audit row 6 was removed"), "%s", err);
  free(err);
  free(db);
}

Test(auditlog, delete_of_a_log_row_is_found) {
  char *db = db_with_history();
  cr_assert_eq(sql(db, "DELETE FROM audit_log WHERE seq = 3"), 1);
  char *err = NULL;
  cr_assert_eq(log_verify(db, NULL, &err), 1);
  cr_assert(strstr(err, "audit log row 3: audit row 3 was removed"), "%s", err);
  free(err);
  free(db);
}

Test(auditlog, delete_of_the_last_log_row_and_its_review_is_found) {
  char *db = db_with_history();
  /* The waiver and its log row (the last) both removed: the chain alone would look fine. */
  cr_assert_eq(sql(db, "DELETE FROM waivers; DELETE FROM audit_log WHERE seq = 9"), 1);
  char *err = NULL;
  cr_assert_eq(log_verify(db, NULL, &err), 1);
  cr_assert(strstr(err, "audit row 9 was removed"), "%s", err);
  free(err);
  free(db);
}

Test(auditlog, altered_log_content_and_inserted_rows_are_found) {
  char *db = db_with_history();
  cr_assert_eq(sql(db, "UPDATE audit_log SET content = replace(content, '佐藤', '山田') WHERE seq = 2"), 1);
  char *err = NULL;
  cr_assert_eq(log_verify(db, NULL, &err), 1);
  cr_assert(strstr(err, "audit log row 2: audit row 2 was altered"), "%s", err);
  free(err);
  free(db);
  db = db_with_history();
  cr_assert_eq(sql(db, "INSERT INTO reviews (id, run_id, framework_id, item_id, decision, reviewer, role, note,"
                       " recorded_at) VALUES (4, 1, 'test-fw', '2.1', 'accept', 'ghost', 'auditor', '',"
                       " '2026-01-01T00:00:00Z')"), 1);
  cr_assert_eq(log_verify(db, NULL, &err), 1);
  cr_assert(strstr(err, "review 4 is not in the audit log"), "%s", err);
  free(err);
  free(db);
}

Test(auditlog, altered_recorded_text_is_found) {
  /* the framework text recorded with the run (content-addressed in texts) changed behind shinsa's back */
  char *db = db_with_history();
  cr_assert_eq(sql(db, th_store_pg() ? "UPDATE texts SET content = content || '\\x0a'::bytea"
                                     : "UPDATE texts SET content = CAST(content || x'0a' AS BLOB)"), 2);
  char *err = NULL;
  cr_assert_eq(log_verify(db, NULL, &err), 1);
  cr_assert(strstr(err, "audit log row 1: the run 1 logged in audit row 1 was altered"), "%s", err);
  free(err);
  free(db);
}

/* Gaps of chain format 1 (issue 18 defect 6), each found by `log verify` in format 2. */

Test(auditlog, raised_legacy_counter_and_forged_run_are_found) {
  char *db = db_with_history();
  /* Raise the counter of runs "recorded before the audit log" and insert a forged run under it. */
  cr_assert_eq(sql(db, "UPDATE audit_meta SET legacy_max_run = 2;"
                       " CREATE TEMP TABLE t AS SELECT * FROM runs WHERE id = 1; UPDATE t SET id = 2;"
                       " INSERT INTO runs SELECT * FROM t"), 1);
  char *err = NULL;
  cr_assert_eq(log_verify(db, NULL, &err), 1);
  cr_assert(strstr(err, "audit_meta (the count of runs recorded before the audit log)"), "%s", err);
  free(err);
  free(db);
  /* the counter alone, or its row removed */
  db = db_with_history();
  cr_assert_eq(sql(db, "UPDATE audit_meta SET legacy_max_run = 7"), 1);
  cr_assert_eq(log_verify(db, NULL, &err), 1);
  cr_assert(strstr(err, "audit_meta"), "%s", err);
  free(err);
  free(db);
  db = db_with_history();
  cr_assert_eq(sql(db, "INSERT INTO audit_meta VALUES (0)"), 1);
  cr_assert_eq(log_verify(db, NULL, &err), 1);
  free(err);
  free(db);
}

Test(auditlog, hidden_suffix_after_a_nul_byte_is_found) {
  SQLITE_ONLY("PostgreSQL text holds no NUL byte");
  char *db = db_with_history();
  cr_assert_eq(sql(db, "UPDATE reviews SET note = note || char(0) || ' and rejected' WHERE id = 1"), 1);
  cr_assert_eq(count(db, "SELECT length(CAST(note AS BLOB)) FROM reviews WHERE id = 1"), 21);
  char *err = NULL;
  cr_assert_eq(log_verify(db, NULL, &err), 1);
  cr_assert(strstr(err, "the review 1 logged in audit row 6 was altered"), "%s", err);
  free(err);
  free(db);
}

Test(auditlog, recorded_at_of_a_log_row_is_covered) {
  char *db = db_with_history();
  cr_assert_eq(sql(db, "UPDATE audit_log SET recorded_at = '2020-01-01T00:00:00Z' WHERE seq = 2"), 1);
  char *err = NULL;
  cr_assert_eq(log_verify(db, NULL, &err), 1);
  cr_assert(strstr(err, "audit log row 2: audit row 2 was altered"), "%s", err);
  free(err);
  free(db);
  db = db_with_history();
  cr_assert_eq(sql(db, "UPDATE audit_log SET kind = 'run', ref = 1 WHERE seq = 3"), 1);
  cr_assert_eq(log_verify(db, NULL, &err), 1);
  cr_assert(strstr(err, "audit row 3 was altered"), "%s", err);
  free(err);
  free(db);
}

/* A store whose log was written in chain format 1 (tests/data/store/chain-format1.sql, by an earlier shinsa). */
static char *format1_db(void) {
  SQLITE_ONLY("the store of chain format 1 is a SQLite dump (db copy takes it to PostgreSQL)");
  char *dir = th_tmpdir();
  char *db = sh_path_join(dir, "old.db");
  char *dump = th_data("store/chain-format1.sql");
  char *text = NULL;
  size_t len;
  cr_assert_eq(sh_read_file(dump, 1 << 20, &text, &len), 0);
  sql(db, text);
  free(text);
  free(dump);
  free(dir);
  return db;
}

Test(auditlog, format1_chain_still_verifies_and_continues_in_format2) {
  char *db = format1_db();
  char *out = NULL, *err = NULL;
  /* A reading command does not migrate the schema-2 store: it says how to. */
  cr_assert_eq(log_verify(db, &out, &err), 2, "%s", err);
  cr_assert(strstr(err, "database schema version 2 is older than this shinsa's (4): run 'shinsa db migrate --db"), "%s",
            err);
  free(out), free(err);
  cr_assert_eq(db_migrate(db, &out, &err), 0, "%s", err);
  cr_assert(strstr(out, "migrated from schema version 2 to 4"), "%s", out);
  free(out), free(err);
  /* Its run, recorded before reasons kept their message key, still re-renders: atom reasons from their recorded
   * fact, requirement and value (in the report language), the others as their recorded English message. */
  char *datadir = th_data("datadir");
  cr_assert_eq(th_run(&out, &err, (const char *[]){"report", "1", "--db", db, "--data-dir", datadir, "--format", "text",
                                                   "--lang", "ja", NULL}), 1, "%s", err);
  cr_assert(strstr(out, "保存期間（retention.days）が 45。要件: <= 30"), "%s", out);
  cr_assert(strstr(out, "not answered: the applicant has given no answer for this item"), "%s", out);
  free(out), free(err);
  free(datadir);
  cr_assert_eq(db_migrate(db, &out, &err), 0, "%s", err);
  cr_assert(strstr(out, "at schema version 4 already"), "%s", out);
  free(out), free(err);
  cr_assert_eq(log_verify(db, &out, &err), 0, "%s", err);
  cr_assert(strstr(out, "audit log intact: 3 rows"), "%s", out);
  free(out), free(err);
  th_add_reviewer(db, "鈴木", "auditor");
  cr_assert_eq(review(db, "test-fw:2.2", "accept", "鈴木", "auditor"), 0);
  cr_assert_eq(count(db, "SELECT count(*) FROM audit_log WHERE content LIKE 'format 2%'"), 2);
  cr_assert_eq(log_verify(db, &out, &err), 0, "%s", err);
  cr_assert(strstr(out, "audit log intact: 5 rows"), "%s", out);
  free(out), free(err);
  /* a format-1 row after a format-2 row (a downgrade) is refused */
  cr_assert_eq(sql(db, "INSERT INTO audit_log (recorded_at, kind, ref, content, prev_hash, hash)"
                       " SELECT recorded_at, kind, ref, content, (SELECT hash FROM audit_log WHERE seq = 5), hash"
                       " FROM audit_log WHERE seq = 2"), 1);
  cr_assert_eq(log_verify(db, NULL, &err), 1);
  cr_assert(strstr(err, "old chain format 1 after rows in format 2"), "%s", err);
  free(err);
  free(db);
}

/* ---------- safety ---------- */

Test(safety, concurrent_reviewers_lose_nothing) {
  char *db = new_db_with_run();
  enum { WRITERS = 8, EACH = 50 };
  pid_t pids[WRITERS];
  for (int w = 0; w < WRITERS; w++) {
    pids[w] = fork();
    cr_assert(pids[w] >= 0);
    if (pids[w] == 0) {
      /* Each writer opens its own connection and records EACH reviews as fast as it can. */
      sh_diags d = {0};
      sh_store *s = sh_store_open(db, &d);
      if (!s) _exit(10);
      for (int k = 0; k < EACH; k++) {
        char who[32];
        snprintf(who, sizeof who, "reviewer-%d-%d", w, k);
        sh_review r = {.run_id = 1, .framework_id = "test-fw", .item_id = "2.2", .decision = SH_DEC_ACCEPT,
                       .reviewer = who, .role = "auditor", .note = "concurrent"};
        int64_t id;
        if (s->ops->record_review(s, &r, &id, &d) != 0) _exit(11);
      }
      sh_store_close(s);
      _exit(0);
    }
  }
  for (int w = 0; w < WRITERS; w++) {
    int st;
    cr_assert_eq(waitpid(pids[w], &st, 0), pids[w]);
    cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "writer %d failed (status %d)", w, st);
  }
  cr_assert_eq(count(db, "SELECT count(*) FROM reviews"), WRITERS * EACH);
  cr_assert_eq(count(db, "SELECT count(DISTINCT reviewer) FROM reviews"), WRITERS * EACH);
  cr_assert_eq(count(db, "SELECT count(*) FROM audit_log"), 5 + WRITERS * EACH);
  char *out = NULL;
  cr_assert_eq(log_verify(db, &out, NULL), 0, "the chain stays linear under concurrency");
  free(out);
  free(db);
}

Test(safety, killed_mid_write_leaves_a_consistent_database) {
  char *db = new_db_with_run();
  cr_assert_eq(review(db, "test-fw:2.2", "accept", "佐藤", "auditor"), 0);
  /* The process is killed after inserting the review and its log row, before COMMIT. */
  setenv("SHINSA_FAULT", "kill-before-commit", 1);
  int rc = review(db, "test-fw:2.2", "reject", "鈴木", "auditor");
  unsetenv("SHINSA_FAULT");
  cr_assert_eq(rc, 128 + 9, "killed by SIGKILL, got %d", rc);
  cr_assert_eq(count(db, "SELECT count(*) FROM reviews"), 1);
  cr_assert_eq(count(db, "SELECT count(*) FROM audit_log"), 6);
  char *out = NULL;
  cr_assert_eq(log_verify(db, &out, NULL), 0);
  free(out);
  /* And the database takes the next write normally. */
  cr_assert_eq(review(db, "test-fw:2.2", "accept", "鈴木", "auditor"), 0);
  cr_assert_eq(log_verify(db, NULL, NULL), 0);
  /* Killing `check --db` mid-write leaves no partial run either. */
  setenv("SHINSA_FAULT", "kill-before-commit", 1);
  char *datadir = th_data("datadir"), *ev = th_data("evidence/basic");
  const char *args[] = {"check", "--data-dir", datadir, "--db", db, ev, NULL};
  int crc = th_run(NULL, NULL, args);
  unsetenv("SHINSA_FAULT");
  cr_assert_eq(crc, 128 + 9);
  cr_assert_eq(count(db, "SELECT count(*) FROM runs"), 1);
  cr_assert_eq(count(db, "SELECT count(*) FROM results"), 7);
  cr_assert_eq(count(db, "SELECT count(*) FROM run_texts"), 2);
  cr_assert_eq(log_verify(db, NULL, NULL), 0);
  free(datadir);
  free(ev);
  free(db);
}

Test(safety, schema1_database_is_migrated) {
  SQLITE_ONLY("schema 1 existed only in SQLite");
  /* A database at schema 1 with one run (as the core engine wrote it) gains the new tables; the old
   * run predates the audit log and is reported as not covered, not as tampering. */
  char *db = new_db_with_run();
  cr_assert_eq(sql(db, "DROP TABLE run_snapshot; DROP TABLE run_texts; DROP TABLE texts; DROP TABLE run_documents;"
                       " DROP TABLE run_fact_values; DROP TABLE run_data_items; DROP TABLE run_findings;"
                       " DROP TABLE reviews; DROP TABLE waiver_revocations; DROP TABLE waivers; DROP TABLE audit_log;"
                       " DROP TABLE audit_meta; DROP TABLE store_meta; DROP TABLE roster;"
                       " ALTER TABLE reasons DROP COLUMN msg_key; ALTER TABLE reasons DROP COLUMN msg_args;"
                       " PRAGMA user_version = 1"), 0);
  char *out = NULL, *err = NULL;
  cr_assert_eq(log_verify(db, &out, &err), 2, "%s", err);
  cr_assert(strstr(err, "schema version 1 is older"), "%s", err);
  free(out), free(err);
  cr_assert_eq(db_migrate(db, &out, &err), 0, "%s", err);
  free(out), free(err);
  cr_assert_eq(log_verify(db, &out, &err), 0, "%s", err);
  cr_assert(strstr(out, "1 run recorded before the audit log existed"), "%s", out);
  free(out);
  free(err);
  char *datadir = th_data("datadir");
  const char *rep[] = {"report", "1", "--db", db, "--data-dir", datadir, NULL};
  cr_assert_eq(th_run(NULL, &err, rep), 2);
  cr_assert(strstr(err, "recorded before run snapshots existed"), "%s", err);
  free(err);
  free(datadir);
  free(db);
}

/* ---------- db copy between the back ends ---------- */

static char *run_out(const char *const *args, int expect) {
  char *out = NULL, *err = NULL;
  int rc = th_run(&out, &err, args);
  cr_assert_eq(rc, expect, "%s: exit %d: %s", args[0], rc, err);
  free(err);
  return out;
}

/* The head line of `log verify` (the same hash on both back ends) */
static char *verify_head(const char *db) {
  const char *lv[] = {"log", "verify", "--db", db, NULL};
  char *out = run_out(lv, 0);
  char *nl = strchr(out, '\n');
  if (nl) *nl = 0;
  return out;
}

Test(safety, db_copy_to_the_other_back_end_and_back) {
  char *db = db_with_history();
  cr_assert_eq(th_review(db, "1", "test-fw:2.2", "reject", "鈴木", "auditor", "changed", NULL, NULL), 0);
  char *other = th_store_new_other();
  if (!other) cr_skip_test("no PostgreSQL server answers (SHINSA_TEST_PG_URL): SQLite to PostgreSQL not tested");
  char *back = th_store_new();
  char *head = verify_head(db);
  cr_assert(strstr(head, "audit log intact: 10 rows"), "%s", head);
  const char *c1[] = {"db", "copy", "--from", db, "--to", other, NULL};
  char *out = run_out(c1, 0);
  cr_assert(strstr(out, "the copy's audit log verifies"), "%s", out);
  free(out);
  const char *c2[] = {"db", "copy", "--from", other, "--to", back, NULL};
  out = run_out(c2, 0);
  free(out);
  /* log verify: the same rows and head hash (and every signature) on the copy and the copy of the copy */
  char *h1 = verify_head(other), *h2 = verify_head(back);
  cr_assert_str_eq(h1, head);
  cr_assert_str_eq(h2, head);
  const char *sig[] = {"log", "verify", "--db", other, NULL};
  out = run_out(sig, 0);
  cr_assert(strstr(out, "signatures verified: 5 decisions and waivers"), "%s", out);
  free(out);
  /* the same history and the same report */
  const char *hs[] = {"history", "--db", db, "--format", "json", NULL}, *ho[] = {"history", "--db", back, "--format",
                                                                             "json", NULL};
  char *a = run_out(hs, 0), *b = run_out(ho, 0);
  cr_assert_str_eq(a, b);
  free(a), free(b);
  char *datadir = th_data("datadir");
  const char *ra[] = {"report", "1", "--db", db, "--data-dir", datadir, "--format", "json", "--as-of", "2026-10-02", NULL};
  const char *rb[] = {"report", "1", "--db", other, "--data-dir", datadir, "--format", "json", "--as-of", "2026-10-02",
                      NULL};
  a = run_out(ra, 1), b = run_out(rb, 1);
  cr_assert_str_eq(a, b);
  free(a), free(b);
  /* the copy takes new writes and still verifies */
  cr_assert_eq(review(other, "test-fw:2.1", "accept", "佐藤", "auditor"), 0);
  free(verify_head(other));
  /* a target that is not new is refused, and left as it was */
  char *err = NULL;
  cr_assert_eq(th_run(NULL, &err, c1), 2);
  cr_assert(strstr(err, "not empty") || strstr(err, "the target exists"), "%s", err);
  free(err);
  free(h1), free(h2), free(head), free(datadir);
  free(other), free(back), free(db);
}

Test(safety, db_copy_of_a_tampered_store_does_not_verify) {
  char *db = db_with_history();
  cr_assert_eq(sql(db, "UPDATE reviews SET note = 'forged' WHERE id = 1"), 1);
  char *other = th_store_new_other();
  if (!other) cr_skip_test("no PostgreSQL server answers (SHINSA_TEST_PG_URL)");
  const char *c1[] = {"db", "copy", "--from", db, "--to", other, NULL};
  char *err = NULL;
  cr_assert_eq(th_run(NULL, &err, c1), 1);
  cr_assert(strstr(err, "the copy's audit log does not verify: audit log row 6: the review 1 logged in audit row 6 "
                        "was altered"), "%s", err);
  free(err);
  free(other), free(db);
}

Test(safety, db_copy_takes_a_format1_store_to_postgresql) {
  char *db = format1_db();
  char *out = NULL, *err = NULL;
  cr_assert_eq(db_migrate(db, &out, &err), 0, "%s", err);
  free(out), free(err);
  char *pg = th_store_new_other();
  if (!pg) cr_skip_test("no PostgreSQL server answers (SHINSA_TEST_PG_URL)");
  const char *c1[] = {"db", "copy", "--from", db, "--to", pg, NULL};
  free(run_out(c1, 0));
  char *h = verify_head(pg), *h0 = verify_head(db);
  cr_assert(strstr(h, "audit log intact: 3 rows"), "%s", h);
  cr_assert_str_eq(h, h0);
  free(h), free(h0), free(pg), free(db);
}
