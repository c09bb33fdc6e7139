/* report_cells: what every report renderer shares and nothing else: the report language, escaping for each
 * output (Markdown, HTML, CSV with the spreadsheet formula guard), the head every report starts with, and the
 * cell texts of an item (status, answer, facts, evidence, reviewers, reasons, actions, section) that csv, xlsx,
 * md and html print alike. A leaf of the report modules: it calls no renderer and no dispatcher.
 * Strings returned by sh_view_* are the caller's to free; the others are static or borrowed. */
#ifndef SHINSA_REPORT_CELLS_H
#define SHINSA_REPORT_CELLS_H

#include "report.h"
#include "i18n.h"
#include "json.h"

/* The report language: English when lang is "en", else Japanese (the default). */
bool sh_lang_en(const char *lang);
/* A message of the report catalog (po/ja.po) in the report language. */
#define SH_T(ctx, msgid) sh_tr((ctx)->lang, (msgid))
/* Text in the report's language: English when asked and present, else Japanese. */
const char *sh_text_pick(const sh_text *t, const char *lang);

/* Escapes text so that it reads literally in CommonMark (no emphasis, links, HTML or headings). */
void sh_md_escape(sh_buf *b, const char *s);
/* Escapes text for HTML element content and double-quoted attribute values (& < > " '). */
void sh_html_escape(sh_buf *b, const char *s);
/* Appends one CSV field (preceded by a comma unless first), quoted when needed and guarded against formulas: a
 * cell whose first character other than blanks is = + - @ (or their full-width forms), or that starts with TAB
 * or CR, gets a leading apostrophe. */
void sh_csv_cell(sh_buf *b, bool first, const char *s);

/* The applicant's name in the report's language. */
const char *sh_report_applicant(const sh_report_ctx *ctx);
/* The applicant's kind by its label in the report's language (rules/facts.yaml operator.kind value_labels), else
 * as written. */
const char *sh_report_applicant_kind(const sh_report_ctx *ctx);
/* The Markdown head every report shares: title (ctx->title), applicant, assessment date, frameworks with their item
 * counts, run number. Ends after the last list line (no blank line). */
void sh_report_md_header(const sh_report_ctx *ctx, sh_buf *b);
/* A fact's value with its provenance (in the report language) and attesting documents, 'VALUE (PROVENANCE: doc, ...)', escaped for
 * Markdown; `none` when the fact has no value. */
void sh_report_md_value(const sh_report_ctx *ctx, sh_buf *b, const sh_fact *f, const sh_fact_value *fv,
                        const char *none);
/* "findings": [the package-level findings' English messages (stable text)], then "findings_text": [the same
 * findings in the report language, with their cause (sh_view_reason)]. */
void sh_report_json_findings(sh_json *j, const sh_report_ctx *ctx);
/* The closing note that English item texts are translations. */
void sh_report_md_footer(const sh_report_ctx *ctx, sh_buf *b);

/* Review workflow details of an item: Markdown list lines and the JSON "review" key. */
void sh_report_md_item_review(const sh_report_ctx *ctx, sh_buf *b, const sh_result *r);
void sh_report_json_item_review(const sh_report_ctx *ctx, sh_json *j, const sh_result *r);
/* The applicant's answer of an item: Markdown list lines (nothing when unanswered and not manual), and the
 * JSON "answer" key (an object, or null). */
void sh_report_md_item_answer(const sh_report_ctx *ctx, sh_buf *b, const sh_result *r);
void sh_report_json_item_answer(const sh_report_ctx *ctx, sh_json *j, const sh_result *r);

/* Shared cell texts for the tabular formats (csv, xlsx, html) and the views. Caller frees each. */
char *sh_view_facts(const sh_report_ctx *ctx, const sh_result *r);     /* facts used: value (provenance) */
char *sh_view_status(const sh_report_ctx *ctx, const sh_result *r);    /* applicant's status (+ date or reason) */
char *sh_view_answer(const sh_report_ctx *ctx, const sh_result *r);    /* applicant's answer text ("" when none) */
char *sh_view_refs(const sh_report_ctx *ctx, const sh_result *r);      /* answer refs: path at (sha256), per line */
char *sh_view_evidence(const sh_report_ctx *ctx, const sh_result *r);  /* answer refs and documents with hashes /
                                                                          evidence needed */
char *sh_view_reviewers(const sh_report_ctx *ctx, const sh_result *r); /* decisions, quorum, waiver */
char *sh_view_reasons(const sh_report_ctx *ctx, const sh_result *r);   /* reasons, one per line */
/* One reason (or package finding) in the report language (sh_reason_text) with its cause: for a fact derived
 * from the data items, the items behind it (name, id, level, MHLW item code); for a count of the data ethics board's members, the board's composition with the counts ("the
 * board has 3 members, of whom 0 medical professionals (required: at least 1)"); sh_view_cause is that cause
 * alone ("" when none). */
char *sh_view_reason(const sh_report_ctx *ctx, const sh_reason *re);
char *sh_view_cause(const sh_report_ctx *ctx, const sh_reason *re);
/* The data ethics board's composition from the declared counts: "the board has 5 members (External members: 4,
 * Medical professionals on the board: 1)"; "" when ethics_board.members is not declared. */
char *sh_view_board_composition(const sh_report_ctx *ctx);
char *sh_view_actions(const sh_report_ctx *ctx, const sh_result *r);   /* what would satisfy it, one per line */
char *sh_view_section(const sh_report_ctx *ctx, const sh_item *it);    /* "1 Security" */
/* The applicant's gap list: items not satisfied, not covered and applicable. */
bool sh_view_is_gap(const sh_result *r);
const char *sh_view_applicant(const sh_report_ctx *ctx);
/* A fact's label in the report language (the id when it has none). */
const char *sh_view_fact_label(const sh_report_ctx *ctx, const sh_fact *f);
/* "active" / "expired" waiver state in the report language. */
const char *sh_view_waiver_state(const sh_report_ctx *ctx, int waiver_state);


#endif
