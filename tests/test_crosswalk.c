/* Tests of the crosswalk: classes A/B/C/D/unknown with witnesses on fixture frameworks, curated relations
 * and their conflicts, carry-over with valid and expired certifications, and the named examples of seed 002
 * on the bundled frameworks. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "carryover.h"
#include "crosswalk_report.h"
#include "helpers.h"
#include "texttable.h"

static sh_registry *R;
static sh_xw_curated *CUR;
static sh_logic_ctx *LC;
static sh_crosswalk *XW;
static char *DIR_;

static char *data_path(const char *rel) {
  const char *dir = getenv("SHINSA_TEST_DATA");
  cr_assert(dir, "SHINSA_TEST_DATA not set");
  return sh_path_join(dir, rel);
}

static void setup(void) {
  DIR_ = data_path("crosswalk");
  sh_diags d = {0};
  R = sh_registry_load(DIR_, &d);
  sh_diags_print(&d, stderr, false);
  cr_assert(R && d.nerrors == 0, "fixture registry did not load");
  char *xd = sh_crosswalk_dir(DIR_);
  CUR = sh_xw_curated_load_dir(xd, &d);
  free(xd);
  cr_assert_eq(d.nerrors, 0);
  sh_diags_free(&d);
  LC = sh_logic_new(R->vocab, NULL);
  XW = sh_crosswalk_compute(LC, sh_registry_find(R, "xw-src"), sh_registry_find(R, "xw-tgt"),
                            sh_xw_curated_find(CUR, "xw-src", "xw-tgt"));
}

static void teardown(void) {
  sh_crosswalk_free(XW);
  sh_logic_free(LC);
  sh_xw_curated_free(CUR);
  sh_registry_free(R);
  free(DIR_);
}

static const sh_xw_result *res(const char *id) {
  const sh_xw_result *r = sh_crosswalk_result(XW, id);
  cr_assert(r, "no result for %s", id);
  return r;
}

/* The witness ids joined with ", ". Caller frees. */
static char *wit(const sh_vec *v) {
  sh_buf b = {0};
  for (size_t i = 0; i < v->n; i++) sh_buf_printf(&b, "%s%s", i ? ", " : "", ((const sh_item *)v->v[i])->id);
  return sh_buf_steal(&b);
}

#define EXPECT_CLASS(id, want, wexp)                                                              \
  do {                                                                                                \
    const sh_xw_result *r_ = res(id);                                                                 \
    char *w_ = wit(&r_->witnesses);                                                                   \
    cr_expect_eq(r_->cls, want, "%s: class %s, expected %s", id, sh_xw_class_name(r_->cls), sh_xw_class_name(want)); \
    cr_expect_str_eq(w_, wexp, "%s witnesses", id);                                              \
    free(w_);                                                                                         \
  } while (0)

TestSuite(crosswalk, .init = setup, .fini = teardown);

Test(crosswalk, classes_and_witnesses) {
  EXPECT_CLASS("t-a", SH_XW_A, "s-certs");         /* source demands a subset of the values, and more */
  EXPECT_CLASS("t-b", SH_XW_B, "s-tls");           /* in [tls12, tls13] == not in [tls10, tls11] */
  EXPECT_CLASS("t-c", SH_XW_C, "");
  EXPECT_CLASS("t-d", SH_XW_D, "");
  EXPECT_CLASS("t-cond", SH_XW_B, "s-cond");       /* same applicability: effective requirement is require */
  EXPECT_CLASS("t-cond2", SH_XW_C, "");            /* s-cond binds only information banks */
  EXPECT_CLASS("t-manual", SH_XW_B, "s-manual");   /* curated */
  EXPECT_CLASS("t-manual2", SH_XW_UNKNOWN, "");    /* manual, no curated relation */
  cr_expect(res("t-manual")->from_curated);
  cr_expect(!res("t-a")->from_curated && !res("t-a")->conflict);
  cr_expect(res("t-a")->counter_model != NULL, "A comes with a counter-model for the back implication");
}

Test(crosswalk, many_to_many_witnesses_are_minimal) {
  /* board.established (from board.medical_members >= 1 by the vocabulary), members >= 2, retention >= 30:
   * three source items together; s-certs also gives board.established but is not needed. */
  EXPECT_CLASS("t-multi", SH_XW_A, "s-ret, s-board, s-members");
}

Test(crosswalk, c_lists_unmet_conditions) {
  const sh_xw_result *r = res("t-c");
  cr_assert_eq(r->unmet.n, 2);
  cr_expect_str_eq(((const sh_clause *)r->unmet.v[0])->clause, "retention.days >= 400");
  cr_expect_str_eq(((const sh_clause *)r->unmet.v[1])->clause, "sec.tls_min = tls13");
  char *o = wit(&r->overlap);
  cr_expect_str_eq(o, "s-tls, s-ret");
  free(o);
}

Test(crosswalk, weaker_strength_cannot_witness) {
  const sh_xw_result *r = res("t-weak");
  cr_expect_eq(r->cls, SH_XW_C);
  cr_expect_eq(r->witnesses.n, 0);
  char *w = wit(&r->weaker);
  cr_expect_str_eq(w, "s-should");
  free(w);
}

Test(crosswalk, totals_and_json) {
  cr_expect_eq(XW->totals[SH_XW_A], 2);
  cr_expect_eq(XW->totals[SH_XW_B], 3);
  cr_expect_eq(XW->totals[SH_XW_C], 3);
  cr_expect_eq(XW->totals[SH_XW_D], 1);
  cr_expect_eq(XW->totals[SH_XW_UNKNOWN], 1);
  char *j = sh_crosswalk_render(XW, SH_XWF_JSON, "en");
  cr_expect(strstr(j, "\"totals\":{\"A\":2,\"B\":3,\"C\":3,\"D\":1,\"unknown\":1}"), "%s", j);
  cr_expect(strstr(j, "{\"id\":\"t-multi\",\"class\":\"A\",\"witnesses\":[\"s-ret\",\"s-board\",\"s-members\"]"), "%s", j);
  cr_expect(strstr(j, "\"published\":null"));
  free(j);
  char *h = sh_crosswalk_render(XW, SH_XWF_HTML, "ja");
  /* the totals as a chart beside their table, then the item table (the writer of report_html.h) */
  cr_expect(strstr(h, "<svg class=\"chart\""), "the A/B/C/D totals as a chart");
  cr_expect(strstr(h, "<table class=\"counts\">") && strstr(h, "<tr><td>A</td><td class=\"n\">2</td></tr>"), "%s", h);
  cr_expect(strstr(h, "<tr><td class=\"id\">t-multi</td>") && strstr(h, "<td class=\"st\">A</td><td>s-ret, s-board, s-members</td>"),
            "%s", h);
  cr_expect(strstr(h, "@bottom-center{content:") && !strstr(h, "<ul>"), "%s", h);
  free(h);
  char *c = sh_crosswalk_render(XW, SH_XWF_CSV, "en");
  cr_expect(strstr(c, "\r\nt-b,B,s-tls,"), "%s", c); /* quoted only when needed (sh_csv_cell) */
  free(c);
}

Test(crosswalk, curated_conflict_is_a_lint_error_at_the_entry) {
  char *path = data_path("crosswalk/conflict.yaml");
  sh_diags d = {0};
  sh_xw_curated cur = {0};
  sh_xw_curated_file *f = sh_xw_curated_load_file(path, &d);
  cr_assert(f && d.nerrors == 0);
  sh_vec_push(&cur.files, f);
  cr_assert_eq(sh_crosswalk_lint(R, &cur, &d), 1);
  const sh_diag *e = &d.v[0];
  cr_expect_str_eq(e->file, path);
  cr_expect_eq(e->line, 12); /* the `relation: equal` of t-a */
  cr_expect_eq(e->col, 15);
  cr_expect(strstr(e->msg, "t-a") && strstr(e->msg, "derived class A"), "%s", e->msg);
  sh_vec_free_all(&cur.files, sh_xw_curated_file_free);
  sh_diags_free(&d);
  free(path);
}

Test(crosswalk, curated_structure_errors) {
  char *path = data_path("crosswalk/bad.yaml");
  sh_diags d = {0};
  sh_xw_curated_file *f = sh_xw_curated_load_file(path, &d);
  cr_expect_null(f);
  cr_assert_eq(d.nerrors, 2);
  cr_expect(strstr(d.v[0].msg, "unknown relation 'overlaps'") && d.v[0].line == 8 && d.v[0].col == 15);
  cr_expect(strstr(d.v[1].msg, "unknown rationale 'intuition'") && d.v[1].line == 13);
  sh_diags_free(&d);
  /* Unknown item ids are lint errors (the file itself is well-formed). */
  sh_xw_curated cur = {0};
  sh_xw_curated_file g = {.file = path, .from = "xw-src", .to = "xw-tgt"};
  sh_xw_relation rel = {.target = "t-nope", .cls = SH_XW_B, .relation = "equal", .file = path, .line = 14, .col = 5};
  sh_vec_push(&g.relations, &rel);
  sh_vec_push(&cur.files, &g);
  cr_expect_eq(sh_crosswalk_lint(R, &cur, &d), 1);
  cr_expect(d.n && strstr(d.v[0].msg, "unknown item 't-nope'") && d.v[0].line == 14);
  sh_vec_free(&g.relations);
  sh_vec_free(&cur.files);
  sh_diags_free(&d);
  free(path);
}

static sh_evaluation *check_package(const char *pkg, sh_carryover **co, sh_evidence **ev) {
  char *dir = data_path(pkg);
  sh_diags d = {0};
  *ev = sh_evidence_load(R->vocab, dir, &d);
  sh_diags_print(&d, stderr, false);
  cr_assert(*ev, "evidence %s did not load", pkg);
  sh_diags_free(&d);
  free(dir);
  *co = sh_carryover_new(R, CUR);
  const sh_framework *t = sh_registry_find(R, "xw-tgt");
  sh_eval_options o = {.cover = sh_carryover_cover, .cover_ctx = *co};
  sh_evaluation *e = sh_evaluate(*ev, &t, 1, &o);
  sh_carryover_findings(*co, e);
  return e;
}

static const sh_result *verdict_of(const sh_evaluation *e, const char *id) {
  for (size_t i = 0; i < e->results.n; i++) {
    const sh_result *r = e->results.v[i];
    if (strcmp(r->item->id, id) == 0) return r;
  }
  cr_assert(false, "no result for %s", id);
  return NULL;
}

Test(crosswalk, carry_over_with_valid_certification) {
  sh_carryover *co;
  sh_evidence *ev;
  sh_evaluation *e = check_package("crosswalk/evidence-valid", &co, &ev);
  const sh_result *b = verdict_of(e, "t-b");
  cr_expect_eq(b->verdict, SH_V_COVERED, "t-b: %s", sh_verdict_name(b->verdict)); /* tls10 declared, yet covered */
  cr_assert_eq(b->witnesses.n, 1);
  cr_expect_str_eq(b->witnesses.v[0], "xw-src:s-tls");
  const sh_result *m = verdict_of(e, "t-multi");
  cr_expect_eq(m->verdict, SH_V_COVERED);
  cr_expect_eq(m->witnesses.n, 3);
  cr_expect_eq(verdict_of(e, "t-manual")->verdict, SH_V_COVERED);
  cr_expect_eq(verdict_of(e, "t-c")->verdict, SH_V_NOT_SATISFIED); /* class C: evaluated */
  cr_expect_neq(verdict_of(e, "t-d")->verdict, SH_V_COVERED);
  cr_expect_eq(e->findings.n, 0);
  cr_expect_eq(e->counts[SH_V_COVERED], 4);
  sh_evaluation_free(e);
  sh_carryover_free(co);
  sh_evidence_free(ev);
}

Test(crosswalk, carried_over_items_name_the_kind_and_the_certificate) {
  sh_carryover *co;
  sh_evidence *ev;
  sh_evaluation *e = check_package("crosswalk/evidence-valid", &co, &ev);
  const sh_result *b = verdict_of(e, "t-b");
  cr_assert_eq(b->verdict, SH_V_COVERED);
  const sh_reason *r = b->reasons.v[b->reasons.n - 1];
  cr_expect(strstr(r->message, "(P certification (P認定), valid until 2027-03-31, certificate docs/xw-certificate.txt sha256 "), "%s",
            r->message);
  sh_evaluation_free(e);
  sh_carryover_free(co);
  sh_evidence_free(ev);
}

Test(crosswalk, no_carry_over_without_the_certificate_document) {
  sh_carryover *co;
  sh_evidence *ev;
  sh_evaluation *e = check_package("crosswalk/evidence-nocert", &co, &ev);
  cr_expect_eq(e->counts[SH_V_COVERED], 0);
  cr_expect_eq(verdict_of(e, "t-b")->verdict, SH_V_NOT_SATISFIED);
  cr_assert_eq(e->findings.n, 1);
  const sh_reason *f = e->findings.v[0];
  cr_expect(strstr(f->message, "certification xw-src No. XW-0001 (regular certification (通常認定)): no certificate document") &&
                strstr(f->message, "nothing is carried over"),
            "%s", f->message);
  sh_evaluation_free(e);
  sh_carryover_free(co);
  sh_evidence_free(ev);
}

Test(crosswalk, no_carry_over_from_expired_certification) {
  sh_carryover *co;
  sh_evidence *ev;
  sh_evaluation *e = check_package("crosswalk/evidence-expired", &co, &ev);
  cr_expect_eq(e->counts[SH_V_COVERED], 0);
  cr_expect_eq(verdict_of(e, "t-b")->verdict, SH_V_NOT_SATISFIED);
  cr_assert_eq(e->findings.n, 1);
  const sh_reason *f = e->findings.v[0];
  cr_expect(strstr(f->message, "expired on 2026-03-31") && strstr(f->message, "XW-0001"), "%s", f->message);
  cr_expect(strstr(f->message, "evidence.yaml:10:5"), "%s", f->message);
  sh_evaluation_free(e);
  sh_carryover_free(co);
  sh_evidence_free(ev);
}

/* ---------- the bundled frameworks: the examples of seed 002 ---------- */

/* The bundled data and its curated crosswalks (the registry's crosswalk folders, published figures cited by title),
 * with infobank-v3 -> phr-2023 computed. */
typedef struct {
  sh_diags d;
  sh_registry *reg;
  const sh_framework *ib, *phr;
  sh_xw_curated *cur;
  sh_logic_ctx *lc;
  sh_crosswalk *xw;
} bundled_fx;

static void bundled_open(bundled_fx *b) {
  const char *root = getenv("SHINSA_SOURCE_ROOT");
  cr_assert(root);
  memset(b, 0, sizeof *b);
  b->reg = sh_registry_load(root, &b->d);
  sh_diags_print(&b->d, stderr, false);
  cr_assert(b->reg, "bundled data did not load");
  b->ib = sh_registry_find(b->reg, "infobank-v3"), b->phr = sh_registry_find(b->reg, "phr-2023");
  cr_assert(b->ib && b->phr, "infobank-v3 and phr-2023 are bundled");
  b->cur = sh_xw_curated_load_registry(b->reg, NULL, 0, &b->d);
  cr_assert_eq(b->d.nerrors, 0);
  b->lc = sh_logic_new(b->reg->vocab, NULL);
  b->xw = sh_crosswalk_compute(b->lc, b->ib, b->phr, sh_xw_curated_find(b->cur, "infobank-v3", "phr-2023"));
}

static void bundled_close(bundled_fx *b) {
  sh_crosswalk_free(b->xw);
  sh_logic_free(b->lc);
  sh_xw_curated_free(b->cur);
  sh_registry_free(b->reg);
  sh_diags_free(&b->d);
}

Test(bundled, seed_002_examples) {
  bundled_fx b;
  bundled_open(&b);
  sh_registry *reg = b.reg;
  const sh_framework *ib = b.ib;
  sh_xw_curated *cur = b.cur;
  sh_logic_ctx *lc = b.lc;
  sh_crosswalk *xw = b.xw;
  const sh_xw_result *r = sh_crosswalk_result(xw, "3.2/3-2");
  cr_assert(r);
  cr_expect_eq(r->cls, SH_XW_A);
  cr_expect(!r->from_curated);
  cr_assert(r->witnesses.n >= 1);
  cr_expect(sh_str_startswith(((const sh_item *)r->witnesses.v[0])->id, "5.4.1④/"));
  /* One requirement for the six numbers of 002: the witness still names all of them. */
  cr_expect_str_eq(((const sh_item *)r->witnesses.v[0])->id, "5.4.1④/M01、M02、No.130〜133");
  r = sh_crosswalk_result(xw, "3.3/3-1");
  cr_assert(r);
  cr_expect_eq(r->cls, SH_XW_C);
  bool no86 = false, inactive = false;
  for (size_t i = 0; i < r->overlap.n; i++) no86 |= strcmp(((const sh_item *)r->overlap.v[i])->id, "5.3.3⑦/No.86") == 0;
  for (size_t i = 0; i < r->unmet.n; i++) inactive |= strstr(((const sh_clause *)r->unmet.v[i])->clause, "retention.inactive_deletion") != NULL;
  cr_expect(no86, "5.3.3⑦/No.86 overlaps 3.3/3-1");
  cr_expect(inactive, "deletion after non-use is unmet");
  /* 002 lines 204-205: deletion after non-use is the only gap; the other two kinds of deletion are covered. */
  cr_expect_eq(r->unmet.n, 1, "only deletion after non-use is unmet");
  cr_expect_eq(sh_crosswalk_result(xw, "4.2/1-1")->cls, SH_XW_D);
  cr_expect_eq(sh_crosswalk_result(xw, "4.2/1-2")->cls, SH_XW_D);
  r = sh_crosswalk_result(xw, "2.2/1-1");
  cr_assert(r);
  cr_expect(r->cls == SH_XW_A || r->cls == SH_XW_B);
  /* No.6 names certification only as an example (002 lines 141-145); x-3-03 requires it (000 lines 2043-2046). */
  cr_expect_str_eq(((const sh_item *)r->witnesses.v[0])->id, "x-3-03");
  cr_expect_eq(xw->nconflicts, 0);
  char *j = sh_crosswalk_render(xw, SH_XWF_JSON, "en");
  cr_expect(strstr(j, "\"published\":{\"A\":36,\"B\":100,\"C\":2,\"D\":7,\"total\":145,\"covered\":136"), "%s", j);
  free(j);
  /* The Act: every item gets a class, and the totals add up. */
  const sh_framework *act = sh_registry_find(reg, "medical-infra-act");
  if (act) {
    sh_crosswalk *x2 = sh_crosswalk_compute(lc, ib, act, sh_xw_curated_find(cur, "infobank-v3", "medical-infra-act"));
    size_t sum = 0;
    for (int k = 0; k < SH_XW__COUNT; k++) sum += x2->totals[k];
    cr_expect_eq(sum, act->items.n);
    /* Issue 15: written row by row from seed 000's table; no item left unknown, no conflict. */
    cr_expect_leq(x2->totals[SH_XW_UNKNOWN], 3);
    cr_expect_eq(x2->nconflicts, 0);
    static const struct {
      const char *id;
      sh_xw_class cls;
    } rows[] = {
        {"x-2-09", SH_XW_C}, /* row 3.(8) lists additions */
        {"x-2-06", SH_XW_C}, /* row 3.(6) adds the contents of the policy */
        {"x-4-06", SH_XW_C}, /* x-2-03 is the counterpart; row 2.(1) adds insurance */
        {"x-5-01", SH_XW_C}, /* row 1.(4) */
        {"x-5-03", SH_XW_A}, /* rows 1.(4), 5.(4): opt-in; curated over a derived D */
        {"x-5-04", SH_XW_A}, /* row 5.(4) */
        {"x-2-15", SH_XW_C}, /* V2.0 log analysis exists */
        {"x-2-23", SH_XW_C}, /* the Act names standby equipment */
        {"x-3-13", SH_XW_B}, /* row 4.(2): 現行の認定指針通り */
        {"x-4-07", SH_XW_D}, /* row 4.(6): no rule in V2.0 */
    };
    for (size_t k = 0; k < sizeof rows / sizeof rows[0]; k++) {
      const sh_xw_result *rr = sh_crosswalk_result(x2, rows[k].id);
      cr_assert(rr, "%s", rows[k].id);
      cr_expect_eq(rr->cls, rows[k].cls, "%s: %s", rows[k].id, sh_xw_class_name(rr->cls));
    }
    const sh_xw_result *x503 = sh_crosswalk_result(x2, "x-5-03");
    cr_expect(x503->from_curated && x503->derived_cls == SH_XW_D, "x-5-03: curated reading over a derived D");
    for (size_t k = 0; k < x2->results.n; k++) {
      const sh_xw_result *rr = x2->results.v[k];
      if (rr->cls != SH_XW_UNKNOWN && rr->cls != SH_XW_D) continue;
      cr_expect(rr->curated && (rr->curated->note.en || rr->curated->note.ja), "%s: %s without a stated reason",
                rr->item->id, sh_xw_class_name(rr->cls));
    }
    /* lint: no conflict, and the curated readings over a derived D are said once for the file. */
    sh_diags ld = {0};
    cr_expect_eq(sh_crosswalk_lint(reg, cur, &ld), 0);
    char *ls = th_diags_str(&ld);
    cr_expect(strstr(ls, "infobank-v3__medical-infra-act.yaml:9:9: ") &&
                  strstr(ls, "curated relations give a class where derivation found no vocabulary link (D)"),
              "%s", ls);
    free(ls);
    sh_diags_free(&ld);
    char *j2 = sh_crosswalk_render(x2, SH_XWF_JSON, "en");
    cr_expect(strstr(j2, "\"kind\":\"comparison\""), "a curated direction is a comparison");
    free(j2);
    sh_crosswalk_free(x2);
    /* Reverse directions have no published comparison: gap lists, not A/B/C/D results. */
    sh_crosswalk *x3 = sh_crosswalk_compute(lc, act, ib, sh_xw_curated_find(cur, "medical-infra-act", "infobank-v3"));
    char *g = sh_crosswalk_render(x3, SH_XWF_JSON, "en");
    cr_expect(strstr(g, "\"kind\":\"gap_list\",\"totals\":{\"covered\":"), "%.200s", g);
    cr_expect_null(strstr(g, "\"class\":\"A\""), "no A/B/C/D class in a gap list");
    free(g);
    g = sh_crosswalk_render(x3, SH_XWF_TEXT, "en");
    cr_expect(sh_str_startswith(g, "Gap list: medical-infra-act (source) -> infobank-v3 (target)"), "%.200s", g);
    free(g);
    sh_crosswalk_free(x3);
  }
  bundled_close(&b);
}

/* Every rendering in the report language from the message catalog, Japanese by default as every report: the
 * text's columns aligned by display width, the CSV's header and classes in the language and every field through
 * the shared cell writer (RFC 4180, formula guard), the JSON with the identifiers. */
Test(crosswalk, renderings_in_the_report_language) {
  char *t = sh_crosswalk_render(XW, SH_XWF_TEXT, NULL);
  cr_expect(sh_str_startswith(t, "クロスウォーク: xw-src（基準）→ xw-tgt（対象）\n"), "%.200s", t);
  cr_expect(strstr(t, "  A 2  B 3  C 3  D 1  判定不能 1\n"), "%s", t);
  static const char *const en[] = {"witnesses", "unknown", "Items", "curated", "speak of", "imply", NULL};
  for (size_t k = 0; en[k]; k++) cr_expect_null(strstr(t, en[k]), "'%s' in the Japanese text:\n%s", en[k], t);
  /* the class column starts at the same display column on every row of the item list */
  const char *items = strstr(t, "項目:\n");
  cr_assert(items);
  long col = -1;
  for (const char *p = strchr(items, '\n') + 1; *p && *p != '\n'; p = strchr(p, '\n') + 1) {
    const char *sp = strstr(p + 2, " "); /* the end of the id */
    while (*sp == ' ') sp++;
    char *head = sh_strndup(p, (size_t)(sp - p));
    long w = (long)sh_display_width(head);
    free(head);
    if (col < 0) col = w;
    cr_expect_eq(w, col, "misaligned row: %.60s", p);
  }
  free(t);
  char *c = sh_crosswalk_render(XW, SH_XWF_CSV, "ja");
  cr_expect(sh_str_startswith(c, "項目,分類,根拠,他に単独で,導出した分類,精選された関係,矛盾,未充足の条件,理由\r\n"), "%.200s", c);
  cr_expect(strstr(c, "\r\nt-b,B,s-tls,"), "%s", c);
  cr_expect(strstr(c, ",判定不能,"), "the unknown class in the language: %s", c);
  free(c);
  char *m = sh_crosswalk_render(XW, SH_XWF_MD, "ja");
  cr_expect(sh_str_startswith(m, "# クロスウォーク: xw-src → xw-tgt"), "%.200s", m);
  free(m);
  char *j = sh_crosswalk_render(XW, SH_XWF_JSON, "ja");
  cr_expect(strstr(j, "\"class\":\"unknown\""), "JSON keeps the class identifiers: %s", j);
  free(j);
}

/* The published figures are cited by the seed document's title (rules/sources.yaml) and place; the file name only
 * in a note (html) or in brackets (text, md); JSON carries both. */
Test(bundled, published_figures_cited_by_title) {
  bundled_fx b;
  bundled_open(&b);
  const sh_crosswalk *xw = b.xw;
  const char *title = "資料４ 情報銀行認定とマイナポータルAPI接続申請の審査の連携について";
  char *t = sh_crosswalk_render(xw, SH_XWF_TEXT, "ja");
  char *want = sh_printf("[「%s」 行 126-254 (ファイル: 002_b5f25c198c954234.txt)]", title);
  cr_expect(strstr(t, want), "%s", t);
  free(want);
  free(t);
  char *h = sh_crosswalk_render(xw, SH_XWF_HTML, "en");
  want = sh_printf("<span class=\"src\">「%s」 lines 126-254</span><span class=\"note\"> file: 002_b5f25c198c954234.txt"
                   "</span>", title);
  cr_expect(strstr(h, want), "%s", h);
  free(want);
  free(h);
  char *j = sh_crosswalk_render(xw, SH_XWF_JSON, "ja");
  want = sh_printf("\"document\":\"002_b5f25c198c954234.txt\",\"document_title\":\"%s\"", title);
  cr_expect(strstr(j, want), "%s", j);
  free(want);
  free(j);
  bundled_close(&b);
}
