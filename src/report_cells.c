/* report_cells: language, escaping, the shared report head and the cells of an item. See report_cells.h. */
#include "report_cells.h"

#include "answers.h"
#include "clock.h"
#include "review.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

bool sh_lang_en(const char *lang) { return lang && strcmp(lang, "en") == 0; }

void sh_md_escape(sh_buf *b, const char *s) {
  if (!s) return;
  /* Inline markup anywhere; block markup only matters where the text may start a line. */
  const char *digits_end = s;
  while (*digits_end >= '0' && *digits_end <= '9') digits_end++;
  for (const char *p = s; *p; p++) {
    char c = *p;
    bool at_start = p == s;
    if (strchr("\\`*_[]<>&!|", c) || (at_start && strchr("#-+=~:", c)) ||
        (p == digits_end && digits_end != s && (c == '.' || c == ')'))) {
      sh_buf_putc(b, '\\');
      sh_buf_putc(b, c);
    } else if (c == '\n' || c == '\r') {
      sh_buf_putc(b, ' ');
    } else {
      sh_buf_putc(b, c);
    }
  }
}

const char *sh_text_pick(const sh_text *t, const char *lang) {
  if (sh_lang_en(lang) && t->en) return t->en;
  return t->ja ? t->ja : t->en ? t->en : "";
}

const char *sh_report_applicant(const sh_report_ctx *ctx) {
  const sh_evidence *ev = ctx->eval->evidence;
  if (sh_lang_en(ctx->lang) && ev->applicant_name_en) return ev->applicant_name_en;
  return ev->applicant_name ? ev->applicant_name : "";
}

const char *sh_report_applicant_kind(const sh_report_ctx *ctx) {
  const sh_evidence *ev = ctx->eval->evidence;
  if (!ev->applicant_kind) return "?";
  const sh_fact *f = ev->vocab ? sh_vocab_find(ev->vocab, "operator.kind") : NULL;
  int k = f ? sh_fact_value_index(f, ev->applicant_kind) : -1;
  const char *l = k >= 0 ? sh_fact_value_label(f, (size_t)k, ctx->lang) : NULL;
  return l && *l ? l : ev->applicant_kind;
}

void sh_report_md_header(const sh_report_ctx *ctx, sh_buf *b) {
  const sh_evaluation *e = ctx->eval;
  const sh_evidence *ev = e->evidence;
  char ad[11];
  sh_date_format(ev->assessment_date, ad);
  sh_buf_printf(b, "# %s\n\n", ctx->title ? ctx->title : "");
  sh_buf_printf(b, "- %s: ", SH_T(ctx, "Applicant"));
  sh_md_escape(b, sh_report_applicant(ctx));
  sh_buf_puts(b, " (");
  sh_md_escape(b, sh_report_applicant_kind(ctx));
  sh_buf_puts(b, ")\n");
  sh_buf_printf(b, "- %s: %s\n", SH_T(ctx, "Assessment date"), ad);
  for (size_t i = 0; i < e->frameworks.n; i++) {
    const sh_framework *fw = e->frameworks.v[i];
    sh_buf_printf(b, "- %s: ", SH_T(ctx, "Framework"));
    sh_md_escape(b, sh_text_pick(&fw->title, ctx->lang));
    sh_buf_puts(b, " (");
    sh_md_escape(b, fw->id);
    sh_buf_puts(b, " ");
    sh_md_escape(b, fw->version);
    sh_buf_printf(b, ", %zu %s)\n", fw->items.n, SH_T(ctx, "items"));
  }
  if (ctx->run_id > 0) sh_buf_printf(b, "- %s: %lld\n", SH_T(ctx, "Run"), (long long)ctx->run_id);
}

void sh_report_md_footer(const sh_report_ctx *ctx, sh_buf *b) {
  sh_buf_printf(b, "---\n\n%s\n", SH_T(ctx, "English item texts are translations; the Japanese text is authoritative."));
}

void sh_report_md_value(const sh_report_ctx *ctx, sh_buf *b, const sh_fact *f, const sh_fact_value *fv, const char *none) {
  if (!fv) {
    sh_buf_puts(b, none);
    return;
  }
  char *v = sh_value_format(f, &fv->value);
  sh_md_escape(b, v);
  free(v);
  sh_buf_printf(b, " (%s", sh_prov_label(fv->prov, ctx->lang));
  for (size_t m = 0; m < fv->documents.n; m++) {
    sh_buf_puts(b, m ? ", " : ": ");
    sh_md_escape(b, ((const sh_document *)fv->documents.v[m])->path);
  }
  sh_buf_putc(b, ')');
}

void sh_report_json_findings(sh_json *j, const sh_report_ctx *ctx) {
  const sh_evaluation *e = ctx->eval;
  sh_json_key(j, "findings");
  sh_json_arr_begin(j);
  for (size_t i = 0; i < e->findings.n; i++) sh_json_str(j, ((const sh_reason *)e->findings.v[i])->message);
  sh_json_arr_end(j);
  sh_json_key(j, "findings_text");
  sh_json_arr_begin(j);
  for (size_t i = 0; i < e->findings.n; i++) {
    char *s = sh_view_reason(ctx, e->findings.v[i]);
    sh_json_str(j, s);
    free(s);
  }
  sh_json_arr_end(j);
}

void sh_html_escape(sh_buf *b, const char *s) {
  for (const char *p = s ? s : ""; *p; p++) {
    switch (*p) {
    case '&': sh_buf_puts(b, "&amp;"); break;
    case '<': sh_buf_puts(b, "&lt;"); break;
    case '>': sh_buf_puts(b, "&gt;"); break;
    case '"': sh_buf_puts(b, "&quot;"); break;
    case '\'': sh_buf_puts(b, "&#39;"); break;
    default: sh_buf_putc(b, *p);
    }
  }
}

/* ---------- CSV ---------- */

/* True when a spreadsheet could take s for a formula. */
static bool formula_like(const char *s) {
  const unsigned char *p = (const unsigned char *)s;
  if (p[0] == '\t' || p[0] == '\r') return true;
  for (;;) {
    if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n') p++;
    else if (p[0] == 0xC2 && p[1] == 0xA0) p += 2;                      /* U+00A0 no-break space */
    else if (p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x80) p += 3;       /* U+3000 ideographic space */
    else break;
  }
  if (*p == '=' || *p == '+' || *p == '-' || *p == '@') return true;
  /* full-width ＝ ＋ － ＠ (U+FF1D, U+FF0B, U+FF0D, U+FF20): converted to their ASCII forms by some spreadsheets */
  return p[0] == 0xEF && ((p[1] == 0xBC && (p[2] == 0x9D || p[2] == 0x8B || p[2] == 0x8D)) || (p[1] == 0xBC && p[2] == 0xA0));
}

void sh_csv_cell(sh_buf *b, bool first, const char *s) {
  if (!first) sh_buf_putc(b, ',');
  if (!s) s = "";
  bool formula = formula_like(s);
  bool quote = formula || strpbrk(s, ",\"\r\n") != NULL;
  if (quote) sh_buf_putc(b, '"');
  if (formula) sh_buf_putc(b, '\'');
  for (const char *p = s; *p; p++) {
    if (*p == '"') sh_buf_putc(b, '"');
    sh_buf_putc(b, *p);
  }
  if (quote) sh_buf_putc(b, '"');
}

/* ---------- shared texts ---------- */

const char *sh_view_applicant(const sh_report_ctx *ctx) { return sh_report_applicant(ctx); }

bool sh_view_is_gap(const sh_result *r) {
  return r->verdict == SH_V_NOT_SATISFIED || r->verdict == SH_V_UNKNOWN || r->verdict == SH_V_NEEDS_REVIEW;
}

const char *sh_view_fact_label(const sh_report_ctx *ctx, const sh_fact *f) {
  const char *l = sh_lang_en(ctx->lang) ? f->label_en : f->label_ja;
  return l ? l : f->label_ja ? f->label_ja : f->id;
}

char *sh_view_status(const sh_report_ctx *ctx, const sh_result *r) {
  const sh_answer *a = r->answer;
  if (!a)
    return sh_strdup(r->item->manual && r->verdict != SH_V_NOT_APPLICABLE && r->verdict != SH_V_COVERED
                       ? SH_T(ctx, "not answered") : "");
  if (a->status == SH_ANS_PLANNED) {
    char pd[11];
    sh_date_format(a->planned_by, pd);
    return sh_printf("%s (%s)", sh_answer_status_label(a->status, ctx->lang), pd);
  }
  if (a->status == SH_ANS_NOT_APPLICABLE)
    return sh_printf("%s: %s", sh_answer_status_label(a->status, ctx->lang), a->reason);
  return sh_strdup(sh_answer_status_label(a->status, ctx->lang));
}

char *sh_view_answer(const sh_report_ctx *ctx, const sh_result *r) {
  const sh_answer *a = r->answer;
  if (!a || (!a->text.ja && !a->text.en)) return sh_strdup("");
  return sh_strdup(sh_text_pick(&a->text, ctx->lang));
}

char *sh_view_refs(const sh_report_ctx *ctx, const sh_result *r) {
  sh_buf b = {0};
  for (size_t k = 0; r->answer && k < r->answer->refs.n; k++) {
    const sh_answer_ref *ref = r->answer->refs.v[k];
    const sh_document *dc = ref->document;
    sh_buf_printf(&b, "%s%s%s%s sha256:%s (%s)", b.len ? "\n" : "", dc->path, ref->at ? " " : "", ref->at ? ref->at : "",
                  dc->sha256_actual[0] ? dc->sha256_actual : dc->sha256_declared, sh_doc_status_label(dc->status, ctx->lang));
  }
  return sh_buf_steal(&b);
}

char *sh_view_facts(const sh_report_ctx *ctx, const sh_result *r) {
  const sh_evidence *ev = ctx->eval->evidence;
  sh_buf b = {0};
  for (size_t k = 0; k < r->facts_used.n; k++) {
    const sh_fact *f = r->facts_used.v[k];
    const sh_fact_value *fv = sh_evidence_get(ev, f);
    if (b.len) sh_buf_putc(&b, '\n');
    if (fv) {
      char *v = sh_value_format(f, &fv->value);
      sh_buf_printf(&b, "%s = %s (%s)", f->id, v, sh_prov_label(fv->prov, ctx->lang));
      free(v);
    } else {
      sh_buf_printf(&b, "%s = %s", f->id, SH_T(ctx, "(no value)"));
    }
    const char *l = sh_view_fact_label(ctx, f); /* the fact's label after its id */
    if (strcmp(l, f->id) != 0) sh_buf_printf(&b, " — %s", l);
  }
  return sh_buf_steal(&b);
}

char *sh_view_evidence(const sh_report_ctx *ctx, const sh_result *r) {
  const sh_evidence *ev = ctx->eval->evidence;
  sh_buf b = {0};
  char *refs = sh_view_refs(ctx, r);
  sh_buf_puts(&b, refs);
  free(refs);
  for (size_t k = 0; k < r->facts_used.n; k++) {
    const sh_fact_value *fv = sh_evidence_get(ev, r->facts_used.v[k]);
    for (size_t m = 0; fv && m < fv->documents.n; m++) {
      const sh_document *dc = fv->documents.v[m];
      if (strstr(sh_buf_str(&b), dc->path)) continue;
      if (b.len) sh_buf_putc(&b, '\n');
      sh_buf_printf(&b, "%s sha256:%s (%s)", dc->path, dc->sha256_actual[0] ? dc->sha256_actual : dc->sha256_declared,
                    sh_doc_status_label(dc->status, ctx->lang));
    }
  }
  for (size_t k = 0; k < r->item->evidence_needed.n; k++) {
    if (b.len) sh_buf_putc(&b, '\n');
    sh_buf_printf(&b, "%s: %s", SH_T(ctx, "to examine"),
                  sh_text_pick(r->item->evidence_needed.v[k], ctx->lang));
  }
  return sh_buf_steal(&b);
}

const char *sh_view_waiver_state(const sh_report_ctx *ctx, int s) {
  return sh_waiver_state_label((sh_waiver_state)s, ctx->lang);
}

char *sh_view_reviewers(const sh_report_ctx *ctx, const sh_result *r) {
  const sh_item_review *ir = sh_review_for(ctx->reviews, ctx->eval, r);
  sh_buf b = {0};
  if (!ir) return sh_buf_steal(&b);
  for (size_t k = 0; k < ir->reviews.n; k++) {
    const sh_review *rv = ir->reviews.v[k];
    char *when = sh_review_when_lang(ctx->reviews, rv, ctx->lang);
    sh_buf_printf(&b, "%s%s (%s): %s %s", b.len ? "\n" : "", rv->reviewer, rv->role,
                  sh_decision_label(rv->decision, ctx->lang), when);
    free(when);
    if (rv->note && *rv->note) sh_buf_printf(&b, " — %s", rv->note);
  }
  if (ir->recorded == SH_V_NEEDS_REVIEW || ir->reviews.n) {
    char *q = sh_review_quorum_text(ir, ctx->lang);
    sh_buf_printf(&b, "%s%s: %s", b.len ? "\n" : "", SH_T(ctx, "quorum"), q);
    free(q);
  }
  if (ir->waiver)
    sh_buf_printf(&b, "%s%s: %s, %s %s, %s — %s [%s]", b.len ? "\n" : "", SH_T(ctx, "waiver"), ir->waiver->approver,
                  SH_T(ctx, "until"), ir->waiver->expires, sh_view_waiver_state(ctx, ir->waiver_state),
                  ir->waiver->justification, ir->waiver->scope);
  return sh_buf_steal(&b);
}

/* The data items behind a fact derived from them (data.sensitivity_levels, data.max_sensitivity_level,
 * data.purposes, data.recipients): for a level, the items at the levels the requirement names (else at the
 * highest level), with name and MHLW item code; for a purpose or recipient, the items naming the values the
 * requirement names. "" when the fact is not derived from data items or no item is concerned. */
/* The counts of the data ethics board's composition (after the total, ethics_board.members). */
static const char *const board_counts[] = {"ethics_board.external_members", "ethics_board.medical_members",
                                           "ethics_board.natural_science_members", "ethics_board.humanities_members",
                                           "ethics_board.lay_members"};

/* ", of whom 0 medical professionals": count n of board_counts[k] (English singular or plural). */
static void put_board_count(const sh_report_ctx *ctx, sh_buf *b, size_t k, long long n) {
  bool one = n == 1;
  switch (k) {
  case 0:
    sh_buf_printf(b, one ? SH_T(ctx, ", of whom %lld external member") : SH_T(ctx, ", of whom %lld external members"), n);
    break;
  case 1:
    sh_buf_printf(b, one ? SH_T(ctx, ", of whom %lld medical professional")
                         : SH_T(ctx, ", of whom %lld medical professionals"), n);
    break;
  case 2:
    sh_buf_printf(b, one ? SH_T(ctx, ", of whom %lld natural-science expert")
                         : SH_T(ctx, ", of whom %lld natural-science experts"), n);
    break;
  case 3:
    sh_buf_printf(b, one ? SH_T(ctx, ", of whom %lld humanities or social-science expert")
                         : SH_T(ctx, ", of whom %lld humanities or social-science experts"), n);
    break;
  default:
    sh_buf_printf(b, one ? SH_T(ctx, ", of whom %lld lay member") : SH_T(ctx, ", of whom %lld lay members"), n);
  }
}

/* An integer fact's value, or -1 when it has none. */
static long long int_fact(const sh_evidence *ev, const char *id) {
  const sh_fact *f = sh_vocab_find(ev->vocab, id);
  const sh_fact_value *fv = f ? sh_evidence_get(ev, f) : NULL;
  return fv && fv->value.type == SH_T_INT ? (long long)fv->value.i : -1;
}

char *sh_view_board_composition(const sh_report_ctx *ctx) {
  sh_buf b = {0};
  const sh_evidence *ev = ctx->eval->evidence;
  long long members = int_fact(ev, "ethics_board.members");
  if (members < 0) return sh_buf_steal(&b);
  char *total = sh_printf(members == 1 ? SH_T(ctx, "the board has %lld member") : SH_T(ctx, "the board has %lld members"),
                          members);
  sh_buf kinds = {0}; /* "External members: 4, Medical professionals on the board: 1" (labels in the report language) */
  for (size_t k = 0; k < sizeof board_counts / sizeof board_counts[0]; k++) {
    long long n = int_fact(ev, board_counts[k]);
    const sh_fact *f = sh_vocab_find(ev->vocab, board_counts[k]);
    if (n < 0 || !f) continue;
    if (kinds.len) sh_buf_puts(&kinds, SH_T(ctx, ", "));
    sh_buf_printf(&kinds, "%s: %lld", sh_view_fact_label(ctx, f), n);
  }
  if (kinds.len) sh_buf_printf(&b, SH_T(ctx, "%s (%s)"), total, sh_buf_str(&kinds));
  else sh_buf_puts(&b, total);
  sh_buf_free(&kinds);
  free(total);
  return sh_buf_steal(&b);
}

/* "at least 1" for a requirement ">= 1" on a count (raw text when it is not a comparison with a number). */
static void count_requirement(const sh_report_ctx *ctx, sh_buf *b, const char *req) {
  static const char *const ops[] = {">= ", "> ", "<= ", "< ", "= "};
  for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
    size_t n = strlen(ops[i]);
    char *end;
    if (strncmp(req, ops[i], n) != 0) continue;
    long long v = strtoll(req + n, &end, 10);
    if (end == req + n || *end) break;
    switch (i) {
    case 0: sh_buf_printf(b, SH_T(ctx, "at least %lld"), v); return;
    case 1: sh_buf_printf(b, SH_T(ctx, "more than %lld"), v); return;
    case 2: sh_buf_printf(b, SH_T(ctx, "at most %lld"), v); return;
    case 3: sh_buf_printf(b, SH_T(ctx, "fewer than %lld"), v); return;
    default: sh_buf_printf(b, SH_T(ctx, "exactly %lld"), v); return;
    }
  }
  sh_buf_puts(b, req);
}

/* The board's composition behind a reason on one of its counts: "the board has 3 members, of whom 0 medical
 * professionals (required: at least 1)"; "" for other facts. */
static char *board_composition(const sh_report_ctx *ctx, const sh_reason *re) {
  sh_buf b = {0};
  const sh_evidence *ev = ctx->eval->evidence;
  const char *id = re->fact ? re->fact->id : "";
  bool total = sh_streq(id, "ethics_board.members");
  size_t k = 0;
  while (k < sizeof board_counts / sizeof board_counts[0] && !sh_streq(board_counts[k], id)) k++;
  if (!total && k == sizeof board_counts / sizeof board_counts[0]) return sh_buf_steal(&b);
  long long members = int_fact(ev, "ethics_board.members");
  long long count = total ? members : int_fact(ev, id);
  if (count < 0) return sh_buf_steal(&b); /* no value: the reason says so */
  if (members >= 0)
    sh_buf_printf(&b, members == 1 ? SH_T(ctx, "the board has %lld member") : SH_T(ctx, "the board has %lld members"),
                  members);
  else
    sh_buf_puts(&b, SH_T(ctx, "the board's number of members is not declared"));
  if (!total) put_board_count(ctx, &b, k, count);
  if (re->required && strncmp(re->required, "not ", 4) != 0) { /* a plain requirement on the count */
    sh_buf rq = {0};
    count_requirement(ctx, &rq, re->required);
    sh_buf_printf(&b, SH_T(ctx, " (required: %s)"), sh_buf_str(&rq));
    sh_buf_free(&rq);
  }
  return sh_buf_steal(&b);
}

/* True when the list value v is written in the requirement text req as a whole word. */
static bool names_value(const char *req, const char *v) {
  size_t n = strlen(v);
  for (const char *p = req; n && (p = strstr(p, v)) != NULL; p++) {
    bool before = p > req && (isalnum((unsigned char)p[-1]) || p[-1] == '_');
    bool after = isalnum((unsigned char)p[n]) || p[n] == '_';
    if (!before && !after) return true;
  }
  return false;
}

/* The data items behind a reason on a fact derived from them, "name (id, level N, item code C), ..."; "" when
 * the fact is not derived from data items or no item is concerned. */
static char *data_items_concerned(const sh_report_ctx *ctx, const sh_reason *re) {
  sh_buf b = {0};
  const sh_fact *f = re->fact;
  const sh_evidence *ev = ctx->eval->evidence;
  if (!f || !f->derived || !ev->data_items.n) return sh_buf_steal(&b);
  bool levels = sh_streq(f->id, "data.sensitivity_levels") || sh_streq(f->id, "data.max_sensitivity_level");
  bool purposes = sh_streq(f->id, "data.purposes"), recipients = sh_streq(f->id, "data.recipients");
  if (!levels && !purposes && !recipients) return sh_buf_steal(&b);
  /* The requirement the fact failed, or for a context reason the condition that holds ("FACT OP VALUE"). */
  const char *req = re->required ? re->required : "";
  if (!re->required && re->condition && !strncmp(re->condition, f->id, strlen(f->id)))
    req = re->condition + strlen(f->id) + (re->condition[strlen(f->id)] == ' ');
  /* `subset of [...]`: the items with a value outside the list are behind the failure; otherwise the items with
   * a value the requirement names (`not contains level3`). */
  bool outside = strncmp(req, "subset of", 9) == 0;
  int max = -1;
  bool named[4] = {false};
  bool any_named = false;
  for (size_t i = 0; i < ev->data_items.n; i++) {
    const sh_data_item *di = ev->data_items.v[i];
    if (di->level > max) max = di->level;
  }
  if (sh_streq(f->id, "data.max_sensitivity_level")) {
    /* "< N" fails (or holds as the condition's negation) because of the items at level N or above */
    long long n;
    int at = -1;
    if (sscanf(req, "< %lld", &n) == 1) at = (int)n;
    else if (sscanf(req, "<= %lld", &n) == 1) at = (int)n + 1;
    for (int l = 0; l < 4; l++) named[l] = at >= 0 ? l >= at : l == max;
    any_named = true;
  } else {
    for (int l = 0; l < 4; l++) {
      char name[16];
      snprintf(name, sizeof name, "level%d", l);
      named[l] = names_value(req, name) != outside;
      any_named |= named[l];
    }
  }
  for (size_t i = 0; i < ev->data_items.n; i++) {
    const sh_data_item *di = ev->data_items.v[i];
    bool hit = false;
    if (levels) hit = di->level >= 0 && di->level < 4 && (any_named ? named[di->level] : di->level == max);
    else {
      const sh_vec *v = purposes ? &di->purposes : &di->recipients;
      for (size_t k = 0; k < v->n; k++) hit |= *req && names_value(req, v->v[k]) != outside;
    }
    if (!hit) continue;
    const char *name = sh_text_pick(&di->name, ctx->lang), *id = di->id ? di->id : "?";
    sh_buf_puts(&b, b.len ? SH_T(ctx, ", ") : "");
    if (di->level >= 0 && di->code)
      sh_buf_printf(&b, SH_T(ctx, "%s (%s, level %d, item code %s)"), name, id, di->level, di->code);
    else if (di->level >= 0) sh_buf_printf(&b, SH_T(ctx, "%s (%s, level %d)"), name, id, di->level);
    else if (di->code) sh_buf_printf(&b, SH_T(ctx, "%s (%s, item code %s)"), name, id, di->code);
    else sh_buf_printf(&b, SH_T(ctx, "%s (%s)"), name, id);
  }
  return sh_buf_steal(&b);
}

char *sh_view_cause(const sh_report_ctx *ctx, const sh_reason *re) {
  if (re->fact && !re->fact->derived) return board_composition(ctx, re);
  char *items = data_items_concerned(ctx, re);
  if (!*items) return items;
  char *s = sh_printf(SH_T(ctx, "computed from the declared data items; the data items concerned: %s"), items);
  free(items);
  return s;
}

char *sh_view_reason(const sh_report_ctx *ctx, const sh_reason *re) {
  char *cause = sh_view_cause(ctx, re);
  char *text = sh_reason_text(re, ctx->lang);
  char *s = *cause ? sh_printf("%s — %s", text, cause) : sh_strdup(text);
  free(text);
  free(cause);
  return s;
}

char *sh_view_reasons(const sh_report_ctx *ctx, const sh_result *r) {
  sh_buf b = {0};
  for (size_t k = 0; k < r->reasons.n; k++) {
    char *s = sh_view_reason(ctx, r->reasons.v[k]);
    sh_buf_printf(&b, "%s%s", b.len ? "\n" : "", s);
    free(s);
  }
  return sh_buf_steal(&b);
}

char *sh_view_section(const sh_report_ctx *ctx, const sh_item *it) {
  sh_buf b = {0};
  if (it->section.n) {
    const char *id = it->section.v[it->section.n - 1];
    const sh_section *sec = sh_framework_section(it->fw, id);
    sh_buf_puts(&b, id);
    if (sec) sh_buf_printf(&b, " %s", sh_text_pick(&sec->title, ctx->lang));
  }
  return sh_buf_steal(&b);
}

static void fact_hint(const sh_report_ctx *ctx, sh_buf *b, const sh_fact *f) {
  if ((f->type == SH_T_ENUM || f->type == SH_T_SET) && f->nvalues) {
    sh_buf_printf(b, " [%s:", sh_type_name(f->type));
    for (size_t k = 0; k < f->nvalues; k++) sh_buf_printf(b, "%s%s", k ? ", " : " ", f->values[k]);
    sh_buf_putc(b, ']');
  } else {
    sh_buf_printf(b, " [%s%s%s]", sh_type_name(f->type), f->unit ? ", " : "", f->unit ? f->unit : "");
  }
}

char *sh_view_actions(const sh_report_ctx *ctx, const sh_result *r) {
  const sh_evidence *ev = ctx->eval->evidence;
  const sh_item *it = r->item;
  sh_buf b = {0};
#define NL() (b.len ? sh_buf_putc(&b, '\n') : (void)0)
  for (size_t k = 0; k < r->missing.n; k++) {
    const sh_fact *f = r->missing.v[k];
    NL();
    if (f->derived) { /* computed from the data items: they are what the applicant declares */
      sh_buf_printf(&b, SH_T(ctx, "Declare the data items handled under data_items: in evidence.yaml (each with its "
                                  "level or MHLW item code, purposes and recipients): %s (%s) is computed from them"),
                    sh_view_fact_label(ctx, f), f->id);
      continue;
    }
    sh_buf_printf(&b, SH_T(ctx, "Declare %s (%s) under facts: in evidence.yaml"),
                  f->id, sh_view_fact_label(ctx, f));
    fact_hint(ctx, &b, f);
  }
  if (r->verdict == SH_V_NOT_SATISFIED)
    for (size_t k = 0; k < r->reasons.n; k++) {
      const sh_reason *re = r->reasons.v[k];
      if (!re->fact || !re->required) continue;
      NL();
      if (re->fact->derived) { /* a computed fact is not changed by the applicant: name the data items it rests on */
        char *items = data_items_concerned(ctx, re);
        if (*items)
          sh_buf_printf(&b, SH_T(ctx, "Reconsider the data items %s: %s (%s) is computed from them and must satisfy "
                                      "\"%s\""),
                        items, sh_view_fact_label(ctx, re->fact), re->fact->id, re->required);
        else sh_buf_printf(&b, SH_T(ctx, "Meet \"%s\" (%s is computed)"),
                           re->required, re->fact->id);
        free(items);
        continue;
      }
      sh_buf_printf(&b, SH_T(ctx, "Make %s (%s) satisfy \"%s\" (now: %s)"),
                    re->fact->id, sh_view_fact_label(ctx, re->fact), re->required, re->actual ? re->actual : "-");
    }
  for (size_t k = 0; k < r->facts_used.n; k++) {
    const sh_fact_value *fv = sh_evidence_get(ev, r->facts_used.v[k]);
    if (!fv) continue;
    for (size_t m = 0; m < fv->documents.n; m++) {
      const sh_document *dc = fv->documents.v[m];
      if (dc->status == SH_DOC_OK) continue;
      NL();
      sh_buf_printf(&b, SH_T(ctx, "Replace document %s (%s)"), dc->path,
                    sh_doc_status_label(dc->status, ctx->lang));
    }
    if (sh_prov_rank(fv->prov) < sh_prov_rank(it->min_provenance) && fv->fact->derived) {
      NL(); /* a computed fact is attested through the data items it rests on (a data inventory) */
      sh_buf_printf(&b, SH_T(ctx, "Add a document attesting the declared data items (a data inventory) under "
                                  "documents: (attests: [%s]; required: %s)"),
                    fv->fact->id, sh_prov_label(it->min_provenance, ctx->lang));
    } else if (sh_prov_rank(fv->prov) < sh_prov_rank(it->min_provenance)) {
      NL();
      sh_buf_printf(&b, SH_T(ctx,
                             "Add a document attesting %s under documents: (attests: [%s]; required: %s)"),
                    fv->fact->id, fv->fact->id, sh_prov_label(it->min_provenance, ctx->lang));
    }
  }
  if (it->manual || r->verdict == SH_V_NEEDS_REVIEW) {
    for (size_t k = 0; k < it->evidence_needed.n; k++) {
      NL();
      sh_buf_printf(&b, SH_T(ctx, "Submit: %s"), sh_text_pick(it->evidence_needed.v[k], ctx->lang));
    }
    const sh_item_review *ir = sh_review_for(ctx->reviews, ctx->eval, r);
    NL();
    char *q = ir ? sh_review_quorum_text(ir, ctx->lang) : NULL;
    if (ir) sh_buf_printf(&b, SH_T(ctx, "Obtain reviewer approval (quorum: %s)"), q);
    else sh_buf_puts(&b, SH_T(ctx, "Obtain reviewer approval"));
    free(q);
  }
  if (!b.len && it->require) {
    char *s = sh_expr_to_string(it->require);
    sh_buf_printf(&b, SH_T(ctx, "Meet the requirement: %s"), s);
    free(s);
  }
#undef NL
  return sh_buf_steal(&b);
}

void sh_report_md_item_answer(const sh_report_ctx *ctx, sh_buf *b, const sh_result *r) {
  const sh_answer *a = r->answer;
  if (!a) {
    if (r->item->manual && r->verdict != SH_V_NOT_APPLICABLE && r->verdict != SH_V_COVERED)
      sh_buf_printf(b, "- %s: %s\n", SH_T(ctx, "Applicant's answer"), SH_T(ctx, "not answered"));
    return;
  }
  char *st = sh_view_status(ctx, r), *tx = sh_view_answer(ctx, r);
  sh_buf_printf(b, "- %s: ", SH_T(ctx, "Applicant's answer"));
  sh_md_escape(b, st);
  if (*tx) {
    sh_buf_puts(b, " — ");
    sh_md_escape(b, tx);
  }
  sh_buf_putc(b, '\n');
  free(st);
  free(tx);
  for (size_t k = 0; k < a->refs.n; k++) {
    const sh_answer_ref *ref = a->refs.v[k];
    const sh_document *dc = ref->document;
    sh_buf_printf(b, "- %s: ", SH_T(ctx, "Answer refers to"));
    sh_md_escape(b, dc->path);
    if (ref->at) {
      sh_buf_puts(b, " ");
      sh_md_escape(b, ref->at);
    }
    sh_buf_printf(b, " (`%s`, %s)\n", dc->sha256_actual[0] ? dc->sha256_actual : dc->sha256_declared,
                  sh_doc_status_label(dc->status, ctx->lang));
  }
}

void sh_report_json_item_answer(const sh_report_ctx *ctx, sh_json *j, const sh_result *r) {
  const sh_answer *a = r->answer;
  sh_json_key(j, "answer");
  if (!a) {
    sh_json_null(j);
    return;
  }
  sh_json_obj_begin(j);
  sh_json_kstr(j, "status", sh_answer_status_name(a->status));
  char pd[11];
  if (a->status == SH_ANS_PLANNED) sh_date_format(a->planned_by, pd);
  sh_json_kstr(j, "planned_by", a->status == SH_ANS_PLANNED ? pd : NULL);
  sh_json_kstr(j, "reason", a->reason);
  sh_json_klang(j, "text", a->text.ja, a->text.en);
  sh_json_key(j, "refs");
  sh_json_arr_begin(j);
  for (size_t k = 0; k < a->refs.n; k++) {
    const sh_answer_ref *ref = a->refs.v[k];
    sh_json_obj_begin(j);
    sh_json_kstr(j, "document", ref->document->path);
    sh_json_kstr(j, "at", ref->at);
    sh_json_kstr(j, "sha256", ref->document->sha256_actual[0] ? ref->document->sha256_actual : ref->document->sha256_declared);
    sh_json_kstr(j, "status", sh_doc_status_name(ref->document->status));
    sh_json_obj_end(j);
  }
  sh_json_arr_end(j);
  sh_json_kbool(j, "contradiction", r->contradiction);
  sh_json_obj_end(j);
}

/* ---------- review details of an item ---------- */

void sh_report_md_item_review(const sh_report_ctx *ctx, sh_buf *b, const sh_result *r) {
  const sh_item_review *ir = sh_review_for(ctx->reviews, ctx->eval, r);
  if (!ir) return;
  if (ir->recorded != r->verdict) {
    sh_buf_printf(b, "- %s: %s\n", SH_T(ctx, "Verdict as recorded"), sh_verdict_label(ir->recorded, ctx->lang));
  }
  for (size_t k = 0; k < ir->reviews.n; k++) {
    const sh_review *rv = ir->reviews.v[k];
    sh_buf_printf(b, "- %s: ", SH_T(ctx, "Reviewer decision"));
    sh_md_escape(b, rv->reviewer);
    sh_buf_puts(b, " (");
    sh_md_escape(b, rv->role);
    char *when = sh_review_when_lang(ctx->reviews, rv, ctx->lang);
    sh_buf_printf(b, ") %s ", sh_decision_label(rv->decision, ctx->lang));
    sh_md_escape(b, when);
    free(when);
    if (rv->note && *rv->note) {
      sh_buf_puts(b, " — ");
      sh_md_escape(b, rv->note);
    }
    sh_buf_putc(b, '\n');
  }
  if (ir->recorded == SH_V_NEEDS_REVIEW || ir->reviews.n) {
    sh_buf_printf(b, "- %s: %s — ", SH_T(ctx, "Quorum"), ir->quorum_met ? SH_T(ctx, "met") : SH_T(ctx, "not met"));
    char *q = sh_review_quorum_text(ir, ctx->lang);
    sh_md_escape(b, q);
    free(q);
    sh_buf_putc(b, '\n');
  }
  if (ir->waiver) {
    sh_buf_printf(b, "- %s (%s): ", SH_T(ctx, "Waiver"), sh_view_waiver_state(ctx, ir->waiver_state));
    sh_md_escape(b, ir->waiver->approver);
    sh_buf_printf(b, ", %s %s; ", SH_T(ctx, "until"), ir->waiver->expires);
    sh_md_escape(b, ir->waiver->justification);
    sh_buf_printf(b, " (%s: ", SH_T(ctx, "scope"));
    sh_md_escape(b, ir->waiver->scope);
    sh_buf_puts(b, ")\n");
  }
}

void sh_report_json_item_review(const sh_report_ctx *ctx, sh_json *j, const sh_result *r) {
  const sh_item_review *ir = sh_review_for(ctx->reviews, ctx->eval, r);
  if (!ir || (ir->recorded != SH_V_NEEDS_REVIEW && !ir->reviews.n && !ir->waiver)) return;
  sh_json_key(j, "review");
  sh_json_obj_begin(j);
  sh_json_kstr(j, "recorded_verdict", sh_verdict_name(ir->recorded));
  sh_json_kbool(j, "quorum_met", ir->quorum_met);
  sh_json_kstr(j, "quorum", ir->quorum_status);
  sh_json_key(j, "decisions");
  sh_json_arr_begin(j);
  for (size_t k = 0; k < ir->reviews.n; k++) {
    const sh_review *rv = ir->reviews.v[k];
    sh_json_obj_begin(j);
    sh_json_kint(j, "id", rv->id);
    sh_json_kstr(j, "reviewer", rv->reviewer);
    sh_json_kstr(j, "role", rv->role);
    sh_json_kstr(j, "decision", sh_decision_name(rv->decision));
    sh_json_kstr(j, "note", rv->note);
    sh_json_kstr(j, "recorded_at", rv->recorded_at);
    sh_json_kint(j, "run", rv->run_id);
    sh_json_kbool(j, "counted", !rv->not_counted && !rv->stale);
    sh_json_kstr(j, "not_counted", rv->stale ? rv->stale : rv->not_counted);
    sh_json_obj_end(j);
  }
  sh_json_arr_end(j);
  sh_json_key(j, "waiver");
  if (ir->waiver) {
    sh_json_obj_begin(j);
    sh_json_kstr(j, "approver", ir->waiver->approver);
    sh_json_kstr(j, "justification", ir->waiver->justification);
    sh_json_kstr(j, "scope", ir->waiver->scope);
    sh_json_kstr(j, "expires", ir->waiver->expires);
    sh_json_kstr(j, "state", sh_waiver_state_name(ir->waiver_state));
    sh_json_obj_end(j);
  } else {
    sh_json_null(j);
  }
  sh_json_obj_end(j);
}
