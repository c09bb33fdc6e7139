/* test_signoff: signed review with real keys made by ssh-keygen in the test: the roster (unknown
 * role, unregistered reviewer, forged role), signatures by another key, decisions altered in the
 * database, revoked reviewers, per-role latest decisions, carry-forward across runs of the same
 * applicant (unchanged and changed documents), waiver expiry at 23:59 and 00:00 Japan time, and log
 * anchors against a log cut back or rewritten. */
#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "hash.h"
#include "helpers.h"
#include "review.h"
#include "roster.h"
#include "signoff.h"
#include "sshsig.h"
#include "store.h"

typedef struct {
  char *dir, *db, *pkg, *datadir;
  char *key[4]; /* alice (auditor), bob (auditor), carol (medical_professional), mallory (unregistered) */
  sh_store *s;
  sh_diags d;
} fx;

/* The signoff functions return 0 or -1; the class of their diagnostics gives the exit code. Returns 0 when rc is 0,
 * else the exit code of the diagnostics that call added (-1 when it added no error), and keeps them in f->d. */
static int exit_of(fx *f, int rc, sh_diags *call) {
  int e = rc == 0 ? 0 : call->nerrors ? (int)sh_diags_exit_code(call) : -1;
  sh_diags_move(&f->d, call);
  sh_diags_free(call);
  return e;
}

static const char *const names[] = {"alice", "bob", "carol", "mallory"};

static char *keygen(const char *dir, const char *name) {
  char *path = sh_printf("%s/%s", dir, name);
  char *cmd = sh_printf("ssh-keygen -q -t ed25519 -N '' -C %s -f '%s' </dev/null >/dev/null 2>&1", name, path);
  cr_assert_eq(system(cmd), 0, "ssh-keygen failed");
  free(cmd);
  return path;
}

static char *slurp(const char *path) {
  char *data = NULL;
  size_t len = 0;
  cr_assert_eq(sh_read_file(path, 1 << 20, &data, &len), 0, "cannot read %s", path);
  return data;
}

static void check_pkg(fx *f, int expect) {
  const char *args[] = {"check", "--data-dir", f->datadir, "--db", f->db, f->pkg, NULL};
  char *err = NULL;
  int rc = th_run(NULL, &err, args);
  cr_assert_eq(rc, expect, "check exit %d: %s", rc, err);
  free(err);
}

static void reopen(fx *f) {
  if (f->s) sh_store_close(f->s);
  f->s = sh_store_open(f->db, &f->d);
  cr_assert(f->s);
}

static int add_reviewer(fx *f, int who, const char *role) {
  sh_vec roles = {0};
  sh_vec_push(&roles, (void *)role);
  char *pub = sh_printf("%s.pub", f->key[who]);
  char *text = slurp(pub), *fp = NULL;
  sh_diags call = {0};
  int rc = exit_of(f, sh_signoff_reviewer_add(f->s, f->datadir, names[who], &roles, text, pub, "", &fp, &call), &call);
  free(fp);
  free(text);
  free(pub);
  sh_vec_free(&roles);
  return rc;
}

/* Copies tests/data/evidence/basic into the fixture and records run 1 with three reviewers. */
static void setup(fx *f) {
  memset(f, 0, sizeof *f);
  f->dir = th_tmpdir();
  f->db = sh_path_join(f->dir, "runs.db");
  f->pkg = sh_path_join(f->dir, "pkg");
  f->datadir = th_data("datadir");
  char *src = th_data("evidence/basic");
  char *cmd = sh_printf("cp -r '%s' '%s'", src, f->pkg);
  cr_assert_eq(system(cmd), 0);
  free(cmd);
  free(src);
  for (int i = 0; i < 4; i++) f->key[i] = keygen(f->dir, names[i]);
  check_pkg(f, 1);
  reopen(f);
  cr_assert_eq(add_reviewer(f, 0, "auditor"), 0);
  cr_assert_eq(add_reviewer(f, 1, "auditor"), 0);
  cr_assert_eq(add_reviewer(f, 2, "medical_professional"), 0);
}

static void teardown(fx *f) {
  sh_store_close(f->s);
  sh_diags_free(&f->d);
  for (int i = 0; i < 4; i++) free(f->key[i]);
  free(f->dir);
  free(f->db);
  free(f->pkg);
  free(f->datadir);
}

static int decide_run(fx *f, int64_t run, const char *item, const char *dec, int who, const char *role, int key) {
  sh_review r = {.run_id = run};
  r.framework_id = sh_strdup("test-fw");
  r.item_id = sh_strdup(item);
  cr_assert(sh_decision_parse(dec, &r.decision));
  r.reviewer = sh_strdup(names[who]);
  r.role = sh_strdup(role);
  r.note = sh_strdup("確認済み");
  sh_sign_opts o = {.key_file = f->key[key]};
  char *payload = NULL;
  int64_t id = 0;
  sh_diags call = {0};
  int rc = exit_of(f, sh_signoff_review(f->s, f->datadir, &r, &o, &payload, &id, &call), &call);
  free(payload);
  free(r.framework_id);
  free(r.item_id);
  free(r.reviewer);
  free(r.role);
  free(r.note);
  free(r.applicant);
  free(r.fw_version);
  free(r.basis);
  free(r.evidence_fp);
  free(r.signature);
  free(r.recorded_at);
  return rc;
}

static int decide(fx *f, const char *item, const char *dec, int who, const char *role) {
  return decide_run(f, 1, item, dec, who, role, who);
}

static sh_reviewed_run *load_run(fx *f, int64_t run) {
  sh_date day;
  cr_assert(sh_date_parse("2026-10-01", &day));
  sh_reviewed_run *rr = sh_reviewed_run_load(f->s, run, f->datadir, day, &f->d);
  char *m = th_diags_str(&f->d);
  cr_assert(rr, "%s", m);
  free(m);
  return rr;
}

static const sh_result *res(const sh_reviewed_run *rr, const char *id) { return th_result(rr->snap->eval, "test-fw", id); }

static const char *diags(fx *f) {
  static char buf[4096];
  char *m = th_diags_str(&f->d);
  snprintf(buf, sizeof buf, "%s", m);
  free(m);
  return buf;
}

static void sql(const char *db, const char *stmt) {
  sqlite3 *h;
  cr_assert_eq(sqlite3_open(db, &h), SQLITE_OK);
  char *err = NULL;
  cr_assert_eq(sqlite3_exec(h, stmt, NULL, NULL, &err), SQLITE_OK, "%s: %s", stmt, err ? err : "");
  sqlite3_close(h);
}

static char *all_reasons(const sh_result *r) {
  sh_buf b = {0};
  for (size_t i = 0; i < r->reasons.n; i++) sh_buf_printf(&b, "%s\n", ((const sh_reason *)r->reasons.v[i])->message);
  return sh_buf_steal(&b);
}

/* ---------- roster and signatures ---------- */

Test(signoff, signed_quorum_is_met_by_registered_reviewers) {
  fx f;
  setup(&f);
  cr_assert_eq(decide(&f, "2.2", "accept", 0, "auditor"), 0, "%s", diags(&f));
  cr_assert_eq(decide(&f, "2.2", "accept", 1, "auditor"), 0, "%s", diags(&f));
  cr_assert_eq(decide(&f, "2.2", "accept", 2, "medical_professional"), 0, "%s", diags(&f));
  sh_reviewed_run *rr = load_run(&f, 1);
  char *why = all_reasons(res(rr, "2.2"));
  cr_assert_eq(res(rr, "2.2")->verdict, SH_V_SATISFIED, "%s", why);
  free(why);
  size_t checked, uns;
  cr_assert_eq(sh_signoff_verify_all(f.s, &checked, &uns, &f.d), 0, "%s", diags(&f));
  cr_assert_eq(checked, 3);
  sh_reviewed_run_free(rr);
  teardown(&f);
}

Test(signoff, unknown_role_forged_role_and_unregistered_reviewer_are_refused) {
  fx f;
  setup(&f);
  /* a role the quorum file does not define */
  cr_assert_eq(add_reviewer(&f, 3, "ceo"), SH_EXIT_USAGE);
  cr_assert(strstr(diags(&f), "unknown role 'ceo'"), "%s", diags(&f));
  cr_assert_eq(decide(&f, "2.2", "accept", 0, "ceo"), SH_EXIT_USAGE);
  /* alice is an auditor, not a medical professional */
  cr_assert_eq(decide(&f, "2.2", "accept", 0, "medical_professional"), SH_EXIT_USAGE);
  cr_assert(strstr(diags(&f), "alice does not hold the role medical_professional"), "%s", diags(&f));
  /* mallory was never registered */
  cr_assert_eq(decide(&f, "2.2", "accept", 3, "auditor"), SH_EXIT_USAGE);
  cr_assert(strstr(diags(&f), "mallory is not a registered reviewer"), "%s", diags(&f));
  /* nothing was written */
  sh_vec v = {0};
  cr_assert_eq(f.s->ops->list_reviews(f.s, 1, &v, &f.d), 0);
  cr_assert_eq(v.n, 0);
  sh_vec_free(&v);
  teardown(&f);
}

Test(signoff, signature_by_another_key_is_refused) {
  fx f;
  setup(&f);
  /* alice's name, mallory's key */
  cr_assert_eq(decide_run(&f, 1, "2.2", "accept", 0, "auditor", 3), SH_EXIT_INVALID);
  cr_assert(strstr(diags(&f), "the signature is not alice's"), "%s", diags(&f));
  sh_vec v = {0};
  cr_assert_eq(f.s->ops->list_reviews(f.s, 1, &v, &f.d), 0);
  cr_assert_eq(v.n, 0);
  sh_vec_free(&v);
  teardown(&f);
}

Test(signoff, detached_signature_over_the_printed_payload) {
  fx f;
  setup(&f);
  sh_review r = {.run_id = 1, .decision = SH_DEC_ACCEPT};
  r.framework_id = "test-fw";
  r.item_id = "2.2";
  r.reviewer = "bob";
  r.role = "auditor";
  r.note = "";
  sh_sign_opts o = {.print_payload = true, .time = "2026-01-05T01:02:03Z"};
  char *payload = NULL;
  int64_t id;
  cr_assert_eq(sh_signoff_review(f.s, f.datadir, &r, &o, &payload, &id, &f.d), 0, "%s", diags(&f));
  cr_assert(strstr(payload, "shinsa-decision/1\nstore: "), "%s", payload);
  cr_assert(strstr(payload, "\nitem: 2.2\ndecision: accept\nreviewer: bob\nrole: auditor\n"), "%s", payload);
  cr_assert(strstr(payload, "\ntime: 2026-01-05T01:02:03Z\nevidence: sha256:"), "%s", payload);
  /* the reviewer signs on their own machine */
  char *pfile = th_write(f.dir, "payload.txt", payload);
  char *cmd = sh_printf("ssh-keygen -q -Y sign -n shinsa -f '%s' '%s' >/dev/null 2>&1", f.key[1], pfile);
  cr_assert_eq(system(cmd), 0);
  char *sigp = sh_printf("%s.sig", pfile);
  char *sig = slurp(sigp);
  free(r.applicant), free(r.fw_version), free(r.basis), free(r.evidence_fp), free(r.recorded_at);
  r.applicant = r.fw_version = r.basis = r.evidence_fp = r.recorded_at = NULL;
  sh_sign_opts o2 = {.signature = sig, .time = "2026-01-05T01:02:03Z"};
  char *payload2 = NULL;
  cr_assert_eq(sh_signoff_review(f.s, f.datadir, &r, &o2, &payload2, &id, &f.d), 0, "%s", diags(&f));
  cr_assert_str_eq(payload, payload2);
  /* a different time is a different text: the same signature no longer fits */
  free(r.applicant), free(r.fw_version), free(r.basis), free(r.evidence_fp), free(r.recorded_at), free(r.signature);
  r.applicant = r.fw_version = r.basis = r.evidence_fp = r.recorded_at = r.signature = NULL;
  sh_sign_opts o3 = {.signature = sig, .time = "2026-01-05T01:02:04Z"};
  char *payload3 = NULL;
  sh_diags call = {0};
  cr_assert_eq(exit_of(&f, sh_signoff_review(f.s, f.datadir, &r, &o3, &payload3, &id, &call), &call), SH_EXIT_INVALID);
  free(r.applicant), free(r.fw_version), free(r.basis), free(r.evidence_fp), free(r.recorded_at), free(r.signature);
  free(payload), free(payload2), free(payload3), free(pfile), free(cmd), free(sigp), free(sig);
  teardown(&f);
}

Test(signoff, decision_altered_in_the_database_no_longer_counts) {
  fx f;
  setup(&f);
  cr_assert_eq(decide(&f, "2.2", "accept", 0, "auditor"), 0, "%s", diags(&f));
  cr_assert_eq(decide(&f, "2.2", "reject", 1, "auditor"), 0, "%s", diags(&f));
  cr_assert_eq(decide(&f, "2.2", "accept", 2, "medical_professional"), 0, "%s", diags(&f));
  sh_reviewed_run *rr = load_run(&f, 1);
  cr_assert_eq(res(rr, "2.2")->verdict, SH_V_NOT_SATISFIED);
  sh_reviewed_run_free(rr);
  /* behind shinsa's back: bob's reject becomes an accept */
  sql(f.db, "UPDATE reviews SET decision = 'accept' WHERE id = 2");
  rr = load_run(&f, 1);
  char *why = all_reasons(res(rr, "2.2"));
  cr_assert_eq(res(rr, "2.2")->verdict, SH_V_NEEDS_REVIEW, "%s", why);
  cr_assert(strstr(why, "bob's accept (auditor) is not counted: signature does not verify"), "%s", why);
  free(why);
  sh_reviewed_run_free(rr);
  size_t checked, uns;
  sh_diags vd = {0};
  cr_assert_eq(exit_of(&f, sh_signoff_verify_all(f.s, &checked, &uns, &vd), &vd), SH_EXIT_FINDINGS);
  cr_assert(strstr(diags(&f), "review 2 "), "%s", diags(&f));
  teardown(&f);
}

/* Why a decision does not count is written in the report's language, not the terminal's: a Japanese terminal
 * (LC_ALL=ja_JP.UTF-8) writing an English report (--lang en) gets English reasons, and --lang ja Japanese ones,
 * for a signature that does not verify and for an unsigned decision. */
Test(signoff, not_counted_reasons_in_the_report_language) {
  fx f;
  setup(&f);
  cr_assert_eq(decide(&f, "2.2", "accept", 0, "auditor"), 0, "%s", diags(&f));
  cr_assert_eq(decide(&f, "2.2", "reject", 1, "auditor"), 0, "%s", diags(&f));
  sql(f.db, "UPDATE reviews SET decision = 'accept' WHERE id = 2");
  sql(f.db, "UPDATE reviews SET signature = NULL WHERE id = 1");
  for (int k = 0; k < 2; k++) {
    const char *lang = k ? "ja" : "en";
    char *out, *err;
    int rc = th_run_in("ja", &out, &err, (const char *[]){"report", "1", "--db", f.db, "--data-dir", f.datadir,
                                                          "--format", "text", "--lang", lang, NULL});
    cr_assert(rc == 0 || rc == 1, "%s", err);
    if (k) {
      cr_assert(strstr(out, "は数えない: 署名を検証できません"), "%s", out);
      cr_assert(strstr(out, "署名なし（署名が必須になる前の記録）"), "%s", out);
      cr_assert_null(strstr(out, "signature does not verify"), "%s", out);
      cr_assert_null(strstr(out, "unsigned (recorded"), "%s", out);
    } else {
      cr_assert(strstr(out, "bob's accept (auditor) is not counted: signature does not verify: "), "%s", out);
      cr_assert(strstr(out, "is not counted: unsigned (recorded before signatures were required)"), "%s", out);
      cr_assert_null(strstr(out, "署名"), "%s", out);
    }
    free(out), free(err);
  }
  teardown(&f);
}

Test(signoff, revoked_reviewer_keeps_earlier_decisions_but_cannot_sign_later) {
  fx f;
  setup(&f);
  cr_assert_eq(decide(&f, "2.2", "accept", 0, "auditor"), 0, "%s", diags(&f));
  cr_assert_eq(sh_signoff_reviewer_revoke(f.s, "alice", "left the body", &f.d), 0, "%s", diags(&f));
  sh_diags call = {0};
  cr_assert_eq(exit_of(&f, sh_signoff_reviewer_revoke(f.s, "alice", "again", &call), &call), SH_EXIT_USAGE);
  cr_assert_eq(decide(&f, "1.2", "accept", 0, "auditor"), SH_EXIT_USAGE);
  cr_assert(strstr(diags(&f), "alice was revoked"), "%s", diags(&f));
  /* a later decision slipped into the database with alice's valid signature: not counted */
  sh_review r = {.run_id = 1, .decision = SH_DEC_REJECT};
  r.framework_id = "test-fw", r.item_id = "2.2", r.reviewer = "alice", r.role = "auditor", r.note = "";
  char sid[65];
  cr_assert_eq(f.s->ops->store_id(f.s, sid, &f.d), 0);
  sh_vec old = {0};
  cr_assert_eq(f.s->ops->list_reviews(f.s, 1, &old, &f.d), 0);
  const sh_review *first = old.v[0];
  r.applicant = first->applicant, r.fw_version = first->fw_version, r.evidence_fp = first->evidence_fp;
  r.basis = first->basis, r.recorded_at = "2026-01-06T00:00:00Z";
  char *payload = sh_decision_payload(sid, &r), *err = NULL;
  r.signature = sh_sshsig_sign(f.key[0], payload, strlen(payload), "shinsa", &err);
  cr_assert(r.signature, "%s", err);
  int64_t id;
  cr_assert_eq(f.s->ops->record_review(f.s, &r, &id, &f.d), 0);
  cr_assert_eq(decide(&f, "2.2", "accept", 1, "auditor"), 0, "%s", diags(&f));
  cr_assert_eq(decide(&f, "2.2", "accept", 2, "medical_professional"), 0, "%s", diags(&f));
  sh_reviewed_run *rr = load_run(&f, 1);
  char *why = all_reasons(res(rr, "2.2"));
  cr_assert_eq(res(rr, "2.2")->verdict, SH_V_SATISFIED, "alice's earlier accept counts, her later reject does not: %s", why);
  cr_assert(strstr(why, "alice's reject (auditor) is not counted: alice's registration was revoked"), "%s", why);
  free(why);
  sh_reviewed_run_free(rr);
  free(payload);
  free(r.signature);
  sh_vec_free_all(&old, sh_review_free);
  teardown(&f);
}

Test(signoff, a_decision_in_another_role_does_not_drop_a_met_quorum) {
  fx f;
  setup(&f);
  /* dave holds both roles */
  char *dave = keygen(f.dir, "dave");
  sh_vec roles = {0};
  sh_vec_push(&roles, "auditor");
  sh_vec_push(&roles, "medical_professional");
  char *pub = sh_printf("%s.pub", dave), *text = slurp(pub), *fp = NULL;
  cr_assert_eq(sh_signoff_reviewer_add(f.s, f.datadir, "dave", &roles, text, pub, "", &fp, &f.d), 0, "%s", diags(&f));
  sh_review r = {.run_id = 1, .decision = SH_DEC_ACCEPT};
  r.framework_id = "test-fw", r.item_id = "2.2", r.reviewer = "dave", r.role = "auditor", r.note = "";
  sh_sign_opts o = {.key_file = dave};
  char *payload;
  int64_t id;
  cr_assert_eq(sh_signoff_review(f.s, f.datadir, &r, &o, &payload, &id, &f.d), 0, "%s", diags(&f));
  free(payload);
  free(r.applicant), free(r.fw_version), free(r.basis), free(r.evidence_fp), free(r.recorded_at), free(r.signature);
  cr_assert_eq(decide(&f, "2.2", "accept", 0, "auditor"), 0);
  cr_assert_eq(decide(&f, "2.2", "accept", 2, "medical_professional"), 0);
  sh_reviewed_run *rr = load_run(&f, 1);
  cr_assert_eq(res(rr, "2.2")->verdict, SH_V_SATISFIED);
  sh_reviewed_run_free(rr);
  /* dave decides again as medical professional: his auditor accept still stands */
  r.applicant = r.fw_version = r.basis = r.evidence_fp = r.recorded_at = r.signature = NULL;
  r.role = "medical_professional";
  cr_assert_eq(sh_signoff_review(f.s, f.datadir, &r, &o, &payload, &id, &f.d), 0, "%s", diags(&f));
  cr_assert(strstr(diags(&f), "dave's earlier accept as auditor still counts"), "%s", diags(&f));
  free(payload);
  free(r.applicant), free(r.fw_version), free(r.basis), free(r.evidence_fp), free(r.recorded_at), free(r.signature);
  rr = load_run(&f, 1);
  const sh_item_review *ir = sh_review_for(rr->state, rr->snap->eval, res(rr, "2.2"));
  cr_assert_eq(res(rr, "2.2")->verdict, SH_V_SATISFIED, "%s", ir->quorum_status);
  cr_assert(strstr(ir->quorum_status, "auditor 2/2"), "%s", ir->quorum_status);
  sh_reviewed_run_free(rr);
  sh_vec_free(&roles);
  free(pub), free(text), free(fp), free(dave);
  teardown(&f);
}

/* ---------- carry-forward ---------- */

Test(signoff, decisions_carry_forward_while_the_evidence_is_unchanged) {
  fx f;
  setup(&f);
  cr_assert_eq(decide(&f, "2.2", "accept", 0, "auditor"), 0, "%s", diags(&f));
  cr_assert_eq(decide(&f, "2.2", "accept", 1, "auditor"), 0, "%s", diags(&f));
  cr_assert_eq(decide(&f, "2.2", "accept", 2, "medical_professional"), 0, "%s", diags(&f));
  /* next year's surveillance: the same package */
  check_pkg(&f, 1);
  reopen(&f);
  sh_reviewed_run *rr = load_run(&f, 2);
  const sh_item_review *ir = sh_review_for(rr->state, rr->snap->eval, res(rr, "2.2"));
  cr_assert_eq(res(rr, "2.2")->verdict, SH_V_SATISFIED);
  cr_assert_eq(ir->carried, 3);
  cr_assert_eq(ir->stale, 0);
  sh_reviewed_run_free(rr);
  /* the board rules document changes: every decision on the manual item is stale, naming the document */
  char *doc = sh_path_join(f.pkg, "docs/isms.txt");
  FILE *fp = fopen(doc, "ab");
  fputs("改訂\n", fp);
  fclose(fp);
  char hx[65];
  cr_assert_eq(sh_sha256_file(doc, 1 << 20, hx), 0);
  char *cmd = sh_printf("sed -i 's/0f4d2fe61ecd7508bedd68db11c9ac94ac6f15e30de80db8e210d91c0f01c74b/%s/' '%s/evidence.yaml'",
                        hx, f.pkg);
  cr_assert_eq(system(cmd), 0);
  check_pkg(&f, 1);
  reopen(&f);
  rr = load_run(&f, 3);
  ir = sh_review_for(rr->state, rr->snap->eval, res(rr, "2.2"));
  char *why = all_reasons(res(rr, "2.2"));
  cr_assert_eq(res(rr, "2.2")->verdict, SH_V_NEEDS_REVIEW, "%s", why);
  cr_assert_eq(ir->stale, 3);
  cr_assert(strstr(why, "stale: evidence changed since the decision (run 1): document docs/isms.txt: sha256:0f4d2f"), "%s", why);
  free(why);
  /* the same reasons in a Japanese report: what changed is named in Japanese too */
  sh_buf ja = {0};
  for (size_t i = 0; i < res(rr, "2.2")->reasons.n; i++) {
    char *t = sh_reason_text(res(rr, "2.2")->reasons.v[i], "ja");
    sh_buf_printf(&ja, "%s\n", t);
    free(t);
  }
  cr_assert(strstr(sh_buf_str(&ja), "文書 docs/isms.txt: sha256:0f4d2f"), "%s", sh_buf_str(&ja));
  cr_assert_null(strstr(sh_buf_str(&ja), "document docs/"), "%s", sh_buf_str(&ja));
  cr_assert_null(strstr(sh_buf_str(&ja), "stale"), "%s", sh_buf_str(&ja));
  sh_buf_free(&ja);
  sh_reviewed_run_free(rr);
  free(cmd);
  free(doc);
  teardown(&f);
}

/* ---------- waivers and the time zone ---------- */

static int waive(fx *f, const char *expires, int who) {
  sh_waiver w = {.run_id = 1};
  w.framework_id = "test-fw", w.item_id = "1.2", w.approver = (char *)names[who];
  w.justification = "移行中", w.scope = "全体", w.expires = (char *)expires;
  sh_sign_opts o = {.key_file = f->key[who]};
  char *payload = NULL;
  int64_t id;
  sh_diags call = {0};
  int rc = exit_of(f, sh_signoff_waiver(f->s, f->datadir, &w, &o, &payload, &id, &call), &call);
  free(payload);
  free(w.applicant), free(w.fw_version), free(w.basis), free(w.evidence_fp), free(w.recorded_at), free(w.signature);
  return rc;
}

static sh_waiver_state waiver_now(fx *f) {
  sh_reviewed_run *rr = sh_reviewed_run_load_tz(f->s, 1, f->datadir, NULL, NULL, &f->d);
  cr_assert(rr, "%s", diags(f));
  sh_waiver_state st = sh_review_for(rr->state, rr->snap->eval, res(rr, "1.2"))->waiver_state;
  sh_reviewed_run_free(rr);
  return st;
}

Test(signoff, waiver_expiry_is_a_calendar_day_in_japan) {
  fx f;
  setup(&f);
  unsetenv("SHINSA_TZ");
  /* 2026-03-31 23:59 JST */
  setenv("SHINSA_NOW", "2026-03-31T14:59:00Z", 1);
  cr_assert_eq(waive(&f, "2026-03-30", 0), SH_EXIT_USAGE);
  cr_assert(strstr(diags(&f), "the expiry date 2026-03-30 is in the past (today is 2026-03-31 in Asia/Tokyo)"), "%s",
            diags(&f));
  cr_assert_eq(waive(&f, "2026-03-31", 0), 0, "%s", diags(&f));
  cr_assert_eq(waiver_now(&f), SH_WAIVER_ACTIVE, "its last day, one minute before midnight in Tokyo");
  /* 2026-04-01 00:00 JST (still 2026-03-31 in UTC) */
  setenv("SHINSA_NOW", "2026-03-31T15:00:00Z", 1);
  cr_assert_eq(waiver_now(&f), SH_WAIVER_EXPIRED, "midnight in Tokyo ends it, though UTC is still on the 31st");
  cr_assert_eq(waive(&f, "2026-03-31", 0), SH_EXIT_USAGE);
  /* the same instant judged in UTC */
  setenv("SHINSA_TZ", "UTC", 1);
  cr_assert_eq(waiver_now(&f), SH_WAIVER_ACTIVE);
  unsetenv("SHINSA_TZ");
  /* revocation */
  setenv("SHINSA_NOW", "2026-03-31T14:00:00Z", 1);
  cr_assert_eq(waiver_now(&f), SH_WAIVER_ACTIVE);
  cr_assert_eq(f.s->ops->revoke_waiver(f.s, 1, "mallory", "no", &f.d), -1);
  cr_assert_eq(f.s->ops->revoke_waiver(f.s, 1, "bob", "取り消し", &f.d), 0, "%s", diags(&f));
  cr_assert_eq(f.s->ops->revoke_waiver(f.s, 1, "bob", "again", &f.d), -1);
  cr_assert_eq(waiver_now(&f), SH_WAIVER_REVOKED);
  unsetenv("SHINSA_NOW");
  teardown(&f);
}

/* ---------- anchors ---------- */

/* sh_anchor_verify's exit code (exit_of); its diagnostics are kept in f->d. */
static int anchor_check(fx *f, const char *anchor, int signer) {
  char *pub = sh_printf("%s.pub", f->key[signer]);
  char *text = slurp(pub);
  sh_diags call = {0};
  int rc = exit_of(f, sh_anchor_verify(f->s, anchor, "anchor.txt", text, pub, &call), &call);
  free(text);
  free(pub);
  return rc;
}

Test(signoff, anchor_detects_rows_removed_and_a_rewritten_log) {
  fx f;
  setup(&f);
  cr_assert_eq(decide(&f, "2.2", "accept", 0, "auditor"), 0, "%s", diags(&f));
  cr_assert_eq(decide(&f, "2.2", "reject", 1, "auditor"), 0, "%s", diags(&f));
  char *anchor = NULL;
  cr_assert_eq(sh_anchor_make(f.s, f.key[2], &anchor, &f.d), 0, "%s", diags(&f));
  cr_assert(strstr(anchor, "shinsa-anchor/1\n"), "%s", anchor);
  cr_assert_eq(anchor_check(&f, anchor, 2), 0, "%s", diags(&f));
  /* another key's public half does not verify the anchor */
  cr_assert_eq(anchor_check(&f, anchor, 3), SH_EXIT_INVALID);
  sh_diags_free(&f.d);
  /* later writes are fine */
  cr_assert_eq(decide(&f, "2.2", "accept", 2, "medical_professional"), 0, "%s", diags(&f));
  cr_assert_eq(anchor_check(&f, anchor, 2), 0, "%s", diags(&f));
  /* cut back: remove bob's reject and every audit row from it on, as if never written; the chain
   * that remains is intact, so only the anchor can tell */
  sh_store_close(f.s);
  f.s = NULL;
  sql(f.db, "DELETE FROM audit_log WHERE seq >= (SELECT seq FROM audit_log WHERE kind = 'review' AND ref = 2);"
            "DELETE FROM reviews WHERE id >= 2; UPDATE sqlite_sequence SET seq = (SELECT max(seq) FROM audit_log)"
            " WHERE name = 'audit_log'");
  reopen(&f);
  sh_log_status st = {0};
  cr_assert_eq(f.s->ops->verify_log(f.s, &st, &f.d), 0, "the log alone looks intact: %s", st.problem);
  sh_log_status_clear(&st);
  cr_assert_eq(anchor_check(&f, anchor, 2), SH_EXIT_FINDINGS);
  cr_assert(strstr(diags(&f), "rows were removed after the anchor was made"), "%s", diags(&f));
  sh_diags_free(&f.d);
  /* rewritten: new history written over the removed rows */
  cr_assert_eq(decide(&f, "2.2", "accept", 1, "auditor"), 0, "%s", diags(&f));
  cr_assert_eq(f.s->ops->verify_log(f.s, &st, &f.d), 0, "%s", st.problem);
  sh_log_status_clear(&st);
  cr_assert_eq(anchor_check(&f, anchor, 2), SH_EXIT_FINDINGS);
  cr_assert(strstr(diags(&f), "the log was rewritten after the anchor was made"), "%s", diags(&f));
  free(anchor);
  teardown(&f);
}

/* ---------- regression gate ---------- */

static int check_baseline(fx *f, const char *baseline, bool with_db, char **err) {
  const char *a1[] = {"check", "--data-dir", f->datadir, "--db", f->db, "--baseline", baseline, f->pkg, NULL};
  const char *a2[] = {"check", "--data-dir", f->datadir, "--baseline", baseline, f->pkg, NULL};
  return th_run(NULL, err, with_db ? a1 : a2);
}

Test(signoff, baseline_gate_lists_every_item_worse_than_before) {
  fx f;
  setup(&f);
  /* 2.2 accepted by the full quorum in run 1: its effective verdict there is satisfied */
  cr_assert_eq(decide(&f, "2.2", "accept", 0, "auditor"), 0, "%s", diags(&f));
  cr_assert_eq(decide(&f, "2.2", "accept", 1, "auditor"), 0, "%s", diags(&f));
  cr_assert_eq(decide(&f, "2.2", "accept", 2, "medical_professional"), 0, "%s", diags(&f));
  const char *rep[] = {"report", "1", "--db", f.db, "--data-dir", f.datadir, "--format", "json", "--out", NULL, NULL};
  char *json = sh_path_join(f.dir, "base.json");
  rep[9] = json;
  cr_assert_eq(th_run(NULL, NULL, rep), 1);
  /* the same package again: the decisions carry forward, nothing is worse (exit 0 despite the findings) */
  char *err = NULL;
  cr_assert_eq(check_baseline(&f, "1", true, &err), 0, "%s", err);
  cr_assert(strstr(err, "recorded as run 2"), "%s", err);
  cr_assert(strstr(err, "no item is worse than in the baseline run 1"), "%s", err);
  free(err);
  /* the certificate document changes (2.2's decisions go stale) and sec.certs is dropped (1.1 fails) */
  char *doc = sh_path_join(f.pkg, "docs/isms.txt");
  FILE *fp = fopen(doc, "ab");
  fputs("改訂\n", fp);
  fclose(fp);
  char hx[65];
  cr_assert_eq(sh_sha256_file(doc, 1 << 20, hx), 0);
  char *cmd = sh_printf("sed -i -e 's/0f4d2fe61ecd7508bedd68db11c9ac94ac6f15e30de80db8e210d91c0f01c74b/%s/'"
                        " -e 's/sec.certs: \\[isms\\]/sec.certs: []/' '%s/evidence.yaml'", hx, f.pkg);
  cr_assert_eq(system(cmd), 0);
  cr_assert_eq(check_baseline(&f, "1", true, &err), 1, "%s", err);
  cr_assert(strstr(err, "worse than the baseline run 1: test-fw:1.1: satisfied -> not_satisfied"), "%s", err);
  cr_assert(strstr(err, "worse than the baseline run 1: test-fw:2.2: satisfied -> needs_review"), "%s", err);
  free(err);
  /* the same against the JSON report of run 1, without a database */
  cr_assert_eq(check_baseline(&f, json, false, &err), 1, "%s", err);
  cr_assert(strstr(err, "test-fw:1.1: satisfied -> not_satisfied"), "%s", err);
  free(err);
  /* a baseline run without --db, and a file that is no report */
  cr_assert_eq(check_baseline(&f, "1", false, &err), 2, "%s", err);
  free(err);
  cr_assert_eq(check_baseline(&f, doc, false, &err), 3, "%s", err);
  cr_assert(strstr(err, "not a shinsa-check/1 JSON report"), "%s", err);
  free(err);
  free(cmd);
  free(doc);
  free(json);
  teardown(&f);
}

/* ---------- the command line ---------- */

Test(signoff, command_line_roster_and_detached_signature) {
  fx f;
  setup(&f);
  char *out = NULL, *err = NULL;
  char *pub = sh_printf("%s.pub", f.key[3]);
  const char *bad_role[] = {"reviewer", "add", "--db", f.db, "--data-dir", f.datadir, "--role", "ceo", "--key", pub,
                            "mallory", NULL};
  cr_assert_eq(th_run(NULL, &err, bad_role), 2);
  cr_assert(strstr(err, "unknown role 'ceo'"), "%s", err);
  free(err);
  const char *list[] = {"reviewer", "list", "--db", f.db, NULL};
  cr_assert_eq(th_run(&out, NULL, list), 0);
  cr_assert(strstr(out, "alice\tactive\troles: auditor\tkey: SHA256:"), "%s", out);
  cr_assert(!strstr(out, "mallory"), "%s", out);
  free(out);
  /* unregistered reviewer on the command line */
  const char *unreg[] = {"review", "1", "test-fw:2.2", "--decision", "accept", "--reviewer", "mallory", "--role",
                         "auditor", "--key", f.key[3], "--data-dir", f.datadir, "--db", f.db, NULL};
  cr_assert_eq(th_run(NULL, &err, unreg), 2);
  cr_assert(strstr(err, "mallory is not a registered reviewer"), "%s", err);
  free(err);
  /* --print-payload, signed by ssh-keygen as the reviewer would, then --signature --time */
  const char *pp[] = {"review", "1", "test-fw:2.2", "--decision", "accept", "--reviewer", "bob", "--role", "auditor",
                      "--print-payload", "--time", "2026-01-05T01:02:03Z", "--data-dir", f.datadir, "--db", f.db, NULL};
  cr_assert_eq(th_run(&out, &err, pp), 0, "%s", err);
  cr_assert(strstr(err, "--signature payload.txt.sig --time 2026-01-05T01:02:03Z"), "%s", err);
  free(err);
  char *pfile = th_write(f.dir, "p.txt", out);
  char *cmd = sh_printf("ssh-keygen -q -Y sign -n shinsa -f '%s' '%s' >/dev/null 2>&1", f.key[1], pfile);
  cr_assert_eq(system(cmd), 0);
  char *sig = sh_printf("%s.sig", pfile);
  const char *rs[] = {"review", "1", "test-fw:2.2", "--decision", "accept", "--reviewer", "bob", "--role", "auditor",
                      "--signature", sig, "--time", "2026-01-05T01:02:03Z", "--data-dir", f.datadir, "--db", f.db, NULL};
  free(out);
  cr_assert_eq(th_run(&out, &err, rs), 0, "%s", err);
  cr_assert(strstr(out, "review 1 recorded: accept test-fw:2.2 by bob (auditor), signed"), "%s", out);
  free(out), free(err);
  /* the same signature for alice: refused (exit 3) */
  const char *as_alice[] = {"review", "1", "test-fw:2.2", "--decision", "accept", "--reviewer", "alice", "--role",
                            "auditor", "--signature", sig, "--time", "2026-01-05T01:02:03Z", "--data-dir", f.datadir,
                            "--db", f.db, NULL};
  cr_assert_eq(th_run(NULL, &err, as_alice), 3, "%s", err);
  free(err);
  /* log verify checks the chain and the signature; log anchor + verify --anchor */
  char *anchor = sh_path_join(f.dir, "a.anchor");
  char *bpub = sh_printf("%s.pub", f.key[2]);
  const char *an[] = {"log", "anchor", "--db", f.db, "--key", f.key[2], "--out", anchor, NULL};
  cr_assert_eq(th_run(NULL, &err, an), 0, "%s", err);
  free(err);
  const char *lv[] = {"log", "verify", "--db", f.db, "--anchor", anchor, "--pubkey", bpub, NULL};
  cr_assert_eq(th_run(&out, &err, lv), 0, "%s", err);
  cr_assert(strstr(out, "signatures verified: 1 decision"), "%s", out);
  cr_assert(strstr(out, "anchor ") && strstr(out, " matches"), "%s", out);
  free(out), free(err);
  sql(f.db, "UPDATE reviews SET note = 'changed' WHERE id = 1");
  cr_assert_eq(th_run(&out, &err, lv), 1);
  free(out), free(err);
  free(anchor), free(bpub), free(sig), free(cmd), free(pfile), free(pub);
  teardown(&f);
}

/* ---------- diff with decisions, waivers and effective verdicts ---------- */

Test(signoff, diff_shows_decisions_waivers_effective_verdicts_and_other_applicants) {
  fx f;
  setup(&f);
  setenv("SHINSA_NOW", "2026-10-01T00:00:00Z", 1);
  cr_assert_eq(decide(&f, "2.2", "accept", 0, "auditor"), 0, "%s", diags(&f));
  cr_assert_eq(decide(&f, "2.2", "accept", 1, "auditor"), 0, "%s", diags(&f));
  cr_assert_eq(decide(&f, "2.2", "accept", 2, "medical_professional"), 0, "%s", diags(&f));
  cr_assert_eq(waive(&f, "2026-12-31", 0), 0, "%s", diags(&f));
  check_pkg(&f, 1);
  char *out = NULL, *err = NULL;
  const char *d12[] = {"diff", "1", "2", "--db", f.db, "--data-dir", f.datadir, "--lang", "en", NULL};
  cr_assert_eq(th_run(&out, &err, d12), 0, "decisions and the waiver carry forward: %s%s", out, err);
  cr_assert(strstr(out, "differences: 0"), "%s", out);
  free(out), free(err);
  /* the package's document changes: the decisions and the waiver on 2.2 / 1.2 go stale */
  char *doc = sh_path_join(f.pkg, "docs/isms.txt");
  FILE *fp = fopen(doc, "ab");
  fputs("改訂\n", fp);
  fclose(fp);
  char hx[65];
  cr_assert_eq(sh_sha256_file(doc, 1 << 20, hx), 0);
  char *cmd = sh_printf("sed -i -e 's/0f4d2fe61ecd7508bedd68db11c9ac94ac6f15e30de80db8e210d91c0f01c74b/%s/'"
                        " -e 's/tls_min: tls11/tls_min: tls10/' '%s/evidence.yaml'", hx, f.pkg);
  cr_assert_eq(system(cmd), 0);
  check_pkg(&f, 1);
  const char *d13[] = {"diff", "1", "3", "--db", f.db, "--data-dir", f.datadir, "--lang", "en", NULL};
  cr_assert_eq(th_run(&out, &err, d13), 1, "%s", err);
  cr_assert(strstr(out, "Verdicts (with reviews and waivers applied):\n"), "%s", out);
  cr_assert(strstr(out, "~ test-fw:2.2: satisfied -> needs review"), "%s", out);
  cr_assert(strstr(out, "- test-fw:2.2: alice (auditor) accept; bob (auditor) accept; carol (medical_professional) accept"),
            "%s", out);
  cr_assert(strstr(out, "Waivers:\n  ~ test-fw:1.2: alice until 2026-12-31: active -> alice until 2026-12-31: not counted (signature or evidence does not hold)"),
            "%s", out);
  free(out), free(err);
  /* another applicant */
  cr_assert_eq(system("true"), 0);
  char *cmd2 = sh_printf("sed -i 's/name: テスト株式会社/name: 別会社/' '%s/evidence.yaml'", f.pkg);
  cr_assert_eq(system(cmd2), 0);
  check_pkg(&f, 1);
  const char *d14[] = {"diff", "1", "4", "--db", f.db, "--data-dir", f.datadir, "--lang", "en", NULL};
  cr_assert_eq(th_run(&out, &err, d14), 1);
  cr_assert(strstr(out, "warning: the runs are of different applicants (テスト株式会社, 別会社)"), "%s", out);
  cr_assert(strstr(err, "runs 1 and 4 are of different applicants"), "%s", err);
  free(out), free(err);
  unsetenv("SHINSA_NOW");
  free(cmd), free(cmd2), free(doc);
  teardown(&f);
}
