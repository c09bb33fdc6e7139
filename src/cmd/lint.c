/* cmd/lint: `shinsa lint`: validate framework, vocabulary and evidence files (lint.h does the work). */
#include "cmd.h"

#include "framework.h"
#include "lint.h"

typedef struct {
  const char *sources, *data_dir;
  sh_vec framework, mapping;
} lint_opts;

static const sh_cli_opt opts[] = {
  {"sources", 0, SH_CLI_STR, offsetof(lint_opts, sources), "DIR", NULL,
   N_("also check every verbatim quote against the source documents in DIR"), NULL, false},
  {"framework", 'f', SH_CLI_LIST, offsetof(lint_opts, framework), "PATH", NULL,
   N_("also load and lint this framework or overlay file (overlay ids and framework version checked)"), NULL, false},
  {"mapping", 0, SH_CLI_LIST, offsetof(lint_opts, mapping), "FILE", NULL,
   N_("also lint this curated crosswalk file: each relation that disagrees with the derived class is an error"), NULL,
   false},
  SH_OPT_DATA_DIR(lint_opts),
  SH_CLI_OPT_END,
};

static void run(void *vo, const sh_cli_args *pos, sh_diags *d) {
  lint_opts *o = vo;
  sh_lint_stats st = {0};
  const char *data_dir = sh_cmd_data_dir(o->data_dir);
  if (pos->n == 0) {
    sh_registry_opts ro = {.user_dirs = true, .files = (const char *const *)o->framework.v, .nfiles = o->framework.n};
    sh_lint_data_dirs(data_dir, &ro, (const char *const *)o->mapping.v, o->mapping.n, o->sources, &st, d);
  }
  else sh_lint_paths(data_dir, (const char *const *)pos->v, pos->n, o->sources, &st, d);
  if (!d->nerrors) {
    printf(st.nfiles == 1 ? _("shinsa: %zu file OK") : _("shinsa: %zu files OK"), st.nfiles);
    if (o->sources)
      printf(st.nquotes == 1 ? _(", %zu verbatim quote verified against %s")
                             : _(", %zu verbatim quotes verified against %s"),
             st.nquotes, o->sources);
    printf("\n");
  } else {
    /* two calls, so that xgettext extracts both messages */
    if (d->nerrors == 1) sh_diag_addc(d, SH_DIAG_DATA, SH_SEV_NOTE, NULL, 0, 0, "%zu error", d->nerrors);
    else sh_diag_addc(d, SH_DIAG_DATA, SH_SEV_NOTE, NULL, 0, 0, "%zu errors", d->nerrors);
  }
}

const sh_cli_cmd sh_cmd_lint = {
  .name = "lint",
  .summary = N_("validate framework, vocabulary and evidence files"),
  .usage = "[OPTIONS] [FILE...]",
  .description = N_("Validates framework files, vocabulary files and evidence packages (evidence.yaml or its folder),\n"
                 "printing every error, not just the first. Without FILE, lints the whole data directory, the user\n"
                 "folders ($XDG_DATA_HOME/shinsa, SHINSA_DATA_PATH) and the --framework/--mapping files: overlays\n"
                 "(ids that do not exist, framework version mismatch) and curated crosswalks (each disagreement).\n"),
  .opts = opts,
  .opts_size = sizeof(lint_opts),
  .max_pos = SH_CLI_MANY,
  .pos_complete = "file",
  .run = run,
  .examples = (const sh_cli_example[]){
    {"lint", N_("lints every framework, vocabulary and curated crosswalk of the data directory")},
    {"lint examples/infobank-health", N_("lints one evidence package")},
    {"lint --sources /path/to/seeds checklists/infobank-v3.yaml", N_("also verifies the verbatim quotes of a framework")},
    {NULL, NULL}},
  .exits = (const sh_cli_exit[]){{0, N_("no error")}, {2, N_("usage or I/O error")}, {3, N_("invalid data")}, {0, NULL}},
};
