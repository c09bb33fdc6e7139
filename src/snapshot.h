/* snapshot: a recorded run rebuilt from the store (vocabulary and framework texts as recorded,
 * facts with provenance, documents with hashes, data items, verdicts and reasons), so that reports
 * can be re-rendered and runs compared without the evidence folder or the installed frameworks. */
#ifndef SHINSA_SNAPSHOT_H
#define SHINSA_SNAPSHOT_H

#include "eval.h"

/* A rebuilt run. Owns everything it points to. */
typedef struct sh_run_snapshot {
  int64_t run_id;
  char *recorded_at, *tool_version;
  int exit_code;
  sh_vocab *vocab;          /* loaded from the vocabulary files as recorded */
  sh_vec frameworks;        /* sh_framework*, loaded from the framework files as recorded, in run order */
  sh_vec overlays;          /* sh_overlay*: the overlays recorded with the run, applied again to frameworks */
  sh_evidence *evidence;    /* rebuilt from the recorded rows */
  sh_evaluation *eval;      /* verdicts and reasons as recorded */
} sh_run_snapshot;

/* A recorded input text (vocabulary or framework file). Strings owned (sh_snap_text_free). */
typedef struct {
  char *path;               /* the path it had when the run was recorded */
  char *content;
  size_t len;
} sh_snap_text;

void sh_snap_text_free(void *p);
void sh_run_snapshot_free(sh_run_snapshot *s);

/* Loads s->vocab and s->frameworks from recorded texts (sh_snap_text*, vocabulary files in load
 * order, then frameworks in run order), then applies the overlays recorded with the run (ov_texts, in the order
 * they were applied; none for runs recorded before overlays were). The texts are written to a private temporary folder that
 * is removed again; loaded objects name the recorded paths. Returns 0 or -1 with errors in d. */
int sh_snapshot_load_texts(sh_run_snapshot *s, const sh_vec *vocab_texts, const sh_vec *fw_texts, const sh_vec *ov_texts,
                           sh_diags *d);

/* A new empty evidence package over vocab, for back ends rebuilding a run (free with sh_evidence_free). */
sh_evidence *sh_snapshot_new_evidence(const sh_vocab *vocab);

/* Fills facts_used (and missing, for `unknown` verdicts) of a rebuilt result from its item. */
void sh_snapshot_result_facts(const sh_evidence *ev, sh_result *r);

/* The applicant's answers of a recorded run (status, planned_by, reason, answer ja/en, refs with the
 * document path, place and sha256, where each was written, and which results were contradictions) are one
 * recorded text of kind "answers" (SH_SNAP_ANSWERS_PATH) beside the vocabulary and framework texts: a JSON
 * object {"format": SH_SNAP_ANSWERS_FORMAT, "answers": [...], "contradictions": ["FW:ITEM", ...]}
 * (docs/reports-and-review.md). Runs recorded before it have no such text and load without answers. */
#define SH_SNAP_ANSWERS_KIND "answers"
#define SH_SNAP_ANSWERS_PATH "answers.json"
#define SH_SNAP_ANSWERS_FORMAT 1
/* The answers text of e (caller frees; *len set), or NULL when the package has no answers. */
char *sh_snapshot_answers_text(const sh_evaluation *e, size_t *len);
/* Reads the answers texts (sh_snap_text*, none or one) into s->evidence->answers (refs resolved to the
 * rebuilt documents by path) and sets answer and contradiction on s->eval's results. A text that does not
 * read back is a damaged store (I/O error at loc, -1); a newer format is refused the same way. */
int sh_snapshot_load_answers(sh_run_snapshot *s, const sh_vec *texts, const char *loc, sh_diags *d);

/* The parts of a reason or finding the stores keep beside its English message (columns msg_key, msg_args):
 * sh_snapshot_reason_args gives args as a JSON array, each argument a string, or {"msgid": "..."} when it is
 * translated when rendered (sh_reason_tr_arg), or {"fact": "id"} when it names the reason's fact (sh_reason_fact_arg); NULL when the reason has no key (an atom reason: its fact,
 * condition, required and actual columns hold it). Caller frees. */
char *sh_snapshot_reason_args(const sh_reason *re);
/* A message reason rebuilt from those columns (key NULL: a reason recorded before keys, shown as message).
 * NULL when args_json does not read back (a damaged store). */
sh_reason *sh_snapshot_reason(const sh_fact *fact, const char *key, const char *args_json, const char *message);

/* Canonical text of a fact value that sh_value_from_string reads back (sets: "a,b"). Caller frees. */
char *sh_value_raw(const sh_fact *f, const sh_value *v);

#endif
