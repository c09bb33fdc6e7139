/* cmd/check: `shinsa check`: evaluate an evidence package against frameworks and report. */
#include "cmd.h"

#include "answers.h"

#include "carryover.h"
#include "config.h"
#include "crosswalk.h"
#include "eval.h"
#include "evidence.h"
#include "framework.h"
#include "gate.h"
#include "review.h"
#include "probe.h"
#include "report.h"
#include "report_cells.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
  sh_vec framework, out;
  const char *format, *view, *lang, *db, *data_dir, *probe_root, *baseline;
} check_opts;

static const sh_cli_opt opts[] = {
  {"framework", 'f', SH_CLI_LIST, offsetof(check_opts, framework), "ID|PATH", NULL,
   N_("framework to check, by id or as a framework/overlay file (PATH: has a '/' or ends in .yaml);\n"
   "default: the package's frameworks: list"), NULL, false},
  {"view", 0, SH_CLI_STR, offsetof(check_opts, view), "VIEW", "auditor",
   N_("auditor, applicant (gap list) or ethics (data ethics board)"), NULL, false},
  SH_OPT_REPORT_OUT(check_opts),
  SH_OPT_LANG(check_opts),
  {"db", 0, SH_CLI_STR, offsetof(check_opts, db), "DB", NULL,
   N_("record the run in this store: a SQLite file or a postgresql:// URL (only when given: $SHINSA_DB is not used)"),
   NULL, false},
  SH_OPT_DATA_DIR(check_opts),
  {"probe-root", 0, SH_CLI_STR, offsetof(check_opts, probe_root), "DIR", NULL,
   N_("read system configuration under DIR (see 'shinsa probe'); probed facts replace declared ones"), NULL, false},
  {"baseline", 0, SH_CLI_STR, offsetof(check_opts, baseline), "RUN|REPORT.json", NULL,
   N_("regression gate: exit 1 listing every item whose effective verdict is worse than in recorded run RUN (with\n"
   "--db) or in a JSON report (check/report --format json); other findings then do not set exit 1"), NULL, false},
  SH_CLI_OPT_END,
};

/* --baseline: compares effective verdicts (decisions and waivers applied, carried forward for a recorded run)
 * with the baseline's; every item worse is a finding. */
static void regression_gate(const check_opts *o, sh_store *store, int64_t run_id, const sh_evaluation *e,
                            const char *data_dir, sh_diags *d) {
  sh_gate base = {0}, now = {0};
  sh_reviewed_run *rb = NULL, *rn = NULL;
  sh_vec worse = {0};
  const char *b = o->baseline;
  bool is_run = *b && strspn(b, "0123456789") == strlen(b);
  if (is_run) {
    int64_t id;
    if (!store) {
      sh_error_usage(d, "--baseline RUN needs --db (or give a JSON report file)");
      goto done;
    }
    if (!sh_cmd_run_id(b, &id, d) || !(rb = sh_reviewed_run_load_tz(store, id, data_dir, NULL, NULL, d))) goto done;
    sh_gate_from_eval(&base, rb->snap->eval, rb->state);
  } else if (sh_gate_from_json(&base, b, d) != 0) {
    goto done;
  }
  if (run_id && store) {
    if (!(rn = sh_reviewed_run_load_tz(store, run_id, data_dir, NULL, NULL, d))) goto done;
    sh_gate_from_eval(&now, rn->snap->eval, rn->state);
  } else {
    sh_gate_from_eval(&now, e, NULL);
  }
  size_t n = sh_gate_compare(&base, &now, &worse);
  for (size_t i = 0; i < worse.n; i++)
    sh_error_finding(d, NULL, 0, 0, "worse than the baseline %s%s: %s", is_run ? _("run ") : "", b, (const char *)worse.v[i]);
  if (!n)
    sh_diag_add(d, SH_SEV_NOTE, NULL, 0, 0, "no item is worse than in the baseline %s%s (%zu items compared)",
                is_run ? _("run ") : "", b, now.keys.n);
done:
  sh_vec_free_all(&worse, free);
  sh_gate_free(&base);
  sh_gate_free(&now);
  sh_reviewed_run_free(rb);
  sh_reviewed_run_free(rn);
}

static void run(void *vo, const sh_cli_args *pos, sh_diags *d) {
  check_opts *o = vo;
  if (!sh_report_view_find(o->view)) {
    sh_error_usage(d, "unknown view '%s' (expected one of: %s)", o->view, sh_report_views());
    return;
  }
  sh_registry *reg = NULL;
  sh_evidence *ev = NULL;
  sh_evaluation *e = NULL;
  sh_store *store = NULL;
  sh_vec fws = {0}, ids = {0};
  sh_report_out *outs = NULL;
  int nouts = sh_report_plan((const char *const *)o->out.v, o->out.n, o->format, &outs, d);
  if (nouts < 0) return;
  sh_xw_curated *curated = NULL; /* carry-over from certifications held (crosswalk) */
  sh_carryover *carry = NULL;

  /* Load what is needed: the vocabulary, then only the frameworks this package is checked against, holds
   * certifications of or answers for (a lazy registry parses a framework file when it is asked for). */
  if (!(reg = sh_cmd_registry_lazy(o->data_dir, &o->framework, &ids, d))) goto done;
  if (!(ev = sh_evidence_load(reg->vocab, pos->v[0], d))) goto done;
  size_t errs = d->nerrors;
  for (size_t k = 0; k < ids.n; k++) sh_registry_need(reg, ids.v[k], d);
  for (size_t k = 0; o->framework.n == 0 && k < ev->frameworks.n; k++) sh_registry_need(reg, ev->frameworks.v[k], d);
  for (size_t k = 0; k < ev->certifications.n; k++)
    sh_registry_need(reg, ((const sh_certification *)ev->certifications.v[k])->framework, d);
  for (size_t k = 0; k < ev->answers.n; k++) sh_registry_need(reg, ((const sh_answer *)ev->answers.v[k])->framework, d);
  if (d->nerrors != errs) goto done;
  if (sh_answers_check(ev, reg, d)) goto done; /* answers name frameworks and items that exist */
  /* the package's frameworks: list, when used, names frameworks that exist (FILE:LINE:COL, did-you-mean) */
  if (o->framework.n == 0 && sh_evidence_frameworks_check(ev, reg, d)) goto done;
  /* Probed facts: the package's probes: folders, --probe-root, cda_exports samples (probe.h). */
  if (sh_probe_evidence(ev, o->probe_root, d) != 0) goto done;
  /* Frameworks: from the command line, else from the package. */
  if (!sh_cmd_resolve_frameworks(reg, &ids, &fws, d)) goto done;
  for (size_t k = 0; o->framework.n == 0 && k < ev->frameworks.n; k++) {
    const sh_framework *fw = sh_registry_find(reg, ev->frameworks.v[k]);
    if (fw) sh_vec_push(&fws, (void *)fw); /* found: sh_evidence_frameworks_check passed */
  }
  if (fws.n == 0) {
    sh_error_usage(d, "no framework to check: give --framework ID or list frameworks: in evidence.yaml");
    goto done;
  }
  /* Crosswalk relations matter only for certifications held (carry-over). */
  if (ev->certifications.n) curated = sh_xw_curated_load_registry(reg, NULL, 0, d);
  carry = sh_carryover_new(reg, curated);
  sh_eval_options eo = {.cover = sh_carryover_cover, .cover_ctx = carry};
  e = sh_evaluate(ev, (const sh_framework *const *)fws.v, fws.n, &eo);
  sh_carryover_findings(carry, e);
  bool findings = e->must_failing || e->findings.n;

  int64_t run_id = 0;
  if (o->db) {
    store = sh_store_open(o->db, d);
    sh_run_meta meta = {SHINSA_VERSION, reg->vocab, findings ? SH_EXIT_FINDINGS : SH_EXIT_OK, NULL, reg->data_dir};
    if (!store || store->ops->record_run(store, e, &meta, &run_id, d) != 0) goto done;
  }
  if (run_id) /* the store as shown to people: a URL without its password */
    sh_diag_add(d, SH_SEV_NOTE, NULL, 0, 0, "recorded as run %lld in %s", (long long)run_id, store->location);
  sh_report_ctx ctx = {.eval = e, .lang = sh_report_lang(o->lang), .view = o->view, .data_dir = reg->data_dir, .run_id = run_id,
                       .tool_version = SHINSA_VERSION, .color = sh_report_colour_wanted()};
  if (sh_report_outputs(&ctx, outs, (size_t)nouts, d) != 0) goto done;
  if (o->baseline) regression_gate(o, store, run_id, e, reg->data_dir, d);
  else if (findings) sh_diags_findings(d, 1);
done:
  free(outs);
  sh_store_close(store);
  sh_evaluation_free(e);
  sh_carryover_free(carry);
  sh_xw_curated_free(curated);
  sh_vec_free(&fws);
  sh_vec_free(&ids);
  sh_evidence_free(ev);
  sh_registry_free(reg);
}

const sh_cli_cmd sh_cmd_check = {
  .name = "check",
  .summary = N_("evaluate an evidence package against frameworks"),
  .usage = "[OPTIONS] EVIDENCE_DIR",
  .description = N_("Evaluates the evidence package in EVIDENCE_DIR (a folder holding evidence.yaml) against\n"
                 "frameworks and reports a verdict for every item.\n"),
  .opts = opts,
  .opts_size = sizeof(check_opts),
  .min_pos = 1,
  .max_pos = 1,
  .pos_complete = "dir",
  .run = run,
  .examples = (const sh_cli_example[]){
    {"check examples/infobank-health", N_("checks the bundled example against the frameworks its evidence.yaml lists")},
    {"check --db runs.db -o report.html -o report.json -o sheet.xlsx examples/phr-operator",
     N_("records the run and writes three reports, each in the format its extension names (all or none)")},
    {"check --db runs.db --baseline 3 examples/phr-operator", N_("yearly surveillance: exit 1 if any item got worse than run 3")},
    {NULL, NULL}},
  .exits = (const sh_cli_exit[]){{0, N_("every applicable must item satisfied (with --baseline: no item worse)")},
                                 {1, N_("findings (with --baseline: items worse than the baseline)")},
                                 {2, N_("usage or I/O error")},
                                 {3, N_("invalid input data")},
                                 {0, NULL}},
};
