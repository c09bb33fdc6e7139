/* cmd/log: the `shinsa log` group: `shinsa log verify` checks the tamper-evident audit log. */
#include "cmd.h"

#include "auditlog.h"

typedef struct {
  const char *db;
} verify_opts;

static const sh_cli_opt verify_opts_table[] = {
  SH_OPT_DB(verify_opts, true),
  SH_CLI_OPT_END,
};

static void run_verify(void *vo, const sh_cli_args *pos, sh_diags *d) {
  verify_opts *o = vo;
  sh_log_status st = {0};
  sh_store *s = sh_cmd_open_store_readonly(o->db, d);
  int v = s ? s->ops->verify_log(s, &st, d) : -1;
  if (v == 0) {
    printf("shinsa: audit log intact: %zu row%s, head %s\n", st.rows, st.rows == 1 ? "" : "s",
           st.head[0] ? st.head : "(empty)");
    if (st.legacy_runs)
      printf("shinsa: note: %zu run%s recorded before the audit log existed %s not covered\n", st.legacy_runs,
             st.legacy_runs == 1 ? "" : "s", st.legacy_runs == 1 ? "is" : "are");
  } else if (v == 1) {
    if (st.first_bad_seq > 0)
      sh_error_finding(d, o->db, 0, 0, "audit log row %lld: %s", (long long)st.first_bad_seq, st.problem);
    else sh_error_finding(d, o->db, 0, 0, "%s", st.problem);
  }
  sh_log_status_clear(&st);
  sh_store_close(s);
}

static const sh_cli_cmd sh_cmd_log_verify = {
  .name = "verify",
  .summary = "verify the audit log's hash chain",
  .usage = "--db FILE",
  .description = "Verifies the audit log: every write to the store (runs, reviews, waivers) appended a row chained\n"
                 "by SHA-256 over the previous row's hash and the canonical content of the rows written. Reports the\n"
                 "first row that was altered or removed, and rows that bypassed the log. Prints the head hash: keep\n"
                 "it outside the database to detect a rewritten chain.\n",
  .opts = verify_opts_table,
  .opts_size = sizeof(verify_opts),
  .run = run_verify,
  .examples = (const sh_cli_example[]){
    {"log verify --db runs.db", "checks the chain and prints its head hash"},
    {"log verify --db /srv/shinsa/audit.db", "the same on the production database"},
    {NULL, NULL}},
  .exits = (const sh_cli_exit[]){{0, "intact"}, {1, "tampering found"}, {2, "usage or I/O error"}, {0, NULL}},
};

const sh_cli_cmd sh_cmd_log = {
  .name = "log",
  .summary = "verify the tamper-evident audit log of a database",
  .usage = "COMMAND [OPTIONS]",
  .description = "The audit log of a database: every write to the store appends a row to a SHA-256 hash chain.\n",
  .subs = (const sh_cli_cmd *const[]){&sh_cmd_log_verify, NULL},
  .examples = (const sh_cli_example[]){
    {"log verify --db runs.db", "verifies the audit log"},
    {"help log verify", "the help of 'log verify'"},
    {NULL, NULL}},
  .exits = (const sh_cli_exit[]){{0, "intact"}, {1, "tampering found"}, {2, "usage or I/O error"}, {0, NULL}},
};
