/* cmd/frameworks: `shinsa frameworks`: list the installed frameworks with item counts. */
#include "cmd.h"

#include "framework.h"
#include "overlay.h"
#include "report_cells.h"
#include "texttable.h"

#include <stdlib.h>

#include <string.h>

typedef struct {
  const char *data_dir, *lang;
  sh_vec framework;
} frameworks_opts;

static const sh_cli_opt opts[] = {
  SH_OPT_DATA_DIR(frameworks_opts),
  SH_OPT_LANG(frameworks_opts),
  {"framework", 'f', SH_CLI_LIST, offsetof(frameworks_opts, framework), "PATH", NULL,
   N_("also load this framework or overlay file"), NULL, false},
  SH_CLI_OPT_END,
};

static void run(void *vo, const sh_cli_args *pos, sh_diags *d) {
  frameworks_opts *o = vo;
  sh_registry *reg = sh_cmd_registry(o->data_dir, &o->framework, false, NULL, d);
  if (!reg) return;
  enum { NC = 9 };
  static const char *const head[NC] = {N_("ID"),      N_("KIND"),     N_("VERSION"), N_("ITEMS"), N_("CHECKED"),
                                       N_("MANUAL"),  N_("VERBATIM"), N_("ORIGIN"),  N_("TITLE")};
  static const bool right[NC] = {false, false, false, true, true, true, true, false, false};
  size_t n = reg->frameworks.n + 1;
  const char **cells = sh_calloc(n * NC, sizeof *cells);
  char (*num)[4][24] = sh_calloc(n, sizeof *num);
  for (int c = 0; c < NC; c++) cells[c] = _(head[c]);
  for (size_t i = 0; i < reg->frameworks.n; i++) {
    const sh_framework *fw = reg->frameworks.v[i];
    size_t cnt[4] = {fw->items.n, 0, 0, 0};
    for (size_t k = 0; k < fw->items.n; k++) {
      const sh_item *it = fw->items.v[k];
      cnt[1] += it->require != NULL;
      cnt[2] += it->manual;
      cnt[3] += it->source.form == SH_FORM_VERBATIM;
    }
    const char **row = cells + (i + 1) * NC;
    row[0] = fw->id, row[1] = fw->kind, row[2] = fw->version;
    for (int k = 0; k < 4; k++) {
      snprintf(num[i][k], sizeof num[i][k], "%zu", cnt[k]);
      row[3 + k] = num[i][k];
    }
    row[7] = fw->origin ? fw->origin : "bundled";
    row[8] = sh_text_pick(&fw->title, sh_report_lang(o->lang));
  }
  sh_buf tb = {0};
  sh_text_table(&tb, cells, n, NC, right); /* aligned by display width (texttable.h) */
  fputs(sh_buf_str(&tb), stdout);
  sh_buf_free(&tb);
  free(num);
  free(cells);
  for (size_t i = 0; i < reg->overlays.n; i++) {
    const sh_overlay *ov = reg->overlays.v[i];
    printf(_("overlay %s -> %s: %zu of %zu entries applied (%s: %s)\n"), ov->id, ov->framework, ov->applied, ov->nitems,
           ov->origin, ov->file);
  }
  for (size_t i = 0; i < reg->frameworks.n; i++) {
    const sh_framework *fw = reg->frameworks.v[i];
    if (fw->origin && strcmp(fw->origin, "bundled")) printf("%s: %s (%s)\n", fw->id, fw->file, fw->origin);
  }
  for (size_t i = 1; i < reg->dirs.n; i++)
    printf(_("data folder (%s): %s\n"), (const char *)reg->dir_origins.v[i], (const char *)reg->dirs.v[i]);
  printf(_("vocabulary %s@%s: %zu facts, %zu implications (data: %s)\n"), reg->vocab->id, reg->vocab->version,
         reg->vocab->facts.n, reg->vocab->implications.n, reg->data_dir);
  sh_registry_free(reg);
}

const sh_cli_cmd sh_cmd_frameworks = {
  .name = "frameworks",
  .summary = N_("list the installed frameworks with item counts"),
  .usage = "[OPTIONS]",
  .description = N_("Lists the installed frameworks and rule sets with their item counts: all items, items with a\n"
                 "machine-checkable requirement, manual items, and items whose text is a verbatim quote, with where\n"
                 "each came from (ORIGIN: bundled, user = $XDG_DATA_HOME/shinsa or ~/.local/share/shinsa,\n"
                 "SHINSA_DATA_PATH, --framework) and the overlays applied to them.\n"),
  .opts = opts,
  .opts_size = sizeof(frameworks_opts),
  .run = run,
  .examples = (const sh_cli_example[]){
    {"frameworks", N_("lists the installed frameworks with Japanese titles")},
    {"frameworks --lang en --data-dir ./data", N_("lists the frameworks of another data directory in English")},
    {NULL, NULL}},
  .exits = (const sh_cli_exit[]){{0, N_("success")}, {2, N_("usage or I/O error")}, {3, N_("invalid data")}, {0, NULL}},
};
