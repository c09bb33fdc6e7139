/* diff: comparing two recorded runs. See diff.h. */
#include "diff.h"

#include "json.h"
#include "report_cells.h"
#include "review.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
  const char *section; /* frameworks, documents, facts, verdicts, applicant */
  char change;         /* '+' added, '-' removed, '~' changed */
  char *key;
  char *from, *to;     /* NULL for added/removed */
} change;

static void add(sh_vec *v, const char *section, char c, const char *key, char *from, char *to) {
  change *ch = sh_calloc(1, sizeof *ch);
  ch->section = section;
  ch->change = c;
  ch->key = sh_strdup(key);
  ch->from = from;
  ch->to = to;
  sh_vec_push(v, ch);
}

static void change_free(void *p) {
  change *c = p;
  free(c->key);
  free(c->from);
  free(c->to);
  free(c);
}

static const sh_framework *find_fw(const sh_run_snapshot *s, const char *id) {
  for (size_t i = 0; i < s->frameworks.n; i++)
    if (strcmp(((const sh_framework *)s->frameworks.v[i])->id, id) == 0) return s->frameworks.v[i];
  return NULL;
}

static const sh_document *find_doc(const sh_run_snapshot *s, const char *path) {
  for (size_t i = 0; i < s->evidence->documents.n; i++)
    if (strcmp(((const sh_document *)s->evidence->documents.v[i])->path, path) == 0) return s->evidence->documents.v[i];
  return NULL;
}

static const sh_result *find_result(const sh_run_snapshot *s, const char *fw, const char *id) {
  for (size_t i = 0; i < s->eval->results.n; i++) {
    const sh_result *r = s->eval->results.v[i];
    if (strcmp(r->item->fw->id, fw) == 0 && strcmp(r->item->id, id) == 0) return r;
  }
  return NULL;
}

static char *fw_desc(const sh_framework *fw) { return sh_printf("%s (sha256 %.12s)", fw->version, fw->sha256); }

/* The texts compared and shown: lang NULL (JSON) gives identifiers (ok, declared, accept, active, needs_review),
 * else their labels in lang from the message catalog. */
static char *doc_desc(const sh_document *dc, const char *lang) {
  return sh_printf("sha256 %s, %s", dc->sha256_actual[0] ? dc->sha256_actual : dc->sha256_declared,
                   lang ? sh_doc_status_label(dc->status, lang) : sh_doc_status_name(dc->status));
}

static char *fact_desc(const sh_evidence *ev, const char *id, const char *lang) {
  const sh_fact *f = sh_vocab_find(ev->vocab, id);
  const sh_fact_value *fv = f ? sh_evidence_get(ev, f) : NULL;
  if (!fv) return NULL;
  char *v = sh_value_format(f, &fv->value);
  char *s = sh_printf("%s (%s)", v, lang ? sh_prov_label(fv->prov, lang) : sh_prov_name(fv->prov));
  free(v);
  return s;
}

/* The counted decisions on an item: the latest of each reviewer in each role, sorted ("佐藤 (auditor) accept"). */
static char *decisions_desc(const sh_item_review *ir, const char *lang) {
  sh_vec v = {0};
  for (size_t k = ir ? ir->reviews.n : 0; k-- > 0;) {
    const sh_review *rv = ir->reviews.v[k];
    if (rv->not_counted || rv->stale) continue;
    char *s = sh_printf("%s (%s) %s", rv->reviewer, rv->role,
                        lang ? sh_decision_label(rv->decision, lang) : sh_decision_name(rv->decision));
    bool seen = false;
    for (size_t m = 0; m < v.n; m++) {
      const char *x = v.v[m];
      size_t pre = strlen(rv->reviewer) + strlen(rv->role) + 3;
      seen |= strncmp(x, s, pre) == 0;
    }
    if (seen) free(s);
    else sh_vec_push(&v, s);
  }
  for (size_t i = 1; i < v.n; i++)
    for (size_t j = i; j > 0 && strcmp(v.v[j - 1], v.v[j]) > 0; j--) {
      void *t = v.v[j];
      v.v[j] = v.v[j - 1];
      v.v[j - 1] = t;
    }
  sh_buf b = {0};
  for (size_t i = 0; i < v.n; i++) sh_buf_printf(&b, "%s%s", i ? "; " : "", (const char *)v.v[i]);
  sh_vec_free_all(&v, free);
  return b.len ? sh_buf_steal(&b) : NULL;
}

static char *waiver_desc(const sh_item_review *ir, const char *lang) {
  if (!ir || !ir->waiver) return NULL;
  if (!lang)
    return sh_printf("%s until %s: %s", ir->waiver->approver, ir->waiver->expires, sh_waiver_state_name(ir->waiver_state));
  return sh_printf(sh_tr(lang, "%s until %s: %s"), ir->waiver->approver, ir->waiver->expires,
                   sh_waiver_state_label(ir->waiver_state, lang));
}

static const char *verdict_text(sh_verdict v, const char *lang) {
  return lang ? sh_verdict_label(v, lang) : sh_verdict_name(v);
}

static char *effective_desc(const sh_result *r, const sh_item_review *ir, const char *lang) {
  bool waived = ir && ir->waiver_state == SH_WAIVER_ACTIVE;
  return sh_printf("%s%s", verdict_text(r->verdict, lang), !waived ? "" : lang ? sh_tr(lang, " (waived)") : " (waived)");
}

/* Adds a change of one per-item text (NULL = none) to out. Takes x and y. */
static void item_change(sh_vec *out, const char *section, const char *key, char *x, char *y) {
  if (!x && !y) return;
  if (!x) add(out, section, '+', key, NULL, y);
  else if (!y) add(out, section, '-', key, x, NULL);
  else if (strcmp(x, y) != 0) add(out, section, '~', key, x, y);
  else free(x), free(y);
}

static void collect_reviews(const sh_run_snapshot *a, const sh_review_state *sa, const sh_run_snapshot *b,
                            const sh_review_state *sb, sh_vec *out, const char *lang) {
  for (size_t i = 0; i < a->eval->results.n; i++) {
    const sh_result *ra = a->eval->results.v[i];
    const sh_result *rb = find_result(b, ra->item->fw->id, ra->item->id);
    if (!rb) continue;
    const sh_item_review *ia = sh_review_for(sa, a->eval, ra), *ib = sh_review_for(sb, b->eval, rb);
    char *key = sh_printf("%s:%s", ra->item->fw->id, ra->item->id);
    item_change(out, "effective", key, effective_desc(ra, ia, lang), effective_desc(rb, ib, lang));
    item_change(out, "decisions", key, decisions_desc(ia, lang), decisions_desc(ib, lang));
    item_change(out, "waivers", key, waiver_desc(ia, lang), waiver_desc(ib, lang));
    free(key);
  }
}

static void collect(const sh_run_snapshot *a, const sh_run_snapshot *b, sh_vec *out, const char *lang) {
  const sh_evidence *ea = a->evidence, *eb = b->evidence;
  if (!sh_streq(ea->applicant_name, eb->applicant_name))
    add(out, "applicant", '~', "name", sh_strdup(ea->applicant_name), sh_strdup(eb->applicant_name));
  if (ea->assessment_date != eb->assessment_date) {
    char x[11], y[11];
    sh_date_format(ea->assessment_date, x);
    sh_date_format(eb->assessment_date, y);
    add(out, "applicant", '~', "assessment_date", sh_strdup(x), sh_strdup(y));
  }
  /* frameworks */
  for (size_t i = 0; i < a->frameworks.n; i++) {
    const sh_framework *fa = a->frameworks.v[i], *fb = find_fw(b, fa->id);
    if (!fb) add(out, "frameworks", '-', fa->id, fw_desc(fa), NULL);
    else if (strcmp(fa->sha256, fb->sha256) != 0) add(out, "frameworks", '~', fa->id, fw_desc(fa), fw_desc(fb));
  }
  for (size_t i = 0; i < b->frameworks.n; i++) {
    const sh_framework *fb = b->frameworks.v[i];
    if (!find_fw(a, fb->id)) add(out, "frameworks", '+', fb->id, NULL, fw_desc(fb));
  }
  /* documents */
  for (size_t i = 0; i < ea->documents.n; i++) {
    const sh_document *da = ea->documents.v[i], *db = find_doc(b, da->path);
    if (!db) {
      add(out, "documents", '-', da->path, doc_desc(da, lang), NULL);
      continue;
    }
    char *x = doc_desc(da, lang), *y = doc_desc(db, lang);
    if (strcmp(x, y) != 0) add(out, "documents", '~', da->path, x, y);
    else free(x), free(y);
  }
  for (size_t i = 0; i < eb->documents.n; i++) {
    const sh_document *db = eb->documents.v[i];
    if (!find_doc(a, db->path)) add(out, "documents", '+', db->path, NULL, doc_desc(db, lang));
  }
  /* facts (by id, across both vocabularies) */
  sh_vec ids = {0};
  for (int side = 0; side < 2; side++) {
    const sh_evidence *ev = side ? eb : ea;
    for (size_t i = 0; i < ev->nvalues; i++) {
      if (!ev->values[i]) continue;
      const char *id = ev->values[i]->fact->id;
      bool seen = false;
      for (size_t k = 0; k < ids.n; k++) seen |= strcmp(ids.v[k], id) == 0;
      if (!seen) sh_vec_push(&ids, (void *)id);
    }
  }
  for (size_t k = 0; k < ids.n; k++) {
    char *x = fact_desc(ea, ids.v[k], lang), *y = fact_desc(eb, ids.v[k], lang);
    if (!x) add(out, "facts", '+', ids.v[k], NULL, y);
    else if (!y) add(out, "facts", '-', ids.v[k], x, NULL);
    else if (strcmp(x, y) != 0) add(out, "facts", '~', ids.v[k], x, y);
    else free(x), free(y);
  }
  sh_vec_free(&ids);
  /* verdicts */
  for (size_t i = 0; i < a->eval->results.n; i++) {
    const sh_result *ra = a->eval->results.v[i];
    const sh_result *rb = find_result(b, ra->item->fw->id, ra->item->id);
    char *key = sh_printf("%s:%s", ra->item->fw->id, ra->item->id);
    if (!rb) add(out, "verdicts", '-', key, sh_strdup(verdict_text(ra->verdict, lang)), NULL);
    else if (ra->verdict != rb->verdict)
      add(out, "verdicts", '~', key, sh_strdup(verdict_text(ra->verdict, lang)), sh_strdup(verdict_text(rb->verdict, lang)));
    free(key);
  }
  for (size_t i = 0; i < b->eval->results.n; i++) {
    const sh_result *rb = b->eval->results.v[i];
    if (find_result(a, rb->item->fw->id, rb->item->id)) continue;
    char *key = sh_printf("%s:%s", rb->item->fw->id, rb->item->id);
    add(out, "verdicts", '+', key, NULL, sh_strdup(verdict_text(rb->verdict, lang)));
    free(key);
  }
}

size_t sh_run_diff(const sh_run_snapshot *a, const sh_run_snapshot *b, const char *format, const char *lang,
                   sh_buf *out) {
  return sh_run_diff_reviewed(a, NULL, b, NULL, format, lang, out);
}

size_t sh_run_diff_reviewed(const sh_run_snapshot *a, const sh_review_state *sa, const sh_run_snapshot *b,
                            const sh_review_state *sb, const char *format, const char *lang, sh_buf *out) {
  sh_vec ch = {0};
  /* verdicts as recorded: the review state keeps them (the evaluation holds the effective ones) */
  sh_verdict *keep_a = NULL, *keep_b = NULL;
  if (sa && sb) {
    keep_a = sh_calloc(a->eval->results.n + 1, sizeof *keep_a);
    keep_b = sh_calloc(b->eval->results.n + 1, sizeof *keep_b);
    for (size_t i = 0; i < a->eval->results.n; i++) {
      sh_result *r = a->eval->results.v[i];
      keep_a[i] = r->verdict;
      if (i < sa->nitems) r->verdict = sa->items[i].recorded;
    }
    for (size_t i = 0; i < b->eval->results.n; i++) {
      sh_result *r = b->eval->results.v[i];
      keep_b[i] = r->verdict;
      if (i < sb->nitems) r->verdict = sb->items[i].recorded;
    }
  }
  bool json = format && strcmp(format, "json") == 0;
  const char *dl = json ? NULL : lang ? lang : "ja"; /* JSON: identifiers; text: labels in the report language */
  collect(a, b, &ch, dl);
  if (keep_a) {
    for (size_t i = 0; i < a->eval->results.n; i++) ((sh_result *)a->eval->results.v[i])->verdict = keep_a[i];
    for (size_t i = 0; i < b->eval->results.n; i++) ((sh_result *)b->eval->results.v[i])->verdict = keep_b[i];
    free(keep_a);
    free(keep_b);
    collect_reviews(a, sa, b, sb, &ch, dl);
  }
  bool other_applicant = !sh_streq(a->evidence->applicant_name, b->evidence->applicant_name);
  static const char *const sections[] = {"applicant", "frameworks", "documents", "facts", "verdicts", "effective",
                                         "decisions", "waivers"};
  /* TRANSLATORS: the sections of `shinsa diff` */
  static const char *const headings[] = {N_("Applicant"), N_("Frameworks"), N_("Documents"), N_("Facts"),
                                         N_("Verdicts (as recorded)"), N_("Verdicts (with reviews and waivers applied)"),
                                         N_("Reviewer decisions"), N_("Waivers")};
  const size_t nsections = sizeof sections / sizeof sections[0];
  if (json) {
    sh_json j;
    sh_json_init(&j, out);
    sh_json_obj_begin(&j);
    sh_json_kstr(&j, "schema", "shinsa-diff/1");
    sh_json_kint(&j, "from_run", a->run_id);
    sh_json_kint(&j, "to_run", b->run_id);
    sh_json_kint(&j, "differences", (int64_t)ch.n);
    sh_json_kbool(&j, "different_applicants", other_applicant);
    for (size_t s = 0; s < nsections; s++) {
      sh_json_key(&j, sections[s]);
      sh_json_arr_begin(&j);
      for (size_t i = 0; i < ch.n; i++) {
        const change *c = ch.v[i];
        if (strcmp(c->section, sections[s])) continue;
        sh_json_obj_begin(&j);
        sh_json_kstr(&j, "change", c->change == '+' ? "added" : c->change == '-' ? "removed" : "changed");
        sh_json_kstr(&j, "key", c->key);
        sh_json_kstr(&j, "from", c->from);
        sh_json_kstr(&j, "to", c->to);
        sh_json_obj_end(&j);
      }
      sh_json_arr_end(&j);
    }
    sh_json_obj_end(&j);
    sh_buf_putc(out, '\n');
  } else {
    sh_buf_printf(out, sh_tr(dl, "run %lld (%s) -> run %lld (%s)\n"), (long long)a->run_id, a->recorded_at,
                  (long long)b->run_id, b->recorded_at);
    if (other_applicant)
      sh_buf_printf(out, sh_tr(dl, "warning: the runs are of different applicants (%s, %s): decisions do not carry over\n"),
                    a->evidence->applicant_name, b->evidence->applicant_name);
    for (size_t s = 0; s < nsections; s++) {
      bool any = false;
      for (size_t i = 0; i < ch.n; i++) {
        const change *c = ch.v[i];
        if (strcmp(c->section, sections[s])) continue;
        if (!any) sh_buf_printf(out, "%s:\n", sh_tr(dl, headings[s]));
        any = true;
        const char *key = c->key; /* the applicant's fields by their label */
        if (s == 0) key = sh_tr(dl, strcmp(key, "name") == 0 ? N_("Applicant") : N_("Assessment date"));
        sh_buf_printf(out, "  %c %s", c->change, key);
        if (c->change == '~') sh_buf_printf(out, ": %s -> %s\n", c->from, c->to);
        else sh_buf_printf(out, ": %s\n", c->change == '+' ? c->to : c->from);
      }
    }
    sh_buf_printf(out, sh_tr(dl, "differences: %zu\n"), ch.n);
  }
  size_t n = ch.n;
  sh_vec_free_all(&ch, change_free);
  return n;
}
