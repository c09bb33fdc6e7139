/* cmd/review: `shinsa review` and `shinsa waive`: record a reviewer's decision or a waiver on one item
 * of a recorded run. Both go through record_on_item (RUN FRAMEWORK:ITEM, the store, the message). */
#include "cmd.h"

#include "review.h"
#include "signoff.h"

#include <stdio.h>
#include <string.h>

#include <stdlib.h>

typedef struct {
  const char *db, *decision, *reviewer, *role, *note, *key, *signature, *time, *data_dir, *tz;
  bool print_payload;
} review_opts;

typedef struct {
  const char *db, *approver, *justification, *scope, *expires, *key, *signature, *time, *data_dir, *tz;
  bool print_payload;
} waive_opts;

/* Signing options shared by review and waive. */
#define SIGN_OPTS(T)                                                                                               \
  {"key", 0, SH_CLI_STR, offsetof(T, key), "KEY_FILE", NULL,                                                       \
   N_("sign with this private key (or a public key whose private half is in ssh-agent) through ssh-keygen"), NULL,    \
   false},                                                                                                          \
  {"signature", 0, SH_CLI_STR, offsetof(T, signature), "SIG_FILE", NULL,                                           \
   N_("a detached signature made with 'ssh-keygen -Y sign -n shinsa' over the --print-payload text"), NULL, false},    \
  {"time", 0, SH_CLI_STR, offsetof(T, time), "TIME", NULL,                                                         \
   N_("the time in the signed text (YYYY-MM-DDTHH:MM:SSZ, as --print-payload printed it)"), NULL, false},              \
  {"print-payload", 0, SH_CLI_FLAG, offsetof(T, print_payload), NULL, NULL,                                        \
   N_("print the text to sign and record nothing"), NULL, false},                                                       \
  {"tz", 0, SH_CLI_STR, offsetof(T, tz), "ZONE", NULL,                                                             \
   N_("the certifying body's time zone (default: $SHINSA_TZ, rules/quorum.yaml, Asia/Tokyo)"), NULL, false},          \
  SH_OPT_DATA_DIR(T)

/* Parses RUN FRAMEWORK:ITEM. False after a usage error. Outputs owned. */
static bool item_ref(const sh_cli_args *pos, int64_t *run_id, char **fw, char **item, sh_diags *d) {
  if (!sh_cmd_run_id(pos->v[0], run_id, d)) return false;
  if (!sh_item_ref_parse(pos->v[1], fw, item)) {
    sh_error_usage(d, "the item must be written FRAMEWORK:ITEM, not '%s'", pos->v[1]);
    return false;
  }
  return true;
}

/* The signing options; reads --signature FILE. False after an error. o->signature is owned by *buf. */
static bool sign_opts(const char *key, const char *sig_file, const char *time, bool print, const char *tz,
                      sh_sign_opts *so, char **buf, sh_diags *d) {
  *buf = NULL;
  if (key && sig_file) {
    sh_error_usage(d, "give --key or --signature, not both");
    return false;
  }
  if (!print && !key && !sig_file) {
    sh_error_usage(d, "a decision must be signed: --key KEY_FILE, or --signature SIG_FILE with --time (see "
                      "--print-payload)");
    return false;
  }
  if (sig_file) {
    size_t len;
    if (sh_read_file(sig_file, 1 << 16, buf, &len) != 0) {
      sh_error_io(d, sig_file, 0, 0, "cannot read the signature file");
      return false;
    }
  }
  *so = (sh_sign_opts){.key_file = key, .signature = *buf, .time = time, .print_payload = print, .tz = tz};
  return true;
}

/* After a --print-payload: the payload on stdout, how to sign it as a note. */
static void show_payload(const char *payload, const char *what, const char *time, sh_diags *d) {
  fputs(payload, stdout);
  sh_diag_add(d, SH_SEV_NOTE, NULL, 0, 0,
              "sign this text on your machine (ssh-keygen -Y sign -n shinsa -f ~/.ssh/id_ed25519 payload.txt), then "
              "run the same '%s' with --signature payload.txt.sig --time %s", what, time);
}

/* A heap copy of a struct whose fields the matching free function releases. */
static void *heap_copy(const void *p, size_t n) {
  void *q = sh_malloc(n);
  memcpy(q, p, n);
  return q;
}

/* A required text option must not be empty either. */
static bool nonempty(const char *name, const char *v, sh_diags *d) {
  if (v && *v) return true;
  sh_error_usage(d, "--%s is required (not empty)", name);
  return false;
}

static const char *const decisions[] = {"accept", "reject", "request-more", NULL};

static const sh_cli_opt review_opts_table[] = {
  {"decision", 0, SH_CLI_STR, offsetof(review_opts, decision), "DECISION", NULL, N_("the reviewer's decision"), decisions,
   true},
  {"reviewer", 0, SH_CLI_STR, offsetof(review_opts, reviewer), "NAME", NULL, N_("who decides"), NULL, true},
  {"role", 0, SH_CLI_STR, offsetof(review_opts, role), "ROLE", NULL, N_("the reviewer's role (rules/quorum.yaml)"), NULL,
   true},
  {"note", 0, SH_CLI_STR, offsetof(review_opts, note), "TEXT", "", N_("a note kept with the decision"), NULL, false},
  SIGN_OPTS(review_opts),
  SH_OPT_DB(review_opts, true),
  SH_CLI_OPT_END,
};

static void run_review(void *vo, const sh_cli_args *pos, sh_diags *d) {
  review_opts *o = vo;
  sh_review r = {0};
  sh_sign_opts so;
  char *sigbuf = NULL, *payload = NULL;
  if (!nonempty("reviewer", o->reviewer, d) || !nonempty("role", o->role, d) ||
      !sign_opts(o->key, o->signature, o->time, o->print_payload, o->tz, &so, &sigbuf, d) ||
      !item_ref(pos, &r.run_id, &r.framework_id, &r.item_id, d))
    goto done;
  sh_decision_parse(o->decision, &r.decision); /* the choices are those it accepts */
  r.reviewer = sh_strdup(o->reviewer);
  r.role = sh_strdup(o->role);
  r.note = sh_strdup(o->note ? o->note : "");
  int64_t id = 0;
  sh_store *s = sh_cmd_open_existing_store(o->db, d);
  if (s && sh_signoff_review(s, sh_cmd_data_dir(o->data_dir), &r, &so, &payload, &id, d) == 0) {
    if (o->print_payload) show_payload(payload, "shinsa review", r.recorded_at, d);
    else printf(_("shinsa: review %lld recorded: %s %s:%s by %s (%s), signed, evidence sha256:%.12s…\n"), (long long)id,
                sh_decision_name(r.decision), r.framework_id, r.item_id, r.reviewer, r.role, r.evidence_fp);
  }
  sh_store_close(s);
done:
  free(payload);
  free(sigbuf);
  /* r.signature is always a copy (sign_and_check duplicates --signature's text): freed with r */
  sh_review_free(heap_copy(&r, sizeof r));
}

const sh_cli_cmd sh_cmd_review = {
  .name = "review",
  .summary = N_("record a reviewer's decision on an item of a recorded run"),
  .usage = "--db DB --decision DECISION --reviewer NAME --role ROLE [--note TEXT] (--key KEY_FILE | --signature SIG_FILE"
           " --time TIME | --print-payload) RUN FRAMEWORK:ITEM",
  .description = N_("Records a registered reviewer's signed decision on an item of recorded run RUN: accept, reject or\n"
                 "request-more. The reviewer must be in the store's roster (shinsa reviewer add) with ROLE, a role\n"
                 "defined in rules/quorum.yaml. The decision is signed (SSHSIG, namespace shinsa) over a canonical\n"
                 "text naming the store, applicant, framework version, item, decision, note, time and the\n"
                 "fingerprint of the evidence the item depends on: --key signs through ssh-keygen; or print the\n"
                 "text with --print-payload, sign it on your own machine and give --signature and --time. The\n"
                 "signature is verified against the roster before anything is written. A needs_review item becomes\n"
                 "satisfied once the quorum rules of its group are met; any reject makes it not_satisfied.\n"),
  .opts = review_opts_table,
  .opts_size = sizeof(review_opts),
  .min_pos = 2,
  .max_pos = 2,
  .run = run_review,
  .examples = (const sh_cli_example[]){
    {"review --db runs.db --decision accept --reviewer Sato --role auditor --key ~/.ssh/id_ed25519 3 infobank-v3:1-2",
     N_("Sato, auditor, accepts item 1-2 of run 3, signing with his key")},
    {"review --db runs.db --decision reject --reviewer Ito --role auditor --print-payload 3 phr-2023:4 > p.txt",
     N_("prints the text Ito signs on her own machine (then --signature p.txt.sig --time ...)")},
    {NULL, NULL}},
  .exits = (const sh_cli_exit[]){{0, N_("recorded (or payload printed)")},
                                 {2, N_("usage or I/O error (no such run or item, unknown role, unregistered reviewer)")},
                                 {3, N_("the signature is not the reviewer's or does not verify")}, {0, NULL}},
};

static const sh_cli_opt waive_opts_table[] = {
  {"approver", 0, SH_CLI_STR, offsetof(waive_opts, approver), "NAME", NULL, N_("who approves the exception"), NULL, true},
  {"justification", 0, SH_CLI_STR, offsetof(waive_opts, justification), "TEXT", NULL, N_("why the exception is accepted"),
   NULL, true},
  {"scope", 0, SH_CLI_STR, offsetof(waive_opts, scope), "TEXT", NULL, N_("what the exception covers"), NULL, true},
  {"expires", 0, SH_CLI_STR, offsetof(waive_opts, expires), "DATE", NULL, N_("the last day it applies (YYYY-MM-DD)"), NULL,
   true},
  SIGN_OPTS(waive_opts),
  SH_OPT_DB(waive_opts, true),
  SH_CLI_OPT_END,
};

static void run_waive(void *vo, const sh_cli_args *pos, sh_diags *d) {
  waive_opts *o = vo;
  sh_waiver w = {0};
  sh_sign_opts so;
  char *sigbuf = NULL, *payload = NULL;
  if (!nonempty("approver", o->approver, d) || !nonempty("justification", o->justification, d) ||
      !nonempty("scope", o->scope, d) || !sign_opts(o->key, o->signature, o->time, o->print_payload, o->tz, &so, &sigbuf, d) ||
      !item_ref(pos, &w.run_id, &w.framework_id, &w.item_id, d))
    goto done;
  sh_date exp;
  if (!sh_date_parse(o->expires, &exp)) {
    sh_error_usage(d, "--expires must be a date YYYY-MM-DD");
    goto done;
  }
  w.approver = sh_strdup(o->approver);
  w.justification = sh_strdup(o->justification);
  w.scope = sh_strdup(o->scope);
  w.expires = sh_strdup(o->expires);
  int64_t id = 0;
  sh_store *s = sh_cmd_open_existing_store(o->db, d);
  if (s && sh_signoff_waiver(s, sh_cmd_data_dir(o->data_dir), &w, &so, &payload, &id, d) == 0) {
    if (o->print_payload) show_payload(payload, "shinsa waive", w.recorded_at, d);
    else printf(_("shinsa: waiver %lld recorded: %s:%s until %s, approved by %s, signed\n"), (long long)id, w.framework_id,
                w.item_id, w.expires, w.approver);
  }
  sh_store_close(s);
done:
  free(payload);
  free(sigbuf);
  sh_waiver_free(heap_copy(&w, sizeof w));
}

const sh_cli_cmd sh_cmd_waive = {
  .name = "waive",
  .summary = N_("record a waiver (approver, justification, scope, expiry) on an item"),
  .usage = "--db DB --approver NAME --justification TEXT --scope TEXT --expires YYYY-MM-DD (--key KEY_FILE |"
           " --signature SIG_FILE --time TIME | --print-payload) RUN FRAMEWORK:ITEM",
  .description = N_("Records a waiver: an approved exception for one item of run RUN until its expiry date (inclusive).\n"
                 "The approver must be a registered reviewer and signs as for 'shinsa review'. The expiry is a\n"
                 "calendar day in the certifying body's time zone (--tz); a day already past is refused.\n"
                 "While it applies the item keeps its verdict, is shown as waived and no longer counts among the\n"
                 "must items not met; after the expiry date the report says the waiver expired and no longer applies.\n"),
  .opts = waive_opts_table,
  .opts_size = sizeof(waive_opts),
  .min_pos = 2,
  .max_pos = 2,
  .run = run_waive,
  .examples = (const sh_cli_example[]){
    {"waive --db runs.db --approver Tanaka --justification 'HSM delivery delayed' --scope 'key storage'"
     " --expires 2027-03-31 --key ~/.ssh/id_ed25519 3 infobank-v3:5-1",
     N_("accepts an exception for item 5-1 of run 3 until 31 March 2027")},
    {"report --db runs.db 3", N_("shows the item as waived")},
    {NULL, NULL}},
  .exits = (const sh_cli_exit[]){{0, N_("recorded (or payload printed)")},
                                 {2, N_("usage or I/O error (no such run or item, unregistered approver, expiry past)")},
                                 {3, N_("the signature is not the approver's or does not verify")}, {0, NULL}},
};
