/* cmd/diff: `shinsa diff`: what changed between two recorded runs (diff.h does the work). */
#include "cmd.h"

#include "diff.h"
#include "report.h"
#include "review.h"
#include "snapshot.h"

typedef struct {
  const char *db, *format, *lang, *data_dir, *tz;
} diff_opts;

static const sh_cli_opt opts[] = {
  SH_OPT_DB(diff_opts, true),
  SH_OPT_FORMAT_TEXT_JSON(diff_opts),
  SH_OPT_LANG(diff_opts),
  SH_OPT_DATA_DIR(diff_opts),
  {"tz", 0, SH_CLI_STR, offsetof(diff_opts, tz), "ZONE", NULL,
   N_("the certifying body's time zone for waiver days (default: $SHINSA_TZ, rules/quorum.yaml, Asia/Tokyo)"), NULL,
   false},
  SH_CLI_OPT_END,
};

static void run(void *vo, const sh_cli_args *pos, sh_diags *d) {
  diff_opts *o = vo;
  int64_t ra, rb;
  if (!sh_cmd_run_id(pos->v[0], &ra, d) || !sh_cmd_run_id(pos->v[1], &rb, d)) return;
  sh_reviewed_run *x = NULL, *y = NULL;
  const char *dd = sh_cmd_data_dir(o->data_dir);
  sh_store *s = sh_cmd_open_store_readonly(o->db, d);
  if (s && (x = sh_reviewed_run_load_tz(s, ra, dd, o->tz, NULL, d)) && (y = sh_reviewed_run_load_tz(s, rb, dd, o->tz, NULL, d))) {
    if (!sh_streq(x->snap->evidence->applicant_name, y->snap->evidence->applicant_name))
      sh_diag_add(d, SH_SEV_WARNING, NULL, 0, 0, "runs %lld and %lld are of different applicants (%s, %s)",
                  (long long)ra, (long long)rb, x->snap->evidence->applicant_name, y->snap->evidence->applicant_name);
    sh_buf out = {0};
    size_t n = sh_run_diff_reviewed(x->snap, x->state, y->snap, y->state, o->format, sh_report_lang(o->lang), &out);
    if (sh_report_output(NULL, &out, d) == 0) sh_diags_findings(d, n);
    sh_buf_free(&out);
  }
  sh_reviewed_run_free(x);
  sh_reviewed_run_free(y);
  sh_store_close(s);
}

const sh_cli_cmd sh_cmd_diff = {
  .name = "diff",
  .summary = N_("what changed between two recorded runs"),
  .usage = "--db DB [OPTIONS] RUN_A RUN_B",
  .description = N_("Lists what changed from run RUN_A to run RUN_B: framework versions and texts, documents and their\n"
                 "hashes and status, fact values and provenance, item verdicts as recorded and as effective (reviewer\n"
                 "decisions and waivers applied, carried forward within an applicant), the counted decisions and the\n"
                 "waivers per item. Warns when the two runs are of different applicants.\n"),
  .opts = opts,
  .opts_size = sizeof(diff_opts),
  .min_pos = 2,
  .max_pos = 2,
  .run = run,
  .examples = (const sh_cli_example[]){
    {"diff --db runs.db 2 3", N_("what changed from run 2 to run 3")},
    {"diff --db runs.db --format json --lang en 2 3", N_("the same as JSON")},
    {NULL, NULL}},
  .exits = (const sh_cli_exit[]){{0, N_("no difference")}, {1, N_("differences")}, {2, N_("usage or I/O error")}, {0, NULL}},
};
