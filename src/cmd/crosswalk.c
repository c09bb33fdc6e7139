/* cmd/crosswalk: `shinsa crosswalk`: classify one framework's items against another's. */
#include "cmd.h"

#include "crosswalk.h"
#include "crosswalk_report.h"
#include "framework.h"
#include "report.h"

#include <stdlib.h>

typedef struct {
  const char *from, *to, *format, *out, *lang, *data_dir;
} crosswalk_opts;

static const char *const formats[] = {"text", "json", "md", "html", "csv", NULL};

static const sh_cli_opt opts[] = {
  {"from", 0, SH_CLI_STR, offsetof(crosswalk_opts, from), "S", NULL, "source framework id (the certification held)",
   NULL, true},
  {"to", 0, SH_CLI_STR, offsetof(crosswalk_opts, to), "T", NULL, "target framework id", NULL, true},
  {"format", 0, SH_CLI_STR, offsetof(crosswalk_opts, format), "FMT", "text", "output format", formats, false},
  SH_OPT_OUT(crosswalk_opts),
  SH_OPT_LANG(crosswalk_opts),
  SH_OPT_DATA_DIR(crosswalk_opts),
  SH_CLI_OPT_END,
};

static void run(void *vo, const sh_cli_args *pos, sh_diags *d) {
  crosswalk_opts *o = vo;
  sh_xw_format fmt = SH_XWF_TEXT;
  sh_xw_format_parse(o->format, &fmt); /* the choices are those it accepts */
  sh_registry *reg = sh_registry_load(sh_cmd_data_dir(o->data_dir), d);
  if (!reg) return;
  const sh_framework *S = sh_registry_find(reg, o->from), *T = sh_registry_find(reg, o->to);
  if (!S || !T) {
    sh_error_usage(d, "unknown framework '%s' (see 'shinsa frameworks')", S ? o->to : o->from);
  } else {
    char *dir = sh_crosswalk_dir(reg->data_dir);
    sh_xw_curated *cur = sh_xw_curated_load_dir(dir, d);
    free(dir);
    if (!d->nerrors) {
      sh_logic_ctx *lc = sh_logic_new(reg->vocab, NULL);
      sh_crosswalk *xw = sh_crosswalk_compute(lc, S, T, sh_xw_curated_find(cur, o->from, o->to));
      sh_buf out = {0};
      char *doc = sh_crosswalk_render(xw, fmt, o->lang);
      sh_buf_puts(&out, doc);
      sh_report_output(o->out, &out, d);
      sh_buf_free(&out);
      free(doc);
      sh_crosswalk_free(xw);
      sh_logic_free(lc);
    }
    sh_xw_curated_free(cur);
  }
  sh_registry_free(reg);
}

const sh_cli_cmd sh_cmd_crosswalk = {
  .name = "crosswalk",
  .summary = "classify one framework's items against another's (A/B/C/D, witnesses)",
  .usage = "--from S --to T [OPTIONS]",
  .description =
    "Classifies every item of framework T against framework S, derived from what each item requires:\n"
    "A (S is stricter), B (equivalent), C (T is stricter: the unmet conditions are listed), D (no S item\n"
    "speaks of its facts), unknown (undecided). Each item lists its witnesses (the S items that imply it).\n"
    "Manual items take their class from the curated relations in rules/crosswalks/*.yaml.\n",
  .opts = opts,
  .opts_size = sizeof(crosswalk_opts),
  .run = run,
  .examples = (const sh_cli_example[]){
    {"crosswalk --from phr-2023 --to infobank-v3", "what a PHR certification already covers of the information bank checklist"},
    {"crosswalk --from infobank-v3 --to medical-infra-act --format html -o xw.html", "the same as an HTML page"},
    {NULL, NULL}},
  .exits = (const sh_cli_exit[]){{0, "success"}, {2, "usage or I/O error"}, {3, "invalid data"}, {0, NULL}},
};
