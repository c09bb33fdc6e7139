/* cmd/report: `shinsa report`: re-render a recorded run with the decisions and waivers since. */
#include "cmd.h"

#include "config.h"
#include "report.h"
#include "report_cells.h"
#include "review.h"

#include <stdlib.h>

typedef struct {
  sh_vec out;
  const char *db, *view, *format, *lang, *as_of, *data_dir, *tz;
} report_opts;

static const sh_cli_opt opts[] = {
  SH_OPT_DB(report_opts, true),
  {"view", 0, SH_CLI_STR, offsetof(report_opts, view), "VIEW", "auditor",
   N_("auditor, applicant (gap list) or ethics (data ethics board)"), NULL, false},
  SH_OPT_REPORT_OUT(report_opts),
  SH_OPT_LANG(report_opts),
  {"as-of", 0, SH_CLI_STR, offsetof(report_opts, as_of), "DATE", NULL,
   N_("judge waiver expiry on DATE (YYYY-MM-DD; default today in the certifying body's time zone)"), NULL, false},
  {"tz", 0, SH_CLI_STR, offsetof(report_opts, tz), "ZONE", NULL,
   N_("the certifying body's time zone (default: $SHINSA_TZ, rules/quorum.yaml, Asia/Tokyo)"), NULL, false},
  {"data-dir", 0, SH_CLI_STR, offsetof(report_opts, data_dir), "DIR", NULL,
   N_("where rules/quorum.yaml and reports/report.css are"), NULL, false},
  SH_CLI_OPT_END,
};

static void run(void *vo, const sh_cli_args *pos, sh_diags *d) {
  report_opts *o = vo;
  int64_t run_id;
  if (!sh_cmd_run_id(pos->v[0], &run_id, d)) return;
  if (!sh_report_view_find(o->view)) {
    sh_error_usage(d, "unknown view '%s' (expected one of: %s)", o->view, sh_report_views());
    return;
  }
  sh_date as_of = 0;
  if (o->as_of && !sh_date_parse(o->as_of, &as_of)) {
    sh_error_usage(d, "--as-of must be a date YYYY-MM-DD");
    return;
  }
  const char *data_dir = sh_cmd_data_dir(o->data_dir);
  sh_report_out *outs = NULL;
  int nouts = sh_report_plan((const char *const *)o->out.v, o->out.n, o->format, &outs, d);
  if (nouts < 0) return;
  sh_reviewed_run *rr = NULL;
  sh_store *s = sh_cmd_open_store_readonly(o->db, d);
  if (s) rr = sh_reviewed_run_load_tz(s, run_id, data_dir, o->tz, o->as_of ? &as_of : NULL, d);
  if (rr) {
    const sh_evaluation *e = rr->snap->eval;
    sh_report_ctx ctx = {.eval = e, .lang = sh_report_lang(o->lang), .view = o->view, .data_dir = data_dir, .run_id = run_id,
                         .tool_version = SHINSA_VERSION, .color = sh_report_colour_wanted(), .reviews = rr->state};
    if (sh_report_outputs(&ctx, outs, (size_t)nouts, d) == 0 &&
        (e->must_failing || e->findings.n))
      sh_diags_findings(d, 1);
  }
  free(outs);
  sh_reviewed_run_free(rr);
  sh_store_close(s);
}

const sh_cli_cmd sh_cmd_report = {
  .name = "report",
  .summary = N_("re-render a recorded run (views: auditor, applicant, ethics)"),
  .usage = "--db DB [OPTIONS] RUN",
  .description = N_("Re-renders recorded run RUN from the database snapshot (the vocabulary and framework texts,\n"
                 "facts, documents, verdicts and reasons stored with the run: the evidence folder is not read),\n"
                 "with the reviewer decisions and waivers recorded since applied.\n"),
  .opts = opts,
  .opts_size = sizeof(report_opts),
  .min_pos = 1,
  .max_pos = 1,
  .run = run,
  .examples = (const sh_cli_example[]){
    {"report --db runs.db 3", N_("re-renders run 3 for the auditor")},
    {"report --db runs.db --view applicant --format html -o gaps.html 3", N_("the applicant's gap list as HTML")},
    {"report --db runs.db --as-of 2027-04-01 3", N_("judges the waivers as they will stand on 1 April 2027")},
    {NULL, NULL}},
  .exits = (const sh_cli_exit[]){{0, N_("every applicable must item satisfied (or waived)")},
                                 {1, N_("findings")},
                                 {2, N_("usage or I/O error")},
                                 {3, N_("invalid data")},
                                 {0, NULL}},
};
