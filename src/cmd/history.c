/* cmd/history: `shinsa history`: list the runs recorded in a database (rendering: store.h). */
#include "cmd.h"

typedef struct {
  const char *db, *format;
} history_opts;

static const sh_cli_opt opts[] = {
  SH_OPT_DB(history_opts, true),
  SH_OPT_FORMAT_TEXT_JSON(history_opts),
  SH_CLI_OPT_END,
};

static void run(void *vo, const sh_cli_args *pos, sh_diags *d) {
  history_opts *o = vo;
  sh_store *s = sh_cmd_open_store_readonly(o->db, d);
  sh_vec runs = {0};
  if (s && s->ops->list_runs(s, &runs, d) == 0) {
    sh_buf out = {0};
    if (o->format[0] == 'j') sh_run_summaries_json(&runs, &out);
    else sh_run_summaries_text(&runs, &out);
    sh_term_fputs(sh_buf_str(&out), stdout); /* cleaned on a terminal */
    sh_buf_free(&out);
  }
  sh_vec_free_all(&runs, sh_run_summary_free);
  sh_store_close(s);
}

const sh_cli_cmd sh_cmd_history = {
  .name = "history",
  .summary = N_("list the runs recorded in a database"),
  .usage = "--db DB [OPTIONS]",
  .description = N_("Lists the runs recorded in the database: time, applicant, frameworks and versions, counts.\n"),
  .opts = opts,
  .opts_size = sizeof(history_opts),
  .run = run,
  .examples = (const sh_cli_example[]){
    {"history --db runs.db", N_("lists the recorded runs as a table")},
    {"history --db runs.db --format json", N_("the same as a JSON array")},
    {NULL, NULL}},
  .exits = (const sh_cli_exit[]){{0, N_("success")}, {2, N_("usage or I/O error (no such database)")}, {0, NULL}},
};
