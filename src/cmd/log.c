/* cmd/log: the `shinsa log` group: `shinsa log verify` checks the tamper-evident audit log. */
#include "cmd.h"

#include "auditlog.h"
#include "fileio.h"
#include "signoff.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  const char *db, *anchor, *pubkey;
} verify_opts;

static const sh_cli_opt verify_opts_table[] = {
  SH_OPT_DB(verify_opts, true),
  {"anchor", 0, SH_CLI_STR, offsetof(verify_opts, anchor), "ANCHOR_FILE", NULL,
   N_("also check the log against an anchor made by 'shinsa log anchor' (needs --pubkey)"), NULL, false},
  {"pubkey", 0, SH_CLI_STR, offsetof(verify_opts, pubkey), "PUBLIC_KEY_FILE", NULL,
   N_("the OpenSSH public key the anchor was signed with (kept outside the database)"), NULL, false},
  SH_CLI_OPT_END,
};

static char *read_text(const char *path, sh_diags *d) {
  char *t = NULL;
  size_t len;
  if (sh_read_file(path, 1 << 20, &t, &len) != 0) {
    sh_error_io(d, path, 0, 0, "cannot read it");
    return NULL;
  }
  return t;
}

static void run_verify(void *vo, const sh_cli_args *pos, sh_diags *d) {
  verify_opts *o = vo;
  sh_log_status st = {0};
  if ((o->anchor != NULL) != (o->pubkey != NULL)) {
    sh_error_usage(d, "--anchor and --pubkey go together");
    return;
  }
  char *anchor = o->anchor ? read_text(o->anchor, d) : NULL, *pub = o->pubkey ? read_text(o->pubkey, d) : NULL;
  if (o->anchor && (!anchor || !pub)) {
    free(anchor);
    free(pub);
    return;
  }
  sh_store *s = sh_cmd_open_store_readonly(o->db, d);
  int v = s ? s->ops->verify_log(s, &st, d) : -1;
  if (v == 0) {
    printf(st.rows == 1 ? _("shinsa: audit log intact: %zu row, head %s\n")
                        : _("shinsa: audit log intact: %zu rows, head %s\n"),
           st.rows, st.head[0] ? st.head : _("(empty)"));
    if (st.legacy_runs)
      printf(st.legacy_runs == 1 ? _("shinsa: note: %zu run recorded before the audit log existed is not covered\n")
                                 : _("shinsa: note: %zu runs recorded before the audit log existed are not covered\n"),
             st.legacy_runs);
    size_t checked = 0, uns = 0;
    if (sh_signoff_verify_all(s, &checked, &uns, d) == 0) { /* else a finding or an error is in d */
      printf(checked == 1 ? _("shinsa: signatures verified: %zu decision and waiver\n")
                          : _("shinsa: signatures verified: %zu decisions and waivers\n"),
             checked);
      if (uns)
        printf(uns == 1
                   ? _("shinsa: note: %zu decision or waiver recorded before signatures were required (never counted)\n")
                   : _("shinsa: note: %zu decisions or waivers recorded before signatures were required (never counted)\n"),
               uns);
    }
    if (anchor && sh_anchor_verify(s, anchor, o->anchor, pub, o->pubkey, d) == 0)
      printf(_("shinsa: anchor %s matches: the log was not rewritten or cut back since\n"), o->anchor);
  } else if (v == 1) {
    if (st.first_bad_seq > 0)
      sh_error_finding(d, s->location, 0, 0, "audit log row %lld: %s", (long long)st.first_bad_seq, st.problem);
    else sh_error_finding(d, s->location, 0, 0, "%s", st.problem);
  }
  sh_log_status_clear(&st);
  sh_store_close(s);
  free(anchor);
  free(pub);
}

static const sh_cli_cmd sh_cmd_log_verify = {
  .name = "verify",
  .summary = N_("verify the audit log's hash chain"),
  .usage = "--db DB [--anchor ANCHOR_FILE --pubkey PUBLIC_KEY_FILE]",
  .description = N_("Verifies the audit log: every write to the store (runs, reviews, waivers, the roster) appended a\n"
                 "row chained by SHA-256 over the previous row's hash and the canonical content of the rows written.\n"
                 "Reports the first row that was altered or removed, and rows that bypassed the log. Then checks the\n"
                 "signature of every decision and waiver against the roster. With --anchor, checks that the log still\n"
                 "holds the row and hash a signed anchor recorded: a database rewritten wholesale (chain recomputed)\n"
                 "or cut back after the anchor was made is caught only this way.\n"),
  .opts = verify_opts_table,
  .opts_size = sizeof(verify_opts),
  .run = run_verify,
  .examples = (const sh_cli_example[]){
    {"log verify --db runs.db", N_("checks the chain and prints its head hash")},
    {"log verify --db runs.db --anchor 2026-q1.anchor --pubkey body.pub", N_("also against a kept anchor")},
    {NULL, NULL}},
  .exits = (const sh_cli_exit[]){{0, N_("intact")}, {1, N_("tampering found (chain, signature or anchor)")},
                                 {2, N_("usage or I/O error")}, {3, N_("invalid anchor or public key")}, {0, NULL}},
};

typedef struct {
  const char *db, *key, *out;
} anchor_opts;

static const sh_cli_opt anchor_opts_table[] = {
  SH_OPT_DB(anchor_opts, true),
  {"key", 0, SH_CLI_STR, offsetof(anchor_opts, key), "KEY_FILE", NULL,
   N_("the certifying body's signing key (private key, or public key in ssh-agent)"), NULL, true},
  {"out", 'o', SH_CLI_STR, offsetof(anchor_opts, out), "FILE", NULL, N_("write the anchor to FILE (atomically)"), NULL, true},
  SH_CLI_OPT_END,
};

static void run_anchor(void *vo, const sh_cli_args *pos, sh_diags *d) {
  anchor_opts *o = vo;
  sh_store *s = sh_cmd_open_store_readonly(o->db, d);
  char *text = NULL;
  if (s && sh_anchor_make(s, o->key, &text, d) == 0) {
    if (sh_write_file_atomic(o->out, text, strlen(text)) == 0)
      printf(_("shinsa: anchor written to %s: keep it (and the public key) outside the database\n"), o->out);
    else sh_error_io(d, o->out, 0, 0, "cannot write the anchor: %s", strerror(errno));
  }
  free(text);
  sh_store_close(s);
}

static const sh_cli_cmd sh_cmd_log_anchor = {
  .name = "anchor",
  .summary = N_("write a signed statement of the audit log's current head"),
  .usage = "--db DB --key KEY_FILE --out FILE",
  .description = N_("Verifies the log, then writes to FILE the store id, the number of audit rows, the head hash and\n"
                 "the time, signed with KEY_FILE (SSHSIG, namespace shinsa). The certifying body keeps the file\n"
                 "outside the database; 'shinsa log verify --anchor FILE --pubkey KEY.pub' later proves that the rows\n"
                 "it covers are still there, unchanged.\n"),
  .opts = anchor_opts_table,
  .opts_size = sizeof(anchor_opts),
  .run = run_anchor,
  .examples = (const sh_cli_example[]){
    {"log anchor --db runs.db --key ~/.ssh/body_ed25519 --out 2026-q1.anchor", N_("anchors the current head")},
    {"log verify --db runs.db --anchor 2026-q1.anchor --pubkey body_ed25519.pub", N_("checks it later")},
    {NULL, NULL}},
  .exits = (const sh_cli_exit[]){{0, N_("written")}, {1, N_("the log is not intact: no anchor")}, {2, N_("usage or I/O error")},
                                 {0, NULL}},
};

const sh_cli_cmd sh_cmd_log = {
  .name = "log",
  .summary = N_("verify the tamper-evident audit log of a database"),
  .usage = "COMMAND [OPTIONS]",
  .description = N_("The audit log of a database: every write to the store appends a row to a SHA-256 hash chain.\n"),
  .subs = (const sh_cli_cmd *const[]){&sh_cmd_log_verify, &sh_cmd_log_anchor, NULL},
  .examples = (const sh_cli_example[]){
    {"log verify --db runs.db", N_("verifies the audit log")},
    {"help log verify", N_("the help of 'log verify'")},
    {NULL, NULL}},
  .exits = (const sh_cli_exit[]){{0, N_("intact")}, {1, N_("tampering found")}, {2, N_("usage or I/O error")}, {0, NULL}},
};
