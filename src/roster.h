/* roster: who may sign review decisions and what they sign.
 *   - the reviewer roster of a store: an append-only list of events (a reviewer added with roles and
 *     an OpenSSH public key, or revoked); a reviewer's state at any point is the fold of the events
 *     up to it, so decisions made before a revocation or a key change stay verifiable;
 *   - the canonical signed texts (payloads) of a decision, a waiver, a waiver revocation and a log
 *     anchor (documented in docs/reports-and-review.md, "Signed texts");
 *   - the evidence basis of an item: the lines (facts with value and provenance, attesting documents
 *     with SHA-256, the item's rule text) its verdict depended on, and their SHA-256 fingerprint.
 * Every returned string is owned by the caller. */
#ifndef SHINSA_ROSTER_H
#define SHINSA_ROSTER_H

#include "eval.h"

#define SH_SIG_NAMESPACE "shinsa"

/* One roster event. Strings owned (sh_roster_event_free). */
typedef struct sh_roster_event {
  int64_t id;            /* order of events (0 until stored) */
  char *reviewer;
  bool revoke;           /* false: added (or re-added with new roles/key); true: revoked */
  char *roles;           /* space-separated role ids ("" for a revocation) */
  char *public_key;      /* "TYPE BASE64" ("" for a revocation) */
  char *key_fingerprint; /* "SHA256:..." ("" for a revocation) */
  char *note;
  char *recorded_at;     /* ISO 8601 UTC */
} sh_roster_event;

void sh_roster_event_free(void *p);

/* The reviewer's state after the events with id <= upto (events in id order; upto < 0: all).
 * Returns the add event in force, or NULL when the reviewer was never added or is revoked (then
 * *revoked, when not NULL, is the revocation event). */
const sh_roster_event *sh_roster_state(const sh_vec *events, const char *reviewer, int64_t upto,
                                       const sh_roster_event **revoked);
bool sh_roster_has_role(const sh_roster_event *add, const char *role);
/* The highest event id (0 for an empty roster). */
int64_t sh_roster_last(const sh_vec *events);

struct sh_review;
struct sh_waiver;

/* The canonical texts that are signed (UTF-8, LF line ends, "key: value" lines in a fixed order,
 * values with '\\', LF and CR escaped). */
char *sh_decision_payload(const char *store_id, const struct sh_review *r);
char *sh_waiver_payload(const char *store_id, const struct sh_waiver *w);
char *sh_waiver_revocation_payload(const char *store_id, int64_t waiver_id, const char *by, const char *reason,
                                   const char *time);
char *sh_anchor_payload(const char *store_id, int64_t seq, const char *head, const char *time);

/* The evidence basis of result r (see above) and its SHA-256 (hex) in fp. */
char *sh_item_basis(const sh_evaluation *e, const sh_result *r, char fp[65]);
/* What changed between two bases, for people ("fact x: a -> b; document p removed"). */
char *sh_basis_changes(const char *before, const char *after, const char *lang);

/* Checks a stored decision: signed, by a reviewer registered (not revoked) at r->roster_seq who held
 * r->role then, and the signature verifies over the payload with that reviewer's key. Returns NULL
 * when it counts, else why not. */
char *sh_review_check(const struct sh_review *r, const char *store_id, const sh_vec *roster);
/* The same for a waiver (the approver must be registered with any role). */
char *sh_waiver_check(const struct sh_waiver *w, const char *store_id, const sh_vec *roster);
/* The same two, why not as a language-neutral reason (key and arguments, sh_reason_text renders it in the
 * report's language; the returned strings above are in the terminal's language). NULL when it counts; caller
 * frees with sh_reason_free. */
sh_reason *sh_review_check_reason(const struct sh_review *r, const char *store_id, const sh_vec *roster);
sh_reason *sh_waiver_check_reason(const struct sh_waiver *w, const char *store_id, const sh_vec *roster);

#endif
