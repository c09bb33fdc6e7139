/* review: the review workflow's data (reviewer decisions, waivers), the quorum rules that
 * frameworks state per item group (DATA_DIR/rules/quorum.yaml), and their effect on verdicts. */
#ifndef SHINSA_REVIEW_H
#define SHINSA_REVIEW_H

#include "snapshot.h"
#include "store.h"

typedef enum { SH_DEC_ACCEPT, SH_DEC_REJECT, SH_DEC_REQUEST_MORE } sh_decision;

const char *sh_decision_name(sh_decision d); /* "accept", "reject", "request-more" */
/* The decision in a report's language (i18n.h sh_tr): "accept" / 承認, ... */
const char *sh_decision_label(sh_decision d, const char *lang);
bool sh_decision_parse(const char *s, sh_decision *out);

/* One reviewer decision on one item of a run. Strings owned (sh_review_free). */
typedef struct sh_review {
  int64_t id;            /* 0 until stored */
  int64_t run_id;
  char *framework_id, *item_id;
  sh_decision decision;
  char *reviewer, *role, *note;
  char *recorded_at;     /* ISO 8601 UTC: the time in the signed text; NULL = now when recording */
  /* What was signed besides the above (roster.h, sh_decision_payload); NULL on rows recorded before
   * signatures existed (schema 2), which never count. */
  char *applicant;       /* the run's applicant name */
  char *fw_version;      /* the run's framework version */
  char *evidence_fp;     /* sha256 hex of the item's evidence basis (sh_item_basis) */
  char *basis;           /* the basis itself, to name what changed later */
  char *signature;       /* armored SSHSIG over the payload */
  int64_t roster_seq;    /* the roster as it stood when the decision was recorded */
  /* Computed when applied (sh_review_apply / sh_reviewed_run_load), owned: */
  char *not_counted;     /* NULL when the decision counts, else why not in English (unsigned, bad signature, ...) */
  sh_reason *why_not;    /* the same as a reason, rendered in the report's language (owned; NULL when it counts or
                          * when not_counted was set without one) */
  char *stale;           /* "stale: evidence changed since the decision: ..." when carried from an earlier run
                            (English; sh_review_stale_text gives it in a report's language) */
  int stale_kind;        /* SH_STALE_* below */
  int64_t stale_run;     /* the run the decision was made on */
  char *stale_changes;   /* what changed (sh_basis_changes), in English, owned; NULL when not stale */
  char *stale_changes_ja; /* the same in Japanese, owned */
} sh_review;

/* Why a decision or waiver made earlier no longer counts. */
enum { SH_STALE_NONE, SH_STALE_CHANGED, SH_STALE_CHANGED_EARLIER_RUN, SH_STALE_NO_FINGERPRINT };

/* A waiver: an approved exception for one item, until an expiry date. Strings owned (sh_waiver_free). */
typedef struct sh_waiver {
  int64_t id;
  int64_t run_id;
  char *framework_id, *item_id;
  char *approver, *justification, *scope;
  char *expires;         /* YYYY-MM-DD: the last day the waiver applies (in the body's time zone) */
  char *recorded_at;
  char *applicant, *fw_version, *evidence_fp, *basis, *signature; /* as for sh_review */
  int64_t roster_seq;
  char *revoked_at, *revoked_by, *revoke_reason; /* set when revoked (waiver revoke) */
  char *not_counted, *stale;                     /* computed, owned */
  sh_reason *why_not;                            /* not_counted as a reason (report language), owned */
  int stale_kind;                                /* as for sh_review */
  int64_t stale_run;
  char *stale_changes, *stale_changes_ja;
} sh_waiver;

/* The stale text of a decision or waiver (kind, run and changes as in sh_review) in lang; NULL when
 * kind is SH_STALE_NONE. Caller frees. */
char *sh_review_stale_text(int kind, int64_t run, const char *changes, const char *lang);

void sh_review_free(void *p);
void sh_waiver_free(void *p);

/* Splits "FRAMEWORK:ITEM" at the first ':' (framework ids never contain one). Returns false when
 * either part is empty. Outputs owned by the caller. */
bool sh_item_ref_parse(const char *ref, char **framework_id, char **item_id);

/* ---------- quorum rules ---------- */

typedef struct {
  char *role;            /* "*" = any role */
  int count;             /* distinct reviewers with that role whose latest decision is accept */
} sh_quorum_need;

typedef struct {
  char *id;
  sh_vec frameworks;     /* char*; empty = every framework */
  sh_vec groups;         /* char*; "*" = every item (with or without a group) */
  sh_expr *applies_if;   /* NULL = always; evaluated over the run's facts */
  char *applies_if_text;
  sh_vec needs;          /* sh_quorum_need* (all must be met) */
  sh_text note;
  int line, col;
} sh_quorum_rule;

/* The quorum rules of a data directory. Owns its rules. */
typedef struct {
  char *file;            /* NULL when the data directory has no quorum.yaml (built-in default only) */
  sh_vec rules;          /* sh_quorum_rule* */
  sh_vec roles;          /* char*: roles a reviewer may hold (`roles:`; else the roles the rules name) */
  char *time_zone;       /* `quorum.time_zone` or NULL */
} sh_quorum;

/* Is role defined by the quorum file (`roles:` ids)? */
bool sh_quorum_role_defined(const sh_quorum *q, const char *role);

/* Loads DATA_DIR/rules/quorum.yaml; a missing file gives an empty rule set (the default rule:
 * one accept by any reviewer). Returns NULL with errors (FILE:LINE:COL) in d when malformed. */
sh_quorum *sh_quorum_load(const sh_vocab *vocab, const char *data_dir, sh_diags *d);
sh_quorum *sh_quorum_load_file(const sh_vocab *vocab, const char *path, sh_diags *d);
void sh_quorum_free(sh_quorum *q);

/* ---------- applying reviews and waivers to a run ---------- */

typedef enum { SH_WAIVER_NONE, SH_WAIVER_ACTIVE, SH_WAIVER_EXPIRED, SH_WAIVER_REVOKED } sh_waiver_state;

/* "active", "expired", "revoked", "not_counted" (NONE on a waiver that does not count). */
const char *sh_waiver_state_name(sh_waiver_state s);
/* For people: the state in lang ("ja" or "en", else ja) from the message catalog (static). */
const char *sh_waiver_state_label(sh_waiver_state s, const char *lang);

/* What decisions are checked against. NULL context (tests of quorum rules only): every decision counts. */
typedef struct {
  const char *store_id;
  const sh_vec *roster;           /* sh_roster_event* (roster.h) */
  const char *tz;                 /* time zone for showing times (clock.h); NULL = Asia/Tokyo */
  int64_t run_id;                 /* the run being reviewed: decisions of other runs are carried forward */
} sh_review_ctx;

/* One need of a quorum rule as counted on an item: role ("*" any role; NULL: the default rule, one accept by
 * any reviewer), accepts counted (at most count), count needed, and the rule's id (NULL for the default). */
typedef struct {
  const char *role, *rule_id;
  int accepted, count;
} sh_quorum_part;

/* What the review workflow says about one result (index-aligned with eval->results). */
typedef struct {
  sh_vec reviews;                 /* const sh_review* (borrowed), in recording order: this run's and those
                                     carried from earlier runs of the applicant; see not_counted / stale */
  size_t carried;                 /* decisions from earlier runs that count (evidence unchanged) */
  size_t stale;                   /* decisions from earlier runs whose evidence changed */
  char evidence_fp[65];           /* the item's evidence fingerprint in this run */
  sh_vec rules;                   /* const sh_quorum_rule* that apply */
  bool quorum_met;
  char *quorum_status;            /* e.g. "medical_professional 0/1 (rule), auditor 2/2 (rule)" in English (JSON,
                                     stored reasons); owned. In a report's language: sh_review_quorum_text */
  sh_vec quorum_parts;            /* sh_quorum_part* (owned): one per need of each rule that applies */
  size_t uncounted;               /* decisions not counted or stale */
  sh_verdict recorded;            /* the verdict as recorded (before reviews) */
  const sh_waiver *waiver;        /* the latest counting waiver on the item (else the latest one), or NULL */
  sh_waiver_state waiver_state;
} sh_item_review;

/* Reviews and waivers applied to an evaluation. Borrows reviews/waivers/quorum, owns items. */
typedef struct sh_review_state {
  const sh_quorum *quorum;
  sh_vec all_reviews;             /* const sh_review* of the run */
  sh_vec all_waivers;             /* const sh_waiver* of the run */
  sh_item_review *items;          /* e->results.n entries */
  size_t nitems;
  size_t waived_must;             /* must items not met but under an active waiver */
  size_t pending;                 /* items that still need a reviewer decision */
  char as_of[11];                 /* the day waiver expiry is judged on */
  char tz[64];                    /* the zone times are shown in (clock.h) */
  int64_t run_id;                 /* the run reviewed (0 without a context) */
} sh_review_state;

/* A decision's time in the state's zone, with " [carried from run N]", " [not counted: …]" or " [stale: …]"
 * when it applies (owned). */
char *sh_review_when(const sh_review_state *s, const sh_review *rv);
/* The same in a report's language (lang as sh_tr). */
char *sh_review_when_lang(const sh_review_state *s, const sh_review *rv, const char *lang);
/* The quorum of an item in lang: "medical_professional 0/1 (rule-id), any role 1/1 (rule-id); 1 decision not
 * counted". Caller frees. */
char *sh_review_quorum_text(const sh_item_review *ir, const char *lang);

/* Applies reviews and waivers to e (mutates verdicts and reasons, then recounts). Only decisions that
 * count are used: with a context, signed by a reviewer registered at the time who held the role, the
 * signature verifying (roster.h, sh_review_check), and made on the evidence this run has (a decision
 * from an earlier run of the applicant whose evidence fingerprint differs is stale). Then:
 *   - each reviewer's latest decision in each role counts (a decision in another role does not replace it);
 *   - any such decision `reject` -> not_satisfied;
 *   - needs_review items: a latest `request-more` keeps needs_review; otherwise satisfied when every
 *     quorum rule that applies is met (default rule: one accept by anyone), else needs_review;
 *   - a waiver applies while as_of <= expires: the verdict stays, the item is marked waived and no
 *     longer counts among must items not met; an expired waiver is reported as expired.
 * reviews/waivers: sh_review* / sh_waiver* of this run (borrowed, must outlive the state).
 * Returns a new state (free with sh_review_state_free). */
sh_review_state *sh_review_apply(sh_evaluation *e, const sh_quorum *q, const sh_vec *reviews,
                                 const sh_vec *waivers, sh_date as_of, const sh_review_ctx *ctx);
void sh_review_state_free(sh_review_state *s);
/* The entry for result r of the evaluation, or NULL. */
const sh_item_review *sh_review_for(const sh_review_state *s, const sh_evaluation *e, const sh_result *r);

/* ---------- a recorded run with its reviews applied (what `report` and `diff` read) ---------- */

typedef struct {
  sh_run_snapshot *snap;
  sh_quorum *quorum;              /* DATA_DIR/rules/quorum.yaml parsed against the run's vocabulary */
  sh_vec reviews, waivers;        /* sh_review*, sh_waiver* (owned): the applicant's, up to this run */
  sh_vec roster;                  /* sh_roster_event* (owned) */
  char store_id[65];
  char *tz;                       /* the time zone used (clock.h) */
  sh_review_state *state;
} sh_reviewed_run;

/* Loads run_id from the store, the quorum rules from data_dir, and applies the decisions and waivers of
 * the run's applicant (this run's and carried forward from earlier runs) as of as_of. tz: the time zone
 * (NULL: SHINSA_TZ, quorum.yaml, Asia/Tokyo); as_of NULL = today in that zone. Returns a new object
 * (sh_reviewed_run_free) or NULL with errors in d (their class tells bad input data, a malformed quorum
 * file, from I/O). */
sh_reviewed_run *sh_reviewed_run_load(sh_store *s, int64_t run_id, const char *data_dir, sh_date as_of, sh_diags *d);
sh_reviewed_run *sh_reviewed_run_load_tz(sh_store *s, int64_t run_id, const char *data_dir, const char *tz,
                                         const sh_date *as_of, sh_diags *d);
void sh_reviewed_run_free(sh_reviewed_run *r);

#endif
