/* cmd/crosswalk: `shinsa crosswalk`: classify one framework's items against another's. */
#include "cmd.h"

#include "crosswalk.h"
#include "crosswalk_report.h"
#include "framework.h"
#include "oscal_mapping.h"
#include "report.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
  const char *from, *to, *format, *out, *lang, *data_dir;
  sh_vec framework, mapping;
} crosswalk_opts;

static const sh_cli_opt opts[] = {
  {"from", 0, SH_CLI_STR, offsetof(crosswalk_opts, from), "S", NULL,
   N_("source framework (the certification held): an id, or a framework file (PATH)"), NULL, true},
  {"to", 0, SH_CLI_STR, offsetof(crosswalk_opts, to), "T", NULL, N_("target framework: an id, or a framework file"), NULL,
   true},
  {"framework", 'f', SH_CLI_LIST, offsetof(crosswalk_opts, framework), "PATH", NULL,
   N_("also load this framework or overlay file"), NULL, false},
  {"mapping", 0, SH_CLI_LIST, offsetof(crosswalk_opts, mapping), "FILE", NULL,
   N_("a curated crosswalk file (e.g. from 'shinsa import mapping'); its totals are shown next to the derived ones"),
   NULL, false},
  {"format", 0, SH_CLI_STR, offsetof(crosswalk_opts, format), "FMT", "text", N_("output format"), sh_xw_format_names, false},
  SH_OPT_OUT(crosswalk_opts),
  SH_OPT_LANG(crosswalk_opts),
  SH_OPT_DATA_DIR(crosswalk_opts),
  SH_CLI_OPT_END,
};

static void run(void *vo, const sh_cli_args *pos, sh_diags *d) {
  crosswalk_opts *o = vo;
  sh_xw_format fmt = SH_XWF_TEXT;
  sh_xw_format_parse(o->format, &fmt); /* the choices are those it accepts */
  sh_vec args = {0}, ids = {0};
  for (size_t i = 0; i < o->framework.n; i++) sh_vec_push(&args, o->framework.v[i]);
  sh_vec_push(&args, (void *)o->from);
  sh_vec_push(&args, (void *)o->to);
  sh_registry *reg = sh_cmd_registry(o->data_dir, &args, false, &ids, d);
  const char *from = ids.n == args.n ? ids.v[args.n - 2] : o->from, *to = ids.n == args.n ? ids.v[args.n - 1] : o->to;
  sh_vec_free(&args);
  if (!reg) {
    sh_vec_free(&ids);
    return;
  }
  const sh_framework *S = sh_registry_find(reg, from), *T = sh_registry_find(reg, to);
  if (!S || !T) {
    sh_error_usage(d, "unknown framework '%s' (see 'shinsa frameworks')", S ? to : from);
  } else {
    sh_xw_curated *cur = sh_xw_curated_load_registry(reg, (const char *const *)o->mapping.v, o->mapping.n, d);
    if (!d->nerrors) {
      sh_logic_ctx *lc = sh_logic_new(reg->vocab, NULL);
      sh_crosswalk *xw = sh_crosswalk_compute(lc, S, T, sh_xw_curated_find(cur, from, to));
      sh_buf out = {0};
      if (sh_str_startswith(o->format, "oscal-mapping-")) { /* OSCAL 1.2 mapping-collection (oscal_mapping.h) */
        if (sh_oscal_mapping_render(xw, strcmp(o->format, "oscal-mapping-xml") == 0, &out, NULL, d) == 0)
          sh_report_output(o->out, &out, d);
      } else {
        char *doc = sh_crosswalk_render(xw, fmt, sh_report_lang(o->lang));
        sh_buf_puts(&out, doc);
        sh_report_output(o->out, &out, d);
        free(doc);
      }
      sh_buf_free(&out);
      sh_crosswalk_free(xw);
      sh_logic_free(lc);
    }
    sh_xw_curated_free(cur);
  }
  sh_vec_free(&ids);
  sh_registry_free(reg);
}

const sh_cli_cmd sh_cmd_crosswalk = {
  .name = "crosswalk",
  .summary = N_("classify one framework's items against another's (A/B/C/D, witnesses)"),
  .usage = "--from S --to T [OPTIONS]",
  .description =
    N_("Classifies every item of framework T against framework S, derived from what each item requires:\n"
    "A (S is stricter), B (equivalent), C (T is stricter: the unmet conditions are listed), D (no S item\n"
    "speaks of its facts), unknown (undecided). Each item lists its witnesses (the S items that imply it).\n"
    "Manual items take their class from the curated relations in rules/crosswalks/*.yaml (of the data folder,\n"
    "$XDG_DATA_HOME/shinsa and SHINSA_DATA_PATH) or --mapping FILE; the loaded table's totals are shown.\n"),
  .opts = opts,
  .opts_size = sizeof(crosswalk_opts),
  .run = run,
  .examples = (const sh_cli_example[]){
    {"crosswalk --from phr-2023 --to infobank-v3", N_("what a PHR certification already covers of the information bank checklist")},
    {"crosswalk --from infobank-v3 --to medical-infra-act --format html -o xw.html", N_("the same as an HTML page")},
    {"crosswalk --from infobank-v3 --to phr-2023 --format oscal-mapping-json -o xw.json",
     N_("the relations as an OSCAL 1.2 mapping-collection (docs/oscal.md)")},
    {NULL, NULL}},
  .exits = (const sh_cli_exit[]){{0, N_("success")}, {2, N_("usage or I/O error")}, {3, N_("invalid data")}, {0, NULL}},
};
