/* cmd/frameworks: `shinsa frameworks`: list the installed frameworks with item counts. */
#include "cmd.h"

#include "framework.h"
#include "report.h"

typedef struct {
  const char *data_dir, *lang;
} frameworks_opts;

static const sh_cli_opt opts[] = {
  SH_OPT_DATA_DIR(frameworks_opts),
  SH_OPT_LANG(frameworks_opts),
  SH_CLI_OPT_END,
};

static void run(void *vo, const sh_cli_args *pos, sh_diags *d) {
  frameworks_opts *o = vo;
  sh_registry *reg = sh_registry_load(sh_cmd_data_dir(o->data_dir), d);
  if (!reg) return;
  printf("%-20s %-9s %-13s %5s %8s %6s %8s  %s\n", "ID", "KIND", "VERSION", "ITEMS", "CHECKED", "MANUAL", "VERBATIM",
         "TITLE");
  for (size_t i = 0; i < reg->frameworks.n; i++) {
    const sh_framework *fw = reg->frameworks.v[i];
    size_t req = 0, man = 0, verb = 0;
    for (size_t k = 0; k < fw->items.n; k++) {
      const sh_item *it = fw->items.v[k];
      req += it->require != NULL;
      man += it->manual;
      verb += it->source.form == SH_FORM_VERBATIM;
    }
    sh_text t = fw->title;
    printf("%-20s %-9s %-13s %5zu %8zu %6zu %8zu  %s\n", fw->id, fw->kind, fw->version, fw->items.n, req, man, verb,
           sh_text_pick(&t, o->lang));
  }
  printf("vocabulary %s@%s: %zu facts, %zu implications (data: %s)\n", reg->vocab->id, reg->vocab->version,
         reg->vocab->facts.n, reg->vocab->implications.n, reg->data_dir);
  sh_registry_free(reg);
}

const sh_cli_cmd sh_cmd_frameworks = {
  .name = "frameworks",
  .summary = "list the installed frameworks with item counts",
  .usage = "[OPTIONS]",
  .description = "Lists the installed frameworks and rule sets with their item counts: all items, items with a\n"
                 "machine-checkable requirement, manual items, and items whose text is a verbatim quote.\n",
  .opts = opts,
  .opts_size = sizeof(frameworks_opts),
  .run = run,
  .examples = (const sh_cli_example[]){
    {"frameworks", "lists the installed frameworks with Japanese titles"},
    {"frameworks --lang en --data-dir ./data", "lists the frameworks of another data directory in English"},
    {NULL, NULL}},
  .exits = (const sh_cli_exit[]){{0, "success"}, {2, "usage or I/O error"}, {3, "invalid data"}, {0, NULL}},
};
