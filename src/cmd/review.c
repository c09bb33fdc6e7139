/* cmd/review: `shinsa review` and `shinsa waive`: record a reviewer's decision or a waiver on one item
 * of a recorded run. Both go through record_on_item (RUN FRAMEWORK:ITEM, the store, the message). */
#include "cmd.h"

#include "review.h"

#include <stdlib.h>

typedef struct {
  const char *db, *decision, *reviewer, *role, *note;
} review_opts;

typedef struct {
  const char *db, *approver, *justification, *scope, *expires;
} waive_opts;

/* What is recorded: a review or a waiver, with run_id/framework_id/item_id filled in. */
typedef struct {
  sh_review *review;
  sh_waiver *waiver;
} record_target;

/* The shared implementation: parses RUN and FRAMEWORK:ITEM into the target, opens the store,
 * records, prints the confirmation. */
static void record_on_item(const char *db, const sh_cli_args *pos, record_target t, sh_diags *d) {
  int64_t run_id;
  char *fw = NULL, *item = NULL;
  if (!sh_cmd_run_id(pos->v[0], &run_id, d)) return;
  if (!sh_item_ref_parse(pos->v[1], &fw, &item)) {
    sh_error_usage(d, "the item must be written FRAMEWORK:ITEM, not '%s'", pos->v[1]);
    return;
  }
  if (t.review) t.review->run_id = run_id, t.review->framework_id = fw, t.review->item_id = item;
  else t.waiver->run_id = run_id, t.waiver->framework_id = fw, t.waiver->item_id = item;
  int64_t id = 0;
  sh_store *s = sh_cmd_open_existing_store(db, d);
  if (s && t.review && s->ops->record_review(s, t.review, &id, d) == 0)
    printf("shinsa: review %lld recorded: %s %s:%s by %s (%s)\n", (long long)id, sh_decision_name(t.review->decision),
           fw, item, t.review->reviewer, t.review->role);
  else if (s && t.waiver && s->ops->record_waiver(s, t.waiver, &id, d) == 0)
    printf("shinsa: waiver %lld recorded: %s:%s until %s, approved by %s\n", (long long)id, fw, item,
           t.waiver->expires, t.waiver->approver);
  sh_store_close(s);
  free(fw);
  free(item);
}

/* A required text option must not be empty either. */
static bool nonempty(const char *name, const char *v, sh_diags *d) {
  if (v && *v) return true;
  sh_error_usage(d, "--%s is required (not empty)", name);
  return false;
}

static const char *const decisions[] = {"accept", "reject", "request-more", NULL};

static const sh_cli_opt review_opts_table[] = {
  {"decision", 0, SH_CLI_STR, offsetof(review_opts, decision), "DECISION", NULL, "the reviewer's decision", decisions,
   true},
  {"reviewer", 0, SH_CLI_STR, offsetof(review_opts, reviewer), "NAME", NULL, "who decides", NULL, true},
  {"role", 0, SH_CLI_STR, offsetof(review_opts, role), "ROLE", NULL, "the reviewer's role (rules/quorum.yaml)", NULL,
   true},
  {"note", 0, SH_CLI_STR, offsetof(review_opts, note), "TEXT", "", "a note kept with the decision", NULL, false},
  SH_OPT_DB(review_opts, true),
  SH_CLI_OPT_END,
};

static void run_review(void *vo, const sh_cli_args *pos, sh_diags *d) {
  review_opts *o = vo;
  sh_review r = {0};
  if (!nonempty("reviewer", o->reviewer, d) || !nonempty("role", o->role, d)) return;
  sh_decision_parse(o->decision, &r.decision); /* the choices are those it accepts */
  r.reviewer = (char *)o->reviewer;
  r.role = (char *)o->role;
  r.note = (char *)o->note;
  record_on_item(o->db, pos, (record_target){.review = &r}, d);
}

const sh_cli_cmd sh_cmd_review = {
  .name = "review",
  .summary = "record a reviewer's decision on an item of a recorded run",
  .usage = "--db FILE --decision DECISION --reviewer NAME --role ROLE [--note TEXT] RUN FRAMEWORK:ITEM",
  .description = "Records a reviewer's decision on an item of recorded run RUN: accept, reject or request-more.\n"
                 "A needs_review item becomes satisfied once the quorum rules of its group (rules/quorum.yaml) are\n"
                 "met by accepting reviewers; any reject makes it not_satisfied; request-more keeps needs_review.\n"
                 "The decision is stored with its time, in one transaction, and appended to the audit log.\n",
  .opts = review_opts_table,
  .opts_size = sizeof(review_opts),
  .min_pos = 2,
  .max_pos = 2,
  .run = run_review,
  .examples = (const sh_cli_example[]){
    {"review --db runs.db --decision accept --reviewer 'Sato' --role auditor 3 infobank-v3:1-2",
     "Sato, auditor, accepts item 1-2 of run 3"},
    {"review --db runs.db --decision request-more --reviewer Ito --role ethics --note 'consent form?' 3 phr-2023:4",
     "asks for more evidence, with a note"},
    {NULL, NULL}},
  .exits = (const sh_cli_exit[]){{0, "recorded"}, {2, "usage or I/O error (no such run or item)"}, {0, NULL}},
};

static const sh_cli_opt waive_opts_table[] = {
  {"approver", 0, SH_CLI_STR, offsetof(waive_opts, approver), "NAME", NULL, "who approves the exception", NULL, true},
  {"justification", 0, SH_CLI_STR, offsetof(waive_opts, justification), "TEXT", NULL, "why the exception is accepted",
   NULL, true},
  {"scope", 0, SH_CLI_STR, offsetof(waive_opts, scope), "TEXT", NULL, "what the exception covers", NULL, true},
  {"expires", 0, SH_CLI_STR, offsetof(waive_opts, expires), "DATE", NULL, "the last day it applies (YYYY-MM-DD)", NULL,
   true},
  SH_OPT_DB(waive_opts, true),
  SH_CLI_OPT_END,
};

static void run_waive(void *vo, const sh_cli_args *pos, sh_diags *d) {
  waive_opts *o = vo;
  if (!nonempty("approver", o->approver, d) || !nonempty("justification", o->justification, d) ||
      !nonempty("scope", o->scope, d))
    return;
  sh_date exp;
  if (!sh_date_parse(o->expires, &exp)) {
    sh_error_usage(d, "--expires must be a date YYYY-MM-DD");
    return;
  }
  sh_waiver w = {.approver = (char *)o->approver, .justification = (char *)o->justification,
                 .scope = (char *)o->scope, .expires = (char *)o->expires};
  record_on_item(o->db, pos, (record_target){.waiver = &w}, d);
}

const sh_cli_cmd sh_cmd_waive = {
  .name = "waive",
  .summary = "record a waiver (approver, justification, scope, expiry) on an item",
  .usage = "--db FILE --approver NAME --justification TEXT --scope TEXT --expires YYYY-MM-DD RUN FRAMEWORK:ITEM",
  .description = "Records a waiver: an approved exception for one item of run RUN until its expiry date (inclusive).\n"
                 "While it applies the item keeps its verdict, is shown as waived and no longer counts among the\n"
                 "must items not met; after the expiry date the report says the waiver expired and no longer applies.\n",
  .opts = waive_opts_table,
  .opts_size = sizeof(waive_opts),
  .min_pos = 2,
  .max_pos = 2,
  .run = run_waive,
  .examples = (const sh_cli_example[]){
    {"waive --db runs.db --approver 'CISO Tanaka' --justification 'HSM delivery delayed' --scope 'key storage'"
     " --expires 2027-03-31 3 infobank-v3:5-1",
     "accepts an exception for item 5-1 of run 3 until 31 March 2027"},
    {"report --db runs.db 3", "shows the item as waived"},
    {NULL, NULL}},
  .exits = (const sh_cli_exit[]){{0, "recorded"}, {2, "usage or I/O error (no such run or item)"}, {0, NULL}},
};
