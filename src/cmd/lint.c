/* cmd/lint: `shinsa lint`: validate framework, vocabulary and evidence files (lint.h does the work). */
#include "cmd.h"

#include "lint.h"

typedef struct {
  const char *sources, *data_dir;
} lint_opts;

static const sh_cli_opt opts[] = {
  {"sources", 0, SH_CLI_STR, offsetof(lint_opts, sources), "DIR", NULL,
   "also check every verbatim quote against the source documents in DIR", NULL, false},
  SH_OPT_DATA_DIR(lint_opts),
  SH_CLI_OPT_END,
};

static void run(void *vo, const sh_cli_args *pos, sh_diags *d) {
  lint_opts *o = vo;
  sh_lint_stats st = {0};
  const char *data_dir = sh_cmd_data_dir(o->data_dir);
  if (pos->n == 0) sh_lint_data_dir(data_dir, o->sources, &st, d);
  else sh_lint_paths(data_dir, (const char *const *)pos->v, pos->n, o->sources, &st, d);
  if (!d->nerrors) {
    printf("shinsa: %zu file%s OK", st.nfiles, st.nfiles == 1 ? "" : "s");
    if (o->sources)
      printf(", %zu verbatim quote%s verified against %s", st.nquotes, st.nquotes == 1 ? "" : "s", o->sources);
    printf("\n");
  } else {
    sh_diag_addc(d, SH_DIAG_DATA, SH_SEV_NOTE, NULL, 0, 0, "%zu error%s", d->nerrors, d->nerrors == 1 ? "" : "s");
  }
}

const sh_cli_cmd sh_cmd_lint = {
  .name = "lint",
  .summary = "validate framework, vocabulary and evidence files",
  .usage = "[OPTIONS] [FILE...]",
  .description = "Validates framework files, vocabulary files and evidence packages (evidence.yaml or its folder),\n"
                 "printing every error, not just the first. Without FILE, lints the whole data directory.\n",
  .opts = opts,
  .opts_size = sizeof(lint_opts),
  .max_pos = SH_CLI_MANY,
  .pos_complete = "file",
  .run = run,
  .examples = (const sh_cli_example[]){
    {"lint", "lints every framework, vocabulary and curated crosswalk of the data directory"},
    {"lint examples/infobank-health", "lints one evidence package"},
    {"lint --sources /path/to/seeds checklists/infobank-v3.yaml", "also verifies the verbatim quotes of a framework"},
    {NULL, NULL}},
  .exits = (const sh_cli_exit[]){{0, "no error"}, {2, "usage or I/O error"}, {3, "invalid data"}, {0, NULL}},
};
