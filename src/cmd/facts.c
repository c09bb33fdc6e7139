/* cmd/facts: `shinsa facts`: the facts a set of frameworks uses, with type, allowed values, labels and the
 * items that use each (scaffold.c). */
#include "cmd.h"

#include "report.h"
#include "scaffold.h"

#include <stdlib.h>

typedef struct {
  sh_vec framework;
  const char *format, *lang, *data_dir, *out;
} facts_opts;

static const sh_cli_opt opts[] = {
  {"framework", 0, SH_CLI_LIST, offsetof(facts_opts, framework), "ID|PATH", NULL,
   N_("a framework whose facts to list (default: every installed framework)"), NULL, false},
  SH_OPT_FORMAT_TEXT_JSON(facts_opts),
  SH_OPT_LANG(facts_opts),
  SH_OPT_OUT(facts_opts),
  SH_OPT_DATA_DIR(facts_opts),
  SH_CLI_OPT_END,
};

static void run(void *vo, const sh_cli_args *pos, sh_diags *d) {
  facts_opts *o = vo;
  (void)pos;
  sh_vec fws = {0}, ids = {0};
  sh_registry *reg = sh_cmd_registry(o->data_dir, &o->framework, false, &ids, d); /* ids or framework files */
  if (!reg) {
    sh_vec_free(&ids);
    return;
  }
  if (!sh_cmd_resolve_frameworks(reg, &ids, &fws, d)) goto done;
  if (!fws.n)
    for (size_t k = 0; k < reg->frameworks.n; k++) sh_vec_push(&fws, reg->frameworks.v[k]);
  sh_buf out = {0};
  if (sh_facts_render((const sh_framework *const *)fws.v, fws.n, o->format, sh_report_lang(o->lang), &out, d) == 0)
    sh_report_output(o->out, &out, d);
  sh_buf_free(&out);
done:
  sh_vec_free(&fws);
  sh_vec_free(&ids);
  sh_registry_free(reg);
}

const sh_cli_cmd sh_cmd_facts = {
  .name = "facts",
  .summary = N_("list the facts frameworks use, with types, allowed values and the items using them"),
  .usage = "[--framework ID]... [OPTIONS]",
  .description = N_("Lists every fact the frameworks use in applies_if or require, in order of first use, with its\n"
                 "type, allowed values, unit, Japanese/English label and the items that use it (and where).\n"),
  .opts = opts,
  .opts_size = sizeof(facts_opts),
  .run = run,
  .examples = (const sh_cli_example[]){
    {"facts --framework phr-2023", N_("the facts of the PHR checksheet")},
    {"facts --framework infobank-v3 --format json --lang en", N_("the same for the information-bank guideline, as JSON")},
    {NULL, NULL}},
  .exits = (const sh_cli_exit[]){{0, N_("success")}, {2, N_("usage or I/O error")}, {3, N_("invalid data")}, {0, NULL}},
};
