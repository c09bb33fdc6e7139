/* store_sqlite_sig: the SQLite side of signed review: schema migration 2->3 (store id, reviewer
 * roster, signed columns of reviews and waivers, waiver revocations, audit kinds for them), roster
 * events, waiver revocation and reading audit row hashes (for log anchors). See store.h. */
#ifndef SHINSA_STORE_SQLITE_SIG_H
#define SHINSA_STORE_SQLITE_SIG_H

#include "store.h"

/* Schema 2 -> 3 (never edit once released). The audit log is rebuilt to admit the new kinds; its rows
 * and AUTOINCREMENT counter are kept. */
#define SH_SQLITE_SIG_MIGRATION                                                                          \
  "CREATE TABLE store_meta (store_id TEXT NOT NULL);"                                                    \
  "INSERT INTO store_meta VALUES (lower(hex(randomblob(16))));"                                          \
  "CREATE TABLE roster ("                                                                                \
  "  id INTEGER PRIMARY KEY, reviewer TEXT NOT NULL,"                                                    \
  "  event TEXT NOT NULL CHECK (event IN ('add', 'revoke')), roles TEXT NOT NULL,"                       \
  "  public_key TEXT NOT NULL, key_fingerprint TEXT NOT NULL, note TEXT NOT NULL,"                       \
  "  recorded_at TEXT NOT NULL);"                                                                        \
  "ALTER TABLE reviews ADD COLUMN applicant TEXT;"                                                       \
  "ALTER TABLE reviews ADD COLUMN fw_version TEXT;"                                                      \
  "ALTER TABLE reviews ADD COLUMN evidence_fp TEXT;"                                                     \
  "ALTER TABLE reviews ADD COLUMN basis TEXT;"                                                           \
  "ALTER TABLE reviews ADD COLUMN signature TEXT;"                                                       \
  "ALTER TABLE reviews ADD COLUMN roster_seq INTEGER;"                                                   \
  "ALTER TABLE waivers ADD COLUMN applicant TEXT;"                                                       \
  "ALTER TABLE waivers ADD COLUMN fw_version TEXT;"                                                      \
  "ALTER TABLE waivers ADD COLUMN evidence_fp TEXT;"                                                     \
  "ALTER TABLE waivers ADD COLUMN basis TEXT;"                                                           \
  "ALTER TABLE waivers ADD COLUMN signature TEXT;"                                                       \
  "ALTER TABLE waivers ADD COLUMN roster_seq INTEGER;"                                                   \
  "CREATE TABLE waiver_revocations ("                                                                    \
  "  id INTEGER PRIMARY KEY, waiver_id INTEGER NOT NULL UNIQUE REFERENCES waivers(id),"                  \
  "  revoked_by TEXT NOT NULL, reason TEXT NOT NULL, recorded_at TEXT NOT NULL);"                        \
  "CREATE TABLE audit_log_v3 ("                                                                          \
  "  seq INTEGER PRIMARY KEY AUTOINCREMENT, recorded_at TEXT NOT NULL,"                                  \
  "  kind TEXT NOT NULL CHECK (kind IN ('run', 'review', 'waiver', 'roster', 'revocation')),"            \
  "  ref INTEGER NOT NULL, content TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);"         \
  "INSERT INTO audit_log_v3 SELECT seq, recorded_at, kind, ref, content, prev_hash, hash FROM audit_log;" \
  "INSERT INTO sqlite_sequence (name, seq) SELECT 'audit_log_v3', seq FROM sqlite_sequence"              \
  "  WHERE name = 'audit_log' AND NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'audit_log_v3');" \
  "UPDATE sqlite_sequence SET seq = max(seq, coalesce((SELECT seq FROM sqlite_sequence"                  \
  "  WHERE name = 'audit_log'), 0)) WHERE name = 'audit_log_v3';"                                        \
  "DROP TABLE audit_log;"                                                                                \
  "ALTER TABLE audit_log_v3 RENAME TO audit_log;"

int sh_sqlite_sig_store_id(sh_store *s, char out[65], sh_diags *d);
int sh_sqlite_sig_roster_append(sh_store *s, const struct sh_roster_event *ev, int64_t *out_id, sh_diags *d);
int sh_sqlite_sig_list_roster(sh_store *s, sh_vec *out, sh_diags *d);
int sh_sqlite_sig_revoke_waiver(sh_store *s, int64_t waiver_id, const char *by, const char *reason, sh_diags *d);
int sh_sqlite_sig_log_hash_at(sh_store *s, int64_t seq, char out[65], sh_diags *d);

#endif
