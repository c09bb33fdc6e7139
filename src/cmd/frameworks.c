/* cmd/frameworks: `shinsa frameworks`: list the installed frameworks with item counts. */
#include "cmd.h"

#include "framework.h"
#include "overlay.h"
#include "report_cells.h"

#include <string.h>

typedef struct {
  const char *data_dir, *lang;
  sh_vec framework;
} frameworks_opts;

static const sh_cli_opt opts[] = {
  SH_OPT_DATA_DIR(frameworks_opts),
  SH_OPT_LANG(frameworks_opts),
  {"framework", 'f', SH_CLI_LIST, offsetof(frameworks_opts, framework), "PATH", NULL,
   "also load this framework or overlay file", NULL, false},
  SH_CLI_OPT_END,
};

static void run(void *vo, const sh_cli_args *pos, sh_diags *d) {
  frameworks_opts *o = vo;
  sh_registry *reg = sh_cmd_registry(o->data_dir, &o->framework, false, NULL, d);
  if (!reg) return;
  printf("%-20s %-9s %-13s %5s %8s %6s %8s %-16s %s\n", "ID", "KIND", "VERSION", "ITEMS", "CHECKED", "MANUAL",
         "VERBATIM", "ORIGIN", "TITLE");
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
    printf("%-20s %-9s %-13s %5zu %8zu %6zu %8zu %-16s %s\n", fw->id, fw->kind, fw->version, fw->items.n, req, man,
           verb, fw->origin ? fw->origin : "bundled", sh_text_pick(&t, o->lang));
  }
  for (size_t i = 0; i < reg->overlays.n; i++) {
    const sh_overlay *ov = reg->overlays.v[i];
    printf("overlay %s -> %s: %zu of %zu entries applied (%s: %s)\n", ov->id, ov->framework, ov->applied, ov->nitems,
           ov->origin, ov->file);
  }
  for (size_t i = 0; i < reg->frameworks.n; i++) {
    const sh_framework *fw = reg->frameworks.v[i];
    if (fw->origin && strcmp(fw->origin, "bundled")) printf("%s: %s (%s)\n", fw->id, fw->file, fw->origin);
  }
  for (size_t i = 1; i < reg->dirs.n; i++)
    printf("data folder (%s): %s\n", (const char *)reg->dir_origins.v[i], (const char *)reg->dirs.v[i]);
  printf("vocabulary %s@%s: %zu facts, %zu implications (data: %s)\n", reg->vocab->id, reg->vocab->version,
         reg->vocab->facts.n, reg->vocab->implications.n, reg->data_dir);
  sh_registry_free(reg);
}

const sh_cli_cmd sh_cmd_frameworks = {
  .name = "frameworks",
  .summary = "list the installed frameworks with item counts",
  .usage = "[OPTIONS]",
  .description = "Lists the installed frameworks and rule sets with their item counts: all items, items with a\n"
                 "machine-checkable requirement, manual items, and items whose text is a verbatim quote, with where\n"
                 "each came from (ORIGIN: bundled, user = $XDG_DATA_HOME/shinsa or ~/.local/share/shinsa,\n"
                 "SHINSA_DATA_PATH, --framework) and the overlays applied to them.\n",
  .opts = opts,
  .opts_size = sizeof(frameworks_opts),
  .run = run,
  .examples = (const sh_cli_example[]){
    {"frameworks", "lists the installed frameworks with Japanese titles"},
    {"frameworks --lang en --data-dir ./data", "lists the frameworks of another data directory in English"},
    {NULL, NULL}},
  .exits = (const sh_cli_exit[]){{0, "success"}, {2, "usage or I/O error"}, {3, "invalid data"}, {0, NULL}},
};
