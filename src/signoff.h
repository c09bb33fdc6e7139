/* signoff: the signed review workflow as the commands use it, over any store back end (store.h):
 * registering and revoking reviewers, recording a signed decision or waiver (checking the reviewer,
 * the role, the waiver's expiry in the body's time zone, building the signed text, signing it with
 * ssh-keygen or taking a detached signature, verifying it before anything is written), checking
 * every stored signature, and log anchors (a signed statement of the audit log head kept outside the
 * database). Functions return an exit code (diag.h: 0 ok, 1 findings, 2 usage/IO, 3 invalid data)
 * with errors in d. Returned strings are owned by the caller. */
#ifndef SHINSA_SIGNOFF_H
#define SHINSA_SIGNOFF_H

#include "auditlog.h"
#include "review.h"
#include "roster.h"

typedef struct {
  const char *key_file;   /* --key: sign with `ssh-keygen -Y sign` (private key, or public key in ssh-agent) */
  const char *signature;  /* --signature: an armored SSHSIG (the file's text) made over the printed payload */
  const char *time;       /* --time: the time in the signed text (ISO 8601 UTC); NULL = now */
  bool print_payload;     /* build and return the payload only; write nothing */
  const char *tz;         /* --tz, or NULL (SHINSA_TZ, quorum.yaml, Asia/Tokyo) */
} sh_sign_opts;

/* sh_signoff_reviewer_add, _revoke, sh_signoff_review and sh_signoff_waiver return 0, or -1 after adding their
 * diagnostics to d: the class of those (usage, io, data) gives the exit code (sh_diags_exit_code). */

/* Registers (or re-registers with new roles/key) a reviewer. roles: char*, each defined in the
 * quorum file of data_dir. pubkey_text: the .pub file's text (pubkey_file names it in errors). */
int sh_signoff_reviewer_add(sh_store *s, const char *data_dir, const char *name, const sh_vec *roles,
                            const char *pubkey_text, const char *pubkey_file, const char *note, char **fingerprint,
                            sh_diags *d);
int sh_signoff_reviewer_revoke(sh_store *s, const char *name, const char *note, sh_diags *d);

/* Records a decision: r has run_id, framework_id, item_id, decision, reviewer, role, note; the rest is
 * filled in here. *payload (owned, may be NULL on error) is the signed text; *id the new review id. */
int sh_signoff_review(sh_store *s, const char *data_dir, sh_review *r, const sh_sign_opts *o, char **payload,
                      int64_t *id, sh_diags *d);
/* Records a waiver (approver, justification, scope, expires given). An expiry before today in the body's
 * time zone is refused. */
int sh_signoff_waiver(sh_store *s, const char *data_dir, sh_waiver *w, const sh_sign_opts *o, char **payload,
                      int64_t *id, sh_diags *d);

/* Checks the signature of every decision and waiver in the store. Returns 0 when every signed one verifies;
 * -1 after reporting the first that does not (a finding at the store's location) or a database error (io).
 * *unsigned_n counts rows recorded before signatures existed (never counted). */
int sh_signoff_verify_all(sh_store *s, size_t *checked, size_t *unsigned_n, sh_diags *d);

/* Writes a signed anchor of the current audit log head (the log must verify intact: else a finding) into *text:
 * the payload (sh_anchor_payload) followed by the armored signature. Returns 0, or -1 after adding diagnostics. */
int sh_anchor_make(sh_store *s, const char *key_file, char **text, sh_diags *d);
/* Checks an anchor against the store: its signature by pubkey_text, the store id, that the log still
 * has the anchored row with the anchored hash. Returns 0 when it matches, else -1 after adding a diagnostic: a
 * finding at the store's location when the log was rewritten or cut back (or is another store), a data error for
 * a bad key or anchor, io for a database error. */
int sh_anchor_verify(sh_store *s, const char *anchor_text, const char *anchor_file, const char *pubkey_text,
                     const char *pubkey_file, sh_diags *d);

#endif
