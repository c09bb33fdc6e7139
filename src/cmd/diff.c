/* cmd/diff: `shinsa diff`: what changed between two recorded runs (diff.h does the work). */
#include "cmd.h"

#include "diff.h"
#include "report.h"
#include "snapshot.h"

typedef struct {
  const char *db, *format, *lang;
} diff_opts;

static const sh_cli_opt opts[] = {
  SH_OPT_DB(diff_opts, true),
  SH_OPT_FORMAT_TEXT_JSON(diff_opts),
  SH_OPT_LANG(diff_opts),
  SH_CLI_OPT_END,
};

static void run(void *vo, const sh_cli_args *pos, sh_diags *d) {
  diff_opts *o = vo;
  int64_t ra, rb;
  if (!sh_cmd_run_id(pos->v[0], &ra, d) || !sh_cmd_run_id(pos->v[1], &rb, d)) return;
  sh_run_snapshot *x = NULL, *y = NULL;
  sh_store *s = sh_cmd_open_store_readonly(o->db, d);
  if (s && (x = s->ops->load_run(s, ra, d)) && (y = s->ops->load_run(s, rb, d))) {
    sh_buf out = {0};
    size_t n = sh_run_diff(x, y, o->format, o->lang, &out);
    if (sh_report_output(NULL, &out, d) == 0) sh_diags_findings(d, n);
    sh_buf_free(&out);
  }
  sh_run_snapshot_free(x);
  sh_run_snapshot_free(y);
  sh_store_close(s);
}

const sh_cli_cmd sh_cmd_diff = {
  .name = "diff",
  .summary = "what changed between two recorded runs",
  .usage = "--db DB [OPTIONS] RUN_A RUN_B",
  .description = "Lists what changed from run RUN_A to run RUN_B: framework versions and texts, documents and their\n"
                 "hashes and status, fact values and provenance, and item verdicts as recorded.\n",
  .opts = opts,
  .opts_size = sizeof(diff_opts),
  .min_pos = 2,
  .max_pos = 2,
  .run = run,
  .examples = (const sh_cli_example[]){
    {"diff --db runs.db 2 3", "what changed from run 2 to run 3"},
    {"diff --db runs.db --format json --lang en 2 3", "the same as JSON"},
    {NULL, NULL}},
  .exits = (const sh_cli_exit[]){{0, "no difference"}, {1, "differences"}, {2, "usage or I/O error"}, {0, NULL}},
};
