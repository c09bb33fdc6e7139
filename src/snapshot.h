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
 * order, then frameworks in run order). The texts are written to a private temporary folder that
 * is removed again; loaded objects name the recorded paths. Returns 0 or -1 with errors in d. */
int sh_snapshot_load_texts(sh_run_snapshot *s, const sh_vec *vocab_texts, const sh_vec *fw_texts, sh_diags *d);

/* A new empty evidence package over vocab, for back ends rebuilding a run (free with sh_evidence_free). */
sh_evidence *sh_snapshot_new_evidence(const sh_vocab *vocab);

/* Fills facts_used (and missing, for `unknown` verdicts) of a rebuilt result from its item. */
void sh_snapshot_result_facts(const sh_evidence *ev, sh_result *r);

/* Canonical text of a fact value that sh_value_from_string reads back (sets: "a,b"). Caller frees. */
char *sh_value_raw(const sh_fact *f, const sh_value *v);

#endif
